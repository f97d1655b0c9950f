#!/bin/sh
# The viewer against QEMU's own VNC server (unix socket), in a private tmux:
# SeaBIOS's boot text is drawn (colours and shapes), a key typed in the
# viewer reaches the firmware (QEMU extended key events), the session
# survives QEMU's resize and reconnects when QEMU restarts; then the tiny
# guest kit kernel: a command typed in the viewer runs in the guest's VGA
# shell and its echo appears in a later frame.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
command -v qemu-system-x86_64 >/dev/null ||
    skip_all "qemu-system-x86_64 not installed (scripts/bootstrap)"
command -v tmux >/dev/null || skip_all "tmux not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"

TM="tmux -L xdvnc$$ -f /dev/null"
QPID=
cleanup() {
	$TM kill-server 2>/dev/null
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null
	wait 2>/dev/null
}
at_exit cleanup
pane() { $TM capture-pane -p -t xd "$@"; }
status() { pane | tail -n 1; }
# Colours used in the image rows of the pane, other than black.
colours() { pane -e -N | sed '$d' | grep -o '[34]8;2;[0-9]*;[0-9]*;[0-9]*' |
    sed 's/^[34]8;2;//' | grep -v '^0;0;0$' | sort -u; }
ser() { tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'; }

# --- SeaBIOS on a diskless VM: real VGA text. sercon mirrors it to serial.
printf '\370\003' >"$T_TMP/sercon"	# port 0x3f8, little endian
bios() {
	qemu-system-x86_64 -accel tcg -nodefaults -vga std -display none \
	    -m 64 -vnc unix:"$T_TMP/bios.vnc" \
	    -boot menu=on,splash-time=30000 \
	    -fw_cfg name=etc/sercon-port,file="$T_TMP/sercon" \
	    -serial file:"$T_TMP/bios.ser" >"$T_TMP/bios.qemu" 2>&1 &
	QPID=$!
}
bios
$TM new-session -d -s xd -x 160 -y 50 \
    "COLORTERM=truecolor '$XENDECK' -l '$T_TMP/xd.log' -v -v vnc \
    '$T_TMP/bios.vnc'; echo EXIT=\$? >'$T_TMP/exit'; sleep 120"
wait_for 30 sh -c "tr -d '\r' <'$T_TMP/bios.ser' | grep -q 'Press ESC for boot menu'"
ok $? "SeaBIOS waits in its boot prompt"
wait_for 10 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q 'QEMU │ 720x400'"
like "$(status)" '^ QEMU │ 720x400 │ raw │ .* fps │ fit 22% │' \
    "status line: QEMU, text mode 720x400 (after a resize from 640x480)"
sleep 0.5
c=$(colours)
like "$c" '^([0-9]+);\1;\1$' "boot text is drawn in greys (truecolor half blocks)"
like "$(pane | sed '$d')" '▀' "with upper half blocks"
before=$(pane -e -N)

$TM send-keys -t xd Escape
wait_for 15 sh -c "tr -d '\r' <'$T_TMP/bios.ser' | grep -q 'Select boot device'"
ok $? "Escape typed in the viewer reaches SeaBIOS (boot menu opens)"
grep -q 'extended key events' "$T_TMP/xd.log"
ok $? "QEMU's extended key events are used"
sleep 1
after=$(pane -e -N)
[ "$before" != "$after" ]
ok $? "the boot menu appears in a later frame"

kill "$QPID"; wait "$QPID" 2>/dev/null; QPID=
wait_for 10 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q 'reconnecting in'"
ok $? "QEMU gone: the viewer says it is reconnecting"
rm -f "$T_TMP/bios.ser"
bios
wait_for 20 sh -c "grep -q 'reconnected' '$T_TMP/xd.log'"
ok $? "QEMU back on the same socket: the viewer reconnects"
$TM send-keys -t xd C-]
wait_for 5 test -s "$T_TMP/exit"
is "$(cat "$T_TMP/exit" 2>/dev/null)" "EXIT=0" "Ctrl+] leaves"
kill "$QPID"; wait "$QPID" 2>/dev/null; QPID=
$TM kill-server 2>/dev/null
TM="tmux -L xdvnc$$-2 -f /dev/null"	# a fresh server, no shutdown race

# --- The guest kit's kernel with a shell on the VGA console (tty1).
if ! kit=$("$XD_SRCDIR/scripts/guest-kit" -q pv 2>"$T_TMP/kit.err"); then
	echo "ok $((T_NUM + 1)) # SKIP guest kit: $(tail -n 1 "$T_TMP/kit.err")"
	T_NUM=$((T_NUM + 1))
	done_testing
	exit
fi
eval "$kit"
name=vnc$$
gk_qemu vg -vga std -vnc unix:"$T_TMP/vg.vnc" -kernel "$KERNEL" \
    -initrd "$INITRD" -append "console=tty0 console=ttyS0 xd.name=$name"
QPID=$GK_PID
rm -f "$T_TMP/exit"
$TM new-session -d -s xd -x 160 -y 50 \
    "COLORTERM=truecolor '$XENDECK' -l '$T_TMP/xd2.log' -v -v vnc \
    '$T_TMP/vg.vnc'; echo EXIT=\$? >'$T_TMP/exit'; sleep 120"
wait_for 120 gk_seen vg "^XENDECK-GUEST-READY name=$name\$"
ok $? "guest booted ($(gk_accel))"
# The VGA shell starts with the serial one; keys typed before it reads
# may be lost under load, so type again (at most 3 times) if need be.
wait_for 60 gk_seen vg "^$name# "
for try in 1 2 3; do
	sleep 1
	$TM send-keys -t xd Enter
	$TM send-keys -t xd -l 'clear; echo XDVNC-$((6*7)) >/dev/ttyS0'
	$TM send-keys -t xd Enter
	wait_for 15 gk_seen vg "XDVNC-42" && break
done
gk_seen vg "XDVNC-42"
ok $? "a command typed in the viewer runs in the guest's VGA shell (try $try)"
sleep 1
run "$XENDECK" vnc --dump-frame "$T_TMP/vg.ppm" "$T_TMP/vg.vnc"
is "$RC" 0 "a second client dumps the frame"
set -- $("$XD_SRCDIR/t/vnc-ppm-rows" "$T_TMP/vg.ppm")
diag "non-black rows: $*"
ok $([ "$1" != none ] && [ "$1" -lt 16 ] && [ "$2" -lt 48 ]; echo $?) \
    "the cleared screen holds only the prompt and the echo (rows $1-$2 of $3)"
# (Spaces carry no foreground: only backgrounds and half blocks count.)
c=$(pane -e -N | sed -n '10,48p' | grep -o '48;2;[0-9]*;[0-9]*;[0-9]*' |
    grep -v ';0;0;0$')
is "$c" "" "the viewer shows the cleared screen: black below the top lines"
unlike "$(pane | sed -n '10,48p')" '▀' "no half blocks there either"
like "$(pane -e -N | sed -n '1,4p')" '38;2;([1-9][0-9]*);\1;\1' \
    "and grey text at the top"
$TM send-keys -t xd C-]
wait_for 5 test -s "$T_TMP/exit"
is "$(cat "$T_TMP/exit" 2>/dev/null)" "EXIT=0" "Ctrl+] leaves"
done_testing
