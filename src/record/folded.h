/*
 * Folded stacks, "comm;root;...;leaf count", the input of flamegraph.pl
 * and speedscope: samples are counted per (process, stack) while
 * sampling, and resolved to names once at the end.
 */
#ifndef EBPF_TOOL_FOLDED_H
#define EBPF_TOOL_FOLDED_H

#include <stdint.h>
#include <stdio.h>

#include "record/unwinder.h"
#include "symbols/symbolizer.h"

struct folded;

int folded_new(struct folded **out);
void folded_free(struct folded *f);
/* CFI unwinding: each new process's mappings go to u at its first sample. */
void folded_set_unwinder(struct folded *f, struct unwinder *u);
int folded_add(struct folded *f, uint32_t pid, const char *comm, const uint64_t *ips,
	       uint16_t n_kernel, uint16_t n_user);
/* One line per distinct resolved stack, in the order first seen. */
int folded_write(struct folded *f, struct symbolizer *syms, FILE *out);

#endif
