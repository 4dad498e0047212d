/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Samples by function and address for annotate.  A sample counts for the
 * function its leaf is in, at the leaf's address: perf annotate's "self"
 * samples.  The function's code is looked up once all are read, as a
 * rotated recording's pieces may each carry it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/annotate.h"

void annotate_init(struct annotate *a)
{
	memset(a, 0, sizeof(*a));
}

void annotate_release(struct annotate *a)
{
	for (size_t i = 0; i < a->n; i++)
		u64map_release(&a->funcs[i]->at);
	free(a->funcs);
	u64map_release(&a->by_name);
	arena_release(&a->mem);
	memset(a, 0, sizeof(*a));
}

static struct ann_func *func_of(struct annotate *a, const struct sess_frame *f)
{
	struct ann_func *head = u64map_get(&a->by_name, (uintptr_t)f->sym), *fn;
	uint64_t start = f->addr - f->sym_off;

	for (fn = head; fn; fn = fn->next)
		if (fn->dso == f->dso && fn->start == start)
			return fn;
	if (a->n >= ANN_MAX_FUNCS)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		struct ann_func **n = realloc(a->funcs, cap * sizeof(*n));

		if (!n)
			return (void *)-1;
		a->funcs = n;
		a->cap = cap;
	}
	if (!(fn = arena_alloc(&a->mem, sizeof(*fn), 8)))
		return (void *)-1;
	memset(fn, 0, sizeof(*fn));
	fn->dso = f->dso;
	fn->name = f->sym;
	fn->start = start;
	fn->next = head;
	if (u64map_put(&a->by_name, (uintptr_t)f->sym, fn))
		return (void *)-1;
	a->funcs[a->n++] = fn;
	return fn;
}

int annotate_add(struct annotate *a, struct session *s, const struct df_sample *smp)
{
	const struct sess_stack *st = session_stack(s, smp->stack_id);
	struct ann_func *fn;
	struct sess_frame f;
	uint64_t *w, off;
	int err;

	a->total += smp->weight;
	if (!st || st->n_kernel || !st->n_user) {
		a->kernel += st && st->n_kernel ? smp->weight : 0;
		a->unresolved += st && st->n_kernel ? 0 : smp->weight;
		return 0;
	}
	err = session_resolve(s, smp->pid, st->ips[0], false, &f);
	if (err)
		return err;
	if (!f.sym || !f.mapped) {
		a->unresolved += smp->weight;
		return 0;
	}
	fn = func_of(a, &f);
	if (fn == (void *)-1)
		return -ENOMEM;
	if (!fn) {
		a->over += smp->weight;
		return 0;
	}
	fn->weight += smp->weight;
	off = f.sym_off;
	if (!(w = u64map_get(&fn->at, off))) {
		if (!(w = arena_alloc(&a->mem, sizeof(*w), 8)))
			return -ENOMEM;
		*w = 0;
		if (u64map_put(&fn->at, off, w))
			return -ENOMEM;
	}
	*w += smp->weight;
	return 0;
}

static int by_weight(const void *pa, const void *pb)
{
	const struct ann_func *a = *(struct ann_func *const *)pa;
	const struct ann_func *b = *(struct ann_func *const *)pb;
	int c;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return a->start < b->start ? -1 : a->start > b->start;
}

int annotate_sort(struct annotate *a)
{
	for (size_t i = 0; i < a->n; i++)
		a->funcs[i]->code = session_code(a->funcs[i]->dso, a->funcs[i]->start);
	if (a->n)
		qsort(a->funcs, a->n, sizeof(*a->funcs), by_weight);
	return 0;
}

uint64_t annotate_weight(const struct ann_func *f, uint64_t off, uint64_t len)
{
	uint64_t sum = 0;
	const uint64_t *w;

	if (!f->at.n)
		return 0;
	for (uint64_t i = 0; i < len; i++)
		if ((w = u64map_get(&f->at, off + i)))
			sum += *w;
	return sum;
}
