#!/bin/bash
# Inside the lab dom0: Xen 4.17 is really running, dom0 is a PV domain of it,
# its daemons answer, and the host-built xendeck runs here.
. "${0%/*}/../tap.sh"
[ -n "${XENDECK_LAB:-}" ] || skip_all "runs inside the lab dom0 (make check-lab)"

run cat /sys/hypervisor/type
is "$OUT" xen "the kernel runs on the Xen hypervisor"

run xl info
is "$RC" 0 "xl info runs"
like "$OUT" '^xen_version +: 4\.17\.' "xl info: xen_version 4.17"
like "$OUT" '^host +: xendeck-lab$' "xl info names this host"
like "$OUT" '^xen_caps +: .*xen-3\.0-x86_64' "xl info: the hypervisor runs 64-bit PV guests"
like "$OUT" '^free_memory +: [1-9][0-9]{2,}$' "xl info: memory left for guests"

run xl list
is "$RC" 0 "xl list runs"
like "$OUT" '^Domain-0 +0 ' "xl list shows Domain-0 with id 0"

run xenstore-read /local/domain/0/name
is "$OUT" Domain-0 "xenstored answers"

run pgrep -x xenconsoled
is "$RC" 0 "xenconsoled runs"

run "$XENDECK" --version
is "$RC" 0 "the host-built xendeck runs in dom0"
run ldd "$XENDECK"
unlike "$OUT" 'not found' "every library xendeck needs is in the dom0"

done_testing
