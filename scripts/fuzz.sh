#!/bin/sh
# Build every libFuzzer target with clang (ASan, UBSan) and run each for
# SECONDS (default 30) from a copy of its corpus in tests/fuzz/corpus/.
# Usage: scripts/fuzz.sh [SECONDS [TARGET...]]   Run from a configured tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-"datafile report annotate kallsyms procmaps elf perfmap cputime cfi dwarf debugfile"}
out=${FUZZ_OUT:-$(mktemp -d /tmp/ebpf-tool-fuzz.XXXXXX)}
mkdir -p "$out"
cflags="-O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$top -I$top/src -DHAVE_CONFIG_H"
src=$top/src
datafile="$src/data/datafile-read.c $src/data/datafile-write.c $src/data/datafile-cols.c"
lib="$src/lib/util.c $src/lib/hash.c $src/lib/hashtab.c $src/lib/arena.c $src/lib/idmap.c $src/lib/u64map.c $src/lib/rangemap.c $src/lib/symtab.c"
report="$src/data/session.c $src/data/session-lines.c $src/data/session-code.c $src/lib/strpool.c $src/data/filter.c $src/report/hist.c $src/report/sort.c $src/report/hist-graph.c $src/report/callchain.c \
	$src/output/output-stdio.c $src/output/output-script.c $lib $datafile"
unwind="$src/unwind/cfi-table.c $src/unwind/cfi-fde.c $src/unwind/cfi-hdr.c $src/unwind/cfi-scan.c $src/unwind/cfi-rule.c $src/unwind/cfi-debug.c $src/lib/elfnote.c $src/lib/util.c"
symbols="$src/symbols/ksyms.c $src/symbols/procmaps.c $src/symbols/elfsyms.c $src/lib/elfnote.c $src/symbols/perfmap.c $lib"
status=0
for t in $targets; do
	cflags_t=
	case $t in
	datafile) srcs="$datafile $src/lib/util.c" libs="-lz" ;;
	report) srcs=$report libs="-lz -lm" ;;
	annotate) srcs="$report $src/report/annotate.c $src/output/output-annotate.c"
		cflags_t=$(pkg-config --cflags capstone) libs="-lz -lm -lcapstone" ;;
	cputime) srcs=$src/lib/cputime.c libs="" ;;
	cfi) srcs=$unwind libs="-ldw -lelf" ;;
	dwarf) srcs="$src/symbols/srclines.c $src/symbols/srclines-rows.c $src/lib/strpool.c $symbols" libs="-ldw -lelf -lz" ;;
	debugfile) srcs="$src/symbols/debugfile.c $src/lib/elfnote.c" libs="-lelf -lz" ;;
	*) srcs=$symbols libs="-lelf -lz" ;;
	esac
	# shellcheck disable=SC2086
	clang $cflags ${cflags_t:-} -o "$out/fuzz-$t" "$top/tests/fuzz/fuzz-$t.c" $srcs $libs
	mkdir -p "$out/corpus-$t"
	cp "$top/tests/fuzz/corpus/$t/"* "$out/corpus-$t/"
	echo "fuzz: $t for $secs s"
	if ! (cd "$out" && "./fuzz-$t" -max_total_time="$secs" -rss_limit_mb=2048 \
		-print_final_stats=1 "corpus-$t" > "fuzz-$t.log" 2>&1); then
		echo "fuzz: $t FOUND A PROBLEM; see $out/fuzz-$t.log"
		tail -40 "$out/fuzz-$t.log"
		status=1
	fi
	grep -E '^(#[0-9]+\s+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$out/fuzz-$t.log" |
		sed "s/^/fuzz: $t: /" || true
done
[ -n "${FUZZ_OUT:-}" ] || rm -rf "$out"
exit $status
