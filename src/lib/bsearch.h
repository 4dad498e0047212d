/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one binary search of the tree: over an array of structs sorted by a
 * 64-bit field, where the first element above a key is (an upper bound).
 * Range maps search by end, symbol tables and /proc/PID/maps by start.
 */
#ifndef EBPF_TOOL_BSEARCH_H
#define EBPF_TOOL_BSEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * The index of the first of the n elements of base (size bytes each,
 * sorted by the uint64_t at offset) whose field is above key; n if none.
 * Inline: symbol lookups run it for every frame, and the size and offset
 * are constants there.
 */
static inline size_t upper_bound_u64(const void *base, size_t n, size_t size,
				     size_t offset, uint64_t key)
{
	const unsigned char *p = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t v;

		memcpy(&v, p + mid * size + offset, sizeof(v));
		if (v <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* upper_bound_u64() of the array v by its field, which must be 64 bits wide. */
#define UPPER_BOUND(v, n, field, key) \
	upper_bound_u64((v), (n), sizeof(*(v)), \
			offsetof(__typeof__(*(v)), field) + \
			0 * sizeof(char[sizeof((v)->field) == sizeof(uint64_t) ? 1 : -1]), \
			(key))

#endif
