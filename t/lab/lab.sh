# Lab test helpers, sourced after tap.sh by tests that reboot the lab and
# go on after it (the plain lab only: the Xen lab's QEMU stops at a
# reboot). scripts/lab's test runner (xendeck-lab-tests) reboots when a
# test asks and runs the same file again afterwards with XDLAB_BOOT=2;
# the TAP count carries over, so the file's plan covers both boots.
#
#   if [ "$LAB_BOOT" -eq 1 ]; then ...; lab_reboot; fi
#   ... what runs after the reboot ...
LAB_BOOT=${XDLAB_BOOT:-1}
if [ "$LAB_BOOT" -gt 1 ] && [ -f "${XDLAB_STATE:-/nonexistent}/tap" ]; then
	. "$XDLAB_STATE/tap"
fi

# lab_reboot: keep the TAP count, ask the runner for a reboot, end this
# boot's part of the test.
lab_reboot() {
	if [ -z "${XDLAB_STATE:-}" ]; then
		fail "lab_reboot: not run by the lab's test runner"
		exit 1
	fi
	printf 'T_NUM=%s\nT_FAILED=%s\n' "$T_NUM" "$T_FAILED" \
	    >"$XDLAB_STATE/tap"
	: >"$XDLAB_STATE/reboot"
	exit 100
}
