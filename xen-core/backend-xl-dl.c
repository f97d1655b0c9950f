/*
 * The xl backend as a module (configure --enable-xl-module), for packages:
 * xendeck itself then links none of Xen's libraries, so it installs and
 * runs on any host, and the xendeck-xl package brings xendeck-xl.so
 * (backend-xl.c, linked with libxenlight, libxenstat, libxenstore and
 * libxenctrl) for a Xen dom0. This backend is its stand-in: its probe
 * loads the module, then every op goes to the module's own.
 *
 * The module is looked for next to the binary (a build tree), in
 * $(pkglibdir), and at the same place relative to the binary (an
 * installed tree moved elsewhere, such as an unpacked .deb). It resolves
 * xen-core's functions from the binary, which exports them
 * (--export-dynamic, with the whole of libxencore.a linked in).
 */
#include <dlfcn.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

#define XL_MODULE_FILE	"xendeck-xl.so"

static const struct backend_ops	*xl_mod;
static char			*xl_mod_error;

/* The directory of the running binary, or NULL. */
static char *
xl_dl_exe_dir(void)
{
	char	 self[PATH_MAX];
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return (NULL);
	self[n] = '\0';
	return (xstrdup(dirname(self)));
}

/*
 * pkglibdir relative to bindir ("../lib/x86_64-linux-gnu/xendeck" for
 * /usr/bin and /usr/lib/x86_64-linux-gnu/xendeck), or NULL.
 */
static char *
xl_dl_relative(void)
{
	const char	*bin = XENDECK_BINDIR, *lib = XENDECK_PKGLIBDIR;
	char		*up = xstrdup(""), *next, *out;
	size_t		 common = 0, i;

	if (*bin != '/' || *lib != '/') {
		free(up);
		return (NULL);
	}
	for (i = 0; bin[i] != '\0' && bin[i] == lib[i]; i++) {
		if (bin[i] == '/')
			common = i;
	}
	if (bin[i] == '\0' && (lib[i] == '/' || lib[i] == '\0'))
		common = i;
	for (i = common; bin[i] != '\0'; i++) {
		if (bin[i] != '/')
			continue;
		xasprintf(&next, "%s../", up);
		free(up);
		up = next;
	}
	out = xprintf("%s%s", up, lib + common + (lib[common] == '/'));
	free(up);
	return (out);
}

static int
xl_dl_load(char **cause)
{
	char		*paths[3] = { NULL, NULL, NULL }, *dir, *rel;
	const char	*err = NULL;
	void		*h = NULL;
	size_t		 i;

	if (xl_mod != NULL)
		return (0);
	if (xl_mod_error != NULL) {
		*cause = xstrdup(xl_mod_error);
		return (-1);
	}
	if ((dir = xl_dl_exe_dir()) != NULL) {
		paths[0] = xprintf("%s/%s", dir, XL_MODULE_FILE);
		if ((rel = xl_dl_relative()) != NULL)
			paths[2] = xprintf("%s/%s/%s", dir, rel, XL_MODULE_FILE);
		free(rel);
		free(dir);
	}
	paths[1] = xprintf("%s/%s", XENDECK_PKGLIBDIR, XL_MODULE_FILE);
	for (i = 0; i < nitems(paths) && h == NULL; i++) {
		if (paths[i] == NULL || access(paths[i], F_OK) != 0)
			continue;
		if ((h = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL)) == NULL) {
			err = dlerror();
			xl_mod_error = xprintf("%s: %s", paths[i], err);
			break;
		}
		log_debug("%s: %s", __func__, paths[i]);
	}
	for (i = 0; i < nitems(paths); i++)
		free(paths[i]);
	if (h != NULL &&
	    (xl_mod = dlsym(h, "backend_xl_ops")) == NULL) {
		xl_mod_error = xprintf("%s: no backend_xl_ops in it",
		    XL_MODULE_FILE);
		dlclose(h);
	}
	if (xl_mod == NULL && xl_mod_error == NULL)
		xl_mod_error = xstrdup("the xl backend is not installed "
		    "(apt-get install xendeck-xl, on a Xen dom0)");
	if (xl_mod == NULL) {
		*cause = xstrdup(xl_mod_error);
		return (-1);
	}
	return (0);
}

static int
xl_dl_probe(char **cause)
{
	if (xl_dl_load(cause) != 0)
		return (-1);
	return (xl_mod->probe(cause));
}

static int
xl_dl_missing(char **cause)
{
	*cause = xstrdup("the xl backend cannot do that");
	return (-1);
}

/* Every op goes to the module's (the probe has loaded it). */
static int
xl_dl_host_info(struct host_info *h, char **cause)
{
	if (xl_mod == NULL || xl_mod->host_info == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->host_info(h, cause));
}

static int
xl_dl_list(struct dom_info **d, size_t *n, char **cause)
{
	if (xl_mod == NULL || xl_mod->list == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->list(d, n, cause));
}

static int
xl_dl_create(const struct xlcfg *cfg, int flags, int *domid, char **cause)
{
	if (xl_mod == NULL || xl_mod->create == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->create(cfg, flags, domid, cause));
}

static int
xl_dl_shutdown(const char *dom, int flags, char **cause)
{
	if (xl_mod == NULL || xl_mod->shutdown == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->shutdown(dom, flags, cause));
}

static int
xl_dl_reboot(const char *dom, int flags, char **cause)
{
	if (xl_mod == NULL || xl_mod->reboot == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->reboot(dom, flags, cause));
}

static int
xl_dl_destroy(const char *dom, char **cause)
{
	if (xl_mod == NULL || xl_mod->destroy == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->destroy(dom, cause));
}

static int
xl_dl_pause(const char *dom, char **cause)
{
	if (xl_mod == NULL || xl_mod->pause == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->pause(dom, cause));
}

static int
xl_dl_unpause(const char *dom, char **cause)
{
	if (xl_mod == NULL || xl_mod->unpause == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->unpause(dom, cause));
}

static int
xl_dl_console_open(const char *dom, int *fd, char **cause)
{
	if (xl_mod == NULL || xl_mod->console_open == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->console_open(dom, fd, cause));
}

static char *
xl_dl_console_log(const char *dom)
{
	if (xl_mod == NULL || xl_mod->console_log == NULL)
		return (NULL);
	return (xl_mod->console_log(dom));
}

static int
xl_dl_vnc_endpoint(const char *dom, struct vnc_endpoint *v, char **cause)
{
	if (xl_mod == NULL || xl_mod->vnc_endpoint == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->vnc_endpoint(dom, v, cause));
}

static int
xl_dl_sample(struct dom_stats **s, size_t *n, char **cause)
{
	if (xl_mod == NULL || xl_mod->sample == NULL)
		return (xl_dl_missing(cause));
	return (xl_mod->sample(s, n, cause));
}

static char *
xl_dl_config_path(const char *dom)
{
	if (xl_mod == NULL || xl_mod->config_path == NULL)
		return (NULL);
	return (xl_mod->config_path(dom));
}

static char *
xl_dl_supervisor_log(const char *dom)
{
	if (xl_mod == NULL || xl_mod->supervisor_log == NULL)
		return (NULL);
	return (xl_mod->supervisor_log(dom));
}

const struct backend_ops backend_xl_ops = {
	.name = "xl",
	.probe = xl_dl_probe,
	.host_info = xl_dl_host_info,
	.list = xl_dl_list,
	.create = xl_dl_create,
	.shutdown = xl_dl_shutdown,
	.reboot = xl_dl_reboot,
	.destroy = xl_dl_destroy,
	.pause = xl_dl_pause,
	.unpause = xl_dl_unpause,
	.console_open = xl_dl_console_open,
	.console_log = xl_dl_console_log,
	.vnc_endpoint = xl_dl_vnc_endpoint,
	.sample = xl_dl_sample,
	.config_path = xl_dl_config_path,
	.supervisor_log = xl_dl_supervisor_log,
};
