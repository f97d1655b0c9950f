#!/bin/sh
# The console in a private tmux server against real tiny guests on the
# QEMU backend: open, navigate, sort, filter, columns, drill-down, delay,
# host, help, the ':' prompt (completion, history), resize to 80x24 and
# back, destroy with confirmation, NO_COLOR, a broken theme, read-only.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/tui.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
gk_kit pv
export XENDECK_RUNDIR="$T_TMP/run" XENDECK_LOGDIR="$T_TMP/log"
# The accelerator that really boots a Debian kernel here (guest.sh).
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}; export XENDECK_ACCEL
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
RUNENV="XENDECK_RUNDIR=$XENDECK_RUNDIR XENDECK_LOGDIR=$XENDECK_LOGDIR XENDECK_ACCEL=$XENDECK_ACCEL"

t_destroy_all() {
	for d in alpha beta gamma; do
		"$XENDECK" destroy --yes "$d" >/dev/null 2>&1 || :
	done
}
at_exit t_destroy_all

# Three paused guests of different sizes: sorting has something to do
# and no guest burns cpu while the console is looked at.
for d in alpha:64 beta:96 gamma:80; do
	cat >"$T_TMP/${d%:*}.cfg" <<EOF
name = "${d%:*}"
memory = ${d#*:}
kernel = "$KERNEL"
ramdisk = "$INITRD"
extra = "console=ttyS0"
EOF
	run "$XENDECK" create -p "$T_TMP/${d%:*}.cfg"
	is "$RC" 0 "create -p ${d%:*}${ERR:+: $ERR}"
done

# The body's rows in screen order: the names at the start of lines.
order() {
	tui_screen | awk 'NR > 2 && $1 ~ /^(alpha|beta|gamma|Domain-0)$/ {
	    printf "%s ", $1 }'
}
status() { tui_screen | tail -n 1; }

# shellcheck disable=SC2086
tui_start $RUNENV --
tui_wait '^gamma ' 20; ok $? "opens on the Domains view with the guests"
like "$(tui_screen | head -n 1)" '1 Domains +2 Top +3 Host +4 Detail' "tabs"
like "$(tui_screen)" '^alpha +[0-9]+ +64 +1 +--p---' "alpha: 64 MiB, paused"
is "$(order)" "Domain-0 alpha beta gamma " "listed by domain id"

tui_keys j j Enter
tui_wait 'Detail: beta' 5; ok $? "j j Enter: the detail of the second guest"
tui_wait 'type pv, memory 96 MiB' 5; ok $? "detail shows the config as parsed"
like "$(tui_screen)" 'Console log' "and the console log section"
tui_keys Escape
tui_wait 'CPU, last minute' 5; ok $? "Esc goes back to Domains"

tui_keys 2
tui_wait 'NAME +STATE +CPU\(sec\) +CPU\(%\)' 5; ok $? "2: the Top view, xentop's columns"
# Sort on MEM(k): from CPU(%), '>' moves right once; descending.
tui_keys '>'
tui_wait 'sorted on MEM\(k\), descending' 5; ok $? "> sorts on the next column"
is "$(order)" "Domain-0 beta gamma alpha " "MEM(k) descending (the host first)"
tui_keys I
tui_wait 'sorted on MEM\(k\), ascending' 5; ok $? "I inverts"
is "$(order)" "alpha gamma beta Domain-0 " "MEM(k) ascending"
tui_keys '<' '<' '<' '<'
tui_wait 'sorted on NAME, ascending' 5; ok $? "< back to NAME"
is "$(order)" "Domain-0 alpha beta gamma " "NAME ascending"

tui_keys / a m
tui_wait '^/am' 5; ok $? "/ opens the filter prompt"
is "$(order)" "gamma " "the filter applies while typing"
tui_keys Enter
tui_wait 'filter: am' 5; ok $? "Enter keeps it"
tui_keys / C-u Enter
sleep 0.3
is "$(order)" "Domain-0 alpha beta gamma " "an empty filter shows all again"

tui_keys f j ' ' Enter
tui_wait 'NAME[^A-Z]*CPU\(sec\)' 5; ok $? "f: STATE hidden from the columns"
tui_keys f j ' ' Enter
tui_wait 'NAME[^A-Z]*STATE' 5; ok $? "and shown again"

tui_keys Home j Enter
tui_wait 'alpha \(id [0-9]+\): vcpus, vifs, vbds' 5; ok $? "Enter drills down into alpha"
like "$(tui_screen)" '^VBD ' "its vbds"
like "$(tui_screen)" '^VCPU ' "its vcpus"
tui_keys Escape
tui_wait 'NAME[^A-Z]*STATE' 5; ok $? "Esc back to the table"
tui_keys y
tui_wait '^alpha: ' 5; ok $? "y explains alpha's '-' values (or says there are none)"

tui_keys d C-u 5 Enter
tui_wait 'delay: 0.5 s between samples' 5; ok $? "d sets the delay in tenths"

tui_keys 3
tui_wait 'virtualization' 5; ok $? "3: the Host view"
like "$(tui_screen)" 'accelerator +(kvm|tcg)' "with the accelerator"
like "$(tui_screen)" 'backend +qemu' "and the backend"

tui_keys '?'
tui_wait 'Domains view' 5; ok $? "? opens the help"
like "$(tui_screen)" 'destroy \(type the name to confirm\)' "generated from the key tables"
tui_keys G
tui_wait 'usage: (top|destroy) ' 5; ok $? "and lists the commands"
tui_keys Escape

tui_keys : l i s t Enter
tui_wait '^Name +ID +Mem' 5; ok $? ":list shows the command's output"
like "$(tui_screen)" 'gamma +[0-9]+ +80' "with the guests"
tui_keys q
tui_keys : d e s t r o y ' ' g a Tab
tui_wait '^:destroy gamma' 5; ok $? "Tab completes a domain name"
tui_keys Escape
tui_keys : v e r Tab Enter
tui_wait 'xendeck [0-9]+\.[0-9]+' 5; ok $? "Tab completes a command"

tui_keys 1
tui_tmux resize-window -x 80 -y 24
sleep 0.5
tui_wait '^gamma ' 5; ok $? "resized to 80x24: still drawn"
ok "$(test "$(tui_screen | LC_ALL=C.UTF-8 wc -L)" -le 80; echo $?)" "nothing wider than 80 columns"
tui_tmux resize-window -x 120 -y 40
tui_wait 'CPU, last minute' 5; ok $? "and back to 120x40"

# Destroy: a wrong name is refused; the right one destroys.
tui_keys G
tui_keys D
tui_wait 'destroy gamma .*type its name' 5; ok $? "D asks to type the name"
tui_type wrong; tui_keys Enter
tui_wait 'destroy gamma: not done: the name typed did not match' 5; ok $? "a wrong name does not destroy"
run "$XENDECK" list gamma
is "$RC" 0 "gamma is still there"
tui_keys D; tui_type gamma; tui_keys Enter
tui_gone '^gamma ' 15; ok $? "typing the name destroys it"
run "$XENDECK" list gamma
isnt_rc=$RC
ok "$([ "$isnt_rc" -ne 0 ]; echo $?)" "the backend agrees: gamma is gone"

colour=$(tui_tmux capture-pane -p -e | grep -c '\[[0-9;]*3[0-7]m\|38;5;' || :)
ok "$([ "$colour" -gt 0 ]; echo $?)" "the default theme draws in colour"

tui_keys q
tui_wait '^XD-EXITED 0' 5; ok $? "q quits with status 0"
grep -q '^list$' "$TUI_HOME/.local/state/xendeck/history"
ok $? "the prompt's history is kept"
ok "$([ -s "$TUI_HOME/.local/state/xendeck/xendeck.log" ]; echo $?)" "the console logs to its log file"

# NO_COLOR: mono, no colour at all.
# shellcheck disable=SC2086
tui_start NO_COLOR=1 $RUNENV --
tui_wait '^beta ' 20; ok $? "NO_COLOR: opens"
colour=$(tui_tmux capture-pane -p -e | grep -c '\[[0-9;]*3[0-7]m\|38;5;\|\[[0-9;]*4[0-7]m' || :)
is "$colour" 0 "NO_COLOR: no colour escapes reach the terminal"
tui_keys q

# A non-UTF-8 locale: the ASCII fallback (no multibyte glyphs at all).
# shellcheck disable=SC2086
TUI_LANG=C
tui_start $RUNENV --
TUI_LANG=
tui_wait '^beta ' 20; ok $? "LANG=C: opens"
tui_keys 2
tui_wait 'NAME[^A-Z]*STATE' 5
ok "$(tui_screen | LC_ALL=C grep -c "$(printf '[\200-\377]')" | grep -qx 0; echo $?)" "LANG=C: ASCII only (sort arrow, sparklines)"
like "$(tui_screen | sed -n 2p)" 'CPU\(%\)[v^]' "the sort arrow falls back to ASCII"
tui_keys q

# A broken theme: file:line on the status line, the default used.
mkdir -p "$TUI_HOME/.config/xendeck"
printf 'name: broken\nheader: { fg: black }\nshiny: { fg: red }\n' >"$T_TMP/broken.yaml"
printf 'theme: %s\n' "$T_TMP/broken.yaml" >"$TUI_HOME/.config/xendeck/config.yaml"
# shellcheck disable=SC2086
tui_start $RUNENV --
tui_wait 'broken.yaml:3:1: unknown slot: shiny \(using the default\)' 10
ok $? "a broken theme: file:line:col on the status line"
tui_wait '^beta ' 5; ok $? "and the console runs on the default theme"
tui_keys q
rm -f "$TUI_HOME/.config/xendeck/config.yaml"

# Read-only: the header says so, and destroy is refused, by key or prompt.
# shellcheck disable=SC2086
tui_start $RUNENV -- --read-only
tui_wait '^beta ' 20; ok $? "--read-only: opens"
like "$(tui_screen | head -n 1)" '\[read-only\]' "the header says read-only"
tui_keys G D
tui_wait 'destroy: refused in read-only mode' 5; ok $? "D is refused"
tui_keys : d e s t r o y ' ' a l p h a Enter
tui_wait 'destroy: refused in read-only mode' 5; ok $? ":destroy is refused"
tui_keys p
tui_wait '(un)?pause: refused in read-only mode' 5; ok $? "pause is refused"
run "$XENDECK" list beta
is "$RC" 0 "beta is still there"
run "$XENDECK" list alpha
is "$RC" 0 "alpha is still there"
tui_keys q

done_testing
