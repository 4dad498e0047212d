#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "lib/u64map.h"
#include "lib/util.h"
#include "record/stackcounts.h"

/* Counts taken per batch call: 40 bytes each, and a bucket never holds more. */
#define BATCH 4096

struct frames {
	unsigned int n;
	uint64_t ips[];
};

struct stackcounts {
	struct sampler *smp;
	struct sampler_stackcount_fds fd;
	unsigned int active;		/* the count map samples go to */
	struct u64map stacks;		/* kernel id -> struct frames */
	struct profile_count_key *keys;
	struct profile_count_value *vals;
	uint64_t ips[2 * PROFILE_MAX_FRAMES];
	struct stackcounts_stats st;
};

int stackcounts_new(struct stackcounts **out, struct sampler *smp)
{
	struct stackcounts *sc;
	int err;

	*out = NULL;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	sc->smp = smp;
	err = sampler_stackcount_fds(smp, &sc->fd);
	if (!err)
		sampler_stackcount_switch(smp, 0);
	sc->keys = calloc(BATCH, sizeof(*sc->keys));
	sc->vals = calloc(BATCH, sizeof(*sc->vals));
	if (!err && (!sc->keys || !sc->vals))
		err = -ENOMEM;
	if (err) {
		stackcounts_free(sc);
		return err;
	}
	*out = sc;
	return 0;
}

/* The frames of a kernel stack id, read from the kernel the first time. */
static const struct frames *stack_get(struct stackcounts *sc, uint64_t id)
{
	struct profile_stack ks;
	struct frames *f = u64map_get(&sc->stacks, id);

	if (f)
		return f;
	if (bpf_map_lookup_elem(id & PROFILE_STACK_ID_SPARE ? sc->fd.spare : sc->fd.stacks, &id, &ks) ||
	    ks.n > PROFILE_MAX_FRAMES)
		return NULL;
	f = malloc(sizeof(*f) + ks.n * sizeof(f->ips[0]));
	if (!f)
		return NULL;
	f->n = ks.n;
	memcpy(f->ips, ks.ips, ks.n * sizeof(f->ips[0]));
	if (u64map_put(&sc->stacks, id, f)) {
		free(f);
		return NULL;
	}
	sc->st.stacks++;
	return f;
}

static int hand_on(struct stackcounts *sc, const struct profile_count_key *k,
		   const struct profile_count_value *v, stackcount_fn fn, void *ctx)
{
	const struct frames *kf = NULL, *uf = NULL;
	char comm[PROFILE_COMM_LEN + 1];
	unsigned int nk = 0, nu = 0;

	if ((k->kstack && !(kf = stack_get(sc, k->kstack))) ||
	    (k->ustack && !(uf = stack_get(sc, k->ustack)))) {
		sc->st.missing += v->count;
		return 0;
	}
	if (kf) {
		nk = kf->n;
		memcpy(sc->ips, kf->ips, nk * sizeof(sc->ips[0]));
	}
	if (uf) {
		nu = uf->n;
		memcpy(sc->ips + nk, uf->ips, nu * sizeof(sc->ips[0]));
	}
	memcpy(comm, v->comm, PROFILE_COMM_LEN);
	comm[PROFILE_COMM_LEN] = '\0';
	return fn(ctx, k->pid, k->tid, comm, sc->ips, nk, nu, v->count);
}

static int drain_map(struct stackcounts *sc, int fd, stackcount_fn fn, void *ctx)
{
	/* The kernel's cursor: a bucket number for a hash map, room for a key. */
	struct profile_count_key in, out;
	bool first = true;
	int err = 0;

	for (;;) {
		__u32 n = BATCH;
		int rc = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &in, &out,
							 sc->keys, sc->vals, &n, NULL);

		if (rc && errno != ENOENT)
			return -errno;
		for (__u32 i = 0; i < n && !err; i++)
			err = hand_on(sc, &sc->keys[i], &sc->vals[i], fn, ctx);
		if (err || rc)
			return err;
		in = out;
		first = false;
	}
}

int stackcounts_drain(struct stackcounts *sc, bool all, stackcount_fn fn, void *ctx)
{
	unsigned int full = sc->active;
	int err;

	sc->st.drains++;
	sc->active ^= 1;
	sampler_stackcount_switch(sc->smp, sc->active);
	err = drain_map(sc, sc->fd.counts[full], fn, ctx);
	if (!err && all)
		err = drain_map(sc, sc->fd.counts[sc->active], fn, ctx);
	return err;
}

static int clear_map(int fd)
{
	uint64_t *ids = NULL, key, *prev = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	/* Keys first: a deletion would send the next lookup back to the start. */
	while (!bpf_map_get_next_key(fd, prev, &key)) {
		if (grow_array((void **)&ids, &cap, n + 1, sizeof(*ids))) {
			err = -ENOMEM;
			break;
		}
		ids[n++] = key;
		prev = &ids[n - 1];
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &ids[i]);
	free(ids);
	return err;
}

int stackcounts_reset(struct stackcounts *sc)
{
	int err;

	u64map_free(&sc->stacks, free);
	memset(&sc->stacks, 0, sizeof(sc->stacks));
	sc->st.stacks = 0;
	err = clear_map(sc->fd.stacks);
	return clear_map(sc->fd.spare) ?: err;
}

void stackcounts_stats(const struct stackcounts *sc, struct stackcounts_stats *st)
{
	*st = sc->st;
}

void stackcounts_free(struct stackcounts *sc)
{
	if (!sc)
		return;
	u64map_free(&sc->stacks, free);
	free(sc->keys);
	free(sc->vals);
	free(sc);
}
