/*
 * The Host view: what xl info tells, plus what xendeck runs on: the
 * backend, the accelerator (KVM or TCG under QEMU), and whether the cpu
 * has VT-x/AMD-V and the machine VT-d/AMD-Vi. Read again every 10 s.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"

static struct host_info	 host;
static int		 have;
static char		*error;
static uint64_t		 when;
static int		 top;

static const struct view_key host_keys[] = {
	{ 0, 0, "j k, arrows", "scroll", NULL },
	{ 0, 0, NULL, NULL, NULL }
};

static void
hv_refresh(void)
{
	char	*cause = NULL;

	when = mono_ms();
	free(error);
	error = NULL;
	if (tui.be == NULL) {
		error = xstrdup(tui.be_error);
		return;
	}
	memset(&host, 0, sizeof host);
	if (tui.be->host_info(&host, &cause) != 0) {
		error = cause;
		have = 0;
		return;
	}
	have = 1;
}

static int
hv_enter(const char *arg)
{
	hv_refresh();
	return (0);
}

static void
hv_update(void)
{
	if (tui.view == &view_host_ops && mono_ms() - when > 10000)
		hv_refresh();
}

static void
hv_free(void)
{
	free(error);
	error = NULL;
}

static void
hv_draw(int y, int x, int h, int w)
{
	char		 facts[32][2][320];
	int		 n = 0, i, used;
	unsigned int	 ndom = 0, nrun = 0;
	size_t		 k;

#define FACT(k_, ...) do {						\
	snprintf(facts[n][0], sizeof facts[n][0], "%s", (k_));		\
	snprintf(facts[n][1], sizeof facts[n][1], __VA_ARGS__);	\
	n++;								\
} while (0)
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, " Host (xl info)", theme_attr(COL_HEADER));
	if (!have) {
		tui_draw_text(y + 2, x + 1, w - 2, error != NULL ? error :
		    "no host facts", theme_attr(COL_ERROR));
		return;
	}
	for (k = 0; k < tui.sampler.nrows; k++) {
		if (tui.sampler.rows[k]->s.info.domid == 0)
			continue;
		ndom++;
		if (tui.sampler.rows[k]->s.info.state & DOM_RUNNING)
			nrun++;
	}
	FACT("host", "%s", host.hostname);
	FACT("release", "%s", host.release);
	FACT("machine", "%s", host.machine);
	FACT("cpu", "%s", host.cpu_model);
	FACT("nr_cpus", "%d (%d socket(s), %d core(s) each, %d thread(s) "
	    "per core)", host.nr_cpus, host.sockets, host.cores_per_socket,
	    host.threads_per_core);
	FACT("cpu_mhz", "%d", host.cpu_mhz);
	FACT("virtualization", "%s%s", host.hvm_support ?
	    (host.virt_ext != NULL && strcmp(host.virt_ext, "svm") == 0 ?
	    "AMD-V" : "VT-x") : "none (no VT-x/AMD-V: only TCG or PV)",
	    host.hvm_support ? (host.hvm_enabled ? ", usable" :
	    ", present but not usable") : "");
	FACT("iommu", "%s", host.iommu ? "VT-d/AMD-Vi present (PCI "
	    "passthrough possible)" : "none found (no PCI passthrough)");
	FACT("total_memory", "%llu MiB",
	    (unsigned long long)(host.total_kb / 1024));
	FACT("free_memory", "%llu MiB",
	    (unsigned long long)(host.free_kb / 1024));
	FACT("backend", "%s", host.backend);
	FACT("accelerator", "%s", host.accel);
	FACT("hypervisor", "%s", host.hv_version);
	FACT("capabilities", "%s", host.caps);
	FACT("domains", "%u (%u running)", ndom, nrun);
#undef FACT
	for (i = 0; i + top < n && i < h - 2; i++) {
		used = snprintf(NULL, 0, "%-16s", facts[i + top][0]);
		tui_draw_text(y + 2 + i, x + 1, 16, facts[i + top][0],
		    theme_attr(COL_KEY));
		tui_draw_text(y + 2 + i, x + 2 + used, w - used - 3,
		    facts[i + top][1], A_NORMAL);
	}
}

static int
hv_key(int ch)
{
	switch (ch) {
	case 'j':
	case KEY_DOWN:
		top++;
		return (VIEW_REDRAW);
	case 'k':
	case KEY_UP:
		if (top > 0)
			top--;
		return (VIEW_REDRAW);
	}
	return (VIEW_UNHANDLED);
}

const struct view_ops view_host_ops = {
	.name = "host",
	.title = "Host",
	.hotkey = '3',
	.keys = host_keys,
	.free = hv_free,
	.update = hv_update,
	.draw = hv_draw,
	.key = hv_key,
	.enter = hv_enter,
};
