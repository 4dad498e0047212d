/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ebpf-tool diff: which functions' shares changed between two data files,
 * as perf diff shows it, and optionally a differential flame graph.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "builtin/export-opts.h"
#include "report/flametree.h"
#include "report/hist.h"
#include "output/output-diff.h"
#include "output/output-svg.h"
#include "builtin/read-opts.h"
#include "report/samplewalk.h"
#include "lib/util.h"

#define SORT_DEFAULT "dso,sym"
#define CMD "diff"

static const char usage_text[] =
	"Usage: ebpf-tool diff [-s KEYS] [--children|--no-children] [--percent-limit PCT]\n"
	"                      [-q] [--flamegraph FILE.svg [--negate] [--title TEXT]\n"
	"                      [--subtitle TEXT] [--width PX] [--minwidth PX|PCT%]\n"
	"                      [--countname NAME] [--inverted]] [--comm LIST]\n"
	"                      [--pid LIST] [--tid LIST] [--cpu LIST] [--dsos LIST]\n"
	"                      [--symbols LIST] [--time START,END] [-v] OLD NEW\n"
	"\n"
	"Compare two files written by 'ebpf-tool record', as 'perf diff' does: each\n"
	"function's share of the samples in OLD (the baseline) and how many points it\n"
	"moved in NEW, biggest moves first.\n";

enum {
	OPT_SORT = 's', OPT_QUIET = 'q',
	OPT_CHILDREN = CMD_ID_OWN, OPT_NO_CHILDREN, OPT_PERCENT_LIMIT, OPT_FLAMEGRAPH,
	OPT_NEGATE,
};

static const struct cmd_option options[] = {
	READ_OPTION_SORT(OPT_SORT, SORT_DEFAULT),
	CMD_FLAG(0, "children", OPT_CHILDREN,
		 "shares of samples with the function anywhere on the\n"
		 "stack (default with call chains)"),
	CMD_FLAG(0, "no-children", OPT_NO_CHILDREN, "shares of samples whose leaf is the function"),
	CMD_VALUE(0, "percent-limit", OPT_PERCENT_LIMIT, "PCT",
		  "hide rows under PCT percent in both files", "0"),
	CMD_FLAG('q', "quiet", OPT_QUIET, "no header lines, only the rows"),
	CMD_VALUE(0, "flamegraph", OPT_FLAMEGRAPH, "FILE",
		  "also draw a differential flame graph: NEW's frames,\n"
		  "red where the share grew, blue where it shrank", NULL),
	CMD_FLAG(0, "negate", OPT_NEGATE, "swap red and blue"),
	SVG_OPTION_TITLE("the flame graph's title\n", "Differential Flame Graph"),
	SVG_OPTION_SUBTITLE,
	SVG_OPTION_WIDTH("the flame graph's width in pixels"),
	SVG_OPTION_MINWIDTH("merge frames narrower than PX pixels, or PCT% of the\ngraph"),
	SVG_OPTION_COUNTNAME("what the tooltips count", "samples"),
	SVG_OPTION_INVERTED,
	READ_OPTION_COMM("only these commands, in both files"),
	READ_ID_OPTIONS,
	READ_LEAF_OPTIONS,
	READ_OPTION_TIME("only samples taken from START to END seconds after\n"
			 "each recording started; either may be left out"),
	/* Taken only to say how to name the files. */
	CMD_ALIAS('i', "input", READ_OPT_INPUT, CMD_ARG_REQUIRED),
	CMD_OPTION_VERBOSE("say more about the files read"),
	CMD_OPTION_HELP,
};

struct diff_args {
	struct read_args in;		/* the filters; -i is not taken */
	const char *files[2];
	const struct sort_key *keys[SORT_MAX_KEYS];
	size_t n_keys;
	bool no_children, quiet, negate, svg_only_opts;
	double percent_limit;
	const char *flamegraph;
	struct svg_opts svg;
};

static int parse_one(void *ctx, int id, const char *arg)
{
	struct diff_args *a = ctx;
	char *end;

	switch (id) {
	case OPT_SORT:
		return read_sort_parse(CMD, arg, a->keys, &a->n_keys);
	case OPT_CHILDREN: a->no_children = false; return 0;
	case OPT_NO_CHILDREN: a->no_children = true; return 0;
	case OPT_NEGATE: a->negate = true; return 0;
	case OPT_QUIET: a->quiet = true; return 0;
	case OPT_PERCENT_LIMIT:
		a->percent_limit = strtod(arg, &end);
		if (end == arg || *end || !isfinite(a->percent_limit) ||
		    a->percent_limit < 0 || a->percent_limit > 100)
			return usage_error(CMD, "invalid --percent-limit '%s': expected a "
					   "percentage from 0 to 100", arg);
		return 0;
	case OPT_FLAMEGRAPH:
		return export_path_opt(CMD, "--flamegraph", arg, &a->flamegraph);
	case READ_OPT_INPUT:
		return usage_error(CMD, "give the two files as arguments: "
				   "ebpf-tool diff OLD NEW");
	}
	if (svg_opts_id(id)) {
		a->svg_only_opts = true;
		return svg_opts_parse(&a->svg, CMD, id, arg);
	}
	return read_args_parse(&a->in, CMD, id, arg);
}

static int check_args(struct diff_args *a, int argc, char **argv)
{
	if (argc - optind < 2)
		return usage_error(CMD, "give two data files: ebpf-tool diff OLD NEW");
	if (argc - optind > 2)
		return usage_error(CMD, "unexpected argument '%s'", argv[optind + 2]);
	a->files[0] = argv[optind];
	a->files[1] = argv[optind + 1];
	if ((a->svg_only_opts || a->negate) && !a->flamegraph)
		return usage_error(CMD, "the flame graph options need --flamegraph FILE");
	if (a->flamegraph && !strcmp(a->flamegraph, "-"))
		return usage_error(CMD, "--flamegraph - would mix the SVG with the "
				   "table on standard output: give a file name");
	if (!a->n_keys)
		read_sort_parse(CMD, SORT_DEFAULT, a->keys, &a->n_keys);
	a->svg.diff = true;
	a->svg.negate = a->negate;
	return 0;
}

static int parse_args(int argc, char **argv, struct diff_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options),
		.handle = parse_one, .ctx = a,
	};
	int status;

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	svg_opts_init(&a->svg);
	status = cmdline_parse(&cl, argc, argv);
	if (status)
		return status;
	return check_args(a, argc, argv);
}

/* One file's reading: its hist, and its half of the flame graph. */
struct side {
	struct hist hist;
	struct samplewalk walk;
	struct flametree *tree;		/* NULL without --flamegraph */
	unsigned int which;
	struct reader rd;
};

static int on_frames(void *ctx, struct session *s, const struct sw_sample *ss)
{
	struct side *d = ctx;
	struct ft_frame path[FT_MAX_PATH];
	int64_t leaf = flametree_add(d->tree, path, flametree_path(ss, path),
				     ss->smp->weight, d->which);

	return leaf < 0 ? (int)leaf : 0;
}

static int on_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct side *d = ctx;
	int err = hist_add(&d->hist, s, smp);

	if (err && d->hist.why)
		reader_fail(&d->rd, "%s", d->hist.why);
	if (!err && d->tree)
		err = samplewalk_sample(&d->walk, s, smp);
	if (err == -E2BIG && !d->rd.error.why[0])
		reader_fail(&d->rd, "too many frames to draw: narrow the profiles "
			    "with --time, --pid or --comm");
	return err;
}

static int read_side(struct diff_args *a, struct side *d, unsigned int which,
		     struct flametree *tree)
{
	static const struct session_ops ops = { .sample = on_sample };
	struct reader_opts ro;
	struct hist_opts ho = { 0 };

	d->which = which;
	d->tree = tree;
	/* The filters of both; the file of this side. */
	read_args_reader_opts(&a->in, &ro);
	ro.inputs = &a->files[which];
	ro.n_inputs = 1;
	memcpy(ho.keys, a->keys, sizeof(a->keys));
	ho.n_keys = a->n_keys;
	ho.children = !a->no_children;
	ho.filter = ro.filter;
	/* Rows of two files are paired by symbol: inlined frames stay out. */
	ho.no_inline = true;
	if (read_open_opts(&d->rd, &ro, CMD))
		return EXIT_FAIL;
	if (hist_init(&d->hist, &ho) || samplewalk_init(&d->walk, &ro.filter, on_frames, d)) {
		cmd_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	d->walk.no_inline = true;
	return read_inputs(&d->rd, CMD, &ops, d);
}

static void side_release(struct side *d)
{
	hist_release(&d->hist);
	samplewalk_release(&d->walk);
	reader_release(&d->rd);
}

static int draw(struct diff_args *a, struct flametree *tree)
{
	struct export_out out;
	int err;

	if (!tree->nodes[0].value[1]) {
		cmd_error(CMD, "no samples to draw in '%s'", a->files[1]);
		return EXIT_FAIL;
	}
	if (flametree_sort(tree)) {
		cmd_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	if (export_out_open(&out, CMD, a->flamegraph, false))
		return EXIT_FAIL;
	err = svg_write(out.fp, tree, &a->svg, NULL);
	return export_out_close(&out, CMD, !err);
}

static int print(struct diff_args *a, struct side *d)
{
	struct diff_opts o = { .quiet = a->quiet, .percent_limit = a->percent_limit };
	int err;

	/* Without call chains, children and self are the same numbers. */
	o.children = !a->no_children && (session_has_callchains(d[0].rd.s) != 0 ||
					  session_has_callchains(d[1].rd.s) != 0);
	o.event = session_meta(d[1].rd.s, DF_META_EVENT);
	o.names[0] = a->files[0];
	o.names[1] = a->files[1];
	hist_sort(&d[0].hist, o.children, false);
	hist_sort(&d[1].hist, o.children, false);
	err = diff_print(stdout, &d[0].hist, &d[1].hist, &o);
	if (err && err != -EIO) {
		cmd_error(CMD, "cannot compare the files: %s", strerror(-err));
		return EXIT_FAIL;
	}
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a;
	struct side d[2] = { 0 };
	struct flametree tree = { 0 };
	int status;

	status = parse_args(argc, argv, &a);
	if (status)
		return read_args_exit(&a.in, status);
	status = EXIT_FAIL;
	if (!strcmp(a.files[0], "-") && !strcmp(a.files[1], "-")) {
		status = usage_error(CMD, "only one of the files can be standard input");
		goto out;
	}
	if (a.flamegraph && flametree_init(&tree, false)) {
		cmd_error(CMD, "out of memory");
		goto out;
	}
	if (read_side(&a, &d[0], 0, a.flamegraph ? &tree : NULL) ||
	    read_side(&a, &d[1], 1, a.flamegraph ? &tree : NULL))
		goto out;
	status = print(&a, d);
	if (!status && a.flamegraph)
		status = draw(&a, &tree);
out:
	side_release(&d[0]);
	side_release(&d[1]);
	if (a.flamegraph)
		flametree_release(&tree);
	read_args_release(&a.in);
	return status;
}
