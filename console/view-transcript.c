/*
 * The Transcript view (T, :transcript): every action of this session --
 * the console's commands, its wizards' steps, the views that show what an
 * xl command shows -- as the command a person would type for it (xen-core's
 * transcript.c), newest last, with its time and outcome. On the QEMU
 * backend a domain action shows the xendeck command that ran it beside the
 * xl command it equals. Enter shows an entry whole, E writes the session
 * as a sh script (also `:transcript -o FILE`).
 *
 * Where the entries come from: tui.c tells view_transcript_begin() and
 * _end() about every command run through the table (at once, or when its
 * job ends) and view_transcript_view() about the views it opens; job.c's
 * line hook hands every job's lines to view_transcript_job_line(), which
 * reads the events of the wizard runs among them, whoever started them
 * (the ':' prompt, the wizard view, another view). Finished entries are
 * appended to the transcript log in the console's state dir, where the
 * Guide reads which everyday commands were used on this host.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

#define VTR_LOG "transcript.jsonl"

/* A wizard job whose events are being read. */
struct vtr_job {
	unsigned int	 id;
	struct tr_wizard w;
};

static struct {
	struct transcript t;
	int		  inited;
	struct vtr_job	 *jobs;
	size_t		  njobs;
	char		**seen;		/* views recorded this session */
	int		  sel, top, height;
	int		  follow;	/* the newest entry stays selected */
} vt;

static int	vt_down(void);
static int	vt_up(void);
static int	vt_pgdown(void);
static int	vt_pgup(void);
static int	vt_home(void);
static int	vt_end(void);
static int	vt_show(void);
static int	vt_write(void);

static const struct view_key transcript_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next entry", vt_down },
	{ 'k', KEY_UP, "k, Up", "previous entry", vt_up },
	{ ' ', KEY_NPAGE, "Space, PgDn", "page down", vt_pgdown },
	{ 'b', KEY_PPAGE, "b, PgUp", "page up", vt_pgup },
	{ KEY_HOME, 0, "Home", "the oldest", vt_home },
	{ 'G', KEY_END, "G, End", "the newest (and follow new ones)",
	    vt_end },
	{ '\r', KEY_ENTER, "Enter", "the entry in full", vt_show },
	{ 'E', 0, "E", "export the session as a sh script", vt_write },
	{ 0, 0, NULL, NULL, NULL }
};

static void
vt_init(void)
{
	if (vt.inited)
		return;
	transcript_init(&vt.t);
	vt.follow = 1;
	vt.inited = 1;
}

static const char *
vt_backend(void)
{
	return (tui.be != NULL ? tui.be->name : NULL);
}

/* The log, in the console's state dir (NULL: none). */
char *
view_transcript_log_path(void)
{
	return (tui_state_path(VTR_LOG));
}

/* A finished entry goes to the log. */
static void
vt_log(const struct tr_entry *e)
{
	char	*path, *cause = NULL;

	if ((path = view_transcript_log_path()) == NULL)
		return;
	if (transcript_log_append(path, e, &cause) != 0) {
		log_warn("transcript: %s", cause);
		free(cause);
	}
	free(path);
}

static void
vt_added(void)
{
	if (vt.follow)
		vt.sel = (int)vt.t.n - 1;
	if (tui.view == &view_transcript_ops)
		tui.redraw = 1;
}

/*
 * A command from the table begins (argv[0] its full name): as a job
 * (running until view_transcript_end), or one that has ended already
 * (end it at once). Returns its entry, or -1 when it is not an action.
 */
long
view_transcript_begin(char *const *argv)
{
	struct tr_entry	 e;
	char		*cwd, *xendeck = NULL;
	int		 flags;
	size_t		 i;

	vt_init();
	memset(&e, 0, sizeof e);
	cwd = getcwd(NULL, 0);
	e.command = transcript_command(argv, cwd, &xendeck, &flags);
	free(cwd);
	if (e.command == NULL)
		return (-1);
	e.when = time(NULL);
	e.kind = TR_COMMAND;
	e.ran = xendeck;
	if (flags & TR_XL)
		e.backend = (char *)vt_backend();
	e.interactive = (flags & TR_INTERACTIVE) != 0;
	e.outcome = "running";
	i = transcript_add(&vt.t, &e);
	free(e.command);
	free(xendeck);
	vt_added();
	return ((long)i);
}

/* Its end: ok (or not, with why), after ms milliseconds. */
void
view_transcript_end(long i, const char *outcome, const char *detail,
    uint64_t ms)
{
	struct tr_entry	*e;

	if (i < 0 || (size_t)i >= vt.t.n)
		return;
	e = &vt.t.v[i];
	transcript_set_outcome(e, outcome, detail != NULL ? detail : "");
	e->ms = ms;
	vt_log(e);
	if (tui.view == &view_transcript_ops)
		tui.redraw = 1;
}

/* Entry I's xl command, when it is one (else NULL). */
const char *
view_transcript_xl(long i)
{
	if (i < 0 || (size_t)i >= vt.t.n || vt.t.v[i].ran == NULL)
		return (NULL);
	return (vt.t.v[i].command);
}

/*
 * A view opened on its own (not through a command): the ones that show
 * what an xl command shows are kept, the listing ones once a session.
 */
void
view_transcript_view(const struct view_ops *v, const char *dom)
{
	struct tr_entry	 e;
	const char	*xl = NULL;
	char		*key;
	size_t		 i;
	int		 once = 1;

	vt_init();
	memset(&e, 0, sizeof e);
	if (v == &view_domains_ops)
		xl = "xl list";
	else if (v == &view_top_ops)
		xl = "xl top";
	else if (v == &view_host_ops)
		xl = "xl info";
	else if (v == &view_serial_ops && dom != NULL) {
		xl = "xl console";
		once = 0;
	} else if (v == &view_vnc_ops && dom != NULL) {
		xl = "xl vncviewer";
		once = 0;
	}
	if (xl == NULL)
		return;
	key = xstrdup(xl);
	for (i = 0; once && vt.seen != NULL && vt.seen[i] != NULL; i++) {
		if (strcmp(vt.seen[i], key) == 0) {
			free(key);
			return;
		}
	}
	if (once)
		strv_push(&vt.seen, key);
	free(key);
	e.when = time(NULL);
	e.kind = TR_VIEW;
	e.command = once ? xstrdup(xl) : xprintf("%s %s", xl, dom);
	e.ran = once ? NULL : xprintf("xendeck %s %s", v == &view_vnc_ops ?
	    "vnc" : "console", dom);
	e.backend = e.ran != NULL ? (char *)vt_backend() : NULL;
	e.title = xprintf("the %s view", v->title);
	e.outcome = "ok";
	e.interactive = 1;
	i = transcript_add(&vt.t, &e);
	free(e.command);
	free(e.ran);
	free(e.title);
	vt_log(&vt.t.v[i]);
	vt_added();
}

static struct vtr_job *
vt_job_find(unsigned int id)
{
	size_t	 i;

	for (i = 0; i < vt.njobs; i++) {
		if (vt.jobs[i].id == id)
			return (&vt.jobs[i]);
	}
	return (NULL);
}

/* Whether a job is a wizard's run (apply, resume, undo) of this binary. */
static int
vt_is_wizard_run(char *const *argv)
{
	size_t	 i, n = strv_len(argv);
	int	 wizard = 0, runs = 0;

	if (n == 0 || strcmp(argv[0], "xendeck") != 0)
		return (0);
	for (i = 1; i < n; i++) {
		if (strcmp(argv[i], "wizard") == 0)
			wizard = 1;
		if (strcmp(argv[i], "--apply") == 0 ||
		    strcmp(argv[i], "--resume") == 0 ||
		    strcmp(argv[i], "--undo") == 0)
			runs = 1;
	}
	return (wizard && runs);
}

/* job.c's line hook: every line of every job. */
void
view_transcript_job_line(struct job *j, int stream, const char *line)
{
	struct vtr_job	*vj;
	size_t		 n, open;

	vt_init();
	if ((vj = vt_job_find(job_id(j))) == NULL) {
		if (!vt_is_wizard_run(job_argv(j)))
			return;
		vt.jobs = xreallocarray(vt.jobs, vt.njobs + 1,
		    sizeof *vt.jobs);
		vj = &vt.jobs[vt.njobs++];
		vj->id = job_id(j);
		transcript_wizard_init(&vj->w, job_argv(j), vt_backend());
	}
	n = vt.t.n;
	open = vj->w.open;
	transcript_wizard_line(&vj->w, &vt.t, stream, line);
	/* A step that ended goes to the log. */
	if (open != (size_t)-1 && vj->w.open != open && open < vt.t.n)
		vt_log(&vt.t.v[open]);
	if (vt.t.n != n)
		vt_added();
	else if (tui.view == &view_transcript_ops)
		tui.redraw = 1;
	/* Its result came: nothing more to read of it. */
	if (vj->w.done && vj->w.open == (size_t)-1) {
		transcript_wizard_free(&vj->w);
		*vj = vt.jobs[--vt.njobs];
	}
}

/* A job has ended: a wizard's step left open did not finish. */
void
view_transcript_job_end(struct job *j)
{
	struct vtr_job	*vj;
	size_t		 open;

	if ((vj = vt_job_find(job_id(j))) == NULL)
		return;
	open = vj->w.open;
	transcript_wizard_end(&vj->w, &vt.t, job_state(j) ==
	    JOB_CANCELLED ? "cancelled" : job_error(j) != NULL ?
	    job_error(j) : "its job ended");
	if (open != (size_t)-1 && open < vt.t.n)
		vt_log(&vt.t.v[open]);
	transcript_wizard_free(&vj->w);
	*vj = vt.jobs[--vt.njobs];
	tui.redraw = 1;
}

/* The session as a script, to PATH; -1 with *cause. */
int
view_transcript_export(const char *path, char **cause)
{
	char	*text;
	int	 rc;

	vt_init();
	text = transcript_export(&vt.t, tui.sampler.have_host ?
	    tui.sampler.host.hostname : NULL);
	rc = file_write_atomic(path, text, strlen(text), 0755, 0, cause);
	free(text);
	return (rc);
}

static void
vt_free(void)
{
	size_t	 i;

	for (i = 0; i < vt.njobs; i++)
		transcript_wizard_free(&vt.jobs[i].w);
	free(vt.jobs);
	transcript_free(&vt.t);
	strv_free(vt.seen);
	memset(&vt, 0, sizeof vt);
}

static void
vt_clamp(void)
{
	if (vt.sel >= (int)vt.t.n)
		vt.sel = (int)vt.t.n - 1;
	if (vt.sel < 0)
		vt.sel = 0;
	if (vt.height < 1)
		vt.height = 1;
	if (vt.sel < vt.top)
		vt.top = vt.sel;
	if (vt.sel >= vt.top + vt.height)
		vt.top = vt.sel - vt.height + 1;
	if (vt.top < 0)
		vt.top = 0;
	vt.follow = vt.t.n == 0 || vt.sel == (int)vt.t.n - 1;
}

static int
vt_move(int by)
{
	vt.sel += by;
	vt_clamp();
	return (VIEW_REDRAW);
}

static int vt_down(void) { return (vt_move(1)); }
static int vt_up(void) { return (vt_move(-1)); }
static int vt_pgdown(void) { return (vt_move(vt.height)); }
static int vt_pgup(void) { return (vt_move(-vt.height)); }
static int vt_home(void) { return (vt_move(-(int)vt.t.n)); }
static int vt_end(void) { return (vt_move((int)vt.t.n)); }

/* The slot an outcome is drawn in. */
static attr_t
vt_attr(const struct tr_entry *e)
{
	if (strcmp(e->outcome, "ok") == 0)
		return (theme_attr(COL_OK));
	if (strcmp(e->outcome, "running") == 0)
		return (theme_attr(COL_WARNING));
	if (strcmp(e->outcome, "skipped") == 0 ||
	    strcmp(e->outcome, "undone") == 0)
		return (theme_attr(COL_DIM));
	return (theme_attr(COL_ERROR));
}

static void
vt_draw(int y, int x, int h, int w)
{
	const struct tr_entry	*e;
	struct tm		 tm;
	char			 when[16], *line, *note;
	int			 i, row, cw = 0, len;

	vt_init();
	vt.height = h - 2;
	vt_clamp();
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	line = xprintf(" Transcript: %zu action%s this session, as commands "
	    "to type  (E exports a script)", vt.t.n,
	    vt.t.n == 1 ? "" : "s");
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	free(line);
	if (vt.t.n == 0) {
		tui_draw_text(y + 2, x + 1, w - 2, "Nothing done yet. Every "
		    "action of the console and of its wizards shows here as "
		    "the command it equals (xl create, xl shutdown, lvcreate, "
		    "apt-get ...).", theme_attr(COL_DIM));
		return;
	}
	/* The commands in a column, their notes after it. */
	for (i = 0; i < vt.height && vt.top + i < (int)vt.t.n; i++) {
		e = &vt.t.v[vt.top + i];
		len = (int)strlen(e->command) + (e->kind == TR_STEP ? 2 : 0);
		if (len > cw)
			cw = len;
	}
	if (cw > (w - 23) * 3 / 5)
		cw = (w - 23) * 3 / 5;
	for (i = 0; i < vt.height && vt.top + i < (int)vt.t.n; i++) {
		e = &vt.t.v[vt.top + i];
		row = y + 1 + i;
		localtime_r(&e->when, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		if (vt.top + i == vt.sel)
			tui_fill(row, x, w, theme_attr(COL_SELECTED));
		tui_draw_text(row, x + 1, 8, when, vt.top + i == vt.sel ?
		    theme_attr(COL_SELECTED) : theme_attr(COL_DIM));
		tui_draw_text(row, x + 10, 11, e->outcome,
		    vt.top + i == vt.sel ? theme_attr(COL_SELECTED) :
		    vt_attr(e));
		if (e->kind == TR_STEP)
			note = xprintf("wizard %s%s %d/%d", e->wizard != NULL ?
			    e->wizard : "?", e->undo ? " undo" : "", e->step,
			    e->total);
		else if (e->ran != NULL && e->backend != NULL &&
		    strcmp(e->backend, "xl") != 0)
			note = xprintf("on %s: %s", strcmp(e->backend,
			    "qemu") == 0 ? "QEMU" : e->backend, e->ran);
		else if (e->kind == TR_VIEW && e->title != NULL)
			note = xstrdup(e->title);
		else
			note = NULL;
		len = (int)strlen(e->command) + (e->kind == TR_STEP ? 2 : 0);
		line = xprintf("%s%s%*s%s%s", e->kind == TR_STEP ? "  " : "",
		    e->command, note != NULL && len < cw ? cw - len : 0, "",
		    note != NULL ? "  # " : "", note != NULL ? note : "");
		tui_draw_text(row, x + 22, w - 23, line, vt.top + i ==
		    vt.sel ? theme_attr(COL_SELECTED) : A_NORMAL);
		free(line);
		free(note);
	}
}

/* Enter: the entry whole, in the pager. */
static int
vt_show(void)
{
	const struct tr_entry	*e;
	struct strbuf		 b = { 0 };
	struct tm		 tm;
	char			 when[64];

	if (vt.t.n == 0)
		return (VIEW_REDRAW);
	e = &vt.t.v[vt.sel];
	localtime_r(&e->when, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	strbuf_printf(&b, "command:  %s\n", e->command);
	if (e->ran != NULL)
		strbuf_printf(&b, "ran:      %s%s%s\n", e->ran, e->backend !=
		    NULL ? " (backend " : "", e->backend != NULL ? e->backend :
		    "");
	if (e->ran != NULL && e->backend != NULL)
		strbuf_printf(&b, ")\n");
	strbuf_printf(&b, "when:     %s", when);
	if (e->ms > 0)
		strbuf_printf(&b, ", took %.1f s", e->ms / 1000.0);
	strbuf_printf(&b, "\noutcome:  %s\n", e->outcome);
	if (e->detail != NULL)
		strbuf_printf(&b, "detail:   %s\n", e->detail);
	if (e->kind == TR_STEP)
		strbuf_printf(&b, "wizard:   %s%s, step %d of %d: %s\n",
		    e->wizard != NULL ? e->wizard : "?", e->undo ? " (undo)" :
		    "", e->step, e->total, e->title != NULL ? e->title : "");
	if (e->kind == TR_VIEW && e->title != NULL)
		strbuf_printf(&b, "shown by: %s\n", e->title);
	if (e->interactive)
		strbuf_printf(&b, "\nIt takes a terminal: a comment in the "
		    "exported script.\n");
	pager_show("Transcript entry", b.s);
	free(b.s);
	return (VIEW_REDRAW);
}

static void
vt_write_done(const char *path, void *arg)
{
	char	*p, *cause = NULL;
	size_t	 n;

	if (path == NULL)
		return;
	p = xstrdup(path + strspn(path, " \t"));
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	if (*p == '\0')
		;
	else if (view_transcript_export(p, &cause) != 0) {
		tui_status(COL_ERROR, "transcript: %s", cause);
		free(cause);
	} else
		tui_status(COL_OK, "transcript: %zu action%s written to %s",
		    vt.t.n, vt.t.n == 1 ? "" : "s", p);
	free(p);
}

/* E: write the session as a script, to a file asked for. */
static int
vt_write(void)
{
	prompt_begin(PROMPT_FILE, "write the transcript as a sh script to: ",
	    NULL, vt_write_done, NULL, NULL);
	return (VIEW_REDRAW);
}

static void
vt_resize(int lines, int cols)
{
	vt.height = lines - 2;
}

static int
vt_key(int ch)
{
	return (view_key_dispatch(transcript_keys, ch));
}

const struct view_ops view_transcript_ops = {
	.name = "transcript",
	.title = "Transcript",
	.keys = transcript_keys,
	.free = vt_free,
	.resize = vt_resize,
	.draw = vt_draw,
	.key = vt_key,
};
