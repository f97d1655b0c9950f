#!/bin/sh
# The viewer against TigerVNC's Xvnc over TCP (HOST:DISPLAY) with VNC
# password authentication and a known screen (xsetroot -solid): the frame
# is red, the terminal shows truecolor red cells, a colour change appears in
# a later frame, a wrong password is a clear error, a missing one is
# prompted for in the status line.
. "${0%/*}/tap.sh"
for p in Xvnc vncpasswd xsetroot tmux; do
	command -v $p >/dev/null ||
	    skip_all "$p not installed (scripts/bootstrap: tigervnc-standalone-server tigervnc-tools x11-xserver-utils tmux)"
done

TM="tmux -L xdvnc$$ -f /dev/null"
XPID=
cleanup() {
	$TM kill-server 2>/dev/null
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	wait 2>/dev/null
}
at_exit cleanup
pane() { $TM capture-pane -p -t xd "$@"; }
status() { pane | tail -n 1; }

# A free display whose port is free too.
port_busy() { grep -qi ":$(printf '%04X' "$1") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
N=
for d in $(seq $((40 + $$ % 50)) 99); do
	[ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] ||
	    port_busy $((5900 + d)) || port_busy $((6000 + d)) || { N=$d; break; }
done
[ -n "$N" ] || skip_all "no free X display number"
echo 'xd-s3cret' | vncpasswd -f >"$T_TMP/passwd"
echo 'xd-s3cret' >"$T_TMP/pw"
echo 'not-it' >"$T_TMP/bad"
Xvnc ":$N" -rfbauth "$T_TMP/passwd" -SecurityTypes VncAuth -localhost \
    -rfbport $((5900 + N)) -geometry 320x200 -depth 24 -nolisten tcp \
    >"$T_TMP/xvnc.log" 2>&1 &
XPID=$!
wait_for 15 sh -c "DISPLAY=:$N xsetroot -solid '#ff0000'"
ok $? "Xvnc :$N is up, root window red"

run "$XENDECK" vnc --dump-frame "$T_TMP/x.ppm" --password-file "$T_TMP/pw" \
    "localhost:$N"
is "$RC" 0 "connects with the password (HOST:DISPLAY)"
like "$OUT" '^size: 320x200$' "320x200"
is "$(od -An -tu1 -j$(( $(head -c 20 "$T_TMP/x.ppm" | head -n 3 | wc -c) )) \
    "$T_TMP/x.ppm" | tr -s ' \n' '\n\n' | sed '/^$/d' | paste -d' ' - - - |
    sort -u)" "255 0 0" "every pixel of the frame is red"

run "$XENDECK" vnc --once --password-file "$T_TMP/bad" "localhost::$((5900 + N))"
is "$RC" 1 "a wrong password exits 1 (HOST::PORT)"
like "$ERR" "^xendeck: vnc: localhost::$((5900 + N)): authentication failed \(wrong password\?\)$" \
    "with a clear error"
run "$XENDECK" vnc --once "localhost:$N"
is "$RC" 1 "no password and no terminal exits 1"
like "$ERR" 'the server wants a password \(--password-file\)' "and says how to give one"

$TM new-session -d -s xd -x 120 -y 40 \
    "COLORTERM=truecolor '$XENDECK' -l '$T_TMP/xd.log' -v -v vnc \
    localhost:$N; echo EXIT=\$? >'$T_TMP/exit'; sleep 60"
wait_for 10 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q 'password for'"
like "$(status)" "^ password for localhost::$((5900 + N)):" "the viewer prompts for the password"
$TM send-keys -t xd -l 'xd-s3'
sleep 0.2
like "$(status)" ': \*\*\*\*\*$' "typed characters are masked"
$TM send-keys -t xd -l 'cret'; $TM send-keys -t xd Enter
wait_for 10 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q '320x200'"
like "$(status)" '│ 320x200 │ zrle │' "connected with the typed password (zrle over TCP)"
sleep 0.5
like "$(pane -e -N | sed '$d')" '48;2;255;0;0m' "the terminal shows red (truecolor 255;0;0)"
unlike "$(pane -e -N | sed '$d' | grep -o '48;2;[0-9;]*' | sort -u | tr '\n' ' ')" \
    '48;2;0;255;0' "no green yet"
DISPLAY=:$N xsetroot -solid '#00ff00'
wait_for 10 sh -c "$TM capture-pane -p -e -N -t xd | grep -q '48;2;0;255;0m'"
ok $? "xsetroot green: a later frame is green"
unlike "$(pane -e -N | sed '$d' | grep -o '48;2;255;0;0' | sort -u)" '255' \
    "and no red is left"
$TM send-keys -t xd C-]
wait_for 5 test -s "$T_TMP/exit"
is "$(cat "$T_TMP/exit" 2>/dev/null)" "EXIT=0" "Ctrl+] leaves"
unlike "$(cat "$T_TMP/xd.log")" 'xd-s3cret' "the password is never logged"
done_testing
