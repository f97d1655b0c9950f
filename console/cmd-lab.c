/*
 * lab: the practice dom0, a real Xen 4.17 (Debian bookworm) booted under
 * QEMU, in which the guide can be followed step by step with nothing on the
 * host touched. The work is scripts/lab's (image build, QEMU, console);
 * this command finds the script and hands it the terminal.
 */
#include <sys/stat.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

static int	cmd_lab_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_lab_entry = {
	.name = "lab",
	.usage = "start|stop|status|console|build [--plain]",
	.summary = "a disposable practice Xen dom0 under QEMU",
	.help =
	    "The lab boots Debian's Xen 4.17 and a bookworm dom0 under QEMU\n"
	    "(TCG; KVM on request), through GRUB's multiboot2 entry like\n"
	    "the guide's. Spare disks /dev/vdb and /dev/vdc stand in for the\n"
	    "guide's spare partition, eth0 gets DHCP from QEMU's private user\n"
	    "network. Every start boots a fresh copy: nothing persists and\n"
	    "nothing on the host is touched. In the lab, `xendeck` opens the\n"
	    "console and `xendeck wizard` lists the guide's steps.\n"
	    "\n"
	    "  build    build the dom0 image (cached; minutes the first time)\n"
	    "  start    boot it in the background and wait for the dom0 shell\n"
	    "  console  attach to its serial console (Ctrl-] detaches)\n"
	    "  status   say whether it runs (exit 1 when it does not)\n"
	    "  stop     stop it and throw its disks away\n"
	    "\n"
	    "--plain (build, start): the same Debian 12 as plain Linux, without\n"
	    "Xen, for the guide's install step: `xendeck wizard xen-install`\n"
	    "(or apt-get install xen-system-amd64) installs Xen from the lab's\n"
	    "own repository of its packages (no network needed), and `reboot`\n"
	    "then boots Xen through GRUB, as on a real machine.\n"
	    "\n"
	    "Images are cached under $XENDECK_CACHE/lab (default\n"
	    "/var/cache/xendeck), run state under $XENDECK_RUNDIR/lab.\n",
	.flags = CMD_TERMINAL,
	.exec = cmd_lab_exec,
};

/*
 * The lab script: $XENDECK_LAB_SCRIPT, else scripts/lab next to the binary
 * (a build tree), else the installed copy in the package data directory,
 * else the source tree the binary was built from (a VPATH build).
 */
static char *
cmd_lab_script(void)
{
	const char	*env;
	char		 self[PATH_MAX], *path;
	ssize_t		 n;

	if ((env = getenv("XENDECK_LAB_SCRIPT")) != NULL && *env != '\0')
		return (xstrdup(env));
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		xasprintf(&path, "%s/scripts/lab", dirname(self));
		if (access(path, X_OK) == 0)
			return (path);
		free(path);
	}
	xasprintf(&path, "%s/lab", XENDECK_DATADIR);
	if (access(path, X_OK) == 0)
		return (path);
	free(path);
	/* An uninstalled build in another directory (VPATH). */
	xasprintf(&path, "%s/scripts/lab", XENDECK_SRCDIR);
	if (access(path, X_OK) == 0)
		return (path);
	free(path);
	return (NULL);
}

static int
cmd_lab_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char	*subs[] = { "start", "stop", "status",
				    "console", "build", NULL };
	struct spawn_result	 res = { 0 };
	const char		*sub = NULL, *cache, *rundir, **s;
	char			*script = NULL, *cause = NULL, *lab_argv[12];
	char			 self[PATH_MAX];
	ssize_t			 len;
	int			 n = 0, rc = 1, plain = 0;

	if (argc == 3 && strcmp(argv[2], "--plain") == 0)
		plain = 1;
	else if (argc != 2)
		return (cmd_usage(ctx, &cmd_lab_entry));
	for (s = subs; *s != NULL; s++) {
		if (strcmp(*s, argv[1]) == 0)
			sub = *s;
	}
	if (sub == NULL) {
		cmd_error(ctx, "lab: unknown subcommand: %s", argv[1]);
		return (cmd_usage(ctx, &cmd_lab_entry));
	}
	if (plain && strcmp(sub, "start") != 0 && strcmp(sub, "build") != 0) {
		cmd_error(ctx, "lab %s: --plain is for start and build", sub);
		return (cmd_usage(ctx, &cmd_lab_entry));
	}
	if ((script = cmd_lab_script()) == NULL) {
		cmd_error(ctx, "lab: scripts/lab not found (set "
		    "XENDECK_LAB_SCRIPT or install xendeck)");
		goto out;
	}
	/* spawn_run gives the child a fixed environment: pass ours on. */
	lab_argv[n++] = script;
	if ((cache = getenv("XENDECK_CACHE")) != NULL && *cache != '\0') {
		lab_argv[n++] = "--cache";
		lab_argv[n++] = (char *)cache;
	}
	if ((rundir = getenv("XENDECK_RUNDIR")) != NULL && *rundir != '\0') {
		lab_argv[n++] = "--rundir";
		lab_argv[n++] = (char *)rundir;
	}
	if (plain)
		lab_argv[n++] = "--plain";
	/* This xendeck is the one `xendeck` runs in the lab. */
	if (strcmp(sub, "start") == 0 &&
	    (len = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		self[len] = '\0';
		lab_argv[n++] = "--xendeck";
		lab_argv[n++] = self;
	}
	lab_argv[n++] = (char *)sub;
	lab_argv[n] = NULL;
	log_debug("%s: %s %s", __func__, script, sub);
	fflush(ctx->out);
	if (spawn_run(lab_argv, NULL, SPAWN_INHERIT | SPAWN_NOCHECK, &res,
	    &cause) != 0) {
		cmd_error(ctx, "lab %s: %s", sub, cause);
		goto out;
	}
	rc = res.status == 0 ? 0 : 1;
out:
	spawn_result_free(&res);
	free(cause);
	free(script);
	return (rc);
}
