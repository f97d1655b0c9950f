#!/bin/sh
# iso.c's reader under libFuzzer, ASan and UBSan for a short while, seeded
# with ISOs made here (Rock Ridge + Joliet, level 1, a UDF bridge disc,
# El Torito): t/fuzz-iso.c. Any crash fails.
. "${0%/*}/tap.sh"
. "${0%/*}/fuzz.sh"
fuzz_target fuzz-iso
command -v genisoimage >/dev/null || skip_all "genisoimage not installed (scripts/bootstrap)"
mkdir -p "$T_TMP/d/.disk" "$T_TMP/d/sources" \
    "$T_TMP/d/isolinux"
echo "Debian GNU/Linux 12" >"$T_TMP/d/.disk/info"
echo w >"$T_TMP/d/sources/install.wim"
echo b >"$T_TMP/d/isolinux/isolinux.bin"
echo c >"$T_TMP/d/isolinux/boot.cat"
# The seeds start at sector 16, as the target reads them.
seed() { dd if="$1" of="$T_TMP/corpus/$2" bs=32768 skip=1 2>/dev/null; }
genisoimage -quiet -r -J -V RRJ -o "$T_TMP/a.iso" "$T_TMP/d" 2>/dev/null && seed "$T_TMP/a.iso" rrj
genisoimage -quiet -udf -V UDF -o "$T_TMP/b.iso" "$T_TMP/d" 2>/dev/null && seed "$T_TMP/b.iso" udf
genisoimage -quiet -V L1 -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -o "$T_TMP/c.iso" "$T_TMP/d" 2>/dev/null && seed "$T_TMP/c.iso" eltorito
ls "$T_TMP/corpus" | grep -q . || skip_all "no seed ISO could be made"

fuzz_run 10 -max_len=1048576
done_testing
