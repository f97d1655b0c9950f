#!/bin/sh
# The tiny PV guest really boots (direct kernel boot, as the qemu backend
# does for type="pv"): marker with the xd.name, hostile escapes on request,
# a shell on the serial console, sysrq enabled, and an ACPI power button
# press (QMP system_powerdown) powers it off.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
gk_kit pv

name=gk-pv-$$
gk_qemu pv -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 xd.name=$name xd.hostile=1"
diag "accel $(gk_accel)"
wait_for 120 gk_seen pv "^XENDECK-GUEST-READY name=$name\$"
ok $? "marker with the name from xd.name ($(gk_accel))"
wait_for 10 gk_seen pv "XENDECK-HOSTILE-DONE"
ok $? "xd.hostile=1 finishes with XENDECK-HOSTILE-DONE"
grep -aq "$(printf '\033]52;c;')" "$T_TMP/pv.log"
ok $? "hostile output holds an OSC 52 clipboard write"
grep -aq "$(printf '\033\\[?1049h')" "$T_TMP/pv.log"
ok $? "hostile output switches to the alternate screen"

wait_for 30 gk_seen pv "^$name# "
ok $? "shell prompt on the serial console"
gk_type pv "echo hi-\$((6*7)) sysrq=\$(cat /proc/sys/kernel/sysrq)"
wait_for 30 gk_seen pv "^hi-42 sysrq=1\$"
ok $? "typed command runs; sysrq is enabled"

gk_qmp pv system_powerdown >/dev/null 2>"$T_TMP/qmp.err"
ok $? "QMP system_powerdown accepted"
wait_for 60 gk_seen pv "^XENDECK-GUEST-POWEROFF\$"
ok $? "guest acpid handles the power button"
wait_for 60 sh -c "! kill -0 $GK_PID 2>/dev/null"
ok $? "QEMU exits: the guest powered off"
[ "$T_FAILED" -eq 0 ] || diag "serial log:" "$(tr -d '\r' <"$T_TMP/pv.log" |
    tail -n 25)"
done_testing
