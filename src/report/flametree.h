/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The frame tree that folded stacks, flame graphs and differential flame
 * graphs are drawn from: a trie of frames, root first, under one root
 * node ("all"), each node holding the weight of the stacks through it.
 * Two weights per node let a differential graph hold two profiles.
 *
 * In chart mode (time order) a stack merges only with the path of the
 * previous stack of its command, so siblings stay in the order they ran:
 * each command is a flame chart of its own samples.
 */
#ifndef EBPF_TOOL_FLAMETREE_H
#define EBPF_TOOL_FLAMETREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/samplewalk.h"
#include "lib/hashtab.h"
#include "lib/strpool.h"

/* Nodes in one tree; past it adding fails with -E2BIG. */
#define FT_MAX_NODES	(1u << 24)
/* A path is the comm and every frame of a stack. */
#define FT_MAX_PATH	(DF_MAX_FRAMES + 1)

enum {
	FT_KERNEL = 1 << 0,	/* a kernel function */
	FT_COMM = 1 << 1,	/* the command, above the stack's root */
	FT_INLINED = 1 << 2,	/* a function inlined into its parent */
};

struct ft_frame {
	const char *name;
	uint32_t flags;		/* FT_* */
	const char *file;	/* the function's source file, NULL if unknown */
	uint32_t line;		/* the line it starts at, 0 if unknown */
};

struct ft_node {
	const char *name;	/* interned in the tree */
	uint32_t flags;
	uint32_t parent;
	uint32_t first_child, last_child, next_sibling;	/* 0: none */
	uint32_t depth;		/* the root is 0 */
	uint64_t value[2];	/* weight of the stacks through it, per profile */
	uint64_t self[2];	/* weight of the stacks ending on it */
	const char *file;	/* the first stack's ft_frame.file, interned */
	uint32_t line;
};

struct flametree {
	struct ft_node *nodes;	/* nodes[0] is the root */
	size_t n, cap;
	struct hashtab children;	/* of nodes by (parent, name, flags) */
	struct strpool pool;
	bool chart;
	uint32_t max_depth;
};

int flametree_init(struct flametree *t, bool chart);
void flametree_release(struct flametree *t);

/*
 * Adds weight to profile 0 or 1 along a path given root first.  Returns
 * the node the path ends on, or a negative errno.
 */
int64_t flametree_add(struct flametree *t, const struct ft_frame *path, size_t n,
		      uint64_t weight, unsigned int profile);

/*
 * The path of a sample as folded stacks spell it: the command, then the
 * user frames from the root, then the kernel frames.  Returns its length.
 */
size_t flametree_path(const struct sw_sample *ss, struct ft_frame *path);

/* Sorts every node's children by name, as flamegraph.pl does: once, after
 * the last flametree_add(), and never in chart mode. */
int flametree_sort(struct flametree *t);

#endif
