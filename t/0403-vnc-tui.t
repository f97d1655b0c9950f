#!/bin/sh
# The viewer in a real terminal (a private tmux server) against t/vnc-hostile
# in its well-behaved mode, which prints every event it receives: colours
# and shapes on screen, keys with modifiers, mouse through the scaling, the
# menu, leaving, and the terminal restored after a hostile server's error.
. "${0%/*}/tap.sh"

HOSTILE=$XD_BUILDDIR/t/vnc-hostile
[ -x "$HOSTILE" ] || skip_all "t/vnc-hostile not built (make check builds it)"
command -v tmux >/dev/null || skip_all "tmux is not installed"
SOCK=$T_TMP/h.sock
EV=$T_TMP/events
TM="tmux -L xdvnc$$ -f /dev/null"
HPID=
cleanup() {
	$TM kill-server 2>/dev/null
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	wait 2>/dev/null
}
at_exit cleanup

start_server() { # MODE [WxH]
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	wait 2>/dev/null
	rm -f "$SOCK"
	"$HOSTILE" "$1" "$SOCK" ${2:-} >"$EV" 2>&1 &
	HPID=$!
	wait_for 5 test -S "$SOCK"
}
pane() { $TM capture-pane -p -t xd "$@"; }
status() { pane | tail -n 1; }
has_event() { grep -qx "$1" "$EV"; }
# after_mark: the events since the last mark
mark() { echo mark >>"$EV.marks"; MARK=$(wc -l <"$EV"); }
since() { tail -n +$((MARK + 1)) "$EV" | tr '\n' ' '; }

start_server ok 640x480
$TM new-session -d -s xd -x 160 -y 50 \
    "COLORTERM=truecolor '$XENDECK' -l '$T_TMP/xd.log' -v -v vnc \
    --render halfblock '$SOCK'; echo EXIT=\$? >'$T_TMP/exit'; sleep 60"
wait_for 10 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q '640x480'"
like "$(status)" '^ hostil │ 640x480 │ raw │ .* fps │ fit 20% │ F12 menu  Ctrl\+\] leave' \
    "status line: name, size, encoding, fps, scale, keys"

# The status line comes with the size; the first frame may follow it.
wait_for 10 sh -c "$TM capture-pane -p -e -N -t xd | sed -n 20p |
    grep -q '48;2;255;0;0m'"
row=$(pane -e -N | sed -n 20p)
like "$row" '48;2;0;0;0m' "a black margin (640x480 centred in 160x49)"
like "$row" '48;2;255;0;0m.*48;2;0;0;255m' "left half red, then right half blue (truecolor)"
unlike "$(pane | sed -n 20p)" '[^ ]' "plain colour areas are drawn with spaces"

# Keys (this server offers no extended key events: plain keysyms).
mark; $TM send-keys -t xd a; wait_for 5 has_event "key 0 0x61"
like "$(since)" '^key 1 0x61 key 0 0x61 $' "a"
mark; $TM send-keys -t xd A; wait_for 5 has_event "key 0 0xffe1"
like "$(since)" '^key 1 0xffe1 key 1 0x41 key 0 0x41 key 0 0xffe1 $' "A with Shift"
mark; $TM send-keys -t xd C-c; sleep 0.3
like "$(since)" '^key 1 0xffe3 key 1 0x63 key 0 0x63 key 0 0xffe3 $' "Ctrl+C"
mark; $TM send-keys -t xd M-x; sleep 0.3
like "$(since)" '^key 1 0xffe9 key 1 0x78 key 0 0x78 key 0 0xffe9 $' "Alt+x"
mark; $TM send-keys -t xd F5 Up; sleep 0.2; $TM send-keys -t xd Escape
sleep 0.2; $TM send-keys -t xd Tab BSpace; sleep 0.3
like "$(since)" '^key 1 0xffc2 key 0 0xffc2 key 1 0xff52 key 0 0xff52 key 1 0xff1b key 0 0xff1b key 1 0xff09 key 0 0xff09 key 1 0xff08 key 0 0xff08 $' \
    "F5, Up, Escape (alone), Tab, BackSpace"
mark; $TM send-keys -t xd Escape Tab; sleep 0.3
like "$(since)" '^key 1 0xffe9 key 1 0xff09 ' "ESC then Tab at once is Alt+Tab"
mark; $TM send-keys -t xd C-Right; sleep 0.3
like "$(since)" '^key 1 0xffe3 key 1 0xff53 key 0 0xff53 key 0 0xffe3 $' "Ctrl+Right"

# Mouse (SGR 1006): 640x480 fit into 160x49 cells is scale 0.2042, 14
# cells of margin on the left; cell 81,25 (1-based) is pixel 325,240.
mark; $TM send-keys -t xd -l "$(printf '\033[<0;81;25M')"
$TM send-keys -t xd -l "$(printf '\033[<32;91;30M')"
$TM send-keys -t xd -l "$(printf '\033[<0;91;30m')"; sleep 0.3
like "$(since)" '^ptr 325 240 1 ptr 374 288 1 ptr 374 288 0 $' \
    "click and drag map through the scaling"
mark; $TM send-keys -t xd -l "$(printf '\033[<65;15;1M')"; sleep 0.3
like "$(since)" '^ptr 2 4 16 ptr 2 4 0 $' "wheel down at the image's corner"

# The menu.
$TM send-keys -t xd F12; sleep 0.3
like "$(pane)" 'xendeck VNC menu' "F12 opens the menu"
$TM send-keys -t xd d; sleep 0.3
like "$(status)" 'send Ctrl\+Alt\+Del to hostil\? \[y/N\]' "Ctrl+Alt+Del asks first"
mark; $TM send-keys -t xd y; sleep 0.3
like "$(since)" '^key 1 0xffe3 key 1 0xffe9 key 1 0xffff key 0 0xffff key 0 0xffe9 key 0 0xffe3 $' \
    "y sends Ctrl+Alt+Del"
unlike "$(pane)" 'xendeck VNC menu' "the menu is gone from the screen"
mark; $TM send-keys -t xd F12 d n; sleep 0.3
is "$(since)" "" "n sends nothing"
$TM send-keys -t xd F12; sleep 0.3; $TM send-keys -t xd Escape; sleep 0.3
unlike "$(pane)" 'xendeck VNC menu' "Esc closes the menu, the screen comes back"
mark; $TM send-keys -t xd F12 3; sleep 0.3
like "$(since)" '^key 1 0xffe3 key 1 0xffe9 key 1 0xffc0 ' "menu 3 sends Ctrl+Alt+F3"
$TM send-keys -t xd F12 t; sleep 0.2
like "$(status)" 'type text' "t prompts for text"
mark; $TM send-keys -t xd -l 'hi!'; $TM send-keys -t xd Enter; sleep 0.3
like "$(since)" '^key 1 0x68 key 0 0x68 key 1 0x69 key 0 0x69 key 1 0xffe1 key 1 0x21 key 0 0x21 key 0 0xffe1 $' \
    "the text is typed as keystrokes"
$TM send-keys -t xd F12 s; sleep 0.3
like "$(status)" '│ 1:1 │' "s switches to 1:1"
img=$(pane -e -N | sed -n 1,49p)
like "$img" '48;2;255;0;0m' "1:1 shows the red left part"
unlike "$img" '48;2;0;0;255m' "and not the blue right half (160 of 640 pixels)"
mark
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do $TM send-keys -t xd S-Right; done
sleep 0.5
img=$(pane -e -N | sed -n 1,49p)
like "$img" '48;2;0;0;255m' "Shift+Right pans to the blue right half"
unlike "$img" '48;2;255;0;0m' "and the red is out of view"
is "$(since)" "" "panning sends no keys to the server"
$TM send-keys -t xd F12 s; sleep 0.3
like "$(status)" '│ fit 20% │' "s again fits the window"
$TM send-keys -t xd F12 +; sleep 0.3
like "$(status)" '│ zoom 25% │' "+ zooms in by 1.25"
$TM send-keys -t xd F12 -; sleep 0.3
like "$(status)" '│ zoom 20% │' "- zooms back out"
$TM send-keys -t xd F12 s; sleep 0.3
like "$(status)" '│ fit 20% │' "s from zoom gets back to fit"

$TM send-keys -t xd C-]
wait_for 5 test -s "$T_TMP/exit"
is "$(cat "$T_TMP/exit")" "EXIT=0" "Ctrl+] leaves, exit 0"
is "$($TM display -p -t xd '#{alternate_on}#{mouse_any_flag}#{mouse_sgr_flag}#{cursor_flag}')" \
    "0001" "terminal restored: main screen, mouse off, cursor on"
$TM kill-server
TM="tmux -L xdvnc$$-2 -f /dev/null"	# a fresh server, no shutdown race

# A desktop name with terminal controls (issue 12, defect 5): the status
# line shows it escaped, and the terminal's title stays ours.
start_server evil-name 640x480
rm -f "$T_TMP/exit"
$TM new-session -d -s xd -x 160 -y 50 \
    "LC_ALL=C.UTF-8 '$XENDECK' vnc --render halfblock '$SOCK'; echo EXIT=\$? >'$T_TMP/exit'; sleep 60"
$TM set -g set-titles off
wait_for 10 sh -c "$TM capture-pane -p -t xd | tail -n 1 | grep -q '640x480'"
like "$(status)" '^ ev\\x1b\]0;pwned\\x07il\\x1b\[2J\\u009b2J\\x7f! │ 640x480 │' \
    "status line: the desktop name escaped"
unlike "$($TM display -p -t xd '#{pane_title}')" 'pwned' \
    "the server's title sequence did not reach the terminal"
$TM send-keys -t xd C-]
wait_for 5 test -s "$T_TMP/exit"
$TM kill-server
TM="tmux -L xdvnc$$-3 -f /dev/null"

# A hostile server: the viewer reports it and restores the terminal.
start_server bigrect
rm -f "$T_TMP/exit"
$TM new-session -d -s xd -x 100 -y 30 \
    "'$XENDECK' vnc --render 256 '$SOCK'; echo EXIT=\$? >'$T_TMP/exit'; sleep 60"
wait_for 10 test -s "$T_TMP/exit"
is "$(cat "$T_TMP/exit")" "EXIT=1" "a protocol error exits 1"
like "$(pane)" 'xendeck: vnc: .*: protocol error: a 64x48 rectangle at 10,10' \
    "with one clear line"
is "$($TM display -p -t xd '#{alternate_on}#{mouse_any_flag}#{cursor_flag}')" \
    "001" "and the terminal restored"

done_testing
