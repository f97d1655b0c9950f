/*
 * The pool model: where guest disks live. An LVM volume group (what the
 * guide sets up with pvcreate and vgcreate) and a directory of image files
 * (what the embedded default uses) are both a struct pool, and their LVs
 * and images are struct volumes, so the wizards and the Storage view treat
 * them alike.
 *
 * Volume groups come from lvm2 (lvm.c). Directory pools are the default
 * one, plan_statedir()/images when it exists, and those the storage wizard
 * set up, listed one absolute path a line in plan_statedir()/pools. In a
 * directory, NAME.img and NAME.raw are raw images, NAME.qcow2 a qcow2 one
 * (qemu-img info tells its virtual size and backing file); the format is
 * never probed from the content, which a guest can write.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xen-core.h"

/* Image extensions in a directory pool, and their formats. */
static const struct {
	const char	*ext;
	const char	*format;
} pool_exts[] = {
	{ ".img", "raw" },
	{ ".raw", "raw" },
	{ ".qcow2", "qcow2" },
};

/* Names lvm2 keeps for its own sub-LVs (lvm(8), "VALID NAMES"). */
static const char *const pool_lvm_reserved[] = {
	"_cdata", "_cmeta", "_corig", "_iorig", "_mimage", "_mlog", "_pmspare",
	"_rimage", "_rmeta", "_tdata", "_tmeta", "_vdata", "_vorigin", NULL
};

char *
pool_registry_path(void)
{
	return (xprintf("%s/pools", xendeck_statedir()));
}

char *
pool_default_dir(void)
{
	return (xprintf("%s/images", xendeck_statedir()));
}

char *
pool_size_string(uint64_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	double	 v = n;
	size_t	 u;

	if (n < 1024)
		return (xprintf("%llu B", (unsigned long long)n));
	for (u = 0, v /= 1024; v >= 1024 && u + 1 < nitems(units); u++)
		v /= 1024;
	/* Rounded down: a size that does not fit never looks as if it did. */
	return (xprintf("%.1f %s", floor(v * 10) / 10, units[u]));
}

char *
pool_size_arg(uint64_t n)
{
	static const struct { uint64_t mul; char c; } units[] = {
		{ 1ULL << 40, 'T' }, { 1ULL << 30, 'G' }, { 1ULL << 20, 'M' },
		{ 1ULL << 10, 'K' },
	};
	size_t	 i;

	for (i = 0; n != 0 && i < nitems(units); i++) {
		if (n % units[i].mul == 0)
			return (xprintf("%llu%c", (unsigned long long)
			    (n / units[i].mul), units[i].c));
	}
	return (xprintf("%llub", (unsigned long long)n));
}

int
pool_check_name(const char *name, const char *field, char **cause)
{
	size_t	 i;

	if (!valid_name(name)) {
		*cause = xprintf("%s: '%s' is not a valid name (letters, "
		    "digits, '_', '.' and '-', at most %d)", field, name,
		    NAME_MAX_LEN);
		return (-2);
	}
	if (name[0] == '-' || name[0] == '.') {
		*cause = xprintf("%s: '%s' may not start with '%c'", field,
		    name, name[0]);
		return (-2);
	}
	if (strncmp(name, "snapshot", 8) == 0 ||
	    strncmp(name, "pvmove", 6) == 0) {
		*cause = xprintf("%s: '%s': names starting with 'snapshot' or "
		    "'pvmove' are lvm2's own", field, name);
		return (-2);
	}
	for (i = 0; pool_lvm_reserved[i] != NULL; i++) {
		if (strstr(name, pool_lvm_reserved[i]) != NULL) {
			*cause = xprintf("%s: '%s': names containing '%s' are "
			    "lvm2's own", field, name, pool_lvm_reserved[i]);
			return (-2);
		}
	}
	return (0);
}

int
pool_parse_size(const struct pool *pool, const char *s, uint64_t *out,
    char **cause)
{
	const char	*p;
	char		*end;
	double		 v, mul = 0;
	size_t		 n;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || isnan(v) || v <= 0 ||
	    !isdigit((unsigned char)*s)) {
		*cause = xprintf("size: '%s' is not a size (8G, 512M, "
		    "100%%FREE)", s);
		return (-2);
	}
	p = end;
	if (strcasecmp(p, "%FREE") == 0) {
		if (v > 100) {
			*cause = xprintf("size: '%s': at most 100%%FREE", s);
			return (-2);
		}
		if (pool == NULL) {
			*cause = xprintf("size: '%s' needs a pool", s);
			return (-2);
		}
		*out = (uint64_t)(pool->free * (v / 100));
		if (*out == 0) {
			*cause = xprintf("size: %s of %s is nothing: it has no "
			    "free space", s, pool->name);
			return (-2);
		}
		return (0);
	}
	n = strlen(p);
	/* "G", "GB", "GiB": binary units, as lvm2 and qemu-img read them. */
	if (n == 3 && strcasecmp(p + 1, "iB") == 0)
		n = 1;
	else if (n == 2 && (p[1] == 'B' || p[1] == 'b'))
		n = 1;
	if (n == 1) {
		switch (toupper((unsigned char)*p)) {
		case 'B':
			mul = 1;
			break;
		case 'K':
			mul = 1024.0;
			break;
		case 'M':
			mul = 1024.0 * 1024;
			break;
		case 'G':
			mul = 1024.0 * 1024 * 1024;
			break;
		case 'T':
			mul = 1024.0 * 1024 * 1024 * 1024;
			break;
		case 'P':
			mul = 1024.0 * 1024 * 1024 * 1024 * 1024;
			break;
		}
	}
	if (n == 0) {
		*cause = xprintf("size: '%s' needs a unit (K, M, G, T): %sG?",
		    s, s);
		return (-2);
	}
	if (mul == 0) {
		*cause = xprintf("size: '%s': unknown unit '%s' (K, M, G, T, "
		    "or %%FREE)", s, p);
		return (-2);
	}
	if (v * mul >= 9.0e18) {
		*cause = xprintf("size: '%s' is too large", s);
		return (-2);
	}
	*out = (uint64_t)(v * mul);
	if (*out < 512) {
		*cause = xprintf("size: '%s' is too small", s);
		return (-2);
	}
	return (0);
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->thinpool);
	strv_free(p->pvs);
	memset(p, 0, sizeof *p);
}

void
pool_list_free(struct pool *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		pool_free(&list[i]);
	free(list);
}

void
volume_free(struct volume *v)
{
	if (v == NULL)
		return;
	free(v->name);
	free(v->pool);
	free(v->path);
	free(v->format);
	free(v->origin);
	strv_free(v->used_by);
	memset(v, 0, sizeof *v);
}

void
volume_list_free(struct volume *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		volume_free(&list[i]);
	free(list);
}

/* A VG from the report as a pool. */
static void
pool_from_vg(const struct lvm_report *rep, const struct lvm_vg *vg,
    struct pool *p)
{
	size_t	 i;

	memset(p, 0, sizeof *p);
	p->name = xstrdup(vg->name);
	p->type = POOL_LVM;
	p->size = vg->size;
	p->free = vg->free;
	p->allocated = vg->size - vg->free;
	for (i = 0; i < rep->nlvs; i++) {
		if (strcmp(rep->lvs[i].vg, vg->name) == 0 &&
		    rep->lvs[i].thin_pool && p->thinpool == NULL)
			p->thinpool = xstrdup(rep->lvs[i].name);
	}
	for (i = 0; i < rep->npvs; i++) {
		if (strcmp(rep->pvs[i].vg, vg->name) == 0)
			strv_push(&p->pvs, rep->pvs[i].name);
	}
}

/* The image format of a file name in a directory pool, or NULL. */
const char *
pool_image_format(const char *file, size_t *stem)
{
	size_t	 n = strlen(file), e, i;

	for (i = 0; i < nitems(pool_exts); i++) {
		e = strlen(pool_exts[i].ext);
		if (n > e && strcmp(file + n - e, pool_exts[i].ext) == 0) {
			if (stem != NULL)
				*stem = n - e;
			return (pool_exts[i].format);
		}
	}
	return (NULL);
}

/* A directory pool's sizes: its file system's, and its images' blocks. */
static int
pool_from_dir(const char *dir, struct pool *p, char **cause)
{
	struct statvfs	 sv;
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		*path;

	memset(p, 0, sizeof *p);
	if (statvfs(dir, &sv) != 0 || (d = opendir(dir)) == NULL) {
		*cause = xprintf("pool: %s: %s", dir, strerror(errno));
		return (-1);
	}
	p->name = xstrdup(dir);
	p->type = POOL_DIR;
	p->size = (uint64_t)sv.f_blocks * sv.f_frsize;
	p->free = (uint64_t)sv.f_bavail * sv.f_frsize;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    pool_image_format(de->d_name, NULL) == NULL)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			p->allocated += (uint64_t)st.st_blocks * 512;
		free(path);
	}
	closedir(d);
	return (0);
}

/* "/a/b/" -> "/a/b"; NULL when it is not an absolute path. */
static char *
pool_dir_norm(const char *dir)
{
	char	*s;
	size_t	 n;

	if (dir[0] != '/')
		return (NULL);
	s = xstrdup(dir);
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return (s);
}

/* The directory pools: the default one if it exists, then the registry. */
static char **
pool_dirs(void)
{
	char	**dirs = NULL, *reg, *buf = NULL, *cause = NULL, *line, *last;
	char	 *def, *d;
	size_t	  i;
	struct stat st;

	def = pool_default_dir();
	if (stat(def, &st) == 0 && S_ISDIR(st.st_mode))
		strv_push(&dirs, def);
	free(def);
	reg = pool_registry_path();
	if (file_read(reg, &buf, NULL, &cause) == 0) {
		for (line = strtok_r(buf, "\n", &last); line != NULL;
		    line = strtok_r(NULL, "\n", &last)) {
			line += strspn(line, " \t");
			if (*line == '#' || (d = pool_dir_norm(line)) == NULL)
				continue;
			for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
				if (strcmp(dirs[i], d) == 0)
					break;
			}
			if (dirs == NULL || dirs[i] == NULL)
				strv_push(&dirs, d);
			free(d);
		}
	} else if (errno != ENOENT)
		log_warn("%s", cause);
	free(cause);
	free(buf);
	free(reg);
	return (dirs);
}

/* Whether DIR is one of the directory pools. */
int
pool_dir_known(const char *dir)
{
	char	**dirs = pool_dirs(), *d;
	size_t	  i;
	int	  found = 0;

	if ((d = pool_dir_norm(dir)) == NULL) {
		strv_free(dirs);
		return (0);
	}
	for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		if (strcmp(dirs[i], d) == 0)
			found = 1;
	}
	free(d);
	strv_free(dirs);
	return (found);
}

/* Every pool: the VGs in REP, then the directory pools. */
static void
pool_list_from(const struct lvm_report *rep, struct pool **list, size_t *n)
{
	char	**dirs, *why = NULL;
	size_t	  i;

	*list = NULL;
	*n = 0;
	for (i = 0; i < rep->nvgs; i++) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		pool_from_vg(rep, &rep->vgs[i], &(*list)[(*n)++]);
	}
	dirs = pool_dirs();
	for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		if (pool_from_dir(dirs[i], &(*list)[*n], &why) == 0)
			(*n)++;
		else {
			log_warn("%s", why);
			free(why);
			why = NULL;
		}
	}
	strv_free(dirs);
}

int
pool_list(struct pool **list, size_t *n, char **cause)
{
	struct lvm_report	 rep;

	*list = NULL;
	*n = 0;
	if (lvm_report_load(&rep, cause) != 0)
		return (-1);
	pool_list_from(&rep, list, n);
	lvm_report_free(&rep);
	return (0);
}

/* The names of every pool, for a cause ("vg0, /var/lib/xendeck/images"). */
static char *
pool_names(void)
{
	struct pool	*list;
	size_t		 n, i;
	char		*s = NULL, *next, *cause = NULL;

	if (pool_list(&list, &n, &cause) != 0) {
		free(cause);
		return (xstrdup("none"));
	}
	for (i = 0; i < n; i++) {
		xasprintf(&next, "%s%s%s", s != NULL ? s : "",
		    s != NULL ? ", " : "", list[i].name);
		free(s);
		s = next;
	}
	pool_list_free(list, n);
	return (s != NULL ? s : xstrdup("none"));
}

int
pool_find(const char *name, struct pool *p, char **cause)
{
	struct lvm_report	 rep;
	const struct lvm_vg	*vg;
	struct stat		 st;
	char			*dir, *names;
	int			 rc = -1;

	memset(p, 0, sizeof *p);
	if (name[0] == '/') {
		dir = pool_dir_norm(name);
		if (stat(dir, &st) != 0)
			*cause = xprintf("pool: %s: %s", dir, errno == ENOENT ?
			    "no such directory" : strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			*cause = xprintf("pool: %s is not a directory", dir);
		else if (!pool_dir_known(dir))
			*cause = xprintf("pool: %s is not a pool yet (set it "
			    "up with: xendeck wizard storage --set dir=%s)",
			    dir, dir);
		else
			rc = pool_from_dir(dir, p, cause);
		free(dir);
		return (rc);
	}
	if (lvm_report_load(&rep, cause) != 0)
		return (-1);
	if ((vg = lvm_vg_find(&rep, name)) != NULL) {
		pool_from_vg(&rep, vg, p);
		rc = 0;
	} else {
		names = pool_names();
		*cause = xprintf("pool: no volume group or image directory "
		    "named '%s' (pools: %s)", name, names);
		free(names);
	}
	lvm_report_free(&rep);
	return (rc);
}

char *
pool_volume_path(const struct pool *p, const char *name, const char *format)
{
	if (p->type == POOL_LVM)
		return (xprintf("/dev/%s/%s", p->name, name));
	return (xprintf("%s/%s.%s", p->name, name,
	    format != NULL && strcmp(format, "qcow2") == 0 ? "qcow2" : "img"));
}

/* Who uses PATH, as used_by: domains first, then configs. */
static char **
pool_used_by(const struct disk_users *u, const char *path, int open)
{
	char	**who;

	who = disk_users_of(u, path, 0);
	if (open == 1 && who == NULL)
		strv_push(&who, "open (mounted, or attached to a guest)");
	return (who);
}

static void
pool_lvm_volumes(const struct pool *p, const struct lvm_report *rep,
    const struct disk_users *u, struct volume **list, size_t *n)
{
	const struct lvm_lv	*lv;
	struct volume		*v;
	size_t			 i;

	for (i = 0; i < rep->nlvs; i++) {
		lv = &rep->lvs[i];
		if (strcmp(lv->vg, p->name) != 0)
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		v = &(*list)[(*n)++];
		memset(v, 0, sizeof *v);
		v->name = xstrdup(lv->name);
		v->pool = xstrdup(p->name);
		v->path = xprintf("/dev/%s/%s", lv->vg, lv->name);
		v->format = xstrdup(lv->thin_pool ? "thin-pool" : "raw");
		v->size = lv->snapshot && lv->origin_size != 0 ?
		    lv->origin_size : lv->size;
		v->allocated = lv->size;
		if (lv->thin || lv->thin_pool) {
			v->allocated = lv->data_pct >= 0 ?
			    (uint64_t)(lv->size * (lv->data_pct / 100)) : 0;
		}
		v->origin = *lv->origin != '\0' ? xstrdup(lv->origin) : NULL;
		v->snap_pct = lv->snapshot ? lv->snap_pct : -1;
		if (lv->thin_pool)
			v->snap_pct = lv->data_pct;
		v->thin = lv->thin;
		if (!lv->thin_pool)
			v->used_by = pool_used_by(u, v->path, lv->open);
	}
}

/* qemu-img info of a qcow2 image: virtual size and backing file. */
static int
pool_qcow2_info(const char *path, uint64_t *size, char **backing,
    char **cause)
{
	char *const		 argv[] = { "qemu-img", "info", "-U", "-f",
				     "qcow2", "--output=json", (char *)path,
				     NULL };
	struct spawn_result	 res;
	json_t			*root, *v;
	json_error_t		 jerr;
	const char		*b;
	int			 rc = -1;

	*backing = NULL;
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 30000, &res,
	    cause) != 0)
		goto out;
	if ((root = json_loadb(res.out != NULL ? res.out : "", res.outlen, 0,
	    &jerr)) == NULL) {
		*cause = xprintf("qemu-img info %s: bad JSON: %s", path,
		    jerr.text);
		goto out;
	}
	v = json_object_get(root, "virtual-size");
	*size = json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
	b = json_string_value(json_object_get(root, "full-backing-filename"));
	if (b == NULL)
		b = json_string_value(json_object_get(root,
		    "backing-filename"));
	if (b != NULL)
		*backing = xstrdup(b);
	json_decref(root);
	rc = 0;
out:
	spawn_result_free(&res);
	return (rc);
}

/* A backing file as an origin: its volume name when it is in the pool. */
static char *
pool_dir_origin(const struct pool *p, const char *backing)
{
	const char	*base;
	char		*real, *dir;
	size_t		 stem;

	real = backing[0] == '/' ? xstrdup(backing) :
	    xprintf("%s/%s", p->name, backing);
	base = strrchr(real, '/') + 1;
	dir = xstrndup(real, base - 1 - real);
	if (strcmp(dir, p->name) == 0 &&
	    pool_image_format(base, &stem) != NULL) {
		free(dir);
		dir = xstrndup(base, stem);
		free(real);
		return (dir);
	}
	free(dir);
	return (real);
}

static int
pool_dir_volumes(const struct pool *p, const struct disk_users *u,
    struct volume **list, size_t *n, char **cause)
{
	struct dirent	*de;
	struct stat	 st;
	struct volume	*v;
	const char	*format;
	char		*path, *backing, *why = NULL;
	size_t		 stem;
	DIR		*d;

	if ((d = opendir(p->name)) == NULL) {
		*cause = xprintf("pool: %s: %s", p->name, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    (format = pool_image_format(de->d_name, &stem)) == NULL)
			continue;
		xasprintf(&path, "%s/%s", p->name, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		v = &(*list)[(*n)++];
		memset(v, 0, sizeof *v);
		v->name = xstrndup(de->d_name, stem);
		v->pool = xstrdup(p->name);
		v->path = path;
		v->format = xstrdup(format);
		v->size = st.st_size;
		v->allocated = (uint64_t)st.st_blocks * 512;
		v->snap_pct = -1;
		if (strcmp(format, "qcow2") == 0) {
			if (pool_qcow2_info(path, &v->size, &backing,
			    &why) != 0) {
				log_warn("%s", why);
				free(why);
				why = NULL;
			} else if (backing != NULL) {
				v->origin = pool_dir_origin(p, backing);
				free(backing);
			}
		}
		v->used_by = pool_used_by(u, path, 0);
	}
	closedir(d);
	return (0);
}

static int
volume_cmp(const void *a, const void *b)
{
	const struct volume	*va = a, *vb = b;

	return (strcmp(va->name, vb->name));
}

/* A pool's volumes from a report and users already loaded. */
int
pool_volumes_from(const struct pool *p, const struct lvm_report *rep,
    const struct disk_users *u, struct volume **list, size_t *n,
    char **cause)
{
	*list = NULL;
	*n = 0;
	if (p->type == POOL_LVM)
		pool_lvm_volumes(p, rep, u, list, n);
	else if (pool_dir_volumes(p, u, list, n, cause) != 0)
		return (-1);
	if (*n > 1)
		qsort(*list, *n, sizeof **list, volume_cmp);
	return (0);
}

int
pool_volumes(const struct pool *p, struct volume **list, size_t *n,
    char **cause)
{
	struct lvm_report	 rep;
	struct disk_users	 u;
	int			 rc;

	*list = NULL;
	*n = 0;
	memset(&rep, 0, sizeof rep);
	if (p->type == POOL_LVM && lvm_report_load(&rep, cause) != 0)
		return (-1);
	disk_users_load(&u, cause);
	rc = pool_volumes_from(p, &rep, &u, list, n, cause);
	disk_users_free(&u);
	lvm_report_free(&rep);
	return (rc);
}

int
pool_report_load(struct pool_report *r, char **cause)
{
	struct lvm_report	 rep;
	struct disk_users	 u;
	size_t			 i;

	memset(r, 0, sizeof *r);
	if (lvm_report_load(&rep, cause) != 0)
		return (-1);
	disk_users_load(&u, cause);
	pool_list_from(&rep, &r->pools, &r->npools);
	r->vols = xcalloc(r->npools, sizeof *r->vols);
	r->nvols = xcalloc(r->npools, sizeof *r->nvols);
	r->errors = xcalloc(r->npools, sizeof *r->errors);
	for (i = 0; i < r->npools; i++) {
		if (pool_volumes_from(&r->pools[i], &rep, &u, &r->vols[i],
		    &r->nvols[i], &r->errors[i]) != 0) {
			r->vols[i] = NULL;
			r->nvols[i] = 0;
		}
	}
	disk_users_free(&u);
	lvm_report_free(&rep);
	return (0);
}

void
pool_report_free(struct pool_report *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->npools; i++) {
		volume_list_free(r->vols[i], r->nvols[i]);
		free(r->errors[i]);
	}
	pool_list_free(r->pools, r->npools);
	free(r->vols);
	free(r->nvols);
	free(r->errors);
	memset(r, 0, sizeof *r);
}

/* Copy a volume (the caller's is overwritten). */
static void
volume_copy(struct volume *dst, const struct volume *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
	dst->pool = xstrdup(src->pool);
	dst->path = xstrdup(src->path);
	dst->format = xstrdup(src->format);
	dst->origin = src->origin != NULL ? xstrdup(src->origin) : NULL;
	dst->used_by = src->used_by != NULL ? strv_dup(src->used_by) : NULL;
}

int
volume_find(const struct pool *p, const char *name, struct volume *v,
    char **cause)
{
	struct volume	*list;
	const char	*base, *file;
	size_t		 n, i, stem, found = SIZE_MAX;
	char		*want;
	int		 exact = 0, rc = -1;

	memset(v, 0, sizeof *v);
	/* "web1.qcow2" names that file; "web1" whichever image it is. */
	base = (base = strrchr(name, '/')) != NULL ? base + 1 : name;
	if (p->type == POOL_DIR && pool_image_format(base, &stem) != NULL) {
		want = xstrndup(base, stem);
		exact = 1;
	} else
		want = xstrdup(name);
	if (pool_volumes(p, &list, &n, cause) != 0) {
		free(want);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].name, want) != 0)
			continue;
		file = strrchr(list[i].path, '/') + 1;
		if (exact && strcmp(file, base) != 0)
			continue;
		if (found != SIZE_MAX) {
			*cause = xprintf("name: '%s' is ambiguous in %s: %s or "
			    "%s", want, p->name, list[found].path,
			    list[i].path);
			goto out;
		}
		found = i;
	}
	if (found == SIZE_MAX) {
		*cause = xprintf("name: no volume '%s' in %s", name, p->name);
		goto out;
	}
	volume_copy(v, &list[found]);
	rc = 0;
out:
	volume_list_free(list, n);
	free(want);
	return (rc);
}
