/*
 * The console's main loop. One poll() serves the terminal (keys, mouse,
 * resize), the sampler's timer, the status line's expiry, the fd of the
 * view on screen (a serial console) and the jobs (job.c: children's pipes,
 * SIGCHLD, their timers); readline runs through its callback interface
 * inside it (prompt.c). Views never draw on their own: a key, a sample, an
 * fd or a job sets tui.redraw and the loop draws once. Nothing here waits:
 * what takes time runs as a job.
 *
 * Screen layout: line 0 the tabs and the host, the body, the job line
 * while listed jobs run, and the last line for the status or the prompt.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "console.h"

struct tui tui;

static const struct view_ops *const views[] = {
	&view_guide_ops,
	&view_domains_ops, &view_top_ops, &view_host_ops, &view_detail_ops,
	&view_serial_ops, &view_pager_ops, &view_jobs_ops, &view_messages_ops,
	&view_vnc_ops, &view_storage_ops, &view_network_ops, &view_wizard_ops,
	&view_wizard_menu_ops, &view_transcript_ops, NULL
};

static char		*status_text;
static enum theme_slot	 status_slot;
static uint64_t		 status_until;
static int		 quit;
static int		 curses_on;
static uint64_t		 job_tick;	/* next redraw of the job line */

/*
 * SIGTERM, SIGHUP, SIGINT: a clean exit through the loop. These and the
 * ones curses takes (SIGWINCH, SIGTSTP) are put back as they were.
 */
static const int	 tui_sigs[] = { SIGTERM, SIGHUP, SIGINT, SIGWINCH,
			    SIGTSTP };
#define TUI_SIGS_OURS	3	/* the first three get our handler */
static struct sigaction	 tui_old_sigs[nitems(tui_sigs)];
static int		 tui_sigpipe[2] = { -1, -1 };
static volatile sig_atomic_t tui_signalled;

static void	tui_resize(void);
static void	tui_transcript_now(char *const *, int, const char *);
static int	key_quit(void);
static int	key_help(void);
static int	key_prompt(void);
static int	key_next_view(void);
static int	key_redraw(void);
static int	key_back(void);
static int	key_transcript(void);
static int	key_jobs(void);
static int	key_messages(void);
static int	key_wizards(void);

/* Keys every view has (unless the view uses the key itself). */
const struct view_key tui_global_keys[] = {
	{ '?', KEY_F(1), "?, F1", "help: keys and commands", key_help },
	{ ':', 0, ":", "command prompt (every xendeck command; Tab "
	    "completes)", key_prompt },
	{ '\t', 0, "Tab", "next view", key_next_view },
	{ 27, KEY_BACKSPACE, "Esc", "back to the previous view", key_back },
	{ 'T', 0, "T", "transcript: every action as the command it equals "
	    "(:transcript)", key_transcript },
	{ 'J', 0, "J", "jobs: what runs or ran (:jobs)", key_jobs },
	{ 'M', 0, "M", "messages: outcomes, warnings, errors (:messages)",
	    key_messages },
	{ 'w', 0, "w", "wizards: the guide's steps, and runs left half-done "
	    "(:wizard)", key_wizards },
	{ 12, 0, "ctrl+L", "redraw the screen", key_redraw },
	{ 'q', 3, "q, ctrl+C", "quit", key_quit },
	{ 0, 0, NULL, NULL, NULL }
};

/* Find a binding in a key table and run it. */
int
view_key_dispatch(const struct view_key *keys, int ch)
{
	const struct view_key	*k;

	for (k = keys; k != NULL && k->label != NULL; k++) {
		if (k->fn != NULL && (k->key == ch || (k->key2 != 0 &&
		    k->key2 == ch)))
			return (k->fn());
	}
	return (VIEW_UNHANDLED);
}

/* fatal(): the terminal back first (a view that owns it, then curses). */
static void
tui_fatal_hook(void)
{
	if (tui.view != NULL && tui.view->restore != NULL)
		tui.view->restore();
	if (curses_on) {
		endwin();
		curses_on = 0;
	}
}

static void
tui_signal(int sig)
{
	int	 saved = errno;

	tui_signalled = sig;
	if (tui_sigpipe[1] != -1)
		(void)!write(tui_sigpipe[1], "", 1);
	errno = saved;
}

/*
 * Our handlers for the signals that end the console, before initscr (so
 * curses leaves them to us); every old disposition is kept.
 */
static void
tui_signals_on(void)
{
	struct sigaction	 sa;
	size_t			 i;

	if (pipe2(tui_sigpipe, O_CLOEXEC | O_NONBLOCK) != 0)
		fatal("pipe2");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < nitems(tui_sigs); i++) {
		if (i < TUI_SIGS_OURS)
			sigaction(tui_sigs[i], &sa, &tui_old_sigs[i]);
		else
			sigaction(tui_sigs[i], NULL, &tui_old_sigs[i]);
	}
}

/* Every disposition back exactly as it was before the console. */
static void
tui_signals_off(void)
{
	size_t	 i;

	for (i = 0; i < nitems(tui_sigs); i++)
		sigaction(tui_sigs[i], &tui_old_sigs[i], NULL);
	close(tui_sigpipe[0]);
	close(tui_sigpipe[1]);
	tui_sigpipe[0] = tui_sigpipe[1] = -1;
}

/* The status line: a result, an error, a countdown. */
void
tui_status(enum theme_slot slot, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	free(status_text);
	va_start(ap, fmt);
	xvasprintf(&status_text, fmt, ap);
	va_end(ap);
	/* One line, printable: causes can carry a newline or a tab. */
	for (p = status_text; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	}
	status_slot = slot;
	status_until = mono_ms() + (slot == COL_ERROR || slot == COL_WARNING ?
	    15000 : 8000);
	if (slot == COL_ERROR)
		log_info("status: %s", status_text);
	/* Outcomes, errors and warnings are the session's history. */
	if (slot == COL_ERROR)
		messages_add(MSG_ERROR, status_text);
	else if (slot == COL_WARNING)
		messages_add(MSG_WARNING, status_text);
	else if (slot == COL_OK)
		messages_add(MSG_OK, status_text);
	tui.redraw = 1;
}

/* report_warn() in the console: the status line and Messages. */
static void
tui_warning(const char *text, void *arg)
{
	tui_status(COL_WARNING, "warning: %s", text);
}

/*
 * A listed job has ended (job.c's end hook): its outcome on the status
 * line, and outcome and every warning in Messages.
 */
static void
tui_job_ended(struct job *j)
{
	char *const	*w = job_warnings(j);
	char		 took[32];
	size_t		 nw = 0, i;
	uint64_t	 ms = job_elapsed_ms(j);

	for (nw = 0; w[nw] != NULL; nw++)
		;
	if (ms < 10000)
		snprintf(took, sizeof took, "%.1f s", ms / 1000.0);
	else
		snprintf(took, sizeof took, "%llu s",
		    (unsigned long long)(ms / 1000));
	for (i = 0; i < nw; i++)
		messages_addf(MSG_WARNING, "%s: warning: %s", job_name(j),
		    w[i]);
	switch (job_state(j)) {
	case JOB_DONE:
		if (nw == 0) {
			tui_status(COL_OK, "%s: done (%s)", job_name(j), took);
			break;
		}
		tui_status(COL_WARNING, "%s: done (%s); warning: %s%s",
		    job_name(j), took, w[0], nw > 1 ? " (more: :messages)" :
		    "");
		break;
	case JOB_CANCELLED:
		tui_status(COL_STATUS, "%s: cancelled (%s)", job_name(j), took);
		messages_addf(MSG_INFO, "%s: cancelled (%s)", job_name(j),
		    took);
		break;
	default:
		tui_status(COL_ERROR, "%s: failed: %s", job_name(j),
		    job_error(j) != NULL ? job_error(j) : "?");
		break;
	}
	view_transcript_job_end(j);
	view_guide_stale();
	tui_sample_now();
}

/*
 * One command run from the console, from the moment it is asked for until
 * it has ended: at once, or after a question and a job.
 */
struct tui_cmd {
	char			*line;		/* the command, as a line */
	void			(*done)(int, void *);
	void			*arg;
	const struct view_ops	*view;		/* where it was asked for */
	long			 tr;		/* its transcript entry */
};
static struct tui_cmd	*tui_cmd_now;	/* the one cmd_exec is running */

static void
tui_cmd_free(struct tui_cmd *c)
{
	free(c->line);
	free(c);
}

/* Its end: the caller's callback, then it is forgotten. */
static void
tui_cmd_end(struct tui_cmd *c, int rc)
{
	if (c->done != NULL)
		c->done(rc, c->arg);
	tui_cmd_free(c);
}

/* What a command printed: one line to the status line, more to the pager. */
static void
tui_cmd_output(struct tui_cmd *c, const char *name, char *out, size_t olen,
    int rc, int quiet_ok)
{
	char	*nl;

	if (olen > 0 && (nl = strchr(out, '\n')) != NULL && nl[1] != '\0') {
		if (tui.view == c->view && !prompt_active())
			pager_show(c->line, out);
		else
			tui_status(COL_OK, "%s: done; its output: J, then "
			    "Enter", name);
	} else if (olen > 0) {
		if (nl != NULL)
			*nl = '\0';
		tui_status(rc == 0 ? COL_OK : COL_ERROR, "%s", out);
	} else if (rc == 0 && !quiet_ok)
		tui_status(COL_OK, "%s: done", name);
}

/* A command's job has ended (its outcome is reported by tui_job_ended). */
static void
tui_cmd_job_done(struct job *j, void *arg)
{
	struct tui_cmd	*c = arg;
	size_t		 olen;
	char		*out = xstrdup(job_stdout(j, &olen));
	const char	*xl;

	view_transcript_end(c->tr, job_state(j) == JOB_DONE ? "ok" :
	    job_state(j) == JOB_CANCELLED ? "cancelled" : "failed",
	    job_error(j), job_elapsed_ms(j));
	if (job_state(j) == JOB_DONE && olen > 0)
		tui_cmd_output(c, job_name(j), out, olen, 0, 1);
	else if (job_state(j) == JOB_DONE && job_warnings(j)[0] == NULL &&
	    (xl = view_transcript_xl(c->tr)) != NULL) {
		/* A beginner learns xl by using xendeck. */
		tui_status(COL_STATUS, "%s: done (%.1f s); in xl: %s",
		    job_name(j), job_elapsed_ms(j) / 1000.0, xl);
	}
	free(out);
	tui_cmd_end(c, job_status(j));
}

/*
 * A job's name: its command line, paths cut to their last part (a KEY=
 * before a path is kept: pool=/srv/images is pool=images).
 */
static char *
tui_job_name(int argc, char **argv)
{
	char	*name = NULL, *next;
	const char *w, *slash, *eq;
	int	 i, keep;

	for (i = 0; i < argc; i++) {
		w = argv[i];
		keep = 0;
		if ((slash = strrchr(w, '/')) != NULL && slash[1] != '\0') {
			eq = strchr(w, '=');
			if (eq != NULL && eq < strchr(w, '/'))
				keep = (int)(eq - w) + 1;
			w = slash + 1;
		}
		if (name == NULL)
			xasprintf(&next, "%.*s%s", keep, argv[i], w);
		else
			xasprintf(&next, "%s %.*s%s", name, keep, argv[i], w);
		free(name);
		name = next;
	}
	return (name);
}

/* cmd_ctx's open_console: the domain's serial console view. */
static void
tui_open_console(struct cmd_ctx *ctx, const char *dom)
{
	(void)ctx;
	tui_switch(&view_serial_ops, dom);
}

/* Whether a command line acts on every domain (-a). */
static int
tui_has_all(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '-' &&
		    strchr(argv[i], 'a') != NULL)
			return (1);
	}
	return (0);
}

/* cmd_exec's start_job in the console: the command as a child xendeck. */
static int
tui_start_job(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv)
{
	struct tui_cmd	*c = tui_cmd_now;
	struct job	*j;
	char		**child = NULL, *name, *cause = NULL;
	int		  i;

	strv_push(&child, "xendeck");
	strv_push(&child, "--yes");	/* asked here already */
	for (i = 0; i < argc; i++)
		strv_push(&child, argv[i]);
	name = tui_job_name(argc, argv);
	j = job_run(name, child, (e->flags & CMD_CANCEL) ? JOB_CANCEL : 0,
	    NULL, tui_cmd_job_done, c, &cause);
	strv_free(child);
	free(name);
	if (j == NULL) {
		cmd_error(ctx, "%s: %s", e->name, cause);
		free(cause);
		return (1);
	}
	tui_cmd_now = NULL;	/* the job has it now */
	/*
	 * The transcript names the command as the table does, with the
	 * --yes it ran with where the CLI would otherwise ask.
	 */
	child = NULL;
	strv_push(&child, e->name);
	if ((e->confirm & CMD_CONFIRM_NAME) || (e->confirm & CMD_CONFIRM_ALL &&
	    tui_has_all(argc, argv)))
		strv_push(&child, "--yes");
	for (i = 1; i < argc; i++)
		strv_push(&child, argv[i]);
	c->tr = view_transcript_begin(child);
	strv_free(child);
	tui.redraw = 1;
	return (CMD_WAIT);
}

/* A question the command table asks, waiting for its answer. */
struct tui_question {
	char		**argv;
	int		  kind;
	char		 *target;
	char		 *what;		/* "destroy gamma" */
	struct tui_cmd	 *cmd;
};

static void
tui_question_answered(const char *answer, void *arg)
{
	struct tui_question	*q = arg;
	int			 yes;

	if (q->kind == CMD_CONFIRM_NAME)
		yes = answer != NULL && strcmp(answer, q->target) == 0;
	else
		yes = answer != NULL && (strcasecmp(answer, "y") == 0 ||
		    strcasecmp(answer, "yes") == 0);
	if (yes) {
		tui.ctx->assume_yes = 1;
		tui_run_then(q->argv, q->cmd->done, q->cmd->arg);
		tui.ctx->assume_yes = 0;
		tui_cmd_free(q->cmd);
	} else {
		if (answer != NULL && *answer != '\0' &&
		    q->kind == CMD_CONFIRM_NAME)
			tui_status(COL_ERROR, "%s: not done: the name typed "
			    "did not match", q->what);
		else
			tui_status(COL_STATUS, "%s: not done", q->what);
		tui_cmd_end(q->cmd, 1);
	}
	strv_free(q->argv);
	free(q->target);
	free(q->what);
	free(q);
}

/*
 * cmd_exec's confirm in the console: the question on the prompt line;
 * the command runs again, confirmed, once it is answered. The config can
 * turn the typed name for destroy off, and turn on a y/n for one
 * domain's shutdown or reboot.
 */
static int
tui_confirm(struct cmd_ctx *ctx, const struct cmd_question *cq)
{
	struct tui_question	*q;
	const char		*name = cq->entry->name;

	if (cq->kind == CMD_CONFIRM_NAME && !tui.config.confirm_destroy)
		return (CMD_YES);
	if (cq->kind == CMD_CONFIRM_ONE &&
	    !(strcmp(name, "shutdown") == 0 && tui.config.confirm_shutdown) &&
	    !(strcmp(name, "reboot") == 0 && tui.config.confirm_reboot))
		return (CMD_YES);
	if (tui_cmd_now == NULL) {
		cmd_error(ctx, "%s: no way to ask for confirmation here",
		    name);
		return (CMD_NO);
	}
	q = xcalloc(1, sizeof *q);
	q->argv = strv_dup(cq->argv);
	q->kind = cq->kind;
	q->target = cq->target != NULL ? xstrdup(cq->target) : NULL;
	q->what = xprintf("%s %s", name, cq->target != NULL ? cq->target :
	    "-a");
	q->cmd = tui_cmd_now;
	tui_cmd_now = NULL;	/* the question has it now */
	prompt_begin(PROMPT_PLAIN, cq->text, NULL, tui_question_answered,
	    NULL, q);
	return (CMD_LATER);
}

/*
 * Run one command through the command table, as the CLI would, with its
 * output captured: one line goes to the status line, more to the pager.
 * Every action of every view comes here, so --read-only, the confirmations
 * and Domain-0's refusal hold alike for keys and the prompt. What takes
 * time (CMD_JOB) runs as a job. done (may be NULL) gets the exit code once
 * the command has ended: now, or when its job ends (1 when a question was
 * not answered yes). Returns the exit code, or CMD_WAIT.
 */
int
tui_run_then(char *const *argv, void (*done)(int, void *), void *arg)
{
	struct tui_cmd	*c, *outer = tui_cmd_now;
	FILE		*out, *err;
	char		*obuf = NULL, *ebuf = NULL, *nl;
	size_t		 olen = 0, elen = 0;
	int		 argc = (int)strv_len(argv), rc;
	char		**copy;

	if (argc == 0)
		return (2);
	c = xcalloc(1, sizeof *c);
	c->line = spawn_argv_string(argv);
	c->done = done;
	c->arg = arg;
	c->view = tui.view;
	c->tr = -1;
	log_info("run: %s", c->line);
	out = open_memstream(&obuf, &olen);
	err = open_memstream(&ebuf, &elen);
	if (out == NULL || err == NULL)
		fatal("open_memstream");
	tui.ctx->out = out;
	tui.ctx->err = err;
	tui.ctx->interactive = 1;
	tui_cmd_now = c;
	copy = strv_dup(argv);	/* getopt may permute */
	rc = cmd_exec(tui.ctx, argc, copy);
	strv_free(copy);
	fclose(out);
	fclose(err);
	tui.ctx->out = NULL;
	tui.ctx->err = NULL;
	if (rc == CMD_WAIT) {
		/* A job or a question has c now; what was printed stands. */
		tui_cmd_now = outer;
		if (elen > 0) {
			if ((nl = strchr(ebuf, '\n')) != NULL)
				*nl = '\0';
			tui_status(COL_ERROR, "%s", ebuf);
		}
		free(obuf);
		free(ebuf);
		return (rc);
	}
	tui_cmd_now = outer;
	/* What ran here (a view it opened records itself). */
	if (rc != 0 || tui.view == c->view)
		tui_transcript_now(argv, rc, ebuf);
	if (elen > 0) {
		if ((nl = strchr(ebuf, '\n')) != NULL)
			*nl = '\0';
		tui_status(COL_ERROR, "%s", ebuf);
	} else if (rc == 0 && olen == 0 && tui.view != c->view)
		;	/* it opened a view: that says enough */
	else if (rc != 0 && olen == 0)
		tui_status(COL_ERROR, "%s: failed (exit %d)", argv[0], rc);
	else
		tui_cmd_output(c, argv[0], obuf, olen, rc, 0);
	free(obuf);
	free(ebuf);
	tui_sample_now();
	tui_cmd_end(c, rc);
	return (rc);
}

/* A command that ran in the console itself, into the transcript. */
static void
tui_transcript_now(char *const *argv, int rc, const char *err)
{
	const struct cmd_entry	*e;
	char			**copy, *cause = NULL;
	long			  tr;

	if ((e = cmd_find(argv[0], &cause)) == NULL) {
		free(cause);
		return;
	}
	/*
	 * A job's command that ended here never ran: refused (read-only,
	 * Domain-0, a question answered no) or misused.
	 */
	if ((e->flags & CMD_JOB) || (e->flags & CMD_TERMINAL))
		return;
	copy = strv_dup(argv);
	free(copy[0]);
	copy[0] = xstrdup(e->name);
	tr = view_transcript_begin(copy);
	strv_free(copy);
	if (err != NULL && strncmp(err, "xendeck: ", 9) == 0)
		err += 9;
	view_transcript_end(tr, rc == 0 ? "ok" : "failed", rc != 0 &&
	    err != NULL && *err != '\0' ? err : NULL, 0);
}

int
tui_run(char *const *argv)
{
	return (tui_run_then(argv, NULL, NULL));
}

/* tui_run with a command line split on spaces (names never have any). */
int
tui_runf(const char *fmt, ...)
{
	va_list	 ap;
	char	*line, *p, *w, **argv = NULL;
	int	 rc;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	p = line;
	while ((w = strsep(&p, " ")) != NULL) {
		if (*w != '\0')
			strv_push(&argv, w);
	}
	rc = argv != NULL ? tui_run(argv) : 2;
	strv_free(argv);
	free(line);
	return (rc);
}

void
tui_select(const char *name)
{
	if (name == NULL || (tui.selected != NULL &&
	    strcmp(name, tui.selected) == 0))
		return;
	free(tui.selected);
	tui.selected = xstrdup(name);
}

/*
 * Where Esc goes back to: switching to a tab (a view with a hotkey) leaves
 * the previous tab there; opening any other view (help, output, a
 * console, Jobs, Messages, VNC) stacks the view it came from.
 */
#define TUI_BACK_MAX 16
static const struct view_ops	*back_stack[TUI_BACK_MAX];
static int			 back_n;

void
tui_switch(const struct view_ops *v, const char *arg)
{
	const struct view_ops	*old = tui.view;

	if (v->enter != NULL && v->enter(arg) != 0)
		return;		/* it said why on the status line */
	if (old != v)
		view_transcript_view(v, arg);
	if (old != NULL && old != v) {
		if (old->leave != NULL)
			old->leave();
		if (old->tty)
			tui_resize();	/* curses is back: a new size? */
		if (v->hotkey != 0) {
			back_n = 0;
			if (old->hotkey != 0)
				back_stack[back_n++] = old;
		} else {
			if (back_n == TUI_BACK_MAX) {
				memmove(back_stack, back_stack + 1,
				    (TUI_BACK_MAX - 1) * sizeof *back_stack);
				back_n--;
			}
			back_stack[back_n++] = old;
		}
		if (old->hotkey != 0)
			tui.prev = old;
	}
	tui.view = v;
	tui.redraw = 1;
}

/* Back where the user was (Domains when there is nowhere else). */
void
tui_back(void)
{
	const struct view_ops	*to = NULL, *old = tui.view;

	while (back_n > 0 && (to == NULL || to == tui.view))
		to = back_stack[--back_n];
	if (to == NULL || to == tui.view)
		to = &view_domains_ops;
	if (to->enter != NULL && to->enter(tui.selected) != 0)
		to = &view_domains_ops;
	if (old != NULL && old != to && old->leave != NULL)
		old->leave();
	tui.view = to;
	if (old != NULL && old->tty)
		tui_resize();
	tui.redraw = 1;
}

void
tui_sample_now(void)
{
	tui.next_sample = 0;
}

void
tui_set_refresh(int ms)
{
	tui.refresh_ms = ms < 100 ? 100 : ms;
	tui.next_sample = mono_ms() + tui.refresh_ms;
}

static void
tui_sample(void)
{
	char			*cause = NULL;
	const struct view_ops	*const *v;

	tui.next_sample = mono_ms() + tui.refresh_ms;
	if (tui.be == NULL)
		return;
	if (sampler_update(&tui.sampler, &cause) != 0) {
		tui_status(COL_ERROR, "sample: %s", cause);
		free(cause);
		return;
	}
	log_debug("sample: %zu domains in %llu us (view %s)",
	    tui.sampler.nrows, (unsigned long long)tui.sampler.cost_us,
	    tui.view->name);
	for (v = views; *v != NULL; v++) {
		if ((*v)->update != NULL)
			(*v)->update();
	}
	tui.redraw = 1;
}

/* Glyphs with an ASCII fallback for a non-UTF-8 locale. */
const char *
tui_glyph(int which)
{
	static const char *utf8[] = { "\xe2\x96\xb2", "\xe2\x96\xbc",
	    "\xe2\x80\xa6", "\xe2\x9c\x93", "\xe2\x96\xb6" };
	static const char *ascii[] = { "^", "v", "~", "x", ">" };

	return (tui.utf8 ? utf8[which] : ascii[which]);
}

/*
 * Text clipped to w columns at (y, x), control characters shown as '?'.
 * Multibyte text goes through wide characters so clipping counts columns.
 */
void
tui_draw_text(int y, int x, int w, const char *s, attr_t a)
{
	wchar_t		 wc;
	mbstate_t	 mbs;
	size_t		 n;
	int		 cw, used = 0;
	cchar_t		 cc;
	wchar_t		 one[2] = { 0, 0 };

	if (w <= 0 || y < 0 || y >= tui.lines || x >= tui.cols)
		return;
	if (x + w > tui.cols)
		w = tui.cols - x;
	memset(&mbs, 0, sizeof mbs);
	move(y, x);
	while (*s != '\0' && used < w) {
		n = mbrtowc(&wc, s, strlen(s), &mbs);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mbs, 0, sizeof mbs);
			wc = '?';
			n = 1;
		}
		s += n;
		if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			wc = '?';
		if ((cw = wcwidth(wc)) < 0)
			wc = '?', cw = 1;
		if (used + cw > w)
			break;
		one[0] = wc;
		setcchar(&cc, one, a & ~A_COLOR, PAIR_NUMBER(a), NULL);
		add_wch(&cc);
		used += cw;
	}
}

void
tui_fill(int y, int x, int w, attr_t a)
{
	if (w <= 0 || y < 0 || y >= tui.lines)
		return;
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

/*
 * A sparkline of n values scaled to max, right-aligned in w columns.
 * Returns the columns drawn.
 */
int
tui_sparkline(int y, int x, int w, const float *v, size_t n, double max)
{
	static const char *bars8[] = { " ", "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char *ascii = " .:-=+*#%";
	size_t	 i, first = n > (size_t)w ? n - w : 0;
	int	 lvl, col = x + w - (int)(n - first);
	char	 a[2] = { 0, 0 };

	if (w <= 0 || max <= 0)
		return (0);
	attrset(theme_attr(COL_SPARK));
	for (i = first; i < n; i++, col++) {
		lvl = (int)(v[i] / max * 8 + 0.5);
		if (lvl < 0)
			lvl = 0;
		if (lvl > 8)
			lvl = 8;
		if (v[i] > 0 && lvl == 0)
			lvl = 1;
		if (tui.utf8)
			mvaddstr(y, col, bars8[lvl]);
		else {
			a[0] = ascii[lvl];
			mvaddstr(y, col, a);
		}
	}
	attrset(A_NORMAL);
	return ((int)(n - first));
}

static void
quit_answered(const char *answer, void *arg)
{
	if (answer != NULL && (strcasecmp(answer, "y") == 0 ||
	    strcasecmp(answer, "yes") == 0))
		quit = 1;
}

/* q: quit; with jobs running, say they go on without us and ask. */
static int
key_quit(void)
{
	char	*q;
	int	 n = job_running(1);

	if (n == 0) {
		quit = 1;
		return (0);
	}
	q = xprintf("%d job%s still running (they go on without the "
	    "console; J lists them). Quit? (y/n) ", n, n == 1 ? "" : "s");
	prompt_begin(PROMPT_PLAIN, q, NULL, quit_answered, NULL, NULL);
	free(q);
	return (VIEW_REDRAW);
}

static int
key_help(void)
{
	char	*text = help_text();

	pager_show("Help", text);
	free(text);
	return (VIEW_REDRAW);
}

/* What runs when a pre-filled command line is entered (NULL: nothing). */
struct prompt_then {
	void	(*done)(int, void *);
	void	 *arg;
};
static struct prompt_then prompt_then;

static void
prompt_command_done(const char *line, void *arg)
{
	struct prompt_then	 *then = arg;
	char			**argv = NULL, *copy, *p, *w, quote;
	char			 *word;
	size_t			  n;

	if (line == NULL || *line == '\0')
		return;
	/* Words split on blanks; '...' and "..." group (no escapes). */
	copy = xstrdup(line);
	p = copy;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		word = xmalloc(strlen(p) + 1);
		n = 0;
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				quote = *p++;
				for (w = p; *w != '\0' && *w != quote; w++)
					word[n++] = *w;
				p = *w != '\0' ? w + 1 : w;
			} else
				word[n++] = *p++;
		}
		word[n] = '\0';
		strv_push(&argv, word);
		free(word);
	}
	free(copy);
	if (argv != NULL)
		tui_run_then(argv, then != NULL ? then->done : NULL,
		    then != NULL ? then->arg : NULL);
	strv_free(argv);
}

/*
 * The ':' prompt with a command line already typed (a view's action that
 * the person completes or edits); done (may be NULL) gets its exit code
 * once it has run, as tui_run_then's does.
 */
void
tui_prompt_command(const char *initial, void (*done)(int, void *),
    void *arg)
{
	prompt_then.done = done;
	prompt_then.arg = arg;
	prompt_begin(PROMPT_COMMAND, ":", initial, prompt_command_done, NULL,
	    &prompt_then);
}

static int
key_prompt(void)
{
	prompt_begin(PROMPT_COMMAND, ":", NULL, prompt_command_done, NULL,
	    NULL);
	return (VIEW_REDRAW);
}

static int
key_next_view(void)
{
	size_t	 i;

	for (i = 0; views[i] != NULL; i++) {
		if (views[i] == tui.view)
			break;
	}
	do {
		i = views[i] == NULL || views[i + 1] == NULL ? 0 : i + 1;
	} while (views[i]->hotkey == 0);
	tui_switch(views[i], tui.selected);
	return (VIEW_REDRAW);
}

static int
key_redraw(void)
{
	clearok(curscr, TRUE);
	return (VIEW_REDRAW);
}

static int
key_back(void)
{
	if (tui.view == &view_domains_ops)
		return (0);
	tui_back();
	return (VIEW_REDRAW);
}

static int
key_transcript(void)
{
	tui_switch(&view_transcript_ops, NULL);
	return (VIEW_REDRAW);
}

static int
key_jobs(void)
{
	tui_switch(&view_jobs_ops, NULL);
	return (VIEW_REDRAW);
}

static int
key_messages(void)
{
	tui_switch(&view_messages_ops, NULL);
	return (VIEW_REDRAW);
}

static int
key_wizards(void)
{
	tui_switch(&view_wizard_menu_ops, NULL);
	return (VIEW_REDRAW);
}

/* The top line: the views as tabs, then the host and the time. */
static void
draw_tabs(void)
{
	const struct view_ops	*const *v;
	char			 buf[128], when[16];
	int			 x = 0, n;
	time_t			 now = time(NULL);
	struct tm		 tm;

	tui_fill(0, 0, tui.cols, theme_attr(COL_TAB));
	for (v = views; *v != NULL && x < tui.cols; v++) {
		if ((*v)->hotkey == 0)
			continue;
		n = snprintf(buf, sizeof buf, " %c %s ", (*v)->hotkey,
		    (*v)->title);
		if (x + n > tui.cols)
			break;
		attrset(*v == tui.view ? theme_attr(COL_TAB_ACTIVE) :
		    theme_attr(COL_TAB));
		mvaddstr(0, x, buf);
		x += n;
	}
	if (tui.view->hotkey == 0) {
		n = snprintf(buf, sizeof buf, " %s ", tui.view->title);
		if (x + n <= tui.cols) {
			attrset(theme_attr(COL_TAB_ACTIVE));
			mvaddstr(0, x, buf);
			x += n;
		}
	}
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	n = snprintf(buf, sizeof buf, "%s%s %s %s ",
	    tui.ctx->read_only ? "[read-only] " : "",
	    tui.sampler.have_host ? tui.sampler.host.hostname : "",
	    tui.be != NULL ? tui.be->name : "no backend", when);
	if (x + n < tui.cols) {
		attrset(theme_attr(COL_TAB));
		mvaddstr(0, tui.cols - n, buf);
	}
	attrset(A_NORMAL);
}

static void
draw_status(void)
{
	int	 y = tui.lines - 1;

	move(y, 0);
	clrtoeol();
	if (prompt_active()) {
		prompt_draw(y, tui.cols);
		return;
	}
	if (status_text != NULL && mono_ms() < status_until) {
		attrset(theme_attr(status_slot));
		mvaddnstr(y, 0, status_text, tui.cols);
		attrset(A_NORMAL);
	} else {
		attrset(theme_attr(COL_DIM));
		mvaddnstr(y, 0, "? help  : command  Tab next view  q quit",
		    tui.cols);
		attrset(A_NORMAL);
	}
}

/*
 * The job line, while listed jobs run: the newest one's name, elapsed time
 * and last output line, and how many others run (:jobs lists them).
 */
static void
draw_jobs(int y)
{
	struct job	*j, *newest = NULL;
	char		*line, *more = NULL;
	int		 n = 0;
	uint64_t	 secs;

	for (j = job_first(); j != NULL; j = job_next(j)) {
		if (job_state(j) != JOB_RUNNING)
			continue;
		newest = j;
		n++;
	}
	if (newest == NULL)
		return;
	secs = job_elapsed_ms(newest) / 1000;
	if (n > 1)
		more = xprintf("  (+%d more: :jobs)", n - 1);
	xasprintf(&line, " %s %s  %llu s  %s%s", tui_glyph(GLYPH_RUNNING),
	    job_name(newest), (unsigned long long)secs,
	    job_last_line(newest), more != NULL ? more : "  (:jobs)");
	tui_fill(y, 0, tui.cols, theme_attr(COL_TAB));
	tui_draw_text(y, 0, tui.cols, line, theme_attr(COL_TAB));
	free(line);
	free(more);
}

static void
draw_all(void)
{
	int	 body = tui.lines - 2;

	erase();
	if (tui.lines < 3 || tui.cols < 20) {
		mvaddstr(0, 0, "terminal too small");
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	tui.cur_on = 0;
	draw_tabs();
	if (job_running(1) > 0 && body > 2) {
		body--;
		draw_jobs(tui.lines - 2);
	}
	tui.view->draw(1, 0, body, tui.cols);
	draw_status();
	if (tui.cur_on) {
		move(tui.cur_y, tui.cur_x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	tui.redraw = 0;
}

static void
tui_resize(void)
{
	const struct view_ops	*const *v;

	getmaxyx(stdscr, tui.lines, tui.cols);
	for (v = views; *v != NULL; v++) {
		if ((*v)->resize != NULL)
			(*v)->resize(tui.lines - 2, tui.cols);
	}
	tui.redraw = 1;
}

/* A click on the tabs switches views; the rest goes to the view. */
static void
tui_mouse(void)
{
	MEVENT			 ev;
	const struct view_ops	*const *v;
	char			 buf[64];
	int			 x = 0, n;

	if (getmouse(&ev) != OK)
		return;
	if (ev.y == 0 && (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED |
	    BUTTON1_RELEASED))) {
		for (v = views; *v != NULL; v++) {
			if ((*v)->hotkey == 0)
				continue;
			n = snprintf(buf, sizeof buf, " %c %s ", (*v)->hotkey,
			    (*v)->title);
			if (ev.x >= x && ev.x < x + n) {
				tui_switch(*v, tui.selected);
				break;
			}
			x += n;
		}
		return;
	}
	if (ev.y >= 1 && ev.y < tui.lines - 1 && tui.view->mouse != NULL) {
		if (tui.view->mouse(ev.y - 1, ev.x, ev.bstate) & VIEW_REDRAW)
			tui.redraw = 1;
	}
}

static void
tui_key(int ch)
{
	const struct view_ops	*const *v;
	int			 r;

	if (ch == KEY_RESIZE) {
		tui_resize();
		return;
	}
	if (prompt_active()) {
		prompt_key(ch);
		tui.redraw = 1;
		return;
	}
	if (ch == KEY_MOUSE) {
		tui_mouse();
		return;
	}
	status_until = 0;	/* a key clears old news */
	tui.redraw = 1;
	r = tui.view->key != NULL ? tui.view->key(ch) : VIEW_UNHANDLED;
	if (r & VIEW_QUIT)
		quit = 1;
	if (!(r & VIEW_UNHANDLED))
		return;
	for (v = views; *v != NULL; v++) {
		if ((*v)->hotkey != 0 && (*v)->hotkey == ch) {
			tui_switch(*v, tui.selected);
			return;
		}
	}
	r = view_key_dispatch(tui_global_keys, ch);
	if (r & VIEW_QUIT)
		quit = 1;
}

static char *
tui_state_dir(void)
{
	const char	*xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char		*dir, *cause = NULL;

	if (xdg != NULL && *xdg != '\0')
		dir = xprintf("%s/xendeck", xdg);
	else
		dir = xprintf("%s/.local/state/xendeck",
		    home != NULL ? home : "/tmp");
	if (mkdir_p(dir, 0700, &cause) != 0) {
		free(cause);
		free(dir);
		return (NULL);
	}
	return (dir);
}

/* The console's history file, in the state dir (NULL if none). */
char *
prompt_history_path(void)
{
	return (tui_state_path("history"));
}

/*
 * A file of the console's in its state dir ($XDG_STATE_HOME/xendeck, else
 * ~/.local/state/xendeck), the dir made if need be; NULL if it cannot be.
 */
char *
tui_state_path(const char *name)
{
	char	*dir, *path;

	if ((dir = tui_state_dir()) == NULL)
		return (NULL);
	path = xprintf("%s/%s", dir, name);
	free(dir);
	return (path);
}

/* Theme: NO_COLOR or no colours give mono; a bad file gives file:line. */
static void
tui_theme(char **warning)
{
	const char	*name = tui.config.theme;
	char		*path = NULL, *cause = NULL;

	theme_default(&tui.theme);
	if ((getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0') ||
	    !has_colors()) {
		theme_mono(&tui.theme);
		if (name == NULL || strcmp(name, "mono") != 0)
			name = NULL;	/* colour themes make no sense here */
	}
	if (name != NULL && strcmp(name, "default") != 0) {
		if ((path = theme_find(name)) == NULL) {
			*warning = xprintf("theme %s: not found (using the "
			    "default)", name);
		} else if (theme_load(&tui.theme, path, &cause) != 0) {
			*warning = xprintf("theme: %s (using the default)",
			    cause);
			free(cause);
		}
		free(path);
	}
	if (has_colors() && !tui.theme.mono) {
		start_color();
		use_default_colors();
	}
	theme_apply(&tui.theme);
}

static void
tui_loop(void)
{
	const struct view_ops	*v;
	struct pollfd		*pfd = NULL;
	size_t			 npfd = 0, want;
	uint64_t		 now, wait;
	int			 n, ch, fd, view_slot, nview, t, njobs;
	char			 buf[64];

	while (!quit) {
		v = tui.view;
		now = mono_ms();
		if (now >= tui.next_sample)
			tui_sample();
		if (status_text != NULL && status_until != 0 &&
		    now >= status_until) {
			status_until = 0;
			tui.redraw = 1;
		}
		/* The job line's elapsed time moves each second. */
		if (job_running(1) > 0 && now >= job_tick) {
			job_tick = now + 1000 - now % 1000;
			tui.redraw = 1;
		}
		if (tui.redraw && !v->tty)
			draw_all();

		now = mono_ms();
		wait = tui.next_sample > now ? tui.next_sample - now : 0;
		if (status_until != 0 && status_until > now &&
		    status_until - now < wait)
			wait = status_until - now;
		if (job_running(1) > 0 && job_tick > now &&
		    job_tick - now < wait)
			wait = job_tick - now;
		if ((t = job_timeout()) >= 0 && (uint64_t)t < wait)
			wait = (uint64_t)t;
		if (v->tty && (t = v->tty_timeout()) >= 0 && (uint64_t)t < wait)
			wait = (uint64_t)t;

		want = 8 + (size_t)job_nfds();
		if (want > npfd) {
			pfd = xreallocarray(pfd, want, sizeof *pfd);
			npfd = want;
		}
		/* The signal pipe, then the terminal or the tty view's fds. */
		pfd[0].fd = tui_sigpipe[0];
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		n = 1;
		view_slot = -1;
		nview = 0;
		if (v->tty) {
			view_slot = n;
			nview = v->tty_pollfds(pfd + n, 6);
			n += nview;
		} else {
			pfd[n].fd = STDIN_FILENO;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
			fd = v->pollfd != NULL ? v->pollfd() : -1;
			if (fd != -1) {
				view_slot = n;
				nview = 1;
				pfd[n].fd = fd;
				pfd[n].events = POLLIN;
				pfd[n++].revents = 0;
			}
		}
		njobs = job_pollfds(pfd + n, (int)npfd - n);
		if (poll(pfd, n + njobs, (int)wait) == -1) {
			if (errno != EINTR)
				fatal("poll");
			/* SIGWINCH: ncurses queues KEY_RESIZE for getch */
			for (t = 0; t < n + njobs; t++)
				pfd[t].revents = 0;
		}
		if (pfd[0].revents & POLLIN) {
			while (read(tui_sigpipe[0], buf, sizeof buf) > 0)
				;
			log_info("console: signal %d: leaving",
			    (int)tui_signalled);
			quit = 1;
		}
		if (v->tty)
			v->tty_process(pfd + view_slot, nview);
		else if (view_slot != -1 && (pfd[view_slot].revents &
		    (POLLIN | POLLHUP | POLLERR)) && tui.view == v)
			v->io();
		job_io(pfd + n, njobs);
		/* A view that took the terminal reads its own input. */
		while (!quit && !tui.view->tty && (ch = getch()) != ERR)
			tui_key(ch);
	}
	free(pfd);
}

/* No guest (Domain-0 aside) and no wizard run: nothing done here yet. */
static int
tui_fresh_host(void)
{
	struct dom_info	*d = NULL;
	struct plan_run	*runs = NULL;
	size_t		 n = 0, i, nruns = 0;
	char		*cause = NULL;
	int		 fresh = 1;

	if (tui.be != NULL && tui.be->list(&d, &n, &cause) == 0) {
		for (i = 0; i < n; i++) {
			if (d[i].domid != 0)
				fresh = 0;
		}
		free(d);
	}
	free(cause);
	cause = NULL;
	if (fresh && plan_runs(&runs, &nruns, &cause) == 0 && nruns > 0)
		fresh = 0;
	free(cause);
	plan_runs_free(runs, nruns);
	return (fresh);
}

/*
 * What every "xendeck" child of the console gets: our backend, and our
 * log file at our level, so its diagnostics land beside ours.
 */
static void
tui_self_args(void)
{
	char	**args = NULL, v[16];
	int	  level = log_get_level(), i;

	if (tui.ctx->backend_name != NULL) {
		strv_push(&args, "--backend");
		strv_push(&args, tui.ctx->backend_name);
	}
	if (log_path() != NULL) {
		strv_push(&args, "-l");
		strv_push(&args, log_path());
		if (level > LOG_WARN) {
			v[0] = '-';
			for (i = 0; i < level - LOG_WARN && i < 8; i++)
				v[i + 1] = 'v';
			v[i + 1] = '\0';
			strv_push(&args, v);
		}
	}
	job_set_self_args(args);
	strv_free(args);
}

/*
 * The console: `xendeck` with no command, or `xendeck top`. first names
 * the first view (NULL: the config's, else Domains).
 */
int
tui_main(struct cmd_ctx *ctx, const char *first)
{
	const struct view_ops	*const *v;
	char			*cause = NULL, *warning = NULL, *dir, *logpath;
	FILE			*saved_out = ctx->out, *saved_err = ctx->err;
	const char		*cs;
	fatal_hook_t		 old_hook;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error(ctx, "the console needs a terminal (try 'xendeck "
		    "help' for the commands)");
		return (1);
	}
	memset(&tui, 0, sizeof tui);
	tui.ctx = ctx;
	ctx->confirm = tui_confirm;
	ctx->start_job = tui_start_job;
	ctx->open_console = tui_open_console;
	report_set_sink(tui_warning, NULL);
	if (log_path() == NULL && (dir = tui_state_dir()) != NULL) {
		logpath = xprintf("%s/xendeck.log", dir);
		log_open(logpath, log_get_level() < LOG_INFO ? LOG_INFO :
		    log_get_level());
		free(logpath);
		free(dir);
	}
	log_info("console starting");
	if (config_load(&tui.config, &cause) != 0) {
		warning = xprintf("config: %s (using the defaults)", cause);
		free(cause);
		cause = NULL;
	}
	tui.refresh_ms = tui.config.refresh_ms;
	cs = nl_langinfo(CODESET);
	tui.utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;

	if (ctx->backend_name != NULL)
		tui.be = backend_find(ctx->backend_name, &cause);
	else
		tui.be = backend_default(&cause);
	if (tui.be == NULL) {
		tui.be_error = cause;
		cause = NULL;
	} else {
		ctx->be = tui.be;
		sampler_init(&tui.sampler, tui.be);
	}

	old_hook = fatal_set_hook(tui_fatal_hook);
	tui_signals_on();
	if (initscr() == NULL)
		fatalx("initscr failed");
	curses_on = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED |
	    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	curs_set(0);
	{
		char	*tw = NULL;

		tui_theme(&tw);
		if (tw != NULL) {
			free(warning);
			warning = tw;
		}
	}
	getmaxyx(stdscr, tui.lines, tui.cols);
	job_init();
	job_set_end_hook(tui_job_ended);
	job_set_line_hook(view_transcript_job_line);
	tui_self_args();
	prompt_init();
	for (v = views; *v != NULL; v++) {
		if ((*v)->init != NULL)
			(*v)->init();
	}
	tui_resize();
	tui.view = &view_domains_ops;
	if (first == NULL)
		first = tui.config.view;
	for (v = views; first != NULL && *v != NULL; v++) {
		if (strcmp((*v)->name, first) == 0)
			tui.view = *v;
	}
	/* A host with nothing on it yet: the beginner starts at the guide. */
	if (first == NULL && tui_fresh_host())
		tui.view = &view_guide_ops;
	if (tui.view == &view_guide_ops)
		tui.view->enter(NULL);	/* its first read */
	tui.prev = &view_domains_ops;
	if (warning != NULL)
		tui_status(COL_ERROR, "%s", warning);
	else if (tui.be == NULL)
		tui_status(COL_ERROR, "%s", tui.be_error);
	free(warning);

	tui_loop();

	/* A view that owns something (the terminal, a console) lets go. */
	if (tui.view->leave != NULL)
		tui.view->leave();
	job_set_end_hook(NULL);
	job_set_line_hook(NULL);
	job_exit();
	for (v = views; *v != NULL; v++) {
		if ((*v)->free != NULL)
			(*v)->free();
	}
	prompt_exit();
	endwin();
	curses_on = 0;
	tui_signals_off();
	fatal_set_hook(old_hook);
	sampler_free(&tui.sampler);
	theme_free(&tui.theme);
	config_free(&tui.config);
	free(tui.selected);
	free(tui.be_error);
	free(status_text);
	messages_free();
	ctx->out = saved_out;
	ctx->err = saved_err;
	ctx->confirm = NULL;
	ctx->start_job = NULL;
	ctx->open_console = NULL;
	report_set_sink(NULL, NULL);
	log_info("console done");
	return (0);
}
