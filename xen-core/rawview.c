/*
 * rawview.c: the bytes of a disk image as a raw file, whatever its format,
 * for code that reads or writes a filesystem in it with libext2fs
 * (bootloader.c's pygrub, identity.c). A raw image or a block device is
 * used as it is. A qcow2 image is exported by qemu-storage-daemon over
 * FUSE onto a file in a private directory: no loop device, no nbd module
 * and no device-mapper are needed (this host has none of the last two).
 * The daemon is a child of ours: ready once the export is mounted over the
 * file, stopped with SIGTERM (it flushes), and its mount is removed (QEMU
 * 7.2 leaves it behind when fusermount3 is missing).
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

/* Whether PATH is a mountpoint (a file of another device than its dir). */
static int
rawview_mounted(const char *path, const char *dir)
{
	struct stat	 a, b;

	return (stat(path, &a) == 0 && stat(dir, &b) == 0 &&
	    a.st_dev != b.st_dev);
}

/*
 * Open IMAGE of FORMAT (NULL or "raw": as it is; "qcow2", "qcow", "vpc")
 * as a raw file at v->path, read-write when WRITABLE.
 */
int
rawview_open(const char *image, const char *format, int writable,
    struct rawview *v, char **cause)
{
	char		*argv[8], *file_arg = NULL, *fmt_arg = NULL;
	char		*exp_arg = NULL;
	const char	*tmp;
	uint64_t	 deadline;
	int		 n = 0;

	memset(v, 0, sizeof *v);
	if (format == NULL || strcmp(format, "raw") == 0) {
		v->path = image;
		return (0);
	}
	if (strcmp(format, "qcow2") != 0 && strcmp(format, "qcow") != 0 &&
	    strcmp(format, "vpc") != 0) {
		*cause = xprintf("%s: format %s cannot be opened here (raw, "
		    "qcow2)", image, format);
		return (-1);
	}
	tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	xasprintf(&v->dir, "%s/xendeck-view.XXXXXX", tmp);
	if (mkdtemp(v->dir) == NULL) {
		*cause = xprintf("%s: %s", v->dir, strerror(errno));
		free(v->dir);
		v->dir = NULL;
		return (-1);
	}
	xasprintf(&v->file, "%s/raw", v->dir);
	if (file_write_atomic(v->file, "", 0, 0600, 0, cause) != 0)
		goto fail;
	file_arg = xprintf("driver=file,node-name=file0,filename=%s%s", image,
	    writable ? "" : ",read-only=on");
	fmt_arg = xprintf("driver=%s,node-name=fmt0,file=file0%s", format,
	    writable ? "" : ",read-only=on");
	exp_arg = xprintf("type=fuse,id=exp0,node-name=fmt0,mountpoint=%s,"
	    "writable=%s", v->file, writable ? "on" : "off");
	argv[n++] = "qemu-storage-daemon";
	argv[n++] = "--blockdev";
	argv[n++] = file_arg;
	argv[n++] = "--blockdev";
	argv[n++] = fmt_arg;
	argv[n++] = "--export";
	argv[n++] = exp_arg;
	argv[n] = NULL;
	if (spawn_start(argv, NULL, 0, NULL, NULL, &v->proc, cause) != 0)
		goto fail;
	v->started = 1;
	deadline = mono_ms() + 30000;
	while (!rawview_mounted(v->file, v->dir)) {
		if (spawn_reap(&v->proc, 0) != 0 || mono_ms() > deadline) {
			*cause = xprintf("qemu-storage-daemon could not export "
			    "%s (is the image in use?)", image);
			goto fail;
		}
		usleep(5000);
	}
	v->path = v->file;
	free(file_arg);
	free(fmt_arg);
	free(exp_arg);
	return (0);
fail:
	free(file_arg);
	free(fmt_arg);
	free(exp_arg);
	rawview_close(v, NULL);
	return (-1);
}

/* Close the view: stop the daemon, remove its mount and directory. */
int
rawview_close(struct rawview *v, char **cause)
{
	struct spawn_result	 res = { 0 };
	struct pollfd		 pfd[3];
	char			*why = NULL;
	int			 n, rc = 0;

	if (v->started) {
		if (spawn_reap(&v->proc, 0) == 0)
			kill(v->proc.pid, SIGTERM);
		while (!spawn_drained(&v->proc)) {
			n = spawn_pollfds(&v->proc, pfd, 3);
			if (poll(pfd, n, 30000) <= 0)
				break;
			spawn_io(&v->proc, pfd, n);
		}
		if (spawn_reap(&v->proc, 1) == 1 &&
		    !(WIFSIGNALED(v->proc.wstatus) &&
		    WTERMSIG(v->proc.wstatus) == SIGTERM) &&
		    !(WIFEXITED(v->proc.wstatus) &&
		    WEXITSTATUS(v->proc.wstatus) == 0)) {
			if (spawn_finish(&v->proc, 0, &res, &why) != 0 &&
			    cause != NULL && *cause == NULL) {
				*cause = why;
				why = NULL;
			}
			rc = -1;
		}
		free(why);
		spawn_result_free(&res);
		spawn_proc_free(&v->proc);
	}
	if (v->file != NULL && v->dir != NULL &&
	    rawview_mounted(v->file, v->dir))
		umount2(v->file, MNT_DETACH);
	if (v->file != NULL)
		unlink(v->file);
	if (v->dir != NULL)
		rmdir(v->dir);
	free(v->file);
	free(v->dir);
	memset(v, 0, sizeof *v);
	return (rc);
}
