/*
 * The xl.cfg(5) writer: a canonical file that reads back to the same
 * config. The semantic keys come first from struct xlcfg (so a caller may
 * change them), in a fixed order; disk and vif entries are rewritten in
 * their key=value forms; every other setting follows in its original order
 * with its effective value (after "+="), written once.
 */
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

/* A string in double quotes, with the escapes xl understands. */
char *
xlcfg_quote(const char *s)
{
	struct strbuf	 b = { 0 };
	const char	*esc;
	char		 c[2] = { 0, 0 };

	strbuf_add(&b, "\"", 1);
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\a':
			esc = "\\a";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\v':
			esc = "\\v";
			break;
		default:
			c[0] = *s;
			esc = c;
			break;
		}
		strbuf_add(&b, esc, strlen(esc));
	}
	strbuf_add(&b, "\"", 1);
	return (b.s);
}

static void
put_string(struct strbuf *b, const char *key, const char *value)
{
	char	*q;

	if (value == NULL)
		return;
	q = xlcfg_quote(value);
	strbuf_printf(b, "%s = %s\n", key, q);
	free(q);
}

static void
put_number(struct strbuf *b, const char *key, long long value)
{
	if (value != -1)
		strbuf_printf(b, "%s = %lld\n", key, value);
}

/* Is s a token the scanner reads as NUMBER ([0-9][0-9a-fx]*)? */
static int
number_token(const char *s)
{
	return (s[0] >= '0' && s[0] <= '9' &&
	    strspn(s, "0123456789abcdefx") == strlen(s));
}

static void
put_value(struct strbuf *b, const struct xlcfg_value *v, int multiline)
{
	char	*q;
	size_t	 i;

	if (v->type == XLCFG_STRING) {
		if (v->number && number_token(v->str))
			strbuf_add(b, v->str, strlen(v->str));
		else {
			q = xlcfg_quote(v->str);
			strbuf_add(b, q, strlen(q));
			free(q);
		}
		return;
	}
	if (v->nitems == 0) {
		strbuf_add(b, "[ ]", 3);
		return;
	}
	strbuf_add(b, multiline ? "[\n" : "[ ", 2);
	for (i = 0; i < v->nitems; i++) {
		if (multiline)
			strbuf_add(b, "\t", 1);
		put_value(b, v->items[i], 0);
		if (multiline)
			strbuf_add(b, ",\n", 2);
		else if (i + 1 < v->nitems)
			strbuf_add(b, ", ", 2);
	}
	strbuf_add(b, multiline ? "]" : " ]", multiline ? 1 : 2);
}

static void
put_list(struct strbuf *b, const char *key, char **items)
{
	char	*q;
	size_t	 i;

	if (items == NULL)
		return;
	strbuf_printf(b, "%s = [", key);
	for (i = 0; items[i] != NULL; i++) {
		q = xlcfg_quote(items[i]);
		strbuf_printf(b, "%s %s", i > 0 ? "," : "", q);
		free(q);
	}
	strbuf_add(b, " ]\n", 3);
}

/* One disk as "format=..., vdev=..., access=..., target=...". */
static char *
disk_spec(const struct xlcfg_disk *d)
{
	struct strbuf	 b = { 0 };

	strbuf_printf(&b, "format=%s, vdev=%s, access=%s", d->format, d->vdev,
	    d->readwrite ? "rw" : "ro");
	if (d->cdrom)
		strbuf_printf(&b, ", devtype=cdrom");
	if (d->backendtype != NULL)
		strbuf_printf(&b, ", backendtype=%s", d->backendtype);
	if (d->specification != NULL)
		strbuf_printf(&b, ", specification=%s", d->specification);
	if (d->backend != NULL)
		strbuf_printf(&b, ", backend=%s", d->backend);
	if (d->script != NULL)
		strbuf_printf(&b, ", script=%s", d->script);
	if (d->direct_io_safe)
		strbuf_printf(&b, ", direct-io-safe");
	if (d->discard != -1)
		strbuf_printf(&b, ", %s", d->discard ? "discard" : "no-discard");
	if (d->colo != -1)
		strbuf_printf(&b, ", %s", d->colo ? "colo" : "no-colo");
	if (d->colo_host != NULL)
		strbuf_printf(&b, ", colo-host=%s", d->colo_host);
	if (d->colo_port != 0)
		strbuf_printf(&b, ", colo-port=%d", d->colo_port);
	if (d->colo_export != NULL)
		strbuf_printf(&b, ", colo-export=%s", d->colo_export);
	if (d->active_disk != NULL)
		strbuf_printf(&b, ", active-disk=%s", d->active_disk);
	if (d->hidden_disk != NULL)
		strbuf_printf(&b, ", hidden-disk=%s", d->hidden_disk);
	/* target= takes the rest of the spec: last. */
	if (d->target != NULL)
		strbuf_printf(&b, ", target=%s", d->target);
	return (b.s);
}

/* One vif as "key=value,..."; defaults that were filled in are left out. */
static char *
vif_spec(const struct xlcfg_vif *v)
{
	struct strbuf	 b = { 0 };
	size_t		 i;

	strbuf_add(&b, "", 0);
#define VPUT(cond, ...) do {						\
	if (cond) {							\
		if (b.len > 0)						\
			strbuf_add(&b, ",", 1);				\
		strbuf_printf(&b, __VA_ARGS__);				\
	}								\
} while (0)
	VPUT(v->mac != NULL, "mac=%s", v->mac);
	VPUT(v->bridge != NULL && !(v->defaulted & XLCFG_VIF_DEF_BRIDGE),
	    "bridge=%s", v->bridge);
	VPUT(v->type != NULL && !(v->defaulted & XLCFG_VIF_DEF_TYPE),
	    "type=%s", v->type);
	VPUT(v->model != NULL && !(v->defaulted & XLCFG_VIF_DEF_MODEL),
	    "model=%s", v->model);
	VPUT(v->vifname != NULL, "vifname=%s", v->vifname);
	VPUT(v->script != NULL && !(v->defaulted & XLCFG_VIF_DEF_SCRIPT),
	    "script=%s", v->script);
	VPUT(v->ip != NULL, "ip=%s", v->ip);
	VPUT(v->rate != NULL, "rate=%s", v->rate);
	VPUT(v->mtu != -1, "mtu=%d", v->mtu);
	VPUT(v->devid != -1, "devid=%d", v->devid);
	VPUT(v->backend != NULL, "backend=%s", v->backend);
	VPUT(v->gatewaydev != NULL, "gatewaydev=%s", v->gatewaydev);
	VPUT(v->trusted != -1, "%s", v->trusted ? "trusted" : "untrusted");
	for (i = 0; v->extra != NULL && v->extra[i] != NULL; i++)
		VPUT(1, "%s", v->extra[i]);
#undef VPUT
	return (b.s);
}

/* The keys written from struct xlcfg, not from the generic layer. */
static const char *semantic_keys[] = {
	"name", "type", "builder", "memory", "maxmem", "vcpus", "maxvcpus",
	"uuid", "kernel", "ramdisk", "cmdline", "root", "extra", "bootloader",
	"bootloader_args", "boot", "acpi", "vnc", "vnclisten", "vncdisplay",
	"vncunused", "vncpasswd", "sdl", "serial", "keymap",
	"device_model_version", "on_poweroff", "on_reboot", "on_crash", "disk",
	"vif", NULL
};

static int
is_semantic(const char *name)
{
	size_t	 i;

	for (i = 0; semantic_keys[i] != NULL; i++) {
		if (strcmp(semantic_keys[i], name) == 0)
			return (1);
	}
	return (0);
}

/* A field as written: -1 (not written) where the default was filled in. */
#define DEF(flag, field) \
	((cfg->defaulted & XLCFG_DEF_##flag) ? -1 : (long long)cfg->field)

char *
xlcfg_write(const struct xlcfg *cfg)
{
	struct strbuf			 b = { 0 };
	const struct xlcfg_setting	*set;
	char				*spec, *q;
	size_t				 i;

	strbuf_add(&b, "", 0);
	if (cfg->syntax_only)
		goto others;
	put_string(&b, "name", cfg->name);
	if (cfg->type_set)
		put_string(&b, "type", xlcfg_type_name(cfg->type));
	put_number(&b, "memory", DEF(MEMORY, memory));
	put_number(&b, "maxmem", DEF(MAXMEM, maxmem));
	put_number(&b, "vcpus", DEF(VCPUS, vcpus));
	put_number(&b, "maxvcpus", DEF(MAXVCPUS, maxvcpus));
	put_string(&b, "uuid", cfg->uuid);
	put_string(&b, "kernel", cfg->kernel);
	put_string(&b, "ramdisk", cfg->ramdisk);
	put_string(&b, "cmdline", cfg->cmdline);
	put_string(&b, "root", cfg->root);
	put_string(&b, "extra", cfg->extra);
	put_string(&b, "bootloader", cfg->bootloader);
	put_list(&b, "bootloader_args", cfg->bootloader_args);
	put_string(&b, "boot", cfg->boot);
	put_number(&b, "acpi", DEF(ACPI, acpi));
	put_number(&b, "vnc", DEF(VNC, vnc));
	put_string(&b, "vnclisten", cfg->vnclisten);
	put_number(&b, "vncdisplay", cfg->vncdisplay);
	put_number(&b, "vncunused", DEF(VNCUNUSED, vncunused));
	put_string(&b, "vncpasswd", cfg->vncpasswd);
	put_number(&b, "sdl", DEF(SDL, sdl));
	/* serial: keep a list as a list while its first port is unchanged. */
	set = xlcfg_get(cfg, "serial");
	if (cfg->serial != NULL && set != NULL &&
	    set->value->type == XLCFG_LIST && set->value->nitems > 0 &&
	    set->value->items[0]->type == XLCFG_STRING &&
	    strcmp(set->value->items[0]->str, cfg->serial) == 0) {
		strbuf_add(&b, "serial = ", 9);
		put_value(&b, set->value, 0);
		strbuf_add(&b, "\n", 1);
	} else
		put_string(&b, "serial", cfg->serial);
	put_string(&b, "keymap", cfg->keymap);
	put_string(&b, "device_model_version", cfg->device_model_version);
	if (cfg->on_poweroff != XLCFG_ACT_DESTROY ||
	    xlcfg_get(cfg, "on_poweroff") != NULL)
		put_string(&b, "on_poweroff",
		    xlcfg_action_name(cfg->on_poweroff));
	if (cfg->on_reboot != XLCFG_ACT_RESTART ||
	    xlcfg_get(cfg, "on_reboot") != NULL)
		put_string(&b, "on_reboot", xlcfg_action_name(cfg->on_reboot));
	if (cfg->on_crash != XLCFG_ACT_DESTROY ||
	    xlcfg_get(cfg, "on_crash") != NULL)
		put_string(&b, "on_crash", xlcfg_action_name(cfg->on_crash));

	if (cfg->ndisks > 0 || xlcfg_get(cfg, "disk") != NULL) {
		strbuf_add(&b, "disk = [\n", 9);
		for (i = 0; i < cfg->ndisks; i++) {
			spec = disk_spec(&cfg->disks[i]);
			q = xlcfg_quote(spec);
			strbuf_printf(&b, "\t%s,\n", q);
			free(q);
			free(spec);
		}
		strbuf_add(&b, "]\n", 2);
	}
	if (cfg->nvifs > 0 || xlcfg_get(cfg, "vif") != NULL) {
		strbuf_add(&b, "vif = [\n", 8);
		for (i = 0; i < cfg->nvifs; i++) {
			spec = vif_spec(&cfg->vifs[i]);
			q = xlcfg_quote(spec);
			strbuf_printf(&b, "\t%s,\n", q);
			free(q);
			free(spec);
		}
		strbuf_add(&b, "]\n", 2);
	}

	/* Every other key, once, in the order it first appeared. */
others:
	for (i = 0; i < cfg->nsettings; i++) {
		set = &cfg->settings[i];
		if (!cfg->syntax_only && is_semantic(set->name))
			continue;
		if (xlcfg_prev(cfg, i) != NULL)
			continue;	/* written at its first place */
		set = xlcfg_get(cfg, set->name);
		strbuf_printf(&b, "%s = ", set->name);
		put_value(&b, set->value, set->value->type == XLCFG_LIST &&
		    set->value->nitems > 1);
		strbuf_add(&b, "\n", 1);
	}
	return (b.s);
}
