#!/bin/sh
# Rewrite testsuite/data/ from make-golden and the ebpf-tool just built:
# the data files, then every case of tests/golden/cases.  Read the diff
# before committing it: the expected files are the specification.
#   usage: tests/golden/regen.sh [BUILDDIR]   (default: the source tree)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src}" && pwd)
data=$src/testsuite/data
tool=$build/src/ebpf-tool
mkdir -p "$data"
"$build/tests/golden/make-golden" "$data"
export TZ=UTC LC_ALL=C
grep -v '^#' "$src/tests/golden/cases" | while read -r file name cmd args; do
	# shellcheck disable=SC2086 # args are words
	"$tool" $cmd -i "$data/$file.data" $args > "$data/$file.$name.expected"
done
