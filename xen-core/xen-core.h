/*
 * xen-core: the domain model, xl.cfg(5), backends, host probe, stats and the
 * helpers under them. No curses here: console/ and wizards/ link this as
 * libxencore.a, and its tests never need a terminal.
 *
 * Conventions (../shared/style.md): recoverable errors return -1 (or NULL)
 * and set *cause to a malloc'd sentence a person can act on; the caller
 * frees it. A returned char * is the caller's; a const char * is borrowed.
 * Structs that own memory pair with an idempotent, NULL-safe *_free().
 */
#ifndef XEN_CORE_H
#define XEN_CORE_H

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define printflike(a, b) __attribute__((format(printf, a, b)))

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Longest domain or volume name we accept (valid_name()). */
#define NAME_MAX_LEN 64

/* util.c */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
int		 xasprintf(char **, const char *, ...) printflike(2, 3);
int		 xvasprintf(char **, const char *, va_list);
char		*xprintf(const char *, ...) printflike(1, 2);
void		 strv_free(char **);
size_t		 strv_len(char *const *);
char	       **strv_dup(char *const *);
void		 strv_push(char ***, const char *);
char	       **strv_new(const char *, ...);	/* NULL-terminated args */
char		*strv_join(char *const *, const char *);
int		 valid_name(const char *);
int		 all_digits(const char *);
const char	*xen_config_dir(void);
const char	*xendeck_statedir(void);
const char	*xendeck_rundir(void);
int		 xen_config_name_ok(const char *);
int		 mkdir_p(const char *, mode_t, char **);
int		 file_read(const char *, char **, size_t *, char **);
/* A process's start time (/proc/PID/stat), 0 if gone or a zombie. */
unsigned long long proc_start(pid_t);
int		 file_read_limit(const char *, size_t, const char *, char **,
		     size_t *, char **);
int		 file_read_tail(const char *, size_t, char **, size_t *,
		     char **);
int		 file_open_private(const char *, int);
char		*term_escape(const char *);
int		 file_write_atomic(const char *, const void *, size_t, mode_t,
		     int, char **);
char		*shell_quote(const char *);
uint64_t	 mono_ms(void);
uint64_t	 mono_us(void);
int		 set_nonblock(int);
int		 set_cloexec(int);
/* A growing string: s is NUL-terminated (NULL until the first add). */
struct strbuf {
	char	*s;
	size_t	 len, size;
};
void		 strbuf_add(struct strbuf *, const void *, size_t);
void		 strbuf_printf(struct strbuf *, const char *, ...)
		     printflike(2, 3);
int		 next_line(const char **, const char *, const char **,
		     size_t *);

/* log.c */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };
void		 log_open(const char *, int);
void		 log_close(void);
const char	*log_path(void);
int		 log_get_level(void);
FILE		*log_stream(void);
void		 log_msg(enum log_level, const char *, ...) printflike(2, 3);
void		 log_vmsg(enum log_level, const char *, va_list);
/* Never write this secret to any log (it becomes <redacted>). */
void		 log_redact(const char *);
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
typedef void	(*fatal_hook_t)(void);
fatal_hook_t	 fatal_set_hook(fatal_hook_t);	/* returns the old one */
__dead void	 fatal(const char *, ...) printflike(1, 2);
__dead void	 fatalx(const char *, ...) printflike(1, 2);

/*
 * report.c: warnings for the person who ran an action (not diagnostics):
 * on stderr as "xendeck: warning: TEXT" whatever -l says (a console job's
 * reader picks them up there), or to the console's sink; and to the log
 * file when there is one.
 */
void		 report_warn(const char *, ...) printflike(1, 2);
void		 report_vwarn(const char *, va_list) printflike(1, 0);
void		 report_set_sink(void (*)(const char *, void *), void *);

/* spawn.c */
#define SPAWN_DRYRUN	0x01	/* print the argv to stdout, run nothing */
#define SPAWN_STDOUT	0x02	/* capture stdout into result->out */
#define SPAWN_INHERIT	0x04	/* child keeps our stdin/stdout/stderr */
#define SPAWN_NOCHECK	0x08	/* a non-zero exit is not an error */
#define SPAWN_SETSID	0x10	/* own session: spawn_kill reaches its tree */
#define SPAWN_KEEPENV	0x20	/* our environment, not the fixed one (for
				   running xendeck itself) */
#define SPAWN_QUIET	0x40	/* log neither argv nor stderr (secrets) */
struct spawn_result {
	int	 status;	/* exit code, or 128+signal */
	char	*out;		/* captured stdout (SPAWN_STDOUT) */
	size_t	 outlen;
	char	*err;		/* captured stderr */
	size_t	 errlen;
	int	 timedout;	/* killed at the deadline (spawn_run_timeout) */
	int	 termsig;	/* the signal that ended it, or 0 */
};
/*
 * A child started by spawn_start() and driven from the caller's poll()
 * loop (spawn_pollfds, spawn_io, spawn_reap, spawn_finish). The fields are
 * the spawn functions'; callers read pid, started and the fds only.
 */
struct spawn_proc {
	pid_t		 pid;
	uint64_t	 started;	/* mono_ms() at the fork */
	int		 fd_in, fd_out, fd_err;	/* -1 once closed */
	int		 flags;
	const char	*name;		/* argv[0], borrowed */
	char		*prog;
	char		*input;
	size_t		 inlen, inoff;
	void	       (*on_line)(void *, int, const char *);
	void		*arg;
	char		*partial[2];	/* an unfinished line per stream */
	size_t		 partlen[2];
	struct spawn_result res;	/* output so far */
	int		 wstatus;
	int		 reaped;
	int		 killed;	/* spawn_kill(SIGKILL) was used */
};
struct pollfd;
char		*spawn_which(const char *);
int		 spawn_run(char *const *, const char *, int,
		     struct spawn_result *, char **);
/*
 * spawn_run with a deadline: a child still running TIMEOUT_MS after the
 * start (0: no deadline) is sent SIGKILL and reaped; then res->timedout is
 * set, res->status is 128+SIGKILL (res->termsig SIGKILL), and it is an
 * error even with SPAWN_NOCHECK. Only the child is killed, not what it
 * forked (unless SPAWN_SETSID).
 */
int		 spawn_run_timeout(char *const *, const char *, int, int,
		     struct spawn_result *, char **);
/* The same, with every output line (stream 1 or 2) passed to a callback. */
int		 spawn_run_lines(char *const *, const char *, int, int,
		     void (*)(void *, int, const char *), void *,
		     struct spawn_result *, char **);
int		 spawn_start(char *const *, const char *, int,
		     void (*)(void *, int, const char *), void *,
		     struct spawn_proc *, char **);
int		 spawn_pollfds(const struct spawn_proc *, struct pollfd *, int);
int		 spawn_io(struct spawn_proc *, const struct pollfd *, int);
int		 spawn_drained(const struct spawn_proc *);
void		 spawn_kill(struct spawn_proc *, int);
int		 spawn_reap(struct spawn_proc *, int);
int		 spawn_finish(struct spawn_proc *, int, struct spawn_result *,
		     char **);
/* spawn_run_lines after spawn_start: I/O, deadline, reap, finish. */
int		 spawn_drive(struct spawn_proc *, int, struct spawn_result *,
		     char **);
void		 spawn_proc_free(struct spawn_proc *);
void		 spawn_result_free(struct spawn_result *);
char		*spawn_argv_string(char *const *);

/*
 * plan.c, plan-export.c, plan-run.c, diff.c: the wizard engine's half in
 * xen-core (design.md, "Long work and wizards"). A plan is data: the facts it
 * was made from and a list of steps. A step runs an argv, writes a file, or
 * runs a xendeck operation (an argv whose argv[0] is "xendeck": this very
 * binary, with our environment), and carries a probe (already done?), a
 * verification (did it take?), an undo where one exists and, when it destroys
 * data, exactly what it destroys. A plan can be shown (plan_show: numbered
 * steps, the exact shell-quoted commands, a unified diff per file edit),
 * exported as a POSIX sh script in which every step is guarded by its probe
 * (plan_export), and applied (plan_apply): one wizard at a time (a lock), an
 * append-only journal fsync'd before and after every step, files written
 * atomically beside a backup. After kill -9 at any point, plan_continue() picks
 * the run up again (the wizard layer first re-checks the facts, wizards/), and
 * plan_undo() walks back the steps that have an undo.
 *
 * Runs live in plan_statedir() (${XENDECK_STATEDIR:-/var/lib/xendeck}/
 * wizards/RUN/: plan.json, the plan as saved, and journal.jsonl). A secret
 * never reaches a plan: wizards pass secrets through files named in the
 * answers, and a PLAN_SECRET step's input and output are never stored,
 * shown, journalled, logged or exported.
 */

/* A yes/no question asked of the host by running a program. */
struct plan_check {
	char	**argv;		/* NULL: no check */
	char	 *match;	/* NULL: true when it exits 0; else true when
				   it exits 0 and a line of its stdout
				   contains this */
	int	  negate;	/* true when the above is false */
};

enum plan_kind {
	PLAN_RUN,	/* run argv */
	PLAN_FILE,	/* write (or, with after NULL, remove) a file */
	PLAN_OP		/* argv is a xendeck command ("xendeck", ...) */
};

struct plan_file {
	char	*path;
	int	 existed;	/* the file was there when the plan was made */
	char	*before;	/* its content then (NULL if !existed) */
	size_t	 beforelen;
	char	 before_sha[65];
	char	*after;		/* NULL: the step removes the file */
	size_t	 afterlen;
	char	 after_sha[65];
	mode_t	 mode;
	char	*backup;	/* where the old content is kept beside it
				   (default PATH.xendeck-bak; a wizard
				   editing a directory something sources as a
				   glob picks another) */
};

#define PLAN_DESTRUCTIVE 0x01	/* destroys[] names what it destroys */
#define PLAN_SECRET	0x02	/* input and output are secret (never kept) */
#define PLAN_RERUN	0x04	/* safe to run again after a crash mid-step
				   even when its probe says not done */
#define PLAN_REBOOT	0x08	/* takes effect at the next boot (said so) */

struct plan_step {
	char		 *id;		/* unique in the plan: "vgcreate" */
	char		 *title;	/* "Create the volume group vg0" */
	char		 *explain;	/* what it does, in the guide's terms */
	enum plan_kind	  kind;
	char		**argv;		/* PLAN_RUN, PLAN_OP */
	char		 *input;	/* stdin of argv, or NULL */
	struct plan_file  file;		/* PLAN_FILE */
	struct plan_check probe;	/* true: already done, skip it */
	struct plan_check verify;	/* true: it took (none: exit 0 is) */
	char		**undo;		/* argv that reverses it, or NULL (a
					   PLAN_FILE step's undo is built in) */
	char		**destroys;	/* "/dev/vdb", "vg0/web1" */
	char		 *consent_key;	/* the answer that names them: "wipe" */
	int		  flags;
	int		  timeout_s;	/* 0: none */
};

/* A fact about the host the plan was made from. */
struct plan_fact {
	char	*key;		/* "/dev/vdb size" */
	char	*value;		/* as measured when the plan was made */
	char	*changed_by;	/* id of a step that may change it, or NULL:
				   once that step has begun, it is not
				   compared again */
};

struct plan {
	char		 *wizard;	/* "storage" */
	char		 *title;	/* "volume group vg0 on /dev/vdb" */
	char		**answers;	/* "key=value", as given */
	struct plan_fact *facts;
	size_t		  nfacts;
	struct plan_step *steps;
	size_t		  nsteps;
	char		**notes;	/* the guide vs Debian 12, warnings */
};

enum plan_outcome {
	PLAN_OK,		/* ran, verified */
	PLAN_SKIPPED,		/* its probe said it was already done */
	PLAN_FAILED,
	PLAN_UNDONE		/* plan_undo reversed it */
};

/* How a run reports while it goes (any member may be NULL). */
struct plan_events {
	void	(*begin)(void *, const struct plan *, size_t);
	void	(*line)(void *, const struct plan *, size_t, int,
		    const char *);	/* stream 1 stdout, 2 stderr */
	void	(*end)(void *, const struct plan *, size_t,
		    enum plan_outcome, const char *);	/* detail */
	void	 *arg;
};

/* One run of a wizard, as its journal tells it. */
struct plan_run {
	char	*id;		/* "storage-20261206-191500-4242" */
	char	*wizard;
	char	*title;
	char	*state;		/* "done", "failed", "interrupted",
				   "undone", "undoing" (an undo began and
				   did not finish), "running" (its lock is
				   held) */
	size_t	 done, total;	/* steps done (or skipped) of all */
	size_t	 changed;	/* steps that ran (ok, failed or begun), not
				   skipped: 0 for a run that found every
				   step done already */
	char	*failed_step;	/* id, when failed or interrupted */
	time_t	 started, updated;
};

#define PLAN_SHOW_EXPLAIN 0x1	/* each step's explanation too */
#define PLAN_APPLY_YES	  0x1	/* consent to destructive steps given */

/* plan.c */
void		 plan_init(struct plan *, const char *);
void		 plan_free(struct plan *);
void		 plan_answer(struct plan *, const char *, const char *);
void		 plan_fact(struct plan *, const char *, const char *,
		     const char *);
const char	*plan_fact_get(const struct plan *, const char *);
void		 plan_note(struct plan *, const char *, ...) printflike(2, 3);
/*
 * Add steps; the plan copies everything. Returns the new step, valid until
 * the next step is added. Ids are unique names ([A-Za-z0-9_.-]).
 */
struct plan_step *plan_add_run(struct plan *, const char *, const char *,
		     char *const *);
struct plan_step *plan_add_op(struct plan *, const char *, const char *,
		     char *const *);
/*
 * A file step: path gets after (afterlen bytes; NULL removes the file) with
 * mode. The current content is read now as "before" (-1 with *cause when
 * it cannot be read, or when the path is not a regular file).
 */
struct plan_step *plan_add_file(struct plan *, const char *, const char *,
		     const char *, const char *, size_t, mode_t, char **);
void		 plan_step_explain(struct plan_step *, const char *, ...)
		     printflike(2, 3);
void		 plan_step_probe(struct plan_step *, char *const *,
		     const char *, int);
void		 plan_step_verify(struct plan_step *, char *const *,
		     const char *, int);
void		 plan_step_undo(struct plan_step *, char *const *);
void		 plan_step_destroys(struct plan_step *, const char *,
		     const char *);	/* object, consent key */
struct plan_step *plan_step_find(const struct plan *, const char *);
/*
 * The step's command as one shell-quoted line ("(file edit) PATH" or
 * "(file removal) PATH" for files).
 */
char		*plan_step_command(const struct plan_step *);
char		*plan_show(const struct plan *, int);
/* plan.json: the plan as saved with a run; -1 with *cause if unreadable. */
struct json_t	*plan_to_json(const struct plan *);
int		 plan_from_json(struct json_t *, struct plan *, char **);
int		 plan_load(const char *, struct plan *, char **);
/* What differs between the saved facts and now, or NULL (caller frees). */
char		*plan_facts_stale(const struct plan *, const struct plan *,
		     const char *);	/* saved, now, run id */
void		 sha256_hex(const void *, size_t, char [65]);
/* Internal to plan*.c. */
void		 plan_put_indented(FILE *, const char *, const char *);

/* plan-export.c: the plan as a POSIX sh script (set -eu), caller frees. */
char		*plan_export(const struct plan *);

/*
 * plan-run.c. plan_apply returns 0 when every step is done, -2 when it
 * refused before changing anything because consent is missing (input:
 * the CLI exits 2), -1 otherwise (a step failed: *cause names it and the
 * tail of its output; or the lock is held, or an unfinished run of the
 * wizard exists). *run_id is set once the run exists.
 */
const char	*plan_statedir(void);
int		 plan_apply(struct plan *, int, const struct plan_events *,
		     char **, char **);	/* run id (caller frees), cause */
int		 plan_continue(const char *, struct plan *,
		     const struct plan_events *, char **);
int		 plan_undo(const char *, const struct plan_events *, char **);
/* Every run, newest first. */
int		 plan_runs(struct plan_run **, size_t *, char **);
void		 plan_runs_free(struct plan_run *, size_t);
/* The newest unfinished run of a wizard, or NULL (caller frees). */
char		*plan_run_unfinished(const char *);
/* Whether a run is half-done: interrupted, failed or undoing. */
int		 plan_run_is_unfinished(const struct plan_run *);
/* Whether step ID of RUN has begun (for facts changed_by it). */
int		 plan_step_begun(const char *, const char *);

/*
 * diff.c: a unified diff (3 lines of context) of a and b, "" if equal:
 * (name of a, a (NULL: none), its length, name of b, b, its length).
 */
char		*text_diff(const char *, const char *, size_t, const char *,
		     const char *, size_t);

/*
 * pool.c, pool-plan.c, lvm.c, blockdev.c, pool-users.c: where guest disks
 * live (design.md, "Pools and clones"). A pool is an LVM volume group
 * (lvm2's commands with --reportformat json) or a directory of image files
 * (qemu-img); its volumes are LVs or images. Both sit behind one model,
 * and the wizards (storage, volume, pv-guest, hvm-guest) add the steps that
 * change a pool to their plans through the pool_plan_* functions, never by
 * hand.
 */
enum pool_type { POOL_LVM, POOL_DIR };

struct pool {
	char		*name;		/* "vg0", or the directory */
	enum pool_type	 type;
	uint64_t	 size, free;	/* bytes */
	uint64_t	 allocated;	/* bytes in volumes */
	char		*thinpool;	/* LVM: a thin pool LV in it, or NULL */
	char	       **pvs;		/* LVM: its physical volumes */
};

struct volume {
	char		*name;		/* "web1" */
	char		*pool;		/* its pool's name */
	char		*path;		/* "/dev/vg0/web1", "DIR/web1.qcow2" */
	char		*format;	/* "raw", "qcow2" */
	uint64_t	 size;		/* virtual size, bytes */
	uint64_t	 allocated;	/* bytes really used */
	char		*origin;	/* snapshot/clone/backing file, or NULL */
	double		 snap_pct;	/* classic snapshot fill %, or -1 */
	int		 thin;
	char	       **used_by;	/* "domain web1", "/etc/xen/web1.cfg" */
};

/* pool.c */
/* Every pool: the host's VGs and the known image directories. */
int		 pool_list(struct pool **, size_t *, char **);
/* A pool by VG name or directory; -1 with *cause naming it if none. */
int		 pool_find(const char *, struct pool *, char **);
void		 pool_free(struct pool *);
void		 pool_list_free(struct pool *, size_t);
int		 pool_volumes(const struct pool *, struct volume **, size_t *,
		     char **);
int		 volume_find(const struct pool *, const char *,
		     struct volume *, char **);
void		 volume_free(struct volume *);
void		 volume_list_free(struct volume *, size_t);
/* The path a new volume NAME would have (format "raw" or "qcow2"). */
char		*pool_volume_path(const struct pool *, const char *,
		     const char *);
/* "8G", "512M", "100%FREE" (-> the pool's free bytes); -1 with *cause. */
int		 pool_parse_size(const struct pool *, const char *, uint64_t *,
		     char **);
/*
 * Steps into a plan. Each adds its steps with probes, verifications and
 * undos, and its facts; a step that would not fit or would collide fails
 * here with WIZ_EINPUT-style input errors (-2) naming the field, or -1.
 * create: zeroed or discarded so a guest never reads old data. clone: a
 * copy-on-write copy of origin (thin snapshot with -kn, qcow2 overlay,
 * reflink, else a full copy, said so in its title).
 */
int		 pool_plan_create(struct plan *, const struct pool *,
		     const char *, uint64_t, const char *, char **);
int		 pool_plan_clone(struct plan *, const struct pool *,
		     const char *, const char *, char **);
int		 pool_plan_resize(struct plan *, const struct pool *,
		     const char *, uint64_t, char **);
int		 pool_plan_snapshot(struct plan *, const struct pool *,
		     const char *, const char *, uint64_t, char **);
int		 pool_plan_remove(struct plan *, const struct pool *,
		     const char *, char **);
/*
 * Every pool and its volumes in one look: one lvm2 report and one scan of
 * who uses what for all of them (`xendeck pools`, the Storage view).
 */
struct pool_report {
	struct pool	 *pools;
	size_t		  npools;
	struct volume	**vols;		/* per pool */
	size_t		 *nvols;
	char		**errors;	/* per pool: why its volumes are not
					   known, or NULL */
};
int		 pool_report_load(struct pool_report *, char **);
void		 pool_report_free(struct pool_report *);
/*
 * The facts about volume NAME (and its pool) that the pool_plan_* steps
 * for it depend on, with the ids of the steps that change them: a wizard's
 * facts() calls this for every volume its plan touches, so --resume
 * measures them again. The pool_plan_* functions add them too (once).
 */
void		 pool_facts(struct plan *, const struct pool *, const char *);
/* "8.0 GiB", "512.0 MiB", "1.5 TiB" (caller frees). */
char		*pool_size_string(uint64_t);
/* The size as lvcreate/qemu-img take it: "8G", "512M", else "NNNb". */
char		*pool_size_arg(uint64_t);
/* Where the directory pools are listed: plan_statedir()/pools. */
char		*pool_registry_path(void);
/* The directory pool that is always there: plan_statedir()/images. */
char		*pool_default_dir(void);
/*
 * The format of an image file name in a directory pool ("web1.qcow2" ->
 * "qcow2"; the length of "web1" in *stem), or NULL if it is not one.
 */
const char	*pool_image_format(const char *, size_t *);
/* Whether DIR is a directory pool (the default one, or registered). */
int		 pool_dir_known(const char *);
/* A name lvm2 takes for a VG or LV; -2 with *cause naming the field. */
int		 pool_check_name(const char *, const char *, char **);

/*
 * pool-users.c: who uses a disk. Running domains (through every backend
 * that can run here: a QEMU domain on a Xen host counts as much as a Xen
 * one) and the xl.cfg(5) files in /etc/xen ($XENDECK_XEN_DIR) and
 * /etc/xen/auto. Targets are compared by device number or inode, and by
 * the path as written where neither can be looked up.
 */
struct disk_user {
	char	*target;	/* "/dev/vg0/web1", as the config writes it */
	char	*who;		/* "domain web1", "/etc/xen/web1.cfg" */
	int	 running;	/* a running domain (not only a config) */
};
struct disk_users {
	struct disk_user *v;
	size_t		  n;
};
int		 disk_users_load(struct disk_users *, char **);
void		 disk_users_free(struct disk_users *);
/* Who uses PATH: a NULL-terminated list ("domain web1", ...) or NULL. */
char	       **disk_users_of(const struct disk_users *, const char *, int);
#define DISK_USERS_RUNNING 0x1	/* running domains only */

/*
 * blockdev.c: the host's block devices as candidates for a new physical
 * volume (lsblk -J; wipefs -n -J for signatures; /proc/swaps,
 * /proc/mdstat, sysfs holders, lvm2's PVs and the disks of domains for
 * what uses them).
 */
struct blockdev {
	char	 *path;		/* "/dev/vdb" */
	char	 *name;		/* "vdb" */
	char	 *type;		/* "disk", "part", "loop", ... (lsblk) */
	uint64_t  size;		/* bytes */
	char	 *model;	/* "QEMU HARDDISK", or NULL */
	int	  ro;
	char	**sigs;		/* what is on it: "ext4 'data'", "dos
				   partition table", "LVM2_member" */
	char	 *sig_error;	/* it could not be probed: why, or NULL */
	char	**uses;		/* in use: "mounted on /boot (vdb1)", "swap",
				   "md0", "PV of vg0", "domain web1" */
	char	 *vg;		/* a PV: its VG ("" orphan); NULL: not one */
};
int		 blockdev_list(struct blockdev **, size_t *, char **);
/* One device by path (symlinks followed); -1 with *cause if none. */
int		 blockdev_get(const char *, struct blockdev *, char **);
void		 blockdev_free(struct blockdev *);
void		 blockdev_list_free(struct blockdev *, size_t);
/* "ext4 'data', dos partition table" or "" (caller frees). */
char		*blockdev_sigs_string(const struct blockdev *);

/*
 * lvm.c: lvm2's view of the host in one `lvm fullreport --reportformat
 * json` (about 70 ms). Internal to pool*.c and blockdev.c. No lvm2
 * installed is an empty report (missing set), not an error.
 */
struct lvm_vg {
	char		*name;
	uint64_t	 size, free, extent;
};
struct lvm_pv {
	char		*name;		/* "/dev/vdb" */
	char		*vg;		/* "" for an orphan */
	uint64_t	 size, free, dev_size;
};
struct lvm_lv {
	char		*name, *vg, *path;	/* path "" when not public */
	char		*uuid;
	char		*origin;	/* "" if none */
	char		*pool_lv;	/* thin: its pool; "" if none */
	char		*layout;	/* "linear", "thin,sparse", "thin,pool" */
	char		*attr;		/* lv_attr: "-wi-ao----" */
	char		*tags;		/* "a,b" */
	uint64_t	 size;		/* classic snapshot: its COW space */
	uint64_t	 origin_size;	/* snapshot: the origin's size */
	double		 data_pct;	/* thin: data %, else -1 */
	double		 snap_pct;	/* classic snapshot fill %, else -1 */
	int		 open;		/* 1, 0, -1 unknown (no activation) */
	int		 zero;		/* thin pool zeroes new blocks: 1, 0, -1 */
	int		 thin_pool;	/* it is a thin pool */
	int		 thin;		/* a thin volume */
	int		 snapshot;	/* a classic snapshot */
};
struct lvm_report {
	struct lvm_vg	*vgs;
	size_t		 nvgs;
	struct lvm_pv	*pvs;
	size_t		 npvs;
	struct lvm_lv	*lvs;		/* hidden ones ("[x_tdata]") left out */
	size_t		 nlvs;
	int		 missing;	/* lvm2 is not installed */
};
int		 lvm_report_load(struct lvm_report *, char **);
/* Parse fullreport's JSON (for tests); -1 with *cause. */
int		 lvm_report_parse(struct lvm_report *, const char *, size_t,
		     char **);
void		 lvm_report_free(struct lvm_report *);
const struct lvm_vg *lvm_vg_find(const struct lvm_report *, const char *);
const struct lvm_lv *lvm_lv_find(const struct lvm_report *, const char *,
		     const char *);
/* The PV on a device (by device number, else by path), or NULL. */
const struct lvm_pv *lvm_pv_find(const struct lvm_report *, const char *);
int		 lvm_has_tag(const struct lvm_lv *, const char *);
/* pool.c: pool_volumes() from a report and users already loaded. */
int		 pool_volumes_from(const struct pool *,
		     const struct lvm_report *, const struct disk_users *,
		     struct volume **, size_t *, char **);

/*
 * template.c, identity.c: PV guests the way xen-create-image makes them,
 * but each a copy-on-write clone of a template with its own identity
 * (issue 16). A template is a Debian root without identity, built once by
 * scripts/template-build into a cached ext4 image and copied once into a
 * pool as the volume tmpl-DIST-KEY8. identity_apply() writes a
 * clone's identity into its unmounted filesystem through libext2fs (a qcow2
 * volume through qemu-storage-daemon's FUSE export): hostname, hosts,
 * machine-id, SSH host keys made on the host, a random seed, root's
 * password hash or authorized key, eth0's settings, a filesystem UUID.
 * Secrets never reach the log.
 */
/* rawview.c: any image (raw, qcow2) as a raw file at ->path. */
struct rawview {
	const char		*path;		/* the raw bytes: read these */
	struct spawn_proc	 proc;		/* qemu-storage-daemon, if any */
	int			 started;
	char			*dir, *file;	/* its private mountpoint */
};
int		 rawview_open(const char *, const char *, int,
		     struct rawview *, char **);	/* image, format, rw */
int		 rawview_close(struct rawview *, char **);
extern const char *const template_dists[];	/* "bookworm", NULL */
int		 template_dist_valid(const char *);
char		*template_script(char **);
char	       **template_build_argv(const char *, char **);
/* *image: DIST's template; 1 when built, 0 when not yet, -1 on error. */
int		 template_image(const char *, char **, char **);
int		 template_build(const char *,
		     void (*)(void *, int, const char *), void *, char **,
		     char **);
/* "@@xendeck phase N/TOTAL NAME": 1 and the parts (name borrowed). */
int		 template_phase(const char *, int *, int *, const char **);
char		*template_volume_name(const char *);
uint64_t	 template_image_size(const char *);

struct identity {
	char	*hostname;
	char	*password_file;		/* root's password: its first line */
	char	*generate_password;	/* or make one and keep it in this
					   new file (0600), for the user */
	char	*ssh_key_file;		/* root's authorized_keys */
	char	*ip;			/* eth0 static, CIDR; NULL: DHCP */
	char	*gateway;		/* with ip, or NULL */
};
struct identity_result {
	char	 *machine_id;
	char	**fingerprints;		/* "SHA256:... (ED25519)" */
};
void		 identity_init(struct identity *);
void		 identity_free(struct identity *);
void		 identity_result_free(struct identity_result *);
/* Write the identity into the clone PATH of FORMAT ("raw", "qcow2"). */
int		 identity_apply(const char *, const char *,
		     const struct identity *, struct identity_result *,
		     char **);
int		 identity_mac(char *, char **);		/* into char[18] */
int		 identity_password(char *, size_t, char **);
int		 identity_hash_password(const char *, char **, char **);
int		 identity_check_ssh_key(const char *, char **);

/*
 * xlcfg.c: xl.cfg(5) as Xen's libxlutil reads it. Two layers: the generic
 * one (every setting, as written, with its position) and the semantic one
 * (struct xlcfg, validated). Unknown keys stay in the generic layer and
 * produce a warning; nothing is dropped. Parse errors are
 * "FILE:LINE:COL: message".
 */
enum xlcfg_vtype { XLCFG_STRING, XLCFG_LIST };
struct xlcfg_value {
	enum xlcfg_vtype	  type;
	char			 *str;		/* XLCFG_STRING: the value */
	int			  number;	/* written as a number literal */
	struct xlcfg_value	**items;	/* XLCFG_LIST */
	size_t			  nitems;
	int			  line, col;
};
struct xlcfg_setting {
	char			*name;
	struct xlcfg_value	*value;	/* effective value (after +=); an
					   earlier setting that a later += went
					   on from is left an empty value of
					   its type (the later one has it all) */
	int			 line, col;
	int			 append;	/* written with += */
};

enum xlcfg_type { XLCFG_TYPE_PV, XLCFG_TYPE_HVM, XLCFG_TYPE_PVH };
enum xlcfg_action {
	XLCFG_ACT_DESTROY, XLCFG_ACT_RESTART, XLCFG_ACT_RENAME_RESTART,
	XLCFG_ACT_PRESERVE, XLCFG_ACT_COREDUMP_DESTROY,
	XLCFG_ACT_COREDUMP_RESTART, XLCFG_ACT_SOFT_RESET
};

/* One disk= entry (xl-disk-configuration(5)). */
struct xlcfg_disk {
	char	*spec;		/* the entry as written */
	char	*target;	/* NULL for an empty cdrom */
	char	*format;	/* "raw", "qcow2", "qcow", "vhd", "empty" */
	char	*vdev;		/* "xvda", "hda", "xvda2", "sdb" */
	int	 readwrite;	/* access: 1 rw, 0 ro */
	int	 cdrom;		/* devtype=cdrom */
	char	*backendtype;	/* "phy", "qdisk", "tap" or NULL */
	char	*script;
	int	 direct_io_safe;
	int	 discard;	/* -1 unset, 0 no, 1 yes */
	char	*backend;	/* backend domain, or NULL */
	char	*specification;	/* "xen", "virtio" or NULL */
	int	 colo;		/* -1 unset, 0 no-colo, 1 colo */
	char	*colo_host, *colo_export, *active_disk, *hidden_disk;
	int	 colo_port;	/* 0 unset */
};

/*
 * The defaults of xl.cfg, in one place: the semantic layer fills them in
 * (and nothing else decides them again).
 */
#define XLCFG_DEFAULT_BRIDGE	"xenbr0"	/* the guide's bridge */
#define XLCFG_DEFAULT_NIC_MODEL	"rtl8139"	/* an emulated HVM NIC */
#define VNC_DISPLAY_MAX		(65535 - 5900)	/* display N: port 5900+N */

/* One vif= entry (xl-network-configuration(5)). NULL/-1 where not given. */
struct xlcfg_vif {
	char	*spec;
	char	*mac;		/* "00:16:3e:12:34:56" */
	char	*bridge;	/* default XLCFG_DEFAULT_BRIDGE */
	char	*model;		/* "rtl8139", "e1000", ... */
	char	*type;		/* "ioemu" or "vif" */
	char	*vifname;
	char	*script;
	char	*ip;
	char	*rate;		/* as written: "10Mb/s@20ms" */
	uint64_t rate_bytes_per_interval;
	uint32_t rate_interval_usecs;
	int	 mtu;
	char	*backend;
	char	*gatewaydev;
	int	 devid;		/* -1 unset */
	int	 trusted;	/* -1 unset, 0 untrusted, 1 trusted */
	int	 defaulted;	/* XLCFG_VIF_DEF_*: filled in, not written */
	char   **extra;		/* settings xendeck does not model, as written */
	char   **warnings;	/* about those */
};
#define XLCFG_VIF_DEF_BRIDGE	0x1
#define XLCFG_VIF_DEF_TYPE	0x2
#define XLCFG_VIF_DEF_MODEL	0x4
#define XLCFG_VIF_DEF_SCRIPT	0x8

/* struct xlcfg's defaulted: the fields filled in, not written. */
#define XLCFG_DEF_MEMORY	0x01
#define XLCFG_DEF_MAXMEM	0x02
#define XLCFG_DEF_VCPUS		0x04
#define XLCFG_DEF_MAXVCPUS	0x08
#define XLCFG_DEF_ACPI		0x10
#define XLCFG_DEF_VNC		0x20
#define XLCFG_DEF_VNCUNUSED	0x40
#define XLCFG_DEF_SDL		0x80

struct xlcfg_index;
struct xlcfg {
	char			*path;		/* file it came from */
	struct xlcfg_setting	*settings;	/* generic layer, in order */
	size_t			 nsettings;
	struct xlcfg_index	*index;		/* xlcfg.c's: names to settings */
	char		       **warnings;	/* "FILE:LINE: ..." */
	size_t			 nwarnings;
	int			 syntax_only;	/* XLCFG_SYNTAX_ONLY: no semantics */

	/*
	 * The semantic layer. After xlcfg_sem_build every field has its
	 * value, defaults filled in (the -1 "unset" below is what is left
	 * only with XLCFG_SYNTAX_ONLY); defaulted says which were not
	 * written (XLCFG_DEF_*), so the writer leaves them out.
	 */
	int			 defaulted;
	char			*name;
	enum xlcfg_type		 type;
	int			 type_set;	/* type= or builder= given */
	int64_t			 memory;	/* MiB (default 128, at most
						   maxmem) */
	int64_t			 maxmem;	/* MiB (default memory) */
	int			 vcpus;		/* default 1 */
	int			 maxvcpus;	/* default vcpus */
	char			*uuid;
	char			*kernel;
	char			*ramdisk;
	char			*extra;
	char			*root;
	char			*cmdline;
	char			*bootloader;
	char		       **bootloader_args;
	char			*boot;		/* "c", "d", "n", "dc" */
	int			 acpi;		/* default 1 */
	int			 vnc;		/* default 1 for HVM, else 0 */
	char			*vnclisten;	/* as written */
	int			 vncdisplay;	/* -1 unset */
	int			 vncunused;	/* default 1 */
	char			*vncpasswd;
	int			 sdl;		/* default 0 */
	/* VNC, resolved from vnc, vnclisten, vncdisplay and vncunused: */
	char			*vnc_host;	/* TCP listen address, or NULL */
	int			 vnc_display;	/* the display, or where a search
						   for a free one starts */
	int			 vnc_search;	/* search upwards from it */
	char			*serial;
	char			*keymap;
	char			*device_model_version;
	enum xlcfg_action	 on_poweroff;	/* default destroy */
	enum xlcfg_action	 on_reboot;	/* default restart */
	enum xlcfg_action	 on_crash;	/* default destroy */
	struct xlcfg_disk	*disks;
	size_t			 ndisks;
	struct xlcfg_vif	*vifs;
	size_t			 nvifs;
};

/* What xl.cfg(5) says a key holds (xlcfg_key_kind). */
enum xlcfg_kind {
	XLCFG_KIND_UNKNOWN,	/* not an xl.cfg key */
	XLCFG_KIND_ANY,		/* several forms */
	XLCFG_KIND_STRING,
	XLCFG_KIND_INT,
	XLCFG_KIND_BOOL,	/* a number, 0 false */
	XLCFG_KIND_LIST
};

/* The largest xl.cfg file xlcfg_load reads (a real one is a few KiB). */
#define XLCFG_MAX_SIZE		(1024 * 1024)

/* Flags for xlcfg_parse_flags. */
#define XLCFG_SYNTAX_ONLY	0x1	/* generic layer only: no semantics */

/*
 * Load or parse a whole file (path names it in messages; buf need not be
 * NUL-terminated). On success *cfg is the caller's (xlcfg_free); on error
 * -1 and *cause is "FILE:LINE:COL: message".
 */
int		 xlcfg_load(const char *, struct xlcfg **, char **);
int		 xlcfg_parse(const char *, const char *, size_t,
		     struct xlcfg **, char **);
int		 xlcfg_parse_flags(const char *, const char *, size_t, int,
		     struct xlcfg **, char **);
void		 xlcfg_free(struct xlcfg *);
char		*xlcfg_write(const struct xlcfg *);
/* The (last) setting of a key, in O(1); NULL if none. */
const struct xlcfg_setting *xlcfg_get(const struct xlcfg *, const char *);
/* The setting of the same key before settings[i], or NULL. */
const struct xlcfg_setting *xlcfg_prev(const struct xlcfg *, size_t);
const char	*xlcfg_action_name(enum xlcfg_action);
const char	*xlcfg_type_name(enum xlcfg_type);
int		 xlcfg_parse_disk(const char *, struct xlcfg_disk *, char **);
void		 xlcfg_disk_free(struct xlcfg_disk *);
int		 xlcfg_parse_vif(const char *, struct xlcfg_vif *, char **);
void		 xlcfg_vif_free(struct xlcfg_vif *);
/* The rate= syntax: "10Mb/s", "1MB/s@20ms". */
int		 xlcfg_parse_rate(const char *, uint64_t *, uint32_t *,
		     char **);
/* Predicates, 1 if valid. valid_mac normalises into char[18] if non-NULL. */
int		 xlcfg_valid_uuid(const char *);
int		 xlcfg_valid_mac(const char *, char *);
int		 xlcfg_valid_vdev(const char *);
/* The disk and partition a vdev names ("hda", "xvda" and "sda": 0, 0). */
int		 xlcfg_vdev_number(const char *, long *, long *);
/* 0 and *action set, or -1 for a name xl does not know. */
int		 xlcfg_action_parse(const char *, enum xlcfg_action *);
/* Quote a string for xl.cfg ("..." with escapes); caller frees. */
char		*xlcfg_quote(const char *);
enum xlcfg_kind	 xlcfg_key_kind(const char *);
/* The value of a number key as xl reads it (strtol base 0); -1 if none. */
int		 xlcfg_number(const char *, long long *);

/* Internal to xlcfg*.c. */
struct xlcfg_strset;	/* a set of strings: add() is 1 if it was there */
struct xlcfg_strset *xlcfg_strset_new(void);
int		 xlcfg_strset_add(struct xlcfg_strset *, const char *);
void		 xlcfg_strset_free(struct xlcfg_strset *);
void		 xlcfg_clean_message(char **);
void		 xlcfg_warn(struct xlcfg *, int, const char *, ...)
		     printflike(3, 4);
void		 xlcfg_sem_init(struct xlcfg *);
int		 xlcfg_sem_build(struct xlcfg *, char **);

/*
 * xlcfg-lint.c: `check-config --lint`. An xl.cfg(5) against this host and
 * backend, beyond its syntax: disk targets missing or unreadable, bridges
 * that do not exist, a VNC port in use, memory that does not fit, a name
 * already running, a pygrub disk without a boot menu, keys obsolete or
 * ignored on this backend, a VNC display without a password. A finding is
 * an error when it would stop `create`, else a warning; each names its key
 * and line and gives one line of fix, naming the wizard that fixes it
 * where there is one. Backends add what only they know (backend_ops.lint)
 * with lint_add().
 */
struct backend_ops;
enum lint_level { LINT_ERROR, LINT_WARNING };
struct lint_finding {
	enum lint_level	 level;
	char		*id;		/* stable, for scripts: "bridge-missing" */
	char		*key;		/* "vif", or NULL: the file as a whole */
	int		 line;		/* 0: on no line (the key is absent) */
	char		*message;
	char		*fix;		/* one line, or NULL */
	char		*wizard;	/* the wizard that fixes it, or NULL */
};
struct lint_report {
	char			*path;
	const char		*backend;	/* the backend's name, or NULL */
	struct lint_finding	*v;
	size_t			 n;
	size_t			 nerrors, nwarnings;
};
/* Lint the file at path; returns the number of errors (never fails). */
size_t		 xlcfg_lint(const char *, const struct backend_ops *,
		     struct lint_report *);
void		 lint_report_free(struct lint_report *);
/* As check-config --lint prints it (caller frees). */
char		*lint_report_text(const struct lint_report *);
/* Add a finding: level, id, key, line, wizard, fix, message format. */
void		 lint_add(struct lint_report *, enum lint_level, const char *,
		     const char *, int, const char *, const char *,
		     const char *, ...) printflike(8, 9);
/* The line of KEY (0 if absent), of disk[i], of vif[i]. */
int		 xlcfg_line(const struct xlcfg *, const char *);
int		 xlcfg_item_line(const struct xlcfg *, const char *, size_t);
/* Whether ADDR (vnclisten's host part) is a loopback address. */
int		 lint_loopback(const char *);
/* A fixed VNC port on host: an error finding if it cannot be bound. */
void		 lint_vnc_port(struct lint_report *, const struct xlcfg *,
		     const char *, int);
/* Memory (MiB) against the host's total and free KiB; hard: > free is an
   error (Xen), else a warning (QEMU allocates as the guest touches it). */
void		 lint_memory(struct lint_report *, const struct xlcfg *,
		     uint64_t, uint64_t, int);

/*
 * iso.c: what an ISO image is, from its own structures (ISO 9660 volume
 * descriptors with Joliet and Rock Ridge names, El Torito, and UDF for the
 * bridge discs Windows ships): its label and size, how it boots, and what
 * installs from it. Also whether the user a device model runs as can read
 * it, and the ISOs found in the usual directories (the ISO picker).
 */
enum iso_kind {
	ISO_KIND_DATA,		/* no boot record */
	ISO_KIND_BOOTABLE,	/* boots, but no installer recognised */
	ISO_KIND_LINUX,		/* .disk/info, install.amd/, casper/, ... */
	ISO_KIND_WINDOWS	/* sources/install.wim, ... */
};
struct iso_info {
	char		 label[33];	/* volume identifier */
	uint64_t	 size;		/* the volume's size, bytes */
	uint64_t	 file_size;	/* the file's */
	int		 truncated;	/* shorter than its volume */
	int		 joliet, rockridge, udf;
	int		 boot_bios, boot_efi;	/* El Torito platforms */
	enum iso_kind	 kind;
	char		 evidence[160];	/* "sources/install.wim (UDF)" */
};
int		 iso_probe(const char *, struct iso_info *, char **);
const char	*iso_kind_name(enum iso_kind);
/* Whether USER (NULL: root) can read PATH; -1 with *cause saying why. */
int		 iso_readable_by(const char *, const char *, char **);
/* An ISO found in the usual directories. */
struct iso_entry {
	char		*path;
	struct iso_info	 info;
	char		*error;		/* not an ISO, or unreadable: why */
};
/*
 * Where ISOs are looked for: $XENDECK_ISO_DIRS (colon-separated), else
 * /var/lib/xendeck/isos, /srv/iso, /srv/isos, /var/lib/libvirt/images,
 * /var/lib/libvirt/boot, /root, /root/Downloads, /home/ * /Downloads.
 */
char	       **iso_dirs(void);
/* Every *.iso in those directories (and one level below), by path. */
int		 iso_list(struct iso_entry **, size_t *);
void		 iso_list_free(struct iso_entry *, size_t);

/*
 * backend.c: the hypervisor a console drives, behind one ops struct. Callers
 * never test a backend's name. Domains are named by name or by domid string.
 */
enum dom_state {
	DOM_RUNNING = 0x01, DOM_BLOCKED = 0x02, DOM_PAUSED = 0x04,
	DOM_SHUTDOWN = 0x08, DOM_CRASHED = 0x10, DOM_DYING = 0x20,
	/* Other shutdown reasons xl list shows in the 5th column. */
	DOM_REASON_REBOOT = 0x40, DOM_REASON_SUSPEND = 0x80,
	DOM_REASON_WATCHDOG = 0x100, DOM_REASON_SOFTRESET = 0x200
};
struct dom_info {
	char		 name[NAME_MAX_LEN + 1];
	int		 domid;		/* 0 is the host (Domain-0) */
	int		 state;		/* DOM_* flags, as xl list's r b p s c d */
	enum xlcfg_type	 type;
	uint64_t	 mem_kb;
	uint64_t	 maxmem_kb;
	int		 vcpus;
	int		 vcpus_online;
	uint64_t	 cpu_ns;	/* cumulative cpu time */
	char		 uuid[37];
	int		 has_vnc;
	int		 has_console;
};

/* Per-device counters; UINT64_MAX where a value does not exist. */
struct dom_vif_stats {
	char		 name[32];	/* vif<domid>.<n> */
	uint64_t	 tx_bytes, tx_pkts, tx_errs, tx_drop;
	uint64_t	 rx_bytes, rx_pkts, rx_errs, rx_drop;
};
struct dom_vbd_stats {
	char		 name[32];	/* vdev */
	uint64_t	 oo, rd_reqs, wr_reqs, rd_sect, wr_sect;
};
struct dom_vcpu_stats {
	int		 online;
	uint64_t	 cpu_ns;
};
#define STAT_NONE UINT64_MAX
struct dom_stats {
	struct dom_info		 info;
	uint64_t		 sample_us;	/* mono_us() at sampling */
	struct dom_vif_stats	*vifs;
	size_t			 nvifs;
	struct dom_vbd_stats	*vbds;
	size_t			 nvbds;
	struct dom_vcpu_stats	*vcpu;
	size_t			 nvcpu;
	const char		*why_none;	/* why some stat is '-' */
};

struct host_info {
	char		 hostname[256];
	char		 release[128];		/* uname -r */
	char		 machine[64];
	char		 cpu_model[128];
	int		 nr_cpus, cores_per_socket, threads_per_core, sockets;
	int		 cpu_mhz;
	int		 hvm_support;		/* VT-x / AMD-V present */
	int		 hvm_enabled;		/* usable (kvm or xen hvm) */
	const char	*virt_ext;		/* "vmx", "svm" or NULL */
	int		 iommu;			/* VT-d / AMD-Vi */
	uint64_t	 total_kb, free_kb;
	char		 backend[16];		/* "qemu", "xl" */
	char		 accel[16];		/* "kvm", "tcg", "xen" */
	char		 hv_version[64];	/* QEMU or Xen version */
	char		 caps[256];
	char		 accel_why[160];	/* why not the better one */
};

struct vnc_endpoint {
	char	*unix_path;	/* set for a unix socket */
	char	*host;		/* or host and port */
	int	 port;
	char	*password;	/* NULL if none */
};
void		 vnc_endpoint_free(struct vnc_endpoint *);

#define BE_CREATE_PAUSED	0x1
#define BE_CREATE_DRYRUN	0x2	/* print what would run, start nothing */
#define BE_SHUTDOWN_WAIT	0x1
#define BE_SHUTDOWN_FORCE	0x2	/* ACPI fallback, xl shutdown -F */

struct lint_report;
struct backend_ops {
	const char	*name;
	/* 0 if this backend can run here, else -1 and why. */
	int	(*probe)(char **);
	int	(*host_info)(struct host_info *, char **);
	/* Every domain, Domain-0 first; caller frees the array. */
	int	(*list)(struct dom_info **, size_t *, char **);
	int	(*create)(const struct xlcfg *, int, int *, char **);
	int	(*shutdown)(const char *, int, char **);
	int	(*reboot)(const char *, int, char **);
	int	(*destroy)(const char *, char **);
	int	(*pause)(const char *, char **);
	int	(*unpause)(const char *, char **);
	/* A connected fd on the domain's serial/PV console. */
	int	(*console_open)(const char *, int *, char **);
	/* The console's log file, for "the last lines" views; may be NULL. */
	char   *(*console_log)(const char *);
	int	(*vnc_endpoint)(const char *, struct vnc_endpoint *, char **);
	/* One sample of every domain; free with dom_stats_free. */
	int	(*sample)(struct dom_stats **, size_t *, char **);
	/*
	 * Optional (NULL if the backend has none), for the console's Domain
	 * detail view: the xl.cfg the domain was created from (a snapshot),
	 * and the log of its supervisor (QEMU: the per-domain supervisor;
	 * xl: xl's own log). Both return a malloc'd path or NULL.
	 */
	char   *(*config_path)(const char *);
	char   *(*supervisor_log)(const char *);
	/*
	 * Optional: the disks the domain has now, as the backend knows them
	 * ("/dev/vg0/web1", "/srv/images/web1.img"), NULL-terminated (caller
	 * frees with strv_free), or NULL. Who uses a pool's volume
	 * (pool-users.c); without it, the config_path's disk= entries.
	 */
	char  **(*disks)(const char *);
	/*
	 * Optional (hvm): change the medium in an HVM domain's CD drive, as
	 * xl cd-eject and cd-insert do: domain, vdev (NULL: its first
	 * cdrom), and for cd_insert the image. The change outlives a reboot
	 * of the domain, as on Xen.
	 */
	int	(*cd_eject)(const char *, const char *, char **);
	int	(*cd_insert)(const char *, const char *, const char *, char **);
	/*
	 * Optional (hvm): what only this backend knows about an xl.cfg: the
	 * keys it ignores or cannot run, its VNC and memory facts (lint).
	 */
	void	(*lint)(const struct xlcfg *, struct lint_report *);
	/*
	 * Optional (hvm): whether a vncpasswd works for this backend's
	 * device model: 1, or 0 and why not (Debian 12's qemu-system-xen
	 * has no DES, so a password stops it). NULL op: it works.
	 */
	int	(*vnc_password)(char **);
};
extern const struct backend_ops backend_qemu_ops;
extern const struct backend_ops backend_xl_ops;	/* with --with-xen */

const struct backend_ops *backend_find(const char *, char **);
const struct backend_ops *backend_default(char **);
int		 backend_is_dom0(const char *);
char		*backend_dom0_refused(const char *);	/* caller frees */
void		 dom_stats_free(struct dom_stats *, size_t);
const char	*dom_state_string(int, char *);	/* "r-----" into char[7] */

/*
 * sampler.c: periodic samples of every domain through backend->sample();
 * deltas between two samples become rates (CPU% = delta cpu_ns / delta
 * wall time), and a short history (the last minute) feeds sparklines. The
 * rows are the domain table model views draw from: nothing else reads the
 * backend's counters.
 */
#define SAMPLER_HISTORY	64	/* cpu% points kept per domain */
#define SAMPLER_WINDOW_US 60000000ULL	/* "the last minute" */
struct dom_row {
	struct dom_stats	 s;		/* latest sample; owns its arrays */
	int			 nsamples;	/* samples seen for this domain */
	/* Totals over devices; STAT_NONE where no device reports one. */
	uint64_t		 tx_bytes, rx_bytes;
	uint64_t		 vbd_oo, vbd_rd, vbd_wr, vbd_rsect, vbd_wsect;
	/* Rates since the previous sample; < 0 before the second one. */
	double			 cpu_pct;
	double			 tx_kbs, rx_kbs;
	double			 rd_iops, wr_iops;
	double			*vcpu_pct;	/* per vcpu, s.nvcpu long */
	uint64_t		 host_mem_kb;	/* for MEM(%) */
	int			 host_cpus;
	/* cpu% history: ring of SAMPLER_HISTORY (time, value) points. */
	uint64_t		 hist_us[SAMPLER_HISTORY];
	float			 hist[SAMPLER_HISTORY];
	size_t			 hist_n, hist_head;
	int			 mark;
};
struct sampler {
	const struct backend_ops *be;
	struct dom_row		**rows;		/* in the backend's order */
	size_t			  nrows;
	struct host_info	  host;
	int			  have_host;
	uint64_t		  last_us;	/* when the last sample ran */
	unsigned int		  generation;	/* bumped by every sample */
	uint64_t		  cost_us;	/* time the last sample took */
};
void		 sampler_init(struct sampler *, const struct backend_ops *);
void		 sampler_free(struct sampler *);
int		 sampler_update(struct sampler *, char **);
void		 sampler_feed(struct sampler *, struct dom_stats *, size_t);
struct dom_row	*sampler_find(struct sampler *, const char *);
size_t		 sampler_history(const struct dom_row *, uint64_t, float *,
		     size_t);

/*
 * columns.c: the xentop field table as data. Every column has an id, a key
 * (for --fields, configs and JSON), xentop's title and width, a comparator
 * and a printer producing a string (no curses here). A printer returns NULL
 * when the value exists, or the reason it does not (it then prints "-").
 */
enum col_id {
	COL_NAME, COL_STATE, COL_CPU_SEC, COL_CPU_PCT, COL_MEM_K, COL_MEM_PCT,
	COL_MAXMEM_K, COL_MAXMEM_PCT, COL_VCPUS, COL_NETS, COL_NETTX,
	COL_NETRX, COL_VBDS, COL_VBD_OO, COL_VBD_RD, COL_VBD_WR,
	COL_VBD_RSECT, COL_VBD_WSECT,
	/* Beyond xentop: the id and rates. */
	COL_ID, COL_TX_RATE, COL_RX_RATE, COL_RD_IOPS, COL_WR_IOPS,
	COL_NCOLUMNS
};
#define COL_XENTOP_COUNT (COL_VBD_WSECT + 1)	/* xentop -b's columns */
struct column {
	enum col_id	  id;
	const char	 *key;		/* "cpu_pct" */
	const char	 *title;	/* "CPU(%)" */
	int		  width;
	int		  left;		/* left-aligned (NAME) */
	int		  numeric;	/* JSON number, CSV unquoted */
	int		(*cmp)(const struct dom_row *, const struct dom_row *);
	const char     *(*print)(const struct dom_row *, char *, size_t);
	const char	 *help;		/* one line for the column chooser */
};
extern const struct column col_table[COL_NCOLUMNS];
const struct column *col_find(const char *);
const char	*col_format(const struct column *, const struct dom_row *,
		     char *, size_t);
int		 col_parse_list(const char *, enum col_id *, size_t *,
		     char **);

/*
 * bootloader.c: xendeck's pygrub. Reads the boot menu of a guest disk image
 * (MBR, GPT or a bare filesystem; ext2/3/4 through libext2fs; the first of
 * /boot/grub/grub.cfg, /grub/grub.cfg, /boot/grub2/grub.cfg, /grub2/grub.cfg,
 * /boot/grub/menu.lst, /grub/menu.lst), picks the entry GRUB would boot and
 * copies its kernel and initrd out. Disk contents are untrusted: menus are
 * capped at 1 MiB, words and command lines at 4 KiB, kernels at 256 MiB,
 * initrds at 1 GiB. Errors name the image, the partition and file:line.
 */
struct bootloader_entry {
	char	*title;
	char	*id;		/* --id, or NULL */
	char	*kernel;	/* path in the filesystem, device prefix gone */
	char	*ramdisk;	/* NULL without an initrd line */
	char	*args;		/* the kernel command line, NULL without one */
	int	 index;		/* top-level position (GRUB's default=N) */
	int	 subindex;	/* position in its submenu, -1 at top level */
	int	 multiboot;	/* multiboot/module: a hypervisor entry */
	int	 line;		/* where it starts in the menu file */
	/* multiboot entries (Xen): the image, its command line, modules */
	char	*hypervisor;	/* "/boot/xen-4.17-amd64.gz", or NULL */
	char	*hv_args;	/* as written after the image */
	char   **modules;	/* "PATH ARGS" each, in order, or NULL */
};
struct bootloader_menu {
	struct bootloader_entry	*entries;	/* submenu children included */
	size_t			 nentries;
	char			*default_spec;	/* default= as written */
	int			 default_entry;	/* index into entries, -1 none */
	char		       **tops;		/* title, id per top position */
	size_t			 ntops;
};
/* Parse a menu held in memory; FILE names it in errors. */
int		 bootloader_parse_grubcfg(const char *, const char *, size_t,
		     struct bootloader_menu *, char **);
int		 bootloader_parse_menulst(const char *, const char *, size_t,
		     struct bootloader_menu *, char **);
void		 bootloader_menu_free(struct bootloader_menu *);
/* Make SPEC (GRUB's default= syntax) the default; -1 if it names nothing. */
int		 bootloader_menu_select(struct bootloader_menu *, const char *);
/* The menu of a disk image. */
int		 bootloader_read_menu(const char *, struct bootloader_menu *,
		     char **);
/*
 * Copy the default entry's kernel and initrd out of DISK into OUTDIR (as
 * OUTDIR/kernel and OUTDIR/ramdisk, mode 0600, replaced atomically). Sets
 * *kernel, *ramdisk (NULL when the entry has no initrd) and *args (the
 * command line, "" if none), all the caller's.
 */
int		 bootloader_extract(const char *, const char *, char **,
		     char **, char **, char **);
/*
 * xl.cfg's bootloader_args as pygrub reads them: --entry=N|TITLE|ID (GRUB's
 * default= syntax, "1>0" too) picks another entry; --kernel=PATH
 * [--ramdisk=PATH] skips the menu; --args=ARGS is appended to the entry's
 * command line (or is the whole one with --kernel). -q, -i and pygrub's
 * --output* options are ignored; anything else is an error.
 */
struct bootloader_opts {
	char	*entry;
	char	*kernel;
	char	*ramdisk;
	char	*args;
};
int		 bootloader_opts_parse(char *const *, struct bootloader_opts *,
		     char **);
void		 bootloader_opts_free(struct bootloader_opts *);
/* bootloader_extract with options (NULL: none). */
int		 bootloader_extract_opts(const char *, const char *,
		     const struct bootloader_opts *, char **, char **, char **,
		     char **);

/*
 * grub.c: Debian's GRUB configuration as the Xen install wizard reads and
 * edits it: /etc/default/grub and /etc/default/grub.d/NAME.cfg (shell files
 * grub-mkconfig sources in that order; read without running them), the
 * output of `dpkg-divert --list`, and the entry /boot/grub/grub.cfg boots
 * by default. Errors name the file and line.
 */
struct grub_assign {
	char	*file;
	int	 line;
	char	*name;		/* "GRUB_CMDLINE_XEN_DEFAULT" */
	char	*raw;		/* the value as written, quotes and all */
	char	*value;		/* as the shell gives it ($NAME expanded from
				   the assignments before; $(...) as written) */
	int	 simple;	/* no command substitution, no backslashes */
	int	 conditional;	/* inside if/case/for/while */
	size_t	 start, end;	/* NAME=VALUE's bytes in its file */
};
struct grub_defaults {
	char			**files;	/* as read, in order */
	struct grub_assign	 *v;		/* every assignment, in order */
	size_t			  n;
};
struct grub_divert {
	char	*from;		/* "/etc/grub.d/20_linux_xen" */
	char	*to;		/* "/etc/grub.d/08_linux_xen" */
	char	*by;		/* the package, or NULL for a local one */
};
struct grub_boot {
	char	*title;		/* of the default entry */
	char	*default_spec;	/* grub.cfg's default= */
	char	*hypervisor;	/* multiboot image, NULL if none */
	char	*hv_args;	/* its command line */
	char	*kernel;	/* Linux (the dom0 kernel under Xen) */
	char	*args;
};
int		 grub_defaults_parse(const char *, const char *, size_t,
		     struct grub_defaults *, char **);	/* appends */
int		 grub_defaults_load(const char *, struct grub_defaults *,
		     char **);	/* root dir or NULL */
void		 grub_defaults_free(struct grub_defaults *);
const struct grub_assign *grub_defaults_last(const struct grub_defaults *,
		     const char *, int);	/* name, conditional ones too */
int		 grub_assign_editable(const struct grub_assign *);
char		*grub_defaults_edit(const char *, const char *, size_t,
		     const struct grub_assign *, const char *, char *const *,
		     const char *, int, char **);
char		*grub_cmdline_get(const char *, const char *);
char		*grub_cmdline_set(const char *, const char *, const char *);
int		 grub_diversions_parse(const char *, size_t,
		     struct grub_divert **, size_t *, char **);
void		 grub_diversions_free(struct grub_divert *, size_t);
int		 grub_boot_parse(const char *, const char *, size_t,
		     struct grub_boot *, char **);
int		 grub_boot_read(const char *, struct grub_boot *, char **);
void		 grub_boot_free(struct grub_boot *);
int		 grub_boot_is_xen(const struct grub_boot *);

/*
 * dom0.c: the machine's size (xl info under Xen: a PV dom0's /proc shows
 * its own) and the dom0 sizes the Xen install wizard advises.
 */
uint64_t	 dom0_meminfo_mib(const char *, size_t);
int		 dom0_host_size(uint64_t *, int *, const char **, char **);
uint64_t	 dom0_mem_advice(uint64_t);	/* MiB -> MiB */
int		 dom0_vcpus_advice(int);

/*
 * qmp.c: a QMP client over a unix socket (jansson). qmp_connect() greets
 * and negotiates; then commands go out with ids and replies and events are
 * read without blocking (watch qmp_fd(), call qmp_read()). Replies and
 * events are jansson values: callers that use them include <jansson.h>.
 */
struct json_t;
struct qmp;
struct qmp	*qmp_connect(const char *, int, char **);
void		 qmp_close(struct qmp *);
int		 qmp_fd(const struct qmp *);
int		 qmp_eof(const struct qmp *);
int		 qmp_read(struct qmp *, char **);
int		 qmp_send(struct qmp *, const char *, struct json_t *, char **);
int		 qmp_reply(struct qmp *, int, struct json_t **, char **);
int		 qmp_wait_reply(struct qmp *, int, struct json_t **, int,
		     char **);
int		 qmp_execute(struct qmp *, const char *, struct json_t *,
		     struct json_t **, int, char **);
struct json_t	*qmp_event(struct qmp *);
int		 qmp_oneshot(const char *, const char *, struct json_t *,
		     struct json_t **, int, char **);

/*
 * supervisor.c: the body of the hidden `xendeck supervise NAME`, the qemu
 * backend's per-domain supervisor, which create execs (it is not for people
 * to run). Returns only when it cannot start: -1 with *cause.
 */
int		 supervisor_run(const char *, char **);

/* host.c: host facts for `info`, and whether KVM can be used. */
/* What a network interface name is here (host_bridge_state). */
#define HOST_IF_NONE	0	/* no such interface */
#define HOST_IF_BRIDGE	1
#define HOST_IF_OTHER	2	/* an interface, not a bridge */
int		 host_bridge_state(const char *);
/* 0 if HOST:PORT can be bound now; -1 with *cause (in use, bad host). */
int		 host_tcp_port_free(const char *, int, char **);
/*
 * Whether the QEMU binary can take a VNC password (needs DES): 1, or 0
 * with *why. Run once per binary and process (about 50 ms).
 */
int		 host_qemu_vnc_password(const char *, char **);
int		 host_probe(struct host_info *, char **);
int		 host_kvm_usable(char **);
char		*host_qemu_version(const char *);
uint64_t	 host_cpu_ns(void);
/* The host check's facts (wizards/wiz-host-check.c, the Guide view). */
struct host_os {
	char	 id[32];		/* "debian" */
	char	 version_id[32];	/* "12" */
	char	 codename[32];		/* "bookworm" */
	char	 pretty[128];
	char	 debian_version[32];	/* "12.5", or "" */
};
struct host_vg {
	char	 name[NAME_MAX_LEN + 1];
	uint64_t size, free;		/* bytes */
};
int		 host_cpu_flag(const char *);
int		 host_iommu_table(char *, size_t);	/* "DMAR"/"IVRS" */
int		 host_os_release(struct host_os *, char **);
int		 host_fs_space(const char *, uint64_t *, uint64_t *, char **);
int		 host_vgs(struct host_vg **, size_t *, char **);

/*
 * host-xen.c: whether Xen runs, whether this is dom0, and `xl info` (once
 * Xen runs, the only place that tells HVM and IOMMU support: a PV dom0's
 * /proc/cpuinfo hides vmx/svm and Xen hides the DMAR table from it).
 */
struct host_xen {
	int	 running;	/* /sys/hypervisor/type is xen */
	int	 dom0;		/* and this is its control domain */
	char	 version[32];	/* "4.17.3" */
	char	*info;		/* xl info's output (dom0), or NULL */
	char	*info_why;	/* why there is none */
};
void		 host_xen_probe(struct host_xen *);
void		 host_xen_free(struct host_xen *);
char		*host_xen_info(const struct host_xen *, const char *);
int		 host_xen_hvm(const struct host_xen *);	/* 1, 0, -1 */
int		 host_xen_word(const char *, const char *);

/* firmware.c: EFI or BIOS, Secure Boot. */
struct host_firmware {
	int	 efi;		/* booted through EFI */
	int	 secure_boot;	/* 1 on, 0 off, -1 unknown (or BIOS) */
	int	 setup_mode;	/* 1 setup mode, 0 user mode, -1 unknown */
};
void		 firmware_probe(struct host_firmware *);

/* pkg.c: Debian packages (dpkg-query). */
enum pkg_state { PKG_ABSENT, PKG_INSTALLED, PKG_CONFIG_ONLY, PKG_HALF };
struct pkg {
	char		*name;
	enum pkg_state	 state;
	char		*version;	/* NULL when absent */
};
int		 pkg_query(char *const *, struct pkg **, char **);
void		 pkg_query_parse(char *, char *const *, struct pkg **);
void		 pkg_list_free(struct pkg *, size_t);
int		 pkg_installed(const char *);
/* What apt-get install would add or upgrade (apt-get -s). */
struct pkg_change {
	char	*name;
	char	*version;	/* what apt would install */
	char	*old;		/* the installed version, NULL if new */
};
int		 pkg_simulate_parse(const char *, size_t, struct pkg_change **,
		     size_t *, char **);
int		 pkg_simulate_install(char *const *, int, struct pkg_change **,
		     size_t *, char **);	/* names, recommends */
void		 pkg_changes_free(struct pkg_change *, size_t);

/*
 * autostart.c (issue 19): the domains started with the host, the configs
 * in ${XENDECK_XEN_DIR:-/etc/xen}/auto (xendomains' convention). xendeck
 * adds one as a symbolic link to its config, recorded in
 * ${XENDECK_STATEDIR:-/var/lib/xendeck}/autostart/, and removes only the
 * links it made. Entries are listed by file name; dotfiles and editors' or
 * package managers' leftovers (~, .dpkg-old, .bak ...) are not configs.
 */
struct autostart {
	char	*name;		/* the domain's name= (NULL: see error) */
	char	*path;		/* the entry in the auto dir */
	char	*target;	/* where a link points, or NULL: a file */
	int	 ours;		/* a link xendeck made */
	char	*error;		/* why it cannot be read, or NULL */
};
char		*autostart_dir(void);
int		 autostart_list(struct autostart **, size_t *, char **);
void		 autostart_list_free(struct autostart *, size_t);
const struct autostart *autostart_find(const struct autostart *, size_t,
		     const char *);
char		*autostart_find_config(const char *);
int		 autostart_add(const char *, char **, char **);
int		 autostart_remove(const char *, char **);

/*
 * jsonx.c: jansson helpers for xendeck's state files (callers that use them
 * include <jansson.h>).
 */
struct json_t	*jsonx_strv_array(char *const *);
char	       **jsonx_array_strv(struct json_t *);
char		*jsonx_str(struct json_t *, const char *);
void		 jsonx_set_str(struct json_t *, const char *, const char *);

/*
 * ifupdown.c: interfaces(5) as Debian's ifupdown 0.8 reads it (source and
 * source-directory followed, under a root prefix), kept byte for byte in
 * logical lines, and the bridge wizard's edit of it: the NIC's stanza
 * becomes "inet manual", its address settings move to a new (or the
 * existing) bridge stanza with bridge_ports, bridge_hw, bridge_stp off and
 * bridge_fd 0; every comment and every other stanza stays as it was.
 * Errors are "FILE:LINE: message".
 */
#define IFUPDOWN_NONE ((size_t)-1)
struct ifupdown_line {
	size_t	 off, len;	/* its bytes in the file, newlines included */
	int	 lineno;	/* its first physical line, from 1 */
	int	 nphys;		/* physical lines (a '\' continues one) */
	char	*text;		/* the logical line; NULL: blank or comment */
	size_t	 stanza;	/* the stanza it belongs to, or IFUPDOWN_NONE */
};
struct ifupdown_file {
	char			*path;	/* as ifup names it (below the root) */
	char			*data;
	size_t			 len;
	struct ifupdown_line	*lines;	/* cover data exactly */
	size_t			 nlines;
	size_t			 from;	/* the source stanza that read it */
	int			 wild;	/* read through a wildcard */
};
enum ifupdown_kind {
	IFUPDOWN_IFACE, IFUPDOWN_MAPPING,
	IFUPDOWN_AUTO,		/* auto, allow-CLASS */
	IFUPDOWN_SOURCE, IFUPDOWN_SOURCE_DIR,
	IFUPDOWN_OTHER		/* no-auto-down, no-scripts, rename */
};
struct ifupdown_opt {
	char	*key;
	char	*value;		/* continuation lines joined */
	size_t	 line;		/* in the stanza's file */
};
struct ifupdown_stanza {
	enum ifupdown_kind	 kind;
	char			*keyword;	/* "iface", "allow-hotplug" */
	char		       **words;		/* the rest of its first line */
	size_t			 file, line;	/* where it starts */
	size_t			 last;		/* its last option's line */
	char			*name, *family, *method;	/* iface */
	char			*inherits;	/* its template, or NULL */
	struct ifupdown_opt	*opts;		/* iface, mapping */
	size_t			 nopts;
	size_t			*files;		/* source: the files it read */
	size_t			 nfiles;
};
struct ifupdown {
	char			*root;		/* "" or the --root tree */
	struct ifupdown_file	*files;		/* [0] is the main file */
	size_t			 nfiles;
	struct ifupdown_stanza	*st;		/* in ifup's reading order */
	size_t			 nst;
	char		       **warnings;	/* "FILE:LINE: ..." */
};
/* A file's content to read instead of the disk's (a staged edit). */
struct ifupdown_text {
	const char	*path;
	const char	*data;
	size_t		 len;
};
/* What the bridge edit makes (mode "dhcp" or "static"). */
struct ifupdown_bridge {
	const char	*nic;
	const char	*bridge;
	const char	*mode;
	const char	*address;	/* static: CIDR */
	const char	*gateway;	/* static: or NULL */
};
/* One file the edit changes; backup is where its old content goes. */
struct ifupdown_change {
	char	*path;
	char	*before, *after;
	size_t	 beforelen, afterlen;
	char	*backup;
};
int		 ifupdown_load(const char *, const char *,
		     const struct ifupdown_text *, size_t, struct ifupdown *,
		     char **);	/* root, main file, overrides */
void		 ifupdown_free(struct ifupdown *);
char		*ifupdown_where(const struct ifupdown *, size_t);
size_t		 ifupdown_iface(const struct ifupdown *, const char *,
		     const char *, size_t);	/* name, family, from */
const char	*ifupdown_opt(const struct ifupdown_stanza *, const char *);
const char	*ifupdown_auto_class(const struct ifupdown *, const char *);
char		*ifupdown_cidr(const struct ifupdown_stanza *);
char		*ifupdown_flatten(const struct ifupdown *, size_t *);
char		*ifupdown_beside(const struct ifupdown *, const char *,
		     const char *);	/* path, suffix */
char		*ifupdown_backup_path(const struct ifupdown *, const char *);
int		 ifupdown_bridge_edit(const struct ifupdown *,
		     const struct ifupdown_bridge *, struct ifupdown_change **,
		     size_t *, char ***, char **);
void		 ifupdown_changes_free(struct ifupdown_change *, size_t);

/*
 * net.c: the host's network: links from sysfs (kind, bridge, MAC, state,
 * counters), addresses and default routes from `ip -j`, the route of the
 * SSH session (SSH_CONNECTION), and whether NetworkManager or
 * systemd-networkd manages a link. IPv4 helpers for the wizard's fields.
 */
struct net_link {
	char		 name[16];
	int		 ifindex;
	char		 kind[16];	/* "bridge", "tap", "ether", "vlan" */
	char		 master[16];	/* the bridge it is a port of, or "" */
	char		 mac[18];
	char		 operstate[16];	/* "up", "down", "unknown", ... */
	int		 admin_up;
	int		 carrier;	/* -1 unknown */
	int		 mtu;
	int		 wireless;
	uint64_t	 rx_bytes, tx_bytes, rx_packets, tx_packets;
};
struct net_addr {
	char		 ifname[16];
	int		 family;	/* 4 or 6 */
	char		*cidr;		/* "10.0.2.15/24" */
	int		 dynamic;	/* leased (DHCP, SLAAC) */
	char		 scope[16];	/* "global", "link", "host" */
};
struct net_route {
	int		 family;
	char		*dst;		/* "default" */
	char		*gateway;	/* NULL: on-link */
	char		*dev;
	char		*src;
	char		*proto;		/* "dhcp", "static", "kernel", ... */
	int		 metric;
};
struct net_facts {
	struct net_link		*links;		/* by name */
	size_t			 nlinks;
	struct net_addr		*addrs;
	size_t			 naddrs;
	struct net_route	*routes;	/* the default routes */
	size_t			 nroutes;
	char			*ssh_client;	/* SSH_CONNECTION's, or NULL */
	char			*ssh_server;
	char			*ssh_dev;	/* the session's route */
	char			*ssh_via;
	char			*why;		/* what could not be read */
	uint64_t		 sampled_us;
};
int		 net_facts_read(struct net_facts *, char **);
void		 net_facts_free(struct net_facts *);
struct json_t	*net_facts_json(const struct net_facts *);
int		 net_facts_from_json(struct json_t *, struct net_facts *,
		     char **);
const struct net_link *net_link_find(const struct net_facts *, const char *);
char	       **net_link_addrs(const struct net_facts *, const char *, int);
const struct net_addr *net_link_addr4(const struct net_facts *,
		     const char *);
const struct net_route *net_default_route(const struct net_facts *, int);
char	       **net_bridge_ports(const struct net_facts *, const char *);
int		 net_is_vif(const char *);
int		 net_route_get(const char *, const char *, char **, char **,
		     char **);	/* dst, src or NULL, dev, via */
const char	*net_manager(const char *, int, char **);
char		*net_nmcli_state(const char *, const char *);
int		 net_networkd_managed(const char *, char **);
int		 net_parse_ipv4(const char *, uint32_t *);
int		 net_parse_cidr(const char *, uint32_t *, int *);
int		 net_mask_prefix(const char *, int *);
char		*net_ipv4_string(uint32_t);
char		*net_cidr_string(uint32_t, int);
int		 net_same_subnet(uint32_t, uint32_t, int);
int		 net_valid_ifname(const char *);

/*
 * nettrial.c: a network change on trial (the bridge wizard's apply): the
 * new configuration staged beside the old, the rollback guard armed first
 * (a transient systemd timer, or a watchdog process outside the caller's
 * session), the NIC taken down and the bridge brought up and verified; kept
 * only when confirmed before the deadline, else the old network comes back.
 * State in nettrial_dir() (${XENDECK_RUNDIR:-/run/xendeck}/net-trial).
 */
struct nettrial_file {
	char	*path;		/* the real file */
	char	*staged;	/* its new content, beside it */
	char	*backup;	/* where its old content goes on confirm */
	char	 before_sha[65];	/* the real file the edit was made of */
	char	 after_sha[65];		/* the staged content */
};
struct nettrial {
	char			*id;
	char			*state;	/* "arming", "trial", "rolling-back",
					   "rolled-back", "confirmed" */
	char			*nic, *bridge, *mode, *address, *gateway;
	int			 timeout;	/* seconds to confirm */
	char			*interfaces;	/* the real main file */
	char			*ifstate;	/* ifupdown --state-dir or NULL */
	char			*flat;		/* the new one, flattened */
	struct nettrial_file	*files;
	size_t			 nfiles;
	time_t			 started, deadline, ended;
	char			*guard;		/* "systemd UNIT",
						   "watchdog PID START" */
	/* How things were (what a rollback brings back): */
	int			 bridge_existed;
	char			*bridge_ifup;	/* ifupdown's record, or NULL */
	char			*nic_ifup;
	char		       **nic_addrs;	/* the NIC's, global, CIDR */
	char			*addr4;		/* the IPv4 address then */
	char			*addr_dev;	/* on the NIC, or the bridge */
	char			*gateway_was;	/* the default route then */
	char			*gateway_dev;
	char		       **vifs;		/* guests' vifs on the bridge */
	char			*ssh_client;	/* a session through the NIC */
	char			*ssh_server;
	char			*result;	/* how it ended, one line */
};
/* Progress lines (also in the trial's log); any member may be NULL. */
struct nettrial_io {
	void	(*say)(void *, const char *);
	void	 *arg;
};
const char	*nettrial_dir(void);
const char	*nettrial_interfaces(void);
const char	*nettrial_ifstate(void);
void		 nettrial_add_file(struct nettrial *, const char *,
		     const char *, const char *, const char *, const char *);
void		 nettrial_free(struct nettrial *);
int		 nettrial_load(struct nettrial *, char **);
int		 nettrial_pending(const struct nettrial *);
int		 nettrial_guard_alive(const struct nettrial *);
int		 nettrial_start(struct nettrial *, const struct nettrial_io *,
		     char **);
int		 nettrial_confirm(const struct nettrial_io *, char **);
int		 nettrial_rollback(const char *, const struct nettrial_io *,
		     char **);

/*
 * transcript.c: what the console and its wizards did, as the commands a
 * person would type: xl for domain actions (on QEMU with the xendeck
 * command that ran beside it), the wizards' own commands for their steps
 * (from the events their jobs print), "(file edit) PATH" for a file. Shown
 * by the console, exported as a sh script, appended to a log (JSON lines).
 */
enum tr_kind {
	TR_COMMAND,	/* a command from the table */
	TR_STEP,	/* a step of a wizard's run */
	TR_VIEW		/* a view that shows what an xl command shows */
};
#define TR_XL		0x1	/* transcript_command: an xl command */
#define TR_INTERACTIVE	0x2	/* it takes a terminal */
struct tr_entry {
	time_t		 when;		/* began */
	uint64_t	 ms;		/* took (0: at once, or unknown) */
	enum tr_kind	 kind;
	char		*command;	/* what a person would type */
	char		*ran;		/* the xendeck command that ran, when
					   command is xl's, else NULL */
	char		*backend;	/* "qemu", "xl"; NULL: not a domain's */
	char		*outcome;	/* "ok", "failed", "skipped", "undone",
					   "cancelled", "interrupted",
					   "running" */
	char		*detail;	/* why, or NULL */
	char		*wizard;	/* TR_STEP: the wizard */
	char		*title;		/* TR_STEP: the step; TR_VIEW: it */
	int		 step, total;	/* TR_STEP: 1-based, of */
	int		 undo;		/* TR_STEP: walking back */
	int		 interactive;	/* a comment in scripts */
};
struct transcript {
	struct tr_entry	*v;
	size_t		 n;
	time_t		 started;
};
/* A wizard job's events being read (transcript_wizard_*). */
struct tr_wizard {
	char		*wizard;
	char		*backend;
	int		 json;		/* --json: JSON lines, else text */
	int		 undo;
	int		 runs;		/* --apply, --resume or --undo */
	size_t		 open;		/* the step begun, or (size_t)-1 */
	uint64_t	 began;		/* mono_ms() */
	char		*title;		/* text: "[i/n] title" seen */
	int		 step, total;
	char		*run;		/* the run's id, once known */
	int		 done;		/* its result came */
};
void		 transcript_init(struct transcript *);
void		 transcript_free(struct transcript *);
void		 transcript_entry_free(struct tr_entry *);
size_t		 transcript_add(struct transcript *, const struct tr_entry *);
void		 transcript_set_outcome(struct tr_entry *, const char *,
		     const char *);
char		*transcript_command(char *const *, const char *, char **,
		     int *);	/* argv, cwd, &xendeck, &TR_* flags */
void		 transcript_wizard_init(struct tr_wizard *, char *const *,
		     const char *);	/* the job's argv, backend */
void		 transcript_wizard_free(struct tr_wizard *);
void		 transcript_wizard_line(struct tr_wizard *, struct transcript *,
		     int, const char *);
void		 transcript_wizard_end(struct tr_wizard *, struct transcript *,
		     const char *);
char		*transcript_entry_json(const struct tr_entry *);
int		 transcript_log_append(const char *, const struct tr_entry *,
		     char **);
size_t		 transcript_log_parse(const char *, size_t,
		     struct transcript *);
int		 transcript_log_load(const char *, struct transcript *,
		     char **);
char		*transcript_export(const struct transcript *, const char *);

/*
 * guide.c: the Beginners Guide's steps in its order, and one detector per
 * step that says where this host stands: done, partly done, not done, or
 * not applicable here, with the evidence in one line. The facts are read
 * once (guide_facts_read, cheap reads); the detectors are pure functions
 * of them (guide_detect), so tests make facts from real inputs.
 */
enum guide_status { GUIDE_DONE, GUIDE_PARTLY, GUIDE_TODO, GUIDE_NA };
struct guide_step {
	const char	*id;		/* "lvm" (the CLI's and JSON's name) */
	const char	*title;
	const char	*about;		/* what it does and why */
	const char	*guide;		/* what the guide writes */
	const char	*debian;	/* what is right on Debian 12 */
	const char	*wizard;	/* the wizard that does it, or NULL */
	const char	*action;	/* else the console's action */
	int		 xen_only;	/* it changes a Xen host only */
	const char	*on_qemu;	/* on QEMU: what it would change on a
					   Xen host, and where to practise */
};
extern const struct guide_step guide_steps[];
extern const size_t guide_nsteps;
extern char *const guide_pkg_names[];	/* guide_facts.pkgs' order */
/* A domain file in /etc/xen ($XENDECK_XEN_DIR). */
struct guide_cfg {
	char		*path;
	char		*name;
	enum xlcfg_type	 type;
	int		 vnc;
	char		*error;		/* unreadable: why */
};
/* What the detectors read; the *_why fields say what could not be. */
struct guide_facts {
	char		 machine[65];	/* uname -m */
	int		 lm, vmx, svm;	/* /proc/cpuinfo */
	int		 kvm;		/* QEMU can use KVM here */
	uint64_t	 mem_bytes;	/* xl info's total under Xen */
	struct host_xen	 xen;
	struct host_os	 os;
	int		 have_os;
	struct pkg	*pkgs;		/* guide.c's list, in its order */
	char		*pkgs_why;
	struct grub_boot boot;		/* /boot/grub/grub.cfg's default */
	int		 have_boot;
	char		*boot_why;
	struct pool_report pools;	/* volume groups, image directories */
	int		 have_pools;
	char		*pools_why;
	struct blockdev	*devs;		/* the host's disks and partitions */
	size_t		 ndevs;
	char		*devs_why;
	int		 devmapper;	/* the kernel has device-mapper */
	struct net_facts net;		/* links, addresses */
	int		 have_net;
	char		*net_why;
	struct ifupdown	 ifs;		/* /etc/network/interfaces */
	int		 have_ifs;
	char		*ifs_why;
	char		*br_manager;	/* NetworkManager or networkd runs
					   xenbr0, or NULL */
	char		*backend;	/* whose domains these are */
	struct dom_info	*doms;
	size_t		 ndoms;
	char		*doms_why;
	struct guide_cfg *cfgs;
	size_t		 ncfgs;
	char		*cfg_dir;
	char		**used;		/* everyday xl commands done ("xl
					   list"), from the transcript log */
};
struct guide_result {
	enum guide_status status;
	char		*evidence;	/* one line */
	char		*next;		/* what to do next, or NULL */
};
const struct guide_step *guide_step_find(const char *);
const char	*guide_status_name(enum guide_status);
int		 guide_status_parse(const char *, enum guide_status *);
void		 guide_facts_init(struct guide_facts *);
void		 guide_facts_read(struct guide_facts *,
		     const struct backend_ops *, const char *, const char *);
void		 guide_facts_free(struct guide_facts *);
void		 guide_facts_used(struct guide_facts *, const char *);
void		 guide_facts_network(struct guide_facts *, const char *);
void		 guide_facts_cfgs(struct guide_facts *, const char *);
void		 guide_facts_log(struct guide_facts *, const char *);
int		 guide_used_match(const char *, const char *);
int		 guide_has_devmapper(void);
void		 guide_detect(const struct guide_facts *, size_t,
		     struct guide_result *);
void		 guide_result_free(struct guide_result *);

#endif /* XEN_CORE_H */
