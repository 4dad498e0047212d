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

/*
 * Some kernels (6.18 here, not Debian's 6.1) take no cpu-clock sample on
 * an idle CPU in a tickless sleep.  Name the CPUs short of samples whose
 * idle time accounts for what they miss, so those samples do not look
 * lost; a CPU short for another reason is not explained away.
 */
static void print_unsampled_idle(FILE *f, const struct summary *s)
{
	double expected = (double)s->freq * s->seconds;
	int named = 0;

	if (!s->idle || expected <= 0)
		return;
	for (int i = 0; i < s->nr_cpus; i++) {
		int cpu = s->cpus[i];
		double missing = 1 - s->per_cpu[cpu] / expected;

		if (missing < 0.1)
			continue;
		if (s->idle[cpu] < missing - 0.1)
			return;
	}
	for (int i = 0; i < s->nr_cpus; i++) {
		int cpu = s->cpus[i];

		if (1 - s->per_cpu[cpu] / expected < 0.1)
			continue;
		fprintf(f, "%s %d", named++ ? "," : "  Not sampled while idle: CPU", cpu);
	}
	if (named)
		fprintf(f, " (a CPU in a tickless sleep takes no cpu-clock samples)\n");
}

void summary_print(FILE *f, const struct summary *s)
{
	double expected = (double)s->freq * s->seconds * s->nr_cpus;

	fprintf(f, "\nResults after %.2f s:\n", s->seconds);
	fprintf(f, "  Samples collected: %" PRIu64 "\n", s->total);
	for (int i = 0; i < s->nr_cpus; i++) {
		int cpu = s->cpus[i];

		fprintf(f, "    CPU %d: %" PRIu64 " samples", cpu, s->per_cpu[cpu]);
		if (s->idle && s->idle[cpu] >= IDLE_SHOWN)
			fprintf(f, " (idle %.1f%% of the time)", 100.0 * s->idle[cpu]);
		fputc('\n', f);
	}
	fprintf(f, "  Sample rate: %.1f%% of expected (%" PRIu64 " of %.0f = %" PRIu64
		" Hz x %.2f s x %d CPU%s)\n", expected > 0 ? 100.0 * s->total / expected : 0.0,
		s->total, expected, s->freq, s->seconds, s->nr_cpus, s->nr_cpus == 1 ? "" : "s");
	print_unsampled_idle(f, s);
	fprintf(f, "  Lost samples: %" PRIu64 "\n", s->lost);
	if (s->truncated)
		fprintf(f, "  Truncated stacks: %" PRIu64 "\n", s->truncated);
	print_procs(f, s);
	if (s->funcs)
		print_funcs(f, s);
}
