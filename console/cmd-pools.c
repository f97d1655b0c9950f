/*
 * pools: every pool (LVM volume groups, directories of images) with its
 * size, free and allocated space, and its volumes with their size, use,
 * format, origin, snapshot fill and who uses them -- the Storage view's
 * data, for scripts (--json) and for the view itself, which runs
 * `xendeck pools --json` as a job so that lvm2 never blocks the console.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"

static int	cmd_pools_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_pools_entry = {
	.name = "pools",
	.usage = "[--json] [POOL...]",
	.summary = "list the storage pools and their volumes",
	.help =
	    "Prints every pool -- the LVM volume groups, and the directories "
	    "of\n"
	    "image files set up with `xendeck wizard storage --set dir=...` "
	    "-- with\n"
	    "its size, free and allocated space, then its volumes: size, "
	    "space\n"
	    "used, format, origin (snapshot, clone or backing file), how full "
	    "a\n"
	    "classic snapshot is, and which domain or /etc/xen config uses "
	    "it.\n"
	    "\n"
	    "  --json   the same as one JSON object, {\"pools\": [...]}\n",
	.exec = cmd_pools_exec,
};

static void
report_alloc(struct pool_report *r)
{
	r->vols = xcalloc(r->npools, sizeof *r->vols);
	r->nvols = xcalloc(r->npools, sizeof *r->nvols);
	r->errors = xcalloc(r->npools, sizeof *r->errors);
}

static json_t *
strv_json(char **v)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		json_array_append_new(a, json_string(v[i]));
	return (a);
}

/* Whether pool P is among the names asked for (none: all are). */
static int
pool_wanted(const struct pool *p, int argc, char **argv)
{
	int	 k;

	for (k = 0; k < argc; k++) {
		if (strcmp(p->name, argv[k]) == 0)
			return (1);
	}
	return (argc == 0);
}

static json_t *
report_json(const struct pool_report *r, int argc, char **argv)
{
	const struct pool	*p;
	const struct volume	*v;
	json_t			*pools = json_array(), *o, *vols, *vo;
	size_t			 i, j;

	for (i = 0; i < r->npools; i++) {
		p = &r->pools[i];
		if (!pool_wanted(p, argc, argv))
			continue;
		vols = json_array();
		for (j = 0; j < r->nvols[i]; j++) {
			v = &r->vols[i][j];
			vo = json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:o, "
			    "s:o}", "name", v->name, "path", v->path,
			    "format", v->format, "size", (json_int_t)v->size,
			    "allocated", (json_int_t)v->allocated, "thin",
			    v->thin, "used_by", strv_json(v->used_by),
			    "origin", v->origin != NULL ?
			    json_string(v->origin) : json_null());
			json_object_set_new(vo, "snap_percent",
			    v->snap_pct >= 0 ? json_real(v->snap_pct) :
			    json_null());
			json_array_append_new(vols, vo);
		}
		o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o}",
		    "name", p->name, "type", p->type == POOL_LVM ? "lvm" :
		    "dir", "size", (json_int_t)p->size, "free",
		    (json_int_t)p->free, "allocated", (json_int_t)p->allocated,
		    "thinpool", p->thinpool != NULL ? json_string(p->thinpool) :
		    json_null(), "pvs", strv_json(p->pvs), "volumes", vols);
		if (r->errors[i] != NULL)
			json_object_set_new(o, "error",
			    json_string(r->errors[i]));
		json_array_append_new(pools, o);
	}
	return (json_pack("{s:o}", "pools", pools));
}

static char **
json_strv(json_t *a)
{
	char	**v = NULL;
	json_t	 *e;
	size_t	  i;

	json_array_foreach(a, i, e) {
		if (json_is_string(e))
			strv_push(&v, json_string_value(e));
	}
	return (v);
}

static char *
jdup(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? xstrdup(s) : NULL);
}

static uint64_t
ju64(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0);
}

/* The JSON of `pools --json` back into a report. */
int
pools_report_parse(struct pool_report *r, const char *buf, size_t len,
    char **cause)
{
	json_t		*root, *pools, *o, *vols, *vo, *sp;
	json_error_t	 jerr;
	struct pool	*p;
	struct volume	*v;
	size_t		 i, j;

	memset(r, 0, sizeof *r);
	if ((root = json_loadb(buf, len, 0, &jerr)) == NULL) {
		*cause = xprintf("pools --json: %s", jerr.text);
		return (-1);
	}
	pools = json_object_get(root, "pools");
	if (!json_is_array(pools)) {
		json_decref(root);
		*cause = xstrdup("pools --json: no \"pools\"");
		return (-1);
	}
	r->npools = json_array_size(pools);
	r->pools = xcalloc(r->npools, sizeof *r->pools);
	report_alloc(r);
	json_array_foreach(pools, i, o) {
		p = &r->pools[i];
		p->name = jdup(o, "name");
		if (p->name == NULL)
			p->name = xstrdup("?");
		p->type = strcmp(json_string_value(json_object_get(o,
		    "type")) != NULL ? json_string_value(json_object_get(o,
		    "type")) : "", "lvm") == 0 ? POOL_LVM : POOL_DIR;
		p->size = ju64(o, "size");
		p->free = ju64(o, "free");
		p->allocated = ju64(o, "allocated");
		p->thinpool = jdup(o, "thinpool");
		p->pvs = json_strv(json_object_get(o, "pvs"));
		r->errors[i] = jdup(o, "error");
		vols = json_object_get(o, "volumes");
		r->nvols[i] = json_array_size(vols);
		r->vols[i] = xcalloc(r->nvols[i], sizeof *r->vols[i]);
		json_array_foreach(vols, j, vo) {
			v = &r->vols[i][j];
			v->name = jdup(vo, "name");
			if (v->name == NULL)
				v->name = xstrdup("?");
			v->pool = xstrdup(p->name);
			v->path = jdup(vo, "path");
			if (v->path == NULL)
				v->path = xstrdup("");
			v->format = jdup(vo, "format");
			if (v->format == NULL)
				v->format = xstrdup("?");
			v->size = ju64(vo, "size");
			v->allocated = ju64(vo, "allocated");
			v->origin = jdup(vo, "origin");
			v->thin = json_is_true(json_object_get(vo, "thin"));
			sp = json_object_get(vo, "snap_percent");
			v->snap_pct = json_is_number(sp) ?
			    json_number_value(sp) : -1;
			v->used_by = json_strv(json_object_get(vo, "used_by"));
		}
	}
	json_decref(root);
	return (0);
}

/* One pool's line: "vg0  LVM  10.0 GiB  5.0 GiB free ...". */
char *
pools_pool_line(const struct pool *p)
{
	char	*size, *free_s, *alloc, *s, *pvs;

	size = pool_size_string(p->size);
	free_s = pool_size_string(p->free);
	alloc = pool_size_string(p->allocated);
	pvs = strv_join(p->pvs, " ");
	s = xprintf("%s  %s%s%s  %s, %s free, %s allocated%s%s",
	    p->name, p->type == POOL_LVM ? "LVM volume group" :
	    "image directory", p->thinpool != NULL ? ", thin pool " : "",
	    p->thinpool != NULL ? p->thinpool : "", size, free_s, alloc,
	    pvs != NULL ? ", on " : "", pvs != NULL ? pvs : "");
	free(pvs);
	free(size);
	free(free_s);
	free(alloc);
	return (s);
}

/*
 * A volume's columns, as the table below and the view print them; narrow
 * (the view on 80 columns), the space used gives way so USED BY shows.
 */
char *
pools_volume_line(const struct volume *v, int narrow)
{
	char	*size, *alloc, *users, *s, snap[16];

	size = pool_size_string(v->size);
	alloc = pool_size_string(v->allocated);
	users = strv_join(v->used_by, ", ");
	if (v->snap_pct >= 0)
		snprintf(snap, sizeof snap, "%.0f%%", v->snap_pct);
	else
		snprintf(snap, sizeof snap, "-");
	if (narrow)
		s = xprintf("%-14s %9s %-6s %-12s %5s  %s", v->name, size,
		    v->thin ? "thin" : v->format, v->origin != NULL ?
		    v->origin : "-", snap, users != NULL ? users : "-");
	else
		s = xprintf("%-20s %10s %10s  %-9s %-14s %5s  %s", v->name,
		    size, alloc, v->thin ? "thin" : v->format, v->origin !=
		    NULL ? v->origin : "-", snap, users != NULL ? users : "-");
	free(size);
	free(alloc);
	free(users);
	return (s);
}

const char pools_volume_header[] =
    "NAME                       SIZE       USED  FORMAT    ORIGIN         "
    "SNAP%  USED BY";
const char pools_volume_header_narrow[] =
    "NAME                SIZE FORMAT ORIGIN       SNAP%  USED BY";

static int
cmd_pools_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct pool_report		 r;
	json_t				*o;
	char				*cause = NULL, *text;
	size_t				 i, j;
	int				 ch, json = 0, k, found, rc = 0;
	int				 shown = 0;

	while ((ch = getopt_long(argc, argv, "+j", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		default:
			return (cmd_usage(ctx, &cmd_pools_entry));
		}
	}
	argc -= optind;
	argv += optind;
	if (pool_report_load(&r, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	for (k = 0; k < argc; k++) {
		for (found = 0, i = 0; i < r.npools; i++)
			found |= pool_wanted(&r.pools[i], 1, &argv[k]);
		if (!found) {
			cmd_error(ctx, "pool: no pool named %s", argv[k]);
			pool_report_free(&r);
			return (2);
		}
	}
	if (json) {
		o = report_json(&r, argc, argv);
		text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		fprintf(ctx->out, "%s\n", text);
		free(text);
		json_decref(o);
		goto out;
	}
	for (i = 0; i < r.npools; i++) {
		if (!pool_wanted(&r.pools[i], argc, argv))
			continue;
		text = pools_pool_line(&r.pools[i]);
		fprintf(ctx->out, "%s%s\n", shown++ > 0 ? "\n" : "", text);
		free(text);
		if (r.errors[i] != NULL) {
			fprintf(ctx->out, "  (%s)\n", r.errors[i]);
			rc = 1;
			continue;
		}
		if (r.nvols[i] == 0) {
			fprintf(ctx->out, "  (no volumes)\n");
			continue;
		}
		fprintf(ctx->out, "  %s\n", pools_volume_header);
		for (j = 0; j < r.nvols[i]; j++) {
			text = pools_volume_line(&r.vols[i][j], 0);
			fprintf(ctx->out, "  %s\n", text);
			free(text);
		}
	}
	if (r.npools == 0)
		fprintf(ctx->out, "no pools: set one up with `xendeck wizard "
		    "storage`\n");
out:
	pool_report_free(&r);
	return (rc);
}
