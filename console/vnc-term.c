/*
 * The VNC viewer on a real terminal, for whoever runs the poll() loop:
 * `xendeck vnc` runs its own small loop around these, the console's VNC
 * view (view-vnc.c) runs them from the console's one loop. Entering puts
 * the terminal in raw mode and gives it to the viewer; leaving gives it
 * back exactly as it was. Nothing here touches signal dispositions: the
 * caller's loop wakes on SIGWINCH its own way, and every call checks the
 * terminal's size.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"

/* Raw mode, the viewer on the terminal. */
int
vnc_term_enter(struct vnc_term *t, struct vncview *v, int in, int out,
    char **cause)
{
	struct termios	 tio;

	memset(t, 0, sizeof *t);
	t->v = v;
	t->in = in;
	t->out = out;
	if (tcgetattr(in, &t->saved) != 0) {
		*cause = xprintf("tcgetattr: %s", strerror(errno));
		return (-1);
	}
	tio = t->saved;
	cfmakeraw(&tio);
	tcsetattr(in, TCSAFLUSH, &tio);
	t->saved_ok = 1;
	if (ioctl(out, TIOCGWINSZ, &t->ws) != 0)
		memset(&t->ws, 0, sizeof t->ws);
	vncview_enter(v, out, t->ws.ws_col, t->ws.ws_row);
	vncview_resize(v, t->ws.ws_col, t->ws.ws_row, t->ws.ws_xpixel,
	    t->ws.ws_ypixel);
	t->active = 1;
	return (0);
}

/* The terminal back as it was (idempotent; fatal() may call it). */
void
vnc_term_leave(struct vnc_term *t)
{
	if (!t->active)
		return;
	t->active = 0;
	vncview_leave(t->v);
	if (t->saved_ok)
		tcsetattr(t->in, TCSAFLUSH, &t->saved);
	t->saved_ok = 0;
}

/* The fds to poll: the terminal's input and output, the VNC socket. */
int
vnc_term_pollfds(struct vnc_term *t, struct pollfd *pfd, int max)
{
	int	 n = 0, fd;

	if (max < 3)
		return (0);
	pfd[n].fd = t->in;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	pfd[n].fd = vncview_output_pending(t->v) ? t->out : -1;
	pfd[n].events = POLLOUT;
	pfd[n++].revents = 0;
	fd = vncview_fd(t->v);
	pfd[n].fd = fd;
	pfd[n].events = vncview_events(t->v);
	pfd[n++].revents = 0;
	return (n);
}

int
vnc_term_timeout(struct vnc_term *t)
{
	return (vncview_timeout(t->v));
}

/*
 * What poll() said about vnc_term_pollfds' fds (pfd as it filled it; 0
 * revents on a timeout): keys to the viewer, the socket's messages, a
 * frame drawn when due. Returns VNCVIEW_* flags (QUIT, ERROR).
 */
int
vnc_term_process(struct vnc_term *t, const struct pollfd *pfd, int n)
{
	struct winsize	 ws;
	char		 buf[512];
	ssize_t		 r;
	int		 flags = 0;

	if (ioctl(t->out, TIOCGWINSZ, &ws) == 0 && (ws.ws_col !=
	    t->ws.ws_col || ws.ws_row != t->ws.ws_row ||
	    ws.ws_xpixel != t->ws.ws_xpixel ||
	    ws.ws_ypixel != t->ws.ws_ypixel)) {
		t->ws = ws;
		flags |= vncview_resize(t->v, ws.ws_col, ws.ws_row,
		    ws.ws_xpixel, ws.ws_ypixel);
	}
	if (n >= 1 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
		r = read(t->in, buf, sizeof buf);
		if (r > 0)
			flags |= vncview_input(t->v, buf, (size_t)r);
		else if (r == 0 || (errno != EAGAIN && errno != EINTR))
			flags |= VNCVIEW_QUIT;	/* the terminal is gone */
	}
	flags |= vncview_process(t->v, n >= 3 && pfd[2].fd != -1 ?
	    pfd[2].revents : 0);
	flags |= vncview_draw(t->v);
	if (vncview_output_pending(t->v))
		flags |= vncview_flush(t->v);
	return (flags & (VNCVIEW_QUIT | VNCVIEW_ERROR));
}
