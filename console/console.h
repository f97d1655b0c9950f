/*
 * console: the xendeck binary. One command table serves the CLI, the ':'
 * prompt, key bindings, completion and help (style.md, rule 5); the ncurses
 * console, its views and the VNC viewer live here too.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "xen-core.h"

struct cmd_entry;
struct cmd_question;
struct option;

/* What a command runs with. */
struct cmd_ctx {
	FILE				*out;	/* results */
	FILE				*err;	/* "xendeck: ..." errors */
	const char			*backend_name;	/* --backend, or NULL */
	const struct backend_ops	*be;	/* resolved by cmd_backend() */
	int				 read_only;	/* --read-only */
	int				 interactive;	/* from the console */
	int				 assume_yes;	/* confirmations given
							   (--yes) */
	/*
	 * How cmd_exec asks a question the command table requires (NULL:
	 * on the terminal, cmd_confirm_tty). Returns CMD_YES, CMD_NO (it
	 * has said why on ctx->err) or CMD_LATER: it will ask and run the
	 * command again with assume_yes once answered (the console's
	 * prompt), and cmd_exec returns CMD_WAIT.
	 */
	int	(*confirm)(struct cmd_ctx *, const struct cmd_question *);
	/*
	 * Set by the console: CMD_JOB commands run as a job (a child
	 * xendeck) instead of in this process. Returns CMD_WAIT, or an exit
	 * code when it could not be started.
	 */
	int	(*start_job)(struct cmd_ctx *, const struct cmd_entry *, int,
		    char **);
	/*
	 * Set by the console: open a domain's serial console view once the
	 * command is done (NULL on the command line).
	 */
	void	(*open_console)(struct cmd_ctx *, const char *);
};

#define CMD_MODIFIES	0x01	/* changes state: refused when read-only */
#define CMD_DRYRUN	0x02	/* has a dry-run mode */
#define CMD_ROOT	0x04	/* needs root */
#define CMD_TERMINAL	0x08	/* takes over the terminal (not from ':') */
#define CMD_DOMAIN	0x10	/* first operand is a domain (completion) */
#define CMD_CONSOLE	0x20	/* only at the console's ':' prompt */
#define CMD_NODOM0	0x40	/* refuses Domain-0 as its domain */
#define CMD_JOB		0x80	/* in the console, runs as a job */
#define CMD_CANCEL	0x100	/* as a job, it can be cancelled */
#define CMD_HIDDEN	0x1000	/* run by xendeck itself: not in help,
				   completion or prefix matches */

/*
 * What a command needs confirmed before it runs (struct cmd_entry's
 * confirm). cmd_exec asks through ctx->confirm, so keys, the ':' prompt
 * and the CLI (which takes -y/--yes, and refuses when stdin is not a
 * terminal to ask on) behave alike.
 */
#define CMD_CONFIRM_NAME 0x1	/* type the domain's name */
#define CMD_CONFIRM_ALL	0x2	/* y/n when it acts on every domain (-a) */
#define CMD_CONFIRM_ONE	0x4	/* y/n for one domain where the front end
				   asks (the console's confirm settings);
				   the CLI, like xl, does not */

struct cmd_question {
	const struct cmd_entry	*entry;
	int			 kind;		/* one CMD_CONFIRM_* */
	const char		*target;	/* the domain, or NULL: all */
	const char		*text;		/* the question, for a person */
	int			 argc;
	char		       **argv;		/* the command as given */
};
#define CMD_NO		0
#define CMD_YES		1
#define CMD_LATER	2

/* cmd_exec's return when the command goes on (a job, a question). */
#define CMD_WAIT	(-1)

struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*usage;		/* operands, after the name */
	const char	*summary;	/* one line for the command list */
	const char	*help;		/* paragraphs for `help COMMAND`, or NULL */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
	/*
	 * Its getopt(3) options ("awF"; NULL: none), so cmd_exec can find
	 * the operands for the policy below before the command runs.
	 */
	const char	*opts;
	const struct option *longopts;	/* and its long ones, if any */
	const char	*tty_opts;	/* options that take the terminal
					   (create -c): refused from ':' */
	int		 confirm;	/* CMD_CONFIRM_* */
	/*
	 * CMD_JOB: whether this command line runs as a job in the console
	 * (NULL: always); one that does not runs in the console itself
	 * (`:wizard NAME` opens the wizard view, `--apply` is a job).
	 */
	int		(*is_job)(int, char **);
};

/* cmd.c */
extern const struct cmd_entry *cmd_table[];
const struct cmd_entry *cmd_find(const char *, char **);
int		 cmd_exec(struct cmd_ctx *, int, char **);
int		 cmd_confirm_tty(struct cmd_ctx *, const struct cmd_question *);
int		 cmd_usage(struct cmd_ctx *, const struct cmd_entry *);
void		 cmd_error(struct cmd_ctx *, const char *, ...)
		     printflike(2, 3);
void		 cmd_line(FILE *, const char *, ...) printflike(2, 3);
char		*cmd_json_text(struct json_t *, size_t);
const struct backend_ops *cmd_backend(struct cmd_ctx *);

/* cmd-help.c */
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_version_entry;
void		 cmd_print_overview(FILE *);

/* cmd-top.c */
extern const struct cmd_entry cmd_top_entry;

/* cmd-supervise.c */
extern const struct cmd_entry cmd_supervise_entry;

/*
 * The console (tui.c and view-*.c). One poll() loop; views are const ops
 * structs (style.md, rule 6) that draw only from the sampler's rows and
 * act only through cmd_exec(), so --read-only holds everywhere.
 */
#include <sys/ioctl.h>
#include <curses.h>
#include <termios.h>

/* Semantic colour slots (theme.c); themes map names to these. */
enum theme_slot {
	COL_NORMAL, COL_TITLE, COL_TAB, COL_TAB_ACTIVE, COL_HEADER,
	COL_HEADER_SORT, COL_SELECTED, COL_STATUS, COL_ERROR, COL_OK,
	COL_PROMPT, COL_KEY, COL_DIM, COL_SPARK, COL_BORDER,
	COL_DOM_RUNNING, COL_DOM_BLOCKED, COL_DOM_PAUSED, COL_DOM_SHUTDOWN,
	COL_DOM_CRASHED, COL_DOM_DYING,
	COL_WARNING,
	COL_NSLOTS
};
struct theme_style {
	short	 fg, bg;	/* curses colour, -1 for the default */
	attr_t	 attrs;
};
struct theme {
	char			*name;
	struct theme_style	 slot[COL_NSLOTS];
	int			 mono;		/* attributes only */
};

/* theme.c */
extern const char *const theme_slot_names[COL_NSLOTS];
void		 theme_default(struct theme *);
void		 theme_mono(struct theme *);
int		 theme_parse(struct theme *, const char *, const char *,
		     size_t, char **);
int		 theme_load(struct theme *, const char *, char **);
char		*theme_find(const char *);
void		 theme_free(struct theme *);
void		 theme_apply(const struct theme *);
attr_t		 theme_attr(enum theme_slot);
attr_t		 theme_dom_attr(int);

/*
 * ydoc.c: libyaml documents for config.c and theme.c (which include
 * <yaml.h>; the structs are yaml_document_t and yaml_node_t).
 */
struct yaml_document_s;
struct yaml_node_s;
#define YAML_MAX_SIZE	(1024 * 1024)	/* a config or theme file, at most */
struct yaml_document_s *ydoc_load(const char *, const char *, size_t,
		     char **);
void		 ydoc_free(struct yaml_document_s *);
char		*ydoc_error(const char *, const struct yaml_node_s *,
		     const char *, ...) printflike(3, 4);

/* config.c: ~/.config/xendeck/config.yaml, then /etc/xendeck/. */
struct tui_config {
	char	*path;			/* the file read, or NULL */
	char	*theme;			/* name or path */
	int	 refresh_ms;
	char	*view;			/* first view */
	int	 confirm_destroy;	/* type the name */
	int	 confirm_shutdown;	/* y/n */
	int	 confirm_reboot;
	int	 shutdown_timeout;	/* seconds before offering force */
};
void		 config_defaults(struct tui_config *);
int		 config_parse(struct tui_config *, const char *, const char *,
		     size_t, char **);
int		 config_load(struct tui_config *, char **);
void		 config_free(struct tui_config *);

struct pollfd;

/* Key handler results. */
#define VIEW_REDRAW	0x1
#define VIEW_QUIT	0x2
#define VIEW_UNHANDLED	0x4	/* not this view's key: try the global ones */

/* One key binding: dispatch and help come from the same table. */
struct view_key {
	int		 key, key2;	/* key2: an alternative, or 0 */
	const char	*label;		/* "j, Down" */
	const char	*help;
	int		(*fn)(void);
};
int		 view_key_dispatch(const struct view_key *, int);

struct view_ops {
	const char		*name;		/* "domains" */
	const char		*title;		/* "Domains" */
	int			 hotkey;	/* '1', or 0 */
	const struct view_key	*keys;		/* NULL-terminated by .label */
	void	(*init)(void);
	void	(*free)(void);
	void	(*resize)(int, int);		/* body lines, columns */
	void	(*update)(void);		/* a new sample arrived */
	void	(*draw)(int, int, int, int);	/* y, x, lines, columns */
	int	(*key)(int);
	int	(*mouse)(int, int, mmask_t);	/* body y, x */
	int	(*enter)(const char *);		/* switched to, with a domain */
	void	(*leave)(void);
	int	(*pollfd)(void);		/* an fd to watch, or -1 */
	void	(*io)(void);			/* it is readable */
	/*
	 * A view that draws the terminal itself (VNC): while it is on
	 * screen curses steps aside, and the loop polls its tty_pollfds (the
	 * terminal's input among them) with at most tty_timeout ms, then
	 * calls tty_process with what poll() said; restore gives it back
	 * at once (fatal()).
	 */
	int	  tty;
	int	(*tty_pollfds)(struct pollfd *, int);
	void	(*tty_process)(const struct pollfd *, int);
	int	(*tty_timeout)(void);
	void	(*restore)(void);
};
extern const struct view_ops view_domains_ops;
extern const struct view_ops view_top_ops;
extern const struct view_ops view_host_ops;
extern const struct view_ops view_detail_ops;
extern const struct view_ops view_serial_ops;
extern const struct view_ops view_pager_ops;
extern const struct view_ops view_isos_ops;	/* view-isos.c (hvm) */
void		 isos_choose(const char *, void (*)(const char *, void *),
		     void *);
void		 hvm_new_begin(void);	/* hvm-new.c (hvm) */
extern const struct view_ops view_jobs_ops;
extern const struct view_ops view_messages_ops;
extern const struct view_ops view_vnc_ops;
extern const struct view_ops view_storage_ops;

/* The console's state, shared with the views. */
struct tui {
	struct cmd_ctx		*ctx;
	const struct backend_ops *be;		/* NULL: none could run */
	char			*be_error;
	struct sampler		 sampler;
	struct tui_config	 config;
	struct theme		 theme;
	int			 utf8;
	int			 refresh_ms;
	uint64_t		 next_sample;	/* mono_ms() */
	char			*selected;	/* the domain views share */
	const struct view_ops	*view, *prev;
	int			 lines, cols;
	int			 redraw;
	int			 cur_on, cur_y, cur_x;	/* set by a draw */
};
extern struct tui tui;

/*
 * tui.c. tui_run() runs a command from the table as the prompt would
 * (read-only, Domain-0 and the confirmations hold; CMD_JOB commands run
 * as jobs): it returns the exit code, or CMD_WAIT while a question or a
 * job is under way. tui_run_then() also calls back with the exit code once
 * the command has ended (1 if a question was not answered yes).
 * tui_status() puts a line on the status line; its COL_OK, COL_WARNING and
 * COL_ERROR lines are kept in Messages.
 */
extern const struct view_key tui_global_keys[];
int		 tui_main(struct cmd_ctx *, const char *);
void		 tui_status(enum theme_slot, const char *, ...)
		     printflike(2, 3);
int		 tui_run(char *const *);
int		 tui_run_then(char *const *, void (*)(int, void *), void *);
int		 tui_runf(const char *, ...) printflike(1, 2);
char		*tui_state_path(const char *);
void		 tui_prompt_command(const char *, void (*)(int, void *),
		     void *);
void		 tui_switch(const struct view_ops *, const char *);
void		 tui_back(void);
void		 tui_sample_now(void);
void		 tui_set_refresh(int);
void		 tui_select(const char *);
void		 tui_draw_text(int, int, int, const char *, attr_t);
void		 tui_fill(int, int, int, attr_t);
int		 tui_sparkline(int, int, int, const float *, size_t, double);
const char	*tui_glyph(int);
#define GLYPH_ARROW_UP	0
#define GLYPH_ARROW_DOWN 1
#define GLYPH_ELLIPSIS	2
#define GLYPH_CHECK	3
#define GLYPH_RUNNING	4

/* prompt.c: GNU readline's callback interface on the bottom line. */
typedef void (*prompt_cb)(const char *, void *);
#define PROMPT_COMMAND	0	/* ':' commands: history, completion */
#define PROMPT_FILE	1	/* a path: filename completion */
#define PROMPT_PLAIN	2	/* a name, a number: no completion */
void		 prompt_init(void);
void		 prompt_exit(void);
void		 prompt_begin(int, const char *, const char *, prompt_cb,
		     void (*)(const char *, void *), void *);
int		 prompt_active(void);
char		*prompt_path(const char *);
void		 prompt_key(int);
void		 prompt_draw(int, int);
void		 prompt_cancel(void);
char		*prompt_history_path(void);

/* dlist.c: the filtered, sorted domain list Domains and Top share. */
struct dlist {
	struct dom_row	**rows;
	size_t		  n;
	int		  sel, top, height;
	char		 *filter;
	int		(*cmp)(const struct dom_row *, const struct dom_row *);
	int		  desc;
};
void		 dlist_rebuild(struct dlist *);
struct dom_row	*dlist_selected(struct dlist *);
int		 dlist_key(struct dlist *, int);
int		 dlist_click(struct dlist *, int, mmask_t);
void		 dlist_filter_prompt(struct dlist *);
void		 dlist_free(struct dlist *);

/* line-list.c: the lines of a text view (Detail, the pager). */
struct line_list {
	char	**line;		/* owned */
	size_t	  n;
};
void		 line_list_vadd(struct line_list *, const char *, va_list)
		     printflike(2, 0);
void		 line_list_split(struct line_list *, const char *);
void		 line_list_split_wrapped(struct line_list *, const char *, int);
void		 line_list_free(struct line_list *);

/*
 * view-messages.c: the session's history of outcomes, warnings and errors
 * (tui_status records its COL_OK, COL_WARNING and COL_ERROR lines; a
 * job's end adds its warnings), shown by the Messages view (:messages).
 */
enum msg_level { MSG_INFO, MSG_OK, MSG_WARNING, MSG_ERROR };
void		 messages_add(enum msg_level, const char *);
void		 messages_addf(enum msg_level, const char *, ...)
		     printflike(2, 3);
size_t		 messages_count(enum msg_level);
void		 messages_free(void);

/* view-pager.c: help, command output. */
void		 pager_show(const char *, const char *);
char		*help_text(void);

/* cmd-check-config.c */
extern const struct cmd_entry cmd_check_config_entry;

/* cmd-jobs.c: the console's :jobs and :messages. */
extern const struct cmd_entry cmd_jobs_entry;
extern const struct cmd_entry cmd_messages_entry;

/* cmd-create.c */
extern const struct cmd_entry cmd_create_entry;

/* cmd-list.c */
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_info_entry;

/* cmd-console.c */
extern const struct cmd_entry cmd_console_entry;
int		 cmd_console_attach(struct cmd_ctx *, const char *);

/* cmd-domain.c */
extern const struct cmd_entry cmd_shutdown_entry;
extern const struct cmd_entry cmd_reboot_entry;
extern const struct cmd_entry cmd_destroy_entry;
extern const struct cmd_entry cmd_pause_entry;
extern const struct cmd_entry cmd_unpause_entry;
extern const struct cmd_entry cmd_vnc_endpoint_entry;

/* cmd-vnc.c */
extern const struct cmd_entry cmd_vnc_entry;

/*
 * vnc.c, vnc-render.c, vnc-keys.c: the VNC viewer inside the terminal.
 *
 * A struct vncview is driven from the caller's one poll() loop: poll
 * vncview_fd() for vncview_events(), with at most vncview_timeout() ms,
 * then call vncview_process() with the revents (0 on a timeout). Terminal
 * input goes to vncview_input(). The viewer paints the terminal itself
 * while active: vncview_enter() on the tty fd, vncview_draw() to render
 * into its output buffer when due, vncview_flush() when the tty is writable
 * (poll it for POLLOUT while vncview_output_pending()), vncview_leave() to
 * give the terminal back. Every call returns VNCVIEW_* flags.
 */
#define VNCVIEW_REDRAW	0x01	/* something to draw: call vncview_draw() */
#define VNCVIEW_QUIT	0x02	/* the user left the viewer */
#define VNCVIEW_ERROR	0x04	/* the session failed: vncview_error() */

enum vnc_render_mode {
	VNC_RENDER_AUTO, VNC_RENDER_HALFBLOCK, VNC_RENDER_256,
	VNC_RENDER_SIXEL, VNC_RENDER_KITTY
};
enum vnc_scale_mode { VNC_SCALE_FIT, VNC_SCALE_1TO1, VNC_SCALE_ZOOM };

struct vncview_opts {
	enum vnc_render_mode	 render;	/* AUTO: detect */
	enum vnc_scale_mode	 scale;
	const char		*name;		/* shown in the status line */
	int			 connect_timeout_ms;	/* 0: 10 s */
	int			 read_timeout_s;	/* 0: 5 s */
	int			 reconnect;	/* retry after a lost session */
	int			 fps;		/* frame cap, 0: 30 */
	int			 view_only;	/* send no input */
	int			 interactive;	/* may prompt for a password */
	const char		*encodings;	/* NULL: our safe default */
};

struct vncview;
struct vnc_endpoint;

/*
 * vnc-term.c: the viewer on a real terminal, from the caller's poll loop:
 * vnc_term_enter (raw mode, the viewer on the tty), poll
 * vnc_term_pollfds with at most vnc_term_timeout ms, vnc_term_process
 * (VNCVIEW_QUIT or VNCVIEW_ERROR when it is over), vnc_term_leave (the
 * terminal back exactly as it was; idempotent, for fatal() too).
 */
struct vnc_term {
	struct vncview	*v;
	int		 in, out;
	struct termios	 saved;
	int		 saved_ok;
	int		 active;
	struct winsize	 ws;
};
int		 vnc_term_enter(struct vnc_term *, struct vncview *, int, int,
		     char **);
void		 vnc_term_leave(struct vnc_term *);
int		 vnc_term_pollfds(struct vnc_term *, struct pollfd *, int);
int		 vnc_term_timeout(struct vnc_term *);
int		 vnc_term_process(struct vnc_term *, const struct pollfd *,
		     int);

/* vnc.c */
struct vncview	*vncview_open(const struct vnc_endpoint *,
		     const struct vncview_opts *, char **);
void		 vncview_close(struct vncview *);
int		 vncview_fd(struct vncview *);		/* -1: nothing */
short		 vncview_events(struct vncview *);	/* POLLIN/POLLOUT */
int		 vncview_timeout(struct vncview *);	/* ms, -1 none */
int		 vncview_process(struct vncview *, short);
int		 vncview_input(struct vncview *, const char *, size_t);
int		 vncview_enter(struct vncview *, int, int, int);
int		 vncview_leave(struct vncview *);
int		 vncview_resize(struct vncview *, int, int, int, int);
int		 vncview_draw(struct vncview *);
int		 vncview_output_pending(struct vncview *);
int		 vncview_flush(struct vncview *);
const char	*vncview_error(struct vncview *);	/* borrowed */
int		 vncview_frames(struct vncview *);	/* complete updates */
int		 vncview_dump_ppm(struct vncview *, const char *, char **);
int		 vncview_nonblack(struct vncview *);
void		 vncview_stats(struct vncview *, FILE *);
uint64_t	 vncview_first_frame_us(struct vncview *);
int		 vnc_parse_target(const char *, struct vnc_endpoint *, char **);
enum vnc_render_mode vnc_detect_render(int, int);

/* vnc-render.c: framebuffer -> terminal cells and images. */
struct vnc_geom {
	int	 cols, rows;		/* image area in cells */
	int	 cw, ch;		/* target pixels per cell */
	int	 tw, th;		/* image area in target pixels */
	int	 fbw, fbh;		/* framebuffer */
	double	 scale;			/* target pixels per fb pixel */
	int	 ox, oy;		/* where the image starts, target px */
	int	 iw, ih;		/* image size, target px */
	int	 panx, pany;		/* first fb pixel shown */
};
struct vnc_cell {
	uint32_t ch;			/* Unicode; 0: never drawn */
	uint32_t fg, bg;		/* 0xRRGGBB */
};
struct vnc_out {
	char	*buf;
	size_t	 len, off, size;
};
void		 vnc_geom_compute(struct vnc_geom *, int, int, int, int,
		     int, int, enum vnc_scale_mode, double, int, int);
int		 vnc_geom_to_fb(const struct vnc_geom *, int, int, int *,
		     int *);
void		 vnc_scale_area(const uint8_t *, int, int,
		     const struct vnc_geom *, uint32_t *);
void		 vnc_cells_from_pixels(const uint32_t *,
		     const struct vnc_geom *, struct vnc_cell *, int);
size_t		 vnc_cells_emit(struct vnc_out *, const struct vnc_cell *,
		     struct vnc_cell *, int, int, int, int);
void		 vnc_cells_text(struct vnc_cell *, int, int, int, const char *,
		     uint32_t, uint32_t);
void		 vnc_emit_sixel(struct vnc_out *, const uint32_t *, int, int,
		     int, int);
void		 vnc_emit_kitty(struct vnc_out *, const uint32_t *, int, int,
		     int, int);
int		 vnc_rgb_to_256(uint32_t);
void		 vnc_out_add(struct vnc_out *, const void *, size_t);
void		 vnc_out_printf(struct vnc_out *, const char *, ...)
		     printflike(2, 3);
void		 vnc_out_free(struct vnc_out *);

/* vnc-keys.c: terminal input -> key and mouse events -> X keysyms. */
#define VNC_MOD_SHIFT	0x1
#define VNC_MOD_ALT	0x2
#define VNC_MOD_CTRL	0x4
enum vnc_ev_type { VNC_EV_KEY, VNC_EV_MOUSE };
struct vnc_ev {
	enum vnc_ev_type type;
	uint32_t	 keysym;	/* X keysym (KEY) */
	int		 mods;		/* VNC_MOD_* */
	int		 button;	/* MOUSE: SGR button code */
	int		 col, row;	/* MOUSE: 0-based cell */
	int		 release;	/* MOUSE: 'm' */
};
size_t		 vnc_keys_parse(const char *, size_t, int, struct vnc_ev *);
int		 vnc_keysym_xt(uint32_t, int *);
const char	*vnc_keysym_name(uint32_t);
int		 vnc_mouse_buttons(int, int, int *);
/* cmd-lab.c */
extern const struct cmd_entry cmd_lab_entry;
/* cmd-template.c: PV guest templates, clones' identity (issue 16). */
extern const struct cmd_entry cmd_template_entry;

/* cmd-network.c: bridges, ports, vifs, addresses, routes (`network`). */
extern const struct cmd_entry cmd_network_entry;

/* view-network.c: the Network view (6), from `network --json` jobs. */
extern const struct view_ops view_network_ops;

/* cmd-cd.c (hvm) */
extern const struct cmd_entry cmd_cd_eject_entry;
extern const struct cmd_entry cmd_cd_insert_entry;
/* cmd-vnc-password.c (hvm) */
extern const struct cmd_entry cmd_vnc_password_entry;

/*
 * job.c: work that takes time runs as a child process driven by the
 * console's one poll() loop (the console never waits). No curses here.
 *
 *	j = job_run("create web1", argv, JOB_CANCEL, on_line, on_done, arg,
 *	    &cause);
 *
 * argv[0] "xendeck" means this very binary with our environment and the
 * console's --backend/-l/-v (so a command from the table runs as a job
 * with its own warnings and errors); anything else is looked up over the
 * fixed PATH and runs with spawn.c's fixed environment (LC_ALL=C) unless
 * JOB_KEEPENV. Each job runs in its own session; job_cancel() sends
 * SIGTERM to its process group, SIGKILL 5 s later.
 *
 * on_line(job, stream, line, arg) gets every line of output as it comes
 * (stream 1 stdout, 2 stderr; no newline); on_done(job, arg) runs once the
 * child has exited and its output is read: job_state() says how it ended,
 * job_error() why it failed, job_output() what it printed (both streams,
 * the last MiB), job_stdout() its stdout alone (whole). Either
 * callback may be NULL, and may start or cancel jobs.
 *
 * A struct job * is valid until on_done returns for a JOB_QUIET job, and
 * for a listed one until it is among the oldest finished (50 are kept, for
 * :jobs); keep job_id() and use job_find() to refer to one later.
 *
 * Listed jobs show on the console's job line while they run, in :jobs,
 * and their end (outcome and warnings) on the status line and in
 * :messages, before their on_done runs (which may then put something
 * more precise on the status line). JOB_QUIET ones (a view's background
 * refresh) are none of that: their on_done reports what it wants.
 *
 * The console's loop calls job_init() once, polls job_pollfds() (room for
 * job_nfds() entries) with at most job_timeout() ms, and passes what poll()
 * returned to job_io(). A test or a CLI command can instead call
 * job_wait_all().
 */
#define JOB_QUIET	0x01	/* background: not listed, no report */
#define JOB_CANCEL	0x02	/* can be cancelled */
#define JOB_KEEPENV	0x04	/* our environment for a non-xendeck child */
#define JOB_SECRET	0x08	/* neither argv nor stderr logged */

enum job_state { JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_CANCELLED };

struct job;
struct pollfd;
typedef void (*job_line_cb)(struct job *, int, const char *, void *);
typedef void (*job_done_cb)(struct job *, void *);

void		 job_init(void);
void		 job_exit(void);
void		 job_set_self_args(char *const *);
void		 job_set_end_hook(void (*)(struct job *));
void		 job_set_line_hook(void (*)(struct job *, int, const char *));
struct job	*job_run(const char *, char *const *, int, job_line_cb,
		     job_done_cb, void *, char **);
struct job	*job_run_input(const char *, char *const *, const char *, int,
		     job_line_cb, job_done_cb, void *, char **);
int		 job_cancel(struct job *, char **);
int		 job_nfds(void);
int		 job_pollfds(struct pollfd *, int);
int		 job_timeout(void);
void		 job_io(const struct pollfd *, int);
void		 job_wait_all(void);
int		 job_running(int);		/* how many; 1: listed only */
struct job	*job_first(void);		/* listed jobs, oldest first */
struct job	*job_next(struct job *);
struct job	*job_find(unsigned int);
unsigned int	 job_id(const struct job *);
const char	*job_name(const struct job *);
char *const	*job_argv(const struct job *);
int		 job_flags(const struct job *);
enum job_state	 job_state(const struct job *);
const char	*job_state_name(enum job_state);
int		 job_status(const struct job *);	/* exit code or -1 */
int		 job_termsig(const struct job *);	/* or 0 */
pid_t		 job_pid(const struct job *);
const char	*job_error(const struct job *);		/* NULL unless failed */
const char	*job_last_line(const struct job *);	/* "" if none yet */
void		 job_set_last_line(struct job *, const char *);
const char	*job_output(const struct job *, size_t *);	/* stdout+err */
const char	*job_stdout(const struct job *, size_t *);	/* whole */
char *const	*job_warnings(const struct job *);	/* NULL-terminated */
uint64_t	 job_elapsed_ms(const struct job *);

/* cmd-grub-default.c: what GRUB boots by default (the Xen install's check). */
extern const struct cmd_entry cmd_grub_default_entry;

/*
 * cmd-guide.c, view-guide.c, view-transcript.c: the beginner's home. The
 * Guide view (g, :guide) shows the guide's steps and this host's status in
 * each (`xendeck guide --json`, a quiet job, read again when a listed job
 * ends: view_guide_stale); view_guide_open() opens it on a step (an id, or
 * NULL). The Transcript view (T, :transcript) keeps every action of the
 * session as the command it equals: tui.c reports the commands it runs
 * (view_transcript_begin, then _end with the outcome: "ok", "failed",
 * "cancelled") and the views it opens (view_transcript_view); job.c's line
 * hook feeds view_transcript_job_line, which reads wizard runs' events;
 * the end hook calls view_transcript_job_end. Finished entries go to
 * view_transcript_log_path() (JSON lines), which `guide` reads.
 */
extern const struct cmd_entry cmd_guide_entry;
extern const struct cmd_entry cmd_transcript_entry;
extern const struct view_ops view_guide_ops;
extern const struct view_ops view_transcript_ops;
const char	*cmd_guide_status_text(enum guide_status);
char		*cmd_guide_offer(const struct guide_step *);
void		 view_guide_open(const char *);
void		 view_guide_stale(void);
long		 view_transcript_begin(char *const *);
void		 view_transcript_end(long, const char *, const char *,
		     uint64_t);
void		 view_transcript_view(const struct view_ops *, const char *);
void		 view_transcript_job_line(struct job *, int, const char *);
void		 view_transcript_job_end(struct job *);
int		 view_transcript_export(const char *, char **);
char		*view_transcript_log_path(void);
const char	*view_transcript_xl(long);

/*
 * Issue 19: the global options as data; the manual pages, bash completion
 * and autostart, all from the command and wizard tables.
 *
 * An entry's usage is read by completion and the manual, so it keeps to a
 * small grammar: options ("-c", "--render MODE", "--scale fit|1:1") in
 * brackets, then the operands in order, where DOMAIN completes domain
 * names, FILE an xl.cfg file, COMMAND a command, a|b|c those words, and
 * WORD... repeats. The options an entry's help lists ("  -i N   text")
 * count too.
 */
struct cmd_option {
	int		 ch;		/* -v, or 0 */
	const char	*name;		/* --verbose */
	const char	*arg;		/* "FILE", or NULL: a flag */
	const char	*values;	/* "qemu|xl": what it takes, or NULL */
	int		 val;		/* getopt_long's return */
	const char	*help;
};
/* cmd-help.c */
extern const struct cmd_option cmd_global_options[];
char		*cmd_option_label(const struct cmd_option *);
void		 cmd_help_policy(FILE *, const struct cmd_entry *);
void		 cmd_help_write(FILE *, const struct cmd_entry *);

/* cmd-man.c: xendeck(1) and xendeck-wizard(8) (`help --man[-wizards]`). */
int		 cmd_man_xendeck(FILE *);
int		 cmd_man_wizards(FILE *);

/* man.c: man(7) from plain text; the wizards' page of any table. */
struct wizard;
void		 man_head(FILE *, const char *, int, const char *);
void		 man_puts(FILE *, const char *, size_t);
void		 man_text(FILE *, const char *);
void		 man_synopsis(FILE *, const char *);
void		 man_sentence(FILE *, const char *);
void		 man_help(FILE *, const char *);
int		 man_wizards(FILE *, const struct wizard *const *);
extern const struct view_ops *const help_views[];	/* view-pager.c */

/*
 * cmd-complete.c: the hidden `__complete` the bash completion file asks;
 * complete.c: an entry's synopsis, parsed from its usage, its help's
 * option lines and its opts/longopts, and the wizards' words.
 */
struct cmd_synopt {
	char		*name;		/* "-c", "--render" */
	char		*arg;		/* "FILE", "fit|1:1", or NULL */
};
struct cmd_syntax {
	struct cmd_synopt *opts;
	size_t		   nopts;
	char		 **operands;	/* "FILE", "start|stop", in order */
	size_t		   noperands;
	int		   repeat;	/* the last operand repeats */
};
extern const struct cmd_entry cmd_complete_entry;

/* complete.c: the parts that need no command table (t/wiz-test). */
#define CPL_FILES	0x1	/* file names too */
#define CPL_CFGFILES	0x2	/* xl.cfg files: *.cfg and directories */
#define CPL_DIRS	0x4
#define CPL_NOSPACE	0x8	/* "key=": not a whole word yet */
struct cpl {
	struct cmd_ctx	 *ctx;
	const char	 *cur;		/* the word being completed */
	int		  directives;	/* CPL_* */
	char		**words;	/* candidates */
	void		(*domains)(struct cpl *, int);	/* 1: with dom0 */
	void		(*commands)(struct cpl *);
};
void		 cmd_syntax_parse(const struct cmd_entry *, struct cmd_syntax *);
void		 cmd_syntax_free(struct cmd_syntax *);
const struct cmd_synopt *cmd_syntax_opt(const struct cmd_syntax *,
		     const char *);
void		 cpl_add(struct cpl *, const char *);
void		 cpl_what(struct cpl *, const struct cmd_entry *, const char *);
void		 cpl_optarg(struct cpl *, const char *);
void		 cpl_options(struct cpl *, const struct cmd_syntax *);
void		 cpl_wizard(struct cpl *, const struct wizard *const *, char **,
		     int);
void		 cpl_print(struct cpl *, FILE *);

/* cmd-autostart.c: the domains started with the host (/etc/xen/auto). */
extern const struct cmd_entry cmd_autostart_entry;

/*
 * cmd-pools.c: `xendeck pools`, and the Storage view's data (which the
 * view gets from `xendeck pools --json`, run as a job).
 */
extern const struct cmd_entry cmd_pools_entry;
extern const char pools_volume_header[];
extern const char pools_volume_header_narrow[];
int		 pools_report_parse(struct pool_report *, const char *,
		     size_t, char **);
char		*pools_pool_line(const struct pool *);
char		*pools_volume_line(const struct volume *, int);

/* cmd-wizard.c: `xendeck wizard`, on any table of wizards (wizards.h). */
struct wizard;
struct wiz_answers;
extern const struct cmd_entry cmd_wizard_entry;
int		 cmd_wizard_main(struct cmd_ctx *, const struct wizard *const *,
		     int, char **);
int		 cmd_wizard_answers(const struct wizard *, const char *,
		     struct wiz_answers *, char **);

/*
 * view-wizard.c, view-wizard-menu.c: the one view that draws any wizard
 * (its form, checks, plan and run as a job) and the Wizards menu (w,
 * `:wizard`): every wizard, and the runs left half-done with resume and
 * undo.
 *
 * view_wizard_open() opens a wizard's view pre-filled with "KEY=VALUE"
 * answers (NULL: none): how another view starts a wizard, e.g. the
 * Storage view's new volume:
 *
 *	view_wizard_open("volume", (char *[]){ "pool=vg0",
 *	    "action=create", NULL });
 *
 * view_wizard_run() resumes (undo 0) or undoes (undo 1) the wizard's
 * run as a job drawn in the view. Both return 0, or -1 when they cannot
 * (an unknown wizard or answer, another wizard's run under way, read-only
 * for a run), having said why on the status line. After an apply that
 * started a domain (a start=yes answer, and a name= or hostname= one),
 * the result offers its VNC screen and serial console.
 * view_wizard_running() names the wizard whose run the view drives now,
 * or is NULL. view_wizard_command() is `:wizard` without an action.
 */
extern const struct view_ops view_wizard_ops;
extern const struct view_ops view_wizard_menu_ops;
int		 view_wizard_open(const char *, char *const *);
int		 view_wizard_told_once(const struct wizard *,
		     struct wiz_answers *, const char *, char **, char **);
int		 view_wizard_run(const char *, int);
const char	*view_wizard_running(void);
int		 view_wizard_command(struct cmd_ctx *, int, char **);

#endif /* CONSOLE_H */
