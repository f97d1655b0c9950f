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
