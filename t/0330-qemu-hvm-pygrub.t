#!/bin/sh
# The other boot paths on the qemu backend: bootloader="pygrub" (the kit's
# partitioned disk, default entry honoured), HVM from the ISO with boot="d"
# and from a hard disk (a qcow2 over the kit's raw image) with boot="c";
# VNC on the private unix socket with a password, and on TCP with
# vnclisten; vnc-endpoint.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains, /dev/kvm)"
command -v qemu-img >/dev/null || skip_all "qemu-img not installed"
gk_kit pv iso hdd disk
q_setup

# rfb_auth unix:PATH|HOST:PORT: the version and security types a VNC
# server offers.
rfb_auth() {
	python3 - "$1" <<'PY'
import socket, sys
a = sys.argv[1]
if a.startswith("unix:"):
    s = socket.socket(socket.AF_UNIX)
    s.connect(a[5:])
else:
    h, p = a.rsplit(":", 1)
    s = socket.create_connection((h, int(p)))
s.settimeout(10)
v = s.recv(12)
s.sendall(b"RFB 003.008\n")
n = s.recv(1)[0]
print(v.decode().strip(), " ".join(str(b) for b in s.recv(n)))
PY
}

cat >"$T_TMP/pyg.cfg" <<EOC
name = "pyg"
memory = 96
bootloader = "pygrub"
disk = [ 'file:$DISK,xvda,r' ]
EOC
cat >"$T_TMP/iso.cfg" <<EOC
name = "iso"
type = "hvm"
memory = 128
boot = "d"
disk = [ '$ISO,raw,hdc,cdrom' ]
vncpasswd = "s3cret"
EOC
run "$XENDECK" create "$T_TMP/pyg.cfg"
is "$RC" 0 "create with bootloader=pygrub"
is "$ERR" "" "no error"
run "$XENDECK" create "$T_TMP/iso.cfg"
is "$RC" 0 "create an HVM domain from the ISO (boot=d)"
wait_for 150 q_seen pyg '^XENDECK-GUEST-READY name=disk-guest$'
ok $? "pygrub path: the default entry's kernel boots (xd.name=disk-guest)"
q_seen pyg 'XENDECK-GUEST-INFO disks=vda '
ok $? "the disk is a virtio disk in the guest"
ok "$(! q_seen pyg 'wrong-entry'; echo $?)" "not the other entry"
wait_for 150 q_seen iso '^XENDECK-GUEST-READY name=xendeck-iso$'
ok $? "HVM boot=d: the ISO boots to the marker on the serial console"
run "$XENDECK" vnc-endpoint iso
is "$OUT" "unix:$XENDECK_RUNDIR/iso/vnc.sock" "vnc-endpoint: the private socket"
like "$(rfb_auth "$OUT")" "^RFB 003\.008 2$" "VNC asks for a password (vncpasswd)"
run "$XENDECK" vnc-endpoint pyg
is "$RC" 1 "a PV domain without vnc has no VNC endpoint"
like "$ERR" "^xendeck: pyg: no VNC display" "and says so"
"$XENDECK" destroy --yes pyg && "$XENDECK" destroy --yes iso
ok $? "destroyed both"

qemu-img create -q -f qcow2 -b "$HDD" -F raw "$T_TMP/hdd.qcow2"
cat >"$T_TMP/hdd.cfg" <<EOC
name = "hdd"
builder = "hvm"
memory = 128
boot = "c"
disk = [ 'format=qcow2,vdev=hda,access=rw,target=$T_TMP/hdd.qcow2' ]
vnclisten = "127.0.0.1"
EOC
run "$XENDECK" create "$T_TMP/hdd.cfg"
is "$RC" 0 "create an HVM domain from a qcow2 hard disk (boot=c)"
wait_for 150 q_seen hdd '^XENDECK-GUEST-READY name=xendeck-hdd$'
ok $? "HVM boot=c: the hard disk boots to the marker"
run "$XENDECK" vnc-endpoint hdd
like "$OUT" '^127\.0\.0\.1:59[0-9][0-9]$' "vnclisten: a TCP endpoint ($OUT)"
like "$(rfb_auth "$OUT")" "^RFB 003\.008 1$" "VNC on TCP answers, no password"
"$XENDECK" destroy --yes hdd
ok "$(q_gone hdd; echo $?)" "destroyed"
done_testing
