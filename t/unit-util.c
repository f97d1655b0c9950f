/* Unit tests for xen-core/util.c and spawn.c. */
#include <sys/stat.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"
#include "tap.h"

/* Lines seen by the on_line callback, "1:text" or "2:text" each. */
static char	*seen;

static void
collect(void *arg, int stream, const char *line)
{
	char	*next;

	xasprintf(&next, "%s%d:%s|", seen != NULL ? seen : "", stream, line);
	free(seen);
	seen = next;
	(*(int *)arg)++;
}

/* Whether a pid is gone, or dead and waiting for its reaper (init). */
static int
gone_or_zombie(long pid)
{
	char	 path[64], *buf = NULL, *cause = NULL, *p;
	size_t	 len;
	int	 dead;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (file_read(path, &buf, &len, &cause) != 0) {
		free(cause);
		return (1);
	}
	p = strrchr(buf, ')');
	dead = p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
	free(buf);
	return (dead);
}

/* The parts of spawn, driven from our own poll() loop as a job would. */
static void
test_spawn_parts(void)
{
	char *const		 slow[] = { "sh", "-c", "echo one; sleep 0.2; "
				     "echo two >&2; sleep 0.2; printf three",
				     NULL };
	char *const		 tree[] = { "sh", "-c", "sleep 30 & echo $!; "
				     "wait", NULL };
	struct spawn_proc	 p;
	struct spawn_result	 r;
	struct pollfd		 pfd[3];
	char			*cause = NULL;
	int			 n, lines = 0, wakeups = 0;
	long			 child;
	uint64_t		 t0;

	is_int(spawn_start(slow, NULL, SPAWN_STDOUT, collect, &lines, &p,
	    &cause), 0, "spawn_start a slow writer");
	while (!spawn_drained(&p)) {
		n = spawn_pollfds(&p, pfd, 3);
		if (poll(pfd, n, 5000) <= 0)
			break;
		wakeups++;
		spawn_io(&p, pfd, n);
	}
	ok(wakeups >= 3, "the loop woke for each write (%d)", wakeups);
	is_int(spawn_reap(&p, 1), 1, "spawn_reap collects it");
	is_int(spawn_finish(&p, 0, &r, &cause), 0, "it exited 0");
	is_str(seen, "1:one|2:two|1:three|", "every line, in order, the "
	    "unfinished last one at EOF");
	is_int(lines, 3, "three callbacks");
	is_str(r.out, "one\nthree", "stdout is captured too");
	spawn_result_free(&r);
	spawn_proc_free(&p);

	/* SPAWN_SETSID: a kill reaches what the child started. */
	is_int(spawn_start(tree, NULL, SPAWN_STDOUT | SPAWN_SETSID, NULL, NULL,
	    &p, &cause), 0, "spawn_start a child with its own child");
	t0 = mono_ms();
	while (p.res.out == NULL && mono_ms() - t0 < 5000) {
		n = spawn_pollfds(&p, pfd, 3);
		if (poll(pfd, n, 100) > 0)
			spawn_io(&p, pfd, n);
	}
	child = p.res.out != NULL ? strtol(p.res.out, NULL, 10) : 0;
	is_int(spawn_reap(&p, 0), 0, "still running: spawn_reap(0) says so");
	spawn_kill(&p, SIGKILL);
	is_int(spawn_reap(&p, 1), 1, "reaped after spawn_kill");
	usleep(100000);
	ok(child > 0 && gone_or_zombie(child),
	    "its own child is gone too (pid %ld)", child);
	is_int(spawn_finish(&p, 0, &r, &cause), -1, "killed: an error");
	ok(r.termsig == SIGKILL, "termsig SIGKILL");
	free(cause);
	spawn_result_free(&r);
	spawn_proc_free(&p);
}

/* term_escape in one locale: in, expected out. */
static void
esc_is(const char *in, const char *want, const char *what)
{
	char	*got = term_escape(in);

	is_str(got, want, "term_escape: %s", what);
	free(got);
}

/* Issue 12: the one terminal escape, bounded reads, redacted logs. */
static void
test_hostile(const char *dir)
{
	char		 path[256], fifo[256], *buf = NULL, *cause = NULL;
	char		*big;
	size_t		 len;
	uint64_t	 t0;
	struct stat	 st;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		diag("no C.UTF-8 locale: UTF-8 cases run in C");
	esc_is("plain text, ok", "plain text, ok", "printable ASCII passes");
	esc_is("a\x1b[2Jb", "a\\x1b[2Jb", "ESC (CSI) is shown, not sent");
	esc_is("x\x1b]52;c;aGk=\x07", "x\\x1b]52;c;aGk=\\x07",
	    "OSC 52 and BEL");
	esc_is("l1\nl2\tz\r\x7f", "l1\\nl2\\tz\\x0d\\x7f",
	    "newline, tab, CR, DEL");
	esc_is("a\xc2\x9b" "2J", "a\\u009b2J", "C1 CSI as UTF-8");
	esc_is("a\x9b" "2J", "a\\x9b2J", "C1 CSI as a raw byte");
	esc_is("caf\xc3\xa9", strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ?
	    "caf\xc3\xa9" : "caf\\xc3\\xa9", "UTF-8 text passes");
	esc_is("\xe2\x80\xae" "evil", "\\u202eevil", "bidi override");
	esc_is("\xc0\xafx", "\\xc0\\xafx", "overlong UTF-8");
	setlocale(LC_CTYPE, "C");
	esc_is("caf\xc3\xa9", "caf\\xc3\\xa9",
	    "in the C locale every byte above 0x7f is escaped");

	/* Bounded reads of configs: regular files only, capped. */
	snprintf(path, sizeof path, "%s/small.cfg", dir);
	file_write_atomic(path, "name = \"a\"\n", 11, 0644, 0, &cause);
	is_int(file_read_limit(path, 1024, "an xl.cfg", &buf, &len, &cause), 0,
	    "file_read_limit: a small file");
	is_int((int)len, 11, "all of it");
	free(buf);
	is_int(file_read_limit(path, 8, "an xl.cfg", &buf, &len, &cause), -1,
	    "a file over the limit");
	is_str(cause, xprintf("%s: too big for an xl.cfg (at most 0 KiB)",
	    path), "says so");
	free(cause);
	is_int(file_read_limit("/dev/zero", 1 << 20, "an xl.cfg", &buf, &len,
	    &cause), -1, "/dev/zero is refused");
	is_str(cause, "/dev/zero: a character device, not a file",
	    "as a device");
	free(cause);
	is_int(file_read_limit(dir, 1 << 20, "an xl.cfg", &buf, &len, &cause),
	    -1, "a directory is refused");
	free(cause);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	mkfifo(fifo, 0600);
	t0 = mono_ms();
	is_int(file_read_limit(fifo, 1 << 20, "an xl.cfg", &buf, &len, &cause),
	    -1, "a FIFO is refused without a writer (no hang)");
	ok(mono_ms() - t0 < 10000, "at once");
	is_str(cause, xprintf("%s: a FIFO, not a file", fifo), "as a FIFO");
	free(cause);

	/* Logs are read from their tail only. */
	snprintf(path, sizeof path, "%s/big.log", dir);
	big = xmalloc(3 << 20);
	memset(big, 'x', 3 << 20);
	big[(3 << 20) - 100] = '\n';
	memcpy(big + (3 << 20) - 6, "last\n", 5);
	file_write_atomic(path, big, (3 << 20) - 1, 0600, 0, &cause);
	free(big);
	is_int(file_read_tail(path, 16384, &buf, &len, &cause), 0,
	    "file_read_tail of a 3 MiB log");
	ok(len < 16384 && strstr(buf, "last") != NULL &&
	    buf[0] == 'x' && len == 98, "only its tail, from a line start "
	    "(%zu bytes)", len);
	free(buf);

	/* No secret in a log; logs are 0600. */
	snprintf(path, sizeof path, "%s/secret.log", dir);
	log_open(path, LOG_TRACE);
	log_redact("hunter2-root");
	log_info("root password is hunter2-root, key hunter2-root!");
	log_close();
	is_int(file_read(path, &buf, &len, &cause), 0, "log written");
	ok(strstr(buf, "hunter2") == NULL &&
	    strstr(buf, "root password is <redacted>, key <redacted>!") !=
	    NULL, "log_redact: the secret is <redacted> everywhere: %s", buf);
	free(buf);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "a log file is 0600");
	log_open(NULL, LOG_WARN);
}

int
main(void)
{
	struct spawn_result	 r;
	char			*cause = NULL, *s, *buf = NULL;
	char			 dir[] = "/tmp/xd-unit.XXXXXX", path[256];
	size_t			 len;
	char *const		 echo[] = { "printf", "a b", NULL };
	char *const		 cat[] = { "cat", NULL };
	char *const		 failing[] = { "sh", "-c",
				     "echo oops >&2; exit 3", NULL };
	char *const		 missing[] = { "no-such-program-xd", NULL };
	char *const		 loud[] = { "sh", "-c",
				     "head -c 300000 /dev/zero; "
				     "head -c 300000 /dev/zero >&2", NULL };
	char *const		 sleeper[] = { "sh", "-c",
				     "echo $$; exec sleep 30", NULL };
	char *const		 orphan[] = { "sh", "-c",
				     "sleep 3 & exit 0", NULL };
	char			*inherit[] = { "sh", "-c", NULL, NULL };
	uint64_t		 t0;
	long			 pid;

	test_spawn_parts();
	ok(valid_name("tutorial-pv-guest"), "valid_name accepts the guide's name");
	ok(valid_name("ovm-1734"), "valid_name accepts ovm-1734");
	ok(!valid_name(""), "valid_name rejects empty");
	ok(!valid_name("a/b"), "valid_name rejects a slash");
	ok(!valid_name(".."), "valid_name rejects ..");
	ok(!valid_name("x y"), "valid_name rejects a space");
	memset(path, 'a', 65);
	path[65] = '\0';
	ok(!valid_name(path), "valid_name rejects 65 characters");

	s = shell_quote("plain-word_1.2");
	is_str(s, "plain-word_1.2", "shell_quote leaves a plain word");
	free(s);
	s = shell_quote("it's here");
	is_str(s, "'it'\\''s here'", "shell_quote quotes a quote");
	free(s);

	is_int(spawn_run(echo, NULL, SPAWN_STDOUT, &r, &cause), 0,
	    "spawn_run printf");
	is_str(r.out, "a b", "argv passed without a shell");
	spawn_result_free(&r);

	is_int(spawn_run(cat, "piped input", SPAWN_STDOUT, &r, &cause), 0,
	    "spawn_run cat with input");
	is_str(r.out, "piped input", "stdin reaches the child");
	spawn_result_free(&r);

	is_int(spawn_run(failing, NULL, 0, &r, &cause), -1,
	    "a failing command is an error");
	is_int(r.status, 3, "its exit status is kept");
	ok(cause != NULL && strstr(cause, "exit 3: oops") != NULL,
	    "cause names the status and stderr: %s", cause);
	free(cause);
	cause = NULL;
	spawn_result_free(&r);

	is_int(spawn_run(missing, NULL, 0, NULL, &cause), -1,
	    "a missing program is an error");
	ok(cause != NULL && strstr(cause, "not found") != NULL,
	    "cause says not found: %s", cause);
	free(cause);
	cause = NULL;

	is_int(spawn_run(loud, NULL, SPAWN_STDOUT, &r, &cause), 0,
	    "a child filling both pipes does not deadlock");
	is_int(r.outlen, 300000, "all of stdout drained");
	is_int(r.errlen, 300000, "all of stderr drained");
	spawn_result_free(&r);

	/* A deadline: the child is killed, reaped, and it says so. */
	t0 = mono_ms();
	is_int(spawn_run_timeout(sleeper, NULL, SPAWN_STDOUT, 300, &r, &cause),
	    -1, "a child past its deadline is an error");
	ok(mono_ms() - t0 < 5000, "returned at the deadline (%llu ms)",
	    (unsigned long long)(mono_ms() - t0));
	ok(r.timedout, "timedout is set");
	is_int(r.status, 128 + SIGKILL, "status is 128+SIGKILL");
	is_int(r.termsig, SIGKILL, "termsig is SIGKILL");
	ok(cause != NULL && strcmp(cause,
	    "sh: still running after 300 ms; stopped") == 0,
	    "cause says so: %s", cause);
	pid = r.out != NULL ? strtol(r.out, NULL, 10) : 0;
	ok(pid > 0 && kill(pid, 0) == -1 && errno == ESRCH,
	    "the child is gone (pid %ld)", pid);
	free(cause);
	cause = NULL;
	spawn_result_free(&r);

	is_int(spawn_run_timeout(echo, NULL, SPAWN_STDOUT, 5000, &r, &cause),
	    0, "a child within its deadline succeeds");
	ok(!r.timedout && r.status == 0, "not timed out, exit 0");
	is_str(r.out, "a b", "its output is kept");
	spawn_result_free(&r);

	is_int(spawn_run_timeout(orphan, NULL, 0, 300, &r, &cause), 0,
	    "a child that exited while its own child holds the pipes");
	ok(!r.timedout, "is not timed out: its exit status stands");
	spawn_result_free(&r);

	if (mkdtemp(dir) == NULL)
		return (1);
	/* The same with SPAWN_INHERIT: no pipes to poll. */
	inherit[2] = xprintf("echo $$ >%s/pid; exec sleep 30", dir);
	t0 = mono_ms();
	is_int(spawn_run_timeout(inherit, NULL, SPAWN_INHERIT, 300, &r,
	    &cause), -1, "SPAWN_INHERIT: a child past its deadline fails");
	ok(mono_ms() - t0 < 5000, "SPAWN_INHERIT: returned at the deadline");
	ok(r.timedout && r.status == 128 + SIGKILL,
	    "SPAWN_INHERIT: timedout, status %d", r.status);
	free(cause);
	cause = NULL;
	snprintf(path, sizeof path, "%s/pid", dir);
	pid = 0;
	if (file_read(path, &buf, &len, &cause) == 0) {
		pid = strtol(buf, NULL, 10);
		free(buf);
	}
	ok(pid > 0 && kill(pid, 0) == -1 && errno == ESRCH,
	    "SPAWN_INHERIT: the child is gone (pid %ld)", pid);
	unlink(path);
	free(inherit[2]);
	spawn_result_free(&r);
	snprintf(path, sizeof path, "%s/a/b/c", dir);
	is_int(mkdir_p(path, 0755, &cause), 0, "mkdir_p makes a chain");
	snprintf(path, sizeof path, "%s/f.cfg", dir);
	is_int(file_write_atomic(path, "one\n", 4, 0644, 1, &cause), 0,
	    "atomic write creates");
	is_int(file_write_atomic(path, "two\n", 4, 0644, 1, &cause), 0,
	    "atomic write replaces");
	is_int(file_read(path, &buf, &len, &cause), 0, "read back");
	is_str(buf, "two\n", "new content");
	free(buf);
	snprintf(path, sizeof path, "%s/f.cfg.bak", dir);
	is_int(file_read(path, &buf, &len, &cause), 0, "backup exists");
	is_str(buf, "one\n", "backup keeps the old content");
	free(buf);
	snprintf(path, sizeof path, "%s/nonexistent/x", dir);
	is_int(file_write_atomic(path, "x", 1, 0644, 1, &cause), -1,
	    "atomic write into a missing directory fails");
	ok(cause != NULL && strstr(cause, "nonexistent") != NULL,
	    "and names the path: %s", cause);
	free(cause);
	test_hostile(dir);
	{
		char *const rm[] = { "rm", "-rf", dir, NULL };
		cause = NULL;
		spawn_run(rm, NULL, 0, NULL, &cause);
		free(cause);
	}
	return (done_testing());
}
