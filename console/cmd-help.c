/*
 * help and version: generated from the command table, never written twice.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

static int	cmd_help_exec(struct cmd_ctx *, int, char **);
static int	cmd_version_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "list the commands, or explain one",
	.exec = cmd_help_exec,
};

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.usage = "",
	.summary = "print xendeck's version",
	.exec = cmd_version_exec,
};

/* The list of commands with their one-line summaries. */
void
cmd_print_overview(FILE *f)
{
	const struct cmd_entry	**e;
	int			  width = 0, n;

	fprintf(f, "usage: xendeck [-v] [-l FILE] [--backend qemu|xl] "
	    "[--read-only] [-y] [COMMAND [ARGS]]\n\n");
	fprintf(f, "With no command, xendeck opens the console.\n\n"
	    "Commands:\n");
	for (e = cmd_table; *e != NULL; e++) {
		if ((*e)->flags & CMD_HIDDEN)
			continue;
		n = (int)strlen((*e)->name);
		if (n > width)
			width = n;
	}
	for (e = cmd_table; *e != NULL; e++) {
		if (!((*e)->flags & CMD_HIDDEN))
			fprintf(f, "  %-*s  %s\n", width, (*e)->name,
			    (*e)->summary);
	}
	fprintf(f, "\nOptions:\n"
	    "  -v, --verbose      log more (repeatable)\n"
	    "  -l, --log FILE     log file (default: none for commands)\n"
	    "      --backend NAME qemu or xl (default: xl on a Xen dom0, "
	    "else qemu)\n"
	    "      --read-only    refuse every command that changes state\n"
	    "  -y, --yes          confirm what a command asks first (destroy,\n"
	    "                     shutdown -a); without a terminal to ask\n"
	    "                     on, such a command needs it\n"
	    "  -h, --help         this list\n"
	    "  -V, --version      print the version\n"
	    "\n'xendeck help COMMAND' explains one command.\n");
}

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	char			*cause = NULL;

	if (argc > 2)
		return (cmd_usage(ctx, &cmd_help_entry));
	if (argc == 1) {
		cmd_print_overview(ctx->out);
		return (0);
	}
	if ((e = cmd_find(argv[1], &cause)) == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	fprintf(ctx->out, "usage: xendeck %s%s%s\n\n%s\n", e->name,
	    *e->usage != '\0' ? " " : "", e->usage, e->summary);
	if (e->alias != NULL)
		fprintf(ctx->out, "alias: %s\n", e->alias);
	if (e->help != NULL)
		fprintf(ctx->out, "\n%s", e->help);
	if (e->flags & CMD_MODIFIES)
		fprintf(ctx->out, "\nThis command changes state: it is "
		    "refused with --read-only.\n");
	if (e->confirm & CMD_CONFIRM_NAME)
		fprintf(ctx->out, "It asks for the domain's name to be typed "
		    "first; -y (--yes) confirms\ninstead, and without a "
		    "terminal to ask on it is refused unless so confirmed.\n");
	if (e->confirm & CMD_CONFIRM_ALL)
		fprintf(ctx->out, "On every domain (-a) it asks first; -y "
		    "(--yes) confirms instead, and\nwithout a terminal to ask "
		    "on it is refused unless so confirmed.\n");
	if (e->flags & CMD_NODOM0)
		fprintf(ctx->out, "Domain-0, the host itself, is refused.\n");
	if (e->flags & CMD_CONSOLE)
		fprintf(ctx->out, "Only at the console's ':' prompt.\n");
	if (e->flags & CMD_JOB)
		fprintf(ctx->out, "In the console it runs as a job (see "
		    ":jobs) while the screen goes on.\n");
	return (0);
}

static int
cmd_version_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 1)
		return (cmd_usage(ctx, &cmd_version_entry));
	fprintf(ctx->out, "xendeck %s\n", PACKAGE_VERSION);
	return (0);
}
