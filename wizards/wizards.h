/*
 * wizards: the guide's steps as guided flows, with no curses (style.md,
 * rule 15: collect -> validate -> plan -> apply). Each wizard is a const
 * struct wizard in one file (wizards/wiz-NAME.c): its fields, each with a
 * prompt, an explanation, a default computed from host facts and a pure
 * validator; the facts its plan is made from; and a plan function that
 * turns answers and facts into a struct plan (xen-core.h: steps with
 * probes, verifications, undos and what they destroy). xen-core executes
 * plans; console/ has the one view that draws any wizard and the
 * `xendeck wizard` command. Where the guide is out of date on Debian 12,
 * the wizard does what is right and says why (its guide text and the
 * plan's notes).
 *
 * Errors: a validator's or a plan's cause names the field first ("size:
 * 9T does not fit: vg0 has 12.0 GiB free"). plan() returns WIZ_EINPUT for
 * bad input (the CLI exits 2, nothing changed) and -1 for anything else
 * (exit 1).
 */
#ifndef WIZARDS_H
#define WIZARDS_H

#include "xen-core.h"

#define WIZ_EINPUT	(-2)

/* Answers: key=value pairs, in the order given; later ones win. */
struct wiz_answers {
	char	**keys;
	char	**values;
	size_t	  n;
};

/* What every wizard runs with. */
struct wiz_ctx {
	const struct backend_ops *be;	/* NULL: none could run here */
	const char		*root;	/* --root DIR: edit files in that
					   tree, run no host command */
	int			 interactive;	/* the console */
};

#define WIZ_REQUIRED	0x01	/* no default: must be answered */
#define WIZ_PATH	0x02	/* a path (file completion, picker) */
#define WIZ_CONSENT	0x04	/* names what a destructive step destroys */
#define WIZ_ADVANCED	0x08	/* the console folds it away */
#define WIZ_NUMBER	0x10	/* a number or a size ("8G") */
#define WIZ_FIXED	0x20	/* def() reads no host fact and no other
				   answer: the manual prints its default */

struct wiz_field {
	const char		 *key;		/* "device" */
	const char		 *prompt;	/* "Disk or partition for LVM" */
	const char		 *explain;	/* what it is; the guide's choice */
	int			  flags;
	const char *const	 *choices;	/* a fixed set, or NULL */
	/* The default from host facts and the other answers, or NULL. */
	char			*(*def)(const struct wiz_ctx *,
				    const struct wiz_answers *);
	/* Pure: 0, or -1 with *cause naming the field. NULL: any value. */
	int			 (*valid)(const char *, char **);
};

/* One line of a read-only check (host-check; preflights of others). */
enum wiz_status { WIZ_PASS, WIZ_WARN, WIZ_FAIL, WIZ_INFO };
struct wiz_check {
	char		*check;		/* "VT-x/AMD-V" */
	enum wiz_status	 status;
	char		*detail;	/* "svm (AMD-V) in /proc/cpuinfo" */
	char		*fix;		/* one line, or NULL */
};
struct wiz_checks {
	struct wiz_check *v;
	size_t		  n;
};

/* A line of a field's candidate list (the console's picker). */
struct wiz_candidate {
	char	*value;		/* what the answer becomes: "/dev/vdb" */
	char	*label;		/* "/dev/vdb  1.0 GiB  QEMU HARDDISK  empty" */
	int	 usable;	/* 0: shown, but refused (label says why) */
};

struct wizard {
	const char		*name;		/* "storage" (CLI contract) */
	const char		*summary;	/* one line for `xendeck wizard` */
	const char		*guide;		/* the guide's step in a few
						   lines, and what is right on
						   Debian 12 where they differ */
	const struct wiz_field	*fields;	/* ends with .key NULL */
	/* Read-only wizards (host-check) have this and no plan. */
	int	(*check)(const struct wiz_ctx *, const struct wiz_answers *,
		    struct wiz_checks *, char **);
	/*
	 * The facts about the host a plan is made from, as plan_fact()s;
	 * called again by --resume to refuse a stale plan.
	 */
	int	(*facts)(const struct wiz_ctx *, const struct wiz_answers *,
		    struct plan *, char **);
	/* The steps, from the answers and the facts already in the plan. */
	int	(*plan)(const struct wiz_ctx *, const struct wiz_answers *,
		    struct plan *, char **);
	/* Optional: a field's candidates (NULL: none for this key). */
	int	(*candidates)(const struct wiz_ctx *, const char *,
		    struct wiz_candidate **, size_t *, char **);
	/* Optional extra actions (`--confirm` of the bridge wizard). */
	const char *const	*actions;
	int	(*action)(const struct wiz_ctx *, const char *,
		    const struct wiz_answers *, char **);
	/*
	 * Optional (hvm): after a successful --apply, what the person is
	 * told once -- a generated password: shown by the CLI on its
	 * terminal (not with --json, whose output a job keeps), or by the
	 * console from its own process, never logged -- and the domain
	 * whose screen the console then opens (NULL: none). Both are the
	 * caller's; *message is to be wiped (explicit_bzero) after use.
	 */
	int	(*done)(const struct wiz_ctx *, const struct wiz_answers *,
		    char **, char **, char **);
	/*
	 * Optional: after an apply from the console, the domain whose serial
	 * console the console opens (the pv-guest wizard with start=yes), or
	 * NULL; the caller frees it.
	 */
	char	*(*console_after)(const struct wiz_answers *);
};

/* wizard.c: the table and the runner the CLI and the console share. */
extern const struct wizard *const wiz_table[];
const struct wizard *wiz_find(const char *);
const struct wiz_field *wiz_field_find(const struct wizard *, const char *);
void		 wiz_answers_init(struct wiz_answers *);
void		 wiz_answers_free(struct wiz_answers *);
void		 wiz_answers_set(struct wiz_answers *, const char *,
		     const char *);
/* KEY=VALUE (--set); WIZ_EINPUT with *cause when it is not that form. */
int		 wiz_answers_parse(struct wiz_answers *, const char *, char **);
const char	*wiz_get(const struct wiz_answers *, const char *);
/*
 * Fill defaults, then check the answers: an unknown key, a missing
 * required field or an invalid value is WIZ_EINPUT with *cause naming the
 * key. Returns 0 when all is well.
 */
int		 wiz_complete(const struct wizard *, const struct wiz_ctx *,
		     struct wiz_answers *, char **);
/* wiz_complete, then the facts, then the plan (plan_init'ed here). */
int		 wiz_make_plan(const struct wizard *, const struct wiz_ctx *,
		     struct wiz_answers *, struct plan *, char **);
/*
 * Continue the newest unfinished run of the wizard: load its plan, re-check
 * its facts (refusing a stale plan, saying what changed), plan_continue().
 */
int		 wiz_resume(const struct wizard *, const struct wiz_ctx *,
		     const struct plan_events *, char **);
int		 wiz_undo(const struct wizard *, const struct wiz_ctx *,
		     const struct plan_events *, char **);
void		 wiz_checks_add(struct wiz_checks *, const char *,
		     enum wiz_status, const char *, const char *, ...)
		     printflike(5, 6);	/* fix, detail format */
void		 wiz_checks_free(struct wiz_checks *);
const char	*wiz_status_name(enum wiz_status);	/* "PASS" */
void		 wiz_candidates_free(struct wiz_candidate *, size_t);

/* The wizards (wiz-*.c), in the guide's order. */
extern const struct wizard wiz_host_check;
extern const struct wizard wiz_xen_install;
extern const struct wizard wiz_storage;
extern const struct wizard wiz_volume;
extern const struct wizard wiz_bridge;
extern const struct wizard wiz_pv_guest;
extern const struct wizard wiz_hvm_guest;

#endif /* WIZARDS_H */
