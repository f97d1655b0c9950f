/*
 * xen-install: the guide's "Installing Xen" step, as it is right on
 * Debian 12.
 *
 * The guide installs xen-linux-system (and xen-qemu-dm), diverts GRUB's
 * 20_linux_xen to 08_linux_xen so the Xen entry comes first, runs
 * update-grub and edits /etc/xen/xend-config.sxp. On Debian 12:
 * xen-system-amd64 installs the hypervisor and the tools (Debian's own
 * kernel is the dom0 kernel), qemu-system-xen is HVM guests' device model;
 * xen-hypervisor-common's /etc/default/grub.d/xen.cfg already makes the Xen
 * entry GRUB's default (unless XEN_OVERRIDE_GRUB_DEFAULT says otherwise),
 * so the divert is needed only where that is switched off; xend is gone
 * (since Xen 4.5) and with it xend-config.sxp: xl has no network script,
 * the bridge lives in /etc/network/interfaces (the bridge wizard).
 *
 * The plan: finish an interrupted dpkg run (normally nothing), write dom0's
 * size (dom0_mem, dom0_max_vcpus) into GRUB_CMDLINE_XEN_DEFAULT where it is
 * set (else /etc/default/grub), divert if that is the way chosen, install
 * the packages (their postinst runs update-grub, which then already sees
 * the new command line), run update-grub unless grub.cfg is right already,
 * and check from /boot/grub/grub.cfg that its default entry is Xen's with
 * those options. Every step has a probe, so a second run does nothing and
 * says so. The reboot is the user's; host-check then confirms Xen runs.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "wizards.h"

#define XI_DIVERT_FROM	"/etc/grub.d/20_linux_xen"
#define XI_DIVERT_TO	"/etc/grub.d/08_linux_xen"
#define XI_XEN_CFG	"/etc/default/grub.d/xen.cfg"
#define XI_CMDLINE	"GRUB_CMDLINE_XEN_DEFAULT"

static const char *const xi_yesno[] = { "yes", "no", NULL };
static const char *const xi_grub_ways[] = { "auto", "xen-cfg", "divert",
	NULL };

/* Everything the plan is made from, read once per plan. */
struct xi_facts {
	const char		*root;		/* "" or --root */
	struct grub_defaults	 defs;
	const struct grub_assign *cmdline;	/* GRUB_CMDLINE_XEN_DEFAULT */
	/* XEN_OVERRIDE_GRUB_DEFAULT's last assignment outside an if. */
	const struct grub_assign *override;
	struct grub_divert	*diverts;
	size_t			 ndiverts;
	int			 diverted;	/* 20_linux_xen -> 08_ */
	struct grub_boot	 boot;
	int			 have_boot;
	struct pkg		*pkgs;		/* XI_PKGS, in order */
	struct host_xen		 xen;
	int			 audit_clean;
	uint64_t		 mib;
	int			 cpus;
	const char		*size_from;
};

/* The packages the plan reads the state of. */
static char *xi_pkgs[] = { "xen-system-amd64", "qemu-system-xen",
	"xen-hypervisor-common", NULL };

static void
xi_facts_free(struct xi_facts *f)
{
	grub_defaults_free(&f->defs);
	grub_diversions_free(f->diverts, f->ndiverts);
	grub_boot_free(&f->boot);
	pkg_list_free(f->pkgs, nitems(xi_pkgs) - 1);
	host_xen_free(&f->xen);
	memset(f, 0, sizeof *f);
}

/* Run ARGV (no root dir: read only) and keep its stdout. */
static int
xi_output(char *const *argv, char **out, char **cause)
{
	struct spawn_result	 res = { 0 };

	*out = NULL;
	if (spawn_run(argv, NULL, SPAWN_STDOUT, &res, cause) != 0) {
		spawn_result_free(&res);
		return (-1);
	}
	*out = res.out != NULL ? res.out : xstrdup("");
	res.out = NULL;
	spawn_result_free(&res);
	return (0);
}

static int
xi_read_facts(const struct wiz_ctx *ctx, struct xi_facts *f, char **cause)
{
	char	*divlist[] = { "dpkg-divert", "--list", "*20_linux_xen",
		    NULL };
	char	*audit[] = { "dpkg", "--audit", NULL };
	char	*out = NULL, *c = NULL;
	size_t	 i;

	memset(f, 0, sizeof *f);
	f->root = ctx->root != NULL ? ctx->root : "";
	if (grub_defaults_load(f->root, &f->defs, cause) != 0)
		return (-1);
	f->cmdline = grub_defaults_last(&f->defs, XI_CMDLINE, 1);
	f->override = grub_defaults_last(&f->defs,
	    "XEN_OVERRIDE_GRUB_DEFAULT", 0);
	if (pkg_query(xi_pkgs, &f->pkgs, cause) != 0)
		return (-1);
	if (*f->root == '\0') {
		if (xi_output(divlist, &out, cause) != 0)
			return (-1);
		if (grub_diversions_parse(out, strlen(out), &f->diverts,
		    &f->ndiverts, cause) != 0) {
			free(out);
			return (-1);
		}
		free(out);
		if (xi_output(audit, &out, cause) != 0)
			return (-1);
		f->audit_clean = strstr(out, "The following packages") == NULL;
		free(out);
	} else
		f->audit_clean = 1;
	for (i = 0; i < f->ndiverts; i++) {
		if (strcmp(f->diverts[i].from, XI_DIVERT_FROM) == 0 &&
		    strcmp(f->diverts[i].to, XI_DIVERT_TO) == 0)
			f->diverted = 1;
	}
	/* No grub.cfg yet (or unreadable) is a fact too, not an error. */
	f->have_boot = grub_boot_read(f->root, &f->boot, &c) == 0;
	free(c);
	host_xen_probe(&f->xen);
	if (dom0_host_size(&f->mib, &f->cpus, &f->size_from, cause) != 0)
		return (-1);
	return (0);
}

static const struct pkg *
xi_pkg(const struct xi_facts *f, const char *name)
{
	size_t	 i;

	for (i = 0; f->pkgs != NULL && xi_pkgs[i] != NULL; i++) {
		if (strcmp(xi_pkgs[i], name) == 0)
			return (&f->pkgs[i]);
	}
	return (NULL);
}

static int
xi_installed(const struct xi_facts *f, const char *name)
{
	const struct pkg *p = xi_pkg(f, name);

	return (p != NULL && p->state == PKG_INSTALLED);
}

/* The word KEY in the current GRUB_CMDLINE_XEN_DEFAULT, or NULL. */
static char *
xi_current(const struct xi_facts *f, const char *key)
{
	if (f->cmdline == NULL)
		return (NULL);
	return (grub_cmdline_get(f->cmdline->value, key));
}

/* ---- fields ------------------------------------------------------------- */

static char *
xi_def_hvm(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("yes"));
}

static char *
xi_def_grub(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)ctx;
	(void)a;
	return (xstrdup("auto"));
}

/* KEY's value in GRUB_CMDLINE_XEN_DEFAULT now, else the advice for KEY. */
static char *
xi_def_cmdline(const struct wiz_ctx *ctx, const char *key)
{
	struct xi_facts	 f;
	char		*cause = NULL, *r = NULL;

	if (xi_read_facts(ctx, &f, &cause) != 0)
		free(cause);
	else if ((r = xi_current(&f, key)) == NULL || *r == '\0') {
		free(r);
		if (strcmp(key, "dom0_mem") == 0)
			xasprintf(&r, "%lluM",
			    (unsigned long long)dom0_mem_advice(f.mib));
		else
			xasprintf(&r, "%d", dom0_vcpus_advice(f.cpus));
	}
	xi_facts_free(&f);
	return (r);
}

static char *
xi_def_mem(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)a;
	return (xi_def_cmdline(ctx, "dom0_mem"));
}

static char *
xi_def_vcpus(const struct wiz_ctx *ctx, const struct wiz_answers *a)
{
	(void)a;
	return (xi_def_cmdline(ctx, "dom0_max_vcpus"));
}

/* A size as Xen reads it: digits and a unit (K, M, G, T; bytes without). */
static int
xi_size(const char *s, const char **end, uint64_t *mib)
{
	uint64_t	 n = 0;

	if (!isdigit((unsigned char)*s))
		return (-1);
	while (isdigit((unsigned char)*s)) {
		if (n > UINT64_MAX / 10 - 10)
			return (-1);
		n = n * 10 + (uint64_t)(*s++ - '0');
	}
	switch (*s) {
	case 'K': case 'k': n /= 1024; s++; break;
	case 'M': case 'm': s++; break;
	case 'G': case 'g': n *= 1024; s++; break;
	case 'T': case 't': n *= 1024 * 1024; s++; break;
	default: n /= 1024 * 1024; break;
	}
	*end = s;
	*mib = n;
	return (0);
}

/*
 * dom0_mem's syntax (xen-command-line): SIZE, or comma-separated
 * [min:|max:]SIZE parts; "none" leaves it to Xen. Pure.
 */
static int
xi_valid_mem(const char *v, char **cause)
{
	const char	*p = v;
	uint64_t	 mib;

	if (strcmp(v, "none") == 0)
		return (0);
	for (;;) {
		if (strncmp(p, "min:", 4) == 0 || strncmp(p, "max:", 4) == 0)
			p += 4;
		if (xi_size(p, &p, &mib) != 0 || mib < 64)
			goto bad;
		if (*p == '\0')
			return (0);
		if (*p++ != ',')
			goto bad;
	}
bad:
	*cause = xprintf("dom0-mem: '%s' is not a dom0_mem value: a size of "
	    "at least 64M such as 1024M or 2G (or 2G,max:2G), or none", v);
	return (-1);
}

/* dom0_max_vcpus: N or MIN-MAX, 1..4096; "none" leaves it. Pure. */
static int
xi_valid_vcpus(const char *v, char **cause)
{
	char		*end;
	unsigned long	 lo, hi;

	if (strcmp(v, "none") == 0)
		return (0);
	if (!isdigit((unsigned char)*v))
		goto bad;
	lo = hi = strtoul(v, &end, 10);
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			goto bad;
		hi = strtoul(end + 1, &end, 10);
	}
	if (*end != '\0' || lo < 1 || hi < lo || hi > 4096)
		goto bad;
	return (0);
bad:
	*cause = xprintf("dom0-vcpus: '%s' is not a dom0_max_vcpus value: a "
	    "number of vCPUs such as 2, a range such as 1-4, or none", v);
	return (-1);
}

static const struct wiz_field xi_fields[] = {
	{ .key = "hvm",
	  .prompt = "Install QEMU for HVM guests (qemu-system-xen)",
	  .explain =
	    "HVM guests (Windows, any OS without Xen's PV drivers) need a\n"
	    "device model: Debian 12's is qemu-system-xen (the guide's\n"
	    "xen-qemu-dm is gone). PV and PVH guests do not need it.",
	  .choices = xi_yesno,
	  .def = xi_def_hvm },
	{ .key = "grub",
	  .prompt = "How GRUB makes Xen the default entry",
	  .explain =
	    "xen-cfg: Debian's own way: xen-hypervisor-common's\n"
	    "/etc/default/grub.d/xen.cfg sets GRUB_DEFAULT to the Xen entry\n"
	    "(unless XEN_OVERRIDE_GRUB_DEFAULT=0). divert: the guide's way,\n"
	    "dpkg-divert renames 20_linux_xen to 08_linux_xen so the Xen\n"
	    "entries come first and GRUB_DEFAULT=0 picks them. auto: xen-cfg,\n"
	    "unless a divert is already there or xen.cfg is switched off.",
	  .flags = WIZ_ADVANCED,
	  .choices = xi_grub_ways,
	  .def = xi_def_grub },
	{ .key = "dom0-mem",
	  .prompt = "dom0's memory (dom0_mem)",
	  .explain =
	    "A fixed size for dom0 (dom0_mem=X,max:X): the rest of the\n"
	    "machine is left for guests, and dom0 never balloons (a kernel\n"
	    "sizes its tables at boot for the memory it sees). The default\n"
	    "is what is set now, else 1 GiB and 5% of the machine, at most\n"
	    "8 GiB and half of a small machine. 'none': Xen's default (dom0\n"
	    "takes all, and gives memory back as guests start).",
	  .flags = WIZ_NUMBER,
	  .def = xi_def_mem,
	  .valid = xi_valid_mem },
	{ .key = "dom0-vcpus",
	  .prompt = "dom0's vCPUs (dom0_max_vcpus)",
	  .explain =
	    "dom0 runs the guests' disk and network backends and their\n"
	    "device models. The default is what is set now, else all CPUs of\n"
	    "a machine with up to 4, 4 up to 16, a quarter beyond (at most\n"
	    "16). 'none': as many as the machine has.",
	  .flags = WIZ_NUMBER,
	  .def = xi_def_vcpus,
	  .valid = xi_valid_vcpus },
	{ .key = NULL }
};

/* ---- facts and plan ----------------------------------------------------- */

static const char *
xi_pkg_fact(const struct xi_facts *f, const char *name, char *buf,
    size_t len)
{
	static const char *const states[] = { "not installed",
				    "installed", "removed (config files left)",
				    "half-installed" };
	const struct pkg	*p = xi_pkg(f, name);

	if (p == NULL)
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%s%s%s", states[p->state],
		    p->version != NULL ? " " : "",
		    p->version != NULL ? p->version : "");
	return (buf);
}

static void
xi_add_facts(struct plan *plan, const struct xi_facts *f)
{
	char	 b[256], *s;

	plan_fact(plan, "package xen-system-amd64", xi_pkg_fact(f,
	    "xen-system-amd64", b, sizeof b), "install");
	plan_fact(plan, "package qemu-system-xen", xi_pkg_fact(f,
	    "qemu-system-xen", b, sizeof b), "install");
	if (f->cmdline != NULL) {
		s = xprintf("\"%s\" (%s:%d)", f->cmdline->value,
		    f->cmdline->file, f->cmdline->line);
		plan_fact(plan, XI_CMDLINE, s, "xen-cmdline");
		free(s);
	} else
		plan_fact(plan, XI_CMDLINE, "not set", "xen-cmdline");
	plan_fact(plan, "diversion of 20_linux_xen", f->diverted ?
	    "to " XI_DIVERT_TO : "none", "divert");
	if (f->have_boot) {
		s = xprintf("%s (%s)", f->boot.title, grub_boot_is_xen(
		    &f->boot) ? "Xen" : "not Xen");
		plan_fact(plan, "grub.cfg default entry", s, "install");
		free(s);
	} else
		plan_fact(plan, "grub.cfg default entry", "no grub.cfg",
		    "install");
	plan_fact(plan, "dpkg", f->audit_clean ? "no interrupted run" :
	    "an interrupted run (dpkg --audit)", "dpkg-configure");
	s = xprintf("%llu MiB, %d CPUs (%s)", (unsigned long long)f->mib,
	    f->cpus, f->size_from);
	plan_fact(plan, "machine", s, NULL);
	free(s);
	plan_fact(plan, "Xen running", f->xen.running ? "yes" : "no", NULL);
}

static int
xi_facts(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct plan *plan, char **cause)
{
	struct xi_facts	 f;
	int		 rc;

	(void)a;
	if ((rc = xi_read_facts(ctx, &f, cause)) == 0)
		xi_add_facts(plan, &f);
	xi_facts_free(&f);
	return (rc);
}

/* Whether grub.cfg's default entry is Xen with the KEY=VALUEs of SETS. */
static int
xi_boot_matches(const struct xi_facts *f, char *const *sets)
{
	char	*key, *want, *got;
	size_t	 i;
	int	 yes = 1;

	if (!f->have_boot || !grub_boot_is_xen(&f->boot))
		return (0);
	for (i = 0; yes && sets != NULL && sets[i] != NULL; i++) {
		key = xstrdup(sets[i][0] == '-' ? sets[i] + 1 : sets[i]);
		if ((want = strchr(key, '=')) != NULL)
			*want++ = '\0';
		got = grub_cmdline_get(f->boot.hv_args, key);
		yes = want == NULL ? got == NULL : got != NULL &&
		    strcmp(got, want) == 0;
		free(got);
		free(key);
	}
	return (yes);
}

/* "1152M" -> "1152M,max:1152M"; given parts are kept as written. */
static char *
xi_mem_value(const char *v)
{
	if (strchr(v, ',') != NULL || strncmp(v, "max:", 4) == 0 ||
	    strncmp(v, "min:", 4) == 0)
		return (xstrdup(v));
	return (xprintf("%s,max:%s", v, v));
}

/* The grub way: auto resolved, with the reason (a note). */
static const char *
xi_grub_way(const struct xi_facts *f, const char *asked, char **why)
{
	if (strcmp(asked, "auto") != 0) {
		*why = NULL;
		return (asked);
	}
	if (f->diverted) {
		*why = xstrdup("GRUB: the guide's diversion of 20_linux_xen to "
		    "08_linux_xen is already there, so the Xen entries come "
		    "first; it stays (xen.cfg would make Xen the default "
		    "too).");
		return ("divert");
	}
	if (f->override != NULL && strcmp(f->override->value, "0") == 0) {
		*why = xprintf("GRUB: XEN_OVERRIDE_GRUB_DEFAULT=0 (%s:%d) "
		    "keeps xen.cfg from making Xen the default, so the "
		    "guide's divert puts the Xen entries first instead.",
		    f->override->file, f->override->line);
		return ("divert");
	}
	*why = xstrdup("GRUB: Debian's /etc/default/grub.d/xen.cfg (from "
	    "xen-hypervisor-common) makes the Xen entry the default; the "
	    "guide's dpkg-divert of 20_linux_xen is not needed, and not "
	    "done: a diversion is a local change every upgrade of "
	    "grub-common must carry (grub=divert does it anyway).");
	return ("xen-cfg");
}

/* The GRUB_CMDLINE_XEN_DEFAULT edit: a file step, or none when no change. */
static int
xi_plan_cmdline(const struct xi_facts *f, struct plan *plan,
    char *const *sets, int *unchanged, char **cause)
{
	struct plan_step	*s;
	struct stat		 st;
	const struct grub_assign *a = f->cmdline;
	char			*path = NULL, *buf = NULL, *after = NULL;
	size_t			 len = 0;
	mode_t			 mode = 0644;
	int			 rc = -1, exists;

	/* Where it is set (last), or Debian's /etc/default/grub. */
	if (a != NULL)
		path = xstrdup(a->file);
	else
		xasprintf(&path, "%s/etc/default/grub", f->root);
	exists = stat(path, &st) == 0;
	if (exists) {
		mode = st.st_mode & 07777;
		if (file_read(path, &buf, &len, cause) != 0)
			goto out;
	} else
		buf = xstrdup("");
	after = grub_defaults_edit(path, buf, len,
	    a != NULL && !a->conditional ? a : NULL, XI_CMDLINE, sets,
	    a == NULL ? "Xen's command line: dom0's size (xendeck wizard "
	    "xen-install)" : NULL, a != NULL, cause);
	if (after == NULL)
		goto out;
	*unchanged = exists && strlen(after) == len &&
	    memcmp(after, buf, len) == 0;
	s = plan_add_file(plan, "xen-cmdline", "Set dom0's size in "
	    XI_CMDLINE, path, after, strlen(after), mode, cause);
	if (s == NULL)
		goto out;
	plan_step_explain(s, "The guide boots Xen with GRUB's defaults; "
	    "Debian's xen.cfg asks for dom0_mem in %s. %s gets it %s (the "
	    "other lines stay), and update-grub puts it on Xen's line.",
	    XI_CMDLINE, path, a == NULL ? "as a new line" : a->conditional ||
	    !grub_assign_editable(a) ? "as a new line building on the old "
	    "value" : "in place");
	rc = 0;
out:
	free(path);
	free(buf);
	free(after);
	return (rc);
}

static int
xi_plan(const struct wiz_ctx *ctx, const struct wiz_answers *ans,
    struct plan *plan, char **cause)
{
	struct xi_facts		 f;
	struct plan_step	*s;
	struct pkg_change	*chg = NULL;
	size_t			 nchg = 0, i;
	const char		*hvm = wiz_get(ans, "hvm");
	const char		*mem = wiz_get(ans, "dom0-mem");
	const char		*vcpus = wiz_get(ans, "dom0-vcpus");
	const char		*way;
	char			*why = NULL, **sets = NULL, **pkgs = NULL;
	char			**argv = NULL, **undo = NULL, *w;
	char			*list = NULL;
	char			*probe_fmt = NULL, *match = NULL;
	uint64_t		 mib;
	const char		*end;
	int			 rc = -1, with_hvm, unchanged = 1;

	if (xi_read_facts(ctx, &f, cause) != 0)
		goto out;
	with_hvm = hvm == NULL || strcmp(hvm, "yes") == 0;

	/* Input checks that need the facts (the validators are pure). */
	if (mem != NULL && strcmp(mem, "none") != 0 &&
	    xi_size(mem + (strncmp(mem, "max:", 4) == 0 ? 4 : 0), &end,
	    &mib) == 0 && mib + 256 > f.mib) {
		*cause = xprintf("dom0-mem: %s leaves nothing for guests: "
		    "this machine has %llu MiB (%s)", mem,
		    (unsigned long long)f.mib, f.size_from);
		rc = WIZ_EINPUT;
		goto out;
	}
	way = xi_grub_way(&f, wiz_get(ans, "grub") != NULL ?
	    wiz_get(ans, "grub") : "auto", &why);
	if (strcmp(way, "xen-cfg") == 0 && f.override != NULL &&
	    strcmp(f.override->value, "0") == 0) {
		*cause = xprintf("grub: xen-cfg cannot make Xen the default: "
		    "XEN_OVERRIDE_GRUB_DEFAULT=0 at %s:%d; use grub=divert, "
		    "or remove that line", f.override->file,
		    f.override->line);
		rc = WIZ_EINPUT;
		goto out;
	}
	w = *f.root == '\0' ? spawn_which("update-grub") : NULL;
	if (*f.root == '\0' && w == NULL) {
		*cause = xstrdup("update-grub is missing: on Debian GRUB boots "
		    "Xen (install grub-pc, or grub-efi-amd64 on EFI, first)");
		goto out;
	}
	free(w);
	xi_add_facts(plan, &f);
	free(plan->title);
	plan->title = xprintf("Xen 4.17 from Debian 12%s, dom0_mem=%s, "
	    "dom0_max_vcpus=%s", with_hvm ? " with HVM" : "",
	    mem != NULL ? mem : "none", vcpus != NULL ? vcpus : "none");

	plan_note(plan, "The guide installs xen-linux-system and xen-qemu-dm; "
	    "on Debian 12 both are gone: xen-system-amd64 brings the "
	    "hypervisor (xen-hypervisor-4.17-amd64), the xl tools "
	    "(xen-utils-4.17) and GRUB's xen.cfg (xen-hypervisor-common), "
	    "Debian's own kernel is the dom0 kernel, and qemu-system-xen "
	    "is the device model of HVM guests.");
	if (why != NULL)
		plan_note(plan, "%s", why);
	plan_note(plan, "The guide's last step, uncommenting "
	    "(network-script network-bridge) in /etc/xen/xend-config.sxp, "
	    "is obsolete and not done: xend was removed in Xen 4.5 and that "
	    "file with it; xl creates no bridge. The bridge xenbr0 is "
	    "configured in /etc/network/interfaces (the bridge wizard).");
	if (f.xen.running)
		plan_note(plan, "Xen %s is running%s: this host has booted "
		    "it already.", f.xen.version, f.xen.dom0 ? " and this is "
		    "dom0" : "");

	/* 1. dpkg: finish an interrupted run first (apt refuses else). */
	{
		char	*cfg[] = { "dpkg", "--configure", "-a", NULL };
		char	*aud[] = { "dpkg", "--audit", NULL };

		s = plan_add_run(plan, "dpkg-configure", "Finish any "
		    "interrupted package installation", cfg);
		plan_step_explain(s, "Nothing to do unless an earlier "
		    "apt-get or dpkg run was interrupted (dpkg --audit "
		    "lists such packages); apt-get refuses to run until "
		    "dpkg --configure -a has finished it.");
		plan_step_probe(s, aud, "The following packages", 1);
		plan_step_verify(s, aud, "The following packages", 1);
	}

	/* 2. dom0's size in GRUB_CMDLINE_XEN_DEFAULT. */
	if (mem != NULL) {
		if (strcmp(mem, "none") == 0)
			strv_push(&sets, "-dom0_mem");
		else {
			char *v = xi_mem_value(mem);

			w = xprintf("dom0_mem=%s", v);
			strv_push(&sets, w);
			free(w);
			free(v);
		}
	}
	if (vcpus != NULL) {
		w = strcmp(vcpus, "none") == 0 ? xstrdup("-dom0_max_vcpus") :
		    xprintf("dom0_max_vcpus=%s", vcpus);
		strv_push(&sets, w);
		free(w);
	}
	if (sets != NULL && xi_plan_cmdline(&f, plan, sets, &unchanged,
	    cause) != 0)
		goto out;

	/* 3. The guide's divert, when that is the way. */
	if (strcmp(way, "divert") == 0) {
		char	*div[] = { "dpkg-divert", "--divert", XI_DIVERT_TO,
			    "--rename", XI_DIVERT_FROM, NULL };
		char	*lst[] = { "dpkg-divert", "--list", "*20_linux_xen",
			    NULL };
		char	*rm[] = { "dpkg-divert", "--rename", "--remove",
			    XI_DIVERT_FROM, NULL };

		s = plan_add_run(plan, "divert", "Put GRUB's Xen entries "
		    "first (the guide's dpkg-divert)", div);
		plan_step_explain(s, "grub-mkconfig runs /etc/grub.d/ in "
		    "order: renamed to 08_linux_xen, the Xen entries come "
		    "before 10_linux's, and GRUB_DEFAULT=0 boots Xen. dpkg "
		    "keeps the rename across upgrades of grub-common.");
		plan_step_probe(s, lst, "to " XI_DIVERT_TO, 0);
		plan_step_verify(s, lst, "to " XI_DIVERT_TO, 0);
		plan_step_undo(s, rm);
	} else if (f.diverted)
		plan_note(plan, "A diversion of 20_linux_xen to 08_linux_xen "
		    "is there too; it does no harm (`dpkg-divert --rename "
		    "--remove %s` takes it away).", XI_DIVERT_FROM);

	/* 4. The packages. */
	strv_push(&pkgs, "xen-system-amd64");
	if (with_hvm)
		strv_push(&pkgs, "qemu-system-xen");
	if (*f.root == '\0' && pkg_simulate_install(pkgs, 0, &chg, &nchg,
	    cause) != 0) {
		w = xprintf("apt cannot install %s: %s (is `apt-get update` "
		    "needed?)", with_hvm ? "xen-system-amd64 and "
		    "qemu-system-xen" : "xen-system-amd64", *cause);
		free(*cause);
		*cause = w;
		goto out;
	}
	strv_push(&argv, "env");
	strv_push(&argv, "DEBIAN_FRONTEND=noninteractive");
	strv_push(&argv, "apt-get");
	strv_push(&argv, "install");
	strv_push(&argv, "-y");
	strv_push(&argv, "--no-install-recommends");
	strv_push(&argv, "-o");
	strv_push(&argv, "Dpkg::Options::=--force-confdef");
	strv_push(&argv, "-o");
	strv_push(&argv, "Dpkg::Options::=--force-confold");
	for (i = 0; pkgs[i] != NULL; i++)
		strv_push(&argv, pkgs[i]);
	s = plan_add_run(plan, "install", with_hvm ? "Install Xen and "
	    "QEMU for HVM guests" : "Install Xen", argv);
	/* Undo: remove what this install adds (the simulation's new ones). */
	strv_push(&undo, "apt-get");
	strv_push(&undo, "remove");
	strv_push(&undo, "-y");
	for (i = 0; i < nchg; i++) {
		if (chg[i].old != NULL)
			continue;
		strv_push(&undo, chg[i].name);
		w = xprintf("%s%s%s", list != NULL ? list : "",
		    list != NULL ? " " : "", chg[i].name);
		free(list);
		list = w;
	}
	if (*f.root != '\0' || nchg == 0) {
		for (i = 0; pkgs[i] != NULL; i++)
			strv_push(&undo, pkgs[i]);
	}
	if (strv_len(undo) > 3)
		plan_step_undo(s, undo);
	plan_step_explain(s, "apt-get installs %s%s%s. Recommends are left "
	    "out (grub-xen-host is for PV guests booted by pvgrub2; OVMF "
	    "for UEFI guests). The postinst of xen-hypervisor-common runs "
	    "update-grub, which writes the Xen entries with the command "
	    "line set above.", list != NULL ? "these new packages: " :
	    "the packages", list != NULL ? list : "", nchg > 0 ? "" :
	    " (nothing new)");
	/* Installed: dpkg-query says "ii " for each, in order. */
	probe_fmt = xstrdup("-f=${db:Status-Abbrev}|");
	{
		char	**q = NULL;

		strv_push(&q, "dpkg-query");
		strv_push(&q, "-W");
		strv_push(&q, probe_fmt);
		for (i = 0; pkgs[i] != NULL; i++) {
			strv_push(&q, pkgs[i]);
			w = xprintf("%sii |", match != NULL ? match : "");
			free(match);
			match = w;
		}
		plan_step_probe(s, q, match, 0);
		plan_step_verify(s, q, match, 0);
		strv_free(q);
	}
	s->flags |= PLAN_RERUN;
	s->timeout_s = 3600;

	/* 5. update-grub, unless grub.cfg already boots Xen so. */
	{
		char	 *ug[] = { "update-grub", NULL };
		char	**chk = NULL;

		s = plan_add_run(plan, "update-grub", "Write GRUB's menu "
		    "(update-grub) and check its default entry is Xen", ug);
		strv_push(&chk, "xendeck");
		strv_push(&chk, "grub-default");
		if (*f.root != '\0') {
			strv_push(&chk, "--root");
			strv_push(&chk, f.root);
		}
		strv_push(&chk, "--xen");
		for (i = 0; sets != NULL && sets[i] != NULL; i++) {
			if (sets[i][0] != '-')
				strv_push(&chk, sets[i]);
		}
		plan_step_explain(s, "update-grub (grub-mkconfig) reads "
		    "/etc/default/grub and /etc/default/grub.d/*.cfg and "
		    "writes /boot/grub/grub.cfg; the package's postinst "
		    "normally did it already, so this is skipped when "
		    "grub.cfg's default entry is Xen with dom0's size. The "
		    "check reads grub.cfg as GRUB does (`xendeck "
		    "grub-default`).");
		plan_step_probe(s, chk, "xen-default: yes", 0);
		plan_step_verify(s, chk, "xen-default: yes", 0);
		s->flags |= PLAN_REBOOT;
		s->timeout_s = 900;
		strv_free(chk);
	}
	plan_note(plan, "Then reboot: GRUB boots Xen, with Debian as dom0; "
	    "`xendeck wizard host-check` confirms Xen runs (xl info).");
	if (xi_installed(&f, "xen-system-amd64") && (!with_hvm ||
	    xi_installed(&f, "qemu-system-xen")) && unchanged &&
	    (strcmp(way, "divert") != 0 || f.diverted) &&
	    xi_boot_matches(&f, sets))
		plan_note(plan, "Nothing to do: Xen is installed, %s has "
		    "dom0's size and GRUB's default entry boots Xen with it%s; "
		    "--apply finds every step done.", XI_CMDLINE,
		    f.xen.running ? " (and Xen runs)" : "");
	rc = 0;
out:
	pkg_changes_free(chg, nchg);
	strv_free(sets);
	strv_free(pkgs);
	strv_free(argv);
	strv_free(undo);
	free(list);
	free(why);
	free(probe_fmt);
	free(match);
	xi_facts_free(&f);
	return (rc);
}

const struct wizard wiz_xen_install = {
	.name = "xen-install",
	.summary = "install Xen and make GRUB boot it (the guide's install "
	    "step)",
	.guide =
	    "The guide: apt-get install xen-linux-system (and xen-qemu-dm),\n"
	    "dpkg-divert 20_linux_xen to 08_linux_xen, update-grub, enable\n"
	    "the bridge in /etc/xen/xend-config.sxp, reboot.\n"
	    "Debian 12: apt-get install xen-system-amd64 (qemu-system-xen for\n"
	    "HVM guests); xen.cfg makes the Xen entry GRUB's default, so the\n"
	    "divert is optional; dom0_mem and dom0_max_vcpus go in\n"
	    "GRUB_CMDLINE_XEN_DEFAULT; update-grub; xend-config.sxp is gone\n"
	    "(the bridge is /etc/network/interfaces'); reboot; host-check.",
	.fields = xi_fields,
	.facts = xi_facts,
	.plan = xi_plan,
};
