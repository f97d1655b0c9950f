/*
 * libFuzzer target for bootloader.c's menu readers: every input goes
 * through both the grub.cfg and the menu.lst parser, and a menu that parses
 * must have a sane default. Build and run: make fuzz-grubcfg.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct bootloader_menu *m)
{
	size_t	 i;

	if (m->default_entry >= (int)m->nentries || m->default_entry < -1)
		abort();
	for (i = 0; i < m->nentries; i++) {
		if (m->entries[i].title == NULL)
			abort();
		if (m->entries[i].kernel != NULL &&
		    m->entries[i].kernel[0] != '/')
			abort();
		if (m->entries[i].args != NULL &&
		    strlen(m->entries[i].args) > 4096)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bootloader_menu	 m;
	char			*cause = NULL;

	if (bootloader_parse_grubcfg("grub.cfg", (const char *)data, size, &m,
	    &cause) == 0) {
		check(&m);
		bootloader_menu_free(&m);
	} else if (cause == NULL)
		abort();
	free(cause);
	cause = NULL;
	if (bootloader_parse_menulst("menu.lst", (const char *)data, size, &m,
	    &cause) == 0) {
		check(&m);
		bootloader_menu_free(&m);
	} else if (cause == NULL)
		abort();
	free(cause);
	return (0);
}
