/*
 * The serial console view: the guest's console fd is read into a libvterm
 * screen and only the resulting cells are drawn, so no byte the guest
 * sends reaches the operator's terminal: titles, OSC 52 clipboard writes,
 * the alternate screen and mode switches all end inside libvterm. Keys go
 * to the guest through libvterm's keyboard encoder (it knows the guest's
 * cursor-key mode); ctrl+] leaves, PgUp/PgDn scroll back.
 *
 * States: closed -> waiting (a quiet job, `xendeck console --ready`,
 * waits until the domain's console can be opened: a domain being created
 * has none yet, and xl's console waits for xenconsoled) -> open (fd,
 * vterm) -> closed on leave, EOF or error. The console never waits for the
 * endpoint itself. The view is drawn like any other; the loop polls the
 * fd.
 *
 * libvterm 0.1.4 (Debian 12) cannot take a guest's bytes as they come:
 * t/fuzz-serial found a guest could hang the whole console with REP
 * ("\033[b": CSI b, repeat the preceding character, when there is none or
 * it has width 0 or -1), crash it with a C1 control printed in insert mode
 * ("\033[4h\302\233x"), or with a DCS status request ("\033P$q5\a"), and
 * overwrite its heap with a CSI of more than 16 arguments; its string
 * sequences read uninitialised memory. So the bytes go through two layers
 * first: guard_filter() drops every CSI separator past the 15th and every
 * string sequence (keeping an OSC title for the header) before any libvterm
 * parser sees them, then a second, parser-only VTerm (split_vt) splits them
 * exactly as vt's parser will, and its callbacks write each sequence on to
 * vt: whole, valid UTF-8 only (a C1 becomes U+FFFD) and REP as the last
 * character repeated (at most a row of it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <vterm.h>

#include "console.h"

#define SB_MAX	2000	/* scrollback lines kept */
#define CTRL_RBRACKET 0x1d

/* The view's own state. */
static struct {
	VTerm		*vt;
	VTermScreen	*vts;
	int		 fd;
	char		*dom;
	char		*guest_title;
	int		 rows, cols;		/* the vterm's size */
	char		**sb;			/* scrollback, oldest first */
	size_t		 sb_n;
	int		 sb_off;		/* lines scrolled back */
	uint64_t	 bytes_in;
	unsigned int	 wait_job;		/* console --ready, or 0 */
} sv = { .fd = -1 };

static int	sv_leave_key(void);

static const struct view_key serial_keys[] = {
	{ CTRL_RBRACKET, 0, "ctrl+]", "leave the console", sv_leave_key },
	{ 0, 0, "PgUp, PgDn", "scroll back and forth", NULL },
	{ 0, 0, "other keys", "go to the guest", NULL },
	{ 0, 0, NULL, NULL, NULL }
};

static void
guest_write(const char *s, size_t len, void *user)
{
	ssize_t	 n;

	while (sv.fd != -1 && len > 0) {
		n = write(sv.fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_debug("%s: %s: write: %s", __func__, sv.dom,
			    n == 0 ? "closed" : strerror(errno));
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

/*
 * The guest's bytes are split by a second, parser-only VTerm (split_vt):
 * its callbacks see exactly the sequences vt's own parser will see, write
 * each one on to vt, and turn a REP into the repeated character (see the
 * top of this file).
 */
static VTerm		*split_vt;
static struct {
	char	*buf;		/* what goes on to vt, in order */
	size_t	 len, size;
	char	 last[4];	/* the last character printed (UTF-8) */
	size_t	 nlast;
	char	 cur[4];	/* one being assembled */
	size_t	 ncur, want;
} split;

static void
split_put(const char *p, size_t n)
{
	if (n == 0)
		return;
	if (split.len + n > split.size) {
		split.size = (split.len + n) * 2;
		split.buf = xreallocarray(split.buf, split.size, 1);
	}
	memcpy(split.buf + split.len, p, n);
	split.len += n;
}

/* U+FFFD in place of what may not reach vt; REP then repeats it. */
static void
split_fffd(void)
{
	split_put("\357\277\275", 3);
	memcpy(split.last, "\357\277\275", 3);
	split.nlast = 3;
}

/* A character complete and valid: on to vt, and the one REP repeats. */
static void
split_char(const char *c, size_t n)
{
	split_put(c, n);
	memcpy(split.last, c, n);
	split.nlast = n;
}

/* A character cut short by a control: vt never sees its first bytes. */
static void
split_cut(void)
{
	if (split.ncur > 0)
		split_fffd();
	split.ncur = split.want = 0;
}

/* One byte of text, decoded: only whole, valid characters go on. */
static void
split_byte(unsigned char c)
{
	uint32_t	 cp;
	size_t		 i;

	if (split.ncur > 0) {
		if (c >= 0x80 && c < 0xc0) {
			split.cur[split.ncur++] = (char)c;
			if (split.ncur < split.want)
				return;
			cp = (unsigned char)split.cur[0] & (0xff >>
			    (split.want + 1));
			for (i = 1; i < split.want; i++)
				cp = cp << 6 | ((unsigned char)split.cur[i] & 0x3f);
			if ((cp >= 0x80 && cp < 0xa0) || cp < (split.want ==
			    2 ? 0x80 : split.want == 3 ? 0x800 : 0x10000) ||
			    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
				split_fffd();
			else
				split_char(split.cur, split.want);
			split.ncur = split.want = 0;
			return;
		}
		split_cut();
	}
	if (c < 0x80) {
		split_char((char *)&c, 1);
		return;
	}
	if (c >= 0xc2 && c <= 0xf4) {
		split.cur[0] = (char)c;
		split.ncur = 1;
		split.want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		return;
	}
	split_fffd();	/* a stray continuation byte, or not UTF-8 at all */
}

/*
 * Text: what vt's parser hands its text handler, up to a C0 or DEL. Only
 * whole, valid UTF-8 characters go on to vt, never a C1 control written as
 * UTF-8 (U+0080-U+009F: U+FFFD instead); a character still incomplete at
 * the end of a read is held until its last byte comes. libvterm 0.1.4
 * gives a C1 a width of -1, and in insert mode ("\033[4h\302\233x", or a
 * C1 completed by a byte long after its first, across controls) that
 * makes it memmove a negative length: a SEGV (found by t/fuzz-serial).
 */
static int
split_text(const char *bytes, size_t len, void *user)
{
	size_t	 n;

	for (n = 0; n < len; n++) {
		if ((unsigned char)bytes[n] < 0x20 || bytes[n] == 0x7f)
			break;
		split_byte((unsigned char)bytes[n]);
	}
	return ((int)n);
}

static int
split_control(unsigned char c, void *user)
{
	char	 esc[2] = { 0x1b, (char)(c - 0x40) };

	split_cut();
	if (c < 0x20)
		split_put((char *)&c, 1);
	else
		split_put(esc, 2);	/* a C1: as ESC Fe (UTF-8 mode) */
	return (1);
}

static int
split_escape(const char *bytes, size_t len, void *user)
{
	split_cut();
	split_put("\033", 1);
	split_put(bytes, len);
	return (1);
}

static int
split_csi(const char *leader, const long args[], int argcount,
    const char *intermed, char command, void *user)
{
	char	 num[32];
	long	 count, i;
	int	 a, n;

	split_cut();
	if (leader == NULL && intermed == NULL && command == 'b') {
		/* REP: the last character, repeated, never REP itself. */
		count = argcount > 0 ? CSI_ARG_COUNT(args[0]) : 1;
		if (count > sv.cols)
			count = sv.cols;
		for (i = 0; split.nlast > 0 && i < count; i++)
			split_put(split.last, split.nlast);
		return (1);
	}
	split_put("\033[", 2);
	if (leader != NULL)
		split_put(leader, strlen(leader));
	for (a = 0; a < argcount; a++) {
		if (a > 0)
			split_put(CSI_ARG_HAS_MORE(args[a - 1]) ? ":" : ";", 1);
		if (!CSI_ARG_IS_MISSING(args[a])) {
			n = snprintf(num, sizeof num, "%ld", CSI_ARG(args[a]));
			split_put(num, (size_t)n);
		}
	}
	if (intermed != NULL)
		split_put(intermed, strlen(intermed));
	split_put(&command, 1);
	return (1);
}

/* Strings never get here (the guard drops them); if one did, dropped. */
static int
split_string(const char *command, size_t len, void *user)
{
	split_cut();
	return (1);
}

static int
split_resize(int r, int c, void *user)
{
	return (1);
}

static const VTermParserCallbacks split_cbs = {
	.text = split_text,
	.control = split_control,
	.escape = split_escape,
	.csi = split_csi,
	.osc = split_string,
	.dcs = split_string,
	.resize = split_resize,
};

/*
 * Before any libvterm parser sees them (the guard). libvterm 0.1.4 stores
 * a CSI's arguments in an array of 16 without a bound, so "\033[;;;;...;m"
 * with more than 15 separators writes past it into the VTerm (heap memory
 * corruption), and its string sequences (OSC, DCS, SOS, PM, APC) read
 * uninitialised memory and get lengths of (size_t)-1 (found by
 * t/fuzz-serial). So the guard drops every CSI separator past the 15th,
 * and every string sequence whole: libvterm never sees one. An OSC 0 or 2
 * (the window title) is kept here for the view's header instead.
 *
 * It follows the stream as libvterm's parser does where that matters, and
 * errs on the safe side: a C0 control inside a sequence is executed (passed
 * on) and changes nothing; CAN and SUB abort; an ESC is held until the byte
 * after it says what it starts; a string ends at BEL or ESC \.
 */
#define GUARD_SEPARATORS	15
enum guard_state {
	G_GROUND,
	G_ESC,		/* an ESC held back */
	G_ESC_INT,	/* an escape with intermediates, passed on */
	G_CSI,		/* maybe in a CSI's parameters */
	G_STRING,	/* in a string sequence: dropped */
	G_STRING_ESC	/* an ESC in it */
};
static struct {
	enum guard_state state;
	int		 nsep;		/* the CSI's separators so far */
	int		 osc;		/* the string is an OSC */
	char		 str[256];	/* its start */
	size_t		 nstr;
} guard;

/* A string sequence has ended: an OSC 0 or 2 sets the guest's title. */
static void
guard_string_end(void)
{
	if (guard.osc && guard.nstr >= 2 && (guard.str[0] == '0' ||
	    guard.str[0] == '2') && guard.str[1] == ';') {
		free(sv.guest_title);
		sv.guest_title = xstrndup(guard.str + 2, guard.nstr - 2);
		log_debug("serial %s: guest set its title", sv.dom);
		tui.redraw = 1;
	}
	guard.state = G_GROUND;
}

/* Filter len bytes of in into out (room for len + 1: a held ESC). */
static size_t
guard_filter(const char *in, size_t len, char *out)
{
	unsigned char	 c;
	size_t		 i, n = 0;

	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
again:
		switch (guard.state) {
		case G_STRING:
			if (c == 0x07 || c == 0x18 || c == 0x1a)
				guard_string_end();	/* BEL, CAN, SUB */
			else if (c == 0x1b)
				guard.state = G_STRING_ESC;
			else if (guard.nstr < sizeof guard.str)
				guard.str[guard.nstr++] = (char)c;
			continue;
		case G_STRING_ESC:
			guard_string_end();
			if (c == '\\')
				continue;		/* ST */
			guard.state = G_ESC;		/* ESC, then this */
			goto again;
		default:
			break;
		}
		if (c == 0x18 || c == 0x1a) {		/* CAN, SUB */
			guard.state = G_GROUND;
			out[n++] = (char)c;
			continue;
		}
		if (c == 0x1b) {			/* held for now */
			guard.state = G_ESC;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {		/* executed as it is */
			out[n++] = (char)c;
			continue;
		}
		switch (guard.state) {
		case G_ESC:
			if (c >= 0x80)
				continue;	/* libvterm ignores it here */
			if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
			    c == '_') {
				/*
				 * ESC and all dropped; CAN ends whatever
				 * libvterm was in (a CSI this ESC ended).
				 */
				out[n++] = 0x18;
				guard.state = G_STRING;
				guard.osc = c == ']';
				guard.nstr = 0;
				continue;
			}
			out[n++] = 0x1b;
			if (c == '[') {
				guard.state = G_CSI;
				guard.nsep = 0;
			} else if (c >= 0x20 && c <= 0x2f)
				guard.state = G_ESC_INT;
			else
				guard.state = G_GROUND;
			break;
		case G_ESC_INT:
			/*
			 * libvterm 0.1.4 takes ESC " [ for a CSI and ESC " ]
			 * for an OSC too, intermediates or not: a CSI is
			 * guarded, a string aborted (CAN) and dropped.
			 */
			if (c == '[') {
				guard.state = G_CSI;
				guard.nsep = 0;
			} else if (c == ']' || c == 'P' || c == 'X' ||
			    c == '^' || c == '_') {
				out[n++] = 0x18;
				guard.state = G_STRING;
				guard.osc = c == ']';
				guard.nstr = 0;
				continue;
			} else if (c >= 0x30 && c <= 0x7e)
				guard.state = G_GROUND;
			break;
		case G_CSI:
			if (c == ';' || c == ':') {
				if (++guard.nsep > GUARD_SEPARATORS)
					continue;	/* dropped */
			} else if (c >= 0x40 && c <= 0x7e)
				guard.state = G_GROUND;
			break;
		default:
			break;
		}
		out[n++] = (char)c;
	}
	return (n);
}

/* The guest's bytes, to vt, as split_vt's parser splits them. */
static void
rep_feed(const char *s, size_t len)
{
	char	 buf[8192 + 1];
	size_t	 n, chunk;

	while (len > 0) {
		chunk = len > sizeof buf - 1 ? sizeof buf - 1 : len;
		n = guard_filter(s, chunk, buf);
		s += chunk;
		len -= chunk;
		split.len = 0;
		vterm_input_write(split_vt, buf, n);
		if (split.len > 0)
			vterm_input_write(sv.vt, split.buf, split.len);
	}
}

static int
sv_damage(VTermRect r, void *user)
{
	tui.redraw = 1;
	return (1);
}

static int
sv_settermprop(VTermProp p, VTermValue *v, void *user)
{
	/* Kept (and later shown sanitised), never sent to our terminal. */
	if (p == VTERM_PROP_TITLE && v->string != NULL) {
		free(sv.guest_title);
		sv.guest_title = xstrdup(v->string);
		log_debug("serial %s: guest set its title", sv.dom);
	} else if (p == VTERM_PROP_ALTSCREEN)
		log_debug("serial %s: guest %s the alternate screen", sv.dom,
		    v->boolean ? "entered" : "left");
	return (1);
}

/* A row of cells as UTF-8 text, trailing blanks dropped. */
static char *
cells_text(int n, const VTermScreenCell *cells)
{
	char	*out = xmalloc((size_t)n * MB_CUR_MAX + 1), *p = out;
	char	 mb[8];
	int	 i, k;
	size_t	 len;
	mbstate_t mbs;

	memset(&mbs, 0, sizeof mbs);
	for (i = 0; i < n; i++) {
		uint32_t c = cells[i].chars[0];

		if (c == (uint32_t)-1)
			continue;	/* the right half of a wide cell */
		if (c == 0 || c < 0x20 || (c >= 0x7f && c < 0xa0))
			c = ' ';
		len = wcrtomb(mb, (wchar_t)c, &mbs);
		if (len == (size_t)-1) {
			memset(&mbs, 0, sizeof mbs);
			mb[0] = '?';
			len = 1;
		}
		for (k = 0; k < (int)len; k++)
			*p++ = mb[k];
	}
	while (p > out && p[-1] == ' ')
		p--;
	*p = '\0';
	return (out);
}

static int
sv_pushline(int n, const VTermScreenCell *cells, void *user)
{
	if (sv.sb_n == SB_MAX) {
		free(sv.sb[0]);
		memmove(sv.sb, sv.sb + 1, (SB_MAX - 1) * sizeof *sv.sb);
		sv.sb_n--;
	}
	sv.sb = xreallocarray(sv.sb, sv.sb_n + 1, sizeof *sv.sb);
	sv.sb[sv.sb_n++] = cells_text(n, cells);
	if (sv.sb_off > 0 && sv.sb_off < (int)sv.sb_n)
		sv.sb_off++;	/* keep the view where it was */
	return (1);
}

static const VTermScreenCallbacks screen_cbs = {
	.damage = sv_damage,
	.settermprop = sv_settermprop,
	.sb_pushline = sv_pushline,
};

static void
sv_close(void)
{
	size_t	 i;

	if (sv.fd != -1)
		close(sv.fd);
	sv.fd = -1;
	if (sv.vt != NULL)
		vterm_free(sv.vt);
	sv.vt = NULL;
	sv.vts = NULL;
	if (split_vt != NULL)
		vterm_free(split_vt);
	split_vt = NULL;
	free(split.buf);
	memset(&split, 0, sizeof split);
	for (i = 0; i < sv.sb_n; i++)
		free(sv.sb[i]);
	free(sv.sb);
	sv.sb = NULL;
	sv.sb_n = 0;
	sv.sb_off = 0;
	free(sv.guest_title);
	sv.guest_title = NULL;
}

static void
sv_size(int l, int c)
{
	sv.rows = l - 1 > 1 ? l - 1 : 1;
	sv.cols = c > 1 ? c : 1;
	if (sv.vt != NULL)
		vterm_set_size(sv.vt, sv.rows, sv.cols);
}

/*
 * The end of the console log (its last 4 KiB, from a line start), so the
 * screen is not blank at first. It goes through libvterm like the rest.
 */
static void
feed_log_tail(void)
{
	char		*path, buf[4096], *start;
	int		 lfd;
	off_t		 size;
	ssize_t		 n;

	if (tui.be->console_log == NULL ||
	    (path = tui.be->console_log(sv.dom)) == NULL)
		return;
	if ((lfd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_debug("%s: %s: %s", __func__, path, strerror(errno));
		free(path);
		return;
	}
	size = lseek(lfd, 0, SEEK_END);
	if (size > (off_t)sizeof buf)
		lseek(lfd, size - (off_t)sizeof buf, SEEK_SET);
	else
		lseek(lfd, 0, SEEK_SET);
	n = read(lfd, buf, sizeof buf);
	close(lfd);
	free(path);
	if (n <= 0)
		return;
	start = buf;
	if (size > (off_t)sizeof buf) {
		start = memchr(buf, '\n', (size_t)n);
		start = start != NULL ? start + 1 : buf + n;
	}
	rep_feed(start, (size_t)(buf + n - start));
}

/* Open the console now that it is there (the wait job said so). */
static int
sv_open(void)
{
	char	*cause = NULL;

	if (tui.be->console_open == NULL ||
	    tui.be->console_open(sv.dom, &sv.fd, &cause) != 0) {
		tui_status(COL_ERROR, "%s: console: %s", sv.dom,
		    cause != NULL ? cause : "not supported");
		free(cause);
		sv.fd = -1;
		return (-1);
	}
	set_nonblock(sv.fd);
	set_cloexec(sv.fd);
	sv.vt = vterm_new(sv.rows, sv.cols);
	vterm_set_utf8(sv.vt, 1);
	sv.vts = vterm_obtain_screen(sv.vt);
	vterm_screen_enable_altscreen(sv.vts, 1);
	vterm_screen_set_callbacks(sv.vts, &screen_cbs, NULL);
	vterm_screen_reset(sv.vts, 1);
	split_vt = vterm_new(sv.rows, sv.cols);
	vterm_set_utf8(split_vt, 1);
	vterm_parser_set_callbacks(split_vt, &split_cbs, NULL);
	split.nlast = split.ncur = split.want = 0;
	memset(&guard, 0, sizeof guard);
	sv.bytes_in = 0;
	/*
	 * Replay history before libvterm may answer anything: old queries in
	 * the log (a shell's cursor-position request after each prompt) must
	 * not send stale replies into the live guest's input.
	 */
	feed_log_tail();
	vterm_output_set_callback(sv.vt, guest_write, NULL);
	log_info("serial console: %s opened", sv.dom);
	tui_status(COL_DIM, "console of %s: ctrl+] leaves, PgUp/PgDn scroll "
	    "back", sv.dom);
	return (0);
}

/* `console --ready` has ended: open, or say why not and go back. */
static void
sv_ready(struct job *j, void *arg)
{
	unsigned int	 id = job_id(j);

	if (id != sv.wait_job)
		return;		/* left meanwhile, or another domain */
	sv.wait_job = 0;
	if (tui.view != &view_serial_ops)
		return;
	if (job_state(j) == JOB_DONE && sv_open() == 0) {
		tui.redraw = 1;
		return;
	}
	if (job_state(j) != JOB_DONE)
		tui_status(COL_ERROR, "%s: console: %s", sv.dom,
		    job_error(j) != NULL ? job_error(j) : "not there");
	tui_back();
}

static void
sv_wait_cancel(void)
{
	struct job	*j;
	char		*cause = NULL;

	if (sv.wait_job != 0 && (j = job_find(sv.wait_job)) != NULL &&
	    job_state(j) == JOB_RUNNING && job_cancel(j, &cause) != 0)
		free(cause);
	sv.wait_job = 0;
}

/*
 * Switched to, for a domain: wait (as a job) until its console can be
 * opened, then open it. The same domain's open console is kept.
 */
static int
sv_enter(const char *name)
{
	char		*argv[] = { "xendeck", "console", "--ready",
			    "--timeout", "30", NULL, NULL };
	char		*cause = NULL;
	struct job	*j;

	if (name == NULL || tui.be == NULL) {
		tui_status(COL_ERROR, "no domain selected");
		return (-1);
	}
	if (sv.fd != -1 && sv.dom != NULL && strcmp(sv.dom, name) == 0)
		return (0);
	sv_close();
	sv_wait_cancel();
	free(sv.dom);
	sv.dom = xstrdup(name);
	argv[5] = sv.dom;
	j = job_run("console ready", argv, JOB_QUIET | JOB_CANCEL, NULL,
	    sv_ready, NULL, &cause);
	if (j == NULL) {
		tui_status(COL_ERROR, "%s: console: %s", name, cause);
		free(cause);
		return (-1);
	}
	sv.wait_job = job_id(j);
	return (0);
}

static void
sv_leave(void)
{
	if (sv.dom != NULL && sv.fd != -1)
		log_info("serial console: %s closed (%llu bytes in)", sv.dom,
		    (unsigned long long)sv.bytes_in);
	sv_wait_cancel();
	sv_close();
}

static int
sv_leave_key(void)
{
	tui_back();
	return (VIEW_REDRAW);
}

static int
sv_pollfd(void)
{
	return (sv.fd);
}

static void
sv_io(void)
{
	char	 buf[8192];
	ssize_t	 n;

	for (;;) {
		n = read(sv.fd, buf, sizeof buf);
		if (n > 0) {
			sv.bytes_in += (uint64_t)n;
			rep_feed(buf, (size_t)n);
			tui.redraw = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		tui_status(COL_ERROR, "console of %s closed%s%s", sv.dom,
		    n == 0 ? "" : ": ", n == 0 ? "" : strerror(errno));
		tui_back();
		return;
	}
}

static void
draw_cell_row(int y, int x, int w, int row)
{
	VTermScreenCell	 c;
	VTermPos	 pos;
	cchar_t		 cc;
	wchar_t		 wc[2] = { 0, 0 };
	attr_t		 a;
	int		 col, pair;

	pos.row = row;
	for (col = 0; col < sv.cols && col < w; col++) {
		pos.col = col;
		if (!vterm_screen_get_cell(sv.vts, pos, &c))
			continue;
		if (c.chars[0] == (uint32_t)-1)
			continue;
		wc[0] = (wchar_t)c.chars[0];
		if (wc[0] == 0 || wc[0] < 0x20 || (wc[0] >= 0x7f &&
		    wc[0] < 0xa0))
			wc[0] = ' ';
		if (!tui.utf8 && wc[0] > 0x7e)
			wc[0] = '?';
		a = A_NORMAL;
		if (c.attrs.bold)
			a |= A_BOLD;
		if (c.attrs.underline)
			a |= A_UNDERLINE;
		if (c.attrs.reverse)
			a |= A_REVERSE;
		pair = 0;
		if (!tui.theme.mono && has_colors() &&
		    VTERM_COLOR_IS_INDEXED(&c.fg) &&
		    !VTERM_COLOR_IS_DEFAULT_FG(&c.fg) && c.fg.indexed.idx < 8)
			pair = COL_NSLOTS + 1 + c.fg.indexed.idx;
		if (wc[0] > 0x7e && wcwidth(wc[0]) != 1 &&
		    wcwidth(wc[0]) != 2)
			wc[0] = '?';
		if (col + (wcwidth(wc[0]) > 1 ? 2 : 1) > w)
			break;
		setcchar(&cc, wc, a, (short)pair, NULL);
		mvadd_wch(y, x + col, &cc);
	}
}

static void
sv_draw(int y, int x, int h, int w)
{
	char		 head[256];
	int		 i, line, first;
	VTermPos	 cur;
	VTermState	*st;

	if (h - 1 != sv.rows || w != sv.cols)
		sv_size(h, w);
	snprintf(head, sizeof head, " Console of %s%s%s  ctrl+] leaves  "
	    "PgUp/PgDn scroll%s", sv.dom != NULL ? sv.dom : "?",
	    sv.guest_title != NULL ? ": " : "",
	    sv.guest_title != NULL ? sv.guest_title : "",
	    sv.sb_off > 0 ? "  [scrolled back]" : "");
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, head, theme_attr(COL_HEADER));
	if (sv.vt == NULL) {
		if (sv.wait_job != 0)
			tui_draw_text(y + 2, x + 1, w - 2, "waiting for the "
			    "domain's console (ctrl+] leaves)...",
			    theme_attr(COL_DIM));
		return;
	}
	/* scrollback lines first when scrolled back, then the screen */
	first = (int)sv.sb_n - sv.sb_off;
	for (i = 0; i < sv.rows && i < h - 1; i++) {
		line = first + i;
		if (line < (int)sv.sb_n)
			tui_draw_text(y + 1 + i, x, w, sv.sb[line], A_NORMAL);
		else
			draw_cell_row(y + 1 + i, x, w, line - (int)sv.sb_n);
	}
	if (sv.sb_off == 0 && !prompt_active()) {
		st = vterm_obtain_state(sv.vt);
		vterm_state_get_cursorpos(st, &cur);
		tui.cur_on = 1;
		tui.cur_y = y + 1 + cur.row;
		tui.cur_x = x + cur.col;
	}
}

static void
sv_init(void)
{
	int	 i;

	if (has_colors()) {
		for (i = 0; i < 8; i++)
			init_pair(COL_NSLOTS + 1 + i, i, -1);
	}
}

static void
sv_free(void)
{
	sv_wait_cancel();
	sv_close();
	free(sv.dom);
	sv.dom = NULL;
}

static int
sv_key(int ch)
{
	VTermModifier	 m = VTERM_MOD_NONE;
	VTermKey	 k = VTERM_KEY_NONE;

	if (ch == CTRL_RBRACKET)
		return (sv_leave_key());
	if (sv.vt == NULL)
		return (VIEW_UNHANDLED);
	switch (ch) {
	case KEY_PPAGE:
		sv.sb_off += sv.rows / 2;
		if (sv.sb_off > (int)sv.sb_n)
			sv.sb_off = (int)sv.sb_n;
		return (VIEW_REDRAW);
	case KEY_NPAGE:
		sv.sb_off -= sv.rows / 2;
		if (sv.sb_off < 0)
			sv.sb_off = 0;
		return (VIEW_REDRAW);
	case KEY_MOUSE:
	case KEY_RESIZE:
		return (VIEW_UNHANDLED);
	case KEY_UP: k = VTERM_KEY_UP; break;
	case KEY_DOWN: k = VTERM_KEY_DOWN; break;
	case KEY_LEFT: k = VTERM_KEY_LEFT; break;
	case KEY_RIGHT: k = VTERM_KEY_RIGHT; break;
	case KEY_HOME: k = VTERM_KEY_HOME; break;
	case KEY_END: k = VTERM_KEY_END; break;
	case KEY_IC: k = VTERM_KEY_INS; break;
	case KEY_DC: k = VTERM_KEY_DEL; break;
	case KEY_BACKSPACE: k = VTERM_KEY_BACKSPACE; break;
	case KEY_ENTER: k = VTERM_KEY_ENTER; break;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12)) {
			k = VTERM_KEY_FUNCTION(ch - KEY_F0);
			break;
		}
		if (ch >= 0 && ch <= 0xff) {
			char	 b = (char)ch;

			sv.sb_off = 0;
			guest_write(&b, 1, NULL);	/* bytes as typed */
			return (VIEW_REDRAW);
		}
		return (VIEW_REDRAW);
	}
	sv.sb_off = 0;
	vterm_keyboard_key(sv.vt, k, m);
	return (VIEW_REDRAW);
}

static int
sv_mouse(int y, int x, mmask_t b)
{
	if (b & BUTTON4_PRESSED)
		sv.sb_off = sv.sb_off + 3 > (int)sv.sb_n ? (int)sv.sb_n :
		    sv.sb_off + 3;
	else if (b & BUTTON5_PRESSED)
		sv.sb_off = sv.sb_off > 3 ? sv.sb_off - 3 : 0;
	return (VIEW_REDRAW);
}

const struct view_ops view_serial_ops = {
	.name = "serial",
	.title = "Console",
	.keys = serial_keys,
	.init = sv_init,
	.free = sv_free,
	.resize = sv_size,
	.draw = sv_draw,
	.key = sv_key,
	.mouse = sv_mouse,
	.enter = sv_enter,
	.leave = sv_leave,
	.pollfd = sv_pollfd,
	.io = sv_io,
};
