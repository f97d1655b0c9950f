/*
 * guide and transcript: the beginner's two commands.
 *
 *   xendeck guide [--json] [STEP]
 *
 * The Beginners Guide's steps in its order and where this host stands in
 * each (xen-core/guide.c's detectors): done, partly done, not done or not
 * applicable here, with the evidence. STEP shows one step in full: what it
 * does and why, what the guide writes, what is right on Debian 12, and the
 * wizard or action that does it. --json is what the console's Guide view
 * reads (its quiet job). In the console, `:guide [STEP]` opens the view.
 *
 *   :transcript [-o FILE]
 *
 * The console's transcript: every action of this session as the command it
 * equals; -o writes it as a sh script.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "console.h"
#include "wizards.h"

static int	cmd_guide_exec(struct cmd_ctx *, int, char **);
static int	cmd_transcript_exec(struct cmd_ctx *, int, char **);

static const struct option guide_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_guide_entry = {
	.name = "guide",
	.usage = "[--json] [STEP]",
	.summary = "the guide's steps and where this host stands in each",
	.help =
	    "The Xen Project Beginners Guide, step by step, checked against "
	    "this\nhost: the hardware, the Debian install (room for LVM), "
	    "LVM, the xenbr0\nbridge, installing Xen and GRUB, the first PV "
	    "guest, an HVM guest and\nits VNC console, and the everyday xl "
	    "commands. Each step says done,\npartly done, not done or not "
	    "applicable here, with the evidence read\nfrom the host in one "
	    "line, and what to do next.\n"
	    "\n"
	    "  STEP     one step in full: what it does and why, what the "
	    "guide\n"
	    "           writes and what is right on Debian 12 (hardware,\n"
	    "           install, lvm, network, xen, pv-guest, hvm-guest,\n"
	    "           everyday)\n"
	    "  --json   the steps as JSON (id, title, status: done, partly,\n"
	    "           todo or n/a; evidence; next; wizard)\n"
	    "\n"
	    "In the console, `:guide` (or g) opens the Guide view; Enter on "
	    "a step\nruns its wizard or action.\n",
	.exec = cmd_guide_exec,
};

const struct cmd_entry cmd_transcript_entry = {
	.name = "transcript",
	.usage = "[-o FILE]",
	.summary = "every action of this session as the command it equals",
	.help =
	    "Opens the Transcript view (T): every action the console and its\n"
	    "wizards performed in this session, as the command a person "
	    "would\ntype for it -- xl for domains (`xl create`, `xl shutdown "
	    "-w`, `xl\ndestroy`), the wizards' own commands for their steps "
	    "(lvm2, ifupdown,\napt-get) -- with its time and outcome. On "
	    "the QEMU backend a domain\naction shows the xendeck command "
	    "that ran it beside its xl command.\n"
	    "\n"
	    "  -o FILE  write it as a sh script, with the time and outcome "
	    "of each\n           command in comments\n",
	.flags = CMD_CONSOLE,
	.exec = cmd_transcript_exec,
};

/* Display words for a status (guide_status_name is JSON's). */
const char *
cmd_guide_status_text(enum guide_status s)
{
	switch (s) {
	case GUIDE_DONE:
		return ("done");
	case GUIDE_PARTLY:
		return ("partly done");
	case GUIDE_TODO:
		return ("not done");
	case GUIDE_NA:
		return ("n/a here");
	}
	return ("?");
}

static void
print_block(FILE *f, const char *label, const char *text)
{
	const char	*p = text, *nl;
	int		 first = 1;

	while (*p != '\0') {
		nl = p + strcspn(p, "\n");
		fprintf(f, "%-14s %.*s\n", first ? label : "", (int)(nl - p),
		    p);
		first = 0;
		p = *nl != '\0' ? nl + 1 : nl;
	}
}

/* What Enter does on a step, in words. */
char *
cmd_guide_offer(const struct guide_step *s)
{
	const struct wizard	*w;

	if (s->wizard == NULL)
		return (xprintf("the console: %s", s->action));
	if ((w = wiz_find(s->wizard)) == NULL)
		return (xprintf("the %s wizard (not in this xendeck yet: the "
		    "guide's commands above do it by hand)", s->wizard));
	return (xprintf("xendeck wizard %s (%s)", s->wizard, w->summary));
}

static int
cmd_guide_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct backend_ops	*be = NULL;
	const struct guide_step		*one = NULL, *s;
	struct guide_facts		 f;
	struct guide_result		 r;
	char				*why = NULL, *log, *offer;
	json_t				*o, *a, *e;
	size_t				 i;
	int				 ch, json = 0;

	while ((ch = getopt_long(argc, argv, "+", guide_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		default:
			return (cmd_usage(ctx, &cmd_guide_entry));
		}
	}
	if (argc - optind > 1)
		return (cmd_usage(ctx, &cmd_guide_entry));
	if (argc - optind == 1 && (one = guide_step_find(argv[optind])) ==
	    NULL) {
		cmd_error(ctx, "guide: no step %s (hardware, install, lvm, "
		    "network, xen, pv-guest, hvm-guest, everyday)",
		    argv[optind]);
		return (2);
	}
	if (ctx->interactive && !json) {
		view_guide_open(one != NULL ? one->id : NULL);
		return (0);
	}
	if (ctx->backend_name != NULL)
		be = backend_find(ctx->backend_name, &why);
	else
		be = backend_default(&why);
	log = view_transcript_log_path();
	guide_facts_read(&f, be, why, log);
	free(log);
	free(why);
	if (json) {
		o = json_object();
		json_object_set_new(o, "backend", f.backend != NULL ?
		    json_string(f.backend) : json_null());
		a = json_array();
		for (i = 0; i < guide_nsteps; i++) {
			s = &guide_steps[i];
			if (one != NULL && s != one)
				continue;
			guide_detect(&f, i, &r);
			e = json_pack("{s:s, s:s, s:s, s:s}", "id", s->id,
			    "title", s->title, "status",
			    guide_status_name(r.status), "evidence",
			    r.evidence);
			json_object_set_new(e, "next", r.next != NULL ?
			    json_string(r.next) : json_null());
			json_object_set_new(e, "wizard", s->wizard != NULL ?
			    json_string(s->wizard) : json_null());
			json_array_append_new(a, e);
			guide_result_free(&r);
		}
		json_object_set_new(o, "steps", a);
		why = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(ctx->out, "%s\n", why);
		free(why);
		json_decref(o);
		guide_facts_free(&f);
		return (0);
	}
	if (one == NULL)
		fprintf(ctx->out, "The Xen Project Beginners Guide on this "
		    "host (backend %s):\n\n", f.backend != NULL ?
		    f.backend : "none");
	for (i = 0; i < guide_nsteps; i++) {
		s = &guide_steps[i];
		if (one != NULL && s != one)
			continue;
		guide_detect(&f, i, &r);
		fprintf(ctx->out, "%zu. %-12s %s\n", i + 1,
		    cmd_guide_status_text(r.status), s->title);
		fprintf(ctx->out, "   %-12s %s\n", "", r.evidence);
		if (r.next != NULL)
			fprintf(ctx->out, "   %-12s next: %s\n", "", r.next);
		if (one != NULL) {
			fputc('\n', ctx->out);
			print_block(ctx->out, "What and why:", s->about);
			print_block(ctx->out, "The guide:", s->guide);
			if (s->debian != NULL)
				print_block(ctx->out, "On Debian 12:",
				    s->debian);
			if (s->on_qemu != NULL && f.backend != NULL &&
			    strcmp(f.backend, "qemu") == 0)
				print_block(ctx->out, "On QEMU:", s->on_qemu);
			offer = cmd_guide_offer(s);
			print_block(ctx->out, "Done by:", offer);
			free(offer);
		}
		guide_result_free(&r);
	}
	if (one == NULL)
		fprintf(ctx->out, "\n`xendeck guide STEP` shows a step in "
		    "full; in the console, g.\n");
	guide_facts_free(&f);
	return (0);
}

static int
cmd_transcript_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*file = NULL;
	char		*cause = NULL;
	int		 ch;

	while ((ch = getopt(argc, argv, "+o:")) != -1) {
		switch (ch) {
		case 'o':
			file = optarg;
			break;
		default:
			return (cmd_usage(ctx, &cmd_transcript_entry));
		}
	}
	if (argc != optind)
		return (cmd_usage(ctx, &cmd_transcript_entry));
	if (file == NULL) {
		tui_switch(&view_transcript_ops, NULL);
		return (0);
	}
	if (view_transcript_export(file, &cause) != 0) {
		cmd_error(ctx, "transcript: %s", cause);
		free(cause);
		return (1);
	}
	fprintf(ctx->out, "transcript written to %s\n", file);
	return (0);
}
