#!/bin/sh
# The console never waits: against real tiny guests on the QEMU backend,
# with a QEMU that takes seconds to start (XENDECK_QEMU: a wrapper that
# sleeps, then runs the real one), a create from the prompt runs as a job
# while the clock in the header keeps changing and other views open; its
# end shows on the status line. Destroy runs as a job, and asks for the
# typed name alike from the key and the prompt (nothing happens without
# it); Domain-0 is refused; a cancellable job (shutdown -w of a paused
# guest) is cancelled from :jobs; a warning of a successful create shows
# on the status line and in Messages, and on stderr with -l; q asks while
# jobs run.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/tui.sh"
. "${0%/*}/qemu.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv
q_setup
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}; export XENDECK_ACCEL
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
QEMU=$(command -v qemu-system-x86_64)
SLOW=6
cat >"$T_TMP/slow-qemu" <<EOF
#!/bin/sh
# A QEMU that starts slowly (every run: -version too).
sleep $SLOW
exec '$QEMU' "\$@"
EOF
chmod +x "$T_TMP/slow-qemu"
q_pv slow1
q_pv keep1
q_pv warn1 'dhcp = "dhcp"'
q_pv warn2 'dhcp = "dhcp"'
LOG=$TUI_HOME/.local/state/xendeck/xendeck.log

clock() {
	tui_screen | head -n 1 | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}' |
	    tail -n 1
}
status() { tui_screen | tail -n 1; }

tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_QEMU=$T_TMP/slow-qemu" -- -v -v
tui_wait 'no domains yet' 15; ok $? "the console opens at once (QEMU's -version is a job)"

# 1. create through the slow QEMU, from the prompt.
t0=$(date +%s)
tui_keys :; tui_type "create -p $T_TMP/slow1.cfg"; tui_keys Enter
tui_wait '^ [^ ]+ create -p slow1.cfg +[0-9]+ s' 3
ok $? "the create runs as a job: the job line names it, with its time"
c1=$(clock); sleep 2.5; c2=$(clock)
ok "$([ -n "$c1" ] && [ "$c1" != "$c2" ]; echo $?)" "the clock keeps changing meanwhile ($c1, $c2)"
tui_keys 2
tui_wait 'NAME +STATE +CPU\(sec\)' 3; ok $? "another view opens meanwhile (Top)"
like "$(tui_screen)" 'create -p slow1.cfg +[0-9]+ s' "while the create still runs"
tui_keys 3
tui_wait ' Host \(xl info\)' 3; ok $? "and the Host view too"
tui_wait 'create -p slow1.cfg: done' 90
ok $? "its end shows on the status line"
t1=$(date +%s)
ok "$([ $((t1 - t0)) -ge "$SLOW" ]; echo $?)" "it did take the slow QEMU's time ($((t1 - t0)) s)"
tui_keys 1
tui_wait '^slow1 +[0-9]+ +96 +1 +--p---' 10; ok $? "the domain is listed, paused"
grep -Eq "\[[0-9]+\] info: job [0-9]+: create -p slow1.cfg: started" "$LOG"
ok $? "the log has the job"
grep -Eq "sample: .*\(view host\)" "$LOG"
ok $? "the console sampled while the job ran (log)"

# 2. Domain-0: refused from the key, in one place (the command table).
tui_keys g D
tui_wait 'Domain-0 is the host itself, not a guest: destroy refused' 5
ok $? "D on Domain-0 is refused by the command table"

# 3. destroy from the key: a job, after the typed name.
tui_keys G D
tui_wait 'destroy slow1 .*type its name to confirm' 5; ok $? "D asks for the name"
tui_type slow1; tui_keys Enter
tui_wait 'destroy slow1: done' 30; ok $? "destroy ran, its end on the status line"
tui_gone '^slow1 ' 10; ok $? "slow1 is gone"
grep -Eq "job [0-9]+: destroy slow1: started \(pid [0-9]+\)" "$LOG"
ok $? "as a job (a child process, in the log)"

# 4. the prompt's destroy asks for the typed name too.
run "$XENDECK" create -p "$T_TMP/keep1.cfg"
is "$RC" 0 "keep1 created from the CLI${ERR:+: $ERR}"
tui_wait '^keep1 ' 10
tui_keys :; tui_type "destroy keep1"; tui_keys Enter
tui_wait 'destroy keep1 .*type its name to confirm' 5; ok $? ":destroy asks for the name"
tui_keys Escape
tui_wait 'destroy keep1: not done' 5; ok $? "Esc: not done"
tui_keys :; tui_type "destroy keep1"; tui_keys Enter
tui_wait 'type its name' 5
tui_type keep; tui_keys Enter
tui_wait 'destroy keep1: not done: the name typed did not match' 5
ok $? "a wrong name: not done"
sleep 1
ok "$(q_gone keep1; [ $? -ne 0 ]; echo $?)" "keep1 is still there"
like "$(q_state keep1)" '^--p---$' "and still paused"

# 5. a job that can be cancelled: shutdown -w of a paused guest waits.
tui_keys :; tui_type "shutdown -w keep1"; tui_keys Enter
tui_wait '^ [^ ]+ shutdown -w keep1 +[0-9]+ s' 5; ok $? "shutdown -w runs as a job"
tui_keys J
tui_wait 'running +[0-9]+s +shutdown -w keep1 .*\[x cancels\]' 5
ok $? ":jobs lists it as running and cancellable"
tui_keys x
tui_wait 'shutdown -w keep1: cancelled' 10; ok $? "x cancels it"
tui_wait 'cancelled +[0-9]+s +shutdown -w keep1' 5; ok $? "Jobs shows it cancelled"
like "$(tui_screen)" 'done +[0-9]+s +destroy slow1' "and the destroy done"
tui_keys Escape

# 6. a warning of a successful create: status line and Messages.
tui_keys :; tui_type "create -p $T_TMP/warn1.cfg"; tui_keys Enter
tui_wait "create -p warn1.cfg: done .*warning: .*warn1.cfg:[0-9]+: unknown key 'dhcp' \\(kept\\)" 90
ok $? "the create's warning shows on the status line"
tui_keys M
tui_wait "warning +create -p warn1.cfg: warning: .*unknown key 'dhcp'" 5
ok $? "and in Messages"
like "$(tui_screen)" 'ok +destroy slow1: done' "Messages keeps the session's outcomes"
tui_keys Escape

# ... and on stderr from the CLI, -l or not.
run "$XENDECK" -l "$T_TMP/cli.log" create -p "$T_TMP/warn2.cfg"
is "$RC" 0 "CLI create with -l exits 0"
like "$ERR" "^xendeck: warning: .*warn2.cfg:[0-9]+: unknown key 'dhcp' \\(kept\\)$" \
    "its warning is on stderr although -l was given"
grep -q "unknown key 'dhcp'" "$T_TMP/cli.log"; ok $? "and in the log file"

# 7. q with a job running asks first.
tui_keys :; tui_type "shutdown -w keep1"; tui_keys Enter
tui_wait '^ [^ ]+ shutdown -w keep1' 5
tui_keys q
tui_wait '1 job still running .*Quit\? \(y/n\)' 5; ok $? "q asks while a job runs"
tui_keys n Enter
sleep 0.5
unlike "$(tui_screen)" 'XD-EXITED' "n: the console stays"
tui_keys :; tui_type "jobs -c 'shutdown -w keep1'"; tui_keys Enter
tui_wait 'shutdown -w keep1: cancelled' 10; ok $? ":jobs -c NAME cancels"
tui_keys q
tui_wait '^XD-EXITED 0' 5; ok $? "with nothing running, q quits at once"

for d in keep1 warn1 warn2; do "$XENDECK" destroy --yes "$d" >/dev/null 2>&1; done
done_testing
