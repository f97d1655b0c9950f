#!/bin/bash
# Inside the lab dom0: the xl backend's ops called directly (libxl,
# libxenstat, xenstore) on a tiny PV guest: host facts, list, create,
# the PV console, sample, pause/unpause, shutdown -w, create -p, destroy.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
PROG=$XD_BUILDDIR/t/lab-xl-backend
if [ ! -x "$PROG" ]; then
	plan 1
	fail "t/lab-xl-backend is built (make check builds it on the host)"
	exit 1
fi
NAME=xd-be$$
XL_GUESTS=$NAME
xl_guest_kit "$T_TMP"
CFG=$(xl_guest_cfg "$T_TMP" "$NAME")
XL_TEST_LOG=$T_TMP/backend.log "$PROG" "$CFG" "$NAME"
rc=$?
if [ $rc -ne 0 ]; then
	diag "the backend's log (last lines):"
	tail -25 "$T_TMP/backend.log" 2>/dev/null | diag "$(cat)"
	diag "guest console:"; xl_console_log "$NAME" | tail -10 | diag "$(cat)"
	diag "xl's monitor: $(pgrep -af "xl create" || echo none running)"
	tail -5 "/var/log/xen/xl-$NAME.log" 2>&1 | diag "$(cat)"
fi
exit $rc
