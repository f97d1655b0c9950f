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
 * ${XENDECK_RUNDIR:-/run/xendeck}/<name>/: domain.json (what create
 * decided: domid, uuid, the QEMU argv, taps, vbds, VNC), config.cfg (the
 * xl.cfg as given), supervisor.pid, qemu.pid, state, vcpus (vCPU thread
 * ids), vnc (the VNC endpoint), and the sockets: sup.qmp (the
 * supervisor's), qmp.sock (commands), stats.qmp (the sampler's),
 * serial.sock, vnc.sock. Logs are in ${XENDECK_LOGDIR:-/var/log/xendeck}:
 * NAME.log (supervisor), NAME.console.log (serial), NAME.qemu.log.
 */
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
	/* Run time, read by qemu_dom_find(): */
	pid_t		  sup_pid;	/* 0 when no live supervisor */
	pid_t		  qemu_pid;	/* 0 when QEMU is not running */
	pid_t		 *tids;		/* its vCPU threads (cached) */
	size_t		  ntids;
	pid_t		  tids_of;	/* the QEMU they belong to */
};
const char	*qemu_rundir(void);
const char	*qemu_logdir(void);
char		*qemu_binary(char **);
const char	*qemu_accel(void);
void		 qemu_dom_free(struct qemu_dom *);
int		 qemu_dom_find(const char *, struct qemu_dom **, char **);
int		 qemu_dom_save(const struct qemu_dom *, char **);
char		*qemu_dom_path(const struct qemu_dom *, const char *);
int		 qemu_dom_state_set(const struct qemu_dom *, const char *);
void		 qemu_dom_remove_dir(const char *);
int		 qemu_dom_wait_gone(const struct qemu_dom *, int);
int		 qemu_dom_state(const struct qemu_dom *);
void		 qemu_dom0_info(struct dom_info *);
struct qemu_dom	*qemu_dom_read(const char *);
pid_t		 qemu_pid_file(const char *, const char *);
void		 qemu_dom_info(struct qemu_dom *, struct dom_info *,
		     struct dom_vcpu_stats **, size_t *);
int		 qemu_dom_list(struct qemu_dom ***, size_t *, char **);
void		 qemu_dom_list_free(struct qemu_dom **, size_t);
int		 qemu_tap_attach(const char *, const char *, char **);

/*
 * qemu-stats.c: the qemu backend's sample() op. It keeps each domain's
 * stats monitor (stats.qmp) open between calls, so a long-lived caller
 * (the console, at 1 Hz) pays one QMP round trip per domain per sample;
 * qemu_sample_close() drops those connections.
 */
int		 qemu_sample(struct dom_stats **, size_t *, char **);
void		 qemu_sample_close(void);

/* qemu-args.c: the xl.cfg -> QEMU mapping table (design.md). */
int		 qemu_args_build(const struct xlcfg *, struct qemu_dom *,
		     const char *[3], int, char **);

/* supervisor.c: the detached per-domain supervisor. */
int		 supervisor_start(struct qemu_dom *, char **);

#endif /* BACKEND_QEMU_H */
