/*
 * pv-guest: the guide's PV guest, as xen-create-image makes it, but each
 * guest a copy-on-write clone of a template with an identity of its own:
 *
 *   xendeck wizard pv-guest --set hostname=NAME [--set memory=512M]
 *       [--set vcpus=2] [--set size=4G] [--set pool=vg0|DIR]
 *       [--set dist=bookworm] [--set network=dhcp|static --set ip=CIDR
 *       --set gateway=IP] [--set bridge=xenbr0]
 *       [--set password_file=FILE | --set ssh_key=FILE] [--set start=yes]
 *
 * The plan: build the template once (scripts/template-build, cached), copy
 * it once into the pool as the volume tmpl-DIST-KEY, clone it
 * (a thin snapshot, a qcow2 overlay, a reflink, a full copy last), grow
 * the clone to size=, give it its identity offline (`xendeck template
 * identity`: no secret on a command line, in the plan, the journal, the
 * log or the exported script), write /etc/xen/NAME.cfg, start it on
 * request. A generated root password is kept 0600 for `--password`, which
 * shows it once and removes it.
 */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wizards.h"

static const char *const pvg_networks[] = { "dhcp", "static", NULL };
static const char *const pvg_yesno[] = { "yes", "no", NULL };

/* Where a generated root password waits to be shown once. */
static char *
pvg_secret_path(const char *hostname)
{
	return (xprintf("%s/secrets/%s.password", plan_statedir(), hostname));
}

/* An RFC 1123 host name label: letters, digits, '-', 1-63. */
static int
pvg_valid_hostname(const char *v, char **cause)
{
	size_t	 n = strlen(v), i;

	if (n == 0 || n > 63 || v[0] == '-' || v[n - 1] == '-')
		goto bad;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)v[i]) && v[i] != '-')
			goto bad;
	}
	return (0);
bad:
	*cause = xprintf("hostname: '%s': 1-63 letters, digits and '-', not "
	    "starting or ending with '-'", v);
	return (-1);
}

/* A size: N[KMGT] (M without a unit). *out in bytes. */
static int
pvg_size(const char *v, uint64_t *out)
{
	char		*end;
	unsigned long long n;
	uint64_t	 mul = 1024 * 1024;

	if (!isdigit((unsigned char)*v))
		return (-1);
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0 || n == 0)
		return (-1);
	switch (toupper((unsigned char)*end)) {
	case '\0':
	case 'M':
		break;
	case 'K':
		mul = 1024;
		break;
	case 'G':
		mul = 1024ULL * 1024 * 1024;
		break;
	case 'T':
		mul = 1024ULL * 1024 * 1024 * 1024;
		break;
	default:
		return (-1);
	}
	if (*end != '\0' && end[1] != '\0' && strcasecmp(end + 1, "b") != 0 &&
	    strcasecmp(end + 1, "ib") != 0)
		return (-1);
	if (n > UINT64_MAX / mul)
		return (-1);
	*out = n * mul;
	return (0);
}

static int
pvg_valid_memory(const char *v, char **cause)
{
	uint64_t	 b;

	if (pvg_size(v, &b) != 0 || b < 128ULL * 1024 * 1024 ||
	    b > 1024ULL * 1024 * 1024 * 1024) {
		*cause = xprintf("memory: '%s': a size from 128M to 1T, "
		    "e.g. 512M or 2G", v);
		return (-1);
	}
	return (0);
}

static int
pvg_valid_size(const char *v, char **cause)
{
	uint64_t	 b;

	if (pvg_size(v, &b) != 0 || b < 1024ULL * 1024 * 1024) {
		*cause = xprintf("size: '%s': a disk size of at least 1G, "
		    "e.g. 4G", v);
		return (-1);
	}
	return (0);
}

static int
pvg_valid_vcpus(const char *v, char **cause)
{
	char	*end;
	long	 n;

	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > 128) {
		*cause = xprintf("vcpus: '%s': a number from 1 to 128", v);
		return (-1);
	}
	return (0);
}

static int
pvg_valid_pool(const char *v, char **cause)
{
	if ((v[0] == '/' && strstr(v, "/../") == NULL &&
	    strchr(v, '\n') == NULL && strchr(v, '\'') == NULL &&
	    strchr(v, '"') == NULL) || valid_name(v))
		return (0);
	*cause = xprintf("pool: '%s': a volume group name (vg0) or an "
	    "absolute directory", v);
	return (-1);
}

/* 192.0.2.10/24 (IPv4 CIDR). */
static int
pvg_valid_cidr(const char *v, char **cause)
{
	struct in_addr	 a;
	const char	*slash = strchr(v, '/');
	char		*ip = NULL, *end;
	long		 bits = -1;
	int		 ok;

	if (slash != NULL) {
		ip = xstrndup(v, slash - v);
		bits = strtol(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0')
			bits = -1;
	}
	ok = ip != NULL && inet_pton(AF_INET, ip, &a) == 1 && bits >= 1 &&
	    bits <= 32;
	free(ip);
	if (!ok) {
		*cause = xprintf("ip: '%s': an IPv4 address with its prefix "
		    "length, e.g. 192.0.2.10/24", v);
		return (-1);
	}
	return (0);
}

static int
pvg_valid_gateway(const char *v, char **cause)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, v, &a) != 1) {
		*cause = xprintf("gateway: '%s': an IPv4 address, e.g. "
		    "192.0.2.1", v);
		return (-1);
	}
	return (0);
}

static int
pvg_valid_bridge(const char *v, char **cause)
{
	if (!valid_name(v) || strlen(v) > 15) {
		*cause = xprintf("bridge: '%s': a network interface name "
		    "(at most 15 characters)", v);
		return (-1);
	}
	return (0);
}

static int
pvg_valid_path(const char *v, char **cause)
{
	if (*v == '\0' || strchr(v, '\n') != NULL) {
		*cause = xstrdup("a file name, e.g. /root/web1.pw");
		return (-1);
	}
	return (0);
}

static char *
pvg_def_memory(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("512M"));
}

static char *
pvg_def_vcpus(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("2"));
}

static char *
pvg_def_size(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("4G"));
}

/*
 * The guide's vg0 when it exists, else the first VG, else the first
 * directory pool, else vg0.
 */
static char *
pvg_def_pool(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	struct pool	*list = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL, *def = NULL;

	(void)ctx;
	(void)a;
	if (pool_list(&list, &n, &cause) != 0) {
		free(cause);
		return (xstrdup("vg0"));
	}
	for (i = 0; i < n && def == NULL; i++) {
		if (strcmp(list[i].name, "vg0") == 0)
			def = xstrdup("vg0");
	}
	for (i = 0; i < n && def == NULL; i++) {
		if (list[i].type == POOL_LVM)
			def = xstrdup(list[i].name);
	}
	/* No VG: a directory pool set up here (the embedded default's). */
	for (i = 0; i < n && def == NULL; i++) {
		if (list[i].type == POOL_DIR)
			def = xstrdup(list[i].name);
	}
	pool_list_free(list, n);
	return (def != NULL ? def : xstrdup("vg0"));
}

static char *
pvg_def_dist(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup(template_dists[0]));
}

static char *
pvg_def_network(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	return (xstrdup(wiz_get(a, "ip") != NULL ? "static" : "dhcp"));
}

static char *
pvg_def_bridge(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup(XLCFG_DEFAULT_BRIDGE));
}

static char *
pvg_def_start(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("no"));
}

static const struct wiz_field pvg_fields[] = {
	{ .key = "hostname", .prompt = "Host name of the new guest",
	  .explain = "xen-create-image's --hostname: the guest's name, its "
	    "domain's name, its volume's name and /etc/xen/NAME.cfg.",
	  .flags = WIZ_REQUIRED, .valid = pvg_valid_hostname },
	{ .key = "memory", .prompt = "Memory",
	  .explain = "--memory: 512M is the guide's choice.",
	  .flags = WIZ_NUMBER, .def = pvg_def_memory,
	  .valid = pvg_valid_memory },
	{ .key = "vcpus", .prompt = "Virtual CPUs",
	  .explain = "--vcpus.", .flags = WIZ_NUMBER, .def = pvg_def_vcpus,
	  .valid = pvg_valid_vcpus },
	{ .key = "size", .prompt = "Disk size",
	  .explain = "--size: the guest's root filesystem (at least the "
	    "template's). A clone takes space only as the guest writes.",
	  .flags = WIZ_NUMBER, .def = pvg_def_size, .valid = pvg_valid_size },
	{ .key = "pool", .prompt = "Pool (volume group or image directory)",
	  .explain = "--lvm=vg0 or --dir: the guide's volume group vg0 (a "
	    "thin pool in it makes clones instant), or a directory of "
	    "images (qcow2 overlays).",
	  .def = pvg_def_pool, .valid = pvg_valid_pool },
	{ .key = "dist", .prompt = "Debian release",
	  .explain = "--dist: the template's release.",
	  .choices = template_dists, .def = pvg_def_dist },
	{ .key = "network", .prompt = "Network (DHCP or a static address)",
	  .explain = "--dhcp, or --ip/--gateway: eth0's settings in the "
	    "guest's /etc/network/interfaces.",
	  .choices = pvg_networks, .def = pvg_def_network },
	{ .key = "ip", .prompt = "Static address (CIDR)",
	  .explain = "--ip and --netmask in one: 192.0.2.10/24.",
	  .flags = WIZ_ADVANCED, .valid = pvg_valid_cidr },
	{ .key = "gateway", .prompt = "Default gateway",
	  .explain = "--gateway.", .flags = WIZ_ADVANCED,
	  .valid = pvg_valid_gateway },
	{ .key = "bridge", .prompt = "Bridge for the guest's network",
	  .explain = "--bridge: the bridge the bridge wizard made (xenbr0).",
	  .def = pvg_def_bridge, .valid = pvg_valid_bridge },
	{ .key = "password_file", .prompt = "File holding root's password",
	  .explain = "--password, without the password on a command line: "
	    "its first line is hashed (yescrypt) into the guest. With neither "
	    "this nor ssh_key, a password is generated and shown once "
	    "(--genpass, without its log).",
	  .flags = WIZ_PATH, .valid = pvg_valid_path },
	{ .key = "ssh_key", .prompt = "Public SSH key for root",
	  .explain = "Root logs in with this key (authorized_keys); its "
	    "password stays locked.",
	  .flags = WIZ_PATH, .valid = pvg_valid_path },
	{ .key = "start", .prompt = "Start the guest when it is made",
	  .explain = "xl create /etc/xen/NAME.cfg at the end.",
	  .choices = pvg_yesno, .def = pvg_def_start },
	{ .key = NULL }
};

/* ---- facts ------------------------------------------------------------ */

struct pvg {
	const struct wiz_answers *a;
	const char	*name, *dist, *network;
	struct pool	 pool;
	int		 have_pool;
	char		*image;		/* the template's cached image */
	int		 built;
	char		*tvol;		/* its volume name in the pool */
	struct volume	 tv;		/* the volume, when it exists */
	int		 have_tv;
	uint64_t	 tsize, size, memory;
	char		*cfgpath;
};

static void
pvg_free(struct pvg *g)
{
	if (g->have_pool)
		pool_free(&g->pool);
	if (g->have_tv)
		volume_free(&g->tv);
	free(g->image);
	free(g->tvol);
	free(g->cfgpath);
}

/* Load what the plan is made from; WIZ_EINPUT or -1 with *cause. */
static int
pvg_load(const struct wiz_answers *a, struct pvg *g, char **cause)
{
	struct volume	 v;
	char		*why = NULL;
	int		 rc;

	memset(g, 0, sizeof *g);
	g->a = a;
	g->name = wiz_get(a, "hostname");
	g->dist = wiz_get(a, "dist");
	g->network = wiz_get(a, "network");
	if (pvg_size(wiz_get(a, "size"), &g->size) != 0 ||
	    pvg_size(wiz_get(a, "memory"), &g->memory) != 0) {
		*cause = xstrdup("size: not a size");
		return (WIZ_EINPUT);
	}
	if (pool_find(wiz_get(a, "pool"), &g->pool, &why) != 0) {
		*cause = xprintf("%s%s (the storage wizard makes one)",
		    strncmp(why, "pool: ", 6) == 0 ? "" : "pool: ", why);
		free(why);
		return (WIZ_EINPUT);
	}
	g->have_pool = 1;
	if ((rc = template_image(g->dist, &g->image, cause)) < 0)
		return (-1);
	g->built = rc == 1;
	if (g->image == NULL || (g->tvol = template_volume_name(g->image)) ==
	    NULL) {
		*cause = xprintf("dist: the template builder names no image "
		    "for %s", g->dist);
		return (-1);
	}
	g->tsize = template_image_size(g->image);
	if (g->tsize == 0)
		g->tsize = 2ULL * 1024 * 1024 * 1024;
	memset(&v, 0, sizeof v);
	if (volume_find(&g->pool, g->tvol, &v, &why) == 0) {
		g->tv = v;
		g->have_tv = 1;
		g->tsize = v.size;
	} else
		free(why);
	xasprintf(&g->cfgpath, "%s/%s.cfg", xen_config_dir(), g->name);
	return (0);
}

static int
pvg_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *pl, char **cause)
{
	struct pvg	 g;
	struct stat	 st;
	int		 rc;

	(void)ctx;
	if ((rc = pvg_load(a, &g, cause)) != 0) {
		pvg_free(&g);
		return (rc);
	}
	plan_fact(pl, "template image", g.built ? g.image : "not built",
	    "template");
	/* The template volume and the clone, as the pool model sees them. */
	pool_facts(pl, &g.pool, g.tvol);
	pool_facts(pl, &g.pool, g.name);
	plan_fact(pl, g.cfgpath, stat(g.cfgpath, &st) == 0 ? "exists" :
	    "absent", "config");
	pvg_free(&g);
	return (0);
}

/* ---- the plan ---------------------------------------------------------- */

/* Add a run step and free argv. */
static struct plan_step *
pvg_run(struct plan *pl, const char *id, const char *title, char **argv)
{
	struct plan_step	*s;

	s = plan_add_run(pl, id, title, argv);
	strv_free(argv);
	return (s);
}

static void
pvg_probe(struct plan_step *s, char **argv, const char *match)
{
	plan_step_probe(s, argv, match, 0);
	strv_free(argv);
}

static void
pvg_undo(struct plan_step *s, char **argv)
{
	plan_step_undo(s, argv);
	strv_free(argv);
}

/* Refuse a guest whose name is taken: config, volume, domain. */
static int
pvg_refuse_taken(const struct wiz_ctx *ctx, struct pvg *g, char **cause)
{
	struct volume	 v;
	struct dom_info	*doms = NULL;
	struct stat	 st;
	char		*why = NULL;
	size_t		 n = 0, i;
	int		 taken = 0;

	if (stat(g->cfgpath, &st) == 0) {
		*cause = xprintf("hostname: %s exists: pick another name, or "
		    "remove that guest first", g->cfgpath);
		return (WIZ_EINPUT);
	}
	memset(&v, 0, sizeof v);
	if (volume_find(&g->pool, g->name, &v, &why) == 0) {
		*cause = xprintf("hostname: the pool %s already has a volume "
		    "%s (%s)", g->pool.name, g->name, v.path);
		volume_free(&v);
		return (WIZ_EINPUT);
	}
	free(why);
	why = NULL;
	if (ctx->be != NULL && ctx->be->list(&doms, &n, &why) == 0) {
		for (i = 0; i < n; i++) {
			if (strcmp(doms[i].name, g->name) == 0)
				taken = 1;
		}
		free(doms);
	}
	free(why);
	if (taken) {
		*cause = xprintf("hostname: a domain named %s exists",
		    g->name);
		return (WIZ_EINPUT);
	}
	return (0);
}

static int
pvg_bridge_exists(const char *name)
{
	struct stat	 st;
	char		*path;
	int		 rc;

	path = xprintf("/sys/class/net/%s/bridge", name);
	rc = stat(path, &st) == 0;
	free(path);
	return (rc);
}

/* The programs the plan runs that a minimal host may lack. */
static int
pvg_check_tools(struct pvg *g, char **cause)
{
	static const struct {
		const char	*prog, *pkg;
		int		 need;	/* 1 always, 2 dir pools, 3 to build */
	} tools[] = {
		{ "ssh-keygen", "openssh-client", 1 },
		{ "qemu-img", "qemu-utils", 2 },
		{ "qemu-storage-daemon", "qemu-system-common", 2 },
		{ "mkfs.ext4", "e2fsprogs", 3 },
	};
	char	*p = NULL;
	size_t	 i;

	for (i = 0; i < nitems(tools); i++) {
		if ((tools[i].need == 2 && g->pool.type != POOL_DIR) ||
		    (tools[i].need == 3 && g->built))
			continue;
		if ((p = spawn_which(tools[i].prog)) != NULL) {
			free(p);
			continue;
		}
		*cause = xprintf("%s is missing: apt-get install %s",
		    tools[i].prog, tools[i].pkg);
		return (-1);
	}
	p = NULL;
	if (!g->built && (p = spawn_which("mmdebstrap")) == NULL &&
	    (p = spawn_which("debootstrap")) == NULL) {
		*cause = xstrdup("the template needs mmdebstrap (or "
		    "debootstrap): apt-get install mmdebstrap");
		return (-1);
	}
	free(p);
	return (0);
}

/* Cross-field checks and the files the answers name. */
static int
pvg_check_answers(const struct wiz_answers *a, char **cause)
{
	const char	*net = wiz_get(a, "network"), *pw, *key;
	struct stat	 st;

	if (strcmp(net, "static") == 0 && wiz_get(a, "ip") == NULL) {
		*cause = xstrdup("ip: network=static needs ip=ADDRESS/PREFIX");
		return (WIZ_EINPUT);
	}
	if (strcmp(net, "dhcp") == 0 && (wiz_get(a, "ip") != NULL ||
	    wiz_get(a, "gateway") != NULL)) {
		*cause = xprintf("%s: only with network=static",
		    wiz_get(a, "ip") != NULL ? "ip" : "gateway");
		return (WIZ_EINPUT);
	}
	pw = wiz_get(a, "password_file");
	key = wiz_get(a, "ssh_key");
	if (pw != NULL && key != NULL) {
		*cause = xstrdup("password_file: give password_file or "
		    "ssh_key, not both");
		return (WIZ_EINPUT);
	}
	if (pw != NULL) {
		if (stat(pw, &st) != 0 || !S_ISREG(st.st_mode) ||
		    access(pw, R_OK) != 0) {
			*cause = xprintf("password_file: %s: %s", pw,
			    errno != 0 ? strerror(errno) : "not a file");
			return (WIZ_EINPUT);
		}
		if (st.st_mode & 0077) {
			*cause = xprintf("password_file: %s is readable by "
			    "others (mode %03o): chmod 600 it", pw,
			    (unsigned)(st.st_mode & 0777));
			return (WIZ_EINPUT);
		}
	}
	if (key != NULL && identity_check_ssh_key(key, cause) != 0) {
		char	*c = xprintf("ssh_key: %s", *cause);

		free(*cause);
		*cause = c;
		return (WIZ_EINPUT);
	}
	return (0);
}

/*
 * The template volume, copied in once: created by the pool model, filled
 * from the cached image (sparse: only the blocks in use are written), then
 * made read-only, since every clone shares its blocks.
 */
static int
pvg_plan_template_volume(struct plan *pl, struct pvg *g, char **cause)
{
	struct plan_step	*s;
	char			*path, *title, *ifarg, *ofarg;
	int			 rc;

	if ((rc = pool_plan_create(pl, &g->pool, g->tvol, g->tsize, "raw",
	    cause)) != 0)
		return (rc);
	path = pool_volume_path(&g->pool, g->tvol, "raw");
	title = xprintf("Copy the %s template into %s", g->dist, path);
	ifarg = xprintf("if=%s", g->image);
	ofarg = xprintf("of=%s", path);
	s = pvg_run(pl, "template-copy", title, strv_new("dd", ifarg, ofarg,
	    "bs=1M", "conv=sparse,notrunc,fsync", "status=none", NULL));
	plan_step_explain(s, "Written once per pool; only the blocks the "
	    "template uses are written (conv=sparse).");
	pvg_probe(s, strv_new("cmp", "-s", g->image, path, NULL), NULL);
	s->flags |= PLAN_RERUN;
	/*
	 * A qcow2 overlay reads the blocks it has not written from its
	 * backing image, so that image must never change: read-only. Thin
	 * snapshots share blocks copy-on-write both ways; a write to the
	 * template would not reach them (and LVM would make snapshots of a
	 * read-only volume read-only too).
	 */
	if (g->pool.type == POOL_DIR) {
		s = pvg_run(pl, "template-readonly", "Make the template image "
		    "read-only", strv_new("chmod", "0444", path, NULL));
		pvg_probe(s, strv_new("test", "!", "-w", path, NULL), NULL);
		plan_step_explain(s, "Every clone (a qcow2 overlay) reads what "
		    "it has not written from this image: nothing may write "
		    "to it while clones exist.");
	}
	free(title);
	free(ifarg);
	free(ofarg);
	free(path);
	return (0);
}

/* The pool model's facts about volume NAME change with step ID. */
static void
pvg_facts_changed_by(struct plan *pl, const char *name, const char *id)
{
	struct plan_fact	*f;
	const char		*p;
	size_t			 i, n = strlen(name);

	for (i = 0; i < pl->nfacts; i++) {
		f = &pl->facts[i];
		if (strncmp(f->key, "volume ", 7) != 0)
			continue;
		for (p = strstr(f->key, name); p != NULL;
		    p = strstr(p + 1, name)) {
			if (p[-1] == '/' && (p[n] == '\0' || p[n] == ' ' ||
			    p[n] == '.')) {
				free(f->changed_by);
				f->changed_by = xstrdup(id);
				break;
			}
		}
	}
}

/*
 * The clone when the template volume is made by this same plan (the first
 * guest in a pool): pool_plan_clone() plans from volumes that exist, so
 * these are its shapes, planned here: a thin snapshot (-kn, then udevadm
 * settle) of a thin template, a qcow2 overlay in a directory.
 */
static int
pvg_plan_first_clone(struct plan *pl, struct pvg *g, char **path,
    char **format, char **cause)
{
	struct plan_step	*s;
	char			*title, *origin, *lv;

	if (g->pool.type == POOL_LVM && g->pool.thinpool == NULL) {
		*cause = xprintf("pool: %s has no thin pool: clones of the "
		    "template would be classic snapshots that fill up (the "
		    "storage wizard's thin= makes one)", g->pool.name);
		return (WIZ_EINPUT);
	}
	pvg_facts_changed_by(pl, g->name, "clone");
	if (g->pool.type == POOL_LVM) {
		*format = xstrdup("raw");
		*path = pool_volume_path(&g->pool, g->name, "raw");
		origin = xprintf("%s/%s", g->pool.name, g->tvol);
		lv = xprintf("%s/%s", g->pool.name, g->name);
		title = xprintf("Clone %s as the thin snapshot %s", origin, lv);
		s = pvg_run(pl, "clone", title, strv_new("lvcreate", "-s", "-kn",
		    "-n", g->name, origin, NULL));
		plan_step_explain(s, "A thin snapshot shares every block with "
		    "the template until the guest writes it: no space, no "
		    "time. -kn clears the activation-skip flag thin snapshots "
		    "get, so %s appears.", *path);
		pvg_probe(s, strv_new("lvs", lv, NULL), NULL);
		pvg_undo(s, strv_new("lvremove", "-f", lv, NULL));
		s = pvg_run(pl, "clone-settle", "Wait for udev to make the "
		    "device node", strv_new("udevadm", "settle", NULL));
		pvg_probe(s, strv_new("test", "-b", *path, NULL), NULL);
		s->flags |= PLAN_RERUN;
		free(origin);
		free(lv);
	} else {
		*format = xstrdup("qcow2");
		*path = pool_volume_path(&g->pool, g->name, "qcow2");
		origin = pool_volume_path(&g->pool, g->tvol, "raw");
		title = xprintf("Clone %s as the qcow2 overlay %s", g->tvol,
		    *path);
		s = pvg_run(pl, "clone", title, strv_new("qemu-img", "create", "-q",
		    "-f", "qcow2", "-b", origin, "-F", "raw", *path, NULL));
		plan_step_explain(s, "The overlay holds only what the guest "
		    "writes; it reads the rest from the template.");
		pvg_probe(s, strv_new("test", "-e", *path, NULL), NULL);
		pvg_undo(s, strv_new("rm", "-f", "--", *path, NULL));
		free(origin);
	}
	free(title);
	return (0);
}

/* Grow the clone to size= (the identity step grows its filesystem). */
static void
pvg_plan_grow(struct plan *pl, struct pvg *g, const char *path,
    const char *format)
{
	struct plan_step	*s;
	char			*bytes, *title, *lv, *want;

	if (g->size <= g->tsize)
		return;
	bytes = xprintf("%llu", (unsigned long long)g->size);
	title = xprintf("Grow %s to %s", path, wiz_get(g->a, "size"));
	if (g->pool.type == POOL_LVM) {
		lv = xprintf("%s/%s", g->pool.name, g->name);
		want = xprintf("%sb", bytes);
		s = pvg_run(pl, "grow", title, strv_new("lvextend", "-L", want, lv,
		    NULL));
		free(want);
		want = xprintf("%sB", bytes);
		pvg_probe(s, strv_new("lvs", "--noheadings", "--units", "B",
		    "--nosuffix", "-o", "lv_size", lv, NULL), bytes);
		free(want);
		free(lv);
	} else {
		s = pvg_run(pl, "grow", title, strv_new("qemu-img", "resize", "-q",
		    "-f", format, path, bytes, NULL));
		want = xprintf("\"virtual-size\": %s,", bytes);
		pvg_probe(s, strv_new("qemu-img", "info", "-U", "--output=json",
		    path, NULL), want);
		free(want);
	}
	plan_step_explain(s, "The clone starts at the template's size; the "
	    "next step grows its filesystem to fill it (resize2fs, offline).");
	free(title);
	free(bytes);
}

/* The domain file: the guide's, as xen-create-image writes it. */
static char *
pvg_config(struct pvg *g, const char *path, const char *format,
    const char *mac)
{
	char	*s, *disk;

	if (strcmp(format, "raw") == 0)
		disk = xprintf("format=raw, vdev=xvda, access=rw, target=%s",
		    path);
	else
		disk = xprintf("format=%s, vdev=xvda, access=rw, "
		    "backendtype=qdisk, target=%s", format, path);
	xasprintf(&s,
	    "# %s: a PV guest made by xendeck's pv-guest wizard, a clone of "
	    "the\n"
	    "# %s template with its own identity (xl.cfg(5)).\n"
	    "name        = \"%s\"\n"
	    "type        = \"pv\"\n"
	    "memory      = %llu\n"
	    "vcpus       = %s\n"
	    "bootloader  = \"pygrub\"\n"
	    "disk        = [ '%s' ]\n"
	    "vif         = [ 'mac=%s, bridge=%s' ]\n"
	    "on_poweroff = \"destroy\"\n"
	    "on_reboot   = \"restart\"\n"
	    "on_crash    = \"restart\"\n",
	    g->name, g->dist, g->name,
	    (unsigned long long)(g->memory / (1024 * 1024)),
	    wiz_get(g->a, "vcpus"), disk, mac, wiz_get(g->a, "bridge"));
	free(disk);
	return (s);
}

static int
pvg_plan(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *pl, char **cause)
{
	struct pvg		 g;
	struct plan_step	*s;
	struct volume		 v;
	char			**argv = NULL, *path = NULL, *format = NULL;
	char			*title = NULL, *cfg = NULL, *secret = NULL;
	char			 mac[18], *why = NULL, **build = NULL;
	const char		*pw, *key;
	int			 rc;

	if ((rc = pvg_check_answers(a, cause)) != 0)
		return (rc);
	if ((rc = pvg_load(a, &g, cause)) != 0)
		goto out;
	if ((rc = pvg_refuse_taken(ctx, &g, cause)) != 0)
		goto out;
	if (g.size < g.tsize) {
		*cause = xprintf("size: at least %llu M (the template's size)",
		    (unsigned long long)(g.tsize / (1024 * 1024)));
		rc = WIZ_EINPUT;
		goto out;
	}
	rc = -1;
	if ((rc = pvg_check_tools(&g, cause)) != 0)
		goto out;
	rc = -1;
	if (!pvg_bridge_exists(wiz_get(a, "bridge"))) {
		if (strcmp(wiz_get(a, "start"), "yes") == 0) {
			*cause = xprintf("bridge: %s does not exist, so the "
			    "guest cannot start (the bridge wizard makes it, "
			    "or name another with bridge=)",
			    wiz_get(a, "bridge"));
			rc = WIZ_EINPUT;
			goto out;
		}
		plan_note(pl, "The bridge %s does not exist yet: make it (the "
		    "bridge wizard) before starting %s.", wiz_get(a, "bridge"),
		    g.name);
	}
	if (identity_mac(mac, cause) != 0)
		goto out;
	pl->title = xprintf("PV guest %s (%s) in %s", g.name, g.dist,
	    g.pool.name);

	/* 1. The template, built once and cached. */
	if (!g.built) {
		if ((build = template_build_argv(g.dist, cause)) == NULL)
			goto out;
		title = xprintf("Build the %s template (once: download, "
		    "unpack, configure, kernel, image)", g.dist);
		s = plan_add_run(pl, "template", title, build);
		plan_step_explain(s, "xen-create-image runs debootstrap and "
		    "installs a kernel for every guest (3.5 minutes here); "
		    "xendeck does it once, with mmdebstrap, into %s, and "
		    "keeps the .debs for the next build.", g.image);
		strv_push(&build, "--print");
		plan_step_probe(s, build, NULL, 0);
		free(title);
		title = NULL;
	}
	/* 2. The template volume in the pool, copied in once. */
	if (!g.have_tv && (rc = pvg_plan_template_volume(pl, &g,
	    cause)) != 0)
		goto out;
	rc = -1;
	/* 3. The clone, grown to size=. */
	if (g.have_tv) {
		if ((rc = pool_plan_clone(pl, &g.pool, g.tvol, g.name,
		    cause)) != 0)
			goto out;
		rc = -1;
		/* Its path: an overlay (or a copy) in a directory, an LV. */
		if (g.pool.type == POOL_DIR) {
			format = xstrdup(spawn_which("qemu-img") != NULL ?
			    "qcow2" : "raw");
			path = pool_volume_path(&g.pool, g.name, format);
		} else {
			format = xstrdup("raw");
			path = pool_volume_path(&g.pool, g.name, "raw");
		}
	} else if ((rc = pvg_plan_first_clone(pl, &g, &path, &format,
	    cause)) != 0)
		goto out;
	rc = -1;
	pvg_plan_grow(pl, &g, path, format);

	/* 4. Its identity, offline. */
	strv_push(&argv, "xendeck");
	strv_push(&argv, "template");
	strv_push(&argv, "identity");
	strv_push(&argv, "--format");
	strv_push(&argv, format);
	strv_push(&argv, "--hostname");
	strv_push(&argv, g.name);
	pw = wiz_get(a, "password_file");
	key = wiz_get(a, "ssh_key");
	if (pw != NULL) {
		strv_push(&argv, "--password-file");
		strv_push(&argv, pw);
	} else if (key != NULL) {
		strv_push(&argv, "--ssh-key");
		strv_push(&argv, key);
	} else {
		secret = pvg_secret_path(g.name);
		strv_push(&argv, "--generate-password");
		strv_push(&argv, secret);
	}
	if (strcmp(g.network, "static") == 0) {
		strv_push(&argv, "--ip");
		strv_push(&argv, wiz_get(a, "ip"));
		if (wiz_get(a, "gateway") != NULL) {
			strv_push(&argv, "--gateway");
			strv_push(&argv, wiz_get(a, "gateway"));
		}
	}
	strv_push(&argv, path);
	title = xprintf("Give %s its own identity (hostname, machine-id, SSH "
	    "host keys, root %s, %s)", g.name, key != NULL ? "key" :
	    "password", strcmp(g.network, "static") == 0 ? wiz_get(a, "ip") :
	    "DHCP");
	s = plan_add_op(pl, "identity", title, argv);
	plan_step_explain(s, "Written into the clone's filesystem through "
	    "libext2fs, before it ever boots and without mounting it: "
	    "xen-create-image's copies share the first guest's SSH host keys "
	    "and machine-id, and its log keeps the root password. The "
	    "password stays in its file (or, generated, in a 0600 file for "
	    "--password): none is on this command line, in its output, the "
	    "journal or the log.");
	s->flags |= PLAN_RERUN;
	free(title);
	title = NULL;

	/* 5. The domain file. */
	cfg = pvg_config(&g, path, format, mac);
	title = xprintf("Write %s", g.cfgpath);
	s = plan_add_file(pl, "config", title, g.cfgpath, cfg, strlen(cfg),
	    0644, cause);
	if (s == NULL)
		goto out;
	plan_step_explain(s, "The guide's domain file: pygrub boots the "
	    "kernel the guest's own /boot/grub/grub.cfg names, the volume is "
	    "xvda, the vif has a MAC of its own on %s.",
	    wiz_get(a, "bridge"));

	/* 6. Start it. */
	if (strcmp(wiz_get(a, "start"), "yes") == 0) {
		strv_free(argv);
		argv = strv_new("xendeck", "create", g.cfgpath, NULL);
		free(title);
		title = xprintf("Start %s (xl create %s)", g.name, g.cfgpath);
		s = plan_add_op(pl, "start", title, argv);
		strv_free(argv);
		argv = strv_new("xendeck", "list", g.name, NULL);
		plan_step_probe(s, argv, NULL, 0);
		strv_free(argv);
		argv = strv_new("xendeck", "destroy", "--yes", g.name, NULL);
		plan_step_undo(s, argv);
	}

	if (secret != NULL)
		plan_note(pl, "A root password will be generated: `xendeck "
		    "wizard pv-guest --set hostname=%s --password` shows it "
		    "once, then it is gone (it is in no log).", g.name);
	plan_note(pl, "If a step fails, --resume continues where it stopped "
	    "and --undo removes what this run made (the clone, its config, "
	    "its domain); nothing is left half-made.");
	memset(&v, 0, sizeof v);
	rc = 0;
out:
	free(why);
	strv_free(argv);
	strv_free(build);
	free(path);
	free(format);
	free(title);
	free(cfg);
	free(secret);
	pvg_free(&g);
	return (rc);
}

/* --password: show a generated root password once, then forget it. */
static int
pvg_action(const struct wiz_ctx *ctx, const char *action,
    const struct wiz_answers *a, char **cause)
{
	char		*path, *buf = NULL;
	size_t		 len;
	int		 fd;

	(void)ctx;
	if (strcmp(action, "password") != 0) {
		*cause = xprintf("unknown action %s", action);
		return (-1);
	}
	path = pvg_secret_path(wiz_get(a, "hostname"));
	if (file_read(path, &buf, &len, cause) != 0) {
		free(*cause);
		*cause = xprintf("hostname: no generated password waits for "
		    "%s (it was shown already, or none was generated)",
		    wiz_get(a, "hostname"));
		free(path);
		return (-1);
	}
	printf("root password of %s: %.*s\n", wiz_get(a, "hostname"),
	    (int)strcspn(buf, "\n"), buf);
	printf("(shown once: it is not kept anywhere now)\n");
	fflush(stdout);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) != -1) {
		memset(buf, 0, len);
		if (write(fd, buf, len) == -1)
			log_debug("%s: %s", path, strerror(errno));
		fsync(fd);
		close(fd);
	}
	unlink(path);
	explicit_bzero(buf, len);
	free(buf);
	free(path);
	return (0);
}

/* After an apply from the console: the guest's console, if started. */
static char *
pvg_console_after(const struct wiz_answers *a)
{
	const char	*start = wiz_get(a, "start");

	if (start == NULL || strcmp(start, "yes") != 0)
		return (NULL);
	return (xstrdup(wiz_get(a, "hostname")));
}

static const char *const pvg_actions[] = { "password", NULL };

const struct wizard wiz_pv_guest = {
	.name = "pv-guest",
	.summary = "a Debian PV guest in seconds: a clone of a template with "
	    "its own identity",
	.guide =
	    "The guide runs, for each guest:\n"
	    "  xen-create-image --hostname=NAME --memory=512mb --vcpus=2 "
	    "--lvm=vg0\n"
	    "      --dhcp --pygrub --dist=bookworm\n"
	    "--hostname names the guest, --memory and --vcpus size it, "
	    "--lvm=vg0 puts\n"
	    "its disk and swap in LVs of vg0 (--dir=DIR: image files), "
	    "--dhcp (or\n"
	    "--ip/--netmask/--gateway) sets eth0, --pygrub makes the domain "
	    "boot the\n"
	    "kernel inside the guest, --dist picks the release; it "
	    "debootstraps\n"
	    "Debian and installs a kernel into every new guest (3.5 minutes "
	    "here;\n"
	    "--install-method=copy 24 s), generates a root password and "
	    "writes it\n"
	    "in clear to /var/log/xen-tools/NAME.log, and its copies share "
	    "the first\n"
	    "guest's SSH host keys and machine-id.\n"
	    "xendeck builds the template once (mmdebstrap, cached), clones "
	    "it\n"
	    "copy-on-write (a thin snapshot, a qcow2 overlay), and gives each "
	    "clone\n"
	    "its own hostname, machine-id, SSH host keys, random seed, root "
	    "password\n"
	    "hash or SSH key and network settings before it first boots, "
	    "without\n"
	    "mounting it: the second guest is ready in about a second, and "
	    "no secret\n"
	    "reaches a log. Differences on purpose: no swap volume (add one "
	    "with the\n"
	    "volume wizard), the root filesystem is the whole disk (xvda), "
	    "and the\n"
	    "MAC is random (xen-create-image hashes the hostname).",
	.fields = pvg_fields,
	.facts = pvg_facts,
	.plan = pvg_plan,
	.actions = pvg_actions,
	.action = pvg_action,
	.console_after = pvg_console_after,
};
