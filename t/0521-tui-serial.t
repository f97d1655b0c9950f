#!/bin/sh
# The serial console view against a real tiny guest that prints hostile
# escape sequences (xd.hostile=1: window titles, an OSC 52 clipboard
# write, the alternate screen, mouse and paste modes): a command typed
# into the guest shows its output, ctrl+] leaves, PgUp scrolls back, and
# nothing the guest sent reached the operator's terminal (tmux's pane).
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/tui.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv
export XENDECK_RUNDIR="$T_TMP/run" XENDECK_LOGDIR="$T_TMP/log"
# The accelerator that really boots a Debian kernel here (guest.sh).
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}; export XENDECK_ACCEL
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"

t_destroy_all() { "$XENDECK" destroy --yes hostile >/dev/null 2>&1 || :; }
at_exit t_destroy_all

cat >"$T_TMP/hostile.cfg" <<EOF
name = "hostile"
memory = 128
kernel = "$KERNEL"
ramdisk = "$INITRD"
extra = "console=ttyS0 xd.name=hostile xd.hostile=1"
EOF

FLAGS='#{pane_title}|#{mouse_sgr_flag}|#{alternate_on}'

# TERM=linux has no alternate screen of its own (no smcup), so the pane
# must stay out of it: only a leaked ESC[?1049h would switch it.
TUI_TERM=linux
tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" "XENDECK_ACCEL=$XENDECK_ACCEL" --
# tmux takes OSC 52 from its panes into a paste buffer when this is on:
# the canary below shows the check can see a leak.
tui_tmux set-option -s set-clipboard on
tui_wait 'no domains yet' 10; ok $? "the console opens with no guest"
before=$(tui_tmux display -p "$FLAGS")

# Create from a file, with the path completed by Tab.
tui_keys n
tui_wait 'create from xl.cfg file:' 5; ok $? "n asks for an xl.cfg file"
tui_type "$T_TMP/hostile.c"; tui_keys Tab
tui_wait 'create from xl.cfg file: .*hostile\.cfg' 5; ok $? "Tab completes the file name"
tui_keys Enter
tui_wait '^hostile +[0-9]+ ' 30; ok $? "the guest is created and listed"
like "$before" '\|0$' "the console itself leaves the pane out of the alternate screen"

# Wait for the guest's shell (its log has the marker and the escapes).
wait_for 90 grep -q 'XENDECK-HOSTILE-DONE' "$XENDECK_LOGDIR/hostile.console.log"
ok $? "the guest printed its hostile escapes"

tui_keys G c
tui_wait 'Console of hostile' 10; ok $? "c opens the serial console"
# The screen may already hold a prompt (the log's tail is replayed): the
# Enter must bring a new one. (Replaying the tail once answered the old
# cursor-position queries in it, and those stale replies ate typed keys.)
prompts() { tui_screen | grep -c '^hostile#'; }
n0=$(prompts)
tui_keys Enter
i=0
while [ "$(prompts)" -le "$n0" ] && [ "$i" -lt 150 ]; do
	sleep 0.2
	i=$((i + 1))
done
[ "$(prompts)" -gt "$n0" ]
ok $? "the guest's shell prompt shows"
[ "$(prompts)" -gt "$n0" ] || diag "prompts: $n0 -> $(prompts)" "$(tui_screen)"
tui_type 'echo xd-$((6*7))-ok'; tui_keys Enter
tui_wait '^xd-42-ok' 15; ok $? "a typed command runs in the guest, its output shows"

# Hostile output once more, now while the console is open.
tui_type "printf '\\033]2;XD-EVIL\\033\\\\\\033]52;c;WEQtRVZJTA==\\007\\033[?1000h\\033[?1006h\\033[?1049h'; echo; echo xd-evil-\$((1+1))"
tui_keys Enter
tui_wait '^xd-evil-2' 15; ok $? "the guest sent title, OSC 52, mouse and alternate-screen escapes"
after=$(tui_tmux display -p "$FLAGS")
is "$after" "$before" "the pane's title, mouse mode and screen are untouched"
is "$(tui_tmux list-buffers 2>/dev/null)" "" "no OSC 52 clipboard write reached tmux"
unlike "$(tui_tmux display -p '#{pane_title}')" 'XD-|HOSTILE' "no guest title reached the terminal"

tui_keys PPage
tui_wait 'scrolled back' 5; ok $? "PgUp scrolls back"
tui_keys NPage NPage NPage
tui_gone 'scrolled back' 5; ok $? "PgDn returns"

tui_keys C-]
tui_wait 'CPU, last minute' 5; ok $? "ctrl+] leaves the console"

# Pause and unpause from the Domains view.
tui_keys p
tui_wait '^hostile +[0-9]+ +128 +1 +--p---' 10; ok $? "p pauses the guest"
tui_keys p
tui_wait '^hostile +[0-9]+ +128 +1 +[rb-]{2}-{4}' 10; ok $? "p again unpauses it"

# A graceful shutdown: the guest's acpid powers it off; the countdown ends.
tui_keys s
tui_wait 'shutting down hostile: [0-9]+ s left' 10; ok $? "s: shutting down, with a countdown"
tui_wait 'hostile has shut down' 60; ok $? "the guest powered off and the view says so"
tui_gone '^hostile +[0-9]' 5; ok $? "and it left the list"
tui_keys q
tui_wait '^XD-EXITED 0' 5; ok $? "quits cleanly"

# The canary: the same escapes printed straight into a pane do change it,
# so the checks above would have seen a leak.
tui_tmux new-window -d -n canary "printf '\\033]2;XD-CANARY\\033\\\\\\033]52;c;Q0FOQVJZ\\007\\033[?1000h\\033[?1006h\\033[?1049h'; sleep 5"
wait_for 5 sh -c "tmux -L $TUI_SOCK -f /dev/null list-buffers | grep -q CANARY"
ok $? "canary: a raw pane's OSC 52 does reach tmux"
like "$(tui_tmux display -p -t canary "$FLAGS")" '^XD-CANARY\|1\|1$' "canary: and its title, mouse mode and alternate screen"

done_testing
