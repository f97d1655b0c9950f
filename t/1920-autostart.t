#!/bin/sh
# Domains that follow the host, on the QEMU backend: `xendeck autostart`
# adds and removes its own links in /etc/xen/auto ($XENDECK_XEN_DIR/auto)
# and refuses what it did not make; xendeck-domains.service's commands,
# run as systemd runs them (the unit's ExecStart and ExecStop, the
# environment of its EnvironmentFile, no terminal, its own session), start
# the domains in auto/ and no other, then at shutdown two guests shut down
# on their power button (their consoles show it) and one that ignores ACPI
# (acpi=off) is destroyed when the timeout runs out. The console marks the
# domains that start with the host (A) and its a key adds and removes one.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
. "${0%/*}/tui.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (QEMU domains)"
gk_kit pv
q_setup
XENDECK_XEN_DIR=$T_TMP/xen
XENDECK_STATEDIR=$T_TMP/state
export XENDECK_XEN_DIR XENDECK_STATEDIR
AUTO=$XENDECK_XEN_DIR/auto
UNIT=$XD_SRCDIR/systemd/xendeck-domains.service.in
DEFAULTS=$XD_SRCDIR/systemd/default/xendeck
mkdir -p "$XENDECK_XEN_DIR" "$T_TMP/elsewhere"

# as1, as2: ordinary guests; as3 ignores the power button (no ACPI in its
# kernel); as4 is configured but not to start with the host.
q_pv as1; mv "$T_TMP/as1.cfg" "$XENDECK_XEN_DIR/as1.cfg"
q_pv as2; mv "$T_TMP/as2.cfg" "$T_TMP/elsewhere/as2.cfg"
q_pv as3; sed 's/^extra = "\(.*\)"$/extra = "\1 acpi=off"/' \
    "$T_TMP/as3.cfg" >"$T_TMP/as3.acpioff"
q_pv as4; mv "$T_TMP/as4.cfg" "$XENDECK_XEN_DIR/as4.cfg"
grep -q 'acpi=off"$' "$T_TMP/as3.acpioff"
ok $? "as3's kernel command line turns ACPI off"

# add: by name (the config in the Xen dir), by file; a hand-made entry.
run "$XENDECK" autostart add as1
is "$RC" 0 "add DOMAIN exits 0"
like "$OUT" "^as1 now starts with the host \($XENDECK_XEN_DIR/as1.cfg\)" \
    "it found as1's config in the Xen dir"
is "$(readlink "$AUTO/as1.cfg")" "$XENDECK_XEN_DIR/as1.cfg" "a link in auto/"
run "$XENDECK" autostart add "$T_TMP/elsewhere/as2.cfg"
is "$RC" 0 "add FILE exits 0"
is "$(readlink "$AUTO/as2.cfg")" "$T_TMP/elsewhere/as2.cfg" "linked to the file"
run "$XENDECK" autostart add as2
is "$RC" 1 "add DOMAIN without a config in the Xen dir is refused"
like "$ERR" "no config in $XENDECK_XEN_DIR names as2: give its file" \
    "and says how to give the file"
run "$XENDECK" autostart add "$T_TMP/elsewhere/as2.cfg"
is "$RC:$OUT" "0:as2 starts already with the host ($T_TMP/elsewhere/as2.cfg)" \
    "adding it again is fine and says so"
cp "$T_TMP/as3.acpioff" "$AUTO/as3"
cp "$XENDECK_XEN_DIR/as4.cfg" "$AUTO/.as4.cfg"
cp "$XENDECK_XEN_DIR/as4.cfg" "$AUTO/as4.cfg~"
cp "$XENDECK_XEN_DIR/as4.cfg" "$AUTO/as4.cfg.dpkg-old"
run "$XENDECK" autostart list
is "$RC" 0 "list exits 0"
is "$(echo "$OUT" | awk 'NR > 1 { print $1 "/" $3 }' | tr '\n' ' ')" \
    "as1/xendeck as2/xendeck as3/hand " \
    "list: the three configs, who made them; no dotfile or backup"
run "$XENDECK" autostart list --json
is "$(echo "$OUT" | jq -r '.[] | "\(.name):\(.xendeck):\(.state)"' |
    tr '\n' ' ')" "as1:true:null as2:true:null as3:false:null " \
    "list --json: none runs yet"

# What was not made by xendeck is left alone.
run "$XENDECK" autostart remove as3
is "$RC" 1 "remove of a hand-made entry is refused"
like "$ERR" "$AUTO/as3: not made by xendeck: left as it is" "saying why"
ok "$([ -f "$AUTO/as3" ]; echo $?)" "and the file is still there"
ln -s "$XENDECK_XEN_DIR/as4.cfg" "$AUTO/as5.cfg"
run "$XENDECK" autostart remove as4
is "$RC" 1 "a hand-made link is refused too"
rm "$AUTO/as5.cfg"
cp "$T_TMP/as3.acpioff" "$T_TMP/elsewhere/as3.cfg"
run "$XENDECK" autostart add "$T_TMP/elsewhere/as3.cfg"
is "$RC" 1 "adding a domain another entry starts is refused"
like "$ERR" "as3 starts with the host already, from $AUTO/as3 \(not made by xendeck" \
    "naming the entry"
mkdir -p "$T_TMP/ro"
run "$XENDECK" --read-only autostart add as4
is "$RC" 1 "add is refused in read-only mode"

# The unit's commands, as systemd runs them.
# unit_cmd KEY: the unit's command line for KEY (ExecStart, ExecStop),
# without systemd's "-" prefix, with @bindir@ this build's.
unit_cmd() {
	sed -n "s/^$1=-\{0,1\}//p" "$UNIT" |
	    sed "s|@bindir@/xendeck|$XENDECK|"
}
# The EnvironmentFile's assignments (KEY=VALUE lines), and the test's.
sed 's/^XENDECK_SHUTDOWN_TIMEOUT=.*/XENDECK_SHUTDOWN_TIMEOUT=30/' "$DEFAULTS" \
    >"$T_TMP/default"
grep -q '^EnvironmentFile=-@sysconfdir@/default/xendeck$' "$UNIT"
ok $? "the unit reads /etc/default/xendeck"
grep -q '^XENDECK_SHUTDOWN_TIMEOUT=' "$DEFAULTS"
ok $? "which sets XENDECK_SHUTDOWN_TIMEOUT"
as_systemd() { # as_systemd KEY: run the unit's KEY command, log in $T_TMP/KEY
	(
		set -a
		. "$T_TMP/default"
		set +a
		cd /
		# shellcheck disable=SC2046
		exec setsid $(unit_cmd "$1") </dev/null
	) >"$T_TMP/$1.log" 2>&1
}
like "$(unit_cmd ExecStart)" "xendeck autostart start$" "ExecStart"
like "$(unit_cmd ExecStop)" "xendeck autostart stop$" "ExecStop"

as_systemd ExecStart
is "$?" 0 "the boot command exits 0"
log=$(cat "$T_TMP/ExecStart.log")
like "$log" "^as1: started \(domain [0-9]+\)" "as1 started"
like "$log" "^as2: started" "as2 started"
like "$log" "^as3: started" "as3 (a file put there by hand) started"
unlike "$log" "as4" "as4 is not in auto/: not started"
for d in as1 as2 as3; do
	ok "$(q_running "$d"; echo $?)" "$d runs"
done
is "$(q_state as4)" gone "as4 does not run"
as_systemd ExecStart
like "$(cat "$T_TMP/ExecStart.log")" "^as1: runs already" \
    "starting again leaves running domains alone"
is "$("$XENDECK" autostart list --json | jq -r '[.[] | .state != null] |
    all')" true "list: all three run"

# The shell prompt comes after acpid starts: the button works from then.
for d in as1 as2 as3; do
	wait_for 180 q_booted "$d" 1
	ok $? "$d has booted"
done

# The console: A marks them; a removes xendeck's link and adds it back.
if command -v tmux >/dev/null 2>&1; then
	tui_start XENDECK_RUNDIR="$XENDECK_RUNDIR" \
	    XENDECK_LOGDIR="$XENDECK_LOGDIR" XENDECK_XEN_DIR="$XENDECK_XEN_DIR" \
	    XENDECK_STATEDIR="$XENDECK_STATEDIR" --
	tui_wait '^as3 +A +[0-9]+ ' 30
	ok $? "the Domains view marks as1, as2, as3 with A"
	like "$(tui_screen)" '^as1 +A ' "as1 too"
	tui_keys j
	tui_keys a
	tui_wait '^as1 +[0-9]+ ' 30
	ok $? "a on as1: its A goes"
	ok "$([ ! -e "$AUTO/as1.cfg" ]; echo $?)" "and so does its link"
	tui_keys a
	tui_wait '^as1 +A ' 30
	ok $? "a again: as1 starts with the host again"
	is "$(readlink "$AUTO/as1.cfg")" "$XENDECK_XEN_DIR/as1.cfg" \
	    "linked to its config in the Xen dir"
	tui_keys j j a
	tui_wait "not made by xendeck" 30
	ok $? "a on as3 (put there by hand) is refused, saying why"
	ok "$([ -f "$AUTO/as3" ]; echo $?)" "as3's file stays"
	tui_stop
fi

t0=$(date +%s)
as_systemd ExecStop
is "$?" 0 "the shutdown command exits 0"
t1=$(date +%s)
log=$(cat "$T_TMP/ExecStop.log")
diag "$log"
like "$log" "^shutting down 3 domains \(up to 30 s" "it asks all three"
like "$log" "^as1: shut down after [0-9.]+ s" "as1 shut down gracefully"
like "$log" "^as2: shut down after [0-9.]+ s" "as2 shut down gracefully"
q_seen as1 '^XENDECK-GUEST-POWEROFF$'
ok $? "as1's console shows the shutdown"
q_seen as2 '^XENDECK-GUEST-POWEROFF$'
ok $? "as2's console shows the shutdown"
like "$log" "^as3: still running after 30 s: destroying it" \
    "as3 ignored ACPI and was destroyed after the timeout"
like "$log" "^as3: destroyed" "as3 destroyed"
q_seen as3 '^XENDECK-GUEST-POWEROFF$'
ok "$((! $?))" "as3's console shows no shutdown"
ok "$([ $((t1 - t0)) -ge 30 ]; echo $?)" "the timeout was waited ($((t1 - t0)) s)"
like "$log" "every domain has stopped\$" "it ends saying so"
for d in as1 as2 as3; do
	is "$(q_state "$d")" gone "$d is gone"
done

# remove: only xendeck's link goes.
run "$XENDECK" autostart remove as1
is "$RC:$OUT" "0:as1 no longer starts with the host" "remove exits 0"
ok "$([ ! -e "$AUTO/as1.cfg" ] && [ -f "$XENDECK_XEN_DIR/as1.cfg" ]; echo $?)" \
    "the link is gone, the config is kept"
run "$XENDECK" autostart remove as1
is "$RC" 1 "removing it again is refused (nothing starts it)"
# A link changed behind xendeck's back is not its own any more.
ln -sf "$XENDECK_XEN_DIR/as4.cfg" "$AUTO/as2.cfg"
run "$XENDECK" autostart remove as4
is "$RC" 1 "a link that points elsewhere than recorded is refused"
done_testing
