/*
 * What to sample, as the perf and record commands fill it in from -F/-f,
 * -d, -p, -t, -C and -e (builtin/options.c parses them); the recorder
 * writes it into the data file's header.
 */
#ifndef EBPF_TOOL_SAMPLE_ARGS_H
#define EBPF_TOOL_SAMPLE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cpumask.h"
#include "record/events.h"
#include "record/sampler.h"

#define MAX_FILTER_IDS 1024
#define MAX_DURATION_SEC (366.0 * 24 * 3600)

struct sample_args {
	uint64_t freq;
	double duration;		/* seconds; 0: until a signal */
	const struct event_desc *event;
	uint32_t pids[MAX_FILTER_IDS];
	size_t n_pids;
	uint32_t tids[MAX_FILTER_IDS];
	size_t n_tids;
	struct cpuset cpus;		/* after sample_args_finish(): the CPUs to sample */
	bool cpus_given;
};

static inline void sample_args_to_opts(const struct sample_args *a, struct sampler_opts *o)
{
	*o = (struct sampler_opts){
		.event = a->event, .freq = a->freq, .cpus = a->cpus,
		.pids = a->pids, .n_pids = a->n_pids, .tids = a->tids, .n_tids = a->n_tids,
	};
}

#endif
