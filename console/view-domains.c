/*
 * The Domains view: xl list's columns with cpu% and a sparkline of the
 * last minute, and the lifecycle actions on the selected domain. Every
 * action runs a command from the table (tui_run), never the backend
 * directly, so --read-only and the CLI's checks apply. A graceful shutdown
 * is followed with a countdown; when it runs out the view offers a forced
 * shutdown or a destroy.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

static struct dlist	 list;

/* Shutdowns in flight, for the countdown. */
struct pending {
	char		 name[NAME_MAX_LEN + 1];
	int		 domid;
	uint64_t	 deadline;	/* mono_ms() */
	int		 offered;
};
static struct pending	*pending;
static size_t		 npending;

static int	dv_detail(void);
static int	dv_console(void);
static int	dv_vnc(void);
static int	dv_create(void);
static int	dv_shutdown(void);
static int	dv_force(void);
static int	dv_reboot(void);
static int	dv_destroy(void);
static int	dv_pause(void);
static int	dv_filter(void);
static int	dv_cd_eject(void);
static int	dv_cd_insert(void);

static const struct view_key domains_keys[] = {
	{ 0, 0, "j k, arrows", "move; PgUp PgDn g G page, first, last",
	    NULL },
	{ '\r', KEY_ENTER, "Enter", "the domain's details", dv_detail },
	{ 'c', 0, "c", "serial console (ctrl+] leaves)", dv_console },
	{ 'v', 0, "v", "VNC: the screen of an HVM domain", dv_vnc },
	{ 'n', 0, "n", "create a domain from an xl.cfg file", dv_create },
	{ 's', 0, "s", "shut down gracefully (then F or D offered)",
	    dv_shutdown },
	{ 'F', 0, "F", "force the shutdown (xl shutdown -F)", dv_force },
	{ 'r', 0, "r", "reboot", dv_reboot },
	{ 'D', KEY_DC, "D, Delete", "destroy (type the name to confirm)",
	    dv_destroy },
	{ 'p', 0, "p", "pause or unpause", dv_pause },
	{ 'e', 0, "e", "eject the CD of an HVM domain (cd-eject)",
	    dv_cd_eject },
	{ 'i', 0, "i", "insert an ISO into its CD drive: pick one "
	    "(cd-insert)", dv_cd_insert },
	{ '/', 0, "/", "filter by name", dv_filter },
	{ 0, 0, NULL, NULL, NULL }
};

static void
dv_init(void)
{
	list.cmp = col_table[COL_ID].cmp;
}

static void
dv_free(void)
{
	dlist_free(&list);
	free(pending);
	pending = NULL;
	npending = 0;
}

static void
dv_resize(int lines, int cols)
{
	list.height = lines - 1;
}

static void
pending_remove(size_t i)
{
	memmove(&pending[i], &pending[i + 1],
	    (npending - i - 1) * sizeof *pending);
	npending--;
}

/* Follow shutdowns: gone means done; too long means offer force. */
static void
dv_update(void)
{
	struct dom_row	*r;
	uint64_t	 now = mono_ms();
	size_t		 i;

	dlist_rebuild(&list);
	for (i = 0; i < npending; i++) {
		r = sampler_find(&tui.sampler, pending[i].name);
		if (r == NULL || r->s.info.domid != pending[i].domid) {
			tui_status(COL_OK, "%s has shut down",
			    pending[i].name);
			pending_remove(i--);
			continue;
		}
		if (now < pending[i].deadline) {
			tui_status(COL_STATUS, "shutting down %s: %d s left "
			    "before F (force) or D (destroy) are offered",
			    pending[i].name,
			    (int)((pending[i].deadline - now + 999) / 1000));
		} else if (!pending[i].offered) {
			pending[i].offered = 1;
			tui_status(COL_ERROR, "%s is still running after %d s: "
			    "F forces the shutdown, D destroys it",
			    pending[i].name, tui.config.shutdown_timeout);
		}
	}
}

static int
dv_enter(const char *arg)
{
	dlist_rebuild(&list);
	return (0);
}

static void
dv_draw(int y, int x, int h, int w)
{
	struct dom_row	*r;
	char		 line[256], st[7], cpu[16];
	float		 hist[SAMPLER_HISTORY];
	size_t		 n;
	int		 i, namew, sparkx, sparkw, guests;
	attr_t		 a;
	double		 max;

	list.height = h - 1;
	namew = w >= 100 ? 24 : 16;
	snprintf(line, sizeof line, "%-*s %5s %7s %5s %6s %9s %6s  %s",
	    namew, "Name", "ID", "Mem", "VCPUs", "State", "Time(s)", "CPU%",
	    "CPU, last minute");
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	sparkx = x + namew + 46;
	sparkw = w - (namew + 46) - 1;
	if (tui.be == NULL) {
		tui_draw_text(y + 2, x + 1, w - 2, tui.be_error,
		    theme_attr(COL_ERROR));
		return;
	}
	for (i = 0, guests = 0; i < (int)list.n; i++)
		guests += list.rows[i]->s.info.domid != 0;
	if (guests == 0 && h > (int)list.n + 3) {
		tui_draw_text(y + 2 + (int)list.n, x + 1, w - 2,
		    list.filter != NULL && *list.filter != '\0' ?
		    "no domain matches the filter" :
		    "no domains yet: n creates one from an xl.cfg file",
		    theme_attr(COL_DIM));
	}
	for (i = 0; i < h - 1 && list.top + i < (int)list.n; i++) {
		r = list.rows[list.top + i];
		if (col_format(&col_table[COL_CPU_PCT], r, cpu,
		    sizeof cpu) != NULL)
			snprintf(cpu, sizeof cpu, "-");
		snprintf(line, sizeof line, "%-*.*s %5d %7llu %5d %6s %9.1f "
		    "%6s", namew, namew, r->s.info.name, r->s.info.domid,
		    r->s.info.mem_kb == STAT_NONE ? 0ULL :
		    (unsigned long long)(r->s.info.mem_kb / 1024),
		    r->s.info.vcpus, dom_state_string(r->s.info.state, st),
		    r->s.info.cpu_ns == STAT_NONE ? 0.0 :
		    (double)r->s.info.cpu_ns / 1e9, cpu);
		a = list.top + i == list.sel ? theme_attr(COL_SELECTED) :
		    theme_dom_attr(r->s.info.state);
		if (list.top + i == list.sel)
			tui_fill(y + 1 + i, x, w, a);
		tui_draw_text(y + 1 + i, x, w, line, a);
		if (sparkw > 4) {
			n = sampler_history(r, mono_us(), hist, (size_t)sparkw);
			max = 100;
			while (n > 0 && max < 100.0 * r->s.info.vcpus) {
				size_t	 k;
				int	 over = 0;

				for (k = 0; k < n; k++)
					over |= hist[k] > max;
				if (!over)
					break;
				max += 100;
			}
			tui_sparkline(y + 1 + i, sparkx, sparkw, hist, n, max);
		}
	}
}

/* The selected domain, or NULL with a word on the status line. */
static const char *
target(int allow_host)
{
	struct dom_row	*r = dlist_selected(&list);

	if (r == NULL) {
		tui_status(COL_ERROR, "no domain selected");
		return (NULL);
	}
	if (r->s.info.domid == 0 && !allow_host) {
		tui_status(COL_ERROR, "Domain-0 is the host itself");
		return (NULL);
	}
	return (r->s.info.name);
}

static int
dv_detail(void)
{
	const char	*name = target(1);

	if (name != NULL)
		tui_switch(&view_detail_ops, name);
	return (VIEW_REDRAW);
}

static int
dv_console(void)
{
	const char	*name = target(0);

	if (name != NULL)
		tui_switch(&view_serial_ops, name);
	return (VIEW_REDRAW);
}

/*
 * VNC: the in-terminal viewer (the vnc command) takes the terminal until
 * ctrl+] leaves it. A domain without VNC gets its reason instead.
 */
static int
dv_vnc(void)
{
	struct vnc_endpoint	 ep = { 0 };
	const char		*name = target(0);
	char			*cause = NULL, *argv[] = { "vnc", NULL, NULL };

	if (name == NULL)
		return (VIEW_REDRAW);
	if (tui.be->vnc_endpoint == NULL ||
	    tui.be->vnc_endpoint(name, &ep, &cause) != 0) {
		tui_status(COL_ERROR, "%s: no VNC: %s", name,
		    cause != NULL ? cause : "not supported by this backend");
		free(cause);
		return (VIEW_REDRAW);
	}
	vnc_endpoint_free(&ep);
	argv[1] = (char *)name;
	tui_run_terminal(argv);
	return (VIEW_REDRAW);
}

/*
 * A create that failed: what check-config --lint finds in the file, in
 * the pager under create's own error, when it finds anything (the status
 * line keeps the error either way).
 */
static void
create_failed(const char *path)
{
	struct lint_report	 r;
	char			*why, *text, *all, *title;
	size_t			 i;

	why = xstrdup(tui_status_text());
	xlcfg_lint(path, tui.be, &r);
	/* A file xl cannot read: create's error said it all. */
	for (i = 0; i < r.n; i++) {
		if (strcmp(r.v[i].id, "syntax") != 0 &&
		    strcmp(r.v[i].id, "file") != 0)
			break;
	}
	if (i < r.n) {
		text = lint_report_text(&r);
		xasprintf(&all, "create %s failed:\n  %s\n\nWhat check-config "
		    "--lint finds in it (q or Esc goes back):\n\n%s", path,
		    why, text);
		xasprintf(&title, "create failed: check-config --lint %s",
		    path);
		pager_show(title, all);
		free(title);
		free(all);
		free(text);
		tui_status(COL_ERROR, "%s", why);
	}
	lint_report_free(&r);
	free(why);
}

static void
create_done(const char *path, void *arg)
{
	char	*argv[] = { "create", NULL, NULL }, *p;
	size_t	 n;

	if (path == NULL)
		return;
	/* Completion leaves a blank after a file name: not part of it. */
	p = xstrdup(path + strspn(path, " \t"));
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	if (*p != '\0') {
		argv[1] = p;
		if (tui_run(argv) != 0 && !tui.ctx->read_only)
			create_failed(p);
	}
	free(p);
}

static int
dv_create(void)
{
	prompt_begin(PROMPT_FILE, "create from xl.cfg file: ", NULL,
	    create_done, NULL, NULL);
	return (VIEW_REDRAW);
}

static void
do_shutdown(const char *name)
{
	char		*argv[] = { "shutdown", (char *)name, NULL };
	struct dom_row	*r = sampler_find(&tui.sampler, name);
	struct pending	*p;

	if (tui_run(argv) != 0 || r == NULL)
		return;
	pending = xreallocarray(pending, npending + 1, sizeof *pending);
	p = &pending[npending++];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->domid = r->s.info.domid;
	p->deadline = mono_ms() + (uint64_t)tui.config.shutdown_timeout * 1000;
	tui_status(COL_STATUS, "shutting down %s: %d s left before F (force) "
	    "or D (destroy) are offered", name, tui.config.shutdown_timeout);
}

static void
yes_shutdown(const char *answer, void *arg)
{
	char	*name = arg;

	if (answer != NULL && (*answer == 'y' || *answer == 'Y'))
		do_shutdown(name);
	free(name);
}

static int
dv_shutdown(void)
{
	const char	*name = target(0);
	char		*q;

	if (name == NULL)
		return (VIEW_REDRAW);
	if (tui.config.confirm_shutdown && !tui.ctx->read_only) {
		q = xprintf("shut down %s? (y/n) ", name);
		prompt_begin(PROMPT_PLAIN, q, NULL, yes_shutdown, NULL,
		    xstrdup(name));
		free(q);
	} else
		do_shutdown(name);
	return (VIEW_REDRAW);
}

static int
dv_force(void)
{
	const char	*name = target(0);
	char		*argv[] = { "shutdown", "-F", NULL, NULL };

	if (name != NULL) {
		argv[2] = (char *)name;
		tui_run(argv);
	}
	return (VIEW_REDRAW);
}

static void
yes_reboot(const char *answer, void *arg)
{
	char	*argv[] = { "reboot", arg, NULL };

	if (answer != NULL && (*answer == 'y' || *answer == 'Y'))
		tui_run(argv);
	free(arg);
}

static int
dv_reboot(void)
{
	const char	*name = target(0);
	char		*argv[] = { "reboot", NULL, NULL }, *q;

	if (name == NULL)
		return (VIEW_REDRAW);
	if (tui.config.confirm_reboot && !tui.ctx->read_only) {
		q = xprintf("reboot %s? (y/n) ", name);
		prompt_begin(PROMPT_PLAIN, q, NULL, yes_reboot, NULL,
		    xstrdup(name));
		free(q);
		return (VIEW_REDRAW);
	}
	argv[1] = (char *)name;
	tui_run(argv);
	return (VIEW_REDRAW);
}

static void
destroy_typed(const char *typed, void *arg)
{
	char	*name = arg, *argv[] = { "destroy", name, NULL };
	size_t	 i;

	if (typed == NULL)
		tui_status(COL_STATUS, "%s: not destroyed", name);
	else if (strcmp(typed, name) != 0)
		tui_status(COL_ERROR, "%s: not destroyed: the name typed did "
		    "not match", name);
	else {
		for (i = 0; i < npending; i++) {
			if (strcmp(pending[i].name, name) == 0)
				pending_remove(i--);
		}
		tui_run(argv);
	}
	free(name);
}

/* Destroy: type the domain's name to confirm (unless configured off). */
static int
dv_destroy(void)
{
	const char	*name = target(0);
	char		*q;

	if (name == NULL)
		return (VIEW_REDRAW);
	if (tui.config.confirm_destroy && !tui.ctx->read_only) {
		q = xprintf("destroy %s (like pulling its plug)? type its "
		    "name: ", name);
		prompt_begin(PROMPT_PLAIN, q, NULL, destroy_typed, NULL,
		    xstrdup(name));
		free(q);
		return (VIEW_REDRAW);
	}
	destroy_typed(name, xstrdup(name));
	return (VIEW_REDRAW);
}

static int
dv_pause(void)
{
	struct dom_row	*r = dlist_selected(&list);
	const char	*name = target(0);
	char		*argv[] = { NULL, NULL, NULL };

	if (name == NULL)
		return (VIEW_REDRAW);
	argv[0] = (r->s.info.state & DOM_PAUSED) ? "unpause" : "pause";
	argv[1] = (char *)name;
	tui_run(argv);
	return (VIEW_REDRAW);
}

static void
yes_cd_eject(const char *answer, void *arg)
{
	char	*argv[] = { "cd-eject", arg, NULL };

	if (answer != NULL && (*answer == 'y' || *answer == 'Y'))
		tui_run(argv);
	free(arg);
}

/* Eject the CD: asked first, since an installer may be reading it. */
static int
dv_cd_eject(void)
{
	const char	*name = target(0);
	char		*q;

	if (name == NULL)
		return (VIEW_REDRAW);
	q = xprintf("eject the CD of %s? (y/n) ", name);
	prompt_begin(PROMPT_PLAIN, q, NULL, yes_cd_eject, NULL,
	    xstrdup(name));
	free(q);
	return (VIEW_REDRAW);
}

/* Insert a CD: the ISO picker, for this domain. */
static int
dv_cd_insert(void)
{
	const char	*name = target(0);

	if (name != NULL)
		tui_switch(&view_isos_ops, name);
	return (VIEW_REDRAW);
}

static int
dv_filter(void)
{
	dlist_filter_prompt(&list);
	return (VIEW_REDRAW);
}

static int
dv_key(int ch)
{
	int	 r;

	if ((r = dlist_key(&list, ch)) != VIEW_UNHANDLED)
		return (r);
	if (tui.be == NULL && ch != '/' && strchr("cvnsFrDpei\r", ch) != NULL) {
		tui_status(COL_ERROR, "%s", tui.be_error);
		return (VIEW_REDRAW);
	}
	return (view_key_dispatch(domains_keys, ch));
}

/* Click selects, wheel scrolls; two presses on one row open its detail. */
static int
dv_mouse(int y, int x, mmask_t b)
{
	static uint64_t	 last;
	static int	 last_y = -1;
	uint64_t	 now = mono_ms();
	int		 r = dlist_click(&list, y - 1, b);

	if ((b & BUTTON1_DOUBLE_CLICKED) || ((b & BUTTON1_PRESSED) &&
	    y == last_y && now - last < 400)) {
		last_y = -1;
		return (dv_detail());
	}
	if (b & BUTTON1_PRESSED) {
		last = now;
		last_y = y;
	}
	return (r | VIEW_REDRAW);
}

const struct view_ops view_domains_ops = {
	.name = "domains",
	.title = "Domains",
	.hotkey = '1',
	.keys = domains_keys,
	.init = dv_init,
	.free = dv_free,
	.resize = dv_resize,
	.update = dv_update,
	.draw = dv_draw,
	.key = dv_key,
	.mouse = dv_mouse,
	.enter = dv_enter,
};
