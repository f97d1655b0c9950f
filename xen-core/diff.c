/*
 * Unified diffs of two texts, as diff -u prints them (3 lines of context,
 * "\ No newline at end of file"), for the plans' file edits. The common
 * head and tail are cut off first (a wizard's edit touches a few lines of
 * a config file), then the longest common subsequence of the rest is found
 * with the classic table; a middle too big for the table (over 4M cells)
 * is shown as all removed, then all added: still a correct diff, only not
 * the shortest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen-core.h"

#define DIFF_CONTEXT	3
#define DIFF_MAX_CELLS	(4U * 1024 * 1024)

struct diff_line {
	const char	*s;
	size_t		 len;	/* without the newline */
	int		 nl;	/* ends with a newline */
};

struct diff_op {
	char	 op;		/* ' ', '-', '+' */
	size_t	 a, b;		/* line indexes before it, in a and b */
};

static size_t
diff_split(const char *text, size_t len, struct diff_line **out)
{
	struct diff_line	*v = NULL;
	size_t			 n = 0, size = 0;
	const char		*p = text, *end = text + len, *nl;

	while (p < end) {
		if (n == size) {
			size = size == 0 ? 64 : size * 2;
			v = xreallocarray(v, size, sizeof *v);
		}
		nl = memchr(p, '\n', end - p);
		v[n].s = p;
		v[n].len = (nl != NULL ? nl : end) - p;
		v[n].nl = nl != NULL;
		n++;
		p = nl != NULL ? nl + 1 : end;
	}
	*out = v;
	return (n);
}

static int
diff_eq(const struct diff_line *x, const struct diff_line *y)
{
	return (x->len == y->len && x->nl == y->nl &&
	    memcmp(x->s, y->s, x->len) == 0);
}

static void
diff_push(struct diff_op **ops, size_t *n, size_t *size, char op, size_t a,
    size_t b)
{
	if (*n == *size) {
		*size = *size == 0 ? 64 : *size * 2;
		*ops = xreallocarray(*ops, *size, sizeof **ops);
	}
	(*ops)[*n].op = op;
	(*ops)[*n].a = a;
	(*ops)[*n].b = b;
	(*n)++;
}

/* The edit script of a[0..na) to b[0..nb): equal, removed, added lines. */
static size_t
diff_script(const struct diff_line *a, size_t na, const struct diff_line *b,
    size_t nb, struct diff_op **ops)
{
	size_t		 n = 0, size = 0, pre = 0, suf = 0, ma, mb, i, j;
	uint32_t	*t = NULL;

	*ops = NULL;
	while (pre < na && pre < nb && diff_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre &&
	    diff_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
		suf++;
	ma = na - pre - suf;
	mb = nb - pre - suf;
	for (i = 0; i < pre; i++)
		diff_push(ops, &n, &size, ' ', i, i);
	if (ma > 0 && mb > 0 && (ma + 1) * (mb + 1) <= DIFF_MAX_CELLS) {
		/* t[i][j]: LCS length of a[pre+i..] and b[pre+j..]. */
		t = xcalloc((ma + 1) * (mb + 1), sizeof *t);
#define T(x, y) t[(x) * (mb + 1) + (y)]
		for (i = ma; i-- > 0;) {
			for (j = mb; j-- > 0;) {
				if (diff_eq(&a[pre + i], &b[pre + j]))
					T(i, j) = T(i + 1, j + 1) + 1;
				else if (T(i + 1, j) >= T(i, j + 1))
					T(i, j) = T(i + 1, j);
				else
					T(i, j) = T(i, j + 1);
			}
		}
		i = j = 0;
		while (i < ma || j < mb) {
			if (i < ma && j < mb &&
			    diff_eq(&a[pre + i], &b[pre + j])) {
				diff_push(ops, &n, &size, ' ', pre + i,
				    pre + j);
				i++;
				j++;
			} else if (j == mb || (i < ma &&
			    T(i + 1, j) >= T(i, j + 1))) {
				diff_push(ops, &n, &size, '-', pre + i,
				    pre + j);
				i++;
			} else {
				diff_push(ops, &n, &size, '+', pre + i,
				    pre + j);
				j++;
			}
		}
#undef T
		free(t);
	} else {
		for (i = 0; i < ma; i++)
			diff_push(ops, &n, &size, '-', pre + i, pre);
		for (j = 0; j < mb; j++)
			diff_push(ops, &n, &size, '+', pre + ma, pre + j);
	}
	for (i = 0; i < suf; i++)
		diff_push(ops, &n, &size, ' ', na - suf + i, nb - suf + i);
	return (n);
}

/* "-START,COUNT" as diff -u writes it (",1" left out). */
static void
diff_range(FILE *f, char sign, size_t first, size_t count)
{
	if (count == 0)
		fprintf(f, "%c%zu,0", sign, first);
	else if (count == 1)
		fprintf(f, "%c%zu", sign, first + 1);
	else
		fprintf(f, "%c%zu,%zu", sign, first + 1, count);
}

static void
diff_print_line(FILE *f, char op, const struct diff_line *l)
{
	fputc(op, f);
	fwrite(l->s, 1, l->len, f);
	fputc('\n', f);
	if (!l->nl)
		fputs("\\ No newline at end of file\n", f);
}

/*
 * A unified diff of a (alen bytes, NULL for none) and b, with aname and
 * bname in its header; "" when they are equal. The caller frees it.
 */
char *
text_diff(const char *aname, const char *a, size_t alen, const char *bname,
    const char *b, size_t blen)
{
	struct diff_line	*la = NULL, *lb = NULL;
	struct diff_op		*ops = NULL;
	size_t			 na, nb, n, i, start, end, k, ca, cb, last;
	char			*buf = NULL;
	size_t			 buflen = 0;
	FILE			*f;

	na = diff_split(a != NULL ? a : "", a != NULL ? alen : 0, &la);
	nb = diff_split(b != NULL ? b : "", b != NULL ? blen : 0, &lb);
	n = diff_script(la, na, lb, nb, &ops);
	if ((f = open_memstream(&buf, &buflen)) == NULL)
		fatal("open_memstream");
	for (i = 0; i < n && ops[i].op == ' '; i++)
		;
	if (i < n)
		fprintf(f, "--- %s\n+++ %s\n", aname, bname);
	while (i < n) {
		/* A hunk: changes closer than 2 contexts apart, joined. */
		start = i > DIFF_CONTEXT ? i - DIFF_CONTEXT : 0;
		last = i;
		for (k = i; k < n; k++) {
			if (ops[k].op != ' ')
				last = k;
			else if (k - last > 2 * DIFF_CONTEXT)
				break;
		}
		end = last + 1 + DIFF_CONTEXT;
		if (end > n)
			end = n;
		for (ca = cb = 0, k = start; k < end; k++) {
			if (ops[k].op != '+')
				ca++;
			if (ops[k].op != '-')
				cb++;
		}
		fputs("@@ ", f);
		diff_range(f, '-', ops[start].a, ca);
		fputc(' ', f);
		diff_range(f, '+', ops[start].b, cb);
		fputs(" @@\n", f);
		for (k = start; k < end; k++) {
			if (ops[k].op == '+')
				diff_print_line(f, '+', &lb[ops[k].b]);
			else
				diff_print_line(f, ops[k].op, &la[ops[k].a]);
		}
		for (i = end; i < n && ops[i].op == ' '; i++)
			;
	}
	if (fclose(f) != 0)
		fatal("open_memstream");
	free(la);
	free(lb);
	free(ops);
	return (buf);
}
