/*
 * The `xendeck wizard` command (console/cmd-wizard.c, the real code) on a
 * table of the real host-check and "tree", a wizard of real commands on a
 * throwaway tree, for the engine's tests (t/0810): files, directories, a
 * symbolic link, an edit and a removal, a slow step that prints as it
 * goes, a xendeck operation (this program as "xendeck", with our
 * environment), a probe that matches output, an optional destructive step,
 * and optional steps that block on a FIFO or fail until a file exists.
 *
 *   wiz-test wizard ...         as `xendeck wizard ...`
 *   wiz-test tree-op FILE       the operation: FILE gets $XD_TEST_MARK
 */
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "wizards.h"

/* cmd.c's two helpers (cmd.c would bring in every command). */
void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	fputs("xendeck: ", ctx->err);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
}

int
cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	fprintf(ctx->err, "usage: xendeck %s %s\n", e->name, e->usage);
	return (2);
}

static int
tree_abs(const char *v, char **cause)
{
	if (*v != '/' || strchr(v, '\n') != NULL || strlen(v) > 200) {
		*cause = xprintf("root: %s is not an absolute path", v);
		return (-1);
	}
	return (0);
}

static int
tree_name(const char *v, char **cause)
{
	if (!valid_name(v)) {
		*cause = xprintf("name: '%s' is not a name ([A-Za-z0-9_.-], "
		    "1 to 64)", v);
		return (-1);
	}
	return (0);
}

static int
tree_count(const char *v, char **cause)
{
	if (!all_digits(v) || strlen(v) > 4) {
		*cause = xprintf("extra: '%s' is not a number of steps", v);
		return (-1);
	}
	return (0);
}

static char *
tree_def_name(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	return (xstrdup("demo"));
}

static char *
tree_def_no(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	return (xstrdup("no"));
}

static const char *const yes_no[] = { "no", "yes", NULL };

static const struct wiz_field tree_fields[] = {
	{ .key = "root", .prompt = "The throwaway tree", .flags =
	    WIZ_REQUIRED | WIZ_PATH, .explain = "Everything happens under "
	    "it.", .valid = tree_abs },
	{ .key = "name", .prompt = "A name", .def = tree_def_name,
	    .valid = tree_name },
	{ .key = "purge", .prompt = "Remove ROOT/victim", .choices = yes_no,
	    .flags = WIZ_FIXED, .def = tree_def_no },
	{ .key = "wipe", .prompt = "What may be destroyed", .flags =
	    WIZ_CONSENT },
	{ .key = "gate", .prompt = "A FIFO read first", .flags = WIZ_PATH },
	{ .key = "need", .prompt = "A file a step needs", .flags = WIZ_PATH },
	{ .key = "extra", .prompt = "More steps that each touch a file "
	    "(scripts/bench-wizard)", .flags = WIZ_NUMBER, .valid = tree_count },
	{ .key = NULL }
};

/* A fact: the SHA-256 of ROOT/rel, or "absent". */
static void
tree_fact(struct plan *p, const struct wiz_answers *a, const char *rel,
    const char *changed_by)
{
	char	*path, *buf = NULL, *why = NULL, sha[65];
	size_t	 len;

	xasprintf(&path, "%s/%s", wiz_get(a, "root"), rel);
	if (file_read(path, &buf, &len, &why) == 0)
		sha256_hex(buf, len, sha);
	else
		snprintf(sha, sizeof sha, "absent");
	free(why);
	free(buf);
	plan_fact(p, path, sha, changed_by);
	free(path);
}

static int
tree_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *p, char **cause)
{
	tree_fact(p, a, "seed", NULL);
	tree_fact(p, a, "etc/hosts", "hosts");
	return (0);
}

static int
tree_plan(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *p, char **cause)
{
	const char		*root = wiz_get(a, "root");
	const char		*name = wiz_get(a, "name");
	struct plan_step	*s;
	char			*dir, *f, *f2, *text = NULL, *old = NULL;
	char			*why = NULL, *sed;
	size_t			 len;
	int			 rc = -1;

	p->title = xprintf("tree %s in %s", name, root);
	xasprintf(&dir, "%s/srv/%s", root, name);
	if (wiz_get(a, "gate") != NULL) {
		s = plan_add_run(p, "gate", "Wait at the gate",
		    (char *[]){ "cat", (char *)wiz_get(a, "gate"), NULL });
		s->flags |= PLAN_RERUN;
	}
	s = plan_add_run(p, "mkdir", "Make the directory",
	    (char *[]){ "mkdir", "-p", dir, NULL });
	plan_step_explain(s, "Where the tree's files go.");
	plan_step_probe(s, (char *[]){ "test", "-d", dir, NULL }, NULL, 0);
	xasprintf(&f, "%s/srv", root);
	plan_step_undo(s, (char *[]){ "rmdir", dir, f, NULL });
	free(f);

	xasprintf(&f, "%s/config", dir);
	xasprintf(&text, "name = %s\n", name);
	if (plan_add_file(p, "config", "Write the config", f, text,
	    strlen(text), 0640, cause) == NULL)
		goto out;
	free(f);
	free(text);
	text = NULL;

	xasprintf(&f, "%s/etc/hosts", root);
	if (file_read(f, &old, &len, &why) != 0) {
		*cause = xprintf("root: %s", why);
		free(why);
		rc = WIZ_EINPUT;
		goto out;
	}
	/* Planned again after it ran, the edit is no change. */
	xasprintf(&text, "10.0.0.2 %s\n", name);
	if (strstr(old, text) != NULL) {
		free(text);
		text = xstrdup(old);
	} else {
		free(text);
		xasprintf(&text, "%s10.0.0.2 %s\n", old, name);
	}
	if (plan_add_file(p, "hosts", "Name the host in /etc/hosts", f, text,
	    strlen(text), 0, cause) == NULL)
		goto out;
	free(f);

	xasprintf(&f, "%s/stamp", dir);
	s = plan_add_run(p, "stamp", "A slow step that prints",
	    (char *[]){ "sh", "-c", "echo start; sleep 0.1; echo half; "
	    "sleep 0.1; printf ok >\"$1\"; echo end", "sh", f, NULL });
	plan_step_probe(s, (char *[]){ "test", "-e", f, NULL }, NULL, 0);
	plan_step_verify(s, (char *[]){ "cat", f, NULL }, "ok", 0);
	plan_step_undo(s, (char *[]){ "rm", "-f", f, NULL });
	free(f);

	if (wiz_get(a, "need") != NULL) {
		s = plan_add_run(p, "need", "Check the needed file",
		    (char *[]){ "sh", "-c", "echo \"checking $1\"; test -e "
		    "\"$1\" || { echo \"$1 is missing\" >&2; exit 3; }", "sh",
		    (char *)wiz_get(a, "need"), NULL });
		/* No probe and not PLAN_RERUN: a crash in it needs a look. */
	}

	xasprintf(&f, "%s/op", dir);
	s = plan_add_op(p, "op", "A xendeck operation",
	    (char *[]){ "xendeck", "tree-op", f, NULL });
	plan_step_probe(s, (char *[]){ "test", "-e", f, NULL }, NULL, 0);
	plan_step_undo(s, (char *[]){ "rm", "-f", f, NULL });
	free(f);

	xasprintf(&f, "%s/link", dir);
	s = plan_add_run(p, "link", "Link to the config",
	    (char *[]){ "ln", "-s", "config", f, NULL });
	plan_step_probe(s, (char *[]){ "test", "-L", f, NULL }, NULL, 0);
	s->flags |= PLAN_REBOOT;	/* as if: the CLI says to reboot */
	plan_step_undo(s, (char *[]){ "rm", "-f", f, NULL });
	free(f);

	xasprintf(&f, "%s/srv/registry", root);
	xasprintf(&f2, "echo \"$1\" >>\"$2\"");
	s = plan_add_run(p, "register", "Register the name",
	    (char *[]){ "sh", "-c", f2, "sh", (char *)name, f, NULL });
	plan_step_probe(s, (char *[]){ "cat", f, NULL }, name, 0);
	xasprintf(&sed, "sed -i \"/^$1\\$/d\" \"$2\"; [ -s \"$2\" ] || "
	    "rm -f \"$2\"");
	plan_step_undo(s, (char *[]){ "sh", "-c", sed, "sh", (char *)name, f,
	    NULL });
	free(sed);
	free(f2);
	free(f);

	if (strcmp(wiz_get(a, "purge"), "yes") == 0) {
		xasprintf(&f, "%s/victim", root);
		s = plan_add_run(p, "purge", "Remove the victim",
		    (char *[]){ "rm", "-rf", f, NULL });
		plan_step_probe(s, (char *[]){ "test", "-e", f, NULL }, NULL,
		    1);
		plan_step_destroys(s, f, "wipe");
		free(f);
	}

	if (wiz_get(a, "extra") != NULL) {
		int	 i, n = atoi(wiz_get(a, "extra"));
		char	*id;

		for (i = 0; i < n; i++) {
			xasprintf(&id, "extra%d", i);
			xasprintf(&f, "%s/extra%d", dir, i);
			s = plan_add_run(p, id, "Touch an extra file",
			    (char *[]){ "touch", f, NULL });
			plan_step_probe(s, (char *[]){ "test", "-e", f, NULL },
			    NULL, 0);
			plan_step_undo(s, (char *[]){ "rm", "-f", f, NULL });
			free(f);
			free(id);
		}
	}

	xasprintf(&f, "%s/etc/obsolete", root);
	if (plan_add_file(p, "obsolete", "Remove the obsolete file", f, NULL,
	    0, 0, cause) == NULL)
		goto out;
	plan_note(p, "A test wizard: it touches nothing outside %s.", root);
	rc = 0;
out:
	free(f);
	free(dir);
	free(text);
	free(old);
	return (rc);
}

/* An extra action: --poke writes ROOT/poked (--ACTION, like --confirm). */
static int
tree_action(const struct wiz_ctx *ctx, const char *action,
    const struct wiz_answers *a, char **cause)
{
	char	*path;
	int	 rc;

	xasprintf(&path, "%s/poked", wiz_get(a, "root"));
	rc = file_write_atomic(path, action, strlen(action), 0644, 0, cause);
	free(path);
	return (rc);
}

static const char *const tree_actions[] = { "poke", NULL };

static const struct wizard wiz_tree = {
	.name = "tree",
	.summary = "a wizard of real commands on a throwaway tree (tests)",
	.guide = "Makes a few files under ROOT.",
	.fields = tree_fields,
	.facts = tree_facts,
	.plan = tree_plan,
	.actions = tree_actions,
	.action = tree_action,
};

static const struct wizard *const test_table[] = {
	&wiz_host_check,
	&wiz_tree,
	NULL
};

/*
 * `__complete CWORD xendeck wizard ...` as the binary answers it, on the
 * test table: what the bash completion file gets for a wizard's words.
 */
static int
complete_test(int argc, char **argv)
{
	struct cpl	 c;
	int		 cword = atoi(argv[0]);

	memset(&c, 0, sizeof c);
	if (argc < 3 || cword < 2 || cword > argc - 1 ||
	    strcmp(argv[2], "wizard") != 0)
		return (2);
	c.cur = cword < argc - 1 ? argv[1 + cword] : "";
	cpl_wizard(&c, test_table, argv + 2, cword - 1);
	cpl_print(&c, stdout);
	return (0);
}

int
main(int argc, char **argv)
{
	struct cmd_ctx	 ctx = { 0 };
	const char	*mark;
	char		*cause = NULL;

	ctx.out = stdout;
	ctx.err = stderr;
	if (argc == 3 && strcmp(argv[1], "tree-op") == 0) {
		mark = getenv("XD_TEST_MARK");
		printf("tree-op: writing %s\n", argv[2]);
		if (file_write_atomic(argv[2], mark != NULL ? mark : "",
		    mark != NULL ? strlen(mark) : 0, 0644, 0, &cause) != 0) {
			fprintf(stderr, "tree-op: %s\n", cause);
			return (1);
		}
		return (0);
	}
	/* xendeck-wizard(8) and completion of the test table (t/1900). */
	if (argc == 2 && strcmp(argv[1], "man") == 0)
		return (man_wizards(stdout, test_table));
	if (argc >= 4 && strcmp(argv[1], "__complete") == 0)
		return (complete_test(argc - 2, argv + 2));
	if (argc < 2 || strcmp(argv[1], "wizard") != 0) {
		fprintf(stderr, "usage: wiz-test wizard ... | tree-op FILE | "
		    "man\n");
		return (2);
	}
	log_open(NULL, LOG_WARN);
	return (cmd_wizard_main(&ctx, test_table, argc - 1, argv + 1));
}
