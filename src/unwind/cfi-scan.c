/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdw (0.188) grows a frame state to the largest register number an
 * instruction names, 16 bytes each, and copies the state at every
 * DW_CFA_remember_state: one crafted ULEB128 of 2^28 costs gigabytes, a
 * long run of remember_state as much.  This walks each instruction's
 * operands, without interpreting them (libdw does that), so that the
 * programs libdw runs have neither.  It knows every opcode libdw 0.188
 * executes; one it does not know may be one a later libdw executes, so it
 * refuses that too.
 */
#include "unwind/cfi-scan.h"

#include <dwarf.h>
#include <errno.h>
#include <stdbool.h>

struct cursor {
	const uint8_t *p, *end;
};

static bool skip(struct cursor *c, uint64_t n)
{
	if (n > (uint64_t)(c->end - c->p))
		return false;
	c->p += n;
	return true;
}

/* ULEB128 and SLEB128 alike; a value past 64 bits is malformed. */
static bool leb(struct cursor *c, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (c->p < c->end) {
		uint8_t b = *c->p++;

		if (shift < 64)
			*v |= (uint64_t)(b & 0x7f) << shift;
		else if (b & 0x7f)
			return false;
		shift += 7;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

static bool reg(struct cursor *c)
{
	uint64_t r;

	return leb(c, &r) && r <= CFI_SCAN_MAX_REG;
}

static bool block(struct cursor *c)
{
	uint64_t n;

	return leb(c, &n) && skip(c, n);
}

/* One instruction's operands after its opcode; false if not allowed. */
static bool operands(struct cursor *c, uint8_t op, unsigned set_loc_size, unsigned *depth)
{
	uint64_t v;

	switch (op & 0xc0) {
	case DW_CFA_advance_loc:
	case DW_CFA_restore:	/* the register is in the low six bits */
		return true;
	case DW_CFA_offset:
		return leb(c, &v);
	}
	switch (op) {
	case DW_CFA_nop:
	case DW_CFA_GNU_window_save:	/* libdw: registers 8-31 at most */
		return true;
	case DW_CFA_remember_state:
		return ++*depth <= CFI_SCAN_MAX_DEPTH;
	case DW_CFA_restore_state:
		if (*depth)
			--*depth;
		return true;
	case DW_CFA_set_loc:
		return set_loc_size && skip(c, set_loc_size);
	case DW_CFA_advance_loc1:
		return skip(c, 1);
	case DW_CFA_advance_loc2:
		return skip(c, 2);
	case DW_CFA_advance_loc4:
		return skip(c, 4);
	case DW_CFA_MIPS_advance_loc8:
		return skip(c, 8);
	case DW_CFA_def_cfa_offset:
	case DW_CFA_def_cfa_offset_sf:
	case DW_CFA_GNU_args_size:
		return leb(c, &v);
	case DW_CFA_def_cfa_expression:
		return block(c);
	case DW_CFA_restore_extended:
	case DW_CFA_undefined:
	case DW_CFA_same_value:
	case DW_CFA_def_cfa_register:
		return reg(c);
	case DW_CFA_register:
		return reg(c) && reg(c);
	case DW_CFA_offset_extended:
	case DW_CFA_offset_extended_sf:
	case DW_CFA_def_cfa:
	case DW_CFA_def_cfa_sf:
	case DW_CFA_val_offset:
	case DW_CFA_val_offset_sf:
	case DW_CFA_GNU_negative_offset_extended:
		return reg(c) && leb(c, &v);
	case DW_CFA_expression:
	case DW_CFA_val_expression:
		return reg(c) && block(c);
	}
	return false;
}

int cfi_scan(const uint8_t *p, const uint8_t *end, unsigned set_loc_size)
{
	struct cursor c = { p, end };
	unsigned depth = 0;

	if (!p || end < p)
		return -EINVAL;
	while (c.p < c.end) {
		uint8_t op = *c.p++;

		if (!operands(&c, op, set_loc_size, &depth))
			return -EINVAL;
	}
	return 0;
}
