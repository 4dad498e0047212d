/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The call-graph work of a report, deferred until the totals are known.
 *
 * While the file is read, each distinct resolved stack (its frames as
 * call-graph keys, in display order, and the entries whose trees it
 * extends) is stored once with the weight of its samples.  Once reading
 * is done, hist_graph_build() grows the trees.  perf prints only the
 * nodes whose weight reaches the -g threshold (0.5% of the total by
 * default), and a node never weighs more than its parent, so the trees
 * are grown a level at a time and a branch stops where it falls under
 * the threshold: the work follows what can be printed, not the samples
 * times the square of the stack depth that growing every tree in full
 * costs in children mode.
 */
#ifndef EBPF_TOOL_HIST_GRAPH_H
#define EBPF_TOOL_HIST_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "report/callchain.h"
#include "lib/u64map.h"

struct hist_entry;

/* One tree to extend: the entry's, with the stack's keys from start on. */
struct graph_job {
	uint32_t entry;		/* index of the entry */
	uint32_t start;		/* first key of the path, display order */
};

struct hist_graph {
	struct u64map key_index;	/* key hash -> key id + 1 */
	struct cc_key *keys;		/* by key id */
	size_t n_keys, cap_keys;
	uint32_t *arena;		/* per stack: n, n_jobs, key ids, jobs */
	size_t arena_n, arena_cap;
	size_t *off;			/* per stack: its record in arena */
	uint64_t *weight;		/* per stack: its samples' weight */
	size_t n, cap, cap_weight;
	struct u64map index;		/* stack hash -> stack id + 1 */
	uint64_t n_jobs;
};

void hist_graph_init(struct hist_graph *g);
void hist_graph_release(struct hist_graph *g);

/*
 * The id of the stack with path (n keys, display order) and jobs, stored
 * if new; or a negative errno.
 */
int64_t hist_graph_intern(struct hist_graph *g, const struct cc_key *path, size_t n,
			  const struct graph_job *jobs, size_t n_jobs);

static inline void hist_graph_add(struct hist_graph *g, uint32_t id, uint64_t weight)
{
	g->weight[id] += weight;
}

/*
 * Grows the entries' trees in cc: every node whose cumul reaches min_hit,
 * each with its hit, cumul and nr_kids of the whole trie (min_hit 0: every
 * node).  Sets the tree of entries that have one.  Returns 0 or a negative
 * errno; *why says which limit was hit, if one was.
 */
int hist_graph_build(struct hist_graph *g, struct callchain *cc, struct hist_entry *v,
		     size_t n_entries, uint64_t min_hit, const char **why);

#endif
