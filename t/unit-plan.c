/*
 * plan.c and diff.c, linked from the real objects: SHA-256 against the
 * FIPS vectors and sha256sum(1), unified diffs against diff -u and
 * patch(1), plan.json round trips (text and binary contents), what
 * plan_show says, and exported scripts that sh -n accepts.
 */
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"
#include "tap.h"

static char	*tmpdir;

static void
write_file(const char *path, const char *data, size_t len)
{
	char	*cause = NULL;

	if (file_write_atomic(path, data, len, 0644, 0, &cause) != 0) {
		diag("%s", cause);
		exit(1);
	}
}

/* Run argv, return its stdout (or NULL), its exit status in *status. */
static char *
run(char *const *argv, int *status)
{
	struct spawn_result	 res;
	char			*cause = NULL, *out;

	if (spawn_run(argv, NULL, SPAWN_STDOUT | SPAWN_NOCHECK, &res,
	    &cause) != 0) {
		diag("%s", cause);
		free(cause);
		*status = -1;
		return (NULL);
	}
	*status = res.status;
	out = res.out != NULL ? res.out : xstrdup("");
	res.out = NULL;
	spawn_result_free(&res);
	return (out);
}

static void
test_sha256(void)
{
	static const struct {
		const char	*in;
		const char	*out;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4959"
		    "91b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410"
		    "ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
		    "19db06c1" },
	};
	char	 h[65], *a, *path, *out;
	size_t	 i, len;
	int	 st;

	for (i = 0; i < nitems(v); i++) {
		sha256_hex(v[i].in, strlen(v[i].in), h);
		is_str(h, v[i].out, "sha256 of '%.10s' (FIPS 180-2)", v[i].in);
	}
	a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	sha256_hex(a, 1000000, h);
	is_str(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39cc"
	    "c7112cd0", "sha256 of a million a's");
	/* Every length around the block and padding edges, as sha256sum. */
	xasprintf(&path, "%s/sha", tmpdir);
	for (len = 50; len <= 130; len += 1) {
		for (i = 0; i < len; i++)
			a[i] = (char)(i * 7 + len);
		write_file(path, a, len);
		sha256_hex(a, len, h);
		out = run((char *[]){ "sha256sum", path, NULL }, &st);
		if (out == NULL || strncmp(out, h, 64) != 0) {
			ok(0, "sha256 of %zu bytes as sha256sum", len);
			free(out);
			break;
		}
		free(out);
	}
	if (len > 130)
		ok(1, "sha256 of 50..130 bytes as sha256sum");
	free(path);
	free(a);
}

/* text_diff(a, b) next to diff -u's hunks, and patch(1) turns a into b. */
static void
check_diff(const char *what, const char *a, const char *b, int exact)
{
	char	*pa, *pb, *pd, *d, *gnu, *hunks, *got, *why = NULL;
	size_t	 len;
	int	 st;

	xasprintf(&pa, "%s/a", tmpdir);
	xasprintf(&pb, "%s/b", tmpdir);
	xasprintf(&pd, "%s/d", tmpdir);
	write_file(pa, a, strlen(a));
	write_file(pb, b, strlen(b));
	d = text_diff(pa, a, strlen(a), pb, b, strlen(b));
	if (exact) {
		gnu = run((char *[]){ "diff", "-u", pa, pb, NULL }, &st);
		/* Past diff -u's two header lines (they carry times). */
		hunks = gnu;
		if (*hunks != '\0')
			hunks = strchr(strchr(hunks, '\n') + 1, '\n') + 1;
		got = d;
		if (*got != '\0')
			got = strchr(strchr(got, '\n') + 1, '\n') + 1;
		is_str(got, hunks, "diff %s: the hunks diff -u prints", what);
		free(gnu);
	}
	if (*d == '\0') {
		ok(strcmp(a, b) == 0, "diff %s: empty only when equal", what);
		goto out;
	}
	write_file(pd, d, strlen(d));
	free(run((char *[]){ "patch", "-s", "-o", pb, pa, pd, NULL }, &st));
	if (file_read(pb, &got, &len, &why) != 0) {
		ok(0, "diff %s: %s", what, why);
		free(why);
		goto out;
	}
	ok(st == 0 && strcmp(got, b) == 0, "diff %s: patch(1) applies it",
	    what);
	free(got);
out:
	free(d);
	free(pa);
	free(pb);
	free(pd);
}

static void
test_diff(void)
{
	char	*a, *b, *p;
	int	 i, j, seed = 12345;

	check_diff("equal", "x\ny\n", "x\ny\n", 1);
	check_diff("one change", "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
	    "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", 1);
	check_diff("append", "auto lo\niface lo inet loopback\n",
	    "auto lo\niface lo inet loopback\n\nauto xenbr0\n", 1);
	check_diff("new file", "", "a\nb\n", 1);
	check_diff("emptied", "a\nb\n", "", 1);
	check_diff("no newline at the end", "a\nb", "a\nc", 1);
	check_diff("newline added", "a\nb", "a\nb\n", 1);
	check_diff("two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n"
	    "14\n15\n16\n17\n18\n19\n20\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n"
	    "10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n", 1);
	/* Random edits of random texts: patch(1) must get b from a. */
	for (i = 0; i < 20; i++) {
		a = xcalloc(1, 4096);
		b = xcalloc(1, 4096);
		for (j = 0, p = a; j < 30; j++) {
			seed = seed * 1103515245 + 12345;
			p += sprintf(p, "line %d\n", (seed >> 16) % 8);
		}
		for (j = 0, p = b; j < 30; j++) {
			seed = seed * 1103515245 + 12345;
			p += sprintf(p, "line %d\n", (seed >> 16) % 8);
		}
		check_diff("random", a, b, 0);
		free(a);
		free(b);
	}
}

/* A plan with every kind of step, on files under tmpdir. */
static void
make_plan(struct plan *p)
{
	struct plan_step	*s;
	char			*path, *cause = NULL;
	static const char	 bin[] = "bin\0ary\377\n";

	plan_init(p, "unit");
	p->title = xstrdup("a unit plan");
	plan_answer(p, "name", "it's");
	plan_fact(p, "disk size", "100", NULL);
	plan_fact(p, "hosts", "abc", "edit");
	plan_note(p, "note %d", 1);
	s = plan_add_run(p, "mk", "Make it", (char *[]){ "mkdir", "-p",
	    "/tmp/a dir", NULL });
	plan_step_probe(s, (char *[]){ "test", "-d", "/tmp/a dir", NULL },
	    NULL, 0);
	plan_step_undo(s, (char *[]){ "rmdir", "/tmp/a dir", NULL });
	plan_step_explain(s, "It makes a 'dir'.");
	xasprintf(&path, "%s/hosts", tmpdir);
	write_file(path, "127.0.0.1 localhost\n", 20);
	s = plan_add_file(p, "edit", "Edit hosts", path,
	    "127.0.0.1 localhost\n10.0.0.2 web\n", 33, 0, &cause);
	ok(s != NULL && s->file.existed && s->file.mode == 0644,
	    "plan_add_file reads the file as it is");
	free(path);
	xasprintf(&path, "%s/blob", tmpdir);
	s = plan_add_file(p, "blob", "Write a binary", path, bin,
	    sizeof bin - 1, 0600, &cause);
	free(path);
	s = plan_add_op(p, "op", "An operation", (char *[]){ "create",
	    "/etc/xen/web.cfg", NULL });
	s = plan_add_run(p, "wipe", "Wipe it", (char *[]){ "wipefs", "-a",
	    "/dev/vdb", NULL });
	plan_step_destroys(s, "/dev/vdb", "wipe");
	plan_step_probe(s, (char *[]){ "blkid", "/dev/vdb", NULL }, "LVM2",
	    0);
	s = plan_add_run(p, "secret", "Set a password", (char *[]){
	    "chpasswd", NULL });
	s->input = xstrdup("root:hunter2\n");
	s->flags |= PLAN_SECRET;
}

static void
test_plan(void)
{
	struct plan	 p, q;
	json_t		*j, *k;
	char		*s, *t, *cause = NULL, *path;
	int		 st;

	make_plan(&p);
	ok(plan_step_find(&p, "op") != NULL &&
	    strcmp(plan_step_find(&p, "op")->argv[0], "xendeck") == 0,
	    "plan_add_op makes argv[0] xendeck");
	s = plan_step_command(plan_step_find(&p, "mk"));
	is_str(s, "mkdir -p '/tmp/a dir'", "commands are shell-quoted");
	free(s);
	s = plan_show(&p, PLAN_SHOW_EXPLAIN);
	ok(strstr(s, "  1. Make it  [mk]\n     $ mkdir -p '/tmp/a dir'\n") !=
	    NULL, "show: numbered steps with their exact commands");
	ok(strstr(s, "+10.0.0.2 web\n") != NULL && strstr(s, "@@ -1 +1,2 @@")
	    != NULL, "show: a unified diff of the file edit");
	ok(strstr(s, "DESTROYS /dev/vdb (needs --yes and wipe=/dev/vdb)") !=
	    NULL, "show: what a step destroys and the consent it needs");
	ok(strstr(s, "hunter2") == NULL, "show: a secret input is not shown");
	ok(strstr(s, "# It makes a 'dir'.") != NULL, "show: explanations");
	ok(strstr(s, "skipped when: blkid /dev/vdb succeeds and prints LVM2")
	    != NULL, "show: the probe");
	free(s);

	j = plan_to_json(&p);
	s = json_dumps(j, JSON_COMPACT);
	ok(strstr(s, "hunter2") == NULL, "plan.json keeps no secret");
	ok(strstr(s, "\"after_b64\"") != NULL, "binary content as base64");
	free(s);
	ok(plan_from_json(j, &q, &cause) == 0, "plan.json reads back");
	k = plan_to_json(&q);
	ok(json_equal(j, k), "and round-trips");
	ok(q.steps[2].file.afterlen == 9 &&
	    memcmp(q.steps[2].file.after, "bin\0ary\377\n", 9) == 0,
	    "binary content survives");
	ok(strcmp(q.steps[1].file.before_sha, p.steps[1].file.before_sha) ==
	    0, "hashes survive");
	json_decref(k);
	plan_fact(&q, "disk size", "200", NULL);
	plan_fact(&q, "hosts", "changed", "edit");
	s = plan_facts_stale(&p, &q, NULL);
	is_str(s, "disk size: was '100', now '200'; hosts: was 'abc', now "
	    "'changed'", "plan_facts_stale says what changed");
	free(s);
	plan_fact(&q, "disk size", "100", NULL);
	plan_fact(&q, "hosts", "abc", "edit");
	ok(plan_facts_stale(&p, &q, NULL) == NULL, "nothing stale when equal");
	plan_free(&q);
	json_decref(j);

	s = plan_export(&p);
	xasprintf(&path, "%s/x.sh", tmpdir);
	write_file(path, s, strlen(s));
	t = run((char *[]){ "sh", "-n", path, NULL }, &st);
	is_int(st, 0, "the exported script is valid sh");
	free(t);
	ok(strstr(s, "set -eu\n") != NULL, "export: set -eu");
	ok(strstr(s, "if xd_has LVM2 wipefs") == NULL &&
	    strstr(s, "if xd_has LVM2 blkid /dev/vdb; then") != NULL,
	    "export: a step is guarded by its probe");
	ok(strstr(s, "\"$XENDECK\" create /etc/xen/web.cfg") != NULL,
	    "export: xendeck steps run $XENDECK");
	ok(strstr(s, "hunter2") == NULL, "export: no secret");
	ok(strstr(s, "destroys /dev/vdb (step 5): run it with --yes") != NULL,
	    "export: a destructive plan needs --yes");
	ok(strstr(s, "printf 'bin\\000ary\\377\\012'") != NULL,
	    "export: binary content through printf escapes");
	free(path);
	free(s);
	plan_free(&p);

	/* An exported step with input, run for real, twice. */
	plan_init(&p, "input");
	xasprintf(&path, "%s/in", tmpdir);
	s = xprintf("cat >\"$1\"; echo wrote");
	st = 0;
	{
		struct plan_step *is = plan_add_run(&p, "in", "Feed it",
		    (char *[]){ "sh", "-c", s, "sh", path, NULL });

		is->input = xstrdup("line 1\nXENDECK_EOF_1\nlast, no newline");
		plan_step_probe(is, (char *[]){ "test", "-e", path, NULL },
		    NULL, 0);
	}
	free(s);
	s = plan_export(&p);
	t = xprintf("%s/in.sh", tmpdir);
	write_file(t, s, strlen(s));
	free(run((char *[]){ "sh", t, NULL }, &st));
	is_int(st, 0, "an exported step with input runs");
	free(s);
	s = NULL;
	if (file_read(path, &s, NULL, &cause) != 0)
		ok(0, "%s", cause);
	else
		is_str(s, "line 1\nXENDECK_EOF_1\nlast, no newline",
		    "it gets its input, byte for byte");
	free(s);
	free(run((char *[]){ "sh", t, NULL }, &st));
	is_int(st, 0, "and runs again (its probe skips it)");
	/* Text input goes through a heredoc. */
	plan_step_find(&p, "in")->input[strlen("line 1\nXENDECK_EOF_1\n")] =
	    '\0';
	(void)unlink(path);
	s = plan_export(&p);
	ok(strstr(s, "<<'XENDECK_EOF_1_1' || xd_fail") != NULL,
	    "text input as a heredoc, its delimiter no line of it");
	write_file(t, s, strlen(s));
	free(s);
	free(run((char *[]){ "sh", t, NULL }, &st));
	s = NULL;
	if (file_read(path, &s, NULL, &cause) != 0)
		ok(0, "%s", cause);
	else
		is_str(s, "line 1\nXENDECK_EOF_1\n", "which feeds it exactly");
	free(s);
	free(t);
	free(path);
	plan_free(&p);

	/* A step with no probe runs once: a mark remembers it. */
	plan_init(&p, "marks");
	xasprintf(&path, "%s/count", tmpdir);
	s = xprintf("echo x >>\"$1\"");
	plan_add_run(&p, "count", "Count", (char *[]){ "sh", "-c", s, "sh",
	    path, NULL });
	free(s);
	s = plan_export(&p);
	t = xprintf("%s/marks.sh", tmpdir);
	write_file(t, s, strlen(s));
	free(s);
	setenv("XENDECK_STATEDIR", tmpdir, 1);
	free(run((char *[]){ "sh", t, NULL }, &st));
	free(run((char *[]){ "sh", t, NULL }, &st));
	is_int(st, 0, "a step without a probe, exported, runs twice");
	s = NULL;
	if (file_read(path, &s, NULL, &cause) != 0)
		ok(0, "%s", cause);
	else
		is_str(s, "x\n", "but does its work once (its mark)");
	free(s);
	free(t);
	free(path);
	plan_free(&p);
	plan_free(&p);
	ok(p.nsteps == 0 && p.wizard == NULL, "plan_free is idempotent");
}

int
main(void)
{
	char	 tmpl[] = "/tmp/xd-unit-plan.XXXXXX";

	if ((tmpdir = mkdtemp(tmpl)) == NULL)
		return (1);
	test_sha256();
	test_diff();
	test_plan();
	free(run((char *[]){ "rm", "-rf", tmpdir, NULL }, &(int){ 0 }));
	return (done_testing());
}
