/* ebpf-tool record: sample into a data file, system-wide or a command. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "options.h"
#include "outfile.h"
#include "privileges.h"
#include "recorder.h"
#include "util.h"
#include "workload.h"

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

static const char usage_text[] =
	"Usage: ebpf-tool record [options] [--] [command [args]]\n"
	"\n"
	"Sample CPUs into a data file for 'ebpf-tool report' and 'ebpf-tool script'.\n"
	"With a command: sample it and the threads and processes it starts, and exit\n"
	"with its exit status.  Without one: every CPU until Ctrl+C or -d.\n"
	"\n"
	"  -F, --freq HZ          samples per second on each CPU (default: 99)\n"
	"  -e, --event EVENT      cpu-clock (default), task-clock, cycles, instructions,\n"
	"                         cache-misses, branch-misses\n"
	"  -a, --all-cpus         every process on every CPU (default without a command,\n"
	"                         -p or -t)\n"
	"  -p, --pid PID,...      only these processes\n"
	"  -t, --tid TID,...      only these threads\n"
	"  -C, --cpu LIST         only these CPUs, like 0,2-3\n"
	"  -g                     record call chains (kernel and user stacks)\n"
	"      --call-graph fp    the same: frame-pointer call chains\n"
	"  -o, --output FILE      the data file (default: ebpf-tool.data; '-': stdout);\n"
	"                         an existing FILE becomes FILE.old\n"
	"  -d, --duration SEC     stop after SEC seconds\n"
	"  -m, --mmap-pages N     ring buffer size in 4 KiB pages, a power of two\n"
	"                         (default: 256 per CPU, from 512 to 2048)\n"
	"  -q, --quiet            print nothing but errors\n"
	"  -v, --verbose          show libbpf's messages\n"
	"  -h, --help             show this help\n";

enum { OPT_CALL_GRAPH = 256 };

static const struct option long_options[] = {
	{ "freq", required_argument, NULL, 'F' },
	{ "frequency", required_argument, NULL, 'F' },
	{ "event", required_argument, NULL, 'e' },
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "call-graph", required_argument, NULL, OPT_CALL_GRAPH },
	{ "output", required_argument, NULL, 'o' },
	{ "duration", required_argument, NULL, 'd' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct record_args {
	struct sample_args s;
	bool callchain, all, quiet;
	const char *output;
	uint64_t pages;
	char **command;
};

static uint64_t default_pages(int nr_cpus)
{
	uint64_t pages = MIN_DEFAULT_PAGES;

	while (pages < (uint64_t)nr_cpus * PAGES_PER_CPU && pages < MAX_DEFAULT_PAGES)
		pages *= 2;
	return pages;
}

static int parse_args(int argc, char **argv, struct record_args *a)
{
	int c, err;

	memset(a, 0, sizeof(*a));
	sample_args_init(&a->s);
	a->output = DEFAULT_OUTPUT;
	optind = 1;
	opterr = 0;
	/* '+': the command's own options are not ours. */
	while ((c = getopt_long(argc, argv, "+:F:e:ap:t:C:go:d:m:qvh", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case 'a':
			a->all = true;
			break;
		case 'g':
			a->callchain = true;
			break;
		case OPT_CALL_GRAPH:
			if (strcmp(optarg, "fp"))
				return usage_error(CMD, "unsupported --call-graph '%s': only 'fp' "
						   "(frame pointers) is available", optarg);
			a->callchain = true;
			break;
		case 'o':
			if (!*optarg)
				return usage_error(CMD, "option '-o' needs a file name");
			a->output = optarg;
			break;
		case 'm':
			if (parse_u64(optarg, 1, MAX_PAGES, &a->pages) || (a->pages & (a->pages - 1)))
				return usage_error(CMD, "invalid --mmap-pages '%s': expected a power "
						   "of two from 1 to %u", optarg, MAX_PAGES);
			break;
		case 'q':
			a->quiet = true;
			break;
		case ':':
			return usage_error(CMD, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			return usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
		default:
			err = sample_args_parse(&a->s, CMD, c == 'F' ? 'f' : c, optarg);
			if (err)
				return err;
		}
	}
	if (optind < argc)
		a->command = argv + optind;
	if (a->command && (a->s.n_pids || a->s.n_tids))
		return usage_error(CMD, "a command cannot be combined with -p or -t");
	err = sample_args_finish(&a->s, CMD);
	if (!err && !a->pages)
		a->pages = default_pages(cpuset_count(&a->s.cpus));
	return err;
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
		    bool *child_done)
{
	uint64_t start = monotonic_ns(), last_status = start;
	uint64_t end = a->s.duration > 0 ? start + (uint64_t)(a->s.duration * 1e9) : 0;
	bool tty = !a->quiet && isatty(STDERR_FILENO);
	int err = 0, pidfd = child > 0 ? pidfd_of(child) : -1;

	while (!stop_requested) {
		uint64_t now = monotonic_ns();
		int timeout = POLL_MS;

		if (end && now >= end)
			break;
		if (end && end - now < POLL_MS * 1000000ull)
			timeout = (int)((end - now + 999999) / 1000000);
		if (child > 0 && waitpid(child, wstatus, WNOHANG) == child) {
			*child_done = true;
			break;
		}
		/* The command's exit ends the wait at once, not at the timeout. */
		err = recorder_poll(r, timeout, pidfd);
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

static void explain_write_error(const struct record_args *a, int err)
{
	if (err == -ENOSPC)
		cmd_error(CMD, "cannot write '%s': the file system is full", a->output);
	else if (err == -EPIPE)
		cmd_error(CMD, "cannot write the data: the reader of the pipe went away");
	else
		cmd_error(CMD, "cannot write '%s': %s", a->output, strerror(-err));
}

static int finish_child(pid_t child, bool done, int wstatus)
{
	if (!done) {
		/* Stopped by -d or a signal: the command goes on alone. */
		return EXIT_OK;
	}
	if (WIFSIGNALED(wstatus)) {
		/* Die of the same signal, as a shell would expect. */
		signal(WTERMSIG(wstatus), SIG_DFL);
		fflush(stdout);
		kill(getpid(), WTERMSIG(wstatus));
		return 128 + WTERMSIG(wstatus);
	}
	return WEXITSTATUS(wstatus);
}

static int start(struct record_args *a, struct outfile *out, struct workload *wl,
		 struct recorder **r, char *cmdline)
{
	struct recorder_opts ro = {
		.args = &a->s, .callchain = a->callchain, .follow_forks = a->command != NULL,
		.ringbuf_bytes = a->pages * 4096, .cmdline = cmdline,
	};
	struct sampler_error se;
	char why[512];
	int err;

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
		a->s.pids[0] = wl->pid;
		a->s.n_pids = 1;
	}
	err = recorder_new(r, &ro, &se);
	if (err) {
		if (se.step == SAMPLER_STEP_NONE)
			snprintf(why, sizeof(why), "cannot start recording: %s", strerror(-err));
		else
			sampler_error_explain(&se, err, a->s.event, why, sizeof(why));
		cmd_error(CMD, "%s", why);
		return EXIT_FAIL;
	}
	/* Sampling works: only now does the previous recording step aside. */
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

int cmd_record(int argc, char **argv)
{
	struct workload wl = { .pid = 0, .go_fd = -1, .err_fd = -1 };
	struct outfile out = { .fd = -1 };
	struct recorder *r = NULL;
	struct recorder_stats st;
	bool child_done = false;
	struct record_args a;
	int err, status, wstatus = 0;
	char *cmdline;

	status = parse_args(argc, argv, &a);
	if (status)
		return status < 0 ? EXIT_OK : status;
	cmdline = join_args(argc, argv);
	if (!cmdline)
		return EXIT_FAIL;
	install_stop_handlers();
	status = start(&a, &out, &wl, &r, cmdline);
	if (status)
		goto out;

	err = run_loop(r, &a, wl.pid, &wstatus, &child_done);
	err = err ?: recorder_finish(r);
	recorder_stats(r, &st);
	if (err) {
		explain_write_error(&a, err);
		status = EXIT_FAIL;
		goto out;
	}
	if (!a.quiet) {
		fprintf(stderr, "[ ebpf-tool record: Captured and wrote %.3f MB %s (%" PRIu64
			" samples, %" PRIu64 " lost) ]\n", st.bytes / 1e6,
			strcmp(a.output, "-") ? a.output : "<stdout>", st.samples, st.lost);
		if (st.lost_ringbuf)
			cmd_warn(CMD, "%" PRIu64 " samples were lost because the ring buffer was "
				 "full: raise -m (now %" PRIu64 " pages)", st.lost_ringbuf, a.pages);
	}
	if (a.command)
		status = finish_child(wl.pid, child_done, wstatus);
	else if (stop_requested == SIGINT)
		status = 128 + SIGINT;
out:
	if (status && !child_done && !r)
		workload_abort(&wl);
	recorder_free(r);
	outfile_close(&out);
	free(cmdline);
	return status;
}
