#!/bin/bash
# Inside the lab dom0: the guide's bridge step through the wizard, for real.
# dom0's eth0 gets DHCP from QEMU's user network as a fresh Debian install
# would (allow-hotplug, inet dhcp in /etc/network/interfaces); then
# `xendeck wizard bridge` turns it into xenbr0 (a trial, its rollback
# armed by xendeck's watchdog: no systemd here) and --confirm keeps it. A
# guest's vif attaches to xenbr0 and the guest reaches the gateway. A
# second run with a wrong gateway fails its check and rolls back by itself,
# the guest's vif going back on xenbr0. Everything t/lab/0300-bridge.t
# uses (the interfaces file, eth0, xenbr0) is put back as it was at the
# end, whatever happens. It runs late: a guest with a vif (see 0790).
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
ip link show eth0 >/dev/null 2>&1 || skip_all "no eth0 in this dom0"
for c in ifup dhclient brctl ping; do
	command -v "$c" >/dev/null || skip_all "$c is not in the lab's dom0"
done
# The real files and state: this is what the guide edits.
IFS_FILE=/etc/network/interfaces
XENDECK_STATEDIR=$T_TMP/state
export XENDECK_STATEDIR
NAME=xd-br$(( $$ % 10000 ))
XL_GUESTS=$NAME
cp -p "$IFS_FILE" "$T_TMP/interfaces.orig"

restore() {
	xl destroy "$NAME" >/dev/null 2>&1
	_g=$(sed -n 's/.*"guard": "watchdog \([0-9]*\) .*/\1/p' \
	    "$XENDECK_RUNDIR/net-trial/state.json" 2>/dev/null)
	[ -n "$_g" ] && kill -9 "$_g" 2>/dev/null
	ifdown --force xenbr0 >/dev/null 2>&1
	ip link del xenbr0 2>/dev/null
	ifdown --force eth0 >/dev/null 2>&1
	cp -p "$T_TMP/interfaces.orig" "$IFS_FILE"
	rm -f "$IFS_FILE".xendeck-* /run/network/ifstate.xenbr0 \
	    /run/network/ifstate.eth0
	ip addr flush dev eth0 2>/dev/null
	return 0
}
at_exit restore
ifdown --force xenbr0 >/dev/null 2>&1
ip link del xenbr0 2>/dev/null

# A fresh install's file: eth0 by DHCP.
cat >"$IFS_FILE" <<'EOF'
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug eth0
iface eth0 inet dhcp
EOF
SUM0=$(sha256sum <"$IFS_FILE")
run ifup eth0
is "$RC" 0 "ifup eth0 (DHCP from QEMU)"
addr() { ip -4 -o addr show dev "$1" scope global | awk '{ print $4; exit }'; }
ADDR0=$(addr eth0)
# The lab's user network is restricted: no default route, but its DHCP
# server (QEMU's side, 10.0.2.2) is there to reach.
GW=$(ip -4 route show default | awk '/^default via/ { print $3; exit }')
[ -n "$GW" ] || GW=$(sed -n 's/^ *option dhcp-server-identifier \([0-9.]*\);/\1/p' \
    /var/lib/dhcp/dhclient.eth0.leases | tail -1)
like "$ADDR0" '^10\.0\.2\.[0-9]+/24$' "eth0 has $ADDR0 (gateway or DHCP server $GW)"

W=(wizard bridge --set nic=eth0 --set bridge=xenbr0)
run "$XENDECK" "${W[@]}"
is "$RC" 0 "the plan"
like "$OUT" "Try xenbr0: arm the rollback" "it ends in a trial"
SECONDS=0
run "$XENDECK" "${W[@]}" --set mode=dhcp --apply
is "$RC" 0 "apply: xenbr0 is up on trial"
[ "$RC" -eq 0 ] || diag "$OUT" "$ERR"
diag "the trial took $SECONDS s"
like "$OUT" "rollback armed \(watchdog" "its rollback is xendeck's watchdog"
like "$OUT" "ok: the (gateway|DHCP server) $GW answers" "$GW answers through xenbr0"
is "$(addr xenbr0)" "$ADDR0" "xenbr0 has eth0's address (bridge_hw)"
run brctl show xenbr0
like "$OUT" 'eth0$' "eth0 is its port"
is "$(sha256sum <"$IFS_FILE")" "$SUM0" "the file waits for the confirmation"
run "$XENDECK" wizard bridge --confirm
is "$RC" 0 "--confirm"
like "$OUT" "confirmed: xenbr0 stays" "it stays"
run grep -c '^iface eth0 inet manual$\|^iface xenbr0 inet dhcp$\|bridge_hw eth0' \
    "$IFS_FILE"
is "$OUT" 3 "/etc/network/interfaces has the bridge"
is "$(sha256sum <"$IFS_FILE.xendeck-bak")" "$SUM0" "the old one is kept"

# A guest on xenbr0 reaches the gateway.
XL_GUEST_FRONTENDS=1 XL_GUEST_NET="10.0.2.77/24 $GW" xl_guest_kit "$T_TMP"
xl_guest_cfg "$T_TMP" "$NAME" "vif = [ 'bridge=xenbr0' ]" >/dev/null
run xl create "$T_TMP/$NAME.cfg"
is "$RC" 0 "xl create $NAME with a vif on xenbr0"
[ "$RC" -eq 0 ] || diag "$ERR"
DOMID=$(xl domid "$NAME" 2>/dev/null)
wait_for 60 sh -c "brctl show xenbr0 | grep -q 'vif$DOMID\.0'"
ok $? "its vif vif$DOMID.0 is on xenbr0"
gw_ok() { xl_console_log "$NAME" | grep -c "XENDECK-GW-OK"; }
wait_for 120 sh -c "[ \$(grep -c XENDECK-GW-OK /var/log/xen/console/guest-$NAME.log 2>/dev/null) -ge 1 ]"
ok $? "the guest reaches $GW through xenbr0"
[ "$(gw_ok)" -ge 1 ] || diag "$(xl_console_log "$NAME" | tail -8)"
run "$XENDECK" network
like "$OUT" "port vif$DOMID\.0 .*domain $NAME" "network names the guest's vif"

# A second run with a wrong gateway rolls back by itself.
SECONDS=0
run "$XENDECK" "${W[@]}" --set mode=static --set "address=$ADDR0" \
    --set gateway=10.0.2.254 --set confirm_timeout=300 --apply
is "$RC" 1 "static with a wrong gateway fails"
like "$ERR$OUT" "gateway 10.0.2.254 does not answer" "its check says why"
like "$ERR$OUT" "rolled back: the old network is back" "it rolled back by itself"
ok "$( [ "$SECONDS" -lt 200 ]; echo $?)" "at once, not at the deadline ($SECONDS s)"
is "$(addr xenbr0)" "$ADDR0" "xenbr0 has its DHCP address again"
run grep -c '^iface xenbr0 inet dhcp$' "$IFS_FILE"
is "$OUT" 1 "the confirmed file stands"
wait_for 30 sh -c "brctl show xenbr0 | grep -q 'vif$DOMID\.0'"
ok $? "the guest's vif is back on xenbr0"
N=$(gw_ok)
wait_for 60 sh -c "[ \$(grep -c XENDECK-GW-OK /var/log/xen/console/guest-$NAME.log) -gt $N ]"
ok $? "and the guest reaches $GW again"
run "$XENDECK" wizard bridge --undo
is "$RC" 0 "the failed run is undone"

done_testing
