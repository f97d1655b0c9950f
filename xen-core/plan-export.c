/*
 * Plans as POSIX sh scripts (set -eu). The script does what plan_apply()
 * does, in sh: every step is skipped when its probe says it is done (a file
 * step when the file holds what the plan writes), a file is replaced
 * atomically with its old content kept in its backup, and a file that is
 * neither what the plan saw nor what it writes is refused. A step with no
 * probe that is not safe to repeat leaves a mark in a state directory once
 * it has run. Running the script twice is therefore safe.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "xen-core.h"

/* Text a heredoc can carry: no NUL, ends with a newline. */
static int
export_is_text(const char *s, size_t len)
{
	return (len > 0 && s[len - 1] == '\n' && memchr(s, '\0', len) ==
	    NULL);
}

/* A heredoc delimiter that is no line of s. */
static char *
export_delim(const char *s, size_t len, size_t step)
{
	char		*d;
	const char	*p, *end = s + len, *nl;
	int		 n = 0, clash;

	for (;;) {
		d = n == 0 ? xprintf("XENDECK_EOF_%zu", step) :
		    xprintf("XENDECK_EOF_%zu_%d", step, n);
		clash = 0;
		for (p = s; p < end && !clash; p = nl + 1) {
			if ((nl = memchr(p, '\n', end - p)) == NULL)
				nl = end;
			if ((size_t)(nl - p) == strlen(d) &&
			    memcmp(p, d, nl - p) == 0)
				clash = 1;
		}
		if (!clash)
			return (d);
		free(d);
		n++;
	}
}

/* Bytes as a printf(1) format: octal escapes for all but plain text. */
static void
export_printf(FILE *f, const char *s, size_t len)
{
	size_t		 i;
	unsigned char	 c;

	fputs("printf '", f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%')
			fputs("%%", f);
		else if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\'' || c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputs("'", f);
}

/* The argv as shell words, "xendeck" as "$XENDECK". */
static void
export_argv(FILE *f, const struct plan_step *s, char *const *argv)
{
	char	*q;
	size_t	 i;

	for (i = 0; argv[i] != NULL; i++) {
		if (i == 0 && strcmp(argv[0], "xendeck") == 0)
			fputs("\"$XENDECK\"", f);
		else {
			q = shell_quote(argv[i]);
			fputs(q, f);
			free(q);
		}
		if (argv[i + 1] != NULL)
			fputc(' ', f);
	}
	(void)s;
}

/* A check as a shell condition. */
static void
export_check(FILE *f, const struct plan_step *s, const struct plan_check *c)
{
	char	*m;

	if (c->negate)
		fputs("! ", f);
	if (c->match != NULL) {
		m = shell_quote(c->match);
		fprintf(f, "xd_has %s ", m);
		free(m);
		export_argv(f, s, c->argv);
	} else {
		export_argv(f, s, c->argv);
		fputs(" >/dev/null 2>&1", f);
	}
}

static void
export_comment(FILE *f, const char *indent, const char *text)
{
	char	*pre;

	xasprintf(&pre, "# %s", indent);
	plan_put_indented(f, pre, text);
	free(pre);
}

/* A string for inside double quotes in the script. */
static char *
export_dq(const char *s)
{
	char	*out, *q;

	out = q = xmalloc(strlen(s) * 2 + 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\' || *s == '$' || *s == '`')
			*q++ = '\\';
		*q++ = *s == '\n' ? ' ' : *s;
	}
	*q = '\0';
	return (out);
}

static void
export_file_step(FILE *f, const struct plan_step *s, size_t n,
    const char *label)
{
	const struct plan_file	*pf = &s->file;
	char			*path, *bak, *delim;

	path = shell_quote(pf->path);
	bak = shell_quote(pf->backup);
	fprintf(f, "xd_f=%s\n", path);
	fprintf(f, "case $(xd_sha \"$xd_f\") in\n");
	fprintf(f, "%s)\n\txd_say \"%s: already done\" ;;\n",
	    pf->after != NULL ? pf->after_sha : "-", label);
	fprintf(f, "%s)\n", pf->existed ? pf->before_sha : "-");
	fprintf(f, "\txd_say \"%s\"\n", label);
	if (pf->after == NULL) {
		fprintf(f, "\tcp -p \"$xd_f\" %s.xendeck-new.$$\n", bak);
		fprintf(f, "\tmv -f %s.xendeck-new.$$ %s\n", bak, bak);
		fprintf(f, "\trm -f \"$xd_f\"\n");
	} else if (export_is_text(pf->after, pf->afterlen)) {
		delim = export_delim(pf->after, pf->afterlen, n);
		fprintf(f, "\txd_put \"$xd_f\" %04o %s <<'%s'\n",
		    (unsigned)pf->mode, bak, delim);
		fwrite(pf->after, 1, pf->afterlen, f);
		fprintf(f, "%s\n", delim);
		free(delim);
	} else {
		fputc('\t', f);
		export_printf(f, pf->after, pf->afterlen);
		fprintf(f, " | xd_put \"$xd_f\" %04o %s\n",
		    (unsigned)pf->mode, bak);
	}
	fprintf(f, "\t[ \"$(xd_sha \"$xd_f\")\" = %s ] ||\n"
	    "\t    xd_fail \"%s: $xd_f does not hold what was written\"\n",
	    pf->after != NULL ? pf->after_sha : "-", label);
	fprintf(f, "\t;;\n*)\n\txd_fail \"%s: $xd_f changed since the plan "
	    "was made; make the plan again\" ;;\nesac\n", label);
	free(path);
	free(bak);
}

static void
export_run_step(FILE *f, const struct plan_step *s, size_t n,
    const char *label)
{
	char	*delim;
	int	 mark = s->probe.argv == NULL && !(s->flags & PLAN_RERUN);

	if (s->probe.argv != NULL) {
		fputs("if ", f);
		export_check(f, s, &s->probe);
		fprintf(f, "; then\n\txd_say \"%s: already done\"\nelse\n",
		    label);
	} else if (mark) {
		fprintf(f, "if [ -e \"$XD_MARKS/%zu\" ]; then\n"
		    "\txd_say \"%s: already done (marked)\"\nelse\n", n, label);
	} else
		fprintf(f, "{\n");
	fprintf(f, "\txd_say \"%s\"\n", label);
	if ((s->flags & PLAN_SECRET) && s->input != NULL) {
		fprintf(f, "\txd_fail \"%s: its input is secret and not in "
		    "this script; run it with xendeck wizard --apply\"\n",
		    label);
	} else if (s->input != NULL && export_is_text(s->input,
	    strlen(s->input))) {
		/* The body starts on the next line: all on this one. */
		delim = export_delim(s->input, strlen(s->input), n);
		fputc('\t', f);
		export_argv(f, s, s->argv);
		fprintf(f, " <<'%s' || xd_fail \"%s failed (exit $?)\"\n",
		    delim, label);
		fputs(s->input, f);
		fprintf(f, "%s\n", delim);
		free(delim);
	} else {
		fputc('\t', f);
		if (s->input != NULL) {
			export_printf(f, s->input, strlen(s->input));
			fputs(" | ", f);
		}
		export_argv(f, s, s->argv);
		fprintf(f, " ||\n\t    xd_fail \"%s failed (exit $?)\"\n",
		    label);
	}
	if (s->verify.argv != NULL) {
		fputc('\t', f);
		export_check(f, s, &s->verify);
		fprintf(f, " ||\n\t    xd_fail \"%s: verification failed\"\n",
		    label);
	}
	if (mark)
		fprintf(f, "\tmkdir -p \"$XD_MARKS\" && : >\"$XD_MARKS/%zu\"\n",
		    n);
	fprintf(f, "%s\n", s->probe.argv != NULL || mark ? "fi" : "}");
}

/*
 * The plan as a POSIX sh script (set -eu). Destructive steps make the
 * script refuse to run without --yes, naming what they destroy.
 */
char *
plan_export(const struct plan *p)
{
	const struct plan_step	*s;
	json_t			*j;
	char			*buf = NULL, *dump, *label, *title, sha[65];
	char			*destroys = NULL, *d, *line;
	size_t			 len = 0, i, k;
	time_t			 now = time(NULL);
	char			 when[64];
	FILE			*f;

	j = plan_to_json(p);
	dump = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	sha256_hex(dump, strlen(dump), sha);
	free(dump);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "#!/bin/sh\n");
	line = xprintf("xendeck wizard %s%s%s", p->wizard,
	    p->title != NULL ? ": " : "", p->title != NULL ? p->title : "");
	export_comment(f, "", line);
	free(line);
	fprintf(f, "# Exported by xendeck %s on %s (plan %.12s).\n",
	    PACKAGE_VERSION, when, sha);
	if (p->answers != NULL && p->answers[0] != NULL) {
		fprintf(f, "# Answers:\n");
		for (i = 0; p->answers[i] != NULL; i++)
			export_comment(f, "  ", p->answers[i]);
	}
	if (p->nfacts > 0) {
		fprintf(f, "# Made from these facts (make the plan again if "
		    "they changed):\n");
		for (i = 0; i < p->nfacts; i++) {
			line = xprintf("  %s: %s", p->facts[i].key,
			    p->facts[i].value);
			export_comment(f, "", line);
			free(line);
		}
	}
	for (i = 0; p->notes != NULL && p->notes[i] != NULL; i++) {
		line = xprintf("Note: %s", p->notes[i]);
		export_comment(f, "", line);
		free(line);
	}
	fprintf(f, "#\n"
	    "# Every step is guarded by its probe: a step already done is "
	    "skipped, so\n"
	    "# running this script again is safe. Files are replaced "
	    "atomically, their\n"
	    "# old content kept beside them; a file that changed since the "
	    "plan was\n"
	    "# made is refused.\n"
	    "set -eu\n"
	    ": \"${XENDECK:=xendeck}\"\n"
	    "# Steps with no probe leave a mark here once they have run.\n"
	    "XD_MARKS=${XD_MARKS:-${XENDECK_STATEDIR:-/var/lib/xendeck}/"
	    "exported/%s-%.12s}\n\n"
	    "xd_say() { printf '%%s\\n' \"$*\" >&2; }\n"
	    "xd_fail() { printf 'error: %%s\\n' \"$*\" >&2; exit 1; }\n"
	    "# xd_has TEXT CMD...: CMD exits 0 and a line of its output "
	    "holds TEXT.\n"
	    "xd_has() {\n"
	    "\txd_t=$1; shift\n"
	    "\txd_o=$(\"$@\" 2>/dev/null) || return 1\n"
	    "\tprintf '%%s\\n' \"$xd_o\" | grep -qF -e \"$xd_t\"\n"
	    "}\n"
	    "# xd_sha FILE: its SHA-256, or - when there is no such file.\n"
	    "xd_sha() {\n"
	    "\tif [ -f \"$1\" ]; then sha256sum <\"$1\" | cut -d' ' -f1; "
	    "else echo -; fi\n"
	    "}\n"
	    "# xd_put FILE MODE BACKUP: FILE gets stdin atomically; its old "
	    "content\n"
	    "# goes to BACKUP.\n"
	    "xd_put() {\n"
	    "\tcat >\"$1.xendeck-new.$$\"\n"
	    "\tchmod \"$2\" \"$1.xendeck-new.$$\"\n"
	    "\tif [ -f \"$1\" ]; then\n"
	    "\t\tcp -p \"$1\" \"$3.xendeck-new.$$\"\n"
	    "\t\tmv -f \"$3.xendeck-new.$$\" \"$3\"\n"
	    "\tfi\n"
	    "\tmv -f \"$1.xendeck-new.$$\" \"$1\"\n"
	    "}\n", p->wizard, sha);

	for (i = 0; i < p->nsteps; i++) {
		s = &p->steps[i];
		if (!(s->flags & PLAN_DESTRUCTIVE))
			continue;
		for (k = 0; s->destroys != NULL && s->destroys[k] != NULL;
		    k++) {
			d = destroys;
			xasprintf(&destroys, "%s%s%s (step %zu)",
			    d != NULL ? d : "", d != NULL ? ", " : "",
			    s->destroys[k], i + 1);
			free(d);
		}
	}
	if (destroys != NULL) {
		d = export_dq(destroys);
		fprintf(f, "\nif [ \"${1-}\" != --yes ]; then\n"
		    "\txd_say \"this script destroys %s: run it with --yes "
		    "to go on\"\n\texit 2\nfi\n", d);
		free(d);
		free(destroys);
	}

	for (i = 0; i < p->nsteps; i++) {
		s = &p->steps[i];
		fprintf(f, "\n");
		line = xprintf("Step %zu (%s): %s", i + 1, s->id, s->title);
		export_comment(f, "", line);
		free(line);
		if (s->explain != NULL)
			export_comment(f, "  ", s->explain);
		title = export_dq(s->title);
		label = xprintf("step %zu (%s): %s", i + 1, s->id, title);
		free(title);
		if (s->kind == PLAN_FILE)
			export_file_step(f, s, i + 1, label);
		else
			export_run_step(f, s, i + 1, label);
		free(label);
	}
	fprintf(f, "\nxd_say \"%s: all %zu steps done\"\n", p->wizard,
	    p->nsteps);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return (buf);
}

