#!/bin/sh
# Crashes on the qemu backend: a guest kernel panic (sysrq c, reported by
# the pvpanic device) and QEMU killed with SIGKILL, each with on_crash
# honoured: destroy (gone, nothing left), preserve (listed as crashed until
# destroyed), restart (it comes back).
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains, /dev/kvm)"
gk_kit pv
q_setup

no_procs() {
	q_none "$1"
}

# Two guests at a time: panics first.
q_pv cd 'on_crash = "destroy"'
q_pv cp 'on_crash = "preserve"'
"$XENDECK" create "$T_TMP/cd.cfg" && "$XENDECK" create "$T_TMP/cp.cfg"
ok $? "two domains created"
wait_for 150 q_booted cd 1
ok $? "cd booted"
wait_for 150 q_booted cp 1
ok $? "cp booted"
q_type cd 'echo c > /proc/sysrq-trigger'
q_type cp 'echo c > /proc/sysrq-trigger'
wait_for 60 q_gone cd
ok $? "panic with on_crash=destroy: the domain is gone"
ok "$(no_procs cd; echo $?)" "no QEMU or supervisor of it left"
wait_for 60 sh -c "[ \$(\"$XENDECK\" list cp | awk 'NR == 2 { print \$5 }') = ----c- ]"
ok $? "panic with on_crash=preserve: listed as crashed (c)"
q_seen cp 'Kernel panic'
ok $? "the panic is in the console log"
grep -q 'guest panicked' "$XENDECK_LOGDIR/cp.log"
ok $? "the supervisor logged GUEST_PANICKED"
run "$XENDECK" unpause cp
is "$RC" 1 "a crashed domain cannot be unpaused"
like "$ERR" "^xendeck: cp: the domain has crashed: destroy it" "and says why"
run "$XENDECK" destroy --yes cp
is "$RC" 0 "destroy of the crashed domain"
ok "$(q_gone cp && no_procs cp; echo $?)" "gone, nothing left"

# QEMU killed: restart and preserve.
q_pv kr 'on_crash = "restart"'
q_pv kp 'on_crash = "preserve"'
q_pv kd
"$XENDECK" create "$T_TMP/kr.cfg" && "$XENDECK" create "$T_TMP/kp.cfg" &&
    "$XENDECK" create -p "$T_TMP/kd.cfg"
ok $? "three domains created"
wait_for 150 q_booted kr 1
ok $? "kr booted"
kr_id=$("$XENDECK" list kr | awk 'NR == 2 { print $2 }')
kill -9 "$(cat "$XENDECK_RUNDIR/kr/qemu.pid")"
wait_for 150 q_booted kr 2
ok $? "QEMU SIGKILLed, on_crash=restart: it boots again"
like "$("$XENDECK" list kr)" "^kr +$kr_id " "same name and domid ($kr_id)"
grep -q 'QEMU died unexpectedly' "$XENDECK_LOGDIR/kr.log"
ok $? "the supervisor logged the crash"

kill -9 "$(cat "$XENDECK_RUNDIR/kp/qemu.pid")"
wait_for 30 sh -c "[ \$(\"$XENDECK\" list kp | awk 'NR == 2 { print \$5 }') = ----c- ]"
ok $? "QEMU SIGKILLed, on_crash=preserve: reported crashed"
run "$XENDECK" destroy --yes kp
ok "$(q_gone kp && no_procs kp; echo $?)" "destroy cleans it up"

kill -9 "$(cat "$XENDECK_RUNDIR/kd/qemu.pid")"
wait_for 30 q_gone kd
ok $? "QEMU SIGKILLed, on_crash default (destroy): cleaned up"
ok "$(no_procs kd; echo $?)" "no supervisor left"
"$XENDECK" destroy --yes kr
ok "$(q_gone kr && no_procs kr; echo $?)" "kr destroyed"
done_testing
