/*
 * The command table and its dispatcher. Every way of running a command (the
 * CLI, the console's ':' prompt, a key binding) ends in cmd_exec(): it
 * accepts an unambiguous prefix, refuses CMD_MODIFIES commands in read-only
 * mode, and checks root for CMD_ROOT ones.
 */
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
	&cmd_info_entry,
	&cmd_top_entry,
	&cmd_check_config_entry,
	&cmd_lab_entry,
	&cmd_help_entry,
	&cmd_version_entry,
	/* Hidden: run by xendeck itself. */
	&cmd_supervise_entry,
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

/* An error, one line, its values escaped for the terminal (term_escape). */
void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *safe;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	safe = term_escape(msg);
	fprintf(ctx->err, "xendeck: %s\n", safe);
	free(safe);
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

/* Run argv[0] with its operands. Returns the exit code. */
int
cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	char			*cause = NULL;

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
	if ((e->flags & CMD_ROOT) && geteuid() != 0) {
		cmd_error(ctx, "%s: must be run as root", e->name);
		return (1);
	}
	optind = 0;	/* GNU getopt: full reinitialisation per command */
	return (e->exec(ctx, argc, argv));
}
