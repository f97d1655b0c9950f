#!/bin/sh
# The pv-guest wizard for real on QEMU: the bookworm template (built once,
# cached in $XENDECK_CACHE between runs), two guests cloned from it in a
# directory pool, both booted at once through pygrub to a login prompt on
# their serial consoles; root logs in with each one's own password; each
# got its address by DHCP on eth0 from the bridge's LAN (dnsmasq, as the
# guide's xenbr0 has); their machine-ids, SSH host keys and hostnames
# differ; no password is in any log, the journal, the saved plans or an
# exported script; a taken name is refused; --undo leaves no volume and no
# config behind. What needs no guest runs while the two boot.
. "${0%/*}/tap.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (template build, netns, taps)"
command -v qemu-system-x86_64 >/dev/null ||
    skip_all "qemu-system-x86_64 is not installed (scripts/bootstrap)"
command -v qemu-storage-daemon >/dev/null ||
    skip_all "qemu-storage-daemon is not installed (scripts/bootstrap)"
command -v mmdebstrap >/dev/null || command -v debootstrap >/dev/null ||
    skip_all "neither mmdebstrap nor debootstrap (scripts/bootstrap)"
[ -c /dev/fuse ] || skip_all "no /dev/fuse (qcow2 clones are written through a FUSE export)"
command -v dnsmasq >/dev/null || skip_all "dnsmasq is not installed (scripts/bootstrap)"
q_setup
XENDECK_STATEDIR=$T_TMP/state XENDECK_XEN_DIR=$T_TMP/etc-xen
export XENDECK_STATEDIR XENDECK_XEN_DIR
mkdir -p "$T_TMP/pool" "$XENDECK_XEN_DIR" "$XENDECK_LOGDIR"
ns=xdpv$$
ip netns add "$ns" || skip_all "cannot create a network namespace"
drop_ns() {
	[ -f "$T_TMP/dnsmasq.pid" ] && kill "$(cat "$T_TMP/dnsmasq.pid")" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
}
at_exit drop_ns
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link add xenbr0 type bridge
ip netns exec "$ns" ip addr add 192.0.2.1/24 dev xenbr0
ip netns exec "$ns" ip link set xenbr0 up
in_ns() { ip netns exec "$ns" "$@"; }
# The LAN's DHCP server (port 0: DHCP only, no DNS).
in_ns dnsmasq --conf-file=/dev/null --port=0 --interface=xenbr0 \
    --bind-interfaces --except-interface=lo \
    --dhcp-range=192.0.2.50,192.0.2.99,255.255.255.0,1h \
    --dhcp-leasefile="$T_TMP/dnsmasq.leases" --pid-file="$T_TMP/dnsmasq.pid" \
    --log-facility="$T_TMP/dnsmasq.log" --log-dhcp ||
    skip_all "dnsmasq does not start in a network namespace"

# Two passwords, and whatever else must never be seen again.
printf 'Xd-first-%s-pw\n' "$$" >"$T_TMP/pw1"
printf 'Xd-second-%s-pw\n' "$$" >"$T_TMP/pw2"
chmod 600 "$T_TMP/pw1" "$T_TMP/pw2"
PW1=$(cat "$T_TMP/pw1") PW2=$(cat "$T_TMP/pw2")

run "$XENDECK" wizard storage --set dir="$T_TMP/pool" --apply --yes
is "$RC" 0 "a directory pool"
[ "$RC" = 0 ] || diag "$ERR"

# The template is built at most once per cache (minutes cold, ~1 minute
# with the .debs cached); the first guest's plan includes it when needed.
g() { # g NAME PWFILE: the wizard's answers for a test guest
	echo --set hostname="$1" --set pool="$T_TMP/pool" \
	    --set password_file="$2" --set memory=512M --set vcpus=1
}
# shellcheck disable=SC2046
run "$XENDECK" wizard pv-guest $(g xdpv1 "$T_TMP/pw1") --apply
is "$RC" 0 "the first guest: template, template volume, clone, identity, config"
[ "$RC" = 0 ] || diag "$OUT" "$ERR"
t0=$(date +%s.%N)
# shellcheck disable=SC2046
run "$XENDECK" wizard pv-guest $(g xdpv2 "$T_TMP/pw2") --apply
is "$RC" 0 "the second guest: clone, identity, config"
[ "$RC" = 0 ] || diag "$OUT" "$ERR"
diag "second guest ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.2f", b - a }') s (scripts/bench-guest measures)"
like "$(cat "$XENDECK_XEN_DIR/xdpv2.cfg" 2>/dev/null)" \
    'bootloader  = "pygrub"' "xdpv2.cfg boots through pygrub"
like "$(cat "$XENDECK_XEN_DIR/xdpv2.cfg" 2>/dev/null)" \
    "vif         = \\[ 'mac=00:16:3e:[0-9a-f:]{8}, bridge=xenbr0' \\]" \
    "its vif: a MAC of its own on xenbr0"
m1=$(sed -n "s/.*mac=\([0-9a-f:]*\).*/\1/p" "$XENDECK_XEN_DIR/xdpv1.cfg")
m2=$(sed -n "s/.*mac=\([0-9a-f:]*\).*/\1/p" "$XENDECK_XEN_DIR/xdpv2.cfg")
[ -n "$m1" ] && [ "$m1" != "$m2" ]
ok $? "the two MACs differ ($m1, $m2)"

in_ns "$XENDECK" create "$XENDECK_XEN_DIR/xdpv1.cfg" >/dev/null 2>"$T_TMP/c1.err"
r=$?; ok $r "xdpv1 created (pygrub on its qcow2 clone)"
[ $r = 0 ] || diag "$(cat "$T_TMP/c1.err")"
in_ns "$XENDECK" create "$XENDECK_XEN_DIR/xdpv2.cfg" >/dev/null 2>"$T_TMP/c2.err"
r=$?; ok $r "xdpv2 created"
[ $r = 0 ] || diag "$(cat "$T_TMP/c2.err")"
t0=$(date +%s)

# While they boot: a taken name is refused before anything changes.
# shellcheck disable=SC2046
run "$XENDECK" wizard pv-guest $(g xdpv1 "$T_TMP/pw1") --apply
is "$RC" 2 "a hostname whose config exists: exit 2"
like "$ERR" "hostname: .*xdpv1.cfg exists" "the refusal names the field and the file"

# An exported script and a plan show no password either.
# shellcheck disable=SC2046
run "$XENDECK" wizard pv-guest $(g xdpv3 "$T_TMP/pw1") --export "$T_TMP/xdpv3.sh"
is "$RC" 0 "a third guest's plan exported as a script"

# Debian under TCG: ~30 s to the login prompt on an idle host, both at
# once, several times that under load; wait on the prompt itself.
wait_for 900 q_seen xdpv1 "^xdpv1 login:"
r=$?; ok $r "xdpv1 boots to a login prompt on its serial console"
[ $r = 0 ] || diag "$(tr -d '\r' <"$XENDECK_LOGDIR/xdpv1.console.log" | tail -15)"
wait_for 900 q_seen xdpv2 "^xdpv2 login:"
r=$?; ok $r "xdpv2 boots to a login prompt on its serial console"
[ $r = 0 ] || diag "$(tr -d '\r' <"$XENDECK_LOGDIR/xdpv2.console.log" | tail -15)"
diag "login prompts after $(( $(date +%s) - t0 )) s"
is "$(q_count xdpv1 'reboot: Restarting') $(q_count xdpv2 'reboot: Restarting')" \
    "0 0" "each booted once: its first fsck found a clean filesystem, no reboot"

# login NAME PASSWORD: root logs in on the serial console and prints its
# identity between markers (typed with quotes so the echo differs).
login() {
	q_type "$1" root
	wait_for 60 q_seen "$1" "Password:" || return 1
	q_type "$1" "$2"
	wait_for 120 q_seen "$1" "root@$1:~# " || return 1
	# eth0 comes up when its NIC appears, DHCP alongside the getty.
	q_type "$1" "for i in \$(seq 90); do hostname -I | grep -q . && break; sleep 1; done"
	q_type "$1" "echo X\"\"DID=\$(cat /etc/machine-id) X\"\"DHN=\$(hostname) X\"\"DFP=\$(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f2) X\"\"DSSH=\$(systemctl is-active ssh) X\"\"DIP=\$(hostname -I) X\"\"DEND"
	wait_for 150 q_seen "$1" "XDID=.*XDEND"
}
ident() { # ident NAME FIELD
	tr -d '\r' <"$XENDECK_LOGDIR/$1.console.log" | grep -a 'XDID=' |
	    tail -n 1 | sed 's/.*XDID=/XDID=/' | tr ' ' '\n' | sed -n "s/^$2=//p"
}
# Both at once.
login xdpv1 "$PW1" & l1=$!
login xdpv2 "$PW2" & l2=$!
logged_in() { # logged_in N PID
	wait "$2"
	r=$?; ok $r "root logs in on xdpv$1 with its password"
	[ $r = 0 ] || diag "$(tr -d '\r' <"$XENDECK_LOGDIR/xdpv$1.console.log" | tail -20)"
}
logged_in 1 "$l1"
logged_in 2 "$l2"
id1=$(ident xdpv1 XDID) id2=$(ident xdpv2 XDID)
hn1=$(ident xdpv1 XDHN) hn2=$(ident xdpv2 XDHN)
fp1=$(ident xdpv1 XDFP) fp2=$(ident xdpv2 XDFP)
is "$(ident xdpv1 XDSSH) $(ident xdpv2 XDSSH)" "active active" \
    "sshd runs on both with the host keys they were given"
is "$hn1 $hn2" "xdpv1 xdpv2" "each guest has its own hostname"
ip1=$(ident xdpv1 XDIP) ip2=$(ident xdpv2 XDIP)
like "$ip1 $ip2" '^192\.0\.2\.[5-9][0-9] 192\.0\.2\.[5-9][0-9]$' \
    "ifupdown brought eth0 up by DHCP on both ($ip1, $ip2)"
[ "$ip1" != "$ip2" ]
ok $? "each its own lease"
like "$id1" '^[0-9a-f]{32}$' "xdpv1 has a machine-id ($id1)"
[ -n "$id2" ] && [ "$id1" != "$id2" ]
ok $? "their machine-ids differ ($id2)"
like "$fp1" '^SHA256:' "xdpv1 has its own SSH host key ($fp1)"
[ -n "$fp2" ] && [ "$fp1" != "$fp2" ]
ok $? "their SSH host key fingerprints differ ($fp2)"

# No password anywhere xendeck writes: logs (the guests' consoles too),
# the wizard runs' journals and saved plans, the exported script.
found=$(grep -rlaF -e "$PW1" -e "$PW2" "$XENDECK_LOGDIR" "$XENDECK_STATEDIR" \
    "$XENDECK_XEN_DIR" "$T_TMP/xdpv3.sh" "$T_TMP/pool" 2>/dev/null |
    grep -v '\.qcow2$')
is "$found" "" "no password in any log, journal, plan or exported script"
grep -qF "$(basename "$T_TMP/pw1")" "$T_TMP/xdpv3.sh"
ok $? "the exported script names the password file instead"

"$XENDECK" destroy --yes xdpv1 >/dev/null 2>&1
"$XENDECK" destroy --yes xdpv2 >/dev/null 2>&1
run "$XENDECK" wizard pv-guest --set hostname=xdpv2 --undo
is "$RC" 0 "--undo of the second guest's run"
[ "$RC" = 0 ] || diag "$OUT" "$ERR"
[ ! -e "$T_TMP/pool/xdpv2.qcow2" ] && [ ! -e "$XENDECK_XEN_DIR/xdpv2.cfg" ]
ok $? "it leaves no volume and no config behind"
[ -e "$T_TMP/pool/xdpv1.qcow2" ]
ok $? "the first guest's volume stays"

# Killed (-9) while it gives a guest its identity, then resumed: the guest
# is made as if nothing had happened.
# shellcheck disable=SC2046
XENDECK_PLAN_CRASH=spawned:3 "$XENDECK" wizard pv-guest \
    $(g xdpv5 "$T_TMP/pw2") --apply >"$T_TMP/crash.out" 2>&1
is "$?" 137 "the run killed -9 in its identity step"
run "$XENDECK" wizard pv-guest --resume
is "$RC" 0 "--resume finishes it"
[ "$RC" = 0 ] || diag "$OUT" "$ERR"
qemu-img convert -O raw "$T_TMP/pool/xdpv5.qcow2" "$T_TMP/xdpv5.raw" &&
    e2fsck -fn "$T_TMP/xdpv5.raw" >/dev/null 2>&1 &&
    [ "$(debugfs -R 'cat /etc/hostname' "$T_TMP/xdpv5.raw" 2>/dev/null)" = xdpv5 ] &&
    [ -s "$XENDECK_XEN_DIR/xdpv5.cfg" ]
ok $? "xdpv5 has its identity, a clean filesystem and its config"
rm -f "$T_TMP/xdpv5.raw"
done_testing
