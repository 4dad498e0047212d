/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ebpf-tool export: a data file in other tools' formats: folded stacks,
 * pprof's profile.proto, Chrome's Trace Event JSON.
 */
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
#include "output/output-chrome.h"
#include "output/output-folded.h"
#include "output/output-pprof.h"
#include "builtin/read-opts.h"
#include "report/samplewalk.h"
#include "lib/util.h"

#define CMD "export"

static const char usage_text[] =
	"Usage: ebpf-tool export --format FORMAT [-i FILE] [-o FILE] [--kernel-suffix]\n"
	"                        [--comm LIST] [--pid LIST] [--tid LIST] [--cpu LIST]\n"
	"                        [--dsos LIST] [--symbols LIST] [--time START,END] [-v]\n"
	"\n"
	"Convert a file written by 'ebpf-tool record' into another tool's format.\n";

enum { OPT_OUTPUT = 'o', OPT_FORMAT = CMD_ID_OWN, OPT_KERNEL_SUFFIX };

static const struct cmd_option options[] = {
	CMD_VALUE(0, "format", OPT_FORMAT, "FORMAT",
		  "folded: 'comm;root;...;leaf count' lines for\n"
		  "flamegraph.pl, speedscope and inferno;\n"
		  "pprof: gzip-compressed profile.proto for go tool pprof;\n"
		  "chrome: Trace Event JSON for Perfetto and chrome://tracing", NULL),
	READ_OPTION_INPUT,
	CMD_VALUE('o', "output", OPT_OUTPUT, "FILE", "where to write, - for standard output", "-"),
	CMD_FLAG(0, "kernel-suffix", OPT_KERNEL_SUFFIX, "folded: mark kernel functions with _[k]"),
	READ_FILTER_OPTIONS,
	CMD_OPTION_VERBOSE("say more about the file read and what was written"),
	CMD_OPTION_HELP,
};

enum format { FMT_NONE, FMT_FOLDED, FMT_PPROF, FMT_CHROME };

struct export_args {
	struct read_args in;
	enum format format;
	const char *output;
	bool kernel_suffix;
};

static int parse_one(void *ctx, int id, const char *arg)
{
	struct export_args *a = ctx;

	switch (id) {
	case OPT_FORMAT:
		if (!strcmp(arg, "folded"))
			a->format = FMT_FOLDED;
		else if (!strcmp(arg, "pprof"))
			a->format = FMT_PPROF;
		else if (!strcmp(arg, "chrome") || !strcmp(arg, "json"))
			a->format = FMT_CHROME;
		else
			return usage_error(CMD, "invalid --format '%s': expected folded, "
					   "pprof or chrome", arg);
		return 0;
	case OPT_OUTPUT:
		if (!*arg)
			return usage_error(CMD, "invalid --output '': expected a file "
					   "name or - for standard output");
		a->output = arg;
		return 0;
	case OPT_KERNEL_SUFFIX:
		a->kernel_suffix = true;
		return 0;
	}
	return read_args_parse(&a->in, CMD, id, arg);
}

static int parse_args(int argc, char **argv, struct export_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options), .help_column = 23,
		.handle = parse_one, .ctx = a,
	};
	int err;

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	a->output = "-";
	err = cmdline_parse_all(&cl, argc, argv);
	if (err)
		return err;
	if (a->format == FMT_NONE)
		return usage_error(CMD, "which format? give --format folded, pprof or chrome");
	if (a->kernel_suffix && a->format != FMT_FOLDED)
		return usage_error(CMD, "--kernel-suffix is for --format folded only");
	return 0;
}

struct export_ctx {
	enum format format;
	bool kernel_suffix;
	struct reader *rd;		/* for saying why reading stopped */
	struct flametree tree;
	struct pprof *pprof;
	struct chrome *chrome;
	FILE *fp;
};

static const char too_big[] = "too many distinct stacks for this format: narrow "
	"the profile with --time, --pid or --comm";

static int add_sample(struct export_ctx *x, struct session *s, const struct sw_sample *ss)
{
	struct ft_frame path[FT_MAX_PATH];
	int64_t leaf;

	switch (x->format) {
	case FMT_FOLDED:
		leaf = flametree_add(&x->tree, path, flametree_path(ss, path),
				     ss->smp->weight, 0);
		return leaf < 0 ? (int)leaf : 0;
	case FMT_PPROF:
		return pprof_add(x->pprof, ss);
	case FMT_CHROME:
		/* Nobody reads on: stop instead of converting the rest. */
		if (x->fp == stdout && ferror(stdout))
			return -EPIPE;
		return chrome_add(x->chrome, s, ss);
	default:
		return -EINVAL;
	}
}

static int on_sample(void *ctx, struct session *s, const struct sw_sample *ss)
{
	struct export_ctx *x = ctx;
	int err = add_sample(x, s, ss);

	if (err == -E2BIG)
		reader_fail(x->rd, "%s", too_big);
	return err;
}

/* What follows the last sample: everything but chrome's events is written now. */
static int finish(struct export_ctx *x, struct session *s, struct export_out *out)
{
	struct folded_opts fo = { .kernel_suffix = x->kernel_suffix };
	struct pprof_meta m = { 0 };
	const char *v;
	const struct df_end *end = session_end(s);

	switch (x->format) {
	case FMT_FOLDED:
		return folded_print(out->fp, &x->tree, &fo);
	case FMT_CHROME:
		return chrome_finish(x->chrome, s);
	case FMT_PPROF:
		m.period_ns = session_period_ns(s);
		v = session_meta(s, DF_META_START_TIME);
		if (v && parse_u64(v, 0, UINT64_MAX, &m.start_ns))
			m.start_ns = 0;
		m.duration_ns = end ? end->duration_ns : 0;
		m.event = session_meta(s, DF_META_EVENT);
		return pprof_write(x->pprof, out->of.fd, &m);
	default:
		return -EINVAL;
	}
}

static int setup(struct export_ctx *x, const struct export_args *a, FILE *fp)
{
	struct chrome_opts co = { 0 };

	x->format = a->format;
	x->kernel_suffix = a->kernel_suffix;
	x->fp = fp;
	switch (a->format) {
	case FMT_FOLDED:
		return flametree_init(&x->tree, false);
	case FMT_PPROF:
		return pprof_new(&x->pprof);
	default:
		return chrome_new(&x->chrome, fp, &co);
	}
}

static void teardown(struct export_ctx *x)
{
	if (x->format == FMT_FOLDED)
		flametree_release(&x->tree);
	pprof_free(x->pprof);
	chrome_free(x->chrome);
}

static int run(struct export_args *a, struct reader *rd, struct export_out *out)
{
	static const struct session_ops ops = { .sample = samplewalk_sample };
	struct export_ctx x = { 0 };
	struct samplewalk w;
	int err;

	x.rd = rd;
	if (setup(&x, a, out->fp) || samplewalk_init(&w, &rd->o.filter, on_sample, &x)) {
		cmd_error(CMD, "out of memory");
		teardown(&x);
		return EXIT_FAIL;
	}
	err = read_inputs(rd, CMD, &ops, &w);
	if (!err) {
		int e = finish(&x, rd->s, out);

		if (e && e != -EPIPE)
			cmd_error(CMD, "cannot write '%s': %s", out->path, strerror(-e));
		err = e ? EXIT_FAIL : 0;
	}
	if (verbose)
		fprintf(stderr, "%s: %" PRIu64 " samples exported\n", CMD, w.nr_samples);
	samplewalk_release(&w);
	teardown(&x);
	return err;
}

int cmd_export(int argc, char **argv)
{
	struct export_args a;
	struct export_out out;
	struct reader rd;
	int err, status;

	err = parse_args(argc, argv, &a);
	if (err) {
		read_args_release(&a.in);
		return err < 0 ? EXIT_OK : err;
	}
	if (read_open(&rd, &a.in, CMD)) {
		reader_release(&rd);
		read_args_release(&a.in);
		return EXIT_FAIL;
	}
	status = export_out_open(&out, CMD, a.output, a.format == FMT_PPROF);
	if (!status)
		status = export_out_close(&out, CMD, !run(&a, &rd, &out));
	reader_release(&rd);
	read_args_release(&a.in);
	return status;
}
