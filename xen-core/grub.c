/*
 * Debian's GRUB configuration as the Xen install wizard reads and edits it.
 *
 * /etc/default/grub and then /etc/default/grub.d/NAME.cfg (in the C locale's
 * order, as grub-mkconfig's glob gives them) are shell files sourced one
 * after the other: the last assignment of a variable wins, and one may
 * build on an earlier one ("$GRUB_CMDLINE_XEN_DEFAULT dom0_mem=1G"). They
 * are read here the way the shell splits them -- logical lines (quotes and
 * backslash-newlines joined), statements split at ';', words with their
 * quotes, $NAME and ${NAME} expanded from the assignments before -- without
 * running anything: command substitutions stay as written and make an
 * assignment one xendeck will not rewrite, and assignments inside if, case
 * and loops are marked conditional (xen.cfg's own logic is such).
 *
 * An edit rewrites one assignment's value in place, keeping every other
 * byte of the file; a value xendeck cannot rewrite safely is left alone and
 * a new assignment building on it is appended instead.
 *
 * Also here: the output of `dpkg-divert --list` (the guide's diversion of
 * /etc/grub.d/20_linux_xen) and the entry /boot/grub/grub.cfg boots by
 * default, read with bootloader.c's parser of GRUB's script.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

#define GRUB_MAX_FILE	(1024 * 1024)

void
grub_defaults_free(struct grub_defaults *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].name);
		free(d->v[i].raw);
		free(d->v[i].value);
	}
	free(d->v);
	strv_free(d->files);
	memset(d, 0, sizeof *d);
}

/* The value NAME has so far (the last assignment), or "" as in the shell. */
static const char *
gd_lookup(const struct grub_defaults *d, const char *name, size_t len)
{
	size_t	 i;

	for (i = d->n; i > 0; i--) {
		if (strlen(d->v[i - 1].name) == len &&
		    strncmp(d->v[i - 1].name, name, len) == 0)
			return (d->v[i - 1].value);
	}
	return ("");
}

static int
gd_namechar(int c, int first)
{
	return (c == '_' || isalpha((unsigned char)c) ||
	    (!first && isdigit((unsigned char)c)));
}

/*
 * Expand $NAME / ${NAME} at p (pointing at '$'); returns the characters
 * used, 0 when it is no expansion (a lone '$'), -1 for $( or ${...} forms
 * other than ${NAME}.
 */
static int
gd_dollar(const struct grub_defaults *d, const char *p, const char *end,
    struct strbuf *out)
{
	const char	*q;

	if (p + 1 >= end)
		return (0);
	if (p[1] == '(')
		return (-1);
	if (p[1] == '{') {
		for (q = p + 2; q < end && gd_namechar(*q, q == p + 2); q++)
			;
		if (q == p + 2 || q >= end || *q != '}')
			return (-1);
		{
			const char *v = gd_lookup(d, p + 2, q - (p + 2));

			strbuf_add(out, v, strlen(v));
		}
		return ((int)(q - p) + 1);
	}
	if (!gd_namechar(p[1], 1))
		return (0);
	for (q = p + 1; q < end && gd_namechar(*q, 0); q++)
		;
	{
		const char *v = gd_lookup(d, p + 1, q - (p + 1));

		strbuf_add(out, v, strlen(v));
	}
	return ((int)(q - p));
}

/*
 * The value of a word (after NAME=) as the shell gives it. *simple is 0
 * when it holds what xendeck does not rewrite: command substitution,
 * backslashes, or quoting that changes inside the word.
 */
static char *
gd_word_value(const struct grub_defaults *d, const char *p, const char *end,
    int *simple)
{
	struct strbuf	 out = { NULL, 0, 0 };
	char		 q = 0, first = 0;
	int		 n;

	*simple = 1;
	strbuf_add(&out, "", 0);
	if (p < end && (*p == '"' || *p == '\''))
		first = *p;
	while (p < end) {
		if (q == 0 && (*p == '"' || *p == '\'')) {
			if (*p != first || p[-1] == first)
				*simple = 0;
			q = *p++;
			continue;
		}
		if (q != 0 && *p == q) {
			q = 0;
			p++;
			if (p < end)
				*simple = 0;
			continue;
		}
		if (q != '\'' && *p == '\\' && p + 1 < end) {
			*simple = 0;
			strbuf_add(&out, p + 1, 1);
			p += 2;
			continue;
		}
		if (q != '\'' && *p == '`') {
			*simple = 0;
			strbuf_add(&out, p++, 1);
			continue;
		}
		if (q != '\'' && *p == '$') {
			if ((n = gd_dollar(d, p, end, &out)) > 0) {
				p += n;
				continue;
			}
			if (n == -1)
				*simple = 0;
		}
		strbuf_add(&out, p++, 1);
	}
	return (out.s);
}

/*
 * The end of the word starting at p: blanks, ';', '&', '|', parentheses and
 * newlines end it outside quotes; quoted text, backslash-newlines, $(...)
 * and `...` are inside it. *line counts the newlines passed inside it.
 */
static const char *
gd_word_end(const char *p, const char *end, int *line)
{
	char	 q = 0;
	int	 depth = 0;

	for (; p < end; p++) {
		if (q != 0 || depth > 0) {
			if (*p == '\n')
				(*line)++;
		}
		if (q == '\'') {
			if (*p == '\'')
				q = 0;
			continue;
		}
		if (*p == '\\' && p + 1 < end) {
			if (p[1] == '\n')
				(*line)++;
			p++;
			continue;
		}
		if (q == '"') {
			if (*p == '"')
				q = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			q = *p;
			continue;
		}
		if (*p == '$' && p + 1 < end && p[1] == '(') {
			depth++;
			p++;
			continue;
		}
		if (*p == '`') {
			for (p++; p < end && *p != '`'; p++)
				*line += (*p == '\n');
			if (p >= end)
				break;
			continue;
		}
		if (depth > 0) {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == ';' ||
		    *p == '&' || *p == '|' || *p == '(' || *p == ')')
			break;
	}
	return (p);
}

static int
gd_keyword(const char *w, size_t n, const char *kw)
{
	return (strlen(kw) == n && strncmp(w, kw, n) == 0);
}

int
grub_defaults_parse(const char *file, const char *buf, size_t len,
    struct grub_defaults *d, char **cause)
{
	const char		*p = buf, *end = buf + len, *w, *we, *eq;
	struct grub_assign	*a;
	int			 line = 1, depth = 0, first = 1, wline;
	int			 simple;

	if (len > GRUB_MAX_FILE) {
		*cause = xprintf("%s: larger than %d bytes", file,
		    GRUB_MAX_FILE);
		return (-1);
	}
	if (memchr(buf, '\0', len) != NULL) {
		*cause = xprintf("%s: not a text file (NUL byte)", file);
		return (-1);
	}
	strv_push(&d->files, file);
	while (p < end) {
		/* Blanks, statement separators, comments. */
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*p == '\n' || *p == ';' || *p == '&' || *p == '|' ||
		    *p == '(' || *p == ')') {
			line += (*p == '\n');
			first = 1;
			p++;
			continue;
		}
		if (*p == '\\' && p + 1 < end && p[1] == '\n') {
			line++;
			p += 2;
			continue;
		}
		if (*p == '#' ) {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		w = p;
		wline = line;
		we = gd_word_end(p, end, &line);
		if (we == w)
			we++;	/* a lone special character */
		p = we;
		if (!first)
			continue;
		/* The first word of a statement. */
		if (gd_keyword(w, we - w, "if") || gd_keyword(w, we - w,
		    "case") || gd_keyword(w, we - w, "for") ||
		    gd_keyword(w, we - w, "while") ||
		    gd_keyword(w, we - w, "until")) {
			depth++;
			first = 0;
			continue;
		}
		if (gd_keyword(w, we - w, "fi") || gd_keyword(w, we - w,
		    "esac") || gd_keyword(w, we - w, "done")) {
			if (depth > 0)
				depth--;
			continue;
		}
		if (gd_keyword(w, we - w, "then") || gd_keyword(w, we - w,
		    "else") || gd_keyword(w, we - w, "elif") ||
		    gd_keyword(w, we - w, "do") || gd_keyword(w, we - w,
		    "export") || gd_keyword(w, we - w, "{") ||
		    gd_keyword(w, we - w, "}"))
			continue;	/* what follows is a statement */
		if ((eq = memchr(w, '=', we - w)) == NULL || eq == w) {
			first = 0;
			continue;
		}
		{
			const char *c;
			int	    name_ok = 1;

			for (c = w; c < eq; c++) {
				if (!gd_namechar(*c, c == w))
					name_ok = 0;
			}
			if (!name_ok) {
				first = 0;
				continue;
			}
		}
		/* NAME=VALUE: another assignment may follow (A=1 B=2). */
		d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
		a = &d->v[d->n];
		memset(a, 0, sizeof *a);
		a->file = xstrdup(file);
		a->line = wline;
		a->name = xstrndup(w, eq - w);
		a->raw = xstrndup(eq + 1, we - (eq + 1));
		a->value = gd_word_value(d, eq + 1, we, &simple);
		a->simple = simple;
		a->conditional = depth > 0;
		a->start = (size_t)(w - buf);
		a->end = (size_t)(we - buf);
		d->n++;
	}
	return (0);
}

/* The files grub-mkconfig reads, in its order, under ROOT ("" or NULL: /). */
int
grub_defaults_load(const char *root, struct grub_defaults *d, char **cause)
{
	struct dirent	**names = NULL;
	char		 *path = NULL, *dir = NULL, *buf = NULL;
	size_t		  len;
	int		  n = 0, i, rc = -1;
	struct stat	  st;

	memset(d, 0, sizeof *d);
	if (root == NULL)
		root = "";
	xasprintf(&path, "%s/etc/default/grub", root);
	if (stat(path, &st) == 0) {
		if (file_read(path, &buf, &len, cause) != 0 ||
		    grub_defaults_parse(path, buf, len, d, cause) != 0)
			goto out;
		free(buf);
		buf = NULL;
	}
	xasprintf(&dir, "%s/etc/default/grub.d", root);
	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		n = 0;
		if (errno != ENOENT) {
			*cause = xprintf("%s: %s", dir, strerror(errno));
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);

		if (l < 5 || strcmp(names[i]->d_name + l - 4, ".cfg") != 0)
			continue;
		free(path);
		xasprintf(&path, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (file_read(path, &buf, &len, cause) != 0 ||
		    grub_defaults_parse(path, buf, len, d, cause) != 0)
			goto out;
		free(buf);
		buf = NULL;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(buf);
	free(path);
	free(dir);
	if (rc != 0)
		grub_defaults_free(d);
	return (rc);
}

/* The last assignment of NAME (conditional ones too if asked), or NULL. */
const struct grub_assign *
grub_defaults_last(const struct grub_defaults *d, const char *name,
    int conditional)
{
	size_t	 i;

	for (i = d->n; i > 0; i--) {
		if (strcmp(d->v[i - 1].name, name) == 0 &&
		    (conditional || !d->v[i - 1].conditional))
			return (&d->v[i - 1]);
	}
	return (NULL);
}

/* The words of a command line; a word is KEY or KEY=VALUE. */
static char **
gd_words(const char *s)
{
	char	**v = NULL;
	const char *p = s, *q;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != ' ' && *q != '\t' &&
		    *q != '\n'; q++)
			;
		{
			char *w = xstrndup(p, q - p);

			strv_push(&v, w);
			free(w);
		}
		p = q;
	}
	return (v);
}

static int
gd_word_is(const char *w, const char *key)
{
	size_t	 n = strlen(key);

	return (strncmp(w, key, n) == 0 && (w[n] == '=' || w[n] == '\0'));
}

/* The value of the last KEY=VALUE word of a command line, or NULL. */
char *
grub_cmdline_get(const char *cmdline, const char *key)
{
	char	**v = gd_words(cmdline), *r = NULL;
	size_t	  i;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (gd_word_is(v[i], key)) {
			free(r);
			r = xstrdup(v[i][strlen(key)] == '=' ?
			    v[i] + strlen(key) + 1 : "");
		}
	}
	strv_free(v);
	return (r);
}

/*
 * CMDLINE with KEY set to VALUE: the first KEY word replaced, later ones
 * dropped, or KEY=VALUE appended. VALUE NULL removes KEY.
 */
char *
grub_cmdline_set(const char *cmdline, const char *key, const char *value)
{
	char		**v = gd_words(cmdline);
	struct strbuf	  out = { NULL, 0, 0 };
	size_t		  i;
	int		  done = 0;
	char		 *w;

	strbuf_add(&out, "", 0);
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (gd_word_is(v[i], key)) {
			if (done || value == NULL)
				continue;
			done = 1;
			xasprintf(&w, "%s=%s", key, value);
		} else
			w = xstrdup(v[i]);
		if (out.len > 0)
			strbuf_add(&out, " ", 1);
		strbuf_add(&out, w, strlen(w));
		free(w);
	}
	if (!done && value != NULL) {
		xasprintf(&w, "%s=%s", key, value);
		if (out.len > 0)
			strbuf_add(&out, " ", 1);
		strbuf_add(&out, w, strlen(w));
		free(w);
	}
	strv_free(v);
	return (out.s);
}

/*
 * The inner text of an assignment's value as written (quotes off), for a
 * value grub_cmdline_set can rewrite word by word and put back between the
 * same quotes: NULL when it is not simple or holds what a rewrite would
 * mangle. *quote gets the quote character ('"', '\'', or 0 for bare).
 */
static char *
gd_inner(const struct grub_assign *a, char *quote)
{
	size_t	 n = strlen(a->raw);

	if (!a->simple || a->conditional)
		return (NULL);
	if (n >= 2 && (a->raw[0] == '"' || a->raw[0] == '\'') &&
	    a->raw[n - 1] == a->raw[0]) {
		*quote = a->raw[0];
		return (xstrndup(a->raw + 1, n - 2));
	}
	if (strpbrk(a->raw, "\"'\\`") != NULL)
		return (NULL);
	*quote = 0;
	return (xstrdup(a->raw));
}

/* Whether the assignment's value can be rewritten in place. */
int
grub_assign_editable(const struct grub_assign *a)
{
	char	*inner, quote;

	if ((inner = gd_inner(a, &quote)) == NULL)
		return (0);
	free(inner);
	return (1);
}

/*
 * The file (BUF, LEN; PATH names it) with words of NAME's command line set:
 * SETS holds "KEY=VALUE" (set) and "-KEY" (removed) items. A is NAME's
 * assignment in this file to rewrite in place (every other byte stays),
 * or NULL: a new assignment is appended, after a "# COMMENT" line if
 * COMMENT is given, building on the value so far ("$NAME ...") if EXTEND.
 * An A whose value cannot be rewritten safely (grub_assign_editable) is
 * treated as NULL with EXTEND. Values must be plain words; -1 with *cause
 * otherwise. Returns the new content (caller frees).
 */
char *
grub_defaults_edit(const char *path, const char *buf, size_t len,
    const struct grub_assign *a, const char *name, char *const *sets,
    const char *comment, int extend, char **cause)
{
	struct strbuf	 out = { NULL, 0, 0 };
	char		*inner = NULL, *next, quote = '"', *key, *eq, *line;
	size_t		 i;

	for (i = 0; sets != NULL && sets[i] != NULL; i++) {
		if (strpbrk(sets[i], "\"'$\\` \t\n;#") != NULL ||
		    sets[i][0] == '\0' || (sets[i][0] != '-' &&
		    strchr(sets[i], '=') == NULL)) {
			*cause = xprintf("%s: cannot write '%s' into %s",
			    path, sets[i], name);
			return (NULL);
		}
	}
	if (a != NULL && (inner = gd_inner(a, &quote)) == NULL) {
		a = NULL;
		extend = 1;
	}
	if (a != NULL && quote == 0)
		quote = '"';
	if (a == NULL)
		inner = extend ? xprintf("$%s", name) : xstrdup("");
	for (i = 0; sets != NULL && sets[i] != NULL; i++) {
		key = xstrdup(sets[i][0] == '-' ? sets[i] + 1 : sets[i]);
		if ((eq = strchr(key, '=')) != NULL)
			*eq++ = '\0';
		next = grub_cmdline_set(inner, key, eq);
		free(inner);
		inner = next;
		free(key);
	}
	strbuf_add(&out, "", 0);
	if (a != NULL) {
		size_t vstart = a->start + strlen(a->name) + 1;

		strbuf_add(&out, buf, vstart);
		strbuf_add(&out, &quote, 1);
		strbuf_add(&out, inner, strlen(inner));
		strbuf_add(&out, &quote, 1);
		strbuf_add(&out, buf + a->end, len - a->end);
	} else {
		strbuf_add(&out, buf, len);
		if (len > 0 && buf[len - 1] != '\n')
			strbuf_add(&out, "\n", 1);
		if (comment != NULL) {
			xasprintf(&line, "# %s\n", comment);
			strbuf_add(&out, line, strlen(line));
			free(line);
		}
		xasprintf(&line, "%s=\"%s\"\n", name, inner);
		strbuf_add(&out, line, strlen(line));
		free(line);
	}
	free(inner);
	return (out.s);
}

/* ---- dpkg-divert --list ------------------------------------------------- */

void
grub_diversions_free(struct grub_divert *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].from);
		free(v[i].to);
		free(v[i].by);
	}
	free(v);
}

/*
 * dpkg-divert --list prints one line per diversion: "local diversion of
 * FROM to TO", "diversion of FROM to TO by PACKAGE", or "diversion of FROM
 * by PACKAGE" (to FROM.distrib). Anything else is an error naming the line.
 */
int
grub_diversions_parse(const char *buf, size_t len, struct grub_divert **vp,
    size_t *np, char **cause)
{
	struct grub_divert	*v = NULL;
	size_t			 n = 0, ll;
	const char		*p = buf, *end = buf + len, *lp;
	char			*l = NULL, *s, *to, *by;
	int			 line = 0, local;

	while (next_line(&p, end, &lp, &ll)) {
		line++;
		free(l);
		l = xstrndup(lp, ll);
		if (*l == '\0')
			continue;
		s = l;
		local = strncmp(s, "local ", 6) == 0;
		if (local)
			s += 6;
		if (strncmp(s, "diversion of ", 13) != 0)
			goto bad;
		s += 13;
		to = strstr(s, " to ");
		by = strstr(s, " by ");
		if (local && (to == NULL || by != NULL))
			goto bad;
		if (!local && by == NULL)
			goto bad;
		if (by != NULL)
			*by = '\0', by += 4;
		if (to != NULL)
			*to = '\0', to += 4;
		if (*s != '/' || (to != NULL && *to != '/') ||
		    (by != NULL && *by == '\0'))
			goto bad;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].from = xstrdup(s);
		v[n].to = to != NULL ? xstrdup(to) : xprintf("%s.distrib", s);
		v[n].by = by != NULL ? xstrdup(by) : NULL;
		n++;
	}
	free(l);
	*vp = v;
	*np = n;
	return (0);
bad:
	*cause = xprintf("dpkg-divert --list: line %d: not a diversion: %s",
	    line, l);
	free(l);
	grub_diversions_free(v, n);
	return (-1);
}

/* ---- the default entry of grub.cfg -------------------------------------- */

void
grub_boot_free(struct grub_boot *b)
{
	if (b == NULL)
		return;
	free(b->title);
	free(b->hypervisor);
	free(b->hv_args);
	free(b->kernel);
	free(b->args);
	free(b->default_spec);
	memset(b, 0, sizeof *b);
}

/* What grub.cfg (BUF, LEN; FILE names it) boots by default. */
int
grub_boot_parse(const char *file, const char *buf, size_t len,
    struct grub_boot *b, char **cause)
{
	struct bootloader_menu		 m;
	const struct bootloader_entry	*e;

	memset(b, 0, sizeof *b);
	if (bootloader_parse_grubcfg(file, buf, len, &m, cause) != 0)
		return (-1);
	b->default_spec = xstrdup(m.default_spec != NULL ? m.default_spec :
	    "");
	if (m.default_entry < 0) {
		*cause = xprintf("%s: no entry to boot", file);
		bootloader_menu_free(&m);
		grub_boot_free(b);
		return (-1);
	}
	e = &m.entries[m.default_entry];
	b->title = xstrdup(e->title != NULL ? e->title : "");
	if (e->hypervisor != NULL) {
		b->hypervisor = xstrdup(e->hypervisor);
		b->hv_args = xstrdup(e->hv_args != NULL ? e->hv_args : "");
		if (e->modules != NULL && e->modules[0] != NULL) {
			const char *sp = strchr(e->modules[0], ' ');

			b->kernel = sp != NULL ? xstrndup(e->modules[0],
			    sp - e->modules[0]) : xstrdup(e->modules[0]);
			b->args = xstrdup(sp != NULL ? sp + 1 : "");
		}
	} else {
		if (e->kernel != NULL)
			b->kernel = xstrdup(e->kernel);
		b->args = xstrdup(e->args != NULL ? e->args : "");
	}
	bootloader_menu_free(&m);
	return (0);
}

/* ROOT/boot/grub/grub.cfg's default entry. */
int
grub_boot_read(const char *root, struct grub_boot *b, char **cause)
{
	char	*path, *buf = NULL;
	size_t	 len;
	int	 rc;

	memset(b, 0, sizeof *b);
	xasprintf(&path, "%s/boot/grub/grub.cfg", root != NULL ? root : "");
	if ((rc = file_read(path, &buf, &len, cause)) == 0)
		rc = grub_boot_parse(path, buf, len, b, cause);
	free(buf);
	free(path);
	return (rc);
}

/* Whether the entry boots Xen: a multiboot image named xen*. */
int
grub_boot_is_xen(const struct grub_boot *b)
{
	const char	*base;

	if (b->hypervisor == NULL)
		return (0);
	base = strrchr(b->hypervisor, '/');
	base = base != NULL ? base + 1 : b->hypervisor;
	return (strncmp(base, "xen", 3) == 0);
}
