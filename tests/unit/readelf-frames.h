/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `readelf --debug-dump=frames-interp` says a file's CFI is, as the
 * rows bpf/unwind.h would hold: binutils' interpreter against libdw's.
 */
#ifndef EBPF_TOOL_TEST_READELF_FRAMES_H
#define EBPF_TOOL_TEST_READELF_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "unwind/cfi-table.h"

struct rf_counts {
	size_t rows;		/* readelf rows held against the table */
	size_t fdes;
	size_t gaps;		/* ranges between FDEs, that must be UNWIND_NONE */
	size_t mismatches;	/* the first few are printed as INFO lines */
};

/*
 * Compare t with readelf's table of section (".eh_frame", ".debug_frame")
 * of path.  Expressions as CFA are UNWIND_CFA_PLT in [plt_lo, plt_hi) and
 * unsupported elsewhere (Debian's ld writes its PLT expression only
 * there).  0, or -1 if readelf could not be run or said nothing.
 */
int rf_compare(const char *path, const char *section, const struct unwind_table *t,
	       uint64_t plt_lo, uint64_t plt_hi, struct rf_counts *c);

#endif
