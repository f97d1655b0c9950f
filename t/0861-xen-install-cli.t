#!/bin/sh
# The Xen install wizard's CLI where no lab is needed: its fields (--help),
# bad values refused with exit 2 naming the field, and `xendeck
# grub-default` on real grub.cfg files (t/grub) in a throwaway root. The
# install itself runs in the plain lab (t/0601-lab-plain.t).
. "${0%/*}/tap.sh"
XENDECK_STATEDIR=$T_TMP/state
export XENDECK_STATEDIR

run "$XENDECK" wizard
like "$OUT" '^xen-install +install Xen' "xendeck wizard lists xen-install"
run "$XENDECK" wizard xen-install --help
is "$RC" 0 "xen-install --help"
for f in hvm grub dom0-mem dom0-vcpus; do
	like "$OUT" "^  $f " "a field: $f"
done
like "$OUT" 'xend-config.sxp' "it says what became of the guide's xend step"

run "$XENDECK" wizard xen-install --set dom0-mem=lots
is "$RC" 2 "dom0-mem=lots: exit 2"
like "$ERR" "^xendeck: dom0-mem: 'lots' is not a dom0_mem value" "naming the field"
run "$XENDECK" wizard xen-install --set dom0-mem=32M
is "$RC" 2 "dom0-mem=32M (below 64M): exit 2"
run "$XENDECK" wizard xen-install --set dom0-vcpus=4-2
is "$RC" 2 "dom0-vcpus=4-2: exit 2"
like "$ERR" "^xendeck: dom0-vcpus: '4-2'" "naming the field"
run "$XENDECK" wizard xen-install --set grub=maybe
is "$RC" 2 "grub=maybe: exit 2"
run "$XENDECK" wizard xen-install --set colour=blue
is "$RC" 2 "an unknown key: exit 2"

# grub-default on update-grub's own output (Debian 12, the plain lab).
root=$T_TMP/root
mkdir -p "$root/boot/grub"
cp "$XD_SRCDIR/t/grub/grub-plain.cfg" "$root/boot/grub/grub.cfg"
run "$XENDECK" grub-default --root "$root"
is "$RC" 0 "grub-default: exit 0 without --xen"
like "$OUT" "^default: Debian GNU/Linux \(default=\"0\"\)" "without Xen: Debian's entry 0"
like "$OUT" '^xen-default: no \(' "not Xen, and why"
run "$XENDECK" grub-default --root "$root" --xen
is "$RC" 1 "--xen: exit 1 when the default is not Xen"

cp "$XD_SRCDIR/t/grub/grub-xencfg.cfg" "$root/boot/grub/grub.cfg"
run "$XENDECK" grub-default --root "$root" --xen console=com1
is "$RC" 0 "after the install: the default boots Xen with console=com1"
like "$OUT" '^hypervisor: /boot/xen-4\.17-amd64\.gz placeholder console=com1 ' "the hypervisor line"
like "$OUT" '^kernel: /boot/vmlinuz-[^ ]+ placeholder root=UUID=' "the dom0 kernel line"
run "$XENDECK" grub-default --root "$root" --xen dom0_mem=1024M,max:1024M
is "$RC" 1 "an option Xen's line lacks: exit 1"
like "$OUT" "^xen-default: no \(Xen's command line has no dom0_mem\)" "saying which"
run "$XENDECK" grub-default --root "$root" --xen nokey
is "$RC" 2 "not KEY=VALUE: usage error"

rm "$root/boot/grub/grub.cfg"
run "$XENDECK" grub-default --root "$root"
is "$RC" 1 "no grub.cfg: exit 1"
like "$ERR" "grub-default: $root/boot/grub/grub.cfg: No such file" "naming the file"

done_testing
