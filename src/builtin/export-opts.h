/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the exporting commands (export, flamegraph, diff) share beyond
 * read-opts: the output file with its messages and the flame graph options.
 */
#ifndef EBPF_TOOL_EXPORT_OPTS_H
#define EBPF_TOOL_EXPORT_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/outfile.h"
#include "output/output-svg.h"
#include "data/session.h"

/* getopt values of the flame graph options. */
enum {
	SVG_OPT_TITLE = 0x300, SVG_OPT_SUBTITLE, SVG_OPT_WIDTH, SVG_OPT_MINWIDTH,
	SVG_OPT_COLORS, SVG_OPT_COUNTNAME, SVG_OPT_INVERTED, SVG_OPT_FLAMECHART,
};

#define SVG_LONG_OPTIONS \
	{ "title", required_argument, NULL, SVG_OPT_TITLE }, \
	{ "subtitle", required_argument, NULL, SVG_OPT_SUBTITLE }, \
	{ "width", required_argument, NULL, SVG_OPT_WIDTH }, \
	{ "minwidth", required_argument, NULL, SVG_OPT_MINWIDTH }, \
	{ "colors", required_argument, NULL, SVG_OPT_COLORS }, \
	{ "colours", required_argument, NULL, SVG_OPT_COLORS }, \
	{ "countname", required_argument, NULL, SVG_OPT_COUNTNAME }, \
	{ "inverted", no_argument, NULL, SVG_OPT_INVERTED }

#define SVG_MAX_WIDTH	100000

void svg_opts_init(struct svg_opts *o);
/* One flame graph option; returns 0 or EXIT_USAGE after saying why. */
int svg_opts_parse(struct svg_opts *o, const char *cmd, int opt, const char *arg);

struct export_out {
	struct outfile of;
	FILE *fp;		/* NULL for a binary output written to of.fd */
	const char *path;
	bool open;
};

/*
 * Opens the output ("-": standard output) with its messages; a binary
 * format refuses a terminal.  Returns 0 or EXIT_FAIL.
 */
int export_out_open(struct export_out *e, const char *cmd, const char *path,
		    bool binary);
/*
 * Flushes and moves the file into place when ok, else removes it.
 * Returns EXIT_OK, or EXIT_FAIL after saying why.
 */
int export_out_close(struct export_out *e, const char *cmd, bool ok);

#endif
