# Helpers for the qemu backend's tests (t/03NN-*.t; source after tap.sh
# and guest.sh). Every test has its own runtime and log dirs, and whatever
# it started (supervisors, QEMUs) is killed when it exits.
#   q_setup            private XENDECK_RUNDIR/XENDECK_LOGDIR, cleanup hook
#   q_pv NAME [LINE..] write $T_TMP/NAME.cfg: the kit's PV guest + LINEs
#   q_seen NAME ERE    the console log holds a line matching ERE
#   q_count NAME ERE   how many console log lines match ERE
#   q_type NAME LINE   type LINE + Enter on the serial console socket
#   q_state NAME       the State column of `xendeck list NAME` (or "gone")
#   q_cpu NAME         the Time(s) column
#   q_gone NAME        the domain's runtime dir is gone

q_setup() {
	XENDECK_RUNDIR=$T_TMP/run
	XENDECK_LOGDIR=$T_TMP/log
	export XENDECK_RUNDIR XENDECK_LOGDIR
	at_exit q_cleanup
	# Killed tests clean up too (the EXIT trap runs on exit).
	trap 'exit 143' TERM INT HUP
}

# Kill every supervisor and QEMU under our rundir (they are ours).
q_cleanup() {
	for f in "$XENDECK_RUNDIR"/*/supervisor.pid; do
		[ -f "$f" ] && "$XENDECK" destroy --yes "$(basename "$(dirname "$f")")" \
		    >/dev/null 2>&1
	done
	for f in "$XENDECK_RUNDIR"/*/supervisor.pid \
	    "$XENDECK_RUNDIR"/*/qemu.pid; do
		[ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	# A QEMU whose pid file is gone still has our rundir on its cmdline.
	for _p in /proc/[0-9]*; do
		grep -aqF -- "$XENDECK_RUNDIR/" "$_p/cmdline" 2>/dev/null &&
		    kill -9 "${_p#/proc/}" 2>/dev/null
	done
	return 0
}

q_pv() {
	_n=$1; shift
	{
		echo "name = \"$_n\""
		echo "memory = 96"
		echo "kernel = \"$KERNEL\""
		echo "ramdisk = \"$INITRD\""
		echo "extra = \"console=hvc0 xd.name=$_n\""
		for _l in "$@"; do echo "$_l"; done
	} >"$T_TMP/$_n.cfg"
}

q_seen() {
	tr -d '\r' <"$XENDECK_LOGDIR/$1.console.log" 2>/dev/null |
	    grep -aEq -- "$2"
}

q_count() {
	tr -d '\r' <"$XENDECK_LOGDIR/$1.console.log" 2>/dev/null |
	    grep -aEc -- "$2"
}

# q_booted NAME N: boot number N has reached its shell prompt (the prompt
# comes after acpid starts, so the power button works from then on).
q_booted() {
	tr -d '\r' <"$XENDECK_LOGDIR/$1.console.log" 2>/dev/null | awk -v n="$2" \
	    -v p="^$1# " '/^XENDECK-GUEST-READY/ { b++ } b == n && $0 ~ p { f = 1 }
	    END { exit !f }'
}

q_type() {
	python3 - "$XENDECK_RUNDIR/$1/serial.sock" "$2" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\r")
time.sleep(0.3)
s.close()
PY
}

q_state() {
	"$XENDECK" list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }' |
	    grep . || echo gone
}

q_cpu() {
	"$XENDECK" list "$1" 2>/dev/null | awk 'NR == 2 { print $6 }'
}

q_gone() {
	[ ! -e "$XENDECK_RUNDIR/$1" ]
}

# q_running NAME: the state is r or b (running, or idle).
q_running() {
	case $(q_state "$1") in
	r-----|-b----) return 0 ;;
	esac
	return 1
}

# q_qemus NAME: how many QEMU processes run NAME's domain (their command
# lines name its runtime dir); q_noqemu NAME: none.
q_qemus() {
	_n=0
	for _p in /proc/[0-9]*; do
		{ tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null |
		    grep -q "qemu-system.*$XENDECK_RUNDIR/$1/" && _n=$((_n + 1))
	done
	echo $_n
}
q_noqemu() {
	[ "$(q_qemus "$1")" -eq 0 ]
}

# q_sups NAME: how many supervisors of NAME's domain run under our rundir
# (`xendeck supervise NAME`, with our XENDECK_RUNDIR).
q_sups() {
	_n=0
	for _p in /proc/[0-9]*; do
		{ tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null |
		    grep -q " supervise $1 $" &&
		    { tr '\0' '\n' <"$_p/environ"; } 2>/dev/null |
		    grep -qxF "XENDECK_RUNDIR=$XENDECK_RUNDIR" && _n=$((_n + 1))
	done
	echo $_n
}

# q_none NAME: no QEMU and no supervisor of NAME's domain runs.
q_none() {
	[ "$(q_qemus "$1")" -eq 0 ] && [ "$(q_sups "$1")" -eq 0 ]
}
