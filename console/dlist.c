/*
 * The domain list the Domains and Top views share: the sampler's rows,
 * filtered by a name substring and sorted by a column's comparator, with
 * the selection kept by name (tui.selected) so it follows a domain when
 * the order changes.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

static int	(*sort_cmp)(const struct dom_row *, const struct dom_row *);
static int	 sort_desc;

static int
sort_rows(const void *a, const void *b)
{
	const struct dom_row	*ra = *(struct dom_row *const *)a;
	const struct dom_row	*rb = *(struct dom_row *const *)b;
	int			 c = sort_cmp(ra, rb);

	if (c == 0)	/* stable: by domid */
		c = ra->s.info.domid - rb->s.info.domid;
	else if (sort_desc)
		c = -c;
	return (c);
}

/* Rebuild from the sampler; keeps the selected domain selected. */
void
dlist_rebuild(struct dlist *l)
{
	size_t	 i;

	free(l->rows);
	l->rows = xcalloc(tui.sampler.nrows, sizeof *l->rows);
	l->n = 0;
	for (i = 0; i < tui.sampler.nrows; i++) {
		if (l->filter != NULL && *l->filter != '\0' &&
		    strcasestr(tui.sampler.rows[i]->s.info.name,
		    l->filter) == NULL)
			continue;
		l->rows[l->n++] = tui.sampler.rows[i];
	}
	if (l->cmp != NULL && l->n > 1) {
		sort_cmp = l->cmp;
		sort_desc = l->desc;
		qsort(l->rows, l->n, sizeof *l->rows, sort_rows);
	}
	if (l->sel >= (int)l->n)
		l->sel = l->n > 0 ? (int)l->n - 1 : 0;
	for (i = 0; tui.selected != NULL && i < l->n; i++) {
		if (strcmp(l->rows[i]->s.info.name, tui.selected) == 0) {
			l->sel = (int)i;
			break;
		}
	}
	if (l->n > 0)
		tui_select(l->rows[l->sel]->s.info.name);
	if (l->height > 0) {
		if (l->sel < l->top)
			l->top = l->sel;
		if (l->sel >= l->top + l->height)
			l->top = l->sel - l->height + 1;
	}
	if (l->top < 0)
		l->top = 0;
}

struct dom_row *
dlist_selected(struct dlist *l)
{
	if (l->n == 0)
		return (NULL);
	return (l->rows[l->sel]);
}

static int
dlist_move(struct dlist *l, int to)
{
	if (l->n == 0)
		return (VIEW_REDRAW);
	if (to < 0)
		to = 0;
	if (to >= (int)l->n)
		to = (int)l->n - 1;
	l->sel = to;
	free(tui.selected);
	tui.selected = xstrdup(l->rows[to]->s.info.name);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->height > 0 && l->sel >= l->top + l->height)
		l->top = l->sel - l->height + 1;
	return (VIEW_REDRAW);
}

/* Movement keys (htop's and vi's); VIEW_UNHANDLED for the rest. */
int
dlist_key(struct dlist *l, int ch)
{
	int	 page = l->height > 1 ? l->height - 1 : 1;

	switch (ch) {
	case 'j':
	case KEY_DOWN:
		return (dlist_move(l, l->sel + 1));
	case 'k':
	case KEY_UP:
		return (dlist_move(l, l->sel - 1));
	case KEY_NPAGE:
	case 6:		/* ctrl+F */
		return (dlist_move(l, l->sel + page));
	case KEY_PPAGE:
	case 2:		/* ctrl+B */
		return (dlist_move(l, l->sel - page));
	case KEY_HOME:		/* g is the Guide */
		return (dlist_move(l, 0));
	case 'G':
	case KEY_END:
		return (dlist_move(l, (int)l->n - 1));
	}
	return (VIEW_UNHANDLED);
}

/* A click on row y of the list (0 = first shown), or the wheel. */
int
dlist_click(struct dlist *l, int y, mmask_t b)
{
	if (b & BUTTON4_PRESSED)
		return (dlist_move(l, l->sel - 3));
	if (b & BUTTON5_PRESSED)
		return (dlist_move(l, l->sel + 3));
	if (y < 0 || l->top + y >= (int)l->n)
		return (0);
	return (dlist_move(l, l->top + y));
}

static void
filter_change(const char *text, void *arg)
{
	struct dlist	*l = arg;

	free(l->filter);
	l->filter = xstrdup(text != NULL ? text : "");
	dlist_rebuild(l);
}

static void
filter_done(const char *text, void *arg)
{
	struct dlist	*l = arg;

	if (text != NULL)
		filter_change(text, arg);
	if (l->filter != NULL && *l->filter != '\0')
		tui_status(COL_DIM, "filter: %s (/ then Enter on an empty "
		    "line clears it)", l->filter);
}

/* '/': a live filter on the name, like htop's F4. */
void
dlist_filter_prompt(struct dlist *l)
{
	prompt_begin(PROMPT_PLAIN, "/", l->filter, filter_done,
	    filter_change, l);
}

void
dlist_free(struct dlist *l)
{
	free(l->rows);
	l->rows = NULL;
	l->n = 0;
	free(l->filter);
	l->filter = NULL;
}
