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

/* cmd-check-config.c */
extern const struct cmd_entry cmd_check_config_entry;

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

#endif /* CONSOLE_H */
