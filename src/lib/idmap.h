/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Non-NULL pointers by 32-bit id, for ids a writer numbers from 0: ids
 * near the count live in an array, ids far beyond it in a u64map, so
 * that a file numbering from 4e9 costs no more memory than one numbering
 * from 0.  The array never grows to the lowest sparse id: an id is in one
 * place only.
 */
#ifndef EBPF_TOOL_IDMAP_H
#define EBPF_TOOL_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/u64map.h"

struct idmap {
	void **dense;
	size_t n_dense;
	uint32_t min_sparse;
	size_t n;		/* ids ever given a value */
	struct u64map sparse;
};

void idmap_init(struct idmap *m);
/* Frees the tables, not the values; leaves the map empty and usable. */
void idmap_release(struct idmap *m);
/* Sets or replaces; val must not be NULL.  0 or -ENOMEM. */
int idmap_put(struct idmap *m, uint32_t id, void *val);

static inline void *idmap_get(const struct idmap *m, uint32_t id)
{
	return id < m->n_dense ? m->dense[id] : u64map_get(&m->sparse, id);
}

#endif
