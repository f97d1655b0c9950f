#!/bin/sh
# The beginner's path on an 80x24 terminal, in a private tmux server on a
# private directory pool (no guest is booted): the global keys reach what
# they name from every view (w the Wizards from Top, Network and the
# Transcript, g the Guide from Messages) and no view's key table takes a
# global key (checked from the manual the binary writes from those
# tables); what Enter on the Guide's everyday and not-applicable steps says
# fits the status line, and the selected step's evidence and text are
# whole; help and a command's output are wrapped in the pager, never cut,
# a bullet under its text; a wizard's plan shows every word of its step
# titles and commands, and a note wrapped keeps one bullet; a job's name
# keeps the KEY= of an answer whose path it shortens; headers, a long
# question and the Storage view's USED BY fit.
. "${0%/*}/tap.sh"
. "${0%/*}/tui.sh"
command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (scripts/bootstrap)"
command -v qemu-img >/dev/null 2>&1 || skip_all "qemu-img not installed"
P=$T_TMP/pool
ST=$T_TMP/state
XD=$T_TMP/xen
mkdir -p "$P" "$ST" "$XD" "$T_TMP/lvm"
echo 'devices { filter = [ "r|.*|" ] }' >"$T_TMP/lvm/lvm.conf"
echo "$P" >"$ST/pools"
qemu-img create -q -f raw "$P/disk1.img" 64M
printf 'name = "web1"\ndisk = [ "format=raw,vdev=xvda,target=%s" ]\n' \
    "$P/disk1.img" >"$XD/web1.cfg"
status() { tui_screen | tail -n 1; }

# No view's own key is a global one (q leaves a modal view: not counted).
run "$XENDECK" help --man
is "$RC" 0 "help --man: the console's keys, from the views' tables"
clash=$(printf '%s\n' "$OUT" | awk '
	/^\.SH/ { keys = ($0 ~ /CONSOLE KEYS/) }
	keys && /^\.SS/ { view = $0; sub(/^\.SS /, "", view) }
	keys && prev == ".TP" && view != "" && view != "Everywhere" {
		k = $0; gsub(/\\fB|\\fR/, "", k)
		n = split(k, a, /, /)
		for (i = 1; i <= n; i++)
			if (a[i] ~ /^[wgTJM?:1-6]$/)
				print view ": " a[i]
	}
	{ prev = $0 }')
is "$clash" "" "no view takes w, g, T, J, M, ?, : or a view's digit"

TUI_COLS=80
TUI_LINES=24
tui_start XENDECK_STATEDIR="$ST" XENDECK_XEN_DIR="$XD" \
    LVM_SYSTEM_DIR="$T_TMP/lvm" XENDECK_RUNDIR="$T_TMP/run" \
    XENDECK_LOGDIR="$T_TMP/log" --
tui_wait 'Guide: the Xen Project' 30; ok $? "the console opens on the Guide"
tui_wait '^ Guide: .* as of [0-9]{2}:[0-9]{2}:[0-9]{2}' 30
ok $? "its header keeps the time of its facts"

# The list cuts a step's evidence at 80 columns; the selected step's
# pane has it whole (the private pool's path is long).
tui_keys j j
tui_wait ' 3\. LVM: a volume group' 10
tui_wait '^ On this host +no volume group' 10
ok $? "the selected step's evidence, in its pane"
like "$(tui_screen | sed -n '/^ On this host/,/^ What and why/p' | tr -s ' \n' '  ')" \
    "guests' disks in directory $P: [0-9.]+ GiB free, 1 volume of 64.0 MiB" \
    "... whole: the pool, its free space and its volume"
like "$(tui_screen | grep '^ What and why')" \
    '^ What and why +LVM turns the spare partition into a volume group \(vg0\), from$' \
    "the step's text is wrapped at 80 columns, not cut in a word"
tui_keys k k

# w from Top, Network and the Transcript; g from Messages.
for v in 2 6 T; do
	tui_keys "$v"
	sleep 0.5
	tui_keys w
	tui_wait "Wizards: the guide's steps" 10
	ok $? "w from view $v opens the Wizards menu"
	[ "$v" = T ] && like "$(tui_screen | sed -n 2p)" 'Esc leaves$' \
	    "the Wizards menu's header fits"
	tui_keys Escape
done
tui_keys T
tui_wait '^ Transcript: .*\(E exports a script\)' 10
ok $? "the Transcript's header fits, with its export key"
tui_keys M
tui_wait 'Messages: ' 10
tui_keys g
tui_wait 'Guide: the Xen Project' 10; ok $? "g from Messages opens the Guide"

# The Guide's Enter on the everyday step, and on a step n/a here.
tui_keys j j j j j j j
tui_wait ' 8\. Everyday commands' 10
tui_keys Enter
tui_wait 'Domains = xl list: c console, s shutdown, D destroy; 2 xl top, 3 xl info$' 10
ok $? "Enter on the everyday commands: the Domains view, its keys in one line"
tui_keys g
tui_wait ' 8\. Everyday commands' 10
tui_keys k k k
tui_wait ' 5\. Installing Xen' 10
if tui_screen | grep -q '^ 5  n/a here'; then
	tui_keys Enter
	tui_wait 'step 5 n/a here: practise it in the lab: xendeck lab start --plain$' 10
	ok $? "Enter on a step n/a here: the lab's command, whole"
else
	skip "step 5 (installing Xen) is not n/a on this host" 1
fi

# Help: wrapped at 80 columns, under its column.
tui_keys '?'
tui_wait 'keys and commands' 10
like "$(tui_screen)" '1 2 3 4 5 6 +the Domains, Top, Host, Detail, Storage and Network views; a' \
    "help's long line wraps"
like "$(tui_screen)" '^                 click on a tab too' "... its rest under its column"
tui_keys Escape

# A command's output in the pager: a bullet wraps under its text (the
# bridge wizard's plan on a root tree: only a file is read).
mkdir -p "$T_TMP/root/etc/network"
printf 'auto lo\niface lo inet loopback\n\nallow-hotplug qa0\niface qa0 inet dhcp\n' \
    >"$T_TMP/root/etc/network/interfaces"
tui_keys :
tui_type "wizard bridge --root $T_TMP/root --set nic=qa0 --set mode=dhcp"
tui_keys Enter
tui_wait 'wizard bridge --root .*: done' 30
tui_keys G
tui_wait "^  \* The guide keeps 'iface qa0 inet dhcp'" 10
ok $? "the bridge wizard's plan (--root) in the pager"
S=$(tui_screen); is "$(printf '%s\n' "$S" | grep -A1 "^  \* The guide keeps" | tail -n 1 | grep -c '^    [^ ]')" 1 \
    "its note's next line is under the note's text"
tui_keys Escape

# A snapshot's plan at 80 columns: the command and the note whole.
tui_keys :
tui_type "wizard volume --set pool=$P --set action=snapshot --set origin=disk1 --set name=snap1"
tui_keys Enter
tui_wait 'Wizard volume: ' 15; ok $? ":wizard volume with answers opens its view"
tui_keys p
tui_wait "Plan: snapshot snap1 of disk1" 30; ok $? "p: its plan"
S=$(tui_screen | sed 's/^ *//' | tr '\n' ' ' | tr -s ' ')
like "$S" "\\$ qemu-img create -q -f qcow2 -b $P/disk1.img -F raw $P/snap1.qcow2 " \
    "the command is whole, wrapped"
like "$S" '\[snapshot-snap1\]' "the step's title and id are whole"
# (the note is under the steps: at 24 lines, a page down)
tui_keys NPage
sleep 0.5
is "$(tui_screen | grep -c '^   \* ')" 1 "the note, wrapped, has one bullet"
tui_keys A
tui_wait 'Done: volume' 30; ok $? "A applies it"

# The Storage view at 80 columns: what uses a volume shows.
tui_keys 5
tui_wait '^   disk1 ' 20
like "$(tui_screen | sed -n 3p)" 'SNAP%  USED BY$' "the Storage view's columns end in USED BY"
like "$(tui_screen | grep '^   disk1 ')" "  $XD/web" "... and disk1's row starts naming web1.cfg (the rest is cut)"

# A question longer than the line: what is typed shows after its end.
tui_keys j
sleep 0.5
tui_keys D
tui_wait 'type its name:' 10
tui_type dis
tui_wait '^<.*type its name: dis$' 10
ok $? "the Storage view's remove question: its end and what is typed show"
tui_keys Escape

# A job's name: pool=DIR shortened to pool=LAST, the KEY= kept.
tui_keys :
tui_type "wizard volume --apply --set pool=$P --set action=remove --set name=snap1 --yes"
tui_keys Enter
tui_wait 'Done: volume' 30; ok $? "a wizard run from the prompt"
tui_keys M
tui_wait 'Messages: ' 10
like "$(tui_screen)" "wizard volume --apply --set pool=pool --set action=remove" \
    "its job is named pool=pool, not a bare 'pool'"

tui_keys q
tui_wait 'XD-EXITED 0|Quit\? \(y/n\)' 10
tui_screen | grep -q "Quit? (y/n)" && tui_keys y Enter	# a read still running
tui_wait 'XD-EXITED 0' 10; ok $? "q quits"
done_testing
