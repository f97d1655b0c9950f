/*
 * create: start a domain from an xl.cfg(5) file, like `xl create`.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

static int	cmd_create_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_create_entry = {
	.name = "create",
	.usage = "[-c] [-p] [-n] FILE",
	.summary = "create a domain from an xl.cfg file",
	.help =
	    "Reads FILE (xl.cfg(5)) and starts the domain it describes.\n"
	    "\n"
	    "  -c   attach to the domain's console once it runs\n"
	    "       (ctrl+] leaves)\n"
	    "  -p   leave the domain paused (unpause starts it)\n"
	    "  -n   dry run: print the command line that would run the\n"
	    "       domain (QEMU's, on the qemu backend); start nothing\n"
	    "\n"
	    "On the qemu backend the domain outlives this command: a small\n"
	    "supervisor process runs QEMU and applies on_poweroff, on_reboot\n"
	    "and on_crash. Its log is /var/log/xendeck/NAME.log.\n",
	.flags = CMD_MODIFIES | CMD_DRYRUN | CMD_JOB,
	.exec = cmd_create_exec,
	.opts = "cpn",
	.tty_opts = "c",
};

static int
cmd_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	struct xlcfg			*cfg = NULL;
	char				*cause = NULL;
	int				 ch, flags = 0, attach = 0;
	int				 domid = -1;
	int				 rc = 1;
	size_t				 i;

	while ((ch = getopt(argc, argv, "+cpn")) != -1) {
		switch (ch) {
		case 'c':
			attach = 1;
			break;
		case 'p':
			flags |= BE_CREATE_PAUSED;
			break;
		case 'n':
			flags |= BE_CREATE_DRYRUN;
			break;
		default:
			return (cmd_usage(ctx, &cmd_create_entry));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return (cmd_usage(ctx, &cmd_create_entry));
	/* Taps, /dev/kvm and /run/xendeck are root's; a dry run is not. */
	if (!(flags & BE_CREATE_DRYRUN) && geteuid() != 0) {
		cmd_error(ctx, "create: must be run as root");
		return (1);
	}
	if (xlcfg_load(argv[0], &cfg, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	for (i = 0; i < cfg->nwarnings; i++)
		report_warn("%s", cfg->warnings[i]);
	if ((be = cmd_backend(ctx)) == NULL)
		goto out;
	fflush(ctx->out);
	if (be->create(cfg, flags, &domid, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		goto out;
	}
	rc = 0;
	if (attach && !(flags & BE_CREATE_DRYRUN))
		rc = cmd_console_attach(ctx, cfg->name);
out:
	xlcfg_free(cfg);
	return (rc);
}
