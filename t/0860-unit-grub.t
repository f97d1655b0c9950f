#!/bin/sh
# The Xen install wizard's readers (GRUB's defaults and their edits,
# dpkg-divert --list, grub.cfg's default entry, dpkg-query, apt-get -s, the
# dom0 advice) on real files (t/grub/).
. "${0%/*}/tap.sh"
exec "$XD_BUILDDIR/t/unit-grub" "$XD_SRCDIR"
