#!/bin/sh
# One name, one domain (issue 12, defects 1-3): a domain's runtime dir is
# held by a lock for the domain's whole life (the creator's until its
# supervisor takes it over, then the supervisor's and QEMU's), and is dead
# only when nobody holds it. Two creates of one name never both succeed; a
# killed supervisor's domain is listed as crashed and destroy cleans it; a
# pid file naming a stranger never gets the stranger signalled. The
# supervisor is exec'd as the hidden `xendeck supervise NAME`.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains)"
gk_kit pv
q_setup

# Four creates of one name at once, round after round: exactly one wins,
# the others say the name is taken, and one QEMU runs the domain. Paused,
# so that no guest boots and the rounds stay cheap. (Before the domain
# lock, a create removed the dir of one being created as "leftovers":
# two wins, and QEMUs that destroy left behind.)
q_pv same
rounds=${XD_LOCK_ROUNDS:-8}
bad=0 twoqemu=0 leftover=0 i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	for k in 1 2 3 4; do
		"$XENDECK" create -p "$T_TMP/same.cfg" >"$T_TMP/c$k.out" 2>&1 &
	done
	wait
	wins=0
	for k in 1 2 3 4; do [ -s "$T_TMP/c$k.out" ] || wins=$((wins + 1)); done
	losers=$(cat "$T_TMP"/c?.out | grep -cE \
	    "^xendeck: domain same (already exists \(domid [0-9]+\)|is being created)$")
	[ "$wins" -eq 1 ] && [ "$losers" -eq 3 ] || {
		bad=$((bad + 1)); diag "round $i: $wins won: $(cat "$T_TMP"/c?.out)"; }
	[ "$(q_qemus same)" -gt 1 ] && twoqemu=$((twoqemu + 1))
	"$XENDECK" destroy --yes same >/dev/null 2>&1
	wait_for 30 q_noqemu same || leftover=$((leftover + 1))
	q_gone same || leftover=$((leftover + 1))
	if [ $leftover -gt 0 ]; then
		diag "round $i: QEMUs left: $(q_qemus same)" \
		    "rundir: $(ls "$XENDECK_RUNDIR/same" 2>&1)"
		break
	fi
done
is "$bad" 0 "$i rounds of four parallel creates: one wins, three say why"
is "$twoqemu" 0 "never two QEMUs for one name"
is "$leftover" 0 "destroy always leaves nothing (no QEMU, no runtime dir)"

# The supervisor is exec'd: its own program image, `xendeck supervise NAME`.
q_pv sup
"$XENDECK" create -p "$T_TMP/sup.cfg"
ok $? "created sup"
spid=$(cat "$XENDECK_RUNDIR/sup/supervisor.pid")
is "$(tr '\0' ' ' <"/proc/$spid/cmdline" | awk '{ print $(NF-1), $NF }')" \
    "supervise sup" "the supervisor runs as 'xendeck supervise sup'"
is "$(readlink "/proc/$spid/exe")" "$(readlink -f "$XENDECK")" \
    "its program is xendeck itself"
run "$XENDECK" help
unlike "$OUT" "supervise" "help does not list the hidden command"
run "$XENDECK" supervise sup
is "$RC" 1 "supervise by hand: exit 1"
like "$ERR" "^xendeck: supervise: " "and one line why"
is "$(q_state sup)" "--p---" "the real supervisor is unharmed"

# Defect 3: a killed supervisor's domain is listed as crashed, its QEMU
# is gone, destroy cleans it up and the name can be used again.
kill -9 "$spid"
wait_for 30 q_noqemu sup
ok $? "supervisor SIGKILLed: its QEMU goes too"
is "$(q_state sup)" "----c-" "the domain is listed as crashed"
run "$XENDECK" list -l sup
like "$OUT" '"state": "----c-"' "list -l says crashed too"
run "$XENDECK" create -p "$T_TMP/sup.cfg"
is "$RC" 1 "a create of the crashed domain's name is refused"
like "$ERR" "^xendeck: domain sup already exists \(crashed: destroy it first\)" \
    "and says what to do"
run "$XENDECK" destroy --yes sup
is "$RC" 0 "destroy of the crashed domain: exit 0"
ok "$(q_gone sup; echo $?)" "its runtime dir is gone"
grep -q 'supervisor.*died' "$XENDECK_LOGDIR/sup.log"
ok $? "the log says the supervisor died"
"$XENDECK" create -p "$T_TMP/sup.cfg"
ok $? "the name can be used again"

# A dead domain's dir from a xendeck before domain locks (no lock file):
# crashed too, and destroy removes it (it said done and left it).
kill -9 "$(cat "$XENDECK_RUNDIR/sup/supervisor.pid")"
wait_for 30 q_noqemu sup
rm -f "$XENDECK_RUNDIR/sup/lock"
is "$(q_state sup)" "----c-" "a dead dir without a lock file: crashed"
run "$XENDECK" destroy --yes sup
is "$RC" 0 "destroy of it: exit 0"
ok "$(q_gone sup; echo $?)" "and its runtime dir is gone"

# Defect 2: the supervisor is killed and its pid now belongs to a stranger
# (a pid file is what a reused pid looks like): list does not take the
# stranger for the supervisor, destroy never signals it.
q_pv reuse
"$XENDECK" create -p "$T_TMP/reuse.cfg"
ok $? "created reuse"
kill -9 "$(cat "$XENDECK_RUNDIR/reuse/supervisor.pid")"
wait_for 30 q_noqemu reuse
sleep 600 &
stranger=$!
kill_stranger() { kill "$stranger" 2>/dev/null; }
at_exit kill_stranger
echo "$stranger" >"$XENDECK_RUNDIR/reuse/supervisor.pid"
echo "$stranger" >"$XENDECK_RUNDIR/reuse/qemu.pid"
is "$(q_state reuse)" "----c-" "a stranger in the pid files: still crashed"
run "$XENDECK" destroy --yes reuse
is "$RC" 0 "destroy: exit 0"
ok "$(q_gone reuse; echo $?)" "the dead domain is cleaned up"
ok "$(kill -0 "$stranger"; echo $?)" "the stranger was not signalled"
kill_stranger
done_testing
