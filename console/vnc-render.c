/*
 * Drawing a VNC framebuffer on a terminal. The framebuffer is scaled into a
 * grid of "target pixels" (two per cell with Unicode upper half blocks, or
 * the cell's real pixels for sixel and kitty images) by area averaging,
 * then either turned into cells (glyph, foreground, background) that are
 * compared with the cells last emitted, so that only changed cells are
 * written, or encoded as one image.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

#define CELL_256	0x1000000	/* fg/bg holds a palette index */
#define HALF_UPPER	0x2580		/* ▀ */

void
vnc_out_add(struct vnc_out *o, const void *p, size_t n)
{
	if (o->len + n > o->size) {
		o->size = (o->len + n) * 2 + 4096;
		o->buf = xreallocarray(o->buf, 1, o->size);
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void
vnc_out_printf(struct vnc_out *o, const char *fmt, ...)
{
	char	 tmp[128];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof tmp)
		n = sizeof tmp - 1;
	if (n > 0)
		vnc_out_add(o, tmp, (size_t)n);
}

void
vnc_out_free(struct vnc_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof *o);
}

/*
 * Where the framebuffer goes in an image area of COLS x ROWS cells of CW x CH
 * target pixels: FIT scales it into the area keeping its aspect, 1TO1 shows
 * one framebuffer pixel per target pixel, ZOOM is FIT times ZOOM. When the
 * image is larger than the area, PANX/PANY (framebuffer pixels, clamped
 * here) pick the part shown; a smaller image is centred.
 */
void
vnc_geom_compute(struct vnc_geom *g, int fbw, int fbh, int cols, int rows,
    int cw, int ch, enum vnc_scale_mode mode, double zoom, int panx, int pany)
{
	double	 fit, sw, sh;
	int	 maxpan;

	memset(g, 0, sizeof *g);
	g->cols = cols > 0 ? cols : 1;
	g->rows = rows > 0 ? rows : 1;
	g->cw = cw;
	g->ch = ch;
	g->tw = g->cols * cw;
	g->th = g->rows * ch;
	g->fbw = fbw > 0 ? fbw : 1;
	g->fbh = fbh > 0 ? fbh : 1;
	fit = (double)g->tw / g->fbw;
	if ((double)g->th / g->fbh < fit)
		fit = (double)g->th / g->fbh;
	switch (mode) {
	case VNC_SCALE_1TO1:
		g->scale = 1.0;
		break;
	case VNC_SCALE_ZOOM:
		g->scale = fit * (zoom > 0 ? zoom : 1.0);
		break;
	default:
		g->scale = fit;
		break;
	}
	if (g->scale <= 0)
		g->scale = 1.0;
	sw = g->fbw * g->scale;
	sh = g->fbh * g->scale;
	if (sw <= g->tw) {
		g->iw = (int)(sw + 0.5);
		if (g->iw < 1)
			g->iw = 1;
		if (g->iw > g->tw)
			g->iw = g->tw;
		g->ox = (g->tw - g->iw) / 2;
		g->panx = 0;
	} else {
		g->iw = g->tw;
		maxpan = g->fbw - (int)(g->tw / g->scale);
		g->panx = panx < 0 ? 0 : panx > maxpan ? maxpan : panx;
	}
	if (sh <= g->th) {
		g->ih = (int)(sh + 0.5);
		if (g->ih < 1)
			g->ih = 1;
		if (g->ih > g->th)
			g->ih = g->th;
		g->oy = (g->th - g->ih) / 2;
		g->pany = 0;
	} else {
		g->ih = g->th;
		maxpan = g->fbh - (int)(g->th / g->scale);
		g->pany = pany < 0 ? 0 : pany > maxpan ? maxpan : pany;
	}
}

/* Target pixel T of an axis -> first framebuffer pixel it covers. */
static int
axis_src(double t, double scale, int pan, int max)
{
	int	 v = pan + (int)(t / scale);

	return (v < 0 ? 0 : v > max ? max : v);
}

/*
 * The framebuffer pixel under the middle of cell COL,ROW (0-based, in the
 * image area). Returns 0, or -1 if the cell is outside the image (the
 * point is then clamped to the nearest edge).
 */
int
vnc_geom_to_fb(const struct vnc_geom *g, int col, int row, int *x, int *y)
{
	double	 tx, ty;
	int	 out = 0;

	tx = col * g->cw + g->cw / 2.0 - g->ox;
	ty = row * g->ch + g->ch / 2.0 - g->oy;
	if (tx < 0 || tx >= g->iw || ty < 0 || ty >= g->ih)
		out = -1;
	if (tx < 0)
		tx = 0;
	if (ty < 0)
		ty = 0;
	*x = axis_src(tx, g->scale, g->panx, g->fbw - 1);
	*y = axis_src(ty, g->scale, g->pany, g->fbh - 1);
	return (out);
}

/* Per target pixel of one axis, the framebuffer range [lo, hi) it averages. */
static void
axis_boxes(int n, int origin, int size, double scale, int pan, int max,
    int *lo, int *hi)
{
	int	 t, a, b;

	for (t = 0; t < n; t++) {
		if (t < origin || t >= origin + size) {
			lo[t] = hi[t] = -1;
			continue;
		}
		a = pan + (int)((t - origin) / scale);
		b = pan + (int)((t - origin + 1) / scale);
		if (a > max - 1)
			a = max - 1;
		if (b <= a)
			b = a + 1;
		if (b > max)
			b = max;
		lo[t] = a;
		hi[t] = b;
	}
}

/*
 * Scale FB (FBW x FBH, 4 bytes per pixel: red, green, blue, unused) into
 * OUT (g->tw x g->th, 0xRRGGBB) by averaging the area each target pixel
 * covers; outside the image is black.
 */
void
vnc_scale_area(const uint8_t *fb, int fbw, int fbh, const struct vnc_geom *g,
    uint32_t *out)
{
	int		*xl, *xh, *yl, *yh, tx, ty, x, y;
	uint32_t	 r, gr, b, n;
	const uint8_t	*p;

	xl = xreallocarray(NULL, (size_t)g->tw * 2, sizeof *xl);
	xh = xl + g->tw;
	yl = xreallocarray(NULL, (size_t)g->th * 2, sizeof *yl);
	yh = yl + g->th;
	axis_boxes(g->tw, g->ox, g->iw, g->scale, g->panx, fbw, xl, xh);
	axis_boxes(g->th, g->oy, g->ih, g->scale, g->pany, fbh, yl, yh);
	for (ty = 0; ty < g->th; ty++) {
		for (tx = 0; tx < g->tw; tx++) {
			if (yl[ty] < 0 || xl[tx] < 0) {
				out[ty * g->tw + tx] = 0;
				continue;
			}
			if (yh[ty] - yl[ty] == 1 && xh[tx] - xl[tx] == 1) {
				p = fb + ((size_t)yl[ty] * fbw + xl[tx]) * 4;
				out[ty * g->tw + tx] = (uint32_t)p[0] << 16 |
				    (uint32_t)p[1] << 8 | p[2];
				continue;
			}
			r = gr = b = n = 0;
			for (y = yl[ty]; y < yh[ty]; y++) {
				p = fb + ((size_t)y * fbw + xl[tx]) * 4;
				for (x = xl[tx]; x < xh[tx]; x++, p += 4) {
					r += p[0];
					gr += p[1];
					b += p[2];
					n++;
				}
			}
			out[ty * g->tw + tx] = (r / n) << 16 | (gr / n) << 8 |
			    (b / n);
		}
	}
	free(xl);
	free(yl);
}

/* The nearest xterm 256-colour index (6x6x6 cube or grey ramp). */
int
vnc_rgb_to_256(uint32_t rgb)
{
	static const int	 steps[6] = { 0, 95, 135, 175, 215, 255 };
	int			 r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff;
	int			 b = rgb & 0xff, ri, gi, bi, cube, grey, gl;
	long			 dc, dg;

#define Q6(v) ((v) < 48 ? 0 : (v) < 115 ? 1 : ((v) - 35) / 40)
	ri = Q6(r);
	gi = Q6(g);
	bi = Q6(b);
#undef Q6
	cube = 16 + 36 * ri + 6 * gi + bi;
	gl = (r + g + b) / 3;
	grey = gl > 238 ? 23 : gl < 8 ? 0 : (gl - 8) / 10;
	dc = (long)(r - steps[ri]) * (r - steps[ri]) +
	    (long)(g - steps[gi]) * (g - steps[gi]) +
	    (long)(b - steps[bi]) * (b - steps[bi]);
	gl = 8 + grey * 10;
	dg = (long)(r - gl) * (r - gl) + (long)(g - gl) * (g - gl) +
	    (long)(b - gl) * (b - gl);
	return (dg < dc ? 232 + grey : cube);
}

/*
 * Half-block cells from target pixels (two rows per cell): the top pixel is
 * the foreground of ▀, the bottom one the background; equal halves become a
 * space on that background. With PAL256 colours are palette indexes.
 */
void
vnc_cells_from_pixels(const uint32_t *px, const struct vnc_geom *g,
    struct vnc_cell *cells, int pal256)
{
	int		 r, c;
	uint32_t	 top, bot;
	struct vnc_cell	*cell;

	for (r = 0; r < g->rows; r++) {
		for (c = 0; c < g->cols; c++) {
			top = px[(size_t)(2 * r) * g->tw + c];
			bot = px[(size_t)(2 * r + 1) * g->tw + c];
			if (pal256) {
				top = CELL_256 | (uint32_t)vnc_rgb_to_256(top);
				bot = CELL_256 | (uint32_t)vnc_rgb_to_256(bot);
			}
			cell = &cells[r * g->cols + c];
			if (top == bot) {
				cell->ch = ' ';
				cell->fg = bot;
			} else
				cell->ch = HALF_UPPER;
			cell->fg = top;
			cell->bg = bot;
		}
	}
}

/* Write TEXT into row ROW of CELLS from column COL, clipped to COLS. */
void
vnc_cells_text(struct vnc_cell *cells, int cols, int row, int col,
    const char *text, uint32_t fg, uint32_t bg)
{
	const unsigned char	*s = (const unsigned char *)text;
	struct vnc_cell		*cell;
	uint32_t		 cp;

	for (; *s != '\0' && col < cols; col++) {
		cp = *s++;
		if (cp >= 0x80) {	/* UTF-8: 2 or 3 bytes, no wide chars */
			if (cp >= 0xe0 && s[0] != '\0' && s[1] != '\0') {
				cp = (cp & 0x0f) << 12 | (s[0] & 0x3f) << 6 |
				    (s[1] & 0x3f);
				s += 2;
			} else if (cp >= 0xc0 && s[0] != '\0') {
				cp = (cp & 0x1f) << 6 | (s[0] & 0x3f);
				s++;
			} else
				cp = '?';
		}
		if (col < 0)
			continue;
		cell = &cells[row * cols + col];
		cell->ch = cp < 0x20 ? '?' : cp;
		cell->fg = fg;
		cell->bg = bg;
	}
}

/* Append a number below 100000 and a separator (the hot path: no printf). */
static char *
put_num(char *p, unsigned v, char sep)
{
	char	 tmp[8];
	int	 n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < 5);
	while (n > 0)
		*p++ = tmp[--n];
	if (sep != '\0')
		*p++ = sep;
	return (p);
}

static void
emit_colour(struct vnc_out *o, int ground, uint32_t v, char sep)
{
	char	 b[24], *p = b;

	p = put_num(p, (unsigned)ground, ';');
	if (v & CELL_256) {
		*p++ = '5';
		*p++ = ';';
		p = put_num(p, v & 0xff, sep);
	} else {
		*p++ = '2';
		*p++ = ';';
		p = put_num(p, v >> 16 & 0xff, ';');
		p = put_num(p, v >> 8 & 0xff, ';');
		p = put_num(p, v & 0xff, sep);
	}
	vnc_out_add(o, b, (size_t)(p - b));
}

static void
emit_cup(struct vnc_out *o, int row, int col)
{
	char	 b[24], *p = b;

	*p++ = '\033';
	*p++ = '[';
	p = put_num(p, (unsigned)row, ';');
	p = put_num(p, (unsigned)col, 'H');
	vnc_out_add(o, b, (size_t)(p - b));
}

static void
emit_utf8(struct vnc_out *o, uint32_t cp)
{
	char	 b[4];
	size_t	 n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	vnc_out_add(o, b, n);
}

/*
 * Emit the cells of NEW (COLS x ROWS, drawn from screen row ROW0) that
 * differ from OLD, or all of them with FORCE, and make OLD equal NEW.
 * Returns the number of cells written.
 */
size_t
vnc_cells_emit(struct vnc_out *o, const struct vnc_cell *cur,
    struct vnc_cell *old, int cols, int rows, int row0, int force)
{
	int		 r, c, cr = -1, cc = -1, pen = 0;
	uint32_t	 pfg = 0, pbg = 0;
	size_t		 n = 0;
	const struct vnc_cell *nc;
	struct vnc_cell	*oc;
	int		 needfg, needbg;

	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++) {
			nc = &cur[r * cols + c];
			oc = &old[r * cols + c];
			if (!force && nc->ch == oc->ch && nc->bg == oc->bg &&
			    (nc->ch == ' ' || nc->fg == oc->fg))
				continue;
			if (cr != r || cc != c)
				emit_cup(o, row0 + r + 1, c + 1);
			needbg = !pen || pbg != nc->bg;
			needfg = nc->ch != ' ' && (!pen || pfg != nc->fg);
			if (needbg || needfg) {
				vnc_out_add(o, "\033[", 2);
				if (needfg)
					emit_colour(o, 38, nc->fg,
					    needbg ? ';' : 'm');
				if (needbg)
					emit_colour(o, 48, nc->bg, 'm');
				if (needfg)
					pfg = nc->fg;
				pbg = nc->bg;
				if (!pen && !needfg)
					pfg = ~0U;
				pen = 1;
			}
			emit_utf8(o, nc->ch);
			*oc = *nc;
			cr = r;
			cc = c + 1;
			n++;
		}
	}
	if (n > 0)
		vnc_out_add(o, "\033[0m", 4);
	return (n);
}

/* 6x6x6 palette register for a pixel. */
static int
sixel_index(uint32_t rgb)
{
	int	 r = (rgb >> 16 & 0xff) * 6 / 256, g = (rgb >> 8 & 0xff) * 6 / 256;
	int	 b = (rgb & 0xff) * 6 / 256;

	return (r * 36 + g * 6 + b);
}

static void
sixel_run(struct vnc_out *o, int ch, int run)
{
	char	 c = (char)(63 + ch);

	if (run > 3)
		vnc_out_printf(o, "!%d%c", run, c);
	else
		while (run-- > 0)
			vnc_out_add(o, &c, 1);
}

/* PX (W x H) as a DEC sixel image at screen cell ROW0, COL0. */
void
vnc_emit_sixel(struct vnc_out *o, const uint32_t *px, int w, int h, int row0,
    int col0)
{
	uint8_t	*idx, used[216];
	int	 i, x, y, band, k, bits, prev, run;

	idx = xmalloc((size_t)w * h);
	for (i = 0; i < w * h; i++)
		idx[i] = (uint8_t)sixel_index(px[i]);
	vnc_out_printf(o, "\033[%d;%dH\033P0;1;0q\"1;1;%d;%d", row0 + 1,
	    col0 + 1, w, h);
	for (i = 0; i < 216; i++)
		vnc_out_printf(o, "#%d;2;%d;%d;%d", i, (i / 36) * 20,
		    (i / 6 % 6) * 20, (i % 6) * 20);
	for (band = 0; band < h; band += 6) {
		memset(used, 0, sizeof used);
		for (y = band; y < band + 6 && y < h; y++)
			for (x = 0; x < w; x++)
				used[idx[y * w + x]] = 1;
		for (k = 0; k < 216; k++) {
			if (!used[k])
				continue;
			vnc_out_printf(o, "#%d", k);
			prev = -1;
			run = 0;
			for (x = 0; x < w; x++) {
				bits = 0;
				for (y = band; y < band + 6 && y < h; y++)
					if (idx[y * w + x] == k)
						bits |= 1 << (y - band);
				if (bits == prev)
					run++;
				else {
					sixel_run(o, prev, run);
					prev = bits;
					run = 1;
				}
			}
			sixel_run(o, prev, run);
			vnc_out_add(o, "$", 1);
		}
		vnc_out_add(o, "-", 1);
	}
	vnc_out_add(o, "\033\\", 2);
	free(idx);
}

/* PX (W x H) as a kitty graphics image filling COLS x ROWS cells at 1,1. */
void
vnc_emit_kitty(struct vnc_out *o, const uint32_t *px, int w, int h, int cols,
    int rows)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 n = (size_t)w * h * 3, i, chunk;
	uint8_t			*rgb;
	char			 q[4];
	uint32_t		 v;
	int			 first = 1;

	rgb = xmalloc(n + 3);
	for (i = 0; i < (size_t)w * h; i++) {
		rgb[i * 3] = px[i] >> 16 & 0xff;
		rgb[i * 3 + 1] = px[i] >> 8 & 0xff;
		rgb[i * 3 + 2] = px[i] & 0xff;
	}
	rgb[n] = rgb[n + 1] = rgb[n + 2] = 0;
	vnc_out_add(o, "\033[1;1H", 6);
	for (i = 0; i < n; i += chunk) {
		chunk = n - i > 3072 ? 3072 : n - i;	/* 4096 base64 bytes */
		if (first)
			vnc_out_printf(o, "\033_Ga=T,f=24,s=%d,v=%d,c=%d,r=%d,"
			    "i=1,p=1,q=2,C=1,m=%d;", w, h, cols, rows,
			    i + chunk < n);
		else
			vnc_out_printf(o, "\033_Gm=%d;", i + chunk < n);
		first = 0;
		for (size_t j = 0; j < chunk; j += 3) {
			v = (uint32_t)rgb[i + j] << 16 |
			    (uint32_t)rgb[i + j + 1] << 8 | rgb[i + j + 2];
			q[0] = b64[v >> 18 & 63];
			q[1] = b64[v >> 12 & 63];
			q[2] = chunk - j > 1 ? b64[v >> 6 & 63] : '=';
			q[3] = chunk - j > 2 ? b64[v & 63] : '=';
			vnc_out_add(o, q, 4);
		}
		vnc_out_add(o, "\033\\", 2);
	}
	free(rgb);
}
