#!/bin/bash
# Inside the lab dom0: xl create of a tiny PV guest (the dom0's Debian
# kernel and a busybox initramfs) from a file; it reaches running and its
# console shows the marker.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"
KIT=${XDLAB_GUEST_KIT:-/var/lib/xendeck-lab/guest}
[ -f "$KIT/vmlinuz" ] || skip_all "no guest kit in $KIT"

NAME=xdlab-pv$$
CFG=$T_TMP/$NAME.cfg
cat >"$CFG" <<CFG
name = "$NAME"
type = "pv"
kernel = "$KIT/vmlinuz"
ramdisk = "$KIT/initrd.img"
extra = "console=hvc0"
memory = 96
vcpus = 1
on_crash = "preserve"
CFG
destroy() { xl destroy "$NAME" >/dev/null 2>&1; }
at_exit destroy

present() { xl list "$NAME" >/dev/null 2>&1; }
# xl itself has crashed rarely under TCG (pitfalls): judge by the domain's
# real state, and retry the create once.
run xl create "$CFG"
if ! present; then
	diag "xl create failed once (rc $RC): $ERR; retrying"
	destroy
	run xl create "$CFG"
fi
ok "$(present; echo $?)" "xl create $NAME.cfg made the domain"
# Right after the create its state can be "------" (not yet scheduled).
running() { xl list "$NAME" 2>/dev/null | awk 'NR == 2 { exit !($5 ~ /^-*[rb]/) }'; }
wait_for 60 running
ok $? "the domain reaches running (r or b in xl list)"
domid=$(xl domid "$NAME" 2>/dev/null)
like "$domid" '^[1-9][0-9]*$' "it has a domain id"

LOG=/var/log/xen/console/guest-$NAME.log
wait_for 90 grep -q XENDECK-GUEST-UP "$LOG"
ok $? "its console shows the marker"
run xenstore-read "/local/domain/$domid/console/type"
is "$RC" 0 "its console is in xenstore"

run xl destroy "$NAME"
is "$RC" 0 "xl destroy"
ok "$(present && echo 1 || echo 0)" "the domain is gone"

done_testing
