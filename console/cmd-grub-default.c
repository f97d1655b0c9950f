/*
 * grub-default: which entry GRUB boots by default, read from
 * /boot/grub/grub.cfg as GRUB reads it (set default=, titles, ids,
 * submenus), and whether it is Xen with the hypervisor options asked for.
 * The Xen install wizard's probe and check after update-grub; a beginner's
 * answer to "will my next boot be Xen?".
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static int	cmd_grub_default_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_grub_default_entry = {
	.name = "grub-default",
	.usage = "[--root DIR] [--xen [KEY=VALUE...]]",
	.summary = "the entry GRUB boots by default (is it Xen?)",
	.help =
	    "Reads /boot/grub/grub.cfg (what update-grub wrote) the way GRUB\n"
	    "does and prints the default entry: its title, the hypervisor and\n"
	    "its command line for a Xen entry, the kernel and its command\n"
	    "line, and a last line \"xen-default: yes\" or \"xen-default: no\n"
	    "(why)\".\n"
	    "\n"
	    "  --root DIR  read DIR/boot/grub/grub.cfg\n"
	    "  --xen       exit 1 unless the default entry boots Xen with\n"
	    "              every KEY=VALUE given on Xen's command line (the\n"
	    "              last KEY counts, as for Xen)\n"
	    "\n"
	    "Exit status: 0, 1 (not Xen with those options, or no grub.cfg),\n"
	    "2 usage.\n",
	.exec = cmd_grub_default_exec,
};

static int
cmd_grub_default_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "xen", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct grub_boot	 b;
	const char		*root = NULL;
	char			*cause = NULL, *why = NULL, *key, *want;
	char			*got;
	int			 c, xen = 0, i, rc = 1;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'x':
			xen = 1;
			break;
		default:
			return (cmd_usage(ctx, &cmd_grub_default_entry));
		}
	}
	if (!xen && optind != argc)
		return (cmd_usage(ctx, &cmd_grub_default_entry));
	for (i = optind; i < argc; i++) {
		if (strchr(argv[i], '=') == NULL || argv[i][0] == '=') {
			cmd_error(ctx, "grub-default: %s: not KEY=VALUE",
			    argv[i]);
			return (cmd_usage(ctx, &cmd_grub_default_entry));
		}
	}
	if (grub_boot_read(root, &b, &cause) != 0) {
		cmd_error(ctx, "grub-default: %s", cause);
		free(cause);
		return (1);
	}
	fprintf(ctx->out, "default: %s (default=\"%s\")\n", b.title,
	    b.default_spec);
	if (b.hypervisor != NULL)
		fprintf(ctx->out, "hypervisor: %s %s\n", b.hypervisor,
		    b.hv_args);
	if (b.kernel != NULL)
		fprintf(ctx->out, "kernel: %s %s\n", b.kernel,
		    b.args != NULL ? b.args : "");
	if (!grub_boot_is_xen(&b))
		why = xprintf("'%s' does not boot Xen", b.title);
	for (i = optind; why == NULL && i < argc; i++) {
		key = xstrdup(argv[i]);
		want = strchr(key, '=');
		*want++ = '\0';
		got = grub_cmdline_get(b.hv_args, key);
		if (got == NULL || strcmp(got, want) != 0) {
			why = got == NULL ? xprintf("Xen's command line has "
			    "no %s", key) : xprintf("Xen's command line has "
			    "%s=%s, not %s", key, got, want);
		}
		free(got);
		free(key);
	}
	if (why == NULL) {
		fprintf(ctx->out, "xen-default: yes\n");
		rc = 0;
	} else
		fprintf(ctx->out, "xen-default: no (%s)\n", why);
	if (!xen)
		rc = 0;
	free(why);
	grub_boot_free(&b);
	return (rc);
}
