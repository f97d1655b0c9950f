/*
 * autostart: the domains that follow the host, as Xen's xendomains does it
 * on a dom0. Their configs are in /etc/xen/auto (autostart.c); `add` and
 * `remove` manage xendeck's links there; `start` and `stop` are what
 * xendeck-domains.service runs at boot and at shutdown on the embedded
 * default (QEMU). On a Xen dom0 those two do nothing and say so: Debian's
 * xendomains.service starts and stops the same domains there.
 *
 * stop presses every running domain's power button at once (ACPI), waits
 * for them to go (or be shut down, on_poweroff="preserve") up to the
 * timeout, then destroys what is left. Each step is a line on stdout (the
 * journal, under systemd) and in the log.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "console.h"

#define AUTOSTART_TIMEOUT	120	/* seconds, XENDECK_SHUTDOWN_TIMEOUT */
#define AUTOSTART_POLL_MS	500

static int	cmd_autostart_exec(struct cmd_ctx *, int, char **);

static const struct option autostart_longopts[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_autostart_entry = {
	.name = "autostart",
	.usage = "list|add|remove|start|stop [DOMAIN|FILE] [--json] "
	    "[--timeout SECS]",
	.summary = "the domains started with the host and shut down with it",
	.help =
	    "The domains whose xl.cfg files are in /etc/xen/auto start with\n"
	    "the host and shut down cleanly with it, as Xen's xendomains does\n"
	    "on a dom0. On the embedded default (QEMU), xendeck-domains.service\n"
	    "runs `autostart start` at boot and `autostart stop` at shutdown;\n"
	    "on a Xen dom0 those leave the work to Debian's xendomains.\n"
	    "\n"
	    "  list            the configs in /etc/xen/auto: the domain,\n"
	    "                  whether it runs, the file and who made it (the\n"
	    "                  default)\n"
	    "  add DOMAIN      start DOMAIN with the host: a link to its\n"
	    "                  config (the file in /etc/xen whose name= is\n"
	    "                  DOMAIN)\n"
	    "  add FILE        the same for the domain FILE describes\n"
	    "  remove DOMAIN   stop starting it: only a link xendeck made is\n"
	    "                  removed, never a file put there by hand\n"
	    "  start           create every domain in /etc/xen/auto that does\n"
	    "                  not run yet, in the order of their file names\n"
	    "  stop            ask every running domain to shut down (ACPI\n"
	    "                  power button), wait for them up to --timeout,\n"
	    "                  then destroy what is left\n"
	    "  --json          list: one JSON array instead\n"
	    "  --timeout SECS  stop: how long the domains get (default\n"
	    "                  $XENDECK_SHUTDOWN_TIMEOUT, else 120)\n"
	    "\n"
	    "$XENDECK_XEN_DIR replaces /etc/xen. Exit status: 0 done (add:\n"
	    "also when it was there already), 1 refused or failed (the error\n"
	    "says which domain and why), 2 usage.\n",
	.flags = CMD_JOB,
	.exec = cmd_autostart_exec,
	.longopts = autostart_longopts,
};

/* Seconds, 0 to a day; -1 when S is not that. */
static int
seconds(const char *s)
{
	char	*end;
	long	 v;

	if (*s == '\0' || !all_digits(s))
		return (-1);
	v = strtol(s, &end, 10);
	return (*end != '\0' || v > 86400 ? -1 : (int)v);
}

/* A step, for the journal (stdout) and the log. */
static void printflike(2, 3)
say(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	fprintf(ctx->out, "%s\n", line);
	fflush(ctx->out);
	log_info("autostart: %s", line);
	free(line);
}

/*
 * On a Xen dom0, Debian's xendomains starts and stops the domains in
 * /etc/xen/auto: start and stop leave it alone.
 */
static int
xendomains_host(struct cmd_ctx *ctx, const char *what)
{
	struct host_xen	 x;
	int		 dom0;

	memset(&x, 0, sizeof x);
	host_xen_probe(&x);
	dom0 = x.dom0;
	host_xen_free(&x);
	if (dom0)
		say(ctx, "this host is a Xen dom0: Debian's xendomains %s the "
		    "domains in %s/auto (xendomains.service); xendeck leaves "
		    "it to it", what, xen_config_dir());
	return (dom0);
}

/* A domain by name in a list, or NULL. */
static const struct dom_info *
dom_by_name(const struct dom_info *doms, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(doms[i].name, name) == 0)
			return (&doms[i]);
	}
	return (NULL);
}

static int
autostart_list_cmd(struct cmd_ctx *ctx, int json)
{
	const struct backend_ops	*be;
	struct autostart		*v = NULL;
	struct dom_info			*doms = NULL;
	const struct dom_info		*d;
	char				*cause = NULL, *s, st[7];
	size_t				 n = 0, nd = 0, i;
	json_t				*a, *o;

	if (autostart_list(&v, &n, &cause) != 0) {
		cmd_error(ctx, "autostart: %s", cause);
		free(cause);
		return (1);
	}
	/* Whether each runs, where a backend can say. */
	if ((be = cmd_backend(ctx)) != NULL &&
	    be->list(&doms, &nd, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		cause = NULL;
	}
	if (json) {
		a = json_array();
		for (i = 0; i < n; i++) {
			d = v[i].name != NULL ? dom_by_name(doms, nd,
			    v[i].name) : NULL;
			o = json_pack("{s:o, s:s, s:o, s:b, s:o, s:o}",
			    "name", v[i].name != NULL ?
			    json_string(v[i].name) : json_null(),
			    "path", v[i].path,
			    "target", v[i].target != NULL ?
			    json_string(v[i].target) : json_null(),
			    "xendeck", v[i].ours,
			    "state", d != NULL ? json_string(
			    dom_state_string(d->state, st)) : json_null(),
			    "error", v[i].error != NULL ?
			    json_string(v[i].error) : json_null());
			json_array_append_new(a, o);
		}
		s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(ctx->out, "%s\n", s);
		free(s);
		json_decref(a);
	} else if (n == 0) {
		s = autostart_dir();
		fprintf(ctx->out, "No domain starts with the host (%s is "
		    "empty).\n", s);
		free(s);
	} else {
		fprintf(ctx->out, "%-20s %-8s %-8s %s\n", "Name", "State",
		    "Made by", "Config");
		for (i = 0; i < n; i++) {
			d = v[i].name != NULL ? dom_by_name(doms, nd,
			    v[i].name) : NULL;
			fprintf(ctx->out, "%-20s %-8s %-8s %s%s%s\n",
			    v[i].name != NULL ? v[i].name : "?",
			    d != NULL ? dom_state_string(d->state, st) : "-",
			    v[i].ours ? "xendeck" : "hand", v[i].path,
			    v[i].target != NULL ? " -> " : "",
			    v[i].target != NULL ? v[i].target : "");
			if (v[i].error != NULL)
				fprintf(ctx->out, "  %s\n", v[i].error);
		}
	}
	free(doms);
	autostart_list_free(v, n);
	return (0);
}

static int
autostart_add_cmd(struct cmd_ctx *ctx, const char *what)
{
	char	*cfg = NULL, *name = NULL, *cause = NULL;
	int	 rc;

	/* A domain's name, or a file. */
	if (strchr(what, '/') == NULL && access(what, F_OK) != 0) {
		if (!valid_name(what)) {
			cmd_error(ctx, "autostart add: %s: neither a domain "
			    "name nor a file", what);
			return (2);
		}
		if ((cfg = autostart_find_config(what)) == NULL) {
			cmd_error(ctx, "autostart add: no config in %s names "
			    "%s: give its file (xendeck autostart add FILE)",
			    xen_config_dir(), what);
			return (1);
		}
		what = cfg;
	}
	rc = autostart_add(what, &name, &cause);
	if (rc < 0)
		cmd_error(ctx, "autostart add: %s", cause);
	else
		fprintf(ctx->out, "%s %s with the host (%s)\n", name,
		    rc == 1 ? "starts already" : "now starts", what);
	free(cause);
	free(name);
	free(cfg);
	return (rc < 0 ? 1 : 0);
}

static int
autostart_remove_cmd(struct cmd_ctx *ctx, const char *name)
{
	char	*cause = NULL;

	if (autostart_remove(name, &cause) != 0) {
		cmd_error(ctx, "autostart remove: %s", cause);
		free(cause);
		return (1);
	}
	fprintf(ctx->out, "%s no longer starts with the host\n", name);
	return (0);
}

/* At boot: create what is in the auto dir and does not run yet. */
static int
autostart_start_cmd(struct cmd_ctx *ctx)
{
	const struct backend_ops	*be;
	struct autostart		*v = NULL;
	struct dom_info			*doms = NULL;
	struct xlcfg			*cfg = NULL;
	char				*cause = NULL, *dir;
	size_t				 n = 0, nd = 0, i, started = 0;
	int				 domid, rc = 0;

	if (xendomains_host(ctx, "starts"))
		return (0);
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	if (autostart_list(&v, &n, &cause) != 0) {
		cmd_error(ctx, "autostart: %s", cause);
		free(cause);
		return (1);
	}
	dir = autostart_dir();
	say(ctx, "starting the domains in %s (%zu config%s)", dir, n,
	    n == 1 ? "" : "s");
	free(dir);
	if (be->list(&doms, &nd, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < n; i++) {
		if (v[i].error != NULL) {
			say(ctx, "%s: not started: %s", v[i].path, v[i].error);
			rc = 1;
			continue;
		}
		if (dom_by_name(doms, nd, v[i].name) != NULL) {
			say(ctx, "%s: runs already", v[i].name);
			continue;
		}
		say(ctx, "%s: creating it from %s", v[i].name, v[i].path);
		if (xlcfg_load(v[i].path, &cfg, &cause) != 0 ||
		    be->create(cfg, 0, &domid, &cause) != 0) {
			say(ctx, "%s: not started: %s", v[i].name, cause);
			free(cause);
			cause = NULL;
			rc = 1;
		} else {
			say(ctx, "%s: started (domain %d)", v[i].name, domid);
			started++;
		}
		xlcfg_free(cfg);
		cfg = NULL;
	}
	say(ctx, "%zu domain%s started%s", started, started == 1 ? "" : "s",
	    rc != 0 ? ", some failed (above)" : "");
	free(doms);
	autostart_list_free(v, n);
	return (rc);
}

/* One domain being shut down. */
struct stopping {
	char	 name[NAME_MAX_LEN + 1];
	int	 domid;
	int	 done;
};

/* Whether a domain is gone, or has shut down (or crashed) and stays. */
static int
stop_ended(const struct dom_info *doms, size_t nd, const struct stopping *s)
{
	const struct dom_info	*d = dom_by_name(doms, nd, s->name);

	return (d == NULL || d->domid != s->domid ||
	    (d->state & (DOM_SHUTDOWN | DOM_CRASHED | DOM_DYING)));
}

/* At shutdown: every domain asked, waited for, and the rest destroyed. */
static int
autostart_stop_cmd(struct cmd_ctx *ctx, int timeout)
{
	const struct backend_ops	*be;
	struct dom_info			*doms = NULL;
	struct stopping			*s = NULL;
	char				*cause = NULL, id[16];
	size_t				 nd = 0, ns = 0, i, left;
	uint64_t			 start, now;
	int				 rc = 0;

	if (xendomains_host(ctx, "shuts down"))
		return (0);
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);
	if (be->list(&doms, &nd, &cause) != 0) {
		cmd_error(ctx, "autostart stop: %s", cause);
		free(cause);
		return (1);
	}
	for (i = 0; i < nd; i++) {
		if (doms[i].domid == 0 || (doms[i].state &
		    (DOM_SHUTDOWN | DOM_CRASHED | DOM_DYING)))
			continue;
		s = xreallocarray(s, ns + 1, sizeof *s);
		memset(&s[ns], 0, sizeof s[ns]);
		snprintf(s[ns].name, sizeof s[ns].name, "%s", doms[i].name);
		s[ns].domid = doms[i].domid;
		if (doms[i].state & DOM_PAUSED) {
			say(ctx, "%s: paused: unpausing it, so that it can "
			    "shut down", s[ns].name);
			snprintf(id, sizeof id, "%d", s[ns].domid);
			if (be->unpause(id, &cause) != 0) {
				say(ctx, "%s: %s", s[ns].name, cause);
				free(cause);
				cause = NULL;
			}
		}
		ns++;
	}
	free(doms);
	doms = NULL;
	say(ctx, "shutting down %zu domain%s (up to %d s, then destroying "
	    "what is left)", ns, ns == 1 ? "" : "s", timeout);
	for (i = 0; i < ns; i++) {
		snprintf(id, sizeof id, "%d", s[i].domid);
		say(ctx, "%s: pressing its power button (ACPI)", s[i].name);
		if (be->shutdown(id, 0, &cause) != 0) {
			say(ctx, "%s: %s", s[i].name, cause);
			free(cause);
			cause = NULL;
		}
	}
	start = mono_ms();
	for (left = ns; left > 0;) {
		now = mono_ms();
		if (be->list(&doms, &nd, &cause) != 0) {
			say(ctx, "cannot list the domains: %s", cause);
			free(cause);
			cause = NULL;
			nd = 0;
		}
		for (i = 0; i < ns; i++) {
			if (s[i].done || !stop_ended(doms, nd, &s[i]))
				continue;
			s[i].done = 1;
			left--;
			say(ctx, "%s: shut down after %.1f s", s[i].name,
			    (double)(now - start) / 1000);
		}
		free(doms);
		doms = NULL;
		if (left == 0 || now - start >= (uint64_t)timeout * 1000)
			break;
		usleep(AUTOSTART_POLL_MS * 1000);
	}
	for (i = 0; i < ns; i++) {
		if (s[i].done)
			continue;
		say(ctx, "%s: still running after %d s: destroying it",
		    s[i].name, timeout);
		snprintf(id, sizeof id, "%d", s[i].domid);
		if (be->destroy(id, &cause) != 0) {
			say(ctx, "%s: not destroyed: %s", s[i].name, cause);
			free(cause);
			cause = NULL;
			rc = 1;
		} else
			say(ctx, "%s: destroyed", s[i].name);
	}
	say(ctx, "%s", rc == 0 ? "every domain has stopped" :
	    "some domains could not be stopped (above)");
	free(s);
	return (rc);
}

static int
cmd_autostart_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*sub, *env;
	int		 ch, json = 0, timeout = -1;

	while ((ch = getopt_long(argc, argv, "", autostart_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 't':
			if ((timeout = seconds(optarg)) == -1) {
				cmd_error(ctx, "autostart: --timeout %s: not a "
				    "number of seconds (0 to 86400)", optarg);
				return (2);
			}
			break;
		default:
			return (cmd_usage(ctx, &cmd_autostart_entry));
		}
	}
	argc -= optind;
	argv += optind;
	sub = argc > 0 ? argv[0] : "list";
	if (strcmp(sub, "list") == 0 && argc <= 1)
		return (autostart_list_cmd(ctx, json));
	if (json)
		return (cmd_usage(ctx, &cmd_autostart_entry));
	if ((strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0) &&
	    argc != 2)
		return (cmd_usage(ctx, &cmd_autostart_entry));
	if ((strcmp(sub, "start") == 0 || strcmp(sub, "stop") == 0) &&
	    argc != 1)
		return (cmd_usage(ctx, &cmd_autostart_entry));
	if (timeout != -1 && strcmp(sub, "stop") != 0)
		return (cmd_usage(ctx, &cmd_autostart_entry));
	if (ctx->read_only && strcmp(sub, "list") != 0) {
		cmd_error(ctx, "autostart %s: refused in read-only mode", sub);
		return (1);
	}
	if (strcmp(sub, "add") == 0)
		return (autostart_add_cmd(ctx, argv[1]));
	if (strcmp(sub, "remove") == 0)
		return (autostart_remove_cmd(ctx, argv[1]));
	if (strcmp(sub, "start") == 0)
		return (autostart_start_cmd(ctx));
	if (strcmp(sub, "stop") == 0) {
		if (timeout == -1 &&
		    (env = getenv("XENDECK_SHUTDOWN_TIMEOUT")) != NULL &&
		    *env != '\0') {
			if ((timeout = seconds(env)) == -1) {
				cmd_error(ctx, "autostart stop: "
				    "XENDECK_SHUTDOWN_TIMEOUT=%s: not a number of "
				    "seconds (0 to 86400)", env);
				return (2);
			}
		}
		return (autostart_stop_cmd(ctx, timeout == -1 ?
		    AUTOSTART_TIMEOUT : timeout));
	}
	return (cmd_usage(ctx, &cmd_autostart_entry));
}
