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
#include "builtin/read-opts.h"
#include "output/exporters.h"
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
	/* The help is the rows' of output/exporters.c. */
	{ 0, "format", CMD_ARG_REQUIRED, "FORMAT", NULL, NULL, OPT_FORMAT, 0, exporter_help },
	READ_OPTION_INPUT,
	CMD_VALUE('o', "output", OPT_OUTPUT, "FILE", "where to write, - for standard output", "-"),
	CMD_FLAG(0, "kernel-suffix", OPT_KERNEL_SUFFIX, "folded: mark kernel functions with _[k]"),
	READ_OPTION_NO_INLINE,
	READ_FILTER_OPTIONS,
	CMD_OPTION_VERBOSE("say more about the file read and what was written"),
	CMD_OPTION_HELP,
};

struct export_args {
	struct read_args in;
	const struct exporter *format;
	const char *output;
	bool kernel_suffix;
};

static int parse_one(void *ctx, int id, const char *arg)
{
	struct export_args *a = ctx;

	switch (id) {
	case OPT_FORMAT:
		a->format = exporter_find(arg);
		if (!a->format)
			return usage_error(CMD, "invalid --format '%s': expected %s", arg,
					   exporter_names(" or "));
		return 0;
	case OPT_OUTPUT:
		return export_path_opt(CMD, "--output", arg, &a->output);
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
	int status;

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	a->output = "-";
	status = cmdline_parse_all(&cl, argc, argv);
	if (status)
		return status;
	if (!a->format)
		return usage_error(CMD, "which format? give --format %s", exporter_names(" or "));
	if (a->kernel_suffix && !a->format->kernel_suffix)
		return usage_error(CMD, "--kernel-suffix is for --format folded only");
	return 0;
}

struct export_ctx {
	const struct exporter *format;
	void *state;
	struct reader *rd;		/* for saying why reading stopped */
};

static int on_sample(void *ctx, struct session *s, const struct sw_sample *ss)
{
	struct export_ctx *x = ctx;
	int err = x->format->add(x->state, s, ss);

	if (err == -E2BIG)
		reader_fail(x->rd, "too many distinct stacks for this format: narrow "
			    "the profile with --time, --pid or --comm");
	return err;
}

static int run(struct export_args *a, struct reader *rd, struct export_out *out)
{
	static const struct session_ops ops = { .sample = samplewalk_sample };
	const struct export_opts eo = { .kernel_suffix = a->kernel_suffix };
	struct export_ctx x = { .format = a->format, .rd = rd };
	struct samplewalk w;
	int status;

	if (x.format->open(&x.state, out->fp, &eo) ||
	    samplewalk_init(&w, &rd->o.filter, on_sample, &x)) {
		cmd_error(CMD, "out of memory");
		x.format->close(x.state);
		return EXIT_FAIL;
	}
	w.no_inline = a->in.no_inline;
	status = read_inputs(rd, CMD, &ops, &w);
	if (!status) {
		int err = x.format->finish(x.state, rd->s, out->fp, out->of.fd);

		if (err && err != -EPIPE)
			cmd_error(CMD, "cannot write '%s': %s", out->path, strerror(-err));
		status = err ? EXIT_FAIL : EXIT_OK;
	}
	if (verbose)
		fprintf(stderr, "%s: %" PRIu64 " samples exported\n", CMD, w.nr_samples);
	samplewalk_release(&w);
	x.format->close(x.state);
	return status;
}

int cmd_export(int argc, char **argv)
{
	struct export_args a;
	struct export_out out;
	struct reader rd;
	int status;

	status = parse_args(argc, argv, &a);
	if (status)
		return read_args_exit(&a.in, status);
	if (read_open(&rd, &a.in, CMD)) {
		reader_release(&rd);
		read_args_release(&a.in);
		return EXIT_FAIL;
	}
	status = export_out_open(&out, CMD, a.output, a.format->binary);
	if (!status)
		status = export_out_close(&out, CMD, !run(&a, &rd, &out));
	reader_release(&rd);
	read_args_release(&a.in);
	return status;
}
