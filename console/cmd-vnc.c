/*
 * vnc: the VNC viewer standalone, in its own small poll loop (stdin, the
 * VNC socket, the terminal's output, signals and the viewer's timers), with
 * the terminal in raw mode and restored on every way out. Headless modes
 * for tests and benchmarks: --once / --dump-frame (connect, wait for the
 * first real frame, report) and --bench (pump updates for a while).
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"

static int	cmd_vnc_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_vnc_entry = {
	.name = "vnc",
	.usage = "[--render halfblock|256|sixel|kitty] [--scale fit|1:1] "
	    "[--password-file FILE] [--once | --dump-frame FILE] "
	    "DOMAIN|HOST:DISPLAY|HOST::PORT|/path/to/socket",
	.summary = "view and drive a domain's screen (VNC) in the terminal",
	.help =
	    "Connects to a VNC server and draws its screen in the terminal\n"
	    "with Unicode half blocks (truecolor, or 256 colours without\n"
	    "COLORTERM=truecolor), or sixel / kitty images where the terminal\n"
	    "has them. Keys, mouse clicks, drags and the wheel go to the\n"
	    "guest. F12 opens the menu (Ctrl+Alt+Del, Ctrl+Alt+Fn, type text,\n"
	    "scale, zoom); Ctrl+] leaves.\n"
	    "\n"
	    "  --render MODE        halfblock, 256, sixel or kitty (default:\n"
	    "                       detected; env XENDECK_VNC_RENDER too)\n"
	    "  --scale fit|1:1      fit the window (default) or one pixel per\n"
	    "                       half cell, panned with Shift+arrows\n"
	    "  --password-file FILE the VNC password (first line)\n"
	    "  --timeout SECS       connect timeout (default 10)\n"
	    "  --read-timeout SECS  a message stalled this long ends the\n"
	    "                       session (default 5)\n"
	    "  --fps N              frame rate cap (default 30)\n"
	    "  --view-only          send no keys or pointer events\n"
	    "  --no-reconnect       do not reconnect when the session is lost\n"
	    "  --once               connect, wait for the first real frame,\n"
	    "                       print statistics and exit\n"
	    "  --dump-frame FILE    as --once, and write the frame as PPM\n"
	    "  --settle MS          with --once: wait this long for a frame\n"
	    "                       that is not all black (default 3000)\n"
	    "  --encodings LIST     encodings to offer, e.g. \"zrle raw\"\n"
	    "                       (raw copyrect zrle hextile zlib tight rre\n"
	    "                       corre; default: no tight, rre or corre)\n"
	    "  --bench SECS         request updates for SECS seconds, report\n"
	    "  --bench-render WxH   with --bench: also render into a virtual\n"
	    "                       terminal of W x H cells\n"
	    "\n"
	    "At the console's ':' prompt, `vnc DOMAIN` opens the domain's\n"
	    "screen as a view of the console (Ctrl+] comes back).\n",
	.flags = CMD_DOMAIN,
	.exec = cmd_vnc_exec,
};

/*
 * The standalone viewer's terminal while it runs: for fatal() and the
 * signal handlers, which have no argument to find it by.
 */
static struct vnc_term	*vnc_tty;
static int		 vnc_sigpipe[2] = { -1, -1 };

/* Give the terminal back: from fatal(). */
static void
vnc_restore(void)
{
	if (vnc_tty != NULL)
		vnc_term_leave(vnc_tty);
}

static void
vnc_signal(int sig)
{
	unsigned char	 c = (unsigned char)sig;
	int		 saved = errno;

	if (vnc_sigpipe[1] != -1)
		(void)!write(vnc_sigpipe[1], &c, 1);
	errno = saved;
}

/* Does the terminal answer DA1 with sixel (attribute 4)? -1: no answer. */
static int
query_sixel(void)
{
	char		 buf[128];
	size_t		 len = 0;
	ssize_t		 n;
	struct pollfd	 pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	uint64_t	 end = mono_ms() + 300;
	char		*p, *tok, *save = NULL;

	if (write(STDOUT_FILENO, "\033[c", 3) != 3)
		return (-1);
	while (len < sizeof buf - 1 && mono_ms() < end) {
		if (poll(&pfd, 1, (int)(end - mono_ms())) <= 0)
			break;
		if ((n = read(STDIN_FILENO, buf + len, sizeof buf - 1 -
		    len)) <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strchr(buf, 'c') != NULL)
			break;
	}
	buf[len] = '\0';
	if ((p = strstr(buf, "\033[?")) == NULL || strchr(p, 'c') == NULL)
		return (-1);
	*strchr(p, 'c') = '\0';
	for (tok = strtok_r(p + 3, ";", &save); tok != NULL;
	    tok = strtok_r(NULL, ";", &save)) {
		if (strcmp(tok, "4") == 0)
			return (1);
	}
	return (0);
}

static int
read_password_file(const char *path, char **password, char **cause)
{
	char	*data = NULL;
	size_t	 len;

	if (file_read_limit(path, 4096, "a password file", &data, &len,
	    cause) != 0)
		return (-1);
	data[strcspn(data, "\r\n")] = '\0';
	*password = data;
	return (0);
}

/* TARGET -> endpoint, asking the backend for a domain. */
static int
resolve(struct cmd_ctx *ctx, const char *target, struct vnc_endpoint *ep,
    int *domain)
{
	const struct backend_ops	*be;
	char				*cause = NULL;

	struct stat			 sb;

	if (strchr(target, '/') == NULL && stat(target, &sb) == 0 &&
	    S_ISSOCK(sb.st_mode)) {		/* a socket in "." */
		memset(ep, 0, sizeof *ep);
		ep->unix_path = xprintf("./%s", target);
		return (0);
	}
	if (strchr(target, '/') != NULL || strchr(target, ':') != NULL) {
		if (vnc_parse_target(target, ep, &cause) != 0) {
			cmd_error(ctx, "vnc: %s", cause);
			free(cause);
			return (-1);
		}
		return (0);
	}
	if (!valid_name(target)) {
		cmd_error(ctx, "vnc: %s: not a domain name, HOST:DISPLAY, "
		    "HOST::PORT or socket path", target);
		return (-1);
	}
	if ((be = cmd_backend(ctx)) == NULL)
		return (-1);
	if (be->vnc_endpoint == NULL) {
		cmd_error(ctx, "vnc: backend %s has no VNC consoles", be->name);
		return (-1);
	}
	memset(ep, 0, sizeof *ep);
	if (be->vnc_endpoint(target, ep, &cause) != 0) {
		cmd_error(ctx, "vnc: %s: %s", target, cause);
		free(cause);
		vnc_endpoint_free(ep);
		return (-1);
	}
	*domain = 1;
	return (0);
}

/* --once, --dump-frame, --bench: no terminal. */
static int
run_headless(struct cmd_ctx *ctx, struct vncview *v, const char *target,
    const char *dump, int bench_s, int bw, int bh, int settle_ms)
{
	struct pollfd	 pfd;
	uint64_t	 start = mono_ms(), first = 0, bench_end = 0;
	uint64_t	 bench_start = 0;
	int		 flags, fd, frames0 = 0, devnull = -1, rc = 1;
	char		*cause = NULL;

	if (bench_s > 0 && bw > 0) {
		if ((devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1) {
			cmd_error(ctx, "vnc: /dev/null: %s", strerror(errno));
			return (1);
		}
		vncview_enter(v, devnull, bw, bh);
	}
	for (;;) {
		fd = vncview_fd(v);
		pfd.fd = fd;
		pfd.events = vncview_events(v);
		pfd.revents = 0;
		if (poll(&pfd, fd != -1 ? 1 : 0, vncview_timeout(v)) == -1 &&
		    errno != EINTR) {
			cmd_error(ctx, "vnc: poll: %s", strerror(errno));
			goto out;
		}
		flags = vncview_process(v, fd != -1 ? pfd.revents : 0);
		if (devnull != -1) {
			vncview_draw(v);
			vncview_flush(v);
		}
		if (flags & VNCVIEW_ERROR) {
			cmd_error(ctx, "vnc: %s: %s", target, vncview_error(v));
			goto out;
		}
		if (vncview_frames(v) > 0 && first == 0) {
			first = mono_ms();
			if (bench_s > 0) {
				bench_start = first;
				frames0 = vncview_frames(v);
				bench_end = first + (uint64_t)bench_s * 1000;
			}
		}
		if (bench_s > 0 && first != 0 && mono_ms() >= bench_end) {
			double	 secs = (mono_ms() - bench_start) / 1000.0;

			vncview_stats(v, ctx->out);
			fprintf(ctx->out, "bench-seconds: %.2f\n", secs);
			fprintf(ctx->out, "bench-fps: %.1f\n",
			    (vncview_frames(v) - frames0) / secs);
			rc = 0;
			goto out;
		}
		/* "Real" frame: the first non-black one, or settle_ms on. */
		if (bench_s == 0 && first != 0 && (vncview_nonblack(v) ||
		    mono_ms() - first >= (uint64_t)settle_ms)) {
			if (dump != NULL &&
			    vncview_dump_ppm(v, dump, &cause) != 0) {
				cmd_error(ctx, "vnc: %s", cause);
				free(cause);
				goto out;
			}
			vncview_stats(v, ctx->out);
			fprintf(ctx->out, "nonblack: %s\n",
			    vncview_nonblack(v) ? "yes" : "no");
			rc = 0;
			goto out;
		}
		if (first == 0 && mono_ms() - start > 60000) {
			cmd_error(ctx, "vnc: %s: no frame within 60 s", target);
			goto out;
		}
	}
out:
	if (devnull != -1) {
		vncview_leave(v);
		close(devnull);
	}
	return (rc);
}

/*
 * The viewer on this terminal until Ctrl+] or an error, in a small loop
 * of its own. Every signal disposition it changes and the fatal hook are
 * put back exactly as they were.
 */
static int
run_terminal(struct cmd_ctx *ctx, struct vncview *v, const char *target)
{
	static const int	 sigs[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT };
	struct sigaction	 sa, old[nitems(sigs)];
	struct vnc_term		 t;
	struct pollfd		 pfd[4];
	fatal_hook_t		 old_hook;
	char			*cause = NULL;
	unsigned char		 sig;
	int			 flags = 0, rc = 0, n;
	size_t			 i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error(ctx, "vnc: needs a terminal (or use --once)");
		return (1);
	}
	if (pipe2(vnc_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		cmd_error(ctx, "vnc: pipe: %s", strerror(errno));
		return (1);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = vnc_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);
	old_hook = fatal_set_hook(vnc_restore);
	if (vnc_term_enter(&t, v, STDIN_FILENO, STDOUT_FILENO, &cause) != 0) {
		cmd_error(ctx, "vnc: %s", cause);
		free(cause);
		rc = 1;
		goto out;
	}
	vnc_tty = &t;
	while (!(flags & (VNCVIEW_QUIT | VNCVIEW_ERROR))) {
		n = vnc_term_pollfds(&t, pfd, 3);
		pfd[n].fd = vnc_sigpipe[0];
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		if (poll(pfd, (nfds_t)n + 1, vnc_term_timeout(&t)) == -1 &&
		    errno != EINTR) {
			vnc_term_leave(&t);
			cmd_error(ctx, "vnc: poll: %s", strerror(errno));
			rc = 1;
			goto out;
		}
		if (pfd[n].revents & POLLIN) {
			while (read(vnc_sigpipe[0], &sig, 1) == 1) {
				if (sig != SIGWINCH)
					flags |= VNCVIEW_QUIT;
			}
		}
		flags |= vnc_term_process(&t, pfd, n);
	}
	vnc_term_leave(&t);
	if (!(flags & VNCVIEW_QUIT) && (flags & VNCVIEW_ERROR)) {
		cmd_error(ctx, "vnc: %s: %s", target, vncview_error(v));
		rc = 1;
	}
out:
	vnc_tty = NULL;
	fatal_set_hook(old_hook);
	for (i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	close(vnc_sigpipe[0]);
	close(vnc_sigpipe[1]);
	vnc_sigpipe[0] = vnc_sigpipe[1] = -1;
	return (rc);
}

static const struct option vnc_longopts[] = {
	{ "render",		required_argument,	NULL, 'r' },
	{ "scale",		required_argument,	NULL, 's' },
	{ "password-file",	required_argument,	NULL, 'p' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "read-timeout",	required_argument,	NULL, 'T' },
	{ "fps",		required_argument,	NULL, 'f' },
	{ "view-only",		no_argument,		NULL, 'v' },
	{ "no-reconnect",	no_argument,		NULL, 'n' },
	{ "once",		no_argument,		NULL, 'o' },
	{ "dump-frame",		required_argument,	NULL, 'd' },
	{ "settle",		required_argument,	NULL, 'S' },
	{ "bench",		required_argument,	NULL, 'b' },
	{ "bench-render",	required_argument,	NULL, 'R' },
	{ "encodings",		required_argument,	NULL, 'e' },
	{ NULL, 0, NULL, 0 }
};

static int
parse_int(struct cmd_ctx *ctx, const char *opt, const char *s, int lo, int hi,
    int *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi) {
		cmd_error(ctx, "vnc: --%s: %s is not a number from %d to %d",
		    opt, s, lo, hi);
		return (-1);
	}
	*out = (int)n;
	return (0);
}

static int
cmd_vnc_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct vncview_opts	 opts;
	struct vnc_endpoint	 ep;
	struct vncview		*v = NULL;
	const char		*dump = NULL, *pwfile = NULL, *target;
	char			*cause = NULL, *password = NULL;
	int			 ch, once = 0, bench = 0, bw = 0, bh = 0;
	int			 settle = 3000, secs, rc = 1, domain = 0;

	memset(&opts, 0, sizeof opts);
	memset(&ep, 0, sizeof ep);
	opts.reconnect = 1;
	opts.interactive = 1;
	while ((ch = getopt_long(argc, argv, "+", vnc_longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (strcmp(optarg, "halfblock") == 0)
				opts.render = VNC_RENDER_HALFBLOCK;
			else if (strcmp(optarg, "256") == 0)
				opts.render = VNC_RENDER_256;
			else if (strcmp(optarg, "sixel") == 0)
				opts.render = VNC_RENDER_SIXEL;
			else if (strcmp(optarg, "kitty") == 0)
				opts.render = VNC_RENDER_KITTY;
			else if (strcmp(optarg, "auto") == 0)
				opts.render = VNC_RENDER_AUTO;
			else {
				cmd_error(ctx, "vnc: --render: %s is not "
				    "halfblock, 256, sixel or kitty", optarg);
				return (2);
			}
			break;
		case 's':
			if (strcmp(optarg, "fit") == 0)
				opts.scale = VNC_SCALE_FIT;
			else if (strcmp(optarg, "1:1") == 0)
				opts.scale = VNC_SCALE_1TO1;
			else {
				cmd_error(ctx, "vnc: --scale: %s is not fit "
				    "or 1:1", optarg);
				return (2);
			}
			break;
		case 'p':
			pwfile = optarg;
			break;
		case 't':
			if (parse_int(ctx, "timeout", optarg, 1, 3600,
			    &secs) != 0)
				return (2);
			opts.connect_timeout_ms = secs * 1000;
			break;
		case 'T':
			if (parse_int(ctx, "read-timeout", optarg, 1, 3600,
			    &opts.read_timeout_s) != 0)
				return (2);
			break;
		case 'f':
			if (parse_int(ctx, "fps", optarg, 1, 1000,
			    &opts.fps) != 0)
				return (2);
			break;
		case 'v':
			opts.view_only = 1;
			break;
		case 'n':
			opts.reconnect = 0;
			break;
		case 'o':
			once = 1;
			break;
		case 'd':
			dump = optarg;
			once = 1;
			break;
		case 'S':
			if (parse_int(ctx, "settle", optarg, 0, 600000,
			    &settle) != 0)
				return (2);
			break;
		case 'b':
			if (parse_int(ctx, "bench", optarg, 1, 3600,
			    &bench) != 0)
				return (2);
			break;
		case 'R':
			if (sscanf(optarg, "%dx%d", &bw, &bh) != 2 || bw < 2 ||
			    bh < 3 || bw > 1000 || bh > 1000) {
				cmd_error(ctx, "vnc: --bench-render: %s is not "
				    "COLSxROWS", optarg);
				return (2);
			}
			break;
		case 'e':
			opts.encodings = optarg;
			break;
		default:
			return (cmd_usage(ctx, &cmd_vnc_entry));
		}
	}
	if (argc - optind != 1)
		return (cmd_usage(ctx, &cmd_vnc_entry));
	target = argv[optind];
	if (ctx->interactive) {
		/* In the console: its VNC view, driven by its loop. */
		if (optind != 1 || !valid_name(target)) {
			cmd_error(ctx, "vnc: at the console prompt, only `vnc "
			    "DOMAIN`");
			return (1);
		}
		tui_switch(&view_vnc_ops, target);
		return (0);
	}
	if (resolve(ctx, target, &ep, &domain) != 0)
		return (1);
	if (domain)
		opts.name = target;	/* the status line names the domain */
	if (pwfile != NULL) {
		if (read_password_file(pwfile, &password, &cause) != 0) {
			cmd_error(ctx, "vnc: %s", cause);
			free(cause);
			goto out;
		}
		free(ep.password);
		ep.password = password;
		password = NULL;
	}
	if (once || bench > 0) {
		opts.reconnect = 0;
		opts.interactive = 0;
	}
	if (opts.render == VNC_RENDER_AUTO && !once && bench == 0 &&
	    isatty(STDIN_FILENO) && getenv("TMUX") == NULL &&
	    getenv("XENDECK_VNC_RENDER") == NULL) {
		struct termios	 tio, raw;

		if (tcgetattr(STDIN_FILENO, &tio) == 0) {
			raw = tio;
			cfmakeraw(&raw);
			tcsetattr(STDIN_FILENO, TCSANOW, &raw);
			opts.render = vnc_detect_render(query_sixel(), 0);
			tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		}
	}
	if (opts.render == VNC_RENDER_AUTO && (once || bench > 0))
		opts.render = VNC_RENDER_HALFBLOCK;
	if ((v = vncview_open(&ep, &opts, &cause)) == NULL) {
		cmd_error(ctx, "vnc: %s: %s", target, cause);
		free(cause);
		goto out;
	}
	if (once || bench > 0)
		rc = run_headless(ctx, v, target, dump, bench, bw, bh, settle);
	else
		rc = run_terminal(ctx, v, target);
out:
	vncview_close(v);
	vnc_endpoint_free(&ep);
	return (rc);
}
