/*
 * man(7) from plain text, for the manual pages xendeck writes from its
 * tables (cmd-man.c): help texts come in a few shapes -- paragraphs (lines
 * joined), definition lists ("  -c   attach ..." with continuation lines
 * indented deeper: .TP) and other indented blocks (kept as they are: .nf).
 * Hyphenation is off and dashes and quotes stay ASCII, so a rendered page
 * reads as the help does and options can be copied from it. And
 * xendeck-wizard(8), from any table of wizards (the tests use their own).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "wizards.h"

/* How a paragraph starts: .PP, or .IP inside a list's item. */
static const char *man_para = ".PP";

/* Text for a roff line: backslashes, dashes and quotes kept literal. */
void
man_puts(FILE *f, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		switch (s[i]) {
		case '\\':
			fputs("\\e", f);
			break;
		case '-':
			fputs("\\-", f);
			break;
		case '\'':
			fputs("\\(aq", f);
			break;
		case '`':
			fputs("\\(ga", f);
			break;
		case '"':
			fputs("\\(dq", f);
			break;
		default:
			fputc(s[i], f);
			break;
		}
	}
}

/* A line of running text; a leading '.' or quote would be a request. */
static void
man_line(FILE *f, const char *s, size_t n)
{
	if (n > 0 && (*s == '.' || *s == '\''))
		fputs("\\&", f);
	man_puts(f, s, n);
	fputc('\n', f);
}

void
man_text(FILE *f, const char *s)
{
	man_line(f, s, strlen(s));
}

/* A placeholder ("FILE", "HOST:DISPLAY", "/path"): italic. */
static int
man_is_placeholder(const char *w, size_t n)
{
	size_t	 i;
	int	 upper = 0;

	if (memchr(w, '/', n) != NULL)
		return (1);
	for (i = 0; i < n; i++) {
		if (islower((unsigned char)w[i]))
			return (0);
		upper |= isupper((unsigned char)w[i]);
	}
	return (upper);
}

/*
 * A synopsis: options and literal words bold, placeholders italic, the
 * brackets and bars roman.
 */
void
man_synopsis(FILE *f, const char *s)
{
	size_t	 n;

	while (*s != '\0') {
		n = strcspn(s, " []|.");
		if (n == 0) {
			/* "..." is text, a lone "." too. */
			man_puts(f, s, 1);
			s++;
			continue;
		}
		if (man_is_placeholder(s, n))
			fputs("\\fI", f);
		else if (*s == '-' || isalpha((unsigned char)*s))
			fputs("\\fB", f);
		else
			fputs("\\fR", f);
		man_puts(f, s, n);
		fputs("\\fR", f);
		s += n;
	}
}

/* Leading blanks of a line. */
static size_t
man_indent(const char *line)
{
	return (strspn(line, " "));
}

/* An option's argument: "FILE", "fit|1:1". */
static int
man_is_arg(const char *w, size_t n)
{
	return (memchr(w, '|', n) != NULL || man_is_placeholder(w, n));
}

/*
 * "  --password-file FILE the VNC password": an option line with one blank
 * after its term. The term is the option and its argument, if any.
 */
static void
man_item_option(const char *line, size_t len, size_t *termlen,
    size_t *text)
{
	const char	*p = line + 2, *w2, *w3;

	w2 = memchr(p, ' ', len - 2);
	if (w2 == NULL)
		return;
	w2++;
	w3 = memchr(w2, ' ', len - (size_t)(w2 - line));
	if (w3 == NULL)
		return;		/* two words: "--bench-render WxH" */
	if (!man_is_arg(w2, (size_t)(w3 - w2)))
		w3 = w2 - 1;
	*termlen = (size_t)(w3 - p);
	*text = (size_t)(w3 + 1 - line);
}

/*
 * A definition list's item: two blanks, a term (words with single
 * blanks), two or more blanks, text; or the term alone. Sets the term's
 * length and where the text starts.
 */
static int
man_item(const char *line, size_t len, size_t *termlen, size_t *text)
{
	size_t	 i = 2;

	if (len < 3 || line[0] != ' ' || line[1] != ' ' || line[2] == ' ')
		return (0);
	while (i < len) {
		if (line[i] == ' ' && (i + 1 == len || line[i + 1] == ' '))
			break;
		i++;
	}
	*termlen = i - 2;
	while (i < len && line[i] == ' ')
		i++;
	*text = i;
	if (*termlen > 0 && line[2] == '-' && i == len)
		man_item_option(line, len, termlen, text);
	return (*termlen > 0 && (i == len || i - 2 - *termlen >= 2));
}

/* A term: its first word bold, placeholders italic, the rest bold. */
static void
man_term(FILE *f, const char *term, size_t n)
{
	char	*copy = xmalloc(n + 1);

	memcpy(copy, term, n);
	copy[n] = '\0';
	fputs(".TP\n", f);
	if (*copy == '.' || *copy == '\'')
		fputs("\\&", f);
	man_synopsis(f, copy);
	fputc('\n', f);
	free(copy);
}

/* One block of a help text (lines without a blank one). */
static void
man_block(FILE *f, char **lines, size_t n)
{
	size_t	 i, termlen, text, ind;
	int	 list = 1;

	if (n == 0)
		return;
	if (man_indent(lines[0]) == 0) {
		fprintf(f, "%s\n", man_para);
		for (i = 0; i < n; i++)
			man_text(f, lines[i]);
		return;
	}
	/* Every line an item or the continuation of one: a list. */
	for (i = 0; i < n && list; i++) {
		ind = man_indent(lines[i]);
		if (man_item(lines[i], strlen(lines[i]), &termlen, &text))
			continue;
		list = i > 0 && ind > 2;
	}
	if (!list) {
		fprintf(f, "%s\n.RS 2\n.nf\n", man_para);
		for (i = 0; i < n; i++) {
			ind = man_indent(lines[i]);
			man_text(f, lines[i] + (ind < 2 ? ind : 2));
		}
		fputs(".fi\n.RE\n", f);
		return;
	}
	/* A list inside a list's item goes in deeper. */
	if (strcmp(man_para, ".IP") == 0)
		fputs(".RS\n", f);
	for (i = 0; i < n; i++) {
		if (man_item(lines[i], strlen(lines[i]), &termlen, &text)) {
			man_term(f, lines[i] + 2, termlen);
			if (lines[i][text] != '\0')
				man_text(f, lines[i] + text);
		} else
			man_text(f, lines[i] + man_indent(lines[i]));
	}
	if (strcmp(man_para, ".IP") == 0)
		fputs(".RE\n", f);
}

/* A help text: blocks between blank lines. */
void
man_help(FILE *f, const char *help)
{
	char	*copy, *line, *next, **lines = NULL;
	size_t	 n = 0;

	if (help == NULL)
		return;
	copy = xstrdup(help);
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (*line == '\0' || strspn(line, " ") == strlen(line)) {
			man_block(f, lines, n);
			n = 0;
			continue;
		}
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n++] = line;
	}
	man_block(f, lines, n);
	free(lines);
	free(copy);
}

void
man_head(FILE *f, const char *title, int section, const char *manual)
{
	fprintf(f, ".\\\" Generated by xendeck %s from its tables: edit the "
	    "source, not this.\n", PACKAGE_VERSION);
	fprintf(f, ".TH %s %d \"\" \"xendeck %s\" \"%s\"\n", title, section,
	    PACKAGE_VERSION, manual);
	fputs(".nh\n.ad l\n", f);
}

/* A sentence from a summary: "list the domains" -> "List the domains." */
void
man_sentence(FILE *f, const char *s)
{
	char	*copy = xstrdup(s);
	size_t	 n = strlen(copy);

	copy[0] = (char)toupper((unsigned char)copy[0]);
	fputs(".PP\n", f);
	if (*copy == '.' || *copy == '\'')
		fputs("\\&", f);
	man_puts(f, copy, n);
	fputs(n > 0 && copy[n - 1] != '.' ? ".\n" : "\n", f);
	free(copy);
}

/* A field of a wizard: key, prompt, what it takes, default, explanation. */
static void
man_field(FILE *f, const struct wiz_field *fl)
{
	const struct wiz_ctx	 wctx = { 0 };
	struct wiz_answers	 a;
	char			*def, *prompt;
	size_t			 i;

	fputs(".TP\n\\fB", f);
	man_puts(f, fl->key, strlen(fl->key));
	fputs("=\\fR", f);
	if (fl->choices != NULL) {
		for (i = 0; fl->choices[i] != NULL; i++) {
			fputs(i > 0 ? "|\\fB" : "\\fB", f);
			man_puts(f, fl->choices[i], strlen(fl->choices[i]));
			fputs("\\fR", f);
		}
	} else
		fprintf(f, "\\fI%s\\fR", (fl->flags & WIZ_PATH) ? "PATH" :
		    (fl->flags & WIZ_NUMBER) ? "NUMBER" : "VALUE");
	fputc('\n', f);
	prompt = xprintf("%s.", fl->prompt);
	man_text(f, prompt);
	free(prompt);
	man_para = ".IP";
	if (fl->explain != NULL)
		man_help(f, fl->explain);
	fputs(".IP\n", f);
	if (fl->flags & WIZ_REQUIRED)
		man_text(f, "Required: there is no default.");
	else if (fl->def == NULL)
		man_text(f, "Default: none (it may be left out).");
	else if (fl->flags & WIZ_FIXED) {
		wiz_answers_init(&a);
		def = fl->def(&wctx, &a);
		fputs("Default: \\fB", f);
		man_puts(f, def != NULL ? def : "none", strlen(def != NULL ?
		    def : "none"));
		fputs("\\fR.\n", f);
		free(def);
		wiz_answers_free(&a);
	} else
		man_text(f, "Default: from the host's facts when the wizard "
		    "runs (`xendeck wizard NAME --help` shows it).");
	if (fl->flags & WIZ_CONSENT)
		man_text(f, "It names what a destructive step destroys: "
		    "--apply needs it and --yes.");
	if (fl->flags & WIZ_ADVANCED)
		man_text(f, "Advanced: the console folds it away.");
	man_para = ".PP";
}

/* xendeck-wizard(8), of a table of wizards. */
int
man_wizards(FILE *f, const struct wizard *const *table)
{
	const struct wizard *const	*w;
	const struct wiz_field		*fl;
	size_t				 i;

	man_head(f, "XENDECK\\-WIZARD", 8, "System Administration");
	fputs(".SH NAME\nxendeck\\-wizard \\- the Xen Project Beginners "
	    "Guide's steps as wizards\n", f);
	fputs(".SH SYNOPSIS\n.B xendeck wizard\n", f);
	man_synopsis(f, cmd_wizard_entry.usage);
	fputc('\n', f);
	fputs(".SH DESCRIPTION\n", f);
	man_sentence(f, cmd_wizard_entry.summary);
	man_help(f, cmd_wizard_entry.help);
	man_help(f,
	    "Each wizard below is one step of the guide. It changes nothing "
	    "until\n--apply: --plan shows the exact commands and a diff of "
	    "every file it\nwould edit. Its fields are given with --set "
	    "KEY=VALUE or in the answers\nfile; a field left out takes its "
	    "default.\n");

	fputs(".SH WIZARDS\n", f);
	for (w = table; *w != NULL; w++) {
		fputs(".SS ", f);
		man_text(f, (*w)->name);
		man_sentence(f, (*w)->summary);
		fputs(".PP\n", f);
		if ((*w)->plan == NULL)
			man_text(f, "Read only: it checks and changes nothing.");
		else
			man_text(f, "It changes the host when applied: "
			    "--plan shows how, --undo walks it back.");
		man_help(f, (*w)->guide);
		if ((*w)->fields == NULL || (*w)->fields[0].key == NULL) {
			fputs(".PP\n", f);
			man_text(f, "It has no fields.");
		} else {
			fputs(".PP\nFields (\\fB\\-\\-set\\fR "
			    "\\fIKEY\\fR=\\fIVALUE\\fR):\n.RS 2\n", f);
			for (fl = (*w)->fields; fl->key != NULL; fl++)
				man_field(f, fl);
			fputs(".RE\n", f);
		}
		if ((*w)->actions != NULL && (*w)->actions[0] != NULL) {
			fputs(".PP\nActions:", f);
			for (i = 0; (*w)->actions[i] != NULL; i++)
				fprintf(f, " \\fB\\-\\-%s\\fR",
				    (*w)->actions[i]);
			fputc('\n', f);
		}
	}

	fputs(".SH FILES\n", f);
	fputs(".TP\n\\fI/var/lib/xendeck/wizards/\\fR\n", f);
	man_text(f, "Each run's plan and journal ($XENDECK_STATEDIR/wizards).");
	fputs(".TP\n\\fIFILE.xendeck\\-bak\\fR\n", f);
	man_text(f, "The backup of a file a wizard edited, beside it.");
	fputs(".SH EXIT STATUS\n", f);
	man_help(f,
	    "  0   done (host-check: every check passed)\n"
	    "  1   a step failed, a check failed, or the run was refused\n"
	    "  2   bad input: an unknown key, a missing required field, an\n"
	    "      invalid value, a destructive step without consent\n"
	    "  3   host-check found only warnings\n");
	fputs(".SH SEE ALSO\n.BR xendeck (1),\n.BR xl (1),\n"
	    ".BR xl.cfg (5)\n", f);
	return (ferror(f) ? 1 : 0);
}
