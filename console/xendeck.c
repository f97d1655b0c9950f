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

static const struct option longopts[] = {
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "log",	required_argument,	NULL, 'l' },
	{ "backend",	required_argument,	NULL, 'B' },
	{ "read-only",	no_argument,		NULL, 'R' },
	{ "yes",	no_argument,		NULL, 'y' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct cmd_ctx	 ctx = { 0 };
	const char	*logfile = NULL;
	int		 ch, verbose = 0;
	char		*help_argv[] = { "help", NULL };
	char		*version_argv[] = { "version", NULL };

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	ctx.out = stdout;
	ctx.err = stderr;

	/* '+': stop at the command; its own options are its own. */
	while ((ch = getopt_long(argc, argv, "+vl:hVy", longopts,
	    NULL)) != -1) {
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
