/*
 * list and info: xl list's table (or JSON with -l) and xl info's host
 * facts, from the backend.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"

static int	cmd_list_exec(struct cmd_ctx *, int, char **);
static int	cmd_info_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.alias = "li",
	.usage = "[-l] [DOMAIN...]",
	.summary = "list the domains",
	.help =
	    "Prints xl list's table: Name, ID, Mem (MiB), VCPUs, State and\n"
	    "Time(s), Domain-0 (the host) first. State letters: r running,\n"
	    "b blocked (idle), p paused, s shut down, c crashed, d dying.\n"
	    "\n"
	    "  -l   one JSON array of the domains instead\n",
	.exec = cmd_list_exec,
};

const struct cmd_entry cmd_info_entry = {
	.name = "info",
	.usage = "[--json]",
	.summary = "show facts about the host",
	.help =
	    "Prints xl info-like `key : value` lines: host, kernel, CPUs,\n"
	    "virtualization support, memory, and which backend, accelerator\n"
	    "and hypervisor version xendeck uses.\n"
	    "\n"
	    "  --json   one JSON object with every fact instead (what the\n"
	    "           console's Host view reads)\n",
	.flags = CMD_JOB | CMD_CANCEL,
	.exec = cmd_info_exec,
};

static const char *
type_name(enum xlcfg_type t)
{
	switch (t) {
	case XLCFG_TYPE_HVM:
		return ("hvm");
	case XLCFG_TYPE_PVH:
		return ("pvh");
	default:
		return ("pv");
	}
}

static int
wanted(const struct dom_info *d, int argc, char **argv)
{
	char	 id[16];
	int	 i;

	if (argc == 0)
		return (1);
	snprintf(id, sizeof id, "%d", d->domid);
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], d->name) == 0 || strcmp(argv[i], id) == 0)
			return (1);
	return (0);
}

static int
cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	struct dom_info			*doms = NULL, *d;
	json_t				*a, *o;
	char				*cause = NULL, state[8], *text, *name;
	size_t				 n, i;
	int				 ch, json = 0, found, j;

	while ((ch = getopt(argc, argv, "+l")) != -1) {
		switch (ch) {
		case 'l':
			json = 1;
			break;
		default:
			return (cmd_usage(ctx, &cmd_list_entry));
		}
	}
	argc -= optind;
	argv += optind;
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	if (be->list(&doms, &n, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	for (j = 0; j < argc; j++) {
		for (found = 0, i = 0; i < n && !found; i++)
			found = wanted(&doms[i], 1, &argv[j]);
		if (!found) {
			cmd_error(ctx, "unknown domain: %s", argv[j]);
			free(doms);
			return (1);
		}
	}
	if (json) {
		a = json_array();
		for (i = 0; i < n; i++) {
			d = &doms[i];
			if (!wanted(d, argc, argv))
				continue;
			o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:I, "
			    "s:i, s:i, s:f, s:b}",
			    "domid", d->domid, "name", d->name,
			    "uuid", d->uuid, "type", type_name(d->type),
			    "state", dom_state_string(d->state, state),
			    "memory", (json_int_t)(d->mem_kb / 1024),
			    "maxmem", (json_int_t)(d->maxmem_kb / 1024),
			    "vcpus", d->vcpus, "vcpus_online",
			    d->vcpus_online, "cpu_time",
			    (double)d->cpu_ns / 1e9, "vnc", d->has_vnc);
			json_array_append_new(a, o);
		}
		text = cmd_json_text(a, JSON_INDENT(4) |
		    JSON_REAL_PRECISION(12));
		fprintf(ctx->out, "%s\n", text);
		free(text);
		json_decref(a);
		free(doms);
		return (0);
	}
	fprintf(ctx->out, "%-40s %5s %5s %5s\t%s\t%s\n", "Name", "ID", "Mem",
	    "VCPUs", "State", "Time(s)");
	for (i = 0; i < n; i++) {
		d = &doms[i];
		if (!wanted(d, argc, argv))
			continue;
		name = term_escape(d->name);
		fprintf(ctx->out, "%-40s %5d %5llu %5d     %s %8.1f\n",
		    name, d->domid, (unsigned long long)(d->mem_kb / 1024),
		    d->vcpus_online, dom_state_string(d->state, state),
		    (double)d->cpu_ns / 1e9);
		free(name);
	}
	free(doms);
	return (0);
}

/* Every host fact as one JSON object (the console's Host view reads it). */
static void
info_json(struct cmd_ctx *ctx, const struct host_info *h)
{
	json_t	*o;
	char	*text;

	o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:b, "
	    "s:b, s:s?, s:b, s:I, s:I, s:s, s:s, s:s, s:s, s:s}",
	    "hostname", h->hostname, "release", h->release,
	    "machine", h->machine, "cpu_model", h->cpu_model,
	    "nr_cpus", h->nr_cpus, "cores_per_socket", h->cores_per_socket,
	    "threads_per_core", h->threads_per_core, "sockets", h->sockets,
	    "cpu_mhz", h->cpu_mhz, "hvm_support", h->hvm_support,
	    "hvm_enabled", h->hvm_enabled, "virt_ext", h->virt_ext,
	    "iommu", h->iommu, "total_kb", (json_int_t)h->total_kb,
	    "free_kb", (json_int_t)h->free_kb, "backend", h->backend,
	    "accel", h->accel, "hv_version", h->hv_version,
	    "caps", h->caps, "accel_why", h->accel_why);
	text = json_dumps(o, JSON_INDENT(4) | JSON_SORT_KEYS);
	fprintf(ctx->out, "%s\n", text);
	free(text);
	json_decref(o);
}

static int
cmd_info_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	struct host_info		 h;
	char				*cause = NULL;
	int				 json = 0;

	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc != 1)
		return (cmd_usage(ctx, &cmd_info_entry));
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	memset(&h, 0, sizeof h);
	if (be->host_info(&h, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	if (json) {
		info_json(ctx, &h);
		return (0);
	}
#define KV(k, fmt, ...) fprintf(ctx->out, "%-23s: " fmt "\n", k, __VA_ARGS__)
	KV("host", "%s", h.hostname);
	KV("release", "%s", h.release);
	KV("machine", "%s", h.machine);
	KV("nr_cpus", "%d", h.nr_cpus);
	KV("nr_nodes", "%d", 1);
	KV("cores_per_socket", "%d", h.cores_per_socket);
	KV("threads_per_core", "%d", h.threads_per_core);
	KV("cpu_model", "%s", h.cpu_model);
	KV("cpu_mhz", "%d", h.cpu_mhz);
	KV("virt_ext", "%s", h.virt_ext != NULL ? h.virt_ext :
	    "none visible in /proc/cpuinfo");
	KV("virt_caps", "%s", h.caps);
	KV("iommu", "%s", h.iommu ? "yes" : "no");
	KV("total_memory", "%llu", (unsigned long long)(h.total_kb / 1024));
	KV("free_memory", "%llu", (unsigned long long)(h.free_kb / 1024));
	KV("xendeck_version", "%s", PACKAGE_VERSION);
	KV("xendeck_backend", "%s", h.backend);
	KV("accelerator", "%s%s%s%s", h.accel, h.accel_why[0] != '\0' ?
	    " (" : "", h.accel_why, h.accel_why[0] != '\0' ? ")" : "");
	{
		char	*key = xprintf("%s_version", h.backend);

		KV(key, "%s", h.hv_version);
		free(key);
	}
#undef KV
	return (0);
}
