#!/bin/sh
# scripts/guest-kit itself: layout, what the initramfs holds, concurrent
# builders (one build, same answer, no leftovers), the cache hit, and a
# rebuild when an input (here the script) changes. Uses a private cache
# seeded (hard links) with the shared cache's kernel .deb and unpacked
# files, so nothing is downloaded or unpacked twice.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
gk_kit pv
# This script's build in the shared cache (its pv link may be another
# version's: the cache is shared by trees at other commits).
shared_initrd=$INITRD
shared=${XENDECK_CACHE:-/var/cache/xendeck}
C=$T_TMP/cache
mkdir -p "$C"
cp -al "$shared/debs" "$C/debs" 2>/dev/null || cp -a "$shared/debs" "$C/debs"
T0=$(date +%s)

is "$(cat "$(dirname "$KERNEL")/kernel-version")" "$KVER" \
    "kernel-version file next to the kernel"
list=$(zcat "$INITRD" | cpio -t --quiet 2>/dev/null)
like "$list" "^init\$" "initramfs has /init"
like "$list" "^bin/busybox\$" "and busybox"
is "$(printf '%s\n' "$list" | sed -n 's|^lib/modules/xendeck/||p' |
    head -n 5 | tr '\n' ' ')" \
    "10-virtio_ring.ko 11-virtio.ko 12-virtio_pci_legacy_dev.ko 13-virtio_pci_modern_dev.ko 14-virtio_pci.ko " \
    "virtio modules in load order"
like "$list" "button\\.ko" "ACPI button module included"

# Two builders at once on an empty cache.
XENDECK_CACHE=$C "$XD_SRCDIR/scripts/guest-kit" pv >"$T_TMP/a.out" \
    2>"$T_TMP/a.err" &
pa=$!
XENDECK_CACHE=$C "$XD_SRCDIR/scripts/guest-kit" pv >"$T_TMP/b.out" \
    2>"$T_TMP/b.err" &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
is "$ra$rb" "00" "two concurrent builders both succeed"
is "$(cat "$T_TMP/a.out")" "$(cat "$T_TMP/b.out")" "and print the same paths"
is "$(cat "$T_TMP/a.err" "$T_TMP/b.err" | grep -c 'building pv guest')" 1 \
    "only one of them built"
is "$(ls -A "$C/guests" | grep -c '^\.pv\.')" 0 "no temporary leftovers"
eval "$(cat "$T_TMP/a.out")"
cmp -s "$INITRD" "$shared_initrd"
ok $? "initramfs is reproducible (same bytes as the shared cache's)"
first=$KERNEL
diag "concurrent build: $(( $(date +%s) - T0 )) s"

run env "XENDECK_CACHE=$C" "$XD_SRCDIR/scripts/guest-kit" pv
is "$OUT" "$(cat "$T_TMP/a.out")" "cache hit: same paths"
is "$ERR" "" "cache hit: nothing built"

# A changed input (the script) means a new key and a rebuild; the old
# version stays for guests that were just given its paths.
cp "$XD_SRCDIR/scripts/guest-kit" "$T_TMP/guest-kit"
echo "# a comment changes nothing" >>"$T_TMP/guest-kit"
run env "XENDECK_CACHE=$C" sh "$T_TMP/guest-kit" pv
is "$OUT|$ERR" "$(cat "$T_TMP/a.out")|" "a changed comment: no rebuild"
echo ": a code change" >>"$T_TMP/guest-kit"
run env "XENDECK_CACHE=$C" sh "$T_TMP/guest-kit" pv
eval "$OUT"
like "$ERR" "building pv guest" "changed input: rebuilt"
[ "$KERNEL" != "$first" ] && [ -f "$KERNEL" ] && [ -f "$first" ]
ok $? "under a new key, the old version kept"
is "$(readlink "$C/guests/pv")" "$(basename "$(dirname "$KERNEL")")" \
    "the pv symlink points at the new version"
run env "XENDECK_CACHE=$C" "$XD_SRCDIR/scripts/guest-kit" bogus
is "$RC:$ERR" "1:guest-kit: unknown target 'bogus' (pv, iso, hdd, disk, all)" \
    "unknown target: one clear line"
done_testing
