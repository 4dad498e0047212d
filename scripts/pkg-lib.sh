# Shared by build-deb.sh and build-rpm.sh (sourced, not run).
#
# Both build a package from this checkout the way a distribution would:
# a copy of the tree in a scratch directory makes the "make dist" tarball,
# and the package is built from that tarball alone.  Run as root, the build
# itself runs as the user "nobody", as build daemons are unprivileged: the
# test suite's root tests then report UNSUPPORTED, as they do there
# (PKG_BUILD_AS_ROOT=1 keeps root).  The copy holds the tracked files and
# new files that .gitignore does not exclude, as they are in the work tree,
# so uncommitted edits are built too.
#
# A script defines pkg_build WORK, which runs in WORK/src and leaves its
# results in WORK/out, then calls pkg_main "$@".

pkg_step() {
	printf '\n=== %s\n' "$*"
}

pkg_usage() {
	cat <<EOF
Usage: $pkg_self [-o DIR]

$pkg_what
The results go to DIR (default: ./packages).
EOF
}

# Copy the source tree SRC to DEST (a new directory).
pkg_copy_tree() {
	mkdir -p "$2"
	if git -C "$1" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$1" && git ls-files -z --cached --others --exclude-standard |
			tar --null -T - --ignore-failed-read -cf -) |
			tar -C "$2" -xf -
	else
		cp -a "$1/." "$2"
	fi
}

# Configure the copy and make the release tarball; print its name.
pkg_make_dist() {
	pkg_step "make dist" >&2
	./autogen.sh >&2
	./configure --quiet >&2
	make dist >&2
	version=$(sed -n 's/^PACKAGE_VERSION = //p' Makefile)
	test -f "ebpf-tool-$version.tar.xz"
	echo "ebpf-tool-$version.tar.xz"
}

pkg_main() {
	pkg_self=$(basename "$0")
	if [ "${1:-}" = --inner ]; then
		# The build itself, in the copy, as the builder.
		cd "$2/src"
		pkg_build "$2"
		return
	fi

	outdir=$(pwd)/packages
	while [ $# -gt 0 ]; do
		case $1 in
		-o | --outdir)
			[ $# -ge 2 ] || { pkg_usage >&2; exit 2; }
			outdir=$2
			shift 2 ;;
		-h | --help)
			pkg_usage
			exit 0 ;;
		*)
			pkg_usage >&2
			exit 2 ;;
		esac
	done
	case $outdir in /*) ;; *) outdir=$(pwd)/$outdir ;; esac

	src=$(cd "$(dirname "$0")/.." && pwd)
	work=$(mktemp -d "${TMPDIR:-/tmp}/ebpf-tool-pkg.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	trap 'exit 130' INT TERM
	pkg_copy_tree "$src" "$work/src"
	mkdir "$work/out" "$work/home"

	inner="$work/src/scripts/$pkg_self"
	if [ "$(id -u)" = 0 ] && [ -z "${PKG_BUILD_AS_ROOT:-}" ] &&
		id nobody >/dev/null 2>&1; then
		echo "$pkg_self: building as 'nobody', as build daemons do (PKG_BUILD_AS_ROOT=1: as root)"
		chown -R nobody: "$work"
		runuser -u nobody -- env HOME="$work/home" TMPDIR="$work" \
			"$inner" --inner "$work"
	else
		HOME="$work/home" TMPDIR="$work" "$inner" --inner "$work"
	fi

	mkdir -p "$outdir"
	cp "$work"/out/* "$outdir"/
	pkg_step "results in $outdir"
	(cd "$work/out" && ls -l)
}
