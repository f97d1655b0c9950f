/*
 * template.c: PV guest templates. A template is a Debian root with no
 * identity in it, built once by scripts/template-build (mmdebstrap, a
 * kernel, sshd, ifupdown, a boot menu for pygrub) into an ext4 image kept
 * in ${XENDECK_CACHE:-/var/cache/xendeck}/templates, and copied once into
 * each pool that clones guests from it, as a volume named
 * tmpl-DIST-KEY (KEY: the first 8 characters of the build's key, so a
 * rebuilt template is a new volume and clones of the old one keep theirs).
 *
 * The builder reports its phases as "@@xendeck phase N/5 NAME" lines
 * (download, unpack, configure, kernel, image) among the tools' output;
 * template_phase() reads them, for progress bars.
 */
#include <sys/stat.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

#ifndef XENDECK_DATADIR
#define XENDECK_DATADIR "/usr/share/xendeck"
#endif

const char *const template_dists[] = { "bookworm", NULL };

/* Whether DIST is a template xendeck can build. */
int
template_dist_valid(const char *dist)
{
	const char *const	*d;

	for (d = template_dists; *d != NULL; d++) {
		if (strcmp(*d, dist) == 0)
			return (1);
	}
	return (0);
}

/*
 * The builder: $XENDECK_TEMPLATE_SCRIPT, else scripts/template-build beside
 * the binary (a build tree), else the installed copy, else the source tree
 * the binary was built from.
 */
char *
template_script(char **cause)
{
	const char	*env;
	char		 self[PATH_MAX], *path;
	ssize_t		 n;

	if ((env = getenv("XENDECK_TEMPLATE_SCRIPT")) != NULL && *env != '\0')
		return (xstrdup(env));
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		xasprintf(&path, "%s/scripts/template-build", dirname(self));
		if (access(path, X_OK) == 0)
			return (path);
		free(path);
	}
	xasprintf(&path, "%s/template-build", XENDECK_DATADIR);
	if (access(path, X_OK) == 0)
		return (path);
	free(path);
#ifdef XENDECK_SRCDIR
	xasprintf(&path, "%s/scripts/template-build", XENDECK_SRCDIR);
	if (access(path, X_OK) == 0)
		return (path);
	free(path);
#endif
	*cause = xstrdup("scripts/template-build not found (set "
	    "XENDECK_TEMPLATE_SCRIPT or install xendeck)");
	return (NULL);
}

/* argv of the builder for DIST, with the cache passed on; extra may be NULL */
static char **
template_argv(const char *script, const char *dist, const char *extra)
{
	char		**argv = NULL;
	const char	 *cache = getenv("XENDECK_CACHE");

	strv_push(&argv, script);
	if (cache != NULL && *cache != '\0') {
		strv_push(&argv, "--cache");
		strv_push(&argv, cache);
	}
	strv_push(&argv, "--dist");
	strv_push(&argv, dist);
	if (extra != NULL)
		strv_push(&argv, extra);
	return (argv);
}

/* The builder's argv (for a plan step); the caller frees it. */
char **
template_build_argv(const char *dist, char **cause)
{
	char	*script, **argv;

	if ((script = template_script(cause)) == NULL)
		return (NULL);
	argv = template_argv(script, dist, NULL);
	free(script);
	return (argv);
}

/* The IMAGE= line of the builder's output, or NULL. */
static char *
template_image_line(const char *out)
{
	const char	*p = out, *nl;
	char		*image = NULL;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		if (strncmp(p, "IMAGE=", 6) == 0) {
			free(image);
			image = nl != NULL ? xstrndup(p + 6, nl - p - 6) :
			    xstrdup(p + 6);
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	return (image);
}

/*
 * The cached image of DIST's template: *image is where it is (or will be
 * once built); returns 1 when it is built, 0 when not (nothing is built
 * here), -1 with *cause.
 */
int
template_image(const char *dist, char **image, char **cause)
{
	struct spawn_result	 res = { 0 };
	char			*script, **argv;
	int			 rc = -1;

	*image = NULL;
	if ((script = template_script(cause)) == NULL)
		return (-1);
	argv = template_argv(script, dist, "--print");
	if (spawn_run(argv, NULL, SPAWN_STDOUT | SPAWN_NOCHECK |
	    SPAWN_KEEPENV, &res, cause) != 0)
		goto out;
	if ((res.status != 0 && res.status != 3) || res.out == NULL ||
	    (*image = template_image_line(res.out)) == NULL) {
		*cause = xprintf("%s --print: exit %d", script, res.status);
		goto out;
	}
	rc = res.status == 0 ? 1 : 0;
out:
	spawn_result_free(&res);
	strv_free(argv);
	free(script);
	return (rc);
}

/*
 * Build DIST's template (or find it built): every output line goes to
 * on_line (may be NULL), *image is the image's path.
 */
int
template_build(const char *dist, void (*on_line)(void *, int, const char *),
    void *arg, char **image, char **cause)
{
	struct spawn_result	 res = { 0 };
	char			*script, **argv;
	int			 rc = -1;

	*image = NULL;
	if ((script = template_script(cause)) == NULL)
		return (-1);
	argv = template_argv(script, dist, NULL);
	if (spawn_run_lines(argv, NULL, SPAWN_STDOUT | SPAWN_KEEPENV, 0,
	    on_line, arg, &res, cause) != 0)
		goto out;
	if (res.out == NULL || (*image = template_image_line(res.out)) ==
	    NULL) {
		*cause = xprintf("%s: no IMAGE= line in its output", script);
		goto out;
	}
	rc = 0;
out:
	spawn_result_free(&res);
	strv_free(argv);
	free(script);
	return (rc);
}

/*
 * A builder phase line: "@@xendeck phase N/TOTAL NAME". Returns 1 and sets
 * the numbers and *name (borrowed from line) for one, else 0.
 */
int
template_phase(const char *line, int *n, int *total, const char **name)
{
	const char	*p;
	char		*end;
	long		 a, b;

	if (strncmp(line, "@@xendeck phase ", 16) != 0)
		return (0);
	p = line + 16;
	a = strtol(p, &end, 10);
	if (end == p || *end != '/')
		return (0);
	p = end + 1;
	b = strtol(p, &end, 10);
	if (end == p || *end != ' ' || a < 1 || b < a || b > 100)
		return (0);
	*n = (int)a;
	*total = (int)b;
	*name = end + 1;
	return (1);
}

/*
 * The template volume's name for a built image ".../DIST-KEY.img":
 * "tmpl-DIST-KEY8". NULL when the path is not a builder's image.
 */
char *
template_volume_name(const char *image)
{
	const char	*base, *dash, *dot;
	char		*name;

	base = strrchr(image, '/') != NULL ? strrchr(image, '/') + 1 : image;
	dash = strrchr(base, '-');
	dot = strrchr(base, '.');
	if (dash == NULL || dot == NULL || dot < dash || dot - dash < 9 ||
	    strcmp(dot, ".img") != 0)
		return (NULL);
	xasprintf(&name, "tmpl-%.*s-%.8s", (int)(dash - base), base,
	    dash + 1);
	if (!valid_name(name)) {
		free(name);
		return (NULL);
	}
	return (name);
}

/* The image's size in bytes (the template volume's size), or 0. */
uint64_t
template_image_size(const char *image)
{
	struct stat	 st;

	if (stat(image, &st) != 0 || !S_ISREG(st.st_mode))
		return (0);
	return ((uint64_t)st.st_size);
}
