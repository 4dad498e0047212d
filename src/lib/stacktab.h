/*
 * Stacks deduplicated by content: the same frames always get the same id,
 * and two different stacks never share one (no hash-collision merging, the
 * failure of BPF stack-trace maps).
 */
#ifndef EBPF_TOOL_STACKTAB_H
#define EBPF_TOOL_STACKTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/hashtab.h"

struct stacktab {
	struct hashtab index;
	uint64_t *frames;		/* every stack's frames, back to back */
	size_t nr_frames, cap_frames;
	struct stack_ent {
		uint64_t first;		/* index into frames */
		uint16_t n_kernel, n_user;
	} *stacks;
	uint32_t nr_stacks;
	size_t cap_stacks;
};

void stacktab_init(struct stacktab *t);
void stacktab_release(struct stacktab *t);
/* The id of these frames, *is_new set when first seen: 0 or -ENOMEM/-E2BIG. */
int stacktab_intern(struct stacktab *t, const uint64_t *ips, uint16_t n_kernel, uint16_t n_user,
		    uint32_t *id, bool *is_new);

#endif
