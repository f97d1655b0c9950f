/*
 * The host's block devices, as candidates for an LVM physical volume (the
 * storage wizard): what each is (lsblk -J: size, model, type, the tree of
 * partitions and of what is stacked on it), what is written on it (wipefs
 * -n -J: every signature libblkid knows, partition tables included) and
 * what uses it. A device is in use when it or anything on it is mounted,
 * is swap, is a member of an md array (/proc/mdstat, active or not), holds
 * device-mapper or md devices (lsblk's children), is a PV of a volume group,
 * or is a disk of a domain or of an xl.cfg in /etc/xen. Those are refused
 * outright; a device with signatures but no user needs consent to be wiped.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xen-core.h"

/* wipefs's names of partition tables (libblkid's partition probers). */
static const char *const blockdev_pttypes[] = {
	"dos", "gpt", "PMBR", "atari", "bsd", "mac", "sgi", "sun", "solaris",
	"unixware", "minix", "aix", NULL
};

struct blockdev_ctx {
	struct lvm_report	 lvm;
	struct disk_users	 users;
	char			**swaps;	/* /proc/swaps */
	char			*mdstat;	/* /proc/mdstat, or NULL */
};

static const char *
bjstr(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static void
blockdev_ctx_init(struct blockdev_ctx *c)
{
	char	*buf = NULL, *cause = NULL, *line, *last, *sp;
	int	 first = 1;

	memset(c, 0, sizeof *c);
	if (lvm_report_load(&c->lvm, &cause) != 0) {
		log_warn("%s: %s", __func__, cause);
		free(cause);
		cause = NULL;
	}
	disk_users_load(&c->users, &cause);
	free(cause);
	cause = NULL;
	if (file_read("/proc/swaps", &buf, NULL, &cause) == 0) {
		for (line = strtok_r(buf, "\n", &last); line != NULL;
		    line = strtok_r(NULL, "\n", &last)) {
			if (first) {	/* the header */
				first = 0;
				continue;
			}
			if ((sp = strpbrk(line, " \t")) != NULL)
				*sp = '\0';
			strv_push(&c->swaps, line);
		}
	}
	free(buf);
	free(cause);
	cause = NULL;
	if (file_read("/proc/mdstat", &c->mdstat, NULL, &cause) != 0) {
		free(cause);
		c->mdstat = NULL;
	}
}

static void
blockdev_ctx_free(struct blockdev_ctx *c)
{
	lvm_report_free(&c->lvm);
	disk_users_free(&c->users);
	strv_free(c->swaps);
	free(c->mdstat);
}

static int
same_blockdev(const char *a, const char *b)
{
	struct stat	 sa, sb;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode))
		return (sa.st_rdev == sb.st_rdev);
	return (strcmp(a, b) == 0);
}

/* The md array NAME (a kernel name: "vdb1") is a member of, or NULL. */
static char *
blockdev_md_of(const struct blockdev_ctx *c, const char *name)
{
	const char	*line, *end, *p;
	char		*md = NULL, *copy, *tok, *last;
	size_t		 n = strlen(name);

	if (c->mdstat == NULL)
		return (NULL);
	for (line = c->mdstat; *line != '\0'; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		/* "md0 : active raid1 vdb1[1] vdc1[0]" */
		if (strncmp(line, "md", 2) != 0 || strstr(line, " : ") == NULL)
			continue;
		copy = xstrndup(line, end - line);
		for (tok = strtok_r(copy, " ", &last); tok != NULL;
		    tok = strtok_r(NULL, " ", &last)) {
			p = strchr(tok, '[');
			if (p != NULL && (size_t)(p - tok) == n &&
			    strncmp(tok, name, n) == 0) {
				md = xstrndup(copy, strcspn(copy, " "));
				break;
			}
		}
		free(copy);
		if (md != NULL)
			return (md);
	}
	return (NULL);
}

/* Add what uses device NODE (an lsblk node) and its children to *uses. */
static void
blockdev_node_uses(const struct blockdev_ctx *c, json_t *node, int top,
    char ***uses)
{
	const struct lvm_pv	*pv;
	json_t			*mps, *mp, *kids, *kid;
	const char		*path, *name, *type;
	char			*md, **who, *s, *suffix;
	size_t			 i;

	path = bjstr(node, "path");
	name = bjstr(node, "name");
	type = bjstr(node, "type");
	if (path == NULL || name == NULL || type == NULL)
		return;
	suffix = top ? xstrdup("") : xprintf(" (%s)", name);
	/* Something stacked on it: an LV, a dm-crypt mapping, an md array. */
	if (!top && strcmp(type, "part") != 0) {
		s = xprintf("holds %s %s", type, name);
		strv_push(uses, s);
		free(s);
		free(suffix);
		return;
	}
	mps = json_object_get(node, "mountpoints");
	if (mps == NULL)	/* util-linux before 2.37 */
		mps = json_pack("[O]", json_object_get(node, "mountpoint"));
	else
		json_incref(mps);
	json_array_foreach(mps, i, mp) {
		/* lsblk's "[SWAP]": /proc/swaps says that below. */
		if (!json_is_string(mp) || *json_string_value(mp) == '[')
			continue;
		s = xprintf("mounted on %s%s", json_string_value(mp), suffix);
		strv_push(uses, s);
		free(s);
	}
	json_decref(mps);
	for (i = 0; c->swaps != NULL && c->swaps[i] != NULL; i++) {
		if (same_blockdev(c->swaps[i], path)) {
			s = xprintf("swap%s", suffix);
			strv_push(uses, s);
			free(s);
		}
	}
	if ((md = blockdev_md_of(c, name)) != NULL) {
		s = xprintf("member of %s%s", md, suffix);
		strv_push(uses, s);
		free(s);
		free(md);
	}
	if ((pv = lvm_pv_find(&c->lvm, path)) != NULL && *pv->vg != '\0') {
		s = xprintf("PV of %s%s", pv->vg, suffix);
		strv_push(uses, s);
		free(s);
	}
	who = disk_users_of(&c->users, path, 0);
	for (i = 0; who != NULL && who[i] != NULL; i++) {
		s = xprintf("disk of %s%s", who[i], suffix);
		strv_push(uses, s);
		free(s);
	}
	strv_free(who);
	free(suffix);
	kids = json_object_get(node, "children");
	json_array_foreach(kids, i, kid)
		blockdev_node_uses(c, kid, 0, uses);
}

/* What wipefs finds on PATH; -1 with *cause when it cannot look. */
static int
blockdev_sigs(const char *path, char ***sigs, char **cause)
{
	char *const		 argv[] = { "wipefs", "--no-act", "--json",
				     (char *)path, NULL };
	struct spawn_result	 res;
	json_t			*root = NULL, *a, *e;
	json_error_t		 jerr;
	const char		*type, *label;
	char			*s;
	size_t			 i, j;
	int			 rc = -1;

	*sigs = NULL;
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 30000, &res,
	    cause) != 0)
		goto out;
	/* No signatures: older wipefs print nothing at all. */
	if (res.out == NULL || res.out[strspn(res.out, " \n")] == '\0') {
		rc = 0;
		goto out;
	}
	if ((root = json_loadb(res.out, res.outlen, 0, &jerr)) == NULL) {
		*cause = xprintf("wipefs %s: bad JSON: %s", path, jerr.text);
		goto out;
	}
	a = json_object_get(root, "signatures");
	json_array_foreach(a, i, e) {
		if ((type = bjstr(e, "type")) == NULL)
			continue;
		label = bjstr(e, "label");
		for (j = 0; blockdev_pttypes[j] != NULL; j++) {
			if (strcmp(type, blockdev_pttypes[j]) == 0)
				break;
		}
		if (blockdev_pttypes[j] != NULL)
			s = xprintf("%s partition table", type);
		else if (label != NULL && *label != '\0')
			s = xprintf("%s '%s'", type, label);
		else
			s = xstrdup(type);
		/* A GPT has two copies; say it once. */
		for (j = 0; *sigs != NULL && (*sigs)[j] != NULL; j++) {
			if (strcmp((*sigs)[j], s) == 0)
				break;
		}
		if (*sigs == NULL || (*sigs)[j] == NULL)
			strv_push(sigs, s);
		free(s);
	}
	rc = 0;
out:
	if (root != NULL)
		json_decref(root);
	spawn_result_free(&res);
	return (rc);
}

/* Fill d from an lsblk node. */
static void
blockdev_fill(const struct blockdev_ctx *c, json_t *node, struct blockdev *d)
{
	const struct lvm_pv	*pv;
	json_t			*v;
	const char		*s;
	char			*cause = NULL;

	memset(d, 0, sizeof *d);
	d->path = xstrdup((s = bjstr(node, "path")) != NULL ? s : "");
	d->name = xstrdup((s = bjstr(node, "name")) != NULL ? s : "");
	d->type = xstrdup((s = bjstr(node, "type")) != NULL ? s : "");
	if ((s = bjstr(node, "model")) != NULL && *s != '\0') {
		d->model = xstrdup(s);
		/* lsblk pads models with blanks. */
		while (*d->model != '\0' &&
		    d->model[strlen(d->model) - 1] == ' ')
			d->model[strlen(d->model) - 1] = '\0';
	}
	v = json_object_get(node, "size");
	if (json_is_integer(v))
		d->size = json_integer_value(v);
	else if (json_is_string(v))
		d->size = strtoull(json_string_value(v), NULL, 10);
	v = json_object_get(node, "ro");
	d->ro = json_is_true(v) || (json_is_string(v) &&
	    strcmp(json_string_value(v), "1") == 0);
	if (blockdev_sigs(d->path, &d->sigs, &cause) != 0) {
		d->sig_error = cause;
		cause = NULL;
	}
	if ((pv = lvm_pv_find(&c->lvm, d->path)) != NULL)
		d->vg = xstrdup(pv->vg);
	blockdev_node_uses(c, node, 1, &d->uses);
}

static const char lsblk_cols[] = "NAME,PATH,SIZE,TYPE,MODEL,RO,MOUNTPOINTS";

/* lsblk -J of PATH (NULL: every device); the "blockdevices" array. */
static json_t *
blockdev_lsblk(const char *path, char **cause)
{
	char			*argv[] = { "lsblk", "-J", "-b", "-o",
				    (char *)lsblk_cols, NULL, NULL };
	struct spawn_result	 res;
	json_t			*root, *a = NULL;
	json_error_t		 jerr;

	argv[5] = (char *)path;
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 30000, &res,
	    cause) != 0) {
		spawn_result_free(&res);
		return (NULL);
	}
	if ((root = json_loadb(res.out != NULL ? res.out : "", res.outlen, 0,
	    &jerr)) == NULL)
		*cause = xprintf("lsblk: bad JSON: %s", jerr.text);
	else {
		a = json_object_get(root, "blockdevices");
		if (json_is_array(a))
			json_incref(a);
		else {
			a = NULL;
			*cause = xstrdup("lsblk: no \"blockdevices\"");
		}
		json_decref(root);
	}
	spawn_result_free(&res);
	return (a);
}

/* Whether an lsblk node can be a PV at all (not a CD, an LV, empty). */
static int
blockdev_candidate(json_t *node)
{
	const char	*type = bjstr(node, "type");
	json_t		*v = json_object_get(node, "size");

	if (type == NULL || strcmp(type, "rom") == 0 ||
	    strcmp(type, "lvm") == 0)
		return (0);
	if (json_is_integer(v) && json_integer_value(v) == 0)
		return (0);
	return (1);
}

static void
blockdev_walk(const struct blockdev_ctx *c, json_t *nodes,
    struct blockdev **list, size_t *n)
{
	json_t		*node;
	const char	*type;
	size_t		 i;

	json_array_foreach(nodes, i, node) {
		if (blockdev_candidate(node)) {
			*list = xreallocarray(*list, *n + 1, sizeof **list);
			blockdev_fill(c, node, &(*list)[(*n)++]);
		}
		/* A disk's partitions are candidates too. */
		if ((type = bjstr(node, "type")) != NULL &&
		    (strcmp(type, "disk") == 0 || strcmp(type, "loop") == 0))
			blockdev_walk(c, json_object_get(node, "children"),
			    list, n);
	}
}

int
blockdev_list(struct blockdev **list, size_t *n, char **cause)
{
	struct blockdev_ctx	 c;
	json_t			*a;

	*list = NULL;
	*n = 0;
	if ((a = blockdev_lsblk(NULL, cause)) == NULL)
		return (-1);
	blockdev_ctx_init(&c);
	blockdev_walk(&c, a, list, n);
	blockdev_ctx_free(&c);
	json_decref(a);
	return (0);
}

int
blockdev_get(const char *path, struct blockdev *d, char **cause)
{
	struct blockdev_ctx	 c;
	struct stat		 st;
	json_t			*a;
	char			*why = NULL;

	memset(d, 0, sizeof *d);
	if (stat(path, &st) != 0) {
		*cause = errno == ENOENT ? xprintf("%s does not exist", path) :
		    xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	if (!S_ISBLK(st.st_mode)) {
		*cause = xprintf("%s is not a block device", path);
		return (-1);
	}
	if ((a = blockdev_lsblk(path, &why)) == NULL ||
	    json_array_size(a) == 0) {
		*cause = xprintf("%s: lsblk does not know it%s%s", path,
		    why != NULL ? ": " : "", why != NULL ? why : "");
		free(why);
		if (a != NULL)
			json_decref(a);
		return (-1);
	}
	blockdev_ctx_init(&c);
	blockdev_fill(&c, json_array_get(a, 0), d);
	blockdev_ctx_free(&c);
	json_decref(a);
	return (0);
}

void
blockdev_free(struct blockdev *d)
{
	if (d == NULL)
		return;
	free(d->path);
	free(d->name);
	free(d->type);
	free(d->model);
	strv_free(d->sigs);
	free(d->sig_error);
	strv_free(d->uses);
	free(d->vg);
	memset(d, 0, sizeof *d);
}

void
blockdev_list_free(struct blockdev *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		blockdev_free(&list[i]);
	free(list);
}

char *
blockdev_sigs_string(const struct blockdev *d)
{
	char	*s = strv_join(d->sigs, ", ");

	return (s != NULL ? s : xstrdup(""));
}
