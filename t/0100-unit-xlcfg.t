#!/bin/sh
# xlcfg.c and friends: the scanner, the parser, disks, vifs, the writer and
# round trips of the whole corpus (t/unit-xlcfg.c).
. "${0%/*}/tap.sh"
need_built t/unit-xlcfg
"$XD_BUILDDIR/t/unit-xlcfg" "$XD_SRCDIR"/t/xlcfg/*.cfg
