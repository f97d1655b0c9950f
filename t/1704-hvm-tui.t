#!/bin/sh
# The console, in tmux, on the qemu backend: H makes an HVM guest from the
# guest kit's ISO chosen in the ISO picker (label, kind, size shown), the
# wizard runs as a job, the VNC viewer opens on the new guest and shows its
# screen, and after it the password is told; then e ejects the CD and i
# inserts another from the picker, as QEMU's own block state shows (QMP
# query-block); and a create that fails shows what check-config --lint
# finds in its file.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
. "${0%/*}/tui.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU's domains)"
command -v tmux >/dev/null || skip_all "tmux not installed"
command -v xorriso >/dev/null || skip_all "xorriso not installed (scripts/bootstrap)"
gk_kit iso
q_setup
export XENDECK_ACCEL=${XENDECK_ACCEL:-tcg}
export XENDECK_STATEDIR=$T_TMP/state
POOL=$XENDECK_STATEDIR/images
mkdir -p "$POOL" "$T_TMP/isos"
cp "$ISO" "$T_TMP/isos/kit.iso"
xorriso -indev "$ISO" -outdev "$T_TMP/isos/zz-second.iso" -volid XD-SECOND-DISC \
    -boot_image any replay -commit >/dev/null 2>&1
NAME=hvmt$$
ENV="XENDECK_ISO_DIRS=$T_TMP/isos"
TUI_COLS=200
tui_start "$ENV" "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" \
    "XENDECK_STATEDIR=$XENDECK_STATEDIR" "XENDECK_ACCEL=$XENDECK_ACCEL" \
    -- -l "$T_TMP/console.log"
# (a host with no guest yet opens on the Guide: 1 is the Domains view)
tui_wait 'Guide: the Xen Project|Domain-0'
tui_keys 1
tui_wait 'Domain-0'
ok $? "the console is up (1: the Domains view)"

tui_keys H
tui_wait 'new HVM guest: its name:'
ok $? "H asks for the new guest's name"
tui_type "$NAME"
tui_keys Enter
tui_wait "The installer for $NAME: the ISOs found here"
ok $? "then the ISO picker"
like "$(tui_screen)" 'ISOIMAGE +Linux installer +[0-9.]+ MiB +.*/isos/kit.iso' \
    "with the kit's ISO: label, kind, size, file"
like "$(tui_screen)" 'XD-SECOND-DISC +Linux installer' "and the second one"
tui_keys Enter
tui_wait "$NAME: Enter starts it \(or edit KEY=VALUE\): size=32G pool=[^ ]+ memory=[0-9]+[MG] vcpus=[12] nic=e1000 bridge=xenbr0"
ok $? "the other answers, with their defaults"
tui_keys C-u
tui_type "size=64M pool=$POOL memory=256M vcpus=1 bridge=none cfg=$T_TMP/$NAME.cfg"
tui_keys Enter
# The job runs the wizard; the viewer then takes the pane.
tui_wait "^ $NAME │ [0-9]+x[0-9]+ │" 120
ok $? "the wizard ran and the VNC viewer opened on $NAME"
like "$(q_state "$NAME")" '^[-rb]{2}-{4}$' "the domain runs"
wait_for 120 q_seen "$NAME" "^xendeck-iso# "
ok $? "the installer booted"
lines=$(tui_screen | grep -c '[^ ]')
[ "$lines" -gt 3 ]
ok $? "the viewer shows its screen ($lines lines with something on them)"
tui_keys C-]
tui_wait "The VNC password of $NAME: [A-Za-z0-9]{8}"
ok $? "leaving it, the password is told"
like "$(tui_screen)" "$NAME runs: .xendeck vnc $NAME. shows its screen \\(v in the console\\)" \
    "with where its screen is"
PW=$(tui_screen | sed -n "s/.*The VNC password of $NAME: \\([A-Za-z0-9]*\\).*/\\1/p")
grep -q "^vncpasswd = \"$PW\"" "$T_TMP/$NAME.cfg"
ok $? "it is the config's"
leaks=$(grep -rl -- "$PW" "$XENDECK_LOGDIR" "$XENDECK_STATEDIR" "$T_TMP/console.log" 2>/dev/null)
is "$leaks" "" "and in no log or journal"
tui_keys Escape
tui_wait "^$NAME "
ok $? "back in Domains, $NAME listed"

medium() {	# the file in QEMU's CD drive now ("" when empty)
	"$XD_SRCDIR/t/qmp-cmd" "$XENDECK_RUNDIR/$NAME/qmp.sock" query-block |
	    python3 -c 'import json,sys
for d in json.load(sys.stdin):
    if d["device"] == "vbd-hdc":
        print(d.get("inserted", {}).get("file", ""))'
}
like "$(medium)" 'kit.iso$' "QEMU's CD drive holds the installer"
# Select the guest (Domain-0 is first) and eject.
tui_keys G e
tui_wait "eject the CD of $NAME\\? \\(y/n\\)"
ok $? "e asks first"
tui_keys y Enter
tui_wait "$NAME: the CD drive is empty" 30
ok $? "ejected"
is "$(medium)" "" "QEMU's drive is empty"
tui_keys i
tui_wait "Insert into $NAME's CD drive: the ISOs found here"
ok $? "i opens the picker for $NAME"
tui_keys j Enter
tui_wait "$NAME: the CD drive holds .*zz-second.iso \\(XD-SECOND-DISC" 30
ok $? "the second disc went in"
like "$(medium)" 'zz-second.iso$' "QEMU's drive holds it"

# A create that fails: the linter's findings.
cat >"$T_TMP/bad.cfg" <<EOF
name = "bad$$"
type = "hvm"
memory = 128
disk = [ "file:$T_TMP/no-such-disk.img,hda,w" ]
vif = [ "bridge=xdnobr$$" ]
EOF
tui_keys n
tui_wait 'create from xl.cfg file:'
tui_type "$T_TMP/bad.cfg"
tui_keys Enter
tui_wait 'What check-config --lint finds in it' 30
ok $? "a failed create shows the linter's findings"
like "$(tui_screen)" "bad.cfg:5: error: vif: bridge xdnobr$$ does not exist" "the missing bridge"
like "$(tui_screen)" "fix: create it: xendeck wizard bridge" "with its fix"
like "$(tui_screen)" "bad.cfg:4: error: disk: the disk .*no-such-disk.img \\(hda\\) does not exist" \
    "the missing disk"
tui_keys q
tui_stop
done_testing
