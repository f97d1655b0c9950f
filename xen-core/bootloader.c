/*
 * xendeck's pygrub: find the boot menu on a guest disk image, pick the entry
 * GRUB would boot and copy its kernel and initrd out, so the qemu backend can
 * boot them directly (bootloader="pygrub").
 *
 * The disk is read with libext2fs, never mounted. A disk may carry an MBR
 * (primary and logical partitions) or a GPT, or be a bare filesystem; every
 * candidate is opened through unix_io's "offset=" option and the first one
 * holding a menu wins: /boot/grub/grub.cfg, /grub/grub.cfg (a separate /boot),
 * the grub2 spellings, then grub-legacy's menu.lst.
 *
 * grub.cfg is read the way GRUB's script reader splits it (words, quotes,
 * backslashes, $variables, ';', braces) without running anything but `set`:
 * both branches of an `if` run in order, which gives the result GRUB gives
 * for the grub.cfg files grub-mkconfig writes (the last `set default` wins).
 * Entries count like GRUB's: a submenu takes one top-level position, and
 * default="N>M" or "Title>Sub" reaches into it. Everything on the disk is
 * hostile: the menu, every word and the files are capped.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <et/com_err.h>
#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include "xen-core.h"

#define BL_MAX_CFG	(1024 * 1024)	/* a menu file */
#define BL_MAX_WORD	4096
#define BL_MAX_WORDS	256
#define BL_MAX_ARGS	4096		/* a kernel command line */
#define BL_MAX_ENTRIES	512
#define BL_MAX_VARS	512
#define BL_MAX_DEPTH	16
#define BL_MAX_LINE	4096		/* menu.lst */
#define BL_MAX_KERNEL	(256ULL << 20)
#define BL_MAX_RAMDISK	(1024ULL << 20)
#define BL_MAX_PARTS	64

/* ---- the menu ----------------------------------------------------------- */

void
bootloader_menu_free(struct bootloader_menu *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nentries; i++) {
		free(m->entries[i].title);
		free(m->entries[i].id);
		free(m->entries[i].kernel);
		free(m->entries[i].ramdisk);
		free(m->entries[i].args);
		free(m->entries[i].hypervisor);
		free(m->entries[i].hv_args);
		strv_free(m->entries[i].modules);
	}
	free(m->entries);
	free(m->default_spec);
	for (i = 0; i < m->ntops; i++)
		free(m->tops[i]);
	free(m->tops);
	memset(m, 0, sizeof *m);
	m->default_entry = -1;
}

static struct bootloader_entry *
menu_add(struct bootloader_menu *m, const char *title, int index, int subindex)
{
	struct bootloader_entry	*e;

	m->entries = xreallocarray(m->entries, m->nentries + 1, sizeof *e);
	e = &m->entries[m->nentries++];
	memset(e, 0, sizeof *e);
	e->title = xstrdup(title);
	e->index = index;
	e->subindex = subindex;
	return (e);
}

/* What a top-level position is called: its title and --id (or NULL). */
static void
menu_add_top(struct bootloader_menu *m, const char *title, const char *id)
{
	m->tops = xreallocarray(m->tops, m->ntops + 2, sizeof *m->tops);
	m->tops[m->ntops++] = xstrdup(title);
	m->tops[m->ntops++] = id != NULL ? xstrdup(id) : NULL;
}

/* One part of a default spec ("2", "Title", "gnulinux-simple-id"). */
static int
spec_match(const struct bootloader_entry *e, const char *part, int sub)
{
	int	 pos = sub ? e->subindex : e->index;

	if (all_digits(part))
		return (strlen(part) < 6 && atoi(part) == pos);
	if (sub) {
		return (strcmp(e->title, part) == 0 ||
		    (e->id != NULL && strcmp(e->id, part) == 0));
	}
	return (0);
}

/*
 * Resolve m->default_spec the way GRUB does: a number counts top-level
 * items, "A>B" descends into a submenu, anything else is a title or --id.
 * What matches nothing falls back to the first entry with a kernel, as GRUB
 * does; returns -1 then (0 when the spec named an entry).
 */
static int
menu_resolve_default(struct bootloader_menu *m)
{
	const char	*spec = m->default_spec != NULL ? m->default_spec : "";
	char		*top = NULL, *rest;
	int		 topidx = -1, rc = -1;
	size_t		 i;

	m->default_entry = -1;
	for (i = 0; i < m->nentries; i++) {
		if (m->entries[i].kernel != NULL) {
			m->default_entry = (int)i;
			break;
		}
	}
	if (*spec == '\0' || m->nentries == 0)
		return (*spec == '\0' ? 0 : -1);
	top = xstrdup(spec);
	if ((rest = strchr(top, '>')) != NULL)
		*rest++ = '\0';

	/* The top-level position the first part names. */
	if (all_digits(top) && strlen(top) < 6)
		topidx = atoi(top);
	else {
		for (i = 0; i + 1 < m->ntops && topidx == -1; i += 2) {
			if ((*m->tops[i] != '\0' &&
			    strcmp(m->tops[i], top) == 0) ||
			    (m->tops[i + 1] != NULL &&
			    strcmp(m->tops[i + 1], top) == 0))
				topidx = (int)(i / 2);
		}
	}
	if (topidx == -1)
		goto fallback;
	for (i = 0; i < m->nentries; i++) {
		const struct bootloader_entry *e = &m->entries[i];

		if (e->index != topidx)
			continue;
		if (rest == NULL && e->subindex == -1) {
			m->default_entry = (int)i;
			rc = 0;
			goto out;
		}
		if (rest != NULL && e->subindex != -1 &&
		    spec_match(e, rest, 1)) {
			m->default_entry = (int)i;
			rc = 0;
			goto out;
		}
	}
fallback:
	log_debug("%s: default '%s' names no entry, using the first", __func__,
	    spec);
out:
	free(top);
	return (rc);
}

int
bootloader_menu_select(struct bootloader_menu *m, const char *spec)
{
	free(m->default_spec);
	m->default_spec = xstrdup(spec);
	return (menu_resolve_default(m));
}

/* ---- grub.cfg ----------------------------------------------------------- */

enum gc_block { GC_ENTRY, GC_SUBMENU, GC_OTHER };

struct gc_var {
	char	*name;
	char	*value;
};

struct gc {
	const char		*p, *end;
	const char		*file;
	int			 line;		/* where the reader is */
	int			 cmd_line;	/* where the command began */
	int			 running;	/* errors name cmd_line */
	char		       **cause;

	struct gc_var		*vars;
	size_t			 nvars;

	enum gc_block		 stack[BL_MAX_DEPTH];
	int			 stack_line[BL_MAX_DEPTH];
	size_t			 stack_vars[BL_MAX_DEPTH];
	int			 depth;

	int			 top;		/* next top-level position */
	int			 sub;		/* next place in the submenu */
	int			 cur_top;	/* the open submenu's place */
	struct bootloader_entry	*entry;		/* the open menuentry */

	struct bootloader_menu	*menu;
};

static int printflike(2, 3)
gc_error(struct gc *g, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	*g->cause = xprintf("%s:%d: %s", g->file,
	    g->running ? g->cmd_line : g->line, msg);
	free(msg);
	return (-1);
}

static const char *
gc_get(struct gc *g, const char *name)
{
	size_t	 i;

	for (i = g->nvars; i > 0; i--) {
		if (strcmp(g->vars[i - 1].name, name) == 0)
			return (g->vars[i - 1].value);
	}
	return (NULL);
}

/* set NAME=VALUE: inside an entry a new binding, dropped when it closes. */
static int
gc_set(struct gc *g, const char *name, const char *value, int scoped)
{
	size_t	 i;

	if (!scoped) {
		for (i = 0; i < g->nvars; i++) {
			if (strcmp(g->vars[i].name, name) == 0) {
				free(g->vars[i].value);
				g->vars[i].value = xstrdup(value);
				return (0);
			}
		}
	}
	if (g->nvars >= BL_MAX_VARS)
		return (gc_error(g, "more than %d variables", BL_MAX_VARS));
	g->vars = xreallocarray(g->vars, g->nvars + 1, sizeof *g->vars);
	g->vars[g->nvars].name = xstrdup(name);
	g->vars[g->nvars].value = xstrdup(value);
	g->nvars++;
	return (0);
}

static void
gc_truncate_vars(struct gc *g, size_t n)
{
	while (g->nvars > n) {
		g->nvars--;
		free(g->vars[g->nvars].name);
		free(g->vars[g->nvars].value);
	}
}

struct gc_word {
	char	buf[BL_MAX_WORD + 1];
	size_t	len;
	int	quoted;		/* a quote was seen: keep it even if empty */
};

static int
gc_put(struct gc *g, struct gc_word *w, const char *s, size_t n)
{
	if (w->len + n > BL_MAX_WORD)
		return (gc_error(g, "word longer than %d bytes", BL_MAX_WORD));
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
	return (0);
}

/* $name or ${name} at g->p (just after the '$'). */
static int
gc_expand(struct gc *g, struct gc_word *w)
{
	char		 name[128];
	size_t		 n = 0;
	const char	*v;

	if (g->p < g->end && *g->p == '{') {
		g->p++;
		while (g->p < g->end && *g->p != '}' && *g->p != '\n') {
			if (n + 1 >= sizeof name)
				return (gc_error(g, "variable name too long"));
			name[n++] = *g->p++;
		}
		if (g->p >= g->end || *g->p != '}')
			return (gc_error(g, "unterminated ${"));
		g->p++;
	} else if (g->p < g->end && (*g->p == '?' || *g->p == '#' ||
	    *g->p == '@' || *g->p == '*'))
		name[n++] = *g->p++;
	else {
		while (g->p < g->end && (isalnum((unsigned char)*g->p) ||
		    *g->p == '_')) {
			if (n + 1 >= sizeof name)
				return (gc_error(g, "variable name too long"));
			name[n++] = *g->p++;
		}
		if (n == 0)
			return (gc_put(g, w, "$", 1));
	}
	name[n] = '\0';
	if ((v = gc_get(g, name)) != NULL)
		return (gc_put(g, w, v, strlen(v)));
	return (0);
}

/*
 * Read one command into *argv (NULL-terminated, caller frees). Returns 1 for
 * a command, 0 at the end of the input, -1 on error.
 */
static int
gc_command(struct gc *g, char ***argv)
{
	struct gc_word	*w;
	char	       **v = NULL;
	size_t		 nv = 0;
	int		 in_word, done = 0, rc = -1, qline, wline;
	const char	*ws;
	char		 c;

	w = xmalloc(sizeof *w);
	*argv = NULL;
	while (!done) {
		/* Blanks and line continuations between words. */
		while (g->p < g->end) {
			if (*g->p == ' ' || *g->p == '\t' || *g->p == '\r')
				g->p++;
			else if (*g->p == '\\' && g->p + 1 < g->end &&
			    g->p[1] == '\n') {
				g->p += 2;
				g->line++;
			} else
				break;
		}
		if (g->p >= g->end)
			break;
		c = *g->p;
		if (c == '\n' || c == ';') {
			g->p++;
			if (c == '\n')
				g->line++;
			if (nv > 0)
				break;
			continue;
		}
		if (c == '#') {
			while (g->p < g->end && *g->p != '\n')
				g->p++;
			continue;
		}

		/* One word. */
		if (nv == 0)
			g->cmd_line = g->line;
		ws = g->p;
		wline = g->line;
		w->len = 0;
		w->buf[0] = '\0';
		w->quoted = 0;
		in_word = 1;
		while (in_word && g->p < g->end) {
			c = *g->p;
			switch (c) {
			case ' ': case '\t': case '\r': case '\n': case ';':
				in_word = 0;
				break;
			case '\'':
				w->quoted = 1;
				qline = g->line;
				g->p++;
				while (g->p < g->end && *g->p != '\'') {
					if (*g->p == '\n')
						g->line++;
					if (gc_put(g, w, g->p++, 1) != 0)
						goto out;
				}
				if (g->p >= g->end) {
					g->line = qline;
					gc_error(g, "unterminated ' quote");
					goto out;
				}
				g->p++;
				break;
			case '"':
				w->quoted = 1;
				qline = g->line;
				g->p++;
				while (g->p < g->end && *g->p != '"') {
					c = *g->p;
					if (c == '\\' && g->p + 1 < g->end &&
					    strchr("\"\\$\n", g->p[1])) {
						if (g->p[1] == '\n') {
							g->line++;
							g->p += 2;
							continue;
						}
						g->p++;
						if (gc_put(g, w, g->p++, 1))
							goto out;
						continue;
					}
					if (c == '$') {
						g->p++;
						if (gc_expand(g, w) != 0)
							goto out;
						continue;
					}
					if (c == '\n')
						g->line++;
					if (gc_put(g, w, g->p++, 1) != 0)
						goto out;
				}
				if (g->p >= g->end) {
					g->line = qline;
					gc_error(g, "unterminated \" quote");
					goto out;
				}
				g->p++;
				break;
			case '\\':
				g->p++;
				if (g->p >= g->end)
					break;
				if (*g->p == '\n') {
					g->line++;
					g->p++;
					break;
				}
				w->quoted = 1;
				if (gc_put(g, w, g->p++, 1) != 0)
					goto out;
				break;
			case '$':
				g->p++;
				if (gc_expand(g, w) != 0)
					goto out;
				break;
			default:
				if (gc_put(g, w, g->p++, 1) != 0)
					goto out;
				break;
			}
		}
		if (w->len == 0 && !w->quoted)
			continue;	/* an unquoted expansion to nothing */
		/*
		 * Braces are words of their own: "{" ends the command that
		 * opens a block (its body may follow on the same line) and
		 * "}" is a command by itself.
		 */
		if (!w->quoted && strcmp(w->buf, "}") == 0 && nv > 0) {
			g->p = ws;
			g->line = wline;
			break;
		}
		if (!w->quoted && (strcmp(w->buf, "{") == 0 ||
		    strcmp(w->buf, "}") == 0))
			done = 1;
		if (nv >= BL_MAX_WORDS) {
			gc_error(g, "more than %d words in a command",
			    BL_MAX_WORDS);
			goto out;
		}
		v = xreallocarray(v, nv + 2, sizeof *v);
		v[nv++] = xstrndup(w->buf, w->len);
		v[nv] = NULL;
	}
	if (nv == 0) {
		rc = 0;
		goto out;
	}
	*argv = v;
	v = NULL;
	rc = 1;
out:
	strv_free(v);
	free(w);
	return (rc);
}

/* Strip a GRUB device, "(hd0,msdos1)/boot/x" -> "/boot/x". */
static char *
gc_path(const char *s)
{
	const char	*p, *slash;

	if (*s == '(') {
		/* Up to the last ')' before the first '/'. */
		slash = strchr(s, '/');
		p = slash != NULL ? slash : s + strlen(s);
		while (p > s && p[-1] != ')')
			p--;
		if (p > s)
			s = p;
	}
	if (*s == '\0')
		return (NULL);
	if (*s == '/')
		return (xstrdup(s));
	return (xprintf("/%s", s));
}

static char *
gc_join(struct gc *g, char **v)
{
	size_t	 len = 0, i, n;
	char	*s;

	for (i = 0; v[i] != NULL; i++)
		len += strlen(v[i]) + 1;
	if (len > BL_MAX_ARGS) {
		gc_error(g, "kernel command line longer than %d bytes",
		    BL_MAX_ARGS);
		return (NULL);
	}
	s = xmalloc(len + 1);
	s[0] = '\0';
	for (i = 0, n = 0; v[i] != NULL; i++) {
		if (i > 0)
			s[n++] = ' ';
		memcpy(s + n, v[i], strlen(v[i]));
		n += strlen(v[i]);
	}
	s[n] = '\0';
	return (s);
}

static int
gc_push(struct gc *g, enum gc_block b)
{
	if (g->depth >= BL_MAX_DEPTH)
		return (gc_error(g, "blocks nested deeper than %d",
		    BL_MAX_DEPTH));
	g->stack[g->depth] = b;
	g->stack_line[g->depth] = g->cmd_line;
	g->stack_vars[g->depth] = g->nvars;
	g->depth++;
	return (0);
}

static int
gc_in_other(struct gc *g)
{
	int	 i;

	for (i = 0; i < g->depth; i++) {
		if (g->stack[i] == GC_OTHER)
			return (1);
	}
	return (0);
}

/* menuentry TITLE [--class C] [--id ID] ... { */
static int
gc_menuentry(struct gc *g, char **v, size_t n, int submenu)
{
	const char	*id = NULL, *title;
	size_t		 i;
	int		 in_sub;

	if (n < 3 || strcmp(v[n - 1], "{") != 0)
		return (gc_error(g, "%s without a title and {", v[0]));
	title = v[1];
	for (i = 2; i + 1 < n; i++) {
		if (strcmp(v[i], "--id") == 0 && i + 2 < n)
			id = v[++i];
		else if (strncmp(v[i], "--id=", 5) == 0)
			id = v[i] + 5;
		else if ((strcmp(v[i], "--class") == 0 ||
		    strcmp(v[i], "--users") == 0 ||
		    strcmp(v[i], "--hotkey") == 0 ||
		    strcmp(v[i], "--source") == 0) && i + 2 < n)
			i++;
	}

	in_sub = g->depth > 0 && g->stack[g->depth - 1] == GC_SUBMENU;
	if (gc_in_other(g) || g->entry != NULL ||
	    (g->depth > 0 && !in_sub) || (submenu && in_sub)) {
		/* Deeper than GRUB's defaults reach: balance, ignore. */
		return (gc_push(g, GC_OTHER));
	}
	if (g->menu->nentries >= BL_MAX_ENTRIES)
		return (gc_error(g, "more than %d menu entries",
		    BL_MAX_ENTRIES));
	if (submenu) {
		g->cur_top = g->top++;
		g->sub = 0;
		menu_add_top(g->menu, title, id);
		return (gc_push(g, GC_SUBMENU));
	}
	if (in_sub)
		g->entry = menu_add(g->menu, title, g->cur_top, g->sub++);
	else {
		g->entry = menu_add(g->menu, title, g->top++, -1);
		menu_add_top(g->menu, title, id);
	}
	if (id != NULL)
		g->entry->id = xstrdup(id);
	g->entry->line = g->cmd_line;
	return (gc_push(g, GC_ENTRY));
}

static int
gc_run(struct gc *g, char **v)
{
	size_t	 n = strv_len(v), i;
	char	*eq, *s;

	/* Shell keywords: run what follows them, ignore the conditions. */
	while (n > 0 && (strcmp(v[0], "then") == 0 ||
	    strcmp(v[0], "else") == 0 || strcmp(v[0], "do") == 0)) {
		v++;
		n--;
	}
	if (n == 0 || strcmp(v[0], "if") == 0 || strcmp(v[0], "elif") == 0 ||
	    strcmp(v[0], "fi") == 0 || strcmp(v[0], "while") == 0 ||
	    strcmp(v[0], "until") == 0 || strcmp(v[0], "for") == 0 ||
	    strcmp(v[0], "done") == 0)
		return (0);

	if (strcmp(v[0], "}") == 0) {
		if (g->depth == 0)
			return (gc_error(g, "} without a block"));
		g->depth--;
		if (g->stack[g->depth] == GC_ENTRY) {
			gc_truncate_vars(g, g->stack_vars[g->depth]);
			g->entry = NULL;
		}
		return (0);
	}
	if (strcmp(v[0], "menuentry") == 0)
		return (gc_menuentry(g, v, n, 0));
	if (strcmp(v[0], "submenu") == 0)
		return (gc_menuentry(g, v, n, 1));
	if (strcmp(v[n - 1], "{") == 0)
		return (gc_push(g, GC_OTHER));	/* function NAME { ... */
	if (gc_in_other(g))
		return (0);

	if (strcmp(v[0], "set") == 0) {
		for (i = 1; i < n; i++) {
			if ((eq = strchr(v[i], '=')) == NULL || eq == v[i])
				continue;
			*eq = '\0';
			if (gc_set(g, v[i], eq + 1, g->entry != NULL) != 0)
				return (-1);
		}
		return (0);
	}
	if (g->entry == NULL)
		return (0);
	if (strcmp(v[0], "linux") == 0 || strcmp(v[0], "linux16") == 0 ||
	    strcmp(v[0], "linuxefi") == 0) {
		if (n < 2)
			return (gc_error(g, "%s without a kernel", v[0]));
		if ((s = gc_join(g, v + 2)) == NULL)
			return (-1);
		free(g->entry->kernel);
		free(g->entry->args);
		g->entry->kernel = gc_path(v[1]);
		g->entry->args = s;
	} else if (strcmp(v[0], "initrd") == 0 ||
	    strcmp(v[0], "initrd16") == 0 || strcmp(v[0], "initrdefi") == 0) {
		if (n < 2)
			return (gc_error(g, "%s without a file", v[0]));
		if (n > 2)
			log_debug("%s: %s:%d: only the first initrd is used",
			    __func__, g->file, g->line);
		free(g->entry->ramdisk);
		g->entry->ramdisk = gc_path(v[1]);
	} else if (strcmp(v[0], "multiboot") == 0 ||
	    strcmp(v[0], "multiboot2") == 0) {
		g->entry->multiboot = 1;
		if (n < 2)
			return (gc_error(g, "%s without an image", v[0]));
		if ((s = gc_join(g, v + 2)) == NULL)
			return (-1);
		free(g->entry->hypervisor);
		free(g->entry->hv_args);
		g->entry->hypervisor = gc_path(v[1]);
		g->entry->hv_args = s;
	} else if (strcmp(v[0], "module") == 0 ||
	    strcmp(v[0], "module2") == 0) {
		/* module2 [--nounzip] PATH ARGS... */
		for (i = 1; i < n && strncmp(v[i], "--", 2) == 0; i++)
			;
		if (i >= n)
			return (gc_error(g, "%s without a file", v[0]));
		if ((s = gc_join(g, v + i + 1)) == NULL)
			return (-1);
		if ((eq = gc_path(v[i])) == NULL) {
			free(s);
			return (gc_error(g, "%s without a file", v[0]));
		}
		if (*s != '\0') {
			char *m = xprintf("%s %s", eq, s);

			free(eq);
			eq = m;
		}
		free(s);
		strv_push(&g->entry->modules, eq);
		free(eq);
	}
	return (0);
}

int
bootloader_parse_grubcfg(const char *file, const char *buf, size_t len,
    struct bootloader_menu *menu, char **cause)
{
	struct gc	 g;
	char	       **v = NULL;
	const char	*def;
	int		 r, rc = -1;

	memset(menu, 0, sizeof *menu);
	menu->default_entry = -1;
	memset(&g, 0, sizeof g);
	g.p = buf;
	g.end = buf + len;
	g.file = file;
	g.line = 1;
	g.cause = cause;
	g.menu = menu;
	if (len > BL_MAX_CFG) {
		*cause = xprintf("%s: larger than %d bytes", file, BL_MAX_CFG);
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		*cause = xprintf("%s: not a text file (NUL byte)", file);
		goto out;
	}
	while ((r = gc_command(&g, &v)) == 1) {
		g.running = 1;
		r = gc_run(&g, v);
		g.running = 0;
		strv_free(v);
		v = NULL;
		if (r != 0)
			goto out;
	}
	if (r == -1)
		goto out;
	if (g.depth > 0) {
		g.running = 1;
		g.cmd_line = g.stack_line[g.depth - 1];
		gc_error(&g, "block opened here is never closed");
		goto out;
	}
	def = gc_get(&g, "default");
	menu->default_spec = xstrdup(def != NULL ? def : "");
	menu_resolve_default(menu);
	rc = 0;
out:
	if (rc != 0)
		bootloader_menu_free(menu);
	gc_truncate_vars(&g, 0);
	free(g.vars);
	return (rc);
}

/* ---- menu.lst (grub-legacy) --------------------------------------------- */

int
bootloader_parse_menulst(const char *file, const char *buf, size_t len,
    struct bootloader_menu *menu, char **cause)
{
	struct bootloader_entry	*e = NULL;
	const char		*p = buf, *end = buf + len, *nl;
	char			 line[BL_MAX_LINE + 1], *kw, *arg, *sp;
	size_t			 n;
	int			 lineno = 0, top = 0, rc = -1;

	memset(menu, 0, sizeof *menu);
	menu->default_entry = -1;
	if (len > BL_MAX_CFG) {
		*cause = xprintf("%s: larger than %d bytes", file, BL_MAX_CFG);
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		*cause = xprintf("%s: not a text file (NUL byte)", file);
		goto out;
	}
	while (p < end) {
		lineno++;
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		n = nl - p;
		if (n > BL_MAX_LINE) {
			*cause = xprintf("%s:%d: line longer than %d bytes",
			    file, lineno, BL_MAX_LINE);
			goto out;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl < end ? nl + 1 : end;
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';

		kw = line;
		while (isspace((unsigned char)*kw))
			kw++;
		if (*kw == '\0' || *kw == '#')
			continue;
		arg = kw;
		while (*arg != '\0' && !isspace((unsigned char)*arg) &&
		    *arg != '=')
			arg++;
		if (*arg != '\0')
			*arg++ = '\0';
		while (isspace((unsigned char)*arg) || *arg == '=')
			arg++;

		if (strcmp(kw, "default") == 0) {
			free(menu->default_spec);
			menu->default_spec = xstrdup(all_digits(arg) ? arg :
			    "0");
		} else if (strcmp(kw, "title") == 0) {
			if (menu->nentries >= BL_MAX_ENTRIES) {
				*cause = xprintf("%s:%d: more than %d menu "
				    "entries", file, lineno, BL_MAX_ENTRIES);
				goto out;
			}
			e = menu_add(menu, arg, top++, -1);
			menu_add_top(menu, arg, NULL);
			e->line = lineno;
		} else if (e == NULL)
			continue;
		else if (strcmp(kw, "kernel") == 0) {
			if (*arg == '\0') {
				*cause = xprintf("%s:%d: kernel without a file",
				    file, lineno);
				goto out;
			}
			if ((sp = strpbrk(arg, " \t")) != NULL) {
				*sp++ = '\0';
				while (isspace((unsigned char)*sp))
					sp++;
			}
			free(e->kernel);
			free(e->args);
			e->kernel = gc_path(arg);
			e->args = xstrdup(sp != NULL ? sp : "");
		} else if (strcmp(kw, "initrd") == 0 && *arg != '\0') {
			if ((sp = strpbrk(arg, " \t")) != NULL)
				*sp = '\0';
			free(e->ramdisk);
			e->ramdisk = gc_path(arg);
		} else if (strcmp(kw, "module") == 0)
			e->multiboot = 1;
	}
	if (menu->default_spec == NULL)
		menu->default_spec = xstrdup("0");
	menu_resolve_default(menu);
	rc = 0;
out:
	if (rc != 0)
		bootloader_menu_free(menu);
	return (rc);
}

/* ---- the disk ----------------------------------------------------------- */

struct bl_part {
	int		 num;		/* 0: the whole disk */
	uint64_t	 offset;	/* bytes */
};

static uint32_t
le32(const unsigned char *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static uint64_t
le64(const unsigned char *p)
{
	return ((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
}

static int
read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t	 n;

	if (off > (uint64_t)INT64_MAX)
		return (-1);
	n = pread(fd, buf, len, (off_t)off);
	return (n == (ssize_t)len ? 0 : -1);
}

static void
add_part(struct bl_part *parts, size_t *n, int num, uint64_t lba,
    uint64_t size)
{
	if (*n >= BL_MAX_PARTS || lba == 0 || lba > size / 512)
		return;
	parts[*n].num = num;
	parts[*n].offset = lba * 512;
	(*n)++;
}

static int
is_extended(int type)
{
	return (type == 0x05 || type == 0x0f || type == 0x85);
}

static void
scan_gpt(int fd, uint64_t size, struct bl_part *parts, size_t *n)
{
	unsigned char	 hdr[512], ent[4096];
	uint64_t	 lba;
	uint32_t	 count, esize, i;
	static const unsigned char zero[16];

	if (read_at(fd, hdr, sizeof hdr, 512) != 0 ||
	    memcmp(hdr, "EFI PART", 8) != 0)
		return;
	lba = le64(hdr + 72);
	count = le32(hdr + 80);
	esize = le32(hdr + 84);
	if (count > 128 || esize < 128 || esize > sizeof ent ||
	    lba == 0 || lba > size / 512)
		return;
	for (i = 0; i < count; i++) {
		if (read_at(fd, ent, esize,
		    lba * 512 + (uint64_t)i * esize) != 0)
			return;
		if (memcmp(ent, zero, 16) == 0)
			continue;
		add_part(parts, n, (int)i + 1, le64(ent + 32), size);
	}
}

/*
 * The places a filesystem may start: MBR primaries and logicals, or GPT
 * entries, then the whole disk.
 */
static void
scan_parts(int fd, uint64_t size, struct bl_part *parts, size_t *n)
{
	unsigned char	 mbr[512], ebr[512];
	const unsigned char *pe;
	uint64_t	 ext = 0, cur;
	int		 i, type, valid = 1, logical = 5, hops;

	*n = 0;
	if (read_at(fd, mbr, sizeof mbr, 0) != 0 || mbr[510] != 0x55 ||
	    mbr[511] != 0xaa)
		goto whole;
	for (i = 0; i < 4; i++) {
		pe = mbr + 446 + 16 * i;
		if (pe[0] != 0 && pe[0] != 0x80)
			valid = 0;
	}
	if (!valid)
		goto whole;
	for (i = 0; i < 4; i++) {
		pe = mbr + 446 + 16 * i;
		type = pe[4];
		if (type == 0)
			continue;
		if (type == 0xee) {
			scan_gpt(fd, size, parts, n);
			continue;
		}
		if (is_extended(type)) {
			if (ext == 0)
				ext = le32(pe + 8);
			continue;
		}
		add_part(parts, n, i + 1, le32(pe + 8), size);
	}
	/* Logical partitions: a chain of EBRs inside the extended one. */
	for (cur = ext, hops = 0; cur != 0 && hops < BL_MAX_PARTS; hops++) {
		if (cur > size / 512 || read_at(fd, ebr, sizeof ebr,
		    cur * 512) != 0 || ebr[510] != 0x55 || ebr[511] != 0xaa)
			break;
		pe = ebr + 446;
		if (pe[4] != 0)
			add_part(parts, n, logical++, cur + le32(pe + 8), size);
		pe = ebr + 446 + 16;
		if (!is_extended(pe[4]) || le32(pe + 8) == 0)
			break;
		cur = ext + le32(pe + 8);
	}
whole:
	if (*n < BL_MAX_PARTS) {
		parts[*n].num = 0;
		parts[*n].offset = 0;
		(*n)++;
	}
}

static const char *
part_name(const struct bl_part *p, char *buf, size_t len)
{
	if (p->num == 0)
		snprintf(buf, len, "whole disk");
	else
		snprintf(buf, len, "partition %d", p->num);
	return (buf);
}

static int
bl_open(const char *disk, const struct bl_part *p, ext2_filsys *fs)
{
	char		 opts[64];
	errcode_t	 err;

	snprintf(opts, sizeof opts, "offset=%llu",
	    (unsigned long long)p->offset);
	*fs = NULL;
	err = ext2fs_open2(disk, opts, EXT2_FLAG_64BITS, 0, 0, unix_io_manager,
	    fs);
	if (err != 0) {
		log_debug("%s: %s at %llu: %s", __func__, disk,
		    (unsigned long long)p->offset, error_message(err));
		*fs = NULL;
		return (-1);
	}
	return (0);
}

/* The inode of a regular file PATH (symlinks followed), or 0. */
static ext2_ino_t
bl_lookup(ext2_filsys fs, const char *path, uint64_t *size)
{
	ext2_ino_t		 ino;
	struct ext2_inode	 inode;

	if (ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path,
	    &ino) != 0)
		return (0);
	if (ext2fs_read_inode(fs, ino, &inode) != 0 ||
	    !LINUX_S_ISREG(inode.i_mode))
		return (0);
	*size = EXT2_I_SIZE(&inode);
	return (ino);
}

/*
 * Copy file INO to FD (limit bytes at most), or read it into *buf when FD
 * is -1.
 */
static int
bl_copy(ext2_filsys fs, ext2_ino_t ino, uint64_t size, int fd, char **buf,
    char **cause)
{
	ext2_file_t	 file = NULL;
	errcode_t	 err;
	char		*chunk = NULL, *data = NULL;
	unsigned int	 got;
	uint64_t	 done = 0;
	ssize_t		 w;
	size_t		 off;
	int		 rc = -1;

	if ((err = ext2fs_file_open(fs, ino, 0, &file)) != 0) {
		*cause = xprintf("%s", error_message(err));
		goto out;
	}
	chunk = xmalloc(65536);
	if (fd == -1)
		data = xmalloc(size + 1);
	while (done < size) {
		err = ext2fs_file_read(file, chunk, 65536, &got);
		if (err != 0) {
			*cause = xprintf("%s", error_message(err));
			goto out;
		}
		if (got == 0)
			break;
		if (got > size - done)
			got = (unsigned int)(size - done);
		if (fd == -1)
			memcpy(data + done, chunk, got);
		else {
			for (off = 0; off < got; off += (size_t)w) {
				w = write(fd, chunk + off, got - off);
				if (w == -1 && errno == EINTR) {
					w = 0;
					continue;
				}
				if (w <= 0) {
					*cause = xprintf("write: %s",
					    strerror(errno));
					goto out;
				}
			}
		}
		done += got;
	}
	if (done != size) {
		*cause = xprintf("short read (%llu of %llu bytes)",
		    (unsigned long long)done, (unsigned long long)size);
		goto out;
	}
	if (fd == -1) {
		data[size] = '\0';
		*buf = data;
		data = NULL;
	}
	rc = 0;
out:
	if (file != NULL)
		ext2fs_file_close(file);
	free(chunk);
	free(data);
	return (rc);
}

static const struct {
	const char	*path;
	int		 legacy;
} bl_menus[] = {
	{ "/boot/grub/grub.cfg", 0 },
	{ "/grub/grub.cfg", 0 },
	{ "/boot/grub2/grub.cfg", 0 },
	{ "/grub2/grub.cfg", 0 },
	{ "/boot/grub/menu.lst", 1 },
	{ "/grub/menu.lst", 1 },
};

/*
 * The menu of the first filesystem on DISK that has one, or (WANT set) the
 * first filesystem holding the file WANT; fs left open.
 */
static int
bl_find_menu(const char *disk, const char *want, struct bootloader_menu *menu,
    ext2_filsys *fsp, char **where, char **cause)
{
	struct bl_part	 parts[BL_MAX_PARTS];
	struct stat	 st;
	ext2_filsys	 fs = NULL;
	ext2_ino_t	 ino;
	uint64_t	 size;
	size_t		 np, i, j;
	char		*buf = NULL, *err = NULL, name[32];
	int		 fd = -1, rc = -1, nfs = 0;

	*fsp = NULL;
	if ((fd = open(disk, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: %s", disk, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || (!S_ISREG(st.st_mode) &&
	    !S_ISBLK(st.st_mode))) {
		*cause = xprintf("%s: not a disk image or block device", disk);
		goto out;
	}
	size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode)) {
		off_t	 end = lseek(fd, 0, SEEK_END);

		size = end > 0 ? (uint64_t)end : 0;
	}
	scan_parts(fd, size, parts, &np);
	close(fd);
	fd = -1;

	initialize_ext2_error_table();
	for (i = 0; i < np; i++) {
		if (bl_open(disk, &parts[i], &fs) != 0)
			continue;
		nfs++;
		if (want != NULL) {
			if (bl_lookup(fs, want, &size) != 0) {
				part_name(&parts[i], name, sizeof name);
				*where = xprintf("%s: %s", disk, name);
				*fsp = fs;
				fs = NULL;
				rc = 0;
				goto out;
			}
			ext2fs_close_free(&fs);
			continue;
		}
		for (j = 0; j < nitems(bl_menus); j++) {
			if ((ino = bl_lookup(fs, bl_menus[j].path,
			    &size)) == 0)
				continue;
			part_name(&parts[i], name, sizeof name);
			if (size > BL_MAX_CFG) {
				*cause = xprintf("%s: %s: %s is larger than "
				    "%d bytes", disk, name, bl_menus[j].path,
				    BL_MAX_CFG);
				goto out;
			}
			if (bl_copy(fs, ino, size, -1, &buf, &err) != 0) {
				*cause = xprintf("%s: %s: %s: %s", disk, name,
				    bl_menus[j].path, err);
				goto out;
			}
			*where = xprintf("%s: %s", disk, name);
			if (bl_menus[j].legacy)
				rc = bootloader_parse_menulst(bl_menus[j].path,
				    buf, size, menu, &err);
			else
				rc = bootloader_parse_grubcfg(bl_menus[j].path,
				    buf, size, menu, &err);
			if (rc != 0) {
				*cause = xprintf("%s: %s", *where, err);
				free(*where);
				*where = NULL;
				goto out;
			}
			log_debug("%s: %s: %s, %zu entries, default %d",
			    __func__, *where, bl_menus[j].path,
			    menu->nentries, menu->default_entry);
			*fsp = fs;
			fs = NULL;
			goto out;
		}
		ext2fs_close_free(&fs);
	}
	if (want != NULL)
		*cause = xprintf("%s: no ext2/3/4 filesystem holds %s", disk,
		    want);
	else if (nfs == 0)
		*cause = xprintf("%s: no ext2/3/4 filesystem with "
		    "/boot/grub/grub.cfg found (no ext2/3/4 filesystem at all)",
		    disk);
	else
		*cause = xprintf("%s: no ext2/3/4 filesystem with "
		    "/boot/grub/grub.cfg found (nor /grub/grub.cfg, "
		    "menu.lst)", disk);
out:
	if (fs != NULL)
		ext2fs_close_free(&fs);
	if (fd != -1)
		close(fd);
	free(buf);
	free(err);
	return (rc);
}

int
bootloader_read_menu(const char *disk, struct bootloader_menu *menu,
    char **cause)
{
	ext2_filsys	 fs = NULL;
	char		*where = NULL;

	if (bl_find_menu(disk, NULL, menu, &fs, &where, cause) != 0)
		return (-1);
	ext2fs_close_free(&fs);
	free(where);
	return (0);
}

/* Copy PATH out of FS to OUTDIR/NAME (0600, by rename). */
static int
bl_extract_file(ext2_filsys fs, const char *where, const char *what,
    const char *path, uint64_t limit, const char *outdir, const char *name,
    char **out, char **cause)
{
	ext2_ino_t	 ino;
	uint64_t	 size;
	char		*tmp = NULL, *dst = NULL, *err = NULL;
	int		 fd = -1, rc = -1;

	if ((ino = bl_lookup(fs, path, &size)) == 0) {
		*cause = xprintf("%s: %s %s not found", where, what, path);
		goto out;
	}
	if (size > limit) {
		*cause = xprintf("%s: %s %s is larger than %llu MiB", where,
		    what, path, (unsigned long long)(limit >> 20));
		goto out;
	}
	tmp = xprintf("%s/.%s.XXXXXX", outdir, name);
	dst = xprintf("%s/%s", outdir, name);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0600) != 0 ||
	    bl_copy(fs, ino, size, fd, NULL, &err) != 0) {
		*cause = xprintf("%s: %s %s: %s", where, what, path,
		    err != NULL ? err : strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, dst) != 0) {
		*cause = xprintf("%s: %s", dst, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	log_debug("%s: %s %s -> %s (%llu bytes)", __func__, what, path, dst,
	    (unsigned long long)size);
	*out = dst;
	dst = NULL;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(dst);
	free(err);
	return (rc);
}

void
bootloader_opts_free(struct bootloader_opts *o)
{
	if (o == NULL)
		return;
	free(o->entry);
	free(o->kernel);
	free(o->ramdisk);
	free(o->args);
	memset(o, 0, sizeof *o);
}

/*
 * xl.cfg's bootloader_args, as pygrub takes them: --entry=, --kernel=,
 * --ramdisk=, --args= (also as two words); -q, -i and pygrub's output
 * options are accepted and ignored.
 */
int
bootloader_opts_parse(char *const *argv, struct bootloader_opts *o,
    char **cause)
{
	static const char *names[] = { "--entry", "--kernel", "--ramdisk",
	    "--args" };
	char		**slot[4];
	const char	 *a, *val;
	size_t		  i, k, n;

	memset(o, 0, sizeof *o);
	slot[0] = &o->entry;
	slot[1] = &o->kernel;
	slot[2] = &o->ramdisk;
	slot[3] = &o->args;
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		a = argv[i];
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0 ||
		    strcmp(a, "-i") == 0 || strcmp(a, "--interactive") == 0 ||
		    strncmp(a, "--output-format=", 16) == 0 ||
		    strncmp(a, "--output-directory=", 19) == 0 ||
		    strncmp(a, "--output=", 9) == 0) {
			log_debug("%s: ignoring %s", __func__, a);
			continue;
		}
		for (k = 0; k < nitems(names); k++) {
			n = strlen(names[k]);
			if (strncmp(a, names[k], n) == 0 &&
			    (a[n] == '=' || a[n] == '\0'))
				break;
		}
		if (k == nitems(names)) {
			*cause = xprintf("bootloader_args: unknown option "
			    "'%s' (xendeck's pygrub takes --entry, --kernel, "
			    "--ramdisk, --args)", a);
			goto fail;
		}
		if (a[n] == '=')
			val = a + n + 1;
		else if (argv[i + 1] != NULL)
			val = argv[++i];
		else {
			*cause = xprintf("bootloader_args: %s needs a value",
			    a);
			goto fail;
		}
		free(*slot[k]);
		*slot[k] = xstrdup(val);
	}
	if (o->ramdisk != NULL && o->kernel == NULL) {
		*cause = xprintf("bootloader_args: --ramdisk needs --kernel");
		goto fail;
	}
	return (0);
fail:
	bootloader_opts_free(o);
	return (-1);
}

int
bootloader_extract(const char *disk_image, const char *outdir, char **kernel,
    char **ramdisk, char **args, char **cause)
{
	return (bootloader_extract_opts(disk_image, outdir, NULL, kernel,
	    ramdisk, args, cause));
}

int
bootloader_extract_opts(const char *disk_image, const char *outdir,
    const struct bootloader_opts *o, char **kernel, char **ramdisk,
    char **args, char **cause)
{
	struct bootloader_menu	 menu;
	const struct bootloader_entry *e;
	ext2_filsys		 fs = NULL;
	char			*where = NULL, *k = NULL, *r = NULL;
	char			*path = NULL, *rpath_buf = NULL;
	const char		*kpath, *rpath, *cmdline, *title;
	int			 rc = -1;

	*kernel = *ramdisk = *args = NULL;
	memset(&menu, 0, sizeof menu);
	if (o != NULL && o->kernel != NULL) {
		/* pygrub --kernel: no menu, the files named. */
		path = gc_path(o->kernel);
		if (path == NULL) {
			*cause = xprintf("bootloader_args: --kernel=%s is not "
			    "a path", o->kernel);
			goto out;
		}
		if (bl_find_menu(disk_image, path, &menu, &fs, &where,
		    cause) != 0)
			goto out;
		kpath = path;
		if (o->ramdisk != NULL &&
		    (rpath_buf = gc_path(o->ramdisk)) == NULL) {
			*cause = xprintf("bootloader_args: --ramdisk=%s is "
			    "not a path", o->ramdisk);
			goto out;
		}
		rpath = rpath_buf;
		cmdline = o->args != NULL ? o->args : "";
		title = "--kernel";
		goto extract;
	}
	if (bl_find_menu(disk_image, NULL, &menu, &fs, &where, cause) != 0)
		goto out;
	if (o != NULL && o->entry != NULL &&
	    bootloader_menu_select(&menu, o->entry) != 0) {
		*cause = xprintf("%s: --entry=%s names no menu entry", where,
		    o->entry);
		goto out;
	}
	if (menu.default_entry < 0) {
		*cause = xprintf("%s: the boot menu has no entry with a "
		    "linux kernel", where);
		goto out;
	}
	e = &menu.entries[menu.default_entry];
	if (e->multiboot) {
		*cause = xprintf("%s: entry '%s' boots a multiboot kernel "
		    "(a hypervisor), not Linux", where, e->title);
		goto out;
	}
	if (e->kernel == NULL) {
		*cause = xprintf("%s: entry '%s' names no kernel", where,
		    e->title);
		goto out;
	}
	kpath = e->kernel;
	rpath = e->ramdisk;
	cmdline = e->args != NULL ? e->args : "";
	title = e->title;
extract:
	if (bl_extract_file(fs, where, "kernel", kpath, BL_MAX_KERNEL,
	    outdir, "kernel", &k, cause) != 0)
		goto out;
	if (rpath != NULL && bl_extract_file(fs, where, "initrd", rpath,
	    BL_MAX_RAMDISK, outdir, "ramdisk", &r, cause) != 0)
		goto out;
	log_debug("%s: %s: booting '%s': %s %s", __func__, where, title,
	    kpath, cmdline);
	if (o != NULL && o->args != NULL && o->kernel == NULL && *o->args)
		*args = *cmdline != '\0' ? xprintf("%s %s", cmdline,
		    o->args) : xstrdup(o->args);
	else
		*args = xstrdup(cmdline);
	*kernel = k;
	*ramdisk = r;
	k = r = NULL;
	rc = 0;
out:
	if (k != NULL)
		unlink(k);
	free(k);
	free(r);
	free(path);
	free(rpath_buf);
	if (fs != NULL)
		ext2fs_close_free(&fs);
	bootloader_menu_free(&menu);
	free(where);
	return (rc);
}
