#!/bin/bash
# Inside the lab dom0: the Guide under real Xen 4.17. The Xen step is done
# (Xen runs, this is dom0); the hardware step reads HVM support from xl
# info (a PV dom0's /proc/cpuinfo hides svm); the install step finds the
# spare disk empty; the LVM step sees a volume group made on it with real
# device-mapper, and says 1 GiB is too little for a guest. xl info's output is printed as diagnostics (the
# host's t/guide/xl-info.txt is one of them).
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"
DISK=${XDLAB_SPARE:-/dev/vdb}
VG=xdguide$$

# look: read the guide once (dom0 under TCG is slow), into $G.
# step ID status|evidence: from $G (no jq in dom0): "N. STATUS  TITLE",
# then the evidence, then maybe "next: ...".
look() { G=$("$XENDECK" guide); }
step() {
	_n=$(printf '%s\n' hardware install lvm network xen pv-guest hvm-guest \
	    everyday | grep -nx "$1" | cut -d: -f1)
	_o=$(printf '%s\n' "$G" | sed -n "/^$_n\. /,/^[0-9]\. /p")
	case $2 in
	status) printf '%s\n' "$_o" | head -1 |
	    sed -E 's/^[0-9]+\. (done|partly done|not done|n\/a here) .*/\1/' ;;
	evidence) printf '%s\n' "$_o" | sed -n 2p | sed -E 's/^ +//' ;;
	next) printf '%s\n' "$_o" | sed -n 's/^ *next: //p' | head -1 ;;
	esac
}

xl info | sed 's/^/# xl-info: /'
# The spare disk as the guide's install leaves it: nothing on it (what an
# earlier test left there goes).
[ -b "$DISK" ] && wipefs -a -q "$DISK" >/dev/null 2>&1

look
is "$(step xen status)" done "xen: done under Xen"
like "$(step xen evidence)" '^Xen 4\.17[^ ]* running' "xen: Xen 4.17 running"
is "$(step hardware status)" done "hardware: done (HVM from xl info)"
is "$(step install status)" done "install: a spare disk (the lab's $DISK)"
like "$(step install evidence)" "$DISK \(1\.0 GiB\) is empty and unused: room for LVM" \
    "install: names it"
like "$(step hardware evidence)" 'Xen offers HVM guests \(xl info\)' \
    "hardware: says xl info told it"

cleanup() {
	vgremove -f "$VG" >/dev/null 2>&1
	pvremove -ff -y "$DISK" >/dev/null 2>&1
}
if [ -b "$DISK" ] && pvcreate -q "$DISK" >/dev/null 2>&1 &&
    vgcreate -q "$VG" "$DISK" >/dev/null 2>&1; then
	at_exit cleanup
	look
	is "$(step lvm status)" "partly done" "lvm: a 1 GiB volume group is partly done"
	like "$(step lvm evidence)" "(^|; )$VG on $DISK: 1020\.0 MiB, 1020\.0 MiB free, no volume" \
	    "lvm: the evidence names it, its disk, size and free space"
	like "$(step install evidence)" "$DISK is LVM's: a physical volume of $VG" \
	    "install: the spare disk is LVM's now"
	unlike "$(step lvm evidence)" 'device-mapper' \
	    "lvm: no word of device-mapper (dom0 has it)"
	like "$(step lvm next)" '^less than 4 GiB free' "lvm: what to do next"
	cleanup
else
	fail "a volume group on $DISK"
fi

done_testing
