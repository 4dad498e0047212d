/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What report and script share on the command line: the input file, the
 * sample filters, and reading a file with the messages a user sees.
 */
#ifndef EBPF_TOOL_READ_OPTS_H
#define EBPF_TOOL_READ_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cpumask.h"
#include "report/hist.h"
#include "data/session.h"

#define READ_DEFAULT_INPUT	"ebpf-tool.data"
#define READ_MAX_IDS		1024
#define READ_MAX_INPUTS		64	/* -i options; a directory counts once */
#define READ_MAX_FILES		100000	/* files read in all */

/* getopt values of the shared long options (-i is 'i'). */
enum {
	READ_OPT_COMM = 0x200, READ_OPT_PID, READ_OPT_TID, READ_OPT_CPU,
	READ_OPT_DSOS, READ_OPT_SYMBOLS, READ_OPT_TIME,
};

#define READ_LONG_OPTIONS \
	{ "input", required_argument, NULL, 'i' }, \
	{ "comm", required_argument, NULL, READ_OPT_COMM }, \
	{ "pid", required_argument, NULL, READ_OPT_PID }, \
	{ "tid", required_argument, NULL, READ_OPT_TID }, \
	{ "cpu", required_argument, NULL, READ_OPT_CPU }, \
	{ "dsos", required_argument, NULL, READ_OPT_DSOS }, \
	{ "symbols", required_argument, NULL, READ_OPT_SYMBOLS }, \
	{ "time", required_argument, NULL, READ_OPT_TIME }

struct read_args {
	const char *input;		/* -i; "-" is standard input */
	const char *name;		/* the input as messages name it */
	/*
	 * Every -i: several files, or a directory of them (the pieces of a
	 * record --switch-output), are read in turn and merged.
	 */
	const char *inputs[READ_MAX_INPUTS];
	size_t n_inputs;
	uint32_t pids[READ_MAX_IDS], tids[READ_MAX_IDS];
	size_t n_pids, n_tids;
	struct cpuset cpus;
	bool cpus_given;
	struct hist_names comms, dsos, syms;
	/*
	 * --time: samples in [start, end) nanoseconds after the recording
	 * started (its start-monotonic META, else its first sample).
	 */
	bool time_given;
	uint64_t time_start, time_end;
	uint64_t time_base;		/* the window's origin: the first file's start */
	bool time_based;
};

void read_args_init(struct read_args *a);
/* One shared option; returns 0 or EXIT_USAGE after saying why. */
int read_args_parse(struct read_args *a, const char *cmd, int opt, const char *arg);
void read_args_filter(const struct read_args *a, struct hist_filter *f);
void read_args_release(struct read_args *a);

/*
 * Opens and reads the inputs through the session, calling ops for each
 * sample inside the --time window; a directory stands for the data files
 * in it, in name order.  Says what went wrong and returns EXIT_FAIL, or returns 0 (an
 * incomplete file is only warned about).
 */
int read_session(struct read_args *a, const char *cmd, struct session *s,
		 const struct session_ops *ops, void *ctx,
		 struct session_status *st);

#endif
