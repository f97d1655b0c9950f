#!/bin/sh
# The transcript in tmux, against a real guest on the QEMU backend: a
# domain created, paused, unpaused and destroyed from the console (the
# prompt and the Domains view's keys) is kept as the four xl commands, in
# order, each marked as the xendeck command that ran it on QEMU; the
# Domains view is kept as xl list and the serial console as xl console.
# T and :transcript show it; E and `:transcript -o FILE` write it as a
# sh script whose comments give each command's time and outcome.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/tui.sh"
. "${0%/*}/qemu.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv
q_setup
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
q_pv web1

# The transcript's lines in the view (from the first entry's time on).
lines() { tui_screen | grep -E '^ [0-9]{2}:[0-9]{2}:[0-9]{2} '; }

tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_STATEDIR=$T_TMP/state" --
tui_wait ' 1 Domains ' 20
tui_keys T
tui_wait 'Transcript: 0 actions this session' 5; ok $? "T: the transcript, empty"
tui_keys Escape

tui_keys :; tui_type "create $T_TMP/web1.cfg"; tui_keys Enter
tui_wait 'create web1.cfg: done' 90; ok $? "web1 created from the prompt"
tui_wait "create web1.cfg: done \\([0-9.]+ s\\); in xl: xl create $T_TMP/web1.cfg" 5
ok $? "the status line says the xl command it equals"
tui_keys 1
tui_wait '^web1 ' 10
tui_keys End
q_booted web1 1 || wait_for 60 q_booted web1 1
tui_keys p
tui_wait '^web1 +[0-9]+ +96 +1 +--p---' 20; ok $? "p pauses web1"
tui_keys p
tui_wait '^web1 +[0-9]+ +96 +1 +[-r][-b]----' 20; ok $? "p again unpauses it"
tui_keys c
tui_wait 'Console of web1|web1 .*console' 10; ok $? "c: its serial console"
tui_keys C-]
tui_wait '^web1 ' 10
tui_keys D
tui_wait 'destroy web1 .*type its name' 5
tui_type web1; tui_keys Enter
tui_wait 'destroy web1: done' 30; ok $? "D destroys web1 (its name typed)"

tui_keys :; tui_type transcript; tui_keys Enter
tui_wait 'Transcript: [0-9]+ actions this session' 5; ok $? ":transcript opens the view"
L=$(lines)
diag "$L"
is "$(printf '%s\n' "$L" | grep -oE 'xl (create|pause|unpause|destroy) [^ ]+' | tr '\n' ';')" \
    "xl create $T_TMP/web1.cfg;xl pause web1;xl unpause web1;xl destroy web1;" \
    "the four xl commands, in order"
like "$L" "ok +xl create $T_TMP/web1.cfg +# on QEMU: xendeck create $T_TMP/web1.cfg" \
    "create: ok, with the xendeck command that ran it on QEMU"
like "$L" 'ok +xl destroy web1 +# on QEMU: xendeck destroy --yes web1' \
    "destroy: the xendeck command as it ran (confirmed)"
like "$L" 'ok +xl list +# the Domains view' "the Domains view is xl list"
like "$L" 'ok +xl console web1 +# on QEMU: xendeck console web1' "the console is xl console"

tui_keys End Enter
tui_wait 'command: +xl destroy web1' 5; ok $? "Enter shows an entry in full"
like "$(tui_screen)" 'outcome: +ok' "with its outcome"
tui_keys Escape

# As a script: E, and :transcript -o.
tui_keys E
tui_wait 'write the transcript as a sh script to:' 5
tui_type "$T_TMP/w.sh"; tui_keys Enter
tui_wait "transcript: [0-9]+ actions written to $T_TMP/w.sh" 5; ok $? "E writes it"
tui_keys :; tui_type "transcript -o $T_TMP/o.sh"; tui_keys Enter
tui_wait "transcript written to $T_TMP/o.sh" 5; ok $? ":transcript -o writes it"
S=$(cat "$T_TMP/o.sh")
is "$(printf '%s\n' "$S" | grep -oE '^# on QEMU: xendeck [a-z]+ .*; on Xen: xl (create|pause|unpause|destroy) [^ ]+$' |
    sed 's/.*on Xen: //' | tr '\n' ';')" \
    "xl create $T_TMP/web1.cfg;xl pause web1;xl unpause web1;xl destroy web1;" \
    "the script: each QEMU action with its xl command, in order"
like "$S" "^xendeck create $T_TMP/web1.cfg$" "the script runs what ran"
like "$S" '^xendeck destroy --yes web1$' "destroy with the --yes it was confirmed with"
like "$S" '^# xendeck console web1$' "the console, which takes a terminal, is a comment"
like "$S" '^# [0-9]{2}:[0-9]{2}:[0-9]{2}  ok' "each command after its time and outcome"
sh -n "$T_TMP/o.sh"; ok $? "it is valid sh"
tui_keys q

# The log the Guide reads: the everyday commands used here.
run env HOME="$TUI_HOME" XDG_STATE_HOME= XENDECK_RUNDIR="$XENDECK_RUNDIR" \
    XENDECK_STATEDIR="$T_TMP/state" "$XENDECK" guide everyday
like "$OUT" 'used: xl list, xl console, xl destroy; not yet: info, top, shutdown' \
    "guide everyday: what the console did (the log in the state dir)"
done_testing
