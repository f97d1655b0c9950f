#!/bin/sh
# Bad input to the qemu backend: one clear line naming the thing, exit 1,
# nothing half-created (no runtime dir, no QEMU, no supervisor). Also the
# dry run (create -n) and info.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains)"
gk_kit pv
q_setup

# nothing_left NAME: no runtime dir, and no QEMU or supervisor of it.
nothing_left() {
	[ ! -e "$XENDECK_RUNDIR/$1" ] && q_none "$1"
}

for cmd in destroy pause unpause shutdown reboot console vnc-endpoint; do
	run "$XENDECK" --yes $cmd nosuch
	is "$RC" 1 "$cmd of an unknown domain exits 1"
	is "$ERR" "xendeck: unknown domain: nosuch" "$cmd names the domain"
done
run "$XENDECK" shutdown -a -w -y
is "$RC" 0 "shutdown -a with no domains: nothing to do"
run "$XENDECK" shutdown -a lc1
is "$RC" 2 "shutdown -a with a domain too: usage"
run "$XENDECK" destroy --yes 77
is "$ERR" "xendeck: unknown domain: 77" "an unknown domid is named too"
run "$XENDECK" destroy --yes Domain-0
like "$ERR" "^xendeck: Domain-0 is the host" "Domain-0 cannot be destroyed"

printf 'name = "bad"\nmemory = [ 1,\n' >"$T_TMP/bad.cfg"
run "$XENDECK" create "$T_TMP/bad.cfg"
is "$RC" 1 "a config that does not parse: exit 1"
like "$ERR" "^xendeck: $T_TMP/bad.cfg:[0-9]+:[0-9]+: " "error names FILE:LINE:COL"
is "$(echo "$ERR" | wc -l)" 1 "one line"

q_pv nokern
sed -i "s|^kernel = .*|kernel = \"$T_TMP/no-such-vmlinuz\"|" "$T_TMP/nokern.cfg"
run "$XENDECK" create "$T_TMP/nokern.cfg"
is "$RC" 1 "missing kernel: exit 1"
is "$ERR" "xendeck: kernel: $T_TMP/no-such-vmlinuz: No such file or directory" \
    "names the key and the path"
ok "$(nothing_left nokern; echo $?)" "nothing left behind"

q_pv nodisk "disk = [ 'file:$T_TMP/no-such.img,xvda,w' ]"
run "$XENDECK" create "$T_TMP/nodisk.cfg"
is "$RC" 1 "missing disk: exit 1"
is "$ERR" "xendeck: disk[0]: $T_TMP/no-such.img: No such file or directory" \
    "names the disk entry and the path"
ok "$(nothing_left nodisk; echo $?)" "nothing left behind"

cat >"$T_TMP/noiso.cfg" <<EOC
name = "noiso"
type = "hvm"
memory = 64
disk = [ '$T_TMP/no-such.iso,,hdc,cdrom' ]
EOC
run "$XENDECK" create "$T_TMP/noiso.cfg"
is "$RC" 1 "missing ISO: exit 1"
is "$ERR" "xendeck: disk[0]: $T_TMP/no-such.iso: No such file or directory" \
    "names the cdrom entry and the path"
ok "$(nothing_left noiso; echo $?)" "nothing left behind"

q_pv nobr "vif = [ 'bridge=xdnosuchbr0' ]"
run "$XENDECK" create "$T_TMP/nobr.cfg"
is "$RC" 1 "missing bridge: exit 1"
like "$ERR" "^xendeck: vif\[0\]: bridge xdnosuchbr0 does not exist" \
    "names the bridge"
ok "$(nothing_left nobr; echo $?)" "nothing left behind"

# A VNC port in use (vncunused=0 asks for exactly that display).
port=$((5960 + $$ % 30))
python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(1); time.sleep(60)" &
lpid=$!
stop_listener() { kill "$lpid" 2>/dev/null; }
at_exit stop_listener
wait_for 20 sh -c "ss -ltn | grep -q '127.0.0.1:$port '"
q_pv vncbusy 'vnc = 1' "vnclisten = \"127.0.0.1\"" "vncdisplay = $((port - 5900))" \
    'vncunused = 0'
run "$XENDECK" create "$T_TMP/vncbusy.cfg"
is "$RC" 1 "VNC port in use: exit 1"
like "$ERR" "^xendeck: VNC port 127.0.0.1:$port is in use \(vncdisplay=$((port - 5900))\)" \
    "names the port and the key"
ok "$(nothing_left vncbusy; echo $?)" "nothing left behind"
stop_listener

q_pv noqemu
XENDECK_QEMU=$T_TMP/no-qemu run "$XENDECK" create "$T_TMP/noqemu.cfg"
is "$RC" 1 "QEMU not installed: exit 1"
like "$ERR" "QEMU is not installed: $T_TMP/no-qemu" "names the binary"
ok "$(nothing_left noqemu; echo $?)" "nothing left behind"

if command -v setpriv >/dev/null; then
	q_pv notroot
	chmod 755 "$T_TMP"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$XENDECK" create "$T_TMP/notroot.cfg"
	is "$RC" 1 "not root: exit 1"
	is "$ERR" "xendeck: create: must be run as root" "says root is needed"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$XENDECK" destroy --yes x
	is "$ERR" "xendeck: destroy: must be run as root" "destroy too"
	ok "$(nothing_left notroot; echo $?)" "nothing left behind"
fi

# Two creates of one name at once: one wins, the other says why.
q_pv race
"$XENDECK" create "$T_TMP/race.cfg" >"$T_TMP/r1.out" 2>&1 &
p1=$!
"$XENDECK" create "$T_TMP/race.cfg" >"$T_TMP/r2.out" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$((r1 + r2))" 1 "two creates of one name: one wins ($r1, $r2)"
like "$(cat "$T_TMP/r1.out" "$T_TMP/r2.out")" \
    "^xendeck: domain race (already exists \(domid [0-9]+\)|is being created)$" \
    "the loser says the name is taken"
is "$("$XENDECK" list | grep -c '^race ')" 1 "one domain race is listed"
run "$XENDECK" create "$T_TMP/race.cfg"
like "$ERR" "^xendeck: domain race already exists" "a later create is refused too"
"$XENDECK" destroy --yes race
ok "$(nothing_left race; echo $?)" "destroyed: nothing left"

# Dry run: the QEMU command line, nothing started.
q_pv dry 'vcpus = 2' "disk = [ '$KERNEL,raw,xvda,r' ]" 'vnc = 1' \
    'vncpasswd = "s3cret"'
run "$XENDECK" create -n "$T_TMP/dry.cfg"
is "$RC" 0 "create -n exits 0"
like "$OUT" "^/[^ ]*qemu-system-x86_64 -name guest=dry" "prints QEMU's command line"
like "$OUT" " -kernel $KERNEL -initrd $INITRD " "PV: direct kernel boot"
like "$OUT" " -append 'console=ttyS0 xd.name=dry'" "console=hvc0 becomes ttyS0"
like "$OUT" "format=raw,if=none,id=vbd-xvda,readonly=on -device virtio-blk-pci" \
    "PV disk: virtio-blk, read-only"
like "$OUT" "-vnc unix:$XENDECK_RUNDIR/dry/vnc.sock,password=on" \
    "VNC on a private unix socket, password on"
like "$OUT" "-smp 2 " "vcpus"
like "$OUT" "-device pvpanic " "pvpanic for crashes"
unlike "$OUT" "s3cret" "the VNC password is not on the command line"
ok "$(nothing_left dry; echo $?)" "dry run starts nothing"

cat >"$T_TMP/hvmdry.cfg" <<EOC
name = "hvmdry"
builder = "hvm"
kernel = "/usr/lib/xen-4.17/boot/hvmloader"
device_model_version = "qemu-xen"
memory = 64
boot = "dc"
disk = [ '$KERNEL,raw,hda,w', ',,hdc,cdrom' ]
vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr7' ]
vnclisten = "127.0.0.1"
EOC
run "$XENDECK" -v -l "$T_TMP/hvmdry.log" create -n "$T_TMP/hvmdry.cfg"
is "$RC" 0 "HVM dry run exits 0"
like "$OUT" "-boot order=dc " "boot order"
like "$OUT" "if=ide,index=0,media=disk,id=vbd-hda " "IDE disk"
like "$OUT" "-drive if=ide,index=2,media=cdrom,id=vbd-hdc " "empty cdrom"
like "$OUT" "-netdev tap,id=net0,ifname=vif[0-9]+\.0,script=no,downscript=no -device rtl8139,netdev=net0,mac=00:16:3e:01:02:03" \
    "vif: tap vif<domid>.0, rtl8139 by default, the MAC given"
like "$OUT" "-vnc 127.0.0.1:0,to=99" "vnclisten: TCP, vncunused by default"
like "$OUT" "-vga std" "VGA"
unlike "$OUT" "hvmloader" "hvmloader is not passed on"
log=$(cat "$T_TMP/hvmdry.log")
like "$log" "hvmloader.*Xen-only, ignored" "hvmloader logged as ignored"
like "$log" "device_model_version.*Xen-only, ignored" "device_model_version too"

run "$XENDECK" info
is "$RC" 0 "info exits 0"
like "$OUT" "^nr_cpus +: [0-9]+$" "info: nr_cpus"
like "$OUT" "^total_memory +: [0-9]+$" "info: total_memory"
like "$OUT" "^virt_caps +: hvm" "info: virt_caps"
like "$OUT" "^xendeck_backend +: qemu$" "info: backend"
like "$OUT" "^accelerator +: (kvm|tcg)" "info: accelerator"
like "$OUT" "^qemu_version +: [0-9]+\.[0-9]+" "info: QEMU version"
done_testing
