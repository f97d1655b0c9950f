/*
 * libFuzzer target for the ISO reader (xen-core/iso.c; make fuzz; run
 * briefly by t/1701-fuzz-iso.t under ASan and UBSan). The input is the
 * image from sector 16 on (the 32 KiB system area before it is zeros),
 * so mutations land on the volume descriptors, directories, the El
 * Torito catalog and the UDF structures. Any image must be read or
 * refused with a one-line cause, and what is read is printable.
 */
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return (0);
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 zeros[32768];
	struct iso_info	 info;
	char		 path[64], *cause = NULL;
	int		 fd;

	if ((fd = memfd_create("iso", 0)) == -1)
		abort();
	if (write(fd, zeros, sizeof zeros) != (ssize_t)sizeof zeros ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (iso_probe(path, &info, &cause) != 0) {
		if (cause == NULL || !printable(cause))
			abort();
		free(cause);
	} else if (!printable(info.label) || !printable(info.evidence) ||
	    info.file_size != sizeof zeros + size)
		abort();
	close(fd);
	return (0);
}
