/*
 * network: the host's network as the guide's bridge step needs to see it
 * (brctl show, ip addr and ip route in one): bridges and their ports,
 * guests' vifs with their domain, link state and counters, addresses, the
 * default route and the SSH session's route; a bridge that a domain's
 * xl.cfg names but which does not exist; and a bridge change on trial.
 * --json is what the console's Network view reads.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "console.h"

static int	cmd_network_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_network_entry = {
	.name = "network",
	.alias = "net",
	.usage = "[--json]",
	.summary = "show bridges, ports, guests' vifs, addresses and routes",
	.help =
	    "Prints the bridges with their ports (guests' vifs with their\n"
	    "domain), every interface with its state, MAC, addresses and\n"
	    "byte counters, the default route and the route of your SSH\n"
	    "session. A bridge that a domain's xl.cfg names (a running\n"
	    "domain's, or one in /etc/xen) but which does not exist is\n"
	    "flagged, with the bridge wizard that makes it. A bridge change\n"
	    "waiting for confirmation (xendeck wizard bridge) is shown with\n"
	    "the time left.\n"
	    "\n"
	    "  --json   one JSON object instead (what the console's Network\n"
	    "           view reads)\n",
	.flags = CMD_JOB | CMD_CANCEL,
	.exec = cmd_network_exec,
};

/* Add a domain file's bridges to "missing" when no such link exists. */
static void
note_bridges(json_t *missing, json_t *dom, const struct net_facts *nf,
    const char *name, const char *path)
{
	struct xlcfg	*cfg = NULL;
	char		*cause = NULL, *who;
	size_t		 i;
	json_t		*m, *bridges;

	if (xlcfg_load(path, &cfg, &cause) != 0) {
		log_debug("network: %s", cause);
		free(cause);
		return;
	}
	bridges = json_array();
	for (i = 0; i < cfg->nvifs; i++) {
		const char *br = cfg->vifs[i].bridge;	/* filled in */

		json_array_append_new(bridges, json_string(br));
		if (net_link_find(nf, br) != NULL)
			continue;
		if ((m = json_object_get(missing, br)) == NULL) {
			m = json_array();
			json_object_set_new(missing, br, m);
		}
		who = xprintf("%s (%s)", name != NULL ? name :
		    cfg->name != NULL ? cfg->name : "?", path);
		json_array_append_new(m, json_string(who));
		free(who);
	}
	if (dom != NULL)
		json_object_set_new(dom, "bridges", bridges);
	else
		json_decref(bridges);
	xlcfg_free(cfg);
}

/* Running domains with their vifs and bridges; domain files in /etc/xen. */
static void
add_domains(struct cmd_ctx *ctx, json_t *o, const struct net_facts *nf)
{
	const struct backend_ops	*be;
	struct dom_info			*doms = NULL;
	json_t				*a = json_array(), *missing, *d, *vifs;
	json_t				*list;
	char				*cause = NULL, *path, prefix[32];
	size_t				 n = 0, i, k;
	DIR				*dir;
	struct dirent			*de;
	const char			*key;

	missing = json_object();
	be = ctx->be != NULL ? ctx->be : backend_default(&cause);
	if (be == NULL) {
		log_debug("network: %s", cause);
		free(cause);
		cause = NULL;
	} else if (be->list(&doms, &n, &cause) != 0) {
		log_debug("network: %s", cause);
		free(cause);
		cause = NULL;
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (doms[i].domid == 0)
			continue;
		d = json_pack("{s:s, s:i}", "name", doms[i].name, "domid",
		    doms[i].domid);
		vifs = json_array();
		snprintf(prefix, sizeof prefix, "vif%d.", doms[i].domid);
		for (k = 0; k < nf->nlinks; k++) {
			if (strncmp(nf->links[k].name, prefix,
			    strlen(prefix)) == 0)
				json_array_append_new(vifs,
				    json_string(nf->links[k].name));
		}
		json_object_set_new(d, "vifs", vifs);
		if (be->config_path != NULL &&
		    (path = be->config_path(doms[i].name)) != NULL) {
			json_object_set_new(d, "config", json_string(path));
			note_bridges(missing, d, nf, doms[i].name, path);
			free(path);
		}
		json_array_append_new(a, d);
	}
	free(doms);
	/* The guide's domain files, running or not. */
	if ((dir = opendir(xen_config_dir())) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (!xen_config_name_ok(de->d_name))
				continue;
			path = xprintf("%s/%s", xen_config_dir(), de->d_name);
			note_bridges(missing, NULL, nf, NULL, path);
			free(path);
		}
		closedir(dir);
	}
	json_object_set_new(o, "domains", a);
	list = json_array();
	json_object_foreach(missing, key, d) {
		json_array_append_new(list, json_pack("{s:s, s:O}", "bridge",
		    key, "named_by", d));
	}
	json_decref(missing);
	json_object_set_new(o, "missing_bridges", list);
}

/* A bridge change on trial, or the last one's outcome. */
static void
add_trial(json_t *o)
{
	struct nettrial	 t;
	char		*cause = NULL;
	json_t		*j;

	if (nettrial_load(&t, &cause) != 0) {
		free(cause);
		return;
	}
	j = json_pack("{s:s, s:s, s:s, s:s?, s:b, s:I, s:I, s:I, s:s?}",
	    "state", t.state, "bridge", t.bridge, "nic", t.nic,
	    "mode", t.mode, "pending", nettrial_pending(&t),
	    "deadline", (json_int_t)t.deadline,
	    "left", (json_int_t)(nettrial_pending(&t) ? t.deadline -
	    time(NULL) : 0), "ended", (json_int_t)t.ended,
	    "result", t.result);
	json_object_set_new(j, "log", json_sprintf("%s/trial.log",
	    nettrial_dir()));
	json_object_set_new(o, "trial", j);
	nettrial_free(&t);
}

static char *
bytes(uint64_t n)
{
	if (n >= 1024ULL * 1024 * 1024)
		return (xprintf("%.1f GiB", n / (1024.0 * 1024 * 1024)));
	if (n >= 1024 * 1024)
		return (xprintf("%.1f MiB", n / (1024.0 * 1024)));
	if (n >= 1024)
		return (xprintf("%.1f KiB", n / 1024.0));
	return (xprintf("%llu B", (unsigned long long)n));
}

/* The domain a vif belongs to (vifD.N), from the JSON's domains. */
static const char *
vif_domain(json_t *o, const char *vif)
{
	json_t	*d;
	size_t	 i;
	int	 domid;

	if (!net_is_vif(vif) || sscanf(vif, "vif%d.", &domid) != 1)
		return (NULL);
	json_array_foreach(json_object_get(o, "domains"), i, d) {
		if (json_integer_value(json_object_get(d, "domid")) == domid)
			return (json_string_value(json_object_get(d,
			    "name")));
	}
	return (NULL);
}

static void
print_text(struct cmd_ctx *ctx, const struct net_facts *nf, json_t *o)
{
	const struct net_route	*r;
	const char		*dom;
	char			**addrs, *rx, *tx, *list;
	json_t			*m, *t;
	size_t			 i, k, nb = 0;

	fprintf(ctx->out, "Bridges\n");
	for (i = 0; i < nf->nlinks; i++) {
		const struct net_link *b = &nf->links[i];

		if (strcmp(b->kind, "bridge") != 0)
			continue;
		nb++;
		addrs = net_link_addrs(nf, b->name, 0);
		list = addrs[0] != NULL ? xstrdup(addrs[0]) : xstrdup("-");
		for (k = 1; addrs[k] != NULL; k++) {
			char	*next = xprintf("%s %s", list, addrs[k]);

			free(list);
			list = next;
		}
		fprintf(ctx->out, "  %-15s %-8s %s\n", b->name, b->operstate,
		    list);
		free(list);
		strv_free(addrs);
		for (k = 0; k < nf->nlinks; k++) {
			const struct net_link *p = &nf->links[k];

			if (strcmp(p->master, b->name) != 0)
				continue;
			dom = vif_domain(o, p->name);
			fprintf(ctx->out, "    port %-15s %-8s %s%s%s\n",
			    p->name, p->operstate, dom != NULL ? "domain " :
			    p->kind, dom != NULL ? dom : "",
			    net_is_vif(p->name) && dom == NULL ?
			    " (a guest's vif)" : "");
		}
	}
	if (nb == 0)
		fprintf(ctx->out, "  none (the bridge wizard makes xenbr0: "
		    "xendeck wizard bridge)\n");
	json_array_foreach(json_object_get(o, "missing_bridges"), i, m) {
		list = json_dumps(json_object_get(m, "named_by"),
		    JSON_COMPACT);
		fprintf(ctx->out, "  MISSING %s: named by %s; make it with "
		    "`xendeck wizard bridge --set bridge=%s`\n",
		    json_string_value(json_object_get(m, "bridge")), list,
		    json_string_value(json_object_get(m, "bridge")));
		free(list);
	}
	fprintf(ctx->out, "\nInterfaces\n  %-15s %-8s %-8s %-17s %-10s %-10s "
	    "%s\n", "NAME", "KIND", "STATE", "MAC", "RX", "TX", "ADDRESSES");
	for (i = 0; i < nf->nlinks; i++) {
		const struct net_link *l = &nf->links[i];

		addrs = net_link_addrs(nf, l->name, 0);
		list = addrs[0] != NULL ? xstrdup(addrs[0]) : xstrdup("");
		for (k = 1; addrs[k] != NULL; k++) {
			char	*next = xprintf("%s %s", list, addrs[k]);

			free(list);
			list = next;
		}
		rx = bytes(l->rx_bytes);
		tx = bytes(l->tx_bytes);
		fprintf(ctx->out, "  %-15s %-8s %-8s %-17s %-10s %-10s "
		    "%s%s%s\n", l->name, l->kind, l->operstate, l->mac, rx,
		    tx, list, l->master[0] != '\0' ? " port of " : "",
		    l->master);
		free(rx);
		free(tx);
		free(list);
		strv_free(addrs);
	}
	fprintf(ctx->out, "\n");
	for (i = 0; i < nf->nroutes; i++) {
		r = &nf->routes[i];
		fprintf(ctx->out, "Default route (IPv%d): %s%s dev %s%s%s\n",
		    r->family, r->gateway != NULL ? "via " : "on-link",
		    r->gateway != NULL ? r->gateway : "",
		    r->dev != NULL ? r->dev : "?",
		    r->proto != NULL ? " proto " : "",
		    r->proto != NULL ? r->proto : "");
	}
	if (nf->nroutes == 0)
		fprintf(ctx->out, "Default route: none\n");
	if (nf->ssh_client != NULL)
		fprintf(ctx->out, "SSH session: from %s to %s, through "
		    "%s%s%s\n", nf->ssh_client, nf->ssh_server,
		    nf->ssh_dev != NULL ? nf->ssh_dev : "?",
		    nf->ssh_via != NULL ? " via " : "",
		    nf->ssh_via != NULL ? nf->ssh_via : "");
	if ((t = json_object_get(o, "trial")) != NULL) {
		if (json_is_true(json_object_get(t, "pending")))
			fprintf(ctx->out, "Bridge change on trial: %s on %s, "
			    "%lld s left: keep it with `xendeck wizard bridge "
			    "--confirm`, or it rolls back\n",
			    json_string_value(json_object_get(t, "bridge")),
			    json_string_value(json_object_get(t, "nic")),
			    (long long)json_integer_value(json_object_get(t,
			    "left")));
		else
			fprintf(ctx->out, "Last bridge change: %s\n",
			    json_string_value(json_object_get(t, "result")) ?
			    json_string_value(json_object_get(t, "result")) :
			    json_string_value(json_object_get(t, "state")));
	}
	if (nf->why != NULL)
		fprintf(ctx->out, "(not read: %s)\n", nf->why);
}

static int
cmd_network_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct net_facts	 nf;
	json_t			*o;
	char			*cause = NULL, *text;
	int			 json = 0;

	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc != 1)
		return (cmd_usage(ctx, &cmd_network_entry));
	if (net_facts_read(&nf, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	o = net_facts_json(&nf);
	add_domains(ctx, o, &nf);
	add_trial(o);
	if (json) {
		text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
		fprintf(ctx->out, "%s\n", text);
		free(text);
	} else
		print_text(ctx, &nf, o);
	json_decref(o);
	net_facts_free(&nf);
	return (0);
}
