#!/bin/sh
# The plain lab: boots the bookworm system without Xen (scripts/lab
# run-tests --plain), runs t/lab-plain/*.t inside it as root -- the guide's
# install step through the Xen install wizard, a reboot through GRUB into
# Xen, and what runs after it -- and re-emits their TAP, renumbered, as
# this test's. Builds the plain image first if it is missing (cached).
. "${0%/*}/tap.sh"
LAB=$XD_SRCDIR/scripts/lab
[ -n "${XENDECK_LAB:-}" ] && skip_all "already inside the lab"
command -v qemu-system-x86_64 >/dev/null ||
    skip_all "qemu-system-x86_64 is not installed"
if [ "$(id -u)" -ne 0 ] && ! "$LAB" built --plain; then
	skip_all "no plain lab image built, and building one needs root"
fi
XENDECK_RUNDIR=$T_TMP/run
XENDECK_LAB_SHARE=$XD_SRCDIR
XENDECK_LAB_BUILD=$XD_BUILDDIR
export XENDECK_RUNDIR XENDECK_LAB_SHARE XENDECK_LAB_BUILD
# shellcheck disable=SC2046
set -- $(cd "$XD_SRCDIR" && ls t/lab-plain/*.t)
"$LAB" run-tests --plain "$@"
