#!/bin/sh
# `xendeck guide` on this host: every step of the guide in its order with
# a status and its evidence, as text and as JSON (what the console's Guide
# view reads); one step in full; a bad step name exits 2. Against real
# things: a bridge xenbr0 in a network namespace of its own (no port, no
# address, then both, then kept in a private interfaces file), a directory
# pool and a volume made by the storage and volume wizards (lvm2 kept away
# from the shared host's disks), domain files in a private /etc/xen
# (XENDECK_XEN_DIR), and a real PV guest on the QEMU backend whose step
# goes from "defined but not running" to running and back.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq not installed (scripts/bootstrap)"
gk_kit pv
q_setup
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}
XENDECK_XEN_DIR=$T_TMP/etc-xen
XENDECK_STATEDIR=$T_TMP/state
HOME=$T_TMP/home
XDG_STATE_HOME=
XENDECK_INTERFACES=$T_TMP/interfaces
export XENDECK_ACCEL XENDECK_XEN_DIR XENDECK_STATEDIR HOME XDG_STATE_HOME \
    XENDECK_INTERFACES
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR" "$XENDECK_XEN_DIR" "$HOME"
# lvm2 sees no device: volume groups on this shared host are not ours.
mkdir -p "$T_TMP/lvm"
echo 'devices { filter = [ "r|.*|" ] }' >"$T_TMP/lvm/lvm.conf"
LVM_SYSTEM_DIR=$T_TMP/lvm
export LVM_SYSTEM_DIR
printf 'auto lo\niface lo inet loopback\n' >"$XENDECK_INTERFACES"

# jget ID FIELD: a step's field from `guide --json` (in $J).
jget() { printf '%s\n' "$J" | jq -r ".steps[] | select(.id == \"$1\") | .$2"; }

run "$XENDECK" guide
is "$RC" 0 "guide: exit 0"
is "$(printf '%s\n' "$OUT" | grep -cE '^[1-8]\. (done|partly done|not done|n/a here) +[A-Z]')" 8 \
    "eight steps, each with a status"
is "$(printf '%s\n' "$OUT" | grep -oE '^[1-8]\.' | tr -d '.\n')" 12345678 "in order"
like "$(printf '%s\n' "$OUT" | grep -A1 '^5\. ')" 'Installing Xen' \
    "the guide's order: Xen's install is the fifth"

run "$XENDECK" guide --json
is "$RC" 0 "guide --json: exit 0"
J=$OUT
is "$(printf '%s\n' "$J" | jq -r '[.steps[].id] | join(" ")')" \
    "hardware install lvm network xen pv-guest hvm-guest everyday" "--json: the ids, in order"
is "$(printf '%s\n' "$J" | jq -r '[.steps[] | select(.status | test("^(done|partly|todo|n/a)$"))] | length')" 8 \
    "--json: every status is done, partly, todo or n/a"
is "$(printf '%s\n' "$J" | jq -r '[.steps[] | select(.evidence | length > 0)] | length')" 8 \
    "--json: every step has its evidence"
is "$(jget xen wizard)" xen-install "--json: the Xen step's wizard"
is "$(printf '%s\n' "$J" | jq -r .backend)" qemu "--json: the backend (QEMU here)"

run "$XENDECK" guide xen
is "$RC" 0 "guide xen: exit 0"
like "$OUT" '^The guide: +apt-get install xen-linux-system' "guide xen: what the guide writes"
like "$OUT" '^On Debian 12: +xen-system-amd64' "guide xen: what is right on Debian 12"
like "$OUT" '^On QEMU: +Here guests run on QEMU' "guide xen: on QEMU, what it would change on a Xen host"
like "$OUT" 'xendeck lab start --plain' "guide xen: and the lab to practise it"
like "$OUT" '^Done by: +xendeck wizard xen-install' "guide xen: the wizard that does it"

run "$XENDECK" guide nosuch
is "$RC" 2 "guide nosuch: exit 2"
is "$ERR" "xendeck: guide: no step nosuch (hardware, install, lvm, network, xen, pv-guest, hvm-guest, everyday)" \
    "one line naming the steps"

# The bridge, in a network namespace of its own.
NS=xdguide$$
if ip netns add "$NS" 2>/dev/null; then
	nsdel() { ip netns del "$NS" 2>/dev/null; }
	at_exit nsdel
	nsx() { ip netns exec "$NS" "$@"; }
	J=$(nsx "$XENDECK" guide --json)
	is "$(jget network status)" todo "network: no xenbr0 in a fresh namespace: todo"
	like "$(jget network evidence)" '^no xenbr0 bridge' "network: says so"
	nsx ip link add xenbr0 type bridge
	nsx ip link add xdgp0 type veth peer name xdgp1
	nsx ip link set xenbr0 up
	J=$(nsx "$XENDECK" guide --json)
	is "$(jget network status)" partly "network: a bridge without a port: partly"
	like "$(jget network evidence)" "^xenbr0 exists, no port \\(no network card in it\\), no IPv4 address(, down)?; not in $XENDECK_INTERFACES: gone at the next boot\$" \
	    "network: no port, no address, not kept"
	nsx ip link set xdgp0 master xenbr0
	nsx ip link set xdgp0 up
	nsx ip link set xdgp1 up
	nsx ip addr add 10.213.0.2/24 dev xenbr0
	up() { nsx cat /sys/class/net/xenbr0/operstate | grep -qx up; }
	wait_for 10 up
	J=$(nsx "$XENDECK" guide --json)
	is "$(jget network status)" partly "network: a port and an address, by hand: partly"
	is "$(jget network evidence)" "xenbr0 exists, port xdgp0, address 10.213.0.2/24; not in $XENDECK_INTERFACES: gone at the next boot" \
	    "network: up, but gone at the next boot"
	printf 'auto xenbr0\niface xenbr0 inet static\n    address 10.213.0.2/24\n    bridge_ports xdgp0\n' \
	    >>"$XENDECK_INTERFACES"
	J=$(nsx "$XENDECK" guide --json)
	is "$(jget network status)" done "network: kept in interfaces(5) too: done"
	is "$(jget network evidence)" "xenbr0 exists, port xdgp0, address 10.213.0.2/24 (static)" \
	    "network: the evidence in one line"
else
	fail "a network namespace (ip netns add)"
fi

# Storage: a directory pool and a volume, by the wizards.
J=$("$XENDECK" guide --json)
is "$(jget lvm status)" todo "lvm: no volume group, no volume: todo"
is "$(jget lvm evidence)" "no volume group" "lvm: says so"
P=$T_TMP/pool
run "$XENDECK" wizard storage --set "dir=$P" --apply
is "$RC" 0 "the storage wizard makes a directory pool${ERR:+: $ERR}"
J=$("$XENDECK" guide --json)
is "$(jget lvm status)" todo "lvm: an empty directory pool is no LVM yet"
like "$(jget lvm evidence)" "^no volume group; guests' disks in directory $P: .* free, no volume$" \
    "lvm: names the directory pool"
run "$XENDECK" wizard volume --set "pool=$P" --set action=create --set name=v1 \
    --set size=16M --apply
is "$RC" 0 "the volume wizard makes a volume${ERR:+: $ERR}"
J=$("$XENDECK" guide --json)
is "$(jget lvm status)" partly "lvm: guests' disks as files: partly"
like "$(jget lvm evidence)" "^no volume group; guests' disks in directory $P: .* free, 1 volume of 16.0 MiB$" \
    "lvm: the evidence counts the volume"

# Guests: a domain file in /etc/xen, then the domain running.
J=$("$XENDECK" guide --json)
is "$(jget pv-guest status)" todo "pv-guest: nothing defined: todo"
is "$(jget pv-guest evidence)" "no PV guest running or defined in $XENDECK_XEN_DIR" \
    "pv-guest: says where it looked"
q_pv tutor1
cp "$T_TMP/tutor1.cfg" "$XENDECK_XEN_DIR/tutor1.cfg"
J=$("$XENDECK" guide --json)
is "$(jget pv-guest status)" partly "pv-guest: defined: partly"
is "$(jget pv-guest evidence)" "tutor1 is defined in $XENDECK_XEN_DIR but not running" \
    "pv-guest: tutor1 is defined in /etc/xen but not running"
is "$(jget pv-guest next)" "start it: xendeck create $XENDECK_XEN_DIR/tutor1.cfg" \
    "pv-guest: next, the command that starts it"
run "$XENDECK" create "$XENDECK_XEN_DIR/tutor1.cfg"
is "$RC" 0 "tutor1 created on QEMU${ERR:+: $ERR}"
J=$("$XENDECK" guide --json)
is "$(jget pv-guest status)" done "pv-guest: running: done"
like "$(jget pv-guest evidence)" '^tutor1 is running \(id [0-9]+\)$' "pv-guest: tutor1 is running (id N)"
is "$(jget hvm-guest status)" todo "hvm-guest: a PV guest is not an HVM one"
run "$XENDECK" destroy --yes tutor1
J=$("$XENDECK" guide --json)
is "$(jget pv-guest status)" partly "pv-guest: destroyed: partly again"

done_testing
