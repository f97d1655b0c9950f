#!/bin/bash
# Inside the plain lab: the guide's install step through the Xen install
# wizard's CLI. Before: Linux without Xen, and host-check says so. The
# wizard's plan shows its steps; --apply installs Xen from the lab's local
# repository, sets dom0's size and makes GRUB's default entry Xen's; a
# second --plan/--apply has nothing to do and says so; the guide's divert
# (grub=divert) is made, undone and found made. Then the lab
# reboots through GRUB (lab_reboot), and after it Xen runs: xl info, dom0's
# memory as asked, and host-check agrees.
. "${0%/*}/../tap.sh"
. "${0%/*}/../lab/lab.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the plain lab (make check-lab)"
[ "$(cat /xdrun/lab 2>/dev/null)" = plain ] ||
    skip_all "needs the plain lab (scripts/lab run-tests --plain)"
MEM=1024M
VCPUS=2
SETS="--set hvm=no --set dom0-mem=$MEM --set dom0-vcpus=$VCPUS"
STATE=/var/tmp/xd-xen-install	# on the lab's disk: survives the reboot

if [ "$LAB_BOOT" -eq 1 ]; then
	mkdir -p "$STATE"
	run cat /sys/hypervisor/type
	unlike "$OUT" xen "before: Linux runs on no hypervisor"
	run dpkg-query -W -f='${db:Status-Abbrev}' xen-system-amd64
	unlike "$OUT" '^ii' "before: xen-system-amd64 is not installed"

	run "$XENDECK" wizard host-check
	ok "$([ "$RC" -ne 0 ]; echo $?)" "before: host-check does not pass (exit $RC)"
	like "$(printf '%s\n' "$OUT" | grep -E '^[A-Z]+ +Xen ')" \
	    '^(WARN|FAIL) +Xen +not running' "before: host-check says Xen is not running"

	run "$XENDECK" wizard
	like "$OUT" '^xen-install ' "xendeck wizard lists xen-install"

	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install $SETS
	is "$RC" 0 "the plan (--plan is the default)"
	like "$OUT" 'apt-get install .*xen-system-amd64' "it shows apt-get install xen-system-amd64"
	unlike "$(printf '%s\n' "$OUT" | grep 'apt-get install')" qemu-system-xen \
	    "without qemu-system-xen (hvm=no)"
	like "$OUT" "^ *\+GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=$MEM,max:$MEM dom0_max_vcpus=$VCPUS\"" \
	    "a diff adds dom0's size to GRUB_CMDLINE_XEN_DEFAULT"
	like "$OUT" 'update-grub' "it shows update-grub"
	like "$OUT" 'xend-config.sxp' "it says what became of xend-config.sxp"
	like "$OUT" 'xen\.cfg' "it says why no dpkg-divert"
	cp /etc/default/grub "$STATE/grub.before"

	SECONDS=0
	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install --apply --yes $SETS
	is "$RC" 0 "--apply: exit 0"
	diag "the install took $SECONDS s"
	[ "$RC" -eq 0 ] || diag "$OUT" "$ERR"
	run dpkg-query -W -f='${db:Status-Abbrev}' xen-system-amd64
	like "$OUT" '^ii' "xen-system-amd64 is installed (from the lab's repository)"
	run diff "$STATE/grub.before" /etc/default/grub
	like "$OUT" "^> GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=$MEM,max:$MEM dom0_max_vcpus=$VCPUS\"" \
	    "/etc/default/grub gained the line"
	unlike "$OUT" '^<' "and lost none"
	run "$XENDECK" grub-default --xen "dom0_mem=$MEM,max:$MEM" "dom0_max_vcpus=$VCPUS"
	is "$RC" 0 "grub.cfg's default entry is Xen's, with dom0's size"
	like "$OUT" '^hypervisor: /boot/xen-4\.17-amd64\.gz ' "it loads xen-4.17-amd64.gz"

	sha=$(sha256sum /etc/default/grub /boot/grub/grub.cfg)
	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install $SETS
	is "$RC" 0 "a second plan"
	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install --apply --yes $SETS
	is "$RC" 0 "a second --apply: exit 0"
	like "$OUT$ERR" '[Aa]lready|[Nn]othing to do' "and says it had nothing to do"
	is "$(sha256sum /etc/default/grub /boot/grub/grub.cfg)" "$sha" \
	    "it changed nothing (no second update-grub)"

	# The guide's way, asked for: its divert, undone, made again, and a
	# run that finds it made (dpkg-divert --list first).
	div() { dpkg-divert --list '*20_linux_xen'; }
	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install --apply --yes $SETS --set grub=divert
	is "$RC" 0 "grub=divert: exit 0"
	is "$(div)" "local diversion of /etc/grub.d/20_linux_xen to /etc/grub.d/08_linux_xen" \
	    "the guide's diversion is made"
	run "$XENDECK" wizard xen-install --undo
	is "$RC" 0 "--undo of that run"
	is "$(div)" "" "takes the diversion away"
	ok "$([ -x /etc/grub.d/20_linux_xen ]; echo $?)" "20_linux_xen is back"
	run dpkg-query -W -f='${db:Status-Abbrev}' xen-system-amd64
	like "$OUT" '^ii' "and leaves Xen installed (that run did not install it)"
	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install --apply --yes $SETS --set grub=divert
	is "$(div)" "local diversion of /etc/grub.d/20_linux_xen to /etc/grub.d/08_linux_xen" \
	    "the divert again"
	# shellcheck disable=SC2086
	run "$XENDECK" wizard xen-install --apply --yes $SETS --set grub=divert
	is "$RC" 0 "and once more"
	like "$OUT$ERR" "already done \(dpkg-divert --list '?\*20_linux_xen" \
	    "which finds the diversion there"
	lab_reboot
fi

# After the reboot: GRUB booted the Xen entry.
run cat /sys/hypervisor/type
is "$OUT" xen "after the reboot: Linux runs on Xen"
run xl info
is "$RC" 0 "xl info runs"
like "$OUT" '^xen_version +: 4\.17\.' "xl info: Xen 4.17"
like "$OUT" "^xen_commandline +: .*dom0_mem=$MEM,max:$MEM" "Xen booted with dom0_mem from the wizard"
run xl list
mem=$(printf '%s\n' "$OUT" | awk '$1 == "Domain-0" { print $3 }')
ok "$([ -n "$mem" ] && [ "$mem" -le "${MEM%M}" ] && [ "$mem" -ge $((${MEM%M} - 64)) ]; echo $?)" \
    "dom0 has the memory asked for ($mem MiB)"
run "$XENDECK" wizard host-check
like "$(printf '%s\n' "$OUT" | grep -E '^[A-Z]+ +Xen ')" '^PASS +Xen ' \
    "host-check: Xen runs"

done_testing
