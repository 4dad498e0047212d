/* The META records at the head of a recording: what a report header shows. */
#ifndef EBPF_TOOL_RECORDER_META_H
#define EBPF_TOOL_RECORDER_META_H

#include <stdbool.h>

#include "datafile.h"
#include "options.h"

int recorder_write_meta(struct df_writer *w, const struct sample_args *a, bool callchain,
			const char *cmdline);

#endif
