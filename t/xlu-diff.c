/*
 * Differential test: every file named on the command line is read by Xen's
 * own libxlutil (Debian's libxen-dev) and by xendeck's xlcfg, and every
 * value is compared:
 *
 *  - the file: both accept it or both reject it (xlu_cfg_readdata against
 *    xlcfg with XLCFG_SYNTAX_ONLY);
 *  - every key: the same string or the same list, item by item, nested
 *    lists included (xlu_cfg_get_string / _get_list / _get_listitem2), and
 *    the same number or the same refusal where xl asks for a number
 *    (xlu_cfg_get_long);
 *  - every disk= entry: xlu_disk_parse against xlcfg_parse_disk, accepted
 *    or refused alike, then target, format, vdev, access, devtype, backend
 *    type, script and the flags;
 *  - every vif= entry: split and matched the way xl's parse_nic_config does
 *    (rate through libxlutil's own xlu_vif_parse_rate), against
 *    xlcfg_parse_vif.
 *
 * TAP output; a file's libxlutil messages are shown as diagnostics when
 * something differs.
 */
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "xen-core.h"
#include "tap.h"

static char	*xlu_report;
static size_t	 xlu_report_len;
static FILE	*xlu_stream;

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* Compare one xlcfg value with libxlutil's, recursively. */
static int
value_eq(const XLU_Config *xc, const struct xlcfg_value *v,
    XLU_ConfigValue *xv, char **why)
{
	XLU_ConfigList	*list;
	XLU_ConfigValue	*item;
	char		*s;
	size_t		 i;

	if (xv == NULL) {
		*why = xprintf("libxlutil has no value");
		return (0);
	}
	if (v->type == XLCFG_STRING) {
		if (xlu_cfg_value_type(xv) != XLU_STRING ||
		    xlu_cfg_value_get_string(xc, xv, &s, 1) != 0) {
			*why = xprintf("'%s': libxlutil has a list", v->str);
			return (0);
		}
		if (strcmp(s, v->str) != 0) {
			*why = xprintf("'%s' vs libxlutil '%s'", v->str, s);
			return (0);
		}
		return (1);
	}
	if (xlu_cfg_value_type(xv) != XLU_LIST ||
	    xlu_cfg_value_get_list(xc, xv, &list, 1) != 0) {
		*why = xprintf("a list, libxlutil has a string");
		return (0);
	}
	for (i = 0; i < v->nitems; i++) {
		if ((item = xlu_cfg_get_listitem2(list, (int)i)) == NULL) {
			*why = xprintf("%zu items, libxlutil has %zu",
			    v->nitems, i);
			return (0);
		}
		if (!value_eq(xc, v->items[i], item, why))
			return (0);
	}
	if (xlu_cfg_get_listitem2(list, (int)i) != NULL) {
		*why = xprintf("%zu items, libxlutil has more", v->nitems);
		return (0);
	}
	return (1);
}

static void
diag_report(void)
{
	char	*p, *nl;

	if (xlu_stream != NULL)
		fflush(xlu_stream);
	if (xlu_report == NULL)
		return;
	for (p = xlu_report; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			diag("libxlutil: %s", p);
			break;
		}
		diag("libxlutil: %.*s", (int)(nl - p), p);
	}
}

static const char *
defbool_str(libxl_defbool b)
{
	if (libxl_defbool_is_default(b))
		return ("unset");
	return (libxl_defbool_val(b) ? "true" : "false");
}

static const char *
int3_str(int v)
{
	return (v == -1 ? "unset" : v ? "true" : "false");
}

/* One disk spec through both parsers. */
static void
check_disk(XLU_Config *xc, const char *file, const char *spec)
{
	libxl_device_disk	 xd;
	struct xlcfg_disk	 d;
	char			*cause = NULL;
	const char		*xtarget;
	pid_t			 pid;
	int			 xrc, rc, same = 1, status;

	/*
	 * libxlutil's disk scanner can exit the process ("flex scanner
	 * jammed", on a bad character before a newline): probe in a child.
	 */
	fflush(stdout);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		libxl_device_disk_init(&xd);
		_exit(xlu_disk_parse(xc, 1, &spec, &xd) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) == -1)
		;
	libxl_device_disk_init(&xd);
	if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
		xrc = xlu_disk_parse(xc, 1, &spec, &xd);
	else {
		xrc = -1;
		diag("libxlutil's scanner exits on disk '%s' (status %d)",
		    spec, status);
	}
	rc = xlcfg_parse_disk(spec, &d, &cause);
	if (!ok((xrc == 0) == (rc == 0), "%s: disk '%s': %s by both", file,
	    spec, xrc == 0 ? "accepted" : "refused")) {
		diag("libxlutil rc %d, xendeck: %s", xrc, cause != NULL ?
		    cause : "accepted");
		diag_report();
	}
	free(cause);
	if (xrc != 0 || rc != 0)
		goto out;

	/* xendeck reports an empty cdrom's target as NULL. */
	xtarget = xd.pdev_path;
	if (d.cdrom && xtarget != NULL && *xtarget == '\0')
		xtarget = NULL;
#define SAME(what, cond, ...) do {					\
	if (!(cond)) {							\
		same = 0;						\
		diag(what ": " __VA_ARGS__);				\
	}								\
} while (0)
	SAME("target", str_eq(d.target, xtarget), "'%s' vs '%s'",
	    d.target ? d.target : "(null)", xtarget ? xtarget : "(null)");
	SAME("vdev", str_eq(d.vdev, xd.vdev), "'%s' vs '%s'", d.vdev,
	    xd.vdev ? xd.vdev : "(null)");
	SAME("format", str_eq(d.format, libxl_disk_format_to_string(
	    xd.format)), "%s vs %s", d.format,
	    libxl_disk_format_to_string(xd.format));
	SAME("access", d.readwrite == xd.readwrite, "%d vs %d", d.readwrite,
	    xd.readwrite);
	SAME("devtype", d.cdrom == xd.is_cdrom, "%d vs %d", d.cdrom,
	    xd.is_cdrom);
	SAME("backendtype", str_eq(d.backendtype != NULL ? d.backendtype :
	    "unknown", libxl_disk_backend_to_string(xd.backend)), "%s vs %s",
	    d.backendtype ? d.backendtype : "unknown",
	    libxl_disk_backend_to_string(xd.backend));
	SAME("specification", str_eq(d.specification != NULL ?
	    d.specification : "unknown", libxl_disk_specification_to_string(
	    xd.specification)), "%s vs %s", d.specification ?
	    d.specification : "unknown",
	    libxl_disk_specification_to_string(xd.specification));
	SAME("script", str_eq(d.script, xd.script), "'%s' vs '%s'",
	    d.script ? d.script : "(null)", xd.script ? xd.script : "(null)");
	SAME("backend", str_eq(d.backend, xd.backend_domname), "'%s' vs '%s'",
	    d.backend ? d.backend : "(null)", xd.backend_domname ?
	    xd.backend_domname : "(null)");
	SAME("direct-io-safe", d.direct_io_safe == xd.direct_io_safe,
	    "%d vs %d", d.direct_io_safe, xd.direct_io_safe);
	SAME("discard", strcmp(int3_str(d.discard),
	    defbool_str(xd.discard_enable)) == 0, "%s vs %s",
	    int3_str(d.discard), defbool_str(xd.discard_enable));
	SAME("colo", strcmp(int3_str(d.colo),
	    defbool_str(xd.colo_enable)) == 0, "%s vs %s", int3_str(d.colo),
	    defbool_str(xd.colo_enable));
	SAME("colo-host", str_eq(d.colo_host, xd.colo_host), "differs");
	SAME("colo-port", d.colo_port == xd.colo_port, "%d vs %d",
	    d.colo_port, xd.colo_port);
	SAME("colo-export", str_eq(d.colo_export, xd.colo_export), "differs");
	SAME("active-disk", str_eq(d.active_disk, xd.active_disk), "differs");
	SAME("hidden-disk", str_eq(d.hidden_disk, xd.hidden_disk), "differs");
	ok(same, "%s: disk '%s': every field agrees", file, spec);
	xlcfg_disk_free(&d);
out:
	libxl_device_disk_dispose(&xd);
}

/*
 * The reference vif: what xl's parse_nic_config makes of a spec. Returns 0,
 * or -1 where xl reports the spec invalid (or exits).
 */
struct ref_vif {
	char		*mac, *bridge, *model, *type, *vifname, *script;
	char		*ip;
	char		*backend, *gatewaydev, *rate;
	uint64_t	 rate_bytes;
	uint32_t	 rate_usecs;
	long		 mtu, devid;
	int		 trusted;
};

static void
ref_vif_free(struct ref_vif *r)
{
	free(r->mac);
	free(r->bridge);
	free(r->model);
	free(r->type);
	free(r->vifname);
	free(r->script);
	free(r->ip);
	free(r->backend);
	free(r->gatewaydev);
	free(r->rate);
}

static void
ref_set(char **where, const char *value)
{
	free(*where);
	*where = xstrdup(value);
}

static int
ref_parse_vif(XLU_Config *xc, const char *spec, struct ref_vif *r)
{
	libxl_device_nic	 nic;
	char			*buf, *p, *o, *end, *save = NULL;
	unsigned long		 val;
	unsigned int		 mac[6];
	int			 i, rc = 0;

	memset(r, 0, sizeof *r);
	r->mtu = r->devid = -1;
	r->trusted = -1;
	buf = xstrdup(spec);
	for (p = strtok_r(buf, ",", &save); p != NULL && rc == 0;
	    p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
#define OPTVAL(k) (p + sizeof(k))
#define OPT(k) ((o = strncmp(p, k "=", sizeof(k)) == 0 ? \
    p + sizeof(k) : NULL) != NULL)
		if (OPT("type")) {
			if (strcmp(o, "vif") != 0 && strcmp(o, "ioemu") != 0)
				rc = -1;
			else
				ref_set(&r->type, o);
		} else if (OPT("mac")) {
			for (i = 0; i < 6; i++) {
				val = strtoul(o, &end, 16);
				if (o == end || val > 255 ||
				    (*end == '\0' && i < 5)) {
					rc = -1;
					break;
				}
				mac[i] = (unsigned int)val;
				o = end + 1;
			}
			/*
			 * xl reads six numbers with any separator and
			 * ignores the rest; xendeck refuses what is not a
			 * MAC address (hex pairs, ':' or '-') rather than
			 * silently truncate it.
			 */
			if (rc == 0 && !xlcfg_valid_mac(OPTVAL("mac"), NULL))
				rc = -1;
			if (rc == 0) {
				free(r->mac);
				r->mac = xprintf("%02x:%02x:%02x:%02x:%02x:"
				    "%02x", mac[0], mac[1], mac[2], mac[3],
				    mac[4], mac[5]);
			}
		} else if (OPT("bridge"))
			ref_set(&r->bridge, o);
		else if (OPT("netdev"))
			ref_set(&r->gatewaydev, o);
		else if (OPT("gatewaydev"))
			ref_set(&r->gatewaydev, o);
		else if (OPT("ip"))
			ref_set(&r->ip, o);
		else if (OPT("script"))
			ref_set(&r->script, o);
		else if (OPT("backend"))
			ref_set(&r->backend, o);
		else if (OPT("vifname"))
			ref_set(&r->vifname, o);
		else if (OPT("model"))
			ref_set(&r->model, o);
		else if (OPT("rate")) {
			libxl_device_nic_init(&nic);
			if (xlu_vif_parse_rate(xc, o, &nic) != 0)
				rc = -1;
			else {
				ref_set(&r->rate, o);
				r->rate_bytes = nic.rate_bytes_per_interval;
				r->rate_usecs = nic.rate_interval_usecs;
			}
			libxl_device_nic_dispose(&nic);
		} else if (OPT("devid") || OPT("mtu")) {
			int	 is_mtu = *p == 'm';

			val = strtoul(o, &end, 10);
			/*
			 * xendeck also refuses trailing junk ("1500x") and
			 * what libxl's int would truncate (an mtu above
			 * 65535, a devid above INT_MAX).
			 */
			if (end == o || val == ULONG_MAX || *end != '\0' ||
			    val > (is_mtu ? 65535UL : (unsigned long)INT_MAX))
				rc = -1;
			else if (is_mtu)
				r->mtu = (long)val;
			else
				r->devid = (long)val;
		} else if (strcmp(p, "trusted") == 0)
			r->trusted = 1;
		else if (strcmp(p, "untrusted") == 0)
			r->trusted = 0;
		/* Anything else: xl says "unrecognized" and goes on. */
#undef OPT
#undef OPTVAL
	}
	free(buf);
	return (rc);
}

static void
check_vif(XLU_Config *xc, const char *file, const char *spec)
{
	struct ref_vif		 r;
	struct xlcfg_vif	 v;
	char			*cause = NULL;
	int			 xrc, rc, same = 1;

	xrc = ref_parse_vif(xc, spec, &r);
	rc = xlcfg_parse_vif(spec, &v, &cause);
	if (!ok((xrc == 0) == (rc == 0), "%s: vif '%s': %s by both", file,
	    spec, xrc == 0 ? "accepted" : "refused")) {
		diag("xl: %s, xendeck: %s", xrc == 0 ? "accepted" : "refused",
		    cause != NULL ? cause : "accepted");
		diag_report();
	}
	free(cause);
	if (xrc != 0 || rc != 0)
		goto out;
	SAME("mac", str_eq(v.mac, r.mac), "%s vs %s", v.mac ? v.mac : "-",
	    r.mac ? r.mac : "-");
	/* libxl's defaults: bridge xenbr0, script vif-bridge. */
	SAME("bridge", str_eq(v.bridge, r.bridge ? r.bridge : "xenbr0"),
	    "%s vs %s", v.bridge, r.bridge ? r.bridge : "-");
	SAME("script", str_eq(v.script, r.script ? r.script : "vif-bridge"),
	    "%s vs %s", v.script, r.script ? r.script : "-");
	SAME("model", str_eq(v.model, r.model), "differs");
	SAME("type", str_eq(v.type, r.type), "differs");
	SAME("vifname", str_eq(v.vifname, r.vifname), "differs");
	SAME("ip", str_eq(v.ip, r.ip), "differs");
	SAME("backend", str_eq(v.backend, r.backend), "differs");
	SAME("gatewaydev", str_eq(v.gatewaydev, r.gatewaydev), "differs");
	SAME("rate", str_eq(v.rate, r.rate), "differs");
	SAME("rate bytes", v.rate == NULL ||
	    v.rate_bytes_per_interval == r.rate_bytes, "%llu vs %llu",
	    (unsigned long long)v.rate_bytes_per_interval,
	    (unsigned long long)r.rate_bytes);
	SAME("rate interval", v.rate == NULL ||
	    v.rate_interval_usecs == r.rate_usecs, "%u vs %u",
	    v.rate_interval_usecs, r.rate_usecs);
	SAME("mtu", v.mtu == r.mtu, "%d vs %ld", v.mtu, r.mtu);
	SAME("devid", v.devid == r.devid, "%d vs %ld", v.devid, r.devid);
	SAME("trusted", v.trusted == r.trusted, "%d vs %d", v.trusted,
	    r.trusted);
	ok(same, "%s: vif '%s': every field agrees", file, spec);
	xlcfg_vif_free(&v);
out:
	ref_vif_free(&r);
}

/* Walk the string items of a disk= or vif= list. */
static void
check_devices(XLU_Config *xc, const struct xlcfg *cfg, const char *file,
    const char *key, void (*check)(XLU_Config *, const char *, const char *))
{
	const struct xlcfg_setting	*set;
	size_t				 i;

	if ((set = xlcfg_get(cfg, key)) == NULL ||
	    set->value->type != XLCFG_LIST)
		return;
	for (i = 0; i < set->value->nitems; i++) {
		if (set->value->items[i]->type == XLCFG_STRING)
			check(xc, file, set->value->items[i]->str);
	}
}

static void
check_file(const char *path)
{
	const char		*file = strrchr(path, '/') != NULL ?
				    strrchr(path, '/') + 1 : path;
	XLU_Config		*xc = NULL;
	FILE			*report;
	struct xlcfg		*cfg = NULL;
	const struct xlcfg_setting *set;
	XLU_ConfigList		*list;
	char			*buf = NULL, *cause = NULL, *why = NULL;
	const char		*s;
	size_t			 len, i, j;
	long			 l;
	long long		 n;
	pid_t			 pid;
	int			 xrc, rc, xnum, num, same, status;

	if (file_read(path, &buf, &len, &cause) != 0) {
		ok(0, "%s: read: %s", file, cause);
		free(cause);
		return;
	}
	free(xlu_report);
	xlu_report = NULL;
	if ((report = open_memstream(&xlu_report, &xlu_report_len)) == NULL)
		fatal("open_memstream");
	if ((xc = xlu_cfg_init(report, file)) == NULL)
		fatal("xlu_cfg_init");
	xlu_stream = report;
	/* libxlutil asserts on a NUL byte in a string: probe in a child. */
	fflush(stdout);
	fflush(report);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0)
		_exit(xlu_cfg_readdata(xc, buf, (int)len) == 0 ? 0 : 1);
	while (waitpid(pid, &status, 0) == -1)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
		xrc = xlu_cfg_readdata(xc, buf, (int)len);
	else {
		xrc = -1;
		diag("libxlutil dies reading %s (status %d)", file, status);
	}
	rc = xlcfg_parse_flags(file, buf, len, XLCFG_SYNTAX_ONLY, &cfg, &cause);
	if (!ok((xrc == 0) == (rc == 0), "%s: %s by both", file, xrc == 0 ?
	    "accepted" : "refused")) {
		diag("xendeck: %s", cause != NULL ? cause : "accepted");
		diag_report();
	} else if (rc != 0)
		diag("xendeck: %s", cause);
	if (xrc != 0 || rc != 0)
		goto out;

	for (i = 0; i < cfg->nsettings; i++) {
		if (xlcfg_prev(cfg, i) != NULL)
			continue;	/* each key once */
		set = xlcfg_get(cfg, cfg->settings[i].name);
		if (set->value->type == XLCFG_STRING) {
			same = xlu_cfg_get_string(xc, set->name, &s, 1) == 0 &&
			    strcmp(s, set->value->str) == 0;
			if (!same)
				why = xprintf("'%s' vs libxlutil '%s'",
				    set->value->str, xlu_cfg_get_string(xc,
				    set->name, &s, 1) == 0 ? s : "(no string)");
		} else {
			same = xlu_cfg_get_list(xc, set->name, &list, NULL,
			    1) == 0;
			if (!same)
				why = xprintf("libxlutil has no list");
			else {
				/* The list itself, through a value. */
				XLU_ConfigValue	*item;
				struct xlcfg_value wrap = *set->value;

				for (j = 0; same && j < wrap.nitems; j++) {
					item = xlu_cfg_get_listitem2(list,
					    (int)j);
					same = value_eq(xc, wrap.items[j], item,
					    &why);
				}
				if (same && xlu_cfg_get_listitem2(list,
				    (int)j) != NULL) {
					same = 0;
					why = xprintf("libxlutil has more "
					    "items");
				}
			}
		}
		if (!ok(same, "%s: %s: same value", file, set->name))
			diag("%s", why != NULL ? why : "differs");
		free(why);
		why = NULL;

		/* Where xl asks for a number. */
		xnum = xlu_cfg_get_long(xc, set->name, &l, 1) == 0;
		num = set->value->type == XLCFG_STRING && !set->append &&
		    xlcfg_number(set->value->str, &n) == 0;
		if (!ok(xnum == num && (!num || n == l), "%s: %s: %s as a "
		    "number by both", file, set->name, num ? "read" :
		    "refused"))
			diag("xendeck %s %lld, libxlutil %s %ld",
			    num ? "reads" : "refuses", num ? n : 0,
			    xnum ? "reads" : "refuses", xnum ? l : 0);
	}
	check_devices(xc, cfg, file, "disk", check_disk);
	check_devices(xc, cfg, file, "vif", check_vif);
out:
	free(cause);
	free(buf);
	xlcfg_free(cfg);
	xlu_cfg_destroy(xc);
	fclose(report);
	xlu_stream = NULL;
}

/*
 * --bench ROUNDS FILE...: time reading each file (parse, and for xendeck
 * the semantic layer too) with libxlutil and with xendeck, for
 * scripts/bench-xlcfg. Not a test: it asserts nothing.
 */
static int
bench(int rounds, int argc, char **argv)
{
	XLU_Config	*xc;
	struct xlcfg	*cfg;
	FILE		*devnull;
	char		*buf, *cause = NULL;
	size_t		 len;
	uint64_t	 t0, xlu_us = 0, xd_us = 0;
	int		 i, r, files = 0;

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		fatal("/dev/null");
	for (i = 0; i < argc; i++) {
		if (file_read(argv[i], &buf, &len, &cause) != 0)
			fatalx("%s", cause);
		xc = xlu_cfg_init(devnull, argv[i]);
		if (xlu_cfg_readdata(xc, buf, (int)len) != 0 ||
		    xlcfg_parse(argv[i], buf, len, &cfg, &cause) != 0) {
			xlu_cfg_destroy(xc);
			free(cause);
			cause = NULL;
			free(buf);
			continue;	/* only files both accept */
		}
		xlu_cfg_destroy(xc);
		xlcfg_free(cfg);
		files++;
		t0 = mono_us();
		for (r = 0; r < rounds; r++) {
			xc = xlu_cfg_init(devnull, argv[i]);
			xlu_cfg_readdata(xc, buf, (int)len);
			xlu_cfg_destroy(xc);
		}
		xlu_us += mono_us() - t0;
		t0 = mono_us();
		for (r = 0; r < rounds; r++) {
			xlcfg_parse(argv[i], buf, len, &cfg, &cause);
			xlcfg_free(cfg);
		}
		xd_us += mono_us() - t0;
		free(buf);
	}
	fclose(devnull);
	printf("files %d, rounds %d\n", files, rounds);
	printf("libxlutil xlu_cfg_readdata: %.2f us per file\n",
	    (double)xlu_us / files / rounds);
	printf("xendeck xlcfg_parse (with semantics): %.2f us per file\n",
	    (double)xd_us / files / rounds);
	printf("ratio xendeck/libxlutil: %.2f\n", (double)xd_us / xlu_us);
	return (0);
}

int
main(int argc, char **argv)
{
	int	 i;

	if (argc > 3 && strcmp(argv[1], "--bench") == 0)
		return (bench(atoi(argv[2]), argc - 3, argv + 3));
	if (argc < 2) {
		fprintf(stderr, "usage: xlu-diff FILE...\n"
		    "       xlu-diff --bench ROUNDS FILE...\n");
		return (2);
	}
	for (i = 1; i < argc; i++)
		check_file(argv[i]);
	free(xlu_report);
	return (done_testing());
}
