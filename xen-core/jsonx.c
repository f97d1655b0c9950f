/*
 * Small jansson helpers shared by the state files xendeck keeps (a
 * domain's domain.json, a network trial's state.json) and the JSON it
 * reads back from its own commands: string vectors to and from arrays, and
 * optional string members.
 */
#include <stdlib.h>

#include <jansson.h>

#include "xen-core.h"

/* A NULL-terminated vector (or NULL) as a JSON array of strings. */
json_t *
jsonx_strv_array(char *const *v)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		json_array_append_new(a, json_string(v[i]));
	return (a);
}

/* The strings of a JSON array (others skipped) as a vector; never NULL. */
char **
jsonx_array_strv(json_t *a)
{
	char	**v = xcalloc(1, sizeof *v);
	size_t	  i;
	json_t	 *e;

	json_array_foreach(a, i, e) {
		if (json_is_string(e))
			strv_push(&v, json_string_value(e));
	}
	return (v);
}

/* A string member, copied, or NULL when absent or not a string. */
char *
jsonx_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? xstrdup(s) : NULL);
}

/* Set a string member, unless the value is NULL. */
void
jsonx_set_str(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, json_string(value));
}
