/*
 * Who uses a disk: the domains that exist now, on every backend that can
 * run here (a QEMU domain on a Xen host holds its disks as firmly as a Xen
 * one), and the xl.cfg(5) files in /etc/xen and /etc/xen/auto, which the
 * next `xl create` (or a reboot, for auto/) would start.
 *
 * A domain's disks come from its backend (backend->disks: on Xen, what
 * libxl says is attached), else from the config it was created from
 * (backend->config_path: the QEMU supervisor's snapshot). Configs are read
 * at the syntax level only and their disk= entries parsed one by one, so
 * a file that would fail xl's semantic checks (no name=, say) still
 * counts: it names the disk.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

/* Configs larger than this are not domain configs either. */
#define USERS_CFG_MAX	(1024 * 1024)

static void
users_add(struct disk_users *u, const char *target, const char *who,
    int running)
{
	u->v = xreallocarray(u->v, u->n + 1, sizeof *u->v);
	u->v[u->n].target = xstrdup(target);
	u->v[u->n].who = xstrdup(who);
	u->v[u->n].running = running;
	u->n++;
}

/*
 * A disk= entry xl would refuse still names what its author meant to
 * use: every absolute path in it counts (a "phy:" or "target=" stripped).
 */
static void
users_add_words(struct disk_users *u, const char *spec, const char *who,
    int running)
{
	char	*copy = xstrdup(spec), *w, *last, *p;

	for (w = strtok_r(copy, ", \t", &last); w != NULL;
	    w = strtok_r(NULL, ", \t", &last)) {
		if ((p = strchr(w, '/')) != NULL && (p == w || p[-1] == ':' ||
		    p[-1] == '='))
			users_add(u, p, who, running);
	}
	free(copy);
}

/* The disk targets of one config file, added as used by WHO. */
static void
users_add_config(struct disk_users *u, const char *path, const char *who,
    int running)
{
	const struct xlcfg_setting	*s;
	struct xlcfg			*cfg = NULL;
	struct xlcfg_disk		 d;
	char				*buf = NULL, *cause = NULL;
	size_t				 len, i;

	if (file_read(path, &buf, &len, &cause) != 0)
		goto out;
	if (xlcfg_parse_flags(path, buf, len, XLCFG_SYNTAX_ONLY, &cfg,
	    &cause) != 0)
		goto out;
	if ((s = xlcfg_get(cfg, "disk")) == NULL ||
	    s->value->type != XLCFG_LIST)
		goto out;
	for (i = 0; i < s->value->nitems; i++) {
		if (s->value->items[i]->type != XLCFG_STRING)
			continue;
		memset(&d, 0, sizeof d);
		if (xlcfg_parse_disk(s->value->items[i]->str, &d,
		    &cause) == 0) {
			if (d.target != NULL && *d.target != '\0')
				users_add(u, d.target, who, running);
		} else
			users_add_words(u, s->value->items[i]->str, who,
			    running);
		free(cause);
		cause = NULL;
		xlcfg_disk_free(&d);
	}
out:
	if (cause != NULL)
		log_debug("%s: %s: %s", __func__, path, cause);
	free(cause);
	free(buf);
	xlcfg_free(cfg);
}

/* The configs in DIR (not recursive), skipping duplicates by inode. */
static void
users_scan_dir(struct disk_users *u, const char *dir, dev_t *devs,
    ino_t *inos, size_t *nseen, size_t maxseen)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*path;
	size_t		 i;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!xen_config_name_ok(de->d_name))
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size > USERS_CFG_MAX) {
			free(path);
			continue;
		}
		for (i = 0; i < *nseen; i++) {
			if (devs[i] == st.st_dev && inos[i] == st.st_ino)
				break;
		}
		if (i == *nseen && *nseen < maxseen) {
			devs[*nseen] = st.st_dev;
			inos[(*nseen)++] = st.st_ino;
			users_add_config(u, path, path, 0);
		}
		free(path);
	}
	closedir(d);
}

int
disk_users_load(struct disk_users *u, char **cause)
{
	static const struct backend_ops	*const bes[] = {
		&backend_xl_ops, &backend_qemu_ops
	};
	struct dom_info			*doms;
	dev_t				 devs[512];
	ino_t				 inos[512];
	size_t				 ndoms, i, j, k, nseen = 0;
	char				*why = NULL, *path, *auto_dir, *who;
	char				**disks;

	(void)cause;
	memset(u, 0, sizeof *u);
	for (i = 0; i < nitems(bes); i++) {
		if (bes[i]->probe(&why) != 0 || (bes[i]->config_path == NULL &&
		    bes[i]->disks == NULL)) {
			free(why);
			why = NULL;
			continue;
		}
		if (bes[i]->list(&doms, &ndoms, &why) != 0) {
			log_warn("%s: %s: %s", __func__, bes[i]->name, why);
			free(why);
			why = NULL;
			continue;
		}
		for (j = 0; j < ndoms; j++) {
			if (doms[j].domid == 0)
				continue;
			who = xprintf("domain %s", doms[j].name);
			if (bes[i]->disks != NULL &&
			    (disks = bes[i]->disks(doms[j].name)) != NULL) {
				for (k = 0; disks[k] != NULL; k++)
					users_add(u, disks[k], who, 1);
				strv_free(disks);
			} else if ((path = bes[i]->config_path(doms[j].name)) !=
			    NULL) {
				users_add_config(u, path, who, 1);
				free(path);
			}
			free(who);
		}
		free(doms);
	}
	users_scan_dir(u, xen_config_dir(), devs, inos, &nseen, nitems(devs));
	xasprintf(&auto_dir, "%s/auto", xen_config_dir());
	users_scan_dir(u, auto_dir, devs, inos, &nseen, nitems(devs));
	free(auto_dir);
	return (0);
}

void
disk_users_free(struct disk_users *u)
{
	size_t	 i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->v[i].target);
		free(u->v[i].who);
	}
	free(u->v);
	memset(u, 0, sizeof *u);
}

/*
 * A path with /dev/mapper/VG-LV written as /dev/VG/LV (device-mapper
 * doubles a dash inside either name), for comparing paths as written.
 */
static char *
users_norm(const char *path)
{
	const char	*p, *split = NULL;
	char		*vg, *lv, *out, *q;

	if (strncmp(path, "/dev/mapper/", 12) != 0)
		return (xstrdup(path));
	p = path + 12;
	for (; *p != '\0'; p++) {
		if (p[0] == '-' && p[1] == '-') {
			p++;
			continue;
		}
		if (p[0] == '-') {
			split = p;
			break;
		}
	}
	if (split == NULL)
		return (xstrdup(path));
	vg = xstrndup(path + 12, split - (path + 12));
	lv = xstrdup(split + 1);
	out = xprintf("/dev/%s/%s", vg, lv);
	/* Undouble the dashes. */
	for (p = q = out; *p != '\0'; p++) {
		*q++ = *p;
		if (p[0] == '-' && p[1] == '-')
			p++;
	}
	*q = '\0';
	free(vg);
	free(lv);
	return (out);
}

/* Whether two disk paths are the same disk. */
static int
users_same(const char *a, const char *b)
{
	struct stat	 sa, sb;
	char		*na, *nb;
	int		 same;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0) {
		if (S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode))
			return (sa.st_rdev == sb.st_rdev);
		if (S_ISREG(sa.st_mode) && S_ISREG(sb.st_mode))
			return (sa.st_dev == sb.st_dev &&
			    sa.st_ino == sb.st_ino);
	}
	na = users_norm(a);
	nb = users_norm(b);
	same = strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return (same);
}

char **
disk_users_of(const struct disk_users *u, const char *path, int flags)
{
	char	**who = NULL;
	size_t	  i, j;

	for (i = 0; i < u->n; i++) {
		if ((flags & DISK_USERS_RUNNING) && !u->v[i].running)
			continue;
		if (!users_same(u->v[i].target, path))
			continue;
		for (j = 0; who != NULL && who[j] != NULL; j++) {
			if (strcmp(who[j], u->v[i].who) == 0)
				break;
		}
		if (who == NULL || who[j] == NULL)
			strv_push(&who, u->v[i].who);
	}
	return (who);
}
