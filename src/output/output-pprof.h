/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pprof's profile.proto, gzip-compressed as pprof writes and reads it:
 * sample types samples/count and cpu/nanoseconds, one location per
 * distinct (object, address), functions, mappings with build-ids, and
 * comm, pid and tid labels on every sample.  Samples with the same stack
 * and labels are merged, so the file follows the distinct stacks.
 *
 * The strings are the session's: it must live until pprof_write().
 */
#ifndef EBPF_TOOL_OUTPUT_PPROF_H
#define EBPF_TOOL_OUTPUT_PPROF_H

#include <stdint.h>

#include "report/samplewalk.h"

/* Distinct samples, locations and functions, each; past it -E2BIG. */
#define PPROF_MAX_ENTRIES	(1u << 24)

struct pprof;

struct pprof_meta {
	uint64_t period_ns;	/* CPU time a sample of weight 1 stands for */
	uint64_t start_ns;	/* wall clock, since the epoch; 0 if unknown */
	uint64_t duration_ns;	/* 0 if unknown */
	const char *event;	/* a comment; NULL for none */
};

int pprof_new(struct pprof **out);
void pprof_free(struct pprof *p);
int pprof_add(struct pprof *p, const struct sw_sample *ss);
/* Writes the profile, compressed, to fd: 0 or -errno. */
int pprof_write(struct pprof *p, int fd, const struct pprof_meta *m);

#endif
