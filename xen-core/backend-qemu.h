/*
 * The qemu backend's internals, shared by its files (backend-qemu.c,
 * qemu-args.c, qemu-stats.c, supervisor.c) and their tests only. Everything
 * else reaches the backend through backend_qemu_ops (xen-core.h).
 */
#ifndef BACKEND_QEMU_H
#define BACKEND_QEMU_H

#include "xen-core.h"

/*
 * backend-qemu.c: every domain is a QEMU process watched by a supervisor
 * (supervisor.c). A domain lives in its runtime dir
 * ${XENDECK_RUNDIR:-/run/xendeck}/<name>/: lock (the domain lock, below),
 * domain.json (what create decided: domid, uuid, the QEMU argv, taps, vbds,
 * VNC), config.cfg (the xl.cfg as given), supervisor.pid, qemu.pid, state,
 * vcpus (vCPU thread ids), vnc (the VNC endpoint), and the sockets: sup.qmp
 * (the supervisor's), qmp.sock (commands), stats.qmp (the sampler's),
 * serial.sock, vnc.sock. Logs are in ${XENDECK_LOGDIR:-/var/log/xendeck}
 * (mode 0750, files 0600): NAME.log (supervisor), NAME.console.log
 * (serial), NAME.qemu.log.
 *
 * The domain lock is an open file description lock (F_OFD_SETLK) on all of
 * DIR/lock. create takes it when it claims the name (under the rundir's
 * own lock, RUNDIR/.lock, which also guards the domid counter and every
 * removal of a runtime dir) and hands the open file to the supervisor it
 * execs; QEMU inherits it from the supervisor. So it is held for the
 * domain's whole life, and a runtime dir is dead only when nobody holds
 * it: then the domain has crashed (its supervisor was killed; listed as
 * crashed until destroyed), or it is what an interrupted create left.
 * OFD locks rather than flock(2): F_OFD_GETLK tests one without taking it,
 * so a lister never makes a claim fail.
 */
enum qemu_dom_life {
	QEMU_DOM_LIVE,		/* its lock is held: alive, or being created */
	QEMU_DOM_DEAD,		/* nobody holds it, and it was supervised:
				   crashed, its supervisor gone */
	QEMU_DOM_ABORTED	/* nobody holds it, never supervised: the
				   leftovers of an interrupted create */
};
struct qemu_dom {
	char		 *name;
	int		  domid;
	char		 *dir;		/* runtime dir */
	char		 *uuid;
	enum xlcfg_type	  type;
	int64_t		  memory, maxmem;	/* MiB */
	int		  vcpus, maxvcpus;
	enum xlcfg_action on_poweroff, on_reboot, on_crash;
	char		**argv;		/* the QEMU command line */
	char		**taps;		/* vif<domid>.<n>, NULL-terminated */
	char		**bridges;	/* parallel to taps */
	char		**vbds;		/* vdev names */
	char		**drives;	/* QEMU drive ids, parallel to vbds */
	int		  vnc;		/* has a VNC server */
	char		 *vnc_unix;	/* its socket, or */
	char		 *vnc_host;	/* TCP host (port in DIR/vnc) */
	char		 *vncpasswd;
	int		  start_paused;
	char		 *log, *console_log, *qemu_log;
	/* Run time, read by qemu_dom_refresh(): */
	enum qemu_dom_life life;
	pid_t		  sup_pid;	/* 0 when no live supervisor */
	pid_t		  qemu_pid;	/* 0 when QEMU is not running */
	pid_t		 *tids;		/* its vCPU threads (cached) */
	size_t		  ntids;
	pid_t		  tids_of;	/* the QEMU they belong to */
	int		  lock_fd;	/* DIR/lock held by this process, or -1
					   (qemu_dom_free closes it) */
};
const char	*qemu_rundir(void);
const char	*qemu_logdir(void);
char		*qemu_binary(char **);
const char	*qemu_accel(void);
struct qemu_dom	*qemu_dom_new(const char *);
void		 qemu_dom_free(struct qemu_dom *);
int		 qemu_dom_find(const char *, struct qemu_dom **, char **);
int		 qemu_dom_save(const struct qemu_dom *, char **);
char		*qemu_dom_path(const struct qemu_dom *, const char *);
int		 qemu_dom_state_set(const struct qemu_dom *, const char *);
/*
 * Remove the domain's runtime dir, under the rundir lock, only while
 * dom->lock_fd holds its lock and is still its lock file. -1 with *cause
 * if it is not ours to remove.
 */
int		 qemu_dom_remove(struct qemu_dom *, char **);
/* Wait until nobody holds the domain's lock; timeout_ms < 0: forever. */
int		 qemu_dom_wait_gone(const struct qemu_dom *, int);
int		 qemu_dom_state(const struct qemu_dom *);
void		 qemu_dom0_info(struct dom_info *);
struct qemu_dom	*qemu_dom_read(const char *);
void		 qemu_dom_refresh(struct qemu_dom *);
/* Listed by list and sample: live with a record, or crashed. */
int		 qemu_dom_listed(const struct qemu_dom *);
pid_t		 qemu_pid_file(const char *, const char *);
void		 qemu_dom_info(struct qemu_dom *, struct dom_info *,
		     struct dom_vcpu_stats **, size_t *);
int		 qemu_dom_list(struct qemu_dom ***, size_t *, char **);
void		 qemu_dom_list_free(struct qemu_dom **, size_t);
int		 qemu_tap_attach(const char *, const char *, char **);
/* The domain lock: open DIR/lock (-1 if none, or with create), take it. */
int		 qemu_lock_open(const char *, int, char **);
int		 qemu_lock_take(int);
/* 1 held by someone (not through fd), 0 free, -1 no lock file. */
int		 qemu_lock_held(const char *);

/*
 * qemu-stats.c: the qemu backend's sample() op. It keeps each domain's
 * stats monitor (stats.qmp) open between calls, so a long-lived caller
 * (the console, at 1 Hz) pays one QMP round trip per domain per sample;
 * qemu_sample_close() drops those connections.
 */
int		 qemu_sample(struct dom_stats **, size_t *, char **);
void		 qemu_sample_close(void);

/* qemu-args.c: the xl.cfg -> QEMU mapping table (design.md). */
void		 qemu_lint(const struct xlcfg *, struct lint_report *);
char		*qemu_args_cdrom(const char *, const char *, int, const char *);
int		 qemu_args_find_cdrom(char **, const char *, int *, char **);
int		 qemu_args_build(const struct xlcfg *, struct qemu_dom *,
		     const char *[3], int, char **);

/*
 * supervisor.c: the detached per-domain supervisor, exec'd by create as
 * `xendeck supervise NAME` (supervisor_run(), in xen-core.h) with the
 * domain lock on fd 3 and a pipe to report on fd 4.
 */
#define SUPERVISOR_LOCK_FD	3
#define SUPERVISOR_READY_FD	4
int		 supervisor_start(struct qemu_dom *, char **);

#endif /* BACKEND_QEMU_H */
