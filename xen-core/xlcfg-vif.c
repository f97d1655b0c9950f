/*
 * vif= entries, xl-network-configuration(5).
 *
 * xl splits a vif spec on commas (empty pieces vanish, leading spaces are
 * dropped) and matches each piece against "key=" prefixes; a piece it does
 * not know is reported and ignored, and so it is here (as a warning).
 * Values are validated where xl or libxl would refuse them later: mac, type,
 * rate, mtu, devid.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

static int
is_hex(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/*
 * Six groups of one or two hex digits separated by ':' (or all by '-').
 * With out, the canonical "xx:xx:xx:xx:xx:xx" (lower case) goes there.
 */
int
xlcfg_valid_mac(const char *s, char *out)
{
	unsigned int	 b[6];
	int		 i, n;
	char		 sep = 0;

	for (i = 0; i < 6; i++) {
		if (i > 0) {
			if (sep == 0 && (*s == ':' || *s == '-'))
				sep = *s;
			if (sep == 0 || *s != sep)
				return (0);
			s++;
		}
		for (n = 0; n < 2 && is_hex((unsigned char)s[n]); n++)
			;
		if (n == 0)
			return (0);
		b[i] = (unsigned int)strtoul((char[3]){ s[0], n == 2 ? s[1] :
		    '\0', '\0' }, NULL, 16);
		s += n;
	}
	if (*s != '\0')
		return (0);
	if (out != NULL)
		snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
		    b[2], b[3], b[4], b[5]);
	return (1);
}

/*
 * "RATE[@INTERVAL]" exactly as libxlutil reads it: RATE is
 * [0-9]+[GMK]?[Bb]/s (B bytes, b bits), INTERVAL [0-9]+[mu]?s? (default
 * 50ms; no unit means seconds). Numbers go through strtoull(,,0) as in
 * libxlutil, so a leading 0 means octal.
 */
int
xlcfg_parse_rate(const char *rate, uint64_t *bytes_per_interval,
    uint32_t *interval_usecs, char **cause)
{
	char		*tmp, *at, *p;
	uint64_t	 bps, usecs = 50000;
	size_t		 n;
	int		 rc = -1;

	tmp = xstrdup(rate);
	if ((at = strchr(tmp, '@')) != NULL)
		*at++ = '\0';
	if (*tmp == '\0') {
		*cause = xprintf("rate '%s': no rate given", rate);
		goto out;
	}
	/* ^[0-9]+[GMK]?[Bb]/s$ */
	n = strspn(tmp, "0123456789");
	p = tmp + n;
	if (*p == 'G' || *p == 'M' || *p == 'K')
		p++;
	if (n == 0 || (*p != 'B' && *p != 'b') || strcmp(p + 1, "/s") != 0) {
		*cause = xprintf("rate '%s': '%s' is not a rate (e.g. 10Mb/s, "
		    "1MB/s)", rate, tmp);
		goto out;
	}
	errno = 0;
	bps = strtoull(tmp, &p, 0);
	if (bps == 0 || bps > UINT32_MAX || errno == ERANGE) {
		*cause = xprintf("rate '%s': rate out of range", rate);
		goto out;
	}
	if (*p == 'G')
		bps *= 1000 * 1000 * 1000;
	else if (*p == 'M')
		bps *= 1000 * 1000;
	else if (*p == 'K')
		bps *= 1000;
	if (*p == 'b' || p[1] == 'b')
		bps /= 8;

	if (at != NULL) {
		/* ^[0-9]+[mu]?s?$ */
		n = strspn(at, "0123456789");
		p = at + n;
		if (*p == 'm' || *p == 'u')
			p++;
		if (*p == 's')
			p++;
		if (n == 0 || *p != '\0') {
			*cause = xprintf("rate '%s': '%s' is not an interval "
			    "(e.g. 20ms, 500us, 1s)", rate, at);
			goto out;
		}
		errno = 0;
		usecs = strtoull(at, &p, 0);
		if (usecs == 0 || usecs > UINT32_MAX || errno == ERANGE) {
			*cause = xprintf("rate '%s': interval out of range",
			    rate);
			goto out;
		}
		if (*p == 's' || *p == '\0')
			usecs *= 1000 * 1000;
		else if (*p == 'm')
			usecs *= 1000;
		if (usecs > UINT32_MAX) {
			*cause = xprintf("rate '%s': interval out of range",
			    rate);
			goto out;
		}
	}
	if (bps > UINT64_MAX / usecs) {
		*cause = xprintf("rate '%s': rate out of range", rate);
		goto out;
	}
	*bytes_per_interval = bps * usecs / 1000000;
	*interval_usecs = (uint32_t)usecs;
	rc = 0;
out:
	free(tmp);
	return (rc);
}

/* xl's parse_ulong: decimal, not ULONG_MAX; we also bound it to int. */
static int
vif_number(const char *key, const char *s, long max, int *out, char **cause)
{
	unsigned long	 v;
	char		*ep;

	errno = 0;
	v = strtoul(s, &ep, 10);
	if (ep == s || *ep != '\0' || errno != 0 || v > (unsigned long)max) {
		*cause = xprintf("%s '%s' is not a number from 0 to %ld", key,
		    s, max);
		return (-1);
	}
	*out = (int)v;
	return (0);
}

static void
replace(char **where, const char *value)
{
	free(*where);
	*where = xstrdup(value);
}

int
xlcfg_parse_vif(const char *spec, struct xlcfg_vif *vif, char **cause)
{
	char		*buf, *tok, *save = NULL, *val, *why = NULL, *note;
	char		 mac[18];
	int		 rc = -1;

	memset(vif, 0, sizeof *vif);
	vif->spec = xstrdup(spec);
	vif->mtu = -1;
	vif->devid = -1;
	vif->trusted = -1;

	buf = xstrdup(spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;	/* only blanks: xl ignores it */
		val = strchr(tok, '=');
		val = val != NULL ? val + 1 : NULL;
#define KEY(k) (val != NULL && (size_t)(val - tok) == sizeof(k) && \
    strncmp(tok, k "=", sizeof(k)) == 0)
		if (KEY("type")) {
			if (strcmp(val, "vif") != 0 &&
			    strcmp(val, "ioemu") != 0) {
				why = xprintf("type '%s' is not vif or ioemu",
				    val);
				goto out;
			}
			replace(&vif->type, val);
		} else if (KEY("mac")) {
			if (!xlcfg_valid_mac(val, mac)) {
				why = xprintf("mac '%s' is not a MAC address "
				    "(six hex pairs: 00:16:3e:12:34:56)", val);
				goto out;
			}
			replace(&vif->mac, mac);
		} else if (KEY("bridge"))
			replace(&vif->bridge, val);
		else if (KEY("netdev") || KEY("gatewaydev"))
			replace(&vif->gatewaydev, val);
		else if (KEY("ip"))
			replace(&vif->ip, val);
		else if (KEY("script"))
			replace(&vif->script, val);
		else if (KEY("backend"))
			replace(&vif->backend, val);
		else if (KEY("vifname"))
			replace(&vif->vifname, val);
		else if (KEY("model"))
			replace(&vif->model, val);
		else if (KEY("rate")) {
			if (xlcfg_parse_rate(val, &vif->rate_bytes_per_interval,
			    &vif->rate_interval_usecs, &why) != 0)
				goto out;
			replace(&vif->rate, val);
		} else if (KEY("devid")) {
			if (vif_number("devid", val, INT_MAX, &vif->devid,
			    &why) != 0)
				goto out;
		} else if (KEY("mtu")) {
			if (vif_number("mtu", val, 65535, &vif->mtu,
			    &why) != 0)
				goto out;
		} else if (strcmp(tok, "trusted") == 0)
			vif->trusted = 1;
		else if (strcmp(tok, "untrusted") == 0)
			vif->trusted = 0;
		else if (val != NULL && (strncmp(tok, "colo_", 5) == 0 ||
		    strncmp(tok, "forwarddev=", 11) == 0 ||
		    strncmp(tok, "accel=", 6) == 0)) {
			note = xprintf("'%.*s' is not used by xendeck "
			    "(kept)", (int)(val - tok - 1), tok);
			strv_push(&vif->warnings, note);
			strv_push(&vif->extra, tok);
			free(note);
		} else {
			note = xprintf("unknown setting '%s' (kept; xl "
			    "ignores it)", tok);
			strv_push(&vif->warnings, note);
			strv_push(&vif->extra, tok);
			free(note);
		}
#undef KEY
	}
	if (vif->bridge == NULL) {
		vif->bridge = xstrdup(XLCFG_DEFAULT_BRIDGE);
		vif->defaulted |= XLCFG_VIF_DEF_BRIDGE;
	}
	if (vif->script == NULL) {
		vif->script = xstrdup("vif-bridge");
		vif->defaulted |= XLCFG_VIF_DEF_SCRIPT;
	}
	rc = 0;
out:
	if (rc != 0) {
		*cause = xprintf("vif '%s': %s", spec, why);
		xlcfg_clean_message(cause);
		xlcfg_vif_free(vif);
	}
	free(why);
	free(buf);
	return (rc);
}
