#!/bin/sh
# xendeck check-config on the whole xl.cfg corpus (t/xlcfg/): --json output
# of every valid file against FILE.json, the error of every malformed file
# against FILE.err, the summary of the guide's configs against FILE.txt.
# XD_REGOLD=1 rewrites the golden files instead of comparing.
. "${0%/*}/tap.sh"

cd "$XD_SRCDIR/t/xlcfg" || exit 1

# golden TEXT FILE DESCRIPTION
golden() {
	if [ -n "$XD_REGOLD" ]; then
		printf '%s\n' "$1" >"$2"
		pass "$3 (rewritten)"
	elif [ ! -f "$2" ]; then
		fail "$3: no golden file $2"
	else
		is "$1" "$(cat "$2")" "$3"
	fi
}

for f in *.cfg; do
	base=${f%.cfg}
	case $f in
	bad-*)
		run "$XENDECK" check-config "$f"
		is "$RC" 1 "$f: refused with exit 1"
		like "$ERR" "^xendeck: $f:[0-9]+:[0-9]+: " "$f: FILE:LINE:COL"
		golden "$ERR" "$base.err" "$f: the error"
		;;
	*)
		run "$XENDECK" check-config --json "$f"
		is "$RC" 0 "$f: valid"
		golden "$OUT" "$base.json" "$f: --json"
		;;
	esac
done

for f in windows.cfg xen-tools-pv.cfg; do
	run "$XENDECK" check-config "$f"
	is "$RC" 0 "$f: summary exits 0"
	golden "$OUT" "${f%.cfg}.txt" "$f: the summary"
	golden "$ERR" "${f%.cfg}.warn" "$f: its warnings on stderr"
done

run "$XENDECK" check-config --json syntax.cfg
like "$OUT" '"memory": 512,' "--json: a hex number is a number"
like "$OUT" '"maxmem": 1024,' "--json: a quoted number of a number key too"
like "$OUT" '"nested": \[' "--json: lists are arrays"
like "$OUT" '"warnings": \[' "--json: a warnings array"

run "$XENDECK" check-config
is "$RC" 2 "no file: usage, exit 2"
like "$ERR" '^usage: xendeck check-config \[--json\] FILE' "usage names --json"
run "$XENDECK" check-config a.cfg b.cfg
is "$RC" 2 "two files: exit 2"
run "$XENDECK" check-config --bogus windows.cfg
is "$RC" 2 "an unknown option: exit 2"
run "$XENDECK" check-config "$T_TMP/missing.cfg"
is "$RC" 1 "a missing file: exit 1"
like "$ERR" "^xendeck: $T_TMP/missing.cfg: No such file or directory" \
    "and says so"
run "$XENDECK" help check-config
like "$OUT" '--json' "help check-config explains --json"
run "$XENDECK" check windows.cfg
is "$RC" 0 "the prefix 'check' runs check-config"

done_testing
