#!/bin/sh
# Networking and stats on the qemu backend, inside a private network
# namespace with its own bridge: the vif is a tap named vif<domid>.0 on the
# named bridge, a missing bridge is an error naming it, the guest's traffic
# shows in the vif counters from the domain's point of view (what the
# guest sends is tx), and the sampler reports cpu time and block counters.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, taps)"
command -v ip >/dev/null || skip_all "ip (iproute2) not installed"
SAMPLE=${XD_BUILDDIR:-$XD_SRCDIR}/t/qemu-sample
[ -x "$SAMPLE" ] || skip_all "t/qemu-sample not built (make check builds it)"
gk_kit pv
q_setup

ns=xd-q$$
ip netns add "$ns" || skip_all "cannot create a network namespace"
drop_ns() { ip netns del "$ns" 2>/dev/null; }
at_exit drop_ns
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
in_ns ip link add xdbr0 type bridge
in_ns ip addr add 10.89.0.1/24 dev xdbr0
in_ns ip link set xdbr0 up

q_pv nobr "vif = [ 'bridge=xenbr0' ]"
run in_ns "$XENDECK" create "$T_TMP/nobr.cfg"
is "$RC" 1 "the default bridge xenbr0 is missing in the namespace: exit 1"
like "$ERR" "^xendeck: vif\[0\]: bridge xenbr0 does not exist" "names it"
ok "$([ ! -e "$XENDECK_RUNDIR/nobr" ]; echo $?)" "nothing left behind"

# A second disk for block counters: the kernel image, read-only.
q_pv net "vif = [ 'bridge=xdbr0,mac=00:16:3e:5e:00:01' ]" \
    "disk = [ 'file:$KERNEL,xvda,r' ]"
run in_ns "$XENDECK" create "$T_TMP/net.cfg"
is "$RC" 0 "create with a vif on xdbr0 (in the namespace)"
# (The failed create above used a domid, as a failed xl create can.)
id=$("$XENDECK" list net | awk 'NR == 2 { print $2 }')
tap=vif$id.0
is "$(in_ns cat /sys/class/net/$tap/brport/bridge/uevent 2>/dev/null |
    sed -n 's/^INTERFACE=//p')" "xdbr0" "tap $tap is a port of xdbr0"
in_ns ip link show "$tap" | grep -q '[<,]UP[,>]'
ok $? "the tap is up"
wait_for 150 q_booted net 1
ok $? "the guest boots"
q_seen net 'XENDECK-GUEST-INFO disks=vda nics=eth0'
ok $? "the guest has a virtio disk and NIC"
q_type net 'ip link set eth0 up; ip addr add 10.89.0.2/24 dev eth0; ping -c 5 -W 2 10.89.0.1 >/dev/null && echo PING-OK; dd if=/dev/vda of=/dev/null bs=64k count=16 2>/dev/null; echo DD-OK'
wait_for 60 q_seen net '^PING-OK$'
ok $? "the guest reaches the bridge over the vif"
wait_for 30 q_seen net '^DD-OK$'

run "$SAMPLE"
is "$RC" 0 "sample() runs"
like "$OUT" '^dom Domain-0 0 r----- [0-9]+ ' "Domain-0 first"
like "$OUT" "^dom net $id [-rb]{2}---- [1-9][0-9]* 1 " "cpu time and one vcpu"
vif=$(echo "$OUT" | awk -v t="$tap" '$1 == "vif" && $3 == t')
txp=$(echo "$vif" | awk '{ print $5 }')
rxp=$(echo "$vif" | awk '{ print $7 }')
ok "$([ "${txp:-0}" -ge 5 ] 2>/dev/null; echo $?)" \
    "vif tx: the guest's pings (pkts $txp)"
ok "$([ "${rxp:-0}" -ge 5 ] 2>/dev/null; echo $?)" \
    "vif rx: the replies (pkts $rxp)"
vbd=$(echo "$OUT" | awk '$1 == "vbd" && $3 == "xvda"')
like "$vbd" '^vbd net xvda - [1-9][0-9]* 0 [1-9][0-9]* 0$' \
    "vbd: reads counted, no writes; oo does not exist ($vbd)"
like "$OUT" "^why net VBD_OO" "why_none says why oo is '-'"
"$XENDECK" destroy --yes net
ok $? "destroyed"
ok "$(! in_ns test -e /sys/class/net/$tap; echo $?)" "the tap is gone"
done_testing
