#!/bin/sh
# The console's test of the Xen install wizard in a plain lab of its own
# (t/lab-plain-tui/: install through the wizard view in tmux, reboot, Xen
# runs), as t/0601-lab-plain.t runs the CLI's: boots the plain lab with
# scripts/lab run-tests --plain and re-emits the TAP. Its own VM, because
# the CLI's test leaves Xen installed.
. "${0%/*}/tap.sh"
LAB=$XD_SRCDIR/scripts/lab
[ -n "${XENDECK_LAB:-}" ] && skip_all "already inside the lab"
command -v qemu-system-x86_64 >/dev/null ||
    skip_all "qemu-system-x86_64 is not installed"
"$LAB" help 2>&1 | grep -q -- '--plain' ||
    skip_all "scripts/lab has no plain mode yet (the lab branch)"
if [ "$(id -u)" -ne 0 ] && ! "$LAB" built --plain; then
	skip_all "no plain lab image built, and building one needs root"
fi
XENDECK_RUNDIR=$T_TMP/run
XENDECK_LAB_SHARE=$XD_SRCDIR
XENDECK_LAB_BUILD=$XD_BUILDDIR
export XENDECK_RUNDIR XENDECK_LAB_SHARE XENDECK_LAB_BUILD
# shellcheck disable=SC2046
set -- $(cd "$XD_SRCDIR" && ls t/lab-plain-tui/*.t)
"$LAB" run-tests --plain "$@"
