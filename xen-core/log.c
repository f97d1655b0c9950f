/*
 * The log file. Diagnostics go here, never to the screen: the console owns
 * the terminal. Without log_open() only errors and warnings are written, to
 * stderr (the CLI); with it, everything at or below the level goes to the
 * file. fatal() runs a hook first so the console can restore the terminal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xen-core.h"

static FILE	*log_file;
static char	*log_name;
static int	 log_level = LOG_WARN;
static void	(*fatal_hook)(void);

static const char *level_names[] = { "error", "warn", "info", "debug",
    "trace" };

/* Open FILE for appending at LEVEL; NULL keeps stderr at that level. */
void
log_open(const char *path, int level)
{
	FILE	*f;

	log_close();
	log_level = level;
	if (path == NULL)
		return;
	if ((f = fopen(path, "ae")) == NULL) {
		fprintf(stderr, "xendeck: log file %s: %s\n", path,
		    strerror(errno));
		return;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	log_file = f;
	log_name = xstrdup(path);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	free(log_name);
	log_name = NULL;
}

const char *
log_path(void)
{
	return (log_name);
}

int
log_get_level(void)
{
	return (log_level);
}

/* Where libraries' own messages can be sent (the log file, or NULL). */
FILE *
log_stream(void)
{
	return (log_file);
}

void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 when[32];
	FILE		*f = log_file;

	if ((int)level > log_level)
		return;
	if (f == NULL) {
		if (level > LOG_WARN)
			return;
		f = stderr;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%03ld [%ld] %s: ", when, ts.tv_nsec / 1000000,
	    (long)getpid(), level_names[level]);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

/* What fatal() runs first (the terminal's restore); the old one back. */
fatal_hook_t
fatal_set_hook(fatal_hook_t hook)
{
	fatal_hook_t	 old = fatal_hook;

	fatal_hook = hook;
	return (old);
}

static __dead void
fatal_common(int with_errno, const char *fmt, va_list ap)
{
	char	*msg;
	int	 saved = errno;

	if (fatal_hook != NULL)
		fatal_hook();
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (with_errno)
		fprintf(stderr, "xendeck: fatal: %s: %s\n", msg ? msg : fmt,
		    strerror(saved));
	else
		fprintf(stderr, "xendeck: fatal: %s\n", msg ? msg : fmt);
	if (log_file != NULL)
		fprintf(log_file, "fatal: %s\n", msg ? msg : fmt);
	exit(1);
}

/* A broken invariant with errno set. */
__dead void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fatal_common(1, fmt, ap);
}

/* A broken invariant. */
__dead void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fatal_common(0, fmt, ap);
}
