#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stacktab.h"
#include "lib/util.h"

struct key {
	const uint64_t *ips;
	uint16_t n_kernel, n_user;
};

void stacktab_init(struct stacktab *t)
{
	memset(t, 0, sizeof(*t));
	hashtab_init(&t->index);
}

void stacktab_release(struct stacktab *t)
{
	hashtab_release(&t->index);
	free(t->frames);
	free(t->stacks);
	stacktab_init(t);
}

static bool stack_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct stacktab *t = ctx;
	const struct key *k = key;
	const struct stack_ent *e = &t->stacks[idx];

	return e->n_kernel == k->n_kernel && e->n_user == k->n_user &&
	       !memcmp(&t->frames[e->first], k->ips,
		       ((size_t)k->n_kernel + k->n_user) * sizeof(uint64_t));
}

int stacktab_intern(struct stacktab *t, const uint64_t *ips, uint16_t n_kernel, uint16_t n_user,
		    uint32_t *id, bool *is_new)
{
	struct key k = { ips, n_kernel, n_user };
	uint64_t n = (uint64_t)n_kernel + n_user;
	uint64_t hash = hash_bytes(ips, n * sizeof(*ips)) ^ ((uint64_t)n_kernel << 48);
	int64_t found = hashtab_find(&t->index, hash ? hash : 1, &k, stack_eq, t);
	int err;

	hash = hash ? hash : 1;
	*is_new = false;
	if (found >= 0) {
		*id = found;
		return 0;
	}
	if (t->nr_stacks == UINT32_MAX - 1)
		return -E2BIG;
	err = grow_array((void **)&t->frames, &t->cap_frames, t->nr_frames + n, sizeof(*t->frames));
	err = err ?: grow_array((void **)&t->stacks, &t->cap_stacks, t->nr_stacks + 1ull,
				sizeof(*t->stacks));
	if (err)
		return err;
	err = hashtab_insert(&t->index, hash, t->nr_stacks);
	if (err)
		return err;
	memcpy(&t->frames[t->nr_frames], ips, n * sizeof(*ips));
	t->stacks[t->nr_stacks] = (struct stack_ent){ t->nr_frames, n_kernel, n_user };
	t->nr_frames += n;
	*id = t->nr_stacks++;
	*is_new = true;
	return 0;
}
