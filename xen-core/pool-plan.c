/*
 * The steps that change a pool, for every wizard's plan: create, clone,
 * resize, snapshot and remove a volume, in an LVM volume group (the guide's
 * lvcreate, lvcreate -s, lvremove) or in a directory of images (qemu-img).
 *
 * Every step carries a probe that says whether it is already done, so that
 * applying the same answers twice changes nothing, and a crash between two
 * steps resumes where it stopped. Two kinds of step cannot be probed from
 * what they leave behind -- zeroing a new LV and copying an origin into a
 * clone -- and running them again would destroy what a guest wrote since.
 * Their volume is therefore created with the LVM tag xendeck-incomplete
 * and the tag is dropped only after them: while it is there they are not
 * done (and a crash in the middle runs them again, PLAN_RERUN); once it is
 * gone they are.
 *
 * Refusals are input errors (-2) whose cause names the field: "size" for
 * what does not fit (with what is free), "name" for a volume that exists
 * or is in use (with who uses it), "origin" for a snapshot's or a clone's
 * origin.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/fs.h>

#include "xen-core.h"

#define POOL_TAG_INCOMPLETE	"xendeck-incomplete"
/* Default classic snapshot size: this share of the origin. */
#define POOL_SNAP_SHARE		5	/* 1/5: 20 % */

/* What the functions below look at, loaded once per call. */
struct pctx {
	const struct pool	*pool;
	struct lvm_report	 rep;
	struct disk_users	 users;
	struct volume		*vols;
	size_t			 nvols;
};

static int
pctx_load(struct pctx *c, const struct pool *pool, char **cause)
{
	memset(c, 0, sizeof *c);
	c->pool = pool;
	if (pool->type == POOL_LVM && lvm_report_load(&c->rep, cause) != 0)
		return (-1);
	disk_users_load(&c->users, cause);
	if (pool_volumes_from(pool, &c->rep, &c->users, &c->vols, &c->nvols,
	    cause) != 0) {
		lvm_report_free(&c->rep);
		disk_users_free(&c->users);
		return (-1);
	}
	return (0);
}

static void
pctx_free(struct pctx *c)
{
	lvm_report_free(&c->rep);
	disk_users_free(&c->users);
	volume_list_free(c->vols, c->nvols);
}

/* A volume by name ("web1", or "web1.qcow2" in a directory), or NULL. */
static const struct volume *
pctx_vol(const struct pctx *c, const char *name)
{
	const char	*file;
	size_t		 i;

	for (i = 0; i < c->nvols; i++) {
		if (strcmp(c->vols[i].name, name) == 0)
			return (&c->vols[i]);
		file = strrchr(c->vols[i].path, '/') + 1;
		if (c->pool->type == POOL_DIR && strcmp(file, name) == 0)
			return (&c->vols[i]);
	}
	return (NULL);
}

static const struct lvm_lv *
pctx_lv(const struct pctx *c, const char *name)
{
	return (lvm_lv_find(&c->rep, c->pool->name, name));
}

/* Whether qemu-img is installed (a dom0 need not have qemu-utils). */
static int
have_qemu_img(void)
{
	char	*path;

	if ((path = spawn_which("qemu-img")) == NULL)
		return (0);
	free(path);
	return (1);
}

/* A size for a title or a note ("8.0 GiB"); four in use at once. */
static const char *
hsize(uint64_t n)
{
	static char	 buf[4][32];
	static int	 next;
	char		*s = pool_size_string(n);

	next = (next + 1) % 4;
	snprintf(buf[next], sizeof buf[next], "%s", s);
	free(s);
	return (buf[next]);
}

/* A NULL-terminated argv from the arguments (up to NULL). */
static char **
av(const char *first, ...)
{
	va_list		 ap;
	char		**v = NULL;
	const char	*s;

	strv_push(&v, first);
	va_start(ap, first);
	while ((s = va_arg(ap, const char *)) != NULL)
		strv_push(&v, s);
	va_end(ap);
	return (v);
}

static struct plan_step *
add_run(struct plan *pl, const char *id, const char *title, char **argv)
{
	struct plan_step	*s;

	s = plan_add_run(pl, id, title, argv);
	strv_free(argv);
	return (s);
}

static void
probe(struct plan_step *s, char **argv, const char *match, int negate)
{
	plan_step_probe(s, argv, match, negate);
	strv_free(argv);
}

static void
verify(struct plan_step *s, char **argv, const char *match, int negate)
{
	plan_step_verify(s, argv, match, negate);
	strv_free(argv);
}

static void
undo(struct plan_step *s, char **argv)
{
	plan_step_undo(s, argv);
	strv_free(argv);
}

static char *
step_id(const char *what, const char *name)
{
	return (xprintf("%s-%s", what, name));
}

/* "vg0/web1" */
static char *
lv_full(const struct pool *p, const char *name)
{
	return (xprintf("%s/%s", p->name, name));
}

/* Probes for LVs. */
static char **
lv_exists_argv(const struct pool *p, const char *name)
{
	char	*full = lv_full(p, name), **v;

	v = av("lvs", "--noheadings", "-o", "lv_name", full, NULL);
	free(full);
	return (v);
}

static char **
lv_tags_argv(const struct pool *p, const char *name)
{
	char	*full = lv_full(p, name), **v;

	v = av("lvs", "--noheadings", "-o", "lv_tags", full, NULL);
	free(full);
	return (v);
}

static char **
lv_size_at_least_argv(const struct pool *p, const char *name, uint64_t size)
{
	char	*full = lv_full(p, name), *sel, **v;

	sel = xprintf("lv_size>=%llub", (unsigned long long)size);
	v = av("lvs", "--noheadings", "-o", "lv_name", "-S", sel, full, NULL);
	free(sel);
	free(full);
	return (v);
}

static char **
lv_remove_argv(const struct pool *p, const char *name)
{
	char	*full = lv_full(p, name), **v;

	v = av("lvremove", "-y", full, NULL);
	free(full);
	return (v);
}

/* Probes for files. */
static char **
file_exists_argv(const char *path)
{
	return (av("test", "-e", path, NULL));
}

/* The step that drops the incomplete tag, once its work is done. */
static void
add_complete(struct plan *pl, const struct pool *p, const char *name)
{
	struct plan_step	*s;
	char			*id, *full, *title;

	id = step_id("complete", name);
	full = lv_full(p, name);
	title = xprintf("Mark %s complete", full);
	s = add_run(pl, id, title, av("lvchange", "--deltag",
	    POOL_TAG_INCOMPLETE, full, NULL));
	plan_step_explain(s, "Drops the tag %s: from now on xendeck treats "
	    "%s as the guest's, and never zeroes or copies over it again.",
	    POOL_TAG_INCOMPLETE, full);
	probe(s, lv_tags_argv(p, name), POOL_TAG_INCOMPLETE, 1);
	free(title);
	free(full);
	free(id);
}

/* Set (or add) a fact, with the step that changes it. */
static void
fact_set(struct plan *pl, const char *key, const char *value,
    const char *changed_by)
{
	size_t	 i;

	for (i = 0; i < pl->nfacts; i++) {
		if (strcmp(pl->facts[i].key, key) != 0)
			continue;
		if (changed_by != NULL && pl->facts[i].changed_by == NULL)
			pl->facts[i].changed_by = xstrdup(changed_by);
		return;
	}
	plan_fact(pl, key, value, changed_by);
}

/* A volume as a fact's value: "8589934592 raw", "... origin web1". */
static char *
volume_fact(const struct volume *v)
{
	if (v == NULL)
		return (xstrdup("absent"));
	return (xprintf("%llu %s%s%s%s", (unsigned long long)v->size,
	    v->format, v->thin ? " thin" : "", v->origin != NULL ?
	    " origin " : "", v->origin != NULL ? v->origin : ""));
}

static char *
users_string(char **who)
{
	char	*s = strv_join(who, ", ");

	return (s != NULL ? s : xstrdup("none"));
}

/* The facts of volume NAME, from a loaded context. */
static void
pctx_facts(struct plan *pl, const struct pctx *c, const char *name,
    const char *changed_by)
{
	const struct volume	*v = pctx_vol(c, name);
	char			*key, *value;

	key = xprintf("volume %s/%s", c->pool->name, v != NULL ? v->name :
	    name);
	value = volume_fact(v);
	fact_set(pl, key, value, changed_by);
	free(key);
	free(value);
	if (v != NULL) {
		key = xprintf("volume %s/%s used by", c->pool->name, v->name);
		value = users_string(v->used_by);
		fact_set(pl, key, value, NULL);
		free(key);
		free(value);
	}
	/* A directory's free space moves with every write on its disk. */
	if (c->pool->type == POOL_LVM) {
		key = xprintf("pool %s free", c->pool->name);
		value = xprintf("%llu", (unsigned long long)c->pool->free);
		fact_set(pl, key, value, changed_by);
		free(key);
		free(value);
	}
}

void
pool_facts(struct plan *pl, const struct pool *p, const char *name)
{
	struct pctx	 c;
	char		*cause = NULL, *key;

	if (pctx_load(&c, p, &cause) != 0) {
		key = xprintf("pool %s", p->name);
		fact_set(pl, key, cause, NULL);
		free(key);
		free(cause);
		return;
	}
	pctx_facts(pl, &c, name, NULL);
	pctx_free(&c);
}

/* Round up to whole extents, as lvcreate does. */
static uint64_t
lvm_round(const struct pctx *c, uint64_t size)
{
	const struct lvm_vg	*vg = lvm_vg_find(&c->rep, c->pool->name);
	uint64_t		 ext = vg != NULL && vg->extent != 0 ?
				     vg->extent : 4 * 1024 * 1024;

	return ((size + ext - 1) / ext * ext);
}

/* -2 when size does not fit in the pool's free space. */
static int
check_fits(const struct pctx *c, uint64_t need, const char *what,
    char **cause)
{
	char	*a, *b;

	if (need <= c->pool->free)
		return (0);
	a = pool_size_string(need);
	b = pool_size_string(c->pool->free);
	*cause = xprintf("size: %s does not fit: %s has %s free%s", a,
	    c->pool->name, b, what);
	free(a);
	free(b);
	return (-2);
}

/* The users of a volume that is in use, or NULL. */
static char *
volume_in_use(const struct pctx *c, const struct volume *v, int running)
{
	char	**who;
	char	 *s = NULL;

	who = disk_users_of(&c->users, v->path, running ?
	    DISK_USERS_RUNNING : 0);
	if (who != NULL)
		s = users_string(who);
	strv_free(who);
	return (s);
}

/* The names of the volumes whose origin (snapshot, backing file) is NAME. */
static char *
volume_dependents(const struct pctx *c, const struct volume *v)
{
	char	*s = NULL, *next;
	size_t	 i;

	for (i = 0; i < c->nvols; i++) {
		if (c->vols[i].origin == NULL ||
		    (strcmp(c->vols[i].origin, v->name) != 0 &&
		    strcmp(c->vols[i].origin, v->path) != 0))
			continue;
		xasprintf(&next, "%s%s%s", s != NULL ? s : "",
		    s != NULL ? ", " : "", c->vols[i].name);
		free(s);
		s = next;
	}
	/* Thin volumes live in their pool. */
	for (i = 0; c->pool->type == POOL_LVM && i < c->rep.nlvs; i++) {
		if (strcmp(c->rep.lvs[i].vg, c->pool->name) != 0 ||
		    strcmp(c->rep.lvs[i].pool_lv, v->name) != 0)
			continue;
		xasprintf(&next, "%s%s%s", s != NULL ? s : "",
		    s != NULL ? ", " : "", c->rep.lvs[i].name);
		free(s);
		s = next;
	}
	return (s);
}

/* The file system on PATH as blkid sees it ("ext4"), its block size. */
static char *
fs_type(const char *path, uint64_t *blocksize)
{
	char *const		 argv[] = { "blkid", "-p", "-o", "export",
				     (char *)path, NULL };
	struct spawn_result	 res;
	char			*cause = NULL, *type = NULL, *line, *last;

	*blocksize = 0;
	if (access(path, R_OK) != 0)
		return (NULL);
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT | SPAWN_NOCHECK, 30000,
	    &res, &cause) != 0) {
		free(cause);
		spawn_result_free(&res);
		return (NULL);
	}
	for (line = strtok_r(res.out != NULL ? res.out : "", "\n", &last);
	    line != NULL; line = strtok_r(NULL, "\n", &last)) {
		if (strncmp(line, "TYPE=", 5) == 0)
			type = xstrdup(line + 5);
		else if (strncmp(line, "PTTYPE=", 7) == 0 && type == NULL)
			type = xprintf("%s partition table", line + 7);
		else if (strncmp(line, "BLOCK_SIZE=", 11) == 0)
			*blocksize = strtoull(line + 11, NULL, 10);
	}
	spawn_result_free(&res);
	return (type);
}

/*
 * chmod 0600 of a new image file, whatever its directory's mode and the
 * umask (qemu-img and truncate make it 0644 as a rule): it holds a
 * guest's data. Its step is ID-private.
 */
static void
add_private(struct plan *pl, const char *id, const char *path)
{
	struct plan_step	*s;
	char			*sid, *title;

	sid = xprintf("%s-private", id);
	title = xprintf("Make %s readable by root only", path);
	s = add_run(pl, sid, title, av("chmod", "0600", path, NULL));
	plan_step_explain(s, "The image holds the guest's data: no other user "
	    "of this host may read it (qemu-img and truncate make it as the "
	    "umask says, 0644 as a rule).");
	probe(s, av("stat", "-c", "mode %a", path, NULL), "mode 600", 0);
	verify(s, av("stat", "-c", "mode %a", path, NULL), "mode 600", 0);
	free(title);
	free(sid);
}

int
pool_plan_create(struct plan *pl, const struct pool *p, const char *name,
    uint64_t size, const char *format, char **cause)
{
	struct pctx		 c;
	const struct volume	*v;
	struct plan_step	*s;
	char			*id = NULL, *full = NULL, *sz = NULL, *title;
	char			*path = NULL, *human = NULL, *a;
	int			 rc = -1;

	if (format == NULL || *format == '\0')
		format = "raw";
	if (pool_check_name(name, "name", cause) != 0)
		return (-2);
	if (strcmp(format, "raw") != 0 && strcmp(format, "qcow2") != 0) {
		*cause = xprintf("format: '%s': raw or qcow2", format);
		return (-2);
	}
	if (p->type == POOL_LVM && strcmp(format, "raw") != 0) {
		*cause = xprintf("format: a logical volume is raw (qcow2 is "
		    "for directory pools)");
		return (-2);
	}
	if (p->type == POOL_DIR && pool_image_format(name, NULL) != NULL) {
		*cause = xprintf("name: '%s': give the name without the "
		    "extension (the format says it)", name);
		return (-2);
	}
	if (pctx_load(&c, p, cause) != 0)
		return (-1);
	if (p->type == POOL_LVM)
		size = lvm_round(&c, size);
	human = pool_size_string(size);
	if ((v = pctx_vol(&c, name)) != NULL) {
		/* The same answers again: every step's probe says done. */
		if (v->size != size || strcmp(v->format, format) != 0) {
			a = pool_size_string(v->size);
			*cause = xprintf("name: %s already exists in %s (%s %s"
			    "); resize it with action=resize, or pick "
			    "another name", v->name, p->name, a, v->format);
			free(a);
			rc = -2;
			goto out;
		}
	} else if (p->type == POOL_DIR || p->thinpool == NULL) {
		if ((rc = check_fits(&c, size, "", cause)) != 0)
			goto out;
		rc = -1;
	}
	id = step_id("create", name);
	pctx_facts(pl, &c, name, id);
	sz = pool_size_arg(size);
	path = pool_volume_path(p, name, format);
	full = lv_full(p, name);

	if (p->type == POOL_DIR) {
		if (!have_qemu_img() && strcmp(format, "qcow2") == 0) {
			*cause = xstrdup("format: a qcow2 image needs qemu-img "
			    "(apt-get install qemu-utils); raw needs nothing");
			rc = -2;
			goto out;
		}
		title = xprintf("Create the %s image %s (%s)", format, path,
		    human);
		/* A raw image is a sparse file: no qemu-img needed for it. */
		s = add_run(pl, id, title, have_qemu_img() ? av("qemu-img",
		    "create", "-q", "-f", format, path, sz, NULL) :
		    av("truncate", "-s", sz, path, NULL));
		free(title);
		plan_step_explain(s, "The guide's HVM guest keeps its disk in "
		    "an image file, made here %s, so it takes space only as the "
		    "guest writes, and whatever the guest has not written reads "
		    "as zeros.", strcmp(format, "qcow2") == 0 ? "as qcow2 "
		    "(growing with use, and able to back overlays)" :
		    "sparse");
		probe(s, file_exists_argv(path), NULL, 0);
		verify(s, av("test", "-f", path, NULL), NULL, 0);
		undo(s, av("rm", "-f", "--", path, NULL));
		add_private(pl, id, path);
		rc = 0;
		goto out;
	}

	if (p->thinpool != NULL) {
		const struct lvm_lv	*tp = pctx_lv(&c, p->thinpool);

		title = xprintf("Create the thin volume %s (%s) in the thin "
		    "pool %s", full, human, p->thinpool);
		s = add_run(pl, id, title, av("lvcreate", "-n", name, "-V", sz,
		    "--thinpool", p->thinpool, p->name, NULL));
		free(title);
		plan_step_explain(s, "The guide's lvcreate -n %s -L %s %s, "
		    "made thin because %s has the thin pool %s: the volume "
		    "takes space only as the guest writes, a clone of it is "
		    "instant, and blocks the guest never wrote read as zeros.",
		    name, sz, p->name, p->name, p->thinpool);
		if (tp != NULL && tp->zero == 0)
			plan_note(pl, "The thin pool %s/%s does not zero new "
			    "blocks: a guest may read old data in the part of "
			    "a block it has not written (turn zeroing on with "
			    "lvchange -Zy %s/%s).", p->name, p->thinpool,
			    p->name, p->thinpool);
		if (tp != NULL && size > tp->size) {
			a = pool_size_string(tp->size);
			plan_note(pl, "%s is larger than the thin pool %s (%s)"
			    ": it works until the guests together write more "
			    "than the pool holds.", human, p->thinpool, a);
			free(a);
		}
		probe(s, lv_exists_argv(p, name), NULL, 0);
		verify(s, lv_exists_argv(p, name), NULL, 0);
		undo(s, lv_remove_argv(p, name));
		rc = 0;
		goto out;
	}

	title = xprintf("Create the logical volume %s (%s)", full, human);
	s = add_run(pl, id, title, av("lvcreate", "-n", name, "-L", sz,
	    "--addtag", POOL_TAG_INCOMPLETE, "--yes", p->name, NULL));
	free(title);
	plan_step_explain(s, "The guide's lvcreate -n %s -L %s %s: a logical "
	    "volume is a slice of the volume group that the guest sees as a "
	    "whole disk. The tag %s stays on it until it is zeroed; --yes "
	    "wipes any old signature lvcreate finds at its start.", name, sz,
	    p->name, POOL_TAG_INCOMPLETE);
	probe(s, lv_exists_argv(p, name), NULL, 0);
	verify(s, lv_exists_argv(p, name), NULL, 0);
	undo(s, lv_remove_argv(p, name));
	free(id);

	id = step_id("zero", name);
	title = xprintf("Zero %s, so the guest never reads old data", full);
	s = add_run(pl, id, title, av("blkdiscard", "-z", path, NULL));
	free(title);
	plan_step_explain(s, "A new LV gets extents that may still hold what "
	    "an earlier volume wrote, and lvcreate zeroes only its first 4 "
	    "KiB: the guide stops there, and so does xen-create-image "
	    "(xen-tools#39: a new guest could read an old guest's files). "
	    "blkdiscard -z writes zeros over all of %s (with the disk's "
	    "write-zeroes command where it has one, which is quick).", path);
	probe(s, lv_tags_argv(p, name), POOL_TAG_INCOMPLETE, 1);
	s->flags |= PLAN_RERUN;
	add_complete(pl, p, name);
	rc = 0;
out:
	if (rc == 0 && v != NULL)
		plan_note(pl, "%s already exists in %s with these answers: "
		    "nothing to do.", v->name, p->name);
	pctx_free(&c);
	free(human);
	free(path);
	free(full);
	free(sz);
	free(id);
	return (rc);
}

/* The steps that grow the file system on a grown volume, or a note. */
static void
add_fs_grow(struct plan *pl, const struct pctx *c, const struct volume *v,
    uint64_t size, int running)
{
	struct plan_step	*s;
	uint64_t		 bs;
	char			*type, *id, *title, *match, *count;

	if (strcmp(v->format, "qcow2") == 0) {
		plan_note(pl, "%s is a qcow2 image: grow the file system in "
		    "it from inside the guest (resize2fs, xfs_growfs).",
		    v->name);
		return;
	}
	if ((type = fs_type(v->path, &bs)) == NULL) {
		if (access(v->path, R_OK) != 0)
			plan_note(pl, "%s could not be read (%s), so its file "
			    "system is not grown: grow it inside the guest.",
			    v->path, strerror(errno));
		return;
	}
	if (strncmp(type, "ext", 3) != 0 || bs == 0) {
		plan_note(pl, "%s holds %s, which xendeck does not grow: "
		    "grow it inside the guest (growpart, then resize2fs or "
		    "xfs_growfs).", v->name, type);
		free(type);
		return;
	}
	if (running) {
		plan_note(pl, "%s's %s file system is in use by a running "
		    "guest: grow it inside the guest (resize2fs /dev/xvdX); "
		    "resizing it from here under the guest would corrupt it.",
		    v->name, type);
		free(type);
		return;
	}
	/* dumpe2fs -h prints "Block count:" padded to 26 columns. */
	count = xprintf("%llu", (unsigned long long)(size / bs));
	match = xprintf("%-26s%s", "Block count:", count);

	id = step_id("fsck", v->name);
	title = xprintf("Check the %s file system on %s", type, v->path);
	s = add_run(pl, id, title, av("e2fsck", "-f", "-p", v->path, NULL));
	plan_step_explain(s, "resize2fs grows an unmounted file system only "
	    "after a full check (e2fsck -f); -p repairs what is safe to "
	    "repair and stops on anything else.");
	probe(s, av("dumpe2fs", "-h", v->path, NULL), match, 0);
	s->flags |= PLAN_RERUN;
	free(title);
	free(id);

	id = step_id("resize2fs", v->name);
	title = xprintf("Grow the %s file system to fill %s", type, v->path);
	s = add_run(pl, id, title, av("resize2fs", v->path, NULL));
	plan_step_explain(s, "resize2fs with no size grows the file system to "
	    "the whole volume (%s blocks of %llu bytes).", count,
	    (unsigned long long)bs);
	probe(s, av("dumpe2fs", "-h", v->path, NULL), match, 0);
	verify(s, av("dumpe2fs", "-h", v->path, NULL), match, 0);
	s->flags |= PLAN_RERUN;
	free(title);
	free(id);
	free(match);
	free(count);
	free(type);
}

int
pool_plan_resize(struct plan *pl, const struct pool *p, const char *name,
    uint64_t size, char **cause)
{
	struct pctx		 c;
	const struct volume	*v;
	const struct lvm_lv	*lv = NULL;
	struct plan_step	*s;
	uint64_t		 cur;
	char			*id = NULL, *full = NULL, *sz = NULL, *title;
	char			*a, *b, *running = NULL, *off, *len, *match;
	int			 rc = -2, whole;

	if (pctx_load(&c, p, cause) != 0)
		return (-1);
	if ((v = pctx_vol(&c, name)) == NULL) {
		*cause = xprintf("name: no volume '%s' in %s", name, p->name);
		goto out;
	}
	if (p->type == POOL_LVM) {
		lv = pctx_lv(&c, v->name);
		size = lvm_round(&c, size);
	}
	/* A classic snapshot or a thin pool grows its space, not a disk. */
	whole = lv == NULL || (!lv->snapshot && !lv->thin_pool);
	cur = lv != NULL ? lv->size : v->size;
	if (size < cur) {
		a = pool_size_string(cur);
		b = pool_size_string(size);
		*cause = xprintf("size: resize grows only: %s is %s, not less"
		    " (%s would cut off what is written at its end)", v->name,
		    a, b);
		free(a);
		free(b);
		goto out;
	}
	running = volume_in_use(&c, v, 1);
	if (running != NULL && p->type == POOL_DIR) {
		*cause = xprintf("name: %s is in use by %s: shut it down "
		    "first (its QEMU holds the image open)", v->name, running);
		goto out;
	}
	if (size > cur && (p->type == POOL_DIR || !lv->thin) &&
	    check_fits(&c, size - cur, " to grow by", cause) != 0)
		goto out;
	rc = -1;
	id = step_id("resize", v->name);
	pctx_facts(pl, &c, v->name, id);
	sz = pool_size_arg(size);
	full = lv_full(p, v->name);
	if (size == cur)
		plan_note(pl, "%s is already %s: nothing to grow.", v->name,
		    hsize(size));

	if (p->type == POOL_DIR) {
		title = xprintf("Grow the image %s to %s", v->path,
		    hsize(size));
		if (strcmp(v->format, "raw") == 0) {
			/* A raw image's size is its file's. */
			s = add_run(pl, id, title, av("truncate", "-s", sz,
			    v->path, NULL));
			match = xprintf("size=%llu.", (unsigned long long)size);
			probe(s, av("stat", "-c", "size=%s.", v->path, NULL),
			    match, 0);
		} else {
			if (!have_qemu_img()) {
				*cause = xstrdup("name: growing a qcow2 image "
				    "needs qemu-img (apt-get install "
				    "qemu-utils)");
				rc = -2;
				free(title);
				goto out;
			}
			s = add_run(pl, id, title, av("qemu-img", "resize",
			    "-q", "-f", v->format, v->path, sz, NULL));
			match = xprintf("\"virtual-size\": %llu,",
			    (unsigned long long)size);
			probe(s, av("qemu-img", "info", "-U", "-f", v->format,
			    "--output=json", v->path, NULL), match, 0);
		}
		plan_step_explain(s, "The disk the guest sees grows to %s; the "
		    "new part reads as zeros (a raw image is a sparse file: "
		    "truncate -s extends it).", hsize(size));
		free(match);
		free(title);
		add_fs_grow(pl, &c, v, size, 0);
		rc = 0;
		goto out;
	}

	if (whole && !lv->thin) {
		free(id);
		id = step_id("mark", v->name);
		title = xprintf("Mark %s incomplete until its new part is "
		    "zeroed", full);
		s = add_run(pl, id, title, av("lvchange", "--addtag",
		    POOL_TAG_INCOMPLETE, full, NULL));
		plan_step_explain(s, "The tag %s says the zeroing below has "
		    "not happened yet, so a crash before it is resumed "
		    "correctly.", POOL_TAG_INCOMPLETE);
		probe(s, lv_size_at_least_argv(p, v->name, size), v->name, 0);
		s->flags |= PLAN_RERUN;
		free(title);
		free(id);
		id = step_id("resize", v->name);
	}
	title = xprintf("Grow %s to %s", full, hsize(size));
	s = add_run(pl, id, title, av("lvextend", "-L", sz, full, NULL));
	if (lv->snapshot)
		plan_step_explain(s, "lvextend -L %s %s gives the snapshot "
		    "more room for changed blocks (it is %.0f%% full); a "
		    "snapshot that fills up becomes invalid.", sz, full,
		    lv->snap_pct < 0 ? 0 : lv->snap_pct);
	else
		plan_step_explain(s, "The guide has no resize step: lvextend "
		    "-L %s %s grows the logical volume in place (lvextend(8))"
		    ".", sz, full);
	probe(s, lv_size_at_least_argv(p, v->name, size), v->name, 0);
	verify(s, lv_size_at_least_argv(p, v->name, size), v->name, 0);
	free(title);

	if (whole && !lv->thin) {
		free(id);
		id = step_id("zero", v->name);
		title = xprintf("Zero the new part of %s", full);
		off = xprintf("%llu", (unsigned long long)cur);
		len = xprintf("%llu", (unsigned long long)(size - cur));
		s = add_run(pl, id, title, av("blkdiscard", "-z", "-o", off,
		    "-l", len, v->path, NULL));
		plan_step_explain(s, "The new extents may hold an old "
		    "volume's data (xen-tools#39); blkdiscard -z zeroes the "
		    "%s after the old end.", hsize(size - cur));
		probe(s, lv_tags_argv(p, v->name), POOL_TAG_INCOMPLETE, 1);
		s->flags |= PLAN_RERUN;
		free(off);
		free(len);
		free(title);
		add_complete(pl, p, v->name);
	}
	if (whole)
		add_fs_grow(pl, &c, v, size, running != NULL);
	rc = 0;
out:
	pctx_free(&c);
	free(running);
	free(full);
	free(sz);
	free(id);
	return (rc);
}

/* -2 unless ORIGIN is a volume of the pool that can be copied now. */
static const struct volume *
origin_check(const struct pctx *c, const char *origin, const char *why,
    char **cause)
{
	const struct volume	*o;
	const struct lvm_lv	*lv;
	char			*running;

	if ((o = pctx_vol(c, origin)) == NULL) {
		*cause = xprintf("origin: no volume '%s' in %s", origin,
		    c->pool->name);
		return (NULL);
	}
	if (c->pool->type == POOL_LVM && (lv = pctx_lv(c, o->name)) != NULL) {
		if (lv->thin_pool) {
			*cause = xprintf("origin: %s is a thin pool, not a "
			    "disk", o->name);
			return (NULL);
		}
		if (lv->snapshot) {
			*cause = xprintf("origin: %s is itself a snapshot (of "
			    "%s); use its origin", o->name, lv->origin);
			return (NULL);
		}
		if (lvm_has_tag(lv, POOL_TAG_INCOMPLETE)) {
			*cause = xprintf("origin: %s is not complete yet (tag "
			    "%s): finish the run that made it", o->name,
			    POOL_TAG_INCOMPLETE);
			return (NULL);
		}
	}
	if (why != NULL && (running = volume_in_use(c, o, 1)) != NULL) {
		*cause = xprintf("origin: %s is in use by %s: %s", o->name,
		    running, why);
		free(running);
		return (NULL);
	}
	return (o);
}

/* -2 if NAME exists other than as a copy of ORIGIN; *same if it does. */
static int
target_check(const struct pctx *c, const char *name,
    const struct volume *o, int *same, char **cause)
{
	const struct volume	*v;

	*same = 0;
	if (pool_check_name(name, "name", cause) != 0)
		return (-2);
	if ((v = pctx_vol(c, name)) == NULL)
		return (0);
	if (v->origin != NULL && (strcmp(v->origin, o->name) == 0 ||
	    strcmp(v->origin, o->path) == 0)) {
		*same = 1;
		return (0);
	}
	*cause = xprintf("name: %s already exists in %s (%s%s%s); pick "
	    "another name", v->name, c->pool->name, hsize(v->size),
	    v->origin != NULL ? ", a copy of " : "", v->origin != NULL ?
	    v->origin : "");
	return (-2);
}

/* lvcreate -s -kn ... and udevadm settle: a thin snapshot, usable now. */
static void
add_thin_snapshot(struct plan *pl, const struct pool *p,
    const struct volume *o, const char *name, const char *id,
    const char *title)
{
	struct plan_step	*s;
	char			*origin, *path, *settle, *udevadm;

	origin = lv_full(p, o->name);
	s = add_run(pl, id, title, av("lvcreate", "-s", "-kn", "-n", name,
	    origin, NULL));
	plan_step_explain(s, "The guide's lvcreate -s, on a thin volume: the "
	    "snapshot shares every block with %s until one of them writes "
	    "it, so it takes no space and no time now, and writes to %s do "
	    "not slow down (a classic snapshot's do). Thin snapshots are "
	    "made with the activation-skip flag; -kn clears it, so "
	    "/dev/%s/%s appears.", o->name, o->name, p->name, name);
	probe(s, lv_exists_argv(p, name), NULL, 0);
	verify(s, lv_exists_argv(p, name), NULL, 0);
	undo(s, lv_remove_argv(p, name));
	free(origin);
	if ((udevadm = spawn_which("udevadm")) == NULL)
		return;
	free(udevadm);
	settle = step_id("settle", name);
	path = pool_volume_path(p, name, "raw");
	s = add_run(pl, settle, "Wait for udev to make the device node",
	    av("udevadm", "settle", NULL));
	plan_step_explain(s, "udevadm settle waits until udev has created "
	    "%s, so the next step finds it.", path);
	probe(s, av("test", "-b", path, NULL), NULL, 0);
	s->flags |= PLAN_RERUN;
	free(path);
	free(settle);
}

/* qemu-img create -f qcow2 -b ORIGIN -F FMT NEW: a qcow2 overlay. */
static void
add_overlay(struct plan *pl, const struct volume *o, const char *path,
    const char *id, const char *title, const char *why)
{
	struct plan_step	*s;

	s = add_run(pl, id, title, av("qemu-img", "create", "-q", "-f",
	    "qcow2", "-b", o->path, "-F", o->format, path, NULL));
	plan_step_explain(s, "A qcow2 overlay on %s: reads come from %s "
	    "until the guest writes, writes go to the overlay only; it takes "
	    "no time and almost no space now. %s", o->path, o->name, why);
	probe(s, file_exists_argv(path), NULL, 0);
	verify(s, av("qemu-img", "info", "-U", "-f", "qcow2", path, NULL),
	    o->path, 0);
	undo(s, av("rm", "-f", "--", path, NULL));
	add_private(pl, id, path);
}

/* Whether files in DIR can share blocks (FICLONE: btrfs, XFS...). */
static int
dir_has_reflink(const char *dir)
{
	char	*a, *b;
	int	 fa = -1, fb = -1, ok = 0;

	a = xprintf("%s/.xendeck-reflink.%ld", dir, (long)getpid());
	b = xprintf("%s.b", a);
	if ((fa = open(a, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) != -1 &&
	    write(fa, "x", 1) == 1 &&
	    (fb = open(b, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) != -1)
		ok = ioctl(fb, FICLONE, fa) == 0;
	if (fa != -1) {
		close(fa);
		unlink(a);
	}
	if (fb != -1) {
		close(fb);
		unlink(b);
	}
	free(a);
	free(b);
	return (ok);
}

/*
 * How a directory pool clones: a qcow2 overlay where qemu-img is, else a
 * reflink copy where the file system has one, else a full copy.
 */
enum pool_clone_how { CLONE_OVERLAY, CLONE_REFLINK, CLONE_COPY };

static enum pool_clone_how
dir_clone_how(const char *dir)
{
	if (have_qemu_img())
		return (CLONE_OVERLAY);
	return (dir_has_reflink(dir) ? CLONE_REFLINK : CLONE_COPY);
}

/* cp to NEW.partial, then rename: a crash never leaves half a copy. */
static void
add_file_copy(struct plan *pl, const struct volume *o, const char *path,
    const char *name, int reflink)
{
	struct plan_step	*s;
	char			*partial, *id, *title;

	partial = xprintf("%s.partial", path);
	id = step_id("copy", name);
	title = xprintf("%s %s to %s", reflink ? "Reflink-copy" :
	    "Copy (in full)", o->path, partial);
	s = add_run(pl, id, title, av("cp", reflink ? "--reflink=always" :
	    "--sparse=always", "--", o->path, partial, NULL));
	if (reflink)
		plan_step_explain(s, "The file system shares %s's blocks with "
		    "the copy until either writes them: instant, no space "
		    "now (and qemu-img, for an overlay, is not installed).",
		    o->name);
	else
		plan_step_explain(s, "No faster way is available here (no "
		    "qemu-img for an overlay, no reflink in this file system)"
		    ": a full copy of %s (%s), holes kept as holes.", o->name,
		    hsize(o->allocated));
	probe(s, file_exists_argv(path), NULL, 0);
	s->flags |= PLAN_RERUN;
	free(title);
	free(id);
	id = step_id("clone", name);
	title = xprintf("Move the copy into place as %s", path);
	s = add_run(pl, id, title, av("mv", "--", partial, path, NULL));
	probe(s, file_exists_argv(path), NULL, 0);
	undo(s, av("rm", "-f", "--", path, NULL));
	free(title);
	free(id);
	free(partial);
}

/* An LV copied block by block from its origin (no thin snapshot here). */
static int
add_lv_copy(struct plan *pl, const struct pctx *c, const struct volume *o,
    const char *name, const char *id, char **cause)
{
	const struct pool	*p = c->pool;
	struct plan_step	*s;
	char			*sz, *title, *full, *path, *oarg, *copy;

	sz = pool_size_arg(o->size);
	full = lv_full(p, name);
	path = pool_volume_path(p, name, "raw");
	if (p->thinpool == NULL && check_fits(c, lvm_round(c, o->size),
	    " for a full copy", cause) != 0) {
		free(sz);
		free(full);
		free(path);
		return (-2);
	}
	title = xprintf("Create %s (%s) for a full copy of %s", full,
	    hsize(o->size), o->name);
	if (p->thinpool != NULL)
		s = add_run(pl, id, title, av("lvcreate", "-n", name, "-V", sz,
		    "--thinpool", p->thinpool, "--addtag", POOL_TAG_INCOMPLETE,
		    p->name, NULL));
	else
		s = add_run(pl, id, title, av("lvcreate", "-n", name, "-L", sz,
		    "--addtag", POOL_TAG_INCOMPLETE, "--yes", p->name, NULL));
	plan_step_explain(s, "%s is not a thin volume, so it cannot be "
	    "cloned by a thin snapshot: this is a full copy, the last resort "
	    "(a classic snapshot as a clone would slow every write to %s and "
	    "break when it fills up). The tag %s stays until the copy is "
	    "done.", o->name, o->name, POOL_TAG_INCOMPLETE);
	probe(s, lv_exists_argv(p, name), NULL, 0);
	verify(s, lv_exists_argv(p, name), NULL, 0);
	undo(s, lv_remove_argv(p, name));
	free(title);

	copy = step_id("copy", name);
	title = xprintf("Copy %s into %s", o->path, path);
	oarg = xprintf("if=%s", o->path);
	free(full);
	full = xprintf("of=%s", path);
	s = add_run(pl, copy, title, av("dd", oarg, full, "bs=4M",
	    p->thinpool != NULL ? "conv=fsync,sparse" : "conv=fsync",
	    "status=none", NULL));
	plan_step_explain(s, "dd copies every block of %s (%s)%s.", o->name,
	    hsize(o->size), p->thinpool != NULL ? "; blocks of zeros are "
	    "skipped, and read as zeros from the thin volume" : "");
	probe(s, lv_tags_argv(p, name), POOL_TAG_INCOMPLETE, 1);
	s->flags |= PLAN_RERUN;
	add_complete(pl, p, name);
	plan_note(pl, "%s/%s is not a thin volume, so the clone %s is a full "
	    "copy (%s). Templates in a thin pool clone instantly.", p->name,
	    o->name, name, hsize(o->size));
	free(title);
	free(oarg);
	free(copy);
	free(full);
	free(path);
	free(sz);
	return (0);
}

int
pool_plan_clone(struct plan *pl, const struct pool *p, const char *origin,
    const char *name, char **cause)
{
	struct pctx		 c;
	const struct volume	*o;
	const struct lvm_lv	*lv;
	char			*id = NULL, *title = NULL, *path = NULL;
	enum pool_clone_how	 how;
	int			 rc = -2, same;

	if (pctx_load(&c, p, cause) != 0)
		return (-1);
	if ((o = origin_check(&c, origin, "a copy of a disk that is being "
	    "written is not consistent: shut it down first", cause)) == NULL)
		goto out;
	if (target_check(&c, name, o, &same, cause) != 0)
		goto out;
	id = step_id("clone", name);
	pctx_facts(pl, &c, o->name, NULL);
	pctx_facts(pl, &c, name, id);
	rc = 0;
	if (p->type == POOL_LVM) {
		lv = pctx_lv(&c, o->name);
		if (lv != NULL && lv->thin) {
			title = xprintf("Clone %s/%s as the thin snapshot %s",
			    p->name, o->name, name);
			add_thin_snapshot(pl, p, o, name, id, title);
		} else
			rc = add_lv_copy(pl, &c, o, name, id, cause);
		goto out;
	}
	switch ((how = dir_clone_how(p->name))) {
	case CLONE_OVERLAY:
		path = pool_volume_path(p, name, "qcow2");
		title = xprintf("Clone %s as the qcow2 overlay %s", o->name,
		    path);
		add_overlay(pl, o, path, id, title, "Never write to the "
		    "template while clones of it exist.");
		break;
	case CLONE_REFLINK:
	case CLONE_COPY:
		path = pool_volume_path(p, name, o->format);
		add_file_copy(pl, o, path, name, how == CLONE_REFLINK);
		if (how == CLONE_COPY)
			plan_note(pl, "The clone %s is a full copy of %s (%s): "
			    "install qemu-img (qemu-utils) for instant "
			    "overlays.", name, o->name, hsize(o->allocated));
		break;
	}
out:
	if (rc == 0 && same)
		plan_note(pl, "%s is already a copy of %s: nothing to do.",
		    name, origin);
	pctx_free(&c);
	free(path);
	free(title);
	free(id);
	return (rc);
}

int
pool_plan_snapshot(struct plan *pl, const struct pool *p, const char *origin,
    const char *name, uint64_t size, char **cause)
{
	struct pctx		 c;
	const struct volume	*o;
	const struct lvm_lv	*lv;
	struct plan_step	*s;
	char			*id = NULL, *title = NULL, *path = NULL;
	char			*sz = NULL, *full = NULL;
	int			 rc = -2, same;

	if (pctx_load(&c, p, cause) != 0)
		return (-1);
	if ((o = origin_check(&c, origin, p->type == POOL_DIR ? "an overlay "
	    "on an image that is being written is corrupt: shut it down "
	    "first" : NULL, cause)) == NULL)
		goto out;
	if (target_check(&c, name, o, &same, cause) != 0)
		goto out;
	id = step_id("snapshot", name);
	pctx_facts(pl, &c, o->name, NULL);
	pctx_facts(pl, &c, name, id);

	if (p->type == POOL_DIR) {
		if (!have_qemu_img()) {
			*cause = xstrdup("origin: a snapshot in a directory "
			    "pool is a qcow2 overlay, which needs qemu-img "
			    "(apt-get install qemu-utils)");
			goto out;
		}
		path = pool_volume_path(p, name, "qcow2");
		title = xprintf("Snapshot %s as the qcow2 overlay %s", o->name,
		    path);
		add_overlay(pl, o, path, id, title, "From now on start the "
		    "guest on the overlay: writing to the origin would corrupt "
		    "it.");
		plan_note(pl, "%s keeps %s as it is now only while nothing "
		    "writes to %s: give the guest %s from now on. (An LVM "
		    "snapshot works the other way round: the origin goes on "
		    "changing and the snapshot keeps the old blocks.)", name,
		    o->name, o->path, path);
		if (size != 0)
			plan_note(pl, "An overlay needs no size: it is as "
			    "large as %s (%s).", o->name, hsize(o->size));
		rc = 0;
		goto out;
	}
	lv = pctx_lv(&c, o->name);
	if (lv != NULL && lv->thin) {
		title = xprintf("Snapshot %s/%s as the thin snapshot %s",
		    p->name, o->name, name);
		add_thin_snapshot(pl, p, o, name, id, title);
		if (size != 0)
			plan_note(pl, "A thin snapshot needs no size: it "
			    "shares the thin pool %s with %s.", lv->pool_lv,
			    o->name);
		rc = 0;
		goto out;
	}
	if (size == 0)
		size = o->size / POOL_SNAP_SHARE;
	size = lvm_round(&c, size);
	if (!same && check_fits(&c, size, " for the snapshot", cause) != 0)
		goto out;
	rc = -1;
	sz = pool_size_arg(size);
	full = lv_full(p, o->name);
	title = xprintf("Snapshot %s as %s/%s (%s for changes)", full, p->name,
	    name, hsize(size));
	s = add_run(pl, id, title, av("lvcreate", "-s", "-n", name, "-L", sz,
	    full, NULL));
	plan_step_explain(s, "The guide's lvcreate -s: the snapshot shows %s "
	    "as it is now, while %s goes on changing. It keeps the old copy "
	    "of every block that changes (in either), in the %s given here "
	    "with -L.", o->name, o->name, hsize(size));
	probe(s, lv_exists_argv(p, name), NULL, 0);
	verify(s, lv_exists_argv(p, name), NULL, 0);
	undo(s, lv_remove_argv(p, name));
	plan_note(pl, "Size of a classic snapshot: it becomes invalid (and "
	    "unreadable) once %s of blocks have changed. %s (%u%% of %s) "
	    "suits a backup that is read and removed within hours; for a "
	    "copy that lives on, make it as large as %s (%s), or grow it "
	    "later (action=resize). Writes to %s are slower while it exists; "
	    "a thin pool has neither limit.", hsize(size), hsize(size),
	    100 / POOL_SNAP_SHARE, o->name, o->name, hsize(o->size), o->name);
	rc = 0;
out:
	if (rc == 0 && same)
		plan_note(pl, "%s is already a snapshot of %s: nothing to do.",
		    name, origin);
	pctx_free(&c);
	free(full);
	free(sz);
	free(path);
	free(title);
	free(id);
	return (rc);
}

int
pool_plan_remove(struct plan *pl, const struct pool *p, const char *name,
    char **cause)
{
	struct pctx		 c;
	const struct volume	*v;
	const struct lvm_lv	*lv;
	struct plan_step	*s;
	char			*id = NULL, *title = NULL, *full = NULL;
	char			*who = NULL, *deps = NULL, **running = NULL;
	char			*path = NULL;
	int			 rc = -2;

	if (!valid_name(name)) {
		*cause = xprintf("name: '%s' is not a valid name", name);
		return (-2);
	}
	if (pctx_load(&c, p, cause) != 0)
		return (-1);
	v = pctx_vol(&c, name);
	id = step_id("remove", v != NULL ? v->name : name);
	pctx_facts(pl, &c, name, id);
	if (v == NULL) {
		plan_note(pl, "There is no volume %s in %s: nothing to "
		    "remove.", name, p->name);
		path = pool_volume_path(p, name, "raw");
		full = lv_full(p, name);
		title = xprintf("Remove %s (it is not there)", p->type ==
		    POOL_LVM ? full : path);
		s = add_run(pl, id, title, p->type == POOL_LVM ?
		    lv_remove_argv(p, name) : av("rm", "-f", "--", path, NULL));
		probe(s, p->type == POOL_LVM ? lv_exists_argv(p, name) :
		    file_exists_argv(path), NULL, 1);
		rc = 0;
		goto out;
	}
	if ((who = volume_in_use(&c, v, 0)) != NULL) {
		running = disk_users_of(&c.users, v->path, DISK_USERS_RUNNING);
		*cause = xprintf("name: %s is in use by %s: %s", v->name, who,
		    running != NULL ? "shut the domain down and take the disk "
		    "out of its config first" : "take the disk out of that "
		    "config first");
		goto out;
	}
	lv = p->type == POOL_LVM ? pctx_lv(&c, v->name) : NULL;
	if (lv != NULL && lv->open == 1) {
		*cause = xprintf("name: %s is open (mounted, or attached to a "
		    "guest): close it first", v->name);
		goto out;
	}
	if ((deps = volume_dependents(&c, v)) != NULL) {
		*cause = xprintf("name: %s %s %s: remove %s first", v->name,
		    lv != NULL && lv->thin_pool ? "holds the thin volumes" :
		    "is the origin of", deps, strchr(deps, ',') != NULL ?
		    "them" : "it");
		goto out;
	}
	rc = 0;
	full = lv_full(p, v->name);
	if (p->type == POOL_LVM) {
		title = xprintf("Remove the logical volume %s (%s)", full,
		    hsize(v->size));
		s = add_run(pl, id, title, lv_remove_argv(p, v->name));
		plan_step_explain(s, "The guide's lvremove /dev/%s/%s; -y "
		    "answers its question, since you have confirmed this "
		    "plan. Its extents go back to %s's free space.", p->name,
		    v->name, p->name);
		probe(s, lv_exists_argv(p, v->name), NULL, 1);
		/* Consent is the name= answer naming it (plan-run.c). */
		plan_step_destroys(s, name, "name");
	} else {
		title = xprintf("Remove the image %s (%s)", v->path,
		    hsize(v->size));
		s = add_run(pl, id, title, av("rm", "-f", "--", v->path,
		    NULL));
		plan_step_explain(s, "Deletes the image file and everything "
		    "the guest wrote to it.");
		probe(s, file_exists_argv(v->path), NULL, 1);
		plan_step_destroys(s, name, "name");
	}
	s->flags |= PLAN_DESTRUCTIVE;
out:
	pctx_free(&c);
	strv_free(running);
	free(deps);
	free(who);
	free(path);
	free(full);
	free(title);
	free(id);
	return (rc);
}
