#!/bin/bash
# Inside the lab dom0: `xendeck wizard host-check` under real Xen 4.17. A PV
# dom0's /proc/cpuinfo hides vmx/svm and Xen hides the IOMMU's table from
# it, so HVM support, the IOMMU and the memory come from xl info; Xen runs
# and this is dom0.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"

# The text output (the lab's dom0 has no jq): "STATUS  CHECK  DETAIL".
run "$XENDECK" wizard host-check
T=$OUT
JRC=$RC
like "$T" "checks: [0-9]+ passed" "host-check runs in dom0"
# get CHECK status|detail
get() {
	case $2 in
	status) printf '%s\n' "$T" | grep -E "^(PASS|WARN|FAIL)  $1  " |
	    head -1 | cut -c1-4 ;;
	detail) printf '%s\n' "$T" | grep -E "^(PASS|WARN|FAIL)  $1  " |
	    head -1 | sed -E "s#^(PASS|WARN|FAIL)  $1  +##" ;;
	esac
}
INFO=$(xl info)
info() { printf '%s\n' "$INFO" | sed -n "s/^$1 *: //p"; }

is "$(get Xen status)" PASS "Xen: PASS"
like "$(get Xen detail)" "^Xen $(info xen_major)\.$(info xen_minor)[^ ]* runs; this is dom0" \
    "Xen $(info xen_major).$(info xen_minor) runs; this is dom0"

XC=$(info xen_caps)
VC=$(info virt_caps)
case $XC in
*hvm-*) want=PASS ;;
*) want=WARN ;;
esac
is "$(get VT-x/AMD-V status)" "$want" "VT-x/AMD-V: $want, as xl info's xen_caps says"
like "$(get VT-x/AMD-V detail)" "xl info: xen_caps $XC" "read from xl info"
if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
	pass "dom0's /proc/cpuinfo hides vmx/svm (so it is not what was read)"
else
	pass "# SKIP dom0's /proc/cpuinfo shows vmx/svm here"
fi

case " $VC " in
*" hvm_directio "*|*" pv_directio "*) want=PASS ;;
*) want=WARN ;;
esac
is "$(get IOMMU status)" "$want" "IOMMU: $want, as xl info's virt_caps says"
like "$(get IOMMU detail)" "virt_caps: $VC" "read from xl info"

TOT=$(info total_memory)
MEM=$(awk -v m="$TOT" 'BEGIN { g = m / 1024; if (g >= 10) printf "%.0f GiB", g; else if (g >= 1) printf "%.1f GiB", g; else printf "%d MiB", m }')
like "$(get memory detail)" "^$MEM total, .*free for guests \(xl info\)" \
    "memory: $MEM, the host's (xl info), not dom0's"

v=$(dpkg-query -W -f '${db:Status-Abbrev} ${Version}' xen-system-amd64 2>/dev/null)
case $v in
?i*) want="PASS ${v##* } installed" ;;
*) want="PASS not installed itself, but Xen $(info xen_major).$(info xen_minor)" ;;
esac
case "$(get 'package xen-system-amd64' status) $(get 'package xen-system-amd64' detail)" in
"$want"*) pass "package xen-system-amd64 as dpkg-query says" ;;
*) fail "package xen-system-amd64 as dpkg-query says"; diag "want: $want" ;;
esac

FAILS=$(printf '%s\n' "$T" | grep -c '^FAIL  ')
WARNS=$(printf '%s\n' "$T" | grep -c '^WARN  ')
if [ "$FAILS" -gt 0 ]; then want=1; elif [ "$WARNS" -gt 0 ]; then want=3; else want=0; fi
is "$JRC" "$want" "exit $want ($FAILS failed, $WARNS warnings)"

done_testing
