/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/strpool.h"

static size_t find(const struct strpool *p, const char *s, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (p->cap - 1);

	while (p->slots[i] && (strncmp(p->slots[i], s, len) || p->slots[i][len]))
		i = (i + 1) & (p->cap - 1);
	return i;
}

static int grow(struct strpool *p)
{
	size_t cap = p->cap ? p->cap * 2 : 256;
	const char **slots = calloc(cap, sizeof(*slots));
	struct strpool n = { .slots = slots, .cap = cap };

	if (!slots)
		return -1;
	for (size_t i = 0; i < p->cap; i++) {
		const char *s = p->slots[i];

		if (s) {
			size_t len = strlen(s);

			slots[find(&n, s, len, hash_bytes(s, len))] = s;
		}
	}
	free(p->slots);
	p->slots = slots;
	p->cap = cap;
	return 0;
}

const char *strpool_intern_len(struct strpool *p, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	size_t i;
	char *dst;

	if ((p->n + 1) * 2 > p->cap && grow(p))
		return NULL;
	i = find(p, s, len, h);
	if (p->slots[i])
		return p->slots[i];
	/* Packed into an arena: one malloc per string would double the memory. */
	dst = arena_strndup(&p->mem, s, len);
	if (!dst)
		return NULL;
	p->bytes += len + 1;
	p->slots[i] = dst;
	p->n++;
	return dst;
}

const char *strpool_intern(struct strpool *p, const char *s)
{
	return strpool_intern_len(p, s, strlen(s));
}

void strpool_release(struct strpool *p)
{
	arena_release(&p->mem);
	free(p->slots);
	memset(p, 0, sizeof(*p));
}
