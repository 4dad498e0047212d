/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report's text output, laid out as perf report --stdio lays it out: the
 * header block, the column header, one row per entry and its call graph.
 */
#ifndef EBPF_TOOL_OUTPUT_STDIO_H
#define EBPF_TOOL_OUTPUT_STDIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/callchain.h"
#include "report/hist.h"
#include "data/session.h"

struct stdio_opts {
	bool children;		/* Children and Self columns, else Overhead */
	bool show_nr;		/* a Samples column */
	bool quiet;		/* no header block */
	bool callchain;		/* a call graph under each row */
	struct cc_params cc;
	double percent_limit;	/* hide rows under this share */
	const char *event;	/* for "# Samples: N of event 'E'" */
	uint64_t lost;		/* for "# Total Lost Samples: N" */
	bool no_lost_line;	/* not the first event: said already */
	bool time;		/* weights are nanoseconds: a Time column */
};

/* The rows of a sorted hist (hist_sort()).  Returns 0 or -ENOMEM. */
int stdio_report(FILE *fp, const struct hist *h, const struct stdio_opts *o);

/* The --header block: what the file says about the machine and the run. */
void stdio_header(FILE *fp, const struct session *s,
		  const struct session_status *st);

#endif
