/*
 * qemu-sample: the qemu backend's sample() op from the command line, for
 * tests and scripts/bench-sampler.
 *
 *   qemu-sample                 one sample: a line per domain, a line per
 *                               vbd and vif ('-' where a value does not
 *                               exist)
 *   qemu-sample -b N            N samples back to back with sample();
 *                               prints "domains samples cpu_us_per_dom"
 *   qemu-sample -b N -n         the same with the naive peer: per domain
 *                               and sample, a new QMP connection for
 *                               query-blockstats, every thread's
 *                               /proc/PID/task/TID/stat, and one sysfs
 *                               file per vif counter
 */
#include <sys/resource.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "backend-qemu.h"

static void
print_u64(uint64_t v)
{
	if (v == STAT_NONE)
		printf(" -");
	else
		printf(" %llu", (unsigned long long)v);
}

static int
print_sample(void)
{
	struct dom_stats	*st;
	size_t			 n, i, j;
	char			*cause = NULL, state[8];

	if (backend_qemu_ops.sample(&st, &n, &cause) != 0) {
		fprintf(stderr, "qemu-sample: %s\n", cause);
		free(cause);
		return (1);
	}
	for (i = 0; i < n; i++) {
		printf("dom %s %d %s %llu %zu %s\n", st[i].info.name,
		    st[i].info.domid, dom_state_string(st[i].info.state,
		    state), (unsigned long long)st[i].info.cpu_ns,
		    st[i].nvcpu, st[i].why_none != NULL ? "why_none" : "-");
		for (j = 0; j < st[i].nvbds; j++) {
			printf("vbd %s %s", st[i].info.name,
			    st[i].vbds[j].name);
			print_u64(st[i].vbds[j].oo);
			print_u64(st[i].vbds[j].rd_reqs);
			print_u64(st[i].vbds[j].wr_reqs);
			print_u64(st[i].vbds[j].rd_sect);
			print_u64(st[i].vbds[j].wr_sect);
			printf("\n");
		}
		for (j = 0; j < st[i].nvifs; j++) {
			printf("vif %s %s", st[i].info.name,
			    st[i].vifs[j].name);
			print_u64(st[i].vifs[j].tx_bytes);
			print_u64(st[i].vifs[j].tx_pkts);
			print_u64(st[i].vifs[j].rx_bytes);
			print_u64(st[i].vifs[j].rx_pkts);
			printf("\n");
		}
		if (st[i].why_none != NULL)
			printf("why %s %s\n", st[i].info.name,
			    st[i].why_none);
	}
	dom_stats_free(st, n);
	return (0);
}

static uint64_t
read_u64(const char *path)
{
	char		*buf = NULL, *cause = NULL;
	uint64_t	 v;

	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		return (STAT_NONE);
	}
	v = strtoull(buf, NULL, 10);
	free(buf);
	return (v);
}

/* The naive peer: everything afresh, per domain, per sample. */
static size_t
naive_sample(void)
{
	static const char *ctr[] = { "tx_bytes", "tx_packets", "tx_errors",
	    "tx_dropped", "rx_bytes", "rx_packets", "rx_errors",
	    "rx_dropped" };
	struct qemu_dom	**doms;
	size_t		  n, i, j, k;
	char		 *cause = NULL, *path, *buf;
	json_t		 *ret;
	DIR		 *d;
	struct dirent	 *de;
	uint64_t	  sum = 0;

	if (qemu_dom_list(&doms, &n, &cause) != 0) {
		free(cause);
		return (0);
	}
	for (i = 0; i < n; i++) {
		path = qemu_dom_path(doms[i], "stats.qmp");
		ret = NULL;
		if (qmp_oneshot(path, "query-blockstats", NULL, &ret, 1000,
		    &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		json_decref(ret);
		free(path);
		xasprintf(&path, "/proc/%d/task", (int)doms[i]->qemu_pid);
		if ((d = opendir(path)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				xasprintf(&buf, "%s/%s/stat", path,
				    de->d_name);
				sum += read_u64(buf);
				free(buf);
			}
			closedir(d);
		}
		free(path);
		for (j = 0; doms[i]->taps[j] != NULL; j++) {
			for (k = 0; k < nitems(ctr); k++) {
				xasprintf(&path,
				    "/sys/class/net/%s/statistics/%s",
				    doms[i]->taps[j], ctr[k]);
				sum += read_u64(path);
				free(path);
			}
		}
	}
	qemu_dom_list_free(doms, n);
	(void)sum;
	return (n);
}

static uint64_t
cpu_us(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
	    (uint64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
}

int
main(int argc, char **argv)
{
	struct dom_stats	*st;
	size_t			 n = 0, ndoms = 0;
	char			*cause = NULL;
	int			 ch, bench = 0, naive = 0, i;
	uint64_t		 t0, t1;

	while ((ch = getopt(argc, argv, "b:n")) != -1) {
		switch (ch) {
		case 'b':
			bench = atoi(optarg);
			break;
		case 'n':
			naive = 1;
			break;
		default:
			fprintf(stderr, "usage: qemu-sample [-b N [-n]]\n");
			return (2);
		}
	}
	if (bench <= 0)
		return (print_sample());
	/* One warm-up sample: connections, caches. */
	if (naive)
		ndoms = naive_sample();
	else if (backend_qemu_ops.sample(&st, &n, &cause) == 0) {
		ndoms = n - 1;	/* Domain-0 is the host */
		dom_stats_free(st, n);
	}
	if (ndoms == 0) {
		fprintf(stderr, "qemu-sample: no domains\n");
		return (1);
	}
	t0 = cpu_us();
	for (i = 0; i < bench; i++) {
		if (naive)
			naive_sample();
		else if (backend_qemu_ops.sample(&st, &n, &cause) == 0)
			dom_stats_free(st, n);
		else {
			fprintf(stderr, "qemu-sample: %s\n", cause);
			return (1);
		}
		usleep(20000);
	}
	t1 = cpu_us();
	printf("%zu %d %.1f\n", ndoms, bench,
	    (double)(t1 - t0) / bench / ndoms);
	return (0);
}
