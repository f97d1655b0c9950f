#!/bin/sh
# The wizard engine on a throwaway tree (issue 13, "Tests, for real"), with
# t/wiz-test's "tree" wizard of real commands (mkdir, files written, edited
# and removed, a slow step that prints, this binary as "xendeck", ln, a
# probe that matches output): killed with SIGKILL at every step boundary
# and in the middle of steps, then resumed, it ends as an uninterrupted run
# does; its exported script run twice does too; a stale plan is refused;
# undo gets back to the start; a destructive step without consent is
# refused; a second apply while one runs is refused by the lock.
. "${0%/*}/tap.sh"

WT=$XD_BUILDDIR/t/wiz-test
R=$T_TMP/tree
XD_TEST_MARK=mark-$$
XENDECK=$WT		# what an exported script runs as xendeck
export XD_TEST_MARK XENDECK
unset XENDECK_PLAN_CRASH

# seed DIR: the tree before the wizard.
seed() {
	rm -rf "$1"
	mkdir -p "$1/etc" "$1/victim"
	printf '127.0.0.1 localhost\n' >"$1/etc/hosts"
	printf 'old\n' >"$1/etc/obsolete"
	printf 'seed\n' >"$1/seed"
	printf 'data\n' >"$1/victim/file"
}
# fresh: a new tree at $R and a state directory of its own.
N=0
fresh() {
	N=$((N + 1))
	seed "$R"
	XENDECK_STATEDIR=$T_TMP/state$N
	export XENDECK_STATEDIR
}
# state DIR: every path with its type, mode, link target and content.
state() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | LC_ALL=C sort &&
	    find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
wiz() { run "$WT" wizard tree --set root="$R" "$@"; }
resume() { run "$WT" wizard tree --resume; }
crash() { # crash POINT ARGS...: apply, killed at POINT
	_p=$1; shift
	run env XENDECK_PLAN_CRASH="$_p" "$WT" wizard tree --set root="$R" \
	    "$@" --apply
}

fresh
START=$(state "$R")

# The uninterrupted run: the reference end state.
wiz --apply
is "$RC" 0 "an uninterrupted apply exits 0"
REF=$(state "$R")
is "$(cat "$R/srv/demo/op")" "mark-$$" \
    "a xendeck step runs this binary, with our environment"
is "$(cat "$R/srv/demo/stamp")" ok "the slow step wrote its stamp"
like "$OUT" '\| half' "its output is shown line by line as it comes"
is "$(cat "$R/etc/hosts")" "127.0.0.1 localhost
10.0.0.2 demo" "the edit is made"
is "$(cat "$R/etc/hosts.xendeck-bak")" "127.0.0.1 localhost" \
    "with the old content kept beside it"
ok "$( [ ! -e "$R/etc/obsolete" ] && [ "$(cat "$R/etc/obsolete.xendeck-bak")" = old ]; echo $?)" \
    "a removed file is kept as its backup"
is "$(stat -c %a "$R/srv/demo/config")" 640 "a new file gets its mode"
J=$(cat "$XENDECK_STATEDIR"/wizards/tree-*/journal.jsonl)
ok "$(printf '%s\n' "$J" | jq -e . >/dev/null; echo $?)" \
    "the journal is one JSON object per line"
is "$(printf '%s\n' "$J" | jq -r 'select(.event=="begin") | .id' | tr '\n' ' ')" \
    "mkdir config hosts stamp op link register obsolete " \
    "it records every step's beginning"
is "$(printf '%s\n' "$J" | jq -r 'select(.event=="end") | .outcome' | sort | uniq -c | awk '{printf "%s %s", $1, $2}')" \
    "8 ok" "and its end"
is "$(printf '%s\n' "$J" | jq -r 'select(.event=="finish") | .state')" done \
    "and the run's end"

# Again: every probe says done, nothing changes.
wiz --apply
is "$RC" 0 "applying again exits 0"
is "$(state "$R")" "$REF" "and changes nothing"
is "$(printf '%s\n' "$OUT" | grep -c 'already done')" 8 \
    "every step is skipped by its probe"

# Killed with SIGKILL at every step boundary and in the middle of steps,
# then resumed: the end state is the uninterrupted run's.
POINTS="begin:1 end:1 begin:2 end:2 begin:3 backup:3 end:3 begin:4 \
spawned:4 line:4 end:4 begin:5 spawned:5 line:5 end:5 begin:6 end:6 \
begin:7 end:7 begin:8 backup:8 end:8"
for p in $POINTS; do
	fresh
	crash "$p"
	if [ "$RC" -ne 137 ]; then
		fail "killed at $p (exit $RC)"
		diag "$ERR"
		continue
	fi
	resume
	if [ "$RC" -ne 0 ]; then
		fail "resumed after a kill at $p (exit $RC)"
		diag "$OUT" "$ERR"
		continue
	fi
	S=$(state "$R")
	if [ "$S" = "$REF" ]; then
		pass "killed at $p, resumed: the same end state"
	else
		fail "killed at $p, resumed: the same end state"
		diag "$(printf '%s\n' "$REF" >"$T_TMP/ref"; printf '%s\n' "$S" |
		    diff "$T_TMP/ref" - )"
	fi
done

# A record torn by a crash in the middle of its write is skipped, and the
# next record starts on a line of its own.
fresh
crash begin:4
printf '{"event":"end","step":3,"id":"st' >>"$XENDECK_STATEDIR"/wizards/tree-*/journal.jsonl
resume
is "$RC" 0 "a torn journal record is skipped on resume"
is "$(state "$R")" "$REF" "to the same end state"
is "$(grep -vc '^{"event":"end","step":3,"id":"st$' "$XENDECK_STATEDIR"/wizards/tree-*/journal.jsonl)" \
    "$(grep -v '^{"event":"end","step":3,"id":"st$' "$XENDECK_STATEDIR"/wizards/tree-*/journal.jsonl | jq -c . | wc -l)" \
    "every other line is whole JSON"

# Killed twice, resumed twice.
fresh
crash line:4
run env XENDECK_PLAN_CRASH=begin:7 "$WT" wizard tree --resume
is "$RC" 137 "a resumed run killed again"
resume
is "$RC" 0 "resumes again"
is "$(state "$R")" "$REF" "to the same end state"
like "$OUT" 'done earlier in this run' "saying which steps were done before"
is "$(grep -c 'tree-op: writing' "$R/srv/demo/op" 2>/dev/null; cat "$R/srv/demo/op")" \
    "0
mark-$$" "the operation ran once"
is "$(wc -l <"$R/srv/registry")" 1 "the registration ran once"

# The exported script, run twice.
fresh
wiz --export "$T_TMP/tree.sh"
is "$RC" 0 "--export exits 0"
is "$(state "$R")" "$START" "exporting changes nothing"
run sh "$T_TMP/tree.sh"
is "$RC" 0 "the exported script runs"
is "$(state "$R")" "$REF" "to the uninterrupted run's end state"
run sh "$T_TMP/tree.sh"
is "$RC" 0 "and runs again"
is "$(state "$R")" "$REF" "to the same state"
is "$(printf '%s\n' "$ERR" | grep -c 'already done')" 8 \
    "every step skipped the second time"
fresh
wiz --set purge=yes --set wipe="$R/victim" --export "$T_TMP/purge.sh"
run sh "$T_TMP/purge.sh"
is "$RC" 2 "an exported script that destroys data refuses without --yes"
like "$ERR" "destroys $R/victim \(step 8\)" "naming it"
is "$(state "$R")" "$START" "having changed nothing"
run sh "$T_TMP/purge.sh" --yes
ok "$( [ "$RC" = 0 ] && [ ! -e "$R/victim" ]; echo $?)" "with --yes it does"

# A stale plan is refused, saying what changed.
fresh
crash begin:4
printf 'changed\n' >"$R/seed"
resume
is "$RC" 1 "a stale plan is refused"
like "$ERR" "stale.*$R/seed: was '[0-9a-f]{64}', now '[0-9a-f]{64}'" \
    "saying what changed"
like "$ERR" "--undo" "and what to do"
run "$WT" wizard tree --undo
is "$RC" 0 "the stale run is undone"
seed "$T_TMP/expect"
printf 'changed\n' >"$T_TMP/expect/seed"
is "$(state "$R")" "$(state "$T_TMP/expect")" "back to the start"
# A fact a begun step changes is not compared; one it does not is.
fresh
crash end:3
resume
is "$RC" 0 "a fact changed by a step that began is not compared"
fresh
crash end:2
printf '10.0.0.9 other\n' >>"$R/etc/hosts"
resume
is "$RC" 1 "a fact changed before its step began is"
like "$ERR" "$R/etc/hosts: was" "and named"
run "$WT" wizard tree --undo

# Undo gets back to the start.
fresh
wiz --apply
run "$WT" wizard tree --undo
is "$RC" 0 "--undo exits 0"
is "$(state "$R")" "$START" "and gets back to the start"
like "$OUT" "undone: put back $R/etc/hosts" "putting files back"
run "$WT" wizard tree --undo
is "$RC" 1 "nothing left to undo"
like "$ERR" "no run of tree to undo" "says so"
fresh
crash line:4
run "$WT" wizard tree --undo
is "$RC" 0 "an interrupted run is undone"
is "$(state "$R")" "$START" "back to the start (the killed step's work too)"
# An undo killed half-way finishes with --undo; --resume refuses it.
fresh
wiz --apply
run env XENDECK_PLAN_CRASH=undo:5 "$WT" wizard tree --undo
is "$RC" 137 "an undo killed half-way"
resume
is "$RC" 1 "cannot be resumed"
like "$ERR" "undo of tree-[0-9-]+ began and did not finish: finish it with --undo" \
    "saying to finish the undo"
run "$WT" wizard tree --undo
is "$RC" 0 "--undo again finishes it"
is "$(state "$R")" "$START" "back to the start"
fresh
wiz --apply
printf '# mine\n' >>"$R/etc/hosts"
run "$WT" wizard tree --undo
is "$RC" 1 "undo refuses to put back a file changed since"
like "$ERR" "undo of step 3 \(hosts\) failed: $R/etc/hosts changed since the wizard wrote it" \
    "naming it"
like "$(cat "$R/etc/hosts")" '# mine' "and leaves it as it is"

# Consent.
fresh
wiz --set purge=yes --apply
is "$RC" 2 "a destructive step without consent: exit 2"
like "$ERR" "destroys $R/victim; name each in the answers \(wipe=$R/victim" \
    "naming what it destroys and the answer"
is "$(state "$R")" "$START" "nothing changed"
wiz --set purge=yes --set wipe="$R/victim" --apply
is "$RC" 2 "named but without --yes: refused"
like "$ERR" "give --yes" "saying so"
wiz --set purge=yes --set wipe="$R/other" --apply --yes
is "$RC" 2 "--yes naming something else: refused"
wiz --set purge=yes --set wipe="/x,$R/victim" --apply --yes
is "$RC" 0 "named and --yes: applied"
ok "$( [ ! -e "$R/victim" ]; echo $?)" "the victim is gone"

# One wizard at a time.
fresh
mkfifo "$T_TMP/gate"
"$WT" wizard tree --set root="$R" --set gate="$T_TMP/gate" --apply \
    >"$T_TMP/bg.out" 2>&1 &
BG=$!
wait_for 30 sh -c "grep -q '\"id\":\"gate\"' $XENDECK_STATEDIR/wizards/*/journal.jsonl"
wiz --apply
is "$RC" 1 "a second apply while one runs is refused"
like "$ERR" "another wizard run is in progress \(tree-[0-9-]+, pid $BG\)" \
    "by the lock, naming the run"
run "$WT" wizard
like "$OUT" "tree-[0-9-]+  running" "the list shows it running"
echo go >"$T_TMP/gate"
wait $BG
is "$?" 0 "the first apply goes on"
is "$(state "$R")" "$REF" "to the end"

# An unfinished run blocks a new apply, and is listed.
fresh
crash end:2
wiz --apply
is "$RC" 1 "an apply is refused while an unfinished run exists"
like "$ERR" "unfinished run of tree exists .*--resume.*--undo" \
    "saying how to resume or undo it"
run "$WT" wizard
like "$OUT" "interrupted, 2 of 8 steps done \(at hosts\)" \
    "the list shows the interrupted run"
resume

# A failed step: exit 1 naming it and the tail of its output; --resume.
fresh
wiz --set need="$T_TMP/allow" --apply
is "$RC" 1 "a failed step exits 1"
like "$ERR" "step 5 \(need\) failed: sh: exit 3" "naming the step"
like "$ERR" "\| $T_TMP/allow is missing" "and the tail of its output"
touch "$T_TMP/allow"
resume
is "$RC" 0 "fixed, it resumes"
is "$(state "$R")" "$REF" "to the end"

# Killed in a step that has no probe (and is not safe to repeat): the
# resume cannot tell whether it took effect, says so, and runs it on the
# next --resume.
fresh
crash begin:5 --set need="$T_TMP/allow"
resume
is "$RC" 1 "a step with no probe, interrupted, is not run again blindly"
like "$ERR" "step 5 \(need\) failed: it was interrupted, and it has no probe" \
    "saying why"
resume
is "$RC" 0 "the next --resume runs it"
is "$(state "$R")" "$REF" "to the end"

done_testing
