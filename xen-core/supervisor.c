/*
 * The per-domain supervisor: what xl's per-domain daemon is to Xen. `xendeck
 * create` detaches a child (setsid, a second fork) that execs this very
 * binary as the hidden command `xendeck supervise NAME`: a fresh program
 * image, nothing of the creator's memory, fds or signal state but the
 * domain lock (fd 3, held for the domain's whole life and inherited by
 * QEMU) and a pipe to report on (fd 4). The domain outlives the CLI and the
 * console.
 *
 * State machine:
 *   start    fork+exec QEMU (stopped, -S), connect to its private monitor
 *            (sup.qmp), attach taps to bridges, set the VNC password,
 *            record vCPU threads and the VNC port, `cont` unless created
 *            paused; tell the creator "OK" (or "ERR why") over a pipe.
 *   run      follow QMP events: STOP/RESUME -> DIR/state paused/running;
 *            SHUTDOWN (QEMU stopped the guest: -action shutdown=pause,
 *            reboot=shutdown) -> on_reboot for a reset, else on_poweroff;
 *            GUEST_PANICKED (pvpanic, -action panic=pause) -> on_crash;
 *            QEMU gone without being told (killed) -> on_crash.
 *   actions  destroy: quit QEMU, remove the runtime dir, exit.
 *            restart: quit QEMU and start a new one (same argv and domid).
 *            preserve: leave the domain stopped (state shutdown/crashed)
 *            until someone destroys it.
 *   SIGTERM  (xendeck destroy) -> destroy.
 * Everything is logged to LOGDIR/NAME.log; QEMU's own output goes to
 * LOGDIR/NAME.qemu.log, the guest's serial console to NAME.console.log.
 * None of them grows without bound: every second the supervisor checks
 * them, and one over $XENDECK_LOG_MAX bytes (default 4 MiB) has its last
 * that many bytes kept as FILE.1 and is truncated (copytruncate: QEMU and
 * the supervisor write with O_APPEND, so writing simply goes on at the
 * start; what is written between the copy and the truncation is lost).
 */
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "backend-qemu.h"

#define START_TIMEOUT_MS	30000
#define QUIT_TIMEOUT_MS		5000
#define MAX_RESTARTS		5	/* in RESTART_WINDOW_MS: give up */
#define RESTART_WINDOW_MS	60000
#define LOG_MAX_DEFAULT		(4 * 1024 * 1024)
#define LOG_MAX_MIN		4096
#define LOG_CHECK_MS		1000

struct sup {
	struct qemu_dom	*dom;
	struct qmp	*qmp;
	pid_t		 qemu_pid;
	int		 qemu_status;
	int		 sigfd;
	char		*state;
	off_t		 qemu_log_off;
	uint64_t	 restarts[MAX_RESTARTS];
	size_t		 nrestarts;
	unsigned int	 generation;	/* QEMU processes started */
};

static void
sup_state(struct sup *s, const char *state)
{
	if (s->state != NULL && strcmp(s->state, state) == 0)
		return;
	log_info("%s: state %s", s->dom->name, state);
	free(s->state);
	s->state = xstrdup(state);
	qemu_dom_state_set(s->dom, state);
}

static void
write_pid(struct sup *s, const char *file, pid_t pid)
{
	char	*path, text[32], *cause = NULL;

	path = qemu_dom_path(s->dom, file);
	if (pid == 0)
		unlink(path);
	else {
		snprintf(text, sizeof text, "%ld\n", (long)pid);
		if (file_write_atomic(path, text, strlen(text), 0644, 0,
		    &cause) != 0) {
			log_warn("%s", cause);
			free(cause);
		}
	}
	free(path);
}

/* The last lines QEMU wrote since it started, for an error message. */
static char *
qemu_log_tail(struct sup *s)
{
	struct stat	 st;
	char		*buf = NULL, *cause = NULL, *p, *end, *tail;
	size_t		 len, want;

	if (stat(s->dom->qemu_log, &st) != 0 || st.st_size <= s->qemu_log_off)
		return (xstrdup("no output"));
	want = (size_t)(st.st_size - s->qemu_log_off);
	if (file_read_tail(s->dom->qemu_log, want > 4096 ? 4096 : want, &buf,
	    &len, &cause) != 0) {
		free(cause);
		return (xstrdup("no output"));
	}
	p = buf;
	end = buf + len;
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	*end = '\0';
	/* The last line, without QEMU's "qemu-system-x86_64: " prefix. */
	if ((tail = strrchr(p, '\n')) != NULL)
		p = tail + 1;
	if ((tail = strstr(p, "qemu-system-x86_64: ")) != NULL)
		p = tail + strlen("qemu-system-x86_64: ");
	tail = xstrdup(*p != '\0' ? p : "no output");
	free(buf);
	return (tail);
}

static int
qemu_spawn(struct sup *s, char **cause)
{
	struct stat	 st;
	pid_t		 pid;
	int		 fd;

	if ((fd = file_open_private(s->dom->qemu_log, O_WRONLY |
	    O_APPEND)) == -1) {
		*cause = xprintf("%s: %s", s->dom->qemu_log, strerror(errno));
		return (-1);
	}
	s->qemu_log_off = fstat(fd, &st) == 0 ? st.st_size : 0;
	if ((pid = fork()) == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		close(fd);
		return (-1);
	}
	if (pid == 0) {
		sigset_t	 none;
		int		 null;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* No orphan QEMU if the supervisor itself is killed. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(127);
		if ((null = open("/dev/null", O_RDONLY)) == -1 ||
		    dup2(null, 0) == -1 || dup2(fd, 1) == -1 ||
		    dup2(fd, 2) == -1)
			_exit(127);
		execv(s->dom->argv[0], s->dom->argv);
		dprintf(2, "%s: %s\n", s->dom->argv[0], strerror(errno));
		_exit(127);
	}
	close(fd);
	s->qemu_pid = pid;
	write_pid(s, "qemu.pid", pid);
	log_info("%s: QEMU started, pid %ld", s->dom->name, (long)pid);
	return (0);
}

/* Reap QEMU if it has exited; 1 if it has. */
static int
qemu_reap(struct sup *s, int block)
{
	pid_t	 pid;
	int	 status;

	if (s->qemu_pid == 0)
		return (1);
	do
		pid = waitpid(s->qemu_pid, &status, block ? 0 : WNOHANG);
	while (pid == -1 && errno == EINTR);
	if (pid == 0)
		return (0);
	if (pid == s->qemu_pid) {
		s->qemu_status = status;
		if (WIFSIGNALED(status))
			log_info("%s: QEMU killed by signal %d", s->dom->name,
			    WTERMSIG(status));
		else
			log_info("%s: QEMU exited %d", s->dom->name,
			    WEXITSTATUS(status));
	}
	s->qemu_pid = 0;
	write_pid(s, "qemu.pid", 0);
	return (1);
}

/* Stop QEMU: quit over QMP, then SIGKILL if it lingers. */
static void
qemu_stop(struct sup *s)
{
	char		*cause = NULL;
	uint64_t	 end;

	if (s->qemu_pid == 0)
		goto out;
	if (s->qmp != NULL && qmp_execute(s->qmp, "quit", NULL, NULL, 2000,
	    &cause) != 0) {
		log_debug("%s: quit: %s", s->dom->name, cause);
		free(cause);
	}
	end = mono_ms() + QUIT_TIMEOUT_MS;
	while (!qemu_reap(s, 0)) {
		if (mono_ms() >= end) {
			log_warn("%s: QEMU did not quit: killing it",
			    s->dom->name);
			kill(s->qemu_pid, SIGKILL);
			qemu_reap(s, 1);
			break;
		}
		usleep(20000);
	}
out:
	qmp_close(s->qmp);
	s->qmp = NULL;
}

static int
write_file(struct sup *s, const char *file, const char *text)
{
	char	*path, *cause = NULL;
	int	 rc;

	path = qemu_dom_path(s->dom, file);
	if ((rc = file_write_atomic(path, text, strlen(text), 0644, 0,
	    &cause)) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
	free(path);
	return (rc);
}

/* Record the vCPU thread ids (for cpu time) and the VNC port. */
static void
record_runtime(struct sup *s)
{
	json_t	*ret = NULL, *e;
	char	*cause = NULL, *text = NULL, *next;
	size_t	 i;

	if (qmp_execute(s->qmp, "query-cpus-fast", NULL, &ret, 5000,
	    &cause) == 0) {
		json_array_foreach(ret, i, e) {
			xasprintf(&next, "%s%lld\n", text != NULL ? text : "",
			    (long long)json_integer_value(json_object_get(e,
			    "thread-id")));
			free(text);
			text = next;
		}
		write_file(s, "vcpus", text != NULL ? text : "");
		free(text);
		json_decref(ret);
	} else {
		log_warn("%s: query-cpus-fast: %s", s->dom->name, cause);
		free(cause);
		cause = NULL;
	}
	if (s->dom->vnc_host == NULL)
		return;
	ret = NULL;
	if (qmp_execute(s->qmp, "query-vnc", NULL, &ret, 5000, &cause) ==
	    0) {
		const char	*svc = json_string_value(json_object_get(ret,
				    "service"));

		xasprintf(&text, "%s\n", svc != NULL ? svc : "0");
		write_file(s, "vnc", text);
		free(text);
		json_decref(ret);
	} else {
		log_warn("%s: query-vnc: %s", s->dom->name, cause);
		free(cause);
	}
}

/* Start QEMU and bring the domain up (running, or paused if asked). */
static int
qemu_bringup(struct sup *s, int paused, char **cause)
{
	char		*path = NULL, *why = NULL;
	uint64_t	 end = mono_ms() + START_TIMEOUT_MS;
	size_t		 i;
	json_t		*args;

	if (qemu_spawn(s, cause) != 0)
		return (-1);
	s->generation++;
	path = qemu_dom_path(s->dom, "sup.qmp");
	while ((s->qmp = qmp_connect(path, 2000, &why)) == NULL) {
		log_debug("%s: %s", s->dom->name, why);
		free(why);
		why = NULL;
		if (qemu_reap(s, 0)) {
			why = qemu_log_tail(s);
			*cause = xprintf("QEMU failed: %s", why);
			free(why);
			goto fail;
		}
		if (mono_ms() >= end) {
			*cause = xprintf("QEMU did not open its monitor in %d "
			    "s", START_TIMEOUT_MS / 1000);
			goto fail;
		}
		usleep(20000);
	}
	free(path);
	path = NULL;
	for (i = 0; s->dom->taps != NULL && s->dom->taps[i] != NULL; i++) {
		if (qemu_tap_attach(s->dom->taps[i], s->dom->bridges[i],
		    cause) != 0)
			goto fail;
		log_info("%s: %s joined bridge %s", s->dom->name,
		    s->dom->taps[i], s->dom->bridges[i]);
	}
	if (s->dom->vncpasswd != NULL) {
		args = json_pack("{s:s}", "password", s->dom->vncpasswd);
		if (qmp_execute(s->qmp, "change-vnc-password", args, NULL,
		    5000, &why) != 0) {
			*cause = xprintf("setting the VNC password: %s", why);
			free(why);
			goto fail;
		}
	}
	record_runtime(s);
	if (paused) {
		sup_state(s, "paused");
		return (0);
	}
	if (qmp_execute(s->qmp, "cont", NULL, NULL, 5000, &why) != 0) {
		*cause = xprintf("cont: %s", why);
		free(why);
		goto fail;
	}
	sup_state(s, "running");
	return (0);
fail:
	free(path);
	qemu_stop(s);
	return (-1);
}

static __dead void
sup_exit(struct sup *s, int code)
{
	char	*cause = NULL;

	if (s->qemu_pid != 0)
		qemu_stop(s);
	if (qemu_dom_remove(s->dom, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
	log_info("%s: domain gone", s->dom->name);
	log_close();
	_exit(code);
}

static void
sup_destroy(struct sup *s, const char *why)
{
	log_info("%s: destroying (%s)", s->dom->name, why);
	sup_state(s, "dying");
	qemu_stop(s);
	sup_exit(s, 0);
}

/*
 * QEMU's command line as domain.json has it now: cd-insert and cd-eject
 * rewrite the CD drive's medium there, and a restart keeps it, as xl keeps
 * a changed CD across a reboot.
 */
static void
sup_reload_argv(struct sup *s)
{
	struct qemu_dom	*now;

	if ((now = qemu_dom_read(s->dom->dir)) == NULL)
		return;
	if (now->argv != NULL && now->argv[0] != NULL &&
	    strcmp(now->argv[0], s->dom->argv[0]) == 0) {
		strv_free(s->dom->argv);
		s->dom->argv = now->argv;
		now->argv = NULL;
	}
	qemu_dom_free(now);
}

static void
sup_restart(struct sup *s, const char *why)
{
	char		*cause = NULL;
	uint64_t	 now = mono_ms();

	if (s->nrestarts == MAX_RESTARTS) {
		if (now - s->restarts[0] < RESTART_WINDOW_MS) {
			log_warn("%s: %d restarts in %d s: giving up",
			    s->dom->name, MAX_RESTARTS,
			    RESTART_WINDOW_MS / 1000);
			sup_destroy(s, "restarting too often");
		}
		memmove(s->restarts, s->restarts + 1,
		    (MAX_RESTARTS - 1) * sizeof *s->restarts);
		s->nrestarts--;
	}
	s->restarts[s->nrestarts++] = now;
	log_info("%s: restarting (%s)", s->dom->name, why);
	qemu_stop(s);
	sup_reload_argv(s);
	if (qemu_bringup(s, 0, &cause) != 0) {
		log_error("%s: restart failed: %s", s->dom->name, cause);
		free(cause);
		sup_destroy(s, "restart failed");
	}
}

/* Apply an on_poweroff/on_reboot/on_crash action. */
static void
sup_action(struct sup *s, enum xlcfg_action act, const char *why,
    const char *preserved_state)
{
	switch (act) {
	case XLCFG_ACT_DESTROY:
	case XLCFG_ACT_COREDUMP_DESTROY:
		sup_destroy(s, why);
		break;
	case XLCFG_ACT_RESTART:
	case XLCFG_ACT_RENAME_RESTART:
	case XLCFG_ACT_COREDUMP_RESTART:
	case XLCFG_ACT_SOFT_RESET:
		sup_restart(s, why);
		break;
	case XLCFG_ACT_PRESERVE:
		log_info("%s: %s: preserved", s->dom->name, why);
		sup_state(s, preserved_state);
		break;
	}
}

static void
sup_event(struct sup *s, json_t *ev)
{
	const char	*name, *reason;
	json_t		*data;

	name = json_string_value(json_object_get(ev, "event"));
	data = json_object_get(ev, "data");
	if (name == NULL)
		return;
	log_debug("%s: event %s", s->dom->name, name);
	if (strcmp(name, "STOP") == 0) {
		if (strcmp(s->state, "running") == 0)
			sup_state(s, "paused");
	} else if (strcmp(name, "RESUME") == 0) {
		if (strcmp(s->state, "paused") == 0)
			sup_state(s, "running");
	} else if (strcmp(name, "SHUTDOWN") == 0) {
		reason = json_string_value(json_object_get(data, "reason"));
		if (reason == NULL)
			reason = "unknown";
		log_info("%s: shutdown, reason %s", s->dom->name, reason);
		if (strcmp(reason, "host-qmp-quit") == 0 ||
		    strcmp(reason, "host-signal") == 0)
			return;	/* QEMU is exiting: handled there */
		if (strcmp(reason, "guest-panic") == 0)
			sup_action(s, s->dom->on_crash, "guest panic",
			    "crashed");
		else if (strcmp(reason, "guest-reset") == 0 ||
		    strcmp(reason, "host-qmp-system-reset") == 0 ||
		    strcmp(reason, "subsystem-reset") == 0)
			sup_action(s, s->dom->on_reboot, "reboot",
			    "shutdown");
		else
			sup_action(s, s->dom->on_poweroff, "power-off",
			    "shutdown");
	} else if (strcmp(name, "GUEST_PANICKED") == 0) {
		log_info("%s: guest panicked", s->dom->name);
		sup_action(s, s->dom->on_crash, "guest panic", "crashed");
	}
}

/* QEMU went away without being asked: a crash. */
static void
sup_qemu_died(struct sup *s)
{
	qemu_reap(s, 1);
	qmp_close(s->qmp);
	s->qmp = NULL;
	log_warn("%s: QEMU died unexpectedly", s->dom->name);
	if (s->dom->on_crash == XLCFG_ACT_PRESERVE) {
		/* Nothing left to preserve but the record: keep it listed. */
		sup_state(s, "crashed");
		return;
	}
	sup_action(s, s->dom->on_crash, "QEMU died", "crashed");
}

/* The most a log may hold: $XENDECK_LOG_MAX bytes, or the default. */
static size_t
log_max(void)
{
	const char		*env = getenv("XENDECK_LOG_MAX");
	unsigned long long	 v;
	char			*end;

	if (env == NULL || *env == '\0')
		return (LOG_MAX_DEFAULT);
	errno = 0;
	v = strtoull(env, &end, 10);
	if (errno != 0 || *end != '\0' || v < LOG_MAX_MIN || v > SIZE_MAX / 2)
		return (LOG_MAX_DEFAULT);
	return ((size_t)v);
}

/* Keep one log under max bytes: its tail to PATH.1, then truncated. */
static void
log_cap(const char *path, size_t max)
{
	struct stat	 st;
	char		*buf = NULL, *old, *cause = NULL;
	size_t		 len;
	int		 fd;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size <= max)
		return;
	xasprintf(&old, "%s.1", path);
	if (file_read_tail(path, max, &buf, &len, &cause) != 0 ||
	    file_write_atomic(old, buf, len, 0600, 0, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	} else if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) !=
	    -1) {
		if (ftruncate(fd, 0) != 0)
			log_warn("%s: %s", path, strerror(errno));
		close(fd);
		log_info("%s: %llu bytes: the last %zu kept in %s", path,
		    (unsigned long long)st.st_size, len, old);
	}
	free(buf);
	free(old);
}

/* Every log of the domain under its cap. */
static void
logs_cap(struct sup *s)
{
	size_t	 max = log_max();

	log_cap(s->dom->console_log, max);
	log_cap(s->dom->qemu_log, max);
	log_cap(s->dom->log, max);
}

static __dead void
sup_loop(struct sup *s)
{
	struct pollfd			 pfd[2];
	struct signalfd_siginfo		 si;
	json_t				*ev;
	char				*cause = NULL;
	int				 n, nfds;
	unsigned int			 gen;
	uint64_t			 next_check = 0;

	for (;;) {
		pfd[0].fd = s->sigfd;
		pfd[0].events = POLLIN;
		nfds = 1;
		if (s->qmp != NULL) {
			pfd[1].fd = qmp_fd(s->qmp);
			pfd[1].events = POLLIN;
			nfds = 2;
		}
		n = poll(pfd, nfds, LOG_CHECK_MS);
		if (n == -1 && errno != EINTR)
			fatal("poll");
		if (mono_ms() >= next_check) {
			logs_cap(s);
			next_check = mono_ms() + LOG_CHECK_MS;
		}
		if (n <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			if (read(s->sigfd, &si, sizeof si) == sizeof si) {
				if (si.ssi_signo == SIGCHLD) {
					if (s->qemu_pid != 0 &&
					    qemu_reap(s, 0))
						sup_qemu_died(s);
				} else
					sup_destroy(s, "asked to");
			}
		}
		if (nfds == 2 && s->qmp != NULL && pfd[1].revents != 0) {
			gen = s->generation;
			if (qmp_read(s->qmp, &cause) != 0) {
				free(cause);
				cause = NULL;
				while ((ev = qmp_event(s->qmp)) != NULL) {
					sup_event(s, ev);
					json_decref(ev);
				}
				/* Unless an event already restarted it. */
				if (s->qmp != NULL && s->generation == gen)
					sup_qemu_died(s);
				continue;
			}
			while (s->qmp != NULL &&
			    (ev = qmp_event(s->qmp)) != NULL) {
				sup_event(s, ev);
				json_decref(ev);
			}
		}
	}
}

/* The supervisor itself, exec'd with its lock and ready pipe. */
static __dead void
supervisor_main(struct qemu_dom *dom, int ready)
{
	struct sup	 s;
	sigset_t	 mask;
	char		*cause = NULL, *msg;
	int		 fd, level;

	memset(&s, 0, sizeof s);
	s.dom = dom;
	s.sigfd = -1;
	umask(077);
	log_redact(dom->vncpasswd);
	if ((fd = file_open_private(dom->log, O_WRONLY | O_APPEND)) != -1) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	prctl(PR_SET_NAME, "xd-supervisor");
	level = log_get_level() > LOG_INFO ? log_get_level() : LOG_INFO;
	log_open(dom->log, level);
	log_info("%s: supervisor %ld, domid %d", dom->name, (long)getpid(),
	    dom->domid);
	write_pid(&s, "supervisor.pid", getpid());

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((s.sigfd = signalfd(-1, &mask, SFD_CLOEXEC)) == -1)
		fatal("signalfd");

	/* A new domain starts a new console log; restarts append to it. */
	if ((fd = file_open_private(dom->console_log, O_WRONLY |
	    O_TRUNC)) != -1)
		close(fd);
	if (qemu_bringup(&s, dom->start_paused, &cause) != 0) {
		log_error("%s: %s", dom->name, cause);
		xasprintf(&msg, "ERR %s\n", cause);
		if (write(ready, msg, strlen(msg)) < 0)
			log_debug("%s: ready pipe: %s", dom->name,
			    strerror(errno));
		free(msg);
		free(cause);
		sup_exit(&s, 1);
	}
	if (write(ready, "OK\n", 3) != 3)
		log_debug("%s: ready pipe: %s", dom->name, strerror(errno));
	close(ready);
	sup_loop(&s);
}

/*
 * `xendeck supervise NAME`: become NAME's supervisor. Only create runs
 * it, with the domain's lock open on SUPERVISOR_LOCK_FD and the ready pipe
 * on SUPERVISOR_READY_FD; anything else is refused. Returns only then.
 */
int
supervisor_run(const char *name, char **cause)
{
	struct qemu_dom	*dom = NULL;
	struct stat	 lst, st;
	char		*path, *dir;
	int		 flags;

	if (!valid_name(name)) {
		*cause = xprintf("%s: not a domain name", name);
		return (-1);
	}
	dom = qemu_dom_new(name);
	path = qemu_dom_path(dom, "lock");
	if (fstat(SUPERVISOR_LOCK_FD, &lst) != 0 || stat(path, &st) != 0 ||
	    lst.st_dev != st.st_dev || lst.st_ino != st.st_ino ||
	    fstat(SUPERVISOR_READY_FD, &st) != 0 || !S_ISFIFO(st.st_mode)) {
		*cause = xprintf("%s: not started by create (xendeck create "
		    "runs this for each domain it starts)", name);
		goto fail;
	}
	if (qemu_lock_take(SUPERVISOR_LOCK_FD) != 0) {
		*cause = xprintf("%s: the domain has a supervisor already",
		    name);
		goto fail;
	}
	/* QEMU inherits the lock: held until both have exited. */
	if ((flags = fcntl(SUPERVISOR_LOCK_FD, F_GETFD)) == -1 ||
	    fcntl(SUPERVISOR_LOCK_FD, F_SETFD, flags & ~FD_CLOEXEC) == -1) {
		*cause = xprintf("%s: lock: %s", name, strerror(errno));
		goto fail;
	}
	(void)set_cloexec(SUPERVISOR_READY_FD);
	dir = xstrdup(dom->dir);
	qemu_dom_free(dom);
	dom = qemu_dom_read(dir);
	free(dir);
	if (dom == NULL) {
		*cause = xprintf("%s: no domain record in %s/%s", name,
		    qemu_rundir(), name);
		goto fail;
	}
	dom->lock_fd = SUPERVISOR_LOCK_FD;
	free(path);
	supervisor_main(dom, SUPERVISOR_READY_FD);
fail:
	free(path);
	qemu_dom_free(dom);
	return (-1);
}

/*
 * In the detached grandchild: put the lock on fd 3 and the ready pipe on
 * fd 4, close everything else, undo the creator's signal state, and exec
 * this binary as `xendeck supervise NAME`.
 */
static __dead void
supervisor_exec(char **argv, int lock_fd, int ready_fd)
{
	sigset_t	 none;
	int		 sig, null, lk, rd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	}
	/* Out of the way of 0-4 first, then into place. */
	if ((lk = fcntl(lock_fd, F_DUPFD_CLOEXEC, 10)) == -1 ||
	    (rd = fcntl(ready_fd, F_DUPFD_CLOEXEC, 10)) == -1 ||
	    dup2(lk, SUPERVISOR_LOCK_FD) == -1 ||
	    dup2(rd, SUPERVISOR_READY_FD) == -1)
		_exit(126);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1 ||
	    dup2(null, 0) == -1 || dup2(null, 1) == -1 || dup2(null, 2) == -1)
		_exit(126);
	closefrom(SUPERVISOR_READY_FD + 1);
	execv("/proc/self/exe", argv);
	_exit(127);
}

/*
 * Start dom's supervisor, detached (`xendeck supervise NAME`, exec'd with
 * dom's lock), and wait until it reports QEMU up and configured (or why
 * not).
 */
int
supervisor_start(struct qemu_dom *dom, char **cause)
{
	struct pollfd	 pfd;
	char		 buf[1024], *argv[16];
	size_t		 len = 0;
	ssize_t		 n;
	pid_t		 pid, gpid;
	int		 p[2], status, i, argc = 0;
	uint64_t	 end = mono_ms() + START_TIMEOUT_MS + 10000;

	if (dom->lock_fd == -1)
		fatalx("%s: %s without the domain lock", __func__, dom->name);
	if (pipe2(p, O_CLOEXEC) != 0) {
		*cause = xprintf("pipe: %s", strerror(errno));
		return (-1);
	}
	/* Our log level, as -v flags. */
	argv[argc++] = (char *)"xendeck";
	for (i = LOG_WARN; i < log_get_level() && argc < 8; i++)
		argv[argc++] = (char *)"-v";
	argv[argc++] = (char *)"supervise";
	argv[argc++] = dom->name;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return (-1);
	}
	if (pid == 0) {
		close(p[0]);
		setsid();
		if ((gpid = fork()) != 0)
			_exit(gpid == -1);
		supervisor_exec(argv, dom->lock_fd, p[1]);
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		uint64_t now = mono_ms();

		if (now >= end) {
			*cause = xprintf("%s: the supervisor did not report "
			    "in time (see %s)", dom->name, dom->log);
			close(p[0]);
			return (-1);
		}
		if (poll(&pfd, 1, (int)(end - now)) <= 0)
			continue;
		n = read(p[0], buf + len, sizeof buf - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (memchr(buf, '\n', len) != NULL || len == sizeof buf - 1)
			break;
	}
	close(p[0]);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, "OK") == 0)
		return (0);
	if (strncmp(buf, "ERR ", 4) == 0)
		*cause = xprintf("%s: %s", dom->name, buf + 4);
	else
		*cause = xprintf("%s: the supervisor died (see %s)",
		    dom->name, dom->log);
	return (-1);
}
