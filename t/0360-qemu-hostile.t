#!/bin/sh
# Hostile input and secrets on the qemu backend (issue 12): no secret in
# any log, logs only root can read, names that would break later refused,
# disk targets that QEMU must not parse as protocols, VNC display numbers
# out of range, and a guest's console log that cannot fill the disk.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains)"
gk_kit pv
q_setup

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
"$XENDECK" destroy sec
# Files from before (0644) are narrowed when used again.
chmod 644 "$XENDECK_LOGDIR/sec.log" "$XENDECK_LOGDIR/sec.console.log"
chmod 755 "$XENDECK_LOGDIR"
"$XENDECK" create -p "$T_TMP/sec.cfg" && "$XENDECK" destroy sec
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

done_testing
