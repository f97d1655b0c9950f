#!/bin/bash
# Inside the lab dom0: `xendeck top -b` (the xl backend: libxenstat) agrees
# with `xentop -b -i 1`, and `xendeck list` / `list -l` (libxl) with
# `xl list` / `xl list -v`, on the same domains, column by column:
# Domain-0, a guest with a disk (blkback on a loop device) and a NIC on a
# bridge that both carry traffic, and a paused guest. Counters that move
# are bracketed by two samples of the peer taken before and after ours.
# It runs last of the xl tests: in the lab (Xen under QEMU TCG), once a
# guest with a blkback disk and a netback vif has run, later `xl create`s
# have been seen to fail decompressing the guest kernel ("unable to XZ
# decompress kernel"); the paused guest is created first for that reason.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
A=xta$(( $$ % 10000 )) B=xtb$(( $$ % 10000 ))
XL_GUESTS="$A $B"
BR=xdbr$$
LOOP=
undo() {
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	ip link del "$BR" 2>/dev/null
	return 0
}
at_exit undo

XL_GUEST_FRONTENDS=1 xl_guest_kit "$T_TMP"
ip link add "$BR" type bridge && ip link set "$BR" up &&
    ip addr add 192.0.2.1/24 dev "$BR"
ok $? "a bridge $BR for the guest's vif"
modprobe loop 2>/dev/null
truncate -s 32M "$T_TMP/disk.img"
LOOP=$(losetup -f --show "$T_TMP/disk.img")
ok $? "a loop device $LOOP for its disk"
# on_crash preserve: a guest that dies in the lab stays listed (state c)
# for the comparisons, and its console says why (it vanished once in CI).
xl_guest_cfg "$T_TMP" "$A" "disk = [ 'phy:$LOOP,xvda,w' ]
vif = [ 'bridge=$BR' ]
on_crash = 'preserve'" >/dev/null
xl_guest_cfg "$T_TMP" "$B" >/dev/null
# What dom0 looks like when a create fails (see above).
dom0_diag() {
	diag "$ERR" "$(free -m)" "kernel: $(md5sum "$XL_KERNEL")" \
	    "$(xl list)" "$(dmesg | tail -5)"
}
run xl create -p "$T_TMP/$B.cfg"
is "$RC" 0 "xl create -p $B"
[ "$RC" -eq 0 ] || dom0_diag
run xl create "$T_TMP/$A.cfg"
is "$RC" 0 "xl create $A (disk + vif)"
[ "$RC" -eq 0 ] || dom0_diag
wait_for 120 sh -c "grep -q $XL_MARKER /var/log/xen/console/guest-$A.log"
ok $? "$A booted"
[ $? -eq 0 ] || diag "$A's console:" "$(xl_console_log "$A" | tail -8)" "$(xl list)"
sleep 3	# its dd and pings are done

# load NAME ROWS: ROWS (name<TAB>column<TAB>value lines) into the
# associative array NAME; val NAME DOMAIN COLUMN. (Few processes: every
# fork is slow in a dom0 under TCG.)
load() {
	declare -gA "$1"
	local -n _a=$1
	local d c v
	while IFS=$'\t' read -r d c v; do
		[ -n "$d" ] && _a["$d|$c"]=$v
	done <<<"$2"
}
val() { local -n _a=$1; printf '%s' "${_a["$2|$3"]:-}"; }
in_range() { # LO GOT HI: GOT is a number within [LO - 0.1, HI + 0.1]
	[ -n "$1" ] && [ -n "$3" ] && awk -v l="$1" -v g="$2" -v h="$3" 'BEGIN {
	    exit !(g != "-" && g != "" && g + 0 >= l - 0.1 && g + 0 <= h + 0.1) }'
}
# name<TAB>column<TAB>value lines from xentop's or our text/CSV output.
xentop_rows() {
	xentop -b -i 1 | awk '
	/^ *NAME / { n = NF; for (i = 1; i <= NF; i++) h[i] = $i; next }
	n && NF {
		j = 0
		for (i = 1; i <= NF; i++) {
			v = $i
			if (v == "no" && $(i + 1) == "limit") { v = "-"; i++ }
			else if (v == "n/a") v = "-"
			f[++j] = v
		}
		for (i = 1; i <= n && i <= j; i++) print f[1] "\t" h[i] "\t" f[i]
	}'
}
xendeck_rows() {
	"$XENDECK" top -b -i 1 --csv | awk -F, '
	NR == 1 { n = NF; for (i = 1; i <= NF; i++) h[i] = $i; next }
	{ for (i = 1; i <= n; i++) print $1 "\t" h[i] "\t" ($i == "" ? "-" : $i) }'
}
load X1 "$(xentop_rows)"
run "$XENDECK" top -b -i 1 --csv
is "$RC" 0 "xendeck top -b runs on the xl backend"
[ "$RC" -eq 0 ] || diag "$ERR"
load O "$(xendeck_rows)"
load X2 "$(xentop_rows)"

letters() { # the flags other than r and b (they flip), in a fixed order
	local f out=
	for f in p s c d w S; do [[ $1 == *$f* ]] && out=$out$f; done
	printf '%s' "$out"
}

for d in Domain-0 "$A" "$B"; do
	[ -n "$(val O "$d" NAME)" ]
	ok $? "$d is in xendeck top -b"
	for c in MEM\(k\) MAXMEM\(k\) VCPUS NETS VBDS; do
		x=$(val X2 "$d" "$c") o=$(val O "$d" "$c")
		[ -n "$x" ] && [ "$o" = "$x" ]
		ok $? "$d $c $o as xentop's $x"
	done
	[ -n "$(val X2 "$d" STATE)" ] &&
	    [ "$(letters "$(val O "$d" STATE)")" = "$(letters "$(val X2 "$d" STATE)")" ]
	ok $? "$d state flags (p s c d) as xentop: $(val O "$d" STATE) / $(val X2 "$d" STATE)"
	for c in CPU\(sec\) NETTX\(k\) NETRX\(k\) VBD_OO VBD_RD VBD_WR VBD_RSECT VBD_WSECT; do
		lo=$(val X1 "$d" "$c") got=$(val O "$d" "$c") hi=$(val X2 "$d" "$c")
		if [ "$lo" = - ] || [ "$hi" = - ]; then
			is "$got" - "$d $c: none, as xentop"
		else
			in_range "$lo" "$got" "$hi"
			ok $? "$d $c $got within xentop's $lo..$hi"
		fi
	done
done
# xendeck list and list -l against xl list (-v for the UUID).
xl_rows() {
	xl list -v | awk 'NR > 1 { print $1 "\tID\t" $2; print $1 "\tMem\t" $3;
	    print $1 "\tVCPUs\t" $4; print $1 "\tState\t" $5;
	    print $1 "\tTime\t" $6; print $1 "\tUUID\t" $7 }'
}
load L1 "$(xl_rows)"
run "$XENDECK" list
is "$RC" 0 "xendeck list runs on the xl backend"
load LO "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $1 "\tID\t" $2; print $1 "\tMem\t" $3;
    print $1 "\tVCPUs\t" $4; print $1 "\tState\t" $5; print $1 "\tTime\t" $6 }')"
run "$XENDECK" list -l
is "$RC" 0 "xendeck list -l runs"
load J "$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    for k, c in (("domid", "ID"), ("memory", "Mem"), ("vcpus_online", "VCPUs"),
                 ("state", "State"), ("cpu_time", "Time"), ("uuid", "UUID")):
        print("%s\t%s\t%s" % (d["name"], c, d[k]))')"
load L2 "$(xl_rows)"
[ "$(val J Domain-0 ID)" = 0 ] && [ -n "$(val J "$A" UUID)" ]
ok $? "list -l is a JSON array of the domains"
is "$(awk 'NR == 2 { print $1 }' <<<"$("$XENDECK" list)")" Domain-0 \
    "xendeck list: Domain-0 first"
for d in Domain-0 "$A" "$B"; do
	for c in ID Mem VCPUs; do
		x=$(val L2 "$d" "$c") o=$(val LO "$d" "$c") j=$(val J "$d" "$c")
		[ -n "$x" ] && [ "$o" = "$x" ]
		ok $? "list: $d $c $o as xl list's $x"
		[ -n "$x" ] && [ "$j" = "$x" ]
		ok $? "list -l: $d $c $j as xl list's $x"
	done
	x=$(val L2 "$d" UUID)
	[ -n "$x" ] && [ "$(val J "$d" UUID)" = "$x" ]
	ok $? "list -l: $d UUID as xl list -v ($x)"
	x=$(val L2 "$d" State)
	[ -n "$x" ] && [ "$(letters "$(val LO "$d" State)")" = "$(letters "$x")" ]
	ok $? "list: $d state flags as xl list ($(val LO "$d" State) / $x)"
	[ -n "$x" ] && [ "$(letters "$(val J "$d" State)")" = "$(letters "$x")" ]
	ok $? "list -l: $d state flags as xl list"
	for src in LO J; do
		lo=$(val L1 "$d" Time) got=$(val "$src" "$d" Time) hi=$(val L2 "$d" Time)
		in_range "$lo" "$got" "$hi"
		ok $? "$( [ $src = J ] && echo 'list -l' || echo list): $d Time $got within xl list's $lo..$hi"
	done
done

r=$(val O "$A" VBD_RD)
[ "${r:-0}" != - ] && [ "${r:-0}" -gt 0 ]
ok $? "$A's disk reads are counted ($r)"
# A few pings stay under 1 KB, so the values may be 0: what matters is that
# the vif's counters exist (numbers, not '-'); they are compared with
# xentop's above.
tx=$(val O "$A" NETTX\(k\)) rx=$(val O "$A" NETRX\(k\))
[[ $tx =~ ^[0-9]+$ ]] && [[ $rx =~ ^[0-9]+$ ]]
ok $? "$A's vif counters are there (tx $tx k, rx $rx k)"
done_testing
