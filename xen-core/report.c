/*
 * Warnings for the person who ran an action, as opposed to diagnostics
 * (log.c). An action that succeeded but left something to know (xl's
 * monitor is gone, so on_poweroff will never apply) says so here, and it
 * must reach its user whatever -l says:
 *
 *   - the CLI (no sink): on stderr as "xendeck: warning: TEXT", which is
 *     also how a console job's reader (console/job.c) recognises it;
 *   - the console (a sink): its status line and Messages.
 *
 * The log file, when there is one, gets every warning too.
 */
#include <stdlib.h>

#include "xen-core.h"

static void	(*sink)(const char *, void *);
static void	*sink_arg;

/* Where warnings go instead of stderr (NULL: stderr again). */
void
report_set_sink(void (*fn)(const char *, void *), void *arg)
{
	sink = fn;
	sink_arg = arg;
}

void
report_vwarn(const char *fmt, va_list ap)
{
	char	*text;

	xvasprintf(&text, fmt, ap);
	if (log_stream() != NULL)
		log_warn("%s", text);
	if (sink != NULL)
		sink(text, sink_arg);
	else {
		fprintf(stderr, "xendeck: warning: %s\n", text);
		fflush(stderr);
	}
	free(text);
}

/* A warning for the user of the action under way. */
void
report_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	report_vwarn(fmt, ap);
	va_end(ap);
}
