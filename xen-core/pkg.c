/*
 * Debian packages: which of some are installed, and at what version
 * (dpkg-query), for the host check and the wizards that install them; and
 * what `apt-get install` would add (apt-get -s, run as any user). The
 * outputs are parsed apart from running the tools, so the parsers are
 * tested on real output.
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
 * dpkg-query -W -f='${binary:Package}\t${db:Status-Abbrev}\t${Version}\n'
 * output (OUT, modified) into one struct pkg per name in names, in that
 * order; a name without a line is PKG_ABSENT.
 */
void
pkg_query_parse(char *out, char *const *names, struct pkg **v)
{
	char		*line, *last, *tab, *tab2;
	size_t		 n = strv_len(names), i;
	struct pkg	*p;

	p = xcalloc(n + 1, sizeof *p);
	for (i = 0; i < n; i++) {
		p[i].name = xstrdup(names[i]);
		p[i].state = PKG_ABSENT;
	}
	for (line = strtok_r(out, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		if ((tab = strchr(line, '\t')) == NULL ||
		    (tab2 = strchr(tab + 1, '\t')) == NULL)
			continue;
		*tab = *tab2 = '\0';
		/* "xen-system-amd64" or "libc6:amd64". */
		line[strcspn(line, ":")] = '\0';
		for (i = 0; i < n; i++) {
			if (strcmp(p[i].name, line) != 0)
				continue;
			/* Status-Abbrev: wanted, then state (i installed). */
			if (strlen(tab + 1) < 2 || tab[2] == 'n')
				p[i].state = PKG_ABSENT;
			else if (tab[2] == 'i')
				p[i].state = PKG_INSTALLED;
			else if (tab[2] == 'c')
				p[i].state = PKG_CONFIG_ONLY;
			else
				p[i].state = PKG_HALF;
			free(p[i].version);
			p[i].version = p[i].state != PKG_ABSENT &&
			    *(tab2 + 1) != '\0' ? xstrdup(tab2 + 1) : NULL;
		}
	}
	*v = p;
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
	char			**argv = NULL;
	size_t			 n = strv_len(names), i;

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
	pkg_query_parse(res.out != NULL ? res.out : "", names, v);
	spawn_result_free(&res);
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

void
pkg_changes_free(struct pkg_change *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].version);
		free(v[i].old);
	}
	free(v);
}

/*
 * apt-get -s install output: "Inst NAME (VERSION ARCHIVE [ARCH])" for a new
 * package, "Inst NAME [OLD] (VERSION ...)" for an upgrade; "Conf" and the
 * rest are skipped. Returns the packages it would install or upgrade.
 */
int
pkg_simulate_parse(const char *buf, size_t len, struct pkg_change **vp,
    size_t *np, char **cause)
{
	struct pkg_change	*v = NULL;
	size_t			 n = 0, ll;
	const char		*p = buf, *end = buf + len, *lp;
	char			*l = NULL, *s, *name, *old = NULL, *ver;
	int			 line = 0;

	while (next_line(&p, end, &lp, &ll)) {
		line++;
		if (ll < 5 || strncmp(lp, "Inst ", 5) != 0)
			continue;
		free(l);
		l = xstrndup(lp + 5, ll - 5);
		s = l;
		name = s;
		if ((s = strchr(s, ' ')) == NULL)
			goto bad;
		*s++ = '\0';
		old = NULL;
		if (*s == '[') {
			old = s + 1;
			if ((s = strchr(s, ']')) == NULL)
				goto bad;
			*s++ = '\0';
			while (*s == ' ')
				s++;
		}
		if (*s != '(')
			goto bad;
		ver = s + 1;
		if ((s = strpbrk(ver, " )")) == NULL || s == ver)
			goto bad;
		*s = '\0';
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].name = xstrdup(name);
		v[n].version = xstrdup(ver);
		v[n].old = old != NULL ? xstrdup(old) : NULL;
		n++;
	}
	free(l);
	*vp = v;
	*np = n;
	return (0);
bad:
	*cause = xprintf("apt-get -s: line %d: not an Inst line: Inst %s",
	    line, l);
	free(l);
	pkg_changes_free(v, n);
	return (-1);
}

/*
 * What `apt-get install [--no-install-recommends] NAMES` would install or
 * upgrade, from apt-get -s (no root needed, nothing changes). An apt that
 * cannot resolve the names (no such package, nothing offers it) is an
 * error with apt's own message.
 */
int
pkg_simulate_install(char *const *names, int recommends,
    struct pkg_change **vp, size_t *np, char **cause)
{
	struct spawn_result	 res = { 0 };
	char		       **argv = NULL;
	size_t			 i;
	int			 rc = -1;

	strv_push(&argv, "apt-get");
	strv_push(&argv, "-s");
	strv_push(&argv, "-q");
	strv_push(&argv, "install");
	if (!recommends)
		strv_push(&argv, "--no-install-recommends");
	for (i = 0; names[i] != NULL; i++)
		strv_push(&argv, names[i]);
	if (spawn_run(argv, NULL, SPAWN_STDOUT, &res, cause) != 0)
		goto out;
	rc = pkg_simulate_parse(res.out != NULL ? res.out : "", res.outlen,
	    vp, np, cause);
out:
	spawn_result_free(&res);
	strv_free(argv);
	return (rc);
}
