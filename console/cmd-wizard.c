/*
 * wizard: the guide's steps from the command line (CLI contract, issue 13):
 *
 *   xendeck wizard [--json]
 *   xendeck wizard NAME [--answers FILE] [--set KEY=VALUE]...
 *       [--plan | --export FILE | --apply [--yes] | --resume | --undo]
 *       [--json]
 *
 * --plan is the default. A wizard's extra actions are --ACTION (the bridge
 * wizard's --confirm). A read-only wizard (host-check) only checks.
 *
 * Exit status: 0 done (for host-check: every check passed); 1 a step
 * failed (the error names it and the tail of its output), a check failed,
 * or the run was refused (the lock, an unfinished run); 2 bad input: an
 * unknown key, a missing required field, an invalid value, a destructive
 * step without consent, bad usage (one line naming the key, or FILE:LINE:
 * COL); 3 host-check found only warnings.
 *
 * --json with --plan prints the plan as one JSON object (plan.json's form,
 * each step with "command" and, for a file edit, "diff"). With --apply,
 * --resume or --undo it prints one JSON object per line, one per event, and
 * flushes each, for a program reading as it goes (the console's wizard
 * view runs `xendeck wizard NAME ... --apply --yes --json` as a job):
 *
 *   {"event":"begin","step":N,"total":T,"id":ID,"title":TEXT,
 *    "command":TEXT}                    step N of T (1-based) starts
 *   {"event":"output","step":N,"stream":"stdout"|"stderr","line":TEXT}
 *                                       a line of its output, as it comes
 *                                       (a phase line of a long step, as
 *                                       the template build prints them,
 *                                       adds "phase":K,"phases":T,
 *                                       "phase_name":NAME)
 *   {"event":"end","step":N,"id":ID,"outcome":OUTCOME,"detail":TEXT}
 *                                       OUTCOME: "ok", "skipped" (already
 *                                       done), "failed", "undone"
 *   {"event":"result","status":STATUS,"exit":E,"run":RUN|null,
 *    "error":TEXT|null,"reboot":BOOL}   the last line: STATUS "done",
 *                                       "undone", "failed" or "refused"
 *                                       (nothing changed); E is the exit
 *                                       status; reboot: a step that takes
 *                                       effect at the next boot ran
 *
 * --resume reports the steps an earlier run did as begin/end pairs too
 * (detail "done earlier in this run"). --undo reports the steps it walks
 * back, last first.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "console.h"
#include "wizards.h"

static int	cmd_wizard_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_wizard_entry = {
	.name = "wizard",
	.usage = "[NAME [--answers FILE] [--set KEY=VALUE]... [--plan | "
	    "--export FILE | --apply [--yes] | --resume | --undo] [--json]]",
	.summary = "the guide's steps as wizards: plan, export, apply, "
	    "resume, undo",
	.help =
	    "With no NAME, lists the wizards and the runs left half-done.\n"
	    "`xendeck wizard NAME --help` shows a wizard's fields (key, "
	    "prompt,\n"
	    "default, choices, explanation) and what it does in the guide's "
	    "terms.\n"
	    "\n"
	    "Answers come from --answers FILE (YAML: `key: value` lines; a "
	    "list\n"
	    "of values is joined with commas) and --set KEY=VALUE (later "
	    "wins).\n"
	    "\n"
	    "  --plan          show the numbered steps, the exact commands, a\n"
	    "                  diff of every file edit (the default)\n"
	    "  --export FILE   write the plan as a POSIX sh script (FILE - is\n"
	    "                  stdout); every step is guarded by its probe, "
	    "so\n"
	    "                  running it twice is safe\n"
	    "  --apply         run it: one wizard at a time, a journal under\n"
	    "                  /var/lib/xendeck/wizards/ ($XENDECK_STATEDIR),\n"
	    "                  files written atomically with a backup\n"
	    "  --yes           consent to destructive steps; what they destroy\n"
	    "                  must also be named in the answers\n"
	    "  --resume        continue a run that was interrupted or failed,\n"
	    "                  after checking that the host has not changed\n"
	    "  --undo          walk back the newest run's steps that have an "
	    "undo\n"
	    "  --json          the plan as JSON; with --apply, --resume, "
	    "--undo:\n"
	    "                  one JSON object per event per line\n"
	    "                  (begin, output, end, result)\n"
	    "  --root DIR      edit files under DIR, run no host command (for\n"
	    "                  wizards that support it)\n"
	    "\n"
	    "Exit status: 0 done, 1 a step failed (named, with the tail of its\n"
	    "output) or the run was refused, 2 bad input (one line naming the\n"
	    "key), 3 host-check found only warnings.\n",
	/* In the console: a child xendeck, so an apply never blocks it. */
	.flags = CMD_JOB | CMD_CANCEL,
	.exec = cmd_wizard_exec,
};

enum wiz_mode { WM_NONE, WM_PLAN, WM_EXPORT, WM_APPLY, WM_RESUME, WM_UNDO,
	WM_ACTION };

/* How the events of a run are printed. */
struct wiz_out {
	struct cmd_ctx	*ctx;
	int		 json;
	int		 undo;
	int		 reboot;	/* a PLAN_REBOOT step took effect */
};

static void
json_line(struct cmd_ctx *ctx, json_t *o)
{
	char	*s;

	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return;
	fprintf(ctx->out, "%s\n", s);
	fflush(ctx->out);
	free(s);
}

/* Whether some step destroys data (so --apply needs --yes). */
static int
plan_destructive(const struct plan *p)
{
	size_t	 i;

	for (i = 0; i < p->nsteps; i++) {
		if (p->steps[i].flags & PLAN_DESTRUCTIVE)
			return (1);
	}
	return (0);
}

static void
ev_begin(void *arg, const struct plan *p, size_t i)
{
	struct wiz_out		*o = arg;
	const struct plan_step	*s = &p->steps[i];
	char			*cmd;

	if (o->undo && s->kind == PLAN_FILE)
		cmd = xprintf("(put back) %s", s->file.path);
	else if (o->undo && s->undo != NULL)
		cmd = spawn_argv_string(s->undo);
	else if (o->undo)
		cmd = xstrdup("(no undo)");
	else
		cmd = plan_step_command(s);
	if (o->json)
		json_line(o->ctx, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s}",
		    "event", "begin", "step", (json_int_t)i + 1, "total",
		    (json_int_t)p->nsteps, "id", p->steps[i].id, "title",
		    p->steps[i].title, "command", cmd));
	else {
		fprintf(o->ctx->out, "[%zu/%zu] %s%s\n      %s%s\n", i + 1,
		    p->nsteps, o->undo ? "undo: " : "", s->title,
		    *cmd == '(' ? "" : "$ ", cmd);
		fflush(o->ctx->out);
	}
	free(cmd);
}

static void
ev_line(void *arg, const struct plan *p, size_t i, int stream,
    const char *line)
{
	struct wiz_out	*o = arg;
	const char	*name;
	char		 bar[21];
	int		 n, total, k;
	json_t		*ev;

	/* A long step's phases ("@@xendeck phase N/T NAME") as progress. */
	if (template_phase(line, &n, &total, &name)) {
		if (o->json) {
			ev = json_pack("{s:s, s:I, s:s, s:s, s:i, s:i, s:s}",
			    "event", "output", "step", (json_int_t)i + 1,
			    "stream", "stdout", "line", line, "phase", n,
			    "phases", total, "phase_name", name);
			json_line(o->ctx, ev);
			return;
		}
		for (k = 0; k < 20; k++)
			bar[k] = k < 20 * (n - 1) / total ? '#' : '.';
		bar[20] = '\0';
		fprintf(o->ctx->out, "      [%s] %d/%d %s\n", bar, n, total,
		    name);
		fflush(o->ctx->out);
		return;
	}
	if (o->json)
		json_line(o->ctx, json_pack("{s:s, s:I, s:s, s:s}", "event",
		    "output", "step", (json_int_t)i + 1, "stream",
		    stream == 2 ? "stderr" : "stdout", "line", line));
	else {
		fprintf(o->ctx->out, "      | %s\n", line);
		fflush(o->ctx->out);
	}
}

static const char *
outcome_name(enum plan_outcome oc)
{
	switch (oc) {
	case PLAN_OK:
		return ("ok");
	case PLAN_SKIPPED:
		return ("skipped");
	case PLAN_FAILED:
		return ("failed");
	case PLAN_UNDONE:
		return ("undone");
	}
	return ("?");
}

static void
ev_end(void *arg, const struct plan *p, size_t i, enum plan_outcome oc,
    const char *detail)
{
	struct wiz_out	*o = arg;
	size_t		 n;

	if (detail == NULL)
		detail = "";
	if (oc == PLAN_OK && !o->undo && (p->steps[i].flags & PLAN_REBOOT))
		o->reboot = 1;
	if (o->json) {
		json_line(o->ctx, json_pack("{s:s, s:I, s:s, s:s, s:s}",
		    "event", "end", "step", (json_int_t)i + 1, "id",
		    p->steps[i].id, "outcome", outcome_name(oc), "detail",
		    detail));
		return;
	}
	/* The first line of the detail: a failure's tail is in the error. */
	n = strcspn(detail, "\n");
	fprintf(o->ctx->out, "      %s%s%.*s\n", oc == PLAN_FAILED ? "FAILED" :
	    outcome_name(oc), n > 0 ? ": " : "", (int)n, detail);
	fflush(o->ctx->out);
}

static void
json_result(struct cmd_ctx *ctx, const char *status, int code,
    const char *run, const char *error, int reboot)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:i}", "event", "result", "status", status,
	    "exit", code);
	json_object_set_new(o, "run", run != NULL ? json_string(run) :
	    json_null());
	json_object_set_new(o, "error", error != NULL ? json_string(error) :
	    json_null());
	json_object_set_new(o, "reboot", json_boolean(reboot));
	json_line(ctx, o);
}

/*
 * The answers file: a YAML mapping of field keys to values (a list of
 * values becomes one comma-separated value). Errors are FILE:LINE:COL.
 */
static int
load_answers(const struct wizard *w, const char *path,
    struct wiz_answers *a, char **cause)
{
	yaml_document_t	*doc = NULL;
	yaml_node_t	*root, *k, *v, *item;
	yaml_node_pair_t *pair;
	yaml_node_item_t *it;
	char		*buf = NULL, *val, *prev, *key;
	size_t		 len;
	int		 rc = WIZ_EINPUT;

	if (file_read(path, &buf, &len, cause) != 0)
		return (WIZ_EINPUT);
	if ((doc = ydoc_load(path, buf, len, cause)) == NULL)
		goto out;
	if ((root = yaml_document_get_root_node(doc)) == NULL) {
		rc = 0;		/* an empty file: no answers */
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		*cause = ydoc_error(path, root, "the answers must be a mapping "
		    "of field: value");
		goto out;
	}
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(doc, pair->key);
		v = yaml_document_get_node(doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE) {
			*cause = ydoc_error(path, k != NULL ? k : root,
			    "a key must be a field name");
			goto out;
		}
		key = (char *)k->data.scalar.value;
		if (wiz_field_find(w, key) == NULL) {
			*cause = ydoc_error(path, k, "%s: unknown field of the "
			    "%s wizard", key, w->name);
			goto out;
		}
		if (wiz_get(a, key) != NULL) {
			*cause = ydoc_error(path, k, "%s: given twice", key);
			goto out;
		}
		val = NULL;
		if (v->type == YAML_SCALAR_NODE)
			val = xstrdup((char *)v->data.scalar.value);
		else if (v->type == YAML_SEQUENCE_NODE) {
			for (it = v->data.sequence.items.start;
			    it < v->data.sequence.items.top; it++) {
				item = yaml_document_get_node(doc, *it);
				if (item == NULL ||
				    item->type != YAML_SCALAR_NODE) {
					free(val);
					*cause = ydoc_error(path, v, "%s: a "
					    "list of plain values only", key);
					goto out;
				}
				prev = val;
				xasprintf(&val, "%s%s%s", prev != NULL ? prev :
				    "", prev != NULL ? "," : "",
				    (char *)item->data.scalar.value);
				free(prev);
			}
		}
		if (val == NULL) {
			*cause = ydoc_error(path, v, "%s: a value or a list of "
			    "values", key);
			goto out;
		}
		wiz_answers_set(a, key, val);
		free(val);
	}
	rc = 0;
out:
	ydoc_free(doc);
	free(buf);
	return (rc);
}

/* `xendeck wizard`: the wizards, then the runs left half-done. */
static int
wizard_list(struct cmd_ctx *ctx, const struct wizard *const *table,
    int json)
{
	const struct wizard *const	*w;
	struct plan_run			*runs = NULL;
	size_t				 n = 0, i, shown = 0;
	char				*cause = NULL;
	json_t				*o, *a, *r;
	int				 width = 0;

	if (plan_runs(&runs, &n, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
	}
	if (json) {
		o = json_object();
		a = json_array();
		for (w = table; *w != NULL; w++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:b}",
			    "name", (*w)->name, "summary", (*w)->summary,
			    "read_only", (*w)->plan == NULL));
		json_object_set_new(o, "wizards", a);
		a = json_array();
		for (i = 0; i < n; i++) {
			r = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, "
			    "s:I, s:b}", "run", runs[i].id, "wizard",
			    runs[i].wizard, "title", runs[i].title, "state",
			    runs[i].state, "done", (json_int_t)runs[i].done,
			    "total", (json_int_t)runs[i].total, "started",
			    (json_int_t)runs[i].started, "updated",
			    (json_int_t)runs[i].updated, "unfinished",
			    plan_run_is_unfinished(&runs[i]));
			json_object_set_new(r, "step", runs[i].failed_step !=
			    NULL ? json_string(runs[i].failed_step) :
			    json_null());
			json_array_append_new(a, r);
		}
		json_object_set_new(o, "runs", a);
		cause = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(ctx->out, "%s\n", cause);
		free(cause);
		json_decref(o);
		plan_runs_free(runs, n);
		return (0);
	}
	for (w = table; *w != NULL; w++) {
		if ((int)strlen((*w)->name) > width)
			width = (int)strlen((*w)->name);
	}
	for (w = table; *w != NULL; w++)
		fprintf(ctx->out, "%-*s  %s\n", width, (*w)->name,
		    (*w)->summary);
	for (i = 0; i < n; i++) {
		if (!plan_run_is_unfinished(&runs[i]) &&
		    strcmp(runs[i].state, "running") != 0)
			continue;
		if (shown++ == 0)
			fprintf(ctx->out, "\nUnfinished runs:\n");
		fprintf(ctx->out, "  %s  %s, %zu of %zu steps done%s%s%s\n",
		    runs[i].id, runs[i].state, runs[i].done, runs[i].total,
		    runs[i].failed_step != NULL ? " (at " : "",
		    runs[i].failed_step != NULL ? runs[i].failed_step : "",
		    runs[i].failed_step != NULL ? ")" : "");
		if (strcmp(runs[i].state, "running") != 0)
			fprintf(ctx->out, "    xendeck wizard %s %s, or "
			    "--undo\n", runs[i].wizard,
			    strcmp(runs[i].state, "undoing") == 0 ? "--undo" :
			    "--resume");
	}
	plan_runs_free(runs, n);
	return (0);
}

/* A field's candidates (the console's picker), '*' before usable ones. */
static void
wizard_help_candidates(struct cmd_ctx *ctx, const struct wizard *w,
    const struct wiz_ctx *wctx, const struct wiz_field *f)
{
	struct wiz_candidate	*v = NULL;
	char			*cause = NULL;
	size_t			 n = 0, i;

	if (w->candidates == NULL)
		return;
	if (w->candidates(wctx, f->key, &v, &n, &cause) != 0) {
		fprintf(ctx->out, "  %-12s candidates: not known (%s)\n", "",
		    cause);
		free(cause);
		return;
	}
	if (n > 0)
		fprintf(ctx->out, "  %-12s candidates (* usable):\n", "");
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "  %-12s %c %s\n", "", v[i].usable ? '*' :
		    ' ', v[i].label);
	wiz_candidates_free(v, n);
}

/* `xendeck wizard NAME --help`. */
static void
wizard_help(struct cmd_ctx *ctx, const struct wizard *w,
    const struct wiz_ctx *wctx, const struct wiz_answers *a)
{
	const struct wiz_field	*f;
	const char		*given;
	char			*def;
	size_t			 i;

	fprintf(ctx->out, "usage: xendeck wizard %s [--answers FILE] "
	    "[--set KEY=VALUE]...%s [--json]\n\n%s\n\n", w->name,
	    w->plan != NULL ? " [--plan | --export FILE | --apply [--yes] | "
	    "--resume | --undo]" : "", w->summary);
	if (w->guide != NULL)
		fprintf(ctx->out, "%s\n", w->guide);
	if (w->fields != NULL && w->fields[0].key != NULL)
		fprintf(ctx->out, "\nFields (--set KEY=VALUE, or `KEY: VALUE` "
		    "in the answers file):\n");
	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		fprintf(ctx->out, "  %-12s %s%s%s\n", f->key, f->prompt,
		    (f->flags & WIZ_REQUIRED) ? " (required)" : "",
		    (f->flags & WIZ_CONSENT) ? " (consent: names what is "
		    "destroyed)" : "");
		given = wiz_get(a, f->key);
		def = given == NULL && f->def != NULL ? f->def(wctx, a) : NULL;
		if (given != NULL)
			fprintf(ctx->out, "  %-12s given: %s\n", "", given);
		else if (def != NULL)
			fprintf(ctx->out, "  %-12s default: %s\n", "", def);
		free(def);
		if (f->choices != NULL) {
			fprintf(ctx->out, "  %-12s choices:", "");
			for (i = 0; f->choices[i] != NULL; i++)
				fprintf(ctx->out, " %s", f->choices[i]);
			fputc('\n', ctx->out);
		}
		if (f->explain != NULL) {
			const char	*p = f->explain, *nl;

			while (*p != '\0') {
				nl = p + strcspn(p, "\n");
				fprintf(ctx->out, "  %-12s %.*s\n", "",
				    (int)(nl - p), p);
				p = *nl != '\0' ? nl + 1 : nl;
			}
		}
		wizard_help_candidates(ctx, w, wctx, f);
	}
	if (w->actions != NULL && w->actions[0] != NULL) {
		fprintf(ctx->out, "\nActions:");
		for (i = 0; w->actions[i] != NULL; i++)
			fprintf(ctx->out, " --%s", w->actions[i]);
		fputc('\n', ctx->out);
	}
}

/* A read-only wizard: its checks, as lines or a JSON array. */
static int
wizard_check(struct cmd_ctx *ctx, const struct wizard *w,
    const struct wiz_ctx *wctx, struct wiz_answers *a, int json)
{
	struct wiz_checks	 c = { 0 };
	const struct wiz_check	*k;
	char			*cause = NULL, *s;
	json_t			*arr;
	size_t			 i;
	int			 fails = 0, warns = 0, width = 0, rc;

	if ((rc = wiz_complete(w, wctx, a, &cause)) != 0 ||
	    w->check(wctx, a, &c, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		wiz_checks_free(&c);
		return (rc == WIZ_EINPUT ? 2 : 1);
	}
	for (i = 0; i < c.n; i++) {
		k = &c.v[i];
		fails += k->status == WIZ_FAIL;
		warns += k->status == WIZ_WARN;
		if ((int)strlen(k->check) > width)
			width = (int)strlen(k->check);
	}
	if (json) {
		arr = json_array();
		for (i = 0; i < c.n; i++) {
			k = &c.v[i];
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, "
			    "s:o}", "check", k->check, "status",
			    wiz_status_name(k->status), "detail", k->detail,
			    "fix", k->fix != NULL ? json_string(k->fix) :
			    json_null()));
		}
		s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(ctx->out, "%s\n", s);
		free(s);
		json_decref(arr);
	} else {
		for (i = 0; i < c.n; i++) {
			k = &c.v[i];
			fprintf(ctx->out, "%s  %-*s  %s\n",
			    wiz_status_name(k->status), width, k->check,
			    k->detail);
			if (k->fix != NULL && k->status != WIZ_PASS)
				fprintf(ctx->out, "      %-*s  fix: %s\n",
				    width, "", k->fix);
		}
		fprintf(ctx->out, "\n%zu checks: %zu passed, %d warnings, %d "
		    "failed\n", c.n, c.n - fails - warns, warns, fails);
	}
	wiz_checks_free(&c);
	return (fails > 0 ? 1 : warns > 0 ? 3 : 0);
}

/* The plan as JSON for --plan --json: plan.json plus commands and diffs. */
static json_t *
plan_json_shown(const struct plan *p)
{
	json_t			*o, *steps, *s;
	const struct plan_step	*st;
	char			*cmd, *diff;
	size_t			 i;

	o = plan_to_json(p);
	steps = json_object_get(o, "steps");
	for (i = 0; i < p->nsteps; i++) {
		st = &p->steps[i];
		s = json_array_get(steps, i);
		cmd = plan_step_command(st);
		json_object_set_new(s, "command", json_string(cmd));
		free(cmd);
		if (st->kind == PLAN_FILE) {
			diff = text_diff(st->file.existed ? st->file.path :
			    "/dev/null", st->file.before, st->file.beforelen,
			    st->file.after != NULL ? st->file.path :
			    "/dev/null", st->file.after, st->file.afterlen);
			json_object_set_new(s, "diff", json_string(diff));
			free(diff);
		}
	}
	return (o);
}

static int
wizard_plan(struct cmd_ctx *ctx, const struct wizard *w,
    const struct wiz_ctx *wctx, struct wiz_answers *a, enum wiz_mode mode,
    const char *file, int json)
{
	struct plan	 p;
	char		*cause = NULL, *text, *run;
	json_t		*o;
	int		 rc;

	if ((rc = wiz_make_plan(w, wctx, a, &p, &cause)) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		plan_free(&p);
		return (rc == WIZ_EINPUT ? 2 : 1);
	}
	if (mode == WM_EXPORT) {
		text = plan_export(&p);
		if (strcmp(file, "-") == 0)
			fputs(text, ctx->out);
		else if (file_write_atomic(file, text, strlen(text), 0755, 0,
		    &cause) != 0) {
			cmd_error(ctx, "%s", cause);
			free(cause);
			free(text);
			plan_free(&p);
			return (1);
		} else
			fprintf(ctx->out, "Wrote the plan of %s as a script: %s "
			    "(%zu steps). Read it, then run it as root: sh "
			    "%s\n", w->name, file, p.nsteps, file);
		free(text);
	} else if (json) {
		o = plan_json_shown(&p);
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(ctx->out, "%s\n", text);
		free(text);
		json_decref(o);
	} else {
		text = plan_show(&p, PLAN_SHOW_EXPLAIN);
		fputs(text, ctx->out);
		free(text);
		if ((run = plan_run_unfinished(w->name)) != NULL) {
			fprintf(ctx->out, "\nAn unfinished run of %s exists "
			    "(%s): --resume or --undo it before --apply.\n",
			    w->name, run);
			free(run);
		} else
			fprintf(ctx->out, "\nNothing has changed. Apply it "
			    "with --apply%s, or --export FILE for a script.\n",
			    plan_destructive(&p) ? " --yes" : "");
	}
	plan_free(&p);
	return (0);
}

/* After an apply: what the wizard tells once (not logged, not in JSON). */
static void
wizard_done(struct cmd_ctx *ctx, const struct wizard *w,
    const struct wiz_ctx *wctx, const struct wiz_answers *a)
{
	char	*msg = NULL, *dom = NULL, *cause = NULL;

	if (w->done == NULL)
		return;
	if (w->done(wctx, a, &msg, &dom, &cause) != 0) {
		fprintf(ctx->err, "xendeck: warning: %s\n", cause);
		free(cause);
		return;
	}
	if (msg != NULL) {
		fprintf(ctx->out, "\n%s", msg);
		fflush(ctx->out);
		explicit_bzero(msg, strlen(msg));
	}
	free(msg);
	free(dom);
}

/* --apply, --resume, --undo. */
static int
wizard_run(struct cmd_ctx *ctx, const struct wizard *w,
    const struct wiz_ctx *wctx, struct wiz_answers *a, enum wiz_mode mode,
    int yes, int json)
{
	struct wiz_out		 out = { ctx, json, mode == WM_UNDO, 0 };
	struct plan_events	 ev = { ev_begin, ev_line, ev_end, &out };
	struct plan		 p;
	char			*cause = NULL, *run = NULL;
	const char		*status;
	int			 rc, code;

	plan_init(&p, w->name);
	if (mode == WM_APPLY) {
		if ((rc = wiz_make_plan(w, wctx, a, &p, &cause)) == 0)
			rc = plan_apply(&p, yes ? PLAN_APPLY_YES : 0, &ev,
			    &run, &cause);
		else if (rc != WIZ_EINPUT)
			rc = -1;
	} else if (mode == WM_RESUME)
		rc = wiz_resume(w, wctx, &ev, &cause);
	else
		rc = wiz_undo(w, wctx, &ev, &cause);
	code = rc == 0 ? 0 : rc == WIZ_EINPUT ? 2 : 1;
	if (code == 2 || (code == 1 && run == NULL && mode == WM_APPLY))
		status = "refused";
	else if (code != 0)
		status = "failed";
	else
		status = mode == WM_UNDO ? "undone" : "done";
	if (code != 0) {
		cmd_error(ctx, "%s", cause);
		if (code == 1 && strcmp(status, "failed") == 0 &&
		    mode != WM_UNDO)
			fprintf(ctx->err, "Fix the cause, then `xendeck wizard "
			    "%s --resume`; or walk the run back with `xendeck "
			    "wizard %s --undo`.\n", w->name, w->name);
	} else if (!json) {
		if (mode == WM_UNDO)
			fprintf(ctx->out, "Undone: %s is back as it was "
			    "(steps without an undo are named above).\n",
			    w->name);
		else
			fprintf(ctx->out, "Done: %s%s%s. Walk it back with "
			    "`xendeck wizard %s --undo`.\n", w->name,
			    run != NULL ? ", run " : "", run != NULL ? run :
			    "", w->name);
		/* The console keeps output (the pager, T): it asks itself. */
		if (mode == WM_APPLY && !ctx->interactive)
			wizard_done(ctx, w, wctx, a);
	}
	if (code == 0 && out.reboot && !json)
		fprintf(ctx->out, "Reboot for the change to take effect.\n");
	if (json)
		json_result(ctx, status, code, run, code != 0 ? cause : NULL,
		    out.reboot);
	/* A guest it started: its serial console, in the console. */
	if (code == 0 && mode != WM_UNDO && ctx->open_console != NULL &&
	    w->console_after != NULL) {
		char	*dom = w->console_after(a);

		if (dom != NULL)
			ctx->open_console(ctx, dom);
		free(dom);
	}
	free(cause);
	free(run);
	plan_free(&p);
	return (code);
}

/*
 * The command, on any table of wizards (the tests run it on one of their
 * own). argv[0] is "wizard".
 */
int
cmd_wizard_main(struct cmd_ctx *ctx, const struct wizard *const *table,
    int argc, char **argv)
{
	static const struct option	 base[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "set", required_argument, NULL, 's' },
		{ "plan", no_argument, NULL, 'p' },
		{ "export", required_argument, NULL, 'e' },
		{ "apply", no_argument, NULL, 'A' },
		{ "yes", no_argument, NULL, 'y' },
		{ "resume", no_argument, NULL, 'r' },
		{ "undo", no_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "root", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
	};
	const struct wizard *const	*wp;
	const struct wizard		*w = NULL;
	struct option			*opts = NULL;
	struct wiz_answers		 a;
	struct wiz_ctx			 wctx = { 0 };
	enum wiz_mode			 mode = WM_NONE, m;
	const char			*answers = NULL, *file = NULL;
	const char			*action = NULL;
	char				*cause = NULL, **sets = NULL;
	char				**nargv = NULL;
	size_t				 nact = 0, i;
	int				 ch, json = 0, yes = 0, help = 0;
	int				 rc = 2;

	wiz_answers_init(&a);
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "--json") == 0))
		return (wizard_list(ctx, table, argc == 2));
	if (argv[1][0] == '-') {
		if (strcmp(argv[1], "--help") == 0 && argc == 2) {
			fprintf(ctx->out, "usage: xendeck wizard %s\n\n%s",
			    cmd_wizard_entry.usage, cmd_wizard_entry.help);
			return (0);
		}
		return (cmd_usage(ctx, &cmd_wizard_entry));
	}
	for (wp = table; *wp != NULL && w == NULL; wp++) {
		if (strcmp((*wp)->name, argv[1]) == 0)
			w = *wp;
	}
	if (w == NULL) {
		cmd_error(ctx, "unknown wizard: %s (`xendeck wizard` lists "
		    "them)", argv[1]);
		return (2);
	}
	for (nact = 0; w->actions != NULL && w->actions[nact] != NULL; nact++)
		;
	opts = xcalloc(nitems(base) + nact + 1, sizeof *opts);
	memcpy(opts, base, sizeof base);
	for (i = 0; i < nact; i++) {
		opts[nitems(base) + i].name = w->actions[i];
		opts[nitems(base) + i].has_arg = no_argument;
		opts[nitems(base) + i].val = 1000 + (int)i;
	}
	/* The options follow NAME: getopt sees "wizard OPTIONS...". */
	nargv = xcalloc(argc, sizeof *nargv);
	nargv[0] = argv[0];
	for (i = 2; i < (size_t)argc; i++)
		nargv[i - 1] = argv[i];
	optind = 0;
	while ((ch = getopt_long(argc - 1, nargv, "+", opts, NULL)) != -1) {
		m = WM_NONE;
		switch (ch) {
		case 'a':
			answers = optarg;
			break;
		case 's':
			strv_push(&sets, optarg);
			break;
		case 'p':
			m = WM_PLAN;
			break;
		case 'e':
			m = WM_EXPORT;
			file = optarg;
			break;
		case 'A':
			m = WM_APPLY;
			break;
		case 'y':
			yes = 1;
			break;
		case 'r':
			m = WM_RESUME;
			break;
		case 'u':
			m = WM_UNDO;
			break;
		case 'j':
			json = 1;
			break;
		case 'R':
			wctx.root = optarg;
			break;
		case 'h':
			help = 1;
			break;
		default:
			if (ch >= 1000 && ch < 1000 + (int)nact) {
				m = WM_ACTION;
				action = w->actions[ch - 1000];
				break;
			}
			goto usage;
		}
		if (m != WM_NONE && mode != WM_NONE && m != mode) {
			cmd_error(ctx, "choose one of --plan, --export, "
			    "--apply, --resume, --undo%s", nact > 0 ?
			    " and the wizard's actions" : "");
			goto out;
		}
		if (m != WM_NONE)
			mode = m;
	}
	if (optind != argc - 1)
		goto usage;
	if (mode == WM_NONE)
		mode = WM_PLAN;
	if (yes && mode != WM_APPLY && mode != WM_ACTION) {
		cmd_error(ctx, "--yes goes with --apply");
		goto out;
	}
	if (answers != NULL && (rc = load_answers(w, answers, &a,
	    &cause)) != 0) {
		rc = 2;
		goto fail;
	}
	for (i = 0; sets != NULL && sets[i] != NULL; i++) {
		if (wiz_answers_parse(&a, sets[i], &cause) != 0) {
			rc = 2;
			goto fail;
		}
	}
	{
		char	*why = NULL;

		/* A wizard that needs no backend still runs without one. */
		if ((wctx.be = backend_default(&why)) == NULL) {
			log_debug("wizard: %s", why);
			free(why);
		}
	}
	if (help) {
		wizard_help(ctx, w, &wctx, &a);
		rc = 0;
		goto out;
	}
	if (ctx->read_only && mode != WM_PLAN && mode != WM_EXPORT) {
		cmd_error(ctx, "wizard %s: refused in read-only mode", w->name);
		rc = 1;
		goto out;
	}
	if (w->plan == NULL && w->check != NULL) {
		if (mode != WM_PLAN) {
			cmd_error(ctx, "%s is read-only: it only checks (no "
			    "--export, --apply, --resume or --undo)", w->name);
			goto out;
		}
		rc = wizard_check(ctx, w, &wctx, &a, json);
		goto out;
	}
	switch (mode) {
	case WM_PLAN:
	case WM_EXPORT:
		rc = wizard_plan(ctx, w, &wctx, &a, mode, file, json);
		break;
	case WM_ACTION:
		if ((rc = wiz_complete(w, &wctx, &a, &cause)) == 0 &&
		    (rc = w->action(&wctx, action, &a, &cause)) == 0) {
			if (json)
				json_result(ctx, "done", 0, NULL, NULL, 0);
			else
				fprintf(ctx->out, "%s: --%s done.\n", w->name,
				    action);
			break;
		}
		rc = rc == WIZ_EINPUT ? 2 : 1;
		goto fail;
	default:
		rc = wizard_run(ctx, w, &wctx, &a, mode, yes, json);
		break;
	}
	goto out;
usage:
	rc = cmd_usage(ctx, &cmd_wizard_entry);
	goto out;
fail:
	cmd_error(ctx, "%s", cause);
	if (json && mode != WM_PLAN && mode != WM_EXPORT)
		json_result(ctx, rc == 2 ? "refused" : "failed", rc, NULL,
		    cause, 0);
out:
	free(cause);
	free(opts);
	free(nargv);
	strv_free(sets);
	wiz_answers_free(&a);
	return (rc);
}

static int
cmd_wizard_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (cmd_wizard_main(ctx, wiz_table, argc, argv));
}
