/*
 * The Storage view (5): every pool -- LVM volume groups, directories of
 * images -- with a usage bar (allocated to volumes, used by other files on
 * a directory's disk, free), and under it its volumes: size, space used,
 * format, origin, how full a classic snapshot is, and which domain or
 * /etc/xen config uses each.
 *
 * The data comes from `xendeck pools --json`, run as a quiet job when the
 * view is entered, every STORAGE_REFRESH_MS while it is shown, on R, and
 * after an action's command has run: lvm2 takes ~70 ms a call, and the
 * console never waits for it. What was read last stays on screen
 * meanwhile.
 *
 * Actions open the volume wizard's view filled in from the selection, on
 * the field still to answer (a name, a size): its form, plan and apply.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

#define STORAGE_REFRESH_MS	10000
#define STORAGE_BAR		20	/* columns of the usage bar */

/* A line of the list: a pool, or one of its volumes. */
struct sv_row {
	size_t	 pool;
	ssize_t	 vol;		/* -1: the pool itself */
};

static struct {
	struct pool_report	 r;
	int			 have;
	char			*error;
	uint64_t		 when;		/* last refresh started */
	unsigned int		 job;		/* a refresh in flight, or 0 */
	char			*out;
	size_t			 outlen;
	struct sv_row		*rows;
	size_t			 nrows;
	size_t			 sel;
	size_t			 top;
	int			 height;
	char			*sel_pool;	/* kept across refreshes */
	char			*sel_vol;
} sv;

/* The removal asked for, waiting for its name to be typed. */
static char	*sv_rm_pool, *sv_rm_name;

static int	sv_down(void);
static int	sv_up(void);
static int	sv_refresh_key(void);
static int	sv_new(void);
static int	sv_resize(void);
static int	sv_snapshot(void);
static int	sv_remove(void);
static int	sv_details(void);

static const struct view_key storage_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next pool or volume", sv_down },
	{ 'k', KEY_UP, "k, Up", "previous pool or volume", sv_up },
	{ 'n', 0, "n", "new volume in the pool (volume wizard, create)",
	    sv_new },
	{ 'r', 0, "r", "grow the volume (volume wizard, resize)", sv_resize },
	{ 's', 0, "s", "snapshot the volume (volume wizard, snapshot)",
	    sv_snapshot },
	{ 'D', KEY_DC, "D, Delete", "remove the volume (volume wizard, "
	    "remove)", sv_remove },
	{ '\r', KEY_ENTER, "Enter", "the volume's or pool's details",
	    sv_details },
	{ 'R', KEY_F(5), "R, F5", "read the pools again (lvm2)",
	    sv_refresh_key },
	{ 0, 0, NULL, NULL, NULL }
};

/* The flat list of rows, the selection kept on the same pool/volume. */
static void
sv_rebuild(void)
{
	size_t	 i, j;

	free(sv.rows);
	sv.rows = NULL;
	sv.nrows = 0;
	for (i = 0; i < sv.r.npools; i++) {
		sv.rows = xreallocarray(sv.rows, sv.nrows + 1 + sv.r.nvols[i],
		    sizeof *sv.rows);
		sv.rows[sv.nrows].pool = i;
		sv.rows[sv.nrows++].vol = -1;
		for (j = 0; j < sv.r.nvols[i]; j++) {
			sv.rows[sv.nrows].pool = i;
			sv.rows[sv.nrows++].vol = j;
		}
	}
	sv.sel = 0;
	for (i = 0; sv.sel_pool != NULL && i < sv.nrows; i++) {
		if (strcmp(sv.r.pools[sv.rows[i].pool].name, sv.sel_pool) != 0)
			continue;
		if (sv.rows[i].vol == -1) {
			sv.sel = i;
			if (sv.sel_vol == NULL)
				break;
		} else if (sv.sel_vol != NULL && strcmp(sv.r.vols[sv.rows[i].
		    pool][sv.rows[i].vol].name, sv.sel_vol) == 0) {
			sv.sel = i;
			break;
		}
	}
}

/* Remember what is selected, by name. */
static void
sv_remember(void)
{
	const struct sv_row	*row;

	free(sv.sel_pool);
	free(sv.sel_vol);
	sv.sel_pool = sv.sel_vol = NULL;
	if (sv.sel >= sv.nrows)
		return;
	row = &sv.rows[sv.sel];
	sv.sel_pool = xstrdup(sv.r.pools[row->pool].name);
	if (row->vol != -1)
		sv.sel_vol = xstrdup(sv.r.vols[row->pool][row->vol].name);
}

static void
sv_line(struct job *j, int stream, const char *line, void *arg)
{
	size_t	 n = strlen(line);

	if (stream != 1)
		return;
	sv.out = xreallocarray(sv.out, sv.outlen + n + 2, 1);
	memcpy(sv.out + sv.outlen, line, n);
	sv.outlen += n;
	sv.out[sv.outlen++] = '\n';
	sv.out[sv.outlen] = '\0';
}

static void
sv_done(struct job *j, void *arg)
{
	struct pool_report	 r;
	char			*cause = NULL;

	sv.job = 0;
	free(sv.error);
	sv.error = NULL;
	if (job_state(j) != JOB_DONE)
		sv.error = xprintf("pools: %s", job_error(j) != NULL ?
		    job_error(j) : "not read");
	else if (pools_report_parse(&r, sv.out != NULL ? sv.out : "",
	    sv.outlen, &cause) != 0)
		sv.error = cause;
	else {
		pool_report_free(&sv.r);
		sv.r = r;
		sv.have = 1;
		sv_rebuild();
	}
	free(sv.out);
	sv.out = NULL;
	sv.outlen = 0;
	tui.redraw = 1;
}

/* Read the pools again, unless a read is already under way. */
static void
sv_refresh(void)
{
	char		*argv[] = { "xendeck", "pools", "--json", NULL };
	char		*cause = NULL;
	struct job	*j;

	if (sv.job != 0 && job_find(sv.job) != NULL)
		return;
	sv.when = mono_ms();
	free(sv.out);
	sv.out = NULL;
	sv.outlen = 0;
	if ((j = job_run("storage pools", argv, JOB_QUIET, sv_line, sv_done,
	    NULL, &cause)) == NULL) {
		free(sv.error);
		sv.error = cause;
		return;
	}
	sv.job = job_id(j);
	tui.redraw = 1;
}

static int
sv_enter(const char *arg)
{
	if (!sv.have || mono_ms() - sv.when > STORAGE_REFRESH_MS / 2)
		sv_refresh();
	return (0);
}

static void
sv_update(void)
{
	if (tui.view == &view_storage_ops && mono_ms() - sv.when >
	    STORAGE_REFRESH_MS)
		sv_refresh();
}

static void
sv_free(void)
{
	free(sv_rm_pool);
	free(sv_rm_name);
	sv_rm_pool = sv_rm_name = NULL;
	pool_report_free(&sv.r);
	free(sv.rows);
	free(sv.error);
	free(sv.out);
	free(sv.sel_pool);
	free(sv.sel_vol);
	memset(&sv, 0, sizeof sv);
}

static int
sv_refresh_key(void)
{
	sv_refresh();
	return (VIEW_REDRAW);
}

static int
sv_move(int by)
{
	if (sv.nrows == 0)
		return (VIEW_REDRAW);
	if (by < 0 && sv.sel > 0)
		sv.sel--;
	else if (by > 0 && sv.sel + 1 < sv.nrows)
		sv.sel++;
	sv_remember();
	return (VIEW_REDRAW);
}

static int
sv_down(void)
{
	return (sv_move(1));
}

static int
sv_up(void)
{
	return (sv_move(-1));
}

/* After an action's command: read the pools again. */
static void
sv_action_done(int rc, void *arg)
{
	(void)rc;
	(void)arg;
	sv_refresh();
}

static const struct pool *
sv_sel_pool(void)
{
	if (sv.sel >= sv.nrows)
		return (NULL);
	return (&sv.r.pools[sv.rows[sv.sel].pool]);
}

static const struct volume *
sv_sel_vol(void)
{
	if (sv.sel >= sv.nrows || sv.rows[sv.sel].vol == -1)
		return (NULL);
	return (&sv.r.vols[sv.rows[sv.sel].pool][sv.rows[sv.sel].vol]);
}

/* A "KEY=VALUE" answer onto sets. */
static void
sv_set(char ***sets, const char *key, const char *value)
{
	char	*s = xprintf("%s=%s", key, value);

	strv_push(sets, s);
	free(s);
}

/* The volume wizard's view, filled in from the selection. */
static int
sv_wizard(const char *action)
{
	const struct pool	*p = sv_sel_pool();
	const struct volume	*v = sv_sel_vol();
	char			**sets = NULL, *snap;

	if (p == NULL) {
		tui_status(COL_ERROR, "no pool: set one up with :wizard "
		    "storage");
		return (VIEW_REDRAW);
	}
	if (strcmp(action, "create") != 0 && v == NULL) {
		tui_status(COL_ERROR, "select a volume of %s first (j, k)",
		    p->name);
		return (VIEW_REDRAW);
	}
	sv_set(&sets, "pool", p->name);
	sv_set(&sets, "action", action);
	if (strcmp(action, "create") == 0)
		sv_set(&sets, "size", "8G");
	else if (strcmp(action, "resize") == 0)
		sv_set(&sets, "name", v->name);
	else if (strcmp(action, "snapshot") == 0) {
		sv_set(&sets, "origin", v->name);
		snap = xprintf("%s-snap", v->name);
		sv_set(&sets, "name", snap);
		free(snap);
	}
	view_wizard_open("volume", sets);
	strv_free(sets);
	return (VIEW_REDRAW);
}

static int
sv_new(void)
{
	return (sv_wizard("create"));
}

static int
sv_resize(void)
{
	return (sv_wizard("resize"));
}

static int
sv_snapshot(void)
{
	return (sv_wizard("snapshot"));
}


static void
sv_remove_answer(const char *answer, void *arg)
{
	char	*pool, *name;

	(void)arg;
	if (sv_rm_name == NULL)
		return;
	if (answer == NULL || strcmp(answer, sv_rm_name) != 0) {
		tui_status(answer != NULL && *answer != '\0' ? COL_ERROR :
		    COL_STATUS, "remove %s: not done%s", sv_rm_name, answer !=
		    NULL && *answer != '\0' ? ": the name typed did not "
		    "match" : "");
	} else {
		pool = xprintf("pool=%s", sv_rm_pool);
		name = xprintf("name=%s", sv_rm_name);
		/* The typed name is the consent the plan asks for. */
		tui_run_then((char *[]){ "wizard", "volume", "--set", pool,
		    "--set", "action=remove", "--set", name, "--apply", "--yes",
		    NULL }, sv_action_done, NULL);
		free(pool);
		free(name);
	}
	free(sv_rm_pool);
	free(sv_rm_name);
	sv_rm_pool = sv_rm_name = NULL;
}

/* D: the removal, once the volume's name is typed (as destroy asks). */
static int
sv_remove(void)
{
	const struct pool	*p = sv_sel_pool();
	const struct volume	*v = sv_sel_vol();
	char			*text;

	if (v == NULL) {
		tui_status(COL_ERROR, "select a volume first (j, k)");
		return (VIEW_REDRAW);
	}
	free(sv_rm_pool);
	free(sv_rm_name);
	sv_rm_pool = xstrdup(p->name);
	sv_rm_name = xstrdup(v->name);
	text = xprintf("remove %s from %s, and all that is on it? type its "
	    "name: ", v->name, p->name);
	prompt_begin(PROMPT_PLAIN, text, NULL, sv_remove_answer, NULL, NULL);
	free(text);
	return (VIEW_REDRAW);
}

/* Append a line to *text. */
static void
sv_add(char **text, const char *fmt, ...)
{
	va_list	 ap;
	char	*line, *next;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	xasprintf(&next, "%s%s\n", *text != NULL ? *text : "", line);
	free(*text);
	free(line);
	*text = next;
}

static int
sv_details(void)
{
	const struct pool	*p = sv_sel_pool();
	const struct volume	*v = sv_sel_vol();
	char			*text = NULL, *a, *b, *title;
	size_t			 i;

	if (p == NULL)
		return (VIEW_REDRAW);
	if (v == NULL) {
		a = pools_pool_line(p);
		sv_add(&text, "%s", a);
		free(a);
		if (p->thinpool != NULL)
			sv_add(&text, "thin pool: %s/%s (new volumes are thin, "
			    "and snapshots of them thin snapshots)", p->name,
			    p->thinpool);
		for (i = 0; p->pvs != NULL && p->pvs[i] != NULL; i++)
			sv_add(&text, "physical volume: %s", p->pvs[i]);
		title = xstrdup(p->name);
	} else {
		a = pool_size_string(v->size);
		b = pool_size_string(v->allocated);
		sv_add(&text, "volume: %s", v->name);
		sv_add(&text, "pool: %s", p->name);
		sv_add(&text, "path: %s", v->path);
		sv_add(&text, "format: %s%s", v->format, v->thin ? " (thin)" :
		    "");
		sv_add(&text, "size: %s", a);
		sv_add(&text, "space used: %s", b);
		sv_add(&text, "origin: %s", v->origin != NULL ? v->origin :
		    "none");
		free(a);
		free(b);
		if (v->snap_pct >= 0)
			sv_add(&text, "snapshot space used: %.1f%%%s",
			    v->snap_pct, v->snap_pct >= 80 ? " (grow it with "
			    "r, or it becomes invalid when full)" : "");
		for (i = 0; v->used_by != NULL && v->used_by[i] != NULL; i++)
			sv_add(&text, "used by: %s", v->used_by[i]);
		if (v->used_by == NULL)
			sv_add(&text, "used by: nothing");
		title = xprintf("%s/%s", p->name, v->name);
	}
	pager_show(title, text);
	free(text);
	free(title);
	return (VIEW_REDRAW);
}

/* "[######+++.......]": allocated, otherwise used, free. */
static void
sv_bar(int y, int x, const struct pool *p)
{
	uint64_t	 other = 0;
	int		 a, o, i;
	char		 cell[2] = { 0, 0 };

	if (p->size == 0)
		return;
	if (p->type == POOL_DIR && p->size > p->free + p->allocated)
		other = p->size - p->free - p->allocated;
	a = (int)((double)p->allocated / p->size * STORAGE_BAR + 0.5);
	o = (int)((double)other / p->size * STORAGE_BAR + 0.5);
	if (a == 0 && p->allocated > 0)
		a = 1;
	if (a + o > STORAGE_BAR)
		o = STORAGE_BAR - a;
	tui_draw_text(y, x, 1, "[", theme_attr(COL_DIM));
	for (i = 0; i < STORAGE_BAR; i++) {
		cell[0] = i < a ? '#' : i < a + o ? '+' : '.';
		tui_draw_text(y, x + 1 + i, 1, cell, i < a ?
		    theme_attr(COL_SPARK) : theme_attr(COL_DIM));
	}
	tui_draw_text(y, x + 1 + STORAGE_BAR, 1, "]", theme_attr(COL_DIM));
}

static void
sv_draw_pool(int y, int x, int w, const struct pool *p, const char *err,
    int selected)
{
	char	*size, *free_s, *alloc, *s;
	attr_t	 at = selected ? theme_attr(COL_SELECTED) : A_NORMAL;
	int	 n;

	if (selected)
		tui_fill(y, x, w, at);
	size = pool_size_string(p->size);
	free_s = pool_size_string(p->free);
	alloc = pool_size_string(p->allocated);
	n = (int)strlen(p->name) + 2;
	if (n < 26)
		n = 26;
	tui_draw_text(y, x + 1, n, p->name, selected ? at :
	    theme_attr(COL_KEY));
	sv_bar(y, x + 1 + n, p);
	s = xprintf("%3.0f%%  %s, %s free, %s allocated  %s%s%s%s%s",
	    p->size > 0 ? (double)(p->size - p->free) / p->size * 100 : 0.0,
	    size, free_s, alloc, p->type == POOL_LVM ? "LVM" : "images",
	    p->thinpool != NULL ? ", thin pool " : "", p->thinpool != NULL ?
	    p->thinpool : "", err != NULL ? "; volumes not read: " : "",
	    err != NULL ? err : "");
	tui_draw_text(y, x + 3 + n + STORAGE_BAR, w - n - STORAGE_BAR - 4, s,
	    at);
	free(s);
	free(size);
	free(free_s);
	free(alloc);
}

static void
sv_draw_vol(int y, int x, int w, const struct volume *v, int selected)
{
	char	*s;
	attr_t	 at = selected ? theme_attr(COL_SELECTED) : A_NORMAL;

	if (selected)
		tui_fill(y, x, w, at);
	else if (v->snap_pct >= 80)
		at = theme_attr(COL_ERROR);
	/* 80 columns: what uses it shows, the space used gives way. */
	s = pools_volume_line(v, w - 4 < (int)strlen(pools_volume_header) +
	    20);
	tui_draw_text(y, x + 3, w - 4, s, at);
	free(s);
}

static void
sv_draw(int y, int x, int h, int w)
{
	const struct sv_row	*row;
	char			*title;
	int			 line;
	size_t			 i;

	tui_fill(y, x, w, theme_attr(COL_HEADER));
	title = xprintf(" Storage: pools and volumes%s",
	    sv.job != 0 && sv.have ? "  reading again..." : "");
	tui_draw_text(y, x, w, title, theme_attr(COL_HEADER));
	free(title);
	if (sv.error != NULL)
		tui_draw_text(y + h - 1, x + 1, w - 2, sv.error,
		    theme_attr(COL_ERROR));
	if (!sv.have) {
		if (sv.error == NULL)
			tui_draw_text(y + 2, x + 1, w - 2, "reading the pools "
			    "(lvm2, image directories)...",
			    theme_attr(COL_DIM));
		return;
	}
	if (sv.nrows == 0) {
		tui_draw_text(y + 2, x + 1, w - 2, "No pools yet. Set one up "
		    "with the storage wizard:", A_NORMAL);
		tui_draw_text(y + 3, x + 3, w - 4, ":wizard storage --set "
		    "device=/dev/sdX --set vg=vg0   (LVM, as the guide)",
		    theme_attr(COL_KEY));
		tui_draw_text(y + 4, x + 3, w - 4, ":wizard storage --set "
		    "dir=/var/lib/xendeck/images   (image files)",
		    theme_attr(COL_KEY));
		return;
	}
	tui_draw_text(y + 1, x + 3, w - 4, w - 4 <
	    (int)strlen(pools_volume_header) + 20 ? pools_volume_header_narrow :
	    pools_volume_header, theme_attr(COL_DIM));
	sv.height = h - 3 - (sv.error != NULL);
	if (sv.height < 1)
		sv.height = 1;
	if (sv.sel < sv.top)
		sv.top = sv.sel;
	if (sv.sel >= sv.top + sv.height)
		sv.top = sv.sel - sv.height + 1;
	for (i = sv.top, line = 0; i < sv.nrows && line < sv.height;
	    i++, line++) {
		row = &sv.rows[i];
		if (row->vol == -1)
			sv_draw_pool(y + 2 + line, x, w, &sv.r.pools[row->pool],
			    sv.r.errors[row->pool], i == sv.sel);
		else
			sv_draw_vol(y + 2 + line, x, w,
			    &sv.r.vols[row->pool][row->vol], i == sv.sel);
	}
}

static int
sv_key(int ch)
{
	return (view_key_dispatch(storage_keys, ch));
}

static int
sv_mouse(int y, int x, mmask_t m)
{
	size_t	 i;

	(void)x;
	if (m & BUTTON4_PRESSED)
		return (sv_up());
	if (m & BUTTON5_PRESSED)
		return (sv_down());
	if (y < 2 || !(m & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return (0);
	i = sv.top + (size_t)(y - 2);
	if (i < sv.nrows) {
		sv.sel = i;
		sv_remember();
	}
	return (VIEW_REDRAW);
}

const struct view_ops view_storage_ops = {
	.name = "storage",
	.title = "Storage",
	.hotkey = '5',
	.keys = storage_keys,
	.free = sv_free,
	.update = sv_update,
	.draw = sv_draw,
	.key = sv_key,
	.mouse = sv_mouse,
	.enter = sv_enter,
};
