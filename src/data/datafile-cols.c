/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Version 2.0's codings (ebpf-tool-data(5)).  A profile's distinct stacks
 * mostly differ from one seen before only near the leaf, and its samples
 * come from a few CPUs at a steady period: coding a stack as "the outer
 * frames of that one, and these", and each field of the samples in a
 * column of its own, against the same CPU's previous sample, leaves zlib
 * much less to do, so the file is smaller and written with less CPU.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "data/datafile-cols.h"

/* ---- a small table ------------------------------------------------------ */

static uint64_t mix(uint64_t v)
{
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ull;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebull;
	v ^= v >> 31;
	return v;
}

static void *tab_get(const struct df_tab *t, uint64_t key)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = mix(key) & (t->cap - 1); t->vals[i]; i = (i + 1) & (t->cap - 1))
		if (t->keys[i] == key)
			return t->vals[i];
	return NULL;
}

static void tab_set(struct df_tab *t, uint64_t key, void *val)
{
	size_t i;

	for (i = mix(key) & (t->cap - 1); t->vals[i]; i = (i + 1) & (t->cap - 1))
		if (t->keys[i] == key)
			break;
	if (!t->vals[i])
		t->n++;
	t->keys[i] = key;
	t->vals[i] = val;
}

static int tab_put(struct df_tab *t, uint64_t key, void *val)
{
	if ((t->n + 1) * 2 > t->cap) {
		struct df_tab old = *t;
		size_t cap = t->cap ? t->cap * 2 : 64;

		t->keys = malloc(cap * sizeof(*t->keys));
		t->vals = calloc(cap, sizeof(*t->vals));
		if (!t->keys || !t->vals) {
			free(t->keys);
			free(t->vals);
			*t = old;
			return -ENOMEM;
		}
		t->cap = cap;
		t->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.vals[i])
				tab_set(t, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	tab_set(t, key, val);
	return 0;
}

static void tab_release(struct df_tab *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

/* ---- stacks ------------------------------------------------------------- */

/* Marks an id whose latest definition is not held: it cannot be a base. */
static struct df_held unheld;

/* Held stacks come from chunks: one malloc for many stacks, not one each. */
#define CHUNK_BYTES	(256u << 10)

struct df_chunk {
	struct df_chunk *next;
	uint64_t mem[];
};

static struct df_held *held_alloc(struct df_stackset *s, unsigned int n)
{
	size_t need = sizeof(struct df_held) + n * sizeof(uint64_t);
	struct df_held *h;

	need = (need + 7) & ~(size_t)7;
	if (!s->chunks || s->chunk_used + need > CHUNK_BYTES) {
		struct df_chunk *c = malloc(sizeof(*c) + CHUNK_BYTES);

		if (!c)
			return NULL;
		c->next = s->chunks;
		s->chunks = c;
		s->chunk_used = 0;
	}
	h = (struct df_held *)((char *)s->chunks->mem + s->chunk_used);
	s->chunk_used += need;
	return h;
}

void df_stackset_block(struct df_stackset *s)
{
	int writer = s->writer;

	s->next_id = 0;
	/* Full: start afresh, so that the stacks to come find bases again. */
	if (s->full) {
		df_stackset_release(s);
		s->writer = writer;
	}
}

void df_stackset_release(struct df_stackset *s)
{
	while (s->chunks) {
		struct df_chunk *c = s->chunks;

		s->chunks = c->next;
		free(c);
	}
	s->chunk_used = 0;
	tab_release(&s->ids);
	tab_release(&s->suffix);
	s->frames = 0;
	s->full = 0;
}

/* hs[L] for L = 1..n: a hash of the outermost L frames and of L. */
static void suffix_hashes(const uint64_t *ips, unsigned int n, uint64_t *hs)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (unsigned int l = 1; l <= n; l++) {
		h = mix(h ^ ips[n - l]) + l;
		hs[l] = h;
	}
}

/* The same rule on both sides: see DF_MAX_HELD_FRAMES. */
static int hold(struct df_stackset *s, uint32_t id, const uint64_t *ips,
		unsigned int nk, unsigned int n, const uint64_t *hs)
{
	struct df_held *h = tab_get(&s->ids, (uint64_t)id + 1);
	int err;

	if (h && h != &unheld)
		h->stale = 1;

	/* A stack counts one more than its frames: empty ones cost too. */
	if (s->frames + n + 1 > DF_MAX_HELD_FRAMES) {
		s->full = 1;
		return tab_get(&s->ids, (uint64_t)id + 1) ?
		       tab_put(&s->ids, (uint64_t)id + 1, &unheld) : 0;
	}
	h = held_alloc(s, n);
	if (!h)
		return -ENOMEM;
	h->stale = 0;
	h->id = id;
	h->nk = (uint16_t)nk;
	h->n = (uint16_t)n;
	if (n)
		memcpy(h->ips, ips, n * sizeof(ips[0]));
	s->frames += n + 1;
	err = tab_put(&s->ids, (uint64_t)id + 1, h);
	/*
	 * The writer's index of outer frames: every suffix leads to the
	 * newest stack that has it, whose id is the nearest, so the cheapest
	 * to name as a base.  One entry per distinct suffix, at most one per
	 * frame held.
	 */
	for (unsigned int l = 1; !err && s->writer && l <= n; l++)
		err = tab_put(&s->suffix, hs[l], h);
	return err;
}

/* The held stack sharing the most outer frames with ips, and how many. */
/* The held stack under the hash of ips' outer l frames, if they match. */
static const struct df_held *base_at(const struct df_stackset *s, uint32_t id,
				     const uint64_t *ips, unsigned int n,
				     const uint64_t *hs, unsigned int l)
{
	const struct df_held *h = tab_get(&s->suffix, hs[l]);

	/* A redefined id's old frames are no base any more. */
	if (!h || h->stale || h->id == id || h->n < l ||
	    memcmp(h->ips + h->n - l, ips + n - l, l * sizeof(ips[0])))
		return NULL;
	return h;
}

/*
 * The held stack sharing the most outer frames with ips, and how many.
 * Mostly the leaf alone differs: n - 1 is tried first.  Since a stack
 * sharing l outer frames shares every shorter suffix too, the rest is a
 * binary search: a few probes of a large table, not one per frame.
 */
static const struct df_held *best_base(const struct df_stackset *s, uint32_t id,
				       const uint64_t *ips, unsigned int n,
				       const uint64_t *hs, unsigned int *shared)
{
	const struct df_held *b = NULL, *c;
	unsigned int lo = 0, hi;

	if (!n)
		return NULL;
	if ((b = base_at(s, id, ips, n, hs, n))) {
		*shared = n;
		return b;
	}
	if (n > 1 && (b = base_at(s, id, ips, n, hs, n - 1))) {
		*shared = n - 1;
		return b;
	}
	for (hi = n > 1 ? n - 2 : 0; lo < hi;) {
		unsigned int mid = lo + (hi - lo + 1) / 2;

		if ((c = base_at(s, id, ips, n, hs, mid))) {
			lo = mid;
			b = c;
		} else {
			hi = mid - 1;
		}
	}
	*shared = lo;
	return b;
}

/* Where the frame delta coding starts: the frame the new ones replace. */
static uint64_t origin(const struct df_held *b, unsigned int shared)
{
	if (!b || !b->n)
		return 0;
	return b->n > shared ? b->ips[b->n - shared - 1] : b->ips[0];
}

/*
 * With a base, the counts are coded against it: mostly one frame, the
 * leaf, replaces one of the base's, in a stack of as many kernel frames.
 */
int df_stack2_encode(struct df_stackset *s, uint32_t id, const uint64_t *ips,
		     uint16_t nk, uint16_t nu, uint8_t *buf, size_t *len)
{
	unsigned int n = (unsigned int)nk + nu, shared = 0;
	uint64_t hs[DF_MAX_FRAMES + 1], prev;
	const struct df_held *b;
	uint8_t *p = buf;

	s->writer = 1;
	suffix_hashes(ips, n, hs);
	b = best_base(s, id, ips, n, hs, &shared);
	p += df_put_varint(p, df_zigzag((int64_t)id - (int64_t)s->next_id));
	s->next_id = (uint64_t)id + 1;
	p += df_put_varint(p, b ? df_zigzag((int64_t)id - (int64_t)b->id) : 0);
	if (b) {
		p += df_put_varint(p, b->n - shared);
		p += df_put_varint(p, n - shared);
		p += df_put_varint(p, df_zigzag((int64_t)nk - b->nk));
	} else {
		p += df_put_varint(p, nk);
		p += df_put_varint(p, nu);
	}
	prev = origin(b, shared);
	for (unsigned int i = 0; i < n - shared; i++) {
		p += df_put_varint(p, df_zigzag((int64_t)(ips[i] - prev)));
		prev = ips[i];
	}
	*len = (size_t)(p - buf);
	s->has_last = b != NULL;
	if (b)
		s->last = (struct df_stack_base){ b->id, b->nk, b->n, (uint16_t)shared };
	return hold(s, id, ips, nk, n, hs);
}

int df_stack2_last_base(const struct df_stackset *s, struct df_stack_base *b)
{
	if (!s->has_last)
		return -ENOENT;
	*b = s->last;
	return 0;
}

int df_stack2_decode(struct df_stackset *s, struct df_cur *c, uint32_t *id,
		     uint64_t *ips, uint16_t *nk, uint16_t *nu)
{
	int64_t sid = (int64_t)s->next_id + df_unzigzag(df_cur_u64(c));
	uint64_t bd = df_cur_u64(c), k = 0, n = 0, shared = 0, prev, base_id;
	const struct df_held *b = NULL;
	unsigned int i;

	if (!c->err && (sid < 0 || sid > (int64_t)UINT32_MAX))
		df_cur_fail(c, DF_E_RANGE);
	*id = (uint32_t)sid;
	s->next_id = (uint64_t)*id + 1;
	if (!c->err && bd) {
		uint64_t dropped, added;
		int64_t dk;

		base_id = (uint64_t)*id - (uint64_t)df_unzigzag(bd);
		b = base_id <= UINT32_MAX ? tab_get(&s->ids, base_id + 1) : NULL;
		if (!b || b == &unheld)
			df_cur_fail(c, DF_E_BASE);
		dropped = df_cur_u64(c);
		added = df_cur_u64(c);
		dk = df_unzigzag(df_cur_u64(c));
		if (!c->err && (dropped > b->n || added > DF_MAX_FRAMES))
			df_cur_fail(c, DF_E_FRAMES);
		if (!c->err) {
			shared = b->n - dropped;
			n = added + shared;
			k = (uint64_t)((int64_t)b->nk + dk);
			if (n > DF_MAX_FRAMES)
				df_cur_fail(c, DF_E_FRAMES);
			else if (dk < -(int64_t)b->nk || k > n)
				df_cur_fail(c, DF_E_RANGE);
		}
	} else if (!c->err) {
		k = df_cur_u64(c);
		n = df_cur_u64(c);
		if (!c->err && (k > DF_MAX_FRAMES || n > DF_MAX_FRAMES - k))
			df_cur_fail(c, DF_E_FRAMES);
		n += k;
	}
	if (c->err)
		return c->err;
	prev = origin(b, (unsigned int)shared);
	for (i = 0; !c->err && i < n - shared; i++) {
		prev += (uint64_t)df_unzigzag(df_cur_u64(c));
		ips[i] = prev;
	}
	if (c->err)
		return c->err;
	if (shared)
		memcpy(ips + i, b->ips + b->n - shared, shared * sizeof(ips[0]));
	*nk = (uint16_t)k;
	*nu = (uint16_t)(n - k);
	return hold(s, *id, ips, (unsigned int)k, (unsigned int)n, NULL) ? DF_E_NOMEM : 0;
}

/* ---- sample columns ----------------------------------------------------- */

void df_colenc_clear(struct df_colenc *e)
{
	for (int i = 0; i < DF_NCOLS; i++)
		e->len[i] = 0;
	e->n = 0;
	e->min_stack = UINT32_MAX;
	e->max_stack = 0;
	memset(e->tasks, 0, sizeof(e->tasks));
}

static unsigned int task_bit(uint32_t id)
{
	return (unsigned int)(mix(id) >> 56);
}

int df_colenc_has_task(const struct df_colenc *e, uint32_t id)
{
	unsigned int b = task_bit(id);

	return e->n && (e->tasks[b / 64] >> (b % 64) & 1);
}

void df_colenc_reset(struct df_colenc *e)
{
	df_colenc_clear(e);
	memset(&e->st, 0, sizeof(e->st));
}

void df_colenc_release(struct df_colenc *e)
{
	for (int i = 0; i < DF_NCOLS; i++) {
		free(e->col[i]);
		e->col[i] = NULL;
		e->cap[i] = 0;
	}
	df_colenc_reset(e);
}

size_t df_colenc_size(const struct df_colenc *e)
{
	size_t n = 2 * DF_VARINT_MAX;

	for (int i = 0; i < DF_NCOLS; i++)
		n += DF_VARINT_MAX + e->len[i];
	return n;
}

/* Room for one more value of up to three varints in column i. */
static uint8_t *col_room(struct df_colenc *e, int i)
{
	if (e->len[i] + 3 * DF_VARINT_MAX > e->cap[i]) {
		size_t cap = e->cap[i] ? e->cap[i] * 2 : 4096;
		uint8_t *p = realloc(e->col[i], cap);

		if (!p)
			return NULL;
		e->col[i] = p;
		e->cap[i] = cap;
	}
	return e->col[i] + e->len[i];
}

int df_colenc_add(struct df_colenc *e, const struct df_sample *s)
{
	struct df_colstate *st = &e->st;
	unsigned int k = s->cpu % DF_CPU_SLOTS;
	uint64_t pred = st->seen[k] ? st->slot_time[k] + e->period : st->prev_time;
	uint8_t *p[DF_NCOLS];

	for (int i = 0; i < DF_NCOLS; i++)
		if (!(p[i] = col_room(e, i)))
			return -ENOMEM;
	e->len[DF_COL_TIME] += df_put_varint(p[DF_COL_TIME],
					     df_zigzag((int64_t)(s->time_ns - pred)));
	e->len[DF_COL_CPU] += df_put_varint(p[DF_COL_CPU], s->cpu);
	if (st->slot[k].pid == s->pid && st->slot[k].tid == s->tid) {
		*p[DF_COL_TASK] = 0;
		e->len[DF_COL_TASK]++;
	} else {
		uint8_t *q = p[DF_COL_TASK];

		*q++ = 1;
		q += df_put_varint(q, s->pid);
		q += df_put_varint(q, df_zigzag((int64_t)s->tid - s->pid));
		e->len[DF_COL_TASK] += (size_t)(q - p[DF_COL_TASK]);
	}
	if (s->stack_id == DF_STACK_NONE) {
		*p[DF_COL_STACK] = 0;
		e->len[DF_COL_STACK]++;
	} else {
		e->len[DF_COL_STACK] += df_put_varint(p[DF_COL_STACK],
			1 + df_zigzag((int64_t)s->stack_id - (int64_t)st->next_stack));
		if (s->stack_id >= st->next_stack)
			st->next_stack = (uint64_t)s->stack_id + 1;
		if (s->stack_id < e->min_stack)
			e->min_stack = s->stack_id;
		if (s->stack_id > e->max_stack)
			e->max_stack = s->stack_id;
	}
	e->len[DF_COL_WEIGHT] += df_put_varint(p[DF_COL_WEIGHT], s->weight);
	e->tasks[task_bit(s->pid) / 64] |= 1ull << (task_bit(s->pid) % 64);
	e->tasks[task_bit(s->tid) / 64] |= 1ull << (task_bit(s->tid) % 64);
	st->prev_time = s->time_ns;
	st->slot_time[k] = s->time_ns;
	st->seen[k] = 1;
	st->slot[k].pid = s->pid;
	st->slot[k].tid = s->tid;
	e->n++;
	return 0;
}

size_t df_colenc_payload(const struct df_colenc *e, uint8_t *out)
{
	uint8_t *p = out;

	p += df_put_varint(p, e->n);
	p += df_put_varint(p, e->period);
	for (int i = 0; i < DF_NCOLS; i++) {
		p += df_put_varint(p, e->len[i]);
		memcpy(p, e->col[i], e->len[i]);
		p += e->len[i];
	}
	return (size_t)(p - out);
}

int df_cols_decode(struct df_colstate *st, struct df_cur *c, df_sample_fn fn,
		   void *arg)
{
	uint64_t n = df_cur_u64(c), period = df_cur_u64(c), i;
	struct df_cur col[DF_NCOLS];
	struct df_sample s = { 0 };
	int rc;

	for (i = 0; i < DF_NCOLS; i++) {
		size_t len;

		col[i].p = df_cur_bytes(c, DF_MAX_BLOCK, DF_E_TRUNC, &len);
		col[i].left = len;
		col[i].err = 0;
		/* Every value takes a byte at least: n is bounded by the data. */
		if (!c->err && n > len)
			df_cur_fail(c, DF_E_COLUMN);
	}
	if (c->err)
		return c->err;
	for (i = 0; i < n; i++) {
		struct df_cur *t = &col[DF_COL_TASK], *k = &col[DF_COL_STACK];
		unsigned int slot;
		uint64_t v, pred;

		v = df_cur_u64(&col[DF_COL_TIME]);
		s.cpu = df_cur_u32(&col[DF_COL_CPU]);
		slot = s.cpu % DF_CPU_SLOTS;
		pred = st->seen[slot] ? st->slot_time[slot] + period : st->prev_time;
		/* Modulo 2^64, as every difference of the format. */
		s.time_ns = pred + (uint64_t)df_unzigzag(v);
		v = df_cur_u64(t);
		s.pid = st->slot[slot].pid;
		s.tid = st->slot[slot].tid;
		if (v == 1) {
			int64_t d;

			s.pid = df_cur_u32(t);
			d = df_unzigzag(df_cur_u64(t));
			if (d < -(int64_t)s.pid || d > (int64_t)(UINT32_MAX - s.pid))
				df_cur_fail(t, DF_E_RANGE);
			s.tid = (uint32_t)(s.pid + d);
		} else if (v) {
			df_cur_fail(t, DF_E_RANGE);
		}
		v = df_cur_u64(k);
		s.stack_id = DF_STACK_NONE;
		if (v) {
			int64_t id = (int64_t)st->next_stack + df_unzigzag(v - 1);

			if (id < 0 || id >= (int64_t)DF_STACK_NONE)
				df_cur_fail(k, DF_E_RANGE);
			else
				s.stack_id = (uint32_t)id;
			if (s.stack_id != DF_STACK_NONE && s.stack_id >= st->next_stack)
				st->next_stack = (uint64_t)s.stack_id + 1;
		}
		s.weight = df_cur_u64(&col[DF_COL_WEIGHT]);
		for (int j = 0; j < DF_NCOLS; j++)
			if (col[j].err)
				return col[j].err;
		st->prev_time = s.time_ns;
		st->slot_time[slot] = s.time_ns;
		st->seen[slot] = 1;
		st->slot[slot].pid = s.pid;
		st->slot[slot].tid = s.tid;
		rc = fn(arg, &s);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < DF_NCOLS; i++)
		if (col[i].left)
			return DF_E_COLUMN;
	return 0;
}
