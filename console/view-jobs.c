/*
 * The Jobs view (:jobs): the console's listed jobs, newest first, running
 * or finished (job.c keeps the last 50 finished), with their state,
 * elapsed time and last line of output. Enter shows a job's whole output;
 * x cancels a job that can be cancelled.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

/* The view's own state: the selected job, by id (jobs come and go). */
static struct {
	unsigned int	 sel;		/* 0: the newest */
	int		 top;
	int		 height;
} jv;

static int	jv_down(void);
static int	jv_up(void);
static int	jv_output(void);
static int	jv_cancel(void);

static const struct view_key jobs_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next job", jv_down },
	{ 'k', KEY_UP, "k, Up", "previous job", jv_up },
	{ '\r', KEY_ENTER, "Enter", "the job's whole output", jv_output },
	{ 'x', KEY_DC, "x, Delete", "cancel the job (if it can be)",
	    jv_cancel },
	{ 0, 0, NULL, NULL, NULL }
};

/* The listed jobs, newest first (caller frees the array). */
static struct job **
jv_list(size_t *n)
{
	struct job	**a = NULL, *j;
	size_t		  i = 0, k;

	for (j = job_first(); j != NULL; j = job_next(j)) {
		a = xreallocarray(a, i + 1, sizeof *a);
		a[i++] = j;
	}
	for (k = 0; k < i / 2; k++) {
		j = a[k];
		a[k] = a[i - 1 - k];
		a[i - 1 - k] = j;
	}
	*n = i;
	return (a);
}

/* The index of the selected job in the list (0 if it is gone). */
static size_t
jv_index(struct job **a, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (job_id(a[i]) == jv.sel)
			return (i);
	}
	return (0);
}

static attr_t
state_attr(enum job_state s)
{
	switch (s) {
	case JOB_DONE:
		return (theme_attr(COL_OK));
	case JOB_FAILED:
		return (theme_attr(COL_ERROR));
	case JOB_CANCELLED:
		return (theme_attr(COL_DIM));
	default:
		return (theme_attr(COL_WARNING));
	}
}

static void
jv_draw(int y, int x, int h, int w)
{
	struct job	**a, *j;
	size_t		  n, i, cur;
	char		  line[512], secs[32];
	int		  row, rows = h - 2;
	attr_t		  at;

	jv.height = rows;
	a = jv_list(&n);
	snprintf(line, sizeof line, " Jobs: %d running, %zu kept  "
	    "Enter output, x cancel, Esc leaves", job_running(1), n);
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	snprintf(line, sizeof line, "%4s  %-9s %6s  %-28s %s", "ID", "STATE",
	    "TIME", "JOB", "LAST LINE / OUTCOME");
	tui_draw_text(y + 1, x, w, line, theme_attr(COL_KEY));
	if (n == 0) {
		tui_draw_text(y + 3, x + 1, w - 2, "no jobs yet: create, "
		    "shutdown, destroy and the like run here",
		    theme_attr(COL_DIM));
		free(a);
		return;
	}
	cur = jv_index(a, n);
	jv.sel = job_id(a[cur]);
	if ((int)cur < jv.top)
		jv.top = (int)cur;
	if ((int)cur >= jv.top + rows)
		jv.top = (int)cur - rows + 1;
	for (row = 0, i = (size_t)jv.top; row < rows && i < n; row++, i++) {
		j = a[i];
		snprintf(secs, sizeof secs, "%llus",
		    (unsigned long long)(job_elapsed_ms(j) / 1000));
		snprintf(line, sizeof line, "%4u  %-9s %6s  %-28.28s %s%s",
		    job_id(j), job_state_name(job_state(j)), secs,
		    job_name(j), job_error(j) != NULL ? job_error(j) :
		    job_last_line(j), (job_flags(j) & JOB_CANCEL) &&
		    job_state(j) == JOB_RUNNING ? "  [x cancels]" : "");
		at = i == cur ? theme_attr(COL_SELECTED) :
		    state_attr(job_state(j));
		if (i == cur)
			tui_fill(y + 2 + row, x, w, at);
		tui_draw_text(y + 2 + row, x, w, line, at);
	}
	free(a);
}

static int
jv_move(int delta)
{
	struct job	**a;
	size_t		  n;
	int		  i;

	a = jv_list(&n);
	if (n > 0) {
		i = (int)jv_index(a, n) + delta;
		if (i < 0)
			i = 0;
		if (i >= (int)n)
			i = (int)n - 1;
		jv.sel = job_id(a[i]);
	}
	free(a);
	return (VIEW_REDRAW);
}

static int
jv_down(void)
{
	return (jv_move(1));
}

static int
jv_up(void)
{
	return (jv_move(-1));
}

static struct job *
jv_selected(void)
{
	struct job	**a, *j = NULL;
	size_t		  n;

	a = jv_list(&n);
	if (n > 0)
		j = a[jv_index(a, n)];
	free(a);
	return (j);
}

static int
jv_output(void)
{
	struct job	*j = jv_selected();
	char		*title, *text;
	size_t		 len;
	const char	*out;

	if (j == NULL)
		return (VIEW_REDRAW);
	out = job_output(j, &len);
	xasprintf(&title, "job %u: %s (%s)", job_id(j), job_name(j),
	    job_state_name(job_state(j)));
	xasprintf(&text, "%s%s%s%s", out, len == 0 ? "(no output)\n" : "",
	    job_error(j) != NULL ? "\n" : "", job_error(j) != NULL ?
	    job_error(j) : "");
	pager_show(title, text);
	free(title);
	free(text);
	return (VIEW_REDRAW);
}

static int
jv_cancel(void)
{
	struct job	*j = jv_selected();
	char		*cause = NULL;

	if (j == NULL)
		return (VIEW_REDRAW);
	if (job_cancel(j, &cause) != 0) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
	} else
		tui_status(COL_STATUS, "%s: cancelling", job_name(j));
	return (VIEW_REDRAW);
}

static int
jv_key(int ch)
{
	return (view_key_dispatch(jobs_keys, ch));
}

static int
jv_enter(const char *arg)
{
	jv.sel = 0;	/* the newest */
	jv.top = 0;
	return (0);
}

const struct view_ops view_jobs_ops = {
	.name = "jobs",
	.title = "Jobs",
	.keys = jobs_keys,
	.draw = jv_draw,
	.key = jv_key,
	.enter = jv_enter,
};
