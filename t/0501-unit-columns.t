#!/bin/sh
# sampler.c and columns.c: rates, totals, '-' reasons, history, sorting.
. "${0%/*}/tap.sh"
need_built t/unit-columns
"$XD_BUILDDIR/t/unit-columns"
