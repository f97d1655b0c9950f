/*
 * The qemu backend: each domain is a QEMU process, started and watched by a
 * detached supervisor (supervisor.c), found by clients through its runtime
 * dir (see backend-qemu.h for the layout and the domain lock). Creating a
 * domain takes the rundir lock only to claim the name (taking the domain
 * lock) and a domid; everything after that happens in the domain's own
 * dir, and a failure removes it again.
 *
 * Commands go over the domain's command monitor (qmp.sock); its state comes
 * from the supervisor, which follows QEMU's events and writes DIR/state.
 */
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/sockios.h>

#include <jansson.h>

#include "backend-qemu.h"

#define QMP_TIMEOUT_MS	5000

/* The domains' runtime dirs are in xendeck's own (util.c). */
const char *
qemu_rundir(void)
{
	return (xendeck_rundir());
}

const char *
qemu_logdir(void)
{
	const char	*s = getenv("XENDECK_LOGDIR");

	return (s != NULL && *s != '\0' ? s : "/var/log/xendeck");
}

/* The QEMU binary: $XENDECK_QEMU or qemu-system-x86_64 on the PATH. */
char *
qemu_binary(char **cause)
{
	const char	*env = getenv("XENDECK_QEMU");
	char		*path;

	if (env != NULL && *env != '\0') {
		if (access(env, X_OK) != 0) {
			*cause = xprintf("QEMU is not installed: %s: %s", env,
			    strerror(errno));
			return (NULL);
		}
		return (xstrdup(env));
	}
	if ((path = spawn_which("qemu-system-x86_64")) == NULL)
		*cause = xstrdup("QEMU is not installed: qemu-system-x86_64 "
		    "not found (apt-get install qemu-system-x86)");
	return (path);
}

/* "kvm" when /dev/kvm is usable, else "tcg"; $XENDECK_ACCEL overrides. */
const char *
qemu_accel(void)
{
	static const char	*accel;
	const char		*env = getenv("XENDECK_ACCEL");
	char			*why = NULL;

	if (env != NULL && (strcmp(env, "kvm") == 0 ||
	    strcmp(env, "tcg") == 0))
		return (env);
	if (accel == NULL) {
		if (host_kvm_usable(&why) == 0)
			accel = "kvm";
		else {
			log_debug("%s: %s: using TCG", __func__, why);
			free(why);
			accel = "tcg";
		}
	}
	return (accel);
}

char *
qemu_dom_path(const struct qemu_dom *dom, const char *file)
{
	return (xprintf("%s/%s", dom->dir, file));
}

/* A domain record with nothing in it but its name and runtime dir. */
struct qemu_dom *
qemu_dom_new(const char *name)
{
	struct qemu_dom	*dom;

	dom = xcalloc(1, sizeof *dom);
	dom->name = xstrdup(name);
	xasprintf(&dom->dir, "%s/%s", qemu_rundir(), name);
	dom->lock_fd = -1;
	return (dom);
}

void
qemu_dom_free(struct qemu_dom *dom)
{
	if (dom == NULL)
		return;
	if (dom->lock_fd != -1)
		close(dom->lock_fd);
	free(dom->name);
	free(dom->dir);
	free(dom->uuid);
	strv_free(dom->argv);
	strv_free(dom->taps);
	strv_free(dom->bridges);
	strv_free(dom->vbds);
	strv_free(dom->drives);
	free(dom->vnc_unix);
	free(dom->vnc_host);
	free(dom->vncpasswd);
	free(dom->log);
	free(dom->console_log);
	free(dom->qemu_log);
	free(dom->tids);
	free(dom);
}

/* Write DIR/domain.json. */
int
qemu_dom_save(const struct qemu_dom *dom, char **cause)
{
	json_t	*o;
	char	*text, *path;
	int	 rc;

	o = json_pack("{s:s, s:i, s:s, s:i, s:I, s:I, s:i, s:i, s:i, s:i, "
	    "s:i, s:b, s:b}",
	    "name", dom->name, "domid", dom->domid, "uuid", dom->uuid,
	    "type", (int)dom->type, "memory", (json_int_t)dom->memory,
	    "maxmem", (json_int_t)dom->maxmem, "vcpus", dom->vcpus,
	    "maxvcpus", dom->maxvcpus, "on_poweroff", (int)dom->on_poweroff,
	    "on_reboot", (int)dom->on_reboot, "on_crash", (int)dom->on_crash,
	    "vnc", dom->vnc, "start_paused", dom->start_paused);
	json_object_set_new(o, "argv", jsonx_strv_array(dom->argv));
	json_object_set_new(o, "taps", jsonx_strv_array(dom->taps));
	json_object_set_new(o, "bridges", jsonx_strv_array(dom->bridges));
	json_object_set_new(o, "vbds", jsonx_strv_array(dom->vbds));
	json_object_set_new(o, "drives", jsonx_strv_array(dom->drives));
	if (dom->vnc_unix != NULL)
		json_object_set_new(o, "vnc_unix", json_string(dom->vnc_unix));
	if (dom->vnc_host != NULL)
		json_object_set_new(o, "vnc_host", json_string(dom->vnc_host));
	if (dom->vncpasswd != NULL)
		json_object_set_new(o, "vncpasswd",
		    json_string(dom->vncpasswd));
	json_object_set_new(o, "log", json_string(dom->log));
	json_object_set_new(o, "console_log", json_string(dom->console_log));
	json_object_set_new(o, "qemu_log", json_string(dom->qemu_log));
	text = json_dumps(o, JSON_INDENT(1));
	json_decref(o);
	path = qemu_dom_path(dom, "domain.json");
	rc = file_write_atomic(path, text, strlen(text), 0600, 0, cause);
	free(path);
	free(text);
	return (rc);
}

/* The pid DIR/FILE holds, 0 if none. */
static pid_t
pid_file_value(const char *dir, const char *file)
{
	char	*path, *buf = NULL, *cause = NULL;
	long	 pid;

	xasprintf(&path, "%s/%s", dir, file);
	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		free(path);
		return (0);
	}
	free(path);
	pid = strtol(buf, NULL, 10);
	free(buf);
	return (pid > 1 && pid <= INT_MAX ? (pid_t)pid : 0);
}

/* A pid from DIR/FILE, 0 if none or not running. */
pid_t
qemu_pid_file(const char *dir, const char *file)
{
	pid_t	 pid = pid_file_value(dir, file);

	/* A zombie is dead too: an orphan's reaper may take its time. */
	if (pid == 0 || (kill(pid, 0) != 0 && errno != EPERM) ||
	    proc_start(pid) == 0)
		return (0);
	return (pid);
}

/* The domain a runtime dir describes, or NULL. */
struct qemu_dom *
qemu_dom_read(const char *dir)
{
	struct qemu_dom	*dom;
	json_t		*o;
	json_error_t	 jerr;
	char		*path;
	const char	*base;

	xasprintf(&path, "%s/domain.json", dir);
	o = json_load_file(path, 0, &jerr);
	free(path);
	if (o == NULL)
		return (NULL);
	dom = xcalloc(1, sizeof *dom);
	dom->lock_fd = -1;
	dom->dir = xstrdup(dir);
	dom->name = jsonx_str(o, "name");
	dom->domid = json_integer_value(json_object_get(o, "domid"));
	dom->uuid = jsonx_str(o, "uuid");
	dom->type = json_integer_value(json_object_get(o, "type"));
	dom->memory = json_integer_value(json_object_get(o, "memory"));
	dom->maxmem = json_integer_value(json_object_get(o, "maxmem"));
	dom->vcpus = json_integer_value(json_object_get(o, "vcpus"));
	dom->maxvcpus = json_integer_value(json_object_get(o, "maxvcpus"));
	dom->on_poweroff = json_integer_value(json_object_get(o,
	    "on_poweroff"));
	dom->on_reboot = json_integer_value(json_object_get(o, "on_reboot"));
	dom->on_crash = json_integer_value(json_object_get(o, "on_crash"));
	dom->vnc = json_is_true(json_object_get(o, "vnc"));
	dom->start_paused = json_is_true(json_object_get(o, "start_paused"));
	dom->argv = jsonx_array_strv(json_object_get(o, "argv"));
	dom->taps = jsonx_array_strv(json_object_get(o, "taps"));
	dom->bridges = jsonx_array_strv(json_object_get(o, "bridges"));
	dom->vbds = jsonx_array_strv(json_object_get(o, "vbds"));
	dom->drives = jsonx_array_strv(json_object_get(o, "drives"));
	dom->vnc_unix = jsonx_str(o, "vnc_unix");
	dom->vnc_host = jsonx_str(o, "vnc_host");
	dom->vncpasswd = jsonx_str(o, "vncpasswd");
	dom->log = jsonx_str(o, "log");
	dom->console_log = jsonx_str(o, "console_log");
	dom->qemu_log = jsonx_str(o, "qemu_log");
	json_decref(o);
	/* The record must be of the dir it is in. */
	base = strrchr(dir, '/');
	if (dom->name == NULL || dom->uuid == NULL || !valid_name(dom->name) ||
	    strcmp(base != NULL ? base + 1 : dir, dom->name) != 0) {
		qemu_dom_free(dom);
		return (NULL);
	}
	qemu_dom_refresh(dom);
	return (dom);
}

/* Open DIR/lock (made with create); -1 with *cause (cause may be NULL). */
int
qemu_lock_open(const char *dir, int create, char **cause)
{
	char	*path;
	int	 fd;

	xasprintf(&path, "%s/lock", dir);
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW |
	    (create ? O_CREAT : 0), 0600);
	if (fd == -1 && cause != NULL)
		*cause = xprintf("%s: %s", path, strerror(errno));
	free(path);
	return (fd);
}

/* Take the domain lock through fd, without waiting: 0, or -1 (errno). */
int
qemu_lock_take(int fd)
{
	struct flock	 fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
		if (errno != EINTR)
			return (-1);
	}
	return (0);
}

/* Whether someone (but fd's own description) holds the lock fd is on. */
static int
fd_lock_held(int fd)
{
	struct flock	 fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_OFD_GETLK, &fl) != 0)
		return (1);	/* cannot tell: never take it for dead */
	return (fl.l_type != F_UNLCK);
}

/* Wait until nobody holds fd's lock; -1 at the timeout (< 0: none). */
static int
fd_wait_free(int fd, int timeout_ms)
{
	uint64_t	 end = mono_ms() + (timeout_ms < 0 ? 0 : timeout_ms);

	while (fd_lock_held(fd)) {
		if (timeout_ms >= 0 && mono_ms() >= end)
			return (-1);
		usleep(50000);
	}
	return (0);
}

/* Whether anyone holds DIR's lock: 1, 0, or -1 when it has no lock file. */
int
qemu_lock_held(const char *dir)
{
	int	 fd, held;

	if ((fd = qemu_lock_open(dir, 0, NULL)) == -1)
		return (-1);
	held = fd_lock_held(fd);
	close(fd);
	return (held);
}

/*
 * How the domain is (life, and the pids of its supervisor and QEMU while
 * it lives). The pid files are the live supervisor's to keep: they are
 * read only while the lock is held, and never trusted to signal anything.
 */
void
qemu_dom_refresh(struct qemu_dom *dom)
{
	char	*path;
	int	 held, supervised;

	held = qemu_lock_held(dom->dir);
	dom->sup_pid = qemu_pid_file(dom->dir, "supervisor.pid");
	xasprintf(&path, "%s/supervisor.pid", dom->dir);
	supervised = access(path, F_OK) == 0;
	free(path);
	if (held == -1)	/* no lock file (not yet, or from before locks) */
		held = dom->sup_pid != 0;
	if (held) {
		dom->life = QEMU_DOM_LIVE;
		dom->qemu_pid = qemu_pid_file(dom->dir, "qemu.pid");
		return;
	}
	dom->life = supervised ? QEMU_DOM_DEAD : QEMU_DOM_ABORTED;
	dom->sup_pid = dom->qemu_pid = 0;
}

int
qemu_dom_listed(const struct qemu_dom *dom)
{
	return (dom != NULL && dom->life != QEMU_DOM_ABORTED);
}

void
qemu_dom_list_free(struct qemu_dom **doms, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		qemu_dom_free(doms[i]);
	free(doms);
}

static int
dom_cmp(const void *a, const void *b)
{
	const struct qemu_dom	*da = *(struct qemu_dom *const *)a;
	const struct qemu_dom	*db = *(struct qemu_dom *const *)b;

	return (da->domid - db->domid);
}

/* Every domain, live or crashed, by domid. */
int
qemu_dom_list(struct qemu_dom ***doms, size_t *n, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct qemu_dom	*dom, **list = NULL;
	size_t		 count = 0;
	char		*dir;

	*doms = NULL;
	*n = 0;
	if ((d = opendir(qemu_rundir())) == NULL) {
		if (errno == ENOENT)
			return (0);
		*cause = xprintf("%s: %s%s", qemu_rundir(), strerror(errno),
		    errno == EACCES ? " (are you root?)" : "");
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !valid_name(de->d_name))
			continue;
		xasprintf(&dir, "%s/%s", qemu_rundir(), de->d_name);
		dom = qemu_dom_read(dir);
		free(dir);
		if (!qemu_dom_listed(dom)) {
			qemu_dom_free(dom);
			continue;
		}
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = dom;
	}
	closedir(d);
	if (count > 1)
		qsort(list, count, sizeof *list, dom_cmp);
	*doms = list;
	*n = count;
	return (0);
}

/* A domain by name or domid, live or crashed. */
int
qemu_dom_find(const char *which, struct qemu_dom **domp, char **cause)
{
	struct qemu_dom	**list = NULL, *dom = NULL;
	size_t		  n = 0, i;
	char		 *dir, *end;
	long		  id = -1;

	*domp = NULL;
	if (backend_is_dom0(which)) {
		*cause = backend_dom0_refused(NULL);
		return (-1);
	}
	if (valid_name(which)) {
		xasprintf(&dir, "%s/%s", qemu_rundir(), which);
		dom = qemu_dom_read(dir);
		free(dir);
		if (qemu_dom_listed(dom)) {
			*domp = dom;
			return (0);
		}
		qemu_dom_free(dom);
		dom = NULL;
	}
	errno = 0;
	id = strtol(which, &end, 10);
	if (*which != '\0' && *end == '\0' && errno == 0 && id > 0) {
		if (qemu_dom_list(&list, &n, cause) != 0)
			return (-1);
		for (i = 0; i < n; i++) {
			if (list[i]->domid == id) {
				dom = list[i];
				list[i] = NULL;
				break;
			}
		}
		qemu_dom_list_free(list, n);
		if (dom != NULL) {
			*domp = dom;
			return (0);
		}
	}
	*cause = xprintf("unknown domain: %s", which);
	return (-1);
}

/* Write DIR/state ("running", "paused", "shutdown", "crashed", ...). */
int
qemu_dom_state_set(const struct qemu_dom *dom, const char *state)
{
	char	*path, *cause = NULL, *text;
	int	 rc;

	path = qemu_dom_path(dom, "state");
	xasprintf(&text, "%s\n", state);
	if ((rc = file_write_atomic(path, text, strlen(text), 0644, 0,
	    &cause)) != 0) {
		log_warn("%s: %s", dom->name, cause);
		free(cause);
	}
	free(text);
	free(path);
	return (rc);
}

#define MAX_VCPUS 256

/* "R" running or "S" sleeping etc. for one thread, and its cpu ns. */
static int
thread_stat(pid_t pid, pid_t tid, char *state, uint64_t *ns)
{
	char		 path[64], buf[512], *p;
	int		 fd;
	ssize_t		 n;

	snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", (int)pid,
	    (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	buf[n] = '\0';
	*ns = strtoull(buf, NULL, 10);
	if (state == NULL)
		return (0);
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid,
	    (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return (-1);
	*state = p[2];
	return (0);
}

/* The vCPU thread ids the supervisor recorded (DIR/vcpus), cached. */
static void
dom_vcpu_tids(struct qemu_dom *dom)
{
	char	*path, *buf = NULL, *cause = NULL, *p, *end;
	long	 v;

	if (dom->tids_of == dom->qemu_pid && dom->tids != NULL)
		return;
	free(dom->tids);
	dom->tids = NULL;
	dom->ntids = 0;
	dom->tids_of = dom->qemu_pid;
	if (dom->qemu_pid == 0)
		return;
	path = qemu_dom_path(dom, "vcpus");
	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		free(path);
		return;
	}
	free(path);
	for (p = buf; dom->ntids < MAX_VCPUS; p = end) {
		v = strtol(p, &end, 10);
		if (end == p)
			break;
		dom->tids = xreallocarray(dom->tids, dom->ntids + 1,
		    sizeof *dom->tids);
		dom->tids[dom->ntids++] = (pid_t)v;
	}
	free(buf);
	if (dom->ntids == 0)
		dom->tids_of = 0;	/* not recorded yet: try again */
}

static char *
dom_read_state(const struct qemu_dom *dom)
{
	char	*path, *buf = NULL, *cause = NULL;

	path = qemu_dom_path(dom, "state");
	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		free(path);
		return (xstrdup("starting"));
	}
	free(path);
	buf[strcspn(buf, "\n")] = '\0';
	return (buf);
}

/* DOM_* flags from the supervisor's state and the vCPU threads. */
static int
dom_state_flags(const struct qemu_dom *dom, const char *state, int running)
{
	if (dom->life == QEMU_DOM_DEAD)
		return (DOM_CRASHED);	/* whatever its last state was */
	if (strcmp(state, "paused") == 0)
		return (DOM_PAUSED);
	if (strcmp(state, "shutdown") == 0)
		return (DOM_SHUTDOWN);
	if (strcmp(state, "crashed") == 0)
		return (DOM_CRASHED);
	if (strcmp(state, "dying") == 0)
		return (DOM_DYING);
	if (strcmp(state, "running") == 0)
		return (running ? DOM_RUNNING : DOM_BLOCKED);
	return (0);	/* starting */
}

int
qemu_dom_state(const struct qemu_dom *dom)
{
	char	*state = dom_read_state(dom);
	int	 flags = dom_state_flags(dom, state, 1);

	free(state);
	return (flags);
}

/* Fill a dom_info (and per-vCPU times if vcpu is given). */
void
qemu_dom_info(struct qemu_dom *dom, struct dom_info *info,
    struct dom_vcpu_stats **vcpu, size_t *nvcpu)
{
	size_t	 n, i;
	char	 tstate, *state;
	uint64_t ns;
	int	 running = 0;

	memset(info, 0, sizeof *info);
	snprintf(info->name, sizeof info->name, "%s", dom->name);
	info->domid = dom->domid;
	info->type = dom->type;
	info->mem_kb = (uint64_t)dom->memory * 1024;
	info->maxmem_kb = (uint64_t)dom->maxmem * 1024;
	info->vcpus = dom->maxvcpus > dom->vcpus ? dom->maxvcpus : dom->vcpus;
	info->vcpus_online = dom->vcpus;
	snprintf(info->uuid, sizeof info->uuid, "%s", dom->uuid);
	info->has_vnc = dom->vnc && dom->life == QEMU_DOM_LIVE;
	info->has_console = dom->life == QEMU_DOM_LIVE;
	dom_vcpu_tids(dom);
	n = dom->qemu_pid != 0 ? dom->ntids : 0;
	if (vcpu != NULL) {
		*vcpu = xcalloc(n > 0 ? n : 1, sizeof **vcpu);
		*nvcpu = n;
	}
	for (i = 0; i < n; i++) {
		if (thread_stat(dom->qemu_pid, dom->tids[i], &tstate,
		    &ns) != 0)
			continue;
		info->cpu_ns += ns;
		if (tstate == 'R')
			running = 1;
		if (vcpu != NULL) {
			(*vcpu)[i].online = 1;
			(*vcpu)[i].cpu_ns = ns;
		}
	}
	state = dom_read_state(dom);
	info->state = dom_state_flags(dom, state, running);
	if (dom->life == QEMU_DOM_LIVE && dom->qemu_pid == 0 &&
	    strcmp(state, "crashed") != 0 && strcmp(state, "starting") != 0)
		info->state = DOM_DYING;
	free(state);
}

/* Domain-0: the host itself (cheap: this runs on every sample). */
void
qemu_dom0_info(struct dom_info *info)
{
	static int		 ncpu;
	char			*buf = NULL, *cause = NULL, *p;
	unsigned long long	 v;

	memset(info, 0, sizeof *info);
	if (ncpu == 0)
		ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(info->name, sizeof info->name, "Domain-0");
	info->domid = 0;
	info->state = DOM_RUNNING;
	if (file_read("/proc/meminfo", &buf, NULL, &cause) == 0) {
		if ((p = strstr(buf, "MemTotal:")) != NULL &&
		    sscanf(p, "MemTotal: %llu", &v) == 1)
			info->mem_kb = info->maxmem_kb = v;
		free(buf);
	} else
		free(cause);
	info->vcpus = info->vcpus_online = ncpu;
	info->cpu_ns = host_cpu_ns();
	snprintf(info->uuid, sizeof info->uuid,
	    "00000000-0000-0000-0000-000000000000");
}

static int
qemu_probe(char **cause)
{
	char	*qemu;

	if ((qemu = qemu_binary(cause)) == NULL)
		return (-1);
	free(qemu);
	return (0);
}

static int
qemu_host_info(struct host_info *h, char **cause)
{
	char	*qemu, *v;

	host_probe(h, cause);
	snprintf(h->backend, sizeof h->backend, "qemu");
	snprintf(h->accel, sizeof h->accel, "%s", qemu_accel());
	if ((qemu = qemu_binary(cause)) == NULL)
		return (-1);
	v = host_qemu_version(qemu);
	snprintf(h->hv_version, sizeof h->hv_version, "%s",
	    v != NULL ? v : "unknown");
	free(v);
	free(qemu);
	return (0);
}

static int
qemu_list(struct dom_info **infos, size_t *n, char **cause)
{
	struct qemu_dom	**doms;
	size_t		  ndoms, i;

	if (qemu_dom_list(&doms, &ndoms, cause) != 0)
		return (-1);
	*infos = xcalloc(ndoms + 1, sizeof **infos);
	qemu_dom0_info(&(*infos)[0]);
	for (i = 0; i < ndoms; i++)
		qemu_dom_info(doms[i], &(*infos)[i + 1], NULL, NULL);
	*n = ndoms + 1;
	qemu_dom_list_free(doms, ndoms);
	return (0);
}

/* Remove a runtime dir and what is in it (one level + boot/). */
static void
remove_tree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path) != 0 && (errno == EISDIR || errno == EPERM))
			remove_tree(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Wait until nobody holds the domain's lock (its supervisor and QEMU have
 * exited; a supervisor that exits cleanly has removed the dir by then).
 * timeout_ms < 0 waits forever.
 */
int
qemu_dom_wait_gone(const struct qemu_dom *dom, int timeout_ms)
{
	int	 fd, rc;

	if ((fd = qemu_lock_open(dom->dir, 0, NULL)) == -1)
		return (0);	/* gone (or never had a lock: see refresh) */
	rc = fd_wait_free(fd, timeout_ms);
	close(fd);
	return (rc);
}

static void
random_uuid(char *buf, size_t len)
{
	unsigned char	 b[16];
	int		 fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1 ||
	    read(fd, b, sizeof b) != (ssize_t)sizeof b)
		fatal("/dev/urandom");
	close(fd);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int
rundir_lock(char **cause)
{
	char	*path;
	int	 fd;

	if (mkdir_p(qemu_rundir(), 0700, cause) != 0)
		return (-1);
	xasprintf(&path, "%s/.lock", qemu_rundir());
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			*cause = xprintf("flock: %s", strerror(errno));
			close(fd);
			return (-1);
		}
	}
	return (fd);
}

/* The next domid (peek only: does not advance the counter). */
static int
next_domid(int advance)
{
	char	*path, *buf = NULL, *cause = NULL, text[32];
	long	 id = 1;

	xasprintf(&path, "%s/.next-domid", qemu_rundir());
	if (file_read(path, &buf, NULL, &cause) == 0) {
		id = strtol(buf, NULL, 10);
		if (id < 1 || id > 0x7fef)
			id = 1;
		free(buf);
	} else
		free(cause);
	cause = NULL;
	if (advance) {
		snprintf(text, sizeof text, "%ld\n", id + 1);
		if (file_write_atomic(path, text, strlen(text), 0600, 0,
		    &cause) != 0) {
			log_warn("%s", cause);
			free(cause);
		}
	}
	free(path);
	return ((int)id);
}

/*
 * Claim the name under the rundir lock: make the runtime dir and take its
 * domain lock (dom->lock_fd), and a domid. A dir of that name whose lock is
 * held is a live domain (or one being created); one nobody holds is a
 * crashed domain (it stays until destroyed) or what an interrupted create
 * left, which is removed.
 */
static int
claim_name(struct qemu_dom *dom, char **cause)
{
	struct qemu_dom	*old = NULL;
	int		 lock, fd = -1, rc = -1;

	if ((lock = rundir_lock(cause)) == -1)
		return (-1);
	if (mkdir(dom->dir, 0700) != 0) {
		if (errno != EEXIST) {
			*cause = xprintf("%s: %s", dom->dir, strerror(errno));
			goto out;
		}
		old = qemu_dom_read(dom->dir);
		if (old != NULL && old->life == QEMU_DOM_LIVE) {
			*cause = xprintf("domain %s already exists (domid "
			    "%d)", dom->name, old->domid);
			goto out;
		}
		if (old != NULL && old->life == QEMU_DOM_DEAD) {
			*cause = xprintf("domain %s already exists (crashed: "
			    "destroy it first)", dom->name);
			goto out;
		}
		if ((fd = qemu_lock_open(dom->dir, 1, cause)) == -1)
			goto out;
		if (qemu_lock_take(fd) != 0) {
			*cause = xprintf("domain %s is being created",
			    dom->name);
			goto out;
		}
		log_info("%s: removing what an interrupted create left",
		    dom->dir);
		remove_tree(dom->dir);
		close(fd);
		fd = -1;
		if (mkdir(dom->dir, 0700) != 0) {
			*cause = xprintf("%s: %s", dom->dir, strerror(errno));
			goto out;
		}
	}
	if ((fd = qemu_lock_open(dom->dir, 1, cause)) == -1)
		goto fail;
	if (qemu_lock_take(fd) != 0) {
		*cause = xprintf("%s: lock: %s", dom->dir, strerror(errno));
		goto fail;
	}
	dom->lock_fd = fd;
	fd = -1;
	dom->domid = next_domid(1);
	rc = 0;
	goto out;
fail:
	remove_tree(dom->dir);
out:
	if (fd != -1)
		close(fd);
	qemu_dom_free(old);
	close(lock);
	return (rc);
}

/* Whether dom->lock_fd is (still) the lock file of dom->dir. */
static int
lock_is_dirs(const struct qemu_dom *dom)
{
	struct stat	 a, b;
	char		*path;
	int		 rc;

	if (dom->lock_fd == -1 || fstat(dom->lock_fd, &a) != 0)
		return (0);
	path = qemu_dom_path(dom, "lock");
	rc = lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino;
	free(path);
	return (rc);
}

int
qemu_dom_remove(struct qemu_dom *dom, char **cause)
{
	int	 lock;

	if ((lock = rundir_lock(cause)) == -1)
		return (-1);
	if (!lock_is_dirs(dom)) {
		*cause = xprintf("%s: not removed: its lock is not ours",
		    dom->dir);
		close(lock);
		return (-1);
	}
	remove_tree(dom->dir);
	close(lock);
	return (0);
}

static int
copy_config(const struct xlcfg *cfg, const struct qemu_dom *dom,
    char **cause)
{
	char	*buf = NULL, *path;
	size_t	 len;
	int	 rc;

	if (cfg->path == NULL)
		return (0);
	if (file_read_limit(cfg->path, XLCFG_MAX_SIZE, "an xl.cfg", &buf, &len,
	    cause) != 0)
		return (-1);
	path = qemu_dom_path(dom, "config.cfg");
	rc = file_write_atomic(path, buf, len, 0600, 0, cause);
	free(path);
	free(buf);
	return (rc);
}

/*
 * bootloader="pygrub": xendeck's own loader reads the first disk's GRUB
 * menu and copies the chosen kernel and initrd into DIR/boot, as xl runs
 * pygrub before building a PV domain.
 */
static int
run_bootloader(const struct xlcfg *cfg, struct qemu_dom *dom, char *boot[3],
    char **cause)
{
	struct bootloader_opts	 opts;
	struct rawview		 view;
	const char		*disk = NULL, *format = NULL;
	char			*outdir = NULL, *why = NULL;
	size_t			 i;
	int			 rc = -1, opened = 0;

	memset(&opts, 0, sizeof opts);
	memset(&view, 0, sizeof view);
	if (strcmp(cfg->bootloader, "pygrub") != 0 &&
	    strstr(cfg->bootloader, "/pygrub") == NULL) {
		*cause = xprintf("%s: bootloader=\"%s\": only pygrub is "
		    "supported", cfg->path, cfg->bootloader);
		return (-1);
	}
	for (i = 0; i < cfg->ndisks && disk == NULL; i++) {
		if (!cfg->disks[i].cdrom && cfg->disks[i].target != NULL &&
		    *cfg->disks[i].target != '\0') {
			disk = cfg->disks[i].target;
			format = cfg->disks[i].format;
		}
	}
	if (disk == NULL) {
		*cause = xprintf("%s: bootloader=\"pygrub\" needs a disk= "
		    "to boot from", cfg->path);
		return (-1);
	}
	if (cfg->bootloader_args != NULL &&
	    bootloader_opts_parse(cfg->bootloader_args, &opts, &why) != 0) {
		*cause = xprintf("%s: bootloader_args: %s", cfg->path, why);
		free(why);
		return (-1);
	}
	outdir = qemu_dom_path(dom, "boot");
	if (mkdir(outdir, 0700) != 0 && errno != EEXIST) {
		*cause = xprintf("%s: %s", outdir, strerror(errno));
		goto out;
	}
	/* A qcow2 disk is read through a raw view, as xl attaches one. */
	if (rawview_open(disk, format, 0, &view, &why) != 0) {
		*cause = xprintf("bootloader: %s", why);
		free(why);
		goto out;
	}
	opened = 1;
	if (bootloader_extract_opts(view.path, outdir, &opts, &boot[0],
	    &boot[1], &boot[2], &why) != 0) {
		*cause = xprintf("bootloader: %s", why);
		free(why);
		goto out;
	}
	log_info("%s: pygrub: kernel %s, ramdisk %s, args \"%s\"",
	    dom->name, boot[0], boot[1] != NULL ? boot[1] : "none", boot[2]);
	rc = 0;
out:
	if (opened)
		rawview_close(&view, NULL);
	bootloader_opts_free(&opts);
	free(outdir);
	return (rc);
}

/*
 * The log dir: 0750, since the logs hold whole console sessions (one made
 * 0755 by an older xendeck is narrowed). Its files are 0600.
 */
static int
logdir_make(char **cause)
{
	struct stat	 st;

	if (mkdir_p(qemu_logdir(), 0750, cause) != 0)
		return (-1);
	if (stat(qemu_logdir(), &st) == 0 && st.st_uid == geteuid() &&
	    (st.st_mode & 027) != 0 && chmod(qemu_logdir(),
	    st.st_mode & 0750) != 0) {
		*cause = xprintf("%s: %s", qemu_logdir(), strerror(errno));
		return (-1);
	}
	return (0);
}

/*
 * Create a domain from cfg: claim its name and domid, build the QEMU
 * command line, start the supervisor, which starts QEMU. With
 * BE_CREATE_DRYRUN, print the QEMU command line and start nothing.
 */
static int
qemu_create(const struct xlcfg *cfg, int flags, int *domid, char **cause)
{
	struct qemu_dom	*dom;
	char		 uuid[37], *boot[3] = { NULL, NULL, NULL }, *line;
	char		*why = NULL, *safe;
	const char	*cboot[3];
	int		 rc = -1, claimed = 0;

	if (cfg->name == NULL || !valid_name(cfg->name)) {
		*cause = xprintf("%s: name=\"%s\": a name is letters, digits, "
		    "'_', '.' and '-' (up to 64)", cfg->path,
		    cfg->name != NULL ? cfg->name : "");
		return (-1);
	}
	dom = qemu_dom_new(cfg->name);
	if (cfg->uuid != NULL)
		dom->uuid = xstrdup(cfg->uuid);
	else {
		random_uuid(uuid, sizeof uuid);
		dom->uuid = xstrdup(uuid);
	}
	dom->type = cfg->type;
	dom->memory = cfg->memory;
	dom->maxmem = cfg->maxmem;
	dom->vcpus = cfg->vcpus;
	dom->maxvcpus = cfg->maxvcpus;
	dom->on_poweroff = cfg->on_poweroff;
	dom->on_reboot = cfg->on_reboot;
	dom->on_crash = cfg->on_crash;
	dom->start_paused = (flags & BE_CREATE_PAUSED) != 0;
	log_redact(cfg->vncpasswd);
	xasprintf(&dom->log, "%s/%s.log", qemu_logdir(), dom->name);
	xasprintf(&dom->console_log, "%s/%s.console.log", qemu_logdir(),
	    dom->name);
	xasprintf(&dom->qemu_log, "%s/%s.qemu.log", qemu_logdir(), dom->name);

	if (flags & BE_CREATE_DRYRUN) {
		/* The bootloader's files would be extracted into DIR/boot. */
		dom->domid = next_domid(0);
		if (cfg->bootloader != NULL) {
			xasprintf(&boot[0], "%s/boot/kernel", dom->dir);
			xasprintf(&boot[1], "%s/boot/ramdisk", dom->dir);
			boot[2] = xstrdup("ARGS-FROM-GRUB-CFG");
		}
		cboot[0] = boot[0];
		cboot[1] = boot[1];
		cboot[2] = boot[2];
		if (qemu_args_build(cfg, dom, cboot, 1, cause) != 0)
			goto out;
		line = spawn_argv_string(dom->argv);
		safe = term_escape(line);
		printf("%s\n", safe);
		free(safe);
		free(line);
		rc = 0;
		goto out;
	}

	if (qemu_probe(cause) != 0)
		goto out;
	if (logdir_make(cause) != 0)
		goto out;
	if (claim_name(dom, cause) != 0)
		goto out;
	claimed = 1;
	if (cfg->bootloader != NULL && run_bootloader(cfg, dom, boot,
	    cause) != 0)
		goto out;
	cboot[0] = boot[0];
	cboot[1] = boot[1];
	cboot[2] = boot[2];
	if (qemu_args_build(cfg, dom, cboot, 0, cause) != 0)
		goto out;
	if (copy_config(cfg, dom, cause) != 0 ||
	    qemu_dom_save(dom, cause) != 0)
		goto out;
	line = spawn_argv_string(dom->argv);
	log_info("%s: domid %d: %s", dom->name, dom->domid, line);
	free(line);
	if (supervisor_start(dom, cause) != 0)
		goto out;
	if (domid != NULL)
		*domid = dom->domid;
	rc = 0;
out:
	if (rc != 0 && claimed && qemu_dom_remove(dom, &why) != 0) {
		log_warn("%s", why);
		free(why);
	}
	free(boot[0]);
	free(boot[1]);
	free(boot[2]);
	qemu_dom_free(dom);
	return (rc);
}

/* 1 (and why) if the domain's supervisor has died: only destroy helps. */
static int
dom_dead(const struct qemu_dom *dom, char **cause)
{
	if (dom->life != QEMU_DOM_DEAD)
		return (0);
	*cause = xprintf("%s: the domain has crashed (its supervisor died): "
	    "destroy it", dom->name);
	return (1);
}

/*
 * Run a command on the domain's command monitor. A reset or power-off can
 * make the supervisor replace or stop QEMU before its reply reaches us: for
 * those, the monitor closing after the command went out is success.
 */
static int
dom_qmp(const struct qemu_dom *dom, const char *cmd, json_t *args,
    json_t **ret, char **cause)
{
	struct qmp	*q;
	char		*path, *why = NULL;
	int		 rc;

	if (dom_dead(dom, cause)) {
		json_decref(args);
		return (-1);
	}
	if (dom->qemu_pid == 0) {
		json_decref(args);
		*cause = xprintf("%s: QEMU is not running (the domain has "
		    "crashed: destroy it)", dom->name);
		return (-1);
	}
	path = qemu_dom_path(dom, "qmp.sock");
	q = qmp_connect(path, QMP_TIMEOUT_MS, &why);
	free(path);
	if (q == NULL) {
		json_decref(args);
		*cause = xprintf("%s: %s: %s", dom->name, cmd, why);
		free(why);
		return (-1);
	}
	rc = qmp_execute(q, cmd, args, ret, QMP_TIMEOUT_MS, &why);
	if (rc != 0 && qmp_eof(q) && (strcmp(cmd, "system_reset") == 0 ||
	    strcmp(cmd, "system_powerdown") == 0)) {
		log_debug("%s: %s: %s (QEMU went away: done)", dom->name, cmd,
		    why);
		free(why);
		rc = 0;
	} else if (rc != 0) {
		*cause = xprintf("%s: %s: %s", dom->name, cmd, why);
		free(why);
	}
	qmp_close(q);
	return (rc);
}

/* Wait until the supervisor reports one of the DOM_* flags in want. */
static int
dom_wait_state(const struct qemu_dom *dom, int want, int timeout_ms)
{
	uint64_t	 end = mono_ms() + timeout_ms;

	while (!(qemu_dom_state(dom) & want)) {
		if (mono_ms() >= end)
			return (-1);
		usleep(20000);
	}
	return (0);
}

static int
qemu_shutdown(const char *which, int flags, char **cause)
{
	struct qemu_dom	*dom;
	int		 rc;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	rc = dom_qmp(dom, "system_powerdown", NULL, NULL, cause);
	if (rc == 0 && (flags & BE_SHUTDOWN_WAIT)) {
		/* Gone, or preserved (on_poweroff="preserve"). */
		while (qemu_dom_wait_gone(dom, 200) != 0) {
			if (qemu_dom_state(dom) & DOM_SHUTDOWN)
				break;
		}
	}
	qemu_dom_free(dom);
	return (rc);
}

/*
 * reboot: the PC's reboot request is ctrl-alt-del; with force, a hard
 * reset (xl reboot -F falls back to `xl trigger reset`). Either way the
 * guest's reset reaches the supervisor as a reboot: on_reboot applies.
 */
static int
qemu_reboot(const char *which, int flags, char **cause)
{
	struct qemu_dom	*dom;
	json_t		*args;
	int		 rc;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	if (flags & BE_SHUTDOWN_FORCE)
		rc = dom_qmp(dom, "system_reset", NULL, NULL, cause);
	else {
		args = json_pack("{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}]}",
		    "keys", "type", "qcode", "data", "ctrl", "type", "qcode",
		    "data", "alt", "type", "qcode", "data", "delete");
		rc = dom_qmp(dom, "send-key", args, NULL, cause);
	}
	qemu_dom_free(dom);
	return (rc);
}

/* A process's arguments (from /proc/PID/cmdline), or NULL. */
static char **
proc_argv(pid_t pid)
{
	char	 path[64], *buf = NULL, *cause = NULL, **argv = NULL, *p;
	size_t	 len;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if (file_read(path, &buf, &len, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	argv = xcalloc(1, sizeof *argv);
	for (p = buf; p < buf + len; p += strlen(p) + 1)
		strv_push(&argv, p);
	free(buf);
	return (argv);
}

/* Whether pid has the file lst describes open. */
static int
proc_has_file(pid_t pid, const struct stat *lst)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 path[320];
	int		 found = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return (0);
	while (!found && (de = readdir(d)) != NULL) {
		if (!all_digits(de->d_name))
			continue;
		snprintf(path, sizeof path, "/proc/%d/fd/%s", (int)pid,
		    de->d_name);
		found = stat(path, &st) == 0 && st.st_dev == lst->st_dev &&
		    st.st_ino == lst->st_ino;
	}
	closedir(d);
	return (found);
}

enum proc_kind { PROC_SUPERVISOR, PROC_QEMU };

/*
 * Whether pid is the domain's supervisor (`xendeck supervise NAME`) or
 * its QEMU (its command line names the runtime dir), holding the lock
 * file lst describes open.
 */
static int
proc_is(const struct qemu_dom *dom, pid_t pid, enum proc_kind kind,
    const struct stat *lst)
{
	char	**argv, *tag;
	size_t	  n, i;
	int	  ok = 0;

	if (pid <= 1 || (argv = proc_argv(pid)) == NULL)
		return (0);
	n = strv_len(argv);
	if (kind == PROC_SUPERVISOR)
		ok = n >= 3 && strcmp(argv[n - 2], "supervise") == 0 &&
		    strcmp(argv[n - 1], dom->name) == 0;
	else {
		xasprintf(&tag, "%s/", dom->dir);
		for (i = 0; i < n && !ok; i++)
			ok = strstr(argv[i], tag) != NULL;
		free(tag);
	}
	strv_free(argv);
	return (ok && proc_has_file(pid, lst));
}

/*
 * Signal pid only if it is provably the domain's supervisor or QEMU. The
 * pid is pinned by a pidfd first, so that a process dying between the
 * check and the signal cannot hand the signal to a stranger who got its
 * pid. 0 if sent.
 */
static int
signal_ours(const struct qemu_dom *dom, pid_t pid, enum proc_kind kind,
    const struct stat *lst, int sig)
{
	int	 pfd, rc = -1;

	if (pid <= 1)
		return (-1);
	if ((pfd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return (-1);
	if (proc_is(dom, pid, kind, lst))
		rc = (int)syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
	else
		log_info("%s: pid %d is not its %s: not signalled", dom->name,
		    (int)pid, kind == PROC_SUPERVISOR ? "supervisor" : "QEMU");
	close(pfd);
	return (rc == 0 ? 0 : -1);
}

/* A line in the domain's own log (NAME.log), from a client. */
static void printflike(2, 3)
dom_log(const struct qemu_dom *dom, const char *fmt, ...)
{
	va_list		 ap;
	char		*msg, when[32];
	time_t		 t = time(NULL);
	struct tm	 tm;
	int		 fd;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	log_warn("%s", msg);
	if (dom->log != NULL && (fd = file_open_private(dom->log, O_WRONLY |
	    O_APPEND)) != -1) {
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		dprintf(fd, "%s [%ld] warn: %s\n", when, (long)getpid(), msg);
		close(fd);
	}
	free(msg);
}

/*
 * destroy: the supervisor kills QEMU and removes the runtime dir on
 * SIGTERM. If it does not, or cannot (it has died), whatever still holds
 * the domain's lock and is provably its supervisor or QEMU is killed, and
 * once nobody holds the lock the dir is removed here. Nothing else is ever
 * signalled: the pid files may name a stranger by now.
 */
static int
qemu_destroy(const char *which, char **cause)
{
	struct qemu_dom	*dom;
	struct stat	 lst;
	uint64_t	 end;
	pid_t		 recorded;
	char		*path;
	int		 fd, termed = 0, held, rc = -1;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	/*
	 * A dir from a xendeck before domain locks has no lock file: a dead
	 * one gets one now (under it, what is left is removed as any dead
	 * domain's); a live one's supervisor takes no lock, so nothing here
	 * can prove it ours to stop.
	 */
	path = qemu_dom_path(dom, "lock");
	if (access(path, F_OK) != 0 && errno == ENOENT &&
	    access(dom->dir, F_OK) == 0) {
		if (dom->life == QEMU_DOM_LIVE) {
			*cause = xprintf("%s: its supervisor (pid %ld) is from a "
			    "xendeck without domain locks: stop it with that "
			    "version, or end that process", dom->name,
			    (long)dom->sup_pid);
			free(path);
			goto out;
		}
		if ((fd = qemu_lock_open(dom->dir, 1, cause)) == -1) {
			free(path);
			goto out;
		}
		close(fd);
	}
	free(path);
	/* This lock file, this domain: a later one of the name is not it. */
	if ((fd = qemu_lock_open(dom->dir, 0, NULL)) == -1 ||
	    fstat(fd, &lst) != 0) {
		if (fd != -1)
			close(fd);
		rc = 0;		/* its supervisor removed it meanwhile */
		goto out;
	}
	dom->lock_fd = fd;
	if (dom->life == QEMU_DOM_DEAD) {
		if ((recorded = pid_file_value(dom->dir,
		    "supervisor.pid")) != 0)
			dom_log(dom, "%s: its supervisor (pid %ld) died without "
			    "cleaning up: destroying what it left", dom->name,
			    (long)recorded);
		else
			dom_log(dom, "%s: its supervisor died without cleaning "
			    "up: destroying what it left", dom->name);
	}
	end = mono_ms() + 15000;
	while ((held = fd_lock_held(fd))) {
		if (!termed && (dom->sup_pid = qemu_pid_file(dom->dir,
		    "supervisor.pid")) != 0 && signal_ours(dom, dom->sup_pid,
		    PROC_SUPERVISOR, &lst, SIGTERM) == 0)
			termed = 1;
		if (mono_ms() >= end)
			break;
		usleep(50000);
	}
	if (held) {
		log_warn("%s: the supervisor did not clean up: killing it",
		    dom->name);
		if ((dom->sup_pid = qemu_pid_file(dom->dir,
		    "supervisor.pid")) != 0)
			signal_ours(dom, dom->sup_pid, PROC_SUPERVISOR, &lst,
			    SIGKILL);
		if ((dom->qemu_pid = qemu_pid_file(dom->dir, "qemu.pid")) != 0)
			signal_ours(dom, dom->qemu_pid, PROC_QEMU, &lst,
			    SIGKILL);
		if (fd_wait_free(fd, 5000) != 0) {
			*cause = xprintf("%s: its lock is still held by a "
			    "process that is not provably its supervisor or "
			    "QEMU: not destroyed", dom->name);
			goto out;
		}
	}
	/* Nobody holds it: what is left of the dir is dead. */
	if (qemu_lock_take(fd) != 0 || !lock_is_dirs(dom)) {
		rc = 0;		/* gone, or another destroy has it */
		goto out;
	}
	rc = qemu_dom_remove(dom, cause);
out:
	qemu_dom_free(dom);
	return (rc);
}

static int
qemu_pause(const char *which, char **cause)
{
	struct qemu_dom	*dom;
	int		 rc;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	rc = dom_qmp(dom, "stop", NULL, NULL, cause);
	if (rc == 0)
		dom_wait_state(dom, DOM_PAUSED, 2000);
	qemu_dom_free(dom);
	return (rc);
}

static int
qemu_unpause(const char *which, char **cause)
{
	struct qemu_dom	*dom;
	int		 rc;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	if (qemu_dom_state(dom) & (DOM_SHUTDOWN | DOM_CRASHED)) {
		*cause = xprintf("%s: the domain has %s: destroy it",
		    dom->name, qemu_dom_state(dom) & DOM_CRASHED ?
		    "crashed" : "shut down");
		qemu_dom_free(dom);
		return (-1);
	}
	rc = dom_qmp(dom, "cont", NULL, NULL, cause);
	if (rc == 0)
		dom_wait_state(dom, DOM_RUNNING | DOM_BLOCKED, 2000);
	qemu_dom_free(dom);
	return (rc);
}

static int
qemu_console_open(const char *which, int *fdp, char **cause)
{
	struct qemu_dom		*dom;
	struct sockaddr_un	 sun;
	char			*path;
	int			 fd;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	if (dom_dead(dom, cause)) {
		qemu_dom_free(dom);
		return (-1);
	}
	path = qemu_dom_path(dom, "serial.sock");
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		*cause = xprintf("%s: console %s: %s", dom->name, path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		qemu_dom_free(dom);
		return (-1);
	}
	free(path);
	qemu_dom_free(dom);
	*fdp = fd;
	return (0);
}

/* The files the console shows for a domain (qemu_dom_file()). */
enum qemu_dom_file {
	QEMU_FILE_CONSOLE_LOG,		/* the guest's serial output */
	QEMU_FILE_CONFIG,		/* the xl.cfg it was created from */
	QEMU_FILE_SUPERVISOR_LOG,	/* its supervisor's log */
};

/* A domain's file (caller frees), or NULL: no such domain, or none kept. */
static char *
qemu_dom_file(const char *which, enum qemu_dom_file file)
{
	struct qemu_dom	*dom;
	char		*cause = NULL, *path = NULL;

	if (qemu_dom_find(which, &dom, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	switch (file) {
	case QEMU_FILE_CONSOLE_LOG:
		path = xstrdup(dom->console_log);
		break;
	case QEMU_FILE_CONFIG:	/* its runtime dir's copy */
		path = qemu_dom_path(dom, "config.cfg");
		break;
	case QEMU_FILE_SUPERVISOR_LOG:
		path = dom->log != NULL ? xstrdup(dom->log) : NULL;
		break;
	}
	qemu_dom_free(dom);
	return (path);
}

static char *
qemu_console_log(const char *which)
{
	return (qemu_dom_file(which, QEMU_FILE_CONSOLE_LOG));
}

static char *
qemu_config_path(const char *which)
{
	return (qemu_dom_file(which, QEMU_FILE_CONFIG));
}

/* The supervisor's log, for the console's Domain detail view. */
static char *
qemu_supervisor_log(const char *which)
{
	return (qemu_dom_file(which, QEMU_FILE_SUPERVISOR_LOG));
}

static int
qemu_vnc_endpoint(const char *which, struct vnc_endpoint *v, char **cause)
{
	struct qemu_dom	*dom;
	char		*path, *buf = NULL, *why = NULL;
	int		 rc = -1;

	memset(v, 0, sizeof *v);
	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	if (dom_dead(dom, cause))
		goto out;
	if (!dom->vnc) {
		*cause = xprintf("%s: no VNC display (set vnc=1)", dom->name);
		goto out;
	}
	if (dom->vnc_unix != NULL)
		v->unix_path = xstrdup(dom->vnc_unix);
	else {
		path = qemu_dom_path(dom, "vnc");
		if (file_read(path, &buf, NULL, &why) != 0) {
			*cause = xprintf("%s: VNC port not known yet: %s",
			    dom->name, why);
			free(why);
			free(path);
			goto out;
		}
		free(path);
		v->host = xstrdup(dom->vnc_host);
		v->port = atoi(buf);
		free(buf);
	}
	if (dom->vncpasswd != NULL)
		v->password = xstrdup(dom->vncpasswd);
	rc = 0;
out:
	qemu_dom_free(dom);
	return (rc);
}

/* Attach a tap to a bridge and bring it up (what vif-bridge does). */
int
qemu_tap_attach(const char *tap, const char *bridge, char **cause)
{
	struct ifreq	 ifr;
	unsigned int	 idx;
	int		 s, rc = -1;

	if ((idx = if_nametoindex(tap)) == 0) {
		*cause = xprintf("tap %s: %s", tap, strerror(errno));
		return (-1);
	}
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xprintf("socket: %s", strerror(errno));
		return (-1);
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", bridge);
	ifr.ifr_ifindex = (int)idx;
	if (ioctl(s, SIOCBRADDIF, &ifr) != 0) {
		*cause = xprintf("bridge %s: adding %s: %s", bridge, tap,
		    strerror(errno));
		goto out;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", tap);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
		*cause = xprintf("%s: %s", tap, strerror(errno));
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
		*cause = xprintf("%s: up: %s", tap, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(s);
	return (rc);
}

/*
 * cd-eject and cd-insert (what xl's do on Xen): the medium of an HVM
 * guest's IDE CD drive changes over QMP -- eject (forced: a guest that
 * locked its tray does not stop it, as it does not stop xl) and
 * blockdev-change-medium -- and the drive's -drive argument in
 * domain.json with it, so the supervisor restarts QEMU (on_reboot) with
 * the medium as it is now, as xl keeps it across a reboot.
 */
static int
qemu_cd_change(const char *which, const char *vdev, const char *file,
    char **cause)
{
	struct qemu_dom	*dom;
	json_t		*args;
	char		*want = NULL, *id = NULL, *opt = NULL, buf[4];
	char		*abs = NULL;
	const char	*format = "raw";
	int		 pos, index, fd, rc = -1;

	if (qemu_dom_find(which, &dom, cause) != 0)
		return (-1);
	if (dom->type != XLCFG_TYPE_HVM) {
		*cause = xprintf("%s is not an HVM guest: only an HVM guest "
		    "has a CD drive whose medium can change", dom->name);
		goto out;
	}
	if (vdev != NULL)
		xasprintf(&want, "vbd-%s", vdev);
	if ((pos = qemu_args_find_cdrom(dom->argv, want, &index,
	    &id)) == -1) {
		if (vdev != NULL)
			*cause = xprintf("%s has no CD drive %s (disk= "
			    "\"...,%s:cdrom\")", dom->name, vdev, vdev);
		else
			*cause = xprintf("%s has no CD drive (add one to its "
			    "disk=: \",hdc:cdrom,r\" for an empty one)",
			    dom->name);
		goto out;
	}
	if (file != NULL) {
		/*
		 * By its absolute path: QEMU reads no protocol from a name
		 * that starts with '/' (a file called nbd:host:1 is a file).
		 */
		if ((abs = realpath(file, NULL)) == NULL) {
			*cause = xprintf("%s: %s", file, strerror(errno));
			goto out;
		}
		file = abs;
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) != -1) {
			if (read(fd, buf, 4) == 4 && memcmp(buf, "QFI\xfb",
			    4) == 0)
				format = "qcow2";
			close(fd);
		}
		args = json_pack("{s:s, s:s, s:s, s:s, s:b}", "device", id,
		    "filename", file, "format", format, "read-only-mode",
		    "read-only", "force", 1);
		rc = dom_qmp(dom, "blockdev-change-medium", args, NULL, cause);
	} else {
		args = json_pack("{s:s, s:b}", "device", id, "force", 1);
		rc = dom_qmp(dom, "eject", args, NULL, cause);
	}
	if (rc != 0)
		goto out;
	opt = qemu_args_cdrom(file, format, index, id);
	free(dom->argv[pos]);
	dom->argv[pos] = opt;
	if (qemu_dom_save(dom, cause) != 0) {
		rc = -1;
		goto out;
	}
	log_info("%s: %s %s%s%s", dom->name, id, file != NULL ? "holds " :
	    "ejected", file != NULL ? file : "", "");
out:
	free(abs);
	free(want);
	free(id);
	qemu_dom_free(dom);
	return (rc);
}

static int
qemu_cd_eject(const char *which, const char *vdev, char **cause)
{
	return (qemu_cd_change(which, vdev, NULL, cause));
}

static int
qemu_cd_insert(const char *which, const char *vdev, const char *file,
    char **cause)
{
	return (qemu_cd_change(which, vdev, file, cause));
}

/* Whether this host's QEMU can take a vncpasswd (it needs DES). */
static int
qemu_vnc_password(char **why)
{
	char	*qemu, *cause = NULL;
	int	 ok;

	if ((qemu = qemu_binary(&cause)) == NULL) {
		*why = cause;
		return (0);
	}
	ok = host_qemu_vnc_password(qemu, why);
	free(qemu);
	return (ok);
}

const struct backend_ops backend_qemu_ops = {
	.name = "qemu",
	.probe = qemu_probe,
	.host_info = qemu_host_info,
	.list = qemu_list,
	.create = qemu_create,
	.shutdown = qemu_shutdown,
	.reboot = qemu_reboot,
	.destroy = qemu_destroy,
	.pause = qemu_pause,
	.unpause = qemu_unpause,
	.console_open = qemu_console_open,
	.console_log = qemu_console_log,
	.vnc_endpoint = qemu_vnc_endpoint,
	.sample = qemu_sample,
	.config_path = qemu_config_path,
	.supervisor_log = qemu_supervisor_log,
	.cd_eject = qemu_cd_eject,
	.cd_insert = qemu_cd_insert,
	.lint = qemu_lint,
	.vnc_password = qemu_vnc_password,
};
