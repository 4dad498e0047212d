/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ebpf-tool flamegraph: an interactive SVG flame graph of a data file. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
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
	"a self-contained SVG with tooltips, click to zoom and search.\n"
	"\n"
	"  -i, --input FILE       the data file, - for standard input (default: ebpf-tool.data)\n"
	"  -o, --output FILE      the SVG, - for standard output (default: flamegraph.svg)\n"
	"      --title TEXT       the title (default: Flame Graph, Icicle Graph, ...)\n"
	"      --subtitle TEXT    a second line under the title (default: none)\n"
	"      --width PX         the image's width in pixels (default: 1200)\n"
	"      --minwidth PX      merge frames narrower than PX pixels, or PCT% of the\n"
	"                         graph, into one per parent (default: 0.1)\n"
	"      --colors PALETTE   hot, mem, io, red, green, blue, aqua, yellow, purple\n"
	"                         or orange, for user functions (default: hot); kernel\n"
	"                         functions get a contrasting hue\n"
	"      --countname NAME   what the tooltips count (default: samples; ns for\n"
	"                         off-CPU time)\n"
	"      --event NAME       draw this event of the recording, such as offcpu-time\n"
	"                         (default: the recording's main event)\n"
	"      --inverted         an icicle graph: the root on top\n"
	"      --flamechart       keep time order within each command, do not merge\n"
	"      --comm LIST        only these commands\n"
	"      --pid LIST         only these processes\n"
	"      --tid LIST         only these threads\n"
	"      --cpu LIST         only these CPUs, like 0,2-3\n"
	"      --dsos LIST        only samples whose leaf is in these shared objects\n"
	"      --symbols LIST     only samples whose leaf is in these symbols\n"
	"      --time START,END   only samples taken from START to END seconds after\n"
	"                         the recording started; either may be left out\n"
	"  -v, --verbose          say more about the file read and the graph drawn\n"
	"  -h, --help             show this help\n";

enum { OPT_EVENT = 0x400 };

static const struct option long_options[] = {
	READ_LONG_OPTIONS,
	SVG_LONG_OPTIONS,
	{ "flamechart", no_argument, NULL, SVG_OPT_FLAMECHART },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "output", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct fg_args {
	struct read_args in;
	struct svg_opts svg;
	const char *output;
	const char *event;		/* NULL: the recording's main event */
	bool colors_given, countname_given;
};

static int parse_one(void *ctx, int c)
{
	struct fg_args *a = ctx;
	switch (c) {
	case 'o':
		if (!*optarg)
			return usage_error(CMD, "invalid --output '': expected a file "
					   "name or - for standard output");
		a->output = optarg;
		return 0;
	case 'v':
		verbose++;
		return 0;
	case OPT_EVENT:
		if (!*optarg)
			return usage_error(CMD, "invalid --event '': expected an event name "
					   "such as offcpu-time");
		a->event = optarg;
		return 0;
	}
	a->colors_given |= c == SVG_OPT_COLORS;
	a->countname_given |= c == SVG_OPT_COUNTNAME;
	if (c >= SVG_OPT_TITLE && c <= SVG_OPT_FLAMECHART)
		return svg_opts_parse(&a->svg, CMD, c, optarg);
	return read_args_parse(&a->in, CMD, c, optarg);
}

static int parse_args(int argc, char **argv, struct fg_args *a)
{
	const struct cmdline cl = { CMD, ":i:o:vh", long_options, usage_text, parse_one, a };

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	svg_opts_init(&a->svg);
	a->output = DEFAULT_OUTPUT;
	return cmdline_parse_all(&cl, argc, argv);
}

struct fg_ctx {
	struct flametree tree;
	struct session_status *st;
};

static int on_sample(void *ctx, struct session *s, const struct sw_sample *ss)
{
	struct fg_ctx *c = ctx;
	struct ft_frame path[FT_MAX_PATH];
	int64_t leaf = flametree_add(&c->tree, path, flametree_path(ss, path),
				     ss->smp->weight, 0);

	if (leaf == -E2BIG)
		snprintf(c->st->error, sizeof(c->st->error), "too many frames to draw "
			 "(more than %u): narrow the profile with --time, --pid or --comm",
			 FT_MAX_NODES);
	return leaf < 0 ? (int)leaf : 0;
}

static int draw(struct fg_args *a, struct fg_ctx *c, uint64_t samples)
{
	struct export_out out;
	struct svg_stats stats;
	int err;

	if (!samples) {
		if (a->event) {
			cmd_error(CMD, "no samples of event '%s' to draw in '%s'", a->event,
				  a->in.name);
			return EXIT_FAIL;
		}
		cmd_error(CMD, "no samples to draw in '%s'%s", a->in.name,
			  a->in.comms.n || a->in.n_pids || a->in.n_tids || a->in.cpus_given ||
			  a->in.dsos.n || a->in.syms.n || a->in.time_given ?
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
	struct hist_filter f;
	struct session *s = NULL;
	struct session_status st;
	int err, status = EXIT_FAIL;

	err = parse_args(argc, argv, &a);
	if (err) {
		read_args_release(&a.in);
		return err < 0 ? EXIT_OK : err;
	}
	read_args_filter(&a.in, &f);
	c.st = &st;
	if (session_new(&s) || flametree_init(&c.tree, a.svg.chart) ||
	    samplewalk_init(&w, &f, on_sample, &c)) {
		cmd_error(CMD, "out of memory");
		goto out;
	}
	w.event = a.event;
	if (!read_session(&a.in, CMD, s, &ops, &w, &st)) {
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
	session_free(s);
	read_args_release(&a.in);
	return status;
}
