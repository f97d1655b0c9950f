/*
 * The xentop field table as data (style.md, rule 7): the Top view, the
 * Domains view and `top -b` all print through it, so batch output tests
 * the same code the console draws with. Titles, widths and formats follow
 * xentop; the rate columns and ID are xendeck's own.
 *
 * A printer fills buf and returns NULL, or returns why the value does not
 * exist (then the cell shows "-" and the console can say why on demand).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

static const char why_rate[] = "a rate needs two samples";
static const char why_host[] = "the host's memory size is unknown";

/* Why a counter is missing: the backend's reason, else a generic one. */
static const char *
why(const struct dom_row *r, const char *fallback)
{
	return (r->s.why_none != NULL ? r->s.why_none : fallback);
}

/* Numeric values for sorting; NAN where there is none (sorts lowest). */
static double
u64(uint64_t v)
{
	return (v == STAT_NONE ? NAN : (double)v);
}

static double
pct(double v)
{
	return (v < 0 ? NAN : v);
}

static int
cmp_num(double a, double b)
{
	if (isnan(a))
		return (isnan(b) ? 0 : -1);
	if (isnan(b))
		return (1);
	return (a < b ? -1 : a > b);
}

static const char *
print_u64(uint64_t v, uint64_t div, char *buf, size_t len, const char *no)
{
	if (v == STAT_NONE)
		return (no);
	snprintf(buf, len, "%llu", (unsigned long long)(v / div));
	return (NULL);
}

static const char *
print_pct(double v, char *buf, size_t len, const char *no)
{
	if (v < 0)
		return (no);
	snprintf(buf, len, "%.1f", v);
	return (NULL);
}

static double
mem_pct(const struct dom_row *r, uint64_t kb)
{
	if (r->host_mem_kb == 0 || kb == STAT_NONE)
		return (-1);
	return ((double)kb * 100.0 / (double)r->host_mem_kb);
}

/* Generates col_X_cmp from col_X_val. */
#define CMP_BY_VALUE(x)							\
static int								\
col_##x##_cmp(const struct dom_row *a, const struct dom_row *b)	\
{									\
	return (cmp_num(col_##x##_val(a), col_##x##_val(b)));		\
}

/* NAME */
static int
col_name_cmp(const struct dom_row *a, const struct dom_row *b)
{
	return (strcmp(a->s.info.name, b->s.info.name));
}

static const char *
col_name_print(const struct dom_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->s.info.name);
	return (NULL);
}

/* STATE */
static int
col_state_cmp(const struct dom_row *a, const struct dom_row *b)
{
	return (a->s.info.state - b->s.info.state);
}

static const char *
col_state_print(const struct dom_row *r, char *buf, size_t len)
{
	char	 st[7];

	snprintf(buf, len, "%s", dom_state_string(r->s.info.state, st));
	return (NULL);
}

/* ID */
static double
col_id_val(const struct dom_row *r)
{
	return (r->s.info.domid);
}
CMP_BY_VALUE(id)

static const char *
col_id_print(const struct dom_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%d", r->s.info.domid);
	return (NULL);
}

/* CPU(sec) */
static double
col_cpu_sec_val(const struct dom_row *r)
{
	return (u64(r->s.info.cpu_ns));
}
CMP_BY_VALUE(cpu_sec)

static const char *
col_cpu_sec_print(const struct dom_row *r, char *buf, size_t len)
{
	return (print_u64(r->s.info.cpu_ns, 1000000000ULL, buf, len,
	    why(r, "the backend reports no cpu time for this domain")));
}

/* CPU(%) */
static double
col_cpu_pct_val(const struct dom_row *r)
{
	return (pct(r->cpu_pct));
}
CMP_BY_VALUE(cpu_pct)

static const char *
col_cpu_pct_print(const struct dom_row *r, char *buf, size_t len)
{
	return (print_pct(r->cpu_pct, buf, len, r->nsamples < 2 ? why_rate :
	    why(r, "the backend reports no cpu time for this domain")));
}

/* MEM(k), MEM(%) */
static double
col_mem_k_val(const struct dom_row *r)
{
	return (u64(r->s.info.mem_kb));
}
CMP_BY_VALUE(mem_k)

static const char *
col_mem_k_print(const struct dom_row *r, char *buf, size_t len)
{
	return (print_u64(r->s.info.mem_kb, 1, buf, len,
	    why(r, "the backend reports no memory size")));
}

static double
col_mem_pct_val(const struct dom_row *r)
{
	return (pct(mem_pct(r, r->s.info.mem_kb)));
}
CMP_BY_VALUE(mem_pct)

static const char *
col_mem_pct_print(const struct dom_row *r, char *buf, size_t len)
{
	return (print_pct(mem_pct(r, r->s.info.mem_kb), buf, len,
	    r->host_mem_kb == 0 ? why_host :
	    why(r, "the backend reports no memory size")));
}

/* MAXMEM(k), MAXMEM(%) */
static double
col_maxmem_k_val(const struct dom_row *r)
{
	return (u64(r->s.info.maxmem_kb));
}
CMP_BY_VALUE(maxmem_k)

static const char *
col_maxmem_k_print(const struct dom_row *r, char *buf, size_t len)
{
	return (print_u64(r->s.info.maxmem_kb, 1, buf, len,
	    "no maximum: the domain may grow to the host's memory"));
}

static double
col_maxmem_pct_val(const struct dom_row *r)
{
	return (pct(mem_pct(r, r->s.info.maxmem_kb)));
}
CMP_BY_VALUE(maxmem_pct)

static const char *
col_maxmem_pct_print(const struct dom_row *r, char *buf, size_t len)
{
	return (print_pct(mem_pct(r, r->s.info.maxmem_kb), buf, len,
	    r->host_mem_kb == 0 ? why_host :
	    "no maximum: the domain may grow to the host's memory"));
}

/* VCPUS, NETS, VBDS */
static double
col_vcpus_val(const struct dom_row *r)
{
	return (r->s.info.vcpus);
}
CMP_BY_VALUE(vcpus)

static const char *
col_vcpus_print(const struct dom_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%d", r->s.info.vcpus);
	return (NULL);
}

static double
col_nets_val(const struct dom_row *r)
{
	return ((double)r->s.nvifs);
}
CMP_BY_VALUE(nets)

static const char *
col_nets_print(const struct dom_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%zu", r->s.nvifs);
	return (NULL);
}

static double
col_vbds_val(const struct dom_row *r)
{
	return ((double)r->s.nvbds);
}
CMP_BY_VALUE(vbds)

static const char *
col_vbds_print(const struct dom_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%zu", r->s.nvbds);
	return (NULL);
}

/* Device totals: NETTX(k) NETRX(k) VBD_OO VBD_RD VBD_WR VBD_RSECT ... */
#define TOTAL_COLUMN(x, field, div, what)				\
static double								\
col_##x##_val(const struct dom_row *r)					\
{									\
	return (u64(r->field) / (div));					\
}									\
CMP_BY_VALUE(x)								\
static const char *							\
col_##x##_print(const struct dom_row *r, char *buf, size_t len)	\
{									\
	return (print_u64(r->field, (div), buf, len, why(r, what)));	\
}
TOTAL_COLUMN(nettx, tx_bytes, 1024, "a vif has no transmit counter")
TOTAL_COLUMN(netrx, rx_bytes, 1024, "a vif has no receive counter")
TOTAL_COLUMN(vbd_oo, vbd_oo, 1,
    "this backend has no out-of-requests counter for its disks")
TOTAL_COLUMN(vbd_rd, vbd_rd, 1, "a disk has no read counter")
TOTAL_COLUMN(vbd_wr, vbd_wr, 1, "a disk has no write counter")
TOTAL_COLUMN(vbd_rsect, vbd_rsect, 1, "a disk has no sector counter")
TOTAL_COLUMN(vbd_wsect, vbd_wsect, 1, "a disk has no sector counter")

/* Rates since the previous sample. */
#define RATE_COLUMN(x, field, what)					\
static double								\
col_##x##_val(const struct dom_row *r)					\
{									\
	return (pct(r->field));						\
}									\
CMP_BY_VALUE(x)								\
static const char *							\
col_##x##_print(const struct dom_row *r, char *buf, size_t len)	\
{									\
	return (print_pct(r->field, buf, len,				\
	    r->nsamples < 2 ? why_rate : why(r, what)));		\
}
RATE_COLUMN(tx_rate, tx_kbs, "a vif has no transmit counter")
RATE_COLUMN(rx_rate, rx_kbs, "a vif has no receive counter")
RATE_COLUMN(rd_iops, rd_iops, "a disk has no read counter")
RATE_COLUMN(wr_iops, wr_iops, "a disk has no write counter")

#define C(ID, x, key, title, width, left, num, help)			\
	[ID] = { ID, key, title, width, left, num, col_##x##_cmp,	\
	    col_##x##_print, help }
const struct column col_table[COL_NCOLUMNS] = {
	C(COL_NAME, name, "name", "NAME", 10, 1, 0, "domain name"),
	C(COL_STATE, state, "state", "STATE", 6, 0, 0,
	    "r running, b blocked, p paused, s shutdown, c crashed, d dying"),
	C(COL_CPU_SEC, cpu_sec, "cpu_sec", "CPU(sec)", 10, 0, 1,
	    "cpu time used, seconds"),
	C(COL_CPU_PCT, cpu_pct, "cpu_pct", "CPU(%)", 6, 0, 1,
	    "cpu use since the previous sample (100 = one cpu)"),
	C(COL_MEM_K, mem_k, "mem_k", "MEM(k)", 10, 0, 1, "memory, KiB"),
	C(COL_MEM_PCT, mem_pct, "mem_pct", "MEM(%)", 6, 0, 1,
	    "memory, % of the host's"),
	C(COL_MAXMEM_K, maxmem_k, "maxmem_k", "MAXMEM(k)", 10, 0, 1,
	    "memory limit, KiB"),
	C(COL_MAXMEM_PCT, maxmem_pct, "maxmem_pct", "MAXMEM(%)", 9, 0, 1,
	    "memory limit, % of the host's"),
	C(COL_VCPUS, vcpus, "vcpus", "VCPUS", 5, 0, 1, "virtual cpus"),
	C(COL_NETS, nets, "nets", "NETS", 4, 0, 1, "network interfaces"),
	C(COL_NETTX, nettx, "nettx_k", "NETTX(k)", 8, 0, 1,
	    "bytes sent, KiB"),
	C(COL_NETRX, netrx, "netrx_k", "NETRX(k)", 8, 0, 1,
	    "bytes received, KiB"),
	C(COL_VBDS, vbds, "vbds", "VBDS", 4, 0, 1, "virtual block devices"),
	C(COL_VBD_OO, vbd_oo, "vbd_oo", "VBD_OO", 8, 0, 1,
	    "requests delayed: out of request slots"),
	C(COL_VBD_RD, vbd_rd, "vbd_rd", "VBD_RD", 8, 0, 1, "read requests"),
	C(COL_VBD_WR, vbd_wr, "vbd_wr", "VBD_WR", 8, 0, 1, "write requests"),
	C(COL_VBD_RSECT, vbd_rsect, "vbd_rsect", "VBD_RSECT", 10, 0, 1,
	    "sectors read"),
	C(COL_VBD_WSECT, vbd_wsect, "vbd_wsect", "VBD_WSECT", 10, 0, 1,
	    "sectors written"),
	C(COL_ID, id, "id", "ID", 4, 0, 1, "domain id"),
	C(COL_TX_RATE, tx_rate, "tx_kbs", "TX(KB/s)", 8, 0, 1,
	    "network send rate, KiB/s"),
	C(COL_RX_RATE, rx_rate, "rx_kbs", "RX(KB/s)", 8, 0, 1,
	    "network receive rate, KiB/s"),
	C(COL_RD_IOPS, rd_iops, "rd_iops", "RD(IOPS)", 8, 0, 1,
	    "disk reads per second"),
	C(COL_WR_IOPS, wr_iops, "wr_iops", "WR(IOPS)", 8, 0, 1,
	    "disk writes per second"),
};
#undef C

/* A column by key ("cpu_pct") or title ("CPU(%)"), case-insensitively. */
const struct column *
col_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < COL_NCOLUMNS; i++) {
		if (strcasecmp(col_table[i].key, name) == 0 ||
		    strcasecmp(col_table[i].title, name) == 0)
			return (&col_table[i]);
	}
	return (NULL);
}

/* Print a cell: "-" and the reason where the value does not exist. */
const char *
col_format(const struct column *c, const struct dom_row *r, char *buf,
    size_t len)
{
	const char	*no;

	if ((no = c->print(r, buf, len)) != NULL)
		snprintf(buf, len, "-");
	return (no);
}

/*
 * Parse "name,cpu_pct,MEM(k)" into ids (at most COL_NCOLUMNS, no
 * repeats). Returns -1 and a cause naming the unknown column.
 */
int
col_parse_list(const char *list, enum col_id *ids, size_t *n, char **cause)
{
	char			*copy, *p, *word;
	const struct column	*c;
	size_t			 i, count = 0;
	int			 rc = -1;

	p = copy = xstrdup(list);
	while ((word = strsep(&p, ",")) != NULL) {
		if (*word == '\0')
			continue;
		if ((c = col_find(word)) == NULL) {
			*cause = xprintf("unknown column: %s", word);
			goto out;
		}
		for (i = 0; i < count; i++) {
			if (ids[i] == c->id)
				break;
		}
		if (i < count) {
			*cause = xprintf("column given twice: %s", word);
			goto out;
		}
		ids[count++] = c->id;
	}
	if (count == 0) {
		*cause = xstrdup("no columns given");
		goto out;
	}
	*n = count;
	rc = 0;
out:
	free(copy);
	return (rc);
}
