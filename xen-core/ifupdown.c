/*
 * interfaces(5) as Debian's ifupdown (0.8) reads it, for the bridge wizard.
 *
 * Reading follows ifup: a logical line is a physical line plus the lines a
 * trailing backslash joins to it, a line whose first non-blank character is
 * '#' is a comment, and the first word says what a line is (iface, mapping,
 * auto, allow-CLASS, source, source-directory, no-auto-down, no-scripts,
 * rename); any other line is an option of the iface or mapping stanza above
 * it, or "misplaced". source takes shell wildcards (and several words);
 * source-directory reads the files of a directory whose names are only
 * [A-Za-z0-9_-]; relative paths are relative to the including file; a
 * missing file is skipped and a file read before is not read again, as ifup
 * does. Every file is kept byte for byte, split into logical lines that
 * cover it exactly, so an edit touches only the lines it means to and
 * everything else (comments, blank lines, other stanzas, odd spacing) comes
 * out as it went in.
 *
 * Everything is read under a root prefix (the wizard's --root), and the
 * content of chosen files can be given instead of read (a staged edit), so
 * an edited configuration is read back exactly as ifup would read it and
 * flattened into the one file ifup -i takes.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

#define IFUPDOWN_DEPTH	16	/* source nesting no real file needs */

/* Options that say what the address is: a bridge port has none. */
static const char *const addr_keys[] = {
	"address", "netmask", "broadcast", "network", "gateway",
	"pointopoint", "scope", NULL
};
/* The dhcp method's own options. */
static const char *const dhcp_keys[] = {
	"hostname", "leasehours", "leasetime", "vendor", "client", NULL
};
/* Commands: they name devices, so they stay where they are (a note). */
static const char *const cmd_keys[] = {
	"pre-up", "up", "post-up", "pre-down", "down", "post-down", NULL
};
static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return (1);
	}
	return (0);
}

static int
is_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

/* An empty, terminated string vector. */
static char **
strv_empty(void)
{
	return (xcalloc(1, sizeof (char *)));
}

/* s split on blanks. */
static char **
split_words(const char *s)
{
	char		**v = strv_empty(), *w;
	const char	 *start;

	for (;;) {
		while (*s != '\0' && is_blank((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		start = s;
		while (*s != '\0' && !is_blank((unsigned char)*s))
			s++;
		w = xstrndup(start, s - start);
		strv_push(&v, w);
		free(w);
	}
	return (v);
}

/* Whether a blank-separated list contains a word. */
static int
words_contain(const char *list, const char *word)
{
	char	**v = split_words(list);
	size_t	  i;
	int	  found = 0;

	for (i = 0; v[i] != NULL; i++) {
		if (strcmp(v[i], word) == 0)
			found = 1;
	}
	strv_free(v);
	return (found);
}

/* "FILE:LINE" of a line of a file; caller frees. */
static char *
where_line(const struct ifupdown *ifs, size_t file, size_t line)
{
	return (xprintf("%s:%d", ifs->files[file].path,
	    ifs->files[file].lines[line].lineno));
}

/* "FILE:LINE" of a stanza's header; caller frees. */
char *
ifupdown_where(const struct ifupdown *ifs, size_t st)
{
	return (where_line(ifs, ifs->st[st].file, ifs->st[st].line));
}

/*
 * Split a file into logical lines covering every byte. A comment is one
 * physical line; otherwise a trailing backslash joins the next physical
 * line as it is (as ifup does), and then the outer blanks go.
 */
static void
split_lines(struct ifupdown_file *f)
{
	const char		*d = f->data, *end = f->data + f->len, *p, *nl;
	const char		*q;
	char			*text;
	size_t			 tlen, n, first;
	int			 lineno = 1;
	struct ifupdown_line	*l;

	p = d;
	while (p < end) {
		f->lines = xreallocarray(f->lines, f->nlines + 1,
		    sizeof *f->lines);
		l = &f->lines[f->nlines++];
		memset(l, 0, sizeof *l);
		l->off = p - d;
		l->lineno = lineno;
		l->stanza = IFUPDOWN_NONE;
		text = NULL;
		tlen = 0;
		for (;;) {
			nl = memchr(p, '\n', end - p);
			n = (nl != NULL ? nl : end) - p;
			text = xreallocarray(text, tlen + n + 1, 1);
			memcpy(text + tlen, p, n);
			tlen += n;
			text[tlen] = '\0';
			p = nl != NULL ? nl + 1 : end;
			lineno++;
			l->nphys++;
			if (l->nphys == 1) {
				for (q = text; is_blank((unsigned char)*q); q++)
					;
				if (*q == '#')
					break;
			}
			if (tlen > 0 && text[tlen - 1] == '\\') {
				text[--tlen] = '\0';
				if (p < end)
					continue;
			}
			break;
		}
		l->len = (p - d) - l->off;
		while (tlen > 0 && is_blank((unsigned char)text[tlen - 1]))
			text[--tlen] = '\0';
		for (first = 0; is_blank((unsigned char)text[first]); first++)
			;
		if (text[first] == '\0' || text[first] == '#')
			l->text = NULL;
		else
			l->text = xstrdup(text + first);
		free(text);
	}
}

static void
stanza_free(struct ifupdown_stanza *s)
{
	size_t	 i;

	free(s->keyword);
	strv_free(s->words);
	free(s->name);
	free(s->family);
	free(s->method);
	free(s->inherits);
	for (i = 0; i < s->nopts; i++) {
		free(s->opts[i].key);
		free(s->opts[i].value);
	}
	free(s->opts);
	free(s->files);
}

void
ifupdown_free(struct ifupdown *ifs)
{
	size_t	 i, j;

	if (ifs == NULL)
		return;
	for (i = 0; i < ifs->nfiles; i++) {
		free(ifs->files[i].path);
		free(ifs->files[i].data);
		for (j = 0; j < ifs->files[i].nlines; j++)
			free(ifs->files[i].lines[j].text);
		free(ifs->files[i].lines);
	}
	free(ifs->files);
	for (i = 0; i < ifs->nst; i++)
		stanza_free(&ifs->st[i]);
	free(ifs->st);
	strv_free(ifs->warnings);
	free(ifs->root);
	memset(ifs, 0, sizeof *ifs);
}

/* Add a formatted line to a vector (a warning, a note). */
static void
pushf(char ***, const char *, ...) printflike(2, 3);
static void
pushf(char ***v, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	strv_push(v, s);
	free(s);
}
#define warn(ifs, ...)		pushf(&(ifs)->warnings, __VA_ARGS__)
#define ed_note(ed, ...)	pushf(&(ed)->notes, __VA_ARGS__)

/* The directory of a path: "/etc/network" of "/etc/network/interfaces". */
static char *
dir_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return (xstrdup("."));
	if (slash == path)
		return (xstrdup("/"));
	return (xstrndup(path, slash - path));
}

static const char *
base_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return (slash != NULL ? slash + 1 : path);
}

/* s with glob's special characters escaped (the root prefix). */
static char *
glob_escape(const char *s)
{
	char	*out = xmalloc(strlen(s) * 2 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (strchr("*?[]\\", *s) != NULL)
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return (out);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* A source word made absolute against the including file's directory. */
static char *
source_pattern(const char *dir, const char *word)
{
	if (*word == '/')
		return (xstrdup(word));
	return (xprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, word));
}

/* Expand an absolute pattern under the root into target paths, sorted. */
static char **
expand(const struct ifupdown *ifs, const char *pattern)
{
	char	**out = strv_empty(), *eroot, *full;
	size_t	  i, rootlen = strlen(ifs->root);
	glob_t	  g;

	eroot = glob_escape(ifs->root);
	xasprintf(&full, "%s%s", eroot, pattern);
	free(eroot);
	memset(&g, 0, sizeof g);
	if (glob(full, GLOB_NOSORT, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			if (strlen(g.gl_pathv[i]) >= rootlen)
				strv_push(&out, g.gl_pathv[i] + rootlen);
		}
		qsort(out, strv_len(out), sizeof *out, cmp_str);
	}
	globfree(&g);
	free(full);
	return (out);
}

/* source-directory's rule for file names: ^[a-zA-Z0-9_-]+$. */
static int
dir_name_ok(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return (0);
	}
	return (1);
}

/* The first word of a logical line, and where the rest starts. */
static char *
first_word_of(const char *text, const char **rest)
{
	const char	*p = text;

	while (*p != '\0' && !is_blank((unsigned char)*p))
		p++;
	*rest = p;
	while (**rest != '\0' && is_blank((unsigned char)**rest))
		(*rest)++;
	return (xstrndup(text, p - text));
}

/* The reader's state. */
struct loader {
	struct ifupdown			*ifs;
	const struct ifupdown_text	*over;
	size_t				 nover;
	int				 depth;
};

static int	load_file(struct loader *, const char *, size_t, int, char **);

/* The files of a directory (source-directory), in name order. */
static int
load_dir(struct loader *ld, size_t sti, const char *dir, char **cause)
{
	struct ifupdown	 *ifs = ld->ifs;
	char		**names = strv_empty(), *full, *path;
	DIR		 *d;
	struct dirent	 *de;
	struct stat	  sb;
	size_t		  i;
	int		  rc = -1;

	xasprintf(&full, "%s%s", ifs->root, dir);
	d = opendir(full);
	free(full);
	if (d == NULL) {
		strv_free(names);
		return (0);
	}
	while ((de = readdir(d)) != NULL) {
		if (dir_name_ok(de->d_name))
			strv_push(&names, de->d_name);
	}
	closedir(d);
	qsort(names, strv_len(names), sizeof *names, cmp_str);
	for (i = 0; names[i] != NULL; i++) {
		path = xprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
		    names[i]);
		xasprintf(&full, "%s%s", ifs->root, path);
		if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(full);
			free(path);
			continue;
		}
		free(full);
		if (load_file(ld, path, sti, 0, cause) != 0) {
			free(path);
			goto out;
		}
		free(path);
	}
	rc = 0;
out:
	strv_free(names);
	return (rc);
}

/* What a source or source-directory stanza names, read in order. */
static int
load_source(struct loader *ld, size_t sti, char **cause)
{
	struct ifupdown	 *ifs = ld->ifs;
	char		**words, **paths = NULL, *dir, *pattern, *full, *w;
	size_t		  i, j;
	int		  wild, dirmode, rc = -1;
	struct stat	  sb;

	dirmode = ifs->st[sti].kind == IFUPDOWN_SOURCE_DIR;
	dir = dir_of(ifs->files[ifs->st[sti].file].path);
	words = strv_dup(ifs->st[sti].words);
	for (i = 0; words[i] != NULL; i++) {
		if (strchr(words[i], '$') != NULL || *words[i] == '~') {
			w = ifupdown_where(ifs, sti);
			warn(ifs, "%s: %s: shell expansions other than "
			    "wildcards are not followed here", w, words[i]);
			free(w);
		}
		wild = strpbrk(words[i], "*?[") != NULL;
		pattern = source_pattern(dir, words[i]);
		paths = expand(ifs, pattern);
		free(pattern);
		for (j = 0; paths[j] != NULL; j++) {
			xasprintf(&full, "%s%s", ifs->root, paths[j]);
			if (stat(full, &sb) != 0) {
				free(full);
				continue;
			}
			free(full);
			if (dirmode) {
				if (S_ISDIR(sb.st_mode) &&
				    load_dir(ld, sti, paths[j], cause) != 0)
					goto out;
				continue;
			}
			if (!S_ISREG(sb.st_mode)) {
				w = ifupdown_where(ifs, sti);
				warn(ifs, "%s: %s is not a file; not read",
				    w, paths[j]);
				free(w);
				continue;
			}
			if (load_file(ld, paths[j], sti, wild, cause) != 0)
				goto out;
		}
		strv_free(paths);
		paths = NULL;
	}
	rc = 0;
out:
	strv_free(paths);
	strv_free(words);
	free(dir);
	return (rc);
}

static struct ifupdown_stanza *
stanza_new(struct ifupdown *ifs, size_t file, size_t line, char *keyword,
    const char *rest)
{
	struct ifupdown_stanza	*s;

	ifs->st = xreallocarray(ifs->st, ifs->nst + 1, sizeof *ifs->st);
	s = &ifs->st[ifs->nst++];
	memset(s, 0, sizeof *s);
	s->keyword = keyword;
	s->words = split_words(rest);
	s->file = file;
	s->line = s->last = line;
	ifs->files[file].lines[line].stanza = ifs->nst - 1;
	return (s);
}

static int
known_family(const char *f)
{
	static const char *const families[] = {
		"inet", "inet6", "ipx", "can", "meta", NULL
	};

	return (in_list(families, f));
}

/* The iface header: NAME [FAMILY METHOD] [inherits TEMPLATE]. */
static int
parse_iface(struct ifupdown *ifs, struct ifupdown_stanza *s, size_t sti,
    char **cause)
{
	char	**w = s->words, *at;
	size_t	  n = strv_len(w), i, k = 1;
	int	  rc = -1;

	at = ifupdown_where(ifs, sti);
	if (n < 2) {
		*cause = xprintf("%s: too few parameters for iface line", at);
		goto out;
	}
	s->name = xstrdup(w[0]);
	if (strcmp(w[1], "inherits") != 0) {
		if (!known_family(w[1])) {
			*cause = xprintf("%s: unknown or no address type "
			    "'%s'", at, w[1]);
			goto out;
		}
		s->family = xstrdup(w[1]);
		k = 2;
		if (n > 2 && strcmp(w[2], "inherits") != 0) {
			s->method = xstrdup(w[2]);
			k = 3;
		}
	}
	if (k < n && strcmp(w[k], "inherits") == 0) {
		if (k + 1 >= n) {
			*cause = xprintf("%s: 'inherits' keyword is missing a "
			    "parameter", at);
			goto out;
		}
		s->inherits = xstrdup(w[k + 1]);
		/* The template is an iface read before this one. */
		for (i = 0; i < sti; i++) {
			if (ifs->st[i].kind != IFUPDOWN_IFACE ||
			    strcmp(ifs->st[i].name, s->inherits) != 0)
				continue;
			if (s->family != NULL && ifs->st[i].family != NULL &&
			    strcmp(s->family, ifs->st[i].family) != 0)
				continue;
			break;
		}
		if (i == sti) {
			*cause = xprintf("%s: unknown iface to inherit from: "
			    "%s", at, s->inherits);
			goto out;
		}
		if (s->family == NULL && ifs->st[i].family != NULL)
			s->family = xstrdup(ifs->st[i].family);
		if (s->method == NULL && ifs->st[i].method != NULL)
			s->method = xstrdup(ifs->st[i].method);
	} else if (k < n) {
		warn(ifs, "%s: extra parameter for the iface line not "
		    "understood and ignored: %s", at, w[k]);
	}
	if (s->method == NULL) {
		*cause = xprintf("%s: unknown or no method and no inherits "
		    "keyword specified", at);
		goto out;
	}
	rc = 0;
out:
	free(at);
	return (rc);
}

/* Parse the lines of files[fi] into stanzas; source stanzas recurse. */
static int
parse_file(struct loader *ld, size_t fi, char **cause)
{
	struct ifupdown		*ifs = ld->ifs;
	struct ifupdown_file	*f;
	struct ifupdown_stanza	*s;
	struct ifupdown_opt	*o;
	size_t			 li, cur = IFUPDOWN_NONE, sti;
	const char		*rest;
	char			*kw, *at;
	enum ifupdown_kind	 kind;

	for (li = 0; li < ifs->files[fi].nlines; li++) {
		f = &ifs->files[fi];
		if (f->lines[li].text == NULL)
			continue;
		kw = first_word_of(f->lines[li].text, &rest);
		if (strcmp(kw, "iface") == 0)
			kind = IFUPDOWN_IFACE;
		else if (strcmp(kw, "mapping") == 0)
			kind = IFUPDOWN_MAPPING;
		else if (strcmp(kw, "auto") == 0 ||
		    (strncmp(kw, "allow-", 6) == 0 && kw[6] != '\0'))
			kind = IFUPDOWN_AUTO;
		else if (strcmp(kw, "source") == 0)
			kind = IFUPDOWN_SOURCE;
		else if (strncmp(kw, "source-dir", 10) == 0 &&
		    strncmp("source-directory", kw, strlen(kw)) == 0)
			kind = IFUPDOWN_SOURCE_DIR;
		else if (strcmp(kw, "no-auto-down") == 0 ||
		    strcmp(kw, "no-scripts") == 0 ||
		    strcmp(kw, "rename") == 0)
			kind = IFUPDOWN_OTHER;
		else {
			/* An option of the stanza above, if it takes one. */
			at = where_line(ifs, fi, li);
			if (cur == IFUPDOWN_NONE) {
				*cause = xprintf("%s: misplaced option", at);
				free(at);
				free(kw);
				return (-1);
			}
			s = &ifs->st[cur];
			if (s->kind == IFUPDOWN_MAPPING &&
			    strcmp(kw, "script") != 0 &&
			    strcmp(kw, "map") != 0) {
				*cause = xprintf("%s: misplaced option", at);
				free(at);
				free(kw);
				return (-1);
			}
			if (*rest == '\0' && s->kind == IFUPDOWN_IFACE) {
				*cause = xprintf("%s: option with empty value",
				    at);
				free(at);
				free(kw);
				return (-1);
			}
			free(at);
			s->opts = xreallocarray(s->opts, s->nopts + 1,
			    sizeof *s->opts);
			o = &s->opts[s->nopts++];
			o->key = kw;
			o->value = xstrdup(rest);
			o->line = li;
			s->last = li;
			f->lines[li].stanza = cur;
			continue;
		}
		s = stanza_new(ifs, fi, li, kw, rest);
		sti = ifs->nst - 1;
		s->kind = kind;
		cur = IFUPDOWN_NONE;
		switch (kind) {
		case IFUPDOWN_IFACE:
			if (parse_iface(ifs, s, sti, cause) != 0)
				return (-1);
			cur = sti;
			break;
		case IFUPDOWN_MAPPING:
			cur = sti;
			break;
		case IFUPDOWN_SOURCE:
		case IFUPDOWN_SOURCE_DIR:
			if (load_source(ld, sti, cause) != 0)
				return (-1);
			break;
		default:
			break;
		}
	}
	return (0);
}

/*
 * Read one file (a target path) unless it was read before: from the
 * overrides, else from the disk under the root. A file that cannot be
 * opened is skipped with a warning, as ifup skips it; the main file must
 * exist.
 */
static int
load_file(struct loader *ld, const char *path, size_t from, int wild,
    char **cause)
{
	struct ifupdown		*ifs = ld->ifs;
	struct ifupdown_file	*f;
	char			*full, *data = NULL, *err = NULL, *at;
	size_t			 len = 0, i, fi;
	int			 rc;

	for (i = 0; i < ifs->nfiles; i++) {
		if (strcmp(ifs->files[i].path, path) == 0)
			return (0);
	}
	if (ld->depth >= IFUPDOWN_DEPTH) {
		at = ifupdown_where(ifs, from);
		*cause = xprintf("%s: sources nested more than %d deep", at,
		    IFUPDOWN_DEPTH);
		free(at);
		return (-1);
	}
	for (i = 0; i < ld->nover; i++) {
		if (strcmp(ld->over[i].path, path) == 0)
			break;
	}
	if (i < ld->nover) {
		len = ld->over[i].len;
		data = xmalloc(len + 1);
		memcpy(data, ld->over[i].data, len);
		data[len] = '\0';
	} else {
		xasprintf(&full, "%s%s", ifs->root, path);
		rc = file_read(full, &data, &len, &err);
		free(full);
		if (rc != 0) {
			if (from == IFUPDOWN_NONE) {
				*cause = err;
				return (-1);
			}
			warn(ifs, "couldn't open interfaces file \"%s\": %s",
			    path, err);
			free(err);
			return (0);
		}
	}
	if (memchr(data, '\0', len) != NULL) {
		*cause = xprintf("%s: not a text file (a NUL byte)", path);
		free(data);
		return (-1);
	}
	ifs->files = xreallocarray(ifs->files, ifs->nfiles + 1,
	    sizeof *ifs->files);
	fi = ifs->nfiles++;
	f = &ifs->files[fi];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->from = from;
	f->wild = wild;
	split_lines(f);
	if (from != IFUPDOWN_NONE) {
		struct ifupdown_stanza *s = &ifs->st[from];

		s->files = xreallocarray(s->files, s->nfiles + 1,
		    sizeof *s->files);
		s->files[s->nfiles++] = fi;
	}
	ld->depth++;
	rc = parse_file(ld, fi, cause);
	ld->depth--;
	return (rc);
}

int
ifupdown_load(const char *root, const char *path,
    const struct ifupdown_text *over, size_t nover, struct ifupdown *ifs,
    char **cause)
{
	struct loader	 ld;

	memset(ifs, 0, sizeof *ifs);
	ifs->root = xstrdup(root != NULL ? root : "");
	/* "/" and "" are the same root; a trailing slash would double. */
	while (*ifs->root != '\0' &&
	    ifs->root[strlen(ifs->root) - 1] == '/')
		ifs->root[strlen(ifs->root) - 1] = '\0';
	ifs->warnings = strv_empty();
	if (*path != '/') {
		*cause = xprintf("%s: not an absolute path", path);
		ifupdown_free(ifs);
		return (-1);
	}
	memset(&ld, 0, sizeof ld);
	ld.ifs = ifs;
	ld.over = over;
	ld.nover = nover;
	if (load_file(&ld, path, IFUPDOWN_NONE, 0, cause) != 0) {
		ifupdown_free(ifs);
		return (-1);
	}
	return (0);
}

/* The next iface stanza of NAME (any family if NULL) from index from. */
size_t
ifupdown_iface(const struct ifupdown *ifs, const char *name,
    const char *family, size_t from)
{
	size_t	 i;

	for (i = from; i < ifs->nst; i++) {
		if (ifs->st[i].kind != IFUPDOWN_IFACE ||
		    strcmp(ifs->st[i].name, name) != 0)
			continue;
		if (family == NULL || strcmp(ifs->st[i].family, family) == 0)
			return (i);
	}
	return (IFUPDOWN_NONE);
}

/* An option's value (the last one given), or NULL. */
const char *
ifupdown_opt(const struct ifupdown_stanza *s, const char *key)
{
	size_t		 i;
	const char	*v = NULL;

	for (i = 0; i < s->nopts; i++) {
		if (strcmp(s->opts[i].key, key) == 0)
			v = s->opts[i].value;
	}
	return (v);
}

/* bridge-utils takes bridge_ports and bridge-ports alike. */
static const char *
bridge_opt(const struct ifupdown_stanza *s, const char *key)
{
	char		*dash = xstrdup(key), *p;
	const char	*v;

	for (p = dash; *p != '\0'; p++) {
		if (*p == '_')
			*p = '-';
	}
	if ((v = ifupdown_opt(s, key)) == NULL)
		v = ifupdown_opt(s, dash);
	free(dash);
	return (v);
}

/*
 * How NAME comes up by itself: "auto" (auto or allow-auto: ifup -a at
 * boot), "hotplug" (allow-hotplug: udev), or NULL.
 */
const char *
ifupdown_auto_class(const struct ifupdown *ifs, const char *name)
{
	const char	*class = NULL;
	size_t		 i;

	for (i = 0; i < ifs->nst; i++) {
		const struct ifupdown_stanza *s = &ifs->st[i];
		size_t	 j;

		if (s->kind != IFUPDOWN_AUTO)
			continue;
		for (j = 0; s->words[j] != NULL; j++) {
			if (strcmp(s->words[j], name) != 0)
				continue;
			if (strcmp(s->keyword, "auto") == 0 ||
			    strcmp(s->keyword, "allow-auto") == 0)
				return ("auto");
			if (strcmp(s->keyword, "allow-hotplug") == 0)
				class = "hotplug";
		}
	}
	return (class);
}

/* Append n bytes to a growing buffer. */
static void
buf_add(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void
buf_str(char **buf, size_t *len, const char *s)
{
	buf_add(buf, len, s, strlen(s));
}

/* One file, its sources expanded in place (ifupdown_flatten). */
static void
flatten_file(const struct ifupdown *ifs, size_t fi, char **buf, size_t *len)
{
	const struct ifupdown_file	*f = &ifs->files[fi];
	const struct ifupdown_line	*l;
	const struct ifupdown_stanza	*s;
	size_t				 li, k;
	char				*line;

	for (li = 0; li < f->nlines; li++) {
		l = &f->lines[li];
		s = l->stanza != IFUPDOWN_NONE ? &ifs->st[l->stanza] : NULL;
		if (s == NULL || s->line != li ||
		    (s->kind != IFUPDOWN_SOURCE &&
		    s->kind != IFUPDOWN_SOURCE_DIR)) {
			buf_add(buf, len, f->data + l->off, l->len);
			if (l->len > 0 && f->data[l->off + l->len - 1] != '\n')
				buf_str(buf, len, "\n");
			continue;
		}
		line = xprintf("# xendeck: %s:%d: %s\n", f->path, l->lineno,
		    l->text);
		buf_str(buf, len, line);
		free(line);
		for (k = 0; k < s->nfiles; k++) {
			line = xprintf("# xendeck: %s\n",
			    ifs->files[s->files[k]].path);
			buf_str(buf, len, line);
			free(line);
			flatten_file(ifs, s->files[k], buf, len);
		}
	}
}

/*
 * The whole configuration as one file, every source and source-directory
 * replaced by what it read (a comment says where each part came from):
 * what ifup -i reads to see the configuration as ifup reads the real one.
 */
char *
ifupdown_flatten(const struct ifupdown *ifs, size_t *lenp)
{
	char	*buf = NULL, *head;
	size_t	 len = 0;

	head = xprintf("# xendeck: %s with every source expanded (one file "
	    "for ifup -i)\n", ifs->files[0].path);
	buf_str(&buf, &len, head);
	free(head);
	flatten_file(ifs, 0, &buf, &len);
	if (lenp != NULL)
		*lenp = len;
	return (buf);
}

/* Whether a wildcard source line of this configuration would read path. */
static int
sourced(const struct ifupdown *ifs, const char *path)
{
	char	*dir, *pattern;
	size_t	 i, j;
	int	 hit = 0;

	for (i = 0; i < ifs->nst && !hit; i++) {
		const struct ifupdown_stanza *s = &ifs->st[i];

		if (s->kind != IFUPDOWN_SOURCE)
			continue;
		dir = dir_of(ifs->files[s->file].path);
		for (j = 0; s->words[j] != NULL && !hit; j++) {
			pattern = source_pattern(dir, s->words[j]);
			hit = fnmatch(pattern, path,
			    FNM_PATHNAME | FNM_PERIOD) == 0;
			free(pattern);
		}
		free(dir);
	}
	return (hit);
}

/*
 * A file beside PATH that no source line of this configuration reads (a
 * backup, a staged new version): PATH.SUFFIX, unless a wildcard source
 * would read that too (the usual source of interfaces.d with a star); then
 * the hidden .NAME.SUFFIX in the same directory (a shell wildcard skips
 * dot files); else under /var/backups/xendeck. Caller frees.
 */
char *
ifupdown_beside(const struct ifupdown *ifs, const char *path,
    const char *suffix)
{
	char	*out, *dir;

	out = xprintf("%s%s", path, suffix);
	if (!sourced(ifs, out))
		return (out);
	free(out);
	dir = dir_of(path);
	out = xprintf("%s/.%s%s", strcmp(dir, "/") == 0 ? "" : dir,
	    base_of(path), suffix);
	free(dir);
	if (!sourced(ifs, out))
		return (out);
	free(out);
	return (xprintf("/var/backups/xendeck%s%s", path, suffix));
}

/* Where the old content of PATH is kept when the edit is installed. */
char *
ifupdown_backup_path(const struct ifupdown *ifs, const char *path)
{
	return (ifupdown_beside(ifs, path, ".xendeck-bak"));
}

/*
 * The bridge edit. Edits are kept per logical line (before it, instead of
 * it, deleted, after it, or at the end of a file) and rendered at the end,
 * so every line no edit names comes out byte for byte.
 */
enum edit_op { EDIT_BEFORE, EDIT_REPLACE, EDIT_DELETE, EDIT_AFTER,
    EDIT_APPEND };
struct edit {
	size_t		 file, line;
	enum edit_op	 op;
	char		*text;	/* whole lines, newlines included */
};
struct editor {
	const struct ifupdown	*ifs;
	struct edit		*v;
	size_t			 n;
	char		       **notes;
};

static void
ed_add(struct editor *ed, size_t file, size_t line, enum edit_op op,
    const char *text)
{
	struct edit	*e;

	ed->v = xreallocarray(ed->v, ed->n + 1, sizeof *ed->v);
	e = &ed->v[ed->n++];
	e->file = file;
	e->line = line;
	e->op = op;
	e->text = xstrdup(text != NULL ? text : "");
}

static void
ed_free(struct editor *ed)
{
	size_t	 i;

	for (i = 0; i < ed->n; i++)
		free(ed->v[i].text);
	free(ed->v);
	strv_free(ed->notes);
}

/*
 * After the file's last line, when text follows it (an edit after it, or
 * an append): its newline if it has none, and a blank line if it ends in
 * a continuation ('\\' at the end of the file ends the line there, but
 * would join what comes after it to the line).
 */
static void
end_last(const struct editor *ed, size_t fi, size_t li, char **out,
    size_t *len)
{
	const struct ifupdown_line	*l = &ed->ifs->files[fi].lines[li];
	const char			*d = ed->ifs->files[fi].data + l->off;
	size_t				 i, n = l->len;

	for (i = 0; i < ed->n; i++) {
		if (ed->v[i].file == fi && ((ed->v[i].line == li &&
		    ed->v[i].op == EDIT_AFTER) || ed->v[i].op == EDIT_APPEND))
			break;
	}
	if (i == ed->n)
		return;
	if (d[n - 1] != '\n')
		buf_str(out, len, "\n");
	else
		n--;
	if (n > 0 && d[n - 1] == '\\')
		buf_str(out, len, "\n");
}

/* A file with the edits made. */
static char *
render(const struct editor *ed, size_t fi, size_t *lenp)
{
	const struct ifupdown_file	*f = &ed->ifs->files[fi];
	const struct ifupdown_line	*l;
	char				*out = NULL;
	size_t				 len = 0, li, i;
	int				 op, gone;

	buf_add(&out, &len, "", 0);
	for (li = 0; li < f->nlines; li++) {
		l = &f->lines[li];
		gone = 0;
		for (op = EDIT_BEFORE; op <= EDIT_AFTER; op++) {
			for (i = 0; i < ed->n; i++) {
				if (ed->v[i].file != fi ||
				    ed->v[i].line != li ||
				    (int)ed->v[i].op != op)
					continue;
				if (op == EDIT_REPLACE || op == EDIT_DELETE)
					gone = 1;
				buf_str(&out, &len, ed->v[i].text);
			}
			if (op != EDIT_DELETE || gone)
				continue;
			/* The line itself, between before and after. */
			buf_add(&out, &len, f->data + l->off, l->len);
			if (li == f->nlines - 1 && l->len > 0)
				end_last(ed, fi, li, &out, &len);
		}
	}
	for (i = 0; i < ed->n; i++) {
		if (ed->v[i].file == fi && ed->v[i].op == EDIT_APPEND)
			buf_str(&out, &len, ed->v[i].text);
	}
	*lenp = len;
	return (out);
}

/* The leading blanks of a line of a file. */
static char *
lead_of(const struct ifupdown *ifs, size_t fi, size_t li)
{
	const struct ifupdown_file	*f = &ifs->files[fi];
	const char			*p = f->data + f->lines[li].off;
	size_t				 n = 0;

	while (n < f->lines[li].len && (p[n] == ' ' || p[n] == '\t'))
		n++;
	return (xstrndup(p, n));
}

/* How a stanza's options are indented (a tab if it has none). */
static char *
indent_of(const struct ifupdown *ifs, const struct ifupdown_stanza *s)
{
	char	*lead;

	if (s == NULL || s->nopts == 0)
		return (xstrdup("\t"));
	lead = lead_of(ifs, s->file, s->opts[0].line);
	if (*lead == '\0') {
		free(lead);
		return (xstrdup("\t"));
	}
	return (lead);
}

/* An iface header line as ifup reads it, with the header's indentation. */
static char *
iface_line(const struct ifupdown *ifs, const struct ifupdown_stanza *s,
    const char *name, const char *method)
{
	char	*lead, *line;

	lead = s != NULL ? lead_of(ifs, s->file, s->line) : xstrdup("");
	xasprintf(&line, "%siface %s %s %s%s%s\n", lead, name,
	    s != NULL ? s->family : "inet", method,
	    s != NULL && s->inherits != NULL ? " inherits " : "",
	    s != NULL && s->inherits != NULL ? s->inherits : "");
	free(lead);
	return (line);
}

/* Whether a stanza is a bridge whose ports include a device. */
static int
bridges(const struct ifupdown_stanza *s, const char *dev)
{
	const char	*ports;

	if (s->kind != IFUPDOWN_IFACE ||
	    (ports = bridge_opt(s, "bridge_ports")) == NULL)
		return (0);
	return (words_contain(ports, dev) || words_contain(ports, "all"));
}

/*
 * An iface stanza's IPv4 address as CIDR ("address" with a prefix, or
 * with "netmask"), normalised; NULL when it has none that reads so.
 * Caller frees.
 */
char *
ifupdown_cidr(const struct ifupdown_stanza *s)
{
	const char	*a = ifupdown_opt(s, "address");
	const char	*m = ifupdown_opt(s, "netmask");
	uint32_t	 ip;
	int		 prefix;

	if (a == NULL)
		return (NULL);
	if (net_parse_cidr(a, &ip, &prefix) || (m != NULL &&
	    net_parse_ipv4(a, &ip) && net_mask_prefix(m, &prefix)))
		return (net_cidr_string(ip, prefix));
	return (NULL);
}

/* Whether a bridge stanza already is exactly what was asked for. */
static int
bridge_done(const struct ifupdown *ifs, const struct ifupdown_stanza *b,
    const struct ifupdown_bridge *br)
{
	const char	*v;
	char		*cidr;
	int		 same;

	if (strcmp(b->method, br->mode) != 0 ||
	    bridge_opt(b, "bridge_hw") == NULL ||
	    (v = bridge_opt(b, "bridge_stp")) == NULL ||
	    (strcmp(v, "off") != 0 && strcmp(v, "no") != 0 &&
	    strcmp(v, "0") != 0) ||
	    (v = bridge_opt(b, "bridge_fd")) == NULL ||
	    strtod(v, NULL) != 0)
		return (0);
	if (ifupdown_auto_class(ifs, b->name) == NULL)
		return (0);
	if (strcmp(br->mode, "static") != 0)
		return (1);
	cidr = ifupdown_cidr(b);
	same = cidr != NULL && br->address != NULL &&
	    strcmp(cidr, br->address) == 0;
	free(cidr);
	v = ifupdown_opt(b, "gateway");
	if (br->gateway == NULL || *br->gateway == '\0')
		return (same && v == NULL);
	return (same && v != NULL && strcmp(v, br->gateway) == 0);
}

/*
 * Move what describes the NIC's network (the address, DHCP's options, DNS,
 * metric, MTU) off its stanza: such lines are deleted there and, when the
 * bridge keeps them, returned as option lines for the bridge (indented
 * with ind). Commands and link-level options stay, with a note.
 */
static char *
take_options(struct editor *ed, const struct ifupdown_stanza *p,
    const struct ifupdown_bridge *br, const char *ind)
{
	const struct ifupdown	*ifs = ed->ifs;
	const char		*key, *val;
	char			*moved = NULL, *at, *line;
	size_t			 len = 0, i;
	int			 drop, move;

	buf_add(&moved, &len, "", 0);
	for (i = 0; i < p->nopts; i++) {
		key = p->opts[i].key;
		val = p->opts[i].value;
		at = where_line(ifs, p->file, p->opts[i].line);
		drop = move = 0;
		if (in_list(addr_keys, key)) {
			drop = 1;
			if (strcmp(br->mode, "static") == 0)
				ed_note(ed, "%s: '%s %s' is replaced by the "
				    "bridge's own address settings", at, key,
				    val);
			else
				ed_note(ed, "%s: '%s %s' goes: the bridge "
				    "gets its address by DHCP", at, key, val);
		} else if (in_list(dhcp_keys, key)) {
			if (strcmp(br->mode, "dhcp") == 0)
				move = 1;
			else {
				drop = 1;
				ed_note(ed, "%s: '%s %s' goes: a DHCP "
				    "option, and the bridge is static", at,
				    key, val);
			}
		} else if (strncmp(key, "dns-", 4) == 0 ||
		    strcmp(key, "metric") == 0 || strcmp(key, "mtu") == 0) {
			move = 1;
		} else if (in_list(cmd_keys, key)) {
			ed_note(ed, "%s: '%s %s' stays with %s, which is no "
			    "longer brought up by itself: move it to %s by "
			    "hand if it is still needed", at, key, val,
			    br->nic, br->bridge);
		}
		if (move) {
			xasprintf(&line, "%s%s %s\n", ind, key, val);
			buf_str(&moved, &len, line);
			free(line);
			ed_note(ed, "%s: '%s %s' moves to %s", at, key, val,
			    br->bridge);
		}
		if (drop || move)
			ed_add(ed, p->file, p->opts[i].line, EDIT_DELETE, NULL);
		free(at);
	}
	return (moved);
}

/* The bridge's own lines: ports, MAC, STP, forward delay, address. */
static char *
bridge_options(const struct ifupdown_bridge *br, const char *hw,
    const char *ind)
{
	char	*s = NULL, *line;
	size_t	 len = 0;

	buf_add(&s, &len, "", 0);
	xasprintf(&line, "%sbridge_ports %s\n%sbridge_hw %s\n"
	    "%sbridge_stp off\n%sbridge_fd 0\n", ind, br->nic, ind, hw, ind,
	    ind);
	buf_str(&s, &len, line);
	free(line);
	if (strcmp(br->mode, "static") == 0) {
		xasprintf(&line, "%saddress %s\n", ind, br->address);
		buf_str(&s, &len, line);
		free(line);
		if (br->gateway != NULL && *br->gateway != '\0') {
			xasprintf(&line, "%sgateway %s\n", ind, br->gateway);
			buf_str(&s, &len, line);
			free(line);
		}
	}
	return (s);
}

/* A stanza re-emitted under another name (its option lines as read). */
static char *
stanza_copy(const struct ifupdown *ifs, const struct ifupdown_stanza *s,
    const char *name)
{
	char	*out = NULL, *line, *ind;
	size_t	 len = 0, i;

	buf_add(&out, &len, "", 0);
	line = iface_line(ifs, s, name, s->method);
	buf_str(&out, &len, line);
	free(line);
	ind = indent_of(ifs, s);
	for (i = 0; i < s->nopts; i++) {
		xasprintf(&line, "%s%s %s\n", ind, s->opts[i].key,
		    s->opts[i].value);
		buf_str(&out, &len, line);
		free(line);
	}
	free(ind);
	return (out);
}

/* Delete a stanza's header and option lines (its comments stay). */
static void
stanza_delete(struct editor *ed, const struct ifupdown_stanza *s)
{
	size_t	 i;

	ed_add(ed, s->file, s->line, EDIT_DELETE, NULL);
	for (i = 0; i < s->nopts; i++)
		ed_add(ed, s->file, s->opts[i].line, EDIT_DELETE, NULL);
}

/* The NIC leaves the auto and allow-auto/allow-hotplug lines. */
static void
unlist_nic(struct editor *ed, const struct ifupdown_bridge *br)
{
	const struct ifupdown	*ifs = ed->ifs;
	size_t			 i, j;
	char			*line, *lead, *at;
	int			 found;

	for (i = 0; i < ifs->nst; i++) {
		const struct ifupdown_stanza *s = &ifs->st[i];

		if (s->kind != IFUPDOWN_AUTO)
			continue;
		for (found = 0, j = 0; s->words[j] != NULL; j++)
			found |= strcmp(s->words[j], br->nic) == 0;
		if (!found)
			continue;
		at = ifupdown_where(ifs, i);
		if (strcmp(s->keyword, "auto") != 0 &&
		    strcmp(s->keyword, "allow-auto") != 0 &&
		    strcmp(s->keyword, "allow-hotplug") != 0) {
			ed_note(ed, "%s: %s stays in '%s'", at, br->nic,
			    s->keyword);
			free(at);
			continue;
		}
		lead = lead_of(ifs, s->file, s->line);
		line = xprintf("%s%s", lead, s->keyword);
		for (found = 0, j = 0; s->words[j] != NULL; j++) {
			if (strcmp(s->words[j], br->nic) == 0)
				continue;
			free(lead);
			xasprintf(&lead, "%s %s", line, s->words[j]);
			free(line);
			line = lead;
			lead = NULL;
			found++;
		}
		free(lead);
		if (found == 0)
			ed_add(ed, s->file, s->line, EDIT_DELETE, NULL);
		else {
			lead = xprintf("%s\n", line);
			ed_add(ed, s->file, s->line, EDIT_REPLACE, lead);
			free(lead);
		}
		free(line);
		ed_note(ed, "%s: '%s %s' goes: the bridge brings its port up, "
		    "and 'auto %s' brings the bridge up at boot", at,
		    s->keyword, br->nic, br->bridge);
		free(at);
	}
}

void
ifupdown_changes_free(struct ifupdown_change *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(c[i].path);
		free(c[i].before);
		free(c[i].after);
		free(c[i].backup);
	}
	free(c);
}

/* Why bridge_hw: the guide's second mistake on Debian 12. */
static const char *
hw_why(const struct ifupdown_bridge *br)
{
	if (strcmp(br->mode, "dhcp") == 0)
		return ("the bridge keeps the port's MAC, so the DHCP server "
		    "sees the same client and gives the same lease: since "
		    "bridge-utils 1.7 a bridge otherwise gets a generated "
		    "MAC, and with it a new address");
	return ("the bridge keeps the port's MAC, so neighbours' ARP "
	    "caches and MAC filters stay right: since bridge-utils 1.7 a "
	    "bridge otherwise gets a generated MAC");
}

/* Whether an option value says "off" the way brctl reads it. */
static int
is_off(const char *v)
{
	return (strcmp(v, "off") == 0 || strcmp(v, "no") == 0 ||
	    strcmp(v, "0") == 0);
}

/*
 * An existing bridge stanza made what was asked: its method, its address
 * settings, bridge_hw, bridge_stp off, bridge_fd 0; lines that already say
 * the right thing stay as they are. moved and others go after it.
 */
static void
bridge_update(struct editor *ed, const struct ifupdown_stanza *b,
    const struct ifupdown_bridge *br, const char *hw, const char *ind,
    const char *moved, const char *others)
{
	const struct ifupdown	*ifs = ed->ifs;
	char			*at, *t, *add = NULL, *cidr;
	const char		*key, *v;
	size_t			 i, len = 0;
	int			 same_addr;

	at = ifupdown_where(ifs, b - ifs->st);
	buf_add(&add, &len, "", 0);
	if (strcmp(b->method, br->mode) != 0) {
		t = iface_line(ifs, b, b->name, br->mode);
		ed_add(ed, b->file, b->line, EDIT_REPLACE, t);
		free(t);
		ed_note(ed, "%s: 'iface %s inet %s' becomes 'inet %s'", at,
		    br->bridge, b->method, br->mode);
	}
	if (ifupdown_auto_class(ifs, br->bridge) == NULL) {
		xasprintf(&t, "auto %s\n", br->bridge);
		ed_add(ed, b->file, b->line, EDIT_BEFORE, t);
		free(t);
	}
	cidr = ifupdown_cidr(b);
	v = ifupdown_opt(b, "gateway");
	same_addr = strcmp(br->mode, "static") == 0 && cidr != NULL &&
	    strcmp(cidr, br->address) == 0 &&
	    ((br->gateway == NULL || *br->gateway == '\0') ? v == NULL :
	    v != NULL && strcmp(v, br->gateway) == 0);
	free(cidr);
	for (i = 0; i < b->nopts; i++) {
		key = b->opts[i].key;
		v = b->opts[i].value;
		if ((in_list(addr_keys, key) && !same_addr) ||
		    (in_list(dhcp_keys, key) &&
		    strcmp(br->mode, "static") == 0)) {
			ed_add(ed, b->file, b->opts[i].line, EDIT_DELETE, NULL);
			t = where_line(ifs, b->file, b->opts[i].line);
			ed_note(ed, "%s: '%s %s' goes (%s)", t, key, v,
			    strcmp(br->mode, "static") == 0 ? "replaced by "
			    "the address asked for" : "the bridge gets its "
			    "address by DHCP");
			free(t);
		}
		else if ((strcmp(key, "bridge_stp") == 0 ||
		    strcmp(key, "bridge-stp") == 0) && !is_off(v)) {
			xasprintf(&t, "%s%s off\n", ind, key);
			ed_add(ed, b->file, b->opts[i].line, EDIT_REPLACE, t);
			free(t);
		} else if ((strcmp(key, "bridge_fd") == 0 ||
		    strcmp(key, "bridge-fd") == 0) && strtod(v, NULL) != 0) {
			xasprintf(&t, "%s%s 0\n", ind, key);
			ed_add(ed, b->file, b->opts[i].line, EDIT_REPLACE, t);
			free(t);
		}
	}
	if (bridge_opt(b, "bridge_hw") == NULL) {
		xasprintf(&t, "%sbridge_hw %s\n", ind, hw);
		buf_str(&add, &len, t);
		free(t);
		ed_note(ed, "%s: bridge_hw %s (%s)", at, hw, hw_why(br));
	}
	if (bridge_opt(b, "bridge_stp") == NULL) {
		xasprintf(&t, "%sbridge_stp off\n", ind);
		buf_str(&add, &len, t);
		free(t);
	}
	if (bridge_opt(b, "bridge_fd") == NULL) {
		xasprintf(&t, "%sbridge_fd 0\n", ind);
		buf_str(&add, &len, t);
		free(t);
	}
	if (strcmp(br->mode, "static") == 0 && !same_addr) {
		xasprintf(&t, "%saddress %s\n", ind, br->address);
		buf_str(&add, &len, t);
		free(t);
		if (br->gateway != NULL && *br->gateway != '\0') {
			xasprintf(&t, "%sgateway %s\n", ind, br->gateway);
			buf_str(&add, &len, t);
			free(t);
		}
	}
	buf_str(&add, &len, moved);
	buf_str(&add, &len, others);
	if (len > 0)
		ed_add(ed, b->file, b->last, EDIT_AFTER, add);
	free(add);
	free(at);
}

/*
 * Make NIC a port of BRIDGE (ifupdown_bridge says how). On success the
 * files that change come back in *changes (NULL and 0 when the
 * configuration already is what was asked) and what the edit did and left
 * in *notes ("FILE:LINE: ..."); -1 with *cause "FILE:LINE: ..." when this
 * configuration is not one the wizard should edit.
 */
int
ifupdown_bridge_edit(const struct ifupdown *ifs,
    const struct ifupdown_bridge *br, struct ifupdown_change **changes,
    size_t *nchanges, char ***notes, char **cause)
{
	struct editor		 ed;
	const struct ifupdown_stanza *p = NULL, *b = NULL, *s;
	size_t			*others = NULL, nothers = 0, i, j, first;
	size_t			 limit;
	size_t			 len;
	char			*at = NULL, *ind = NULL, *moved = NULL;
	char			*text = NULL, *opts = NULL, *hw = NULL, *t;
	const char		*v;
	int			 rc = -1;

	memset(&ed, 0, sizeof ed);
	ed.ifs = ifs;
	ed.notes = strv_empty();
	*changes = NULL;
	*nchanges = 0;
	*notes = NULL;

	/* What the wizard does not take apart. */
	for (i = 0; i < ifs->nst; i++) {
		s = &ifs->st[i];
		if (s->kind == IFUPDOWN_MAPPING) {
			for (j = 0; s->words[j] != NULL; j++) {
				if (fnmatch(s->words[j], br->nic, 0) != 0 &&
				    fnmatch(s->words[j], br->bridge, 0) != 0)
					continue;
				at = ifupdown_where(ifs, i);
				*cause = xprintf("%s: 'mapping %s' picks the "
				    "configuration of %s with a script; the "
				    "wizard does not edit mapped interfaces "
				    "(bridge it by hand, or drop the mapping "
				    "first)", at, s->words[j],
				    fnmatch(s->words[j], br->nic, 0) == 0 ?
				    br->nic : br->bridge);
				goto out;
			}
		}
		if (s->kind != IFUPDOWN_IFACE)
			continue;
		if (strcmp(s->name, br->bridge) != 0 && bridges(s, br->nic)) {
			at = ifupdown_where(ifs, i);
			*cause = xprintf("%s: %s is already a port of %s",
			    at, br->nic, s->name);
			goto out;
		}
		if (strcmp(s->name, br->nic) == 0) {
			if (p == NULL && strcmp(s->family, "inet") == 0)
				p = s;
			else {
				others = xreallocarray(others, nothers + 1,
				    sizeof *others);
				others[nothers++] = i;
			}
		}
		if (strcmp(s->name, br->bridge) == 0 && b == NULL &&
		    strcmp(s->family, "inet") == 0)
			b = s;
	}
	if (p != NULL && strcmp(p->method, "dhcp") != 0 &&
	    strcmp(p->method, "static") != 0 &&
	    strcmp(p->method, "manual") != 0) {
		at = ifupdown_where(ifs, p - ifs->st);
		*cause = xprintf("%s: %s is configured with 'inet %s'; the "
		    "wizard bridges interfaces configured by dhcp, static or "
		    "manual", at, br->nic, p->method);
		goto out;
	}
	if (b != NULL && !bridges(b, br->nic)) {
		at = ifupdown_where(ifs, b - ifs->st);
		v = bridge_opt(b, "bridge_ports");
		*cause = xprintf("%s: %s is already defined%s%s%s, not as a "
		    "bridge of %s: choose another name for the bridge", at,
		    br->bridge, v != NULL ? " (bridge_ports " : "",
		    v != NULL ? v : "", v != NULL ? ")" : "", br->nic);
		goto out;
	}
	if (b != NULL && (p == NULL || strcmp(p->method, "manual") == 0) &&
	    nothers == 0 && bridge_done(ifs, b, br)) {
		ed_note(&ed, "%s already bridges %s as asked: nothing to "
		    "change", br->bridge, br->nic);
		rc = 0;
		goto out;
	}

	/* The MAC the bridge takes: the port's own, or its hwaddress. */
	if (p != NULL && (v = ifupdown_opt(p, "hwaddress")) != NULL) {
		char	**w = split_words(v);

		hw = xstrdup(strv_len(w) > 0 ? w[strv_len(w) - 1] : br->nic);
		strv_free(w);
	} else
		hw = xstrdup(br->nic);
	ind = indent_of(ifs, b != NULL ? b : p);

	/* The port: 'inet manual', its address settings taken off. */
	if (p != NULL) {
		at = ifupdown_where(ifs, p - ifs->st);
		if (strcmp(p->method, "manual") != 0) {
			t = iface_line(ifs, p, p->name, "manual");
			ed_add(&ed, p->file, p->line, EDIT_REPLACE, t);
			free(t);
			ed_note(&ed, "%s: 'iface %s inet %s' becomes 'iface "
			    "%s inet manual': a bridge port has no address "
			    "of its own (bridge-utils-interfaces(5))%s", at,
			    br->nic, p->method, br->nic,
			    strcmp(p->method, "dhcp") == 0 ? "; the guide "
			    "keeps 'inet dhcp' here, which runs a second "
			    "DHCP client on the port" : "");
		}
		moved = take_options(&ed, p, br, ind);
		free(at);
		at = NULL;
	} else
		moved = xstrdup("");
	unlist_nic(&ed, br);

	/*
	 * The NIC's other stanzas (inet6, more addresses) become the
	 * bridge's: renamed where they are when they come after the bridge's
	 * stanza in ifup's reading order (their comments stay beside them),
	 * moved after it when they come before.
	 */
	text = xstrdup("");
	limit = b != NULL ? (size_t)(b - ifs->st) : p != NULL ?
	    (size_t)(p - ifs->st) : 0;
	for (i = 0; i < nothers; i++) {
		s = &ifs->st[others[i]];
		at = ifupdown_where(ifs, others[i]);
		if (others[i] > limit || (b == NULL && p == NULL)) {
			t = iface_line(ifs, s, br->bridge, s->method);
			ed_add(&ed, s->file, s->line, EDIT_REPLACE, t);
			free(t);
		} else {
			stanza_delete(&ed, s);
			t = stanza_copy(ifs, s, br->bridge);
			xasprintf(&opts, "%s\n%s", text, t);
			free(t);
			free(text);
			text = opts;
			opts = NULL;
		}
		ed_note(&ed, "%s: 'iface %s %s %s' becomes %s's: the address "
		    "is the bridge's now", at, br->nic, s->family, s->method,
		    br->bridge);
		free(at);
		at = NULL;
	}

	if (b == NULL) {
		/* A new stanza, after the port's (or before its others). */
		opts = bridge_options(br, hw, ind);
		xasprintf(&t, "%s%s%s%siface %s inet %s\n%s%s%s",
		    p != NULL ? "\n" : "",
		    ifupdown_auto_class(ifs, br->bridge) != NULL ? "" : "auto ",
		    ifupdown_auto_class(ifs, br->bridge) != NULL ? "" :
		    br->bridge,
		    ifupdown_auto_class(ifs, br->bridge) != NULL ? "" : "\n",
		    br->bridge, br->mode, opts, moved, text);
		if (p != NULL)
			ed_add(&ed, p->file, p->last, EDIT_AFTER, t);
		else if (nothers > 0) {
			first = others[0];
			xasprintf(&at, "%s\n", t);
			ed_add(&ed, ifs->st[first].file, ifs->st[first].line,
			    EDIT_BEFORE, at);
		} else {
			xasprintf(&at, "\n%s", t);
			ed_add(&ed, 0, 0, EDIT_APPEND, at);
		}
		free(t);
		free(at);
		at = NULL;
		ed_note(&ed, "%s: new 'iface %s inet %s' with bridge_ports %s, "
		    "bridge_hw %s (%s), bridge_stp off and bridge_fd 0 (one "
		    "uplink: no loop to detect, no forwarding delay)",
		    ifs->files[p != NULL ? p->file : nothers > 0 ?
		    ifs->st[others[0]].file : 0].path, br->bridge, br->mode,
		    br->nic, hw, hw_why(br));
	} else
		bridge_update(&ed, b, br, hw, ind, moved, text);

	/* Render every file an edit touched. */
	for (i = 0; i < ifs->nfiles; i++) {
		struct ifupdown_change	*c;

		for (j = 0; j < ed.n; j++) {
			if (ed.v[j].file == i)
				break;
		}
		if (j == ed.n)
			continue;
		t = render(&ed, i, &len);
		if (len == ifs->files[i].len &&
		    memcmp(t, ifs->files[i].data, len) == 0) {
			free(t);
			continue;
		}
		*changes = xreallocarray(*changes, *nchanges + 1,
		    sizeof **changes);
		c = &(*changes)[(*nchanges)++];
		memset(c, 0, sizeof *c);
		c->path = xstrdup(ifs->files[i].path);
		c->before = xmalloc(ifs->files[i].len + 1);
		memcpy(c->before, ifs->files[i].data, ifs->files[i].len);
		c->before[ifs->files[i].len] = '\0';
		c->beforelen = ifs->files[i].len;
		c->after = t;
		c->afterlen = len;
		c->backup = ifupdown_backup_path(ifs, c->path);
	}
	rc = 0;
out:
	if (rc == 0) {
		*notes = ed.notes;
		ed.notes = NULL;
	}
	ed_free(&ed);
	free(others);
	free(at);
	free(ind);
	free(moved);
	free(text);
	free(opts);
	free(hw);
	return (rc);
}
