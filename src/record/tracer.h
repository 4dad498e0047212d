/*
 * The tracer: event sources other than CPU sampling (bpf/trace.bpf.c),
 * riding on a sampler: its pid and tid filters, its ring-buffer polling.
 *  - off-CPU time from sched_switch;
 *  - kprobes, kretprobes and tracepoints, one record a hit.
 * Owns every kernel object it makes and releases them in tracer_free(),
 * which must come before the sampler's.
 */
#ifndef EBPF_TOOL_TRACER_H
#define EBPF_TOOL_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "record/sampler.h"

/* Without kprobes (fentry slots): TRACE_FENTRY_SLOTS of each kind. */
#define TRACER_MAX_PROBES 64

struct tracer;

struct tracer_probe {
	const char *func;		/* kernel function, or the tracepoint's name */
	const char *system;		/* set: the tracepoint system:func */
	bool ret;			/* kretprobe */
	uint32_t cookie;		/* comes back in trace_sample.event */
};

/* Called for each record; ips holds n_kernel then n_user frames. */
typedef int (*tracer_sample_fn)(void *ctx, const struct trace_sample *t, const uint64_t *ips);

struct tracer_opts {
	bool offcpu;
	uint64_t offcpu_min_ns, offcpu_max_ns;
	uint32_t offcpu_states;		/* OFFCPU_STATE_* bits */
	const struct tracer_probe *probes;
	size_t n_probes;
	bool callchain;
	bool filter_pid, filter_tid;	/* the sampler's filters apply */
	size_t ringbuf_bytes;		/* power of two, page multiple; 0: default */
	tracer_sample_fn on_sample;
	void *ctx;
};

struct tracer_error {
	enum sampler_step step;
	const char *what;		/* the probe or program that failed */
};

int tracer_new(struct tracer **out, const struct tracer_opts *o, struct sampler *s,
	       struct tracer_error *e);
void tracer_free(struct tracer *t);
/* Detach everything; records already queued can still be polled. */
void tracer_stop(struct tracer *t);
/* samples, lost_ringbuf, lost_map (off-CPU tasks not tracked), stack_*. */
int tracer_read_stats(struct tracer *t, struct sampler_stats *st);

/* Parses an OFFCPU_STATE_* list such as "S,D" (letters R S D I T). */
int offcpu_parse_states(const char *arg, uint32_t *mask);

#endif
