#!/bin/bash
# Install the Debian package into a Debian 12 root that has never seen the
# build, use it there as a user would, remove it, and look for what it left.
#
#   scripts/check-package-root.sh PATH/TO/ebpf-tool_VERSION_ARCH.deb
#   scripts/check-package-root.sh -d DIR     (the newest ebpf-tool_*.deb in DIR)
#
# The build machine has every build dependency installed, so a .deb that
# installs and runs there proves nothing about its Depends: here apt-get
# installs it into a minimal bookworm (debootstrap --variant=minbase, from
# the mirror this machine's apt uses), which lacks libbpf, libelf and the
# rest, and must fetch them itself.  Inside the root (chroot, with proc,
# sysfs, tracefs, debugfs and bpffs mounted, as ebpf-tool needs them) it
# then runs ebpf-tool perf, man ebpf-tool-record, record -g -- ls and
# report --stdio; then apt-get remove and purge, and checks that no file,
# no systemd link and no BPF program of the package is left.
#
# Prints "PASS: ..." or "FAIL: ..." per check, the time of each step, and
# closes with "check-package-root: N checks passed, N failed".  Exit 0: every
# check passed; 1: one failed, or the root could not be built; 2: usage;
# 77: cannot run here at all (not root, no debootstrap), said on a "SKIP:"
# line (.ci/run counts that as a failure).
#
# The pristine root is built once and kept as a tar archive in
# $EBPF_TOOL_VM_CACHE (default ~/.cache/ebpf-tool/vm, beside vm-run.sh's
# kernels); delete bookworm-root.tar there to build it anew.  Each run
# unpacks its own copy and deletes it at the end, so runs never see each
# other's leftovers.  Needs root and debootstrap (scripts/install-deps.sh
# --packaging); bpftool, if here, to look for BPF programs left loaded.
set -uo pipefail
export LC_ALL=C

self=check-package-root
suite=bookworm

usage() {
	echo "usage: $0 PACKAGE.deb | -d DIR" >&2
	exit 2
}

passed=0 failed=0 unchecked=0
pass() {
	echo "PASS: $*"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}
# A check that could not look: said loudly, counted apart, never a pass.
unchecked() {
	echo "NOT CHECKED: $*"
	unchecked=$((unchecked + 1))
}

# Lines as one line of words.
words() {
	printf '%s\n' "$@" | tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//'
}
# Paths relative to the root, shown as the root sees them.
rooted() {
	[ -z "$1" ] || words "$(sed 's|^|/|' <<<"$1")"
}

times=()
clock() {
	t0=$EPOCHREALTIME
}
took() {
	local t
	t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	echo "time: $1: $t s"
	times+=("$1 $t s")
}

finish() {
	teardown
	echo
	[ ${#times[@]} -eq 0 ] || (IFS=,; echo "$self: times:${times[*]/#/ }")
	local extra=""
	[ "$unchecked" -eq 0 ] || extra=", $unchecked not checked"
	echo "$self: $passed checks passed, $failed failed$extra"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

work="" root=""
# Every mount point at or below $1, the deepest first.
mounts_under() {
	awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
unmount_under() {
	local p i
	for i in 1 2 3; do
		[ -n "$(mounts_under "$1")" ] || return 0
		mounts_under "$1" | while read -r p; do umount "$p" 2>/dev/null; done
	done
	# Still busy: detach them, to go when their last user does.
	mounts_under "$1" | while read -r p; do umount -l "$p"; done
	[ -z "$(mounts_under "$1")" ]
}
# Processes still running in the root (a hung command) would keep it busy.
kill_in_root() {
	local p
	[ -n "$root" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2>/dev/null
	done
}
# Unmount, then delete the copy; never delete through a mount that is left
# (it could be this machine's own files).
teardown() {
	[ -n "$work" ] || return 0
	kill_in_root
	if unmount_under "$work"; then
		rm -rf --one-file-system "$work"
	else
		echo "$self: mounts are left under $work, so it is not deleted:" >&2
		mounts_under "$work" >&2
	fi
	work=""
}

# -- What to test. -----------------------------------------------------------
deb=""
case ${1:-} in
-d)
	[ $# -eq 2 ] || usage
	# shellcheck disable=SC2012 # the names are ebpf-tool_VERSION_ARCH.deb
	deb=$(ls -t "$2"/ebpf-tool_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || { fail "no ebpf-tool_*.deb in $2"; finish; } ;;
-h | --help)
	sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"
	exit 0 ;;
-* | "")
	usage ;;
*)
	[ $# -eq 1 ] || usage
	deb=$1 ;;
esac
case $deb in /*) ;; *) deb=$(pwd)/$deb ;; esac

skip() {
	echo "SKIP: $*"
	echo "$self: cannot run here (exit 77)"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, mount, and BPF inside the root)"
command -v debootstrap >/dev/null || skip "no debootstrap: apt-get install debootstrap"

# A private mount namespace: what is mounted into the root cannot spread to
# this machine's other mount points, and goes with the script even if it is
# killed before its trap can unmount it.
if [ -z "${CHECK_PACKAGE_ROOT_NS:-}" ] && unshare --mount --propagation private true 2>/dev/null; then
	exec unshare --mount --propagation private env CHECK_PACKAGE_ROOT_NS=1 "$BASH" "$0" "$deb"
fi

trap teardown EXIT
trap 'exit 130' INT TERM

# -- The package. -------------------------------------------------------------
if [ ! -f "$deb" ]; then
	fail "no such file: $deb"
	finish
fi
if ! pkg=$(dpkg-deb -f "$deb" Package 2>/dev/null); then
	fail "$deb is not a Debian package"
	finish
fi
if [ "$pkg" != ebpf-tool ]; then
	fail "$deb is the package $pkg, not ebpf-tool"
	finish
fi
echo "package: $deb ($(dpkg-deb -f "$deb" Version) $(dpkg-deb -f "$deb" Architecture))"
# The names in Depends, alternatives and versions dropped: what apt must bring.
depends=$(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/:any//; s/[[:space:]]//g' |
	grep . | sort -u)
echo "Depends: $(words "$depends")"

# -- The mirror: whatever this machine's apt reads for Debian 12. ------------
# "URI SUITE COMPONENT" for bookworm and its updates and security suites,
# however they are written (sources.list or deb822 .sources).
# shellcheck disable=SC2016 # apt-get's own $(FIELD) syntax
sources=$(apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
	'Created-By: Packages' 'Target-Of: deb' 2>/dev/null |
	awk -v s="$suite" '$2 == s || $2 == s "-updates" || $2 == s "-security"' | sort -u)
mirror=$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$sources")
if [ -z "$mirror" ]; then
	fail "this machine's apt has no source for $suite (apt-get indextargets)"
	finish
fi
echo "mirror: $mirror"
# How this machine's apt reaches it: a proxy, and whether it takes a Release
# file past its Valid-Until (a mirror frozen at a date).  The root's apt
# must do the same, or it could not use the same mirror.
eval "$(apt-config shell http_proxy Acquire::http::Proxy https_proxy Acquire::https::Proxy \
	valid_until Acquire::Check-Valid-Until check_date Acquire::Check-Date)"
apt_conf=""
[ -z "${http_proxy:-}" ] || { export http_proxy; apt_conf+="Acquire::http::Proxy \"$http_proxy\";"$'\n'; }
[ -z "${https_proxy:-}" ] || { export https_proxy; apt_conf+="Acquire::https::Proxy \"$https_proxy\";"$'\n'; }
[ -z "${valid_until:-}" ] || apt_conf+="Acquire::Check-Valid-Until \"$valid_until\";"$'\n'
[ -z "${check_date:-}" ] || apt_conf+="Acquire::Check-Date \"$check_date\";"$'\n'

# -- The pristine root, built once. -------------------------------------------
cache=${EBPF_TOOL_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/ebpf-tool/vm}
tarball=$cache/$suite-root.tar
stamp="debootstrap --variant=minbase $suite $mirror"
mkdir -p "$cache" || { fail "cannot create the cache $cache"; finish; }

build_root() {
	local tmp keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] || keyring=""
	tmp=$(mktemp -d "$cache/.root.XXXXXX") || return 1
	echo "debootstrap --variant=minbase $suite from $mirror (log: $tmp/debootstrap.log while it runs)"
	if ! debootstrap --variant=minbase ${keyring:+--keyring=$keyring} "$suite" "$tmp/root" "$mirror" \
		>"$tmp/debootstrap.log" 2>&1; then
		tail -n 20 "$tmp/debootstrap.log" | sed 's/^/  /'
		unmount_under "$tmp" && rm -rf --one-file-system "$tmp"
		return 1
	fi
	rm -f "$tmp/root"/var/cache/apt/archives/*.deb
	if ! tar -C "$tmp/root" --numeric-owner --xattrs -cf "$tmp/root.tar" .; then
		unmount_under "$tmp" && rm -rf --one-file-system "$tmp"
		return 1
	fi
	mv "$tmp/root.tar" "$tarball" && echo "$stamp" >"$tarball.stamp"
	unmount_under "$tmp" && rm -rf --one-file-system "$tmp"
}

clock
# One build at a time when several runs start from nothing.
exec 9>"$cache/.$suite-root.lock"
flock 9
if [ -f "$tarball" ] && [ "$(head -n 1 "$tarball.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "debootstrap: cached root $tarball ($(sed -n 2p "$tarball.stamp"))"
	took "debootstrap (cached)"
else
	if ! build_root; then
		fail "debootstrap --variant=minbase $suite from $mirror"
		finish
	fi
	took debootstrap
	echo "built $(date -u '+%F %T UTC'), ${times[-1]}" >>"$tarball.stamp"
fi
exec 9>&-

clock
# Resolved, as /proc/self/mountinfo names the mounts under it.
work=$(realpath "$(mktemp -d "${TMPDIR:-/var/tmp}/ebpf-tool-root.XXXXXX")") || { fail "mktemp"; finish; }
root=$work/root
if ! mkdir "$root" || ! tar -C "$root" --numeric-owner --xattrs -xpf "$tarball"; then
	fail "cannot unpack $tarball"
	finish
fi
took "fresh copy of the root"

# -- Mounts: what ebpf-tool reads, as on a booted machine. ----------------------
# /proc (kallsyms, maps, perf_event_paranoid), /sys (BTF at
# /sys/kernel/btf/vmlinux, CPUs, PMUs), tracefs and debugfs (tracepoints),
# bpffs (a new instance: nothing pinned here reaches this machine's).  /dev
# is a tmpfs with the few nodes apt and a shell need, not this machine's
# devtmpfs, so nothing done in the root creates or removes its devices.
mount_root() {
	mount -t proc proc "$root/proc" &&
		mount -t sysfs sysfs "$root/sys" &&
		mount -t bpf bpf "$root/sys/fs/bpf" &&
		mount -t tmpfs -o mode=0755,nosuid devtmp "$root/dev" || return 1
	mount -t tracefs tracefs "$root/sys/kernel/tracing" ||
		echo "note: no tracefs in the root (tracepoints cannot be named)"
	mount -t debugfs debugfs "$root/sys/kernel/debug" ||
		echo "note: no debugfs in the root"
	local name major minor
	while read -r name major minor; do
		mknod -m 666 "$root/dev/$name" c "$major" "$minor" || return 1
	done <<-EOF
	null 1 3
	zero 1 5
	full 1 7
	random 1 8
	urandom 1 9
	tty 5 0
	EOF
	mkdir -m 755 "$root/dev/pts" && mkdir -m 1777 "$root/dev/shm" &&
		mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts" &&
		mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm" &&
		ln -s pts/ptmx "$root/dev/ptmx" && ln -s /proc/self/fd "$root/dev/fd" &&
		ln -s /proc/self/fd/0 "$root/dev/stdin" && ln -s /proc/self/fd/1 "$root/dev/stdout" &&
		ln -s /proc/self/fd/2 "$root/dev/stderr"
}
if ! mount_root; then
	fail "cannot mount proc, sysfs, bpffs and /dev in the root"
	finish
fi
# What a new bpffs holds before anyone pins anything (the kernel's own
# preloaded maps.debug and progs.debug, where it has them).
bpffs_before=$(find "$root/sys/fs/bpf" -mindepth 1 2>/dev/null | sort)

# A root shell's clean environment: nothing of this script's (PATH, locale,
# proxies) reaches the commands, which see only the root.  Output in
# $work/out; its tail is shown when the command fails.
out=$work/out
in_root() {
	local limit=$1
	shift
	# In the background, so that a signal to this script is handled at once
	# (the trap kills what runs in the root), not when the command ends.
	timeout -k 10 "$limit" chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=dumb LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		/bin/sh -c "$*" >"$out" 2>&1 </dev/null &
	wait $!
	local rc=$?
	[ $rc -eq 0 ] || { echo "  exit $rc; last lines:"; tail -n 15 "$out" | sed 's/^/  | /'; }
	return $rc
}
installed() {
	dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Status}\n' "$1" 2>/dev/null |
		grep -q ' installed$'
}

# -- The root before: none of the build, none of the package. -----------------
# The Build-Depends of debian/control beside this script, if it is here.
control=$(dirname "$0")/../debian/control
if [ -f "$control" ]; then
	builddeps=$(sed -n '/^Build-Depends:/,/^[^ ]/{s/^Build-Depends://;/^[^ ]/d;p}' "$control" |
		tr ',|' '\n\n' | sed 's/[[(<].*//; s/[[:space:]]//g' | grep . | sort -u)
	present=""
	for p in ebpf-tool $builddeps; do
		installed "$p" && present+=" $p"
	done
	if [ -z "$present" ]; then
		pass "the fresh root has neither ebpf-tool nor a build dependency ($(words "$builddeps"))"
	else
		fail "the fresh root already has:$present"
	fi
else
	unchecked "no debian/control beside this script: the root's build dependencies not looked at"
fi
bring=""
for p in $depends; do
	installed "$p" || bring+=" $p"
done
echo "Depends that apt must fetch:${bring:- none (all in minbase)}"

# -- Install, with apt, from the mirror. ------------------------------------------
clock
awk '{ src[$1 " " $2] = src[$1 " " $2] " " $3 }
	END { for (s in src) print "deb " s src[s] }' <<<"$sources" | sort >"$root/etc/apt/sources.list"
[ -z "$apt_conf" ] || printf '%s' "$apt_conf" >"$root/etc/apt/apt.conf.d/99$self"
# As in every chroot: no service of a package is started inside it.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
debname=$(basename "$deb")
install -m 644 "$deb" "$root/tmp/$debname"

apt="apt-get -q -o Dpkg::Use-Pty=0"
if in_root 600 "$apt update"; then
	pass "apt-get update in the root ($(wc -l <"$root/etc/apt/sources.list") sources)"
else
	fail "apt-get update in the root"
	finish
fi
if in_root 900 "cd /tmp && $apt install -y ./$debname"; then
	got=""
	for p in $bring; do
		installed "$p" && got+=" $p"
	done
	pass "apt-get install ./$debname (apt fetched:${got:- nothing})"
else
	fail "apt-get install ./$debname"
	finish
fi
missing=""
for p in $depends; do
	installed "$p" || missing+=" $p"
done
if [ -z "$missing" ]; then
	pass "every package in Depends is installed"
else
	fail "Depends not installed:$missing"
fi
# The proof that Depends is enough: the dynamic loader finds every library.
if in_root 60 "ldd /usr/bin/ebpf-tool" && ! grep -q 'not found' "$out"; then
	pass "ldd /usr/bin/ebpf-tool finds every library"
else
	fail "ldd /usr/bin/ebpf-tool: $(words "$(grep 'not found' "$out")")"
fi
# The unit says "Disabled by default"; the package must not enable it.
enabled=$(cd "$root" && find etc/systemd -name 'ebpf-tool*' 2>/dev/null)
if [ -z "$enabled" ]; then
	pass "installing enables no systemd unit (nothing under /etc/systemd)"
else
	fail "installing enabled the unit, though it says \"Disabled by default\": $(rooted "$enabled")"
fi
# man is not in minbase; a user who wants man pages installs it.
if in_root 600 "$apt install -y man-db"; then
	pass "apt-get install man-db"
else
	fail "apt-get install man-db"
fi
took install

# -- What a user runs first. ----------------------------------------------------------
clock
prog_ids() {
	"$bpftool" prog show 2>/dev/null | sed -n 's/^\([0-9][0-9]*\): .*/\1/p'
}
bpftool=$(PATH=$PATH:/usr/sbin:/sbin command -v bpftool)
last_prog=0
[ -z "$bpftool" ] || last_prog=$(prog_ids | sort -n | tail -n 1)

if in_root 120 "ebpf-tool perf -f 99 -d 5" && grep -q 'Samples collected' "$out"; then
	pass "ebpf-tool perf -f 99 -d 5: $(grep -m 1 'Samples collected' "$out" | tr -s ' ' | sed 's/^ //')"
	sed 's/^/  | /' "$out" | head -n 25
else
	fail "ebpf-tool perf -f 99 -d 5 exits 0 and prints \"Samples collected\""
fi

# The NAME line as the packaged page writes it, "ebpf-tool-record \- ...".
name_line=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/man/man1/ebpf-tool-record.1.gz |
	gzip -dc | sed -n '/^\.SH NAME/{n;s/\\-/-/g;p;q}')
summary=${name_line#* - }
if [ -z "$name_line" ]; then
	fail "the package has no NAME line in ebpf-tool-record.1.gz"
elif in_root 60 "MANPAGER=cat MANWIDTH=80 man -P cat ebpf-tool-record" &&
	grep -q '^NAME' "$out" && grep -qF "$summary" "$out"; then
	pass "man ebpf-tool-record shows its NAME: $name_line"
else
	fail "man ebpf-tool-record shows NAME and \"$name_line\""
fi

# At record's default 99 Hz a 1 ms "ls /" is sampled about one run in ten;
# at 999 Hz the 30-odd ms of "ls -lR /usr" gives some 30 samples: what
# report must show comes from the kernel's sampling, not from luck.
record="ebpf-tool record -g -F 999 -o /tmp/x.data -- ls -lR /usr"
if in_root 120 "$record" && [ -s "$root/tmp/x.data" ]; then
	pass "$record ($(stat -c %s "$root/tmp/x.data") bytes)"
else
	fail "$record exits 0 and writes the file"
fi
report="ebpf-tool report --stdio -i /tmp/x.data"
if ! in_root 120 "$report"; then
	fail "$report exits 0"
elif grep -qw ls "$out"; then
	pass "$report shows ls"
	grep -v '^#' "$out" | grep . | head -n 5 | sed 's/^/  | /'
else
	fail "$report shows ls"
	head -n 20 "$out" | sed 's/^/  | /'
fi
took checks

# -- Remove and purge; then nothing of it may be left. -------------------------------
clock
in_root 60 "dpkg -L ebpf-tool" && cp "$out" "$work/files"
in_root 60 "dpkg-query -W -f '\${Conffiles}' ebpf-tool" && awk '{ print $1 }' "$out" >"$work/conffiles"
# The files (not directories) of the list in $1 that are still there.
files_left() {
	local f
	while read -r f; do
		[ -n "$f" ] && [ ! -d "$root$f" ] && { [ -e "$root$f" ] || [ -L "$root$f" ]; } && printf ' %s' "$f"
	done <"$1"
}
if in_root 300 "$apt remove -y ebpf-tool"; then
	pass "apt-get remove ebpf-tool"
else
	fail "apt-get remove ebpf-tool"
fi
# Remove keeps the conffiles only (purge takes them).
grep -vxF -f "$work/conffiles" "$work/files" >"$work/not-conffiles"
left=$(files_left "$work/not-conffiles")
if [ -z "$left" ]; then
	pass "every file dpkg -L listed is gone after remove ($(wc -l <"$work/files") paths, $(wc -l <"$work/conffiles") conffiles)"
else
	fail "left after remove:$left"
fi
if in_root 300 "$apt purge -y ebpf-tool"; then
	pass "apt-get purge ebpf-tool"
else
	fail "apt-get purge ebpf-tool"
fi
left=$(files_left "$work/files")
if [ -z "$left" ]; then
	pass "every file dpkg -L listed is gone after purge"
else
	fail "left after purge:$left"
fi
if dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Status}\n' ebpf-tool 2>/dev/null |
	grep -qv '^unknown ok not-installed$\|^purge ok not-installed$'; then
	fail "dpkg still knows ebpf-tool: $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Status}' ebpf-tool)"
else
	pass "dpkg no longer has ebpf-tool"
fi
# Directories the package made: gone, unless another package owns them.
left=""
while read -r f; do
	[ -n "$f" ] && [ "$f" != /. ] && [ -d "$root$f" ] && ! in_root 30 "dpkg -S '$f'" >/dev/null && left+=" $f"
done <"$work/files"
if [ -z "$left" ]; then
	pass "no directory of the package is left (those left are other packages')"
else
	fail "directories left that no package owns:$left"
fi
left=$(cd "$root" && find etc/systemd -name '*ebpf-tool*' 2>/dev/null)
if [ -z "$left" ]; then
	pass "nothing of ebpf-tool.service under /etc/systemd"
else
	fail "left under /etc/systemd: $(rooted "$left")"
fi
# By name, everywhere a package puts things, dpkg's and apt's own records
# included (purge must clear those too).
left=$(cd "$root" && find usr etc var/lib -xdev \( -name '*ebpf-tool*' -o -name '*ebpf_tool*' \) 2>/dev/null)
if [ -z "$left" ]; then
	pass "no file named ebpf-tool under /usr, /etc, /var/lib"
else
	fail "files left: $(rooted "$left")"
fi
left=$(find "$root/sys/fs/bpf" -mindepth 1 2>/dev/null | sort | comm -23 - <(echo "$bpffs_before"))
if [ -z "$left" ]; then
	pass "nothing pinned in the root's /sys/fs/bpf"
else
	fail "pinned in the root's /sys/fs/bpf: ${left//$root/}"
fi
# A BPF program loaded since the checks began, which no process holds open
# (a pin or a persistent attachment keeps it), three times a second apart:
# programs of other work on this machine are held by their processes, and
# one whose process just exited goes within that time.
if [ -z "$bpftool" ]; then
	unchecked "no bpftool on this machine: cannot look for BPF programs left loaded"
else
	orphans() {
		local held
		held=$(cat /proc/[0-9]*/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -u)
		prog_ids | awk -v last="${last_prog:-0}" '$1 > last' | sort -u | comm -23 - <(echo "$held")
	}
	left=$(orphans)
	for i in 1 2; do
		[ -n "$left" ] || break
		sleep 1
		left=$(comm -12 <(echo "$left") <(orphans))
	done
	if [ -z "$left" ]; then
		pass "no BPF program left loaded (bpftool prog show)"
	else
		fail "BPF programs left loaded, held by no process: $(words "$left")"
		for i in $left; do "$bpftool" prog show id "$i" | sed 's/^/  | /'; done
	fi
fi
took remove

teardown
if [ -z "$(mounts_under "$root")" ] && [ ! -e "$root" ]; then
	pass "no mount left, the root's copy deleted"
else
	fail "the root's copy or a mount in it is left: $root"
fi
finish
