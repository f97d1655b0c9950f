/*
 * console: the xendeck binary. One command table serves the CLI, the ':'
 * prompt, key bindings, completion and help (style.md, rule 5); the ncurses
 * console, its views and the VNC viewer live here too.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "xen-core.h"

/* What a command runs with. */
struct cmd_ctx {
	FILE				*out;	/* results */
	FILE				*err;	/* "xendeck: ..." errors */
	const char			*backend_name;	/* --backend, or NULL */
	const struct backend_ops	*be;	/* resolved by cmd_backend() */
	int				 read_only;	/* --read-only */
	int				 interactive;	/* from the console */
	int				 assume_yes;	/* confirmations given */
};

#define CMD_MODIFIES	0x01	/* changes state: refused when read-only */
#define CMD_DRYRUN	0x02	/* has a dry-run mode */
#define CMD_ROOT	0x04	/* needs root */
#define CMD_TERMINAL	0x08	/* takes over the terminal (not from ':') */
#define CMD_DOMAIN	0x10	/* first operand is a domain (completion) */

struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*usage;		/* operands, after the name */
	const char	*summary;	/* one line for the command list */
	const char	*help;		/* paragraphs for `help COMMAND`, or NULL */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

/* cmd.c */
extern const struct cmd_entry *cmd_table[];
const struct cmd_entry *cmd_find(const char *, char **);
int		 cmd_exec(struct cmd_ctx *, int, char **);
int		 cmd_usage(struct cmd_ctx *, const struct cmd_entry *);
void		 cmd_error(struct cmd_ctx *, const char *, ...)
		     printflike(2, 3);
const struct backend_ops *cmd_backend(struct cmd_ctx *);

/* cmd-help.c */
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_version_entry;
void		 cmd_print_overview(FILE *);

/* cmd-lab.c */
extern const struct cmd_entry cmd_lab_entry;

#endif /* CONSOLE_H */
