/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One libdw frame state as a row of bpf/unwind.h (x86-64 rules). */
#ifndef EBPF_TOOL_CFI_RULE_H
#define EBPF_TOOL_CFI_RULE_H

#include <elfutils/libdw.h>

#include "bpf/unwind.h"

/* The whole row but its pc (left 0 for the caller).  A state the walker cannot evaluate, or
 * one libdw cannot describe, is UNWIND_UNSUPPORTED. */
void cfi_rule_row(Dwarf_Frame *frame, struct unwind_row *row);

/* Rows that unwind alike: consecutive ones merge. */
static inline int cfi_rule_same(const struct unwind_row *a, const struct unwind_row *b)
{
	return a->kind == b->kind && a->cfa_off == b->cfa_off && a->rbp_off == b->rbp_off;
}

#endif
