/*
 * The pager view: text that does not fit the status line (help, a
 * command's output, the transcript), scrolled with the usual keys; Esc or
 * q goes back. A line wider than the screen is wrapped, never cut. Help
 * is generated here from the command table and the
 * views' key tables, so it cannot drift from what the keys do.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

/*
 * The view's own state. Each pager_show() starts afresh: a search typed
 * in the help does not follow the user into a command's output.
 */
static struct {
	char		*title;
	char		*text;		/* as shown, before wrapping */
	int		 width;		/* the lines are wrapped at */
	struct line_list lines;
	int		 top, height;
	char		*find_text;
} pg;

static int	clamp(void);
static int	pg_down(void);
static int	pg_up(void);
static int	pg_pgdown(void);
static int	pg_pgup(void);
static int	pg_home(void);
static int	pg_end(void);
static int	pg_back(void);
static int	pg_search(void);

static const struct view_key pager_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "scroll down", pg_down },
	{ 'k', KEY_UP, "k, Up", "scroll up", pg_up },
	{ ' ', KEY_NPAGE, "Space, PgDn", "page down", pg_pgdown },
	{ 'b', KEY_PPAGE, "b, PgUp", "page up", pg_pgup },
	{ 'g', KEY_HOME, "g, Home", "top", pg_home },
	{ 'G', KEY_END, "G, End", "bottom", pg_end },
	{ '/', 0, "/", "find text", pg_search },
	{ 'q', 27, "q, Esc", "back", pg_back },
	{ 0, 0, NULL, NULL, NULL }
};

static void
pager_clear(void)
{
	line_list_free(&pg.lines);
	pg.top = 0;
}

/* Show text (copied) under a title, then come back with Esc. */
void
pager_show(const char *t, const char *text)
{
	pager_clear();
	free(pg.title);
	pg.title = xstrdup(t);
	free(pg.find_text);
	pg.find_text = NULL;
	free(pg.text);
	pg.text = xstrdup(text);
	pg.width = tui.cols;
	line_list_split_wrapped(&pg.lines, pg.text, pg.width);
	tui_switch(&view_pager_ops, NULL);
}

static void
add_keys(FILE *f, const char *title_, const struct view_key *keys)
{
	const struct view_key	*k;

	fprintf(f, "%s\n", title_);
	for (k = keys; k != NULL && k->label != NULL; k++)
		fprintf(f, "  %-14s %s\n", k->label, k->help);
	fputc('\n', f);
}

/* The views whose keys help and the manual list, NULL-terminated. */
const struct view_ops *const help_views[] = {
	&view_domains_ops, &view_top_ops, &view_host_ops, &view_detail_ops,
	&view_serial_ops, &view_vnc_ops, &view_jobs_ops, &view_messages_ops,
	&view_storage_ops, &view_network_ops, &view_isos_ops,
	&view_wizard_menu_ops, &view_wizard_ops, &view_guide_ops,
	&view_transcript_ops, NULL
};

/* Help: the views' keys, the global keys and every command. */
char *
help_text(void)
{
	const struct cmd_entry	**e;
	char			*buf = NULL, t[128];
	size_t			 len = 0, i;
	FILE			*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "xendeck %s: keys and commands (Esc or q leaves)\n\n",
	    PACKAGE_VERSION);
	add_keys(f, "Everywhere", tui_global_keys);
	fprintf(f, "  %-14s %s\n", "1 2 3 4 5 6", "the Domains, Top, Host, "
	    "Detail, Storage and Network views; a click on a tab too");
	fprintf(f, "  %-14s %s\n\n", "g", "the Guide: the guide's steps and "
	    "where this host stands in each");
	for (i = 0; help_views[i] != NULL; i++) {
		snprintf(t, sizeof t, "%s view", help_views[i]->title);
		add_keys(f, t, help_views[i]->keys);
	}
	fprintf(f, "Commands (at the ':' prompt, as on the command line)\n");
	for (e = cmd_table; *e != NULL; e++) {
		if ((*e)->flags & CMD_HIDDEN)
			continue;
		fprintf(f, "  %-14s %s%s\n", (*e)->name, (*e)->summary,
		    ((*e)->flags & CMD_MODIFIES) && tui.ctx->read_only ?
		    " (refused: read-only)" : "");
		if (*(*e)->usage != '\0')
			fprintf(f, "  %-14s   usage: %s %s\n", "", (*e)->name,
			    (*e)->usage);
	}
	fprintf(f, "\n'help COMMAND' at the prompt explains one command.\n");
	fclose(f);
	return (buf);
}

static void
pager_free(void)
{
	pager_clear();
	free(pg.title);
	pg.title = NULL;
	free(pg.text);
	pg.text = NULL;
	free(pg.find_text);
	pg.find_text = NULL;
}

static void
pager_resize(int l, int c)
{
	pg.height = l - 1;
}

static void
pager_draw(int y, int x, int h, int w)
{
	int	 i;

	pg.height = h - 1;
	if (w != pg.width && pg.text != NULL) {
		line_list_free(&pg.lines);
		pg.width = w;
		line_list_split_wrapped(&pg.lines, pg.text, pg.width);
		clamp();
	}
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x + 1, w - 1, pg.title != NULL ? pg.title : "",
	    theme_attr(COL_HEADER));
	for (i = 0; i < h - 1 && pg.top + i < (int)pg.lines.n; i++) {
		tui_draw_text(y + 1 + i, x, w, pg.lines.line[pg.top + i],
		    pg.find_text != NULL && *pg.find_text != '\0' &&
		    strstr(pg.lines.line[pg.top + i], pg.find_text) != NULL ?
		    theme_attr(COL_SELECTED) : A_NORMAL);
	}
}

static int
clamp(void)
{
	int	 max = (int)pg.lines.n - pg.height;

	if (pg.top > max)
		pg.top = max;
	if (pg.top < 0)
		pg.top = 0;
	return (VIEW_REDRAW);
}

static int
pg_down(void)
{
	pg.top++;
	return (clamp());
}

static int
pg_up(void)
{
	pg.top--;
	return (clamp());
}

static int
pg_pgdown(void)
{
	pg.top += pg.height - 1;
	return (clamp());
}

static int
pg_pgup(void)
{
	pg.top -= pg.height - 1;
	return (clamp());
}

static int
pg_home(void)
{
	pg.top = 0;
	return (VIEW_REDRAW);
}

static int
pg_end(void)
{
	pg.top = (int)pg.lines.n;
	return (clamp());
}

static int
pg_back(void)
{
	tui_back();
	return (VIEW_REDRAW);
}

static void
pg_found(const char *text, void *arg)
{
	size_t	 i;

	free(pg.find_text);
	pg.find_text = text != NULL ? xstrdup(text) : NULL;
	if (pg.find_text == NULL || *pg.find_text == '\0')
		return;
	for (i = (size_t)pg.top + 1; i < pg.lines.n; i++) {
		if (strstr(pg.lines.line[i], pg.find_text) != NULL) {
			pg.top = (int)i;
			clamp();
			return;
		}
	}
	tui_status(COL_ERROR, "not found: %s", pg.find_text);
}

static int
pg_search(void)
{
	prompt_begin(PROMPT_PLAIN, "find: ", NULL, pg_found, NULL, NULL);
	return (VIEW_REDRAW);
}

static int
pager_key(int ch)
{
	return (view_key_dispatch(pager_keys, ch));
}

static int
pager_mouse(int y, int x, mmask_t b)
{
	if (b & BUTTON4_PRESSED)
		pg.top -= 3;
	else if (b & BUTTON5_PRESSED)
		pg.top += 3;
	return (clamp());
}

const struct view_ops view_pager_ops = {
	.name = "pager",
	.title = "Help/output",
	.keys = pager_keys,
	.free = pager_free,
	.resize = pager_resize,
	.draw = pager_draw,
	.key = pager_key,
	.mouse = pager_mouse,
};
