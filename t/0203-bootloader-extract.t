#!/bin/sh
# bootloader.c (xendeck's pygrub) on real disk images: the guest kit's
# MBR + ext4 disk with grub.cfg, its menu.lst twin and its bare filesystem,
# a logical partition, a GPT disk, and broken or hostile disks. The kernel
# and initrd it copies out must be the kit's, byte for byte, and must boot.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
command -v mkfs.ext4 >/dev/null 2>&1 || skip_all "mkfs.ext4 not installed"
command -v sfdisk >/dev/null 2>&1 || skip_all "sfdisk not installed (fdisk)"
gk_kit disk
BLX=$XD_BUILDDIR/t/bl-extract
out=$T_TMP/xout
mkdir -p "$out"

# extract DISK [ARG...]: run bl-extract into a fresh $out, set KERNEL_X
# RAMDISK_X ARGS
extract() {
	rm -rf "$out"; mkdir -p "$out"
	_d=$1; shift
	KERNEL_X= RAMDISK_X= ARGS=
	run "$BLX" "$_d" "$out" "$@"
	eval "$(printf '%s\n' "$OUT" | sed -n \
	    -e 's/^KERNEL=\(.*\)/KERNEL_X="\1"/p' \
	    -e 's/^RAMDISK=\(.*\)/RAMDISK_X="\1"/p' \
	    -e "s/^ARGS=\(.*\)/ARGS='\1'/p")"
}

extract "$DISK"
is "$RC" 0 "grub.cfg disk: extract succeeds ($ERR)"
like "$ARGS" "xd.name=disk-guest" "set default=\"1\": the second entry"
is "$ARGS" "root=/dev/xvda1 ro console=ttyS0 xd.name=disk-guest" \
    "its whole command line"
cmp -s "$KERNEL_X" "$KERNEL"
ok $? "kernel is the kit's, byte for byte"
cmp -s "$RAMDISK_X" "$INITRD"
ok $? "initrd is the kit's, byte for byte"
is "$(stat -c %a "$KERNEL_X" "$RAMDISK_X" | tr '\n' ' ')" "600 600 " \
    "both written 0600"
is "$(ls -A "$out" | tr '\n' ' ')" "kernel ramdisk " \
    "nothing else left in the output directory"

extract "$DISK_MENULST"
is "$ARGS" "root=/dev/xvda1 ro console=ttyS0 xd.name=disk-menulst" \
    "menu.lst disk: default 1 is the second title"
cmp -s "$KERNEL_X" "$KERNEL" && cmp -s "$RAMDISK_X" "$INITRD"
ok $? "menu.lst disk: kernel and initrd byte for byte"

extract "$DISK_BARE"
like "$ARGS" "xd.name=disk-guest" "a bare filesystem (no table) works"

# xl.cfg's bootloader_args, as pygrub takes them.
extract "$DISK" --entry=0
is "$ARGS" "root=/dev/xvda1 ro console=ttyS0 xd.name=wrong-entry" \
    "bootloader_args --entry=0 picks the first entry"
extract "$DISK" --entry "Debian GNU/Linux (wrong entry)" -q
like "$ARGS" "xd.name=wrong-entry" "--entry TITLE (two words), -q ignored"
extract "$DISK" "--entry=2>0"
like "$ARGS" "xd.name=recovery" "--entry=2>0 reaches into the submenu"
extract "$DISK" --entry=9
is "$RC:$ERR" "1:$DISK: partition 1: --entry=9 names no menu entry" \
    "--entry naming nothing is an error"
extract "$DISK" --args=xd.extra=1
is "$ARGS" "root=/dev/xvda1 ro console=ttyS0 xd.name=disk-guest xd.extra=1" \
    "--args is appended"
extract "$DISK_BARE" --kernel=/vmlinuz --args="console=ttyS0 xd.name=k"
is "$ARGS|$RAMDISK_X" "console=ttyS0 xd.name=k|" \
    "--kernel (a symlink, followed) skips the menu, --args is all"
cmp -s "$KERNEL_X" "$KERNEL"
ok $? "--kernel: the kit's kernel"
extract "$DISK" --kernel=/boot/vmlinuz-$KVER --ramdisk=/boot/initrd.img-$KVER
cmp -s "$RAMDISK_X" "$INITRD"
ok $? "--kernel with --ramdisk on the partitioned disk"
extract "$DISK" --kernel=/nope
is "$ERR" "$DISK: no ext2/3/4 filesystem holds /nope" "--kernel missing"
extract "$DISK" --bogus
is "$RC:$ERR" "1:bootloader_args: unknown option '--bogus' (xendeck's pygrub takes --entry, --kernel, --ramdisk, --args)" \
    "an unknown bootloader_args option"

# A disk GRUB never saw: menu in a logical partition (MBR extended chain).
mkdir -p "$T_TMP/r/boot/grub"
cp "$KERNEL" "$T_TMP/r/boot/vmlinuz"
printf '%s\n' "menuentry 'logical' {" "linux /boot/vmlinuz xd.name=logical" \
    "}" >"$T_TMP/r/boot/grub/grub.cfg"
mkfs.ext4 -q -F -d "$T_TMP/r" "$T_TMP/fs.img" 16M >/dev/null
truncate -s 24M "$T_TMP/ext.img"
printf '%s\n' "label: dos" "start=2048, size=4096, type=83" \
    "start=8192, type=5" "start=10240, type=83" |
    sfdisk -q "$T_TMP/ext.img" >/dev/null 2>&1
dd if="$T_TMP/fs.img" of="$T_TMP/ext.img" bs=512 seek=10240 conv=notrunc \
    status=none
extract "$T_TMP/ext.img"
is "$ARGS" "xd.name=logical" "menu found in logical partition 5 ($ERR)"
is "$RAMDISK_X" "" "an entry without initrd: no ramdisk"
is "$(ls -A "$out")" "kernel" "and no ramdisk file"

truncate -s 24M "$T_TMP/gpt.img"
printf '%s\n' "label: gpt" "start=4096, size=32768, type=L" |
    sfdisk -q "$T_TMP/gpt.img" >/dev/null 2>&1
dd if="$T_TMP/fs.img" of="$T_TMP/gpt.img" bs=512 seek=4096 conv=notrunc \
    status=none
extract "$T_TMP/gpt.img"
is "$ARGS" "xd.name=logical" "GPT disk ($ERR)"

# Bad disks: one clear line, nothing written.
truncate -s 8M "$T_TMP/zero.img"
extract "$T_TMP/zero.img"
is "$ERR" "$T_TMP/zero.img: no ext2/3/4 filesystem with /boot/grub/grub.cfg found (no ext2/3/4 filesystem at all)" \
    "blank disk: clear cause"
is "$RC$(ls -A "$out")" "1" "exit 1, nothing written"

mkdir -p "$T_TMP/empty"
mkfs.ext4 -q -F -d "$T_TMP/empty" "$T_TMP/nocfg.img" 8M >/dev/null
extract "$T_TMP/nocfg.img"
is "$ERR" "$T_TMP/nocfg.img: no ext2/3/4 filesystem with /boot/grub/grub.cfg found (nor /grub/grub.cfg, menu.lst)" \
    "ext4 without a menu: clear cause"

# mkbad NAME GRUBCFG-TEXT: a bare ext4 image holding that grub.cfg.
mkbad() {
	rm -rf "$T_TMP/b"; mkdir -p "$T_TMP/b/boot/grub"
	printf '%s' "$2" >"$T_TMP/b/boot/grub/grub.cfg"
	mkfs.ext4 -q -F -d "$T_TMP/b" "$T_TMP/$1.img" 8M >/dev/null
}
mkbad syntax "$(printf 'set default=0\nmenuentry "x {\n')"
extract "$T_TMP/syntax.img"
is "$ERR" "$T_TMP/syntax.img: whole disk: /boot/grub/grub.cfg:2: unterminated \" quote" \
    "grub.cfg syntax error names disk, partition, file and line"
mkbad nokernel "$(printf 'menuentry x {\n linux /boot/nope\n}\n')"
extract "$T_TMP/nokernel.img"
is "$ERR" "$T_TMP/nokernel.img: whole disk: kernel /boot/nope not found" \
    "missing kernel named"
is "$(ls -A "$out")" "" "nothing written"
mkbad noentry "set timeout=5
"
extract "$T_TMP/noentry.img"
is "$ERR" "$T_TMP/noentry.img: whole disk: the boot menu has no entry with a linux kernel" \
    "menu without entries"

# Hostile: a 2 MiB grub.cfg, a kernel that is a directory, a symlink loop.
rm -rf "$T_TMP/b"; mkdir -p "$T_TMP/b/boot/grub" "$T_TMP/b/boot/dir"
head -c 2097152 /dev/zero | tr '\0' '#' >"$T_TMP/b/boot/grub/grub.cfg"
mkfs.ext4 -q -F -d "$T_TMP/b" "$T_TMP/huge.img" 8M >/dev/null
extract "$T_TMP/huge.img"
is "$ERR" "$T_TMP/huge.img: whole disk: /boot/grub/grub.cfg is larger than 1048576 bytes" \
    "2 MiB grub.cfg refused"
rm -rf "$T_TMP/b"; mkdir -p "$T_TMP/b/boot/grub" "$T_TMP/b/boot/dir"
ln -s loop2 "$T_TMP/b/boot/loop1"; ln -s loop1 "$T_TMP/b/boot/loop2"
printf '%s\n' "set default=1" "menuentry d { linux /boot/dir" "}" \
    "menuentry l { linux /boot/loop1" "}" >"$T_TMP/b/boot/grub/grub.cfg"
mkfs.ext4 -q -F -d "$T_TMP/b" "$T_TMP/loop.img" 8M >/dev/null
extract "$T_TMP/loop.img"
is "$ERR" "$T_TMP/loop.img: whole disk: kernel /boot/loop1 not found" \
    "symlink loop: not found, no hang"
sed -i 's/set default=1/set default=0/' "$T_TMP/b/boot/grub/grub.cfg"
mkfs.ext4 -q -F -d "$T_TMP/b" "$T_TMP/dir.img" 8M >/dev/null
extract "$T_TMP/dir.img"
is "$ERR" "$T_TMP/dir.img: whole disk: kernel /boot/dir not found" \
    "a directory is not a kernel"

# The extracted kernel boots with the extracted command line, the disk
# attached as virtio-blk (the pygrub path of the qemu backend).
extract "$DISK"
gk_qemu disk -kernel "$KERNEL_X" -initrd "$RAMDISK_X" -append "$ARGS" \
    -drive file="$DISK",if=virtio,format=raw,readonly=on
wait_for 120 gk_seen disk "^XENDECK-GUEST-READY name=disk-guest\$"
ok $? "extracted kernel+initrd boot: marker name=disk-guest ($(gk_accel))"
gk_seen disk "^XENDECK-GUEST-INFO disks=vda "
ok $? "the guest sees its disk as vda (virtio_blk loaded)"
gk_qmp disk quit >/dev/null 2>&1
done_testing
