#!/bin/sh
# bootloader.c's grub.cfg and menu.lst readers under libFuzzer, ASan and
# UBSan for a short while, seeded with t/grubcfg/ (t/fuzz-grubcfg.c: parse
# or refuse with a cause; a parsed menu has a sane default, absolute paths
# and capped command lines). Any crash fails.
. "${0%/*}/tap.sh"
. "${0%/*}/fuzz.sh"
fuzz_target fuzz-grubcfg
cp "$XD_SRCDIR"/t/grubcfg/* "$T_TMP/corpus/"
fuzz_run 10 -max_len=8192
done_testing
