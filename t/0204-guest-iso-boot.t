#!/bin/sh
# The HVM paths of the guest kit: the grub-mkrescue ISO as a cdrom (boot=d)
# shows GRUB's banner and the kernel's text on the VGA console and ends in
# a shell on tty1 that takes keyboard input; the same image as a raw hard
# disk (boot=c) boots from its MBR.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
gk_kit iso hdd

T0=$(date +%s)
t() { diag "t+$(( $(date +%s) - T0 ))s"; }
vga() { gk_qmp "$1" vga-text 2>/dev/null | grep -aEq -- "$2"; }

gk_qemu iso -vga std -vnc unix:"$T_TMP/iso.vnc" -cdrom "$ISO" -boot d
diag "accel $(gk_accel)"
wait_for 60 vga iso "XENDECK ISO"
ok $? "GRUB's XENDECK ISO banner is on the VGA text screen"; t
wait_for 120 gk_seen iso "^XENDECK-GUEST-READY name=xendeck-iso\$"
ok $? "the kernel from the ISO boots to the marker (serial)"; t
wait_for 30 vga iso "^xendeck-iso#"
ok $? "shell prompt on the VGA console"; t
gk_qmp iso type-text "echo vga-\$((6*7))
"
wait_for 20 vga iso "^vga-42\$"
ok $? "keys typed on the PS/2 keyboard reach the VGA shell"; t
gk_qmp iso screendump "{\"filename\":\"$T_TMP/iso.ppm\"}" >/dev/null
# Text mode renders 720x400; a screen with text has two colours at least.
colours=$(tail -c +16 "$T_TMP/iso.ppm" | od -An -v -tu1 -w3 |
    sort -u | wc -l)
[ "$(head -c 15 "$T_TMP/iso.ppm" | tr '\n' ' ')" = "P6 720 400 255 " ] &&
    [ "$colours" -ge 2 ]
ok $? "screendump is a 720x400 text-mode frame with text ($colours colours)"; t
gk_qmp iso system_powerdown >/dev/null 2>&1
wait_for 60 sh -c "! kill -0 $GK_PID 2>/dev/null"
ok $? "ISO guest powers off on the ACPI button"; t

gk_qemu hdd -vga std -display none \
    -drive file="$HDD",if=ide,format=raw,snapshot=on -boot c
wait_for 60 vga hdd "XENDECK HDD"
ok $? "SeaBIOS boots the raw disk's MBR: GRUB shows XENDECK HDD"; t
wait_for 60 vga hdd "XENDECK HDD: loading the initrd"
ok $? "GRUB loaded kernel and initrd from the disk"; t
# The same kernel and initrd as the ISO's, which boot to the marker above:
# here it is enough that the kernel GRUB loaded from the disk starts.
wait_for 60 gk_seen hdd "Command line: .*xd.defname=xendeck-hdd"
ok $? "the kernel from the hard disk starts with GRUB's command line"; t
gk_qmp hdd quit >/dev/null 2>&1
done_testing
