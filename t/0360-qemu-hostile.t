#!/bin/sh
# Hostile input and secrets on the qemu backend (issue 12): no secret in
# any log, logs only root can read, names that would break later refused,
# disk targets that QEMU must not parse as protocols, VNC display numbers
# out of range, and a guest's console log that cannot fill the disk.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
. "${0%/*}/tui.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains)"
command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv
q_setup
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}; export XENDECK_ACCEL

# A guest that boots while the quick checks run: its console log is
# capped at 64 KiB (defect 6), and `xendeck console` runs on it.
q_pv flood
XENDECK_LOG_MAX=65536 "$XENDECK" create "$T_TMP/flood.cfg"
ok $? "created flood (logs capped at 64 KiB)"

# mode PATH: its permission bits, octal.
mode() { stat -c %a "$1"; }

# Defect 4: a VNC password in no log, with every trace on; logs 0600 in a
# 0750 dir, the guest's console log too.
pw="Pw$$-sekrit"
q_pv sec 'vnc = 1' "vncpasswd = \"$pw\""
run "$XENDECK" -vvv -l "$T_TMP/cli.log" create -p "$T_TMP/sec.cfg"
is "$RC" 0 "create -vvv with vncpasswd"
grep -q 'change-vnc-password' "$XENDECK_LOGDIR/sec.log"
ok $? "the supervisor's trace has the QMP command"
found=$(grep -rlF -- "$pw" "$XENDECK_LOGDIR" "$T_TMP/cli.log" 2>/dev/null)
is "$found" "" "the password is in no log (NAME.log, its QEMU's, the CLI's)"
like "$(grep 'change-vnc-password' "$XENDECK_LOGDIR/sec.log")" \
    '"password":"<redacted>"' "the trace says the password was redacted"
is "$(mode "$XENDECK_LOGDIR")" 750 "the log dir is 0750"
for f in sec.log sec.console.log sec.qemu.log; do
	is "$(mode "$XENDECK_LOGDIR/$f")" 600 "$f is 0600"
done
is "$(mode "$T_TMP/cli.log")" 600 "a log named with -l is 0600 too"
# The password still reached QEMU: its VNC server asks for one.
sec_types=$(python3 - "$XENDECK_RUNDIR/sec/vnc.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.recv(12)
s.sendall(b"RFB 003.008\n")
n = s.recv(1)[0]
print(" ".join(str(b) for b in s.recv(n)))
PY
)
is "$sec_types" 2 "QEMU's VNC server asks for the password (VNC auth only)"
"$XENDECK" destroy --yes sec
# Files from before (0644) are narrowed when used again.
chmod 644 "$XENDECK_LOGDIR/sec.log" "$XENDECK_LOGDIR/sec.console.log"
chmod 755 "$XENDECK_LOGDIR"
"$XENDECK" create -p "$T_TMP/sec.cfg" && "$XENDECK" destroy --yes sec
is "$(mode "$XENDECK_LOGDIR")/$(mode "$XENDECK_LOGDIR/sec.log")/$(mode \
    "$XENDECK_LOGDIR/sec.console.log")" 750/600/600 \
    "an old 0755 dir and 0644 logs are narrowed"

# Defect 5: create -n prints QEMU's command line with whatever the config
# holds escaped: no terminal control reaches the terminal.
ESC=$(printf '\033') CSI1=$(printf '\302\233')
q_pv dryesc
sed -i "s|^extra = .*|extra = \"console=hvc0 ${ESC}]0;pwned$(printf '\007') ${CSI1}2J$(printf '\177')\"|" \
    "$T_TMP/dryesc.cfg"
for loc in C C.UTF-8; do
	LC_ALL=$loc run "$XENDECK" create -n "$T_TMP/dryesc.cfg"
	is "$RC" 0 "$loc: create -n of a config with controls in extra="
	is "$(printf '%s' "$OUT" | LC_ALL=C tr -cd '\000-\011\013-\037\177\200-\237' |
	    wc -c)" 0 "$loc: no control byte in the command line printed"
	like "$OUT" "-append 'console=ttyS0 \\\\x1b\\]0;pwned\\\\x07 (\\\\u009b|\\\\xc2\\\\x9b)2J\\\\x7f'" \
	    "$loc: they are shown escaped"
done

# Defect 8: names that break later are refused, with one line.
for n in .hidden -dash; do
	q_pv badname
	sed -i "s/^name = .*/name = \"$n\"/" "$T_TMP/badname.cfg"
	run "$XENDECK" create -p "$T_TMP/badname.cfg"
	is "$RC" 1 "name $n: refused"
	like "$ERR" "^xendeck: $T_TMP/badname.cfg:1:8: name: '$n' starts with '${n%"${n#?}"}'" \
	    "name $n: one line naming FILE:LINE:COL"
	ok "$([ ! -e "$XENDECK_RUNDIR/$n" ]; echo $?)" "name $n: nothing made"
done

# Defect 9: a disk target is a file, whatever its name says: a local file
# named like an NBD URL or a json: block spec reaches QEMU as that file,
# through the file driver named explicitly and by its absolute path.
mkdir "$T_TMP/disks"
head -c 1048576 /dev/zero >"$T_TMP/disks/nbd:localhost:1"
head -c 2097152 /dev/zero >"$T_TMP/disks/json:{\"driver\":\"null-co\"}"
q_pv proto "disk = [ 'format=raw,vdev=xvda,access=r,target=nbd:localhost:1', 'format=raw,vdev=xvdb,access=r,target=json:{\"driver\":\"null-co\"}' ]"
(cd "$T_TMP/disks" && "$XENDECK" create -p "$T_TMP/proto.cfg") \
    >"$T_TMP/proto.out" 2>&1
ok $? "created with disks named nbd:localhost:1 and json:{...} (relative)"
blk=$("$XD_SRCDIR/t/qmp-cmd" "$XENDECK_RUNDIR/proto/qmp.sock" query-block 2>&1)
files=$(printf '%s' "$blk" | python3 -c 'import json, sys
for b in json.load(sys.stdin): print(b["inserted"]["drv"], b["inserted"]["file"])' 2>&1)
is "$files" "raw $T_TMP/disks/nbd:localhost:1
raw $T_TMP/disks/json:{\"driver\":\"null-co\"}" \
    "QEMU opened both local files, by their absolute paths"
unlike "$blk" '"drv": "(nbd|null-co)"' "no NBD or null-co drive"
"$XENDECK" destroy --yes proto

# Defect 10: a VNC display past port 65535 or below 0 is refused at once.
for l in 127.0.0.1:99999999999 127.0.0.1:-5900; do
	q_pv vncbad 'vnc = 1' "vnclisten = \"$l\""
	run "$XENDECK" create -p "$T_TMP/vncbad.cfg"
	is "$RC" 1 "vnclisten $l: refused"
	like "$ERR" "^xendeck: $T_TMP/vncbad.cfg:[0-9]+:13: vnclisten: display '${l#*:}' is not a number from 0 to 59635" \
	    "vnclisten $l: one line naming FILE:LINE:COL"
done

# One meaning (issue 11): hda and xvda are one disk; before, check-config
# took them for two and create refused only an HVM guest.
cat >"$T_TMP/twice.cfg" <<EOC
name = "twice"
kernel = "$KERNEL"
ramdisk = "$INITRD"
disk = [ '$KERNEL,raw,hda,r', '$INITRD,raw,xvda,r' ]
EOC
run "$XENDECK" check-config "$T_TMP/twice.cfg"
is "$RC" 1 "check-config: hda and xvda are one disk"
run "$XENDECK" create -n "$T_TMP/twice.cfg"
like "$ERR" "vdev xvda is the same disk as hda" "create says the same"

# Defect 6: the Detail view reads only the tail of a log. A 1 GiB console
# log (sparse) with the console limited to 200 MB of address space: the
# view shows its last line, and the console lives on (before, it read the
# whole log on every refresh: ~1 GB and 30-40 % CPU, here a fatal realloc).
q_pv huge
XENDECK_LOG_MAX=4294967296 "$XENDECK" create -p "$T_TMP/huge.cfg"
ok $? "created huge (paused, logs not capped)"
truncate -s 1G "$XENDECK_LOGDIR/huge.console.log"
echo "XD-TAIL-LINE of the huge log" >>"$XENDECK_LOGDIR/huge.console.log"
cat >"$T_TMP/xd-limited" <<EOS
#!/bin/sh
ulimit -v 200000
exec "$XENDECK" "\$@"
EOS
chmod +x "$T_TMP/xd-limited"
XENDECK_REAL=$XENDECK
XENDECK=$T_TMP/xd-limited
tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" -- -l "$T_TMP/tui.log"
XENDECK=$XENDECK_REAL
tui_wait '^huge +[0-9]+ ' 20; ok $? "the console lists huge"
tui_keys j j Enter
tui_wait 'Detail: huge' 10; ok $? "its Detail view opens (j j Enter)"
tui_wait 'XD-TAIL-LINE of the huge log' 10
ok $? "it shows the last line of the 1 GiB console log"
sleep 3	# three refreshes
tui_keys 1
tui_wait '1 Domains' 10
ok "$(! tui_screen | grep -q XD-EXITED; echo $?)" \
    "the console lives on under a 200 MB address space limit"
tui_stop
"$XENDECK" destroy --yes huge

# Defect 6: a guest's console log cannot fill the disk. 64 KiB cap; the
# guest prints ~300 KiB: the log keeps its last part, FILE.1 the part
# before, neither over the cap once the supervisor has looked (1 s).
wait_for 150 q_booted flood 1
ok $? "flood booted"
q_type flood 'seq 1 3000 | while read i; do echo "flood-line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; done; echo XD-FLOOD-""DONE'
flood_done() {
	cat "$XENDECK_LOGDIR/flood.console.log.1" \
	    "$XENDECK_LOGDIR/flood.console.log" 2>/dev/null | tr -d '\r' |
	    grep -aq '^XD-FLOOD-DONE'
}
wait_for 120 flood_done
ok $? "the guest printed 300 KiB; its last line is kept"
wait_for 10 sh -c "[ \$(stat -c %s '$XENDECK_LOGDIR/flood.console.log') -le 65536 ]"
ok $? "the console log is within its cap ($(stat -c %s \
    "$XENDECK_LOGDIR/flood.console.log") bytes)"
size1=$(stat -c %s "$XENDECK_LOGDIR/flood.console.log.1" 2>/dev/null || echo none)
ok "$([ "$size1" != none ] && [ "$size1" -le 65536 ]; echo $?)" \
    "the part before is kept as flood.console.log.1 ($size1 bytes)"
is "$(mode "$XENDECK_LOGDIR/flood.console.log.1")" 600 "which is 0600 too"
like "$(grep -a 'kept in' "$XENDECK_LOGDIR/flood.log" | head -n 1)" \
    'flood.console.log: [0-9]+ bytes: the last [0-9]+ kept in .*flood.console.log.1' \
    "the supervisor logs each cap"

# `xendeck console` passes the guest's bytes raw, and on leaving resets
# the terminal's modes: here the guest switches on the alternate screen,
# mouse reporting, bracketed paste, application cursor keys and keypad,
# hides the cursor, reverses the screen and picks red.
TM="tmux -L xdc$$ -f /dev/null"
stop_tm() { $TM kill-server 2>/dev/null; }
at_exit stop_tm
$TM new-session -d -x 100 -y 30 "env XENDECK_RUNDIR='$XENDECK_RUNDIR' \
    XENDECK_LOGDIR='$XENDECK_LOGDIR' '$XENDECK' console flood; \
    echo XD-LEFT \$?; sleep 30"
FLAGS='#{alternate_on}#{mouse_any_flag}#{mouse_sgr_flag}#{keypad_cursor_flag}#{keypad_flag}#{cursor_flag}'
is "$($TM display -p "$FLAGS")" 000001 "attached: the pane in its normal modes"
# Enter until the guest's prompt shows: the console is attached (what is
# typed before it has the terminal is flushed with the tty's mode change).
wait_for 30 sh -c "$TM send-keys -t 0 Enter; sleep 0.5;
    $TM capture-pane -p | grep -q '^flood# '"
$TM send-keys -t 0 -l "printf '\\033[?1049h\\033[?1000h\\033[?1006h\\033[?2004h\\033[?1h\\033=\\033[?25l\\033[?5h\\033[31mXD-MODES-ON\\n'"
$TM send-keys -t 0 Enter
wait_for 30 sh -c "$TM capture-pane -p | grep -q '^XD-MODES-ON'"
ok $? "the guest's bytes reach the terminal raw"
is "$($TM display -p "$FLAGS")" 111110 \
    "the guest switched the terminal's modes"
$TM send-keys -t 0 C-]
wait_for 10 sh -c "$TM capture-pane -p | grep -q 'XD-LEFT 0'"
ok $? "ctrl+] leaves, exit 0"
is "$($TM display -p "$FLAGS")" 000001 \
    "left: main screen, mouse off, normal keys and keypad, cursor on"
unlike "$($TM capture-pane -p -e | grep 'XD-LEFT')" "\\[31m[^$ESC]*XD-LEFT" \
    "the text after it has none of the guest's colours"
stop_tm
"$XENDECK" destroy --yes flood

done_testing
