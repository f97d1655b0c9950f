#!/bin/sh
# The VNC viewer as a view of the console, driven by its one loop, against
# a real (paused) HVM guest's VNC server: while the help-desk user is in
# the VNC session, sampling goes on and a create job started before ends;
# Ctrl+] comes back to where the user was; then SIGTERM to the console
# ends it with the terminal restored (main screen, mouse off, cursor on,
# cooked mode). SIGTERM in the middle of a VNC session (opened from the
# prompt this time) restores it too.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/tui.sh"
. "${0%/*}/qemu.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv iso
q_setup
# The viewer needs no KVM; TCG behaves the same on every host.
export XENDECK_ACCEL=${XENDECK_ACCEL:-tcg}
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
QEMU=$(command -v qemu-system-x86_64)
cat >"$T_TMP/slow-qemu" <<EOF
#!/bin/sh
sleep 4
exec '$QEMU' "\$@"
EOF
chmod +x "$T_TMP/slow-qemu"
cat >"$T_TMP/scr.cfg" <<EOF
name = "scr"
type = "hvm"
memory = 128
vnc = 1
boot = "d"
disk = [ "file:$ISO,hdc:cdrom,r" ]
EOF
q_pv pv1
LOG=$TUI_HOME/.local/state/xendeck/xendeck.log
FLAGS='#{alternate_on}#{mouse_any_flag}#{mouse_sgr_flag}#{cursor_flag}'

run "$XENDECK" create -p "$T_TMP/scr.cfg"
is "$RC" 0 "a paused HVM guest with a VNC screen${ERR:+: $ERR}"

console_pid() { pgrep -P "$(tui_tmux display -p '#{pane_pid}')" | head -n 1; }
samples_in_vnc() { grep -c 'sample: .*(view vnc)' "$LOG" 2>/dev/null || :; }
tty_of_pane() { tui_tmux display -p '#{pane_tty}'; }

tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_QEMU=$T_TMP/slow-qemu" \
    "XENDECK_VNC_RENDER=256" -- -v -v
tui_wait '^scr ' 20; ok $? "the console lists the guest"

# Which signals the console catches and ignores (/proc): the VNC view must
# leave them exactly as they were.
sigs() { grep -E '^Sig(Cgt|Ign):' "/proc/$(console_pid)/status" | tr '\n' ' '; }
sigs0=$(sigs)
like "$sigs0" 'SigCgt:[[:space:]]*[0-9a-f]+' "the console's signal dispositions ($sigs0)"

# A job that will end while the user is in the VNC session.
tui_keys :; tui_type "create -p $T_TMP/pv1.cfg"; tui_keys Enter
tui_wait 'create -p pv1.cfg +[0-9]+ s' 5; ok $? "a create job runs"
tui_keys g j v
tui_wait '^ scr │ [0-9]+x[0-9]+ │' 20; ok $? "v: the guest's screen, the viewer's status line"
is "$(tui_tmux display -p '#{alternate_on}')" 1 "the viewer has the screen"
is "$(sigs)" "$sigs0" "no signal disposition changed for the session"
n0=$(samples_in_vnc)
sleep 6
n1=$(samples_in_vnc)
ok "$([ "$n1" -ge $((n0 + 3)) ]; echo $?)" "sampling goes on in the VNC session ($n0 -> $n1 samples)"
grep -Eq 'job [0-9]+: create -p pv1.cfg: done' "$LOG"
ok $? "and the create job ended meanwhile"
tui_keys C-]
tui_wait 'CPU, last minute' 5; ok $? "Ctrl+] returns to the Domains view"
like "$(tui_screen | tail -n 1)" 'create -p pv1.cfg: done' "where the job's end shows"
tui_wait '^pv1 +[0-9]+ ' 5; ok $? "and its domain is listed"
grep -q 'vnc view: scr closed' "$LOG"; ok $? "the session was closed (log)"
is "$(sigs)" "$sigs0" "every signal disposition as before the session"

# SIGTERM after the session: a clean end, the terminal as it was.
kill -TERM "$(console_pid)"
tui_wait '^XD-EXITED 0' 5; ok $? "SIGTERM ends the console (exit 0)"
is "$(tui_tmux display -p "$FLAGS")" 0001 "main screen, mouse off, cursor on"
stty -a -F "$(tty_of_pane)" | grep -Eq '(^| )icanon( |$).*(^| )echo( |$)|(^| )echo( |$).*(^| )icanon( |$)'
ok $? "the terminal is back in cooked mode (icanon, echo)"

# SIGTERM in the middle of a session restores the terminal as well.
tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_VNC_RENDER=256" --
tui_wait '^scr ' 20
tui_keys :; tui_type "vnc scr"; tui_keys Enter
tui_wait '^ scr │ [0-9]+x[0-9]+ │' 20; ok $? ":vnc scr at the prompt opens the same view"
kill -TERM "$(console_pid)"
tui_wait '^XD-EXITED 0' 5; ok $? "SIGTERM in the session ends the console"
is "$(tui_tmux display -p "$FLAGS")" 0001 "the terminal restored from the viewer"
stty -a -F "$(tty_of_pane)" | grep -q -- '-icanon'
ok "$([ $? -ne 0 ]; echo $?)" "not left raw"

"$XENDECK" destroy --yes scr >/dev/null 2>&1
"$XENDECK" destroy --yes pv1 >/dev/null 2>&1
done_testing
