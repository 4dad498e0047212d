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

static const char *const key_names[HK__COUNT] = {
	[HK_COMM] = "comm", [HK_PID] = "pid", [HK_TID] = "tid",
	[HK_DSO] = "dso", [HK_SYM] = "sym", [HK_CPU] = "cpu",
};

const char *hist_key_name(enum hist_key k)
{
	return k < HK__COUNT ? key_names[k] : "?";
}

static int key_of(const char *w, size_t len, enum hist_key *k)
{
	for (int i = 0; i < HK__COUNT; i++) {
		if (strlen(key_names[i]) == len && !strncmp(w, key_names[i], len)) {
			*k = (enum hist_key)i;
			return 0;
		}
	}
	/* perf's own spelling. */
	if (len == 6 && !strncmp(w, "symbol", 6)) {
		*k = HK_SYM;
		return 0;
	}
	return -EINVAL;
}

int hist_parse_keys(const char *arg, enum hist_key *keys, size_t *n,
		    const char **bad)
{
	static char word[64];
	const char *s = arg;
	enum hist_key k;

	*n = 0;
	for (;;) {
		size_t len = strcspn(s, ","), i;

		snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), s);
		*bad = word;
		if (key_of(s, len, &k))
			return -EINVAL;
		/* A repeated key adds nothing: keep the first. */
		for (i = 0; i < *n && keys[i] != k; i++)
			;
		if (i == *n)
			keys[(*n)++] = k;
		s += len;
		if (!*s)
			return 0;
		s++;
	}
}

static void sigs_clear(struct hist *h);

int hist_init(struct hist *h, const struct hist_opts *o)
{
	memset(h, 0, sizeof(*h));
	h->opts = *o;
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

/* ---- filters ------------------------------------------------------------ */

static bool has_id(const uint32_t *v, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

static bool has_name(const struct hist_names *l, const char *a, const char *b)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], a) || (b && !strcmp(l->v[i], b)))
			return true;
	return false;
}

bool hist_sample_wanted(const struct hist_filter *f, const char *comm,
			  const struct df_sample *smp)
{
	if (f->comms.n && !has_name(&f->comms, comm, NULL))
		return false;
	if (f->n_pids && !has_id(f->pids, f->n_pids, smp->pid))
		return false;
	if (f->n_tids && !has_id(f->tids, f->n_tids, smp->tid))
		return false;
	return !f->cpus || cpuset_has(f->cpus, (int)smp->cpu);
}

bool hist_frame_wanted(const struct hist_filter *f, const struct sess_frame *fr)
{
	if (f->dsos.n && !has_name(&f->dsos, fr->dso->name, fr->dso->path))
		return false;
	return !f->syms.n || has_name(&f->syms, fr->label, NULL);
}

/* ---- entries ------------------------------------------------------------ */

static void make_key(const struct hist *h, const char *comm,
		     const struct df_sample *smp, const struct sess_frame *fr,
		     struct hist_entry *e)
{
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < h->opts.n_keys; i++) {
		switch (h->opts.keys[i]) {
		case HK_COMM: e->comm = comm; break;
		case HK_PID: e->pid = smp->pid; break;
		case HK_TID: e->tid = smp->tid; break;
		case HK_CPU: e->cpu = smp->cpu; break;
		case HK_DSO: e->dso = fr->dso; break;
		case HK_SYM:
			e->sym = fr->label;
			e->dso = fr->dso;	/* "main" of two programs differs */
			break;
		default: break;
		}
	}
	e->kernel = (e->dso || e->sym) && fr->kernel;
}

static uint64_t entry_hash(const struct hist_entry *e)
{
	uint64_t x = hash_u64((uintptr_t)e->comm);

	x = hash_u64(x ^ ((uint64_t)e->pid << 32 | e->tid));
	x = hash_u64(x ^ ((uint64_t)e->cpu << 1 | e->kernel));
	x = hash_u64(x ^ (uintptr_t)e->dso);
	return hash_u64(x ^ (uintptr_t)e->sym);
}

static bool same_key(const void *ctx, uint32_t idx, const void *key)
{
	const struct hist_entry *a = &((const struct hist *)ctx)->v[idx], *b = key;

	return a->comm == b->comm && a->pid == b->pid && a->tid == b->tid &&
	       a->cpu == b->cpu && a->dso == b->dso && a->sym == b->sym &&
	       a->kernel == b->kernel;
}

static int entry_append(struct hist *h, const struct hist_entry *k)
{
	if (h->n >= HIST_MAX_ENTRIES) {
		h->why = "too many report entries (more than 16777216): "
			 "sort by fewer keys or filter";
		return -E2BIG;
	}
	if (grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v)))
		return -ENOMEM;
	h->v[h->n] = *k;
	h->v[h->n].depth = UINT32_MAX;
	return (int)h->n++;
}

/* The index of the entry with k's key, created if new; or -errno. */
static int entry_get(struct hist *h, struct session *s, const struct hist_entry *k)
{
	uint64_t hash = entry_hash(k);
	int64_t found = hashtab_find(&h->index, hash, k, same_key, h);
	int idx;

	if (found >= 0)
		return (int)found;
	idx = entry_append(h, k);
	if (idx < 0)
		return idx;
	if (hashtab_insert(&h->index, hash, (uint32_t)idx))
		return -ENOMEM;
	if (k->pid)
		h->v[idx].pid_comm = session_comm(s, k->pid);
	if (k->tid)
		h->v[idx].tid_comm = session_comm(s, k->tid);
	if ((k->pid && !h->v[idx].pid_comm) || (k->tid && !h->v[idx].tid_comm))
		return -ENOMEM;
	return idx;
}

/* ---- samples ------------------------------------------------------------ */

/*
 * What a sample adds, worked out once per signature (stack, pid, and the
 * thread, CPU and comm when they are sort keys) and replayed for every
 * later sample with the same signature: resolving and walking a deep
 * stack costs hundreds of random memory accesses, replaying it a few.
 */
struct credit {
	uint32_t entry;
	uint32_t depth;		/* frames from the root */
};

struct sig {
	uint32_t stack_id, pid, tid, cpu;
	const char *comm;
	uint64_t gen;		/* the session's generation it was made in */
	int32_t self;		/* the leaf's entry, -1 if filtered */
	int64_t graph;		/* its stack in h->graph, -1 if none */
	uint8_t stop;		/* enum df_unwind_stop, 0: a whole user stack */
	uint32_t n;
	struct credit c[];	/* Children credits, each entry once */
};

static void sig_key(const struct hist *h, const struct df_sample *smp,
		    const char *comm, struct sig *k)
{
	memset(k, 0, sizeof(*k));
	k->stack_id = smp->stack_id;
	k->pid = smp->pid;
	for (size_t i = 0; i < h->opts.n_keys; i++) {
		if (h->opts.keys[i] == HK_TID)
			k->tid = smp->tid;
		else if (h->opts.keys[i] == HK_CPU)
			k->cpu = smp->cpu;
		else if (h->opts.keys[i] == HK_COMM)
			k->comm = comm;
	}
}

static uint64_t sig_hash(const struct sig *k)
{
	uint64_t x = hash_u64((uint64_t)k->stack_id << 32 | k->pid);

	x = hash_u64(x ^ ((uint64_t)k->tid << 32 | k->cpu));
	return hash_u64(x ^ (uintptr_t)k->comm);
}

static bool sig_same(const struct sig *a, const struct sig *b)
{
	return a->stack_id == b->stack_id && a->pid == b->pid &&
	       a->tid == b->tid && a->cpu == b->cpu && a->comm == b->comm;
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

/* The frames of the sample, leaf first, as many as will be used. */
static int resolve_frames(struct hist *h, struct session *s,
			  const struct df_sample *smp, size_t *n)
{
	const struct sess_stack *st = smp->stack_id == DF_STACK_NONE ? NULL :
				      session_stack(s, smp->stack_id);
	size_t total = st ? (size_t)st->n_kernel + st->n_user : 0;
	int err;

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
		err = session_resolve(s, smp->pid, st->ips[i], i < st->n_kernel,
				      &h->frames[i]);
		if (err)
			return err;
	}
	*n = total;
	return 0;
}

/* Frame i of the display order: root first for caller order. */
static size_t display(const struct hist *h, size_t i, size_t n)
{
	return h->opts.caller ? n - 1 - i : i;
}

static int key_frames(struct hist *h, struct session *s, const char *comm,
		      const struct df_sample *smp, size_t n)
{
	struct hist_entry k;
	int idx;

	for (size_t i = 0; i < n; i++) {
		const struct sess_frame *fr = &h->frames[i];
		size_t d = display(h, i, n);

		h->path[d].name = fr->chain;
		h->path[d].dso = fr->dso;
		h->idx[i] = 0;
		/* Without children only the leaf has an entry to credit. */
		if ((i && !h->opts.children) || !hist_frame_wanted(&h->opts.filter, fr))
			continue;
		make_key(h, comm, smp, fr, &k);
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

static int sig_make(struct hist *h, struct session *s, const struct df_sample *smp,
		    const char *comm, struct sig **out)
{
	struct sig *g = h->sig_scratch;
	size_t n, n_jobs = 0;
	int err;

	if (!g) {
		g = h->sig_scratch = malloc(sizeof(*g) + DF_MAX_FRAMES * sizeof(g->c[0]));
		if (!g)
			return -ENOMEM;
	}
	sig_key(h, smp, comm, g);
	g->gen = session_generation(s);
	g->graph = -1;
	g->stop = stack_stop(s, smp);
	err = resolve_frames(h, s, smp, &n);
	err = err ?: key_frames(h, s, comm, smp, n);
	g->self = (int32_t)h->idx[0] - 1;
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

static void sig_apply(struct hist *h, const struct sig *g, uint64_t w)
{
	if (g->self >= 0) {
		h->v[g->self].self += w;
		h->v[g->self].nr_self++;
		h->total += w;
		h->nr_samples++;
		if (g->stop)
			h->unwind_stops[g->stop - 1]++;
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
	const char *comm = session_comm(s, smp->tid);
	struct sig key, *g;
	uint64_t hash;
	int err;

	if (!comm)
		return -ENOMEM;
	if (!hist_sample_wanted(&h->opts.filter, comm, smp)) {
		h->nr_filtered++;
		return 0;
	}
	sig_key(h, smp, comm, &key);
	hash = sig_hash(&key);
	g = u64map_get(&h->sigs, hash);
	if (!g || !sig_same(g, &key) || g->gen != session_generation(s)) {
		err = sig_make(h, s, smp, comm, &g);
		if (!err) {
			sig_apply(h, g, smp->weight);
			return sig_store(h, hash, g);
		}
		return err;
	}
	sig_apply(h, g, smp->weight);
	return 0;
}

/* ---- sorting ------------------------------------------------------------ */

static const struct hist *sort_hist;
static bool sort_children, sort_callers;

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int key_cmp(const struct hist_entry *a, const struct hist_entry *b,
		   enum hist_key k)
{
	switch (k) {
	case HK_COMM: return strcmp(a->comm, b->comm);
	case HK_PID: return cmp_u64(a->pid, b->pid);
	case HK_TID: return cmp_u64(a->tid, b->tid);
	case HK_CPU: return cmp_u64(a->cpu, b->cpu);
	case HK_DSO: return strcmp(a->dso->name, b->dso->name);
	case HK_SYM: return strcmp(a->sym, b->sym);
	default: return 0;
	}
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
		if ((c = key_cmp(a, b, sort_hist->opts.keys[i])))
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
