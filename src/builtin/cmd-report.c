/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ebpf-tool report: read a data file, aggregate, print perf report --stdio. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "report/hist.h"
#include "output/output-stdio.h"
#include "builtin/read-opts.h"
#include "data/session.h"
#include "lib/util.h"

#define SORT_DEFAULT "comm,dso,sym"
#define CMD "report"

static const char usage_text[] =
	"Usage: ebpf-tool report [-i FILE] [--stdio] [-s KEYS] [-n] [-g [OPTS]]\n"
	"                        [--children|--no-children] [--percent-limit PCT] [-G]\n"
	"                        [--max-stack N] [--comm LIST] [--pid LIST] [--tid LIST]\n"
	"                        [--cpu LIST] [--dsos LIST] [--symbols LIST]\n"
	"                        [--time START,END] [--header|--header-only] [-q] [-v]\n"
	"\n"
	"Read a file written by 'ebpf-tool record' and print where the samples fall,\n"
	"as 'perf report --stdio' does.\n";

enum {
	OPT_SORT = 's', OPT_SHOW_NR = 'n', OPT_CALL_GRAPH = 'g', OPT_INVERTED = 'G',
	OPT_QUIET = 'q',
	OPT_STDIO = CMD_ID_OWN, OPT_CHILDREN, OPT_NO_CHILDREN, OPT_PERCENT_LIMIT,
	OPT_MAX_STACK, OPT_HEADER, OPT_HEADER_ONLY,
};

static const struct cmd_option options[] = {
	READ_OPTION_INPUT,
	CMD_FLAG(0, "stdio", OPT_STDIO, "text output (the only kind, accepted for perf's sake)"),
	READ_OPTION_SORT(OPT_SORT, SORT_DEFAULT),
	CMD_FLAG('n', "show-nr-samples", OPT_SHOW_NR, "add a Samples column"),
	/* perf takes "-g folded" as well as "-g=folded"; report has no operands. */
	{ 'g', "call-graph", CMD_ARG_OPTIONAL, "OPTS",
	  "type,min_percent[,limit],order: type is graph, flat,\n"
	  "folded or none; order caller or callee\n"
	  "(default: graph,0.5,caller with --children, callee without)", NULL, OPT_CALL_GRAPH,
	  CMD_OPT_NEXT_WORD, NULL },
	CMD_FLAG(0, "children", OPT_CHILDREN, "Children and Self columns (default with call chains)"),
	CMD_FLAG(0, "no-children", OPT_NO_CHILDREN, "one Overhead column, self time only"),
	CMD_VALUE(0, "percent-limit", OPT_PERCENT_LIMIT, "PCT",
		  "hide rows and call-graph branches under PCT percent\n"
		  "(default: 0 for rows, 0.5 for branches)", NULL),
	CMD_FLAG('G', "inverted", OPT_INVERTED, "call graphs in caller order"),
	CMD_VALUE(0, "max-stack", OPT_MAX_STACK, "N", "use at most N frames of each stack", "all"),
	READ_OPTION_NO_INLINE,
	READ_OPTION_COMM("only these commands"),
	READ_ID_OPTIONS,
	READ_OPTION_DSOS("only these shared objects (name or path)"),
	READ_OPTION_SYMBOLS("only these symbols"),
	READ_OPTION_TIME(READ_TIME_HELP),
	CMD_FLAG(0, "header", OPT_HEADER, "print the recording's metadata first"),
	CMD_FLAG(0, "header-only", OPT_HEADER_ONLY, "print only the metadata"),
	CMD_FLAG('q', "quiet", OPT_QUIET, "no header lines, only the rows"),
	CMD_OPTION_VERBOSE("say more about the file read"),
	CMD_OPTION_HELP,
};

struct report_args {
	struct read_args in;		/* -i and the sample filters */
	const struct sort_key *keys[SORT_MAX_KEYS];
	size_t n_keys;
	int children;			/* -1: default */
	bool g_given, inverted, show_nr, quiet, header, header_only;
	struct cc_params cc;
	double percent_limit;
	uint64_t max_stack;
};

static int parse_percent(const char *arg, double *out)
{
	char *end;
	double v;

	v = strtod(arg, &end);
	if (end == arg || *end || !isfinite(v) || v < 0 || v > 100)
		return usage_error(CMD, "invalid --percent-limit '%s': expected a "
				   "percentage from 0 to 100", arg);
	*out = v;
	return 0;
}

static int parse_g(struct report_args *a, const char *arg)
{
	const char *bad;

	a->g_given = true;
	if (arg && cc_params_parse(&a->cc, arg, &bad))
		return usage_error(CMD, "invalid -g value '%s': '%s' is not a type "
				   "(graph, flat, folded, none), an order (caller, "
				   "callee) or a percentage", arg, bad);
	return 0;
}

static int parse_one(void *ctx, int id, const char *arg)
{
	struct report_args *a = ctx;

	switch (id) {
	case OPT_SORT:
		return read_sort_parse(CMD, arg, a->keys, &a->n_keys);
	case OPT_CALL_GRAPH:
		return parse_g(a, arg);
	case OPT_SHOW_NR: a->show_nr = true; return 0;
	case OPT_INVERTED: a->inverted = true; return 0;
	case OPT_QUIET: a->quiet = true; return 0;
	case OPT_STDIO: return 0;
	case OPT_CHILDREN: a->children = 1; return 0;
	case OPT_NO_CHILDREN: a->children = 0; return 0;
	case OPT_HEADER: a->header = true; return 0;
	case OPT_HEADER_ONLY: a->header_only = true; return 0;
	case OPT_PERCENT_LIMIT:
		/* As in perf, the limit applies to call-graph branches too. */
		if (parse_percent(arg, &a->percent_limit))
			return EXIT_USAGE;
		a->cc.min_percent = a->percent_limit;
		return 0;
	case OPT_MAX_STACK:
		return read_max_stack_opt(CMD, arg, &a->max_stack);
	}
	return read_args_parse(&a->in, CMD, id, arg);
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options),
		.handle = parse_one, .ctx = a,
	};
	int status;

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	a->children = -1;
	cc_params_init(&a->cc);
	status = cmdline_parse_all(&cl, argc, argv);
	if (status)
		return status;
	if (!a->n_keys)
		read_sort_parse(CMD, SORT_DEFAULT, a->keys, &a->n_keys);
	return 0;
}

/* One hist per event, as perf keeps one per event: the numbers never mix. */
struct report_ctx {
	struct hist_opts ho;
	struct hist *hists[SESS_MAX_EVENTS];	/* by sess_event.index */
	const struct sess_event *events[SESS_MAX_EVENTS];
	bool checked;
	struct reader *rd;		/* for saying why aggregation stopped */
};

static struct hist *hist_of(struct report_ctx *r, const struct sess_event *ev)
{
	struct hist *h = r->hists[ev->index];

	if (h)
		return h;
	h = calloc(1, sizeof(*h));
	if (!h || hist_init(h, &r->ho)) {
		free(h);
		return NULL;
	}
	r->events[ev->index] = ev;
	return r->hists[ev->index] = h;
}

static void report_ctx_release(struct report_ctx *r)
{
	for (size_t i = 0; i < SESS_MAX_EVENTS; i++) {
		if (r->hists[i])
			hist_release(r->hists[i]);
		free(r->hists[i]);
	}
}

static int on_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct report_ctx *r = ctx;
	const struct sess_event *ev;
	struct hist *h;
	int err;

	/* The META records are all in: a file without chains grows no trees. */
	if (!r->checked) {
		r->checked = true;
		if (session_has_callchains(s) == 0)
			r->ho.callchain = false;
	}
	ev = session_event(s, smp->event);
	h = ev ? hist_of(r, ev) : NULL;
	if (!h)
		return -ENOMEM;
	err = hist_add(h, s, smp);
	if (err && h->why)
		reader_fail(r->rd, "%s", h->why);
	return err;
}

static void hist_opts_of(const struct report_args *a, struct hist_opts *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->keys, a->keys, sizeof(a->keys));
	o->n_keys = a->n_keys;
	o->children = a->children != 0;
	o->callchain = a->cc.mode != CC_NONE;
	if (a->inverted)
		o->caller = true;
	else
		o->caller = a->cc.order_set ? a->cc.caller : o->children;
	o->max_stack = (unsigned int)a->max_stack;
	o->min_percent = a->cc.min_percent;
	o->no_inline = a->in.no_inline;
}

static int print_report(struct report_ctx *r, struct report_args *a,
			struct reader *rd)
{
	struct session *s = rd->s;
	int has = session_has_callchains(s);
	struct stdio_opts o = { 0 };
	struct hist empty;
	bool first = true;
	int err = 0;

	if (has < 0) {
		has = 0;
		for (size_t i = 0; i < SESS_MAX_EVENTS; i++)
			has |= r->hists[i] && r->hists[i]->saw_chain;
	}
	if (a->g_given && !has && a->cc.mode != CC_NONE) {
		cmd_error(CMD, "-g needs call chains, but '%s' has none: record with "
			  "'ebpf-tool record -g'", rd->name);
		return EXIT_FAIL;
	}
	o.children = has && a->children != 0;
	o.callchain = has && a->cc.mode != CC_NONE;
	o.show_nr = a->show_nr;
	o.quiet = a->quiet;
	o.cc = a->cc;
	o.percent_limit = a->percent_limit;
	o.lost = session_lost_samples(s);
	if (a->header)
		stdio_header(stdout, s, &rd->st);
	for (size_t i = 0; i < SESS_MAX_EVENTS && !err; i++) {
		if (!r->hists[i])
			continue;
		o.event = r->events[i]->name;
		o.time = r->events[i]->kind == DF_EVENT_TIME;
		o.no_lost_line = !first;
		if (!first && !a->quiet)
			fputs("\n\n", stdout);
		first = false;
		err = hist_sort(r->hists[i], o.children, o.callchain);
		if (err) {
			cmd_error(CMD, "'%s': %s", rd->name,
				  r->hists[i]->why ? r->hists[i]->why : strerror(-err));
			return EXIT_FAIL;
		}
		err = stdio_report(stdout, r->hists[i], &o);
	}
	/* A file without samples still gets its header block. */
	if (first && !(err = hist_init(&empty, &r->ho))) {
		o.event = session_meta(s, DF_META_EVENT);
		hist_sort(&empty, o.children, o.callchain);
		err = stdio_report(stdout, &empty, &o);
		hist_release(&empty);
	}
	if (err) {
		cmd_error(CMD, "cannot print the report: %s", strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	static const struct session_ops ops = { .sample = on_sample };
	struct report_args a;
	struct report_ctx r = { 0 };
	struct reader rd = { 0 };
	int status;

	status = parse_args(argc, argv, &a);
	if (status)
		return read_args_exit(&a.in, status);
	status = EXIT_FAIL;
	if (read_open(&rd, &a.in, CMD))
		goto out;
	hist_opts_of(&a, &r.ho);
	r.ho.filter = rd.o.filter;
	r.rd = &rd;
	if (read_inputs(&rd, CMD, a.header_only ? NULL : &ops, &r))
		goto out;
	if (a.header_only) {
		stdio_header(stdout, rd.s, &rd.st);
		status = EXIT_OK;
		goto out;
	}
	status = print_report(&r, &a, &rd);
out:
	report_ctx_release(&r);
	reader_release(&rd);
	read_args_release(&a.in);
	return status;
}
