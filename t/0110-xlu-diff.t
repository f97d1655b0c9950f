#!/bin/sh
# The differential test: every corpus file read by Xen's libxlutil and by
# xendeck, every value compared (t/xlu-diff.c).
. "${0%/*}/tap.sh"
if [ ! -x "$XD_BUILDDIR/t/xlu-diff" ]; then
	skip_all "built without libxlutil (pkg-config xlutil: install libxen-dev)"
fi
"$XD_BUILDDIR/t/xlu-diff" "$XD_SRCDIR"/t/xlcfg/*.cfg
