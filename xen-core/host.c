/*
 * Host facts for `info` (what xl info reports, read from /proc and /sys),
 * whether KVM can really be used (not what /proc/cpuinfo claims: a nested
 * host may have working KVM without the vmx/svm flags), and QEMU's version;
 * and the facts the host check reads: CPU flags, the IOMMU's ACPI table,
 * the distribution, free space, the LVM volume groups.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <jansson.h>

#include "xen-core.h"

/*
 * Whether KVM offers guests SSE3 (CPUID leaf 1, ECX bit 0), which every
 * x86-64 CPU since 2005 has. Some nested hosts open /dev/kvm and create
 * VMs fine but report no SSE3 (nor SSSE3/SSE4) to guests; a Debian kernel
 * then hangs early in boot (measured: no output in 90 s), so such a KVM is
 * not usable.
 */
static int
kvm_has_sse3(int fd)
{
	struct kvm_cpuid2	*c;
	size_t			 n = 128, i;
	int			 found = 0;

	c = xcalloc(1, sizeof *c + n * sizeof c->entries[0]);
	c->nent = n;
	if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, c) != 0) {
		free(c);
		return (-1);
	}
	for (i = 0; i < c->nent; i++) {
		if (c->entries[i].function == 1 &&
		    (c->entries[i].ecx & 1) != 0)
			found = 1;
	}
	free(c);
	return (found);
}

/* 0 if /dev/kvm opens and can run a guest, else -1 and why. */
int
host_kvm_usable(char **cause)
{
	int	 fd, vm, version;

	if ((fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)) == -1) {
		*cause = xprintf("/dev/kvm: %s", strerror(errno));
		return (-1);
	}
	if ((version = ioctl(fd, KVM_GET_API_VERSION, 0)) != KVM_API_VERSION) {
		*cause = xprintf("/dev/kvm: API version %d, not %d", version,
		    KVM_API_VERSION);
		close(fd);
		return (-1);
	}
	if ((vm = ioctl(fd, KVM_CREATE_VM, 0)) == -1) {
		*cause = xprintf("/dev/kvm: KVM_CREATE_VM: %s",
		    strerror(errno));
		close(fd);
		return (-1);
	}
	close(vm);
	if (kvm_has_sse3(fd) == 0) {
		*cause = xstrdup("/dev/kvm: KVM offers guests no SSE3 (a "
		    "broken nested setup: guests hang)");
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/* "7.2.22" from `qemu -version`, or NULL. */
char *
host_qemu_version(const char *qemu)
{
	struct spawn_result	 res;
	char			*argv[] = { (char *)qemu, "-version",
				    NULL };
	char			*cause = NULL, *p, *v = NULL;
	size_t			 n;

	if (spawn_run(argv, NULL, SPAWN_STDOUT, &res, &cause) != 0) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
		spawn_result_free(&res);
		return (NULL);
	}
	if (res.out != NULL && (p = strstr(res.out, "version ")) != NULL) {
		p += strlen("version ");
		n = strspn(p, "0123456789.");
		if (n > 0)
			v = xstrndup(p, n);
	}
	spawn_result_free(&res);
	return (v);
}

/*
 * A network interface name: a bridge, another interface, or nothing. The
 * interface is looked up in our network namespace; /sys/class/net is that
 * of whoever mounted sysfs (ip netns exec mounts its own).
 */
int
host_bridge_state(const char *name)
{
	struct stat	 st;
	char		*path;
	int		 bridge;

	if (!valid_name(name) || strlen(name) >= IFNAMSIZ ||
	    if_nametoindex(name) == 0)
		return (HOST_IF_NONE);
	xasprintf(&path, "/sys/class/net/%s/bridge", name);
	bridge = stat(path, &st) == 0;
	free(path);
	return (bridge ? HOST_IF_BRIDGE : HOST_IF_OTHER);
}

/* 0 if HOST:PORT can be bound now (so QEMU can listen there). */
int
host_tcp_port_free(const char *host, int port, char **cause)
{
	struct addrinfo	 hints, *ai = NULL;
	char		 service[16];
	int		 fd = -1, rc = -1, on = 1, error;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(service, sizeof service, "%d", port);
	if ((error = getaddrinfo(host != NULL && *host != '\0' ? host : NULL,
	    service, &hints, &ai)) != 0) {
		*cause = xprintf("vnclisten: %s: %s", host,
		    gai_strerror(error));
		return (-1);
	}
	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    0)) == -1) {
		*cause = xprintf("socket: %s", strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		*cause = xprintf("VNC port %s:%d is in use (vncdisplay=%d): "
		    "%s", host != NULL && *host != '\0' ? host : "*", port,
		    port - 5900, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	freeaddrinfo(ai);
	return (rc);
}

/* The last line of a program's stderr, less QEMU's "qemu-...: " prefix. */
static char *
last_line(const char *err)
{
	const char	*p, *end, *colon;

	if (err == NULL)
		return (xstrdup(""));
	end = err + strlen(err);
	while (end > err && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (p = end; p > err && p[-1] != '\n'; p--)
		;
	if (strncmp(p, "qemu", 4) == 0 && (colon = strstr(p, ": ")) != NULL &&
	    colon < end)
		p = colon + 2;
	return (xstrndup(p, end - p));
}

/*
 * Whether a QEMU binary links a crypto library with DES, the one way its
 * VNC authentication gets one since QEMU's own DES went (7.x): gnutls,
 * nettle or gcrypt among its needed libraries. For a binary that cannot be
 * started bare (qemu-system-xen has the xen accelerator only).
 */
static int
host_qemu_links_des(const char *qemu, char **why)
{
	static const char *const libs[] = { "libgnutls.so", "libnettle.so",
	    "libgcrypt.so", NULL };
	char	*bin = NULL, *cause = NULL;
	size_t	 len, i;

	if (file_read(qemu, &bin, &len, &cause) != 0) {
		*why = cause;
		return (0);
	}
	for (i = 0; libs[i] != NULL; i++) {
		if (memmem(bin, len, libs[i], strlen(libs[i])) != NULL)
			break;
	}
	free(bin);
	if (libs[i] != NULL)
		return (1);
	*why = xprintf("%s cannot do VNC passwords: it has no DES (built "
	    "without gnutls, nettle or gcrypt), so a vncpasswd stops it",
	    qemu);
	return (0);
}

/*
 * Whether QEMU can take a VNC password: its VNC authentication needs DES,
 * and a build whose crypto has none (Debian 12's qemu-system-xen) refuses
 * to start with one. Asked of the binary itself: a machine-less QEMU with
 * a password-protected VNC server on a private socket, told to quit at
 * once on its monitor. The answer is kept per binary.
 */
int
host_qemu_vnc_password(const char *qemu, char **why)
{
	static char		*asked, *answer;
	static int		 ok;
	struct spawn_result	 res = { 0 };
	char			 dir[] = "/tmp/xd-vncpw.XXXXXX", *vnc = NULL;
	char			*argv[] = { (char *)qemu, "-machine", "none",
				    "-nodefaults", "-no-user-config",
				    "-display", "none", "-vnc", NULL,
				    "-monitor", "stdio", NULL };
	char			*cause = NULL, *p;

	if (asked != NULL && strcmp(asked, qemu) == 0)
		goto done;
	free(asked);
	free(answer);
	asked = xstrdup(qemu);
	answer = NULL;
	ok = 0;
	if (mkdtemp(dir) == NULL) {
		answer = xprintf("mkdtemp: %s", strerror(errno));
		goto done;
	}
	xasprintf(&vnc, "unix:%s/vnc.sock,password=on", dir);
	argv[8] = vnc;
	if (spawn_run_timeout(argv, "quit\n", SPAWN_STDOUT | SPAWN_NOCHECK,
	    10000, &res, &cause) != 0) {
		answer = cause;
		cause = NULL;
	} else if (res.status != 0 && res.err != NULL &&
	    strstr(res.err, "accelerator") != NULL) {
		/* A build for Xen alone starts no machine without Xen. */
		ok = host_qemu_links_des(qemu, &answer);
	} else if (res.status != 0) {
		p = last_line(res.err);
		answer = xprintf("%s cannot do VNC passwords: %s", qemu,
		    *p != '\0' ? p : "it exits at once");
		free(p);
	} else
		ok = 1;
	spawn_result_free(&res);
	free(vnc);
	xasprintf(&vnc, "%s/vnc.sock", dir);
	unlink(vnc);
	free(vnc);
	rmdir(dir);
done:
	if (!ok && why != NULL)
		*why = xstrdup(answer != NULL ? answer : "unknown");
	return (ok);
}

/* Total non-idle host CPU time from /proc/stat, in ns (Domain-0's time). */
uint64_t
host_cpu_ns(void)
{
	char			*buf = NULL, *cause = NULL;
	unsigned long long	 v[8] = { 0 };
	uint64_t		 ticks;
	long			 hz = sysconf(_SC_CLK_TCK);

	if (file_read("/proc/stat", &buf, NULL, &cause) != 0) {
		free(cause);
		return (0);
	}
	/* user nice system idle iowait irq softirq steal */
	sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	free(buf);
	ticks = v[0] + v[1] + v[2] + v[5] + v[6];
	return (ticks * (1000000000ULL / (hz > 0 ? hz : 100)));
}

/* The value after "key\t: " on a /proc/cpuinfo line, or NULL. */
static const char *
cpuinfo_value(const char *line, const char *key)
{
	size_t	 n = strlen(key);

	if (strncmp(line, key, n) != 0)
		return (NULL);
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != ':')
		return (NULL);
	line++;
	while (*line == ' ')
		line++;
	return (line);
}

static int
has_flag(const char *flags, const char *flag)
{
	size_t	 n = strlen(flag);
	const char *p = flags;

	while ((p = strstr(p, flag)) != NULL) {
		if ((p == flags || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
			return (1);
		p += n;
	}
	return (0);
}

/* VT-d / AMD-Vi: an IOMMU registered, or a DMAR/IVRS ACPI table. */
static int
host_has_iommu(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 found = 0;
	struct stat	 st;

	if ((d = opendir("/sys/class/iommu")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] != '.')
				found = 1;
		}
		closedir(d);
	}
	if (stat("/sys/firmware/acpi/tables/DMAR", &st) == 0 ||
	    stat("/sys/firmware/acpi/tables/IVRS", &st) == 0)
		found = 1;
	return (found);
}

static void
host_cpuinfo(struct host_info *h)
{
	char		*buf = NULL, *cause = NULL, *line, *last;
	const char	*v;
	int		 siblings = 0, cores = 0, nproc = 0;
	double		 mhz = 0;
	char		 physids[64] = { 0 };
	int		 id;

	if (file_read("/proc/cpuinfo", &buf, NULL, &cause) != 0) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
		return;
	}
	for (line = strtok_r(buf, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		if ((v = cpuinfo_value(line, "processor")) != NULL)
			nproc++;
		else if ((v = cpuinfo_value(line, "model name")) != NULL &&
		    h->cpu_model[0] == '\0')
			snprintf(h->cpu_model, sizeof h->cpu_model, "%s", v);
		else if ((v = cpuinfo_value(line, "cpu MHz")) != NULL &&
		    mhz == 0)
			mhz = strtod(v, NULL);
		else if ((v = cpuinfo_value(line, "siblings")) != NULL)
			siblings = atoi(v);
		else if ((v = cpuinfo_value(line, "cpu cores")) != NULL)
			cores = atoi(v);
		else if ((v = cpuinfo_value(line, "physical id")) != NULL) {
			id = atoi(v);
			if (id >= 0 && id < (int)sizeof physids)
				physids[id] = 1;
		} else if ((v = cpuinfo_value(line, "flags")) != NULL &&
		    h->virt_ext == NULL) {
			if (has_flag(v, "vmx"))
				h->virt_ext = "vmx";
			else if (has_flag(v, "svm"))
				h->virt_ext = "svm";
		}
	}
	free(buf);
	h->nr_cpus = nproc > 0 ? nproc : (int)sysconf(_SC_NPROCESSORS_ONLN);
	h->cores_per_socket = cores > 0 ? cores : h->nr_cpus;
	h->threads_per_core = cores > 0 && siblings >= cores ?
	    siblings / cores : 1;
	h->sockets = 0;
	for (id = 0; id < (int)sizeof physids; id++)
		h->sockets += physids[id];
	if (h->sockets == 0)
		h->sockets = 1;
	h->cpu_mhz = (int)(mhz + 0.5);
	h->hvm_support = h->virt_ext != NULL;
}

static void
host_meminfo(struct host_info *h)
{
	char			*buf = NULL, *cause = NULL, *p;
	unsigned long long	 v;

	if (file_read("/proc/meminfo", &buf, NULL, &cause) != 0) {
		free(cause);
		return;
	}
	if ((p = strstr(buf, "MemTotal:")) != NULL &&
	    sscanf(p, "MemTotal: %llu", &v) == 1)
		h->total_kb = v;
	if ((p = strstr(buf, "MemAvailable:")) != NULL &&
	    sscanf(p, "MemAvailable: %llu", &v) == 1)
		h->free_kb = v;
	free(buf);
}

/* Fill h with what the host is; the backend fields are the caller's. */
int
host_probe(struct host_info *h, char **cause)
{
	struct utsname	 u;
	char		*why = NULL;

	memset(h, 0, sizeof *h);
	if (uname(&u) == 0) {
		snprintf(h->hostname, sizeof h->hostname, "%s", u.nodename);
		snprintf(h->release, sizeof h->release, "%s", u.release);
		/* uname's fields are 65 bytes; machine names are short. */
		memcpy(h->machine, u.machine, strnlen(u.machine,
		    sizeof h->machine - 1));
	}
	host_cpuinfo(h);
	host_meminfo(h);
	h->iommu = host_has_iommu();
	if (host_kvm_usable(&why) == 0)
		h->hvm_enabled = 1;
	else {
		log_debug("%s: %s", __func__, why);
		snprintf(h->accel_why, sizeof h->accel_why, "%s", why);
		free(why);
	}
	/* xl info's virt_caps, for what QEMU can give a guest here. */
	snprintf(h->caps, sizeof h->caps, "%s%s",
	    h->hvm_enabled ? "hvm" : "hvm(tcg)",
	    h->iommu ? " hvm_directio" : "");
	return (0);
}

/* Whether /proc/cpuinfo's flags have flag ("lm", "vmx", "svm"). */
int
host_cpu_flag(const char *flag)
{
	char		*buf = NULL, *cause = NULL, *line, *last;
	const char	*v;
	int		 found = 0;

	if (file_read("/proc/cpuinfo", &buf, NULL, &cause) != 0) {
		free(cause);
		return (0);
	}
	for (line = strtok_r(buf, "\n", &last); line != NULL && !found;
	    line = strtok_r(NULL, "\n", &last)) {
		if ((v = cpuinfo_value(line, "flags")) != NULL)
			found = has_flag(v, flag);
	}
	free(buf);
	return (found);
}

/* Whether the firmware gave the kernel an IOMMU table (DMAR or IVRS). */
int
host_iommu_table(char *name, size_t len)
{
	struct stat	 st;

	if (stat("/sys/firmware/acpi/tables/DMAR", &st) == 0) {
		snprintf(name, len, "DMAR");
		return (1);
	}
	if (stat("/sys/firmware/acpi/tables/IVRS", &st) == 0) {
		snprintf(name, len, "IVRS");
		return (1);
	}
	return (0);
}

/* One KEY=value of /etc/os-release, unquoted, into buf. */
static void
os_release_value(const char *buf, const char *key, char *out, size_t len)
{
	const char	*line, *end, *v;
	size_t		 klen = strlen(key), n;

	for (line = buf; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		v = line + klen + 1;
		n = end - v;
		if (n >= 2 && (*v == '"' || *v == '\'') && v[n - 1] == *v) {
			v++;
			n -= 2;
		}
		snprintf(out, len, "%.*s", (int)n, v);
		return;
	}
}

/* The distribution: /etc/os-release, and /etc/debian_version on Debian. */
int
host_os_release(struct host_os *os, char **cause)
{
	char	*buf = NULL;

	memset(os, 0, sizeof *os);
	if (file_read("/etc/os-release", &buf, NULL, cause) != 0 &&
	    file_read("/usr/lib/os-release", &buf, NULL, cause) != 0)
		return (-1);
	free(*cause);
	*cause = NULL;
	os_release_value(buf, "ID", os->id, sizeof os->id);
	os_release_value(buf, "VERSION_ID", os->version_id,
	    sizeof os->version_id);
	os_release_value(buf, "VERSION_CODENAME", os->codename,
	    sizeof os->codename);
	os_release_value(buf, "PRETTY_NAME", os->pretty, sizeof os->pretty);
	free(buf);
	buf = NULL;
	if (file_read("/etc/debian_version", &buf, NULL, cause) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(os->debian_version, sizeof os->debian_version, "%s",
		    buf);
	} else {
		free(*cause);
		*cause = NULL;
	}
	free(buf);
	return (0);
}

/* Free and total bytes of the filesystem holding path. */
int
host_fs_space(const char *path, uint64_t *avail, uint64_t *size,
    char **cause)
{
	struct statvfs	 sv;

	if (statvfs(path, &sv) != 0) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	*avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	*size = (uint64_t)sv.f_blocks * sv.f_frsize;
	return (0);
}

/*
 * The LVM volume groups with their size and free space (vgs). pool.c's
 * pool_list() gives the same for the wizards that change pools; the host
 * check needs only these three numbers.
 */
int
host_vgs(struct host_vg **vgs, size_t *n, char **cause)
{
	struct spawn_result	 res;
	char			*argv[] = { "vgs", "--reportformat", "json",
				    "--units", "b", "--nosuffix", "-o",
				    "vg_name,vg_size,vg_free", NULL };
	json_t			*o, *a, *e;
	json_error_t		 err;
	struct host_vg		*v = NULL;
	size_t			 i, count = 0;
	const char		*name;

	*vgs = NULL;
	*n = 0;
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 30000, &res,
	    cause) != 0) {
		spawn_result_free(&res);
		return (-1);
	}
	o = json_loads(res.out != NULL ? res.out : "", 0, &err);
	spawn_result_free(&res);
	if (o == NULL) {
		*cause = xprintf("vgs: bad JSON: %s", err.text);
		return (-1);
	}
	a = json_object_get(json_array_get(json_object_get(o, "report"), 0),
	    "vg");
	json_array_foreach(a, i, e) {
		if ((name = json_string_value(json_object_get(e,
		    "vg_name"))) == NULL)
			continue;
		v = xreallocarray(v, count + 1, sizeof *v);
		snprintf(v[count].name, sizeof v[count].name, "%s", name);
		v[count].size = strtoull(json_string_value(json_object_get(e,
		    "vg_size")) != NULL ? json_string_value(json_object_get(e,
		    "vg_size")) : "0", NULL, 10);
		v[count].free = strtoull(json_string_value(json_object_get(e,
		    "vg_free")) != NULL ? json_string_value(json_object_get(e,
		    "vg_free")) : "0", NULL, 10);
		count++;
	}
	json_decref(o);
	*vgs = v;
	*n = count;
	return (0);
}
