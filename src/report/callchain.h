/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Call-graph trees, one per report entry, all in one node arena.  A tree
 * is a trie of frames in display order (callers first or callees first);
 * every node counts the weight that passed through it (cumul) and the
 * weight of chains that ended on it (hit).
 *
 * Printing compresses the trie the way perf's radix tree is built: a run
 * of nodes without hits and with one child each is printed as one block.
 */
#ifndef EBPF_TOOL_CALLCHAIN_H
#define EBPF_TOOL_CALLCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/session.h"
#include "lib/hashtab.h"

/* Nodes of all trees together; a report beyond it fails with -E2BIG. */
#define CC_MAX_NODES	(1u << 25)

enum cc_mode {
	CC_GRAPH,	/* tree, percentages of the total */
	CC_FLAT,	/* every chain with hits, one frame a line */
	CC_FOLDED,	/* every chain with hits, frames joined by ';' */
	CC_NONE,	/* no call graph */
};

/* What -g / --call-graph sets; see callchain_parse(). */
struct cc_params {
	enum cc_mode mode;
	double min_percent;	/* hide branches under this share of the total */
	unsigned int print_limit; /* siblings shown per level, 0: all */
	bool caller;		/* root first; false: leaf first */
	bool order_set;		/* the order was given, not defaulted */
};

/* perf's defaults: graph,0.5,caller (the order follows --children). */
void cc_params_init(struct cc_params *p);

/*
 * Parses "graph,0.5,caller" style lists: a mode (graph, flat, folded,
 * none), an order (caller, callee), up to two numbers (minimum percent,
 * print limit), and perf's "function" and "percent" which are the only
 * key and value kinds here.  On error returns -EINVAL and points *bad at
 * the offending word (inside a static buffer).
 */
int cc_params_parse(struct cc_params *p, const char *arg, const char **bad);

struct cc_key {
	const char *name;		/* interned: equal names, equal pointers */
	const struct sess_dso *dso;
};

struct cc_node {
	struct cc_key key;
	uint32_t parent;		/* 0 for a root */
	uint32_t first_child;		/* 0: none */
	uint32_t next_sibling;		/* 0: last */
	/*
	 * Children in the whole trie, counting those a pruned build left
	 * out (see callchain_append()): a run ends where there are two.
	 */
	uint32_t nr_kids;
	uint64_t hit;
	uint64_t cumul;
};

struct callchain {
	struct cc_node *nodes;		/* nodes[0] is unused: 0 means none */
	size_t n, cap;
	struct hashtab children;	/* of nodes by (parent, key) */
};

void callchain_init(struct callchain *cc);
void callchain_release(struct callchain *cc);

/* A new empty tree; returns its root index (> 0) or a negative errno. */
int64_t callchain_new_tree(struct callchain *cc);
/*
 * The node at the end of a chain of n frames under root, created as
 * needed; or a negative errno.  Callers add weight to its hit; cumul is
 * only valid after callchain_sum(), which keeps adding a sample O(1).
 */
int64_t callchain_path(struct callchain *cc, uint32_t root,
		       const struct cc_key *path, size_t n);
void callchain_sum(struct callchain *cc);
/*
 * A new child of parent, for a caller that grows the trie itself and
 * knows parent has no child with key k: it sets hit, cumul and nr_kids,
 * and never calls callchain_path() or callchain_sum() on these trees.
 */
int64_t callchain_append(struct callchain *cc, uint32_t parent, const struct cc_key *k);

/*
 * The children of node whose cumul reaches min_hit, sorted by cumul
 * (largest first, then by name).  *out is malloc'd; *n may be 0.
 */
int callchain_children(const struct callchain *cc, uint32_t node, uint64_t min_hit,
		       uint32_t **out, size_t *n);
/* The last node of the run that starts at node (see above). */
uint32_t callchain_run_end(const struct callchain *cc, uint32_t node);
/* Nodes under root with hit >= min_hit and hit > 0, sorted by hit. */
int callchain_ends(const struct callchain *cc, uint32_t root, uint64_t min_hit,
		   uint32_t **out, size_t *n);

#endif
