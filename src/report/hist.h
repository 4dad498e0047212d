/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Aggregation for report: samples are folded into entries keyed by the
 * sort keys as they are read, so memory grows with distinct entries and
 * call paths, never with the number of samples.
 *
 * Self is the weight of samples whose leaf frame belongs to the entry;
 * Children the weight of samples with the entry anywhere on the chain,
 * each sample counted once however often the entry appears in it.
 */
#ifndef EBPF_TOOL_HIST_H
#define EBPF_TOOL_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/callchain.h"
#include "data/datafile.h"
#include "data/filter.h"
#include "report/hist-graph.h"
#include "data/session.h"
#include "lib/arena.h"
#include "lib/hashtab.h"
#include "lib/u64map.h"
#include "report/sort.h"

#define HIST_MAX_ENTRIES	(1u << 24)
/* Signatures remembered (see hist.c); past it the cache starts afresh. */
#define HIST_MAX_SIGS		(1u << 18)
#define HIST_MAX_SIG_BYTES	(64u << 20)

struct hist_opts {
	const struct sort_key *keys[SORT_MAX_KEYS];	/* sort.c's rows */
	size_t n_keys;
	bool children;		/* grow trees for every entry on the chain */
	bool callchain;		/* grow trees at all */
	bool caller;		/* trees root first (else leaf first) */
	unsigned int max_stack;	/* frames used from the leaf, >= 1 */
	/*
	 * The -g threshold, percent of the total: call-graph nodes under it
	 * are never printed, so hist_sort() does not grow them (0: all).
	 */
	double min_percent;
	struct filter filter;
	bool no_inline;		/* no frames of inlined functions */
};

struct hist_entry {
	struct hist_key key;
	uint64_t self, children;	/* weights */
	uint64_t nr_self;		/* samples */
	uint32_t depth;			/* fewest frames from the root seen */
	uint32_t tree;			/* call-graph root, 0 if none */
	uint64_t stamp;			/* signature that last credited it */
	uint32_t credit;		/* its credit in that signature */
};

struct hist {
	struct hist_opts opts;
	/* opts.keys split: those a sample gives, and those its frame gives. */
	const struct sort_key *sample_keys[SORT_MAX_KEYS], *frame_keys[SORT_MAX_KEYS];
	size_t n_sample_keys, n_frame_keys;
	struct hist_entry *v;
	size_t n, cap;
	struct hashtab index;		/* of v by key, until sorted */
	struct callchain cc;

	uint64_t total;			/* weight of counted samples */
	uint64_t nr_samples;		/* samples counted (leaf not filtered) */
	uint64_t nr_filtered;		/* samples dropped by comm/pid/tid/cpu */
	/* Counted samples whose user stack ended early, by enum df_unwind_stop - 1. */
	uint64_t unwind_stops[DF_UNWIND_STOP__MAX - 1];
	bool saw_chain;			/* a stack had more than one frame */
	const char *why;		/* what hist_add() ran out of, or NULL */
	uint64_t seq;
	struct u64map sigs;		/* signature hash -> what it adds */
	struct arena sig_mem;		/* where the signatures live */
	struct sig *sig_scratch;	/* the one being made */
	struct hist_graph graph;	/* call-graph work, done by hist_sort() */

	struct sess_frame *frames;	/* scratch for one sample */
	size_t leaf;			/* frames[leaf]: the leaf's own, after its inlined ones */
	uint32_t *idx;
	struct cc_key *path;
	struct graph_job *jobs;
};

int hist_init(struct hist *h, const struct hist_opts *o);
void hist_release(struct hist *h);

/*
 * Folds one sample in; the session must be current for it.  Call-graph
 * cumul counts are filled in by hist_sort().
 */
int hist_add(struct hist *h, struct session *s, const struct df_sample *smp);

/*
 * Ends aggregation: grows the call graphs (the nodes that reach
 * opts.min_percent) and sorts the entries for printing: by Children
 * (by_children) or Self, then callers above callees when callers_first,
 * then by the keys.  hist_add() must not follow.  Returns 0 or a negative
 * errno (h->why may say why).
 */
int hist_sort(struct hist *h, bool by_children, bool callers_first);

#endif
