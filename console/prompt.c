/*
 * The bottom-line prompt: GNU readline through its callback interface, so
 * it lives inside the console's one poll() loop. readline never touches
 * the terminal: keys come from curses through rl_getc_function (a small
 * queue filled by prompt_key, curses key codes turned back into the byte
 * sequences readline binds), its output goes to /dev/null and
 * rl_redisplay_function only asks the loop to draw the line.
 *
 * One prompt at a time: ':' commands (history in the state dir,
 * completion of commands and domain names), a path (filename completion)
 * or a plain answer (a name to confirm, a delay).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "console.h"

static int		 queue[64];
static size_t		 qhead, qlen;
static FILE		*devnull;
static char		*history_path;

static int		 active, kind;
static char		*prompt_text;
static prompt_cb	 done_cb;
static void		(*change_cb)(const char *, void *);
static void		*cb_arg;
static char		*accepted;
static int		 have_accepted;

static void
queue_push(int c)
{
	if (qlen < nitems(queue))
		queue[(qhead + qlen++) % nitems(queue)] = c;
}

static void
queue_str(const char *s)
{
	while (*s != '\0')
		queue_push((unsigned char)*s++);
}

static int
prompt_getc(FILE *f)
{
	int	 c;

	if (qlen == 0)
		return (EOF);
	c = queue[qhead];
	qhead = (qhead + 1) % nitems(queue);
	qlen--;
	return (c);
}

static int
prompt_input_available(void)
{
	return (qlen > 0);
}

static void
prompt_redisplay(void)
{
	tui.redraw = 1;
}

static void
prompt_prep(int meta)
{
}

static void
prompt_deprep(void)
{
}

static void
prompt_line(char *line)
{
	accepted = line;	/* readline's malloc'd copy, or NULL */
	have_accepted = 1;
	rl_callback_handler_remove();
}

/* Completion: commands first, then domains for CMD_DOMAIN commands. */
static char *
complete_command(const char *text, int state)
{
	static size_t	 i;
	const char	*name;

	if (state == 0)
		i = 0;
	while (cmd_table[i] != NULL) {
		if (cmd_table[i]->flags & CMD_HIDDEN) {
			i++;
			continue;
		}
		name = cmd_table[i++]->name;
		if (strncmp(name, text, strlen(text)) == 0)
			return (xstrdup(name));
	}
	return (NULL);
}

static char *
complete_domain(const char *text, int state)
{
	static size_t	 i;
	const char	*name;

	if (state == 0)
		i = 0;
	while (i < tui.sampler.nrows) {
		name = tui.sampler.rows[i++]->s.info.name;
		if (strncmp(name, text, strlen(text)) == 0)
			return (xstrdup(name));
	}
	return (NULL);
}

static char **
prompt_complete(const char *text, int start, int end)
{
	const struct cmd_entry	*e;
	char			*first, *cause = NULL, *sp;

	if (kind == PROMPT_FILE) {
		rl_completion_append_character = '\0';
		return (NULL);	/* readline's filename completion */
	}
	rl_attempted_completion_over = 1;
	if (kind != PROMPT_COMMAND)
		return (NULL);
	first = xstrndup(rl_line_buffer, (size_t)start);
	while (*first == ' ')
		memmove(first, first + 1, strlen(first));
	if (*first == '\0') {
		free(first);
		return (rl_completion_matches(text, complete_command));
	}
	if ((sp = strchr(first, ' ')) != NULL)
		*sp = '\0';
	e = cmd_find(first, &cause);
	free(cause);
	free(first);
	if (e != NULL && (e->flags & CMD_DOMAIN))
		return (rl_completion_matches(text, complete_domain));
	if (e != NULL && strcmp(e->name, "help") == 0)
		return (rl_completion_matches(text, complete_command));
	rl_attempted_completion_over = 0;	/* files, e.g. create */
	return (NULL);
}

/* Several matches: list them on the status line, not on the terminal. */
static void
prompt_show_matches(char **matches, int n, int max)
{
	char	*list = xstrdup(""), *next;
	int	 i;

	for (i = 1; i <= n; i++) {
		xasprintf(&next, "%s%s%s", list, i > 1 ? "  " : "",
		    matches[i]);
		free(list);
		list = next;
	}
	tui_status(COL_DIM, "%s", list);
	free(list);
}

void
prompt_init(void)
{
	if ((devnull = fopen("/dev/null", "we")) == NULL)
		fatal("/dev/null");
	rl_readline_name = "xendeck";
	rl_instream = stdin;
	rl_outstream = devnull;
	rl_getc_function = prompt_getc;
	rl_input_available_hook = prompt_input_available;
	rl_redisplay_function = prompt_redisplay;
	rl_prep_term_function = prompt_prep;
	rl_deprep_term_function = prompt_deprep;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = prompt_complete;
	rl_completion_display_matches_hook = prompt_show_matches;
	rl_initialize();
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("bell-style", "none");
	using_history();
	stifle_history(1000);
	if ((history_path = prompt_history_path()) != NULL)
		read_history(history_path);
}

void
prompt_exit(void)
{
	if (active)
		rl_callback_handler_remove();
	active = 0;
	if (history_path != NULL) {
		history_truncate_file(history_path, 1000);
		free(history_path);
		history_path = NULL;
	}
	free(prompt_text);
	prompt_text = NULL;
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
}

/*
 * Start a prompt: cb gets the line (NULL if cancelled) when Enter is
 * pressed; change (may be NULL) gets the text after every key, for live
 * filters.
 */
void
prompt_begin(int k, const char *text, const char *initial, prompt_cb cb,
    void (*change)(const char *, void *), void *arg)
{
	if (active)
		prompt_cancel();
	kind = k;
	free(prompt_text);
	prompt_text = xstrdup(text);
	done_cb = cb;
	change_cb = change;
	cb_arg = arg;
	qlen = 0;
	active = 1;
	have_accepted = 0;
	rl_callback_handler_install(prompt_text, prompt_line);
	if (initial != NULL) {
		rl_insert_text(initial);
		rl_point = rl_end;
	}
	tui.redraw = 1;
}

int
prompt_active(void)
{
	return (active);
}

static void
prompt_finish(char *line)
{
	prompt_cb	 cb = done_cb;
	void		*arg = cb_arg;

	active = 0;
	done_cb = NULL;
	change_cb = NULL;
	if (line != NULL && kind == PROMPT_COMMAND && *line != '\0') {
		add_history(line);
		if (history_path != NULL) {
			if (access(history_path, F_OK) != 0)
				write_history(history_path);
			else
				append_history(1, history_path);
		}
	}
	if (cb != NULL)
		cb(line, arg);
	free(line);
}

void
prompt_cancel(void)
{
	if (!active)
		return;
	rl_callback_handler_remove();
	prompt_finish(NULL);
}

/* One key from curses, while the prompt is active. */
void
prompt_key(int ch)
{
	switch (ch) {
	case 27:	/* Esc alone: cancel (set_escdelay keeps it fast) */
	case 7:		/* ctrl+G */
	case 3:		/* ctrl+C */
		prompt_cancel();
		return;
	case KEY_LEFT:
		queue_str("\033[D");
		break;
	case KEY_RIGHT:
		queue_str("\033[C");
		break;
	case KEY_UP:
		queue_str("\033[A");
		break;
	case KEY_DOWN:
		queue_str("\033[B");
		break;
	case KEY_HOME:
		queue_str("\033[H");
		break;
	case KEY_END:
		queue_str("\033[F");
		break;
	case KEY_DC:
		queue_str("\033[3~");
		break;
	case KEY_BACKSPACE:
		queue_push(0x7f);
		break;
	case KEY_ENTER:
		queue_push('\r');
		break;
	default:
		if (ch < 0 || ch > 0xff)
			return;	/* other function keys, mouse */
		queue_push(ch);
		break;
	}
	while (qlen > 0 && active && !have_accepted)
		rl_callback_read_char();
	if (have_accepted) {
		have_accepted = 0;
		prompt_finish(accepted);
		accepted = NULL;
		return;
	}
	if (change_cb != NULL)
		change_cb(rl_line_buffer, cb_arg);
}

/* The prompt on line y, scrolled so the cursor shows. */
void
prompt_draw(int y, int cols)
{
	const char	*buf = rl_line_buffer != NULL ? rl_line_buffer : "";
	int		 plen = (int)strlen(prompt_text), i, cur = 0, off = 0;
	int		 room, want, skip = 0;

	for (i = 0; i < rl_point && buf[i] != '\0'; i++) {
		if (((unsigned char)buf[i] & 0xc0) != 0x80)
			cur++;
	}
	/*
	 * A question that leaves no room for the answer keeps its end (what
	 * to type) and room for what is typed (up to a third of the line),
	 * so what is typed shows.
	 */
	want = cur + 2 > 12 ? cur + 2 : 12;
	if (want > cols / 3)
		want = cols / 3 > 12 ? cols / 3 : 12;
	if (plen > cols - want && cols - want > 1) {
		skip = plen - (cols - want) + 1;
		while (skip < plen &&
		    ((unsigned char)prompt_text[skip] & 0xc0) == 0x80)
			skip++;
		plen = 1 + (int)strlen(prompt_text + skip);
	}
	room = cols - plen - 1;
	if (room < 1)
		room = 1;
	if (cur > room)
		off = cur - room;
	attrset(theme_attr(COL_PROMPT));
	if (skip > 0) {
		mvaddstr(y, 0, "<");
		addnstr(prompt_text + skip, cols - 1);
	} else
		mvaddnstr(y, 0, prompt_text, cols);
	attrset(A_NORMAL);
	/* skip off characters */
	for (i = 0; off > 0 && buf[i] != '\0'; i++) {
		if (((unsigned char)buf[i + 1] & 0xc0) != 0x80)
			off--;
	}
	tui_draw_text(y, plen, cols - plen, buf + i, A_NORMAL);
	tui.cur_on = 1;
	tui.cur_y = y;
	tui.cur_x = plen + cur - (cur > room ? cur - room : 0);
}

/*
 * A path typed at a PROMPT_FILE prompt, without the blanks around it
 * (completion leaves one after a file name), or NULL when nothing was
 * typed (or the prompt was cancelled). The caller frees it.
 */
char *
prompt_path(const char *typed)
{
	char	*p;
	size_t	 n;

	if (typed == NULL)
		return (NULL);
	p = xstrdup(typed + strspn(typed, " \t"));
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	if (*p == '\0') {
		free(p);
		return (NULL);
	}
	return (p);
}
