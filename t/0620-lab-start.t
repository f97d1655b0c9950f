#!/bin/sh
# `xendeck lab start|status|console|stop` for real: boots the practice dom0
# in the background, types a command on its console, stops it.
. "${0%/*}/tap.sh"
[ -n "${XENDECK_LAB:-}" ] && skip_all "already inside the lab"
command -v qemu-system-x86_64 >/dev/null ||
    skip_all "qemu-system-x86_64 is not installed"
command -v socat >/dev/null || skip_all "socat is not installed"
if [ "$(id -u)" -ne 0 ] && ! "$XD_SRCDIR/scripts/lab" built; then
	skip_all "no lab image built, and building one needs root"
fi
XENDECK_RUNDIR=$T_TMP/run
export XENDECK_RUNDIR
LOG=$XENDECK_RUNDIR/lab/console.log
stop_lab() { "$XENDECK" lab stop >/dev/null 2>&1; }
at_exit stop_lab

run "$XENDECK" lab start
is "$RC" 0 "lab start boots the dom0"
like "$ERR" 'dom0 shell ready after [0-9]+ s' "and waits for its shell"
diag "$(printf '%s\n' "$ERR" | grep 'ready after')"
like "$ERR" 'xendeck +the console' "lab start says how to open the console in the lab"
like "$ERR" 'xendeck wizard +the guide' "and the wizards"

run "$XENDECK" lab status
is "$RC" 0 "lab status: exit 0 while it runs"
like "$OUT" '^running: pid [0-9]+' "lab status names the QEMU process"
like "$OUT" '^dom0: up$' "lab status: dom0 is up"
pid=$(printf '%s\n' "$OUT" | sed -n 's/^running: pid //p')

run "$XENDECK" lab start
is "$RC" 1 "a second lab start is refused"

printf 'xl list | sed s/^/XDL:/\n' | "$XENDECK" lab console >/dev/null 2>&1
wait_for 120 grep -q '^XDL:Domain-0 ' "$LOG"
ok $? "a command typed on the lab console runs in dom0 (xl list)"

# The beginner's first commands: xendeck is on the lab's PATH, and the
# banner on its console says so.
printf 'xendeck --version | sed s/^/XDV:/\n' | "$XENDECK" lab console >/dev/null 2>&1
# (Not anchored: bash ends its bracketed-paste mode at the start of the
# command's first output line.)
wait_for 120 grep -q 'XDV:xendeck [0-9]' "$LOG"
ok $? "xendeck is on the lab's PATH"
like "$(grep -a 'xendeck wizard ' "$LOG" | head -1)" 'the guide' \
    "the lab's banner names xendeck wizard"

run "$XENDECK" lab stop
is "$RC" 0 "lab stop"
ok "$([ ! -d "/proc/$pid" ]; echo $?)" "its QEMU is gone"
ok "$([ ! -e "$XENDECK_RUNDIR/lab" ]; echo $?)" "its run state is gone"
run "$XENDECK" lab status
is "$RC" 1 "lab status: exit 1 after stop"

done_testing
