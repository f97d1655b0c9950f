#!/bin/sh
# util.c and spawn.c, linked from the real objects.
. "${0%/*}/tap.sh"
need_built t/unit-util
"$XD_BUILDDIR/t/unit-util"
