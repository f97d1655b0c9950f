/*
 * The Xen install wizard's readers: grub.c (GRUB's defaults files and their
 * edits, dpkg-divert --list, the default entry of grub.cfg), pkg.c
 * (dpkg-query, apt-get -s) and dom0.c (meminfo, the advice), on
 * real files: t/grub/README says where each one comes from.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"
#include "tap.h"

static const char *srcdir;

/* A fixture's content (NUL-terminated); exits when it cannot be read. */
static char *
fixture(const char *name, size_t *lenp)
{
	char	*path, *buf, *cause = NULL;
	size_t	 len;

	xasprintf(&path, "%s/t/grub/%s", srcdir, name);
	if (file_read(path, &buf, &len, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(path);
	if (lenp != NULL)
		*lenp = len;
	return (buf);
}

/* Parse fixtures in order into d, as grub_defaults_load would. */
static void
load(struct grub_defaults *d, const char *const *names)
{
	char	*buf, *cause = NULL;
	size_t	 len;

	memset(d, 0, sizeof *d);
	for (; *names != NULL; names++) {
		buf = fixture(*names, &len);
		if (grub_defaults_parse(*names, buf, len, d, &cause) != 0) {
			printf("Bail out! %s\n", cause);
			exit(1);
		}
		free(buf);
	}
}

static int
parse_text(const char *text, struct grub_defaults *d, char **cause)
{
	memset(d, 0, sizeof *d);
	*cause = NULL;
	return (grub_defaults_parse("t.cfg", text, strlen(text), d, cause));
}

static void
test_debian_defaults(void)
{
	static const char *const files[] = { "default-grub", "xen.cfg",
	    "xendeck-lab.cfg", NULL };
	struct grub_defaults	 d;
	const struct grub_assign *a;

	load(&d, files);
	is_int(strv_len(d.files), 3, "defaults: three files read");
	a = grub_defaults_last(&d, "GRUB_DEFAULT", 0);
	ok(a != NULL && strcmp(a->file, "default-grub") == 0 &&
	    a->line == 6 && strcmp(a->value, "0") == 0,
	    "defaults: GRUB_DEFAULT=0 at default-grub:6 is the last one "
	    "outside xen.cfg's if");
	a = grub_defaults_last(&d, "GRUB_DEFAULT", 1);
	ok(a != NULL && strcmp(a->file, "xen.cfg") == 0 && a->conditional &&
	    !a->simple, "defaults: xen.cfg's GRUB_DEFAULT=$(...) is "
	    "conditional and not rewritable");
	a = grub_defaults_last(&d, "XEN_OVERRIDE_GRUB_DEFAULT", 0);
	ok(a == NULL, "defaults: XEN_OVERRIDE_GRUB_DEFAULT is only set "
	    "inside xen.cfg's if (commented out for the user)");
	ok(grub_defaults_last(&d, "GRUB_CMDLINE_XEN_DEFAULT", 1) == NULL,
	    "defaults: xen.cfg only mentions GRUB_CMDLINE_XEN_DEFAULT in "
	    "comments");
	a = grub_defaults_last(&d, "GRUB_CMDLINE_XEN", 0);
	is_str(a != NULL ? a->value : NULL, "console=com1 com1=115200,8n1 "
	    "bootscrub=false loglvl=warning guest_loglvl=warning noreboot",
	    "defaults: the lab's GRUB_CMDLINE_XEN, unquoted");
	a = grub_defaults_last(&d, "GRUB_DISTRIBUTOR", 0);
	ok(a != NULL && !a->simple && a->line == 8,
	    "defaults: GRUB_DISTRIBUTOR=`lsb_release ...` (default-grub:8) "
	    "is not rewritable");
	a = grub_defaults_last(&d, "GRUB_TIMEOUT", 0);
	ok(a != NULL && strcmp(a->value, "2") == 0 &&
	    strcmp(a->file, "xendeck-lab.cfg") == 0,
	    "defaults: the last GRUB_TIMEOUT wins (xendeck-lab.cfg)");
	grub_defaults_free(&d);
}

static void
test_shell_forms(void)
{
	struct grub_defaults	 d;
	const struct grub_assign *a;
	char			*cause;

	ok(parse_text("A='x y'\nB=\"$A z\"; C=${B}w\nexport D=\"1\"\n"
	    "E=\"multi\nline\"\nF=after\n", &d, &cause) == 0, "shell: parses");
	a = grub_defaults_last(&d, "B", 0);
	is_str(a != NULL ? a->value : NULL, "x y z", "shell: $A expands");
	a = grub_defaults_last(&d, "C", 0);
	is_str(a != NULL ? a->value : NULL, "x y zw", "shell: ${B} expands");
	a = grub_defaults_last(&d, "D", 0);
	ok(a != NULL && strcmp(a->value, "1") == 0 && a->line == 3,
	    "shell: export D=1 is an assignment (line 3)");
	a = grub_defaults_last(&d, "E", 0);
	is_str(a != NULL ? a->value : NULL, "multi\nline",
	    "shell: a quoted value spans lines");
	a = grub_defaults_last(&d, "F", 0);
	is_int(a != NULL ? a->line : -1, 6, "shell: line numbers go on "
	    "after it");
	grub_defaults_free(&d);

	ok(parse_text("if [ -x /x ]; then\n  G=1\nfi\nH=2 # G=3\n"
	    "echo I=4\ncase $x in a) J=5 ;; esac\n", &d, &cause) == 0,
	    "shell: blocks parse");
	a = grub_defaults_last(&d, "G", 1);
	ok(a != NULL && a->conditional, "shell: G=1 inside if is "
	    "conditional");
	ok(grub_defaults_last(&d, "G", 0) == NULL, "shell: a comment's G=3 "
	    "is no assignment");
	a = grub_defaults_last(&d, "H", 0);
	ok(a != NULL && !a->conditional, "shell: H=2 after fi is not");
	ok(grub_defaults_last(&d, "I", 1) == NULL, "shell: echo I=4 is an "
	    "argument, not an assignment");
	a = grub_defaults_last(&d, "J", 1);
	ok(a != NULL && a->conditional, "shell: J=5 in a case is "
	    "conditional");
	grub_defaults_free(&d);

	ok(parse_text("K=\"$(cat /x)\"\nL=a\\ b\n", &d, &cause) == 0,
	    "shell: substitutions parse");
	a = grub_defaults_last(&d, "K", 0);
	ok(a != NULL && !a->simple && !grub_assign_editable(a),
	    "shell: $(...) is not rewritable");
	a = grub_defaults_last(&d, "L", 0);
	ok(a != NULL && !a->simple && strcmp(a->value, "a b") == 0,
	    "shell: a backslash escapes, and is not rewritten");
	grub_defaults_free(&d);

	cause = NULL;
	memset(&d, 0, sizeof d);
	ok(grub_defaults_parse("bin.cfg", "A=1\0B", 5, &d, &cause) == -1 &&
	    cause != NULL && strstr(cause, "bin.cfg: not a text file") !=
	    NULL, "shell: a NUL byte is refused naming the file");
	free(cause);
	grub_defaults_free(&d);
}

static void
test_edit(void)
{
	static char		*sets[] = { "dom0_mem=1152M,max:1152M",
				    "dom0_max_vcpus=2", NULL };
	struct grub_defaults	 d;
	const struct grub_assign *a;
	char			*buf, *out, *cause = NULL, *want;
	const char		*text;
	size_t			 len;

	/* Nothing set anywhere: a new line at the end of /etc/default/grub. */
	buf = fixture("default-grub", &len);
	out = grub_defaults_edit("default-grub", buf, len, NULL,
	    "GRUB_CMDLINE_XEN_DEFAULT", sets, "Xen: dom0's size", 0, &cause);
	want = xprintf("%s# Xen: dom0's size\nGRUB_CMDLINE_XEN_DEFAULT="
	    "\"dom0_mem=1152M,max:1152M dom0_max_vcpus=2\"\n", buf);
	is_str(out, want, "edit: appended to Debian's /etc/default/grub, "
	    "every old byte kept");
	free(want);
	free(out);
	free(buf);

	/* Rewritten in place: the other words and lines stay. */
	text = "# mine\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_XEN_DEFAULT=\""
	    "console=com1 dom0_mem=512M loglvl=all dom0_mem=2G\" # keep\n"
	    "GRUB_X=1\n";
	parse_text(text, &d, &cause);
	a = grub_defaults_last(&d, "GRUB_CMDLINE_XEN_DEFAULT", 0);
	ok(a != NULL && grub_assign_editable(a), "edit: a quoted value is "
	    "rewritable");
	out = grub_defaults_edit("t.cfg", text, strlen(text), a,
	    "GRUB_CMDLINE_XEN_DEFAULT", sets, NULL, 0, &cause);
	is_str(out, "# mine\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_XEN_DEFAULT="
	    "\"console=com1 dom0_mem=1152M,max:1152M loglvl=all "
	    "dom0_max_vcpus=2\" # keep\nGRUB_X=1\n",
	    "edit: in place, the first dom0_mem replaced, the second dropped, "
	    "dom0_max_vcpus added, the comment kept");
	free(out);
	grub_defaults_free(&d);

	/* Single quotes stay single; a bare word gets double quotes. */
	text = "A='x dom0_mem=1G'\nB=y\n";
	parse_text(text, &d, &cause);
	out = grub_defaults_edit("t.cfg", text, strlen(text),
	    grub_defaults_last(&d, "A", 0), "A", sets, NULL, 0, &cause);
	is_str(out, "A='x dom0_mem=1152M,max:1152M dom0_max_vcpus=2'\nB=y\n",
	    "edit: single quotes kept");
	free(out);
	out = grub_defaults_edit("t.cfg", text, strlen(text),
	    grub_defaults_last(&d, "B", 0), "B", sets, NULL, 0, &cause);
	is_str(out, "A='x dom0_mem=1G'\nB=\"y dom0_mem=1152M,max:1152M "
	    "dom0_max_vcpus=2\"\n", "edit: a bare value gets double quotes");
	free(out);
	grub_defaults_free(&d);

	/* Not rewritable: a new assignment builds on it. */
	text = "GRUB_CMDLINE_XEN_DEFAULT=\"`cat /etc/xen-args`\"";
	parse_text(text, &d, &cause);
	out = grub_defaults_edit("t.cfg", text, strlen(text),
	    grub_defaults_last(&d, "GRUB_CMDLINE_XEN_DEFAULT", 0),
	    "GRUB_CMDLINE_XEN_DEFAULT", sets, NULL, 0, &cause);
	is_str(out, "GRUB_CMDLINE_XEN_DEFAULT=\"`cat /etc/xen-args`\"\n"
	    "GRUB_CMDLINE_XEN_DEFAULT=\"$GRUB_CMDLINE_XEN_DEFAULT "
	    "dom0_mem=1152M,max:1152M dom0_max_vcpus=2\"\n",
	    "edit: a command substitution is left alone, a new line builds "
	    "on it");
	free(out);
	grub_defaults_free(&d);

	/* A value that would need quoting is refused, naming the file. */
	{
		char *bad[] = { "dom0_mem=1G\"; rm -rf /", NULL };

		out = grub_defaults_edit("t.cfg", "", 0, NULL, "A", bad, NULL,
		    0, &cause);
		ok(out == NULL && cause != NULL &&
		    strncmp(cause, "t.cfg: cannot write", 19) == 0,
		    "edit: a value with quotes is refused: %s", cause);
		free(cause);
		cause = NULL;
	}
	{
		char *rm[] = { "-dom0_max_vcpus", NULL };

		out = grub_defaults_edit("t.cfg", "A=\"x dom0_max_vcpus=1 y\"",
		    24, NULL, "A", rm, NULL, 1, &cause);
		ok(out != NULL && strstr(out, "\nA=\"$A\"\n") != NULL,
		    "edit: -KEY removes (here from a new line building on A)");
		free(out);
	}
}

static void
test_cmdline(void)
{
	char	*s;

	s = grub_cmdline_set("a b=1 c", "b", "2");
	is_str(s, "a b=2 c", "cmdline: set replaces");
	free(s);
	s = grub_cmdline_set("  ", "b", "2");
	is_str(s, "b=2", "cmdline: set on an empty line");
	free(s);
	s = grub_cmdline_set("bb=1 b", "b", NULL);
	is_str(s, "bb=1", "cmdline: remove matches whole keys only");
	free(s);
	s = grub_cmdline_get("dom0_mem=1G,max:1G x dom0_mem=2G", "dom0_mem");
	is_str(s, "2G", "cmdline: get gives the last (what Xen uses)");
	free(s);
	s = grub_cmdline_get("dom0_mem_x=1", "dom0_mem");
	is_str(s, NULL, "cmdline: get matches whole keys only");
}

static void
test_divert(void)
{
	struct grub_divert	*v;
	size_t			 n, len;
	char			*buf, *cause = NULL;

	buf = fixture("divert-local.txt", &len);
	ok(grub_diversions_parse(buf, len, &v, &n, &cause) == 0 && n == 1 &&
	    strcmp(v[0].from, "/etc/grub.d/20_linux_xen") == 0 &&
	    strcmp(v[0].to, "/etc/grub.d/08_linux_xen") == 0 &&
	    v[0].by == NULL, "divert: the guide's local diversion, as "
	    "dpkg-divert --list prints it");
	grub_diversions_free(v, n);
	free(buf);
	buf = fixture("divert-none.txt", &len);
	ok(grub_diversions_parse(buf, len, &v, &n, &cause) == 0 && n == 0,
	    "divert: none (dpkg-divert --list prints nothing)");
	grub_diversions_free(v, n);
	free(buf);
	buf = "diversion of /usr/share/vim/vim90/doc/help.txt to "
	    "/usr/share/vim/vim90/doc/help.txt.vim-tiny by vim-tiny\n"
	    "diversion of /bin/sh by dash\n";
	ok(grub_diversions_parse(buf, strlen(buf), &v, &n, &cause) == 0 &&
	    n == 2 && strcmp(v[0].by, "vim-tiny") == 0 &&
	    strcmp(v[1].to, "/bin/sh.distrib") == 0,
	    "divert: a package's diversions, with and without 'to'");
	grub_diversions_free(v, n);
	buf = "local diversion of /a to /b\nsomething else\n";
	ok(grub_diversions_parse(buf, strlen(buf), &v, &n, &cause) == -1 &&
	    cause != NULL && strstr(cause, "line 2") != NULL,
	    "divert: another line is an error naming it: %s", cause);
	free(cause);
}

static void
test_boot(void)
{
	struct grub_boot	 b;
	char			*buf, *cause = NULL;
	size_t			 len;

	buf = fixture("grub-plain.cfg", &len);
	ok(grub_boot_parse("grub-plain.cfg", buf, len, &b, &cause) == 0,
	    "boot: Debian 12's grub.cfg without Xen");
	ok(!grub_boot_is_xen(&b) && strcmp(b.title, "Debian GNU/Linux") ==
	    0 && strcmp(b.kernel, "/boot/vmlinuz-6.1.0-50-amd64") == 0,
	    "boot: without Xen the default is Linux itself (%s)", b.title);
	grub_boot_free(&b);
	free(buf);

	buf = fixture("grub-xencfg.cfg", &len);
	ok(grub_boot_parse("grub-xencfg.cfg", buf, len, &b, &cause) == 0,
	    "boot: grub.cfg after installing xen-system-amd64");
	ok(grub_boot_is_xen(&b), "boot: xen.cfg made the Xen entry the "
	    "default");
	is_str(b.default_spec, "Debian GNU/Linux, with Xen hypervisor",
	    "boot: by its title");
	is_str(b.hypervisor, "/boot/xen-4.17-amd64.gz", "boot: multiboot2 "
	    "xen.gz");
	ok(b.hv_args != NULL && strstr(b.hv_args, "console=com1") != NULL,
	    "boot: Xen's command line (%s)", b.hv_args);
	ok(b.kernel != NULL && strncmp(b.kernel, "/boot/vmlinuz-", 14) == 0 &&
	    strstr(b.args, "console=hvc0") != NULL,
	    "boot: the dom0 kernel is the first module, with the XEN_REPLACE "
	    "command line (%s)", b.args);
	grub_boot_free(&b);
	free(buf);

	buf = fixture("grub-divert.cfg", &len);
	ok(grub_boot_parse("grub-divert.cfg", buf, len, &b, &cause) == 0 &&
	    grub_boot_is_xen(&b), "boot: after the guide's divert too");
	grub_boot_free(&b);
	free(buf);
}

static void
test_pkg(void)
{
	char			*names[] = { "xen-system-amd64",
				    "qemu-system-xen", "nosuch", NULL };
	char			*more[] = { "a", "b", "c", "d", NULL };
	struct pkg		*v;
	struct pkg_change	*c;
	size_t			 n, len, i;
	char			*buf, *cause = NULL, *text;

	buf = fixture("dpkg-query.txt", &len);
	pkg_query_parse(buf, names, &v);
	ok(v[0].state == PKG_INSTALLED && v[0].version != NULL &&
	    strncmp(v[0].version, "4.17.", 5) == 0 &&
	    v[1].state == PKG_INSTALLED && v[2].state == PKG_ABSENT &&
	    v[2].version == NULL, "pkg: dpkg-query's output after the "
	    "install: both installed, 4.17; an unknown name absent");
	pkg_list_free(v, 3);
	free(buf);
	text = xstrdup("a\tiU \t1\nb\trc \t2\nc\tiF \t3\nd:amd64\thi \t4\n");
	pkg_query_parse(text, more, &v);
	ok(v[0].state == PKG_HALF && v[1].state == PKG_CONFIG_ONLY &&
	    v[2].state == PKG_HALF && v[3].state == PKG_INSTALLED,
	    "pkg: unpacked and half-configured are half; config-files; "
	    "held is installed; the :arch suffix goes");
	pkg_list_free(v, 4);
	free(text);

	buf = fixture("apt-sim.txt", &len);
	ok(pkg_simulate_parse(buf, len, &c, &n, &cause) == 0 && n > 10,
	    "pkg: apt-get -s install xen-system-amd64 qemu-system-xen: %zu "
	    "packages", n);
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].name, "xen-hypervisor-common") == 0)
			break;
	}
	ok(i < n && c[i].old == NULL && strncmp(c[i].version, "4.17.", 5) ==
	    0, "pkg: xen-hypervisor-common comes along, new");
	pkg_changes_free(c, n);
	free(buf);
	text = (char *)"Inst libx [1.0-1] (1.1-1 Debian:12.5/stable [amd64])\n"
	    "Conf libx (1.1-1 Debian:12.5/stable [amd64])\n";
	ok(pkg_simulate_parse(text, strlen(text), &c, &n, &cause) == 0 &&
	    n == 1 && strcmp(c[0].old, "1.0-1") == 0 &&
	    strcmp(c[0].version, "1.1-1") == 0, "pkg: an upgrade");
	pkg_changes_free(c, n);
}

static void
test_dom0(void)
{
	const char	*xl = "host                   : xendeck-lab\n"
			    "nr_cpus                : 2\n"
			    "total_memory           : 3071\n"
			    "total_memory_x         : 1\n";
	const char	*mi = "MemFree:  100 kB\n"
			    "MemTotal:        3021012 kB\n";
	struct host_xen	 x = { .info = (char *)xl };
	char		*s;

	s = host_xen_info(&x, "total_memory");
	is_str(s, "3071", "dom0: xl info total_memory");
	free(s);
	s = host_xen_info(&x, "nr_cpu");
	is_str(s, NULL, "dom0: xl info keys match whole");
	is_int(dom0_meminfo_mib(mi, strlen(mi)), 2950, "dom0: MemTotal in "
	    "MiB");
	is_int(dom0_mem_advice(2950), 1152, "dom0: a 3 GB lab: 1 GiB + 5%%, "
	    "in 64 MiB steps");
	is_int(dom0_mem_advice(1536), 768, "dom0: at most half a small host");
	is_int(dom0_mem_advice(512), 512, "dom0: at least 512 MiB");
	is_int(dom0_mem_advice(65536), 4300 - 4300 % 64, "dom0: 64 GiB host");
	is_int(dom0_mem_advice(1 << 20), 8192, "dom0: at most 8 GiB");
	is_int(dom0_vcpus_advice(2), 2, "dom0: all of 2 CPUs");
	is_int(dom0_vcpus_advice(12), 4, "dom0: 4 of 12");
	is_int(dom0_vcpus_advice(128), 16, "dom0: 16 of 128");
}

int
main(int argc, char **argv)
{
	srcdir = argc > 1 ? argv[1] : getenv("XD_SRCDIR");
	if (srcdir == NULL)
		srcdir = ".";
	test_debian_defaults();
	test_shell_forms();
	test_edit();
	test_cmdline();
	test_divert();
	test_boot();
	test_pkg();
	test_dom0();
	return (done_testing());
}
