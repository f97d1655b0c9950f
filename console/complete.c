/*
 * Completion's core, without the command table: an entry's synopsis
 * (cmd_syntax_parse: its usage, the option lines of its help, its
 * opts/longopts) and the words of `xendeck wizard NAME ...` from any table
 * of wizards (the tests use their own). cmd-complete.c serves the rest.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "wizards.h"

void
cpl_add(struct cpl *c, const char *word)
{
	size_t	 i;

	if (strncmp(word, c->cur, strlen(c->cur)) != 0)
		return;
	for (i = 0; c->words != NULL && c->words[i] != NULL; i++) {
		if (strcmp(c->words[i], word) == 0)
			return;
	}
	strv_push(&c->words, word);
}

static void
syn_add_opt(struct cmd_syntax *sx, const char *name, const char *arg)
{
	struct cmd_synopt	*o;
	size_t			 i;

	for (i = 0; i < sx->nopts; i++) {
		o = &sx->opts[i];
		if (strcmp(o->name, name) != 0)
			continue;
		if (o->arg == NULL && arg != NULL)
			o->arg = xstrdup(arg);
		return;
	}
	sx->opts = xreallocarray(sx->opts, sx->nopts + 1, sizeof *sx->opts);
	o = &sx->opts[sx->nopts++];
	o->name = xstrdup(name);
	o->arg = arg != NULL ? xstrdup(arg) : NULL;
}

/* An option word of a synopsis: "--csv|--json" is two flags. */
static void
syn_add_opts(struct cmd_syntax *sx, char *word, const char *arg)
{
	char	*alt, *last;

	if (strchr(word, '|') == NULL) {
		syn_add_opt(sx, word, arg);
		return;
	}
	for (alt = strtok_r(word, "|", &last); alt != NULL;
	    alt = strtok_r(NULL, "|", &last)) {
		if (*alt == '-')
			syn_add_opt(sx, alt, NULL);
	}
}

/* The usage: brackets and bars are structure, the rest words. */
static void
syn_usage(struct cmd_syntax *sx, const char *usage)
{
	char	**tok = NULL, *w, *copy, *p;
	size_t	  n = 0, i, len;

	copy = xstrdup(usage);
	for (p = copy; *p != '\0';) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '[' || *p == ']') {
			w = xmalloc(2);
			w[0] = *p++;
			w[1] = '\0';
		} else {
			len = strcspn(p, " []");
			w = xmalloc(len + 1);
			memcpy(w, p, len);
			w[len] = '\0';
			p += len;
		}
		tok = xreallocarray(tok, n + 1, sizeof *tok);
		tok[n++] = w;
	}
	for (i = 0; i < n; i++) {
		w = tok[i];
		if (strcmp(w, "[") == 0 || strcmp(w, "]") == 0 ||
		    strspn(w, "|.") == strlen(w))
			continue;
		len = strlen(w);
		if (len > 3 && strcmp(w + len - 3, "...") == 0) {
			w[len -= 3] = '\0';
			sx->repeat = 1;
		} else if (*w != '-')
			sx->repeat = 0;
		while (len > 0 && w[len - 1] == '|')
			w[--len] = '\0';
		w += strspn(w, "|");
		if (*w == '-') {
			/* Its argument follows in the same brackets. */
			if (i + 1 < n && strchr("[]|", *tok[i + 1]) == NULL &&
			    *tok[i + 1] != '-') {
				syn_add_opts(sx, w, tok[i + 1]);
				i++;
			} else
				syn_add_opts(sx, w, NULL);
			continue;
		}
		if (*w == '\0')
			continue;
		sx->operands = xreallocarray(sx->operands, sx->noperands + 1,
		    sizeof *sx->operands);
		sx->operands[sx->noperands++] = xstrdup(w);
	}
	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
	free(copy);
}

/*
 * The help's option lines: "  -i N          N samples", "  --json   one
 * JSON object": two blanks, the option and its argument, two blanks.
 */
static void
syn_help(struct cmd_syntax *sx, const char *help)
{
	char	*copy, *line, *next, *w1, *w2, *last;
	size_t	 n;

	if (help == NULL)
		return;
	copy = xstrdup(help);
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, "  -", 3) != 0)
			continue;
		/* The term ends at two blanks (or the line's end). */
		if ((w1 = strstr(line + 2, "  ")) != NULL)
			*w1 = '\0';
		w1 = strtok_r(line + 2, " ", &last);
		w2 = strtok_r(NULL, " ", &last);
		if (w1 == NULL)
			continue;
		n = strlen(w1);
		if (n > 0 && w1[n - 1] == ',') {
			/* "-v, --verbose" */
			w1[n - 1] = '\0';
			syn_add_opt(sx, w1, NULL);
			if (w2 == NULL)
				continue;
			w1 = w2;
			w2 = strtok_r(NULL, " ", &last);
		}
		syn_add_opts(sx, w1, w2 != NULL && *w2 != '-' ? w2 : NULL);
	}
	free(copy);
}

void
cmd_syntax_parse(const struct cmd_entry *e, struct cmd_syntax *sx)
{
	const struct option	*lo;
	const char		*p;
	char			 name[3], *long_name;

	memset(sx, 0, sizeof *sx);
	syn_usage(sx, e->usage);
	syn_help(sx, e->help);
	for (p = e->opts; p != NULL && *p != '\0'; p++) {
		if (*p == ':' || *p == '+')
			continue;
		snprintf(name, sizeof name, "-%c", *p);
		syn_add_opt(sx, name, p[1] == ':' ? "ARG" : NULL);
	}
	for (lo = e->longopts; lo != NULL && lo->name != NULL; lo++) {
		long_name = xprintf("--%s", lo->name);
		syn_add_opt(sx, long_name, lo->has_arg == required_argument ?
		    "ARG" : NULL);
		free(long_name);
	}
	if (e->confirm != 0) {
		syn_add_opt(sx, "-y", NULL);
		syn_add_opt(sx, "--yes", NULL);
	}
}

void
cmd_syntax_free(struct cmd_syntax *sx)
{
	size_t	 i;

	for (i = 0; i < sx->nopts; i++) {
		free(sx->opts[i].name);
		free(sx->opts[i].arg);
	}
	free(sx->opts);
	for (i = 0; i < sx->noperands; i++)
		free(sx->operands[i]);
	free(sx->operands);
	memset(sx, 0, sizeof *sx);
}

/* An option by name; "--set=x" finds --set. */
const struct cmd_synopt *
cmd_syntax_opt(const struct cmd_syntax *sx, const char *word)
{
	size_t	 i, n = strcspn(word, "=");

	for (i = 0; i < sx->nopts; i++) {
		if (strncmp(sx->opts[i].name, word, n) == 0 &&
		    sx->opts[i].name[n] == '\0')
			return (&sx->opts[i]);
	}
	return (NULL);
}

/* Words for a placeholder or a list: "DOMAIN|FILE", "fit|1:1". */
void
cpl_what(struct cpl *c, const struct cmd_entry *e, const char *what)
{
	char	*copy = xstrdup(what), *alt, *last;

	for (alt = strtok_r(copy, "|", &last); alt != NULL;
	    alt = strtok_r(NULL, "|", &last)) {
		if (strcmp(alt, "DOMAIN") == 0)
		{
			if (c->domains != NULL)
				c->domains(c, e == NULL ||
				    !(e->flags & CMD_NODOM0));
		}
		else if (strcmp(alt, "FILE") == 0)
			c->directives |= e != NULL ? CPL_CFGFILES : CPL_FILES;
		else if (strcmp(alt, "DIR") == 0)
			c->directives |= CPL_DIRS;
		else if (strcmp(alt, "COMMAND") == 0 && c->commands != NULL)
			c->commands(c);
		else if (strspn(alt, "abcdefghijklmnopqrstuvwxyz0123456789-:") ==
		    strlen(alt))
			cpl_add(c, alt);
	}
	free(copy);
}

/* An option's argument: its values, or files for FILE. */
void
cpl_optarg(struct cpl *c, const char *arg)
{
	if (arg == NULL)
		return;
	if (strcmp(arg, "FILE") == 0) {
		c->directives |= CPL_FILES;
		return;
	}
	cpl_what(c, NULL, arg);
}

void
cpl_options(struct cpl *c, const struct cmd_syntax *sx)
{
	size_t	 i;

	for (i = 0; i < sx->nopts; i++)
		cpl_add(c, sx->opts[i].name);
}

/* --set KEY=VALUE: the keys, then a key's choices (or its default). */
static void
cpl_wizard_set(struct cpl *c, const struct wizard *w)
{
	const struct wiz_field	*f;
	const struct wiz_ctx	 wctx = { 0 };
	struct wiz_answers	 a;
	char			*word, *def;
	size_t			 klen, i;

	if (strchr(c->cur, '=') == NULL) {
		for (f = w->fields; f != NULL && f->key != NULL; f++) {
			word = xprintf("%s=", f->key);
			cpl_add(c, word);
			free(word);
		}
		c->directives |= CPL_NOSPACE;
		return;
	}
	klen = strcspn(c->cur, "=");
	for (f = w->fields; f != NULL && f->key != NULL; f++) {
		if (strncmp(f->key, c->cur, klen) == 0 && f->key[klen] == '\0')
			break;
	}
	if (f == NULL || f->key == NULL)
		return;
	if (f->flags & WIZ_PATH)
		c->directives |= CPL_FILES;
	for (i = 0; f->choices != NULL && f->choices[i] != NULL; i++) {
		word = xprintf("%s=%s", f->key, f->choices[i]);
		cpl_add(c, word);
		free(word);
	}
	if (f->choices == NULL && f->def != NULL && !(f->flags & WIZ_PATH)) {
		wiz_answers_init(&a);
		if ((def = f->def(&wctx, &a)) != NULL) {
			word = xprintf("%s=%s", f->key, def);
			cpl_add(c, word);
			free(word);
			free(def);
		}
		wiz_answers_free(&a);
	}
}

/* `xendeck wizard NAME ...`: WORDS[0] is "wizard". */
void
cpl_wizard(struct cpl *c, const struct wizard *const *table, char **words,
    int cword)
{
	static const char *const	 checks[] = { "--answers", "--set",
					     "--json", "--help", NULL };
	const struct wizard *const	*wp;
	const struct wizard		*w;
	struct cmd_syntax		 sx;
	const struct cmd_synopt		*o;
	const char			*prev;
	char				*word;
	size_t				 i;

	if (cword == 1) {
		if (*c->cur == '-') {
			cpl_add(c, "--json");
			cpl_add(c, "--help");
			return;
		}
		for (wp = table; *wp != NULL; wp++)
			cpl_add(c, (*wp)->name);
		return;
	}
	for (wp = table; *wp != NULL; wp++) {
		if (strcmp((*wp)->name, words[1]) == 0)
			break;
	}
	if ((w = *wp) == NULL)
		return;
	cmd_syntax_parse(&cmd_wizard_entry, &sx);
	prev = words[cword - 1];
	if (cword >= 3 && strcmp(prev, "--set") == 0)
		cpl_wizard_set(c, w);
	else if (cword >= 3 && *prev == '-' && strchr(prev, '=') == NULL &&
	    (o = cmd_syntax_opt(&sx, prev)) != NULL && o->arg != NULL)
		cpl_optarg(c, o->arg);
	else if (*c->cur == '-' && w->plan == NULL) {
		for (i = 0; checks[i] != NULL; i++)
			cpl_add(c, checks[i]);
	} else if (*c->cur == '-') {
		cpl_options(c, &sx);
		cpl_add(c, "--help");
		for (i = 0; w->actions != NULL && w->actions[i] != NULL; i++) {
			word = xprintf("--%s", w->actions[i]);
			cpl_add(c, word);
			free(word);
		}
	}
	cmd_syntax_free(&sx);
}

/* What the completion file reads: a line of directives, the candidates. */
void
cpl_print(struct cpl *c, FILE *f)
{
	size_t	 k;

	fprintf(f, "@%s%s%s%s\n",
	    (c->directives & CPL_FILES) ? " files" : "",
	    (c->directives & CPL_CFGFILES) ? " cfgfiles" : "",
	    (c->directives & CPL_DIRS) ? " dirs" : "",
	    (c->directives & CPL_NOSPACE) ? " nospace" : "");
	for (k = 0; c->words != NULL && c->words[k] != NULL; k++)
		fprintf(f, "%s\n", c->words[k]);
	strv_free(c->words);
	c->words = NULL;
}
