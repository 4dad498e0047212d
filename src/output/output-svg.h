/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flame graphs as self-contained interactive SVG: one rectangle per frame,
 * as wide as its share of the samples, with a tooltip; a small embedded
 * script (flamegraph.js) zooms on click and searches.  Frames narrower
 * than the minimum width are merged into one "[N small frames]" frame per
 * parent, never drawn one by one, so a big profile stays a usable file.
 */
#ifndef EBPF_TOOL_OUTPUT_SVG_H
#define EBPF_TOOL_OUTPUT_SVG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/flametree.h"

enum svg_palette {
	PAL_HOT, PAL_MEM, PAL_IO, PAL_RED, PAL_GREEN, PAL_BLUE, PAL_AQUA,
	PAL_YELLOW, PAL_PURPLE, PAL_ORANGE, PAL__COUNT,
};

/* -EINVAL for an unknown name. */
int svg_parse_palette(const char *name, enum svg_palette *out);
/* "hot, mem, ..." for messages. */
const char *svg_palette_names(void);

#define SVG_DEFAULT_WIDTH	1200
#define SVG_DEFAULT_MINWIDTH	0.1	/* pixels, as flamegraph.pl */

struct svg_opts {
	const char *title;	/* NULL: named after the kind of graph */
	const char *subtitle;	/* NULL: none */
	const char *countname;	/* NULL: "samples" */
	unsigned int width;	/* of the image, pixels */
	double minwidth;	/* pixels, or percent of the graph when minwidth_pct */
	bool minwidth_pct;
	enum svg_palette palette;
	bool inverted;		/* icicle: the root on top */
	bool chart;		/* the tree is in time order (a flame chart) */
	/*
	 * Differential: profile 1's widths, each frame coloured by how its
	 * share of all samples changed since profile 0: red grew, blue shrank.
	 */
	bool diff;
	bool negate;		/* swap the differential hues */
};

struct svg_stats {
	uint64_t frames;	/* drawn */
	uint64_t merged;	/* tree nodes merged into small-frame frames or dropped */
};

/* Returns 0, -ENODATA for a tree without samples, or -EIO on a write error. */
int svg_write(FILE *f, const struct flametree *t, const struct svg_opts *o,
	      struct svg_stats *stats);

#endif
