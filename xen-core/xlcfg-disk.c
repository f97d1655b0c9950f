/*
 * disk= entries, xl-disk-configuration(5).
 *
 * libxlutil reads a disk spec with a flex scanner, and the exact meaning of
 * odd specs follows from flex's rule: at each position the rule matching
 * the longest text wins (trailing context counts towards the length), ties
 * go to the earlier rule. This file keeps that model: a table of rules in
 * libxlutil's order, each a small matcher returning its total length and
 * the length of the token it consumes, and one loop picking the winner.
 * That is how "target=" eats the rest of the spec, how "phy:" and the
 * other deprecated prefixes beat a positional parameter, and how "cdrom"
 * is a flag but "cdrom1" a positional one.
 *
 * The rules are those of the scanner Xen 4.17's libxlutil is built from
 * (Debian 12): its generated scanner predates the trusted/untrusted flags,
 * so those are positional parameters there, and here.
 *
 * Positional parameters fill target, format, vdev, access in that order;
 * after a deprecated prefix the format slot is skipped (the old
 * "[fmt:]target,vdev[:devtype],access" form).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

enum disk_fmt { FMT_UNKNOWN, FMT_RAW, FMT_QCOW, FMT_QCOW2, FMT_VHD,
	FMT_EMPTY, FMT_QED };
static const char *fmt_names[] = { NULL, "raw", "qcow", "qcow2", "vhd",
	"empty", "qed" };

struct dctx {
	const char	*spec;
	char		*err;		/* first error */
	int		 stop;		/* error that ends the scan */
	int		 had_depr_prefix;
	int		 access_set;
	enum disk_fmt	 format;
	char		*target;	/* NULL: not given */
	char		*vdev;
	char		*script;
	char		*backend;
	char		*colo_host, *colo_export;
	char		*active_disk, *hidden_disk;
	const char	*backendtype;
	const char	*specification;
	int		 readwrite;
	int		 cdrom;
	int		 direct_io_safe;
	int		 discard, colo, colo_port;
};

enum action {
	A_WS, A_FORMAT, A_CDROM, A_DEVTYPE_CDROM, A_DEVTYPE_DISK, A_DEVTYPE_BAD,
	A_ACCESS, A_BACKEND, A_BACKENDTYPE, A_SPECIFICATION, A_VDEV, A_SCRIPT,
	A_DIRECT_IO_SAFE, A_DISCARD, A_NO_DISCARD, A_COLO, A_NO_COLO,
	A_COLO_HOST, A_COLO_PORT, A_COLO_EXPORT, A_ACTIVE_DISK, A_HIDDEN_DISK,
	A_TARGET, A_UNKNOWN_PARAM,
	A_PREFIX_FORMAT, A_PREFIX_SCRIPT, A_PREFIX_IGNORED, A_PREFIX_BAD,
	A_POSITIONAL, A_BAD
};

enum kind {
	K_WS,		/* [ \t\n]+/([^ \t\n].*)? */
	K_KEYVAL,	/* word[^,]*,? */
	K_FLAG,		/* word,? */
	K_REST,		/* word.* */
	K_UNKNOWN,	/* [a-z][-a-z0-9]*=[^,],? */
	K_PREFIX,	/* word/.* (word ends in ':') */
	K_PREFIX_BAD,	/* [a-z][a-z0-9]*:/([^a-z0-9].*)? */
	K_POSITIONAL,	/* [^=,]*,|[^=,]+,? */
	K_ANY		/* . */
};

struct rule {
	enum kind	 kind;
	const char	*word;
	enum action	 action;
};

/* In libxlutil's order: on equal lengths the earlier rule wins. */
static const struct rule rules[] = {
	{ K_WS, NULL, A_WS },
	{ K_KEYVAL, "format=", A_FORMAT },
	{ K_FLAG, "cdrom", A_CDROM },
	{ K_FLAG, "devtype=cdrom", A_DEVTYPE_CDROM },
	{ K_FLAG, "devtype=disk", A_DEVTYPE_DISK },
	{ K_KEYVAL, "devtype=", A_DEVTYPE_BAD },
	{ K_KEYVAL, "access=", A_ACCESS },
	{ K_KEYVAL, "backend=", A_BACKEND },
	{ K_KEYVAL, "backendtype=", A_BACKENDTYPE },
	{ K_KEYVAL, "specification=", A_SPECIFICATION },
	{ K_KEYVAL, "vdev=", A_VDEV },
	{ K_KEYVAL, "script=", A_SCRIPT },
	{ K_FLAG, "direct-io-safe", A_DIRECT_IO_SAFE },
	{ K_FLAG, "discard", A_DISCARD },
	{ K_FLAG, "no-discard", A_NO_DISCARD },
	{ K_FLAG, "colo", A_COLO },
	{ K_FLAG, "no-colo", A_NO_COLO },
	{ K_KEYVAL, "colo-host=", A_COLO_HOST },
	{ K_KEYVAL, "colo-port=", A_COLO_PORT },
	{ K_KEYVAL, "colo-export=", A_COLO_EXPORT },
	{ K_KEYVAL, "active-disk=", A_ACTIVE_DISK },
	{ K_KEYVAL, "hidden-disk=", A_HIDDEN_DISK },
	{ K_REST, "target=", A_TARGET },
	{ K_UNKNOWN, NULL, A_UNKNOWN_PARAM },
	{ K_PREFIX, "raw:", A_PREFIX_FORMAT },
	{ K_PREFIX, "qcow:", A_PREFIX_FORMAT },
	{ K_PREFIX, "qcow2:", A_PREFIX_FORMAT },
	{ K_PREFIX, "vhd:", A_PREFIX_FORMAT },
	{ K_PREFIX, "iscsi:", A_PREFIX_SCRIPT },
	{ K_PREFIX, "nbd:", A_PREFIX_SCRIPT },
	{ K_PREFIX, "enbd:", A_PREFIX_SCRIPT },
	{ K_PREFIX, "drbd:", A_PREFIX_SCRIPT },
	{ K_PREFIX, "tapdisk:", A_PREFIX_IGNORED },
	{ K_PREFIX, "tap:", A_PREFIX_IGNORED },
	{ K_PREFIX, "tap2:", A_PREFIX_IGNORED },
	{ K_PREFIX, "aio:", A_PREFIX_IGNORED },
	{ K_PREFIX, "ioemu:", A_PREFIX_IGNORED },
	{ K_PREFIX, "file:", A_PREFIX_IGNORED },
	{ K_PREFIX, "phy:", A_PREFIX_IGNORED },
	{ K_PREFIX_BAD, NULL, A_PREFIX_BAD },
	{ K_POSITIONAL, NULL, A_POSITIONAL },
	{ K_ANY, NULL, A_BAD },
};

static int
is_lower(int c)
{
	return (c >= 'a' && c <= 'z');
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/* Length of ".*" at s: up to a newline or the end. */
static size_t
rest_of_line(const char *s)
{
	return (strcspn(s, "\n"));
}

/*
 * Match one rule at s. Returns the total length matched (trailing context
 * included) or -1; *tok gets the length of the token itself.
 */
static long
rule_match(const struct rule *r, const char *s, size_t *tok)
{
	size_t	 n, w;

	switch (r->kind) {
	case K_WS:
		n = strspn(s, " \t\n");
		if (n == 0)
			return (-1);
		*tok = n;
		return ((long)(n + rest_of_line(s + n)));
	case K_KEYVAL:
		w = strlen(r->word);
		if (strncmp(s, r->word, w) != 0)
			return (-1);
		n = w + strcspn(s + w, ",");
		if (s[n] == ',')
			n++;
		*tok = n;
		return ((long)n);
	case K_FLAG:
		w = strlen(r->word);
		if (strncmp(s, r->word, w) != 0)
			return (-1);
		n = w;
		if (s[n] == ',')
			n++;
		*tok = n;
		return ((long)n);
	case K_REST:
		w = strlen(r->word);
		if (strncmp(s, r->word, w) != 0)
			return (-1);
		*tok = w + rest_of_line(s + w);
		return ((long)*tok);
	case K_UNKNOWN:
		if (!is_lower((unsigned char)s[0]))
			return (-1);
		for (n = 1; is_lower((unsigned char)s[n]) ||
		    is_digit((unsigned char)s[n]) || s[n] == '-'; n++)
			;
		if (s[n] != '=' || s[n + 1] == '\0' || s[n + 1] == ',')
			return (-1);
		n += 2;
		if (s[n] == ',')
			n++;
		*tok = n;
		return ((long)n);
	case K_PREFIX:
		w = strlen(r->word);
		if (strncmp(s, r->word, w) != 0)
			return (-1);
		*tok = w;
		return ((long)(w + rest_of_line(s + w)));
	case K_PREFIX_BAD:
		if (!is_lower((unsigned char)s[0]))
			return (-1);
		for (n = 1; is_lower((unsigned char)s[n]) ||
		    is_digit((unsigned char)s[n]); n++)
			;
		if (s[n] != ':')
			return (-1);
		n++;
		*tok = n;
		if (s[n] == '\0' || is_lower((unsigned char)s[n]) ||
		    is_digit((unsigned char)s[n]))
			return ((long)n);
		return ((long)(n + 1 + rest_of_line(s + n + 1)));
	case K_POSITIONAL:
		n = strcspn(s, "=,");
		if (s[n] == ',')
			n++;
		else if (n == 0)
			return (-1);
		*tok = n;
		return ((long)n);
	case K_ANY:
		if (s[0] == '\0' || s[0] == '\n')
			return (-1);
		*tok = 1;
		return (1);
	}
	return (-1);
}

static void printflike(3, 4)
derr(struct dctx *d, int stop, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (d->err == NULL) {
		va_start(ap, fmt);
		xvasprintf(&msg, fmt, ap);
		va_end(ap);
		d->err = xprintf("disk '%s': %s", d->spec, msg);
		free(msg);
	}
	if (stop)
		d->stop = 1;
}

/* savestring(): a second non-empty value is an error. */
static void
save(struct dctx *d, const char *what, char **where, const char *value)
{
	if (*where != NULL) {
		if (**where != '\0') {
			derr(d, 0, "%s given twice (near '%s')", what, value);
			return;
		}
		free(*where);
	}
	*where = xstrdup(value);
}

static void
set_format(struct dctx *d, const char *s)
{
	enum disk_fmt	 f;

	if (*s == '\0' || strcmp(s, "raw") == 0)
		f = FMT_RAW;
	else if (strcmp(s, "qcow") == 0)
		f = FMT_QCOW;
	else if (strcmp(s, "qcow2") == 0)
		f = FMT_QCOW2;
	else if (strcmp(s, "vhd") == 0)
		f = FMT_VHD;
	else if (strcmp(s, "empty") == 0)
		f = FMT_EMPTY;
	else if (strcmp(s, "qed") == 0)
		f = FMT_QED;
	else {
		derr(d, 0, "unknown format '%s' (raw, qcow, qcow2, vhd, qed)",
		    s);
		return;
	}
	if (d->format != FMT_UNKNOWN && d->format != f)
		derr(d, 0, "format given twice (near '%s')", s);
	else
		d->format = f;
}

static void
set_access(struct dctx *d, const char *s)
{
	if (strcmp(s, "r") == 0 || strcmp(s, "ro") == 0)
		d->readwrite = 0;
	else if (strcmp(s, "rw") == 0 || strcmp(s, "w") == 0 || *s == '\0')
		d->readwrite = 1;
	else
		derr(d, 0, "unknown access '%s' (r, ro, rw or w)", s);
}

static void
set_enum(struct dctx *d, const char *what, const char **where,
    const char *s, const char *const *names)
{
	size_t	 i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(s, names[i]) == 0)
			break;
	}
	if (names[i] == NULL) {
		derr(d, 0, "unknown %s '%s'", what, s);
		return;
	}
	if (*where != NULL && strcmp(*where, names[i]) != 0)
		derr(d, 0, "%s given twice (near '%s')", what, s);
	else
		*where = names[i];
}

/* "<vdev>:<devtype>": 1 if it was that form (vdev saved), else 0. */
static int
vdev_and_devtype(struct dctx *d, char *s)
{
	char	*colon;

	if ((colon = strrchr(s, ':')) == NULL)
		return (0);
	*colon++ = '\0';
	save(d, "vdev", &d->vdev, s);
	if (strcmp(colon, "cdrom") == 0)
		d->cdrom = 1;
	else if (strcmp(colon, "disk") == 0)
		d->cdrom = 0;
	else
		derr(d, 0, "unknown device type '%s' (cdrom or disk)", colon);
	return (1);
}

static void
positional(struct dctx *d, char *s)
{
	if (d->err != NULL)
		return;
	if (d->target == NULL)
		save(d, "target", &d->target, s);
	else if (!d->had_depr_prefix && d->format == FMT_UNKNOWN) {
		if (*d->target == '\0' && vdev_and_devtype(d, s))
			d->format = FMT_EMPTY;
		else
			set_format(d, s);
	} else if (d->vdev == NULL) {
		if (!vdev_and_devtype(d, s))
			save(d, "vdev", &d->vdev, s);
	} else if (!d->access_set) {
		d->access_set = 1;
		set_access(d, s);
	} else
		derr(d, 1, "too many positional parameters (near '%s')", s);
}

static const char *const backendtypes[] = { "phy", "tap", "qdisk",
	"standalone", NULL };
static const char *const specifications[] = { "xen", "virtio", NULL };

static void
run_action(struct dctx *d, enum action a, char *tok)
{
	char	*val, *s;
	size_t	 len = strlen(tok);

	/* STRIP(',') for every action that uses its text. */
	if (len > 0 && tok[len - 1] == ',' && a != A_PREFIX_BAD &&
	    a != A_BAD)
		tok[--len] = '\0';
	val = strchr(tok, '=');
	val = val != NULL ? val + 1 : tok;

	switch (a) {
	case A_WS:
		break;
	case A_FORMAT:
		set_format(d, val);
		break;
	case A_CDROM:
	case A_DEVTYPE_CDROM:
		d->cdrom = 1;
		break;
	case A_DEVTYPE_DISK:
		d->cdrom = 0;
		break;
	case A_DEVTYPE_BAD:
		derr(d, 0, "unknown devtype '%s' (cdrom or disk)", val);
		break;
	case A_ACCESS:
		set_access(d, val);
		break;
	case A_BACKEND:
		save(d, "backend", &d->backend, val);
		break;
	case A_BACKENDTYPE:
		set_enum(d, "backendtype", &d->backendtype, val, backendtypes);
		break;
	case A_SPECIFICATION:
		set_enum(d, "specification", &d->specification, val,
		    specifications);
		break;
	case A_VDEV:
		save(d, "vdev", &d->vdev, val);
		break;
	case A_SCRIPT:
		save(d, "script", &d->script, val);
		break;
	case A_DIRECT_IO_SAFE:
		d->direct_io_safe = 1;
		break;
	case A_DISCARD:
		d->discard = 1;
		break;
	case A_NO_DISCARD:
		d->discard = 0;
		break;
	case A_COLO:
		d->colo = 1;
		break;
	case A_NO_COLO:
		d->colo = 0;
		break;
	case A_COLO_HOST:
		save(d, "colo-host", &d->colo_host, val);
		break;
	case A_COLO_PORT:
		if ((d->colo_port = atoi(val)) == 0)
			derr(d, 0, "bad colo-port '%s'", val);
		break;
	case A_COLO_EXPORT:
		save(d, "colo-export", &d->colo_export, val);
		break;
	case A_ACTIVE_DISK:
		save(d, "active-disk", &d->active_disk, val);
		break;
	case A_HIDDEN_DISK:
		save(d, "hidden-disk", &d->hidden_disk, val);
		break;
	case A_TARGET:
		save(d, "target", &d->target, val);
		break;
	case A_UNKNOWN_PARAM:
		s = xstrndup(tok, strcspn(tok, "="));
		derr(d, 0, "unknown parameter '%s'", s);
		free(s);
		break;
	case A_PREFIX_FORMAT:
		tok[len - 1] = '\0';	/* the ':' */
		d->had_depr_prefix = 1;
		set_format(d, tok);
		break;
	case A_PREFIX_SCRIPT:
		tok[len - 1] = '\0';
		d->had_depr_prefix = 1;
		s = xprintf("block-%s", tok);
		save(d, "script", &d->script, s);
		free(s);
		break;
	case A_PREFIX_IGNORED:
		d->had_depr_prefix = 1;
		break;
	case A_PREFIX_BAD:
		derr(d, 1, "unknown deprecated prefix '%s'", tok);
		break;
	case A_POSITIONAL:
		positional(d, tok);
		break;
	case A_BAD:
		derr(d, 1, "bad disk syntax near '%s'", tok);
		break;
	}
}

int
xlcfg_parse_disk(const char *spec, struct xlcfg_disk *disk, char **cause)
{
	struct dctx	 d;
	const char	*p = spec;
	size_t		 i, best_tok = 0, tok = 0;
	long		 best, len;
	const struct rule *winner;
	char		*text;
	int		 rc = -1;

	memset(disk, 0, sizeof *disk);
	memset(&d, 0, sizeof d);
	d.spec = spec;
	d.readwrite = 1;
	d.discard = d.colo = -1;

	while (*p != '\0' && !d.stop) {
		best = -1;
		winner = NULL;
		for (i = 0; i < nitems(rules); i++) {
			len = rule_match(&rules[i], p, &tok);
			if (len > best) {
				best = len;
				best_tok = tok;
				winner = &rules[i];
			}
		}
		if (winner == NULL) {
			/* A lone newline matches K_WS: cannot happen. */
			derr(&d, 1, "bad disk syntax near '%s'", p);
			break;
		}
		if (winner->action == A_BAD) {
			/*
			 * flex's LEXERR state reports the rest of the line;
			 * but a bad last character is never reported (the
			 * scanner meets the end first), so libxlutil accepts
			 * it: ignore it too. Before a newline libxlutil's
			 * scanner jams and exits: refused.
			 */
			if (p[1] == '\0')
				break;
			best_tok = rest_of_line(p);
		}
		text = xstrndup(p, best_tok);
		run_action(&d, winner->action, text);
		free(text);
		p += best_tok;
	}
	if (d.err != NULL)
		goto out;

	if (d.format == FMT_UNKNOWN)
		d.format = FMT_RAW;
	if (d.cdrom) {
		d.readwrite = 0;
		if (d.target == NULL || *d.target == '\0')
			d.format = FMT_EMPTY;
	}
	if (d.vdev == NULL) {
		derr(&d, 0, "no vdev given (e.g. xvda)");
		goto out;
	}
	if (d.target == NULL && !d.cdrom) {
		derr(&d, 0, "no target given (only a cdrom may be empty)");
		goto out;
	}

	disk->spec = xstrdup(spec);
	if (d.target != NULL && (*d.target != '\0' || !d.cdrom)) {
		disk->target = d.target;
		d.target = NULL;
	}
	disk->format = xstrdup(fmt_names[d.format]);
	disk->vdev = d.vdev;
	d.vdev = NULL;
	disk->readwrite = d.readwrite;
	disk->cdrom = d.cdrom;
	disk->backendtype = d.backendtype != NULL ?
	    xstrdup(d.backendtype) : NULL;
	disk->script = d.script;
	d.script = NULL;
	disk->direct_io_safe = d.direct_io_safe;
	disk->discard = d.discard;
	disk->backend = d.backend;
	d.backend = NULL;
	disk->specification = d.specification != NULL ?
	    xstrdup(d.specification) : NULL;
	disk->colo = d.colo;
	disk->colo_host = d.colo_host;
	disk->colo_export = d.colo_export;
	disk->active_disk = d.active_disk;
	disk->hidden_disk = d.hidden_disk;
	d.colo_host = d.colo_export = d.active_disk = d.hidden_disk = NULL;
	disk->colo_port = d.colo_port;
	rc = 0;
out:
	if (rc != 0) {
		*cause = d.err;
		d.err = NULL;
		xlcfg_clean_message(cause);
	}
	free(d.err);
	free(d.target);
	free(d.vdev);
	free(d.script);
	free(d.backend);
	free(d.colo_host);
	free(d.colo_export);
	free(d.active_disk);
	free(d.hidden_disk);
	return (rc);
}

/* "<prefix><letters>[<partition>]" as libxl numbers it. */
static int
virtdisk_matches(const char *s, const char *prefix, long max_index,
    unsigned long max_part, long *disk, long *partp)
{
	size_t		 n = strlen(prefix);
	long		 index = -1;
	unsigned long	 part = 0;
	char		*ep;

	if (strncmp(s, prefix, n) != 0)
		return (0);
	s += n;
	while (is_lower((unsigned char)*s)) {
		index = (index + 1) * 26 + (*s++ - 'a');
		if (index > max_index)
			return (0);
	}
	if (index < 0)
		return (0);
	if (*s != '\0') {
		if (!is_digit((unsigned char)*s) || *s == '0')
			return (0);
		part = strtoul(s, &ep, 10);
		if (*ep != '\0' || part > max_part)
			return (0);
	}
	*disk = index;
	*partp = (long)part;
	return (1);
}

/*
 * The disk a virtual device name means, as libxl numbers it
 * (xen-vbd-interface(7)): xvdX, hdX (a-d) and sdX (a-p) with an optional
 * partition, d<N>p<M>, or a plain device number. hda, sda, xvda and d0p0
 * are all disk 0, partition 0: one disk, whatever the name. 0 with *disk
 * and *part set, or -1 for a name libxl cannot number (a device number
 * that is none of the documented forms is its own disk: *disk is -1 -
 * the number).
 */
int
xlcfg_vdev_number(const char *s, long *disk, long *part)
{
	unsigned long	 d, p, n;
	char		*ep;

	if (s[0] == 'd' && is_digit((unsigned char)s[1])) {
		d = strtoul(s + 1, &ep, 10);
		if (*ep != 'p' || !is_digit((unsigned char)ep[1]))
			return (-1);
		p = strtoul(ep + 1, &ep, 10);
		if (*ep != '\0' || d >= (1UL << 20) || p >= 256)
			return (-1);
		*disk = (long)d;
		*part = (long)p;
		return (0);
	}
	if (is_digit((unsigned char)s[0])) {
		errno = 0;
		n = strtoul(s, &ep, 0);
		if (*ep != '\0' || errno != 0 || n > INT_MAX)
			return (-1);
		if ((n >> 28) == 1) {		/* xvd, extended */
			*disk = (long)((n >> 8) & 0xfffff);
			*part = (long)(n & 0xff);
		} else if ((n >> 8) == 202) {	/* xvd */
			*disk = (long)((n >> 4) & 0xf);
			*part = (long)(n & 0xf);
		} else if ((n >> 8) == 8) {	/* sd */
			*disk = (long)((n >> 4) & 0xf);
			*part = (long)(n & 0xf);
		} else if ((n >> 8) == 3 || (n >> 8) == 22) {	/* hd */
			*disk = (long)(((n >> 6) & 1) + ((n >> 8) == 22 ?
			    2 : 0));
			*part = (long)(n & 0x3f);
		} else {
			*disk = -1 - (long)n;
			*part = 0;
		}
		return (0);
	}
	if (virtdisk_matches(s, "xvd", (1L << 20) - 1, 255, disk, part) ||
	    virtdisk_matches(s, "hd", 3, 63, disk, part) ||
	    virtdisk_matches(s, "sd", 15, 15, disk, part))
		return (0);
	return (-1);
}

/* A virtual device name libxl can number (xlcfg_vdev_number). */
int
xlcfg_valid_vdev(const char *s)
{
	long	 disk, part;

	return (xlcfg_vdev_number(s, &disk, &part) == 0);
}
