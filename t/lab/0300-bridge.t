#!/bin/bash
# Inside the lab dom0: the guide's network step. An interfaces stanza
# bridging eth0 into xenbr0, brought up by ifupdown with DHCP from QEMU's
# user-mode network.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"
ip link show eth0 >/dev/null 2>&1 || skip_all "no eth0 in this dom0"

IFS_FILE=/etc/network/interfaces
cp "$IFS_FILE" "$T_TMP/interfaces.orig"
restore() {
	ifdown xenbr0 >/dev/null 2>&1
	cp "$T_TMP/interfaces.orig" "$IFS_FILE"
}
at_exit restore
cat >>"$IFS_FILE" <<'STANZA'

iface eth0 inet manual

auto xenbr0
iface xenbr0 inet dhcp
    bridge_ports eth0
STANZA

SECONDS=0
run ifup xenbr0
is "$RC" 0 "ifup xenbr0"
diag "ifup took $SECONDS s"
run brctl show
like "$OUT" '^xenbr0[[:space:]]' "brctl show lists xenbr0"
like "$OUT" 'eth0$' "eth0 is a port of the bridge"
run ip -4 -o addr show dev xenbr0
like "$OUT" 'inet 10\.0\.2\.[0-9]+/24' "xenbr0 got its address by DHCP"
run ip -4 route show dev xenbr0
like "$OUT" '^10\.0\.2\.0/24 ' "the network is routed through xenbr0"
run ip -4 route show dev eth0
is "$OUT" "" "and not through eth0"

SECONDS=0
run ifdown xenbr0
is "$RC" 0 "ifdown xenbr0"
diag "ifdown took $SECONDS s"
run brctl show
unlike "$OUT" '^xenbr0[[:space:]]' "the bridge is gone after ifdown"

done_testing
