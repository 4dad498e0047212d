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

/* One frame of a chain, innermost first; strings live as long as the srclines. */
struct src_frame {
	const char *func;	/* linkage name, else name; NULL if unknown */
	const char *file;	/* NULL if unknown */
	uint32_t line;		/* 0 if unknown */
	uint32_t decl_line;	/* where func starts, 0 if unknown */
};

/*
 * Reads the DWARF of the ELF open on fd (which stays the caller's and may
 * be closed at once: the file is mapped), else of its debug file.  Returns
 * 0, -ENOENT when neither has debug information, -EBADMSG when what there
 * is cannot be read (*why, if given, says how: libdw's words, static), or
 * -ENOMEM.
 */
int srclines_open_fd(int fd, const struct elfsyms_opts *opts, struct srclines **out,
		     const char **why);
/* The same for the debug file a build-id names alone. */
int srclines_open_build_id(const uint8_t *id, size_t len, const char *debug_dir,
			   struct srclines **out, const char **why);
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
	const char *file;	/* NULL if unknown; lives as long as the srclines */
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
