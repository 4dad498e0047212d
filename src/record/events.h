/* The sampling events a user can name with -e, as perf names them. */
#ifndef EBPF_TOOL_EVENTS_H
#define EBPF_TOOL_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct event_desc {
	const char *name;	/* canonical name, as stored in data files */
	uint32_t type;		/* PERF_TYPE_* */
	uint64_t config;	/* PERF_COUNT_* */
	bool hardware;		/* needs a PMU; virtual machines often have none */
};

/* Look up an event by any of its names: -ENOENT if unknown. */
int event_lookup(const char *name, const struct event_desc **out);
/* The sampling events, for help texts and "ebpf-tool list". */
const struct event_desc *event_table(unsigned int *n);

#endif
