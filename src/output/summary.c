#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output/summary.h"

static int row_cmp(const void *pa, const void *pb)
{
	const struct summary_row *a = pa, *b = pb;

	if (a->count != b->count)
		return (a->count < b->count) - (a->count > b->count);
	return (a->pid > b->pid) - (a->pid < b->pid);
}

void summary_sort(struct summary_row *rows, size_t n)
{
	if (n)
		qsort(rows, n, sizeof(*rows), row_cmp);
}

/* Idle shares below this are noise of the tick accounting: not shown. */
#define IDLE_SHOWN 0.02

static double share(uint64_t part, uint64_t total)
{
	return total ? 100.0 * part / total : 0.0;
}

static void print_procs(FILE *f, const struct summary *s)
{
	size_t n = s->nr_procs < s->top ? s->nr_procs : s->top;

	fprintf(f, "\nTop %zu processes:\n", n);
	fprintf(f, "  %10s  %7s  %8s  %s\n", "SAMPLES", "SHARE", "PID", "COMMAND");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %10" PRIu64 "  %6.2f%%  %8" PRIu32 "  %s\n", s->procs[i].count,
			share(s->procs[i].count, s->total), s->procs[i].pid, s->procs[i].name);
}

static void print_funcs(FILE *f, const struct summary *s)
{
	size_t n = s->nr_funcs < s->top ? s->nr_funcs : s->top;

	fprintf(f, "\nTop %zu functions:\n", n);
	fprintf(f, "  %10s  %7s  %-40s  %s\n", "SAMPLES", "SHARE", "FUNCTION", "SHARED OBJECT");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %10" PRIu64 "  %6.2f%%  %-40s  %s\n", s->funcs[i].count,
			share(s->funcs[i].count, s->total), s->funcs[i].name, s->funcs[i].dso);
}

void summary_print(FILE *f, const struct summary *s)
{
	double expected = (double)s->freq * s->seconds * s->nr_cpus;

	double idle = 0;

	fprintf(f, "\nResults after %.2f s:\n", s->seconds);
	fprintf(f, "  Samples collected: %" PRIu64 "\n", s->total);
	for (int i = 0; i < s->nr_cpus; i++) {
		int cpu = s->cpus[i];

		fprintf(f, "    CPU %d: %" PRIu64 " samples", cpu, s->per_cpu[cpu]);
		if (s->idle && s->idle[cpu] >= IDLE_SHOWN)
			fprintf(f, " (idle %.1f%% of the time)", 100.0 * s->idle[cpu]);
		fputc('\n', f);
		idle += s->idle ? s->idle[cpu] : 0;
	}
	fprintf(f, "  Sample rate: %.1f%% of expected (%" PRIu64 " of %.0f = %" PRIu64
		" Hz x %.2f s x %d CPU%s)\n", expected > 0 ? 100.0 * s->total / expected : 0.0,
		s->total, expected, s->freq, s->seconds, s->nr_cpus, s->nr_cpus == 1 ? "" : "s");
	/*
	 * Some kernels (6.18 here, not Debian's 6.1) take no cpu-clock sample
	 * on an idle CPU: where the idle time accounts for the missing
	 * samples, say so rather than leave them looking lost.
	 */
	idle = s->nr_cpus ? idle / s->nr_cpus : 0;
	if (s->idle && expected > 0 && s->total < 0.95 * expected && idle >= IDLE_SHOWN) {
		double busy = idle < 1 ? s->total / (expected * (1 - idle)) : 0;

		if (idle >= 1)
			fprintf(f, "  Idle: every CPU, all the time, which takes no samples\n");
		else if (busy >= 0.9 && busy <= 1.1)
			fprintf(f, "  Idle: %.1f%% of the CPU time, which took no samples; "
				"%.1f%% of expected over the busy time\n", 100.0 * idle, 100.0 * busy);
	}
	fprintf(f, "  Lost samples: %" PRIu64 "\n", s->lost);
	if (s->truncated)
		fprintf(f, "  Truncated stacks: %" PRIu64 "\n", s->truncated);
	print_procs(f, s);
	if (s->funcs)
		print_funcs(f, s);
}
