#!/bin/sh
# Random hostile servers: t/vnc-hostile "random" sends, after one good
# frame, random updates (any encoding, random rectangles and payloads),
# cut texts of random lengths and garbage, then closes. Every session must
# end by itself with exit 0 or 1 and one line, never a crash or a hang.
# XD_VNC_SEED picks another set of cases.
. "${0%/*}/tap.sh"
HOSTILE=$XD_BUILDDIR/t/vnc-hostile
[ -x "$HOSTILE" ] || skip_all "t/vnc-hostile not built (make check builds it)"
SEED=${XD_VNC_SEED:-1000}
RUNS=${XD_VNC_RUNS:-120}
SOCK=$T_TMP/r.sock
HPID=
stop() { [ -n "$HPID" ] && kill "$HPID" 2>/dev/null; wait 2>/dev/null; }
at_exit stop
"$HOSTILE" random "$SOCK" 64x48 "$SEED" >/dev/null 2>&1 &
HPID=$!
wait_for 5 test -S "$SOCK"
diag "seed $SEED, $RUNS sessions"

bad=0 clean=0 errors=0
i=0
while [ $i -lt $RUNS ]; do
	i=$((i + 1))
	timeout 20 "$XENDECK" vnc --bench 2 --read-timeout 1 --timeout 3 \
	    "$SOCK" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	case $rc in
	0) clean=$((clean + 1)) ;;
	1)	if [ "$(wc -l <"$T_TMP/err")" -eq 1 ] &&
		    grep -q '^xendeck: vnc: ' "$T_TMP/err"; then
			errors=$((errors + 1))
		else
			bad=$((bad + 1))
			diag "session $i: rc 1 without one clear line:" "$(cat "$T_TMP/err")"
		fi ;;
	*)	bad=$((bad + 1))
		diag "session $i (seed $((SEED + i - 1))): exit $rc" "$(tail -n 3 "$T_TMP/err")" ;;
	esac
done
is "$bad" 0 "no crash, hang or unclear exit in $RUNS random sessions ($errors errors reported, $clean clean)"
ok $([ "$errors" -gt $((RUNS / 2)) ]; echo $?) "most random sessions are refused with a reason"
done_testing
