/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What annotate shows: the samples of each function by the address they
 * hit, with the function's recorded code (CODE records), hottest first.
 * Only user code is annotated: the recorder stores no kernel code.
 */
#ifndef EBPF_TOOL_ANNOTATE_H
#define EBPF_TOOL_ANNOTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "data/session.h"
#include "lib/arena.h"
#include "lib/u64map.h"

/* Functions annotate keeps apart; samples of more are counted, not kept. */
#define ANN_MAX_FUNCS	(1u << 20)

struct ann_func {
	const struct sess_dso *dso;
	const char *name;		/* interned */
	uint64_t start;			/* in the DSO's address space */
	uint64_t weight;		/* its samples */
	struct u64map at;		/* offset from start -> uint64_t weight */
	const struct sess_code *code;	/* NULL: the file holds none */
	struct ann_func *next;		/* another function of the same name */
};

struct annotate {
	struct u64map by_name;		/* interned name -> struct ann_func chain */
	struct ann_func **funcs;
	size_t n, cap;
	struct arena mem;
	uint64_t total;			/* weight of every sample given */
	uint64_t kernel;		/* ... whose leaf was kernel code */
	uint64_t unresolved;		/* ... whose leaf no symbol named */
	uint64_t over;			/* ... of functions beyond ANN_MAX_FUNCS */
};

void annotate_init(struct annotate *a);
void annotate_release(struct annotate *a);
/* One sample of the session, by its leaf.  0 or -ENOMEM. */
int annotate_add(struct annotate *a, struct session *s, const struct df_sample *smp);
/* Hottest first, then by name; each function's code found.  0 or -ENOMEM. */
int annotate_sort(struct annotate *a);
/* The weight of the samples at offsets [off, off + len) of f. */
uint64_t annotate_weight(const struct ann_func *f, uint64_t off, uint64_t len);

#endif
