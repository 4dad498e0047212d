/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one hash of the program.  Neither function returns 0, so tables may
 * use 0 as their empty marker.
 */
#ifndef EBPF_TOOL_HASH_H
#define EBPF_TOOL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Inline: every table probe starts here. */
static inline uint64_t hash_u64(uint64_t v)
{
	/* splitmix64's finalizer: every input bit reaches every output bit. */
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ull;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebull;
	v ^= v >> 31;
	return v ? v : 1;
}

uint64_t hash_bytes(const void *data, size_t len);

#endif
