#!/bin/sh
# `xendeck vnc DOMAIN`: the endpoint (unix socket and vncpasswd) comes from
# the backend's vnc_endpoint op; an HVM domain booting the guest kit's ISO
# on the qemu backend is shown, with VNC password authentication.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
command -v tmux >/dev/null || skip_all "tmux not installed"
gk_kit iso
export XENDECK_RUNDIR=$T_TMP/run XENDECK_LOGDIR=$T_TMP/log
# The viewer needs no KVM; TCG behaves the same on every host.
export XENDECK_ACCEL=${XENDECK_ACCEL:-tcg}
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
name=vncdom$$
TM="tmux -L xdvnc$$ -f /dev/null"
cleanup() {
	$TM kill-server 2>/dev/null
	"$XENDECK" destroy --yes "$name" >/dev/null 2>&1
}
at_exit cleanup
cat >"$T_TMP/$name.cfg" <<CFG
name = "$name"
type = "hvm"
memory = 128
vnc = 1
vncpasswd = "xd-dom-pw"
boot = "d"
disk = [ "file:$ISO,hdc:cdrom,r" ]
CFG
run "$XENDECK" create "$T_TMP/$name.cfg"
is "$RC" 0 "HVM domain with vnc=1 created ($ERR)"

run "$XENDECK" vnc-endpoint "$name"
like "$OUT" '^unix:/' "its VNC endpoint is a unix socket"
wait_for 60 sh -c "'$XENDECK' vnc --once --settle 0 '$name' >/dev/null 2>&1"
run "$XENDECK" -l "$T_TMP/xd.log" -v -v vnc --dump-frame "$T_TMP/d.ppm" "$name"
is "$RC" 0 "xendeck vnc DOMAIN connects ($ERR)"
like "$OUT" "^desktop: QEMU \\($name\\)$" "to the domain's QEMU"
like "$OUT" '^nonblack: yes$' "and shows its screen"
grep -q 'VNC authentication succeeded' "$T_TMP/xd.log"
ok $? "with the domain's vncpasswd"

$TM new-session -d -s xd -x 120 -y 40 \
    "COLORTERM=truecolor '$XENDECK' vnc '$name'; echo EXIT=\$? >'$T_TMP/exit'; sleep 60"
wait_for 15 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q '$name │'"
like "$($TM capture-pane -p -t xd | tail -n 1)" "^ $name │ [0-9]+x[0-9]+ │" \
    "the viewer's status line names the domain"
$TM send-keys -t xd C-]
wait_for 5 test -s "$T_TMP/exit"
is "$(cat "$T_TMP/exit" 2>/dev/null)" "EXIT=0" "Ctrl+] leaves"

run "$XENDECK" vnc no-such-dom$$
is "$RC" 1 "an unknown domain exits 1"
like "$ERR" "^xendeck: vnc: no-such-dom$$: " "naming it"
done_testing
