/*
 * The qemu backend's stats: one sample of every domain, xentop's columns.
 *
 * Per domain: cpu time from the vCPU threads' /proc/PID/task/TID/schedstat
 * (the threads the supervisor recorded), block counters from
 * query-blockstats on the domain's stats monitor (stats.qmp), network
 * counters of its taps from one read of /proc/net/dev for all domains.
 *
 * The stats monitor connections stay open between calls (keyed by name and
 * QEMU pid, so a restarted QEMU gets a fresh one), and the queries are sent
 * to every domain before any reply is awaited: a sample of N domains costs
 * N round trips in parallel, not in sequence.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xen-core.h"

#define STATS_CONNECT_MS	200
#define STATS_REPLY_MS		500

struct stats_conn {
	char		 name[NAME_MAX_LEN + 1];
	pid_t		 qemu_pid;
	struct qmp	*qmp;
	int		 seen;
};

static struct stats_conn	**conns;
static size_t			 nconns;

struct netdev {
	char		 name[32];
	uint64_t	 rx_bytes, rx_pkts, rx_errs, rx_drop;
	uint64_t	 tx_bytes, tx_pkts, tx_errs, tx_drop;
};

/* Every interface's counters from /proc/net/dev. */
static struct netdev *
netdev_read(size_t *n)
{
	struct netdev		*devs = NULL, *d;
	char			*buf = NULL, *cause = NULL, *line, *last, *p;
	unsigned long long	 v[16];
	size_t			 count = 0;

	*n = 0;
	if (file_read("/proc/net/dev", &buf, NULL, &cause) != 0) {
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

static struct stats_conn *
conn_get(const struct qemu_dom *dom)
{
	struct stats_conn	*c;
	char			*path, *cause = NULL;
	size_t			 i;

	for (i = 0; i < nconns; i++) {
		c = conns[i];
		if (strcmp(c->name, dom->name) != 0)
			continue;
		if (c->qemu_pid == dom->qemu_pid && c->qmp != NULL) {
			c->seen = 1;
			return (c);
		}
		qmp_close(c->qmp);
		c->qmp = NULL;
		break;
	}
	if (i == nconns) {
		conns = xreallocarray(conns, nconns + 1, sizeof *conns);
		c = conns[nconns++] = xcalloc(1, sizeof *c);
		snprintf(c->name, sizeof c->name, "%s", dom->name);
	}
	c = conns[i];
	c->seen = 1;
	c->qemu_pid = dom->qemu_pid;
	path = qemu_dom_path(dom, "stats.qmp");
	if ((c->qmp = qmp_connect(path, STATS_CONNECT_MS, &cause)) == NULL) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
	}
	free(path);
	return (c);
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

static void
vifs_fill(const struct qemu_dom *dom, struct dom_stats *st,
    const struct netdev *devs, size_t ndevs)
{
	struct dom_vif_stats	*v;
	size_t			 i, j;

	st->nvifs = strv_len(dom->taps);
	st->vifs = xcalloc(st->nvifs > 0 ? st->nvifs : 1, sizeof *st->vifs);
	for (i = 0; i < st->nvifs; i++) {
		v = &st->vifs[i];
		snprintf(v->name, sizeof v->name, "%s", dom->taps[i]);
		v->tx_bytes = v->tx_pkts = v->tx_errs = v->tx_drop = STAT_NONE;
		v->rx_bytes = v->rx_pkts = v->rx_errs = v->rx_drop = STAT_NONE;
		for (j = 0; j < ndevs; j++) {
			if (strcmp(devs[j].name, dom->taps[i]) != 0)
				continue;
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
			st->why_none = "vif: the tap is gone (QEMU not running)";
	}
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
	if (qemu_dom_list(&doms, &ndoms, cause) != 0)
		return (-1);
	devs = netdev_read(&ndevs);
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
	ndoms++;
	free(cs);
	free(ids);
	free(pfd);
	qemu_dom_list_free(doms, ndoms);
	*out = st;
	*nout = ndoms;
	return (0);
}
