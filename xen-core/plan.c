/*
 * Plans as data (xen-core.h, "the wizard engine"): building them, showing
 * them (numbered steps, the exact shell-quoted commands, a unified diff of
 * every file edit), and saving them as plan.json beside a run's journal.
 * Exporting them is plan-export.c's, running them plan-run.c's.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"

/*
 * SHA-256 (FIPS 180-4). Small enough to keep here rather than link a
 * crypto library for hashing config files.
 */
struct sha256 {
	uint32_t	 h[8];
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(struct sha256 *c, const uint8_t *p)
{
	uint32_t	 w[64], a, b, d, e, f, g, h, cc, t1, t2;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] << 24 | (uint32_t)p[i * 4 + 1] << 16 |
		    (uint32_t)p[i * 4 + 2] << 8 | p[i * 4 + 3];
	for (; i < 64; i++)
		w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    (w[i - 15] >> 3)) + w[i - 7] + (ROR(w[i - 2], 17) ^
		    ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
	e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

/* The SHA-256 of data as 64 lowercase hex digits. */
void
sha256_hex(const void *data, size_t len, char out[65])
{
	static const uint32_t	 iv[8] = { 0x6a09e667, 0xbb67ae85,
				    0x3c6ef372, 0xa54ff53a, 0x510e527f,
				    0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	struct sha256		 c;
	const uint8_t		*p = data;
	uint8_t			 pad[128];
	uint64_t		 bits = (uint64_t)len * 8;
	size_t			 npad, i;

	memcpy(c.h, iv, sizeof c.h);
	for (; len >= 64; p += 64, len -= 64)
		sha256_block(&c, p);
	/* The tail, 0x80, zeros, then the length in bits (big-endian). */
	memset(pad, 0, sizeof pad);
	memcpy(pad, p, len);
	pad[len] = 0x80;
	npad = len < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		pad[npad - 1 - i] = (uint8_t)(bits >> (i * 8));
	sha256_block(&c, pad);
	if (npad == 128)
		sha256_block(&c, pad + 64);
	for (i = 0; i < 8; i++)
		snprintf(out + i * 8, 9, "%08x", c.h[i]);
}

void
plan_init(struct plan *p, const char *wizard)
{
	memset(p, 0, sizeof *p);
	p->wizard = xstrdup(wizard != NULL ? wizard : "");
}

static void
plan_check_free(struct plan_check *c)
{
	strv_free(c->argv);
	free(c->match);
	memset(c, 0, sizeof *c);
}

static void
plan_step_free(struct plan_step *s)
{
	free(s->id);
	free(s->title);
	free(s->explain);
	strv_free(s->argv);
	free(s->input);
	free(s->file.path);
	free(s->file.before);
	free(s->file.after);
	free(s->file.backup);
	plan_check_free(&s->probe);
	plan_check_free(&s->verify);
	strv_free(s->undo);
	strv_free(s->destroys);
	free(s->consent_key);
	memset(s, 0, sizeof *s);
}

void
plan_free(struct plan *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsteps; i++)
		plan_step_free(&p->steps[i]);
	free(p->steps);
	for (i = 0; i < p->nfacts; i++) {
		free(p->facts[i].key);
		free(p->facts[i].value);
		free(p->facts[i].changed_by);
	}
	free(p->facts);
	free(p->wizard);
	free(p->title);
	strv_free(p->answers);
	strv_free(p->notes);
	memset(p, 0, sizeof *p);
}

/* Record an answer ("key=value") the plan was made from. */
void
plan_answer(struct plan *p, const char *key, const char *value)
{
	char	*kv;

	xasprintf(&kv, "%s=%s", key, value);
	strv_push(&p->answers, kv);
	free(kv);
}

/* Record a fact; a key given again replaces the old value. */
void
plan_fact(struct plan *p, const char *key, const char *value,
    const char *changed_by)
{
	struct plan_fact	*f;
	size_t			 i;

	for (i = 0; i < p->nfacts; i++) {
		f = &p->facts[i];
		if (strcmp(f->key, key) != 0)
			continue;
		free(f->value);
		free(f->changed_by);
		f->value = xstrdup(value != NULL ? value : "");
		f->changed_by = changed_by != NULL ? xstrdup(changed_by) :
		    NULL;
		return;
	}
	p->facts = xreallocarray(p->facts, p->nfacts + 1, sizeof *p->facts);
	f = &p->facts[p->nfacts++];
	f->key = xstrdup(key);
	f->value = xstrdup(value != NULL ? value : "");
	f->changed_by = changed_by != NULL ? xstrdup(changed_by) : NULL;
}

const char *
plan_fact_get(const struct plan *p, const char *key)
{
	size_t	 i;

	for (i = 0; i < p->nfacts; i++) {
		if (strcmp(p->facts[i].key, key) == 0)
			return (p->facts[i].value);
	}
	return (NULL);
}

void
plan_note(struct plan *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	strv_push(&p->notes, s);
	free(s);
}

/* Step ids name steps in journals and JSON: [A-Za-z0-9_.-], unique. */
static struct plan_step *
plan_add_step(struct plan *p, const char *id, const char *title,
    enum plan_kind kind)
{
	struct plan_step	*s;

	if (!valid_name(id))
		fatalx("plan %s: bad step id '%s'", p->wizard, id);
	if (plan_step_find(p, id) != NULL)
		fatalx("plan %s: step id '%s' used twice", p->wizard, id);
	p->steps = xreallocarray(p->steps, p->nsteps + 1, sizeof *p->steps);
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(id);
	s->title = xstrdup(title);
	s->kind = kind;
	return (s);
}

struct plan_step *
plan_add_run(struct plan *p, const char *id, const char *title,
    char *const *argv)
{
	struct plan_step	*s;

	if (argv == NULL || argv[0] == NULL)
		fatalx("plan %s: step %s has no argv", p->wizard, id);
	s = plan_add_step(p, id, title, PLAN_RUN);
	s->argv = strv_dup(argv);
	return (s);
}

/* A xendeck command: argv[0] is "xendeck" (added when it is not). */
struct plan_step *
plan_add_op(struct plan *p, const char *id, const char *title,
    char *const *argv)
{
	struct plan_step	*s;
	size_t			 i;

	if (argv == NULL || argv[0] == NULL)
		fatalx("plan %s: step %s has no argv", p->wizard, id);
	s = plan_add_step(p, id, title, PLAN_OP);
	if (strcmp(argv[0], "xendeck") != 0)
		strv_push(&s->argv, "xendeck");
	for (i = 0; argv[i] != NULL; i++)
		strv_push(&s->argv, argv[i]);
	return (s);
}

/*
 * A file step. The file's current content is read now: that is what the
 * step may replace, and what undo puts back. mode 0 keeps the current
 * file's mode (0644 for a new file). Symbolic links are refused: replacing
 * one with a file would change what it means.
 */
struct plan_step *
plan_add_file(struct plan *p, const char *id, const char *title,
    const char *path, const char *after, size_t afterlen, mode_t mode,
    char **cause)
{
	struct plan_step	*s;
	struct stat		 st;
	char			*before = NULL;
	size_t			 beforelen = 0;
	int			 existed = 0;

	if (path == NULL || *path != '/') {
		*cause = xprintf("%s: not an absolute path", path != NULL ?
		    path : "(null)");
		return (NULL);
	}
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			*cause = xprintf("%s: a symbolic link; xendeck edits "
			    "regular files only (edit its target)", path);
			return (NULL);
		}
		if (!S_ISREG(st.st_mode)) {
			*cause = xprintf("%s: not a regular file", path);
			return (NULL);
		}
		if (file_read(path, &before, &beforelen, cause) != 0)
			return (NULL);
		existed = 1;
		if (mode == 0)
			mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (mode == 0)
		mode = 0644;
	s = plan_add_step(p, id, title, PLAN_FILE);
	s->file.path = xstrdup(path);
	s->file.existed = existed;
	s->file.before = before;
	s->file.beforelen = beforelen;
	if (existed)
		sha256_hex(before, beforelen, s->file.before_sha);
	if (after != NULL) {
		s->file.after = xmalloc(afterlen + 1);
		memcpy(s->file.after, after, afterlen);
		s->file.after[afterlen] = '\0';
		s->file.afterlen = afterlen;
		sha256_hex(after, afterlen, s->file.after_sha);
	}
	s->file.mode = mode;
	xasprintf(&s->file.backup, "%s.xendeck-bak", path);
	return (s);
}

void
plan_step_explain(struct plan_step *s, const char *fmt, ...)
{
	va_list	 ap;

	free(s->explain);
	va_start(ap, fmt);
	xvasprintf(&s->explain, fmt, ap);
	va_end(ap);
}

static void
plan_check_set(struct plan_check *c, char *const *argv, const char *match,
    int negate)
{
	plan_check_free(c);
	if (argv == NULL || argv[0] == NULL)
		return;
	c->argv = strv_dup(argv);
	c->match = match != NULL ? xstrdup(match) : NULL;
	c->negate = negate;
}

void
plan_step_probe(struct plan_step *s, char *const *argv, const char *match,
    int negate)
{
	plan_check_set(&s->probe, argv, match, negate);
}

void
plan_step_verify(struct plan_step *s, char *const *argv, const char *match,
    int negate)
{
	plan_check_set(&s->verify, argv, match, negate);
}

void
plan_step_undo(struct plan_step *s, char *const *argv)
{
	strv_free(s->undo);
	s->undo = argv != NULL && argv[0] != NULL ? strv_dup(argv) : NULL;
}

void
plan_step_destroys(struct plan_step *s, const char *object,
    const char *consent_key)
{
	strv_push(&s->destroys, object);
	if (consent_key != NULL) {
		free(s->consent_key);
		s->consent_key = xstrdup(consent_key);
	}
	s->flags |= PLAN_DESTRUCTIVE;
}

struct plan_step *
plan_step_find(const struct plan *p, const char *id)
{
	size_t	 i;

	for (i = 0; i < p->nsteps; i++) {
		if (strcmp(p->steps[i].id, id) == 0)
			return (&p->steps[i]);
	}
	return (NULL);
}

char *
plan_step_command(const struct plan_step *s)
{
	if (s->kind == PLAN_FILE) {
		return (xprintf("(file %s) %s", s->file.after != NULL ?
		    "edit" : "removal", s->file.path));
	}
	return (spawn_argv_string(s->argv));
}

/* A check as words: "test -d /srv succeeds", "... prints 'x'". */
static char *
check_words(const struct plan_check *c)
{
	char	*cmd, *m = NULL, *out;

	cmd = spawn_argv_string(c->argv);
	if (c->match != NULL)
		m = shell_quote(c->match);
	out = xprintf("%s%s%s%s", cmd, c->negate ? " fails" : " succeeds",
	    m != NULL ? (c->negate ? " or does not print " : " and prints ") :
	    "", m != NULL ? m : "");
	free(cmd);
	free(m);
	return (out);
}

/* Each line of text after indent (plan_show's and plan_export's layout). */
void
plan_put_indented(FILE *f, const char *indent, const char *text)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		fprintf(f, "%s%.*s\n", indent, (int)(nl != NULL ? nl - p :
		    (ptrdiff_t)strlen(p)), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* The diff a file step makes, as text_diff() gives it. */
static char *
plan_file_diff(const struct plan_file *pf)
{
	char	*a, *b, *d;

	if (pf->existed)
		a = xstrdup(pf->path);
	else
		a = xstrdup("/dev/null");
	if (pf->after != NULL)
		b = xstrdup(pf->path);
	else
		b = xstrdup("/dev/null");
	d = text_diff(a, pf->before, pf->beforelen, b, pf->after,
	    pf->afterlen);
	free(a);
	free(b);
	return (d);
}

/*
 * The plan for people: title, answers, facts, then the numbered steps with
 * their exact commands (or diffs), probes, verifications, undos and what
 * they destroy; the notes last. PLAN_SHOW_EXPLAIN adds the explanations.
 */
char *
plan_show(const struct plan *p, int flags)
{
	const struct plan_step	*s;
	char			*buf = NULL, *cmd, *d, *list;
	size_t			 len = 0, i, j;
	FILE			*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "Wizard %s%s%s\n", p->wizard, p->title != NULL ? ": " : "",
	    p->title != NULL ? p->title : "");
	if (p->answers != NULL && p->answers[0] != NULL) {
		fprintf(f, "Answers:\n");
		for (i = 0; p->answers[i] != NULL; i++)
			fprintf(f, "  %s\n", p->answers[i]);
	}
	if (p->nfacts > 0) {
		fprintf(f, "Made from these facts (--resume checks them "
		    "again):\n");
		for (i = 0; i < p->nfacts; i++)
			fprintf(f, "  %s: %s\n", p->facts[i].key,
			    p->facts[i].value);
	}
	fprintf(f, "Steps (%zu):\n", p->nsteps);
	for (i = 0; i < p->nsteps; i++) {
		s = &p->steps[i];
		fprintf(f, "%3zu. %s  [%s]\n", i + 1, s->title, s->id);
		if (s->kind == PLAN_FILE) {
			if (s->file.after == NULL)
				fprintf(f, "     remove %s (kept as %s)\n",
				    s->file.path, s->file.backup);
			else
				fprintf(f, "     %s %s (mode %04o%s%s)\n",
				    s->file.existed ? "edit" : "create",
				    s->file.path, (unsigned)s->file.mode,
				    s->file.existed ? ", old content kept as " :
				    "", s->file.existed ? s->file.backup : "");
			d = plan_file_diff(&s->file);
			if (*d == '\0')
				fprintf(f, "     (no change)\n");
			else
				plan_put_indented(f, "     ", d);
			free(d);
		} else {
			cmd = plan_step_command(s);
			fprintf(f, "     $ %s%s\n", cmd, s->input != NULL ?
			    " <<EOF" : "");
			free(cmd);
			if (s->input != NULL && (s->flags & PLAN_SECRET))
				fprintf(f, "     (its input is secret: not "
				    "shown)\n     EOF\n");
			else if (s->input != NULL) {
				plan_put_indented(f, "     ", s->input);
				fprintf(f, "     EOF\n");
			}
			if (s->probe.argv != NULL) {
				d = check_words(&s->probe);
				fprintf(f, "     skipped when: %s\n", d);
				free(d);
			} else if (s->flags & PLAN_RERUN)
				fprintf(f, "     safe to run again\n");
			if (s->verify.argv != NULL) {
				d = check_words(&s->verify);
				fprintf(f, "     verified: %s\n", d);
				free(d);
			}
			if (s->undo != NULL) {
				d = spawn_argv_string(s->undo);
				fprintf(f, "     undo: %s\n", d);
				free(d);
			}
		}
		if (s->flags & PLAN_DESTRUCTIVE) {
			list = NULL;
			for (j = 0; s->destroys != NULL &&
			    s->destroys[j] != NULL; j++) {
				d = list;
				xasprintf(&list, "%s%s%s", d != NULL ? d : "",
				    d != NULL ? ", " : "", s->destroys[j]);
				free(d);
			}
			fprintf(f, "     DESTROYS %s (needs --yes and %s=%s)\n",
			    list != NULL ? list : "data",
			    s->consent_key != NULL ? s->consent_key : "yes",
			    list != NULL ? list : "...");
			free(list);
		}
		if (s->flags & PLAN_REBOOT)
			fprintf(f, "     takes effect at the next boot\n");
		if ((flags & PLAN_SHOW_EXPLAIN) && s->explain != NULL)
			plan_put_indented(f, "     # ", s->explain);
	}
	if (p->notes != NULL && p->notes[0] != NULL) {
		fprintf(f, "Notes:\n");
		for (i = 0; p->notes[i] != NULL; i++) {
			fprintf(f, "  * ");
			plan_put_indented(f, "", p->notes[i]);
		}
	}
	if (fclose(f) != 0)
		fatal("open_memstream");
	return (buf);
}

/*
 * plan.json
 */

/* Bytes as a JSON string when they are UTF-8 text, else as base64. */
static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
b64_encode(const unsigned char *s, size_t len)
{
	char	*out, *q;
	size_t	 i;
	uint32_t v;

	out = q = xmalloc(((len + 2) / 3) * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		*q++ = b64[v >> 18];
		*q++ = b64[(v >> 12) & 63];
		*q++ = b64[(v >> 6) & 63];
		*q++ = b64[v & 63];
	}
	if (i < len) {
		v = (uint32_t)s[i] << 16 | (i + 1 < len ?
		    (uint32_t)s[i + 1] << 8 : 0);
		*q++ = b64[v >> 18];
		*q++ = b64[(v >> 12) & 63];
		*q++ = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		*q++ = '=';
	}
	*q = '\0';
	return (out);
}

static int
b64_decode(const char *s, char **out, size_t *outlen)
{
	size_t		 n = strlen(s), i, o = 0;
	uint32_t	 v = 0;
	int		 bits = 0;
	const char	*c;
	char		*buf;

	buf = xmalloc(n / 4 * 3 + 4);
	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		if ((c = strchr(b64, s[i])) == NULL || s[i] == '\0') {
			free(buf);
			return (-1);
		}
		v = v << 6 | (uint32_t)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (char)((v >> bits) & 0xff);
		}
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return (0);
}

static void
json_set_bytes(json_t *o, const char *key, const char *s, size_t len)
{
	json_t	*v;
	char	*k, *e;

	if (s == NULL)
		return;
	if (memchr(s, '\0', len) == NULL &&
	    (v = json_stringn(s, len)) != NULL) {
		json_object_set_new(o, key, v);
		return;
	}
	xasprintf(&k, "%s_b64", key);
	e = b64_encode((const unsigned char *)s, len);
	json_object_set_new(o, k, json_string(e));
	free(e);
	free(k);
}

static json_t *
json_strv(char *const *v)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		json_array_append_new(a, json_string(v[i]));
	return (a);
}

static json_t *
json_check(const struct plan_check *c)
{
	json_t	*o;

	if (c->argv == NULL)
		return (json_null());
	o = json_object();
	json_object_set_new(o, "argv", json_strv(c->argv));
	if (c->match != NULL)
		json_object_set_new(o, "match", json_string(c->match));
	json_object_set_new(o, "negate", json_boolean(c->negate));
	return (o);
}

static const struct {
	int		 flag;
	const char	*name;
} plan_flag_names[] = {
	{ PLAN_DESTRUCTIVE, "destructive" },
	{ PLAN_SECRET, "secret" },
	{ PLAN_RERUN, "rerun" },
	{ PLAN_REBOOT, "reboot" },
};

static const char *const plan_kind_names[] = { "run", "file", "op" };

/*
 * The plan as JSON (the caller's reference). A PLAN_SECRET step's input
 * is left out.
 */
json_t *
plan_to_json(const struct plan *p)
{
	const struct plan_step	*s;
	json_t			*o, *a, *so, *fo, *fl;
	size_t			 i, k;

	o = json_object();
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "wizard", json_string(p->wizard));
	if (p->title != NULL)
		json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "answers", json_strv(p->answers));
	a = json_array();
	for (i = 0; i < p->nfacts; i++) {
		so = json_object();
		json_object_set_new(so, "key", json_string(p->facts[i].key));
		json_object_set_new(so, "value",
		    json_string(p->facts[i].value));
		if (p->facts[i].changed_by != NULL)
			json_object_set_new(so, "changed_by",
			    json_string(p->facts[i].changed_by));
		json_array_append_new(a, so);
	}
	json_object_set_new(o, "facts", a);
	json_object_set_new(o, "notes", json_strv(p->notes));
	a = json_array();
	for (i = 0; i < p->nsteps; i++) {
		s = &p->steps[i];
		so = json_object();
		json_object_set_new(so, "id", json_string(s->id));
		json_object_set_new(so, "title", json_string(s->title));
		if (s->explain != NULL)
			json_object_set_new(so, "explain",
			    json_string(s->explain));
		json_object_set_new(so, "kind",
		    json_string(plan_kind_names[s->kind]));
		if (s->argv != NULL)
			json_object_set_new(so, "argv", json_strv(s->argv));
		if (s->input != NULL && !(s->flags & PLAN_SECRET))
			json_object_set_new(so, "input",
			    json_string(s->input));
		if (s->kind == PLAN_FILE) {
			fo = json_object();
			json_object_set_new(fo, "path",
			    json_string(s->file.path));
			json_object_set_new(fo, "existed",
			    json_boolean(s->file.existed));
			if (s->file.existed) {
				json_set_bytes(fo, "before", s->file.before,
				    s->file.beforelen);
				json_object_set_new(fo, "before_sha",
				    json_string(s->file.before_sha));
			}
			if (s->file.after != NULL) {
				json_set_bytes(fo, "after", s->file.after,
				    s->file.afterlen);
				json_object_set_new(fo, "after_sha",
				    json_string(s->file.after_sha));
			}
			json_object_set_new(fo, "mode",
			    json_integer(s->file.mode));
			json_object_set_new(fo, "backup",
			    json_string(s->file.backup));
			json_object_set_new(so, "file", fo);
		}
		json_object_set_new(so, "probe", json_check(&s->probe));
		json_object_set_new(so, "verify", json_check(&s->verify));
		if (s->undo != NULL)
			json_object_set_new(so, "undo", json_strv(s->undo));
		if (s->destroys != NULL)
			json_object_set_new(so, "destroys",
			    json_strv(s->destroys));
		if (s->consent_key != NULL)
			json_object_set_new(so, "consent_key",
			    json_string(s->consent_key));
		fl = json_array();
		for (k = 0; k < nitems(plan_flag_names); k++) {
			if (s->flags & plan_flag_names[k].flag)
				json_array_append_new(fl,
				    json_string(plan_flag_names[k].name));
		}
		json_object_set_new(so, "flags", fl);
		if (s->timeout_s != 0)
			json_object_set_new(so, "timeout_s",
			    json_integer(s->timeout_s));
		json_array_append_new(a, so);
	}
	json_object_set_new(o, "steps", a);
	return (o);
}

static char **
strv_from_json(json_t *a)
{
	char	**v = NULL;
	size_t	  i;
	json_t	 *e;

	if (!json_is_array(a))
		return (NULL);
	v = xcalloc(1, sizeof *v);
	json_array_foreach(a, i, e) {
		if (json_is_string(e))
			strv_push(&v, json_string_value(e));
	}
	return (v);
}

static const char *
json_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static int
bytes_from_json(json_t *o, const char *key, char **out, size_t *len)
{
	json_t	*v;
	char	*k;
	int	 rc;

	if ((v = json_object_get(o, key)) != NULL && json_is_string(v)) {
		*len = json_string_length(v);
		*out = xmalloc(*len + 1);
		memcpy(*out, json_string_value(v), *len);
		(*out)[*len] = '\0';
		return (1);
	}
	xasprintf(&k, "%s_b64", key);
	v = json_object_get(o, k);
	free(k);
	if (v == NULL || !json_is_string(v))
		return (0);
	rc = b64_decode(json_string_value(v), out, len);
	return (rc == 0 ? 1 : -1);
}

static void
check_from_json(json_t *o, struct plan_check *c)
{
	memset(c, 0, sizeof *c);
	if (!json_is_object(o))
		return;
	c->argv = strv_from_json(json_object_get(o, "argv"));
	if (c->argv != NULL && c->argv[0] == NULL) {
		strv_free(c->argv);
		c->argv = NULL;
	}
	if (json_str(o, "match") != NULL)
		c->match = xstrdup(json_str(o, "match"));
	c->negate = json_is_true(json_object_get(o, "negate"));
}

/* Read a plan from its JSON; -1 with *cause naming what is wrong. */
int
plan_from_json(json_t *o, struct plan *p, char **cause)
{
	struct plan_step	*s;
	json_t			*a, *e, *fo, *fl, *fe;
	const char		*v, *kind;
	size_t			 i, k, n;
	int			 r;

	plan_init(p, NULL);
	if (!json_is_object(o) || (v = json_str(o, "wizard")) == NULL) {
		*cause = xstrdup("not a xendeck plan (no \"wizard\")");
		goto fail;
	}
	free(p->wizard);
	p->wizard = xstrdup(v);
	if ((v = json_str(o, "title")) != NULL)
		p->title = xstrdup(v);
	p->answers = strv_from_json(json_object_get(o, "answers"));
	p->notes = strv_from_json(json_object_get(o, "notes"));
	json_array_foreach(json_object_get(o, "facts"), i, e) {
		if (json_str(e, "key") == NULL)
			continue;
		plan_fact(p, json_str(e, "key"), json_str(e, "value"),
		    json_str(e, "changed_by"));
	}
	a = json_object_get(o, "steps");
	if (!json_is_array(a)) {
		*cause = xstrdup("the plan has no \"steps\" array");
		goto fail;
	}
	n = json_array_size(a);
	p->steps = xcalloc(n, sizeof *p->steps);
	json_array_foreach(a, i, e) {
		s = &p->steps[p->nsteps++];
		if (json_str(e, "id") == NULL || json_str(e, "title") == NULL ||
		    (kind = json_str(e, "kind")) == NULL) {
			*cause = xprintf("step %zu: no id, title or kind",
			    i + 1);
			goto fail;
		}
		s->id = xstrdup(json_str(e, "id"));
		s->title = xstrdup(json_str(e, "title"));
		if ((v = json_str(e, "explain")) != NULL)
			s->explain = xstrdup(v);
		for (k = 0; k < nitems(plan_kind_names); k++) {
			if (strcmp(kind, plan_kind_names[k]) == 0)
				break;
		}
		if (k == nitems(plan_kind_names)) {
			*cause = xprintf("step %s: unknown kind %s", s->id,
			    kind);
			goto fail;
		}
		s->kind = (enum plan_kind)k;
		s->argv = strv_from_json(json_object_get(e, "argv"));
		if (s->kind != PLAN_FILE && (s->argv == NULL ||
		    s->argv[0] == NULL)) {
			*cause = xprintf("step %s: no argv", s->id);
			goto fail;
		}
		if ((v = json_str(e, "input")) != NULL)
			s->input = xstrdup(v);
		fo = json_object_get(e, "file");
		if (s->kind == PLAN_FILE) {
			if ((v = json_str(fo, "path")) == NULL) {
				*cause = xprintf("step %s: no file path",
				    s->id);
				goto fail;
			}
			s->file.path = xstrdup(v);
			s->file.existed = json_is_true(json_object_get(fo,
			    "existed"));
			r = bytes_from_json(fo, "before", &s->file.before,
			    &s->file.beforelen);
			if (r < 0 || (s->file.existed && r == 0)) {
				*cause = xprintf("step %s: bad \"before\"",
				    s->id);
				goto fail;
			}
			if (bytes_from_json(fo, "after", &s->file.after,
			    &s->file.afterlen) < 0) {
				*cause = xprintf("step %s: bad \"after\"",
				    s->id);
				goto fail;
			}
			/* The hashes are recomputed: the content rules. */
			if (s->file.existed)
				sha256_hex(s->file.before, s->file.beforelen,
				    s->file.before_sha);
			if (s->file.after != NULL)
				sha256_hex(s->file.after, s->file.afterlen,
				    s->file.after_sha);
			s->file.mode = (mode_t)json_integer_value(
			    json_object_get(fo, "mode"));
			v = json_str(fo, "backup");
			s->file.backup = v != NULL ? xstrdup(v) :
			    xprintf("%s.xendeck-bak", s->file.path);
		}
		check_from_json(json_object_get(e, "probe"), &s->probe);
		check_from_json(json_object_get(e, "verify"), &s->verify);
		s->undo = strv_from_json(json_object_get(e, "undo"));
		s->destroys = strv_from_json(json_object_get(e, "destroys"));
		if ((v = json_str(e, "consent_key")) != NULL)
			s->consent_key = xstrdup(v);
		fl = json_object_get(e, "flags");
		json_array_foreach(fl, k, fe) {
			size_t	 m;

			for (m = 0; m < nitems(plan_flag_names); m++) {
				if (json_is_string(fe) &&
				    strcmp(json_string_value(fe),
				    plan_flag_names[m].name) == 0)
					s->flags |= plan_flag_names[m].flag;
			}
		}
		s->timeout_s = (int)json_integer_value(json_object_get(e,
		    "timeout_s"));
	}
	return (0);
fail:
	plan_free(p);
	return (-1);
}

/* Load a plan.json; -1 with *cause naming the file. */
int
plan_load(const char *path, struct plan *p, char **cause)
{
	json_t		*o;
	json_error_t	 err;
	char		*why = NULL;

	if ((o = json_load_file(path, 0, &err)) == NULL) {
		*cause = xprintf("%s:%d:%d: %s", path, err.line, err.column,
		    err.text);
		return (-1);
	}
	if (plan_from_json(o, p, &why) != 0) {
		*cause = xprintf("%s: %s", path, why);
		free(why);
		json_decref(o);
		return (-1);
	}
	json_decref(o);
	return (0);
}

/*
 * What differs between the facts a saved plan was made from and the facts
 * now, as "KEY: was 'A', now 'B'" parts joined by "; ", or NULL when
 * nothing did. A fact whose changed_by step has begun in the run (the
 * plan itself changes it) is not compared.
 */
char *
plan_facts_stale(const struct plan *saved, const struct plan *now,
    const char *run)
{
	const struct plan_fact	*f;
	const char		*v;
	char			*out = NULL, *part, *prev;
	size_t			 i;

	for (i = 0; i < saved->nfacts; i++) {
		f = &saved->facts[i];
		if (f->changed_by != NULL && run != NULL &&
		    plan_step_begun(run, f->changed_by))
			continue;
		v = plan_fact_get(now, f->key);
		if (v != NULL && strcmp(v, f->value) == 0)
			continue;
		if (v == NULL)
			part = xprintf("%s: was '%s', now unknown", f->key,
			    f->value);
		else
			part = xprintf("%s: was '%s', now '%s'", f->key,
			    f->value, v);
		prev = out;
		xasprintf(&out, "%s%s%s", prev != NULL ? prev : "",
		    prev != NULL ? "; " : "", part);
		free(prev);
		free(part);
	}
	return (out);
}
