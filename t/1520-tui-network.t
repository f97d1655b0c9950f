#!/bin/bash
# The Network view (6) in the real console, in the network namespaces of
# t/bridge.sh: it flags a bridge a domain's xl.cfg names but which does not
# exist, shows the bridge wizard's plan for it (b), applies it as a job (A,
# y), shows the trial's countdown, and keeps the change (C); the bridge then
# appears with the NIC as its port and the NIC's address.
. "${0%/*}/tap.sh"
. "${0%/*}/bridge.sh"
. "${0%/*}/tui.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
br_require
br_setup || { fail "setup"; done_testing; exit 1; }

# A domain file naming the bridge that is not there yet.
XENDECK_XEN_DIR=$T_TMP/xen
export XENDECK_XEN_DIR
mkdir -p "$XENDECK_XEN_DIR"
cat >"$XENDECK_XEN_DIR/web1.cfg" <<EOF
name = "web1"
memory = 128
kernel = "/boot/vmlinuz"
vif = [ "bridge=$BR" ]
EOF
# The console runs in the host namespace.
cat >"$T_TMP/xendeck-ns" <<EOF
#!/bin/sh
exec ip netns exec $NSH "$XENDECK" "\$@"
EOF
chmod +x "$T_TMP/xendeck-ns"
XENDECK=$T_TMP/xendeck-ns

tui_start XENDECK_RUNDIR="$XENDECK_RUNDIR" XENDECK_LOGDIR="$XENDECK_LOGDIR" \
    XENDECK_STATEDIR="$XENDECK_STATEDIR" \
    XENDECK_INTERFACES="$XENDECK_INTERFACES" \
    XENDECK_IFSTATE="$XENDECK_IFSTATE" \
    XENDECK_XEN_DIR="$XENDECK_XEN_DIR" --
tui_wait "Domains" 30
ok $? "the console is up"
tui_keys 6
tui_wait "Network: bridges" 10
ok $? "6 opens the Network view"
tui_wait "$NIC +[a-z]+ +up .*${ADDR0%/*}" 15
ok $? "the NIC with its address"
tui_wait "$BR +MISSING: named by web1 \($XENDECK_XEN_DIR/web1.cfg\)" 15
ok $? "the bridge web1's vif names is flagged missing"
tui_wait "default route \(IPv4\): via $BR_NET.1 on $NIC" 10
ok $? "the default route"

tui_keys b
tui_wait "bridge wizard: $BR on|iface $NIC inet manual" 30
ok $? "b: the bridge wizard's plan for it"
tui_wait "bridge_hw $NIC" 5
ok $? "the plan sets bridge_hw"
tui_keys Escape
tui_wait "Network: bridges" 10
tui_keys A
tui_wait "Apply the bridge wizard \($BR\)" 10
ok $? "A asks first"
tui_type y
tui_keys Enter
tui_wait "$BR on $NIC is on trial: C keeps it" 60
ok $? "the trial's countdown shows"
tui_wait "^ +$BR +bridge +up .*${ADDR0%/*}" 15
ok $? "the bridge has the NIC's address"
tui_wait "^ +  $NIC +" 15
ok $? "the NIC is its port"
tui_gone "MISSING" 15
ok $? "no longer missing"
tui_keys C
tui_wait "last bridge change: confirmed: $BR stays" 30
ok $? "C keeps it"
grep -q "^iface $BR inet dhcp\$" "$XENDECK_INTERFACES"
ok $? "the interfaces file has the bridge"
is "$(br_addr "$BR")" "$ADDR0" "the bridge keeps the address"
tui_keys q
tui_wait "XD-EXITED 0" 15
ok $? "q quits"

done_testing
