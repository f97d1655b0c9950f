/*
 * Completion from the tables. An entry's synopsis is read from its usage
 * (console.h says the grammar), the option lines of its help and its
 * opts/longopts; the wizards' names, fields and choices from wiz_table.
 * The bash completion file (completion/xendeck) asks the hidden command
 *
 *	xendeck __complete CWORD WORD0 WORD1 ...
 *
 * with bash's words (WORD0 is "xendeck", CWORD the index of the word
 * being completed, which may be one past the last) and gets back a first
 * line of directives after an "@" (so it is never empty) -- "files" (complete file names too), "cfgfiles"
 * (xl.cfg files: *.cfg and directories), "dirs", "nospace" (the candidate
 * is not a whole word yet: "key=") -- then the candidates that start with
 * the current word, one a line. So completion cannot drift from what the
 * binary accepts: a new command, option or wizard field completes at once.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "wizards.h"

static int	cmd_complete_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_complete_entry = {
	.name = "__complete",
	.usage = "CWORD WORD...",
	.summary = "completion candidates (internal: bash completion runs it)",
	.flags = CMD_HIDDEN,
	.exec = cmd_complete_exec,
};

/* The domains, quietly (completion has no terminal to complain on). */
static void
cmd_complete_domains(struct cpl *c, int dom0)
{
	const struct backend_ops	*be;
	struct dom_info			*doms = NULL;
	char				*cause = NULL;
	size_t				 n = 0, i;
	FILE				*err = c->ctx->err;

	if ((c->ctx->err = fopen("/dev/null", "w")) == NULL) {
		c->ctx->err = err;
		return;
	}
	be = cmd_backend(c->ctx);
	fclose(c->ctx->err);
	c->ctx->err = err;
	if (be == NULL || be->list(&doms, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (doms[i].domid != 0 || dom0)
			cpl_add(c, doms[i].name);
	}
	free(doms);
}

/* The commands a shell can run: not the hidden ones, nor the console's. */
static void
cmd_complete_commands(struct cpl *c)
{
	const struct cmd_entry	**e;

	for (e = cmd_table; *e != NULL; e++) {
		if (!((*e)->flags & (CMD_HIDDEN | CMD_CONSOLE)))
			cpl_add(c, (*e)->name);
	}
}

/* A command's words: WORDS[0] is the command, CWORD the word completed. */
static void
cpl_command(struct cpl *c, const struct cmd_entry *e, char **words,
    int cword)
{
	struct cmd_syntax	 sx;
	const struct cmd_synopt	*o;
	size_t			 operand = 0;
	int			 j, dashdash = 0;

	if (e == &cmd_wizard_entry) {
		cpl_wizard(c, wiz_table, words, cword);
		return;
	}
	cmd_syntax_parse(e, &sx);
	for (j = 1; j < cword; j++) {
		if (!dashdash && strcmp(words[j], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && words[j][0] == '-' && words[j][1] != '\0') {
			o = cmd_syntax_opt(&sx, words[j]);
			if (o == NULL || o->arg == NULL ||
			    strchr(words[j], '=') != NULL)
				continue;
			if (j + 1 == cword) {
				cpl_optarg(c, o->arg);
				goto out;
			}
			j++;
			continue;
		}
		operand++;
	}
	if (!dashdash && *c->cur == '-') {
		cpl_options(c, &sx);
		goto out;
	}
	if (sx.noperands == 0)
		goto out;
	if (operand >= sx.noperands) {
		if (!sx.repeat)
			goto out;
		operand = sx.noperands - 1;
	}
	cpl_what(c, e, sx.operands[operand]);
out:
	cmd_syntax_free(&sx);
}

static const struct cmd_option *
global_find(const char *word)
{
	const struct cmd_option	*o;

	for (o = cmd_global_options; o->name != NULL; o++) {
		if ((word[1] == o->ch && word[2] == '\0' && o->ch != 0) ||
		    (strncmp(word, "--", 2) == 0 &&
		    strcmp(word + 2, o->name) == 0))
			return (o);
	}
	return (NULL);
}

static int
cmd_complete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_option	*o;
	const struct cmd_entry	*e;
	struct cpl		 c;
	char			**words, *cause = NULL, *label;
	int			 cword, nwords, i;

	if (argc < 3)
		return (cmd_usage(ctx, &cmd_complete_entry));
	if (!all_digits(argv[1]) || (cword = atoi(argv[1])) < 1 ||
	    cword > 1000)
		return (cmd_usage(ctx, &cmd_complete_entry));
	words = argv + 2;
	nwords = argc - 2;
	if (cword > nwords)
		return (0);
	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.domains = cmd_complete_domains;
	c.commands = cmd_complete_commands;
	c.cur = cword < nwords ? words[cword] : "";

	/* The global options, before the command. */
	for (i = 1; i < cword; i++) {
		if (words[i][0] != '-' || words[i][1] == '\0')
			break;
		o = global_find(words[i]);
		if (o != NULL && o->arg != NULL && i + 1 == cword) {
			if (o->values != NULL)
				cpl_what(&c, NULL, o->values);
			else
				cpl_optarg(&c, o->arg);
			goto done;
		}
		if (o != NULL && o->arg != NULL)
			i++;
	}
	if (i == cword) {
		if (*c.cur == '-') {
			for (o = cmd_global_options; o->name != NULL; o++) {
				if (o->ch != 0) {
					label = xprintf("-%c", o->ch);
					cpl_add(&c, label);
					free(label);
				}
				label = xprintf("--%s", o->name);
				cpl_add(&c, label);
				free(label);
			}
		} else
			cmd_complete_commands(&c);
		goto done;
	}
	if ((e = cmd_find(words[i], &cause)) == NULL) {
		free(cause);
		goto done;
	}
	if (!(e->flags & CMD_HIDDEN))
		cpl_command(&c, e, words + i, cword - i);
done:
	cpl_print(&c, ctx->out);
	return (0);
}
