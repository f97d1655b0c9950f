/*
 * The wizard view: one view that draws any wizard from its data
 * (wizards.h), never a screen per wizard. Its phases:
 *
 *   form    each field's prompt and value (the default dimmed when it is
 *           not answered), choices cycled or picked, a path typed with
 *           file completion, a field's candidates picked from a list,
 *           WIZ_ADVANCED fields folded away; the field's pure validator
 *           runs as the value is typed and its message is drawn beside
 *           the field, as is wiz_complete's or the plan's complaint about
 *           the field it names; the focused field's explanation and the
 *           wizard's guide text beside the form.
 *   checks  a read-only wizard (host-check): PASS/WARN/FAIL with the fix.
 *   plan    the numbered steps, the exact commands, the unified diffs in
 *           colour, what destructive steps destroy, the notes and the
 *           guide. Apply asks for the name of everything destroyed to be
 *           typed; what is typed becomes the consent answer (wipe=/dev/vdb).
 *   run     the apply (or a resume, an undo, an action) as a console job
 *           running `xendeck wizard NAME --answers /dev/stdin --apply --yes
 *           --json`; its event lines (console/cmd-wizard.c) draw a bar per
 *           step (done, skipped, failed, running with its time) and the
 *           live tail of the running step's output; then the result with
 *           resume, undo, the wizard's actions and the domain it started.
 *
 * What takes time runs as quiet jobs, so the console never waits: the
 * defaults and candidates (`--help --json`, again after each answer), the
 * plan (`--plan --json`) and the checks (`--json`). The answers go to
 * every child on its stdin as YAML, so they are never left in a file.
 * A job's result that arrives after the answers changed is dropped.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"
#include "wizards.h"

#define WV_TAIL		300	/* output lines kept of a run */
#define WV_BAR		16	/* columns of a step's bar */
#define WV_SIDE_MIN	100	/* columns from which the side pane shows */

enum wv_phase { WV_FORM, WV_CHECKS, WV_PLAN, WV_RUN };
enum wv_mode { WV_APPLY, WV_RESUME, WV_UNDO, WV_ACTION };
enum wv_state { WS_PENDING, WS_RUNNING, WS_OK, WS_SKIPPED, WS_EARLIER,
	WS_FAILED, WS_UNDONE, WS_STOPPED };

/* What the fields job says of a field. */
struct wv_field {
	const struct wiz_field	*f;
	char			*def;		/* its default now, or NULL */
	struct wiz_candidate	*cand;
	size_t			 ncand;
	char			*cand_error;
};

/* A line of the plan or of the checks, as drawn. */
struct wv_line {
	char		*text;
	enum theme_slot	 slot;
};

/* What a destructive step destroys, to be typed before an apply. */
struct wv_consent {
	size_t	 step;		/* 1-based */
	char	*title;
	char	*object;	/* NULL: it names nothing ("yes") */
	char	*key;		/* the answer that names it */
};

/* A step of a run, as its events tell it. */
struct wv_step {
	char		*id;
	char		*title;
	char		*command;
	enum wv_state	 state;
	uint64_t	 start, end;	/* mono_ms() */
	int		 phase, phases;	/* a long step's progress, if told */
	char		*detail;
};

/* A button of the result (and the keys that press it). */
struct wv_button {
	char	*label;
	int	 key;
	int	 what;		/* WB_* */
	char	*arg;		/* the action, the domain */
};
#define WB_RESUME	1
#define WB_UNDO		2
#define WB_ACTION	3
#define WB_SERIAL	4
#define WB_VNC		5
#define WB_OUTPUT	6
#define WB_FORM		7

static struct {
	const struct wizard	*w;
	struct wiz_answers	 a;		/* as given: no defaults */
	unsigned int		 gen;		/* bumped when answers change */
	enum wv_phase		 phase;

	/* The form. */
	struct wv_field		*f;
	size_t			 nf;
	size_t			 sel;
	int			 advanced;
	int			 top;
	int			 height;
	const struct wiz_field	*editing;	/* its value being typed */
	char			*typed;
	char			*problem;	/* wiz_complete's or the plan's */
	char			*problem_key;	/* the field it names */
	int			 problem_plan;	/* the plan's: try again */
	unsigned int		 fields_job;
	int			 have_fields;
	char			*fields_error;
	int			 picking;	/* the candidates picker */
	size_t			 pick;
	struct wiz_candidate	*pv;		/* what it lists (borrowed) */
	size_t			 npv;
	struct wiz_candidate	*choice_pv;	/* a field's choices as such */

	char			*unfinished;	/* its run left half-done */

	/* The checks, the plan. */
	struct wv_line		*lines;
	size_t			 nlines;
	int			 ltop;
	int			 lheight;
	unsigned int		 lines_job;	/* plan or checks in flight */
	char			*lines_error;
	int			 have_plan;
	char			*plan_title;
	size_t			 plan_steps;
	char			**plan_titles;
	struct wv_consent	*consent;
	size_t			 nconsent;
	size_t			 asking;	/* the consent being typed */
	struct wiz_answers	 given;		/* consent answers typed */
	int			 fails, warns;	/* the checks' */

	/* The run. */
	enum wv_mode		 mode;
	char			*action;
	char			*run_wizard;	/* the run's wizard */
	unsigned int		 run_job;
	struct wv_step		*steps;
	size_t			 nsteps;
	size_t			 cur;		/* 1-based; 0: none yet */
	int			 tail_step[WV_TAIL];
	char			*tail[WV_TAIL];
	size_t			 ntail, tailhead;
	int			 finished;
	char			*status;	/* the result's, or NULL */
	char			*run_id;
	char			*error;
	int			 reboot;
	uint64_t		 started, ended;
	struct wv_button	*buttons;
	size_t			 nbuttons;
	size_t			 button;
	char			*domain;	/* made and started by it */
} wv;

static int	wv_key_down(void);
static int	wv_key_up(void);
static int	wv_key_enter(void);
static int	wv_key_edit(void);
static int	wv_key_next_choice(void);
static int	wv_key_prev_choice(void);
static int	wv_key_clear(void);
static int	wv_key_advanced(void);
static int	wv_key_plan(void);
static int	wv_key_apply(void);
static int	wv_key_export(void);
static int	wv_key_form(void);
static int	wv_key_cancel(void);
static int	wv_key_pgdown(void);
static int	wv_key_pgup(void);
static int	wv_key_resume(void);
static int	wv_key_undo(void);
static int	wv_key_output(void);
static int	wv_key_again(void);

static const struct view_key wizard_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next field (or scroll)", wv_key_down },
	{ 'k', KEY_UP, "k, Up", "previous field (or scroll)", wv_key_up },
	{ '\r', KEY_ENTER, "Enter", "edit the field: pick from its "
	    "candidates or choices, or type it (a result: the button)",
	    wv_key_enter },
	{ 'e', 0, "e", "type the field's value (paths: Tab completes)",
	    wv_key_edit },
	{ ' ', KEY_RIGHT, "Space, Right", "the field's next choice (a "
	    "result: next button)", wv_key_next_choice },
	{ KEY_LEFT, 0, "Left", "the field's previous choice (a result: "
	    "previous button)", wv_key_prev_choice },
	{ 'x', KEY_DC, "x, Delete", "clear the answer: back to the default "
	    "(a run: cancel it)", wv_key_clear },
	{ 'a', 0, "a", "show or fold the advanced fields", wv_key_advanced },
	{ 'p', 0, "p", "the plan: steps, commands, diffs (read-only: check)",
	    wv_key_plan },
	{ 'A', 0, "A", "apply the plan as a job (what it destroys is typed "
	    "first)", wv_key_apply },
	{ 'E', 0, "E", "export the plan as a sh script", wv_key_export },
	{ 'f', 0, "f", "back to the form", wv_key_form },
	{ 'R', 0, "R", "resume a run left half-done", wv_key_resume },
	{ 'U', 0, "U", "undo the wizard's newest run", wv_key_undo },
	{ 'o', 0, "o", "the run's whole output", wv_key_output },
	{ 'r', 0, "r", "check again (read-only wizards)", wv_key_again },
	{ KEY_NPAGE, 0, "PgDn", "page down", wv_key_pgdown },
	{ KEY_PPAGE, 0, "PgUp", "page up", wv_key_pgup },
	{ 27, 0, "Esc", "the plan: back to the form; else leave (a run goes "
	    "on: J)", wv_key_cancel },
	{ 0, 0, NULL, NULL, NULL }
};

static void	wv_fields_start(void);
static void	wv_plan_start(void);
static void	wv_run_start(enum wv_mode, const char *);
static void	wv_run_load_steps(const char *, int);
static int	wv_shown(size_t);
static int	wv_unfinished(int);
static void	wv_picker_close(void);

/* ---- small helpers --------------------------------------------------- */

/* Columns of UTF-8 text (one per character: labels are plain). */
static int
wv_width(const char *s)
{
	int	 n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Add a line of the plan or checks. */
static void printflike(2, 3)
wv_add(enum theme_slot slot, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	wv.lines = xreallocarray(wv.lines, wv.nlines + 1, sizeof *wv.lines);
	wv.lines[wv.nlines].text = s;
	wv.lines[wv.nlines++].slot = slot;
}

/*
 * Text wrapped at width columns, each line after indent, as lines ending
 * in newlines (caller frees): paragraphs kept, long words cut.
 */
static char *
wv_wrap(const char *indent, const char *text, int width)
{
	const char	*p, *eol, *w, *last;
	char		*buf = NULL, *flow, *q;
	size_t		 len = 0;
	int		 room = width - wv_width(indent), used;
	FILE		*f;

	if (room < 10)
		room = 10;
	/*
	 * Texts come wrapped at 72 or so: a newline inside a paragraph is a
	 * space, but a blank line ends a paragraph and a line that starts
	 * with a space (an example command) stands on its own.
	 */
	flow = xstrdup(text);
	for (q = flow; (q = strchr(q, '\n')) != NULL; q++) {
		if (q != flow && q[-1] != '\n' && q[1] != '\n' &&
		    q[1] != ' ' && q[1] != '\0' && *(q - 1) != ':' &&
		    !(q - flow >= 2 && q[-1] == ' ' && q[-2] == ' ')) {
			/* Not after a line that is itself preformatted. */
			for (w = q - 1; w > flow && w[-1] != '\n'; w--)
				;
			if (*w != ' ')
				*q = ' ';
		}
	}
	p = flow;
	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	for (;;) {
		eol = p + strcspn(p, "\n");
		if (p == eol)
			fprintf(f, "%s\n", indent);
		while (p < eol) {
			/* As many words as fit in room columns. */
			last = NULL;
			used = 0;
			for (w = p; w < eol; w++) {
				if (((unsigned char)*w & 0xc0) != 0x80)
					used++;
				if (used > room)
					break;
				if (*w == ' ')
					last = w;
			}
			if (w == eol)
				last = eol;
			else if (last == NULL || last == p)
				last = w;	/* one long word: cut it */
			fprintf(f, "%s%.*s\n", indent, (int)(last - p), p);
			p = last;
			while (p < eol && *p == ' ')
				p++;
		}
		if (*eol == '\0' || eol[1] == '\0')
			break;
		p = eol + 1;
	}
	if (fclose(f) != 0)
		fatal("open_memstream");
	free(flow);
	return (buf);
}

static void
wv_add_wrapped(enum theme_slot slot, const char *indent, const char *text,
    int width)
{
	char	*buf = wv_wrap(indent, text, width), *p = buf, *nl;

	while ((nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		wv_add(slot, "%s", p);
		p = nl + 1;
	}
	free(buf);
}

/* Text wrapped after prefix, its next lines indented as far. */
static void
wv_add_hanging(enum theme_slot slot, const char *prefix, const char *text,
    int width)
{
	char	*pad, *buf, *p, *nl;
	int	 n = wv_width(prefix), first = 1;

	pad = xprintf("%*s", n, "");
	buf = wv_wrap("", text, width - n);
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		wv_add(slot, "%s%s", first ? prefix : pad, p);
		first = 0;
	}
	if (first)
		wv_add(slot, "%s", prefix);
	free(buf);
	free(pad);
}

static void
wv_lines_free(void)
{
	size_t	 i;

	for (i = 0; i < wv.nlines; i++)
		free(wv.lines[i].text);
	free(wv.lines);
	wv.lines = NULL;
	wv.nlines = 0;
	wv.ltop = 0;
}

/* A copy of answers without key. */
static void
wv_answers_unset(struct wiz_answers *a, const char *key)
{
	struct wiz_answers	 b;
	size_t			 i;

	wiz_answers_init(&b);
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->keys[i], key) != 0)
			wiz_answers_set(&b, a->keys[i], a->values[i]);
	}
	wiz_answers_free(a);
	*a = b;
}

/* A YAML double-quoted scalar. */
static void
wv_yaml_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The answers (and the consent ones) as the YAML --answers reads. */
static char *
wv_answers_yaml(int with_consent)
{
	char	*buf = NULL;
	size_t	 len = 0, i;
	FILE	*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	for (i = 0; i < wv.a.n; i++) {
		if (with_consent && wiz_get(&wv.given, wv.a.keys[i]) != NULL)
			continue;
		fprintf(f, "%s: ", wv.a.keys[i]);
		wv_yaml_quote(f, wv.a.values[i]);
		fputc('\n', f);
	}
	for (i = 0; with_consent && i < wv.given.n; i++) {
		fprintf(f, "%s: ", wv.given.keys[i]);
		wv_yaml_quote(f, wv.given.values[i]);
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		fatal("open_memstream");
	return (buf);
}

/* A field's value: as answered, else its default (NULL: neither). */
static const char *
wv_value(const char *key)
{
	const char	*v;
	size_t		 i;

	if ((v = wiz_get(&wv.a, key)) != NULL)
		return (v);
	for (i = 0; i < wv.nf; i++) {
		if (strcmp(wv.f[i].f->key, key) == 0)
			return (wv.f[i].def);
	}
	return (NULL);
}

/*
 * A quiet job of the wizard's CLI with the answers on its stdin. argv
 * continues after "wizard NAME"; done gets the generation it started in.
 */
static unsigned int
wv_job(const char *what, char *const *args, int flags, int with_consent,
    job_line_cb on_line, job_done_cb on_done, char **cause)
{
	struct job	*j;
	char		**argv = NULL, *yaml, *name;
	size_t		  i;

	strv_push(&argv, "xendeck");
	strv_push(&argv, "wizard");
	strv_push(&argv, wv.w->name);
	yaml = wv_answers_yaml(with_consent);
	if (*yaml != '\0') {
		strv_push(&argv, "--answers");
		strv_push(&argv, "/dev/stdin");
	}
	for (i = 0; args[i] != NULL; i++)
		strv_push(&argv, args[i]);
	name = xprintf("wizard %s %s", wv.w->name, what);
	j = job_run_input(name, argv, yaml, flags, on_line, on_done,
	    (void *)(uintptr_t)wv.gen, cause);
	free(name);
	free(yaml);
	strv_free(argv);
	return (j != NULL ? job_id(j) : 0);
}

/* A job's stdout as JSON (NULL if it is none: *cause says why). */
static json_t *
wv_job_json(struct job *j, char **cause)
{
	json_error_t	 e;
	const char	*out;
	size_t		 len;
	json_t		*o;

	out = job_stdout(j, &len);
	if ((o = json_loadb(out, len, 0, &e)) == NULL) {
		if (job_error(j) != NULL)
			*cause = xstrdup(job_error(j));
		else
			*cause = xprintf("unreadable output (%s)", e.text);
	}
	return (o);
}

static const char *
wv_jstr(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/* ---- the form ------------------------------------------------------- */

static void
wv_fields_clear(void)
{
	size_t	 i;

	for (i = 0; i < wv.nf; i++) {
		free(wv.f[i].def);
		wiz_candidates_free(wv.f[i].cand, wv.f[i].ncand);
		free(wv.f[i].cand_error);
		wv.f[i].def = wv.f[i].cand_error = NULL;
		wv.f[i].cand = NULL;
		wv.f[i].ncand = 0;
	}
}

static void
wv_problem_set(const char *key, const char *text)
{
	free(wv.problem);
	free(wv.problem_key);
	wv.problem_plan = 0;
	wv.problem = text != NULL ? xstrdup(text) : NULL;
	wv.problem_key = key != NULL ? xstrdup(key) : NULL;
}

/* "KEY: ..." names a field: its key, or NULL. */
static char *
wv_names_field(const char *msg)
{
	size_t	 n = strcspn(msg, ":");
	char	*key;

	if (msg[n] != ':')
		return (NULL);
	key = xstrndup(msg, n);
	if (wiz_field_find(wv.w, key) == NULL) {
		free(key);
		return (NULL);
	}
	return (key);
}

/* Select the field key names (shown even if it is advanced). */
static void
wv_focus(const char *key)
{
	size_t	 i;

	for (i = 0; key != NULL && i < wv.nf; i++) {
		if (strcmp(wv.f[i].f->key, key) == 0) {
			wv.sel = i;
			if (!wv_shown(i))
				wv.advanced = 1;
		}
	}
}

/* The fields job ended: defaults, candidates, the first problem. */
static void
wv_fields_done(struct job *j, void *arg)
{
	json_t		*o, *fields, *fo, *cands, *c, *p;
	const char	*key, *v;
	char		*cause = NULL;
	size_t		 i, k, n;

	if ((unsigned int)(uintptr_t)arg != wv.gen || wv.w == NULL)
		return;		/* the answers changed meanwhile */
	wv.fields_job = 0;
	tui.redraw = 1;
	free(wv.fields_error);
	wv.fields_error = NULL;
	if ((o = wv_job_json(j, &cause)) == NULL) {
		wv.fields_error = cause;
		return;
	}
	if (wv.picking && wv.choice_pv == NULL)
		wv_picker_close();	/* it lists what is freed now */
	wv_fields_clear();
	fields = json_object_get(o, "fields");
	for (k = 0; k < json_array_size(fields); k++) {
		fo = json_array_get(fields, k);
		key = wv_jstr(fo, "key");
		for (i = 0; key != NULL && i < wv.nf; i++) {
			if (strcmp(wv.f[i].f->key, key) != 0)
				continue;
			if ((v = wv_jstr(fo, "default")) != NULL)
				wv.f[i].def = xstrdup(v);
			if ((v = wv_jstr(fo, "candidates_error")) != NULL)
				wv.f[i].cand_error = xstrdup(v);
			cands = json_object_get(fo, "candidates");
			n = json_array_size(cands);
			if (n > 0)
				wv.f[i].cand = xcalloc(n, sizeof *wv.f[i].cand);
			for (; wv.f[i].ncand < n; wv.f[i].ncand++) {
				c = json_array_get(cands, wv.f[i].ncand);
				v = wv_jstr(c, "value");
				wv.f[i].cand[wv.f[i].ncand].value =
				    xstrdup(v != NULL ? v : "");
				v = wv_jstr(c, "label");
				wv.f[i].cand[wv.f[i].ncand].label =
				    xstrdup(v != NULL ? v : "");
				wv.f[i].cand[wv.f[i].ncand].usable =
				    json_is_true(json_object_get(c, "usable"));
			}
		}
	}
	p = json_object_get(o, "problem");
	/* The plan's refusal, if it came first, stands. */
	if (json_is_object(p))
		wv_problem_set(wv_jstr(p, "key"), wv_jstr(p, "error"));
	else if (!wv.problem_plan)
		wv_problem_set(NULL, NULL);
	wv.have_fields = 1;
	json_decref(o);
}

/* Ask for the defaults and candidates (again: the answers changed). */
static void
wv_fields_start(void)
{
	char	*cause = NULL;

	wv.fields_job = wv_job("fields", (char *[]){ "--help", "--json",
	    NULL }, JOB_QUIET, 0, NULL, wv_fields_done, &cause);
	if (wv.fields_job == 0) {
		free(wv.fields_error);
		wv.fields_error = cause;
	}
}

/* The answers changed: everything made from them is stale. */
static void
wv_changed(void)
{
	wv.gen++;
	wv.fields_job = 0;
	wv.lines_job = 0;
	wv.have_plan = 0;
	wiz_answers_free(&wv.given);
	wv_problem_set(NULL, NULL);
	wv_fields_start();
	tui.redraw = 1;
}

/* Whether a field is shown (advanced ones when asked, or answered). */
static int
wv_shown(size_t i)
{
	const struct wiz_field	*f = wv.f[i].f;

	if (!(f->flags & WIZ_ADVANCED) || wv.advanced)
		return (1);
	if (wiz_get(&wv.a, f->key) != NULL)
		return (1);
	return (wv.problem_key != NULL && strcmp(wv.problem_key, f->key) == 0);
}

/*
 * A field's problem now (caller frees), or NULL: what is typed or given
 * against its choices and validator, or what wiz_complete or the plan said
 * of it (only_input: not the plan's, which a new plan tries again).
 */
static char *
wv_field_problem_of(size_t i, int only_input)
{
	const struct wiz_field	*f = wv.f[i].f;
	const char		*v;
	char			*cause = NULL;

	if (wv.editing == f)
		v = wv.typed;
	else
		v = wiz_get(&wv.a, f->key);
	if (v != NULL && *v == '\0' && wv.editing == f)
		return (NULL);
	if (v != NULL && wiz_field_check(f, v, &cause) != 0)
		return (cause);
	if (wv.editing != f && wv.problem_key != NULL && (!only_input ||
	    !wv.problem_plan) && strcmp(wv.problem_key, f->key) == 0)
		return (xstrdup(wv.problem));
	return (NULL);
}

static char *
wv_field_problem(size_t i)
{
	return (wv_field_problem_of(i, 0));
}

/* The first problem of the answers a plan cannot have, or NULL. */
static char *
wv_first_problem(void)
{
	char	*p;
	size_t	 i;

	for (i = 0; i < wv.nf; i++) {
		if ((p = wv_field_problem_of(i, 1)) != NULL)
			return (p);
	}
	if (wv.problem != NULL && !wv.problem_plan)
		return (xstrdup(wv.problem));
	return (NULL);
}

static void
wv_edit_change(const char *text, void *arg)
{
	free(wv.typed);
	wv.typed = xstrdup(text);
	tui.redraw = 1;
}

static void
wv_edit_done(const char *text, void *arg)
{
	const struct wiz_field	*f = wv.editing;

	wv.editing = NULL;
	free(wv.typed);
	wv.typed = NULL;
	if (f == NULL || text == NULL || wv.w == NULL)
		return;
	if (*text == '\0')
		wv_answers_unset(&wv.a, f->key);
	else
		wiz_answers_set(&wv.a, f->key, text);
	wv_changed();
}

/* Type the selected field's value on the prompt line. */
static void
wv_edit(void)
{
	const struct wiz_field	*f;
	const char		*v;
	char			*text;

	if (wv.nf == 0)
		return;
	f = wv.f[wv.sel].f;
	wv.editing = f;
	v = wiz_get(&wv.a, f->key);
	free(wv.typed);
	wv.typed = xstrdup(v != NULL ? v : "");
	if (f->flags & WIZ_CONSENT)
		text = xprintf("%s (type the name of what it erases; empty: "
		    "none): ", f->prompt);
	else
		text = xprintf("%s (%s; empty: the default): ", f->prompt,
		    f->key);
	prompt_begin((f->flags & WIZ_PATH) ? PROMPT_FILE : PROMPT_PLAIN, text,
	    v, wv_edit_done, wv_edit_change, NULL);
	free(text);
}

static void
wv_picker_close(void)
{
	wv.picking = 0;
	wiz_candidates_free(wv.choice_pv, wv.npv);
	wv.choice_pv = NULL;
	wv.pv = NULL;
	wv.npv = 0;
}

/* Open the picker on the field's candidates, or on its choices. */
static int
wv_picker_open(void)
{
	struct wv_field	*vf = &wv.f[wv.sel];
	const char	*v = wv_value(vf->f->key);
	size_t		 i, n;

	wv_picker_close();
	if (vf->ncand > 0) {
		wv.pv = vf->cand;
		wv.npv = vf->ncand;
	} else if (vf->f->choices != NULL) {
		for (n = 0; vf->f->choices[n] != NULL; n++)
			;
		wv.choice_pv = xcalloc(n, sizeof *wv.choice_pv);
		for (i = 0; i < n; i++) {
			wv.choice_pv[i].value = xstrdup(vf->f->choices[i]);
			wv.choice_pv[i].label = xstrdup(vf->f->choices[i]);
			wv.choice_pv[i].usable = 1;
		}
		wv.pv = wv.choice_pv;
		wv.npv = n;
	} else
		return (0);
	wv.picking = 1;
	wv.pick = 0;
	for (i = 0; v != NULL && i < wv.npv; i++) {
		if (strcmp(wv.pv[i].value, v) == 0)
			wv.pick = i;
	}
	return (1);
}

static int
wv_picker_key(int ch)
{
	const struct wiz_candidate	*c;

	switch (ch) {
	case 'j':
	case KEY_DOWN:
		if (wv.pick + 1 < wv.npv)
			wv.pick++;
		break;
	case 'k':
	case KEY_UP:
		if (wv.pick > 0)
			wv.pick--;
		break;
	case 'e':
		wv_picker_close();
		wv_edit();
		break;
	case '\r':
	case KEY_ENTER:
		c = &wv.pv[wv.pick];
		if (!c->usable) {
			tui_status(COL_ERROR, "%s: not usable: %s",
			    wv.f[wv.sel].f->key, c->label);
			break;
		}
		wiz_answers_set(&wv.a, wv.f[wv.sel].f->key, c->value);
		wv_picker_close();
		wv_changed();
		break;
	case 27:
	case 'q':
		wv_picker_close();
		break;
	default:
		return (VIEW_REDRAW);
	}
	return (VIEW_REDRAW);
}

/* Move the selection among the shown fields. */
static void
wv_move(int delta)
{
	size_t	 i = wv.sel;

	for (;;) {
		if (delta > 0 && i + 1 >= wv.nf)
			return;
		if (delta < 0 && i == 0)
			return;
		i = delta > 0 ? i + 1 : i - 1;
		if (wv_shown(i)) {
			wv.sel = i;
			return;
		}
	}
}

static void
wv_cycle(int delta)
{
	const struct wiz_field	*f = wv.f[wv.sel].f;
	const char		*v = wv_value(f->key);
	size_t			 n, i = 0;

	if (f->choices == NULL) {
		tui_status(COL_DIM, "%s has no choices: Enter types it",
		    f->key);
		return;
	}
	for (n = 0; f->choices[n] != NULL; n++) {
		if (v != NULL && strcmp(f->choices[n], v) == 0)
			i = n;
	}
	if (v == NULL)
		i = delta > 0 ? n - 1 : 0;
	i = (i + n + (size_t)(delta > 0 ? 1 : n - 1)) % n;
	wiz_answers_set(&wv.a, f->key, f->choices[i]);
	wv_changed();
}

/* ---- the plan and the checks ----------------------------------------- */

static void
wv_consent_free(void)
{
	size_t	 i;

	for (i = 0; i < wv.nconsent; i++) {
		free(wv.consent[i].title);
		free(wv.consent[i].object);
		free(wv.consent[i].key);
	}
	free(wv.consent);
	wv.consent = NULL;
	wv.nconsent = 0;
}

static void
wv_plan_titles_free(void)
{
	strv_free(wv.plan_titles);
	wv.plan_titles = NULL;
	wv.plan_steps = 0;
	free(wv.plan_title);
	wv.plan_title = NULL;
}

/* A unified diff's lines, coloured. */
static void
wv_add_diff(const char *diff, int width)
{
	const char	*p = diff, *nl;
	enum theme_slot	 slot;
	char		*line;

	while (*p != '\0') {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		if (strncmp(line, "+++", 3) == 0 ||
		    strncmp(line, "---", 3) == 0)
			slot = COL_HEADER;
		else if (line[0] == '@')
			slot = COL_KEY;
		else if (line[0] == '+')
			slot = COL_OK;
		else if (line[0] == '-')
			slot = COL_ERROR;
		else
			slot = COL_NORMAL;
		if (wv_width(line) + 7 > width)
			wv_add_hanging(slot, "       ", line, width);
		else
			wv_add(slot, "       %s", line);
		free(line);
		p = *nl != '\0' ? nl + 1 : nl;
	}
}

/* Whether a JSON array of strings holds s. */
static int
wv_jhas(json_t *a, const char *s)
{
	size_t	 i;

	for (i = 0; i < json_array_size(a); i++) {
		if (json_string_value(json_array_get(a, i)) != NULL &&
		    strcmp(json_string_value(json_array_get(a, i)), s) == 0)
			return (1);
	}
	return (0);
}

/* The plan, as `--plan --json` prints it, into lines to draw. */
static void
wv_plan_build(json_t *o, int width)
{
	json_t		*steps, *s, *a, *flags;
	const char	*title, *v;
	char		*text, *list, *prev, *prefix;
	size_t		 i, k, ndestroy = 0, nreboot = 0;
	struct wv_consent *c;

	wv_lines_free();
	wv_consent_free();
	wv_plan_titles_free();
	steps = json_object_get(o, "steps");
	wv.plan_steps = json_array_size(steps);
	if ((v = wv_jstr(o, "title")) != NULL)
		wv.plan_title = xstrdup(v);
	for (i = 0; i < wv.plan_steps; i++) {
		s = json_array_get(steps, i);
		flags = json_object_get(s, "flags");
		if (wv_jhas(flags, "destructive"))
			ndestroy++;
		if (wv_jhas(flags, "reboot"))
			nreboot++;
	}
	wv_add(COL_TITLE, "Plan: %s", wv.plan_title != NULL ? wv.plan_title :
	    wv.w->name);
	if (wv_unfinished(0))
		wv_add(COL_WARNING, "Its run %s is half-done: R resumes it, U "
		    "undoes it; an apply is refused until then.",
		    wv.unfinished);
	text = xprintf("%zu step%s%s%s%s. Nothing has changed yet: A applies"
	    "%s, E exports a script, f goes back to the form.",
	    wv.plan_steps, wv.plan_steps == 1 ? "" : "s", ndestroy > 0 ?
	    ", " : "", ndestroy > 0 ? (ndestroy == 1 ? "1 destroys data" :
	    "some destroy data") : "", nreboot > 0 ? ", some take effect at "
	    "the next boot" : "", ndestroy > 0 ? " (you type what it "
	    "destroys first)" : "");
	wv_add_wrapped(COL_NORMAL, "", text, width);
	free(text);
	wv_add(COL_NORMAL, "%s", "");
	for (i = 0; i < wv.plan_steps; i++) {
		s = json_array_get(steps, i);
		flags = json_object_get(s, "flags");
		title = wv_jstr(s, "title");
		strv_push(&wv.plan_titles, title != NULL ? title : "?");
		/* At 80 columns too: every word of it shows, wrapped. */
		prefix = xprintf("%3zu. ", i + 1);
		text = xprintf("%s  [%s]", title != NULL ? title : "?",
		    wv_jstr(s, "id") != NULL ? wv_jstr(s, "id") : "?");
		wv_add_hanging(wv_jhas(flags, "destructive") ? COL_ERROR :
		    COL_KEY, prefix, text, width);
		free(text);
		free(prefix);
		if (wv_jhas(flags, "destructive")) {
			a = json_object_get(s, "destroys");
			list = NULL;
			for (k = 0; k < json_array_size(a); k++) {
				prev = list;
				xasprintf(&list, "%s%s%s", prev != NULL ?
				    prev : "", prev != NULL ? ", " : "",
				    json_string_value(json_array_get(a, k)));
				free(prev);
				wv.consent = xreallocarray(wv.consent,
				    wv.nconsent + 1, sizeof *wv.consent);
				c = &wv.consent[wv.nconsent++];
				c->step = i + 1;
				c->title = xstrdup(title != NULL ? title : "");
				c->object = xstrdup(json_string_value(
				    json_array_get(a, k)));
				v = wv_jstr(s, "consent_key");
				c->key = xstrdup(v != NULL ? v : "yes");
			}
			if (k == 0) {
				wv.consent = xreallocarray(wv.consent,
				    wv.nconsent + 1, sizeof *wv.consent);
				c = &wv.consent[wv.nconsent++];
				c->step = i + 1;
				c->title = xstrdup(title != NULL ? title : "");
				c->object = NULL;
				c->key = xstrdup("yes");
			}
			text = xprintf("destroys %s", list != NULL ? list :
			    "data");
			wv_add_hanging(COL_ERROR, "     DESTRUCTIVE: ", text,
			    width);
			free(text);
			free(list);
		}
		if ((v = wv_jstr(s, "explain")) != NULL)
			wv_add_wrapped(COL_DIM, "     # ", v, width);
		if ((v = wv_jstr(s, "command")) != NULL)
			wv_add_hanging(COL_NORMAL, *v == '(' ? "     " :
			    "     $ ", v, width);
		if ((v = wv_jstr(s, "diff")) != NULL) {
			if (*v == '\0')
				wv_add(COL_DIM, "       (no change)");
			else
				wv_add_diff(v, width);
		}
		a = json_object_get(s, "undo");
		if (json_array_size(a) > 0) {
			char	**argv = NULL;

			for (k = 0; k < json_array_size(a); k++)
				strv_push(&argv, json_string_value(
				    json_array_get(a, k)));
			text = spawn_argv_string(argv);
			wv_add_hanging(COL_DIM, "     undo: ", text, width);
			free(text);
			strv_free(argv);
		}
		if (wv_jhas(flags, "reboot"))
			wv_add(COL_WARNING, "     takes effect at the next "
			    "boot");
	}
	a = json_object_get(o, "notes");
	if (json_array_size(a) > 0) {
		wv_add(COL_NORMAL, "%s", "");
		wv_add(COL_TITLE, "Notes: the guide and this plan");
		for (k = 0; k < json_array_size(a); k++)
			wv_add_hanging(COL_NORMAL, "  * ",
			    json_string_value(json_array_get(a, k)), width);
	}
	if (wv.w->guide != NULL) {
		wv_add(COL_NORMAL, "%s", "");
		wv_add(COL_TITLE, "The guide's step");
		wv_add_wrapped(COL_DIM, "  ", wv.w->guide, width);
	}
	wv.have_plan = 1;
}

static void
wv_plan_done(struct job *j, void *arg)
{
	json_t	*o;
	char	*cause = NULL, *key;

	if ((unsigned int)(uintptr_t)arg != wv.gen || wv.w == NULL ||
	    wv.lines_job == 0)
		return;
	wv.lines_job = 0;
	tui.redraw = 1;
	free(wv.lines_error);
	wv.lines_error = NULL;
	if (job_status(j) == 2 || (o = wv_job_json(j, &cause)) == NULL) {
		/* Bad input: back to the form, beside the field it names. */
		free(cause);
		cause = xstrdup(job_error(j) != NULL ? job_error(j) :
		    "the plan could not be made");
		if (job_status(j) == 2) {
			key = wv_names_field(cause);
			wv_problem_set(key, cause);
			wv.problem_plan = 1;
			wv_focus(key);
			free(key);
			wv.phase = WV_FORM;
			tui_status(COL_ERROR, "not planned: %s", cause);
		} else
			wv.lines_error = xstrdup(cause);
		free(cause);
		return;
	}
	wv_plan_build(o, tui.cols - 2);
	json_decref(o);
}

static void
wv_plan_start(void)
{
	char	*cause = NULL;

	wv_lines_free();
	wv.have_plan = 0;
	free(wv.lines_error);
	wv.lines_error = NULL;
	wv.phase = WV_PLAN;
	wv.lines_job = wv_job("--plan", (char *[]){ "--plan", "--json",
	    NULL }, JOB_QUIET, 0, NULL, wv_plan_done, &cause);
	if (wv.lines_job == 0) {
		wv.lines_error = cause;
		return;
	}
}

static void
wv_checks_done(struct job *j, void *arg)
{
	json_t		*o, *c;
	const char	*st, *fix;
	char		*cause = NULL, *prefix;
	size_t		 i, width = 0;
	enum theme_slot	 slot;

	if ((unsigned int)(uintptr_t)arg != wv.gen || wv.w == NULL ||
	    wv.lines_job == 0)
		return;
	wv.lines_job = 0;
	tui.redraw = 1;
	wv_lines_free();
	free(wv.lines_error);
	wv.lines_error = NULL;
	if ((o = wv_job_json(j, &cause)) == NULL || !json_is_array(o)) {
		wv.lines_error = cause != NULL ? cause :
		    xstrdup("the checks could not be read");
		json_decref(o);
		return;
	}
	wv.fails = wv.warns = 0;
	for (i = 0; i < json_array_size(o); i++) {
		c = json_array_get(o, i);
		if (wv_jstr(c, "check") != NULL &&
		    strlen(wv_jstr(c, "check")) > width)
			width = strlen(wv_jstr(c, "check"));
	}
	for (i = 0; i < json_array_size(o); i++) {
		c = json_array_get(o, i);
		st = wv_jstr(c, "status");
		if (st == NULL)
			st = "?";
		if (strcmp(st, "PASS") == 0)
			slot = COL_OK;
		else if (strcmp(st, "WARN") == 0) {
			slot = COL_WARNING;
			wv.warns++;
		} else if (strcmp(st, "FAIL") == 0) {
			slot = COL_ERROR;
			wv.fails++;
		} else
			slot = COL_DIM;
		prefix = xprintf("%-4s  %-*s  ", st, (int)width,
		    wv_jstr(c, "check") != NULL ? wv_jstr(c, "check") : "?");
		wv_add_hanging(slot, prefix, wv_jstr(c, "detail") != NULL ?
		    wv_jstr(c, "detail") : "", tui.cols - 2);
		free(prefix);
		fix = wv_jstr(c, "fix");
		if (fix != NULL && strcmp(st, "PASS") != 0) {
			prefix = xprintf("      %-*s  fix: ", (int)width, "");
			wv_add_hanging(COL_NORMAL, prefix, fix, tui.cols - 2);
			free(prefix);
		}
	}
	wv_add(COL_NORMAL, "%s", "");
	wv_add(wv.fails > 0 ? COL_ERROR : wv.warns > 0 ? COL_WARNING : COL_OK,
	    "%zu checks: %zu passed, %d warnings, %d failed",
	    json_array_size(o), json_array_size(o) - (size_t)wv.fails -
	    (size_t)wv.warns, wv.warns, wv.fails);
	if (wv.w->guide != NULL) {
		wv_add(COL_NORMAL, "%s", "");
		wv_add(COL_TITLE, "The guide's step");
		wv_add_wrapped(COL_DIM, "  ", wv.w->guide, tui.cols - 2);
	}
	json_decref(o);
}

static void
wv_checks_start(void)
{
	char	*cause = NULL;

	wv.phase = WV_CHECKS;
	free(wv.lines_error);
	wv.lines_error = NULL;
	wv.lines_job = wv_job("checks", (char *[]){ "--json", NULL },
	    JOB_QUIET, 0, NULL, wv_checks_done, &cause);
	if (wv.lines_job == 0)
		wv.lines_error = cause;
}

/* ---- the run --------------------------------------------------------- */

static void
wv_steps_free(void)
{
	size_t	 i;

	for (i = 0; i < wv.nsteps; i++) {
		free(wv.steps[i].id);
		free(wv.steps[i].title);
		free(wv.steps[i].command);
		free(wv.steps[i].detail);
	}
	free(wv.steps);
	wv.steps = NULL;
	wv.nsteps = 0;
	wv.cur = 0;
}

static void
wv_buttons_free(void)
{
	size_t	 i;

	for (i = 0; i < wv.nbuttons; i++) {
		free(wv.buttons[i].label);
		free(wv.buttons[i].arg);
	}
	free(wv.buttons);
	wv.buttons = NULL;
	wv.nbuttons = 0;
	wv.button = 0;
}

static void
wv_run_clear(void)
{
	size_t	 i;

	wv_steps_free();
	wv_buttons_free();
	for (i = 0; i < WV_TAIL; i++) {
		free(wv.tail[i]);
		wv.tail[i] = NULL;
	}
	wv.ntail = wv.tailhead = 0;
	free(wv.status);
	free(wv.run_id);
	free(wv.error);
	free(wv.action);
	free(wv.domain);
	wv.status = wv.run_id = wv.error = wv.action = wv.domain = NULL;
	wv.finished = wv.reboot = 0;
	wv.run_job = 0;
}

/* Make sure the run has n steps. */
static void
wv_steps_grow(size_t n)
{
	if (n <= wv.nsteps)
		return;
	wv.steps = xreallocarray(wv.steps, n, sizeof *wv.steps);
	memset(wv.steps + wv.nsteps, 0, (n - wv.nsteps) * sizeof *wv.steps);
	wv.nsteps = n;
}

static void
wv_tail_add(int step, const char *line)
{
	size_t	 i;

	if (wv.ntail < WV_TAIL)
		i = wv.ntail++;
	else {
		i = wv.tailhead;
		wv.tailhead = (wv.tailhead + 1) % WV_TAIL;
	}
	free(wv.tail[i]);
	wv.tail[i] = xstrdup(line);
	wv.tail_step[i] = step;
}

static const char *
wv_tail_get(size_t k)
{
	return (wv.tail[(wv.tailhead + k) % WV_TAIL]);
}

static int
wv_tail_step(size_t k)
{
	return (wv.tail_step[(wv.tailhead + k) % WV_TAIL]);
}

/* A step the event names (1-based), made to exist. */
static struct wv_step *
wv_event_step(json_t *ev)
{
	json_int_t	 n = json_integer_value(json_object_get(ev, "step"));

	if (n < 1 || n > 100000)
		return (NULL);
	wv_steps_grow((size_t)n);
	return (&wv.steps[n - 1]);
}

/* One line of the run's output: an event, or a line on stderr. */
static void
wv_run_line(struct job *j, int stream, const char *line, void *arg)
{
	struct wv_step	*s;
	json_t		*ev;
	const char	*e, *v;
	char		*show;
	json_int_t	 total;

	if (wv.run_job == 0 || wv.run_job != job_id(j))
		return;
	tui.redraw = 1;
	if (stream == 2 || (ev = json_loads(line, 0, NULL)) == NULL) {
		wv_tail_add((int)wv.cur, line);
		return;
	}
	e = wv_jstr(ev, "event");
	if (e == NULL)
		goto out;
	/* The job line shows what a person reads, not the event. */
	if (strcmp(e, "output") == 0 && (v = wv_jstr(ev, "line")) != NULL &&
	    *v != '\0')
		job_set_last_line(j, v);
	else if (strcmp(e, "begin") == 0 && (v = wv_jstr(ev, "title")) !=
	    NULL) {
		show = xprintf("step %lld of %lld: %s", (long long)
		    json_integer_value(json_object_get(ev, "step")),
		    (long long)json_integer_value(json_object_get(ev,
		    "total")), v);
		job_set_last_line(j, show);
		free(show);
	} else if (strcmp(e, "result") == 0 && (v = wv_jstr(ev, "status")) !=
	    NULL)
		job_set_last_line(j, v);
	if (strcmp(e, "begin") == 0 && (s = wv_event_step(ev)) != NULL) {
		total = json_integer_value(json_object_get(ev, "total"));
		if (total > 0 && total < 100000)
			wv_steps_grow((size_t)total);
		s = wv_event_step(ev);
		free(s->id);
		free(s->title);
		free(s->command);
		v = wv_jstr(ev, "id");
		s->id = xstrdup(v != NULL ? v : "?");
		v = wv_jstr(ev, "title");
		s->title = xstrdup(v != NULL ? v : "?");
		v = wv_jstr(ev, "command");
		s->command = v != NULL ? xstrdup(v) : NULL;
		s->state = WS_RUNNING;
		s->start = mono_ms();
		s->phase = s->phases = 0;
		wv.cur = (size_t)(s - wv.steps) + 1;
	} else if (strcmp(e, "output") == 0 &&
	    (s = wv_event_step(ev)) != NULL) {
		v = wv_jstr(ev, "line");
		wv_tail_add((int)(s - wv.steps) + 1, v != NULL ? v : "");
		if (json_integer_value(json_object_get(ev, "phases")) > 0) {
			s->phase = (int)json_integer_value(
			    json_object_get(ev, "phase"));
			s->phases = (int)json_integer_value(
			    json_object_get(ev, "phases"));
		}
	} else if (strcmp(e, "end") == 0 && (s = wv_event_step(ev)) != NULL) {
		v = wv_jstr(ev, "outcome");
		s->end = mono_ms();
		if (s->start == 0)
			s->start = s->end;
		free(s->detail);
		s->detail = NULL;
		if ((e = wv_jstr(ev, "detail")) != NULL && *e != '\0')
			s->detail = xstrdup(e);
		if (v == NULL)
			s->state = WS_FAILED;
		else if ((strcmp(v, "ok") == 0 || strcmp(v, "skipped") == 0) &&
		    s->detail != NULL && (strstr(s->detail, "earlier") !=
		    NULL || strstr(s->detail, "before the interruption") !=
		    NULL))
			s->state = WS_EARLIER;
		else if (strcmp(v, "ok") == 0)
			s->state = WS_OK;
		else if (strcmp(v, "skipped") == 0)
			s->state = WS_SKIPPED;
		else if (strcmp(v, "undone") == 0)
			s->state = WS_UNDONE;
		else
			s->state = WS_FAILED;
	} else if (strcmp(e, "result") == 0) {
		free(wv.status);
		free(wv.run_id);
		free(wv.error);
		v = wv_jstr(ev, "status");
		wv.status = xstrdup(v != NULL ? v : "?");
		v = wv_jstr(ev, "run");
		wv.run_id = v != NULL ? xstrdup(v) : NULL;
		v = wv_jstr(ev, "error");
		wv.error = v != NULL ? xstrdup(v) : NULL;
		wv.reboot = json_is_true(json_object_get(ev, "reboot"));
	}
out:
	json_decref(ev);
}

static void
wv_button(const char *label, int key, int what, const char *arg)
{
	struct wv_button	*b;

	wv.buttons = xreallocarray(wv.buttons, wv.nbuttons + 1,
	    sizeof *wv.buttons);
	b = &wv.buttons[wv.nbuttons++];
	b->label = xstrdup(label);
	b->key = key;
	b->what = what;
	b->arg = arg != NULL ? xstrdup(arg) : NULL;
}

/* The domain a wizard made and started, from its answers; or NULL. */
static const struct dom_row *
wv_started_domain(void)
{
	static const char *const names[] = { "name", "hostname", NULL };
	const char	*start, *name = NULL;
	size_t		 i;

	if (wv.w == NULL || wv.mode == WV_UNDO)
		return (NULL);
	start = wv_value("start");
	if (start == NULL || strcmp(start, "yes") != 0)
		return (NULL);
	for (i = 0; names[i] != NULL && name == NULL; i++)
		name = wv_value(names[i]);
	for (i = 0; name != NULL && i < tui.sampler.nrows; i++) {
		if (strcmp(tui.sampler.rows[i]->s.info.name, name) == 0)
			return (tui.sampler.rows[i]);
	}
	return (NULL);
}

/* The result's buttons: what can be done next. */
static void
wv_buttons_make(void)
{
	const struct dom_row	*d;
	const struct wizard	*w = wv.w;
	char			*label;
	size_t			 i, keep = wv.button;
	int			 ok, refused;

	ok = wv.status != NULL && (strcmp(wv.status, "done") == 0 ||
	    strcmp(wv.status, "undone") == 0);
	refused = wv.status != NULL && strcmp(wv.status, "refused") == 0;
	wv_buttons_free();
	d = ok && wv.mode != WV_ACTION ? wv_started_domain() : NULL;
	if (d != NULL && d->s.info.has_vnc) {
		label = xprintf("VNC screen of %s (v)", d->s.info.name);
		wv_button(label, 'v', WB_VNC, d->s.info.name);
		free(label);
	}
	if (d != NULL && d->s.info.has_console) {
		label = xprintf("Serial console of %s (c)", d->s.info.name);
		wv_button(label, 'c', WB_SERIAL, d->s.info.name);
		free(label);
	}
	if (!ok && !refused && wv.mode == WV_UNDO)
		wv_button("Undo again (U)", 'U', WB_UNDO, NULL);
	else if (!ok && !refused && wv.mode != WV_ACTION)
		wv_button("Resume (R)", 'R', WB_RESUME, NULL);
	if (wv.mode != WV_UNDO && wv.mode != WV_ACTION && !refused)
		wv_button("Undo (U)", 'U', WB_UNDO, NULL);
	for (i = 0; w != NULL && w->actions != NULL && w->actions[i] != NULL &&
	    i < 9; i++) {
		label = xprintf("--%s (%zu)", w->actions[i], i + 1);
		wv_button(label, '1' + (int)i, WB_ACTION, w->actions[i]);
		free(label);
	}
	wv_button("Output (o)", 'o', WB_OUTPUT, NULL);
	if (w != NULL && w->plan != NULL)
		wv_button("Form (f)", 'f', WB_FORM, NULL);
	wv.button = keep < wv.nbuttons ? keep : 0;
}

/*
 * After an apply from the console, what the wizard tells this once
 * (hvm-guest's generated VNC password): the CLI child ran with --json,
 * which never carries it, so the console asks the wizard itself (its
 * done() hook, a completed with its defaults here), shows it in the pager
 * under title and keeps it nowhere. 0 with *dom the domain it started (the
 * caller's, may be NULL), or -1 with *cause.
 */
int
view_wizard_told_once(const struct wizard *w, struct wiz_answers *a,
    const char *title, char **dom, char **cause)
{
	struct wiz_ctx	 wctx = { .be = tui.be, .interactive = 1 };
	char		*msg = NULL;

	*dom = NULL;
	if (w->done == NULL)
		return (0);
	if (wiz_complete(w, &wctx, a, cause) != 0 ||
	    w->done(&wctx, a, &msg, dom, cause) != 0)
		return (-1);
	if (msg != NULL) {
		pager_show(title, msg);
		explicit_bzero(msg, strlen(msg));
		free(msg);
	}
	return (0);
}

/* The view's answers, for view_wizard_told_once. */
static void
wv_told_once(void)
{
	struct wiz_answers	 a;
	char			*dom = NULL, *cause = NULL, *t;
	size_t			 i;

	wiz_answers_init(&a);
	for (i = 0; i < wv.a.n; i++)
		wiz_answers_set(&a, wv.a.keys[i], wv.a.values[i]);
	t = xprintf("wizard %s", wv.w->name);
	if (view_wizard_told_once(wv.w, &a, t, &dom, &cause) != 0) {
		tui_status(COL_ERROR, "wizard %s: %s", wv.w->name, cause);
		free(cause);
	}
	free(t);
	free(dom);
	wiz_answers_free(&a);
}

static void
wv_run_done(struct job *j, void *arg)
{
	size_t	 i;

	if (wv.run_job == 0 || wv.run_job != job_id(j))
		return;
	wv.finished = 1;
	wv.ended = mono_ms();
	tui.redraw = 1;
	/* Killed or cancelled: no result line; its running step stops. */
	for (i = 0; i < wv.nsteps; i++) {
		if (wv.steps[i].state == WS_RUNNING) {
			wv.steps[i].state = wv.status == NULL ? WS_STOPPED :
			    WS_FAILED;
			wv.steps[i].end = wv.ended;
		}
	}
	if (wv.status == NULL && job_state(j) == JOB_CANCELLED)
		wv.error = xstrdup("cancelled: the run stopped where it was; "
		    "resume it or undo it");
	else if (wv.status == NULL)
		wv.error = xstrdup(job_error(j) != NULL ? job_error(j) :
		    "it ended without a result");
	if (wv.status != NULL && strcmp(wv.status, "done") == 0) {
		tui_status(COL_OK, "wizard %s: done%s", wv.w->name,
		    wv.reboot ? "; reboot for it to take effect" : "");
		tui_sample_now();	/* a domain it started, soon */
		if (wv.mode == WV_APPLY)
			wv_told_once();
	} else if (wv.status != NULL && strcmp(wv.status, "undone") == 0)
		tui_status(COL_OK, "wizard %s: undone", wv.w->name);
	else
		tui_status(COL_ERROR, "wizard %s: %s", wv.w->name,
		    wv.error != NULL ? wv.error : "failed");
	wv_unfinished(0);
	wv_buttons_make();
}

/* Start a run as a listed job: apply, resume, undo or an action. */
static void
wv_run_start(enum wv_mode mode, const char *action)
{
	char		*cause = NULL, *what, *opt = NULL;
	char		*args[5];
	size_t		 i, n = 0;
	int		 answers = 0;

	wv_run_clear();
	wv.mode = mode;
	wv.phase = WV_RUN;
	wv.started = mono_ms();
	switch (mode) {
	case WV_APPLY:
		args[n++] = "--apply";
		args[n++] = "--yes";
		answers = 1;
		/* The steps as planned, pending. */
		wv_steps_grow(wv.plan_steps);
		for (i = 0; i < wv.plan_steps; i++)
			wv.steps[i].title = xstrdup(wv.plan_titles[i]);
		break;
	case WV_RESUME:
		args[n++] = "--resume";
		wv_run_load_steps(wv.w->name, 0);
		break;
	case WV_UNDO:
		args[n++] = "--undo";
		wv_run_load_steps(wv.w->name, 1);
		break;
	case WV_ACTION:
		wv.action = xstrdup(action);
		opt = xprintf("--%s", action);
		args[n++] = opt;
		answers = 1;
		break;
	}
	args[n++] = "--json";
	args[n] = NULL;
	what = xstrdup(args[0]);
	wv.run_job = wv_job(what, args, JOB_CANCEL, answers, wv_run_line,
	    wv_run_done, &cause);
	if (wv.run_job == 0) {
		wv.finished = 1;
		wv.error = cause;
		wv.status = xstrdup("refused");
		wv_buttons_make();
	}
	free(what);
	free(opt);
}

/*
 * The steps of the run a resume or an undo continues, from its plan as
 * saved (pending until their events say more).
 */
static void
wv_run_load_steps(const char *wizard, int undo)
{
	struct plan_run	*runs = NULL;
	struct plan	 p;
	size_t		 n = 0, i;
	char		*run = NULL, *path, *cause = NULL;

	if (undo) {
		if (plan_runs(&runs, &n, &cause) != 0)
			free(cause);
		for (i = 0; i < n && run == NULL; i++) {
			if (strcmp(runs[i].wizard, wizard) == 0 &&
			    strcmp(runs[i].state, "undone") != 0)
				run = xstrdup(runs[i].id);
		}
		plan_runs_free(runs, n);
	} else
		run = plan_run_unfinished(wizard);
	if (run == NULL)
		return;
	xasprintf(&path, "%s/%s/plan.json", plan_statedir(), run);
	/* plan_load() fills a plan that holds nothing (as plan_free left). */
	plan_init(&p, wizard);
	plan_free(&p);
	if (plan_load(path, &p, &cause) == 0) {
		wv_steps_grow(p.nsteps);
		for (i = 0; i < p.nsteps; i++) {
			free(wv.steps[i].title);
			wv.steps[i].title = xstrdup(p.steps[i].title);
		}
		if (p.title != NULL) {
			free(wv.plan_title);
			wv.plan_title = xstrdup(p.title);
		}
	} else
		free(cause);
	plan_free(&p);
	free(path);
	free(run);
}

/* ---- consent and apply ------------------------------------------------ */

static void	wv_consent_ask(void);

static void
wv_consent_answered(const char *answer, void *arg)
{
	struct wv_consent	*c;
	const char		*had;
	char			*both;

	if (wv.w == NULL || wv.asking >= wv.nconsent)
		return;
	c = &wv.consent[wv.asking];
	if (answer == NULL || strcmp(answer, c->object != NULL ? c->object :
	    "yes") != 0) {
		tui_status(COL_ERROR, "not applied: %s", answer == NULL ||
		    *answer == '\0' ? "no consent given" : "what was typed "
		    "does not name what the step destroys");
		wiz_answers_free(&wv.given);
		return;
	}
	/* The typed name becomes the consent answer (a list if several). */
	if (c->object != NULL && wiz_field_find(wv.w, c->key) != NULL) {
		had = wiz_get(&wv.given, c->key);
		if (had != NULL && strcmp(had, c->object) != 0) {
			both = xprintf("%s,%s", had, c->object);
			wiz_answers_set(&wv.given, c->key, both);
			free(both);
		} else
			wiz_answers_set(&wv.given, c->key, c->object);
	}
	wv.asking++;
	wv_consent_ask();
}

/* Ask for the next consent, or apply once all are given. */
static void
wv_consent_ask(void)
{
	struct wv_consent	*c;
	char			*q;

	if (wv.asking >= wv.nconsent) {
		wv_run_start(WV_APPLY, NULL);
		return;
	}
	c = &wv.consent[wv.asking];
	if (c->object != NULL)
		q = xprintf("step %zu (%s) destroys %s: type %s to consent: ",
		    c->step, c->title, c->object, c->object);
	else
		q = xprintf("step %zu (%s) destroys data: type yes to "
		    "consent: ", c->step, c->title);
	prompt_begin(PROMPT_PLAIN, q, NULL, wv_consent_answered, NULL, NULL);
	free(q);
}

/* Whether the wizard has a run left half-done (says so if asked). */
static int
wv_unfinished(int say)
{
	free(wv.unfinished);
	wv.unfinished = NULL;
	if (wv.w == NULL || wv.w->plan == NULL ||
	    (wv.unfinished = plan_run_unfinished(wv.w->name)) == NULL)
		return (0);
	if (say)
		tui_status(COL_ERROR, "wizard %s: its run %s is half-done: R "
		    "resumes it, U undoes it (a new apply is refused until "
		    "then)", wv.w->name, wv.unfinished);
	return (1);
}

/* A run in flight belongs to this view: nothing else starts meanwhile. */
static int
wv_busy(void)
{
	if (wv.run_job != 0 && !wv.finished &&
	    job_find(wv.run_job) != NULL) {
		tui_status(COL_ERROR, "wizard %s: a run is under way (x "
		    "cancels it)", wv.run_wizard != NULL ? wv.run_wizard :
		    "?");
		return (1);
	}
	return (0);
}

static int
wv_refuse_read_only(const char *what)
{
	if (!tui.ctx->read_only)
		return (0);
	tui_status(COL_ERROR, "wizard %s: %s refused in read-only mode",
	    wv.w->name, what);
	return (1);
}

/* ---- keys ------------------------------------------------------------ */

static int
wv_lines_scroll(int delta)
{
	int	 max = (int)wv.nlines - wv.lheight;

	wv.ltop += delta;
	if (wv.ltop > max)
		wv.ltop = max;
	if (wv.ltop < 0)
		wv.ltop = 0;
	return (VIEW_REDRAW);
}

static int
wv_key_down(void)
{
	if (wv.phase == WV_FORM)
		wv_move(1);
	else if (wv.phase == WV_PLAN || wv.phase == WV_CHECKS)
		wv_lines_scroll(1);
	return (VIEW_REDRAW);
}

static int
wv_key_up(void)
{
	if (wv.phase == WV_FORM)
		wv_move(-1);
	else if (wv.phase == WV_PLAN || wv.phase == WV_CHECKS)
		wv_lines_scroll(-1);
	return (VIEW_REDRAW);
}

static int
wv_key_pgdown(void)
{
	return (wv_lines_scroll(wv.lheight > 2 ? wv.lheight - 2 : 1));
}

static int
wv_key_pgup(void)
{
	return (wv_lines_scroll(-(wv.lheight > 2 ? wv.lheight - 2 : 1)));
}

static int	wv_press(size_t);

static int
wv_key_enter(void)
{
	if (wv.phase == WV_RUN && wv.finished && wv.nbuttons > 0)
		return (wv_press(wv.button));
	if (wv.phase != WV_FORM || wv.nf == 0)
		return (VIEW_UNHANDLED);
	/* Consent is typed, never picked. */
	if ((wv.f[wv.sel].f->flags & WIZ_CONSENT) || !wv_picker_open())
		wv_edit();
	return (VIEW_REDRAW);
}

static int
wv_key_edit(void)
{
	if (wv.phase != WV_FORM || wv.nf == 0)
		return (VIEW_UNHANDLED);
	wv_edit();
	return (VIEW_REDRAW);
}

static int
wv_key_next_choice(void)
{
	if (wv.phase == WV_RUN && wv.finished && wv.nbuttons > 0) {
		wv.button = (wv.button + 1) % wv.nbuttons;
		return (VIEW_REDRAW);
	}
	if (wv.phase == WV_PLAN || wv.phase == WV_CHECKS)
		return (wv_key_pgdown());
	if (wv.phase != WV_FORM || wv.nf == 0)
		return (VIEW_UNHANDLED);
	wv_cycle(1);
	return (VIEW_REDRAW);
}

static int
wv_key_prev_choice(void)
{
	if (wv.phase == WV_RUN && wv.finished && wv.nbuttons > 0) {
		wv.button = (wv.button + wv.nbuttons - 1) % wv.nbuttons;
		return (VIEW_REDRAW);
	}
	if (wv.phase != WV_FORM || wv.nf == 0)
		return (VIEW_UNHANDLED);
	wv_cycle(-1);
	return (VIEW_REDRAW);
}

static void
wv_cancel_answered(const char *answer, void *arg)
{
	struct job	*j;
	char		*cause = NULL;

	if (answer == NULL || (strcasecmp(answer, "y") != 0 &&
	    strcasecmp(answer, "yes") != 0))
		return;
	if ((j = job_find(wv.run_job)) == NULL || wv.finished)
		return;
	if (job_cancel(j, &cause) != 0) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
	} else
		tui_status(COL_STATUS, "wizard %s: cancelling the run",
		    wv.w->name);
}

static int
wv_key_clear(void)
{
	const struct wiz_field	*f;

	if (wv.phase == WV_RUN) {
		if (wv.finished || job_find(wv.run_job) == NULL)
			return (VIEW_REDRAW);
		prompt_begin(PROMPT_PLAIN, "Cancel the run? It stops mid-way, "
		    "to be resumed or undone later (y/n) ", NULL,
		    wv_cancel_answered, NULL, NULL);
		return (VIEW_REDRAW);
	}
	if (wv.phase != WV_FORM || wv.nf == 0)
		return (VIEW_UNHANDLED);
	f = wv.f[wv.sel].f;
	if (wiz_get(&wv.a, f->key) != NULL) {
		wv_answers_unset(&wv.a, f->key);
		wv_changed();
	}
	return (VIEW_REDRAW);
}

static int
wv_key_advanced(void)
{
	if (wv.phase != WV_FORM)
		return (VIEW_UNHANDLED);
	wv.advanced = !wv.advanced;
	if (!wv_shown(wv.sel))
		wv.sel = 0;
	return (VIEW_REDRAW);
}

/* The answers are fit for a plan (else say what is wrong, and where). */
static int
wv_answers_ok(const char *what)
{
	char	*p;

	if ((p = wv_first_problem()) == NULL)
		return (1);
	tui_status(COL_ERROR, "not %s: %s", what, p);
	free(p);
	wv.phase = WV_FORM;
	return (0);
}

static int
wv_key_plan(void)
{
	if (wv.phase == WV_RUN && !wv.finished)
		return (VIEW_UNHANDLED);
	if (wv.w->plan == NULL) {
		wv_checks_start();
		return (VIEW_REDRAW);
	}
	if (!wv_answers_ok("planned"))
		return (VIEW_REDRAW);
	wv_plan_start();
	return (VIEW_REDRAW);
}

static int
wv_key_apply(void)
{
	if (wv.w->plan == NULL)
		return (VIEW_UNHANDLED);
	if (wv_busy() || wv_refuse_read_only("apply"))
		return (VIEW_REDRAW);
	if (wv.phase == WV_RUN && !wv.finished)
		return (VIEW_REDRAW);
	if (!wv_answers_ok("applied"))
		return (VIEW_REDRAW);
	if (wv.phase != WV_PLAN || !wv.have_plan) {
		/* Apply what was shown: the plan first. */
		wv_plan_start();
		tui_status(COL_STATUS, "wizard %s: read the plan, then A "
		    "applies it", wv.w->name);
		return (VIEW_REDRAW);
	}
	if (wv_unfinished(1))
		return (VIEW_REDRAW);
	wiz_answers_free(&wv.given);
	wv.asking = 0;
	free(wv.run_wizard);
	wv.run_wizard = xstrdup(wv.w->name);
	wv_consent_ask();
	return (VIEW_REDRAW);
}

static void
wv_export_done(int rc, void *arg)
{
}

static void
wv_export_answered(const char *path, void *arg)
{
	char	**argv = NULL, *yaml;
	size_t	  i;

	if (path == NULL || *path == '\0' || wv.w == NULL)
		return;
	/* As --set answers: the ':' command runs it as a job. */
	strv_push(&argv, "wizard");
	strv_push(&argv, wv.w->name);
	for (i = 0; i < wv.a.n; i++) {
		yaml = xprintf("%s=%s", wv.a.keys[i], wv.a.values[i]);
		strv_push(&argv, "--set");
		strv_push(&argv, yaml);
		free(yaml);
	}
	strv_push(&argv, "--export");
	strv_push(&argv, path);
	tui_run_then(argv, wv_export_done, NULL);
	strv_free(argv);
}

static int
wv_key_export(void)
{
	if (wv.w->plan == NULL || wv.phase == WV_RUN)
		return (VIEW_UNHANDLED);
	if (!wv_answers_ok("exported"))
		return (VIEW_REDRAW);
	prompt_begin(PROMPT_FILE, "export the plan as a sh script to: ", NULL,
	    wv_export_answered, NULL, NULL);
	return (VIEW_REDRAW);
}

static int
wv_key_form(void)
{
	if (wv.phase == WV_RUN && !wv.finished)
		return (VIEW_UNHANDLED);
	if (wv.w->plan == NULL && wv.nf == 0)
		return (VIEW_UNHANDLED);
	wv.phase = WV_FORM;
	return (VIEW_REDRAW);
}

static int
wv_key_cancel(void)
{
	if (wv.phase == WV_PLAN) {
		wv.phase = WV_FORM;
		return (VIEW_REDRAW);
	}
	return (VIEW_UNHANDLED);	/* Esc: back to where the user was */
}

static int
wv_key_resume(void)
{
	if (wv.w->plan == NULL || wv_busy() || wv_refuse_read_only("resume"))
		return (VIEW_REDRAW);
	if (!wv_unfinished(0)) {
		tui_status(COL_STATUS, "wizard %s: no run to resume",
		    wv.w->name);
		return (VIEW_REDRAW);
	}
	free(wv.run_wizard);
	wv.run_wizard = xstrdup(wv.w->name);
	wv_run_start(WV_RESUME, NULL);
	return (VIEW_REDRAW);
}

static void
wv_undo_answered(const char *answer, void *arg)
{
	if (wv.w == NULL || answer == NULL || (strcasecmp(answer, "y") != 0 &&
	    strcasecmp(answer, "yes") != 0))
		return;
	if (wv_busy())
		return;
	free(wv.run_wizard);
	wv.run_wizard = xstrdup(wv.w->name);
	wv_run_start(WV_UNDO, NULL);
}

static int
wv_key_undo(void)
{
	char	*q;

	if (wv.w->plan == NULL || wv_busy() || wv_refuse_read_only("undo"))
		return (VIEW_REDRAW);
	q = xprintf("Undo the newest run of %s? Its steps that have an undo "
	    "are walked back, last first (y/n) ", wv.w->name);
	prompt_begin(PROMPT_PLAIN, q, NULL, wv_undo_answered, NULL, NULL);
	free(q);
	return (VIEW_REDRAW);
}

static int
wv_key_output(void)
{
	char	*text = NULL, *prev;
	size_t	 k;

	if (wv.phase != WV_RUN)
		return (VIEW_UNHANDLED);
	for (k = 0; k < wv.ntail; k++) {
		prev = text;
		xasprintf(&text, "%s[%d] %s\n", prev != NULL ? prev : "",
		    wv_tail_step(k), wv_tail_get(k));
		free(prev);
	}
	if (wv.error != NULL) {
		prev = text;
		xasprintf(&text, "%s\n%s\n", prev != NULL ? prev : "",
		    wv.error);
		free(prev);
	}
	pager_show("wizard output", text != NULL ? text : "(no output)\n");
	free(text);
	return (VIEW_REDRAW);
}

static int
wv_key_again(void)
{
	if (wv.w->plan != NULL)
		return (VIEW_UNHANDLED);
	wv_checks_start();
	return (VIEW_REDRAW);
}

/* Press a result's button. */
static int
wv_press(size_t i)
{
	struct wv_button	*b;
	char			*arg;

	if (i >= wv.nbuttons)
		return (VIEW_REDRAW);
	b = &wv.buttons[i];
	switch (b->what) {
	case WB_RESUME:
		return (wv_key_resume());
	case WB_UNDO:
		return (wv_key_undo());
	case WB_ACTION:
		if (wv_busy() || wv_refuse_read_only("an action"))
			break;
		arg = xstrdup(b->arg);
		free(wv.run_wizard);
		wv.run_wizard = xstrdup(wv.w->name);
		wv_run_start(WV_ACTION, arg);
		free(arg);
		break;
	case WB_SERIAL:
		tui_select(b->arg);
		tui_switch(&view_serial_ops, b->arg);
		break;
	case WB_VNC:
		tui_select(b->arg);
		tui_switch(&view_vnc_ops, b->arg);
		break;
	case WB_OUTPUT:
		return (wv_key_output());
	case WB_FORM:
		return (wv_key_form());
	}
	return (VIEW_REDRAW);
}

static int
wv_key(int ch)
{
	size_t	 i;

	if (wv.w == NULL)
		return (VIEW_UNHANDLED);
	if (wv.picking)
		return (wv_picker_key(ch));
	if (wv.phase == WV_RUN && wv.finished) {
		for (i = 0; i < wv.nbuttons; i++) {
			if (wv.buttons[i].key == ch)
				return (wv_press(i));
		}
	}
	return (view_key_dispatch(wizard_keys, ch));
}

/* ---- drawing --------------------------------------------------------- */

static const char *
wv_bar_glyph(int full)
{
	if (tui.utf8)
		return (full ? "\xe2\x96\x88" : "\xe2\x96\x91");
	return (full ? "#" : ".");
}

/* A bar of w columns, filled to num/den, at (y, x). */
static void
wv_bar(int y, int x, int w, uint64_t num, uint64_t den, attr_t a)
{
	int	 i, fill = den > 0 ? (int)(num * (uint64_t)w / den) : 0;

	move(y, x);
	for (i = 0; i < w; i++) {
		attrset(i < fill ? a : theme_attr(COL_DIM));
		addstr(wv_bar_glyph(i < fill));
	}
	attrset(A_NORMAL);
}

static void
wv_elapsed(char *buf, size_t len, uint64_t ms)
{
	if (ms < 10000)
		snprintf(buf, len, "%.1f s", ms / 1000.0);
	else if (ms < 600000)
		snprintf(buf, len, "%llu s", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, len, "%llu:%02llu", (unsigned long long)(ms /
		    60000), (unsigned long long)(ms / 1000 % 60));
}

/* The header: the wizard, and where in it the person is. */
static void
wv_draw_header(int y, int x, int w)
{
	static const char *const names[] = { "form", "checks", "plan", "run" };
	char	*line;

	line = xprintf(" Wizard %s: %s", wv.w->name, wv.w->summary);
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	free(line);
	line = xprintf("[%s] ", names[wv.phase]);
	if (wv_width(line) < w)
		tui_draw_text(y, x + w - wv_width(line), wv_width(line), line,
		    theme_attr(COL_HEADER));
	free(line);
}

/* Text wrapped into lines y.. of width w at x; returns lines used. */
static int
wv_draw_wrapped(int y, int x, int h, int w, const char *text, attr_t a)
{
	char	*buf = wv_wrap("", text, w), *p = buf, *nl;
	int	 used = 0;

	while (used < h && (nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		tui_draw_text(y + used++, x, w, p, a);
		p = nl + 1;
	}
	free(buf);
	return (used);
}

/* The side pane: the focused field, then the guide (or the picker). */
static void
wv_draw_side(int y, int x, int h, int w)
{
	const struct wv_field	*vf;
	const struct wiz_field	*f;
	char			*line;
	int			 row = 0;
	size_t			 i, first;

	if (h <= 0 || w < 10)
		return;
	if (wv.picking) {
		vf = &wv.f[wv.sel];
		line = xprintf("%s: pick one (Enter; e types; Esc closes)",
		    vf->f->key);
		tui_draw_text(y, x, w, line, theme_attr(COL_TITLE));
		free(line);
		first = wv.pick >= (size_t)(h - 2) ? wv.pick - (h - 2) + 1 : 0;
		for (i = first; i < wv.npv && row < h - 1; i++, row++) {
			line = xprintf("%s%s %s", i == wv.pick ? ">" : " ",
			    wv.pv[i].usable ? " " : "x", wv.pv[i].label);
			if (i == wv.pick)
				tui_fill(y + 1 + row, x, w,
				    theme_attr(COL_SELECTED));
			tui_draw_text(y + 1 + row, x, w, line, i == wv.pick ?
			    theme_attr(COL_SELECTED) : wv.pv[i].usable ?
			    A_NORMAL : theme_attr(COL_DIM));
			free(line);
		}
		return;
	}
	if (wv.nf > 0) {
		vf = &wv.f[wv.sel];
		f = vf->f;
		line = xprintf("%s  [%s]", f->prompt, f->key);
		row += wv_draw_wrapped(y + row, x, h - row, w, line,
		    theme_attr(COL_TITLE));
		free(line);
		if (f->explain != NULL)
			row += wv_draw_wrapped(y + row, x, h - row, w,
			    f->explain, A_NORMAL);
		if (f->choices != NULL && row < h) {
			line = NULL;
			for (i = 0; f->choices[i] != NULL; i++) {
				char	*prev = line;

				xasprintf(&line, "%s%s%s", prev != NULL ? prev :
				    "choices: ", prev != NULL ? ", " : "",
				    f->choices[i]);
				free(prev);
			}
			row += wv_draw_wrapped(y + row, x, h - row, w, line,
			    theme_attr(COL_DIM));
			free(line);
		}
		if (vf->ncand > 0 && !(f->flags & WIZ_CONSENT) && row < h) {
			line = xprintf("%zu candidate%s: Enter picks one",
			    vf->ncand, vf->ncand == 1 ? "" : "s");
			tui_draw_text(y + row++, x, w, line,
			    theme_attr(COL_DIM));
			free(line);
		} else if (vf->cand_error != NULL && row < h) {
			line = xprintf("candidates: %s", vf->cand_error);
			row += wv_draw_wrapped(y + row, x, h - row, w, line,
			    theme_attr(COL_WARNING));
			free(line);
		}
		if (f->flags & WIZ_PATH && row < h)
			tui_draw_text(y + row++, x, w, "a path: Tab completes "
			    "as you type it", theme_attr(COL_DIM));
		row++;
	}
	if (wv.w->guide != NULL && row < h) {
		tui_draw_text(y + row++, x, w, "The guide's step",
		    theme_attr(COL_TITLE));
		wv_draw_wrapped(y + row, x, h - row, w, wv.w->guide,
		    theme_attr(COL_DIM));
	}
}

static void
wv_draw_form(int y, int x, int h, int w)
{
	const struct wiz_field	*f;
	const char		*v;
	char			*line, *p, *val;
	int			 fw = w, sw = 0, row, pw, folded = 0, need;
	int			 frows;
	size_t			 i;
	attr_t			 a;

	if (w >= WV_SIDE_MIN) {
		fw = w * 3 / 5;
		sw = w - fw - 2;
	}
	frows = h - 2;
	if (sw == 0)
		frows = h / 2;
	if (wv.fields_error != NULL) {
		line = xprintf("defaults and candidates unknown: %s",
		    wv.fields_error);
		tui_draw_text(y, x + 1, fw - 1, line, theme_attr(COL_WARNING));
		free(line);
		y++;
		frows--;
	} else if (!wv.have_fields) {
		tui_draw_text(y, x + 1, fw - 1, "reading defaults and "
		    "candidates...", theme_attr(COL_DIM));
		y++;
		frows--;
	}
	if (wv.unfinished != NULL) {
		line = xprintf("Its run %s is half-done: R resumes it, U "
		    "undoes it", wv.unfinished);
		tui_draw_text(y, x + 1, fw - 1, line, theme_attr(COL_WARNING));
		free(line);
		y++;
		frows--;
	}
	if (wv.problem != NULL && wv.problem_key == NULL) {
		tui_draw_text(y, x + 1, fw - 1, wv.problem,
		    theme_attr(COL_ERROR));
		y++;
		frows--;
	}
	/* The prompts' column: as wide as the longest, leaving room. */
	for (pw = 0, i = 0; i < wv.nf; i++) {
		if (wv_width(wv.f[i].f->prompt) > pw)
			pw = wv_width(wv.f[i].f->prompt);
	}
	if (pw > fw - 26)
		pw = fw - 26;
	if (pw < 10)
		pw = 10;
	/* Scroll so the selected field shows (2 lines for a problem). */
	if ((int)wv.sel < wv.top)
		wv.top = (int)wv.sel;
	for (;;) {
		need = 0;
		for (i = (size_t)wv.top; i <= wv.sel && i < wv.nf; i++) {
			if (!wv_shown(i))
				continue;
			need++;
			if ((p = wv_field_problem(i)) != NULL)
				need += 3;
			free(p);
		}
		if (need <= frows || wv.top >= (int)wv.sel)
			break;
		wv.top++;
	}
	wv.height = frows;
	row = 0;
	for (i = 0; i < wv.nf; i++) {
		f = wv.f[i].f;
		if (!wv_shown(i)) {
			folded++;
			continue;
		}
		if ((int)i < wv.top || row >= frows)
			continue;
		if (wv.editing == f)
			v = wv.typed;
		else
			v = wiz_get(&wv.a, f->key);
		if (v != NULL && (wv.editing == f || *v != '\0'))
			val = xstrdup(v);
		else if (wv.f[i].def != NULL)
			val = xprintf("%s  (default)", wv.f[i].def);
		else if (f->flags & WIZ_REQUIRED)
			val = xstrdup("(required)");
		else
			val = xstrdup("-");
		line = xprintf("%s %-*.*s %s", i == wv.sel ? ">" : " ", pw, pw,
		    f->prompt, val);
		if (i == wv.sel)
			a = theme_attr(COL_SELECTED);
		else if (v == NULL && wv.f[i].def == NULL &&
		    (f->flags & WIZ_REQUIRED))
			a = theme_attr(COL_WARNING);
		else
			a = v == NULL ? theme_attr(COL_DIM) : A_NORMAL;
		if (i == wv.sel)
			tui_fill(y + row, x, fw, a);
		tui_draw_text(y + row, x, fw, line, a);
		free(line);
		free(val);
		row++;
		p = wv_field_problem(i);
		if (p != NULL && v == NULL && (f->flags & WIZ_REQUIRED)) {
			free(p);	/* "(required)" says it */
			p = NULL;
		}
		if (p != NULL && row < frows) {
			line = xprintf("%s %s", tui.utf8 ? "\xe2\x9c\x97" :
			    "x", p);
			row += wv_draw_wrapped(y + row, x + 4, frows - row < 3 ?
			    frows - row : 3, fw - 4, line,
			    theme_attr(COL_ERROR));
			free(line);
		} else if (wv.editing == f && row < frows) {
			tui_draw_text(y + row++, x, fw, tui.utf8 ?
			    "    \xe2\x9c\x93 valid so far" : "    ok so far",
			    theme_attr(COL_OK));
		}
		free(p);
	}
	if (folded > 0 && row < frows) {
		line = xprintf("  (%d advanced field%s folded away: a shows "
		    "them)", folded, folded == 1 ? "" : "s");
		tui_draw_text(y + ++row, x, fw, line, theme_attr(COL_DIM));
		free(line);
	}
	if (wv.picking) {
		/* The picker covers the side pane and the values. */
		fw = pw + 3;
		for (row = 0; row < h - 1; row++)
			tui_fill(y + row, x + fw, w - fw, A_NORMAL);
		wv_draw_side(y, x + fw + 1, h - 2, w - fw - 1);
	} else if (sw > 0)
		wv_draw_side(y, x + fw + 2, h - 2, sw);
	else
		wv_draw_side(y + frows + 1, x + 1, h - frows - 3, w - 2);
}

/* The plan or the checks: scrolled lines. */
static void
wv_draw_lines(int y, int x, int h, int w)
{
	int	 i;
	char	*line;

	wv.lheight = h;
	if (wv.lines_job != 0 && wv.nlines == 0) {
		tui_draw_text(y, x + 1, w - 1, wv.phase == WV_PLAN ?
		    "making the plan (reading the host's facts)..." :
		    "checking...", theme_attr(COL_DIM));
		return;
	}
	if (wv.lines_error != NULL) {
		line = xprintf("%s failed: %s", wv.phase == WV_PLAN ?
		    "the plan" : "the check", wv.lines_error);
		wv_draw_wrapped(y, x + 1, h, w - 2, line,
		    theme_attr(COL_ERROR));
		free(line);
		return;
	}
	for (i = 0; i < h && wv.ltop + i < (int)wv.nlines; i++)
		tui_draw_text(y + i, x + 1, w - 1, wv.lines[wv.ltop + i].text,
		    theme_attr(wv.lines[wv.ltop + i].slot));
}

static const char *
wv_state_name(enum wv_state s)
{
	switch (s) {
	case WS_PENDING:
		return ("");
	case WS_RUNNING:
		return ("running");
	case WS_OK:
		return ("done");
	case WS_SKIPPED:
		return ("skipped");
	case WS_EARLIER:
		return ("done earlier");
	case WS_FAILED:
		return ("failed");
	case WS_UNDONE:
		return ("undone");
	case WS_STOPPED:
		return ("interrupted");
	}
	return ("?");
}

static attr_t
wv_state_attr(enum wv_state st)
{
	switch (st) {
	case WS_OK:
	case WS_EARLIER:
		return (theme_attr(COL_OK));
	case WS_SKIPPED:
	case WS_UNDONE:
		return (theme_attr(COL_DIM));
	case WS_FAILED:
	case WS_STOPPED:
		return (theme_attr(COL_ERROR));
	case WS_RUNNING:
		return (theme_attr(COL_WARNING));
	default:
		return (A_NORMAL);
	}
}

/* One step's row: its title, its bar, its state and time. */
static void
wv_draw_step(int y, int x, int w, size_t i, uint64_t now)
{
	struct wv_step	*s = &wv.steps[i];
	attr_t		 a = wv_state_attr(s->state);
	const char	*mark;
	char		*line, t[32];
	int		 tw = w - WV_BAR - 26, bx;

	if (tw < 20)
		tw = 20;
	bx = x + 2 + tw;
	if (s->state == WS_RUNNING)
		mark = tui_glyph(GLYPH_RUNNING);
	else if (s->state == WS_PENDING)
		mark = " ";
	else if (s->state == WS_FAILED || s->state == WS_STOPPED)
		mark = "!";
	else
		mark = tui_glyph(GLYPH_CHECK);
	line = xprintf("%s %2zu. %s", mark, i + 1, s->title != NULL ?
	    s->title : "");
	tui_draw_text(y, x + 1, tw, line, a);
	free(line);
	if (s->state == WS_RUNNING && s->phases > 0)
		wv_bar(y, bx, WV_BAR, (uint64_t)s->phase, (uint64_t)s->phases,
		    a);
	else if (s->state == WS_RUNNING) {
		/* No measure of its progress: a block moving. */
		wv_bar(y, bx, WV_BAR, 0, 1, a);
		attrset(a);
		mvaddstr(y, bx + (int)(now / 1000 % WV_BAR), wv_bar_glyph(1));
		attrset(A_NORMAL);
	} else
		wv_bar(y, bx, WV_BAR, s->state == WS_PENDING ? 0 : 1, 1, a);
	t[0] = '\0';
	if (s->state != WS_PENDING && s->state != WS_EARLIER && s->start != 0)
		wv_elapsed(t, sizeof t, (s->state == WS_RUNNING ? now :
		    s->end) - s->start);
	line = xprintf("%-12s %s", wv_state_name(s->state), t);
	tui_draw_text(y, bx + 1 + WV_BAR, w - tw - WV_BAR - 3, line, a);
	free(line);
}

/* The step the output below is of: a failed one, else the last begun. */
static int
wv_tail_of(void)
{
	size_t	 i;
	int	 step = (int)wv.cur;

	for (i = 0; i < wv.nsteps; i++) {
		if (wv.steps[i].state == WS_FAILED ||
		    wv.steps[i].state == WS_STOPPED)
			step = (int)i + 1;
	}
	return (step);
}

/* The result of a finished run and its buttons; returns lines used. */
static int
wv_draw_result(int y, int x, int h, int w)
{
	char	*line;
	int	 row = 0, step, bx = x + 1;
	size_t	 i;

	if (wv.status != NULL && (strcmp(wv.status, "done") == 0 ||
	    strcmp(wv.status, "undone") == 0)) {
		if (wv.mode == WV_ACTION)
			line = xprintf("Done: --%s of %s.", wv.action,
			    wv.w->name);
		else if (strcmp(wv.status, "undone") == 0)
			line = xprintf("Undone: %s is back as it was (steps "
			    "without an undo stay).", wv.w->name);
		else
			line = xprintf("Done: %s%s%s. U walks back its steps "
			    "that have an undo.", wv.w->name, wv.run_id !=
			    NULL ? ", run " : "", wv.run_id != NULL ?
			    wv.run_id : "");
		row += wv_draw_wrapped(y + row, x + 1, 2, w - 2, line,
		    theme_attr(COL_OK));
		free(line);
		if (wv.reboot && row < h)
			tui_draw_text(y + row++, x + 1, w - 1, "Reboot needed: "
			    "a step takes effect at the next boot.",
			    theme_attr(COL_WARNING));
	} else {
		step = wv_tail_of();
		if (step > 0 && (wv.steps[step - 1].state == WS_FAILED ||
		    wv.steps[step - 1].state == WS_STOPPED))
			line = xprintf("%s at step %d (%s): %s", wv.status ==
			    NULL ? "Stopped" : "Failed", step,
			    wv.steps[step - 1].id != NULL ?
			    wv.steps[step - 1].id : "?", wv.error != NULL ?
			    wv.error : "");
		else
			line = xprintf("%s: %s", wv.status != NULL &&
			    strcmp(wv.status, "refused") == 0 ?
			    "Refused (nothing changed)" : "Not done",
			    wv.error != NULL ? wv.error : "");
		row += wv_draw_wrapped(y + row, x + 1, 3, w - 2, line,
		    theme_attr(COL_ERROR));
		free(line);
	}
	if (row >= h)
		return (row);
	for (i = 0; i < wv.nbuttons; i++) {
		line = xprintf("[ %s ]", wv.buttons[i].label);
		if (bx + wv_width(line) > x + w) {
			free(line);
			break;
		}
		tui_draw_text(y + row, bx, wv_width(line), line, i ==
		    wv.button ? theme_attr(COL_SELECTED) : theme_attr(COL_KEY));
		bx += wv_width(line) + 1;
		free(line);
	}
	return (row + 2);
}

/* The last lines of a step's output that fit in h lines. */
static void
wv_draw_tail(int y, int x, int h, int w, int step)
{
	char	*line;
	size_t	 k, n = 0;
	int	 row = 0;

	if (h < 2)
		return;
	for (k = 0; k < wv.ntail; k++) {
		if (wv_tail_step(k) == step)
			n++;
	}
	if (step > 0 && (size_t)step <= wv.nsteps &&
	    wv.steps[step - 1].id != NULL)
		line = xprintf("Output of step %d (%s):", step,
		    wv.steps[step - 1].id);
	else if (step > 0)
		line = xprintf("Output of step %d:", step);
	else
		line = xstrdup("Output:");
	tui_draw_text(y + row++, x + 1, w - 1, line, theme_attr(COL_KEY));
	free(line);
	if (n == 0) {
		tui_draw_text(y + row, x + 3, w - 3, "(no output)",
		    theme_attr(COL_DIM));
		return;
	}
	/* Skip the older lines that do not fit. */
	for (k = 0; k < wv.ntail && n > (size_t)(h - 1); k++) {
		if (wv_tail_step(k) == step)
			n--;
	}
	for (; k < wv.ntail && row < h; k++) {
		if (wv_tail_step(k) != step)
			continue;
		line = xprintf("| %s", wv_tail_get(k));
		tui_draw_text(y + row++, x + 3, w - 3, line, A_NORMAL);
		free(line);
	}
}

static void
wv_draw_run(int y, int x, int h, int w)
{
	const char	*verb;
	char		*line, t[32];
	size_t		 i, done = 0, first;
	int		 row = 0, steprows;
	uint64_t	 now = mono_ms();

	switch (wv.mode) {
	case WV_APPLY:
		verb = "Applying";
		break;
	case WV_RESUME:
		verb = "Resuming";
		break;
	case WV_UNDO:
		verb = "Undoing";
		break;
	default:
		verb = "Running";
		break;
	}
	for (i = 0; i < wv.nsteps; i++) {
		if (wv.steps[i].state != WS_PENDING &&
		    wv.steps[i].state != WS_RUNNING &&
		    wv.steps[i].state != WS_FAILED &&
		    wv.steps[i].state != WS_STOPPED)
			done++;
	}
	if (wv.mode == WV_ACTION)
		line = xprintf("%s --%s of %s", verb, wv.action, wv.w->name);
	else
		line = xprintf("%s %s%s%s", verb, wv.w->name,
		    wv.plan_title != NULL ? ": " : "", wv.plan_title != NULL ?
		    wv.plan_title : "");
	tui_draw_text(y + row++, x + 1, w - 1, line, theme_attr(COL_TITLE));
	free(line);
	wv_elapsed(t, sizeof t, (wv.finished ? wv.ended : now) - wv.started);
	if (wv.nsteps > 0) {
		wv_bar(y + row, x + 1, 30, done, wv.nsteps, theme_attr(COL_OK));
		line = xprintf("%zu of %zu steps  %s", done, wv.nsteps, t);
		tui_draw_text(y + row, x + 33, w - 33, line, A_NORMAL);
		free(line);
	} else
		tui_draw_text(y + row, x + 1, w - 1, wv.finished ? t :
		    "starting...", theme_attr(COL_DIM));
	row += 2;
	/* The steps: at most half the room, the running one in sight. */
	steprows = (int)wv.nsteps;
	if (steprows > (h - row) / 2 + 1)
		steprows = (h - row) / 2 + 1;
	first = wv.cur > (size_t)steprows ? wv.cur - (size_t)steprows : 0;
	for (i = first; i < wv.nsteps && row < h && (int)(i - first) <
	    steprows; i++)
		wv_draw_step(y + row++, x, w, i, now);
	row++;
	if (wv.finished && row < h)
		row += wv_draw_result(y + row, x, h - row, w);
	else if (row < h) {
		tui_draw_text(y + row++, x + 1, w - 1, "x cancels the run; "
		    "Esc leaves it running (J lists it, w comes back)",
		    theme_attr(COL_DIM));
		row++;
	}
	/* The live tail of the running (or failed) step's output. */
	if (row < h)
		wv_draw_tail(y + row, x, h - row, w, wv_tail_of());
}

/* What the keys do here, on the last line of the view. */
static const char *
wv_hints(void)
{
	switch (wv.phase) {
	case WV_FORM:
		return ("Enter edit/pick  e type  Space choice  x default  "
		    "a advanced  p plan  A apply  R resume  U undo  Esc back");
	case WV_CHECKS:
		return (wv.nf > 0 ? "r check again  f form  j/k scroll  "
		    "Esc back" : "r check again  j/k scroll  Esc back");
	case WV_PLAN:
		return ("A apply  E export  f or Esc form  j/k PgUp/PgDn "
		    "scroll");
	case WV_RUN:
		return (wv.finished ? "Left/Right choose  Enter press  "
		    "o output  Esc back" : "x cancel  o output  Esc leave it "
		    "running");
	}
	return ("");
}

static void
wv_draw(int y, int x, int h, int w)
{
	if (wv.w == NULL)
		return;
	wv_draw_header(y, x, w);
	switch (wv.phase) {
	case WV_FORM:
		wv_draw_form(y + 2, x, h - 3, w);
		break;
	case WV_CHECKS:
	case WV_PLAN:
		wv_draw_lines(y + 2, x, h - 3, w);
		break;
	case WV_RUN:
		wv_draw_run(y + 2, x, h - 3, w);
		break;
	}
	tui_draw_text(y + h - 1, x + 1, w - 1, wv_hints(),
	    theme_attr(COL_DIM));
}

/* ---- the view's life ------------------------------------------------- */

static void
wv_clear(void)
{
	prompt_cancel();
	wv_picker_close();
	wv_fields_clear();
	free(wv.f);
	wv.f = NULL;
	wv.nf = 0;
	wiz_answers_free(&wv.a);
	wiz_answers_free(&wv.given);
	wv_lines_free();
	wv_consent_free();
	wv_plan_titles_free();
	wv_problem_set(NULL, NULL);
	free(wv.fields_error);
	free(wv.lines_error);
	free(wv.typed);
	free(wv.unfinished);
	wv.fields_error = wv.lines_error = wv.typed = wv.unfinished = NULL;
	wv.editing = NULL;
	wv.have_fields = wv.have_plan = 0;
	wv.fields_job = wv.lines_job = 0;
	wv.sel = 0;
	wv.top = 0;
	wv.advanced = 0;
	wv.gen++;
}

/*
 * Load a wizard into the view (sets wv.w; nothing runs yet), or -1 with
 * *cause: an unknown wizard or field, a bad answer, a run under way.
 */
static int
wv_load(const char *name, char *const *sets, char **cause)
{
	const struct wizard		*w;
	const struct wiz_field		*f;
	struct wiz_answers		 a;
	size_t				 i;

	if ((w = wiz_find(name)) == NULL) {
		*cause = xprintf("unknown wizard: %s (w lists them)", name);
		return (-1);
	}
	wiz_answers_init(&a);
	for (i = 0; sets != NULL && sets[i] != NULL; i++) {
		if (wiz_answers_parse(&a, sets[i], cause) != 0)
			goto fail;
	}
	for (i = 0; i < a.n; i++) {
		if (wiz_field_find(w, a.keys[i]) == NULL) {
			*cause = xprintf("%s: unknown field of the %s wizard "
			    "(wizard %s --help lists them)", a.keys[i], name,
			    name);
			goto fail;
		}
	}
	if (view_wizard_running() != NULL) {
		*cause = xprintf("wizard %s: its run is under way: wait for "
		    "it, or cancel it (x in its view: w, Enter)",
		    wv.run_wizard != NULL ? wv.run_wizard : "?");
		goto fail;
	}
	wv_run_clear();
	wv_clear();
	wv.w = w;
	wv.a = a;
	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		wv.f = xreallocarray(wv.f, wv.nf + 1, sizeof *wv.f);
		memset(&wv.f[wv.nf], 0, sizeof *wv.f);
		wv.f[wv.nf++].f = f;
	}
	return (0);
fail:
	wiz_answers_free(&a);
	return (-1);
}

/* Open a wizard's view, or -1 with *cause. */
static int
wv_open(const char *name, char *const *sets, char **cause)
{
	size_t	 i;

	if (wv.w != NULL && view_wizard_running() != NULL &&
	    strcmp(wv.w->name, name) == 0 && (sets == NULL ||
	    sets[0] == NULL)) {
		/* Back to the run under way. */
		tui_switch(&view_wizard_ops, NULL);
		return (0);
	}
	if (wv_load(name, sets, cause) != 0)
		return (-1);
	wv_unfinished(0);
	/* Pre-filled: on the first field shown that is still to answer. */
	for (i = 0; sets != NULL && sets[0] != NULL && i < wv.nf; i++) {
		if (wv_shown(i) && wiz_get(&wv.a, wv.f[i].f->key) == NULL) {
			wv.sel = i;
			break;
		}
	}
	if (wv.w->plan == NULL) {
		wv_checks_start();
		if (wv.nf > 0)
			wv_fields_start();
	} else {
		wv.phase = WV_FORM;
		wv_fields_start();
	}
	tui_switch(&view_wizard_ops, NULL);
	return (0);
}

int
view_wizard_open(const char *name, char *const *sets)
{
	char	*cause = NULL;

	if (wv_open(name, sets, &cause) == 0)
		return (0);
	tui_status(COL_ERROR, "%s", cause);
	free(cause);
	return (-1);
}

int
view_wizard_run(const char *name, int undo)
{
	char	*cause = NULL;

	if (tui.ctx->read_only) {
		tui_status(COL_ERROR, "wizard %s: %s refused in read-only mode",
		    name, undo ? "undo" : "resume");
		return (-1);
	}
	if (wv_load(name, NULL, &cause) != 0) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
		return (-1);
	}
	free(wv.run_wizard);
	wv.run_wizard = xstrdup(name);
	wv_fields_start();	/* for the result: the domain it started */
	wv_run_start(undo ? WV_UNDO : WV_RESUME, NULL);
	tui_switch(&view_wizard_ops, NULL);
	return (0);
}

const char *
view_wizard_running(void)
{
	if (wv.run_job != 0 && !wv.finished && job_find(wv.run_job) != NULL)
		return (wv.run_wizard);
	return (NULL);
}

/* `:wizard [NAME [--set KEY=VALUE]... [--answers FILE]]` in the console. */
int
view_wizard_command(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct wizard	*w;
	struct wiz_answers	 a;
	char			**sets = NULL, *kv, *cause = NULL;
	const char		*answers = NULL;
	size_t			 i;
	int			 k, rc;

	if (argc < 2) {
		tui_switch(&view_wizard_menu_ops, NULL);
		return (0);
	}
	if ((w = wiz_find(argv[1])) == NULL) {
		cmd_error(ctx, "unknown wizard: %s (:wizard lists them)",
		    argv[1]);
		return (2);
	}
	wiz_answers_init(&a);
	for (k = 2; k < argc; k++) {
		if (strncmp(argv[k], "--answers=", 10) == 0)
			answers = argv[k] + 10;
		else if (strcmp(argv[k], "--answers") == 0 && k + 1 < argc)
			answers = argv[++k];
	}
	if (answers != NULL && cmd_wizard_answers(w, answers, &a,
	    &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		wiz_answers_free(&a);
		return (2);
	}
	for (i = 0; i < a.n; i++) {
		kv = xprintf("%s=%s", a.keys[i], a.values[i]);
		strv_push(&sets, kv);
		free(kv);
	}
	wiz_answers_free(&a);
	for (k = 2; k < argc; k++) {
		if (strncmp(argv[k], "--set=", 6) == 0)
			strv_push(&sets, argv[k] + 6);
		else if (strcmp(argv[k], "--set") == 0 && k + 1 < argc)
			strv_push(&sets, argv[++k]);
		else if (strcmp(argv[k], "--answers") == 0)
			k++;
	}
	rc = 0;
	if (wv_open(argv[1], sets, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		rc = 2;
	}
	strv_free(sets);
	return (rc);
}

static int
wv_enter(const char *arg)
{
	if (wv.w == NULL) {
		tui_status(COL_ERROR, "no wizard open: w lists them");
		return (-1);
	}
	return (0);
}

static void
wv_update(void)
{
	/* A domain the run started may have appeared. */
	if (wv.phase == WV_RUN && wv.finished && wv.status != NULL &&
	    strcmp(wv.status, "done") == 0 && tui.view == &view_wizard_ops)
		wv_buttons_make();
}

static void
wv_free(void)
{
	wv_clear();
	wv_run_clear();
	free(wv.run_wizard);
	wv.run_wizard = NULL;
	wv.w = NULL;
}

const struct view_ops view_wizard_ops = {
	.name = "wizard",
	.title = "Wizard",
	.keys = wizard_keys,
	.free = wv_free,
	.update = wv_update,
	.draw = wv_draw,
	.key = wv_key,
	.enter = wv_enter,
};
