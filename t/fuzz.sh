# libFuzzer runs for the t/NNNN-fuzz-*.t tests (source after tap.sh).
#   fuzz_target NAME        FUZZ=$XD_BUILDDIR/t/NAME, or skip the test saying
#                           why it is not there; makes $T_TMP/corpus, /crash
#   fuzz_run SECONDS ARGS   run $FUZZ for SECONDS ($XD_FUZZ_SECONDS wins) on
#                           $T_TMP/corpus with libFuzzer ARGS (-max_len=...,
#                           -dict=...): two results, no crash or report, and
#                           no crashing input left (shown if there is one)
fuzz_target() {
	FUZZ=$XD_BUILDDIR/t/$1
	if [ ! -x "$FUZZ" ]; then
		command -v clang >/dev/null 2>&1 &&
		    skip_all "t/$1 not built (configure found no FUZZ_CC)"
		skip_all "clang is not installed (libFuzzer needs it)"
	fi
	mkdir -p "$T_TMP/corpus" "$T_TMP/crash"
}

fuzz_run() {
	_secs=${XD_FUZZ_SECONDS:-$1}; shift
	"$FUZZ" -max_total_time="$_secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$T_TMP/crash/" "$@" \
	    "$T_TMP/corpus" >"$T_TMP/fuzz.log" 2>&1
	_rc=$?
	_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T_TMP/fuzz.log")
	is "$_rc" 0 "no crash, leak or sanitizer report in ${_secs}s (${_runs:-?} runs)"
	set -- "$T_TMP"/crash/*
	if [ -e "$1" ]; then
		fail "libFuzzer left a crashing input"
		diag "$(tail -n 40 "$T_TMP/fuzz.log")"
		for _f in "$@"; do diag "input $_f:" "$(od -c "$_f" | head -n 20)"; done
	else
		pass "no crashing input"
	fi
	[ "$_rc" -eq 0 ] || diag "$(tail -n 40 "$T_TMP/fuzz.log")"
}
