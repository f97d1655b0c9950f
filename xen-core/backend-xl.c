/*
 * The xl backend: a Xen dom0, driven the way xl and xentop drive it.
 *
 * Reads stay in this process and never fork: the domain list and info come
 * from libxenlight, per-domain counters (what xentop shows) from libxenstat,
 * console ttys and VNC ports from xenstore. The three handles are opened once
 * and kept, because the console samples every domain at 1 Hz.
 *
 * Creating a domain runs `xl create FILE` (see xl_create for why); the other
 * lifecycle operations call libxl directly. libxl's own messages go through a
 * xentoollog logger into xendeck's log file; the last error it reported is
 * kept so that the one line the user sees can say what actually went wrong.
 */
#define LIBXL_API_VERSION 0x041400

#include <sys/stat.h>
#include <sys/utsname.h>
#include <glob.h>
#include <errno.h>
#include <pwd.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <xenctrl.h>
#include <xenstat.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "xen-core.h"

#define XL_CAPS_FILE	"/proc/xen/capabilities"
#define XL_HYP_TYPE	"/sys/hypervisor/type"

/* How long console_open waits for xenconsoled to publish the tty. */
#define XL_TTY_WAIT_MS		5000
/* After a shutdown, how long -w waits for the toolstack to reap it. */
#define XL_REAP_WAIT_MS		10000
/*
 * How long `xl create` may take. Building a big guest can take minutes
 * (Xen scrubs its memory; a boot loader such as pygrub reads the guest's
 * disk), but an xl that hangs after the domain is built (measured in the
 * lab: parked in futex_wait for good) must not hang xendeck with it.
 */
#define XL_CREATE_TIMEOUT_MS	(300 * 1000)
/* After xl create, how long its monitor may take to log its first line. */
#define XL_MONITOR_WAIT_MS	5000
#define XL_POLL_MS		100
/* Domain ids from here on are Xen's own (DOMID_FIRST_RESERVED). */
#define XL_DOMID_RESERVED	0x7ff0U

static char	*xl_supervisor_log(const char *);

static libxl_ctx	*xl_ctx;
static xenstat_handle	*xl_stat;
static struct xs_handle	*xl_xs;
static char		 xl_lasterr[512];

/*
 * SIGCHLD: libxl forks hotplug scripts while it tears devices down, and
 * then owns SIGCHLD (its default mode): it installs its handler only while
 * it has children, and aborts if someone else's handler is in place. The
 * console may have one; so around every libxl call that may fork, the
 * disposition is set to the default and restored afterwards. Nothing else
 * of ours runs meanwhile (the calls are synchronous).
 */
static void
xl_sigchld_enter(struct sigaction *saved)
{
	struct sigaction	 dfl;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, saved);
}

static void
xl_sigchld_leave(const struct sigaction *saved)
{
	sigaction(SIGCHLD, saved, NULL);
}

/*
 * xentoollog sink: everything to the log file (at debug level, so the
 * screen never sees it), and the last error kept for the user's line.
 */
static void
xl_log_vmessage(struct xentoollog_logger *lg, xentoollog_level level,
    int errnoval, const char *context, const char *fmt, va_list ap)
{
	char	*msg = NULL;

	if (xvasprintf(&msg, fmt, ap) < 0)
		return;
	if (errnoval >= 0) {
		char	*with;

		xasprintf(&with, "%s: %s", msg, strerror(errnoval));
		free(msg);
		msg = with;
	}
	log_debug("%s: %s", context != NULL ? context : "xen", msg);
	if (level >= XTL_ERROR)
		snprintf(xl_lasterr, sizeof xl_lasterr, "%s", msg);
	free(msg);
}

static void
xl_log_progress(struct xentoollog_logger *lg, const char *context,
    const char *doing, int percent, unsigned long done, unsigned long total)
{
	log_debug("%s: %s: %d%%", context != NULL ? context : "xen", doing,
	    percent);
}

static void
xl_log_destroy(struct xentoollog_logger *lg)
{
}

static struct xentoollog_logger xl_logger = {
	.vmessage = xl_log_vmessage,
	.progress = xl_log_progress,
	.destroy = xl_log_destroy,
};

/*
 * libxl's last error, without its "file.c:line:function: " prefix, or
 * the error code's name when it logged nothing.
 */
static const char *
xl_why(int rc)
{
	static char	 buf[512];
	const char	*p, *colon;
	int		 n;

	if (xl_lasterr[0] == '\0') {
		if (rc == 0 || libxl_error_to_string(rc) == NULL)
			snprintf(buf, sizeof buf, "libxl failed (%d)", rc);
		else
			snprintf(buf, sizeof buf, "libxl failed: %s",
			    libxl_error_to_string(rc));
		return (buf);
	}
	p = xl_lasterr;
	/* "libxl_dom.c:123:func: Domain 5:msg": drop up to the third ':'. */
	colon = p;
	for (n = 0; n < 3 && (colon = strchr(colon, ':')) != NULL; n++)
		colon++;
	if (n == 3 && strstr(p, ".c:") != NULL && strstr(p, ".c:") < colon)
		p = colon;
	while (*p == ' ')
		p++;
	snprintf(buf, sizeof buf, "%s", p);
	return (buf);
}

/*
 * An error libxl cannot recover from in its event machinery (a xenstore
 * watch or its SIGCHLD self-pipe failing): without this hook libxl exits
 * the whole program, which must not happen to a console that is watching
 * domains. The hook may not call libxl; it notes the disaster, and the
 * next xl_open() throws the context away and opens a fresh one, as
 * libxl_event.h advises.
 */
static int	xl_ctx_broken;

static void
xl_disaster(void *user, libxl_event_type type, const char *msg, int errnoval)
{
	log_warn("libxl event disaster (%s): %s%s%s",
	    libxl_event_type_to_string(type), msg, errnoval > 0 ? ": " : "",
	    errnoval > 0 ? strerror(errnoval) : "");
	snprintf(xl_lasterr, sizeof xl_lasterr, "libxl lost its events: %s",
	    msg);
	xl_ctx_broken = 1;
}

static const libxl_event_hooks xl_event_hooks = {
	.event_occurs_mask = 0,
	.disaster = xl_disaster,
};

/* Open libxl, libxenstat and xenstore once; later calls reuse them. */
static int
xl_open(char **cause)
{
	if (xl_ctx != NULL && xl_ctx_broken) {
		log_info("reopening libxl after an event disaster");
		libxl_ctx_free(xl_ctx);
		xl_ctx = NULL;
	}
	if (xl_ctx == NULL) {
		xl_lasterr[0] = '\0';
		xl_ctx_broken = 0;
		if (libxl_ctx_alloc(&xl_ctx, LIBXL_VERSION, 0,
		    &xl_logger) != 0) {
			xl_ctx = NULL;
			*cause = xprintf("cannot open libxenlight: %s (is "
			    "xenstored running? try /etc/init.d/xen start)",
			    xl_lasterr[0] != '\0' ? xl_why(0) : "failed");
			return (-1);
		}
		libxl_event_register_callbacks(xl_ctx, &xl_event_hooks, NULL);
	}
	if (xl_xs == NULL && (xl_xs = xs_open(XS_OPEN_READONLY)) == NULL &&
	    (xl_xs = xs_open(0)) == NULL) {
		*cause = xprintf("cannot connect to xenstore: %s",
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* The stats handle is opened only by those who sample. */
static int
xl_open_stat(char **cause)
{
	if (xl_open(cause) != 0)
		return (-1);
	if (xl_stat == NULL && (xl_stat = xenstat_init()) == NULL) {
		*cause = xprintf("cannot open libxenstat: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

/* A xenstore value (caller frees) or NULL. */
static char *
xl_xs_read(const char *fmt, ...)
{
	va_list	 ap;
	char	*path, *v, *copy;
	unsigned int len;

	va_start(ap, fmt);
	if (xvasprintf(&path, fmt, ap) < 0)
		fatalx("xvasprintf");
	va_end(ap);
	v = xs_read(xl_xs, XBT_NULL, path, &len);
	free(path);
	if (v == NULL)
		return (NULL);
	copy = xstrndup(v, len);
	free(v);
	return (copy);
}

/* First line of a small file, newline stripped, into buf; -1 if none. */
static int
xl_read_line(const char *path, char *buf, size_t size)
{
	FILE	*f;

	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	if (fgets(buf, size, f) == NULL) {
		fclose(f);
		return (-1);
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return (0);
}

/*
 * Can we run here? On a dom0 /proc/xen/capabilities says "control_d"
 * (xenfs mounted). Without xenfs, /sys/hypervisor/type says "xen" on any
 * Xen guest; then libxl opening is what tells a dom0 from a domU.
 */
static int
xl_probe(char **cause)
{
	char	 caps[256] = "", hyp[64] = "";
	int	 have_caps, control_d, on_xen;
	char	*why = NULL;

	have_caps = xl_read_line(XL_CAPS_FILE, caps, sizeof caps) == 0 ||
	    access(XL_CAPS_FILE, F_OK) == 0;
	control_d = strstr(caps, "control_d") != NULL;
	on_xen = xl_read_line(XL_HYP_TYPE, hyp, sizeof hyp) == 0 &&
	    strcmp(hyp, "xen") == 0;
	if (!control_d && !on_xen) {
		*cause = xstrdup("not a Xen dom0: no control_d in "
		    XL_CAPS_FILE " and " XL_HYP_TYPE " is not xen");
		return (-1);
	}
	if (!control_d && have_caps) {
		*cause = xstrdup("this is a Xen guest (domU), not dom0: "
		    XL_CAPS_FILE " lacks control_d");
		return (-1);
	}
	if (geteuid() != 0) {
		*cause = xstrdup("the xl backend needs root (libxl opens "
		    "/dev/xen/privcmd)");
		return (-1);
	}
	if (xl_open(&why) != 0) {
		*cause = xprintf("Xen found but %s", why);
		free(why);
		return (-1);
	}
	return (0);
}

/* DOMAIN (a name or a domid) to its domid; -1 and why if none. */
static int
xl_resolve(const char *dom, uint32_t *domid, char **cause)
{
	libxl_dominfo	 info;
	unsigned long	 id;
	int		 rc;

	if (xl_open(cause) != 0)
		return (-1);
	if (all_digits(dom)) {
		errno = 0;
		id = strtoul(dom, NULL, 10);
		if (errno != 0 || id >= XL_DOMID_RESERVED) {
			*cause = xprintf("invalid domain id: %s", dom);
			return (-1);
		}
		libxl_dominfo_init(&info);
		rc = libxl_domain_info(xl_ctx, &info, id);
		libxl_dominfo_dispose(&info);
		if (rc != 0) {
			*cause = xprintf("no such domain: %s", dom);
			return (-1);
		}
		*domid = id;
		return (0);
	}
	if (!valid_name(dom)) {
		*cause = xprintf("invalid domain name: %s", dom);
		return (-1);
	}
	if (libxl_name_to_domid(xl_ctx, dom, domid) != 0) {
		*cause = xprintf("no such domain: %s", dom);
		return (-1);
	}
	return (0);
}

/* Like xl_resolve, but refuses Domain-0: it is the host itself. */
static int
xl_resolve_guest(const char *dom, const char *what, uint32_t *domid,
    char **cause)
{
	if (xl_resolve(dom, domid, cause) != 0)
		return (-1);
	if (*domid == 0) {
		*cause = backend_dom0_refused(what);
		return (-1);
	}
	return (0);
}

/* xl list's state letters, as DOM_* flags (the 5th is the reason). */
static int
xl_state(const libxl_dominfo *d)
{
	int	 state = 0;

	if (d->running)
		state |= DOM_RUNNING;
	if (d->blocked)
		state |= DOM_BLOCKED;
	if (d->paused)
		state |= DOM_PAUSED;
	if (d->shutdown) {
		state |= DOM_SHUTDOWN;
		switch (d->shutdown_reason) {
		case LIBXL_SHUTDOWN_REASON_REBOOT:
			state |= DOM_REASON_REBOOT;
			break;
		case LIBXL_SHUTDOWN_REASON_SUSPEND:
			state |= DOM_REASON_SUSPEND;
			break;
		case LIBXL_SHUTDOWN_REASON_CRASH:
			state |= DOM_CRASHED;
			break;
		case LIBXL_SHUTDOWN_REASON_WATCHDOG:
			state |= DOM_REASON_WATCHDOG;
			break;
		case LIBXL_SHUTDOWN_REASON_SOFT_RESET:
			state |= DOM_REASON_SOFTRESET;
			break;
		default:
			break;
		}
	}
	if (d->dying)
		state |= DOM_DYING;
	return (state);
}

/*
 * Whether xenstore has a console tty and a VNC port for the domain. The
 * sampler asks for every domain every second, and each answer is a
 * xenstored round trip; once a domain has both (or, not being HVM, its
 * console: only a device model publishes vnc-port there) the answer is
 * final for that domain, so it is kept, by domain id and uuid.
 */
#define XL_FLAGS_SLOTS	256

static struct xl_flags {
	uint32_t	domid;
	char		uuid[37];
} xl_flags_final[XL_FLAGS_SLOTS];

static void
xl_console_flags(uint32_t domid, struct dom_info *di)
{
	struct xl_flags	*f = &xl_flags_final[domid % XL_FLAGS_SLOTS];
	char		 path[64], **ents;
	unsigned int	 n, i;

	di->has_console = di->has_vnc = 0;
	if (domid == 0)
		return;
	if (f->domid == domid && strcmp(f->uuid, di->uuid) == 0) {
		di->has_console = 1;
		di->has_vnc = di->type == XLCFG_TYPE_HVM;
		return;
	}
	snprintf(path, sizeof path, "/local/domain/%u/console", domid);
	if ((ents = xs_directory(xl_xs, XBT_NULL, path, &n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (strcmp(ents[i], "tty") == 0)
			di->has_console = 1;
		else if (strcmp(ents[i], "vnc-port") == 0)
			di->has_vnc = 1;
	}
	free(ents);
	if (di->has_console && (di->has_vnc || di->type != XLCFG_TYPE_HVM)) {
		f->domid = domid;
		snprintf(f->uuid, sizeof f->uuid, "%s", di->uuid);
	}
}

/* dom_info from libxl's dominfo; name NULL to look it up in xenstore. */
static void
xl_fill_info(const libxl_dominfo *d, const char *name, struct dom_info *di)
{
	char	*found = NULL;

	memset(di, 0, sizeof *di);
	di->domid = d->domid;
	if (name == NULL)
		name = found = libxl_domid_to_name(xl_ctx, d->domid);
	snprintf(di->name, sizeof di->name, "%s",
	    name != NULL ? name : "(null)");
	free(found);
	di->state = xl_state(d);
	switch (d->domain_type) {
	case LIBXL_DOMAIN_TYPE_HVM:
		di->type = XLCFG_TYPE_HVM;
		break;
	case LIBXL_DOMAIN_TYPE_PVH:
		di->type = XLCFG_TYPE_PVH;
		break;
	default:
		di->type = XLCFG_TYPE_PV;
		break;
	}
	/* xl list's Mem column counts outstanding claims too. */
	di->mem_kb = d->current_memkb + d->outstanding_memkb;
	di->maxmem_kb = d->max_memkb;
	di->vcpus = d->vcpu_max_id + 1;
	di->vcpus_online = d->vcpu_online;
	di->cpu_ns = d->cpu_time;
	snprintf(di->uuid, sizeof di->uuid, LIBXL_UUID_FMT,
	    LIBXL_UUID_BYTES(d->uuid));
	xl_console_flags(d->domid, di);
}

static int
xl_list(struct dom_info **out, size_t *n, char **cause)
{
	libxl_dominfo	*info;
	int		 nb, i;

	*out = NULL;
	*n = 0;
	if (xl_open(cause) != 0)
		return (-1);
	xl_lasterr[0] = '\0';
	if ((info = libxl_list_domain(xl_ctx, &nb)) == NULL) {
		*cause = xprintf("cannot list domains: %s", xl_why(0));
		return (-1);
	}
	/* libxl lists by domid, so Domain-0 comes first. */
	*out = xcalloc(nb > 0 ? nb : 1, sizeof **out);
	for (i = 0; i < nb; i++)
		xl_fill_info(&info[i], NULL, &(*out)[i]);
	*n = nb;
	libxl_dominfo_list_free(info, nb);
	return (0);
}

/* "model name" from /proc/cpuinfo (dom0's view of the CPU), and vendor. */
static void
xl_cpu_model(struct host_info *hi)
{
	FILE	*f;
	char	 line[512], *v;

	if ((f = fopen("/proc/cpuinfo", "re")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if ((v = strchr(line, ':')) == NULL)
			continue;
		v++;
		while (*v == ' ')
			v++;
		v[strcspn(v, "\n")] = '\0';
		if (strncmp(line, "model name", 10) == 0 &&
		    hi->cpu_model[0] == '\0')
			snprintf(hi->cpu_model, sizeof hi->cpu_model, "%s", v);
		else if (strncmp(line, "vendor_id", 9) == 0 &&
		    hi->virt_ext == NULL) {
			if (strcmp(v, "GenuineIntel") == 0)
				hi->virt_ext = "vmx";
			else if (strcmp(v, "AuthenticAMD") == 0 ||
			    strcmp(v, "HygonGenuine") == 0)
				hi->virt_ext = "svm";
		}
	}
	fclose(f);
}

/* What `xl info` reports: physinfo, version info, virt_caps. */
static int
xl_host_info(struct host_info *hi, char **cause)
{
	libxl_physinfo			 pi;
	const libxl_version_info	*vi;
	struct utsname			 u;
	uint64_t			 page_kb = 4;
	int				 per_socket;
	size_t				 i;
	char				*caps;

	memset(hi, 0, sizeof *hi);
	if (xl_open(cause) != 0)
		return (-1);
	xl_lasterr[0] = '\0';
	libxl_physinfo_init(&pi);
	if (libxl_get_physinfo(xl_ctx, &pi) != 0) {
		libxl_physinfo_dispose(&pi);
		*cause = xprintf("cannot read the host's physinfo: %s",
		    xl_why(0));
		return (-1);
	}
	if ((vi = libxl_get_version_info(xl_ctx)) == NULL) {
		libxl_physinfo_dispose(&pi);
		*cause = xprintf("cannot read Xen's version: %s", xl_why(0));
		return (-1);
	}
	if (uname(&u) == 0) {
		snprintf(hi->hostname, sizeof hi->hostname, "%.*s",
		    (int)sizeof hi->hostname - 1, u.nodename);
		snprintf(hi->release, sizeof hi->release, "%.*s",
		    (int)sizeof hi->release - 1, u.release);
		snprintf(hi->machine, sizeof hi->machine, "%.*s",
		    (int)sizeof hi->machine - 1, u.machine);
	}
	xl_cpu_model(hi);
	hi->nr_cpus = pi.nr_cpus;
	hi->cores_per_socket = pi.cores_per_socket;
	hi->threads_per_core = pi.threads_per_core;
	per_socket = pi.cores_per_socket * pi.threads_per_core;
	hi->sockets = per_socket > 0 ? (int)pi.nr_cpus / per_socket : 0;
	hi->cpu_mhz = pi.cpu_khz / 1000;
	hi->hvm_support = pi.cap_hvm;
	hi->hvm_enabled = pi.cap_hvm;
	if (!pi.cap_hvm)
		hi->virt_ext = NULL;
	hi->iommu = pi.cap_hvm_directio;
	if (vi->pagesize > 0)
		page_kb = vi->pagesize / 1024;
	hi->total_kb = pi.total_pages * page_kb;
	hi->free_kb = pi.free_pages * page_kb;
	snprintf(hi->backend, sizeof hi->backend, "xl");
	snprintf(hi->accel, sizeof hi->accel, "xen");
	snprintf(hi->hv_version, sizeof hi->hv_version, "%d.%d%s",
	    vi->xen_version_major, vi->xen_version_minor,
	    vi->xen_version_extra != NULL ? vi->xen_version_extra : "");

	/* xl info's virt_caps line, in its order. */
	{
		static const struct { size_t off; const char *name; } c[] = {
			{ offsetof(libxl_physinfo, cap_pv), "pv" },
			{ offsetof(libxl_physinfo, cap_hvm), "hvm" },
			{ offsetof(libxl_physinfo, cap_hvm_directio),
			    "hvm_directio" },
			{ offsetof(libxl_physinfo, cap_hap), "hap" },
			{ offsetof(libxl_physinfo, cap_shadow), "shadow" },
			{ offsetof(libxl_physinfo, cap_iommu_hap_pt_share),
			    "iommu_hap_pt_share" },
			{ offsetof(libxl_physinfo, cap_vmtrace), "vmtrace" },
			{ offsetof(libxl_physinfo, cap_vpmu), "vpmu" },
			{ offsetof(libxl_physinfo, cap_gnttab_v1),
			    "gnttab-v1" },
			{ offsetof(libxl_physinfo, cap_gnttab_v2),
			    "gnttab-v2" },
		};
		caps = NULL;
		for (i = 0; i < nitems(c); i++) {
			char	*next;

			if (!*(const bool *)((const char *)&pi + c[i].off))
				continue;
			if (caps == NULL)
				next = xstrdup(c[i].name);
			else
				xasprintf(&next, "%s %s", caps, c[i].name);
			free(caps);
			caps = next;
			/* pv_directio follows hvm_directio in xl info. */
			if (c[i].off == offsetof(libxl_physinfo,
			    cap_hvm_directio) && pi.cap_pv) {
				xasprintf(&next, "%s pv_directio", caps);
				free(caps);
				caps = next;
			}
		}
		snprintf(hi->caps, sizeof hi->caps, "%s",
		    caps != NULL ? caps : "");
		free(caps);
	}
	libxl_physinfo_dispose(&pi);
	return (0);
}

/*
 * The most telling line of xl's stderr: its first error line with libxl's
 * "libxl: error: file.c:N:func: " prefix removed, else its last line.
 */
static char *
xl_create_why(const char *err)
{
	const char	*line, *end, *pick = NULL, *last = NULL, *p;
	size_t		 len, picklen = 0, lastlen = 0;
	char		*copy;
	int		 n;

	if (err == NULL)
		return (xstrdup("xl failed without a message"));
	for (line = err; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		len = end - line;
		if (len == 0)
			continue;
		last = line;
		lastlen = len;
		if (pick == NULL && (memmem(line, len, "error", 5) != NULL ||
		    memmem(line, len, "Error", 5) != NULL ||
		    memmem(line, len, "failed", 6) != NULL)) {
			pick = line;
			picklen = len;
		}
	}
	if (pick == NULL) {
		pick = last;
		picklen = lastlen;
	}
	if (pick == NULL)
		return (xstrdup("xl failed without a message"));
	copy = xstrndup(pick, picklen);
	p = copy;
	if (strncmp(p, "libxl: error: ", 14) == 0 ||
	    strncmp(p, "libxl: warning: ", 16) == 0) {
		const char	*q = strchr(p, ':') + 1;

		q = strchr(q, ':') + 1;	/* after "error:" */
		for (n = 0; n < 3 && q != NULL; n++) {
			q = strchr(q, ':');
			if (q != NULL)
				q++;
		}
		if (q != NULL) {
			while (*q == ' ')
				q++;
			p = q;
		}
	}
	p = xstrdup(p);
	free(copy);
	return ((char *)p);
}

/*
 * When the device model (qemu-system-xen) dies while the domain is built,
 * xl says only "error on QMP socket" or "device model did not start"; the
 * reason is the last line of the model's own log, which libxl starts
 * afresh for every create. Measured in the lab: Debian 12's
 * qemu-system-xen has no DES cipher, so any vncpasswd kills it with
 * "Cipher backend does not support DES algorithm".
 */
#define XL_DM_LOG	"/var/log/xen/qemu-dm-%s.log"

static char *
xl_dm_why(const char *name, const char *why)
{
	char	*path, *out, line[512], last[512] = "";
	FILE	*f;

	if (name == NULL || !valid_name(name) || (strstr(why, "QMP") == NULL &&
	    strcasestr(why, "device model") == NULL &&
	    strcasestr(why, "device-model") == NULL))
		return (NULL);
	xasprintf(&path, XL_DM_LOG, name);
	if ((f = fopen(path, "re")) == NULL) {
		free(path);
		return (NULL);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			snprintf(last, sizeof last, "%s", line);
	}
	fclose(f);
	if (last[0] == '\0') {
		free(path);
		return (NULL);
	}
	xasprintf(&out, "its device model failed: %s (%s)", last, path);
	free(path);
	return (out);
}

/* Whether process PID is alive and an xl (the basename of its argv[0]). */
static int
xl_pid_is_xl(long pid)
{
	char	 path[64], *buf = NULL, *cause = NULL, *base;
	size_t	 len;
	int	 is_xl;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	if (file_read(path, &buf, &len, &cause) != 0) {
		free(cause);
		return (0);
	}
	/* argv[0] ends at the first NUL; a zombie has no command line. */
	base = strrchr(buf, '/');
	base = base != NULL ? base + 1 : buf;
	is_xl = len > 0 && strcmp(base, "xl") == 0;
	free(buf);
	return (is_xl);
}

/*
 * The pid of xl's monitor for domain DOMID, or 0 if none runs. `xl create`
 * leaves a daemon behind that logs "Waiting for domain NAME (domid N) to
 * die [pid P]" to /var/log/xen/xl-NAME.log, again with the new domid after
 * each on_reboot restart; the last such line counts, and only if N is
 * DOMID and P is still an xl. ACTED (if not NULL) is set when the log says
 * after that line that the domain has shut down: the monitor saw it, and
 * may have exited since (it does after acting on "preserve").
 */
static long
xl_monitor(uint32_t domid, int *acted)
{
	char		*name = NULL, *path = NULL, *line = NULL, *p, who[80];
	size_t		 size = 0;
	unsigned int	 n;
	long		 pid = 0, cand;
	FILE		*f = NULL;
	int		 mine = 0, end;

	if (acted != NULL)
		*acted = 0;
	if ((name = libxl_domid_to_name(xl_ctx, domid)) == NULL ||
	    !valid_name(name) || (path = xl_supervisor_log(name)) == NULL ||
	    (f = fopen(path, "re")) == NULL)
		goto out;
	while (getline(&line, &size, f) != -1) {
		if ((p = strstr(line, "Waiting for domain ")) != NULL) {
			if (sscanf(p, "Waiting for domain %79s (domid %u) to "
			    "die [pid %ld]", who, &n, &cand) != 3)
				continue;
			mine = strcmp(who, name) == 0 && n == domid;
			pid = mine ? cand : 0;
			if (acted != NULL)
				*acted = 0;
			continue;
		}
		end = 0;
		if (mine && acted != NULL && sscanf(line,
		    "Domain %u has shut down%n", &n, &end) == 1 && end > 0 &&
		    n == domid)
			*acted = 1;
	}
	if (pid <= 1 || !xl_pid_is_xl(pid))
		pid = 0;
out:
	if (f != NULL)
		fclose(f);
	free(line);
	free(path);
	free(name);
	return (pid);
}

/*
 * After xl create: wait for the domain's monitor to log its line. Its pid;
 * 0 if none came within XL_MONITOR_WAIT_MS; -1 if the domain went away
 * meanwhile or has shut down under a monitor's eyes (someone looked after
 * it).
 */
static long
xl_monitor_wait(uint32_t domid)
{
	libxl_dominfo	 info;
	uint64_t	 start = mono_ms();
	long		 pid;
	int		 rc, acted;

	for (;;) {
		libxl_dominfo_init(&info);
		rc = libxl_domain_info(xl_ctx, &info, domid);
		libxl_dominfo_dispose(&info);
		if (rc != 0)
			return (-1);
		if ((pid = xl_monitor(domid, &acted)) != 0)
			return (pid);
		if (acted)
			return (-1);
		if (mono_ms() - start >= XL_MONITOR_WAIT_MS)
			return (0);
		usleep(XL_POLL_MS * 1000);
	}
}

/* The domain named NAME if it is there and not being torn down: 1, *id. */
static int
xl_created(const char *name, uint32_t *id)
{
	libxl_dominfo	 info;
	int		 rc, dying;

	if (name == NULL || libxl_name_to_domid(xl_ctx, name, id) != 0)
		return (0);
	libxl_dominfo_init(&info);
	rc = libxl_domain_info(xl_ctx, &info, *id);
	dying = info.dying;
	libxl_dominfo_dispose(&info);
	return (rc == 0 && !dying);
}

/*
 * What went wrong with xl create, for the user: that it hung, that it
 * crashed (and what it said), or its most telling message. With STATUS,
 * an exit status is named too ("exit 1: ...").
 */
static char *
xl_create_failure(const struct xlcfg *cfg, const struct spawn_result *res,
    int status)
{
	char	*why, *dm, *out;

	if (res->timedout)
		return (xprintf("still running after %d s; stopped",
		    XL_CREATE_TIMEOUT_MS / 1000));
	if (res->termsig != 0) {
		if (res->err == NULL || *res->err == '\0')
			return (xprintf("killed by signal %d (%s)",
			    res->termsig, strsignal(res->termsig)));
		why = xl_create_why(res->err);
		out = xprintf("killed by signal %d (%s): %s", res->termsig,
		    strsignal(res->termsig), why);
		free(why);
		return (out);
	}
	why = xl_create_why(res->err);
	if ((dm = xl_dm_why(cfg->name, why)) != NULL) {
		log_info("xl create %s: %s", cfg->path, why);
		free(why);
		why = dm;
	}
	if (!status)
		return (why);
	out = xprintf("exit %d: %s", res->status, why);
	free(why);
	return (out);
}

/*
 * Create a domain from the user's xl.cfg by running `xl create FILE`.
 *
 * Why xl and not libxl_domain_create_new: xl.cfg(5) is defined by what xl
 * makes of it. xl parses the file with libxlutil, fills libxl_domain_config
 * (defaults, device hotplug, bootloader handling) and then stays behind as
 * the domain's monitor, applying on_poweroff/on_reboot/on_crash and
 * keeping the saved config that `xl list -l` shows. xendeck's parser keeps
 * every key but gives meaning to only some; calling libxl ourselves would
 * mean re-implementing xl's config translation and its monitor, and any
 * difference would be a bug the user meets only on Xen. So the file means
 * exactly what it means to xl, and the domain is then managed by the same
 * tools a Xen administrator already uses.
 */
static int
xl_create(const struct xlcfg *cfg, int flags, int *domid, char **cause)
{
	struct spawn_result	 res = { 0 };
	char			*argv[6], *why = NULL, *err = NULL, *msgs = NULL;
	int			 argc = 0, rc = -1, failed, made;
	uint32_t		 id;
	long			 mon;

	if (domid != NULL)
		*domid = -1;
	if (cfg->path == NULL) {
		*cause = xstrdup("xl create needs the domain's config file");
		return (-1);
	}
	if (!(flags & BE_CREATE_DRYRUN) && xl_open(cause) != 0)
		return (-1);
	if (cfg->name != NULL && !(flags & BE_CREATE_DRYRUN) &&
	    libxl_name_to_domid(xl_ctx, cfg->name, &id) == 0) {
		*cause = xprintf("%s: a domain named %s already exists "
		    "(domain %u)", cfg->path, cfg->name, id);
		return (-1);
	}
	argv[argc++] = "xl";
	argv[argc++] = "create";
	if (flags & BE_CREATE_PAUSED)
		argv[argc++] = "-p";
	argv[argc++] = cfg->path;
	argv[argc] = NULL;
	if (flags & BE_CREATE_DRYRUN) {
		rc = spawn_run(argv, NULL, SPAWN_DRYRUN, &res, cause);
		goto out;
	}
	failed = spawn_run_timeout(argv, NULL, 0, XL_CREATE_TIMEOUT_MS,
	    &res, &err) != 0;
	if (failed && res.status == 0) {	/* xl could not be run at all */
		*cause = err;
		err = NULL;
		goto out;
	}
	if (log_path() != NULL)
		msgs = xprintf(" (xl's messages are in %s)", log_path());
	else
		msgs = xstrdup("");

	/*
	 * Whatever xl's own result, the truth is whether the domain is there
	 * and whether xl's monitor watches it: xl has hung and crashed after
	 * building the domain, and its monitor has died right after the fork
	 * (measured in the lab), which leaves on_poweroff, on_reboot and
	 * on_crash to nobody.
	 */
	made = xl_created(cfg->name, &id);
	mon = made ? xl_monitor_wait(id) : -1;
	if (!failed) {
		if (made && mon == 0)
			report_warn("%s (domain %u) runs, but xl's monitor "
			    "for it did not start: on_poweroff, on_reboot "
			    "and on_crash will not be acted on (see "
			    "/var/log/xen/xl-%s.log)", cfg->name, id,
			    cfg->name);
		if (made && domid != NULL)
			*domid = id;
		rc = 0;
		goto out;
	}
	if (mon == -1) {	/* no domain, or one a monitor looked after */
		why = xl_create_failure(cfg, &res, 0);
		*cause = xprintf("xl create %s: %s%s", cfg->path, why, msgs);
		goto out;
	}
	why = xl_create_failure(cfg, &res, 1);
	if (mon > 0) {
		report_warn("xl create exited badly (%s) after %s (domain %u) "
		    "was made; the domain runs and xl's monitor (pid %ld) "
		    "watches it", why, cfg->name, id, mon);
		if (domid != NULL)
			*domid = id;
		rc = 0;
		goto out;
	}
	/* Not destroyed here: nothing confirms what state xl left it in. */
	*cause = xprintf("xl create %s: %s%s; domain %u (%s) was left behind "
	    "without a monitor: `xendeck destroy %s` removes it", cfg->path,
	    why, msgs, id, cfg->name, cfg->name);
out:
	free(msgs);
	free(why);
	free(err);
	spawn_result_free(&res);
	return (rc);
}

/*
 * A domain that has shut down and is still there after XL_REAP_WAIT_MS:
 * fine if xl's monitor saw it (on_poweroff=preserve: it acts, logs and
 * exits) or still runs; if it has no monitor at all (killed, or it died
 * right after xl create forked it), nothing will ever act on it, and the
 * user is told so.
 */
static void
xl_unreaped(const char *dom, uint32_t domid, int reason)
{
	const char	*action;
	char		*name;
	long		 pid;
	int		 acted;

	pid = xl_monitor(domid, &acted);
	log_debug("%s: shut down, still there after %d ms (monitor %ld, "
	    "%s)", dom, XL_REAP_WAIT_MS, pid, acted ? "it saw the shutdown" :
	    "no shutdown in its log");
	if (pid != 0 || acted)
		return;
	switch (reason) {
	case LIBXL_SHUTDOWN_REASON_REBOOT:
		action = "on_reboot";
		break;
	case LIBXL_SHUTDOWN_REASON_CRASH:
		action = "on_crash";
		break;
	case LIBXL_SHUTDOWN_REASON_WATCHDOG:
		action = "on_watchdog";
		break;
	default:
		action = "on_poweroff";
		break;
	}
	if ((name = libxl_domid_to_name(xl_ctx, domid)) == NULL)
		name = xstrdup(dom);
	report_warn("%s has shut down, but no xl monitor runs for it to apply "
	    "%s: it stays until `xendeck destroy %s`", name, action, name);
	free(name);
}

/*
 * After a shutdown or reboot request: wait, like xl -w, until the domain
 * has shut down or is gone; then give xl's monitor a moment to act on
 * on_poweroff so that "done" usually means "gone" too.
 */
static int
xl_wait_shutdown(const char *dom, uint32_t domid, char **cause)
{
	libxl_dominfo	 info;
	uint64_t	 seen = 0;
	int		 rc, down, shut = 0, reason = 0;
	char		 uuid[37] = "", now[37];

	for (;;) {
		libxl_dominfo_init(&info);
		rc = libxl_domain_info(xl_ctx, &info, domid);
		down = rc == 0 && (info.shutdown || info.dying);
		if (rc == 0) {
			shut = info.shutdown && !info.dying;
			reason = info.shutdown_reason;
			snprintf(now, sizeof now, LIBXL_UUID_FMT,
			    LIBXL_UUID_BYTES(info.uuid));
			if (uuid[0] == '\0')
				memcpy(uuid, now, sizeof uuid);
		}
		libxl_dominfo_dispose(&info);
		if (rc == ERROR_DOMAIN_NOTFOUND)
			return (0);
		if (rc != 0) {
			*cause = xprintf("%s: waiting for shutdown: %s", dom,
			    xl_why(rc));
			return (-1);
		}
		if (strcmp(now, uuid) != 0)	/* the id was reused */
			return (0);
		if (down && seen == 0)
			seen = mono_ms();
		if (seen != 0 && mono_ms() - seen > XL_REAP_WAIT_MS) {
			if (shut)
				xl_unreaped(dom, domid, reason);
			return (0);
		}
		usleep(XL_POLL_MS * 1000);
	}
}

/*
 * The reset button of a guest without PV drivers (reboot -F). xl asks Xen
 * for a reset trigger, but Xen 4.17 on x86 implements only the power and
 * sleep buttons (measured in the lab: "Send trigger 'reset' failed:
 * Function not implemented"), so `xl reboot -F` cannot reboot such a
 * guest. QMP system_reset on qemu-xen is no help either: it resets the
 * emulated devices and leaves the vCPUs running on (measured: the VGA
 * went blank, GRUB kept running, no reboot). What a reset is to a Xen
 * domain is what qemu-xen does when the guest itself resets the machine:
 * the domain shuts down with reason "reboot" (SCHEDOP_remote_shutdown),
 * and the toolstack applies on_reboot, normally a fresh boot. That is
 * done here when the trigger fails.
 */
static int
xl_reset_button(const char *dom, uint32_t domid, char **cause)
{
	xc_interface	*xch;
	int		 rc, saved;

	xl_lasterr[0] = '\0';
	rc = libxl_send_trigger(xl_ctx, domid, LIBXL_TRIGGER_RESET, 0, NULL);
	if (rc == 0)
		return (0);
	log_debug("%s: reset trigger: %s; shutting it down for a reboot "
	    "instead", dom, xl_why(rc));
	if ((xch = xc_interface_open(NULL, NULL, 0)) == NULL) {
		*cause = xprintf("cannot reboot %s: cannot open libxenctrl: "
		    "%s", dom, strerror(errno));
		return (-1);
	}
	rc = xc_domain_shutdown(xch, domid, SHUTDOWN_reboot);
	saved = errno;
	xc_interface_close(xch);
	if (rc != 0) {
		*cause = xprintf("cannot reboot %s: %s", dom,
		    strerror(saved));
		return (-1);
	}
	log_info("%s: reset: shut down with reason reboot", dom);
	return (0);
}

/* shutdown and reboot: a PV request, or the ACPI button with -F. */
static int
xl_shutdown_common(const char *dom, int flags, int reboot, char **cause)
{
	const char	*what = reboot ? "reboot" : "shut down";
	struct sigaction sa;
	uint32_t	 domid;
	int		 rc;

	if (xl_resolve_guest(dom, what, &domid, cause) != 0)
		return (-1);
	xl_lasterr[0] = '\0';
	xl_sigchld_enter(&sa);
	if (reboot)
		rc = libxl_domain_reboot(xl_ctx, domid, NULL);
	else
		rc = libxl_domain_shutdown(xl_ctx, domid, NULL);
	if (rc == ERROR_NOPARAVIRT) {
		if (!(flags & BE_SHUTDOWN_FORCE)) {
			xl_sigchld_leave(&sa);
			*cause = xprintf("%s has no PV control interface (no "
			    "PV drivers): cannot %s it gracefully; -F presses "
			    "its %s button instead", dom, what,
			    reboot ? "reset" : "ACPI power");
			return (-1);
		}
		log_info("%s: no PV drivers: pressing the %s button", dom,
		    reboot ? "reset" : "ACPI power");
		if (reboot) {
			xl_sigchld_leave(&sa);
			return (xl_reset_button(dom, domid, cause));
		}
		xl_lasterr[0] = '\0';
		rc = libxl_send_trigger(xl_ctx, domid, LIBXL_TRIGGER_POWER, 0,
		    NULL);
	}
	xl_sigchld_leave(&sa);
	if (rc != 0) {
		*cause = xprintf("cannot %s %s: %s", what, dom, xl_why(rc));
		return (-1);
	}
	if (flags & BE_SHUTDOWN_WAIT)
		return (xl_wait_shutdown(dom, domid, cause));
	return (0);
}

static int
xl_shutdown(const char *dom, int flags, char **cause)
{
	return (xl_shutdown_common(dom, flags, 0, cause));
}

static int
xl_reboot(const char *dom, int flags, char **cause)
{
	return (xl_shutdown_common(dom, flags, 1, cause));
}

/*
 * destroy, pause and unpause: one libxl call on a guest (never Domain-0).
 * VERB is what the refusal for Domain-0 says, WHAT what a failure says.
 */
static int
xl_domain_op(const char *dom, const char *verb, const char *what,
    int (*op)(libxl_ctx *, uint32_t, const libxl_asyncop_how *),
    char **cause)
{
	struct sigaction sa;
	uint32_t	 domid;
	int		 rc;

	if (xl_resolve_guest(dom, verb, &domid, cause) != 0)
		return (-1);
	xl_lasterr[0] = '\0';
	xl_sigchld_enter(&sa);
	rc = op(xl_ctx, domid, NULL);
	xl_sigchld_leave(&sa);
	if (rc != 0) {
		*cause = xprintf("cannot %s %s: %s", what, dom, xl_why(rc));
		return (-1);
	}
	return (0);
}

static int
xl_destroy(const char *dom, char **cause)
{
	return (xl_domain_op(dom, "shut", "destroy", libxl_domain_destroy,
	    cause));
}

static int
xl_pause(const char *dom, char **cause)
{
	return (xl_domain_op(dom, "suspend", "pause", libxl_domain_pause,
	    cause));
}

static int
xl_unpause(const char *dom, char **cause)
{
	return (xl_domain_op(dom, "resume", "unpause", libxl_domain_unpause,
	    cause));
}

/*
 * The guest's console pty, as xenconsoled publishes it: the PV console
 * (console/tty) for PV and PVH guests, the emulated serial port
 * (serial/0/tty) for HVM ones, which is what `xl console` picks too. The
 * pty is opened raw, as the xenconsole client does.
 */
static int
xl_console_open(const char *dom, int *fdp, char **cause)
{
	libxl_dominfo	 info;
	struct termios	 t;
	uint32_t	 domid;
	uint64_t	 start;
	char		*tty = NULL;
	int		 fd = -1, hvm = 0;

	*fdp = -1;
	if (xl_resolve(dom, &domid, cause) != 0)
		return (-1);
	if (domid == 0) {
		*cause = backend_dom0_refused("console");
		return (-1);
	}
	libxl_dominfo_init(&info);
	if (libxl_domain_info(xl_ctx, &info, domid) == 0)
		hvm = info.domain_type == LIBXL_DOMAIN_TYPE_HVM;
	libxl_dominfo_dispose(&info);

	/*
	 * xenconsoled writes console/tty shortly after the domain appears;
	 * libxl writes an HVM guest's serial/0/tty once its device model
	 * runs, which is later. An HVM guest has a PV console as well, which
	 * its firmware and a guest without PV drivers never use: so for HVM
	 * the serial port is waited for, and the PV console taken only when
	 * there is no serial port (serial= unset), as xl console does.
	 */
	start = mono_ms();
	for (;;) {
		int	 waited = mono_ms() - start > XL_TTY_WAIT_MS;

		if (hvm)
			tty = xl_xs_read("/local/domain/%u/serial/0/tty",
			    domid);
		if (tty == NULL && (!hvm || waited))
			tty = xl_xs_read("/local/domain/%u/console/tty",
			    domid);
		if (tty != NULL && *tty != '\0')
			break;
		free(tty);
		tty = NULL;
		if (waited) {
			*cause = xprintf("%s has no console tty in xenstore "
			    "(is xenconsoled running?)", dom);
			return (-1);
		}
		usleep(XL_POLL_MS * 1000);
	}
	if ((fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: console %s: %s", dom, tty,
		    strerror(errno));
		free(tty);
		return (-1);
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	log_debug("%s: console on %s", dom, tty);
	free(tty);
	*fdp = fd;
	return (0);
}

/*
 * A readable file the toolstack keeps under the domain's name, PREFIX
 * name SUFFIX. NULL if the domain or the file is not there.
 */
static char *
xl_name_file(const char *dom, const char *prefix, const char *suffix)
{
	uint32_t	 domid;
	char		*cause = NULL, *name, *path;

	if (xl_resolve(dom, &domid, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if ((name = libxl_domid_to_name(xl_ctx, domid)) == NULL)
		return (NULL);
	xasprintf(&path, "%s%s%s", prefix, name, suffix);
	free(name);
	if (access(path, R_OK) != 0) {
		free(path);
		return (NULL);
	}
	return (path);
}

/* xenconsoled's log of the guest's console, when it keeps one. */
static char *
xl_console_log(const char *dom)
{
	return (xl_name_file(dom, "/var/log/xen/console/guest-", ".log"));
}

/*
 * The config the domain was created from: xl keeps the file's text as
 * libxl userdata "xl" (/var/lib/xen/userdata-d.<domid>.<uuid>.xl), which is
 * also what it re-reads when on_reboot restarts the domain.
 */
static char *
xl_config_path(const char *dom)
{
	uint32_t	 domid;
	char		*cause = NULL, *pattern, *path = NULL;
	glob_t		 g;

	if (xl_resolve(dom, &domid, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	xasprintf(&pattern, "/var/lib/xen/userdata-d.%u.*.xl", domid);
	if (glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0)
		path = xstrdup(g.gl_pathv[0]);
	globfree(&g);
	free(pattern);
	return (path);
}

/*
 * The disks a domain has attached (libxl reads them from xenstore): the
 * pool model's "which domain uses this volume". xl 4.17 keeps no copy of
 * the config file (only libxl's JSON), so config_path finds none there.
 */
static char **
xl_disks(const char *dom)
{
	libxl_device_disk	*d;
	uint32_t		 domid;
	char			*cause = NULL, **v = NULL;
	int			 n = 0, i;

	if (xl_resolve(dom, &domid, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	if ((d = libxl_device_disk_list(xl_ctx, domid, &n)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (d[i].pdev_path != NULL && *d[i].pdev_path != '\0')
			strv_push(&v, d[i].pdev_path);
	}
	libxl_device_disk_list_free(d, n);
	return (v);
}

/* The log of xl's monitor process for the domain (xl create daemonizes). */
static char *
xl_supervisor_log(const char *dom)
{
	return (xl_name_file(dom, "/var/log/xen/xl-", ".log"));
}

/*
 * The VNC server of an HVM guest's device model (or of a PV guest's vfb
 * backend): console/vnc-port and vnc-listen as libxl's vncviewer reads
 * them, the password from console/vnc-pass; failing that, the vfb
 * backend's own keys (vnclisten, vncdisplay).
 */
static int
xl_vnc_endpoint(const char *dom, struct vnc_endpoint *v, char **cause)
{
	uint32_t	 domid;
	char		*port = NULL, *listen = NULL, *disp = NULL;
	int		 rc = -1;

	memset(v, 0, sizeof *v);
	if (xl_resolve(dom, &domid, cause) != 0)
		return (-1);
	if ((port = xl_xs_read("/local/domain/%u/console/vnc-port",
	    domid)) != NULL) {
		listen = xl_xs_read("/local/domain/%u/console/vnc-listen",
		    domid);
		v->port = atoi(port);
		v->password = xl_xs_read("/local/domain/%u/console/vnc-pass",
		    domid);
	} else if ((disp = xl_xs_read("/local/domain/0/backend/vfb/%u/0/"
	    "vncdisplay", domid)) != NULL) {
		listen = xl_xs_read("/local/domain/0/backend/vfb/%u/0/"
		    "vnclisten", domid);
		v->port = 5900 + atoi(disp);
		v->password = xl_xs_read("/local/domain/0/backend/vfb/%u/0/"
		    "vncpasswd", domid);
	} else {
		*cause = xprintf("%s has no VNC server (set vnc=1 in its "
		    "config)", dom);
		goto out;
	}
	if (v->port <= 0 || v->port > 65535) {
		*cause = xprintf("%s: bad VNC port in xenstore", dom);
		goto out;
	}
	if (v->password != NULL && v->password[0] == '\0') {
		free(v->password);
		v->password = NULL;
	}
	v->host = xstrdup(listen != NULL && *listen != '\0' ? listen :
	    "localhost");
	rc = 0;
out:
	if (rc != 0)
		vnc_endpoint_free(v);
	free(port);
	free(listen);
	free(disp);
	return (rc);
}

/* A vbd's device number as its vdev name (xvda, hdb, sdc1), else "N". */
static void
xl_vbd_name(unsigned int dev, char *buf, size_t size)
{
	unsigned int	 major = dev >> 8, minor = dev & 0xff, disk, part;
	const char	*prefix;
	char		 letters[4];

	if (dev & (1U << 28)) {	/* extended xvd numbering */
		prefix = "xvd";
		disk = (dev & ((1U << 28) - 1)) >> 8;
		part = dev & 0xff;
	} else if (major == 202) {
		prefix = "xvd";
		disk = minor >> 4;
		part = minor & 15;
	} else if (major == 8) {
		prefix = "sd";
		disk = minor >> 4;
		part = minor & 15;
	} else if (major == 3 || major == 22) {
		prefix = "hd";
		disk = (major == 22 ? 2 : 0) + (minor >> 6);
		part = minor & 63;
	} else {
		snprintf(buf, size, "%u", dev);
		return;
	}
	if (disk < 26) {
		letters[0] = 'a' + disk;
		letters[1] = '\0';
	} else {
		letters[0] = 'a' + disk / 26 - 1;
		letters[1] = 'a' + disk % 26;
		letters[2] = '\0';
	}
	if (part != 0)
		snprintf(buf, size, "%s%s%u", prefix, letters, part);
	else
		snprintf(buf, size, "%s%s", prefix, letters);
}

/* xenstat's counters of one domain into s (info already filled). */
static void
xl_fill_stats(xenstat_domain *d, struct dom_stats *s)
{
	xenstat_network		*net;
	xenstat_vbd		*vbd;
	xenstat_vcpu		*vc;
	unsigned int		 i, n;

	/* xentop's columns: MEM(k), MAXMEM(k), VCPUS, CPU(sec). */
	s->info.mem_kb = xenstat_domain_cur_mem(d) / 1024;
	if (xenstat_domain_max_mem(d) == (unsigned long long)-1)
		s->info.maxmem_kb = STAT_NONE;	/* "no limit" */
	else
		s->info.maxmem_kb = xenstat_domain_max_mem(d) / 1024;
	s->info.cpu_ns = xenstat_domain_cpu_ns(d);

	n = xenstat_domain_num_vcpus(d);
	s->vcpu = xcalloc(n > 0 ? n : 1, sizeof *s->vcpu);
	for (i = 0; i < n; i++) {
		if ((vc = xenstat_domain_vcpu(d, i)) == NULL)
			continue;
		s->vcpu[i].online = xenstat_vcpu_online(vc);
		s->vcpu[i].cpu_ns = xenstat_vcpu_ns(vc);
	}
	s->nvcpu = n;

	n = xenstat_domain_num_networks(d);
	s->vifs = xcalloc(n > 0 ? n : 1, sizeof *s->vifs);
	for (i = 0; i < n; i++) {
		struct dom_vif_stats	*v = &s->vifs[i];

		if ((net = xenstat_domain_network(d, i)) == NULL)
			continue;
		snprintf(v->name, sizeof v->name, "vif%d.%u", s->info.domid,
		    xenstat_network_id(net));
		v->tx_bytes = xenstat_network_tbytes(net);
		v->tx_pkts = xenstat_network_tpackets(net);
		v->tx_errs = xenstat_network_terrs(net);
		v->tx_drop = xenstat_network_tdrop(net);
		v->rx_bytes = xenstat_network_rbytes(net);
		v->rx_pkts = xenstat_network_rpackets(net);
		v->rx_errs = xenstat_network_rerrs(net);
		v->rx_drop = xenstat_network_rdrop(net);
	}
	s->nvifs = n;

	n = xenstat_domain_num_vbds(d);
	s->vbds = xcalloc(n > 0 ? n : 1, sizeof *s->vbds);
	for (i = 0; i < n; i++) {
		struct dom_vbd_stats	*b = &s->vbds[i];

		if ((vbd = xenstat_domain_vbd(d, i)) == NULL)
			continue;
		xl_vbd_name(xenstat_vbd_dev(vbd), b->name, sizeof b->name);
		if (xenstat_vbd_error(vbd)) {
			b->oo = b->rd_reqs = b->wr_reqs = STAT_NONE;
			b->rd_sect = b->wr_sect = STAT_NONE;
			s->why_none = "a vbd's counters could not be read";
			continue;
		}
		b->oo = xenstat_vbd_oo_reqs(vbd);
		b->rd_reqs = xenstat_vbd_rd_reqs(vbd);
		b->wr_reqs = xenstat_vbd_wr_reqs(vbd);
		b->rd_sect = xenstat_vbd_rd_sects(vbd);
		b->wr_sect = xenstat_vbd_wr_sects(vbd);
	}
	s->nvbds = n;
}

/*
 * One sample of every domain: libxl's domain list for what xl list shows
 * (state, type, uuid), libxenstat for xentop's counters. Both are a
 * handful of hypercalls plus one read of /proc/net/dev and the vbd
 * statistics in sysfs, whatever the number of domains; nothing forks.
 */
static int
xl_sample(struct dom_stats **out, size_t *np, char **cause)
{
	libxl_dominfo	*info = NULL;
	xenstat_node	*node = NULL;
	xenstat_domain	*xd;
	struct dom_stats *s = NULL;
	uint64_t	 now;
	int		 nb = 0, i;

	*out = NULL;
	*np = 0;
	if (xl_open_stat(cause) != 0)
		return (-1);
	xl_lasterr[0] = '\0';
	if ((node = xenstat_get_node(xl_stat, XENSTAT_ALL)) == NULL) {
		*cause = xprintf("libxenstat could not sample the host: %s",
		    errno != 0 ? strerror(errno) : "failed");
		return (-1);
	}
	now = mono_us();
	if ((info = libxl_list_domain(xl_ctx, &nb)) == NULL) {
		xenstat_free_node(node);
		*cause = xprintf("cannot list domains: %s", xl_why(0));
		return (-1);
	}
	s = xcalloc(nb > 0 ? nb : 1, sizeof *s);
	for (i = 0; i < nb; i++) {
		/* xenstat has read the name already: no second lookup. */
		xd = xenstat_node_domain(node, info[i].domid);
		xl_fill_info(&info[i], xd != NULL ? xenstat_domain_name(xd) :
		    NULL, &s[i].info);
		s[i].sample_us = now;
		if (xd == NULL) {
			/* Born between the two reads: counters next time. */
			s[i].why_none = "the domain appeared during sampling";
			s[i].vcpu = xcalloc(1, sizeof *s[i].vcpu);
			s[i].vifs = xcalloc(1, sizeof *s[i].vifs);
			s[i].vbds = xcalloc(1, sizeof *s[i].vbds);
			continue;
		}
		xl_fill_stats(xd, &s[i]);
	}
	libxl_dominfo_list_free(info, nb);
	xenstat_free_node(node);
	*out = s;
	*np = nb;
	return (0);
}

/*
 * HVM guests on Debian 12's Xen: the device model is qemu-system-xen's
 * binary at the path libxl was built with (Debian's patch says "Please
 * install the qemu-system-xen package" when it is missing).
 */
#define XL_QEMU_XEN	"/usr/libexec/xen-qemu-system-i386"

/* The device model an xl.cfg runs: device_model_override, or libxl's. */
static const char *
xl_dm_binary(const struct xlcfg *cfg)
{
	const struct xlcfg_setting	*set;

	set = xlcfg_get(cfg, "device_model_override");
	if (set != NULL && set->value->type == XLCFG_STRING &&
	    *set->value->str != '\0')
		return (set->value->str);
	return (XL_QEMU_XEN);
}

static int
xl_vnc_password(char **why)
{
	if (access(XL_QEMU_XEN, X_OK) != 0) {
		*why = xprintf("%s: %s (apt-get install qemu-system-xen)",
		    XL_QEMU_XEN, strerror(errno));
		return (0);
	}
	return (host_qemu_vnc_password(XL_QEMU_XEN, why));
}

/*
 * The user the device model runs as (libxl): device_model_user, else root
 * unless dm_restrict asks for xen-qemuuser-range-base (base + domid) or
 * xen-qemuuser-shared. NULL: root; "" with dm_restrict and neither user.
 */
static const char *
xl_dm_user(const struct xlcfg *cfg)
{
	const struct xlcfg_setting	*set;
	long long			 v;

	set = xlcfg_get(cfg, "device_model_user");
	if (set != NULL && set->value->type == XLCFG_STRING)
		return (set->value->str);
	set = xlcfg_get(cfg, "dm_restrict");
	if (set == NULL || set->value->type != XLCFG_STRING ||
	    xlcfg_number(set->value->str, &v) != 0 || v == 0)
		return (NULL);
	if (getpwnam("xen-qemuuser-range-base") != NULL)
		return ("xen-qemuuser-range-base");
	if (getpwnam("xen-qemuuser-shared") != NULL)
		return ("xen-qemuuser-shared");
	return ("");
}

/* VNC as libxl sets it up for qemu-xen (libxl_dm.c's -vnc argument). */
static void
xl_lint_vnc(const struct xlcfg *cfg, struct lint_report *r)
{
	char		*host = NULL, *colon, *why = NULL;
	const char	*dm = xl_dm_binary(cfg);
	int		 display = cfg->vncdisplay >= 0 ? cfg->vncdisplay : 0;
	int		 nopw, pwline, des = -1;

	if (cfg->vnc == 0)
		return;
	nopw = cfg->vncpasswd == NULL || *cfg->vncpasswd == '\0';
	pwline = xlcfg_line(cfg, "vncpasswd");
	if (cfg->vnclisten == NULL)
		host = xstrdup("127.0.0.1");
	else {
		host = xstrdup(cfg->vnclisten);
		if ((colon = strrchr(host, ':')) != NULL &&
		    strchr(host, ':') == colon) {
			if (cfg->vncdisplay > 0)
				lint_add(r, LINT_ERROR, "vnc-display-twice",
				    "vncdisplay", xlcfg_line(cfg,
				    "vncdisplay"), NULL, "give the display in "
				    "one place only", "vnclisten=\"%s\" names "
				    "a display already: libxl refuses "
				    "vncdisplay=%d with it", cfg->vnclisten,
				    cfg->vncdisplay);
			*colon = '\0';
			display = atoi(colon + 1);
		}
	}
	if (cfg->vncunused == 0)
		lint_vnc_port(r, cfg, host, display);
	if (!nopw || (cfg->vncpasswd != NULL && access(dm, X_OK) == 0))
		des = host_qemu_vnc_password(dm, &why);
	if (!nopw && des == 0)
		lint_add(r, LINT_ERROR, "vnc-password-des", "vncpasswd", pwline,
		    "hvm-guest", "remove vncpasswd: the screen then listens on "
		    "127.0.0.1 only, for xendeck vnc on dom0 (or an SSH "
		    "tunnel)", "a VNC password stops this device model: %s",
		    why);
	else if (nopw && *host == '\0')
		lint_add(r, LINT_WARNING, "vnc-open", "vnclisten",
		    xlcfg_line(cfg, "vnclisten"), "hvm-guest", "write "
		    "vnclisten = \"127.0.0.1\" (or remove the line: that is "
		    "the default)", "vnclisten=\"\" makes the screen listen "
		    "on every address, and there is no password: anyone on "
		    "the network gets the guest's screen and keyboard");
	else if (nopw && !lint_loopback(host))
		lint_add(r, LINT_WARNING, "vnc-open", "vnclisten",
		    xlcfg_line(cfg, "vnclisten"), "hvm-guest", "listen on "
		    "127.0.0.1 and reach it through an SSH tunnel",
		    "the screen listens on %s with no password: anyone who "
		    "reaches that address gets the guest's screen and "
		    "keyboard", host);
	else if (cfg->vncpasswd != NULL && nopw)
		lint_add(r, LINT_WARNING, "vnc-no-password", "vncpasswd", pwline,
		    "hvm-guest", des == 1 ? "set a password in vncpasswd" :
		    "keep the screen on 127.0.0.1 (this device model cannot "
		    "do VNC passwords) and remove the line", "vncpasswd=\"\" "
		    "means no password at all: anyone with a shell on dom0 can "
		    "reach the screen on %s", host);
	free(why);
	free(host);
}

/* What only Xen (Debian 12's 4.17) knows about cfg (backend_ops.lint). */
static void
xl_lint(const struct xlcfg *cfg, struct lint_report *r)
{
	struct host_info	 hi;
	const char		*dm = xl_dm_binary(cfg), *user, *key;
	char			*cause = NULL;
	struct stat		 st;
	size_t			 i;
	int			 hvm = cfg->type == XLCFG_TYPE_HVM;

	if (cfg->device_model_version != NULL && strcmp(
	    cfg->device_model_version, "qemu-xen-traditional") == 0)
		lint_add(r, LINT_ERROR, "dm-traditional",
		    "device_model_version", xlcfg_line(cfg,
		    "device_model_version"), NULL, "remove the line: qemu-xen "
		    "(qemu-system-xen) is the default", "Debian 12's Xen has "
		    "no qemu-xen-traditional (no qemu-dm): xl create fails");
	if (xlcfg_get(cfg, "device_model") != NULL)
		lint_add(r, LINT_WARNING, "device-model-xm", "device_model",
		    xlcfg_line(cfg, "device_model"), NULL, "remove the line",
		    "device_model= is xm's: xl ignores it");
	key = strcmp(dm, XL_QEMU_XEN) == 0 ? "type" : "device_model_override";
	if (hvm && access(dm, X_OK) != 0)
		lint_add(r, LINT_ERROR, "dm-missing", key, xlcfg_line(cfg, key),
		    "xen-install", "apt-get install qemu-system-xen (xendeck "
		    "wizard xen-install does)", "an HVM guest needs its device "
		    "model, %s: %s", dm, strerror(errno));
	if (hvm)
		xl_lint_vnc(cfg, r);
	if ((user = xl_dm_user(cfg)) != NULL && *user == '\0')
		lint_add(r, LINT_ERROR, "dm-user-missing", "dm_restrict",
		    xlcfg_line(cfg, "dm_restrict"), NULL, "adduser --system "
		    "--no-create-home xen-qemuuser-shared, or remove "
		    "dm_restrict", "dm_restrict=1 runs the device model as "
		    "xen-qemuuser-range-base or xen-qemuuser-shared, and "
		    "neither user exists");
	else if (user != NULL) {
		/* Image files are opened by the device model (qdisk). */
		for (i = 0; i < cfg->ndisks; i++) {
			if (cfg->disks[i].target == NULL ||
			    stat(cfg->disks[i].target, &st) != 0 ||
			    !S_ISREG(st.st_mode) ||
			    iso_readable_by(cfg->disks[i].target, user,
			    &cause) == 0)
				continue;
			lint_add(r, LINT_ERROR, "disk-unreadable", "disk",
			    xlcfg_item_line(cfg, "disk", i), NULL, "let that "
			    "user read it (chmod/chgrp), or move it", "the "
			    "device model runs as %s: %s", user, cause);
			free(cause);
			cause = NULL;
		}
	}
	memset(&hi, 0, sizeof hi);
	if (xl_host_info(&hi, &cause) != 0) {
		free(cause);
		return;
	}
	if (hvm && !hi.hvm_enabled)
		lint_add(r, LINT_ERROR, "hvm-unavailable", "type",
		    xlcfg_line(cfg, "type"), "host-check", "turn on VT-x or "
		    "AMD-V in the firmware (xendeck wizard host-check says "
		    "what the CPU has)", "this Xen cannot run HVM guests "
		    "(xl info: no hvm in virt_caps)");
	lint_memory(r, cfg, hi.total_kb, hi.free_kb, 1);
}

/*
 * cd-eject and cd-insert: xl's own commands, on the domain's CD drive as
 * libxl keeps its configuration (the first cdrom, or the vdev asked for).
 */
static int
xl_cd_change(const char *dom, const char *vdev, const char *file,
    char **cause)
{
	libxl_domain_config	 dc;
	struct spawn_result	 res = { 0 };
	uint32_t		 domid;
	char			*cd = NULL, *err = NULL, *why, id[16];
	char			*argv[6];
	int			 i, rc = -1;

	if (xl_resolve_guest(dom, "change the CD of", &domid, cause) != 0)
		return (-1);
	libxl_domain_config_init(&dc);
	if (libxl_retrieve_domain_configuration(xl_ctx, domid, &dc,
	    NULL) != 0) {
		*cause = xprintf("%s: cannot read its configuration: %s", dom,
		    xl_why(0));
		goto out;
	}
	if (dc.c_info.type != LIBXL_DOMAIN_TYPE_HVM) {
		*cause = xprintf("%s is not an HVM guest: only an HVM guest "
		    "has a CD drive whose medium can change", dom);
		goto out;
	}
	for (i = 0; i < dc.num_disks && cd == NULL; i++) {
		if (dc.disks[i].is_cdrom && dc.disks[i].vdev != NULL &&
		    (vdev == NULL || strcmp(vdev, dc.disks[i].vdev) == 0))
			cd = xstrdup(dc.disks[i].vdev);
	}
	if (cd == NULL) {
		if (vdev != NULL)
			*cause = xprintf("%s has no CD drive %s", dom, vdev);
		else
			*cause = xprintf("%s has no CD drive (add one to its "
			    "disk=: \",hdc:cdrom,r\" for an empty one)", dom);
		goto out;
	}
	snprintf(id, sizeof id, "%u", domid);
	argv[0] = "xl";
	argv[1] = file != NULL ? "cd-insert" : "cd-eject";
	argv[2] = id;
	argv[3] = cd;
	argv[4] = (char *)file;
	argv[5] = NULL;
	if (spawn_run_timeout(argv, NULL, 0, 60000, &res, &err) != 0) {
		why = xl_create_why(res.err);
		*cause = xprintf("xl %s %s: %s", argv[1], dom, res.status != 0 ?
		    why : err);
		free(why);
		goto out;
	}
	log_info("%s: %s %s%s", dom, cd, file != NULL ? "holds " : "ejected",
	    file != NULL ? file : "");
	rc = 0;
out:
	libxl_domain_config_dispose(&dc);
	spawn_result_free(&res);
	free(err);
	free(cd);
	return (rc);
}

static int
xl_cd_eject(const char *dom, const char *vdev, char **cause)
{
	return (xl_cd_change(dom, vdev, NULL, cause));
}

static int
xl_cd_insert(const char *dom, const char *vdev, const char *file,
    char **cause)
{
	return (xl_cd_change(dom, vdev, file, cause));
}

const struct backend_ops backend_xl_ops = {
	.name = "xl",
	.probe = xl_probe,
	.host_info = xl_host_info,
	.list = xl_list,
	.create = xl_create,
	.shutdown = xl_shutdown,
	.reboot = xl_reboot,
	.destroy = xl_destroy,
	.pause = xl_pause,
	.unpause = xl_unpause,
	.console_open = xl_console_open,
	.console_log = xl_console_log,
	.vnc_endpoint = xl_vnc_endpoint,
	.sample = xl_sample,
	.config_path = xl_config_path,
	.supervisor_log = xl_supervisor_log,
	.disks = xl_disks,
	.cd_eject = xl_cd_eject,
	.cd_insert = xl_cd_insert,
	.lint = xl_lint,
	.vnc_password = xl_vnc_password,
};
