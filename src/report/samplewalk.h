/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The samples the exporters (folded, flame graphs, pprof, Chrome trace,
 * diff) see: filtered as report filters them, each stack resolved to
 * frame names once and replayed for every later sample with the same
 * stack and process, until the session says resolution may have changed.
 */
#ifndef EBPF_TOOL_SAMPLEWALK_H
#define EBPF_TOOL_SAMPLEWALK_H

#include <stdbool.h>
#include <stdint.h>

#include "data/filter.h"
#include "data/session.h"
#include "lib/u64map.h"

/* Stacks and frames remembered; past either the cache starts afresh. */
#define SW_MAX_CACHED		(1u << 18)
#define SW_MAX_CACHED_FRAMES	(1u << 22)

struct sw_frame {
	/*
	 * The function; "[dso]" for an address no symbol covers (so that the
	 * unnamed code of one object stays one frame), "[unknown]" outside
	 * every mapping.  Interned in the session.
	 */
	const char *name;
	const struct sess_dso *dso;	/* never NULL */
	uint64_t addr;			/* in the DSO's address space */
	bool kernel;
	bool mapped;			/* a mapping or the kernel held it */
	bool resolved;			/* a symbol named it */
	/*
	 * A function inlined at addr, a frame of its own before (leafward
	 * of) the frame of the function it was inlined into, which has the
	 * same addr.  name is the function's, without " (inlined)".
	 */
	bool inlined;
	/* The frame's source line (NULL if unknown), and where its function starts. */
	const struct sess_src_frame *src;
};

struct sw_stack {
	uint32_t stack_id, pid;
	uint64_t gen;			/* session generation it was resolved in */
	bool leaf_wanted;		/* the dso and symbol filters took it */
	uint32_t n;			/* frames, at least 1 */
	uint32_t n_kernel;		/* f[0..n_kernel) are kernel frames */
	uint32_t leaf;			/* f[leaf]: the leaf's own, after its inlined ones */
	struct sw_frame f[];		/* leaf first */
};

struct sw_sample {
	const struct df_sample *smp;
	const char *comm;
	const struct sw_stack *stack;
};

typedef int (*sw_fn)(void *ctx, struct session *s, const struct sw_sample *ss);

struct samplewalk {
	struct filter filter;
	sw_fn fn;
	void *ctx;
	struct u64map cache;		/* (stack id, pid) -> struct sw_stack */
	size_t cached_frames;
	struct sess_frame *scratch;
	uint64_t nr_samples;		/* passed to fn */
	uint64_t total;			/* their weight */
	bool saw_chain;			/* a stack had more than one frame */
	/*
	 * The event whose samples pass, by name; NULL: the recording's main
	 * event.  Weights of different events (samples, nanoseconds blocked)
	 * never add up, so one walk sees one event.
	 */
	const char *event;
	uint32_t event_kind;		/* DF_EVENT_* of the samples passed */
	bool no_inline;			/* no frames of inlined functions */
};

int samplewalk_init(struct samplewalk *w, const struct filter *f,
		    sw_fn fn, void *ctx);
void samplewalk_release(struct samplewalk *w);

/* A session_ops sample callback; ctx is the samplewalk. */
int samplewalk_sample(void *ctx, struct session *s, const struct df_sample *smp);

#endif
