/* The sampling options that perf and record share: -F/-f, -d, -p, -t, -C, -e, -v. */
#ifndef EBPF_TOOL_OPTIONS_H
#define EBPF_TOOL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "record/sample-args.h"

void sample_args_init(struct sample_args *a);
/* Handle one of the shared options; returns 0, or EXIT_USAGE after saying why. */
int sample_args_parse(struct sample_args *a, const char *cmd, int opt, const char *arg);
/* Check what needs the machine (rate limit, online CPUs, live pids). */
int sample_args_finish(struct sample_args *a, const char *cmd);

#endif
