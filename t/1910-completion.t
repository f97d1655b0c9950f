#!/bin/sh
# bash completion (completion/xendeck, loaded over bash-completion as the
# package installs it): commands, every command's options from its help,
# option values, domain names of real QEMU domains, xl.cfg files, wizard
# names, --set keys and their choices -- walked from the tables (`xendeck
# help`, `wizard --json`, `wizard NAME --help`), and the test table's
# wizard for the kinds of field main may not have yet. One check types Tab
# into an interactive bash in tmux.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"
BC=/usr/share/bash-completion/bash_completion
command -v bash >/dev/null 2>&1 || skip_all "no bash"
[ -r "$BC" ] || skip_all "bash-completion is not installed (scripts/bootstrap)"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed (scripts/bootstrap)"
CF=$XD_SRCDIR/completion/xendeck
q_setup

# comp WORD... : what completing the last WORD offers, one a line, as
# bash calls the function: COMP_WORDS split where bash splits (= and :
# are words of their own), COMP_LINE and COMP_POINT at the end.
comp() {
	bash --norc --noprofile -c '
		. "$1"; . "$2"; shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE=""
		for w in "$@"; do
			case $w in
			=|:) COMP_LINE=$COMP_LINE$w ;;
			*) case $COMP_LINE in
			   *=|*:) COMP_LINE=$COMP_LINE$w ;;
			   "") COMP_LINE=$w ;;
			   *) COMP_LINE="$COMP_LINE $w" ;;
			   esac ;;
			esac
		done
		COMP_POINT=${#COMP_LINE}
		complete -p xendeck >/dev/null || exit 3
		_xendeck xendeck "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$BC" "$CF" "$@" | sort
}
# has LIST WORD: WORD is a line of LIST.
has() { printf '%s\n' "$1" | grep -qxF -- "$2"; }

# Commands: all the shell can run (not the console's own, not hidden).
cmds=$("$XENDECK" help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 }
    on { print $1 }')
got=$(comp "$XENDECK" "")
missing=
for c in $cmds; do
	if "$XENDECK" help "$c" | grep -q "^Only at the console's ':' prompt"
	then
		has "$got" "$c" && missing="$missing +$c"
	else
		has "$got" "$c" || missing="$missing $c"
	fi
done
is "$missing" "" "every command of the table completes, the console's own do not"
unlike "$got" "__complete" "the hidden one does not"
is "$(comp "$XENDECK" cr)" "create" "a prefix completes to its command"
is "$(comp "$XENDECK" --back)" "--backend" "global options complete"
is "$(comp "$XENDECK" --backend "" | tr '\n' ' ')" "qemu xl " \
    "and --backend's values"

# Every option each command's help lists completes after the command.
for c in $cmds; do
	# A wizard's options come after its name (checked below).
	[ "$c" = wizard ] && continue
	want=$("$XENDECK" help "$c" | sed -n 's/^  \(-[-a-zA-Z0-9]*\).*/\1/p' |
	    sed 's/,$//' | sort -u)
	[ -n "$want" ] || continue
	got=$(comp "$XENDECK" "$c" -)
	missing=
	for o in $want; do
		has "$got" "$o" || missing="$missing $o"
	done
	is "$missing" "" "$c: its options complete ($(echo $want))"
done
is "$(comp "$XENDECK" vnc --render "" | tr '\n' ' ')" "256 halfblock kitty sixel " \
    "an option's values (vnc --render)"
is "$(comp "$XENDECK" lab st | tr '\n' ' ')" "start status stop " \
    "subcommands (lab)"
is "$(comp "$XENDECK" help che)" "check-config" "help COMMAND"

# xl.cfg files for create and check-config: *.cfg and directories.
mkdir -p "$T_TMP/cfgs/sub"
: >"$T_TMP/cfgs/web1.cfg"
: >"$T_TMP/cfgs/notes.txt"
for c in create check-config; do
	got=$(comp "$XENDECK" "$c" "$T_TMP/cfgs/")
	ok "$(has "$got" "$T_TMP/cfgs/web1.cfg" && has "$got" "$T_TMP/cfgs/sub" &&
	    ! has "$got" "$T_TMP/cfgs/notes.txt"; echo $?)" \
	    "$c: xl.cfg files and directories, not other files"
done
got=$(comp "$XENDECK" -l "$T_TMP/cfgs/no")
is "$got" "$T_TMP/cfgs/notes.txt" "an option's FILE is any file (-l)"

# Domain names: two real QEMU domains, created paused.
command -v qemu-system-x86_64 >/dev/null 2>&1 || {
	skip_n=1; diag "no QEMU: domain names not checked"; }
if [ -z "${skip_n:-}" ] && [ "$(id -u)" -eq 0 ]; then
	gk_kit pv
	q_pv cpl-alpha
	q_pv cpl-beta
	"$XENDECK" create -p "$T_TMP/cpl-alpha.cfg" >/dev/null &&
	    "$XENDECK" create -p "$T_TMP/cpl-beta.cfg" >/dev/null
	ok $? "two domains created (paused)"
	is "$(comp "$XENDECK" console cpl | tr '\n' ' ')" "cpl-alpha cpl-beta " \
	    "console DOMAIN: the domains' names"
	got=$(comp "$XENDECK" destroy "")
	ok "$(has "$got" cpl-alpha && has "$got" cpl-beta &&
	    ! has "$got" Domain-0; echo $?)" \
	    "destroy: the guests, not Domain-0 (it is refused)"
	ok "$(has "$(comp "$XENDECK" list "")" Domain-0; echo $?)" \
	    "list: Domain-0 too"
	is "$(comp "$XENDECK" shutdown -w cpl-b)" "cpl-beta" \
	    "a domain after an option"
	got=$(comp "$XENDECK" autostart add "")
	ok "$(has "$got" cpl-alpha; echo $?)" "autostart add: domains"
fi

# Wizards: names and, for each, its --set keys and choices (the table).
wizards=$("$XENDECK" wizard --json | jq -r '.wizards[].name')
got=$(comp "$XENDECK" wizard "")
missing=
for w in $wizards; do has "$got" "$w" || missing="$missing $w"; done
is "$missing" "" "wizard: every wizard's name ($(echo $wizards))"
for w in $wizards; do
	"$XENDECK" wizard "$w" --help | awk '/^Fields/ { on = 1; next }
	    /^$/ { on = 0 } on && /^  [a-z]/ { k = $1; print "key " k }
	    on && /choices:/ { sub(/.*choices: */, ""); print "choices " k " " $0 }' |
	while read -r what k c; do
		case $what in
		key) has "$(comp "$XENDECK" wizard "$w" --set "")" "$k=" ||
			echo "$w: $k" ;;
		choices) for v in $c; do
			has "$(comp "$XENDECK" wizard "$w" --set "$k" = "")" "$v" ||
			    echo "$w: $k=$v"
			done ;;
		esac
	done >"$T_TMP/wmiss"
	is "$(cat "$T_TMP/wmiss")" "" "wizard $w: every --set key and choice"
done

# The test table (t/wiz-test answers __complete for it, as the binary does).
if [ -x "$XD_BUILDDIR/t/wiz-test" ]; then
	mkdir -p "$T_TMP/bin"
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$XD_BUILDDIR/t/wiz-test" \
	    >"$T_TMP/bin/xendeck"
	chmod +x "$T_TMP/bin/xendeck"
	X=$T_TMP/bin/xendeck
	is "$(comp "$X" wizard "" | tr '\n' ' ')" "host-check tree " \
	    "test table: the wizards' names"
	is "$(comp "$X" wizard tree --set "" | tr '\n' ' ')" \
	    "extra= gate= name= need= purge= root= wipe= " \
	    "--set: every key, KEY="
	is "$(comp "$X" wizard tree --set pu)" "purge=" "--set: a key's prefix"
	is "$(comp "$X" wizard tree --set purge = "" | tr '\n' ' ')" "no yes " \
	    "--set KEY=: its choices (after bash's = split)"
	is "$(comp "$X" wizard tree --set purge = y)" "yes" "--set KEY=V: a choice"
	is "$(comp "$X" wizard tree --set name = "")" "demo" \
	    "--set KEY=: the default when there are no choices"
	got=$(comp "$X" wizard tree --set root = "$T_TMP/cfgs/")
	ok "$(has "$got" "$T_TMP/cfgs/sub"; echo $?)" "--set PATH=: files"
	got=$(comp "$X" wizard tree --)
	ok "$(has "$got" --apply && has "$got" --poke && has "$got" --set;
	    echo $?)" "a wizard's options and its actions (--poke)"
	is "$(comp "$X" wizard host-check -- | tr '\n' ' ')" \
	    "--answers --help --json --set " "a read-only wizard: no --apply"
fi

# In an interactive bash, as a person: Tab completes a command.
if command -v tmux >/dev/null 2>&1; then
	S=xd1910-$$
	mkdir -p "$T_TMP/pbin"
	ln -s "$XENDECK" "$T_TMP/pbin/xendeck"
	cat >"$T_TMP/rc" <<EOF
. $BC
. $CF
PS1='cpl\$ '
PATH=$T_TMP/pbin:\$PATH
EOF
	tmux -L "$S" -f /dev/null new-session -d -x 100 -y 10 \
	    "bash --rcfile $T_TMP/rc -i"
	at_exit t_tmux_kill
	t_tmux_kill() { tmux -L "$S" kill-server 2>/dev/null; }
	wait_for 20 sh -c "tmux -L $S capture-pane -p | grep -q 'cpl\\$'"
	tmux -L "$S" send-keys 'xendeck check-co' Tab
	wait_for 20 sh -c "tmux -L $S capture-pane -p |
	    grep -q 'xendeck check-config\$'"
	ok $? "bash -i: Tab turns check-co into check-config"
	tmux -L "$S" send-keys C-u 'xendeck wizard host' Tab
	wait_for 20 sh -c "tmux -L $S capture-pane -p |
	    grep -q 'xendeck wizard host-check\$'"
	ok $? "bash -i: Tab completes a wizard's name"
fi
done_testing
