/*
 * The semantic layer of xl.cfg(5): struct xlcfg from the generic settings,
 * validated the way xl and libxl would validate them at `xl create` (and a
 * little stricter where xl would only fail later or silently ignore a
 * value). Keys xl knows but xendeck does not model are kept and checked
 * for their kind only; keys nobody knows are kept with a warning.
 *
 * This is the one place that says what a config means: every key is
 * validated here, once, with FILE:LINE:COL, and every default is filled
 * in here (marked in cfg->defaulted or a vif's defaulted, so the writer
 * leaves it out). A backend only maps the result (qemu-args.c) and checks
 * the host (files, bridges, ports), never the config again.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

struct known_key {
	const char	*name;
	enum xlcfg_kind	 kind;
};
#define K_ANY		XLCFG_KIND_ANY
#define K_STRING	XLCFG_KIND_STRING
#define K_INT		XLCFG_KIND_INT
#define K_BOOL		XLCFG_KIND_BOOL
#define K_LIST		XLCFG_KIND_LIST

/* Every key of xl.cfg(5) (Xen 4.17 and later), sorted for bsearch. */
static const struct known_key known_keys[] = {
	{ "acpi", K_BOOL },
	{ "acpi_firmware", K_STRING },
	{ "acpi_laptop_slate", K_BOOL },
	{ "acpi_s3", K_BOOL },
	{ "acpi_s4", K_BOOL },
	{ "altp2m", K_STRING },
	{ "altp2m_count", K_ANY },
	{ "altp2mhvm", K_BOOL },
	{ "apic", K_BOOL },
	{ "arm_sci", K_ANY },
	{ "bios", K_STRING },
	{ "bios_path_override", K_STRING },
	{ "boot", K_STRING },
	{ "bootloader", K_STRING },
	{ "bootloader_args", K_ANY },
	{ "bootloader_restrict", K_ANY },
	{ "bootloader_user", K_ANY },
	{ "builder", K_STRING },
	{ "cap", K_INT },
	{ "channel", K_LIST },
	{ "cmdline", K_STRING },
	{ "cpu_weight", K_INT },
	{ "cpuid", K_ANY },
	{ "cpus", K_ANY },
	{ "cpus_soft", K_ANY },
	{ "device_model", K_ANY },
	{ "device_model_args", K_LIST },
	{ "device_model_args_hvm", K_LIST },
	{ "device_model_args_pv", K_LIST },
	{ "device_model_override", K_STRING },
	{ "device_model_stubdomain_override", K_BOOL },
	{ "device_model_stubdomain_seclabel", K_STRING },
	{ "device_model_user", K_ANY },
	{ "device_model_version", K_STRING },
	{ "device_tree", K_ANY },
	{ "disk", K_LIST },
	{ "display", K_ANY },
	{ "dm_restrict", K_BOOL },
	{ "driver_domain", K_BOOL },
	{ "dtdev", K_LIST },
	{ "e820_host", K_BOOL },
	{ "extra", K_STRING },
	{ "extratime", K_ANY },
	{ "firmware", K_ANY },
	{ "firmware_override", K_ANY },
	{ "gfx_passthru", K_ANY },
	{ "gic_version", K_STRING },
	{ "hap", K_BOOL },
	{ "hdtype", K_ANY },
	{ "hpet", K_BOOL },
	{ "hvm_pirq", K_ANY },
	{ "init_seclabel", K_STRING },
	{ "iomem", K_LIST },
	{ "ioports", K_LIST },
	{ "irqs", K_LIST },
	{ "kernel", K_STRING },
	{ "keymap", K_STRING },
	{ "latency", K_ANY },
	{ "llc_colors", K_ANY },
	{ "localtime", K_BOOL },
	{ "max_event_channels", K_INT },
	{ "max_grant_frames", K_INT },
	{ "max_grant_version", K_INT },
	{ "max_maptrack_frames", K_INT },
	{ "maxmem", K_INT },
	{ "maxvcpus", K_INT },
	{ "mca_caps", K_LIST },
	{ "memory", K_INT },
	{ "mmio_hole", K_INT },
	{ "ms_vm_genid", K_STRING },
	{ "msr_relaxed", K_BOOL },
	{ "name", K_STRING },
	{ "nestedhvm", K_BOOL },
	{ "nographic", K_BOOL },
	{ "nomigrate", K_BOOL },
	{ "nr_spis", K_ANY },
	{ "nx", K_BOOL },
	{ "on_crash", K_STRING },
	{ "on_poweroff", K_STRING },
	{ "on_reboot", K_STRING },
	{ "on_soft_reset", K_STRING },
	{ "on_watchdog", K_STRING },
	{ "oos", K_BOOL },
	{ "opengl", K_BOOL },
	{ "p9", K_LIST },
	{ "pae", K_BOOL },
	{ "passthrough", K_STRING },
	{ "pci", K_LIST },
	{ "pci_msitranslate", K_BOOL },
	{ "pci_permissive", K_BOOL },
	{ "pci_power_mgmt", K_BOOL },
	{ "pci_seize", K_BOOL },
	{ "period", K_ANY },
	{ "pool", K_STRING },
	{ "pvcalls", K_LIST },
	{ "pvshim", K_BOOL },
	{ "pvshim_cmdline", K_STRING },
	{ "pvshim_extra", K_STRING },
	{ "pvshim_path", K_STRING },
	{ "ramdisk", K_STRING },
	{ "rdm", K_STRING },
	{ "rdm_mem_boundary", K_INT },
	{ "root", K_STRING },
	{ "rtc_timeoffset", K_INT },
	{ "sdl", K_BOOL },
	{ "seclabel", K_STRING },
	{ "serial", K_ANY },
	{ "shadow_memory", K_INT },
	{ "slice", K_ANY },
	{ "smbios", K_ANY },
	{ "smbios_firmware", K_STRING },
	{ "soundhw", K_STRING },
	{ "spice", K_BOOL },
	{ "spice_clipboard_sharing", K_BOOL },
	{ "spice_image_compression", K_STRING },
	{ "spice_streaming_video", K_STRING },
	{ "spiceagent_mouse", K_BOOL },
	{ "spicedisable_ticketing", K_BOOL },
	{ "spicehost", K_STRING },
	{ "spicepasswd", K_STRING },
	{ "spiceport", K_INT },
	{ "spicetls_port", K_INT },
	{ "spiceusbredirection", K_INT },
	{ "spicevdagent", K_BOOL },
	{ "stdvga", K_BOOL },
	{ "stubdomain_cmdline", K_STRING },
	{ "stubdomain_kernel", K_STRING },
	{ "stubdomain_memory", K_INT },
	{ "stubdomain_ramdisk", K_STRING },
	{ "sve", K_ANY },
	{ "tee", K_STRING },
	{ "timer_mode", K_ANY },
	{ "trap_unmapped_accesses", K_ANY },
	{ "tsc_mode", K_ANY },
	{ "type", K_STRING },
	{ "usb", K_BOOL },
	{ "usbctrl", K_LIST },
	{ "usbdev", K_LIST },
	{ "usbdevice", K_ANY },
	{ "usbversion", K_INT },
	{ "uuid", K_STRING },
	{ "vcpus", K_INT },
	{ "vdispl", K_LIST },
	{ "vendor_device", K_STRING },
	{ "vfb", K_LIST },
	{ "vga", K_STRING },
	{ "videoram", K_INT },
	{ "vif", K_LIST },
	{ "vif2", K_ANY },
	{ "viridian", K_ANY },
	{ "virtio", K_ANY },
	{ "vkb", K_LIST },
	{ "vkb_device", K_BOOL },
	{ "vmtrace_buf_kb", K_INT },
	{ "vnc", K_BOOL },
	{ "vncdisplay", K_INT },
	{ "vnclisten", K_STRING },
	{ "vncpasswd", K_STRING },
	{ "vncunused", K_BOOL },
	{ "vncviewer", K_ANY },
	{ "vnuma", K_LIST },
	{ "vpmu", K_BOOL },
	{ "vpt_align", K_BOOL },
	{ "vsnd", K_LIST },
	{ "vtpm", K_LIST },
	{ "vuart", K_STRING },
	{ "xauthority", K_ANY },
	{ "xen_platform_pci", K_BOOL },
	{ "xen_platform_pci_bar_uc", K_ANY },
	{ "xend_suspend_evtchn_compat", K_BOOL },
	{ "xenstore_feature_mask", K_ANY },
	{ "xenstore_quota", K_ANY },
};

static int
key_cmp(const void *a, const void *b)
{
	return (strcmp(a, ((const struct known_key *)b)->name));
}

enum xlcfg_kind
xlcfg_key_kind(const char *name)
{
	const struct known_key	*k;

	k = bsearch(name, known_keys, nitems(known_keys), sizeof *k, key_cmp);
	return (k != NULL ? k->kind : XLCFG_KIND_UNKNOWN);
}

/* A number as xl's xlu_cfg_get_long reads it: strtol(s, &ep, 0), all used. */
int
xlcfg_number(const char *s, long long *out)
{
	char	*ep;
	long	 l;

	errno = 0;
	l = strtol(s, &ep, 0);
	if (errno != 0 || ep == s || *ep != '\0')
		return (-1);
	*out = l;
	return (0);
}

static const char *action_names[] = {
	[XLCFG_ACT_DESTROY] = "destroy",
	[XLCFG_ACT_RESTART] = "restart",
	[XLCFG_ACT_RENAME_RESTART] = "rename-restart",
	[XLCFG_ACT_PRESERVE] = "preserve",
	[XLCFG_ACT_COREDUMP_DESTROY] = "coredump-destroy",
	[XLCFG_ACT_COREDUMP_RESTART] = "coredump-restart",
	[XLCFG_ACT_SOFT_RESET] = "soft-reset",
};

const char *
xlcfg_action_name(enum xlcfg_action a)
{
	if ((size_t)a >= nitems(action_names))
		return ("?");
	return (action_names[a]);
}

int
xlcfg_action_parse(const char *s, enum xlcfg_action *a)
{
	size_t	 i;

	for (i = 0; i < nitems(action_names); i++) {
		if (strcmp(s, action_names[i]) == 0) {
			*a = (enum xlcfg_action)i;
			return (0);
		}
	}
	return (-1);
}

const char *
xlcfg_type_name(enum xlcfg_type t)
{
	switch (t) {
	case XLCFG_TYPE_PV:
		return ("pv");
	case XLCFG_TYPE_HVM:
		return ("hvm");
	case XLCFG_TYPE_PVH:
		return ("pvh");
	}
	return ("?");
}

/* 8-4-4-4-12 hex digits, as libxl_uuid_from_string wants. */
int
xlcfg_valid_uuid(const char *s)
{
	size_t	 i;

	if (strlen(s) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (strchr("0123456789abcdefABCDEF", s[i]) == NULL ||
		    s[i] == '\0')
			return (0);
	}
	return (1);
}

void
xlcfg_sem_init(struct xlcfg *cfg)
{
	cfg->type = XLCFG_TYPE_PV;
	cfg->memory = cfg->maxmem = -1;
	cfg->vcpus = cfg->maxvcpus = -1;
	cfg->acpi = cfg->vnc = cfg->vncdisplay = cfg->vncunused = -1;
	cfg->sdl = -1;
	cfg->on_poweroff = XLCFG_ACT_DESTROY;
	cfg->on_reboot = XLCFG_ACT_RESTART;
	cfg->on_crash = XLCFG_ACT_DESTROY;
}

/* The error for a setting: "FILE:LINE:COL: KEY: message". */
static int printflike(4, 5)
sem_error(struct xlcfg *cfg, const struct xlcfg_setting *set, char **cause,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (set != NULL)
		*cause = xprintf("%s:%d:%d: %s: %s", cfg->path,
		    set->value->line, set->value->col, set->name, msg);
	else
		*cause = xprintf("%s:1:1: %s", cfg->path, msg);
	free(msg);
	return (-1);
}

/* A string key; 1 if set, 0 if absent, -1 on error. */
static int
get_string(struct xlcfg *cfg, const char *name, char **out, char **cause)
{
	const struct xlcfg_setting	*set;

	if ((set = xlcfg_get(cfg, name)) == NULL)
		return (0);
	if (set->value->type != XLCFG_STRING)
		return (sem_error(cfg, set, cause, "is a list, but should be "
		    "a single value"));
	free(*out);
	*out = xstrdup(set->value->str);
	return (1);
}

/* A number key within [min, max]; 1 if set, 0 if absent, -1 on error. */
static int
get_number(struct xlcfg *cfg, const char *name, long long min, long long max,
    long long *out, char **cause)
{
	const struct xlcfg_setting	*set;

	if ((set = xlcfg_get(cfg, name)) == NULL)
		return (0);
	if (set->value->type != XLCFG_STRING)
		return (sem_error(cfg, set, cause, "is a list, but should be "
		    "a number"));
	if (set->append)
		return (sem_error(cfg, set, cause, "'+=' can't be used with "
		    "a number"));
	if (xlcfg_number(set->value->str, out) != 0)
		return (sem_error(cfg, set, cause, "'%s' is not a number",
		    set->value->str));
	if (*out < min || *out > max)
		return (sem_error(cfg, set, cause, "%lld is out of range "
		    "(%lld to %lld)", *out, min, max));
	return (1);
}

/* A BOOLEAN key (any number; 0 is false); -1 unset. */
static int
get_bool(struct xlcfg *cfg, const char *name, int *out, char **cause)
{
	long long	 v;
	int		 rc;

	if ((rc = get_number(cfg, name, LLONG_MIN, LLONG_MAX, &v,
	    cause)) == 1)
		*out = v != 0;
	return (rc);
}

/* A list of strings (or, with allow_string, a single string). */
static int
get_strlist(struct xlcfg *cfg, const char *name, char ***out, char **cause)
{
	const struct xlcfg_setting	*set;
	size_t				 i;

	if ((set = xlcfg_get(cfg, name)) == NULL)
		return (0);
	if (set->value->type != XLCFG_LIST)
		return (sem_error(cfg, set, cause, "is a single value, but "
		    "should be a list"));
	strv_free(*out);
	*out = xcalloc(1, sizeof **out);
	for (i = 0; i < set->value->nitems; i++) {
		if (set->value->items[i]->type != XLCFG_STRING) {
			strv_free(*out);
			*out = NULL;
			return (sem_error(cfg, set, cause, "item %zu is a "
			    "list, but should be a string", i + 1));
		}
		strv_push(out, set->value->items[i]->str);
	}
	return (1);
}

static int
sem_name(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;
	int				 rc;

	if ((rc = get_string(cfg, "name", &cfg->name, cause)) < 0)
		return (-1);
	if (rc == 0)
		return (sem_error(cfg, NULL, cause, "name is not set (every "
		    "domain needs one)"));
	set = xlcfg_get(cfg, "name");
	if (*cfg->name == '.' || *cfg->name == '-')
		return (sem_error(cfg, set, cause, "'%s' starts with '%c' (a "
		    "name starts with a letter, a digit or '_': a leading '.' "
		    "hides it, a leading '-' is taken for an option)",
		    cfg->name, *cfg->name));
	if (!valid_name(cfg->name))
		return (sem_error(cfg, set, cause, "'%s' is not a valid domain "
		    "name (1 to %d letters, digits, '_', '.', '-')", cfg->name,
		    NAME_MAX_LEN));
	if (strspn(cfg->name, "0123456789") == strlen(cfg->name))
		return (sem_error(cfg, set, cause, "'%s' is a number, which "
		    "would be taken for a domain id", cfg->name));
	if (strcmp(cfg->name, "Domain-0") == 0)
		return (sem_error(cfg, set, cause, "Domain-0 is the host"));
	return (0);
}

static int
sem_type(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;
	char				*s = NULL;
	enum xlcfg_type			 btype;
	int				 rc;

	if ((rc = get_string(cfg, "type", &s, cause)) < 0)
		return (-1);
	if (rc == 1) {
		set = xlcfg_get(cfg, "type");
		if (strcmp(s, "pv") == 0)
			cfg->type = XLCFG_TYPE_PV;
		else if (strcmp(s, "hvm") == 0)
			cfg->type = XLCFG_TYPE_HVM;
		else if (strcmp(s, "pvh") == 0)
			cfg->type = XLCFG_TYPE_PVH;
		else {
			rc = sem_error(cfg, set, cause, "'%s' is not pv, hvm "
			    "or pvh", s);
			free(s);
			return (rc);
		}
		cfg->type_set = 1;
	}
	free(s);
	s = NULL;
	if ((rc = get_string(cfg, "builder", &s, cause)) < 0)
		return (-1);
	if (rc == 1) {
		set = xlcfg_get(cfg, "builder");
		if (strcmp(s, "hvm") == 0)
			btype = XLCFG_TYPE_HVM;
		else if (strcmp(s, "generic") == 0)
			btype = XLCFG_TYPE_PV;
		else {
			rc = sem_error(cfg, set, cause, "'%s' is not hvm or "
			    "generic", s);
			free(s);
			return (rc);
		}
		free(s);
		if (cfg->type_set && cfg->type != btype)
			return (sem_error(cfg, set, cause, "contradicts "
			    "type=%s", xlcfg_type_name(cfg->type)));
		cfg->type = btype;
		cfg->type_set = 1;
		xlcfg_warn(cfg, set->line, "builder= is deprecated, use "
		    "type=\"%s\"", xlcfg_type_name(btype));
	}
	return (0);
}

/* memory, maxmem, vcpus, maxvcpus. */
static int
sem_sizes(struct xlcfg *cfg, char **cause)
{
	long long	 v;
	int		 rc;

	/* MiB: up to 16 TiB, what a Xen host can hand one domain. */
	if ((rc = get_number(cfg, "memory", 1, 16LL << 20, &v, cause)) < 0)
		return (-1);
	if (rc == 1)
		cfg->memory = v;
	if ((rc = get_number(cfg, "maxmem", 1, 16LL << 20, &v, cause)) < 0)
		return (-1);
	if (rc == 1) {
		cfg->maxmem = v;
		if (cfg->memory != -1 && cfg->maxmem < cfg->memory)
			return (sem_error(cfg, xlcfg_get(cfg, "maxmem"), cause,
			    "%lld MiB is less than memory (%lld MiB)",
			    (long long)cfg->maxmem, (long long)cfg->memory));
	}
	if ((rc = get_number(cfg, "vcpus", 1, 4096, &v, cause)) < 0)
		return (-1);
	if (rc == 1)
		cfg->vcpus = (int)v;
	if ((rc = get_number(cfg, "maxvcpus", 1, 4096, &v, cause)) < 0)
		return (-1);
	if (rc == 1) {
		cfg->maxvcpus = (int)v;
		if (cfg->vcpus != -1 && cfg->maxvcpus < cfg->vcpus)
			return (sem_error(cfg, xlcfg_get(cfg, "maxvcpus"),
			    cause, "%d is less than vcpus (%d)", cfg->maxvcpus,
			    cfg->vcpus));
	}
	/*
	 * The defaults: 128 MiB (never above an explicit maxmem), maxmem =
	 * memory, 1 vcpu, maxvcpus = vcpus.
	 */
	if (cfg->memory == -1) {
		cfg->memory = cfg->maxmem != -1 && cfg->maxmem < 128 ?
		    cfg->maxmem : 128;
		cfg->defaulted |= XLCFG_DEF_MEMORY;
	}
	if (cfg->maxmem == -1) {
		cfg->maxmem = cfg->memory;
		cfg->defaulted |= XLCFG_DEF_MAXMEM;
	}
	if (cfg->vcpus == -1) {
		cfg->vcpus = 1;
		cfg->defaulted |= XLCFG_DEF_VCPUS;
	}
	if (cfg->maxvcpus == -1) {
		cfg->maxvcpus = cfg->vcpus;
		cfg->defaulted |= XLCFG_DEF_MAXVCPUS;
	}
	return (0);
}

/* kernel, ramdisk, cmdline, root, extra, bootloader, bootloader_args. */
static int
sem_boot(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;
	const char			*p;
	size_t				 n;

	if (get_string(cfg, "kernel", &cfg->kernel, cause) < 0 ||
	    get_string(cfg, "ramdisk", &cfg->ramdisk, cause) < 0 ||
	    get_string(cfg, "cmdline", &cfg->cmdline, cause) < 0 ||
	    get_string(cfg, "root", &cfg->root, cause) < 0 ||
	    get_string(cfg, "extra", &cfg->extra, cause) < 0 ||
	    get_string(cfg, "bootloader", &cfg->bootloader, cause) < 0)
		return (-1);
	if (cfg->cmdline != NULL && (cfg->root != NULL || cfg->extra != NULL))
		xlcfg_warn(cfg, xlcfg_get(cfg, "cmdline")->line, "root= and "
		    "extra= are ignored in favour of cmdline=");

	set = xlcfg_get(cfg, "bootloader_args");
	if (set != NULL && set->value->type == XLCFG_STRING) {
		/* Deprecated form: one string, split on blanks like xl. */
		xlcfg_warn(cfg, set->line, "bootloader_args as a string is "
		    "deprecated, use a list");
		cfg->bootloader_args = xcalloc(1, sizeof *cfg->bootloader_args);
		for (p = set->value->str; *p != '\0'; p += n) {
			p += strspn(p, " \t\n");
			if ((n = strcspn(p, " \t\n")) > 0) {
				char	*w = xstrndup(p, n);

				strv_push(&cfg->bootloader_args, w);
				free(w);
			}
		}
	} else if (get_strlist(cfg, "bootloader_args", &cfg->bootloader_args,
	    cause) < 0)
		return (-1);
	return (0);
}

/*
 * vnc, vnclisten = "ADDRESS[:DISPLAYNUM]" (a host name, an IPv4 address,
 * an IPv6 one in brackets when a display follows), vncdisplay, vncunused:
 * into vnc_host (NULL: no TCP listener), vnc_display (where to listen or
 * to start searching) and vnc_search. xl gives an HVM guest VNC unless
 * told otherwise, a PV guest only when asked; vncunused defaults to 1, and
 * an explicit vncdisplay means that display exactly.
 */
static int
sem_vnc(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set = xlcfg_get(cfg, "vnclisten");
	const char			*addr, *colon, *disp = NULL;
	char				*end;
	size_t				 alen;
	long				 d;

	if (cfg->vnc == -1) {
		cfg->vnc = cfg->type == XLCFG_TYPE_HVM;
		cfg->defaulted |= XLCFG_DEF_VNC;
	}
	if (cfg->vncunused == -1) {
		cfg->vncunused = 1;
		cfg->defaulted |= XLCFG_DEF_VNCUNUSED;
	}
	cfg->vnc_display = cfg->vncdisplay != -1 ? cfg->vncdisplay : 0;
	cfg->vnc_search = cfg->vncunused && cfg->vncdisplay == -1;
	if (cfg->vnclisten == NULL || *cfg->vnclisten == '\0')
		return (0);
	addr = cfg->vnclisten;
	alen = strlen(addr);
	colon = strrchr(addr, ':');
	if (addr[0] == '[') {
		if ((end = strchr(addr, ']')) == NULL || (end[1] != '\0' &&
		    end[1] != ':'))
			goto bad;
		if (end[1] == ':')
			disp = end + 2;
		addr++;
		alen = (size_t)(end - addr);
	} else if (colon != NULL && strchr(addr, ':') == colon) {
		disp = colon + 1;
		alen = (size_t)(colon - addr);
	}
	if (alen == 0 || strspn(addr, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789.:-_") < alen)
		goto bad;
	if (disp != NULL) {
		if (!all_digits(disp) || strlen(disp) > 5 ||
		    (d = strtol(disp, &end, 10)) > VNC_DISPLAY_MAX)
			return (sem_error(cfg, set, cause, "display '%s' is "
			    "not a number from 0 to %d (port 5900 + display)",
			    disp, VNC_DISPLAY_MAX));
		if (cfg->vncdisplay != -1 && cfg->vncdisplay != (int)d)
			return (sem_error(cfg, set, cause, "display %ld "
			    "contradicts vncdisplay=%d", d, cfg->vncdisplay));
		cfg->vnc_display = (int)d;
	}
	cfg->vnc_host = xstrndup(addr, alen);
	return (0);
bad:
	return (sem_error(cfg, set, cause, "'%s' is not an address "
	    "(ADDRESS[:DISPLAYNUM])", cfg->vnclisten));
}

static const char *keymaps[] = {
	"ar", "bepo", "cz", "da", "de", "de-ch", "en-gb", "en-us", "es", "et",
	"fi", "fo", "fr", "fr-be", "fr-ca", "fr-ch", "hr", "hu", "is", "it",
	"ja", "lt", "lv", "mk", "nl", "nl-be", "no", "pl", "pt", "pt-br", "ru",
	"sl", "sv", "th", "tr", NULL
};

/* boot, acpi, vnc*, sdl, serial, keymap, device_model_version. */
static int
sem_devices(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;
	long long			 v;
	char				**list = NULL;
	size_t				 i;
	int				 rc;

	if (get_string(cfg, "boot", &cfg->boot, cause) < 0)
		return (-1);
	if (cfg->boot != NULL && (*cfg->boot == '\0' ||
	    strlen(cfg->boot) > 4 || strspn(cfg->boot, "acdn") !=
	    strlen(cfg->boot)))
		return (sem_error(cfg, xlcfg_get(cfg, "boot"), cause, "'%s' is "
		    "not a boot order (c disk, d cdrom, n network, a floppy; "
		    "e.g. \"dc\")", cfg->boot));
	if (get_bool(cfg, "acpi", &cfg->acpi, cause) < 0 ||
	    get_bool(cfg, "vnc", &cfg->vnc, cause) < 0 ||
	    get_bool(cfg, "vncunused", &cfg->vncunused, cause) < 0 ||
	    get_bool(cfg, "sdl", &cfg->sdl, cause) < 0 ||
	    get_string(cfg, "vnclisten", &cfg->vnclisten, cause) < 0 ||
	    get_string(cfg, "vncpasswd", &cfg->vncpasswd, cause) < 0 ||
	    get_string(cfg, "keymap", &cfg->keymap, cause) < 0)
		return (-1);
	if (cfg->acpi == -1) {
		cfg->acpi = 1;
		cfg->defaulted |= XLCFG_DEF_ACPI;
	}
	if (cfg->sdl == -1) {
		cfg->sdl = 0;
		cfg->defaulted |= XLCFG_DEF_SDL;
	}
	/* VNC display N is TCP port 5900+N. */
	if ((rc = get_number(cfg, "vncdisplay", 0, VNC_DISPLAY_MAX, &v,
	    cause)) < 0)
		return (-1);
	if (rc == 1)
		cfg->vncdisplay = (int)v;
	if (sem_vnc(cfg, cause) != 0)
		return (-1);
	if (cfg->keymap != NULL) {
		for (i = 0; keymaps[i] != NULL; i++) {
			if (strcmp(keymaps[i], cfg->keymap) == 0)
				break;
		}
		if (keymaps[i] == NULL)
			xlcfg_warn(cfg, xlcfg_get(cfg, "keymap")->line,
			    "keymap '%s' is not one QEMU ships", cfg->keymap);
	}

	set = xlcfg_get(cfg, "serial");
	if (set != NULL && set->value->type == XLCFG_LIST) {
		if (get_strlist(cfg, "serial", &list, cause) < 0)
			return (-1);
		if (list[0] != NULL)
			cfg->serial = xstrdup(list[0]);
		if (list[0] != NULL && list[1] != NULL)
			xlcfg_warn(cfg, set->line, "only the first serial "
			    "port is used by the QEMU backend");
		strv_free(list);
	} else if (get_string(cfg, "serial", &cfg->serial, cause) < 0)
		return (-1);

	if (get_string(cfg, "device_model_version",
	    &cfg->device_model_version, cause) < 0)
		return (-1);
	set = xlcfg_get(cfg, "device_model_version");
	if (cfg->device_model_version != NULL) {
		if (strcmp(cfg->device_model_version,
		    "qemu-xen-traditional") == 0)
			xlcfg_warn(cfg, set->line, "qemu-xen-traditional is "
			    "gone from current Xen (Debian builds only "
			    "qemu-xen)");
		else if (strcmp(cfg->device_model_version, "qemu-xen") != 0)
			return (sem_error(cfg, set, cause, "'%s' is not "
			    "qemu-xen or qemu-xen-traditional",
			    cfg->device_model_version));
	}
	return (0);
}

static int
sem_actions(struct xlcfg *cfg, char **cause)
{
	static const char	*keys[] = { "on_poweroff", "on_reboot",
	    "on_crash", "on_watchdog", "on_soft_reset" };
	enum xlcfg_action	 a, *where[] = { &cfg->on_poweroff,
	    &cfg->on_reboot, &cfg->on_crash, NULL, NULL };
	char			*s = NULL;
	size_t			 i;
	int			 rc;

	for (i = 0; i < nitems(keys); i++) {
		if ((rc = get_string(cfg, keys[i], &s, cause)) < 0)
			return (-1);
		if (rc == 0)
			continue;
		if (xlcfg_action_parse(s, &a) != 0) {
			rc = sem_error(cfg, xlcfg_get(cfg, keys[i]), cause,
			    "'%s' is not an action (destroy, restart, "
			    "rename-restart, preserve, coredump-destroy, "
			    "coredump-restart, soft-reset)", s);
			free(s);
			return (rc);
		}
		if (where[i] != NULL)
			*where[i] = a;
	}
	free(s);
	return (0);
}

static int
sem_disks(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;
	struct xlcfg_value		*item;
	struct xlcfg_disk		*d;
	struct xlcfg_strset		*vdevs = NULL;
	char				*why = NULL, key[64];
	size_t				 i, j;
	long				 dnum, pnum, d2, p2;
	int				 rc = 0;

	if ((set = xlcfg_get(cfg, "disk")) == NULL)
		return (0);
	if (set->value->type != XLCFG_LIST)
		return (sem_error(cfg, set, cause, "is a single value, but "
		    "should be a list: disk = [ '...' ]"));
	cfg->disks = xcalloc(set->value->nitems, sizeof *cfg->disks);
	vdevs = xlcfg_strset_new();
	for (i = 0; i < set->value->nitems; i++) {
		item = set->value->items[i];
		if (item->type != XLCFG_STRING) {
			*cause = xprintf("%s:%d:%d: disk: item %zu is a list, "
			    "but should be a string", cfg->path, item->line,
			    item->col, i + 1);
			rc = -1;
			goto out;
		}
		d = &cfg->disks[cfg->ndisks];
		if (xlcfg_parse_disk(item->str, d, &why) != 0)
			goto bad;
		cfg->ndisks++;
		if (d->target != NULL && *d->target == '\0') {
			why = xprintf("disk '%s': empty target (only a cdrom "
			    "may be empty)", item->str);
			goto bad;
		}
		if (d->target != NULL && strchr(d->target, '\n') != NULL) {
			why = xprintf("disk '%s': the target holds a newline",
			    item->str);
			goto bad;
		}
		if (!xlcfg_valid_vdev(d->vdev)) {
			why = xprintf("disk '%s': '%s' is not a virtual device "
			    "(xvda, xvda2, hda, hdc, sdb, ...)", item->str,
			    d->vdev);
			goto bad;
		}
		/* hda, sda, xvda, d0p0 are one disk: by number, not name. */
		xlcfg_vdev_number(d->vdev, &dnum, &pnum);
		snprintf(key, sizeof key, "%ld:%ld", dnum, pnum);
		if (xlcfg_strset_add(vdevs, key)) {
			for (j = 0; j + 1 < cfg->ndisks; j++) {
				xlcfg_vdev_number(cfg->disks[j].vdev, &d2, &p2);
				if (d2 == dnum && p2 == pnum)
					break;
			}
			if (strcmp(cfg->disks[j].vdev, d->vdev) == 0)
				why = xprintf("disk '%s': vdev %s is used "
				    "twice", item->str, d->vdev);
			else
				why = xprintf("disk '%s': vdev %s is the same "
				    "disk as %s", item->str, d->vdev,
				    cfg->disks[j].vdev);
			goto bad;
		}
	}
	goto out;
bad:
	*cause = xprintf("%s:%d:%d: %s", cfg->path, item->line, item->col, why);
	free(why);
	rc = -1;
out:
	xlcfg_strset_free(vdevs);
	return (rc);
}

/* Linux interface names: at most 15 bytes (IFNAMSIZ), no leading '-'. */
static int
valid_ifname(const char *s)
{
	return (valid_name(s) && strlen(s) <= 15);
}

/* A NIC model name, as a device model takes it: e1000, rtl8139, ... */
static int
valid_model(const char *s)
{
	return (*s != '\0' && *s != '-' && strlen(s) <= 32 && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s));
}

/*
 * vif=: each entry parsed (xlcfg-vif.c fills bridge and script), then its
 * defaults by the guest's type (type ioemu for HVM, vif otherwise; model
 * rtl8139 for an emulated HVM NIC), then checked: interface names for the
 * bridge and vifname, a model name, no MAC and no vifname used twice.
 */
static int
sem_vifs(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;
	struct xlcfg_value		*item = NULL;
	struct xlcfg_vif		*v;
	struct xlcfg_strset		*macs = NULL, *names = NULL;
	char				*why = NULL;
	size_t				 i, j;
	int				 rc = -1;

	if ((set = xlcfg_get(cfg, "vif")) == NULL)
		return (0);
	if (set->value->type != XLCFG_LIST)
		return (sem_error(cfg, set, cause, "is a single value, but "
		    "should be a list: vif = [ '...' ]"));
	cfg->vifs = xcalloc(set->value->nitems, sizeof *cfg->vifs);
	macs = xlcfg_strset_new();
	names = xlcfg_strset_new();
	for (i = 0; i < set->value->nitems; i++) {
		item = set->value->items[i];
		if (item->type != XLCFG_STRING) {
			*cause = xprintf("%s:%d:%d: vif: item %zu is a list, "
			    "but should be a string", cfg->path, item->line,
			    item->col, i + 1);
			goto out;
		}
		v = &cfg->vifs[cfg->nvifs];
		if (xlcfg_parse_vif(item->str, v, &why) != 0) {
			*cause = xprintf("%s:%d:%d: %s", cfg->path, item->line,
			    item->col, why);
			free(why);
			goto out;
		}
		cfg->nvifs++;
		for (j = 0; v->warnings != NULL && v->warnings[j] != NULL; j++)
			xlcfg_warn(cfg, item->line, "vif '%s': %s", item->str,
			    v->warnings[j]);
		strv_free(v->warnings);
		v->warnings = NULL;
		if (v->type == NULL) {
			v->type = xstrdup(cfg->type == XLCFG_TYPE_HVM ?
			    "ioemu" : "vif");
			v->defaulted |= XLCFG_VIF_DEF_TYPE;
		}
		if (v->model == NULL && cfg->type == XLCFG_TYPE_HVM &&
		    strcmp(v->type, "ioemu") == 0) {
			v->model = xstrdup(XLCFG_DEFAULT_NIC_MODEL);
			v->defaulted |= XLCFG_VIF_DEF_MODEL;
		}
		if (v->vifname != NULL && !valid_ifname(v->vifname))
			why = xprintf("vifname '%s' is not an interface name "
			    "(1 to 15 letters, digits, '_', '.', '-', not "
			    "starting with '.' or '-')", v->vifname);
		else if (!valid_ifname(v->bridge))
			why = xprintf("bridge '%s' is not an interface name "
			    "(1 to 15 letters, digits, '_', '.', '-', not "
			    "starting with '.' or '-')", v->bridge);
		else if (v->model != NULL && !valid_model(v->model))
			why = xprintf("model '%s' is not a NIC model (e1000, "
			    "rtl8139, virtio-net, ...)", v->model);
		else if (v->mac != NULL && xlcfg_strset_add(macs, v->mac))
			why = xprintf("mac %s is used twice", v->mac);
		else if (v->vifname != NULL && xlcfg_strset_add(names,
		    v->vifname))
			why = xprintf("vifname %s is used twice", v->vifname);
		if (why != NULL) {
			*cause = xprintf("%s:%d:%d: vif '%s': %s", cfg->path,
			    item->line, item->col, item->str, why);
			free(why);
			goto out;
		}
	}
	rc = 0;
out:
	xlcfg_strset_free(macs);
	xlcfg_strset_free(names);
	return (rc);
}

/*
 * Keys xendeck does not model: check the kind xl.cfg(5) gives them, as a
 * warning (xl warns and ignores such a value). Unknown keys: a warning.
 * A key assigned twice: a note that the later one wins.
 */
static void
sem_others(struct xlcfg *cfg)
{
	const struct xlcfg_setting	*set, *prev;
	enum xlcfg_kind			 kind;
	long long			 v;
	size_t				 i;

	for (i = 0; i < cfg->nsettings; i++) {
		set = &cfg->settings[i];
		prev = xlcfg_prev(cfg, i);
		if (prev != NULL && !set->append)
			xlcfg_warn(cfg, set->line, "'%s' set again (line %d's "
			    "value is replaced)", set->name, prev->line);
		if (prev != NULL)
			continue;	/* one report per key */
		kind = xlcfg_key_kind(set->name);
		set = xlcfg_get(cfg, set->name);
		switch (kind) {
		case XLCFG_KIND_UNKNOWN:
			xlcfg_warn(cfg, cfg->settings[i].line, "unknown key "
			    "'%s' (kept)", set->name);
			break;
		case XLCFG_KIND_INT:
		case XLCFG_KIND_BOOL:
			if (set->value->type != XLCFG_STRING ||
			    xlcfg_number(set->value->str, &v) != 0 ||
			    set->append)
				xlcfg_warn(cfg, set->line, "'%s' should be a "
				    "number (xl ignores this value)",
				    set->name);
			break;
		case XLCFG_KIND_STRING:
			if (set->value->type != XLCFG_STRING)
				xlcfg_warn(cfg, set->line, "'%s' should be a "
				    "single value (xl ignores this list)",
				    set->name);
			break;
		case XLCFG_KIND_LIST:
			if (set->value->type != XLCFG_LIST)
				xlcfg_warn(cfg, set->line, "'%s' should be a "
				    "list (xl ignores this value)", set->name);
			break;
		case XLCFG_KIND_ANY:
			break;
		}
	}
}

/* Fill the semantic fields of cfg from its settings. */
int
xlcfg_sem_build(struct xlcfg *cfg, char **cause)
{
	const struct xlcfg_setting	*set;

	sem_others(cfg);
	if (sem_name(cfg, cause) != 0 ||
	    sem_type(cfg, cause) != 0 ||
	    sem_sizes(cfg, cause) != 0 ||
	    get_string(cfg, "uuid", &cfg->uuid, cause) < 0)
		return (-1);
	if (cfg->uuid != NULL && !xlcfg_valid_uuid(cfg->uuid))
		return (sem_error(cfg, xlcfg_get(cfg, "uuid"), cause, "'%s' is "
		    "not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
		    cfg->uuid));
	if (sem_boot(cfg, cause) != 0 ||
	    sem_devices(cfg, cause) != 0 ||
	    sem_actions(cfg, cause) != 0 ||
	    sem_disks(cfg, cause) != 0 ||
	    sem_vifs(cfg, cause) != 0)
		return (-1);
	if (cfg->type == XLCFG_TYPE_PV && cfg->kernel == NULL &&
	    cfg->bootloader == NULL) {
		set = xlcfg_get(cfg, "type");
		xlcfg_warn(cfg, set != NULL ? set->line : 0, "a PV domain "
		    "needs kernel= or bootloader=");
	}
	return (0);
}
