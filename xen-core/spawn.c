/*
 * The one way xendeck runs another program. No shell, no system(), no
 * popen(): an argv, resolved to an absolute path over a fixed PATH, run with
 * a fixed environment (LC_ALL=C). The child's stdin is the given input (or
 * /dev/null); its stdout and stderr are drained while we wait, so a chatty
 * child can never deadlock us. A failure puts the exit status and the tail of
 * stderr into *cause. A deadline, if given, is kept by poll()'s timeout
 * while the pipes are drained, or by polling waitpid() when the child
 * inherits our descriptors; a child still running then is killed.
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

/*
 * Wait for a child that has our descriptors (SPAWN_INHERIT) until DEADLINE.
 * Returns 1 when it was reaped (*status set), 0 when the deadline came
 * first, -1 on a waitpid error.
 */
static int
spawn_wait_until(pid_t pid, int *status, uint64_t deadline)
{
	pid_t	 w;

	for (;;) {
		w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return (1);
		if (w == -1 && errno != EINTR)
			return (-1);
		if (mono_ms() >= deadline)
			return (0);
		usleep(SPAWN_TICK_MS * 1000);
	}
}

/*
 * Run argv[0] (looked up if not absolute) with input on its stdin. Returns 0
 * when it ran and exited 0 (or SPAWN_NOCHECK), else -1 with *cause.
 */
int
spawn_run(char *const *argv, const char *input, int flags,
    struct spawn_result *res, char **cause)
{
	return (spawn_run_timeout(argv, input, flags, 0, res, cause));
}

/* spawn_run, killing a child still running after TIMEOUT_MS (0: never). */
int
spawn_run_timeout(char *const *argv, const char *input, int flags,
    int timeout_ms, struct spawn_result *res, char **cause)
{
	static char	*envp[] = { "LC_ALL=C", "PATH=" SPAWN_PATH,
			    "HOME=/root", "TERM=dumb", NULL };
	struct spawn_result	 local = { 0 };
	struct pollfd		 pfd[3];
	char			*prog = NULL, *line = NULL, *tail, *after;
	char			 buf[8192];
	int			 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int			 err[2] = { -1, -1 }, status, rc = -1;
	size_t			 inoff = 0, inlen = input ? strlen(input) : 0;
	ssize_t			 n;
	pid_t			 pid;
	uint64_t		 deadline = 0, now;
	int			 i, nfds, open_fds, wait_ms;
	int			 expired = 0, reaped = 0;

	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	if (argv == NULL || argv[0] == NULL)
		fatalx("spawn_run: empty argv");
	line = spawn_argv_string(argv);
	if (flags & SPAWN_DRYRUN) {
		printf("%s\n", line);
		rc = 0;
		goto out;
	}
	if ((prog = spawn_which(argv[0])) == NULL) {
		*cause = xprintf("%s: command not found", argv[0]);
		goto out;
	}
	log_debug("spawn: %s", line);
	if (!(flags & SPAWN_INHERIT) &&
	    (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0)) {
		*cause = xprintf("pipe: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	if (timeout_ms > 0)
		deadline = mono_ms() + timeout_ms;
	if ((pid = fork()) == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		sigset_t	 none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (!(flags & SPAWN_INHERIT)) {
			if (dup2(in[0], 0) == -1 || dup2(out[1], 1) == -1 ||
			    dup2(err[1], 2) == -1)
				_exit(127);
		}
		execve(prog, argv, envp);
		_exit(127);
	}
	if (!(flags & SPAWN_INHERIT)) {
		close(in[0]);
		close(out[1]);
		close(err[1]);
		in[0] = out[1] = err[1] = -1;
		if (inlen == 0) {
			close(in[1]);
			in[1] = -1;
		} else
			set_nonblock(in[1]);
		open_fds = 2;
		while (open_fds > 0 || in[1] != -1) {
			nfds = 0;
			if (out[0] != -1) {
				pfd[nfds].fd = out[0];
				pfd[nfds++].events = POLLIN;
			}
			if (err[0] != -1) {
				pfd[nfds].fd = err[0];
				pfd[nfds++].events = POLLIN;
			}
			if (in[1] != -1) {
				pfd[nfds].fd = in[1];
				pfd[nfds++].events = POLLOUT;
			}
			wait_ms = -1;
			if (deadline != 0) {
				if ((now = mono_ms()) >= deadline) {
					expired = 1;
					break;
				}
				wait_ms = deadline - now;
			}
			if (poll(pfd, nfds, wait_ms) == -1) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (i = 0; i < nfds; i++) {
				if (pfd[i].revents == 0)
					continue;
				if (pfd[i].fd == in[1]) {
					n = write(in[1], input + inoff,
					    inlen - inoff);
					if (n > 0)
						inoff += n;
					if (n == -1 && errno == EAGAIN)
						continue;
					if (n <= 0 || inoff == inlen) {
						close(in[1]);
						in[1] = -1;
					}
					continue;
				}
				n = read(pfd[i].fd, buf, sizeof buf);
				if (n == -1 && (errno == EINTR ||
				    errno == EAGAIN))
					continue;
				if (n <= 0) {
					close(pfd[i].fd);
					if (pfd[i].fd == out[0])
						out[0] = -1;
					else
						err[0] = -1;
					open_fds--;
					continue;
				}
				if (pfd[i].fd == out[0]) {
					if (flags & SPAWN_STDOUT)
						buf_append(&res->out,
						    &res->outlen, buf, n);
				} else
					buf_append(&res->err, &res->errlen,
					    buf, n);
			}
		}
	} else if (deadline != 0) {
		switch (spawn_wait_until(pid, &status, deadline)) {
		case 1:
			reaped = 1;
			break;
		case 0:
			expired = 1;
			break;
		default:
			*cause = xprintf("waitpid: %s", strerror(errno));
			goto out;
		}
	}
	if (expired) {
		/*
		 * Past the deadline. If the child itself has exited (a process
		 * it forked still holding the pipes), its status stands.
		 */
		if (waitpid(pid, &status, WNOHANG) == pid)
			reaped = 1;
		else {
			kill(pid, SIGKILL);
			res->timedout = 1;
		}
	}
	while (!reaped && waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			*cause = xprintf("waitpid: %s", strerror(errno));
			goto out;
		}
	}
	if (WIFEXITED(status))
		res->status = WEXITSTATUS(status);
	else {
		res->termsig = WTERMSIG(status);
		res->status = 128 + res->termsig;
	}
	if (res->err != NULL)
		log_debug("spawn: %s: stderr: %s", argv[0], res->err);
	if (res->timedout) {
		tail = res->err != NULL ? err_tail(res->err, res->errlen) :
		    xstrdup("");
		after = spawn_duration(timeout_ms);
		*cause = xprintf("%s: still running after %s; stopped%s%s",
		    argv[0], after, *tail ? ": " : "", tail);
		log_debug("spawn: %s: killed at its deadline (%s)", argv[0],
		    after);
		free(after);
		free(tail);
		goto out;
	}
	if (res->status != 0 && !(flags & SPAWN_NOCHECK)) {
		tail = res->err != NULL ? err_tail(res->err, res->errlen) :
		    xstrdup("");
		if (res->status == 127 && *tail == '\0')
			*cause = xprintf("%s: could not be run", prog);
		else if (WIFSIGNALED(status))
			*cause = xprintf("%s: killed by signal %d%s%s",
			    argv[0], WTERMSIG(status), *tail ? ": " : "", tail);
		else
			*cause = xprintf("%s: exit %d%s%s", argv[0],
			    res->status, *tail ? ": " : "", tail);
		free(tail);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
		if (err[i] != -1)
			close(err[i]);
	}
	if (res == &local)
		spawn_result_free(&local);
	free(prog);
	free(line);
	return (rc);
}
