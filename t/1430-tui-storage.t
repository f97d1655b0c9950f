#!/bin/sh
# The Storage view (5) in a private tmux server, on a real directory pool:
# the pool with its usage bar, its volumes with size, origin and users;
# n, r, s open the volume wizard's view filled in from the selection, on
# the field still to answer; its plan and apply run as jobs, and the view
# reads the pools again after it; D asks for the name,
# refuses an origin (the status line says why) and removes; Enter shows a
# volume's details.
. "${0%/*}/tap.sh"
. "${0%/*}/tui.sh"
command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
command -v qemu-img >/dev/null 2>&1 || skip_all "qemu-img not installed"
P=$T_TMP/pool
ST=$T_TMP/state
XD=$T_TMP/xen
mkdir -p "$P" "$ST" "$XD"
# lvm2 sees no device: volume groups on this shared host are not ours.
mkdir -p "$T_TMP/lvm"
echo 'devices { filter = [ "r|.*|" ] }' >"$T_TMP/lvm/lvm.conf"
LVM_SYSTEM_DIR=$T_TMP/lvm
export LVM_SYSTEM_DIR
echo "$P" >"$ST/pools"
qemu-img create -q -f raw "$P/base.img" 64M
qemu-img create -q -f qcow2 -b "$P/base.img" -F raw "$P/web1.qcow2"
printf 'name = "web1"\ndisk = [ "format=qcow2,vdev=xvda,target=%s" ]\n' \
    "$P/web1.qcow2" >"$XD/web1.cfg"
status() { tui_screen | tail -n 1; }
# The row of a volume: its name at the start, after the indent.
row() { tui_screen | grep -E "^   $1 "; }

# Wide: the status line carries a job's whole command and its error.
TUI_COLS=200
tui_start XENDECK_STATEDIR="$ST" XENDECK_XEN_DIR="$XD" \
    LVM_SYSTEM_DIR="$LVM_SYSTEM_DIR" XENDECK_RUNDIR="$T_TMP/run" \
    XENDECK_LOGDIR="$T_TMP/log" --
tui_wait 'Domains' 20; ok $? "the console is up"
tui_keys 5
tui_wait "^ $P +\\[#" 20; ok $? "5: the pool with its usage bar"
like "$(tui_screen | head -n 1)" '5 Storage' "a Storage tab"
like "$(tui_screen)" "$P .*% +[0-9.]+ GiB, [0-9.]+ GiB free, [0-9.]+ [KM]iB allocated +images" \
    "... size, free, allocated"
like "$(row base)" '^   base +64.0 MiB .* raw ' "base: 64 MiB raw"
like "$(row web1)" "^   web1 +64.0 MiB .* qcow2 +base .* $XD/web1.cfg" \
    "web1: qcow2, its origin base, used by its config"

# plan_apply WHAT: p, the plan of WHAT, A, its run done; back to 5.
plan_apply() {
	tui_keys p
	tui_wait "Plan: $1" 30; ok $? "... p: its plan ($1)"
	tui_keys A
	tui_wait 'Done: volume' 30; ok $? "... A: it ran"
	tui_keys 5
}

# n: a new volume, through the wizard's view.
tui_keys n
tui_wait 'Wizard volume: .*\[form\]' 5; ok $? "n: the volume wizard's view"
tui_wait "^  Pool .* $P( |$)" 5; ok $? "... the pool filled in"
like "$(tui_screen)" '^  What to do +create' "... create"
like "$(tui_screen)" '^  Size .* 8G' "... 8G"
like "$(tui_screen)" '^> Volume name ' "... on the name, still to answer"
tui_keys e
tui_type db
tui_keys Enter
plan_apply "create db in $P"
tui_wait '^   db +8.0 GiB' 20; ok $? "... the view read the pools again: db"
ok "$([ -f "$P/db.img" ]; echo $?)" "... db.img exists"

# r: grow db (rows: the pool, base, db, web1).
tui_keys k k k k k j j
sleep 0.3
tui_keys r
tui_wait '^  Volume name +db( |$)' 5; ok $? "r on db: resize db, filled in"
like "$(tui_screen)" '^  What to do +resize' "... resize"
like "$(tui_screen)" '^> Size ' "... on the size"
tui_keys e
tui_type +1G
tui_keys Enter
plan_apply "resize db in $P"
tui_wait '^   db +9.0 GiB' 20; ok $? "db is 9.0 GiB"

# s: snapshot base.
tui_keys k k k k k j
sleep 0.3
tui_keys s
tui_wait '^  Volume to snapshot +base( |$)' 5; ok $? "s on base: snapshot, filled in"
like "$(tui_screen)" '^  Volume name +base-snap( |$)' "... named base-snap"
plan_apply "snapshot base-snap of base in $P"
tui_wait '^   base-snap +64.0 MiB .* qcow2 +base ' 20
ok $? "base-snap: a qcow2 overlay on base"

# Enter: details.
tui_keys Enter
tui_wait 'used by: nothing' 5; ok $? "Enter: base's details"
like "$(tui_screen)" "path: $P/base.img" "... its path"
tui_keys Escape

# D: removal, by typing the name; an origin is refused.
tui_wait '^   base ' 5
tui_keys D
tui_wait 'remove base from .* type its name:' 5; ok $? "D asks for the name"
tui_type nope
tui_keys Enter
tui_wait 'remove base: not done: the name typed did not match' 5
ok $? "... a wrong name: not done"
tui_keys D
tui_type base
tui_keys Enter
tui_wait 'failed: name: base is the origin of base-snap, web1' 30
ok $? "... base: refused, the status line names its snapshots"
ok "$([ -f "$P/base.img" ]; echo $?)" "... base.img is still there"
tui_keys j
sleep 0.3
tui_keys D
tui_wait 'remove base-snap from' 5
tui_type base-snap
tui_keys Enter
tui_wait 'Done: volume' 30; ok $? "base-snap: removed"
tui_keys Escape
tui_gone '^   base-snap ' 20; ok $? "... and gone from the view"
ok "$([ ! -e "$P/base-snap.qcow2" ]; echo $?)" "... and from the pool"
done_testing
