/*
 * The Network view (6): the bridges with their ports, each domain's vifs
 * with link state and rates, the other interfaces, addresses, the default
 * route and the SSH session's route. A bridge that a domain's xl.cfg names
 * but which does not exist is flagged, with the bridge wizard to make it
 * (b shows its plan, A applies it as a job). A bridge change on trial shows
 * the time left, and C keeps it, R rolls it back.
 *
 * The facts come from `xendeck network --json`, a quiet job every 2 s while
 * the view is shown (reading them runs ip and the backend: never in the
 * loop); rates are the difference of two readings' byte counters. What was
 * read last stays on screen meanwhile.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "console.h"

#define NET_REFRESH_MS	2000

/* One line of the view: what the cursor can stand on. */
enum net_row_kind { NR_BRIDGE, NR_PORT, NR_MISSING, NR_OTHER };
struct net_row {
	enum net_row_kind	 kind;
	char			 name[16];
};

/* Byte counters of the reading before, for rates. */
struct net_prev {
	char		 name[16];
	uint64_t	 rx, tx;
};

static struct {
	struct net_facts	 nf;
	json_t			*doc;		/* domains, missing, trial */
	int			 have;
	char			*error;
	uint64_t		 when;		/* last refresh started */
	uint64_t		 read_us;	/* when the last one came */
	unsigned int		 job;		/* a refresh in flight, or 0 */
	struct net_prev		*prev;		/* the reading before */
	size_t			 nprev;
	uint64_t		 prev_us;
	struct net_row		*rows;
	size_t			 nrows;
	size_t			 cur;
	int			 top;
	char			*wiz_bridge;	/* the plan last shown (b) */
	char			*wiz_nic;
} nv;

static int	nv_key_wizard(void);
static int	nv_key_apply(void);
static int	nv_key_confirm(void);
static int	nv_key_rollback(void);
static int	nv_key_refresh(void);

static const struct view_key network_keys[] = {
	{ 'b', 0, "b", "the bridge wizard's plan for the bridge under the "
	    "cursor (xenbr0 when none)", nv_key_wizard },
	{ 'A', 0, "A", "apply the plan b showed (a trial: confirm it with "
	    "C)", nv_key_apply },
	{ 'C', 0, "C", "keep the bridge change on trial", nv_key_confirm },
	{ 'R', 0, "R", "roll the bridge change back now", nv_key_rollback },
	{ 'r', 0, "r", "read the network again now", nv_key_refresh },
	{ 0, 0, "j k, arrows", "move", NULL },
	{ 0, 0, NULL, NULL, NULL }
};

static void
nv_clear(void)
{
	net_facts_free(&nv.nf);
	json_decref(nv.doc);
	nv.doc = NULL;
	free(nv.rows);
	nv.rows = NULL;
	nv.nrows = 0;
}

static void
nv_add_row(enum net_row_kind kind, const char *name)
{
	nv.rows = xreallocarray(nv.rows, nv.nrows + 1, sizeof *nv.rows);
	nv.rows[nv.nrows].kind = kind;
	snprintf(nv.rows[nv.nrows].name, sizeof nv.rows[nv.nrows].name, "%s",
	    name);
	nv.nrows++;
}

/* The rows in drawing order: bridges and their ports, missing, others. */
static void
nv_build_rows(void)
{
	json_t		*m;
	size_t		 i, k;
	const char	*s;

	free(nv.rows);
	nv.rows = NULL;
	nv.nrows = 0;
	for (i = 0; i < nv.nf.nlinks; i++) {
		if (strcmp(nv.nf.links[i].kind, "bridge") != 0)
			continue;
		nv_add_row(NR_BRIDGE, nv.nf.links[i].name);
		for (k = 0; k < nv.nf.nlinks; k++) {
			if (strcmp(nv.nf.links[k].master,
			    nv.nf.links[i].name) == 0)
				nv_add_row(NR_PORT, nv.nf.links[k].name);
		}
	}
	json_array_foreach(json_object_get(nv.doc, "missing_bridges"), i, m) {
		if ((s = json_string_value(json_object_get(m, "bridge"))) !=
		    NULL)
			nv_add_row(NR_MISSING, s);
	}
	for (i = 0; i < nv.nf.nlinks; i++) {
		if (strcmp(nv.nf.links[i].kind, "bridge") != 0 &&
		    nv.nf.links[i].master[0] == '\0')
			nv_add_row(NR_OTHER, nv.nf.links[i].name);
	}
	if (nv.cur >= nv.nrows)
		nv.cur = nv.nrows > 0 ? nv.nrows - 1 : 0;
}

static void
nv_done(struct job *j, void *arg)
{
	json_t		*o;
	json_error_t	 jerr;
	char		*cause = NULL;
	size_t		 i;

	nv.job = 0;
	free(nv.error);
	nv.error = NULL;
	if (job_state(j) != JOB_DONE) {
		nv.error = xprintf("network: %s", job_error(j) != NULL ?
		    job_error(j) : "not read");
		tui.redraw = 1;
		return;
	}
	if ((o = json_loads(job_stdout(j, NULL), 0, &jerr)) == NULL) {
		nv.error = xprintf("network --json: line %d: %s", jerr.line,
		    jerr.text);
		tui.redraw = 1;
		return;
	}
	/* The counters now become the ones before. */
	if (nv.have) {
		free(nv.prev);
		nv.prev = xcalloc(nv.nf.nlinks + 1, sizeof *nv.prev);
		for (i = 0; i < nv.nf.nlinks; i++) {
			snprintf(nv.prev[i].name, sizeof nv.prev[i].name, "%s",
			    nv.nf.links[i].name);
			nv.prev[i].rx = nv.nf.links[i].rx_bytes;
			nv.prev[i].tx = nv.nf.links[i].tx_bytes;
		}
		nv.nprev = nv.nf.nlinks;
		nv.prev_us = nv.read_us;
	}
	nv_clear();
	if (net_facts_from_json(o, &nv.nf, &cause) != 0) {
		nv.error = cause;
		json_decref(o);
		nv.have = 0;
		tui.redraw = 1;
		return;
	}
	nv.doc = o;
	nv.have = 1;
	nv.read_us = mono_us();
	nv_build_rows();
	tui.redraw = 1;
}

/* Read the facts again, unless a read is under way. */
static void
nv_refresh(void)
{
	char		*argv[] = { "xendeck", "network", "--json", NULL };
	char		*cause = NULL;
	struct job	*j;

	if (nv.job != 0 && job_find(nv.job) != NULL)
		return;
	nv.when = mono_ms();
	j = job_run("network facts", argv, JOB_QUIET, NULL, nv_done, NULL,
	    &cause);
	if (j == NULL) {
		free(nv.error);
		nv.error = cause;
		return;
	}
	nv.job = job_id(j);
}

static int
nv_enter(const char *arg)
{
	if (!nv.have || mono_ms() - nv.when > NET_REFRESH_MS)
		nv_refresh();
	return (0);
}

static void
nv_update(void)
{
	if (tui.view == &view_network_ops && mono_ms() - nv.when >=
	    NET_REFRESH_MS)
		nv_refresh();
	if (tui.view == &view_network_ops)
		tui.redraw = 1;		/* the trial's countdown */
}

static void
nv_free(void)
{
	nv_clear();
	free(nv.error);
	free(nv.prev);
	free(nv.wiz_bridge);
	free(nv.wiz_nic);
	memset(&nv, 0, sizeof nv);
}

/* A rate in bytes per second from the reading before, as "12.3K". */
static void
nv_rate(const struct net_link *l, int tx, char *buf, size_t size)
{
	size_t		 i;
	double		 secs, r;
	uint64_t	 now = tx ? l->tx_bytes : l->rx_bytes, then;

	snprintf(buf, size, "-");
	if (nv.prev_us == 0 || nv.read_us <= nv.prev_us)
		return;
	for (i = 0; i < nv.nprev; i++) {
		if (strcmp(nv.prev[i].name, l->name) == 0)
			break;
	}
	if (i == nv.nprev)
		return;
	then = tx ? nv.prev[i].tx : nv.prev[i].rx;
	if (now < then)
		return;
	secs = (nv.read_us - nv.prev_us) / 1e6;
	r = (now - then) / secs;
	if (r >= 1024 * 1024)
		snprintf(buf, size, "%.1fM/s", r / (1024 * 1024));
	else if (r >= 1024)
		snprintf(buf, size, "%.1fK/s", r / 1024);
	else
		snprintf(buf, size, "%.0fB/s", r);
}

/* The domain of a vif (vifD.N), by the job's domains or the sampler. */
static const char *
nv_vif_domain(const char *vif)
{
	json_t	*d;
	size_t	 i;
	int	 domid;

	if (!net_is_vif(vif) || sscanf(vif, "vif%d.", &domid) != 1)
		return (NULL);
	json_array_foreach(json_object_get(nv.doc, "domains"), i, d) {
		if (json_integer_value(json_object_get(d, "domid")) == domid)
			return (json_string_value(json_object_get(d,
			    "name")));
	}
	for (i = 0; i < tui.sampler.nrows; i++) {
		if (tui.sampler.rows[i]->s.info.domid == domid)
			return (tui.sampler.rows[i]->s.info.name);
	}
	return (NULL);
}

/* A link's addresses, space-separated (IPv4 first). */
static char *
nv_addrs(const char *name)
{
	char	**v4 = net_link_addrs(&nv.nf, name, 4);
	char	**v6 = net_link_addrs(&nv.nf, name, 6);
	char	 *out = xstrdup(""), *next;
	size_t	  i;

	for (i = 0; v4[i] != NULL; i++) {
		xasprintf(&next, "%s%s%s", out, *out ? " " : "", v4[i]);
		free(out);
		out = next;
	}
	for (i = 0; v6[i] != NULL; i++) {
		if (strncmp(v6[i], "fe80:", 5) == 0)
			continue;	/* link-local: every link has one */
		xasprintf(&next, "%s%s%s", out, *out ? " " : "", v6[i]);
		free(out);
		out = next;
	}
	strv_free(v4);
	strv_free(v6);
	return (out);
}

/* One interface line (bridge, port, other). */
static void
nv_draw_link(int y, int x, int w, const struct net_row *r, attr_t at)
{
	const struct net_link	*l = net_link_find(&nv.nf, r->name);
	const char		*dom, *state;
	char			 line[512], rx[16], tx[16], *addrs, name[24];
	enum theme_slot		 slot = COL_NORMAL;

	if (l == NULL)
		return;
	nv_rate(l, 0, rx, sizeof rx);
	nv_rate(l, 1, tx, sizeof tx);
	addrs = nv_addrs(l->name);
	dom = nv_vif_domain(l->name);
	state = l->operstate;
	if (strcmp(state, "up") != 0 && strcmp(state, "unknown") != 0)
		slot = COL_WARNING;
	snprintf(name, sizeof name, "%s%s", r->kind == NR_PORT ? "  " : "",
	    l->name);
	snprintf(line, sizeof line, " %-17s %-8s %-8s %9s %9s  %s%s%s",
	    name, net_is_vif(l->name) ? "vif" : l->kind, state, rx, tx,
	    dom != NULL ? "domain " : "", dom != NULL ? dom : "",
	    dom != NULL && *addrs != '\0' ? "  " : "");
	if (*addrs != '\0')
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s",
		    addrs);
	if (at == A_NORMAL && slot != COL_NORMAL)
		at = theme_attr(slot);
	else if (at == A_NORMAL && r->kind == NR_BRIDGE)
		at = A_BOLD;
	tui_fill(y, x, w, at);
	tui_draw_text(y, x, w, line, at);
	free(addrs);
}

/* A bridge that domains name and which does not exist. */
static void
nv_draw_missing(int y, int x, int w, const struct net_row *r, attr_t at)
{
	json_t		*m, *by;
	char		*who = NULL, *next, line[512];
	size_t		 i, k;

	json_array_foreach(json_object_get(nv.doc, "missing_bridges"), i, m) {
		if (strcmp(json_string_value(json_object_get(m, "bridge")),
		    r->name) != 0)
			continue;
		json_array_foreach(json_object_get(m, "named_by"), k, by) {
			xasprintf(&next, "%s%s%s", who != NULL ? who : "",
			    who != NULL ? ", " : "", json_string_value(by));
			free(who);
			who = next;
		}
	}
	snprintf(line, sizeof line, " %-17s MISSING: named by %s; w: the "
	    "bridge wizard makes it", r->name, who != NULL ? who : "?");
	if (at == A_NORMAL)
		at = theme_attr(COL_ERROR);
	tui_fill(y, x, w, at);
	tui_draw_text(y, x, w, line, at);
	free(who);
}

/* The trial's line: time left and the keys, or how the last one ended. */
static int
nv_draw_trial(int y, int x, int w)
{
	json_t		*t = json_object_get(nv.doc, "trial");
	char		 line[512];
	long		 left;

	if (t == NULL)
		return (0);
	if (json_is_true(json_object_get(t, "pending"))) {
		left = (long)json_integer_value(json_object_get(t,
		    "deadline")) - (long)time(NULL);
		snprintf(line, sizeof line, " %s on %s is on trial: C keeps "
		    "it, R rolls back now; without C the old network comes "
		    "back in %ld s", json_string_value(json_object_get(t,
		    "bridge")), json_string_value(json_object_get(t, "nic")),
		    left > 0 ? left : 0);
		tui_fill(y, x, w, theme_attr(COL_WARNING));
		tui_draw_text(y, x, w, line, theme_attr(COL_WARNING));
		return (1);
	}
	if (time(NULL) - json_integer_value(json_object_get(t, "ended")) >
	    600)
		return (0);
	snprintf(line, sizeof line, " last bridge change: %s",
	    json_string_value(json_object_get(t, "result")) != NULL ?
	    json_string_value(json_object_get(t, "result")) :
	    json_string_value(json_object_get(t, "state")));
	tui_draw_text(y, x, w, line, theme_attr(COL_DIM));
	return (1);
}

static void
nv_draw(int y, int x, int h, int w)
{
	const struct net_route	*r;
	char			 line[512];
	int			 row = y + 1, i, body;
	size_t			 k;
	attr_t			 at;

	tui_fill(y, x, w, theme_attr(COL_HEADER));
	tui_draw_text(y, x, w, " Network: bridges, ports, guests' vifs, "
	    "addresses, routes", theme_attr(COL_HEADER));
	snprintf(line, sizeof line, "w bridge wizard  A apply  C confirm  R "
	    "roll back  r read again ");
	if ((int)strlen(line) < w - 60)
		tui_draw_text(y, x + w - (int)strlen(line), strlen(line), line,
		    theme_attr(COL_HEADER));
	if (!nv.have) {
		tui_draw_text(y + 2, x + 1, w - 2, nv.error != NULL ?
		    nv.error : "reading the network...", nv.error != NULL ?
		    theme_attr(COL_ERROR) : theme_attr(COL_DIM));
		return;
	}
	row += nv_draw_trial(row, x, w);
	snprintf(line, sizeof line, " %-17s %-8s %-8s %9s %9s  %s", "NAME",
	    "KIND", "LINK", "RX", "TX", "DOMAIN / ADDRESSES");
	tui_draw_text(row++, x, w, line, theme_attr(COL_KEY));
	/* The routes take the last lines. */
	body = y + h - row - (int)nv.nf.nroutes - 1 -
	    (nv.nf.ssh_client != NULL ? 1 : 0) - (nv.error != NULL ? 1 : 0);
	if (body < 1)
		body = 1;
	if ((int)nv.cur < nv.top)
		nv.top = nv.cur;
	if ((int)nv.cur >= nv.top + body)
		nv.top = nv.cur - body + 1;
	if (nv.nrows == 0)
		tui_draw_text(row, x + 1, w - 2, "no interfaces", A_NORMAL);
	for (i = 0; i < body && nv.top + i < (int)nv.nrows; i++) {
		const struct net_row *nr = &nv.rows[nv.top + i];

		at = (size_t)(nv.top + i) == nv.cur ?
		    theme_attr(COL_SELECTED) : A_NORMAL;
		if (nr->kind == NR_MISSING)
			nv_draw_missing(row + i, x, w, nr, at);
		else
			nv_draw_link(row + i, x, w, nr, at);
	}
	row = y + h - (int)nv.nf.nroutes - (nv.nf.ssh_client != NULL ? 1 :
	    0) - (nv.error != NULL ? 1 : 0);
	for (k = 0; k < nv.nf.nroutes; k++) {
		r = &nv.nf.routes[k];
		snprintf(line, sizeof line, " default route (IPv%d): %s%s on "
		    "%s", r->family, r->gateway != NULL ? "via " : "on-link",
		    r->gateway != NULL ? r->gateway : "",
		    r->dev != NULL ? r->dev : "?");
		tui_draw_text(row++, x, w, line, theme_attr(COL_DIM));
	}
	if (nv.nf.ssh_client != NULL) {
		snprintf(line, sizeof line, " your SSH session: from %s to %s, "
		    "through %s", nv.nf.ssh_client, nv.nf.ssh_server,
		    nv.nf.ssh_dev != NULL ? nv.nf.ssh_dev : "?");
		tui_draw_text(row++, x, w, line, theme_attr(COL_DIM));
	}
	if (nv.error != NULL)
		tui_draw_text(row, x, w, nv.error, theme_attr(COL_ERROR));
}

/* The bridge and NIC the wizard should get from where the cursor is. */
static void
nv_wizard_target(char **bridge, char **nic)
{
	const struct net_row	*r = nv.cur < nv.nrows ? &nv.rows[nv.cur] :
				    NULL;
	const struct net_link	*l;

	*bridge = *nic = NULL;
	if (r == NULL)
		return;
	switch (r->kind) {
	case NR_BRIDGE:
	case NR_MISSING:
		*bridge = xstrdup(r->name);
		break;
	case NR_PORT:
		if ((l = net_link_find(&nv.nf, r->name)) != NULL) {
			*bridge = xstrdup(l->master);
			if (!net_is_vif(r->name))
				*nic = xstrdup(r->name);
		}
		break;
	case NR_OTHER:
		if ((l = net_link_find(&nv.nf, r->name)) != NULL &&
		    strcmp(l->kind, "loopback") != 0 && !net_is_vif(l->name))
			*nic = xstrdup(r->name);
		break;
	}
}

static void
nv_plan_done(struct job *j, void *arg)
{
	const char	*out = job_stdout(j, NULL);
	char		*title;

	title = xprintf("bridge wizard: %s%s%s (A applies it)",
	    nv.wiz_bridge != NULL ? nv.wiz_bridge : XLCFG_DEFAULT_BRIDGE,
	    nv.wiz_nic != NULL ? " on " : "", nv.wiz_nic != NULL ?
	    nv.wiz_nic : "");
	if (job_state(j) != JOB_DONE) {
		tui_status(COL_ERROR, "bridge wizard: %s", job_error(j) !=
		    NULL ? job_error(j) : "failed");
		free(nv.wiz_bridge);
		free(nv.wiz_nic);
		nv.wiz_bridge = nv.wiz_nic = NULL;
	} else
		pager_show(title, out != NULL ? out : "");
	free(title);
	tui.redraw = 1;
}

/* The wizard's argv: xendeck wizard bridge --set ... [extra]. */
static char **
nv_wizard_argv(const char *extra)
{
	char	**argv = NULL, *kv;

	strv_push(&argv, "xendeck");
	strv_push(&argv, "wizard");
	strv_push(&argv, "bridge");
	if (nv.wiz_bridge != NULL) {
		kv = xprintf("bridge=%s", nv.wiz_bridge);
		strv_push(&argv, "--set");
		strv_push(&argv, kv);
		free(kv);
	}
	if (nv.wiz_nic != NULL) {
		kv = xprintf("nic=%s", nv.wiz_nic);
		strv_push(&argv, "--set");
		strv_push(&argv, kv);
		free(kv);
	}
	if (extra != NULL)
		strv_push(&argv, extra);
	return (argv);
}

static int
nv_key_wizard(void)
{
	char		**argv, *cause = NULL;

	free(nv.wiz_bridge);
	free(nv.wiz_nic);
	nv_wizard_target(&nv.wiz_bridge, &nv.wiz_nic);
	argv = nv_wizard_argv(NULL);
	if (job_run("bridge wizard plan", argv, JOB_QUIET, NULL, nv_plan_done,
	    NULL, &cause) == NULL) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
	} else
		tui_status(COL_STATUS, "planning the bridge wizard...");
	strv_free(argv);
	return (VIEW_REDRAW);
}

/* A listed job: the job line shows it, its end is reported. */
static void
nv_job(const char *name, char **argv)
{
	char	*cause = NULL;

	if (job_run(name, argv, 0, NULL, NULL, NULL, &cause) == NULL) {
		tui_status(COL_ERROR, "%s", cause);
		free(cause);
	}
	nv.when = 0;	/* read again soon */
}

static void
nv_apply_answered(const char *answer, void *arg)
{
	char	**argv;

	if (answer == NULL || (strcasecmp(answer, "y") != 0 &&
	    strcasecmp(answer, "yes") != 0))
		return;
	argv = nv_wizard_argv("--apply");
	nv_job("bridge wizard: apply", argv);
	strv_free(argv);
}

static int
nv_key_apply(void)
{
	char	*q;

	if (tui.ctx->read_only) {
		tui_status(COL_ERROR, "bridge wizard: refused in read-only "
		    "mode");
		return (VIEW_REDRAW);
	}
	if (nv.wiz_bridge == NULL && nv.wiz_nic == NULL) {
		tui_status(COL_ERROR, "b first: it shows the plan A applies");
		return (VIEW_REDRAW);
	}
	q = xprintf("Apply the bridge wizard (%s%s%s): the NIC goes down and "
	    "the bridge comes up on trial. (y/n) ", nv.wiz_bridge != NULL ?
	    nv.wiz_bridge : XLCFG_DEFAULT_BRIDGE, nv.wiz_nic != NULL ?
	    " on " : "", nv.wiz_nic != NULL ? nv.wiz_nic : "");
	prompt_begin(PROMPT_PLAIN, q, NULL, nv_apply_answered, NULL, NULL);
	free(q);
	return (VIEW_REDRAW);
}

static int
nv_trial_pending(void)
{
	json_t	*t = json_object_get(nv.doc, "trial");

	return (t != NULL && json_is_true(json_object_get(t, "pending")));
}

static int
nv_key_confirm(void)
{
	char	*argv[] = { "xendeck", "wizard", "bridge", "--confirm", NULL };

	if (!nv_trial_pending()) {
		tui_status(COL_ERROR, "no bridge change is on trial");
		return (VIEW_REDRAW);
	}
	nv_job("bridge: confirm", argv);
	return (VIEW_REDRAW);
}

static void
nv_rollback_answered(const char *answer, void *arg)
{
	char	*argv[] = { "xendeck", "wizard", "bridge", "--rollback", NULL };

	if (answer != NULL && (strcasecmp(answer, "y") == 0 ||
	    strcasecmp(answer, "yes") == 0))
		nv_job("bridge: roll back", argv);
}

static int
nv_key_rollback(void)
{
	if (!nv_trial_pending()) {
		tui_status(COL_ERROR, "no bridge change is on trial");
		return (VIEW_REDRAW);
	}
	prompt_begin(PROMPT_PLAIN, "Roll the bridge change back now? (y/n) ",
	    NULL, nv_rollback_answered, NULL, NULL);
	return (VIEW_REDRAW);
}

static int
nv_key_refresh(void)
{
	nv_refresh();
	return (VIEW_REDRAW);
}

static int
nv_key(int ch)
{
	switch (ch) {
	case 'j':
	case KEY_DOWN:
		if (nv.cur + 1 < nv.nrows)
			nv.cur++;
		return (VIEW_REDRAW);
	case 'k':
	case KEY_UP:
		if (nv.cur > 0)
			nv.cur--;
		return (VIEW_REDRAW);
	}
	return (view_key_dispatch(network_keys, ch));
}

const struct view_ops view_network_ops = {
	.name = "network",
	.title = "Network",
	.hotkey = '6',
	.keys = network_keys,
	.free = nv_free,
	.update = nv_update,
	.draw = nv_draw,
	.key = nv_key,
	.enter = nv_enter,
};
