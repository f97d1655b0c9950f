#!/bin/sh
# iso.c's reader under libFuzzer, ASan and UBSan for a short while, seeded
# with ISOs made here (Rock Ridge + Joliet, level 1, a UDF bridge disc,
# El Torito): t/fuzz-iso.c. Any crash fails.
. "${0%/*}/tap.sh"
FUZZ=$XD_BUILDDIR/t/fuzz-iso
if [ ! -x "$FUZZ" ]; then
	command -v clang >/dev/null 2>&1 &&
	    skip_all "t/fuzz-iso not built (configure found no FUZZ_CC)"
	skip_all "clang is not installed (libFuzzer needs it)"
fi
command -v genisoimage >/dev/null || skip_all "genisoimage not installed (scripts/bootstrap)"
SECONDS_TO_RUN=${XD_FUZZ_SECONDS:-10}
mkdir -p "$T_TMP/corpus" "$T_TMP/crash" "$T_TMP/d/.disk" "$T_TMP/d/sources" \
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

"$FUZZ" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
    -max_len=1048576 -print_final_stats=1 \
    -artifact_prefix="$T_TMP/crash/" "$T_TMP/corpus" \
    >"$T_TMP/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T_TMP/fuzz.log")
is "$rc" 0 "no crash, leak or sanitizer report in ${SECONDS_TO_RUN}s (${runs:-?} runs)"
set -- "$T_TMP"/crash/*
if [ -e "$1" ]; then
	fail "libFuzzer left a crashing input"
	diag "$(tail -n 40 "$T_TMP/fuzz.log")"
else
	pass "no crashing input"
fi
[ "$rc" -eq 0 ] || diag "$(tail -n 40 "$T_TMP/fuzz.log")"
done_testing
