/*
 * check-config: read an xl.cfg(5) file the way xl does, validate it, and
 * print what it means: a summary for people, or one JSON object for
 * scripts (the xl.cfg keys with typed values, disks and vifs as objects,
 * and the warnings). Values come from a file anyone may have written:
 * every line is escaped for the terminal (term_escape), the JSON too.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"

static int	cmd_check_config_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_check_config_entry = {
	.name = "check-config",
	.usage = "[--json] FILE | --lint [--json] FILE",
	.summary = "check an xl.cfg domain configuration file",
	.help =
	    "Reads FILE as xl reads a domain configuration (xl.cfg(5), with\n"
	    "disk and vif entries per xl-disk-configuration(5) and\n"
	    "xl-network-configuration(5)), validates every value and prints\n"
	    "a summary. Unknown keys are kept and reported as warnings.\n"
	    "\n"
	    "  --json   print one JSON object instead: the xl.cfg keys with\n"
	    "           typed values (numbers as numbers, BOOLEAN keys as\n"
	    "           true/false, lists as arrays), \"disk\" and \"vif\" as\n"
	    "           arrays of objects (defaults filled in), \"type\" when\n"
	    "           builder= gave it, and a \"warnings\" array.\n"
	    "\n"
	    "  --lint   check it against this host and backend as well:\n"
	    "           every disk target there and readable (an LV, an\n"
	    "           image, an ISO), every bridge there, the VNC port\n"
	    "           free, the memory there, the name not running, a\n"
	    "           pygrub disk with a GRUB menu, keys obsolete or\n"
	    "           ignored on this backend, a VNC screen with no\n"
	    "           password. Each finding is FILE:LINE: error|warning:\n"
	    "           KEY: what, then a line of fix naming the wizard that\n"
	    "           fixes it where there is one. With --json: one object\n"
	    "           with a \"findings\" array.\n"
	    "\n"
	    "Exit status: 0 valid, 1 invalid (the error names FILE:LINE:COL),\n"
	    "2 usage. With --lint: 1 when anything would stop `create`, 0\n"
	    "with warnings only.\n",
	.exec = cmd_check_config_exec,
};

static json_t *
json_value(const struct xlcfg_value *v)
{
	json_t		*a;
	long long	 n;
	size_t		 i;

	if (v->type == XLCFG_STRING) {
		if (v->number && xlcfg_number(v->str, &n) == 0)
			return (json_integer(n));
		return (json_string(v->str));
	}
	a = json_array();
	for (i = 0; i < v->nitems; i++)
		json_array_append_new(a, json_value(v->items[i]));
	return (a);
}

static void
set_str(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, json_string(value));
}

static json_t *
json_disk(const struct xlcfg_disk *d)
{
	json_t	*o = json_object();

	json_object_set_new(o, "target", d->target != NULL ?
	    json_string(d->target) : json_null());
	set_str(o, "format", d->format);
	set_str(o, "vdev", d->vdev);
	set_str(o, "access", d->readwrite ? "rw" : "r");
	set_str(o, "devtype", d->cdrom ? "cdrom" : "disk");
	set_str(o, "backendtype", d->backendtype);
	set_str(o, "specification", d->specification);
	set_str(o, "backend", d->backend);
	set_str(o, "script", d->script);
	if (d->direct_io_safe)
		json_object_set_new(o, "direct-io-safe", json_true());
	if (d->discard != -1)
		json_object_set_new(o, "discard", json_boolean(d->discard));
	set_str(o, "spec", d->spec);
	return (o);
}

static json_t *
json_vif(const struct xlcfg_vif *v)
{
	json_t	*o = json_object();

	set_str(o, "mac", v->mac);
	set_str(o, "bridge", v->bridge);
	set_str(o, "model", v->model);
	set_str(o, "type", v->type);
	set_str(o, "vifname", v->vifname);
	set_str(o, "script", v->script);
	set_str(o, "ip", v->ip);
	set_str(o, "rate", v->rate);
	if (v->rate != NULL) {
		json_object_set_new(o, "rate_bytes_per_interval",
		    json_integer((json_int_t)v->rate_bytes_per_interval));
		json_object_set_new(o, "rate_interval_usecs",
		    json_integer((json_int_t)v->rate_interval_usecs));
	}
	if (v->mtu != -1)
		json_object_set_new(o, "mtu", json_integer(v->mtu));
	if (v->devid != -1)
		json_object_set_new(o, "devid", json_integer(v->devid));
	set_str(o, "backend", v->backend);
	set_str(o, "gatewaydev", v->gatewaydev);
	if (v->trusted != -1)
		json_object_set_new(o, "trusted", json_boolean(v->trusted));
	set_str(o, "spec", v->spec);
	return (o);
}

/* The typed JSON value of one key. */
static json_t *
json_key(const struct xlcfg *cfg, const struct xlcfg_setting *set)
{
	json_t		*a;
	long long	 n;
	size_t		 i;
	const char	*k = set->name;

	if (strcmp(k, "disk") == 0) {
		a = json_array();
		for (i = 0; i < cfg->ndisks; i++)
			json_array_append_new(a, json_disk(&cfg->disks[i]));
		return (a);
	}
	if (strcmp(k, "vif") == 0) {
		a = json_array();
		for (i = 0; i < cfg->nvifs; i++)
			json_array_append_new(a, json_vif(&cfg->vifs[i]));
		return (a);
	}
	if (strcmp(k, "bootloader_args") == 0) {
		a = json_array();
		for (i = 0; cfg->bootloader_args[i] != NULL; i++)
			json_array_append_new(a,
			    json_string(cfg->bootloader_args[i]));
		return (a);
	}
	switch (xlcfg_key_kind(k)) {
	case XLCFG_KIND_INT:
		if (set->value->type == XLCFG_STRING &&
		    xlcfg_number(set->value->str, &n) == 0)
			return (json_integer(n));
		break;
	case XLCFG_KIND_BOOL:
		if (set->value->type == XLCFG_STRING &&
		    xlcfg_number(set->value->str, &n) == 0)
			return (json_boolean(n != 0));
		break;
	default:
		break;
	}
	return (json_value(set->value));
}

static int
print_json(struct cmd_ctx *ctx, const struct xlcfg *cfg)
{
	json_t				*o, *w;
	const struct xlcfg_setting	*set;
	char				*s;
	size_t				 i;

	o = json_object();
	for (i = 0; i < cfg->nsettings; i++) {
		set = xlcfg_get(cfg, cfg->settings[i].name);
		if (json_object_get(o, set->name) != NULL)
			continue;
		json_object_set_new(o, set->name, json_key(cfg, set));
	}
	if (json_object_get(o, "type") == NULL && cfg->type_set)
		set_str(o, "type", xlcfg_type_name(cfg->type));
	w = json_array();
	for (i = 0; i < cfg->nwarnings; i++)
		json_array_append_new(w, json_string(cfg->warnings[i]));
	json_object_set_new(o, "warnings", w);
	s = cmd_json_text(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL) {
		cmd_error(ctx, "cannot encode JSON");
		return (1);
	}
	fprintf(ctx->out, "%s\n", s);
	free(s);
	return (0);
}

static void printflike(3, 4)
line(FILE *f, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	xvasprintf(&text, fmt, ap);
	va_end(ap);
	cmd_line(f, "  %-12s %s", key, text);
	free(text);
}

static void printflike(2, 3)
append(char **s, const char *fmt, ...)
{
	va_list	 ap;
	char	*more, *next;

	va_start(ap, fmt);
	xvasprintf(&more, fmt, ap);
	va_end(ap);
	xasprintf(&next, "%s%s", *s, more);
	free(more);
	free(*s);
	*s = next;
}

static const char *
onoff(int v)
{
	return (v == -1 ? NULL : v ? "on" : "off");
}

#define DEFAULTED(what) ((cfg->defaulted & XLCFG_DEF_##what) != 0)

static void
print_summary(struct cmd_ctx *ctx, const struct xlcfg *cfg)
{
	FILE				*f = ctx->out;
	const struct xlcfg_disk		*d;
	const struct xlcfg_vif		*v;
	const struct xlcfg_setting	*set;
	size_t				 i, others = 0;
	char				 key[80], *vl;

	cmd_line(f, "%s: valid xl.cfg for domain '%s'", cfg->path, cfg->name);
	line(f, "type", "%s%s", xlcfg_type_name(cfg->type),
	    cfg->type_set ? "" : " (default)");
	line(f, "memory", "%lld MiB%s", (long long)cfg->memory,
	    DEFAULTED(MEMORY) ? " (default)" : "");
	if (!DEFAULTED(MAXMEM))
		line(f, "maxmem", "%lld MiB", (long long)cfg->maxmem);
	line(f, "vcpus", "%d%s", cfg->vcpus, DEFAULTED(VCPUS) ?
	    " (default)" : "");
	if (!DEFAULTED(MAXVCPUS))
		line(f, "maxvcpus", "%d", cfg->maxvcpus);
	if (cfg->uuid != NULL)
		line(f, "uuid", "%s", cfg->uuid);
	if (cfg->bootloader != NULL)
		line(f, "bootloader", "%s", cfg->bootloader);
	for (i = 0; cfg->bootloader_args != NULL &&
	    cfg->bootloader_args[i] != NULL; i++)
		line(f, i == 0 ? "  args" : "", "%s", cfg->bootloader_args[i]);
	if (cfg->kernel != NULL)
		line(f, "kernel", "%s", cfg->kernel);
	if (cfg->ramdisk != NULL)
		line(f, "ramdisk", "%s", cfg->ramdisk);
	if (cfg->cmdline != NULL)
		line(f, "cmdline", "%s", cfg->cmdline);
	if (cfg->root != NULL)
		line(f, "root", "%s", cfg->root);
	if (cfg->extra != NULL)
		line(f, "extra", "%s", cfg->extra);
	if (cfg->boot != NULL)
		line(f, "boot", "%s", cfg->boot);
	if (!DEFAULTED(ACPI))
		line(f, "acpi", "%s", onoff(cfg->acpi));
	if (!DEFAULTED(VNC) || cfg->vnclisten != NULL ||
	    cfg->vncdisplay != -1) {
		line(f, "vnc", "%s%s%s%s%s%s", onoff(cfg->vnc),
		    DEFAULTED(VNC) ? " (default)" : "",
		    cfg->vnc_host != NULL ? ", listen " : "",
		    cfg->vnc_host != NULL ? cfg->vnclisten : "",
		    cfg->vncpasswd != NULL && *cfg->vncpasswd != '\0' ?
		    ", password set" : "", cfg->vnc_host != NULL &&
		    !cfg->vnc_search ? ", fixed display" : "");
		if (cfg->vnc_host != NULL || cfg->vncdisplay != -1)
			line(f, "vncdisplay", "%d (port %d)%s",
			    cfg->vnc_display, 5900 + cfg->vnc_display,
			    cfg->vnc_search ? ", or the next free one" : "");
	}
	if (!DEFAULTED(SDL))
		line(f, "sdl", "%s", onoff(cfg->sdl));
	if (cfg->serial != NULL)
		line(f, "serial", "%s", cfg->serial);
	if (cfg->keymap != NULL)
		line(f, "keymap", "%s", cfg->keymap);
	if (cfg->device_model_version != NULL)
		line(f, "device model", "%s", cfg->device_model_version);
	line(f, "on_poweroff", "%s", xlcfg_action_name(cfg->on_poweroff));
	line(f, "on_reboot", "%s", xlcfg_action_name(cfg->on_reboot));
	line(f, "on_crash", "%s", xlcfg_action_name(cfg->on_crash));
	for (i = 0; i < cfg->ndisks; i++) {
		d = &cfg->disks[i];
		snprintf(key, sizeof key, "disk %zu", i);
		line(f, key, "%s %s %s %s %s", d->vdev, d->cdrom ? "cdrom" :
		    "disk", d->readwrite ? "rw" : "r", d->format,
		    d->target != NULL ? d->target : "(empty)");
	}
	for (i = 0; i < cfg->nvifs; i++) {
		v = &cfg->vifs[i];
		snprintf(key, sizeof key, "vif %zu", i);
		vl = xprintf("bridge %s, type %s", v->bridge, v->type);
		if (v->model != NULL)
			append(&vl, ", model %s", v->model);
		append(&vl, ", mac %s", v->mac != NULL ? v->mac : "(random)");
		if (v->vifname != NULL)
			append(&vl, ", vifname %s", v->vifname);
		if (v->ip != NULL)
			append(&vl, ", ip %s", v->ip);
		if (v->rate != NULL)
			append(&vl, ", rate %s", v->rate);
		if (v->mtu != -1)
			append(&vl, ", mtu %d", v->mtu);
		if (!(v->defaulted & XLCFG_VIF_DEF_SCRIPT))
			append(&vl, ", script %s", v->script);
		line(f, key, "%s", vl);
		free(vl);
	}
	for (i = 0; i < cfg->nsettings; i++) {
		set = &cfg->settings[i];
		if (xlcfg_key_kind(set->name) == XLCFG_KIND_UNKNOWN)
			continue;
		snprintf(key, sizeof key, " %s ", set->name);
		if (xlcfg_prev(cfg, i) == NULL && strstr(" name type builder memory maxmem "
		    "vcpus maxvcpus uuid kernel ramdisk cmdline root extra "
		    "bootloader bootloader_args boot acpi vnc vnclisten "
		    "vncdisplay vncunused vncpasswd sdl serial keymap "
		    "device_model_version on_poweroff on_reboot on_crash disk "
		    "vif ", key) == NULL)
			others++;
	}
	if (others > 0)
		line(f, "other keys", "%zu (kept as written)", others);
	for (i = 0; i < cfg->nwarnings; i++)
		cmd_line(ctx->err, "warning: %s", cfg->warnings[i]);
}

static const char *
lint_level_name(enum lint_level level)
{
	return (level == LINT_ERROR ? "error" : "warning");
}

/* check-config --lint: the findings, as text or JSON; 1 with errors. */
static int
print_lint(struct cmd_ctx *ctx, const char *path, int json)
{
	const struct backend_ops	*be;
	struct lint_report		 r;
	const struct lint_finding	*f;
	json_t				*o, *a, *e;
	char				*s, *cause = NULL;
	size_t				 i;

	if ((be = ctx->be) == NULL) {
		if (ctx->backend_name != NULL)
			be = backend_find(ctx->backend_name, &cause);
		else
			be = backend_default(&cause);
		if (be == NULL) {
			log_info("check-config --lint: %s", cause);
			free(cause);
		}
	}
	xlcfg_lint(path, be, &r);
	if (json) {
		o = json_object();
		json_object_set_new(o, "file", json_string(path));
		json_object_set_new(o, "backend", be != NULL ?
		    json_string(be->name) : json_null());
		json_object_set_new(o, "errors", json_integer(r.nerrors));
		json_object_set_new(o, "warnings", json_integer(r.nwarnings));
		a = json_array();
		for (i = 0; i < r.n; i++) {
			f = &r.v[i];
			e = json_object();
			json_object_set_new(e, "level",
			    json_string(lint_level_name(f->level)));
			json_object_set_new(e, "id", json_string(f->id));
			json_object_set_new(e, "key", f->key != NULL ?
			    json_string(f->key) : json_null());
			json_object_set_new(e, "line", json_integer(f->line));
			json_object_set_new(e, "message",
			    json_string(f->message));
			json_object_set_new(e, "fix", f->fix != NULL ?
			    json_string(f->fix) : json_null());
			json_object_set_new(e, "wizard", f->wizard != NULL ?
			    json_string(f->wizard) : json_null());
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "findings", a);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		fprintf(ctx->out, "%s\n", s != NULL ? s : "{}");
		free(s);
	} else {
		s = lint_report_text(&r);
		fputs(s, ctx->out);
		free(s);
	}
	i = r.nerrors;
	lint_report_free(&r);
	return (i > 0 ? 1 : 0);
}

static int
cmd_check_config_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "lint", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	struct xlcfg	*cfg = NULL;
	char		*cause = NULL;
	int		 ch, json = 0, lint = 0, rc;

	while ((ch = getopt_long(argc, argv, "+jl", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'l':
			lint = 1;
			break;
		default:
			return (cmd_usage(ctx, &cmd_check_config_entry));
		}
	}
	if (argc - optind != 1)
		return (cmd_usage(ctx, &cmd_check_config_entry));
	if (lint)
		return (print_lint(ctx, argv[optind], json));
	if (xlcfg_load(argv[optind], &cfg, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return (1);
	}
	rc = 0;
	if (json)
		rc = print_json(ctx, cfg);
	else
		print_summary(ctx, cfg);
	xlcfg_free(cfg);
	return (rc);
}
