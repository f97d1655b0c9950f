#!/bin/sh
# The serial console view's input path (console/view-serial.c: what a
# guest sends, through libvterm, the scrollback and the title, drawn and
# scrolled back) under libFuzzer, ASan and UBSan for a short while, seeded
# with t/serial/ (t/fuzz-serial.c: no control character is ever drawn).
# Any crash fails.
. "${0%/*}/tap.sh"
FUZZ=$XD_BUILDDIR/t/fuzz-serial
if [ ! -x "$FUZZ" ]; then
	command -v clang >/dev/null 2>&1 &&
	    skip_all "t/fuzz-serial not built (configure found no FUZZ_CC)"
	skip_all "clang is not installed (libFuzzer needs it)"
fi
SECONDS_TO_RUN=${XD_FUZZ_SECONDS:-10}
mkdir "$T_TMP/corpus" "$T_TMP/crash"
cp "$XD_SRCDIR"/t/serial/* "$T_TMP/corpus/"

"$FUZZ" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$T_TMP/crash/" "$T_TMP/corpus" \
    >"$T_TMP/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T_TMP/fuzz.log")
is "$rc" 0 "no crash, leak, sanitizer report or control drawn in ${SECONDS_TO_RUN}s (${runs:-?} runs)"
set -- "$T_TMP"/crash/*
if [ -e "$1" ]; then
	fail "libFuzzer left a crashing input"
	diag "$(tail -n 40 "$T_TMP/fuzz.log")"
	for f in "$@"; do diag "input $f:" "$(od -c "$f" | head -n 20)"; done
else
	pass "no crashing input"
fi
[ "$rc" -eq 0 ] || diag "$(tail -n 40 "$T_TMP/fuzz.log")"
done_testing
