/*
 * lvm2's view of the host: every VG, PV and LV in one `lvm fullreport
 * --reportformat json` (sizes in bytes), parsed with jansson. One call costs
 * about 70 ms wherever it runs, so callers load a report once per question
 * and look things up in it.
 *
 * fullreport gives one object per VG holding its "vg", "pv", "lv" and "seg"
 * subreports, and one more for the PVs in no VG (orphans). Every value is a
 * string; sizes come with --units b --nosuffix. Without device-mapper (this
 * project's build host) LVs are never active: lv_device_open is "unknown"
 * and percentages are empty, which the report keeps as -1.
 */
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xen-core.h"

/* The columns we read, per subreport. */
static char *const lvm_argv[] = {
	"lvm", "fullreport", "--reportformat", "json", "--units", "b",
	"--nosuffix",
	"--configreport", "vg", "-o",
	"vg_name,vg_size,vg_free,vg_extent_size",
	"--configreport", "pv", "-o", "pv_name,dev_size,pv_size,pv_free",
	"--configreport", "lv", "-o",
	"lv_uuid,lv_name,lv_path,lv_size,origin,origin_size,pool_lv,"
	"lv_layout,lv_attr,lv_tags,lv_device_open,data_percent,snap_percent",
	"--configreport", "seg", "-o", "lv_uuid,segtype,zero",
	"--configreport", "pvseg", "-o", "pvseg_start",
	NULL
};

static const char *
jstr(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

static uint64_t
jsize(json_t *o, const char *key)
{
	const char		*s = jstr(o, key);
	char			*end;
	unsigned long long	 v;

	if (*s == '\0')
		return (0);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (0);
	return (v);
}

/* A percentage ("12.50"), or -1 when lvm2 has none (not active). */
static double
jpct(json_t *o, const char *key)
{
	const char	*s = jstr(o, key);
	char		*end;
	double		 v;

	if (*s == '\0')
		return (-1);
	v = strtod(s, &end);
	if (*end != '\0')
		return (-1);
	return (v);
}

static void
lvm_lv_fill(struct lvm_lv *lv, const char *vg, json_t *o)
{
	const char	*open_s;

	lv->name = xstrdup(jstr(o, "lv_name"));
	lv->vg = xstrdup(vg);
	lv->uuid = xstrdup(jstr(o, "lv_uuid"));
	lv->path = xstrdup(jstr(o, "lv_path"));
	lv->origin = xstrdup(jstr(o, "origin"));
	lv->pool_lv = xstrdup(jstr(o, "pool_lv"));
	lv->layout = xstrdup(jstr(o, "lv_layout"));
	lv->attr = xstrdup(jstr(o, "lv_attr"));
	lv->tags = xstrdup(jstr(o, "lv_tags"));
	lv->size = jsize(o, "lv_size");
	lv->origin_size = jsize(o, "origin_size");
	lv->data_pct = jpct(o, "data_percent");
	lv->snap_pct = jpct(o, "snap_percent");
	open_s = jstr(o, "lv_device_open");
	if (strcmp(open_s, "open") == 0)
		lv->open = 1;
	else if (strcmp(open_s, "") == 0)
		lv->open = 0;
	else
		lv->open = -1;
	lv->zero = -1;
	/* lv_attr's first letter: t thin pool, V thin volume, s snapshot. */
	lv->thin_pool = lv->attr[0] == 't';
	lv->thin = lv->attr[0] == 'V';
	lv->snapshot = lv->attr[0] == 's' || lv->attr[0] == 'S';
}

/* One VG's (or the orphans') object of the report. */
static void
lvm_report_add(struct lvm_report *rep, json_t *o)
{
	json_t		*a, *e, *segs;
	const char	*vg = "";
	size_t		 i, j, first;

	a = json_object_get(o, "vg");
	if (json_is_array(a) && json_array_size(a) > 0) {
		e = json_array_get(a, 0);
		rep->vgs = xreallocarray(rep->vgs, rep->nvgs + 1,
		    sizeof *rep->vgs);
		rep->vgs[rep->nvgs].name = xstrdup(jstr(e, "vg_name"));
		rep->vgs[rep->nvgs].size = jsize(e, "vg_size");
		rep->vgs[rep->nvgs].free = jsize(e, "vg_free");
		rep->vgs[rep->nvgs].extent = jsize(e, "vg_extent_size");
		vg = rep->vgs[rep->nvgs++].name;
	}
	a = json_object_get(o, "pv");
	json_array_foreach(a, i, e) {
		rep->pvs = xreallocarray(rep->pvs, rep->npvs + 1,
		    sizeof *rep->pvs);
		rep->pvs[rep->npvs].name = xstrdup(jstr(e, "pv_name"));
		rep->pvs[rep->npvs].vg = xstrdup(vg);
		rep->pvs[rep->npvs].size = jsize(e, "pv_size");
		rep->pvs[rep->npvs].free = jsize(e, "pv_free");
		rep->pvs[rep->npvs].dev_size = jsize(e, "dev_size");
		rep->npvs++;
	}
	first = rep->nlvs;
	a = json_object_get(o, "lv");
	json_array_foreach(a, i, e) {
		/* Hidden LVs ("[pool_tdata]", "[lvol0_pmspare]"). */
		if (*jstr(e, "lv_name") == '[' || *jstr(e, "lv_name") == '\0')
			continue;
		rep->lvs = xreallocarray(rep->lvs, rep->nlvs + 1,
		    sizeof *rep->lvs);
		memset(&rep->lvs[rep->nlvs], 0, sizeof rep->lvs[0]);
		lvm_lv_fill(&rep->lvs[rep->nlvs++], vg, e);
	}
	/* A thin pool's "zero" is a property of its segment. */
	segs = json_object_get(o, "seg");
	json_array_foreach(segs, i, e) {
		if (strcmp(jstr(e, "segtype"), "thin-pool") != 0)
			continue;
		for (j = first; j < rep->nlvs; j++) {
			if (strcmp(rep->lvs[j].uuid, jstr(e, "lv_uuid")) != 0)
				continue;
			if (strcmp(jstr(e, "zero"), "zero") == 0 ||
			    strcmp(jstr(e, "zero"), "1") == 0)
				rep->lvs[j].zero = 1;
			else if (strcmp(jstr(e, "zero"), "unknown") != 0)
				rep->lvs[j].zero = 0;
		}
	}
}

int
lvm_report_parse(struct lvm_report *rep, const char *buf, size_t len,
    char **cause)
{
	json_t		*root, *a, *e;
	json_error_t	 jerr;
	size_t		 i;

	memset(rep, 0, sizeof *rep);
	if ((root = json_loadb(buf, len, 0, &jerr)) == NULL) {
		*cause = xprintf("lvm fullreport: bad JSON at line %d: %s",
		    jerr.line, jerr.text);
		return (-1);
	}
	a = json_object_get(root, "report");
	if (!json_is_array(a)) {
		json_decref(root);
		*cause = xstrdup("lvm fullreport: no \"report\" array");
		return (-1);
	}
	json_array_foreach(a, i, e)
		lvm_report_add(rep, e);
	json_decref(root);
	return (0);
}

int
lvm_report_load(struct lvm_report *rep, char **cause)
{
	struct spawn_result	 res;
	char			*lvm;
	int			 rc;

	memset(rep, 0, sizeof *rep);
	if ((lvm = spawn_which("lvm")) == NULL) {
		rep->missing = 1;
		return (0);
	}
	free(lvm);
	if (spawn_run_timeout(lvm_argv, NULL, SPAWN_STDOUT, 60000, &res,
	    cause) != 0) {
		spawn_result_free(&res);
		return (-1);
	}
	rc = lvm_report_parse(rep, res.out != NULL ? res.out : "",
	    res.outlen, cause);
	spawn_result_free(&res);
	return (rc);
}

void
lvm_report_free(struct lvm_report *rep)
{
	size_t	 i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->nvgs; i++)
		free(rep->vgs[i].name);
	for (i = 0; i < rep->npvs; i++) {
		free(rep->pvs[i].name);
		free(rep->pvs[i].vg);
	}
	for (i = 0; i < rep->nlvs; i++) {
		free(rep->lvs[i].name);
		free(rep->lvs[i].vg);
		free(rep->lvs[i].uuid);
		free(rep->lvs[i].path);
		free(rep->lvs[i].origin);
		free(rep->lvs[i].pool_lv);
		free(rep->lvs[i].layout);
		free(rep->lvs[i].attr);
		free(rep->lvs[i].tags);
	}
	free(rep->vgs);
	free(rep->pvs);
	free(rep->lvs);
	memset(rep, 0, sizeof *rep);
}

const struct lvm_vg *
lvm_vg_find(const struct lvm_report *rep, const char *name)
{
	size_t	 i;

	for (i = 0; i < rep->nvgs; i++) {
		if (strcmp(rep->vgs[i].name, name) == 0)
			return (&rep->vgs[i]);
	}
	return (NULL);
}

const struct lvm_lv *
lvm_lv_find(const struct lvm_report *rep, const char *vg, const char *name)
{
	size_t	 i;

	for (i = 0; i < rep->nlvs; i++) {
		if (strcmp(rep->lvs[i].vg, vg) == 0 &&
		    strcmp(rep->lvs[i].name, name) == 0)
			return (&rep->lvs[i]);
	}
	return (NULL);
}

const struct lvm_pv *
lvm_pv_find(const struct lvm_report *rep, const char *path)
{
	struct stat	 a, b;
	char		*real;
	size_t		 i;
	int		 have;

	have = stat(path, &a) == 0 && S_ISBLK(a.st_mode);
	real = realpath(path, NULL);
	for (i = 0; i < rep->npvs; i++) {
		if (have && stat(rep->pvs[i].name, &b) == 0 &&
		    S_ISBLK(b.st_mode) && a.st_rdev == b.st_rdev)
			break;
		if (strcmp(rep->pvs[i].name, path) == 0 ||
		    (real != NULL && strcmp(rep->pvs[i].name, real) == 0))
			break;
	}
	free(real);
	return (i < rep->npvs ? &rep->pvs[i] : NULL);
}

/* Whether the LV carries TAG (lv_tags is "a,b,c"). */
int
lvm_has_tag(const struct lvm_lv *lv, const char *tag)
{
	const char	*p = lv->tags;
	size_t		 n = strlen(tag);

	while (*p != '\0') {
		if (strncmp(p, tag, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return (1);
		if ((p = strchr(p, ',')) == NULL)
			break;
		p++;
	}
	return (0);
}
