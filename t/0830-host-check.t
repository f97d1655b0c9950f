#!/bin/sh
# `xendeck wizard host-check` on this host: its JSON checked against the
# host's own facts (/proc/cpuinfo, /proc/meminfo, the ACPI tables, EFI,
# /etc/os-release, dpkg, vgs, df), the text output against the JSON, and
# the exit status against the statuses (0 all pass, 1 a FAIL, 3 only
# WARNs).
. "${0%/*}/tap.sh"

run "$XENDECK" wizard host-check --json
J=$OUT
JRC=$RC
ok "$(printf '%s\n' "$J" | jq -e 'type == "array" and length > 10' >/dev/null; echo $?)" \
    "--json prints an array of checks"
is "$(printf '%s\n' "$J" | jq -r '.[] | keys | join(",")' | sort -u)" \
    "check,detail,fix,status" "each {check, status, detail, fix}"
is "$(printf '%s\n' "$J" | jq -r '.[].status' | grep -cvE '^(PASS|WARN|FAIL)$')" 0 \
    "each PASS, WARN or FAIL"
is "$(printf '%s\n' "$J" | jq -r '.[] | select(.status != "PASS" and (.fix == null or .fix == "")) | .check')" \
    "" "every WARN and FAIL has a fix"
FAILS=$(printf '%s\n' "$J" | jq '[.[] | select(.status == "FAIL")] | length')
WARNS=$(printf '%s\n' "$J" | jq '[.[] | select(.status == "WARN")] | length')
if [ "$FAILS" -gt 0 ]; then want=1; elif [ "$WARNS" -gt 0 ]; then want=3; else want=0; fi
is "$JRC" "$want" "exit $want: $FAILS failed, $WARNS warnings"

# starts GOT PREFIX DESCRIPTION: GOT begins with PREFIX (no regex)
starts() {
	case $1 in
	"$2"*) pass "$3" ;;
	*) fail "$3"; diag "got: '$1'" "expected to start with: '$2'" ;;
	esac
}
# get CHECK FIELD
get() { printf '%s\n' "$J" | jq -r --arg c "$1" ".[] | select(.check == \$c) | .$2"; }

if [ "$(uname -m)" = x86_64 ] && grep -qw lm /proc/cpuinfo; then want=PASS; else want=FAIL; fi
is "$(get 64-bit status)" "$want" "64-bit: $want, as uname and /proc/cpuinfo say"

XEN=no
[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] && XEN=yes
if [ $XEN = no ]; then
	if grep -qw vmx /proc/cpuinfo; then want="PASS vmx"
	elif grep -qw svm /proc/cpuinfo; then want="PASS svm"
	else want="WARN no vmx or svm"; fi
	like "$(get VT-x/AMD-V status) $(get VT-x/AMD-V detail)" "^$want" \
	    "VT-x/AMD-V as /proc/cpuinfo says ($want)"
	if [ -e /sys/firmware/acpi/tables/DMAR ] ||
	    [ -e /sys/firmware/acpi/tables/IVRS ]; then want=PASS; else want=WARN; fi
	is "$(get IOMMU status)" "$want" "IOMMU as the ACPI tables say ($want)"
	MEM=$(awk '/^MemTotal:/ { g = $2 / 1048576; if (g >= 10) printf "%.0f GiB", g; else printf "%.1f GiB", g }' /proc/meminfo)
	like "$(get memory detail)" "^$MEM total, .*\(/proc/meminfo\)" \
	    "memory: $MEM total, as /proc/meminfo says"
	like "$(get Xen status) $(get Xen detail)" '^WARN (not running|installed, but not running)' \
	    "Xen: not running here"
else
	like "$(get VT-x/AMD-V detail)" 'xl info' "VT-x/AMD-V from xl info under Xen"
	like "$(get memory detail)" '\(xl info\)' "memory from xl info under Xen"
fi

if [ -d /sys/firmware/efi ]; then want=EFI; else want=BIOS; fi
like "$(get firmware detail)" "^$want" "firmware: $want"

. /etc/os-release
starts "$(get 'Debian release' detail)" "$PRETTY_NAME" \
    "Debian release: $PRETTY_NAME, from /etc/os-release"
if [ "$ID" = debian ] && [ "$VERSION_ID" = 12 ]; then
	is "$(get 'Debian release' status)" PASS "Debian 12 passes"
	is "${PRETTY_NAME}, $(cat /etc/debian_version)" \
	    "$(get 'Debian release' detail)" "with /etc/debian_version"
fi

# Packages, as dpkg says.
for c in $(printf '%s\n' "$J" | jq -r '.[].check | select(startswith("package ")) | sub("package "; "")'); do
	v=$(dpkg-query -W -f '${db:Status-Abbrev} ${Version}' "$c" 2>/dev/null)
	case $v in
	?i*) want="PASS ${v##* } installed" ;;
	*) want="WARN not installed" ;;
	esac
	starts "$(get "package $c" status) $(get "package $c" detail)" "$want" \
	    "package $c: as dpkg-query says"
done
is "$(printf '%s\n' "$J" | jq -r '.[].check | select(startswith("package "))' | head -3 | tr '\n' ' ')" \
    "package xen-system-amd64 package qemu-system-xen package lvm2 " \
    "the guide's packages are checked"

# Free disk: the path it names, and about what df says.
D=$(get 'free disk' detail)
P=${D##* on }
ok "$( [ -d "$P" ]; echo $?)" "free disk names a directory ($P)"
AV=$(df -B1 --output=avail "$P" | tail -1)
GOT=$(printf '%s\n' "$D" | awk '{ v = $1; if ($2 == "MiB") v /= 1024; print v }')
ok "$(awk -v a="$AV" -v g="$GOT" 'BEGIN { d = a / 1073741824 - g; exit !(d < 1 && d > -1) }'; echo $?)" \
    "and about what df says free ($GOT GiB)"

# Volume groups, as vgs says (when they did not change meanwhile).
if command -v vgs >/dev/null; then
	V1=$(vgs --noheadings -o vg_name 2>/dev/null | tr -d ' ' | sort)
	run "$XENDECK" wizard host-check --json
	V2=$(vgs --noheadings -o vg_name 2>/dev/null | tr -d ' ' | sort)
	D=$(printf '%s\n' "$OUT" | jq -r '.[] | select(.check == "free VG space") | .detail')
	if [ "$V1" != "$V2" ]; then
		pass "# SKIP the volume groups changed while checking"
	elif [ -z "$V1" ]; then
		like "$D" '^no LVM volume group' "no volume group, as vgs says"
	else
		miss=
		for v in $V1; do
			printf '%s\n' "$D" | grep -q "$v: " || miss="$miss $v"
		done
		is "$miss" "" "every volume group vgs lists is named"
	fi
else
	like "$(get 'free VG space' detail)" 'lvm2 is not installed' \
	    "no vgs: lvm2 is not installed"
fi

# The text output: one line per check, a fix under each WARN and FAIL.
run "$XENDECK" wizard host-check
is "$RC" "$JRC" "the text output exits as --json does"
is "$(printf '%s\n' "$OUT" | grep -cE '^(PASS|WARN|FAIL)  ')" \
    "$(printf '%s\n' "$J" | jq length)" "one line per check"
is "$(printf '%s\n' "$OUT" | grep -c ' fix: ')" "$((FAILS + WARNS))" \
    "a fix under each WARN and FAIL"
like "$(printf '%s\n' "$OUT" | tail -1)" "checks: [0-9]+ passed, $WARNS warnings, $FAILS failed" \
    "and a summary"

done_testing
