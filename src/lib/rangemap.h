/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process's address space as the readers keep it: ranges sorted by
 * start and never overlapping, each with a file offset and a value of the
 * caller's (a DSO id, a pointer).  Inserting over older ranges cuts them
 * as a new mmap(MAP_FIXED) cuts the mappings under it: exec and dlopen
 * reuse addresses.
 */
#ifndef EBPF_TOOL_RANGEMAP_H
#define EBPF_TOOL_RANGEMAP_H

#include <stddef.h>
#include <stdint.h>

struct range {
	uint64_t start, end;	/* [start, end) */
	uint64_t pgoff;		/* file offset of start */
	uintptr_t val;
};

struct rangemap {
	struct range *v;
	size_t n, cap;
};

/*
 * Add r over whatever it overlaps, the cut remainders keeping their file
 * offsets.  The map may hold at most max ranges after it.  Returns 0,
 * -EINVAL for an empty range, -E2BIG past max, or -ENOMEM; on error the
 * map is unchanged.
 */
int rangemap_insert(struct rangemap *m, const struct range *r, size_t max);
/* The range holding addr, or NULL. */
const struct range *rangemap_find(const struct rangemap *m, uint64_t addr);
/* Make dst a copy of src (a forked child's address space): 0 or -ENOMEM. */
int rangemap_copy(struct rangemap *dst, const struct rangemap *src);
/* Frees the ranges; the map is left empty and usable. */
void rangemap_release(struct rangemap *m);

#endif
