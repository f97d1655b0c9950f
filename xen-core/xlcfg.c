/*
 * xl.cfg(5), read the way Xen's libxlutil reads it.
 *
 * The generic layer is a hand-written scanner and recursive-descent parser
 * for the grammar libxlutil's flex/bison pair accepts:
 *
 *	file	:= { stmt } [ assignment ]
 *	stmt	:= assignment end | end
 *	end	:= NEWLINE | ';'
 *	assign	:= IDENT ( '=' | '+=' ) value
 *	value	:= STRING | NUMBER | list
 *	list	:= '[' nl* [ items [ ',' nl* ] ] ']'
 *	items	:= value nl* { ',' nl* value nl* }
 *
 * IDENT is [a-z][._0-9a-z]*, NUMBER [0-9][0-9a-fx]* (kept as text: xl
 * converts with strtol(,,0) when a number is asked for), STRING '...' or
 * "..." on one line with backslash escapes; blanks are space and tab only;
 * a comment runs from '#' to a newline, which it needs. The quirks of xl
 * are reproduced on purpose (a config xendeck accepts must be one xl
 * accepts): \x escapes are always refused, an octal escape is consumed and
 * yields nothing, a carriage return is an error.
 *
 * Every setting is kept in order with its position; a later assignment of
 * the same key wins, '+=' concatenates with the previous value (strings to
 * strings, lists to lists). The semantic layer (struct xlcfg) is built from
 * the effective values and validated; unknown keys stay in the generic
 * layer and are reported as warnings.
 *
 * Reading is O(N) in the size of the file, whatever it holds: settings are
 * found through a hash of their names (struct xlcfg_index), '+=' goes on
 * from the previous value in place, and every array grows by doubling.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

enum tok {
	T_EOF, T_IDENT, T_NUMBER, T_STRING, T_COMMA, T_LBRACKET, T_RBRACKET,
	T_ADD, T_EQUALS, T_SEMI, T_NEWLINE
};

struct lexer {
	const char	*path;
	const char	*buf;
	size_t		 len;
	size_t		 pos;
	int		 line, col;	/* of buf[pos] */

	/* The current token. */
	enum tok	 tok;
	char		*text;		/* IDENT, NUMBER or STRING */
	int		 tline, tcol;

	char		*cause;		/* the first error */
	int		 warned_octal;
	char	       **notes;		/* the scanner's warnings */
};

static const char *
tok_name(enum tok t)
{
	switch (t) {
	case T_EOF:
		return ("end of file");
	case T_IDENT:
		return ("a key");
	case T_NUMBER:
		return ("a number");
	case T_STRING:
		return ("a string");
	case T_COMMA:
		return ("','");
	case T_LBRACKET:
		return ("'['");
	case T_RBRACKET:
		return ("']'");
	case T_ADD:
		return ("'+='");
	case T_EQUALS:
		return ("'='");
	case T_SEMI:
		return ("';'");
	case T_NEWLINE:
		return ("end of line");
	}
	return ("?");
}

static void printflike(4, 5)
lex_error(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (lx->cause != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	lx->cause = xprintf("%s:%d:%d: %s", lx->path, line, col, msg);
	free(msg);
}

static int
lx_peek(struct lexer *lx, size_t off)
{
	if (lx->pos + off >= lx->len)
		return (-1);
	return ((unsigned char)lx->buf[lx->pos + off]);
}

static void
lx_advance(struct lexer *lx, size_t n)
{
	while (n-- > 0 && lx->pos < lx->len) {
		if (lx->buf[lx->pos] == '\n') {
			lx->line++;
			lx->col = 1;
		} else
			lx->col++;
		lx->pos++;
	}
}

/* A printable rendering of one byte for messages. */
static const char *
char_name(int c, char *buf, size_t size)
{
	if (c == '\r')
		snprintf(buf, size, "carriage return (DOS line endings?)");
	else if (c == '\0')
		snprintf(buf, size, "NUL byte");
	else if (c == '\t')
		snprintf(buf, size, "tab");
	else if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", c);
	return (buf);
}

/*
 * The body of a quoted string, as libxlutil dequotes it. s..e is between
 * the quotes. Returns NULL (and sets the error) on a bad escape.
 */
static char *
dequote(struct lexer *lx, const char *s, const char *e, int line, int col)
{
	char		*out, *q;
	const char	*p = s;
	int		 c, n;

	out = q = xmalloc((size_t)(e - s) + 1);
	while (p < e) {
		c = (unsigned char)*p++;
		if (c != '\\') {
			*q++ = (char)c;
			continue;
		}
		/* The scanner guarantees a character after a backslash. */
		c = (unsigned char)*p++;
		switch (c) {
		case '"':
		case '\'':
		case '\\':
			*q++ = (char)c;
			break;
		case 'a':
			*q++ = '\a';
			break;
		case 'b':
			*q++ = '\b';
			break;
		case 'f':
			*q++ = '\f';
			break;
		case 'n':
			*q++ = '\n';
			break;
		case 'r':
			*q++ = '\r';
			break;
		case 't':
			*q++ = '\t';
			break;
		case 'v':
			*q++ = '\v';
			break;
		case 'x':
			lex_error(lx, line, col + (int)(p - s) - 2,
			    "\\x escapes are not supported by xl");
			free(out);
			return (NULL);
		default:
			if (c < '0' || c > '7') {
				lex_error(lx, line, col + (int)(p - s) - 2,
				    "invalid escape '\\%c' in string", c);
				free(out);
				return (NULL);
			}
			/*
			 * xl reads up to three more characters with
			 * strtoul(,,10), needs at least two of them consumed,
			 * and then drops the character: mimic exactly.
			 */
			{
				const char	*r = p, *lim = p + 3;
				int		 digits = 0;

				if (lim > e)
					lim = e;
				while (r < lim && isspace((unsigned char)*r))
					r++;
				if (r < lim && (*r == '+' || *r == '-'))
					r++;
				while (r < lim && *r >= '0' && *r <= '9') {
					r++;
					digits++;
				}
				n = digits > 0 ? (int)(r - p) : 0;
			}
			if (n <= 1) {
				lex_error(lx, line, col + (int)(p - s) - 2,
				    "invalid octal escape in string");
				free(out);
				return (NULL);
			}
			p += n;
			if (!lx->warned_octal) {
				char	*note;

				lx->warned_octal = 1;
				note = xprintf("%s:%d: octal escape in string "
				    "ignored (xl drops it)", lx->path, line);
				strv_push(&lx->notes, note);
				free(note);
			}
			break;
		}
	}
	*q = '\0';
	return (out);
}

/*
 * A character no token can start with. libxlutil's scanner reports it
 * only once it sees what follows, so a stray last byte of the file is
 * silently ignored there; do the same, with a warning.
 */
static void
lx_stray(struct lexer *lx, int c, const char *msg)
{
	char	 cbuf[64], *note;

	if (lx->pos + 1 == lx->len) {
		note = xprintf("%s:%d:%d: stray %s at the end of the file "
		    "ignored (as xl does)", lx->path, lx->tline, lx->tcol,
		    char_name(c, cbuf, sizeof cbuf));
		strv_push(&lx->notes, note);
		free(note);
		lx_advance(lx, 1);
		return;
	}
	lex_error(lx, lx->tline, lx->tcol, "%s", msg);
}

/* Scan the next token into lx->tok. T_EOF with lx->cause set on error. */
static void
lx_next(struct lexer *lx)
{
	int		 c, q;
	size_t		 n;
	char		 cbuf[64], *msg;

	free(lx->text);
	lx->text = NULL;
again:
	lx->tline = lx->line;
	lx->tcol = lx->col;
	if (lx->cause != NULL || (c = lx_peek(lx, 0)) == -1) {
		lx->tok = T_EOF;
		return;
	}
	if (c == ' ' || c == '\t') {
		lx_advance(lx, 1);
		goto again;
	}
	if (c >= 'a' && c <= 'z') {
		for (n = 1; (c = lx_peek(lx, n)) != -1; n++) {
			if (!((c >= 'a' && c <= 'z') || (c >= '0' &&
			    c <= '9') || c == '.' || c == '_'))
				break;
		}
		lx->text = xstrndup(lx->buf + lx->pos, n);
		lx->tok = T_IDENT;
		lx_advance(lx, n);
		return;
	}
	if (c >= '0' && c <= '9') {
		for (n = 1; (c = lx_peek(lx, n)) != -1; n++) {
			if (!((c >= '0' && c <= '9') || (c >= 'a' &&
			    c <= 'f') || c == 'x'))
				break;
		}
		lx->text = xstrndup(lx->buf + lx->pos, n);
		lx->tok = T_NUMBER;
		lx_advance(lx, n);
		return;
	}
	switch (c) {
	case ',':
		lx->tok = T_COMMA;
		lx_advance(lx, 1);
		return;
	case '[':
		lx->tok = T_LBRACKET;
		lx_advance(lx, 1);
		return;
	case ']':
		lx->tok = T_RBRACKET;
		lx_advance(lx, 1);
		return;
	case '=':
		lx->tok = T_EQUALS;
		lx_advance(lx, 1);
		return;
	case ';':
		lx->tok = T_SEMI;
		lx_advance(lx, 1);
		return;
	case '\n':
		lx->tok = T_NEWLINE;
		lx_advance(lx, 1);
		return;
	case '+':
		if (lx_peek(lx, 1) == '=') {
			lx->tok = T_ADD;
			lx_advance(lx, 2);
			return;
		}
		break;
	case '#':
		for (n = 1; (c = lx_peek(lx, n)) != -1 && c != '\n'; n++)
			;
		if (c == -1) {
			lx_stray(lx, '#', "a comment at the end of the file "
			    "needs a newline after it (xl rejects it)");
			lx->tok = T_EOF;
			return;
		}
		lx_advance(lx, n + 1);
		lx->tok = T_NEWLINE;
		return;
	case '\'':
	case '"':
		q = c;
		for (n = 1; (c = lx_peek(lx, n)) != -1; n++) {
			if (c == q || c == '\n' || c == '\0')
				break;
			if (c == '\\') {
				if (lx_peek(lx, n + 1) == -1 ||
				    lx_peek(lx, n + 1) == '\n') {
					c = -1;
					break;
				}
				n++;
			}
		}
		if (c == '\0') {
			lex_error(lx, lx->tline, lx->tcol + (int)n,
			    "NUL byte in a string");
			lx->tok = T_EOF;
			return;
		}
		if (c != q) {
			lx_stray(lx, q, "unterminated string");
			lx->tok = T_EOF;
			return;
		}
		lx->text = dequote(lx, lx->buf + lx->pos + 1,
		    lx->buf + lx->pos + n, lx->tline, lx->tcol + 1);
		if (lx->text == NULL) {
			lx->tok = T_EOF;
			return;
		}
		lx->tok = T_STRING;
		lx_advance(lx, n + 1);
		return;
	}
	char_name(c, cbuf, sizeof cbuf);
	if (c != '\0' && strchr("+-.():", c) != NULL)
		xasprintf(&msg, "unexpected %s (this looks like Python, which "
		    "xl.cfg does not support)", cbuf);
	else if (c >= 'A' && c <= 'Z')
		xasprintf(&msg, "unexpected %s (keys are lower case)", cbuf);
	else
		xasprintf(&msg, "unexpected %s", cbuf);
	lx_stray(lx, c, msg);
	free(msg);
	if (lx->cause == NULL)
		goto again;
	lx->tok = T_EOF;
}

static void
value_free(struct xlcfg_value *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	free(v->str);
	for (i = 0; i < v->nitems; i++)
		value_free(v->items[i]);
	free(v->items);
	free(v);
}

/* Whether n is 0 or a power of two: where a doubling array grows. */
static int
grows_at(size_t n)
{
	return ((n & (n - 1)) == 0);
}

/* Append to a list (its items array doubles: O(1) amortized). */
static void
list_push(struct xlcfg_value *list, struct xlcfg_value *v)
{
	if (grows_at(list->nitems))
		list->items = xreallocarray(list->items, list->nitems > 0 ?
		    list->nitems * 2 : 1, sizeof *list->items);
	list->items[list->nitems++] = v;
}

/* The smallest power of two >= n. */
static size_t
pow2(size_t n)
{
	size_t	 p = 1;

	while (p < n)
		p <<= 1;
	return (p);
}

/*
 * Append more to a string that a '+=' owns. With fresh, *s is the string
 * as the scanner made it; after that its buffer is always a power of two
 * that holds it (every setting written with '+=' has such a string), so
 * appending is O(1) amortized.
 */
static void
str_append(char **s, const char *more, int fresh)
{
	size_t	 len = strlen(*s), add = strlen(more), cap;
	char	*n;

	cap = pow2(len + 1);
	if (fresh || len + add + 1 > cap) {
		n = xmalloc(pow2(len + add + 1));
		memcpy(n, *s, len);
		free(*s);
		*s = n;
	}
	memcpy(*s + len, more, add + 1);
}

/*
 * The generic layer's index: names hash (FNV-1a, open addressing) to the
 * last setting of each, and each setting knows the one of its name before
 * it. n is how many settings it covers (cfg->nsettings, unless someone
 * else added settings: then lookups scan).
 */
struct xlcfg_index {
	size_t	*slot;		/* setting index + 1, 0 empty */
	size_t	 nslots;	/* a power of two, over twice nnames */
	size_t	 nnames;
	size_t	*prev;		/* per setting: the one before + 1, or 0 */
	size_t	 cap;		/* settings and prev allocated */
	size_t	 n;
};

static uint32_t
name_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/* The slot of name: its setting's, or the empty one it would take. */
static size_t *
index_slot(const struct xlcfg *cfg, const char *name)
{
	const struct xlcfg_index	*idx = cfg->index;
	size_t				 i, mask = idx->nslots - 1;

	for (i = name_hash(name) & mask; idx->slot[i] != 0; i = (i + 1) & mask) {
		if (strcmp(cfg->settings[idx->slot[i] - 1].name, name) == 0)
			break;
	}
	return (&idx->slot[i]);
}

/* Index settings[i], the newest. */
static void
index_add(struct xlcfg *cfg, size_t i)
{
	struct xlcfg_index	*idx = cfg->index;
	size_t			*old, nold, j, *slot;

	if ((idx->nnames + 1) * 2 > idx->nslots) {
		old = idx->slot;
		nold = idx->nslots;
		idx->nslots = idx->nslots > 0 ? idx->nslots * 2 : 64;
		idx->slot = xcalloc(idx->nslots, sizeof *idx->slot);
		for (j = 0; j < nold; j++) {
			if (old[j] != 0)
				*index_slot(cfg, cfg->settings[old[j] -
				    1].name) = old[j];
		}
		free(old);
	}
	slot = index_slot(cfg, cfg->settings[i].name);
	idx->prev[i] = *slot;
	if (*slot == 0)
		idx->nnames++;
	*slot = i + 1;
	idx->n = i + 1;
}

static void
index_free(struct xlcfg_index *idx)
{
	if (idx == NULL)
		return;
	free(idx->slot);
	free(idx->prev);
	free(idx);
}

/* Room for one more setting (the arrays double). */
static void
settings_grow(struct xlcfg *cfg)
{
	struct xlcfg_index	*idx;

	if (cfg->index == NULL)
		cfg->index = xcalloc(1, sizeof *cfg->index);
	idx = cfg->index;
	if (cfg->nsettings < idx->cap)
		return;
	idx->cap = idx->cap > 0 ? idx->cap * 2 : 16;
	cfg->settings = xreallocarray(cfg->settings, idx->cap,
	    sizeof *cfg->settings);
	idx->prev = xreallocarray(idx->prev, idx->cap, sizeof *idx->prev);
}

/* A set of strings, for duplicate checks in O(1) each. */
struct xlcfg_strset {
	char	**slot;
	size_t	  nslots, n;
};

struct xlcfg_strset *
xlcfg_strset_new(void)
{
	struct xlcfg_strset	*set = xcalloc(1, sizeof *set);

	set->nslots = 16;
	set->slot = xcalloc(set->nslots, sizeof *set->slot);
	return (set);
}

/* Add s: 1 if it was there already, else 0. */
int
xlcfg_strset_add(struct xlcfg_strset *set, const char *s)
{
	char	**old;
	size_t	  i, j, nold, mask;

	if ((set->n + 1) * 2 > set->nslots) {
		old = set->slot;
		nold = set->nslots;
		set->nslots *= 2;
		set->slot = xcalloc(set->nslots, sizeof *set->slot);
		mask = set->nslots - 1;
		for (j = 0; j < nold; j++) {
			if (old[j] == NULL)
				continue;
			for (i = name_hash(old[j]) & mask; set->slot[i] != NULL;
			    i = (i + 1) & mask)
				;
			set->slot[i] = old[j];
		}
		free(old);
	}
	mask = set->nslots - 1;
	for (i = name_hash(s) & mask; set->slot[i] != NULL; i = (i + 1) & mask) {
		if (strcmp(set->slot[i], s) == 0)
			return (1);
	}
	set->slot[i] = xstrdup(s);
	set->n++;
	return (0);
}

void
xlcfg_strset_free(struct xlcfg_strset *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nslots; i++)
		free(set->slot[i]);
	free(set->slot);
	free(set);
}

/* Skip newlines (the grammar's "nlok"). */
static void
skip_newlines(struct lexer *lx)
{
	while (lx->tok == T_NEWLINE)
		lx_next(lx);
}

static void
expected(struct lexer *lx, const char *what)
{
	if (lx->cause != NULL)
		return;
	lex_error(lx, lx->tline, lx->tcol, "syntax error: expected %s, "
	    "found %s", what, tok_name(lx->tok));
}

static struct xlcfg_value *parse_value(struct lexer *, int);

/* '[' already seen. */
static struct xlcfg_value *
parse_list(struct lexer *lx, int depth)
{
	struct xlcfg_value	*list, *v;

	list = xcalloc(1, sizeof *list);
	list->type = XLCFG_LIST;
	list->line = lx->tline;
	list->col = lx->tcol;
	lx_next(lx);
	skip_newlines(lx);
	if (lx->tok == T_RBRACKET) {
		lx_next(lx);
		return (list);
	}
	for (;;) {
		if ((v = parse_value(lx, depth + 1)) == NULL)
			goto fail;
		list_push(list, v);
		skip_newlines(lx);
		if (lx->tok == T_RBRACKET)
			break;
		if (lx->tok != T_COMMA) {
			expected(lx, "',' or ']'");
			goto fail;
		}
		lx_next(lx);
		skip_newlines(lx);
		if (lx->tok == T_RBRACKET)
			break;
	}
	lx_next(lx);
	return (list);
fail:
	value_free(list);
	return (NULL);
}

static struct xlcfg_value *
parse_value(struct lexer *lx, int depth)
{
	struct xlcfg_value	*v;

	switch (lx->tok) {
	case T_STRING:
	case T_NUMBER:
		v = xcalloc(1, sizeof *v);
		v->type = XLCFG_STRING;
		v->number = lx->tok == T_NUMBER;
		v->str = lx->text;
		lx->text = NULL;
		v->line = lx->tline;
		v->col = lx->tcol;
		lx_next(lx);
		return (v);
	case T_LBRACKET:
		if (depth > 64) {
			lex_error(lx, lx->tline, lx->tcol, "lists nested too "
			    "deeply");
			return (NULL);
		}
		return (parse_list(lx, depth));
	default:
		expected(lx, "a value (a string, a number or a list)");
		return (NULL);
	}
}

/* Store one assignment, concatenating for "+=" as xl does. */
static int
store(struct lexer *lx, struct xlcfg *cfg, char *name, int line, int col,
    int append, struct xlcfg_value *v)
{
	struct xlcfg_setting	*prev, *set;
	struct xlcfg_value	*acc;
	size_t			 i;

	prev = append ? (struct xlcfg_setting *)xlcfg_get(cfg, name) : NULL;
	if (prev != NULL) {
		if (prev->value->type != v->type) {
			lex_error(lx, line, col, "can't add %s to %s with "
			    "'+=' (%s was set on line %d)",
			    v->type == XLCFG_LIST ? "a list" : "a string",
			    prev->value->type == XLCFG_LIST ? "a list" :
			    "a string", name, prev->line);
			free(name);
			value_free(v);
			return (-1);
		}
		/*
		 * Go on from the previous value in place (a copy per '+='
		 * would make N of them quadratic): it becomes this
		 * setting's, and the previous setting keeps an empty one.
		 */
		acc = prev->value;
		prev->value = xcalloc(1, sizeof *prev->value);
		prev->value->type = acc->type;
		prev->value->line = acc->line;
		prev->value->col = acc->col;
		if (acc->type == XLCFG_STRING) {
			prev->value->str = xstrdup("");
			str_append(&acc->str, v->str, !prev->append);
			acc->number = v->number;
		} else {
			for (i = 0; i < v->nitems; i++)
				list_push(acc, v->items[i]);
			v->nitems = 0;
		}
		acc->line = v->line;
		acc->col = v->col;
		value_free(v);
		v = acc;
	} else if (append && v->type == XLCFG_STRING)
		str_append(&v->str, "", 1);	/* a '+=' owns it: its buffer
						   a power of two from now on */
	settings_grow(cfg);
	set = &cfg->settings[cfg->nsettings++];
	set->name = name;
	set->value = v;
	set->line = line;
	set->col = col;
	set->append = append;
	index_add(cfg, cfg->nsettings - 1);
	return (0);
}

/* The generic layer: fill cfg->settings. */
static int
parse_generic(struct lexer *lx, struct xlcfg *cfg)
{
	struct xlcfg_value	*v;
	char			*name;
	int			 line, col, append;

	lx_next(lx);
	for (;;) {
		switch (lx->tok) {
		case T_EOF:
			return (lx->cause != NULL ? -1 : 0);
		case T_NEWLINE:
		case T_SEMI:
			lx_next(lx);
			continue;
		case T_IDENT:
			break;
		default:
			expected(lx, "a key");
			return (-1);
		}
		name = lx->text;
		lx->text = NULL;
		line = lx->tline;
		col = lx->tcol;
		lx_next(lx);
		if (lx->tok != T_EQUALS && lx->tok != T_ADD) {
			free(name);
			expected(lx, "'=' or '+='");
			return (-1);
		}
		append = lx->tok == T_ADD;
		lx_next(lx);
		if ((v = parse_value(lx, 0)) == NULL) {
			free(name);
			return (-1);
		}
		if (store(lx, cfg, name, line, col, append, v) != 0)
			return (-1);
		if (lx->tok != T_NEWLINE && lx->tok != T_SEMI &&
		    lx->tok != T_EOF) {
			expected(lx, "end of line or ';' after the value");
			return (-1);
		}
		if (lx->cause != NULL)
			return (-1);
	}
}

const struct xlcfg_setting *
xlcfg_get(const struct xlcfg *cfg, const char *name)
{
	size_t	 i, *slot;

	if (cfg == NULL || cfg->nsettings == 0)
		return (NULL);
	if (cfg->index != NULL && cfg->index->n == cfg->nsettings) {
		slot = index_slot(cfg, name);
		return (*slot != 0 ? &cfg->settings[*slot - 1] : NULL);
	}
	for (i = cfg->nsettings; i > 0; i--) {
		if (strcmp(cfg->settings[i - 1].name, name) == 0)
			return (&cfg->settings[i - 1]);
	}
	return (NULL);
}

const struct xlcfg_setting *
xlcfg_prev(const struct xlcfg *cfg, size_t i)
{
	size_t	 j;

	if (cfg == NULL || i >= cfg->nsettings)
		return (NULL);
	if (cfg->index != NULL && cfg->index->n == cfg->nsettings)
		return (cfg->index->prev[i] != 0 ?
		    &cfg->settings[cfg->index->prev[i] - 1] : NULL);
	for (j = i; j > 0; j--) {
		if (strcmp(cfg->settings[j - 1].name,
		    cfg->settings[i].name) == 0)
			return (&cfg->settings[j - 1]);
	}
	return (NULL);
}

void
xlcfg_disk_free(struct xlcfg_disk *d)
{
	if (d == NULL)
		return;
	free(d->spec);
	free(d->target);
	free(d->format);
	free(d->vdev);
	free(d->backendtype);
	free(d->script);
	free(d->backend);
	free(d->specification);
	free(d->colo_host);
	free(d->colo_export);
	free(d->active_disk);
	free(d->hidden_disk);
	memset(d, 0, sizeof *d);
}

void
xlcfg_vif_free(struct xlcfg_vif *v)
{
	if (v == NULL)
		return;
	free(v->spec);
	free(v->mac);
	free(v->bridge);
	free(v->model);
	free(v->type);
	free(v->vifname);
	free(v->script);
	free(v->ip);
	free(v->rate);
	free(v->backend);
	free(v->gatewaydev);
	strv_free(v->extra);
	strv_free(v->warnings);
	memset(v, 0, sizeof *v);
}

void
xlcfg_free(struct xlcfg *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	for (i = 0; i < cfg->nsettings; i++) {
		free(cfg->settings[i].name);
		value_free(cfg->settings[i].value);
	}
	free(cfg->settings);
	index_free(cfg->index);
	for (i = 0; i < cfg->nwarnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg->name);
	free(cfg->uuid);
	free(cfg->kernel);
	free(cfg->ramdisk);
	free(cfg->extra);
	free(cfg->root);
	free(cfg->cmdline);
	free(cfg->bootloader);
	strv_free(cfg->bootloader_args);
	free(cfg->boot);
	free(cfg->vnclisten);
	free(cfg->vnc_host);
	free(cfg->vncpasswd);
	free(cfg->serial);
	free(cfg->keymap);
	free(cfg->device_model_version);
	for (i = 0; i < cfg->ndisks; i++)
		xlcfg_disk_free(&cfg->disks[i]);
	free(cfg->disks);
	for (i = 0; i < cfg->nvifs; i++)
		xlcfg_vif_free(&cfg->vifs[i]);
	free(cfg->vifs);
	free(cfg);
}

/*
 * Make a message one printable line: control characters from the file
 * (a newline inside a quoted spec) become \n, \t or \xHH.
 */
void
xlcfg_clean_message(char **msg)
{
	const unsigned char	*p;
	char			*out, *q;

	if (*msg == NULL)
		return;
	for (p = (const unsigned char *)*msg; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			break;
	}
	if (*p == '\0')
		return;
	out = q = xmalloc(strlen(*msg) * 4 + 1);
	for (p = (const unsigned char *)*msg; *p != '\0'; p++) {
		if (*p == '\n')
			q += sprintf(q, "\\n");
		else if (*p == '\t')
			q += sprintf(q, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			q += sprintf(q, "\\x%02x", *p);
		else
			*q++ = (char)*p;
	}
	*q = '\0';
	free(*msg);
	*msg = out;
}

/* Add a warning (taken) to cfg; the array doubles. */
static void
warn_push(struct xlcfg *cfg, char *w)
{
	if (grows_at(cfg->nwarnings))
		cfg->warnings = xreallocarray(cfg->warnings, cfg->nwarnings >
		    0 ? cfg->nwarnings * 2 : 1, sizeof *cfg->warnings);
	cfg->warnings[cfg->nwarnings++] = w;
}

/* Append a warning ("FILE:LINE: ...") to cfg. */
void
xlcfg_warn(struct xlcfg *cfg, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		warn_push(cfg, xprintf("%s:%d: %s", cfg->path, line, msg));
	else
		warn_push(cfg, xprintf("%s: %s", cfg->path, msg));
	xlcfg_clean_message(&cfg->warnings[cfg->nwarnings - 1]);
	free(msg);
}

int
xlcfg_parse_flags(const char *path, const char *buf, size_t len, int flags,
    struct xlcfg **cfgp, char **cause)
{
	struct lexer	 lx;
	struct xlcfg	*cfg;
	size_t		 i;
	int		 rc = -1;

	*cfgp = NULL;
	if (path == NULL)
		path = "<config>";
	memset(&lx, 0, sizeof lx);
	lx.path = path;
	lx.buf = buf;
	lx.len = len;
	lx.line = lx.col = 1;

	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = xstrdup(path);
	xlcfg_sem_init(cfg);

	if (parse_generic(&lx, cfg) != 0) {
		*cause = lx.cause != NULL ? lx.cause :
		    xprintf("%s: parse error", path);
		lx.cause = NULL;
		xlcfg_clean_message(cause);
		goto out;
	}
	for (i = 0; lx.notes != NULL && lx.notes[i] != NULL; i++)
		warn_push(cfg, xstrdup(lx.notes[i]));
	cfg->syntax_only = (flags & XLCFG_SYNTAX_ONLY) != 0;
	if (!cfg->syntax_only && xlcfg_sem_build(cfg, cause) != 0) {
		xlcfg_clean_message(cause);
		goto out;
	}
	*cfgp = cfg;
	cfg = NULL;
	rc = 0;
out:
	free(lx.text);
	free(lx.cause);
	strv_free(lx.notes);
	xlcfg_free(cfg);
	return (rc);
}

int
xlcfg_parse(const char *path, const char *buf, size_t len,
    struct xlcfg **cfgp, char **cause)
{
	return (xlcfg_parse_flags(path, buf, len, 0, cfgp, cause));
}

int
xlcfg_load(const char *path, struct xlcfg **cfgp, char **cause)
{
	char	*buf = NULL;
	size_t	 len;
	int	 rc;

	*cfgp = NULL;
	if (file_read_limit(path, XLCFG_MAX_SIZE, "an xl.cfg", &buf, &len,
	    cause) != 0)
		return (-1);
	rc = xlcfg_parse(path, buf, len, cfgp, cause);
	free(buf);
	return (rc);
}
