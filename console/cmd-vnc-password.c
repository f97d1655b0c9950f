/*
 * vnc-password: set the VNC password of a domain's xl.cfg (its vncpasswd),
 * the one secret an xl.cfg holds. The hvm-guest wizard runs it as a secret
 * step (never journalled, logged or exported): --generate makes one,
 * --from FILE takes the first line of FILE, and without either the first
 * line of stdin is taken. The file is rewritten atomically, mode 0600, the
 * old one kept beside it (also 0600); nothing is printed, so the password
 * reaches no log: the wizard tells it once, at the end. --check only says,
 * by its exit status, whether the file has a password; --clear takes the
 * vncpasswd line out again (the wizard's undo), and the backup with it
 * when the file is then what the backup holds.
 */
#include <sys/random.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

static int	cmd_vnc_password_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_vnc_password_entry = {
	.name = "vnc-password",
	.usage = "[--generate | --from FILE | --check | --clear] CFG",
	.summary = "set the VNC password (vncpasswd) of a domain's xl.cfg",
	.help =
	    "Sets vncpasswd in CFG: a new random one with --generate, the\n"
	    "first line of FILE with --from, else the first line of stdin.\n"
	    "Prints nothing (a password must not reach a log); CFG is\n"
	    "rewritten atomically with mode 0600 and its old text kept in\n"
	    "CFG.xendeck-bak. VNC authentication uses at most 8 characters.\n"
	    "It takes effect at the domain's next create. --check exits 0\n"
	    "when CFG has a password, 1 when not; --clear removes the\n"
	    "vncpasswd line.\n",
	.flags = CMD_MODIFIES,
	.exec = cmd_vnc_password_exec,
};

/* A password of VNC's full length, from characters that read unambiguously. */
static int
vnc_password_generate(char *pw, size_t len, char **cause)
{
	static const char	 set[] = "abcdefghjkmnpqrstuvwxyz"
				     "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char		 r[64];
	size_t			 i, n = 0;

	while (n < len) {
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
			*cause = xprintf("getrandom: %s", strerror(errno));
			return (-1);
		}
		/* Only bytes below a multiple of the set's size: no bias. */
		for (i = 0; i < sizeof r && n < len; i++) {
			if (r[i] < 256 - 256 % (sizeof set - 1))
				pw[n++] = set[r[i] % (sizeof set - 1)];
		}
	}
	pw[len] = '\0';
	explicit_bzero(r, sizeof r);
	return (0);
}

/* The first line of a buffer as a password; -1 if empty or unprintable. */
static int
vnc_password_line(const char *buf, size_t len, char *pw, size_t size)
{
	size_t	 n = 0;

	while (n < len && buf[n] != '\n' && buf[n] != '\r')
		n++;
	if (n == 0 || n >= size)
		return (-1);
	memcpy(pw, buf, n);
	pw[n] = '\0';
	for (n = 0; pw[n] != '\0'; n++) {
		if ((unsigned char)pw[n] < 0x20 || pw[n] == 0x7f)
			return (-1);
	}
	return (0);
}

/*
 * CFG's text with vncpasswd set to PW: the key's line replaced whole (a
 * vncpasswd written over several lines is refused), else a line added.
 */
static char *
vnc_password_edit(const struct xlcfg *cfg, const char *text, size_t len,
    const char *pw, char **cause)
{
	const struct xlcfg_setting	*set = xlcfg_get(cfg, "vncpasswd");
	char				*q, *out, *line;
	const char			*p, *start, *end;
	int				 n;

	q = xlcfg_quote(pw);
	xasprintf(&line, "vncpasswd = %s", q);
	free(q);
	if (set == NULL) {
		xasprintf(&out, "%.*s%s%s\n", (int)len, text, len > 0 &&
		    text[len - 1] != '\n' ? "\n" : "", line);
		free(line);
		return (out);
	}
	if (set->value->line != set->line) {
		*cause = xprintf("%s:%d: vncpasswd spans lines: set it by hand",
		    cfg->path, set->line);
		free(line);
		return (NULL);
	}
	for (p = text, n = 1; n < set->line && p < text + len; p++) {
		if (*p == '\n')
			n++;
	}
	start = p;
	end = memchr(start, '\n', text + len - start);
	if (end == NULL)
		end = text + len;
	xasprintf(&out, "%.*s%s%.*s", (int)(start - text), text, line,
	    (int)(text + len - end), end);
	free(line);
	return (out);
}

/*
 * --clear: CFG without its vncpasswd line (nothing to do without one); the
 * backup goes too when it is now the same text, as when the password was
 * added to the file the wizard wrote.
 */
static int
vnc_password_clear(struct cmd_ctx *ctx, const struct xlcfg *cfg,
    const char *text, size_t len)
{
	const struct xlcfg_setting	*set = xlcfg_get(cfg, "vncpasswd");
	const char			*p, *start, *end;
	char				*out, *bak, *old = NULL, *cause = NULL;
	size_t				 oldlen;
	int				 n, rc = 1;

	if (set == NULL)
		return (0);
	if (set->value->line != set->line) {
		cmd_error(ctx, "%s:%d: vncpasswd spans lines: remove it by "
		    "hand", cfg->path, set->line);
		return (1);
	}
	for (p = text, n = 1; n < set->line && p < text + len; p++) {
		if (*p == '\n')
			n++;
	}
	start = p;
	end = memchr(start, '\n', text + len - start);
	end = end != NULL ? end + 1 : text + len;
	xasprintf(&out, "%.*s%.*s", (int)(start - text), text,
	    (int)(text + len - end), end);
	xasprintf(&bak, "%s.xendeck-bak", cfg->path);
	if (file_write_atomic(cfg->path, out, strlen(out), 0600, 0,
	    &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		goto out;
	}
	if (file_read(bak, &old, &oldlen, &cause) == 0 &&
	    oldlen == strlen(out) && memcmp(old, out, oldlen) == 0)
		unlink(bak);
	rc = 0;
out:
	explicit_bzero(out, strlen(out));
	free(out);
	free(old);
	free(bak);
	free(cause);
	return (rc);
}

static int
cmd_vnc_password_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "generate", no_argument, NULL, 'g' },
		{ "from", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'c' },
		{ "clear", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct xlcfg	*cfg = NULL;
	char		 pw[256], *text = NULL, *in = NULL, *out = NULL;
	char		*cause = NULL, *from = NULL, *bak = NULL;
	size_t		 len, inlen;
	int		 ch, generate = 0, check = 0, clear = 0, rc = 1;

	while ((ch = getopt_long(argc, argv, "+gf:cx", opts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			generate = 1;
			break;
		case 'f':
			from = optarg;
			break;
		case 'c':
			check = 1;
			break;
		case 'x':
			clear = 1;
			break;
		default:
			return (cmd_usage(ctx, &cmd_vnc_password_entry));
		}
	}
	if (argc - optind != 1 || generate + check + clear +
	    (from != NULL) > 1)
		return (cmd_usage(ctx, &cmd_vnc_password_entry));
	if (file_read(argv[optind], &text, &len, &cause) != 0 ||
	    xlcfg_parse(argv[optind], text, len, &cfg, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		goto out;
	}
	if (check) {
		rc = cfg->vncpasswd != NULL && *cfg->vncpasswd != '\0' ? 0 : 1;
		goto out;
	}
	if (clear) {
		rc = vnc_password_clear(ctx, cfg, text, len);
		goto out;
	}
	if (generate) {
		if (vnc_password_generate(pw, 8, &cause) != 0) {
			cmd_error(ctx, "%s", cause);
			goto out;
		}
	} else {
		if (from != NULL) {
			if (file_read(from, &in, &inlen, &cause) != 0) {
				cmd_error(ctx, "%s", cause);
				goto out;
			}
		} else {
			in = xmalloc(sizeof pw);
			if (fgets(in, sizeof pw, stdin) == NULL)
				in[0] = '\0';
			inlen = strlen(in);
		}
		if (vnc_password_line(in, inlen, pw, sizeof pw) != 0) {
			cmd_error(ctx, "%s: no password on its first line (one "
			    "line of printable characters)", from != NULL ?
			    from : "stdin");
			goto out;
		}
	}
	if ((out = vnc_password_edit(cfg, text, len, pw, &cause)) == NULL) {
		cmd_error(ctx, "%s", cause);
		goto out;
	}
	xasprintf(&bak, "%s.xendeck-bak", argv[optind]);
	if (file_write_atomic(bak, text, len, 0600, 0, &cause) != 0 ||
	    file_write_atomic(argv[optind], out, strlen(out), 0600, 0,
	    &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(pw, sizeof pw);
	if (in != NULL)
		explicit_bzero(in, strlen(in));
	if (out != NULL)
		explicit_bzero(out, strlen(out));
	free(in);
	free(out);
	free(text);
	free(bak);
	free(cause);
	xlcfg_free(cfg);
	return (rc);
}
