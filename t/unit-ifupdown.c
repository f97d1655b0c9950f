/*
 * Unit tests for xen-core/ifupdown.c and net.c's IPv4 helpers.
 *
 * The corpus (t/ifupdown/NAME.case): real-world interfaces(5) trees, each
 * file after a "=== PATH" line, and an "# args:" line with the wizard's
 * answers. Each is written under a temporary root and edited; what comes
 * out must equal NAME.out (every changed file, then the notes), or the
 * error must equal NAME.err. Beyond the golden files, an edited tree must
 * read back (the NIC a manual port of the bridge), a second edit of it must
 * change nothing, and its flattened form must pass the real
 * `ifup --no-act` when ifupdown is installed. XD_REGEN=1 rewrites the
 * golden files.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"
#include "tap.h"

static const char	*srcdir;
static char		*have_ifup;

struct casefile {
	char	*path;
	char	*data;
	size_t	 len;
};

/* Parse a .case file: its args line and its files. */
static int
read_case(const char *path, char **args, struct casefile **files,
    size_t *nfiles)
{
	char		*buf, *cause = NULL, *p, *nl, *start = NULL;
	size_t		 len;
	struct casefile	*f = NULL;

	if (file_read(path, &buf, &len, &cause) != 0) {
		diag("%s", cause);
		free(cause);
		return (-1);
	}
	*args = NULL;
	*files = NULL;
	*nfiles = 0;
	for (p = buf; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (strncmp(p, "=== ", 4) == 0) {
			if (f != NULL) {
				f->data = xstrndup(start, p - start);
				f->len = p - start;
			}
			*files = xreallocarray(*files, *nfiles + 1,
			    sizeof **files);
			f = &(*files)[(*nfiles)++];
			f->path = xstrndup(p + 4, (nl != NULL ? nl :
			    p + strlen(p)) - p - 4);
			start = nl != NULL ? nl + 1 : p + strlen(p);
			continue;
		}
		if (f == NULL && strncmp(p, "# args:", 7) == 0)
			*args = xstrndup(p + 7, (nl != NULL ? nl : p +
			    strlen(p)) - p - 7);
	}
	if (f != NULL) {
		f->data = xstrdup(start);
		f->len = strlen(start);
		/* "=== ... \n\\ no newline" is not needed: a case file whose
		   last file must end without a newline says "#<noeol>". */
		if (f->len >= 9 &&
		    strcmp(f->data + f->len - 9, "#<noeol>\n") == 0) {
			f->len -= 9;
			f->data[f->len] = '\0';
			if (f->len > 0 && f->data[f->len - 1] == '\n')
				f->data[--f->len] = '\0';
		}
	}
	free(buf);
	return (*args != NULL ? 0 : -1);
}

/* The value of KEY in "k=v k=v". */
static char *
arg(const char *args, const char *key)
{
	char		*pat;
	const char	*p;

	xasprintf(&pat, " %s=", key);
	p = strstr(args, pat);
	if (p == NULL) {
		free(pat);
		return (NULL);
	}
	p += strlen(pat);
	free(pat);
	return (xstrndup(p, strcspn(p, " \n")));
}

static void
write_tree(const char *root, struct casefile *files, size_t n)
{
	char	*full, *dir, *cause = NULL;
	size_t	 i;

	for (i = 0; i < n; i++) {
		xasprintf(&full, "%s%s", root, files[i].path);
		dir = xstrdup(full);
		*strrchr(dir, '/') = '\0';
		if (mkdir_p(dir, 0755, &cause) != 0 ||
		    file_write_atomic(full, files[i].data, files[i].len, 0644,
		    0, &cause) != 0) {
			diag("%s", cause);
			free(cause);
			cause = NULL;
		}
		free(dir);
		free(full);
	}
}

static void
rm_tree(const char *path)
{
	char *const		 argv[] = { "rm", "-rf", (char *)path, NULL };
	struct spawn_result	 res;
	char			*cause = NULL;

	if (spawn_run(argv, NULL, 0, &res, &cause) != 0) {
		diag("%s", cause);
		free(cause);
	}
	spawn_result_free(&res);
}

/* What an edit made, in the .out form. */
static char *
describe(struct ifupdown_change *c, size_t n, char **notes)
{
	char	*out = xstrdup(""), *next;
	size_t	 i;

	if (n == 0) {
		free(out);
		out = xstrdup("(no change)\n");
	}
	for (i = 0; i < n; i++) {
		xasprintf(&next, "%s=== %s (backup %s)\n%s%s", out, c[i].path,
		    c[i].backup, c[i].after, c[i].afterlen > 0 &&
		    c[i].after[c[i].afterlen - 1] != '\n' ? "#<noeol>\n" : "");
		free(out);
		out = next;
	}
	xasprintf(&next, "%s--- notes\n", out);
	free(out);
	out = next;
	for (i = 0; notes != NULL && notes[i] != NULL; i++) {
		xasprintf(&next, "%s%s\n", out, notes[i]);
		free(out);
		out = next;
	}
	return (out);
}

/* Compare with (or, with XD_REGEN, write) a golden file. */
static void
golden(const char *name, const char *ext, const char *got)
{
	char	*path, *want = NULL, *cause = NULL;
	size_t	 len;

	xasprintf(&path, "%s/t/ifupdown/%s.%s", srcdir, name, ext);
	if (getenv("XD_REGEN") != NULL) {
		if (file_write_atomic(path, got, strlen(got), 0644, 0,
		    &cause) != 0) {
			diag("%s", cause);
			free(cause);
		}
	}
	if (file_read(path, &want, &len, &cause) != 0) {
		ok(0, "%s: %s", name, cause);
		free(cause);
		free(path);
		return;
	}
	if (!is_str(got, want, "%s: the edit is %s.%s", name, name, ext)) {
		diag("full output:");
		printf("%s", got);
	}
	free(want);
	free(path);
}

/* `ifup --no-act` of a flattened configuration, as the wizard runs it. */
static int
ifup_noact(const char *tmp, const char *flat, size_t flatlen,
    const char *bridge, char **err)
{
	char			*file, *state, *cause = NULL;
	struct spawn_result	 res;
	int			 rc;

	xasprintf(&file, "%s/flat", tmp);
	xasprintf(&state, "%s/state", tmp);
	(void)mkdir(state, 0755);
	if (file_write_atomic(file, flat, flatlen, 0644, 0, &cause) != 0) {
		*err = cause;
		free(file);
		free(state);
		return (-1);
	}
	{
		char *const argv[] = { "ifup", "--no-act", "-i", file,
		    "--state-dir", state, (char *)bridge, NULL };

		rc = spawn_run(argv, NULL, SPAWN_STDOUT, &res, &cause);
	}
	if (rc != 0)
		*err = cause;
	spawn_result_free(&res);
	free(file);
	free(state);
	return (rc);
}

/* One case of the corpus. */
static void
run_case(const char *name)
{
	char			*path, *args = NULL, *root = NULL;
	char			*cause = NULL, *got, **notes = NULL, *flat, *err = NULL;
	char			*nic, *bridge, *mode, *address, *gateway;
	char			 tmpl[] = "/tmp/xd-ifupdown.XXXXXX";
	struct casefile		*files = NULL;
	struct ifupdown_text	*over = NULL;
	struct ifupdown_change	*ch = NULL, *ch2 = NULL;
	struct ifupdown		 ifs, again;
	struct ifupdown_bridge	 br;
	size_t			 nfiles = 0, nch = 0, nch2 = 0, i, flatlen;
	char			**notes2 = NULL;

	xasprintf(&path, "%s/t/ifupdown/%s.case", srcdir, name);
	if (read_case(path, &args, &files, &nfiles) != 0) {
		ok(0, "%s: readable case", name);
		free(path);
		return;
	}
	free(path);
	root = xstrdup(mkdtemp(tmpl));
	write_tree(root, files, nfiles);
	memset(&br, 0, sizeof br);
	xasprintf(&path, " %s", args);
	br.nic = nic = arg(path, "nic");
	br.bridge = bridge = arg(path, "bridge");
	br.mode = mode = arg(path, "mode");
	br.address = address = arg(path, "address");
	br.gateway = gateway = arg(path, "gateway");
	free(path);
	if (ifupdown_load(root, "/etc/network/interfaces", NULL, 0, &ifs,
	    &cause) != 0 ||
	    ifupdown_bridge_edit(&ifs, &br, &ch, &nch, &notes, &cause) != 0) {
		xasprintf(&got, "%s\n", cause);
		golden(name, "err", got);
		free(got);
		free(cause);
		if (ifs.files != NULL)
			ifupdown_free(&ifs);
		goto out;
	}
	got = describe(ch, nch, notes);
	golden(name, "out", got);
	free(got);
	for (i = 0; ifs.warnings[i] != NULL; i++)
		diag("%s: %s", name, ifs.warnings[i]);

	/* The edit read back: the NIC a manual port of the bridge. */
	over = xcalloc(nch + 1, sizeof *over);
	for (i = 0; i < nch; i++) {
		over[i].path = ch[i].path;
		over[i].data = ch[i].after;
		over[i].len = ch[i].afterlen;
	}
	if (!ok(ifupdown_load(root, "/etc/network/interfaces", over, nch,
	    &again, &cause) == 0, "%s: the edited tree reads back", name)) {
		diag("%s", cause);
		free(cause);
		cause = NULL;
		goto out2;
	}
	{
		size_t	 b = ifupdown_iface(&again, bridge, "inet", 0);
		size_t	 p = ifupdown_iface(&again, nic, "inet", 0);
		const char *ports = b != IFUPDOWN_NONE ?
		    ifupdown_opt(&again.st[b], "bridge_ports") : NULL;

		ok(b != IFUPDOWN_NONE && ports != NULL &&
		    strstr(ports, nic) != NULL &&
		    strcmp(again.st[b].method, mode) == 0,
		    "%s: %s bridges %s by %s", name, bridge, nic, mode);
		ok(p == IFUPDOWN_NONE ||
		    strcmp(again.st[p].method, "manual") == 0,
		    "%s: %s has no address of its own", name, nic);
		ok(ifupdown_auto_class(&again, bridge) != NULL &&
		    ifupdown_auto_class(&again, nic) == NULL,
		    "%s: %s comes up at boot, %s with it", name, bridge, nic);
	}
	if (ok(ifupdown_bridge_edit(&again, &br, &ch2, &nch2, &notes2,
	    &cause) == 0 && nch2 == 0, "%s: a second edit changes nothing",
	    name) == 0) {
		if (cause != NULL)
			diag("%s", cause);
		for (i = 0; i < nch2; i++)
			diag("%s:\n%s", ch2[i].path, ch2[i].after);
	}
	free(cause);
	cause = NULL;
	flat = ifupdown_flatten(&again, &flatlen);
	if (have_ifup == NULL)
		ok(1, "%s: ifup --no-act # SKIP ifupdown is not installed",
		    name);
	else if (!ok(ifup_noact(root, flat, flatlen, bridge, &err) == 0,
	    "%s: ifup --no-act takes the flattened edit", name)) {
		diag("%s", err);
		printf("%s", flat);
		free(err);
	}
	free(flat);
	ifupdown_free(&again);
out2:
	ifupdown_free(&ifs);
out:
	ifupdown_changes_free(ch, nch);
	ifupdown_changes_free(ch2, nch2);
	strv_free(notes);
	strv_free(notes2);
	free(over);
	for (i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	free(files);
	rm_tree(root);
	free(root);
	free(args);
	free(nic);
	free(bridge);
	free(mode);
	free(address);
	free(gateway);
}

/* Reading: lines cover the file, continuations, comments, includes. */
static void
test_reading(void)
{
	const char		*text = "# top\n  # indented\nauto lo\n"
				    "iface eth0 inet static\n"
				    "    address 10.0.0.2/24\n"
				    "    gateway \\\n   10.0.0.1\n"
				    "\n#x \\\niface eth1 inet dhcp";
	struct ifupdown_text	 over = { "/i", text, strlen(text) };
	struct ifupdown		 ifs;
	char			*cause = NULL, *flat;
	size_t			 i, sum = 0, st, len;

	if (!ok(ifupdown_load("/nonexistent-root", "/i", &over, 1, &ifs,
	    &cause) == 0, "an override is read instead of the disk")) {
		diag("%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < ifs.files[0].nlines; i++)
		sum += ifs.files[0].lines[i].len;
	is_int(sum, strlen(text), "logical lines cover every byte");
	is_int(ifs.nst, 3, "three stanzas");
	st = ifupdown_iface(&ifs, "eth0", "inet", 0);
	is_str(st != IFUPDOWN_NONE ? ifupdown_opt(&ifs.st[st], "gateway") :
	    NULL, "10.0.0.1", "a backslash continues a line");
	is_int(ifs.st[st].last - ifs.st[st].line, 2, "options belong to it");
	st = ifupdown_iface(&ifs, "eth1", NULL, 0);
	ok(st != IFUPDOWN_NONE && strcmp(ifs.st[st].method, "dhcp") == 0,
	    "a comment's backslash continues nothing");
	is_str(ifupdown_auto_class(&ifs, "lo"), "auto", "auto lo");
	flat = ifupdown_flatten(&ifs, &len);
	ok(len > 0 && flat[len - 1] == '\n' &&
	    strstr(flat, "iface eth1 inet dhcp\n") != NULL,
	    "flattening ends the last line");
	free(flat);
	ifupdown_free(&ifs);

	over.data = "iface eth0 inet dhcp\nauto eth0\n  address 1.2.3.4\n";
	over.len = strlen(over.data);
	ok(ifupdown_load("", "/i", &over, 1, &ifs, &cause) == -1 &&
	    strcmp(cause, "/i:3: misplaced option") == 0,
	    "an option after auto is misplaced (as ifup says)");
	free(cause);
	cause = NULL;
	over.data = "iface eth0 inet dhcp\n  hostname\n";
	over.len = strlen(over.data);
	ok(ifupdown_load("", "/i", &over, 1, &ifs, &cause) == -1 &&
	    strcmp(cause, "/i:2: option with empty value") == 0,
	    "an option needs a value");
	free(cause);
	cause = NULL;
	over.data = "iface eth0 inet\n";
	over.len = strlen(over.data);
	ok(ifupdown_load("", "/i", &over, 1, &ifs, &cause) == -1 &&
	    cause != NULL &&
	    strstr(cause, "/i:1: unknown or no method") == cause,
	    "an iface needs a method");
	free(cause);
}

/* net.c's IPv4 helpers. */
static void
test_ipv4(void)
{
	uint32_t	 ip;
	int		 prefix = 0;
	char		*s;

	ok(net_parse_ipv4("10.0.2.15", &ip) && ip == 0x0a00020f, "ipv4");
	ok(!net_parse_ipv4("10.0.2", NULL) && !net_parse_ipv4("10.0.2.256",
	    NULL) && !net_parse_ipv4("010.0.0.1", NULL) &&
	    !net_parse_ipv4("1.2.3.4 ", NULL), "bad ipv4 refused");
	ok(net_parse_cidr("192.168.1.10/24", &ip, &prefix) && prefix == 24,
	    "cidr");
	ok(!net_parse_cidr("192.168.1.10", NULL, NULL) &&
	    !net_parse_cidr("192.168.1.10/33", NULL, NULL) &&
	    !net_parse_cidr("192.168.1.10/0", NULL, NULL) &&
	    !net_parse_cidr("192.168.1.10/", NULL, NULL), "bad cidr refused");
	ok(net_mask_prefix("255.255.255.0", &prefix) && prefix == 24 &&
	    net_mask_prefix("255.255.254.0", &prefix) && prefix == 23 &&
	    net_mask_prefix("16", &prefix) && prefix == 16 &&
	    !net_mask_prefix("255.0.255.0", &prefix), "netmasks");
	s = net_cidr_string(0x0a00020f, 24);
	is_str(s, "10.0.2.15/24", "cidr string");
	free(s);
	ok(net_same_subnet(0x0a00020f, 0x0a000202, 24) &&
	    !net_same_subnet(0x0a00020f, 0x0a000102, 24), "subnets");
	ok(net_valid_ifname("xenbr0") && net_valid_ifname("vif1.0-emu") &&
	    !net_valid_ifname("") && !net_valid_ifname("a/b") &&
	    !net_valid_ifname("0123456789abcdef") &&
	    !net_valid_ifname("eth 0"), "interface names");
	s = net_nmcli_state("lo:unmanaged\neth0:connected\neth1:unmanaged\n",
	    "eth0");
	is_str(s, "connected", "nmcli's state of a device");
	free(s);
	s = net_nmcli_state("eth01:connected\n", "eth0");
	is_str(s, NULL, "nmcli: another device");
	{
		char	*nw = NULL;

		ok(net_networkd_managed("# This is private data.\n"
		    "ADMIN_STATE=configured\nOPER_STATE=routable\n"
		    "NETWORK_FILE=/etc/systemd/network/10-eth0.network\n",
		    &nw) == 1 && nw != NULL &&
		    strcmp(nw, "/etc/systemd/network/10-eth0.network") == 0,
		    "networkd configures a link");
		free(nw);
		ok(net_networkd_managed("ADMIN_STATE=unmanaged\n", &nw) == 0,
		    "networkd leaves a link alone");
		free(nw);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
main(void)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, **names = xcalloc(1, sizeof *names), *n;
	size_t		 i;

	srcdir = getenv("XD_SRCDIR") != NULL ? getenv("XD_SRCDIR") : ".";
	have_ifup = spawn_which("ifup");
	test_reading();
	test_ipv4();
	xasprintf(&dir, "%s/t/ifupdown", srcdir);
	if ((d = opendir(dir)) == NULL) {
		ok(0, "%s: %s", dir, strerror(errno));
		return (done_testing());
	}
	while ((de = readdir(d)) != NULL) {
		size_t	 len = strlen(de->d_name);

		if (len > 5 && strcmp(de->d_name + len - 5, ".case") == 0) {
			n = xstrndup(de->d_name, len - 5);
			strv_push(&names, n);
			free(n);
		}
	}
	closedir(d);
	qsort(names, strv_len(names), sizeof *names, cmp_str);
	for (i = 0; names[i] != NULL; i++)
		run_case(names[i]);
	strv_free(names);
	free(dir);
	free(have_ifup);
	return (done_testing());
}
