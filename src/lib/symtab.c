/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/bsearch.h"
#include "lib/symtab.h"
#include "lib/util.h"

void symtab_init(struct symtab *t, enum symtab_order order)
{
	memset(t, 0, sizeof(*t));
	t->order = order;
}

void symtab_release(struct symtab *t)
{
	free(t->v);
	symtab_init(t, t->order);
}

int symtab_add(struct symtab *t, const struct symtab_sym *sym)
{
	int err = grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));

	if (err)
		return err;
	t->v[t->n++] = *sym;
	return 0;
}

/* By start, the better alias first. */
static int cmp(const struct symtab *t, const struct symtab_sym *a,
	       const struct symtab_sym *b)
{
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (t->order == SYMTAB_BY_RANK)
		return (a->rank < b->rank) - (a->rank > b->rank);
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return strcmp(a->name, b->name);
}

/*
 * Stable, so that among equals the one added first stays first: that is
 * SYMTAB_BY_RANK's tie-break.  tmp holds n.
 */
static void sort(const struct symtab *t, struct symtab_sym *v, size_t n,
		 struct symtab_sym *tmp)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 16) {
		for (i = 1; i < n; i++) {
			struct symtab_sym x = v[i];

			for (j = i; j && cmp(t, &x, &v[j - 1]) < 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	sort(t, v, h, tmp);
	sort(t, v + h, n - h, tmp);
	if (cmp(t, &v[h - 1], &v[h]) <= 0)
		return;
	while (i < h && j < n)
		tmp[k++] = cmp(t, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	memcpy(v, tmp, k * sizeof(*v));
}

/* Keeps the first, the best, of each start. */
static size_t dedup(struct symtab_sym *v, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++)
		if (j == 0 || v[i].start != v[j - 1].start)
			v[j++] = v[i];
	return j;
}

int symtab_sort(struct symtab *t)
{
	size_t a = t->sorted, i = a, j, w, lo, end;
	struct symtab_sym *tmp;

	if (a == t->n)
		return 0;
	tmp = malloc((t->n - a) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	sort(t, t->v + a, t->n - a, tmp);
	j = dedup(t->v + a, t->n - a);
	memcpy(tmp, t->v + a, j * sizeof(*tmp));
	end = a + j;
	/*
	 * Merge from the back, the older part first on a tie (it was added
	 * first): what sorts below the new symbols does not move.
	 */
	for (w = end; j; )
		t->v[--w] = i && cmp(t, &t->v[i - 1], &tmp[j - 1]) > 0 ? t->v[--i] : tmp[--j];
	free(tmp);
	lo = i ? i - 1 : 0;
	t->n = t->sorted = lo + dedup(t->v + lo, end - lo);
	return 0;
}

size_t symtab_upto(const struct symtab *t, uint64_t addr)
{
	return UPPER_BOUND(t->v, t->sorted, start, addr);
}

const struct symtab_sym *symtab_find(const struct symtab *t, uint64_t addr, uint64_t guess)
{
	size_t i = symtab_upto(t, addr);
	const struct symtab_sym *sym = i ? &t->v[i - 1] : NULL;
	uint64_t end;

	if (!sym)
		return NULL;
	if (sym->size)
		end = sym->start + sym->size < sym->start ? UINT64_MAX : sym->start + sym->size;
	else if ((end = sym->start + guess) < sym->start)
		end = UINT64_MAX;
	if (!sym->size && i < t->sorted && t->v[i].start < end)
		end = t->v[i].start;
	return addr < end ? sym : NULL;
}

void symtab_trim(struct symtab *t)
{
	struct symtab_sym *v;

	if (t->n < t->cap && t->n && (v = realloc(t->v, t->n * sizeof(*v)))) {
		t->v = v;
		t->cap = t->n;
	}
}
