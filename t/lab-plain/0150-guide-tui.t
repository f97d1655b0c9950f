#!/bin/bash
# Inside the plain lab, after the guide's install step and the reboot
# (0100): the Guide's Xen step is done, with the evidence: Xen 4.17 runs
# and GRUB's default entry is Xen's. (0050 saw it not done before.)
. "${0%/*}/../tap.sh"
. "${0%/*}/../tui.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the plain lab (make check-lab)"
[ "$(cat /xdrun/lab 2>/dev/null)" = plain ] ||
    skip_all "needs the plain lab (scripts/lab run-tests --plain)"
command -v tmux >/dev/null 2>&1 || skip_all "no tmux in the lab"
[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] ||
    skip_all "Xen does not run: 0100 installs it and reboots first"

step() {
	tui_screen | awk -v n="$1" '$1 == n && f == 0 { f = 1; print; next }
	    f == 1 { print; exit }'
}

tui_start --
tui_wait ' g Guide ' 60
tui_keys g
tui_wait 'Guide: the Xen Project Beginners Guide on this host .* as of' 60
ok $? "g opens the Guide"
like "$(step 5)" '^ 5 +done +Installing Xen, and GRUB booting it' \
    "step 5, installing Xen: done after the wizard and the reboot"
like "$(step 5)" 'Xen 4\.17[^ ]* running, default GRUB entry is Xen' \
    "its evidence: Xen 4.17 running, GRUB's default entry is Xen"
tui_keys q
done_testing
