/*
 * The Wizards menu (w, `:wizard`): every wizard in the table, in the
 * guide's order, with its summary; then the runs left half-done
 * (interrupted, failed, undoing) and the one running now, as their
 * journals under plan_statedir() tell them, read again each time the
 * sampler ticks while the menu shows. Enter opens a wizard (its form, or
 * a read-only one's checks) or resumes a run; r resumes, u undoes (after
 * a y/n), both as jobs drawn by the wizard view.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "wizards.h"

static struct {
	struct plan_run	*runs;		/* the half-done and running ones */
	size_t		 nruns;
	char		*error;
	size_t		 sel;		/* wizards first, then runs */
	int		 top;
	int		 height;
} wm;

static int	wm_down(void);
static int	wm_up(void);
static int	wm_open(void);
static int	wm_resume(void);
static int	wm_undo(void);
static int	wm_reload(void);

static const struct view_key menu_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next wizard or run", wm_down },
	{ 'k', KEY_UP, "k, Up", "previous wizard or run", wm_up },
	{ '\r', KEY_ENTER, "Enter", "open the wizard; resume the run",
	    wm_open },
	{ 'r', 0, "r", "resume the run (a job)", wm_resume },
	{ 'u', 0, "u", "undo the run (a job, after a y/n)", wm_undo },
	{ 'R', KEY_F(5), "R, F5", "read the runs again", wm_reload },
	{ 0, 0, NULL, NULL, NULL }
};

static void printflike(2, 3)
wm_addf(struct line_list *l, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	line_list_vadd(l, fmt, ap);
	va_end(ap);
}

static size_t
wm_nwizards(void)
{
	size_t	 n;

	for (n = 0; wiz_table[n] != NULL; n++)
		;
	return (n);
}

/* The runs worth a line: half-done, or running now. */
static void
wm_load(void)
{
	struct plan_run	*all = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL;

	plan_runs_free(wm.runs, wm.nruns);
	wm.runs = NULL;
	wm.nruns = 0;
	free(wm.error);
	wm.error = NULL;
	if (plan_runs(&all, &n, &cause) != 0) {
		wm.error = cause;
		return;
	}
	for (i = 0; i < n; i++) {
		if (!plan_run_is_unfinished(&all[i]) &&
		    strcmp(all[i].state, "running") != 0)
			continue;
		wm.runs = xreallocarray(wm.runs, wm.nruns + 1,
		    sizeof *wm.runs);
		wm.runs[wm.nruns++] = all[i];
		memset(&all[i], 0, sizeof all[i]);
	}
	plan_runs_free(all, n);
	if (wm.sel >= wm_nwizards() + wm.nruns)
		wm.sel = 0;
}

/* The selected run, or NULL (a wizard is selected). */
static const struct plan_run *
wm_run(void)
{
	size_t	 nw = wm_nwizards();

	if (wm.sel < nw || wm.sel - nw >= wm.nruns)
		return (NULL);
	return (&wm.runs[wm.sel - nw]);
}

static int
wm_move(int delta)
{
	size_t	 n = wm_nwizards() + wm.nruns;

	if (delta > 0 && wm.sel + 1 < n)
		wm.sel++;
	else if (delta < 0 && wm.sel > 0)
		wm.sel--;
	return (VIEW_REDRAW);
}

static int
wm_down(void)
{
	return (wm_move(1));
}

static int
wm_up(void)
{
	return (wm_move(-1));
}

static int
wm_reload(void)
{
	wm_load();
	return (VIEW_REDRAW);
}

/* A run the view drives now opens its view; another's is said so. */
static int
wm_running(const struct plan_run *r)
{
	const char	*mine = view_wizard_running();

	if (strcmp(r->state, "running") != 0)
		return (0);
	if (mine != NULL && strcmp(mine, r->wizard) == 0)
		view_wizard_open(r->wizard, NULL);
	else
		tui_status(COL_STATUS, "%s: running in another xendeck: wait "
		    "for it to end", r->id);
	return (1);
}

static int
wm_resume(void)
{
	const struct plan_run	*r = wm_run();

	if (r == NULL)
		return (VIEW_REDRAW);
	if (wm_running(r))
		return (VIEW_REDRAW);
	if (strcmp(r->state, "undoing") == 0) {
		tui_status(COL_ERROR, "%s: an undo of it began: u finishes the "
		    "undo (it cannot be resumed)", r->id);
		return (VIEW_REDRAW);
	}
	view_wizard_run(r->wizard, 0);
	return (VIEW_REDRAW);
}

static void
wm_undo_answered(const char *answer, void *arg)
{
	char	*wizard = arg;

	if (answer != NULL && (strcasecmp(answer, "y") == 0 ||
	    strcasecmp(answer, "yes") == 0))
		view_wizard_run(wizard, 1);
	free(wizard);
}

static int
wm_undo(void)
{
	const struct plan_run	*r = wm_run();
	char			*q;

	if (r == NULL || wm_running(r))
		return (VIEW_REDRAW);
	q = xprintf("Undo %s (%zu of %zu steps done)? Its steps that have "
	    "an undo are walked back, last first (y/n) ", r->id, r->done,
	    r->total);
	prompt_begin(PROMPT_PLAIN, q, NULL, wm_undo_answered, NULL,
	    xstrdup(r->wizard));
	free(q);
	return (VIEW_REDRAW);
}

static int
wm_open(void)
{
	size_t	 nw = wm_nwizards();

	if (wm.sel < nw) {
		view_wizard_open(wiz_table[wm.sel]->name, NULL);
		return (VIEW_REDRAW);
	}
	return (wm_resume());
}

static void
wm_draw(int y, int x, int h, int w)
{
	const struct wizard	*wz;
	const struct plan_run	*r;
	struct line_list	 l = { NULL, 0 };
	char			 when[32];
	size_t			 nw = wm_nwizards(), i, first_run, sel_line;
	int			 width = 0, rows = h - 1, k;
	struct tm		 tm;
	attr_t			 a;

	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, " Wizards: the guide's steps  Enter opens, "
	    "r resumes, u undoes, Esc leaves",
	    theme_attr(COL_HEADER));
	for (i = 0; i < nw; i++) {
		if ((int)strlen(wiz_table[i]->name) > width)
			width = (int)strlen(wiz_table[i]->name);
	}
	/* The wizards, a gap, the runs' heading, the runs. */
	for (i = 0; i < nw; i++) {
		wz = wiz_table[i];
		wm_addf(&l, "  %-*s  %s", width, wz->name, wz->summary);
	}
	wm_addf(&l, "%s", "");
	wm_addf(&l, " Runs left half-done%s", wm.nruns == 0 &&
	    wm.error == NULL ? ": none" : "");
	if (wm.error != NULL)
		wm_addf(&l, "  %s", wm.error);
	first_run = l.n;
	for (i = 0; i < wm.nruns; i++) {
		r = &wm.runs[i];
		localtime_r(&r->updated, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		wm_addf(&l, "  %-*s  %-11s %zu of %zu steps done%s%s%s  %s  %s",
		    width, r->wizard, r->state, r->done, r->total,
		    r->failed_step != NULL ? " (at " : "", r->failed_step !=
		    NULL ? r->failed_step : "", r->failed_step != NULL ? ")" :
		    "", when, r->id);
	}
	sel_line = wm.sel < nw ? wm.sel : first_run + (wm.sel - nw);
	wm.height = rows;
	if ((int)sel_line < wm.top)
		wm.top = (int)sel_line;
	if ((int)sel_line >= wm.top + rows)
		wm.top = (int)sel_line - rows + 1;
	for (k = 0; k < rows && wm.top + k < (int)l.n; k++) {
		i = (size_t)(wm.top + k);
		if (i == sel_line)
			a = theme_attr(COL_SELECTED);
		else if (i == nw + 1)
			a = theme_attr(COL_KEY);
		else if (i >= first_run)
			a = strcmp(wm.runs[i - first_run].state, "running") ==
			    0 ? theme_attr(COL_WARNING) : theme_attr(COL_ERROR);
		else if (i > nw + 1)
			a = theme_attr(COL_ERROR);
		else
			a = A_NORMAL;
		if (i == sel_line) {
			tui_fill(y + 1 + k, x, w, a);
			if (l.line[i][0] == ' ')
				l.line[i][0] = '>';
		}
		tui_draw_text(y + 1 + k, x, w, l.line[i], a);
	}
	line_list_free(&l);
}

static int
wm_key(int ch)
{
	return (view_key_dispatch(menu_keys, ch));
}

static int
wm_enter(const char *arg)
{
	wm_load();
	return (0);
}

/* At the console's start: a run left half-done is said once. */
static void
wm_init(void)
{
	size_t	 i;

	wm_load();
	for (i = 0; i < wm.nruns; i++) {
		if (!plan_run_is_unfinished(&wm.runs[i]))
			continue;
		tui_status(COL_WARNING, "wizard %s: a run is left half-done "
		    "(%s, %zu of %zu steps): w resumes or undoes it",
		    wm.runs[i].wizard, wm.runs[i].state, wm.runs[i].done,
		    wm.runs[i].total);
		break;
	}
}

static void
wm_update(void)
{
	if (tui.view == &view_wizard_menu_ops)
		wm_load();
}

static void
wm_free(void)
{
	plan_runs_free(wm.runs, wm.nruns);
	wm.runs = NULL;
	wm.nruns = 0;
	free(wm.error);
	wm.error = NULL;
}

const struct view_ops view_wizard_menu_ops = {
	.name = "wizards",
	.title = "Wizards",
	.keys = menu_keys,
	.init = wm_init,
	.free = wm_free,
	.update = wm_update,
	.draw = wm_draw,
	.key = wm_key,
	.enter = wm_enter,
};
