# Shell TAP helpers, sourced by t/*.t:  . "${0%/*}/tap.sh"
# Finds the built xendeck whether run by `make check` (XENDECK set) or by
# `prove` from the source tree (in-tree build).
XD_SRCDIR=${XD_SRCDIR:-$(cd "${0%/*}/.." && pwd)}
XD_BUILDDIR=${XD_BUILDDIR:-$XD_SRCDIR}
XENDECK=${XENDECK:-$XD_BUILDDIR/xendeck}
T_NUM=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/xd-t.XXXXXX")
trap 't_cleanup' EXIT
T_CLEANUPS=

t_cleanup() {
	for c in $T_CLEANUPS; do "$c" || :; done
	rm -rf "$T_TMP"
}
# at_exit FUNCTION: run FUNCTION when the test exits.
at_exit() { T_CLEANUPS="$1 $T_CLEANUPS"; }

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
pass() { T_NUM=$((T_NUM + 1)); echo "ok $T_NUM - $*"; }
fail() { T_NUM=$((T_NUM + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_NUM - $*"; }
ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
	if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2"; fi
}
# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then pass "$3"; else
		fail "$3"; diag "got: '$1'" "expected: '$2'"; fi
}
# like GOT PATTERN DESCRIPTION (grep -E)
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then pass "$3"; else
		fail "$3"; diag "got: '$1'" "expected to match: $2"; fi
}
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		fail "$3"; diag "got: '$1'" "expected not to match: $2"
	else pass "$3"; fi
}
# run CMD...: sets OUT, ERR, RC
run() {
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}
# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	_limit=$1; shift
	_end=$(( $(date +%s) + _limit ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.2
	done
	return 0
}
done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAILED" -eq 0 ]
}
# need_built t/PROGRAM: a helper program that `make check` builds. A test
# run by prove from a built tree makes it first (up to date: a stale one
# would test old code; one make at a time); a tree without a Makefile skips
# the test when it is missing, and a build that fails fails the test.
need_built() {
	if [ ! -f "$XD_BUILDDIR/Makefile" ]; then
		[ -x "$XD_BUILDDIR/$1" ] && return 0
		skip_all "$1 is not built and $XD_BUILDDIR has no Makefile (make check builds it)"
	fi
	flock "$XD_BUILDDIR/Makefile" make -C "$XD_BUILDDIR" "$1" \
	    >"$T_TMP/need-built.log" 2>&1 && [ -x "$XD_BUILDDIR/$1" ] &&
	    return 0
	echo "1..1"
	fail "make $1"
	diag "$(tail -n 20 "$T_TMP/need-built.log")"
	exit 1
}
