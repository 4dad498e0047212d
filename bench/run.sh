#!/bin/bash
# ebpf-tool benchmark: ebpf-tool against perf (linux-perf) and bpftrace.
#
# Usage: bench/run.sh            (or "make bench" from the build directory)
#
# Needs root.  Builds its workloads and helpers (bench/*.c) in
# a temporary directory, installs perf, bpftrace and GNU time with apt-get
# when they are missing, prints a Markdown table with the machine's
# description and saves it to bench/results-DATE.txt (and bench/latest.txt)
# under the current directory.  Take the figures on a quiet machine: the
# table says how busy it was.
#
# Environment (defaults in brackets):
#   EBPF_TOOL          the binary to measure [src/ebpf-tool next to bench/]
#   BENCH_QUICK=1      short settings, to try the script (figures are noise)
#   BENCH_RUNS         interleaved runs per overhead figure [5]
#   BENCH_WORK_SEC     length of one overhead run, seconds [2]
#   BENCH_SECTIONS     any of: overhead size report startup cost unwind longrun
#                      [all but longrun; "cost" includes the lost-sample runs]
#   BENCH_LONG_SEC     the longrun section's recording, seconds [1800]
#   BENCH_REPORT_SAMPLES  samples to record for the report test [1100000]
#   BENCH_COST_SEC     the long system-wide recording at 99 Hz [60]
#   BENCH_WAIT_QUIET   wait up to this many seconds before each section for
#                      a 1-minute load under 0.3 and no make/cc1/runtest/
#                      ebpf-tool of others [0: do not wait, just say]
#   BENCH_OUT          where to save the table [bench/results-DATE.txt]
#   BENCH_KEEP=1       keep the working directory with every file
set -u
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
TOOL=${EBPF_TOOL:-$here/../src/ebpf-tool}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	RUNS=${BENCH_RUNS:-2}; WORK_SEC=${BENCH_WORK_SEC:-0.5}; SIZE_SEC=3
	REPORT_SAMPLES=${BENCH_REPORT_SAMPLES:-60000}; COST_SEC=${BENCH_COST_SEC:-5}
	LOST_SEC=3; STARTUP_RUNS=3; UNWIND_ROUNDS=2000; UNWIND_PEEK=0.4
else
	RUNS=${BENCH_RUNS:-5}; WORK_SEC=${BENCH_WORK_SEC:-2}; SIZE_SEC=10
	REPORT_SAMPLES=${BENCH_REPORT_SAMPLES:-1100000}; COST_SEC=${BENCH_COST_SEC:-60}
	LOST_SEC=10; STARTUP_RUNS=10; UNWIND_ROUNDS=8000; UNWIND_PEEK=1.5
fi
SECTIONS=${BENCH_SECTIONS:-overhead size report startup cost unwind}
WAIT_QUIET=${BENCH_WAIT_QUIET:-0}
LONG_SEC=${BENCH_LONG_SEC:-1800}
FREQS="99 999 9999"
NCPU=$(nproc)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${BENCH_OUT:-bench/results-$STAMP.txt}

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

[ "$(id -u)" = 0 ] || die "run me as root: perf, bpftrace and ebpf-tool sample every CPU"
[ -x "$TOOL" ] || die "no $TOOL: build first (./autogen.sh && ./configure && make)"
TOOL=$(cd "$(dirname "$TOOL")" && pwd)/$(basename "$TOOL")

need=""
command -v perf >/dev/null 2>&1 && perf --version >/dev/null 2>&1 || need="$need linux-perf"
command -v bpftrace >/dev/null 2>&1 || need="$need bpftrace"
[ -x /usr/bin/time ] || need="$need time"
command -v cc >/dev/null 2>&1 || need="$need gcc"
if [ -n "$need" ]; then
	say "installing$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >&2 ||
		die "cannot install$need"
fi

WORK=$(mktemp -d /tmp/ebpf-tool-bench.XXXXXX) || die "cannot make a temporary directory"
LOADPIDS=""
RATE_FILE=/proc/sys/kernel/perf_event_max_sample_rate
PCT_FILE=/proc/sys/kernel/perf_cpu_time_max_percent
OLD_RATE=$(cat $RATE_FILE)
OLD_PCT=$(cat $PCT_FILE)

MONITOR=""
cleanup() {
	[ -z "$MONITOR" ] || kill "$MONITOR" 2>/dev/null
	for p in $LOADPIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ "$(cat $RATE_FILE)" = "$OLD_RATE" ] || echo "$OLD_RATE" > $RATE_FILE
	[ "$(cat $PCT_FILE)" = "$OLD_PCT" ] || echo "$OLD_PCT" > $PCT_FILE
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# perf (and the kernel) refuse or throttle frequencies above this sysctl,
# and the kernel lowers it by itself when sampling interrupts take long
# (perf_cpu_time_max_percent, 0: never), which would throttle whichever
# tool runs next: for the run, every tool gets the rate it asks for.
raise_rate() {
	[ "$(cat $RATE_FILE)" -ge 20000 ] || echo 100000 > $RATE_FILE
}
echo 0 > $PCT_FILE
raise_rate

# ---- workloads -------------------------------------------------------------
CFLAGS_W="-O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer"
cc $CFLAGS_W -o "$WORK/cpuwork" "$here/cpuwork.c" || die "cannot build cpuwork"
cc $CFLAGS_W -o "$WORK/manyproc" "$here/manyproc.c" || die "cannot build manyproc"
cc -O2 -o "$WORK/timerfloor" "$here/timerfloor.c" || die "cannot build timerfloor"
cc -O2 -o "$WORK/spawner" "$here/spawner.c" || die "cannot build spawner"
CPUWORK=$WORK/cpuwork
# The unwinder's: gcc's defaults (CFI only), and with frame pointers.
cc -O2 -g -o "$WORK/deep" "$here/deep.c" || die "cannot build deep"
cc $CFLAGS_W -o "$WORK/deep-fp" "$here/deep.c" || die "cannot build deep"

# ---- helpers -----------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"$1\n\", $2 }"; }
now_ns() { date +%s%N; }

# Busy processes of others: anything that would disturb the figures.
ANCESTORS=" $(p=$PPID; while [ -n "$p" ] && [ "$p" -gt 1 ]; do echo "$p"; p=$(awk '{ print $4 }' /proc/$p/stat 2>/dev/null); done | tr '\n' ' ')"
foreign_busy() {
	local self=$$ p c list=""
	for p in $(pgrep -x 'make|cc1|runtest|expect|ebpf-tool|perf|bpftrace|gcc|clang|ld|fuzz-.*' 2>/dev/null); do
		# "make bench" that started us is not busy
		case $ANCESTORS in *" $p "*) continue ;; esac
		# ours are our descendants
		c=$p
		while [ -n "$c" ] && [ "$c" -gt 1 ] && [ "$c" != "$self" ]; do
			c=$(awk '{ print $4 }' /proc/$c/stat 2>/dev/null)
		done
		[ "$c" = "$self" ] || list="$list $(cat /proc/$p/comm 2>/dev/null)[$p]"
	done
	echo "$list"
}

# BPF programs of others: perf 6.1 aborts ("assertion failed at
# util/build-id.c") on the ksymbol records of JIT'ed BPF programs that are
# loaded while it records, so perf's figures need a machine without them.
foreign_bpf() {
	command -v bpftool >/dev/null 2>&1 || return 0
	bpftool prog show 2>/dev/null | awk '/^[0-9]+: (perf_event|tracing|kprobe|tracepoint|raw_tracepoint)/ { n[$4]++ }
		END { for (k in n) printf " %s x%d", k, n[k] }'
}

# Percent of all CPU time that was busy over the next two seconds.
cpu_busy() {
	local a b
	a=$(awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat)
	sleep 2
	b=$(awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat)
	echo "$a $b" | awk '{ busy = $3 - $1; idle = $4 - $2; printf "%.0f\n", busy + idle ? 100 * busy / (busy + idle) : 0 }'
}

QUIET_LOG=$WORK/quiet.log
: > "$QUIET_LOG"
check_quiet() {
	local section=$1 waited=0 load others bpf busy
	while :; do
		busy=$(cpu_busy)
		load=$(cut -d' ' -f1 /proc/loadavg)
		others=$(foreign_busy)
		bpf=$(foreign_bpf)
		# After a section of ours the load average still shows it for
		# minutes: from then on, CPU use over two seconds decides.
		if awk "BEGIN { exit !(($load < 0.3 || $SECTIONS_RUN) && $busy < 10) }" &&
		   [ -z "$others$bpf" ]; then
			break
		fi
		[ "$waited" -lt "$WAIT_QUIET" ] || break
		sleep 10
		waited=$((waited + 10))
	done
	[ "$waited" = 0 ] && waited="" || waited=" (waited $waited s)"
	SECTION_T0=$(date +%s)
	echo "$section: load $load, CPUs ${busy}% busy${others:+, others running:$others}${bpf:+, BPF programs loaded:$bpf}$waited" >> "$QUIET_LOG"
	say "$section (load $load, CPUs ${busy}% busy${others:+; others running:$others}${bpf:+; BPF programs loaded:$bpf})"
}

# Others that come while a section runs: noted every 5 s, told per section.
# (Not their BPF programs: bpftool cannot tell them from ours here.)
monitor() {
	local o
	while :; do
		o=$(foreign_busy)
		[ -z "$o" ] || echo "$(date +%s)$o" >> "$WORK/monitor.log"
		sleep 5
	done
}
SECTION_T0=0
SECTIONS_RUN=0
section_end() {
	local seen
	SECTIONS_RUN=1
	seen=$(awk -v t0="$SECTION_T0" '$1 >= t0 { for (i = 2; i <= NF; i++) { sub(/\[[0-9]+\]/, "", $i); n[$i]++ } }
		END { for (k in n) printf " %s", k }' "$WORK/monitor.log" 2>/dev/null)
	[ -z "$seen" ] || echo "during $1, others ran:$seen" >> "$QUIET_LOG"
}

# Keep every CPU busy for $1 seconds with varied stacks and some kernel time.
start_load() {
	local i
	LOADPIDS=""
	for i in $(seq 1 "$NCPU"); do
		"$CPUWORK" -t "$1" -s $((100 + i)) -k 10 -c "load$i" &
		LOADPIDS="$LOADPIDS $!"
	done
	sleep 0.5
}
stop_load() {
	local p
	for p in $LOADPIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	LOADPIDS=""
}

# Samples and lost samples of a perf.data file, as "SAMPLES LOST".
perf_counts() {
	perf report -i "$1" --stats 2>/dev/null | awk '
		/^cpu-clock stats:/ { in_ev = 1; next }
		/stats:$/ { in_ev = 0 }
		in_ev && /SAMPLE events:/ { s = $3 }
		in_ev && /LOST_SAMPLES events:/ { l = $3 }
		END { printf "%d %d\n", s, l }'
}
# ... and of ebpf-tool's, from the summary line of record on stderr.
ebpf_counts() {
	sed -n 's/.*(\([0-9]*\) samples, \([0-9]*\) lost).*/\1 \2/p' "$1" | tail -1
}
bytes_of() { stat -c %s "$1"; }

BT_PROG() { echo "profile:hz:$1 /pid == cpid/ { @[ustack, kstack] = count(); }"; }
export BPFTRACE_MAP_KEYS_MAX=65536	# room for every distinct stack, as the others have
bt_samples() { awk '/\]: [0-9]+$/ { s += $NF } END { print s + 0 }' "$1"; }

# Each section writes its part of the table to its own file, printed in order.
RES=/dev/null
part() { RES=$WORK/part-$1.md; : > "$RES"; }
out() { echo "$*" >> "$RES"; }

# ---- 1. overhead ---------------------------------------------------------------
# One run of the fixed workload under $1 at $2 Hz: prints "SECONDS SAMPLES".
overhead_run() {
	local tool=$1 hz=$2 r=$WORK/ov.res n=0
	rm -f "$r"
	case $tool in
	none)
		"$CPUWORK" -n "$ROUNDS" -o "$r" ;;
	timer)
		"$WORK/timerfloor" "$hz" "$CPUWORK" -n "$ROUNDS" -o "$r"
		n=$(awk -v hz="$hz" '{ printf "%d", $1 * hz }' "$r") ;;
	ebpf-tool)
		"$TOOL" record -g -F "$hz" -o "$WORK/ov.data" -- "$CPUWORK" -n "$ROUNDS" -o "$r" \
			2> "$WORK/ov.err"
		n=$(ebpf_counts "$WORK/ov.err" | cut -d' ' -f1) ;;
	perf)
		perf record -B -g -e cpu-clock -F "$hz" -o "$WORK/ov.perf" -- \
			"$CPUWORK" -n "$ROUNDS" -o "$r" 2> "$WORK/ov.err"
		n=$(perf_counts "$WORK/ov.perf" | cut -d' ' -f1) ;;
	bpftrace)
		bpftrace -e "$(BT_PROG "$hz")" -c "$CPUWORK -n $ROUNDS -o $r" > "$WORK/ov.bt" 2>&1
		n=$(bt_samples "$WORK/ov.bt") ;;
	esac
	[ -s "$r" ] || { say "overhead: $tool at $hz Hz failed"; return 1; }
	echo "$(cat "$r") ${n:-0}"
}

section_overhead() {
	local rps round hz tool tools="none timer ebpf-tool perf bpftrace" order i line
	check_quiet "overhead"
	part 1
	rps=$("$CPUWORK" -C)
	ROUNDS=$(calc "%d" "$rps * $WORK_SEC")
	say "overhead: $ROUNDS rounds (about $WORK_SEC s) x $RUNS runs x {$FREQS} Hz"
	for round in $(seq 1 "$RUNS"); do
		for hz in $FREQS; do
			# Rotate the order from run to run: no tool always goes first.
			order=$(echo $tools $tools | cut -d' ' -f$(( (round - 1) % 5 + 1 ))-$(( (round - 1) % 5 + 5 )))
			for tool in $order; do
				line=$(overhead_run "$tool" "$hz") || continue
				echo "$line" >> "$WORK/ov-$tool-$hz"
			done
		done
		say "overhead: run $round of $RUNS done"
	done
	bpf_ns_per_sample 9999 > "$WORK/ov-bpfns"
	out "### 1. Overhead: slowdown of a self-timed CPU-bound workload (\`-g\`, cpu-clock)"
	out ""
	out "Median of $RUNS interleaved runs of about $WORK_SEC s (cpuwork: 16 functions, stacks 5-25 deep, 256 paths)."
	out "Sampled: samples taken as a share of HZ x run time (a throttled tool looks cheaper)."
	out "cpu-clock alone: the same per-CPU cpu-clock events at HZ with nothing attached"
	out "(bench/timerfloor.c), the floor under any tool that samples with that event;"
	out "above it: each tool's slowdown less that floor, the part the tool's own work adds."
	out ""
	out "| Hz | baseline s | cpu-clock alone | ebpf-tool | perf | bpftrace | ebpf-tool / perf | ebpf-tool / bpftrace | above cpu-clock alone: ebpf-tool, perf, bpftrace | sampled: ebpf-tool, perf, bpftrace |"
	out "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for hz in $FREQS; do
		local base e p b f
		base=$(cut -d' ' -f1 "$WORK/ov-none-$hz" | median)
		for tool in timer ebpf-tool perf bpftrace; do
			local t s
			t=$(cut -d' ' -f1 "$WORK/ov-$tool-$hz" 2>/dev/null | median)
			s=$(awk -v hz="$hz" '$1 > 0 { print 100 * $2 / ($1 * hz) }' "$WORK/ov-$tool-$hz" 2>/dev/null | median)
			eval "slow_${tool%%-*}=\$(calc '%.2f' \"($t / $base - 1) * 100\")"
			eval "samp_${tool%%-*}=\$(calc '%.0f' \"$s\")"
		done
		e=$slow_ebpf; p=$slow_perf; b=$slow_bpftrace; f=$slow_timer
		eval "OV_E_$hz=$e OV_P_$hz=$p OV_B_$hz=$b OV_F_$hz=$f"
		out "| $hz | $(calc '%.3f' "$base") | ${f}% | ${e}% | ${p}% | ${b}% | $(ratio "$e" "$p") | $(ratio "$e" "$b") | $(calc '%.2f' "$e - $f"), $(calc '%.2f' "$p - $f"), $(calc '%.2f' "$b - $f") points | ${samp_ebpf}%, ${samp_perf}%, ${samp_bpftrace}% |"
	done
	out ""
	# How far apart runs of the same thing are: the noise of these figures.
	out "Noise: the baseline runs spread over $(cat "$WORK"/ov-none-* | cut -d' ' -f1 | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f-%.3f s (%.1f%%)", v[1], v[NR], 100 * (v[NR] - v[1]) / v[1] }')."
	out ""
	if [ -n "${OV_F_9999:-}" ]; then
		local period_us
		period_us=$(calc '%.2f' "1000000 / 9999")
		out "Per sample at 9999 Hz (one every $period_us us of the workload's time), the"
		out "workload loses $(calc '%.2f' "$OV_F_9999 * $period_us / 100") us to the cpu-clock interrupt alone,"
		out "$(calc '%.2f' "$OV_E_9999 * $period_us / 100") us under ebpf-tool, $(calc '%.2f' "$OV_P_9999 * $period_us / 100") us under perf and"
		out "$(calc '%.2f' "$OV_B_9999 * $period_us / 100") us under bpftrace. ebpf-tool's BPF program itself runs"
		out "$(cat "$WORK/ov-bpfns") ns a sample (kernel.bpf_stats_enabled during a \`record -g\` of the workload)."
		out ""
	fi
}

# Mean run time of ebpf-tool's sampling program, in ns, from the kernel's
# BPF statistics, over a "record -g" of the workload at $1 Hz.
bpf_ns_per_sample() {
	local hz=$1 old pid ns=""
	old=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null) || { echo "n/a"; return; }
	sysctl -qw kernel.bpf_stats_enabled=1
	"$TOOL" record -q -g -F "$hz" -o "$WORK/ov-stats.data" -- "$CPUWORK" -n "$ROUNDS" -o /dev/null 2>/dev/null &
	pid=$!
	sleep "$(calc '%.2f' "$WORK_SEC * 0.8")"
	ns=$(bpftool prog show name ebpftool_sample 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) } }
			END { if (c > 0) printf "%.0f", t / c }')
	wait "$pid"
	sysctl -qw kernel.bpf_stats_enabled="$old"
	echo "${ns:-n/a}"
}

# a / b for slowdowns, which can be zero or negative within the noise
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0.05) print "n/a"; else printf "%.2f\n", a / b }'; }

# ---- 2. size -------------------------------------------------------------------
section_size() {
	local hz=999 es ep eb pb
	check_quiet "size"
	part 2
	say "size: $SIZE_SEC s at $hz Hz with -g, command then -a"
	"$TOOL" record -g -F $hz -o "$WORK/size.data" -- "$CPUWORK" -t "$SIZE_SEC" 2> "$WORK/size.err"
	es=$(ebpf_counts "$WORK/size.err" | cut -d' ' -f1); eb=$(bytes_of "$WORK/size.data")
	perf record -B -g -e cpu-clock -F $hz -o "$WORK/size.perf" -- "$CPUWORK" -t "$SIZE_SEC" 2>/dev/null
	ep=$(perf_counts "$WORK/size.perf" | cut -d' ' -f1); pb=$(bytes_of "$WORK/size.perf")

	start_load $((SIZE_SEC + 2))
	"$TOOL" record -a -g -F $hz -d "$SIZE_SEC" -o "$WORK/size-a.data" 2> "$WORK/size-a.err"
	stop_load
	start_load $((SIZE_SEC + 2))
	perf record -B -a -g -e cpu-clock -F $hz -o "$WORK/size-a.perf" -- sleep "$SIZE_SEC" 2>/dev/null
	stop_load
	local eas eab pas pab
	eas=$(ebpf_counts "$WORK/size-a.err" | cut -d' ' -f1); eab=$(bytes_of "$WORK/size-a.data")
	pas=$(perf_counts "$WORK/size-a.perf" | cut -d' ' -f1); pab=$(bytes_of "$WORK/size-a.perf")

	out "### 2. Size: bytes per sample with \`-g\` at $hz Hz, $SIZE_SEC s"
	out ""
	out "| recording | ebpf-tool bytes / samples | perf bytes / samples | ebpf-tool B/sample | perf B/sample | ebpf-tool / perf |"
	out "| --- | ---: | ---: | ---: | ---: | ---: |"
	size_row "cpuwork (command)" "$eb" "$es" "$pb" "$ep" CMD
	size_row "-a, every CPU busy" "$eab" "$eas" "$pab" "$pas" ALL
	[ -z "${REP_EB:-}" ] || size_row "manyproc, ${REP_HZ} Hz (report test)" "$REP_EB" "$REP_ES" "$REP_PB" "$REP_PS" REP
	out ""
}
size_row() {
	local e p
	e=$(calc '%.1f' "$2 / ($3 > 0 ? $3 : 1)"); p=$(calc '%.1f' "$4 / ($5 > 0 ? $5 : 1)")
	eval "SZ_E_$6=$e SZ_P_$6=$p"
	out "| $1 | $2 / $3 | $4 / $5 | $e | $p | $(calc '%.3f' "$e / $p") (1/$(calc '%.0f' "$p / $e")) |"
}

# ---- 3. report speed -------------------------------------------------------------
# Wall seconds and peak RSS (KB) of a command with its output thrown away;
# "failed" if it failed.
timed() {
	if /usr/bin/time -f "%e %M" -o "$WORK/time.out" "$@" > /dev/null 2> "$WORK/timed.err"; then
		tail -1 "$WORK/time.out"
	else
		say "failed: $* ($(grep -v '^Command' "$WORK/timed.err" | tail -1))"
		echo failed
	fi
}

section_report() {
	local hz=9999 secs es ep
	check_quiet "report"
	part 3
	secs=$(calc '%d' "$REPORT_SAMPLES / ($hz * $NCPU) + 1")
	REP_HZ=$hz
	say "report: recording manyproc for $secs s at $hz Hz, with each tool"
	"$TOOL" record -g -F $hz -o "$WORK/rep.data" -- "$WORK/manyproc" "$CPUWORK" "$secs" "$NCPU" 100 \
		> "$WORK/rep.procs" 2> "$WORK/rep.err"
	REP_ES=$(ebpf_counts "$WORK/rep.err" | cut -d' ' -f1); REP_EB=$(bytes_of "$WORK/rep.data")
	perf record -B -g -e cpu-clock -F $hz -o "$WORK/rep.perf" -- "$WORK/manyproc" "$CPUWORK" "$secs" "$NCPU" 100 \
		> /dev/null 2>&1
	read -r REP_PS REP_PL < <(perf_counts "$WORK/rep.perf"); REP_PB=$(bytes_of "$WORK/rep.perf")
	local procs
	procs=$(cut -d' ' -f1 "$WORK/rep.procs")
	say "report: ebpf-tool $REP_ES samples, perf $REP_PS samples, $procs processes each"

	out "### 3. Report speed: $procs processes (manyproc), $hz Hz with \`-g\`"
	out ""
	out "ebpf-tool: $REP_ES samples, $REP_EB bytes; perf: $REP_PS samples, $REP_PB bytes. Output to /dev/null; time per sample compared, as the counts differ a little."
	out ""
	out "| command | ebpf-tool s | perf s | ebpf-tool MB | perf MB | perf / ebpf-tool (per sample) |"
	out "| --- | ---: | ---: | ---: | ---: | ---: |"
	report_row "report --stdio" "report --stdio" "report --stdio" CH
	report_row "report --stdio --no-children" "report --stdio --no-children" "report --stdio --no-children" NC
	report_row "script" "script" "script" SC
	out ""
}
report_row() {
	local e p es em ps pm sp
	# shellcheck disable=SC2086
	e=$(timed "$TOOL" $2 -i "$WORK/rep.data")
	# shellcheck disable=SC2086
	p=$(timed perf $3 -i "$WORK/rep.perf")
	if [ "$e" = failed ] || [ "$p" = failed ]; then
		out "| $1 | ${e% *} | ${p% *} (see the log) | | | |"
		eval "RP_$4=0"
		return
	fi
	es=${e% *}; em=${e#* }; ps=${p% *}; pm=${p#* }
	sp=$(calc '%.1f' "($ps / $REP_PS) / (($es > 0 ? $es : 0.01) / $REP_ES)")
	eval "RP_$4=$sp RP_E_$4=$es RP_P_$4=$ps"
	out "| $1 | $es | $ps | $(calc '%.0f' "$em / 1024") | $(calc '%.0f' "$pm / 1024") | ${sp}x |"
}

# ---- 4. start-up -------------------------------------------------------------------
section_startup() {
	local i t0 t1
	check_quiet "startup"
	part 4
	TRUE=$(type -P true)	# bpftrace -c wants a path
	say "startup: $STARTUP_RUNS interleaved runs each"
	# Microseconds from bash itself: a date(1) per reading would add its
	# own fork and exec, 1-2 ms, to every figure.
	for i in $(seq 1 "$STARTUP_RUNS"); do
		t0=${EPOCHREALTIME/./}; "$TOOL" record -q -o "$WORK/st.data" -- true; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-e"
		t0=${EPOCHREALTIME/./}; "$TOOL" record -q -g -o "$WORK/st.data" -- true; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-eg"
		t0=${EPOCHREALTIME/./}; "$TOOL" record -q --call-graph fp -o "$WORK/st.data" -- true; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-egf"
		t0=${EPOCHREALTIME/./}; perf record -q -o "$WORK/st.perf" -- true 2>/dev/null; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-p"
		t0=${EPOCHREALTIME/./}; perf record -q -B -g -e cpu-clock -o "$WORK/st.perf" -- true 2>/dev/null; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-pg"
		t0=${EPOCHREALTIME/./}; bpftrace -e 'BEGIN { exit(); }' > /dev/null 2>&1; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-b"
		t0=${EPOCHREALTIME/./}; bpftrace -e "$(BT_PROG 99)" -c "$TRUE" > /dev/null 2>&1; t1=${EPOCHREALTIME/./}; echo $(( t1 - t0 )) >> "$WORK/st-bp"
	done
	ST_E=$(calc '%.1f' "$(median < "$WORK/st-e") / 1000")
	ST_P=$(calc '%.1f' "$(median < "$WORK/st-p") / 1000")
	out "### 4. Start-up: wall time, median of $STARTUP_RUNS"
	out ""
	out "| command | ms | / ebpf-tool |"
	out "| --- | ---: | ---: |"
	startup_row "ebpf-tool record -- true" st-e
	startup_row "ebpf-tool record -g -- true" st-eg
	startup_row "ebpf-tool record --call-graph fp -- true" st-egf
	startup_row "perf record -- true" st-p
	startup_row "perf record -B -g -e cpu-clock -- true" st-pg
	startup_row "bpftrace -e 'BEGIN { exit(); }'" st-b
	startup_row "bpftrace -e 'profile:hz:99 ...' -c $TRUE" st-bp
	out ""
}
startup_row() {
	local ms
	ms=$(calc '%.1f' "$(median < "$WORK/$2") / 1000")
	out "| \`$1\` | $ms | $(calc '%.1f' "$ms / $ST_E")x |"
}

# ---- 5, 6. recorder cost and lost samples -------------------------------------------
# System-wide recording with every CPU busy:
# "SAMPLES LOST CPU_S RSS_KB ELAPSED FILE_BYTES".  aggregate: record
# --aggregate (counted in the kernel, the default 10 s interval).
cost_run() {
	local tool=$1 hz=$2 secs=$3 s l f
	local -a agg=()
	start_load $((secs + 3))
	[ "$tool" = aggregate ] && agg=(--aggregate)
	if [ "$tool" != perf ]; then
		f=$WORK/cost.data
		/usr/bin/time -f "%e %U %S %M" -o "$WORK/cost.time" \
			"$TOOL" record -a -g -F "$hz" -d "$secs" "${agg[@]}" -o "$f" 2> "$WORK/cost.err"
		read -r s l < <(ebpf_counts "$WORK/cost.err")
	else
		f=$WORK/cost.perf
		/usr/bin/time -f "%e %U %S %M" -o "$WORK/cost.time" \
			perf record -B -a -g -e cpu-clock -F "$hz" -o "$f" -- sleep "$secs" 2> /dev/null
		read -r s l < <(perf_counts "$f")
	fi
	stop_load
	awk -v s="$s" -v l="$l" -v b="$(stat -c %s "$f" 2>/dev/null || echo 0)" \
		'{ printf "%d %d %.3f %d %.2f %d\n", s, l, $2 + $3, $4, $1, b }' "$WORK/cost.time"
}

section_cost() {
	local cfg hz secs tool line
	check_quiet "cost"
	part 5
	out "### 5, 6. Recorder cost and lost samples: \`record -a -g\`, every CPU busy"
	out ""
	out "CPU: the recorder's own user + system time (not the in-kernel sampling, which overhead measures). Sampled: samples as a share of HZ x CPUs x seconds."
	out ""
	out "| Hz, s | tool | samples | sampled | lost | CPU s / 1000 samples | CPU % of one core | peak RSS MB | file MB |"
	out "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for cfg in "99:$COST_SEC" "999:$LOST_SEC" "9999:$LOST_SEC"; do
		hz=${cfg%:*}; secs=${cfg#*:}
		for tool in ebpf-tool aggregate perf; do
			say "cost: $tool, $hz Hz, $secs s"
			line=$(cost_run "$tool" "$hz" "$secs")
			set -- $line
			local per pct rss smp
			per=$(calc '%.4f' "$3 / ($1 > 0 ? $1 : 1) * 1000")
			pct=$(calc '%.2f' "$3 / $5 * 100")
			rss=$(calc '%.1f' "$4 / 1024")
			smp=$(calc '%.1f' "100 * $1 / ($hz * $NCPU * $secs)")
			eval "CO_${tool%%-*}_$hz=\"$1 $2 $per $pct $rss $3 $6\""
			out "| $hz, $secs | $tool | $1 | ${smp}% | $2 | $per | $pct | $rss | $(calc '%.2f' "$6 / 1e6") |"
		done
	done
	out ""
}

# ---- targets ---------------------------------------------------------------------------
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
section_targets() {
	part 9
	out "### Targets"
	out ""
	out "| target | figure | |"
	out "| --- | --- | --- |"
	if [ -n "${OV_E_9999:-}" ]; then
		out "| overhead at 9999 Hz no worse than bpftrace's (0.5 points of noise allowed) | ${OV_E_9999}% vs ${OV_B_9999}% | $(verdict "$OV_E_9999 <= $OV_B_9999 + 0.5") |"
		out "| overhead at 9999 Hz at most half of perf's | ${OV_E_9999}% vs ${OV_P_9999}% / 2 (cpu-clock alone: ${OV_F_9999}%) | $(verdict "$OV_E_9999 <= $OV_P_9999 / 2 + 0.25") |"
		out "| (above cpu-clock alone at 9999 Hz: no target) | ebpf-tool $(calc '%.2f' "$OV_E_9999 - $OV_F_9999") points, perf $(calc '%.2f' "$OV_P_9999 - $OV_F_9999") | |"
	fi
	if [ -n "${SZ_E_CMD:-}" ]; then
		out "| size at most 1/10 of perf.data's | $SZ_E_CMD vs $SZ_P_CMD B/sample; -a: $SZ_E_ALL vs $SZ_P_ALL | $(verdict "$SZ_E_CMD * 10 <= $SZ_P_CMD && $SZ_E_ALL * 10 <= $SZ_P_ALL") |"
	fi
	if [ -n "${RP_CH:-}" ]; then
		out "| report --stdio at least 5x faster than perf's (both in their default, children mode) | ${RP_CH}x | $(verdict "$RP_CH >= 5") |"
		out "| (the same with --no-children; script: no target) | ${RP_NC}x; script ${RP_SC}x | |"
	fi
	if [ -n "${ST_E:-}" ]; then
		out "| \`record -- true\` in at most 50 ms | $ST_E ms (perf $ST_P ms) | $(verdict "$ST_E <= 50") |"
	fi
	if [ -n "${CO_ebpf_99:-}" ]; then
		set -- $CO_ebpf_99
		out "| recorder peak memory at most 32 MB, ${COST_SEC} s \`-a -g\` | $5 MB | $(verdict "$5 <= 32") |"
		out "| recorder CPU at most 1% of a core at 99 Hz \`-a\` | $4% | $(verdict "$4 <= 1") |"
		set -- $CO_ebpf_999
		out "| 0 lost samples at 999 Hz \`-a -g\` | $2 lost | $(verdict "$2 == 0") |"
		set -- $CO_ebpf_9999
		out "| (lost samples at 9999 Hz \`-a -g\`: no target) | $2 lost of $1 | |"
	fi
	if [ -n "${CO_aggregate_99:-}" ] && [ -n "${CO_perf_99:-}" ]; then
		local a p e
		a=($CO_aggregate_99); p=($CO_perf_99); e=($CO_ebpf_99)
		out "| --aggregate at 99 Hz: recorder CPU at most 1/10 of perf record's | ${a[5]} s vs ${p[5]} s | $(verdict "${a[5]} * 10 <= ${p[5]}") |"
		out "| --aggregate ${COST_SEC} s file at least 10x smaller than streaming's | ${a[6]} vs ${e[6]} B | $(verdict "${a[6]} * 10 <= ${e[6]}") |"
		a=($CO_aggregate_9999); p=($CO_perf_9999)
		out "| --aggregate at 9999 Hz: recorder CPU at most 1/4 of perf's, 0 lost | ${a[5]} s vs ${p[5]} s, ${a[1]} lost | $(verdict "${a[5]} * 4 <= ${p[5]} && ${a[1]} == 0") |"
	fi
	if [ -n "${LR_HWM60:-}" ]; then
		out "| ${LONG_SEC} s of 200 short-lived processes a second: peak RSS within 20% of the first minute's | $(calc '%.1f' "$LR_HWM / 1024") vs $(calc '%.1f' "$LR_HWM60 / 1024") MB | $(verdict "$LR_HWM60 > 0 && $LR_HWM <= $LR_HWM60 * 1.2") |"
	fi
	out ""
}

# ---- machine ---------------------------------------------------------------------------
machine() {
	local model mem
	model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	mem=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
	echo "## ebpf-tool benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
	echo ""
	echo "- Machine: $model, $NCPU CPUs online, $mem RAM; kernel $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "- Tools: $("$TOOL" --version | head -1) ($(git -C "$here/.." describe --always --dirty 2>/dev/null || echo "no git")); $(perf --version); $(bpftrace --version); $(cc --version | head -1)"
	echo "- perf runs with -B (no build-id post-processing: Debian's perf 6.1 crashes in it on this kernel; this only makes perf faster and its files smaller)."
	echo "- bpftrace: \`$(BT_PROG N)\`, BPFTRACE_MAP_KEYS_MAX=$BPFTRACE_MAP_KEYS_MAX."
	[ "$QUICK" = 1 ] && echo "- **BENCH_QUICK=1: short settings, the figures are noise.**"
}

# ---- 7. the unwinder ----------------------------------------------------------------
# The sampling program's run time per sample from kernel.bpf_stats_enabled,
# read while a recording of deep runs: "NS_PER_RUN RUNS".
unwind_bpf_ns() {
	local mode=$1 prog=$2 pid j ids
	"$TOOL" record -q --call-graph "$mode" -F 999 -o "$WORK/uw-$mode.data" -- "$prog" "$UNWIND_ROUNDS" \
		> /dev/null 2>&1 &
	pid=$!
	sleep "$UNWIND_PEEK"
	# This recording's own programs: any other ebpf-tool's would mix in.
	ids=$(grep -h '^prog_id:' /proc/"$pid"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u | tr '\n' ' ')
	j=$(bpftool -j prog show name ebpftool_sample 2>/dev/null)
	wait "$pid"
	python3 -c 'import json,sys
p = json.loads(sys.argv[1] or "[]")
p = p if isinstance(p, list) else [p]
ids = set(int(i) for i in sys.argv[2].split())
p = [x for x in p if x.get("id") in ids]
t = sum(x.get("run_time_ns", 0) for x in p); n = sum(x.get("run_cnt", 0) for x in p)
print("%.0f %d" % (t / n if n else float("nan"), n))' "$j" "$ids"
}

section_unwind() {
	local i old ns_fp ns_cfi t
	check_quiet "unwind"
	part 7
	say "unwind: deep, 30 frames, at 999 Hz: BPF time per sample, slowdown, file size"
	old=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -q -w kernel.bpf_stats_enabled=1
	read -r ns_fp n_fp < <(unwind_bpf_ns fp "$WORK/deep-fp")
	read -r ns_cfi n_cfi < <(unwind_bpf_ns dwarf "$WORK/deep")
	sysctl -q -w kernel.bpf_stats_enabled="$old"
	for i in $(seq 1 "$RUNS"); do
		"$WORK/deep" "$UNWIND_ROUNDS" >> "$WORK/uw-none"
		"$TOOL" record -q --call-graph fp -F 999 -o "$WORK/uw.data" -- "$WORK/deep-fp" "$UNWIND_ROUNDS" >> "$WORK/uw-fp"
		"$TOOL" record -q --call-graph dwarf -F 999 -o "$WORK/uw.data" -- "$WORK/deep" "$UNWIND_ROUNDS" >> "$WORK/uw-cfi"
		"$WORK/deep-fp" "$UNWIND_ROUNDS" >> "$WORK/uw-none-fp"
	done
	local tn tnf tf tc sf sc bf bc
	tn=$(median < "$WORK/uw-none"); tnf=$(median < "$WORK/uw-none-fp")
	tf=$(median < "$WORK/uw-fp"); tc=$(median < "$WORK/uw-cfi")
	bf=$(bytes_of "$WORK/uw-fp.data"); bc=$(bytes_of "$WORK/uw-dwarf.data")
	sf=$("$TOOL" script -i "$WORK/uw-fp.data" 2>/dev/null | grep -c ' cpu-clock: ')
	sc=$("$TOOL" script -i "$WORK/uw-dwarf.data" 2>/dev/null | grep -c ' cpu-clock: ')
	UW_NS_CFI=$ns_cfi UW_NS_FP=$ns_fp
	UW_SLOW_FP=$(calc '%.2f' "($tf / $tnf - 1) * 100"); UW_SLOW_CFI=$(calc '%.2f' "($tc / $tn - 1) * 100")
	out "### 7. The unwinder: a 30-frame stack at 999 Hz (bench/deep.c)"
	out ""
	out "| figure | --call-graph fp (frame-pointer build) | --call-graph dwarf (gcc's defaults) |"
	out "| --- | ---: | ---: |"
	out "| BPF program time per sample (bpf_stats) | $ns_fp ns ($n_fp runs) | $ns_cfi ns ($n_cfi runs) |"
	out "| workload seconds, alone / recorded (median of $RUNS) | $tnf / $tf | $tn / $tc |"
	out "| slowdown | ${UW_SLOW_FP}% | ${UW_SLOW_CFI}% |"
	out "| file bytes / samples | $bf / ${sf:-?} | $bc / ${sc:-?} |"
	out "| bytes per sample | $(calc '%.1f' "$bf / (${sf:-0} > 0 ? ${sf:-1} : 1)") | $(calc '%.1f' "$bc / (${sc:-0} > 0 ? ${sc:-1} : 1)") |"
	out ""
}

# ---- 8. a long recording of short-lived processes ---------------------------------------
# The resident size of the recorder, KiB: now and its peak so far.
rss_of() { awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r + 0, h + 0 }' "/proc/$1/status" 2>/dev/null; }
# BPF programs and maps that nothing holds any more: no process has an fd
# of them (a link holds its program), and no such program uses the map.
# "PROGS MAPS" (bpftool's own pids field needs a build option Debian's
# lacks).
bpf_orphans() {
	command -v bpftool >/dev/null 2>&1 || { echo "? ?"; return; }
	python3 - "$(bpftool -j prog show 2>/dev/null)" "$(bpftool -j map show 2>/dev/null)" <<'PY' 2>/dev/null || echo "? ?"
import glob, json, re, sys
progs = json.loads(sys.argv[1] or "[]")
maps = json.loads(sys.argv[2] or "[]")
held_p, held_m = set(), set()
for f in glob.glob("/proc/[0-9]*/fdinfo/*"):
    try:
        t = open(f).read()
    except OSError:
        continue
    for k, v in re.findall(r"^(prog_id|map_id):\s*(\d+)", t, re.M):
        (held_p if k == "prog_id" else held_m).add(int(v))
live = [p for p in progs if p["id"] in held_p]
for p in live:
    held_m.update(p.get("map_ids", []))
print(len(progs) - len(live), sum(1 for m in maps if m["id"] not in held_m))
PY
}
section_longrun() {
	local pid t=0 rss hwm hwm60=0 last=0 spawned files before after
	check_quiet "longrun"
	part 8
	say "longrun: 200 short-lived processes a second for $LONG_SEC s under record -g --switch-output=1m"
	before=$(bpf_orphans)
	mkdir -p "$WORK/long"
	"$TOOL" record -q -g -F 999 --switch-output=1m --switch-max-files=3 -o "$WORK/long/long.data" \
		-- "$WORK/spawner" 200 "$LONG_SEC" "$CPUWORK" -t 0.002 -s > "$WORK/long.out" 2> "$WORK/long.err" &
	pid=$!
	: > "$WORK/long.rss"
	while kill -0 "$pid" 2>/dev/null; do
		sleep 10; t=$((t + 10))
		read -r rss hwm < <(rss_of "$pid")
		[ "${hwm:-0}" -gt 0 ] || continue
		echo "$t $rss $hwm" >> "$WORK/long.rss"
		[ "$t" -le 60 ] && hwm60=$hwm
		last=$hwm
	done
	wait "$pid"
	after=$(bpf_orphans)
	spawned=$(tail -1 "$WORK/long.out")
	files=$(find "$WORK/long" -type f | wc -l)
	LR_HWM60=$hwm60 LR_HWM=$last
	out "### 8. A long recording: short-lived processes, --switch-output"
	out ""
	out "\`record -g -F 999 --switch-output=1m --switch-max-files=3 -- spawner 200 $LONG_SEC cpuwork -t 0.002\`: $spawned processes of 2 ms in $LONG_SEC s."
	out ""
	out "| figure | value |"
	out "| --- | ---: |"
	out "| recorder peak RSS after the first minute | $(calc '%.1f' "$hwm60 / 1024") MB |"
	out "| recorder peak RSS at the end | $(calc '%.1f' "$last / 1024") MB |"
	out "| growth | $(calc '%.1f' "($last / ($hwm60 > 0 ? $hwm60 : 1) - 1) * 100")% |"
	out "| files left (--switch-max-files=3) | $files |"
	out "| BPF programs and maps no process holds, before / after | $before / $after |"
	out ""
	out "RSS every 10 s (s, KiB now, KiB peak): $(awk 'NR % 18 == 0 { printf "%s%s:%s/%s", sep, $1, $2, $3; sep = " " }' "$WORK/long.rss")"
	out ""
}

# ---- main -------------------------------------------------------------------------------
T0=$(date +%s)
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$WORK/monitor.log"
monitor &
MONITOR=$!
for s in $SECTIONS; do
	case $s in
	overhead|report|startup|cost|unwind|longrun) "section_$s"; section_end "$s" ;;
	size) ;;	# after report, to list its recording too
	*) die "unknown section '$s'" ;;
	esac
	raise_rate
done
case " $SECTIONS " in *" size "*) section_size; section_end size ;; esac
section_targets

{
	machine
	echo "- Quiet: load average $START_LOAD at the start; before each section:"
	sed 's/^/  - /' "$QUIET_LOG"
	echo "- Run time: $(( $(date +%s) - T0 )) s."
	echo ""
	cat "$WORK"/part-*.md
} > "$WORK/table.md"

mkdir -p "$(dirname "$OUT")"
cp "$WORK/table.md" "$OUT" && cp "$WORK/table.md" "$(dirname "$OUT")/latest.txt"
cat "$WORK/table.md"
say "saved to $OUT"
