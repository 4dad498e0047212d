/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A map from 64-bit keys to non-NULL pointers: open addressing, linear
 * probing, no deletion (the reading state only ever grows).
 */
#ifndef EBPF_TOOL_U64MAP_H
#define EBPF_TOOL_U64MAP_H

#include <stddef.h>
#include <stdint.h>

/* Key and value side by side: a probe touches one cache line, not two. */
struct u64map_slot {
	uint64_t key;
	void *val;		/* NULL marks a free slot */
};

struct u64map {
	struct u64map_slot *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

/* Inserts or replaces; val must not be NULL.  Returns 0 or -ENOMEM. */
int u64map_put(struct u64map *m, uint64_t key, void *val);
void *u64map_get(const struct u64map *m, uint64_t key);
/* Frees the table, not the values. */
void u64map_release(struct u64map *m);
/* Frees the table and, through free_val, every value. */
void u64map_free(struct u64map *m, void (*free_val)(void *));

#endif
