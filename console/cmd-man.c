/*
 * The manual pages, written from the tables at build time (man/local.am
 * runs `xendeck help --man` and `xendeck help --man-wizards`): xendeck(1)
 * from the command table, the global options, the console's key tables,
 * the environment and the files; xendeck-wizard(8) from the wizard table.
 * Every command's section is what `xendeck help COMMAND` says, so the two
 * never disagree.
 *
 * The roff comes from man.c.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "wizards.h"

/* What xendeck reads from the environment (t/1900 checks the sources). */
static const struct {
	const char	*name;
	const char	*text;
} man_env[] = {
	{ "XENDECK_RUNDIR", "Where the qemu backend keeps each domain's "
	    "runtime directory (sockets, pid files, its config snapshot) and "
	    "the lab its run state. Default: /run/xendeck." },
	{ "XENDECK_LOGDIR", "Where the qemu backend writes each domain's logs "
	    "(NAME.log, NAME.console.log, NAME.qemu.log). Default: "
	    "/var/log/xendeck." },
	{ "XENDECK_LOG_MAX", "The most bytes a domain's log keeps: the "
	    "supervisor keeps the last that many as NAME.console.log.1 and "
	    "starts again. Default: 4 MiB." },
	{ "XENDECK_QEMU", "The QEMU binary the qemu backend runs. Default: "
	    "qemu-system-x86_64 on the PATH." },
	{ "XENDECK_ACCEL", "kvm or tcg: overrides the qemu backend's probe of "
	    "whether /dev/kvm can run guests." },
	{ "XENDECK_STATEDIR", "Where the wizards keep their journals and "
	    "plans (in its wizards/) and autostart its record of the links it "
	    "made (in its autostart/). Default: /var/lib/xendeck." },
	{ "XENDECK_CACHE", "Where the lab's images and the test guests are "
	    "cached. Default: /var/cache/xendeck." },
	{ "XENDECK_LAB_SCRIPT", "The lab script `xendeck lab` runs, instead "
	    "of the one installed with xendeck." },
	{ "XENDECK_VNC_RENDER", "halfblock, 256, sixel or kitty: how the VNC "
	    "viewer draws, instead of what it detects (vnc --render)." },
	{ "XENDECK_XEN_DIR", "Xen's configuration directory: the domain files "
	    "the wizards write and the Network view reads, and the domains "
	    "started with the host (the configs in its auto/ directory). "
	    "Default: /etc/xen." },
	{ "XENDECK_TEMPLATE_SCRIPT", "The program that builds a PV guest "
	    "template (the pv-guest wizard), instead of the template-build "
	    "script installed with xendeck." },
	{ "XENDECK_ISO_DIRS", "The directories the ISO picker lists (the "
	    "hvm-guest wizard, cd-insert in the console), separated by "
	    "colons, instead of /var/lib/xendeck/isos, /srv/iso, /root and the "
	    "other usual places." },
	{ "XENDECK_INTERFACES", "The interfaces(5) file the bridge wizard "
	    "reads and edits (ifup -i FILE). Default: /etc/network/interfaces." },
	{ "XENDECK_IFSTATE", "ifupdown's state directory for the bridge "
	    "wizard (ifup --state-dir). Default: ifupdown's own (/run/network)." },
	{ "XENDECK_NO_SYSTEMD", "When set, the bridge wizard's rollback guard "
	    "is xendeck's own watchdog even where systemd is PID 1, instead of "
	    "a transient systemd timer." },
	{ "XENDECK_SHUTDOWN_TIMEOUT", "Seconds `xendeck autostart stop` (at "
	    "the host's shutdown) gives the domains to shut down before it "
	    "destroys what is left (--timeout wins). Default: 120; "
	    "xendeck-domains.service reads it from /etc/default/xendeck." },
	{ "NO_COLOR", "When set and not empty, the console uses the mono "
	    "theme (attributes only)." },
	{ "COLORTERM", "truecolor or 24bit: the VNC viewer draws in true "
	    "colour, else in 256 colours." },
	{ "XDG_CONFIG_HOME", "The user's configuration (xendeck/config.yaml, "
	    "xendeck/themes/). Default: ~/.config." },
	{ "XDG_STATE_HOME", "The console's prompt history (xendeck/). "
	    "Default: ~/.local/state." },
};

/* The files xendeck reads and writes. */
static const struct {
	const char	*path;		/* NULL: built from sysconfdir/datadir */
	const char	*text;
} man_files[] = {
	{ "~/.config/xendeck/config.yaml", "The console's settings: theme, "
	    "refresh, view, confirm, shutdown_timeout." },
	{ NULL, "The same, for every user (read when the user has none)." },
	{ "~/.config/xendeck/themes/NAME.yaml", "A user's theme." },
	{ NULL, "The themes that come with xendeck (default, mono, "
	    "high-contrast)." },
	{ "/run/xendeck/NAME/", "A QEMU domain's runtime directory "
	    "($XENDECK_RUNDIR)." },
	{ "/var/log/xendeck/", "A QEMU domain's logs ($XENDECK_LOGDIR)." },
	{ "/var/lib/xendeck/wizards/", "The wizards' runs: plans and "
	    "journals ($XENDECK_STATEDIR)." },
	{ "/var/lib/xendeck/autostart/", "The links in /etc/xen/auto that "
	    "xendeck made, so it removes only those." },
	{ "/etc/xen/auto/", "The configs of the domains started with the "
	    "host, as Xen's xendomains reads them ($XENDECK_XEN_DIR/auto)." },
	{ "/etc/default/xendeck", "Settings of xendeck-domains.service "
	    "(XENDECK_SHUTDOWN_TIMEOUT)." },
	{ "/var/cache/xendeck/", "The lab's images and the test guests "
	    "($XENDECK_CACHE)." },
};

/* Text from a stream (cmd_help_policy's sentences) as a paragraph. */
static void
man_policy(FILE *f, const struct cmd_entry *e)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*m;

	if ((m = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	cmd_help_policy(m, e);
	fclose(m);
	if (len > 0) {
		fputs(".PP\n", f);
		man_help(f, buf);
	}
	free(buf);
}

static void
man_keys(FILE *f, const char *title, const struct view_key *keys)
{
	const struct view_key	*k;

	fputs(".SS ", f);
	man_text(f, title);
	for (k = keys; k != NULL && k->label != NULL; k++) {
		fputs(".TP\n\\fB", f);
		man_puts(f, k->label, strlen(k->label));
		fputs("\\fR\n", f);
		man_text(f, k->help);
	}
}

/* xendeck-wizard(8). */
int
cmd_man_wizards(FILE *f)
{
	return (man_wizards(f, wiz_table));
}

/* xendeck(1). */
int
cmd_man_xendeck(FILE *f)
{
	const struct cmd_entry	**e;
	const struct cmd_option	 *o;
	char			 *label, *path;
	size_t			  i;

	man_head(f, "XENDECK", 1, "User Commands");
	fputs(".SH NAME\nxendeck \\- a terminal console for a Xen host, and "
	    "the Xen Project Beginners Guide as wizards\n", f);
	fputs(".SH SYNOPSIS\n.B xendeck\n", f);
	for (o = cmd_global_options; o->name != NULL; o++) {
		if (o->ch == 'h' || o->ch == 'V')
			continue;
		fputs("[", f);
		if (o->ch != 0)
			fprintf(f, "\\fB\\-%c\\fR", o->ch);
		else
			fprintf(f, "\\fB\\-\\-%s\\fR", o->name);
		if (o->values != NULL || o->arg != NULL) {
			fputs(" ", f);
			man_synopsis(f, o->values != NULL ? o->values :
			    o->arg);
		}
		fputs("]\n", f);
	}
	fputs("[\\fICOMMAND\\fR [\\fIARGS\\fR]]\n", f);

	fputs(".SH DESCRIPTION\n", f);
	man_help(f,
	    "xendeck is a terminal console for running a Xen host, and a "
	    "way to learn\nXen by doing what the Xen Project Beginners Guide "
	    "teaches: live `xl list`\nand `xl top` views with the lifecycle "
	    "actions, a VNC viewer inside the\nterminal, and guided wizards "
	    "for each step of the guide.\n"
	    "\n"
	    "It drives real hypervisors. On a Xen dom0 (control_d in\n"
	    "/proc/xen/capabilities) the xl backend uses Xen's libraries "
	    "and tools;\nit comes in the xendeck-xl package. Everywhere "
	    "else the qemu backend\nruns each domain as a QEMU process (KVM "
	    "when /dev/kvm is usable, TCG\notherwise), with a small "
	    "supervisor that applies on_poweroff, on_reboot\nand on_crash. "
	    "The same xl.cfg(5) file runs on both.\n"
	    "\n"
	    "With no command, xendeck opens the console; with one, it runs "
	    "that command\nand exits. A command may be given by an "
	    "unambiguous prefix of its name.\n");

	fputs(".SH OPTIONS\n", f);
	for (o = cmd_global_options; o->name != NULL; o++) {
		label = cmd_option_label(o);
		fputs(".TP\n", f);
		man_synopsis(f, label + strspn(label, " "));
		fputc('\n', f);
		man_text(f, o->help);
		free(label);
	}

	fputs(".SH COMMANDS\n", f);
	for (e = cmd_table; *e != NULL; e++) {
		if ((*e)->flags & CMD_HIDDEN)
			continue;
		fprintf(f, ".SS %s\n", (*e)->name);
		fputs(".PP\n\\fBxendeck ", f);
		man_puts(f, (*e)->name, strlen((*e)->name));
		fputs("\\fR", f);
		if (*(*e)->usage != '\0') {
			fputc(' ', f);
			man_synopsis(f, (*e)->usage);
		}
		fputc('\n', f);
		man_sentence(f, (*e)->summary);
		if ((*e)->alias != NULL) {
			fputs(".PP\nalias: ", f);
			man_text(f, (*e)->alias);
		}
		man_help(f, (*e)->help);
		man_policy(f, *e);
	}

	fputs(".SH CONSOLE KEYS\n", f);
	man_help(f, "In the console, these keys act on what is on the screen; "
	    "`:` runs any\ncommand above, with Tab completion, and `?` lists "
	    "the keys again.\n");
	man_keys(f, "Everywhere", tui_global_keys);
	for (i = 0; help_views[i] != NULL; i++) {
		xasprintf(&label, "%s view", help_views[i]->title);
		man_keys(f, label, help_views[i]->keys);
		free(label);
	}

	fputs(".SH ENVIRONMENT\n", f);
	for (i = 0; i < nitems(man_env); i++) {
		fprintf(f, ".TP\n.B %s\n", man_env[i].name);
		man_text(f, man_env[i].text);
	}

	fputs(".SH FILES\n", f);
	for (i = 0; i < nitems(man_files); i++) {
		path = man_files[i].path != NULL ? xstrdup(man_files[i].path) :
		    i == 1 ? xprintf("%s/xendeck/config.yaml",
		    XENDECK_SYSCONFDIR) : xprintf("%s/themes/", XENDECK_DATADIR);
		fputs(".TP\n\\fI", f);
		man_puts(f, path, strlen(path));
		fputs("\\fR\n", f);
		man_text(f, man_files[i].text);
		free(path);
	}

	fputs(".SH EXIT STATUS\n", f);
	man_help(f,
	    "  0   success\n"
	    "  1   failure: the error says why, in one line naming the "
	    "domain,\n"
	    "      the file (FILE:LINE:COL) or the field\n"
	    "  2   bad usage or bad input; nothing was changed\n"
	    "  3   `wizard host-check` found only warnings\n"
	    "\n"
	    "A command whose help says more (check-config, wizard, lab "
	    "status) keeps\nto these.\n");

	fputs(".SH SEE ALSO\n", f);
	fputs(".BR xendeck\\-wizard (8),\n.BR xl (1),\n.BR xl.cfg (5),\n"
	    ".BR xl\\-disk\\-configuration (5),\n"
	    ".BR xl\\-network\\-configuration (5),\n.BR xentop (1),\n"
	    ".BR qemu\\-system\\-x86_64 (1)\n", f);
	return (ferror(f) ? 1 : 0);
}

