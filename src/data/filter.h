/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sample filters of the reading commands (--comm, --pid, --tid,
 * --cpu, --dsos, --symbols): what a sample or one of its frames must be
 * to be counted.  Report applies the frame part to every frame it
 * credits; script and the exporters to the leaf.
 */
#ifndef EBPF_TOOL_FILTER_H
#define EBPF_TOOL_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/session.h"
#include "lib/cpumask.h"

/* A list option such as --comm a,b: the words. */
struct filter_names {
	char **v;
	size_t n;
};

/* Each part empty or NULL: everything passes it. */
struct filter {
	struct filter_names comms, dsos, syms;	/* dsos: name or full path */
	const uint32_t *pids, *tids;
	size_t n_pids, n_tids;
	const struct cpuset *cpus;		/* NULL: every CPU */
};

/* Whether the comm, pid, tid and cpu filters let the sample through. */
bool filter_sample_wanted(const struct filter *f, const char *comm,
			  const struct df_sample *smp);

/* Whether the dso and symbol filters let the frame through. */
bool filter_frame_wanted(const struct filter *f, const struct sess_frame *fr);

/* Whether any part is set. */
bool filter_any(const struct filter *f);

#endif
