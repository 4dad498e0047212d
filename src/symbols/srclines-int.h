/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What srclines.c shares with srclines-rows.c (the line rows of a range
 * of code, for the recorded code of sampled functions).  Not for use
 * outside src/symbols/srclines*.c.
 */
#ifndef EBPF_TOOL_SRCLINES_INT_H
#define EBPF_TOOL_SRCLINES_INT_H

#include <elfutils/libdw.h>

#include "symbols/srclines.h"

/* 1 and *cu when a unit covers vaddr, 0 when none does, or -EBADMSG (*why). */
int srclines_unit_at(struct srclines *sl, uint64_t vaddr, Dwarf_Die *cu, const char **why);
/* A line table's file name as addr2line prints it. */
const char *srclines_path(struct srclines *sl, Dwarf_Die *cu, const char *file);
/*
 * Around a use of libdw's handles: srclines_begin() opens a file the
 * budget closed (0, or -ENOENT when it cannot be, nor ever again);
 * srclines_end() counts what the use made libdw hold.
 */
int srclines_begin(struct srclines *sl);
void srclines_end(struct srclines *sl);

#endif
