/*
 * How the host booted: EFI or legacy BIOS, and whether Secure Boot is on
 * (the SecureBoot EFI variable; with it on, Debian 12's GRUB does not
 * load multiboot2 images such as Xen).
 */
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

/* The global-variable GUID SecureBoot and SetupMode live under. */
#define EFI_GLOBAL "8be4df61-93ca-11d2-aa0d-00e098032b8c"

/* An EFI variable's one-byte value (efivarfs: 4 attribute bytes first). */
static int
efi_var_byte(const char *name)
{
	char	*path, *buf = NULL, *cause = NULL;
	size_t	 len;
	int	 v = -1;

	xasprintf(&path, "/sys/firmware/efi/efivars/%s-" EFI_GLOBAL, name);
	if (file_read(path, &buf, &len, &cause) == 0) {
		if (len >= 5)
			v = (unsigned char)buf[4];
	} else
		free(cause);
	free(buf);
	free(path);
	return (v);
}

void
firmware_probe(struct host_firmware *fw)
{
	struct stat	 st;

	memset(fw, 0, sizeof *fw);
	fw->efi = stat("/sys/firmware/efi", &st) == 0;
	fw->secure_boot = fw->setup_mode = -1;
	if (!fw->efi)
		return;
	fw->secure_boot = efi_var_byte("SecureBoot");
	fw->setup_mode = efi_var_byte("SetupMode");
}
