/*
 * A new HVM guest from the console (the Domains view's H): the hvm-guest
 * wizard, asked for in three steps -- its name, its installer from the ISO
 * picker, then the rest shown with their defaults, any of which can be
 * changed as KEY=VALUE -- and run as a job (`xendeck wizard hvm-guest ...
 * --apply --yes --json`, whose events put each step on the status line).
 * When it is done, the console's VNC viewer opens on the guest, and behind
 * it the wizard's word for the person (the generated VNC password), asked
 * of the wizard here in this process: it is in no job output, no
 * transcript, no log.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"
#include "wizards.h"

static struct wiz_answers	 hn;	/* the answers so far */

static void	hn_name(const char *, void *);
static void	hn_iso(const char *, void *);
static void	hn_settings(const char *, void *);

static const struct wizard *
hn_wizard(void)
{
	return (wiz_find("hvm-guest"));
}

static void
hn_reset(void)
{
	wiz_answers_free(&hn);
	wiz_answers_init(&hn);
}

/* Start: the name. */
void
hvm_new_begin(void)
{
	if (hn_wizard() == NULL) {
		tui_status(COL_ERROR, "no hvm-guest wizard in this build");
		return;
	}
	if (tui.ctx->read_only) {
		tui_status(COL_ERROR, "hvm-guest: refused in read-only mode");
		return;
	}
	hn_reset();
	prompt_begin(PROMPT_PLAIN, "new HVM guest: its name: ", NULL, hn_name,
	    NULL, NULL);
}

static void
hn_name(const char *name, void *arg)
{
	const struct wiz_field	*f;
	char			*cause = NULL, *t;

	(void)arg;
	if (name == NULL || *name == '\0')
		return;
	f = wiz_field_find(hn_wizard(), "name");
	if (f->valid != NULL && f->valid(name, &cause) != 0) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
		return;
	}
	wiz_answers_set(&hn, "name", name);
	t = xprintf("The installer for %s", name);
	isos_choose(t, hn_iso, NULL);
	free(t);
}

/* The answers with their defaults, as "KEY=VALUE ..." for the prompt. */
static char *
hn_summary(struct wiz_answers *a, char **cause)
{
	static const char *const keys[] = { "size", "pool", "memory",
	    "vcpus", "nic", "bridge", NULL };
	struct wiz_ctx	 wctx = { .be = tui.be, .interactive = 1 };
	char		*s = NULL, *next;
	size_t		 i;

	if (wiz_complete(hn_wizard(), &wctx, a, cause) != 0)
		return (NULL);
	for (i = 0; keys[i] != NULL; i++) {
		xasprintf(&next, "%s%s%s=%s", s != NULL ? s : "", s != NULL ?
		    " " : "", keys[i], wiz_get(a, keys[i]));
		free(s);
		s = next;
	}
	return (s);
}

static void
hn_iso(const char *path, void *arg)
{
	struct wiz_answers	 tmp;
	char			*sum, *cause = NULL, *q;
	size_t			 i;

	(void)arg;
	if (path == NULL)
		return;
	wiz_answers_set(&hn, "iso", path);
	wiz_answers_set(&hn, "start", "yes");
	/* Defaults on a copy: the real run computes its own. */
	wiz_answers_init(&tmp);
	for (i = 0; i < hn.n; i++)
		wiz_answers_set(&tmp, hn.keys[i], hn.values[i]);
	sum = hn_summary(&tmp, &cause);
	wiz_answers_free(&tmp);
	if (sum == NULL) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
		return;
	}
	q = xprintf("%s: Enter starts it (or edit KEY=VALUE): ",
	    wiz_get(&hn, "name"));
	prompt_begin(PROMPT_PLAIN, q, sum, hn_settings, NULL, NULL);
	free(q);
	free(sum);
}

/* A line of the job's JSON events: each step on the status line. */
static void
hn_line(struct job *j, int stream, const char *line, void *arg)
{
	json_t		*o;
	const char	*ev;

	(void)j;
	if (stream != 1 || (o = json_loads(line, 0, NULL)) == NULL)
		return;
	ev = json_string_value(json_object_get(o, "event"));
	if (ev != NULL && strcmp(ev, "begin") == 0)
		tui_status(COL_STATUS, "hvm-guest %s: step %lld of %lld: %s",
		    wiz_get((struct wiz_answers *)arg, "name"), (long long)json_integer_value(
		    json_object_get(o, "step")), (long long)json_integer_value(
		    json_object_get(o, "total")), json_string_value(
		    json_object_get(o, "title")));
	json_decref(o);
}

/* The wizard's run has ended: the screen, then what it has to say. */
static void
hn_done(struct job *j, void *arg)
{
	struct wiz_answers	*a = arg;
	char			*dom = NULL, *cause = NULL, *t;
	int			 rc;

	if (job_state(j) != JOB_DONE)
		goto out;	/* the end hook says why */
	/* The word first, under the screen: leaving the viewer shows it. */
	t = xprintf("hvm-guest %s", wiz_get(a, "name"));
	rc = view_wizard_told_once(hn_wizard(), a, t, &dom, &cause);
	free(t);
	if (rc != 0) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
		goto out;
	}
	tui_sample_now();
	if (dom != NULL) {
		tui_select(dom);
		tui_switch(&view_vnc_ops, dom);
	}
	free(dom);
out:
	wiz_answers_free(a);
	free(a);
}

static void
hn_settings(const char *line, void *arg)
{
	const struct wiz_field	*f;
	struct wiz_answers	*a;
	char			*copy, *p, *w, *eq, *cause = NULL, **argv = NULL;
	struct job		*j;
	size_t			 i;

	(void)arg;
	if (line == NULL)
		return;
	copy = p = xstrdup(line);
	while ((w = strsep(&p, " \t")) != NULL) {
		if (*w == '\0')
			continue;
		if ((eq = strchr(w, '=')) != NULL)
			*eq = '\0';
		if (eq == NULL || (f = wiz_field_find(hn_wizard(),
		    w)) == NULL) {
			tui_status(COL_ERROR, "%s: not KEY=VALUE with a key of "
			    "the hvm-guest wizard", w);
			free(copy);
			return;
		}
		if (f->valid != NULL && f->valid(eq + 1, &cause) != 0) {
			tui_status(COL_ERROR, "%s", cause);
			free(cause);
			free(copy);
			return;
		}
		wiz_answers_set(&hn, w, eq + 1);
	}
	free(copy);
	strv_push(&argv, "xendeck");
	strv_push(&argv, "wizard");
	strv_push(&argv, "hvm-guest");
	for (i = 0; i < hn.n; i++) {
		strv_push(&argv, "--set");
		w = xprintf("%s=%s", hn.keys[i], hn.values[i]);
		strv_push(&argv, w);
		free(w);
	}
	strv_push(&argv, "--apply");
	strv_push(&argv, "--yes");
	strv_push(&argv, "--json");
	a = xcalloc(1, sizeof *a);
	wiz_answers_init(a);
	for (i = 0; i < hn.n; i++)
		wiz_answers_set(a, hn.keys[i], hn.values[i]);
	w = xprintf("hvm-guest %s", wiz_get(&hn, "name"));
	j = job_run(w, argv, JOB_CANCEL, hn_line, hn_done, a, &cause);
	free(w);
	strv_free(argv);
	if (j == NULL) {
		tui_status(COL_ERROR, "hvm-guest: %s", cause);
		free(cause);
		wiz_answers_free(a);
		free(a);
		return;
	}
	tui_status(COL_STATUS, "hvm-guest %s: started (J: the job)",
	    wiz_get(&hn, "name"));
}
