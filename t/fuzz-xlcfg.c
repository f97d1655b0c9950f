/*
 * libFuzzer target for the xl.cfg(5) parser (make fuzz; run briefly by
 * t/0130-fuzz-xlcfg.t under ASan and UBSan). Any input must be parsed or
 * refused with a one-line "FILE:LINE:COL: " message; a parsed config must
 * write out and read back, and the written text must be a fixed point.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A message is one printable line. */
static int
one_line(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (0);
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlcfg	*cfg = NULL, *again = NULL;
	char		*cause = NULL, *text = NULL, *text2 = NULL;
	size_t		 i;
	int		 flags;

	/* Both layers: the generic one alone, then with semantics. */
	for (flags = XLCFG_SYNTAX_ONLY; flags >= 0; flags--) {
		if (xlcfg_parse_flags("f.cfg", (const char *)data, size,
		    flags, &cfg, &cause) != 0) {
			if (cause == NULL || strncmp(cause, "f.cfg:", 6) != 0 ||
			    !one_line(cause))
				abort();
			free(cause);
			cause = NULL;
			continue;
		}
		for (i = 0; i < cfg->nwarnings; i++) {
			if (!one_line(cfg->warnings[i]))
				abort();
		}
		text = xlcfg_write(cfg);
		if (xlcfg_parse_flags("w.cfg", text, strlen(text), flags,
		    &again, &cause) != 0) {
			fprintf(stderr, "written config does not read back: "
			    "%s\n%s", cause, text);
			abort();
		}
		text2 = xlcfg_write(again);
		if (strcmp(text, text2) != 0) {
			fprintf(stderr, "writing is not a fixed point:\n%s\n"
			    "--- then:\n%s", text, text2);
			abort();
		}
		free(text);
		free(text2);
		text = text2 = NULL;
		xlcfg_free(cfg);
		xlcfg_free(again);
		cfg = again = NULL;
	}
	return (0);
}
