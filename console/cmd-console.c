/*
 * console: attach the terminal to a domain's serial console, like
 * `xl console`. The terminal is raw while attached and the guest's bytes
 * reach it as they are (as with xl console: the guest may drive the
 * terminal); ctrl+] leaves, and whatever happens (signals included) the
 * terminal's line mode is restored and the modes a guest may have set
 * are reset: colours, cursor, cursor keys and keypad, mouse reporting,
 * bracketed paste, reverse video, character set, and the alternate
 * screen if the guest left it on.
 */
#include <sys/ioctl.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <linux/sockios.h>

#include "console.h"

#define CONSOLE_ESCAPE	0x1d	/* ctrl+] */

static int	cmd_console_exec(struct cmd_ctx *, int, char **);

static const struct option console_longopts[] = {
	{ "ready",	no_argument,		NULL, 'r' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_console_entry = {
	.name = "console",
	.usage = "[--ready [--timeout SECS]] DOMAIN",
	.summary = "attach to a domain's console (ctrl+] leaves)",
	.help =
	    "Connects the terminal to DOMAIN's serial console (by name or\n"
	    "id). Everything typed goes to the guest; ctrl+] detaches. The\n"
	    "console's output is also logged, in\n"
	    "/var/log/xendeck/NAME.console.log.\n"
	    "\n"
	    "  --ready         do not attach: wait until the console can be\n"
	    "                  attached (a domain being created has none\n"
	    "                  yet), then exit 0; exit 1 with why if it\n"
	    "                  cannot be\n"
	    "  --timeout SECS  how long --ready waits (default 30)\n"
	    "\n"
	    "At the console's ':' prompt it opens the domain's console as a\n"
	    "view of the console (ctrl+] comes back).\n",
	.flags = CMD_ROOT | CMD_DOMAIN | CMD_NODOM0,
	.exec = cmd_console_exec,
	.opts = "",
	.longopts = console_longopts,
};

static struct termios	 saved_tio;
static int		 saved_tio_set;
static int		 modes_reset;	/* stdout is a terminal: reset it */
static int		 guest_altscreen;	/* the guest switched it on */

/*
 * What the guest may have switched on, switched off: SGR colours and
 * attributes, cursor shown, normal cursor keys (DECCKM) and numeric keypad
 * (DECKPNM), no mouse reporting of any kind, no bracketed paste, no
 * reverse video (DECSCNM), autowrap, the ASCII character set in G0 and
 * shifted in.
 */
#define TERM_RESET	"\033[0m\033[?25h\033[?1l\033>\033[?1000l\033[?1002l" \
			"\033[?1003l\033[?1005l\033[?1006l\033[?1015l" \
			"\033[?2004l\033[?5l\033[?7h\033(B\017"
/* Leaving the alternate screen also restores the cursor saved on entry. */
#define TERM_ALT_OFF	"\033[?1049l"

static void
tty_restore(void)
{
	ssize_t	 n;

	if (modes_reset) {
		if (guest_altscreen)
			n = write(STDOUT_FILENO, TERM_ALT_OFF,
			    sizeof TERM_ALT_OFF - 1);
		n = write(STDOUT_FILENO, TERM_RESET, sizeof TERM_RESET - 1);
		(void)n;
		modes_reset = 0;
	}
	if (saved_tio_set) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
		saved_tio_set = 0;
	}
}

/*
 * Follow the guest's output for the alternate screen (DEC private modes
 * 47, 1047, 1049 set or reset): only one the guest left on is switched off
 * when leaving, since switching it off restores a saved cursor. A sequence
 * may be split across reads: its start is carried over in *carry.
 */
static void
track_altscreen(const char *buf, size_t len, char *carry, size_t *ncarry)
{
	char		 seq[64];
	size_t		 i, n;
	const char	*p;
	long		 mode;
	char		*end;

	for (i = 0; i < len; i++) {
		if (*ncarry == 0 && buf[i] != '\033')
			continue;
		if (*ncarry < 63)
			carry[(*ncarry)++] = buf[i];
		n = *ncarry;
		if (n == 2 && carry[1] != '[')
			*ncarry = 0;
		else if (n == 3 && carry[2] != '?')
			*ncarry = 0;
		else if (n > 3 && (buf[i] == 'h' || buf[i] == 'l')) {
			memcpy(seq, carry + 3, n - 4);
			seq[n - 4] = '\0';
			for (p = seq; *p != '\0'; p = *end == ';' ? end + 1 : end) {
				mode = strtol(p, &end, 10);
				if (end == p)
					break;
				if (mode == 47 || mode == 1047 || mode == 1049)
					guest_altscreen = buf[i] == 'h';
			}
			*ncarry = 0;
		} else if (n > 3 && !(buf[i] >= '0' && buf[i] <= '9') &&
		    buf[i] != ';')
			*ncarry = 0;
		else if (n == 63)
			*ncarry = 0;
	}
}

static volatile sig_atomic_t	 console_signalled;

static void
console_signal(int sig)
{
	console_signalled = sig;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		buf += n;
		len -= n;
	}
	return (0);
}

/*
 * Let the guest take what we sent before hanging up: QEMU feeds its serial
 * port a FIFO at a time and drops what is still queued when the client
 * goes (typed-ahead input from a pipe would be cut short).
 */
static void
drain_output(int fd)
{
	uint64_t	 end = mono_ms() + 2000;
	int		 queued;

	while (ioctl(fd, SIOCOUTQ, &queued) == 0 && queued > 0 &&
	    mono_ms() < end)
		usleep(10000);
}

/* Pass bytes both ways until ctrl+], EOF on either side, or a signal. */
int
cmd_console_attach(struct cmd_ctx *ctx, const char *dom)
{
	const struct backend_ops	*be;
	fatal_hook_t			 old_hook = NULL;
	int				 hooked = 0;
	struct termios			 tio;
	struct sigaction		 sa, old_int, old_term, old_hup;
	struct pollfd			 pfd[2];
	char				 buf[4096], *cause = NULL, *esc;
	char				 carry[64];
	size_t				 ncarry = 0;
	ssize_t				 n;
	int				 fd = -1, rc = 1, in_open = 1;

	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	if (be->console_open(dom, &fd, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
		tio = saved_tio;
		cfmakeraw(&tio);
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio) == 0)
			saved_tio_set = 1;
	}
	modes_reset = isatty(STDOUT_FILENO);
	guest_altscreen = 0;
	if (modes_reset || saved_tio_set) {
		old_hook = fatal_set_hook(tty_restore);
		hooked = 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = console_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	console_signalled = 0;

	for (;;) {
		pfd[0].fd = in_open ? STDIN_FILENO : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR && !console_signalled)
				continue;
			break;
		}
		if (pfd[1].revents != 0) {
			n = read(fd, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0) {
				rc = 0;	/* the domain went away */
				break;
			}
			track_altscreen(buf, (size_t)n, carry, &ncarry);
			if (write_all(STDOUT_FILENO, buf, n) != 0)
				break;
		}
		if (in_open && pfd[0].revents != 0) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0) {
				/* Input closed (a pipe): keep the output. */
				in_open = 0;
				continue;
			}
			if ((esc = memchr(buf, CONSOLE_ESCAPE, n)) != NULL) {
				write_all(fd, buf, esc - buf);
				rc = 0;
				break;
			}
			if (write_all(fd, buf, n) != 0)
				break;
		}
	}
	drain_output(fd);
	close(fd);
	tty_restore();
	if (hooked)
		fatal_set_hook(old_hook);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (console_signalled)
		rc = 0;
	return (rc);
}

/* --ready: wait until DOMAIN's console opens (the console's serial view). */
static int
console_ready(struct cmd_ctx *ctx, const char *dom, int timeout_s)
{
	const struct backend_ops	*be;
	char				*cause = NULL;
	uint64_t			 end = mono_ms() + (uint64_t)timeout_s *
					     1000;
	int				 fd = -1;

	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	for (;;) {
		if (be->console_open(dom, &fd, &cause) == 0) {
			close(fd);
			return (0);
		}
		if (mono_ms() >= end)
			break;
		free(cause);
		cause = NULL;
		usleep(200 * 1000);
	}
	cmd_error(ctx, "%s", cause);
	free(cause);
	return (1);
}

static int
cmd_console_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*end;
	long	 secs = 30;
	int	 ch, ready = 0;

	while ((ch = getopt_long(argc, argv, "+", console_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			ready = 1;
			break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || secs < 0 ||
			    secs > 3600) {
				cmd_error(ctx, "console: --timeout: %s is not "
				    "a number of seconds (0-3600)", optarg);
				return (2);
			}
			break;
		default:
			return (cmd_usage(ctx, &cmd_console_entry));
		}
	}
	if (argc - optind != 1)
		return (cmd_usage(ctx, &cmd_console_entry));
	if (ctx->interactive) {
		/* In the console: its serial view, driven by its loop. */
		if (ready) {
			cmd_error(ctx, "console --ready: not available from "
			    "the console prompt");
			return (1);
		}
		tui_switch(&view_serial_ops, argv[optind]);
		return (0);
	}
	if (ready)
		return (console_ready(ctx, argv[optind], (int)secs));
	return (cmd_console_attach(ctx, argv[optind]));
}
