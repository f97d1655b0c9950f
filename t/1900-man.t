#!/bin/sh
# The manual pages, written by the binary from its tables: they render
# without a warning (man --warnings, groff), xendeck(1) names every command
# of the table with all that `xendeck help COMMAND` says, every global
# option and every XENDECK_* variable the sources read; xendeck-wizard(8)
# every wizard with its keys and choices (walked from `xendeck wizard
# --json` and each `wizard NAME --help`, so the wizards that land later are
# checked too), and the fields of the test table as the page shows them.
. "${0%/*}/tap.sh"
command -v man >/dev/null 2>&1 || skip_all "man is not installed (scripts/bootstrap: man-db)"
command -v groff >/dev/null 2>&1 || skip_all "groff is not installed (scripts/bootstrap: groff-base)"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed (scripts/bootstrap)"

# render PAGE: plain ASCII text at 80 columns; warnings in $T_TMP/warn.
render() {
	LC_ALL=C MANWIDTH=80 man --warnings -l "$1" 2>"$T_TMP/warn" | col -bx
}
# flat: one line, blanks squeezed, lower case (a paragraph is joined and
# refilled by groff; the words stay).
flat() { tr '\n\t' '  ' | tr -s ' ' | tr 'A-Z' 'a-z'; }

run "$XENDECK" help --man
is "$RC" 0 "help --man exits 0"
printf '%s\n' "$OUT" >"$T_TMP/xendeck.1"
render "$T_TMP/xendeck.1" >"$T_TMP/xendeck.txt"
is "$(cat "$T_TMP/warn")" "" "xendeck(1) renders without a warning (C)"
LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$T_TMP/xendeck.1" \
    2>"$T_TMP/warn" >/dev/null
is "$(cat "$T_TMP/warn")" "" "and without one in UTF-8 at 100 columns"
if [ -f "$XD_BUILDDIR/man/xendeck.1" ]; then
	cmp -s "$XD_BUILDDIR/man/xendeck.1" "$T_TMP/xendeck.1"
	ok $? "the built man/xendeck.1 is what the binary writes"
fi

# Every command `xendeck help` lists, with everything its help says.
cmds=$("$XENDECK" help | awk '/^Commands:/ { on = 1; next }
    /^$/ { on = 0 } on { print $1 }')
ok "$([ "$(echo "$cmds" | wc -l)" -ge 15 ]; echo $?)" \
    "xendeck help lists the table ($(echo $cmds | wc -w) commands)"
page=$(flat <"$T_TMP/xendeck.txt")
for c in $cmds; do
	grep -q "^   $c\$" "$T_TMP/xendeck.txt"
	ok $? "$c has its section"
	# Its section, up to the next command's or the next chapter.
	sect=$(awk -v c="$c" '$0 == "   " c { on = 1; next }
	    on && (/^   [a-z]/ || /^[A-Z]/) { exit } on' "$T_TMP/xendeck.txt" |
	    flat)
	missing=
	"$XENDECK" help "$c" | sed 's/^usage: //' >"$T_TMP/help"
	while IFS= read -r line; do
		l=$(printf '%s\n' "$line" | flat | sed 's/^ //; s/ $//')
		[ -n "$l" ] || continue
		case "$sect" in
		*"$l"*) ;;
		*) missing="$missing[$l] " ;;
		esac
	done <"$T_TMP/help"
	is "$missing" "" "$c: every line of 'xendeck help $c' is in its section"
done
# The hidden ones stay hidden.
unlike "$page" "__complete" "no hidden command in the page"

# Every global option of `xendeck --help`.
opts=$("$XENDECK" --help | awk '/^Options:/ { on = 1; next } on' |
    grep -oE -- '--[a-z-]+')
for o in $opts; do
	like "$(sed -n '/^OPTIONS/,/^COMMANDS/p' "$T_TMP/xendeck.txt")" \
	    "^ +(-., )?$o" "global option $o in OPTIONS"
done

# Every XENDECK_* the sources read is in ENVIRONMENT; XENDECK_PLAN_CRASH
# is the wizard engine's crash hook for t/0810, not for users.
env=$(sed -n '/^ENVIRONMENT/,/^FILES/p' "$T_TMP/xendeck.txt")
vars=$(grep -rhoE 'getenv\("XENDECK_[A-Z_]+"\)' "$XD_SRCDIR/xen-core" \
    "$XD_SRCDIR/console" "$XD_SRCDIR/wizards" | sed 's/.*"\(.*\)".*/\1/' |
    sort -u | grep -v '^XENDECK_PLAN_CRASH$')
ok "$([ -n "$vars" ]; echo $?)" "the sources read $(echo $vars | wc -w) variables"
for v in $vars; do
	like "$env" "^       $v\$" "$v is in ENVIRONMENT"
done
for s in "EXIT STATUS" FILES "SEE ALSO" "CONSOLE KEYS"; do
	grep -q "^$s" "$T_TMP/xendeck.txt"
	ok $? "xendeck(1) has $s"
done
like "$page" "d, delete destroy \(type the name to confirm\)" \
    "the console's keys come from the views' tables"

# xendeck-wizard(8): every wizard, key and choice of the table.
run "$XENDECK" help --man-wizards
is "$RC" 0 "help --man-wizards exits 0"
printf '%s\n' "$OUT" >"$T_TMP/wizard.8"
render "$T_TMP/wizard.8" >"$T_TMP/wizard.txt"
is "$(cat "$T_TMP/warn")" "" "xendeck-wizard(8) renders without a warning"
wizards=$("$XENDECK" wizard --json | jq -r '.wizards[].name')
ok "$([ -n "$wizards" ]; echo $?)" "the table has wizards: $(echo $wizards)"
for w in $wizards; do
	grep -q "^   $w\$" "$T_TMP/wizard.txt"
	ok $? "wizard $w has its section"
	sect=$(awk -v w="$w" '$0 == "   " w { on = 1; next }
	    on && (/^   [a-z]/ || /^[A-Z]/) { exit } on' "$T_TMP/wizard.txt")
	"$XENDECK" wizard "$w" --help >"$T_TMP/whelp"
	# Fields: "  KEY  prompt", then "  <12 blanks> choices: a b".
	awk '/^Fields/ { on = 1; next } /^$/ { on = 0 }
	    on && /^  [a-z]/ { k = $1; print "key " k }
	    on && /choices:/ { sub(/.*choices: */, ""); gsub(/ /, "|");
	        print "choices " k " " $0 }' "$T_TMP/whelp" >"$T_TMP/wkeys"
	# Not a pipeline: its checks must count in this shell.
	while read -r what k c; do
		case $what in
		key) like "$sect" "^ +$k=" "$w: key $k" ;;
		choices) like "$sect" "^ +$k=$(printf '%s' "$c" |
		    sed 's/[|.]/\\&/g')\$" "$w: $k's choices $c" ;;
		esac
	done <"$T_TMP/wkeys"
done

# The test table's wizard shows every kind of field.
if [ -x "$XD_BUILDDIR/t/wiz-test" ]; then
	"$XD_BUILDDIR/t/wiz-test" man >"$T_TMP/test.8"
	render "$T_TMP/test.8" >"$T_TMP/test.txt"
	is "$(cat "$T_TMP/warn")" "" "the test table's page renders cleanly"
	t=$(sed -n '/^   tree$/,/^FILES/p' "$T_TMP/test.txt")
	for k in root=PATH name=VALUE 'purge=no\|yes' wipe=VALUE extra=NUMBER; do
		like "$t" "^ +$k\$" "tree: $k"
	done
	like "$(printf '%s\n' "$t" | flat)" "root=path the throwaway tree\. everything happens under it\. required: there is no default\." \
	    "a required field says so"
	like "$(printf '%s\n' "$t" | flat)" "purge=no\|yes remove root/victim\. default: no\." \
	    "a fixed default is printed (WIZ_FIXED)"
	like "$(printf '%s\n' "$t" | flat)" "name=value a name\. default: from the host's facts" \
	    "a default from the host is not"
	like "$(printf '%s\n' "$t" | flat)" "wipe=value what may be destroyed\. default: none \(it may be left out\)\. it names what a destructive step destroys" \
	    "consent is said"
	like "$t" "Actions: --poke" "the wizard's actions"
fi
done_testing
