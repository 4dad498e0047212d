/* The results block of "ebpf-tool perf": counts in, text out. */
#ifndef EBPF_TOOL_SUMMARY_H
#define EBPF_TOOL_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

struct summary_row {
	uint64_t count;
	uint32_t pid;
	char name[128];		/* command, or function */
	char dso[64];		/* functions only: shared object basename */
};

struct summary {
	double seconds;
	uint64_t freq;
	uint64_t total;
	uint64_t lost;
	uint64_t truncated;
	const uint64_t *per_cpu;	/* indexed by CPU number */
	const double *idle;		/* by CPU number: share of the time idle; or NULL */
	const int *cpus;		/* the CPUs sampled */
	int nr_cpus;
	struct summary_row *procs;	/* sorted by the caller, or by summary_sort() */
	size_t nr_procs;
	struct summary_row *funcs;
	size_t nr_funcs;
	size_t top;			/* rows per table */
};

void summary_sort(struct summary_row *rows, size_t n);
void summary_print(FILE *f, const struct summary *s);

#endif
