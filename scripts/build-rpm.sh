#!/bin/sh
# Build the RPM (source and binary) from this checkout: "make dist", then
# rpmbuild -ba with the spec the tarball carries (made by configure from
# rpm/ebpf-tool.spec.in), in a scratch _topdir.  %check runs the test
# suite; rpmbuild fails if an installed file is missing from %files.  On a
# system that is not RPM-based (Debian: the rpm package) the build
# dependencies cannot be checked, so --nodeps is passed.
set -eu

pkg_what="Build the source and binary RPMs with rpmbuild -ba."

pkg_build() {
	work=$1
	tarball=$(pkg_make_dist)
	top=$work/rpmbuild
	mkdir -p "$top/SOURCES" "$top/SPECS"
	cp "$tarball" "$top/SOURCES/"
	tar -xOf "$tarball" "${tarball%.tar.xz}/rpm/ebpf-tool.spec" >"$top/SPECS/ebpf-tool.spec"

	nodeps=
	if [ -f /etc/debian_version ]; then
		nodeps=--nodeps
	fi
	pkg_step "rpmbuild $nodeps -ba"
	rpmbuild $nodeps -ba --define "_topdir $top" \
		"$top/SPECS/ebpf-tool.spec"

	for rpm in "$top"/RPMS/*/*.rpm; do
		pkg_step "$(basename "$rpm")"
		rpm -qpi "$rpm" | sed -n '1,/^Description/p'
		rpm -qpl "$rpm"
	done
	cp "$top"/RPMS/*/*.rpm "$top"/SRPMS/*.rpm "$work/out/"
}

. "$(dirname "$0")/pkg-lib.sh"
pkg_main "$@"
