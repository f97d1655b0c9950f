/*
 * The Top view: xentop's columns and the rates from the column table,
 * sorted on any column either way, filtered by name, with columns chosen
 * and reordered (f), the delay set in tenths of a second (d, as in
 * xentop) and a drill-down into the selected domain's vcpus, vifs and
 * vbds (Enter). A '-' is a value that does not exist; w says why.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

enum top_mode { TOP_TABLE, TOP_CHOOSER, TOP_DRILL };

static struct dlist	 list;
static enum col_id	 order[COL_NCOLUMNS];
static int		 shown[COL_NCOLUMNS];	/* by id */
static enum col_id	 sort_col = COL_CPU_PCT;
static int		 hoff;			/* columns scrolled off */
static enum top_mode	 mode;
static int		 chooser_sel;
static int		 drill_top;

static int	tv_sort_prev(void);
static int	tv_sort_next(void);
static int	tv_invert(void);
static int	tv_chooser(void);
static int	tv_delay(void);
static int	tv_filter(void);
static int	tv_drill(void);
static int	tv_why(void);
static int	tv_left(void);
static int	tv_right(void);

static const struct view_key top_keys[] = {
	{ 0, 0, "j k, arrows", "move; PgUp PgDn Home G page, first, last",
	    NULL },
	{ '<', 0, "<", "sort on the column to the left", tv_sort_prev },
	{ '>', 0, ">", "sort on the column to the right", tv_sort_next },
	{ 'I', 'i', "I", "invert the sort order", tv_invert },
	{ 0, 0, "click a title", "sort on it; again inverts", NULL },
	{ 'h', KEY_LEFT, "h, Left", "scroll the columns left", tv_left },
	{ 'l', KEY_RIGHT, "l, Right", "scroll the columns right", tv_right },
	{ 'f', KEY_F(2), "f, F2", "choose and reorder columns", tv_chooser },
	{ 'd', 0, "d", "delay between samples, in tenths of a second",
	    tv_delay },
	{ '/', 0, "/", "filter by name", tv_filter },
	{ '\r', KEY_ENTER, "Enter", "the domain's vcpus, vifs and vbds",
	    tv_drill },
	{ 'y', 0, "y", "why a value is '-' (w is the Wizards)", tv_why },
	{ 0, 0, NULL, NULL, NULL }
};

static const enum col_id default_order[] = {
	COL_NAME, COL_STATE, COL_CPU_SEC, COL_CPU_PCT, COL_MEM_K, COL_MEM_PCT,
	COL_TX_RATE, COL_RX_RATE, COL_RD_IOPS, COL_WR_IOPS, COL_MAXMEM_K,
	COL_MAXMEM_PCT, COL_VCPUS, COL_NETS, COL_NETTX, COL_NETRX, COL_VBDS,
	COL_VBD_OO, COL_VBD_RD, COL_VBD_WR, COL_VBD_RSECT, COL_VBD_WSECT,
	COL_ID
};

static void
tv_init(void)
{
	size_t	 i;

	for (i = 0; i < nitems(default_order); i++) {
		order[i] = default_order[i];
		shown[order[i]] = order[i] != COL_ID;
	}
	list.cmp = col_table[sort_col].cmp;
	list.desc = 1;
}

static void
tv_free(void)
{
	dlist_free(&list);
}

static void
tv_update(void)
{
	dlist_rebuild(&list);
}

static int
tv_enter(const char *arg)
{
	mode = TOP_TABLE;
	dlist_rebuild(&list);
	return (0);
}

static int
name_width(void)
{
	size_t	 i, n, w = 10;

	for (i = 0; i < list.n; i++) {
		n = strlen(list.rows[i]->s.info.name);
		if (n > w)
			w = n;
	}
	return (w > 20 ? 20 : (int)w);
}

/*
 * The columns on screen: NAME stays, then the shown ones from hoff on.
 * Fills xs (start columns) and returns how many fit.
 */
static int
layout(int w, enum col_id *ids, int *xs, int *ws)
{
	int	 n = 0, x = 0, skip = hoff, cw;
	size_t	 i;

	for (i = 0; i < COL_NCOLUMNS; i++) {
		if (!shown[order[i]])
			continue;
		if (order[i] != COL_NAME && skip > 0) {
			skip--;
			continue;
		}
		cw = order[i] == COL_NAME ? name_width() :
		    col_table[order[i]].width;
		if (x + cw > w)
			break;
		ids[n] = order[i];
		xs[n] = x;
		ws[n] = cw;
		n++;
		x += cw + 1;
	}
	return (n);
}

static void
draw_table(int y, int x, int h, int w)
{
	enum col_id	 ids[COL_NCOLUMNS];
	int		 xs[COL_NCOLUMNS], ws[COL_NCOLUMNS], n, i, j;
	char		 buf[64], cell[80];
	struct dom_row	*r;
	attr_t		 a;

	list.height = h - 1;
	n = layout(w, ids, xs, ws);
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	for (j = 0; j < n; j++) {
		a = ids[j] == sort_col ? theme_attr(COL_HEADER_SORT) :
		    theme_attr(COL_HEADER);
		if (col_table[ids[j]].left)
			snprintf(cell, sizeof cell, "%-*s", ws[j],
			    col_table[ids[j]].title);
		else
			snprintf(cell, sizeof cell, "%*s", ws[j],
			    col_table[ids[j]].title);
		tui_draw_text(y, x + xs[j], ws[j], cell, a);
		if (ids[j] == sort_col && xs[j] + ws[j] < w)
			tui_draw_text(y, x + xs[j] + ws[j], 1,
			    tui_glyph(list.desc ? GLYPH_ARROW_DOWN :
			    GLYPH_ARROW_UP), a);
	}
	if (tui.be == NULL) {
		tui_draw_text(y + 2, x + 1, w - 2, tui.be_error,
		    theme_attr(COL_ERROR));
		return;
	}
	for (i = 0; i < h - 1 && list.top + i < (int)list.n; i++) {
		r = list.rows[list.top + i];
		a = list.top + i == list.sel ? theme_attr(COL_SELECTED) :
		    theme_dom_attr(r->s.info.state);
		if (list.top + i == list.sel)
			tui_fill(y + 1 + i, x, w, a);
		for (j = 0; j < n; j++) {
			col_format(&col_table[ids[j]], r, buf, sizeof buf);
			if (col_table[ids[j]].left)
				snprintf(cell, sizeof cell, "%-*.*s", ws[j],
				    ws[j], buf);
			else
				snprintf(cell, sizeof cell, "%*s", ws[j], buf);
			tui_draw_text(y + 1 + i, x + xs[j], ws[j], cell, a);
		}
	}
	if (list.n == 0 && tui.sampler.generation > 0)
		tui_draw_text(y + 2, x + 1, w - 2, "no domain matches",
		    theme_attr(COL_DIM));
}

static void
draw_chooser(int y, int x, int h, int w)
{
	char	 line[160];
	int	 i;

	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, " Columns: Space shows or hides, J/K or +/- "
	    "move, Enter or Esc done", theme_attr(COL_HEADER));
	for (i = 0; i < (int)nitems(default_order) && i < h - 1; i++) {
		snprintf(line, sizeof line, " [%s] %-10s %s",
		    shown[order[i]] ? tui_glyph(GLYPH_CHECK) : " ",
		    col_table[order[i]].title, col_table[order[i]].help);
		if (i == chooser_sel)
			tui_fill(y + 1 + i, x, w, theme_attr(COL_SELECTED));
		tui_draw_text(y + 1 + i, x, w, line, i == chooser_sel ?
		    theme_attr(COL_SELECTED) : A_NORMAL);
	}
}

static const char *
u64s(uint64_t v, char *buf, size_t len)
{
	if (v == STAT_NONE)
		return ("-");
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return (buf);
}

/* A domain's devices, one table each. */
static void
draw_drill(int y, int x, int h, int w)
{
	struct dom_row	*r = tui.selected != NULL ?
			    sampler_find(&tui.sampler, tui.selected) : NULL;
	char		 line[256], b[8][24];
	int		 row = 0;
	size_t		 k;

#define LINE(a) do {							\
	if (row - drill_top >= 0 && row - drill_top < h - 1)		\
		tui_draw_text(y + 1 + row - drill_top, x, w, line, (a));\
	row++;								\
} while (0)
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	if (r == NULL) {
		tui_draw_text(y, x, w, " the domain has gone (Esc back)",
		    theme_attr(COL_HEADER));
		return;
	}
	snprintf(line, sizeof line, " %s (id %d): vcpus, vifs, vbds -- Esc "
	    "back", r->s.info.name, r->s.info.domid);
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));

	snprintf(line, sizeof line, "%-6s %6s %10s %6s", "VCPU", "ONLINE",
	    "CPU(sec)", "CPU(%)");
	LINE(theme_attr(COL_KEY));
	for (k = 0; k < r->s.nvcpu; k++) {
		if (r->vcpu_pct[k] < 0)
			snprintf(b[0], sizeof b[0], "-");
		else
			snprintf(b[0], sizeof b[0], "%.1f", r->vcpu_pct[k]);
		snprintf(line, sizeof line, "%-6zu %6s %10s %6s", k,
		    r->s.vcpu[k].online ? "yes" : "no",
		    r->s.vcpu[k].cpu_ns == STAT_NONE ? "-" :
		    u64s(r->s.vcpu[k].cpu_ns / 1000000000ULL, b[1],
		    sizeof b[1]), b[0]);
		LINE(A_NORMAL);
	}
	if (r->s.nvcpu == 0) {
		snprintf(line, sizeof line, "  (no per-vcpu counters)");
		LINE(theme_attr(COL_DIM));
	}
	snprintf(line, sizeof line, " ");
	LINE(A_NORMAL);
	snprintf(line, sizeof line, "%-10s %10s %8s %6s %6s %10s %8s %6s %6s",
	    "VIF", "TX(bytes)", "TX(pkt)", "TXERR", "TXDROP", "RX(bytes)",
	    "RX(pkt)", "RXERR", "RXDROP");
	LINE(theme_attr(COL_KEY));
	for (k = 0; k < r->s.nvifs; k++) {
		const struct dom_vif_stats *v = &r->s.vifs[k];

		snprintf(line, sizeof line, "%-10s %10s %8s %6s %6s %10s %8s "
		    "%6s %6s", v->name, u64s(v->tx_bytes, b[0], 24),
		    u64s(v->tx_pkts, b[1], 24), u64s(v->tx_errs, b[2], 24),
		    u64s(v->tx_drop, b[3], 24), u64s(v->rx_bytes, b[4], 24),
		    u64s(v->rx_pkts, b[5], 24), u64s(v->rx_errs, b[6], 24),
		    u64s(v->rx_drop, b[7], 24));
		LINE(A_NORMAL);
	}
	if (r->s.nvifs == 0) {
		snprintf(line, sizeof line, "  (no vifs)");
		LINE(theme_attr(COL_DIM));
	}
	snprintf(line, sizeof line, " ");
	LINE(A_NORMAL);
	snprintf(line, sizeof line, "%-10s %8s %8s %8s %10s %10s", "VBD",
	    "OO", "RD", "WR", "RSECT", "WSECT");
	LINE(theme_attr(COL_KEY));
	for (k = 0; k < r->s.nvbds; k++) {
		const struct dom_vbd_stats *v = &r->s.vbds[k];

		snprintf(line, sizeof line, "%-10s %8s %8s %8s %10s %10s",
		    v->name, u64s(v->oo, b[0], 24), u64s(v->rd_reqs, b[1], 24),
		    u64s(v->wr_reqs, b[2], 24), u64s(v->rd_sect, b[3], 24),
		    u64s(v->wr_sect, b[4], 24));
		LINE(A_NORMAL);
	}
	if (r->s.nvbds == 0) {
		snprintf(line, sizeof line, "  (no vbds)");
		LINE(theme_attr(COL_DIM));
	}
	if (r->s.why_none != NULL) {
		snprintf(line, sizeof line, " ");
		LINE(A_NORMAL);
		snprintf(line, sizeof line, "'-': %s", r->s.why_none);
		LINE(theme_attr(COL_DIM));
	}
#undef LINE
}

static void
tv_draw(int y, int x, int h, int w)
{
	switch (mode) {
	case TOP_TABLE:
		draw_table(y, x, h, w);
		break;
	case TOP_CHOOSER:
		draw_chooser(y, x, h, w);
		break;
	case TOP_DRILL:
		draw_drill(y, x, h, w);
		break;
	}
}

static void
set_sort(enum col_id id, int desc)
{
	sort_col = id;
	list.cmp = col_table[id].cmp;
	list.desc = desc;
	dlist_rebuild(&list);
	tui_status(COL_DIM, "sorted on %s, %s", col_table[id].title,
	    desc ? "descending" : "ascending");
}

/* Step the sort column through the shown ones. */
static int
sort_step(int dir)
{
	int	 i, n = (int)nitems(default_order), at = 0;

	for (i = 0; i < n; i++) {
		if (order[i] == sort_col)
			at = i;
	}
	for (i = 1; i <= n; i++) {
		int	 k = ((at + dir * i) % n + n) % n;

		if (shown[order[k]]) {
			set_sort(order[k], list.desc);
			break;
		}
	}
	return (VIEW_REDRAW);
}

static int
tv_sort_prev(void)
{
	return (sort_step(-1));
}

static int
tv_sort_next(void)
{
	return (sort_step(1));
}

static int
tv_invert(void)
{
	set_sort(sort_col, !list.desc);
	return (VIEW_REDRAW);
}

static int
tv_left(void)
{
	if (hoff > 0)
		hoff--;
	return (VIEW_REDRAW);
}

static int
tv_right(void)
{
	int	 i, nshown = 0;

	for (i = 0; i < COL_NCOLUMNS; i++)
		nshown += shown[i];
	if (hoff < nshown - 2)
		hoff++;
	return (VIEW_REDRAW);
}

static int
tv_chooser(void)
{
	mode = TOP_CHOOSER;
	chooser_sel = 0;
	return (VIEW_REDRAW);
}

static void
delay_done(const char *text, void *arg)
{
	char	*end;
	long	 tenths;

	if (text == NULL || *text == '\0')
		return;
	tenths = strtol(text, &end, 10);
	if (*end != '\0' || tenths < 1 || tenths > 36000) {
		tui_status(COL_ERROR, "delay: %s: give tenths of a second, "
		    "1 to 36000", text);
		return;
	}
	tui_set_refresh((int)tenths * 100);
	tui_status(COL_OK, "delay: %.1f s between samples", tenths / 10.0);
}

static int
tv_delay(void)
{
	char	 now[16];

	snprintf(now, sizeof now, "%d", tui.refresh_ms / 100);
	prompt_begin(PROMPT_PLAIN, "delay (tenths of a second): ", now,
	    delay_done, NULL, NULL);
	return (VIEW_REDRAW);
}

static int
tv_filter(void)
{
	dlist_filter_prompt(&list);
	return (VIEW_REDRAW);
}

static int
tv_drill(void)
{
	if (dlist_selected(&list) == NULL)
		return (VIEW_REDRAW);
	mode = TOP_DRILL;
	drill_top = 0;
	return (VIEW_REDRAW);
}

/* The reasons behind the selected row's '-' cells. */
static int
tv_why(void)
{
	struct dom_row	*r = dlist_selected(&list);
	char		 buf[64], *msg = NULL, *next;
	const char	*no;
	size_t		 i;

	if (r == NULL)
		return (VIEW_REDRAW);
	for (i = 0; i < nitems(default_order); i++) {
		if (!shown[order[i]])
			continue;
		no = col_format(&col_table[order[i]], r, buf, sizeof buf);
		if (no == NULL)
			continue;
		xasprintf(&next, "%s%s%s: %s", msg != NULL ? msg : "",
		    msg != NULL ? "; " : "", col_table[order[i]].title, no);
		free(msg);
		msg = next;
	}
	if (msg == NULL)
		tui_status(COL_OK, "%s: every value exists", r->s.info.name);
	else
		tui_status(COL_STATUS, "%s: %s", r->s.info.name, msg);
	free(msg);
	return (VIEW_REDRAW);
}

static int
chooser_key(int ch)
{
	int		 n = (int)nitems(default_order), to = -1;
	enum col_id	 t;

	switch (ch) {
	case 'j':
	case KEY_DOWN:
		if (chooser_sel < n - 1)
			chooser_sel++;
		break;
	case 'k':
	case KEY_UP:
		if (chooser_sel > 0)
			chooser_sel--;
		break;
	case ' ':
		if (order[chooser_sel] == COL_NAME)
			tui_status(COL_ERROR, "NAME always shows");
		else
			shown[order[chooser_sel]] = !shown[order[chooser_sel]];
		break;
	case 'J':
	case '+':
		to = chooser_sel + 1;
		break;
	case 'K':
	case '-':
		to = chooser_sel - 1;
		break;
	case '\r':
	case KEY_ENTER:
	case 27:
	case 'q':
		mode = TOP_TABLE;
		hoff = 0;
		break;
	default:
		return (VIEW_UNHANDLED);
	}
	if (to >= 0 && to < n) {
		t = order[to];
		order[to] = order[chooser_sel];
		order[chooser_sel] = t;
		chooser_sel = to;
	}
	return (VIEW_REDRAW);
}

static int
tv_key(int ch)
{
	int	 r;

	if (mode == TOP_CHOOSER)
		return (chooser_key(ch));
	if (mode == TOP_DRILL) {
		switch (ch) {
		case 27:
		case 'q':
		case KEY_BACKSPACE:
			mode = TOP_TABLE;
			return (VIEW_REDRAW);
		case 'j':
		case KEY_DOWN:
			drill_top++;
			return (VIEW_REDRAW);
		case 'k':
		case KEY_UP:
			if (drill_top > 0)
				drill_top--;
			return (VIEW_REDRAW);
		}
		return (VIEW_UNHANDLED);
	}
	if ((r = dlist_key(&list, ch)) != VIEW_UNHANDLED)
		return (r);
	return (view_key_dispatch(top_keys, ch));
}

static int
tv_mouse(int y, int x, mmask_t b)
{
	enum col_id	 ids[COL_NCOLUMNS];
	int		 xs[COL_NCOLUMNS], ws[COL_NCOLUMNS], n, j;

	if (mode != TOP_TABLE)
		return (0);
	if (y == 0 && (b & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
		n = layout(tui.cols, ids, xs, ws);
		for (j = 0; j < n; j++) {
			if (x >= xs[j] && x < xs[j] + ws[j] + 1) {
				set_sort(ids[j], ids[j] == sort_col ?
				    !list.desc : 1);
				break;
			}
		}
		return (VIEW_REDRAW);
	}
	return (dlist_click(&list, y - 1, b));
}

const struct view_ops view_top_ops = {
	.name = "top",
	.title = "Top",
	.hotkey = '2',
	.keys = top_keys,
	.init = tv_init,
	.free = tv_free,
	.update = tv_update,
	.draw = tv_draw,
	.key = tv_key,
	.mouse = tv_mouse,
	.enter = tv_enter,
};
