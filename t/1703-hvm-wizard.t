#!/bin/sh
# The hvm-guest wizard on the qemu backend, through the CLI, against the
# guest kit's ISO: the plan and the exported script change nothing; the
# apply makes the disk in a directory pool, writes the 0600 xl.cfg (clean
# under check-config --lint), sets a generated VNC password, starts the
# guest and tells the password once -- it is in no log, journal, plan or
# script; the screen over VNC on 127.0.0.1 with that password (and not
# without); cd-eject and cd-insert as the guest sees them from inside
# (/dev/sr0), the inserted disc kept across a reboot; --undo walks it all
# back.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (a bridge, QEMU's taps)"
command -v xorriso >/dev/null || skip_all "xorriso not installed (scripts/bootstrap)"
gk_kit iso
q_setup
export XENDECK_ACCEL=${XENDECK_ACCEL:-tcg}
export XENDECK_STATEDIR=$T_TMP/state
POOL=$XENDECK_STATEDIR/images
mkdir -p "$POOL"
NAME=hvmw$$
CFG=$T_TMP/$NAME.cfg
BR=xdhw$$
X() { "$XENDECK" -v -v -l "$T_TMP/xendeck.log" "$@"; }
ip link add "$BR" type bridge || skip_all "cannot make a bridge"
ip link set "$BR" up
del_br() { ip link del "$BR" 2>/dev/null; return 0; }
at_exit del_br

# A second bootable disc with a label of its own (the kit's, relabelled).
xorriso -indev "$ISO" -outdev "$T_TMP/second.iso" -volid XD-SECOND-DISC \
    -boot_image any replay -commit >"$T_TMP/xorriso.log" 2>&1
ok $? "a second bootable ISO (XD-SECOND-DISC)" || diag "$(tail -3 "$T_TMP/xorriso.log")"

# booted N: boot number N of the kit's ISO guest has reached its shell.
booted() {
	tr -d '\r' <"$XENDECK_LOGDIR/$NAME.console.log" 2>/dev/null | awk -v n="$1" \
	    '/^XENDECK-GUEST-READY/ { b++ } b == n && /^xendeck-iso# / { f = 1 }
	    END { exit !f }'
}

set -- --set name="$NAME" --set iso="$ISO" --set pool="$POOL" \
    --set size=64M --set memory=256M --set vcpus=1 --set nic=e1000 \
    --set bridge="$BR" --set start=yes --set cfg="$CFG"

run X wizard hvm-guest "$@"
is "$RC" 0 "the plan ($ERR)"
like "$OUT" 'Generate a VNC password into the config' "a step sets a VNC password"
like "$OUT" 'Start the domain' "and one starts it"
like "$OUT" "Linux installer" "the ISO is recognised"
[ ! -e "$CFG" ] && [ -z "$(ls "$POOL")" ]
ok $? "the plan changed nothing"
run X wizard hvm-guest "$@" --root "$T_TMP" --apply
is "$RC" 2 "--root (edit files in another tree) is refused: exit 2"
like "$ERR" "^xendeck: root: .*--root is not for this wizard" "naming root"
[ ! -e "$CFG" ] && [ -z "$(ls "$POOL")" ] && [ "$(q_state "$NAME")" = gone ]
ok $? "nothing made, nothing started on this host"
run X wizard hvm-guest "$@" --export "$T_TMP/hvm.sh"
is "$RC" 0 "--export"
grep -q 'vnc-password --generate' "$T_TMP/hvm.sh"
ok $? "the script generates the password when it runs"

run X wizard hvm-guest "$@" --apply
is "$RC" 0 "--apply ($ERR)"
PW=$(printf '%s\n' "$OUT" | sed -n "s/^The VNC password of $NAME: //p")
like "$PW" '^[A-Za-z0-9]{8}$' "the generated password is told once"
is "$(printf '%s\n' "$OUT" | grep -c -- "$PW")" 1 "only once"
is "$(stat -c %a "$CFG")" 600 "the config is mode 0600"
grep -q "^vncpasswd = \"$PW\"" "$CFG"
ok $? "it holds the password (xl reads it there)"
grep -q '^type = "hvm"' "$CFG" && grep -q 'devtype=cdrom,target=' "$CFG" &&
    grep -q "model=e1000,bridge=$BR" "$CFG" && grep -q '^vnclisten = "127.0.0.1"' "$CFG"
ok $? "type hvm, the ISO as the CD, the NIC model, VNC on loopback"
grep -q '# How this differs from the Xen Project Beginners Guide' "$CFG" &&
    grep -q 'qemu-xen-traditional' "$CFG"
ok $? "with how it differs from the guide's windows.cfg"
ls "$POOL"/"$NAME".* >/dev/null 2>&1
ok $? "its disk is in the pool ($(ls "$POOL"))"
like "$(q_state "$NAME")" '^[-rb]{2}-{4}$' "the domain runs"

# The secret stays out of every record.
leaks=$(grep -rl -- "$PW" "$XENDECK_LOGDIR" "$XENDECK_STATEDIR" "$T_TMP/hvm.sh" \
    "$T_TMP/xendeck.log" 2>/dev/null)
is "$leaks" "" "the password is in no log, journal, plan or script"

# The screen, with the password, on 127.0.0.1.
run X vnc-endpoint "$NAME"
like "$OUT" '^127\.0\.0\.1:59[0-9][0-9]$' "VNC on loopback ($OUT)"
EP=$OUT
printf '%s\n' "$PW" >"$T_TMP/pw"
wait_for 120 booted 1
ok $? "the installer booted (its shell on the serial port)"
run X vnc --password-file "$T_TMP/pw" --dump-frame "$T_TMP/f.ppm" \
    "${EP%:*}::${EP##*:}"
is "$RC" 0 "the viewer connects with the password ($ERR)"
like "$OUT" '^nonblack: yes$' "and shows the guest's screen"
echo wrong-pw >"$T_TMP/bad"
run X vnc --password-file "$T_TMP/bad" --once "${EP%:*}::${EP##*:}"
isnt_ok=$RC
[ "$isnt_ok" -ne 0 ]
ok $? "a wrong password is refused"

# The CD, as the guest sees it.
label() {	# label N: what the guest reads from /dev/sr0, Nth time
	q_type "$NAME" "dd if=/dev/sr0 of=/dev/null bs=2048 count=1 2>/dev/null; echo CD$1=\$(dd if=/dev/sr0 bs=1 skip=32808 count=32 2>/dev/null | tr -d ' ').nomedium=\$(dd if=/dev/sr0 of=/dev/null bs=2048 count=1 2>&1 | grep -c 'No medium')."
}
seen() { q_seen "$NAME" "^CD$1=$2\\.nomedium=$3\\.\$"; }
# cd_is N LABEL NOMEDIUM: the guest reads LABEL (and "No medium found"
# NOMEDIUM times) within 3 tries
# (the first read after a change can fail on the old medium's cache).
cd_is() {
	for _t in 1 2 3; do
		label "$1$_t"
		wait_for 15 seen "$1$_t" "$2" "$3" && return 0
	done
	diag "the guest said: $(tr -d '\r' <"$XENDECK_LOGDIR/$NAME.console.log" | grep "^CD$1" | tail -3)"
	return 1
}
cd_is 1 ISOIMAGE 0
ok $? "inside the guest, /dev/sr0 is the installer (ISOIMAGE)"
run X cd-eject "$NAME"
is "$RC" 0 "cd-eject ($ERR)"
is "$OUT" "$NAME: the CD drive is empty" "says so"
cd_is 2 "" 1
ok $? "the guest finds no medium"
run X cd-insert "$NAME" "$T_TMP/second.iso"
is "$RC" 0 "cd-insert ($ERR)"
like "$OUT" "^$NAME: the CD drive holds $T_TMP/second.iso \\(XD-SECOND-DISC, Linux installer" \
    "naming the disc"
cd_is 3 XD-SECOND-DISC 0
ok $? "the guest reads the new disc"
run X reboot -F "$NAME"
is "$RC" 0 "reboot -F"
wait_for 120 booted 2
ok $? "it boots again (from the disc now in the drive)"
cd_is 4 XD-SECOND-DISC 0
ok $? "the inserted disc outlived the reboot"
run X cd-insert "$NAME" /etc/hostname
is "$RC" 0 "a file that is no ISO goes in"
like "$ERR" 'warning: .*not an ISO 9660 image' "with a warning"
run X cd-eject "$NAME" hdb
is "$RC" 1 "no such drive: exit 1"
like "$ERR" "has no CD drive hdb" "naming it"

# The lint of the file it wrote, for a guest not started.
run X wizard hvm-guest --set name="${NAME}b" --set iso="$ISO" --set pool="$POOL" \
    --set size=64M --set memory=256M --set bridge=none --set cfg="$T_TMP/b.cfg" --apply
is "$RC" 0 "a second guest, not started, no network ($ERR)"
run X check-config --lint "$T_TMP/b.cfg"
is "$OUT" "$T_TMP/b.cfg: no problems found on the qemu backend" "its config lints clean"
run X wizard hvm-guest --set name="${NAME}b" --set iso="$ISO" --set pool="$POOL" \
    --set cfg="$T_TMP/b.cfg"
is "$RC" 2 "the same again is refused"
like "$ERR" "cfg: $T_TMP/b.cfg exists" "the config is not overwritten"

# --undo walks the last run back: the config and the disk go.
run X wizard hvm-guest --undo
is "$RC" 0 "--undo ($ERR)"
[ ! -e "$T_TMP/b.cfg" ] && ! ls "$POOL/${NAME}b".* >/dev/null 2>&1
ok $? "its config and disk are gone"

run X wizard hvm-guest --set name="${NAME}c" --set iso="$T_TMP/no.iso"
is "$RC" 2 "a missing ISO: exit 2"
like "$ERR" "^xendeck: iso: $T_TMP/no.iso: No such file" "naming the field"
head -c 70000 /dev/urandom >"$T_TMP/junk.iso"
run X wizard hvm-guest --set name="${NAME}c" --set iso="$T_TMP/junk.iso"
like "$ERR" "iso: .*not an ISO 9660 image" "a file that is no ISO: refused"
done_testing
