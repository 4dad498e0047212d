/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the reading commands share on the command line: the inputs, the
 * sample filters and the time window, parsed into what data/reader.h
 * takes, and reading with the messages a user sees.
 */
#ifndef EBPF_TOOL_READ_OPTS_H
#define EBPF_TOOL_READ_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "builtin/cmdline.h"
#include "lib/cpumask.h"
#include "data/reader.h"
#include "report/sort.h"

#define READ_DEFAULT_INPUT	READER_DEFAULT_INPUT
#define READ_MAX_IDS		1024

/* ids of the rows read_args_parse() takes. */
enum {
	READ_OPT_INPUT = CMD_ID_READ, READ_OPT_COMM, READ_OPT_PID, READ_OPT_TID,
	READ_OPT_CPU, READ_OPT_DSOS, READ_OPT_SYMBOLS, READ_OPT_TIME, READ_OPT_NO_INLINE,
};

#define READ_OPTION_INPUT \
	CMD_VALUE('i', "input", READ_OPT_INPUT, "FILE", "the data file, - for standard input", \
		  READ_DEFAULT_INPUT)

/*
 * The filters.  Where a command means something more particular than
 * the others, it gives the words: diff reads two files, report's rows are
 * entries (anywhere on a stack with --children), not samples.
 */
#define READ_OPTION_COMM(help) \
	CMD_VALUE(0, "comm", READ_OPT_COMM, "LIST", help, NULL)
#define READ_ID_OPTIONS \
	CMD_VALUE(0, "pid", READ_OPT_PID, "LIST", "only these processes", NULL), \
	CMD_VALUE(0, "tid", READ_OPT_TID, "LIST", "only these threads", NULL), \
	CMD_VALUE(0, "cpu", READ_OPT_CPU, "LIST", "only these CPUs, like 0,2-3", NULL)
#define READ_OPTION_DSOS(help) \
	CMD_VALUE(0, "dsos", READ_OPT_DSOS, "LIST", help, NULL)
#define READ_OPTION_SYMBOLS(help) \
	CMD_VALUE(0, "symbols", READ_OPT_SYMBOLS, "LIST", help, NULL)
#define READ_LEAF_OPTIONS \
	READ_OPTION_DSOS("only samples whose leaf is in these shared objects"), \
	READ_OPTION_SYMBOLS("only samples whose leaf is in these symbols")
#define READ_OPTION_TIME(help) \
	CMD_VALUE(0, "time", READ_OPT_TIME, "START,END", help, NULL)
#define READ_TIME_HELP \
	"only samples taken from START to END seconds after\n" \
	"the recording started; either may be left out"

/* Stacks as the symbols name them, without the frames of inlined functions. */
#define READ_OPTION_NO_INLINE \
	CMD_FLAG(0, "no-inline", READ_OPT_NO_INLINE, \
		 "no inlined frames: one frame a return address,\n" \
		 "named by its symbol")

/*
 * -s of report and diff: the keys of report/sort.c's table, which --help
 * and the message for an unknown key list.
 */
#define READ_OPTION_SORT(id, dflt) \
	{ 's', "sort", CMD_ARG_REQUIRED, "KEYS", NULL, (dflt), (id), 0, read_sort_help }
const char *read_sort_help(void);
/* Parses -s's value into *keys; 0, or EXIT_USAGE after saying why. */
int read_sort_parse(const char *cmd, const char *arg, const struct sort_key **keys,
		    size_t *n);

/* What script, export and flamegraph filter by, in the same words. */
#define READ_FILTER_OPTIONS \
	READ_OPTION_COMM("only these commands"), READ_ID_OPTIONS, READ_LEAF_OPTIONS, \
	READ_OPTION_TIME(READ_TIME_HELP)

struct read_args {
	/*
	 * Every -i: several files, or a directory of them (the pieces of a
	 * record --switch-output), are read in turn and merged.
	 */
	const char *inputs[READER_MAX_INPUTS];
	size_t n_inputs;
	uint32_t pids[READ_MAX_IDS], tids[READ_MAX_IDS];
	size_t n_pids, n_tids;
	struct cpuset cpus;
	bool cpus_given;
	struct filter_names comms, dsos, syms;
	bool time_given;
	uint64_t time_start, time_end;	/* see struct reader_opts */
	bool no_inline;			/* --no-inline */
};

void read_args_init(struct read_args *a);
/* One shared option; returns 0 or EXIT_USAGE after saying why. */
int read_args_parse(struct read_args *a, const char *cmd, int id, const char *arg);
void read_args_release(struct read_args *a);
/* --max-stack of report and script; 0, or EXIT_USAGE after saying why. */
int read_max_stack_opt(const char *cmd, const char *arg, uint64_t *n);
/* After a parse that did not return 0: releases a; the exit status. */
int read_args_exit(struct read_args *a, int status);

/* What the reader takes: the inputs, filters and window of a (kept by a). */
void read_args_reader_opts(const struct read_args *a, struct reader_opts *o);

/*
 * Makes r for a's inputs, warning of incomplete files as they are read.
 * Returns 0, or EXIT_FAIL after saying why.
 */
int read_open(struct reader *r, const struct read_args *a, const char *cmd);
/* As read_open(), for options of the command's making (diff's one file). */
int read_open_opts(struct reader *r, const struct reader_opts *o, const char *cmd);

/*
 * Reads the inputs through the session, calling ops for each sample
 * inside the --time window (data/reader.h).  Returns 0, or EXIT_FAIL
 * after saying what went wrong.
 */
int read_inputs(struct reader *r, const char *cmd, const struct session_ops *ops,
		void *ctx);

/* The one message of a reader's error. */
void read_error_print(const char *cmd, const struct reader_error *e);

#endif
