#!/bin/bash
# Inside the lab dom0: the guide's LVM steps on a spare disk (its /dev/sda4
# is the lab's /dev/vdb), with real device-mapper: PV, VG, LV, snapshot,
# removal.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"
DISK=${XDLAB_SPARE:-/dev/vdb}
[ -b "$DISK" ] || skip_all "no spare disk $DISK"
VG=xdlabvg$$

cleanup() {
	vgremove -f "$VG" >/dev/null 2>&1
	pvremove -ff -y "$DISK" >/dev/null 2>&1
}
at_exit cleanup

run pvcreate "$DISK"
is "$RC" 0 "pvcreate $DISK"
run vgcreate "$VG" "$DISK"
is "$RC" 0 "vgcreate $VG $DISK"
run lvcreate -ndatabase-data -L100M "$VG"
is "$RC" 0 "lvcreate -ndatabase-data -L100M $VG"
ok "$([ -b "/dev/$VG/database-data" ]; echo $?)" "/dev/$VG/database-data is a block device"
run dmsetup info -c --noheadings -o name "$VG-database--data"
is "$OUT" "$VG-database--data" "device-mapper has the LV"

run mkfs.ext4 -q "/dev/$VG/database-data"
is "$RC" 0 "mkfs.ext4 on the LV"

run lvcreate -s "/dev/$VG/database-data" -ndatabase-backup -L20M
is "$RC" 0 "lvcreate -s (snapshot)"
run lvs --noheadings -o lv_name,origin "$VG/database-backup"
like "$OUT" 'database-backup +database-data' "the snapshot's origin is database-data"
run dumpe2fs -h "/dev/$VG/database-backup"
like "$OUT" 'Filesystem magic number: +0xEF53' "the snapshot holds the origin's file system"

run lvremove -f "/dev/$VG/database-backup"
is "$RC" 0 "lvremove the snapshot"
run lvremove -f "/dev/$VG/database-data"
is "$RC" 0 "lvremove /dev/$VG/database-data"
ok "$([ ! -e "/dev/$VG/database-data" ]; echo $?)" "its device node is gone"
run lvs --noheadings "$VG"
is "$OUT" "" "the VG has no LVs left"

done_testing
