#!/bin/sh
# Directory pools through the CLI, as a user types it: the storage wizard
# sets one up; the volume wizard creates, resizes (growing ext4), snapshots
# (a qcow2 overlay) and removes volumes; bad input is one line naming the
# field, exit 2, nothing changed; applying the same answers twice changes
# nothing and says so; removal is refused while an xl.cfg or a running
# (real QEMU) domain uses the volume, or while it is a snapshot's origin;
# kill -9 between steps and --resume reach the same end; a stale plan is
# refused.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
command -v qemu-img >/dev/null || skip_all "qemu-img not installed"
q_setup
XENDECK_STATEDIR=$T_TMP/state
XENDECK_XEN_DIR=$T_TMP/xen
export XENDECK_STATEDIR XENDECK_XEN_DIR
mkdir -p "$XENDECK_XEN_DIR"
# lvm2 sees no device: volume groups on this shared host are not ours.
mkdir -p "$T_TMP/lvm"
echo 'devices { filter = [ "r|.*|" ] }' >"$T_TMP/lvm/lvm.conf"
LVM_SYSTEM_DIR=$T_TMP/lvm
export LVM_SYSTEM_DIR
P=$T_TMP/pool
W() { run "$XENDECK" wizard "$@"; }
V() { W volume --set "pool=$P" "$@"; }
# What the pool holds, to show nothing changed.
snap() { ls -l --time-style=+%s.%N "$P" 2>/dev/null | md5sum; }
# Bad input: exit 2, one line starting with the field, nothing changed.
bad() { # FIELD DESCRIPTION ARGS...
	_f=$1 _d=$2; shift 2
	_before=$(snap)
	V "$@"
	is "$RC" 2 "$_d: exit 2"
	like "$ERR" "^xendeck: $_f: " "... one line naming $_f"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "... one line" || diag "$ERR"
	is "$(snap)" "$_before" "... nothing changed"
}

# The storage wizard: a directory pool.
W storage --set dir=relative/dir
is "$RC" 2 "dir= must be absolute: exit 2"
like "$ERR" "^xendeck: dir: " "... naming dir"
ok "$([ ! -e "$XENDECK_STATEDIR/pools" ]; echo $?)" "... nothing written"
W storage --set "dir=$P" --set vg=vg0
is "$RC" 2 "dir= with vg=: exit 2"
like "$ERR" "^xendeck: dir: vg=, wipe=, thin= and extend= are for device=" \
    "... vg= is not silently ignored"
W storage --set "dir=$P" --set thin=lots
is "$RC" 2 "thin=lots: exit 2"
like "$ERR" "^xendeck: thin: 'lots' is not a size" "... naming thin, not size"
W storage --set "dir=$P"
is "$RC" 0 "the plan for a directory pool"
like "$OUT" "mkdir -p -m 0700 $P" "... mkdir -p"
like "$OUT" "List $P as a pool" "... and lists it as a pool"
ok "$([ ! -e "$P" ]; echo $?)" "... a plan changes nothing"
W storage --set "dir=$P" --apply
is "$RC" 0 "applied"
ok "$([ -d "$P" ]; echo $?)" "... the directory exists"
grep -qx "$P" "$XENDECK_STATEDIR/pools"
ok $? "... and is listed in \$XENDECK_STATEDIR/pools"
W storage --set "dir=$P" --apply
is "$RC" 0 "applied again"
like "$OUT" "skipped: already done" "... every step skipped: already done"
unlike "$OUT" " ok$" "... none ran"
like "$OUT" "already a pool: nothing to add" "... the plan's note is shown"
like "$OUT" "^Done: storage: nothing to do" "... and it says nothing was to do"
run "$XENDECK" pools
like "$OUT" "^$P  image directory" "xendeck pools lists it"

# create
bad pool "a pool that does not exist" --set pool=vgnone --set action=create \
    --set name=a --set size=1G
bad pool "a directory that is not a pool" --set "pool=$T_TMP" \
    --set action=create --set name=a --set size=1G
bad name "a bad name" --set action=create --set "name=a b" --set size=1G
bad size "a size with no unit" --set action=create --set name=a --set size=8
bad size "no size" --set action=create --set name=a
bad size "a size that does not fit" --set action=create --set name=a \
    --set size=900T
like "$ERR" "has .* free" "... it says how much is free"
bad action "an unknown action" --set action=copy --set name=a
bad format "an unknown format" --set action=create --set name=a \
    --set size=1G --set format=vmdk
V --set action=create --set name=web1 --set size=64M
is "$RC" 0 "the plan to create web1"
like "$OUT" "qemu-img create -q -f raw $P/web1.img 64M" "... qemu-img create"
chmod 0755 "$P"
V --set action=create --set name=web1 --set size=64M --apply
is "$RC" 0 "create web1: applied"
is "$(stat -c %a "$P/web1.img")" 600 \
    "... the image is root's only, in a pool directory others may list"
is "$(qemu-img info -f raw --output=json "$P/web1.img" |
    sed -n 's/.*"virtual-size": \([0-9]*\).*/\1/p')" 67108864 "... 64 MiB"
V --set action=create --set name=web1 --set size=64M --apply
is "$RC" 0 "the same answers again"
like "$OUT" "skipped: already done" "... skipped: already done"
V --set action=create --set name=web1 --set size=64M
like "$OUT" "nothing to do" "... and its plan says there is nothing to do"
bad name "web1 again with another size" --set action=create --set name=web1 \
    --set size=128M
like "$ERR" "already exists" "... it exists"

# resize: grow only, ext4 grown with it
mkfs.ext4 -q -L web1 "$P/web1.img"
bad size "a shrink" --set action=resize --set name=web1 --set size=32M
like "$ERR" "grows only" "... resize grows only"
bad name "resize of nothing" --set action=resize --set name=nope --set size=1G
V --set action=resize --set name=web1 --set size=+32M --apply
is "$RC" 0 "grow web1 by 32M"
like "$OUT" "resize2fs $P/web1.img" "... resize2fs ran"
like "$(dumpe2fs -h "$P/web1.img" 2>/dev/null)" \
    "Block count: +98304" "... the file system fills 96 MiB"
e2fsck -fn "$P/web1.img" >/dev/null 2>&1
is "$?" 0 "... and is clean"
V --set action=resize --set name=web1 --set size=96M --apply
is "$RC" 0 "the same size again"
unlike "$OUT" " ok$" "... nothing ran"

# kill -9 between the steps of a resize, then --resume: the same end.
XENDECK_PLAN_CRASH=begin:2 "$XENDECK" wizard volume --set "pool=$P" \
    --set action=resize --set name=web1 --set size=128M --apply \
    >"$T_TMP/crash.out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "resize killed at the start of step 2"
like "$(dumpe2fs -h "$P/web1.img" 2>/dev/null)" "Block count: +98304" \
    "... the image grew, the file system not yet"
W volume --resume
is "$RC" 0 "--resume" || diag "$OUT" "$ERR"
like "$(dumpe2fs -h "$P/web1.img" 2>/dev/null)" "Block count: +131072" \
    "... the file system fills 128 MiB, as without the crash"
e2fsck -fn "$P/web1.img" >/dev/null 2>&1
is "$?" 0 "... and is clean"

# A stale plan: a config takes the volume between the crash and --resume.
XENDECK_PLAN_CRASH=begin:1 "$XENDECK" wizard volume --set "pool=$P" \
    --set action=resize --set name=web1 --set size=160M --apply \
    >"$T_TMP/crash2.out" 2>&1
printf 'name = "late"\ndisk = [ "file:%s/web1.img,xvda,w" ]\n' "$P" \
    >"$XENDECK_XEN_DIR/late.cfg"
W volume --resume
is "$RC" 1 "--resume of a stale plan is refused"
like "$ERR" "stale.*used by: was 'none', now '$XENDECK_XEN_DIR/late.cfg'" \
    "... saying what changed"
rm "$XENDECK_XEN_DIR/late.cfg"
W volume --undo
is "$RC" 0 "... and it can be walked back"

# snapshot: a qcow2 overlay
bad origin "a snapshot without origin" --set action=snapshot --set name=s
bad origin "a snapshot of nothing" --set action=snapshot --set name=s \
    --set origin=nope
bad format "a raw snapshot" --set action=snapshot --set name=s \
    --set origin=web1 --set format=raw
V --set action=snapshot --set origin=web1 --set name=web1-s --apply
is "$RC" 0 "snapshot web1 as web1-s"
like "$OUT" "give the guest $P/web1-s.qcow2 from now on" \
    "... --apply tells what to do with the overlay (the plan's note)"
like "$(qemu-img info --output=json "$P/web1-s.qcow2")" \
    "\"backing-filename\": \"$P/web1.img\"" "... a qcow2 overlay on web1.img"
V --set action=snapshot --set origin=web1 --set name=web1-s --apply
is "$RC" 0 "again"
unlike "$OUT" " ok$" "... nothing ran"
run "$XENDECK" pools --json
like "$OUT" '"origin": "web1"' "pools --json: web1-s's origin is web1"

# remove: refused while used or an origin
bad name "remove the origin of a snapshot" --set action=remove --set name=web1
like "$ERR" "origin of web1-s" "... names the snapshot"
printf 'name = "c1"\ndisk = [ "format=qcow2,vdev=xvda,%s" ]\n' \
    "target=$P/web1-s.qcow2" >"$XENDECK_XEN_DIR/c1.cfg"
bad name "remove a volume an xl.cfg in /etc/xen uses" --set action=remove \
    --set name=web1-s
like "$ERR" "in use by $XENDECK_XEN_DIR/c1.cfg" "... names the config"
rm "$XENDECK_XEN_DIR/c1.cfg"
gk_kit pv
q_pv d1 "disk = [ 'format=qcow2, vdev=xvda, target=$P/web1-s.qcow2' ]"
run "$XENDECK" create -p "$T_TMP/d1.cfg"
is "$RC" 0 "a real QEMU domain (paused) with web1-s as its disk" ||
    diag "$ERR"
bad name "remove a volume a running domain uses" --set action=remove \
    --set name=web1-s
like "$ERR" "in use by domain d1" "... names the domain"
run "$XENDECK" pools
like "$OUT" "web1-s .* domain d1" "pools: web1-s is used by domain d1"
"$XENDECK" destroy --yes d1 >/dev/null 2>&1
wait_for 30 q_gone d1
V --set action=remove --set name=web1-s --apply
is "$RC" 2 "remove without --yes: refused"
like "$ERR" "destroys web1-s" "... says what it would destroy"
ok "$([ -f "$P/web1-s.qcow2" ]; echo $?)" "... nothing removed"
V --set action=remove --set name=web1-s --apply --yes
is "$RC" 0 "remove web1-s --yes"
ok "$([ ! -e "$P/web1-s.qcow2" ]; echo $?)" "... it is gone"
V --set action=remove --set name=web1-s --apply --yes
is "$RC" 0 "remove it again"
like "$OUT" "skipped: already done" "... a no-op that says so"
V --set action=remove --set name=web1 --apply --yes
is "$RC" 0 "now web1 can go"
run "$XENDECK" pools
like "$OUT" "no volumes" "the pool is empty"

# The only pool here is the volume wizard's default.
run "$XENDECK" wizard volume --set action=create --set name=dflt --set size=8M
is "$RC" 0 "volume without pool= on a host with one pool: planned"
like "$OUT" "create dflt in $P " "... in that pool"

# With no volume group, the guest wizards default to the directory pool.
run "$XENDECK" wizard pv-guest --help
like "$OUT" "default: $P\$" "pv-guest's pool: the directory pool (no VG here)"
done_testing
