/*
 * The host's network as the bridge wizard and the Network view see it.
 * Links come from sysfs (/sys/class/net: kind, the bridge a port belongs
 * to, MAC, state, counters: no program runs for them); addresses and
 * default routes from `ip -j`, the route of the operator's SSH session
 * (SSH_CONNECTION) from `ip -j route get`. Whether NetworkManager or
 * systemd-networkd manages an interface is read from them (nmcli, and
 * networkd's own state files), so the wizard can explain instead of
 * fighting them. The IPv4 helpers validate the wizard's fields.
 */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"

/* A dotted quad ("10.0.2.15"), strictly: 1 if valid. */
int
net_parse_ipv4(const char *s, uint32_t *ip)
{
	unsigned long	 v;
	uint32_t	 out = 0;
	int		 i;
	char		*end;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return (0);
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return (0);	/* no octal-looking parts */
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || v > 255 || end - s > 3)
			return (0);
		out = (out << 8) | (uint32_t)v;
		s = end;
		if (i < 3) {
			if (*s != '.')
				return (0);
			s++;
		}
	}
	if (*s != '\0')
		return (0);
	if (ip != NULL)
		*ip = out;
	return (1);
}

/* "a.b.c.d/n" with n 1..32: 1 if valid. */
int
net_parse_cidr(const char *s, uint32_t *ip, int *prefix)
{
	const char	*slash = strchr(s, '/');
	char		*addr, *end;
	long		 n;
	int		 ok;

	if (slash == NULL || slash[1] == '\0')
		return (0);
	errno = 0;
	n = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 32 ||
	    (slash[1] == '0'))
		return (0);
	addr = xstrndup(s, slash - s);
	ok = net_parse_ipv4(addr, ip);
	free(addr);
	if (ok && prefix != NULL)
		*prefix = (int)n;
	return (ok);
}

/* A netmask as ifupdown takes it: "255.255.255.0" or "24". */
int
net_mask_prefix(const char *s, int *prefix)
{
	uint32_t	 m;
	int		 n = 0;
	char		*end;
	long		 v;

	if (net_parse_ipv4(s, &m)) {
		while (n < 32 && (m & (0x80000000U >> n)) != 0)
			n++;
		if (n < 32 && (m << n) != 0)
			return (0);	/* not contiguous */
		*prefix = n;
		return (n > 0);
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 32)
		return (0);
	*prefix = (int)v;
	return (1);
}

char *
net_ipv4_string(uint32_t ip)
{
	return (xprintf("%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	    (ip >> 8) & 255, ip & 255));
}

char *
net_cidr_string(uint32_t ip, int prefix)
{
	return (xprintf("%u.%u.%u.%u/%d", ip >> 24, (ip >> 16) & 255,
	    (ip >> 8) & 255, ip & 255, prefix));
}

/* Whether two addresses share the first prefix bits. */
int
net_same_subnet(uint32_t a, uint32_t b, int prefix)
{
	uint32_t	 mask = prefix <= 0 ? 0 : 0xffffffffU << (32 - prefix);

	return ((a & mask) == (b & mask));
}

/* A Linux interface name: 1..15 bytes, no '/', ':' or blanks, not . or .. */
int
net_valid_ifname(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' ||
		    (unsigned char)s[i] >= 127)
			return (0);
	}
	return (1);
}

void
net_facts_free(struct net_facts *nf)
{
	size_t	 i;

	if (nf == NULL)
		return;
	free(nf->links);
	for (i = 0; i < nf->naddrs; i++)
		free(nf->addrs[i].cidr);
	free(nf->addrs);
	for (i = 0; i < nf->nroutes; i++) {
		free(nf->routes[i].dst);
		free(nf->routes[i].gateway);
		free(nf->routes[i].dev);
		free(nf->routes[i].src);
		free(nf->routes[i].proto);
	}
	free(nf->routes);
	free(nf->ssh_client);
	free(nf->ssh_server);
	free(nf->ssh_dev);
	free(nf->ssh_via);
	free(nf->why);
	memset(nf, 0, sizeof *nf);
}

/* A small sysfs file of a link, its newline gone; NULL if unreadable. */
static char *
sys_read(const char *dev, const char *what)
{
	char	*path, *buf = NULL, *cause = NULL;
	size_t	 len;

	xasprintf(&path, "/sys/class/net/%s/%s", dev, what);
	if (file_read(path, &buf, &len, &cause) != 0) {
		free(cause);
		free(path);
		return (NULL);
	}
	free(path);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return (buf);
}

static uint64_t
sys_u64(const char *dev, const char *what)
{
	char		*s = sys_read(dev, what);
	uint64_t	 v;

	if (s == NULL)
		return (0);
	v = strtoull(s, NULL, 10);
	free(s);
	return (v);
}

static int
sys_exists(const char *dev, const char *what)
{
	char		*path;
	struct stat	 sb;
	int		 rc;

	xasprintf(&path, "/sys/class/net/%s/%s", dev, what);
	rc = lstat(path, &sb) == 0;
	free(path);
	return (rc);
}

/* One link's facts from sysfs. */
static void
read_link(const char *name, struct net_link *l)
{
	char	*s, *p, *target;
	char	 path[PATH_MAX];
	ssize_t	 n;
	long	 flags;

	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name);
	if ((s = sys_read(name, "ifindex")) != NULL) {
		l->ifindex = atoi(s);
		free(s);
	}
	if ((s = sys_read(name, "address")) != NULL) {
		snprintf(l->mac, sizeof l->mac, "%s", s);
		free(s);
	}
	if ((s = sys_read(name, "operstate")) != NULL) {
		snprintf(l->operstate, sizeof l->operstate, "%s", s);
		free(s);
	}
	if ((s = sys_read(name, "flags")) != NULL) {
		flags = strtol(s, NULL, 0);
		l->admin_up = (flags & 0x1) != 0;
		free(s);
	}
	l->carrier = -1;
	if ((s = sys_read(name, "carrier")) != NULL) {
		l->carrier = atoi(s);
		free(s);
	}
	if ((s = sys_read(name, "mtu")) != NULL) {
		l->mtu = atoi(s);
		free(s);
	}
	xasprintf(&target, "/sys/class/net/%s/master", name);
	if ((n = readlink(target, path, sizeof path - 1)) > 0) {
		path[n] = '\0';
		p = strrchr(path, '/');
		p = p != NULL ? p + 1 : path;
		if (strlen(p) < sizeof l->master)
			memcpy(l->master, p, strlen(p) + 1);
	}
	free(target);
	l->wireless = sys_exists(name, "wireless") ||
	    sys_exists(name, "phy80211");
	s = NULL;
	if (sys_exists(name, "bridge"))
		snprintf(l->kind, sizeof l->kind, "bridge");
	else if (sys_exists(name, "tun_flags"))
		snprintf(l->kind, sizeof l->kind, "tap");
	else if ((s = sys_read(name, "type")) != NULL && atoi(s) == 772)
		snprintf(l->kind, sizeof l->kind, "loopback");
	free(s);
	s = NULL;
	if (l->kind[0] == '\0' && (s = sys_read(name, "uevent")) != NULL &&
	    (p = strstr(s, "DEVTYPE=")) != NULL) {
		p += 8;
		p[strcspn(p, "\n")] = '\0';
		snprintf(l->kind, sizeof l->kind, "%s", p);
	}
	free(s);
	if (l->kind[0] == '\0')
		snprintf(l->kind, sizeof l->kind, "%s",
		    sys_exists(name, "device") ? "ether" : "virtual");
	l->rx_bytes = sys_u64(name, "statistics/rx_bytes");
	l->tx_bytes = sys_u64(name, "statistics/tx_bytes");
	l->rx_packets = sys_u64(name, "statistics/rx_packets");
	l->tx_packets = sys_u64(name, "statistics/tx_packets");
}

static int
cmp_link(const void *a, const void *b)
{
	return (strcmp(((const struct net_link *)a)->name,
	    ((const struct net_link *)b)->name));
}

/* Every link of this network namespace, by name. */
static int
read_links(struct net_facts *nf, char **cause)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir("/sys/class/net")) == NULL) {
		*cause = xprintf("/sys/class/net: %s", strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !net_valid_ifname(de->d_name))
			continue;
		nf->links = xreallocarray(nf->links, nf->nlinks + 1,
		    sizeof *nf->links);
		read_link(de->d_name, &nf->links[nf->nlinks++]);
	}
	closedir(d);
	qsort(nf->links, nf->nlinks, sizeof *nf->links, cmp_link);
	return (0);
}

/* `ip -j ARGS...` parsed; NULL with *cause. */
static json_t *
ip_json(char *const *args, char **cause)
{
	char			**argv = NULL;
	struct spawn_result	  res;
	json_t			 *j = NULL;
	json_error_t		  jerr;
	size_t			  i;

	strv_push(&argv, "ip");
	strv_push(&argv, "-j");
	for (i = 0; args[i] != NULL; i++)
		strv_push(&argv, args[i]);
	if (spawn_run_timeout(argv, NULL, SPAWN_STDOUT, 10000, &res,
	    cause) != 0)
		goto out;
	j = json_loadb(res.out != NULL ? res.out : "[]",
	    res.out != NULL ? res.outlen : 2, 0, &jerr);
	if (j == NULL || !json_is_array(j)) {
		*cause = xprintf("ip -j %s: unreadable output (%s)", args[0],
		    j == NULL ? jerr.text : "not a list");
		json_decref(j);
		j = NULL;
	}
out:
	spawn_result_free(&res);
	strv_free(argv);
	return (j);
}

/* The addresses of every link (ip -j addr show). */
static int
read_addrs(struct net_facts *nf, char **cause)
{
	char *const	 args[] = { "-d", "addr", "show", NULL };
	json_t		*j, *link, *ai, *a;
	struct net_link	*l;
	size_t		 i, k;
	const char	*fam, *local, *ifname;
	struct net_addr	*na;

	if ((j = ip_json(args, cause)) == NULL)
		return (-1);
	json_array_foreach(j, i, link) {
		ifname = json_string_value(json_object_get(link, "ifname"));
		ai = json_object_get(link, "addr_info");
		if (ifname == NULL || !json_is_array(ai))
			continue;
		/* What sysfs does not say: veth, vlan, bond, dummy... */
		fam = json_string_value(json_object_get(json_object_get(link,
		    "linkinfo"), "info_kind"));
		if (fam != NULL && (l = (struct net_link *)net_link_find(nf,
		    ifname)) != NULL && (strcmp(l->kind, "virtual") == 0 ||
		    strcmp(l->kind, "ether") == 0))
			snprintf(l->kind, sizeof l->kind, "%s", fam);
		json_array_foreach(ai, k, a) {
			fam = json_string_value(json_object_get(a, "family"));
			local = json_string_value(json_object_get(a, "local"));
			if (fam == NULL || local == NULL ||
			    (strcmp(fam, "inet") != 0 &&
			    strcmp(fam, "inet6") != 0))
				continue;
			nf->addrs = xreallocarray(nf->addrs, nf->naddrs + 1,
			    sizeof *nf->addrs);
			na = &nf->addrs[nf->naddrs++];
			memset(na, 0, sizeof *na);
			snprintf(na->ifname, sizeof na->ifname, "%s", ifname);
			na->family = strcmp(fam, "inet") == 0 ? 4 : 6;
			xasprintf(&na->cidr, "%s/%d", local,
			    (int)json_integer_value(json_object_get(a,
			    "prefixlen")));
			na->dynamic = json_is_true(json_object_get(a,
			    "dynamic"));
			snprintf(na->scope, sizeof na->scope, "%s",
			    json_string_value(json_object_get(a, "scope")) ?
			    json_string_value(json_object_get(a, "scope")) :
			    "");
		}
	}
	json_decref(j);
	return (0);
}

/* Default routes of one family (ip -j [-6] route show default). */
static int
read_routes(struct net_facts *nf, int family, char **cause)
{
	char *const	 args4[] = { "-4", "route", "show", "default", NULL };
	char *const	 args6[] = { "-6", "route", "show", "default", NULL };
	json_t		*j, *r;
	size_t		 i;
	struct net_route *nr;

	if ((j = ip_json(family == 4 ? args4 : args6, cause)) == NULL)
		return (-1);
	json_array_foreach(j, i, r) {
		nf->routes = xreallocarray(nf->routes, nf->nroutes + 1,
		    sizeof *nf->routes);
		nr = &nf->routes[nf->nroutes++];
		memset(nr, 0, sizeof *nr);
		nr->family = family;
		nr->dst = jsonx_str(r, "dst");
		nr->gateway = jsonx_str(r, "gateway");
		nr->dev = jsonx_str(r, "dev");
		nr->src = jsonx_str(r, "prefsrc");
		nr->proto = jsonx_str(r, "protocol");
		nr->metric = (int)json_integer_value(json_object_get(r,
		    "metric"));
	}
	json_decref(j);
	return (0);
}

/*
 * The route a packet to dst (from src, if given) takes now: its device and
 * gateway (NULL when on-link). -1 with *cause when there is none.
 */
int
net_route_get(const char *dst, const char *src, char **dev, char **via,
    char **cause)
{
	char	*args[6] = { "route", "get", (char *)dst, NULL, NULL, NULL };
	json_t	*j;
	int	 rc = -1;

	*dev = *via = NULL;
	if (src != NULL) {
		args[3] = "from";
		args[4] = (char *)src;
	}
	if ((j = ip_json(args, cause)) == NULL)
		return (-1);
	if (json_array_size(j) < 1) {
		*cause = xprintf("no route to %s", dst);
		goto out;
	}
	*dev = jsonx_str(json_array_get(j, 0), "dev");
	*via = jsonx_str(json_array_get(j, 0), "gateway");
	if (*dev == NULL) {
		*cause = xprintf("no route to %s", dst);
		goto out;
	}
	rc = 0;
out:
	json_decref(j);
	return (rc);
}

/* SSH_CONNECTION: "CLIENT CPORT SERVER SPORT" of the operator's session. */
static void
read_ssh(struct net_facts *nf)
{
	const char	*env = getenv("SSH_CONNECTION");
	char		**w, *cause = NULL;

	if (env == NULL || *env == '\0')
		return;
	w = xcalloc(5, sizeof *w);
	if (sscanf(env, "%ms %*s %ms %*s", &w[0], &w[1]) == 2) {
		nf->ssh_client = w[0];
		nf->ssh_server = w[1];
		w[0] = w[1] = NULL;
		if (net_route_get(nf->ssh_client, nf->ssh_server,
		    &nf->ssh_dev, &nf->ssh_via, &cause) != 0) {
			log_debug("%s: %s", __func__, cause);
			free(cause);
		}
	}
	free(w[0]);
	free(w[1]);
	free(w);
}

/*
 * Everything at once: links, addresses, default routes, the SSH session's
 * route. -1 with *cause only when the links cannot be read; a missing
 * `ip` leaves addresses and routes empty (logged).
 */
int
net_facts_read(struct net_facts *nf, char **cause)
{
	char	*why = NULL;

	memset(nf, 0, sizeof *nf);
	nf->sampled_us = mono_us();
	if (read_links(nf, cause) != 0)
		return (-1);
	if (read_addrs(nf, &why) != 0 || read_routes(nf, 4, &why) != 0 ||
	    read_routes(nf, 6, &why) != 0) {
		log_warn("%s: %s", __func__, why);
		nf->why = why;
		why = NULL;
	}
	read_ssh(nf);
	return (0);
}

const struct net_link *
net_link_find(const struct net_facts *nf, const char *name)
{
	size_t	 i;

	for (i = 0; i < nf->nlinks; i++) {
		if (strcmp(nf->links[i].name, name) == 0)
			return (&nf->links[i]);
	}
	return (NULL);
}

/* The addresses of a link (family 4, 6, or 0 for both) as CIDR strings. */
char **
net_link_addrs(const struct net_facts *nf, const char *name, int family)
{
	char	**v = xcalloc(1, sizeof *v);
	size_t	  i;

	for (i = 0; i < nf->naddrs; i++) {
		if (strcmp(nf->addrs[i].ifname, name) == 0 &&
		    (family == 0 || nf->addrs[i].family == family))
			strv_push(&v, nf->addrs[i].cidr);
	}
	return (v);
}

/* The first IPv4 address of a link, or NULL. */
const struct net_addr *
net_link_addr4(const struct net_facts *nf, const char *name)
{
	size_t	 i;

	for (i = 0; i < nf->naddrs; i++) {
		if (strcmp(nf->addrs[i].ifname, name) == 0 &&
		    nf->addrs[i].family == 4)
			return (&nf->addrs[i]);
	}
	return (NULL);
}

/* The default route of a family with the lowest metric, or NULL. */
const struct net_route *
net_default_route(const struct net_facts *nf, int family)
{
	const struct net_route	*best = NULL;
	size_t			 i;

	for (i = 0; i < nf->nroutes; i++) {
		if (nf->routes[i].family != family)
			continue;
		if (best == NULL || nf->routes[i].metric < best->metric)
			best = &nf->routes[i];
	}
	return (best);
}

/* The ports of a bridge, by name. */
char **
net_bridge_ports(const struct net_facts *nf, const char *bridge)
{
	char	**v = xcalloc(1, sizeof *v);
	size_t	  i;

	for (i = 0; i < nf->nlinks; i++) {
		if (strcmp(nf->links[i].master, bridge) == 0)
			strv_push(&v, nf->links[i].name);
	}
	return (v);
}

/* Whether a link is a guest's network interface (vifD.N, vifD.N-emu). */
int
net_is_vif(const char *name)
{
	return (strncmp(name, "vif", 3) == 0 && name[3] >= '0' &&
	    name[3] <= '9' && strchr(name, '.') != NULL);
}

/* Whether any process has this command name (/proc/PID/comm). */
static int
process_running(const char *comm)
{
	DIR		*d;
	struct dirent	*de;
	char		*path, *buf, *cause = NULL;
	size_t		 len;
	int		 found = 0;

	if ((d = opendir("/proc")) == NULL)
		return (0);
	while (!found && (de = readdir(d)) != NULL) {
		if (!all_digits(de->d_name))
			continue;
		xasprintf(&path, "/proc/%s/comm", de->d_name);
		if (file_read(path, &buf, &len, &cause) == 0) {
			buf[strcspn(buf, "\n")] = '\0';
			found = strcmp(buf, comm) == 0;
			free(buf);
		} else {
			free(cause);
			cause = NULL;
		}
		free(path);
	}
	closedir(d);
	return (found);
}

/*
 * A device's state in `nmcli -t -f DEVICE,STATE device` output: the STATE
 * word ("connected", "unmanaged", ...), or NULL when it is not listed.
 */
char *
net_nmcli_state(const char *out, const char *dev)
{
	const char	*p = out, *nl, *colon;
	size_t		 n = strlen(dev);

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		colon = strchr(p, ':');
		if (colon != NULL && (nl == NULL || colon < nl) &&
		    (size_t)(colon - p) == n && strncmp(p, dev, n) == 0)
			return (xstrndup(colon + 1, (nl != NULL ? nl :
			    colon + strlen(colon)) - colon - 1));
		p = nl != NULL ? nl + 1 : NULL;
	}
	return (NULL);
}

/*
 * A systemd-networkd link state file (/run/systemd/netif/links/IFINDEX):
 * 1 when it says networkd configures the link (ADMIN_STATE other than
 * "unmanaged"), with *network its .network file when named.
 */
int
net_networkd_managed(const char *text, char **network)
{
	const char	*p;
	size_t		 n;

	*network = NULL;
	if ((p = strstr(text, "NETWORK_FILE=")) != NULL) {
		p += 13;
		n = strcspn(p, "\n");
		if (n > 0)
			*network = xstrndup(p, n);
	}
	if ((p = strstr(text, "ADMIN_STATE=")) == NULL)
		return (0);
	p += 12;
	return (strncmp(p, "unmanaged", 9) != 0 &&
	    strncmp(p, "pending", 7) != 0);
}

/*
 * Who other than ifupdown configures a link: "NetworkManager",
 * "systemd-networkd", or NULL. *detail (caller frees) says how that was
 * found, when found.
 */
const char *
net_manager(const char *dev, int ifindex, char **detail)
{
	char *const		 nmcli[] = { "nmcli", "-t", "-f",
				     "DEVICE,STATE", "device", NULL };
	struct spawn_result	 res;
	char			*cause = NULL, *state, *path, *buf, *nw;
	size_t			 len;
	const char		*who = NULL;

	*detail = NULL;
	if (process_running("NetworkManager")) {
		if (spawn_run_timeout(nmcli, NULL, SPAWN_STDOUT, 10000, &res,
		    &cause) != 0) {
			*detail = xprintf("NetworkManager runs, and nmcli "
			    "could not say whether it manages %s (%s)", dev,
			    cause);
			free(cause);
			who = "NetworkManager";
		} else {
			state = net_nmcli_state(res.out != NULL ? res.out : "",
			    dev);
			if (state != NULL && strcmp(state, "unmanaged") != 0 &&
			    strcmp(state, "unavailable") != 0) {
				*detail = xprintf("NetworkManager manages %s "
				    "(nmcli: %s)", dev, state);
				who = "NetworkManager";
			}
			free(state);
		}
		spawn_result_free(&res);
		if (who != NULL)
			return (who);
	}
	if (ifindex > 0 && process_running("systemd-network")) {
		xasprintf(&path, "/run/systemd/netif/links/%d", ifindex);
		if (file_read(path, &buf, &len, &cause) == 0) {
			if (net_networkd_managed(buf, &nw)) {
				*detail = xprintf("systemd-networkd manages "
				    "%s (%s%s%s)", dev, path,
				    nw != NULL ? ": " : "", nw != NULL ? nw :
				    "");
				who = "systemd-networkd";
			}
			free(nw);
			free(buf);
		} else
			free(cause);
		free(path);
	}
	return (who);
}

/* The facts as JSON (`xendeck network --json`; the Network view reads it). */
json_t *
net_facts_json(const struct net_facts *nf)
{
	json_t		*o = json_object(), *links = json_array();
	json_t		*addrs = json_array(), *routes = json_array(), *l;
	size_t		 i;

	for (i = 0; i < nf->nlinks; i++) {
		const struct net_link *k = &nf->links[i];

		l = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:i, s:i, "
		    "s:b, s:I, s:I, s:I, s:I}",
		    "name", k->name, "ifindex", k->ifindex, "kind", k->kind,
		    "master", k->master, "mac", k->mac,
		    "operstate", k->operstate, "up", k->admin_up,
		    "carrier", k->carrier, "mtu", k->mtu,
		    "wireless", k->wireless,
		    "rx_bytes", (json_int_t)k->rx_bytes,
		    "tx_bytes", (json_int_t)k->tx_bytes,
		    "rx_packets", (json_int_t)k->rx_packets,
		    "tx_packets", (json_int_t)k->tx_packets);
		json_array_append_new(links, l);
	}
	for (i = 0; i < nf->naddrs; i++) {
		const struct net_addr *a = &nf->addrs[i];

		json_array_append_new(addrs, json_pack("{s:s, s:i, s:s, s:b, "
		    "s:s}", "ifname", a->ifname, "family", a->family,
		    "cidr", a->cidr, "dynamic", a->dynamic, "scope",
		    a->scope));
	}
	for (i = 0; i < nf->nroutes; i++) {
		const struct net_route *r = &nf->routes[i];

		l = json_pack("{s:i, s:s, s:i}", "family", r->family,
		    "dst", r->dst != NULL ? r->dst : "default",
		    "metric", r->metric);
		if (r->gateway != NULL)
			json_object_set_new(l, "gateway",
			    json_string(r->gateway));
		if (r->dev != NULL)
			json_object_set_new(l, "dev", json_string(r->dev));
		if (r->proto != NULL)
			json_object_set_new(l, "protocol",
			    json_string(r->proto));
		json_array_append_new(routes, l);
	}
	json_object_set_new(o, "links", links);
	json_object_set_new(o, "addresses", addrs);
	json_object_set_new(o, "default_routes", routes);
	if (nf->ssh_client != NULL) {
		l = json_pack("{s:s, s:s}", "client", nf->ssh_client,
		    "server", nf->ssh_server);
		if (nf->ssh_dev != NULL)
			json_object_set_new(l, "dev",
			    json_string(nf->ssh_dev));
		if (nf->ssh_via != NULL)
			json_object_set_new(l, "via",
			    json_string(nf->ssh_via));
		json_object_set_new(o, "ssh", l);
	}
	if (nf->why != NULL)
		json_object_set_new(o, "warning", json_string(nf->why));
	return (o);
}

/* The facts back from net_facts_json()'s form. */
int
net_facts_from_json(json_t *o, struct net_facts *nf, char **cause)
{
	json_t		*a, *v, *ssh;
	size_t		 i;
	const char	*s;

	memset(nf, 0, sizeof *nf);
	nf->sampled_us = mono_us();
	if (!json_is_object(o) ||
	    !json_is_array(json_object_get(o, "links"))) {
		*cause = xstrdup("network facts: not the expected JSON");
		return (-1);
	}
	json_array_foreach(json_object_get(o, "links"), i, v) {
		struct net_link *l;

		nf->links = xreallocarray(nf->links, nf->nlinks + 1,
		    sizeof *nf->links);
		l = &nf->links[nf->nlinks++];
		memset(l, 0, sizeof *l);
#define COPY(f, k) snprintf(l->f, sizeof l->f, "%s", \
	(s = json_string_value(json_object_get(v, k))) != NULL ? s : "")
		COPY(name, "name");
		COPY(kind, "kind");
		COPY(master, "master");
		COPY(mac, "mac");
		COPY(operstate, "operstate");
#undef COPY
		l->ifindex = json_integer_value(json_object_get(v,
		    "ifindex"));
		l->admin_up = json_is_true(json_object_get(v, "up"));
		l->carrier = json_integer_value(json_object_get(v, "carrier"));
		l->mtu = json_integer_value(json_object_get(v, "mtu"));
		l->wireless = json_is_true(json_object_get(v, "wireless"));
		l->rx_bytes = json_integer_value(json_object_get(v,
		    "rx_bytes"));
		l->tx_bytes = json_integer_value(json_object_get(v,
		    "tx_bytes"));
		l->rx_packets = json_integer_value(json_object_get(v,
		    "rx_packets"));
		l->tx_packets = json_integer_value(json_object_get(v,
		    "tx_packets"));
	}
	a = json_object_get(o, "addresses");
	json_array_foreach(a, i, v) {
		struct net_addr *na;

		if ((s = json_string_value(json_object_get(v, "cidr"))) ==
		    NULL)
			continue;
		nf->addrs = xreallocarray(nf->addrs, nf->naddrs + 1,
		    sizeof *nf->addrs);
		na = &nf->addrs[nf->naddrs++];
		memset(na, 0, sizeof *na);
		na->cidr = xstrdup(s);
		snprintf(na->ifname, sizeof na->ifname, "%s",
		    (s = json_string_value(json_object_get(v, "ifname"))) !=
		    NULL ? s : "");
		snprintf(na->scope, sizeof na->scope, "%s",
		    (s = json_string_value(json_object_get(v, "scope"))) !=
		    NULL ? s : "");
		na->family = json_integer_value(json_object_get(v, "family"));
		na->dynamic = json_is_true(json_object_get(v, "dynamic"));
	}
	a = json_object_get(o, "default_routes");
	json_array_foreach(a, i, v) {
		struct net_route *r;

		nf->routes = xreallocarray(nf->routes, nf->nroutes + 1,
		    sizeof *nf->routes);
		r = &nf->routes[nf->nroutes++];
		memset(r, 0, sizeof *r);
		r->family = json_integer_value(json_object_get(v, "family"));
		r->dst = jsonx_str(v, "dst");
		r->gateway = jsonx_str(v, "gateway");
		r->dev = jsonx_str(v, "dev");
		r->proto = jsonx_str(v, "protocol");
		r->metric = json_integer_value(json_object_get(v, "metric"));
	}
	if ((ssh = json_object_get(o, "ssh")) != NULL) {
		nf->ssh_client = jsonx_str(ssh, "client");
		nf->ssh_server = jsonx_str(ssh, "server");
		nf->ssh_dev = jsonx_str(ssh, "dev");
		nf->ssh_via = jsonx_str(ssh, "via");
	}
	nf->why = jsonx_str(o, "warning");
	return (0);
}
