/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Aggregation for report; see hist.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist.h"
#include "lib/hash.h"
#include "lib/u64map.h"
#include "lib/util.h"

static void sigs_clear(struct hist *h);

int hist_init(struct hist *h, const struct hist_opts *o)
{
	memset(h, 0, sizeof(*h));
	h->opts = *o;
	for (size_t i = 0; i < o->n_keys; i++) {
		if (o->keys[i]->flags & SORT_OF_SAMPLE)
			h->sample_keys[h->n_sample_keys++] = o->keys[i];
		else
			h->frame_keys[h->n_frame_keys++] = o->keys[i];
	}
	if (!h->opts.max_stack || h->opts.max_stack > DF_MAX_FRAMES)
		h->opts.max_stack = DF_MAX_FRAMES;
	callchain_init(&h->cc);
	hist_graph_init(&h->graph);
	h->frames = calloc(DF_MAX_FRAMES, sizeof(*h->frames));
	h->idx = calloc(DF_MAX_FRAMES, sizeof(*h->idx));
	h->path = calloc(DF_MAX_FRAMES, sizeof(*h->path));
	h->jobs = calloc(DF_MAX_FRAMES, sizeof(*h->jobs));
	if (!h->frames || !h->idx || !h->path || !h->jobs) {
		hist_release(h);
		return -ENOMEM;
	}
	return 0;
}

void hist_release(struct hist *h)
{
	sigs_clear(h);
	free(h->v);
	hashtab_release(&h->index);
	free(h->frames);
	free(h->idx);
	free(h->path);
	free(h->jobs);
	free(h->sig_scratch);
	hist_graph_release(&h->graph);
	callchain_release(&h->cc);
	memset(h, 0, sizeof(*h));
}

/* ---- entries ------------------------------------------------------------ */

/* A frame's entry key: the sample's part (of its signature), then the frame's. */
static void make_key(const struct hist *h, const unsigned char *of_sample,
		     const struct sort_input *in, struct hist_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k, of_sample, SORT_SAMPLE_BYTES);
	for (size_t i = 0; i < h->n_frame_keys; i++)
		h->frame_keys[i]->set(k, in);
}

static uint64_t key_hash(const struct sort_key *const *keys, size_t n,
			 const struct hist_key *k, uint64_t seed)
{
	uint64_t x = seed;

	for (size_t i = 0; i < n; i++)
		x = hash_u64(x ^ keys[i]->hash(k));
	return x;
}

static bool key_same(const struct sort_key *const *keys, size_t n,
		     const struct hist_key *a, const struct hist_key *b)
{
	for (size_t i = 0; i < n; i++)
		if (!keys[i]->same(a, b))
			return false;
	return true;
}

static bool same_key(const void *ctx, uint32_t idx, const void *key)
{
	const struct hist *h = ctx;

	return key_same(h->opts.keys, h->opts.n_keys, &h->v[idx].key, key);
}

static int entry_append(struct hist *h, const struct hist_key *k)
{
	if (h->n >= HIST_MAX_ENTRIES) {
		h->why = "too many report entries (more than 16777216): "
			 "sort by fewer keys or filter";
		return -E2BIG;
	}
	if (grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v)))
		return -ENOMEM;
	h->v[h->n] = (struct hist_entry){ .key = *k, .depth = UINT32_MAX };
	return (int)h->n++;
}

/* The index of the entry with key k, created if new; or -errno. */
static int entry_get(struct hist *h, struct session *s, const struct hist_key *k)
{
	uint64_t hash = key_hash(h->opts.keys, h->opts.n_keys, k, 0);
	int64_t found = hashtab_find(&h->index, hash, k, same_key, h);
	int idx, err;

	if (found >= 0)
		return (int)found;
	idx = entry_append(h, k);
	if (idx < 0)
		return idx;
	if (hashtab_insert(&h->index, hash, (uint32_t)idx))
		return -ENOMEM;
	for (size_t i = 0; i < h->opts.n_keys; i++) {
		if (h->opts.keys[i]->fill) {
			err = h->opts.keys[i]->fill(&h->v[idx].key, s);
			if (err)
				return err;
		}
	}
	return idx;
}

/* ---- samples ------------------------------------------------------------ */

/*
 * What a sample adds, worked out once per signature (stack, pid, and the
 * sort keys the sample itself gives, such as its thread or CPU) and
 * replayed for every later sample with the same signature: resolving and
 * walking a deep stack costs hundreds of random memory accesses,
 * replaying it a few.
 */
struct credit {
	uint32_t entry;
	uint32_t depth;		/* frames from the root */
};

struct sig {
	uint32_t stack_id, pid;
	/* The SORT_OF_SAMPLE keys' fields: the start of a struct hist_key. */
	unsigned char key[SORT_SAMPLE_BYTES];
	int32_t self;		/* the leaf's entry, -1 if filtered */
	uint64_t gen;		/* the session's generation it was made in */
	int64_t graph;		/* its stack in h->graph, -1 if none */
	uint8_t stop;		/* enum df_unwind_stop, 0: a whole user stack */
	uint32_t n;
	struct credit c[];	/* Children credits, each entry once */
};

/* The signature of a sample, and its hash. */
static uint64_t sig_key(const struct hist *h, const struct sort_input *in, struct sig *k)
{
	struct hist_key of_sample = { 0 };

	memset(k, 0, sizeof(*k));
	k->stack_id = in->smp->stack_id;
	k->pid = in->smp->pid;
	for (size_t i = 0; i < h->n_sample_keys; i++)
		h->sample_keys[i]->set(&of_sample, in);
	memcpy(k->key, &of_sample, sizeof(k->key));
	return key_hash(h->sample_keys, h->n_sample_keys, &of_sample,
			hash_u64((uint64_t)k->stack_id << 32 | k->pid));
}

static bool sig_same(const struct sig *a, const struct sig *b)
{
	return a->stack_id == b->stack_id && a->pid == b->pid &&
	       !memcmp(a->key, b->key, sizeof(a->key));
}

static void sigs_clear(struct hist *h)
{
	arena_release(&h->sig_mem);
	u64map_release(&h->sigs);
}

/* Why the recorder's unwinder ended the sample's user stack early, or 0. */
static uint8_t stack_stop(struct session *s, const struct df_sample *smp)
{
	const struct sess_stack *st = smp->stack_id == DF_STACK_NONE ? NULL :
				      session_stack(s, smp->stack_id);
	uint64_t last;

	if (!st || !st->n_user)
		return 0;
	last = st->ips[st->n_kernel + st->n_user - 1];
	if (!DF_IS_UNWIND_STOP(last) || (last & 0xff) >= DF_UNWIND_STOP__MAX)
		return 0;
	return (uint8_t)(last & 0xff);
}

/*
 * The frames of the sample, leaf first, as many as will be used, with the
 * frames of inlined functions where a chain is kept: each frame keeps room
 * for those after it, so a deep stack loses inlined frames, never its own.
 */
static int resolve_frames(struct hist *h, struct session *s,
			  const struct df_sample *smp, size_t *n)
{
	const struct sess_stack *st = smp->stack_id == DF_STACK_NONE ? NULL :
				      session_stack(s, smp->stack_id);
	size_t total = st ? (size_t)st->n_kernel + st->n_user : 0, k = 0;
	struct sess_frame fr;
	int err;

	h->leaf = 0;
	if (total > h->opts.max_stack)
		total = h->opts.max_stack;
	if (total > 1)
		h->saw_chain = true;
	/* Only the leaf matters when no chain is kept. */
	if (total > 1 && !h->opts.children && !h->opts.callchain)
		total = 1;
	if (!total)	/* no stack at all: one frame nobody can name */
		return *n = 1, session_resolve(s, smp->pid, 0, false, &h->frames[0]);
	for (size_t i = 0; i < total; i++) {
		bool inl = !h->opts.no_inline && (h->opts.children || h->opts.callchain);

		err = session_resolve(s, smp->pid, st->ips[i], i < st->n_kernel, &fr);
		if (!err)
			err = session_expand(s, &fr, i > st->n_kernel, !inl, h->frames + k,
					     DF_MAX_FRAMES - k - (total - 1 - i));
		if (err < 0)
			return err;
		if (!i)
			h->leaf = (size_t)err - 1;
		k += (size_t)err;
	}
	*n = k;
	return 0;
}

/* Frame i of the display order: root first for caller order. */
static size_t display(const struct hist *h, size_t i, size_t n)
{
	return h->opts.caller ? n - 1 - i : i;
}

static int key_frames(struct hist *h, struct session *s, const struct sig *g,
		      struct sort_input *in, size_t n)
{
	struct hist_key k;
	int idx;

	for (size_t i = 0; i < n; i++) {
		const struct sess_frame *fr = &h->frames[i];
		size_t d = display(h, i, n);

		h->path[d].name = fr->chain;
		h->path[d].dso = fr->dso;
		h->idx[i] = 0;
		/* Without children only the leaf has an entry to credit. */
		if ((i != h->leaf && !h->opts.children) ||
		    !filter_frame_wanted(&h->opts.filter, fr))
			continue;
		in->fr = fr;
		make_key(h, g->key, in, &k);
		idx = entry_get(h, s, &k);
		if (idx < 0)
			return idx;
		h->idx[i] = (uint32_t)idx + 1;
	}
	return 0;
}

/*
 * Every distinct entry on the chain gets the sample once, with the chain
 * from its first appearance on (perf's order) as a call-graph job; the
 * leaf's entry has the whole chain already.  Depth is the entry's
 * appearance nearest the root.
 */
static void credit_children(struct hist *h, struct sig *g, size_t n, size_t *n_jobs)
{
	h->seq++;
	for (size_t p = 0; p < n; p++) {
		size_t i = display(h, p, n);
		int idx = (int)h->idx[i] - 1;
		struct hist_entry *e = idx >= 0 ? &h->v[idx] : NULL;
		uint32_t depth = (uint32_t)(n - 1 - i);

		if (!e)
			continue;
		if (e->stamp == h->seq) {
			if (depth < g->c[e->credit].depth)
				g->c[e->credit].depth = depth;
			continue;
		}
		if (h->opts.callchain && idx != g->self)
			h->jobs[(*n_jobs)++] = (struct graph_job){ (uint32_t)idx, (uint32_t)p };
		e->stamp = h->seq;
		e->credit = g->n;
		g->c[g->n++] = (struct credit){ (uint32_t)idx, depth };
	}
}

/* The signature of key (sig_key()'s) made anew in the scratch. */
static int sig_make(struct hist *h, struct session *s, struct sort_input *in,
		    const struct sig *key, struct sig **out)
{
	struct sig *g = h->sig_scratch;
	size_t n, n_jobs = 0;
	int err;

	if (!g) {
		g = h->sig_scratch = malloc(sizeof(*g) + DF_MAX_FRAMES * sizeof(g->c[0]));
		if (!g)
			return -ENOMEM;
	}
	*g = *key;
	g->gen = session_generation(s);
	g->graph = -1;
	g->stop = stack_stop(s, in->smp);
	err = resolve_frames(h, s, in->smp, &n);
	err = err ?: key_frames(h, s, g, in, n);
	g->self = (int32_t)h->idx[h->leaf] - 1;
	if (!err && g->self >= 0 && h->opts.callchain)
		h->jobs[n_jobs++] = (struct graph_job){ (uint32_t)g->self, 0 };
	if (!err && h->opts.children)
		credit_children(h, g, n, &n_jobs);
	if (!err && n_jobs) {
		g->graph = hist_graph_intern(&h->graph, h->path, n, h->jobs, n_jobs);
		err = g->graph < 0 ? (int)g->graph : 0;
	}
	if (err)
		return err;
	*out = g;
	return 0;
}

/* A counted stack (interval_ns) is weight samples; another sample is one. */
static void sig_apply(struct hist *h, const struct sig *g, const struct df_sample *smp)
{
	uint64_t w = smp->weight, n = smp->interval_ns ? smp->weight : 1;

	if (g->self >= 0) {
		h->v[g->self].self += w;
		h->v[g->self].nr_self += n;
		h->total += w;
		h->nr_samples += n;
		if (g->stop)
			h->unwind_stops[g->stop - 1] += n;
	}
	if (g->graph >= 0)
		hist_graph_add(&h->graph, (uint32_t)g->graph, w);
	for (uint32_t i = 0; i < g->n; i++) {
		struct hist_entry *e = &h->v[g->c[i].entry];

		e->children += w;
		if (g->c[i].depth < e->depth)
			e->depth = g->c[i].depth;
	}
}

/*
 * Keeps a copy of the signature made in the scratch; the cache is dropped
 * whole when it is full (a replaced signature's memory goes with it).
 */
static int sig_store(struct hist *h, uint64_t hash, const struct sig *scratch)
{
	size_t size = sizeof(*scratch) + scratch->n * sizeof(scratch->c[0]);
	struct sig *g;

	if ((h->sigs.n >= HIST_MAX_SIGS && !u64map_get(&h->sigs, hash)) ||
	    h->sig_mem.bytes >= HIST_MAX_SIG_BYTES)
		sigs_clear(h);
	/* No malloc and free per signature: they cost more than making it. */
	g = arena_alloc(&h->sig_mem, size, 16);
	if (!g)
		return -ENOMEM;
	memcpy(g, scratch, size);
	return u64map_put(&h->sigs, hash, g);
}

int hist_add(struct hist *h, struct session *s, const struct df_sample *smp)
{
	struct sort_input in = { .smp = smp, .comm = session_comm(s, smp->tid) };
	struct sig key, *g;
	uint64_t hash;
	int err;

	if (!in.comm)
		return -ENOMEM;
	if (!filter_sample_wanted(&h->opts.filter, in.comm, smp)) {
		h->nr_filtered++;
		return 0;
	}
	hash = sig_key(h, &in, &key);
	g = u64map_get(&h->sigs, hash);
	if (!g || !sig_same(g, &key) || g->gen != session_generation(s)) {
		err = sig_make(h, s, &in, &key, &g);
		if (!err) {
			sig_apply(h, g, smp);
			return sig_store(h, hash, g);
		}
		return err;
	}
	sig_apply(h, g, smp);
	return 0;
}

/* ---- sorting ------------------------------------------------------------ */

static const struct hist *sort_hist;
static bool sort_children, sort_callers;

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct hist_entry *a = pa, *b = pb;
	int c;

	if (sort_children && (c = cmp_u64(b->children, a->children)))
		return c;
	/* perf puts a caller above its callee when their children tie. */
	if (sort_children && sort_callers && (c = cmp_u64(a->depth, b->depth)))
		return c;
	if ((c = cmp_u64(b->self, a->self)))
		return c;
	for (size_t i = 0; i < sort_hist->opts.n_keys; i++)
		if ((c = sort_hist->opts.keys[i]->cmp(&a->key, &b->key)))
			return c;
	return 0;
}

int hist_sort(struct hist *h, bool by_children, bool callers_first)
{
	/* The threshold exactly as the printer computes it (output-stdio.c). */
	uint64_t min_hit = (uint64_t)((double)h->total * (h->opts.min_percent / 100.0));
	int err;

	sigs_clear(h);
	/* Entry indices are the graph's: grow it before the entries move. */
	err = hist_graph_build(&h->graph, &h->cc, h->v, h->n, min_hit, &h->why);
	hist_graph_release(&h->graph);
	if (err)
		return err;
	/* The hash index refers to positions: it is useless from here on. */
	hashtab_release(&h->index);
	sort_hist = h;
	sort_children = by_children;
	sort_callers = callers_first;
	if (h->n)
		qsort(h->v, h->n, sizeof(*h->v), entry_cmp);
	sort_hist = NULL;
	return 0;
}
