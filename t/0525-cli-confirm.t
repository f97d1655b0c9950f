#!/bin/sh
# Confirmations and Domain-0's refusal come from the command table, and
# the CLI keeps them: destroy asks for the typed name on a terminal (a
# wrong name does nothing), is refused without a terminal unless -y/--yes
# confirms; shutdown -a and reboot -a ask y/n; Domain-0 is refused whatever was
# confirmed; the console's own commands are refused outside it. Against
# real paused guests on the QEMU backend.
. "${0%/*}/tap.sh"
. "${0%/*}/guest.sh"
. "${0%/*}/qemu.sh"

gk_kit pv
q_setup
XENDECK_ACCEL=${XENDECK_ACCEL:-$(gk_accel)}; export XENDECK_ACCEL
mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"

# on_pty ANSWER CMD...: run CMD on a pseudo-terminal, type ANSWER once it
# has asked (its question ends in ': ' or ') '); prints what it printed.
on_pty() {
	python3 - "$@" <<'PY'
import os, pty, select, sys, time
answer = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out, asked, end = b"", False, time.time() + 60
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    if not asked and (out.endswith(b": ") or out.endswith(b") ")):
        os.write(fd, answer.encode() + b"\r")
        asked = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.waitstatus_to_exitcode(status))
PY
}

q_pv c1
q_pv c2
for d in c1 c2; do
	run "$XENDECK" create -p "$T_TMP/$d.cfg"
	is "$RC" 0 "create -p $d${ERR:+: $ERR}"
done

run "$XENDECK" destroy c1 </dev/null
is "$RC" 1 "destroy without a terminal and without --yes: exit 1"
like "$ERR" "^xendeck: destroy c1: not done: it needs the domain's name typed, and stdin is not a terminal to ask on \\(--yes confirms\\)$" \
    "saying why and how to confirm"
like "$(q_state c1)" '^--p---$' "c1 is untouched"

OUT=$(on_pty wrong "$XENDECK" destroy c1); RC=$?
is "$RC" 1 "on a terminal, a wrong name: exit 1"
like "$OUT" 'destroy c1 \(stop a domain at once, like pulling its plug\)\? type its name to confirm: ' \
    "the question names the domain and what destroy does"
like "$OUT" 'destroy c1: not done: the name typed did not match' "and says so"
like "$(q_state c1)" '^--p---$' "c1 is still there"

OUT=$(on_pty c1 "$XENDECK" destroy c1); RC=$?
is "$RC" 0 "typing the name destroys"
ok "$(q_gone c1; echo $?)" "c1 is gone"

run "$XENDECK" destroy Domain-0
is "$RC" 1 "destroy Domain-0: exit 1"
is "$ERR" "xendeck: Domain-0 is the host itself, not a guest: destroy refused" \
    "refused by the command table, before any question"
run "$XENDECK" -y pause 0
like "$ERR" "^xendeck: Domain-0 is the host itself, not a guest: pause refused$" \
    "by domid too, whatever was confirmed"

run "$XENDECK" shutdown -a </dev/null
is "$RC" 1 "shutdown -a without a terminal: refused"
like "$ERR" "shutdown -a: not done: it needs a yes" "saying so"
OUT=$(on_pty n "$XENDECK" shutdown -a); RC=$?
is "$RC" 1 "on a terminal, n: exit 1"
like "$OUT" 'shutdown every domain\? \(y/n\) ' "it asked y/n"

run "$XENDECK" shutdown c2 </dev/null
is "$RC" 0 "shutdown of one domain needs no confirmation (as xl)"

run "$XENDECK" destroy -y c2
is "$RC" 0 "destroy -y confirms${ERR:+: $ERR}"
ok "$(q_gone c2; echo $?)" "c2 is gone"

run "$XENDECK" reboot -a </dev/null
is "$RC" 1 "reboot -a without a terminal: refused"
like "$ERR" "reboot -a: not done: it needs a yes" "saying so"
run "$XENDECK" reboot -y -a </dev/null
is "$RC" 0 "reboot -y -a: confirmed (no guest left: nothing to do)"

run "$XENDECK" help destroy
like "$OUT" "It asks for the domain's name to be typed first" "help destroy says it asks"
like "$OUT" 'Domain-0, the host itself, is refused' "and that Domain-0 is refused"

run "$XENDECK" jobs
is "$RC" 1 "jobs outside the console: exit 1"
like "$ERR" "^xendeck: jobs: only at the console's ':' prompt" "saying where it works"

done_testing
