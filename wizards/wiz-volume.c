/*
 * volume: make, grow, snapshot and remove a guest's disk in a pool, the
 * guide's lvcreate -n NAME -L SIZE VG, lvcreate -s and lvremove, and their
 * image-file equivalents in a directory pool. The steps are the pool
 * model's (xen-core/pool-plan.c): new LVs are zeroed, a resize grows only
 * (and grows an ext2/3/4 file system with it), a snapshot is thin where it
 * can be, and nothing in use or holding snapshots is removed.
 */
#include <stdlib.h>
#include <string.h>

#include "wizards.h"

static int	volume_facts(const struct wiz_ctx *, const struct wiz_answers *,
		    struct plan *, char **);
static int	volume_plan(const struct wiz_ctx *, const struct wiz_answers *,
		    struct plan *, char **);
static int	volume_candidates(const struct wiz_ctx *, const char *,
		    struct wiz_candidate **, size_t *, char **);
static char	*volume_def_pool(const struct wiz_ctx *,
		    const struct wiz_answers *);
static int	volume_valid_pool(const char *, char **);
static int	volume_valid_name(const char *, char **);
static int	volume_valid_size(const char *, char **);
static int	volume_valid_origin(const char *, char **);

static const char *const volume_actions[] = { "create", "resize", "snapshot",
	"remove", NULL };
static const char *const volume_formats[] = { "raw", "qcow2", NULL };

static const struct wiz_field volume_fields[] = {
	{ .key = "pool",
	  .prompt = "Pool (volume group, or image directory)",
	  .explain =
	      "An LVM volume group such as the guide's vg0, or a directory\n"
	      "pool (set up with the storage wizard).",
	  .flags = WIZ_REQUIRED,
	  .def = volume_def_pool,
	  .valid = volume_valid_pool },
	{ .key = "action",
	  .prompt = "What to do",
	  .explain =
	      "create a volume, resize it (grow only), snapshot it (name= the\n"
	      "snapshot, origin= the volume), or remove it.",
	  .flags = WIZ_REQUIRED,
	  .choices = volume_actions },
	{ .key = "name",
	  .prompt = "Volume name",
	  .explain =
	      "The logical volume or image: letters, digits, '_', '.' and\n"
	      "'-'.",
	  .flags = WIZ_REQUIRED,
	  .valid = volume_valid_name },
	{ .key = "size",
	  .prompt = "Size (8G, 512M, 100%FREE; +2G to grow)",
	  .explain =
	      "create: the disk's size. resize: the new size, or +N to grow\n"
	      "by N. snapshot: the room a classic LVM snapshot has for\n"
	      "changes (default a fifth of the origin).",
	  .flags = WIZ_NUMBER,
	  .valid = volume_valid_size },
	{ .key = "format",
	  .prompt = "Image format",
	  .explain =
	      "Directory pools: raw (default; sparse) or qcow2. A logical\n"
	      "volume is raw; a snapshot in a directory is qcow2.",
	  .flags = WIZ_ADVANCED,
	  .choices = volume_formats },
	{ .key = "origin",
	  .prompt = "Volume to snapshot",
	  .explain =
	      "snapshot: the volume the snapshot is taken of.",
	  .valid = volume_valid_origin },
	{ .key = NULL }
};

const struct wizard wiz_volume = {
	.name = "volume",
	.summary = "create, resize, snapshot or remove a guest disk in a pool "
	    "(lvcreate, lvextend, lvcreate -s, lvremove; qemu-img)",
	.guide =
	    "The guide's LVM commands: lvcreate -n NAME -L SIZE vg0 makes a "
	    "volume,\n"
	    "lvcreate -s /dev/vg0/NAME -n BACKUP -L 5G a snapshot holding 5G "
	    "of\n"
	    "changes, lvremove /dev/vg0/NAME removes one. Where xendeck "
	    "differs: a\n"
	    "new volume is zeroed (lvcreate zeroes 4 KiB only, so a guest "
	    "could read\n"
	    "an old guest's data), a volume group with a thin pool gets thin "
	    "volumes\n"
	    "and thin snapshots, a resize grows the ext4 file system with the "
	    "volume,\n"
	    "and a volume a domain or an /etc/xen config uses, or that has "
	    "snapshots,\n"
	    "is not removed. In a directory pool the same actions make sparse "
	    "raw\n"
	    "or qcow2 images (qemu-img), and a snapshot is a qcow2 overlay.\n"
	    "\n"
	    "  xendeck wizard volume --set pool=vg0 --set action=create "
	    "--set name=web1 --set size=8G\n"
	    "  xendeck wizard volume --set pool=vg0 --set action=snapshot "
	    "--set name=web1-backup --set origin=web1\n"
	    "  xendeck wizard volume --set pool=vg0 --set action=remove "
	    "--set name=web1-backup",
	.fields = volume_fields,
	.facts = volume_facts,
	.plan = volume_plan,
	.candidates = volume_candidates,
};

static int
volume_valid_pool(const char *s, char **cause)
{
	if (s[0] == '/')
		return (0);
	return (pool_check_name(s, "pool", cause) == 0 ? 0 : -1);
}

/* The pool when this host has only one; with more, it must be named. */
static char *
volume_def_pool(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	struct pool	*list = NULL;
	size_t		 n = 0;
	char		*cause = NULL, *def = NULL;

	(void)ctx;
	(void)a;
	if (pool_list(&list, &n, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if (n == 1)
		def = xstrdup(list[0].name);
	pool_list_free(list, n);
	return (def);
}

static int
volume_valid_name(const char *s, char **cause)
{
	if (!valid_name(s) || s[0] == '-') {
		*cause = xprintf("name: '%s' is not a valid name (letters, "
		    "digits, '_', '.' and '-', at most %d)", s, NAME_MAX_LEN);
		return (-1);
	}
	return (0);
}

static int
volume_valid_origin(const char *s, char **cause)
{
	if (!valid_name(s)) {
		*cause = xprintf("origin: '%s' is not a volume name", s);
		return (-1);
	}
	return (0);
}

/* Syntax only: how much is free is the plan's to say. */
static int
volume_valid_size(const char *s, char **cause)
{
	struct pool	 p = { .name = "the pool", .free = 1ULL << 40 };
	uint64_t	 n;

	if (*s == '+')
		s++;
	return (pool_parse_size(&p, s, &n, cause) == 0 ? 0 : -1);
}

static int
volume_pool(const struct wiz_answers *a, struct pool *p, char **cause)
{
	if (pool_find(wiz_get(a, "pool"), p, cause) != 0)
		return (WIZ_EINPUT);
	return (0);
}

static int
volume_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *pl, char **cause)
{
	struct pool	 p;
	const char	*origin = wiz_get(a, "origin");

	if (ctx->root != NULL) {
		*cause = xstrdup("root: pools are this host's disks and "
		    "directories; --root is not for this wizard");
		return (WIZ_EINPUT);
	}
	if (volume_pool(a, &p, cause) != 0)
		return (WIZ_EINPUT);
	if (origin != NULL && strcmp(wiz_get(a, "action"), "snapshot") == 0)
		pool_facts(pl, &p, origin);
	pool_facts(pl, &p, wiz_get(a, "name"));
	pool_free(&p);
	return (0);
}

/* size=, against the pool; +N grows the volume by N. */
static int
volume_size(const struct pool *p, const struct wiz_answers *a,
    const char *needed_for, uint64_t *size, char **cause)
{
	struct volume	 v;
	const char	*s = wiz_get(a, "size");
	char		*why = NULL;
	int		 rc;

	*size = 0;
	if (s == NULL) {
		if (needed_for == NULL)
			return (0);
		*cause = xprintf("size: required to %s a volume (8G, 512M, "
		    "100%%FREE)", needed_for);
		return (WIZ_EINPUT);
	}
	if (*s != '+')
		return (pool_parse_size(p, s, size, cause) == 0 ? 0 :
		    WIZ_EINPUT);
	if (strcmp(wiz_get(a, "action"), "resize") != 0) {
		*cause = xprintf("size: %s: +N is for action=resize", s);
		return (WIZ_EINPUT);
	}
	if ((rc = pool_parse_size(p, s + 1, size, cause)) != 0)
		return (WIZ_EINPUT);
	if (volume_find(p, wiz_get(a, "name"), &v, &why) != 0) {
		*cause = why;
		return (WIZ_EINPUT);
	}
	*size += v.size;
	volume_free(&v);
	return (0);
}

static int
volume_plan(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *pl, char **cause)
{
	struct pool	 p;
	const char	*action = wiz_get(a, "action"), *name = wiz_get(a,
			    "name"), *format = wiz_get(a, "format");
	const char	*origin = wiz_get(a, "origin");
	uint64_t	 size;
	char		*hs = NULL;
	int		 rc;

	(void)ctx;
	if (volume_pool(a, &p, cause) != 0)
		return (WIZ_EINPUT);
	rc = WIZ_EINPUT;
	if (origin != NULL && strcmp(action, "snapshot") != 0) {
		*cause = xprintf("origin: only for action=snapshot");
		goto out;
	}
	if (strcmp(action, "create") == 0) {
		if ((rc = volume_size(&p, a, "create", &size, cause)) != 0)
			goto out;
		hs = pool_size_string(size);
		pl->title = xprintf("create %s in %s (%s)", name, p.name, hs);
		rc = pool_plan_create(pl, &p, name, size, format, cause);
	} else if (strcmp(action, "resize") == 0) {
		if (format != NULL) {
			*cause = xstrdup("format: a resize keeps the format");
			goto out;
		}
		if ((rc = volume_size(&p, a, "resize", &size, cause)) != 0)
			goto out;
		hs = pool_size_string(size);
		pl->title = xprintf("resize %s in %s to %s", name, p.name, hs);
		rc = pool_plan_resize(pl, &p, name, size, cause);
	} else if (strcmp(action, "snapshot") == 0) {
		if (origin == NULL) {
			*cause = xstrdup("origin: required for a snapshot "
			    "(the volume it is taken of)");
			goto out;
		}
		if (format != NULL && (p.type == POOL_LVM ?
		    strcmp(format, "raw") != 0 : strcmp(format, "qcow2") !=
		    0)) {
			*cause = xprintf("format: a snapshot in %s is %s",
			    p.name, p.type == POOL_LVM ?
			    "a logical volume (raw)" : "a qcow2 overlay");
			goto out;
		}
		if ((rc = volume_size(&p, a, NULL, &size, cause)) != 0)
			goto out;
		pl->title = xprintf("snapshot %s of %s in %s", name, origin,
		    p.name);
		rc = pool_plan_snapshot(pl, &p, origin, name, size, cause);
	} else {
		if (wiz_get(a, "size") != NULL || format != NULL) {
			*cause = xprintf("%s: not for action=remove",
			    wiz_get(a, "size") != NULL ? "size" : "format");
			goto out;
		}
		pl->title = xprintf("remove %s from %s", name, p.name);
		rc = pool_plan_remove(pl, &p, name, cause);
	}
	if (rc == -2)
		rc = WIZ_EINPUT;
out:
	free(hs);
	pool_free(&p);
	return (rc);
}

/*
 * The console's picker: the pools (pool), and every volume of every pool
 * with its size and users (name, origin: the wizard cannot know the pool
 * chosen yet).
 */
static int
volume_candidates(const struct wiz_ctx *ctx, const char *key,
    struct wiz_candidate **v, size_t *n, char **cause)
{
	struct pool	*pools;
	struct volume	*vols;
	size_t		 np, nv, i, j;
	char		*size, *free_s, *users, *why = NULL;

	(void)ctx;
	*v = NULL;
	*n = 0;
	if (strcmp(key, "pool") != 0 && strcmp(key, "name") != 0 &&
	    strcmp(key, "origin") != 0)
		return (0);
	if (pool_list(&pools, &np, cause) != 0)
		return (-1);
	for (i = 0; i < np; i++) {
		if (strcmp(key, "pool") == 0) {
			*v = xreallocarray(*v, *n + 1, sizeof **v);
			size = pool_size_string(pools[i].size);
			free_s = pool_size_string(pools[i].free);
			(*v)[*n].value = xstrdup(pools[i].name);
			(*v)[*n].label = xprintf("%-28s %-9s %10s, %s free",
			    pools[i].name, pools[i].type == POOL_LVM ?
			    (pools[i].thinpool != NULL ? "LVM thin" : "LVM") :
			    "images", size, free_s);
			(*v)[(*n)++].usable = 1;
			free(size);
			free(free_s);
			continue;
		}
		if (pool_volumes(&pools[i], &vols, &nv, &why) != 0) {
			free(why);
			why = NULL;
			continue;
		}
		for (j = 0; j < nv; j++) {
			users = strv_join(vols[j].used_by, ", ");
			size = pool_size_string(vols[j].size);
			*v = xreallocarray(*v, *n + 1, sizeof **v);
			(*v)[*n].value = xstrdup(vols[j].name);
			(*v)[*n].label = xprintf("%-20s in %-20s %10s %s%s%s",
			    vols[j].name, pools[i].name, size, vols[j].format,
			    users != NULL ? ", used by " : "", users != NULL ?
			    users : "");
			(*v)[(*n)++].usable = 1;
			free(size);
			free(users);
		}
		volume_list_free(vols, nv);
	}
	pool_list_free(pools, np);
	return (0);
}
