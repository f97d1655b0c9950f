/*
 * The guide as a beginner's home: the Xen Project Beginners Guide's steps,
 * in its order, each with a detector that reads this host and says where
 * it stands -- done, partly done, not done, or not applicable here -- with
 * the evidence in one line, never assumed.
 *
 * The facts are read once (guide_facts_read: cheap reads of /proc, /sys,
 * dpkg-query, lvm2's report, grub.cfg, the backend's domain list, the
 * domain files in /etc/xen and the console's transcript log), and the
 * detectors are pure functions of them, so they are tested on facts made
 * from real inputs. `xendeck guide --json` prints what they say; the
 * console's Guide view runs that as a quiet job.
 */
#include <sys/stat.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

#define MIB		(1024ULL * 1024)
#define GIB		(1024ULL * MIB)
#define GUIDE_MEM_MIN	(900 * MIB)	/* "at least 1GB", less the kernel's */
#define GUIDE_VG_FREE	(4 * GIB)	/* room for a guest (xen-tools' size) */
#define GUIDE_BRIDGE	"xenbr0"
#define GUIDE_DEV_MIN	(256 * MIB)	/* smaller is no room for guests */

/* The packages the steps read, in the order of guide_facts.pkgs. */
char *const guide_pkg_names[] = {
	"xen-system-amd64", "xen-hypervisor-common", "qemu-system-xen", "lvm2",
	"bridge-utils", "ifupdown", "grub-pc", "grub-efi-amd64", NULL
};

const struct guide_step guide_steps[] = {
	{
		.id = "hardware",
		.title = "The machine: 64-bit, memory, VT-x/AMD-V",
		.about =
		    "Xen runs on 64-bit x86 machines, and dom0 and every "
		    "guest take a share\nof the memory. PV guests need nothing "
		    "more; HVM guests (Windows, any\nunmodified system) need "
		    "the CPU's virtualization extensions, VT-x or\nAMD-V, "
		    "switched on in the firmware setup.",
		.guide =
		    "A 64-bit x86 computer with at least 1GB of RAM; VT-x or "
		    "AMD-V enabled\nin the BIOS (optional: only HVM guests "
		    "need it).",
		.debian =
		    "Once Xen runs, dom0 is itself a guest: its /proc/cpuinfo "
		    "hides vmx and\nsvm. `xl info` (xen_caps, virt_caps) says "
		    "what Xen offers instead.",
		.wizard = "host-check",
	},
	{
		.id = "install",
		.title = "Debian's install: room for LVM",
		.about =
		    "The guide partitions the disk while installing Debian "
		    "and leaves one\npartition unformatted: guests' disks "
		    "will live there, in LVM. What\nmatters now is a disk or "
		    "partition with nothing on it and nothing using\nit (or "
		    "one already made a physical volume).",
		.guide =
		    "sda1 /boot, sda2 / (15GB), sda3 swap, and sda4 reserved "
		    "for LVM: no\nfile system, no mount point. Then only the "
		    "base system.",
		.debian =
		    "Debian 12's installer partitions the same way. A second "
		    "disk serves as\nwell as a partition. Without any, a "
		    "directory of image files (a\ndirectory pool) holds "
		    "guests' disks: slower than LVM, nothing to\nrepartition.",
		.wizard = "storage",
	},
	{
		.id = "lvm",
		.title = "LVM: a volume group for guests' disks",
		.about =
		    "LVM turns the spare partition into a volume group (vg0), "
		    "from which\nevery guest gets its own logical volumes: "
		    "made, grown and snapshotted\nwithout touching the "
		    "others.",
		.guide =
		    "apt-get install lvm2; pvcreate /dev/sda4; vgcreate vg0 "
		    "/dev/sda4;\nlvcreate -n NAME -L SIZE vg0 for each "
		    "volume.",
		.debian =
		    "The same commands. The storage wizard refuses a device "
		    "in use, and one\nholding data unless you name it to be "
		    "wiped; new volumes are zeroed\nbefore a guest sees them.",
		.wizard = "storage",
	},
	{
		.id = "network",
		.title = "Networking: the xenbr0 bridge",
		.about =
		    "Guests reach the network through a bridge in dom0, a "
		    "virtual switch:\nxenbr0, with the real network card as "
		    "its port and dom0's address on\nthe bridge. Every "
		    "guest's vif is plugged into it (bridge=xenbr0 is\nxl's "
		    "default).",
		.guide =
		    "apt-get install bridge-utils; in /etc/network/interfaces "
		    "add\n`auto xenbr0`, `iface xenbr0 inet dhcp`, "
		    "`bridge_ports eth0`; then\nservice networking restart "
		    "and brctl show.",
		.debian =
		    "The guide leaves `iface eth0 inet dhcp` too: the port "
		    "must be `inet\nmanual`, the bridge carries the address, "
		    "and bridge_hw keeps the NIC's\nMAC so the DHCP lease "
		    "stays. Over SSH a restart can cut you off: the\nbridge "
		    "wizard tries the change with a timed rollback.",
		.wizard = "bridge",
	},
	{
		.id = "xen",
		.title = "Installing Xen, and GRUB booting it",
		.about =
		    "Xen starts before Linux: GRUB loads the hypervisor, which "
		    "starts Debian\nas dom0. The packages add a GRUB entry "
		    "\"Debian GNU/Linux, with Xen\nhypervisor\"; once it is "
		    "the default, a reboot starts Xen.",
		.guide =
		    "apt-get install xen-linux-system (and xen-qemu-dm); "
		    "dpkg-divert\n20_linux_xen to 08_linux_xen so Xen's "
		    "entry comes first; update-grub;\nedit xend-config.sxp; "
		    "reboot.",
		.debian =
		    "xen-system-amd64 (and qemu-system-xen for HVM) replace "
		    "xen-linux-system\nand xen-qemu-dm; /etc/default/grub.d/"
		    "xen.cfg already makes Xen's entry\nthe default, so no "
		    "divert; xend is gone, and xend-config.sxp with it;\n"
		    "dom0's memory goes in GRUB_CMDLINE_XEN_DEFAULT.",
		.wizard = "xen-install",
		.xen_only = 1,
		.on_qemu =
		    "Here guests run on QEMU, and this step changes nothing "
		    "on this machine.\nOn a Xen host it installs "
		    "xen-system-amd64, writes dom0's memory into\n"
		    "/etc/default/grub, runs update-grub and asks for a "
		    "reboot. Practise it in\nthe plain lab: `xendeck lab "
		    "start --plain`, then `xendeck lab console`.",
	},
	{
		.id = "pv-guest",
		.title = "The first PV guest",
		.about =
		    "A PV guest runs a kernel that knows it is virtualized: "
		    "no emulated\nhardware. The guide builds a Debian one "
		    "with xen-create-image on LVM\nand boots it with pygrub, "
		    "which reads the guest's own GRUB menu.",
		.guide =
		    "apt-get install xen-tools; xen-create-image "
		    "--hostname=tutorial-pv-guest\n--memory=512mb --vcpus=2 "
		    "--lvm=vg0 --dhcp --pygrub --dist=wheezy; then\nxl "
		    "create -c /etc/xen/tutorial-pv-guest.cfg.",
		.debian =
		    "Use bookworm, not wheezy. xen-create-image's guests "
		    "share the first one's\nSSH host keys and its log keeps "
		    "root passwords: the pv-guest wizard\nclones a template "
		    "and gives each guest its own keys and machine-id.",
		.wizard = "pv-guest",
	},
	{
		.id = "hvm-guest",
		.title = "An HVM guest and its VNC console",
		.about =
		    "An HVM guest gets a whole emulated PC (BIOS, disks, "
		    "network card, VGA),\nso unmodified systems such as "
		    "Windows run. QEMU provides the devices and\nserves the "
		    "screen over VNC; xendeck shows it inside the terminal "
		    "(v).",
		.guide =
		    "lvcreate -nwindows -L20G vg0; a windows.cfg with "
		    "builder='hvm', the\nhvmloader kernel, qemu-xen-"
		    "traditional, boot=\"d\", vnc=1; xl create\nwindows.cfg; "
		    "gvncviewer <dom0>:5900.",
		.debian =
		    "type = \"hvm\" is enough: no hvmloader path, no "
		    "qemu-xen-traditional;\nqemu-system-xen is the device "
		    "model. boot=\"cd\" (the default) makes the\nedit to "
		    "boot=\"c\" unneeded. Its VNC has no passwords (no DES): "
		    "listen on\nlocalhost instead.",
		.wizard = "hvm-guest",
	},
	{
		.id = "everyday",
		.title = "Everyday commands: xl info, list, top, console, "
		    "shutdown, destroy",
		.about =
		    "xl is Xen's toolstack. In this console, xl info is the "
		    "Host view (3),\nxl list the Domains view (1), xl top the "
		    "Top view (2); on a domain, c is\nxl console, s xl "
		    "shutdown and D xl destroy. The transcript (T) shows\n"
		    "every action as the xl command it equals.",
		.guide =
		    "xl info; xl list; xl top; xl console NAME (ctrl+] "
		    "leaves);\nxl shutdown NAME; xl destroy NAME.",
		.debian =
		    "xm is gone: xl is the only toolstack (since Xen 4.5).",
		.action = "the Domains view (1)",
	},
};
const size_t guide_nsteps = nitems(guide_steps);

/* The everyday commands, as the transcript keeps them. */
static const char *const guide_everyday[] = {
	"xl info", "xl list", "xl top", "xl console", "xl shutdown",
	"xl destroy", NULL
};

const struct guide_step *
guide_step_find(const char *id)
{
	size_t	 i;

	for (i = 0; i < guide_nsteps; i++) {
		if (strcmp(guide_steps[i].id, id) == 0)
			return (&guide_steps[i]);
	}
	return (NULL);
}

const char *
guide_status_name(enum guide_status s)
{
	switch (s) {
	case GUIDE_DONE:
		return ("done");
	case GUIDE_PARTLY:
		return ("partly");
	case GUIDE_TODO:
		return ("todo");
	case GUIDE_NA:
		return ("n/a");
	}
	return ("?");
}

int
guide_status_parse(const char *s, enum guide_status *st)
{
	static const enum guide_status all[] = { GUIDE_DONE, GUIDE_PARTLY,
		GUIDE_TODO, GUIDE_NA };
	size_t	 i;

	for (i = 0; i < nitems(all); i++) {
		if (strcmp(s, guide_status_name(all[i])) == 0) {
			*st = all[i];
			return (0);
		}
	}
	return (-1);
}

void
guide_facts_init(struct guide_facts *f)
{
	memset(f, 0, sizeof *f);
	f->used = xcalloc(1, sizeof *f->used);
}

void
guide_facts_free(struct guide_facts *f)
{
	size_t	 i;

	if (f == NULL)
		return;
	host_xen_free(&f->xen);
	pkg_list_free(f->pkgs, strv_len(guide_pkg_names));
	free(f->pkgs_why);
	grub_boot_free(&f->boot);
	free(f->boot_why);
	pool_report_free(&f->pools);
	free(f->pools_why);
	blockdev_list_free(f->devs, f->ndevs);
	free(f->devs_why);
	net_facts_free(&f->net);
	free(f->net_why);
	ifupdown_free(&f->ifs);
	free(f->ifs_why);
	free(f->br_manager);
	free(f->backend);
	free(f->doms);
	free(f->doms_why);
	for (i = 0; i < f->ncfgs; i++) {
		free(f->cfgs[i].path);
		free(f->cfgs[i].name);
		free(f->cfgs[i].error);
	}
	free(f->cfgs);
	free(f->cfg_dir);
	strv_free(f->used);
	memset(f, 0, sizeof *f);
}

static const struct pkg *
guide_pkg(const struct guide_facts *f, const char *name)
{
	size_t	 i;

	for (i = 0; f->pkgs != NULL && guide_pkg_names[i] != NULL; i++) {
		if (strcmp(guide_pkg_names[i], name) == 0)
			return (&f->pkgs[i]);
	}
	return (NULL);
}

static int
guide_pkg_ok(const struct guide_facts *f, const char *name)
{
	const struct pkg	*p = guide_pkg(f, name);

	return (p != NULL && p->state == PKG_INSTALLED);
}

/*
 * The network: links and addresses (net.c), interfaces(5) as ifup reads it
 * (ifupdown.c; XENDECK_INTERFACES for tests), and whether NetworkManager
 * or systemd-networkd keeps the bridge NAME instead.
 */
void
guide_facts_network(struct guide_facts *f, const char *name)
{
	const struct net_link	*l;
	char			*cause = NULL, *detail = NULL;
	const char		*who;

	if (net_facts_read(&f->net, &cause) == 0)
		f->have_net = 1;
	else {
		f->net_why = cause;
		cause = NULL;
	}
	if (ifupdown_load(NULL, nettrial_interfaces(), NULL, 0, &f->ifs,
	    &cause) == 0)
		f->have_ifs = 1;
	else {
		f->ifs_why = cause;
		cause = NULL;
	}
	if (f->have_net && (l = net_link_find(&f->net, name)) != NULL &&
	    (who = net_manager(name, l->ifindex, &detail)) != NULL)
		f->br_manager = xstrdup(who);
	free(detail);
}

/* The domain files in DIR (*.cfg), read as xl reads them. */
void
guide_facts_cfgs(struct guide_facts *f, const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	struct xlcfg	*cfg;
	struct guide_cfg *c;
	char		*path, *cause = NULL;
	size_t		 n;
	const struct xlcfg_setting *vnc;

	f->cfg_dir = xstrdup(dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 5 ||
		    strcmp(de->d_name + n - 4, ".cfg") != 0)
			continue;
		path = xprintf("%s/%s", dir, de->d_name);
		f->cfgs = xreallocarray(f->cfgs, f->ncfgs + 1,
		    sizeof *f->cfgs);
		c = &f->cfgs[f->ncfgs++];
		memset(c, 0, sizeof *c);
		c->path = path;
		if (xlcfg_load(path, &cfg, &cause) != 0) {
			c->name = xstrndup(de->d_name, n - 4);
			c->error = cause;
			cause = NULL;
			continue;
		}
		c->name = xstrdup(cfg->name != NULL ? cfg->name : "");
		c->type = cfg->type;
		vnc = xlcfg_get(cfg, "vnc");
		c->vnc = cfg->vnc > 0 || (cfg->vnc < 0 && vnc == NULL &&
		    cfg->type == XLCFG_TYPE_HVM);
		xlcfg_free(cfg);
	}
	closedir(d);
}

/*
 * Read the facts every detector needs. BE is the backend whose domains
 * count (NULL: none could run here, DOMS_WHY says why); LOG is the
 * console's transcript log (NULL: none). What cannot be read is said in
 * the *_why fields, never guessed.
 */
void
guide_facts_read(struct guide_facts *f, const struct backend_ops *be,
    const char *be_why, const char *log)
{
	struct host_info	 h;
	struct utsname		 u;
	char			*cause = NULL, *tot;

	guide_facts_init(f);
	if (uname(&u) == 0)
		snprintf(f->machine, sizeof f->machine, "%s", u.machine);
	f->lm = host_cpu_flag("lm");
	f->vmx = host_cpu_flag("vmx");
	f->svm = host_cpu_flag("svm");
	if (host_probe(&h, &cause) == 0) {
		f->mem_bytes = h.total_kb * 1024;
		f->kvm = h.hvm_enabled;
	}
	free(cause);
	cause = NULL;
	host_xen_probe(&f->xen);
	if ((tot = host_xen_info(&f->xen, "total_memory")) != NULL) {
		f->mem_bytes = strtoull(tot, NULL, 10) * MIB;
		free(tot);
	}
	f->have_os = host_os_release(&f->os, &cause) == 0;
	free(cause);
	cause = NULL;
	if (pkg_query(guide_pkg_names, &f->pkgs, &cause) != 0) {
		f->pkgs_why = cause;
		cause = NULL;
	}
	if (grub_boot_read(NULL, &f->boot, &cause) == 0)
		f->have_boot = 1;
	else {
		f->boot_why = cause;
		cause = NULL;
	}
	if (pool_report_load(&f->pools, &cause) == 0)
		f->have_pools = 1;
	else {
		f->pools_why = cause;
		cause = NULL;
	}
	if (blockdev_list(&f->devs, &f->ndevs, &cause) != 0) {
		f->devs_why = cause;
		cause = NULL;
	}
	f->devmapper = guide_has_devmapper();
	guide_facts_network(f, GUIDE_BRIDGE);
	if (be != NULL) {
		f->backend = xstrdup(be->name);
		if (be->list(&f->doms, &f->ndoms, &cause) != 0) {
			f->doms_why = cause;
			cause = NULL;
		}
	} else
		f->doms_why = xstrdup(be_why != NULL ? be_why :
		    "no backend can run here");
	guide_facts_cfgs(f, xen_config_dir());
	if (log != NULL)
		guide_facts_log(f, log);
}

/* The everyday commands the transcript log at PATH has done. */
void
guide_facts_log(struct guide_facts *f, const char *path)
{
	struct transcript	 t;
	char			*cause = NULL;
	size_t			 i, j;

	transcript_init(&t);
	if (transcript_log_load(path, &t, &cause) != 0) {
		log_debug("%s: %s", __func__, cause);
		free(cause);
	}
	for (i = 0; i < t.n; i++) {
		if (strcmp(t.v[i].outcome, "ok") != 0)
			continue;
		for (j = 0; guide_everyday[j] != NULL; j++) {
			if (guide_used_match(t.v[i].command,
			    guide_everyday[j]))
				guide_facts_used(f, guide_everyday[j]);
		}
	}
	transcript_free(&t);
}

/* Whether COMMAND is the everyday command WHAT ("xl list" ...). */
int
guide_used_match(const char *command, const char *what)
{
	size_t	 n = strlen(what);

	return (strncmp(command, what, n) == 0 && (command[n] == '\0' ||
	    command[n] == ' '));
}

/* Note an everyday command as used (once). */
void
guide_facts_used(struct guide_facts *f, const char *what)
{
	size_t	 i;

	for (i = 0; f->used != NULL && f->used[i] != NULL; i++) {
		if (strcmp(f->used[i], what) == 0)
			return;
	}
	strv_push(&f->used, what);
}

/* Whether the kernel has device-mapper (LVs can be activated). */
int
guide_has_devmapper(void)
{
	char	*buf = NULL, *cause = NULL;
	int	 yes;

	if (file_read("/proc/misc", &buf, NULL, &cause) != 0) {
		free(cause);
		return (0);
	}
	yes = strstr(buf, " device-mapper\n") != NULL;
	free(buf);
	return (yes);
}

static void
result_set(struct guide_result *r, enum guide_status s, char *evidence,
    const char *next)
{
	r->status = s;
	free(r->evidence);
	r->evidence = evidence;
	free(r->next);
	r->next = next != NULL ? xstrdup(next) : NULL;
}

void
guide_result_free(struct guide_result *r)
{
	if (r == NULL)
		return;
	free(r->evidence);
	free(r->next);
	memset(r, 0, sizeof *r);
}

/* Whether Xen (running) offers HVM guests: 1, 0, or -1 unknown. */
static int
guide_xen_hvm(const struct guide_facts *f)
{
	return (host_xen_hvm(&f->xen));
}

static void
detect_hardware(const struct guide_facts *f, struct guide_result *r)
{
	char		*mem = pool_size_string(f->mem_bytes), *ev;
	const char	*virt;
	int		 hvm;

	if (f->xen.running) {
		hvm = guide_xen_hvm(f);
		virt = hvm == 1 ? "Xen offers HVM guests (xl info)" :
		    hvm == 0 ? "Xen offers no HVM guests (xl info): no "
		    "VT-x/AMD-V" : "HVM support unknown (no xl info here)";
	} else {
		hvm = f->vmx || f->svm;
		virt = f->vmx ? "VT-x (vmx)" : f->svm ? "AMD-V (svm)" :
		    "no VT-x/AMD-V (cpuinfo)";
	}
	if (strcmp(f->machine, "x86_64") != 0 || !f->lm) {
		ev = xprintf("%s%s, %s of memory: Xen's dom0 needs a 64-bit "
		    "x86 machine", f->machine, f->lm ? " kernel on a 64-bit "
		    "CPU" : "", mem);
		result_set(r, GUIDE_TODO, ev, f->lm ? "install Debian's amd64 "
		    "system" : NULL);
	} else if (f->mem_bytes < GUIDE_MEM_MIN) {
		ev = xprintf("x86_64, only %s of memory (the guide asks for "
		    "1 GiB), %s", mem, virt);
		result_set(r, GUIDE_TODO, ev, "give the machine more memory");
	} else if (hvm != 1) {
		ev = xprintf("x86_64, %s of memory, %s: PV guests only%s",
		    mem, virt, !f->xen.running && f->backend != NULL &&
		    strcmp(f->backend, "qemu") == 0 ? " (QEMU emulates HVM "
		    "here, slowly)" : "");
		result_set(r, GUIDE_PARTLY, ev, "enable VT-x/AMD-V in the "
		    "firmware setup for HVM guests");
	} else {
		ev = xprintf("x86_64, %s of memory, %s", mem, virt);
		result_set(r, GUIDE_DONE, ev, NULL);
	}
	free(mem);
}

/* A device the guide's spare partition could be: a disk or a partition. */
static int
guide_dev_candidate(const struct blockdev *d)
{
	return (d->type != NULL && (strcmp(d->type, "disk") == 0 ||
	    strcmp(d->type, "part") == 0) && !d->ro &&
	    d->size >= GUIDE_DEV_MIN);
}

/* Its use that is the root file system ("mounted on /"), or NULL. */
static const char *
guide_dev_root(const struct blockdev *d)
{
	size_t	 i;

	for (i = 0; d->uses != NULL && d->uses[i] != NULL; i++) {
		if (strcmp(d->uses[i], "mounted on /") == 0 ||
		    strncmp(d->uses[i], "mounted on / ", 13) == 0)
			return (d->uses[i]);
	}
	return (NULL);
}

static void
detect_install(const struct guide_facts *f, struct guide_result *r)
{
	const struct blockdev	*d, *spare = NULL, *pv = NULL, *wipe = NULL;
	const struct blockdev	*used = NULL;
	struct strbuf		 b = { 0 };
	char			*size, *sigs;
	size_t			 i, nspare = 0;

	if (f->have_os)
		strbuf_printf(&b, "%s", *f->os.pretty != '\0' ? f->os.pretty :
		    f->os.id);
	else
		strbuf_printf(&b, "not Debian (no /etc/os-release)");
	for (i = 0; i < f->ndevs; i++) {
		d = &f->devs[i];
		if (!guide_dev_candidate(d))
			continue;
		if (d->vg != NULL && pv == NULL)
			pv = d;
		else if (d->vg != NULL)
			;
		else if (d->uses != NULL && d->uses[0] != NULL) {
			if (used == NULL || guide_dev_root(d) != NULL)
				used = d;
		} else if (d->sigs != NULL && d->sigs[0] != NULL) {
			if (wipe == NULL)
				wipe = d;
		} else if (d->sig_error == NULL && nspare++ == 0)
			spare = d;
	}
	if (pv != NULL) {
		strbuf_printf(&b, "; %s is LVM's: %s", pv->path, *pv->vg !=
		    '\0' ? "a physical volume of " : "a physical volume in no "
		    "volume group");
		if (*pv->vg != '\0')
			strbuf_printf(&b, "%s", pv->vg);
		result_set(r, GUIDE_DONE, b.s, NULL);
		return;
	}
	if (spare != NULL) {
		size = pool_size_string(spare->size);
		strbuf_printf(&b, "; %s (%s) is empty and unused: room for "
		    "LVM", spare->path, size);
		if (nspare > 1)
			strbuf_printf(&b, " (and %zu more)", nspare - 1);
		free(size);
		result_set(r, GUIDE_DONE, b.s, NULL);
		return;
	}
	if (wipe != NULL) {
		sigs = blockdev_sigs_string(wipe);
		size = pool_size_string(wipe->size);
		strbuf_printf(&b, "; %s (%s) is unused but holds %s: LVM can "
		    "have it once it is wiped", wipe->path, size, sigs);
		free(sigs);
		free(size);
		result_set(r, GUIDE_PARTLY, b.s, "xendeck wizard storage "
		    "--set device=DEV --set wipe=DEV, if its data can go");
		return;
	}
	if (f->devs_why != NULL)
		strbuf_printf(&b, "; the disks could not be read (%s)",
		    f->devs_why);
	else if (used != NULL)
		strbuf_printf(&b, "; no spare disk or partition (%s: %s)",
		    used->path, guide_dev_root(used) != NULL ?
		    guide_dev_root(used) : used->uses[0]);
	else
		strbuf_printf(&b, "; no spare disk or partition");
	result_set(r, GUIDE_TODO, b.s, "add a disk for LVM, or keep guests' "
	    "disks in a directory pool (xendeck wizard storage)");
}

/* How many volumes pool I holds, and their sizes together. */
static size_t
guide_pool_volumes(const struct guide_facts *f, size_t i, uint64_t *bytes)
{
	size_t	 k, n = f->pools.nvols != NULL ? f->pools.nvols[i] : 0;

	*bytes = 0;
	for (k = 0; k < n; k++)
		*bytes += f->pools.vols[i][k].size;
	return (n);
}

static void
detect_lvm(const struct guide_facts *f, struct guide_result *r)
{
	const struct pool	*p;
	struct strbuf		 b = { 0 };
	char			*sz, *fr;
	size_t			 i, n, nvg = 0, ndirvols = 0;
	uint64_t		 best = 0, used;
	char			*dflt = pool_default_dir();

	for (i = 0; i < f->pools.npools; i++) {
		p = &f->pools.pools[i];
		n = guide_pool_volumes(f, i, &used);
		if (p->type == POOL_DIR) {
			ndirvols += n;
			/* The default directory shows once it holds some. */
			if (n == 0 && strcmp(p->name, dflt) == 0)
				continue;
		}
		sz = pool_size_string(p->size);
		fr = pool_size_string(p->free);
		if (b.len > 0)
			strbuf_printf(&b, "; ");
		if (p->type == POOL_LVM) {
			strbuf_printf(&b, "%s", p->name);
			if (p->pvs != NULL && p->pvs[0] != NULL) {
				char	*pvs = strv_join(p->pvs, ",");

				strbuf_printf(&b, " on %s", pvs);
				free(pvs);
			}
			strbuf_printf(&b, ": %s, %s free", sz, fr);
			nvg++;
			if (p->free > best)
				best = p->free;
		} else
			strbuf_printf(&b, "directory %s: %s free", p->name, fr);
		free(sz);
		free(fr);
		if (n > 0) {
			sz = pool_size_string(used);
			strbuf_printf(&b, ", %zu volume%s of %s", n,
			    n == 1 ? "" : "s", sz);
			free(sz);
		} else
			strbuf_printf(&b, ", no volume");
	}
	free(dflt);
	if (nvg == 0) {
		/* What there is instead comes after. */
		sz = b.s;
		b.s = NULL;
		b.len = b.size = 0;
		strbuf_printf(&b, "no volume group");
		if (!guide_pkg_ok(f, "lvm2"))
			strbuf_printf(&b, " (lvm2 is not installed)");
		else if (f->pools_why != NULL)
			strbuf_printf(&b, " (%s)", f->pools_why);
		if (sz != NULL)
			strbuf_printf(&b, "; guests' disks in %s", sz);
		free(sz);
		result_set(r, ndirvols > 0 ? GUIDE_PARTLY : GUIDE_TODO, b.s,
		    "xendeck wizard storage makes one (on a spare disk)");
		return;
	}
	if (!f->devmapper)
		strbuf_printf(&b, "; no device-mapper in this kernel: volumes "
		    "cannot be activated here");
	if (best < GUIDE_VG_FREE)
		result_set(r, GUIDE_PARTLY, b.s, "less than 4 GiB free for a "
		    "guest: add a disk (xendeck wizard storage)");
	else if (!f->devmapper)
		result_set(r, GUIDE_PARTLY, b.s, "practise LVM in the lab "
		    "(xendeck lab start)");
	else
		result_set(r, GUIDE_DONE, b.s, NULL);
}

static void
detect_network(const struct guide_facts *f, struct guide_result *r)
{
	const struct net_link		*l = NULL;
	const struct ifupdown_stanza	*st = NULL;
	const struct net_addr		*a;
	struct strbuf			 b = { 0 };
	char				**ports = NULL;
	size_t				 i, si = IFUPDOWN_NONE, np = 0;
	int				 up, kept;

	if (f->have_net)
		l = net_link_find(&f->net, GUIDE_BRIDGE);
	if (f->have_ifs &&
	    (si = ifupdown_iface(&f->ifs, GUIDE_BRIDGE, "inet", 0)) !=
	    IFUPDOWN_NONE)
		st = &f->ifs.st[si];
	kept = (st != NULL && ifupdown_auto_class(&f->ifs, GUIDE_BRIDGE) !=
	    NULL) || f->br_manager != NULL;
	if (l == NULL || strcmp(l->kind, "bridge") != 0) {
		if (!f->have_net)
			strbuf_printf(&b, "the links could not be read (%s)",
			    f->net_why != NULL ? f->net_why : "?");
		else if (l != NULL)
			strbuf_printf(&b, "%s is a %s, not a bridge",
			    GUIDE_BRIDGE, l->kind);
		else
			strbuf_printf(&b, "no %s bridge", GUIDE_BRIDGE);
		if (st != NULL)
			strbuf_printf(&b, "; %s has its stanza (%s), but it is "
			    "not up", nettrial_interfaces(), st->method);
		else if (!guide_pkg_ok(f, "bridge-utils"))
			strbuf_printf(&b, "; bridge-utils is not installed");
		result_set(r, st != NULL ? GUIDE_PARTLY : GUIDE_TODO, b.s,
		    st != NULL ? "ifup xenbr0" : "xendeck wizard bridge");
		return;
	}
	strbuf_printf(&b, "%s exists", GUIDE_BRIDGE);
	ports = net_bridge_ports(&f->net, GUIDE_BRIDGE);
	for (i = 0; ports[i] != NULL; i++) {
		if (net_is_vif(ports[i]))
			continue;	/* a guest's, not the uplink */
		strbuf_printf(&b, "%s%s", np++ == 0 ? ", port " : " ",
		    ports[i]);
	}
	strv_free(ports);
	if (np == 0)
		strbuf_printf(&b, ", no port (no network card in it)");
	a = net_link_addr4(&f->net, GUIDE_BRIDGE);
	if (a != NULL)
		strbuf_printf(&b, ", address %s%s", a->cidr, a->dynamic ?
		    " by DHCP" : st != NULL && strcmp(st->method, "static") ==
		    0 ? " (static)" : "");
	else
		strbuf_printf(&b, ", no IPv4 address");
	up = strcmp(l->operstate, "down") != 0 && l->admin_up;
	if (!up)
		strbuf_printf(&b, ", down");
	if (!kept)
		strbuf_printf(&b, "; not in %s: gone at the next boot",
		    nettrial_interfaces());
	else if (st == NULL)
		strbuf_printf(&b, "; kept by %s", f->br_manager);
	if (np > 0 && a != NULL && up && kept)
		result_set(r, GUIDE_DONE, b.s, NULL);
	else
		result_set(r, GUIDE_PARTLY, b.s, "xendeck wizard bridge");
}

static void
detect_xen(const struct guide_facts *f, struct guide_result *r)
{
	const struct pkg	*sys = guide_pkg(f, "xen-system-amd64");
	const struct pkg	*hv = guide_pkg(f, "xen-hypervisor-common");
	struct strbuf		 b = { 0 };
	int			 installed, grub_xen, grub_known;

	installed = (sys != NULL && sys->state == PKG_INSTALLED) ||
	    (hv != NULL && hv->state == PKG_INSTALLED);
	grub_known = f->have_boot;
	grub_xen = grub_known && grub_boot_is_xen(&f->boot);
	if (!f->xen.running && !grub_known && !guide_pkg_ok(f, "grub-pc") &&
	    !guide_pkg_ok(f, "grub-efi-amd64")) {
		result_set(r, GUIDE_NA, xprintf("Xen %s, and this system does "
		    "not boot through GRUB (%s)", installed ? "is installed "
		    "but not running" : "is not installed", f->boot_why !=
		    NULL ? f->boot_why : "no /boot/grub/grub.cfg"),
		    "practise it in the lab: xendeck lab start --plain");
		return;
	}
	if (f->xen.running) {
		strbuf_printf(&b, "Xen %s running%s", f->xen.version,
		    f->xen.dom0 ? "" : ", but this is a guest (domU)");
		if (grub_xen)
			strbuf_printf(&b, ", default GRUB entry is Xen");
		else if (grub_known)
			strbuf_printf(&b, ", but GRUB's default entry is "
			    "\"%s\", without Xen", f->boot.title);
		if (f->xen.dom0 && (grub_xen || !grub_known))
			result_set(r, GUIDE_DONE, b.s, NULL);
		else
			result_set(r, GUIDE_PARTLY, b.s, f->xen.dom0 ?
			    "make Xen's entry the default: xendeck wizard "
			    "xen-install" : "run xendeck in dom0");
		return;
	}
	if (installed) {
		strbuf_printf(&b, "%s %s installed, not running", sys != NULL &&
		    sys->state == PKG_INSTALLED ? sys->name : hv->name,
		    sys != NULL && sys->state == PKG_INSTALLED ?
		    sys->version : hv->version);
		if (grub_xen)
			strbuf_printf(&b, "; default GRUB entry is Xen (%s)",
			    f->boot.title);
		else if (grub_known)
			strbuf_printf(&b, "; GRUB's default entry is \"%s\", "
			    "without Xen", f->boot.title);
		result_set(r, GUIDE_PARTLY, b.s, grub_xen ? "reboot to start "
		    "Xen" : "xendeck wizard xen-install");
		return;
	}
	strbuf_printf(&b, "xen-system-amd64 is not installed");
	if (grub_known)
		strbuf_printf(&b, "; GRUB boots \"%s\"", f->boot.title);
	result_set(r, GUIDE_TODO, b.s, "xendeck wizard xen-install");
}

/* The guest step for TYPE: running domains, then files in /etc/xen. */
static void
detect_guest(const struct guide_facts *f, struct guide_result *r, int hvm)
{
	struct strbuf	 b = { 0 };
	const char	*what = hvm ? "HVM" : "PV";
	size_t		 i, j, nrun = 0, ndef = 0;
	const struct dom_info *d, *running = NULL;
	const struct guide_cfg *c, *idle = NULL;
	int		 isit, vnc = 0;

	for (i = 0; i < f->ndoms; i++) {
		d = &f->doms[i];
		isit = hvm ? d->type == XLCFG_TYPE_HVM : d->type !=
		    XLCFG_TYPE_HVM;
		if (d->domid == 0 || !isit)
			continue;
		nrun++;
		if (running == NULL || (hvm && d->has_vnc && !vnc)) {
			running = d;
			vnc = d->has_vnc;
		}
	}
	for (i = 0; i < f->ncfgs; i++) {
		c = &f->cfgs[i];
		if (c->error != NULL)
			continue;
		isit = hvm ? c->type == XLCFG_TYPE_HVM : c->type !=
		    XLCFG_TYPE_HVM;
		if (!isit)
			continue;
		ndef++;
		for (j = 0; j < f->ndoms; j++) {
			if (strcmp(f->doms[j].name, c->name) == 0)
				break;
		}
		if (j == f->ndoms && idle == NULL)
			idle = c;
	}
	if (hvm && f->xen.running && guide_xen_hvm(f) == 0) {
		result_set(r, GUIDE_NA, xstrdup("Xen offers no HVM guests on "
		    "this machine (xl info: no hvm in xen_caps)"), "enable "
		    "VT-x/AMD-V in the firmware setup");
		return;
	}
	if (running != NULL) {
		strbuf_printf(&b, "%s is running (id %d)", running->name,
		    running->domid);
		if (hvm)
			strbuf_printf(&b, running->has_vnc ? ", with a VNC "
			    "screen (v)" : ", without VNC (vnc=1 in its file)");
		if (nrun > 1)
			strbuf_printf(&b, "; %zu %s guests run", nrun, what);
		if (idle != NULL)
			strbuf_printf(&b, "; %s is defined in %s but not "
			    "running", idle->name, f->cfg_dir);
		if (hvm && !running->has_vnc)
			result_set(r, GUIDE_PARTLY, b.s, "add vnc=1 to its "
			    "file for a screen");
		else
			result_set(r, GUIDE_DONE, b.s, NULL);
		return;
	}
	if (f->doms_why != NULL)
		strbuf_printf(&b, "domains unknown (%s); ", f->doms_why);
	if (idle != NULL) {
		strbuf_printf(&b, "%s is defined in %s but not running",
		    idle->name, f->cfg_dir);
		if (ndef > 1)
			strbuf_printf(&b, " (%zu %s guests defined)", ndef,
			    what);
		if (hvm && f->xen.running && !guide_pkg_ok(f,
		    "qemu-system-xen"))
			strbuf_printf(&b, "; qemu-system-xen (its device "
			    "model) is not installed");
		result_set(r, GUIDE_PARTLY, b.s, NULL);
		r->next = xprintf("start it: xendeck create %s/%s.cfg",
		    f->cfg_dir, idle->name);
		return;
	}
	strbuf_printf(&b, "no %s guest running or defined in %s", what,
	    f->cfg_dir);
	result_set(r, GUIDE_TODO, b.s, hvm ? "xendeck wizard hvm-guest" :
	    "xendeck wizard pv-guest");
}

static void
detect_everyday(const struct guide_facts *f, struct guide_result *r)
{
	struct strbuf	 used = { 0 }, todo = { 0 };
	size_t		 i, j, n = 0;
	char		*ev;

	for (i = 0; guide_everyday[i] != NULL; i++) {
		for (j = 0; f->used != NULL && f->used[j] != NULL; j++) {
			if (strcmp(f->used[j], guide_everyday[i]) == 0)
				break;
		}
		if (f->used != NULL && f->used[j] != NULL) {
			strbuf_printf(&used, "%s%s", n++ > 0 ? ", " : "",
			    guide_everyday[i]);
		} else
			strbuf_printf(&todo, "%s%s", todo.len > 0 ? ", " : "",
			    guide_everyday[i] + 3);
	}
	if (n == 0) {
		result_set(r, GUIDE_TODO, xprintf("none used from xendeck yet "
		    "(xl info, list, top, console, shutdown, destroy)"),
		    "start with the Domains view (1)");
	} else if (todo.len == 0) {
		result_set(r, GUIDE_DONE, xprintf("all used from xendeck: %s",
		    used.s), NULL);
	} else {
		ev = xprintf("used: %s; not yet: %s", used.s, todo.s);
		result_set(r, GUIDE_PARTLY, ev, NULL);
	}
	free(used.s);
	free(todo.s);
}

/* Step I's status and evidence from the facts (r: guide_result_free). */
void
guide_detect(const struct guide_facts *f, size_t i, struct guide_result *r)
{
	const char	*id = guide_steps[i].id;

	memset(r, 0, sizeof *r);
	if (strcmp(id, "hardware") == 0)
		detect_hardware(f, r);
	else if (strcmp(id, "install") == 0)
		detect_install(f, r);
	else if (strcmp(id, "lvm") == 0)
		detect_lvm(f, r);
	else if (strcmp(id, "network") == 0)
		detect_network(f, r);
	else if (strcmp(id, "xen") == 0)
		detect_xen(f, r);
	else if (strcmp(id, "pv-guest") == 0)
		detect_guest(f, r, 0);
	else if (strcmp(id, "hvm-guest") == 0)
		detect_guest(f, r, 1);
	else
		detect_everyday(f, r);
}
