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

#include "builtin/cmdline.h"
#include "lib/outfile.h"
#include "output/output-svg.h"
#include "data/session.h"

/* ids of the rows svg_opts_parse() takes. */
enum {
	SVG_OPT_TITLE = CMD_ID_SVG, SVG_OPT_SUBTITLE, SVG_OPT_WIDTH, SVG_OPT_MINWIDTH,
	SVG_OPT_COLORS, SVG_OPT_COUNTNAME, SVG_OPT_INVERTED, SVG_OPT_FLAMECHART,
	SVG_OPT__END,
};

/*
 * The flame graph options of flamegraph and diff.  Where a graph of one
 * profile and one of a difference differ, the command gives the words.
 */
#define SVG_OPTION_TITLE(help, dflt) \
	CMD_VALUE(0, "title", SVG_OPT_TITLE, "TEXT", help, dflt)
#define SVG_OPTION_SUBTITLE \
	CMD_VALUE(0, "subtitle", SVG_OPT_SUBTITLE, "TEXT", "a second line under the title", "none")
#define SVG_OPTION_WIDTH(help) \
	CMD_VALUE(0, "width", SVG_OPT_WIDTH, "PX", help, CMD_STR(SVG_DEFAULT_WIDTH))
#define SVG_OPTION_MINWIDTH(help) \
	CMD_VALUE(0, "minwidth", SVG_OPT_MINWIDTH, "PX", help, CMD_STR(SVG_DEFAULT_MINWIDTH))
/* --colours too: a spelling is no reason for an error. */
#define SVG_OPTION_COLORS(help) \
	CMD_VALUE(0, "colors", SVG_OPT_COLORS, "PALETTE", help, NULL), \
	CMD_ALIAS(0, "colours", SVG_OPT_COLORS, CMD_ARG_REQUIRED)
#define SVG_OPTION_COUNTNAME(help, dflt) \
	CMD_VALUE(0, "countname", SVG_OPT_COUNTNAME, "NAME", help, dflt)
#define SVG_OPTION_INVERTED \
	CMD_FLAG(0, "inverted", SVG_OPT_INVERTED, "an icicle graph: the root on top")
#define SVG_OPTION_FLAMECHART \
	CMD_FLAG(0, "flamechart", SVG_OPT_FLAMECHART, \
		 "keep time order within each command, do not merge")

#define SVG_MAX_WIDTH	100000

void svg_opts_init(struct svg_opts *o);
static inline bool svg_opts_id(int id)
{
	return id >= SVG_OPT_TITLE && id < SVG_OPT__END;
}
/* One flame graph option; returns 0 or EXIT_USAGE after saying why. */
int svg_opts_parse(struct svg_opts *o, const char *cmd, int id, const char *arg);

/*
 * The value of a file option (--output, --flamegraph), "-" for standard
 * output.  Returns 0, or EXIT_USAGE after saying why.
 */
int export_path_opt(const char *cmd, const char *opt, const char *arg, const char **path);

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
