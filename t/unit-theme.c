/*
 * Unit tests for console/theme.c and config.c: YAML themes and the config
 * file, errors naming FILE:LINE:COL, and the themes shipped in themes/.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "tap.h"

static int
parse_theme(struct theme *t, const char *text, char **cause)
{
	return (theme_parse(t, "t.yaml", text, strlen(text), cause));
}

static int
parse_config(struct tui_config *c, const char *text, char **cause)
{
	return (config_parse(c, "c.yaml", text, strlen(text), cause));
}

int
main(int argc, char **argv)
{
	struct theme		 t = { 0 };
	struct tui_config	 c = { 0 };
	char			*cause = NULL, *path;
	const char		*srcdir = getenv("XD_SRCDIR");
	const char		*shipped[] = { "default", "mono",
				    "high-contrast" };
	size_t			 i;

	theme_default(&t);
	is_str(t.name, "default", "compiled-in default");
	ok(parse_theme(&t, "name: x\nheader: { fg: yellow, bg: blue, "
	    "attrs: [bold, underline] }\n", &cause) == 0, "a good theme");
	is_int(t.slot[COL_HEADER].fg, COLOR_YELLOW, "fg");
	is_int(t.slot[COL_HEADER].bg, COLOR_BLUE, "bg");
	ok(t.slot[COL_HEADER].attrs == (A_BOLD | A_UNDERLINE), "attrs");
	is_int(t.slot[COL_ERROR].fg, COLOR_RED,
	    "unnamed slots keep the default");
	is_str(t.name, "x", "name");

	ok(parse_theme(&t, "header: { fg: black }\nbogus_slot: { fg: red "
	    "}\n", &cause) != 0, "an unknown slot is an error");
	is_str(cause, "t.yaml:2:1: unknown slot: bogus_slot",
	    "naming file:line:col");
	free(cause);
	is_str(t.name, "x", "a bad theme leaves the old one");
	ok(parse_theme(&t, "ok:\n  fg: purple\n", &cause) != 0,
	    "an unknown colour");
	is_str(cause, "t.yaml:2:7: unknown colour: purple", "named");
	free(cause);
	ok(parse_theme(&t, "ok: { fg: red, shade: 3 }\n", &cause) != 0,
	    "an unknown key in a slot");
	ok(strstr(cause, "t.yaml:1:16: unknown key: shade") == cause,
	    "named: %s", cause);
	free(cause);
	ok(parse_theme(&t, "ok: { attrs: [shiny] }\n", &cause) != 0,
	    "an unknown attribute");
	free(cause);
	ok(parse_theme(&t, "ok: { fg: red\n", &cause) != 0, "bad YAML");
	ok(strncmp(cause, "t.yaml:", 7) == 0, "with its line: %s", cause);
	free(cause);

	if (srcdir == NULL)
		srcdir = ".";
	for (i = 0; i < nitems(shipped); i++) {
		path = xprintf("%s/themes/%s.yaml", srcdir, shipped[i]);
		cause = NULL;
		ok(theme_load(&t, path, &cause) == 0, "themes/%s.yaml loads%s%s",
		    shipped[i], cause ? ": " : "", cause ? cause : "");
		free(cause);
		free(path);
	}
	theme_free(&t);

	config_defaults(&c);
	is_int(c.refresh_ms, 1000, "default refresh 1 s");
	is_int(c.confirm_destroy, 1, "destroy asks by default");
	cause = NULL;
	ok(parse_config(&c, "theme: mono\nrefresh: 0.5\nview: top\n"
	    "confirm:\n  destroy: false\n  shutdown: yes\n"
	    "shutdown_timeout: 10\n", &cause) == 0, "a good config%s%s",
	    cause ? ": " : "", cause ? cause : "");
	is_str(c.theme, "mono", "theme");
	is_int(c.refresh_ms, 500, "refresh");
	is_str(c.view, "top", "view");
	is_int(c.confirm_destroy, 0, "confirm.destroy");
	is_int(c.confirm_shutdown, 1, "confirm.shutdown");
	is_int(c.shutdown_timeout, 10, "shutdown_timeout");
	ok(parse_config(&c, "theme: mono\nrefersh: 2\n",
	    &cause) != 0, "a misspelt key is an error");
	is_str(cause, "c.yaml:2:1: unknown key: refersh", "named");
	free(cause);
	is_str(c.view, "top", "the config is unchanged");
	ok(parse_config(&c, "refresh: -1\n", &cause) != 0,
	    "a bad refresh");
	free(cause);
	ok(parse_config(&c, "view: nope\n", &cause) != 0,
	    "a bad view");
	free(cause);
	ok(parse_config(&c, "confirm: { destroy: maybe }\n",
	    &cause) != 0, "a bad boolean");
	free(cause);
	config_free(&c);
	return (done_testing());
}
