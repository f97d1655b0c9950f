# Run a libFuzzer target of the tree for a short while (t/013N, t/0205;
# source after tap.sh):
#   fuzz_run NAME SECONDS MAX_LEN SEED... [-- LIBFUZZER-OPTION...]
# runs $XD_BUILDDIR/t/fuzz-NAME for $XD_FUZZ_SECONDS (else SECONDS) under
# the sanitizers it was built with, seeded with the SEED files, and reports
# two checks: no crash, leak or sanitizer report (with the run count), and
# no crashing input left. Skips the whole test when the target is not built
# (configure found no FUZZ_CC) or clang is not installed.
fuzz_run() {
	_name=$1 _secs=${XD_FUZZ_SECONDS:-$2} _len=$3
	shift 3
	_fuzz=$XD_BUILDDIR/t/fuzz-$_name
	if [ ! -x "$_fuzz" ]; then
		command -v clang >/dev/null 2>&1 &&
		    skip_all "t/fuzz-$_name not built (configure found no FUZZ_CC)"
		skip_all "clang is not installed (libFuzzer needs it)"
	fi
	mkdir "$T_TMP/corpus" "$T_TMP/crash"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		cp "$1" "$T_TMP/corpus/"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	"$_fuzz" -max_total_time="$_secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len="$_len" -print_final_stats=1 "$@" \
	    -artifact_prefix="$T_TMP/crash/" "$T_TMP/corpus" \
	    >"$T_TMP/fuzz.log" 2>&1
	_rc=$?
	_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$T_TMP/fuzz.log")
	is "$_rc" 0 "no crash, leak or sanitizer report in ${_secs}s (${_runs:-?} runs)"
	set -- "$T_TMP"/crash/*
	if [ -e "$1" ]; then
		fail "libFuzzer left a crashing input"
		diag "$(tail -n 40 "$T_TMP/fuzz.log")"
		for _f in "$@"; do
			diag "input $_f:" "$(od -c "$_f" | head -n 20)"
		done
	else
		pass "no crashing input"
	fi
	[ "$_rc" -eq 0 ] || diag "$(tail -n 40 "$T_TMP/fuzz.log")"
}
