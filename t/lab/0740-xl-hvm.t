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
XENDECK_RUNDIR=$T_TMP/run XENDECK_LOGDIR=$T_TMP/log
export XENDECK_RUNDIR XENDECK_LOGDIR
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
X() { "$XENDECK" -v -l "$T_TMP/xendeck.log" "$@"; }
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
	{ sleep 3600 | "$XENDECK" console "$NAME" >"$1" 2>&1; } &
	CONPID=$!
}
serial_has() { tr -d '\r' <"$1" | grep -q "$2"; }
# type_in_viewer TEXT: the viewer in tmux, TEXT and Enter typed there.
type_in_viewer() {
	$TM kill-server 2>/dev/null
	$TM new-session -d -x 100 -y 30 "'$XENDECK' vnc '$NAME'; sleep 30"
	wait_for 20 sh -c "$TM capture-pane -p | tail -n 1 | grep -q '$NAME │'" ||
	    diag "viewer: $($TM capture-pane -p | tail -n 2)"
	$TM send-keys -l "$1"
	$TM send-keys Enter
}

xl_grub_iso "$T_TMP"
ok $? "a GRUB ISO built in dom0 (grub-mkrescue)" ||
    diag "$(cat "$T_TMP/grub-mkrescue.log")"
CFG=$(xl_guest_cfg_hvm "$T_TMP" "$NAME")

run X create "$CFG"
is "$RC" 0 "xendeck create of an HVM guest"
[ "$RC" -eq 0 ] || diag "$ERR"
domid=$(xl domid "$NAME")
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "xl list: it is alive"
run X list -l "$NAME"
like "$OUT" '"type": "hvm"' "xendeck list -l: type hvm" || diag "$OUT"
like "$OUT" '"vnc": true' "xendeck list -l: with VNC"

# The serial port: serial/0/tty, which qemu-xen publishes.
start_console "$T_TMP/con1"
wait_for 180 serial_has "$T_TMP/con1" "$XL_GRUB_UP"
ok $? "xendeck console: GRUB's banner on the guest's serial port" ||
    diag "console: $(tr -d '\r' <"$T_TMP/con1" | tail -3)"
grep -q "console on $(xenstore-read "/local/domain/$domid/serial/0/tty")" \
    "$T_TMP/xendeck.log" 2>/dev/null ||
    grep -q "console on /dev/pts/" "$T_TMP/xendeck.log"
ok $? "through the pty in serial/0/tty"

# VNC: the endpoint from xenstore, a frame, keys.
port=$(xenstore-read "/local/domain/$domid/console/vnc-port")
run X vnc-endpoint "$NAME"
is "$OUT" "127.0.0.1:$port" "vnc-endpoint: vnc-listen and vnc-port from xenstore"
run X vnc --dump-frame "$T_TMP/f.ppm" "$NAME"
is "$RC" 0 "xendeck vnc DOMAIN connects to the device model ($ERR)"
like "$OUT" "^desktop: QEMU \\($NAME\\)$" "it is the domain's QEMU"
like "$OUT" '^nonblack: yes$' "and its screen has something on it"
type_in_viewer xd-vnc-$$
wait_for 60 serial_has "$T_TMP/con1" "XENDECK-GRUB-READ xd-vnc-$$"
ok $? "keys typed in the viewer reach the guest (GRUB read them)"
$TM send-keys C-]
$TM kill-server 2>/dev/null

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
newdom() { n=$(xl domid "$NAME" 2>/dev/null) && [ "$n" != "$domid" ]; }
wait_for 60 newdom
ok $? "it came back as a new domain ($domid -> $(xl domid "$NAME" 2>/dev/null))"
start_console "$T_TMP/con2"
wait_for 180 serial_has "$T_TMP/con2" "$XL_GRUB_UP"
ok $? "and booted GRUB again" ||
    diag "console: $(tr -d '\r' <"$T_TMP/con2" | tail -3)"

# shutdown -F -w: the ACPI power button; the guest powers off.
type_in_viewer again
wait_for 60 serial_has "$T_TMP/con2" "waiting for the ACPI power button"
ok $? "the guest waits for the power button (keys reached the new domain)"
$TM kill-server 2>/dev/null
run X shutdown -F -w "$NAME"
is "$RC" 0 "xendeck shutdown -F -w"
[ "$RC" -eq 0 ] || diag "$ERR"
wait_for 30 serial_has "$T_TMP/con2" XENDECK-GRUB-POWERBUTTON
ok $? "the guest saw the ACPI power button"
wait_for 60 xl_gone "$NAME"
ok $? "and powered off: the domain is gone"
stop_console

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
