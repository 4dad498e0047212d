/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff's table, in perf diff's layout: one row per entry (by default a
 * function of an object) of either profile, its share in the baseline and
 * how many points it moved in the other, biggest moves first.  Rows pair
 * up by the text of their keys, since the two files share no ids.
 */
#ifndef EBPF_TOOL_OUTPUT_DIFF_H
#define EBPF_TOOL_OUTPUT_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "report/hist.h"

/* Entries of both files together; past it -E2BIG. */
#define DIFF_MAX_ROWS	(1u << 24)

struct diff_opts {
	bool children;		/* shares of samples with the entry on the stack */
	bool quiet;		/* no header block */
	double percent_limit;	/* hide rows under it in both files */
	const char *event;
	const char *names[2];	/* the files, for the header */
};

/*
 * Both hists must have the same keys and be sorted (hist_sort()).
 * Returns 0, -ENOMEM, -E2BIG or -EIO.
 */
int diff_print(FILE *f, const struct hist *old, const struct hist *new,
	       const struct diff_opts *o);

#endif
