/*
 * The Guide's detectors and the transcript (xen-core/guide.c,
 * transcript.c) on real inputs: grub.cfg files update-grub wrote and
 * dpkg-query's output (t/grub/), `xl info` from the lab's Xen
 * (t/guide/xl-info.txt), domain files xen-tools and the guide wrote
 * (t/xlcfg/), and the events the real `xendeck wizard` code printed for a
 * run of t/wiz-test's wizard of real commands, as JSON and as text (the
 * files the .t made).
 *
 *   unit-guide SRCDIR TMPDIR JSON-RUN TEXT-RUN TEXT-AGAIN
 */
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"
#include "tap.h"

static const char *srcdir, *tmpdir;

static char *
slurp(const char *path)
{
	char	*buf = NULL, *cause = NULL;

	if (file_read(path, &buf, NULL, &cause) != 0) {
		diag("%s", cause);
		free(cause);
		return (xstrdup(""));
	}
	return (buf);
}

static char *
src(const char *rel)
{
	return (xprintf("%s/%s", srcdir, rel));
}

/* ---- transcript_command: xendeck's commands as xl's ---- */

static void
check_cmd(const char *want, const char *want_xd, int want_flags, ...)
{
	va_list		 ap;
	char		**argv = NULL, *got, *xd = NULL, *line;
	const char	*a;
	int		 flags = -1;

	va_start(ap, want_flags);
	while ((a = va_arg(ap, const char *)) != NULL)
		strv_push(&argv, a);
	va_end(ap);
	line = spawn_argv_string(argv);
	got = transcript_command(argv, "/root/work", &xd, &flags);
	is_str(got, want, "%s: %s", line, want != NULL ? want : "not kept");
	if (want != NULL) {
		is_str(xd, want_xd, "%s: ran as %s", line, want_xd != NULL ?
		    want_xd : "itself");
		is_int(flags, want_flags, "%s: flags %d", line, want_flags);
	}
	free(got);
	free(xd);
	free(line);
	strv_free(argv);
}

static void
test_commands(void)
{
	check_cmd("xl create /root/work/web1.cfg",
	    "xendeck create /root/work/web1.cfg", TR_XL, "create",
	    "web1.cfg", NULL);
	check_cmd("xl create -p /etc/xen/web1.cfg",
	    "xendeck create -p /etc/xen/web1.cfg", TR_XL, "create", "-p",
	    "/etc/xen/web1.cfg", NULL);
	check_cmd("xl create '/root/work/my guest.cfg'",
	    "xendeck create '/root/work/my guest.cfg'", TR_XL, "create",
	    "./my guest.cfg", NULL);
	check_cmd("xl shutdown -w web1", "xendeck shutdown -w web1", TR_XL,
	    "shutdown", "-w", "web1", NULL);
	check_cmd("xl shutdown -a -w", "xendeck shutdown --yes -a -w", TR_XL,
	    "shutdown", "--yes", "-a", "-w", NULL);
	check_cmd("xl reboot -F web1", "xendeck reboot -F web1", TR_XL,
	    "reboot", "-F", "web1", NULL);
	check_cmd("xl destroy web1", "xendeck destroy --yes web1", TR_XL,
	    "destroy", "--yes", "web1", NULL);
	check_cmd("xl pause web1", "xendeck pause web1", TR_XL, "pause",
	    "web1", NULL);
	check_cmd("xl unpause web1", "xendeck unpause web1", TR_XL,
	    "unpause", "web1", NULL);
	check_cmd("xl console web1", "xendeck console web1",
	    TR_XL | TR_INTERACTIVE, "console", "web1", NULL);
	check_cmd("xendeck console --ready web1", NULL, 0, "console",
	    "--ready", "web1", NULL);
	check_cmd("xl vncviewer web1", "xendeck vnc web1",
	    TR_XL | TR_INTERACTIVE, "vnc", "web1", NULL);
	check_cmd("xl list -l", "xendeck list -l", TR_XL, "list", "-l", NULL);
	check_cmd("xl info", "xendeck info", TR_XL, "info", NULL);
	check_cmd("xendeck info --json", NULL, 0, "info", "--json", NULL);
	check_cmd("xl top", "xendeck top", TR_XL | TR_INTERACTIVE, "top",
	    NULL);
	check_cmd("xentop -b -i 2 -d 1", "xendeck top -b -i 2 -d 1", TR_XL,
	    "top", "-b", "-i", "2", "-d", "1", NULL);
	check_cmd("xendeck top -b --json", NULL, 0, "top", "-b", "--json",
	    NULL);
	check_cmd("xl create -n /root/work/w.cfg",
	    "xendeck check-config /root/work/w.cfg", TR_XL, "check-config",
	    "w.cfg", NULL);
	check_cmd(NULL, NULL, 0, "help", NULL);
	check_cmd(NULL, NULL, 0, "jobs", "-c", "3", NULL);
	check_cmd(NULL, NULL, 0, "guide", NULL);
	check_cmd(NULL, NULL, 0, "wizard", "host-check", NULL);
	check_cmd(NULL, NULL, 0, "wizard", "storage", "--set", "device=x",
	    "--plan", "--json", NULL);
	check_cmd("xendeck wizard storage --set device=/dev/vdb --apply", NULL,
	    0, "wizard", "storage", "--set", "device=/dev/vdb", "--apply",
	    NULL);
	check_cmd("xendeck wizard bridge --confirm", NULL, 0, "wizard",
	    "bridge", "--confirm", NULL);
	check_cmd("xendeck lab start --plain", NULL, 0, "lab", "start",
	    "--plain", NULL);
}

/* ---- the events of a real wizard run ---- */

static void
feed(const char *path, int json, struct transcript *t, char *const *argv)
{
	struct tr_wizard	 w;
	char			*buf = slurp(path);
	const char		*p = buf, *line;
	char			*l;
	size_t			 n;

	transcript_wizard_init(&w, argv, "qemu");
	is_int(w.json, json, "%s: read as %s", path, json ? "JSON" : "text");
	while (next_line(&p, buf + strlen(buf), &line, &n)) {
		l = xstrndup(line, n);
		transcript_wizard_line(&w, t, 1, l);
		free(l);
	}
	transcript_wizard_end(&w, t, "its job ended");
	transcript_wizard_free(&w);
	free(buf);
}

static void
test_events(const char *jrun, const char *trun, const char *tagain)
{
	char			*aj[] = { "xendeck", "--yes", "wizard", "tree",
				    "--set", "root=/x", "--apply", "--json",
				    NULL };
	char			*at[] = { "xendeck", "wizard", "tree", "--set",
				    "root=/x", "--apply", NULL };
	char			*plan[] = { "xendeck", "wizard", "tree",
				    NULL };
	struct transcript	 j, t, again, none;
	size_t			 i, files = 0, ops = 0;
	int			 same = 1;

	transcript_init(&j);
	transcript_init(&t);
	transcript_init(&again);
	transcript_init(&none);
	feed(jrun, 1, &j, aj);
	feed(trun, 0, &t, at);
	feed(trun, 0, &none, plan);
	is_int(none.n, 0, "a wizard job that only plans adds no step");
	ok(j.n >= 5, "the JSON run: %zu steps", j.n);
	is_int(t.n, j.n, "the text run: as many steps as the JSON one");
	for (i = 0; i < j.n && i < t.n; i++) {
		if (strcmp(j.v[i].command, t.v[i].command) != 0 ||
		    strcmp(j.v[i].outcome, t.v[i].outcome) != 0 ||
		    strcmp(j.v[i].title, t.v[i].title) != 0 ||
		    j.v[i].step != t.v[i].step || j.v[i].total !=
		    t.v[i].total) {
			same = 0;
			diag("step %zu: '%s' %s '%s' vs '%s' %s '%s'", i,
			    j.v[i].command, j.v[i].outcome, j.v[i].title,
			    t.v[i].command, t.v[i].outcome, t.v[i].title);
		}
	}
	ok(same, "both forms give the same steps: commands, outcomes, titles");
	for (i = 0, same = 1; i < j.n; i++) {
		if (j.v[i].kind != TR_STEP || strcmp(j.v[i].outcome, "ok") ||
		    strcmp(j.v[i].wizard, "tree") != 0 || j.v[i].step !=
		    (int)i + 1 || j.v[i].total != (int)j.n)
			same = 0;
		if (strncmp(j.v[i].command, "(file edit) ", 12) == 0 ||
		    strncmp(j.v[i].command, "(file removal) ", 15) == 0)
			files++;
		if (strncmp(j.v[i].command, "xendeck ", 8) == 0)
			ops++;
	}
	ok(same, "every step ok, of wizard tree, numbered 1 to %zu", j.n);
	ok(files >= 2, "file edits show as what they are (%zu)", files);
	ok(ops >= 1, "a xendeck step that is no xl command stays xendeck's");
	ok(strncmp(j.v[0].command, "mkdir ", 6) == 0, "the first step is the "
	    "engine's exact command: %s", j.v[0].command);

	/* The same answers again: every step's probe says it is done. */
	feed(tagain, 0, &again, at);
	is_int(again.n, j.n, "a second run reports every step");
	for (i = 0, same = 1; i < again.n; i++)
		same &= strcmp(again.v[i].outcome, "skipped") == 0;
	ok(same, "each as skipped (already done)");

	transcript_free(&j);
	transcript_free(&t);
	transcript_free(&again);
	transcript_free(&none);
}

/* A resumed run reports earlier steps: they are not done now. */
static void
test_resume_lines(void)
{
	char	*argv[] = { "xendeck", "wizard", "tree", "--resume", "--json",
		    NULL };
	struct tr_wizard	 w;
	struct transcript	 t;

	transcript_init(&t);
	transcript_wizard_init(&w, argv, NULL);
	transcript_wizard_line(&w, &t, 1, "{\"event\":\"begin\",\"step\":1,"
	    "\"total\":2,\"id\":\"a\",\"title\":\"A\",\"command\":\"true\"}");
	transcript_wizard_line(&w, &t, 1, "{\"event\":\"end\",\"step\":1,"
	    "\"id\":\"a\",\"outcome\":\"ok\",\"detail\":\"done earlier in "
	    "this run\"}");
	transcript_wizard_line(&w, &t, 1, "{\"event\":\"begin\",\"step\":2,"
	    "\"total\":2,\"id\":\"b\",\"title\":\"B\",\"command\":"
	    "\"xendeck create /etc/xen/b.cfg\"}");
	transcript_wizard_line(&w, &t, 2, "xendeck: not JSON at all");
	is_int(t.n, 1, "a step done earlier in the run is left out");
	is_str(t.v[0].command, "xl create /etc/xen/b.cfg", "a xendeck create "
	    "step shows as xl create");
	is_str(t.v[0].ran, "xendeck create /etc/xen/b.cfg", "with the "
	    "xendeck command beside it");
	is_str(t.v[0].outcome, "running", "running until its end");
	transcript_wizard_end(&w, &t, "killed by signal 9");
	is_str(t.v[0].outcome, "interrupted", "a job that ends mid-step: "
	    "interrupted");
	is_str(t.v[0].detail, "killed by signal 9", "with why");
	transcript_wizard_free(&w);
	transcript_free(&t);
}

/* ---- the export, and the log ---- */

static void
add(struct transcript *t, const char *cmd, const char *ran,
    const char *outcome, int interactive, enum tr_kind kind)
{
	struct tr_entry	 e;

	memset(&e, 0, sizeof e);
	e.when = 1796590000;
	e.ms = 1200;
	e.kind = kind;
	e.command = (char *)cmd;
	e.ran = (char *)ran;
	e.backend = ran != NULL ? "qemu" : NULL;
	e.outcome = (char *)outcome;
	e.interactive = interactive;
	if (kind == TR_STEP) {
		e.wizard = "volume";
		e.title = "Create the volume web1";
		e.step = 1;
		e.total = 1;
	}
	transcript_add(t, &e);
}

static void
test_export_log(void)
{
	struct transcript	 t, back;
	char			*s, *log, *cause = NULL, *buf;
	size_t			 i;
	int			 same = 1;
	FILE			*f;

	transcript_init(&t);
	t.started = 1796590000;
	add(&t, "xl create /etc/xen/web1.cfg", "xendeck create "
	    "/etc/xen/web1.cfg", "ok", 0, TR_COMMAND);
	add(&t, "xl console web1", "xendeck console web1", "ok", 1, TR_VIEW);
	add(&t, "xl destroy web1", "xendeck destroy --yes web1", "failed", 0,
	    TR_COMMAND);
	add(&t, "xendeck wizard volume --set name=web1 --apply", NULL, "ok", 0,
	    TR_COMMAND);
	add(&t, "truncate -s 1G /x/web1.img", NULL, "ok", 0, TR_STEP);
	add(&t, "(file edit) /etc/xen/web1.cfg", NULL, "ok", 0, TR_STEP);
	add(&t, "lvcreate -n web1 -L 1G vg0", NULL, "skipped", 0, TR_STEP);
	s = transcript_export(&t, "host1");
	ok(strstr(s, "\n# on QEMU: xendeck create /etc/xen/web1.cfg; on Xen: "
	    "xl create /etc/xen/web1.cfg\nxendeck create /etc/xen/web1.cfg\n")
	    != NULL, "export: a QEMU domain action runs as xendeck's, its xl "
	    "command beside it");
	ok(strstr(s, "\n# xendeck console web1\n") != NULL, "export: what "
	    "takes a terminal is a comment");
	ok(strstr(s, "failed  (1.2 s)\n") != NULL && strstr(s,
	    "\n# xendeck destroy --yes web1\n") != NULL, "export: a failed "
	    "command is a comment, its outcome said");
	ok(strstr(s, "wizard volume, step 1/1: Create the volume web1\n"
	    "truncate -s 1G /x/web1.img\n") != NULL, "export: a wizard step "
	    "runs its command, said whose step it is");
	ok(strstr(s, "(its steps are the commands below)\n# xendeck wizard "
	    "volume --set name=web1 --apply\n") != NULL, "export: a wizard's "
	    "command line is a comment, its steps run");
	ok(strstr(s, "\n# (file edit) /etc/xen/web1.cfg\n") != NULL,
	    "export: a file edit is a comment");
	ok(strstr(s, "\n# lvcreate -n web1 -L 1G vg0\n") != NULL, "export: a "
	    "skipped step is a comment");
	ok(strncmp(s, "#!/bin/sh\n", 10) == 0, "export: a sh script");
	free(s);
	s = xprintf("%s/export.sh", tmpdir);
	buf = transcript_export(&t, "host1");
	if ((f = fopen(s, "w")) != NULL) {
		fputs(buf, f);
		fclose(f);
	}
	free(buf);
	{
		char			*shn[] = { "sh", "-n", s, NULL };
		struct spawn_result	 res;

		ok(spawn_run(shn, NULL, 0, &res, &cause) == 0, "the exported "
		    "script is valid sh (sh -n)%s%s", cause != NULL ? ": " : "",
		    cause != NULL ? cause : "");
		spawn_result_free(&res);
		free(cause);
		cause = NULL;
	}
	free(s);

	log = xprintf("%s/state/transcript.jsonl", tmpdir);
	for (i = 0; i < t.n; i++) {
		if (transcript_log_append(log, &t.v[i], &cause) != 0) {
			diag("%s", cause);
			free(cause);
			cause = NULL;
		}
	}
	/* A torn last line (a crash mid-write) is skipped. */
	if ((f = fopen(log, "a")) != NULL) {
		fputs("{\"time\":1,\"command\":\"xl li", f);
		fclose(f);
	}
	transcript_init(&back);
	ok(transcript_log_load(log, &back, &cause) == 0, "the log reads back");
	is_int(back.n, t.n, "every entry, the torn line skipped");
	for (i = 0; i < back.n && i < t.n; i++) {
		if (strcmp(back.v[i].command, t.v[i].command) != 0 ||
		    strcmp(back.v[i].outcome, t.v[i].outcome) != 0 ||
		    back.v[i].kind != t.v[i].kind || back.v[i].interactive !=
		    t.v[i].interactive || back.v[i].when != t.v[i].when ||
		    (t.v[i].ran != NULL && (back.v[i].ran == NULL ||
		    strcmp(back.v[i].ran, t.v[i].ran) != 0)))
			same = 0;
	}
	ok(same, "as they were written");
	free(log);
	transcript_free(&back);
	transcript_free(&t);
}

/* ---- the detectors ---- */

static void
facts_pkgs(struct guide_facts *f, const char *dpkg_out)
{
	char	*out = xstrdup(dpkg_out);

	pkg_list_free(f->pkgs, strv_len(guide_pkg_names));
	pkg_query_parse(out, guide_pkg_names, &f->pkgs);
	free(out);
}

static void
facts_grub(struct guide_facts *f, const char *rel)
{
	char	*path = src(rel), *buf = slurp(path), *cause = NULL;

	grub_boot_free(&f->boot);
	f->have_boot = grub_boot_parse(path, buf, strlen(buf), &f->boot,
	    &cause) == 0;
	if (!f->have_boot)
		diag("%s", cause);
	free(cause);
	free(buf);
	free(path);
}

static void
expect(const struct guide_facts *f, const char *id, enum guide_status want,
    const char *evidence, const char *what)
{
	struct guide_result	 r;
	size_t			 i;

	for (i = 0; i < guide_nsteps; i++) {
		if (strcmp(guide_steps[i].id, id) == 0)
			break;
	}
	guide_detect(f, i, &r);
	is_str(guide_status_name(r.status), guide_status_name(want), "%s: %s",
	    id, what);
	if (evidence != NULL)
		is_str(r.evidence, evidence, "%s: the evidence", id);
	guide_result_free(&r);
}

static void
test_xen(void)
{
	struct guide_facts	 f;
	char			*dpkg, *path;

	guide_facts_init(&f);
	path = src("t/grub/dpkg-query.txt");
	dpkg = slurp(path);
	free(path);

	facts_pkgs(&f, "grub-pc\tii \t2.06-13+deb12u1\n");
	facts_grub(&f, "t/grub/grub-plain.cfg");
	expect(&f, "xen", GUIDE_TODO, "xen-system-amd64 is not installed; "
	    "GRUB boots \"Debian GNU/Linux\"", "before the install");

	facts_pkgs(&f, dpkg);
	facts_grub(&f, "t/grub/grub-xencfg.cfg");
	expect(&f, "xen", GUIDE_PARTLY, "xen-system-amd64 "
	    "4.17.5+72-g01140da4e8-1 installed, not running; default GRUB "
	    "entry is Xen (Debian GNU/Linux, with Xen hypervisor)",
	    "installed, GRUB's default is Xen, not rebooted yet");
	facts_grub(&f, "t/grub/grub-divert.cfg");
	expect(&f, "xen", GUIDE_PARTLY, NULL, "the guide's divert: Xen's "
	    "entry first");
	facts_grub(&f, "t/grub/grub-plain.cfg");
	expect(&f, "xen", GUIDE_PARTLY, "xen-system-amd64 "
	    "4.17.5+72-g01140da4e8-1 installed, not running; GRUB's default "
	    "entry is \"Debian GNU/Linux\", without Xen", "installed, GRUB "
	    "still boots Linux alone");

	f.xen.running = f.xen.dom0 = 1;
	snprintf(f.xen.version, sizeof f.xen.version, "4.17.5");
	facts_grub(&f, "t/grub/grub-xencfg.cfg");
	expect(&f, "xen", GUIDE_DONE, "Xen 4.17.5 running, default GRUB entry "
	    "is Xen", "after the reboot");
	facts_grub(&f, "t/grub/grub-plain.cfg");
	expect(&f, "xen", GUIDE_PARTLY, NULL, "Xen runs but the next boot "
	    "would not start it");
	f.xen.dom0 = 0;
	facts_grub(&f, "t/grub/grub-xencfg.cfg");
	expect(&f, "xen", GUIDE_PARTLY, "Xen 4.17.5 running, but this is a "
	    "guest (domU), default GRUB entry is Xen", "in a domU");

	memset(&f.xen, 0, sizeof f.xen);
	grub_boot_free(&f.boot);
	f.have_boot = 0;
	f.boot_why = xstrdup("/boot/grub/grub.cfg: No such file or "
	    "directory");
	facts_pkgs(&f, "");
	expect(&f, "xen", GUIDE_NA, "Xen is not installed, and this system "
	    "does not boot through GRUB (/boot/grub/grub.cfg: No such file or "
	    "directory)", "no GRUB here (a container)");
	free(dpkg);
	guide_facts_free(&f);
}

static void
test_hardware(void)
{
	struct guide_facts	 f;
	char			*path;

	guide_facts_init(&f);
	snprintf(f.machine, sizeof f.machine, "x86_64");
	f.lm = f.vmx = 1;
	f.mem_bytes = 8ULL << 30;
	expect(&f, "hardware", GUIDE_DONE, "x86_64, 8.0 GiB of memory, VT-x "
	    "(vmx)", "64-bit, 8 GiB, VT-x");
	f.vmx = 0;
	f.backend = xstrdup("qemu");
	expect(&f, "hardware", GUIDE_PARTLY, "x86_64, 8.0 GiB of memory, no "
	    "VT-x/AMD-V (cpuinfo): PV guests only (QEMU emulates HVM here, "
	    "slowly)", "no VT-x/AMD-V: PV only");
	f.mem_bytes = 512ULL << 20;
	expect(&f, "hardware", GUIDE_TODO, NULL, "512 MiB is too little");
	f.mem_bytes = 8ULL << 30;
	snprintf(f.machine, sizeof f.machine, "i686");
	expect(&f, "hardware", GUIDE_TODO, NULL, "a 32-bit kernel");

	/* Under Xen: xl info says, not cpuinfo (a PV dom0 hides vmx/svm). */
	snprintf(f.machine, sizeof f.machine, "x86_64");
	f.xen.running = f.xen.dom0 = 1;
	path = src("t/guide/xl-info.txt");
	f.xen.info = slurp(path);
	free(path);
	expect(&f, "hardware", GUIDE_DONE, NULL, "Xen's xl info offers hvm "
	    "(the lab's)");
	guide_facts_free(&f);
}

/* A pool of the report, by hand: pools are data here (pool.c's tests). */
static void
add_pool(struct guide_facts *f, const char *name, enum pool_type type,
    uint64_t size, uint64_t free_, const char *pv, size_t nvols,
    uint64_t each)
{
	struct pool_report	*r = &f->pools;
	struct pool		*p;
	size_t			 k;

	r->pools = xreallocarray(r->pools, r->npools + 1, sizeof *r->pools);
	r->vols = xreallocarray(r->vols, r->npools + 1, sizeof *r->vols);
	r->nvols = xreallocarray(r->nvols, r->npools + 1, sizeof *r->nvols);
	r->errors = xreallocarray(r->errors, r->npools + 1,
	    sizeof *r->errors);
	p = &r->pools[r->npools];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->type = type;
	p->size = size;
	p->free = free_;
	if (pv != NULL)
		strv_push(&p->pvs, pv);
	r->vols[r->npools] = xcalloc(nvols + 1, sizeof **r->vols);
	for (k = 0; k < nvols; k++) {
		r->vols[r->npools][k].name = xprintf("v%zu", k);
		r->vols[r->npools][k].pool = xstrdup(name);
		r->vols[r->npools][k].size = each;
	}
	r->nvols[r->npools] = nvols;
	r->errors[r->npools] = NULL;
	r->npools++;
}

static void
test_storage(void)
{
	struct guide_facts	 f;
	char			*dflt = pool_default_dir(), *want;

	guide_facts_init(&f);
	facts_pkgs(&f, "");
	add_pool(&f, dflt, POOL_DIR, 100ULL << 30, 50ULL << 30, NULL, 0, 0);
	expect(&f, "lvm", GUIDE_TODO, "no volume group (lvm2 is not "
	    "installed)", "no lvm2, the default directory empty");
	facts_pkgs(&f, "lvm2\tii \t2.03.16-2\n");
	expect(&f, "lvm", GUIDE_TODO, "no volume group", "lvm2, no VG");
	add_pool(&f, "/srv/pool", POOL_DIR, 100ULL << 30, 50ULL << 30, NULL,
	    1, 16ULL << 20);
	expect(&f, "lvm", GUIDE_PARTLY, "no volume group; guests' disks in "
	    "directory /srv/pool: 50.0 GiB free, 1 volume of 16.0 MiB",
	    "a volume in a directory pool: partly (not LVM)");
	guide_facts_free(&f);

	guide_facts_init(&f);
	facts_pkgs(&f, "lvm2\tii \t2.03.16-2\n");
	add_pool(&f, "vg0", POOL_LVM, 12ULL << 30, 12ULL << 30, "/dev/vdb", 0,
	    0);
	add_pool(&f, dflt, POOL_DIR, 100ULL << 30, 50ULL << 30, NULL, 0, 0);
	f.devmapper = 1;
	expect(&f, "lvm", GUIDE_DONE, "vg0 on /dev/vdb: 12.0 GiB, 12.0 GiB "
	    "free, no volume", "vg0 on /dev/vdb");
	f.devmapper = 0;
	expect(&f, "lvm", GUIDE_PARTLY, "vg0 on /dev/vdb: 12.0 GiB, 12.0 GiB "
	    "free, no volume; no device-mapper in this kernel: volumes cannot "
	    "be activated here", "no device-mapper");
	f.devmapper = 1;
	f.pools.pools[0].free = 1ULL << 30;
	expect(&f, "lvm", GUIDE_PARTLY, NULL, "1 GiB free is too little");
	add_pool(&f, "/srv/pool", POOL_DIR, 100ULL << 30, 50ULL << 30, NULL,
	    2, 8ULL << 20);
	want = xprintf("vg0 on /dev/vdb: 12.0 GiB, 1.0 GiB free, no volume; "
	    "directory /srv/pool: 50.0 GiB free, 2 volumes of 16.0 MiB");
	expect(&f, "lvm", GUIDE_PARTLY, want, "a VG and a directory pool");
	free(want);
	guide_facts_free(&f);
	free(dflt);
}

static struct blockdev *
add_dev(struct guide_facts *f, const char *path, const char *type,
    uint64_t size)
{
	struct blockdev	*d;

	f->devs = xreallocarray(f->devs, f->ndevs + 1, sizeof *f->devs);
	d = &f->devs[f->ndevs++];
	memset(d, 0, sizeof *d);
	d->path = xstrdup(path);
	d->name = xstrdup(strrchr(path, '/') + 1);
	d->type = xstrdup(type);
	d->size = size;
	return (d);
}

static void
test_install(void)
{
	struct guide_facts	 f;
	struct blockdev		*d;

	guide_facts_init(&f);
	f.have_os = 1;
	snprintf(f.os.id, sizeof f.os.id, "debian");
	snprintf(f.os.pretty, sizeof f.os.pretty,
	    "Debian GNU/Linux 12 (bookworm)");
	d = add_dev(&f, "/dev/vda", "disk", 20ULL << 30);
	strv_push(&d->uses, "mounted on /run/netns");
	strv_push(&d->uses, "mounted on /");
	add_dev(&f, "/dev/zram0", "disk", 0);
	add_dev(&f, "/dev/sr0", "rom", 600ULL << 20);
	expect(&f, "install", GUIDE_TODO, "Debian GNU/Linux 12 (bookworm); no "
	    "spare disk or partition (/dev/vda: mounted on /)", "one disk, "
	    "in use: no room for LVM");
	d = add_dev(&f, "/dev/vdc", "disk", 1ULL << 30);
	strv_push(&d->sigs, "ext4 'data'");
	expect(&f, "install", GUIDE_PARTLY, "Debian GNU/Linux 12 (bookworm); "
	    "/dev/vdc (1.0 GiB) is unused but holds ext4 'data': LVM can have "
	    "it once it is wiped", "a disk with a file system, unused");
	add_dev(&f, "/dev/vdb", "disk", 1ULL << 30);
	expect(&f, "install", GUIDE_DONE, "Debian GNU/Linux 12 (bookworm); "
	    "/dev/vdb (1.0 GiB) is empty and unused: room for LVM", "an empty "
	    "disk: the guide's spare partition");
	d = add_dev(&f, "/dev/vdd", "part", 4ULL << 30);
	d->vg = xstrdup("vg0");
	expect(&f, "install", GUIDE_DONE, "Debian GNU/Linux 12 (bookworm); "
	    "/dev/vdd is LVM's: a physical volume of vg0", "a PV already");
	guide_facts_free(&f);
}

/* The /etc/network/interfaces of a t/ifupdown case, under ROOT. */
static void
interfaces_from(const char *rel, const char *root, struct guide_facts *f)
{
	char		*path = src(rel), *buf = slurp(path), *cause = NULL;
	char		*start, *end, *file, *dir;

	start = strstr(buf, "=== /etc/network/interfaces");
	start = start != NULL ? strchr(start, '\n') + 1 : buf;
	for (end = start; *end != '\0'; end = strchr(end, '\n') + 1) {
		if (strncmp(end, "=== ", 4) == 0 || strncmp(end, "--- ", 4) ==
		    0 || strchr(end, '\n') == NULL)
			break;
	}
	dir = xprintf("%s/etc/network", root);
	file = xprintf("%s/interfaces", dir);
	if (mkdir_p(dir, 0755, &cause) != 0 || file_write_atomic(file, start,
	    end - start, 0644, 0, &cause) != 0) {
		diag("%s", cause);
		free(cause);
		cause = NULL;
	}
	ifupdown_free(&f->ifs);
	f->have_ifs = ifupdown_load(root, "/etc/network/interfaces", NULL, 0,
	    &f->ifs, &cause) == 0;
	if (!f->have_ifs)
		diag("%s", cause);
	free(cause);
	free(file);
	free(dir);
	free(buf);
	free(path);
}

/* `xendeck network --json` as it printed it in a network namespace. */
static void
net_from(const char *rel, struct guide_facts *f)
{
	char		*path = src(rel), *buf = slurp(path), *cause = NULL;
	json_t		*o;

	net_facts_free(&f->net);
	o = json_loads(buf, 0, NULL);
	f->have_net = o != NULL && net_facts_from_json(o, &f->net,
	    &cause) == 0;
	if (!f->have_net)
		diag("%s: %s", path, cause != NULL ? cause : "not JSON");
	json_decref(o);
	free(cause);
	free(buf);
	free(path);
}

static void
test_network(void)
{
	struct guide_facts	 f;
	char			*root = xprintf("%s/netroot", tmpdir);

	guide_facts_init(&f);
	facts_pkgs(&f, "bridge-utils\tii \t1.7.1-1\n");
	f.have_net = 1;
	interfaces_from("t/ifupdown/guide-before.case", root, &f);
	expect(&f, "network", GUIDE_TODO, "no xenbr0 bridge", "no bridge, "
	    "none in interfaces");
	interfaces_from("t/ifupdown/guide-after.out", root, &f);
	expect(&f, "network", GUIDE_PARTLY, "no xenbr0 bridge; "
	    "/etc/network/interfaces has its stanza (dhcp), but it is not up",
	    "written by the bridge wizard, not up yet");

	net_from("t/guide/net-bare.json", &f);
	interfaces_from("t/ifupdown/guide-before.case", root, &f);
	expect(&f, "network", GUIDE_PARTLY, "xenbr0 exists, no port (no "
	    "network card in it), no IPv4 address, down; not in "
	    "/etc/network/interfaces: gone at the next boot", "brctl addbr "
	    "by hand: a bare bridge");

	net_from("t/guide/net-xenbr0.json", &f);
	expect(&f, "network", GUIDE_PARTLY, "xenbr0 exists, port eth0, address "
	    "10.0.2.15/24 by DHCP; not in /etc/network/interfaces: gone at the "
	    "next boot", "up with a port and a lease, but not kept");
	interfaces_from("t/ifupdown/guide-after.out", root, &f);
	expect(&f, "network", GUIDE_DONE, "xenbr0 exists, port eth0, address "
	    "10.0.2.15/24 by DHCP", "the guide's bridge, kept at boot");
	guide_facts_free(&f);
	free(root);
}

static void
copy_cfg(const char *rel, const char *dir, const char *name)
{
	char	*from = src(rel), *buf = slurp(from), *to, *cause = NULL;

	to = xprintf("%s/%s", dir, name);
	if (file_write_atomic(to, buf, strlen(buf), 0644, 0, &cause) != 0) {
		diag("%s", cause);
		free(cause);
	}
	free(to);
	free(buf);
	free(from);
}

static void
test_guests(void)
{
	struct guide_facts	 f;
	char			*dir, *cause = NULL;

	dir = xprintf("%s/etc-xen", tmpdir);
	if (mkdir_p(dir, 0755, &cause) != 0) {
		diag("%s", cause);
		free(cause);
	}
	guide_facts_init(&f);
	guide_facts_cfgs(&f, dir);
	expect(&f, "pv-guest", GUIDE_TODO, NULL, "no domain file");
	expect(&f, "hvm-guest", GUIDE_TODO, NULL, "no domain file");
	guide_facts_free(&f);

	copy_cfg("t/xlcfg/xen-tools-pv.cfg", dir, "tutorial-pv-guest.cfg");
	copy_cfg("t/xlcfg/windows.cfg", dir, "windows.cfg");
	guide_facts_init(&f);
	guide_facts_cfgs(&f, dir);
	is_int(f.ncfgs, 2, "both domain files read");
	f.backend = xstrdup("xl");
	f.doms = xcalloc(2, sizeof *f.doms);
	f.ndoms = 1;
	snprintf(f.doms[0].name, sizeof f.doms[0].name, "Domain-0");
	f.doms[0].type = XLCFG_TYPE_PV;
	free(cause);
	cause = xprintf("tutorial-pv-guest is defined in %s but not running",
	    dir);
	expect(&f, "pv-guest", GUIDE_PARTLY, cause, "xen-tools' file, not "
	    "running");
	free(cause);
	cause = xprintf("ovm-1734 is defined in %s but not running", dir);
	expect(&f, "hvm-guest", GUIDE_PARTLY, cause, "the guide's "
	    "windows.cfg, not running");
	free(cause);

	f.ndoms = 2;
	snprintf(f.doms[1].name, sizeof f.doms[1].name, "tutorial-pv-guest");
	f.doms[1].domid = 3;
	f.doms[1].type = XLCFG_TYPE_PV;
	expect(&f, "pv-guest", GUIDE_DONE, "tutorial-pv-guest is running (id "
	    "3)", "it runs");
	snprintf(f.doms[1].name, sizeof f.doms[1].name, "ovm-1734");
	f.doms[1].type = XLCFG_TYPE_HVM;
	f.doms[1].has_vnc = 1;
	expect(&f, "hvm-guest", GUIDE_DONE, "ovm-1734 is running (id 3), "
	    "with a VNC screen (v)", "the HVM guest runs with VNC");
	f.doms[1].has_vnc = 0;
	expect(&f, "hvm-guest", GUIDE_PARTLY, NULL, "without VNC");
	guide_facts_free(&f);
	free(dir);
}

static void
test_everyday(void)
{
	struct guide_facts	 f;
	char			*log;

	guide_facts_init(&f);
	expect(&f, "everyday", GUIDE_TODO, NULL, "nothing used yet");
	guide_facts_free(&f);

	/* From the log test_export_log wrote: xl create, xl destroy failed. */
	log = xprintf("%s/state/transcript.jsonl", tmpdir);
	guide_facts_init(&f);
	guide_facts_log(&f, log);
	expect(&f, "everyday", GUIDE_PARTLY, "used: xl console; not yet: "
	    "info, list, top, shutdown, destroy", "a console used; the "
	    "destroy failed, so it does not count");
	guide_facts_used(&f, "xl info");
	guide_facts_used(&f, "xl list");
	guide_facts_used(&f, "xl top");
	guide_facts_used(&f, "xl shutdown");
	guide_facts_used(&f, "xl destroy");
	expect(&f, "everyday", GUIDE_DONE, NULL, "all six used");
	ok(!guide_used_match("xl listen", "xl list") &&
	    guide_used_match("xl list -l", "xl list"), "xl list -l is xl "
	    "list, xl listen is not");
	guide_facts_free(&f);
	free(log);
}

int
main(int argc, char **argv)
{
	size_t	 i;
	int	 texts = 1;

	if (argc != 6) {
		fprintf(stderr, "usage: unit-guide SRCDIR TMPDIR JSON-RUN "
		    "TEXT-RUN TEXT-AGAIN\n");
		return (2);
	}
	srcdir = argv[1];
	tmpdir = argv[2];
	for (i = 0; i < guide_nsteps; i++) {
		if (guide_steps[i].about == NULL || guide_steps[i].guide ==
		    NULL || (guide_steps[i].wizard == NULL &&
		    guide_steps[i].action == NULL))
			texts = 0;
	}
	is_int(guide_nsteps, 8, "the guide has eight steps");
	ok(texts, "each says what and why, what the guide writes, and what "
	    "does it");
	is_str(guide_steps[0].id, "hardware", "in the guide's order: the "
	    "hardware first");
	is_str(guide_steps[guide_nsteps - 1].id, "everyday", "the everyday "
	    "commands last");
	test_commands();
	test_events(argv[3], argv[4], argv[5]);
	test_resume_lines();
	test_export_log();
	test_xen();
	test_hardware();
	test_storage();
	test_install();
	test_network();
	test_guests();
	test_everyday();
	return (done_testing());
}
