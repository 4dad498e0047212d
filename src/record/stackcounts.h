/*
 * The user-space side of counting stacks in the kernel (record
 * --aggregate, bpf/stackcount.bpf.h): once an interval, take every count
 * out of the sampler's maps with batch operations and hand each on with
 * its frames.  Stacks are read from the kernel once, when first counted,
 * and kept here by their kernel id.
 */
#ifndef EBPF_TOOL_STACKCOUNTS_H
#define EBPF_TOOL_STACKCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "record/sampler.h"

struct stackcounts;

/* ips: nk kernel then nu user frames, leaf first; comm NUL-terminated. */
typedef int (*stackcount_fn)(void *ctx, uint32_t pid, uint32_t tid, const char *comm,
			     const uint64_t *ips, unsigned int nk, unsigned int nu,
			     uint64_t count);

struct stackcounts_stats {
	uint64_t stacks;		/* kept here */
	uint64_t drains;
	/* Samples whose stack the kernel no longer held (dropped at a reset
	 * while they were counted): not handed on. */
	uint64_t missing;
};

/* -ENOENT when the sampler does not count stacks. */
int stackcounts_new(struct stackcounts **out, struct sampler *smp);
/*
 * Send the samples to the other count map and take the counts out of the
 * one they went to (a sample that read the switch just before it may
 * land there after the drain: it is taken the next time); all: the other
 * too, sampling having stopped.  fn is called for each; a callback's
 * error stops the walk and is returned, the counts not yet handed on lost.
 */
int stackcounts_drain(struct stackcounts *sc, bool all, stackcount_fn fn, void *ctx);
/*
 * Forget every stack, here and in the kernel, so memory stays bounded
 * over a long recording: at a file switch, right after a drain.
 */
int stackcounts_reset(struct stackcounts *sc);
void stackcounts_stats(const struct stackcounts *sc, struct stackcounts_stats *st);
void stackcounts_free(struct stackcounts *sc);

#endif
