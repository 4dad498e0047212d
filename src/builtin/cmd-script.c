/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ebpf-tool script: print every sample of a data file, as perf script does. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "output/output-script.h"
#include "builtin/read-opts.h"
#include "data/session.h"
#include "lib/util.h"

#define CMD "script"

static const char usage_text[] =
	"Usage: ebpf-tool script [-i FILE] [-F FIELDS] [--max-stack N] [--comm LIST]\n"
	"                        [--pid LIST] [--tid LIST] [--cpu LIST] [--dsos LIST]\n"
	"                        [--symbols LIST] [--time START,END] [-v]\n"
	"\n"
	"Print every sample of a file written by 'ebpf-tool record', one after the\n"
	"other, as 'perf script' does: a line for the sample, then its stack, leaf\n"
	"first, then a blank line.  FlameGraph's stackcollapse-perf.pl reads it.\n";

enum { OPT_FIELDS = 'F', OPT_MAX_STACK = CMD_ID_OWN };

static const struct cmd_option options[] = {
	READ_OPTION_INPUT,
	CMD_VALUE('F', "fields", OPT_FIELDS, "FIELDS",
		  "comma-separated: comm, pid, tid, cpu, time, period,\n"
		  "event, ip, sym, symoff, dso, srcline; +FIELD and\n"
		  "-FIELD words change the default (comm,tid,cpu,\n"
		  "time,period,event,ip,sym,symoff,dso)", NULL),
	CMD_VALUE(0, "max-stack", OPT_MAX_STACK, "N", "print at most N frames of each stack", "all"),
	READ_OPTION_NO_INLINE,
	READ_FILTER_OPTIONS,
	CMD_OPTION_VERBOSE("say more about the file read"),
	CMD_OPTION_HELP,
};

struct script_args {
	struct read_args in;
	unsigned int fields;
	uint64_t max_stack;
};

static int parse_one(void *ctx, int id, const char *arg)
{
	struct script_args *a = ctx;
	const char *bad;

	switch (id) {
	case OPT_FIELDS:
		if (script_parse_fields(arg, &a->fields, &bad))
			return usage_error(CMD, "invalid -F field '%s': expected comm, pid, "
					   "tid, cpu, time, period, event, ip, sym, symoff, "
					   "dso or srcline, all with or all without +/-", bad);
		return 0;
	case OPT_MAX_STACK:
		return read_max_stack_opt(CMD, arg, &a->max_stack);
	}
	return read_args_parse(&a->in, CMD, id, arg);
}

static int parse_args(int argc, char **argv, struct script_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options), .help_column = 23,
		.handle = parse_one, .ctx = a,
	};

	memset(a, 0, sizeof(*a));
	read_args_init(&a->in);
	a->fields = SF_DEFAULT;
	return cmdline_parse_all(&cl, argc, argv);
}

struct script_ctx {
	struct script_opts o;
	const struct filter *filter;
	bool started;
};

static int on_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct script_ctx *c = ctx;
	const char *comm = session_comm(s, smp->tid);
	const struct sess_event *ev;

	if (!comm)
		return -ENOMEM;
	/* The META records all come first: the first sample sees them all. */
	if (!c->started) {
		c->started = true;
		c->o.callchain = session_has_callchains(s) != 0;
	}
	ev = session_event(s, smp->event);
	if (!ev)
		return -ENOMEM;
	c->o.event = ev->name;
	c->o.event_kind = ev->kind;
	/* Nobody reads on: stop instead of resolving the rest of the file. */
	if (ferror(stdout))
		return -EPIPE;
	if (!filter_sample_wanted(c->filter, comm, smp))
		return 0;
	if (c->filter->dsos.n || c->filter->syms.n) {
		struct sess_frame fr;
		const struct sess_stack *st = session_stack(s, smp->stack_id);
		bool kernel = st && st->n_kernel;
		int err = session_resolve(s, smp->pid, st && st->n_kernel + st->n_user ?
					  st->ips[0] : 0, kernel, &fr);

		if (err)
			return err;
		if (!filter_frame_wanted(c->filter, &fr))
			return 0;
	}
	return script_print_sample(stdout, s, smp, &c->o);
}

int cmd_script(int argc, char **argv)
{
	static const struct session_ops ops = { .sample = on_sample };
	struct script_args a;
	struct script_ctx c = { 0 };
	struct reader rd = { 0 };
	int status;

	status = parse_args(argc, argv, &a);
	if (status)
		return read_args_exit(&a.in, status);
	status = EXIT_FAIL;
	c.o.fields = a.fields;
	c.o.max_stack = (unsigned int)a.max_stack;
	c.o.no_inline = a.in.no_inline;
	if (!read_open(&rd, &a.in, CMD)) {
		c.filter = &rd.o.filter;
		if (!read_inputs(&rd, CMD, &ops, &c))
			status = EXIT_OK;
	}
	reader_release(&rd);
	read_args_release(&a.in);
	return status;
}
