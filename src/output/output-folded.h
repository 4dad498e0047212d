/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Folded stacks from a frame tree: "comm;root;...;leaf count", one line
 * per distinct stack, the input of flamegraph.pl, speedscope and inferno.
 */
#ifndef EBPF_TOOL_OUTPUT_FOLDED_H
#define EBPF_TOOL_OUTPUT_FOLDED_H

#include <stdbool.h>
#include <stdio.h>

#include "report/flametree.h"

struct folded_opts {
	bool kernel_suffix;	/* "_[k]" after kernel functions, as flamegraph.pl colours them */
};

/* Returns 0, or -EIO when the stream failed. */
int folded_print(FILE *f, const struct flametree *t, const struct folded_opts *o);

#endif
