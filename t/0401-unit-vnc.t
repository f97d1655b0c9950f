#!/bin/sh
# The VNC viewer's pure parts: key parsing, keysyms, scaling and mouse
# mapping, colour reduction, changed-cell emission (console/vnc*.c).
. "${0%/*}/tap.sh"
need_built t/unit-vnc
"$XD_BUILDDIR/t/unit-vnc"
