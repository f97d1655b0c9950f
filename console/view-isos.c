/*
 * The ISO picker: the ISOs in the usual directories (iso_dirs(): the
 * xendeck, libvirt and /srv directories, root's home and Downloads), each
 * with its volume label, size and what it is -- a Windows or a Linux
 * installer, recognised from its files -- and those that cannot be used
 * (not an ISO, unreadable by the device model's user) shown with why.
 * Opened by isos_choose() with what to do with the one chosen: the
 * Domains view's i runs cd-insert with it, the new HVM guest flow (H)
 * takes it as the installer. f takes a path typed instead.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

static struct iso_entry	*isos;
static size_t		 nisos;
static int		 sel, top, height;
static char		*title;
static void		(*chosen)(const char *, void *);
static void		*chosen_arg;

static int	iv_down(void);
static int	iv_up(void);
static int	iv_insert(void);
static int	iv_file(void);
static int	iv_rescan(void);
static int	iv_back(void);

static const struct view_key isos_keys[] = {
	{ 'j', KEY_DOWN, "j, Down", "next ISO", iv_down },
	{ 'k', KEY_UP, "k, Up", "previous ISO", iv_up },
	{ '\r', KEY_ENTER, "Enter", "take this one", iv_insert },
	{ 'f', 0, "f", "type a file instead (Tab completes)", iv_file },
	{ 'r', 0, "r", "look for ISOs again", iv_rescan },
	{ 'q', 27, "q, Esc", "back, choosing nothing", iv_back },
	{ 0, 0, NULL, NULL, NULL }
};

static void
iv_scan(void)
{
	iso_list_free(isos, nisos);
	iso_list(&isos, &nisos);
	if (sel >= (int)nisos)
		sel = nisos > 0 ? (int)nisos - 1 : 0;
}

/*
 * Pick an ISO: the picker under TITLE; CB gets the path chosen (and ARG),
 * or NULL when none was, after the picker has gone back to the view it
 * came from.
 */
void
isos_choose(const char *t, void (*cb)(const char *, void *), void *arg)
{
	free(title);
	title = xstrdup(t);
	chosen = cb;
	chosen_arg = arg;
	sel = top = 0;
	iv_scan();
	tui_switch(&view_isos_ops, NULL);
}

static void
iv_free(void)
{
	iso_list_free(isos, nisos);
	isos = NULL;
	nisos = 0;
	free(title);
	title = NULL;
}

static void
iv_draw(int y, int x, int h, int w)
{
	const struct iso_entry	*e;
	char			 line[512], *size, *dirs, **d;
	size_t			 i;
	attr_t			 a;

	height = h - 3;
	snprintf(line, sizeof line, " %s: the ISOs found here",
	    title != NULL ? title : "ISOs");
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, line, theme_attr(COL_HEADER));
	snprintf(line, sizeof line, "  %-24s %-24s %9s  %s", "Label", "Kind",
	    "Size", "File");
	tui_draw_text(y + 1, x, w, line, theme_attr(COL_DIM));
	if (nisos == 0) {
		d = iso_dirs();
		dirs = NULL;
		for (i = 0; d[i] != NULL; i++) {
			char	*next;

			xasprintf(&next, "%s%s%s", dirs != NULL ? dirs : "",
			    dirs != NULL ? " " : "", d[i]);
			free(dirs);
			dirs = next;
		}
		strv_free(d);
		snprintf(line, sizeof line, "no *.iso in %s: f types a path",
		    dirs != NULL ? dirs : "(no directories)");
		free(dirs);
		tui_draw_text(y + 3, x + 2, w - 4, line, theme_attr(COL_DIM));
		return;
	}
	if (sel < top)
		top = sel;
	if (height > 0 && sel >= top + height)
		top = sel - height + 1;
	for (i = 0; (int)i < height && top + i < nisos; i++) {
		e = &isos[top + i];
		if (e->error != NULL)
			snprintf(line, sizeof line, "  %-24s %-24s %9s  %s: %s",
			    "-", "cannot be used", "-", e->path, e->error);
		else {
			size = pool_size_string(e->info.file_size);
			snprintf(line, sizeof line, "  %-24.24s %-24.24s %9s  "
			    "%s", e->info.label[0] != '\0' ? e->info.label :
			    "(no label)", iso_kind_name(e->info.kind), size,
			    e->path);
			free(size);
		}
		if ((int)(top + i) == sel) {
			a = theme_attr(COL_SELECTED);
			tui_fill(y + 2 + (int)i, x, w, a);
		} else
			a = theme_attr(e->error != NULL ? COL_DIM : COL_NORMAL);
		tui_draw_text(y + 2 + (int)i, x, w, line, a);
	}
	e = &isos[sel];
	if (e->error == NULL && e->info.evidence[0] != '\0' && h > 3) {
		snprintf(line, sizeof line, " %s: %s%s%s", e->info.label,
		    e->info.evidence, e->info.boot_efi ? ", boots UEFI" : "",
		    e->info.boot_bios ? ", boots BIOS" : "");
		tui_draw_text(y + h - 1, x, w, line, theme_attr(COL_DIM));
	}
}

static int
iv_down(void)
{
	if (sel + 1 < (int)nisos)
		sel++;
	return (VIEW_REDRAW);
}

static int
iv_up(void)
{
	if (sel > 0)
		sel--;
	return (VIEW_REDRAW);
}

/* Back where the picker came from, then the path to its chooser. */
static void
iv_run(const char *path)
{
	void	(*cb)(const char *, void *) = chosen;
	char	*p = xstrdup(path);

	chosen = NULL;
	tui_back();
	if (cb != NULL)
		cb(p, chosen_arg);
	free(p);
}

static int
iv_insert(void)
{
	if (nisos == 0)
		return (iv_file());
	if (isos[sel].error != NULL) {
		tui_status(COL_ERROR, "%s: %s", isos[sel].path,
		    isos[sel].error);
		return (VIEW_REDRAW);
	}
	iv_run(isos[sel].path);
	return (VIEW_REDRAW);
}

static void
file_done(const char *path, void *arg)
{
	char	*p;

	if ((p = prompt_path(path)) != NULL)
		iv_run(p);
	free(p);
}

static int
iv_file(void)
{
	prompt_begin(PROMPT_FILE, "ISO to insert: ", NULL, file_done, NULL,
	    NULL);
	return (VIEW_REDRAW);
}

static int
iv_rescan(void)
{
	iv_scan();
	tui_status(COL_OK, "%zu ISO%s found", nisos, nisos == 1 ? "" : "s");
	return (VIEW_REDRAW);
}

static int
iv_back(void)
{
	void	(*cb)(const char *, void *) = chosen;

	chosen = NULL;
	tui_back();
	if (cb != NULL)
		cb(NULL, chosen_arg);	/* nothing chosen: it frees its arg */
	return (VIEW_REDRAW);
}

static int
iv_key(int ch)
{
	return (view_key_dispatch(isos_keys, ch));
}

const struct view_ops view_isos_ops = {
	.name = "isos",
	.title = "ISOs",
	.hotkey = 0,
	.keys = isos_keys,
	.free = iv_free,
	.draw = iv_draw,
	.key = iv_key,
};
