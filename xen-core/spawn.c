/*
 * The one way xendeck runs another program. No shell, no system(), no
 * popen(): an argv, resolved to an absolute path over a fixed PATH, run with
 * a fixed environment (LC_ALL=C) unless SPAWN_KEEPENV. The child's stdin is
 * the given input (or /dev/null); its stdout and stderr are drained while it
 * runs, so a chatty child can never deadlock us. A failure puts the exit
 * status and the tail of stderr into *cause.
 *
 * Two ways to use it. spawn_run() and spawn_run_timeout() block: they start
 * the child, drain it and reap it. A caller with its own poll() loop (the
 * console's jobs) uses the parts: spawn_start() forks, spawn_pollfds() says
 * which fds to watch, spawn_io() takes what poll() reported (each complete
 * line of output also goes to the on_line callback), spawn_reap() collects
 * the exit status once the child is gone, and spawn_finish() turns it into
 * the result and cause that spawn_run() would have given. A deadline is the
 * caller's to keep in that case (spawn_kill()); the blocking forms keep it
 * with poll()'s timeout, or by polling waitpid() when the child inherits
 * our descriptors.
 */
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

#define SPAWN_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* How often a deadline is checked while the child has our descriptors. */
#define SPAWN_TICK_MS	20
/* A line longer than this is passed to on_line in pieces. */
#define SPAWN_LINE_MAX	4096

extern char **environ;

/* Absolute path of a program, looked up over SPAWN_PATH; NULL if none. */
char *
spawn_which(const char *prog)
{
	char	*path, *dir, *last, *cand;

	if (strchr(prog, '/') != NULL)
		return (access(prog, X_OK) == 0 ? xstrdup(prog) : NULL);
	path = xstrdup(SPAWN_PATH);
	for (dir = strtok_r(path, ":", &last); dir != NULL;
	    dir = strtok_r(NULL, ":", &last)) {
		xasprintf(&cand, "%s/%s", dir, prog);
		if (access(cand, X_OK) == 0) {
			free(path);
			return (cand);
		}
		free(cand);
	}
	free(path);
	return (NULL);
}

/* The argv as one shell-quoted line. */
char *
spawn_argv_string(char *const *argv)
{
	char	*line = NULL, *q, *next;
	size_t	 i;

	for (i = 0; argv[i] != NULL; i++) {
		q = shell_quote(argv[i]);
		if (line == NULL)
			next = xstrdup(q);
		else
			xasprintf(&next, "%s %s", line, q);
		free(line);
		free(q);
		line = next;
	}
	return (line != NULL ? line : xstrdup(""));
}

void
spawn_result_free(struct spawn_result *r)
{
	if (r == NULL)
		return;
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
	r->outlen = r->errlen = 0;
}

static void
buf_append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* The last line or two of stderr, for a cause. */
static char *
err_tail(const char *err, size_t len)
{
	const char	*start, *end = err + len;
	int		 lines = 0;

	while (end > err && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (start = end; start > err; start--) {
		if (start[-1] == '\n' && ++lines == 2)
			break;
	}
	if (end - start > 300)
		start = end - 300;
	return (xstrndup(start, end - start));
}

/* A timeout for a cause: "300 s", or "300 ms" when not whole seconds. */
static char *
spawn_duration(int ms)
{
	if (ms % 1000 == 0)
		return (xprintf("%d s", ms / 1000));
	return (xprintf("%d ms", ms));
}

static void
spawn_close(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/* Free what a spawn_proc holds (not its result); idempotent. */
void
spawn_proc_free(struct spawn_proc *p)
{
	if (p == NULL)
		return;
	spawn_close(&p->fd_in);
	spawn_close(&p->fd_out);
	spawn_close(&p->fd_err);
	free(p->input);
	free(p->prog);
	free(p->partial[0]);
	free(p->partial[1]);
	p->input = p->prog = p->partial[0] = p->partial[1] = NULL;
	p->partlen[0] = p->partlen[1] = 0;
}

/*
 * Start argv[0] (looked up if not absolute) with input on its stdin. on_line
 * (may be NULL) gets every complete line of stdout (stream 1) and stderr
 * (stream 2), without its newline. Returns 0, or -1 with *cause when it could
 * not be started (then nothing needs freeing).
 */
int
spawn_start(char *const *argv, const char *input, int flags,
    void (*on_line)(void *, int, const char *), void *arg,
    struct spawn_proc *p, char **cause)
{
	/*
	 * The fixed environment, plus LVM_SYSTEM_DIR when we have one: it is
	 * how lvm2 is pointed at another lvm.conf (a test's private devices
	 * filter, activation off on a host without device-mapper), and
	 * every lvm2 command we run must see the same configuration.
	 */
	static char	*fixed_env[] = { "LC_ALL=C", "PATH=" SPAWN_PATH,
			    "HOME=/root", "TERM=dumb", NULL, NULL };
	static char	*lvm_dir;
	const char	*s;
	int		 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int		 err[2] = { -1, -1 }, i;
	char		*line;

	if ((s = getenv("LVM_SYSTEM_DIR")) != NULL && (lvm_dir == NULL ||
	    strcmp(lvm_dir + strlen("LVM_SYSTEM_DIR="), s) != 0)) {
		free(lvm_dir);
		lvm_dir = xprintf("LVM_SYSTEM_DIR=%s", s);
	}
	fixed_env[nitems(fixed_env) - 2] = s != NULL ? lvm_dir : NULL;

	memset(p, 0, sizeof *p);
	p->fd_in = p->fd_out = p->fd_err = -1;
	p->flags = flags;
	p->on_line = on_line;
	p->arg = arg;
	if (argv == NULL || argv[0] == NULL)
		fatalx("spawn_start: empty argv");
	if ((p->prog = spawn_which(argv[0])) == NULL) {
		*cause = xprintf("%s: command not found", argv[0]);
		goto fail;
	}
	p->name = argv[0];
	if (!(flags & SPAWN_QUIET)) {
		line = spawn_argv_string(argv);
		log_debug("spawn: %s", line);
		free(line);
	}
	if (!(flags & SPAWN_INHERIT) &&
	    (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0)) {
		*cause = xprintf("pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	p->started = mono_ms();
	if ((p->pid = fork()) == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		goto fail;
	}
	if (p->pid == 0) {
		sigset_t	 none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (flags & SPAWN_SETSID)
			setsid();
		if (!(flags & SPAWN_INHERIT)) {
			if (dup2(in[0], 0) == -1 || dup2(out[1], 1) == -1 ||
			    dup2(err[1], 2) == -1)
				_exit(127);
		}
		execve(p->prog, argv, (flags & SPAWN_KEEPENV) ? environ :
		    fixed_env);
		_exit(127);
	}
	if (!(flags & SPAWN_INHERIT)) {
		close(in[0]);
		close(out[1]);
		close(err[1]);
		p->fd_out = out[0];
		p->fd_err = err[0];
		set_nonblock(p->fd_out);
		set_nonblock(p->fd_err);
		if (input != NULL && *input != '\0') {
			p->input = xstrdup(input);
			p->inlen = strlen(input);
			p->fd_in = in[1];
			set_nonblock(p->fd_in);
		} else
			close(in[1]);
	}
	return (0);
fail:
	for (i = 0; i < 2; i++) {
		spawn_close(&in[i]);
		spawn_close(&out[i]);
		spawn_close(&err[i]);
	}
	spawn_proc_free(p);
	return (-1);
}

/* The fds a poll() loop watches for this child; returns how many. */
int
spawn_pollfds(const struct spawn_proc *p, struct pollfd *pfd, int max)
{
	int	 n = 0;

	if (p->fd_out != -1 && n < max) {
		pfd[n].fd = p->fd_out;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	if (p->fd_err != -1 && n < max) {
		pfd[n].fd = p->fd_err;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	if (p->fd_in != -1 && n < max) {
		pfd[n].fd = p->fd_in;
		pfd[n].events = POLLOUT;
		pfd[n++].revents = 0;
	}
	return (n);
}

/* Whether the child's output pipes are both closed (it is done writing). */
int
spawn_drained(const struct spawn_proc *p)
{
	return (p->fd_out == -1 && p->fd_err == -1);
}

/* Hand complete lines of stream s (0 stdout, 1 stderr) to on_line. */
static void
spawn_lines(struct spawn_proc *p, int s, const char *data, size_t n,
    int eof)
{
	const char	*nl;
	size_t		 take;

	if (p->on_line == NULL)
		return;
	while (n > 0) {
		nl = memchr(data, '\n', n);
		take = nl != NULL ? (size_t)(nl - data) : n;
		buf_append(&p->partial[s], &p->partlen[s], data, take);
		data += take;
		n -= take;
		if (nl != NULL) {
			data++;
			n--;
		}
		if (nl != NULL || p->partlen[s] >= SPAWN_LINE_MAX) {
			if (p->partlen[s] > 0 &&
			    p->partial[s][p->partlen[s] - 1] == '\r')
				p->partial[s][--p->partlen[s]] = '\0';
			p->on_line(p->arg, s + 1, p->partial[s]);
			p->partlen[s] = 0;
			p->partial[s][0] = '\0';
		}
	}
	if (eof && p->partlen[s] > 0) {
		p->on_line(p->arg, s + 1, p->partial[s]);
		p->partlen[s] = 0;
		p->partial[s][0] = '\0';
	}
}

/*
 * Take what poll() reported for this child's fds (any of pfd[0..n-1] that
 * are its own; others are ignored): write input, read output. Returns 1
 * when both output pipes are closed, else 0.
 */
int
spawn_io(struct spawn_proc *p, const struct pollfd *pfd, int n)
{
	char	 buf[8192];
	ssize_t	 r;
	int	 i, s, *fd;

	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0 || pfd[i].fd == -1)
			continue;
		if (pfd[i].fd == p->fd_in) {
			r = write(p->fd_in, p->input + p->inoff,
			    p->inlen - p->inoff);
			if (r > 0)
				p->inoff += r;
			if (r == -1 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r <= 0 || p->inoff == p->inlen)
				spawn_close(&p->fd_in);
			continue;
		}
		if (pfd[i].fd == p->fd_out) {
			s = 0;
			fd = &p->fd_out;
		} else if (pfd[i].fd == p->fd_err) {
			s = 1;
			fd = &p->fd_err;
		} else
			continue;
		for (;;) {
			r = read(*fd, buf, sizeof buf);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1 && errno == EAGAIN)
				break;
			if (r <= 0) {
				spawn_lines(p, s, "", 0, 1);
				spawn_close(fd);
				break;
			}
			if (s == 0 && (p->flags & SPAWN_STDOUT))
				buf_append(&p->res.out, &p->res.outlen, buf,
				    r);
			else if (s == 1)
				buf_append(&p->res.err, &p->res.errlen, buf,
				    r);
			spawn_lines(p, s, buf, r, 0);
			if ((size_t)r < sizeof buf)
				break;
		}
	}
	return (spawn_drained(p));
}

/* Signal the child (its whole process group when started SPAWN_SETSID). */
void
spawn_kill(struct spawn_proc *p, int sig)
{
	if (p->pid <= 0 || p->reaped)
		return;
	if (sig == SIGKILL && !p->reaped)
		p->killed = 1;
	if (p->flags & SPAWN_SETSID)
		kill(-p->pid, sig);
	kill(p->pid, sig);
}

/*
 * Collect the child's exit status: with block, wait for it; else return 0
 * while it runs. Returns 1 once reaped, -1 on a waitpid error.
 */
int
spawn_reap(struct spawn_proc *p, int block)
{
	pid_t	 w;

	if (p->reaped)
		return (1);
	for (;;) {
		w = waitpid(p->pid, &p->wstatus, block ? 0 : WNOHANG);
		if (w == p->pid) {
			p->reaped = 1;
			return (1);
		}
		if (w == 0)
			return (0);
		if (errno != EINTR)
			return (-1);
	}
}

/*
 * The outcome of a reaped child, as spawn_run gives it: *res gets the status
 * and the captured output (moved out of p), and the return is 0 when it
 * exited 0 (or SPAWN_NOCHECK), else -1 with *cause. timeout_ms names the
 * deadline in the cause of a child killed at it (p->killed).
 */
int
spawn_finish(struct spawn_proc *p, int timeout_ms, struct spawn_result *res,
    char **cause)
{
	char	*tail, *after;
	int	 rc = -1;

	*res = p->res;
	memset(&p->res, 0, sizeof p->res);
	if (WIFEXITED(p->wstatus))
		res->status = WEXITSTATUS(p->wstatus);
	else {
		res->termsig = WTERMSIG(p->wstatus);
		res->status = 128 + res->termsig;
	}
	res->timedout = p->killed && res->termsig == SIGKILL;
	if (res->err != NULL && !(p->flags & SPAWN_QUIET))
		log_debug("spawn: %s: stderr: %s", p->name, res->err);
	tail = res->err != NULL ? err_tail(res->err, res->errlen) :
	    xstrdup("");
	if (res->timedout) {
		after = spawn_duration(timeout_ms);
		*cause = xprintf("%s: still running after %s; stopped%s%s",
		    p->name, after, *tail ? ": " : "", tail);
		log_debug("spawn: %s: killed at its deadline (%s)", p->name,
		    after);
		free(after);
		goto out;
	}
	if (res->status != 0 && !(p->flags & SPAWN_NOCHECK)) {
		if (res->status == 127 && *tail == '\0')
			*cause = xprintf("%s: could not be run", p->prog);
		else if (res->termsig != 0)
			*cause = xprintf("%s: killed by signal %d%s%s",
			    p->name, res->termsig, *tail ? ": " : "", tail);
		else
			*cause = xprintf("%s: exit %d%s%s", p->name,
			    res->status, *tail ? ": " : "", tail);
		goto out;
	}
	rc = 0;
out:
	free(tail);
	return (rc);
}

/*
 * Run argv[0] (looked up if not absolute) with input on its stdin. Returns 0
 * when it ran and exited 0 (or SPAWN_NOCHECK), else -1 with *cause.
 */
int
spawn_run(char *const *argv, const char *input, int flags,
    struct spawn_result *res, char **cause)
{
	return (spawn_run_lines(argv, input, flags, 0, NULL, NULL, res,
	    cause));
}

/* spawn_run, killing a child still running after TIMEOUT_MS (0: never). */
int
spawn_run_timeout(char *const *argv, const char *input, int flags,
    int timeout_ms, struct spawn_result *res, char **cause)
{
	return (spawn_run_lines(argv, input, flags, timeout_ms, NULL, NULL,
	    res, cause));
}

/*
 * spawn_run_timeout that also hands every line of output to on_line as it
 * comes (a long apt-get's progress), blocking until the child is done.
 */
int
spawn_run_lines(char *const *argv, const char *input, int flags,
    int timeout_ms, void (*on_line)(void *, int, const char *), void *arg,
    struct spawn_result *res, char **cause)
{
	struct spawn_result	 local = { 0 };
	struct spawn_proc	 p;
	char			*line;
	int			 rc;

	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	if (argv == NULL || argv[0] == NULL)
		fatalx("spawn_run: empty argv");
	if (flags & SPAWN_DRYRUN) {
		line = spawn_argv_string(argv);
		printf("%s\n", line);
		free(line);
		return (0);
	}
	if (spawn_start(argv, input, flags, on_line, arg, &p, cause) != 0)
		return (-1);
	rc = spawn_drive(&p, timeout_ms, res, cause);
	if (res == &local)
		spawn_result_free(&local);
	return (rc);
}

/*
 * Drive a child from spawn_start() to its end, blocking: its I/O (lines to
 * its on_line), the deadline (TIMEOUT_MS after its start, 0: none), reap,
 * spawn_finish(). Frees what p holds. For a caller that needs the pid
 * between the start and the end (the wizard engine journals it).
 */
int
spawn_drive(struct spawn_proc *p, int timeout_ms, struct spawn_result *res,
    char **cause)
{
	struct pollfd		 pfd[3];
	uint64_t		 deadline = 0, now;
	int			 n, wait_ms, expired = 0, rc = -1;
	int			 flags = p->flags;

	memset(res, 0, sizeof *res);
	if (timeout_ms > 0)
		deadline = p->started + timeout_ms;
	while (!(flags & SPAWN_INHERIT) && (!spawn_drained(p) ||
	    p->fd_in != -1)) {
		wait_ms = -1;
		if (deadline != 0) {
			if ((now = mono_ms()) >= deadline) {
				expired = 1;
				break;
			}
			wait_ms = deadline - now;
		}
		n = spawn_pollfds(p, pfd, 3);
		if (poll(pfd, n, wait_ms) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		spawn_io(p, pfd, n);
	}
	if ((flags & SPAWN_INHERIT) && deadline != 0) {
		for (;;) {
			if ((n = spawn_reap(p, 0)) != 0)
				break;
			if (mono_ms() >= deadline) {
				expired = 1;
				break;
			}
			usleep(SPAWN_TICK_MS * 1000);
		}
		if (n == -1) {
			*cause = xprintf("waitpid: %s", strerror(errno));
			goto out;
		}
	}
	/*
	 * Past the deadline. If the child itself has exited (a process it
	 * forked still holding the pipes), its status stands.
	 */
	if (expired && spawn_reap(p, 0) != 1)
		spawn_kill(p, SIGKILL);
	if (spawn_reap(p, 1) != 1) {
		*cause = xprintf("waitpid: %s", strerror(errno));
		goto out;
	}
	rc = spawn_finish(p, timeout_ms, res, cause);
out:
	spawn_proc_free(p);
	return (rc);
}
