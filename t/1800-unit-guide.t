#!/bin/sh
# The Guide's detectors and the transcript (t/unit-guide.c) on real
# inputs: update-grub's grub.cfg files, dpkg-query's output, the lab's
# `xl info`, xen-tools' and the guide's domain files, and the events the
# real `xendeck wizard` code prints for a run of t/wiz-test's wizard of
# real commands -- as JSON (--json, what the wizard view reads) and as
# text (a run typed at the console's ':' prompt), then once more (every
# step skipped).
. "${0%/*}/tap.sh"
need_built t/unit-guide
need_built t/wiz-test

WT=$XD_BUILDDIR/t/wiz-test
XD_TEST_MARK=mark-$$
export XD_TEST_MARK
# tree N ARGS: the tree wizard on a fresh tree (the same path each time,
# so both forms name the same files), with state dir N.
tree() {
	_n=$1; shift
	rm -rf "$T_TMP/tree"
	mkdir -p "$T_TMP/tree/etc" "$T_TMP/tree/victim"
	printf '127.0.0.1 localhost\n' >"$T_TMP/tree/etc/hosts"
	printf 'old\n' >"$T_TMP/tree/etc/obsolete"
	XENDECK_STATEDIR=$T_TMP/state$_n XENDECK="$WT" \
	    "$WT" wizard tree --set root="$T_TMP/tree" "$@"
}
tree 1 --apply --json >"$T_TMP/run.json" 2>"$T_TMP/run.err" ||
    { cat "$T_TMP/run.err"; echo "Bail out! the JSON run failed"; exit 1; }
tree 2 --apply >"$T_TMP/run.txt" 2>"$T_TMP/run.err" ||
    { cat "$T_TMP/run.err"; echo "Bail out! the text run failed"; exit 1; }
XENDECK_STATEDIR=$T_TMP/state2 XENDECK="$WT" \
    "$WT" wizard tree --set root="$T_TMP/tree" --apply \
    >"$T_TMP/again.txt" 2>"$T_TMP/run.err" ||
    { cat "$T_TMP/run.err"; echo "Bail out! the second run failed"; exit 1; }
"$XD_BUILDDIR/t/unit-guide" "$XD_SRCDIR" "$T_TMP" "$T_TMP/run.json" \
    "$T_TMP/run.txt" "$T_TMP/again.txt"
