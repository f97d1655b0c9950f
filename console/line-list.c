/*
 * The lines a text view shows and scrolls through: the Detail view
 * builds them one by one, the pager splits a text into them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static void
line_list_push(struct line_list *l, char *s)
{
	l->line = xreallocarray(l->line, l->n + 1, sizeof *l->line);
	l->line[l->n++] = s;
}

/* Add one line, formatted. */
void
line_list_vadd(struct line_list *l, const char *fmt, va_list ap)
{
	char	*s;

	xvasprintf(&s, fmt, ap);
	line_list_push(l, s);
}

/* Add each line of text (copied); a last newline ends no empty line. */
void
line_list_split(struct line_list *l, const char *text)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		line_list_push(l, xstrndup(p, (size_t)(nl - p)));
		p = *nl != '\0' ? nl + 1 : nl;
	}
}

/* Columns of the first n bytes of s (a UTF-8 character is one). */
static int
line_list_cols(const char *s, size_t n)
{
	size_t	 i;
	int	 c = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	}
	return (c);
}

/*
 * Where a wrapped line's next parts start: under a bullet's text, after a
 * column gap (two blanks after the first word, as help's "  KEY   what it
 * does"), else under the line's own indent.
 */
static size_t
line_list_hang(const char *s, int width)
{
	size_t	 lead = strspn(s, " "), i;

	/* A bullet's next lines go under its text. */
	if ((s[lead] == '*' || s[lead] == '-') && s[lead + 1] == ' ' &&
	    lead + 2 <= (size_t)width / 2)
		return (lead + 2);
	for (i = lead; s[i] != '\0'; i++) {
		if (s[i] == ' ' && s[i + 1] == ' ') {
			i += strspn(s + i, " ");
			if (s[i] != '\0' && line_list_cols(s, i) <= width / 2)
				return (i);
			break;
		}
	}
	return (lead <= (size_t)width / 2 ? lead : 0);
}

/*
 * Add each line of text (copied), a line wider than width columns broken
 * at blanks into lines that fit, its next parts indented (a word longer
 * than a line is cut).
 */
void
line_list_split_wrapped(struct line_list *l, const char *text, int width)
{
	struct line_list	 raw = { NULL, 0 };
	const char		*s, *p, *w, *last;
	size_t			 i, hang;
	int			 used, room, first;

	line_list_split(&raw, text);
	if (width < 20)
		width = 20;
	for (i = 0; i < raw.n; i++) {
		s = raw.line[i];
		if (line_list_cols(s, strlen(s)) <= width) {
			line_list_push(l, raw.line[i]);
			raw.line[i] = NULL;
			continue;
		}
		hang = line_list_hang(s, width);
		for (p = s, first = 1; *p != '\0'; first = 0) {
			room = first ? width : width - (int)hang;
			last = NULL;
			used = 0;
			for (w = p; *w != '\0'; w++) {
				if (((unsigned char)*w & 0xc0) != 0x80 &&
				    ++used > room)
					break;
				if (*w == ' ' && w != p)
					last = w;
			}
			if (*w == '\0')
				last = w;
			else if (last == NULL)
				last = w;	/* one long word: cut it */
			if (first)
				line_list_push(l, xstrndup(p,
				    (size_t)(last - p)));
			else {
				line_list_push(l, xprintf("%*s%.*s",
				    (int)hang, "", (int)(last - p), p));
			}
			p = last;
			while (*p == ' ')
				p++;
		}
	}
	line_list_free(&raw);
}

/* Free the lines; l is then empty and can be used again. */
void
line_list_free(struct line_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	l->line = NULL;
	l->n = 0;
}
