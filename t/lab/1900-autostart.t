#!/bin/bash
# Inside the lab dom0 (real Xen 4.17): xendeck-domains.service's commands
# leave the domains in /etc/xen/auto to Debian's xendomains -- `autostart
# start` starts nothing and `autostart stop` stops nothing, and both say
# why -- while list and add work on the same directory xendomains reads.
. "${0%/*}/../tap.sh"
. "${0%/*}/xl-guest.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"
XENDECK_XEN_DIR=$T_TMP/xen
XENDECK_STATEDIR=$T_TMP/state
export XENDECK_XEN_DIR XENDECK_STATEDIR
mkdir -p "$XENDECK_XEN_DIR"
cat >"$XENDECK_XEN_DIR/lab-auto.cfg" <<EOC
name = "lab-auto"
memory = 64
kernel = "$XL_KERNEL"
extra = "console=hvc0"
EOC

run "$XENDECK" autostart add lab-auto
is "$RC" 0 "add works on a dom0 (the file xendomains reads)"
is "$(readlink "$XENDECK_XEN_DIR/auto/lab-auto.cfg")" \
    "$XENDECK_XEN_DIR/lab-auto.cfg" "linked in auto/"
run "$XENDECK" autostart list
like "$OUT" "^lab-auto +- +xendeck " "list: through the xl backend, not running"

before=$(xl list | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ')
for cmd in start stop; do
	run "$XENDECK" autostart $cmd </dev/null
	is "$RC" 0 "autostart $cmd exits 0 on a dom0"
	like "$OUT" "this host is a Xen dom0: Debian's xendomains .* the domains in $XENDECK_XEN_DIR/auto \(xendomains.service\); xendeck leaves it to it" \
	    "autostart $cmd leaves it to xendomains, saying so"
	is "$(xl list | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ')" \
	    "$before" "xl list is as it was after $cmd"
done
run "$XENDECK" autostart remove lab-auto
is "$RC" 0 "remove works too"
done_testing
