#!/bin/bash
# The bridge wizard for real, on the host: a network namespace is the host
# under test, its NIC a veth whose far end (another namespace) runs a DHCP
# server (dnsmasq); ifupdown reads a private interfaces file. Covered: the
# plan changes nothing; --root edits another tree and runs no network
# command; a broken edit never applies; a trial whose check fails rolls
# back at once; without confirmation the old network comes back in time,
# also when xendeck is killed with SIGKILL during the window; confirmed, the
# bridge stays (with the NIC's address carried over) and the file is
# written beside a backup; run again on that bridge, guests' vifs are put
# back on it after the trial and after the rollback.
. "${0%/*}/tap.sh"
. "${0%/*}/bridge.sh"
br_require
br_setup || { diag "$(cat "$T_TMP/dnsmasq.log" 2>/dev/null)"; fail "setup"; done_testing; exit 1; }
pass "the NIC $NIC has $ADDR0 by DHCP"

W=(wizard bridge --set "nic=$NIC" --set "bridge=$BR")
sum() { sha256sum "$XENDECK_INTERFACES" | cut -c1-64; }
SUM0=$(sum)
leftovers() { ls "$BR_ETC" | grep -c 'xendeck-\(new\|trial\)'; }

# ---- the plan changes nothing, and says what it will do ----
run xd "${W[@]}" --set mode=dhcp
is "$RC" 0 "the plan"
like "$OUT" "iface $NIC inet manual" "the port becomes inet manual"
like "$OUT" "bridge_hw $NIC" "bridge_hw keeps the port's MAC"
like "$OUT" "ifup --no-act" "the plan checks with ifup --no-act"
like "$OUT" "Nothing has changed" "nothing changed"
ok "$( [ "$(sum)" = "$SUM0" ] && br_old_network; echo $?)" \
    "the file and the network are as they were"

# ---- --root: another tree's files, no network command ----
mkdir -p "$T_TMP/root/etc/network/interfaces.d"
sed "s|$BR_ETC|/etc/network|; s|$NIC|eth0|g" "$XENDECK_INTERFACES" \
    >"$T_TMP/root/etc/network/interfaces"
cp "$T_TMP/root/etc/network/interfaces" "$T_TMP/root-before"
run xd wizard bridge --root "$T_TMP/root" --set nic=eth0 --set bridge=xenbr0 \
    --set mode=dhcp --apply
is "$RC" 0 "--root --apply"
run grep -c "iface eth0 inet manual\|iface xenbr0 inet dhcp\|bridge_ports eth0" \
    "$T_TMP/root/etc/network/interfaces"
is "$OUT" 3 "the root's interfaces has the bridge"
run cmp "$T_TMP/root-before" "$T_TMP/root/etc/network/interfaces.xendeck-bak"
is "$RC" 0 "its old content is kept beside it"
ok "$( ! [ -e "$XENDECK_RUNDIR/net-trial/state.json" ] && br_old_network &&
    ! in_h ip link show xenbr0 >/dev/null 2>&1; echo $?)" \
    "no trial, no bridge: no network command ran"

# ---- a broken edit never applies ----
# An IPv6 stanza ifupdown cannot read moves to the bridge with the edit:
# ifup --no-act refuses the result, so nothing happens.
cp "$XENDECK_INTERFACES" "$T_TMP/interfaces.good"
echo "iface $NIC inet6 bogus" >>"$XENDECK_INTERFACES"
run xd "${W[@]}" --set mode=dhcp --apply
is "$RC" 1 "a broken edit is refused"
like "$ERR" "does not pass .ifup --no-act." "ifup --no-act says why"
ok "$(br_old_network; echo $?)" "the network is untouched"
is "$(leftovers)" 0 "nothing was staged"
cp "$T_TMP/interfaces.good" "$XENDECK_INTERFACES"

# ---- a failed check rolls back at once ----
SECONDS=0
run xd "${W[@]}" --set mode=static --set "address=$ADDR0" \
    --set "gateway=$BR_NET.254" --set confirm_timeout=120 --apply
is "$RC" 1 "a bridge whose gateway does not answer fails"
like "$ERR$OUT" "gateway $BR_NET.254 does not answer" "the check says why"
like "$ERR$OUT" "rolled back: the old network is back" "and it rolled back"
ok "$( [ "$SECONDS" -lt 100 ]; echo $?)" \
    "at once, not at the deadline ($SECONDS s)"
ok "$( [ "$(sum)" = "$SUM0" ] && br_old_network; echo $?)" \
    "the old file and network are back"
is "$(leftovers)" 0 "the staged files are gone"
run xd wizard bridge --undo
is "$RC" 0 "the failed run is undone"

# ---- not confirmed: the old network comes back in time ----
run xd "${W[@]}" --set mode=dhcp --set confirm_timeout=15 --apply
is "$RC" 0 "apply: the bridge is up on trial"
[ "$RC" -eq 0 ] || diag "$OUT" "$ERR"
is "$(br_addr "$BR")" "$ADDR0" "the bridge has the NIC's address (bridge_hw)"
is "$(br_master "$NIC")" "$BR" "the NIC is its port"
is "$(br_route)" "via $BR_NET.1 dev $BR" "the default route goes through it"
is "$(sum)" "$SUM0" "the real file waits for the confirmation"
G=$(br_guard_pid)
ok "$( [ -n "$G" ] && [ -d "/proc/$G" ] &&
    [ "$(ps -o sid= -p "$G" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ];
    echo $?)" "the rollback's watchdog runs outside this session"
DEADLINE=$(br_state deadline)
wait_for 60 br_rolled_back
ok $? "without confirmation the old network came back"
ENDED=$(br_state ended)
ok "$( [ -n "$ENDED" ] && [ "$ENDED" -ge "$DEADLINE" ] &&
    [ "$ENDED" -le $((DEADLINE + 20)) ]; echo $?)" \
    "in time: $((ENDED - DEADLINE)) s after the deadline"
is "$(br_state state)" rolled-back "the trial says so"
ok "$( [ "$(sum)" = "$SUM0" ] && [ "$(leftovers)" -eq 0 ]; echo $?)" \
    "the old file stands, nothing staged is left"
run xd wizard bridge --confirm
is "$RC" 1 "too late to confirm"

# ---- xendeck killed with SIGKILL during the window ----
OLD=$(br_state id)
ip netns exec "$NSH" setsid "$XENDECK" "${W[@]}" --set mode=dhcp \
    --set confirm_timeout=20 --apply >"$T_TMP/kill.out" 2>&1 &
P=$!
br_wait_trial "$OLD" 60
ok $? "the trial started (its guard is armed)"
wait_for 30 br_exists "$BR"
kill -9 -- -"$P"
wait "$P" 2>/dev/null
ok "$( ! kill -0 "$P" 2>/dev/null; echo $?)" "xendeck and its children are killed"
G=$(br_guard_pid)
ok "$( [ -n "$G" ] && kill -0 "$G"; echo $?)" "the watchdog survives"
DEADLINE=$(br_state deadline)
wait_for 90 br_rolled_back
ok $? "the old network came back anyway"
ENDED=$(br_state ended)
ok "$( [ -n "$ENDED" ] && [ "$ENDED" -le $((DEADLINE + 20)) ]; echo $?)" \
    "in time: $((ENDED - DEADLINE)) s after the deadline"
ok "$( [ "$(sum)" = "$SUM0" ] && [ "$(leftovers)" -eq 0 ]; echo $?)" \
    "the old file stands, nothing staged is left"
ok "$( ! [ -f "/run/dhclient.$BR.pid" ] ||
    ! kill -0 "$(cat "/run/dhclient.$BR.pid")" 2>/dev/null; echo $?)" \
    "no DHCP client is left on the bridge"
run xd wizard bridge --apply --set mode=dhcp
like "$ERR" "unfinished run" "the killed run is unfinished"
run xd wizard bridge --undo
is "$RC" 0 "and it is undone"

# ---- confirmed: it stays ----
OLD=$(br_state id)
run xd "${W[@]}" --set mode=dhcp --set confirm_timeout=60 --apply
is "$RC" 0 "apply again"
[ "$RC" -eq 0 ] || diag "$OUT" "$ERR"
G=$(br_guard_pid)
run xd wizard bridge --confirm
is "$RC" 0 "--confirm"
like "$OUT" "confirmed: $BR stays" "it says so"
run grep -c "^iface $NIC inet manual\$\|^iface $BR inet dhcp\$\|bridge_hw $NIC" \
    "$XENDECK_INTERFACES"
is "$OUT" 3 "the interfaces file has the bridge now"
is "$(sha256sum <"$XENDECK_INTERFACES.xendeck-bak" | cut -c1-64)" "$SUM0" \
    "the old one is kept beside it"
is "$(leftovers)" 0 "no staged file is left"
wait_for 10 sh -c "! kill -0 $G 2>/dev/null"
ok $? "the watchdog is gone"
is "$(br_addr "$BR")" "$ADDR0" "the bridge keeps the address"
run in_h ifquery --state --state-dir "$XENDECK_IFSTATE" "$BR"
is "$OUT" "$BR=$BR" "ifupdown knows the bridge is up"
run xd network
like "$OUT" "port $NIC" "network lists the port"

# ---- run again on the bridge: a guest's vif goes back on it ----
in_h ip link add vif9.0 type veth peer name vif9p
in_h ip link set vif9p up
in_h ip link set vif9.0 master "$BR" up
run xd network --json
like "$OUT" '"name": "vif9.0"' "network --json lists the vif"
run xd "${W[@]}" --set mode=static --set confirm_timeout=15 --apply
is "$RC" 0 "static on the same bridge, on trial"
like "$OUT" "vif9.0 is back on $BR" "the trial re-attached the vif"
is "$(br_master vif9.0)" "$BR" "the vif is on the bridge"
wait_for 60 sh -c "grep -q '\"state\": \"rolled-back\"' '$XENDECK_RUNDIR/net-trial/state.json'"
ok $? "not confirmed: rolled back"
is "$(br_master vif9.0)" "$BR" "the vif is on the bridge again"
is "$(br_addr "$BR")" "$ADDR0" "the bridge has its DHCP address again"
grep -q "^iface $BR inet dhcp\$" "$XENDECK_INTERFACES"
ok $? "the confirmed file stands"

done_testing
