#!/bin/bash
# Inside the lab dom0: xl's monitor, the daemon `xl create` leaves behind
# to act on on_poweroff/on_reboot/on_crash. Without it (killed, as an admin
# might; dead at birth, as measured in the lab) a guest that shuts down
# stays in state s for good, and xendeck must say so rather than succeed
# silently:
# - monitor killed, then `shutdown -w`: exit 0 (the shutdown happened) and
#   one warning naming the domain and `xendeck destroy`; the domain stays
#   listed, shut down, until destroyed;
# - on_poweroff = "preserve" with its monitor: the same shutdown is silent
#   (the monitor acts, logs it and exits);
# - a monitor that cannot start (its log cannot be rotated, so it exits at
#   once and xl create fails after building the domain): create fails and
#   names the domain left behind and how to remove it; nothing is
#   destroyed behind the user's back.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
NAME=xd-mon$$
PRE=xd-pre$$
ORPH=xd-orph$$
XL_GUESTS="$NAME $PRE $ORPH"
xl_guest_kit "$T_TMP"
CFG=$(xl_guest_cfg "$T_TMP" "$NAME")
PRECFG=$(xl_guest_cfg "$T_TMP" "$PRE" 'on_poweroff = "preserve"')
ORPHCFG=$(xl_guest_cfg "$T_TMP" "$ORPH")
# No -l: warnings then go to stderr, which is what the user sees.
X() { "$XENDECK" "$@"; }
# monitor NAME: the pid in the last "Waiting for domain" line of xl's log.
monitor() {
	sed -n 's/^Waiting for domain .* (domid [0-9]*) to die \[pid \([0-9]*\)\]$/\1/p' \
	    "/var/log/xen/xl-$1.log" 2>/dev/null | tail -1
}
up() { grep -q "$XL_MARKER" "/var/log/xen/console/guest-$1.log"; }
shut() { xl_state "$1" | grep -q '^...s'; }
rotate_block() {
	rm -rf "/var/log/xen/xl-$ORPH.log"*
}
at_exit rotate_block

# 1. the monitor killed behind xendeck's back
run X create "$CFG"
is "$RC" 0 "xendeck create $NAME"
is "$ERR" "" "no warning: its monitor started"
mon=$(monitor "$NAME")
like "$mon" '^[0-9]+$' "xl-$NAME.log names the monitor's pid ($mon)"
grep -q "(domid $(xl domid "$NAME")) to die" "/var/log/xen/xl-$NAME.log"
ok $? "for the domain's current domid"
like "$(tr '\0' ' ' <"/proc/$mon/cmdline" 2>/dev/null)" '^[^ ]*xl create' \
    "and it is an xl create"
wait_for 180 up "$NAME"
ok $? "the guest is up (marker on its console)"
kill -9 "$mon"
wait_for 10 sh -c "! kill -0 $mon"
ok $? "monitor killed"
run X shutdown -w "$NAME"
is "$RC" 0 "xendeck shutdown -w: exit 0 (the guest did shut down)"
is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "one line on stderr"
like "$ERR" "^xendeck: warning: $NAME has shut down, but no xl monitor runs for it to apply on_poweroff: it stays until \`xendeck destroy $NAME\`" \
    "it says nothing will reap the domain, and how to remove it"
diag "stderr: $ERR"
like "$(xl_state "$NAME")" '^...s' "xl list: still there, shut down"
sleep 3
like "$(xl_state "$NAME")" '^...s' "and stays so"
run X destroy --yes "$NAME"
is "$RC" 0 "xendeck destroy"
ok "$(xl_gone "$NAME"; echo $?)" "gone after destroy"

# 2. on_poweroff = "preserve": the monitor acts (keeps it) and exits
run X create "$PRECFG"
is "$RC" 0 "xendeck create $PRE (on_poweroff = preserve)"
is "$ERR" "" "no warning"
wait_for 180 up "$PRE"
ok $? "the guest is up"
run X shutdown -w "$PRE"
is "$RC" 0 "xendeck shutdown -w"
is "$ERR" "" "silent: its monitor saw the shutdown"
[ -z "$ERR" ] || diag "xl's monitor: $(cat "/var/log/xen/xl-$PRE.log")"
like "$(xl_state "$PRE")" '^...s' "xl list: preserved, shut down"
grep -q 'is preserve' "/var/log/xen/xl-$PRE.log"
ok $? "xl's log says the monitor preserved it"
run X destroy --yes "$PRE"
is "$RC" 0 "xendeck destroy $PRE"

# 3. a monitor that cannot start: xl create fails after building the
# domain. xl rotates xl-NAME.log before it logs; a directory where the
# tenth old log goes makes that fail, and the monitor exits at once.
rotate_block
: >"/var/log/xen/xl-$ORPH.log"
: >"/var/log/xen/xl-$ORPH.log.9"
mkdir -p "/var/log/xen/xl-$ORPH.log.10/keep"
run X create "$ORPHCFG"
is "$RC" 1 "xendeck create $ORPH whose monitor cannot start: exit 1"
is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "one line"
id=$(xl domid "$ORPH" 2>/dev/null)
like "$ERR" "^xendeck: .*xl create .*; domain $id \($ORPH\) was left behind without a monitor: \`xendeck destroy $ORPH\` removes it$" \
    "it says what xl did and names the domain left behind"
diag "stderr: $ERR"
[ "$RC" -eq 1 ] || diag "xl-$ORPH.log: $(cat "/var/log/xen/xl-$ORPH.log" 2>&1)"
like "$(xl_state "$ORPH")" '^[-rb]{2}-{4}$' "the domain is still there, running: not destroyed"
run X destroy --yes "$ORPH"
is "$RC" 0 "xendeck destroy $ORPH"
ok "$(xl_gone "$ORPH"; echo $?)" "gone after destroy"
done_testing
