/*
 * The lifecycle commands on one domain, xl's: shutdown, reboot, destroy,
 * pause, unpause; and vnc-endpoint, where a viewer connects.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static int	cmd_shutdown_exec(struct cmd_ctx *, int, char **);
static int	cmd_reboot_exec(struct cmd_ctx *, int, char **);
static int	cmd_destroy_exec(struct cmd_ctx *, int, char **);
static int	cmd_pause_exec(struct cmd_ctx *, int, char **);
static int	cmd_unpause_exec(struct cmd_ctx *, int, char **);
static int	cmd_vnc_endpoint_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_shutdown_entry = {
	.name = "shutdown",
	.usage = "[-w] [-F] DOMAIN|[-y] -a",
	.summary = "ask a domain to shut down (ACPI power button)",
	.help =
	    "Presses DOMAIN's power button (ACPI): the guest shuts itself\n"
	    "down, then on_poweroff applies.\n"
	    "\n"
	    "  -a   every domain\n"
	    "  -w   wait until the domain(s) have shut down\n"
	    "  -F   accepted for xl compatibility: on QEMU the ACPI event is\n"
	    "       already the way\n",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB |
	    CMD_CANCEL,
	.exec = cmd_shutdown_exec,
	.opts = "awF",
	.confirm = CMD_CONFIRM_ALL | CMD_CONFIRM_ONE,
};

const struct cmd_entry cmd_reboot_entry = {
	.name = "reboot",
	.usage = "[-F] DOMAIN|[-y] -a",
	.summary = "ask a domain to reboot",
	.help =
	    "Asks DOMAIN to reboot (ctrl+alt+del); with -F, resets it (the\n"
	    "reset button). Then on_reboot applies.\n"
	    "\n"
	    "  -a   every domain\n",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB,
	.exec = cmd_reboot_exec,
	.opts = "aF",
	.confirm = CMD_CONFIRM_ALL | CMD_CONFIRM_ONE,
};

const struct cmd_entry cmd_destroy_entry = {
	.name = "destroy",
	.usage = "[-y] DOMAIN",
	.summary = "stop a domain at once, like pulling its plug",
	.help =
	    "Stops DOMAIN at once, as pulling its power plug would: the\n"
	    "guest gets no chance to shut down, and what it had not written\n"
	    "to its disks is lost.\n",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB,
	.exec = cmd_destroy_exec,
	.confirm = CMD_CONFIRM_NAME,
};

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.usage = "DOMAIN",
	.summary = "pause a domain",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB,
	.exec = cmd_pause_exec,
};

const struct cmd_entry cmd_unpause_entry = {
	.name = "unpause",
	.usage = "DOMAIN",
	.summary = "unpause a domain",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB,
	.exec = cmd_unpause_exec,
};

const struct cmd_entry cmd_vnc_endpoint_entry = {
	.name = "vnc-endpoint",
	.usage = "DOMAIN",
	.summary = "print where a VNC viewer reaches a domain's display",
	.help =
	    "Prints unix:PATH for a private unix socket (the default) or\n"
	    "HOST:PORT when vnclisten asked for TCP.\n",
	.flags = CMD_DOMAIN,
	.exec = cmd_vnc_endpoint_exec,
};

/* A lifecycle command's backend call on one domain (tmux-style: by entry). */
static int
dom_cmd_run(const struct cmd_entry *e, const struct backend_ops *be,
    const char *dom, int flags, char **cause)
{
	if (e == &cmd_shutdown_entry)
		return (be->shutdown(dom, flags, cause));
	if (e == &cmd_reboot_entry)
		return (be->reboot(dom, flags, cause));
	if (e == &cmd_destroy_entry)
		return (be->destroy(dom, cause));
	if (e == &cmd_pause_entry)
		return (be->pause(dom, cause));
	return (be->unpause(dom, cause));
}

/* -a: every domain but dom0 (shutdown, reboot). */
static int
dom_cmd_all(struct cmd_ctx *ctx, const struct cmd_entry *e,
    const struct backend_ops *be, int flags)
{
	struct dom_info	*doms = NULL;
	char		*cause = NULL, id[16];
	size_t		 n, i;
	int		 rc = 0;

	if (be->list(&doms, &n, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	/* Press every button first, then wait for all. */
	for (i = 0; i < n; i++) {
		if (doms[i].domid == 0)
			continue;
		snprintf(id, sizeof id, "%d", doms[i].domid);
		if (dom_cmd_run(e, be, id, flags & ~BE_SHUTDOWN_WAIT,
		    &cause) != 0) {
			cmd_error(ctx, "%s", cause);
			free(cause);
			cause = NULL;
			rc = 1;
		}
	}
	for (i = 0; (flags & BE_SHUTDOWN_WAIT) && i < n; i++) {
		if (doms[i].domid == 0)
			continue;
		snprintf(id, sizeof id, "%d", doms[i].domid);
		/* Already gone is fine: that is what we wait for. */
		if (be->shutdown(id, BE_SHUTDOWN_WAIT, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
	}
	free(doms);
	return (rc);
}

/*
 * Parse a lifecycle command's options (its entry's opts; NULL: it takes
 * none) and its operand, then run it on one domain or (-a) on all.
 */
static int
dom_cmd_exec(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv)
{
	const struct backend_ops	*be;
	char				*cause = NULL, *spec;
	int				 ch, all = 0, flags = 0, bad = 0;

	if (e->opts == NULL) {
		/* No options: a dashed operand (even "--") is a misuse. */
		if (argc == 2 && argv[1][0] == '-')
			return (cmd_usage(ctx, e));
		argc--;
		argv++;
	} else {
		spec = xprintf("+%s", e->opts);
		while (!bad && (ch = getopt(argc, argv, spec)) != -1) {
			switch (ch) {
			case 'a':
				all = 1;
				break;
			case 'w':
				flags |= BE_SHUTDOWN_WAIT;
				break;
			case 'F':
				flags |= BE_SHUTDOWN_FORCE;
				break;
			default:
				bad = 1;
				break;
			}
		}
		free(spec);
		if (bad)
			return (cmd_usage(ctx, e));
		argc -= optind;
		argv += optind;
	}
	if ((all && argc != 0) || (!all && argc != 1))
		return (cmd_usage(ctx, e));
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	if (all)
		return (dom_cmd_all(ctx, e, be, flags));
	if (dom_cmd_run(e, be, argv[0], flags, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	return (0);
}

static int
cmd_shutdown_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (dom_cmd_exec(ctx, &cmd_shutdown_entry, argc, argv));
}

static int
cmd_reboot_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (dom_cmd_exec(ctx, &cmd_reboot_entry, argc, argv));
}

static int
cmd_destroy_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (dom_cmd_exec(ctx, &cmd_destroy_entry, argc, argv));
}

static int
cmd_pause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (dom_cmd_exec(ctx, &cmd_pause_entry, argc, argv));
}

static int
cmd_unpause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return (dom_cmd_exec(ctx, &cmd_unpause_entry, argc, argv));
}

static int
cmd_vnc_endpoint_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	struct vnc_endpoint		 v;
	char				*cause = NULL;

	if (argc != 2)
		return (cmd_usage(ctx, &cmd_vnc_endpoint_entry));
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	if (be->vnc_endpoint(argv[1], &v, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	if (v.unix_path != NULL)
		fprintf(ctx->out, "unix:%s\n", v.unix_path);
	else
		fprintf(ctx->out, "%s:%d\n", v.host, v.port);
	vnc_endpoint_free(&v);
	return (0);
}
