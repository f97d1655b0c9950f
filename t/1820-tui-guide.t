#!/bin/sh
# The Guide view in tmux, on the QEMU backend with private state: a host
# with no guest and no wizard run opens on it; every step of the guide is
# listed with a status and its evidence; the selected step explains itself
# (the guide, Debian 12, on QEMU what it would change on a Xen host and the
# lab); g and :guide STEP open it; Enter runs the step's wizard (the host
# check's checks shown). The statuses are read again, without restarting
# the console, when an action ends: a volume made by the volume wizard from
# the prompt (in a private directory pool) changes the LVM step's evidence,
# and the transcript holds the wizard's step as its command; a guest
# created from the prompt turns the PV step's evidence to "running"; the
# views that show what xl list, xl top and xl info show count as those
# everyday commands used.
. "${0%/*}/tap.sh"
need_built t/wiz-test
. "${0%/*}/guest.sh"
. "${0%/*}/tui.sh"
. "${0%/*}/qemu.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv
q_setup
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}
XEN_DIR=$T_TMP/etc-xen
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR" "$XEN_DIR"
# lvm2 sees no device: volume groups on this shared host are not ours.
mkdir -p "$T_TMP/lvm"
echo 'devices { filter = [ "r|.*|" ] }' >"$T_TMP/lvm/lvm.conf"
P=$T_TMP/pool
q_pv tutor2
cp "$T_TMP/tutor2.cfg" "$XEN_DIR/tutor2.cfg"

# step N: the step's two lines in the list (status and title, evidence).
step() {
	tui_screen | awk -v n="$1" '$1 == n && f == 0 { f = 1; print; next }
	    f == 1 { print; exit }'
}

tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_STATEDIR=$T_TMP/state" \
    "XENDECK_XEN_DIR=$XEN_DIR" "LVM_SYSTEM_DIR=$T_TMP/lvm" --
tui_wait 'Guide: the Xen Project Beginners Guide on this host \(qemu backend\) +as of' 20
ok $? "no guest, no wizard run: the console opens on the Guide, read as a job"
like "$(tui_screen | head -n 1)" '^ g Guide +1 Domains' "its tab is g, first"
n=$(tui_screen | grep -cE '^ [1-8] +(done|partly done|not done|n/a here) +[A-Z]')
is "$n" 8 "every step of the guide, each with a status"
like "$(step 1)" 'The machine: 64-bit, memory' "1: the hardware"
like "$(step 4)" 'Networking: the xenbr0 bridge' "4: the bridge (after LVM, as the guide has it)"
like "$(step 6)" "tutor2 is defined in $XEN_DIR but not running" \
    "6: the PV step's evidence, from the private /etc/xen"
like "$(step 8)" 'none used from xendeck yet' "8: none of the everyday commands yet"
like "$(tui_screen)" 'What and why +Xen runs on 64-bit x86 machines' \
    "the selected step explains what and why"
like "$(tui_screen)" 'Enter +xendeck wizard host-check' "and what Enter runs"

# Step 5: the guide, Debian 12, and on QEMU the lab.
tui_keys j j j j
tui_wait ' 5\. Installing Xen, and GRUB booting it' 5; ok $? "j moves to step 5"
like "$(tui_screen)" 'The guide +apt-get install xen-linux-system' "5: what the guide writes"
like "$(tui_screen)" 'On Debian 12 +xen-system-amd64' "5: what is right on Debian 12"
like "$(tui_screen)" 'On QEMU +Here guests run on QEMU' "5: on QEMU, what it would change"
like "$(tui_screen)" "xendeck lab start --plain" "5: and the lab to practise it"

# g from another view, :guide STEP.
tui_keys 1
tui_wait 'CPU, last minute|no domains yet' 5
tui_keys g
tui_wait ' 5\. Installing Xen' 5; ok $? "g comes back to the Guide, where it was"
tui_keys :; tui_type "guide pv-guest"; tui_keys Enter
tui_wait ' 6\. The first PV guest' 5; ok $? ":guide pv-guest opens it on that step"

# Enter on the host check: its checks.
tui_keys k k k k k
tui_wait ' 1\. The machine' 5
tui_keys Enter
tui_wait '[0-9]+ checks: [0-9]+ passed' 30; ok $? "Enter on step 1 runs the host check and shows it"
tui_keys Escape
tui_wait 'Guide: the Xen Project' 5; ok $? "Esc: back to the Guide"

# Enter on LVM: the storage wizard's form, which says what it needs.
tui_keys j j
tui_wait ' 3\. LVM: a volume group' 5
tui_keys Enter
tui_wait 'Wizard storage' 30
ok $? "Enter on step 3 opens the storage wizard"
like "$(tui_screen)" '> Disk or partition for LVM' "its form, at its first field"
like "$(tui_screen)" 'pvcreate /dev/sda4' "beside it the guide's step"
tui_keys Escape
tui_wait 'Guide: the Xen Project' 5; ok $? "Esc: back to the Guide"

# A wizard from the prompt: a directory pool, then a volume in it.
like "$(step 3)" '^ 3 +not done +LVM' "3: the LVM step is not done"
like "$(step 3)" '^ +no volume group$' "3: no volume group, no volume"
tui_keys :; tui_type "wizard storage --set dir=$P --apply"; tui_keys Enter
tui_wait 'wizard storage .*: done' 60; ok $? "the storage wizard makes a directory pool (a job)"
tui_keys :
tui_type "wizard volume --set pool=$P --set action=create --set name=v1 --set size=16M --apply"
tui_keys Enter
tui_wait 'wizard volume .*: done' 60; ok $? "the volume wizard makes a volume in it"
tui_wait 'Done: volume, run volume-' 10; ok $? "its output shows, as a command's does"
tui_keys Escape
tui_wait 'Guide: the Xen Project' 5; ok $? "Esc: back to the Guide"
tui_wait " 3 +partly done +LVM" 20
ok $? "3: the LVM step is read again when the wizard ends, without a restart"
like "$(step 3)" "no volume group; guests' disks in directory $P: .* free, 1 volume of 16.0 MiB" \
    "3: its evidence now counts the volume"
tui_keys T
tui_wait 'Transcript: ' 5
like "$(tui_screen)" "ok +  qemu-img create -q -f raw $P/v1.img 16M +# wizard volume 1/2" \
    "the transcript holds the wizard's step as the command it ran"
like "$(tui_screen)" "ok +  \(file edit\) $T_TMP/state/pools +# wizard storage" \
    "and the storage wizard's file edit as what it is"
tui_keys g
tui_wait 'Guide: the Xen Project' 5

# An action from the prompt; its end refreshes the Guide.
tui_keys :; tui_type "create $XEN_DIR/tutor2.cfg"; tui_keys Enter
tui_wait 'create tutor2.cfg: done' 90; ok $? "tutor2 created from the prompt (a job)"
tui_wait ' 6 +done +The first PV guest' 20
ok $? "the PV step is done, without restarting the console"
like "$(step 6)" 'tutor2 is running \(id [0-9]+\)' "its evidence: tutor2 is running"

# The everyday commands: the views that are xl list, xl top, xl info.
tui_keys 1; tui_wait '^tutor2 ' 10
tui_keys 2; tui_wait 'NAME +STATE' 10
tui_keys 3; tui_wait 'Host \(xl info\)' 10
tui_keys g
tui_keys r
tui_wait 'used: xl info, xl list, xl top; not yet: console, shutdown, destroy' 20
ok $? "8: xl list, xl top and xl info count as used (r reads again)"

tui_keys q
tui_wait 'XD-EXITED 0' 10; ok $? "q quits"

# With a guest, the console opens on the Domains view as before.
tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_STATEDIR=$T_TMP/state" --
tui_wait '^tutor2 ' 20; ok $? "a host with a guest opens on the Domains view"
tui_keys q

run "$XENDECK" destroy --yes tutor2

# No guest, but a wizard has run here (t/wiz-test's wizard of real
# commands, applied): not a first start, the Domains view.
mkdir -p "$T_TMP/tree/etc"
printf '127.0.0.1 localhost\n' >"$T_TMP/tree/etc/hosts"
printf 'old\n' >"$T_TMP/tree/etc/obsolete"
XENDECK_STATEDIR=$T_TMP/state3 XENDECK="$XD_BUILDDIR/t/wiz-test" \
    XD_TEST_MARK=x "$XD_BUILDDIR/t/wiz-test" wizard tree \
    --set root="$T_TMP/tree" --apply >/dev/null 2>&1
ok $? "a wizard run on record"
tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_ACCEL=$XENDECK_ACCEL" "XENDECK_STATEDIR=$T_TMP/state3" --
tui_wait 'no domains yet' 20
ok $? "no guest but a wizard run: the console opens on the Domains view"
tui_keys q
done_testing
