#!/bin/sh
# A PV domain's life on the qemu backend, through the CLI as xl users type
# it: create, list, the marker on the console, pause/unpause (cpu time
# stops), typing on the console, reboot (on_reboot restart: the marker
# twice), graceful shutdown -w until it is gone; destroy; ids by number.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains, /dev/kvm)"
gk_kit pv
q_setup

q_pv lc1
run "$XENDECK" create "$T_TMP/lc1.cfg"
is "$RC" 0 "create exits 0"
is "$ERR" "" "create prints no error"
ok "$([ -f "$XENDECK_RUNDIR/lc1/supervisor.pid" ]; echo $?)" \
    "the CLI has exited; the supervisor keeps the domain"
run "$XENDECK" list
like "$OUT" '^Name +ID +Mem VCPUs' "list header is xl's"
like "$(echo "$OUT" | sed -n 2p)" '^Domain-0 +0 ' "Domain-0 comes first"
like "$OUT" '^lc1 +1 +96 +1 +[-rb]{2}----' "lc1 is domid 1, 96 MiB, running"
wait_for 120 q_seen lc1 '^XENDECK-GUEST-READY name=lc1$'
ok $? "the guest's marker is on the console (console=hvc0 mapped)"
wait_for 30 q_seen lc1 '^lc1# '
ok $? "shell prompt"

run "$XENDECK" pause lc1
is "$RC" 0 "pause exits 0"
is "$(q_state lc1)" "--p---" "list shows p"
t1=$(q_cpu lc1); sleep 1.5; t2=$(q_cpu lc1)
is "$t2" "$t1" "cpu time stops while paused ($t1)"
run "$XENDECK" unpause 1
is "$RC" 0 "unpause by domid exits 0"
ok "$(q_running lc1; echo $?)" "running again"
q_type lc1 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo spun-$i'
wait_for 60 q_seen lc1 '^spun-200000$'
ok $? "typed command ran"
t3=$(q_cpu lc1)
ok "$(awk -v a="$t3" -v b="$t2" 'BEGIN { exit !(a > b) }'; echo $?)" \
    "cpu time advances when running ($t2 -> $t3)"

# xendeck console: keys go in, ctrl+] leaves.
printf 'echo typed-$((6*7))\r\035' | "$XENDECK" console lc1 >"$T_TMP/con.out"
is "$?" 0 "console exits 0 on ctrl+]"
wait_for 30 q_seen lc1 '^typed-42'
ok $? "what was typed on the console ran in the guest"

run "$XENDECK" reboot -F lc1
is "$RC" 0 "reboot -F exits 0"
[ "$RC" -eq 0 ] || diag "$ERR"
wait_for 120 sh -c "[ \$(tr -d '\r' <'$XENDECK_LOGDIR/lc1.console.log' |
    grep -c '^XENDECK-GUEST-READY name=lc1\$') -ge 2 ]"
ok $? "on_reboot restart: the domain comes back (marker twice)"
like "$("$XENDECK" list lc1)" '^lc1 +1 ' "same name and domid after reboot"
wait_for 30 q_booted lc1 2
q_type lc1 'reboot'
wait_for 120 sh -c "[ \$(tr -d '\r' <'$XENDECK_LOGDIR/lc1.console.log' |
    grep -c '^XENDECK-GUEST-READY name=lc1\$') -ge 3 ]"
ok $? "a reboot from inside the guest restarts it too"

# A plain reboot is the PC's Ctrl+Alt+Del, which the guest's init handles.
wait_for 30 q_booted lc1 3
run "$XENDECK" reboot lc1
is "$RC" 0 "reboot exits 0"
wait_for 120 sh -c "[ \$(tr -d '\r' <'$XENDECK_LOGDIR/lc1.console.log' |
    grep -c '^XENDECK-GUEST-READY name=lc1\$') -ge 4 ]"
ok $? "reboot (ctrl+alt+del) restarts the guest (marker four times)"

# The prompt comes after acpid starts: the power button works from then.
wait_for 30 q_booted lc1 4
run timeout 120 "$XENDECK" shutdown -w lc1
is "$RC" 0 "shutdown -w exits 0"
ok "$(q_gone lc1; echo $?)" "after shutdown -w the domain is gone"
q_seen lc1 '^XENDECK-GUEST-POWEROFF$'
ok $? "the guest saw the power button"
run "$XENDECK" list lc1
is "$RC" 1 "list of the gone domain fails"
is "$ERR" "xendeck: unknown domain: lc1" "and names it"

q_pv lc2 'vcpus = 2' 'on_poweroff = "preserve"'
run "$XENDECK" create -p "$T_TMP/lc2.cfg"
is "$RC" 0 "create -p exits 0"
id2=$("$XENDECK" list lc2 | awk 'NR == 2 { print $2 }')
like "$("$XENDECK" list lc2)" '^lc2 +[0-9]+ +96 +2 +--p---' \
    "created paused, 2 vcpus"
"$XENDECK" destroy --yes lc2
ok "$(q_gone lc2; echo $?)" "destroy of a paused domain"

# create -c: the console from the first line (input at EOF: output only).
"$XENDECK" create -c "$T_TMP/lc2.cfg" </dev/null >"$T_TMP/c.out" 2>&1 &
cpid=$!
wait_for 150 grep -aq '^lc2# ' "$T_TMP/c.out"
ok $? "create -c shows the console: boot to the prompt"
grep -aq 'XENDECK-GUEST-READY name=lc2' "$T_TMP/c.out"
ok $? "the marker came through the attached console"
kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null
ok "$(q_running lc2; echo $?)" "leaving the console leaves the domain running"
id2=$("$XENDECK" list lc2 | awk 'NR == 2 { print $2 }')
run timeout 120 "$XENDECK" shutdown -w lc2
is "$RC" 0 "shutdown -w returns for a preserved domain"
is "$(q_state lc2)" "---s--" "on_poweroff=preserve: listed as shut down"
run "$XENDECK" destroy --yes "$id2"
is "$RC" 0 "destroy by domid exits 0"
ok "$(q_gone lc2; echo $?)" "destroyed: runtime dir removed"
ok "$(q_none lc2; echo $?)" \
    "no QEMU or supervisor of lc2 left"
done_testing
