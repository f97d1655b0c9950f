#!/bin/sh
# The console's YAML loaders (config.yaml and themes, through ydoc.c) under
# libFuzzer, ASan and UBSan for a short while, seeded with the shipped
# themes and t/yaml/ (t/fuzz-yaml.c: parse or refuse naming the file;
# values in range). Any crash fails.
. "${0%/*}/tap.sh"
FUZZ=$XD_BUILDDIR/t/fuzz-yaml
if [ ! -x "$FUZZ" ]; then
	command -v clang >/dev/null 2>&1 &&
	    skip_all "t/fuzz-yaml not built (configure found no FUZZ_CC)"
	skip_all "clang is not installed (libFuzzer needs it)"
fi
SECONDS_TO_RUN=${XD_FUZZ_SECONDS:-10}
mkdir "$T_TMP/corpus" "$T_TMP/crash"
cp "$XD_SRCDIR"/themes/*.yaml "$XD_SRCDIR"/t/yaml/* "$T_TMP/corpus/"

"$FUZZ" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$T_TMP/crash/" "$T_TMP/corpus" \
    >"$T_TMP/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T_TMP/fuzz.log")
is "$rc" 0 "no crash, leak or sanitizer report in ${SECONDS_TO_RUN}s (${runs:-?} runs)"
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
