/*
 * libFuzzer target for the console's YAML loaders (make fuzz; run briefly
 * by t/0131-fuzz-yaml.t under ASan and UBSan): every input is read as a
 * config.yaml (config.c) and as a theme (theme.c), through ydoc.c. Each is
 * parsed or refused with a cause naming the file ("y.yaml:LINE:COL: ...";
 * values from the file in it are escaped where it is printed); a parsed
 * config's values and a parsed theme's colours are in their ranges.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A refusal names the file. */
static void
check_cause(const char *what, char *cause)
{
	if (cause == NULL || strncmp(cause, "y.yaml:", 7) != 0) {
		fprintf(stderr, "%s: refused without FILE: %s\n", what,
		    cause != NULL ? cause : "(no cause)");
		abort();
	}
	free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tui_config	 c;
	struct theme		 t;
	char			*cause = NULL;
	int			 i;

	memset(&c, 0, sizeof c);
	config_defaults(&c);
	if (config_parse(&c, "y.yaml", (const char *)data, size,
	    &cause) != 0)
		check_cause("config", cause);
	else if (c.refresh_ms <= 0 || c.shutdown_timeout < 0) {
		fprintf(stderr, "config: refresh %d, shutdown timeout %d\n",
		    c.refresh_ms, c.shutdown_timeout);
		abort();
	}
	config_free(&c);

	memset(&t, 0, sizeof t);
	theme_default(&t);
	cause = NULL;
	if (theme_parse(&t, "y.yaml", (const char *)data, size, &cause) != 0)
		check_cause("theme", cause);
	else {
		for (i = 0; i < COL_NSLOTS; i++) {
			if (t.slot[i].fg < -1 || t.slot[i].fg > 255 ||
			    t.slot[i].bg < -1 || t.slot[i].bg > 255) {
				fprintf(stderr, "theme: slot %d colours %d/%d\n",
				    i, t.slot[i].fg, t.slot[i].bg);
				abort();
			}
		}
	}
	theme_free(&t);
	return (0);
}
