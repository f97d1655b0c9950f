#!/bin/bash
# Inside the plain lab, before the guide's install step (0100 installs Xen
# and reboots; 0150 looks again after it): the console opens on the Guide
# (no guest, no wizard run yet), and its Xen step is not done: Xen's
# packages are not installed and GRUB boots Linux alone.
. "${0%/*}/../tap.sh"
. "${0%/*}/../tui.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the plain lab (make check-lab)"
[ "$(cat /xdrun/lab 2>/dev/null)" = plain ] ||
    skip_all "needs the plain lab (scripts/lab run-tests --plain)"
command -v tmux >/dev/null 2>&1 || skip_all "no tmux in the lab"

# step N: the step's two lines in the Guide's list.
step() {
	tui_screen | awk -v n="$1" '$1 == n && f == 0 { f = 1; print; next }
	    f == 1 { print; exit }'
}

tui_start "XENDECK_STATEDIR=$T_TMP/state" --
tui_wait 'Guide: the Xen Project Beginners Guide on this host .* as of' 60
ok $? "the console opens on the Guide"
like "$(step 5)" '^ 5 +not done +Installing Xen, and GRUB booting it' \
    "step 5, installing Xen: not done"
like "$(step 5)" 'xen-system-amd64 is not installed; GRUB boots "Debian GNU/Linux"' \
    "its evidence: the package, and what GRUB boots"
tui_keys q
done_testing
