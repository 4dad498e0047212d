#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hashtab.h"
#include "lib/util.h"

void hashtab_init(struct hashtab *t)
{
	memset(t, 0, sizeof(*t));
}

void hashtab_release(struct hashtab *t)
{
	free(t->hashes);
	free(t->idx);
	hashtab_init(t);
}

static void put(uint64_t *hashes, uint32_t *idx, size_t mask, uint64_t hash, uint32_t v)
{
	size_t i = hash & mask;

	while (hashes[i])
		i = (i + 1) & mask;
	hashes[i] = hash;
	idx[i] = v;
}

static int grow(struct hashtab *t)
{
	size_t size = t->hashes ? 2 * (t->mask + 1) : 64;
	uint64_t *hashes = calloc(size, sizeof(*hashes));
	uint32_t *idx = malloc(size * sizeof(*idx));

	if (!hashes || !idx) {
		free(hashes);
		free(idx);
		return -ENOMEM;
	}
	for (size_t i = 0; t->hashes && i <= t->mask; i++)
		if (t->hashes[i])
			put(hashes, idx, size - 1, t->hashes[i], t->idx[i]);
	free(t->hashes);
	free(t->idx);
	t->hashes = hashes;
	t->idx = idx;
	t->mask = size - 1;
	return 0;
}

int hashtab_insert(struct hashtab *t, uint64_t hash, uint32_t idx)
{
	/* Keep the load under 1/2 so probes stay short. */
	if (!t->hashes || 2 * (t->used + 1) > t->mask + 1) {
		int err = grow(t);

		if (err)
			return err;
	}
	put(t->hashes, t->idx, t->mask, hash, idx);
	t->used++;
	return 0;
}

void keyset_init(struct keyset *s, size_t key_size)
{
	memset(s, 0, sizeof(*s));
	hashtab_init(&s->index);
	s->key_size = key_size;
}

void keyset_release(struct keyset *s)
{
	hashtab_release(&s->index);
	free(s->keys);
	keyset_init(s, s->key_size);
}

static bool key_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct keyset *s = ctx;

	return !memcmp(s->keys + (size_t)idx * s->key_size, key, s->key_size);
}

int64_t keyset_find(const struct keyset *s, const void *key)
{
	return hashtab_find(&s->index, hash_bytes(key, s->key_size), key, key_eq, s);
}

int keyset_add(struct keyset *s, const void *key, uint32_t *idx)
{
	uint64_t hash = hash_bytes(key, s->key_size);
	int64_t found = hashtab_find(&s->index, hash, key, key_eq, s);
	int err;

	if (found >= 0) {
		*idx = found;
		return 0;
	}
	/* Numbers are 32-bit, as hashtab's indices are. */
	if (s->n == UINT32_MAX ||
	    grow_array((void **)&s->keys, &s->cap, (size_t)s->n + 1, s->key_size))
		return -ENOMEM;
	err = hashtab_insert(&s->index, hash, s->n);
	if (err)
		return err;
	memcpy(s->keys + (size_t)s->n * s->key_size, key, s->key_size);
	*idx = s->n++;
	return 1;
}
