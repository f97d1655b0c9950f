#!/bin/bash
# Inside the lab dom0: the hvm-guest wizard on real Xen 4.17 with Debian
# 12's qemu-system-xen. Its device model cannot take a VNC password (no
# DES), so the wizard writes none, says so, and refuses a
# vnc_password_file; the guest starts from the ISO, its VNC endpoint is
# the one xenstore holds (127.0.0.1 and the port qemu-xen took), and the
# viewer shows its screen; cd-eject and cd-insert change the qdisk's
# medium (xenstore's params); the config lints clean on the xl backend.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
[ -x /usr/libexec/xen-qemu-system-i386 ] ||
    skip_all "no qemu-system-xen in the lab image"
NAME=xd-hw$$
XL_GUESTS="$NAME"
export XENDECK_STATEDIR=$T_TMP/state
X() { "$XENDECK" -v -v -l "$T_TMP/xendeck.log" "$@"; }
# The guide's pool: a volume group (here on a loop device of our own), so
# the guest's disk is a logical volume, phy: to Xen.
POOL=xdhw$$
modprobe loop 2>/dev/null
truncate -s 96M "$T_TMP/pv.img"
LOOP=$(losetup -f --show "$T_TMP/pv.img") || skip_all "no loop device"
vg_cleanup() {
	xl destroy "$NAME" >/dev/null 2>&1
	vgremove -f "$POOL" >/dev/null 2>&1
	losetup -d "$LOOP" 2>/dev/null
	return 0
}
at_exit vg_cleanup
pvcreate -q "$LOOP" >/dev/null 2>&1 && vgcreate -q "$POOL" "$LOOP" >/dev/null 2>&1
ok $? "a volume group $POOL for the guests' disks"

xl_grub_iso "$T_TMP"
ok $? "a GRUB ISO built in dom0 (grub-mkrescue)"
set -- --set name="$NAME" --set iso="$T_TMP/grub.iso" --set pool="$POOL" \
    --set size=64M --set memory=128M --set vcpus=1 --set bridge=none \
    --set cfg="$T_TMP/$NAME.cfg"

echo secretpw >"$T_TMP/pw"
run X wizard hvm-guest "$@" --set vnc_password_file="$T_TMP/pw"
is "$RC" 2 "a VNC password file is refused on Xen"
like "$ERR" '^xendeck: vnc_password_file: .*cannot do VNC passwords' \
    "naming the field and why"

run X wizard hvm-guest "$@" --set start=yes --apply
is "$RC" 0 "the wizard makes and starts the guest ($ERR)"
like "$OUT" "screen has no VNC password \\(this device model cannot take one\\) and listens on 127.0.0.1 only" \
    "it says there is no password, and why"
CFG=$T_TMP/$NAME.cfg
! grep -q '^vncpasswd' "$CFG" && grep -q '^vnclisten = "127.0.0.1"' "$CFG"
ok $? "the config has no vncpasswd, and VNC on loopback"
grep -q "cannot take one: .*DES\\|cannot take one: .*cannot do VNC passwords" "$CFG"
ok $? "its comments say why"
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "xl list: it runs"
[ -b "/dev/$POOL/$NAME" ] && grep -q "target=/dev/$POOL/$NAME" "$CFG"
ok $? "on the logical volume /dev/$POOL/$NAME"

D=$(xl domid "$NAME")
wait_for 60 xenstore-read "/local/domain/$D/console/vnc-port"
port=$(xenstore-read "/local/domain/$D/console/vnc-port")
listen=$(xenstore-read "/local/domain/$D/console/vnc-listen")
is "$listen" 127.0.0.1 "xenstore: the screen listens on 127.0.0.1"
run X vnc-endpoint "$NAME"
is "$OUT" "127.0.0.1:$port" "vnc-endpoint: the one in xenstore"
screen() { "$XENDECK" vnc --dump-frame "$T_TMP/f.ppm" "$NAME" 2>/dev/null |
    grep -q '^nonblack: yes$'; }
wait_for 120 screen
ok $? "the viewer shows the guest's screen"

# The CD: qdisk's params in xenstore follow cd-eject and cd-insert.
be=$(xl block-list "$NAME" | awk 'NR > 1 { print $NF }' | head -n 1)
like "$(xenstore-read "$be/params")" "grub.iso\$" "the drive holds the installer"
run X cd-eject "$NAME"
is "$RC" 0 "cd-eject ($ERR)"
is "$(xenstore-read "$be/params")" "" "the drive is empty"
mkdir -p "$T_TMP/s" && echo x >"$T_TMP/s/x"
xorriso -as mkisofs -quiet -V XD-LAB-TWO -o "$T_TMP/two.iso" "$T_TMP/s" 2>/dev/null
run X cd-insert "$NAME" "$T_TMP/two.iso"
is "$RC" 0 "cd-insert ($ERR)"
like "$OUT" "holds $T_TMP/two.iso \\(XD-LAB-TWO" "naming the disc"
like "$(xenstore-read "$be/params")" "two.iso\$" "the drive holds the new disc"

# The file it wrote lints clean on the xl backend (under another name: this
# one runs).
sed "s/^name = .*/name = \"${NAME}b\"/" "$CFG" >"$T_TMP/b.cfg"
run X check-config --lint "$T_TMP/b.cfg"
is "$OUT" "$T_TMP/b.cfg: no problems found on the xl backend" "its config lints clean on Xen"
run X check-config --lint /xendeck/t/xlcfg/windows.cfg
like "$OUT" "windows.cfg:10: error: device_model_version: Debian 12's Xen has no qemu-xen-traditional" \
    "the guide's windows.cfg: qemu-xen-traditional stops create on Xen"
like "$OUT" 'windows.cfg:15: warning: vnclisten: vnclisten="" makes the screen listen on every address' \
    "and its screen would be open to every address"
xl destroy "$NAME"
done_testing
