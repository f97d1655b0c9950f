# Sourced by the xl backend's lab tests (t/lab/07NN-*.t), after tap.sh.
# A tiny PV guest that can really be shut down and rebooted: the lab's
# kernel, and a busybox initramfs built here (in dom0, seconds) whose
# /sbin/poweroff and /sbin/reboot are what Linux's Xen shutdown handler runs
# on a PV request, with a shell on the PV console for the console tests.
XL_KERNEL=${XDLAB_GUEST_KIT:-/var/lib/xendeck-lab/guest}/vmlinuz
XL_MARKER=XENDECK-GUEST-UP

# xl_guest_kit DIR: DIR/initrd.img (once per test). With the frontends
# (XL_GUEST_FRONTENDS=1, dom0's own modules: the kernels are the same) the
# guest reads its first disk and brings its NIC up, so the vbd and vif
# counters have something to count. XL_GUEST_NET="ADDRESS/PREFIX GATEWAY"
# gives the NIC that address instead and pings the gateway every 2 s,
# printing "XENDECK-GW-OK N" or "XENDECK-GW-FAIL N" on the console.
xl_guest_kit() {
	_g=$1/root
	mkdir -p "$_g/bin" "$_g/sbin" "$_g/proc" "$_g/sys" "$_g/dev" "$_g/tmp" \
	    "$_g/mod"
	cp /bin/busybox "$_g/bin/busybox"
	if [ -n "${XL_GUEST_FRONTENDS:-}" ]; then
		for _m in drivers/block/xen-blkfront.ko drivers/net/xen-netfront.ko; do
			cp "/lib/modules/$(uname -r)/kernel/$_m" "$_g/mod/"
		done
	fi
	[ -n "${XL_GUEST_NET:-}" ] && echo "$XL_GUEST_NET" >"$_g/net.conf"
	cat >"$_g/init" <<-'EOI'
	#!/bin/busybox sh
	/bin/busybox mkdir -p /usr/bin /usr/sbin
	/bin/busybox --install -s 2>/dev/null
	mount -t proc proc /proc
	mount -t sysfs sys /sys
	mount -t devtmpfs dev /dev
	for m in /mod/*.ko; do [ -f "$m" ] && insmod "$m"; done
	if [ -e /sys/module/xen_blkfront ]; then
		sleep 1
		[ -b /dev/xvda ] && dd if=/dev/xvda of=/dev/null bs=4k count=256 2>/dev/null
		ip link set eth0 up 2>/dev/null
		if [ -f /net.conf ]; then
			read -r addr gw </net.conf
			ip addr add "$addr" dev eth0
			( n=0; while :; do
				n=$((n + 1))
				if ping -c 1 -W 1 "$gw" >/dev/null 2>&1; then
					echo "XENDECK-GW-OK $n" >/dev/hvc0
				else
					echo "XENDECK-GW-FAIL $n" >/dev/hvc0
				fi
				sleep 2
			done ) &
		else
			ip addr add 192.0.2.2/24 dev eth0 2>/dev/null
			ping -c 3 -W 1 192.0.2.1 >/dev/null 2>&1 &
		fi
	fi
	echo "XENDECK-GUEST-UP $(uname -r) boot $(cat /proc/sys/kernel/random/boot_id)"
	( while :; do setsid sh -c 'exec sh -i </dev/hvc0 >/dev/hvc0 2>&1'; done ) &
	while :; do sleep 3600 & wait $!; done
	EOI
	for _a in poweroff reboot; do
		cat >"$_g/sbin/$_a" <<-EOI
		#!/bin/busybox sh
		echo "XENDECK-GUEST-$_a" >/dev/hvc0
		exec /bin/busybox $_a -f
		EOI
	done
	chmod 755 "$_g/init" "$_g/sbin/poweroff" "$_g/sbin/reboot"
	(cd "$_g" && find . | cpio -o -H newc --quiet | gzip -1) >"$1/initrd.img"
}

# xl_guest_cfg DIR NAME [EXTRA-LINES]: DIR/NAME.cfg, an ordinary xl.cfg.
xl_guest_cfg() {
	cat >"$1/$2.cfg" <<-EOC
	name = "$2"
	type = "pv"
	kernel = "$XL_KERNEL"
	ramdisk = "$1/initrd.img"
	extra = "console=hvc0 quiet"
	memory = ${XL_GUEST_MEM:-128}
	vcpus = 1
	${3:-}
	EOC
	echo "$1/$2.cfg"
}

# xl_state NAME: the State column of `xl list NAME` (empty if gone).
xl_state() {
	xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'
}
xl_gone() { ! xl list "$1" >/dev/null 2>&1; }

# xl_console_log NAME: what xenconsoled logged of the guest's console.
xl_console_log() {
	cat "/var/log/xen/console/guest-$1.log" 2>/dev/null
}

# In the lab the tests are root in a real dom0; anywhere else they skip.
xl_require_dom0() {
	[ -n "${XENDECK_LAB:-}" ] ||
	    skip_all "runs inside the lab dom0 (make check-lab)"
	grep -qs control_d /proc/xen/capabilities ||
	    skip_all "not a Xen dom0 (runs in the lab: make check-lab)"
	[ -r "$XL_KERNEL" ] || skip_all "no guest kernel at $XL_KERNEL"
	# xenconsoled logs guest consoles here (the lab turns that on).
	mkdir -p /var/log/xen/console
	# xendeck's own run and log directories: private to the test.
	XENDECK_RUNDIR=$T_TMP/run XENDECK_LOGDIR=$T_TMP/log
	export XENDECK_RUNDIR XENDECK_LOGDIR
	mkdir -p "$XENDECK_RUNDIR" "$XENDECK_LOGDIR"
}

# Destroy every guest a test left behind.
xl_cleanup() {
	for _d in $XL_GUESTS; do
		xl destroy "$_d" >/dev/null 2>&1 || :
	done
}
XL_GUESTS=
at_exit xl_cleanup

# An HVM guest for the device-model paths: a Linux kernel is impractical
# there (an HVM Linux boot in the TCG lab took minutes, and one ended in a
# triple fault), GRUB from an ISO is up in under a minute. xl_grub_iso DIR
# makes DIR/grub.iso whose GRUB, on the serial port and the VGA console:
# prints XL_GRUB_UP; reads a line from the keyboard (what a VNC viewer
# types) and prints it back; then polls the ACPI PM1a status register
# (Xen's, at 0xb000) for the power button, and on it prints
# XENDECK-GRUB-POWERBUTTON and powers off through ACPI (halt). That is what
# an OS without PV drivers does with the button `shutdown -F` presses.
# GRUB's own drivers for the keyboard, the VGA text screen and the serial
# port, and no sleep (a BIOS clock call): every BIOS call is a switch to
# real mode and back, and in the lab one of those now and then kills the
# guest (QEMU's emulated AMD-V; Xen reports a triple fault).
XL_GRUB_UP=XENDECK-GRUB-UP
xl_grub_iso() {
	mkdir -p "$1/iso/boot/grub"
	cat >"$1/iso/boot/grub/grub.cfg" <<-'EOG'
	serial --unit=0 --speed=115200
	insmod at_keyboard
	insmod vga_text
	terminal_input at_keyboard
	terminal_output vga_text serial
	echo "XENDECK-GRUB-UP"
	echo "type a line and Enter:"
	read line
	echo "XENDECK-GRUB-READ $line"
	echo "waiting for the ACPI power button"
	while true; do
		inw -v sts 0xb000
		# PWRBTN_STS is bit 8: the third hex digit from the right is odd.
		if regexp '[13579bdfBDF][0-9a-fA-F][0-9a-fA-F]$' "$sts"; then
			echo "XENDECK-GRUB-POWERBUTTON pm1a_sts=$sts"
			halt
		fi
	done
	EOG
	grub-mkrescue -o "$1/grub.iso" "$1/iso" >"$1/grub-mkrescue.log" 2>&1
}

# xl_guest_cfg_hvm DIR NAME [EXTRA-LINES]: an HVM guest booting DIR/grub.iso
# (the windows.cfg shape: cdrom, boot="d", serial pty, VNC), no PV drivers.
xl_guest_cfg_hvm() {
	cat >"$1/$2.cfg" <<-EOC
	name = "$2"
	type = "hvm"
	memory = 64
	vcpus = 1
	disk = [ "file:$1/grub.iso,hdc:cdrom,r" ]
	boot = "d"
	serial = "pty"
	vnc = 1
	vnclisten = "127.0.0.1"
	${3:-}
	EOC
	echo "$1/$2.cfg"
}
