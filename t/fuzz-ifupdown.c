/*
 * libFuzzer target for ifupdown.c: every input is read as
 * /etc/network/interfaces (under a root that does not exist, so no source
 * line reaches the host's files) and must parse or be refused with a
 * cause; a parsed file's logical lines cover it byte for byte; and when
 * the bridge edit (dhcp, then static) changes it, the result must read
 * back, with eth0 a port of xenbr0, and a second edit must change nothing.
 * Build and run: make fuzz.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ROOT	"/nonexistent-xendeck-fuzz"
#define MAIN	"/etc/network/interfaces"

static void
check_cover(const struct ifupdown *ifs)
{
	size_t	 i, j, sum;

	for (i = 0; i < ifs->nfiles; i++) {
		for (sum = 0, j = 0; j < ifs->files[i].nlines; j++) {
			if (ifs->files[i].lines[j].off != sum)
				abort();
			sum += ifs->files[i].lines[j].len;
		}
		if (sum != ifs->files[i].len)
			abort();
	}
}

static void
edit(const struct ifupdown *ifs, const struct ifupdown_bridge *br)
{
	struct ifupdown_change	*ch = NULL, *ch2 = NULL;
	struct ifupdown_text	 over;
	struct ifupdown		 again;
	char			**notes = NULL, **notes2 = NULL, *cause = NULL;
	size_t			 n = 0, n2 = 0, p, b;

	if (ifupdown_bridge_edit(ifs, br, &ch, &n, &notes, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (n > 1)
		abort();	/* one file: no source reads another */
	if (n == 1) {
		over.path = ch[0].path;
		over.data = ch[0].after;
		over.len = ch[0].afterlen;
		if (ifupdown_load(ROOT, MAIN, &over, 1, &again, &cause) != 0)
			abort();	/* our edit must read back */
		check_cover(&again);
		b = ifupdown_iface(&again, br->bridge, "inet", 0);
		p = ifupdown_iface(&again, br->nic, "inet", 0);
		if (b == IFUPDOWN_NONE || (p != IFUPDOWN_NONE &&
		    strcmp(again.st[p].method, "manual") != 0))
			abort();
		if (ifupdown_bridge_edit(&again, br, &ch2, &n2, &notes2,
		    &cause) != 0 || n2 != 0)
			abort();	/* a second edit changes nothing */
		ifupdown_free(&again);
	}
	ifupdown_changes_free(ch, n);
	ifupdown_changes_free(ch2, n2);
	strv_free(notes);
	strv_free(notes2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ifupdown_text	 over = { MAIN, (const char *)data, size };
	struct ifupdown_bridge	 dhcp = { "eth0", "xenbr0", "dhcp", NULL,
				     NULL };
	struct ifupdown_bridge	 stat = { "eth0", "xenbr0", "static",
				     "192.0.2.10/24", "192.0.2.1" };
	struct ifupdown		 ifs;
	char			*cause = NULL, *flat;
	size_t			 len;

	if (ifupdown_load(ROOT, MAIN, &over, 1, &ifs, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return (0);
	}
	check_cover(&ifs);
	flat = ifupdown_flatten(&ifs, &len);
	if (flat == NULL || strlen(flat) != len)
		abort();
	free(flat);
	edit(&ifs, &dhcp);
	edit(&ifs, &stat);
	ifupdown_free(&ifs);
	return (0);
}
