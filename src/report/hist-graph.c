/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deferred call-graph building for report; see hist-graph.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist.h"
#include "report/hist-graph.h"
#include "lib/hash.h"
#include "lib/util.h"

#define REC_HDR 2	/* n, n_jobs */

void hist_graph_init(struct hist_graph *g)
{
	memset(g, 0, sizeof(*g));
}

void hist_graph_release(struct hist_graph *g)
{
	u64map_release(&g->key_index);
	u64map_release(&g->index);
	free(g->keys);
	free(g->arena);
	free(g->off);
	free(g->weight);
	hist_graph_init(g);
}

/* Probe hash, hash + 1, ... of a map with no deletion: the value or NULL. */
#define FOR_PROBES(map, hash, v) \
	for (uint64_t probe_ = (hash); ((v) = u64map_get((map), probe_)) != NULL; probe_++)

static int64_t key_id(struct hist_graph *g, const struct cc_key *k)
{
	uint64_t hash = hash_u64((uintptr_t)k->name ^ hash_u64((uintptr_t)k->dso)), probe;
	void *v;

	FOR_PROBES(&g->key_index, hash, v) {
		const struct cc_key *o = &g->keys[(uintptr_t)v - 1];

		if (o->name == k->name && o->dso == k->dso)
			return (int64_t)((uintptr_t)v - 1);
	}
	if (g->n_keys >= UINT32_MAX ||
	    grow_array((void **)&g->keys, &g->cap_keys, g->n_keys + 1, sizeof(*g->keys)))
		return -ENOMEM;
	/* The first free probe: the loop above stopped there. */
	for (probe = hash; u64map_get(&g->key_index, probe); probe++)
		;
	if (u64map_put(&g->key_index, probe, (void *)(uintptr_t)(g->n_keys + 1)))
		return -ENOMEM;
	g->keys[g->n_keys] = *k;
	return (int64_t)g->n_keys++;
}

int64_t hist_graph_intern(struct hist_graph *g, const struct cc_key *path, size_t n,
			  const struct graph_job *jobs, size_t n_jobs)
{
	size_t len = REC_HDR + n + 2 * n_jobs;
	uint64_t hash = 0, probe;
	uint32_t *rec;
	void *v;

	if (grow_array((void **)&g->arena, &g->arena_cap, g->arena_n + len, sizeof(*g->arena)))
		return -ENOMEM;
	/* Build the record at the end of the arena; keep it only if new. */
	rec = g->arena + g->arena_n;
	rec[0] = (uint32_t)n;
	rec[1] = (uint32_t)n_jobs;
	for (size_t i = 0; i < n; i++) {
		int64_t id = key_id(g, &path[i]);

		if (id < 0)
			return id;
		rec[REC_HDR + i] = (uint32_t)id;
	}
	for (size_t i = 0; i < n_jobs; i++) {
		rec[REC_HDR + n + 2 * i] = jobs[i].entry;
		rec[REC_HDR + n + 2 * i + 1] = jobs[i].start;
	}
	for (size_t i = 0; i < len; i++)
		hash = hash_u64(hash ^ rec[i]);
	FOR_PROBES(&g->index, hash, v) {
		size_t id = (uintptr_t)v - 1;

		if (!memcmp(g->arena + g->off[id], rec, len * sizeof(*rec)))
			return (int64_t)id;
	}
	if (g->n >= UINT32_MAX - 1)
		return -E2BIG;
	if (grow_array((void **)&g->off, &g->cap, g->n + 1, sizeof(*g->off)) ||
	    grow_array((void **)&g->weight, &g->cap_weight, g->n + 1, sizeof(*g->weight)))
		return -ENOMEM;
	for (probe = hash; u64map_get(&g->index, probe); probe++)
		;
	if (u64map_put(&g->index, probe, (void *)(uintptr_t)(g->n + 1)))
		return -ENOMEM;
	g->off[g->n] = g->arena_n;
	g->weight[g->n] = 0;
	g->arena_n += len;
	g->n_jobs += n_jobs;
	return (int64_t)g->n++;
}

/* ---- building ----------------------------------------------------------- */

#define TOO_MANY_NODES "the call graphs need too many nodes (more than 33554432): " \
		       "try --no-children, --max-stack or -g none"

/* A stored stack, decoded. */
struct stack_rec {
	const uint32_t *ids;	/* n key ids */
	const uint32_t *jobs;	/* nj (entry, start) pairs */
	uint32_t n, nj;
	uint64_t w;
};

static void stack_get(const struct hist_graph *g, size_t id, struct stack_rec *r)
{
	const uint32_t *rec = g->arena + g->off[id];

	r->n = rec[0];
	r->nj = rec[1];
	r->ids = rec + REC_HDR;
	r->jobs = r->ids + r->n;
	r->w = g->weight[id];
}

static int64_t tree_of(struct callchain *cc, struct hist_entry *e)
{
	int64_t root;

	if (e->tree)
		return e->tree;
	root = callchain_new_tree(cc);
	if (root > 0)
		e->tree = (uint32_t)root;
	return root;
}

/* Every node: the chains inserted whole, then the sums. */
static int build_full(struct hist_graph *g, struct callchain *cc, struct hist_entry *v)
{
	struct cc_key *path = NULL;
	size_t cap = 0;
	int err = 0;

	for (size_t id = 0; id < g->n; id++) {
		struct stack_rec r;

		stack_get(g, id, &r);
		if (grow_array((void **)&path, &cap, r.n, sizeof(*path))) {
			err = -ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < r.n; i++)
			path[i] = g->keys[r.ids[i]];
		for (size_t q = 0; q < r.nj; q++) {
			int64_t root = tree_of(cc, &v[r.jobs[2 * q]]), node;
			uint32_t start = r.jobs[2 * q + 1];

			node = root < 0 ? root : callchain_path(cc, (uint32_t)root, path + start,
								 r.n - start);
			if (node < 0) {
				err = (int)node;
				goto out;
			}
			cc->nodes[node].hit += r.w;
		}
	}
	callchain_sum(cc);
out:
	free(path);
	return err;
}

/* A (parent, key) pair seen on one level of the pruned build. */
struct item {
	uint32_t parent, key;
	uint32_t node;		/* grown, or 0 if under the threshold */
	uint64_t hit, cumul;
};

struct level {
	struct u64map index;	/* parent << 32 | key -> item + 1 */
	struct item *v;
	size_t n, cap;
};

/* Sweep one: weigh each live job's next node; cur[] becomes its item + 1. */
static int level_weigh(struct hist_graph *g, struct level *l, uint32_t depth, uint32_t *cur)
{
	size_t j = 0;

	for (size_t id = 0; id < g->n; id++) {
		struct stack_rec r;

		stack_get(g, id, &r);
		for (size_t q = 0; q < r.nj; q++, j++) {
			uint32_t pos = r.jobs[2 * q + 1] + depth;
			uint64_t k;
			void *x;
			struct item *it;

			if (!cur[j])
				continue;
			k = (uint64_t)cur[j] << 32 | r.ids[pos];
			x = u64map_get(&l->index, k);
			if (!x) {
				if (grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
					return -ENOMEM;
				l->v[l->n] = (struct item){ .parent = cur[j], .key = r.ids[pos] };
				x = (void *)(uintptr_t)++l->n;
				if (u64map_put(&l->index, k, x))
					return -ENOMEM;
			}
			it = &l->v[(uintptr_t)x - 1];
			it->cumul += r.w;
			if (pos + 1 == r.n)
				it->hit += r.w;
			cur[j] = (uint32_t)(uintptr_t)x;
		}
	}
	return 0;
}

/* Sweep two: a job lives on under its node if it was grown and goes deeper. */
static size_t level_advance(struct hist_graph *g, const struct level *l, uint32_t depth,
			    uint32_t *cur)
{
	size_t j = 0, live = 0;

	for (size_t id = 0; id < g->n; id++) {
		struct stack_rec r;

		stack_get(g, id, &r);
		for (size_t q = 0; q < r.nj; q++, j++) {
			if (!cur[j])
				continue;
			cur[j] = r.jobs[2 * q + 1] + depth + 1 < r.n ? l->v[cur[j] - 1].node : 0;
			live += cur[j] != 0;
		}
	}
	return live;
}

static int level_grow(struct hist_graph *g, struct callchain *cc, struct level *l,
		      uint64_t min_hit)
{
	for (size_t i = 0; i < l->n; i++) {
		struct item *it = &l->v[i];
		int64_t node;

		cc->nodes[it->parent].nr_kids++;
		if (it->cumul < min_hit)
			continue;
		node = callchain_append(cc, it->parent, &g->keys[it->key]);
		if (node < 0)
			return (int)node;
		cc->nodes[node].hit = it->hit;
		cc->nodes[node].cumul = it->cumul;
		it->node = (uint32_t)node;
	}
	return 0;
}

/* Only the nodes that reach min_hit, a level at a time. */
static int build_pruned(struct hist_graph *g, struct callchain *cc, struct hist_entry *v,
			size_t n_entries, uint64_t min_hit)
{
	uint64_t *wsum = calloc(n_entries ? n_entries : 1, sizeof(*wsum));
	uint32_t *cur = malloc((g->n_jobs ? g->n_jobs : 1) * sizeof(*cur));
	struct level l = { 0 };
	size_t j = 0, live = 0;
	int err = 0;

	if (!wsum || !cur) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t id = 0; id < g->n; id++) {
		struct stack_rec r;

		stack_get(g, id, &r);
		for (size_t q = 0; q < r.nj; q++)
			wsum[r.jobs[2 * q]] += r.w;
	}
	/* A tree lighter than min_hit has no node to print: skip it whole. */
	for (size_t id = 0; id < g->n; id++) {
		struct stack_rec r;

		stack_get(g, id, &r);
		for (size_t q = 0; q < r.nj; q++, j++) {
			int64_t root = 0;

			if (wsum[r.jobs[2 * q]] >= min_hit)
				root = tree_of(cc, &v[r.jobs[2 * q]]);
			if (root < 0) {
				err = (int)root;
				goto out;
			}
			cur[j] = (uint32_t)root;
			live += root != 0;
		}
	}
	for (uint32_t depth = 0; live && !err; depth++) {
		err = level_weigh(g, &l, depth, cur);
		err = err ?: level_grow(g, cc, &l, min_hit);
		if (!err)
			live = level_advance(g, &l, depth, cur);
		u64map_release(&l.index);
		l.n = 0;
	}
out:
	free(l.v);
	u64map_release(&l.index);
	free(cur);
	free(wsum);
	return err;
}

int hist_graph_build(struct hist_graph *g, struct callchain *cc, struct hist_entry *v,
		     size_t n_entries, uint64_t min_hit, const char **why)
{
	int err;

	if (!g->n)
		return 0;
	err = min_hit ? build_pruned(g, cc, v, n_entries, min_hit) : build_full(g, cc, v);
	if (err == -E2BIG)
		*why = TOO_MANY_NODES;
	return err;
}
