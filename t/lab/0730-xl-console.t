#!/bin/bash
# Inside the lab dom0: `xendeck console` opens a guest's PV console (the
# pty xenconsoled publishes in xenstore): the boot marker through
# `create -c`, then a command typed into the guest's shell and its answer;
# ctrl+] leaves. And the console of an unknown domain is one clear line.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
xl_require_dom0
NAME=xd-con$$
XL_GUESTS=$NAME
xl_guest_kit "$T_TMP"
CFG=$(xl_guest_cfg "$T_TMP" "$NAME")
X() { "$XENDECK" -v -l "$T_TMP/xendeck.log" "$@"; }

# create -c: the console from the first line. xenconsoled's own log of the
# guest says when the marker was printed (TCG is slow: it may take
# minutes); then it must be on create -c's output too.
leave_after_marker() {
	for _ in $(seq 1 480); do
		grep -q "$XL_MARKER" "/var/log/xen/console/guest-$NAME.log" \
		    2>/dev/null && break
		sleep 0.5
	done
	for _ in $(seq 1 20); do
		grep -q "$XL_MARKER" "$T_TMP/create.out" 2>/dev/null && break
		sleep 0.5
	done
	printf '\035'
}
leave_after_marker | timeout 260 "$XENDECK" create -c "$CFG" \
    >"$T_TMP/create.out" 2>"$T_TMP/create.err"
rc=$?
is "$rc" 0 "xendeck create -c: ctrl+] leaves, exit 0"
[ "$rc" -eq 0 ] || diag "$(cat "$T_TMP/create.err")"
grep -q "$XL_MARKER" "$T_TMP/create.out"
ok $? "create -c shows the guest's boot on its PV console"
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "the guest still runs after leaving"

# console: type into the guest's shell, read its answer.
type_then_leave() {
	sleep 2
	printf 'echo XD-$((6*7))-OK\r'
	for _ in $(seq 1 40); do
		grep -q 'XD-42-OK' "$T_TMP/con.out" 2>/dev/null && break
		sleep 0.5
	done
	printf '\035'
}
type_then_leave | timeout 30 "$XENDECK" console "$NAME" \
    >"$T_TMP/con.out" 2>"$T_TMP/con.err"
rc=$?
is "$rc" 0 "xendeck console $NAME: ctrl+] leaves, exit 0"
grep -q 'XD-42-OK' "$T_TMP/con.out"
ok $? "a command typed on the console runs in the guest and answers"
[ "$rc" -eq 0 ] && grep -q 'XD-42-OK' "$T_TMP/con.out" ||
    diag "console said: $(tr -d '\r' <"$T_TMP/con.out" | tail -5)" "$(cat "$T_TMP/con.err")"
like "$(xl_state "$NAME")" '^[-rb]{2}-{4}$' "the guest still runs after leaving"

run X console no-such-domain
is "$RC" 1 "the console of an unknown domain: exit 1"
is "$(printf '%s\n' "$ERR" | wc -l)" 1 "one line"
like "$ERR" '^xendeck: .*no-such-domain' "naming the domain"
xl destroy "$NAME"
done_testing
