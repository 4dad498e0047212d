#!/bin/sh
# Install what building and testing ebpf-tool needs on Debian 12 (as root).
# --packaging: also what scripts/build-deb.sh and scripts/build-rpm.sh need,
# and debootstrap for scripts/check-package-root.sh.
# --vm: also what scripts/vm-run.sh (make check-kernel) needs.
# Quick when everything is there already: apt-get runs only for what is missing.
set -e

PACKAGES="autoconf automake make gcc pkgconf libbpf-dev libelf-dev libdw-dev libdebuginfod-dev libcapstone-dev zlib1g-dev
clang llvm libclang-rt-14-dev bpftool dejagnu util-linux valgrind time
mandoc man-db groff-base bash-completion"
# The clients the export tests read our files with: xmllint (SVG), headless
# Chromium (the flame graph's script), go tool pprof, python3 (JSON).
PACKAGES="$PACKAGES libxml2-utils chromium golang-go python3"
# The debuginfod server the record tests fetch debug files from.
PACKAGES="$PACKAGES debuginfod"

for arg in "$@"; do
	case $arg in
	--packaging)
		PACKAGES="$PACKAGES dpkg-dev debhelper lintian rpm debootstrap" ;;
	--vm)
		PACKAGES="$PACKAGES qemu-system-x86 qemu-system-common busybox-static cpio xz-utils" ;;
	*)
		echo "usage: $0 [--packaging] [--vm]" >&2
		exit 2 ;;
	esac
done

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi
