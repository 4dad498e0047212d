/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strpool.h"

/* Strings are packed into chunks: one malloc per string would double the memory. */
#define CHUNK_SIZE 65536

struct strpool_chunk {
	struct strpool_chunk *next;
	size_t used, size;
	char data[];
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

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

static char *store(struct strpool *p, const char *s, size_t len)
{
	struct strpool_chunk *c = p->chunks;
	char *dst;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		/* A big string gets a chunk of its own behind the current one. */
		if (size > CHUNK_SIZE && p->chunks) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
	}
	dst = c->data + c->used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	c->used += len + 1;
	p->bytes += len + 1;
	return dst;
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
	dst = store(p, s, len);
	if (!dst)
		return NULL;
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
	struct strpool_chunk *c = p->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p->slots);
	memset(p, 0, sizeof(*p));
}
