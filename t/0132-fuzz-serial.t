#!/bin/sh
# The serial console view's input path (console/view-serial.c: what a
# guest sends, through libvterm, the scrollback and the title, drawn and
# scrolled back) under libFuzzer, ASan and UBSan for a short while, seeded
# with t/serial/ (t/fuzz-serial.c: no control character is ever drawn; the
# seeds are what once hung, crashed or corrupted the view). Any crash or
# hang fails.
. "${0%/*}/tap.sh"
. "${0%/*}/fuzz.sh"
fuzz_target fuzz-serial
cp "$XD_SRCDIR"/t/serial/* "$T_TMP/corpus/"
fuzz_run 10 -max_len=16384
done_testing
