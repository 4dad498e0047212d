#!/bin/bash
# Run one command as root inside one of Debian 12's stock kernels, booted
# under qemu, and hand back its output and exit status.
#
#   scripts/vm-run.sh [-k FLAVOUR] [-s DIR]... [-t SECONDS] [-m MIB] [-c CPUS] -- CMD [ARG]...
#
# FLAVOUR is amd64 (the default) or cloud-amd64: the newest
# linux-image-6.1.*-FLAVOUR that apt knows, fetched with apt-get download and
# cached under $EBPF_TOOL_VM_CACHE (default ~/.cache/ebpf-tool/vm) with the
# initramfs built for it.  The guest's root is this machine's / shared
# read-only over virtiofs, under an overlay on tmpfs: the guest can write
# anywhere and nothing reaches this machine, except in each DIR given with
# -s, shared writable at the same path (a build tree, say).  The command runs
# in the current directory with PATH, HOME and TERM kept (and EBPF_TOOL_VM
# naming the kernel package, where tests find its config); its output comes
# back on standard output, its status as this script's.  Exit 125: the VM
# could not be set up or did not finish within SECONDS (default 600).
#
# Everything comes from Debian's packages: qemu-system-x86, busybox-static,
# cpio, xz-utils (scripts/install-deps.sh --vm).  TCG emulation, or KVM where the CPU
# has real hardware virtualization (kvm_intel or kvm_amd, not kvm_pvm).
set -uo pipefail

flavour=amd64
timeout_s=600
mem=2048
cpus=2
shares=()

usage() {
	echo "usage: $0 [-k amd64|cloud-amd64] [-s DIR]... [-t SECONDS] [-m MIB] [-c CPUS] -- CMD [ARG]..." >&2
	exit 2
}
fail() {
	echo "vm-run: $*" >&2
	exit 125
}

while getopts k:s:t:m:c:h opt; do
	case $opt in
	k) flavour=$OPTARG ;;
	s) d=$(cd "$OPTARG" 2>/dev/null && pwd) || usage
	   case " ${shares[*]} " in *" $d "*) ;; *) shares+=("$d") ;; esac ;;
	t) timeout_s=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
case $flavour in amd64|cloud-amd64) ;; *) usage ;; esac
case $timeout_s$mem$cpus in *[!0-9]*) usage ;; esac
[ "$(id -u)" = 0 ] || fail "must run as root (virtiofsd shares / and needs root to do so)"

qemu=$(command -v qemu-system-x86_64) || fail "qemu-system-x86_64 not found: apt-get install qemu-system-x86"
virtiofsd=/usr/lib/qemu/virtiofsd
[ -x $virtiofsd ] || fail "$virtiofsd not found: apt-get install qemu-system-common"
busybox=$(command -v busybox) || fail "busybox not found: apt-get install busybox-static"
case $(ldd "$busybox" 2>&1) in *"not a dynamic"*) ;; *) false ;; esac ||
	fail "$busybox is not static, and the initramfs has no libc: apt-get install busybox-static"
command -v cpio >/dev/null || fail "cpio not found: apt-get install cpio"

cache=${EBPF_TOOL_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ebpf-tool/vm}
mkdir -p "$cache" || fail "cannot create the cache $cache"

# -- The kernel: the package the flavour's meta-package depends on. -------
kernel_package() {
	apt-cache show --no-all-versions "linux-image-$flavour" 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1
}
pkg=$(kernel_package)
if [ -z "$pkg" ]; then
	apt-get update -qq >/dev/null 2>&1
	pkg=$(kernel_package)
fi
[ -n "$pkg" ] || fail "apt knows no linux-image-$flavour: run apt-get update"
kver=${pkg#linux-image-}
kdir=$cache/$pkg

# Unpack once; .ready marks a complete unpack, so an interrupted one is redone.
prepare_kernel() {
	local tmp deb off
	tmp=$(mktemp -d "$cache/.unpack.XXXXXX") || return 1
	(cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) || {
		rm -rf "$tmp"
		echo "apt-get download $pkg failed" >&2
		return 1
	}
	deb=$(ls "$tmp"/*.deb) && dpkg-deb -x "$deb" "$tmp/root" && rm -f "$deb" || return 1
	# Boot an xz kernel decompressed, through its PVH entry: twice as fast
	# under TCG as letting it unpack itself.  An LZ4 one (the cloud
	# flavour) unpacks fast enough as it is.
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ' "$tmp/root/boot/vmlinuz-$kver" | head -n 1 | cut -d: -f1)
	if [ -n "$off" ] && tail -c +$((off + 1)) "$tmp/root/boot/vmlinuz-$kver" |
		xz -dcq --single-stream >"$tmp/vmlinux" 2>/dev/null && [ -s "$tmp/vmlinux" ]; then
		:
	else
		cp "$tmp/root/boot/vmlinuz-$kver" "$tmp/vmlinux" || return 1
	fi
	"$busybox" depmod -b "$tmp/root" "$kver" || return 1
	build_initramfs "$tmp" || return 1
	rm -rf "$kdir" && mv "$tmp" "$kdir" && touch "$kdir/.ready"
}

# The initramfs: busybox, the modules that mount the root (virtio, virtiofs,
# overlay, virtio_console) and their dependencies, and init.
build_initramfs() {
	local tmp=$1 ird=$1/initramfs mods=$1/root/lib/modules/$kver m dep
	mkdir -p "$ird"/{bin,dev,proc,sys,lower,upper,newroot,lib/modules/$kver} || return 1
	cp "$busybox" "$ird/bin/busybox" && ln -s busybox "$ird/bin/sh" || return 1
	for m in virtio_pci virtiofs overlay virtio_console; do
		dep=$(grep -E "/$m\.ko:" "$mods/modules.dep") || { echo "no module $m" >&2; return 1; }
		for f in ${dep//:/}; do
			mkdir -p "$ird/lib/modules/$kver/$(dirname "$f")"
			cp "$mods/$f" "$ird/lib/modules/$kver/$f" || return 1
		done
	done
	"$busybox" depmod -b "$ird" "$kver" || return 1
	cat >"$ird/init" <<-'EOF'
	#!/bin/sh
	# Stage 1: mount the shared root under an overlay and switch to it.
	/bin/busybox mount -t proc proc /proc
	/bin/busybox mount -t sysfs sys /sys
	/bin/busybox mount -t devtmpfs dev /dev
	for m in virtio_pci virtiofs overlay virtio_console; do
		/bin/busybox modprobe $m || echo "vm-init: cannot load $m"
	done
	/bin/busybox mount -t virtiofs -o ro rootfs /lower || echo "vm-init: cannot mount the root"
	/bin/busybox mount -t tmpfs -o mode=0755 upper /upper
	/bin/busybox mkdir -p /upper/data /upper/work
	/bin/busybox mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work root /newroot ||
		echo "vm-init: cannot mount the overlay"
	/bin/busybox cp /stage2 /newroot/.vm-stage2
	/bin/busybox umount /proc /sys
	exec /bin/busybox switch_root /newroot /bin/sh /.vm-stage2
	EOF
	chmod 755 "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1 >"$tmp/initramfs.gz") || return 1
	rm -rf "$ird"
}

if [ ! -e "$kdir/.ready" ]; then
	# One unpack at a time when several runs start from nothing.
	exec 9>"$cache/.lock"
	flock 9
	[ -e "$kdir/.ready" ] || prepare_kernel || fail "cannot prepare $pkg"
	exec 9>&-
fi

# -- This run: a stage-2 script in a second cpio archive, concatenated. ----
run=$(mktemp -d /tmp/ebpf-tool-vm.XXXXXX) || fail "mktemp failed"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

q() { printf '%q ' "$@"; }
mkdir -p "$run/cpio"
{
	echo '#!/bin/sh'
	echo '# Stage 2, in the overlay root: the file systems a profiler needs, then the command.'
	echo 'bb=/bin/busybox'
	echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
	echo 'mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs shm /dev/shm'
	echo 'mount -t tracefs tracefs /sys/kernel/tracing; mount -t debugfs debugfs /sys/kernel/debug'
	echo 'mount -t bpf bpf /sys/fs/bpf; mount -t cgroup2 cgroup2 /sys/fs/cgroup'
	echo "mkdir -p /lib/modules/$kver && mount --bind $(q "$kdir/root/lib/modules/$kver") /lib/modules/$kver"
	echo 'mount -t tmpfs -o mode=1777 tmp /tmp; mount -t tmpfs -o mode=0755 run /run'
	i=0
	for d in "${shares[@]}"; do
		echo "mkdir -p $(q "$d") && mount -t virtiofs share$i $(q "$d") || echo 'vm-run: cannot mount $d' >&2"
		i=$((i + 1))
	done
	echo '$bb ip link set lo up'
	echo '$bb hostname ebpf-tool-vm'
	echo "export PATH=$(q "$PATH") HOME=/root TERM=${TERM:-dumb} EBPF_TOOL_VM=$(q "$pkg")"
	echo "cd $(q "$PWD") || exit 1"
	echo "( $(q "$@") ) </dev/null >/dev/hvc0 2>&1"
	echo 'echo "status $?" >/dev/hvc1'
	echo 'sync'
	echo '$bb poweroff -f'
} >"$run/cpio/stage2"
(cd "$run/cpio" && echo stage2 | cpio -o -H newc --quiet | gzip -1 >"$run/stage2.gz") || fail "cpio failed"
cat "$kdir/initramfs.gz" "$run/stage2.gz" >"$run/initramfs.gz"

# -- virtiofsd for the root (read-only in the guest) and each share. -------
start_virtiofsd() {
	local sock=$1 dir=$2
	$virtiofsd --socket-path="$sock" -o source="$dir" -o cache=auto \
		-o sandbox=chroot -o no_posix_lock >"$sock.log" 2>&1 &
	pids+=($!)
}
fsargs=()
start_virtiofsd "$run/root.sock" /
fsargs+=(-chardev "socket,id=root,path=$run/root.sock"
	-device "vhost-user-fs-pci,chardev=root,tag=rootfs")
i=0
for d in "${shares[@]}"; do
	start_virtiofsd "$run/share$i.sock" "$d"
	fsargs+=(-chardev "socket,id=share$i,path=$run/share$i.sock"
		-device "vhost-user-fs-pci,chardev=share$i,tag=share$i")
	i=$((i + 1))
done
for s in "$run"/root.sock $(seq -f "$run/share%g.sock" 0 $((i - 1))); do
	for _ in $(seq 50); do [ -S "$s" ] && break; sleep 0.1; done
	[ -S "$s" ] || fail "virtiofsd did not start for $s"
done

accel=(-accel tcg,thread=multi -cpu max)
if [ -w /dev/kvm ] && grep -qsE '^kvm_(intel|amd) ' /proc/modules && ! grep -qs '^kvm_pvm ' /proc/modules; then
	accel=(-accel kvm -cpu host)
fi

: >"$run/out"
: >"$run/status"
timeout -k 5 "$timeout_s" "$qemu" -M q35 "${accel[@]}" -smp "$cpus" -m "$mem" \
	-object "memory-backend-memfd,id=mem,size=${mem}M,share=on" -numa node,memdev=mem \
	-kernel "$kdir/vmlinux" -initrd "$run/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1 rdinit=/init" \
	-nographic -no-reboot -nodefaults -serial "file:$run/console" \
	-device virtio-serial-pci \
	-chardev "file,id=out,path=$run/out" -device virtconsole,chardev=out \
	-chardev "file,id=status,path=$run/status" -device virtconsole,chardev=status \
	"${fsargs[@]}" </dev/null >"$run/qemu.log" 2>&1 &
qpid=$!
tail -n +1 -f --pid=$qpid "$run/out" 2>/dev/null &
tailpid=$!
wait $qpid
qstatus=$?
wait $tailpid 2>/dev/null

status=$(sed -n 's/^status \([0-9]*\).*/\1/p' "$run/status" | tail -n 1)
if [ -z "$status" ]; then
	[ $qstatus -eq 124 ] && echo "vm-run: $pkg did not finish within $timeout_s s" >&2 ||
		echo "vm-run: $pkg stopped before the command finished (qemu exit $qstatus)" >&2
	tail -n 30 "$run/console" "$run/qemu.log" >&2
	exit 125
fi
exit "$status"
