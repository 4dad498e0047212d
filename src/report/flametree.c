/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/flametree.h"
#include "lib/hash.h"

int flametree_init(struct flametree *t, bool chart)
{
	memset(t, 0, sizeof(*t));
	t->chart = chart;
	t->cap = 1024;
	t->nodes = calloc(t->cap, sizeof(*t->nodes));
	if (!t->nodes)
		return -ENOMEM;
	t->nodes[0].name = strpool_intern(&t->pool, "all");
	if (!t->nodes[0].name) {
		flametree_release(t);
		return -ENOMEM;
	}
	t->n = 1;
	return 0;
}

void flametree_release(struct flametree *t)
{
	free(t->nodes);
	free(t->slots);
	strpool_release(&t->pool);
	memset(t, 0, sizeof(*t));
}

static uint64_t key_hash(uint32_t parent, const char *name, uint32_t flags)
{
	return hash_u64(hash_u64((uint64_t)parent << 8 | flags) ^ (uintptr_t)name);
}

static bool key_is(const struct ft_node *n, uint32_t parent, const char *name,
		   uint32_t flags)
{
	return n->parent == parent && n->name == name && n->flags == flags;
}

/* The slot of the child, or of the free slot where it would go. */
static size_t slot_find(const struct flametree *t, uint32_t parent,
			const char *name, uint32_t flags)
{
	size_t mask = t->cap_slots - 1;
	size_t i = key_hash(parent, name, flags) & mask;

	while (t->slots[i] && !key_is(&t->nodes[t->slots[i]], parent, name, flags))
		i = (i + 1) & mask;
	return i;
}

static int slots_grow(struct flametree *t)
{
	size_t cap = t->cap_slots ? 2 * t->cap_slots : 1024;
	uint32_t *old = t->slots;

	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -ENOMEM;
	}
	t->cap_slots = cap;
	for (size_t i = 1; i < t->n; i++) {
		const struct ft_node *n = &t->nodes[i];

		t->slots[slot_find(t, n->parent, n->name, n->flags)] = (uint32_t)i;
	}
	free(old);
	return 0;
}

static int64_t node_new(struct flametree *t, uint32_t parent, const char *name,
			uint32_t flags)
{
	struct ft_node *n, *p;

	if (t->n >= FT_MAX_NODES)
		return -E2BIG;
	if (t->n == t->cap) {
		struct ft_node *v = realloc(t->nodes, 2 * t->cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->nodes = v;
		t->cap *= 2;
	}
	n = &t->nodes[t->n];
	p = &t->nodes[parent];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->flags = flags;
	n->parent = parent;
	n->depth = p->depth + 1;
	if (p->last_child)
		t->nodes[p->last_child].next_sibling = (uint32_t)t->n;
	else
		p->first_child = (uint32_t)t->n;
	p->last_child = (uint32_t)t->n;
	if (n->depth > t->max_depth)
		t->max_depth = n->depth;
	return (int64_t)t->n++;
}

static int64_t child_of(struct flametree *t, uint32_t parent, const char *name,
			uint32_t flags)
{
	uint32_t last = t->nodes[parent].last_child;
	int64_t idx;
	size_t slot;

	/* Each command keeps one chart: only below it is time kept apart. */
	if (t->chart && parent)
		return last && key_is(&t->nodes[last], parent, name, flags) ? last :
		       node_new(t, parent, name, flags);
	if ((t->n + 1) * 2 > t->cap_slots && slots_grow(t))
		return -ENOMEM;
	slot = slot_find(t, parent, name, flags);
	if (t->slots[slot])
		return t->slots[slot];
	idx = node_new(t, parent, name, flags);
	if (idx > 0)
		t->slots[slot] = (uint32_t)idx;
	return idx;
}

int64_t flametree_add(struct flametree *t, const struct ft_frame *path, size_t n,
		      uint64_t weight, unsigned int profile)
{
	uint32_t at = 0;

	t->nodes[0].value[profile] += weight;
	for (size_t i = 0; i < n; i++) {
		const char *name = strpool_intern(&t->pool, path[i].name);
		int64_t next = name ? child_of(t, at, name, path[i].flags) : -ENOMEM;

		if (next < 0)
			return next;
		at = (uint32_t)next;
		t->nodes[at].value[profile] += weight;
	}
	t->nodes[at].self[profile] += weight;
	return at;
}

size_t flametree_path(const struct sw_sample *ss, struct ft_frame *path)
{
	const struct sw_stack *st = ss->stack;
	size_t n = 0;

	path[n++] = (struct ft_frame){ ss->comm, FT_COMM };
	for (uint32_t i = st->n; i-- > 0;)
		path[n++] = (struct ft_frame){ st->f[i].name,
					       st->f[i].kernel ? FT_KERNEL : 0 };
	return n;
}

static int node_cmp(const void *pa, const void *pb)
{
	const struct ft_node *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->flags > b->flags) - (a->flags < b->flags);
}

static struct flametree *sort_tree;

static int idx_cmp(const void *pa, const void *pb)
{
	const uint32_t *a = pa, *b = pb;

	return node_cmp(&sort_tree->nodes[*a], &sort_tree->nodes[*b]);
}

int flametree_sort(struct flametree *t)
{
	uint32_t *kids = NULL;
	size_t cap = 0;

	sort_tree = t;
	for (size_t i = 0; i < t->n; i++) {
		struct ft_node *p = &t->nodes[i];
		size_t k = 0;

		for (uint32_t c = p->first_child; c; c = t->nodes[c].next_sibling) {
			if (k == cap) {
				uint32_t *v = realloc(kids, (cap ? 2 * cap : 64) * sizeof(*v));

				if (!v) {
					free(kids);
					return -ENOMEM;
				}
				kids = v;
				cap = cap ? 2 * cap : 64;
			}
			kids[k++] = c;
		}
		if (k < 2)
			continue;
		qsort(kids, k, sizeof(*kids), idx_cmp);
		p->first_child = kids[0];
		p->last_child = kids[k - 1];
		for (size_t j = 0; j + 1 < k; j++)
			t->nodes[kids[j]].next_sibling = kids[j + 1];
		t->nodes[kids[k - 1]].next_sibling = 0;
	}
	free(kids);
	return 0;
}
