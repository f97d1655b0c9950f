/*
 * Choosing a backend: by name (--backend), or the first in the table whose
 * probe says it can run here (the xl backend on a Xen dom0, else QEMU).
 * And what every backend says alike: which name is the host (Domain-0).
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

/*
 * In order of preference: xl first, so that it wins on a Xen dom0 (its
 * probe fails everywhere else, and says why when asked for by name).
 */
static const struct backend_ops *backends[] = {
	&backend_xl_ops,
	&backend_qemu_ops,
	NULL
};

const struct backend_ops *
backend_find(const char *name, char **cause)
{
	const struct backend_ops	**b;
	char				 *why = NULL;

	for (b = backends; *b != NULL; b++) {
		if (strcmp((*b)->name, name) != 0)
			continue;
		if ((*b)->probe(&why) != 0) {
			*cause = xprintf("backend %s: %s", name, why);
			free(why);
			return (NULL);
		}
		return (*b);
	}
	*cause = xprintf("unknown backend: %s", name);
	return (NULL);
}

const struct backend_ops *
backend_default(char **cause)
{
	const struct backend_ops	**b;
	char				 *why = NULL, *last = NULL;

	for (b = backends; *b != NULL; b++) {
		if ((*b)->probe(&why) == 0) {
			free(last);
			return (*b);
		}
		log_debug("backend %s: %s", (*b)->name, why);
		free(last);
		last = why;
		why = NULL;
	}
	/* The last one in the table (QEMU) says best what is missing. */
	if (last != NULL)
		*cause = xprintf("no backend can run here: %s", last);
	else
		*cause = xstrdup("no backend can run here (is "
		    "qemu-system-x86_64 installed?)");
	free(last);
	return (NULL);
}

void
dom_stats_free(struct dom_stats *s, size_t n)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(s[i].vifs);
		free(s[i].vbds);
		free(s[i].vcpu);
	}
	free(s);
}

void
vnc_endpoint_free(struct vnc_endpoint *v)
{
	if (v == NULL)
		return;
	free(v->unix_path);
	free(v->host);
	free(v->password);
	memset(v, 0, sizeof *v);
}

/*
 * xl list's state column: r b p s c d, '-' where a flag is clear. The
 * fifth column is the shutdown reason as xl prints it: c (crash), or r s w
 * S for reboot, suspend, watchdog and soft reset.
 */
const char *
dom_state_string(int state, char *buf)
{
	static const struct { int flag; char c; } map[] = {
		{ DOM_RUNNING, 'r' }, { DOM_BLOCKED, 'b' },
		{ DOM_PAUSED, 'p' }, { DOM_SHUTDOWN, 's' },
		{ DOM_CRASHED, 'c' }, { DOM_DYING, 'd' },
	};
	static const struct { int flag; char c; } reason[] = {
		{ DOM_REASON_REBOOT, 'r' }, { DOM_REASON_SUSPEND, 's' },
		{ DOM_REASON_WATCHDOG, 'w' }, { DOM_REASON_SOFTRESET, 'S' },
	};
	size_t	 i, j;

	for (i = 0; i < nitems(map); i++) {
		buf[i] = (state & map[i].flag) ? map[i].c : '-';
		if (map[i].flag != DOM_CRASHED || buf[i] != '-')
			continue;
		for (j = 0; j < nitems(reason); j++) {
			if (state & reason[j].flag)
				buf[i] = reason[j].c;
		}
	}
	buf[i] = '\0';
	return (buf);
}

/* Whether a domain operand names the host: "Domain-0" or domid 0. */
int
backend_is_dom0(const char *which)
{
	if (strcmp(which, "Domain-0") == 0)
		return (1);
	return (all_digits(which) && strtol(which, NULL, 10) == 0);
}

/*
 * The one way Domain-0's refusal is said (the command table's policy in
 * cmd_exec; the backends' own guards for callers that come straight to
 * them). WHAT is the action ("destroy"), or NULL.
 */
char *
backend_dom0_refused(const char *what)
{
	if (what == NULL)
		return (xstrdup("Domain-0 is the host itself, not a guest"));
	return (xprintf("Domain-0 is the host itself, not a guest: %s "
	    "refused", what));
}
