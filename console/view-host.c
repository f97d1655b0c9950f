/*
 * The Host view: what xl info tells, plus what xendeck runs on: the
 * backend, the accelerator (KVM or TCG under QEMU), and whether the cpu
 * has VT-x/AMD-V and the machine VT-d/AMD-Vi. Read again every 10 s while
 * shown. The facts come from `xendeck info --json` run as a quiet job
 * (QEMU's version is a `qemu -version`, and a slow QEMU or xl must not
 * stop the console); what was read last stays on screen meanwhile. The
 * same job gives the sampler its host facts (MEM%, the header).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"

#define HOST_REFRESH_MS	10000

/* The view's own state. */
static struct {
	struct host_info host;
	int		 have;
	char		*error;
	uint64_t	 when;		/* last refresh started */
	unsigned int	 job;		/* a refresh in flight, or 0 */
	int		 top;
} hv;

static const struct view_key host_keys[] = {
	{ 0, 0, "j k, arrows", "scroll", NULL },
	{ 0, 0, NULL, NULL, NULL }
};

static void
json_str(json_t *o, const char *key, char *buf, size_t size)
{
	const char	*v = json_string_value(json_object_get(o, key));

	snprintf(buf, size, "%s", v != NULL ? v : "");
}

static int
json_int(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_boolean(v))
		return (json_is_true(v));
	return ((int)json_integer_value(v));
}

/* `info --json` back into a struct host_info. */
static int
host_from_json(const char *text, struct host_info *h, char **cause)
{
	json_t		*o;
	json_error_t	 err;
	const char	*ext;

	if ((o = json_loads(text, 0, &err)) == NULL || !json_is_object(o)) {
		*cause = xprintf("info --json: line %d: %s", err.line,
		    err.text);
		json_decref(o);
		return (-1);
	}
	memset(h, 0, sizeof *h);
	json_str(o, "hostname", h->hostname, sizeof h->hostname);
	json_str(o, "release", h->release, sizeof h->release);
	json_str(o, "machine", h->machine, sizeof h->machine);
	json_str(o, "cpu_model", h->cpu_model, sizeof h->cpu_model);
	h->nr_cpus = json_int(o, "nr_cpus");
	h->cores_per_socket = json_int(o, "cores_per_socket");
	h->threads_per_core = json_int(o, "threads_per_core");
	h->sockets = json_int(o, "sockets");
	h->cpu_mhz = json_int(o, "cpu_mhz");
	h->hvm_support = json_int(o, "hvm_support");
	h->hvm_enabled = json_int(o, "hvm_enabled");
	ext = json_string_value(json_object_get(o, "virt_ext"));
	if (ext != NULL && strcmp(ext, "vmx") == 0)
		h->virt_ext = "vmx";
	else if (ext != NULL && strcmp(ext, "svm") == 0)
		h->virt_ext = "svm";
	h->iommu = json_int(o, "iommu");
	h->total_kb = json_integer_value(json_object_get(o, "total_kb"));
	h->free_kb = json_integer_value(json_object_get(o, "free_kb"));
	json_str(o, "backend", h->backend, sizeof h->backend);
	json_str(o, "accel", h->accel, sizeof h->accel);
	json_str(o, "hv_version", h->hv_version, sizeof h->hv_version);
	json_str(o, "caps", h->caps, sizeof h->caps);
	json_str(o, "accel_why", h->accel_why, sizeof h->accel_why);
	json_decref(o);
	return (0);
}

static void
hv_done(struct job *j, void *arg)
{
	struct host_info	 h;
	char			*cause = NULL;

	hv.job = 0;
	free(hv.error);
	hv.error = NULL;
	if (job_state(j) != JOB_DONE)
		hv.error = xprintf("host facts: %s", job_error(j) != NULL ?
		    job_error(j) : "not read");
	else if (host_from_json(job_stdout(j, NULL), &h, &cause) != 0)
		hv.error = cause;
	else {
		hv.host = h;
		hv.have = 1;
		tui.sampler.host = h;	/* MEM%, the header */
		tui.sampler.have_host = 1;
	}
	tui.redraw = 1;
}

/* Start reading the host facts, unless a read is already under way. */
static void
hv_refresh(void)
{
	char		*argv[] = { "xendeck", "info", "--json", NULL };
	char		*cause = NULL;
	struct job	*j;

	if (hv.job != 0 && job_find(hv.job) != NULL)
		return;
	hv.when = mono_ms();
	if (tui.be == NULL) {
		free(hv.error);
		hv.error = xstrdup(tui.be_error);
		return;
	}
	j = job_run("host facts", argv, JOB_QUIET, NULL, hv_done, NULL,
	    &cause);
	if (j == NULL) {
		free(hv.error);
		hv.error = cause;
		return;
	}
	hv.job = job_id(j);
}

/*
 * At start: what the host is, read here without running anything (the
 * sampler needs it at once), then the backend's full facts as a job.
 */
static void
hv_init(void)
{
	char	*cause = NULL;

	if (host_probe(&tui.sampler.host, &cause) == 0)
		tui.sampler.have_host = 1;
	free(cause);
	hv_refresh();
}

static int
hv_enter(const char *arg)
{
	if (!hv.have || mono_ms() - hv.when > HOST_REFRESH_MS)
		hv_refresh();
	return (0);
}

static void
hv_update(void)
{
	if (tui.view == &view_host_ops && mono_ms() - hv.when >
	    HOST_REFRESH_MS)
		hv_refresh();
}

static void
hv_free(void)
{
	free(hv.error);
	memset(&hv, 0, sizeof hv);
}

static void
hv_draw(int y, int x, int h, int w)
{
	char		 facts[32][2][320];
	int		 n = 0, i, used;
	unsigned int	 ndom = 0, nrun = 0;
	size_t		 k;
	const struct host_info	*hi = &hv.host;

#define FACT(k_, ...) do {						\
	snprintf(facts[n][0], sizeof facts[n][0], "%s", (k_));		\
	snprintf(facts[n][1], sizeof facts[n][1], __VA_ARGS__);	\
	n++;								\
} while (0)
	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, hv.job != 0 && hv.have ? " Host (xl info)  "
	    "reading again..." : " Host (xl info)", theme_attr(COL_HEADER));
	if (!hv.have) {
		tui_draw_text(y + 2, x + 1, w - 2, hv.error != NULL ?
		    hv.error : "reading the host's facts...", hv.error != NULL ?
		    theme_attr(COL_ERROR) : theme_attr(COL_DIM));
		return;
	}
	for (k = 0; k < tui.sampler.nrows; k++) {
		if (tui.sampler.rows[k]->s.info.domid == 0)
			continue;
		ndom++;
		if (tui.sampler.rows[k]->s.info.state & DOM_RUNNING)
			nrun++;
	}
	FACT("host", "%s", hi->hostname);
	FACT("release", "%s", hi->release);
	FACT("machine", "%s", hi->machine);
	FACT("cpu", "%s", hi->cpu_model);
	FACT("nr_cpus", "%d (%d socket(s), %d core(s) each, %d thread(s) "
	    "per core)", hi->nr_cpus, hi->sockets, hi->cores_per_socket,
	    hi->threads_per_core);
	FACT("cpu_mhz", "%d", hi->cpu_mhz);
	FACT("virtualization", "%s%s", hi->hvm_support ?
	    (hi->virt_ext != NULL && strcmp(hi->virt_ext, "svm") == 0 ?
	    "AMD-V" : "VT-x") : "none (no VT-x/AMD-V: only TCG or PV)",
	    hi->hvm_support ? (hi->hvm_enabled ? ", usable" :
	    ", present but not usable") : "");
	FACT("iommu", "%s", hi->iommu ? "VT-d/AMD-Vi present (PCI "
	    "passthrough possible)" : "none found (no PCI passthrough)");
	FACT("total_memory", "%llu MiB",
	    (unsigned long long)(hi->total_kb / 1024));
	FACT("free_memory", "%llu MiB",
	    (unsigned long long)(hi->free_kb / 1024));
	FACT("backend", "%s", hi->backend);
	FACT("accelerator", "%s", hi->accel);
	FACT("hypervisor", "%s", hi->hv_version);
	FACT("capabilities", "%s", hi->caps);
	FACT("domains", "%u (%u running)", ndom, nrun);
#undef FACT
	for (i = 0; i + hv.top < n && i < h - 2; i++) {
		used = snprintf(NULL, 0, "%-16s", facts[i + hv.top][0]);
		tui_draw_text(y + 2 + i, x + 1, 16, facts[i + hv.top][0],
		    theme_attr(COL_KEY));
		tui_draw_text(y + 2 + i, x + 2 + used, w - used - 3,
		    facts[i + hv.top][1], A_NORMAL);
	}
}

static int
hv_key(int ch)
{
	switch (ch) {
	case 'j':
	case KEY_DOWN:
		hv.top++;
		return (VIEW_REDRAW);
	case 'k':
	case KEY_UP:
		if (hv.top > 0)
			hv.top--;
		return (VIEW_REDRAW);
	}
	return (VIEW_UNHANDLED);
}

const struct view_ops view_host_ops = {
	.name = "host",
	.title = "Host",
	.hotkey = '3',
	.keys = host_keys,
	.init = hv_init,
	.free = hv_free,
	.update = hv_update,
	.draw = hv_draw,
	.key = hv_key,
	.enter = hv_enter,
};
