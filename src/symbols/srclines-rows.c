/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rows of a line table over a range of code, one an address, for the
 * code record keeps of each sampled function: annotate puts the source
 * line of every instruction beside it, not only of the sampled ones.
 * libdw parses the table and bounds-checks it; we only pick and order.
 */
#include <errno.h>
#include <stdbool.h>

#include "symbols/srclines-int.h"

static void put_row(struct src_row *out, size_t *k, size_t max, uint64_t addr,
		    const char *file, uint32_t line)
{
	if (*k && out[*k - 1].addr == addr)
		(*k)--;		/* a later row at the same address wins */
	if (*k < max)
		out[(*k)++] = (struct src_row){ addr, file, line };
}

static int unit_rows(struct srclines *sl, uint64_t lo, uint64_t hi, struct src_row *out,
		     size_t max, const char **why)
{
	struct src_row before = { 0 };
	bool have_before = false;
	Dwarf_Lines *lines;
	Dwarf_Die cu;
	size_t n, k = 0;
	int found = srclines_unit_at(sl, lo, &cu, why);

	if (found <= 0)
		return found;
	if (dwarf_getsrclines(&cu, &lines, &n)) {
		*why = dwarf_errmsg(-1);
		return -EBADMSG;
	}
	/* libdw sorts the table by address. */
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *ln = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		bool end = false;
		int lineno = 0;
		const char *file;

		if (!ln || dwarf_lineaddr(ln, &a))
			continue;
		if (a >= hi)
			break;
		dwarf_lineendsequence(ln, &end);
		if (end || dwarf_lineno(ln, &lineno) || lineno < 0)
			lineno = 0;
		file = end ? NULL : srclines_path(sl, &cu, dwarf_linesrc(ln, NULL, NULL));
		/* The last row before lo covers lo, unless it ends a sequence. */
		if (a < lo) {
			before = (struct src_row){ lo, file, (uint32_t)lineno };
			have_before = !end;
			continue;
		}
		if (have_before && a > lo && !k)
			put_row(out, &k, max, lo, before.file, before.line);
		have_before = false;
		put_row(out, &k, max, a, file, (uint32_t)lineno);
	}
	if (have_before && !k)
		put_row(out, &k, max, lo, before.file, before.line);
	return (int)k;
}

int srclines_rows(struct srclines *sl, uint64_t lo, uint64_t hi, struct src_row *out,
		  size_t max, const char **why)
{
	const char *dummy;
	int k;

	why = why ? why : &dummy;
	*why = NULL;
	if (!sl || !out || !max || lo >= hi)
		return -EINVAL;
	if (srclines_begin(sl))
		return 0;
	k = unit_rows(sl, lo, hi, out, max, why);
	srclines_end(sl);
	return k;
}
