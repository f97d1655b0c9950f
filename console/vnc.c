/*
 * The VNC viewer: an RFB session (libvncclient) drawn on the terminal.
 *
 * State machine of a session:
 *   CONNECT  a non-blocking connect() on a unix or TCP socket is under way
 *            (poll for POLLOUT); refused or missing sockets are retried
 *            until the connect timeout, since QEMU may not listen yet.
 *   HELLO    connected; waiting (POLLIN, bounded by the read timeout) for
 *            the server's first bytes before libvncclient runs the
 *            handshake, so a server that accepts and says nothing never
 *            blocks us.
 *   RUN      handshake done: each readable event runs
 *            HandleRFBServerMessage() while libvncclient holds buffered
 *            input; its reads of the rest of a message are bounded by the
 *            read timeout. The next update is requested only when the last
 *            one was drawn and the terminal took it (flow control: a slow
 *            terminal slows the server, nothing piles up).
 *   WAIT     the session was lost: reconnect with backoff (the guest
 *            rebooted, the server restarted).
 *   PASSWORD the server wants a password we do not have: prompt for it.
 *   DEAD     a fatal error (protocol violation, limit exceeded, wrong
 *            password): vncview_error() says which.
 *
 * We never call rfbInitClient(): we connect ourselves, then call the
 * handshake, set the pixel format and send our own SetEncodings with only
 * the encodings we accept. That list leaves out ExtendedDesktopSize (-308),
 * whose screen-id-0 announcements from QEMU libvncclient 0.9.14 mishandles
 * (pitfalls.md), and the cursor, identity and capability pseudo-encodings.
 * Framebuffer sizes are capped in our MallocFrameBuffer hook; cut text
 * longer than 1 MiB is refused by libvncclient 0.9.14 itself before it
 * allocates, and what it hands us is dropped.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rfb/rfbclient.h>

#include "console.h"

#define VNC_MAX_DIM		8192
#define VNC_MAX_PIXELS		(16 * 1024 * 1024)
#define VNC_ESC_MS		40
#define VNC_RETRY_MS		200
#define VNC_RECONNECT_MAX_MS	60000
#define VNC_SAFE_ENCODINGS_UNIX	"raw copyrect zrle hextile zlib"
#define VNC_SAFE_ENCODINGS_TCP	"zrle hextile zlib copyrect raw"

#define COL_STATUS_FG	0xffffff
#define COL_STATUS_BG	0x1f3a5f
#define COL_ERROR_BG	0x8b1a1a
#define COL_MENU_FG	0xffffff
#define COL_MENU_BG	0x202020

enum vnc_state { ST_CONNECT, ST_HELLO, ST_RUN, ST_WAIT, ST_PASSWORD,
    ST_DEAD };
enum vnc_menu { MENU_NONE, MENU_MAIN, MENU_CAD, MENU_TYPE };

struct vncview {
	struct vncview_opts	 opts;
	char			*label;		/* what we connect to */
	char			*name;		/* status line name */
	char			*unix_path;
	char			*host;
	int			 port;
	char			*password;
	int			 password_prompted;

	enum vnc_state		 state;
	int			 fd;		/* ours until handed over */
	rfbClient		*cl;
	uint64_t		 deadline;	/* CONNECT/HELLO timeout */
	uint64_t		 connect_until;	/* retry refused sockets */
	uint64_t		 retry_at;
	int			 retry_ms;
	uint64_t		 lost_at;
	char			*error;
	char			*note;		/* transient status text */
	uint64_t		 note_until;
	char			 lastlog[256];	/* libvncclient's last word */

	/* Frames. */
	int			 frames;
	int			 update_done;
	uint64_t		 last_request;
	uint64_t		 open_us, first_frame_us;
	uint64_t		 pixels_updated;
	int			 dirty, ui_dirty, force;
	int			 ext_keys;
	const char		*encoding;	/* preferred, as offered */

	/* Terminal. */
	int			 tty;		/* -1 when not active */
	int			 tty_flags;
	int			 cols, rows, xpix, ypix;
	enum vnc_render_mode	 render;
	enum vnc_scale_mode	 scale;
	double			 zoom;
	int			 panx, pany;
	struct vnc_geom		 geom;
	struct vnc_cell		*cells, *shown;
	int			 ncells;
	uint32_t		*px;
	size_t			 npx;
	struct vnc_out		 out;
	uint64_t		 last_draw;
	uint64_t		 bytes_out, cells_out;
	double			 fps;
	int			 fps_frames;
	uint64_t		 fps_since;

	/* Input. */
	char			 inbuf[256];
	size_t			 inlen;
	uint64_t		 esc_deadline;
	enum vnc_menu		 menu;
	char			 line[512];	/* type-text or password */
	size_t			 linelen;
	int			 buttons;
	int			 quit;
	int			 shown_menu;
	int			 need_full;	/* resized: ask for all */
	uint64_t		 rect_retry_at;
	uint64_t		 draws;
};

static char		 log_last[256];
static int		 log_hooked;
static int		 vnc_tag;

/* libvncclient's logging, sent to the log file, never the screen. */
static void
vnc_log_common(const char *fmt, va_list ap)
{
	char	*nl;

	vsnprintf(log_last, sizeof log_last, fmt, ap);
	if ((nl = strchr(log_last, '\n')) != NULL)
		*nl = '\0';
	log_debug("libvncclient: %s", log_last);
}

static void
vnc_log(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vnc_log_common(fmt, ap);
	va_end(ap);
}

static void
vnc_log_hook(void)
{
	if (log_hooked)
		return;
	rfbClientLog = vnc_log;
	rfbClientErr = vnc_log;
	log_hooked = 1;
}

static void
view_note(struct vncview *v, const char *fmt, ...) printflike(2, 3);

/* A transient message on the status line. */
static void
view_note(struct vncview *v, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	free(v->note);
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	v->note = term_escape(msg);	/* may quote the server */
	free(msg);
	v->note_until = mono_ms() + 4000;
	v->ui_dirty = 1;
	log_info("vnc %s: %s", v->label, v->note);
}

static void
view_fail(struct vncview *v, const char *fmt, ...) printflike(2, 3);

/* A fatal error: the session ends here. */
static void
view_fail(struct vncview *v, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (v->error == NULL)
		v->error = term_escape(msg);	/* may quote the server */
	free(msg);
	v->state = ST_DEAD;
	v->ui_dirty = 1;
	log_info("vnc %s: %s", v->label, v->error);
}

static void
view_drop_client(struct vncview *v)
{
	if (v->cl != NULL) {
		rfbClientSetClientData(v->cl, &vnc_tag, NULL);
		free(v->cl->frameBuffer);
		v->cl->frameBuffer = NULL;
		free(v->cl->rcSource);	/* rfbClientCleanup leaks these */
		free(v->cl->rcMask);
		v->cl->rcSource = v->cl->rcMask = NULL;
		rfbClientCleanup(v->cl);	/* closes the socket */
		v->cl = NULL;
	}
	if (v->fd != -1)
		close(v->fd);
	v->fd = -1;
}

static struct vncview *
client_view(rfbClient *cl)
{
	return (rfbClientGetClientData(cl, &vnc_tag));
}

/* Our framebuffer allocator: the one place a server's size is checked. */
static rfbBool
hook_malloc_fb(rfbClient *cl)
{
	struct vncview	*v = client_view(cl);
	size_t		 size;

	free(cl->frameBuffer);
	cl->frameBuffer = NULL;
	if (cl->width <= 0 || cl->height <= 0 || cl->width > VNC_MAX_DIM ||
	    cl->height > VNC_MAX_DIM ||
	    (int64_t)cl->width * cl->height > VNC_MAX_PIXELS) {
		if (v != NULL && v->error == NULL)
			v->error = xprintf("server announced a %dx%d screen "
			    "(limit %dx%d, %d Mpixels)", cl->width,
			    cl->height, VNC_MAX_DIM, VNC_MAX_DIM,
			    VNC_MAX_PIXELS / (1024 * 1024));
		return (FALSE);
	}
	size = (size_t)cl->width * cl->height * 4;
	cl->frameBuffer = calloc(1, size);
	if (cl->frameBuffer == NULL) {
		if (v != NULL && v->error == NULL)
			v->error = xprintf("out of memory for a %dx%d screen",
			    cl->width, cl->height);
		return (FALSE);
	}
	if (v != NULL) {
		v->dirty = 1;
		v->force = 1;
		log_info("vnc %s: screen %dx%d", v->label, cl->width,
		    cl->height);
	}
	return (TRUE);
}

static void
hook_update(rfbClient *cl, int x, int y, int w, int h)
{
	struct vncview	*v = client_view(cl);

	if (v == NULL)
		return;
	v->dirty = 1;
	v->pixels_updated += (uint64_t)w * h;
}

static void
hook_finished(rfbClient *cl)
{
	struct vncview	*v = client_view(cl);

	if (v == NULL)
		return;
	if (v->frames++ == 0)
		v->first_frame_us = mono_us() - v->open_us;
	v->update_done = 1;
}

/* The endpoint's or the prompted password; NULL makes the handshake fail. */
static char *
hook_password(rfbClient *cl)
{
	struct vncview	*v = client_view(cl);

	if (v == NULL || v->password == NULL)
		return (NULL);
	return (strdup(v->password));	/* libvncclient frees it */
}

static void
hook_cut_text(rfbClient *cl, const char *text, int len)
{
	log_debug("vnc: ignored %d bytes of server cut text", len);
}

static void
hook_bell(rfbClient *cl)
{
}

/* libvncclient decodes cursor shapes even when not offered: refuse them. */
static void
hook_cursor(rfbClient *cl, int xhot, int yhot, int w, int h, int bpp)
{
	struct vncview	*v = client_view(cl);

	if (v != NULL && v->error == NULL)
		v->error = xprintf("protocol error: the server sent a %dx%d "
		    "cursor shape, which we did not offer", w, h);
}

/* Turn libvncclient's last log line into a sentence for the user. */
static char *
explain(struct vncview *v, const char *last, int *transport)
{
	unsigned int	 a, b, c, d;

	*transport = 0;
	if (strstr(last, "closed connection") != NULL) {
		*transport = 1;
		return (xstrdup("the server closed the connection"));
	}
	if (strcmp(last, "write") == 0 || strcmp(last, "write failed") == 0 ||
	    strcmp(last, "select") == 0) {
		*transport = 1;
		return (xstrdup("connection lost (write failed)"));
	}
	if (strncmp(last, "read (", 6) == 0) {
		*transport = 1;
		return (xprintf("connection lost: %s", last + 6));
	}
	if (strstr(last, "Connection timed out") != NULL) {
		*transport = 1;
		return (xprintf("the server stopped sending in the middle of "
		    "a message (read timeout %d s)", v->opts.read_timeout_s));
	}
	if (sscanf(last, "Rect too large: %ux%u at (%u, %u)", &a, &b, &c,
	    &d) == 4)
		return (xprintf("protocol error: a %ux%u rectangle at %u,%u "
		    "lies outside the %dx%d screen", a, b, c, d,
		    v->cl != NULL ? v->cl->width : 0,
		    v->cl != NULL ? v->cl->height : 0));
	if (sscanf(last, "Unknown rect encoding %d", (int *)&a) == 1)
		return (xprintf("protocol error: the server used encoding %d "
		    "(0x%x), which we did not offer", (int)a, a));
	if (sscanf(last, "Ignoring too big cut text length sent by server: "
	    "%u", &a) == 1)
		return (xprintf("the server sent %u bytes of clipboard text "
		    "(limit 1 MiB)", a));
	if (strstr(last, "uthentication failed") != NULL ||
	    strstr(last, "VNC authentication failed") != NULL ||
	    strstr(last, "Authentication failure") != NULL)
		return (xstrdup("authentication failed (wrong password?)"));
	if (strstr(last, "Reading password failed") != NULL)
		return (xstrdup(v->opts.interactive ? "the server wants a "
		    "password" : "the server wants a password "
		    "(--password-file)"));
	if (strstr(last, "Too big desktop name") != NULL)
		return (xstrdup("protocol error: desktop name longer than "
		    "1 MiB"));
	if (*last == '\0')
		return (xstrdup("protocol error"));
	return (xprintf("protocol error: %s", last));
}

static void
schedule_retry(struct vncview *v, const char *why)
{
	uint64_t	 now = mono_ms();

	view_drop_client(v);
	if (v->retry_ms == 0)
		v->retry_ms = 250;
	else if (v->retry_ms < 4000)
		v->retry_ms *= 2;
	v->retry_at = now + (uint64_t)v->retry_ms;
	v->state = ST_WAIT;
	view_note(v, "%s; reconnecting in %.1f s", why, v->retry_ms / 1000.0);
}

/* The session died: reconnect if it had worked and it is a transport loss. */
static void
session_lost(struct vncview *v)
{
	char		*why;
	int		 transport;

	if (v->error != NULL) {		/* one of our own limits */
		view_drop_client(v);
		v->state = ST_DEAD;
		v->ui_dirty = 1;
		log_info("vnc %s: %s", v->label, v->error);
		return;
	}
	why = explain(v, log_last, &transport);
	/*
	 * QEMU switching video modes while we connect: its resize can reach
	 * us before it knew we take DesktopSize, and the next update does not
	 * fit the screen we were told. A fresh connection is told the new
	 * size; a server that does it again within 10 s is broken.
	 */
	if (strncmp(log_last, "Rect too large", 14) == 0 &&
	    (v->rect_retry_at == 0 || mono_ms() - v->rect_retry_at > 10000)) {
		v->rect_retry_at = mono_ms();
		view_drop_client(v);
		v->state = ST_WAIT;
		v->retry_at = mono_ms();
		v->connect_until = mono_ms() +
		    (uint64_t)v->opts.connect_timeout_ms;
		view_note(v, "%s; reconnecting", why);
		free(why);
		return;
	}
	if (transport && v->opts.reconnect && v->frames > 0) {
		if (v->lost_at == 0)
			v->lost_at = mono_ms();
		if (mono_ms() - v->lost_at < VNC_RECONNECT_MAX_MS) {
			schedule_retry(v, why);
			free(why);
			return;
		}
	}
	view_drop_client(v);
	view_fail(v, "%s", why);
	free(why);
}

/* Start a non-blocking connect. */
static void
view_connect(struct vncview *v)
{
	struct sockaddr_un	 sun;
	struct addrinfo		 hints, *ai = NULL;
	char			 port[16];
	int			 fd = -1, r, err;
	uint64_t		 now = mono_ms();

	view_drop_client(v);
	v->update_done = 0;
	if (v->unix_path != NULL) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		if (strlen(v->unix_path) >= sizeof sun.sun_path) {
			view_fail(v, "socket path too long: %s", v->unix_path);
			return;
		}
		memcpy(sun.sun_path, v->unix_path, strlen(v->unix_path) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd == -1) {
			view_fail(v, "socket: %s", strerror(errno));
			return;
		}
		r = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	} else {
		memset(&hints, 0, sizeof hints);
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_family = AF_UNSPEC;
		snprintf(port, sizeof port, "%d", v->port);
		if ((r = getaddrinfo(v->host, port, &hints, &ai)) != 0) {
			view_fail(v, "%s: %s", v->host, gai_strerror(r));
			return;
		}
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			freeaddrinfo(ai);
			view_fail(v, "socket: %s", strerror(errno));
			return;
		}
		r = connect(fd, ai->ai_addr, ai->ai_addrlen);
		freeaddrinfo(ai);
	}
	err = errno;
	v->fd = fd;
	if (r == 0 || err == EINPROGRESS) {
		v->state = ST_CONNECT;
		v->deadline = now + (uint64_t)v->opts.connect_timeout_ms;
		return;
	}
	close(fd);
	v->fd = -1;
	if ((err == ENOENT || err == ECONNREFUSED || err == EAGAIN) &&
	    now < v->connect_until) {
		v->state = ST_WAIT;
		v->retry_at = now + VNC_RETRY_MS;
		return;
	}
	if (v->lost_at != 0 && now - v->lost_at < VNC_RECONNECT_MAX_MS) {
		schedule_retry(v, strerror(err));
		return;
	}
	view_fail(v, "cannot connect to %s: %s", v->label, strerror(err));
}

static int
send_msg(struct vncview *v, const void *buf, size_t len)
{
	return (WriteToRFBServer(v->cl, buf, (unsigned int)len) ? 0 : -1);
}

/* SetPixelFormat and our SetEncodings (see the top of this file). */
static int
send_format_and_encodings(struct vncview *v)
{
	rfbSetPixelFormatMsg	 spf;
	char			 buf[sz_rfbSetEncodingsMsg + 32 * 4];
	rfbSetEncodingsMsg	*se = (rfbSetEncodingsMsg *)buf;
	uint32_t		 encs[32];
	char			*list, *word, *save = NULL;
	size_t			 n = 0, i;
	int			 compress = 0;
	static const struct {
		const char	*name;
		int32_t		 enc;
	} known[] = {
		{ "raw", rfbEncodingRaw }, { "copyrect", rfbEncodingCopyRect },
		{ "zrle", rfbEncodingZRLE }, { "hextile", rfbEncodingHextile },
		{ "zlib", rfbEncodingZlib }, { "tight", rfbEncodingTight },
		{ "rre", rfbEncodingRRE }, { "corre", rfbEncodingCoRRE },
	};

	memset(&spf, 0, sizeof spf);
	spf.type = rfbSetPixelFormat;
	spf.format = v->cl->format;
	spf.format.redMax = htons(spf.format.redMax);
	spf.format.greenMax = htons(spf.format.greenMax);
	spf.format.blueMax = htons(spf.format.blueMax);
	if (send_msg(v, &spf, sz_rfbSetPixelFormatMsg) != 0)
		return (-1);

	list = xstrdup(v->opts.encodings);
	for (word = strtok_r(list, " ,", &save); word != NULL;
	    word = strtok_r(NULL, " ,", &save)) {
		for (i = 0; i < nitems(known); i++) {
			if (strcasecmp(word, known[i].name) != 0 ||
			    n >= 16)
				continue;
			if (n == 0)
				v->encoding = known[i].name;
			encs[n++] = htonl((uint32_t)known[i].enc);
			if (known[i].enc == rfbEncodingZRLE ||
			    known[i].enc == rfbEncodingZlib ||
			    known[i].enc == rfbEncodingTight)
				compress = 1;
		}
	}
	free(list);
	if (compress && v->unix_path == NULL)
		encs[n++] = htonl((uint32_t)rfbEncodingCompressLevel1);
	encs[n++] = htonl((uint32_t)rfbEncodingNewFBSize);
	encs[n++] = htonl((uint32_t)rfbEncodingLastRect);
	encs[n++] = htonl((uint32_t)rfbEncodingQemuExtendedKeyEvent);
	se->type = rfbSetEncodings;
	se->pad = 0;
	se->nEncodings = htons((uint16_t)n);
	memcpy(buf + sz_rfbSetEncodingsMsg, encs, n * 4);
	return (send_msg(v, buf, sz_rfbSetEncodingsMsg + n * 4));
}

/* The server spoke: run the handshake and start the session. */
static void
view_handshake(struct vncview *v)
{
	rfbClient	*cl;
	char		*why;
	int		 transport;

	vnc_log_hook();
	v->ext_keys = 0;		/* until this server offers them */
	v->buttons = 0;
	cl = rfbGetClient(8, 3, 4);
	v->cl = cl;
	rfbClientSetClientData(cl, &vnc_tag, v);
	cl->sock = v->fd;
	v->fd = -1;
	free(cl->serverHost);		/* rfbGetClient's "" */
	cl->serverHost = strdup(v->label);
	cl->serverPort = v->port;
	cl->readTimeout = (unsigned int)v->opts.read_timeout_s;
	cl->connectTimeout = (unsigned int)
	    ((v->opts.connect_timeout_ms + 999) / 1000);
	cl->MallocFrameBuffer = hook_malloc_fb;
	cl->GotFrameBufferUpdate = hook_update;
	cl->FinishedFrameBufferUpdate = hook_finished;
	cl->GetPassword = hook_password;
	cl->GotXCutText = hook_cut_text;
	cl->Bell = hook_bell;
	cl->GotCursorShape = hook_cursor;
	cl->canHandleNewFBSize = TRUE;
	cl->appData.shareDesktop = TRUE;
	cl->appData.encodingsString = v->opts.encodings;
	cl->appData.compressLevel = 1;
	cl->appData.enableJPEG = FALSE;
	log_last[0] = '\0';

	if (!InitialiseRFBConnection(cl)) {
		why = explain(v, log_last, &transport);
		if (strstr(log_last, "Reading password failed") != NULL ||
		    (strstr(why, "authentication failed") != NULL &&
		    v->password_prompted)) {
			view_drop_client(v);
			if (v->opts.interactive) {
				v->state = ST_PASSWORD;
				v->linelen = 0;
				if (v->password_prompted)
					view_note(v, "%s", why);
				v->ui_dirty = 1;
				free(why);
				return;
			}
		}
		view_drop_client(v);
		view_fail(v, "%s", why);
		free(why);
		return;
	}
	cl->width = cl->si.framebufferWidth;
	cl->height = cl->si.framebufferHeight;
	if (!cl->MallocFrameBuffer(cl)) {
		view_drop_client(v);
		v->state = ST_DEAD;
		v->ui_dirty = 1;
		log_info("vnc %s: %s", v->label, v->error);
		return;
	}
	cl->updateRect.x = cl->updateRect.y = 0;
	cl->updateRect.w = cl->width;
	cl->updateRect.h = cl->height;
	/* The desktop name is the server's to choose: shown escaped. */
	free(v->name);
	v->name = term_escape(v->opts.name != NULL ? v->opts.name :
	    cl->desktopName != NULL && *cl->desktopName != '\0' ?
	    cl->desktopName : v->label);
	if (send_format_and_encodings(v) != 0 ||
	    !SendFramebufferUpdateRequest(cl, 0, 0, cl->width, cl->height,
	    FALSE)) {
		session_lost(v);
		return;
	}
	v->last_request = mono_ms();
	v->state = ST_RUN;
	if (v->lost_at != 0)
		view_note(v, "reconnected");
	v->retry_ms = 0;
	v->lost_at = 0;
	v->force = 1;
	v->ui_dirty = 1;
	log_info("vnc %s: connected to \"%s\" %dx%d", v->label,
	    cl->desktopName != NULL ? cl->desktopName : "", cl->width,
	    cl->height);
}

static int
frame_interval_ms(struct vncview *v)
{
	return (1000 / (v->opts.fps > 0 ? v->opts.fps : 30));
}

/* Ask for the next update once the last was shown and the tty took it. */
static void
maybe_request(struct vncview *v)
{
	uint64_t	 now = mono_ms();

	if (v->state != ST_RUN || !v->update_done)
		return;
	if (v->tty != -1 && (v->out.len > v->out.off || v->dirty))
		return;
	if (now - v->last_request < (uint64_t)frame_interval_ms(v))
		return;
	v->update_done = 0;
	v->last_request = now;
	if (!SendFramebufferUpdateRequest(v->cl, 0, 0, v->cl->width,
	    v->cl->height, v->need_full ? FALSE : TRUE))
		session_lost(v);
	v->need_full = 0;
}

struct vncview *
vncview_open(const struct vnc_endpoint *ep, const struct vncview_opts *opts,
    char **cause)
{
	struct vncview	*v;

	if (ep->unix_path == NULL && ep->host == NULL) {
		*cause = xstrdup("no VNC endpoint");
		return (NULL);
	}
	v = xcalloc(1, sizeof *v);
	v->opts = *opts;
	if (v->opts.connect_timeout_ms <= 0)
		v->opts.connect_timeout_ms = 10000;
	if (v->opts.read_timeout_s <= 0)
		v->opts.read_timeout_s = 5;
	if (ep->unix_path != NULL) {
		v->unix_path = xstrdup(ep->unix_path);
		v->label = term_escape(ep->unix_path);
	} else {
		v->host = xstrdup(ep->host);
		v->port = ep->port;
		if (strchr(ep->host, ':') != NULL)
			v->label = xprintf("[%s]::%d", ep->host, ep->port);
		else
			v->label = xprintf("%s::%d", ep->host, ep->port);
	}
	if (v->opts.encodings == NULL)
		v->opts.encodings = v->unix_path != NULL ?
		    VNC_SAFE_ENCODINGS_UNIX : VNC_SAFE_ENCODINGS_TCP;
	v->opts.encodings = xstrdup(v->opts.encodings);
	if (v->opts.name != NULL)
		v->opts.name = xstrdup(v->opts.name);
	v->name = term_escape(v->opts.name != NULL ? v->opts.name : v->label);
	if (ep->password != NULL)
		v->password = xstrdup(ep->password);
	v->fd = -1;
	v->tty = -1;
	v->scale = opts->scale;
	v->zoom = 1.0;
	v->render = opts->render;
	v->open_us = mono_us();
	v->connect_until = mono_ms() + (uint64_t)v->opts.connect_timeout_ms;
	view_connect(v);
	return (v);
}

void
vncview_close(struct vncview *v)
{
	if (v == NULL)
		return;
	if (v->tty != -1)
		vncview_leave(v);
	view_drop_client(v);
	free(v->label);
	free(v->name);
	free(v->unix_path);
	free(v->host);
	if (v->password != NULL)
		explicit_bzero(v->password, strlen(v->password));
	free(v->password);
	free(v->error);
	free(v->note);
	free(v->cells);
	free(v->shown);
	free(v->px);
	free((char *)v->opts.encodings);
	free((char *)v->opts.name);
	vnc_out_free(&v->out);
	explicit_bzero(v->line, sizeof v->line);
	free(v);
}

int
vncview_fd(struct vncview *v)
{
	switch (v->state) {
	case ST_CONNECT:
	case ST_HELLO:
		return (v->fd);
	case ST_RUN:
		return (v->cl != NULL ? v->cl->sock : -1);
	default:
		return (-1);
	}
}

short
vncview_events(struct vncview *v)
{
	return (v->state == ST_CONNECT ? POLLOUT : POLLIN);
}

int
vncview_timeout(struct vncview *v)
{
	uint64_t	 now = mono_ms(), when = UINT64_MAX;
	int		 iv = frame_interval_ms(v), pending;

	if (v->state == ST_RUN && v->cl != NULL && v->cl->buffered > 0)
		return (0);
	if (v->state == ST_CONNECT || v->state == ST_HELLO)
		when = v->deadline;
	if (v->state == ST_WAIT)
		when = v->retry_at;
	if (v->esc_deadline != 0 && v->esc_deadline < when)
		when = v->esc_deadline;
	pending = v->tty != -1 && v->out.len > v->out.off;
	/* While the tty has not taken the last frame, POLLOUT wakes us. */
	if (v->state == ST_RUN && v->update_done && !pending &&
	    (v->tty == -1 || !v->dirty) && v->last_request + iv < when)
		when = v->last_request + iv;
	if ((v->dirty || v->ui_dirty || v->force) && v->tty != -1 &&
	    !pending && v->last_draw + iv < when)
		when = v->last_draw + iv;
	if (v->note != NULL && v->note_until < when)
		when = v->note_until;
	if (when == UINT64_MAX)
		return (v->state == ST_RUN ? 1000 : -1);
	return (when <= now ? 0 : (int)(when - now));
}

static int
view_flags(struct vncview *v)
{
	int	 flags = 0;

	if ((v->dirty || v->ui_dirty) && v->tty != -1)
		flags |= VNCVIEW_REDRAW;
	if (v->quit)
		flags |= VNCVIEW_QUIT;
	if (v->state == ST_DEAD)
		flags |= VNCVIEW_ERROR;
	return (flags);
}

static void input_parse(struct vncview *, int);

/*
 * One server message. libvncclient requests the next update by itself after
 * each one (and a full one after a resize); we hide the request message
 * from it meanwhile, so that only maybe_request() asks, when we are ready.
 */
static int
handle_message(struct vncview *v)
{
	uint8_t	*bits = v->cl->supportedMessages.client2server;
	uint8_t	 mask = 1 << (rfbFramebufferUpdateRequest % 8);
	int	 ok, w = v->cl->width, h = v->cl->height;

	bits[rfbFramebufferUpdateRequest / 8] &= (uint8_t)~mask;
	ok = HandleRFBServerMessage(v->cl);
	bits[rfbFramebufferUpdateRequest / 8] |= mask;
	if (v->error != NULL)		/* a hook refused something */
		return (0);
	if (ok && (v->cl->width != w || v->cl->height != h))
		v->need_full = 1;
	return (ok);
}

/* The socket is ready (REVENTS), or a timer ran out (REVENTS 0). */
int
vncview_process(struct vncview *v, short revents)
{
	uint64_t	 now = mono_ms(), budget;
	int		 err = 0;
	socklen_t	 len = sizeof err;

	if (v->esc_deadline != 0 && now >= v->esc_deadline) {
		v->esc_deadline = 0;
		input_parse(v, 1);
	}
	if (v->note != NULL && now >= v->note_until) {
		free(v->note);
		v->note = NULL;
		v->ui_dirty = 1;
	}
	switch (v->state) {
	case ST_CONNECT:
		if (revents != 0) {
			if (getsockopt(v->fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1)
				err = errno;
			if (err == 0) {
				v->state = ST_HELLO;
				v->deadline = now +
				    (uint64_t)v->opts.read_timeout_s * 1000;
				break;
			}
			close(v->fd);
			v->fd = -1;
			if ((err == ECONNREFUSED || err == ENOENT) &&
			    now < v->connect_until) {
				v->state = ST_WAIT;
				v->retry_at = now + VNC_RETRY_MS;
			} else
				view_fail(v, "cannot connect to %s: %s",
				    v->label, strerror(err));
		} else if (now >= v->deadline)
			view_fail(v, "cannot connect to %s: timed out after "
			    "%d ms", v->label, v->opts.connect_timeout_ms);
		break;
	case ST_HELLO:
		if (revents != 0)
			view_handshake(v);
		else if (now >= v->deadline) {
			if (v->lost_at != 0 && v->opts.reconnect &&
			    now - v->lost_at < VNC_RECONNECT_MAX_MS)
				schedule_retry(v, "no greeting");
			else
				view_fail(v, "the server accepted the "
				    "connection but sent no greeting within "
				    "%d s", v->opts.read_timeout_s);
		}
		break;
	case ST_RUN:
		budget = now + 50;
		if (revents != 0 || v->cl->buffered > 0) {
			do {
				if (!handle_message(v)) {
					session_lost(v);
					break;
				}
			} while (v->cl->buffered > 0 && mono_ms() < budget);
		}
		if (v->state == ST_RUN && SupportsClient2Server(v->cl,
		    rfbQemuEvent) && !v->ext_keys) {
			v->ext_keys = 1;
			log_info("vnc %s: extended key events", v->label);
		}
		maybe_request(v);
		break;
	case ST_WAIT:
		if (now >= v->retry_at)
			view_connect(v);
		break;
	case ST_PASSWORD:
	case ST_DEAD:
		break;
	}
	return (view_flags(v));
}

/* Keys. */

static void
key1(struct vncview *v, uint32_t keysym, int down)
{
	int	 shift, code;

	if (v->state != ST_RUN || v->opts.view_only)
		return;
	code = vnc_keysym_xt(keysym, &shift);
	if (v->ext_keys && code != 0)
		SendExtendedKeyEvent(v->cl, keysym, (uint32_t)code, down);
	else
		SendKeyEvent(v->cl, keysym, down);
}

/* Press and release KEYSYM with MODS held (and Shift if it needs it). */
static void
send_key(struct vncview *v, uint32_t keysym, int mods)
{
	int	 shift = 0;

	vnc_keysym_xt(keysym, &shift);
	if (mods & VNC_MOD_CTRL)
		key1(v, XK_Control_L, 1);
	if (mods & VNC_MOD_ALT)
		key1(v, XK_Alt_L, 1);
	if ((mods & VNC_MOD_SHIFT) || shift)
		key1(v, XK_Shift_L, 1);
	key1(v, keysym, 1);
	key1(v, keysym, 0);
	if ((mods & VNC_MOD_SHIFT) || shift)
		key1(v, XK_Shift_L, 0);
	if (mods & VNC_MOD_ALT)
		key1(v, XK_Alt_L, 0);
	if (mods & VNC_MOD_CTRL)
		key1(v, XK_Control_L, 0);
}

/* Type a UTF-8 line as keystrokes. */
static void
type_text(struct vncview *v, const char *s, size_t len)
{
	struct vnc_ev	 ev;
	size_t		 n;

	while (len > 0) {
		n = vnc_keys_parse(s, len, 1, &ev);
		if (n == 0)
			break;
		if (ev.type == VNC_EV_KEY && ev.keysym != 0)
			send_key(v, ev.keysym, ev.mods & ~VNC_MOD_ALT);
		s += n;
		len -= n;
	}
}

static void
menu_send(struct vncview *v, uint32_t keysym, const char *what)
{
	send_key(v, keysym, VNC_MOD_CTRL | VNC_MOD_ALT);
	v->menu = MENU_NONE;
	view_note(v, "sent %s", what);
}

static void
set_scale(struct vncview *v, enum vnc_scale_mode mode, double zoom)
{
	v->scale = mode;
	v->zoom = zoom < 0.25 ? 0.25 : zoom > 16 ? 16 : zoom;
	v->force = 1;
	v->dirty = 1;
}

static void
menu_key(struct vncview *v, const struct vnc_ev *ev)
{
	uint32_t	 k = ev->keysym;
	char		 name[16];

	if (v->menu == MENU_CAD) {
		if (k == 'y' || k == 'Y')
			menu_send(v, XK_Delete, "Ctrl+Alt+Del");
		else {
			v->menu = MENU_NONE;
			view_note(v, "Ctrl+Alt+Del not sent");
		}
		return;
	}
	if (k >= XK_F1 && k <= XK_F12) {
		snprintf(name, sizeof name, "Ctrl+Alt+F%u", k - XK_F1 + 1);
		menu_send(v, k, name);
		return;
	}
	if (k >= '1' && k <= '9') {
		snprintf(name, sizeof name, "Ctrl+Alt+F%u", k - '0');
		menu_send(v, XK_F1 + (k - '1'), name);
		return;
	}
	v->menu = MENU_NONE;
	switch (k) {
	case 'd':
	case XK_Delete:
		v->menu = MENU_CAD;
		break;
	case '0':
		menu_send(v, XK_F10, "Ctrl+Alt+F10");
		break;
	case 't':
		v->menu = MENU_TYPE;
		v->linelen = 0;
		break;
	case 's':
		set_scale(v, v->scale == VNC_SCALE_FIT ? VNC_SCALE_1TO1 :
		    VNC_SCALE_FIT, 1.0);
		break;
	case '+':
	case '=':
		set_scale(v, VNC_SCALE_ZOOM, v->scale == VNC_SCALE_ZOOM ?
		    v->zoom * 1.25 : 1.25);
		break;
	case '-':
		set_scale(v, VNC_SCALE_ZOOM, v->scale == VNC_SCALE_ZOOM ?
		    v->zoom / 1.25 : 0.8);
		break;
	case 'f':
		send_key(v, XK_F12, 0);
		view_note(v, "sent F12");
		break;
	case ']':
		send_key(v, ']', VNC_MOD_CTRL);
		view_note(v, "sent Ctrl+]");
		break;
	case 'r':
		if (v->state != ST_DEAD) {
			v->connect_until = mono_ms() +
			    (uint64_t)v->opts.connect_timeout_ms;
			view_connect(v);
		}
		break;
	case 'q':
		v->quit = 1;
		break;
	}
	v->ui_dirty = 1;
}

/* Editing the one-line prompt (type text, password). */
static int
line_key(struct vncview *v, const struct vnc_ev *ev, const char *raw,
    size_t rawlen)
{
	if (ev->keysym == XK_Return)
		return (1);
	if (ev->keysym == XK_Escape)
		return (-1);
	if (ev->keysym == XK_BackSpace) {
		while (v->linelen > 0 &&
		    (v->line[--v->linelen] & 0xc0) == 0x80)
			;
		return (0);
	}
	if (ev->mods != 0 || ev->keysym < 0x20 ||
	    (ev->keysym >= 0xff00 && ev->keysym < 0x1000000))
		return (0);
	if (v->linelen + rawlen < sizeof v->line - 1) {
		memcpy(v->line + v->linelen, raw, rawlen);
		v->linelen += rawlen;
	}
	return (0);
}

static void
pointer(struct vncview *v, const struct vnc_ev *ev)
{
	int	 x, y, bit, motion;

	if (v->state != ST_RUN || v->opts.view_only || ev->row >= v->geom.rows)
		return;
	vnc_geom_to_fb(&v->geom, ev->col, ev->row, &x, &y);
	bit = vnc_mouse_buttons(ev->button, ev->release, &motion);
	if (bit >= 8) {			/* wheel: a click of its own */
		SendPointerEvent(v->cl, x, y, v->buttons | bit);
		SendPointerEvent(v->cl, x, y, v->buttons);
		return;
	}
	if (!motion && bit != 0) {
		if (ev->release)
			v->buttons &= ~bit;
		else
			v->buttons |= bit;
	}
	SendPointerEvent(v->cl, x, y, v->buttons);
}

static void
handle_event(struct vncview *v, const struct vnc_ev *ev, const char *raw,
    size_t rawlen)
{
	int	 r;

	if (ev->type == VNC_EV_MOUSE) {
		if (v->menu == MENU_NONE && v->state != ST_PASSWORD)
			pointer(v, ev);
		return;
	}
	if (ev->keysym == 0)
		return;
	if (v->state == ST_PASSWORD) {
		r = line_key(v, ev, raw, rawlen);
		v->ui_dirty = 1;
		if (r < 0)
			v->quit = 1;
		else if (r > 0) {
			free(v->password);
			v->password = xstrndup(v->line, v->linelen);
			explicit_bzero(v->line, sizeof v->line);
			v->linelen = 0;
			v->password_prompted = 1;
			v->connect_until = mono_ms() +
			    (uint64_t)v->opts.connect_timeout_ms;
			view_connect(v);
		}
		return;
	}
	if (v->menu == MENU_TYPE) {
		r = line_key(v, ev, raw, rawlen);
		v->ui_dirty = 1;
		if (r != 0) {
			if (r > 0) {
				type_text(v, v->line, v->linelen);
				view_note(v, "typed %zu bytes", v->linelen);
			}
			v->menu = MENU_NONE;
			v->linelen = 0;
		}
		return;
	}
	if (v->menu != MENU_NONE) {
		if (ev->keysym == XK_Escape && v->menu == MENU_MAIN) {
			v->menu = MENU_NONE;
			v->ui_dirty = 1;
		} else
			menu_key(v, ev);
		return;
	}
	if (ev->keysym == XK_F12 && ev->mods == 0) {
		v->menu = MENU_MAIN;
		v->ui_dirty = 1;
		return;
	}
	if (ev->keysym == ']' && ev->mods == VNC_MOD_CTRL) {
		v->quit = 1;
		return;
	}
	if (v->state == ST_DEAD && (ev->keysym == 'q' ||
	    ev->keysym == XK_Escape || ev->keysym == XK_Return)) {
		v->quit = 1;
		return;
	}
	/* Panning in 1:1 and zoom with Shift+arrows. */
	if (ev->mods == VNC_MOD_SHIFT && v->scale != VNC_SCALE_FIT &&
	    ev->keysym >= XK_Left && ev->keysym <= XK_Down) {
		int	 step = 32;

		if (ev->keysym == XK_Left)
			v->panx -= step;
		else if (ev->keysym == XK_Right)
			v->panx += step;
		else if (ev->keysym == XK_Up)
			v->pany -= step;
		else
			v->pany += step;
		v->dirty = 1;
		return;
	}
	send_key(v, ev->keysym, ev->mods);
}

static void
input_parse(struct vncview *v, int final)
{
	struct vnc_ev	 ev;
	size_t		 n, off = 0;

	while (off < v->inlen) {
		n = vnc_keys_parse(v->inbuf + off, v->inlen - off, final,
		    &ev);
		if (n == 0)
			break;
		handle_event(v, &ev, v->inbuf + off, n);
		off += n;
	}
	memmove(v->inbuf, v->inbuf + off, v->inlen - off);
	v->inlen -= off;
	v->esc_deadline = v->inlen > 0 ? mono_ms() + VNC_ESC_MS : 0;
}

int
vncview_input(struct vncview *v, const char *buf, size_t len)
{
	size_t	 n;

	while (len > 0) {
		n = sizeof v->inbuf - v->inlen;
		if (n > len)
			n = len;
		memcpy(v->inbuf + v->inlen, buf, n);
		v->inlen += n;
		buf += n;
		len -= n;
		input_parse(v, v->inlen == sizeof v->inbuf);
	}
	maybe_request(v);
	return (view_flags(v));
}

/* Terminal. */

static void
tty_write_all(int fd, const char *s, size_t len)
{
	ssize_t		 n;
	struct pollfd	 pfd = { .fd = fd, .events = POLLOUT };

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			if (poll(&pfd, 1, 1000) <= 0)
				return;
			continue;
		}
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

#define TTY_ENTER "\033[?1049h\033[?25l\033[?7l\033[?1000h\033[?1002h" \
	"\033[?1006h\033[0m\033[2J"
#define TTY_LEAVE "\033[?1006l\033[?1002l\033[?1000l\033[0m\033[?7h" \
	"\033[?25h\033[?1049l"

int
vncview_enter(struct vncview *v, int fd, int cols, int rows)
{
	v->tty = fd;
	v->tty_flags = fcntl(fd, F_GETFL);
	tty_write_all(fd, TTY_ENTER, sizeof TTY_ENTER - 1);
	if (v->tty_flags != -1)
		fcntl(fd, F_SETFL, v->tty_flags | O_NONBLOCK);
	if (v->render == VNC_RENDER_AUTO)
		v->render = vnc_detect_render(-1, -1);
	vncview_resize(v, cols, rows, 0, 0);
	return (view_flags(v));
}

int
vncview_leave(struct vncview *v)
{
	int	 fd = v->tty;

	if (fd == -1)
		return (0);
	if (v->tty_flags != -1)
		fcntl(fd, F_SETFL, v->tty_flags);
	if (v->out.len > v->out.off)
		tty_write_all(fd, v->out.buf + v->out.off,
		    v->out.len - v->out.off);
	v->out.len = v->out.off = 0;
	if (v->render == VNC_RENDER_KITTY)
		tty_write_all(fd, "\033_Ga=d,q=2\033\\", 12);
	tty_write_all(fd, TTY_LEAVE, sizeof TTY_LEAVE - 1);
	v->tty = -1;
	return (view_flags(v));
}

int
vncview_resize(struct vncview *v, int cols, int rows, int xpix, int ypix)
{
	struct winsize	 ws;

	if ((cols <= 0 || rows <= 0) && v->tty != -1 &&
	    ioctl(v->tty, TIOCGWINSZ, &ws) == 0) {
		cols = ws.ws_col;
		rows = ws.ws_row;
		xpix = ws.ws_xpixel;
		ypix = ws.ws_ypixel;
	}
	v->cols = cols > 1 ? cols : 80;
	v->rows = rows > 2 ? rows : 24;
	v->xpix = xpix;
	v->ypix = ypix;
	free(v->cells);
	free(v->shown);
	v->ncells = v->cols * v->rows;
	v->cells = xcalloc((size_t)v->ncells, sizeof *v->cells);
	v->shown = xcalloc((size_t)v->ncells, sizeof *v->shown);
	v->force = 1;
	v->dirty = 1;
	v->ui_dirty = 1;
	return (view_flags(v));
}

static const char *
scale_name(struct vncview *v, char *buf, size_t len)
{
	switch (v->scale) {
	case VNC_SCALE_1TO1:
		return ("1:1");
	case VNC_SCALE_ZOOM:
		snprintf(buf, len, "zoom %d%%", (int)(v->geom.scale * 100 /
		    (v->render == VNC_RENDER_SIXEL ||
		    v->render == VNC_RENDER_KITTY ? 1 : 1)));
		return (buf);
	default:
		snprintf(buf, len, "fit %d%%", (int)(v->geom.scale * 100));
		return (buf);
	}
}

static void
draw_status(struct vncview *v, int pal256)
{
	char		*s = NULL, sc[32];
	uint32_t	 fg = COL_STATUS_FG, bg = COL_STATUS_BG;
	int		 row = v->rows - 1, i;

	switch (v->state) {
	case ST_DEAD:
		xasprintf(&s, " %s: %s  [q] leave", v->label, v->error);
		bg = COL_ERROR_BG;
		break;
	case ST_PASSWORD:
		xasprintf(&s, " password for %s: %.*s", v->label,
		    (int)(v->linelen > 40 ? 40 : v->linelen),
		    "****************************************");
		break;
	case ST_CONNECT:
	case ST_HELLO:
	case ST_WAIT:
		xasprintf(&s, " %s: %s  F12 menu  Ctrl+] leave",
		    v->name, v->note != NULL ? v->note : "connecting...");
		break;
	case ST_RUN:
		if (v->menu == MENU_TYPE)
			xasprintf(&s, " type text (Enter sends, Esc cancels):"
			    " %.*s_", (int)v->linelen, v->line);
		else if (v->menu == MENU_CAD)
			xasprintf(&s, " send Ctrl+Alt+Del to %s? [y/N]",
			    v->name);
		else
			xasprintf(&s, " %s │ %dx%d │ %s │ %.1f fps │ %s │ "
			    "%s", v->name, v->cl->width, v->cl->height,
			    v->encoding != NULL ? v->encoding : "?", v->fps,
			    scale_name(v, sc, sizeof sc), v->note != NULL ?
			    v->note : "F12 menu  Ctrl+] leave");
		break;
	}
	if (pal256) {
		fg = 0x1000000 | (uint32_t)vnc_rgb_to_256(fg);
		bg = 0x1000000 | (uint32_t)vnc_rgb_to_256(bg);
	}
	for (i = 0; i < v->cols; i++) {
		v->cells[row * v->cols + i].ch = ' ';
		v->cells[row * v->cols + i].fg = fg;
		v->cells[row * v->cols + i].bg = bg;
	}
	vnc_cells_text(v->cells, v->cols, row, 0, s, fg, bg);
	free(s);
}

static const char *menu_lines[] = {
	" xendeck VNC menu                      ",
	"  d      Ctrl+Alt+Del (asks first)     ",
	"  1..9 0 Ctrl+Alt+F1..F10 (or F1..F12) ",
	"  t      type text as keystrokes       ",
	"  s      scale: fit / 1:1              ",
	"  + -    zoom in / out                 ",
	"  f      send F12    ]  send Ctrl+]    ",
	"  r      reconnect                     ",
	"  q      leave the viewer              ",
	"  Esc    close this menu               ",
	"  (Shift+arrows pan when zoomed/1:1)   ",
};

static void
draw_menu(struct vncview *v, int pal256)
{
	uint32_t	 fg = COL_MENU_FG, bg = COL_MENU_BG;
	size_t		 i;
	int		 col = v->cols > 40 ? (v->cols - 39) / 2 : 0;

	if (pal256) {
		fg = 0x1000000 | (uint32_t)vnc_rgb_to_256(fg);
		bg = 0x1000000 | (uint32_t)vnc_rgb_to_256(bg);
	}
	for (i = 0; i < nitems(menu_lines) && (int)i + 1 < v->rows - 1; i++)
		vnc_cells_text(v->cells, v->cols, (int)i + 1, col,
		    menu_lines[i], fg, bg);
}

static void
ensure_px(struct vncview *v, size_t n)
{
	if (n > v->npx) {
		free(v->px);
		v->px = xreallocarray(NULL, n, sizeof *v->px);
		v->npx = n;
	}
}

/* Render what changed into the output buffer, if a frame is due. */
int
vncview_draw(struct vncview *v)
{
	uint64_t	 now = mono_ms();
	int		 pal256, image, cw = 1, ch = 2, rows, i, menu_was;
	size_t		 ncell = 0, before;
	int		 running = v->state == ST_RUN && v->cl != NULL &&
			     v->cl->frameBuffer != NULL;

	if (v->tty == -1 || !(v->dirty || v->ui_dirty || v->force))
		return (view_flags(v));
	if (v->out.len > v->out.off)
		return (view_flags(v));		/* the tty has not caught up */
	if (now - v->last_draw < (uint64_t)frame_interval_ms(v) && !v->force)
		return (view_flags(v));
	if (now - v->fps_since >= 1000) {
		v->fps = v->fps_since == 0 ? 0 :
		    v->fps_frames * 1000.0 / (double)(now - v->fps_since);
		v->fps_since = now;
		v->fps_frames = 0;
	}
	v->last_draw = now;
	v->out.len = v->out.off = 0;
	pal256 = v->render == VNC_RENDER_256;
	image = running && (v->render == VNC_RENDER_SIXEL ||
	    v->render == VNC_RENDER_KITTY);
	rows = v->rows - 1;
	if (image) {
		cw = v->xpix > 0 ? v->xpix / v->cols : 8;
		ch = v->ypix > 0 ? v->ypix / v->rows : 16;
		if (cw < 1 || cw > 64)
			cw = 8;
		if (ch < 1 || ch > 128)
			ch = 16;
	}
	if (running) {
		vnc_geom_compute(&v->geom, v->cl->width, v->cl->height,
		    v->cols, rows, cw, ch, v->scale, v->zoom, v->panx,
		    v->pany);
		v->panx = v->geom.panx;
		v->pany = v->geom.pany;
	}
	/* Leaving the menu over an image: the image must be sent again. */
	menu_was = v->shown_menu;
	v->shown_menu = v->menu == MENU_MAIN;
	if (menu_was && !v->shown_menu) {
		v->dirty = 1;		/* the cells under it come back */
		if (image)
			v->force = 1;
	}
	if (running && (v->dirty || v->force)) {
		ensure_px(v, (size_t)v->geom.tw * v->geom.th);
		vnc_scale_area(v->cl->frameBuffer, v->cl->width,
		    v->cl->height, &v->geom, v->px);
		if (!image)
			vnc_cells_from_pixels(v->px, &v->geom, v->cells,
			    pal256);
		else if (v->render == VNC_RENDER_SIXEL)
			vnc_emit_sixel(&v->out, v->px, v->geom.tw,
			    v->geom.th, 0, 0);
		else
			vnc_emit_kitty(&v->out, v->px, v->geom.tw,
			    v->geom.th, v->cols, rows);
		v->fps_frames++;
	} else if (!running) {
		for (i = 0; i < rows * v->cols; i++) {
			v->cells[i].ch = ' ';
			v->cells[i].fg = v->cells[i].bg = pal256 ?
			    0x1000000 | 16 : 0;
		}
	}
	before = v->out.len;
	if (v->menu == MENU_MAIN)
		draw_menu(v, pal256);
	draw_status(v, pal256);
	if (image) {
		/* The image covers the text rows; only overlays are cells. */
		if (v->menu == MENU_MAIN)
			ncell += vnc_cells_emit(&v->out, v->cells, v->shown,
			    v->cols, rows, 0, 1);
		ncell += vnc_cells_emit(&v->out, v->cells + rows * v->cols,
		    v->shown + rows * v->cols, v->cols, 1, rows, v->force);
	} else
		ncell = vnc_cells_emit(&v->out, v->cells, v->shown, v->cols,
		    v->rows, 0, v->force);
	(void)before;
	v->cells_out += ncell;
	v->bytes_out += v->out.len;
	v->draws++;
	v->dirty = v->ui_dirty = v->force = 0;
	return (view_flags(v));
}

int
vncview_output_pending(struct vncview *v)
{
	return (v->out.len > v->out.off);
}

/* Write what the tty takes now; never blocks. */
int
vncview_flush(struct vncview *v)
{
	ssize_t	 n;

	while (v->tty != -1 && v->out.len > v->out.off) {
		n = write(v->tty, v->out.buf + v->out.off,
		    v->out.len - v->out.off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		v->out.off += (size_t)n;
	}
	if (v->out.off == v->out.len)
		v->out.off = v->out.len = 0;
	maybe_request(v);
	return (view_flags(v));
}

const char *
vncview_error(struct vncview *v)
{
	return (v->error);
}

int
vncview_frames(struct vncview *v)
{
	return (v->frames);
}

uint64_t
vncview_first_frame_us(struct vncview *v)
{
	return (v->first_frame_us);
}

/* Whether any framebuffer pixel is not black. */
int
vncview_nonblack(struct vncview *v)
{
	const uint8_t	*p;
	size_t		 i, n;

	if (v->cl == NULL || v->cl->frameBuffer == NULL)
		return (0);
	p = v->cl->frameBuffer;
	n = (size_t)v->cl->width * v->cl->height;
	for (i = 0; i < n; i++, p += 4) {
		if (p[0] | p[1] | p[2])
			return (1);
	}
	return (0);
}

/* The framebuffer as a binary PPM, written atomically. */
int
vncview_dump_ppm(struct vncview *v, const char *path, char **cause)
{
	char		*buf, hdr[64];
	size_t		 n, hl, i;
	const uint8_t	*p;
	int		 rc;

	if (v->cl == NULL || v->cl->frameBuffer == NULL) {
		*cause = xstrdup("no framebuffer yet");
		return (-1);
	}
	hl = (size_t)snprintf(hdr, sizeof hdr, "P6\n%d %d\n255\n",
	    v->cl->width, v->cl->height);
	n = (size_t)v->cl->width * v->cl->height;
	buf = xmalloc(hl + n * 3);
	memcpy(buf, hdr, hl);
	p = v->cl->frameBuffer;
	for (i = 0; i < n; i++, p += 4)
		memcpy(buf + hl + i * 3, p, 3);
	rc = file_write_atomic(path, buf, hl + n * 3, 0644, 0, cause);
	free(buf);
	return (rc);
}

void
vncview_stats(struct vncview *v, FILE *f)
{
	char	*desktop;

	fprintf(f, "server: %s\n", v->name);
	if (v->cl != NULL && v->cl->desktopName != NULL) {
		desktop = term_escape(v->cl->desktopName);
		fprintf(f, "desktop: %s\n", desktop);
		free(desktop);
	}
	if (v->cl != NULL)
		fprintf(f, "size: %dx%d\n", v->cl->width, v->cl->height);
	fprintf(f, "encoding: %s\n", v->encoding != NULL ? v->encoding : "-");
	fprintf(f, "extended-keys: %s\n", v->ext_keys ? "yes" : "no");
	fprintf(f, "frames: %d\n", v->frames);
	fprintf(f, "first-frame-ms: %.1f\n", v->first_frame_us / 1000.0);
	fprintf(f, "pixels-updated: %llu\n",
	    (unsigned long long)v->pixels_updated);
	fprintf(f, "bytes-out: %llu\n", (unsigned long long)v->bytes_out);
	fprintf(f, "cells-out: %llu\n", (unsigned long long)v->cells_out);
}

/*
 * TARGET as a VNC endpoint: a path with a '/' (unix socket), HOST:DISPLAY
 * (port 5900+DISPLAY), HOST::PORT, or [IPV6]:DISPLAY / [IPV6]::PORT.
 */
int
vnc_parse_target(const char *target, struct vnc_endpoint *ep, char **cause)
{
	char		*host = NULL, *end;
	const char	*colon, *rest;
	long		 n;
	int		 dbl;

	memset(ep, 0, sizeof *ep);
	if (strchr(target, '/') != NULL) {
		ep->unix_path = xstrdup(target);
		return (0);
	}
	if (target[0] == '[') {
		if ((end = strchr(target, ']')) == NULL || end[1] != ':')
			goto bad;
		host = xstrndup(target + 1, (size_t)(end - target - 1));
		colon = end + 1;
	} else {
		if ((colon = strchr(target, ':')) == NULL)
			goto bad;
		host = xstrndup(target, (size_t)(colon - target));
	}
	dbl = colon[1] == ':';
	rest = colon + 1 + dbl;
	errno = 0;
	n = strtol(rest, &end, 10);
	if (*rest == '\0' || *end != '\0' || errno != 0 || n < 0 ||
	    (dbl && (n < 1 || n > 65535)) || (!dbl && n > 65535 - 5900))
		goto bad;
	if (*host == '\0') {
		free(host);
		host = xstrdup("localhost");
	}
	ep->host = host;
	ep->port = dbl ? (int)n : 5900 + (int)n;
	return (0);
bad:
	free(host);
	*cause = xprintf("%s: not a VNC address (HOST:DISPLAY, HOST::PORT or "
	    "a socket path)", target);
	return (-1);
}

/*
 * How to draw on this terminal: sixel or kitty images where they are
 * known to work (by environment; SIXEL_OK from a DA1 reply, -1 unknown),
 * truecolor half blocks with COLORTERM, else 256 colours.
 */
enum vnc_render_mode
vnc_detect_render(int sixel_ok, int unused)
{
	const char	*term = getenv("TERM"), *prog = getenv("TERM_PROGRAM");
	const char	*ct = getenv("COLORTERM"), *over;

	if ((over = getenv("XENDECK_VNC_RENDER")) != NULL) {
		if (strcmp(over, "halfblock") == 0)
			return (VNC_RENDER_HALFBLOCK);
		if (strcmp(over, "256") == 0)
			return (VNC_RENDER_256);
		if (strcmp(over, "sixel") == 0)
			return (VNC_RENDER_SIXEL);
		if (strcmp(over, "kitty") == 0)
			return (VNC_RENDER_KITTY);
	}
	if (getenv("TMUX") == NULL && getenv("STY") == NULL) {
		if (getenv("KITTY_WINDOW_ID") != NULL ||
		    (term != NULL && strcmp(term, "xterm-kitty") == 0) ||
		    (prog != NULL && (strcmp(prog, "WezTerm") == 0 ||
		    strcmp(prog, "ghostty") == 0)))
			return (VNC_RENDER_KITTY);
		if (sixel_ok == 1 || (term != NULL &&
		    (strstr(term, "mlterm") != NULL ||
		    strncmp(term, "foot", 4) == 0)))
			return (VNC_RENDER_SIXEL);
	}
	if (ct != NULL && (strcmp(ct, "truecolor") == 0 ||
	    strcmp(ct, "24bit") == 0))
		return (VNC_RENDER_HALFBLOCK);
	if (term != NULL && (strstr(term, "direct") != NULL ||
	    strcmp(term, "xterm-kitty") == 0))
		return (VNC_RENDER_HALFBLOCK);
	return (VNC_RENDER_256);
}
