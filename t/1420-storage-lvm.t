#!/bin/sh
# The storage wizard's LVM side on the host, with real lvm2 on loop devices:
# this kernel has no device-mapper, so lvm2 runs metadata-only through a
# private LVM_SYSTEM_DIR (activation off, a filter that sees only our
# loops). The candidates with what is on them and what uses them; a device
# in use refused (a PV of another VG, mounted); one with a file system
# refused until wipe= names it, then wiped, pvcreate'd and vgcreate'd; a
# VG name that exists or collides with /dev refused; extend=yes; the same
# answers twice a no-op; the volume wizard's plans and refusals on the VG.
# Device-mapper paths (lvcreate, snapshots, removal of a used LV) run in
# the lab: t/lab/1400-storage.t.
. "${0%/*}/tap.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (loop devices)"
command -v pvcreate >/dev/null || skip_all "lvm2 not installed"
[ -w /dev/loop-control ] || skip_all "no loop devices"
XENDECK_STATEDIR=$T_TMP/state
XENDECK_XEN_DIR=$T_TMP/xen
XENDECK_RUNDIR=$T_TMP/run
export XENDECK_STATEDIR XENDECK_XEN_DIR XENDECK_RUNDIR
mkdir -p "$XENDECK_XEN_DIR"
LOOPS=
detach() {
	for l in $LOOPS; do
		umount "$l" 2>/dev/null
		swapoff "$l" 2>/dev/null
		vgremove -q -f "$VG" "$OTHER" >/dev/null 2>&1
		losetup -d "$l" 2>/dev/null
	done
	return 0
}
at_exit detach
for i in 1 2 3 4 5; do
	truncate -s 64M "$T_TMP/d$i.img"
	l=$(losetup -f --show "$T_TMP/d$i.img") || skip_all "no free loop device"
	LOOPS="$LOOPS $l"
	eval "L$i=$l"
done
VG=xdt$$vg
OTHER=xdt$$other
mkdir -p "$T_TMP/lvm"
cat >"$T_TMP/lvm/lvm.conf" <<EOF
global { activation = 0 }
devices {
	filter = [ "a|^$L1\$|", "a|^$L2\$|", "a|^$L3\$|", "a|^$L4\$|",
	    "a|^$L5\$|", "r|.*|" ]
	obtain_device_list_from_udev = 0
}
EOF
LVM_SYSTEM_DIR=$T_TMP/lvm
export LVM_SYSTEM_DIR
W() { run "$XENDECK" wizard "$@"; }
S() { W storage "$@"; }
bad() { # FIELD DESCRIPTION ARGS...
	_f=$1 _d=$2; shift 2
	_before=$(pvs --noheadings -o pv_name,vg_name 2>/dev/null; wipefs -n $LOOPS)
	S "$@"
	is "$RC" 2 "$_d: exit 2"
	like "$ERR" "^xendeck: $_f: " "... naming $_f"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "... in one line"
	is "$(pvs --noheadings -o pv_name,vg_name 2>/dev/null; wipefs -n $LOOPS)" \
	    "$_before" "... nothing changed"
}

# L1 empty; L2 ext4 'data'; L3 a PV of another VG; L4 ext4, mounted;
# L5 swap in use.
mkfs.ext4 -q -L data "$L2"
{ pvcreate -q "$L3" && vgcreate -q "$OTHER" "$L3"; } >/dev/null 2>&1
mkfs.ext4 -q -L busy "$L4"
mkdir -p "$T_TMP/mnt"
mount "$L4" "$T_TMP/mnt" 2>/dev/null && MOUNTED=1 || MOUNTED=
mkswap -q "$L5" >/dev/null 2>&1 && swapon "$L5" 2>/dev/null && SWAP=1 || SWAP=

W storage --help
is "$RC" 0 "wizard storage --help"
like "$OUT" "\\* $L1 +64.0 MiB +loop +empty" "$L1: a usable candidate, empty"
like "$OUT" "\\* $L2 +64.0 MiB +loop +ext4 'data'" \
    "$L2: usable, with its ext4 file system named"
like "$OUT" "  $L3 .*LVM2_member; in use: PV of $OTHER" \
    "$L3: refused, a PV of $OTHER"
if [ -n "$MOUNTED" ]; then
	like "$OUT" "  $L4 .*ext4 'busy'; in use: mounted on $T_TMP/mnt" \
	    "$L4: refused, mounted"
fi
if [ -n "$SWAP" ]; then
	like "$OUT" "  $L5 .*swap; in use: swap" "$L5: refused, swap in use"
fi

bad device "a device that does not exist" --set device=/dev/xdnone \
    --set vg="$VG"
bad device "not a device path" --set device=sdb --set vg="$VG"
bad device "a PV of another volume group" --set device="$L3" --set vg="$VG"
like "$ERR" "in use: PV of $OTHER" "... says what uses it"
if [ -n "$MOUNTED" ]; then
	bad device "a mounted device" --set device="$L4" --set vg="$VG"
	like "$ERR" "in use: mounted on $T_TMP/mnt" "... says where"
	umount "$T_TMP/mnt"
fi
if [ -n "$SWAP" ]; then
	bad device "swap in use" --set device="$L5" --set vg="$VG"
	like "$ERR" "in use: swap" "... says so"
	swapoff "$L5"
fi
bad wipe "a device holding a file system" --set device="$L2" --set vg="$VG"
like "$ERR" "$L2 holds ext4 'data': to erase it, answer wipe=$L2" \
    "... says what is on it and how to consent"
bad wipe "consent naming another device" --set device="$L2" --set vg="$VG" \
    --set wipe="$L1"
bad vg "a bad volume group name" --set device="$L1" --set vg="a/b"
bad vg "a volume group name that is a /dev entry" --set device="$L1" \
    --set vg=null
like "$ERR" "/dev/null exists" "... says so"
bad vg "a volume group that exists" --set device="$L1" --set vg="$OTHER"
like "$ERR" "already exists.*extend=yes" "... points at extend=yes"
bad dir "device= and dir= together" --set device="$L1" --set vg="$VG" \
    --set dir=/srv/x

S --set device="$L2" --set vg="$VG" --set wipe="$L2"
is "$RC" 0 "with consent: the plan"
like "$OUT" "wipefs -a $L2" "... shows the wipe"
like "$OUT" "DESTROYS $L2" "... and what it destroys"
like "$OUT" "pvcreate $L2" "... pvcreate"
like "$OUT" "vgcreate $VG $L2" "... vgcreate"
S --set device="$L2" --set vg="$VG" --set wipe="$L2" --apply
is "$RC" 2 "apply without --yes: refused"
like "$(wipefs -n "$L2")" "ext4" "... the file system is still there"
S --set device="$L2" --set vg="$VG" --set wipe="$L2" --apply --yes
is "$RC" 0 "apply --yes" || diag "$OUT" "$ERR"
is "$(pvs --noheadings -o vg_name "$L2" 2>/dev/null | tr -d ' ')" "$VG" \
    "$L2 is a PV of $VG"
unlike "$(wipefs -n "$L2")" "ext4" "... and holds no ext4 any more"
S --set device="$L2" --set vg="$VG" --set wipe="$L2" --apply --yes
is "$RC" 0 "the same answers again"
like "$OUT" "skipped: already done" "... skipped: already done"
unlike "$OUT" " ok$" "... nothing ran"
S --set device="$L2" --set vg="$VG"
is "$RC" 0 "and without wipe= (nothing to wipe now)"
like "$OUT" "already a physical volume of $VG: nothing to do" "... says so"

S --set device="$L1" --set vg="$VG" --set extend=yes --apply
is "$RC" 0 "extend=yes: vgextend $VG $L1" || diag "$ERR"
is "$(pvs --noheadings -o vg_name "$L1" 2>/dev/null | tr -d ' ')" "$VG" \
    "$L1 is a PV of $VG too"
run "$XENDECK" pools "$VG"
like "$OUT" "^$VG  LVM volume group" "xendeck pools: $VG"
like "$OUT" "on $L2 $L1|on $L1 $L2" "... on both PVs"

# The volume wizard's plans and refusals on the VG (metadata only).
V() { W volume --set pool="$VG" "$@"; }
V --set action=create --set name=web1 --set size=16M
is "$RC" 0 "volume create: the plan"
like "$OUT" "lvcreate -n web1 -L 16M --addtag xendeck-incomplete --yes $VG" \
    "... lvcreate, as the guide's, tagged until zeroed"
like "$OUT" "blkdiscard -z /dev/$VG/web1" "... then zeroed"
V --set action=create --set name=web1 --set size=1T
is "$RC" 2 "a size that does not fit: exit 2"
like "$ERR" "^xendeck: size: 1.0 TiB does not fit: $VG has .* free$" \
    "... says how much is free"
V --set action=remove --set name=nope
is "$RC" 0 "remove of a volume that is not there: a plan"
like "$OUT" "nothing to remove" "... that says so"
lvcreate -q -n used -L 8M "$VG" >/dev/null 2>&1
printf 'name = "u"\ndisk = [ "phy:/dev/%s/used,xvda,w" ]\n' "$VG" \
    >"$XENDECK_XEN_DIR/u.cfg"
V --set action=remove --set name=used
is "$RC" 2 "remove an LV an xl.cfg uses: exit 2"
like "$ERR" "^xendeck: name: used is in use by $XENDECK_XEN_DIR/u.cfg" \
    "... names the config"
done_testing
