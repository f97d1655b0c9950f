/*
 * Unit tests of the console's job core (console/job.c) with real child
 * processes, driven from our own poll() loop as the console drives them:
 * a child that writes slowly (its lines arrive while it runs), one that
 * hangs and is cancelled (and one that ignores SIGTERM), one that dies by
 * a signal, xendeck-style warnings and errors, a grandchild that keeps the
 * output open, quiet jobs, input, and a job started from on_done.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "tap.h"

struct seen {
	int		 lines;
	uint64_t	 first_line;	/* mono_ms() of the first line */
	char		 last[128];
	int		 done;
	uint64_t	 done_at;
	enum job_state	 state;
	unsigned int	 chained;	/* id of a job started by on_done */
};

static void
on_line(struct job *j, int stream, const char *line, void *arg)
{
	struct seen	*s = arg;

	if (s->lines++ == 0)
		s->first_line = mono_ms();
	snprintf(s->last, sizeof s->last, "%d:%s", stream, line);
}

static void
on_done(struct job *j, void *arg)
{
	struct seen	*s = arg;

	s->done++;
	s->done_at = mono_ms();
	s->state = job_state(j);
}

/* Drive the jobs until *flag is set or ms pass; returns whether it was. */
static int
loop_until(int *flag, int ms)
{
	struct pollfd	 pfd[64];
	uint64_t	 end = mono_ms() + ms, now;
	int		 n, t;

	while (!*flag && (now = mono_ms()) < end) {
		n = job_pollfds(pfd, 64);
		t = job_timeout();
		if (t < 0 || (uint64_t)t > end - now)
			t = (int)(end - now);
		if (poll(pfd, n, t) == -1 && errno != EINTR)
			return (0);
		job_io(pfd, n);
	}
	return (*flag);
}

static struct job *
start(const char *name, const char *script, int flags, struct seen *s)
{
	char		*argv[] = { "sh", "-c", (char *)script, NULL };
	char		*cause = NULL;
	struct job	*j;

	memset(s, 0, sizeof *s);
	j = job_run(name, argv, flags, on_line, on_done, s, &cause);
	if (j == NULL) {
		diag("job_run: %s", cause);
		free(cause);
	}
	return (j);
}

static void
test_slow_writer(void)
{
	struct seen	 s;
	struct job	*j;
	uint64_t	 t0 = mono_ms();
	int		 flag = 0;

	j = start("slow", "echo one; sleep 0.5; echo two; sleep 0.5; "
	    "echo three", 0, &s);
	ok(j != NULL, "a slow writer starts");
	if (j == NULL)
		return;
	is_int(job_state(j), JOB_RUNNING, "it is running");
	is_int(job_status(j), -1, "no status while it runs");
	loop_until(&flag, 300);		/* the first line, not the end */
	is_int(s.lines, 1, "its first line arrives while it runs");
	is_str(job_last_line(j), "one", "and is its last line so far");
	is_int(s.done, 0, "it is not done yet");
	ok(job_elapsed_ms(j) >= 250, "elapsed time counts (%llu ms)",
	    (unsigned long long)job_elapsed_ms(j));
	ok(loop_until(&s.done, 10000), "it ends");
	is_int(s.lines, 3, "three lines in all");
	is_str(s.last, "1:three", "on_line got each line, stream 1");
	ok(s.done_at - t0 >= 900, "on_done after the last line (%llu ms)",
	    (unsigned long long)(s.done_at - t0));
	ok(s.first_line - t0 < 600, "the first line came early (%llu ms)",
	    (unsigned long long)(s.first_line - t0));
	is_int(s.state, JOB_DONE, "it ended done");
	is_int(job_status(j), 0, "exit 0");
	ok(job_error(j) == NULL, "no error");
	is_str(job_output(j, NULL), "one\ntwo\nthree\n", "its output kept");
	is_str(job_stdout(j, NULL), "one\ntwo\nthree\n", "its stdout too");
	is_str(job_last_line(j), "three", "last line");
	ok(job_find(job_id(j)) == j, "a finished listed job is kept");
	is_int(s.done, 1, "on_done ran once");
}

static void
test_cancel(void)
{
	struct seen	 s;
	struct job	*j;
	char		*cause = NULL;
	uint64_t	 t0;
	int		 flag = 0;

	j = start("hang", "echo waiting; sleep 60", JOB_CANCEL, &s);
	if (j == NULL)
		return;
	loop_until(&flag, 300);
	is_int(s.lines, 1, "a hanging child printed its line");
	t0 = mono_ms();
	is_int(job_cancel(j, &cause), 0, "job_cancel");
	ok(loop_until(&s.done, 10000), "the cancelled job ends");
	ok(mono_ms() - t0 < 3000, "at once (SIGTERM): %llu ms",
	    (unsigned long long)(mono_ms() - t0));
	is_int(s.state, JOB_CANCELLED, "state cancelled");
	is_int(job_termsig(j), SIGTERM, "by SIGTERM");
	is_str(job_error(j), "cancelled", "its error says cancelled");

	/* SIGTERM ignored: SIGKILL follows after the grace period. */
	j = start("stubborn", "trap '' TERM; echo ready; sleep 60",
	    JOB_CANCEL, &s);
	if (j == NULL)
		return;
	flag = 0;
	loop_until(&flag, 300);
	t0 = mono_ms();
	job_cancel(j, &cause);
	ok(loop_until(&s.done, 15000), "a child ignoring SIGTERM ends too");
	ok(mono_ms() - t0 >= 4000, "after the grace period (%llu ms)",
	    (unsigned long long)(mono_ms() - t0));
	is_int(s.state, JOB_CANCELLED, "state cancelled");
	is_int(job_termsig(j), SIGKILL, "by SIGKILL");

	/* Not cancellable: refused, with why. */
	j = start("firm", "sleep 0.3", 0, &s);
	if (j == NULL)
		return;
	is_int(job_cancel(j, &cause), -1, "a job without JOB_CANCEL refuses");
	is_str(cause, "firm: cannot be cancelled", "saying so");
	free(cause);
	cause = NULL;
	ok(loop_until(&s.done, 5000), "and runs to its end");
	is_int(s.state, JOB_DONE, "done");
	is_int(job_cancel(j, &cause), -1, "a finished job cannot be "
	    "cancelled");
	free(cause);
}

static void
test_signal(void)
{
	struct seen	 s;
	struct job	*j;

	j = start("crash", "echo before >&2; kill -SEGV $$", 0, &s);
	if (j == NULL)
		return;
	ok(loop_until(&s.done, 5000), "a child killed by a signal ends");
	is_int(s.state, JOB_FAILED, "failed");
	is_int(job_termsig(j), SIGSEGV, "by SIGSEGV");
	is_int(job_status(j), 128 + SIGSEGV, "status 128+11");
	ok(job_error(j) != NULL && strstr(job_error(j), "signal 11") !=
	    NULL, "the error names the signal: %s", job_error(j));
	is_str(s.last, "2:before", "its stderr came, stream 2");
}

static void
test_xendeck_lines(void)
{
	struct seen	 s;
	struct job	*j;
	char *const	*w;

	j = start("warn", "echo 'xendeck: warning: w1' >&2; echo out; "
	    "echo 'xendeck: warning: w2' >&2; echo 'xendeck: it broke' >&2; "
	    "exit 3", 0, &s);
	if (j == NULL)
		return;
	ok(loop_until(&s.done, 5000), "a failing child ends");
	is_int(s.state, JOB_FAILED, "failed");
	is_int(job_status(j), 3, "exit 3");
	is_str(job_error(j), "it broke", "the error is its xendeck: line");
	w = job_warnings(j);
	ok(w[0] != NULL && strcmp(w[0], "w1") == 0 && w[1] != NULL &&
	    strcmp(w[1], "w2") == 0 && w[2] == NULL, "two warnings kept");
	is_str(job_last_line(j), "it broke", "last line, prefix dropped");
	is_str(job_stdout(j, NULL), "out\n", "stdout alone: no stderr in it");
	ok(strstr(job_output(j, NULL), "xendeck: it broke\n") != NULL &&
	    strstr(job_output(j, NULL), "out\n") != NULL,
	    "job_output has both streams");

	j = start("warn-ok", "echo 'xendeck: warning: only this' >&2", 0, &s);
	if (j == NULL)
		return;
	ok(loop_until(&s.done, 5000), "a warning and success");
	is_int(s.state, JOB_DONE, "done");
	is_str(job_warnings(j)[0], "only this", "with its warning");
}

static void
test_grandchild(void)
{
	struct seen	 s;
	struct job	*j;
	pid_t		 pid;
	uint64_t	 t0 = mono_ms();

	j = start("detach", "sleep 30 & echo $!; exit 0", 0, &s);
	if (j == NULL)
		return;
	ok(loop_until(&s.done, 5000), "a child whose child keeps the pipe "
	    "open ends when it exits");
	ok(mono_ms() - t0 < 3000, "without waiting for the grandchild");
	is_int(s.state, JOB_DONE, "done");
	pid = (pid_t)atol(job_last_line(j));
	ok(pid > 0 && kill(pid, 0) == 0, "the grandchild still runs");
	if (pid > 0)
		kill(pid, SIGKILL);
}

static void
test_quiet_and_input(void)
{
	struct seen	 s;
	struct job	*j;
	char		*argv[] = { "cat", NULL }, *cause = NULL;
	unsigned int	 id;
	int		 listed;

	j = start("quiet", "sleep 0.2; echo hidden", JOB_QUIET, &s);
	if (j == NULL)
		return;
	id = job_id(j);
	for (listed = 0, j = job_first(); j != NULL; j = job_next(j))
		listed += job_id(j) == id;
	is_int(listed, 0, "a quiet job is not listed");
	ok(job_running(0) >= 1 && job_running(1) == 0, "counted only as "
	    "running, not listed");
	ok(loop_until(&s.done, 5000), "it ends");
	is_str(s.last, "1:hidden", "its output reached on_line");
	ok(job_find(id) == NULL, "and it is forgotten after on_done");

	memset(&s, 0, sizeof s);
	j = job_run_input("cat", argv, "a\nb\n", 0, on_line, on_done, &s,
	    &cause);
	ok(j != NULL, "job_run_input");
	if (j == NULL)
		return;
	ok(loop_until(&s.done, 5000), "cat ends at the input's end");
	is_str(job_output(j, NULL), "a\nb\n", "its input came back");

	argv[0] = "no-such-program-xd";
	j = job_run("none", argv, 0, NULL, NULL, NULL, &cause);
	ok(j == NULL, "a missing program is not started");
	is_str(cause, "no-such-program-xd: command not found", "saying why");
	free(cause);
}

/* on_done starting the next job, as a chain of steps would. */
static struct seen	 chain2;

static void
chain_done(struct job *j, void *arg)
{
	struct seen	*s = arg;
	char		*argv[] = { "sh", "-c", "echo second", NULL };
	char		*cause = NULL;
	struct job	*next;

	on_done(j, arg);
	memset(&chain2, 0, sizeof chain2);
	next = job_run("second", argv, 0, on_line, on_done, &chain2, &cause);
	s->chained = next != NULL ? job_id(next) : 0;
	free(cause);
}

static void
test_chain_and_many(void)
{
	struct seen	 a, b, c;
	char		*argv[] = { "sh", "-c", "echo first", NULL };
	char		*cause = NULL;
	struct job	*j;
	int		 all;

	memset(&a, 0, sizeof a);
	j = job_run("first", argv, 0, on_line, chain_done, &a, &cause);
	ok(j != NULL, "a job whose on_done starts another");
	start("b", "sleep 0.3; echo b", 0, &b);
	start("c", "sleep 0.2; echo c", 0, &c);
	ok(loop_until(&a.done, 5000), "the first ends");
	ok(a.chained != 0, "on_done started the second");
	ok(loop_until(&chain2.done, 5000), "the second ends too");
	is_str(chain2.last, "1:second", "with its own output");
	all = loop_until(&b.done, 5000) && loop_until(&c.done, 5000);
	ok(all, "jobs running side by side all end");
	is_str(b.last, "1:b", "each with its own lines (b)");
	is_str(c.last, "1:c", "each with its own lines (c)");
	is_int(job_running(0), 0, "nothing left running");
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	job_init();
	test_slow_writer();
	test_cancel();
	test_signal();
	test_xendeck_lines();
	test_grandchild();
	test_quiet_and_input();
	test_chain_and_many();
	job_exit();
	return (done_testing());
}
