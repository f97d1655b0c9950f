/*
 * console: the xendeck binary. One command table serves the CLI, the ':'
 * prompt, key bindings, completion and help (style.md, rule 5); the ncurses
 * console, its views and the VNC viewer live here too.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "xen-core.h"

/* What a command runs with. */
struct cmd_ctx {
	FILE				*out;	/* results */
	FILE				*err;	/* "xendeck: ..." errors */
	const char			*backend_name;	/* --backend, or NULL */
	const struct backend_ops	*be;	/* resolved by cmd_backend() */
	int				 read_only;	/* --read-only */
	int				 interactive;	/* from the console */
	int				 assume_yes;	/* confirmations given */
};

#define CMD_MODIFIES	0x01	/* changes state: refused when read-only */
#define CMD_DRYRUN	0x02	/* has a dry-run mode */
#define CMD_ROOT	0x04	/* needs root */
#define CMD_TERMINAL	0x08	/* takes over the terminal (not from ':') */
#define CMD_DOMAIN	0x10	/* first operand is a domain (completion) */

struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*usage;		/* operands, after the name */
	const char	*summary;	/* one line for the command list */
	const char	*help;		/* paragraphs for `help COMMAND`, or NULL */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

/* cmd.c */
extern const struct cmd_entry *cmd_table[];
const struct cmd_entry *cmd_find(const char *, char **);
int		 cmd_exec(struct cmd_ctx *, int, char **);
int		 cmd_usage(struct cmd_ctx *, const struct cmd_entry *);
void		 cmd_error(struct cmd_ctx *, const char *, ...)
		     printflike(2, 3);
const struct backend_ops *cmd_backend(struct cmd_ctx *);

/* cmd-help.c */
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_version_entry;
void		 cmd_print_overview(FILE *);

/* cmd-top.c */
extern const struct cmd_entry cmd_top_entry;

/*
 * The console (tui.c and view-*.c). One poll() loop; views are const ops
 * structs (style.md, rule 6) that draw only from the sampler's rows and
 * act only through cmd_exec(), so --read-only holds everywhere.
 */
#include <curses.h>

/* Semantic colour slots (theme.c); themes map names to these. */
enum theme_slot {
	COL_NORMAL, COL_TITLE, COL_TAB, COL_TAB_ACTIVE, COL_HEADER,
	COL_HEADER_SORT, COL_SELECTED, COL_STATUS, COL_ERROR, COL_OK,
	COL_PROMPT, COL_KEY, COL_DIM, COL_SPARK, COL_BORDER,
	COL_DOM_RUNNING, COL_DOM_BLOCKED, COL_DOM_PAUSED, COL_DOM_SHUTDOWN,
	COL_DOM_CRASHED, COL_DOM_DYING,
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
};
extern const struct view_ops view_domains_ops;
extern const struct view_ops view_top_ops;
extern const struct view_ops view_host_ops;
extern const struct view_ops view_detail_ops;
extern const struct view_ops view_serial_ops;
extern const struct view_ops view_pager_ops;

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

/* tui.c */
extern const struct view_key tui_global_keys[];
int		 tui_main(struct cmd_ctx *, const char *);
void		 tui_status(enum theme_slot, const char *, ...)
		     printflike(2, 3);
int		 tui_run(char *const *);
int		 tui_runf(const char *, ...) printflike(1, 2);
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

/* view-pager.c: help, command output. */
void		 pager_show(const char *, const char *);
char		*help_text(void);

/* cmd-check-config.c */
extern const struct cmd_entry cmd_check_config_entry;

#endif /* CONSOLE_H */
