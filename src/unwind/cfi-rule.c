/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdw describes every rule as a DWARF expression (dwarf_frame_cfa,
 * dwarf_frame_register); the walker knows a few of their shapes.  Matching
 * the shapes rather than the CFA instructions that made them lets an
 * expression that says the same as an offset rule count as one.
 */
#include "unwind/cfi-rule.h"

#include <dwarf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* DWARF register numbers of x86-64 (psABI figure 3.36). */
#define REG_RBP	6
#define REG_RSP	7
#define REG_RA	16

enum reg_rule {
	REG_UNCHANGED,	/* same value, or not mentioned */
	REG_UNDEFINED,
	REG_AT_CFA,	/* saved in memory at CFA + off */
	REG_OTHER,	/* in another register, a value, an expression */
};

static enum reg_rule reg_rule(Dwarf_Frame *f, int regno, int64_t *off)
{
	Dwarf_Op mem[3], *ops;
	size_t n;

	*off = 0;
	if (dwarf_frame_register(f, regno, mem, &ops, &n))
		return REG_OTHER;
	if (n == 0)	/* libdw: ops NULL for same value, ops_mem for undefined */
		return ops ? REG_UNDEFINED : REG_UNCHANGED;
	if (n == 1 && ops[0].atom == DW_OP_regx && ops[0].number == (Dwarf_Word)regno)
		return REG_UNCHANGED;
	if (ops[0].atom != DW_OP_call_frame_cfa || n > 2)
		return REG_OTHER;
	if (n == 2) {
		if (ops[1].atom != DW_OP_plus_uconst)
			return REG_OTHER;
		/* libdw stores a negative offset as its two's complement */
		*off = (int64_t)ops[1].number;
	}
	return REG_AT_CFA;
}

static bool breg(const Dwarf_Op *op, Dwarf_Word *reg, int64_t *off)
{
	if (op->atom >= DW_OP_breg0 && op->atom <= DW_OP_breg31) {
		*reg = op->atom - DW_OP_breg0;
		*off = (int64_t)op->number;
		return true;
	}
	if (op->atom == DW_OP_bregx) {	/* how libdw gives a def_cfa rule */
		*reg = op->number;
		*off = (int64_t)op->number2;
		return true;
	}
	return false;
}

/*
 * What ld writes for .plt (every Debian 12 binary checked uses 11; its
 * IBT PLT would use 10, which the row format has no room for):
 * rsp + 8 + ((rip & 15) >= 11 ? 8 : 0).
 */
static bool plt_expression(const Dwarf_Op *ops, size_t n, int64_t *off)
{
	static const uint8_t tail[] = {
		DW_OP_lit15, DW_OP_and, DW_OP_lit11, DW_OP_ge,
		DW_OP_lit3, DW_OP_shl, DW_OP_plus,
	};
	Dwarf_Word reg;
	size_t i;

	if (n != 2 + sizeof(tail) || !breg(&ops[0], &reg, off) || reg != REG_RSP ||
	    ops[1].atom != DW_OP_breg16 || ops[1].number != 0)
		return false;
	for (i = 0; i < sizeof(tail); i++)
		if (ops[2 + i].atom != tail[i])
			return false;
	return true;
}

/* The CFA rule into row->kind and cfa_off; false if unsupported. */
static bool cfa_rule(Dwarf_Frame *f, struct unwind_row *row)
{
	Dwarf_Op *ops;
	Dwarf_Word reg;
	size_t n;
	int64_t off;

	if (dwarf_frame_cfa(f, &ops, &n) || n == 0)
		return false;
	if (n == 1 && breg(&ops[0], &reg, &off) && (reg == REG_RSP || reg == REG_RBP))
		row->kind = reg == REG_RSP ? UNWIND_CFA_RSP : UNWIND_CFA_RBP;
	else if (plt_expression(ops, n, &off))
		row->kind = UNWIND_CFA_PLT;
	else
		return false;
	if (off < INT32_MIN || off > INT32_MAX)
		return false;
	row->cfa_off = (int32_t)off;
	return true;
}

static void set_unsupported(struct unwind_row *row)
{
	row->kind = UNWIND_UNSUPPORTED;
	row->cfa_off = 0;
	row->rbp_off = 0;
}

/* False when the walker cannot follow the rules. */
static bool fill_row(Dwarf_Frame *f, struct unwind_row *row)
{
	bool signal = false;
	int64_t off;
	int ra;

	ra = dwarf_frame_info(f, NULL, NULL, &signal);
	if (signal) {	/* the walker reads the ucontext, whatever the CFI says */
		row->kind = UNWIND_CFA_SIGNAL;
		return true;
	}
	if (ra != REG_RA)
		return false;
	switch (reg_rule(f, REG_RA, &off)) {
	case REG_UNDEFINED:
		row->kind = UNWIND_END;
		return true;
	case REG_AT_CFA:
		if (off == -8)
			break;
		return false;
	default:
		return false;
	}
	if (!cfa_rule(f, row))
		return false;
	switch (reg_rule(f, REG_RBP, &off)) {
	case REG_UNCHANGED:
	case REG_UNDEFINED:
		return true;
	case REG_AT_CFA:
		if (off < INT16_MIN || off > INT16_MAX)
			return false;
		row->kind |= UNWIND_RBP_SAVED;
		row->rbp_off = (int16_t)off;
		return true;
	default:
		return false;
	}
}

void cfi_rule_row(Dwarf_Frame *f, struct unwind_row *row)
{
	memset(row, 0, sizeof(*row));
	if (!fill_row(f, row))
		set_unsupported(row);
}
