/*
 * The command table and its dispatcher. Every way of running a command (the
 * CLI, the console's ':' prompt, a key binding) ends in cmd_exec(), where
 * the policy the table states is applied in one place: it accepts an
 * unambiguous prefix, refuses CMD_MODIFIES commands in read-only mode,
 * checks root for CMD_ROOT ones, refuses Domain-0 for CMD_NODOM0 ones, and
 * asks what the entry's confirm says through the context (the terminal for
 * the CLI, the prompt in the console). In the console, CMD_JOB commands
 * then run as jobs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "console.h"

const struct cmd_entry *cmd_table[] = {
	/* As xl(1) lists them: domains, then the host, then xendeck's own. */
	&cmd_create_entry,
	&cmd_list_entry,
	&cmd_console_entry,
	&cmd_vnc_entry,
	&cmd_shutdown_entry,
	&cmd_reboot_entry,
	&cmd_destroy_entry,
	&cmd_pause_entry,
	&cmd_unpause_entry,
	&cmd_vnc_endpoint_entry,
	&cmd_cd_eject_entry,
	&cmd_cd_insert_entry,
	&cmd_vnc_password_entry,
	&cmd_info_entry,
	&cmd_network_entry,
	&cmd_top_entry,
	&cmd_check_config_entry,
	&cmd_pools_entry,
	&cmd_lab_entry,
	&cmd_template_entry,
	&cmd_jobs_entry,
	&cmd_messages_entry,
	&cmd_wizard_entry,
	&cmd_grub_default_entry,
	&cmd_guide_entry,
	&cmd_transcript_entry,
	&cmd_autostart_entry,
	&cmd_help_entry,
	&cmd_version_entry,
	/* Hidden: run by xendeck itself (create; bash completion). */
	&cmd_supervise_entry,
	&cmd_complete_entry,
	NULL
};

/* Find a command by name, alias or unambiguous prefix. */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	**e, *found = NULL;
	size_t			  len = strlen(name);
	int			  ambiguous = 0;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return (*e);
	}
	for (e = cmd_table; len > 0 && *e != NULL; e++) {
		if (((*e)->flags & CMD_HIDDEN) ||
		    strncmp((*e)->name, name, len) != 0)
			continue;
		if (found != NULL)
			ambiguous = 1;
		found = *e;
	}
	if (ambiguous) {
		char	*list = NULL, *next;

		for (e = cmd_table; *e != NULL; e++) {
			if (((*e)->flags & CMD_HIDDEN) ||
			    strncmp((*e)->name, name, len) != 0)
				continue;
			if (list == NULL)
				next = xstrdup((*e)->name);
			else
				xasprintf(&next, "%s, %s", list, (*e)->name);
			free(list);
			list = next;
		}
		*cause = xprintf("ambiguous command: %s (%s)", name, list);
		free(list);
		return (NULL);
	}
	if (found == NULL)
		*cause = xprintf("unknown command: %s (try 'xendeck help')",
		    name);
	return (found);
}

/* One line to f, everything in it escaped for the terminal (term_escape). */
void
cmd_line(FILE *f, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *safe;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	safe = term_escape(msg);
	fprintf(f, "%s\n", safe);
	free(safe);
	free(msg);
}

/* An error, one line, its values escaped for the terminal. */
void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	cmd_line(ctx->err, "xendeck: %s", msg);
	free(msg);
}

/*
 * JSON for a terminal as well as for scripts: jansson escapes C0 but
 * passes DEL and C1 (U+0080-U+009F) raw; here every non-ASCII character
 * is \uXXXX and DEL is \u007f (it can only occur inside strings). Caller
 * frees; NULL if it cannot be encoded.
 */
char *
cmd_json_text(struct json_t *j, size_t flags)
{
	char	*text, *out, *q;
	size_t	 n = 0;
	const char *p;

	if ((text = json_dumps(j, flags | JSON_ENSURE_ASCII)) == NULL)
		return (NULL);
	for (p = text; *p != '\0'; p++)
		n += *p == 0x7f ? 6 : 1;
	out = q = xmalloc(n + 1);
	for (p = text; *p != '\0'; p++) {
		if (*p == 0x7f)
			q += sprintf(q, "\\u007f");
		else
			*q++ = *p;
	}
	*q = '\0';
	free(text);
	return (out);
}

int
cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	fprintf(ctx->err, "usage: xendeck %s%s%s\n", e->name,
	    *e->usage != '\0' ? " " : "", e->usage);
	return (2);
}

/* The backend for this context: --backend, else the one for this host. */
const struct backend_ops *
cmd_backend(struct cmd_ctx *ctx)
{
	char	*cause = NULL;

	if (ctx->be != NULL)
		return (ctx->be);
	if (ctx->backend_name != NULL)
		ctx->be = backend_find(ctx->backend_name, &cause);
	else
		ctx->be = backend_default(&cause);
	if (ctx->be == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
	}
	return (ctx->be);
}

/*
 * Confirmation on the terminal (the CLI): a question on stderr, the answer
 * from stdin. Without a terminal to ask on, refuse and say how to confirm.
 */
int
cmd_confirm_tty(struct cmd_ctx *ctx, const struct cmd_question *q)
{
	char	*line = NULL;
	size_t	 size = 0;
	ssize_t	 n;
	int	 yes = 0;

	if (q->kind == CMD_CONFIRM_ONE)
		return (CMD_YES);	/* xl does not ask either */
	if (!isatty(STDIN_FILENO)) {
		cmd_error(ctx, "%s %s: not done: it needs %s, and stdin is "
		    "not a terminal to ask on (--yes confirms)", q->entry->name,
		    q->target != NULL ? q->target : "-a",
		    q->kind == CMD_CONFIRM_NAME ? "the domain's name typed" :
		    "a yes");
		return (CMD_NO);
	}
	fputs(q->text, stderr);
	fflush(stderr);
	if ((n = getline(&line, &size, stdin)) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (q->kind == CMD_CONFIRM_NAME)
			yes = strcmp(line, q->target) == 0;
		else
			yes = strcasecmp(line, "y") == 0 ||
			    strcasecmp(line, "yes") == 0;
	}
	if (!yes && q->kind == CMD_CONFIRM_NAME && n > 0)
		cmd_error(ctx, "%s %s: not done: the name typed did not match",
		    q->entry->name, q->target);
	else if (!yes)
		cmd_error(ctx, "%s %s: not done", q->entry->name,
		    q->target != NULL ? q->target : "-a");
	free(line);
	return (yes ? CMD_YES : CMD_NO);
}

/* Drop -y/--yes from a command's own arguments; 1 if one was there. */
static int
cmd_strip_yes(int *argc, char **argv)
{
	int	 i, j, yes = 0;

	for (i = j = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "-y") == 0 ||
		    strcmp(argv[i], "--yes") == 0) {
			yes = 1;
			continue;
		}
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argc = j;
	return (yes);
}

/*
 * What the policy needs from a command line before it runs: its first
 * operand, whether -a (every domain) or an option in tty_opts was given.
 * Returns -1 on a misuse (the command would print its usage).
 */
static int
cmd_scan(const struct cmd_entry *e, int argc, char **argv, char **target,
    int *all, int *tty)
{
	char	**copy, *spec;
	int	  ch, rc = 0;

	*target = NULL;
	*all = *tty = 0;
	if (e->opts == NULL) {
		if (argc >= 2 && argv[1][0] == '-')
			return (-1);
		if (argc >= 2)
			*target = xstrdup(argv[1]);
		return (0);
	}
	copy = strv_dup(argv);
	spec = xprintf("+:%s", e->opts);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, copy, spec, e->longopts, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			rc = -1;
			break;
		}
		if (ch == 'a')
			*all = 1;
		if (e->tty_opts != NULL && strchr(e->tty_opts, ch) != NULL)
			*tty = ch;
	}
	if (rc == 0 && optind < argc)
		*target = xstrdup(copy[optind]);
	opterr = 1;
	optind = 0;
	free(spec);
	strv_free(copy);
	return (rc);
}

/* Ask what the entry requires; CMD_YES, CMD_NO or CMD_LATER. */
static int
cmd_ask(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv, const char *target, int all)
{
	struct cmd_question	 q;
	char			*text;
	int			 answer;

	memset(&q, 0, sizeof q);
	if ((e->confirm & CMD_CONFIRM_ALL) && all) {
		q.kind = CMD_CONFIRM_ALL;
		text = xprintf("%s every domain? (y/n) ", e->name);
	} else if ((e->confirm & CMD_CONFIRM_NAME) && target != NULL) {
		q.kind = CMD_CONFIRM_NAME;
		q.target = target;
		text = xprintf("%s %s (%s)? type its name to confirm: ",
		    e->name, target, e->summary);
	} else if ((e->confirm & CMD_CONFIRM_ONE) && target != NULL) {
		q.kind = CMD_CONFIRM_ONE;
		q.target = target;
		text = xprintf("%s %s? (y/n) ", e->name, target);
	} else
		return (CMD_YES);	/* nothing to ask (or a misuse) */
	q.entry = e;
	q.text = text;
	q.argc = argc;
	q.argv = argv;
	answer = (ctx->confirm != NULL ? ctx->confirm :
	    cmd_confirm_tty)(ctx, &q);
	free(text);
	return (answer);
}

/*
 * Run argv[0] with its operands. Returns the exit code, or CMD_WAIT when
 * it goes on without us (a console job, a question being asked).
 */
int
cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	char			*cause = NULL, *target = NULL;
	int			 all = 0, tty = 0, yes = 0, rc;

	if (argc < 1)
		return (2);
	if ((e = cmd_find(argv[0], &cause)) == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (2);
	}
	if (ctx->read_only && (e->flags & CMD_MODIFIES)) {
		cmd_error(ctx, "%s: refused in read-only mode", e->name);
		return (1);
	}
	if (ctx->interactive && (e->flags & CMD_TERMINAL)) {
		cmd_error(ctx, "%s: not available from the console prompt",
		    e->name);
		return (1);
	}
	if (!ctx->interactive && (e->flags & CMD_CONSOLE)) {
		cmd_error(ctx, "%s: only at the console's ':' prompt (run "
		    "xendeck, then :%s)", e->name, e->name);
		return (1);
	}
	if ((e->flags & CMD_ROOT) && geteuid() != 0) {
		cmd_error(ctx, "%s: must be run as root", e->name);
		return (1);
	}
	if (e->confirm != 0)
		yes = cmd_strip_yes(&argc, argv);
	if ((e->confirm != 0 || (e->flags & CMD_NODOM0) ||
	    e->tty_opts != NULL) &&
	    cmd_scan(e, argc, argv, &target, &all, &tty) != 0)
		return (cmd_usage(ctx, e));
	/* -a is every domain: a domain as well is a misuse, not a question. */
	if (all && target != NULL && (e->confirm & CMD_CONFIRM_ALL)) {
		free(target);
		return (cmd_usage(ctx, e));
	}
	if (tty != 0 && ctx->interactive) {
		cmd_error(ctx, "%s -%c: not available from the console prompt",
		    e->name, tty);
		rc = 1;
		goto out;
	}
	/* The one place Domain-0 is refused. */
	if ((e->flags & CMD_NODOM0) && target != NULL && !all &&
	    backend_is_dom0(target)) {
		cause = backend_dom0_refused(e->name);
		cmd_error(ctx, "%s", cause);
		free(cause);
		rc = 1;
		goto out;
	}
	if (e->confirm != 0 && !yes && !ctx->assume_yes) {
		switch (cmd_ask(ctx, e, argc, argv, target, all)) {
		case CMD_NO:
			rc = 1;
			goto out;
		case CMD_LATER:
			rc = CMD_WAIT;
			goto out;
		}
	}
	if ((e->flags & CMD_JOB) && ctx->start_job != NULL &&
	    (e->is_job == NULL || e->is_job(argc, argv))) {
		rc = ctx->start_job(ctx, e, argc, argv);
		goto out;
	}
	optind = 0;	/* GNU getopt: full reinitialisation per command */
	rc = e->exec(ctx, argc, argv);
out:
	free(target);
	return (rc);
}
