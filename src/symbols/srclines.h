/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines and inline chains of one ELF file, from its DWARF (elfutils'
 * libdw): in the file itself or in its separate debug file, found as
 * elfsyms finds one (build-id, then .gnu_debuglink).
 */
#ifndef EBPF_TOOL_SRCLINES_H
#define EBPF_TOOL_SRCLINES_H

#include <stddef.h>
#include <stdint.h>

#include "symbols/elfsyms.h"

#define SRCLINES_MAX_DEPTH 32	/* frames of one chain; deeper ones are cut */

struct srclines;
struct srclines_pool;

/*
 * One frame of a chain, innermost first.  Its strings stay valid until
 * the next lookup in the same pool (which may close this file) or until
 * the srclines is freed.
 */
struct src_frame {
	const char *func;	/* linkage name, else name; NULL if unknown */
	const char *file;	/* NULL if unknown */
	uint32_t line;		/* 0 if unknown */
	uint32_t decl_line;	/* where func starts, 0 if unknown */
};

/*
 * A memory budget shared by the srclines opened in it.  libdw holds a
 * file's debug sections inflated and the units it has parsed, 2.5 times
 * the sections' size (CPython's 16.6 MB of sections: 41 MB resident),
 * until the file is closed; past the budget the least recently used
 * files are closed and open again, from a descriptor kept for that, when
 * next looked up.  A file that cannot be opened again loses the lines of
 * the addresses it is asked for after that: counted in the stats.
 */
struct srclines_pool_stats {
	uint64_t budget, peak;	/* bytes: the estimate of what is open */
	uint32_t files;		/* opened in the pool */
	uint32_t closed, reopened, lost;
};

int srclines_pool_new(uint64_t budget, struct srclines_pool **out);
/* After every srclines of the pool has been freed; NULL-safe. */
void srclines_pool_free(struct srclines_pool *pool);
void srclines_pool_stats(const struct srclines_pool *pool, struct srclines_pool_stats *out);

/*
 * Reads the DWARF of the ELF open on fd (which stays the caller's and may
 * be closed at once: the file is mapped), else of its debug file, in pool
 * (NULL: no budget, never closed).  Returns 0, -ENOENT when neither has
 * debug information, -EBADMSG when what there is cannot be read (*why,
 * if given, says how: libdw's words, static), or -ENOMEM.
 */
int srclines_open_fd(int fd, const struct elfsyms_opts *opts, struct srclines_pool *pool,
		     struct srclines **out, const char **why);
/* The same for the debug file a build-id names alone. */
int srclines_open_build_id(const uint8_t *id, size_t len, const char *debug_dir,
			   struct srclines_pool *pool, struct srclines **out, const char **why);
void srclines_free(struct srclines *sl);	/* NULL-safe */

/*
 * The chain at ELF virtual address vaddr into out[0..max): the number of
 * frames, 0 when no unit covers vaddr, or -EBADMSG when the unit that does
 * cannot be read (*why as above).
 */
int srclines_lookup(struct srclines *sl, uint64_t vaddr, struct src_frame *out, size_t max,
		    const char **why);

/* A row of a line table: from addr to the next row's address. */
struct src_row {
	uint64_t addr;
	const char *file;	/* NULL if unknown; valid as struct src_frame's strings */
	uint32_t line;		/* 0 if unknown */
};

/*
 * The line table's rows over [lo, hi) into out[0..max), by address, one
 * an address (the last the table gives it), the first at lo itself when a
 * row before lo covers it: the number, 0 when no unit covers lo, or
 * -EBADMSG as srclines_lookup().
 */
int srclines_rows(struct srclines *sl, uint64_t lo, uint64_t hi, struct src_row *out,
		  size_t max, const char **why);

#endif
