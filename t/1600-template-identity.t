#!/bin/sh
# `xendeck template identity` on small real ext4 images (made here with
# mkfs.ext4 -d, seconds): raw and qcow2 (through qemu-storage-daemon's FUSE
# export), never mounted. Every identity file is written, a qcow2 clone
# larger than its filesystem is grown, the result checks clean with
# e2fsck, two clones differ, the password and the private keys are in no
# log, and bad input is one clear line.
. "${0%/*}/tap.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (FUSE export, ownership)"
for c in mkfs.ext4 debugfs e2fsck ssh-keygen qemu-img; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (scripts/bootstrap)"
done
LOG=$T_TMP/xendeck.log
X() { "$XENDECK" -v -v -l "$LOG" "$@"; }
cat_in() { debugfs -R "cat $2" "$1" 2>/dev/null; }

# A template-like root: no identity, root locked.
r=$T_TMP/root
mkdir -p "$r/etc/ssh" "$r/etc/network" "$r/root" "$r/var/lib"
: >"$r/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost\n' >"$r/etc/hosts"
echo uninitialized >"$r/etc/machine-id"
printf 'root:!*:20000:0:99999:7:::\ndaemon:*:20000:0:99999:7:::\n' >"$r/etc/shadow"
chmod 640 "$r/etc/shadow"
printf 'allow-hotplug eth0\niface eth0 inet dhcp\n' >"$r/etc/network/interfaces"
chmod 700 "$r/root"
mkfs.ext4 -q -F -L xdroot -O metadata_csum_seed -E root_owner=0:0 -d "$r" \
    "$T_TMP/base.img" 64M >/dev/null 2>&1
base_sum=$(sha256sum <"$T_TMP/base.img")
qemu-img create -q -f qcow2 -b "$T_TMP/base.img" -F raw "$T_TMP/c1.qcow2" 96M
cp "$T_TMP/base.img" "$T_TMP/c2.img"
printf 'Secret-%s-word\n' "$$" >"$T_TMP/pw"
chmod 600 "$T_TMP/pw"
PW=$(cat "$T_TMP/pw")

run X template identity --format qcow2 --hostname alpha \
    --password-file "$T_TMP/pw" --ip 192.0.2.10/24 --gateway 192.0.2.1 \
    "$T_TMP/c1.qcow2"
is "$RC" 0 "a qcow2 clone gets its identity"
[ "$RC" = 0 ] || diag "$ERR"
like "$OUT" "hostname alpha, machine-id [0-9a-f]{32}" "it says its machine-id"
like "$OUT" "host key SHA256:.*\\(ED25519\\)" "and its host keys' fingerprints"
[ -z "$(grep -F "$T_TMP/c1.qcow2" /proc/mounts)" ] &&
    ! grep -q xendeck-view /proc/mounts
ok $? "no FUSE export is left mounted"
qemu-img convert -O raw "$T_TMP/c1.qcow2" "$T_TMP/c1.raw"
e2fsck -fn "$T_TMP/c1.raw" >"$T_TMP/fsck" 2>&1
r=$?; ok $r "its filesystem checks clean"
[ $r = 0 ] || diag "$(cat "$T_TMP/fsck")"
# What the guest's first boot runs (fsck -a): no forced check, which
# systemd would follow with a reboot (a new UUID in the primary superblock
# alone forces one).
cp --sparse=always "$T_TMP/c1.raw" "$T_TMP/c1p.raw"
run e2fsck -p "$T_TMP/c1p.raw"
like "$OUT" "xdroot: clean," "the boot's fsck finds it clean, no forced check"
rm -f "$T_TMP/c1p.raw"
is "$(dumpe2fs -h "$T_TMP/c1.raw" 2>/dev/null | sed -n 's/^Block count: *//p')" \
    "$((96 * 1024))" "the filesystem grew to the 96M volume (1k blocks)"
is "$(cat_in "$T_TMP/c1.raw" /etc/hostname)" alpha "/etc/hostname"
like "$(cat_in "$T_TMP/c1.raw" /etc/hosts)" "127.0.1.1	alpha" "/etc/hosts has 127.0.1.1"
like "$(cat_in "$T_TMP/c1.raw" /etc/machine-id)" '^[0-9a-f]{32}$' "/etc/machine-id"
like "$(cat_in "$T_TMP/c1.raw" /etc/shadow | head -n 1)" '^root:\$(y|6)\$' \
    "root's hash in /etc/shadow (yescrypt or SHA-512)"
like "$(cat_in "$T_TMP/c1.raw" /etc/shadow | sed -n 2p)" '^daemon:\*:' \
    "the other shadow lines stay"
like "$(debugfs -R 'stat /etc/shadow' "$T_TMP/c1.raw" 2>/dev/null)" \
    'Mode:  0640' "/etc/shadow keeps its mode"
like "$(cat_in "$T_TMP/c1.raw" /etc/network/interfaces)" \
    "address 192.0.2.10/24" "eth0's static address"
like "$(cat_in "$T_TMP/c1.raw" /etc/network/interfaces)" \
    "allow-hotplug eth0" "eth0 comes up when it appears (no udev settle at boot)"
like "$(debugfs -R 'stat /etc/ssh/ssh_host_ed25519_key' "$T_TMP/c1.raw" 2>/dev/null)" \
    'Mode:  0600' "the private host key is 0600"
like "$(debugfs -R 'stat /var/lib/systemd/random-seed' "$T_TMP/c1.raw" 2>/dev/null)" \
    'Size: 512' "a random seed of its own"
# The hash really is of the password (crypt(3) through perl).
h=$(cat_in "$T_TMP/c1.raw" /etc/shadow | head -n 1 | cut -d: -f2)
is "$(perl -e 'print crypt($ARGV[0], $ARGV[1]) eq $ARGV[1] ? "match" : "differ"' "$PW" "$h")" \
    match "the hash verifies against the password"
is "$(sha256sum <"$T_TMP/base.img")" "$base_sum" \
    "the qcow2 clone's backing image (the template) is untouched"

ssh-keygen -q -t ed25519 -N '' -f "$T_TMP/key"
run X template identity --hostname beta --ssh-key "$T_TMP/key.pub" "$T_TMP/c2.img"
is "$RC" 0 "a raw clone gets an authorized key"
[ "$RC" = 0 ] || diag "$ERR"
is "$(cat_in "$T_TMP/c2.img" /root/.ssh/authorized_keys)" "$(cat "$T_TMP/key.pub")" \
    "/root/.ssh/authorized_keys"
like "$(debugfs -R 'stat /root/.ssh' "$T_TMP/c2.img" 2>/dev/null)" 'Mode:  0700' \
    "/root/.ssh is 0700"
like "$(cat_in "$T_TMP/c2.img" /etc/shadow | head -n 1)" '^root:!\*:' \
    "root's password stays locked"
u1=$(dumpe2fs -h "$T_TMP/c1.raw" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p')
u2=$(dumpe2fs -h "$T_TMP/c2.img" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p')
[ -n "$u1" ] && [ "$u1" != "$u2" ]
ok $? "each clone's filesystem has a UUID of its own"
[ "$(cat_in "$T_TMP/c1.raw" /etc/machine-id)" != "$(cat_in "$T_TMP/c2.img" /etc/machine-id)" ]
ok $? "machine-ids differ"
[ "$(cat_in "$T_TMP/c1.raw" /etc/ssh/ssh_host_ed25519_key.pub)" != \
    "$(cat_in "$T_TMP/c2.img" /etc/ssh/ssh_host_ed25519_key.pub)" ]
ok $? "host keys differ"

# A generated password: kept 0600 for the user, nowhere else.
cp "$T_TMP/base.img" "$T_TMP/c3.img"
run X template identity --hostname gamma --generate-password "$T_TMP/sec/gamma.pw" \
    "$T_TMP/c3.img"
is "$RC" 0 "a generated password"
[ "$RC" = 0 ] || diag "$ERR"
like "$(stat -c %a "$T_TMP/sec/gamma.pw") $(stat -c %a "$T_TMP/sec")" '^600 700$' \
    "kept 0600 in a 0700 directory"
GEN=$(head -n 1 "$T_TMP/sec/gamma.pw")
h=$(cat_in "$T_TMP/c3.img" /etc/shadow | head -n 1 | cut -d: -f2)
is "$(perl -e 'print crypt($ARGV[0], $ARGV[1]) eq $ARGV[1] ? "match" : "differ"' "$GEN" "$h")" \
    match "the guest's hash is of that password"

found=$(grep -laF -e "$PW" -e "$GEN" -e "$(sed -n 2p "$T_TMP/key")" "$LOG" 2>/dev/null)
is "$found" "" "no password in xendeck's debug log"
like "$(cat "$LOG")" "spawn: qemu-storage-daemon" "(the log was written)"

run X template identity --hostname delta --ssh-key "$T_TMP/key" "$T_TMP/c2.img"
is "$RC" 1 "a private key as ssh_key: refused"
like "$ERR" "key:1: a private key; give the .pub file" "the error names the file and line"
run X template identity --hostname 'bad name' "$T_TMP/c2.img"
like "$ERR" "hostname: missing or not a valid name" "a bad hostname: one line naming it"
printf 'not a filesystem' >"$T_TMP/junk.img"
truncate -s 8M "$T_TMP/junk.img"
run X template identity --hostname eps "$T_TMP/junk.img"
like "$ERR" "junk.img: no ext2/3/4 filesystem" "an image without ext4: one line naming it"
done_testing
