/*
 * The console's config file: $XDG_CONFIG_HOME/xendeck/config.yaml (or
 * ~/.config/xendeck/config.yaml), else $(sysconfdir)/xendeck/config.yaml,
 * else /etc/xendeck/config.yaml.
 *
 *	theme: high-contrast		# a name or a path
 *	refresh: 1.0			# seconds between samples
 *	view: top			# domains, top or host
 *	confirm:
 *	  destroy: true			# type the name to destroy
 *	  shutdown: false		# y/n before a shutdown
 *	  reboot: false
 *	shutdown_timeout: 30		# seconds before offering force
 *
 * Unknown keys are errors naming FILE:LINE:COL; the console then shows the
 * error and runs with the defaults.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "console.h"

void
config_defaults(struct tui_config *c)
{
	config_free(c);
	c->refresh_ms = 1000;
	c->confirm_destroy = 1;
	c->confirm_shutdown = 0;
	c->confirm_reboot = 0;
	c->shutdown_timeout = 30;
}

void
config_free(struct tui_config *c)
{
	free(c->path);
	free(c->theme);
	free(c->view);
	memset(c, 0, sizeof *c);
}

static int
get_bool(const char *file, yaml_node_t *v, int *out, char **cause)
{
	const char	*s = (const char *)v->data.scalar.value;

	if (v->type == YAML_SCALAR_NODE) {
		if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
			*out = 1;
			return (0);
		}
		if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
			*out = 0;
			return (0);
		}
	}
	*cause = ydoc_error(file, v, "expected true or false");
	return (-1);
}

static int
get_number(const char *file, yaml_node_t *v, double lo, double hi,
    double *out, char **cause)
{
	char	*end;
	double	 d;

	if (v->type == YAML_SCALAR_NODE) {
		d = strtod((const char *)v->data.scalar.value, &end);
		if (*end == '\0' && end != (char *)v->data.scalar.value &&
		    d >= lo && d <= hi) {
			*out = d;
			return (0);
		}
	}
	*cause = ydoc_error(file, v, "expected a number from %g to %g", lo,
	    hi);
	return (-1);
}

static int
get_string(const char *file, yaml_node_t *v, char **out, char **cause)
{
	if (v->type != YAML_SCALAR_NODE) {
		*cause = ydoc_error(file, v, "expected a string");
		return (-1);
	}
	free(*out);
	*out = xstrdup((const char *)v->data.scalar.value);
	return (0);
}

static int
parse_confirm(struct tui_config *c, yaml_document_t *doc, const char *file,
    yaml_node_t *map, char **cause)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v;
	const char		*key;
	int			*flag;

	if (map->type != YAML_MAPPING_NODE) {
		*cause = ydoc_error(file, map, "confirm takes a mapping "
		    "(destroy, shutdown, reboot)");
		return (-1);
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		v = yaml_document_get_node(doc, p->value);
		key = k->type == YAML_SCALAR_NODE ?
		    (const char *)k->data.scalar.value : "";
		if (strcmp(key, "destroy") == 0)
			flag = &c->confirm_destroy;
		else if (strcmp(key, "shutdown") == 0)
			flag = &c->confirm_shutdown;
		else if (strcmp(key, "reboot") == 0)
			flag = &c->confirm_reboot;
		else {
			*cause = ydoc_error(file, k, "unknown key: confirm.%s",
			    key);
			return (-1);
		}
		if (get_bool(file, v, flag, cause) != 0)
			return (-1);
	}
	return (0);
}

/* Parse a config over the defaults; on error c keeps the defaults. */
int
config_parse(struct tui_config *c, const char *file, const char *buf,
    size_t len, char **cause)
{
	yaml_document_t		*doc = NULL;
	yaml_node_t		*root, *k, *v;
	yaml_node_pair_t	*p;
	struct tui_config	 nc = { 0 };
	const char		*key;
	double			 d;
	int			 rc = -1;

	config_defaults(&nc);
	if ((doc = ydoc_load(file, buf, len, cause)) == NULL)
		goto out;
	if ((root = yaml_document_get_root_node(doc)) == NULL)
		goto done;	/* an empty file: the defaults */
	if (root->type != YAML_MAPPING_NODE) {
		*cause = ydoc_error(file, root, "expected a mapping");
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		v = yaml_document_get_node(doc, p->value);
		key = k->type == YAML_SCALAR_NODE ?
		    (const char *)k->data.scalar.value : "";
		if (strcmp(key, "theme") == 0) {
			if (get_string(file, v, &nc.theme, cause) != 0)
				goto out;
		} else if (strcmp(key, "view") == 0) {
			if (get_string(file, v, &nc.view, cause) != 0)
				goto out;
			if (strcmp(nc.view, "domains") != 0 &&
			    strcmp(nc.view, "top") != 0 &&
			    strcmp(nc.view, "host") != 0) {
				*cause = ydoc_error(file, v, "view: expected "
				    "domains, top or host, not %s", nc.view);
				goto out;
			}
		} else if (strcmp(key, "refresh") == 0) {
			if (get_number(file, v, 0.1, 3600, &d, cause) != 0)
				goto out;
			nc.refresh_ms = (int)(d * 1000 + 0.5);
		} else if (strcmp(key, "shutdown_timeout") == 0) {
			if (get_number(file, v, 1, 3600, &d, cause) != 0)
				goto out;
			nc.shutdown_timeout = (int)d;
		} else if (strcmp(key, "confirm") == 0) {
			if (parse_confirm(&nc, doc, file, v, cause) != 0)
				goto out;
		} else {
			*cause = ydoc_error(file, k, "unknown key: %s", key);
			goto out;
		}
	}
done:
	nc.path = xstrdup(file);
	config_free(c);
	*c = nc;
	memset(&nc, 0, sizeof nc);
	rc = 0;
out:
	config_free(&nc);
	ydoc_free(doc);
	return (rc);
}

/*
 * Read the first config file that exists. 0 with the defaults when there
 * is none; -1 and a cause (the defaults in c) when one is bad.
 */
int
config_load(struct tui_config *c, char **cause)
{
	const char	*home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char		*paths[3], *buf = NULL;
	size_t		 i, len;
	int		 rc = 0;

	config_defaults(c);
	if (xdg != NULL && *xdg != '\0')
		paths[0] = xprintf("%s/xendeck/config.yaml", xdg);
	else
		paths[0] = xprintf("%s/.config/xendeck/config.yaml",
		    home != NULL ? home : "/");
	paths[1] = xprintf("%s/xendeck/config.yaml", XENDECK_SYSCONFDIR);
	paths[2] = xstrdup("/etc/xendeck/config.yaml");	/* prefix /usr/local */
	for (i = 0; i < nitems(paths); i++) {
		if (access(paths[i], F_OK) != 0)
			continue;
		if (file_read_limit(paths[i], YAML_MAX_SIZE, "a config file",
		    &buf, &len, cause) != 0 ||
		    config_parse(c, paths[i], buf, len, cause) != 0)
			rc = -1;
		break;
	}
	free(buf);
	for (i = 0; i < nitems(paths); i++)
		free(paths[i]);
	return (rc);
}
