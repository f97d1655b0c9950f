/*
 * The Guide view (g, :guide): the Beginners Guide's steps in its order,
 * each with its live status on this host -- done, partly done, not done,
 * not applicable here -- and the evidence in one line; below, the selected
 * step in a few lines: what it does and why, what the guide writes, what
 * is right on Debian 12, on QEMU what it would change on a Xen host, and
 * what Enter does (its wizard, or the console's action).
 *
 * The statuses come from `xendeck guide --json` run as a quiet job
 * (xen-core/guide.c's detectors: cheap reads, but dpkg-query, lvm2 and xl
 * are programs, and the loop never waits for one); what was read last stays
 * on screen meanwhile. They are read again when the view opens (if older
 * than GV_REFRESH_MS), GV_REFRESH_MS after the last read while it is
 * shown, and when any listed job ends (a wizard's run, a create, a
 * destroy: view_guide_stale).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"
#include "wizards.h"

#define GV_REFRESH_MS	30000	/* after the last read ended */

struct gv_step {
	enum guide_status status;
	char		*evidence;
	char		*next;
};

static struct {
	struct gv_step	*steps;		/* guide_nsteps, once read */
	char		*backend;
	int		 have;
	char		*error;
	uint64_t	 when;		/* the last read ended (mono_ms) */
	time_t		 read_at;	/* the last read ended */
	unsigned int	 job;		/* a read under way, or 0 */
	int		 stale;		/* read again when shown */
	int		 again;		/* and again after this one */
	int		 sel;
} gv;

static int	gv_down(void);
static int	gv_up(void);
static int	gv_act(void);
static int	gv_refresh_key(void);

static const struct view_key guide_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next step", gv_down },
	{ 'k', KEY_UP, "k, Up", "previous step", gv_up },
	{ '\r', KEY_ENTER, "Enter", "the step's wizard, or its action",
	    gv_act },
	{ 'r', 0, "r", "read the host again", gv_refresh_key },
	{ 0, 0, NULL, NULL, NULL }
};

static void	gv_refresh(void);

static void
gv_clear(void)
{
	size_t	 i;

	for (i = 0; gv.steps != NULL && i < guide_nsteps; i++) {
		free(gv.steps[i].evidence);
		free(gv.steps[i].next);
	}
	free(gv.steps);
	gv.steps = NULL;
	free(gv.backend);
	gv.backend = NULL;
	gv.have = 0;
}

/* `guide --json` into the view's steps, in the table's order. */
static int
gv_parse(const char *text, char **cause)
{
	json_t		*o, *a, *e;
	json_error_t	 err;
	const char	*id, *st, *s;
	size_t		 i, k;
	enum guide_status status;

	if ((o = json_loads(text, 0, &err)) == NULL || !json_is_object(o)) {
		*cause = xprintf("guide --json: line %d: %s", err.line,
		    err.text);
		json_decref(o);
		return (-1);
	}
	gv_clear();
	gv.steps = xcalloc(guide_nsteps, sizeof *gv.steps);
	for (i = 0; i < guide_nsteps; i++)
		gv.steps[i].evidence = xstrdup("(not read)");
	if ((s = json_string_value(json_object_get(o, "backend"))) != NULL)
		gv.backend = xstrdup(s);
	a = json_object_get(o, "steps");
	json_array_foreach(a, k, e) {
		id = json_string_value(json_object_get(e, "id"));
		st = json_string_value(json_object_get(e, "status"));
		for (i = 0; id != NULL && i < guide_nsteps; i++) {
			if (strcmp(guide_steps[i].id, id) == 0)
				break;
		}
		if (id == NULL || i == guide_nsteps || st == NULL ||
		    guide_status_parse(st, &status) != 0)
			continue;
		gv.steps[i].status = status;
		free(gv.steps[i].evidence);
		s = json_string_value(json_object_get(e, "evidence"));
		gv.steps[i].evidence = xstrdup(s != NULL ? s : "");
		s = json_string_value(json_object_get(e, "next"));
		gv.steps[i].next = s != NULL ? xstrdup(s) : NULL;
	}
	json_decref(o);
	gv.have = 1;
	return (0);
}

static void
gv_done(struct job *j, void *arg)
{
	char	*cause = NULL;

	gv.job = 0;
	gv.read_at = time(NULL);
	gv.when = mono_ms();
	free(gv.error);
	gv.error = NULL;
	if (job_state(j) != JOB_DONE)
		gv.error = xprintf("the guide's facts: %s", job_error(j) !=
		    NULL ? job_error(j) : "not read");
	else if (gv_parse(job_stdout(j, NULL), &cause) != 0)
		gv.error = cause;
	if (tui.view == &view_guide_ops)
		tui.redraw = 1;
	if (gv.again) {
		gv.again = 0;
		gv_refresh();
	}
}

/* Read the host again, unless a read is under way (then once more). */
static void
gv_refresh(void)
{
	char		*argv[] = { "xendeck", "guide", "--json", NULL };
	char		*cause = NULL;
	struct job	*j;

	if (gv.job != 0 && job_find(gv.job) != NULL) {
		gv.again = 1;
		return;
	}
	gv.stale = 0;
	j = job_run("guide", argv, JOB_QUIET, NULL, gv_done, NULL, &cause);
	if (j == NULL) {
		free(gv.error);
		gv.error = cause;
		return;
	}
	gv.job = job_id(j);
	tui.redraw = 1;
}

/* Something changed the host (a job ended): read it again when shown. */
void
view_guide_stale(void)
{
	if (tui.view == &view_guide_ops)
		gv_refresh();
	else
		gv.stale = 1;
}

/* Open the view, on STEP (an id; NULL: where it was). */
void
view_guide_open(const char *step)
{
	size_t	 i;

	for (i = 0; step != NULL && i < guide_nsteps; i++) {
		if (strcmp(guide_steps[i].id, step) == 0)
			gv.sel = (int)i;
	}
	tui_switch(&view_guide_ops, NULL);
}

static int
gv_enter(const char *arg)
{
	if (gv.stale)
		gv_refresh();	/* after the one under way, if any */
	else if (gv.job == 0 && (!gv.have || mono_ms() - gv.when >
	    GV_REFRESH_MS))
		gv_refresh();
	return (0);
}

static void
gv_update(void)
{
	if (tui.view == &view_guide_ops && gv.job == 0 && mono_ms() -
	    gv.when > GV_REFRESH_MS)
		gv_refresh();
}

static void
gv_free(void)
{
	gv_clear();
	free(gv.error);
	memset(&gv, 0, sizeof gv);
}

static int
gv_down(void)
{
	if (gv.sel + 1 < (int)guide_nsteps)
		gv.sel++;
	return (VIEW_REDRAW);
}

static int
gv_up(void)
{
	if (gv.sel > 0)
		gv.sel--;
	return (VIEW_REDRAW);
}

static int
gv_refresh_key(void)
{
	gv_refresh();
	return (VIEW_REDRAW);
}

/*
 * Enter: the step's wizard in the wizard view (a read-only one's checks,
 * another's form, plan and apply), or the console's action.
 */
static int
gv_act(void)
{
	const struct guide_step	*s = &guide_steps[gv.sel];
	const struct wizard	*w;

	if (gv.have && gv.steps[gv.sel].status == GUIDE_NA) {
		/* Short: the status line is one line of 80 columns. */
		tui_status(COL_WARNING, "step %d n/a here%s%s", gv.sel + 1,
		    gv.steps[gv.sel].next != NULL ? ": " : "",
		    gv.steps[gv.sel].next != NULL ? gv.steps[gv.sel].next :
		    "");
		return (VIEW_REDRAW);
	}
	if (s->wizard == NULL) {
		tui_switch(&view_domains_ops, tui.selected);
		tui_status(COL_STATUS, "Domains = xl list: c console, s "
		    "shutdown, D destroy; 2 xl top, 3 xl info");
		return (VIEW_REDRAW);
	}
	if ((w = wiz_find(s->wizard)) == NULL) {
		tui_status(COL_WARNING, "the %s wizard is not in this xendeck "
		    "yet: the guide's commands do it by hand", s->wizard);
		return (VIEW_REDRAW);
	}
	view_wizard_open(w->name, NULL);
	return (VIEW_REDRAW);
}

static attr_t
gv_attr(enum guide_status s)
{
	switch (s) {
	case GUIDE_DONE:
		return (theme_attr(COL_OK));
	case GUIDE_PARTLY:
		return (theme_attr(COL_WARNING));
	case GUIDE_TODO:
		return (theme_attr(COL_KEY));
	case GUIDE_NA:
		return (theme_attr(COL_DIM));
	}
	return (A_NORMAL);
}

/*
 * A labelled block of lines, a line wider than the room wrapped (at 80
 * columns too every word shows); returns the rows used.
 */
static int
gv_block(int y, int x, int rows, int w, const char *label, const char *text,
    attr_t a)
{
	struct line_list	 l = { NULL, 0 };
	size_t			 i;
	int			 n = 0;

	line_list_split_wrapped(&l, text, w - 16);
	for (i = 0; i < l.n && n < rows; i++) {
		if (n == 0)
			tui_draw_text(y, x, 14, label, theme_attr(COL_KEY));
		tui_draw_text(y + n, x + 15, w - 16, l.line[i], a);
		n++;
	}
	line_list_free(&l);
	return (n);
}

static void
gv_draw(int y, int x, int h, int w)
{
	const struct guide_step	*s;
	const struct gv_step	*g;
	struct tm		 tm;
	char			 when[16], *line, *offer;
	int			 row, i, sel, used, qemu;

	tui_fill(y, x, w, theme_attr(COL_HEADER));
	*when = '\0';
	if (gv.have) {
		localtime_r(&gv.read_at, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	}
	line = xprintf(" Guide: the Xen Project Beginners Guide on this host"
	    "%s%s%s   %s%s%s", gv.backend != NULL ? " (" : "", gv.backend !=
	    NULL ? gv.backend : "", gv.backend != NULL ? " backend)" : "",
	    gv.have ? "as of " : "", when, gv.have && gv.job != 0 ?
	    " (reading again...)" : "");
	if ((int)strlen(line) > w) {
		/* 80 columns: the time of the facts, not the backend. */
		free(line);
		line = xprintf(" Guide: the Xen Project Beginners Guide on "
		    "this host  %s%s%s", gv.have ? "as of " : "", when,
		    gv.have && gv.job != 0 ? " (reading...)" : "");
	}
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	free(line);
	if (!gv.have) {
		tui_draw_text(y + 2, x + 1, w - 2, gv.error != NULL ?
		    gv.error : "reading this host's facts...", gv.error !=
		    NULL ? theme_attr(COL_ERROR) : theme_attr(COL_DIM));
		return;
	}
	row = y + 1;
	if (gv.error != NULL)
		tui_draw_text(row++, x + 1, w - 2, gv.error,
		    theme_attr(COL_ERROR));
	for (i = 0; i < (int)guide_nsteps && row + 1 < y + h; i++) {
		s = &guide_steps[i];
		g = &gv.steps[i];
		sel = i == gv.sel;
		if (sel)
			tui_fill(row, x, w, theme_attr(COL_SELECTED));
		line = xprintf("%d", i + 1);
		tui_draw_text(row, x + 1, 2, line, sel ?
		    theme_attr(COL_SELECTED) : A_NORMAL);
		free(line);
		tui_draw_text(row, x + 4, 12, cmd_guide_status_text(g->status),
		    sel ? theme_attr(COL_SELECTED) : gv_attr(g->status));
		tui_draw_text(row, x + 17, w - 18, s->title, sel ?
		    theme_attr(COL_SELECTED) : A_BOLD);
		row++;
		tui_draw_text(row++, x + 17, w - 18, g->evidence,
		    theme_attr(COL_DIM));
	}
	/* The selected step in full, in what room is left. */
	s = &guide_steps[gv.sel];
	g = &gv.steps[gv.sel];
	row++;
	if (row >= y + h)
		return;
	tui_fill(row, x, w, theme_attr(COL_BORDER));
	line = xprintf(" %d. %s: %s", gv.sel + 1, s->title,
	    cmd_guide_status_text(g->status));
	tui_draw_text(row++, x, w, line, theme_attr(COL_BORDER));
	free(line);
	qemu = gv.backend != NULL && strcmp(gv.backend, "qemu") == 0;
	/* The list cuts the evidence at 80 columns: here it is whole. */
	if (g->evidence != NULL && *g->evidence != '\0' &&
	    (int)strlen(g->evidence) > w - 18)
		row += gv_block(row, x + 1, y + h - row, w - 1,
		    "On this host", g->evidence, theme_attr(COL_DIM));
	used = gv_block(row, x + 1, y + h - row, w - 1, "What and why",
	    s->about, A_NORMAL);
	row += used;
	row += gv_block(row, x + 1, y + h - row, w - 1, "The guide",
	    s->guide, A_NORMAL);
	if (s->debian != NULL)
		row += gv_block(row, x + 1, y + h - row, w - 1,
		    "On Debian 12", s->debian, A_NORMAL);
	if (s->on_qemu != NULL && qemu)
		row += gv_block(row, x + 1, y + h - row, w - 1, "On QEMU",
		    s->on_qemu, theme_attr(COL_WARNING));
	if (g->next != NULL)
		row += gv_block(row, x + 1, y + h - row, w - 1, "Next",
		    g->next, A_NORMAL);
	offer = cmd_guide_offer(s);
	line = xprintf("%s", offer);
	row += gv_block(row, x + 1, y + h - row, w - 1, "Enter", line,
	    theme_attr(COL_OK));
	free(line);
	free(offer);
}

static int
gv_key(int ch)
{
	return (view_key_dispatch(guide_keys, ch));
}

static int
gv_mouse(int y, int x, mmask_t m)
{
	int	 i = (y - 1) / 2;

	if (!(m & (BUTTON1_CLICKED | BUTTON1_PRESSED)) || y < 1 ||
	    i >= (int)guide_nsteps)
		return (0);
	gv.sel = i;
	return (VIEW_REDRAW);
}

const struct view_ops view_guide_ops = {
	.name = "guide",
	.title = "Guide",
	.hotkey = 'g',
	.keys = guide_keys,
	.free = gv_free,
	.update = gv_update,
	.draw = gv_draw,
	.key = gv_key,
	.mouse = gv_mouse,
	.enter = gv_enter,
};
