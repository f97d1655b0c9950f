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

/* A disk's file for QEMU: its absolute path (caller frees). */
static char *
disk_file(const char *key, const char *target, char **cause)
{
	char	*abs;

	if (check_file(key, target, cause) != 0)
		return (NULL);
	if ((abs = realpath(target, NULL)) == NULL)
		*cause = xprintf("%s: %s: %s", key, target, strerror(errno));
	return (abs);
}

/*
 * A -drive's file= options: the block driver that opens PATH (absolute)
 * named explicitly, so that nothing in the name is read as a protocol
 * (a file called nbd:host:1 or json:{...} is that file). Caller frees.
 */
static char *
drive_file(const char *path)
{
	struct stat	 st;
	char		*esc, *out;

	esc = qemu_escape(path);
	out = xprintf("file.driver=%s,file.filename=%s", stat(path, &st) ==
	    0 && S_ISBLK(st.st_mode) ? "host_device" : "file", esc);
	free(esc);
	return (out);
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
	char			 key[32], *path, *file, *id;
	int			 hvm = cfg->type == XLCFG_TYPE_HVM;
	long			 idx, part;
	size_t			 i;

	for (i = 0; i < cfg->ndisks; i++) {
		d = &cfg->disks[i];
		snprintf(key, sizeof key, "disk[%zu]", i);
		file = path = NULL;
		if (d->target != NULL && *d->target != '\0') {
			if ((path = disk_file(key, d->target, cause)) == NULL)
				return (-1);
			file = drive_file(path);
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
				free(path);
				free(file);
				free(id);
				return (-1);
			}
			strv_push(argv, "-drive");
			if (d->cdrom || file == NULL) {
				free(file);
				file = qemu_args_cdrom(path, qemu_format(d->format),
				    (int)idx, id);
				strv_push(argv, file);
			} else
				arg(argv, "%s,format=%s,if=ide,index=%ld,"
				    "media=disk,id=%s%s", file,
				    qemu_format(d->format), idx, id,
				    !d->readwrite ? ",readonly=on" : "");
		} else {
			if (file == NULL) {
				log_info("%s: %s: an empty cdrom has no PV "
				    "equivalent, skipped", cfg->path, key);
				free(id);
				continue;	/* path and file are NULL */
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
		free(path);
		free(file);
		free(id);
	}
	return (0);
}

/*
 * The -drive of an HVM guest's CD drive: IDE slot INDEX with drive id ID,
 * holding FILE (an absolute path; format FORMAT, read-only), or empty when
 * FILE is NULL (cd-insert and cd-eject rewrite it so a restart keeps the
 * medium).
 */
char *
qemu_args_cdrom(const char *file, const char *format, int index,
    const char *id)
{
	char	*drive, *out;

	if (file == NULL || *file == '\0')
		return (xprintf("if=ide,index=%d,media=cdrom,id=%s", index,
		    id));
	drive = drive_file(file);
	out = xprintf("%s,format=%s,if=ide,index=%d,media=cdrom,id=%s,"
	    "readonly=on", drive, format, index, id);
	free(drive);
	return (out);
}

/* The value of option KEY in a QEMU option string (",," is a comma). */
static char *
qemu_opt_get(const char *opts, const char *key)
{
	const char	*p = opts, *start;
	size_t		 klen = strlen(key);
	char		*v, *q;

	while (*p != '\0') {
		start = p;
		while (*p != '\0' && !(*p == ',' && p[1] != ',')) {
			if (*p == ',')
				p++;	/* an escaped comma */
			p++;
		}
		if ((size_t)(p - start) > klen && strncmp(start, key,
		    klen) == 0 && start[klen] == '=') {
			v = q = xstrndup(start + klen + 1, p - start - klen - 1);
			for (; *q != '\0'; q++)
				if (q[0] == ',' && q[1] == ',')
					memmove(q, q + 1, strlen(q));
			return (v);
		}
		if (*p == ',')
			p++;
	}
	return (NULL);
}

/*
 * The CD drive among an HVM domain's -drive arguments: the one with drive
 * id ID, or the first cdrom when ID is NULL. Its position in argv (of the
 * option string), its IDE index and id; -1 if none.
 */
int
qemu_args_find_cdrom(char **argv, const char *id, int *index, char **found)
{
	char	*media, *did, *idx;
	size_t	 i;
	int	 match;

	for (i = 0; argv != NULL && argv[i] != NULL && argv[i + 1] != NULL;
	    i++) {
		if (strcmp(argv[i], "-drive") != 0)
			continue;
		media = qemu_opt_get(argv[i + 1], "media");
		did = qemu_opt_get(argv[i + 1], "id");
		idx = qemu_opt_get(argv[i + 1], "index");
		match = media != NULL && strcmp(media, "cdrom") == 0 &&
		    did != NULL && idx != NULL && (id == NULL ||
		    strcmp(did, id) == 0);
		free(media);
		if (match) {
			*index = atoi(idx);
			*found = did;
			free(idx);
			return ((int)i + 1);
		}
		free(did);
		free(idx);
	}
	return (-1);
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
		if (!dryrun && host_bridge_state(v->bridge) != HOST_IF_BRIDGE) {
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
		if (!cfg->vnc_search && !dryrun && host_tcp_port_free(
		    cfg->vnc_host, 5900 + cfg->vnc_display, cause) != 0)
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

/*
 * usb=1 and usbdevice=["tablet"] (xl.cfg(5)): a USB bus and its devices.
 * The tablet is what makes a VNC pointer land where it is pointed (an
 * absolute device); mouse and keyboard are the other two QEMU offers by
 * those names.
 */
static int
add_usb(const struct xlcfg *cfg, char ***argv, char **cause)
{
	const struct xlcfg_setting	*set;
	const struct xlcfg_value	*v;
	long long			 usb = 0;
	size_t				 i, n;
	const char			*dev;

	if ((set = xlcfg_get(cfg, "usb")) != NULL &&
	    set->value->type == XLCFG_STRING)
		xlcfg_number(set->value->str, &usb);
	if ((set = xlcfg_get(cfg, "usbdevice")) == NULL) {
		if (usb) {
			strv_push(argv, "-device");
			strv_push(argv, "piix3-usb-uhci");
		}
		return (0);
	}
	strv_push(argv, "-device");
	strv_push(argv, "piix3-usb-uhci");
	v = set->value;
	n = v->type == XLCFG_LIST ? v->nitems : 1;
	for (i = 0; i < n; i++) {
		if (v->type == XLCFG_LIST && v->items[i]->type != XLCFG_STRING)
			continue;
		dev = v->type == XLCFG_LIST ? v->items[i]->str : v->str;
		if (strcmp(dev, "tablet") != 0 && strcmp(dev, "mouse") != 0 &&
		    strcmp(dev, "keyboard") != 0) {
			*cause = xprintf("%s: usbdevice \"%s\": the qemu "
			    "backend has tablet, mouse and keyboard", cfg->path,
			    dev);
			return (-1);
		}
		strv_push(argv, "-device");
		arg(argv, "usb-%s", strcmp(dev, "keyboard") == 0 ? "kbd" : dev);
	}
	return (0);
}

/*
 * A PV guest's disks are virtio-blk here, in the order of disk= (cdroms
 * and empty ones left out): the guest sees the first as vda where Xen's
 * blkfront makes it xvda. root=/dev/xvdX[N] (what pygrub menus and
 * xen-create-image write) becomes the virtio name of the disk whose vdev
 * is xvdX. Returns line, or a new string replacing it.
 */
static char *
pv_root_virtio(const struct xlcfg *cfg, char *line)
{
	const struct xlcfg_disk	*d;
	char			*p, *next, vdev[16];
	size_t			 i, n, len;
	int			 virtio = 0;

	if ((p = strstr(line, "root=/dev/xvd")) == NULL ||
	    (p != line && p[-1] != ' '))
		return (line);
	len = strspn(p + 10, "abcdefghijklmnopqrstuvwxyz");
	if (len == 0 || len >= sizeof vdev)
		return (line);
	snprintf(vdev, sizeof vdev, "%.*s", (int)len, p + 10);
	for (i = 0; i < cfg->ndisks; i++) {
		d = &cfg->disks[i];
		if (d->cdrom || d->target == NULL || *d->target == '\0')
			continue;
		if (d->vdev != NULL && strcmp(d->vdev, vdev) == 0) {
			n = strlen("root=/dev/") + len;
			xasprintf(&next, "%.*sroot=/dev/vd%c%s",
			    (int)(p - line), line, 'a' + virtio, p + n);
			log_info("%s: root=/dev/%s is /dev/vd%c here "
			    "(virtio-blk)", cfg->path, vdev, 'a' + virtio);
			free(line);
			return (next);
		}
		if (++virtio >= 26)
			break;
	}
	return (line);
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
	line = pv_root_virtio(cfg, line);
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
		if (add_usb(cfg, &argv, cause) != 0)
			goto fail;
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

/*
 * The xl.cfg keys this backend gives a meaning to (the table above, in
 * code); every other key xl knows is Xen's alone and ignored here.
 */
static const char *const qemu_applied_keys[] = {
	"acpi", "boot", "bootloader", "bootloader_args", "builder", "cmdline",
	"device_model_version", "disk", "extra", "kernel", "maxmem",
	"maxvcpus", "memory", "name", "on_crash", "on_poweroff", "on_reboot",
	"ramdisk", "root", "sdl", "serial", "type", "usb", "usbdevice",
	"uuid", "vcpus", "vif", "vnc", "vncdisplay", "vnclisten", "vncpasswd",
	"vncunused", NULL
};

/* VNC as add_vnc() will set it up: a port in use, a screen left open. */
static void
qemu_lint_vnc(const struct xlcfg *cfg, struct lint_report *r)
{
	const char	*host;
	int		 nopw, line;

	if (!cfg->vnc)
		return;
	nopw = cfg->vncpasswd == NULL || *cfg->vncpasswd == '\0';
	line = xlcfg_line(cfg, "vncpasswd");
	if ((host = cfg->vnc_host) == NULL) {
		if (cfg->vncpasswd != NULL && *cfg->vncpasswd == '\0')
			lint_add(r, LINT_WARNING, "vnc-no-password",
			    "vncpasswd", line, "hvm-guest", "set a password "
			    "(xendeck wizard hvm-guest makes one), or remove "
			    "the line", "vncpasswd=\"\" means no password at "
			    "all: here the screen is on a socket only root "
			    "reaches, but with vnclisten (or on Xen, where "
			    "vnclisten=\"\" is every address) anyone who "
			    "reaches it gets the guest's screen and keyboard");
		return;
	}
	if (!cfg->vnc_search)
		lint_vnc_port(r, cfg, host, cfg->vnc_display);
	if (nopw && !lint_loopback(host))
		lint_add(r, LINT_WARNING, "vnc-open", "vnclisten",
		    xlcfg_line(cfg, "vnclisten"), "hvm-guest", "set vncpasswd, "
		    "or vnclisten = \"127.0.0.1\" and reach it through an SSH "
		    "tunnel", "the screen listens on %s with no password: "
		    "anyone who reaches that address gets the guest's screen "
		    "and keyboard", host);
	else if (nopw)
		lint_add(r, LINT_WARNING, "vnc-no-password", "vncpasswd",
		    line != 0 ? line : xlcfg_line(cfg, "vnclisten"),
		    "hvm-guest", "set vncpasswd (xendeck wizard hvm-guest makes "
		    "one)", "no VNC password: anyone with a shell on this "
		    "host can reach the screen on %s", host);
}

/* What only the qemu backend knows about cfg (backend_ops.lint). */
void
qemu_lint(const struct xlcfg *cfg, struct lint_report *r)
{
	const struct xlcfg_setting	*set;
	const struct xlcfg_disk		*d;
	const struct xlcfg_vif		*v;
	struct host_info		 h;
	char				*cause = NULL;
	size_t				 i, j;
	long				 idx, part;
	int				 line;

	for (i = 0; i < cfg->nsettings; i++) {
		set = &cfg->settings[i];
		if (xlcfg_get(cfg, set->name) != set)
			continue;	/* one finding per key, at its last */
		if (xlcfg_key_kind(set->name) == XLCFG_KIND_UNKNOWN)
			continue;	/* the parser warns */
		for (j = 0; qemu_applied_keys[j] != NULL; j++) {
			if (strcmp(qemu_applied_keys[j], set->name) == 0)
				break;
		}
		if (qemu_applied_keys[j] == NULL)
			lint_add(r, LINT_WARNING, "xen-only", set->name,
			    set->line, NULL, "remove it, or keep it for Xen",
			    "%s= is Xen-only: the qemu backend ignores it",
			    set->name);
	}
	if (cfg->device_model_version != NULL)
		lint_add(r, LINT_WARNING, "xen-only", "device_model_version",
		    xlcfg_line(cfg, "device_model_version"), NULL,
		    "remove the line (qemu-xen, the only one, is the default)",
		    "device_model_version=\"%s\" is Xen-only and ignored here%s",
		    cfg->device_model_version, strcmp(cfg->device_model_version,
		    "qemu-xen-traditional") == 0 ? "; on Debian 12's Xen it "
		    "stops create (there is no qemu-xen-traditional)" : "");
	if (cfg->type == XLCFG_TYPE_PVH)
		lint_add(r, LINT_ERROR, "type-unsupported", "type",
		    xlcfg_line(cfg, "type"), NULL, "use type=\"pv\" or \"hvm\"",
		    "type=\"pvh\" does not run on the qemu backend");
	if (cfg->bootloader != NULL && cfg->type != XLCFG_TYPE_HVM &&
	    strcmp(cfg->bootloader, "pygrub") != 0 &&
	    strstr(cfg->bootloader, "/pygrub") == NULL)
		lint_add(r, LINT_ERROR, "bootloader-unsupported", "bootloader",
		    xlcfg_line(cfg, "bootloader"), NULL, "use bootloader="
		    "\"pygrub\", or kernel= and ramdisk=", "bootloader=\"%s\": "
		    "only pygrub runs on the qemu backend", cfg->bootloader);
	for (i = 0; i < cfg->ndisks; i++) {
		d = &cfg->disks[i];
		line = xlcfg_item_line(cfg, "disk", i);
		if (d->format != NULL && strcmp(d->format, "empty") != 0 &&
		    strcmp(d->format, "raw") != 0 &&
		    strcmp(d->format, "qcow2") != 0 &&
		    strcmp(d->format, "qcow") != 0 &&
		    strcmp(d->format, "vhd") != 0)
			lint_add(r, LINT_ERROR, "disk-format", "disk", line,
			    NULL, "convert it (qemu-img convert -O qcow2)",
			    "format %s (%s) does not run on the qemu backend "
			    "(raw, qcow2, qcow, vhd do)", d->format, d->vdev);
		if (d->backendtype != NULL && strcmp(d->backendtype,
		    "qdisk") != 0 && strcmp(d->backendtype, "phy") != 0)
			lint_add(r, LINT_WARNING, "xen-only", "disk", line,
			    NULL, "keep it for Xen, or remove it",
			    "backendtype=%s (%s) is Xen-only, ignored here",
			    d->backendtype, d->vdev);
		if (d->script != NULL)
			lint_add(r, LINT_WARNING, "xen-only", "disk", line,
			    NULL, "keep it for Xen, or remove it", "script=%s "
			    "(%s) is Xen-only: the image is opened directly "
			    "here", d->script, d->vdev);
		if (cfg->type == XLCFG_TYPE_HVM && (xlcfg_vdev_number(d->vdev,
		    &idx, &part) != 0 || idx < 0 || idx > 3 || part != 0))
			lint_add(r, LINT_ERROR, "vdev-ide", "disk", line, NULL,
			    "use hda to hdd (or xvda to xvdd)", "vdev %s: an "
			    "HVM guest has four IDE slots here (hda-hdd)",
			    d->vdev);
	}
	for (i = 0; i < cfg->nvifs; i++) {
		v = &cfg->vifs[i];
		line = xlcfg_item_line(cfg, "vif", i);
		if (v->script != NULL && !(v->defaulted & XLCFG_VIF_DEF_SCRIPT))
			lint_add(r, LINT_WARNING, "xen-only", "vif", line, NULL,
			    "keep it for Xen, or remove it", "script=%s is "
			    "Xen-only: here the tap joins bridge %s",
			    v->script, v->bridge);
		if (v->rate != NULL)
			lint_add(r, LINT_WARNING, "xen-only", "vif", line, NULL,
			    "keep it for Xen, or remove it", "rate=%s is not "
			    "applied on the qemu backend", v->rate);
	}
	qemu_lint_vnc(cfg, r);
	memset(&h, 0, sizeof h);
	if (host_probe(&h, &cause) == 0)
		lint_memory(r, cfg, h.total_kb, h.free_kb, 0);
	free(cause);
}
