#!/bin/sh
# Build the Debian packages (source and binary) from this checkout and check
# them with lintian: the "make dist" tarball becomes the .orig.tar.xz,
# debian/ (kept out of the tarball, as upstream tarballs do) is added to it,
# and dpkg-buildpackage -us -uc builds, running the test suite.  Exits
# non-zero if the build fails or lintian reports an error or a warning.
# Needs dpkg-dev, debhelper, lintian and the build dependencies in
# debian/control ("scripts/install-deps.sh --packaging").
set -eu

pkg_what="Build the Debian source and binary packages and run lintian on them."

pkg_build() {
	work=$1
	tarball=$(pkg_make_dist)
	version=${tarball#ebpf-tool-}
	version=${version%.tar.xz}
	debversion=$(dpkg-parsechangelog -l debian/changelog -S Version)
	if [ "${debversion%-*}" != "$version" ]; then
		echo "$pkg_self: debian/changelog is at $debversion, configure.ac at $version" >&2
		exit 1
	fi

	pkg_step "unpack ebpf-tool_$version.orig.tar.xz, add debian/"
	mkdir "$work/deb"
	cp "$tarball" "$work/deb/ebpf-tool_$version.orig.tar.xz"
	tar -C "$work/deb" -xf "$tarball"
	cp -R debian "$work/deb/ebpf-tool-$version/"

	pkg_step "dpkg-buildpackage -us -uc"
	cd "$work/deb/ebpf-tool-$version"
	DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc
	cd "$work/deb"
	changes=ebpf-tool_${debversion}_$(dpkg-architecture -qDEB_HOST_ARCH).changes

	pkg_step "lintian $changes"
	status=0
	lintian --display-info --fail-on error,warning "$changes" \
		>"$work/out/lintian.txt" 2>&1 || status=$?
	cat "$work/out/lintian.txt"
	cp ./*.deb ./*.dsc ./*.debian.tar.xz ./*.orig.tar.xz ./*.changes ./*.buildinfo "$work/out/"
	if [ "$status" -ne 0 ]; then
		echo "$pkg_self: lintian reports errors or warnings (exit $status)" >&2
		exit 1
	fi
	echo "lintian: no error, no warning"
}

. "$(dirname "$0")/pkg-lib.sh"
pkg_main "$@"
