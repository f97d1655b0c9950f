/*
 * The xl.cfg(5) -> QEMU mapping (design.md, "xl.cfg on QEMU"): from a
 * struct xlcfg the semantic layer validated and filled with its defaults
 * (xlcfg-sem.c: nothing about the config's meaning is decided again here)
 * and a domain's identity (name, domid, runtime dir) to the QEMU argv,
 * checking on the way what only the host can tell: missing kernels, disks
 * and ISOs (named with their config key), missing bridges, a VNC port in
 * use, and what QEMU cannot do (an HVM guest's four IDE slots, PVH).
 *
 * Files reach QEMU so that it never parses a protocol from their names: a
 * disk is an absolute path given to the file (or host_device) driver by
 * name, so a local file called "nbd:host:1" or 'json:{...}' is that file.
 *
 * Every domain's QEMU starts stopped (-S) with three QMP monitors (the
 * supervisor's, one for commands, one for the stats sampler), the serial
 * port on a unix socket with a log file, a pvpanic device, and actions that
 * stop the guest instead of resetting or exiting on reboot, power-off and
 * panic: the supervisor decides what happens next (on_reboot, on_poweroff,
 * on_crash).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend-qemu.h"

static void
arg(char ***argv, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	strv_push(argv, s);
	free(s);
}

/* QEMU's option-value quoting: a comma is written twice. */
static char *
qemu_escape(const char *s)
{
	char	*out, *q;

	out = q = xmalloc(strlen(s) * 2 + 1);
	for (; *s != '\0'; s++) {
		if (*s == ',')
			*q++ = ',';
		*q++ = *s;
	}
	*q = '\0';
	return (out);
}

static int
check_file(const char *key, const char *path, char **cause)
{
	struct stat	 st;

	if (stat(path, &st) != 0) {
		*cause = xprintf("%s: %s: %s", key, path, strerror(errno));
		return (-1);
	}
	if (S_ISDIR(st.st_mode)) {
		*cause = xprintf("%s: %s: is a directory", key, path);
		return (-1);
	}
	return (0);
}

/*
 * A disk's file for QEMU: its absolute path (caller frees) and the block
 * driver that opens it by name, so that nothing in the name is read as a
 * protocol.
 */
static char *
disk_file(const char *key, const char *target, const char **driver,
    char **cause)
{
	struct stat	 st;
	char		*abs;

	*driver = "file";
	if (check_file(key, target, cause) != 0)
		return (NULL);
	if ((abs = realpath(target, NULL)) == NULL) {
		*cause = xprintf("%s: %s: %s", key, target, strerror(errno));
		return (NULL);
	}
	if (stat(abs, &st) == 0 && S_ISBLK(st.st_mode))
		*driver = "host_device";
	return (abs);
}

static const char *
qemu_format(const char *format)
{
	if (format == NULL || strcmp(format, "raw") == 0)
		return ("raw");
	if (strcmp(format, "vhd") == 0)
		return ("vpc");
	return (format);	/* qcow2, qcow */
}

static int
add_disks(const struct xlcfg *cfg, struct qemu_dom *dom, char ***argv,
    char **cause)
{
	const struct xlcfg_disk	*d;
	const char		*driver;
	char			 key[32], *path, *file = NULL, *id, *media;
	int			 hvm = cfg->type == XLCFG_TYPE_HVM;
	long			 idx, part;
	size_t			 i;

	for (i = 0; i < cfg->ndisks; i++) {
		d = &cfg->disks[i];
		snprintf(key, sizeof key, "disk[%zu]", i);
		file = NULL;
		if (d->target != NULL && *d->target != '\0') {
			if ((path = disk_file(key, d->target, &driver,
			    cause)) == NULL)
				return (-1);
			xasprintf(&file, "file.driver=%s,file.filename=%s",
			    driver, (media = qemu_escape(path)));
			free(media);
			free(path);
		}
		if (d->backendtype != NULL && strcmp(d->backendtype,
		    "qdisk") != 0 && strcmp(d->backendtype, "phy") != 0)
			log_info("%s: %s: backendtype=%s is Xen-only, ignored",
			    cfg->path, key, d->backendtype);
		if (d->script != NULL)
			log_info("%s: %s: script=%s is Xen-only, ignored",
			    cfg->path, key, d->script);
		xasprintf(&id, "vbd-%s", d->vdev);
		if (hvm) {
			/* QEMU's PC has four IDE slots: whole disks 0-3. */
			xlcfg_vdev_number(d->vdev, &idx, &part);
			if (idx < 0 || idx > 3 || part != 0) {
				*cause = xprintf("%s: %s: vdev %s: an HVM "
				    "guest has four IDE slots (hda-hdd, "
				    "xvda-xvdd, whole disks)", key, d->spec,
				    d->vdev);
				free(file);
				free(id);
				return (-1);
			}
			strv_push(argv, "-drive");
			if (file == NULL)
				arg(argv, "if=ide,index=%ld,media=cdrom,id=%s",
				    idx, id);
			else
				arg(argv, "%s,format=%s,if=ide,index=%ld,"
				    "media=%s,id=%s%s", file,
				    qemu_format(d->format), idx,
				    d->cdrom ? "cdrom" : "disk", id,
				    d->cdrom || !d->readwrite ?
				    ",readonly=on" : "");
		} else {
			if (file == NULL) {
				log_info("%s: %s: an empty cdrom has no PV "
				    "equivalent, skipped", cfg->path, key);
				free(id);
				continue;
			}
			strv_push(argv, "-drive");
			arg(argv, "%s,format=%s,if=none,id=%s%s", file,
			    qemu_format(d->format), id,
			    d->cdrom || !d->readwrite ? ",readonly=on" : "");
			strv_push(argv, "-device");
			arg(argv, "virtio-blk-pci,drive=%s", id);
		}
		strv_push(&dom->vbds, d->vdev);
		strv_push(&dom->drives, id);
		free(file);
		free(id);
	}
	return (0);
}

/* A stable 00:16:3e MAC from the domain's uuid and the vif's index. */
static void
default_mac(const char *uuid, size_t n, char *buf, size_t len)
{
	uint32_t	 h = 2166136261u;
	const char	*p;

	for (p = uuid; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ (uint32_t)n) * 16777619u;
	snprintf(buf, len, "00:16:3e:%02x:%02x:%02x", (h >> 16) & 0x7f,
	    (h >> 8) & 0xff, h & 0xff);
}

static int
bridge_exists(const char *name)
{
	char		*path;
	struct stat	 st;
	int		 rc;

	xasprintf(&path, "/sys/class/net/%s/bridge", name);
	rc = stat(path, &st) == 0;
	free(path);
	return (rc);
}

static int
add_vifs(const struct xlcfg *cfg, struct qemu_dom *dom, int dryrun,
    char ***argv, char **cause)
{
	const struct xlcfg_vif	*v;
	const char		*model;
	char			 key[32], mac[32], *tap;
	size_t			 i;

	for (i = 0; i < cfg->nvifs; i++) {
		v = &cfg->vifs[i];
		snprintf(key, sizeof key, "vif[%zu]", i);
		if (!dryrun && !bridge_exists(v->bridge)) {
			*cause = xprintf("%s: bridge %s does not exist (run "
			    "the bridge wizard, or name another bridge with "
			    "bridge=)", key, v->bridge);
			return (-1);
		}
		if (v->vifname != NULL)
			tap = xstrdup(v->vifname);
		else
			xasprintf(&tap, "vif%d.%zu", dom->domid, i);
		if (!(v->defaulted & XLCFG_VIF_DEF_SCRIPT))
			log_info("%s: %s: script=%s is Xen-only, ignored "
			    "(the tap joins bridge %s)", cfg->path, key,
			    v->script, v->bridge);
		if (v->rate != NULL)
			log_info("%s: %s: rate=%s is not applied on QEMU",
			    cfg->path, key, v->rate);
		if (v->mac != NULL)
			snprintf(mac, sizeof mac, "%s", v->mac);
		else
			default_mac(dom->uuid, i, mac, sizeof mac);
		/* A PV NIC (a PV guest's, or type=vif) is virtio here. */
		if (cfg->type != XLCFG_TYPE_HVM || strcmp(v->type, "vif") == 0 ||
		    strcmp(v->model, "virtio") == 0 ||
		    strcmp(v->model, "virtio-net") == 0)
			model = "virtio-net-pci";
		else
			model = v->model;
		strv_push(argv, "-netdev");
		arg(argv, "tap,id=net%zu,ifname=%s,script=no,downscript=no",
		    i, tap);
		strv_push(argv, "-device");
		arg(argv, "%s,netdev=net%zu,mac=%s", model, i, mac);
		strv_push(&dom->taps, tap);
		strv_push(&dom->bridges, v->bridge);
		free(tap);
	}
	return (0);
}

/* 0 if HOST:PORT can be bound (so QEMU can listen there). */
static int
tcp_port_free(const char *host, int port, char **cause)
{
	struct addrinfo	 hints, *ai = NULL;
	char		 service[16];
	int		 fd = -1, rc = -1, on = 1, error;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(service, sizeof service, "%d", port);
	if ((error = getaddrinfo(host, service, &hints, &ai)) != 0) {
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
		    "%s", host, port, port - 5900, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	freeaddrinfo(ai);
	return (rc);
}

static int
add_vnc(const struct xlcfg *cfg, struct qemu_dom *dom, int dryrun,
    char ***argv, char **cause)
{
	const char	*pw;

	pw = cfg->vncpasswd != NULL && *cfg->vncpasswd != '\0' ?
	    ",password=on" : "";
	if (cfg->vnc_host == NULL) {
		dom->vnc_unix = qemu_dom_path(dom, "vnc.sock");
		strv_push(argv, "-vnc");
		arg(argv, "unix:%s%s", dom->vnc_unix, pw);
	} else {
		if (!cfg->vnc_search && !dryrun && tcp_port_free(cfg->vnc_host,
		    5900 + cfg->vnc_display, cause) != 0)
			return (-1);
		strv_push(argv, "-vnc");
		arg(argv, "%s%s%s:%d%s%s", strchr(cfg->vnc_host, ':') != NULL ?
		    "[" : "", cfg->vnc_host, strchr(cfg->vnc_host, ':') !=
		    NULL ? "]" : "", cfg->vnc_display, cfg->vnc_search ?
		    ",to=99" : "", pw);
		dom->vnc_host = xstrdup(cfg->vnc_host);
	}
	dom->vnc = 1;
	if (*pw != '\0')
		dom->vncpasswd = xstrdup(cfg->vncpasswd);
	return (0);
}

/* The PV kernel command line: cmdline, or root= and extra. */
static char *
pv_cmdline(const struct xlcfg *cfg, const char *boot_args)
{
	char	*line, *p, *next;

	if (boot_args != NULL)
		xasprintf(&line, "%s%s%s", boot_args, cfg->extra != NULL ?
		    " " : "", cfg->extra != NULL ? cfg->extra : "");
	else if (cfg->cmdline != NULL)
		line = xstrdup(cfg->cmdline);
	else
		xasprintf(&line, "%s%s%s%s", cfg->root != NULL ? "root=" : "",
		    cfg->root != NULL ? cfg->root : "",
		    cfg->root != NULL && cfg->extra != NULL ? " " : "",
		    cfg->extra != NULL ? cfg->extra : "");
	/* Xen's PV console is hvc0; here the console is the serial port. */
	while ((p = strstr(line, "console=hvc")) != NULL) {
		xasprintf(&next, "%.*sconsole=ttyS%s", (int)(p - line), line,
		    p + strlen("console=hvc"));
		free(line);
		line = next;
	}
	if (strstr(line, "console=") == NULL) {
		xasprintf(&next, "%s%sconsole=ttyS0", line,
		    *line != '\0' ? " " : "");
		free(line);
		line = next;
	}
	return (line);
}

/*
 * Build dom->argv (and the taps, vbds, VNC fields) for cfg. boot_kernel,
 * boot_ramdisk and boot_args come from the bootloader (NULL without one).
 * With dryrun, nothing on the host is checked that a dry run on another
 * host could not have (bridges, ports).
 */
int
qemu_args_build(const struct xlcfg *cfg, struct qemu_dom *dom,
    const char *boot[3], int dryrun, char **cause)
{
	char		**argv = NULL, *qemu = NULL, *path, *cmdline;
	char		 *kernel, *ramdisk, *logfile;
	const char	 *accel = qemu_accel();
	int		  hvm = cfg->type == XLCFG_TYPE_HVM;

	if (cfg->type == XLCFG_TYPE_PVH) {
		*cause = xprintf("%s: type=\"pvh\" is not supported on QEMU: "
		    "use \"pv\" or \"hvm\"", cfg->path);
		return (-1);
	}
	if ((qemu = qemu_binary(cause)) == NULL)
		return (-1);
	strv_push(&argv, qemu);
	free(qemu);
	strv_push(&argv, "-name");
	arg(&argv, "guest=%s,debug-threads=on", dom->name);
	strv_push(&argv, "-uuid");
	strv_push(&argv, dom->uuid);
	strv_push(&argv, "-nodefaults");
	strv_push(&argv, "-no-user-config");
	strv_push(&argv, "-display");
	strv_push(&argv, "none");
	strv_push(&argv, "-S");
	strv_push(&argv, "-machine");
	arg(&argv, "pc%s", cfg->acpi == 0 ? ",acpi=off" : "");
	strv_push(&argv, "-accel");
	strv_push(&argv, strcmp(accel, "kvm") == 0 ? "kvm" :
	    "tcg,tb-size=32");
	strv_push(&argv, "-cpu");
	strv_push(&argv, strcmp(accel, "kvm") == 0 ? "host" : "max");
	strv_push(&argv, "-m");
	arg(&argv, "%lld", (long long)dom->memory);
	strv_push(&argv, "-smp");
	if (dom->maxvcpus > dom->vcpus)
		arg(&argv, "cpus=%d,maxcpus=%d", dom->vcpus, dom->maxvcpus);
	else
		arg(&argv, "%d", dom->vcpus);

	/* The monitors: supervisor, commands, sampler. */
	path = qemu_dom_path(dom, "sup.qmp");
	strv_push(&argv, "-qmp");
	arg(&argv, "unix:%s,server=on,wait=off", path);
	free(path);
	path = qemu_dom_path(dom, "qmp.sock");
	strv_push(&argv, "-qmp");
	arg(&argv, "unix:%s,server=on,wait=off", path);
	free(path);
	path = qemu_dom_path(dom, "stats.qmp");
	strv_push(&argv, "-qmp");
	arg(&argv, "unix:%s,server=on,wait=off", path);
	free(path);

	/* The serial console: a socket, and a log so nothing is lost. */
	if (cfg->serial != NULL && strcmp(cfg->serial, "pty") != 0)
		log_info("%s: serial=\"%s\": the console is a socket here",
		    cfg->path, cfg->serial);
	path = qemu_dom_path(dom, "serial.sock");
	logfile = qemu_escape(dom->console_log);
	strv_push(&argv, "-chardev");
	arg(&argv, "socket,id=serial0,path=%s,server=on,wait=off,"
	    "logfile=%s,logappend=on", path, logfile);
	free(logfile);
	free(path);
	strv_push(&argv, "-serial");
	strv_push(&argv, "chardev:serial0");

	strv_push(&argv, "-device");
	strv_push(&argv, "pvpanic");
	strv_push(&argv, "-action");
	strv_push(&argv, "reboot=shutdown,shutdown=pause,panic=pause");

	if (hvm) {
		if (cfg->kernel != NULL)
			log_info("%s: kernel=\"%s\" (hvmloader) is Xen-only, "
			    "ignored: SeaBIOS boots the guest", cfg->path,
			    cfg->kernel);
		if (cfg->boot != NULL) {
			strv_push(&argv, "-boot");
			arg(&argv, "order=%s", cfg->boot);
		}
		strv_push(&argv, "-vga");
		strv_push(&argv, "std");
	} else {
		kernel = (char *)(boot[0] != NULL ? boot[0] : cfg->kernel);
		ramdisk = (char *)(boot[0] != NULL ? boot[1] : cfg->ramdisk);
		if (kernel == NULL) {
			*cause = xprintf("%s: a PV guest needs kernel= or "
			    "bootloader=\"pygrub\"", cfg->path);
			goto fail;
		}
		/* The bootloader's files exist (or will, in a dry run). */
		if (boot[0] == NULL && check_file("kernel", kernel,
		    cause) != 0)
			goto fail;
		if (boot[0] == NULL && ramdisk != NULL &&
		    check_file("ramdisk", ramdisk, cause) != 0)
			goto fail;
		strv_push(&argv, "-kernel");
		strv_push(&argv, kernel);
		if (ramdisk != NULL) {
			strv_push(&argv, "-initrd");
			strv_push(&argv, ramdisk);
		}
		cmdline = pv_cmdline(cfg, boot[0] != NULL ? boot[2] : NULL);
		strv_push(&argv, "-append");
		strv_push(&argv, cmdline);
		free(cmdline);
	}
	if (cfg->device_model_version != NULL)
		log_info("%s: device_model_version=\"%s\" is Xen-only, "
		    "ignored", cfg->path, cfg->device_model_version);
	if (cfg->sdl == 1)
		log_info("%s: sdl=1: no SDL window here, use VNC", cfg->path);

	if (add_disks(cfg, dom, &argv, cause) != 0)
		goto fail;
	if (add_vifs(cfg, dom, dryrun, &argv, cause) != 0)
		goto fail;

	if (cfg->vnc) {
		if (!hvm) {
			strv_push(&argv, "-vga");
			strv_push(&argv, "std");
		}
		if (add_vnc(cfg, dom, dryrun, &argv, cause) != 0)
			goto fail;
	} else if (!hvm) {
		strv_push(&argv, "-vga");
		strv_push(&argv, "none");
	}
	strv_free(dom->argv);
	dom->argv = argv;
	return (0);
fail:
	strv_free(argv);
	return (-1);
}
