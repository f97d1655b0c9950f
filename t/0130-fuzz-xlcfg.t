#!/bin/sh
# The xl.cfg parser under libFuzzer, ASan and UBSan for a short while,
# seeded with the corpus (t/fuzz-xlcfg.c: parse or refuse with
# FILE:LINE:COL, write, read back, fixed point). Any crash fails.
. "${0%/*}/tap.sh"
. "${0%/*}/fuzz.sh"
fuzz_target fuzz-xlcfg
cp "$XD_SRCDIR"/t/xlcfg/*.cfg "$T_TMP/corpus/"
fuzz_run 20 -max_len=4096 -dict="$XD_SRCDIR/t/fuzz-xlcfg.dict"
done_testing
