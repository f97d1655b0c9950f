/*
 * bridge: the guide's xenbr0, without locking anyone out (issue 15).
 *
 *   xendeck wizard bridge --set nic=eth0 --set bridge=xenbr0
 *       --set mode=dhcp|static [--set address=CIDR --set gateway=IP]
 *       [--set confirm_timeout=SECONDS] [--root DIR]
 *   xendeck wizard bridge --confirm | --rollback
 *
 * The plan edits interfaces(5) (xen-core/ifupdown.c: the NIC's stanza
 * becomes inet manual, its address moves to a bridge stanza with
 * bridge_ports, bridge_hw, bridge_stp off, bridge_fd 0; every comment and
 * every other stanza stays) and checks the result with `ifup --no-act`
 * before anything is applied. With --root the edits are plain file steps in
 * that tree and no network command runs. On the live host the edited files
 * are staged beside the real ones and the last step is a trial
 * (xen-core/nettrial.c, `--trial`): the rollback is armed first, in a
 * process outside the operator's session; the NIC goes down, the bridge
 * comes up and is verified; the change stands only when confirmed within
 * confirm_timeout (--confirm, or the console), else the old file and the
 * old network come back by themselves.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wizards.h"

#define BRIDGE_TIMEOUT_MIN	10
#define BRIDGE_TIMEOUT_MAX	3600

static char	*def_nic(const struct wiz_ctx *, const struct wiz_answers *);
static char	*def_bridge(const struct wiz_ctx *, const struct wiz_answers *);
static char	*def_mode(const struct wiz_ctx *, const struct wiz_answers *);
static char	*def_address(const struct wiz_ctx *,
		    const struct wiz_answers *);
static char	*def_gateway(const struct wiz_ctx *,
		    const struct wiz_answers *);
static char	*def_timeout(const struct wiz_ctx *,
		    const struct wiz_answers *);
static int	 valid_nic(const char *, char **);
static int	 valid_bridge(const char *, char **);
static int	 valid_address(const char *, char **);
static int	 valid_gateway(const char *, char **);
static int	 valid_timeout(const char *, char **);
static int	 bridge_facts(const struct wiz_ctx *,
		    const struct wiz_answers *, struct plan *, char **);
static int	 bridge_plan(const struct wiz_ctx *,
		    const struct wiz_answers *, struct plan *, char **);
static int	 bridge_candidates(const struct wiz_ctx *, const char *,
		    struct wiz_candidate **, size_t *, char **);
static int	 bridge_action(const struct wiz_ctx *, const char *,
		    const struct wiz_answers *, char **);

static const char *const bridge_modes[] = { "dhcp", "static", NULL };
static const char *const bridge_actions[] = { "confirm", "rollback", "trial",
    NULL };

static const struct wiz_field bridge_fields[] = {
	{ .key = "nic",
	  .prompt = "Network interface to bridge",
	  .explain = "The NIC the host's traffic goes through now; it becomes "
	    "the bridge's port and its address moves to the bridge. The "
	    "guide's eth0 (Debian 12 may name it ens3 or enp1s0). Default: "
	    "the NIC of the default route.",
	  .def = def_nic, .valid = valid_nic },
	{ .key = "bridge",
	  .prompt = "Name of the bridge",
	  .explain = "xenbr0, as in the guide: xl.cfg's vif= entries attach "
	    "to xenbr0 unless they name another bridge.",
	  .def = def_bridge, .valid = valid_bridge },
	{ .key = "mode",
	  .prompt = "How the bridge gets its address",
	  .explain = "dhcp, as the guide assumes, or static. Default: what "
	    "the NIC uses now.",
	  .choices = bridge_modes, .def = def_mode },
	{ .key = "address",
	  .prompt = "The bridge's address (CIDR, static only)",
	  .explain = "For mode=static: the address and prefix, as "
	    "192.168.1.10/24. Default: the NIC's address now, so the host "
	    "keeps its address.",
	  .def = def_address, .valid = valid_address },
	{ .key = "gateway",
	  .prompt = "Default gateway (static only)",
	  .explain = "For mode=static: the default route's gateway. "
	    "Default: the gateway the host uses now.",
	  .def = def_gateway, .valid = valid_gateway },
	{ .key = "confirm_timeout",
	  .prompt = "Seconds to confirm before the old network comes back",
	  .explain = "After the bridge comes up, the change stands only when "
	    "confirmed (xendeck wizard bridge --confirm, from a new "
	    "connection) within this many seconds; otherwise the old "
	    "configuration and the old network come back by themselves.",
	  .flags = WIZ_NUMBER | WIZ_ADVANCED,
	  .def = def_timeout, .valid = valid_timeout },
	{ .key = NULL }
};

const struct wizard wiz_bridge = {
	.name = "bridge",
	.summary = "turn the host's NIC into the xenbr0 bridge, with an "
	    "automatic rollback unless confirmed",
	.guide =
	    "The guide installs bridge-utils, adds to /etc/network/interfaces\n"
	    "\n"
	    "    auto xenbr0\n"
	    "    iface xenbr0 inet dhcp\n"
	    "        bridge_ports eth0\n"
	    "\n"
	    "keeping 'iface eth0 inet dhcp', and runs `service networking "
	    "restart`\n"
	    "(\"make sure you have a backup way to access the host\"). Two of "
	    "those\n"
	    "lines are wrong on Debian 12. A bridge port has no address of its "
	    "own\n"
	    "(bridge-utils-interfaces(5)): eth0 becomes 'inet manual', or a "
	    "second\n"
	    "DHCP client runs on the port. And since bridge-utils 1.7 a bridge "
	    "gets\n"
	    "a generated MAC, so the DHCP server sees a new client and hands "
	    "out a\n"
	    "new address: 'bridge_hw eth0' keeps eth0's MAC and the lease. "
	    "The\n"
	    "wizard also sets bridge_stp off and bridge_fd 0 (one uplink: no "
	    "loop to\n"
	    "detect, no 30 s forwarding delay) and keeps every comment and "
	    "every\n"
	    "other stanza of the file (and of the files it sources) as they "
	    "are.\n"
	    "\n"
	    "Instead of restarting the network over SSH, it tries the change: "
	    "the\n"
	    "new files are staged beside the old ones (a reboot before you "
	    "confirm\n"
	    "boots the old configuration), checked with `ifup --no-act`, a "
	    "rollback\n"
	    "is armed first (a systemd timer, or xendeck's own watchdog "
	    "outside your\n"
	    "session), then eth0 goes down, xenbr0 comes up, and its address, "
	    "the\n"
	    "default route and the gateway are checked. The change stands only "
	    "when\n"
	    "you confirm within confirm_timeout seconds (--confirm, from a new "
	    "SSH\n"
	    "connection: proof that you can still get in); otherwise the old "
	    "file\n"
	    "and the old network come back by themselves, and guests' vifs "
	    "that were\n"
	    "on the bridge are put back on it. --rollback goes back at once.",
	.fields = bridge_fields,
	.facts = bridge_facts,
	.plan = bridge_plan,
	.candidates = bridge_candidates,
	.actions = bridge_actions,
	.action = bridge_action,
};

/* A path in the wizard's tree (--root), caller frees. */
static char *
rooted(const struct wiz_ctx *ctx, const char *path)
{
	if (ctx->root == NULL || *ctx->root == '\0')
		return (xstrdup(path));
	return (xprintf("%s%s", ctx->root, path));
}

/* The configuration of the tree the wizard edits; -1 with *cause. */
static int
load_config(const struct wiz_ctx *ctx, struct ifupdown *ifs, char **cause)
{
	const char	*main = ctx->root != NULL ?
			    "/etc/network/interfaces" : nettrial_interfaces();
	char		*full;
	int		 rc;

	full = rooted(ctx, main);
	if (access(full, F_OK) != 0) {
		*cause = xprintf("%s: no such file: ifupdown does not "
		    "configure %s's network (apt-get install ifupdown "
		    "bridge-utils, and move the NIC's settings there first)",
		    full, ctx->root != NULL ? ctx->root : "this host");
		free(full);
		return (-1);
	}
	free(full);
	rc = ifupdown_load(ctx->root, main, NULL, 0, ifs, cause);
	return (rc);
}

/* The first iface NAME inet stanza, or NULL. */
static const struct ifupdown_stanza *
inet_stanza(const struct ifupdown *ifs, const char *name)
{
	size_t	 i = ifupdown_iface(ifs, name, "inet", 0);

	return (i != IFUPDOWN_NONE ? &ifs->st[i] : NULL);
}

/* The live NIC the default route uses (through a bridge: its port). */
static char *
live_nic(void)
{
	struct net_facts	 nf;
	const struct net_route	*def;
	const struct net_link	*l;
	char			*cause = NULL, *out = NULL;
	size_t			 i;

	if (net_facts_read(&nf, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if ((def = net_default_route(&nf, 4)) != NULL && def->dev != NULL &&
	    (l = net_link_find(&nf, def->dev)) != NULL) {
		if (strcmp(l->kind, "bridge") != 0)
			out = xstrdup(l->name);
		for (i = 0; out == NULL && i < nf.nlinks; i++) {
			if (strcmp(nf.links[i].master, l->name) == 0 &&
			    !net_is_vif(nf.links[i].name) &&
			    strcmp(nf.links[i].kind, "tap") != 0)
				out = xstrdup(nf.links[i].name);
		}
	}
	net_facts_free(&nf);
	return (out);
}

static char *
def_nic(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	struct ifupdown	 ifs;
	char		*cause = NULL, *out = NULL;
	size_t		 i;

	if (ctx->root == NULL && (out = live_nic()) != NULL)
		return (out);
	if (load_config(ctx, &ifs, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	/* The first NIC the configuration gives an address. */
	for (i = 0; i < ifs.nst && out == NULL; i++) {
		const struct ifupdown_stanza *s = &ifs.st[i];

		if (s->kind == IFUPDOWN_IFACE &&
		    strcmp(s->family, "inet") == 0 &&
		    (strcmp(s->method, "dhcp") == 0 ||
		    strcmp(s->method, "static") == 0) &&
		    ifupdown_opt(s, "bridge_ports") == NULL &&
		    ifupdown_opt(s, "bridge-ports") == NULL &&
		    net_valid_ifname(s->name))
			out = xstrdup(s->name);
	}
	ifupdown_free(&ifs);
	return (out);
}

static char *
def_bridge(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	return (xstrdup(XLCFG_DEFAULT_BRIDGE));
}

/* The live NIC's first global IPv4 address, and whether it is leased. */
static char *
live_addr(const char *nic, int *dynamic)
{
	struct net_facts	 nf;
	const struct net_addr	*a;
	char			*cause = NULL, *out = NULL;

	if (net_facts_read(&nf, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if ((a = net_link_addr4(&nf, nic)) != NULL &&
	    strcmp(a->scope, "global") == 0) {
		out = xstrdup(a->cidr);
		if (dynamic != NULL)
			*dynamic = a->dynamic;
	}
	net_facts_free(&nf);
	return (out);
}

static char *
def_mode(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	const struct ifupdown_stanza	*s;
	struct ifupdown			 ifs;
	const char			*nic = wiz_get(a, "nic");
	const char			*br = wiz_get(a, "bridge");
	char				*cause = NULL, *out = NULL, *addr;
	int				 dynamic = 0;

	if (nic == NULL)
		return (xstrdup("dhcp"));
	if (load_config(ctx, &ifs, &cause) == 0) {
		/* Re-running on a bridge: what the bridge does now. */
		if ((br != NULL && (s = inet_stanza(&ifs, br)) != NULL) ||
		    (s = inet_stanza(&ifs, nic)) != NULL) {
			if (strcmp(s->method, "dhcp") == 0 ||
			    strcmp(s->method, "static") == 0)
				out = xstrdup(s->method);
		}
		ifupdown_free(&ifs);
	} else
		free(cause);
	if (out != NULL || ctx->root != NULL)
		return (out != NULL ? out : xstrdup("dhcp"));
	if ((addr = live_addr(nic, &dynamic)) != NULL && !dynamic) {
		free(addr);
		return (xstrdup("static"));
	}
	free(addr);
	return (xstrdup("dhcp"));
}

/* What the configuration says for the NIC (or the bridge, re-run). */
static char *
config_value(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    const char *key)
{
	const struct ifupdown_stanza	*s = NULL;
	struct ifupdown			 ifs;
	const char			*nic = wiz_get(a, "nic");
	const char			*br = wiz_get(a, "bridge");
	const char			*v;
	char				*cause = NULL, *out = NULL;

	if (load_config(ctx, &ifs, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if (br != NULL)
		s = inet_stanza(&ifs, br);
	if ((s == NULL || ifupdown_opt(s, "address") == NULL) && nic != NULL)
		s = inet_stanza(&ifs, nic);
	if (s != NULL && strcmp(key, "address") == 0)
		out = ifupdown_cidr(s);
	else if (s != NULL && (v = ifupdown_opt(s, key)) != NULL &&
	    net_parse_ipv4(v, NULL))
		out = xstrdup(v);
	ifupdown_free(&ifs);
	return (out);
}

static char *
def_address(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	const char	*mode = wiz_get(a, "mode"), *nic = wiz_get(a, "nic");
	char		*out;

	if (mode == NULL || strcmp(mode, "static") != 0)
		return (NULL);
	if ((out = config_value(ctx, a, "address")) != NULL)
		return (out);
	if (ctx->root != NULL || nic == NULL)
		return (NULL);
	/* Run again on a bridge: the address is the bridge's now. */
	if (wiz_get(a, "bridge") != NULL &&
	    (out = live_addr(wiz_get(a, "bridge"), NULL)) != NULL)
		return (out);
	return (live_addr(nic, NULL));
}

static char *
def_gateway(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	const char		*mode = wiz_get(a, "mode");
	const char		*nic = wiz_get(a, "nic");
	const char		*br = wiz_get(a, "bridge");
	const struct net_route	*def;
	struct net_facts	 nf;
	char			*out, *cause = NULL;

	if (mode == NULL || strcmp(mode, "static") != 0)
		return (NULL);
	if ((out = config_value(ctx, a, "gateway")) != NULL)
		return (out);
	if (ctx->root != NULL || nic == NULL)
		return (NULL);
	if (net_facts_read(&nf, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if ((def = net_default_route(&nf, 4)) != NULL && def->dev != NULL &&
	    def->gateway != NULL && (strcmp(def->dev, nic) == 0 ||
	    (br != NULL && strcmp(def->dev, br) == 0)))
		out = xstrdup(def->gateway);
	net_facts_free(&nf);
	return (out);
}

static char *
def_timeout(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	return (xstrdup("120"));
}

static int
valid_ifname_field(const char *key, const char *v, char **cause)
{
	if (net_valid_ifname(v))
		return (0);
	*cause = xprintf("%s: '%s' is not an interface name (1-15 "
	    "characters, no '/', ':' or blanks)", key, v);
	return (-1);
}

static int
valid_nic(const char *v, char **cause)
{
	if (valid_ifname_field("nic", v, cause) != 0)
		return (-1);
	if (strcmp(v, "lo") == 0) {
		*cause = xstrdup("nic: lo is the loopback interface");
		return (-1);
	}
	return (0);
}

static int
valid_bridge(const char *v, char **cause)
{
	return (valid_ifname_field("bridge", v, cause));
}

static int
valid_address(const char *v, char **cause)
{
	uint32_t	 ip;
	int		 prefix;

	if (!net_parse_cidr(v, &ip, &prefix)) {
		*cause = xprintf("address: '%s' is not an IPv4 address with "
		    "its prefix, as 192.168.1.10/24", v);
		return (-1);
	}
	if (prefix < 31 && (ip == (ip & (0xffffffffU << (32 - prefix))) ||
	    (ip | ~(0xffffffffU << (32 - prefix))) == ip)) {
		*cause = xprintf("address: %s is the network's %s address, not "
		    "a host's", v, ip == (ip & (0xffffffffU << (32 -
		    prefix))) ? "own" : "broadcast");
		return (-1);
	}
	return (0);
}

static int
valid_gateway(const char *v, char **cause)
{
	if (net_parse_ipv4(v, NULL))
		return (0);
	*cause = xprintf("gateway: '%s' is not an IPv4 address", v);
	return (-1);
}

static int
valid_timeout(const char *v, char **cause)
{
	char	*end;
	long	 n;

	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < BRIDGE_TIMEOUT_MIN ||
	    n > BRIDGE_TIMEOUT_MAX) {
		*cause = xprintf("confirm_timeout: '%s' is not a number of "
		    "seconds from %d to %d", v, BRIDGE_TIMEOUT_MIN,
		    BRIDGE_TIMEOUT_MAX);
		return (-1);
	}
	return (0);
}

/* The answers checked together; WIZ_EINPUT with *cause naming a field. */
static int
check_answers(const struct wiz_answers *a, char **cause)
{
	const char	*nic = wiz_get(a, "nic"), *br = wiz_get(a, "bridge");
	const char	*mode = wiz_get(a, "mode");
	const char	*addr = wiz_get(a, "address");
	const char	*gw = wiz_get(a, "gateway");
	uint32_t	 ip, g;
	int		 prefix;

	if (nic == NULL) {
		*cause = xstrdup("nic: required: no default route shows which "
		    "NIC to bridge");
		return (WIZ_EINPUT);
	}
	if (br == NULL || mode == NULL) {
		*cause = xstrdup(br == NULL ? "bridge: required" :
		    "mode: required");
		return (WIZ_EINPUT);
	}
	if (strcmp(nic, br) == 0) {
		*cause = xprintf("bridge: %s is the NIC itself; name the "
		    "bridge differently (xenbr0)", br);
		return (WIZ_EINPUT);
	}
	if (strcmp(mode, "static") == 0) {
		if (addr == NULL) {
			*cause = xstrdup("address: required with mode=static "
			    "(as 192.168.1.10/24)");
			return (WIZ_EINPUT);
		}
		net_parse_cidr(addr, &ip, &prefix);
		if (gw != NULL && net_parse_ipv4(gw, &g) &&
		    !net_same_subnet(ip, g, prefix)) {
			*cause = xprintf("gateway: %s is not in %s's network",
			    gw, addr);
			return (WIZ_EINPUT);
		}
		if (gw != NULL && net_parse_ipv4(gw, &g) && g == ip) {
			*cause = xprintf("gateway: %s is the bridge's own "
			    "address", gw);
			return (WIZ_EINPUT);
		}
	} else if (addr != NULL || gw != NULL) {
		*cause = xprintf("%s: only with mode=static (DHCP gives the "
		    "address and the gateway)", addr != NULL ? "address" :
		    "gateway");
		return (WIZ_EINPUT);
	}
	return (0);
}

/*
 * The facts the plan is made from: every file of the configuration as it
 * is, and on the live host the NIC's addresses, the default route, the
 * bridge and its vifs (which the trial itself changes).
 */
static int
bridge_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *p, char **cause)
{
	struct ifupdown		 ifs;
	struct net_facts	 nf;
	const struct net_route	*def;
	const char		*nic = wiz_get(a, "nic");
	const char		*br = wiz_get(a, "bridge");
	char			*key, **v, *s, sha[65];
	size_t			 i;

	if (load_config(ctx, &ifs, cause) != 0)
		return (-1);
	for (i = 0; i < ifs.nfiles; i++) {
		xasprintf(&key, "%s sha256", ifs.files[i].path);
		sha256_hex(ifs.files[i].data, ifs.files[i].len, sha);
		plan_fact(p, key, sha, NULL);
		free(key);
	}
	ifupdown_free(&ifs);
	if (ctx->root != NULL || nic == NULL || br == NULL)
		return (0);
	if (net_facts_read(&nf, cause) != 0)
		return (-1);
	xasprintf(&key, "%s addresses", nic);
	v = net_link_addrs(&nf, nic, 0);
	s = v[0] != NULL ? xstrdup(v[0]) : xstrdup("none");
	for (i = 1; v[i] != NULL; i++) {
		char	*n = xprintf("%s %s", s, v[i]);

		free(s);
		s = n;
	}
	plan_fact(p, key, s, "trial");
	free(key);
	free(s);
	strv_free(v);
	def = net_default_route(&nf, 4);
	s = def == NULL ? xstrdup("none") : xprintf("via %s dev %s",
	    def->gateway != NULL ? def->gateway : "-",
	    def->dev != NULL ? def->dev : "-");
	plan_fact(p, "default route", s, "trial");
	free(s);
	xasprintf(&key, "%s exists", br);
	plan_fact(p, key, net_link_find(&nf, br) != NULL ? "yes" : "no",
	    "trial");
	free(key);
	net_facts_free(&nf);
	return (0);
}

/*
 * The live host's refusals: a NIC that is not there, is a bridge, is
 * wireless or a port already, or that NetworkManager or systemd-networkd
 * manages (ifupdown's edit would fight them: say how to do it with them).
 */
static int
check_live(const struct wiz_answers *a, struct plan *p, char **cause)
{
	struct net_facts	 nf;
	const struct net_link	*l, *b;
	const char		*nic = wiz_get(a, "nic");
	const char		*br = wiz_get(a, "bridge");
	const char		*who;
	char			*detail = NULL, **ports, *list = NULL, *n;
	size_t			 i;
	int			 rc = -1;

	/* The guide's first step: ifupdown's bridge support. */
	if ((n = spawn_which("ifup")) == NULL) {
		*cause = xstrdup("ifupdown is not installed (apt-get install "
		    "ifupdown bridge-utils)");
		return (-1);
	}
	free(n);
	if ((n = spawn_which("brctl")) == NULL ||
	    access("/etc/network/if-pre-up.d/bridge", X_OK) != 0) {
		free(n);
		*cause = xstrdup("bridge-utils is not installed: without it "
		    "ifupdown ignores bridge_ports (apt-get install "
		    "bridge-utils, the guide's first step)");
		return (-1);
	}
	free(n);
	if (net_facts_read(&nf, cause) != 0)
		return (-1);
	if ((l = net_link_find(&nf, nic)) == NULL) {
		for (i = 0; i < nf.nlinks; i++) {
			if (strcmp(nf.links[i].kind, "loopback") == 0 ||
			    net_is_vif(nf.links[i].name))
				continue;
			n = xprintf("%s%s%s", list != NULL ? list : "",
			    list != NULL ? ", " : "", nf.links[i].name);
			free(list);
			list = n;
		}
		*cause = xprintf("nic: %s: no such network interface here "
		    "(there are: %s)", nic, list != NULL ? list : "none");
		free(list);
		rc = WIZ_EINPUT;
		goto out;
	}
	if (strcmp(l->kind, "bridge") == 0) {
		*cause = xprintf("nic: %s is a bridge itself; name the NIC "
		    "that is its port", nic);
		rc = WIZ_EINPUT;
		goto out;
	}
	if (l->wireless) {
		*cause = xprintf("nic: %s is a wireless interface: a Wi-Fi "
		    "client cannot be a bridge port (the access point drops "
		    "frames from the guests' MACs); bridge a wired NIC, or "
		    "route the guests instead", nic);
		rc = WIZ_EINPUT;
		goto out;
	}
	if (l->master[0] != '\0' && strcmp(l->master, br) != 0) {
		*cause = xprintf("nic: %s is already a port of the bridge %s",
		    nic, l->master);
		rc = WIZ_EINPUT;
		goto out;
	}
	if ((b = net_link_find(&nf, br)) != NULL &&
	    strcmp(b->kind, "bridge") != 0) {
		*cause = xprintf("bridge: %s exists and is not a bridge (%s)",
		    br, b->kind);
		rc = WIZ_EINPUT;
		goto out;
	}
	if ((who = net_manager(nic, l->ifindex, &detail)) != NULL) {
		if (strcmp(who, "NetworkManager") == 0)
			*cause = xprintf("%s; a bridge made in "
			    "/etc/network/interfaces would fight it. Make the "
			    "bridge with NetworkManager instead: nmcli "
			    "connection add type bridge ifname %s "
			    "bridge.stp no; nmcli connection add type "
			    "bridge-slave ifname %s master %s; then bring "
			    "the bridge up (keep a console open: "
			    "NetworkManager's checkpoints can roll that "
			    "back), or leave %s to ifupdown (managed=false "
			    "in NetworkManager.conf) and run this wizard "
			    "again", detail, br, nic, br, nic);
		else
			*cause = xprintf("%s; a bridge made in "
			    "/etc/network/interfaces would fight it. Make the "
			    "bridge with networkd instead (a %s.netdev with "
			    "Kind=bridge, a .network giving %s Bridge=%s and "
			    "one moving the address to %s), or stop "
			    "networkd managing %s and run this wizard again",
			    detail, br, nic, br, br, nic);
		free(detail);
		goto out;
	}
	/* What the change will touch, for the plan's notes. */
	if (nf.ssh_client != NULL && nf.ssh_dev != NULL)
		plan_note(p, "Your SSH session (%s to %s) goes through %s%s",
		    nf.ssh_client, nf.ssh_server, nf.ssh_dev,
		    strcmp(nf.ssh_dev, nic) == 0 ? ": it stalls for a few "
		    "seconds while the bridge comes up, and the rollback "
		    "brings it back if anything goes wrong" : "");
	if (b != NULL) {
		ports = net_bridge_ports(&nf, br);
		for (i = 0, n = NULL; ports[i] != NULL; i++) {
			if (!net_is_vif(ports[i]))
				continue;
			list = xprintf("%s%s%s", n != NULL ? n : "",
			    n != NULL ? ", " : "", ports[i]);
			free(n);
			n = list;
		}
		if (n != NULL)
			plan_note(p, "Guests' vifs on %s now: %s. Taking the "
			    "bridge down detaches them and ifup does not put "
			    "them back: the trial re-attaches them (and so "
			    "does a rollback)", br, n);
		free(n);
		strv_free(ports);
	}
	rc = 0;
out:
	net_facts_free(&nf);
	return (rc);
}

/* One network change at a time: a pending trial is confirmed or undone. */
static int
check_pending(char **cause)
{
	struct nettrial	 t;
	char		*err = NULL;
	int		 rc = 0;

	if (nettrial_load(&t, &err) != 0) {
		free(err);
		return (0);
	}
	if (nettrial_pending(&t) && nettrial_guard_alive(&t)) {
		*cause = xprintf("%s on %s is on trial (%ld s left): keep it "
		    "with `xendeck wizard bridge --confirm` or go back with "
		    "--rollback before planning another change", t.bridge,
		    t.nic, (long)(t.deadline - time(NULL)));
		rc = -1;
	}
	nettrial_free(&t);
	return (rc);
}

/* The notes of the edit that name a file ("FILE:LINE: ..."). */
static char *
notes_for(char **notes, const char *path)
{
	char	*out = xstrdup(""), *n, *rest;
	size_t	 i, len = strlen(path);

	for (i = 0; notes != NULL && notes[i] != NULL; i++) {
		if (strncmp(notes[i], path, len) != 0 ||
		    (notes[i][len] != ':'))
			continue;
		rest = notes[i] + len + 1;
		n = xprintf("%s\n  %s%s", out, *rest >= '0' && *rest <= '9' ?
		    "line " : "", rest + (*rest == ' ' ? 1 : 0));
		free(out);
		out = n;
	}
	return (out);
}

/* The edit of the answers: the configuration and what changes in it. */
static int
make_edit(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct ifupdown *ifs, struct ifupdown_change **ch, size_t *nch,
    char ***notes, char **cause)
{
	struct ifupdown_bridge	 br;

	memset(&br, 0, sizeof br);
	br.nic = wiz_get(a, "nic");
	br.bridge = wiz_get(a, "bridge");
	br.mode = wiz_get(a, "mode");
	br.address = wiz_get(a, "address");
	br.gateway = wiz_get(a, "gateway");
	if (load_config(ctx, ifs, cause) != 0)
		return (-1);
	if (ifupdown_bridge_edit(ifs, &br, ch, nch, notes, cause) != 0) {
		ifupdown_free(ifs);
		return (-1);
	}
	return (0);
}

/* The edited configuration read back and flattened for ifup -i. */
static char *
edited_flat(const struct wiz_ctx *ctx, const struct ifupdown *ifs,
    const struct ifupdown_change *ch, size_t nch, size_t *len, char **cause)
{
	struct ifupdown_text	*over;
	struct ifupdown		 again;
	char			*flat = NULL;
	size_t			 i;

	over = xcalloc(nch + 1, sizeof *over);
	for (i = 0; i < nch; i++) {
		over[i].path = ch[i].path;
		over[i].data = ch[i].after;
		over[i].len = ch[i].afterlen;
	}
	if (ifupdown_load(ctx->root, ifs->files[0].path, over, nch, &again,
	    cause) == 0) {
		flat = ifupdown_flatten(&again, len);
		ifupdown_free(&again);
	}
	free(over);
	return (flat);
}

/*
 * `ifup --no-act` of the edited configuration, before anything is
 * applied: what ifup itself would say of it.
 */
static int
check_noact(const char *flat, size_t len, const char *bridge, char **cause)
{
	char			 dir[] = "/tmp/xendeck-noact.XXXXXX";
	char			*file = NULL, *state = NULL, *err = NULL;
	struct spawn_result	 res;
	int			 rc = -1;

	memset(&res, 0, sizeof res);
	if (mkdtemp(dir) == NULL) {
		*cause = xprintf("mkdtemp: %s", strerror(errno));
		return (-1);
	}
	xasprintf(&file, "%s/interfaces", dir);
	xasprintf(&state, "%s/state", dir);
	if (file_write_atomic(file, flat, len, 0644, 0, cause) != 0 ||
	    mkdir_p(state, 0755, cause) != 0)
		goto out;
	{
		char *const argv[] = { "ifup", "--no-act", "-i", file,
		    "--state-dir", state, (char *)bridge, NULL };

		if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 30000, &res,
		    &err) != 0) {
			*cause = xprintf("the edited configuration does not "
			    "pass `ifup --no-act` (nothing was changed): %s",
			    err);
			free(err);
			goto out;
		}
	}
	rc = 0;
out:
	spawn_result_free(&res);
	if (file != NULL)
		(void)unlink(file);
	if (state != NULL)
		(void)rmdir(state);
	(void)rmdir(dir);
	free(file);
	free(state);
	return (rc);
}

/* The trial's --set arguments, from the answers. */
static void
push_answers(char ***argv, const struct wiz_answers *a)
{
	static const char *const keys[] = { "nic", "bridge", "mode",
	    "address", "gateway", "confirm_timeout", NULL };
	const char	*v;
	char		*kv;
	size_t		 i;

	for (i = 0; keys[i] != NULL; i++) {
		if ((v = wiz_get(a, keys[i])) == NULL)
			continue;
		strv_push(argv, "--set");
		kv = xprintf("%s=%s", keys[i], v);
		strv_push(argv, kv);
		free(kv);
	}
}

static int
bridge_plan(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *p, char **cause)
{
	struct ifupdown		 ifs;
	struct ifupdown_change	*ch = NULL;
	struct plan_step	*s;
	struct stat		 sb;
	char			**notes = NULL, *flat = NULL, *path = NULL;
	char			*staged = NULL, *diff = NULL, *why, *t;
	char			**argv = NULL, *noact, *stale;
	const char		*nic = wiz_get(a, "nic");
	const char		*br = wiz_get(a, "bridge");
	const char		*mode = wiz_get(a, "mode");
	const char		*timeout = wiz_get(a, "confirm_timeout");
	size_t			 nch = 0, i, flatlen = 0;
	int			 rc;

	memset(&ifs, 0, sizeof ifs);
	if ((rc = check_answers(a, cause)) != 0)
		return (rc);
	if (ctx->root == NULL && (rc = check_pending(cause)) != 0)
		return (rc);
	if (ctx->root == NULL && (rc = check_live(a, p, cause)) != 0)
		return (rc);
	if (make_edit(ctx, a, &ifs, &ch, &nch, &notes, cause) != 0)
		return (-1);
	rc = -1;
	free(p->title);
	p->title = xprintf("%s on %s by %s%s%s", br, nic, mode,
	    strcmp(mode, "static") == 0 ? " " : "",
	    strcmp(mode, "static") == 0 ? wiz_get(a, "address") : "");
	for (i = 0; ifs.warnings[i] != NULL; i++)
		plan_note(p, "%s", ifs.warnings[i]);
	if (nch == 0) {
		for (i = 0; notes[i] != NULL; i++)
			plan_note(p, "%s", notes[i]);
		rc = 0;
		goto out;
	}
	plan_note(p, "The guide keeps 'iface %s inet dhcp' for the port and "
	    "has no bridge_hw: on Debian 12 the port must be 'inet manual' "
	    "(a port has no address of its own), and without 'bridge_hw %s' "
	    "the bridge gets a generated MAC (bridge-utils 1.7) and with it "
	    "a new DHCP lease and address", nic, nic);
	if ((flat = edited_flat(ctx, &ifs, ch, nch, &flatlen, cause)) == NULL)
		goto out;
	if (check_noact(flat, flatlen, br, cause) != 0)
		goto out;

	if (ctx->root != NULL) {
		/* Another tree: the edits themselves, nothing run. */
		for (i = 0; i < nch; i++) {
			path = rooted(ctx, ch[i].path);
			t = xprintf("edit-%zu", i + 1);
			why = xprintf("Edit %s: %s bridges %s", ch[i].path, br,
			    nic);
			s = plan_add_file(p, t, why, path, ch[i].after,
			    ch[i].afterlen, 0, cause);
			free(t);
			free(why);
			if (s == NULL)
				goto out;
			free(s->file.backup);
			s->file.backup = rooted(ctx, ch[i].backup);
			t = notes_for(notes, ch[i].path);
			plan_step_explain(s, "Checked with `ifup --no-act`. "
			    "The old file is kept as %s.%s", ch[i].backup, t);
			free(t);
			free(path);
			path = NULL;
		}
		path = rooted(ctx, "/etc/network/if-pre-up.d/bridge");
		if (access(path, F_OK) != 0)
			plan_note(p, "%s has no bridge-utils: install it there "
			    "(apt-get install bridge-utils), or ifup ignores "
			    "bridge_ports", ctx->root);
		free(path);
		path = NULL;
		plan_note(p, "--root %s: only the files change; no network "
		    "command runs, so no rollback is armed: the new "
		    "configuration takes effect when that system boots (or "
		    "runs ifup)", ctx->root);
		rc = 0;
		goto out;
	}

	/* The live host: staged files, a check, and the trial. */
	for (i = 0; i < nch; i++) {
		staged = ifupdown_beside(&ifs, ch[i].path, ".xendeck-new");
		t = xprintf("stage-%zu", i + 1);
		why = xprintf("Stage the new %s (installed when you confirm)",
		    ch[i].path);
		s = plan_add_file(p, t, why, staged, ch[i].after,
		    ch[i].afterlen, stat(ch[i].path, &sb) == 0 ?
		    sb.st_mode & 07777 : 0644, cause);
		free(t);
		free(why);
		if (s == NULL)
			goto out;
		/* A staged file left by an earlier, unconfirmed trial. */
		free(s->file.backup);
		stale = xprintf("%s/stale-%zu", nettrial_dir(), i + 1);
		s->file.backup = stale;
		diff = text_diff(ch[i].path, ch[i].before, ch[i].beforelen,
		    staged, ch[i].after, ch[i].afterlen);
		t = notes_for(notes, ch[i].path);
		plan_step_explain(s, "%s stays as it is until you confirm, so "
		    "a reboot before that boots the old configuration; on "
		    "confirmation the new file replaces it and the old one is "
		    "kept as %s.%s\n%s", ch[i].path, ch[i].backup, t, diff);
		free(t);
		free(diff);
		diff = NULL;
		free(staged);
		staged = NULL;
	}
	path = ifupdown_beside(&ifs, ifs.files[0].path, ".xendeck-trial");
	s = plan_add_file(p, "flatten", "The new configuration in one file, "
	    "for ifup -i during the trial", path, flat, flatlen, 0644, cause);
	if (s == NULL)
		goto out;
	plan_step_explain(s, "%s with every source and source-directory "
	    "expanded, the new files in place of the old: what `ifup -i` "
	    "reads to bring %s up before the real files change (removed "
	    "when the trial ends)", ifs.files[0].path, br);
	noact = xprintf("%s/noact", nettrial_dir());
	{
		char *const check[] = { "ifup", "--no-act", "-i", path,
		    "--state-dir", noact, (char *)br, NULL };

		s = plan_add_run(p, "check", "Check the new configuration "
		    "with ifup --no-act", check);
		plan_step_explain(s, "What ifup would do, without doing it: a "
		    "configuration it refuses never reaches the network");
	}
	free(noact);
	strv_push(&argv, "xendeck");
	strv_push(&argv, "wizard");
	strv_push(&argv, "bridge");
	strv_push(&argv, "--trial");
	push_answers(&argv, a);
	t = xprintf("Try %s: arm the rollback, take %s down, bring %s up, "
	    "verify", br, nic, br);
	s = plan_add_op(p, "trial", t, argv);
	free(t);
	plan_step_explain(s, "First a rollback is armed for %s s from now, in "
	    "a process outside your session (a transient systemd timer, or "
	    "xendeck's watchdog where systemd is not PID 1), so losing the "
	    "session or killing xendeck cannot skip it. Then %s goes down "
	    "under the old configuration, %s comes up under the new one "
	    "(ifup -i), guests' vifs go back on it, and its address, the "
	    "default route and the gateway are checked; a failed check "
	    "rolls back at once. The change stands only when confirmed in "
	    "time: `xendeck wizard bridge --confirm` (from a new connection) "
	    "or the console; `--rollback` goes back at once. Its log: "
	    "%s/trial.log", timeout, nic, br, nettrial_dir());
	{
		char *const undo[] = { "xendeck", "wizard", "bridge",
		    "--rollback", NULL };

		plan_step_undo(s, undo);
	}
	s->flags |= PLAN_RERUN;
	s->timeout_s = 600;
	for (i = 0; notes[i] != NULL; i++) {
		if (*notes[i] != '/')
			plan_note(p, "%s", notes[i]);
	}
	plan_note(p, "After applying: confirm within %s s with `xendeck "
	    "wizard bridge --confirm`, from a new SSH connection if you came "
	    "in over SSH (it proves you can still get in); without it the "
	    "old network comes back by itself", timeout);
	rc = 0;
out:
	ifupdown_changes_free(ch, nch);
	ifupdown_free(&ifs);
	strv_free(notes);
	strv_free(argv);
	free(flat);
	free(path);
	free(staged);
	return (rc);
}

/* A field's candidates: NICs with their state, or bridges. */
static int
bridge_candidates(const struct wiz_ctx *ctx, const char *key,
    struct wiz_candidate **out, size_t *n, char **cause)
{
	struct net_facts	 nf;
	const struct net_route	*def;
	const struct net_link	*l;
	struct wiz_candidate	*c;
	char			**addrs;
	size_t			 i;

	*out = NULL;
	*n = 0;
	if (strcmp(key, "nic") != 0 && strcmp(key, "bridge") != 0)
		return (0);
	if (net_facts_read(&nf, cause) != 0)
		return (-1);
	def = net_default_route(&nf, 4);
	for (i = 0; i < nf.nlinks; i++) {
		l = &nf.links[i];
		if (strcmp(l->kind, "loopback") == 0 || net_is_vif(l->name) ||
		    (strcmp(key, "bridge") == 0) !=
		    (strcmp(l->kind, "bridge") == 0))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		c = &(*out)[(*n)++];
		c->value = xstrdup(l->name);
		addrs = net_link_addrs(&nf, l->name, 4);
		c->label = xprintf("%-15s %-17s %-18s %-7s%s%s%s%s", l->name,
		    l->mac, addrs[0] != NULL ? addrs[0] : "-", l->operstate,
		    def != NULL && def->dev != NULL &&
		    strcmp(def->dev, l->name) == 0 ? " default route" : "",
		    l->master[0] != '\0' ? " port of " : "", l->master,
		    l->wireless ? " wireless (cannot be a port)" : "");
		c->usable = !l->wireless && (l->master[0] == '\0' ||
		    strcmp(key, "bridge") == 0);
		strv_free(addrs);
	}
	net_facts_free(&nf);
	return (0);
}

/* Progress of a trial on stdout, a line at a time (the engine relays it). */
static void
say_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* --trial: the plan's last step, from the staged files it names. */
static int
action_trial(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    const struct nettrial_io *io, char **cause)
{
	struct ifupdown		 ifs;
	struct ifupdown_change	*ch = NULL;
	struct nettrial		 t, old;
	char			**notes = NULL, *staged, bsha[65], asha[65];
	char			*err = NULL;
	const char		*tmo = wiz_get(a, "confirm_timeout");
	size_t			 nch = 0, i;
	int			 rc;

	if (ctx->root != NULL) {
		*cause = xstrdup("--trial changes the live network: not with "
		    "--root");
		return (WIZ_EINPUT);
	}
	if ((rc = check_answers(a, cause)) != 0)
		return (rc);
	/* Run again (a resumed apply): the trial it started stands. */
	if (nettrial_load(&old, &err) == 0) {
		if (nettrial_pending(&old) && nettrial_guard_alive(&old) &&
		    same(old.bridge, wiz_get(a, "bridge")) &&
		    same(old.nic, wiz_get(a, "nic")) &&
		    same(old.mode, wiz_get(a, "mode")) &&
		    same(old.address, wiz_get(a, "address")) &&
		    same(old.gateway, wiz_get(a, "gateway"))) {
			printf("%s on %s is already on trial: %ld s left to "
			    "confirm (xendeck wizard bridge --confirm)\n",
			    old.bridge, old.nic,
			    (long)(old.deadline - time(NULL)));
			nettrial_free(&old);
			return (0);
		}
		nettrial_free(&old);
	} else
		free(err);
	if (make_edit(ctx, a, &ifs, &ch, &nch, &notes, cause) != 0)
		return (-1);
	rc = -1;
	memset(&t, 0, sizeof t);
	if (nch == 0) {
		*cause = xprintf("the configuration already has %s bridging "
		    "%s as asked: nothing to try", wiz_get(a, "bridge"),
		    wiz_get(a, "nic"));
		goto out;
	}
	t.nic = xstrdup(wiz_get(a, "nic"));
	t.bridge = xstrdup(wiz_get(a, "bridge"));
	t.mode = xstrdup(wiz_get(a, "mode"));
	if (wiz_get(a, "address") != NULL)
		t.address = xstrdup(wiz_get(a, "address"));
	if (wiz_get(a, "gateway") != NULL)
		t.gateway = xstrdup(wiz_get(a, "gateway"));
	t.timeout = tmo != NULL ? atoi(tmo) : 120;
	t.interfaces = xstrdup(ifs.files[0].path);
	if (nettrial_ifstate() != NULL)
		t.ifstate = xstrdup(nettrial_ifstate());
	t.flat = ifupdown_beside(&ifs, ifs.files[0].path, ".xendeck-trial");
	for (i = 0; i < nch; i++) {
		staged = ifupdown_beside(&ifs, ch[i].path, ".xendeck-new");
		sha256_hex(ch[i].before, ch[i].beforelen, bsha);
		sha256_hex(ch[i].after, ch[i].afterlen, asha);
		nettrial_add_file(&t, ch[i].path, staged, ch[i].backup, bsha,
		    asha);
		free(staged);
	}
	rc = nettrial_start(&t, io, cause);
out:
	nettrial_free(&t);
	ifupdown_changes_free(ch, nch);
	ifupdown_free(&ifs);
	strv_free(notes);
	return (rc);
}

static int
bridge_action(const struct wiz_ctx *ctx, const char *action,
    const struct wiz_answers *a, char **cause)
{
	struct nettrial_io	 io = { say_line, NULL };
	struct nettrial		 t;
	int			 rc;

	if (strcmp(action, "trial") == 0)
		return (action_trial(ctx, a, &io, cause));
	if (ctx->root != NULL) {
		*cause = xprintf("--%s acts on the live network's trial: not "
		    "with --root", action);
		return (WIZ_EINPUT);
	}
	if (strcmp(action, "confirm") == 0)
		rc = nettrial_confirm(NULL, cause);
	else if (strcmp(action, "rollback") == 0)
		rc = nettrial_rollback("asked for with --rollback", &io,
		    cause);
	else {
		*cause = xprintf("--%s: not an action of the bridge wizard",
		    action);
		return (WIZ_EINPUT);
	}
	if (rc != 0)
		return (-1);
	if (strcmp(action, "confirm") == 0) {
		if (nettrial_load(&t, cause) != 0)
			return (-1);
		printf("%s\n", t.result != NULL ? t.result : t.state);
		nettrial_free(&t);
	}
	return (0);
}
