#!/bin/bash
# Inside the lab dom0: the console itself (in tmux) on the xl backend. The
# Domains view lists Domain-0 and a PV guest as xl does; c opens the
# guest's PV console in the serial view (a typed command answers there);
# ctrl+] leaves; p pauses and unpauses; Tab shows the Top view with both
# domains; s shuts the guest down gracefully and it leaves the list.
. "${0%/*}/../tap.sh"
. "${0%/*}/../tui.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
command -v tmux >/dev/null || skip_all "tmux is not in the lab image"
NAME=xd-tui$$
XL_GUESTS=$NAME
xl_guest_kit "$T_TMP"
CFG=$(xl_guest_cfg "$T_TMP" "$NAME")

run "$XENDECK" create "$CFG"
is "$RC" 0 "xendeck create $NAME (the xl backend)"
[ "$RC" -eq 0 ] || diag "$ERR"
wait_for 120 sh -c "grep -q $XL_MARKER /var/log/xen/console/guest-$NAME.log"
ok $? "the guest booted (its marker on xenconsoled's log)"
domid=$(xl domid "$NAME")

tui_start "XENDECK_RUNDIR=$XENDECK_RUNDIR" "XENDECK_LOGDIR=$XENDECK_LOGDIR" -- \
    -l "$T_TMP/tui.log" -v
tui_wait '^Domain-0 +0 +1024 +2 ' 20
ok $? "Domains view: Domain-0 as xl list has it (id 0, 1024 MiB, 2 vcpus)"
tui_wait "^$NAME +$domid +128 +1 " 10
ok $? "Domains view: the guest with its domain id"

# The guest's PV console in the serial view.
tui_keys G c
tui_wait "Console of $NAME" 10; ok $? "c opens the guest's console"
tui_keys Enter
tui_wait '^/ # ' 20; ok $? "the guest's shell prompt shows (through xenconsoled's pty)"
tui_type 'echo xd-$((6*7))-ok'; tui_keys Enter
tui_wait '^xd-42-ok' 20; ok $? "a typed command runs in the guest, its output shows"
tui_keys C-]
tui_gone "Console of $NAME" 10; ok $? "ctrl+] leaves the console"
tui_wait "^$NAME +$domid " 10; ok $? "back in the Domains view"

# Pause and unpause through libxl.
tui_keys p
tui_wait "^$NAME +$domid +128 +1 +--p---" 15; ok $? "p pauses the guest"
like "$(xl_state "$NAME")" '^--p' "xl list agrees: paused"
tui_keys p
tui_wait "^$NAME +$domid +128 +1 +[rb-]{2}-{4}" 15; ok $? "p again unpauses it"
unlike "$(xl_state "$NAME")" '^--p' "xl list agrees: not paused"

# The Top view: xentop's columns for both domains, from libxenstat.
tui_keys Tab
tui_wait 'CPU\(sec\)' 10; ok $? "Tab: the Top view with xentop's columns"
tui_wait "$NAME" 5; ok $? "the guest is in it"
tui_wait 'Domain-0' 5; ok $? "and Domain-0"
tui_keys Escape
tui_wait "^$NAME +$domid " 10; ok $? "Esc: back to Domains"

# A graceful shutdown: the PV request reaches the guest's poweroff.
tui_keys G s
# (a loaded host may draw the countdown's end before the test reads it;
# the status line is the console's, so what was read is kept)
tui_wait "shutting down $NAME: [0-9]+ s left|$NAME has shut down" 30
ok $? "s: shutting down, with a countdown"
if tui_screen | grep -q "$NAME has shut down"; then
	pass "the guest shut down and the view says so"
else
	tui_wait "$NAME has shut down" 90
	ok $? "the guest shut down and the view says so"
fi
tui_gone "^$NAME +[0-9]" 30; ok $? "and it left the list"
wait_for 30 xl_gone "$NAME"
ok $? "xl list agrees: gone"
xl_console_log "$NAME" | grep -q XENDECK-GUEST-poweroff
ok $? "the guest ran its poweroff (graceful, not destroyed)"
tui_keys q
tui_wait '^XD-EXITED 0' 10; ok $? "q quits cleanly"
done_testing
