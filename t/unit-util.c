/* Unit tests for xen-core/util.c and spawn.c. */
#include <sys/stat.h>
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

	if (mkdtemp(dir) == NULL)
		return (1);
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
