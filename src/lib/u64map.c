/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/u64map.h"

static size_t slot_of(const struct u64map *m, uint64_t key)
{
	size_t i = (size_t)hash_u64(key) & (m->cap - 1);

	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int grow(struct u64map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct u64map n = { .cap = cap };

	n.slots = calloc(cap, sizeof(*n.slots));
	if (!n.slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].val) {
			n.slots[slot_of(&n, m->slots[i].key)] = m->slots[i];
			n.n++;
		}
	}
	u64map_release(m);
	*m = n;
	return 0;
}

int u64map_put(struct u64map *m, uint64_t key, void *val)
{
	size_t i;

	/* Keep the load at most 1/2 so probe chains stay short. */
	if ((m->n + 1) * 2 > m->cap) {
		int err = grow(m);

		if (err)
			return err;
	}
	i = slot_of(m, key);
	if (!m->slots[i].val)
		m->n++;
	m->slots[i].key = key;
	m->slots[i].val = val;
	return 0;
}

void *u64map_get(const struct u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	return m->slots[slot_of(m, key)].val;
}

void u64map_free(struct u64map *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].val)
			free_val(m->slots[i].val);
	u64map_release(m);
}

void u64map_release(struct u64map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
