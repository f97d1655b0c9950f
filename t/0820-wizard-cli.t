#!/bin/sh
# The `xendeck wizard` CLI contract (issue 13): the list, --plan (the
# default), --plan --json, --export, --apply [--yes], --resume, --undo,
# --json event lines, --help, answers from a YAML file and --set, and the
# exit codes (0 done, 1 a failed step naming it and the tail of its
# output, 2 bad input in one line naming the key). The xendeck binary for
# what it has (the list, host-check); t/wiz-test, which runs the same
# command code on a test wizard of real commands, for the plan wizards.
. "${0%/*}/tap.sh"

WT=$XD_BUILDDIR/t/wiz-test
R=$T_TMP/tree
XENDECK_STATEDIR=$T_TMP/state
XD_TEST_MARK=cli
export XENDECK_STATEDIR XD_TEST_MARK
unset XENDECK_PLAN_CRASH
mkdir -p "$R/etc" "$R/victim"
printf '127.0.0.1 localhost\n' >"$R/etc/hosts"
printf 'old\n' >"$R/etc/obsolete"
wiz() { run "$WT" wizard tree "$@"; }
# one_line TEXT: it is exactly one line
one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ]; }

# The list, from the real binary.
run "$XENDECK" wizard
is "$RC" 0 "xendeck wizard exits 0"
like "$(printf '%s\n' "$OUT" | head -1)" '^host-check  +check that this machine' \
    "and lists host-check first, one line each"
run "$XENDECK" wizard --json
is "$(printf '%s\n' "$OUT" | jq -r '.wizards[0].name, .wizards[0].read_only')" \
    "host-check
true" "--json lists them as JSON"
run "$XENDECK" help wizard
like "$OUT" '^usage: xendeck wizard \[NAME \[--answers FILE\] \[--set KEY=VALUE\]\.\.\. \[--plan \| --export FILE \| --apply \[--yes\] \| --resume \| --undo\] \[--json\]\]' \
    "help wizard gives the contract's usage"
run "$XENDECK" wiz
is "$RC" 0 "an unambiguous prefix runs it"
run "$XENDECK" wizard no-such
is "$RC" 2 "an unknown wizard exits 2"
like "$ERR" '^xendeck: unknown wizard: no-such' "and says so"
run "$XENDECK" wizard host-check --help
is "$RC" 0 "host-check --help exits 0"
like "$OUT" "Exit status: 0 every check passed, 1 some check failed, 3 only warnings" \
    "and explains it"
run "$XENDECK" wizard host-check --apply
is "$RC" 2 "host-check --apply: exit 2"
like "$ERR" "read-only" "host-check is read-only"
run "$XENDECK" wizard host-check --set colour=red
is "$RC" 2 "an unknown key: exit 2"
ok "$(one_line "$ERR"; echo $?)" "in one line"
like "$ERR" "^xendeck: colour: unknown field of the host-check wizard" \
    "naming the key"

# --plan is the default and changes nothing.
wiz --set root="$R"
is "$RC" 0 "a plan exits 0"
like "$OUT" "^Wizard tree: tree demo in $R" "titled"
like "$OUT" "  4\. A slow step that prints  \[stamp\]" "numbered steps"
like "$OUT" "\\\$ sh -c 'echo start; sleep 0\.1; echo half; sleep 0\.1; printf ok >\"\\\$1\"; echo end' sh $R/srv/demo/stamp" \
    "exact shell-quoted commands"
like "$OUT" "^     \+10\.0\.0\.2 demo" "a diff of each file edit"
like "$OUT" "Nothing has changed" "saying nothing changed"
ok "$( [ ! -e "$R/srv" ] && [ ! -d "$XENDECK_STATEDIR/wizards" ] ||
    [ -z "$(ls "$XENDECK_STATEDIR/wizards" 2>/dev/null | grep -v lock)" ];
    echo $?)" "and nothing did"
wiz --set root="$R" --plan
is "$RC" 0 "--plan too"
wiz --set root="$R" --plan --json
is "$RC" 0 "--plan --json exits 0"
is "$(printf '%s\n' "$OUT" | jq -r '.wizard, (.steps | length), .steps[0].command, .steps[0].probe.argv[0]')" \
    "tree
8
mkdir -p $R/srv/demo
test" "the plan as JSON, with commands"
like "$(printf '%s\n' "$OUT" | jq -r '.steps[2].diff')" '^\+10\.0\.0\.2 demo$' \
    "and diffs"

# --help shows the fields.
wiz --help
is "$RC" 0 "NAME --help exits 0"
like "$OUT" "^  root +The throwaway tree \(required\)" "a field's key and prompt"
like "$OUT" "^ +default: demo" "its default"
like "$OUT" "^ +choices: no yes" "its choices"
like "$OUT" "^ +Everything happens under it\." "its explanation"
like "$OUT" "Makes a few files under ROOT\." "and the guide text"

# Bad input: exit 2, one line naming the key.
for bad in "--set bogus=1|bogus: unknown field of the tree wizard" \
    "--set name=a%b|name: 'a b' is not a name" \
    "--set purge=maybe|purge: 'maybe' is not one of no, yes" \
    "--set noequals|noequals: not KEY=VALUE"; do
	arg=$(printf '%s' "${bad%%|*}" | tr % ' ')
	want=${bad#*|}
	wiz --set root="$R" --set "${arg#--set }"
	if [ "$RC" = 2 ] && one_line "$ERR" &&
	    printf '%s\n' "$ERR" | grep -qF "xendeck: $want"; then
		pass "$arg: exit 2, one line naming the key"
	else
		fail "$arg: exit 2, one line naming the key"
		diag "exit $RC" "$ERR"
	fi
done
wiz
is "$RC" 2 "a missing required field: exit 2"
is "$ERR" "xendeck: root: required (The throwaway tree)" "one line naming it"
wiz --set root="$R" --plan --apply
is "$RC" 2 "two modes: exit 2"
wiz --set root="$R" --yes
is "$RC" 2 "--yes without --apply: exit 2"

# The answers file (YAML), and --set over it.
cat >"$T_TMP/a.yaml" <<EOF
root: $R
name: web
wipe: [a, b]
EOF
wiz --answers "$T_TMP/a.yaml"
is "$RC" 0 "an answers file"
like "$OUT" "^Wizard tree: tree web in $R" "gives the answers"
like "$OUT" "^  wipe=a,b$" "a list becomes one comma-separated value"
wiz --answers "$T_TMP/a.yaml" --set name=db
like "$OUT" "^Wizard tree: tree db" "--set wins over the file"
printf 'root: /x\nbogus: 1\n' >"$T_TMP/b.yaml"
wiz --answers "$T_TMP/b.yaml"
is "$RC" 2 "an unknown key in the file: exit 2"
is "$ERR" "xendeck: $T_TMP/b.yaml:2:1: bogus: unknown field of the tree wizard" \
    "FILE:LINE:COL and the key"
printf 'root: [unclosed\n' >"$T_TMP/c.yaml"
wiz --answers "$T_TMP/c.yaml"
is "$RC" 2 "bad YAML: exit 2"
like "$ERR" "^xendeck: $T_TMP/c.yaml:[0-9]+:[0-9]+: " "with FILE:LINE:COL"
wiz --answers "$T_TMP/missing.yaml"
is "$RC" 2 "a missing answers file: exit 2"

# --export FILE and --export -.
wiz --set root="$R" --export "$T_TMP/x.sh"
is "$RC" 0 "--export FILE exits 0"
like "$(head -1 "$T_TMP/x.sh")" '^#!/bin/sh$' "and writes a sh script"
wiz --set root="$R" --export -
like "$OUT" 'set -eu' "--export - prints it"

# --apply --json: one JSON object per event per line.
wiz --set root="$R" --apply --json
is "$RC" 0 "--apply --json exits 0"
ok "$(printf '%s\n' "$OUT" | jq -e -c . >/dev/null; echo $?)" \
    "every line is a JSON object"
is "$(printf '%s\n' "$OUT" | jq -r .event | sort | uniq -c | awk '{printf "%s %s ", $1, $2}')" \
    "8 begin 8 end 4 output 1 result " "begin, output, end, result events"
is "$(printf '%s\n' "$OUT" | tail -1 | jq -c '[.event, .status, .exit, (.run | test("^tree-")), .reboot]')" \
    '["result","done",0,true,true]' "the last line is the result (a step needs a reboot)"
is "$(printf '%s\n' "$OUT" | jq -r 'select(.event=="output" and .line=="half") | "\(.step) \(.stream)"')" \
    "4 stdout" "output lines as they come, with their step"
is "$(printf '%s\n' "$OUT" | jq -r 'select(.event=="begin" and .step==1) | "\(.total) \(.id) \(.command)"')" \
    "8 mkdir mkdir -p $R/srv/demo" "begin: step, total, id, command"
run "$WT" wizard tree --undo --json
is "$(printf '%s\n' "$OUT" | tail -1 | jq -r .status)" undone "--undo --json"
is "$(printf '%s\n' "$OUT" | jq -r 'select(.event=="end") | .outcome' | sort -u)" \
    undone "every step undone"

# A failed step: exit 1, naming it and the tail of its output.
wiz --set root="$R" --set need="$T_TMP/allow" --apply
is "$RC" 1 "a failed step exits 1"
like "$ERR" "^xendeck: step 5 \(need\) failed: sh: exit 3" "naming the step"
like "$ERR" "  \| checking $T_TMP/allow" "with the tail of its output"
like "$ERR" "  \| $T_TMP/allow is missing" "both streams"
like "$OUT" "\[5/9\] Check the needed file" "the steps before it shown"
unlike "$OUT" "Reboot" "no reboot asked for before the step that needs it"
run "$WT" wizard tree --resume --json
is "$RC" 1 "resuming before the fix fails again"
is "$(printf '%s\n' "$OUT" | tail -1 | jq -c '[.status, .exit, (.error | test("step 5 \\(need\\) failed"))]')" \
    '["failed",1,true]' "its JSON result says why"
touch "$T_TMP/allow"
run "$WT" wizard tree --resume
is "$RC" 0 "fixed, --resume exits 0"
like "$OUT" "Reboot for the change to take effect" "and asks for the reboot a step needs"
like "$OUT" "\[1/9\] Make the directory
 +\\\$ mkdir -p $R/srv/demo
 +ok: done earlier in this run" "the steps done before are reported so"
run "$WT" wizard tree --undo
is "$RC" 0 "--undo exits 0"

# Consent: exit 2 without it (--json: a refused result).
wiz --set root="$R" --set purge=yes --apply --yes --json
is "$RC" 2 "a destructive step without its answer: exit 2"
is "$(printf '%s\n' "$OUT" | jq -r '.status')" refused "refused, in JSON"

# A wizard's extra actions are --ACTION.
wiz --set root="$R" --poke
is "$RC:$(cat "$R/poked")" "0:poke" "--ACTION runs the wizard's action"
like "$OUT" "tree: --poke done" "and says so"
wiz --set root="$R" --poke --apply
is "$RC" 2 "an action and a mode: exit 2"
wiz --help
like "$OUT" "^Actions: --poke" "--help lists the actions"

# The list shows half-done runs with what to do.
env XENDECK_PLAN_CRASH=end:3 "$WT" wizard tree --set root="$R" --apply \
    >/dev/null 2>&1
run "$WT" wizard
like "$OUT" "Unfinished runs:
  tree-[0-9-]+  interrupted, 3 of 8 steps done \(at stamp\)
    xendeck wizard tree --resume, or --undo" "the list shows the half-done run"
run "$WT" wizard --json
is "$(printf '%s\n' "$OUT" | jq -r '.runs[0] | "\(.state) \(.done)/\(.total) \(.step) \(.unfinished)"')" \
    "interrupted 3/8 stamp true" "and in JSON"
run "$WT" wizard tree --undo

done_testing
