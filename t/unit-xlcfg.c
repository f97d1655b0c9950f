/*
 * xl.cfg(5) unit tests, on the real xen-core objects: the scanner and
 * parser (values, positions, errors), disk and vif specs (the man pages'
 * equivalences), the semantic layer, the writer, and round trips of every
 * corpus file named on the command line.
 */
#include <sys/resource.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"
#include "tap.h"

static struct xlcfg *
parse(const char *text, int flags, char **cause)
{
	struct xlcfg	*cfg = NULL;

	*cause = NULL;
	if (xlcfg_parse_flags("t.cfg", text, strlen(text), flags, &cfg,
	    cause) != 0)
		return (NULL);
	return (cfg);
}

static const char *
str_of(const struct xlcfg *cfg, const char *key)
{
	const struct xlcfg_setting	*set = xlcfg_get(cfg, key);

	if (set == NULL || set->value->type != XLCFG_STRING)
		return (NULL);
	return (set->value->str);
}

/* An error: NULL config and exactly this cause. */
static void
is_error(const char *text, int flags, const char *want, const char *what)
{
	struct xlcfg	*cfg;
	char		*cause;

	cfg = parse(text, flags, &cause);
	ok(cfg == NULL, "%s: refused", what);
	is_str(cause, want, "%s: message", what);
	xlcfg_free(cfg);
	free(cause);
}

static void
test_syntax(void)
{
	struct xlcfg			*cfg;
	const struct xlcfg_setting	*set;
	char				*cause;

	cfg = parse("a = 'x'\nb=\"y\" ; c = 12\n\n# c\nd = [ 'p',\n 'q', # r\n"
	    "]\n", XLCFG_SYNTAX_ONLY, &cause);
	ok(cfg != NULL, "a small file parses");
	if (cfg == NULL) {
		diag("%s", cause);
		free(cause);
		return;
	}
	is_str(str_of(cfg, "a"), "x", "single quotes");
	is_str(str_of(cfg, "b"), "y", "double quotes");
	is_str(str_of(cfg, "c"), "12", "a number after ';'");
	set = xlcfg_get(cfg, "c");
	ok(set->value->number, "a number literal is marked as one");
	is_int(set->line, 2, "line of c");
	is_int(set->col, 9, "column of c");
	set = xlcfg_get(cfg, "d");
	ok(set->value->type == XLCFG_LIST && set->value->nitems == 2,
	    "a list across lines with a comment and a trailing comma");
	is_str(set->value->items[1]->str, "q", "second item");
	is_int(set->value->items[1]->line, 6, "item line");
	xlcfg_free(cfg);
	is_error("e = 0x1F\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:8: unexpected 'F' (keys are lower case)",
	    "0x1F: 'F' is no number digit");
	free(cause);

	cfg = parse("a = 0x1f\n", XLCFG_SYNTAX_ONLY, &cause);
	is_str(str_of(cfg, "a"), "0x1f", "hex numbers are lower case");
	xlcfg_free(cfg);

	cfg = parse("s = \"q\\\" s\\' b\\\\ n\\n t\\t a\\a\"\n",
	    XLCFG_SYNTAX_ONLY, &cause);
	is_str(str_of(cfg, "s"), "q\" s' b\\ n\n t\t a\a", "escapes");
	xlcfg_free(cfg);

	cfg = parse("s = \"a\\012b\"\n", XLCFG_SYNTAX_ONLY, &cause);
	is_str(str_of(cfg, "s"), "ab", "an octal escape vanishes, as in xl");
	ok(cfg != NULL && cfg->nwarnings == 1, "and is warned about");
	xlcfg_free(cfg);

	cfg = parse("s = 'a'\ns += \"b\"\nl = [1]\nl += [2, 3]\nl += []\n",
	    XLCFG_SYNTAX_ONLY, &cause);
	is_str(str_of(cfg, "s"), "ab", "+= concatenates strings");
	set = xlcfg_get(cfg, "l");
	ok(set != NULL && set->value->nitems == 3 && set->append,
	    "+= appends lists");
	is_int(cfg->nsettings, 5, "every setting is kept");
	xlcfg_free(cfg);

	cfg = parse("x = [ [ 1 ], [ ], [ 'a', [ 2 ] ] ]", XLCFG_SYNTAX_ONLY,
	    &cause);
	set = xlcfg_get(cfg, "x");
	ok(set != NULL && set->value->nitems == 3 &&
	    set->value->items[2]->items[1]->items[0]->number,
	    "nested lists, no newline at the end");
	xlcfg_free(cfg);

	cfg = parse("a = 1\na = 2\n", 0, &cause);
	ok(cfg == NULL, "no name: refused by the semantic layer");
	free(cause);
	cfg = parse("a = 1\na = 2\n", XLCFG_SYNTAX_ONLY, &cause);
	is_str(str_of(cfg, "a"), "2", "the last assignment wins");
	xlcfg_free(cfg);

	cfg = parse("a = 1\n+", XLCFG_SYNTAX_ONLY, &cause);
	ok(cfg != NULL && cfg->nwarnings == 1, "a stray last byte is "
	    "ignored with a warning, as in xl");
	xlcfg_free(cfg);

	is_error("a = 'x\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:5: unterminated string", "unterminated string");
	is_error("a = 1\nB = 2\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:2:1: unexpected 'B' (keys are lower case)", "upper case");
	is_error("a = 1\r\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:6: unexpected carriage return (DOS line endings?)",
	    "CRLF");
	is_error("a = [1,,2]\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:8: syntax error: expected a value (a string, a number "
	    "or a list), found ','", "double comma");
	is_error("a = [\n1\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:3:1: syntax error: expected ',' or ']', found end of file",
	    "unclosed list");
	is_error("a = 1 + 2\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:7: unexpected '+' (this looks like Python, which xl.cfg "
	    "does not support)", "python");
	is_error("a = \"\\x41\"\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:6: \\x escapes are not supported by xl", "\\x escape");
	is_error("a = \"\\q\"\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:6: invalid escape '\\q' in string", "bad escape");
	is_error("a = 1\n# end", XLCFG_SYNTAX_ONLY,
	    "t.cfg:2:1: a comment at the end of the file needs a newline "
	    "after it (xl rejects it)", "final comment");
	is_error("a = 'x'\na += ['y']\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:2:1: can't add a list to a string with '+=' (a was set on "
	    "line 1)", "+= of a list to a string");
	is_error("a\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:2: syntax error: expected '=' or '+=', found end of line",
	    "a key alone");
	is_error("= 1\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:1: syntax error: expected a key, found '='", "no key");
	is_error("a = 1 2\n", XLCFG_SYNTAX_ONLY,
	    "t.cfg:1:7: syntax error: expected end of line or ';' after the "
	    "value, found a number", "two values");
}

/* Two disks are the same device. */
static int
disk_same(const struct xlcfg_disk *a, const struct xlcfg_disk *b)
{
#define S(x) ((a->x == NULL || b->x == NULL) ? a->x == b->x : \
    strcmp(a->x, b->x) == 0)
	return (S(target) && S(format) && S(vdev) && S(backendtype) &&
	    S(script) && S(backend) && S(specification) && S(colo_host) &&
	    S(colo_export) && S(active_disk) && S(hidden_disk) &&
	    a->readwrite == b->readwrite && a->cdrom == b->cdrom &&
	    a->direct_io_safe == b->direct_io_safe &&
	    a->discard == b->discard && a->colo == b->colo &&
	    a->colo_port == b->colo_port);
#undef S
}

/* Every spec in the NULL-terminated list gives the same disk. */
static void
disks_equivalent(const char *const *specs, const char *what)
{
	struct xlcfg_disk	 first, d;
	char			*cause = NULL;
	size_t			 i;
	int			 same = 1;

	if (xlcfg_parse_disk(specs[0], &first, &cause) != 0) {
		ok(0, "%s: %s", what, cause);
		free(cause);
		return;
	}
	for (i = 1; specs[i] != NULL; i++) {
		if (xlcfg_parse_disk(specs[i], &d, &cause) != 0) {
			diag("%s: %s", specs[i], cause);
			free(cause);
			cause = NULL;
			same = 0;
			continue;
		}
		if (!disk_same(&first, &d)) {
			diag("'%s' differs from '%s'", specs[i], specs[0]);
			same = 0;
		}
		xlcfg_disk_free(&d);
	}
	ok(same, "%s: %zu equivalent specs", what, i);
	xlcfg_disk_free(&first);
}

static void
test_disks(void)
{
	static const char *const group1[] = {
		"/dev/vg/guest-volume,,hda",
		"/dev/vg/guest-volume,raw,hda,rw",
		"format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
		"raw:/dev/vg/guest-volume,hda,w",
		NULL
	};
	static const char *const group2[] = {
		"/root/image.iso,,hdc,cdrom",
		"/root/image.iso,,hdc,,cdrom",
		"/root/image.iso,raw,hdc,devtype=cdrom",
		"format=raw, vdev=hdc, access=ro, devtype=cdrom, "
		    "target=/root/image.iso",
		"raw:/root/image.iso,hdc:cdrom,ro",
		NULL
	};
	struct xlcfg_disk	 d;
	char			*cause = NULL;

	disks_equivalent(group1, "xl-disk-configuration(5) first example");
	disks_equivalent(group2, "xl-disk-configuration(5) cdrom example");

	ok(xlcfg_parse_disk("/dev/vg/guest-volume,,hda", &d, &cause) == 0,
	    "positional spec");
	is_str(d.target, "/dev/vg/guest-volume", "target");
	is_str(d.format, "raw", "format defaults to raw");
	is_str(d.vdev, "hda", "vdev");
	is_int(d.readwrite, 1, "access defaults to rw");
	is_int(d.cdrom, 0, "a disk");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk(",hdc:cdrom,r", &d, &cause) == 0,
	    "xend's empty cdrom");
	ok(d.target == NULL, "no target");
	is_str(d.format, "empty", "format empty");
	is_str(d.vdev, "hdc", "vdev hdc");
	ok(d.cdrom && !d.readwrite, "read-only cdrom");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("vdev=hdc, devtype=cdrom", &d, &cause) == 0,
	    "an empty cdrom by keys");
	ok(d.target == NULL && strcmp(d.format, "empty") == 0,
	    "no target, format empty");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("phy:/dev/vg0/guest-disk,xvda2,w", &d,
	    &cause) == 0, "xen-tools' partition disk");
	is_str(d.target, "/dev/vg0/guest-disk", "phy: stripped");
	is_str(d.vdev, "xvda2", "partition vdev");
	ok(d.backendtype == NULL, "phy: sets no backend type (as xl)");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("tap:aio:qcow2:/srv/g.qcow2,xvdb,r", &d,
	    &cause) == 0, "stacked deprecated prefixes");
	is_str(d.target, "/srv/g.qcow2", "all prefixes stripped");
	is_str(d.format, "qcow2", "qcow2: is a format");
	is_int(d.readwrite, 0, "access r");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("iscsi:iqn.2001-05.com.example:d0,xvdc", &d,
	    &cause) == 0, "iscsi: prefix");
	is_str(d.script, "block-iscsi", "becomes script=block-iscsi");
	is_str(d.target, "iqn.2001-05.com.example:d0", "target keeps its "
	    "colon");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("vdev=xvdd, target=/srv/a,b, c.img,", &d,
	    &cause) == 0, "target= takes the rest");
	is_str(d.target, "/srv/a,b, c.img", "commas and blanks included, "
	    "one trailing comma stripped");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("  /srv/x.img , , xvde", &d, &cause) == 0,
	    "blanks before parameters");
	is_str(d.target, "/srv/x.img ", "are dropped (not those after)");
	is_str(d.vdev, "xvde", "vdev after blanks");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("cdrom1,,xvdf", &d, &cause) == 0,
	    "cdrom1 is a path, not the cdrom flag");
	is_str(d.target, "cdrom1", "longest match wins");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("/x,,xvdg,w,", &d, &cause) == 0,
	    "a trailing comma");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("/x,,xvdh,w=", &d, &cause) == 0,
	    "a stray last '=' is ignored, as in xl");
	xlcfg_disk_free(&d);

	ok(xlcfg_parse_disk("/x,,xvdh,w,extra", &d, &cause) != 0,
	    "too many positional parameters");
	is_str(cause, "disk '/x,,xvdh,w,extra': too many positional "
	    "parameters (near 'extra')", "message");
	free(cause);
	cause = NULL;
	ok(xlcfg_parse_disk("foo=bar,/x,,xvda", &d, &cause) != 0,
	    "unknown parameter");
	is_str(cause, "disk 'foo=bar,/x,,xvda': unknown parameter 'foo'",
	    "message");
	free(cause);
	cause = NULL;
	ok(xlcfg_parse_disk("format=raw,format=qcow2,/x,,xvda", &d,
	    &cause) != 0, "format twice");
	free(cause);
	cause = NULL;
	ok(xlcfg_parse_disk("trusted,/x,,xvda", &d, &cause) != 0,
	    "4.17's scanner has no trusted flag: a positional target, then "
	    "'/x' is no format");
	free(cause);
	cause = NULL;

	ok(xlcfg_valid_vdev("xvda") && xlcfg_valid_vdev("xvdaa15") &&
	    xlcfg_valid_vdev("hdd63") && xlcfg_valid_vdev("sdp15") &&
	    xlcfg_valid_vdev("d0p1") && xlcfg_valid_vdev("51712"),
	    "vdevs libxl numbers");
	ok(!xlcfg_valid_vdev("hde") && !xlcfg_valid_vdev("sdq") &&
	    !xlcfg_valid_vdev("xvda0") && !xlcfg_valid_vdev("xvda256") &&
	    !xlcfg_valid_vdev("floppy") && !xlcfg_valid_vdev("xvd") &&
	    !xlcfg_valid_vdev("sda16"), "vdevs libxl refuses");
}

static void
test_vifs(void)
{
	struct xlcfg_vif	 v;
	char			*cause = NULL, mac[18];
	uint64_t		 bytes;
	uint32_t		 usecs;

	ok(xlcfg_parse_vif("mac=00:16:3E:74:3d:76,model=rtl8139,"
	    "bridge=xenbr0", &v, &cause) == 0, "man page vif");
	is_str(v.mac, "00:16:3e:74:3d:76", "mac, normalised");
	is_str(v.model, "rtl8139", "model");
	is_str(v.bridge, "xenbr0", "bridge");
	ok(!(v.defaulted & XLCFG_VIF_DEF_BRIDGE), "bridge given");
	xlcfg_vif_free(&v);

	ok(xlcfg_parse_vif("", &v, &cause) == 0, "the empty vif");
	is_str(v.bridge, "xenbr0", "bridge defaults to xenbr0");
	is_str(v.script, "vif-bridge", "script defaults to vif-bridge");
	ok(v.defaulted == (XLCFG_VIF_DEF_BRIDGE | XLCFG_VIF_DEF_SCRIPT),
	    "both marked as defaults");
	ok(v.mac == NULL, "no mac");
	xlcfg_vif_free(&v);

	ok(xlcfg_parse_vif(",, ip=192.0.2.1 192.0.2.2,,vifname=web0,"
	    "foo=bar,trusted", &v, &cause) == 0, "empty pieces and blanks");
	is_str(v.ip, "192.0.2.1 192.0.2.2", "ip keeps its space");
	is_str(v.vifname, "web0", "vifname");
	ok(v.extra != NULL && strcmp(v.extra[0], "foo=bar") == 0,
	    "an unknown setting is kept");
	ok(v.warnings != NULL && v.warnings[0] != NULL, "and warned about");
	is_int(v.trusted, 1, "trusted");
	xlcfg_vif_free(&v);

	ok(xlcfg_parse_rate("1MB/s@20ms", &bytes, &usecs, &cause) == 0,
	    "rate 1MB/s@20ms");
	ok(bytes == 20000 && usecs == 20000, "20,000 bytes every 20,000 us "
	    "(the man page's numbers)");
	ok(xlcfg_parse_rate("10Mb/s", &bytes, &usecs, &cause) == 0 &&
	    bytes == 62500 && usecs == 50000, "10Mb/s: bits, default 50ms");
	ok(xlcfg_parse_rate("250KB/s@1s", &bytes, &usecs, &cause) == 0 &&
	    bytes == 250000 && usecs == 1000000, "250KB/s@1s");
	ok(xlcfg_parse_rate("1GB/s@500us", &bytes, &usecs, &cause) == 0 &&
	    bytes == 500000 && usecs == 500, "1GB/s@500us");
	ok(xlcfg_parse_rate("10Mb", &bytes, &usecs, &cause) != 0,
	    "a rate needs /s");
	free(cause);
	cause = NULL;
	ok(xlcfg_parse_rate("1MB/s@20xs", &bytes, &usecs, &cause) != 0,
	    "bad interval");
	free(cause);
	cause = NULL;
	ok(xlcfg_parse_rate("@20ms", &bytes, &usecs, &cause) != 0,
	    "no rate");
	free(cause);
	cause = NULL;

	ok(xlcfg_valid_mac("0:16:3e:a:b:c", mac) &&
	    strcmp(mac, "00:16:3e:0a:0b:0c") == 0, "short groups padded");
	ok(xlcfg_valid_mac("00-16-3E-00-00-01", mac), "dashes");
	ok(!xlcfg_valid_mac("00:16-3e:00:00:01", NULL), "mixed separators");
	ok(!xlcfg_valid_mac("00:16:3e:00:00", NULL), "five groups");
	ok(!xlcfg_valid_mac("00", NULL), "one group (found by the fuzzer)");
	ok(!xlcfg_valid_mac("00:16:3e:00:00:001", NULL), "three digits");

	ok(xlcfg_parse_vif("type=bogus", &v, &cause) != 0, "bad type");
	is_str(cause, "vif 'type=bogus': type 'bogus' is not vif or ioemu",
	    "message");
	free(cause);
}

static void
test_semantic(void)
{
	struct xlcfg	*cfg;
	char		*cause;

	cfg = parse("name = 'g'\nbuilder = 'hvm'\nmemory = '512'\n"
	    "vcpus = 2\nvif = [ '' ]\ndisk = [ '/x,,hda' ]\nfoo = 1\n", 0,
	    &cause);
	ok(cfg != NULL, "a small HVM domain");
	if (cfg == NULL) {
		diag("%s", cause);
		free(cause);
		return;
	}
	ok(cfg->type == XLCFG_TYPE_HVM && cfg->type_set, "builder=hvm");
	is_int(cfg->memory, 512, "memory from a string, as xl reads it");
	is_int(cfg->vcpus, 2, "vcpus");
	ok(cfg->maxmem == 512 && (cfg->defaulted & XLCFG_DEF_MAXMEM),
	    "maxmem unset: memory, marked as a default");
	is_str(cfg->vifs[0].type, "ioemu", "an HVM vif defaults to ioemu");
	is_str(cfg->vifs[0].model, "rtl8139", "and rtl8139");
	is_int(cfg->on_poweroff, XLCFG_ACT_DESTROY, "on_poweroff default");
	is_int(cfg->on_reboot, XLCFG_ACT_RESTART, "on_reboot default");
	is_int(cfg->nwarnings, 2, "two warnings");
	is_str(cfg->warnings[0], "t.cfg:7: unknown key 'foo' (kept)",
	    "the unknown key");
	is_str(cfg->warnings[1], "t.cfg:2: builder= is deprecated, use "
	    "type=\"hvm\"", "the deprecated builder");
	ok(xlcfg_get(cfg, "foo") != NULL, "the unknown key is kept");
	xlcfg_free(cfg);

	cfg = parse("name = 'p'\nkernel = '/k'\nbootloader_args = '-q  --x'\n"
	    "serial = [ 'pty', 'none' ]\n", 0, &cause);
	ok(cfg != NULL && cfg->bootloader_args != NULL &&
	    strv_len(cfg->bootloader_args) == 2 &&
	    strcmp(cfg->bootloader_args[1], "--x") == 0,
	    "bootloader_args as a string is split on blanks");
	is_str(cfg != NULL ? cfg->serial : NULL, "pty", "serial list: first");
	ok(cfg != NULL && cfg->type == XLCFG_TYPE_PV && !cfg->type_set,
	    "PV by default");
	xlcfg_free(cfg);
}

/* The keys struct xlcfg models (the writer rewrites them). */
static const char *semantic_keys = " name type builder memory maxmem vcpus "
    "maxvcpus uuid kernel ramdisk cmdline root extra bootloader "
    "bootloader_args boot acpi vnc vnclisten vncdisplay vncunused vncpasswd "
    "sdl serial keymap device_model_version on_poweroff on_reboot on_crash "
    "disk vif ";

static int
value_same(const struct xlcfg_value *a, const struct xlcfg_value *b)
{
	size_t	 i;

	if (a->type != b->type)
		return (0);
	if (a->type == XLCFG_STRING)
		return (strcmp(a->str, b->str) == 0);
	if (a->nitems != b->nitems)
		return (0);
	for (i = 0; i < a->nitems; i++) {
		if (!value_same(a->items[i], b->items[i]))
			return (0);
	}
	return (1);
}

/* Two parsed configs hold the same domain. */
static int
cfg_same(const struct xlcfg *a, const struct xlcfg *b, char **why)
{
	const struct xlcfg_setting	*sa, *sb;
	size_t				 i;
	char				*wa, *wb, key[256];

#define S(x) ((a->x == NULL || b->x == NULL) ? a->x == b->x : \
    strcmp(a->x, b->x) == 0)
#define CHECK(cond, name) do {						\
	if (!(cond)) {							\
		*why = xstrdup(name);					\
		return (0);						\
	}								\
} while (0)
	CHECK(S(name) && S(uuid) && S(kernel) && S(ramdisk) && S(extra) &&
	    S(root) && S(cmdline) && S(bootloader) && S(boot) &&
	    S(vnclisten) && S(vncpasswd) && S(serial) && S(keymap) &&
	    S(device_model_version), "a string field");
	CHECK(a->type == b->type && a->type_set == b->type_set, "type");
	CHECK(a->memory == b->memory && a->maxmem == b->maxmem &&
	    a->vcpus == b->vcpus && a->maxvcpus == b->maxvcpus, "sizes");
	CHECK(a->acpi == b->acpi && a->vnc == b->vnc &&
	    a->vncdisplay == b->vncdisplay && a->vncunused == b->vncunused &&
	    a->sdl == b->sdl, "flags");
	CHECK(a->on_poweroff == b->on_poweroff &&
	    a->on_reboot == b->on_reboot && a->on_crash == b->on_crash,
	    "actions");
	CHECK(strv_len(a->bootloader_args) == strv_len(b->bootloader_args),
	    "bootloader_args");
	for (i = 0; i < strv_len(a->bootloader_args); i++)
		CHECK(strcmp(a->bootloader_args[i], b->bootloader_args[i]) == 0,
		    "bootloader_args");
	CHECK(a->ndisks == b->ndisks, "disk count");
	for (i = 0; i < a->ndisks; i++)
		CHECK(disk_same(&a->disks[i], &b->disks[i]), "a disk");
	CHECK(a->nvifs == b->nvifs, "vif count");
	for (i = 0; i < a->nvifs; i++) {
#define V(x) ((a->vifs[i].x == NULL || b->vifs[i].x == NULL) ? \
    a->vifs[i].x == b->vifs[i].x : strcmp(a->vifs[i].x, b->vifs[i].x) == 0)
		CHECK(V(mac) && V(bridge) && V(model) && V(type) &&
		    V(vifname) && V(script) && V(ip) && V(rate) &&
		    V(backend) && V(gatewaydev), "a vif string");
#undef V
		CHECK(a->vifs[i].mtu == b->vifs[i].mtu &&
		    a->vifs[i].devid == b->vifs[i].devid &&
		    a->vifs[i].trusted == b->vifs[i].trusted &&
		    a->vifs[i].defaulted == b->vifs[i].defaulted &&
		    a->vifs[i].rate_bytes_per_interval ==
		    b->vifs[i].rate_bytes_per_interval &&
		    strv_len(a->vifs[i].extra) == strv_len(b->vifs[i].extra),
		    "a vif number");
	}
	/* Every other key: the same effective value. */
	for (i = 0; i < a->nsettings; i++) {
		snprintf(key, sizeof key, " %s ", a->settings[i].name);
		if (!a->syntax_only && strstr(semantic_keys, key) != NULL)
			continue;
		sa = xlcfg_get(a, a->settings[i].name);
		sb = xlcfg_get(b, a->settings[i].name);
		CHECK(sb != NULL && value_same(sa->value, sb->value),
		    sa->name);
	}
	wa = xlcfg_write(a);
	wb = xlcfg_write(b);
	i = strcmp(wa, wb);
	free(wa);
	free(wb);
	CHECK(i == 0, "the written text");
	return (1);
#undef CHECK
#undef S
}

/* Parse, write, parse again: the same config; writing is idempotent. */
static void
test_roundtrip(const char *path)
{
	const char	*file = strrchr(path, '/') != NULL ?
			    strrchr(path, '/') + 1 : path;
	struct xlcfg	*a = NULL, *b = NULL;
	char		*text = NULL, *text2 = NULL;
	char		*cause = NULL, *why = NULL;
	int		 flags;

	/* Files the semantic layer refuses: round-trip the generic layer. */
	flags = strncmp(file, "bad-", 4) == 0 ? XLCFG_SYNTAX_ONLY : 0;
	if (xlcfg_load(path, &a, &cause) != 0) {
		free(cause);
		cause = NULL;
		if (flags == 0) {
			ok(0, "%s: loads", file);
			return;
		}
		{
			char	*buf;
			size_t	 len;

			if (file_read(path, &buf, &len, &cause) != 0) {
				ok(0, "%s: read", file);
				free(cause);
				return;
			}
			if (xlcfg_parse_flags(path, buf, len, flags, &a,
			    &cause) != 0) {
				free(buf);
				free(cause);
				return;	/* a syntax error */
			}
			free(buf);
		}
	}
	text = xlcfg_write(a);
	if (xlcfg_parse_flags("rewritten", text, strlen(text), flags, &b,
	    &cause) != 0) {
		ok(0, "%s: the written file reads back", file);
		diag("%s", cause);
		diag("%s", text);
		goto out;
	}
	if (!ok(cfg_same(a, b, &why), "%s: reads back to the same config%s",
	    file, flags ? " (generic layer)" : ""))
		diag("%s differs; written:\n%s", why, text);
	text2 = xlcfg_write(b);
	is_str(text2, text, "%s: writing again gives the same text", file);
out:
	free(why);
	free(cause);
	free(text);
	free(text2);
	xlcfg_free(a);
	xlcfg_free(b);
}

/*
 * Any prefix of any corpus file: parsed or refused, never a crash, and a
 * refusal always names "FILE:LINE:COL: ".
 */
static void
test_prefixes(const char *path)
{
	const char	*file = strrchr(path, '/') != NULL ?
			    strrchr(path, '/') + 1 : path;
	struct xlcfg	*cfg;
	regex_t		 re;
	char		*buf, *cause = NULL;
	size_t		 len, n;
	int		 bad = 0;

	if (file_read(path, &buf, &len, &cause) != 0) {
		ok(0, "%s: read", file);
		free(cause);
		return;
	}
	if (regcomp(&re, "^t\\.cfg:[0-9]+:[0-9]+: [^\n]+$", REG_EXTENDED |
	    REG_NOSUB) != 0)
		fatalx("regcomp");
	for (n = 0; n <= len; n++) {
		cfg = NULL;
		cause = NULL;
		if (xlcfg_parse("t.cfg", buf, n, &cfg, &cause) != 0) {
			if (cause == NULL || regexec(&re, cause, 0, NULL,
			    0) != 0) {
				if (bad++ == 0)
					diag("prefix %zu: '%s'", n,
					    cause ? cause : "(no cause)");
			}
		}
		xlcfg_free(cfg);
		free(cause);
	}
	ok(bad == 0, "%s: all %zu prefixes parse or fail with FILE:LINE:COL",
	    file, len + 1);
	regfree(&re);
	free(buf);
}

/* A config that must parse (the test stops otherwise). */
static struct xlcfg *
must(const char *text)
{
	struct xlcfg	*cfg;
	char		*cause;

	if ((cfg = parse(text, 0, &cause)) == NULL)
		fatalx("%s: %s", text, cause);
	return (cfg);
}

/*
 * Issue 11, one source of xl.cfg meaning: the semantic layer fills every
 * default (marked, so the writer leaves it out), resolves VNC, and knows
 * one disk by its number whatever its name.
 */
static void
test_meaning(void)
{
	struct xlcfg	*cfg;
	char		*text;
	long		 d, p;

	cfg = must("name = \"m\"\nkernel = \"/k\"\n");
	ok(cfg->memory == 128 && cfg->maxmem == 128 && cfg->vcpus == 1 &&
	    cfg->maxvcpus == 1, "PV defaults: 128 MiB, 1 vcpu");
	ok(cfg->vnc == 0 && cfg->acpi == 1 && cfg->vncunused == 1 &&
	    cfg->sdl == 0 && cfg->vnc_host == NULL, "no VNC for PV, acpi on");
	is_int(cfg->defaulted, XLCFG_DEF_MEMORY | XLCFG_DEF_MAXMEM |
	    XLCFG_DEF_VCPUS | XLCFG_DEF_MAXVCPUS | XLCFG_DEF_ACPI |
	    XLCFG_DEF_VNC | XLCFG_DEF_VNCUNUSED | XLCFG_DEF_SDL,
	    "all marked as defaults");
	text = xlcfg_write(cfg);
	is_str(text, "name = \"m\"\nkernel = \"/k\"\n",
	    "the writer leaves the defaults out");
	free(text);
	xlcfg_free(cfg);
	cfg = must("name = \"m\"\nkernel = \"/k\"\nmaxmem = 64\n");
	ok(cfg->memory == 64 && cfg->maxmem == 64, "memory defaults to at "
	    "most maxmem");
	xlcfg_free(cfg);
	cfg = must("name = \"m\"\ntype = \"hvm\"\n"
	    "vif = [ '', 'type=vif', 'model=e1000' ]\n");
	ok(cfg->vnc == 1 && (cfg->defaulted & XLCFG_DEF_VNC),
	    "HVM: VNC on by default");
	ok(strcmp(cfg->vifs[0].bridge, XLCFG_DEFAULT_BRIDGE) == 0 &&
	    strcmp(cfg->vifs[0].model, XLCFG_DEFAULT_NIC_MODEL) == 0 &&
	    strcmp(cfg->vifs[0].type, "ioemu") == 0,
	    "an HVM vif: xenbr0, ioemu, rtl8139");
	ok(cfg->vifs[1].model == NULL && strcmp(cfg->vifs[2].model,
	    "e1000") == 0, "type=vif has no model; e1000 as given");
	xlcfg_free(cfg);

	cfg = must("name = \"m\"\ntype = \"hvm\"\n"
	    "vnclisten = \"0.0.0.0\"\n");
	ok(strcmp(cfg->vnc_host, "0.0.0.0") == 0 && cfg->vnc_display == 0 &&
	    cfg->vnc_search, "vnclisten ADDR: display 0 or the next free");
	xlcfg_free(cfg);
	cfg = must("name = \"m\"\ntype = \"hvm\"\n"
	    "vnclisten = \"127.0.0.1:5\"\n");
	ok(strcmp(cfg->vnc_host, "127.0.0.1") == 0 && cfg->vnc_display == 5,
	    "vnclisten ADDR:5");
	xlcfg_free(cfg);
	cfg = must("name = \"m\"\ntype = \"hvm\"\n"
	    "vnclisten = \"[::1]:3\"\nvncunused = 0\n");
	ok(strcmp(cfg->vnc_host, "::1") == 0 && cfg->vnc_display == 3 &&
	    !cfg->vnc_search, "vnclisten [::1]:3, vncunused=0: exactly 3");
	xlcfg_free(cfg);
	cfg = must("name = \"m\"\ntype = \"hvm\"\n"
	    "vnclisten = \"::1\"\nvncdisplay = 59635\n");
	ok(strcmp(cfg->vnc_host, "::1") == 0 && cfg->vnc_display == 59635 &&
	    !cfg->vnc_search, "vnclisten ::1 and vncdisplay: that display");
	xlcfg_free(cfg);
	is_error("name = \"m\"\nvnclisten = \"h:59636\"\n", 0,
	    "t.cfg:2:13: vnclisten: display '59636' is not a number from 0 "
	    "to 59635 (port 5900 + display)", "a display past port 65535");
	is_error("name = \"m\"\nvnclisten = \"h:\"\n", 0,
	    "t.cfg:2:13: vnclisten: display '' is not a number from 0 "
	    "to 59635 (port 5900 + display)", "an empty display");
	is_error("name = \"m\"\nvnclisten = \"[::1\"\n", 0,
	    "t.cfg:2:13: vnclisten: '[::1' is not an address "
	    "(ADDRESS[:DISPLAYNUM])", "an unclosed bracket");

	ok(xlcfg_vdev_number("hda", &d, &p) == 0 && d == 0 && p == 0,
	    "hda: disk 0");
	ok(xlcfg_vdev_number("xvda", &d, &p) == 0 && d == 0 && p == 0,
	    "xvda: disk 0");
	ok(xlcfg_vdev_number("sdc", &d, &p) == 0 && d == 2 && p == 0,
	    "sdc: disk 2");
	ok(xlcfg_vdev_number("xvdb1", &d, &p) == 0 && d == 1 && p == 1,
	    "xvdb1: disk 1, partition 1");
	ok(xlcfg_vdev_number("d3p2", &d, &p) == 0 && d == 3 && p == 2,
	    "d3p2");
	ok(xlcfg_vdev_number("51728", &d, &p) == 0 && d == 1 && p == 0,
	    "51728 (202<<8 | 1<<4): disk 1");
	ok(xlcfg_vdev_number("xvdaa", &d, &p) == 0 && d == 26,
	    "xvdaa: disk 26");
	ok(xlcfg_vdev_number("hde", &d, &p) != 0, "hde: no such IDE disk");
	cfg = must("name = \"m\"\nkernel = \"/k\"\n"
	    "disk = [ 'a,,xvda1', 'b,,xvda2', 'c,,xvdb' ]\n");
	is_int((int)cfg->ndisks, 3, "partitions of one disk are distinct");
	xlcfg_free(cfg);
	is_error("name = \"m\"\nkernel = \"/k\"\n"
	    "disk = [ 'a,,sda', 'b,,d0p0' ]\n", 0,
	    "t.cfg:3:20: disk 'b,,d0p0': vdev d0p0 is the same disk as sda",
	    "sda and d0p0 are one disk");
}

/* CPU seconds this process has used. */
static double
cpu_seconds(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
}

/* The kinds of generated file for test_scale. */
enum gen { GEN_KEYS, GEN_AGAIN, GEN_APPEND, GEN_DISKS };

/* A buffer: head, then n generated lines of a kind. */
static char *
lines(size_t n, const char *head, enum gen kind)
{
	char	*buf, *p;
	size_t	 i, size = strlen(head) + n * 64 + 16;

	buf = p = xmalloc(size);
	p += sprintf(p, "%s", head);
	for (i = 0; i < n; i++) {
		switch (kind) {
		case GEN_KEYS:
			p += sprintf(p, "unknown_%zu = \"value %zu\"\n", i, i);
			break;
		case GEN_AGAIN:
			p += sprintf(p, "cpu_weight = %zu\ncpu_weight = %zu\n",
			    i, i);
			break;
		case GEN_APPEND:
			p += sprintf(p, "extra += \"x\"\ndisk += [ "
			    "'d%zu.img,raw,d%zup0' ]\n", i, i);
			break;
		case GEN_DISKS:
			p += sprintf(p, "'file:/d%zu.img,d%zup0',\n", i, i);
			break;
		}
	}
	if (kind == GEN_DISKS)
		p += sprintf(p, "'file:/again.img,d0p0' ]\n");
	return (buf);
}

/*
 * Issue 12, defect 7: reading is linear in the file. Before, 40k keys took
 * 7 s and 200k keys over 120 s (every key was looked up and checked for
 * duplicates by scanning all the others), and N '+=' copied the value N
 * times. Here they must take well under a second each; a CPU limit of
 * 60 s on the whole (SIGXCPU kills the test) catches a quadratic path
 * without timing anything.
 */
static void
test_scale(void)
{
	struct rlimit	 rl;
	struct xlcfg	*cfg = NULL;
	char		*buf, *cause = NULL;
	double		 t0;
	const struct xlcfg_setting *set;

	getrlimit(RLIMIT_CPU, &rl);
	rl.rlim_cur = (rlim_t)cpu_seconds() + 60;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CPU, &rl);

	t0 = cpu_seconds();
	buf = lines(200000, "name = \"k\"\nkernel = \"/k\"\n", GEN_KEYS);
	if (xlcfg_parse("k.cfg", buf, strlen(buf), &cfg, &cause) != 0)
		fatalx("k.cfg: %s", cause);
	ok(1, "200k keys (%zu MB) parse", strlen(buf) >> 20);
	is_int((int)cfg->nwarnings, 200000, "one 'unknown key' each");
	is_str(str_of(cfg, "unknown_199999"), "value 199999",
	    "the last is found");
	xlcfg_free(cfg);
	free(buf);
	diag("200k keys: %.2f s of CPU", cpu_seconds() - t0);

	t0 = cpu_seconds();
	buf = lines(40000, "name = \"k\"\nkernel = \"/k\"\n", GEN_AGAIN);
	if (xlcfg_parse("d.cfg", buf, strlen(buf), &cfg, &cause) != 0)
		fatalx("d.cfg: %s", cause);
	ok(1, "one key assigned 80k times");
	is_int((int)cfg->nwarnings, 80000 - 1, "'set again' for all but the "
	    "first");
	is_str(str_of(cfg, "cpu_weight"), "39999", "the last value wins");
	set = xlcfg_prev(cfg, cfg->nsettings - 1);
	ok(set != NULL && set->line == (int)cfg->nsettings - 1,
	    "xlcfg_prev: the one before");
	xlcfg_free(cfg);
	free(buf);
	diag("80k assignments: %.2f s of CPU", cpu_seconds() - t0);

	t0 = cpu_seconds();
	buf = lines(100000, "name = \"k\"\nkernel = \"/k\"\nextra = \"\"\n"
	    "disk = []\n", GEN_APPEND);
	if (xlcfg_parse_flags("a.cfg", buf, strlen(buf), XLCFG_SYNTAX_ONLY,
	    &cfg, &cause) != 0)
		fatalx("a.cfg: %s", cause);
	ok(1, "100k '+=' of a string and of a list");
	set = xlcfg_get(cfg, "extra");
	ok(set != NULL && strlen(set->value->str) == 100000,
	    "the string is 100k long");
	set = xlcfg_get(cfg, "disk");
	ok(set != NULL && set->value->nitems == 100000 &&
	    strcmp(set->value->items[99999]->str,
	    "d99999.img,raw,d99999p0") == 0, "the list has 100k items");
	set = xlcfg_prev(cfg, cfg->nsettings - 1);
	ok(set != NULL && set->value->type == XLCFG_LIST &&
	    set->value->nitems == 0, "the setting before keeps an empty list");
	xlcfg_free(cfg);
	free(buf);
	diag("100k '+=': %.2f s of CPU", cpu_seconds() - t0);

	t0 = cpu_seconds();
	buf = lines(50000, "name = \"k\"\nkernel = \"/k\"\ndisk = [\n",
	    GEN_DISKS);
	cfg = NULL;
	ok(xlcfg_parse("m.cfg", buf, strlen(buf), &cfg, &cause) != 0 &&
	    strstr(cause, "vdev d0p0 is used twice") != NULL,
	    "50k disks are checked for duplicates: %s", cause != NULL ?
	    cause : "(none)");
	free(cause);
	cause = NULL;
	xlcfg_free(cfg);
	free(buf);
	diag("50k disks: %.2f s of CPU", cpu_seconds() - t0);

	rl.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_CPU, &rl);
}

int
main(int argc, char **argv)
{
	int	 i;

	test_syntax();
	test_disks();
	test_vifs();
	test_semantic();
	test_meaning();
	test_scale();
	for (i = 1; i < argc; i++)
		test_roundtrip(argv[i]);
	for (i = 1; i < argc; i++)
		test_prefixes(argv[i]);
	return (done_testing());
}
