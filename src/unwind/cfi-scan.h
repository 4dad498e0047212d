/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A CFA program checked before libdw runs it: what it may not contain. */
#ifndef EBPF_TOOL_CFI_SCAN_H
#define EBPF_TOOL_CFI_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* x86-64's DWARF registers end at 130 (psABI figure 3.36). */
#define CFI_SCAN_MAX_REG	255
/* gcc nests DW_CFA_remember_state once or twice. */
#define CFI_SCAN_MAX_DEPTH	32

/*
 * 0, or -EINVAL if the instructions in [p, end) name a register past
 * CFI_SCAN_MAX_REG, nest remember_state deeper than CFI_SCAN_MAX_DEPTH,
 * use an opcode this does not know, or stop inside an instruction.
 * set_loc_size: bytes of a DW_CFA_set_loc operand (the FDE encoding's).
 */
int cfi_scan(const uint8_t *p, const uint8_t *end, unsigned set_loc_size);

#endif
