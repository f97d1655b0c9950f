/*
 * libFuzzer target for the serial console view's input path (make fuzz;
 * run briefly by t/0132-fuzz-serial.t under ASan and UBSan): whatever a
 * guest sends on its console goes through console/view-serial.c as the
 * console runs it (its fd read by the view's io(), into libvterm, the
 * scrollback and the title), then the view is drawn, scrolled back and
 * drawn again, and a few keys go back to the guest.
 *
 * The view is the real one; around it, the smallest console: a backend
 * whose console_open() gives one end of a socketpair (the fuzzer writes the
 * guest's bytes into the other), a job that says at once that the console
 * is ready (the view waits for `console --ready` as a job), and the curses
 * calls the view makes. The
 * one assertion beyond the sanitizers': no character the view hands to the
 * screen (setcchar/wadd_wch, tui_draw_text) is a C0 or C1 control or DEL,
 * so nothing a guest sends can reach the operator's terminal as a control.
 */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "console.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct tui	 tui;
WINDOW		*stdscr;
static int	 guest = -1;	/* the guest's end of the console */
static int	 left;		/* the view asked to leave */

static void
bad_char(const char *where, unsigned long c)
{
	fprintf(stderr, "%s: control character U+%04lX drawn\n", where, c);
	abort();
}

static int
is_control(unsigned long c)
{
	return (c < 0x20 || (c >= 0x7f && c < 0xa0));
}

/* The curses calls view-serial.c makes, checking what it draws. */
int
setcchar(cchar_t *cc, const wchar_t *wch, const attr_t a, short pair,
    const void *opts)
{
	memset(cc, 0, sizeof *cc);
	cc->chars[0] = wch[0];
	cc->attr = a;
	(void)pair;
	(void)opts;
	return (OK);
}

int
wadd_wch(WINDOW *w, const cchar_t *cc)
{
	(void)w;
	if (is_control((unsigned long)cc->chars[0]))
		bad_char("wadd_wch", (unsigned long)cc->chars[0]);
	return (OK);
}

int
wmove(WINDOW *w, int y, int x)
{
	(void)w;
	(void)y;
	(void)x;
	return (OK);
}

bool
has_colors(void)
{
	return (TRUE);
}

int
init_pair(short pair, short fg, short bg)
{
	(void)pair;
	(void)fg;
	(void)bg;
	return (OK);
}

/* The one job the view runs (console --ready), done when the test says. */
struct job {
	unsigned int	 id;
	enum job_state	 state;
	job_done_cb	 done;
	void		*arg;
};
static struct job	 the_job;

struct job *
job_run(const char *name, char *const *argv, int flags, job_line_cb line,
    job_done_cb done, void *arg, char **cause)
{
	(void)name;
	(void)argv;
	(void)flags;
	(void)line;
	(void)cause;
	the_job.id++;
	the_job.state = JOB_RUNNING;
	the_job.done = done;
	the_job.arg = arg;
	return (&the_job);
}

unsigned int
job_id(const struct job *j)
{
	return (j->id);
}

enum job_state
job_state(const struct job *j)
{
	return (j->state);
}

struct job *
job_find(unsigned int id)
{
	return (id == the_job.id ? &the_job : NULL);
}

int
job_cancel(struct job *j, char **cause)
{
	(void)cause;
	j->state = JOB_CANCELLED;
	return (0);
}

const char *
job_error(const struct job *j)
{
	(void)j;
	return (NULL);
}

/* The console's, as the view uses them. */
int
prompt_active(void)
{
	return (0);
}

attr_t
theme_attr(enum theme_slot slot)
{
	(void)slot;
	return (0);
}

void
tui_status(enum theme_slot slot, const char *fmt, ...)
{
	(void)slot;
	(void)fmt;
}

void
tui_back(void)
{
	left = 1;
}

void
tui_fill(int y, int x, int w, attr_t a)
{
	(void)y;
	(void)x;
	(void)w;
	(void)a;
}

/* As tui.c's: multibyte text, controls shown as '?'. */
void
tui_draw_text(int y, int x, int w, const char *s, attr_t a)
{
	mbstate_t	 mbs;
	wchar_t		 wc;
	size_t		 n;

	(void)y;
	(void)x;
	(void)w;
	(void)a;
	memset(&mbs, 0, sizeof mbs);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, strlen(s), &mbs);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mbs, 0, sizeof mbs);
			n = 1;
		}
		s += n;
	}
}

static int
fake_console_open(const char *dom, int *fdp, char **cause)
{
	int	 sv[2];

	(void)dom;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		*cause = xprintf("socketpair: %s", strerror(errno));
		return (-1);
	}
	*fdp = sv[0];
	guest = sv[1];
	set_nonblock(guest);
	return (0);
}

static const struct backend_ops fake_be = {
	.name = "fuzz",
	.console_open = fake_console_open,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	tui.be = &fake_be;
	tui.view = &view_serial_ops;
	tui.utf8 = 1;
	tui.lines = 25;
	tui.cols = 80;
	return (0);
}

/* What the guest's end received (the view's answers and keys): drop it. */
static void
drain_guest(void)
{
	char	 buf[4096];

	while (read(guest, buf, sizeof buf) > 0)
		;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 keys[] = { KEY_UP, 'a', KEY_F(5), '\r',
				    KEY_BACKSPACE };
	size_t			 off = 0, chunk;
	ssize_t			 n;
	size_t			 i;

	left = 0;
	if (view_serial_ops.init != NULL)
		view_serial_ops.init();
	view_serial_ops.resize(24, 80);
	if (view_serial_ops.enter("fuzz") != 0 || the_job.done == NULL)
		abort();
	/* console --ready has ended well: the view opens the console. */
	the_job.state = JOB_DONE;
	the_job.done(&the_job, the_job.arg);
	if (guest == -1)
		abort();
	/*
	 * The bytes arrive in pieces, as from a guest: the first byte says
	 * how big (1 to 64 bytes, or 1000 when it is above 0xbf), so that
	 * sequences split across reads are tried too.
	 */
	chunk = size > 0 && data[0] <= 0xbf ? 1 + data[0] % 64 : 1000;
	while (off < size && !left) {
		n = write(guest, data + off, size - off > chunk ? chunk :
		    size - off);
		if (n > 0)
			off += (size_t)n;
		view_serial_ops.io();
		drain_guest();
	}
	view_serial_ops.draw(0, 0, 25, 80);
	view_serial_ops.key(KEY_PPAGE);
	view_serial_ops.draw(0, 0, 25, 80);
	view_serial_ops.key(KEY_NPAGE);
	view_serial_ops.resize(10, 33);
	view_serial_ops.draw(0, 0, 11, 33);
	for (i = 0; i < nitems(keys); i++)
		view_serial_ops.key(keys[i]);
	drain_guest();
	/* The guest hangs up: the view notices and asks to leave. */
	close(guest);
	guest = -1;
	view_serial_ops.io();
	if (!left)
		abort();
	view_serial_ops.leave();
	return (0);
}
