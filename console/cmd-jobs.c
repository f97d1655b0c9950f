/*
 * jobs and messages: the console's own commands (at its ':' prompt). jobs
 * lists the console's jobs or cancels one; messages shows the session's
 * outcomes, warnings and errors.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static int	cmd_jobs_exec(struct cmd_ctx *, int, char **);
static int	cmd_messages_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_jobs_entry = {
	.name = "jobs",
	.usage = "[-c JOB]",
	.summary = "the console's jobs: list them, or cancel one",
	.help =
	    "In the console, what takes time (create, shutdown, reboot,\n"
	    "destroy, pause, a view's slow facts) runs as a job while the\n"
	    "screen goes on. A line above the status line shows the jobs\n"
	    "running; a job's end shows on the status line.\n"
	    "\n"
	    "Without options, opens the Jobs view: every job, running or\n"
	    "finished, with its state, time and last line of output (Enter:\n"
	    "its whole output; x: cancel it).\n"
	    "\n"
	    "  -c JOB   cancel a job, by its number or its name, if it can\n"
	    "           be cancelled (a shutdown -w's wait can; a destroy\n"
	    "           cannot)\n",
	.flags = CMD_CONSOLE,
	.exec = cmd_jobs_exec,
};

const struct cmd_entry cmd_messages_entry = {
	.name = "messages",
	.usage = "",
	.summary = "the console's outcomes, warnings and errors so far",
	.help =
	    "Opens the Messages view: every outcome, warning and error the\n"
	    "status line has shown in this session, with its time.\n",
	.flags = CMD_CONSOLE,
	.exec = cmd_messages_exec,
};

/* A job by number or name: the newest running one of that name first. */
static struct job *
find_job(const char *which)
{
	struct job	*j, *found = NULL;
	char		*end;
	unsigned long	 id;

	id = strtoul(which, &end, 10);
	if (*which != '\0' && *end == '\0')
		return (job_find((unsigned int)id));
	for (j = job_first(); j != NULL; j = job_next(j)) {
		if (strcmp(job_name(j), which) != 0)
			continue;
		if (found == NULL || job_state(j) == JOB_RUNNING)
			found = j;
	}
	return (found);
}

static int
cmd_jobs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct job	*j;
	const char	*cancel = NULL;
	char		*cause = NULL;
	int		 ch;

	while ((ch = getopt(argc, argv, "+c:")) != -1) {
		switch (ch) {
		case 'c':
			cancel = optarg;
			break;
		default:
			return (cmd_usage(ctx, &cmd_jobs_entry));
		}
	}
	if (argc != optind)
		return (cmd_usage(ctx, &cmd_jobs_entry));
	if (cancel == NULL) {
		tui_switch(&view_jobs_ops, NULL);
		return (0);
	}
	if ((j = find_job(cancel)) == NULL) {
		cmd_error(ctx, "jobs: no job %s", cancel);
		return (1);
	}
	if (job_cancel(j, &cause) != 0) {
		cmd_error(ctx, "jobs: %s", cause);
		free(cause);
		return (1);
	}
	fprintf(ctx->out, "%s: cancelling\n", job_name(j));
	return (0);
}

static int
cmd_messages_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 1)
		return (cmd_usage(ctx, &cmd_messages_entry));
	tui_switch(&view_messages_ops, NULL);
	return (0);
}
