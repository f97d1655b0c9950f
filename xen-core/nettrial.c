/*
 * A network change on trial: the bridge wizard's way of changing the network
 * of a host it may be reached through, without locking anyone out.
 *
 * The new configuration is staged beside the old (interfaces.xendeck-new;
 * ifup never reads it at boot, so a reboot before confirmation boots the old
 * one) and flattened into one file ifup -i reads. A trial then goes:
 *
 *   start     under the trial's lock: note how things are (the NIC's
 *             addresses and ifupdown state, the bridge, the guests' vifs on
 *             it, the SSH session's route), save it (state.json), ARM THE
 *             GUARD, and only then take the NIC down under the old
 *             configuration, bring the bridge up under the new one,
 *             re-attach vifs, and verify (address, default route, gateway
 *             reachable, the SSH session's route). A failure anywhere after
 *             the guard is armed rolls back at once.
 *   confirm   (xendeck wizard bridge --confirm, or the console) before the
 *             deadline: every real file is checked unchanged, linked to its
 *             backup and replaced by its staged file (rename: atomic); the
 *             guard is disarmed.
 *   rollback  at the deadline (by the guard), on --rollback, or on a failed
 *             start: the bridge goes down under the new configuration, the
 *             old network comes back under the old one (or as it was noted,
 *             for addresses set by hand), the vifs go back on a bridge that
 *             existed before, and the staged files go.
 *
 * The guard is what makes the deadline hold when the operator's session
 * dies or xendeck is killed with SIGKILL: it is not in the session's process
 * tree. With systemd as PID 1 it is a transient timer (systemd-run), which
 * also survives logind killing the session's cgroup; otherwise (no systemd,
 * or a private network namespace PID 1's timer could not reach) it is a
 * watchdog process of our own, double-forked into its own session with
 * nothing of ours open, that sleeps until the deadline and then rolls back
 * unless the trial was confirmed. SIGTERM to the watchdog rolls back at once
 * (a shutdown reboots into the old configuration anyway).
 *
 * Everything lives in ${XENDECK_RUNDIR:-/run/xendeck}/net-trial: lock,
 * state.json, interfaces (the flattened new configuration) and trial.log,
 * which says what happened and when, for an operator who comes back after
 * losing the session. XENDECK_INTERFACES and XENDECK_IFSTATE point ifupdown
 * at another interfaces file and state directory (the tests' private ones).
 */
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"

#define TRIAL_IFUP_MS	120000	/* DHCP can take a minute */
#define TRIAL_IFDOWN_MS	60000
#define TRIAL_CMD_MS	15000

static volatile sig_atomic_t	 guard_term;

const char *
nettrial_dir(void)
{
	static char	*dir;

	free(dir);
	xasprintf(&dir, "%s/net-trial", xendeck_rundir());
	return (dir);
}

/* The interfaces file ifupdown uses (XENDECK_INTERFACES for tests). */
const char *
nettrial_interfaces(void)
{
	const char	*s = getenv("XENDECK_INTERFACES");

	return (s != NULL && *s != '\0' ? s : "/etc/network/interfaces");
}

/* ifupdown's state directory, or NULL for its default. */
const char *
nettrial_ifstate(void)
{
	const char	*s = getenv("XENDECK_IFSTATE");

	return (s != NULL && *s != '\0' ? s : NULL);
}

static char *
trial_path(const char *name)
{
	return (xprintf("%s/%s", nettrial_dir(), name));
}

void
nettrial_free(struct nettrial *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	free(t->id);
	free(t->state);
	free(t->nic);
	free(t->bridge);
	free(t->mode);
	free(t->address);
	free(t->gateway);
	free(t->interfaces);
	free(t->ifstate);
	free(t->flat);
	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].staged);
		free(t->files[i].backup);
	}
	free(t->files);
	free(t->guard);
	free(t->bridge_ifup);
	free(t->nic_ifup);
	strv_free(t->nic_addrs);
	free(t->gateway_was);
	free(t->gateway_dev);
	free(t->addr4);
	free(t->addr_dev);
	strv_free(t->vifs);
	free(t->ssh_server);
	free(t->ssh_client);
	free(t->result);
	memset(t, 0, sizeof *t);
}

/* Add a file to a trial: the real path, its staged copy, its backup. */
void
nettrial_add_file(struct nettrial *t, const char *path, const char *staged,
    const char *backup, const char *before_sha, const char *after_sha)
{
	struct nettrial_file	*f;

	t->files = xreallocarray(t->files, t->nfiles + 1, sizeof *t->files);
	f = &t->files[t->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->staged = xstrdup(staged);
	f->backup = xstrdup(backup);
	snprintf(f->before_sha, sizeof f->before_sha, "%s", before_sha);
	snprintf(f->after_sha, sizeof f->after_sha, "%s", after_sha);
}

/* One line in trial.log ("HH:MM:SS text"), and to the caller's callback. */
static void
tlog(const struct nettrial_io *io, const char *fmt, ...) printflike(2, 3);
static void
tlog(const struct nettrial_io *io, const char *fmt, ...)
{
	va_list		 ap;
	char		*line, *path, stamp[16];
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 fd;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
	path = trial_path("trial.log");
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) != -1) {
		dprintf(fd, "%s [%ld] %s\n", stamp, (long)getpid(), line);
		close(fd);
	}
	free(path);
	log_info("net-trial: %s", line);
	if (io != NULL && io->say != NULL)
		io->say(io->arg, line);
	free(line);
}

/* Output lines of a command go to the trial log, indented. */
static void
cmd_line(void *arg, int stream, const char *line)
{
	(void)stream;
	if (*line != '\0')
		tlog(arg, "  %s", line);
}

/* Run a command with its output in the log; 0 when it exits 0. */
static int
trial_cmd(const struct nettrial_io *io, char *const *argv, int timeout_ms,
    char **cause)
{
	struct spawn_result	 res;
	char			*line;
	int			 rc;

	line = spawn_argv_string(argv);
	tlog(io, "$ %s", line);
	free(line);
	rc = spawn_run_lines(argv, NULL, 0, timeout_ms, cmd_line,
	    (void *)io, &res, cause);
	spawn_result_free(&res);
	return (rc);
}

/* The same, the failure only logged. */
static int
trial_cmd_log(const struct nettrial_io *io, char *const *argv,
    int timeout_ms)
{
	char	*cause = NULL;

	if (trial_cmd(io, argv, timeout_ms, &cause) == 0)
		return (0);
	tlog(io, "  (%s)", cause);
	free(cause);
	return (-1);
}

/* ifup/ifdown/ifquery argv with -i FILE and the state directory. */
static char **
ifupdown_argv(const struct nettrial *t, const char *prog, const char *file,
    const char *extra, const char *iface)
{
	char	**argv = NULL;

	strv_push(&argv, prog);
	if (extra != NULL)
		strv_push(&argv, extra);
	strv_push(&argv, "-i");
	strv_push(&argv, file);
	if (t->ifstate != NULL) {
		strv_push(&argv, "--state-dir");
		strv_push(&argv, t->ifstate);
	}
	strv_push(&argv, iface);
	return (argv);
}

/* ifupdown's record of an interface ("eth0" of "eth0=eth0"), or NULL. */
static char *
ifupdown_state_of(const struct nettrial *t, const char *iface)
{
	char			**argv, *cause = NULL, *eq, *out = NULL;
	struct spawn_result	  res;

	argv = ifupdown_argv(t, "ifquery", t->interfaces, "--state", iface);
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT | SPAWN_NOCHECK,
	    TRIAL_CMD_MS, &res, &cause) != 0) {
		free(cause);
		goto out;
	}
	if (res.status == 0 && res.out != NULL && *res.out != '\0') {
		res.out[strcspn(res.out, "\n")] = '\0';
		eq = strchr(res.out, '=');
		out = xstrdup(eq != NULL ? eq + 1 : res.out);
	}
out:
	spawn_result_free(&res);
	strv_free(argv);
	return (out);
}

/* Save the trial as state.json (atomically). */
static int
trial_save(const struct nettrial *t, char **cause)
{
	json_t	*o = json_object(), *files = json_array(), *f;
	char	*path, *text;
	size_t	 i;
	int	 rc;

	jsonx_set_str(o, "id", t->id);
	jsonx_set_str(o, "state", t->state);
	jsonx_set_str(o, "nic", t->nic);
	jsonx_set_str(o, "bridge", t->bridge);
	jsonx_set_str(o, "mode", t->mode);
	jsonx_set_str(o, "address", t->address);
	jsonx_set_str(o, "gateway", t->gateway);
	json_object_set_new(o, "timeout", json_integer(t->timeout));
	jsonx_set_str(o, "interfaces", t->interfaces);
	jsonx_set_str(o, "ifstate", t->ifstate);
	jsonx_set_str(o, "flat", t->flat);
	for (i = 0; i < t->nfiles; i++) {
		f = json_object();
		jsonx_set_str(f, "path", t->files[i].path);
		jsonx_set_str(f, "staged", t->files[i].staged);
		jsonx_set_str(f, "backup", t->files[i].backup);
		jsonx_set_str(f, "before_sha", t->files[i].before_sha);
		jsonx_set_str(f, "after_sha", t->files[i].after_sha);
		json_array_append_new(files, f);
	}
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "started", json_integer(t->started));
	json_object_set_new(o, "deadline", json_integer(t->deadline));
	json_object_set_new(o, "ended", json_integer(t->ended));
	jsonx_set_str(o, "guard", t->guard);
	json_object_set_new(o, "bridge_existed",
	    json_boolean(t->bridge_existed));
	jsonx_set_str(o, "bridge_ifup", t->bridge_ifup);
	jsonx_set_str(o, "nic_ifup", t->nic_ifup);
	json_object_set_new(o, "nic_addrs", jsonx_strv_array(t->nic_addrs));
	jsonx_set_str(o, "gateway_was", t->gateway_was);
	jsonx_set_str(o, "gateway_dev", t->gateway_dev);
	jsonx_set_str(o, "addr4", t->addr4);
	jsonx_set_str(o, "addr_dev", t->addr_dev);
	json_object_set_new(o, "vifs", jsonx_strv_array(t->vifs));
	jsonx_set_str(o, "ssh_client", t->ssh_client);
	jsonx_set_str(o, "ssh_server", t->ssh_server);
	jsonx_set_str(o, "result", t->result);
	text = json_dumps(o, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(o);
	path = trial_path("state.json");
	rc = file_write_atomic(path, text, strlen(text), 0644, 0, cause);
	free(path);
	free(text);
	return (rc);
}

/* The trial as saved; -1 with *cause when there is none. */
int
nettrial_load(struct nettrial *t, char **cause)
{
	json_t		*o, *f;
	json_error_t	 jerr;
	char		*path, *s;
	size_t		 i;

	memset(t, 0, sizeof *t);
	path = trial_path("state.json");
	if (access(path, F_OK) != 0) {
		*cause = xprintf("no network change on trial (%s)", path);
		free(path);
		return (-1);
	}
	if ((o = json_load_file(path, 0, &jerr)) == NULL) {
		*cause = xprintf("%s: %s", path, jerr.text);
		free(path);
		return (-1);
	}
	free(path);
	t->id = jsonx_str(o, "id");
	t->state = jsonx_str(o, "state");
	t->nic = jsonx_str(o, "nic");
	t->bridge = jsonx_str(o, "bridge");
	t->mode = jsonx_str(o, "mode");
	t->address = jsonx_str(o, "address");
	t->gateway = jsonx_str(o, "gateway");
	t->timeout = json_integer_value(json_object_get(o, "timeout"));
	t->interfaces = jsonx_str(o, "interfaces");
	t->ifstate = jsonx_str(o, "ifstate");
	t->flat = jsonx_str(o, "flat");
	json_array_foreach(json_object_get(o, "files"), i, f) {
		s = jsonx_str(f, "path");
		nettrial_add_file(t, s != NULL ? s : "", "", "", "", "");
		free(s);
		free(t->files[i].staged);
		free(t->files[i].backup);
		t->files[i].staged = jsonx_str(f, "staged");
		t->files[i].backup = jsonx_str(f, "backup");
		if ((s = jsonx_str(f, "before_sha")) != NULL)
			snprintf(t->files[i].before_sha,
			    sizeof t->files[i].before_sha, "%s", s);
		free(s);
		if ((s = jsonx_str(f, "after_sha")) != NULL)
			snprintf(t->files[i].after_sha,
			    sizeof t->files[i].after_sha, "%s", s);
		free(s);
	}
	t->started = json_integer_value(json_object_get(o, "started"));
	t->deadline = json_integer_value(json_object_get(o, "deadline"));
	t->ended = json_integer_value(json_object_get(o, "ended"));
	t->guard = jsonx_str(o, "guard");
	t->bridge_existed = json_is_true(json_object_get(o,
	    "bridge_existed"));
	t->bridge_ifup = jsonx_str(o, "bridge_ifup");
	t->nic_ifup = jsonx_str(o, "nic_ifup");
	t->nic_addrs = jsonx_array_strv(json_object_get(o, "nic_addrs"));
	t->gateway_was = jsonx_str(o, "gateway_was");
	t->gateway_dev = jsonx_str(o, "gateway_dev");
	t->addr4 = jsonx_str(o, "addr4");
	t->addr_dev = jsonx_str(o, "addr_dev");
	t->vifs = jsonx_array_strv(json_object_get(o, "vifs"));
	t->ssh_client = jsonx_str(o, "ssh_client");
	t->ssh_server = jsonx_str(o, "ssh_server");
	t->result = jsonx_str(o, "result");
	json_decref(o);
	if (t->state == NULL || t->bridge == NULL || t->nic == NULL ||
	    t->interfaces == NULL) {
		*cause = xprintf("%s/state.json: incomplete", nettrial_dir());
		nettrial_free(t);
		return (-1);
	}
	return (0);
}

/* Whether a trial waits for confirmation (the bridge is up on trial). */
int
nettrial_pending(const struct nettrial *t)
{
	return (t->state != NULL && (strcmp(t->state, "trial") == 0 ||
	    strcmp(t->state, "arming") == 0 ||
	    strcmp(t->state, "starting") == 0));
}

/* The trial's lock (blocking); the fd, or -1 with *cause. */
static int
trial_lock(char **cause)
{
	char	*path;
	int	 fd;

	if (mkdir_p(nettrial_dir(), 0755, cause) != 0)
		return (-1);
	path = trial_path("lock");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			*cause = xprintf("lock %s: %s", nettrial_dir(),
			    strerror(errno));
			close(fd);
			return (-1);
		}
	}
	return (fd);
}

/* Whether systemd is PID 1 and its timers act in our network namespace. */
static int
systemd_usable(void)
{
	struct stat	 a, b;

	if (getenv("XENDECK_NO_SYSTEMD") != NULL)
		return (0);
	if (stat("/run/systemd/system", &a) != 0 || !S_ISDIR(a.st_mode))
		return (0);
	if (stat("/proc/1/ns/net", &a) != 0 ||
	    stat("/proc/self/ns/net", &b) != 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev)
		return (0);
	return (getenv("XENDECK_INTERFACES") == NULL &&
	    getenv("XENDECK_IFSTATE") == NULL);
}

static void
guard_on_term(int sig)
{
	(void)sig;
	guard_term = 1;
}

/*
 * The watchdog's life: nothing of the caller's open (so a pipe it was
 * started on sees EOF), stdout and stderr into trial.log, no terminal, no
 * SIGHUP; sleep until the deadline, a second at a time, leaving early when
 * the trial ends some other way; then roll back.
 */
static __dead void
guard_main(time_t deadline, const char *id)
{
	struct sigaction	 sa;
	struct nettrial		 t;
	char			*cause = NULL, *path;
	struct timespec		 ts = { 1, 0 };
	int			 fd, rc = 0;

	log_close();
	if (chdir("/") == -1)
		log_debug("nettrial: chdir /: %s", strerror(errno));
	umask(022);
	if ((fd = open("/dev/null", O_RDWR)) != -1 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	path = trial_path("trial.log");
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644)) != -1) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	free(path);
	if (close_range(3, ~0U, 0) != 0) {
		for (fd = 3; fd < 4096; fd++)
			close(fd);
	}
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = guard_on_term;
	sigaction(SIGTERM, &sa, NULL);
	{
		sigset_t	 none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	prctl(PR_SET_NAME, "xendeck-guard", 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	for (;;) {
		if (nettrial_load(&t, &cause) != 0) {
			free(cause);
			_exit(0);
		}
		if (!nettrial_pending(&t) || t.id == NULL ||
		    strcmp(t.id, id) != 0) {
			nettrial_free(&t);
			_exit(0);
		}
		nettrial_free(&t);
		if (guard_term || time(NULL) >= deadline)
			break;
		nanosleep(&ts, NULL);
	}
	if (nettrial_rollback(guard_term ? "the guard was stopped (SIGTERM) "
	    "before the change was confirmed" : "not confirmed in time",
	    NULL, &cause) != 0) {
		tlog(NULL, "rollback: %s", cause);
		free(cause);
		rc = 1;
	}
	_exit(rc);
}

/* Start the watchdog; t->guard says which process it is. */
static int
guard_watchdog(struct nettrial *t, char **cause)
{
	int		 pfd[2];
	pid_t		 pid, gpid = -1;
	ssize_t		 n;
	int		 status;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		*cause = xprintf("pipe: %s", strerror(errno));
		return (-1);
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return (-1);
	}
	if (pid == 0) {
		close(pfd[0]);
		setsid();
		if ((gpid = fork()) != 0) {
			/* The parent reads a short pid as a failed fork. */
			if (write(pfd[1], &gpid, sizeof gpid) != sizeof gpid)
				_exit(1);
			_exit(gpid == -1 ? 1 : 0);
		}
		close(pfd[1]);
		guard_main(t->deadline, t->id);
	}
	close(pfd[1]);
	do
		n = read(pfd[0], &gpid, sizeof gpid);
	while (n == -1 && errno == EINTR);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (n != sizeof gpid || gpid <= 0) {
		*cause = xstrdup("the rollback watchdog could not be started");
		return (-1);
	}
	free(t->guard);
	xasprintf(&t->guard, "watchdog %ld %llu", (long)gpid,
	    proc_start(gpid));
	return (0);
}

/* A transient systemd timer that runs `xendeck wizard bridge --rollback`. */
static int
guard_systemd(struct nettrial *t, const struct nettrial_io *io,
    char **cause)
{
	char		**argv = NULL, *unit, *s, exe[4096];
	ssize_t		  n;
	int		  rc;

	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0) {
		*cause = xprintf("/proc/self/exe: %s", strerror(errno));
		return (-1);
	}
	exe[n] = '\0';
	xasprintf(&unit, "xendeck-net-trial-%s", t->id);
	strv_push(&argv, "systemd-run");
	s = xprintf("--unit=%s", unit);
	strv_push(&argv, s);
	free(s);
	s = xprintf("--on-active=%lds", (long)(t->deadline - time(NULL)));
	strv_push(&argv, s);
	free(s);
	strv_push(&argv, "--timer-property=AccuracySec=1s");
	s = xprintf("--description=xendeck: roll back %s unless confirmed",
	    t->bridge);
	strv_push(&argv, s);
	free(s);
	if (getenv("XENDECK_RUNDIR") != NULL) {
		s = xprintf("--setenv=XENDECK_RUNDIR=%s",
		    getenv("XENDECK_RUNDIR"));
		strv_push(&argv, s);
		free(s);
	}
	strv_push(&argv, "--");
	strv_push(&argv, exe);
	strv_push(&argv, "wizard");
	strv_push(&argv, "bridge");
	strv_push(&argv, "--rollback");
	rc = trial_cmd(io, argv, TRIAL_CMD_MS, cause);
	strv_free(argv);
	if (rc == 0) {
		free(t->guard);
		xasprintf(&t->guard, "systemd %s", unit);
	}
	free(unit);
	return (rc);
}

/* Stop the guard (the trial has ended some other way). */
static void
guard_disarm(const struct nettrial *t, const struct nettrial_io *io)
{
	char			 kind[16], name[256];
	long			 pid;
	unsigned long long	 start;

	if (t->guard == NULL)
		return;
	if (sscanf(t->guard, "systemd %255s", name) == 1) {
		char	*timer = xprintf("%s.timer", name);
		char	*const argv[] = { "systemctl", "stop", timer, NULL };

		trial_cmd_log(io, argv, TRIAL_CMD_MS);
		free(timer);
		return;
	}
	if (sscanf(t->guard, "%15s %ld %llu", kind, &pid, &start) == 3 &&
	    strcmp(kind, "watchdog") == 0 && pid > 0 &&
	    (pid_t)pid != getpid() && proc_start(pid) == start)
		kill((pid_t)pid, SIGTERM);
}

/* Whether the guard of a pending trial still runs. */
int
nettrial_guard_alive(const struct nettrial *t)
{
	char			 kind[16], name[256];
	long			 pid;
	unsigned long long	 start;

	if (t->guard == NULL)
		return (0);
	if (sscanf(t->guard, "systemd %255s", name) == 1)
		return (1);	/* systemd keeps it */
	if (sscanf(t->guard, "%15s %ld %llu", kind, &pid, &start) == 3)
		return (pid > 0 && proc_start(pid) == start);
	return (0);
}

/* Put guests' vifs back on the bridge (ifdown detached them). */
static void
reattach_vifs(const struct nettrial *t, const struct nettrial_io *io)
{
	struct net_facts	 nf;
	const struct net_link	*l;
	char			*cause = NULL;
	size_t			 i;

	if (t->vifs == NULL || t->vifs[0] == NULL)
		return;
	if (net_facts_read(&nf, &cause) != 0) {
		tlog(io, "vifs: %s", cause);
		free(cause);
		return;
	}
	if (net_link_find(&nf, t->bridge) == NULL) {
		net_facts_free(&nf);
		return;
	}
	for (i = 0; t->vifs[i] != NULL; i++) {
		if ((l = net_link_find(&nf, t->vifs[i])) == NULL) {
			tlog(io, "%s is gone (its guest stopped)", t->vifs[i]);
			continue;
		}
		if (strcmp(l->master, t->bridge) == 0)
			continue;
		{
			char *const set[] = { "ip", "link", "set", "dev",
			    t->vifs[i], "master", t->bridge, NULL };
			char *const up[] = { "ip", "link", "set", "dev",
			    t->vifs[i], "up", NULL };

			if (trial_cmd_log(io, set, TRIAL_CMD_MS) == 0 &&
			    trial_cmd_log(io, up, TRIAL_CMD_MS) == 0)
				tlog(io, "%s is back on %s", t->vifs[i],
				    t->bridge);
		}
	}
	net_facts_free(&nf);
}

/* The first global IPv4 address of a link now, or NULL. */
static char *
addr4_now(const char *dev)
{
	struct net_facts	 nf;
	char			*cause = NULL, *out = NULL;
	size_t			 i;

	if (net_facts_read(&nf, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	for (i = 0; i < nf.naddrs; i++) {
		if (strcmp(nf.addrs[i].ifname, dev) == 0 &&
		    nf.addrs[i].family == 4 &&
		    strcmp(nf.addrs[i].scope, "global") == 0) {
			out = xstrdup(nf.addrs[i].cidr);
			break;
		}
	}
	net_facts_free(&nf);
	return (out);
}

/* Whether a link exists now. */
static int
link_exists(const char *dev)
{
	char		*path;
	struct stat	 sb;
	int		 rc;

	xasprintf(&path, "/sys/class/net/%s", dev);
	rc = lstat(path, &sb) == 0;
	free(path);
	return (rc);
}

/*
 * Back to the old network, with the trial's lock held. Every part is
 * tried even when one fails; the result says what did not come back.
 */
static int
rollback_locked(struct nettrial *t, const char *why,
    const struct nettrial_io *io, char **cause)
{
	char	**argv, *now = NULL, *err = NULL, *where;
	size_t	  i;
	int	  rc = 0;

	free(t->state);
	t->state = xstrdup("rolling-back");
	if (trial_save(t, &err) != 0) {
		tlog(io, "%s", err);
		free(err);
		err = NULL;
	}
	tlog(io, "rolling back %s on %s: %s", t->bridge, t->nic, why);

	/*
	 * The bridge down, under the configuration that brought it up;
	 * --force, since a trial stopped halfway (SIGKILL during ifup) may
	 * have left a DHCP client on it without ifupdown's record of it.
	 */
	if (link_exists(t->bridge) &&
	    (!t->bridge_existed || t->bridge_ifup != NULL ||
	    (now = ifupdown_state_of(t, t->bridge)) != NULL)) {
		argv = ifupdown_argv(t, "ifdown", t->flat != NULL &&
		    access(t->flat, R_OK) == 0 ? t->flat : t->interfaces,
		    "--force", t->bridge);
		trial_cmd_log(io, argv, TRIAL_IFDOWN_MS);
		strv_free(argv);
		free(now);
		now = NULL;
	}
	if (!t->bridge_existed && link_exists(t->bridge)) {
		char *const del[] = { "ip", "link", "del", "dev", t->bridge,
		    NULL };

		trial_cmd_log(io, del, TRIAL_CMD_MS);
	}

	/* The old network back, under the old configuration. */
	if (t->bridge_ifup != NULL) {
		argv = ifupdown_argv(t, "ifup", t->interfaces, NULL,
		    t->bridge);
		if (trial_cmd_log(io, argv, TRIAL_IFUP_MS) != 0)
			rc = -1;
		strv_free(argv);
	} else if (t->bridge_existed && !link_exists(t->bridge)) {
		char *const add[] = { "ip", "link", "add", "name", t->bridge,
		    "type", "bridge", NULL };
		char *const up[] = { "ip", "link", "set", "dev", t->bridge,
		    "up", NULL };

		if (trial_cmd_log(io, add, TRIAL_CMD_MS) != 0 ||
		    trial_cmd_log(io, up, TRIAL_CMD_MS) != 0)
			rc = -1;
	}
	if (t->nic_ifup != NULL) {
		char	*spec = xprintf("%s=%s", t->nic, t->nic_ifup);

		/* Recorded up but without its address: ifdown cut short. */
		if ((now = ifupdown_state_of(t, t->nic)) != NULL) {
			free(now);
			if ((now = addr4_now(t->nic)) == NULL) {
				argv = ifupdown_argv(t, "ifdown",
				    t->interfaces, "--force", spec);
				trial_cmd_log(io, argv, TRIAL_IFDOWN_MS);
				strv_free(argv);
			}
			free(now);
		}
		argv = ifupdown_argv(t, "ifup", t->interfaces, NULL, spec);
		if (trial_cmd_log(io, argv, TRIAL_IFUP_MS) != 0)
			rc = -1;
		strv_free(argv);
		free(spec);
	} else if (t->nic_addrs != NULL && t->nic_addrs[0] != NULL) {
		/* Set by hand (or by something else): as they were. */
		char *const up[] = { "ip", "link", "set", "dev", t->nic, "up",
		    NULL };

		trial_cmd_log(io, up, TRIAL_CMD_MS);
		for (i = 0; t->nic_addrs[i] != NULL; i++) {
			char *const add[] = { "ip", "addr", "replace",
			    t->nic_addrs[i], "dev", t->nic, NULL };

			if (trial_cmd_log(io, add, TRIAL_CMD_MS) != 0)
				rc = -1;
		}
		if (t->gateway_was != NULL && t->gateway_dev != NULL &&
		    strcmp(t->gateway_dev, t->nic) == 0) {
			char *const route[] = { "ip", "route", "replace",
			    "default", "via", t->gateway_was, "dev", t->nic,
			    NULL };

			if (trial_cmd_log(io, route, TRIAL_CMD_MS) != 0)
				rc = -1;
		}
	}
	reattach_vifs(t, io);

	/* The staged files go: a later run stages afresh. */
	for (i = 0; i < t->nfiles; i++) {
		if (t->files[i].staged != NULL && *t->files[i].staged != '\0' &&
		    unlink(t->files[i].staged) == 0)
			tlog(io, "removed %s", t->files[i].staged);
	}
	if (t->flat != NULL)
		(void)unlink(t->flat);

	/* What came back. */
	where = NULL;
	if (t->addr4 != NULL) {
		now = addr4_now(t->addr_dev);
		if (now == NULL || strcmp(now, t->addr4) != 0) {
			xasprintf(&where, "%s has %s, not %s as before",
			    t->addr_dev, now != NULL ? now :
			    "no IPv4 address", t->addr4);
			rc = -1;
		}
		free(now);
	}
	free(t->state);
	t->state = xstrdup("rolled-back");
	t->ended = time(NULL);
	free(t->result);
	if (rc != 0)
		t->result = xprintf("rolled back (%s), but not all of the old "
		    "network came back%s%s; see %s/trial.log", why,
		    where != NULL ? ": " : "", where != NULL ? where : "",
		    nettrial_dir());
	else if (t->addr4 != NULL)
		t->result = xprintf("rolled back (%s): the old network is "
		    "back (%s has %s)", why, t->addr_dev, t->addr4);
	else
		t->result = xprintf("rolled back (%s): the old network is "
		    "back", why);
	tlog(io, "%s", t->result);
	if (trial_save(t, &err) != 0) {
		tlog(io, "%s", err);
		free(err);
	}
	guard_disarm(t, io);
	if (rc != 0)
		*cause = xstrdup(t->result);
	free(where);
	return (rc);
}

/* Roll the pending trial back now (the guard at the deadline, --rollback). */
int
nettrial_rollback(const char *why, const struct nettrial_io *io,
    char **cause)
{
	struct nettrial	 t;
	int		 fd, rc = -1;

	if ((fd = trial_lock(cause)) == -1)
		return (-1);
	if (nettrial_load(&t, cause) != 0)
		goto out;
	if (!nettrial_pending(&t) && strcmp(t.state, "rolling-back") != 0) {
		*cause = xprintf("nothing to roll back: the change of %s was "
		    "%s", t.bridge, t.result != NULL ? t.result : t.state);
		nettrial_free(&t);
		goto out;
	}
	rc = rollback_locked(&t, why, io, cause);
	nettrial_free(&t);
out:
	close(fd);
	return (rc);
}

/* sha256 of a file's content; -1 with *cause if unreadable. */
static int
file_sha(const char *path, char sha[65], char **cause)
{
	char	*buf;
	size_t	 len;

	if (file_read(path, &buf, &len, cause) != 0)
		return (-1);
	sha256_hex(buf, len, sha);
	free(buf);
	return (0);
}

/* Copy a file atomically (across filesystems, where rename cannot). */
static int
copy_file(const char *from, const char *to, char **cause)
{
	char		*buf;
	size_t		 len;
	struct stat	 sb;
	int		 rc;

	if (file_read(from, &buf, &len, cause) != 0)
		return (-1);
	rc = file_write_atomic(to, buf, len, stat(from, &sb) == 0 ?
	    sb.st_mode & 07777 : 0644, 0, cause);
	free(buf);
	return (rc);
}

/*
 * The DHCP server that gave a link its lease (isc-dhcp-client's lease
 * file, as ifupdown names it), or NULL.
 */
static char *
dhcp_server(const char *dev)
{
	char		*path, *buf = NULL, *cause = NULL, *p, *last = NULL;
	size_t		 len;
	const char	*key = "option dhcp-server-identifier ";

	xasprintf(&path, "/var/lib/dhcp/dhclient.%s.leases", dev);
	if (file_read(path, &buf, &len, &cause) != 0) {
		free(cause);
		free(path);
		return (NULL);
	}
	free(path);
	for (p = buf; (p = strstr(p, key)) != NULL; p += strlen(key))
		last = p + strlen(key);
	if (last != NULL) {
		last = xstrndup(last, strcspn(last, "; \n"));
		if (!net_parse_ipv4(last, NULL)) {
			free(last);
			last = NULL;
		}
	}
	free(buf);
	return (last);
}

/* Verify the bridge: port, address, default route, gateway, SSH route. */
static int
verify(struct nettrial *t, const struct nettrial_io *io, char **cause)
{
	struct net_facts	 nf;
	const struct net_link	*nic;
	const struct net_route	*def;
	char			*addr = NULL, *gw = NULL, *dev = NULL;
	char			*via = NULL, *err = NULL, *ip;
	uint32_t		 a;
	int			 prefix, tries, rc = -1;

	memset(&nf, 0, sizeof nf);
	/* An address may take a moment after ifup (static: none). */
	for (tries = 0; tries < 20; tries++) {
		if ((addr = addr4_now(t->bridge)) != NULL)
			break;
		usleep(250000);
	}
	if (net_facts_read(&nf, cause) != 0)
		goto out;
	if ((nic = net_link_find(&nf, t->nic)) == NULL ||
	    strcmp(nic->master, t->bridge) != 0) {
		*cause = xprintf("%s is not a port of %s", t->nic, t->bridge);
		goto out;
	}
	if (addr == NULL) {
		*cause = xprintf("%s has no IPv4 address%s", t->bridge,
		    strcmp(t->mode, "dhcp") == 0 ? " (no DHCP lease)" : "");
		goto out;
	}
	if (strcmp(t->mode, "static") == 0 && t->address != NULL &&
	    strcmp(addr, t->address) != 0) {
		*cause = xprintf("%s has %s, not %s", t->bridge, addr,
		    t->address);
		goto out;
	}
	if (t->addr4 != NULL && strcmp(addr, t->addr4) != 0) {
		ip = xstrndup(t->addr4, strcspn(t->addr4, "/"));
		if (t->ssh_server != NULL && strcmp(ip, t->ssh_server) == 0) {
			*cause = xprintf("%s has %s, not %s: the SSH session "
			    "to %s would be cut", t->bridge, addr, t->addr4,
			    ip);
			free(ip);
			goto out;
		}
		free(ip);
		tlog(io, "note: %s has %s; %s had %s", t->bridge, addr,
		    t->addr_dev, t->addr4);
	}
	tlog(io, "ok: %s has %s, with %s as its port", t->bridge, addr,
	    t->nic);

	/* The default route, when one is expected. */
	def = net_default_route(&nf, 4);
	if (t->gateway != NULL && *t->gateway != '\0')
		gw = xstrdup(t->gateway);
	else if (def != NULL && def->gateway != NULL && def->dev != NULL &&
	    strcmp(def->dev, t->bridge) == 0)
		gw = xstrdup(def->gateway);
	if ((t->gateway_was != NULL || (t->gateway != NULL &&
	    *t->gateway != '\0')) && (def == NULL || def->dev == NULL ||
	    strcmp(def->dev, t->bridge) != 0)) {
		if (def == NULL)
			*cause = xprintf("there is no default route (%s had "
			    "one)", t->nic);
		else
			*cause = xprintf("the default route goes %s%s%s, not "
			    "through %s", def->dev != NULL ? def->dev : "?",
			    def->gateway != NULL ? " via " : "",
			    def->gateway != NULL ? def->gateway : "",
			    t->bridge);
		goto out;
	}
	if (def != NULL && def->dev != NULL &&
	    strcmp(def->dev, t->bridge) == 0)
		tlog(io, "ok: the default route is via %s on %s",
		    def->gateway != NULL ? def->gateway : "(on-link)",
		    t->bridge);

	/*
	 * The gateway answers (a fresh bridge may drop the first ARP). A
	 * network without one (QEMU's restricted user network) has its DHCP
	 * server at least.
	 */
	if (gw == NULL && strcmp(t->mode, "dhcp") == 0 &&
	    (gw = dhcp_server(t->bridge)) != NULL)
		tlog(io, "no default route: checking the DHCP server %s "
		    "instead", gw);
	if (gw != NULL) {
		char *const ping[] = { "ping", "-n", "-c", "1", "-W", "2",
		    "-I", t->bridge, gw, NULL };

		for (tries = 0; tries < 3; tries++) {
			free(err);
			err = NULL;
			if (trial_cmd(io, ping, TRIAL_CMD_MS, &err) == 0)
				break;
		}
		if (tries == 3) {
			*cause = xprintf("the gateway %s does not answer on "
			    "%s (%s)", gw, t->bridge, err);
			goto out;
		}
		tlog(io, "ok: %s %s answers", def != NULL &&
		    def->gateway != NULL && strcmp(def->gateway, gw) == 0 ?
		    "the gateway" : t->gateway != NULL ? "the gateway" :
		    "the DHCP server", gw);
	} else
		tlog(io, "no gateway to check: %s has no default route",
		    t->bridge);

	/* The operator's SSH session still has its way back. */
	if (t->ssh_client != NULL && t->ssh_server != NULL &&
	    net_parse_ipv4(t->ssh_client, &a) && net_parse_cidr(addr, &a,
	    &prefix)) {
		free(err);
		err = NULL;
		if (net_route_get(t->ssh_client, t->ssh_server, &dev, &via,
		    &err) != 0) {
			*cause = xprintf("no route back to the SSH client %s "
			    "from %s: %s", t->ssh_client, t->ssh_server, err);
			goto out;
		}
		tlog(io, "ok: the SSH session (%s) goes %s%s%s", t->ssh_client,
		    dev, via != NULL ? " via " : "", via != NULL ? via : "");
	}
	rc = 0;
out:
	net_facts_free(&nf);
	free(addr);
	free(gw);
	free(dev);
	free(via);
	free(err);
	return (rc);
}

/*
 * Start the trial t describes (nic, bridge, mode, address, gateway,
 * timeout, interfaces, ifstate, flat, files). Returns 0 with the bridge up
 * and verified and the guard armed; -1 with *cause otherwise, and then
 * nothing is left changed (a failure after arming was rolled back).
 */
int
nettrial_start(struct nettrial *t, const struct nettrial_io *io,
    char **cause)
{
	struct nettrial		 old;
	struct net_facts	 nf;
	const struct net_route	*def;
	const struct net_addr	*a4;
	char			**argv, *err = NULL, sha[65], stamp[32];
	size_t			 i;
	time_t			 now;
	struct tm		 tm;
	int			 fd, rc = -1, armed = 0;

	memset(&nf, 0, sizeof nf);
	if ((fd = trial_lock(cause)) == -1)
		return (-1);
	{
		char	*p = trial_path("trial.log");

		(void)unlink(p);
		free(p);
	}
	/* One network change at a time. */
	if (nettrial_load(&old, &err) == 0) {
		if (nettrial_pending(&old) && nettrial_guard_alive(&old)) {
			*cause = xprintf("a change of %s is already on trial "
			    "(%ld s left): confirm it (xendeck wizard bridge "
			    "--confirm) or roll it back (--rollback) first",
			    old.bridge, (long)(old.deadline - time(NULL)));
			nettrial_free(&old);
			goto out;
		}
		if (nettrial_pending(&old)) {
			tlog(io, "an earlier trial of %s lost its guard",
			    old.bridge);
			if (rollback_locked(&old, "its guard is gone", io,
			    &err) != 0) {
				*cause = err;
				err = NULL;
				nettrial_free(&old);
				goto out;
			}
		}
		nettrial_free(&old);
	} else {
		free(err);
		err = NULL;
	}
	/* The staged files must be what the plan staged. */
	for (i = 0; i < t->nfiles; i++) {
		if (file_sha(t->files[i].staged, sha, cause) != 0)
			goto out;
		if (strcmp(sha, t->files[i].after_sha) != 0) {
			*cause = xprintf("%s is not the staged edit of %s "
			    "(changed since the plan was made): run the "
			    "wizard again", t->files[i].staged,
			    t->files[i].path);
			goto out;
		}
		if (file_sha(t->files[i].path, sha, cause) != 0)
			goto out;
		if (strcmp(sha, t->files[i].before_sha) != 0) {
			*cause = xprintf("%s changed since the plan was made: "
			    "run the wizard again", t->files[i].path);
			goto out;
		}
	}

	/* How things are now: what the rollback brings back. */
	if (net_facts_read(&nf, cause) != 0)
		goto out;
	if (net_link_find(&nf, t->nic) == NULL) {
		*cause = xprintf("%s: no such network interface", t->nic);
		goto out;
	}
	t->bridge_existed = net_link_find(&nf, t->bridge) != NULL;
	t->vifs = xcalloc(1, sizeof *t->vifs);
	for (i = 0; i < nf.nlinks; i++) {
		if (strcmp(nf.links[i].master, t->bridge) == 0 &&
		    net_is_vif(nf.links[i].name))
			strv_push(&t->vifs, nf.links[i].name);
	}
	t->nic_addrs = xcalloc(1, sizeof *t->nic_addrs);
	for (i = 0; i < nf.naddrs; i++) {
		if (strcmp(nf.addrs[i].ifname, t->nic) == 0 &&
		    strcmp(nf.addrs[i].scope, "global") == 0)
			strv_push(&t->nic_addrs, nf.addrs[i].cidr);
	}
	/* The address and route now: the NIC's, or the bridge's (again). */
	for (i = 0; i < 2 && t->addr4 == NULL; i++) {
		const char *dev = i == 0 ? t->nic : t->bridge;

		if ((a4 = net_link_addr4(&nf, dev)) != NULL &&
		    strcmp(a4->scope, "global") == 0) {
			t->addr4 = xstrdup(a4->cidr);
			t->addr_dev = xstrdup(dev);
		}
	}
	if ((def = net_default_route(&nf, 4)) != NULL && def->dev != NULL &&
	    def->gateway != NULL && (strcmp(def->dev, t->nic) == 0 ||
	    strcmp(def->dev, t->bridge) == 0)) {
		t->gateway_was = xstrdup(def->gateway);
		t->gateway_dev = xstrdup(def->dev);
	}
	if (nf.ssh_client != NULL && nf.ssh_dev != NULL &&
	    (strcmp(nf.ssh_dev, t->nic) == 0 ||
	    strcmp(nf.ssh_dev, t->bridge) == 0)) {
		t->ssh_client = xstrdup(nf.ssh_client);
		t->ssh_server = xstrdup(nf.ssh_server);
	}
	t->nic_ifup = ifupdown_state_of(t, t->nic);
	t->bridge_ifup = ifupdown_state_of(t, t->bridge);

	/* Saved, then the guard armed: before anything changes. */
	now = time(NULL);
	free(t->id);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	xasprintf(&t->id, "%s-%ld", stamp, (long)getpid());
	t->started = now;
	t->deadline = now + t->timeout;
	free(t->state);
	t->state = xstrdup("arming");
	free(t->result);
	t->result = NULL;
	if (trial_save(t, cause) != 0)
		goto out;
	tlog(io, "trial %s: %s on %s (%s), %d s to confirm", t->id,
	    t->bridge, t->nic, t->mode, t->timeout);
	tlog(io, "before: %s%s%s%s%s%s; ifupdown: %s %s, %s %s; %zu vif(s) "
	    "on %s", t->addr4 != NULL ? t->addr_dev : "no IPv4 address on ",
	    t->addr4 != NULL ? " has " : t->nic,
	    t->addr4 != NULL ? t->addr4 : "",
	    t->gateway_was != NULL ? ", default via " : "",
	    t->gateway_was != NULL ? t->gateway_was : "",
	    t->gateway_was != NULL ? "" : ", no default route through it",
	    t->nic, t->nic_ifup != NULL ? "up" : "not up", t->bridge,
	    t->bridge_ifup != NULL ? "up" : t->bridge_existed ?
	    "exists (not ifupdown's)" : "absent", strv_len(t->vifs),
	    t->bridge);
	if (systemd_usable()) {
		if (guard_systemd(t, io, cause) != 0)
			goto out;
	} else if (guard_watchdog(t, cause) != 0)
		goto out;
	armed = 1;
	free(t->state);
	t->state = xstrdup("trial");
	if (trial_save(t, cause) != 0)
		goto fail;
	localtime_r(&t->deadline, &tm);
	strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
	tlog(io, "rollback armed (%s): the old network comes back at %s "
	    "unless confirmed", t->guard, stamp);

	/* A lost session must not stop us halfway: the guard has it. */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	/* The old network down, the bridge up. */
	if (t->bridge_ifup != NULL) {
		argv = ifupdown_argv(t, "ifdown", t->interfaces, NULL,
		    t->bridge);
		rc = trial_cmd(io, argv, TRIAL_IFDOWN_MS, cause);
		strv_free(argv);
		if (rc != 0)
			goto fail;
	}
	if (t->nic_ifup != NULL) {
		argv = ifupdown_argv(t, "ifdown", t->interfaces, NULL, t->nic);
		rc = trial_cmd(io, argv, TRIAL_IFDOWN_MS, cause);
		strv_free(argv);
		if (rc != 0)
			goto fail;
	} else if (t->nic_addrs[0] != NULL) {
		char *const flush[] = { "ip", "addr", "flush", "dev", t->nic,
		    "scope", "global", NULL };

		tlog(io, "%s's addresses were not set by ifupdown: they go "
		    "now and come back on a rollback", t->nic);
		if ((rc = trial_cmd(io, flush, TRIAL_CMD_MS, cause)) != 0)
			goto fail;
	}
	argv = ifupdown_argv(t, "ifup", t->flat, NULL, t->bridge);
	rc = trial_cmd(io, argv, TRIAL_IFUP_MS, cause);
	strv_free(argv);
	if (rc != 0)
		goto fail;
	reattach_vifs(t, io);
	if ((rc = verify(t, io, cause)) != 0)
		goto fail;
	tlog(io, "%s is up on trial: confirm by %s (xendeck wizard bridge "
	    "--confirm, from a new connection), or it rolls back", t->bridge,
	    stamp);
	rc = 0;
	goto out;
fail:
	rc = -1;
	tlog(io, "failed: %s", *cause);
	if (armed) {
		char	*why = xprintf("the trial failed: %s", *cause);

		if (rollback_locked(t, why, io, &err) != 0) {
			free(*cause);
			*cause = xprintf("%s; and the rollback: %s", why, err);
			free(err);
			err = NULL;
		} else {
			free(*cause);
			*cause = xprintf("%s; rolled back: the old network is "
			    "back", why);
		}
		free(why);
	}
out:
	net_facts_free(&nf);
	free(err);
	close(fd);
	return (rc);
}

/*
 * Keep the pending change: every staged file replaces its real one (the
 * old content linked to its backup first), then the guard is disarmed.
 */
int
nettrial_confirm(const struct nettrial_io *io, char **cause)
{
	struct nettrial	 t;
	char		 sha[65], *dir, *written = NULL, *next;
	size_t		 i;
	int		 fd, rc = -1, dfd;

	if ((fd = trial_lock(cause)) == -1)
		return (-1);
	if (nettrial_load(&t, cause) != 0)
		goto out;
	if (!nettrial_pending(&t)) {
		*cause = xprintf("nothing to confirm: the change of %s was %s",
		    t.bridge, t.result != NULL ? t.result : t.state);
		goto out;
	}
	if (strcmp(t.state, "trial") != 0) {
		*cause = xprintf("the change of %s is still starting; try "
		    "again in a moment", t.bridge);
		goto out;
	}
	if (time(NULL) > t.deadline) {
		*cause = xprintf("too late: the deadline passed %ld s ago; "
		    "rolling back", (long)(time(NULL) - t.deadline));
		if (rollback_locked(&t, "not confirmed in time", io,
		    &written) != 0) {
			next = xprintf("%s (%s)", *cause, written);
			free(*cause);
			*cause = next;
		}
		free(written);
		written = NULL;
		goto out;
	}
	for (i = 0; i < t.nfiles; i++) {
		if (file_sha(t.files[i].path, sha, cause) != 0)
			goto out;
		if (strcmp(sha, t.files[i].before_sha) != 0) {
			*cause = xprintf("%s changed during the trial: not "
			    "overwriting it (the new version is %s); the "
			    "change stays on trial", t.files[i].path,
			    t.files[i].staged);
			goto out;
		}
		if (file_sha(t.files[i].staged, sha, cause) != 0)
			goto out;
		if (strcmp(sha, t.files[i].after_sha) != 0) {
			*cause = xprintf("%s is not what was staged: not "
			    "installing it; the change stays on trial",
			    t.files[i].staged);
			goto out;
		}
	}
	for (i = 0; i < t.nfiles; i++) {
		const struct nettrial_file *f = &t.files[i];

		dir = xstrdup(f->backup);
		*strrchr(dir, '/') = '\0';
		if (mkdir_p(dir, 0755, cause) != 0) {
			free(dir);
			goto out;
		}
		free(dir);
		(void)unlink(f->backup);
		if (link(f->path, f->backup) != 0 &&
		    (errno != EXDEV || copy_file(f->path, f->backup,
		    cause) != 0)) {
			if (*cause == NULL)
				*cause = xprintf("backup %s: %s", f->backup,
				    strerror(errno));
			goto out;
		}
		if (rename(f->staged, f->path) != 0 &&
		    (errno != EXDEV || copy_file(f->staged, f->path,
		    cause) != 0)) {
			if (*cause == NULL)
				*cause = xprintf("rename %s to %s: %s",
				    f->staged, f->path, strerror(errno));
			goto out;
		}
		(void)unlink(f->staged);
		dir = xstrdup(f->path);
		*strrchr(dir, '/') = '\0';
		if ((dfd = open(*dir != '\0' ? dir : "/", O_RDONLY |
		    O_DIRECTORY | O_CLOEXEC)) != -1) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
		tlog(io, "%s written (the old one is %s)", f->path, f->backup);
		xasprintf(&next, "%s%s%s (old: %s)", written != NULL ? written :
		    "", written != NULL ? ", " : "", f->path, f->backup);
		free(written);
		written = next;
	}
	if (t.flat != NULL)
		(void)unlink(t.flat);
	free(t.state);
	t.state = xstrdup("confirmed");
	t.ended = time(NULL);
	free(t.result);
	t.result = xprintf("confirmed: %s stays; %s", t.bridge,
	    written != NULL ? written : "no file changed");
	if (trial_save(&t, cause) != 0)
		goto out;
	guard_disarm(&t, io);
	tlog(io, "%s", t.result);
	rc = 0;
out:
	nettrial_free(&t);
	free(written);
	close(fd);
	return (rc);
}
