#!/bin/sh
# bootloader.c's grub.cfg and menu.lst readers on fixtures.
. "${0%/*}/tap.sh"
need_built t/unit-bootloader
"$XD_BUILDDIR/t/unit-bootloader"
