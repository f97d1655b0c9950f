/*
 * The Domains view: xl list's columns with cpu% and a sparkline of the
 * last minute, and the lifecycle actions on the selected domain. Every
 * action runs a command from the table (tui_run), never the backend
 * directly, so --read-only and the CLI's checks apply. A graceful shutdown
 * is followed with a countdown; when it runs out the view offers a forced
 * shutdown or a destroy. The A column marks the domains that start with
 * the host (/etc/xen/auto); a adds or removes one (`autostart`).
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

/* Shutdowns in flight, for the countdown. */
struct pending {
	char		 name[NAME_MAX_LEN + 1];
	int		 domid;
	uint64_t	 deadline;	/* mono_ms() */
	int		 offered;
};

/* A shutdown asked for, until its job says the button was pressed. */
struct shutdown_wait {
	char		 name[NAME_MAX_LEN + 1];
	int		 domid;
};

/* The view's own state. */
static struct {
	struct dlist	 list;
	struct pending	*pending;
	size_t		 npending;
	uint64_t	 click_at;	/* a first click, for a double one */
	int		 click_y;
	struct autostart *as;		/* what starts with the host */
	size_t		 nas;
	uint64_t	 as_at;		/* when read (mono_ms), 0: read again */
} dv = { .click_y = -1 };

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
static int	dv_autostart(void);
static int	dv_cd_eject(void);
static int	dv_cd_insert(void);
static int	dv_hvm_new(void);

static const struct view_key domains_keys[] = {
	{ 0, 0, "j k, arrows", "move; PgUp PgDn Home G page, first, last",
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
	{ 'a', 0, "a", "start with the host or not (A: it does; a link in "
	    "/etc/xen/auto)", dv_autostart },
	{ 'e', 0, "e", "eject the CD of an HVM domain (cd-eject)",
	    dv_cd_eject },
	{ 'i', 0, "i", "insert an ISO into its CD drive: pick one "
	    "(cd-insert)", dv_cd_insert },
	{ 'H', 0, "H", "a new HVM guest from an ISO, on its VNC screen "
	    "(the hvm-guest wizard)", dv_hvm_new },
	{ '/', 0, "/", "filter by name", dv_filter },
	{ 0, 0, NULL, NULL, NULL }
};

static void
dv_init(void)
{
	dv.list.cmp = col_table[COL_ID].cmp;
}

static void
dv_free(void)
{
	dlist_free(&dv.list);
	autostart_list_free(dv.as, dv.nas);
	dv.as = NULL;
	dv.nas = 0;
	free(dv.pending);
	dv.pending = NULL;
	dv.npending = 0;
}

static void
dv_resize(int lines, int cols)
{
	dv.list.height = lines - 1;
}

static void
pending_remove(size_t i)
{
	memmove(&dv.pending[i], &dv.pending[i + 1],
	    (dv.npending - i - 1) * sizeof *dv.pending);
	dv.npending--;
}

/* Follow shutdowns: gone means done; too long means offer force. */
static void
dv_update(void)
{
	struct dom_row	*r;
	uint64_t	 now = mono_ms();
	size_t		 i;

	dlist_rebuild(&dv.list);
	/* The auto dir is small: read again every few seconds. */
	if (dv.as_at == 0 || now - dv.as_at > 5000) {
		char	*cause = NULL;

		autostart_list_free(dv.as, dv.nas);
		dv.as = NULL;
		dv.nas = 0;
		if (autostart_list(&dv.as, &dv.nas, &cause) != 0)
			free(cause);
		dv.as_at = now;
	}
	for (i = 0; i < dv.npending; i++) {
		r = sampler_find(&tui.sampler, dv.pending[i].name);
		if (r == NULL || r->s.info.domid != dv.pending[i].domid) {
			tui_status(COL_OK, "%s has shut down",
			    dv.pending[i].name);
			pending_remove(i--);
			continue;
		}
		if (now < dv.pending[i].deadline) {
			tui_status(COL_STATUS, "shutting down %s: %d s left "
			    "before F (force) or D (destroy) are offered",
			    dv.pending[i].name,
			    (int)((dv.pending[i].deadline - now + 999) / 1000));
		} else if (!dv.pending[i].offered) {
			dv.pending[i].offered = 1;
			tui_status(COL_ERROR, "%s is still running after %d s: "
			    "F forces the shutdown, D destroys it",
			    dv.pending[i].name, tui.config.shutdown_timeout);
		}
	}
}

static int
dv_enter(const char *arg)
{
	dlist_rebuild(&dv.list);
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

	dv.list.height = h - 1;
	namew = w >= 100 ? 24 : 16;
	snprintf(line, sizeof line, "%-*s %1s %5s %7s %5s %6s %9s %6s  %s",
	    namew, "Name", "A", "ID", "Mem", "VCPUs", "State", "Time(s)", "CPU%",
	    "CPU, last minute");
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	sparkx = x + namew + 48;
	sparkw = w - (namew + 48) - 1;
	if (tui.be == NULL) {
		tui_draw_text(y + 2, x + 1, w - 2, tui.be_error,
		    theme_attr(COL_ERROR));
		return;
	}
	for (i = 0, guests = 0; i < (int)dv.list.n; i++)
		guests += dv.list.rows[i]->s.info.domid != 0;
	if (guests == 0 && h > (int)dv.list.n + 3) {
		tui_draw_text(y + 2 + (int)dv.list.n, x + 1, w - 2,
		    dv.list.filter != NULL && *dv.list.filter != '\0' ?
		    "no domain matches the filter" :
		    "no domains yet: n creates one from an xl.cfg file",
		    theme_attr(COL_DIM));
	}
	for (i = 0; i < h - 1 && dv.list.top + i < (int)dv.list.n; i++) {
		r = dv.list.rows[dv.list.top + i];
		if (col_format(&col_table[COL_CPU_PCT], r, cpu,
		    sizeof cpu) != NULL)
			snprintf(cpu, sizeof cpu, "-");
		snprintf(line, sizeof line, "%-*.*s %1s %5d %7llu %5d %6s "
		    "%9.1f %6s", namew, namew, r->s.info.name,
		    autostart_find(dv.as, dv.nas, r->s.info.name) != NULL ?
		    "A" : "", r->s.info.domid,
		    r->s.info.mem_kb == STAT_NONE ? 0ULL :
		    (unsigned long long)(r->s.info.mem_kb / 1024),
		    r->s.info.vcpus, dom_state_string(r->s.info.state, st),
		    r->s.info.cpu_ns == STAT_NONE ? 0.0 :
		    (double)r->s.info.cpu_ns / 1e9, cpu);
		a = dv.list.top + i == dv.list.sel ? theme_attr(COL_SELECTED) :
		    theme_dom_attr(r->s.info.state);
		if (dv.list.top + i == dv.list.sel)
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

/*
 * The selected domain, or NULL with a word on the status line. Domain-0
 * is not refused here: the command table refuses it (cmd_exec), alike for
 * keys, the prompt and the CLI.
 */
static const char *
target(void)
{
	struct dom_row	*r = dlist_selected(&dv.list);

	if (r == NULL) {
		tui_status(COL_ERROR, "no domain selected");
		return (NULL);
	}
	return (r->s.info.name);
}

static int
dv_detail(void)
{
	const char	*name = target();

	if (name != NULL)
		tui_switch(&view_detail_ops, name);
	return (VIEW_REDRAW);
}

static int
dv_console(void)
{
	const char	*name = target();

	if (name != NULL)
		tui_switch(&view_serial_ops, name);
	return (VIEW_REDRAW);
}

/*
 * VNC: the domain's screen, a view of the console (Ctrl+] comes back
 * here); a domain without VNC gets its reason instead.
 */
static int
dv_vnc(void)
{
	const char	*name = target();

	if (name != NULL)
		tui_switch(&view_vnc_ops, name);
	return (VIEW_REDRAW);
}

/*
 * A create has ended (its job): when it failed, what check-config --lint
 * finds in the file, in the pager, if it finds more than create's own
 * error (on the status line) says.
 */
static void
create_ended(int rc, void *arg)
{
	struct lint_report	 r;
	char			*path = arg, *text, *all, *title;
	size_t			 i;

	if (rc == 0 || tui.ctx->read_only) {
		free(path);
		return;
	}
	xlcfg_lint(path, tui.be, &r);
	/* A file xl cannot read: create's error said it all. */
	for (i = 0; i < r.n; i++) {
		if (strcmp(r.v[i].id, "syntax") != 0 &&
		    strcmp(r.v[i].id, "file") != 0)
			break;
	}
	if (i < r.n) {
		text = lint_report_text(&r);
		xasprintf(&all, "create %s failed (the status line says how)."
		    "\nWhat check-config --lint finds in it (q or Esc goes "
		    "back):\n\n%s", path, text);
		xasprintf(&title, "create failed: check-config --lint %s",
		    path);
		pager_show(title, all);
		free(title);
		free(all);
		free(text);
	}
	lint_report_free(&r);
	free(path);
}

static void
create_done(const char *path, void *arg)
{
	char	*argv[] = { "create", NULL, NULL }, *p;

	if ((p = prompt_path(path)) != NULL) {
		argv[1] = p;
		tui_run_then(argv, create_ended, xstrdup(p));
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

/* The shutdown's job has ended: follow it with the countdown. */
static void
shutdown_started(int rc, void *arg)
{
	struct shutdown_wait	*w = arg;
	struct pending		*p;
	size_t			 i;

	if (rc != 0) {
		free(w);
		return;
	}
	for (i = 0; i < dv.npending; i++) {
		if (strcmp(dv.pending[i].name, w->name) == 0)
			break;
	}
	if (i == dv.npending) {
		dv.pending = xreallocarray(dv.pending, dv.npending + 1,
		    sizeof *dv.pending);
		dv.npending++;
	}
	p = &dv.pending[i];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", w->name);
	p->domid = w->domid;
	p->deadline = mono_ms() + (uint64_t)tui.config.shutdown_timeout * 1000;
	tui_status(COL_STATUS, "shutting down %s: %d s left before F (force) "
	    "or D (destroy) are offered", w->name,
	    tui.config.shutdown_timeout);
	free(w);
}

/* s: a graceful shutdown (the console's config may ask y/n first). */
static int
dv_shutdown(void)
{
	const char		*name = target();
	char			*argv[] = { "shutdown", NULL, NULL };
	struct dom_row		*r = dlist_selected(&dv.list);
	struct shutdown_wait	*w;

	if (name == NULL)
		return (VIEW_REDRAW);
	w = xcalloc(1, sizeof *w);
	snprintf(w->name, sizeof w->name, "%s", name);
	w->domid = r->s.info.domid;
	argv[1] = (char *)name;
	tui_run_then(argv, shutdown_started, w);
	return (VIEW_REDRAW);
}

static int
dv_force(void)
{
	const char	*name = target();
	char		*argv[] = { "shutdown", "-F", NULL, NULL };

	if (name != NULL) {
		argv[2] = (char *)name;
		tui_run(argv);
	}
	return (VIEW_REDRAW);
}

static int
dv_reboot(void)
{
	const char	*name = target();
	char		*argv[] = { "reboot", NULL, NULL };

	if (name != NULL) {
		argv[1] = (char *)name;
		tui_run(argv);
	}
	return (VIEW_REDRAW);
}

/* A destroy has ended: no countdown for that domain any more. */
static void
destroyed(int rc, void *arg)
{
	char	*name = arg;
	size_t	 i;

	for (i = 0; rc == 0 && i < dv.npending; i++) {
		if (strcmp(dv.pending[i].name, name) == 0)
			pending_remove(i--);
	}
	free(name);
}

/* D: destroy (the command table asks for the name to be typed). */
static int
dv_destroy(void)
{
	const char	*name = target();
	char		*argv[] = { "destroy", NULL, NULL };

	if (name != NULL) {
		argv[1] = (char *)name;
		tui_run_then(argv, destroyed, xstrdup(name));
	}
	return (VIEW_REDRAW);
}

static int
dv_pause(void)
{
	struct dom_row	*r = dlist_selected(&dv.list);
	const char	*name = target();
	char		*argv[] = { NULL, NULL, NULL };

	if (name == NULL)
		return (VIEW_REDRAW);
	argv[0] = (r->s.info.state & DOM_PAUSED) ? "unpause" : "pause";
	argv[1] = (char *)name;
	tui_run(argv);
	return (VIEW_REDRAW);
}

/* An autostart job has ended: read the auto dir again. */
static void
autostart_done(int rc, void *arg)
{
	dv.as_at = 0;
	tui_sample_now();
}

static void
autostart_file(const char *path, void *arg)
{
	char	*argv[] = { "autostart", "add", NULL, NULL };

	if ((argv[2] = prompt_path(path)) != NULL)
		tui_run_then(argv, autostart_done, NULL);
	free(argv[2]);
}

/*
 * a: the domain starts with the host, or no longer. Adding links its
 * config in /etc/xen (asked for when there is none); removing takes only
 * a link xendeck made (the command refuses the rest, and says why).
 */
static int
dv_autostart(void)
{
	const char		*name = target();
	char			*argv[] = { "autostart", NULL, NULL, NULL }, *cfg;
	char			*text;

	if (name == NULL)
		return (VIEW_REDRAW);
	if (backend_is_dom0(name)) {
		text = backend_dom0_refused("autostart");
		tui_status(COL_ERROR, "%s", text);
		free(text);
		return (VIEW_REDRAW);
	}
	if (tui.ctx->read_only) {
		tui_status(COL_ERROR, "autostart: refused in read-only mode");
		return (VIEW_REDRAW);
	}
	if (autostart_find(dv.as, dv.nas, name) != NULL) {
		argv[1] = "remove";
		argv[2] = (char *)name;
		tui_run_then(argv, autostart_done, NULL);
		return (VIEW_REDRAW);
	}
	if ((cfg = autostart_find_config(name)) != NULL) {
		argv[1] = "add";
		argv[2] = cfg;
		tui_run_then(argv, autostart_done, NULL);
		free(cfg);
		return (VIEW_REDRAW);
	}
	text = xprintf("%s starts with the host, from xl.cfg file: ", name);
	prompt_begin(PROMPT_FILE, text, NULL, autostart_file, NULL, NULL);
	free(text);
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
	const char	*name = target();
	char		*q;

	if (name == NULL)
		return (VIEW_REDRAW);
	q = xprintf("eject the CD of %s? (y/n) ", name);
	prompt_begin(PROMPT_PLAIN, q, NULL, yes_cd_eject, NULL,
	    xstrdup(name));
	free(q);
	return (VIEW_REDRAW);
}

static void
cd_insert_chosen(const char *path, void *arg)
{
	char	*argv[] = { "cd-insert", arg, (char *)path, NULL };

	if (path != NULL)
		tui_run(argv);
	free(arg);
}

/* Insert a CD: the ISO picker, for this domain. */
static int
dv_cd_insert(void)
{
	const char	*name = target();
	char		*t;

	if (name == NULL)
		return (VIEW_REDRAW);
	t = xprintf("Insert into %s's CD drive", name);
	isos_choose(t, cd_insert_chosen, xstrdup(name));
	free(t);
	return (VIEW_REDRAW);
}

static int
dv_hvm_new(void)
{
	hvm_new_begin();
	return (VIEW_REDRAW);
}

static int
dv_filter(void)
{
	dlist_filter_prompt(&dv.list);
	return (VIEW_REDRAW);
}

static int
dv_key(int ch)
{
	int	 r;

	if ((r = dlist_key(&dv.list, ch)) != VIEW_UNHANDLED)
		return (r);
	if (tui.be == NULL && ch != '/' && strchr("cvnsFrDpaeiH\r", ch) != NULL) {
		tui_status(COL_ERROR, "%s", tui.be_error);
		return (VIEW_REDRAW);
	}
	return (view_key_dispatch(domains_keys, ch));
}

/* Click selects, wheel scrolls; two presses on one row open its detail. */
static int
dv_mouse(int y, int x, mmask_t b)
{
	uint64_t	 now = mono_ms();
	int		 r = dlist_click(&dv.list, y - 1, b);

	if ((b & BUTTON1_DOUBLE_CLICKED) || ((b & BUTTON1_PRESSED) &&
	    y == dv.click_y && now - dv.click_at < 400)) {
		dv.click_y = -1;
		return (dv_detail());
	}
	if (b & BUTTON1_PRESSED) {
		dv.click_at = now;
		dv.click_y = y;
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
