/* The sampling options that perf and record share: -F/-f, -d, -p, -t, -C, -e, -v. */
#ifndef EBPF_TOOL_OPTIONS_H
#define EBPF_TOOL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpumask.h"
#include "events.h"
#include "sampler.h"

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

void sample_args_init(struct sample_args *a);
/* Handle one of the shared options; returns 0, or EXIT_USAGE after saying why. */
int sample_args_parse(struct sample_args *a, const char *cmd, int opt, const char *arg);
/* Check what needs the machine (rate limit, online CPUs, live pids). */
int sample_args_finish(struct sample_args *a, const char *cmd);
void sample_args_to_opts(const struct sample_args *a, struct sampler_opts *o);

#endif
