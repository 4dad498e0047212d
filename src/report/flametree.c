/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/flametree.h"
#include "lib/hash.h"
#include "lib/util.h"

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
	hashtab_release(&t->children);
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

struct child_key {
	uint32_t parent, flags;
	const char *name;
};

static bool child_is(const void *ctx, uint32_t idx, const void *key)
{
	const struct child_key *c = key;

	return key_is(&((const struct flametree *)ctx)->nodes[idx], c->parent, c->name,
		      c->flags);
}

static int64_t node_new(struct flametree *t, uint32_t parent, const char *name,
			uint32_t flags)
{
	struct ft_node *n, *p;

	if (t->n >= FT_MAX_NODES)
		return -E2BIG;
	if (t->n == t->cap &&
	    grow_array((void **)&t->nodes, &t->cap, t->n + 1, sizeof(*t->nodes)))
		return -ENOMEM;
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
	struct child_key key = { parent, flags, name };
	uint64_t hash;
	int64_t idx;

	/* Each command keeps one chart: only below it is time kept apart. */
	if (t->chart && parent)
		return last && key_is(&t->nodes[last], parent, name, flags) ? last :
		       node_new(t, parent, name, flags);
	hash = key_hash(parent, name, flags);
	idx = hashtab_find(&t->children, hash, &key, child_is, t);
	if (idx >= 0)
		return idx;
	idx = node_new(t, parent, name, flags);
	if (idx > 0 && hashtab_insert(&t->children, hash, (uint32_t)idx))
		return -ENOMEM;
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
		if (path[i].file && !t->nodes[at].file) {
			t->nodes[at].file = strpool_intern(&t->pool, path[i].file);
			t->nodes[at].line = path[i].line;
		}
	}
	t->nodes[at].self[profile] += weight;
	return at;
}

size_t flametree_path(const struct sw_sample *ss, struct ft_frame *path)
{
	const struct sw_stack *st = ss->stack;
	size_t n = 0;

	path[n++] = (struct ft_frame){ ss->comm, FT_COMM, NULL, 0 };
	for (uint32_t i = st->n; i-- > 0;) {
		const struct sw_frame *f = &st->f[i];

		path[n++] = (struct ft_frame){
			f->name, (f->kernel ? FT_KERNEL : 0) | (f->inlined ? FT_INLINED : 0),
			f->src ? f->src->file : NULL, f->src ? f->src->decl_line : 0 };
	}
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
			if (grow_array((void **)&kids, &cap, k + 1, sizeof(*kids))) {
				free(kids);
				return -ENOMEM;
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
