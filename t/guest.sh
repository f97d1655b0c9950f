# Guest-kit helpers for t/02NN-*.t (source after tap.sh).
#   gk_kit TARGET...   build or reuse scripts/guest-kit images; sets
#                      KERNEL INITRD KVER (+ ISO HDD DISK DISK_MENULST
#                      DISK_BARE); skips the whole test when the kit's
#                      prerequisites are truly absent
#   gk_accel           "kvm" or "tcg" (XD_QEMU_ACCEL overrides)
#   gk_qemu NAME ARGS  start qemu-system-x86_64 in the background with a
#                      serial console on $T_TMP/NAME.in / .log (FIFO in,
#                      log out) and QMP at $T_TMP/NAME.qmp; pid in GK_PID
#   gk_type NAME LINE  type LINE + Enter on that serial console
#   gk_qmp NAME CMD [JSON]  one QMP command (t/qmp-cmd)

gk_kit() {
	command -v apt-get >/dev/null 2>&1 || skip_all "no apt-get"
	command -v qemu-system-x86_64 >/dev/null 2>&1 ||
	    skip_all "qemu-system-x86_64 not installed (scripts/bootstrap)"
	if ! _kit=$("$XD_SRCDIR/scripts/guest-kit" -q "$@" 2>"$T_TMP/kit.err")
	then
		echo "1..0 # SKIP guest kit cannot be built: $(tail -n 1 \
		    "$T_TMP/kit.err")"
		exit 0
	fi
	eval "$_kit"
}

# KVM only when it really runs guests. On this family of nested hosts
# /dev/kvm opens and KVM_CREATE_VM works, yet measured: SeaBIOS does not
# finish POST in 100 s and a direct-boot Debian kernel never leaves its
# decompressor; QEMU then warns "host doesn't support requested feature"
# (KVM hides SSE3). That warning, or any error, means tcg.
gk_accel() {
	if [ -n "${XD_QEMU_ACCEL:-}" ]; then echo "$XD_QEMU_ACCEL"; return; fi
	if [ -n "${GK_ACCEL:-}" ]; then echo "$GK_ACCEL"; return; fi
	GK_ACCEL=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		_w=$(printf '%s\n' '{"execute":"qmp_capabilities"}' \
		    '{"execute":"quit"}' | timeout 10 qemu-system-x86_64 \
		    -accel kvm -nodefaults -display none -S -qmp stdio 2>&1)
		case "$_w" in
		*"doesn't support"*|*rror*|*"not support"*) ;;
		*) GK_ACCEL=kvm ;;
		esac
	fi
	echo "$GK_ACCEL"
}

gk_qemu() {
	_n=$1; shift
	rm -f "$T_TMP/$_n.in" "$T_TMP/$_n.out" "$T_TMP/$_n.log"
	mkfifo "$T_TMP/$_n.in" "$T_TMP/$_n.out"
	: >"$T_TMP/$_n.log"
	cat "$T_TMP/$_n.out" >>"$T_TMP/$_n.log" &
	qemu-system-x86_64 -accel "$(gk_accel)" -nodefaults -no-user-config \
	    -display none -m 256 -no-reboot \
	    -chardev pipe,id=ser0,path="$T_TMP/$_n" -serial chardev:ser0 \
	    -qmp unix:"$T_TMP/$_n.qmp",server=on,wait=off \
	    "$@" >"$T_TMP/$_n.qemu" 2>&1 &
	GK_PID=$!
	eval "GK_PID_$_n=$GK_PID"
	[ -n "${GK_PIDS:-}" ] || at_exit gk_kill_all
	GK_PIDS="${GK_PIDS:-} $GK_PID"
}

gk_kill_all() {
	for _p in ${GK_PIDS:-}; do kill "$_p" 2>/dev/null || :; done
	for _p in ${GK_PIDS:-}; do wait "$_p" 2>/dev/null || :; done
}

gk_type() {
	printf '%s\r' "$2" >"$T_TMP/$1.in"
}

gk_qmp() {
	_n=$1; shift
	"$XD_SRCDIR/t/qmp-cmd" "$T_TMP/$_n.qmp" "$@"
}

# gk_seen NAME PATTERN: the serial log holds a line matching PATTERN (ERE).
gk_seen() {
	tr -d '\r' <"$T_TMP/$1.log" | grep -aEq -- "$2"
}
