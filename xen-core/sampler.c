/*
 * The stats sampler: the one reader of a backend's counters. Each update
 * takes one sample of every domain, matches it to the previous one by name
 * and domid (a restarted domain gets a new id and starts afresh), turns the
 * differences into rates and keeps the last minute of cpu% for sparklines.
 * Views and `top -b` draw from the rows; they never call the backend.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

void
sampler_init(struct sampler *s, const struct backend_ops *be)
{
	memset(s, 0, sizeof *s);
	s->be = be;
}

static void
row_free(struct dom_row *r)
{
	if (r == NULL)
		return;
	free(r->s.vifs);
	free(r->s.vbds);
	free(r->s.vcpu);
	free(r->vcpu_pct);
	free(r);
}

void
sampler_free(struct sampler *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nrows; i++)
		row_free(s->rows[i]);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}

struct dom_row *
sampler_find(struct sampler *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->nrows; i++) {
		if (strcmp(s->rows[i]->s.info.name, name) == 0)
			return (s->rows[i]);
	}
	return (NULL);
}

/* Sum a counter over devices; STAT_NONE if any device lacks it. */
static uint64_t
sum_field(const void *base, size_t n, size_t size, size_t off)
{
	uint64_t	 total = 0, v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		memcpy(&v, (const char *)base + i * size + off, sizeof v);
		if (v == STAT_NONE)
			return (STAT_NONE);
		total += v;
	}
	return (total);
}

/*
 * A per-second rate from two counters divided by scale (1024: KiB/s; 1e7:
 * nanoseconds to percent), or -1 where one is missing.
 */
static double
rate(uint64_t now, uint64_t before, uint64_t dt_us, double scale)
{
	if (now == STAT_NONE || before == STAT_NONE || dt_us == 0)
		return (-1);
	if (now < before)	/* counters reset (device replugged) */
		return (0);
	return ((double)(now - before) * 1e6 / (double)dt_us / scale);
}

static void
row_totals(struct dom_row *r)
{
	const struct dom_stats	*st = &r->s;

#define VIF(f) sum_field(st->vifs, st->nvifs, sizeof *st->vifs, \
	    offsetof(struct dom_vif_stats, f))
#define VBD(f) sum_field(st->vbds, st->nvbds, sizeof *st->vbds, \
	    offsetof(struct dom_vbd_stats, f))
	r->tx_bytes = VIF(tx_bytes);
	r->rx_bytes = VIF(rx_bytes);
	r->vbd_oo = VBD(oo);
	r->vbd_rd = VBD(rd_reqs);
	r->vbd_wr = VBD(wr_reqs);
	r->vbd_rsect = VBD(rd_sect);
	r->vbd_wsect = VBD(wr_sect);
#undef VIF
#undef VBD
}

static void
row_history_push(struct dom_row *r, uint64_t when, double pct)
{
	size_t	 slot;

	if (pct < 0)
		return;
	slot = (r->hist_head + r->hist_n) % SAMPLER_HISTORY;
	if (r->hist_n == SAMPLER_HISTORY) {
		slot = r->hist_head;
		r->hist_head = (r->hist_head + 1) % SAMPLER_HISTORY;
	} else
		r->hist_n++;
	r->hist_us[slot] = when;
	r->hist[slot] = (float)pct;
}

/*
 * The cpu% points of the last minute before now, oldest first, at most max
 * of them (the newest). Returns how many were written.
 */
size_t
sampler_history(const struct dom_row *r, uint64_t now, float *out,
    size_t max)
{
	size_t	 i, first = 0, n = 0, slot;

	for (i = 0; i < r->hist_n; i++) {
		slot = (r->hist_head + i) % SAMPLER_HISTORY;
		if (now - r->hist_us[slot] <= SAMPLER_WINDOW_US)
			break;
		first++;
	}
	if (r->hist_n - first > max)
		first = r->hist_n - max;
	for (i = first; i < r->hist_n; i++) {
		slot = (r->hist_head + i) % SAMPLER_HISTORY;
		out[n++] = r->hist[slot];
	}
	return (n);
}

/* Fold the new sample st (taken over) into row r. */
static void
row_update(struct sampler *s, struct dom_row *r, struct dom_stats *st)
{
	struct dom_row	 old = *r;
	uint64_t	 dt = 0;
	size_t		 i;

	if (r->nsamples > 0 && st->sample_us > old.s.sample_us)
		dt = st->sample_us - old.s.sample_us;
	r->s = *st;
	memset(st, 0, sizeof *st);
	row_totals(r);
	r->host_mem_kb = s->have_host ? s->host.total_kb : 0;
	r->host_cpus = s->have_host ? s->host.nr_cpus : 0;

	/* Like xentop, the first sample's CPU% is 0.0: no delta yet. */
	if (r->nsamples == 0)
		r->cpu_pct = 0;
	else if (r->s.info.cpu_ns == STAT_NONE ||
	    old.s.info.cpu_ns == STAT_NONE || dt == 0)
		r->cpu_pct = -1;
	else
		r->cpu_pct = rate(r->s.info.cpu_ns, old.s.info.cpu_ns, dt,
		    1e7);
	if (r->nsamples == 0) {
		r->tx_kbs = r->rx_kbs = r->rd_iops = r->wr_iops = -1;
	} else {
		r->tx_kbs = rate(r->tx_bytes, old.tx_bytes, dt, 1024);
		r->rx_kbs = rate(r->rx_bytes, old.rx_bytes, dt, 1024);
		r->rd_iops = rate(r->vbd_rd, old.vbd_rd, dt, 1);
		r->wr_iops = rate(r->vbd_wr, old.vbd_wr, dt, 1);
	}
	r->vcpu_pct = xcalloc(r->s.nvcpu, sizeof *r->vcpu_pct);
	for (i = 0; i < r->s.nvcpu; i++) {
		if (r->nsamples == 0 || i >= old.s.nvcpu)
			r->vcpu_pct[i] = -1;
		else
			r->vcpu_pct[i] = rate(r->s.vcpu[i].cpu_ns,
			    old.s.vcpu[i].cpu_ns, dt, 1e7);
	}
	r->nsamples++;
	row_history_push(r, r->s.sample_us, r->cpu_pct);

	free(old.s.vifs);
	free(old.s.vbds);
	free(old.s.vcpu);
	free(old.vcpu_pct);
}

/*
 * Take over n samples (the array and what it owns) and update the rows:
 * new domains get rows, vanished ones lose theirs. For sampler_update, and
 * for unit tests that feed known counters.
 */
void
sampler_feed(struct sampler *s, struct dom_stats *st, size_t n)
{
	struct dom_row	**rows, *r;
	size_t		  i, j;
	uint64_t	  now = mono_us();

	s->generation++;
	rows = xcalloc(n, sizeof *rows);
	for (i = 0; i < n; i++) {
		if (st[i].sample_us == 0)
			st[i].sample_us = now;
		r = NULL;
		for (j = 0; j < s->nrows; j++) {
			if (s->rows[j] == NULL)
				continue;
			if (strcmp(s->rows[j]->s.info.name,
			    st[i].info.name) == 0 &&
			    s->rows[j]->s.info.domid == st[i].info.domid) {
				r = s->rows[j];
				s->rows[j] = NULL;
				break;
			}
		}
		if (r == NULL)
			r = xcalloc(1, sizeof *r);
		row_update(s, r, &st[i]);
		rows[i] = r;
	}
	for (j = 0; j < s->nrows; j++)
		row_free(s->rows[j]);
	free(s->rows);
	free(st);
	s->rows = rows;
	s->nrows = n;
	s->last_us = now;
}

/* One sample from the backend. On failure the rows stay as they were. */
int
sampler_update(struct sampler *s, char **cause)
{
	struct dom_stats	*st = NULL;
	size_t			 n = 0;
	uint64_t		 t0 = mono_us();
	char			*why = NULL;

	if (!s->have_host && s->be->host_info != NULL) {
		if (s->be->host_info(&s->host, &why) == 0)
			s->have_host = 1;
		else {
			log_debug("%s: host_info: %s", __func__, why);
			free(why);
		}
	}
	if (s->be->sample(&st, &n, cause) != 0)
		return (-1);
	sampler_feed(s, st, n);
	s->cost_us = mono_us() - t0;
	return (0);
}
