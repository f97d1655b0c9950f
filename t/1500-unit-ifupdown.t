#!/bin/sh
# interfaces(5): the reader and the bridge edit on real-world files
# (t/ifupdown/*.case), checked by golden files and by the real ifup --no-act.
. "${0%/*}/tap.sh"
exec "$XD_BUILDDIR/t/unit-ifupdown"
