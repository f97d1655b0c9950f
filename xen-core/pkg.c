/*
 * Debian package facts: which packages are installed (dpkg-query, whose
 * database is the truth: it knows about half-installed packages and
 * pending updates), and what `apt-get install` would add (apt-get -s, run
 * as any user). Both outputs are parsed here from text, so the parsers are
 * tested with real output of the real tools.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

/* The format pkg_query asks dpkg-query for. */
#define PKG_QUERY_FORMAT "${Package}\\t${db:Status-Abbrev}\\t${Version}\\n"

void
pkg_states_free(struct pkg_state *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].version);
	}
	free(v);
}

const struct pkg_state *
pkg_find(const struct pkg_state *v, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) == 0)
			return (&v[i]);
	}
	return (NULL);
}

/*
 * dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\t${Version}\n' output:
 * NAME, the want/status/error letters ("ii ", "rc ", "iU ", "iF "...) and
 * the version. A package is installed when its status letter is 'i'
 * (installed) with no error flag; 'U' (unpacked), 'F' (half-configured),
 * 'H' (half-installed) and the trigger states are not.
 */
int
pkg_query_parse(const char *buf, size_t len, struct pkg_state **vp,
    size_t *np, char **cause)
{
	struct pkg_state	*v = NULL;
	size_t			 n = 0;
	const char		*p = buf, *end = buf + len, *nl, *t1, *t2;
	int			 line = 0;

	for (; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		if (nl == p)
			continue;
		if ((t1 = memchr(p, '\t', nl - p)) == NULL ||
		    (t2 = memchr(t1 + 1, '\t', nl - t1 - 1)) == NULL ||
		    t1 == p || t2 - t1 - 1 < 2) {
			*cause = xprintf("dpkg-query: line %d: not NAME\\tSTATUS"
			    "\\tVERSION: %.*s", line, (int)(nl - p), p);
			pkg_states_free(v, n);
			return (-1);
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		memset(&v[n], 0, sizeof v[n]);
		v[n].name = xstrndup(p, t1 - p);
		v[n].status[0] = t1[1];
		v[n].status[1] = t1[2];
		v[n].status[2] = '\0';
		v[n].version = xstrndup(t2 + 1, nl - t2 - 1);
		v[n].installed = t1[2] == 'i' &&
		    (t2 - t1 - 1 < 3 || t1[3] == ' ');
		n++;
	}
	*vp = v;
	*np = n;
	return (0);
}

/*
 * The state of NAMES under ROOT (NULL: /; its dpkg database otherwise).
 * Every name gets a row: one dpkg does not know is "un" (not installed).
 */
int
pkg_query(const char *root, char *const *names, struct pkg_state **vp,
    size_t *np, char **cause)
{
	struct spawn_result	 res = { 0 };
	struct pkg_state	*v = NULL;
	char		       **argv = NULL, *admin = NULL;
	size_t			 n = 0, i;
	int			 rc = -1;

	strv_push(&argv, "dpkg-query");
	if (root != NULL && *root != '\0') {
		xasprintf(&admin, "--admindir=%s/var/lib/dpkg", root);
		strv_push(&argv, admin);
	}
	strv_push(&argv, "-W");
	strv_push(&argv, "-f=" PKG_QUERY_FORMAT);
	for (i = 0; names[i] != NULL; i++)
		strv_push(&argv, names[i]);
	/* Exit 1 when a name is unknown: its row is added below. */
	if (spawn_run(argv, NULL, SPAWN_STDOUT | SPAWN_NOCHECK, &res,
	    cause) != 0)
		goto out;
	if (res.status != 0 && res.status != 1) {
		*cause = xprintf("dpkg-query exited %d: %s", res.status,
		    res.err != NULL ? res.err : "");
		goto out;
	}
	if (pkg_query_parse(res.out != NULL ? res.out : "", res.outlen, &v,
	    &n, cause) != 0)
		goto out;
	for (i = 0; names[i] != NULL; i++) {
		if (pkg_find(v, n, names[i]) != NULL)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		memset(&v[n], 0, sizeof v[n]);
		v[n].name = xstrdup(names[i]);
		memcpy(v[n].status, "un", 3);
		v[n].version = xstrdup("");
		n++;
	}
	*vp = v;
	*np = n;
	v = NULL;
	n = 0;
	rc = 0;
out:
	pkg_states_free(v, n);
	spawn_result_free(&res);
	strv_free(argv);
	free(admin);
	return (rc);
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
	size_t			 n = 0;
	const char		*p = buf, *end = buf + len, *nl;
	char			*l = NULL, *s, *name, *old = NULL, *ver;
	int			 line = 0;

	for (; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		if (nl - p < 5 || strncmp(p, "Inst ", 5) != 0)
			continue;
		free(l);
		l = xstrndup(p + 5, nl - p - 5);
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
