/* ebpf-tool perf: sample every CPU live, then print a summary. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "builtin/kcheck.h"
#include "record/folded.h"
#include "output/hotfuncs.h"
#include "builtin/options.h"
#include "lib/outfile.h"
#include "record/privileges.h"
#include "record/sampler.h"
#include "record/unwinder.h"
#include "output/summary.h"
#include "lib/cputime.h"
#include "lib/util.h"

#define CMD "perf"

static const char usage_text[] =
	"Usage: ebpf-tool perf [-f HZ] [-d SEC] [-p PID,...] [-t TID,...] [-C LIST] [-e EVENT]\n"
	"\n"
	"Sample every CPU at a fixed frequency and print a summary: samples per CPU,\n"
	"the sample rate against the expected count, lost samples, and the hottest\n"
	"processes and functions.  Counting happens in the kernel.\n";

enum { OPT_TOP = 'n', OPT_OUTPUT = 'o' };

static const struct cmd_option options[] = {
	CMD_VALUE('f', "frequency", SAMPLE_OPT_FREQ, "HZ",
		  "samples per second on each CPU, in Hz", "99"),
	/* record's and perf-record's spelling. */
	CMD_ALIAS('F', "freq", SAMPLE_OPT_FREQ, CMD_ARG_REQUIRED),
	CMD_VALUE('d', "duration", SAMPLE_OPT_DURATION, "SEC",
		  "sample for SEC seconds (default: until Ctrl+C or SIGTERM)", NULL),
	SAMPLE_TARGET_OPTIONS,
	CMD_VALUE('e', "event", SAMPLE_OPT_EVENT, "EVENT",
		  "cpu-clock (default), task-clock, or a hardware event:\n"
		  "cycles, instructions, cache-misses, branch-misses", NULL),
	CMD_VALUE('n', "top", OPT_TOP, "N", "rows in the process and function tables", "10"),
	CMD_VALUE('o', "output", OPT_OUTPUT, "FILE",
		  "also write folded stacks (comm;root;...;leaf count) to\n"
		  "FILE, for flamegraph.pl; '-' for standard output", NULL),
	CMD_OPTION_VERBOSE("show what the kernel offers and libbpf's messages\n"
			   "(twice: its debug output)"),
	CMD_OPTION_HELP,
};

struct perf_args {
	struct sample_args s;
	uint64_t top;
	const char *output;		/* folded stacks, or NULL */
};

static int parse_opt(void *ctx, int id, const char *arg)
{
	struct perf_args *a = ctx;

	switch (id) {
	case OPT_TOP:
		if (parse_u64(arg, 1, 1000000, &a->top))
			return usage_error(CMD, "invalid --top '%s': expected a number of rows "
					   "from 1 to 1000000", arg);
		return 0;
	case OPT_OUTPUT:
		if (!*arg)
			return usage_error(CMD, "option '-o' needs a file name");
		a->output = arg;
		return 0;
	default:
		return sample_args_parse(&a->s, CMD, id, arg);
	}
}

static int parse_args(int argc, char **argv, struct perf_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options), .help_column = 23,
		.handle = parse_opt, .ctx = a,
	};
	int status;

	sample_args_init(&a->s);
	a->top = 10;
	a->output = NULL;
	status = cmdline_parse_all(&cl, argc, argv);
	return status ? status : sample_args_finish(&a->s, CMD);
}

/*
 * Sleep until the deadline (0: none) or a stop signal, learning the
 * mappings of newly sampled processes each second, while they still live.
 */
static void wait_until(uint64_t deadline_ns, struct hotfuncs *hf, struct sampler *smp,
		       bool stream)
{
	while (!stop_requested) {
		uint64_t now = monotonic_ns(), step = 250000000ull;
		struct timespec ts;

		if (deadline_ns) {
			if (now >= deadline_ns)
				return;
			if (deadline_ns - now < step)
				step = deadline_ns - now;
		}
		ts.tv_sec = step / 1000000000ull;
		ts.tv_nsec = step % 1000000000ull;
		if (stream)
			sampler_poll(smp, step / 1000000, -1, -1);
		else
			nanosleep(&ts, NULL);
		hotfuncs_learn(hf, smp);
	}
}

struct rows {
	struct summary_row *v;
	size_t n, cap;
};

static struct summary_row *rows_add(struct rows *r)
{
	if (grow_array((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v)))
		return NULL;
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

static int add_proc(void *ctx, uint32_t pid, const char *comm, uint64_t count)
{
	struct summary_row *row = rows_add(ctx);

	if (!row)
		return -ENOMEM;
	row->pid = pid;
	row->count = count;
	snprintf(row->name, sizeof(row->name), "%s", comm);
	return 0;
}

/*
 * Each sampled CPU's share of the time spent idle between two readings of
 * /proc/stat, or NULL where they are missing.
 */
static double *idle_shares(const struct cpu_time *t0, const struct cpu_time *t1, size_t n,
			   const struct cpuset *cpus)
{
	double *idle;
	int cpu;

	if (!t0 || !t1 || !(idle = calloc(n, sizeof(*idle))))
		return NULL;
	cpuset_for_each(cpu, cpus) {
		uint64_t di, db;

		if ((size_t)cpu >= n || !t0[cpu].seen || !t1[cpu].seen ||
		    t1[cpu].idle < t0[cpu].idle || t1[cpu].busy < t0[cpu].busy) {
			free(idle);
			return NULL;
		}
		di = t1[cpu].idle - t0[cpu].idle;
		db = t1[cpu].busy - t0[cpu].busy;
		idle[cpu] = di + db ? (double)di / (double)(di + db) : 0;
	}
	return idle;
}

static int report(struct sampler *smp, struct hotfuncs *hf, const struct perf_args *a,
		  double seconds, const double *idle, FILE *msg)
{
	struct sampler_stats st;
	uint64_t *per_cpu = calloc(CPUSET_MAX, sizeof(*per_cpu));
	int *cpus = calloc(CPUSET_MAX, sizeof(*cpus)), nr_cpus = 0, cpu, err;
	struct rows procs = { 0 };
	struct summary sum = { 0 };

	if (!per_cpu || !cpus) {
		cmd_error(CMD, "out of memory");
		err = -ENOMEM;
		goto out;
	}
	err = sampler_read_stats(smp, &st, per_cpu, CPUSET_MAX);
	err = err ?: sampler_for_each_proc(smp, add_proc, &procs);
	if (err) {
		cmd_error(CMD, "cannot read the sampler's counts: %s", strerror(-err));
		goto out;
	}
	err = hotfuncs_collect(hf, smp, &sum.funcs, &sum.nr_funcs);
	if (err) {
		cmd_error(CMD, "cannot name the hottest functions: %s", strerror(-err));
		goto out;
	}
	cpuset_for_each(cpu, &a->s.cpus)
		cpus[nr_cpus++] = cpu;
	summary_sort(procs.v, procs.n);
	sum.seconds = seconds;
	sum.freq = a->s.freq;
	sum.total = st.samples;
	sum.lost = st.lost_ringbuf + st.lost_map;
	sum.truncated = st.stack_truncated;
	sum.per_cpu = per_cpu;
	sum.idle = idle;
	sum.cpus = cpus;
	sum.nr_cpus = nr_cpus;
	sum.procs = procs.v;
	sum.nr_procs = procs.n;
	sum.top = a->top;
	summary_print(msg, &sum);
out:
	free(procs.v);
	free(per_cpu);
	free(cpus);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int on_sample(void *ctx, const struct profile_sample *s, const uint64_t *ips)
{
	char comm[PROFILE_COMM_LEN + 1];

	memcpy(comm, s->comm, PROFILE_COMM_LEN);
	comm[PROFILE_COMM_LEN] = '\0';
	return folded_add(ctx, s->pid, comm, ips, s->n_kernel, s->n_user);
}

static int write_folded(const struct perf_args *a, struct folded *fs, struct hotfuncs *hf)
{
	struct outfile out;
	FILE *f;
	int err = outfile_open(&out, a->output);

	if (err) {
		cmd_error(CMD, "cannot create '%s': %s", a->output, strerror(-err));
		return EXIT_FAIL;
	}
	f = out.fd == STDOUT_FILENO ? stdout : fdopen(out.fd, "w");
	err = f ? folded_write(fs, hotfuncs_symbolizer(hf), f) : -errno;
	if (f && f != stdout) {
		if (fclose(f) && !err)
			err = -errno;
		out.fd = -1;
	}
	err = err ?: outfile_commit(&out, false);
	outfile_close(&out);
	if (err) {
		cmd_error(CMD, "cannot write '%s': %s", a->output, strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_perf(int argc, char **argv)
{
	struct perf_args a;
	struct sampler *smp = NULL;
	struct hotfuncs *hf = NULL;
	struct folded *fs = NULL;
	struct unwinder *unw = NULL;
	struct sampler_opts so;
	struct sampler_error se;
	uint64_t start, deadline = 0;
	struct cpu_time *times[2] = { NULL, NULL };
	double *idle = NULL;
	size_t n_times;
	char why[512];
	int cpu;
	FILE *msg;
	int err, status;

	status = parse_args(argc, argv, &a);
	if (status)
		return cmdline_exit(status);
	status = EXIT_FAIL;
	if (kernel_check(CMD, KF_USE_SAMPLE))
		return EXIT_FAIL;

	sample_args_to_opts(&a.s, &so);
	so.aggregate = true;
	if (a.output) {
		/* Folded stacks need whole stacks: stream them too. */
		so.stream = so.callchain = true;
		so.on_sample = on_sample;
		unwinder_map_sizes(UNWINDER_DEFAULT_BYTES, &so);
	}
	/* With folded stacks on stdout, the summary moves to stderr. */
	msg = a.output && !strcmp(a.output, "-") ? stderr : stdout;
	if (a.s.duration > 0)
		fprintf(msg, "Sampling at %" PRIu64 " Hz for %g second%s on event '%s'...\n",
		       a.s.freq, a.s.duration, a.s.duration == 1 ? "" : "s", a.s.event->name);
	else
		fprintf(msg, "Sampling at %" PRIu64 " Hz on event '%s' until Ctrl+C...\n",
			a.s.freq, a.s.event->name);
	fflush(msg);

	install_stop_handlers();
	err = hotfuncs_new(&hf);
	err = err ?: (a.output ? folded_new(&fs) : 0);
	if (err) {
		cmd_error(CMD, "cannot start: %s", strerror(-err));
		goto out;
	}
	so.ctx = fs;
	err = sampler_new(&smp, &so, &se);
	if (err) {
		sampler_error_explain(&se, err, a.s.event, why, sizeof(why));
		cmd_error(CMD, "%s", why);
		goto out;
	}
	if (fs) {
		err = unwinder_new(&unw);
		err = err ?: unwinder_attach(unw, smp);
		if (err) {
			cmd_error(CMD, "cannot set up the stack unwinder: %s", strerror(-err));
			goto out;
		}
		folded_set_unwinder(fs, unw);
		unwinder_add_targets(unw, a.s.pids, a.s.n_pids);
	}
	fprintf(msg, "Attaching to %d CPU%s\n", sampler_nr_attached(smp),
		sampler_nr_attached(smp) == 1 ? "" : "s");
	fflush(msg);

	n_times = 0;
	cpuset_for_each(cpu, &a.s.cpus)
		n_times = (size_t)cpu + 1;
	times[0] = calloc(n_times, sizeof(*times[0]));
	times[1] = calloc(n_times, sizeof(*times[1]));
	if (times[0] && cputime_read(times[0], n_times) < 0) {
		free(times[0]);
		times[0] = NULL;
	}
	start = monotonic_ns();
	if (a.s.duration > 0)
		deadline = start + (uint64_t)(a.s.duration * 1e9);
	wait_until(deadline, hf, smp, so.stream);
	sampler_stop(smp);
	if (times[1] && cputime_read(times[1], n_times) < 0) {
		free(times[1]);
		times[1] = NULL;
	}
	idle = idle_shares(times[0], times[1], n_times, &a.s.cpus);
	if (so.stream)
		while (sampler_poll(smp, 0, -1, -1) > 0)
			;
	status = report(smp, hf, &a, (monotonic_ns() - start) / 1e9, idle, msg);
	if (status == EXIT_OK && fs)
		status = write_folded(&a, fs, hf);
out:
	free(idle);
	free(times[0]);
	free(times[1]);
	unwinder_free(unw);
	sampler_free(smp);
	folded_free(fs);
	hotfuncs_free(hf);
	return status;
}
