/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ebpf-tool flamegraph: an interactive SVG flame graph of a data file. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "builtin/export-opts.h"
#include "report/flametree.h"
#include "output/output-svg.h"
#include "builtin/read-opts.h"
#include "report/samplewalk.h"
#include "lib/util.h"

#define CMD "flamegraph"
#define DEFAULT_OUTPUT "flamegraph.svg"

static const char usage_text[] =
	"Usage: ebpf-tool flamegraph [-i FILE] [-o FILE.svg] [--title TEXT]\n"
	"                            [--subtitle TEXT] [--width PX] [--minwidth PX|PCT%]\n"
	"                            [--colors PALETTE] [--countname NAME] [--inverted]\n"
	"                            [--flamechart] [--comm LIST] [--pid LIST]\n"
	"                            [--tid LIST] [--cpu LIST] [--dsos LIST]\n"
	"                            [--symbols LIST] [--time START,END] [-v]\n"
	"\n"
	"Draw the samples of a file written by 'ebpf-tool record' as a flame graph:\n"
	"a self-contained SVG with tooltips, click to zoom and search.\n";

enum { OPT_OUTPUT = 'o', OPT_EVENT = CMD_ID_OWN };

static const struct cmd_option options[] = {
	READ_OPTION_INPUT,
	CMD_VALUE('o', "output", OPT_OUTPUT, "FILE", "the SVG, - for standard output",
		  DEFAULT_OUTPUT),
	SVG_OPTION_TITLE("the title (default: Flame Graph, Icicle Graph, ...)", NULL),
	SVG_OPTION_SUBTITLE,
	SVG_OPTION_WIDTH("the image's width in pixels"),
	SVG_OPTION_MINWIDTH("merge frames narrower than PX pixels, or PCT% of the\n"
			    "graph, into one per parent"),
	SVG_OPTION_COLORS("hot, mem, io, red, green, blue, aqua, yellow, purple\n"
			  "or orange, for user functions (default: hot); kernel\n"
			  "functions get a contrasting hue"),
	SVG_OPTION_COUNTNAME("what the tooltips count (default: samples; ns for\n"
			     "off-CPU time)", NULL),
	CMD_VALUE(0, "event", OPT_EVENT, "NAME",
		  "draw this event of the recording, such as offcpu-time\n"
		  "(default: the recording's main event)", NULL),
	SVG_OPTION_INVERTED,
	SVG_OPTION_FLAMECHART,
	READ_OPTION_NO_INLINE,
	READ_FILTER_OPTIONS,
	CMD_OPTION_VERBOSE("say more about the file read and the graph drawn"),
	CMD_OPTION_HELP,
};

struct fg_args {
	struct read_args in;
	struct svg_opts svg;
	const char *output;
	const char *event;		/* NULL: the recording's main event */
	bool colors_given, countname_given;
};

static int parse_one(void *ctx, int id, const char *arg)
{
	struct fg_args *a = ctx;

	switch (id) {
	case OPT_OUTPUT:
		return export_path_opt(CMD, "--output", arg, &a->output);
	case OPT_EVENT:
		if (!*arg)
			return usage_error(CMD, "invalid --event '': expected an event name "
					   "such as offcpu-time");
		a->event = arg;
		return 0;
	}
	a->colors_given |= id == SVG_OPT_COLORS;
	a->countname_given |= id == SVG_OPT_COUNTNAME;
	if (svg_opts_id(id))
		return svg_opts_parse(&a->svg, CMD, id, arg);
	return read_args_parse(&a->in, CMD, id, arg);
}

static int parse_args(int argc, char **argv, struct fg_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options),
		.handle = parse_one, .ctx = a,
	};

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	svg_opts_init(&a->svg);
	a->output = DEFAULT_OUTPUT;
	return cmdline_parse_all(&cl, argc, argv);
}

struct fg_ctx {
	struct flametree tree;
	struct reader *rd;		/* for saying why reading stopped */
};

static int on_sample(void *ctx, struct session *s, const struct sw_sample *ss)
{
	struct fg_ctx *c = ctx;
	struct ft_frame path[FT_MAX_PATH];
	int64_t leaf = flametree_add(&c->tree, path, flametree_path(ss, path),
				     ss->smp->weight, 0);

	if (leaf == -E2BIG)
		reader_fail(c->rd, "too many frames to draw (more than %u): narrow "
			    "the profile with --time, --pid or --comm", FT_MAX_NODES);
	return leaf < 0 ? (int)leaf : 0;
}

static int draw(struct fg_args *a, struct fg_ctx *c, uint64_t samples)
{
	const struct reader *rd = c->rd;
	struct export_out out;
	struct svg_stats stats;
	int err;

	if (!samples) {
		if (a->event) {
			cmd_error(CMD, "no samples of event '%s' to draw in '%s'", a->event,
				  rd->name);
			return EXIT_FAIL;
		}
		cmd_error(CMD, "no samples to draw in '%s'%s", rd->name,
			  filter_any(&rd->o.filter) || rd->o.time_given ?
			  " with these filters" : "");
		return EXIT_FAIL;
	}
	if (!a->svg.chart && flametree_sort(&c->tree)) {
		cmd_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	if (export_out_open(&out, CMD, a->output, false))
		return EXIT_FAIL;
	err = svg_write(out.fp, &c->tree, &a->svg, &stats);
	if (!err && verbose)
		fprintf(stderr, "%s: %" PRIu64 " samples, %zu distinct frames, %" PRIu64
			" drawn, %" PRIu64 " merged as narrower than the minimum width\n",
			CMD, samples, c->tree.n, stats.frames, stats.merged);
	return export_out_close(&out, CMD, !err);
}

int cmd_flamegraph(int argc, char **argv)
{
	static const struct session_ops ops = { .sample = samplewalk_sample };
	struct fg_args a;
	struct fg_ctx c = { 0 };
	struct samplewalk w = { 0 };
	struct reader rd = { 0 };
	int status;

	status = parse_args(argc, argv, &a);
	if (status)
		return read_args_exit(&a.in, status);
	status = EXIT_FAIL;
	if (read_open(&rd, &a.in, CMD))
		goto out;
	c.rd = &rd;
	if (flametree_init(&c.tree, a.svg.chart) ||
	    samplewalk_init(&w, &rd.o.filter, on_sample, &c)) {
		cmd_error(CMD, "out of memory");
		goto out;
	}
	w.event = a.event;
	w.no_inline = a.in.no_inline;
	if (!read_inputs(&rd, CMD, &ops, &w)) {
		/* Time waited is not CPU: blue, counted in nanoseconds, as is usual. */
		if (w.event_kind == DF_EVENT_TIME) {
			if (!a.colors_given)
				a.svg.palette = PAL_BLUE;
			if (!a.countname_given)
				a.svg.countname = "ns";
		}
		status = draw(&a, &c, w.nr_samples);
	}
out:
	samplewalk_release(&w);
	flametree_release(&c.tree);
	reader_release(&rd);
	read_args_release(&a.in);
	return status;
}
