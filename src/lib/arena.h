/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory carved from chunks and freed all at once: for the many small
 * things (names, stacks, signatures) that live as long as their table,
 * where a malloc and free each would cost more than the things themselves.
 * What it hands out never moves.
 */
#ifndef EBPF_TOOL_ARENA_H
#define EBPF_TOOL_ARENA_H

#include <stddef.h>

struct arena_chunk;

/* All zeros is an empty arena. */
struct arena {
	struct arena_chunk *chunks;	/* the one being carved first */
	size_t bytes;			/* held in chunks */
	size_t used;			/* handed out, for the caller's limits */
};

/* size bytes aligned to align (a power of two, at most 16), or NULL on ENOMEM. */
void *arena_alloc(struct arena *a, size_t size, size_t align);
/* A copy of s[0..len) with a NUL after it, or NULL on ENOMEM. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/* Frees every chunk; the arena is left empty and usable. */
void arena_release(struct arena *a);

#endif
