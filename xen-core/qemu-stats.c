/*
 * The qemu backend's stats: one sample of every domain, xentop's columns.
 *
 * Per domain: cpu time from the vCPU threads' /proc/PID/task/TID/schedstat
 * (the threads the supervisor recorded), block counters from
 * query-blockstats on the domain's stats monitor (stats.qmp), network
 * counters of its taps from one read of /proc/net/dev for all domains.
 *
 * Between calls, each domain's record (domain.json, parsed once while its
 * inode and mtime stay the same), its vCPU thread ids and its stats monitor
 * connection (kept per QEMU pid, so a restarted QEMU gets a fresh one) are
 * cached; the queries are sent to every domain before any reply is awaited:
 * a sample of N domains costs N round trips in parallel, not in sequence.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backend-qemu.h"

#define STATS_CONNECT_MS	200
#define STATS_REPLY_MS		500
#define STATS_RETRY_MS		3000	/* after a failed connect */

struct stats_conn {
	char		 name[NAME_MAX_LEN + 1];
	struct qemu_dom	*dom;		/* cached record */
	dev_t		 dev;		/* of its domain.json */
	ino_t		 ino;
	struct timespec	 mtime;
	pid_t		 qemu_pid;	/* the QEMU qmp talks to */
	struct qmp	*qmp;
	uint64_t	 retry_ms;	/* no new connect before (busy) */
	int		 seen;
};

static struct stats_conn	**conns;
static size_t			 nconns;

struct netdev {
	char		 name[32];
	uint64_t	 rx_bytes, rx_pkts, rx_errs, rx_drop;
	uint64_t	 tx_bytes, tx_pkts, tx_errs, tx_drop;
};

/* Every interface's counters from /proc/net/dev (or /proc/PID/net/dev). */
static struct netdev *
netdev_read_path(const char *path, size_t *n)
{
	struct netdev		*devs = NULL, *d;
	char			*buf = NULL, *cause = NULL, *line, *last;
	char			*p;
	unsigned long long	 v[16];
	size_t			 count = 0;

	*n = 0;
	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	for (line = strtok_r(buf, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		if ((p = strchr(line, ':')) == NULL)
			continue;
		*p++ = '\0';
		while (*line == ' ')
			line++;
		if (sscanf(p, "%llu %llu %llu %llu %llu %llu %llu %llu %llu "
		    "%llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		    &v[6], &v[7], &v[8], &v[9], &v[10], &v[11]) != 12)
			continue;
		devs = xreallocarray(devs, count + 1, sizeof *devs);
		d = &devs[count++];
		snprintf(d->name, sizeof d->name, "%s", line);
		d->rx_bytes = v[0];
		d->rx_pkts = v[1];
		d->rx_errs = v[2];
		d->rx_drop = v[3];
		d->tx_bytes = v[8];
		d->tx_pkts = v[9];
		d->tx_errs = v[10];
		d->tx_drop = v[11];
	}
	free(buf);
	*n = count;
	return (devs);
}

/* The cache entry of a name (made if new). */
static struct stats_conn *
conn_find(const char *name)
{
	struct stats_conn	*c;
	size_t			 i;

	for (i = 0; i < nconns; i++) {
		if (strcmp(conns[i]->name, name) == 0)
			return (conns[i]);
	}
	conns = xreallocarray(conns, nconns + 1, sizeof *conns);
	c = conns[nconns++] = xcalloc(1, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	return (c);
}

/* The entry's stats monitor, connected to its current QEMU. */
static struct stats_conn *
conn_get(const struct qemu_dom *dom)
{
	struct stats_conn	*c = conn_find(dom->name);
	char			*path, *cause = NULL;

	if (c->qemu_pid == dom->qemu_pid && c->qmp != NULL)
		return (c);
	/*
	 * A monitor serves one client: if another sampler (a second
	 * console) holds it, connecting again every second would stall
	 * every sample. Back off.
	 */
	if (c->qemu_pid == dom->qemu_pid && mono_ms() < c->retry_ms)
		return (c);
	qmp_close(c->qmp);
	c->qmp = NULL;
	c->qemu_pid = dom->qemu_pid;
	path = qemu_dom_path(dom, "stats.qmp");
	if ((c->qmp = qmp_connect(path, STATS_CONNECT_MS, &cause)) == NULL) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
		c->retry_ms = mono_ms() + STATS_RETRY_MS;
	}
	free(path);
	return (c);
}

static int
dom_cmp(const void *a, const void *b)
{
	const struct qemu_dom	*da = *(struct qemu_dom *const *)a;
	const struct qemu_dom	*db = *(struct qemu_dom *const *)b;

	return (da->domid - db->domid);
}

/*
 * Every domain, live or crashed, by domid, from the cache where
 * domain.json has not changed. The records stay the cache's (borrowed).
 */
static int
stats_list(struct qemu_dom ***out, size_t *nout, char **cause)
{
	DIR			*d;
	struct dirent		*de;
	struct stats_conn	*c;
	struct qemu_dom		**list = NULL;
	struct stat		 st;
	char			 path[4096], *dir;
	size_t			 n = 0;

	*out = NULL;
	*nout = 0;
	if ((d = opendir(qemu_rundir())) == NULL) {
		if (errno == ENOENT)
			return (0);
		*cause = xprintf("%s: %s", qemu_rundir(), strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !valid_name(de->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s/domain.json",
		    qemu_rundir(), de->d_name);
		if (stat(path, &st) != 0)
			continue;
		c = conn_find(de->d_name);
		c->seen = 1;
		xasprintf(&dir, "%s/%s", qemu_rundir(), de->d_name);
		if (c->dom == NULL || c->dev != st.st_dev ||
		    c->ino != st.st_ino ||
		    c->mtime.tv_sec != st.st_mtim.tv_sec ||
		    c->mtime.tv_nsec != st.st_mtim.tv_nsec) {
			qemu_dom_free(c->dom);
			c->dom = qemu_dom_read(dir);
			c->dev = st.st_dev;
			c->ino = st.st_ino;
			c->mtime = st.st_mtim;
		} else
			qemu_dom_refresh(c->dom);
		free(dir);
		if (!qemu_dom_listed(c->dom))
			continue;
		list = xreallocarray(list, n + 1, sizeof *list);
		list[n++] = c->dom;
	}
	closedir(d);
	if (n > 1)
		qsort(list, n, sizeof *list, dom_cmp);
	*out = list;
	*nout = n;
	return (0);
}

/* Forget connections to domains that are gone. */
static void
conns_prune(void)
{
	size_t	 i = 0;

	while (i < nconns) {
		if (conns[i]->seen) {
			conns[i++]->seen = 0;
			continue;
		}
		qmp_close(conns[i]->qmp);
		qemu_dom_free(conns[i]->dom);
		free(conns[i]);
		memmove(&conns[i], &conns[i + 1],
		    (nconns - i - 1) * sizeof *conns);
		nconns--;
	}
}

void
qemu_sample_close(void)
{
	size_t	 i;

	for (i = 0; i < nconns; i++) {
		qmp_close(conns[i]->qmp);
		qemu_dom_free(conns[i]->dom);
		free(conns[i]);
	}
	free(conns);
	conns = NULL;
	nconns = 0;
}

static uint64_t
json_u64(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_integer(v) ? (uint64_t)json_integer_value(v) :
	    STAT_NONE);
}

/* Fill st->vbds from a query-blockstats reply. */
static void
vbds_fill(const struct qemu_dom *dom, struct dom_stats *st, json_t *ret)
{
	struct dom_vbd_stats	*v;
	json_t			*e, *stats;
	const char		*dev;
	size_t			 i, j;

	for (j = 0; j < st->nvbds; j++) {
		v = &st->vbds[j];
		json_array_foreach(ret, i, e) {
			dev = json_string_value(json_object_get(e, "device"));
			if (dev == NULL || strcmp(dev, dom->drives[j]) != 0)
				continue;
			stats = json_object_get(e, "stats");
			v->rd_reqs = json_u64(stats, "rd_operations");
			v->wr_reqs = json_u64(stats, "wr_operations");
			v->rd_sect = json_u64(stats, "rd_bytes");
			v->wr_sect = json_u64(stats, "wr_bytes");
			if (v->rd_sect != STAT_NONE)
				v->rd_sect /= 512;
			if (v->wr_sect != STAT_NONE)
				v->wr_sect /= 512;
		}
	}
}

/* The counters of a domain whose taps live in another network namespace. */
static struct netdev *
netdev_read_pid(pid_t pid, size_t *n)
{
	char	 path[64];

	snprintf(path, sizeof path, "/proc/%d/net/dev", (int)pid);
	return (netdev_read_path(path, n));
}

static void
vifs_fill(const struct qemu_dom *dom, struct dom_stats *st,
    const struct netdev *devs, size_t ndevs)
{
	struct dom_vif_stats	*v;
	struct netdev		*own = NULL;
	size_t			 i, j, nown = 0;

	st->nvifs = strv_len(dom->taps);
	st->vifs = xcalloc(st->nvifs > 0 ? st->nvifs : 1, sizeof *st->vifs);
	for (i = 0; i < st->nvifs; i++) {
		v = &st->vifs[i];
		snprintf(v->name, sizeof v->name, "%s", dom->taps[i]);
		v->tx_bytes = v->tx_pkts = v->tx_errs = v->tx_drop = STAT_NONE;
		v->rx_bytes = v->rx_pkts = v->rx_errs = v->rx_drop = STAT_NONE;
		for (j = 0; j < ndevs; j++) {
			if (strcmp(devs[j].name, dom->taps[i]) == 0)
				break;
		}
		if (j == ndevs && own == NULL && dom->qemu_pid != 0) {
			/* Not in our namespace: look in QEMU's. */
			own = netdev_read_pid(dom->qemu_pid, &nown);
			devs = own;
			ndevs = nown;
			for (j = 0; j < ndevs; j++) {
				if (strcmp(devs[j].name, dom->taps[i]) == 0)
					break;
			}
		}
		for (; j < ndevs; j++) {
			/* What the tap receives, the guest sent. */
			v->tx_bytes = devs[j].rx_bytes;
			v->tx_pkts = devs[j].rx_pkts;
			v->tx_errs = devs[j].rx_errs;
			v->tx_drop = devs[j].rx_drop;
			v->rx_bytes = devs[j].tx_bytes;
			v->rx_pkts = devs[j].tx_pkts;
			v->rx_errs = devs[j].tx_errs;
			v->rx_drop = devs[j].tx_drop;
			break;
		}
		if (j == ndevs)
			st->why_none = "vif: the tap is gone (QEMU not "
			    "running)";
	}
	free(own);
}


/* One sample of every domain, Domain-0 (the host) first. */
int
qemu_sample(struct dom_stats **out, size_t *nout, char **cause)
{
	struct qemu_dom		**doms = NULL;
	struct stats_conn	**cs = NULL;
	struct dom_stats	 *st = NULL, *s;
	struct netdev		 *devs;
	struct pollfd		 *pfd = NULL;
	int			 *ids = NULL, pending = 0;
	size_t			  ndoms, ndevs, i, j, nfds;
	json_t			 *ret;
	char			 *why = NULL;
	uint64_t		  end;

	*out = NULL;
	*nout = 0;
	if (stats_list(&doms, &ndoms, cause) != 0)
		return (-1);
	devs = netdev_read_path("/proc/net/dev", &ndevs);
	st = xcalloc(ndoms > 0 ? ndoms : 1, sizeof *st);
	cs = xcalloc(ndoms > 0 ? ndoms : 1, sizeof *cs);
	ids = xcalloc(ndoms > 0 ? ndoms : 1, sizeof *ids);
	pfd = xcalloc(ndoms > 0 ? ndoms : 1, sizeof *pfd);

	/* Ask every domain first. */
	for (i = 0; i < ndoms; i++) {
		ids[i] = -1;
		if (doms[i]->qemu_pid == 0 || strv_len(doms[i]->drives) == 0)
			continue;
		cs[i] = conn_get(doms[i]);
		if (cs[i]->qmp == NULL)
			continue;
		ids[i] = qmp_send(cs[i]->qmp, "query-blockstats", NULL, &why);
		if (ids[i] == -1) {
			log_debug("%s: %s", doms[i]->name, why);
			free(why);
			why = NULL;
			qmp_close(cs[i]->qmp);
			cs[i]->qmp = NULL;
		} else
			pending++;
	}

	/* The local counters while QEMU answers. */
	for (i = 0; i < ndoms; i++) {
		s = &st[i];
		qemu_dom_info(doms[i], &s->info, &s->vcpu, &s->nvcpu);
		s->sample_us = mono_us();
		s->nvbds = strv_len(doms[i]->vbds);
		s->vbds = xcalloc(s->nvbds > 0 ? s->nvbds : 1,
		    sizeof *s->vbds);
		for (j = 0; j < s->nvbds; j++) {
			snprintf(s->vbds[j].name, sizeof s->vbds[j].name,
			    "%s", doms[i]->vbds[j]);
			s->vbds[j].oo = STAT_NONE;
			s->vbds[j].rd_reqs = s->vbds[j].wr_reqs = STAT_NONE;
			s->vbds[j].rd_sect = s->vbds[j].wr_sect = STAT_NONE;
		}
		if (s->nvbds > 0)
			s->why_none = "VBD_OO: QEMU has no out-of-requests "
			    "counter";
		vifs_fill(doms[i], s, devs, ndevs);
	}

	/* Collect the replies. */
	end = mono_ms() + STATS_REPLY_MS;
	while (pending > 0 && mono_ms() < end) {
		nfds = 0;
		for (i = 0; i < ndoms; i++) {
			if (ids[i] == -1)
				continue;
			ret = NULL;
			switch (qmp_reply(cs[i]->qmp, ids[i], &ret, &why)) {
			case 1:
				vbds_fill(doms[i], &st[i], ret);
				json_decref(ret);
				ids[i] = -1;
				pending--;
				continue;
			case -1:
				log_debug("%s: %s", doms[i]->name, why);
				free(why);
				why = NULL;
				ids[i] = -1;
				pending--;
				continue;
			}
			pfd[nfds].fd = qmp_fd(cs[i]->qmp);
			pfd[nfds++].events = POLLIN;
		}
		if (nfds == 0)
			break;
		if (poll(pfd, nfds, (int)(end - mono_ms())) <= 0)
			break;
		for (i = 0; i < ndoms; i++) {
			if (ids[i] == -1)
				continue;
			if (qmp_read(cs[i]->qmp, &why) != 0) {
				free(why);
				why = NULL;
				if (qmp_reply(cs[i]->qmp, ids[i], &ret,
				    &why) == 1) {
					vbds_fill(doms[i], &st[i], ret);
					json_decref(ret);
				}
				free(why);
				why = NULL;
				qmp_close(cs[i]->qmp);
				cs[i]->qmp = NULL;
				ids[i] = -1;
				pending--;
			}
		}
	}
	for (i = 0; i < ndoms; i++) {
		if (ids[i] != -1 || (cs[i] != NULL && cs[i]->qmp == NULL)) {
			st[i].why_none = "vbd: the stats monitor did not "
			    "answer";
			if (ids[i] != -1) {
				/* A late reply would confuse the next one. */
				qmp_close(cs[i]->qmp);
				cs[i]->qmp = NULL;
			}
		} else if (doms[i]->qemu_pid == 0 && st[i].nvbds > 0)
			st[i].why_none = "vbd: QEMU is not running";
		while (cs[i] != NULL && cs[i]->qmp != NULL &&
		    (ret = qmp_event(cs[i]->qmp)) != NULL)
			json_decref(ret);
	}
	conns_prune();
	free(devs);
	/* Domain-0 first, as in list. */
	s = xcalloc(ndoms + 1, sizeof *s);
	memcpy(s + 1, st, ndoms * sizeof *st);
	free(st);
	st = s;
	qemu_dom0_info(&st[0].info);
	st[0].sample_us = mono_us();
	st[0].vifs = xcalloc(1, sizeof *st[0].vifs);
	st[0].vbds = xcalloc(1, sizeof *st[0].vbds);
	st[0].vcpu = xcalloc(1, sizeof *st[0].vcpu);
	st[0].why_none = "Domain-0: the host's own devices are not sampled";
	free(cs);
	free(ids);
	free(pfd);
	free(doms);
	*out = st;
	*nout = ndoms + 1;
	return (0);
}
