#!/bin/sh
# top -b against real tiny guests on the QEMU backend: xentop -b's header
# and row format (golden), -i/-d, the rate columns, --csv, --json, -f,
# and bad options.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"

gk_kit pv
export XENDECK_RUNDIR="$T_TMP/run" XENDECK_LOGDIR="$T_TMP/log"
# The accelerator that really boots a Debian kernel here (guest.sh).
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}; export XENDECK_ACCEL
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"

t_destroy_all() {
	for d in topa topb; do "$XENDECK" destroy --yes "$d" >/dev/null 2>&1 || :; done
}
at_exit t_destroy_all

# Two paused guests: no cpu burnt, every column still exists.
for d in topa topb; do
	cat >"$T_TMP/$d.cfg" <<EOF
name = "$d"
memory = 64
kernel = "$KERNEL"
ramdisk = "$INITRD"
extra = "console=ttyS0"
EOF
	run "$XENDECK" create -p "$T_TMP/$d.cfg"
	is "$RC" 0 "create -p $d${ERR:+: $ERR}"
done

HEADER='      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT'
NUM='( +([0-9]+|-))'
PCT='( +([0-9]+\.[0-9]|-))'
ROW="^ *[A-Za-z0-9_.-]+ [-rbpscd]{6}$NUM$PCT$NUM$PCT$NUM$PCT$NUM{5}$NUM{5}\$"

run "$XENDECK" top -b -i 2 -d 0.5
is "$RC" 0 "top -b -i 2 -d 0.5 exits 0${ERR:+: $ERR}"
is "$(printf '%s\n' "$OUT" | grep -c '^      NAME')" 2 "two samples, a header each"
is "$(printf '%s\n' "$OUT" | head -n 1)" "$HEADER" "xentop -b's header, byte for byte"
rows=$(printf '%s\n' "$OUT" | grep -v '^      NAME')
bad=$(printf '%s\n' "$rows" | grep -Ev "$ROW" || :)
is "$bad" "" "every row has xentop's 18 columns in its format"
like "$rows" '^ *topa ' "topa is listed"
like "$rows" '^ *topb ' "topb is listed"
first=$(printf '%s\n' "$OUT" | awk '/^      NAME/{n++} n==1' | grep ' topa ')
like "$first" '^ +topa [-a-z]{6} +[0-9]+ +0\.0 ' "first sample's CPU(%) is 0.0, like xentop"
like "$first" '^ +topa [-a-z]{6} +[0-9]+ +[0-9.]+ +6[0-9]{4} ' "MEM(k) is the 64 MiB asked for"

run "$XENDECK" top -b -i 2 -d 0.3 -r
like "$(printf '%s\n' "$OUT" | head -n 1)" 'VBD_WSECT TX\(KB/s\) RX\(KB/s\) RD\(IOPS\) WR\(IOPS\)$' "-r adds the rate columns"
second=$(printf '%s\n' "$OUT" | awk '/^      NAME/{n++} n==2' | grep ' topa ')
like "$second" ' +[0-9]+\.[0-9] +[0-9]+\.[0-9]$' "rates exist from the second sample"

run "$XENDECK" top -b -i 1 --csv
is "$(printf '%s\n' "$OUT" | head -n 1)" 'NAME,STATE,CPU(sec),CPU(%),MEM(k),MEM(%),MAXMEM(k),MAXMEM(%),VCPUS,NETS,NETTX(k),NETRX(k),VBDS,VBD_OO,VBD_RD,VBD_WR,VBD_RSECT,VBD_WSECT' "--csv header"
like "$OUT" '^topb,[-a-z]{6},[0-9]+,0\.0,6[0-9]{4},' "--csv row"

run "$XENDECK" top -b -i 2 -d 0.2 --json -f name,cpu_pct,mem_k,vbds
is "$RC" 0 "--json exits 0"
ok "$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 2, lines
for l in lines:
    d = json.loads(l)
    names = {x["name"]: x for x in d["domains"]}
    assert "topa" in names and "topb" in names, names
    t = names["topa"]
    assert list(t) == ["name", "cpu_pct", "mem_k", "vbds"], list(t)
    assert isinstance(t["mem_k"], int) and t["mem_k"] >= 60000, t
    assert isinstance(t["cpu_pct"], float), t
print("ok")' 2>&1 | tail -n 1 | grep -qx ok; echo $?)" "--json: one object per sample, typed values, -f picks the keys"

run "$XENDECK" top -b -i 0
is "$RC" 2 "-i 0 is a usage error"
like "$ERR" '^xendeck: top: -i: not a count: 0$' "and says so"
run "$XENDECK" top -b -i 1 -f name,bogus
is "$RC" 2 "an unknown column is a usage error"
like "$ERR" 'unknown column: bogus' "naming it"
run "$XENDECK" top -b -d abc
is "$RC" 2 "a bad delay"
run "$XENDECK" top --csv
is "$RC" 2 "--csv without -b"

done_testing
