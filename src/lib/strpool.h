/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interned strings: each distinct string is stored once and lives until
 * the pool is released, so callers may compare and hash the pointers.
 */
#ifndef EBPF_TOOL_STRPOOL_H
#define EBPF_TOOL_STRPOOL_H

#include <stddef.h>

#include "lib/arena.h"

struct strpool {
	const char **slots;	/* hash set of the stored strings */
	size_t cap, n;
	struct arena mem;
	size_t bytes;		/* stored, for the caller's limits */
};

/* The stable copy of s[0..len) (which must hold no NUL), or NULL on ENOMEM. */
const char *strpool_intern_len(struct strpool *p, const char *s, size_t len);
const char *strpool_intern(struct strpool *p, const char *s);
void strpool_release(struct strpool *p);

#endif
