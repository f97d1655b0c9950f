#!/bin/bash
# Inside a fresh plain lab (Linux without Xen), the guide's install step
# through the console (issue 13: "In it the Xen install wizard runs ...
# through the console (tmux in the lab)"): `:wizard xen-install` opens its
# form; p shows the plan (apt-get install xen-system-amd64, dom0's size as
# a diff of /etc/default/grub, what became of the guide's xend-config.sxp);
# A applies it as a job, drawn as a bar per step with the live tail of the
# running step's output (apt-get's); the result says a reboot is needed.
# The lab reboots through GRUB (lab_reboot), and after it Xen runs: xl
# info, and the console's host-check says so.
#
# It needs a plain lab of its own (t/0602-lab-plain-tui.t boots one): the
# CLI's install test (t/lab-plain/) leaves Xen installed.
. "${0%/*}/../tap.sh"
. "${0%/*}/../lab/lab.sh"
. "${0%/*}/../tui.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the plain lab (t/0602-lab-plain-tui.t)"
[ "$(cat /xdrun/lab 2>/dev/null)" = plain ] ||
    skip_all "needs the plain lab (scripts/lab run-tests --plain)"
command -v tmux >/dev/null || skip_all "tmux is not in the lab image"
MEM=1024M
VCPUS=2
SETS="--set hvm=no --set dom0-mem=$MEM --set dom0-vcpus=$VCPUS"
status() { tui_screen | tail -n 1; }

if [ "$LAB_BOOT" -eq 1 ]; then
	run cat /sys/hypervisor/type
	unlike "$OUT" xen "before: Linux runs on no hypervisor"
	run dpkg-query -W -f='${db:Status-Abbrev}' xen-system-amd64
	unlike "$OUT" '^ii' "before: xen-system-amd64 is not installed"

	tui_start -- -l "$T_TMP/tui.log"
	tui_wait '1 Domains' 30; ok $? "the console opens in the plain lab"
	tui_keys w
	tui_wait '^[> ] xen-install ' 10; ok $? "the Wizards menu lists xen-install"
	tui_keys Escape :
	tui_type "wizard xen-install $SETS"; tui_keys Enter
	tui_wait 'Wizard xen-install: ' 10; ok $? ":wizard xen-install opens its form"
	tui_wait "dom0_mem|$MEM" 30
	like "$(tui_screen)" " $MEM" "pre-filled: dom0's memory"
	tui_keys p
	tui_wait '^ Plan: ' 120; ok $? "p shows the plan"
	# The plan is longer than the screen: read it page by page.
	plan=$(tui_screen)
	for i in 1 2 3 4 5 6; do
		tui_keys NPage; sleep 0.3; plan="$plan
$(tui_screen)"
	done
	like "$plan" 'apt-get .*install .*xen-system-amd64' "it installs xen-system-amd64"
	like "$plan" "\\+GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=$MEM,max:$MEM dom0_max_vcpus=$VCPUS\"" \
	    "a diff adds dom0's size to GRUB_CMDLINE_XEN_DEFAULT"
	like "$plan" 'update-grub|grub-default' "GRUB is made to boot Xen"
	like "$plan" 'xend-config\.sxp' "the notes say what became of xend-config.sxp"
	like "$plan" 'takes effect at the next boot' "and that a step takes effect at the next boot"

	SECONDS=0
	tui_keys A
	tui_wait '^ Applying xen-install' 10; ok $? "A applies it as a job"
	# apt-get's output, live, under the running step.
	tui_wait 'running .*|Output of step [0-9]+ \(' 60
	seen=
	end=$(( $(date +%s) + 900 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		s=$(tui_screen)
		if printf '%s\n' "$s" | grep -Eq '^ +\| .*(Unpacking|Setting up|Selecting|Preparing)'; then
			seen=1
		fi
		printf '%s\n' "$s" | grep -Eq 'Done: xen-install|Failed at step|Stopped at step|Refused' && break
		sleep 1
	done
	tui_wait 'Done: xen-install, run xen-install-' 5
	ok $? "the apply finishes: done"
	diag "the install took $SECONDS s in the console"
	[ "$RC" = 0 ] || diag "$(tui_screen)"
	ok "$([ -n "$seen" ]; echo $?)" "apt-get's output showed live under its step"
	# The engine says a reboot is needed when a step marked so (the plan
	# says "takes effect at the next boot" under it) ran; skipped, it
	# did not need to.
	# The whole result drawn (a slow lab may be caught mid-frame).
	tui_wait '^ +(\(no output\)|\| )' 5
	rstep=$(printf '%s\n' "$plan" | awk '
	    /^ +[0-9]+\. / { n = $1; sub(/\./, "", n) }
	    /takes effect at the next boot/ && n != "" { print n; exit }')
	res=$(tui_screen)
	if printf '%s\n' "$res" | grep -Eq "^ +[^ ] +$rstep\. .* done +[0-9]"; then
		like "$res" 'Reboot needed' "step $rstep ran: the result says a reboot is needed"
	else
		unlike "$res" 'Reboot needed' \
		    "step $rstep (takes effect at the next boot) was skipped: no reboot said, as the engine reports"
		diag "the engine reports no reboot: step $rstep was already done by the install"
	fi
	# The run's whole output, for the record.
	tui_keys o
	tui_wait 'wizard output' 5
	tui_keys G
	sleep 0.5
	diag "$(tui_screen | tail -n 16)"
	tui_keys Escape
	like "$(tui_screen)" '([0-9]+) of \1 steps' "every step done or skipped"
	run dpkg-query -W -f='${db:Status-Abbrev}' xen-system-amd64
	like "$OUT" '^ii' "xen-system-amd64 is installed"
	run "$XENDECK" grub-default --xen "dom0_mem=$MEM,max:$MEM" "dom0_max_vcpus=$VCPUS"
	is "$RC" 0 "grub.cfg's default entry is Xen's, with dom0's size"
	tui_keys q
	tui_wait 'XD-EXITED 0' 10; ok $? "q quits the console"
	tui_stop
	lab_reboot
fi

# After the reboot: GRUB booted the Xen entry.
run cat /sys/hypervisor/type
is "$OUT" xen "after the reboot: Linux runs on Xen"
run xl info
is "$RC" 0 "xl info runs"
like "$OUT" "^xen_commandline +: .*dom0_mem=$MEM,max:$MEM" "Xen booted with dom0_mem from the wizard"
tui_start -- -l "$T_TMP/tui.log"
tui_wait 'Domain-0' 30; ok $? "the console opens on Xen (Domain-0 listed)"
tui_keys : ; tui_type "wizard host-check"; tui_keys Enter
tui_wait '[0-9]+ checks: ' 60; ok $? "the console's host-check"
like "$(tui_screen)" '^ PASS +Xen ' "says Xen runs"
tui_keys q
tui_wait 'XD-EXITED 0' 10; ok $? "q quits"

done_testing
