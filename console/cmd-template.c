/*
 * template: PV guest templates and the identity of their clones (the
 * pv-guest wizard's steps, usable by hand). `build` makes a template once
 * (scripts/template-build: cached, then reused), `status` says whether one
 * is built, `identity` gives a clone its own identity before its first
 * boot, without booting or mounting it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

static int	cmd_template_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_template_entry = {
	.name = "template",
	.usage = "build|status [--dist DIST] | identity [OPTIONS] VOLUME",
	.summary = "PV guest templates and their clones' identity",
	.help =
	    "A template is a Debian root with no identity in it (minbase,\n"
	    "linux-image-amd64, openssh-server, ifupdown with DHCP on eth0,\n"
	    "a boot menu for pygrub), built once with mmdebstrap into an\n"
	    "ext4 image cached under $XENDECK_CACHE/templates (default\n"
	    "/var/cache/xendeck); the .debs are cached too. The pv-guest\n"
	    "wizard copies it once into a pool and clones every guest from\n"
	    "it.\n"
	    "\n"
	    "  build [--dist bookworm]   build it (about a minute with a warm\n"
	    "                            cache), or say where it is\n"
	    "  status [--dist bookworm]  the image, or exit 3 if none is built\n"
	    "  identity [--format raw|qcow2] --hostname NAME\n"
	    "           [--password-file FILE | --generate-password NEWFILE]\n"
	    "           [--ssh-key FILE] [--ip CIDR [--gateway IP]] VOLUME\n"
	    "      give the clone VOLUME (an unbooted, unmounted ext4 root)\n"
	    "      its own hostname, /etc/hosts, machine-id, SSH host keys,\n"
	    "      random seed, root password hash (FILE's first line; or a\n"
	    "      new one kept in NEWFILE, 0600) or authorized key, and eth0's\n"
	    "      settings (DHCP, or --ip). Secrets never reach the log.\n",
	.flags = CMD_MODIFIES,
	.exec = cmd_template_exec,
};

/* The builder's lines: phases as "[N/5] NAME", the rest with -v only. */
static void
cmd_template_line(void *arg, int stream, const char *line)
{
	struct cmd_ctx	*ctx = arg;
	const char	*name;
	int		 n, total;

	(void)stream;
	if (template_phase(line, &n, &total, &name)) {
		fprintf(ctx->out, "[%d/%d] %s\n", n, total, name);
		fflush(ctx->out);
	} else if (log_get_level() >= LOG_INFO)
		fprintf(ctx->err, "  %s\n", line);
	log_debug("template-build: %s", line);
}

static int
cmd_template_build(struct cmd_ctx *ctx, const char *dist, int status)
{
	char	*image = NULL, *cause = NULL, *vol;
	int	 rc;

	if (status) {
		rc = template_image(dist, &image, &cause);
		if (rc < 0) {
			cmd_error(ctx, "template status: %s", cause);
			free(cause);
			return (1);
		}
		if (rc == 0) {
			fprintf(ctx->out, "%s: not built (xendeck template "
			    "build --dist %s)\n", dist, dist);
			free(image);
			return (3);
		}
	} else if (template_build(dist, cmd_template_line, ctx, &image,
	    &cause) != 0) {
		cmd_error(ctx, "template build: %s", cause);
		free(cause);
		return (1);
	}
	vol = template_volume_name(image);
	fprintf(ctx->out, "%s: %s (in a pool: %s)\n", dist, image,
	    vol != NULL ? vol : "?");
	free(vol);
	free(image);
	return (0);
}

static int
cmd_template_identity(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "hostname", required_argument, NULL, 'n' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "generate-password", required_argument, NULL, 'g' },
		{ "ssh-key", required_argument, NULL, 'k' },
		{ "ip", required_argument, NULL, 'i' },
		{ "gateway", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct identity		 id;
	struct identity_result	 res;
	const char		*format = "raw";
	char			*cause = NULL, **fp;
	int			 ch, rc = 1;

	identity_init(&id);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 'n':
			free(id.hostname);
			id.hostname = xstrdup(optarg);
			break;
		case 'p':
			free(id.password_file);
			id.password_file = xstrdup(optarg);
			break;
		case 'g':
			free(id.generate_password);
			id.generate_password = xstrdup(optarg);
			break;
		case 'k':
			free(id.ssh_key_file);
			id.ssh_key_file = xstrdup(optarg);
			break;
		case 'i':
			free(id.ip);
			id.ip = xstrdup(optarg);
			break;
		case 'w':
			free(id.gateway);
			id.gateway = xstrdup(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || id.hostname == NULL ||
	    (id.password_file != NULL && id.generate_password != NULL) ||
	    (id.gateway != NULL && id.ip == NULL))
		goto usage;
	if (id.ssh_key_file != NULL &&
	    identity_check_ssh_key(id.ssh_key_file, &cause) != 0)
		goto fail;
	if (identity_apply(argv[optind], format, &id, &res, &cause) != 0)
		goto fail;
	fprintf(ctx->out, "%s: hostname %s, machine-id %s\n", argv[optind],
	    id.hostname, res.machine_id);
	for (fp = res.fingerprints; fp != NULL && *fp != NULL; fp++)
		fprintf(ctx->out, "%s: host key %s\n", argv[optind], *fp);
	identity_result_free(&res);
	rc = 0;
	goto out;
usage:
	rc = cmd_usage(ctx, &cmd_template_entry);
	goto out;
fail:
	cmd_error(ctx, "template identity: %s", cause);
	free(cause);
out:
	identity_free(&id);
	return (rc);
}

static int
cmd_template_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*dist = "bookworm";
	int		 status;

	if (argc < 2)
		return (cmd_usage(ctx, &cmd_template_entry));
	if (strcmp(argv[1], "identity") == 0) {
		if (geteuid() != 0) {
			cmd_error(ctx, "template identity: must be run as "
			    "root");
			return (1);
		}
		return (cmd_template_identity(ctx, argc - 1, argv + 1));
	}
	if (strcmp(argv[1], "build") != 0 && strcmp(argv[1], "status") != 0) {
		cmd_error(ctx, "template: unknown subcommand: %s", argv[1]);
		return (cmd_usage(ctx, &cmd_template_entry));
	}
	status = strcmp(argv[1], "status") == 0;
	if (argc == 4 && strcmp(argv[2], "--dist") == 0)
		dist = argv[3];
	else if (argc != 2)
		return (cmd_usage(ctx, &cmd_template_entry));
	if (!template_dist_valid(dist)) {
		cmd_error(ctx, "template: dist %s: only bookworm is supported",
		    dist);
		return (2);
	}
	return (cmd_template_build(ctx, dist, status));
}
