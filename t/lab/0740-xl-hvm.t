#!/bin/bash
# Inside the lab dom0: an HVM guest without PV drivers on the xl backend,
# qemu-system-xen its device model (the shape of the guide's windows.cfg).
# Its serial port through serial/0/tty; its VNC server from xenstore, in
# the viewer, with keys typed there reaching the guest; shutdown without
# PV drivers refused with the way out (-F); reboot -F (Xen has no reset
# trigger: a reboot shutdown); shutdown -F -w (the ACPI power button, which
# the guest answers by powering off). And a vncpasswd the device model
# cannot take is one clear line.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
[ -x /usr/libexec/xen-qemu-system-i386 ] ||
    skip_all "no qemu-system-xen in the lab image"
command -v tmux >/dev/null || skip_all "no tmux in the lab image"
NAME=xd-hvm$$
XL_GUESTS="$NAME $NAME-pw"
X() { "$XENDECK" -v -v -l "$T_TMP/xendeck.log" "$@"; }
TM="tmux -L xdhvm$$ -f /dev/null"
CONPID=
stop_console() {
	[ -n "$CONPID" ] && kill "$CONPID" 2>/dev/null
	CONPID=
}
cleanup() { stop_console; $TM kill-server 2>/dev/null; }
at_exit cleanup
# The serial console, read in the background into FILE.
start_console() {
	stop_console
	: >"$1"
	{ sleep 3600 | X console "$NAME" >"$1" 2>&1; } &
	CONPID=$!
}
serial_has() { tr -d '\r' <"$1" | grep -q "$2"; }
cur() { xl domid "$NAME" 2>/dev/null; }

# HVM guests in the TCG lab now and then die of the emulated SVM (pitfalls:
# Xen says "MMIO emulation failed" at one of its own addresses, then
# "Triple fault", and restarts the domain as for a reboot). That is the
# lab's CPU, not xendeck; a step that failed for it is done again on the
# restarted domain, and only when Xen's log shows the triple fault.
CRASHES=0
crashed() { xl dmesg | grep -q "d${1}v0 Triple fault"; }
# boot_wait: the console of the domain now, until GRUB's banner: 0; the
# domain crashed: 2; nothing in 4 minutes: 1. Sets DOMID and CON.
boot_wait() {
	_end=$(( $(date +%s) + 240 ))
	DOMID=$(cur)
	CON=$T_TMP/con.$DOMID
	start_console "$CON"
	while [ "$(date +%s)" -lt "$_end" ]; do
		serial_has "$CON" "$XL_GRUB_UP" && return 0
		crashed "$DOMID" && return 2
		sleep 1
	done
	return 1
}
# guest_up: GRUB's banner on the console, after at most two crashes.
guest_up() {
	_n=0
	while :; do
		boot_wait
		case $? in
		0) return 0 ;;
		1) diag "no GRUB banner in 4 minutes: $(tr -d '\r' <"$CON" | tail -3)"
		   return 1 ;;
		esac
		[ "$_n" -lt 2 ] || return 1
		_n=$((_n + 1)) CRASHES=$((CRASHES + 1))
		diag "domain $DOMID died of the lab's emulated SVM (triple fault); xl restarts it"
		_old=$DOMID
		wait_for 60 sh -c "n=\$(xl domid $NAME 2>/dev/null) && [ \"\$n\" != $_old ]" ||
		    return 1
	done
}
# type_keys TEXT EXPECT: the viewer (in tmux) connected, TEXT and Enter
# typed there, until EXPECT shows on the serial console (a pattern: keys
# typed before the viewer was ready may be lost, or partly there). After a
# crash, on the restarted domain.
type_keys() {
	for _try in 1 2 3; do
		$TM kill-server 2>/dev/null
		: >"$T_TMP/viewer.log"
		$TM new-session -d -x 100 -y 30 \
		    "'$XENDECK' -v -l '$T_TMP/viewer.log' vnc '$NAME'; sleep 30"
		wait_for 60 grep -q 'connected to' "$T_TMP/viewer.log" ||
		    diag "viewer: $(tail -3 "$T_TMP/viewer.log")"
		sleep 1
		$TM send-keys -l "$1"
		$TM send-keys Enter
		if wait_for 30 serial_has "$CON" "$2"; then
			$TM send-keys C-]
			$TM kill-server 2>/dev/null
			return 0
		fi
		if crashed "$DOMID"; then
			CRASHES=$((CRASHES + 1))
			diag "domain $DOMID died of the lab's emulated SVM; again on its restart"
			wait_for 60 sh -c "n=\$(xl domid $NAME 2>/dev/null) && [ \"\$n\" != $DOMID ]" &&
			    guest_up || return 1
		else
			diag "try $_try: not on the serial port yet: $(tr -d '\r' <"$CON" | tail -2)"
		fi
	done
	return 1
}

xl_grub_iso "$T_TMP"
ok $? "a GRUB ISO built in dom0 (grub-mkrescue)" ||
    diag "$(cat "$T_TMP/grub-mkrescue.log")"
CFG=$(xl_guest_cfg_hvm "$T_TMP" "$NAME")

run X create "$CFG"
is "$RC" 0 "xendeck create of an HVM guest"
[ "$RC" -eq 0 ] || diag "$ERR"
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "xl list: it is alive"
run X list -l "$NAME"
like "$OUT" '"type": "hvm"' "xendeck list -l: type hvm" || diag "$OUT"
like "$OUT" '"vnc": true' "xendeck list -l: with VNC"

# The serial port: serial/0/tty, which qemu-xen publishes.
guest_up
ok $? "xendeck console: GRUB's banner on the guest's serial port"
tty=$(xenstore-read "/local/domain/$DOMID/serial/0/tty")
grep -q "console on $tty\$" "$T_TMP/xendeck.log"
ok $? "through the pty in serial/0/tty ($tty)"

# VNC: the endpoint from xenstore, a frame, keys.
port=$(xenstore-read "/local/domain/$DOMID/console/vnc-port")
run X vnc-endpoint "$NAME"
is "$OUT" "127.0.0.1:$port" "vnc-endpoint: vnc-listen and vnc-port from xenstore"
run X vnc --dump-frame "$T_TMP/f.ppm" "$NAME"
is "$RC" 0 "xendeck vnc DOMAIN connects to the device model ($ERR)"
like "$OUT" "^desktop: QEMU \\($NAME\\)$" "it is the domain's QEMU"
like "$OUT" '^nonblack: yes$' "and its screen has something on it"
type_keys xd-vnc-$$ "XENDECK-GRUB-READ .*xd-vnc-$$"
ok $? "keys typed in the viewer reach the guest (GRUB read them)"

# No PV drivers: a graceful shutdown is impossible; say how to force it.
run X shutdown "$NAME"
is "$RC" 1 "shutdown without PV drivers fails"
is "$(printf '%s\n' "$ERR" | wc -l)" 1 "with one line"
like "$ERR" 'no PV control interface.*-F' "which names -F"
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "and the guest still runs"

# reboot -F: a new domain that boots GRUB again.
run X reboot -F "$NAME"
is "$RC" 0 "xendeck reboot -F"
[ "$RC" -eq 0 ] || diag "$ERR"
newdom() { n=$(cur) && [ "$n" != "$DOMID" ]; }
wait_for 60 newdom
ok $? "it came back as a new domain ($DOMID -> $(cur))"
guest_up
ok $? "and booted GRUB again"

# shutdown -F -w: the ACPI power button; the guest powers off.
type_keys again "waiting for the ACPI power button"
ok $? "the guest waits for the power button (keys reached the new domain)"
run X shutdown -F -w "$NAME"
is "$RC" 0 "xendeck shutdown -F -w"
[ "$RC" -eq 0 ] || diag "$ERR"
wait_for 30 serial_has "$CON" XENDECK-GRUB-POWERBUTTON
ok $? "the guest saw the ACPI power button"
wait_for 60 xl_gone "$NAME"
ok $? "and powered off: the domain is gone"
stop_console
[ "$CRASHES" -eq 0 ] || diag "steps redone after $CRASHES crash(es) of the lab's emulated SVM"

# A VNC password: Debian 12's qemu-system-xen has no DES cipher, so the
# device model dies on it; the user gets its reason, not "QMP socket".
CFG=$(xl_guest_cfg_hvm "$T_TMP" "$NAME-pw" 'vncpasswd = "xd-pw"')
run X create "$CFG"
if [ "$RC" -ne 0 ]; then
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "vncpasswd: create fails with one line"
	like "$ERR" 'device model failed: .*DES.*qemu-dm-' \
	    "naming the device model's reason and its log"
	ok "$(xl_gone "$NAME-pw"; echo $?)" "nothing is left behind"
else
	run X vnc --dump-frame "$T_TMP/pw.ppm" "$NAME-pw"
	is "$RC" 0 "vncpasswd: the viewer authenticates with the password from xenstore ($ERR)"
	xl destroy "$NAME-pw"
fi
done_testing
