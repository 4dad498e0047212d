/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Call-graph tries (see callchain.h).  Children are found through one
 * hash table of (parent, frame) for all trees, so a node with thousands
 * of callees costs no more to extend than one with two.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/callchain.h"
#include "lib/hash.h"
#include "lib/util.h"

void cc_params_init(struct cc_params *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = CC_GRAPH;
	p->min_percent = 0.5;
	p->caller = true;
}

static bool word_is(const char *w, const char *full)
{
	/* perf accepts any prefix of a keyword: "cal" is not unique, "calle" is. */
	return *w && !strncmp(w, full, strlen(w));
}

static int parse_number(struct cc_params *p, const char *w, int *nth)
{
	uint64_t limit;
	char *end;
	double v;

	if (*nth == 0) {
		v = strtod(w, &end);
		if (end == w || *end || !isfinite(v) || v < 0 || v > 100)
			return -EINVAL;
		p->min_percent = v;
	} else if (*nth == 1) {
		if (parse_u64(w, 0, UINT32_MAX, &limit))
			return -EINVAL;
		p->print_limit = (unsigned int)limit;
	} else {
		return -EINVAL;
	}
	(*nth)++;
	return 0;
}

static int parse_word(struct cc_params *p, const char *w, int *nth)
{
	static const struct { const char *name; enum cc_mode mode; } modes[] = {
		{ "graph", CC_GRAPH }, { "flat", CC_FLAT },
		{ "folded", CC_FOLDED }, { "none", CC_NONE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		if (word_is(w, modes[i].name)) {
			p->mode = modes[i].mode;
			return 0;
		}
	}
	if (strlen(w) > 4 && word_is(w, "caller")) {
		p->caller = true;
		p->order_set = true;
		return 0;
	}
	if (strlen(w) > 4 && word_is(w, "callee")) {
		p->caller = false;
		p->order_set = true;
		return 0;
	}
	if (word_is(w, "function") || word_is(w, "percent"))
		return 0;
	return parse_number(p, w, nth);
}

int cc_params_parse(struct cc_params *p, const char *arg, const char **bad)
{
	static char word[64];
	const char *s = arg;
	int nth = 0;

	*bad = arg;
	for (;;) {
		size_t len = strcspn(s, ",");

		if (!len || len >= sizeof(word)) {
			snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), s);
			*bad = word;
			return -EINVAL;
		}
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_word(p, word, &nth)) {
			*bad = word;
			return -EINVAL;
		}
		s += len;
		if (!*s)
			return 0;
		s++;
	}
}

/* ---- the arena ---------------------------------------------------------- */

void callchain_init(struct callchain *cc)
{
	memset(cc, 0, sizeof(*cc));
}

void callchain_release(struct callchain *cc)
{
	free(cc->nodes);
	hashtab_release(&cc->children);
	memset(cc, 0, sizeof(*cc));
}

static uint64_t key_hash(uint32_t parent, const struct cc_key *k)
{
	return hash_u64(parent ^ hash_u64((uintptr_t)k->name ^
					  hash_u64((uintptr_t)k->dso)));
}

struct child_key {
	uint32_t parent;
	const struct cc_key *k;
};

static bool child_is(const void *ctx, uint32_t idx, const void *key)
{
	const struct cc_node *n = &((const struct callchain *)ctx)->nodes[idx];
	const struct child_key *c = key;

	return n->parent == c->parent && n->key.name == c->k->name && n->key.dso == c->k->dso;
}

static int64_t node_new(struct callchain *cc, uint32_t parent,
			const struct cc_key *k)
{
	struct cc_node *n;

	if (!cc->n)
		cc->n = 1;	/* index 0 means "none" */
	if (cc->n > CC_MAX_NODES)
		return -E2BIG;
	if (cc->n >= cc->cap &&
	    grow_array((void **)&cc->nodes, &cc->cap, cc->n + 1, sizeof(*cc->nodes)))
		return -ENOMEM;
	n = &cc->nodes[cc->n];
	memset(n, 0, sizeof(*n));
	if (k)
		n->key = *k;
	n->parent = parent;
	if (parent) {
		n->next_sibling = cc->nodes[parent].first_child;
		cc->nodes[parent].first_child = (uint32_t)cc->n;
	}
	return (int64_t)cc->n++;
}

int64_t callchain_new_tree(struct callchain *cc)
{
	return node_new(cc, 0, NULL);
}

static int64_t child_get(struct callchain *cc, uint32_t parent,
			 const struct cc_key *k)
{
	/* Roots are not in the index: they are found through their entry. */
	struct child_key key = { parent, k };
	uint64_t hash = key_hash(parent, k);
	int64_t idx = hashtab_find(&cc->children, hash, &key, child_is, cc);

	if (idx >= 0)
		return idx;
	idx = node_new(cc, parent, k);
	if (idx > 0) {
		if (hashtab_insert(&cc->children, hash, (uint32_t)idx))
			return -ENOMEM;
		cc->nodes[parent].nr_kids++;
	}
	return idx;
}

int64_t callchain_append(struct callchain *cc, uint32_t parent, const struct cc_key *k)
{
	return node_new(cc, parent, k);
}

int64_t callchain_path(struct callchain *cc, uint32_t root,
		       const struct cc_key *path, size_t n)
{
	uint32_t node = root;

	for (size_t i = 0; i < n; i++) {
		int64_t next = child_get(cc, node, &path[i]);

		if (next < 0)
			return next;
		node = (uint32_t)next;
	}
	return node;
}

void callchain_sum(struct callchain *cc)
{
	for (size_t i = 1; i < cc->n; i++)
		cc->nodes[i].cumul = 0;
	/* A child is always created after its parent: one backward pass. */
	for (size_t i = cc->n; i-- > 1; ) {
		struct cc_node *node = &cc->nodes[i];

		node->cumul += node->hit;
		if (node->parent)
			cc->nodes[node->parent].cumul += node->cumul;
	}
}

/* ---- views for printing ------------------------------------------------- */

static const struct callchain *sort_cc;

static int name_cmp(const struct cc_node *a, const struct cc_node *b)
{
	int c = strcmp(a->key.name, b->key.name);

	return c ? c : strcmp(a->key.dso->name, b->key.dso->name);
}

static int by_cumul(const void *pa, const void *pb)
{
	const struct cc_node *a = &sort_cc->nodes[*(const uint32_t *)pa];
	const struct cc_node *b = &sort_cc->nodes[*(const uint32_t *)pb];

	if (a->cumul != b->cumul)
		return (a->cumul < b->cumul) - (a->cumul > b->cumul);
	return name_cmp(a, b);
}

static int by_hit(const void *pa, const void *pb)
{
	const struct cc_node *a = &sort_cc->nodes[*(const uint32_t *)pa];
	const struct cc_node *b = &sort_cc->nodes[*(const uint32_t *)pb];

	if (a->hit != b->hit)
		return (a->hit < b->hit) - (a->hit > b->hit);
	return name_cmp(a, b);
}

static void sort_nodes(const struct callchain *cc, uint32_t *v, size_t n,
		       int (*cmp)(const void *, const void *))
{
	sort_cc = cc;
	if (n)
		qsort(v, n, sizeof(*v), cmp);
	sort_cc = NULL;
}

int callchain_children(const struct callchain *cc, uint32_t node, uint64_t min_hit,
		       uint32_t **out, size_t *n)
{
	size_t count = 0;
	uint32_t c, *v;

	*out = NULL;
	*n = 0;
	for (c = cc->nodes[node].first_child; c; c = cc->nodes[c].next_sibling)
		count++;
	if (!count)
		return 0;
	v = malloc(count * sizeof(*v));
	if (!v)
		return -ENOMEM;
	count = 0;
	for (c = cc->nodes[node].first_child; c; c = cc->nodes[c].next_sibling)
		if (cc->nodes[c].cumul >= min_hit)
			v[count++] = c;
	sort_nodes(cc, v, count, by_cumul);
	*out = v;
	*n = count;
	return 0;
}

uint32_t callchain_run_end(const struct callchain *cc, uint32_t node)
{
	for (;;) {
		const struct cc_node *n = &cc->nodes[node];

		if (n->hit || !n->first_child || n->nr_kids != 1)
			return node;
		node = n->first_child;
	}
}

struct ends {
	uint32_t *v;
	size_t n, cap;
};

/* Iterative: a chain is at most DF_MAX_FRAMES deep, but trees are wide. */
static int collect_ends(const struct callchain *cc, uint32_t root,
			uint64_t min_hit, struct ends *e)
{
	uint32_t node = cc->nodes[root].first_child;

	while (node) {
		const struct cc_node *n = &cc->nodes[node];

		if (n->hit && n->hit >= min_hit) {
			if (grow_array((void **)&e->v, &e->cap, e->n + 1, sizeof(*e->v)))
				return -ENOMEM;
			e->v[e->n++] = node;
		}
		if (n->first_child) {
			node = n->first_child;
			continue;
		}
		while (node && node != root && !cc->nodes[node].next_sibling)
			node = cc->nodes[node].parent;
		node = node && node != root ? cc->nodes[node].next_sibling : 0;
	}
	return 0;
}

int callchain_ends(const struct callchain *cc, uint32_t root, uint64_t min_hit,
		   uint32_t **out, size_t *n)
{
	struct ends e = { 0 };
	int err = collect_ends(cc, root, min_hit, &e);

	if (err) {
		free(e.v);
		return err;
	}
	sort_nodes(cc, e.v, e.n, by_hit);
	*out = e.v;
	*n = e.n;
	return 0;
}
