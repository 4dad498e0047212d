/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/samplewalk.h"
#include "lib/util.h"

int samplewalk_init(struct samplewalk *w, const struct filter *f,
		    sw_fn fn, void *ctx)
{
	memset(w, 0, sizeof(*w));
	w->filter = *f;
	w->fn = fn;
	w->ctx = ctx;
	w->scratch = calloc(DF_MAX_FRAMES, sizeof(*w->scratch));
	return w->scratch ? 0 : -ENOMEM;
}

static void cache_clear(struct samplewalk *w)
{
	u64map_free(&w->cache, free);
	w->cached_frames = 0;
}

void samplewalk_release(struct samplewalk *w)
{
	cache_clear(w);
	free(w->scratch);
	memset(w, 0, sizeof(*w));
}

static const char *frame_name(struct session *s, const struct sess_frame *fr)
{
	char buf[512];

	if (fr->sym)
		return fr->sym;
	if (!fr->mapped)
		return fr->label;	/* "[unknown]" */
	if (fr->dso->name[0] == '[')
		return fr->dso->name;
	snprintf(buf, sizeof(buf), "[%s]", fr->dso->name);
	return session_intern(s, buf);
}

static int frame_of(struct session *s, const struct sess_frame *fr, struct sw_frame *out)
{
	out->name = frame_name(s, fr);
	out->dso = fr->dso;
	out->addr = fr->addr;
	out->kernel = fr->kernel;
	out->mapped = fr->mapped;
	out->resolved = fr->sym != NULL;
	out->inlined = fr->inlined;
	out->src = fr->src;
	return out->name ? 0 : -ENOMEM;
}

/*
 * The frames, leaf first, into the scratch, with those of inlined
 * functions where the file has them: each frame keeps room for those
 * after it, so a deep stack loses inlined frames, never its own.
 */
static int resolve_all(struct samplewalk *w, struct session *s, uint32_t pid,
		       const struct sess_stack *st, uint32_t n, uint32_t *leaf)
{
	struct sess_frame fr;
	uint32_t k = 0;
	int got;

	*leaf = 0;
	if (!n)		/* no stack at all: one frame nobody can name, as report counts it */
		return session_resolve(s, pid, 0, false, &w->scratch[0]) ?: 1;
	for (uint32_t i = 0; i < n; i++) {
		got = session_resolve(s, pid, st->ips[i], i < st->n_kernel, &fr);
		if (!got)
			got = session_expand(s, &fr, i > st->n_kernel, w->no_inline,
					     w->scratch + k, DF_MAX_FRAMES - k - (n - 1 - i));
		if (got < 0)
			return got;
		if (!i)
			*leaf = (uint32_t)got - 1;
		k += (uint32_t)got;
	}
	return (int)k;
}

static int stack_make(struct samplewalk *w, struct session *s,
		      const struct df_sample *smp, struct sw_stack **out)
{
	const struct sess_stack *st = smp->stack_id == DF_STACK_NONE ? NULL :
				      session_stack(s, smp->stack_id);
	uint32_t n = st ? (uint32_t)st->n_kernel + st->n_user : 0, leaf;
	int got = resolve_all(w, s, smp->pid, st, n, &leaf), err = 0;
	struct sw_stack *k;

	if (got < 0)
		return got;
	if (!(k = malloc(sizeof(*k) + (size_t)got * sizeof(k->f[0]))))
		return -ENOMEM;
	k->stack_id = smp->stack_id;
	k->pid = smp->pid;
	k->gen = session_generation(s);
	k->n = (uint32_t)got;
	k->n_kernel = n ? st->n_kernel : 0;
	k->leaf = leaf;
	for (uint32_t i = 0; i < k->n && !err; i++)
		err = frame_of(s, &w->scratch[i], &k->f[i]);
	k->leaf_wanted = !err && filter_frame_wanted(&w->filter, &w->scratch[leaf]);
	if (err) {
		free(k);
		return err;
	}
	*out = k;
	return 0;
}

static int stack_of(struct samplewalk *w, struct session *s,
		    const struct df_sample *smp, const struct sw_stack **out)
{
	uint64_t key = (uint64_t)smp->stack_id << 32 | smp->pid;
	struct sw_stack *old = u64map_get(&w->cache, key), *k;
	int err;

	if (old && old->gen == session_generation(s)) {
		*out = old;
		return 0;
	}
	if (!old && (w->cache.n >= SW_MAX_CACHED ||
		     w->cached_frames >= SW_MAX_CACHED_FRAMES))
		cache_clear(w);
	err = stack_make(w, s, smp, &k);
	if (err)
		return err;
	if (u64map_put(&w->cache, key, k)) {
		free(k);
		return -ENOMEM;
	}
	/* cached_frames holds old->n already: add first, then take away. */
	w->cached_frames = w->cached_frames + k->n - (old ? old->n : 0);
	free(old);
	*out = k;
	return 0;
}

int samplewalk_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct samplewalk *w = ctx;
	struct sw_sample ss = { .smp = smp };
	const struct sess_event *ev = session_event(s, smp->event);
	int err;

	if (!ev)
		return -ENOMEM;
	if (w->event ? strcmp(ev->name, w->event) != 0 : ev->index != 0)
		return 0;
	w->event_kind = ev->kind;
	ss.comm = session_comm(s, smp->tid);
	if (!ss.comm)
		return -ENOMEM;
	if (!filter_sample_wanted(&w->filter, ss.comm, smp))
		return 0;
	err = stack_of(w, s, smp, &ss.stack);
	if (err)
		return err;
	if (!ss.stack->leaf_wanted)
		return 0;
	w->saw_chain |= ss.stack->n > 1;
	w->nr_samples += smp->interval_ns ? smp->weight : 1;	/* a counted stack: many */
	w->total += smp->weight;
	return w->fn(w->ctx, s, &ss);
}
