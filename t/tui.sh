# Drive the real console in a private tmux server (source after tap.sh).
#   tui_start [ENV=VAL...] -- ARGS   start xendeck ARGS in a 120x40 pane
#   tui_keys KEY...                  tmux send-keys (names: Enter, Escape, C-])
#   tui_type TEXT                    literal text (send-keys -l)
#   tui_screen                       the pane's text now
#   tui_wait PATTERN [SECS]          until the pane matches PATTERN (ERE)
#   tui_gone PATTERN [SECS]          until it no longer does
#   tui_tmux ARGS                    any tmux command on the private server
#   tui_stop                         kill the server
# Every pane gets a private HOME (config, history, log), so nothing of the
# operator's leaks in and nothing is left behind.
TUI_N=0
TUI_SOCK=xdt$$-0
TUI_HOME=$T_TMP/home

tui_tmux() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }

tui_start() {
	_env=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^\([^=]*\)=\(.*\)$/\1='\2'/")"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	mkdir -p "$TUI_HOME"
	_args=
	for _a in "$@"; do
		_args="$_args '$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'"
	done
	# A fresh server each time: a dying one must not catch the new session.
	tui_tmux kill-server 2>/dev/null || :
	TUI_N=$((TUI_N + 1))
	TUI_SOCK=xdt$$-$TUI_N
	tui_tmux new-session -d -x "${TUI_COLS:-120}" -y "${TUI_LINES:-40}" \
	    "env HOME='$TUI_HOME' XDG_CONFIG_HOME= XDG_STATE_HOME= \
	    TERM=${TUI_TERM:-screen-256color} LANG=${TUI_LANG:-C.UTF-8} \
	    $_env '$XENDECK' $_args; echo XD-EXITED \$?; sleep 30"
	tui_tmux set-option -g remain-on-exit on >/dev/null 2>&1 || :
	case " ${T_CLEANUPS:-} " in *" tui_stop "*) ;; *) at_exit tui_stop ;; esac
}

tui_stop() { tui_tmux kill-server 2>/dev/null || :; }
tui_keys() { tui_tmux send-keys "$@"; }
tui_type() { tui_tmux send-keys -l "$1"; }
tui_screen() { tui_tmux capture-pane -p 2>/dev/null; }

tui_wait() {
	_pat=$1
	_end=$(( $(date +%s) + ${2:-15} ))
	while :; do
		if tui_screen | grep -Eq -- "$_pat"; then return 0; fi
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.2
	done
	diag "waited for: $_pat" "screen:" "$(tui_screen)"
	return 1
}

tui_gone() {
	_pat=$1
	_end=$(( $(date +%s) + ${2:-15} ))
	while tui_screen | grep -Eq -- "$_pat"; do
		if [ "$(date +%s)" -ge "$_end" ]; then
			diag "still there: $_pat" "$(tui_screen)"
			return 1
		fi
		sleep 0.2
	done
	return 0
}
