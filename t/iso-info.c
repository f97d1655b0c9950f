/*
 * iso-info: what xen-core/iso.c makes of ISO images, one line each, for
 * t/1700-iso.t. -r USER checks readability as USER instead; -l lists the
 * ISOs in $XENDECK_ISO_DIRS (the picker's list).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

static void
print_info(const char *path, const struct iso_info *i)
{
	printf("%s: label=%s kind=%s evidence=%s bios=%d efi=%d joliet=%d "
	    "rr=%d udf=%d size=%llu file=%llu truncated=%d\n", path, i->label,
	    iso_kind_name(i->kind), i->evidence, i->boot_bios, i->boot_efi,
	    i->joliet, i->rockridge, i->udf, (unsigned long long)i->size,
	    (unsigned long long)i->file_size, i->truncated);
}

int
main(int argc, char **argv)
{
	struct iso_info		 info;
	struct iso_entry	*list;
	char			*cause = NULL, *user = NULL;
	size_t			 n, i;
	int			 ch, rc = 0, listing = 0;

	while ((ch = getopt(argc, argv, "lr:")) != -1) {
		switch (ch) {
		case 'l':
			listing = 1;
			break;
		case 'r':
			user = optarg;
			break;
		default:
			return (2);
		}
	}
	if (listing) {
		iso_list(&list, &n);
		for (i = 0; i < n; i++) {
			if (list[i].error != NULL)
				printf("%s: error=%s\n", list[i].path,
				    list[i].error);
			else
				print_info(list[i].path, &list[i].info);
		}
		iso_list_free(list, n);
		return (0);
	}
	for (i = optind; i < (size_t)argc; i++) {
		if (user != NULL) {
			if (iso_readable_by(argv[i], user, &cause) != 0) {
				printf("%s: unreadable: %s\n", argv[i], cause);
				free(cause);
				cause = NULL;
				rc = 1;
			} else
				printf("%s: readable by %s\n", argv[i], user);
			continue;
		}
		if (iso_probe(argv[i], &info, &cause) != 0) {
			printf("%s: error=%s\n", argv[i], cause);
			free(cause);
			cause = NULL;
			rc = 1;
			continue;
		}
		print_info(argv[i], &info);
	}
	return (rc);
}
