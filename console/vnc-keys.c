/*
 * Terminal input for the VNC viewer: bytes from a terminal in raw mode are
 * cut into key and mouse events (CSI and SS3 sequences with their modifier
 * parameter, SGR 1006 mouse reports, UTF-8, control bytes, ESC-prefixed Alt
 * combinations) and keys are named by X keysyms, the currency of RFB.
 * vnc_keysym_xt() gives the PC XT scancode (QEMU's "qnum") of a keysym on a
 * US layout, for QEMU's extended key events.
 */
#include <stdlib.h>
#include <string.h>

#include <rfb/keysym.h>

#include "console.h"

/* CSI n ~ */
static const struct {
	int		 n;
	uint32_t	 keysym;
} tilde_keys[] = {
	{ 1, XK_Home }, { 2, XK_Insert }, { 3, XK_Delete }, { 4, XK_End },
	{ 5, XK_Page_Up }, { 6, XK_Page_Down }, { 7, XK_Home }, { 8, XK_End },
	{ 11, XK_F1 }, { 12, XK_F2 }, { 13, XK_F3 }, { 14, XK_F4 },
	{ 15, XK_F5 }, { 17, XK_F6 }, { 18, XK_F7 }, { 19, XK_F8 },
	{ 20, XK_F9 }, { 21, XK_F10 }, { 23, XK_F11 }, { 24, XK_F12 },
};

/* CSI/SS3 final letters. */
static uint32_t
final_keysym(char c)
{
	switch (c) {
	case 'A':
		return (XK_Up);
	case 'B':
		return (XK_Down);
	case 'C':
		return (XK_Right);
	case 'D':
		return (XK_Left);
	case 'H':
		return (XK_Home);
	case 'F':
		return (XK_End);
	case 'P':
		return (XK_F1);
	case 'Q':
		return (XK_F2);
	case 'R':
		return (XK_F3);
	case 'S':
		return (XK_F4);
	case 'E':
		return (XK_KP_Begin);
	}
	return (0);
}

/* A keysym for one byte below 0x80 (no ESC). */
static void
byte_key(unsigned char c, struct vnc_ev *ev)
{
	ev->type = VNC_EV_KEY;
	ev->mods = 0;
	switch (c) {
	case 0x7f:
	case 0x08:
		ev->keysym = XK_BackSpace;
		return;
	case 0x09:
		ev->keysym = XK_Tab;
		return;
	case 0x0d:
	case 0x0a:
		ev->keysym = XK_Return;
		return;
	case 0x00:
		ev->keysym = XK_space;
		ev->mods = VNC_MOD_CTRL;
		return;
	}
	if (c < 0x1b) {
		ev->keysym = 'a' + c - 1;
		ev->mods = VNC_MOD_CTRL;
	} else if (c < 0x20) {
		ev->keysym = "\\]^_"[c - 0x1c];
		ev->mods = VNC_MOD_CTRL;
	} else
		ev->keysym = c;
}

/* Decode one UTF-8 character; 0 if incomplete, -1 if invalid. */
static int
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	int	 n, i;

	if (s[0] < 0xc0 || s[0] > 0xf4)
		return (-1);
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (len < (size_t)n)
		return (0);
	*cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (-1);
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return (n);
}

/*
 * Parse one event from BUF. Returns the bytes used, or 0 if BUF holds only
 * the start of a sequence: call again with more bytes, or with FINAL set
 * (after a short pause) to take a lone ESC as the Escape key.
 */
size_t
vnc_keys_parse(const char *buf, size_t len, int final, struct vnc_ev *ev)
{
	const unsigned char	*s = (const unsigned char *)buf;
	int			 params[4] = { 0, 0, 0, 0 }, np = 0, i;
	int			 lt = 0;
	size_t			 n;
	uint32_t		 cp;
	int			 used;

	memset(ev, 0, sizeof *ev);
	if (len == 0)
		return (0);
	if (s[0] >= 0x80) {
		used = utf8_decode(s, len, &cp);
		if (used == 0)
			return (final ? 1 : 0);
		ev->type = VNC_EV_KEY;
		if (used < 0) {
			ev->keysym = 0;	/* ignored */
			return (1);
		}
		ev->keysym = cp <= 0xff ? cp : 0x01000000 | cp;
		return ((size_t)used);
	}
	if (s[0] != 0x1b) {
		byte_key(s[0], ev);
		return (1);
	}
	if (len == 1) {
		if (!final)
			return (0);
		ev->type = VNC_EV_KEY;
		ev->keysym = XK_Escape;
		return (1);
	}
	if ((s[1] == 'O' || s[1] == '[') && len == 2) {
		if (!final)
			return (0);
		ev->type = VNC_EV_KEY;	/* Alt+O or Alt+[ typed alone */
		ev->keysym = s[1];
		ev->mods = VNC_MOD_ALT;
		return (2);
	}
	if (s[1] == 'O') {		/* SS3 */
		ev->type = VNC_EV_KEY;
		ev->keysym = final_keysym((char)s[2]);
		return (3);
	}
	if (s[1] != '[') {		/* Alt+key */
		if (s[1] == 0x1b) {
			ev->type = VNC_EV_KEY;
			ev->keysym = XK_Escape;
			return (1);
		}
		n = vnc_keys_parse(buf + 1, len - 1, final, ev);
		if (n == 0)
			return (0);
		ev->mods |= VNC_MOD_ALT;
		return (n + 1);
	}

	/* CSI: ESC [ [<] params final */
	n = 2;
	if (n < len && s[n] == '<') {
		lt = 1;
		n++;
	}
	for (; n < len; n++) {
		if (s[n] >= '0' && s[n] <= '9') {
			if (np == 0)
				np = 1;
			if (params[np - 1] < 100000)
				params[np - 1] = params[np - 1] * 10 +
				    (s[n] - '0');
		} else if (s[n] == ';') {
			if (np == 0)
				np = 1;
			if (np < (int)nitems(params))
				np++;
		} else if (s[n] >= 0x40 && s[n] <= 0x7e)
			break;
		else if (s[n] < 0x20 || s[n] > 0x3f)
			return (n);	/* garbage: drop what we saw */
	}
	if (n == len)
		return (final || len > 64 ? len : 0);
	ev->type = VNC_EV_KEY;
	if (lt) {
		if (s[n] != 'M' && s[n] != 'm') {
			ev->keysym = 0;
			return (n + 1);
		}
		ev->type = VNC_EV_MOUSE;
		ev->button = params[0];
		ev->col = params[1] > 0 ? params[1] - 1 : 0;
		ev->row = params[2] > 0 ? params[2] - 1 : 0;
		ev->release = s[n] == 'm';
		ev->mods = ((params[0] & 4) ? VNC_MOD_SHIFT : 0) |
		    ((params[0] & 8) ? VNC_MOD_ALT : 0) |
		    ((params[0] & 16) ? VNC_MOD_CTRL : 0);
		return (n + 1);
	}
	if (s[n] == '~') {
		for (i = 0; i < (int)nitems(tilde_keys); i++) {
			if (tilde_keys[i].n == params[0])
				ev->keysym = tilde_keys[i].keysym;
		}
	} else if (s[n] == 'Z') {
		ev->keysym = XK_Tab;
		ev->mods = VNC_MOD_SHIFT;
		return (n + 1);
	} else
		ev->keysym = final_keysym((char)s[n]);
	if (np >= 2 && params[1] >= 2) {
		i = params[1] - 1;
		ev->mods = ((i & 1) ? VNC_MOD_SHIFT : 0) |
		    ((i & 2) ? VNC_MOD_ALT : 0) | ((i & 4) ? VNC_MOD_CTRL : 0);
	}
	return (n + 1);
}

/*
 * SGR mouse button code -> RFB button mask change. Returns the mask bit
 * for a press/release (1 left, 2 middle, 4 right, 8/16 wheel), setting
 * *motion for a drag or move report.
 */
int
vnc_mouse_buttons(int code, int release, int *motion)
{
	int	 b = code & 3;

	*motion = (code & 32) != 0;
	if (code & 64)			/* wheel: 64 up, 65 down */
		return (b == 0 ? 8 : b == 1 ? 16 : b == 2 ? 32 : 64);
	if (b == 3)
		return (0);
	(void)release;
	return (b == 0 ? 1 : b == 1 ? 2 : 4);
}

/* US layout: unshifted and shifted characters on each XT key. */
static const struct {
	char	 plain, shifted;
	int	 code;
} xt_chars[] = {
	{ '1', '!', 0x02 }, { '2', '@', 0x03 }, { '3', '#', 0x04 },
	{ '4', '$', 0x05 }, { '5', '%', 0x06 }, { '6', '^', 0x07 },
	{ '7', '&', 0x08 }, { '8', '*', 0x09 }, { '9', '(', 0x0a },
	{ '0', ')', 0x0b }, { '-', '_', 0x0c }, { '=', '+', 0x0d },
	{ 'q', 'Q', 0x10 }, { 'w', 'W', 0x11 }, { 'e', 'E', 0x12 },
	{ 'r', 'R', 0x13 }, { 't', 'T', 0x14 }, { 'y', 'Y', 0x15 },
	{ 'u', 'U', 0x16 }, { 'i', 'I', 0x17 }, { 'o', 'O', 0x18 },
	{ 'p', 'P', 0x19 }, { '[', '{', 0x1a }, { ']', '}', 0x1b },
	{ 'a', 'A', 0x1e }, { 's', 'S', 0x1f }, { 'd', 'D', 0x20 },
	{ 'f', 'F', 0x21 }, { 'g', 'G', 0x22 }, { 'h', 'H', 0x23 },
	{ 'j', 'J', 0x24 }, { 'k', 'K', 0x25 }, { 'l', 'L', 0x26 },
	{ ';', ':', 0x27 }, { '\'', '"', 0x28 }, { '`', '~', 0x29 },
	{ '\\', '|', 0x2b }, { 'z', 'Z', 0x2c }, { 'x', 'X', 0x2d },
	{ 'c', 'C', 0x2e }, { 'v', 'V', 0x2f }, { 'b', 'B', 0x30 },
	{ 'n', 'N', 0x31 }, { 'm', 'M', 0x32 }, { ',', '<', 0x33 },
	{ '.', '>', 0x34 }, { '/', '?', 0x35 }, { ' ', ' ', 0x39 },
};

static const struct {
	uint32_t	 keysym;
	int		 code;
	const char	*name;
} xt_keys[] = {
	{ XK_Escape, 0x01, "Esc" }, { XK_BackSpace, 0x0e, "BackSpace" },
	{ XK_Tab, 0x0f, "Tab" }, { XK_Return, 0x1c, "Return" },
	{ XK_Control_L, 0x1d, "Ctrl" }, { XK_Shift_L, 0x2a, "Shift" },
	{ XK_Shift_R, 0x36, "Shift_R" }, { XK_Alt_L, 0x38, "Alt" },
	{ XK_Caps_Lock, 0x3a, "CapsLock" },
	{ XK_F1, 0x3b, "F1" }, { XK_F2, 0x3c, "F2" }, { XK_F3, 0x3d, "F3" },
	{ XK_F4, 0x3e, "F4" }, { XK_F5, 0x3f, "F5" }, { XK_F6, 0x40, "F6" },
	{ XK_F7, 0x41, "F7" }, { XK_F8, 0x42, "F8" }, { XK_F9, 0x43, "F9" },
	{ XK_F10, 0x44, "F10" }, { XK_F11, 0x57, "F11" },
	{ XK_F12, 0x58, "F12" }, { XK_KP_Begin, 0x4c, "KP5" },
	{ XK_Control_R, 0x9d, "Ctrl_R" }, { XK_Alt_R, 0xb8, "Alt_R" },
	{ XK_Home, 0xc7, "Home" }, { XK_Up, 0xc8, "Up" },
	{ XK_Page_Up, 0xc9, "PgUp" }, { XK_Left, 0xcb, "Left" },
	{ XK_Right, 0xcd, "Right" }, { XK_End, 0xcf, "End" },
	{ XK_Down, 0xd0, "Down" }, { XK_Page_Down, 0xd1, "PgDn" },
	{ XK_Insert, 0xd2, "Insert" }, { XK_Delete, 0xd3, "Delete" },
	{ XK_Super_L, 0xdb, "Super" },
};

/*
 * The XT scancode (qnum) of KEYSYM on a US keyboard, 0 if none; *shift is
 * set when the character needs Shift held.
 */
int
vnc_keysym_xt(uint32_t keysym, int *shift)
{
	size_t	 i;

	*shift = 0;
	for (i = 0; i < nitems(xt_keys); i++) {
		if (xt_keys[i].keysym == keysym)
			return (xt_keys[i].code);
	}
	if (keysym >= 0x80)
		return (0);
	for (i = 0; i < nitems(xt_chars); i++) {
		if ((uint32_t)(unsigned char)xt_chars[i].plain == keysym)
			return (xt_chars[i].code);
		if ((uint32_t)(unsigned char)xt_chars[i].shifted == keysym) {
			*shift = 1;
			return (xt_chars[i].code);
		}
	}
	return (0);
}

/* A short name for a keysym (for the log and tests); NULL if unnamed. */
const char *
vnc_keysym_name(uint32_t keysym)
{
	size_t	 i;

	for (i = 0; i < nitems(xt_keys); i++) {
		if (xt_keys[i].keysym == keysym)
			return (xt_keys[i].name);
	}
	return (NULL);
}
