#!/bin/sh
# The Debian package: `make deb` builds xendeck_VERSION_ARCH.deb (and
# xendeck-xl where Xen's libraries are) from `make dist`'s tarball; it holds
# the binary, the man pages, the completion, the themes, the lab script and
# the unit with its settings; lintian finds no error; xendeck depends on
# no Xen library and xendeck-xl brings the xl backend, which the packaged
# binary loads from where the package puts it. About a minute.
. "${0%/*}/tap.sh"
for p in dpkg-buildpackage dh lintian dpkg-deb readelf man; do
	command -v "$p" >/dev/null 2>&1 ||
	    skip_all "$p is not installed (scripts/bootstrap)"
done
[ -f "$XD_BUILDDIR/Makefile" ] || skip_all "no configured build tree"
V=$(sed -n 's/^PACKAGE_VERSION = //p' "$XD_BUILDDIR/Makefile")
A=$(dpkg --print-architecture)
DEB=$XD_BUILDDIR/xendeck_${V}_$A.deb
XLDEB=$XD_BUILDDIR/xendeck-xl_${V}_$A.deb

rm -f "$DEB" "$XLDEB"
run timeout 900 make -C "$XD_BUILDDIR" deb
is "$RC" 0 "make deb exits 0"
[ "$RC" -eq 0 ] || diag "$(printf '%s\n' "$OUT$ERR" | tail -n 30)"
ok "$([ -f "$DEB" ]; echo $?)" "it built xendeck_${V}_$A.deb"

files=$(dpkg -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/bin/xendeck /usr/share/man/man1/xendeck.1.gz \
    /usr/share/man/man8/xendeck-wizard.8.gz \
    /usr/share/bash-completion/completions/xendeck \
    /usr/share/xendeck/lab /usr/share/xendeck/template-build \
    /lib/systemd/system/xendeck-domains.service \
    /etc/default/xendeck /usr/share/doc/xendeck/copyright; do
	printf '%s\n' "$files" | grep -qxF "$f"
	ok $? "dpkg -c: $f"
done
for t in "$XD_SRCDIR"/themes/*.yaml; do
	printf '%s\n' "$files" | grep -qxF "/usr/share/xendeck/themes/${t##*/}"
	ok $? "dpkg -c: theme ${t##*/}"
done
dpkg-deb -I "$DEB" conffiles >"$T_TMP/conffiles" 2>/dev/null
grep -qxF /etc/default/xendeck "$T_TMP/conffiles"
ok $? "/etc/default/xendeck is a conffile"
dpkg-deb -I "$DEB" postinst >"$T_TMP/postinst" 2>/dev/null
grep -q 'xendeck-domains.service' "$T_TMP/postinst"
ok $? "postinst enables xendeck-domains.service"

dep=$(dpkg-deb -f "$DEB" Depends)
like "$dep" "libc6" "Depends: from the binary's libraries ($dep)"
unlike "$dep" "libxen" "and none of Xen's"
unlike "$(dpkg-deb -f "$DEB" Recommends)" "libxen|xendeck-xl" \
    "nor Recommends: a host without Xen installs it alone"

run lintian --fail-on error "$XD_BUILDDIR/xendeck_${V}_$A.changes"
is "$RC" 0 "lintian: no error"
[ -z "$OUT" ] || diag "$OUT"

# The packaged files, unpacked: the binary runs, its pages render.
mkdir -p "$T_TMP/root"
dpkg-deb -x "$DEB" "$T_TMP/root"
X=$T_TMP/root/usr/bin/xendeck
readelf -d "$X" | grep NEEDED >"$T_TMP/needed"
ok "$(! grep -q libxen "$T_TMP/needed"; echo $?)" \
    "the packaged binary links no Xen library"
run "$X" version
is "$OUT" "xendeck $V" "the packaged binary runs"
for p in man1/xendeck.1.gz man8/xendeck-wizard.8.gz; do
	LC_ALL=C MANWIDTH=80 man --warnings -l "$T_TMP/root/usr/share/man/$p" \
	    2>"$T_TMP/warn" >/dev/null
	is "$(cat "$T_TMP/warn")" "" "$p renders without a warning"
done
unit=$(cat "$T_TMP/root/lib/systemd/system/xendeck-domains.service")
like "$unit" "^ExecStart=-/usr/bin/xendeck autostart start\$" "the unit's start"
like "$unit" "^ExecStop=/usr/bin/xendeck autostart stop\$" "and stop"
like "$unit" "^EnvironmentFile=-/etc/default/xendeck\$" "and its settings"

case $A in
amd64|arm64) ;;
*)	# debian/rules builds the xl module where Xen has libraries.
	ok "$([ ! -f "$XLDEB" ]; echo $?)" "no xendeck-xl on $A"
	run "$X" --backend xl list
	like "$ERR" "the xl backend is not installed" "xl: says what to install"
	done_testing
	exit ;;
esac
ok "$([ -f "$XLDEB" ]; echo $?)" "it built xendeck-xl_${V}_$A.deb"
xlfiles=$(dpkg -c "$XLDEB" | awk '{ print $6 }')
like "$xlfiles" "/usr/lib/[^/]+/xendeck/xendeck-xl\.so\$" \
    "xendeck-xl holds the module"
xldep=$(dpkg-deb -f "$XLDEB" Depends)
like "$xldep" "xendeck \(= $V\)" "it depends on this xendeck"
like "$xldep" "libxen" "and on Xen's libraries ($xldep)"

# Without xendeck-xl the xl backend says what to install; with it, it
# loads and its own probe answers (this is not a dom0).
run "$X" --backend xl list
is "$RC" 1 "xendeck alone: --backend xl fails"
like "$ERR" "^xendeck: backend xl: the xl backend is not installed \(apt-get install xendeck-xl" \
    "saying what to install"
dpkg-deb -x "$XLDEB" "$T_TMP/root"
run "$X" --backend xl list
is "$RC" 1 "with xendeck-xl, here"
like "$ERR" "^xendeck: backend xl: not a Xen dom0" \
    "the module is loaded and says this is not a dom0"
run env XENDECK_RUNDIR="$T_TMP/run" "$X" list
like "$OUT" "^Domain-0 " "the qemu backend needs no module"
done_testing
