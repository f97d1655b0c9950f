#!/bin/sh
# ifupdown.c under libFuzzer, ASan and UBSan for a short while, seeded with
# the main files of t/ifupdown/*.case (t/fuzz-ifupdown.c: parse or refuse
# with a cause; logical lines cover the file; the bridge edit reads back
# with the NIC a manual port, and a second edit changes nothing). Any crash
# or broken invariant fails.
. "${0%/*}/tap.sh"
FUZZ=$XD_BUILDDIR/t/fuzz-ifupdown
if [ ! -x "$FUZZ" ]; then
	command -v clang >/dev/null 2>&1 &&
	    skip_all "t/fuzz-ifupdown not built (configure found no FUZZ_CC)"
	skip_all "clang is not installed (libFuzzer needs it)"
fi
SECONDS_TO_RUN=${XD_FUZZ_SECONDS:-10}
mkdir "$T_TMP/corpus" "$T_TMP/crash"
for f in "$XD_SRCDIR"/t/ifupdown/*.case; do
	awk '/^=== \/etc\/network\/interfaces$/ { p = 1; next }
	    /^=== / { p = 0 } p' "$f" >"$T_TMP/corpus/$(basename "$f" .case)"
done

"$FUZZ" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$T_TMP/crash/" "$T_TMP/corpus" \
    >"$T_TMP/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T_TMP/fuzz.log")
is "$rc" 0 "no crash, leak or broken invariant in ${SECONDS_TO_RUN}s (${runs:-?} runs)"
set -- "$T_TMP"/crash/*
if [ -e "$1" ]; then
	fail "libFuzzer left a crashing input"
	diag "$(tail -n 40 "$T_TMP/fuzz.log")"
else
	pass "no crashing input"
fi
[ "$rc" -eq 0 ] || diag "$(tail -n 40 "$T_TMP/fuzz.log")"
done_testing
