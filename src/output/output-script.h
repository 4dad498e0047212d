/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * script's output: one sample at a time in perf script's shape, which
 * FlameGraph's stackcollapse-perf.pl and other perf tooling parse.
 */
#ifndef EBPF_TOOL_OUTPUT_SCRIPT_H
#define EBPF_TOOL_OUTPUT_SCRIPT_H

#include <stdbool.h>
#include <stdio.h>

#include "data/datafile.h"
#include "data/session.h"

enum script_field {
	SF_COMM = 1u << 0,
	SF_PID = 1u << 1,
	SF_TID = 1u << 2,
	SF_CPU = 1u << 3,
	SF_TIME = 1u << 4,
	SF_PERIOD = 1u << 5,
	SF_EVENT = 1u << 6,
	SF_IP = 1u << 7,
	SF_SYM = 1u << 8,
	SF_SYMOFF = 1u << 9,
	SF_DSO = 1u << 10,
	SF_SRCLINE = 1u << 11,
};

/* perf script's default for a sampling event. */
#define SF_DEFAULT (SF_COMM | SF_TID | SF_CPU | SF_TIME | SF_PERIOD | SF_EVENT | \
		    SF_IP | SF_SYM | SF_SYMOFF | SF_DSO)

/*
 * Parses -F: "comm,tid,ip" replaces the default; "+f" and "-f" words add
 * to and remove from it.  -EINVAL with *bad at the unknown word.
 */
int script_parse_fields(const char *arg, unsigned int *fields, const char **bad);

struct script_opts {
	unsigned int fields;
	const char *event;		/* the event name, "" if unknown */
	uint32_t event_kind;		/* DF_EVENT_*: probe hits print as perf prints them */
	bool callchain;			/* frames one a line (else on the header line) */
	unsigned int max_stack;		/* frames printed, from the leaf */
	bool no_inline;			/* no frames of inlined functions */
};

/* Prints one sample; returns 0 or a negative errno from resolving. */
int script_print_sample(FILE *fp, struct session *s, const struct df_sample *smp,
			const struct script_opts *o);

#endif
