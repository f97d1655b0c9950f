/*
 * Themes: semantic colour slots (style.md, rule 14). Two schemes are
 * compiled in (default and mono); themes/NAME.yaml maps slot names to a
 * foreground, a background and attributes:
 *
 *	header: { fg: black, bg: cyan, attrs: [bold] }
 *
 * A theme starts from the default scheme, so it names only what it
 * changes. Unknown slots, colours or attributes are errors naming
 * FILE:LINE:COL; the caller then falls back to the default.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "console.h"

const char *const theme_slot_names[COL_NSLOTS] = {
	[COL_NORMAL] = "normal",
	[COL_TITLE] = "title",
	[COL_TAB] = "tab",
	[COL_TAB_ACTIVE] = "tab_active",
	[COL_HEADER] = "header",
	[COL_HEADER_SORT] = "header_sort",
	[COL_SELECTED] = "selected",
	[COL_STATUS] = "status",
	[COL_ERROR] = "error",
	[COL_OK] = "ok",
	[COL_PROMPT] = "prompt",
	[COL_KEY] = "key",
	[COL_DIM] = "dim",
	[COL_SPARK] = "spark",
	[COL_BORDER] = "border",
	[COL_DOM_RUNNING] = "dom_running",
	[COL_DOM_BLOCKED] = "dom_blocked",
	[COL_DOM_PAUSED] = "dom_paused",
	[COL_DOM_SHUTDOWN] = "dom_shutdown",
	[COL_DOM_CRASHED] = "dom_crashed",
	[COL_DOM_DYING] = "dom_dying",
	[COL_WARNING] = "warning",
};

static const struct {
	const char	*name;
	short		 colour;
} colour_names[] = {
	{ "default", -1 }, { "black", COLOR_BLACK }, { "red", COLOR_RED },
	{ "green", COLOR_GREEN }, { "yellow", COLOR_YELLOW },
	{ "blue", COLOR_BLUE }, { "magenta", COLOR_MAGENTA },
	{ "cyan", COLOR_CYAN }, { "white", COLOR_WHITE },
	{ "bright-black", 8 }, { "bright-red", 9 }, { "bright-green", 10 },
	{ "bright-yellow", 11 }, { "bright-blue", 12 },
	{ "bright-magenta", 13 }, { "bright-cyan", 14 },
	{ "bright-white", 15 },
};

static const struct {
	const char	*name;
	attr_t		 attr;
} attr_names[] = {
	{ "bold", A_BOLD }, { "dim", A_DIM }, { "underline", A_UNDERLINE },
	{ "reverse", A_REVERSE }, { "standout", A_STANDOUT },
	{ "blink", A_BLINK }, { "italic", A_ITALIC },
};

/* The current theme's attributes, set by theme_apply(). */
static attr_t	 applied[COL_NSLOTS];

#define S(i, f, b, a) t->slot[i] = (struct theme_style){ f, b, a }
void
theme_default(struct theme *t)
{
	free(t->name);
	memset(t, 0, sizeof *t);
	t->name = xstrdup("default");
	S(COL_NORMAL, -1, -1, A_NORMAL);
	S(COL_TITLE, COLOR_BLACK, COLOR_CYAN, A_BOLD);
	S(COL_TAB, COLOR_BLACK, COLOR_CYAN, A_NORMAL);
	S(COL_TAB_ACTIVE, COLOR_WHITE, COLOR_BLUE, A_BOLD);
	S(COL_HEADER, COLOR_BLACK, COLOR_GREEN, A_NORMAL);
	S(COL_HEADER_SORT, COLOR_BLACK, COLOR_CYAN, A_BOLD);
	S(COL_SELECTED, COLOR_BLACK, COLOR_CYAN, A_NORMAL);
	S(COL_STATUS, -1, -1, A_NORMAL);
	S(COL_ERROR, COLOR_RED, -1, A_BOLD);
	S(COL_OK, COLOR_GREEN, -1, A_NORMAL);
	S(COL_PROMPT, COLOR_YELLOW, -1, A_BOLD);
	S(COL_KEY, COLOR_CYAN, -1, A_BOLD);
	S(COL_DIM, -1, -1, A_DIM);
	S(COL_SPARK, COLOR_CYAN, -1, A_NORMAL);
	S(COL_BORDER, COLOR_BLUE, -1, A_NORMAL);
	S(COL_DOM_RUNNING, COLOR_GREEN, -1, A_NORMAL);
	S(COL_DOM_BLOCKED, -1, -1, A_NORMAL);
	S(COL_DOM_PAUSED, COLOR_YELLOW, -1, A_NORMAL);
	S(COL_DOM_SHUTDOWN, COLOR_MAGENTA, -1, A_NORMAL);
	S(COL_DOM_CRASHED, COLOR_RED, -1, A_BOLD);
	S(COL_DOM_DYING, COLOR_RED, -1, A_NORMAL);
	S(COL_WARNING, COLOR_YELLOW, -1, A_BOLD);
}

/* No colour at all: attributes carry the meaning (NO_COLOR, vt100). */
void
theme_mono(struct theme *t)
{
	free(t->name);
	memset(t, 0, sizeof *t);
	t->name = xstrdup("mono");
	t->mono = 1;
	S(COL_NORMAL, -1, -1, A_NORMAL);
	S(COL_TITLE, -1, -1, A_REVERSE | A_BOLD);
	S(COL_TAB, -1, -1, A_REVERSE);
	S(COL_TAB_ACTIVE, -1, -1, A_BOLD | A_UNDERLINE);
	S(COL_HEADER, -1, -1, A_REVERSE);
	S(COL_HEADER_SORT, -1, -1, A_REVERSE | A_BOLD | A_UNDERLINE);
	S(COL_SELECTED, -1, -1, A_REVERSE);
	S(COL_STATUS, -1, -1, A_NORMAL);
	S(COL_ERROR, -1, -1, A_BOLD);
	S(COL_OK, -1, -1, A_NORMAL);
	S(COL_PROMPT, -1, -1, A_BOLD);
	S(COL_KEY, -1, -1, A_BOLD);
	S(COL_DIM, -1, -1, A_DIM);
	S(COL_SPARK, -1, -1, A_NORMAL);
	S(COL_BORDER, -1, -1, A_NORMAL);
	S(COL_DOM_RUNNING, -1, -1, A_NORMAL);
	S(COL_DOM_BLOCKED, -1, -1, A_NORMAL);
	S(COL_DOM_PAUSED, -1, -1, A_DIM);
	S(COL_DOM_SHUTDOWN, -1, -1, A_DIM);
	S(COL_DOM_CRASHED, -1, -1, A_BOLD);
	S(COL_DOM_DYING, -1, -1, A_DIM);
	S(COL_WARNING, -1, -1, A_BOLD | A_UNDERLINE);
}
#undef S

void
theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	t->name = NULL;
}

static int
parse_colour(const char *file, yaml_node_t *v, short *out, char **cause)
{
	const char	*s;
	size_t		 i;

	if (v->type != YAML_SCALAR_NODE) {
		*cause = ydoc_error(file, v, "a colour must be a name");
		return (-1);
	}
	s = (const char *)v->data.scalar.value;
	for (i = 0; i < nitems(colour_names); i++) {
		if (strcmp(colour_names[i].name, s) == 0) {
			*out = colour_names[i].colour;
			return (0);
		}
	}
	*cause = ydoc_error(file, v, "unknown colour: %s", s);
	return (-1);
}

static int
parse_attr(const char *file, yaml_node_t *v, attr_t *out, char **cause)
{
	const char	*s;
	size_t		 i;

	if (v->type != YAML_SCALAR_NODE) {
		*cause = ydoc_error(file, v, "an attribute must be a name");
		return (-1);
	}
	s = (const char *)v->data.scalar.value;
	if (strcmp(s, "normal") == 0)
		return (0);
	for (i = 0; i < nitems(attr_names); i++) {
		if (strcmp(attr_names[i].name, s) == 0) {
			*out |= attr_names[i].attr;
			return (0);
		}
	}
	*cause = ydoc_error(file, v, "unknown attribute: %s", s);
	return (-1);
}

/* One slot's mapping: { fg: NAME, bg: NAME, attrs: [NAME, ...] }. */
static int
parse_style(yaml_document_t *doc, const char *file, yaml_node_t *map,
    struct theme_style *st, char **cause)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v, *item;
	yaml_node_item_t	*it;
	const char		*key;
	attr_t			 attrs = 0;

	if (map->type != YAML_MAPPING_NODE) {
		*cause = ydoc_error(file, map,
		    "a slot takes a mapping: { fg: ..., bg: ..., attrs: "
		    "[...] }");
		return (-1);
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		v = yaml_document_get_node(doc, p->value);
		if (k->type != YAML_SCALAR_NODE) {
			*cause = ydoc_error(file, k, "bad key");
			return (-1);
		}
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "fg") == 0) {
			if (parse_colour(file, v, &st->fg, cause) != 0)
				return (-1);
		} else if (strcmp(key, "bg") == 0) {
			if (parse_colour(file, v, &st->bg, cause) != 0)
				return (-1);
		} else if (strcmp(key, "attrs") == 0) {
			if (v->type == YAML_SCALAR_NODE) {
				if (parse_attr(file, v, &attrs, cause) != 0)
					return (-1);
			} else if (v->type == YAML_SEQUENCE_NODE) {
				for (it = v->data.sequence.items.start;
				    it < v->data.sequence.items.top; it++) {
					item = yaml_document_get_node(doc, *it);
					if (parse_attr(file, item, &attrs,
					    cause) != 0)
						return (-1);
				}
			} else {
				*cause = ydoc_error(file, v,
				    "attrs takes a list of names");
				return (-1);
			}
			st->attrs = attrs;
		} else {
			*cause = ydoc_error(file, k,
			    "unknown key: %s (fg, bg or attrs)", key);
			return (-1);
		}
	}
	return (0);
}

/*
 * Parse a theme from buf (file names it in errors). On error t is left
 * as it was: the caller keeps what it had.
 */
int
theme_parse(struct theme *t, const char *file, const char *buf, size_t len,
    char **cause)
{
	yaml_document_t		*doc = NULL;
	yaml_node_t		*root, *k, *v;
	yaml_node_pair_t	*p;
	struct theme		 nt = { 0 };
	const char		*key;
	size_t			 i;
	int			 rc = -1;

	theme_default(&nt);
	if ((doc = ydoc_load(file, buf, len, cause)) == NULL)
		goto out;
	if ((root = yaml_document_get_root_node(doc)) == NULL) {
		*cause = xprintf("%s: empty theme", file);
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		*cause = ydoc_error(file, root,
		    "a theme is a mapping of slot names");
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		v = yaml_document_get_node(doc, p->value);
		if (k->type != YAML_SCALAR_NODE) {
			*cause = ydoc_error(file, k, "bad key");
			goto out;
		}
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "name") == 0 && v->type == YAML_SCALAR_NODE) {
			free(nt.name);
			nt.name = xstrdup((const char *)v->data.scalar.value);
			continue;
		}
		for (i = 0; i < COL_NSLOTS; i++) {
			if (strcmp(theme_slot_names[i], key) == 0)
				break;
		}
		if (i == COL_NSLOTS) {
			*cause = ydoc_error(file, k, "unknown slot: %s", key);
			goto out;
		}
		if (parse_style(doc, file, v, &nt.slot[i], cause) != 0)
			goto out;
	}
	theme_free(t);
	*t = nt;
	nt.name = NULL;
	rc = 0;
out:
	theme_free(&nt);
	ydoc_free(doc);
	return (rc);
}

int
theme_load(struct theme *t, const char *path, char **cause)
{
	char	*buf = NULL;
	size_t	 len;
	int	 rc;

	if (file_read_limit(path, YAML_MAX_SIZE, "a theme", &buf, &len,
	    cause) != 0)
		return (-1);
	rc = theme_parse(t, path, buf, len, cause);
	free(buf);
	return (rc);
}

/* The directory the running binary is in, for the uninstalled tree. */
static char *
exe_dir(void)
{
	char	 buf[PATH_MAX], *slash;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", buf, sizeof buf - 1)) <= 0)
		return (NULL);
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL)
		return (NULL);
	*slash = '\0';
	return (xstrdup(buf));
}

/*
 * A theme's file: a path as given, else NAME.yaml in the user's themes,
 * the source tree (run uninstalled) or $(pkgdatadir)/themes. NULL if none.
 */
char *
theme_find(const char *name)
{
	const char	*home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char		*dir, *path;

	if (strchr(name, '/') != NULL)
		return (xstrdup(name));
	if (xdg != NULL && *xdg != '\0')
		path = xprintf("%s/xendeck/themes/%s.yaml", xdg, name);
	else
		path = xprintf("%s/.config/xendeck/themes/%s.yaml",
		    home != NULL ? home : "/", name);
	if (access(path, R_OK) == 0)
		return (path);
	free(path);
	if ((dir = exe_dir()) != NULL) {
		path = xprintf("%s/themes/%s.yaml", dir, name);
		free(dir);
		if (access(path, R_OK) == 0)
			return (path);
		free(path);
	}
	path = xprintf("%s/themes/%s.yaml", XENDECK_DATADIR, name);
	if (access(path, R_OK) == 0)
		return (path);
	free(path);
	return (NULL);
}

/* Make t the current theme: colour pairs 1..COL_NSLOTS. */
void
theme_apply(const struct theme *t)
{
	int	 i, colour = !t->mono && has_colors();

	for (i = 0; i < COL_NSLOTS; i++) {
		applied[i] = t->slot[i].attrs;
		if (!colour)
			continue;
		if (t->slot[i].fg >= COLORS || t->slot[i].bg >= COLORS) {
			/* bright-* on an 8-colour terminal: bold instead */
			init_pair(i + 1, t->slot[i].fg % 8, t->slot[i].bg < 0 ?
			    -1 : t->slot[i].bg % 8);
			applied[i] |= A_BOLD;
		} else
			init_pair(i + 1, t->slot[i].fg, t->slot[i].bg);
		applied[i] |= COLOR_PAIR(i + 1);
	}
}

attr_t
theme_attr(enum theme_slot s)
{
	return (applied[s]);
}

/* A domain's colour from its state flags. */
attr_t
theme_dom_attr(int state)
{
	if (state & DOM_CRASHED)
		return (applied[COL_DOM_CRASHED]);
	if (state & DOM_DYING)
		return (applied[COL_DOM_DYING]);
	if (state & DOM_SHUTDOWN)
		return (applied[COL_DOM_SHUTDOWN]);
	if (state & DOM_PAUSED)
		return (applied[COL_DOM_PAUSED]);
	if (state & DOM_RUNNING)
		return (applied[COL_DOM_RUNNING]);
	return (applied[COL_DOM_BLOCKED]);
}
