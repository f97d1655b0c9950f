/*
 * top: xentop's batch mode (`top -b`) from the column table, as text like
 * xentop -b, CSV or JSON lines; without -b, the console's Top view.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "console.h"

static int	cmd_top_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_top_entry = {
	.name = "top",
	.usage = "[-b] [-i N] [-d SEC] [-r] [-f COLUMNS] [--csv|--json]",
	.summary = "domains' resource use (xl top); -b for batch output",
	.help =
	    "Without -b, opens the console on its Top view.\n"
	    "\n"
	    "  -b            batch mode: print samples, like xentop -b\n"
	    "  -i N          N samples, then exit (default: until killed;\n"
	    "                1 from the console's prompt)\n"
	    "  -d SEC        seconds between samples (default 3, like "
	    "xentop)\n"
	    "  -r            add the rate columns (KB/s, IOPS)\n"
	    "  -f COLUMNS    comma-separated columns, by key or title, e.g.\n"
	    "                name,cpu_pct,MEM(k)\n"
	    "  --csv         comma-separated values, a header per sample\n"
	    "  --json        one JSON object per sample and line\n"
	    "\n"
	    "As in xentop, the first sample's CPU(%) is 0.0: a rate needs\n"
	    "two samples. A value that does not exist prints as -, empty\n"
	    "in CSV and null in JSON.\n",
	.exec = cmd_top_exec,
};

enum top_format { TOP_TEXT, TOP_CSV, TOP_JSON };

static const struct option top_longopts[] = {
	{ "csv",	no_argument,		NULL, 'C' },
	{ "json",	no_argument,		NULL, 'J' },
	{ "fields",	required_argument,	NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

static void
top_print_text(FILE *f, struct sampler *s, const enum col_id *ids, size_t n)
{
	char		 buf[64];
	size_t		 i, j;

	for (j = 0; j < n; j++)
		fprintf(f, "%s%*s", j ? " " : "", col_table[ids[j]].width,
		    col_table[ids[j]].title);
	fputc('\n', f);
	for (i = 0; i < s->nrows; i++) {
		for (j = 0; j < n; j++) {
			col_format(&col_table[ids[j]], s->rows[i], buf,
			    sizeof buf);
			fprintf(f, "%s%*s", j ? " " : "",
			    col_table[ids[j]].width, buf);
		}
		fputc('\n', f);
	}
}

static void
top_print_csv(FILE *f, struct sampler *s, const enum col_id *ids, size_t n)
{
	char	 buf[64];
	size_t	 i, j;

	for (j = 0; j < n; j++)
		fprintf(f, "%s%s", j ? "," : "", col_table[ids[j]].title);
	fputc('\n', f);
	for (i = 0; i < s->nrows; i++) {
		for (j = 0; j < n; j++) {
			if (col_format(&col_table[ids[j]], s->rows[i], buf,
			    sizeof buf) != NULL)
				*buf = '\0';
			fprintf(f, "%s%s", j ? "," : "", buf);
		}
		fputc('\n', f);
	}
}

/* A cell as a JSON value: an integer, a real, a string or null. */
static json_t *
top_json_value(const struct column *c, const struct dom_row *r)
{
	char		 buf[64], *end;
	long long	 ll;
	double		 d;

	if (col_format(c, r, buf, sizeof buf) != NULL)
		return (json_null());
	if (!c->numeric)
		return (json_string(buf));
	errno = 0;
	ll = strtoll(buf, &end, 10);
	if (*end == '\0' && errno == 0)
		return (json_integer(ll));
	d = strtod(buf, &end);
	if (*end == '\0')
		return (json_real(d));
	return (json_string(buf));
}

static void
top_print_json(FILE *f, struct sampler *s, const enum col_id *ids, size_t n)
{
	json_t		*top, *doms, *dom;
	struct timespec	 ts;
	size_t		 i, j;
	char		*text;

	clock_gettime(CLOCK_REALTIME, &ts);
	top = json_object();
	json_object_set_new(top, "time", json_real(ts.tv_sec +
	    ts.tv_nsec / 1e9));
	doms = json_array();
	for (i = 0; i < s->nrows; i++) {
		dom = json_object();
		for (j = 0; j < n; j++)
			json_object_set_new(dom, col_table[ids[j]].key,
			    top_json_value(&col_table[ids[j]], s->rows[i]));
		json_array_append_new(doms, dom);
	}
	json_object_set_new(top, "domains", doms);
	text = json_dumps(top, JSON_PRESERVE_ORDER | JSON_COMPACT);
	fprintf(f, "%s\n", text);
	free(text);
	json_decref(top);
}

static int
cmd_top_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be;
	struct sampler			 s;
	enum col_id			 ids[COL_NCOLUMNS];
	enum top_format			 format = TOP_TEXT;
	const char			*fields = NULL;
	char				*cause = NULL, *end;
	size_t				 n = 0, i;
	long				 iterations = 0, k;
	double				 delay = 3;
	int				 ch, batch = 0, rates = 0, rc = 1;
	struct timespec			 ts;

	while ((ch = getopt_long(argc, argv, "bi:d:rf:", top_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			batch = 1;
			break;
		case 'i':
			iterations = strtol(optarg, &end, 10);
			if (*end != '\0' || iterations < 1) {
				cmd_error(ctx, "top: -i: not a count: %s",
				    optarg);
				return (2);
			}
			break;
		case 'd':
			delay = strtod(optarg, &end);
			if (*end != '\0' || !(delay > 0) || delay > 86400) {
				cmd_error(ctx, "top: -d: not a delay in "
				    "seconds: %s", optarg);
				return (2);
			}
			break;
		case 'r':
			rates = 1;
			break;
		case 'f':
			fields = optarg;
			break;
		case 'C':
			format = TOP_CSV;
			break;
		case 'J':
			format = TOP_JSON;
			break;
		default:
			return (cmd_usage(ctx, &cmd_top_entry));
		}
	}
	if (optind != argc)
		return (cmd_usage(ctx, &cmd_top_entry));
	if (!batch) {
		if (format != TOP_TEXT || fields != NULL) {
			cmd_error(ctx, "top: --csv, --json and -f need -b");
			return (2);
		}
		if (ctx->interactive) {
			cmd_error(ctx, "top: this is the Top view (key 2); "
			    "'top -b' prints a sample");
			return (1);
		}
		return (tui_main(ctx, "top"));
	}
	if (fields != NULL) {
		if (col_parse_list(fields, ids, &n, &cause) != 0) {
			cmd_error(ctx, "top: -f: %s", cause);
			free(cause);
			return (2);
		}
	} else {
		for (i = 0; i < COL_XENTOP_COUNT; i++)
			ids[n++] = (enum col_id)i;
		if (rates) {
			ids[n++] = COL_TX_RATE;
			ids[n++] = COL_RX_RATE;
			ids[n++] = COL_RD_IOPS;
			ids[n++] = COL_WR_IOPS;
		}
	}
	if (iterations == 0 && ctx->interactive)
		iterations = 1;
	if ((be = cmd_backend(ctx)) == NULL)
		return (1);

	sampler_init(&s, be);
	for (k = 0; iterations == 0 || k < iterations; k++) {
		if (k > 0) {
			ts.tv_sec = (time_t)delay;
			ts.tv_nsec = (long)((delay - floor(delay)) * 1e9);
			while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
				;
		}
		if (sampler_update(&s, &cause) != 0) {
			cmd_error(ctx, "top: %s", cause);
			free(cause);
			goto out;
		}
		switch (format) {
		case TOP_TEXT:
			top_print_text(ctx->out, &s, ids, n);
			break;
		case TOP_CSV:
			top_print_csv(ctx->out, &s, ids, n);
			break;
		case TOP_JSON:
			top_print_json(ctx->out, &s, ids, n);
			break;
		}
		if (fflush(ctx->out) == EOF)
			goto out;	/* reader went away */
	}
	rc = 0;
out:
	sampler_free(&s);
	return (rc);
}
