#!/bin/bash
# Inside the lab dom0, with real device-mapper, on its spare disks: the
# storage and volume wizards as a user runs them. A disk holding a file
# system is refused until wipe= names it, then pvcreate + vgcreate; a new
# LV reads as zeros where an old one's data was; kill -9 between steps and
# --resume reach the same end; a classic snapshot is written to and read
# back (and the origin stays as it was); a thin pool, a thin volume and a
# thin snapshot; lvremove refused while a Xen guest uses the LV (naming
# it), and allowed after.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
DISK=${XDLAB_SPARE:-/dev/vdb}
DISK2=${XDLAB_SPARE2:-/dev/vdc}
[ -b "$DISK" ] && [ -b "$DISK2" ] || skip_all "no spare disks $DISK $DISK2"
VG=xdst$$
VG2=xdth$$
NAME=xd-st$$
XL_GUESTS=$NAME
XENDECK_STATEDIR=$T_TMP/state
XENDECK_XEN_DIR=$T_TMP/xen
export XENDECK_STATEDIR XENDECK_XEN_DIR
mkdir -p "$XENDECK_XEN_DIR" "$T_TMP/mnt"

cleanup() {
	umount "$T_TMP/mnt" 2>/dev/null
	xl destroy "$NAME" >/dev/null 2>&1
	vgremove -f "$VG" "$VG2" >/dev/null 2>&1
	pvremove -ff -y "$DISK" "$DISK2" >/dev/null 2>&1
	wipefs -a -q "$DISK" "$DISK2" 2>/dev/null
	return 0
}
at_exit cleanup
W() { run "$XENDECK" wizard "$@"; }
V() { W volume --set "pool=$VG" "$@"; }
# Fill free extents with 0xAA: an LV made, filled and removed.
dirty() {
	lvcreate -q -y -n junk -L 16M "$VG" >/dev/null 2>&1 &&
	    tr '\000' '\252' </dev/zero | dd of="/dev/$VG/junk" bs=1M \
	    count=16 iflag=fullblock conv=fsync status=none
	lvremove -q -y "$VG/junk" >/dev/null 2>&1
}
zeros() { cmp -s -n 16777216 "$1" /dev/zero; }
ran() { printf '%s\n' "$OUT" | grep -c ' ok$'; }

# The storage wizard: a disk with a file system needs consent.
wipefs -a -q "$DISK" "$DISK2" 2>/dev/null
mkfs.ext4 -q -L labdata "$DISK"
W storage --help
like "$OUT" "\\* $DISK +1.0 GiB .*ext4 'labdata'" \
    "--help lists $DISK with its file system"
like "$OUT" "  /dev/vda .*in use: mounted on /" "... and /dev/vda, in use"
W storage --set "device=$DISK" --set "vg=$VG" --apply --yes
is "$RC" 2 "pvcreate on a disk holding ext4: refused (exit 2)"
like "$ERR" "^xendeck: wipe: $DISK holds ext4 'labdata': to erase it, answer wipe=$DISK" \
    "... saying what is on it and how to consent"
like "$(blkid -p -o value -s LABEL "$DISK")" '^labdata$' "... the file system is intact"
W storage --set "device=$DISK" --set "vg=$VG" --set "wipe=$DISK" --apply --yes
is "$RC" 0 "with wipe=$DISK: applied" || diag "$OUT" "$ERR"
like "$OUT" "wipefs -a $DISK" "... wipefs"
like "$OUT" "pvcreate $DISK" "... pvcreate"
like "$OUT" "vgcreate $VG $DISK" "... vgcreate"
is "$(pvs --noheadings -o vg_name "$DISK" | tr -d ' ')" "$VG" \
    "$DISK is a PV of $VG"

# lvcreate through the volume wizard: zeroed.
dirty
V --set action=create --set name=web1 --set size=16M --apply
is "$RC" 0 "create web1" || diag "$OUT" "$ERR"
like "$OUT" "lvcreate -n web1 -L 16M" "... lvcreate, as the guide's"
zeros "/dev/$VG/web1"
ok $? "web1 reads as zeros where an old LV's data was (xen-tools#39)"
is "$(lvs --noheadings -o lv_tags "$VG/web1" | tr -d ' ')" "" "... no tag left"
V --set action=create --set name=web1 --set size=16M --apply
is "$RC.$(ran)" 0.0 "the same answers again: nothing ran"

# kill -9 between the steps, then --resume: the same end state.
dirty
XENDECK_PLAN_CRASH=begin:2 "$XENDECK" wizard volume --set "pool=$VG" \
    --set action=create --set name=db --set size=16M --apply \
    >"$T_TMP/crash.out" 2>&1
is "$?" 137 "create db killed (kill -9) as step 2 begins"
like "$(lvs --noheadings -o lv_tags "$VG/db")" "xendeck-incomplete" \
    "... db exists, marked incomplete"
W volume --resume
is "$RC" 0 "--resume" || diag "$OUT" "$ERR"
is "$(lvs --noheadings -o lv_size,lv_tags --units b "$VG/db" | tr -s ' ')" \
    "$(lvs --noheadings -o lv_size,lv_tags --units b "$VG/web1" | tr -s ' ')" \
    "... db ends as web1 did: same size, no tag"
zeros "/dev/$VG/db"
ok $? "... and reads as zeros"

# A classic snapshot, written to and read back.
mkfs.ext4 -q "/dev/$VG/web1"
mount "/dev/$VG/web1" "$T_TMP/mnt" && echo origin-v1 >"$T_TMP/mnt/f" &&
    umount "$T_TMP/mnt"
V --set action=snapshot --set origin=web1 --set name=web1-snap --apply
is "$RC" 0 "snapshot applied" || diag "$OUT" "$ERR"
like "$OUT" "lvcreate -s -n web1-snap -L 4M $VG/web1" \
    "... the guide's lvcreate -s, a fifth of the origin"
mount "/dev/$VG/web1-snap" "$T_TMP/mnt" && cat "$T_TMP/mnt/f" >"$T_TMP/r1" &&
    echo snap-v2 >"$T_TMP/mnt/g" && umount "$T_TMP/mnt"
is "$(cat "$T_TMP/r1")" origin-v1 "the snapshot holds the origin's file"
mount "/dev/$VG/web1" "$T_TMP/mnt" && echo origin-v3 >"$T_TMP/mnt/f" &&
    ls "$T_TMP/mnt" >"$T_TMP/ls1" && umount "$T_TMP/mnt"
unlike "$(cat "$T_TMP/ls1")" '^g$' "what was written to the snapshot is not in the origin"
mount -o ro "/dev/$VG/web1-snap" "$T_TMP/mnt" &&
    cat "$T_TMP/mnt/f" "$T_TMP/mnt/g" >"$T_TMP/r2" && umount "$T_TMP/mnt"
is "$(tr '\n' ' ' <"$T_TMP/r2")" "origin-v1 snap-v2 " \
    "read back: the snapshot keeps origin-v1 and its own write"

# A thin pool, a thin volume, a thin snapshot.
W storage --set "device=$DISK2" --set "vg=$VG2" --set thin=80%FREE --apply
is "$RC" 0 "storage with thin=80%FREE" || diag "$OUT" "$ERR"
W volume --set "pool=$VG2" --set action=create --set name=tmpl --set size=16M --apply
is "$RC" 0 "a volume in a VG with a thin pool" || diag "$OUT" "$ERR"
like "$(lvs --noheadings -o lv_attr,pool_lv "$VG2/tmpl")" 'V.* thin' \
    "... is a thin volume in the pool"
printf 'template' | dd of="/dev/$VG2/tmpl" bs=512 seek=8 conv=fsync status=none
W volume --set "pool=$VG2" --set action=snapshot --set origin=tmpl --set name=web2 --apply
is "$RC" 0 "snapshot of a thin volume" || diag "$OUT" "$ERR"
like "$OUT" "lvcreate -s -kn -n web2 $VG2/tmpl" "... a thin snapshot, -kn"
like "$OUT" "udevadm settle" "... then udevadm settle"
ok "$([ -b "/dev/$VG2/web2" ]; echo $?)" "/dev/$VG2/web2 is there at once"
is "$(dd if="/dev/$VG2/web2" bs=512 skip=8 count=1 status=none | head -c 8)" \
    template "the thin snapshot reads the template's data"
printf 'clone-v2' | dd of="/dev/$VG2/web2" bs=512 seek=8 conv=fsync status=none
is "$(dd if="/dev/$VG2/web2" bs=512 skip=8 count=1 status=none | head -c 8)" \
    clone-v2 "written to and read back"
is "$(dd if="/dev/$VG2/tmpl" bs=512 skip=8 count=1 status=none | head -c 8)" \
    template "... the template is unchanged"

# A directory pool on a dom0 without qemu-img (qemu-utils): raw images are
# sparse files, grown with their ext4; a snapshot (qcow2) says what it needs.
D=$T_TMP/images
W storage --set "dir=$D" --apply
is "$RC" 0 "a directory pool" || diag "$OUT" "$ERR"
W volume --set "pool=$D" --set action=create --set name=img1 --set size=16M --apply
is "$RC" 0 "a raw image in it" || diag "$OUT" "$ERR"
mkfs.ext4 -q "$D/img1.img"
W volume --set "pool=$D" --set action=resize --set name=img1 --set size=+16M --apply
is "$RC" 0 "grown by 16M" || diag "$OUT" "$ERR"
like "$(dumpe2fs -h "$D/img1.img" 2>/dev/null)" "Block count: +32768" \
    "... with its ext4"
if ! command -v qemu-img >/dev/null; then
	W volume --set "pool=$D" --set action=snapshot --set origin=img1 --set name=s
	is "$RC" 2 "a qcow2 snapshot without qemu-img: exit 2"
	like "$ERR" "needs qemu-img \(apt-get install qemu-utils\)" "... says what to install"
fi

# lvremove refused while a Xen guest uses the LV, allowed after.
V --set action=remove --set name=web1
is "$RC" 2 "remove web1, the origin of web1-snap: refused"
like "$ERR" "origin of web1-snap" "... naming the snapshot"
xl_guest_kit "$T_TMP"
CFG=$(xl_guest_cfg "$T_TMP" "$NAME" "disk = [ 'phy:/dev/$VG/db,xvda,w' ]")
xl create -p "$CFG" >"$T_TMP/xl.out" 2>&1
is "$?" 0 "a Xen guest (paused) with /dev/$VG/db as its disk" ||
    diag "$(cat "$T_TMP/xl.out")"
run "$XENDECK" pools "$VG"
like "$OUT" "  web1-snap +16.0 MiB +4.0 MiB +raw +web1 +[0-9]+%" \
    "xendeck pools: web1-snap, origin web1, its fill %"
like "$OUT" "  db .* domain $NAME" "... db, used by domain $NAME"
V --set action=remove --set name=db --apply --yes
is "$RC" 2 "lvremove of db while the guest uses it: refused"
like "$ERR" "^xendeck: name: db is in use by domain $NAME" "... naming the domain"
ok "$(lvs "$VG/db" >/dev/null 2>&1; echo $?)" "... db is still there"
xl destroy "$NAME"
wait_for 60 xl_gone "$NAME"
V --set action=remove --set name=db --apply --yes
is "$RC" 0 "with the guest gone: lvremove" || diag "$OUT" "$ERR"
ok "$(! lvs "$VG/db" >/dev/null 2>&1; echo $?)" "db is gone"
done_testing
