/*
 * storage: set up a pool, the guide's "Setting up LVM storage" (pvcreate
 * /dev/sda4; vgcreate vg0 /dev/sda4), or a directory of image files (what
 * the embedded default keeps guest disks in).
 *
 * LVM: device= and vg=. The device is looked at first (blockdev.c): one in
 * use (mounted, swap, md, holding LVs or other mappings, a PV of another
 * VG, a disk of a domain or of an xl.cfg in /etc/xen) is refused, saying
 * what uses it; one with any signature on it (a file system, a partition
 * table, RAID or LVM metadata) is wiped only when wipe= names it, and the
 * plan shows the wipe. A VG name that collides with /dev/NAME is refused;
 * one that exists is extended (vgextend) only with extend=yes. thin=SIZE
 * also makes a thin pool, for instant clones.
 *
 * Directory: dir=. mkdir -p, and the directory is listed in
 * plan_statedir()/pools (written atomically, with a backup).
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wizards.h"

#define STORAGE_THIN_LV	"thin"	/* the thin pool's LV name */

static int	storage_facts(const struct wiz_ctx *,
		    const struct wiz_answers *, struct plan *, char **);
static int	storage_plan(const struct wiz_ctx *,
		    const struct wiz_answers *, struct plan *, char **);
static int	storage_candidates(const struct wiz_ctx *, const char *,
		    struct wiz_candidate **, size_t *, char **);
static char	*storage_def_vg(const struct wiz_ctx *,
		    const struct wiz_answers *);
static int	storage_valid_device(const char *, char **);
static int	storage_valid_wipe(const char *, char **);
static int	storage_valid_vg(const char *, char **);
static int	storage_valid_thin(const char *, char **);
static int	storage_valid_dir(const char *, char **);

static const char *const storage_yes_no[] = { "yes", "no", NULL };

static const struct wiz_field storage_fields[] = {
	{ .key = "device",
	  .prompt = "Disk or partition for LVM",
	  .explain =
	      "The guide's /dev/sda4: a whole disk or a partition that\n"
	      "becomes an LVM physical volume. It must not be in use;\n"
	      "anything written on it is erased only if wipe= names it.",
	  .flags = WIZ_PATH,
	  .valid = storage_valid_device },
	{ .key = "vg",
	  .prompt = "Volume group name",
	  .explain =
	      "The guide's vg0. Guests' disks are logical volumes in it. A\n"
	      "name that is already a volume group is extended with the\n"
	      "device (extend=yes); one that collides with /dev/NAME is\n"
	      "refused.",
	  .def = storage_def_vg,
	  .valid = storage_valid_vg },
	{ .key = "wipe",
	  .prompt = "Erase what is on this device (type its name)",
	  .explain =
	      "Consent: the device's name again, when it holds a file system,\n"
	      "a partition table or RAID/LVM metadata. wipefs -a erases those\n"
	      "signatures before pvcreate.",
	  .flags = WIZ_CONSENT | WIZ_PATH,
	  .valid = storage_valid_wipe },
	{ .key = "extend",
	  .prompt = "Add the device to the existing volume group",
	  .explain =
	      "yes: when vg= names a volume group that exists, add the device\n"
	      "to it with vgextend.",
	  .flags = WIZ_ADVANCED,
	  .choices = storage_yes_no },
	{ .key = "thin",
	  .prompt = "Thin pool size (no: none)",
	  .explain =
	      "Also make a thin pool (lvcreate --type thin-pool) of this\n"
	      "size, e.g. 90%FREE: volumes made in it take space only as\n"
	      "guests write, and clones of them are instant thin snapshots.",
	  .flags = WIZ_ADVANCED | WIZ_NUMBER,
	  .valid = storage_valid_thin },
	{ .key = "dir",
	  .prompt = "Directory for image files (instead of LVM)",
	  .explain =
	      "A directory pool: guests' disks are raw or qcow2 image files\n"
	      "in it, as the embedded default keeps them.",
	  .flags = WIZ_PATH,
	  .valid = storage_valid_dir },
	{ .key = NULL }
};

const struct wizard wiz_storage = {
	.name = "storage",
	.summary = "set up a pool for guest disks: an LVM volume group on a "
	    "disk (pvcreate, vgcreate), or a directory of images",
	.guide =
	    "The guide's \"Setting up LVM storage\": pvcreate /dev/sda4 makes "
	    "the\n"
	    "partition a physical volume, vgcreate vg0 /dev/sda4 a volume "
	    "group on it,\n"
	    "in which every guest gets a logical volume. Where xendeck "
	    "differs: it\n"
	    "looks at the device first and refuses one that is in use "
	    "(mounted, swap,\n"
	    "RAID, LVM, a guest's disk), and erases one that holds data only "
	    "when\n"
	    "wipe= names it (pvcreate would stop at the signature, or with "
	    "-ff destroy\n"
	    "it without a word). With dir= the pool is a directory of image "
	    "files\n"
	    "instead, what the embedded default (QEMU) keeps guest disks "
	    "in.\n"
	    "\n"
	    "  xendeck wizard storage --set device=/dev/sdb --set vg=vg0\n"
	    "  xendeck wizard storage --set device=/dev/sdb --set vg=vg0 "
	    "--set wipe=/dev/sdb\n"
	    "  xendeck wizard storage --set dir=/var/lib/xendeck/images",
	.fields = storage_fields,
	.facts = storage_facts,
	.plan = storage_plan,
	.candidates = storage_candidates,
};

/* Pure validators. */
static int
storage_valid_devpath(const char *key, const char *s, char **cause)
{
	if (strncmp(s, "/dev/", 5) != 0 || s[5] == '\0' ||
	    strstr(s, "/../") != NULL || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789/_.:+-") != strlen(s)) {
		*cause = xprintf("%s: '%s' is not a device path (/dev/sdb, "
		    "/dev/disk/by-id/...)", key, s);
		return (-1);
	}
	return (0);
}

static int
storage_valid_device(const char *s, char **cause)
{
	return (storage_valid_devpath("device", s, cause));
}

static int
storage_valid_wipe(const char *s, char **cause)
{
	return (storage_valid_devpath("wipe", s, cause));
}

static int
storage_valid_vg(const char *s, char **cause)
{
	return (pool_check_name(s, "vg", cause) == 0 ? 0 : -1);
}

static int
storage_valid_thin(const char *s, char **cause)
{
	uint64_t	 n;
	struct pool	 p = { .name = "the volume group", .free = 1 << 30 };

	if (strcmp(s, "no") == 0)
		return (0);
	return (pool_parse_size(&p, s, &n, cause) == 0 ? 0 : -1);
}

static int
storage_valid_dir(const char *s, char **cause)
{
	static const char *const system[] = { "/", "/bin", "/boot", "/dev",
	    "/etc", "/lib", "/proc", "/run", "/sbin", "/sys", "/usr", "/var",
	    NULL };
	size_t	 i, n = strlen(s);

	if (s[0] != '/' || strstr(s, "/../") != NULL ||
	    (n >= 3 && strcmp(s + n - 3, "/..") == 0) ||
	    strchr(s, '\n') != NULL) {
		*cause = xprintf("dir: '%s' is not an absolute path", s);
		return (-1);
	}
	for (i = 0; system[i] != NULL; i++) {
		if (strcmp(s, system[i]) == 0 || (strncmp(s, system[i],
		    strlen(system[i])) == 0 && strcmp(s + strlen(system[i]),
		    "/") == 0)) {
			*cause = xprintf("dir: %s is a system directory: use a "
			    "directory of its own (%s/xendeck/images)", s,
			    strcmp(s, "/") == 0 ? "/srv" : "/var/lib");
			return (-1);
		}
	}
	if (strncmp(s, "/proc/", 6) == 0 || strncmp(s, "/sys/", 5) == 0 ||
	    strncmp(s, "/dev/", 5) == 0) {
		*cause = xprintf("dir: %s is not on a disk", s);
		return (-1);
	}
	return (0);
}

static char *
storage_def_vg(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	return (wiz_get(a, "device") != NULL ? xstrdup("vg0") : NULL);
}

/* The directory, without trailing slashes. */
static char *
storage_dir(const struct wiz_answers *a)
{
	char	*d = xstrdup(wiz_get(a, "dir"));
	size_t	 n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	return (d);
}

/* Which of device= and dir= was asked for; WIZ_EINPUT unless one. */
static int
storage_which(const struct wiz_answers *a, char **cause)
{
	const char	*dev = wiz_get(a, "device"), *dir = wiz_get(a, "dir");

	if (dev != NULL && dir != NULL) {
		*cause = xstrdup("dir: give either device= (an LVM volume "
		    "group) or dir= (a directory of images), not both");
		return (WIZ_EINPUT);
	}
	if (dev == NULL && dir == NULL) {
		*cause = xstrdup("device: required (a disk for LVM, with "
		    "vg=), or dir= for a directory of images");
		return (WIZ_EINPUT);
	}
	if (dir != NULL && (wiz_get(a, "wipe") != NULL ||
	    wiz_get(a, "thin") != NULL || wiz_get(a, "extend") != NULL)) {
		*cause = xstrdup("dir: wipe=, thin= and extend= are for "
		    "device=");
		return (WIZ_EINPUT);
	}
	return (dev != NULL ? 1 : 0);
}

/* What the LVM answers find on the host. */
struct storage_lvm {
	struct blockdev		 dev;
	struct lvm_report	 rep;
	const struct lvm_vg	*vg;		/* vg= exists: it */
	int			 in_vg;		/* the device is a PV of vg= */
	int			 orphan;	/* a PV in no VG */
	int			 wipe;		/* it has signatures to erase */
	char			*uses;		/* other than being in vg= */
	int			 dev_path;	/* /dev/VG exists */
};

static void
storage_lvm_free(struct storage_lvm *s)
{
	blockdev_free(&s->dev);
	lvm_report_free(&s->rep);
	free(s->uses);
}

static int
storage_lvm_load(const struct wiz_answers *a, struct storage_lvm *s,
    char **cause)
{
	const char	*device = wiz_get(a, "device"), *vg = wiz_get(a, "vg");
	char		*why = NULL, *path, *own, **uses = NULL;
	struct stat	 st;
	size_t		 i;

	memset(s, 0, sizeof *s);
	if (blockdev_get(device, &s->dev, &why) != 0) {
		*cause = xprintf("device: %s", why);
		free(why);
		return (WIZ_EINPUT);
	}
	if (lvm_report_load(&s->rep, cause) != 0)
		return (-1);
	if (s->rep.missing) {
		*cause = xstrdup("lvm2 is not installed (apt-get install "
		    "lvm2, as the guide says)");
		return (-1);
	}
	s->vg = lvm_vg_find(&s->rep, vg);
	s->in_vg = s->dev.vg != NULL && strcmp(s->dev.vg, vg) == 0;
	s->orphan = s->dev.vg != NULL && *s->dev.vg == '\0';
	s->wipe = s->dev.sigs != NULL && s->dev.vg == NULL;
	/* Its own VG's membership is what this wizard makes: not a use. */
	own = xprintf("PV of %s", vg);
	for (i = 0; s->dev.uses != NULL && s->dev.uses[i] != NULL; i++) {
		if (!(s->in_vg && strcmp(s->dev.uses[i], own) == 0))
			strv_push(&uses, s->dev.uses[i]);
	}
	free(own);
	s->uses = strv_join(uses, ", ");
	strv_free(uses);
	path = xprintf("/dev/%s", vg);
	s->dev_path = lstat(path, &st) == 0;
	free(path);
	return (0);
}

/* The id of the step that first changes the device's LVM state. */
static const char *
storage_first_step(const struct storage_lvm *s)
{
	if (s->wipe)
		return ("wipefs");
	if (s->dev.vg == NULL)
		return ("pvcreate");
	return (s->vg != NULL && !s->in_vg ? "vgextend" : "vgcreate");
}

static int
storage_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *p, char **cause)
{
	struct storage_lvm	 s;
	struct stat		 st;
	const char		*vg;
	char			*key, *value, *dir, *sigs;
	int			 rc;

	if (ctx->root != NULL) {
		*cause = xstrdup("root: pools are this host's disks and "
		    "directories; --root is not for this wizard");
		return (WIZ_EINPUT);
	}
	if ((rc = storage_which(a, cause)) < 0)
		return (rc);
	if (rc == 0) {
		dir = storage_dir(a);
		key = xprintf("dir %s", dir);
		plan_fact(p, key, stat(dir, &st) != 0 ? "absent" :
		    S_ISDIR(st.st_mode) ? "directory" : "not a directory",
		    "mkdir");
		free(key);
		key = xprintf("dir %s pool", dir);
		plan_fact(p, key, pool_dir_known(dir) ? "yes" : "no",
		    "register");
		free(key);
		free(dir);
		return (0);
	}
	vg = wiz_get(a, "vg");
	if (vg == NULL) {
		*cause = xstrdup("vg: required with device= (the guide's "
		    "vg0)");
		return (WIZ_EINPUT);
	}
	if ((rc = storage_lvm_load(a, &s, cause)) != 0) {
		storage_lvm_free(&s);
		return (rc);
	}
	key = xprintf("device %s size", s.dev.path);
	value = xprintf("%llu", (unsigned long long)s.dev.size);
	plan_fact(p, key, value, NULL);
	free(key);
	free(value);
	key = xprintf("device %s signatures", s.dev.path);
	sigs = blockdev_sigs_string(&s.dev);
	plan_fact(p, key, *sigs != '\0' ? sigs : "none",
	    storage_first_step(&s));
	free(sigs);
	free(key);
	key = xprintf("device %s in use", s.dev.path);
	plan_fact(p, key, s.uses != NULL ? s.uses : "no", NULL);
	free(key);
	key = xprintf("device %s volume group", s.dev.path);
	plan_fact(p, key, s.dev.vg == NULL ? "not a PV" : *s.dev.vg == '\0' ?
	    "none" : s.dev.vg, storage_first_step(&s));
	free(key);
	key = xprintf("volume group %s", vg);
	value = s.vg != NULL ? xprintf("%llu bytes", (unsigned long long)
	    s.vg->size) : xstrdup("absent");
	plan_fact(p, key, value, s.vg != NULL && !s.in_vg ? "vgextend" :
	    "vgcreate");
	free(value);
	free(key);
	storage_lvm_free(&s);
	return (0);
}

/* mkdir -p DIR and its line in the pool registry. */
static int
storage_plan_dir(const struct wiz_answers *a, struct plan *p, char **cause)
{
	struct plan_step	*s;
	struct stat		 st;
	char			*dir, *reg = NULL, *before = NULL;
	char			*after = NULL;
	char			*why = NULL, *def, *title;
	size_t			 len = 0;
	int			 rc = WIZ_EINPUT;

	dir = storage_dir(a);
	p->title = xprintf("directory pool %s", dir);
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		*cause = xprintf("dir: %s exists and is not a directory", dir);
		goto out;
	}
	title = xprintf("Create the directory %s", dir);
	s = plan_add_run(p, "mkdir", title, (char *[]){ "mkdir", "-p", "-m",
	    "0700", dir, NULL });
	free(title);
	plan_step_explain(s, "Guest disks go here as image files; 0700, "
	    "because they are the guests' data.");
	plan_step_probe(s, (char *[]){ "test", "-d", dir, NULL }, NULL, 0);
	plan_step_undo(s, (char *[]){ "rmdir", dir, NULL });

	def = pool_default_dir();
	reg = pool_registry_path();
	if (pool_dir_known(dir)) {
		plan_note(p, "%s is already a pool%s: nothing to add.", dir,
		    strcmp(def, dir) == 0 ? " (the default one)" : "");
		free(def);
		rc = 0;
		goto out;
	}
	free(def);
	if (file_read(reg, &before, &len, &why) != 0) {
		if (errno != ENOENT) {
			*cause = why;
			rc = -1;
			goto out;
		}
		free(why);
		before = xstrdup("# Directory pools of xendeck (the storage "
		    "wizard), one a line.\n");
		len = strlen(before);
	}
	after = xprintf("%s%s%s\n", before, len > 0 && before[len - 1] !=
	    '\n' ? "\n" : "", dir);
	title = xprintf("List %s as a pool in %s", dir, reg);
	if ((s = plan_add_file(p, "register", title, reg, after,
	    strlen(after), 0644, cause)) == NULL) {
		free(title);
		rc = -1;
		goto out;
	}
	free(title);
	plan_step_explain(s, "xendeck's pools are the volume groups lvm2 "
	    "knows and the directories listed here.");
	rc = 0;
out:
	free(before);
	free(after);
	free(reg);
	free(dir);
	return (rc);
}

static int
storage_plan(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *p, char **cause)
{
	struct storage_lvm	 s;
	struct plan_step	*st;
	struct pool		 vgp;
	const char		*dev, *vg, *wipe, *extend, *thin;
	char			*sigs = NULL, *title, *size, *why = NULL;
	char			*thin_lv, *a1, *a2;
	uint64_t		 n;
	int			 rc;

	(void)ctx;
	if ((rc = storage_which(a, cause)) < 0)
		return (rc);
	if (rc == 0)
		return (storage_plan_dir(a, p, cause));
	vg = wiz_get(a, "vg");
	wipe = wiz_get(a, "wipe");
	extend = wiz_get(a, "extend");
	thin = wiz_get(a, "thin");
	if ((rc = storage_lvm_load(a, &s, cause)) != 0)
		goto out;
	dev = s.dev.path;
	p->title = xprintf("volume group %s on %s", vg, dev);
	rc = WIZ_EINPUT;
	if (s.dev.ro) {
		*cause = xprintf("device: %s is read-only", dev);
		goto out;
	}
	if (s.dev.sig_error != NULL) {
		*cause = xprintf("device: %s cannot be read: %s", dev,
		    s.dev.sig_error);
		goto out;
	}
	if (s.uses != NULL) {
		*cause = xprintf("device: %s is in use: %s", dev, s.uses);
		goto out;
	}
	sigs = blockdev_sigs_string(&s.dev);
	if (wipe != NULL && strcmp(wipe, dev) != 0 &&
	    strcmp(wipe, wiz_get(a, "device")) != 0) {
		*cause = xprintf("wipe: names %s, not the device %s", wipe,
		    dev);
		goto out;
	}
	if (s.wipe && wipe == NULL) {
		*cause = xprintf("wipe: %s holds %s: to erase it, answer "
		    "wipe=%s (everything on it is lost)", dev, sigs, dev);
		goto out;
	}
	if (s.vg == NULL && s.dev_path) {
		*cause = xprintf("vg: /dev/%s exists: a volume group named %s "
		    "would collide with it", vg, vg);
		goto out;
	}
	if (s.vg != NULL && !s.in_vg && (extend == NULL ||
	    strcmp(extend, "yes") != 0)) {
		a1 = pool_size_string(s.vg->size);
		*cause = xprintf("vg: volume group %s already exists (%s); "
		    "answer extend=yes to add %s to it (vgextend), or pick "
		    "another name", vg, a1, dev);
		free(a1);
		goto out;
	}
	rc = -1;

	if (s.wipe) {
		title = xprintf("Erase the signatures on %s (%s)", dev, sigs);
		st = plan_add_run(p, "wipefs", title, (char *[]){ "wipefs",
		    "-a", (char *)dev, NULL });
		free(title);
		plan_step_explain(st, "The guide runs pvcreate on a fresh "
		    "partition. This one holds %s: wipefs -a erases those "
		    "signatures (file system, partition table, RAID or LVM "
		    "headers) so that nothing mistakes the new PV for what it "
		    "was. The data is lost.", sigs);
		plan_step_probe(st, (char *[]){ "pvs", (char *)dev, NULL },
		    NULL, 0);
		/* As the answer names it (the engine compares the two). */
		plan_step_destroys(st, wipe, "wipe");
		st->flags |= PLAN_DESTRUCTIVE;
	}
	title = xprintf("Make %s an LVM physical volume", dev);
	st = plan_add_run(p, "pvcreate", title, (char *[]){ "pvcreate",
	    (char *)dev, NULL });
	free(title);
	plan_step_explain(st, "The guide's pvcreate %s: LVM writes its label "
	    "and metadata area at the start of the device, which can then "
	    "hold extents of a volume group.", dev);
	plan_step_probe(st, (char *[]){ "pvs", (char *)dev, NULL }, NULL, 0);
	plan_step_verify(st, (char *[]){ "pvs", (char *)dev, NULL }, NULL, 0);
	plan_step_undo(st, (char *[]){ "pvremove", (char *)dev, NULL });

	/* Already in it: the same answers again, every probe says done. */
	if (s.vg == NULL || s.in_vg) {
		title = xprintf("Create the volume group %s on %s", vg, dev);
		st = plan_add_run(p, "vgcreate", title, (char *[]){ "vgcreate",
		    (char *)vg, (char *)dev, NULL });
		free(title);
		plan_step_explain(st, "The guide's vgcreate %s %s: the volume "
		    "group in which guests' logical volumes are made.", vg,
		    dev);
		plan_step_probe(st, (char *[]){ "vgs", (char *)vg, NULL },
		    NULL, 0);
		plan_step_verify(st, (char *[]){ "vgs", (char *)vg, NULL },
		    NULL, 0);
		plan_step_undo(st, (char *[]){ "vgremove", (char *)vg, NULL });
	} else {
		title = xprintf("Add %s to the volume group %s", dev, vg);
		st = plan_add_run(p, "vgextend", title, (char *[]){
		    "vgextend", (char *)vg, (char *)dev, NULL });
		free(title);
		plan_step_explain(st, "vgextend %s %s: the volume group grows "
		    "by the device's extents; existing volumes are not "
		    "touched.", vg, dev);
		plan_step_probe(st, (char *[]){ "pvs", "--noheadings", "-o",
		    "vg_name", (char *)dev, NULL }, vg, 0);
		plan_step_verify(st, (char *[]){ "pvs", "--noheadings", "-o",
		    "vg_name", (char *)dev, NULL }, vg, 0);
		plan_step_undo(st, (char *[]){ "vgreduce", (char *)vg,
		    (char *)dev, NULL });
	}
	if (s.in_vg)
		plan_note(p, "%s is already a physical volume of %s: nothing "
		    "to do.", dev, vg);

	if (thin != NULL && strcmp(thin, "no") != 0) {
		/* %FREE is lvm2's to work out, on the VG as it will be. */
		memset(&vgp, 0, sizeof vgp);
		vgp.name = (char *)vg;
		vgp.free = (s.vg != NULL ? s.vg->free : 0) + (s.in_vg ? 0 :
		    s.dev.size);
		thin_lv = xprintf("%s/%s", vg, STORAGE_THIN_LV);
		if (strchr(thin, '%') != NULL) {
			size = xstrdup(thin);
			st = plan_add_run(p, "thinpool", "Create the thin pool "
			    STORAGE_THIN_LV, (char *[]){ "lvcreate", "--type",
			    "thin-pool", "-l", size, "-n", STORAGE_THIN_LV,
			    (char *)vg, NULL });
		} else {
			if (pool_parse_size(&vgp, thin, &n, &why) != 0) {
				*cause = xprintf("thin: %s", why +
				    strlen("size: "));
				free(why);
				free(thin_lv);
				rc = WIZ_EINPUT;
				goto out;
			}
			if (n >= vgp.free) {
				a1 = pool_size_string(n);
				a2 = pool_size_string(vgp.free);
				*cause = xprintf("thin: %s does not fit: %s "
				    "will have %s free, and a thin pool "
				    "needs room for its metadata too (try "
				    "90%%FREE)", a1, vg, a2);
				free(a1);
				free(a2);
				free(thin_lv);
				rc = WIZ_EINPUT;
				goto out;
			}
			size = pool_size_arg(n);
			st = plan_add_run(p, "thinpool", "Create the thin pool "
			    STORAGE_THIN_LV, (char *[]){ "lvcreate", "--type",
			    "thin-pool", "-L", size, "-n", STORAGE_THIN_LV,
			    (char *)vg, NULL });
		}
		plan_step_explain(st, "Not in the guide: a thin pool of %s. "
		    "Volumes made in it take space only as their guest writes "
		    "(blocks never written read as zeros), and a clone of one "
		    "is a thin snapshot: instant, and no slower to write.",
		    size);
		plan_step_probe(st, (char *[]){ "lvs", thin_lv, NULL }, NULL,
		    0);
		plan_step_verify(st, (char *[]){ "lvs", thin_lv, NULL }, NULL,
		    0);
		plan_step_undo(st, (char *[]){ "lvremove", "-y", thin_lv,
		    NULL });
		free(size);
		free(thin_lv);
	}
	rc = 0;
out:
	free(sigs);
	storage_lvm_free(&s);
	return (rc);
}

static void
cand_add(struct wiz_candidate **v, size_t *n, const char *value,
    char *label, int usable)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].value = xstrdup(value);
	(*v)[*n].label = label;
	(*v)[*n].usable = usable;
	(*n)++;
}

/*
 * The console's picker: every block device with its size, model, what is
 * on it and what uses it (device, wipe); the volume groups (vg); the
 * directory pools (dir).
 */
static int
storage_candidates(const struct wiz_ctx *ctx, const char *key,
    struct wiz_candidate **v, size_t *n, char **cause)
{
	struct blockdev	*devs;
	struct pool	*pools;
	size_t		 nd, i;
	char		*sigs, *size, *uses, *label, *free_s;

	(void)ctx;
	*v = NULL;
	*n = 0;
	if (strcmp(key, "device") == 0 || strcmp(key, "wipe") == 0) {
		if (blockdev_list(&devs, &nd, cause) != 0)
			return (-1);
		for (i = 0; i < nd; i++) {
			sigs = blockdev_sigs_string(&devs[i]);
			size = pool_size_string(devs[i].size);
			uses = strv_join(devs[i].uses, ", ");
			if (strcmp(key, "wipe") == 0 && *sigs == '\0') {
				free(sigs);
				free(size);
				free(uses);
				continue;
			}
			label = xprintf("%-14s %10s  %-16s %s%s%s%s",
			    devs[i].path, size, devs[i].model != NULL ?
			    devs[i].model : devs[i].type,
			    devs[i].sig_error != NULL ? "not readable" :
			    *sigs != '\0' ? sigs : "empty", uses != NULL ?
			    "; in use: " : "", uses != NULL ? uses : "",
			    devs[i].ro ? "; read-only" : "");
			cand_add(v, n, devs[i].path, label, uses == NULL &&
			    devs[i].sig_error == NULL && !devs[i].ro);
			free(sigs);
			free(size);
			free(uses);
		}
		blockdev_list_free(devs, nd);
		return (0);
	}
	if (strcmp(key, "vg") != 0 && strcmp(key, "dir") != 0)
		return (0);
	if (pool_list(&pools, &nd, cause) != 0)
		return (-1);
	for (i = 0; i < nd; i++) {
		if ((pools[i].type == POOL_LVM) != (strcmp(key, "vg") == 0))
			continue;
		size = pool_size_string(pools[i].size);
		free_s = pool_size_string(pools[i].free);
		label = xprintf("%-24s %10s, %s free (exists)", pools[i].name,
		    size, free_s);
		cand_add(v, n, pools[i].name, label, 1);
		free(size);
		free(free_s);
	}
	pool_list_free(pools, nd);
	return (0);
}
