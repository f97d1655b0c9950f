/*
 * Unit tests for xen-core/sampler.c and columns.c: known counters fed
 * through sampler_feed() (the one place a test supplies the samples; the
 * tui and top -b tests use real guests), then the rates, totals, '-'
 * reasons, sorting and the history ring.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"
#include "tap.h"

static struct dom_stats *
mk(size_t n)
{
	return (xcalloc(n, sizeof(struct dom_stats)));
}

static void
dom(struct dom_stats *s, const char *name, int domid, uint64_t cpu_ns,
    uint64_t us)
{
	snprintf(s->info.name, sizeof s->info.name, "%s", name);
	s->info.domid = domid;
	s->info.state = DOM_RUNNING;
	s->info.mem_kb = 262144;
	s->info.maxmem_kb = 262144;
	s->info.vcpus = 1;
	s->info.cpu_ns = cpu_ns;
	s->sample_us = us;
}

static void
vif(struct dom_stats *s, uint64_t tx, uint64_t rx)
{
	s->vifs = xcalloc(1, sizeof *s->vifs);
	s->nvifs = 1;
	snprintf(s->vifs[0].name, sizeof s->vifs[0].name, "vif%d.0",
	    s->info.domid);
	s->vifs[0].tx_bytes = tx;
	s->vifs[0].rx_bytes = rx;
}

static void
vbd(struct dom_stats *s, uint64_t rd, uint64_t wr, uint64_t oo)
{
	s->vbds = xcalloc(2, sizeof *s->vbds);
	s->nvbds = 2;
	snprintf(s->vbds[0].name, sizeof s->vbds[0].name, "xvda");
	snprintf(s->vbds[1].name, sizeof s->vbds[1].name, "xvdb");
	s->vbds[0].rd_reqs = rd;
	s->vbds[1].rd_reqs = rd;
	s->vbds[0].wr_reqs = wr;
	s->vbds[1].wr_reqs = wr;
	s->vbds[0].oo = oo;
	s->vbds[1].oo = 0;
	s->vbds[0].rd_sect = s->vbds[1].rd_sect = rd * 8;
	s->vbds[0].wr_sect = s->vbds[1].wr_sect = wr * 8;
}

static const char *
cell(struct sampler *s, const char *name, enum col_id id, const char **why)
{
	static char	 buf[64];
	const char	*no;

	no = col_format(&col_table[id], sampler_find(s, name), buf,
	    sizeof buf);
	if (why != NULL)
		*why = no;
	return (buf);
}

int
main(void)
{
	struct sampler		 s;
	struct dom_stats	*st;
	struct dom_row		*r;
	enum col_id		 ids[COL_NCOLUMNS];
	size_t			 n, i;
	char			*cause = NULL;
	const char		*why;
	float			 hist[SAMPLER_HISTORY];

	sampler_init(&s, NULL);
	s.have_host = 1;
	s.host.total_kb = 1048576;
	s.host.nr_cpus = 2;

	/* First sample: CPU% 0.0 like xentop, rates '-' with a reason. */
	st = mk(2);
	dom(&st[0], "Domain-0", 0, 5000000000ULL, 1000000);
	dom(&st[1], "web", 3, 2000000000ULL, 1000000);
	vif(&st[1], 10240, 20480);
	vbd(&st[1], 100, 50, 3);
	st[1].info.maxmem_kb = STAT_NONE;
	sampler_feed(&s, st, 2);
	is_int(s.nrows, 2, "two rows");
	is_str(cell(&s, "web", COL_CPU_PCT, &why), "0.0",
	    "first CPU(%%) is 0.0, as xentop prints it");
	is_str(cell(&s, "web", COL_TX_RATE, &why), "-", "first rate is -");
	is_str(why, "a rate needs two samples", "and says why");
	is_str(cell(&s, "web", COL_CPU_SEC, NULL), "2", "CPU(sec)");
	is_str(cell(&s, "web", COL_MEM_K, NULL), "262144", "MEM(k)");
	is_str(cell(&s, "web", COL_MEM_PCT, NULL), "25.0", "MEM(%%)");
	is_str(cell(&s, "web", COL_MAXMEM_K, &why), "-", "no MAXMEM is -");
	ok(why != NULL && strstr(why, "no maximum") != NULL,
	    "with a reason: %s", why);
	is_str(cell(&s, "web", COL_NETTX, NULL), "10", "NETTX(k) in KiB");
	is_str(cell(&s, "web", COL_NETRX, NULL), "20", "NETRX(k) in KiB");
	is_str(cell(&s, "web", COL_VBDS, NULL), "2", "VBDS");
	is_str(cell(&s, "web", COL_VBD_RD, NULL), "200", "VBD_RD sums vbds");
	is_str(cell(&s, "web", COL_VBD_OO, NULL), "3", "VBD_OO sums vbds");
	is_str(cell(&s, "web", COL_VBD_RSECT, NULL), "1600", "VBD_RSECT");
	is_str(cell(&s, "web", COL_STATE, NULL), "r-----", "STATE");
	is_str(cell(&s, "Domain-0", COL_NETS, NULL), "0", "no vifs: NETS 0");
	is_str(cell(&s, "Domain-0", COL_NETTX, NULL), "0",
	    "no vifs: NETTX 0 (a sum of nothing, like xentop)");

	/* Second sample 2 s later: 0.5 s of cpu = 25%. */
	st = mk(2);
	dom(&st[0], "Domain-0", 0, 5000000000ULL, 3000000);
	dom(&st[1], "web", 3, 2500000000ULL, 3000000);
	vif(&st[1], 10240 + 4096, 20480 + 2048);
	vbd(&st[1], 110, 60, 3);
	st[1].vbds[1].wr_reqs = STAT_NONE;
	st[1].why_none = "the vbd has no write counter here";
	sampler_feed(&s, st, 2);
	is_str(cell(&s, "web", COL_CPU_PCT, NULL), "25.0",
	    "CPU(%%) = delta cpu / delta wall");
	is_str(cell(&s, "web", COL_TX_RATE, NULL), "2.0", "TX 2 KiB/s");
	is_str(cell(&s, "web", COL_RX_RATE, NULL), "1.0", "RX 1 KiB/s");
	is_str(cell(&s, "web", COL_RD_IOPS, NULL), "10.0",
	    "RD IOPS over both vbds");
	is_str(cell(&s, "web", COL_WR_IOPS, &why), "-",
	    "a missing counter gives -");
	is_str(why, "the vbd has no write counter here",
	    "with the backend's reason");
	is_str(cell(&s, "web", COL_VBD_WR, NULL), "-", "and its total too");
	is_str(cell(&s, "Domain-0", COL_CPU_PCT, NULL), "0.0", "idle is 0.0");

	/* Sorting: NaN lowest, numbers by value. */
	r = sampler_find(&s, "web");
	ok(col_table[COL_CPU_PCT].cmp(r, sampler_find(&s, "Domain-0")) > 0,
	    "cmp CPU(%%): web above Domain-0");
	ok(col_table[COL_WR_IOPS].cmp(r, sampler_find(&s, "Domain-0")) < 0,
	    "cmp: '-' sorts below a value");
	ok(col_table[COL_NAME].cmp(r, sampler_find(&s, "Domain-0")) > 0,
	    "cmp NAME");

	/* History: two points so far, newest last. */
	n = sampler_history(r, 3000000, hist, SAMPLER_HISTORY);
	is_int(n, 2, "two history points");
	ok(fabs(hist[1] - 25.0) < 0.01, "newest is 25%%");
	n = sampler_history(r, 3000000 + SAMPLER_WINDOW_US + 1500000, hist,
	    SAMPLER_HISTORY);
	is_int(n, 0, "older than a minute: gone");
	n = sampler_history(r, 3000000, hist, 1);
	is_int(n, 1, "max honoured");

	/* Restart: same name, new domid starts afresh; vanished rows go. */
	st = mk(1);
	dom(&st[0], "web", 4, 100000000ULL, 4000000);
	sampler_feed(&s, st, 1);
	is_int(s.nrows, 1, "Domain-0 gone from the rows");
	is_str(cell(&s, "web", COL_CPU_PCT, NULL), "0.0",
	    "a new domid is a new domain (no negative delta)");
	is_str(cell(&s, "web", COL_ID, NULL), "4", "ID");

	/* More samples than the ring holds. */
	for (i = 0; i < SAMPLER_HISTORY + 5; i++) {
		st = mk(1);
		dom(&st[0], "web", 4, 100000000ULL + i * 10000000ULL,
		    5000000 + i * 1000000);
		sampler_feed(&s, st, 1);
	}
	r = sampler_find(&s, "web");
	n = sampler_history(r, 5000000 + (SAMPLER_HISTORY + 4) * 1000000,
	    hist, SAMPLER_HISTORY);
	is_int(n, 61, "a minute of 1 s samples: 61 points");
	ok(fabs(hist[n - 1] - 1.0) < 0.01, "10 ms per s = 1%%");

	/* Column lists. */
	ok(col_parse_list("name,CPU(%),mem_k", ids, &n, &cause) == 0 &&
	    n == 3 && ids[1] == COL_CPU_PCT, "col_parse_list by key and title");
	ok(col_parse_list("name,bogus", ids, &n, &cause) != 0, "unknown column");
	is_str(cause, "unknown column: bogus", "names it");
	free(cause);
	cause = NULL;
	ok(col_parse_list("name,NAME", ids, &n, &cause) != 0, "twice");
	free(cause);
	is_int(COL_XENTOP_COUNT, 18, "xentop's 18 columns");
	is_str(col_table[COL_VBD_WSECT].title, "VBD_WSECT", "last title");
	for (i = 0; i < COL_NCOLUMNS; i++) {
		if (col_table[i].id != (enum col_id)i ||
		    col_table[i].cmp == NULL || col_table[i].print == NULL)
			break;
	}
	is_int(i, COL_NCOLUMNS, "every column has an id, cmp and print");

	sampler_free(&s);
	return (done_testing());
}
