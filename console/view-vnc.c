/*
 * The VNC view: a domain's screen inside the console, driven by the
 * console's one loop (vnc-term.c), so sampling, jobs and the clock go on
 * while a help-desk user works in the guest. While it is on screen it owns
 * the terminal: curses steps aside (endwin), the viewer draws and reads
 * raw keys; Ctrl+] (or the session's end) gives the terminal back to
 * curses and returns where the user was. It changes no signal disposition
 * and no fatal hook: the console's own stay in force, and its fatal hook
 * gives the terminal back through .restore.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

/* The view's own state. */
static struct {
	struct vncview	*v;
	struct vnc_term	 term;
	char		*dom;
	int		 on;		/* it owns the terminal */
} vv;

static const struct view_key vnc_keys[] = {
	{ 0, 0, "F12", "the viewer's menu: Ctrl+Alt+Del, Ctrl+Alt+Fn, type "
	    "text, scale, zoom", NULL },
	{ 0, 0, "ctrl+]", "leave the screen (back where you were)", NULL },
	{ 0, 0, "other keys", "go to the guest, as do clicks and the wheel",
	    NULL },
	{ 0, 0, NULL, NULL, NULL }
};

static void
vv_close(void)
{
	if (vv.on) {
		vnc_term_leave(&vv.term);
		vv.on = 0;
		reset_prog_mode();
		clearok(curscr, TRUE);
	}
	vncview_close(vv.v);
	vv.v = NULL;
}

static int
vv_enter(const char *name)
{
	struct vncview_opts	 opts;
	struct vnc_endpoint	 ep;
	char			*cause = NULL;

	if (name == NULL || tui.be == NULL) {
		tui_status(COL_ERROR, "no domain selected");
		return (-1);
	}
	memset(&ep, 0, sizeof ep);
	if (tui.be->vnc_endpoint == NULL ||
	    tui.be->vnc_endpoint(name, &ep, &cause) != 0) {
		tui_status(COL_ERROR, "%s: no VNC: %s", name,
		    cause != NULL ? cause : "not supported by this backend");
		free(cause);
		return (-1);
	}
	memset(&opts, 0, sizeof opts);
	opts.name = name;
	opts.reconnect = 1;
	opts.interactive = 1;
	vv.v = vncview_open(&ep, &opts, &cause);
	vnc_endpoint_free(&ep);
	if (vv.v == NULL) {
		tui_status(COL_ERROR, "vnc: %s: %s", name, cause);
		free(cause);
		return (-1);
	}
	def_prog_mode();
	endwin();
	if (vnc_term_enter(&vv.term, vv.v, STDIN_FILENO, STDOUT_FILENO,
	    &cause) != 0) {
		reset_prog_mode();
		clearok(curscr, TRUE);
		vncview_close(vv.v);
		vv.v = NULL;
		tui_status(COL_ERROR, "vnc: %s: %s", name, cause);
		free(cause);
		return (-1);
	}
	vv.on = 1;
	free(vv.dom);
	vv.dom = xstrdup(name);
	log_info("vnc view: %s opened", name);
	return (0);
}

static void
vv_leave(void)
{
	if (vv.v != NULL)
		log_info("vnc view: %s closed", vv.dom);
	vv_close();
}

static int
vv_pollfds(struct pollfd *pfd, int max)
{
	return (vv.on ? vnc_term_pollfds(&vv.term, pfd, max) : 0);
}

static int
vv_timeout(void)
{
	return (vv.on ? vnc_term_timeout(&vv.term) : -1);
}

static void
vv_process(const struct pollfd *pfd, int n)
{
	char	*error = NULL;
	int	 flags;

	if (!vv.on)
		return;
	flags = vnc_term_process(&vv.term, pfd, n);
	if (!(flags & (VNCVIEW_QUIT | VNCVIEW_ERROR)))
		return;
	if (!(flags & VNCVIEW_QUIT))
		error = xstrdup(vncview_error(vv.v));
	tui_back();		/* leaves: the terminal goes back to curses */
	if (error != NULL)
		tui_status(COL_ERROR, "vnc: %s: %s", vv.dom, error);
	free(error);
}

/* fatal(): the terminal back at once, without curses. */
static void
vv_restore(void)
{
	if (vv.on)
		vnc_term_leave(&vv.term);
}

static void
vv_draw(int y, int x, int h, int w)
{
	/* Never called while the viewer owns the terminal. */
}

static void
vv_free(void)
{
	vv_close();
	free(vv.dom);
	vv.dom = NULL;
}

const struct view_ops view_vnc_ops = {
	.name = "vnc",
	.title = "VNC",
	.keys = vnc_keys,
	.free = vv_free,
	.draw = vv_draw,
	.enter = vv_enter,
	.leave = vv_leave,
	.tty = 1,
	.tty_pollfds = vv_pollfds,
	.tty_process = vv_process,
	.tty_timeout = vv_timeout,
	.restore = vv_restore,
};
