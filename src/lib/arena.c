/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"

/*
 * Chunks double from 4 KiB to 1 MiB: a table of a few names costs a page,
 * a large one a malloc per MiB.
 */
#define FIRST_CHUNK (4u << 10)
#define MAX_CHUNK (1u << 20)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char mem[];
};

static struct arena_chunk *chunk_new(struct arena *a, size_t need)
{
	struct arena_chunk *cur = a->chunks, *c;
	size_t size = !cur ? FIRST_CHUNK : cur->size < MAX_CHUNK ? 2 * cur->size : MAX_CHUNK;

	if (size < need)
		size = need;
	if (size > SIZE_MAX - sizeof(*c) || !(c = malloc(sizeof(*c) + size)))
		return NULL;
	c->used = 0;
	c->size = size;
	a->bytes += size;
	/* A big request gets a chunk of its own behind the current one. */
	if (size > MAX_CHUNK && cur) {
		c->next = cur->next;
		cur->next = c;
	} else {
		c->next = cur;
		a->chunks = c;
	}
	return c;
}

void *arena_alloc(struct arena *a, size_t size, size_t align)
{
	struct arena_chunk *c = a->chunks;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;

	if (!c || at > c->size || c->size - at < size) {
		if (size > SIZE_MAX - 16 || !(c = chunk_new(a, size)))
			return NULL;
		at = 0;
	}
	c->used = at + size;
	a->used += size;
	return c->mem + at;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *dst = len < SIZE_MAX ? arena_alloc(a, len + 1, 1) : NULL;

	if (dst) {
		memcpy(dst, s, len);
		dst[len] = '\0';
	}
	return dst;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(a, 0, sizeof(*a));
}
