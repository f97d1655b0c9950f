#!/bin/bash
# Inside the lab dom0: the qemu backend's lifecycle list, on real Xen,
# through the real xendeck CLI (the xl backend, chosen by default on a
# dom0): create -> running -> console marker -> graceful shutdown -> gone;
# pause/unpause (cpu time stops); reboot (a new domain, booted again);
# destroy; and the one-line errors.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
NAME=xd-lc$$
XL_GUESTS=$NAME
xl_guest_kit "$T_TMP"
CFG=$(xl_guest_cfg "$T_TMP" "$NAME")
X() { "$XENDECK" -v -l "$T_TMP/xendeck.log" "$@"; }
xtime() { xl list "$NAME" 2>/dev/null | awk 'NR == 2 { print $6 }'; }
boots() { xl_console_log "$NAME" | grep -c "$XL_MARKER"; }

run X info
like "$OUT" 'xendeck_backend +: xl' "xendeck info: the xl backend is the default on a dom0"
like "$OUT" 'xl_version +: 4\.17' "xendeck info: Xen 4.17"
like "$OUT" 'accelerator +: xen' "xendeck info: accelerator xen"

# create -> running -> marker
run X create "$CFG"
is "$RC" 0 "xendeck create $NAME.cfg"
[ "$RC" -eq 0 ] || diag "$ERR"
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "xl list: it is alive (running, blocked or runnable)"
run X list
like "$OUT" "^$NAME +[0-9]+ +[0-9]+ +1 +[-rb]+" "xendeck list shows it"
wait_for 180 sh -c "grep -q $XL_MARKER /var/log/xen/console/guest-$NAME.log"
ok $? "its console shows the marker"

# pause: state p, cpu time stops; unpause
run X pause "$NAME"
is "$RC" 0 "xendeck pause"
like "$(xl_state "$NAME")" '^--p' "xl list: paused"
t1=$(xtime); sleep 2; t2=$(xtime)
is "$t2" "$t1" "cpu time does not advance while paused"
run X unpause "$NAME"
is "$RC" 0 "xendeck unpause"
unlike "$(xl_state "$NAME")" '^--p' "xl list: no longer paused"

# reboot: the guest runs /sbin/reboot, xl restarts it as a new domain
old=$(xl domid "$NAME")
run X reboot "$NAME"
is "$RC" 0 "xendeck reboot"
newdom() { n=$(xl domid "$NAME" 2>/dev/null) && [ "$n" != "$old" ]; }
# The guest's reboot, then xl's monitor building the domain again: under
# a loaded TCG lab this has taken over a minute.
wait_for 180 newdom
ok $? "it came back as a new domain ($old -> $(xl domid "$NAME" 2>/dev/null))" ||
    diag "$(xl list)" "xl's monitor: $(tail -5 "/var/log/xen/xl-$NAME.log" 2>&1)" \
    "console: $(xl_console_log "$NAME" | tail -3)"
wait_for 180 sh -c "[ \$(grep -c $XL_MARKER /var/log/xen/console/guest-$NAME.log) -ge 2 ]"
ok $? "and booted again (marker twice on its console)"

# graceful shutdown through the PV control interface, waited for
run X shutdown -w "$NAME"
is "$RC" 0 "xendeck shutdown -w"
[ "$RC" -eq 0 ] || diag "$ERR"
# shutdown -w returns at the shutdown; xl's own monitor then destroys the
# domain (on_poweroff), which under a loaded TCG lab can take a while.
wait_for 90 xl_gone "$NAME"; gone=$?
ok $gone "gone after the shutdown"
[ $gone -eq 0 ] || diag "$(xl list)"
xl_console_log "$NAME" | grep -q XENDECK-GUEST-poweroff
ok $? "the guest ran its poweroff (a graceful shutdown, not a destroy)"

# destroy
run X create -p "$CFG"
is "$RC" 0 "xendeck create -p"
like "$(xl_state "$NAME")" '^--p' "created paused"
run X destroy --yes "$NAME"
is "$RC" 0 "xendeck destroy"
ok "$(xl_gone "$NAME"; echo $?)" "gone after destroy"

# errors: one clear line, exit 1
run X shutdown no-such-domain
is "$RC" 1 "shutdown of an unknown domain fails"
is "$(printf '%s\n' "$ERR" | wc -l)" 1 "with one line"
like "$ERR" 'no-such-domain' "naming the domain"
run X destroy --yes Domain-0
is "$RC" 1 "destroy of Domain-0 is refused"
like "$(xl list Domain-0 | awk 'NR == 2 { print $2 }')" '^0$' "and dom0 is fine"
done_testing
