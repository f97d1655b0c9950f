/*
 * The domains started with the host: the xl.cfg files in /etc/xen/auto
 * ($XENDECK_XEN_DIR/auto), the convention of Xen's xendomains, which on a
 * Xen dom0 starts them; elsewhere `xendeck autostart start` does.
 *
 * xendeck adds a domain with a symbolic link to its config and removes
 * only the links it made: each one is recorded in
 * $XENDECK_STATEDIR/autostart/ (the link's name, holding its target)
 * before the link is made, and a link counts as xendeck's only while it is
 * a link and points where the record says. symlink(2) makes a link whole
 * or not at all, and never replaces what is there. A file or a link put
 * there by hand is listed and started like any other, and left alone.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

/* ${XENDECK_XEN_DIR:-/etc/xen}/auto */
char *
autostart_dir(void)
{
	return (xprintf("%s/auto", xen_config_dir()));
}

/* ${XENDECK_STATEDIR:-/var/lib/xendeck}/autostart: the records. */
static char *
autostart_record_dir(void)
{
	return (xprintf("%s/autostart", xendeck_statedir()));
}

/* A config's name=, read at the syntax level (NULL and why if none). */
static char *
autostart_cfg_name(const char *path, char **cause)
{
	const struct xlcfg_setting	*set;
	struct xlcfg			*cfg = NULL;
	char				*buf = NULL, *name = NULL;
	size_t				 len;

	if (file_read(path, &buf, &len, cause) != 0)
		return (NULL);
	if (xlcfg_parse_flags(path, buf, len, XLCFG_SYNTAX_ONLY, &cfg,
	    cause) != 0)
		goto out;
	set = xlcfg_get(cfg, "name");
	if (set == NULL || set->value == NULL ||
	    set->value->type != XLCFG_STRING || !valid_name(set->value->str))
		*cause = xprintf("%s: no valid name= in it", path);
	else
		name = xstrdup(set->value->str);
out:
	xlcfg_free(cfg);
	free(buf);
	return (name);
}

static int
autostart_cmp(const void *a, const void *b)
{
	const struct autostart	*x = a, *y = b;

	return (strcmp(x->path, y->path));
}

/* Where a link points, absolute (relative links are from the dir). */
static char *
autostart_readlink(const char *dir, const char *path)
{
	char	 buf[PATH_MAX];
	ssize_t	 n;

	if ((n = readlink(path, buf, sizeof buf - 1)) < 0)
		return (NULL);
	buf[n] = '\0';
	if (buf[0] == '/')
		return (xstrdup(buf));
	return (xprintf("%s/%s", dir, buf));
}

/* Whether the record for FILE says it points at TARGET. */
static int
autostart_recorded(const char *file, const char *target)
{
	char	*rdir, *path, *buf = NULL, *cause = NULL;
	size_t	 len;
	int	 ours = 0;

	rdir = autostart_record_dir();
	path = xprintf("%s/%s", rdir, file);
	if (file_read(path, &buf, &len, &cause) == 0) {
		while (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		ours = target != NULL && strcmp(buf, target) == 0;
	} else
		free(cause);
	free(buf);
	free(path);
	free(rdir);
	return (ours);
}

void
autostart_list_free(struct autostart *v, size_t n)
{
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].target);
		free(v[i].error);
	}
	free(v);
}

/*
 * The entries of the auto dir, by file name. A dir that does not exist is
 * an empty list; one that cannot be read is an error.
 */
int
autostart_list(struct autostart **out, size_t *nout, char **cause)
{
	struct autostart	*v = NULL, *a;
	struct dirent		*de;
	struct stat		 st;
	DIR			*d;
	char			*dir;
	size_t			 n = 0;

	*out = NULL;
	*nout = 0;
	dir = autostart_dir();
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT) {
			free(dir);
			return (0);
		}
		*cause = xprintf("%s: %s", dir, strerror(errno));
		free(dir);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (!xen_config_name_ok(de->d_name))
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		a = &v[n++];
		memset(a, 0, sizeof *a);
		a->path = xprintf("%s/%s", dir, de->d_name);
		if (lstat(a->path, &st) == 0 && S_ISLNK(st.st_mode)) {
			a->target = autostart_readlink(dir, a->path);
			a->ours = autostart_recorded(de->d_name, a->target);
		}
		if (stat(a->path, &st) != 0) {
			a->error = xprintf("%s: %s", a->path, strerror(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			/* A directory, a fifo: not a config, not listed. */
			free(a->path);
			free(a->target);
			n--;
			continue;
		}
		a->name = autostart_cfg_name(a->path, &a->error);
	}
	closedir(d);
	free(dir);
	if (n > 0)
		qsort(v, n, sizeof *v, autostart_cmp);
	*out = v;
	*nout = n;
	return (0);
}

/* The entry that starts domain NAME, or NULL. */
const struct autostart *
autostart_find(const struct autostart *v, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (v[i].name != NULL && strcmp(v[i].name, name) == 0)
			return (&v[i]);
	}
	return (NULL);
}

/*
 * The config of domain NAME among the files of the Xen dir (not its
 * subdirectories): what `autostart add NAME` links to. NULL if none.
 */
char *
autostart_find_config(const char *name)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path, *found = NULL, *cfgname, *cause = NULL;

	if ((d = opendir(xen_config_dir())) == NULL)
		return (NULL);
	while (found == NULL && (de = readdir(d)) != NULL) {
		if (!xen_config_name_ok(de->d_name))
			continue;
		path = xprintf("%s/%s", xen_config_dir(), de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size > 1024 * 1024) {
			free(path);
			continue;
		}
		cfgname = autostart_cfg_name(path, &cause);
		free(cause);
		cause = NULL;
		if (cfgname != NULL && strcmp(cfgname, name) == 0)
			found = path;
		else
			free(path);
		free(cfgname);
	}
	closedir(d);
	return (found);
}

/*
 * Start domain NAME (its config CFG) with the host: a link NAME.cfg in the
 * auto dir. Returns 0 when linked, 1 when xendeck's link is there already,
 * -1 with *cause when refused (another entry starts NAME, the file name is
 * taken, the config is not valid).
 */
int
autostart_add(const char *cfgpath, char **namep, char **cause)
{
	struct autostart	*v = NULL;
	const struct autostart	*a;
	struct xlcfg		*cfg = NULL;
	char			 real[PATH_MAX], *dir = NULL, *link = NULL;
	char			*rdir = NULL, *record = NULL, *text = NULL;
	size_t			 n = 0;
	int			 rc = -1;

	*namep = NULL;
	if (xlcfg_load(cfgpath, &cfg, cause) != 0)
		return (-1);
	*namep = xstrdup(cfg->name);
	if (realpath(cfgpath, real) == NULL) {
		*cause = xprintf("%s: %s", cfgpath, strerror(errno));
		goto out;
	}
	dir = autostart_dir();
	if (strncmp(real, dir, strlen(dir)) == 0 &&
	    real[strlen(dir)] == '/') {
		*cause = xprintf("%s is in %s already: it starts with the "
		    "host", real, dir);
		goto out;
	}
	if (autostart_list(&v, &n, cause) != 0)
		goto out;
	if ((a = autostart_find(v, n, cfg->name)) != NULL) {
		if (a->ours && a->target != NULL &&
		    strcmp(a->target, real) == 0) {
			rc = 1;
			goto out;
		}
		*cause = xprintf("%s starts with the host already, from %s%s%s"
		    "%s", cfg->name, a->path, a->target != NULL ? " -> " : "",
		    a->target != NULL ? a->target : "", a->ours ? "" :
		    " (not made by xendeck: left as it is)");
		goto out;
	}
	link = xprintf("%s/%s.cfg", dir, cfg->name);
	rdir = autostart_record_dir();
	record = xprintf("%s/%s.cfg", rdir, cfg->name);
	text = xprintf("%s\n", real);
	if (mkdir_p(dir, 0755, cause) != 0 || mkdir_p(rdir, 0755, cause) != 0)
		goto out;
	/* The record first: a link is never xendeck's without one. */
	if (file_write_atomic(record, text, strlen(text), 0644, 0,
	    cause) != 0)
		goto out;
	if (symlink(real, link) != 0) {
		*cause = xprintf("%s: %s%s", link, strerror(errno),
		    errno == EEXIST ? " (another file has the name: left as it "
		    "is)" : "");
		unlink(record);
		goto out;
	}
	log_info("autostart: %s -> %s", link, real);
	rc = 0;
out:
	autostart_list_free(v, n);
	xlcfg_free(cfg);
	free(text);
	free(record);
	free(rdir);
	free(link);
	free(dir);
	return (rc);
}

/*
 * Stop starting domain NAME with the host: remove xendeck's link. Refused
 * (-1) when nothing starts NAME or when the entry is not xendeck's.
 */
int
autostart_remove(const char *name, char **cause)
{
	struct autostart	*v = NULL;
	const struct autostart	*a;
	char			*rdir = NULL, *record = NULL, *dir;
	const char		*file;
	size_t			 n = 0;
	int			 rc = -1;

	if (autostart_list(&v, &n, cause) != 0)
		return (-1);
	if ((a = autostart_find(v, n, name)) == NULL) {
		dir = autostart_dir();
		*cause = xprintf("%s does not start with the host (nothing in "
		    "%s names it)", name, dir);
		free(dir);
		goto out;
	}
	if (!a->ours) {
		*cause = xprintf("%s: not made by xendeck: left as it is "
		    "(remove it by hand if it should go)", a->path);
		goto out;
	}
	file = strrchr(a->path, '/') + 1;
	rdir = autostart_record_dir();
	record = xprintf("%s/%s", rdir, file);
	if (unlink(a->path) != 0) {
		*cause = xprintf("%s: %s", a->path, strerror(errno));
		goto out;
	}
	unlink(record);
	log_info("autostart: removed %s", a->path);
	rc = 0;
out:
	free(record);
	free(rdir);
	autostart_list_free(v, n);
	return (rc);
}
