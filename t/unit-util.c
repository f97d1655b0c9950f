/* Unit tests for xen-core/util.c and spawn.c. */
#include <sys/stat.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"
#include "tap.h"

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
	{
		char *const rm[] = { "rm", "-rf", dir, NULL };
		cause = NULL;
		spawn_run(rm, NULL, 0, NULL, &cause);
		free(cause);
	}
	return (done_testing());
}
