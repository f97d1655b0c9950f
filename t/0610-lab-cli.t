#!/bin/sh
# `xendeck lab`: the command drives scripts/lab. Its operands, and status and
# stop of a lab that is not running (the boot itself: t/0600-lab.t).
. "${0%/*}/tap.sh"
XENDECK_RUNDIR=$T_TMP/run
XENDECK_CACHE=${XENDECK_CACHE:-/var/cache/xendeck}
export XENDECK_RUNDIR XENDECK_CACHE

run "$XENDECK" help lab
is "$RC" 0 "help lab"
like "$OUT" '^usage: xendeck lab start\|stop\|status\|console' "help lab shows the subcommands"
like "$OUT" '^--plain \(build, start\): ' "help lab tells of the plain lab"

run "$XENDECK" lab
is "$RC" 2 "lab without a subcommand is a usage error"
run "$XENDECK" lab frobnicate
is "$RC" 2 "an unknown subcommand is a usage error"
like "$ERR" '^xendeck: lab: unknown subcommand: frobnicate' "and names it"

run "$XENDECK" lab status --plain
is "$RC" 2 "--plain is for start and build only"
like "$ERR" 'lab status: --plain is for start and build' "and says so"

run "$XENDECK" lab status
is "$RC" 1 "lab status exits 1 when no lab runs"
is "$OUT" "not running" "and says so"
run "$XENDECK" lab stop
is "$RC" 0 "lab stop of no lab is fine"
run "$XENDECK" lab console
is "$RC" 1 "lab console refuses when no lab runs"
like "$ERR" 'not running' "and says why"

XENDECK_LAB_SCRIPT=$T_TMP/missing run "$XENDECK" lab status
is "$RC" 1 "a missing lab script is an error"
like "$ERR" '^xendeck: lab status: .*could not be run|not found' "that names the script"

done_testing
