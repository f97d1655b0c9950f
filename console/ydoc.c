/*
 * YAML documents for the console's own files (config.c, theme.c): load a
 * whole document with libyaml and name a node's place in errors, so both
 * report FILE:LINE:COL the same way.
 */
#include <stdarg.h>
#include <stdlib.h>

#include <yaml.h>

#include "console.h"

/*
 * Load buf (file names it in errors) as one YAML document. Returns it,
 * the caller's to ydoc_free(), or NULL and sets cause.
 */
yaml_document_t *
ydoc_load(const char *file, const char *buf, size_t len, char **cause)
{
	yaml_parser_t	 parser;
	yaml_document_t	*doc;

	doc = xmalloc(sizeof *doc);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf,
	    len);
	if (!yaml_parser_load(&parser, doc)) {
		*cause = xprintf("%s:%zu:%zu: %s", file,
		    parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1,
		    parser.problem != NULL ? parser.problem : "bad YAML");
		free(doc);
		doc = NULL;
	}
	yaml_parser_delete(&parser);
	return (doc);
}

void
ydoc_free(yaml_document_t *doc)
{
	if (doc == NULL)
		return;
	yaml_document_delete(doc);
	free(doc);
}

/* An error at node n: "FILE:LINE:COL: message" (caller frees). */
char *
ydoc_error(const char *file, const yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *out;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	out = xprintf("%s:%zu:%zu: %s", file, n->start_mark.line + 1,
	    n->start_mark.column + 1, msg);
	free(msg);
	return (out);
}
