/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ebpf-tool annotate: the hottest functions of a data file, instruction
 * by instruction, as perf annotate --stdio prints them, from the code the
 * recording carries (record's CODE records).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "builtin/read-opts.h"
#include "output/output-annotate.h"
#include "report/annotate.h"
#include "report/samplewalk.h"
#include "lib/util.h"

#define CMD "annotate"
#define DEFAULT_PERCENT_LIMIT 0.5

static const char usage_text[] =
	"Usage: ebpf-tool annotate [-i FILE] [--stdio] [-s SYMBOL] [--percent-limit PCT]\n"
	"                          [--no-source] [--comm LIST] [--pid LIST] [--tid LIST]\n"
	"                          [--cpu LIST] [--dsos LIST] [--time START,END] [-v]\n"
	"                          [SYMBOL]\n"
	"\n"
	"Print the hottest functions of a file written by 'ebpf-tool record',\n"
	"instruction by instruction with their share of the function's samples and\n"
	"the source lines between them, as 'perf annotate --stdio' does.\n";

enum {
	OPT_SYMBOL = 's',
	OPT_STDIO = CMD_ID_OWN, OPT_PERCENT_LIMIT, OPT_NO_SOURCE,
};

static const struct cmd_option options[] = {
	READ_OPTION_INPUT,
	CMD_FLAG(0, "stdio", OPT_STDIO, "text output (the only kind, accepted for perf's sake)"),
	CMD_VALUE('s', "symbol", OPT_SYMBOL, "SYMBOL",
		  "annotate this function only (default: every function\n"
		  "with at least --percent-limit of the samples)", NULL),
	CMD_VALUE(0, "percent-limit", OPT_PERCENT_LIMIT, "PCT",
		  "annotate functions with at least PCT percent of the\n"
		  "samples", CMD_STR(DEFAULT_PERCENT_LIMIT)),
	CMD_FLAG(0, "no-source", OPT_NO_SOURCE,
		 "file:line only: never read the source files"),
	READ_OPTION_COMM("only these commands"),
	READ_ID_OPTIONS,
	READ_OPTION_DSOS("only samples whose leaf is in these shared objects"),
	READ_OPTION_TIME(READ_TIME_HELP),
	CMD_OPTION_VERBOSE("say more about the file read"),
	CMD_OPTION_HELP,
};

struct annotate_args {
	struct read_args in;
	const char *symbol;
	double percent_limit;
	bool no_source;
};

static int symbol_opt(struct annotate_args *a, const char *arg)
{
	if (!*arg)
		return usage_error(CMD, "invalid symbol '': expected a function name");
	if (a->symbol && strcmp(a->symbol, arg))
		return usage_error(CMD, "one symbol at a time: '%s' and '%s' given",
				   a->symbol, arg);
	a->symbol = arg;
	return 0;
}

static int parse_one(void *ctx, int id, const char *arg)
{
	struct annotate_args *a = ctx;
	char *end;

	switch (id) {
	case OPT_STDIO:
		return 0;
	case OPT_NO_SOURCE:
		a->no_source = true;
		return 0;
	case OPT_SYMBOL:
		return symbol_opt(a, arg);
	case OPT_PERCENT_LIMIT:
		a->percent_limit = strtod(arg, &end);
		if (end == arg || *end || !isfinite(a->percent_limit) || a->percent_limit < 0 ||
		    a->percent_limit > 100)
			return usage_error(CMD, "invalid --percent-limit '%s': expected a "
					   "percentage from 0 to 100", arg);
		return 0;
	}
	return read_args_parse(&a->in, CMD, id, arg);
}

static int parse_args(int argc, char **argv, struct annotate_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options),
		.handle = parse_one, .ctx = a,
	};
	int status;

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	a->percent_limit = DEFAULT_PERCENT_LIMIT;
	status = cmdline_parse(&cl, argc, argv);
	/* perf annotate [SYMBOL]: the function as an operand too. */
	if (!status && optind < argc)
		status = symbol_opt(a, argv[optind++]);
	if (!status && optind < argc)
		status = usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	return status;
}

static int on_sample(void *ctx, struct session *s, const struct sw_sample *ss)
{
	return annotate_add(ctx, s, ss->smp);
}

static bool wanted(const struct annotate_args *a, const struct annotate *an,
		   const struct ann_func *f)
{
	if (a->symbol)
		return !strcmp(f->name, a->symbol);
	return f->weight && 100.0 * (double)f->weight >= a->percent_limit * (double)an->total;
}

static int print_all(const struct annotate_args *a, struct reader *rd, struct annotate *an)
{
	struct annotate_opts o = { .event = session_meta(rd->s, DF_META_EVENT),
				   .arch = session_meta(rd->s, DF_META_ARCH),
				   .no_source = a->no_source };
	const char *omitted = session_meta(rd->s, DF_META_CODE_OMITTED);
	struct annotate_printer *p;
	size_t printed = 0, matched = 0, no_code = 0;
	int err;

	if (annotate_sort(an)) {
		cmd_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < an->n; i++) {
		if (!wanted(a, an, an->funcs[i]))
			continue;
		matched++;
		no_code += !an->funcs[i]->code;
	}
	if (!matched) {
		if (a->symbol)
			cmd_error(CMD, "no samples in user function '%s' in '%s'%s: 'ebpf-tool "
				  "report' lists the sampled ones", a->symbol, rd->name,
				  filter_any(&rd->o.filter) || rd->o.time_given ?
				  " with these filters" : "");
		else
			cmd_error(CMD, "no user function has %g%% of the samples in '%s': lower "
				  "--percent-limit, or name one with -s", a->percent_limit,
				  rd->name);
		return EXIT_FAIL;
	}
	if (matched == no_code) {
		cmd_error(CMD, "'%s' holds no code of %s: the recording was made with "
			  "--no-code or by an older ebpf-tool,%s or the binary could not be "
			  "read; record again", rd->name,
			  a->symbol ? a->symbol : "its hottest functions",
			  omitted ? " the code was over record's budget," : "");
		return EXIT_FAIL;
	}
	err = annotate_printer_new(&p, &o);
	if (err) {
		cmd_error(CMD, err == -ENOTSUP ? "cannot disassemble code of %s machines" :
			  "out of memory", o.arch);
		return EXIT_FAIL;
	}
	for (size_t i = 0; !err && i < an->n; i++) {
		const struct ann_func *f = an->funcs[i];

		if (!wanted(a, an, f))
			continue;
		if (!f->code) {
			cmd_warn(CMD, "no code of %s (%s, %.2f%% of the samples) in the file",
				 f->name, f->dso->name, 100.0 * (double)f->weight /
				 (double)an->total);
			continue;
		}
		err = annotate_print(stdout, p, f);
		printed++;
	}
	annotate_printer_free(p);
	if (err) {
		cmd_error(CMD, "cannot write the listing: %s", strerror(-err));
		return EXIT_FAIL;
	}
	if (verbose)
		fprintf(stderr, "%s: %zu functions annotated; of %" PRIu64 " samples, %" PRIu64
			" in the kernel and %" PRIu64 " in no known function\n", CMD, printed,
			an->total, an->kernel, an->unresolved);
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

int cmd_annotate(int argc, char **argv)
{
	static const struct session_ops ops = { .sample = samplewalk_sample };
	struct annotate_args a;
	struct annotate an;
	struct samplewalk w = { 0 };
	struct reader rd = { 0 };
	int status;

	status = parse_args(argc, argv, &a);
	if (status)
		return read_args_exit(&a.in, status);
	annotate_init(&an);
	status = EXIT_FAIL;
	if (read_open(&rd, &a.in, CMD))
		goto out;
	if (samplewalk_init(&w, &rd.o.filter, on_sample, &an)) {
		cmd_error(CMD, "out of memory");
		goto out;
	}
	w.no_inline = true;
	if (!read_inputs(&rd, CMD, &ops, &w))
		status = print_all(&a, &rd, &an);
out:
	samplewalk_release(&w);
	annotate_release(&an);
	reader_release(&rd);
	read_args_release(&a.in);
	return status;
}
