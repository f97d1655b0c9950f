# Helpers for the bridge wizard's host tests (source after tap.sh): a host
# under test and a DHCP server, each a network namespace, joined by a veth
# pair; the host's network is ifupdown's, from a private interfaces file and
# state directory (XENDECK_INTERFACES, XENDECK_IFSTATE), the way
# pitfalls.md runs ifup here.
#   br_require         skip unless root, ip netns, ifupdown, dhclient,
#                      dnsmasq, brctl and ping are here
#   br_setup           namespaces, veth, dnsmasq, the interfaces file; the
#                      NIC up by DHCP ($ADDR0); cleanup at exit
#   in_h CMD...        run CMD in the host namespace with xendeck's env
#   xd ARGS...         xendeck ARGS in the host namespace
#   br_addr DEV        DEV's IPv4 address (CIDR), or nothing
#   br_master DEV      the bridge DEV is a port of, or nothing
#   br_route           the default route's "via GW dev DEV"
#   br_state KEY       a key of the trial's state.json
#   br_wait_trial ID   wait until a trial other than ID is on trial
#   br_guard_pid       the pid of the trial's watchdog, if it is one
#   br_old_network     the NIC has its lease and route, no bridge
#   br_rolled_back     the trial says it rolled back, and it did

br_require() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces)"
	for _c in ip ifup ifdown ifquery dhclient dnsmasq brctl ping; do
		command -v "$_c" >/dev/null 2>&1 ||
		    skip_all "$_c is not installed (scripts/bootstrap)"
	done
	ip netns add "xdbr-probe$$" 2>/dev/null ||
	    skip_all "network namespaces do not work here"
	ip netns del "xdbr-probe$$"
}

# Names unique to this run: dhclient's pid and lease files are named after
# the interface, outside any namespace.
BR_N=$(( $$ % 100000 ))
NSH=xdbh$BR_N
NSS=xdbs$BR_N
NIC=xdn$BR_N
PEER=xds$BR_N
BR=xb$BR_N
BR_NET=10.77.0

br_setup() {
	BR_ETC=$T_TMP/etc
	XENDECK_RUNDIR=$T_TMP/run
	XENDECK_LOGDIR=$T_TMP/log
	XENDECK_STATEDIR=$T_TMP/state
	XENDECK_INTERFACES=$BR_ETC/interfaces
	XENDECK_IFSTATE=$T_TMP/ifstate
	export XENDECK_RUNDIR XENDECK_LOGDIR XENDECK_STATEDIR \
	    XENDECK_INTERFACES XENDECK_IFSTATE
	mkdir -p "$BR_ETC/interfaces.d" "$XENDECK_RUNDIR" "$XENDECK_LOGDIR" \
	    "$XENDECK_IFSTATE"
	at_exit br_cleanup
	trap 'exit 143' TERM INT HUP
	ip netns add "$NSH" && ip netns add "$NSS" || return 1
	# dhclient-script writes /etc/resolv.conf: give it the namespace's
	# own (ip netns exec mounts /etc/netns/NAME/* over /etc).
	mkdir -p "/etc/netns/$NSH"
	echo "nameserver 127.0.0.1" >"/etc/netns/$NSH/resolv.conf"
	ip link add "$NIC" netns "$NSH" type veth peer name "$PEER" \
	    netns "$NSS" || return 1
	ip -n "$NSH" link set lo up
	ip -n "$NSS" link set lo up
	ip -n "$NSS" addr add "$BR_NET.1/24" dev "$PEER"
	ip -n "$NSS" link set "$PEER" up
	# DHCP only (port 0: no DNS, so no resolv.conf is written at all).
	ip netns exec "$NSS" dnsmasq --conf-file=/dev/null --port=0 \
	    --interface="$PEER" --bind-interfaces --except-interface=lo \
	    --dhcp-range="$BR_NET.50,$BR_NET.99,255.255.255.0,1h" \
	    --dhcp-option=option:router,"$BR_NET.1" \
	    --dhcp-leasefile="$T_TMP/dnsmasq.leases" \
	    --pid-file="$T_TMP/dnsmasq.pid" \
	    --log-facility="$T_TMP/dnsmasq.log" --log-dhcp || return 1
	cat >"$BR_ETC/interfaces" <<-EOF
	# This file describes the network interfaces available on your system
	# and how to activate them. For more information, see interfaces(5).

	source $BR_ETC/interfaces.d/*

	# The loopback network interface
	auto lo
	iface lo inet loopback

	# The primary network interface
	allow-hotplug $NIC
	iface $NIC inet dhcp
	EOF
	in_h ifup -i "$XENDECK_INTERFACES" --state-dir "$XENDECK_IFSTATE" \
	    "$NIC" >"$T_TMP/ifup.log" 2>&1 || { cat "$T_TMP/ifup.log"; return 1; }
	ADDR0=$(br_addr "$NIC")
	[ -n "$ADDR0" ]
}

br_cleanup() {
	_g=$(br_guard_pid)
	[ -n "$_g" ] && kill -9 "$_g" 2>/dev/null
	[ -f "$T_TMP/dnsmasq.pid" ] && kill "$(cat "$T_TMP/dnsmasq.pid")" \
	    2>/dev/null
	for _i in "$NIC" "$BR"; do
		[ -f "/run/dhclient.$_i.pid" ] &&
		    kill "$(cat "/run/dhclient.$_i.pid")" 2>/dev/null
		rm -f "/run/dhclient.$_i.pid" \
		    "/var/lib/dhcp/dhclient.$_i.leases" \
		    "/var/lib/dhcp/dhclient6.$_i.leases"
	done
	ip netns del "$NSH" 2>/dev/null
	ip netns del "$NSS" 2>/dev/null
	rm -rf "/etc/netns/$NSH"
	return 0
}

in_h() { ip netns exec "$NSH" "$@"; }
xd() { ip netns exec "$NSH" "$XENDECK" "$@"; }

br_addr() {
	ip -n "$NSH" -4 -o addr show dev "$1" scope global 2>/dev/null |
	    awk '{ print $4; exit }'
}
br_master() {
	ip -n "$NSH" -o link show dev "$1" 2>/dev/null |
	    sed -n 's/.* master \([^ ]*\) .*/\1/p'
}
br_route() {
	ip -n "$NSH" -4 route show default 2>/dev/null |
	    sed -n 's/^default \(via [^ ]* dev [^ ]*\).*/\1/p'
}
br_exists() { ip -n "$NSH" link show dev "$1" >/dev/null 2>&1; }
br_state() {
	sed -n "s/^ *\"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" \
	    "$XENDECK_RUNDIR/net-trial/state.json" 2>/dev/null
}
br_on_trial() {
	[ "$(br_state state)" = trial ] && [ "$(br_state id)" != "$1" ]
}
br_wait_trial() { wait_for "${2:-60}" br_on_trial "$1"; }
br_guard_pid() {
	br_state guard | sed -n 's/^watchdog \([0-9]*\) .*/\1/p'
}
# The trial rolled back and the old network is there.
br_rolled_back() {
	[ "$(br_state state)" = rolled-back ] && br_old_network
}
# The network as it was before any change: the NIC's lease, its route.
br_old_network() {
	[ "$(br_addr "$NIC")" = "$ADDR0" ] && ! br_exists "$BR" &&
	    [ "$(br_route)" = "via $BR_NET.1 dev $NIC" ]
}
