#!/bin/sh
# ISO knowledge (xen-core/iso.c) on images made here as the real ones are:
# a Debian netinst's layout (Rock Ridge + Joliet, .disk/info,
# install.amd/, isolinux/), the same as bare ISO 9660 level 1 names, an
# Ubuntu-like casper/ disc with Joliet only, a Windows installer as a UDF
# bridge disc (its ISO 9660 side only a README, sources/install.wim and
# bootmgr in UDF), the guest kit's GRUB ISO (El Torito, BIOS), a data
# disc, a truncated download, a file that is no ISO; readability as
# another user; and the picker's list of the ISOs in a directory.
. "${0%/*}/tap.sh"
command -v xorriso >/dev/null || skip_all "xorriso not installed (scripts/bootstrap)"
command -v genisoimage >/dev/null || skip_all "genisoimage not installed (scripts/bootstrap)"
INFO=$XD_BUILDDIR/t/iso-info
T=$T_TMP

# A Debian-like netinst tree.
mkdir -p "$T/deb/.disk" "$T/deb/install.amd" "$T/deb/isolinux" "$T/deb/pool"
printf 'Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST with firmware 20240210-11:27\n' \
    >"$T/deb/.disk/info"
echo k >"$T/deb/install.amd/vmlinuz"
echo i >"$T/deb/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -r -J -V "Debian 12.5.0 amd64 n" \
    -o "$T/debian.iso" "$T/deb" 2>"$T/x.err"
ok $? "xorriso made a Debian-like ISO" || diag "$(cat "$T/x.err")"
run "$INFO" "$T/debian.iso"
like "$OUT" 'label=Debian 12.5.0 amd64 n kind=Linux installer ' "Debian: label, Linux installer"
like "$OUT" 'evidence=.disk/info: Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST' \
    "from .disk/info, read through Rock Ridge"
like "$OUT" 'joliet=1 rr=1 udf=0' "with Joliet and Rock Ridge, no UDF"

# Level 1 names only: ".disk" is "_DISK", "install.amd" "INSTALL.AMD".
genisoimage -quiet -V DEBIAN_L1 -o "$T/level1.iso" "$T/deb" 2>"$T/g.err"
run "$INFO" "$T/level1.iso"
like "$OUT" 'kind=Linux installer evidence=.disk/info: Debian GNU/Linux' \
    "level 1 names: found as _DISK/INFO"
like "$OUT" 'joliet=0 rr=0' "without Joliet or Rock Ridge"

# Ubuntu-like, casper/ in the Joliet tree only.
mkdir -p "$T/ubu/casper" && echo x >"$T/ubu/casper/vmlinuz"
genisoimage -quiet -J -hide casper -V "Ubuntu-Server 24.04 LTS amd64" \
    -o "$T/ubuntu.iso" "$T/ubu" 2>>"$T/g.err"
run "$INFO" "$T/ubuntu.iso"
like "$OUT" 'kind=Linux installer evidence=Ubuntu live/installer \(casper/ \(Joliet\)\)' \
    "casper/ found through Joliet"

# Windows: a UDF bridge disc whose ISO 9660 side has only README.TXT.
mkdir -p "$T/win/sources" "$T/win/boot"
echo w >"$T/win/sources/install.wim"
echo b >"$T/win/bootmgr"
echo e >"$T/win/boot/etfsboot.com"
echo 'This disc contains a "UDF" file system' >"$T/win/README.TXT"
for label in CCCOMA_X64FRE_EN-US_DV9 XD-NOT-A-WINDOWS-LABEL; do
	genisoimage -quiet -udf -V "$label" -hide sources -hide bootmgr \
	    -hide install.wim -hide boot -hide etfsboot.com \
	    -o "$T/$label.iso" "$T/win" 2>>"$T/g.err"
done
run xorriso -indev "$T/CCCOMA_X64FRE_EN-US_DV9.iso" -ls /
unlike "$OUT" 'sources|bootmgr' "the Windows disc's ISO 9660 side holds no sources/ nor bootmgr"
run "$INFO" "$T/CCCOMA_X64FRE_EN-US_DV9.iso"
like "$OUT" 'label=CCCOMA_X64FRE_EN-US_DV9 kind=Windows installer evidence=sources/install.wim \(UDF\), bootmgr' \
    "Windows installer: sources/install.wim and bootmgr, read from UDF"
like "$OUT" 'udf=1' "its UDF file system was read"
run "$INFO" "$T/XD-NOT-A-WINDOWS-LABEL.iso"
like "$OUT" 'kind=Windows installer evidence=sources/install.wim \(UDF\)' \
    "by its files, not its label"
# The same Windows files with install.esd and a label only.
mv "$T/win/sources/install.wim" "$T/win/sources/install.esd"
genisoimage -quiet -udf -V WIN_ESD -o "$T/esd.iso" "$T/win" 2>>"$T/g.err"
run "$INFO" "$T/esd.iso"
like "$OUT" 'evidence=sources/install.esd' "install.esd counts too"
mkdir -p "$T/bare" && echo r >"$T/bare/README.TXT"
genisoimage -quiet -V SSS_X64FREV_EN-US_DV9 -o "$T/label.iso" "$T/bare" 2>>"$T/g.err"
run "$INFO" "$T/label.iso"
like "$OUT" 'kind=Windows installer evidence=the volume label SSS_X64FREV_EN-US_DV9' \
    "a Windows label alone, when nothing on the disc says more"

# The guest kit's GRUB ISO: El Torito for BIOS.
if ISOK=$("$XD_SRCDIR/scripts/guest-kit" -q iso 2>/dev/null); then
	eval "$ISOK"
	run "$INFO" "$ISO"
	like "$OUT" 'kind=Linux installer evidence=GRUB \(boot/grub/\) bios=1' \
	    "the guest kit's ISO: GRUB, bootable from BIOS (El Torito)"
else
	pass "# SKIP the guest kit cannot be built here"
fi

# A data disc, a truncated download, no ISO at all.
run "$INFO" "$T/label.iso"
genisoimage -quiet -V DATA -o "$T/data.iso" "$T/deb/pool" 2>>"$T/g.err"
run "$INFO" "$T/data.iso"
like "$OUT" 'kind=data disc \(not bootable\) evidence= bios=0 efi=0' "a data disc"
cp "$T/debian.iso" "$T/cut.iso"
truncate -s 40960 "$T/cut.iso"
run "$INFO" "$T/cut.iso"
like "$OUT" 'truncated=1' "a truncated image is seen as one"
head -c 100000 /dev/urandom >"$T/random.iso"
run "$INFO" "$T/random.iso"
is "$RC" 1 "a file that is no ISO fails"
like "$OUT" 'error=.*not an ISO 9660 image' "and says so"
: >"$T/empty.iso"
run "$INFO" "$T/empty.iso"
like "$OUT" 'error=.*not an ISO 9660 image' "an empty file too"

# Readability as the device model's user.
mkdir -p "$T/private"
cp "$T/debian.iso" "$T/private/d.iso"
chmod 755 "$T" && chmod 700 "$T/private" && chmod 644 "$T/private/d.iso"
run "$INFO" -r nobody "$T/private/d.iso"
is "$RC" 1 "nobody cannot read an ISO in a 0700 directory"
like "$OUT" "the directory $T/private is not searchable by nobody \\(mode 0700" \
    "naming the directory in the way"
chmod 711 "$T/private"
run "$INFO" -r nobody "$T/private/d.iso"
is "$RC" 0 "with the directory searchable, it can ($OUT)"
chmod 600 "$T/private/d.iso"
run "$INFO" -r nobody "$T/private/d.iso"
like "$OUT" "the file $T/private/d.iso is not readable by nobody" "a 0600 file cannot be read"
run "$INFO" -r root "$T/private/d.iso"
is "$RC" 0 "root can"

# The picker's list: *.iso in the directories, one level down.
mkdir -p "$T/isos/win"
cp "$T/debian.iso" "$T/isos/"
cp "$T/CCCOMA_X64FRE_EN-US_DV9.iso" "$T/isos/win/Win11.ISO"
cp "$T/random.iso" "$T/isos/broken.iso"
echo notes >"$T/isos/notes.txt"
run env XENDECK_ISO_DIRS="$T/isos:$T/nonexistent" "$INFO" -l
is "$(printf '%s\n' "$OUT" | wc -l)" 3 "three ISOs listed, the text file not"
like "$OUT" "^$T/isos/broken.iso: error=.*not an ISO 9660" "a broken one with its reason"
like "$OUT" "^$T/isos/debian.iso: label=Debian" "the Debian one"
like "$OUT" "^$T/isos/win/Win11.ISO: label=CCCOMA_X64FRE.*kind=Windows installer" \
    "the Windows one, a directory down, .ISO in capitals"
done_testing
