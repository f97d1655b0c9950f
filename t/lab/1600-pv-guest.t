#!/bin/bash
# Inside the lab dom0, on real Xen and real device-mapper: the pv-guest
# wizard on an LVM thin pool. The template is the one built on the host
# (scripts/template-build; building it under TCG would take far too long),
# shared read-only into the lab by scripts/lab (9p tag xdtmpl); the wizard
# copies it into a thin volume once, clones two guests as thin snapshots
# (-kn, udevadm settle), gives each its identity on /dev/vg/NAME through
# libext2fs, and Xen's own pygrub boots them, both at once, to a login
# prompt on their PV consoles (hvc0); root logs in on both with each one's
# password; each got an address by DHCP on eth0 (busybox udhcpd serves the
# test's own bridge); the two differ in machine-id, SSH host key and
# hostname.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"
[ -b /dev/vdb ] && [ -b /dev/vdc ] || skip_all "no spare disks /dev/vdb /dev/vdc"
grep -qsx xdtmpl /sys/bus/virtio/drivers/9pnet_virtio/*/mount_tag ||
    skip_all "scripts/lab shared no template directory (build one on the host: xendeck template build)"
command -v xl >/dev/null || skip_all "no xl"
busybox udhcpd --help >/dev/null 2>&1 || skip_all "busybox has no udhcpd (busybox-static)"
VG=xdpv$$
# A bridge of the test's own, with a DHCP server on it: the LAN the
# guide's xenbr0 bridges, without what other tests left on xenbr0.
BR=xdpvbr$$
T_START=$(date +%s)
export XENDECK_STATEDIR=$T_TMP/state XENDECK_XEN_DIR=$T_TMP/etc-xen
export XENDECK_CACHE=$T_TMP/cache
mkdir -p "$XENDECK_CACHE/templates" "$XENDECK_XEN_DIR"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro xdtmpl \
    "$XENDECK_CACHE/templates" || skip_all "cannot mount the template share"

# Both guests at once: under TCG each destroy (its vif's hotplug script)
# takes tens of seconds.
destroy_guests() {
	for d in "$VG-a" "$VG-b"; do xl destroy "$d" >/dev/null 2>&1 & done
	wait
}
cleanup() {
	destroy_guests
	vgremove -f "$VG" >/dev/null 2>&1
	pvremove -ff -y /dev/vdb /dev/vdc >/dev/null 2>&1
	umount "$XENDECK_CACHE/templates" 2>/dev/null
	[ -f "$T_TMP/udhcpd.pid" ] && kill "$(cat "$T_TMP/udhcpd.pid")" 2>/dev/null
	ip link del "$BR" 2>/dev/null
	return 0
}
at_exit cleanup

run "$XD_SRCDIR/scripts/template-build" --cache "$XENDECK_CACHE" --print
is "$RC" 0 "the host's template is here, for this very builder"
[ "$RC" = 0 ] || { diag "$OUT"; done_testing; exit; }

# The pool: a volume group on both spare disks with a thin pool in it.
pvcreate -q /dev/vdb /dev/vdc && vgcreate -q "$VG" /dev/vdb /dev/vdc &&
    lvcreate -q --type thin-pool -l 95%FREE -n pool "$VG" >"$T_TMP/lvm.out" 2>&1
r=$?; ok $r "volume group $VG with a thin pool on /dev/vdb and /dev/vdc"
[ $r = 0 ] || diag "$(cat "$T_TMP/lvm.out")"
ip link add "$BR" type bridge && ip addr add 192.0.2.1/24 dev "$BR" &&
    ip link set "$BR" up
printf '%s\n' "interface $BR" "start 192.0.2.50" "end 192.0.2.99" \
    "lease_file $T_TMP/udhcpd.leases" "pidfile $T_TMP/udhcpd.pid" \
    "option subnet 255.255.255.0" "option lease 3600" >"$T_TMP/udhcpd.conf"
: >"$T_TMP/udhcpd.leases"
busybox udhcpd "$T_TMP/udhcpd.conf" >"$T_TMP/udhcpd.log" 2>&1
ok $? "a DHCP server on the guests' bridge $BR"

printf 'Lab-a-%s-pw\n' "$$" >"$T_TMP/pwa"
printf 'Lab-b-%s-pw\n' "$$" >"$T_TMP/pwb"
chmod 600 "$T_TMP/pwa" "$T_TMP/pwb"
g() {
	echo --set hostname="$1" --set pool="$VG" --set password_file="$2" \
	    --set memory=384M --set vcpus=1 --set size=2G --set bridge="$BR"
}
t0=$(date +%s)
# shellcheck disable=SC2046
run "$XENDECK" wizard pv-guest $(g "$VG-a" "$T_TMP/pwa") --apply
is "$RC" 0 "the first guest: template into a thin volume, thin snapshot, identity, config"
[ "$RC" = 0 ] || diag "$OUT" "$ERR"
diag "first guest (template copied in) in $(( $(date +%s) - t0 )) s"
t0=$(date +%s)
# shellcheck disable=SC2046
run "$XENDECK" wizard pv-guest $(g "$VG-b" "$T_TMP/pwb") --apply
is "$RC" 0 "the second guest: a thin snapshot with its own identity"
[ "$RC" = 0 ] || diag "$OUT" "$ERR"
diag "second guest in $(( $(date +%s) - t0 )) s"
run lvs --noheadings -o lv_name,origin,lv_attr "$VG"
like "$OUT" "$VG-b +tmpl-bookworm-[0-9a-f]{8} +V" "$VG-b is a thin snapshot of the template"
like "$(cat "$XENDECK_XEN_DIR/$VG-b.cfg")" "target=/dev/$VG/$VG-b" \
    "its config names /dev/$VG/$VG-b as xvda"

for n in a b; do
	xl create "$XENDECK_XEN_DIR/$VG-$n.cfg" >"$T_TMP/create-$n.out" 2>&1
	r=$?; ok $r "xl create $VG-$n: Xen's pygrub boots the clone's own kernel"
	[ $r = 0 ] || diag "$(cat "$T_TMP/create-$n.out")"
done
conlog() { tr -d '\r' <"/var/log/xen/console/guest-$1.log" 2>/dev/null; }
# One grep, every 2 s: under TCG each fork costs dom0 time the guests need.
seen() { grep -aEq -- "$2" "/var/log/xen/console/guest-$1.log" 2>/dev/null; }
# Debian under Xen under TCG: ~35 s to its login prompt on an idle host,
# minutes under load, and the whole test must end within the lab's 600 s
# per test, its cleanup too: every wait below ends by DEADLINE.
DEADLINE=$((T_START + 520))
slow_wait() { # slow_wait SECONDS CMD...: at most SECONDS, and by DEADLINE
	_end=$(( $(date +%s) + $1 )); shift
	[ "$_end" -gt "$DEADLINE" ] && _end=$DEADLINE
	until "$@"; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 2
	done
}
left() { _l=$((DEADLINE - $(date +%s) + 5)); [ "$_l" -lt 5 ] && _l=5; echo "$_l"; }
t0=$(date +%s)
for n in a b; do
	slow_wait 600 seen "$VG-$n" "$VG-$n login:"
	r=$?; ok $r "$VG-$n boots to a login prompt on hvc0"
	[ $r = 0 ] || diag "its console (xenconsoled's log):" \
	    "$(conlog "$VG-$n" | grep -av '^$' | head -n 60)" "..." \
	    "$(conlog "$VG-$n" | grep -av '^$' | tail -n 30)"
done
diag "login prompts after $(( $(date +%s) - t0 )) s"

# Log in through `xendeck console` (the xl backend: xenconsoled's pty).
login() { # login NAME PASSWORD
	{
		printf 'root\r'
		slow_wait 60 seen "$1" "Password:"
		sleep 1
		printf '%s\r' "$2"
		slow_wait 120 seen "$1" "root@$1:~# "
		# eth0 comes up when its NIC appears, DHCP alongside the getty.
		printf 'for i in $(seq 90); do hostname -I | grep -q . && break; sleep 1; done\r'
		printf 'echo X""DID=$(cat /etc/machine-id) X""DHN=$(hostname) X""DFP=$(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d" " -f2) X""DSSH=$(systemctl is-active ssh) X""DIP=$(hostname -I) X""DEND\r'
		slow_wait 150 seen "$1" "XDID=.*XDEND"
		printf '\035'
	} | timeout "$(left)" "$XENDECK" console "$1" >/dev/null 2>&1
	seen "$1" "XDID=.*XDEND"
}
ident() { conlog "$1" | grep -a 'XDID=' | tail -n 1 | sed 's/.*XDID=/XDID=/' | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Both at once.
login "$VG-a" "$(cat "$T_TMP/pwa")" & la=$!
login "$VG-b" "$(cat "$T_TMP/pwb")" & lb=$!
wait $la
ok $? "root logs in on $VG-a with its password"
wait $lb
ok $? "root logs in on $VG-b with its password"
is "$(ident "$VG-a" XDHN) $(ident "$VG-b" XDHN)" "$VG-a $VG-b" \
    "each its own hostname"
a=$(ident "$VG-a" XDID) b=$(ident "$VG-b" XDID)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]
ok $? "machine-ids differ ($a, $b)"
a=$(ident "$VG-a" XDFP) b=$(ident "$VG-b" XDFP)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]
ok $? "SSH host keys differ ($a, $b)"
is "$(ident "$VG-a" XDSSH) $(ident "$VG-b" XDSSH)" "active active" \
    "sshd runs on both with the host keys they were given"
a=$(ident "$VG-a" XDIP) b=$(ident "$VG-b" XDIP)
like "$a $b" '^192\.0\.2\.[5-9][0-9] 192\.0\.2\.[5-9][0-9]$' \
    "ifupdown brought eth0 up by DHCP on both ($a, $b)"
[ "$a" != "$b" ]
ok $? "each its own lease"
found=$(grep -rlaF -e "$(cat "$T_TMP/pwa")" -e "$(cat "$T_TMP/pwb")" \
    "$XENDECK_STATEDIR" "$XENDECK_XEN_DIR" /var/log/xen 2>/dev/null)
is "$found" "" "no password in the journals, plans, configs or Xen's logs"
destroy_guests
done_testing
