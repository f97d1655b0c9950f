#!/bin/sh
# theme.c and config.c: YAML themes and config, errors with file:line:col.
. "${0%/*}/tap.sh"
need_built t/unit-theme
"$XD_BUILDDIR/t/unit-theme"
