/*
 * The pool model (xen-core/pool.c, lvm.c, blockdev.c, pool-users.c): sizes
 * and names; lvm2's fullreport parsed from a fixture; then for real, a
 * directory pool of qemu-img images, and lvm2 on loop devices with a
 * private LVM_SYSTEM_DIR (activation off: this host has no device-mapper).
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"
#include "tap.h"

static char	*tmp;

static int
run(const char *first, ...)
{
	struct spawn_result	 res;
	va_list			 ap;
	char			**argv = NULL, *cause = NULL;
	const char		*s;
	int			 rc;

	strv_push(&argv, first);
	va_start(ap, first);
	while ((s = va_arg(ap, const char *)) != NULL)
		strv_push(&argv, s);
	va_end(ap);
	rc = spawn_run(argv, NULL, SPAWN_STDOUT, &res, &cause);
	if (rc != 0)
		diag("%s", cause);
	free(cause);
	spawn_result_free(&res);
	strv_free(argv);
	return (rc);
}

/* The first line of a command's stdout, or "". */
static char *
out1(const char *a, const char *b, const char *c, const char *d)
{
	char *const		 argv[] = { (char *)a, (char *)b, (char *)c,
				     (char *)d, NULL };
	struct spawn_result	 res;
	char			*cause = NULL, *s;

	if (spawn_run(argv, NULL, SPAWN_STDOUT, &res, &cause) != 0 ||
	    res.out == NULL) {
		free(cause);
		spawn_result_free(&res);
		return (xstrdup(""));
	}
	s = xstrndup(res.out, strcspn(res.out, "\n"));
	spawn_result_free(&res);
	return (s);
}

static int
has(char **v, const char *s)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (strstr(v[i], s) != NULL)
			return (1);
	}
	return (0);
}

static void
test_sizes(void)
{
	struct pool	 p = { .name = "vg0", .free = 1000ULL << 20 };
	uint64_t	 n = 0;
	char		*cause = NULL, *s;

	ok(pool_parse_size(&p, "8G", &n, &cause) == 0 && n == 8ULL << 30,
	    "8G");
	ok(pool_parse_size(&p, "512M", &n, &cause) == 0 && n == 512ULL << 20,
	    "512M");
	ok(pool_parse_size(&p, "1.5g", &n, &cause) == 0 &&
	    n == 3ULL << 29, "1.5g");
	ok(pool_parse_size(&p, "8GiB", &n, &cause) == 0 && n == 8ULL << 30,
	    "8GiB");
	ok(pool_parse_size(&p, "2TB", &n, &cause) == 0 && n == 2ULL << 40,
	    "2TB is binary, as lvm2 reads it");
	ok(pool_parse_size(&p, "100%FREE", &n, &cause) == 0 && n == p.free,
	    "100%%FREE is the pool's free space");
	ok(pool_parse_size(&p, "50%free", &n, &cause) == 0 &&
	    n == p.free / 2, "50%%free");
	is_int(pool_parse_size(&p, "8", &n, &cause), -2, "8: no unit");
	is_str(cause, "size: '8' needs a unit (K, M, G, T): 8G?",
	    "... says so, naming the field");
	free(cause);
	cause = NULL;
	is_int(pool_parse_size(&p, "8X", &n, &cause), -2, "8X");
	ok(cause != NULL && strncmp(cause, "size: ", 6) == 0, "... size:");
	free(cause);
	cause = NULL;
	is_int(pool_parse_size(&p, "0G", &n, &cause), -2, "0G");
	free(cause);
	cause = NULL;
	is_int(pool_parse_size(&p, "-1G", &n, &cause), -2, "-1G");
	free(cause);
	cause = NULL;
	is_int(pool_parse_size(&p, "101%FREE", &n, &cause), -2, "101%%FREE");
	free(cause);
	cause = NULL;
	is_int(pool_parse_size(NULL, "10%FREE", &n, &cause), -2,
	    "%%FREE without a pool");
	free(cause);
	cause = NULL;

	s = pool_size_string(0);
	is_str(s, "0 B", "0 B");
	free(s);
	s = pool_size_string(1024);
	is_str(s, "1.0 KiB", "1.0 KiB");
	free(s);
	s = pool_size_string(8ULL << 30);
	is_str(s, "8.0 GiB", "8.0 GiB");
	free(s);
	s = pool_size_string((1ULL << 30) - 1);
	is_str(s, "1023.9 MiB", "rounded down, never up");
	free(s);
	s = pool_size_arg(8ULL << 30);
	is_str(s, "8G", "8G as an argument");
	free(s);
	s = pool_size_arg(1536ULL << 20);
	is_str(s, "1536M", "1536M");
	free(s);
	s = pool_size_arg(4608);
	is_str(s, "4608b", "bytes otherwise");
	free(s);

	is_int(pool_check_name("web1", "name", &cause), 0, "web1 is a name");
	is_int(pool_check_name("-web", "name", &cause), -2, "-web is not");
	free(cause);
	cause = NULL;
	is_int(pool_check_name("snapshot2", "name", &cause), -2,
	    "snapshot2 is lvm2's");
	free(cause);
	cause = NULL;
	is_int(pool_check_name("a_tdata", "name", &cause), -2,
	    "a_tdata is lvm2's");
	free(cause);
	cause = NULL;
	is_int(pool_check_name("a b", "vg", &cause), -2, "a b");
	ok(cause != NULL && strncmp(cause, "vg: ", 4) == 0,
	    "the cause names the field given");
	free(cause);
}

static void
test_report(void)
{
	struct lvm_report	 rep;
	const struct lvm_lv	*lv;
	const struct lvm_pv	*pv;
	char			*buf = NULL, *cause = NULL, *path;
	size_t			 len;

	path = xprintf("%s/t/pool/fullreport.json", getenv("XD_SRCDIR") ?
	    getenv("XD_SRCDIR") : ".");
	if (file_read(path, &buf, &len, &cause) != 0) {
		ok(0, "read %s: %s", path, cause);
		free(path);
		return;
	}
	is_int(lvm_report_parse(&rep, buf, len, &cause), 0, "fullreport");
	is_int(rep.nvgs, 1, "one VG");
	is_int(rep.npvs, 2, "two PVs");
	is_int(rep.nlvs, 5, "five LVs (the hidden one left out)");
	ok(rep.nvgs == 1 && strcmp(rep.vgs[0].name, "vg0") == 0 &&
	    rep.vgs[0].free == 5368709120ULL &&
	    rep.vgs[0].extent == 4194304, "vg0's sizes");
	pv = lvm_pv_find(&rep, "/dev/vdc");
	ok(pv != NULL && strcmp(pv->vg, "") == 0, "/dev/vdc is an orphan");
	pv = lvm_pv_find(&rep, "/dev/vdb");
	ok(pv != NULL && strcmp(pv->vg, "vg0") == 0, "/dev/vdb is in vg0");
	lv = lvm_lv_find(&rep, "vg0", "thin");
	ok(lv != NULL && lv->thin_pool && lv->zero == 1 && lv->data_pct == 25,
	    "thin: a thin pool that zeroes, 25%% full");
	lv = lvm_lv_find(&rep, "vg0", "web1");
	ok(lv != NULL && lv->thin && !lv->snapshot &&
	    strcmp(lv->origin, "tmpl") == 0 && lv->open == 1,
	    "web1: a thin snapshot of tmpl, open");
	lv = lvm_lv_find(&rep, "vg0", "data-snap");
	ok(lv != NULL && lv->snapshot && lv->snap_pct == 12.5 &&
	    lv->origin_size == 1073741824ULL && lv->open == 0,
	    "data-snap: a classic snapshot 12.5%% full");
	lv = lvm_lv_find(&rep, "vg0", "data");
	ok(lv != NULL && lvm_has_tag(lv, "xendeck-incomplete") &&
	    lvm_has_tag(lv, "backup") && !lvm_has_tag(lv, "xendeck"),
	    "tags");
	ok(lvm_lv_find(&rep, "vg0", "[thin_tdata]") == NULL, "no hidden LV");
	lvm_report_free(&rep);
	is_int(lvm_report_parse(&rep, "{", 1, &cause), -1, "bad JSON");
	free(cause);
	free(buf);
	free(path);
}

/* What lvm2 2.03.16 printed in the lab, with device-mapper. */
static void
test_report_lab(void)
{
	struct lvm_report	 rep;
	const struct lvm_lv	*lv;
	char			*buf = NULL, *cause = NULL, *path;
	size_t			 len;

	path = xprintf("%s/t/pool/fullreport-lab.json", getenv("XD_SRCDIR") ?
	    getenv("XD_SRCDIR") : ".");
	if (file_read(path, &buf, &len, &cause) != 0) {
		ok(0, "read %s: %s", path, cause);
		free(path);
		return;
	}
	is_int(lvm_report_parse(&rep, buf, len, &cause), 0,
	    "the lab's fullreport");
	is_int(rep.nlvs, 5, "five LVs");
	lv = lvm_lv_find(&rep, "xdexp", "data");
	ok(lv != NULL && !lv->snapshot && !lv->thin && lv->open == 0 &&
	    lv->size == 104857600, "data: a classic LV, closed, 100 MiB");
	lv = lvm_lv_find(&rep, "xdexp", "data-snap");
	ok(lv != NULL && lv->snapshot && lv->snap_pct == 25.14 &&
	    strcmp(lv->origin, "data") == 0 && lv->size == 20971520 &&
	    lv->origin_size == 104857600,
	    "data-snap: a classic snapshot of data, 20 MiB, 25.14%% full");
	lv = lvm_lv_find(&rep, "xdexp", "thin");
	ok(lv != NULL && lv->thin_pool && lv->zero == 1 && lv->open == 1,
	    "thin: an open thin pool that zeroes");
	lv = lvm_lv_find(&rep, "xdexp", "web1");
	ok(lv != NULL && lv->thin && !lv->snapshot &&
	    strcmp(lv->origin, "tmpl") == 0 &&
	    strcmp(lv->pool_lv, "thin") == 0,
	    "web1: a thin snapshot of tmpl in thin");
	lvm_report_free(&rep);
	free(buf);
	free(path);
}

static void
test_dir_pool(void)
{
	struct pool	*list, p;
	struct volume	*vols, v;
	char		*images, *base, *ov, *cause = NULL, *reg, *cfg, *s;
	char		*other, *bad;
	size_t		 n, nv, i;
	int		 found = 0;

	images = pool_default_dir();
	ok(strncmp(images, tmp, strlen(tmp)) == 0,
	    "the default pool is under XENDECK_STATEDIR");
	mkdir(images, 0700);
	base = xprintf("%s/base.img", images);
	ov = xprintf("%s/ov.qcow2", images);
	ok(run("qemu-img", "create", "-q", "-f", "raw", base, "64M", NULL) ==
	    0, "a raw image");
	ok(run("qemu-img", "create", "-q", "-f", "qcow2", "-b", base, "-F",
	    "raw", ov, NULL) == 0, "a qcow2 overlay on it");
	s = xprintf("%s/notes.txt", images);
	file_write_atomic(s, "x\n", 2, 0644, 0, &cause);
	free(s);

	is_int(pool_list(&list, &n, &cause), 0, "pool_list");
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].name, images) == 0 &&
		    list[i].type == POOL_DIR && list[i].size > 0 &&
		    list[i].free > 0 && list[i].free <= list[i].size)
			found = 1;
	}
	ok(found, "lists the default directory pool with its sizes");
	pool_list_free(list, n);

	is_int(pool_find(images, &p, &cause), 0, "pool_find by directory");
	is_int(pool_volumes(&p, &vols, &nv, &cause), 0, "pool_volumes");
	is_int(nv, 2, "two images (notes.txt is not one)");
	if (nv == 2) {
		is_str(vols[0].name, "base", "base");
		is_str(vols[0].format, "raw", "... raw");
		ok(vols[0].size == 64ULL << 20, "... 64 MiB");
		ok(vols[0].origin == NULL, "... no origin");
		is_str(vols[1].name, "ov", "ov");
		is_str(vols[1].format, "qcow2", "... qcow2");
		ok(vols[1].size == 64ULL << 20, "... 64 MiB (virtual)");
		is_str(vols[1].origin, "base", "... its origin is base");
	}
	volume_list_free(vols, nv);

	is_int(volume_find(&p, "ov.qcow2", &v, &cause), 0, "by file name");
	is_str(v.path, ov, "... its path");
	volume_free(&v);
	is_int(volume_find(&p, "nope", &v, &cause), -1, "no such volume");
	ok(cause != NULL && strncmp(cause, "name: no volume 'nope' in ", 26) ==
	    0, "... says so");
	free(cause);
	cause = NULL;

	/* Users: an xl.cfg in $XENDECK_XEN_DIR names base.img. */
	cfg = xprintf("%s/xen/web.cfg", tmp);
	s = xprintf("name = \"web\"\ndisk = [ 'file:%s,xvda,w' ]\n", base);
	ok(file_write_atomic(cfg, s, strlen(s), 0644, 0, &cause) == 0,
	    "an xl.cfg using base.img");
	free(s);
	is_int(volume_find(&p, "base", &v, &cause), 0, "base");
	ok(v.used_by != NULL && strcmp(v.used_by[0], cfg) == 0 &&
	    v.used_by[1] == NULL, "... is used by that config");
	volume_free(&v);
	/* A disk= entry xl would refuse still names the disk. */
	s = xprintf("%s/xen/old.cfg", tmp);
	bad = xprintf("disk = [ 'file:%s,qcow2,xvda,w' ]\n", base);
	file_write_atomic(s, bad, strlen(bad), 0644, 0, &cause);
	is_int(volume_find(&p, "base", &v, &cause), 0, "base");
	ok(v.used_by != NULL && has(v.used_by, "old.cfg"),
	    "... is used by a config whose disk= xl would refuse, too");
	volume_free(&v);
	unlink(s);
	free(s);
	free(bad);

	s = xprintf("%s/base.qcow2", images);
	run("qemu-img", "create", "-q", "-f", "qcow2", s, "1M", NULL);
	is_int(volume_find(&p, "base", &v, &cause), -1,
	    "base.img and base.qcow2: base is ambiguous");
	ok(cause != NULL && strstr(cause, "ambiguous") != NULL, "... says so");
	free(cause);
	cause = NULL;
	is_int(volume_find(&p, "base.qcow2", &v, &cause), 0,
	    "... base.qcow2 is not");
	volume_free(&v);
	unlink(s);
	free(s);
	pool_free(&p);

	/* A directory that is not a pool until it is registered. */
	other = xprintf("%s/other", tmp);
	mkdir(other, 0700);
	is_int(pool_find(other, &p, &cause), -1, "an unknown directory");
	ok(cause != NULL && strstr(cause, "not a pool yet") != NULL &&
	    strstr(cause, "wizard storage") != NULL,
	    "... says how to set it up");
	free(cause);
	cause = NULL;
	reg = pool_registry_path();
	s = xprintf("# pools\n%s/\n", other);
	file_write_atomic(reg, s, strlen(s), 0644, 0, &cause);
	free(s);
	ok(pool_dir_known(other), "registered");
	is_int(pool_find(other, &p, &cause), 0, "... then it is a pool");
	pool_free(&p);
	is_int(pool_find("nosuchvg", &p, &cause), -1, "no such pool");
	ok(cause != NULL && strstr(cause, "pool: no volume group or image "
	    "directory named 'nosuchvg'") == cause, "... pool:");
	free(cause);
	free(reg);
	free(other);
	free(cfg);
	free(base);
	free(ov);
	free(images);
}


/* The argv of a plan's step as one line, or "" (for is_str). */
static char *
step_line(const struct plan *pl, const char *id)
{
	const struct plan_step	*st = plan_step_find(pl, id);

	return (st != NULL ? plan_step_command(st) : xstrdup("(no step)"));
}

static int
has_note(const struct plan *pl, const char *text)
{
	return (has(pl->notes, text));
}

/*
 * The pool_plan_* functions on a directory pool, applied for real (each
 * plan a wizard name of its own: a run's id is WIZARD-TIME-PID).
 */
static void
test_dir_plans(void)
{
	struct plan	 pl;
	struct pool	 p;
	struct plan_step *st;
	char		*dir, *cause = NULL, *s, *run = NULL, *cfg, *path;
	const char	*v;

	dir = xprintf("%s/plans", tmp);
	mkdir(dir, 0700);
	s = xprintf("%s\n", dir);
	path = pool_registry_path();
	file_write_atomic(path, s, strlen(s), 0644, 0, &cause);
	free(path);
	free(s);
	if (pool_find(dir, &p, &cause) != 0) {
		ok(0, "pool_find %s: %s", dir, cause);
		return;
	}

	plan_init(&pl, "unit-pool-1");
	is_int(pool_plan_create(&pl, &p, "web1", 32 << 20, "qcow2", &cause), 0,
	    "create web1 (qcow2)");
	is_int(pl.nsteps, 2, "... two steps");
	s = step_line(&pl, "create-web1");
	path = xprintf("qemu-img create -q -f qcow2 %s/web1.qcow2 32M", dir);
	is_str(s, path, "... qemu-img create");
	free(path);
	free(s);
	s = step_line(&pl, "create-web1-private");
	path = xprintf("chmod 0600 %s/web1.qcow2", dir);
	is_str(s, path, "... then root's only, whatever the umask");
	free(path);
	free(s);
	st = plan_step_find(&pl, "create-web1");
	ok(st != NULL && st->probe.argv != NULL &&
	    strcmp(st->probe.argv[0], "test") == 0 && st->undo != NULL,
	    "... with a probe and an undo");
	s = xprintf("volume %s/web1", dir);
	v = plan_fact_get(&pl, s);
	is_str(v, "absent", "... fact: web1 absent");
	ok(pl.nfacts > 0 && pl.facts[0].changed_by != NULL &&
	    strcmp(pl.facts[0].changed_by, "create-web1") == 0,
	    "... changed by create-web1");
	free(s);
	if (!ok(plan_apply(&pl, 0, NULL, &run, &cause) == 0, "... applied"))
		diag("%s", cause);
	free(run);
	run = NULL;
	plan_free(&pl);

	plan_init(&pl, "unit-pool-2");
	is_int(pool_plan_create(&pl, &p, "web1", 32 << 20, "qcow2", &cause), 0,
	    "the same again");
	ok(has_note(&pl, "nothing to do"), "... says there is nothing to do");
	plan_free(&pl);
	plan_init(&pl, "unit-pool-3");
	is_int(pool_plan_create(&pl, &p, "web1", 64 << 20, "qcow2", &cause),
	    -2, "web1 again, another size");
	ok(cause != NULL && strncmp(cause, "name: web1 already exists", 25) ==
	    0, "... name: already exists");
	free(cause);
	cause = NULL;
	plan_free(&pl);
	plan_init(&pl, "unit-pool-4");
	is_int(pool_plan_create(&pl, &p, "huge", p.free + (1ULL << 30), "raw",
	    &cause), -2, "more than is free");
	ok(cause != NULL && strstr(cause, "size: ") == cause &&
	    strstr(cause, "does not fit") != NULL && strstr(cause, "free") !=
	    NULL, "... size: does not fit, says what is free");
	free(cause);
	cause = NULL;
	is_int(pool_plan_create(&pl, &p, "a.img", 1 << 20, "raw", &cause), -2,
	    "a name with the extension");
	free(cause);
	cause = NULL;
	is_int(pool_plan_create(&pl, &p, "x", 1 << 20, "vmdk", &cause), -2,
	    "an unknown format");
	ok(cause != NULL && strncmp(cause, "format: ", 8) == 0, "... format:");
	free(cause);
	cause = NULL;
	plan_free(&pl);

	plan_init(&pl, "unit-pool-5");
	is_int(pool_plan_resize(&pl, &p, "web1", 16 << 20, &cause), -2,
	    "shrink");
	ok(cause != NULL && strstr(cause, "grows only") != NULL,
	    "... resize grows only");
	free(cause);
	cause = NULL;
	is_int(pool_plan_resize(&pl, &p, "web1", 48 << 20, &cause), 0, "grow");
	s = step_line(&pl, "resize-web1");
	ok(strstr(s, "qemu-img resize -q -f qcow2 ") == s, "... qemu-img "
	    "resize");
	free(s);
	ok(has_note(&pl, "qcow2 image: grow the file system"),
	    "... a qcow2's file system is grown by the guest");
	plan_free(&pl);

	plan_init(&pl, "unit-pool-6");
	is_int(pool_plan_snapshot(&pl, &p, "nope", "s1", 0, &cause), -2,
	    "snapshot of nothing");
	ok(cause != NULL && strncmp(cause, "origin: ", 8) == 0, "... origin:");
	free(cause);
	cause = NULL;
	is_int(pool_plan_snapshot(&pl, &p, "web1", "web1-s", 0, &cause), 0,
	    "snapshot web1");
	s = step_line(&pl, "snapshot-web1-s");
	path = xprintf("qemu-img create -q -f qcow2 -b %s/web1.qcow2 -F qcow2 "
	    "%s/web1-s.qcow2", dir, dir);
	is_str(s, path, "... a qcow2 overlay");
	free(s);
	free(path);
	if (!ok(plan_apply(&pl, 0, NULL, &run, &cause) == 0, "... applied"))
		diag("%s", cause);
	free(run);
	run = NULL;
	plan_free(&pl);

	plan_init(&pl, "unit-pool-7");
	is_int(pool_plan_clone(&pl, &p, "web1", "web2", &cause), 0,
	    "clone web1");
	s = step_line(&pl, "clone-web2");
	ok(strstr(s, "qemu-img create -q -f qcow2 -b ") == s,
	    "... a qcow2 overlay (qemu-img is here)");
	free(s);
	plan_free(&pl);

	plan_init(&pl, "unit-pool-8");
	is_int(pool_plan_remove(&pl, &p, "web1", &cause), -2,
	    "remove the origin of a snapshot");
	ok(cause != NULL && strstr(cause, "is the origin of web1-s") != NULL,
	    "... refused, naming the snapshot");
	free(cause);
	cause = NULL;
	cfg = xprintf("%s/xen/s.cfg", tmp);
	s = xprintf("disk = [ '%s/web1-s.qcow2,qcow2,xvda,w' ]\n", dir);
	file_write_atomic(cfg, s, strlen(s), 0644, 0, &cause);
	free(s);
	is_int(pool_plan_remove(&pl, &p, "web1-s", &cause), -2,
	    "remove a volume an xl.cfg uses");
	ok(cause != NULL && strstr(cause, cfg) != NULL, "... naming it");
	free(cause);
	cause = NULL;
	unlink(cfg);
	free(cfg);
	is_int(pool_plan_remove(&pl, &p, "web1-s", &cause), 0, "remove web1-s");
	st = plan_step_find(&pl, "remove-web1-s");
	ok(st != NULL && (st->flags & PLAN_DESTRUCTIVE) &&
	    st->destroys != NULL && strcmp(st->destroys[0], "web1-s") == 0 &&
	    strcmp(st->consent_key, "name") == 0,
	    "... destructive, consent by name=web1-s");
	plan_free(&pl);
	plan_init(&pl, "unit-pool-9");
	is_int(pool_plan_remove(&pl, &p, "gone", &cause), 0,
	    "remove what is not there");
	ok(has_note(&pl, "nothing to remove"), "... says so");
	plan_free(&pl);
	pool_free(&p);
	free(dir);
}


/* The pool_plan_* steps on a volume group (plans only: no activation). */
static void
test_lvm_plans(const char *vg)
{
	struct plan	 pl;
	struct pool	 p;
	char		*cause = NULL, *s, *want;

	if (pool_find(vg, &p, &cause) != 0) {
		ok(0, "pool_find %s: %s", vg, cause);
		return;
	}
	plan_init(&pl, "volume");
	is_int(pool_plan_create(&pl, &p, "db", 10 << 20, NULL, &cause), 0,
	    "create db in %s", vg);
	is_int(pl.nsteps, 3, "... three steps");
	s = step_line(&pl, "create-db");
	want = xprintf("lvcreate -n db -L 12M --addtag xendeck-incomplete "
	    "--yes %s", vg);
	is_str(s, want, "... lvcreate, rounded up to whole extents, tagged");
	free(s);
	free(want);
	s = step_line(&pl, "zero-db");
	want = xprintf("blkdiscard -z /dev/%s/db", vg);
	is_str(s, want, "... zeroed with blkdiscard -z");
	free(s);
	free(want);
	ok(pl.nsteps == 3 && strcmp(pl.steps[2].id, "complete-db") == 0 &&
	    pl.steps[1].probe.negate && strcmp(pl.steps[1].probe.match,
	    "xendeck-incomplete") == 0 && (pl.steps[1].flags & PLAN_RERUN),
	    "... done when the tag is gone, which the last step drops");
	plan_free(&pl);

	plan_init(&pl, "volume");
	is_int(pool_plan_create(&pl, &p, "web1", 8 << 20, NULL, &cause), 0,
	    "create web1 as it is");
	ok(has_note(&pl, "nothing to do"), "... nothing to do");
	plan_free(&pl);
	plan_init(&pl, "volume");
	is_int(pool_plan_create(&pl, &p, "x", 1ULL << 40, "raw", &cause), -2,
	    "1 TiB");
	ok(cause != NULL && strstr(cause, "size: 1.0 TiB does not fit") ==
	    cause, "... size: does not fit");
	free(cause);
	cause = NULL;
	is_int(pool_plan_create(&pl, &p, "x", 1 << 20, "qcow2", &cause), -2,
	    "qcow2 in a volume group");
	free(cause);
	cause = NULL;
	plan_free(&pl);

	plan_init(&pl, "volume");
	is_int(pool_plan_resize(&pl, &p, "web1", 16 << 20, &cause), 0,
	    "grow web1");
	s = step_line(&pl, "resize-web1");
	want = xprintf("lvextend -L 16M %s/web1", vg);
	is_str(s, want, "... lvextend");
	free(s);
	free(want);
	s = step_line(&pl, "zero-web1");
	want = xprintf("blkdiscard -z -o 8388608 -l 8388608 /dev/%s/web1", vg);
	is_str(s, want, "... and the new part zeroed");
	free(s);
	free(want);
	plan_free(&pl);

	plan_init(&pl, "volume");
	is_int(pool_plan_snapshot(&pl, &p, "web1", "web1-b", 0, &cause), 0,
	    "snapshot web1");
	s = step_line(&pl, "snapshot-web1-b");
	want = xprintf("lvcreate -s -n web1-b -L 4M %s/web1", vg);
	is_str(s, want, "... classic, a fifth of the origin (whole extents)");
	free(s);
	free(want);
	ok(has_note(&pl, "becomes invalid"), "... with size advice");
	plan_free(&pl);

	plan_init(&pl, "volume");
	is_int(pool_plan_clone(&pl, &p, "web1", "web2", &cause), 0,
	    "clone web1 (no thin pool)");
	s = step_line(&pl, "copy-web2");
	want = xprintf("dd if=/dev/%s/web1 of=/dev/%s/web2 bs=4M conv=fsync "
	    "status=none", vg, vg);
	is_str(s, want, "... a full copy, the last resort");
	free(s);
	free(want);
	ok(has_note(&pl, "full copy"), "... said so");
	plan_free(&pl);

	plan_init(&pl, "volume");
	is_int(pool_plan_remove(&pl, &p, "web1", &cause), 0, "remove web1");
	s = step_line(&pl, "remove-web1");
	want = xprintf("lvremove -y %s/web1", vg);
	is_str(s, want, "... lvremove");
	free(s);
	free(want);
	plan_free(&pl);
	pool_free(&p);
}

/* lvm2 on two loop devices, metadata only. */
static void
test_lvm(void)
{
	struct blockdev	 d, *list;
	struct pool	 p;
	struct volume	*vols;
	char		*img[2], *loop[2] = { NULL, NULL }, *conf, *etc, *s;
	char		*cause = NULL, *vg;
	size_t		 n, nv, i;
	int		 seen = 0;

	if (geteuid() != 0 || access("/dev/loop-control", W_OK) != 0) {
		diag("skipping lvm2 on loop devices: needs root and loop");
		return;
	}
	vg = xprintf("xdt%ldvg", (long)getpid());
	for (i = 0; i < 2; i++) {
		img[i] = xprintf("%s/disk%zu.img", tmp, i);
		run("truncate", "-s", "64M", img[i], NULL);
		loop[i] = out1("losetup", "-f", "--show", img[i]);
		if (*loop[i] == '\0') {
			diag("skipping lvm2: no free loop device");
			goto out;
		}
	}
	etc = xprintf("%s/lvm", tmp);
	mkdir(etc, 0700);
	conf = xprintf("%s/lvm.conf", etc);
	s = xprintf("global { activation = 0 }\ndevices { filter = [ "
	    "\"a|^%s$|\", \"a|^%s$|\", \"r|.*|\" ] "
	    "obtain_device_list_from_udev = 0 }\n", loop[0], loop[1]);
	file_write_atomic(conf, s, strlen(s), 0644, 0, &cause);
	free(s);
	setenv("LVM_SYSTEM_DIR", etc, 1);
	ok(run("pvcreate", "-q", loop[0], NULL) == 0, "pvcreate %s", loop[0]);
	ok(run("vgcreate", "-q", vg, loop[0], NULL) == 0, "vgcreate %s", vg);
	ok(run("lvcreate", "-q", "-n", "web1", "-L", "8M", vg, NULL) == 0,
	    "lvcreate web1 (activation off)");
	ok(run("mkfs.ext4", "-q", "-L", "data", loop[1], NULL) == 0,
	    "mkfs.ext4 on %s", loop[1]);

	is_int(pool_find(vg, &p, &cause), 0, "pool_find %s", vg);
	ok(p.type == POOL_LVM && p.size > 0 && p.free == p.size - (8 << 20) &&
	    p.allocated == 8 << 20 && p.thinpool == NULL, "... its sizes");
	ok(p.pvs != NULL && strcmp(p.pvs[0], loop[0]) == 0, "... its PV");
	is_int(pool_volumes(&p, &vols, &nv, &cause), 0, "pool_volumes");
	ok(nv == 1 && strcmp(vols[0].name, "web1") == 0 &&
	    vols[0].size == 8 << 20 && strcmp(vols[0].format, "raw") == 0,
	    "... web1, 8 MiB, raw");
	s = xprintf("/dev/%s/web1", vg);
	ok(nv == 1 && strcmp(vols[0].path, s) == 0, "... at %s", s);
	free(s);
	volume_list_free(vols, nv);
	pool_free(&p);

	is_int(blockdev_get(loop[0], &d, &cause), 0, "blockdev_get %s",
	    loop[0]);
	ok(has(d.sigs, "LVM2_member"), "... an LVM2_member signature");
	ok(has(d.uses, "PV of"), "... in use as a PV");
	is_str(d.vg, vg, "... of %s", vg);
	blockdev_free(&d);
	is_int(blockdev_get(loop[1], &d, &cause), 0, "blockdev_get %s",
	    loop[1]);
	ok(has(d.sigs, "ext4 'data'"), "... ext4 'data'");
	ok(d.uses == NULL, "... used by nothing");
	ok(d.size == 64 << 20 && strcmp(d.type, "loop") == 0,
	    "... a 64 MiB loop device");
	blockdev_free(&d);
	is_int(blockdev_get("/dev/nonexistent-xd", &d, &cause), -1,
	    "no such device");
	free(cause);
	cause = NULL;
	is_int(blockdev_get(img[0], &d, &cause), -1, "a file is not one");
	ok(cause != NULL && strstr(cause, "not a block device") != NULL,
	    "... says so");
	free(cause);
	cause = NULL;

	is_int(blockdev_list(&list, &n, &cause), 0, "blockdev_list");
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].path, loop[0]) == 0 &&
		    has(list[i].uses, "PV of"))
			seen |= 1;
		if (strcmp(list[i].path, loop[1]) == 0 &&
		    has(list[i].sigs, "ext4"))
			seen |= 2;
	}
	is_int(seen, 3, "... lists both loop devices as they are");
	blockdev_list_free(list, n);

	test_lvm_plans(vg);
	run("vgremove", "-q", "-f", vg, NULL);
	run("pvremove", "-q", loop[0], NULL);
	unsetenv("LVM_SYSTEM_DIR");
	free(conf);
	free(etc);
out:
	for (i = 0; i < 2; i++) {
		if (loop[i] != NULL && *loop[i] != '\0')
			run("losetup", "-d", loop[i], NULL);
		free(loop[i]);
		free(img[i]);
	}
	free(vg);
}

int
main(void)
{
	char	*s;

	tmp = xstrdup("/tmp/xd-unit-pool.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		skip_all("mkdtemp: %s", strerror(errno));
	setenv("XENDECK_STATEDIR", tmp, 1);
	s = xprintf("%s/xen", tmp);
	mkdir(s, 0700);
	setenv("XENDECK_XEN_DIR", s, 1);
	free(s);
	s = xprintf("%s/run", tmp);
	setenv("XENDECK_RUNDIR", s, 1);
	free(s);

	test_sizes();
	test_report();
	test_report_lab();
	test_dir_pool();
	test_dir_plans();
	test_lvm();

	run("rm", "-rf", tmp, NULL);
	free(tmp);
	return (done_testing());
}
