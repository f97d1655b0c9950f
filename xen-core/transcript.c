/*
 * The transcript: every action the console or a wizard performs, as the
 * command a person would type for it. A beginner learns xl by using
 * xendeck, so a domain action is kept as its xl command (`xl create
 * /etc/xen/web1.cfg`, `xl shutdown -w web1`); on the QEMU backend, where
 * xendeck itself ran it, the xendeck command is kept beside it and both are
 * shown. A wizard's steps are kept as the commands the engine ran (lvm2,
 * ip/ifupdown, apt-get, ...), read from the events the wizard's child
 * prints (console/cmd-wizard.c: JSON lines with --json, else its text); a
 * file edit shows as what it is, "(file edit) PATH".
 *
 * A transcript is shown (the console's Transcript view), exported as a sh
 * script with the time and outcome of each command in comments
 * (transcript_export), and appended to a log (one JSON object a line), from
 * which the Guide reads which everyday commands have been used here.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"

#define TR_LOG_MAX	(1024 * 1024)	/* the log is cut back beyond this */
#define TR_LOG_READ	(256 * 1024)	/* what is read of it: its tail */
#define TR_EARLIER	"done earlier in this run"

/* The commands that are not actions: nothing is kept of them. */
static const char *const tr_quiet[] = {
	"help", "version", "jobs", "messages", "guide", "transcript", NULL
};

/*
 * xendeck's commands that xl has: its words, the options xl takes as they
 * are (with ':' after one that takes a value), whether it takes the
 * terminal, and whether its first operand is a file.
 */
static const struct tr_map {
	const char	*name;
	const char	*xl;
	const char	*pass;
	int		 interactive;
	int		 file;
} tr_maps[] = {
	{ "create", "xl create", "pcn", 0, 1 },
	{ "shutdown", "xl shutdown", "wFa", 0, 0 },
	{ "reboot", "xl reboot", "Fa", 0, 0 },
	{ "destroy", "xl destroy", "", 0, 0 },
	{ "pause", "xl pause", "", 0, 0 },
	{ "unpause", "xl unpause", "", 0, 0 },
	{ "console", "xl console", "", 1, 0 },
	{ "vnc", "xl vncviewer", "", 1, 0 },
	{ "list", "xl list", "l", 0, 0 },
	{ "info", "xl info", "", 0, 0 },
	{ "top", "xl top", "", 1, 0 },
	{ "check-config", "xl create -n", "", 0, 1 },
};

void
transcript_init(struct transcript *t)
{
	memset(t, 0, sizeof *t);
	t->started = time(NULL);
}

void
transcript_entry_free(struct tr_entry *e)
{
	if (e == NULL)
		return;
	free(e->command);
	free(e->ran);
	free(e->backend);
	free(e->outcome);
	free(e->detail);
	free(e->wizard);
	free(e->title);
	memset(e, 0, sizeof *e);
}

void
transcript_free(struct transcript *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		transcript_entry_free(&t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* Add a copy of e; returns its index. */
size_t
transcript_add(struct transcript *t, const struct tr_entry *e)
{
	struct tr_entry	*n;

	t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
	n = &t->v[t->n];
	*n = *e;
	n->command = xstrdup(e->command != NULL ? e->command : "");
	n->ran = dup_or_null(e->ran);
	n->backend = dup_or_null(e->backend);
	n->outcome = xstrdup(e->outcome != NULL ? e->outcome : "ok");
	n->detail = dup_or_null(e->detail);
	n->wizard = dup_or_null(e->wizard);
	n->title = dup_or_null(e->title);
	return (t->n++);
}

/* Set an entry's outcome and detail (either may be NULL: unchanged). */
void
transcript_set_outcome(struct tr_entry *e, const char *outcome,
    const char *detail)
{
	if (outcome != NULL) {
		free(e->outcome);
		e->outcome = xstrdup(outcome);
	}
	if (detail != NULL) {
		free(e->detail);
		e->detail = *detail != '\0' ? xstrdup(detail) : NULL;
	}
}

static void
words_add(struct strbuf *b, const char *w)
{
	char	*q = shell_quote(w);

	strbuf_printf(b, "%s%s", b->len > 0 ? " " : "", q);
	free(q);
}

/*
 * Whether a wizard command line does something (--apply, --export, an
 * action) rather than only show (the list, --plan, --help, checks).
 */
static int
tr_wizard_acts(char *const *argv)
{
	static const char *const shows[] = { "--plan", "--json", "--help",
		NULL };
	static const char *const valued[] = { "--set", "--answers", "--root",
		NULL };
	size_t	 i, k;
	int	 skip;

	for (i = 1; argv[i] != NULL; i++) {
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		skip = 0;
		for (k = 0; valued[k] != NULL; k++) {
			if (strcmp(argv[i], valued[k]) == 0)
				skip = 2;
			else if (strncmp(argv[i], valued[k],
			    strlen(valued[k])) == 0 &&
			    argv[i][strlen(valued[k])] == '=')
				skip = 1;
		}
		for (k = 0; shows[k] != NULL; k++) {
			if (strcmp(argv[i], shows[k]) == 0)
				skip = 1;
		}
		if (skip == 0)
			return (1);
		if (skip == 2 && argv[i + 1] != NULL)
			i++;
	}
	return (0);
}

/* A path as the shell that runs the script will find it. */
static char *
tr_path(const char *path, const char *cwd)
{
	if (*path == '/' || cwd == NULL || *cwd == '\0')
		return (xstrdup(path));
	if (strncmp(path, "./", 2) == 0)
		path += 2;
	return (xprintf("%s/%s", cwd, path));
}

/*
 * What a person would type for a xendeck command line (argv[0]: the
 * command's full name, as the table has it): the xl command for a domain
 * action and for what xl shows (`xl list`, `xl info`, `xl top`), else
 * `xendeck ...`. *xendeck gets the xendeck command line when the first is
 * an xl command (NULL otherwise); a relative file operand is made absolute
 * against cwd (NULL: left as it is). Returns NULL for the commands that are
 * not actions (help, jobs, ...). *flags gets TR_XL (an xl command) and
 * TR_INTERACTIVE (it takes a terminal: a comment in scripts).
 */
char *
transcript_command(char *const *argv, const char *cwd, char **xendeck,
    int *flags)
{
	const struct tr_map	*m = NULL;
	struct strbuf		 xl = { 0 }, xd = { 0 };
	const char		*a, *o;
	char			*path;
	int			 i, n = (int)strv_len(argv), file_done = 0;
	int			 fallback = 0, batch = 0, operands = 0;
	size_t			 k;

	*xendeck = NULL;
	*flags = 0;
	if (n == 0)
		return (NULL);
	for (k = 0; tr_quiet[k] != NULL; k++) {
		if (strcmp(argv[0], tr_quiet[k]) == 0)
			return (NULL);
	}
	if (strcmp(argv[0], "wizard") == 0 && !tr_wizard_acts(argv))
		return (NULL);
	for (k = 0; k < nitems(tr_maps); k++) {
		if (strcmp(tr_maps[k].name, argv[0]) == 0)
			m = &tr_maps[k];
	}
	strbuf_add(&xd, "xendeck", 7);
	words_add(&xd, argv[0]);
	if (m != NULL)
		strbuf_printf(&xl, "%s", m->xl);
	for (i = 1; i < n; i++) {
		a = argv[i];
		if (m != NULL && m->file && !file_done && *a != '-') {
			path = tr_path(a, cwd);
			words_add(&xd, path);
			words_add(&xl, path);
			free(path);
			file_done = 1;
			operands++;
			continue;
		}
		words_add(&xd, a);
		if (m == NULL)
			continue;
		if (strcmp(a, "-y") == 0 || strcmp(a, "--yes") == 0)
			continue;	/* xl does not ask */
		if (*a != '-' || strcmp(a, "-") == 0) {
			words_add(&xl, a);
			operands++;
			continue;
		}
		if (strncmp(a, "--", 2) == 0) {
			fallback = 1;	/* --json, --ready: xendeck's own */
			continue;
		}
		for (o = a + 1; *o != '\0'; o++) {
			if (strcmp(m->name, "top") == 0 && *o == 'b')
				batch = 1;
			else if (strcmp(m->name, "top") == 0 && batch &&
			    (*o == 'i' || *o == 'd'))
				;
			else if (strchr(m->pass, *o) == NULL)
				fallback = 1;
			if (*o == 'c' && strcmp(m->name, "create") == 0)
				*flags |= TR_INTERACTIVE;
		}
		words_add(&xl, a);
		/* top -b's -i N and -d SEC take a value. */
		if (batch && (a[strlen(a) - 1] == 'i' || a[strlen(a) - 1] ==
		    'd') && i + 1 < n) {
			words_add(&xd, argv[++i]);
			words_add(&xl, argv[i]);
		}
	}
	(void)operands;
	if (m == NULL || fallback) {
		free(xl.s);
		return (xd.s);
	}
	if (strcmp(m->name, "top") == 0 && batch) {
		/* xl top is xentop; its batch mode is xentop's. */
		path = xprintf("xentop%s", xl.s + strlen("xl top"));
		free(xl.s);
		xl.s = path;
	} else if (m->interactive)
		*flags |= TR_INTERACTIVE;
	*flags |= TR_XL;
	*xendeck = xd.s;
	return (xl.s);
}

/*
 * The wizard events of one wizard job, as they come (one line of its
 * stdout at a time): JSON lines (--json) or the CLI's text. A step's begin
 * adds an entry ("running"); its end sets the outcome. Steps that an
 * earlier run did (a --resume reports them) are left out: they are not
 * done now.
 */
void
transcript_wizard_init(struct tr_wizard *w, char *const *argv,
    const char *backend)
{
	size_t	 i, n = strv_len(argv);

	memset(w, 0, sizeof *w);
	w->open = (size_t)-1;
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "wizard") == 0 && i + 1 < n &&
		    w->wizard == NULL && argv[i + 1][0] != '-')
			w->wizard = xstrdup(argv[i + 1]);
		if (strcmp(argv[i], "--json") == 0)
			w->json = 1;
		if (strcmp(argv[i], "--undo") == 0)
			w->undo = 1;
		if (strcmp(argv[i], "--apply") == 0 ||
		    strcmp(argv[i], "--resume") == 0 ||
		    strcmp(argv[i], "--undo") == 0)
			w->runs = 1;
	}
	w->backend = dup_or_null(backend);
}

void
transcript_wizard_free(struct tr_wizard *w)
{
	free(w->wizard);
	free(w->backend);
	free(w->title);
	free(w->run);
	memset(w, 0, sizeof *w);
	w->open = (size_t)-1;
}

/* A step begins: its entry, "running" until its end. */
static void
tr_step_begin(struct tr_wizard *w, struct transcript *t, int step,
    int total, const char *title, const char *command)
{
	struct tr_entry	 e;
	char		*cmd = NULL;

	memset(&e, 0, sizeof e);
	e.when = time(NULL);
	e.kind = TR_STEP;
	/* An xendeck operation is shown as the xl command it equals. */
	if (strncmp(command, "xendeck ", 8) == 0) {
		char	**argv = NULL, *copy, *p, *word;
		int	  flags;

		copy = xstrdup(command + 8);
		for (p = copy; (word = strsep(&p, " ")) != NULL;) {
			if (*word != '\0')
				strv_push(&argv, word);
		}
		cmd = argv != NULL && strchr(command, '\'') == NULL ?
		    transcript_command(argv, NULL, &e.ran, &flags) : NULL;
		if (cmd != NULL && !(flags & TR_XL)) {
			free(cmd);
			cmd = NULL;
		}
		if (cmd != NULL) {
			e.interactive = (flags & TR_INTERACTIVE) != 0;
			e.backend = w->backend;
		} else {
			free(e.ran);
			e.ran = NULL;
		}
		strv_free(argv);
		free(copy);
	}
	e.command = cmd != NULL ? cmd : (char *)command;
	e.outcome = "running";
	e.wizard = w->wizard;
	e.title = (char *)title;
	e.step = step;
	e.total = total;
	e.undo = w->undo;
	w->open = transcript_add(t, &e);
	w->began = mono_ms();
	free(cmd);
	free(e.ran);
}

static void
tr_step_end(struct tr_wizard *w, struct transcript *t, const char *outcome,
    const char *detail)
{
	struct tr_entry	*e;

	if (w->open == (size_t)-1 || w->open >= t->n)
		return;
	e = &t->v[w->open];
	w->open = (size_t)-1;
	if (detail != NULL && strcmp(detail, TR_EARLIER) == 0) {
		/* Not done now: drop it (it is the last entry). */
		if (e == &t->v[t->n - 1]) {
			transcript_entry_free(e);
			t->n--;
		}
		return;
	}
	transcript_set_outcome(e, outcome, detail != NULL ? detail : "");
	e->ms = mono_ms() - w->began;
}

static void
tr_wizard_json(struct tr_wizard *w, struct transcript *t, const char *line)
{
	json_t		*o;
	const char	*ev, *s;

	if ((o = json_loads(line, 0, NULL)) == NULL)
		return;
	ev = json_string_value(json_object_get(o, "event"));
	if (ev == NULL)
		;
	else if (strcmp(ev, "begin") == 0) {
		s = json_string_value(json_object_get(o, "command"));
		tr_step_begin(w, t, (int)json_integer_value(json_object_get(o,
		    "step")), (int)json_integer_value(json_object_get(o,
		    "total")), json_string_value(json_object_get(o, "title")),
		    s != NULL ? s : "");
	} else if (strcmp(ev, "end") == 0) {
		s = json_string_value(json_object_get(o, "outcome"));
		tr_step_end(w, t, s != NULL ? s : "?",
		    json_string_value(json_object_get(o, "detail")));
	} else if (strcmp(ev, "result") == 0) {
		s = json_string_value(json_object_get(o, "run"));
		if (s != NULL) {
			free(w->run);
			w->run = xstrdup(s);
		}
		w->done = 1;
	}
	json_decref(o);
}

/* The CLI's text (cmd-wizard.c: ev_begin, ev_line, ev_end). */
static void
tr_wizard_text(struct tr_wizard *w, struct transcript *t, const char *line)
{
	static const char *const outcomes[] = { "ok", "skipped", "FAILED",
		"undone", NULL };
	const char	*p, *title;
	size_t		 i, n;
	int		 step, total;

	if (w->title != NULL && strncmp(line, "      ", 6) == 0) {
		/* The line after "[i/n] title": its command. */
		p = line + 6;
		if (strncmp(p, "$ ", 2) == 0)
			p += 2;
		tr_step_begin(w, t, w->step, w->total, w->title, p);
		free(w->title);
		w->title = NULL;
		return;
	}
	if (line[0] == '[' && sscanf(line, "[%d/%d] ", &step, &total) == 2 &&
	    (title = strstr(line, "] ")) != NULL) {
		title += 2;
		if (strncmp(title, "undo: ", 6) == 0)
			title += 6;
		free(w->title);
		w->title = xstrdup(title);
		w->step = step;
		w->total = total;
		return;
	}
	if (w->open == (size_t)-1 || strncmp(line, "      ", 6) != 0)
		return;
	p = line + 6;
	for (i = 0; outcomes[i] != NULL; i++) {
		n = strlen(outcomes[i]);
		if (strncmp(p, outcomes[i], n) != 0 || (p[n] != '\0' &&
		    p[n] != ':'))
			continue;
		tr_step_end(w, t, i == 2 ? "failed" : outcomes[i],
		    p[n] == ':' ? p + n + 2 : "");
		return;
	}
}

/* One line of a wizard job's output (stream 1 stdout, 2 stderr). */
void
transcript_wizard_line(struct tr_wizard *w, struct transcript *t, int stream,
    const char *line)
{
	if (!w->runs || stream != 1)
		return;
	if (w->json)
		tr_wizard_json(w, t, line);
	else
		tr_wizard_text(w, t, line);
}

/* The job has ended: a step still open did not end (killed, cancelled). */
void
transcript_wizard_end(struct tr_wizard *w, struct transcript *t,
    const char *why)
{
	if (w->open != (size_t)-1)
		tr_step_end(w, t, "interrupted", why);
}

static const char *
tr_kind_name(enum tr_kind k)
{
	switch (k) {
	case TR_COMMAND:
		return ("command");
	case TR_STEP:
		return ("step");
	case TR_VIEW:
		return ("view");
	}
	return ("?");
}

static json_t *
tr_entry_json(const struct tr_entry *e)
{
	json_t	*o;

	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b}", "time",
	    (json_int_t)e->when, "ms", (json_int_t)e->ms, "kind",
	    tr_kind_name(e->kind), "command", e->command, "outcome",
	    e->outcome, "interactive", e->interactive);
#define OPT(k, v) if ((v) != NULL) json_object_set_new(o, k, json_string(v))
	OPT("ran", e->ran);
	OPT("backend", e->backend);
	OPT("detail", e->detail);
	OPT("wizard", e->wizard);
	OPT("title", e->title);
#undef OPT
	if (e->kind == TR_STEP) {
		json_object_set_new(o, "step", json_integer(e->step));
		json_object_set_new(o, "total", json_integer(e->total));
		if (e->undo)
			json_object_set_new(o, "undo", json_true());
	}
	return (o);
}

/* Entry i as one JSON line (no newline), the caller's. */
char *
transcript_entry_json(const struct tr_entry *e)
{
	json_t	*o = tr_entry_json(e);
	char	*s;

	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (s != NULL ? s : xstrdup("{}"));
}

/*
 * Append an entry to the log at PATH (made with its directory); a log
 * grown beyond TR_LOG_MAX keeps its newer half. -1 with *cause.
 */
int
transcript_log_append(const char *path, const struct tr_entry *e,
    char **cause)
{
	struct stat	 st;
	char		*line, *dir, *slash, *buf = NULL;
	const char	*cut;
	size_t		 len;
	int		 fd, rc = -1;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700, cause) != 0) {
			free(dir);
			return (-1);
		}
	}
	free(dir);
	if (stat(path, &st) == 0 && st.st_size > TR_LOG_MAX &&
	    file_read(path, &buf, &len, cause) == 0) {
		cut = buf + len / 2;
		if ((cut = memchr(cut, '\n', len - (cut - buf))) != NULL &&
		    file_write_atomic(path, cut + 1, len - (cut + 1 - buf),
		    0600, 0, cause) != 0) {
			free(buf);
			return (-1);
		}
		free(buf);
	}
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	line = transcript_entry_json(e);
	xasprintf(&buf, "%s\n", line);
	free(line);
	if (write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf))
		rc = 0;
	else
		*cause = xprintf("%s: %s", path, strerror(errno));
	free(buf);
	close(fd);
	return (rc);
}

static enum tr_kind
tr_kind_parse(const char *s)
{
	if (s != NULL && strcmp(s, "step") == 0)
		return (TR_STEP);
	if (s != NULL && strcmp(s, "view") == 0)
		return (TR_VIEW);
	return (TR_COMMAND);
}

/*
 * Parse a log's lines (BUF, LEN) into t, appending; lines that are not
 * entries (a torn last line) are skipped. Returns how many were read.
 */
size_t
transcript_log_parse(const char *buf, size_t len, struct transcript *t)
{
	const char	*p = buf, *end = buf + len, *line;
	size_t		 n, count = 0;
	json_t		*o;
	struct tr_entry	 e;

	while (next_line(&p, end, &line, &n)) {
		if ((o = json_loadb(line, n, 0, NULL)) == NULL ||
		    json_string_value(json_object_get(o, "command")) == NULL) {
			json_decref(o);
			continue;
		}
		memset(&e, 0, sizeof e);
		e.when = (time_t)json_integer_value(json_object_get(o, "time"));
		e.ms = (uint64_t)json_integer_value(json_object_get(o, "ms"));
		e.kind = tr_kind_parse(json_string_value(json_object_get(o,
		    "kind")));
		e.command = (char *)json_string_value(json_object_get(o,
		    "command"));
		e.outcome = (char *)json_string_value(json_object_get(o,
		    "outcome"));
#define GET(k) ((char *)json_string_value(json_object_get(o, k)))
		e.ran = GET("ran");
		e.backend = GET("backend");
		e.detail = GET("detail");
		e.wizard = GET("wizard");
		e.title = GET("title");
#undef GET
		e.step = (int)json_integer_value(json_object_get(o, "step"));
		e.total = (int)json_integer_value(json_object_get(o, "total"));
		e.undo = json_is_true(json_object_get(o, "undo"));
		e.interactive = json_is_true(json_object_get(o,
		    "interactive"));
		transcript_add(t, &e);
		json_decref(o);
		count++;
	}
	return (count);
}

/* The log's newer entries (its last TR_LOG_READ bytes); none if absent. */
int
transcript_log_load(const char *path, struct transcript *t, char **cause)
{
	struct stat	 st;
	char		*buf;
	const char	*start;
	ssize_t		 got;
	off_t		 off = 0;
	size_t		 size;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (0);
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (st.st_size > TR_LOG_READ)
		off = st.st_size - TR_LOG_READ;
	size = (size_t)(st.st_size - off);
	buf = xmalloc(size + 1);
	got = pread(fd, buf, size, off);
	close(fd);
	if (got < 0) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(buf);
		return (-1);
	}
	buf[got] = '\0';
	start = buf;
	/* Read from the middle: start after the first whole line. */
	if (off > 0 && (start = memchr(buf, '\n', got)) != NULL)
		start++;
	if (start != NULL)
		transcript_log_parse(start, got - (start - buf), t);
	free(buf);
	return (0);
}

/* Whether an entry was done by xendeck itself rather than by xl. */
static int
tr_ran_by_xendeck(const struct tr_entry *e)
{
	return (e->ran != NULL && e->backend != NULL &&
	    strcmp(e->backend, "xl") != 0);
}

/* "21:01:05  ok  (2.1 s)" and what the entry is, for a comment. */
static void
tr_export_head(struct strbuf *b, const struct tr_entry *e)
{
	struct tm	 tm;
	char		 when[32];

	localtime_r(&e->when, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	strbuf_printf(b, "\n# %s  %s", when, e->outcome);
	if (e->detail != NULL && strcmp(e->outcome, "ok") != 0)
		strbuf_printf(b, ": %.*s", (int)strcspn(e->detail, "\n"),
		    e->detail);
	if (e->ms >= 100)
		strbuf_printf(b, "  (%.1f s)", e->ms / 1000.0);
	if (e->kind == TR_COMMAND && strncmp(e->command, "xendeck wizard ",
	    15) == 0)
		strbuf_printf(b, "  (its steps are the commands below)");
	if (e->kind == TR_STEP && e->wizard != NULL)
		strbuf_printf(b, "  wizard %s%s, step %d/%d: %s", e->wizard,
		    e->undo ? " --undo" : "", e->step, e->total,
		    e->title != NULL ? e->title : "");
	else if (e->kind == TR_VIEW && e->title != NULL)
		strbuf_printf(b, "  (%s)", e->title);
	strbuf_add(b, "\n", 1);
}

/*
 * The transcript as a POSIX sh script: a comment with the time and outcome
 * of each command, then the command. What did not run to its end (failed,
 * skipped, cancelled), what takes a terminal (a console, top, a VNC
 * viewer), file edits and a wizard's own command line (its steps follow
 * it) are comments; on the QEMU backend a domain
 * action runs as the xendeck command it was, with its xl command beside
 * it. HOST names the machine in the header.
 */
char *
transcript_export(const struct transcript *t, const char *host)
{
	struct strbuf		 b = { 0 };
	const struct tr_entry	*e;
	struct tm		 tm;
	char			 from[64];
	size_t			 i;
	int			 live;

	localtime_r(&t->started, &tm);
	strftime(from, sizeof from, "%Y-%m-%d %H:%M:%S", &tm);
	strbuf_printf(&b, "#!/bin/sh\n"
	    "# What xendeck's console did on %s, session from %s,\n"
	    "# as the commands a person would type: xl for domains, the\n"
	    "# wizards' own commands for their steps. Each is preceded by its\n"
	    "# time and outcome. What did not run to its end, what takes a\n"
	    "# terminal and file edits are comments. On the QEMU backend a\n"
	    "# domain action ran as xendeck's command, and the xl command it\n"
	    "# equals on a Xen host is beside it.\n"
	    "# Read it before running it: it repeats changes.\n",
	    host != NULL ? host : "this host", from);
	if (t->n == 0)
		strbuf_printf(&b, "\n# (nothing was done)\n");
	for (i = 0; i < t->n; i++) {
		e = &t->v[i];
		tr_export_head(&b, e);
		/* A wizard's run is its steps, each kept on its own. */
		live = strcmp(e->outcome, "ok") == 0 && !e->interactive &&
		    e->command[0] != '(' && e->kind != TR_VIEW &&
		    strncmp(e->command, "xendeck wizard ", 15) != 0;
		if (tr_ran_by_xendeck(e)) {
			strbuf_printf(&b, "# on %s: %s; on Xen: %s\n",
			    strcmp(e->backend, "qemu") == 0 ? "QEMU" :
			    e->backend, e->ran, e->command);
			strbuf_printf(&b, "%s%s\n", live ? "" : "# ", e->ran);
		} else
			strbuf_printf(&b, "%s%s\n", live ? "" : "# ",
			    e->command);
	}
	return (b.s);
}
