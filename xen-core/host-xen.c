/*
 * Whether Xen runs and whether this is its dom0, and what `xl info` says
 * (xen_caps, virt_caps, memory), for the host check and the wizards. A PV
 * dom0's /proc/cpuinfo hides vmx/svm, and Xen hides the IOMMU's ACPI
 * tables from dom0: once Xen runs, xl info is where those facts are.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

/* A small /sys or /proc file's first line, or NULL. */
static char *
first_line(const char *path)
{
	char	*buf = NULL, *cause = NULL;

	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return (buf);
}

void
host_xen_free(struct host_xen *x)
{
	if (x == NULL)
		return;
	free(x->info);
	free(x->info_why);
	memset(x, 0, sizeof *x);
}

/*
 * Fill x: running (/sys/hypervisor/type is "xen"), dom0 (control_d in
 * /proc/xen/capabilities, or the all-zero uuid dom0 has when xenfs is not
 * mounted), the version, and xl info's output when xl can give it.
 */
void
host_xen_probe(struct host_xen *x)
{
	struct spawn_result	 res;
	char			*argv[] = { "xl", "info", NULL };
	char			*s, *maj, *min, *extra, *cause = NULL;

	memset(x, 0, sizeof *x);
	if ((s = first_line("/sys/hypervisor/type")) != NULL) {
		x->running = strcmp(s, "xen") == 0;
		free(s);
	}
	if (!x->running)
		return;
	if ((s = first_line("/proc/xen/capabilities")) != NULL) {
		x->dom0 = strstr(s, "control_d") != NULL;
		free(s);
	} else if ((s = first_line("/sys/hypervisor/uuid")) != NULL) {
		x->dom0 = strcmp(s, "00000000-0000-0000-0000-000000000000") ==
		    0;
		free(s);
	}
	maj = first_line("/sys/hypervisor/version/major");
	min = first_line("/sys/hypervisor/version/minor");
	extra = first_line("/sys/hypervisor/version/extra");
	if (maj != NULL && min != NULL)
		snprintf(x->version, sizeof x->version, "%s.%s%s", maj, min,
		    extra != NULL ? extra : "");
	free(maj);
	free(min);
	free(extra);
	if (!x->dom0)
		return;
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 30000, &res,
	    &cause) == 0) {
		x->info = res.out;
		res.out = NULL;
	} else
		x->info_why = cause;
	spawn_result_free(&res);
}

/* The value of KEY in xl info's "key : value" lines, or NULL. */
char *
host_xen_info(const struct host_xen *x, const char *key)
{
	const char	*line, *end, *p;
	size_t		 klen = strlen(key);

	if (x->info == NULL)
		return (NULL);
	for (line = x->info; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, key, klen) != 0)
			continue;
		for (p = line + klen; p < end && *p == ' '; p++)
			;
		if (p == end || *p != ':')
			continue;
		for (p++; p < end && *p == ' '; p++)
			;
		return (xstrndup(p, end - p));
	}
	return (NULL);
}
