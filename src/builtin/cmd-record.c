/* ebpf-tool record: sample into a data file, system-wide or a command. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "builtin/kcheck.h"
#include "data/datafile.h"
#include "record/counter.h"
#include "builtin/record-debuginfod.h"
#include "symbols/debuginfod.h"
#include "builtin/options.h"
#include "lib/outfile.h"
#include "record/privileges.h"
#include "record/recorder.h"
#include "record/rotate.h"
#include "record/tracer.h"
#include "record/unwinder.h"
#include "lib/util.h"
#include "record/workload.h"

#define CMD "record"
#define DEFAULT_OUTPUT "ebpf-tool.data"
/*
 * Ring buffer by default: 1 MiB per sampled CPU, a power of two from 2 to
 * 8 MiB.  A MiB holds half a second of a CPU's samples at 9999 Hz with
 * 25-frame stacks, and the recorder empties it every 100 ms or when an
 * eighth is full.  The kernel maps it twice (for records that wrap), so
 * it counts twice in the recorder's resident memory.
 */
#define PAGES_PER_CPU 256u
#define MIN_DEFAULT_PAGES 512u
#define MAX_DEFAULT_PAGES 2048u
#define MAX_PAGES (1u << 18)
#define POLL_MS 100			/* the longest wait for samples */
#define AGGREGATE_POLL_MS 1000		/* ... counting them: the side band's */
#define AGGREGATE_DEFAULT_NS 10000000000ull

static const char usage_text[] =
	"Usage: ebpf-tool record [options] [--] [command [args]]\n"
	"\n"
	"Sample CPUs into a data file for 'ebpf-tool report' and 'ebpf-tool script'.\n"
	"With a command: sample it and the threads and processes it starts, and exit\n"
	"with its exit status.  Without one: every CPU until Ctrl+C or -d.\n";

enum {
	OPT_ALL = 'a', OPT_CALLCHAIN = 'g', OPT_OUTPUT = 'o', OPT_MMAP_PAGES = 'm',
	OPT_LEVEL = 'z', OPT_QUIET = 'q',
	OPT_CALL_GRAPH = CMD_ID_OWN, OPT_UNWIND_MEMORY, OPT_OFF_CPU, OPT_OFF_CPU_MIN, OPT_OFF_CPU_MAX,
	OPT_OFF_CPU_STATE, OPT_SWITCH_OUTPUT, OPT_SWITCH_MAX_FILES, OPT_NO_SRCLINES, OPT_NO_CODE, OPT_AGGREGATE,
	OPT_DEBUGINFOD, OPT_SRCLINES_MEMORY, OPT_NO_DEBUGINFOD, OPT_DATA_VERSION,
};

static const struct cmd_option options[] = {
	CMD_VALUE('F', "freq", SAMPLE_OPT_FREQ, "HZ", "samples per second on each CPU", "99"),
	/* perf's spelling. */
	CMD_ALIAS(0, "frequency", SAMPLE_OPT_FREQ, CMD_ARG_REQUIRED),
	CMD_VALUE('e', "event", SAMPLE_OPT_EVENT, "EVENT,...",
		  "cpu-clock (default), task-clock, cycles, instructions,\n"
		  "cache-misses, branch-misses ('ebpf-tool list');\n"
		  "kprobe:FUNC, kretprobe:FUNC: every call of a kernel\n"
		  "function; SYS:NAME: every hit of a tracepoint (no\n"
		  "sampling unless a sampling event is given)", NULL),
	CMD_FLAG(0, "off-cpu", OPT_OFF_CPU,
		 "also record where tasks wait off the CPU and for how\n"
		 "long, as event offcpu-time"),
	CMD_VALUE(0, "off-cpu-min", OPT_OFF_CPU_MIN, "TIME", "only waits at least this long",
		  "1us"),
	CMD_VALUE(0, "off-cpu-max", OPT_OFF_CPU_MAX, "TIME", "only waits at most this long",
		  "no limit"),
	CMD_VALUE(0, "off-cpu-state", OPT_OFF_CPU_STATE, "LIST",
		  "task states to record: R, S, D, I, T", "S,D,I"),
	CMD_FLAG('a', "all-cpus", OPT_ALL,
		 "every process on every CPU (default without a command,\n"
		 "-p or -t); with a command, while it runs"),
	SAMPLE_TARGET_OPTIONS,
	CMD_FLAG('g', NULL, OPT_CALLCHAIN,
		 "record call chains (kernel and user stacks); user\n"
		 "stacks are unwound by each file's .eh_frame"),
	CMD_VALUE(0, "call-graph", OPT_CALL_GRAPH, "MODE",
		  "call chains, user stacks unwound by: dwarf (the CFI\n"
		  "of .eh_frame, frame pointers where a file has none)\n"
		  "or fp (frame pointers only)", "dwarf"),
	CMD_VALUE(0, "unwind-memory", OPT_UNWIND_MEMORY, "MIB",
		  "kernel memory for the unwind tables (4 with a\n"
		  "command, -p or -t); files past it are unwound by\n"
		  "frame pointers", "16"),
	CMD_VALUE('o', "output", OPT_OUTPUT, "FILE",
		  "the data file (default: ebpf-tool.data; '-': stdout);\n"
		  "an existing FILE becomes FILE.old", NULL),
	CMD_VALUE('d', "duration", SAMPLE_OPT_DURATION, "SEC", "stop after SEC seconds", NULL),
	CMD_OPTIONAL(0, "aggregate", OPT_AGGREGATE, "TIME",
		     "count samples per thread and stack in the kernel and\n"
		     "write the counts every TIME (1s to 1d), no sample\n"
		     "alone: for long recordings", "10s"),
	CMD_OPTIONAL(0, "switch-output", OPT_SWITCH_OUTPUT, "WHEN",
		     "start a new file FILE.YYYYmmddHHMMSSCC every TIME\n"
		     "(30s, 5m, 1h), at SIZE (100M, 1G) or on SIGUSR2\n"
		     "(signal, the default); a list: first one reached", NULL),
	CMD_VALUE(0, "switch-max-files", OPT_SWITCH_MAX_FILES, "N",
		  "keep only the N newest such files", "all"),
	CMD_VALUE('m', "mmap-pages", OPT_MMAP_PAGES, "N",
		  "ring buffer size in 4 KiB pages, a power of two\n"
		  "(default: 256 per CPU, from 512 to 2048)", NULL),
	CMD_OPTIONAL('z', "compression-level", OPT_LEVEL, "N",
		     "zlib level of the file, 0 (none) to 9 (smallest);\n"
		     "1 (fastest) if N is not given", "6"),
	CMD_VALUE(0, "data-version", OPT_DATA_VERSION, "N",
		  "the file's format: 2 (denser), or 1 for the readers\n"
		  "of ebpf-tool before version 2 of the format", "2"),
	CMD_FLAG(0, "no-srclines", OPT_NO_SRCLINES,
		 "store no source lines or inlined frames (read from DWARF\n"
		 "debug information where the files have it)"),
	CMD_VALUE(0, "srclines-memory", OPT_SRCLINES_MEMORY, "MIB",
		  "memory for the DWARF that source lines read; past it\n"
		  "the least recently used files are closed", "64"),
	CMD_OPTIONAL(0, "debuginfod", OPT_DEBUGINFOD, "URLS",
		     "fetch the debug files this machine lacks from these\n"
		     "debuginfod servers (space-separated)", "DEBUGINFOD_URLS"),
	CMD_FLAG(0, "no-debuginfod", OPT_NO_DEBUGINFOD,
		 "fetch no debug files, even with DEBUGINFOD_URLS set"),
	CMD_FLAG(0, "no-code", OPT_NO_CODE,
		 "store no code bytes of the sampled functions (what\n"
		 "annotate disassembles)"),
	CMD_FLAG('q', "quiet", OPT_QUIET, "print nothing but errors"),
	CMD_OPTION_VERBOSE("show what the kernel offers and libbpf's messages"),
	CMD_OPTION_HELP,
};

struct record_args {
	struct sample_args s;
	bool callchain, all, quiet;
	bool no_srclines;
	bool no_code;			/* --no-code */
	uint64_t srclines_mib;
	int debuginfod;			/* 1 --debuginfod, 0 --no-debuginfod, -1 neither */
	const char *debuginfod_urls;	/* --debuginfod=URLS */
	struct dbgd *dbgd;
	bool frame_pointers;		/* --call-graph fp */
	uint64_t unwind_mib;		/* 0: the default */
	const char *output;
	uint64_t pages;
	int level;			/* -z; -1: the default */
	int data_version;		/* --data-version: 1 or 2 */
	char **command;
	bool sampling_event;		/* -e named a sampling event */
	bool offcpu;
	uint64_t offcpu_min_ns, offcpu_max_ns;
	uint32_t offcpu_states;
	struct recorder_probe probes[RECORDER_MAX_PROBES];
	size_t n_probes;
	bool switching;
	struct rotate_spec sw;
	uint64_t aggregate_ns;		/* --aggregate: the interval; 0: stream */
	uint64_t max_files;
	char *copies[8];		/* of -e arguments, which probes point into */
	size_t n_copies;
};

/* "500us", "10ms", "2s", or a bare number of milliseconds. */
static int parse_wait(const char *opt, const char *arg, uint64_t *ns)
{
	static const struct {
		const char *suffix;
		uint64_t scale;
	} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "", 1000000 } };
	size_t len = strspn(arg, "0123456789");
	char num[24];
	uint64_t v;

	if (!len || len >= sizeof(num))
		goto bad;
	memcpy(num, arg, len);
	num[len] = '\0';
	if (parse_u64(num, 0, UINT64_MAX / 1000000000, &v))
		goto bad;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(arg + len, units[i].suffix)) {
			*ns = v * units[i].scale;
			return 0;
		}
	}
bad:
	return usage_error(CMD, "invalid %s '%s': expected a time like 500us, 10ms or 2s", opt, arg);
}

/* SYSTEM:NAME, split in place; the names point into w. */
static int parse_tracepoint(struct record_args *a, char *w)
{
	char *colon = strchr(w, ':');
	uint64_t id;
	int err;

	*colon = '\0';
	err = tracepoint_id(w, colon + 1, &id);
	*colon = ':';
	/* tracefs is root's: an ordinary user hears about privileges instead. */
	if (err && geteuid() && access("/sys/kernel/tracing", X_OK))
		err = 0;
	if (err == -ENODEV)
		return usage_error(CMD, "cannot record tracepoint '%s': tracefs is not mounted "
				   "(mount -t tracefs nodev /sys/kernel/tracing)", w);
	if (err)
		return usage_error(CMD, "unknown tracepoint '%s': see 'ebpf-tool list tracepoint'", w);
	if (a->n_probes == RECORDER_MAX_PROBES)
		return usage_error(CMD, "too many probes and tracepoints: at most %d",
				   RECORDER_MAX_PROBES);
	*colon = '\0';
	a->probes[a->n_probes++] = (struct recorder_probe){ .func = colon + 1, .system = w };
	return 0;
}

/* One word of -e: a probe, a tracepoint, offcpu-time, or a sampling event. */
static int parse_event(struct record_args *a, char *w)
{
	bool ret = !strncmp(w, "kretprobe:", 10);

	if (ret || !strncmp(w, "kprobe:", 7)) {
		const char *func = w + (ret ? 10 : 7);

		if (!*func || strspn(func, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789_.") != strlen(func))
			return usage_error(CMD, "invalid probe '%s': expected kprobe:FUNCTION or "
					   "kretprobe:FUNCTION", w);
		if (a->n_probes == RECORDER_MAX_PROBES)
			return usage_error(CMD, "too many probes: at most %d", RECORDER_MAX_PROBES);
		a->probes[a->n_probes++] = (struct recorder_probe){ .func = func, .ret = ret };
		return 0;
	}
	if (!strcmp(w, "offcpu-time")) {
		a->offcpu = true;
		return 0;
	}
	if (strchr(w, ':'))
		return parse_tracepoint(a, w);
	if (a->sampling_event)
		return usage_error(CMD, "only one sampling event can be recorded at a time");
	a->sampling_event = true;
	return sample_args_parse(&a->s, CMD, SAMPLE_OPT_EVENT, w);
}

/* -e takes a comma list, and may be given more than once. */
static int parse_events(struct record_args *a, const char *arg)
{
	char *copy, *save = NULL;

	if (a->n_copies == ARRAY_SIZE(a->copies))
		return usage_error(CMD, "too many -e options");
	copy = strdup(arg);
	if (!copy) {
		cmd_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	a->copies[a->n_copies++] = copy;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int status = parse_event(a, w);

		if (status)
			return status;
	}
	return 0;
}

static int parse_more(struct record_args *a, int id, const char *arg)
{
	int err;

	switch (id) {
	case SAMPLE_OPT_EVENT:
		return parse_events(a, arg);
	case OPT_OFF_CPU:
		a->offcpu = true;
		return 0;
	case OPT_OFF_CPU_MIN:
		return parse_wait("--off-cpu-min", arg, &a->offcpu_min_ns);
	case OPT_OFF_CPU_MAX:
		return parse_wait("--off-cpu-max", arg, &a->offcpu_max_ns);
	case OPT_OFF_CPU_STATE:
		if (offcpu_parse_states(arg, &a->offcpu_states))
			return usage_error(CMD, "invalid --off-cpu-state '%s': expected letters "
					   "R, S, D, I, T separated by commas", arg);
		return 0;
	case OPT_SWITCH_OUTPUT:
		a->switching = true;
		if (rotate_parse(arg ? arg : "signal", &a->sw))
			return usage_error(CMD, "invalid --switch-output '%s': expected a time "
					   "(30s, 5m, 1h, 1d), a size (100M, 1G) or 'signal'", arg);
		return 0;
	case OPT_AGGREGATE: {
		struct rotate_spec t;

		a->aggregate_ns = AGGREGATE_DEFAULT_NS;
		if (!arg)
			return 0;
		if (strchr(arg, ',') || rotate_parse(arg, &t) || !t.every_ns || t.max_bytes ||
		    t.signal || t.every_ns > 86400000000000ull)
			return usage_error(CMD, "invalid --aggregate '%s': expected a time from "
					   "1s to 1d (30s, 5m, 1h)", arg);
		a->aggregate_ns = t.every_ns;
		return 0;
	}
	case OPT_SWITCH_MAX_FILES:
		err = parse_u64(arg, 1, ROTATE_MAX_FILES, &a->max_files);
		if (err)
			return usage_error(CMD, "invalid --switch-max-files '%s': expected a "
					   "number from 1 to %d", arg, ROTATE_MAX_FILES);
		return 0;
	}
	return sample_args_parse(&a->s, CMD, id, arg);
}

static int check_more(struct record_args *a)
{
	if (a->offcpu_min_ns > a->offcpu_max_ns)
		return usage_error(CMD, "--off-cpu-min is above --off-cpu-max");
	if (a->max_files && !a->switching)
		return usage_error(CMD, "--switch-max-files needs --switch-output");
	if (a->aggregate_ns && (a->offcpu || a->n_probes))
		return usage_error(CMD, "--aggregate counts CPU samples: it cannot be combined "
				   "with --off-cpu or probe events");
	if (a->switching && !strcmp(a->output, "-"))
		return usage_error(CMD, "--switch-output needs a file, not standard output");
	return 0;
}

static uint64_t default_pages(int nr_cpus)
{
	uint64_t pages = MIN_DEFAULT_PAGES;

	while (pages < (uint64_t)nr_cpus * PAGES_PER_CPU && pages < MAX_DEFAULT_PAGES)
		pages *= 2;
	return pages;
}

/* The options record adds to those it shares (parse_more). */
static int parse_opt(void *ctx, int id, const char *arg)
{
	struct record_args *a = ctx;
	uint64_t level;

	switch (id) {
	case OPT_ALL:
		a->all = true;
		break;
	case OPT_CALLCHAIN:
		a->callchain = true;
		break;
	case OPT_CALL_GRAPH:
		/* perf's "dwarf,SIZE" sizes a stack copy we do not make: the size is ignored. */
		if (!strcmp(arg, "fp"))
			a->frame_pointers = true;
		else if (!strcmp(arg, "dwarf") || !strncmp(arg, "dwarf,", 6))
			a->frame_pointers = false;
		else
			return usage_error(CMD, "unsupported --call-graph '%s': 'dwarf' (unwind "
					   "tables) or 'fp' (frame pointers)", arg);
		a->callchain = true;
		break;
	case OPT_UNWIND_MEMORY:
		if (parse_u64(arg, 1, 1u << 16, &a->unwind_mib))
			return usage_error(CMD, "invalid --unwind-memory '%s': MiB, from 1 to 65536",
					   arg);
		break;
	case OPT_OUTPUT:
		if (!*arg)
			return usage_error(CMD, "option '-o' needs a file name");
		a->output = arg;
		break;
	case OPT_MMAP_PAGES:
		if (parse_u64(arg, 1, MAX_PAGES, &a->pages) || (a->pages & (a->pages - 1)))
			return usage_error(CMD, "invalid --mmap-pages '%s': expected a power "
					   "of two from 1 to %u", arg, MAX_PAGES);
		break;
	case OPT_QUIET:
		a->quiet = true;
		break;
	case OPT_NO_SRCLINES:
		a->no_srclines = true;
		break;
	case OPT_DATA_VERSION:
		if (strcmp(arg, "1") && strcmp(arg, "2"))
			return usage_error(CMD, "invalid --data-version '%s': expected 1 "
					   "(readable by older ebpf-tool) or 2", arg);
		a->data_version = arg[0] - '0';
		break;
	case OPT_NO_CODE:
		a->no_code = true;
		break;
	case OPT_SRCLINES_MEMORY:
		if (parse_u64(arg, 1, 1u << 16, &a->srclines_mib))
			return usage_error(CMD, "invalid --srclines-memory '%s': MiB, from 1 to "
					   "65536", arg);
		break;
	case OPT_DEBUGINFOD:
		if (arg && !arg[strspn(arg, " \t")])
			return usage_error(CMD, "option '--debuginfod=' needs server URLs");
		a->debuginfod = 1;
		a->debuginfod_urls = arg;
		break;
	case OPT_NO_DEBUGINFOD:
		a->debuginfod = 0;
		a->debuginfod_urls = NULL;
		break;
	case OPT_LEVEL:
		/* As perf: -z alone is the fastest level. */
		if (!arg)
			a->level = 1;
		else if (parse_u64(arg, 0, 9, &level))
			return usage_error(CMD, "invalid --compression-level '%s': expected a "
					   "level from 0 (none) to 9 (smallest)", arg);
		else
			a->level = (int)level;
		break;
	default:
		return parse_more(a, id, arg);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct record_args *a)
{
	/* The command's own options are not ours. */
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options),
		.flags = CMDLINE_STOP_AT_OPERAND, .handle = parse_opt, .ctx = a,
	};
	int status;

	memset(a, 0, sizeof(*a));
	sample_args_init(&a->s);
	a->output = DEFAULT_OUTPUT;
	a->level = -1;
	a->data_version = 2;
	a->debuginfod = -1;
	a->offcpu_min_ns = 1000;
	a->offcpu_max_ns = UINT64_MAX;
	a->offcpu_states = OFFCPU_STATE_S | OFFCPU_STATE_D | OFFCPU_STATE_I;
	status = cmdline_parse(&cl, argc, argv);
	if (status)
		return status;
	status = check_more(a);
	if (status)
		return status;
	if (optind < argc)
		a->command = argv + optind;
	if (a->command && (a->s.n_pids || a->s.n_tids))
		return usage_error(CMD, "a command cannot be combined with -p or -t");
	if (a->debuginfod == 1 && !a->debuginfod_urls) {
		const char *env = getenv("DEBUGINFOD_URLS");

		if (!env || !env[strspn(env, " \t")])
			return usage_error(CMD, "--debuginfod names no server: give "
					   "--debuginfod=URLS or set DEBUGINFOD_URLS");
	}
	status = sample_args_finish(&a->s, CMD);
	if (!status && !a->pages)
		a->pages = default_pages(cpuset_count(&a->s.cpus));
	return status;
}

static char *join_args(int argc, char **argv)
{
	size_t len = sizeof("ebpf-tool");
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, "ebpf-tool");
	for (int i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static void status_line(struct recorder *r, bool final)
{
	struct recorder_stats st;

	recorder_stats(r, &st);
	fprintf(stderr, "\r[ ebpf-tool record: %.0f s, %" PRIu64 " samples, %" PRIu64
		" lost, %.3f MB ]%s", st.seconds, st.samples, st.lost, st.bytes / 1e6,
		final ? "\r\033[K" : "");
}

/* --switch-output: the files finished so far and when the current one began. */
struct switcher {
	const struct record_args *a;
	struct outfile *out;
	struct rotate rot;
	uint64_t file_start_ns;
	char *last;			/* the newest finished file's name */
};

static volatile sig_atomic_t switch_requested;

static void on_sigusr2(int sig)
{
	switch_requested = sig;
}

/* The finished file, already ended by the recorder, gets its timestamped name. */
static int retire_file(struct switcher *sw)
{
	char *name;
	int err = rotate_name(&sw->rot, &name);

	if (err)
		return err;
	err = outfile_commit_as(sw->out, name);
	if (err) {
		free(name);
		return err;
	}
	outfile_close(sw->out);
	if (!sw->a->quiet)
		fprintf(stderr, "[ ebpf-tool record: Dump %s ]\n", name);
	sw->last = name;
	return rotate_done(&sw->rot, name);
}

static int switch_file(struct recorder *r, struct switcher *sw)
{
	struct outfile next;
	int err = outfile_open(&next, sw->a->output);

	if (err)
		return err;
	err = recorder_rotate(r, next.fd);
	if (err) {
		outfile_close(&next);
		return err;
	}
	err = retire_file(sw);
	*sw->out = next;
	sw->file_start_ns = monotonic_ns();
	return err;
}

static bool switch_due(struct recorder *r, const struct switcher *sw, uint64_t now)
{
	const struct rotate_spec *spec = &sw->a->sw;

	if (!sw->a->switching)
		return false;
	if (switch_requested) {
		switch_requested = 0;
		return spec->signal;
	}
	if (spec->every_ns && now - sw->file_start_ns >= spec->every_ns)
		return true;
	return spec->max_bytes && recorder_file_bytes(r) >= spec->max_bytes;
}

/* A descriptor that becomes readable when the process exits, or -1. */
static int pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* Poll until the command exits, the time is up or a signal says stop. */
static int run_loop(struct recorder *r, const struct record_args *a, pid_t child, int *wstatus,
		    bool *child_done, struct switcher *sw)
{
	uint64_t start = monotonic_ns(), last_status = start;
	uint64_t end = a->s.duration > 0 ? start + (uint64_t)(a->s.duration * 1e9) : 0;
	bool tty = !a->quiet && isatty(STDERR_FILENO);
	int err = 0, pidfd = child > 0 ? pidfd_of(child) : -1;

	sw->file_start_ns = start;
	while (!stop_requested) {
		uint64_t now = monotonic_ns();
		int timeout = a->aggregate_ns ? AGGREGATE_POLL_MS : POLL_MS;

		if (end && now >= end)
			break;
		if (end && end - now < (uint64_t)timeout * 1000000ull)
			timeout = (int)((end - now + 999999) / 1000000);
		if (child > 0 && waitpid(child, wstatus, WNOHANG) == child) {
			*child_done = true;
			break;
		}
		/* The command's exit ends the wait at once, not at the timeout. */
		err = recorder_poll(r, timeout, pidfd);
		if (!err && switch_due(r, sw, monotonic_ns()))
			err = switch_file(r, sw);
		if (err)
			break;
		if (tty && now - last_status >= 1000000000ull) {
			status_line(r, false);
			last_status = now;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	if (tty)
		status_line(r, true);
	return err;
}

static void free_args(struct record_args *a)
{
	dbgd_free(a->dbgd);
	a->dbgd = NULL;
	for (size_t i = 0; i < a->n_copies; i++)
		free(a->copies[i]);
	a->n_copies = 0;
}

static void explain_write_error(const struct record_args *a, int err)
{
	if (err == -ENOSPC)
		cmd_error(CMD, "cannot write '%s': the file system is full", a->output);
	else if (err == -EPIPE)
		cmd_error(CMD, "cannot write the data: the reader of the pipe went away");
	else
		cmd_error(CMD, "cannot write '%s': %s", a->output, strerror(-err));
}

static bool has_kprobes(const struct record_args *a)
{
	for (size_t i = 0; i < a->n_probes; i++)
		if (!a->probes[i].system)
			return true;
	return false;
}

/* What this recording asks of the kernel (kernel_check). */
static unsigned int kernel_uses(const struct record_args *a)
{
	return KF_USE_SAMPLE | (a->command ? KF_USE_FORKS : 0) | (a->offcpu ? KF_USE_OFFCPU : 0) |
	       (has_kprobes(a) ? KF_USE_KPROBES : 0);
}

/* The fentry stand-ins were refused at load, though the probe let them by. */
static void explain_fentry_refused(int err, char *buf, size_t size)
{
	struct kfeatures kf = {
		.state = { [KF_KPROBES] = KF_NO, [KF_FENTRY] = KF_NO },
		.err = { [KF_FENTRY] = err },
		.reason = { [KF_FENTRY] = KF_REASON_REFUSED },
	};

	kfeatures_explain(&kf, KF_KPROBES, buf, size);
}

/*
 * For the tests only: EBPF_TOOL_TEST_STACK_ID_BITS narrows the stack ids of
 * --aggregate to that many bits of their hash, so that collisions happen
 * and their handling can be seen; EBPF_TOOL_TEST_STACK_SLOTS makes the
 * kernel's stack map that small, so that it fills.
 */
static uint64_t test_stack_id_mask(void)
{
	const char *v = getenv("EBPF_TOOL_TEST_STACK_ID_BITS");
	uint64_t bits;

	if (!v || parse_u64(v, 1, 60, &bits))
		return 0;
	return (1ull << bits) - 1;
}

static uint32_t test_stack_slots(void)
{
	const char *v = getenv("EBPF_TOOL_TEST_STACK_SLOTS");
	uint64_t n;

	return v && !parse_u64(v, 4, RECORDER_STACK_SLOTS, &n) ? (uint32_t)n : 0;
}

static int start(struct record_args *a, struct outfile *out, struct workload *wl,
		 struct recorder **r, char *cmdline)
{
	struct recorder_opts ro = {
		.args = &a->s, .callchain = a->callchain,
		.unwind_bytes = a->frame_pointers ? 0 : a->unwind_mib ? a->unwind_mib << 20 :
				/* Preallocated: 16 MiB takes 10 ms to create. */
				(a->command && !a->all) || a->s.n_pids || a->s.n_tids ?
				UNWINDER_TARGET_BYTES :
				UNWINDER_DEFAULT_BYTES,
		.follow_forks = a->command && !a->all, .program = a->command ? a->command[0] : NULL,
		.ringbuf_bytes = a->pages * 4096, .cmdline = cmdline,
		.compression_level = a->level, .aggregate_ns = a->aggregate_ns,
		.data_version = a->data_version,
	};
	struct sampler_error se;
	const char *what;
	char why[512];
	int err;

	ro.offcpu = a->offcpu;
	ro.offcpu_min_ns = a->offcpu_min_ns;
	ro.offcpu_max_ns = a->offcpu_max_ns;
	ro.offcpu_states = a->offcpu_states;
	ro.probes = a->probes;
	ro.n_probes = a->n_probes;
	ro.no_sampling = a->n_probes && !a->sampling_event && !a->offcpu;
	ro.stack_id_mask = test_stack_id_mask();
	ro.stack_slots = test_stack_slots();
	ro.srclines = !a->no_srclines;
	ro.code = !a->no_code;
	ro.srclines_bytes = a->srclines_mib ? a->srclines_mib << 20 : RECORDER_SRCLINES_BYTES;
	err = outfile_open(out, a->output);
	if (err) {
		cmd_error(CMD, "cannot create '%s': %s", a->output, strerror(-err));
		return EXIT_FAIL;
	}
	ro.fd = out->fd;
	if (a->command) {
		err = workload_prepare(wl, a->command);
		if (err) {
			cmd_error(CMD, "cannot start '%s': %s", a->command[0], strerror(-err));
			return EXIT_FAIL;
		}
		/* With -a, as perf: every process, for as long as the command runs. */
		if (!a->all) {
			a->s.pids[0] = wl->pid;
			a->s.n_pids = 1;
		}
	}
	/* After the fork: the DEBUGINFOD_* it sets are not the command's. */
	err = record_debuginfod_open(&a->dbgd, a->debuginfod, a->debuginfod_urls, &a->quiet);
	if (err)
		return err;
	ro.debuginfod = a->dbgd;
	err = recorder_new(r, &ro, &se, &what);
	if (err) {
		if (se.step == SAMPLER_STEP_NONE)
			snprintf(why, sizeof(why), "cannot start recording: %s", strerror(-err));
		else if (has_kprobes(a) && se.step == SAMPLER_STEP_LOAD &&
			 kfeature_probe(KF_KPROBES, NULL) != KF_YES &&
			 (err == -EPERM || err == -EACCES))
			explain_fentry_refused(err, why, sizeof(why));
		else if (what && se.step == SAMPLER_STEP_ATTACH && err == -ENOENT)
			snprintf(why, sizeof(why), "cannot attach to '%s': no such kernel function "
				 "can be probed (see /proc/kallsyms and "
				 "/sys/kernel/tracing/available_filter_functions)", what);
		else if (what && se.step == SAMPLER_STEP_ATTACH)
			snprintf(why, sizeof(why), "cannot attach to '%s': %s", what, strerror(-err));
		else
			sampler_error_explain(&se, err, ro.no_sampling ? NULL : a->s.event, why,
					      sizeof(why));
		cmd_error(CMD, "%s", why);
		return EXIT_FAIL;
	}
	/* Sampling works: only now does the previous recording step aside. */
	if (!a->switching)
		err = outfile_commit(out, true);
	if (err) {
		cmd_error(CMD, "cannot create '%s': %s", a->output, strerror(-err));
		return EXIT_FAIL;
	}
	if (a->command) {
		err = workload_start(wl);
		wl->pid = err ? 0 : wl->pid;
		if (err) {
			cmd_error(CMD, "cannot run '%s': %s", a->command[0], strerror(-err));
			return err == -ENOENT ? 127 : 126;
		}
	}
	return EXIT_OK;
}

static void warn_dwarf(void *ctx, const char *path, const char *why)
{
	(void)ctx;
	cmd_warn(CMD, "cannot read the debug information of '%s' (%s): its frames "
		 "have no source lines or inlined frames", path, why);
}

int cmd_record(int argc, char **argv)
{
	struct workload wl = { .pid = 0, .go_fd = -1, .err_fd = -1 };
	struct outfile out = { .fd = -1 };
	struct recorder *r = NULL;
	struct recorder_stats st;
	bool child_done = false;
	struct record_args a;
	struct switcher sw = { .a = &a, .out = &out };
	int err, status, wstatus = 0;
	char *cmdline = NULL;

	status = parse_args(argc, argv, &a);
	if (status) {
		free_args(&a);
		return cmdline_exit(status);
	}
	if (kernel_check(CMD, kernel_uses(&a))) {
		free_args(&a);
		return EXIT_FAIL;
	}
	cmdline = join_args(argc, argv);
	if (!cmdline) {
		status = EXIT_FAIL;
		goto out;
	}
	if (a.switching) {
		err = rotate_init(&sw.rot, a.output, a.max_files);
		if (err) {
			cmd_error(CMD, "cannot read the directory of '%s': %s", a.output,
				  strerror(-err));
			status = EXIT_FAIL;
			goto out;
		}
		signal(SIGUSR2, on_sigusr2);
	}
	install_stop_handlers();
	status = start(&a, &out, &wl, &r, cmdline);
	if (status)
		goto out;

	err = run_loop(r, &a, wl.pid, &wstatus, &child_done, &sw);
	err = err ?: recorder_finish(r);
	if (!err && a.switching)
		err = retire_file(&sw);
	recorder_stats(r, &st);
	if (err) {
		explain_write_error(&a, err);
		status = EXIT_FAIL;
		goto out;
	}
	if (!a.quiet) {
		fprintf(stderr, "[ ebpf-tool record: Captured and wrote %.3f MB %s (%" PRIu64
			" samples, %" PRIu64 " lost) ]\n", st.bytes / 1e6,
			sw.last ? sw.last : strcmp(a.output, "-") ? a.output : "<stdout>",
			st.samples, st.lost);
		if (st.lost_ringbuf)
			cmd_warn(CMD, "%" PRIu64 " samples were lost because the ring buffer was "
				 "full: raise -m (now %" PRIu64 " pages)", st.lost_ringbuf, a.pages);
		if (st.unwind.files_over_cap)
			cmd_warn(CMD, "the unwind tables were full (%" PRIu64 " MiB): the stacks "
				 "of %" PRIu32 " files were walked by frame pointers; raise "
				 "--unwind-memory", st.unwind.max_bytes >> 20, st.unwind.files_over_cap);
		recorder_srcline_errors(r, warn_dwarf, NULL);
		if (a.dbgd)
			record_debuginfod_report(a.dbgd);
		if (verbose && !a.no_srclines)
			fprintf(stderr, "ebpf-tool record: source lines of %" PRIu64 " addresses "
				"(%" PRIu64 " frames) in %.3f s; DWARF of %" PRIu32 " files, at most "
				"%.1f of %.1f MiB open, %" PRIu32 " closed, %" PRIu32 " opened again\n",
				st.src_addrs, st.src_frames, st.src_ns / 1e9, st.src_pool.files,
				st.src_pool.peak / 1048576.0, st.src_pool.budget / 1048576.0,
				st.src_pool.closed, st.src_pool.reopened);
		if (verbose && st.filter_left >= 0)
			fprintf(stderr, "ebpf-tool record: %d of the command's processes still followed "
				"at the end\n", st.filter_left);
		if (st.src_pool.lost)
			cmd_warn(CMD, "the DWARF of %" PRIu32 " files could not be opened again "
				 "after --srclines-memory (%" PRIu64 " MiB) closed it: some of "
				 "their addresses have no source lines; raise --srclines-memory",
				 st.src_pool.lost, st.src_pool.budget >> 20);
		if (verbose && !a.no_code)
			fprintf(stderr, "ebpf-tool record: code of %" PRIu64 " functions (%.1f KiB) "
				"in %.3f s, %" PRIu64 " left out\n", st.code_functions,
				st.code_bytes / 1024.0, st.code_ns / 1e9, st.code_omitted);
		if (st.code_omitted)
			cmd_warn(CMD, "the code of %" PRIu64 " sampled functions was left out (over "
				 "%u KiB each or %u MiB a file): annotate cannot show them",
				 st.code_omitted, DF_MAX_CODE >> 10, RECORDER_CODE_BUDGET >> 20);
		if (verbose && st.unwinding)
			fprintf(stderr, "ebpf-tool record: user frames: %" PRIu64 " by unwind tables, "
				"%" PRIu64 " by frame pointers; tables of %" PRIu32 " files (%" PRIu64
				" rows, %.1f of %.1f MiB), %" PRIu32 " files without CFI\n",
				st.unwind_cfi, st.unwind_fp, st.unwind.files, st.unwind.rows,
				st.unwind.row_bytes / 1048576.0, st.unwind.max_bytes / 1048576.0,
				st.unwind.files_no_cfi);
		/* The accounting, for whoever doubts it: taken = written + lost. */
		if (verbose)
			fprintf(stderr, "ebpf-tool record: the kernel took %" PRIu64 " CPU samples: "
				"%" PRIu64 " lost with the ring buffer full, %" PRIu64 " stacks "
				"truncated, %" PRIu64 " unreadable\n", st.kernel_samples,
				st.lost_ringbuf, st.stack_truncated, st.stack_error);
		if (verbose && a.aggregate_ns)
			fprintf(stderr, "ebpf-tool record: %" PRIu64 " intervals counted, %" PRIu64
				" stacks held; %" PRIu64 " stack hash collisions, each given the "
				"next slot; %" PRIu64 " samples lost to collisions, %" PRIu64
				" to full maps\n", st.intervals, st.agg_stacks, st.stack_collision,
				st.lost_collision, st.lost_map);
		if (st.lost_map && a.aggregate_ns)
			cmd_warn(CMD, "%" PRIu64 " samples were not counted because the kernel's "
				 "maps were full: give a shorter --aggregate interval or "
				 "--switch-output", st.lost_map);
		if (verbose)
			fprintf(stderr, "ebpf-tool record: mappings of %" PRIu64 " processes kept, "
				"%" PRIu64 " forgotten after they exited\n", st.procs,
				st.procs_forgotten);
	}
	if (a.command)
		/* Stopped by -d or a signal: the command goes on alone. */
		status = child_done ? exit_as_child(wstatus) : EXIT_OK;
	else if (stop_requested == SIGINT)
		status = 128 + SIGINT;
out:
	if (status && !child_done && !r)
		workload_abort(&wl);
	recorder_free(r);
	outfile_close(&out);
	rotate_release(&sw.rot);
	free_args(&a);
	free(cmdline);
	return status;
}
