/*
 * A tiny TAP producer for C unit tests that link the real xen-core objects:
 * plan(), ok(), is_int(), is_str(), diag(), skip_all(), done_testing().
 * Header-only; include it from exactly one test file.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run, tap_failed, tap_planned = -1;

static void
tap_vline(int pass, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

static void __attribute__((unused))
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static void __attribute__((unused, format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list	 ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void __attribute__((unused, noreturn, format(printf, 1, 2)))
skip_all(const char *fmt, ...)
{
	va_list	 ap;

	fputs("1..0 # SKIP ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(0);
}

static int __attribute__((unused, format(printf, 2, 3)))
ok(int pass, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tap_vline(pass, fmt, ap);
	va_end(ap);
	return (pass);
}

static int __attribute__((unused, format(printf, 3, 4)))
is_int_(long long got, long long want, const char *fmt, ...)
{
	va_list	 ap;
	int	 pass = got == want;

	va_start(ap, fmt);
	tap_vline(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("  got: %lld\n#   expected: %lld", got, want);
	return (pass);
}
#define is_int(got, want, ...) is_int_((long long)(got), (long long)(want), \
    __VA_ARGS__)

static int __attribute__((unused, format(printf, 3, 4)))
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list	 ap;
	int	 pass;

	if (got == NULL || want == NULL)
		pass = got == want;
	else
		pass = strcmp(got, want) == 0;
	va_start(ap, fmt);
	tap_vline(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("  got: '%s'\n#   expected: '%s'", got ? got : "(null)",
		    want ? want : "(null)");
	return (pass);
}

static int __attribute__((unused))
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run)
		diag("planned %d tests but ran %d", tap_planned, tap_run);
	return (tap_failed != 0 || (tap_planned >= 0 &&
	    tap_planned != tap_run) ? 1 : 0);
}

#endif /* TAP_H */
