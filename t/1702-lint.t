#!/bin/sh
# check-config --lint on the corpus in t/xlcfg-lint/ (its README says how
# the findings are marked in each file): every finding, exactly, in a
# network namespace of our own with a bridge and a veth; the exit status;
# a fix on each; the guide's windows.cfg as text (t/xlcfg-lint/
# windows.lint); the text form's shape. Runs on the qemu backend.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (a network namespace)"
command -v genisoimage >/dev/null || skip_all "genisoimage not installed (scripts/bootstrap)"
command -v qemu-img >/dev/null || skip_all "qemu-img not installed (scripts/bootstrap)"
gk_kit pv disk
q_setup
CORPUS=$XD_SRCDIR/t/xlcfg-lint
W=$T_TMP/lint
mkdir -p "$W/dir" "$W/src"

# The images the corpus names.
truncate -s 64M "$W/disk.img"
qemu-img create -q -f qcow2 "$W/disk.qcow2" 64M
echo hi >"$W/src/hi.txt"
genisoimage -quiet -V LINT-DATA -o "$W/data.iso" "$W/src" 2>/dev/null
genisoimage -quiet -V LINT-CD -o "$W/cd.iso" "$W/src" 2>/dev/null
cp "$W/data.iso" "$W/cut.iso" && truncate -s 36864 "$W/cut.iso"
head -c 70000 /dev/urandom >"$W/noiso.iso"

# A running domain (paused: nothing needs to boot) for name-taken.
NAME=lint$$
q_pv "$NAME"
run "$XENDECK" create -p "$T_TMP/$NAME.cfg"
is "$RC" 0 "a domain $NAME runs for the name check ($ERR)"
BIG=$(awk '/^MemTotal:/ { print int($2 / 1024) * 2 }' /proc/meminfo)

# The namespace: lo up, a bridge, a veth that is no bridge, a VNC port held.
NS=xdlint$$
ip netns add "$NS" || skip_all "cannot add a network namespace"
cleanup_ns() {
	[ -n "${HOLDER:-}" ] && kill "$HOLDER" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	return 0
}
at_exit cleanup_ns
ip -n "$NS" link set lo up
ip -n "$NS" link add xdbr0 type bridge
ip -n "$NS" link add xdveth0 type veth peer name xdveth1
VNCBUSY=37
ip netns exec "$NS" python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("0.0.0.0", 5900 + 37)); s.listen(1)
print("ready", flush=True); time.sleep(600)' >"$T_TMP/holder" 2>&1 &
HOLDER=$!
wait_for 10 grep -q ready "$T_TMP/holder"
ok $? "the namespace holds VNC port $((5900 + VNCBUSY))"
L() { ip netns exec "$NS" "$XENDECK" --backend qemu check-config --lint "$@"; }

# findings FILE: "LEVEL ID KEY LINE" per finding of --json, sorted.
findings() {
	python3 -c '
import json, sys
o = json.load(sys.stdin)
for f in o["findings"]:
    print(f["level"], f["id"], f["key"] or "-", f["line"])
    if f["id"] != "xlcfg" and not f["fix"]:
        print("NO-FIX", f["id"])
' | sort
}
# expected FILE: the marks, as the same lines.
expected() {
	awk '/# expect:/ { sub(/.*# expect: */, ""); print $1, $2, $3, NR }
	    /# expect-file:/ { sub(/.*# expect-file: */, ""); print $1, $2, $3, 0 }' \
	    "$1" | sort
}

for src in "$CORPUS"/*.cfg; do
	base=$(basename "$src")
	f=$W/$base
	sed -e "s|@TMP@|$W|g" -e "s|@KITDISK@|$DISK|g" -e "s|@NAME@|$NAME|g" \
	    -e "s|@BIG@|$BIG|g" -e "s|@VNCBUSY@|$VNCBUSY|g" "$src" >"$f"
	run L --json "$f"
	want=$(expected "$f")
	got=$(printf '%s\n' "$OUT" | findings)
	is "$got" "$want" "$base: the findings, exactly"
	if printf '%s\n' "$want" | grep -q '^error'; then
		is "$RC" 1 "$base: exit 1 (create would fail)"
	else
		is "$RC" 0 "$base: exit 0 (warnings at most)"
	fi
done

# The text form: FILE:LINE: level: key: message, then the fix.
cd "$W" || exit 1
run L bridges.cfg
is "$RC" 1 "bridges.cfg as text: exit 1"
like "$OUT" '^bridges.cfg:7: error: vif: bridge xenbr0 does not exist$' \
    "FILE:LINE: error: KEY: message"
like "$OUT" '^    fix: create it: xendeck wizard bridge \(or name an existing bridge with bridge=\)$' \
    "a line of fix naming the wizard"
like "$OUT" '^bridges.cfg: 2 errors, 1 warning: create would fail$' "and a count"
run L ok-hvm.cfg
is "$OUT" "ok-hvm.cfg: no problems found on the qemu backend" "a clean file says so"
is "$RC" 0 "exit 0"
run L "$W/no-such.cfg"
is "$RC" 1 "a missing file: exit 1"
like "$OUT" 'no-such.cfg: error: .*No such file' "said as a finding"

# The guide's windows.cfg, as Debian 12 and this backend see it.
cd "$XD_SRCDIR/t/xlcfg" || exit 1
run L windows.cfg
is "$RC" 1 "windows.cfg: exit 1"
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
if [ "$avail" -lt 5120 ]; then
	pass "# SKIP windows.lint: only $avail MiB available, so its memory=4096 adds a warning"
elif [ -n "${XD_REGOLD:-}" ]; then
	printf '%s\n' "$OUT" >"$CORPUS/windows.lint"
	pass "windows.lint rewritten"
else
	is "$OUT" "$(cat "$CORPUS/windows.lint")" "windows.cfg: exactly what is wrong (windows.lint)"
fi

run "$XENDECK" check-config --bogus x
is "$RC" 2 "an unknown option: exit 2"
run "$XENDECK" help check-config
like "$OUT" '--lint' "help check-config explains --lint"
done_testing
