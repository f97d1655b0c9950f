/*
 * host-check: the guide's checklist, read only. Each line is PASS, WARN or
 * FAIL with a one-line fix: 64-bit, memory, VT-x/AMD-V, IOMMU, free disk,
 * free volume group space, firmware and Secure Boot, the Debian release,
 * whether Xen runs and this is dom0, and the packages the guide installs.
 * Before Xen runs the CPU's flags come from /proc/cpuinfo and the IOMMU
 * from the ACPI tables; once it runs, from `xl info` (a PV dom0 sees
 * neither).
 */
#include <sys/stat.h>
#include <sys/utsname.h>
#include <stdlib.h>
#include <string.h>

#include "wizards.h"

#define MIB		(1024ULL * 1024)
#define GIB		(1024ULL * MIB)
#define HC_MEM_FAIL	(900 * MIB)	/* "at least 1GB" less the kernel's */
#define HC_MEM_WARN	(1900 * MIB)
#define HC_DISK_FAIL	(1 * GIB)
#define HC_DISK_WARN	(10 * GIB)
#define HC_VG_WARN	(4 * GIB)	/* xen-create-image's default size */

static int	host_check_run(const struct wiz_ctx *, const struct wiz_answers *,
		    struct wiz_checks *, char **);

static const struct wiz_field host_check_fields[] = {
	{ .key = NULL }
};

const struct wizard wiz_host_check = {
	.name = "host-check",
	.summary = "check that this machine can run Xen as the guide needs "
	    "(read only)",
	.guide =
	    "The guide's checklist: a 64-bit x86 computer with at least 1GB of "
	    "RAM,\n"
	    "VT-x or AMD-V enabled in the firmware (optional: PV guests run "
	    "without\n"
	    "it, HVM guests such as Windows need it), storage for dom0 and "
	    "the guests\n"
	    "(an LVM volume group), and Debian. This check reads the machine "
	    "and\n"
	    "changes nothing. Before Xen runs it reads /proc/cpuinfo and the "
	    "ACPI\n"
	    "tables; once Xen runs, dom0 is a PV guest whose /proc/cpuinfo "
	    "hides\n"
	    "vmx/svm and which does not see the IOMMU's table, so the check "
	    "asks\n"
	    "`xl info` (xen_caps, virt_caps) instead. Debian 12 differs from "
	    "the\n"
	    "guide: the package is xen-system-amd64 (xen-linux-system is "
	    "gone), and\n"
	    "GRUB cannot load Xen while Secure Boot is on.\n"
	    "\n"
	    "Exit status: 0 every check passed, 1 some check failed, 3 only "
	    "warnings.",
	.fields = host_check_fields,
	.check = host_check_run,
};

static char *
hc_size(uint64_t bytes)
{
	if (bytes >= 10 * GIB)
		return (xprintf("%.0f GiB", (double)bytes / GIB));
	if (bytes >= GIB)
		return (xprintf("%.1f GiB", (double)bytes / GIB));
	return (xprintf("%llu MiB", (unsigned long long)(bytes / MIB)));
}

static void
hc_64bit(struct wiz_checks *c)
{
	struct utsname	 u;
	int		 lm = host_cpu_flag("lm");

	if (uname(&u) != 0)
		memset(&u, 0, sizeof u);
	if (strcmp(u.machine, "x86_64") == 0 && lm)
		wiz_checks_add(c, "64-bit", WIZ_PASS, NULL,
		    "x86_64 kernel, lm (long mode) in /proc/cpuinfo");
	else if (lm)
		wiz_checks_add(c, "64-bit", WIZ_FAIL, "install Debian's amd64 "
		    "kernel and userland: Xen's dom0 is 64-bit",
		    "a 64-bit CPU running a %s kernel", u.machine);
	else
		wiz_checks_add(c, "64-bit", WIZ_FAIL, "Xen on x86 needs a "
		    "64-bit (x86-64) CPU", "%s, no lm (long mode) in "
		    "/proc/cpuinfo", u.machine);
}

/* xl info's total_memory/free_memory (MiB) once Xen runs, else /proc. */
static void
hc_memory(struct wiz_checks *c, const struct host_xen *x)
{
	struct host_info	 h;
	char			*cause = NULL, *tot, *fr, *a, *b;
	uint64_t		 total = 0, avail = 0;
	const char		*src = "/proc/meminfo";
	enum wiz_status		 st;

	tot = host_xen_info(x, "total_memory");
	fr = host_xen_info(x, "free_memory");
	if (tot != NULL && fr != NULL) {
		total = strtoull(tot, NULL, 10) * MIB;
		avail = strtoull(fr, NULL, 10) * MIB;
		src = "xl info";
	} else if (host_probe(&h, &cause) == 0) {
		total = h.total_kb * 1024;
		avail = h.free_kb * 1024;
	} else
		free(cause);
	free(tot);
	free(fr);
	st = total < HC_MEM_FAIL ? WIZ_FAIL : total < HC_MEM_WARN ? WIZ_WARN :
	    WIZ_PASS;
	a = hc_size(total);
	b = hc_size(avail);
	wiz_checks_add(c, "memory", st, st == WIZ_FAIL ? "the guide needs at "
	    "least 1 GiB of RAM: dom0 and each guest take their share" :
	    st == WIZ_WARN ? "dom0 and one small guest fit; give the machine "
	    "more RAM for more guests" : NULL, "%s total, %s %s (%s)", a, b,
	    x->info != NULL ? "free for guests" : "available", src);
	free(a);
	free(b);
}

static void
hc_hvm(struct wiz_checks *c, const struct host_xen *x)
{
	const char	*fix = "enable VT-x/AMD-V (\"Virtualization "
			    "Technology\") in the firmware setup; on a virtual "
			    "machine, turn on nested virtualization";
	char		*xc, *vc;

	if (x->running) {
		xc = host_xen_info(x, "xen_caps");
		vc = host_xen_info(x, "virt_caps");
		if (xc == NULL && vc == NULL)
			wiz_checks_add(c, "VT-x/AMD-V", WIZ_WARN, "run the "
			    "check in dom0, where xl info works", "Xen runs, "
			    "but xl info cannot say (%s)", x->info_why !=
			    NULL ? x->info_why : "not dom0");
		else if (host_xen_hvm(x) == 1)
			wiz_checks_add(c, "VT-x/AMD-V", WIZ_PASS, NULL,
			    "Xen offers HVM guests (xl info: xen_caps %s; "
			    "virt_caps %s)", xc != NULL ? xc : "-",
			    vc != NULL ? vc : "-");
		else
			wiz_checks_add(c, "VT-x/AMD-V", WIZ_WARN, fix, "Xen "
			    "offers no HVM guests (xl info: xen_caps %s): PV "
			    "guests only", xc != NULL ? xc : "-");
		free(xc);
		free(vc);
		return;
	}
	if (host_cpu_flag("vmx"))
		wiz_checks_add(c, "VT-x/AMD-V", WIZ_PASS, NULL,
		    "vmx (Intel VT-x) in /proc/cpuinfo");
	else if (host_cpu_flag("svm"))
		wiz_checks_add(c, "VT-x/AMD-V", WIZ_PASS, NULL,
		    "svm (AMD-V) in /proc/cpuinfo");
	else
		wiz_checks_add(c, "VT-x/AMD-V", WIZ_WARN, fix, "no vmx or svm "
		    "in /proc/cpuinfo: HVM guests (Windows) cannot run, PV "
		    "guests can");
}

static void
hc_iommu(struct wiz_checks *c, const struct host_xen *x)
{
	const char	*fix = "only PCI passthrough needs it: enable VT-d / "
			    "AMD-Vi (IOMMU) in the firmware setup";
	char		*vc, table[8];

	if (x->running) {
		if ((vc = host_xen_info(x, "virt_caps")) == NULL)
			wiz_checks_add(c, "IOMMU", WIZ_WARN, "run the check in "
			    "dom0, where xl info works", "Xen runs, but xl "
			    "info cannot say");
		else if (host_xen_word(vc, "hvm_directio") ||
		    host_xen_word(vc, "pv_directio"))
			wiz_checks_add(c, "IOMMU", WIZ_PASS, NULL, "Xen uses "
			    "an IOMMU (xl info virt_caps: %s)", vc);
		else
			wiz_checks_add(c, "IOMMU", WIZ_WARN, fix, "Xen uses no "
			    "IOMMU (xl info virt_caps: %s)", vc);
		free(vc);
		return;
	}
	if (host_iommu_table(table, sizeof table))
		wiz_checks_add(c, "IOMMU", WIZ_PASS, NULL, "ACPI %s table (%s)",
		    table, strcmp(table, "DMAR") == 0 ? "Intel VT-d" :
		    "AMD-Vi");
	else
		wiz_checks_add(c, "IOMMU", WIZ_WARN, fix, "no DMAR or IVRS "
		    "table in /sys/firmware/acpi/tables: no PCI passthrough "
		    "(the guide does not need it)");
}

/* Where guest images go: the first of these that exists. */
static void
hc_disk(struct wiz_checks *c)
{
	static const char *const paths[] = { "/var/lib/xen/images",
				    "/var/lib/xen", "/var/lib", "/" };
	struct stat	 st;
	uint64_t	 avail, size;
	char		*cause = NULL, *a, *b;
	size_t		 i;
	enum wiz_status	 s;

	for (i = 0; i < nitems(paths) - 1; i++) {
		if (stat(paths[i], &st) == 0)
			break;
	}
	if (host_fs_space(paths[i], &avail, &size, &cause) != 0) {
		wiz_checks_add(c, "free disk", WIZ_WARN, NULL, "%s", cause);
		free(cause);
		return;
	}
	s = avail < HC_DISK_FAIL ? WIZ_FAIL : avail < HC_DISK_WARN ? WIZ_WARN :
	    WIZ_PASS;
	a = hc_size(avail);
	b = hc_size(size);
	wiz_checks_add(c, "free disk", s, s == WIZ_PASS ? NULL : "free some "
	    "space: the Xen packages need about 200 MiB, and guests on image "
	    "files need their size", "%s free of %s on %s", a, b, paths[i]);
	free(a);
	free(b);
}

static void
hc_vg(struct wiz_checks *c)
{
	struct host_vg	*vgs;
	size_t		 n, i;
	char		*cause = NULL, *list = NULL, *prev, *a, *b;
	uint64_t	 best = 0;

	if (host_vgs(&vgs, &n, &cause) != 0) {
		if (strstr(cause, "not found") != NULL)
			wiz_checks_add(c, "free VG space", WIZ_WARN, "the "
			    "storage wizard installs lvm2 and makes a volume "
			    "group: xendeck wizard storage", "lvm2 is not "
			    "installed (no vgs)");
		else
			wiz_checks_add(c, "free VG space", WIZ_WARN, "see "
			    "vgs's message", "%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		a = hc_size(vgs[i].free);
		b = hc_size(vgs[i].size);
		prev = list;
		xasprintf(&list, "%s%s%s: %s free of %s", prev != NULL ? prev :
		    "", prev != NULL ? "; " : "", vgs[i].name, a, b);
		free(prev);
		free(a);
		free(b);
		if (vgs[i].free > best)
			best = vgs[i].free;
	}
	if (n == 0)
		wiz_checks_add(c, "free VG space", WIZ_WARN, "make one on a "
		    "spare disk or partition: xendeck wizard storage",
		    "no LVM volume group (the guide keeps guests' disks in "
		    "one, vg0)");
	else if (best < HC_VG_WARN)
		wiz_checks_add(c, "free VG space", WIZ_WARN, "add a disk to "
		    "the volume group (vgextend), or make another: xendeck "
		    "wizard storage", "%s: none has 4 GiB free for a guest",
		    list);
	else
		wiz_checks_add(c, "free VG space", WIZ_PASS, NULL, "%s", list);
	free(list);
	free(vgs);
}

static void
hc_firmware(struct wiz_checks *c, const struct host_xen *x)
{
	struct host_firmware	 fw;

	firmware_probe(&fw);
	wiz_checks_add(c, "firmware", WIZ_PASS, NULL, "%s", fw.efi ?
	    "EFI (GRUB loads Xen with multiboot2 from grub-efi-amd64)" :
	    "BIOS (legacy boot; GRUB loads Xen with multiboot2 from "
	    "grub-pc)");
	if (!fw.efi)
		wiz_checks_add(c, "Secure Boot", WIZ_PASS, NULL,
		    "not available (BIOS boot)");
	else if (fw.secure_boot == 1 && !x->running)
		wiz_checks_add(c, "Secure Boot", WIZ_FAIL, "turn Secure Boot "
		    "off in the firmware setup before installing Xen",
		    "on: Debian 12's GRUB does not load Xen (a multiboot2 "
		    "image) with Secure Boot on");
	else if (fw.secure_boot == 1)
		wiz_checks_add(c, "Secure Boot", WIZ_WARN, "leave the boot "
		    "chain as it is: Xen booted, so this firmware lets it",
		    "on, and Xen runs nevertheless");
	else if (fw.secure_boot == 0)
		wiz_checks_add(c, "Secure Boot", WIZ_PASS, NULL, "off%s",
		    fw.setup_mode == 1 ? " (setup mode)" : "");
	else
		wiz_checks_add(c, "Secure Boot", WIZ_WARN, "check it in the "
		    "firmware setup: GRUB does not load Xen with it on",
		    "unknown (no SecureBoot EFI variable readable)");
}

static void
hc_release(struct wiz_checks *c)
{
	struct host_os	 os;
	char		*cause = NULL;
	const char	*name;

	if (host_os_release(&os, &cause) != 0) {
		wiz_checks_add(c, "Debian release", WIZ_FAIL, "xendeck's "
		    "wizards install Debian packages: run them on Debian 12",
		    "unknown: %s", cause);
		free(cause);
		return;
	}
	name = *os.pretty != '\0' ? os.pretty : os.id;
	if (strcmp(os.id, "debian") == 0 && strcmp(os.version_id, "12") == 0)
		wiz_checks_add(c, "Debian release", WIZ_PASS, NULL, "%s%s%s",
		    name, *os.debian_version != '\0' ? ", " : "",
		    os.debian_version);
	else if (strcmp(os.id, "debian") == 0)
		wiz_checks_add(c, "Debian release", WIZ_WARN, "the wizards are "
		    "made and tested for Debian 12 (bookworm); check each plan",
		    "%s%s%s", name, *os.debian_version != '\0' ? ", " : "",
		    os.debian_version);
	else
		wiz_checks_add(c, "Debian release", WIZ_WARN, "the wizards are "
		    "made for Debian 12 (bookworm); package names and GRUB may "
		    "differ here", "%s, not Debian", name);
}

static void
hc_xen(struct wiz_checks *c, const struct host_xen *x)
{
	if (x->running && x->dom0)
		wiz_checks_add(c, "Xen", WIZ_PASS, NULL, "Xen %s runs; this is "
		    "dom0", *x->version != '\0' ? x->version : "");
	else if (x->running)
		wiz_checks_add(c, "Xen", WIZ_FAIL, "run xendeck in dom0 (the "
		    "Xen host), not in a guest", "Xen %s runs, but this is a "
		    "guest (domU), not dom0", x->version);
	else if (pkg_installed("xen-system-amd64") ||
	    pkg_installed("xen-hypervisor-common"))	/* as the Guide reads */
		wiz_checks_add(c, "Xen", WIZ_WARN, "reboot and pick GRUB's "
		    "\"with Xen hypervisor\" entry (the xen-install wizard "
		    "makes it the default)", "installed, but not running: "
		    "this kernel booted without Xen");
	else
		wiz_checks_add(c, "Xen", WIZ_WARN, "install it: xendeck wizard "
		    "xen-install", "not running, not installed");
}

/*
 * The packages the guide's steps need, and the wizard that needs each: the
 * xen-install wizard installs its own packages; the others refuse to run
 * without theirs, and nothing installs a boot loader on a disk but its
 * package's own questions (grub-install).
 */
static void
hc_packages(struct wiz_checks *c, const struct host_xen *x)
{
	static const struct {
		const char	*name;
		const char	*what;
		const char	*fix;
	} want[] = {
		{ "xen-system-amd64", "Xen and its tools",
		    "the xen-install wizard does" },
		{ "qemu-system-xen", "device models for HVM guests",
		    "the xen-install wizard does" },
		{ "lvm2", "LVM, for guests' disks",
		    "the storage wizard needs it" },
		{ "bridge-utils", "the xenbr0 bridge",
		    "the bridge wizard needs it" },
		{ "ifupdown", "/etc/network/interfaces",
		    "the bridge wizard needs it" },
		{ NULL, "GRUB, which boots Xen", "it asks which disk to "
		    "boot from; the xen-install wizard needs GRUB and "
		    "installs no boot loader" },
	};
	struct host_firmware	 fw;
	struct pkg		*v;
	char			*names[nitems(want) + 1], *cause = NULL;
	char			*check, *fix;
	size_t			 i;

	firmware_probe(&fw);
	for (i = 0; i < nitems(want); i++)
		names[i] = (char *)(want[i].name != NULL ? want[i].name :
		    fw.efi ? "grub-efi-amd64" : "grub-pc");
	names[i] = NULL;
	if (pkg_query(names, &v, &cause) != 0) {
		wiz_checks_add(c, "packages", WIZ_WARN, "run the check on "
		    "Debian, where dpkg-query works", "%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < nitems(want); i++) {
		xasprintf(&check, "package %s", names[i]);
		xasprintf(&fix, "apt-get install %s (%s)", names[i],
		    want[i].fix);
		if (strcmp(names[i], "xen-system-amd64") == 0 &&
		    v[i].state != PKG_INSTALLED && x->dom0) {
			/* A dom0 made from Xen's parts, not the metapackage. */
			wiz_checks_add(c, check, WIZ_PASS, NULL, "not installed "
			    "itself, but Xen %s runs from its parts "
			    "(xen-hypervisor, xen-utils)", x->version);
			free(check);
			free(fix);
			continue;
		}
		switch (v[i].state) {
		case PKG_INSTALLED:
			wiz_checks_add(c, check, WIZ_PASS, NULL, "%s installed "
			    "(%s)", v[i].version != NULL ? v[i].version : "",
			    want[i].what);
			break;
		case PKG_HALF:
			wiz_checks_add(c, check, WIZ_WARN, "dpkg --configure "
			    "-a", "half installed (%s)", want[i].what);
			break;
		default:
			wiz_checks_add(c, check, WIZ_WARN, fix, "not installed "
			    "(%s)", want[i].what);
			break;
		}
		free(check);
		free(fix);
	}
	pkg_list_free(v, nitems(want));
}

static int
host_check_run(const struct wiz_ctx *ctx, const struct wiz_answers *a,
    struct wiz_checks *c, char **cause)
{
	struct host_xen	 x;

	host_xen_probe(&x);
	hc_64bit(c);
	hc_memory(c, &x);
	hc_hvm(c, &x);
	hc_iommu(c, &x);
	hc_disk(c);
	hc_vg(c);
	hc_firmware(c, &x);
	hc_release(c);
	hc_xen(c, &x);
	hc_packages(c, &x);
	host_xen_free(&x);
	return (0);
}
