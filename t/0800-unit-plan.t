#!/bin/sh
# plan.c and diff.c, linked from the real objects.
. "${0%/*}/tap.sh"
need_built t/unit-plan
"$XD_BUILDDIR/t/unit-plan"
