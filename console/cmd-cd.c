/*
 * cd-eject and cd-insert: change the medium in an HVM domain's CD drive
 * while it runs, as xl's commands of the same names do (after a Windows
 * install: eject the installer; later: insert the drivers' ISO). The drive
 * is the domain's first cdrom unless a VDEV is named, as xl needs it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static int	cmd_cd_eject_exec(struct cmd_ctx *, int, char **);
static int	cmd_cd_insert_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_cd_eject_entry = {
	.name = "cd-eject",
	.usage = "DOMAIN [VDEV]",
	.summary = "eject the medium from an HVM domain's CD drive",
	.help =
	    "Ejects the disc in DOMAIN's CD drive (its first cdrom in disk=,\n"
	    "or VDEV, e.g. hdc), as `xl cd-eject` does. The guest sees an\n"
	    "empty drive, and it stays empty across a reboot of the domain.\n",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB,
	.exec = cmd_cd_eject_exec,
};

const struct cmd_entry cmd_cd_insert_entry = {
	.name = "cd-insert",
	.usage = "DOMAIN [VDEV] ISO",
	.summary = "put an ISO into an HVM domain's CD drive",
	.help =
	    "Inserts ISO into DOMAIN's CD drive (its first cdrom in disk=, or\n"
	    "VDEV), as `xl cd-insert` does, replacing what was there. The\n"
	    "file must be readable by root (the device model opens it); one\n"
	    "that is no ISO 9660 image is inserted with a warning. The\n"
	    "guest keeps it across a reboot of the domain.\n",
	.flags = CMD_MODIFIES | CMD_ROOT | CMD_DOMAIN | CMD_NODOM0 | CMD_JOB,
	.exec = cmd_cd_insert_exec,
};

/* The backend, if it can change a CD at all. */
static const struct backend_ops *
cd_backend(struct cmd_ctx *ctx, const char *what)
{
	const struct backend_ops	*be;

	if ((be = cmd_backend(ctx)) == NULL)
		return (NULL);
	if (be->cd_eject == NULL || be->cd_insert == NULL) {
		cmd_error(ctx, "%s: the %s backend cannot change a CD", what,
		    be->name);
		return (NULL);
	}
	return (be);
}

static int
cmd_cd_eject_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	char				*cause = NULL;

	if (argc != 2 && argc != 3)
		return (cmd_usage(ctx, &cmd_cd_eject_entry));
	if ((be = cd_backend(ctx, "cd-eject")) == NULL)
		return (1);
	if (argc == 3 && !xlcfg_valid_vdev(argv[2])) {
		cmd_error(ctx, "cd-eject: %s is not a virtual device (hdc, "
		    "xvdc, ...)", argv[2]);
		return (2);
	}
	if (be->cd_eject(argv[1], argc == 3 ? argv[2] : NULL, &cause) != 0) {
		cmd_error(ctx, "cd-eject: %s", cause);
		free(cause);
		return (1);
	}
	fprintf(ctx->out, "%s: the CD drive is empty\n", argv[1]);
	return (0);
}

static int
cmd_cd_insert_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	struct iso_info			 iso;
	char				*cause = NULL, *path, *size;
	const char			*vdev = NULL;
	int				 rc = 1, isiso;

	if (argc != 3 && argc != 4)
		return (cmd_usage(ctx, &cmd_cd_insert_entry));
	if (argc == 4) {
		vdev = argv[2];
		if (!xlcfg_valid_vdev(vdev)) {
			cmd_error(ctx, "cd-insert: %s is not a virtual device "
			    "(hdc, xvdc, ...)", vdev);
			return (2);
		}
	}
	/* The device model's working directory is not ours. */
	if ((path = realpath(argv[argc - 1], NULL)) == NULL) {
		cmd_error(ctx, "cd-insert: %s: %s", argv[argc - 1],
		    strerror(errno));
		return (1);
	}
	if (iso_readable_by(path, NULL, &cause) != 0) {
		cmd_error(ctx, "cd-insert: %s", cause);
		goto out;
	}
	isiso = iso_probe(path, &iso, &cause) == 0;
	if ((be = cd_backend(ctx, "cd-insert")) == NULL)
		goto out;
	if (!isiso) {
		fprintf(ctx->err, "xendeck: warning: %s; inserted all the "
		    "same\n", cause);
		free(cause);
		cause = NULL;
	}
	if (be->cd_insert(argv[1], vdev, path, &cause) != 0) {
		cmd_error(ctx, "cd-insert: %s", cause);
		goto out;
	}
	if (isiso) {
		size = pool_size_string(iso.file_size);
		fprintf(ctx->out, "%s: the CD drive holds %s (%s, %s, %s)\n",
		    argv[1], path, iso.label[0] != '\0' ? iso.label :
		    "no label", iso_kind_name(iso.kind), size);
		free(size);
	} else
		fprintf(ctx->out, "%s: the CD drive holds %s\n", argv[1],
		    path);
	rc = 0;
out:
	free(cause);
	free(path);
	return (rc);
}
