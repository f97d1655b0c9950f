/*
 * xendeck's main: global options, then one command from the table, or the
 * console when there is none.
 */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

/* getopt's view of cmd_global_options: "+vl:hVy" and the long ones. */
static void
global_getopt(char **shorts, struct option **longs)
{
	const struct cmd_option	*o;
	struct option		*l;
	size_t			 n = 0;
	char			*s;

	for (o = cmd_global_options; o->name != NULL; o++)
		n++;
	*longs = l = xcalloc(n + 1, sizeof *l);
	*shorts = s = xcalloc(2 * n + 2, 1);
	*s++ = '+';	/* stop at the command: its options are its own */
	for (o = cmd_global_options; o->name != NULL; o++, l++) {
		l->name = o->name;
		l->has_arg = o->arg != NULL ? required_argument : no_argument;
		l->val = o->val;
		if (o->ch != 0) {
			*s++ = (char)o->ch;
			if (o->arg != NULL)
				*s++ = ':';
		}
	}
}

int
main(int argc, char **argv)
{
	struct cmd_ctx	 ctx = { 0 };
	const char	*logfile = NULL;
	int		 ch, verbose = 0;
	static char		*shorts;	/* static: reachable to the end */
	static struct option	*longopts;
	char		*help_argv[] = { "help", NULL };
	char		*version_argv[] = { "version", NULL };

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	ctx.out = stdout;
	ctx.err = stderr;

	global_getopt(&shorts, &longopts);
	while ((ch = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			verbose++;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'B':
			ctx.backend_name = optarg;
			break;
		case 'R':
			ctx.read_only = 1;
			break;
		case 'y':
			ctx.assume_yes = 1;	/* confirmations given */
			break;
		case 'h':
			return (cmd_exec(&ctx, 1, help_argv));
		case 'V':
			return (cmd_exec(&ctx, 1, version_argv));
		default:
			cmd_print_overview(stderr);
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	log_open(logfile, LOG_WARN + verbose);

	if (argc == 0)
		return (tui_main(&ctx, NULL));
	return (cmd_exec(&ctx, argc, argv));
}
