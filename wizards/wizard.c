/*
 * The wizard table and the runner the CLI and the console share: answers,
 * their completion and validation (defaults, unknown keys, required
 * fields, validators), making a plan, and resuming or undoing a run of a
 * wizard with the wizard's own facts checked again.
 */
#include <stdlib.h>
#include <string.h>

#include "wizards.h"

/*
 * In the guide's order (CLI contract: `xendeck wizard` lists them so).
 * Each wizard's branch adds its line here when it lands: xen-install,
 * storage, volume, bridge, pv-guest, hvm-guest.
 */
const struct wizard *const wiz_table[] = {
	&wiz_host_check,
	&wiz_xen_install,
	&wiz_storage,
	&wiz_volume,
	&wiz_bridge,
	&wiz_pv_guest,
	&wiz_hvm_guest,
	NULL
};

const struct wizard *
wiz_find(const char *name)
{
	const struct wizard *const	*w;

	for (w = wiz_table; *w != NULL; w++) {
		if (strcmp((*w)->name, name) == 0)
			return (*w);
	}
	return (NULL);
}

const struct wiz_field *
wiz_field_find(const struct wizard *w, const char *key)
{
	const struct wiz_field	*f;

	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		if (strcmp(f->key, key) == 0)
			return (f);
	}
	return (NULL);
}

void
wiz_answers_init(struct wiz_answers *a)
{
	memset(a, 0, sizeof *a);
}

void
wiz_answers_free(struct wiz_answers *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->keys[i]);
		free(a->values[i]);
	}
	free(a->keys);
	free(a->values);
	memset(a, 0, sizeof *a);
}

/* Set key to value: a key given again keeps its place, the value wins. */
void
wiz_answers_set(struct wiz_answers *a, const char *key, const char *value)
{
	size_t	 i;

	for (i = 0; i < a->n; i++) {
		if (strcmp(a->keys[i], key) == 0) {
			free(a->values[i]);
			a->values[i] = xstrdup(value);
			return;
		}
	}
	a->keys = xreallocarray(a->keys, a->n + 1, sizeof *a->keys);
	a->values = xreallocarray(a->values, a->n + 1, sizeof *a->values);
	a->keys[a->n] = xstrdup(key);
	a->values[a->n] = xstrdup(value);
	a->n++;
}

int
wiz_answers_parse(struct wiz_answers *a, const char *kv, char **cause)
{
	const char	*eq = strchr(kv, '=');
	char		*key;

	if (eq == NULL || eq == kv) {
		*cause = xprintf("%s: not KEY=VALUE", kv);
		return (WIZ_EINPUT);
	}
	key = xstrndup(kv, eq - kv);
	wiz_answers_set(a, key, eq + 1);
	free(key);
	return (0);
}

const char *
wiz_get(const struct wiz_answers *a, const char *key)
{
	size_t	 i;

	for (i = 0; i < a->n; i++) {
		if (strcmp(a->keys[i], key) == 0)
			return (a->values[i]);
	}
	return (NULL);
}

/* The field keys as "a, b, c" (for "unknown field" messages). */
static char *
wiz_field_list(const struct wizard *w)
{
	const struct wiz_field	*f;
	char			*out = NULL, *prev;

	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		prev = out;
		xasprintf(&out, "%s%s%s", prev != NULL ? prev : "",
		    prev != NULL ? ", " : "", f->key);
		free(prev);
	}
	return (out != NULL ? out : xstrdup("none"));
}

/* Whether value is one of a field's choices. */
static int
wiz_choice_ok(const struct wiz_field *f, const char *value, char **cause)
{
	char	*list = NULL, *prev;
	size_t	 i;

	for (i = 0; f->choices[i] != NULL; i++) {
		if (strcmp(f->choices[i], value) == 0)
			return (0);
	}
	for (i = 0; f->choices[i] != NULL; i++) {
		prev = list;
		xasprintf(&list, "%s%s%s", prev != NULL ? prev : "",
		    prev != NULL ? ", " : "", f->choices[i]);
		free(prev);
	}
	*cause = xprintf("%s: '%s' is not one of %s", f->key, value, list);
	free(list);
	return (-1);
}

int
wiz_complete(const struct wizard *w, const struct wiz_ctx *ctx,
    struct wiz_answers *a, char **cause)
{
	const struct wiz_field	*f;
	const char		*v;
	char			*def, *list;
	size_t			 i;

	for (i = 0; i < a->n; i++) {
		if (wiz_field_find(w, a->keys[i]) != NULL)
			continue;
		list = wiz_field_list(w);
		*cause = xprintf("%s: unknown field of the %s wizard (its "
		    "fields: %s)", a->keys[i], w->name, list);
		free(list);
		return (WIZ_EINPUT);
	}
	/* In field order: a default may depend on the answers before it. */
	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		if (wiz_get(a, f->key) != NULL || f->def == NULL)
			continue;
		if ((def = f->def(ctx, a)) != NULL) {
			wiz_answers_set(a, f->key, def);
			free(def);
		}
	}
	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		if ((v = wiz_get(a, f->key)) == NULL) {
			if (f->flags & WIZ_REQUIRED) {
				*cause = xprintf("%s: required (%s)", f->key,
				    f->prompt);
				return (WIZ_EINPUT);
			}
			continue;
		}
		if (f->choices != NULL && wiz_choice_ok(f, v, cause) != 0)
			return (WIZ_EINPUT);
		if (f->valid != NULL && f->valid(v, cause) != 0) {
			/* A validator's cause names its field. */
			if (*cause == NULL)
				*cause = xprintf("%s: invalid value '%s'",
				    f->key, v);
			return (WIZ_EINPUT);
		}
	}
	return (0);
}

int
wiz_make_plan(const struct wizard *w, const struct wiz_ctx *ctx,
    struct wiz_answers *a, struct plan *p, char **cause)
{
	size_t	 i;
	int	 rc;

	plan_init(p, w->name);
	if (w->plan == NULL) {
		*cause = xprintf("%s is a read-only check: it has no plan",
		    w->name);
		return (WIZ_EINPUT);
	}
	if ((rc = wiz_complete(w, ctx, a, cause)) != 0)
		return (rc);
	for (i = 0; i < a->n; i++)
		plan_answer(p, a->keys[i], a->values[i]);
	if (w->facts != NULL && (rc = w->facts(ctx, a, p, cause)) != 0)
		return (rc == WIZ_EINPUT ? WIZ_EINPUT : -1);
	if ((rc = w->plan(ctx, a, p, cause)) != 0)
		return (rc == WIZ_EINPUT ? WIZ_EINPUT : -1);
	return (0);
}

/* The answers a saved plan was made from. */
static void
wiz_plan_answers(const struct plan *p, struct wiz_answers *a)
{
	char	*eq, *key;
	size_t	 i;

	wiz_answers_init(a);
	for (i = 0; p->answers != NULL && p->answers[i] != NULL; i++) {
		if ((eq = strchr(p->answers[i], '=')) == NULL)
			continue;
		key = xstrndup(p->answers[i], eq - p->answers[i]);
		wiz_answers_set(a, key, eq + 1);
		free(key);
	}
}

/*
 * A plan as made now from a saved plan's answers, for its facts and for
 * what a saved plan never holds (a secret step's input).
 */
static int
wiz_plan_again(const struct wizard *w, const struct wiz_ctx *ctx,
    const struct plan *saved, struct plan *now, char **cause)
{
	struct wiz_answers	 a;
	int			 rc = 0;

	wiz_plan_answers(saved, &a);
	plan_init(now, w->name);
	if (w->facts != NULL)
		rc = w->facts(ctx, &a, now, cause);
	wiz_answers_free(&a);
	return (rc == 0 ? 0 : -1);
}

int
wiz_resume(const struct wizard *w, const struct wiz_ctx *ctx,
    const struct plan_events *ev, char **cause)
{
	struct plan		 saved, now, full;
	struct wiz_answers	 a;
	struct plan_step	*s, *fs;
	char			*run, *path, *stale, *why = NULL;
	size_t			 i;
	int			 rc = -1, have_full = 0;

	plan_init(&now, w->name);
	plan_init(&saved, w->name);
	if ((run = plan_run_unfinished(w->name)) == NULL) {
		*cause = xprintf("no unfinished run of %s to resume", w->name);
		goto out;
	}
	xasprintf(&path, "%s/%s/plan.json", plan_statedir(), run);
	plan_free(&saved);
	rc = plan_load(path, &saved, cause);
	free(path);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	rc = -1;
	plan_free(&now);
	if (wiz_plan_again(w, ctx, &saved, &now, cause) != 0)
		goto out;
	if ((stale = plan_facts_stale(&saved, &now, run)) != NULL) {
		*cause = xprintf("the plan of %s is stale, the host changed "
		    "since it was made: %s. Walk it back with `xendeck wizard "
		    "%s --undo` and make a new plan", run, stale, w->name);
		free(stale);
		goto out;
	}
	/* A secret step's input is not saved: make it again. */
	for (i = 0; i < saved.nsteps; i++) {
		s = &saved.steps[i];
		if (!(s->flags & PLAN_SECRET) || s->input != NULL ||
		    s->kind == PLAN_FILE || w->plan == NULL)
			continue;
		if (!have_full) {
			wiz_plan_answers(&saved, &a);
			plan_init(&full, w->name);
			if ((w->facts == NULL || w->facts(ctx, &a, &full,
			    &why) == 0) && w->plan(ctx, &a, &full, &why) == 0)
				have_full = 1;
			else {
				plan_free(&full);
				*cause = xprintf("cannot make the secret "
				    "input of %s again: %s", s->id, why);
				free(why);
				wiz_answers_free(&a);
				goto out;
			}
			wiz_answers_free(&a);
		}
		if ((fs = plan_step_find(&full, s->id)) != NULL &&
		    fs->input != NULL)
			s->input = xstrdup(fs->input);
	}
	if (have_full)
		plan_free(&full);
	rc = plan_continue(run, &saved, ev, cause);
out:
	free(run);
	plan_free(&saved);
	plan_free(&now);
	return (rc);
}

/* Walk back the newest run of the wizard that is not undone. */
int
wiz_undo(const struct wizard *w, const struct wiz_ctx *ctx,
    const struct plan_events *ev, char **cause)
{
	struct plan_run	*runs;
	size_t		 n, i;
	char		*run = NULL;
	int		 rc;

	if (plan_runs(&runs, &n, cause) != 0)
		return (-1);
	for (i = 0; i < n && run == NULL; i++) {
		if (strcmp(runs[i].wizard, w->name) == 0 &&
		    strcmp(runs[i].state, "undone") != 0)
			run = xstrdup(runs[i].id);
	}
	plan_runs_free(runs, n);
	if (run == NULL) {
		*cause = xprintf("no run of %s to undo", w->name);
		return (-1);
	}
	rc = plan_undo(run, ev, cause);
	free(run);
	return (rc);
}

void
wiz_checks_add(struct wiz_checks *c, const char *check, enum wiz_status st,
    const char *fix, const char *fmt, ...)
{
	struct wiz_check	*k;
	va_list			 ap;

	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	k = &c->v[c->n++];
	k->check = xstrdup(check);
	k->status = st;
	va_start(ap, fmt);
	xvasprintf(&k->detail, fmt, ap);
	va_end(ap);
	k->fix = fix != NULL ? xstrdup(fix) : NULL;
}

void
wiz_checks_free(struct wiz_checks *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].check);
		free(c->v[i].detail);
		free(c->v[i].fix);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

const char *
wiz_status_name(enum wiz_status st)
{
	switch (st) {
	case WIZ_PASS:
		return ("PASS");
	case WIZ_WARN:
		return ("WARN");
	case WIZ_FAIL:
		return ("FAIL");
	case WIZ_INFO:
		return ("INFO");
	}
	return ("?");
}

void
wiz_candidates_free(struct wiz_candidate *v, size_t n)
{
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].value);
		free(v[i].label);
	}
	free(v);
}
