/* The sampling options that perf and record share: -F/-f, -d, -p, -t, -C, -e. */
#ifndef EBPF_TOOL_OPTIONS_H
#define EBPF_TOOL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "builtin/cmdline.h"
#include "record/sample-args.h"

/* ids of the rows sample_args_parse() takes. */
enum {
	SAMPLE_OPT_FREQ = CMD_ID_SAMPLE, SAMPLE_OPT_DURATION, SAMPLE_OPT_PID,
	SAMPLE_OPT_TID, SAMPLE_OPT_CPU, SAMPLE_OPT_EVENT,
};

/*
 * -p, -t, -C, meaning the same in both.  -F/-f, -d and -e are rows of each
 * command with the ids above: the names, defaults and event lists differ.
 */
#define SAMPLE_TARGET_OPTIONS \
	CMD_VALUE('p', "pid", SAMPLE_OPT_PID, "PID,...", \
		  "only these processes (filtered in the kernel)", NULL), \
	CMD_VALUE('t', "tid", SAMPLE_OPT_TID, "TID,...", \
		  "only these threads (filtered in the kernel)", NULL), \
	CMD_VALUE('C', "cpu", SAMPLE_OPT_CPU, "LIST", "only these CPUs, like 0,2-3", \
		  "every online CPU")

void sample_args_init(struct sample_args *a);
/* Handle one of the shared options; returns 0, or EXIT_USAGE after saying why. */
int sample_args_parse(struct sample_args *a, const char *cmd, int id, const char *arg);
/* Check what needs the machine (rate limit, online CPUs, live pids). */
int sample_args_finish(struct sample_args *a, const char *cmd);

#endif
