/*
 * hvm-guest: the guide's HVM guest (its windows.cfg), from an ISO to the
 * installer on a VNC screen in one flow. It makes the guest's disk in a
 * pool (pool_plan_create: zeroed, so no old guest's data shows through),
 * writes a modern xl.cfg -- type="hvm", the disk, the ISO as the CD, the
 * NIC model, a serial port, VNC on 127.0.0.1 with a password -- with, as
 * comments, how it differs from the guide's file line by line, and starts
 * the domain when asked; the console then opens its built-in VNC viewer.
 *
 * The password: generated (or taken from vnc_password_file) by a secret
 * step straight into the 0600 config (xl reads it from there), never in
 * the plan, the journal, a log or an exported script; the wizard's done()
 * tells it once. Where the device model cannot take a password -- Debian
 * 12's qemu-system-xen has no DES, and any vncpasswd stops it -- there is
 * none, and the screen listens on 127.0.0.1 only: the wizard says so
 * rather than write a file that cannot start.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wizards.h"

static char	*hvm_def_pool(const struct wiz_ctx *, const struct wiz_answers *);
static char	*hvm_def_memory(const struct wiz_ctx *,
		    const struct wiz_answers *);
static char	*hvm_def_vcpus(const struct wiz_ctx *, const struct wiz_answers *);
static char	*hvm_def_cfg(const struct wiz_ctx *, const struct wiz_answers *);
static char	*hvm_def_size(const struct wiz_ctx *, const struct wiz_answers *);
static char	*hvm_def_nic(const struct wiz_ctx *, const struct wiz_answers *);
static char	*hvm_def_bridge(const struct wiz_ctx *,
		    const struct wiz_answers *);
static char	*hvm_def_start(const struct wiz_ctx *, const struct wiz_answers *);
static int	 hvm_valid_name(const char *, char **);
static int	 hvm_valid_iso(const char *, char **);
static int	 hvm_valid_size(const char *, char **);
static int	 hvm_valid_pool(const char *, char **);
static int	 hvm_valid_memory(const char *, char **);
static int	 hvm_valid_vcpus(const char *, char **);
static int	 hvm_valid_bridge(const char *, char **);
static int	 hvm_valid_file(const char *, char **);
static int	 hvm_facts(const struct wiz_ctx *, const struct wiz_answers *,
		    struct plan *, char **);
static int	 hvm_plan(const struct wiz_ctx *, const struct wiz_answers *,
		    struct plan *, char **);
static int	 hvm_candidates(const struct wiz_ctx *, const char *,
		    struct wiz_candidate **, size_t *, char **);
static int	 hvm_done(const struct wiz_ctx *, const struct wiz_answers *,
		    char **, char **, char **);

static const char *const hvm_nics[] = { "e1000", "rtl8139", NULL };
static const char *const hvm_yesno[] = { "yes", "no", NULL };

static const struct wiz_field hvm_fields[] = {
	{ .key = "name",
	  .prompt = "Domain name",
	  .explain = "The guest's name (the guide's ovm-1734): letters, "
	      "digits, '_', '.' and '-'. Its disk and /etc/xen/NAME.cfg are "
	      "named after it.",
	  .flags = WIZ_REQUIRED,
	  .valid = hvm_valid_name },
	{ .key = "iso",
	  .prompt = "Installer ISO",
	  .explain = "The installer's ISO image (the guide's /root/"
	      "windows.iso): its volume label, size and kind -- a Windows or "
	      "a Linux installer -- are read from the image, and it must be "
	      "readable by root, whom the device model runs as.",
	  .flags = WIZ_REQUIRED | WIZ_PATH,
	  .valid = hvm_valid_iso },
	{ .key = "size",
	  .prompt = "Disk size (32G, 512M)",
	  .explain = "The guest's disk, made in the pool and zeroed. Windows "
	      "11 wants 64G, Windows Server 2022 and 10 32G.",
	  .flags = WIZ_NUMBER,
	  .def = hvm_def_size,
	  .valid = hvm_valid_size },
	{ .key = "pool",
	  .prompt = "Pool (volume group, or image directory)",
	  .explain = "Where the disk is made: an LVM volume group such as the "
	      "guide's vg0 (a logical volume /dev/vg0/NAME), or a directory "
	      "pool (an image NAME.img). The storage wizard sets pools up.",
	  .def = hvm_def_pool,
	  .valid = hvm_valid_pool },
	{ .key = "memory",
	  .prompt = "Memory (4G, 2048M)",
	  .explain = "RAM for the guest (the guide's 4096). The default is "
	      "4G, less when the host has less free.",
	  .flags = WIZ_NUMBER,
	  .def = hvm_def_memory,
	  .valid = hvm_valid_memory },
	{ .key = "vcpus",
	  .prompt = "Virtual CPUs",
	  .explain = "The guide gives 4; 2 is the default (at most the "
	      "host's CPUs).",
	  .flags = WIZ_NUMBER,
	  .def = hvm_def_vcpus,
	  .valid = hvm_valid_vcpus },
	{ .key = "nic",
	  .prompt = "Network card model",
	  .explain = "What the guest sees: e1000 (an Intel card whose driver "
	      "every Windows since XP and every Linux has), or rtl8139 (xl's "
	      "default when the guide's vif names none).",
	  .def = hvm_def_nic,
	  .choices = hvm_nics },
	{ .key = "bridge",
	  .prompt = "Bridge (none: no network)",
	  .explain = "The bridge the card joins (the guide's xenbr0, made by "
	      "the bridge wizard); none gives the guest no network card.",
	  .def = hvm_def_bridge,
	  .valid = hvm_valid_bridge },
	{ .key = "vnc_password_file",
	  .prompt = "VNC password file (empty: generate one)",
	  .explain = "A file whose first line is the VNC password (VNC uses "
	      "8 characters at most). Without it one is generated and shown "
	      "once. Debian 12's qemu-system-xen cannot take a password at "
	      "all: on Xen there is none, and the screen is on 127.0.0.1 "
	      "only.",
	  .flags = WIZ_PATH | WIZ_ADVANCED,
	  .valid = hvm_valid_file },
	{ .key = "start",
	  .prompt = "Start it now",
	  .explain = "yes: create the domain at the end; it boots the "
	      "installer, and the console opens its screen.",
	  .def = hvm_def_start,
	  .choices = hvm_yesno },
	{ .key = "cfg",
	  .prompt = "Where the xl.cfg goes",
	  .explain = "The domain's configuration file, /etc/xen/NAME.cfg "
	      "(where xl looks), mode 0600: it holds the VNC password.",
	  .flags = WIZ_PATH | WIZ_ADVANCED,
	  .def = hvm_def_cfg,
	  .valid = hvm_valid_file },
	{ .key = NULL }
};

const struct wizard wiz_hvm_guest = {
	.name = "hvm-guest",
	.summary = "an HVM guest from an installer ISO, on a VNC screen "
	    "(the guide's windows.cfg, as Debian 12 needs it)",
	.guide =
	    "The guide makes an HVM guest with an LV (lvcreate -n windows -L "
	    "20G vg0), a\n"
	    "windows.cfg written by hand, `xl create windows.cfg` and a VNC "
	    "client; after\n"
	    "the install it edits boot=\"d\" to \"c\". On Debian 12 that file "
	    "fails:\n"
	    "  kernel = \"/usr/lib/xen-4.0/boot/hvmloader\"  gone; xl finds "
	    "hvmloader itself\n"
	    "  builder = 'hvm'                 deprecated: type = \"hvm\"\n"
	    "  device_model_version = 'qemu-xen-traditional'\n"
	    "                                  gone: qemu-xen "
	    "(qemu-system-xen) is the default\n"
	    "  vnclisten = \"\"                  every address, with\n"
	    "  vncpasswd = \"\"                  no password at all: "
	    "127.0.0.1 and a password\n"
	    "  boot = \"d\"                      the default \"cd\" tries the "
	    "disk first: no edit\n"
	    "                                  after the install\n"
	    "  vif = ['bridge=xenbr0']         the card's model named "
	    "(e1000)\n"
	    "This wizard makes the disk in a pool (zeroed), writes "
	    "/etc/xen/NAME.cfg with\n"
	    "these differences as comments, sets a generated VNC password "
	    "(shown once)\n"
	    "and starts the guest if asked. Debian 12's qemu-system-xen has "
	    "no DES, so\n"
	    "on Xen any vncpasswd stops the device model: there the screen "
	    "has no\n"
	    "password and listens on 127.0.0.1 only (xendeck vnc NAME on "
	    "dom0, or an\n"
	    "SSH tunnel). After the install: xendeck cd-eject NAME.\n"
	    "\n"
	    "  xendeck wizard hvm-guest --set name=win1 --set "
	    "iso=/srv/iso/win.iso --apply\n"
	    "  xendeck wizard hvm-guest --set name=deb1 --set iso=... --set "
	    "size=16G --set memory=2G --set start=yes --apply",
	.fields = hvm_fields,
	.facts = hvm_facts,
	.plan = hvm_plan,
	.candidates = hvm_candidates,
	.done = hvm_done,
};

/* ---- defaults and validators ------------------------------------- */

static char *
hvm_def_size(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("32G"));
}

/* vg0 if there is one (the guide's), else the only VG, else images. */
static char *
hvm_def_pool(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	struct pool	*pools = NULL;
	char		*cause = NULL, *def = NULL;
	size_t		 n = 0, i, nvg = 0, vg = 0;

	(void)ctx;
	(void)a;
	if (pool_list(&pools, &n, &cause) != 0) {
		free(cause);
		return (pool_default_dir());
	}
	for (i = 0; i < n; i++) {
		if (pools[i].type != POOL_LVM)
			continue;
		if (strcmp(pools[i].name, "vg0") == 0)
			def = xstrdup("vg0");
		nvg++;
		vg = i;
	}
	if (def == NULL && nvg == 1)
		def = xstrdup(pools[vg].name);
	pool_list_free(pools, n);
	return (def != NULL ? def : pool_default_dir());
}

/* 4G, or what the host has free (half of it) when that is less. */
static char *
hvm_def_memory(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	struct host_info	 h;
	char			*cause = NULL;
	uint64_t		 mib;

	(void)a;
	memset(&h, 0, sizeof h);
	if (ctx->be == NULL || ctx->be->host_info(&h, &cause) != 0 ||
	    h.free_kb == 0) {
		free(cause);
		return (xstrdup("4G"));
	}
	mib = h.free_kb / 1024;
	if (mib >= 4096 + 512)
		return (xstrdup("4G"));
	mib = (mib / 2) / 256 * 256;
	if (mib < 512)
		mib = 512;
	return (xprintf("%lluM", (unsigned long long)mib));
}

static char *
hvm_def_vcpus(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	(void)ctx;
	(void)a;
	return (xstrdup(n == 1 ? "1" : "2"));
}

static char *
hvm_def_cfg(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	const char	*name = wiz_get(a, "name");

	(void)ctx;
	if (name == NULL)
		return (NULL);
	return (xprintf("%s/%s.cfg", xen_config_dir(), name));
}

static char *
hvm_def_nic(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("e1000"));
}

static char *
hvm_def_bridge(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup(XLCFG_DEFAULT_BRIDGE));
}

static char *
hvm_def_start(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("no"));
}

static int
hvm_valid_name(const char *s, char **cause)
{
	if (!valid_name(s) || s[0] == '-') {
		*cause = xprintf("name: '%s' is not a domain name (1 to %d "
		    "letters, digits, '_', '.', '-')", s, NAME_MAX_LEN);
		return (-1);
	}
	if (all_digits(s) || strcmp(s, "Domain-0") == 0) {
		*cause = xprintf("name: '%s' would be taken for %s", s,
		    all_digits(s) ? "a domain id" : "the host");
		return (-1);
	}
	return (0);
}

static int
hvm_valid_iso(const char *s, char **cause)
{
	if (*s == '\0' || strchr(s, '\n') != NULL || strchr(s, '"') != NULL) {
		*cause = xprintf("iso: '%s' is not a file name", s);
		return (-1);
	}
	return (0);
}

static int
hvm_valid_file(const char *s, char **cause)
{
	if (*s == '\0' || strchr(s, '\n') != NULL) {
		*cause = xstrdup("a file name is needed");
		return (-1);
	}
	return (0);
}

/* Syntax only: whether it fits is the plan's to say. */
static int
hvm_valid_size(const char *s, char **cause)
{
	struct pool	 p = { .name = "the pool", .free = 1ULL << 50 };
	uint64_t	 n;

	if (pool_parse_size(&p, s, &n, cause) != 0)
		return (-1);
	if (n < 64ULL << 20) {
		*cause = xprintf("size: %s is too small for an installer's "
		    "disk (64M at least)", s);
		return (-1);
	}
	return (0);
}

static int
hvm_valid_pool(const char *s, char **cause)
{
	if (s[0] == '/')
		return (0);
	return (pool_check_name(s, "pool", cause) == 0 ? 0 : -1);
}

/* "4G", "2048M", "2048" (MiB) to MiB; -1 if none of those. */
static long long
hvm_mib(const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v <= 0)
		return (-1);
	if (*end == 'G' || *end == 'g') {
		if (v > (1LL << 20))
			return (-1);
		v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm')
		end++;
	if (strcmp(end, "") != 0 && strcmp(end, "iB") != 0 &&
	    strcmp(end, "B") != 0)
		return (-1);
	return (v);
}

static int
hvm_valid_memory(const char *s, char **cause)
{
	long long	 mib = hvm_mib(s);

	if (mib < 0) {
		*cause = xprintf("memory: '%s' is not a size (4G, 2048M)", s);
		return (-1);
	}
	if (mib < 128) {
		*cause = xprintf("memory: %s is too little for an installer "
		    "(128M at least)", s);
		return (-1);
	}
	return (0);
}

static int
hvm_valid_vcpus(const char *s, char **cause)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 128) {
		*cause = xprintf("vcpus: '%s' is not a number from 1 to 128",
		    s);
		return (-1);
	}
	return (0);
}

static int
hvm_valid_bridge(const char *s, char **cause)
{
	if (strcmp(s, "none") == 0)
		return (0);
	if (!valid_name(s) || strlen(s) > 15) {
		*cause = xprintf("bridge: '%s' is not an interface name (1 to "
		    "15 letters, digits, '_', '.', '-'), nor none", s);
		return (-1);
	}
	return (0);
}

/* ---- facts and plan ---------------------------------------------- */

/* The answers the plan is made from, with the ISO made absolute. */
struct hvm {
	const char	*name;
	char		*iso;
	struct iso_info	 info;
	const char	*bridge;	/* NULL: none */
	const char	*nic;
	const char	*cfg;
	const char	*pwfile;	/* vnc_password_file, or NULL */
	long long	 memory;	/* MiB */
	int		 vcpus;
	int		 start;
	int		 password;	/* the device model can take one */
	char		*nopw_why;	/* why not */
	struct pool	 pool;
	char		*disk;		/* the volume's path */
};

static void
hvm_free(struct hvm *h)
{
	free(h->iso);
	free(h->nopw_why);
	free(h->disk);
	pool_free(&h->pool);
}

/* Read and check what the answers name; WIZ_EINPUT naming the field. */
static int
hvm_load(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct hvm *h, char **cause)
{
	const char	*iso = wiz_get(a, "iso"), *b = wiz_get(a, "bridge");
	char		*why = NULL;

	memset(h, 0, sizeof *h);
	h->name = wiz_get(a, "name");
	h->nic = wiz_get(a, "nic");
	h->cfg = wiz_get(a, "cfg");
	h->pwfile = wiz_get(a, "vnc_password_file");
	h->bridge = strcmp(b, "none") == 0 ? NULL : b;
	h->memory = hvm_mib(wiz_get(a, "memory"));
	h->vcpus = atoi(wiz_get(a, "vcpus"));
	h->start = strcmp(wiz_get(a, "start"), "yes") == 0;
	if (h->cfg[0] != '/') {
		*cause = xprintf("cfg: %s: give the full path", h->cfg);
		return (WIZ_EINPUT);
	}
	if ((h->iso = realpath(iso, NULL)) == NULL) {
		*cause = xprintf("iso: %s: %s", iso, strerror(errno));
		return (WIZ_EINPUT);
	}
	if (iso_probe(h->iso, &h->info, &why) != 0 ||
	    iso_readable_by(h->iso, NULL, &why) != 0) {
		*cause = xprintf("iso: %s", why);
		free(why);
		return (WIZ_EINPUT);
	}
	if (pool_find(wiz_get(a, "pool"), &h->pool, cause) != 0)
		return (WIZ_EINPUT);
	h->disk = pool_volume_path(&h->pool, h->name, "raw");
	h->password = 1;
	if (ctx->be != NULL && ctx->be->vnc_password != NULL &&
	    !ctx->be->vnc_password(&h->nopw_why))
		h->password = 0;
	return (0);
}

static int
hvm_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *pl, char **cause)
{
	struct hvm	 h;
	struct stat	 st;
	char		*v, key[PATH_MAX + 32];
	int		 rc;

	if (ctx->root != NULL) {
		*cause = xstrdup("root: the guest's disk and config are made on "
		    "this host; --root is not for this wizard");
		return (WIZ_EINPUT);
	}
	if ((rc = hvm_load(ctx, a, &h, cause)) != 0) {
		hvm_free(&h);
		return (rc);
	}
	v = xprintf("%llu bytes, label %s", (unsigned long long)
	    h.info.file_size, h.info.label);
	snprintf(key, sizeof key, "ISO %s", h.iso);
	plan_fact(pl, key, v, NULL);
	free(v);
	pool_facts(pl, &h.pool, h.name);
	if (h.bridge != NULL) {
		snprintf(key, sizeof key, "bridge %s", h.bridge);
		plan_fact(pl, key, host_bridge_state(h.bridge) ==
		    HOST_IF_BRIDGE ? "a bridge" : "not a bridge", NULL);
	}
	snprintf(key, sizeof key, "%s", h.cfg);
	plan_fact(pl, key, stat(h.cfg, &st) == 0 ? "exists" : "absent",
	    "config");
	plan_fact(pl, "VNC password", h.password ? "possible" :
	    "not possible", NULL);
	hvm_free(&h);
	return (0);
}

/*
 * The xl.cfg: modern keys, and as comments how each differs from the
 * guide's windows.cfg.
 */
static char *
hvm_config(const struct hvm *h)
{
	char		*buf = NULL, *q, *size, date[32];
	size_t		 len = 0;
	time_t		 now = time(NULL);
	FILE		*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
	fprintf(f, "# %s: an HVM guest, written by `xendeck wizard "
	    "hvm-guest` on %s.\n", h->name, date);
	size = pool_size_string(h->info.file_size);
	fprintf(f, "# Installer: %s (%s, %s, %s).\n", h->iso,
	    h->info.label[0] != '\0' ? h->info.label : "no label",
	    iso_kind_name(h->info.kind), size);
	free(size);
	fprintf(f,
	    "#\n"
	    "# How this differs from the Xen Project Beginners Guide's "
	    "windows.cfg:\n"
	    "#   kernel = \"/usr/lib/xen-4.0/boot/hvmloader\"  left out: xl "
	    "finds hvmloader\n"
	    "#       itself (and ignores kernel= for HVM); /usr/lib/xen-4.0 "
	    "is gone.\n"
	    "#   builder = 'hvm'               type = \"hvm\": builder= is "
	    "deprecated.\n"
	    "#   device_model_version = 'qemu-xen-traditional'  left out: "
	    "Debian 12 has\n"
	    "#       only qemu-xen (the qemu-system-xen package), the "
	    "default.\n"
	    "#   disk = ['phy:/dev/vg0/windows,hda,w', ...]  the same "
	    "shape, key=value\n"
	    "#       form: the disk made by the wizard (zeroed), the ISO as "
	    "the CD (hdc).\n"
	    "#   boot = \"d\"                    left out: the default "
	    "\"cd\" boots the disk\n"
	    "#       once something is installed on it, the CD before; no "
	    "edit afterwards.\n"
	    "#   vif = ['bridge=xenbr0']       the card's model named (%s).\n"
	    "#   vnclisten = \"\"                127.0.0.1: \"\" is every "
	    "address on Xen.\n", h->nic);
	if (h->password)
		fprintf(f, "#   vncpasswd = \"\"                means no "
		    "password at all: here a generated\n"
		    "#       one (or yours), which is why this file is mode "
		    "0600.\n");
	else
		fprintf(f, "#   vncpasswd = \"\"                means no "
		    "password at all; still none here,\n"
		    "#       because this device model cannot take one: %s.\n"
		    "#       The screen is on 127.0.0.1 only: xendeck vnc %s on "
		    "this host, or an\n"
		    "#       SSH tunnel (ssh -L 5900:127.0.0.1:PORT; xendeck "
		    "vnc-endpoint %s).\n", h->nopw_why, h->name, h->name);
	fprintf(f,
	    "#   sdl = 0, acpi = 1             left out: the defaults.\n"
	    "#   serial = 'pty'                the same: the guest's first "
	    "serial port.\n"
	    "#   usb = 1, usbdevice = [\"tablet\"]  added: a USB tablet, so "
	    "the VNC pointer\n"
	    "#       lands where it points (a PS/2 mouse drifts).\n"
	    "# After the install: xendeck cd-eject %s.\n\n", h->name);
	q = xlcfg_quote(h->name);
	fprintf(f, "name = %s\n", q);
	free(q);
	fprintf(f, "type = \"hvm\"\n");
	fprintf(f, "memory = %lld\n", h->memory);
	fprintf(f, "vcpus = %d\n", h->vcpus);
	fprintf(f, "disk = [ \"format=raw,vdev=hda,access=rw,target=%s\",\n",
	    h->disk);
	fprintf(f, "         \"format=raw,vdev=hdc,access=ro,devtype=cdrom,"
	    "target=%s\" ]\n", h->iso);
	if (h->bridge != NULL)
		fprintf(f, "vif = [ \"model=%s,bridge=%s\" ]\n", h->nic,
		    h->bridge);
	fprintf(f, "vnc = 1\n");
	fprintf(f, "vnclisten = \"127.0.0.1\"\n");
	fprintf(f, "vncunused = 1\n");
	fprintf(f, "usb = 1\n");
	fprintf(f, "usbdevice = [ \"tablet\" ]\n");
	fprintf(f, "serial = \"pty\"\n");
	fclose(f);
	return (buf);
}

static int
hvm_plan(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *pl, char **cause)
{
	struct hvm		 h;
	struct plan_step	*st;
	struct stat		 sb;
	struct dom_info		*doms = NULL;
	uint64_t		 size;
	char			*text = NULL, *dir = NULL, *hs = NULL, *why;
	char			*fsz;
	size_t			 n = 0, i;
	int			 rc;

	if ((rc = hvm_load(ctx, a, &h, cause)) != 0)
		goto out;
	rc = WIZ_EINPUT;
	/* What would stop it later is refused now, naming the field. */
	if (!h.info.boot_bios && !h.info.boot_efi) {
		*cause = xprintf("iso: %s has no El Torito boot record: a guest "
		    "cannot start from it", h.iso);
		goto out;
	}
	if (stat(h.cfg, &sb) == 0) {
		*cause = xprintf("cfg: %s exists: choose another name (or cfg=)"
		    "; xendeck does not overwrite a domain's file", h.cfg);
		goto out;
	}
	if (ctx->be != NULL && ctx->be->list(&doms, &n, &why) == 0) {
		for (i = 0; i < n; i++) {
			if (strcmp(doms[i].name, h.name) == 0) {
				*cause = xprintf("name: a domain named %s is "
				    "running (id %d)", h.name, doms[i].domid);
				free(doms);
				goto out;
			}
		}
		free(doms);
	} else if (ctx->be != NULL)
		free(why);
	if (h.bridge != NULL && host_bridge_state(h.bridge) !=
	    HOST_IF_BRIDGE) {
		*cause = xprintf("bridge: %s is not a bridge here: make it "
		    "with xendeck wizard bridge, or set bridge=none",
		    h.bridge);
		goto out;
	}
	if (h.pwfile != NULL && !h.password) {
		*cause = xprintf("vnc_password_file: %s; leave it out: the "
		    "screen then listens on 127.0.0.1 only", h.nopw_why);
		goto out;
	}
	if (h.pwfile != NULL && access(h.pwfile, R_OK) != 0) {
		*cause = xprintf("vnc_password_file: %s: %s", h.pwfile,
		    strerror(errno));
		goto out;
	}
	if (pool_parse_size(&h.pool, wiz_get(a, "size"), &size, cause) != 0)
		goto out;

	hs = pool_size_string(size);
	pl->title = xprintf("HVM guest %s: %s disk in %s, %s", h.name, hs,
	    h.pool.name, h.info.label[0] != '\0' ? h.info.label :
	    h.iso);
	plan_note(pl, "The installer: %s, %s (%s)%s.", h.iso,
	    iso_kind_name(h.info.kind), h.info.evidence[0] != '\0' ?
	    h.info.evidence : "no installer recognised", h.info.truncated ?
	    "; the file is shorter than its volume: an unfinished download?" :
	    "");
	plan_note(pl, "It differs from the guide's windows.cfg: no kernel= "
	    "(hvmloader), type=\"hvm\" not builder=, no qemu-xen-traditional, "
	    "no boot=\"d\" (the default tries the disk, then the CD), "
	    "vnclisten 127.0.0.1, the NIC model %s; the file says so line by "
	    "line.", h.nic);
	if (h.password)
		plan_note(pl, "VNC: on 127.0.0.1, with %s password (set by a "
		    "secret step: it is in no plan, journal, log or script)%s.",
		    h.pwfile != NULL ? "your" : "a generated",
		    h.pwfile != NULL ? "" : ", shown once at the end");
	else
		plan_note(pl, "VNC: no password, because %s (Debian 12's "
		    "qemu-system-xen has no DES: a vncpasswd stops it); the "
		    "screen listens on 127.0.0.1 only: xendeck vnc %s on this "
		    "host, or an SSH tunnel.", h.nopw_why, h.name);

	/* 1. The disk. */
	if ((rc = pool_plan_create(pl, &h.pool, h.name, size, NULL,
	    cause)) != 0) {
		if (rc == -2)
			rc = WIZ_EINPUT;
		goto out;
	}
	/* 2. /etc/xen, when it is not there (a host without Xen). */
	dir = xstrdup(h.cfg);
	*strrchr(dir, '/') = '\0';
	if (*dir != '\0' && stat(dir, &sb) != 0) {
		char	*mk[] = { "mkdir", "-p", "-m", "0755", dir, NULL };
		char	*test[] = { "test", "-d", dir, NULL };

		st = plan_add_run(pl, "config-dir", "Make the directory for "
		    "the config", mk);
		plan_step_explain(st, "%s does not exist yet (xl keeps domain "
		    "files in /etc/xen).", dir);
		plan_step_probe(st, test, NULL, 0);
	}
	/* 3. The xl.cfg. */
	text = hvm_config(&h);
	if ((st = plan_add_file(pl, "config", "Write the domain's xl.cfg",
	    h.cfg, text, strlen(text), 0600, cause)) == NULL) {
		rc = -1;
		goto out;
	}
	plan_step_explain(st, "The guide's windows.cfg, modernised: type="
	    "\"hvm\", the disk, %s as the CD, %s, VNC on 127.0.0.1, a serial "
	    "port. Mode 0600%s.", h.iso, h.bridge != NULL ?
	    "the network card" : "no network card", h.password ?
	    ": it will hold the VNC password" : "");
	/* 4. The password, into the config, secretly. */
	if (h.password) {
		char	*gen[] = { "xendeck", "vnc-password", "--generate",
			    (char *)h.cfg, NULL };
		char	*from[] = { "xendeck", "vnc-password", "--from",
			    (char *)h.pwfile, (char *)h.cfg, NULL };
		char	*check[] = { "xendeck", "vnc-password", "--check",
			    (char *)h.cfg, NULL };
		char	*clear[] = { "xendeck", "vnc-password", "--clear",
			    (char *)h.cfg, NULL };

		st = plan_add_op(pl, "vnc-password", h.pwfile != NULL ?
		    "Put your VNC password into the config" : "Generate a "
		    "VNC password into the config", h.pwfile != NULL ? from :
		    gen);
		st->flags |= PLAN_SECRET | PLAN_RERUN;
		plan_step_explain(st, "vncpasswd=\"\" in the guide means no "
		    "password at all. The password goes straight into the "
		    "0600 file; this step's output is never kept.");
		plan_step_probe(st, check, NULL, 0);
		plan_step_verify(st, check, NULL, 0);
		plan_step_undo(st, clear);
	}
	/* 5. Start it. */
	if (h.start) {
		char	*create[] = { "xendeck", "create", (char *)h.cfg, NULL };
		char	*list[] = { "xendeck", "list", (char *)h.name, NULL };
		char	*destroy[] = { "xendeck", "destroy", "--yes",
			    (char *)h.name, NULL };

		st = plan_add_op(pl, "start", "Start the domain", create);
		plan_step_explain(st, "xl create: the guest boots from the "
		    "empty disk's fallback, the CD, into the installer. Its "
		    "screen: xendeck vnc %s.", h.name);
		plan_step_probe(st, list, NULL, 0);
		plan_step_verify(st, list, NULL, 0);
		plan_step_undo(st, destroy);
		st->timeout_s = 600;
	}
	fsz = pool_size_string(h.info.file_size);
	plan_note(pl, "Its disk %s is %s; the ISO %s is %s.", h.disk, hs,
	    h.iso, fsz);
	free(fsz);
	rc = 0;
out:
	free(text);
	free(dir);
	free(hs);
	hvm_free(&h);
	return (rc);
}

/* ---- the console's pickers and the end --------------------------- */

static void
hvm_cand_add(struct wiz_candidate **v, size_t *n, const char *value,
    char *label, int usable)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].value = xstrdup(value);
	(*v)[*n].label = label;
	(*v)[(*n)++].usable = usable;
}

/*
 * iso: the ISOs in the usual directories, with label, size and kind (and
 * why one cannot be used); pool: the pools and their free space; bridge:
 * this host's bridges, and none.
 */
static int
hvm_candidates(const struct wiz_ctx *ctx, const char *key,
    struct wiz_candidate **v, size_t *n, char **cause)
{
	struct iso_entry	*isos;
	struct pool		*pools;
	size_t			 ni, np, i;
	char			*fs, *path;
	DIR			*d;
	struct dirent		*de;

	(void)ctx;
	*v = NULL;
	*n = 0;
	if (strcmp(key, "iso") == 0) {
		iso_list(&isos, &ni);
		for (i = 0; i < ni; i++) {
			if (isos[i].error != NULL)
				hvm_cand_add(v, n, isos[i].path, xprintf("%s  "
				    "cannot be used: %s", isos[i].path,
				    isos[i].error), 0);
			else {
				fs = pool_size_string(isos[i].info.file_size);
				hvm_cand_add(v, n, isos[i].path, xprintf(
				    "%-24s %-18s %9s  %s", isos[i].info.label,
				    iso_kind_name(isos[i].info.kind), fs,
				    isos[i].path), isos[i].info.boot_bios ||
				    isos[i].info.boot_efi);
				free(fs);
			}
		}
		iso_list_free(isos, ni);
	} else if (strcmp(key, "pool") == 0) {
		if (pool_list(&pools, &np, cause) != 0)
			return (-1);
		for (i = 0; i < np; i++) {
			fs = pool_size_string(pools[i].free);
			hvm_cand_add(v, n, pools[i].name, xprintf("%-28s %-7s "
			    "%s free", pools[i].name, pools[i].type ==
			    POOL_LVM ? "LVM" : "images", fs), 1);
			free(fs);
		}
		pool_list_free(pools, np);
	} else if (strcmp(key, "bridge") == 0) {
		if ((d = opendir("/sys/class/net")) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.' || host_bridge_state(
				    de->d_name) != HOST_IF_BRIDGE)
					continue;
				path = xprintf("%s  a bridge", de->d_name);
				hvm_cand_add(v, n, de->d_name, path, 1);
			}
			closedir(d);
		}
		hvm_cand_add(v, n, "none", xstrdup("none  no network card"),
		    1);
	}
	return (0);
}

/*
 * After the apply: the generated password, told this once (the caller
 * shows it and keeps it nowhere), and the domain whose screen to open.
 */
static int
hvm_done(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    char **message, char **vnc_domain, char **cause)
{
	struct xlcfg	*cfg = NULL;
	const char	*name = wiz_get(a, "name");
	int		 start = strcmp(wiz_get(a, "start"), "yes") == 0;
	char		*pw = NULL, *see;

	(void)ctx;
	*message = NULL;
	*vnc_domain = NULL;
	if (xlcfg_load(wiz_get(a, "cfg"), &cfg, cause) != 0)
		return (-1);
	see = start ? xprintf("%s runs: `xendeck vnc %s` shows its screen "
	    "(v in the console).", name, name) : xprintf("Start it "
	    "with `xendeck create %s`, then `xendeck vnc %s`.", cfg->path,
	    name);
	if (cfg->vncpasswd != NULL && *cfg->vncpasswd != '\0' &&
	    wiz_get(a, "vnc_password_file") == NULL)
		pw = xprintf("The VNC password of %s: %s\nThis is the one "
		    "time xendeck shows it; xl reads it from %s (mode 0600, "
		    "root's only).\n", name, cfg->vncpasswd, cfg->path);
	else if (cfg->vncpasswd == NULL)
		pw = xprintf("%s's screen has no VNC password (this device "
		    "model cannot take one) and listens on 127.0.0.1 only.\n",
		    name);
	else
		pw = xstrdup("");
	*message = xprintf("%s%s\n", pw, see);
	if (pw != NULL)
		explicit_bzero(pw, strlen(pw));
	free(pw);
	free(see);
	if (start)
		*vnc_domain = xstrdup(name);
	xlcfg_free(cfg);
	return (0);
}
