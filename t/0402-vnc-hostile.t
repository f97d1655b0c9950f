#!/bin/sh
# The viewer against a hostile RFB server (t/vnc-hostile): every malformed
# or stalled session ends with exit 1 and one clear line, within its
# timeouts, never a crash or a hang; a well-behaved one gives a frame.
. "${0%/*}/tap.sh"

HOSTILE=$XD_BUILDDIR/t/vnc-hostile
[ -x "$HOSTILE" ] || skip_all "t/vnc-hostile not built (make check builds it)"
SOCK=$T_TMP/h.sock
export XENDECK_RUNDIR=$T_TMP/run XENDECK_LOGDIR=$T_TMP/log
HPID=
stop_server() { [ -n "$HPID" ] && kill "$HPID" 2>/dev/null; wait 2>/dev/null; HPID=; }
at_exit stop_server

start_server() { # MODE [WxH]
	stop_server
	rm -f "$SOCK"
	"$HOSTILE" "$@" "$SOCK" >"$T_TMP/events" 2>&1 &
	HPID=$!
	wait_for 5 test -S "$SOCK"
}

# viewer MODE: run `xendeck vnc --once` against a server in MODE.
viewer() {
	start_server "$1"
	run timeout 20 "$XENDECK" -l "$T_TMP/xd.log" -v -v vnc --once \
	    --timeout 3 --read-timeout 2 "$SOCK"
	stop_server
}

# bad MODE PATTERN WHAT
bad() {
	viewer "$1"
	is "$RC" 1 "$1: exits 1 ($3)"
	like "$ERR" "^xendeck: vnc: [^ ]*: $2" "$1: says so"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "$1: in one line"
}

viewer ok
is "$RC" 0 "a well-behaved server gives a frame"
like "$OUT" '^size: 64x48$' "its size is reported"

start_server ok
run timeout 20 "$XENDECK" vnc --dump-frame "$T_TMP/f.ppm" "$SOCK"
stop_server
is "$RC" 0 "--dump-frame writes the frame"
# P6 header is 13 bytes ("P6\n64 48\n255\n"); first pixel red, last blue.
is "$(od -An -tu1 -j13 -N3 "$T_TMP/f.ppm" | tr -s ' ')" " 255 0 0" \
    "left half is red"
is "$(tail -c3 "$T_TMP/f.ppm" | od -An -tu1 | tr -s ' ')" " 0 0 255" \
    "right half is blue"
enc=$(grep '^enc ' "$T_TMP/events" | tr '\n' ' ')
unlike "$enc" 'enc -308 ' "ExtendedDesktopSize (-308) is not offered"
unlike "$enc" 'enc (7|9|-239|-240) ' "no tight, ultra, cursor encodings"
like "$enc" 'enc -223 ' "plain DesktopSize (-223) is offered"

# A desktop name with terminal controls (issue 12, defect 5) is printed
# escaped, in any locale.
for loc in C C.UTF-8; do
	LC_ALL=$loc viewer evil-name
	is "$RC" 0 "$loc: a desktop name with controls: a frame all the same"
	is "$(printf '%s' "$OUT" | LC_ALL=C tr -cd '\000-\011\013-\037\177\200-\237' |
	    wc -c)" 0 "$loc: no control byte in the output"
	like "$OUT" '^desktop: ev\\x1b\]0;pwned\\x07il\\x1b\[2J(\\u009b|\\xc2\\x9b)2J\\x7f!$' \
	    "$loc: the desktop name is shown escaped"
done

viewer cut-zero
is "$RC" 0 "a zero-length cut text is harmless"
like "$OUT" '^nonblack: yes$' "and the frame after it arrives"

viewer race
is "$RC" 0 "a frame that outruns a resize: one reconnect, then the frame"
like "$OUT" '^size: 80x64$' "at the new size"
like "$(cat "$T_TMP/xd.log")" 'a 80x64 rectangle at 0,0 lies outside the 64x48 screen; reconnecting' \
    "the reconnect is logged"

bad bigrect 'protocol error: a 64x48 rectangle at 10,10 lies outside' \
    "rectangle beyond the framebuffer"
bad hugefb 'server announced a 65535x65535 screen \(limit 8192x8192' \
    "huge framebuffer in ServerInit"
bad resize-huge 'server announced a 65535x65535 screen' \
    "huge framebuffer in a resize"
bad cut-huge 'the server sent 4294967295 bytes of clipboard text' \
    "0xFFFFFFFF cut text"
bad bogus-enc 'protocol error: the server used encoding 2147422772' \
    "bogus encoding"
bad truncated 'the server closed the connection' "truncated message"
bad stall-hello 'the server accepted the connection but sent no greeting within 2 s' \
    "silent server"
bad stall-mid 'the server stopped sending in the middle of a message' \
    "server stalled mid-message"
bad bad-version 'protocol error: Not a valid VNC server' "not RFB at all"

run timeout 10 "$XENDECK" vnc --once --timeout 1 "$T_TMP/no-such.sock"
is "$RC" 1 "a missing socket exits 1"
like "$ERR" '^xendeck: vnc: .*no-such.sock: cannot connect to .*: No such file' \
    "and names it"

run "$XENDECK" vnc --once "host:junk"
is "$RC" 1 "a bad address exits 1"
like "$ERR" 'not a VNC address' "and says what is expected"

unlike "$(cat "$T_TMP/xd.log")" 'fatal|Segmentation' "nothing fatal in the log"
like "$(cat "$T_TMP/xd.log")" 'libvncclient: ' "libvncclient's messages go to the log file"

done_testing
