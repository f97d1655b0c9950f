#!/bin/sh
# A run of a wizard left half-done, seen and resumed from the console
# (issue 13: "a wizard left half-done shows in the menu with resume"),
# with the storage wizard on a loop device through real lvm2 (metadata
# only: this kernel has no device-mapper; a private LVM_SYSTEM_DIR whose
# filter sees our loop device alone, and whose lock directory is ours).
#
# The device holds an ext4 file system: the plan is refused until wipe=
# names it, and the refusal is drawn beside the wipe field; the name typed
# there gives a plan with the destructive wipefs step, and apply asks for
# it to be typed again. vgcreate is held at lvm2's own lock (the test takes
# the new VG's lock shared, as a reader would), and the apply is killed
# with SIGKILL from outside while it waits. The menu then shows the run
# interrupted at vgcreate with 2 of 3 steps done; the lock is let go and
# the run resumed from the menu: the console draws its steps as it goes
# and the volume group ends up made on the device. Before that, a resume
# while lvm2 is still locked is cancelled from the view (x), and the run
# stays half-done.
. "${0%/*}/tap.sh"
. "${0%/*}/tui.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (loop devices)"
command -v pvcreate >/dev/null 2>&1 || skip_all "lvm2 not installed"
command -v flock >/dev/null 2>&1 || skip_all "flock not installed"
[ -w /dev/loop-control ] || skip_all "no loop devices"
XENDECK_STATEDIR=$T_TMP/state
XENDECK_RUNDIR=$T_TMP/run
XENDECK_LOGDIR=$T_TMP/log
XENDECK_XEN_DIR=$T_TMP/xen
export XENDECK_STATEDIR XENDECK_RUNDIR XENDECK_LOGDIR XENDECK_XEN_DIR
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR" "$XENDECK_XEN_DIR" \
    "$T_TMP/lvm" "$T_TMP/lock"
VG=xdw$$vg
L=
HOLDER=
cleanup() {
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
	if [ -n "$L" ]; then
		vgremove -q -f "$VG" >/dev/null 2>&1
		pvremove -q -f "$L" >/dev/null 2>&1
		losetup -d "$L" 2>/dev/null
	fi
	return 0
}
at_exit cleanup
truncate -s 64M "$T_TMP/disk.img"
L=$(losetup -f --show "$T_TMP/disk.img") || skip_all "no free loop device"
cat >"$T_TMP/lvm/lvm.conf" <<EOF
global { activation = 0 locking_dir = "$T_TMP/lock" }
devices {
	filter = [ "a|^$L\$|", "r|.*|" ]
	obtain_device_list_from_udev = 0
}
EOF
LVM_SYSTEM_DIR=$T_TMP/lvm
export LVM_SYSTEM_DIR
mkfs.ext4 -q -L data "$L"

# The wizard's apply, in the console's child (found by its environment).
wizard_pid() {
	for p in $(pgrep -f -- 'wizard storage --answers /dev/stdin --apply'); do
		if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
		    grep -qx "XENDECK_STATEDIR=$XENDECK_STATEDIR"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

tui_start "XENDECK_STATEDIR=$XENDECK_STATEDIR" \
    "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_XEN_DIR=$XENDECK_XEN_DIR" "LVM_SYSTEM_DIR=$LVM_SYSTEM_DIR" --
tui_wait '1 Domains' 15; ok $? "the console opens"

tui_keys : ; tui_type "wizard storage"; tui_keys Enter
tui_wait '[0-9]+ candidates?: Enter picks one' 15
ok $? "the device field has candidates (lsblk, wipefs)"
tui_keys Enter
tui_wait 'device: pick one' 3; ok $? "the picker lists them"
like "$(tui_screen)" "$L +64\\.0 MiB +loop +ext4 'data'" \
    "$L with its size and what is on it"
# Select our loop device, then pick it.
n=0
while ! tui_screen | grep -q "^.*>  $L "; do
	tui_keys j; n=$((n + 1)); [ $n -gt 40 ] && break; sleep 0.1
done
tui_keys Enter
tui_wait "Disk or partition for LVM +$L" 3; ok $? "Enter picks $L"
tui_keys j Enter; tui_type "$VG"; tui_keys Enter
tui_wait "Volume group name +$VG" 3; ok $? "the volume group's name typed"
tui_keys p
tui_wait "✗ wipe: $L holds ext4 'data': to erase it" 15
ok $? "the plan is refused, the reason drawn beside the wipe field"
like "$(tui_screen)" "> Erase what is on this device" "and that field is selected"
tui_keys Enter
tui_wait 'type the name of what it erases' 3
ok $? "Enter on a consent field asks for the name typed (no picker)"
tui_type "$L"; tui_keys Enter
tui_keys p
tui_wait "Plan: volume group $VG on $L" 15; ok $? "now the plan"
like "$(tui_screen)" "1\\. Erase the signatures on $L \\(ext4 'data'\\)" "its first step wipes"
like "$(tui_screen)" "DESTRUCTIVE: destroys $L" "and says what it destroys"
like "$(tui_screen)" "\\\$ wipefs -a $L" "with the command"
like "$(tui_screen)" "\\\$ vgcreate $VG $L" "then vgcreate"

# Hold vgcreate at the VG's lock, then apply.
mkfifo "$T_TMP/gate"
flock -s "$T_TMP/lock/V_$VG" cat "$T_TMP/gate" >/dev/null &
HOLDER=$!
tui_keys A
tui_wait "destroys $L: type $L to consent:" 3; ok $? "apply asks for the device's name"
tui_type "$L"; tui_keys Enter
tui_wait " 3\\. Create the volume group $VG on $L .* running " 30
ok $? "the apply runs: steps 1 and 2 done, vgcreate running"
like "$(tui_screen)" " 1\\. Erase the signatures .* done " "wipefs done"
like "$(tui_screen)" " 2\\. Make $L an LVM physical volume .* done " "pvcreate done"
like "$(tui_screen)" "2 of 3 steps" "the bar says 2 of 3"
pid=$(wizard_pid); ok $? "the apply's process is found ($pid)"
kill -9 "$pid"
tui_wait "Stopped at step 3 \\(vgcreate\\)" 10
ok $? "killed with SIGKILL: the view says where it stopped"
like "$(tui_screen)" "interrupted" "vgcreate is interrupted"
like "$(tui_screen)" '\[ Resume \(R\) \]' "resume is offered"

tui_keys Escape w
tui_wait 'Runs left half-done' 5; ok $? "w: the menu"
tui_wait "storage +interrupted +2 of 3 steps done \\(at vgcreate\\)" 5
ok $? "it shows the run interrupted, 2 of 3 steps done, at vgcreate"
like "$(tui_screen)" "storage-[0-9]+-[0-9]+-$pid" "named by its run id"

# A console started now says so at once.
tui_keys q
tui_wait 'XD-EXITED 0' 5; ok $? "q quits"
tui_start "XENDECK_STATEDIR=$XENDECK_STATEDIR" \
    "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_XEN_DIR=$XENDECK_XEN_DIR" "LVM_SYSTEM_DIR=$LVM_SYSTEM_DIR" --
tui_wait 'wizard storage: a run is left half-done \(interrupted, 2 of 3 steps\): w resumes or undoes it' 15
ok $? "a new console's status line says a run is left half-done"
tui_keys w
tui_wait "storage +interrupted +2 of 3 steps done \\(at vgcreate\\)" 5

# A resume while vgcreate still waits, cancelled from the view.
n=0
while [ $n -lt 12 ]; do
	tui_keys j; n=$((n + 1))
done
tui_wait "^> +storage +interrupted" 3; ok $? "the run selected"
tui_keys r
tui_wait "Resuming storage: volume group $VG on $L" 5
ok $? "r resumes it: the wizard view draws the run"
like "$(tui_screen)" "0 of 3 steps" "its steps as saved, none done yet"
# lvm2 is locked: reading the facts again waits, as the killed run's
# vgcreate does.
sleep 1
tui_keys x
tui_wait 'Cancel the run\? It stops mid-way' 3; ok $? "x asks first"
tui_type y; tui_keys Enter
tui_wait "Not done: cancelled: the run stopped where it was" 15
ok $? "cancelled: the view says so"
like "$(tui_screen)" '\[ Resume \(R\) \] \[ Undo \(U\) \]' "and offers resume and undo"
tui_keys Escape w
tui_wait "storage +interrupted +2 of 3 steps done \(at vgcreate\)" 5
ok $? "the menu shows it half-done still"

# Let vgcreate go, and resume from the menu.
echo go >"$T_TMP/gate"
wait "$HOLDER" 2>/dev/null
HOLDER=
n=0
while [ $n -lt 12 ]; do
	tui_keys j; n=$((n + 1))
done
tui_wait "^> +storage +interrupted" 3
tui_keys Enter
tui_wait "Resuming storage: volume group $VG on $L" 5
ok $? "Enter on the run resumes it in the wizard view"
tui_wait "Done: storage" 30; ok $? "the resumed run finishes"
like "$(tui_screen)" "3 of 3 steps" "3 of 3 steps"
like "$(tui_screen)" " 1\\. Erase the signatures .* done earlier" \
    "the steps done before are said so"
run vgs --noheadings -o vg_name,pv_count "$VG"
like "$OUT" "^ *$VG +1\$" "the volume group exists, on one PV"
run pvs --noheadings -o pv_name,vg_name "$L"
like "$OUT" "^ *$L +$VG\$" "and that PV is $L"
run "$XENDECK" wizard --json
is "$(printf '%s\n' "$OUT" | jq -r '.runs[0].state')" done "the journal says the run is done"
tui_keys w
tui_wait 'Runs left half-done: none' 5; ok $? "the menu has nothing half-done now"

tui_keys q
tui_wait 'XD-EXITED 0' 5; ok $? "q quits"
done_testing
