/*
 * Debian packages: which of some are installed, and at what version
 * (dpkg-query), for the host check and the wizards that install them.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

void
pkg_list_free(struct pkg *v, size_t n)
{
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].name);
		free(v[i].version);
	}
	free(v);
}

/*
 * The state of each package in names (NULL-terminated), in that order:
 * *v gets one struct pkg per name. A package dpkg does not know is
 * PKG_ABSENT. -1 with *cause when dpkg-query cannot be run.
 */
int
pkg_query(char *const *names, struct pkg **v, char **cause)
{
	struct spawn_result	 res;
	char			**argv = NULL, *line, *last, *tab, *tab2;
	size_t			 n = strv_len(names), i;
	struct pkg		*out;

	*v = NULL;
	strv_push(&argv, "dpkg-query");
	strv_push(&argv, "-W");
	strv_push(&argv, "-f=${binary:Package}\t${db:Status-Abbrev}\t"
	    "${Version}\n");
	for (i = 0; i < n; i++)
		strv_push(&argv, names[i]);
	/* dpkg-query exits 1 when some name is unknown: not an error. */
	if (spawn_run(argv, NULL, SPAWN_STDOUT | SPAWN_NOCHECK, &res,
	    cause) != 0 || res.status > 1) {
		if (*cause == NULL)
			*cause = xprintf("dpkg-query: exit %d", res.status);
		spawn_result_free(&res);
		strv_free(argv);
		return (-1);
	}
	strv_free(argv);
	out = xcalloc(n + 1, sizeof *out);
	for (i = 0; i < n; i++) {
		out[i].name = xstrdup(names[i]);
		out[i].state = PKG_ABSENT;
	}
	for (line = strtok_r(res.out != NULL ? res.out : "", "\n", &last);
	    line != NULL; line = strtok_r(NULL, "\n", &last)) {
		if ((tab = strchr(line, '\t')) == NULL ||
		    (tab2 = strchr(tab + 1, '\t')) == NULL)
			continue;
		*tab = *tab2 = '\0';
		/* "xen-system-amd64" or "libc6:amd64". */
		line[strcspn(line, ":")] = '\0';
		for (i = 0; i < n; i++) {
			if (strcmp(out[i].name, line) != 0)
				continue;
			/* Status-Abbrev: wanted, then state (i installed). */
			if (strlen(tab + 1) < 2 || tab[2] == 'n')
				out[i].state = PKG_ABSENT;
			else if (tab[2] == 'i')
				out[i].state = PKG_INSTALLED;
			else if (tab[2] == 'c')
				out[i].state = PKG_CONFIG_ONLY;
			else
				out[i].state = PKG_HALF;
			free(out[i].version);
			out[i].version = out[i].state != PKG_ABSENT &&
			    *(tab2 + 1) != '\0' ? xstrdup(tab2 + 1) : NULL;
		}
	}
	spawn_result_free(&res);
	*v = out;
	return (0);
}

/* Whether one package is installed (0 when dpkg cannot say). */
int
pkg_installed(const char *name)
{
	char		*names[] = { (char *)name, NULL }, *cause = NULL;
	struct pkg	*v;
	int		 yes;

	if (pkg_query(names, &v, &cause) != 0) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
		return (0);
	}
	yes = v[0].state == PKG_INSTALLED;
	pkg_list_free(v, 1);
	return (yes);
}
