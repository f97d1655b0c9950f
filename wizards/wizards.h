/*
 * wizards: the guide's steps as guided flows, with no curses. Each wizard is
 * a table of fields with pure validators and a plan function; a plan is
 * data (argv lists and file edits with before/after) that can be shown,
 * exported as a shell script, or applied step by step with a journal.
 * console/ has the one runner that draws any wizard.
 */
#ifndef WIZARDS_H
#define WIZARDS_H

#include "xen-core.h"

#endif /* WIZARDS_H */
