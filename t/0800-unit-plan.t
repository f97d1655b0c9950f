#!/bin/sh
# plan.c and diff.c, linked from the real objects.
. "${0%/*}/tap.sh"
exec "$XD_BUILDDIR/t/unit-plan"
