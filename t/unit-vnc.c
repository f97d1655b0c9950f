/*
 * The VNC viewer's pure parts: terminal input parsing, keysyms and XT
 * scancodes, the scaling geometry (and the mouse mapping through it), area
 * averaging, colour reduction, changed-cell emission, target parsing.
 */
#include <rfb/keysym.h>

#include "console.h"
#include "tap.h"

static void
key(const char *in, size_t len, int final, size_t used, uint32_t keysym,
    int mods, const char *what)
{
	struct vnc_ev	 ev;
	size_t		 n = vnc_keys_parse(in, len, final, &ev);

	ok(n == used && (used == 0 || (ev.type == VNC_EV_KEY &&
	    ev.keysym == keysym && ev.mods == mods)), "key %s", what);
	if (n != used || (used != 0 && (ev.keysym != keysym ||
	    ev.mods != mods)))
		diag("used %zu keysym 0x%x mods %d", n, ev.keysym, ev.mods);
}
#define K(s, used, ks, mods, what) key(s, sizeof s - 1, 0, used, ks, mods, what)

static void
test_keys(void)
{
	struct vnc_ev	 ev;
	size_t		 n;
	int		 shift, motion;

	K("a", 1, 'a', 0, "a");
	K("\001", 1, 'a', VNC_MOD_CTRL, "Ctrl+A");
	K("\035", 1, ']', VNC_MOD_CTRL, "Ctrl+]");
	K("\033", 0, 0, 0, "lone ESC waits");
	key("\033", 1, 1, 1, XK_Escape, 0, "lone ESC after the pause");
	K("\033[A", 3, XK_Up, 0, "Up");
	K("\033[1;5C", 6, XK_Right, VNC_MOD_CTRL, "Ctrl+Right");
	K("\033[1;2D", 6, XK_Left, VNC_MOD_SHIFT, "Shift+Left");
	K("\033[1;8B", 6, XK_Down, VNC_MOD_CTRL | VNC_MOD_ALT | VNC_MOD_SHIFT,
	    "Ctrl+Alt+Shift+Down");
	K("\033OP", 3, XK_F1, 0, "F1 (SS3)");
	K("\033[1;5P", 6, XK_F1, VNC_MOD_CTRL, "Ctrl+F1");
	K("\033[15~", 5, XK_F5, 0, "F5");
	K("\033[21~", 5, XK_F10, 0, "F10");
	K("\033[24~", 5, XK_F12, 0, "F12");
	K("\033[3;3~", 6, XK_Delete, VNC_MOD_ALT, "Alt+Delete");
	K("\033[5~", 4, XK_Page_Up, 0, "PgUp");
	K("\033[6~", 4, XK_Page_Down, 0, "PgDn");
	K("\033[2~", 4, XK_Insert, 0, "Insert");
	K("\033[H", 3, XK_Home, 0, "Home");
	K("\033[F", 3, XK_End, 0, "End");
	K("\033OH", 3, XK_Home, 0, "Home (SS3)");
	K("\033[Z", 3, XK_Tab, VNC_MOD_SHIFT, "Shift+Tab");
	K("\033x", 2, 'x', VNC_MOD_ALT, "Alt+x");
	K("\033\001", 2, 'a', VNC_MOD_ALT | VNC_MOD_CTRL, "Ctrl+Alt+A");
	K("\177", 1, XK_BackSpace, 0, "BackSpace");
	K("\r", 1, XK_Return, 0, "Return");
	K("\t", 1, XK_Tab, 0, "Tab");
	K("\303\251", 2, 0xe9, 0, "UTF-8 e-acute is Latin-1 keysym");
	K("\342\202\254", 3, 0x10020ac, 0, "UTF-8 euro is a Unicode keysym");
	K("\342\202", 0, 0, 0, "half a UTF-8 character waits");
	K("\033[1;5", 0, 0, 0, "half a CSI waits");
	key("\033O", 2, 1, 2, 'O', VNC_MOD_ALT, "ESC O alone is Alt+O");
	key("\033[", 2, 1, 2, '[', VNC_MOD_ALT, "ESC [ alone is Alt+[");

	n = vnc_keys_parse("\033[<0;10;5M", 10, 0, &ev);
	ok(n == 10 && ev.type == VNC_EV_MOUSE && ev.button == 0 &&
	    ev.col == 9 && ev.row == 4 && !ev.release, "SGR mouse press");
	n = vnc_keys_parse("\033[<0;10;5m", 10, 0, &ev);
	ok(n == 10 && ev.release, "SGR mouse release");
	n = vnc_keys_parse("\033[<64;1;1M", 10, 0, &ev);
	is_int(vnc_mouse_buttons(ev.button, 0, &motion), 8, "wheel up = 8");
	is_int(vnc_mouse_buttons(65, 0, &motion), 16, "wheel down = 16");
	is_int(vnc_mouse_buttons(2, 0, &motion), 4, "right button = 4");
	vnc_mouse_buttons(32, 0, &motion);
	ok(motion, "button code 32 is a drag");

	is_int(vnc_keysym_xt('a', &shift), 0x1e, "XT a");
	ok(!shift, "a needs no shift");
	is_int(vnc_keysym_xt('A', &shift), 0x1e, "XT A");
	ok(shift, "A needs shift");
	is_int(vnc_keysym_xt('!', &shift), 0x02, "XT ! is the 1 key");
	ok(shift, "! needs shift");
	is_int(vnc_keysym_xt(XK_Up, &shift), 0xc8, "XT Up (E0 48)");
	is_int(vnc_keysym_xt(XK_F12, &shift), 0x58, "XT F12");
	is_int(vnc_keysym_xt(XK_Delete, &shift), 0xd3, "XT Delete (E0 53)");
	is_int(vnc_keysym_xt(0xe9, &shift), 0, "no XT key for e-acute");
}

static void
test_geom(void)
{
	struct vnc_geom	 g;
	int		 x, y, r;

	/* 720x400 (VGA text) into 160x49 half-block cells. */
	vnc_geom_compute(&g, 720, 400, 160, 49, 1, 2, VNC_SCALE_FIT, 1, 0, 0);
	is_int(g.tw, 160, "fit: 160 target pixels wide");
	is_int(g.th, 98, "fit: 98 target pixels high");
	is_int(g.iw, 160, "fit: image fills the width");
	is_int(g.ih, 89, "fit: image 89 pixels high");
	is_int(g.oy, 4, "fit: centred vertically");
	r = vnc_geom_to_fb(&g, 80, 24, &x, &y);
	ok(r == 0 && x == 362 && y == 202, "fit: centre cell -> 362,202");
	if (x != 362 || y != 202)
		diag("got %d,%d", x, y);
	r = vnc_geom_to_fb(&g, 0, 2, &x, &y);
	ok(r == 0 && x == 2 && y == 4, "fit: top-left image cell -> 2,4");
	if (x != 2 || y != 4)
		diag("got %d,%d", x, y);
	r = vnc_geom_to_fb(&g, 159, 48, &x, &y);
	ok(r == -1 && x == 717 && y == 399, "fit: below the image clamps");
	if (x != 717 || y != 399)
		diag("got %d,%d", x, y);

	vnc_geom_compute(&g, 720, 400, 160, 49, 1, 2, VNC_SCALE_1TO1, 1, 1000,
	    50);
	is_int(g.panx, 560, "1:1: pan clamped to the right edge");
	is_int(g.pany, 50, "1:1: vertical pan kept");
	vnc_geom_to_fb(&g, 10, 3, &x, &y);
	ok(x == 570 && y == 57, "1:1: cell 10,3 -> 570,57");
	if (x != 570 || y != 57)
		diag("got %d,%d", x, y);

	vnc_geom_compute(&g, 720, 400, 160, 49, 1, 2, VNC_SCALE_ZOOM, 2, 0, 0);
	ok(g.scale > 0.44 && g.scale < 0.45, "zoom 2: twice the fit scale");
	is_int(g.iw, 160, "zoom 2: clipped to the window");

	/* Sixel-like cells of 8x16 pixels: 1024x768 into 100x40. */
	vnc_geom_compute(&g, 1024, 768, 100, 40, 8, 16, VNC_SCALE_FIT, 1, 0,
	    0);
	vnc_geom_to_fb(&g, 50, 20, &x, &y);
	ok(x >= 500 && x <= 530 && y >= 380 && y <= 400,
	    "pixel cells: centre maps near the centre (%d,%d)", x, y);
}

static void
test_scale(void)
{
	uint8_t		 fb[2 * 2 * 4] = {
		255, 0, 0, 0,  0, 0, 255, 0,
		255, 0, 0, 0,  0, 0, 255, 0,
	};
	uint8_t		 big[4 * 2 * 4];
	uint32_t	 px[8];
	struct vnc_geom	 g;
	struct vnc_cell	 cells[2], shown[2];
	struct vnc_out	 o = { 0 };
	size_t		 n;
	int		 i;

	vnc_geom_compute(&g, 2, 2, 1, 1, 1, 2, VNC_SCALE_FIT, 1, 0, 0);
	vnc_scale_area(fb, 2, 2, &g, px);
	is_int(px[0], 0x7f007f, "area average of red and blue is purple");
	is_int(px[1], 0, "outside the image is black");

	for (i = 0; i < 8; i++) {
		big[i * 4] = i % 4 < 2 ? 255 : 0;
		big[i * 4 + 1] = 0;
		big[i * 4 + 2] = i % 4 < 2 ? 0 : 255;
	}
	vnc_geom_compute(&g, 4, 2, 2, 1, 1, 2, VNC_SCALE_FIT, 1, 0, 0);
	vnc_scale_area(big, 4, 2, &g, px);
	ok(px[0] == 0xff0000 && px[1] == 0x0000ff, "halves keep their colour");

	is_int(vnc_rgb_to_256(0xff0000), 196, "256: red");
	is_int(vnc_rgb_to_256(0x000000), 16, "256: black");
	is_int(vnc_rgb_to_256(0xffffff), 231, "256: white");
	is_int(vnc_rgb_to_256(0x808080), 244, "256: grey ramp");

	/* Two cells: red over blue, then plain blue. */
	px[0] = 0xff0000;
	px[1] = 0x0000ff;
	px[2] = 0x0000ff;
	px[3] = 0x0000ff;
	vnc_geom_compute(&g, 2, 2, 2, 1, 1, 2, VNC_SCALE_1TO1, 1, 0, 0);
	vnc_cells_from_pixels(px, &g, cells, 0);
	ok(cells[0].ch == 0x2580 && cells[0].fg == 0xff0000 &&
	    cells[0].bg == 0x0000ff, "cell 0: upper half block red on blue");
	ok(cells[1].ch == ' ' && cells[1].bg == 0x0000ff,
	    "cell 1: equal halves are a space");
	memset(shown, 0, sizeof shown);
	n = vnc_cells_emit(&o, cells, shown, 2, 1, 0, 0);
	vnc_out_add(&o, "", 1);
	is_int(n, 2, "first emission writes both cells");
	is_str(o.buf, "\033[1;1H\033[38;2;255;0;0;48;2;0;0;255m\342\226\200 "
	    "\033[0m", "escape sequences: one SGR for both cells");
	o.len = 0;
	n = vnc_cells_emit(&o, cells, shown, 2, 1, 0, 0);
	ok(n == 0 && o.len == 0, "nothing changed, nothing written");
	cells[1].bg = 0x00ff00;
	cells[1].fg = 0x00ff00;
	n = vnc_cells_emit(&o, cells, shown, 2, 1, 0, 0);
	vnc_out_add(&o, "", 1);
	is_int(n, 1, "one changed cell");
	is_str(o.buf, "\033[1;2H\033[48;2;0;255;0m \033[0m",
	    "only the changed cell is written");
	vnc_out_free(&o);
}

static void
test_images(void)
{
	uint32_t	 red[6] = { 0xff0000, 0xff0000, 0xff0000, 0xff0000,
			     0xff0000, 0xff0000 };
	struct vnc_out	 o = { 0 };
	const char	*tail = "#180~$-\033\\";

	vnc_emit_sixel(&o, red, 1, 6, 0, 0);
	vnc_out_add(&o, "", 1);
	ok(strncmp(o.buf, "\033[1;1H\033P0;1;0q\"1;1;1;6#0;2;0;0;0", 30) == 0,
	    "sixel: DCS, raster attributes, palette");
	ok(o.len > strlen(tail) &&
	    strcmp(o.buf + o.len - 1 - strlen(tail), tail) == 0,
	    "sixel: one band of red (register 180), all six bits");
	o.len = 0;
	vnc_emit_kitty(&o, red, 1, 1, 1, 1);
	vnc_out_add(&o, "", 1);
	is_str(o.buf, "\033[1;1H\033_Ga=T,f=24,s=1,v=1,c=1,r=1,i=1,p=1,q=2,C=1,"
	    "m=0;/wAA\033\\", "kitty: one RGB pixel, base64");
	vnc_out_free(&o);
}

static void
test_target(void)
{
	struct vnc_endpoint	 ep;
	char			*cause = NULL;

	ok(vnc_parse_target("host:1", &ep, &cause) == 0 &&
	    strcmp(ep.host, "host") == 0 && ep.port == 5901, "HOST:DISPLAY");
	vnc_endpoint_free(&ep);
	ok(vnc_parse_target("10.0.0.1::5999", &ep, &cause) == 0 &&
	    ep.port == 5999, "HOST::PORT");
	vnc_endpoint_free(&ep);
	ok(vnc_parse_target(":0", &ep, &cause) == 0 &&
	    strcmp(ep.host, "localhost") == 0 && ep.port == 5900,
	    ":0 is localhost");
	vnc_endpoint_free(&ep);
	ok(vnc_parse_target("[::1]:2", &ep, &cause) == 0 &&
	    strcmp(ep.host, "::1") == 0 && ep.port == 5902, "[IPv6]:DISPLAY");
	vnc_endpoint_free(&ep);
	ok(vnc_parse_target("/run/x/vnc", &ep, &cause) == 0 &&
	    strcmp(ep.unix_path, "/run/x/vnc") == 0, "socket path");
	vnc_endpoint_free(&ep);
	ok(vnc_parse_target("host:abc", &ep, &cause) == -1 && cause != NULL,
	    "HOST:junk is refused");
	free(cause);
	cause = NULL;
	ok(vnc_parse_target("host::0", &ep, &cause) == -1, "port 0 refused");
	free(cause);
}

static void
test_detect(void)
{
	unsetenv("XENDECK_VNC_RENDER");
	unsetenv("KITTY_WINDOW_ID");
	unsetenv("TERM_PROGRAM");
	unsetenv("TMUX");
	unsetenv("STY");
	unsetenv("COLORTERM");
	setenv("TERM", "xterm", 1);
	is_int(vnc_detect_render(-1, 0), VNC_RENDER_256,
	    "plain xterm: 256 colours");
	setenv("COLORTERM", "truecolor", 1);
	is_int(vnc_detect_render(-1, 0), VNC_RENDER_HALFBLOCK,
	    "COLORTERM=truecolor: truecolor half blocks");
	is_int(vnc_detect_render(1, 0), VNC_RENDER_SIXEL,
	    "DA1 with sixel: sixel");
	setenv("KITTY_WINDOW_ID", "1", 1);
	is_int(vnc_detect_render(-1, 0), VNC_RENDER_KITTY, "kitty: kitty images");
	setenv("TMUX", "/tmp/x,1,0", 1);
	is_int(vnc_detect_render(1, 0), VNC_RENDER_HALFBLOCK,
	    "inside tmux: no images");
	setenv("XENDECK_VNC_RENDER", "256", 1);
	is_int(vnc_detect_render(-1, 0), VNC_RENDER_256, "the override wins");
	unsetenv("XENDECK_VNC_RENDER");
	unsetenv("KITTY_WINDOW_ID");
	unsetenv("TMUX");
}

int
main(void)
{
	test_keys();
	test_geom();
	test_scale();
	test_images();
	test_detect();
	test_target();
	return (done_testing());
}
