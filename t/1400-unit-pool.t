#!/bin/sh
# The pool model: sizes, names, lvm2's report; a real directory pool and
# lvm2 on loop devices (metadata only), linked from the real objects.
. "${0%/*}/tap.sh"
exec "$XD_BUILDDIR/t/unit-pool"
