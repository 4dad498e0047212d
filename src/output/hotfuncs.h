/* The hottest functions of "ebpf-tool perf": in-kernel IP counts, resolved. */
#ifndef EBPF_TOOL_HOTFUNCS_H
#define EBPF_TOOL_HOTFUNCS_H

#include <stddef.h>

#include "record/sampler.h"
#include "output/summary.h"

struct hotfuncs;

int hotfuncs_new(struct hotfuncs **out);
void hotfuncs_free(struct hotfuncs *h);
/* Snapshot the mappings of processes sampled since the last call, while they live. */
int hotfuncs_learn(struct hotfuncs *h, struct sampler *s);
/* Samples per function, heaviest first, in a malloc'ed array. */
int hotfuncs_collect(struct hotfuncs *h, struct sampler *s, struct summary_row **rows, size_t *n);

/* The resolver it keeps up to date, for other outputs of the same run. */
struct symbolizer *hotfuncs_symbolizer(struct hotfuncs *h);

#endif
