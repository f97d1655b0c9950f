#!/bin/bash
# Inside the lab dom0: the guide's GRUB step. After dpkg-divert renames
# 20_linux_xen to 08_linux_xen, update-grub puts the Xen entry first.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"

undivert() {
	dpkg-divert --quiet --rename --remove /etc/grub.d/20_linux_xen
}
at_exit undivert

ok "$([ -x /etc/grub.d/20_linux_xen ] && [ -x /etc/grub.d/10_linux ]; echo $?)" \
    "before: 10_linux runs before 20_linux_xen"

run dpkg-divert --divert /etc/grub.d/08_linux_xen --rename /etc/grub.d/20_linux_xen
is "$RC" 0 "dpkg-divert 20_linux_xen to 08_linux_xen"
ok "$([ -x /etc/grub.d/08_linux_xen ] && [ ! -e /etc/grub.d/20_linux_xen ]; echo $?)" \
    "the script moved"

SECONDS=0
run update-grub
is "$RC" 0 "update-grub"
diag "update-grub took $SECONDS s"
like "$ERR" 'Found linux image' "update-grub found the dom0 kernel"
first=$(grep -m1 '^menuentry' /boot/grub/grub.cfg)
like "$first" 'with Xen hypervisor' "the first entry is the Xen one"
entry=$(awk '/^menuentry/ { n++ } n == 1' /boot/grub/grub.cfg)
like "$entry" 'multiboot2[[:space:]]+/boot/xen-4\.17-amd64\.gz' "it loads xen.gz by multiboot2"
like "$entry" 'dom0_mem=[0-9]+M' "with dom0_mem from /etc/default/grub.d"
like "$entry" 'module2[[:space:]]+/boot/vmlinuz-[^ ]+ ' "the dom0 kernel is a module"
like "$entry" 'module2[[:space:]]+(--nounzip[[:space:]]+)?/boot/initrd\.img-' "so is its initrd"

done_testing
