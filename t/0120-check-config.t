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

# Hostile values (issue 12, defect 5): an ESC sequence in a vif's ip= that
# would move the cursor up and overwrite the disk line with another disk,
# OSC 52 (clipboard) and title sequences, a C1 CSI and DEL in extra=.
# Nothing of them reaches the terminal; the summary names the disk --json
# names.
ESC=$(printf '\033') BEL=$(printf '\007') CSI1=$(printf '\302\233')
DEL=$(printf '\177')
cat >"$T_TMP/spoof.cfg" <<EOC
name = "spoof"
kernel = "/k"
disk = [ 'file:/real.img,xvda,w' ]
vif = [ 'ip=1.2.3.4${ESC}[1A${ESC}[2K  disk 0       xvda disk rw raw /fake.img' ]
extra = "${ESC}]52;c;cm0gLXJmIC8K${BEL}${ESC}]0;owned${BEL} ${CSI1}2J ${DEL}"
memory = "${CSI1}2J"
EOC
# controls FILE: how many C0 (but newline), DEL and C1 bytes it holds.
controls() {
	LC_ALL=C tr -d '\n' <"$1" | LC_ALL=C tr -cd '\000-\037\177\200-\237' |
	    wc -c
}
for loc in C C.UTF-8; do
	sed -i '/^memory/d' "$T_TMP/spoof.cfg"
	LC_ALL=$loc "$XENDECK" check-config "$T_TMP/spoof.cfg" \
	    >"$T_TMP/sum" 2>"$T_TMP/sum.err"
	is "$(controls "$T_TMP/sum")" 0 "$loc: no control byte in the summary"
	like "$(cat "$T_TMP/sum")" '^  disk 0 +xvda disk rw raw /real\.img$' \
	    "$loc: the summary names the real disk"
	like "$(cat "$T_TMP/sum")" 'ip 1\.2\.3\.4\\x1b\[1A\\x1b\[2K  disk 0' \
	    "$loc: the vif's ip shows its escapes"
	like "$(cat "$T_TMP/sum")" '^  extra +\\x1b\]52;c;cm0gLXJmIC8K\\x07\\x1b\]0;owned\\x07 (\\u009b|\\xc2\\x9b)2J \\x7f$' \
	    "$loc: extra's OSC 52, title, C1 and DEL are shown escaped"
	LC_ALL=$loc "$XENDECK" check-config --json "$T_TMP/spoof.cfg" \
	    >"$T_TMP/json" 2>&1
	is "$(controls "$T_TMP/json")" 0 "$loc: none in --json either"
	like "$(cat "$T_TMP/json")" '"target": "/real.img"' "$loc: --json agrees"
	echo "memory = \"${CSI1}2J\"" >>"$T_TMP/spoof.cfg"
	LC_ALL=$loc "$XENDECK" check-config "$T_TMP/spoof.cfg" \
	    >"$T_TMP/sum" 2>"$T_TMP/sum.err"
	is "$(controls "$T_TMP/sum.err")" 0 "$loc: none in an error"
	like "$(cat "$T_TMP/sum.err")" "memory: '(\\\\u009b|\\\\xc2\\\\x9b)2J' is not a number" \
	    "$loc: the error shows the value escaped"
done

# Reads without limits (defect 6): a config is a regular file of at most
# 1 MiB, refused with one line otherwise; a FIFO never hangs.
run timeout 20 "$XENDECK" check-config /dev/zero
is "$RC" 1 "/dev/zero: exit 1 (at once, not gigabytes later)"
is "$ERR" "xendeck: /dev/zero: a character device, not a file" "and says so"
mkfifo "$T_TMP/fifo.cfg"
run timeout 20 "$XENDECK" check-config "$T_TMP/fifo.cfg"
is "$RC" 1 "a FIFO: exit 1, no hang"
is "$ERR" "xendeck: $T_TMP/fifo.cfg: a FIFO, not a file" "and says so"
run timeout 20 "$XENDECK" check-config "$T_TMP"
is "$ERR" "xendeck: $T_TMP: a directory, not a file" "a directory too"
{ echo 'name = "big"'; head -c 1100000 /dev/zero | tr '\0' '#'; echo; } \
    >"$T_TMP/big.cfg"
run timeout 20 "$XENDECK" check-config "$T_TMP/big.cfg"
is "$RC" 1 "a 1.1 MB config: exit 1"
is "$ERR" "xendeck: $T_TMP/big.cfg: too big for an xl.cfg (at most 1 MiB)" \
    "and says so"

done_testing
