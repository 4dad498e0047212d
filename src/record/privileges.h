/* Why the kernel refused to let us sample, in words an admin can act on. */
#ifndef EBPF_TOOL_PRIVILEGES_H
#define EBPF_TOOL_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

#include "record/events.h"
#include "record/sampler.h"

/*
 * Describe a failed sampler start (err is -errno) with what to do about it;
 * ev NULL: no CPU is sampled, only the side-band events were opened.
 */
void sampler_error_explain(const struct sampler_error *e, int err, const struct event_desc *ev,
			   char *buf, size_t size);

#endif
