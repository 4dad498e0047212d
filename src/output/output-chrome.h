/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chrome's Trace Event JSON, which Perfetto's UI and chrome://tracing
 * open: a track per thread with one complete event per sample, named
 * after its leaf function and pointing at its stack in "stackFrames",
 * and a track per CPU showing which thread ran there, one event per run
 * of consecutive samples of one thread.  Events are written as samples
 * arrive; only each thread's and CPU's latest is held back, to end it
 * where the next one starts, so that no two events of a track overlap.
 */
#ifndef EBPF_TOOL_OUTPUT_CHROME_H
#define EBPF_TOOL_OUTPUT_CHROME_H

#include <stdint.h>
#include <stdio.h>

#include "report/samplewalk.h"

/* The highest CPU number accepted; past it -E2BIG. */
#define CHROME_MAX_CPU		65535
/* CPU tracks live in a process no real pid (< 2^22) can be. */
#define CHROME_CPU_PID		(1u << 22)

struct chrome_opts {
	uint64_t period_ns;	/* the longest a sample's event lasts; 0: the file's */
	const char *event;	/* named in otherData; NULL: the file's */
};

struct chrome;

int chrome_new(struct chrome **out, FILE *f, const struct chrome_opts *o);
void chrome_free(struct chrome *c);
int chrome_add(struct chrome *c, struct session *s, const struct sw_sample *ss);
/* Writes what is held back, the names of tracks and the stacks. */
int chrome_finish(struct chrome *c, struct session *s);

#endif
