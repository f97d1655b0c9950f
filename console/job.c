/*
 * Jobs: work that takes time, run as a child process driven by the
 * console's one poll() loop, so the console never waits (design.md, "Long
 * work and wizards"; tmux's job model).
 *
 * A job is a child started through spawn_start() in its own session
 * (SPAWN_SETSID, so a cancel reaches everything it started). argv[0]
 * "xendeck" means this very binary (/proc/self/exe) with our environment
 * and the options every child of the console gets (job_set_self_args).
 * The loop polls what job_pollfds() gives and hands the result to
 * job_io(); each complete output line goes to the job's on_line, and once
 * the child has exited and its output is read, on_done runs.
 *
 * States: RUNNING -> DONE (exit 0) | FAILED (exit != 0, a signal, or it
 * could not be read) | CANCELLED (job_cancel: SIGTERM to its process
 * group, SIGKILL JOB_GRACE_MS later if it is still there).
 *
 * The end is judged by the child's exit (SIGCHLD, through a self-pipe),
 * not by its pipes: something it started may hold them open for hours (a
 * domain's supervisor). Once it has exited, what is left in the pipes is
 * read and they are closed.
 *
 * Lines "xendeck: warning: TEXT" on stderr are the child's warnings, and
 * other "xendeck: TEXT" lines its errors (cmd_error, report_warn): a job
 * keeps them, so its end can say what went wrong and what to look at.
 */
#include <sys/queue.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

#define JOB_GRACE_MS	5000		/* SIGTERM, then SIGKILL */
#define JOB_OUTPUT_MAX	(1024 * 1024)	/* output kept per job (its tail) */
#define JOB_STDOUT_MAX	(16 * 1024 * 1024) /* stdout kept whole up to this */
#define JOB_KEEP	50		/* finished listed jobs kept */
#define JOB_WARN_PREFIX	"xendeck: warning: "
#define JOB_ERR_PREFIX	"xendeck: "

struct job {
	unsigned int		 id;
	char			*name;
	int			 flags;
	enum job_state		 state;
	struct spawn_proc	 proc;
	int			 running;	/* proc is live */
	uint64_t		 started, ended;
	job_line_cb		 on_line;
	job_done_cb		 on_done;
	void			*arg;

	char			*last;		/* last non-empty line */
	char			*out;		/* output, lines as they came */
	size_t			 outlen;
	char			*sout;		/* stdout alone */
	size_t			 soutlen;
	int			 sout_cut;
	char		       **warnings;
	char			*errline;	/* last "xendeck: " error */
	char			*error;		/* why it failed */
	int			 status;	/* exit code or 128+signal */
	int			 termsig;
	int			 cancelled;
	uint64_t		 kill_at;	/* SIGKILL due (0: none) */

	TAILQ_ENTRY(job)	 entry;
};
TAILQ_HEAD(job_list, job);

static struct job_list	 jobs = TAILQ_HEAD_INITIALIZER(jobs);
static unsigned int	 next_id = 1;
static char		**self_args;
static int		 sigchld_pipe[2] = { -1, -1 };
static struct sigaction	 old_sigchld;
static int		 inited;
static void		(*end_hook)(struct job *);

static void
job_sigchld(int sig)
{
	int	 saved = errno;

	(void)sig;
	if (sigchld_pipe[1] != -1)
		(void)!write(sigchld_pipe[1], "", 1);
	errno = saved;
}

/*
 * Start watching children: a SIGCHLD handler writing to a self-pipe. Jobs
 * can be started before this (a unit test need not call it), but their
 * end is then seen only through their pipes and job_io's reaping.
 */
void
job_init(void)
{
	struct sigaction	 sa;

	if (inited)
		return;
	if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		fatal("pipe2");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = job_sigchld;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, &old_sigchld) != 0)
		fatal("sigaction");
	inited = 1;
}

static void
job_free(struct job *j)
{
	if (j->running) {
		spawn_kill(&j->proc, SIGKILL);
		spawn_reap(&j->proc, 1);
	}
	spawn_proc_free(&j->proc);
	spawn_result_free(&j->proc.res);
	free(j->name);
	free(j->last);
	free(j->out);
	free(j->sout);
	strv_free(j->warnings);
	free(j->errline);
	free(j->error);
	free(j);
}

/*
 * Stop watching: quiet jobs still running are stopped (they belong to the
 * console), listed ones are left to finish on their own (a create must not
 * be cut in half because the console quit); all are forgotten.
 */
void
job_exit(void)
{
	struct job	*j;

	while ((j = TAILQ_FIRST(&jobs)) != NULL) {
		TAILQ_REMOVE(&jobs, j, entry);
		if (j->running && !(j->flags & JOB_QUIET)) {
			/* Not killed, not waited for: init reaps it. */
			spawn_proc_free(&j->proc);
			j->running = 0;
		}
		job_free(j);
	}
	if (inited) {
		sigaction(SIGCHLD, &old_sigchld, NULL);
		close(sigchld_pipe[0]);
		close(sigchld_pipe[1]);
		sigchld_pipe[0] = sigchld_pipe[1] = -1;
		inited = 0;
	}
	strv_free(self_args);
	self_args = NULL;
}

/* What runs when a listed job ends, before its on_done (the report). */
void
job_set_end_hook(void (*hook)(struct job *))
{
	end_hook = hook;
}

/* Options every "xendeck" child gets (--backend, -l, -v); copied. */
void
job_set_self_args(char *const *args)
{
	strv_free(self_args);
	self_args = args != NULL ? strv_dup(args) : NULL;
}

static void
output_add(struct job *j, int stream, const char *line)
{
	size_t	 n = strlen(line), cut;

	/* stdout whole (a JSON document must not lose its head). */
	if (stream == 1 && j->soutlen + n + 1 <= JOB_STDOUT_MAX) {
		j->sout = xreallocarray(j->sout, j->soutlen + n + 2, 1);
		memcpy(j->sout + j->soutlen, line, n);
		j->soutlen += n;
		j->sout[j->soutlen++] = '\n';
		j->sout[j->soutlen] = '\0';
	} else if (stream == 1 && !j->sout_cut) {
		j->sout_cut = 1;
		log_info("job %u: %s: stdout beyond %d bytes not kept", j->id,
		    j->name, JOB_STDOUT_MAX);
	}
	j->out = xreallocarray(j->out, j->outlen + n + 2, 1);
	memcpy(j->out + j->outlen, line, n);
	j->outlen += n;
	j->out[j->outlen++] = '\n';
	j->out[j->outlen] = '\0';
	if (j->outlen > JOB_OUTPUT_MAX) {
		/* Keep the tail, from a line start. */
		cut = j->outlen - JOB_OUTPUT_MAX / 2;
		while (cut < j->outlen && j->out[cut - 1] != '\n')
			cut++;
		memmove(j->out, j->out + cut, j->outlen - cut + 1);
		j->outlen -= cut;
	}
}

/* Every line of the child's output, from spawn_io(). */
static void
job_line(void *arg, int stream, const char *line)
{
	struct job	*j = arg;
	const char	*shown = line;

	output_add(j, stream, line);
	if (stream == 2 && strncmp(line, JOB_WARN_PREFIX,
	    strlen(JOB_WARN_PREFIX)) == 0) {
		shown = line + strlen(JOB_WARN_PREFIX);
		strv_push(&j->warnings, shown);
	} else if (stream == 2 && strncmp(line, JOB_ERR_PREFIX,
	    strlen(JOB_ERR_PREFIX)) == 0) {
		shown = line + strlen(JOB_ERR_PREFIX);
		free(j->errline);
		j->errline = xstrdup(shown);
	}
	if (*shown != '\0') {
		free(j->last);
		j->last = xstrdup(shown);
	}
	if (j->on_line != NULL)
		j->on_line(j, stream, line, j->arg);
}

/*
 * Start a job: argv runs as a child (argv[0] "xendeck": this binary),
 * input (may be NULL) on its stdin. Returns the job, or NULL with *cause
 * when it could not be started (nothing to free then, and on_done is not
 * called).
 */
struct job *
job_run_input(const char *name, char *const *argv, const char *input,
    int flags, job_line_cb on_line, job_done_cb on_done, void *arg,
    char **cause)
{
	struct job	 *j;
	char		**full = NULL;
	int		  sflags = SPAWN_SETSID, i;

	if (argv == NULL || argv[0] == NULL) {
		*cause = xstrdup("job: nothing to run");
		return (NULL);
	}
	if (strcmp(argv[0], "xendeck") == 0) {
		strv_push(&full, "/proc/self/exe");
		for (i = 0; self_args != NULL && self_args[i] != NULL; i++)
			strv_push(&full, self_args[i]);
		for (i = 1; argv[i] != NULL; i++)
			strv_push(&full, argv[i]);
		sflags |= SPAWN_KEEPENV;
	} else
		full = strv_dup(argv);
	if (flags & JOB_KEEPENV)
		sflags |= SPAWN_KEEPENV;
	if (flags & JOB_SECRET)
		sflags |= SPAWN_QUIET;

	j = xcalloc(1, sizeof *j);
	j->name = xstrdup(name != NULL ? name : argv[0]);
	j->flags = flags;
	j->on_line = on_line;
	j->on_done = on_done;
	j->arg = arg;
	j->status = -1;
	if (spawn_start(full, input, sflags, job_line, j, &j->proc,
	    cause) != 0) {
		strv_free(full);
		free(j->name);
		free(j);
		return (NULL);
	}
	strv_free(full);
	j->proc.name = j->name;		/* argv[0] is gone: name the job */
	j->running = 1;
	j->state = JOB_RUNNING;
	j->started = j->proc.started;
	j->id = next_id++;
	TAILQ_INSERT_TAIL(&jobs, j, entry);
	log_info("job %u: %s: started (pid %ld)", j->id, j->name,
	    (long)j->proc.pid);
	return (j);
}

struct job *
job_run(const char *name, char *const *argv, int flags, job_line_cb on_line,
    job_done_cb on_done, void *arg, char **cause)
{
	return (job_run_input(name, argv, NULL, flags, on_line, on_done, arg,
	    cause));
}

/* Ask a job to stop: SIGTERM now, SIGKILL after a grace period. */
int
job_cancel(struct job *j, char **cause)
{
	if (j->state != JOB_RUNNING) {
		*cause = xprintf("%s: not running", j->name);
		return (-1);
	}
	if (!(j->flags & JOB_CANCEL)) {
		*cause = xprintf("%s: cannot be cancelled", j->name);
		return (-1);
	}
	if (j->cancelled)
		return (0);
	j->cancelled = 1;
	j->kill_at = mono_ms() + JOB_GRACE_MS;
	log_info("job %u: %s: cancelled", j->id, j->name);
	if (!j->proc.reaped)
		spawn_kill(&j->proc, SIGTERM);
	return (0);
}

/* The fds to poll for every running job; returns how many were set. */
int
job_pollfds(struct pollfd *pfd, int max)
{
	struct job	*j;
	int		 n = 0;

	if (sigchld_pipe[0] != -1 && n < max) {
		pfd[n].fd = sigchld_pipe[0];
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	TAILQ_FOREACH(j, &jobs, entry) {
		if (j->running)
			n += spawn_pollfds(&j->proc, pfd + n, max - n);
	}
	return (n);
}

/* How many pollfd slots job_pollfds() may want. */
int
job_nfds(void)
{
	struct job	*j;
	int		 n = 1;

	TAILQ_FOREACH(j, &jobs, entry) {
		if (j->running)
			n += 3;
	}
	return (n);
}

/* Milliseconds until a job needs job_io() without any fd (-1: never). */
int
job_timeout(void)
{
	struct job	*j;
	uint64_t	 now = mono_ms(), soon = 0;

	TAILQ_FOREACH(j, &jobs, entry) {
		if (!j->running)
			continue;
		if (j->kill_at != 0 && (soon == 0 || j->kill_at < soon))
			soon = j->kill_at;
		/* Without SIGCHLD watching, poll for the exit. */
		if (!inited && (soon == 0 || now + 100 < soon))
			soon = now + 100;
	}
	if (soon == 0)
		return (-1);
	return (soon > now ? (int)(soon - now) : 0);
}

/* Read what is left in a finished child's pipes. */
static void
job_drain(struct job *j)
{
	struct pollfd	 pfd[3];
	int		 n, i;

	n = spawn_pollfds(&j->proc, pfd, 3);
	for (i = 0; i < n; i++)
		pfd[i].revents = pfd[i].events & POLLIN;
	spawn_io(&j->proc, pfd, n);
	if (!spawn_drained(&j->proc))
		log_debug("job %u: %s: exited; something it started holds "
		    "its output open", j->id, j->name);
}

/* The child has exited and its output is read: judge it. */
static void
job_end(struct job *j)
{
	struct spawn_result	 res;
	char			*cause = NULL;
	int			 rc;

	j->running = 0;
	j->ended = mono_ms();
	rc = spawn_finish(&j->proc, 0, &res, &cause);
	j->status = res.status;
	j->termsig = res.termsig;
	spawn_result_free(&res);
	spawn_proc_free(&j->proc);	/* closes the pipes */
	if (j->cancelled && rc != 0) {
		j->state = JOB_CANCELLED;
		j->error = xstrdup("cancelled");
	} else if (rc == 0)
		j->state = JOB_DONE;
	else {
		j->state = JOB_FAILED;
		if (j->termsig == 0 && j->errline != NULL)
			j->error = xstrdup(j->errline);
		else if (j->termsig != 0)
			j->error = xprintf("killed by signal %d (%s)%s%s",
			    j->termsig, strsignal(j->termsig),
			    j->errline != NULL ? ": " : "",
			    j->errline != NULL ? j->errline : "");
		else
			j->error = xstrdup(cause);
	}
	free(cause);
	log_info("job %u: %s: %s after %llu ms%s%s", j->id, j->name,
	    job_state_name(j->state), (unsigned long long)(j->ended -
	    j->started), j->error != NULL ? ": " : "",
	    j->error != NULL ? j->error : "");
}

/* Forget the oldest finished listed jobs beyond JOB_KEEP. */
static void
job_prune(void)
{
	struct job	*j, *next;
	int		 finished = 0;

	TAILQ_FOREACH(j, &jobs, entry) {
		if (j->state != JOB_RUNNING)
			finished++;
	}
	for (j = TAILQ_FIRST(&jobs); j != NULL && finished > JOB_KEEP;
	    j = next) {
		next = TAILQ_NEXT(j, entry);
		if (j->state == JOB_RUNNING)
			continue;
		TAILQ_REMOVE(&jobs, j, entry);
		job_free(j);
		finished--;
	}
}

/*
 * What poll() reported (pfd[0..n-1]; fds that are not the jobs' are
 * ignored), and the jobs' timers. Calls on_line and on_done; those may
 * start and cancel jobs.
 */
void
job_io(const struct pollfd *pfd, int n)
{
	struct job	*j;
	char		 buf[64];
	uint64_t	 now = mono_ms();
	int		 i, more;

	for (i = 0; i < n; i++) {
		if (pfd[i].fd == sigchld_pipe[0] && pfd[i].revents != 0) {
			while (read(sigchld_pipe[0], buf, sizeof buf) > 0)
				;
		}
	}
	TAILQ_FOREACH(j, &jobs, entry) {
		if (j->running)
			spawn_io(&j->proc, pfd, n);
	}
	do {
		more = 0;
		TAILQ_FOREACH(j, &jobs, entry) {
			if (!j->running)
				continue;
			if (j->kill_at != 0 && now >= j->kill_at &&
			    !j->proc.reaped) {
				log_info("job %u: %s: still there after "
				    "SIGTERM: SIGKILL", j->id, j->name);
				spawn_kill(&j->proc, SIGKILL);
				j->kill_at = 0;
			}
			if (spawn_reap(&j->proc, 0) == 0)
				continue;
			job_drain(j);
			job_end(j);
			/*
			 * The console's report first, so on_done can say
			 * something more precise. Callbacks may change the
			 * list: start over.
			 */
			if (!(j->flags & JOB_QUIET) && end_hook != NULL)
				end_hook(j);
			if (j->on_done != NULL)
				j->on_done(j, j->arg);
			if (j->flags & JOB_QUIET) {
				TAILQ_REMOVE(&jobs, j, entry);
				job_free(j);
			}
			more = 1;
			break;
		}
	} while (more);
	job_prune();
}

/* Run every job to its end (a unit test, or a CLI that must wait). */
void
job_wait_all(void)
{
	struct pollfd	*pfd;
	int		 n, max;

	while (job_running(0) > 0) {
		max = job_nfds();
		pfd = xcalloc(max, sizeof *pfd);
		n = job_pollfds(pfd, max);
		if (poll(pfd, n, job_timeout()) == -1 && errno != EINTR)
			fatal("poll");
		job_io(pfd, n);
		free(pfd);
	}
}

/* Running jobs: all, or only the listed ones (not JOB_QUIET). */
int
job_running(int listed)
{
	struct job	*j;
	int		 n = 0;

	TAILQ_FOREACH(j, &jobs, entry) {
		if (j->state == JOB_RUNNING && (!listed ||
		    !(j->flags & JOB_QUIET)))
			n++;
	}
	return (n);
}

/* The listed jobs (not JOB_QUIET), oldest first: job_first, job_next. */
struct job *
job_first(void)
{
	struct job	*j;

	TAILQ_FOREACH(j, &jobs, entry) {
		if (!(j->flags & JOB_QUIET))
			return (j);
	}
	return (NULL);
}

struct job *
job_next(struct job *j)
{
	while ((j = TAILQ_NEXT(j, entry)) != NULL) {
		if (!(j->flags & JOB_QUIET))
			return (j);
	}
	return (NULL);
}

/* A job by id (quiet ones too), or NULL once it is forgotten. */
struct job *
job_find(unsigned int id)
{
	struct job	*j;

	TAILQ_FOREACH(j, &jobs, entry) {
		if (j->id == id)
			return (j);
	}
	return (NULL);
}

unsigned int
job_id(const struct job *j)
{
	return (j->id);
}

const char *
job_name(const struct job *j)
{
	return (j->name);
}

int
job_flags(const struct job *j)
{
	return (j->flags);
}

enum job_state
job_state(const struct job *j)
{
	return (j->state);
}

const char *
job_state_name(enum job_state s)
{
	switch (s) {
	case JOB_RUNNING:
		return ("running");
	case JOB_DONE:
		return ("done");
	case JOB_FAILED:
		return ("failed");
	case JOB_CANCELLED:
		return ("cancelled");
	}
	return ("?");
}

int
job_status(const struct job *j)
{
	return (j->status);
}

int
job_termsig(const struct job *j)
{
	return (j->termsig);
}

pid_t
job_pid(const struct job *j)
{
	return (j->proc.pid);
}

const char *
job_error(const struct job *j)
{
	return (j->error);
}

const char *
job_last_line(const struct job *j)
{
	return (j->last != NULL ? j->last : "");
}

const char *
job_output(const struct job *j, size_t *len)
{
	if (len != NULL)
		*len = j->outlen;
	return (j->out != NULL ? j->out : "");
}

/* What it printed on stdout alone, whole (up to 16 MiB). */
const char *
job_stdout(const struct job *j, size_t *len)
{
	if (len != NULL)
		*len = j->soutlen;
	return (j->sout != NULL ? j->sout : "");
}

char *const *
job_warnings(const struct job *j)
{
	static char	*none[] = { NULL };

	return (j->warnings != NULL ? j->warnings : none);
}

uint64_t
job_elapsed_ms(const struct job *j)
{
	return ((j->state == JOB_RUNNING ? mono_ms() : j->ended) -
	    j->started);
}
