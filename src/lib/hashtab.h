/*
 * An open-addressing table of 32-bit indices.  The keys live in the
 * caller's own arrays; the table stores each entry's index and hash, and
 * asks the caller to compare keys.  One small table serves stacks, (pid, ip)
 * pairs and threads without a generic key type.
 */
#ifndef EBPF_TOOL_HASHTAB_H
#define EBPF_TOOL_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/hash.h"

struct hashtab {
	uint64_t *hashes;	/* 0: empty slot */
	uint32_t *idx;
	size_t mask;
	size_t used;
};

/* Does the caller's entry idx hold key? */
typedef bool (*hashtab_eq_fn)(const void *ctx, uint32_t idx, const void *key);

void hashtab_init(struct hashtab *t);
void hashtab_release(struct hashtab *t);
/*
 * Index of the entry equal to key, or -1.  Inline, so that a caller's eq
 * is inlined too: the report's indices probe once per frame.
 */
static inline int64_t hashtab_find(const struct hashtab *t, uint64_t hash, const void *key,
				   hashtab_eq_fn eq, const void *ctx)
{
	if (!t->hashes)
		return -1;
	for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
		if (!t->hashes[i])
			return -1;
		if (t->hashes[i] == hash && eq(ctx, t->idx[i], key))
			return t->idx[i];
	}
}
/* Add an entry the caller has checked is absent: 0 or -ENOMEM. */
int hashtab_insert(struct hashtab *t, uint64_t hash, uint32_t idx);

/* A set of fixed-size keys, numbered 0, 1, ... in the order added. */
struct keyset {
	struct hashtab index;
	uint8_t *keys;
	size_t key_size;
	uint32_t n;
	size_t cap;
};

void keyset_init(struct keyset *s, size_t key_size);
void keyset_release(struct keyset *s);
/* The key's number, or -1. */
int64_t keyset_find(const struct keyset *s, const void *key);
/* Add key if absent: 1 and its number in *idx if added, 0 if there, or -ENOMEM. */
int keyset_add(struct keyset *s, const void *key, uint32_t *idx);
#endif
