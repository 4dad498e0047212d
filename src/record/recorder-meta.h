/* The META records at the head of a recording: what a report header shows. */
#ifndef EBPF_TOOL_RECORDER_META_H
#define EBPF_TOOL_RECORDER_META_H

#include <stdbool.h>

#include "data/datafile.h"
#include "record/sample-args.h"

/* event: the name of the recording's event 0. */
int recorder_write_meta(struct df_writer *w, const struct sample_args *a, const char *call_graph,
			const char *cmdline, const char *event);

#endif
