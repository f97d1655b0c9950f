/*
 * The Domain detail view: one domain's facts from the sampler, its config
 * (the xl.cfg it was created from, as parsed), its disks and vifs, the VNC
 * endpoint, and the last lines of its console log and of its supervisor's
 * log. Logs are guest-controlled text: escape sequences are stripped and
 * control characters shown as '?' before anything is drawn.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

#define LOG_LINES 12

static char	*dom;
static struct line_list lines;
static int	 top, height;

static const struct view_key detail_keys[] = {
	{ 0, 0, "j k, arrows", "scroll; PgUp PgDn page", NULL },
	{ 0, 0, "c", "serial console of this domain", NULL },
	{ 0, 0, NULL, NULL, NULL }
};

static void printflike(1, 2)
add(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	line_list_vadd(&lines, fmt, ap);
	va_end(ap);
}

/* Drop escape sequences (CSI, OSC, others) and control characters. */
static char *
sanitize(const char *s, size_t len)
{
	char		*out = xmalloc(len + 1), *p = out;
	const char	*e = s + len;

	while (s < e) {
		if (*s == 0x1b) {
			s++;
			if (s < e && *s == '[') {
				for (s++; s < e && !(*s >= 0x40 && *s <= 0x7e);
				    s++)
					;
				s++;
			} else if (s < e && (*s == ']' || *s == 'P' ||
			    *s == '_' || *s == '^')) {
				for (s++; s < e && *s != 0x07 && !(*s == 0x1b &&
				    s + 1 < e && s[1] == '\\'); s++)
					;
				s += (s < e && *s == 0x1b) ? 2 : 1;
			} else
				s++;
			continue;
		}
		if (*s == '\n' || *s == '\t' || (unsigned char)*s >= 0x20) {
			*p++ = *s == '\t' ? ' ' : *s;
		}
		s++;
	}
	*p = '\0';
	return (out);
}

/* The last n lines of a log file, sanitised. */
static void
add_tail(const char *what, char *path, int n)
{
	char		*buf = NULL, *cause = NULL, *clean, *p, *nl;
	size_t		 len;
	int		 count = 0;

	if (path == NULL) {
		add("%s: none", what);
		return;
	}
	add("%s (%s), last lines:", what, path);
	/* Its tail only: a guest's log can be gigabytes. */
	if (file_read_tail(path, 16384, &buf, &len, &cause) != 0) {
		add("  %s", cause);
		free(cause);
		free(path);
		return;
	}
	clean = sanitize(buf, len);
	p = clean + strlen(clean);
	while (p > clean && p[-1] == '\n')
		*--p = '\0';
	while (p > clean && count < n) {
		p--;
		if (*p == '\n')
			count++;
	}
	if (*p == '\n')
		p++;
	while (*p != '\0') {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		add("  %s", p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(clean);
	free(buf);
	free(path);
}

/* The domain's xl.cfg as xlcfg parsed it: what the backend acted on. */
static void
add_config(void)
{
	struct xlcfg	*c = NULL;
	char		*path = NULL, *cause = NULL;
	size_t		 i;

	if (tui.be->config_path == NULL ||
	    (path = tui.be->config_path(dom)) == NULL) {
		add("Config: not kept by the %s backend", tui.be->name);
		return;
	}
	if (xlcfg_load(path, &c, &cause) != 0) {
		add("Config: %s", cause);
		free(cause);
		free(path);
		return;
	}
	add("Config (%s, as parsed):", path);
	add("  type %s, memory %lld MiB, maxmem %lld MiB, vcpus %d",
	    xlcfg_type_name(c->type), (long long)c->memory,
	    (long long)c->maxmem, c->vcpus);
	if (c->kernel != NULL)
		add("  kernel %s", c->kernel);
	if (c->ramdisk != NULL)
		add("  ramdisk %s", c->ramdisk);
	if (c->extra != NULL || c->cmdline != NULL)
		add("  command line %s", c->cmdline != NULL ? c->cmdline :
		    c->extra);
	if (c->bootloader != NULL)
		add("  bootloader %s", c->bootloader);
	if (c->boot != NULL)
		add("  boot %s", c->boot);
	add("  vnc %s, serial %s", c->vnc > 0 ? "on" : "off",
	    c->serial != NULL ? c->serial : "default");
	add("  on_poweroff %s, on_reboot %s, on_crash %s",
	    xlcfg_action_name(c->on_poweroff),
	    xlcfg_action_name(c->on_reboot), xlcfg_action_name(c->on_crash));
	for (i = 0; i < c->ndisks; i++)
		add("  disk %s: %s (%s, %s%s)", c->disks[i].vdev != NULL ?
		    c->disks[i].vdev : "?", c->disks[i].target != NULL ?
		    c->disks[i].target : "(empty)", c->disks[i].format != NULL ?
		    c->disks[i].format : "raw", c->disks[i].readwrite ?
		    "rw" : "ro", c->disks[i].cdrom ? ", cdrom" : "");
	for (i = 0; i < c->nvifs; i++)
		add("  vif %zu: bridge %s, mac %s%s%s", i, c->vifs[i].bridge,
		    c->vifs[i].mac != NULL ? c->vifs[i].mac : "(generated)",
		    c->vifs[i].model != NULL ? ", model " : "",
		    c->vifs[i].model != NULL ? c->vifs[i].model : "");
	if (c->ndisks == 0)
		add("  no disks");
	if (c->nvifs == 0)
		add("  no vifs");
	for (i = 0; i < c->nwarnings; i++)
		add("  warning: %s", c->warnings[i]);
	xlcfg_free(c);
	free(path);
}

static void
build(void)
{
	struct dom_row		*r;
	struct vnc_endpoint	 ep = { 0 };
	char			 st[7], max[32], *cause = NULL;
	size_t			 i;

	line_list_free(&lines);
	if (tui.be == NULL || dom == NULL)
		return;
	if ((r = sampler_find(&tui.sampler, dom)) == NULL) {
		add("%s: no such domain (any more)", dom);
		return;
	}
	add("Domain %s", r->s.info.name);
	add("  id %d, state %s, %s, uuid %s", r->s.info.domid,
	    dom_state_string(r->s.info.state, st),
	    r->s.info.type == XLCFG_TYPE_HVM ? "HVM" :
	    r->s.info.type == XLCFG_TYPE_PVH ? "PVH" : "PV",
	    *r->s.info.uuid != '\0' ? r->s.info.uuid : "-");
	if (r->s.info.maxmem_kb == STAT_NONE)
		snprintf(max, sizeof max, "no limit");
	else
		snprintf(max, sizeof max, "max %llu MiB",
		    (unsigned long long)r->s.info.maxmem_kb / 1024);
	add("  memory %llu MiB (%s), %d vcpu(s), %.1f s cpu",
	    r->s.info.mem_kb == STAT_NONE ? 0ULL :
	    (unsigned long long)r->s.info.mem_kb / 1024, max, r->s.info.vcpus,
	    r->s.info.cpu_ns == STAT_NONE ? 0.0 :
	    (double)r->s.info.cpu_ns / 1e9);
	add("%s", "");
	if (r->s.info.domid != 0)
		add_config();
	add("%s", "");
	add("Disks (%zu):", r->s.nvbds);
	for (i = 0; i < r->s.nvbds; i++)
		add("  %-8s reads %llu, writes %llu", r->s.vbds[i].name,
		    r->s.vbds[i].rd_reqs == STAT_NONE ? 0ULL :
		    (unsigned long long)r->s.vbds[i].rd_reqs,
		    r->s.vbds[i].wr_reqs == STAT_NONE ? 0ULL :
		    (unsigned long long)r->s.vbds[i].wr_reqs);
	add("Vifs (%zu):", r->s.nvifs);
	for (i = 0; i < r->s.nvifs; i++)
		add("  %-10s tx %llu bytes, rx %llu bytes", r->s.vifs[i].name,
		    r->s.vifs[i].tx_bytes == STAT_NONE ? 0ULL :
		    (unsigned long long)r->s.vifs[i].tx_bytes,
		    r->s.vifs[i].rx_bytes == STAT_NONE ? 0ULL :
		    (unsigned long long)r->s.vifs[i].rx_bytes);
	if (r->s.info.domid == 0)
		return;
	if (!r->s.info.has_vnc || tui.be->vnc_endpoint == NULL)
		add("VNC: none");
	else if (tui.be->vnc_endpoint(dom, &ep, &cause) != 0) {
		add("VNC: %s", cause);
		free(cause);
	} else {
		if (ep.unix_path != NULL)
			add("VNC: unix socket %s%s", ep.unix_path,
			    ep.password != NULL ? " (password set)" : "");
		else
			add("VNC: %s:%d%s", ep.host, ep.port,
			    ep.password != NULL ? " (password set)" : "");
		vnc_endpoint_free(&ep);
	}
	add("%s", "");
	add_tail("Console log", tui.be->console_log != NULL ?
	    tui.be->console_log(dom) : NULL, LOG_LINES);
	add("%s", "");
	add_tail("Supervisor log", tui.be->supervisor_log != NULL ?
	    tui.be->supervisor_log(dom) : NULL, LOG_LINES);
}

static int
dt_enter(const char *name)
{
	if (name == NULL) {
		tui_status(COL_ERROR, "no domain selected");
		return (-1);
	}
	free(dom);
	dom = xstrdup(name);
	top = 0;
	build();
	return (0);
}

static void
dt_update(void)
{
	if (tui.view == &view_detail_ops)
		build();
}

static void
dt_free(void)
{
	line_list_free(&lines);
	free(dom);
	dom = NULL;
}

static void
dt_draw(int y, int x, int h, int w)
{
	char	 head[128];
	int	 i;

	height = h - 1;
	snprintf(head, sizeof head, " Detail: %s  (Esc back, c console)",
	    dom != NULL ? dom : "no domain selected");
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, head, theme_attr(COL_HEADER));
	for (i = 0; i < h - 1 && top + i < (int)lines.n; i++)
		tui_draw_text(y + 1 + i, x, w, lines.line[top + i],
		    lines.line[top + i][0] != ' ' ? theme_attr(COL_KEY) :
		    A_NORMAL);
}

static int
dt_key(int ch)
{
	int	 max = (int)lines.n - height;

	switch (ch) {
	case 'j':
	case KEY_DOWN:
		top++;
		break;
	case 'k':
	case KEY_UP:
		top--;
		break;
	case KEY_NPAGE:
	case ' ':
		top += height - 1;
		break;
	case KEY_PPAGE:
		top -= height - 1;
		break;
	case 'c':
		if (dom != NULL)
			tui_switch(&view_serial_ops, dom);
		return (VIEW_REDRAW);
	default:
		return (VIEW_UNHANDLED);
	}
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	return (VIEW_REDRAW);
}

const struct view_ops view_detail_ops = {
	.name = "detail",
	.title = "Detail",
	.hotkey = '4',
	.keys = detail_keys,
	.update = dt_update,
	.free = dt_free,
	.draw = dt_draw,
	.key = dt_key,
	.enter = dt_enter,
};
