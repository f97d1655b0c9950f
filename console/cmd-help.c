/*
 * help and version: generated from the command table, never written twice.
 * The global options are data too (cmd_global_options), so the usage
 * line, `xendeck --help`, main()'s getopt, the manual and completion agree.
 */
#include <getopt.h>
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

/* Before the command: main() parses these. */
const struct cmd_option cmd_global_options[] = {
	{ 'v', "verbose", NULL, NULL, 'v',
	    "log more (repeatable)" },
	{ 'l', "log", "FILE", NULL, 'l',
	    "log file (default: none for commands)" },
	{ 0, "backend", "NAME", "qemu|xl", 'B',
	    "qemu or xl (default: xl on a Xen dom0, else qemu)" },
	{ 0, "read-only", NULL, NULL, 'R',
	    "refuse every command that changes state" },
	{ 'y', "yes", NULL, NULL, 'y',
	    "confirm what a command asks first (destroy, shutdown -a); "
	    "without a terminal to ask on, such a command needs it" },
	{ 'h', "help", NULL, NULL, 'h',
	    "this list" },
	{ 'V', "version", NULL, NULL, 'V',
	    "print the version" },
	{ 0, NULL, NULL, NULL, 0, NULL }
};

/* "-l, --log FILE" (or "    --backend NAME") for an option's line. */
char *
cmd_option_label(const struct cmd_option *o)
{
	char	*s;

	if (o->ch != 0)
		xasprintf(&s, "-%c, --%s%s%s", o->ch, o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	else
		xasprintf(&s, "    --%s%s%s", o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	return (s);
}

/* The usage line's options: "[-v] [-l FILE] [--backend qemu|xl] ...". */
static void
cmd_print_global_usage(FILE *f)
{
	const struct cmd_option	*o;

	for (o = cmd_global_options; o->name != NULL; o++) {
		if (o->ch == 'h' || o->ch == 'V')
			continue;
		if (o->ch != 0)
			fprintf(f, " [-%c%s%s]", o->ch, o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		else
			fprintf(f, " [--%s%s%s]", o->name, o->values != NULL ||
			    o->arg != NULL ? " " : "", o->values != NULL ?
			    o->values : o->arg != NULL ? o->arg : "");
	}
}

/* A text wrapped at WIDTH columns, each line after the first at INDENT. */
static void
cmd_print_wrapped(FILE *f, const char *text, int indent, int width)
{
	const char	*p = text, *w;
	int		 col = indent, n;

	while (*p != '\0') {
		w = p + strcspn(p, " ");
		n = (int)(w - p);
		if (col > indent && col + 1 + n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", n, p);
		col += n;
		p = w + strspn(w, " ");
	}
	fputc('\n', f);
}

/* The list of commands with their one-line summaries. */
void
cmd_print_overview(FILE *f)
{
	const struct cmd_entry	**e;
	const struct cmd_option	 *o;
	char			 *label;
	int			  width = 0, n;

	fprintf(f, "usage: xendeck");
	cmd_print_global_usage(f);
	fprintf(f, " [COMMAND [ARGS]]\n\n");
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
	fprintf(f, "\nOptions:\n");
	for (o = cmd_global_options; o->name != NULL; o++) {
		label = cmd_option_label(o);
		fprintf(f, "  %-18s ", label);
		cmd_print_wrapped(f, o->help, 21, 64);
		free(label);
	}
	fprintf(f, "\n'xendeck help COMMAND' explains one command.\n");
}

/*
 * What the table says of a command, in sentences: what `help COMMAND`
 * ends with, and the manual too.
 */
void
cmd_help_policy(FILE *f, const struct cmd_entry *e)
{
	if (e->flags & CMD_MODIFIES)
		fprintf(f, "This command changes state: it is refused with "
		    "--read-only.\n");
	if (e->flags & CMD_ROOT)
		fprintf(f, "It must be run as root.\n");
	if (e->confirm & CMD_CONFIRM_NAME)
		fprintf(f, "It asks for the domain's name to be typed first; "
		    "-y (--yes) confirms\ninstead, and without a terminal to "
		    "ask on it is refused unless so confirmed.\n");
	if (e->confirm & CMD_CONFIRM_ALL)
		fprintf(f, "On every domain (-a) it asks first; -y (--yes) "
		    "confirms instead, and\nwithout a terminal to ask on it is "
		    "refused unless so confirmed.\n");
	if (e->flags & CMD_NODOM0)
		fprintf(f, "Domain-0, the host itself, is refused.\n");
	if (e->flags & CMD_CONSOLE)
		fprintf(f, "Only at the console's ':' prompt.\n");
	if (e->flags & CMD_TERMINAL)
		fprintf(f, "It takes over the terminal: not at the console's "
		    "':' prompt.\n");
	if (e->flags & CMD_JOB)
		fprintf(f, "In the console it runs as a job (see :jobs) while "
		    "the screen goes on.\n");
}

/* One command in full: `xendeck help COMMAND`. */
void
cmd_help_write(FILE *f, const struct cmd_entry *e)
{
	char	*policy = NULL;
	size_t	 len = 0;
	FILE	*p;

	fprintf(f, "usage: xendeck %s%s%s\n\n%s\n", e->name,
	    *e->usage != '\0' ? " " : "", e->usage, e->summary);
	if (e->alias != NULL)
		fprintf(f, "alias: %s\n", e->alias);
	if (e->help != NULL)
		fprintf(f, "\n%s", e->help);
	if ((p = open_memstream(&policy, &len)) == NULL)
		fatal("open_memstream");
	cmd_help_policy(p, e);
	fclose(p);
	if (len > 0)
		fprintf(f, "\n%s", policy);
	free(policy);
}

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	char			*cause = NULL;

	/* Hidden: the manual pages, written at build time (man/local.am). */
	if (argc == 2 && strcmp(argv[1], "--man") == 0)
		return (cmd_man_xendeck(ctx->out));
	if (argc == 2 && strcmp(argv[1], "--man-wizards") == 0)
		return (cmd_man_wizards(ctx->out));
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
	cmd_help_write(ctx->out, e);
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
