/*
 * Messages: the session's history of what actions said. Every outcome,
 * warning and error that reached the status line is kept here (the status
 * line shows one line for a few seconds; this keeps them all, with the
 * time), and the view lists them, newest last. Enter shows one in full.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"

#define MESSAGES_MAX	1000

struct message {
	time_t		 when;
	enum msg_level	 level;
	char		*text;
};

/* The store: the session's, whatever view is on screen. */
static struct message	*msgs;
static size_t		 nmsgs;

/* The view's own state. */
static struct {
	int	 sel;		/* -1: follow the newest */
	int	 top;
	int	 height;
} mv = { -1, 0, 0 };

static int	mv_down(void);
static int	mv_up(void);
static int	mv_pgdown(void);
static int	mv_pgup(void);
static int	mv_home(void);
static int	mv_end(void);
static int	mv_show(void);

static const struct view_key messages_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next message", mv_down },
	{ 'k', KEY_UP, "k, Up", "previous message", mv_up },
	{ ' ', KEY_NPAGE, "Space, PgDn", "page down", mv_pgdown },
	{ 'b', KEY_PPAGE, "b, PgUp", "page up", mv_pgup },
	{ KEY_HOME, 0, "Home", "the oldest (g is the Guide)", mv_home },
	{ 'G', KEY_END, "G, End", "the newest (and follow new ones)",
	    mv_end },
	{ '\r', KEY_ENTER, "Enter", "the message in full", mv_show },
	{ 0, 0, NULL, NULL, NULL }
};

void
messages_add(enum msg_level level, const char *text)
{
	struct message	*m;

	if (nmsgs == MESSAGES_MAX) {
		free(msgs[0].text);
		memmove(msgs, msgs + 1, (nmsgs - 1) * sizeof *msgs);
		nmsgs--;
		if (mv.sel > 0)
			mv.sel--;
	}
	msgs = xreallocarray(msgs, nmsgs + 1, sizeof *msgs);
	m = &msgs[nmsgs++];
	m->when = time(NULL);
	m->level = level;
	m->text = xstrdup(text);
	if (tui.view == &view_messages_ops)
		tui.redraw = 1;
}

void
messages_addf(enum msg_level level, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	xvasprintf(&text, fmt, ap);
	va_end(ap);
	messages_add(level, text);
	free(text);
}

/* How many messages of a level the session has had. */
size_t
messages_count(enum msg_level level)
{
	size_t	 i, n = 0;

	for (i = 0; i < nmsgs; i++)
		n += msgs[i].level == level;
	return (n);
}

void
messages_free(void)
{
	size_t	 i;

	for (i = 0; i < nmsgs; i++)
		free(msgs[i].text);
	free(msgs);
	msgs = NULL;
	nmsgs = 0;
	mv.sel = -1;
	mv.top = 0;
}

static const char *
level_name(enum msg_level l)
{
	switch (l) {
	case MSG_OK:
		return ("ok");
	case MSG_WARNING:
		return ("warning");
	case MSG_ERROR:
		return ("error");
	default:
		return ("info");
	}
}

static attr_t
level_attr(enum msg_level l)
{
	switch (l) {
	case MSG_OK:
		return (theme_attr(COL_OK));
	case MSG_WARNING:
		return (theme_attr(COL_WARNING));
	case MSG_ERROR:
		return (theme_attr(COL_ERROR));
	default:
		return (A_NORMAL);
	}
}

static int
current(void)
{
	return (mv.sel < 0 ? (int)nmsgs - 1 : mv.sel);
}

static void
mv_draw(int y, int x, int h, int w)
{
	char		 head[160], when[16], line[64];
	struct tm	 tm;
	int		 i, cur = current(), rows = h - 1;
	attr_t		 a;

	mv.height = rows;
	snprintf(head, sizeof head, " Messages: %zu (%zu warnings, %zu "
	    "errors)  Enter shows one in full, Esc leaves", nmsgs,
	    messages_count(MSG_WARNING), messages_count(MSG_ERROR));
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, head, theme_attr(COL_HEADER));
	if (nmsgs == 0) {
		tui_draw_text(y + 2, x + 1, w - 2, "nothing yet: outcomes, "
		    "warnings and errors of this session are kept here",
		    theme_attr(COL_DIM));
		return;
	}
	/* Keep the current one in view. */
	if (cur < mv.top)
		mv.top = cur;
	if (cur >= mv.top + rows)
		mv.top = cur - rows + 1;
	if (mv.top < 0)
		mv.top = 0;
	for (i = 0; i < rows && mv.top + i < (int)nmsgs; i++) {
		const struct message	*m = &msgs[mv.top + i];

		localtime_r(&m->when, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		snprintf(line, sizeof line, "%s %-7s ", when,
		    level_name(m->level));
		a = mv.top + i == cur ? theme_attr(COL_SELECTED) : A_NORMAL;
		if (mv.top + i == cur)
			tui_fill(y + 1 + i, x, w, a);
		tui_draw_text(y + 1 + i, x, w, line, a != A_NORMAL ? a :
		    theme_attr(COL_DIM));
		tui_draw_text(y + 1 + i, x + (int)strlen(line), w -
		    (int)strlen(line), m->text, a != A_NORMAL ? a :
		    level_attr(m->level));
	}
}

static int
mv_move(int to)
{
	if (nmsgs == 0)
		return (VIEW_REDRAW);
	if (to >= (int)nmsgs - 1) {
		mv.sel = -1;		/* follow the newest */
		return (VIEW_REDRAW);
	}
	mv.sel = to < 0 ? 0 : to;
	return (VIEW_REDRAW);
}

static int
mv_down(void)
{
	return (mv_move(current() + 1));
}

static int
mv_up(void)
{
	return (mv_move(current() - 1));
}

static int
mv_pgdown(void)
{
	return (mv_move(current() + (mv.height > 1 ? mv.height - 1 : 1)));
}

static int
mv_pgup(void)
{
	return (mv_move(current() - (mv.height > 1 ? mv.height - 1 : 1)));
}

static int
mv_home(void)
{
	return (mv_move(0));
}

static int
mv_end(void)
{
	return (mv_move((int)nmsgs));
}

static int
mv_show(void)
{
	const struct message	*m;
	char			 when[32], *text;
	struct tm		 tm;

	if (nmsgs == 0)
		return (VIEW_REDRAW);
	m = &msgs[current()];
	localtime_r(&m->when, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	xasprintf(&text, "%s %s\n\n%s\n", when, level_name(m->level),
	    m->text);
	pager_show("Message", text);
	free(text);
	return (VIEW_REDRAW);
}

static int
mv_key(int ch)
{
	return (view_key_dispatch(messages_keys, ch));
}

static int
mv_enter(const char *arg)
{
	mv.sel = -1;
	return (0);
}

const struct view_ops view_messages_ops = {
	.name = "messages",
	.title = "Messages",
	.keys = messages_keys,
	.draw = mv_draw,
	.key = mv_key,
	.enter = mv_enter,
};
