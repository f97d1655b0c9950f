/*
 * bl-extract: drive bootloader.c from shell tests.
 *   bl-extract DISK OUTDIR [BOOTLOADER-ARG...]
 *                            extract the default entry (or what xl.cfg's
 *                            bootloader_args pick): prints KERNEL=,
 *                            RAMDISK= (empty without one), ARGS= lines
 *   bl-extract -m DISK       print the menu: "N index.subindex title" per
 *                            entry, "*" marking the default
 * Errors: the cause on stderr, exit 1.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

int
main(int argc, char **argv)
{
	struct bootloader_menu	 m;
	struct bootloader_opts	 o;
	char			*k, *r, *a, *cause = NULL;
	int			 rc;
	size_t			 i;

	if (argc == 3 && strcmp(argv[1], "-m") == 0) {
		if (bootloader_read_menu(argv[2], &m, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			free(cause);
			return (1);
		}
		for (i = 0; i < m.nentries; i++) {
			printf("%c %d.%d %s\n", (int)i == m.default_entry ?
			    '*' : ' ', m.entries[i].index,
			    m.entries[i].subindex, m.entries[i].title);
		}
		bootloader_menu_free(&m);
		return (0);
	}
	if (argc < 3) {
		fprintf(stderr, "usage: bl-extract DISK OUTDIR [ARG...] | "
		    "-m DISK\n");
		return (2);
	}
	if (bootloader_opts_parse(argv + 3, &o, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	rc = bootloader_extract_opts(argv[1], argv[2], &o, &k, &r, &a, &cause);
	bootloader_opts_free(&o);
	if (rc != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	printf("KERNEL=%s\nRAMDISK=%s\nARGS=%s\n", k, r != NULL ? r : "", a);
	free(k);
	free(r);
	free(a);
	return (0);
}
