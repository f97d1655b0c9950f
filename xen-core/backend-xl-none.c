/*
 * The xl backend when xendeck is built without the Xen libraries: it is
 * there by name, so `--backend xl` says why it cannot run instead of
 * "unknown backend". Its probe always fails, so nothing else is reached.
 */
#include "xen-core.h"

static int
xl_none_probe(char **cause)
{
	*cause = xstrdup("xendeck was built without Xen support "
	    "(configure --with-xen)");
	return (-1);
}

const struct backend_ops backend_xl_ops = {
	.name = "xl",
	.probe = xl_none_probe,
};
