/*
 * supervise: the qemu backend's per-domain supervisor (xen-core/supervisor.c).
 * Hidden: `xendeck create` execs it, detached, once per domain it starts;
 * by hand it is refused.
 */
#include <stdlib.h>

#include "console.h"

static int	cmd_supervise_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_supervise_entry = {
	.name = "supervise",
	.usage = "NAME",
	.summary = "run a domain's supervisor (internal: create runs it)",
	.flags = CMD_HIDDEN | CMD_ROOT | CMD_TERMINAL,
	.exec = cmd_supervise_exec,
};

static int
cmd_supervise_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause = NULL;

	if (argc != 2)
		return (cmd_usage(ctx, &cmd_supervise_entry));
	supervisor_run(argv[1], &cause);
	cmd_error(ctx, "supervise: %s", cause);
	free(cause);
	return (1);
}
