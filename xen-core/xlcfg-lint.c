/*
 * check-config --lint: an xl.cfg(5) against this host and this backend.
 * The parser (xlcfg.c) says whether xl could read the file; this says
 * whether `create` would get anywhere with it, and what is wrong or risky
 * even when it would. Errors are what stops create (a missing disk or
 * bridge, a VNC port in use, memory that is not there, a name already
 * running); warnings are what does not (keys the backend ignores, a VNC
 * display without a password, an ISO that is not one). Every finding
 * names its key and line and carries one line of fix, with the wizard
 * that does it where there is one.
 *
 * The checks every backend shares are here; what only one backend knows
 * (its keys, its device model, its VNC and memory facts) it adds through
 * backend_ops.lint with the helpers below.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

void
lint_add(struct lint_report *r, enum lint_level level, const char *id,
    const char *key, int line, const char *wizard, const char *fix,
    const char *fmt, ...)
{
	struct lint_finding	*f;
	va_list			 ap;

	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	f = &r->v[r->n++];
	memset(f, 0, sizeof *f);
	f->level = level;
	f->id = xstrdup(id);
	f->key = key != NULL ? xstrdup(key) : NULL;
	f->line = line;
	f->wizard = wizard != NULL ? xstrdup(wizard) : NULL;
	f->fix = fix != NULL ? xstrdup(fix) : NULL;
	va_start(ap, fmt);
	xvasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (level == LINT_ERROR)
		r->nerrors++;
	else
		r->nwarnings++;
}

void
lint_report_free(struct lint_report *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].key);
		free(r->v[i].message);
		free(r->v[i].fix);
		free(r->v[i].wizard);
	}
	free(r->v);
	free(r->path);
	memset(r, 0, sizeof *r);
}

int
xlcfg_line(const struct xlcfg *cfg, const char *key)
{
	const struct xlcfg_setting	*set = xlcfg_get(cfg, key);

	return (set != NULL ? set->line : 0);
}

/* The line of item i of a list key (disk, vif), else of the key. */
int
xlcfg_item_line(const struct xlcfg *cfg, const char *key, size_t i)
{
	const struct xlcfg_setting	*set = xlcfg_get(cfg, key);

	if (set == NULL)
		return (0);
	if (set->value->type == XLCFG_LIST && i < set->value->nitems)
		return (set->value->items[i]->line);
	return (set->line);
}

int
lint_loopback(const char *addr)
{
	return (addr != NULL && (strncmp(addr, "127.", 4) == 0 ||
	    strcmp(addr, "localhost") == 0 || strcmp(addr, "::1") == 0 ||
	    strcmp(addr, "[::1]") == 0));
}

void
lint_vnc_port(struct lint_report *r, const struct xlcfg *cfg,
    const char *host, int display)
{
	char		*cause = NULL;
	const char	*key = cfg->vncdisplay >= 0 ? "vncdisplay" :
			    "vnclisten";

	if (host_tcp_port_free(host, 5900 + display, &cause) == 0)
		return;
	lint_add(r, LINT_ERROR, "vnc-port-busy", key, xlcfg_line(cfg, key),
	    NULL, "pick a free display with vncdisplay=N, or remove it and "
	    "set vncunused=1 to take the first free one", "%s", cause);
	free(cause);
}

void
lint_memory(struct lint_report *r, const struct xlcfg *cfg,
    uint64_t total_kb, uint64_t free_kb, int hard)
{
	long long	 mib = cfg->memory;	/* the default filled in */
	int		 line = xlcfg_line(cfg, "memory");

	if (total_kb == 0 || mib <= 0)	/* none: a syntax-only parse */
		return;
	if ((uint64_t)mib * 1024 > total_kb) {
		lint_add(r, LINT_ERROR, "memory-too-big", "memory", line,
		    NULL, "lower memory=", "%lld MiB is more than this host "
		    "has (%llu MiB)", mib,
		    (unsigned long long)(total_kb / 1024));
		return;
	}
	if ((uint64_t)mib * 1024 <= free_kb)
		return;
	if (hard)
		lint_add(r, LINT_ERROR, "memory-not-free", "memory", line,
		    NULL, "lower memory=, or shut a domain down first",
		    "%lld MiB is more than is free for guests now (%llu MiB)",
		    mib, (unsigned long long)(free_kb / 1024));
	else
		lint_add(r, LINT_WARNING, "memory-not-free", "memory", line,
		    NULL, "lower memory=, or shut a domain down first",
		    "%lld MiB is more than the host has available now (%llu "
		    "MiB): the guest may be killed when it uses it all", mib,
		    (unsigned long long)(free_kb / 1024));
}

/* The finding for a parse error "FILE:LINE:COL: message" (or "FILE: ..."). */
static void
lint_parse_error(struct lint_report *r, const char *path, const char *cause)
{
	const char	*p = cause;
	char		*end;
	long		 line = 0;

	if (strncmp(p, path, strlen(path)) == 0 && p[strlen(path)] == ':') {
		p += strlen(path) + 1;
		line = strtol(p, &end, 10);
		if (end != p && *end == ':') {
			p = end + 1;
			strtol(p, &end, 10);	/* the column */
			if (end != p && *end == ':')
				p = end + 1;
		} else
			line = 0;
		p += strspn(p, " ");
	}
	if (line == 0 && strstr(cause, "No such file") != NULL)
		lint_add(r, LINT_ERROR, "file", NULL, 0, NULL, "name an "
		    "existing file", "%s", p);
	else
		lint_add(r, LINT_ERROR, "syntax", NULL, (int)line, NULL,
		    "correct it (xendeck check-config FILE reads it as xl "
		    "does)", "xl cannot read this: %s", p);
}

/* Whether the target of a disk= entry is an LVM volume (/dev/VG/LV). */
static int
lint_is_lv(const char *target, char *vg, size_t size)
{
	const char	*p, *slash;

	if (strncmp(target, "/dev/", 5) != 0)
		return (0);
	p = target + 5;
	if ((slash = strchr(p, '/')) == NULL || strchr(slash + 1, '/') !=
	    NULL || slash == p || slash[1] == '\0' ||
	    strncmp(p, "mapper/", 7) == 0 || strncmp(p, "disk/", 5) == 0)
		return (0);
	snprintf(vg, size, "%.*s", (int)(slash - p), p);
	return (1);
}

/*
 * A /dev/VG/LV target that is not there, as the pool model sees it: no
 * such volume group, no such volume in it, or a volume not active.
 */
static void
lint_lv(struct lint_report *r, int line, const char *what,
    const struct xlcfg_disk *d, const char *vg)
{
	struct pool	 p;
	struct volume	 v;
	const char	*lv = strrchr(d->target, '/') + 1;
	char		*cause = NULL, *fix;

	if (pool_find(vg, &p, &cause) != 0) {
		free(cause);
		xasprintf(&fix, "make the volume group: xendeck wizard storage "
		    "(then the volume: xendeck wizard volume --set pool=%s "
		    "--set action=create --set name=%s)", vg, lv);
		lint_add(r, LINT_ERROR, "disk-missing", "disk", line,
		    "storage", fix, "%s %s (%s) does not exist: there is no "
		    "volume group %s", what, d->target, d->vdev, vg);
		free(fix);
		return;
	}
	if (volume_find(&p, lv, &v, &cause) != 0) {
		free(cause);
		xasprintf(&fix, "create it: xendeck wizard volume --set pool=%s "
		    "--set action=create --set name=%s --set size=...", vg, lv);
		lint_add(r, LINT_ERROR, "disk-missing", "disk", line, "volume",
		    fix, "%s %s (%s) does not exist: %s has no logical volume "
		    "%s", what, d->target, d->vdev, vg, lv);
		free(fix);
	} else {
		xasprintf(&fix, "activate it: lvchange -ay %s/%s", vg, lv);
		lint_add(r, LINT_ERROR, "disk-missing", "disk", line, NULL,
		    fix, "%s %s (%s) is not there: the logical volume %s/%s "
		    "exists but is not active", what, d->target, d->vdev, vg,
		    lv);
		free(fix);
		volume_free(&v);
	}
	pool_free(&p);
}

/* The disk= targets: there, readable, what they claim to be. */
static void
lint_disks(const struct xlcfg *cfg, struct lint_report *r)
{
	const struct xlcfg_disk	*d;
	struct iso_info		 iso;
	struct stat		 st;
	char			*cause = NULL, vg[NAME_MAX_LEN + 1], buf[16];
	char			*a, *b;
	const char		*what;
	size_t			 i;
	int			 line, fd;

	for (i = 0; i < cfg->ndisks; i++) {
		d = &cfg->disks[i];
		line = xlcfg_item_line(cfg, "disk", i);
		if (d->target == NULL || *d->target == '\0' ||
		    (d->format != NULL && strcmp(d->format, "empty") == 0))
			continue;
		what = d->cdrom ? "the CD image" : "the disk";
		if (stat(d->target, &st) != 0) {
			if (errno != ENOENT)
				lint_add(r, LINT_ERROR, "disk-unreadable",
				    "disk", line, NULL, "correct the path, or "
				    "its permissions", "%s %s (%s): %s", what,
				    d->target, d->vdev, strerror(errno));
			else if (d->cdrom)
				lint_add(r, LINT_ERROR, "disk-missing", "disk",
				    line, "hvm-guest", "name an ISO that exists "
				    "(xendeck wizard hvm-guest lists the ISOs "
				    "on this host)", "%s %s (%s) does not "
				    "exist", what, d->target, d->vdev);
			else if (lint_is_lv(d->target, vg, sizeof vg))
				lint_lv(r, line, what, d, vg);
			else
				lint_add(r, LINT_ERROR, "disk-missing", "disk",
				    line, "volume", "correct the path, or "
				    "create the image: xendeck wizard volume",
				    "%s %s (%s) does not exist", what,
				    d->target, d->vdev);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			lint_add(r, LINT_ERROR, "disk-unreadable", "disk", line,
			    NULL, "name an image file or a block device",
			    "%s %s (%s) is a directory", what, d->target,
			    d->vdev);
			continue;
		}
		if (iso_readable_by(d->target, NULL, &cause) != 0) {
			lint_add(r, LINT_ERROR, "disk-unreadable", "disk", line,
			    NULL, "make it readable by root (the device "
			    "model runs as root)", "%s (%s) cannot be read: %s",
			    what, d->vdev, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (d->cdrom && S_ISREG(st.st_mode)) {
			if (iso_probe(d->target, &iso, &cause) != 0) {
				lint_add(r, LINT_WARNING, "cdrom-not-iso",
				    "disk", line, NULL, "name an ISO image "
				    "(a .iso file)", "%s is not an ISO 9660 "
				    "image: the guest will find no CD in %s",
				    d->target, d->vdev);
				free(cause);
				cause = NULL;
			} else if (iso.truncated) {
				a = pool_size_string(iso.file_size);
				b = pool_size_string(iso.size);
				lint_add(r, LINT_WARNING, "cdrom-truncated",
				    "disk", line, NULL, "download it again "
				    "and check its checksum", "%s is %s but "
				    "its volume says %s: an unfinished "
				    "download?", d->target, a, b);
				free(a);
				free(b);
			}
			continue;
		}
		/* A qcow2 image given as raw: the guest sees its header. */
		if (!d->cdrom && S_ISREG(st.st_mode) && (d->format == NULL ||
		    strcmp(d->format, "raw") == 0) &&
		    (fd = open(d->target, O_RDONLY | O_CLOEXEC)) != -1) {
			if (read(fd, buf, 4) == 4 && memcmp(buf, "QFI\xfb",
			    4) == 0)
				lint_add(r, LINT_WARNING, "disk-format", "disk",
				    line, NULL, "write format=qcow2 in the "
				    "disk spec", "%s (%s) is a qcow2 image "
				    "but is given as raw: the guest would see "
				    "qcow2's metadata, not a disk", d->target,
				    d->vdev);
			close(fd);
		}
	}
}

/* bootloader="pygrub": a disk with a GRUB menu the loader can read. */
static void
lint_pygrub(const struct xlcfg *cfg, struct lint_report *r)
{
	struct bootloader_menu	 menu;
	const char		*disk = NULL, *base;
	char			*cause = NULL;
	struct stat		 st;
	int			 line = xlcfg_line(cfg, "bootloader");
	size_t			 i;

	if (cfg->bootloader == NULL)
		return;
	if (cfg->type == XLCFG_TYPE_HVM) {
		lint_add(r, LINT_WARNING, "bootloader-hvm", "bootloader", line,
		    NULL, "remove the line (an HVM guest boots from its own "
		    "disk's boot sector)", "an HVM guest has firmware: "
		    "bootloader=\"%s\" is ignored", cfg->bootloader);
		return;
	}
	base = strrchr(cfg->bootloader, '/');
	base = base != NULL ? base + 1 : cfg->bootloader;
	if (strcmp(base, "pygrub") != 0)
		return;
	for (i = 0; i < cfg->ndisks && disk == NULL; i++) {
		if (!cfg->disks[i].cdrom && cfg->disks[i].target != NULL &&
		    *cfg->disks[i].target != '\0')
			disk = cfg->disks[i].target;
	}
	if (disk == NULL) {
		lint_add(r, LINT_ERROR, "pygrub-no-disk", "bootloader", line,
		    "pv-guest", "add the guest's disk to disk=",
		    "bootloader=\"pygrub\" reads the first disk's GRUB menu, "
		    "but there is no disk");
		return;
	}
	if (stat(disk, &st) != 0)
		return;		/* lint_disks said so */
	memset(&menu, 0, sizeof menu);
	if (bootloader_read_menu(disk, &menu, &cause) != 0) {
		lint_add(r, LINT_ERROR, "pygrub-menu", "bootloader", line,
		    "pv-guest", "give the guest a /boot/grub/grub.cfg "
		    "(update-grub inside it), or boot it with kernel= and "
		    "ramdisk=", "pygrub finds no boot menu on %s: %s", disk,
		    cause);
		free(cause);
	}
	bootloader_menu_free(&menu);
}

/* kernel, ramdisk; and the keys an HVM guest no longer needs. */
static void
lint_boot(const struct xlcfg *cfg, struct lint_report *r)
{
	struct stat	 st;
	char		*fix;
	size_t		 i;
	int		 disk = 0, cdrom = 0;

	if (cfg->type == XLCFG_TYPE_HVM) {
		if (cfg->kernel != NULL)
			lint_add(r, LINT_WARNING, "kernel-hvm", "kernel",
			    xlcfg_line(cfg, "kernel"), NULL, "remove the line",
			    "kernel=\"%s\" is ignored for an HVM guest: xl "
			    "finds hvmloader itself (Debian 12 has it in "
			    "/usr/lib/xen-4.17/boot; /usr/lib/xen-4.0 is "
			    "gone)", cfg->kernel);
		for (i = 0; i < cfg->ndisks; i++) {
			if (cfg->disks[i].cdrom)
				cdrom = 1;
			else
				disk = 1;
		}
		if (cfg->boot != NULL && strcmp(cfg->boot, "d") == 0 &&
		    disk && cdrom)
			lint_add(r, LINT_WARNING, "boot-cd-only", "boot",
			    xlcfg_line(cfg, "boot"), NULL, "remove the line: "
			    "the default \"cd\" boots the disk once something "
			    "is installed on it, the CD before", "boot=\"d\" "
			    "boots the installer CD every time, even after "
			    "the install (the guide then edits it to \"c\")");
	} else if (cfg->bootloader == NULL) {
		if (cfg->kernel == NULL)
			lint_add(r, LINT_ERROR, "pv-no-kernel", "type",
			    xlcfg_line(cfg, "type"), "pv-guest", "set "
			    "kernel= and ramdisk=, or bootloader=\"pygrub\" "
			    "with a disk that has a GRUB menu", "a %s guest "
			    "needs kernel= or bootloader=",
			    cfg->type == XLCFG_TYPE_PVH ? "PVH" : "PV");
		if (cfg->kernel != NULL && stat(cfg->kernel, &st) != 0)
			lint_add(r, LINT_ERROR, "kernel-missing", "kernel",
			    xlcfg_line(cfg, "kernel"), NULL, "correct the "
			    "path", "%s: %s", cfg->kernel, strerror(errno));
		if (cfg->ramdisk != NULL && stat(cfg->ramdisk, &st) != 0)
			lint_add(r, LINT_ERROR, "ramdisk-missing", "ramdisk",
			    xlcfg_line(cfg, "ramdisk"), NULL, "correct the "
			    "path", "%s: %s", cfg->ramdisk, strerror(errno));
	}
	if (xlcfg_get(cfg, "builder") != NULL) {
		xasprintf(&fix, "write type = \"%s\" instead",
		    xlcfg_type_name(cfg->type));
		lint_add(r, LINT_WARNING, "builder", "builder",
		    xlcfg_line(cfg, "builder"), NULL, fix, "builder= is "
		    "deprecated (xl's old way of saying the type)");
		free(fix);
	}
}

/* Every vif's bridge exists here (unless its script is not vif-bridge). */
static void
lint_vifs(const struct xlcfg *cfg, struct lint_report *r)
{
	const struct xlcfg_vif	*v;
	const char		*script;
	size_t			 i;
	int			 line;

	for (i = 0; i < cfg->nvifs; i++) {
		v = &cfg->vifs[i];
		line = xlcfg_item_line(cfg, "vif", i);
		if (v->script != NULL && !(v->defaulted &
		    XLCFG_VIF_DEF_SCRIPT)) {
			script = strrchr(v->script, '/');
			script = script != NULL ? script + 1 : v->script;
			if (strcmp(script, "vif-bridge") != 0)
				continue;
		}
		switch (host_bridge_state(v->bridge)) {
		case HOST_IF_BRIDGE:
			break;
		case HOST_IF_OTHER:
			lint_add(r, LINT_ERROR, "bridge-not-bridge", "vif",
			    line, "bridge", "name a bridge with bridge=, or "
			    "make one on it: xendeck wizard bridge",
			    "%s is a network interface, not a bridge",
			    v->bridge);
			break;
		default:
			lint_add(r, LINT_ERROR, "bridge-missing", "vif", line,
			    "bridge", "create it: xendeck wizard bridge (or "
			    "name an existing bridge with bridge=)",
			    "bridge %s does not exist", v->bridge);
			break;
		}
	}
}

/* A running domain of that name already. */
static void
lint_name(const struct xlcfg *cfg, const struct backend_ops *be,
    struct lint_report *r)
{
	struct dom_info	*doms = NULL;
	char		*cause = NULL, *fix;
	size_t		 n = 0, i;

	if (be == NULL || be->list(&doms, &n, &cause) != 0) {
		log_debug("%s: %s", __func__, cause != NULL ? cause : "none");
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(doms[i].name, cfg->name) != 0)
			continue;
		xasprintf(&fix, "pick another name=, or remove that one "
		    "first (xendeck destroy %s)", cfg->name);
		lint_add(r, LINT_ERROR, "name-taken", "name",
		    xlcfg_line(cfg, "name"), NULL, fix, "a domain named %s "
		    "is already running (id %d)", cfg->name, doms[i].domid);
		free(fix);
	}
	free(doms);
}

/* The parser's warnings, except on lines a finding already covers. */
static void
lint_parser_warnings(const struct xlcfg *cfg, struct lint_report *r)
{
	const char	*w, *p;
	char		*end;
	size_t		 i, j, plen = strlen(cfg->path);
	long		 line;
	int		 covered;

	for (i = 0; i < cfg->nwarnings; i++) {
		w = cfg->warnings[i];
		line = 0;
		p = w;
		if (strncmp(w, cfg->path, plen) == 0 && w[plen] == ':') {
			line = strtol(w + plen + 1, &end, 10);
			if (*end == ':')
				p = end + 1 + strspn(end + 1, " ");
			else
				line = 0;
		}
		covered = 0;
		for (j = 0; j < r->n && line > 0; j++)
			covered |= r->v[j].line == line;
		if (!covered)
			lint_add(r, LINT_WARNING, "xlcfg", NULL, (int)line,
			    NULL, NULL, "%s", p);
	}
}

/* File order; the findings about the file as a whole last. */
static void
lint_sort(struct lint_report *r)
{
	struct lint_finding	 t;
	size_t			 i, j;

	for (i = 1; i < r->n; i++) {
		t = r->v[i];
		for (j = i; j > 0; j--) {
			int	 a = r->v[j - 1].line, b = t.line;

			if ((a == 0 ? 1 << 30 : a) <= (b == 0 ? 1 << 30 : b))
				break;
			r->v[j] = r->v[j - 1];
		}
		r->v[j] = t;
	}
}

size_t
xlcfg_lint(const char *path, const struct backend_ops *be,
    struct lint_report *r)
{
	struct xlcfg	*cfg = NULL;
	char		*cause = NULL;

	memset(r, 0, sizeof *r);
	r->path = xstrdup(path);
	r->backend = be != NULL ? be->name : NULL;
	if (xlcfg_load(path, &cfg, &cause) != 0) {
		lint_parse_error(r, path, cause);
		free(cause);
		return (r->nerrors);
	}
	lint_name(cfg, be, r);
	lint_boot(cfg, r);
	lint_disks(cfg, r);
	lint_pygrub(cfg, r);
	lint_vifs(cfg, r);
	if (be != NULL && be->lint != NULL)
		be->lint(cfg, r);
	lint_parser_warnings(cfg, r);
	lint_sort(r);
	xlcfg_free(cfg);
	return (r->nerrors);
}

/*
 * The report as check-config --lint prints it: "FILE:LINE: level: key:
 * message" and "    fix: ..." per finding, then a count (caller frees).
 */
char *
lint_report_text(const struct lint_report *r)
{
	const struct lint_finding	*f;
	char				*buf = NULL;
	size_t				 len = 0, i;
	FILE				*out;

	if ((out = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	for (i = 0; i < r->n; i++) {
		f = &r->v[i];
		if (f->line > 0)
			fprintf(out, "%s:%d: ", r->path, f->line);
		else
			fprintf(out, "%s: ", r->path);
		fprintf(out, "%s: %s%s%s\n", f->level == LINT_ERROR ?
		    "error" : "warning", f->key != NULL ? f->key : "",
		    f->key != NULL ? ": " : "", f->message);
		if (f->fix != NULL)
			fprintf(out, "    fix: %s\n", f->fix);
	}
	if (r->n == 0)
		fprintf(out, "%s: no problems found%s%s%s\n", r->path,
		    r->backend != NULL ? " on the " : "", r->backend != NULL ?
		    r->backend : "", r->backend != NULL ? " backend" : "");
	else
		fprintf(out, "%s: %zu error%s, %zu warning%s%s\n", r->path,
		    r->nerrors, r->nerrors == 1 ? "" : "s", r->nwarnings,
		    r->nwarnings == 1 ? "" : "s", r->nerrors > 0 ?
		    ": create would fail" : "");
	fclose(out);
	return (buf);
}
