#!/bin/sh
# The wizard view in the console (issue 13, "The console"), driven through
# tmux: w opens the Wizards menu; the read-only host-check shows its checks
# (PASS/WARN/FAIL with the fix), the same ones the CLI gives; a bad value
# is named beside its field as it is typed, and plan and apply are refused
# while it stands; the storage wizard makes a directory pool from the view
# (plan, apply as a job with a bar per step) and the volume wizard an image
# in it, its pool picked from the wizard's candidates and its action from
# its choices, both checked on disk; the image is walked back with undo;
# its removal, a destructive step, needs its name typed, and a wrong name
# changes nothing; `:wizard NAME --plan` still runs as a job.
. "${0%/*}/tap.sh"
. "${0%/*}/tui.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed (scripts/bootstrap)"
command -v qemu-img >/dev/null 2>&1 || skip_all "qemu-img not installed"
XENDECK_STATEDIR=$T_TMP/state
XENDECK_RUNDIR=$T_TMP/run
XENDECK_LOGDIR=$T_TMP/log
XENDECK_XEN_DIR=$T_TMP/xen
export XENDECK_STATEDIR XENDECK_RUNDIR XENDECK_LOGDIR XENDECK_XEN_DIR
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR" "$XENDECK_XEN_DIR" "$T_TMP/lvm"
# lvm2 sees no device: the host's volume groups (and other tests' on
# loop devices) are no pool of this test's.
printf 'devices { filter = [ "r|.*|" ] obtain_device_list_from_udev = 0 }\n' \
    >"$T_TMP/lvm/lvm.conf"
LVM_SYSTEM_DIR=$T_TMP/lvm
export LVM_SYSTEM_DIR
POOL=$T_TMP/pool
status() { tui_screen | tail -n 1; }
# field PROMPT: the form's line of that field.
field() { tui_screen | grep -E "^[> ] $1 " | head -n 1; }

tui_start "XENDECK_STATEDIR=$XENDECK_STATEDIR" \
    "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_XEN_DIR=$XENDECK_XEN_DIR" "LVM_SYSTEM_DIR=$LVM_SYSTEM_DIR" --
tui_wait '1 Domains' 15; ok $? "the console opens"

# 1. The menu and the read-only host-check.
tui_keys w
tui_wait 'Wizards: the guide.s steps' 5; ok $? "w opens the Wizards menu"
like "$(tui_screen)" '^ ?[> ] host-check +check that this machine' "it lists host-check with its summary"
like "$(tui_screen)" '  storage  +set up a pool' "and storage"
like "$(tui_screen)" 'Runs left half-done: none' "and says no run is left half-done"
tui_keys Enter
tui_wait '[0-9]+ checks: [0-9]+ passed, [0-9]+ warnings, [0-9]+ failed' 30
ok $? "Enter on host-check shows its checks and their count"
run "$XENDECK" wizard host-check --json
n=$(printf '%s\n' "$OUT" | jq length)
like "$(tui_screen)" "^ $n checks: " "as many as the CLI's ($n)"
c=$(printf '%s\n' "$OUT" | jq -r '.[] | select(.check == "64-bit") | .status')
like "$(tui_screen)" "^ $c +64-bit " "64-bit is $c, as the CLI says"
w=$(printf '%s\n' "$OUT" | jq -r '[.[] | select(.status != "PASS" and .fix != null)][0].fix')
if [ -n "$w" ] && [ "$w" != null ]; then
	like "$(tui_screen)" "fix: $(printf '%s' "$w" | cut -c1-30 | sed 's/[][\.*^$()+?{}|]/\\&/g')" \
	    "a check that did not pass shows its fix"
else
	ok 0 "every check passed: no fix to show"
fi
tui_keys Escape
tui_wait 'Wizards: the guide.s steps' 5; ok $? "Esc goes back to the menu"

# 2. Validation in place: a relative directory named beside its field.
tui_keys Escape : ; tui_type "wizard storage"; tui_keys Enter
tui_wait 'Wizard storage: ' 5; ok $? ":wizard storage opens the storage wizard's form"
tui_wait 'Directory for image files' 5
like "$(tui_screen)" 'The guide.s step' "the guide's text is beside the form"
tui_keys j j j
tui_wait '\[dir\]' 3; ok $? "the focused field's explanation shows (dir)"
like "$(tui_screen)" 'A directory pool: guests' "with its text"
tui_keys Enter; tui_type "rel/pool"
tui_wait "✗ dir: 'rel/pool' is not an absolute path" 3
ok $? "as it is typed, a relative path is named beside the field"
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tui_type "/abs"
tui_gone "is not an absolute path" 3; ok $? "and the complaint goes once the path is absolute"
tui_keys C-u; tui_type "rel/pool"; tui_keys Enter
tui_wait "✗ dir: 'rel/pool' is not an absolute path" 3
ok $? "entered, the value stays named as wrong"
tui_keys A
tui_wait "not applied: dir: 'rel/pool' is not an absolute path" 3
ok $? "apply is refused, naming the field"
like "$(tui_screen)" '\[form\]' "and the view stays on the form"
tui_keys p
tui_wait "not planned: dir: 'rel/pool'" 3; ok $? "so is the plan"
ok "$([ ! -e "$XENDECK_STATEDIR/wizards" ] || [ -z "$(ls "$XENDECK_STATEDIR/wizards")" ]; echo $?)" \
    "no run was made"

# 3. The storage wizard applied from the view: a directory pool, its path
# typed with file completion.
mkdir "$T_TMP/complete-me"
tui_keys e C-u; tui_type "$T_TMP/complete-m"; tui_keys Tab
tui_wait "\(dir; empty: the default\): $T_TMP/complete-me" 3
ok $? "Tab completes a path"
tui_keys C-u; tui_type "$POOL"; tui_keys Enter
tui_gone "is not an absolute path" 3; ok $? "a good directory"
tui_keys p
tui_wait 'Plan: directory pool ' 15; ok $? "p shows the plan"
like "$(tui_screen)" "1\\. Create the directory $POOL +\\[mkdir\\]" "its numbered steps"
like "$(tui_screen)" "\\\$ mkdir -p -m 0700 $POOL" "the exact command"
like "$(tui_screen)" "\\+$POOL\$" "and the diff of the pools file"
like "$(tui_screen)" "undo: rmdir $POOL" "and what undoes it"
ok "$([ ! -e "$POOL" ]; echo $?)" "nothing is made yet"
tui_keys A
tui_wait "Done: storage, run storage-" 20; ok $? "A applies it as a job"
like "$(tui_screen)" '2 of 2 steps' "the bar counts both steps"
like "$(tui_screen)" " 1\\. Create the directory $POOL .* done " "step 1 done"
like "$(tui_screen)" " 2\\. List $POOL as a pool.* done " "step 2 done"
like "$(tui_screen)" '\[ Undo \(U\) \]' "the result offers undo"
is "$(stat -c %a "$POOL" 2>/dev/null)" 700 "the pool directory exists, mode 0700"
like "$(cat "$XENDECK_STATEDIR/pools" 2>/dev/null)" "^$POOL\$" "and is listed as a pool"
run "$XENDECK" wizard --json
is "$(printf '%s\n' "$OUT" | jq -r '.runs[0].state')" done "the journal says the run is done"

# 4. The volume wizard: the pool from its candidates, the action from its
# choices, a name and a size typed.
tui_keys : ; tui_type "wizard volume"; tui_keys Enter
tui_wait 'Wizard volume: ' 5; ok $? ":wizard volume opens its form"
tui_wait '1 candidate: Enter picks one' 15
ok $? "its pool field has a candidate (the directory pool)"
tui_keys Enter
tui_wait 'pool: pick one' 3; ok $? "Enter opens the picker"
like "$(tui_screen)" ">  $POOL " "which lists the pool, selected"
tui_keys Enter
tui_wait "Pool \\(volume group, or image directory\\) +$POOL" 3
ok $? "Enter picks it"
tui_keys j Enter
tui_wait 'action: pick one' 3; ok $? "the action's choices in the picker"
like "$(tui_screen)" '  snapshot' "snapshot among them"
tui_keys Enter
tui_wait 'What to do +create' 3; ok $? "create picked"
tui_keys j Enter; tui_type disk1; tui_keys Enter
tui_keys j Enter; tui_type 64M; tui_keys Enter
tui_wait 'Size .* 64M' 3; ok $? "name and size typed"
tui_keys p
tui_wait "qemu-img create -q -f raw $POOL/disk1.img 64M" 15
ok $? "the plan shows the qemu-img command"
tui_keys A
tui_wait "Done: volume, run volume-" 20; ok $? "applied from the view"
is "$(stat -c %s "$POOL/disk1.img" 2>/dev/null)" 67108864 "the image exists, 64 MiB"

# Undo from the result.
tui_keys U
tui_wait 'Undo the newest run of volume' 3; ok $? "U asks first"
tui_type y; tui_keys Enter
tui_wait 'Undone: volume is back as it was' 20; ok $? "and walks the run back"
ok "$([ ! -e "$POOL/disk1.img" ]; echo $?)" "the image is gone"

# 5. A destructive step: its name is typed, or nothing happens.
"$XENDECK" wizard volume --set pool="$POOL" --set action=create \
    --set name=disk2 --set size=8M --apply >/dev/null 2>&1
ok "$([ -f "$POOL/disk2.img" ]; echo $?)" "a second image, made by the CLI"
tui_keys : ; tui_type "wizard volume --set pool=$POOL --set action=remove --set name=disk2"
tui_keys Enter
tui_wait 'Wizard volume: ' 5
tui_wait 'Volume name +disk2' 5; ok $? ":wizard NAME --set ... opens the form pre-filled"
tui_keys p
tui_wait 'DESTRUCTIVE: destroys disk2' 15; ok $? "the plan says what its step destroys"
tui_keys A
tui_wait 'destroys disk2: type disk2 to consent:' 3; ok $? "apply asks for its name"
tui_type disk3; tui_keys Enter
tui_wait 'not applied: what was typed does not name' 3; ok $? "a wrong name: not applied"
ok "$([ -f "$POOL/disk2.img" ]; echo $?)" "and the image is still there"
tui_keys A
tui_wait 'type disk2 to consent:' 3
tui_type disk2; tui_keys Enter
tui_wait 'Done: volume' 20; ok $? "the right name: applied"
ok "$([ ! -e "$POOL/disk2.img" ]; echo $?)" "the image is removed"

# 6. With an action, :wizard is the CLI's, as a job.
tui_keys : ; tui_type "wizard volume --set pool=$POOL --set action=create --set name=x --set size=1M --plan"
tui_keys Enter
tui_wait "qemu-img create -q -f raw $POOL/x.img 1M" 15
ok $? ":wizard ... --plan runs the CLI's plan as a job and shows its output"

tui_keys q
tui_gone 'qemu-img create -q' 3
tui_keys q
tui_wait 'XD-EXITED 0' 5; ok $? "q quits"
done_testing
