/*
 * Running plans: apply, continue after a crash, undo (xen-core.h, "the
 * wizard engine").
 *
 * A run lives in plan_statedir()/RUN/: plan.json, the plan as applied, and
 * journal.jsonl, an append-only log of one JSON object per line. Every
 * record is written and fsync'd before the engine goes on (the directory
 * too, when the file is created):
 *
 *   run     {run, wizard, title, steps, ids, consent, pid}  the run
 *                                  began (ids: its steps' ids)
 *   begin   {step, id[, undo]}     a step (or its undo) is about to run
 *   pid     {step, id, pid, start} its process, with its start time from
 *                                  /proc/PID/stat (a reused pid is not it)
 *   end     {step, id, outcome[, undo], detail}   ok, skipped, failed,
 *                                  undone
 *   resume  {pid}                  plan_continue() took the run up again
 *   undo    {pid}                  plan_undo() began walking it back
 *   finish  {state}                done or undone: nothing left to do
 *
 * (step is the 0-based index, every record has a time.) A torn last line,
 * from a crash in the middle of a write, is ignored, and the next record
 * starts on a line of its own.
 *
 * The state of a step is its last begin/end: a step that began and did not
 * end was interrupted. plan_continue() waits for its process if that is
 * still running, then asks its probe: done means it took effect (recorded
 * as ok, and undone by plan_undo); not done means it runs again. A step
 * with no probe runs again only when it is PLAN_RERUN; otherwise it is
 * recorded as failed, saying so, and the next --resume runs it again. A
 * failed step runs again (probe first) on every --resume.
 *
 * One wizard at a time: plan_statedir()/lock is locked (fcntl) for the
 * whole of an apply, a continue or an undo, and holds "RUN PID". A step's
 * process that outlives a killed xendeck does not hold the lock; its pid in
 * the journal makes the next run wait for it.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"

#define PLAN_TAIL_LINES	8	/* of a failed step's output, in its cause */
#define PLAN_CHECK_MS	60000	/* a probe or verification's deadline */

enum jstate { J_NONE, J_BEGUN, J_OK, J_SKIPPED, J_FAILED, J_UNDONE };

/* A run's journal, read back. */
struct journal {
	char		*run, *wizard, *title;
	size_t		 nsteps;
	enum jstate	*st;
	pid_t		*pid;		/* of a begun step, or 0 */
	unsigned long long *pstart;
	char	       **ids;		/* step ids, as the records name them */
	char		*finish;	/* "done", "undone" or NULL */
	int		 undoing;	/* an undo began and did not finish */
	time_t		 started, updated;
};

/* A run in progress. */
struct prun {
	struct plan			*plan;
	char				*id;
	char				*dir;
	int				 jfd;
	int				 locked;
	const struct plan_events	*ev;
	size_t				 cur;		/* the running step */
	int				 secret;
	char				*tail[PLAN_TAIL_LINES];
	size_t				 ntail;
};

/*
 * XENDECK_PLAN_CRASH=POINT:N kills this process with SIGKILL at POINT of
 * step N (1-based): begin (journalled, nothing done yet), spawned (its
 * process started), line (its first line of output), backup (a file step's
 * backup written, the file not yet), end (journalled as ended), undo (an
 * undo journalled as begun). For the engine's crash tests (t/0810) only.
 */
static void
crash_at(const char *point, size_t i)
{
	const char	*e = getenv("XENDECK_PLAN_CRASH");
	size_t		 n = strlen(point);

	if (e == NULL || strncmp(e, point, n) != 0 || e[n] != ':')
		return;
	if (strtoul(e + n + 1, NULL, 10) == i + 1) {
		log_debug("%s: %s of step %zu", __func__, point, i + 1);
		kill(getpid(), SIGKILL);
	}
}

/* ${XENDECK_STATEDIR:-/var/lib/xendeck}/wizards */
const char *
plan_statedir(void)
{
	static char	*dir;

	if (dir == NULL)
		xasprintf(&dir, "%s/wizards", xendeck_statedir());
	return (dir);
}

/* This binary, for steps whose argv[0] is "xendeck". */
static const char *
self_exe(void)
{
	static char	 path[4096];
	ssize_t		 n;

	if (path[0] == '\0') {
		n = readlink("/proc/self/exe", path, sizeof path - 1);
		if (n <= 0)
			snprintf(path, sizeof path, "xendeck");
		else
			path[n] = '\0';
	}
	return (path);
}

/* argv with "xendeck" as argv[0] made this binary (*flags gets KEEPENV). */
static char **
step_argv(char *const *argv, int *flags)
{
	char	**av = strv_dup(argv);

	if (strcmp(av[0], "xendeck") == 0) {
		free(av[0]);
		av[0] = xstrdup(self_exe());
		*flags |= SPAWN_KEEPENV;
	}
	return (av);
}

static int
fsync_dir(const char *dir, char **cause)
{
	int	 fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) != 0) {
		*cause = xprintf("%s: %s", dir, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

static int
fsync_parent(const char *path, char **cause)
{
	char	*dir, *slash;
	int	 rc;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL)
		rc = fsync_dir(".", cause);
	else {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		rc = fsync_dir(dir, cause);
	}
	free(dir);
	return (rc);
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		p += n;
		len -= n;
	}
	return (0);
}

/*
 * Replace path with data atomically: PATH.xendeck-tmp (one run at a time,
 * so the name is fixed and a crash's leftover is overwritten), mode, owner
 * (uid -1: ours), fsync, rename, fsync the directory.
 */
static int
file_put(const char *path, const char *data, size_t len, mode_t mode,
    uid_t uid, gid_t gid, char **cause)
{
	char	*tmp;
	int	 fd = -1, rc = -1;

	xasprintf(&tmp, "%s.xendeck-tmp", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1) {
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0) {
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (uid != (uid_t)-1 && fchown(fd, uid, gid) != 0 &&
	    geteuid() == 0) {
		*cause = xprintf("%s: chown: %s", tmp, strerror(errno));
		goto out;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		*cause = xprintf("rename %s: %s", path, strerror(errno));
		goto out;
	}
	rc = fsync_parent(path, cause);
out:
	if (fd != -1)
		close(fd);
	if (rc != 0)
		(void)unlink(tmp);
	free(tmp);
	return (rc);
}

/*
 * The file as it is now: 1 with its content (and stat), 0 when there is no
 * such file, -1 when it is not a regular file or cannot be read.
 */
static int
file_now(const char *path, char **buf, size_t *len, struct stat *st,
    char **cause)
{
	*buf = NULL;
	*len = 0;
	if (lstat(path, st) != 0) {
		if (errno == ENOENT)
			return (0);
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	if (!S_ISREG(st->st_mode)) {
		*cause = xprintf("%s: no longer a regular file", path);
		return (-1);
	}
	return (file_read(path, buf, len, cause) == 0 ? 1 : -1);
}

/*
 * The journal
 */

static int
journal_add(struct prun *r, json_t *rec, char **cause)
{
	char	*s, *line;
	int	 rc = 0;

	json_object_set_new(rec, "time", json_integer((json_int_t)time(NULL)));
	s = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (s == NULL)
		fatalx("%s: cannot encode a journal record", __func__);
	xasprintf(&line, "%s\n", s);
	free(s);
	if (write_all(r->jfd, line, strlen(line)) != 0 || fsync(r->jfd) != 0) {
		*cause = xprintf("%s/journal.jsonl: %s", r->dir,
		    strerror(errno));
		rc = -1;
	}
	free(line);
	return (rc);
}

/* Open the journal for appending (creating it), on a line of its own. */
static int
journal_open(struct prun *r, char **cause)
{
	char		*path, last;
	struct stat	 st;
	int		 created;

	xasprintf(&path, "%s/journal.jsonl", r->dir);
	created = stat(path, &st) != 0;
	r->jfd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (r->jfd == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	if (!created && st.st_size > 0 &&
	    pread(r->jfd, &last, 1, st.st_size - 1) == 1 && last != '\n' &&
	    write_all(r->jfd, "\n", 1) != 0) {
		*cause = xprintf("%s/journal.jsonl: %s", r->dir,
		    strerror(errno));
		return (-1);
	}
	if (created)
		return (fsync_dir(r->dir, cause));
	return (0);
}

static void
journal_free(struct journal *j)
{
	size_t	 i;

	free(j->run);
	free(j->wizard);
	free(j->title);
	for (i = 0; j->ids != NULL && i < j->nsteps; i++)
		free(j->ids[i]);
	free(j->ids);
	free(j->st);
	free(j->pid);
	free(j->pstart);
	free(j->finish);
	memset(j, 0, sizeof *j);
}

/* Read a run's journal. */
static int
journal_read(const char *dir, struct journal *j, char **cause)
{
	char		*path, *buf = NULL, *line, *next;
	const char	*ev, *s;
	json_t		*o, *e;
	size_t		 i, len;
	int		 undo, rc = -1;
	time_t		 t;

	memset(j, 0, sizeof *j);
	xasprintf(&path, "%s/journal.jsonl", dir);
	if (file_read(path, &buf, &len, cause) != 0)
		goto out;
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((o = json_loads(line, 0, NULL)) == NULL)
			continue;	/* torn by a crash */
		ev = json_string_value(json_object_get(o, "event"));
		t = (time_t)json_integer_value(json_object_get(o, "time"));
		if (ev == NULL) {
			json_decref(o);
			continue;
		}
		if (t != 0)
			j->updated = t;
		if (strcmp(ev, "run") == 0 && j->run == NULL) {
			if ((s = json_string_value(json_object_get(o,
			    "run"))) != NULL)
				j->run = xstrdup(s);
			if ((s = json_string_value(json_object_get(o,
			    "wizard"))) != NULL)
				j->wizard = xstrdup(s);
			if ((s = json_string_value(json_object_get(o,
			    "title"))) != NULL)
				j->title = xstrdup(s);
			j->nsteps = (size_t)json_integer_value(
			    json_object_get(o, "steps"));
			if (j->nsteps > 100000)
				j->nsteps = 0;
			j->st = xcalloc(j->nsteps + 1, sizeof *j->st);
			j->pid = xcalloc(j->nsteps + 1, sizeof *j->pid);
			j->pstart = xcalloc(j->nsteps + 1, sizeof *j->pstart);
			j->ids = xcalloc(j->nsteps + 1, sizeof *j->ids);
			json_array_foreach(json_object_get(o, "ids"), i, e) {
				if (i < j->nsteps && json_is_string(e))
					j->ids[i] = xstrdup(
					    json_string_value(e));
			}
			j->started = t;
		} else if (strcmp(ev, "undo") == 0) {
			free(j->finish);	/* a done run being undone */
			j->finish = NULL;
			j->undoing = 1;
		} else if (strcmp(ev, "finish") == 0) {
			free(j->finish);
			s = json_string_value(json_object_get(o, "state"));
			j->finish = xstrdup(s != NULL ? s : "done");
			j->undoing = 0;
		} else if (j->st != NULL && json_is_integer(json_object_get(o,
		    "step"))) {
			i = (size_t)json_integer_value(json_object_get(o,
			    "step"));
			undo = json_is_true(json_object_get(o, "undo"));
			s = json_string_value(json_object_get(o, "id"));
			if (i < j->nsteps && s != NULL && j->ids[i] == NULL)
				j->ids[i] = xstrdup(s);
			if (i >= j->nsteps)
				;
			else if (strcmp(ev, "begin") == 0 && !undo) {
				j->st[i] = J_BEGUN;
				j->pid[i] = 0;
			} else if (strcmp(ev, "pid") == 0 && !undo) {
				j->pid[i] = (pid_t)json_integer_value(
				    json_object_get(o, "pid"));
				j->pstart[i] = (unsigned long long)
				    json_integer_value(json_object_get(o,
				    "start"));
			} else if (strcmp(ev, "end") == 0) {
				s = json_string_value(json_object_get(o,
				    "outcome"));
				if (s == NULL)
					s = "failed";
				if (undo && strcmp(s, "undone") == 0)
					j->st[i] = J_UNDONE;
				else if (undo)
					;	/* still done: undo again */
				else if (strcmp(s, "ok") == 0)
					j->st[i] = J_OK;
				else if (strcmp(s, "skipped") == 0)
					j->st[i] = J_SKIPPED;
				else
					j->st[i] = J_FAILED;
				j->pid[i] = 0;
			}
		}
		json_decref(o);
	}
	if (j->run == NULL) {
		*cause = xprintf("%s: no run record", path);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		journal_free(j);
	free(buf);
	free(path);
	return (rc);
}

/*
 * The lock
 */

/*
 * The lock is a POSIX record lock (fcntl F_SETLK) on plan_statedir()/lock:
 * unlike flock(2), a step's process forked while it is held never holds it,
 * so it is free the moment the run's process dies. A process loses such a
 * lock when it closes any descriptor of the file, so the file is opened
 * once and kept open.
 */
static int	 lock_fd = -1;
static char	*lock_run;	/* the run this process holds it for */

static int
lock_open(char **cause)
{
	char	*path;

	if (lock_fd != -1)
		return (0);
	if (mkdir_p(plan_statedir(), 0700, cause) != 0)
		return (-1);
	xasprintf(&path, "%s/lock", plan_statedir());
	lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd == -1)
		*cause = xprintf("%s: %s", path, strerror(errno));
	free(path);
	return (lock_fd == -1 ? -1 : 0);
}

/* Who holds the lock: "RUN PID", or NULL when nobody does. */
static char *
lock_holder(void)
{
	struct flock	 fl;
	char		*cause = NULL, buf[512];
	ssize_t		 n;

	if (lock_run != NULL)
		return (xprintf("%s %ld", lock_run, (long)getpid()));
	if (access(plan_statedir(), F_OK) != 0 || lock_open(&cause) != 0) {
		free(cause);
		return (NULL);
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(lock_fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		return (NULL);
	n = pread(lock_fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, " \n")] = '\0';
	return (xprintf("%s %ld", buf[0] != '\0' ? buf : "?",
	    (long)fl.l_pid));
}

static int
lock_take(struct prun *r, char **cause)
{
	struct flock	 fl;
	char		*who, *sp, *line;

	if (lock_open(cause) != 0)
		return (-1);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (lock_run != NULL || fcntl(lock_fd, F_SETLK, &fl) != 0) {
		who = lock_holder();
		sp = who != NULL ? strchr(who, ' ') : NULL;
		if (sp != NULL)
			*sp++ = '\0';
		*cause = xprintf("another wizard run is in progress (%s, pid "
		    "%s): one wizard at a time; wait for it to finish",
		    who != NULL ? who : "?", sp != NULL ? sp : "?");
		free(who);
		return (-1);
	}
	lock_run = xstrdup(r->id);
	r->locked = 1;
	line = xprintf("%s %ld\n", r->id, (long)getpid());
	if (ftruncate(lock_fd, 0) != 0 ||
	    pwrite(lock_fd, line, strlen(line), 0) != (ssize_t)strlen(line))
		log_warn("%s: cannot write the lock: %s", __func__,
		    strerror(errno));
	free(line);
	return (0);
}

static void
lock_drop(struct prun *r)
{
	struct flock	 fl;

	if (!r->locked)
		return;
	if (ftruncate(lock_fd, 0) != 0)
		log_debug("%s: %s", __func__, strerror(errno));
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	(void)fcntl(lock_fd, F_SETLK, &fl);
	free(lock_run);
	lock_run = NULL;
	r->locked = 0;
}

static void
prun_init(struct prun *r, struct plan *p, const struct plan_events *ev)
{
	static const struct plan_events	 none;

	memset(r, 0, sizeof *r);
	r->plan = p;
	r->jfd = -1;
	r->ev = ev != NULL ? ev : &none;
}

static void
prun_tail_clear(struct prun *r)
{
	size_t	 i;

	for (i = 0; i < PLAN_TAIL_LINES; i++) {
		free(r->tail[i]);
		r->tail[i] = NULL;
	}
	r->ntail = 0;
}

static void
prun_free(struct prun *r)
{
	prun_tail_clear(r);
	if (r->jfd != -1)
		close(r->jfd);
	r->jfd = -1;
	lock_drop(r);
	free(r->id);
	free(r->dir);
	r->id = r->dir = NULL;
}

/*
 * Checks and steps
 */

/* A probe or verification: 1 true, 0 false (a check that cannot run). */
static int
check_run(const struct plan_check *c)
{
	struct spawn_result	 res;
	char			**av, *why = NULL, *line, *last;
	int			  flags = SPAWN_STDOUT | SPAWN_NOCHECK, ok;

	av = step_argv(c->argv, &flags);
	if (spawn_run_timeout(av, NULL, flags, PLAN_CHECK_MS, &res,
	    &why) != 0) {
		log_debug("%s: %s", __func__, why);
		free(why);
		ok = 0;
	} else
		ok = res.status == 0;
	if (ok && c->match != NULL) {
		ok = 0;
		for (line = strtok_r(res.out != NULL ? res.out : "", "\n",
		    &last); line != NULL && !ok;
		    line = strtok_r(NULL, "\n", &last))
			ok = strstr(line, c->match) != NULL;
	}
	spawn_result_free(&res);
	strv_free(av);
	return (c->negate ? !ok : ok);
}

static char *
check_string(const struct plan_check *c)
{
	char	*cmd = spawn_argv_string(c->argv), *s;

	s = xprintf("%s%s%s%s", c->negate ? "! " : "", cmd,
	    c->match != NULL ? " | grep -F " : "", c->match != NULL ?
	    c->match : "");
	free(cmd);
	return (s);
}

static void
prun_on_line(void *arg, int stream, const char *line)
{
	struct prun	*r = arg;

	if (r->secret)
		return;
	if (r->ntail == PLAN_TAIL_LINES) {
		free(r->tail[0]);
		memmove(r->tail, r->tail + 1, (PLAN_TAIL_LINES - 1) *
		    sizeof *r->tail);
		r->ntail--;
	}
	r->tail[r->ntail++] = xstrdup(line);
	if (r->ev->line != NULL)
		r->ev->line(r->ev->arg, r->plan, r->cur, stream, line);
	crash_at("line", r->cur);
}

/* The tail of the step's output as "  | line" lines. */
static char *
prun_tail(struct prun *r)
{
	char	*out = xstrdup(""), *next;
	size_t	 i;

	for (i = 0; i < r->ntail; i++) {
		xasprintf(&next, "%s\n  | %s", out, r->tail[i]);
		free(out);
		out = next;
	}
	return (out);
}

/* Run one argv of step i; 0, or -1 with *detail saying how it failed. */
static int
prun_exec(struct prun *r, size_t i, char *const *argv, const char *input,
    int pflags, int timeout_s, char **detail)
{
	struct spawn_proc	 proc;
	struct spawn_result	 res;
	char			**av, *why = NULL, *tail, *what, *name;
	int			 sflags = 0, rc = -1;
	json_t			*rec;

	r->cur = i;
	r->secret = (pflags & PLAN_SECRET) != 0;
	prun_tail_clear(r);
	av = step_argv(argv, &sflags);
	if (r->secret)
		sflags |= SPAWN_QUIET;
	if (spawn_start(av, input, sflags, prun_on_line, r, &proc,
	    &why) != 0) {
		*detail = why;
		strv_free(av);
		return (-1);
	}
	rec = json_pack("{s:s, s:I, s:s, s:I, s:I}", "event", "pid", "step",
	    (json_int_t)i, "id", r->plan->steps[i].id, "pid",
	    (json_int_t)proc.pid, "start", (json_int_t)proc_start(proc.pid));
	if (journal_add(r, rec, &why) != 0) {
		log_warn("%s", why);
		free(why);
	}
	crash_at("spawned", i);
	if (spawn_drive(&proc, timeout_s * 1000, &res, &why) == 0) {
		rc = 0;
		goto out;
	}
	name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	if (res.status == 0 && res.termsig == 0)
		what = xstrdup(why);	/* not the child's doing: waitpid */
	else if (res.timedout)
		what = xprintf("%s: still running after %d s; stopped", name,
		    timeout_s);
	else if (res.termsig != 0)
		what = xprintf("%s: killed by signal %d", name, res.termsig);
	else if (res.status == 127 && r->ntail == 0)
		what = xprintf("%s: could not be run", name);
	else
		what = xprintf("%s: exit %d", name, res.status);
	free(why);
	tail = r->secret ? xstrdup("") : prun_tail(r);
	*detail = xprintf("%s%s", what, tail);
	free(what);
	free(tail);
out:
	spawn_result_free(&res);
	spawn_proc_free(&proc);
	strv_free(av);
	prun_tail_clear(r);
	r->secret = 0;
	return (rc);
}

/* A file step: write (or remove) the file, or say why not. */
static enum plan_outcome
prun_file(struct prun *r, size_t i, char **detail)
{
	const struct plan_file	*pf = &r->plan->steps[i].file;
	struct stat		 st;
	char			*cur = NULL, *why = NULL, *tmp, sha[65];
	size_t			 len;
	int			 have;
	enum plan_outcome	 o = PLAN_FAILED;

	xasprintf(&tmp, "%s.xendeck-tmp", pf->path);
	(void)unlink(tmp);	/* a crash's leftover */
	free(tmp);
	if ((have = file_now(pf->path, &cur, &len, &st, &why)) == -1) {
		*detail = why;
		return (PLAN_FAILED);
	}
	if (have)
		sha256_hex(cur, len, sha);
	if (pf->after != NULL ? have && strcmp(sha, pf->after_sha) == 0 :
	    !have) {
		*detail = xprintf("already done: %s %s", pf->path,
		    pf->after != NULL ? "holds what the plan writes" :
		    "is gone");
		o = PLAN_SKIPPED;
		goto out;
	}
	if (pf->existed ? !have || strcmp(sha, pf->before_sha) != 0 : have) {
		*detail = xprintf("%s changed since the plan was made (it is "
		    "neither what the plan saw nor what it writes): make the "
		    "plan again", pf->path);
		goto out;
	}
	if (have) {
		if (file_put(pf->backup, cur, len, st.st_mode & 07777,
		    st.st_uid, st.st_gid, &why) != 0) {
			*detail = xprintf("backup: %s", why);
			free(why);
			goto out;
		}
		crash_at("backup", i);
	}
	if (pf->after != NULL) {
		if (file_put(pf->path, pf->after, pf->afterlen, pf->mode,
		    have ? st.st_uid : (uid_t)-1, have ? st.st_gid :
		    (gid_t)-1, &why) != 0) {
			*detail = why;
			goto out;
		}
	} else if (unlink(pf->path) != 0 ||
	    fsync_parent(pf->path, &why) != 0) {
		*detail = why != NULL ? why : xprintf("%s: %s", pf->path,
		    strerror(errno));
		goto out;
	}
	/* Verification: the file holds what was written. */
	free(cur);
	cur = NULL;
	have = file_now(pf->path, &cur, &len, &st, &why);
	if (have == 1)
		sha256_hex(cur, len, sha);
	if (have == -1)
		*detail = why;
	else if (pf->after != NULL ? have != 1 ||
	    strcmp(sha, pf->after_sha) != 0 : have != 0)
		*detail = xprintf("%s does not hold what was written",
		    pf->path);
	else {
		o = PLAN_OK;
		if (pf->after == NULL)
			*detail = xprintf("removed %s (kept as %s)", pf->path,
			    pf->backup);
		else if (pf->existed)
			*detail = xprintf("wrote %s (the old content is in "
			    "%s)", pf->path, pf->backup);
		else
			*detail = xprintf("created %s", pf->path);
	}
out:
	free(cur);
	return (o);
}

static int
journal_step(struct prun *r, const char *event, size_t i, int undo,
    enum plan_outcome o, const char *detail, char **cause)
{
	static const char *const outcome[] = { "ok", "skipped", "failed",
				    "undone" };
	json_t			*rec;

	rec = json_pack("{s:s, s:I, s:s}", "event", event, "step",
	    (json_int_t)i, "id", r->plan->steps[i].id);
	if (undo)
		json_object_set_new(rec, "undo", json_true());
	if (strcmp(event, "end") == 0) {
		json_object_set_new(rec, "outcome", json_string(outcome[o]));
		json_object_set_new(rec, "detail", json_string(
		    r->plan->steps[i].flags & PLAN_SECRET ? "(secret)" :
		    detail != NULL ? detail : ""));
	}
	return (journal_add(r, rec, cause));
}

static char *
step_label(const struct plan *p, size_t i)
{
	return (xprintf("step %zu (%s)", i + 1, p->steps[i].id));
}

/*
 * Run step i: journal its beginning, skip it if its probe says it is done,
 * run it, verify it, journal its end. resumed: it had begun before a crash,
 * so a probe saying "done" means this run did it (ok, not skipped).
 */
static int
prun_step(struct prun *r, size_t i, int resumed, char **cause)
{
	const struct plan_step	*s = &r->plan->steps[i];
	enum plan_outcome	 o;
	char			*detail = NULL, *words, *label;
	int			 rc = -1;

	if (journal_step(r, "begin", i, 0, 0, NULL, cause) != 0)
		return (-1);
	crash_at("begin", i);
	if (r->ev->begin != NULL)
		r->ev->begin(r->ev->arg, r->plan, i);
	if (s->kind == PLAN_FILE)
		o = prun_file(r, i, &detail);
	else if (s->probe.argv != NULL && check_run(&s->probe)) {
		words = check_string(&s->probe);
		detail = xprintf("already done (%s)", words);
		free(words);
		o = PLAN_SKIPPED;
	} else if (resumed && s->probe.argv == NULL &&
	    !(s->flags & PLAN_RERUN)) {
		detail = xstrdup("it was interrupted, and it has no probe "
		    "to tell whether it took effect: check by hand; --resume "
		    "runs it again, --undo walks back the steps before it");
		o = PLAN_FAILED;
	} else if (prun_exec(r, i, s->argv, s->input, s->flags, s->timeout_s,
	    &detail) != 0)
		o = PLAN_FAILED;
	else if (s->verify.argv != NULL && !check_run(&s->verify)) {
		words = check_string(&s->verify);
		detail = xprintf("verification failed: %s", words);
		free(words);
		o = PLAN_FAILED;
	} else
		o = PLAN_OK;
	if (resumed && o == PLAN_SKIPPED) {
		o = PLAN_OK;
		words = detail;
		detail = xprintf("done before the interruption: %s", words);
		free(words);
	}
	if (journal_step(r, "end", i, 0, o, detail, cause) != 0)
		goto out;
	crash_at("end", i);
	if (r->ev->end != NULL)
		r->ev->end(r->ev->arg, r->plan, i, o, detail);
	if (o == PLAN_FAILED) {
		label = step_label(r->plan, i);
		*cause = xprintf("%s failed: %s", label, detail);
		free(label);
		goto out;
	}
	rc = 0;
out:
	free(detail);
	return (rc);
}

/* Wait for a begun step's process left running by a killed run. */
static void
prun_wait_orphan(struct prun *r, size_t i, pid_t pid,
    unsigned long long start)
{
	char	*msg;

	if (pid <= 0 || start == 0 || proc_start(pid) != start)
		return;
	msg = xprintf("waiting for pid %ld, still running from the "
	    "interrupted run", (long)pid);
	log_info("%s", msg);
	if (r->ev->line != NULL)
		r->ev->line(r->ev->arg, r->plan, i, 2, msg);
	free(msg);
	while (proc_start(pid) == start)
		usleep(100 * 1000);
}

/* Run the steps not done yet, from the journal's view of them. */
static int
prun_steps(struct prun *r, const struct journal *j, char **cause)
{
	size_t		 i;
	enum jstate	 st;

	for (i = 0; i < r->plan->nsteps; i++) {
		st = j != NULL && i < j->nsteps ? j->st[i] : J_NONE;
		if (st == J_OK || st == J_SKIPPED) {
			if (r->ev->begin != NULL)
				r->ev->begin(r->ev->arg, r->plan, i);
			if (r->ev->end != NULL)
				r->ev->end(r->ev->arg, r->plan, i,
				    st == J_OK ? PLAN_OK : PLAN_SKIPPED,
				    "done earlier in this run");
			continue;
		}
		if (st == J_BEGUN)
			prun_wait_orphan(r, i, j->pid[i], j->pstart[i]);
		if (prun_step(r, i, st == J_BEGUN, cause) != 0)
			return (-1);
	}
	return (journal_add(r, json_pack("{s:s, s:s}", "event", "finish",
	    "state", "done"), cause));
}

/*
 * Consent: every object a destructive step destroys must be named in the
 * answer its consent_key says (a list split at commas and spaces), and
 * PLAN_APPLY_YES given. Returns 0, or -1 with *cause naming them.
 */
static int
plan_consent(const struct plan *p, int flags, char **cause)
{
	const struct plan_step	*s;
	const char		*given, *key;
	char			*missing = NULL, *prev, *copy, *w, *last;
	char			*need = NULL;
	size_t			 i, k, klen;
	int			 found;

	for (i = 0; i < p->nsteps; i++) {
		s = &p->steps[i];
		if (!(s->flags & PLAN_DESTRUCTIVE))
			continue;
		key = s->consent_key != NULL ? s->consent_key : "yes";
		klen = strlen(key);
		if (s->destroys == NULL || s->destroys[0] == NULL) {
			/* Destructive, naming nothing: --yes at least. */
			prev = need;
			xasprintf(&need, "%s%sdata (step %zu, %s)",
			    prev != NULL ? prev : "", prev != NULL ? ", " : "",
			    i + 1, s->id);
			free(prev);
			continue;
		}
		given = NULL;
		for (k = 0; p->answers != NULL && p->answers[k] != NULL; k++) {
			if (strncmp(p->answers[k], key, klen) == 0 &&
			    p->answers[k][klen] == '=')
				given = p->answers[k] + klen + 1;
		}
		for (k = 0; s->destroys != NULL && s->destroys[k] != NULL;
		    k++) {
			prev = need;
			xasprintf(&need, "%s%s%s", prev != NULL ? prev : "",
			    prev != NULL ? ", " : "", s->destroys[k]);
			free(prev);
			found = given != NULL &&
			    strcmp(given, s->destroys[k]) == 0;
			copy = xstrdup(given != NULL ? given : "");
			for (w = strtok_r(copy, ", \t", &last); w != NULL &&
			    !found; w = strtok_r(NULL, ", \t", &last))
				found = strcmp(w, s->destroys[k]) == 0;
			free(copy);
			if (found)
				continue;
			prev = missing;
			xasprintf(&missing, "%s%s%s=%s (step %zu, %s)",
			    prev != NULL ? prev : "", prev != NULL ? ", " : "",
			    key, s->destroys[k], i + 1, s->id);
			free(prev);
		}
	}
	if (missing != NULL) {
		*cause = xprintf("refused: the plan destroys %s; name each in "
		    "the answers (%s) and give --yes", need, missing);
	} else if (need != NULL && !(flags & PLAN_APPLY_YES))
		*cause = xprintf("refused: the plan destroys %s; give --yes to "
		    "go on", need);
	free(need);
	free(missing);
	return (*cause != NULL ? -1 : 0);
}

/*
 * A new run's id: WIZARD-YYYYMMDD-HHMMSS-PID, and -2, -3, ... after it when
 * this process already made a run of the wizard in the same second (no
 * other process makes ids with our pid).
 */
static char *
run_new_id(const char *wizard)
{
	char		 when[32], *id, *path;
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 n;

	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
	id = xprintf("%s-%s-%ld", wizard, when, (long)getpid());
	for (n = 2;; n++) {
		xasprintf(&path, "%s/%s", plan_statedir(), id);
		if (access(path, F_OK) != 0 && errno == ENOENT) {
			free(path);
			return (id);
		}
		free(path);
		free(id);
		id = xprintf("%s-%s-%ld-%d", wizard, when, (long)getpid(), n);
	}
}

int
plan_apply(struct plan *p, int flags, const struct plan_events *ev,
    char **run_id, char **cause)
{
	struct prun	 r;
	json_t		*j, *ids;
	char		*other, *path, *dump;
	size_t		 i;
	int		 rc = -1;

	*run_id = NULL;
	if (plan_consent(p, flags, cause) != 0)
		return (-2);
	prun_init(&r, p, ev);
	r.id = run_new_id(p->wizard);
	if (lock_take(&r, cause) != 0)
		goto out;
	if ((other = plan_run_unfinished(p->wizard)) != NULL) {
		*cause = xprintf("an unfinished run of %s exists (%s): "
		    "continue it with `xendeck wizard %s --resume`, or walk "
		    "it back with `xendeck wizard %s --undo`", p->wizard,
		    other, p->wizard, p->wizard);
		free(other);
		goto out;
	}
	xasprintf(&r.dir, "%s/%s", plan_statedir(), r.id);
	if (mkdir(r.dir, 0700) != 0) {
		*cause = xprintf("%s: %s", r.dir, strerror(errno));
		goto out;
	}
	if (fsync_dir(plan_statedir(), cause) != 0)
		goto out;
	j = plan_to_json(p);
	dump = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	xasprintf(&path, "%s/plan.json", r.dir);
	rc = file_put(path, dump, strlen(dump), 0600, (uid_t)-1, (gid_t)-1,
	    cause);
	free(path);
	free(dump);
	if (rc != 0 || (rc = journal_open(&r, cause)) != 0) {
		rc = -1;
		goto out;
	}
	*run_id = xstrdup(r.id);
	ids = json_array();
	for (i = 0; i < p->nsteps; i++)
		json_array_append_new(ids, json_string(p->steps[i].id));
	rc = journal_add(&r, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:b, "
	    "s:I}", "event", "run", "run", r.id, "wizard", p->wizard, "title",
	    p->title != NULL ? p->title : "", "steps", (json_int_t)p->nsteps,
	    "ids", ids, "consent", (flags & PLAN_APPLY_YES) != 0, "pid",
	    (json_int_t)getpid()), cause);
	if (rc == 0)
		rc = prun_steps(&r, NULL, cause);
out:
	prun_free(&r);
	return (rc);
}

/*
 * Take a run up: its directory, the lock, its journal, and its plan (the
 * caller's r->plan, else plan.json read into *saved, *loaded set).
 */
static int
prun_open(struct prun *r, const char *run, struct journal *j,
    struct plan *saved, int *loaded, char **cause)
{
	char	*path;
	int	 rc;

	*loaded = 0;
	if (!valid_name(run)) {
		*cause = xprintf("%s: not a run name", run);
		return (-1);
	}
	r->id = xstrdup(run);
	xasprintf(&r->dir, "%s/%s", plan_statedir(), run);
	if (access(r->dir, F_OK) != 0) {
		*cause = xprintf("no such run: %s (in %s)", run,
		    plan_statedir());
		return (-1);
	}
	if (lock_take(r, cause) != 0 || journal_read(r->dir, j, cause) != 0)
		return (-1);
	if (r->plan == NULL) {
		xasprintf(&path, "%s/plan.json", r->dir);
		rc = plan_load(path, saved, cause);
		free(path);
		if (rc != 0)
			return (-1);
		*loaded = 1;
		r->plan = saved;
	}
	if (j->nsteps != r->plan->nsteps) {
		*cause = xprintf("%s: its journal has %zu steps, its plan %zu",
		    run, j->nsteps, r->plan->nsteps);
		return (-1);
	}
	return (journal_open(r, cause));
}

int
plan_continue(const char *run, struct plan *p, const struct plan_events *ev,
    char **cause)
{
	struct prun	 r;
	struct journal	 j;
	struct plan	 saved;
	int		 rc = -1, loaded = 0;

	memset(&j, 0, sizeof j);
	prun_init(&r, p, ev);
	if (prun_open(&r, run, &j, &saved, &loaded, cause) != 0)
		goto out;
	if (j.finish != NULL) {
		*cause = xprintf("nothing to resume: %s is %s", run,
		    j.finish);
		goto out;
	}
	if (j.undoing) {
		*cause = xprintf("an undo of %s began and did not finish: "
		    "finish it with --undo", run);
		goto out;
	}
	if (journal_add(&r, json_pack("{s:s, s:I}", "event", "resume", "pid",
	    (json_int_t)getpid()), cause) != 0)
		goto out;
	rc = prun_steps(&r, &j, cause);
out:
	if (loaded)
		plan_free(&saved);
	journal_free(&j);
	prun_free(&r);
	return (rc);
}

/*
 * Undo step i of a run. Done for sure (ok) or maybe (begun, failed): a
 * file step is put back only when the file holds what the step wrote; an
 * argv step's undo runs unless its probe says it is not done. Returns the
 * outcome: PLAN_UNDONE, PLAN_SKIPPED (nothing to undo, or no undo: detail
 * says), PLAN_FAILED.
 */
static enum plan_outcome
prun_undo_step(struct prun *r, size_t i, enum jstate st, char **detail)
{
	const struct plan_step	*s = &r->plan->steps[i];
	const struct plan_file	*pf = &s->file;
	struct stat		 st_now;
	char			*cur = NULL, *why = NULL, *bak = NULL, sha[65];
	size_t			 len, blen;
	int			 have;
	enum plan_outcome	 o = PLAN_FAILED;

	if (s->kind != PLAN_FILE) {
		if (s->undo == NULL) {
			*detail = xstrdup("it has no undo: left as it is");
			return (PLAN_SKIPPED);
		}
		if (s->probe.argv != NULL && !check_run(&s->probe)) {
			*detail = xstrdup("not in effect (its probe)");
			return (PLAN_UNDONE);
		}
		if (s->probe.argv == NULL && st != J_OK) {
			*detail = xstrdup("it may not have run, and it has no "
			    "probe: left as it is");
			return (PLAN_SKIPPED);
		}
		if (prun_exec(r, i, s->undo, NULL, s->flags, s->timeout_s,
		    detail) != 0)
			return (PLAN_FAILED);
		return (PLAN_UNDONE);
	}
	if ((have = file_now(pf->path, &cur, &len, &st_now, &why)) == -1) {
		*detail = why;
		return (PLAN_FAILED);
	}
	if (have)
		sha256_hex(cur, len, sha);
	if (pf->existed ? have && strcmp(sha, pf->before_sha) == 0 : !have) {
		*detail = xprintf("%s is as it was", pf->path);
		o = PLAN_UNDONE;
		goto backup;
	}
	if (pf->after != NULL ? !have || strcmp(sha, pf->after_sha) != 0 :
	    have) {
		*detail = xprintf("%s changed since the wizard wrote it: left "
		    "as it is%s%s", pf->path, pf->existed ?
		    "; its content before the wizard is in " : "",
		    pf->existed ? pf->backup : "");
		goto out;
	}
	if (pf->existed) {
		if (file_put(pf->path, pf->before, pf->beforelen,
		    have ? st_now.st_mode & 07777 : pf->mode,
		    have ? st_now.st_uid : (uid_t)-1,
		    have ? st_now.st_gid : (gid_t)-1, &why) != 0) {
			*detail = why;
			goto out;
		}
		*detail = xprintf("put back %s", pf->path);
	} else {
		if (unlink(pf->path) != 0 ||
		    fsync_parent(pf->path, &why) != 0) {
			*detail = why != NULL ? why : xprintf("%s: %s",
			    pf->path, strerror(errno));
			goto out;
		}
		*detail = xprintf("removed %s", pf->path);
	}
	o = PLAN_UNDONE;
backup:
	/* The backup the step made, if it still is the old content. */
	if (pf->existed && file_read(pf->backup, &bak, &blen, &why) == 0) {
		sha256_hex(bak, blen, sha);
		if (strcmp(sha, pf->before_sha) == 0 &&
		    unlink(pf->backup) == 0)
			(void)fsync_parent(pf->backup, &why);
	}
	free(why);
out:
	free(bak);
	free(cur);
	return (o);
}

int
plan_undo(const char *run, const struct plan_events *ev, char **cause)
{
	struct prun		 r;
	struct journal		 j;
	struct plan		 p;
	enum plan_outcome	 o;
	char			*detail, *label;
	size_t			 i;
	int			 rc = -1, loaded = 0;

	memset(&j, 0, sizeof j);
	prun_init(&r, NULL, ev);
	if (prun_open(&r, run, &j, &p, &loaded, cause) != 0)
		goto out;
	if (j.finish != NULL && strcmp(j.finish, "undone") == 0) {
		*cause = xprintf("nothing to undo: %s is undone already", run);
		goto out;
	}
	if (journal_add(&r, json_pack("{s:s, s:I}", "event", "undo", "pid",
	    (json_int_t)getpid()), cause) != 0)
		goto out;
	for (i = p.nsteps; i-- > 0;) {
		if (j.st[i] != J_OK && j.st[i] != J_BEGUN &&
		    j.st[i] != J_FAILED)
			continue;
		if (j.st[i] == J_BEGUN)
			prun_wait_orphan(&r, i, j.pid[i], j.pstart[i]);
		if (journal_step(&r, "begin", i, 1, 0, NULL, cause) != 0)
			goto out;
		crash_at("undo", i);
		if (r.ev->begin != NULL)
			r.ev->begin(r.ev->arg, &p, i);
		detail = NULL;
		o = prun_undo_step(&r, i, j.st[i], &detail);
		if (journal_step(&r, "end", i, 1, o == PLAN_SKIPPED ?
		    PLAN_UNDONE : o, detail, cause) != 0) {
			free(detail);
			goto out;
		}
		if (r.ev->end != NULL)
			r.ev->end(r.ev->arg, &p, i, o, detail);
		if (o == PLAN_FAILED) {
			label = step_label(&p, i);
			*cause = xprintf("undo of %s failed: %s", label,
			    detail);
			free(label);
			free(detail);
			goto out;
		}
		free(detail);
	}
	rc = journal_add(&r, json_pack("{s:s, s:s}", "event", "finish",
	    "state", "undone"), cause);
out:
	if (loaded)
		plan_free(&p);
	journal_free(&j);
	prun_free(&r);
	return (rc);
}

/* Whether step id of run has begun (a begin record that is not an undo). */
int
plan_step_begun(const char *run, const char *id)
{
	char		*dir, *path, *buf = NULL, *cause = NULL, *line, *next;
	json_t		*o;
	const char	*ev, *sid;
	int		 found = 0;

	if (!valid_name(run))
		return (0);
	xasprintf(&dir, "%s/%s", plan_statedir(), run);
	xasprintf(&path, "%s/journal.jsonl", dir);
	free(dir);
	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		free(path);
		return (0);
	}
	free(path);
	for (line = buf; line != NULL && *line != '\0' && !found;
	    line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((o = json_loads(line, 0, NULL)) == NULL)
			continue;
		ev = json_string_value(json_object_get(o, "event"));
		sid = json_string_value(json_object_get(o, "id"));
		found = ev != NULL && sid != NULL &&
		    strcmp(ev, "begin") == 0 && strcmp(sid, id) == 0 &&
		    !json_is_true(json_object_get(o, "undo"));
		json_decref(o);
	}
	free(buf);
	return (found);
}

/* One run's summary from its journal and the lock. */
static int
run_summary(const char *id, const char *holder, struct plan_run *pr)
{
	struct journal	 j;
	char		*dir, *cause = NULL;
	size_t		 i, hl;

	memset(pr, 0, sizeof *pr);
	xasprintf(&dir, "%s/%s", plan_statedir(), id);
	if (journal_read(dir, &j, &cause) != 0) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
		free(dir);
		return (-1);
	}
	free(dir);
	pr->id = xstrdup(id);
	pr->wizard = xstrdup(j.wizard != NULL ? j.wizard : "?");
	pr->title = xstrdup(j.title != NULL ? j.title : "");
	pr->total = j.nsteps;
	pr->started = j.started;
	pr->updated = j.updated;
	for (i = 0; i < j.nsteps; i++) {
		if (j.st[i] == J_OK || j.st[i] == J_SKIPPED)
			pr->done++;
		if (j.st[i] == J_OK || j.st[i] == J_FAILED ||
		    j.st[i] == J_BEGUN)
			pr->changed++;
	}
	hl = strlen(id);
	if (holder != NULL && strncmp(holder, id, hl) == 0 &&
	    holder[hl] == ' ')
		pr->state = xstrdup("running");
	else if (j.finish != NULL)
		pr->state = xstrdup(j.finish);
	else if (j.undoing)
		pr->state = xstrdup("undoing");
	else {
		for (i = 0; i < j.nsteps; i++) {
			if (j.st[i] == J_FAILED || j.st[i] == J_BEGUN ||
			    j.st[i] == J_NONE)
				break;
		}
		pr->state = xstrdup(i < j.nsteps && j.st[i] == J_FAILED ?
		    "failed" : "interrupted");
		if (i < j.nsteps)
			pr->failed_step = j.ids[i] != NULL ?
			    xstrdup(j.ids[i]) : xprintf("step %zu", i + 1);
	}
	journal_free(&j);
	return (0);
}

static int
run_cmp(const void *a, const void *b)
{
	const struct plan_run	*x = a, *y = b;

	if (x->started != y->started)
		return (x->started > y->started ? -1 : 1);
	return (-strverscmp(x->id, y->id));	/* -10 after -9 */
}

/* Every run in plan_statedir(), newest first. */
int
plan_runs(struct plan_run **runs, size_t *n, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct plan_run	*v = NULL, pr;
	char		*holder;
	size_t		 count = 0;

	*runs = NULL;
	*n = 0;
	if ((d = opendir(plan_statedir())) == NULL) {
		if (errno == ENOENT)
			return (0);
		*cause = xprintf("%s: %s", plan_statedir(), strerror(errno));
		return (-1);
	}
	holder = lock_holder();
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !valid_name(de->d_name))
			continue;
		if (run_summary(de->d_name, holder, &pr) != 0)
			continue;
		v = xreallocarray(v, count + 1, sizeof *v);
		v[count++] = pr;
	}
	closedir(d);
	free(holder);
	if (count > 0)
		qsort(v, count, sizeof *v, run_cmp);
	*runs = v;
	*n = count;
	return (0);
}

void
plan_runs_free(struct plan_run *runs, size_t n)
{
	size_t	 i;

	for (i = 0; runs != NULL && i < n; i++) {
		free(runs[i].id);
		free(runs[i].wizard);
		free(runs[i].title);
		free(runs[i].state);
		free(runs[i].failed_step);
	}
	free(runs);
}

/* Whether a run is left half-done (resume or undo it). */
int
plan_run_is_unfinished(const struct plan_run *pr)
{
	return (strcmp(pr->state, "interrupted") == 0 ||
	    strcmp(pr->state, "failed") == 0 ||
	    strcmp(pr->state, "undoing") == 0);
}

char *
plan_run_unfinished(const char *wizard)
{
	struct plan_run	*runs;
	size_t		 n, i;
	char		*cause = NULL, *id = NULL;

	if (plan_runs(&runs, &n, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
		return (NULL);
	}
	for (i = 0; i < n && id == NULL; i++) {
		if (strcmp(runs[i].wizard, wizard) == 0 &&
		    plan_run_is_unfinished(&runs[i]))
			id = xstrdup(runs[i].id);
	}
	plan_runs_free(runs, n);
	return (id);
}
