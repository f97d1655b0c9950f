#!/bin/sh
# The xl backend on a host that is not a Xen dom0: a --with-xen build
# links libxenlight/libxenstat/libxenstore, and `--backend xl` fails with
# one clear line (why it cannot run here), leaving nothing behind.
. "${0%/*}/tap.sh"
grep -qs control_d /proc/xen/capabilities &&
    skip_all "this host is a Xen dom0 (the lab tests cover it)"
XENDECK_RUNDIR=$T_TMP/run XENDECK_LOGDIR=$T_TMP/log
export XENDECK_RUNDIR XENDECK_LOGDIR

if grep -q '^#define XL_MODULE 1' "$XD_BUILDDIR/config.h"; then
	# --enable-xl-module (packages): the module links Xen, xendeck not.
	unlike "$(ldd "$XENDECK" 2>/dev/null)" 'libxen' \
	    "built with the xl module: xendeck links no Xen library"
	like "$(ldd "$XD_BUILDDIR/xendeck-xl.so" 2>/dev/null)" \
	    'libxenlight\.so' "xendeck-xl.so links libxenlight"
	why='not a Xen dom0'
elif grep -q '^#define HAVE_XEN 1' "$XD_BUILDDIR/config.h"; then
	libs=$(ldd "$XENDECK" 2>/dev/null)
	like "$libs" 'libxenlight\.so' "built --with-xen: links libxenlight"
	like "$libs" 'libxenstat\.so' "and libxenstat"
	like "$libs" 'libxenstore\.so' "and libxenstore"
	why='not a Xen dom0'
else
	pass "built without Xen: no libxenlight to link"
	why='built without Xen support \(configure --with-xen\)'
fi

for cmd in list info; do
	run "$XENDECK" --backend xl $cmd
	is "$RC" 1 "--backend xl $cmd exits 1 here"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "with one line"
	like "$ERR" "^xendeck: backend xl: .*$why" "saying why: $ERR"
	is "$OUT" "" "and prints nothing else"
done
ok "$([ ! -e "$XENDECK_RUNDIR" ] || [ -z "$(ls -A "$XENDECK_RUNDIR")" ]; echo $?)" \
    "nothing left in the run dir"
done_testing
