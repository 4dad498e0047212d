/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A table of symbols sorted by start, one per start.  Symbols at one
 * address (aliases: memcpy and __memcpy_avx_unaligned, a function and its
 * weak twin) are ranked and only the best is kept, as perf keeps one.
 * Symbols may be added after a sort; the next sort merges them in.
 */
#ifndef EBPF_TOOL_SYMTAB_H
#define EBPF_TOOL_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct symtab_sym {
	uint64_t start;
	uint64_t size;		/* 0: not known */
	const char *name;	/* the caller's storage */
	uint32_t rank;		/* see SYMTAB_BY_RANK */
	uint32_t data;		/* the caller's: a module, a DSO */
};

/*
 * Which alias wins.  The ELF, kallsyms and perf-map readers rank by
 * what they know of each symbol (binding, type, the line's order); a data
 * file carries only names and sizes, so the session prefers the widest,
 * then the first name in strcmp() order, which is stable across files.
 */
enum symtab_order {
	SYMTAB_BY_RANK,		/* the higher rank, then the one added first */
	SYMTAB_WIDEST,		/* the larger size, then the lower name */
};

struct symtab {
	struct symtab_sym *v;
	size_t n, cap;
	size_t sorted;		/* v[0..sorted) is sorted, one per start */
	enum symtab_order order;
};

void symtab_init(struct symtab *t, enum symtab_order order);
void symtab_release(struct symtab *t);	/* leaves it empty, same order */
/* 0 or -ENOMEM; limits on the count are the caller's. */
int symtab_add(struct symtab *t, const struct symtab_sym *sym);
/*
 * Sort what was added since the last sort and merge it in, keeping the
 * best alias of each start: O(k log k + n) for k added.  0 or -ENOMEM, on
 * which the sorted part is as it was.
 */
int symtab_sort(struct symtab *t);
/* How many sorted symbols start at or below addr: v[i - 1] is the nearest. */
size_t symtab_upto(const struct symtab *t, uint64_t addr);
/*
 * The sorted symbol holding addr, or NULL: a sized one holds its size, an
 * unsized one reaches the next start but no further than guess bytes.
 */
const struct symtab_sym *symtab_find(const struct symtab *t, uint64_t addr, uint64_t guess);
/* Give back the room past the count, once no more will be added. */
void symtab_trim(struct symtab *t);

#endif
