/*
 * Counting perf events for "ebpf-tool stat": no BPF, only perf_event_open()
 * in counting mode and read().  A counter is one event opened on every
 * target (each CPU, each thread, or a command and what it starts) and read
 * as the sum over them, scaled by time enabled / time running when the
 * kernel had to multiplex.  Returns 0 or -errno and never prints.
 */
#ifndef EBPF_TOOL_COUNTER_H
#define EBPF_TOOL_COUNTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/cpumask.h"

#define COUNTER_MAX_EVENTS 64

/* What a user can name with -e: a table event or a tracepoint. */
struct counter_event {
	char name[128];
	uint32_t type;			/* PERF_TYPE_* */
	uint64_t config;
	bool hardware;
};

/* Looks up "cycles", "sched:sched_switch"...: -ENOENT if unknown. */
int counter_event_parse(const char *name, struct counter_event *ev);

/* The id of a tracepoint from tracefs; -ENOENT if unknown, -ENODEV without tracefs. */
int tracepoint_id(const char *sys, const char *name, uint64_t *id);
/* The tracefs events directory, mounting tracefs if it is not (as perf does); NULL if none. */
const char *tracefs_events_dir(void);

struct counter_value {
	uint64_t val, ena, run;		/* sums over the targets */
};

struct counter {
	struct counter_event ev;
	int *fds;
	size_t n_fds;
	int err;			/* opening failed: -errno (-EOPNOTSUPP: not supported) */
	struct counter_value last;	/* at the previous read */
};

struct counter_target {
	const struct cpuset *cpus;	/* per CPU, every task; else per thread */
	const pid_t *tids;		/* threads (with what they start) */
	size_t n_tids;
	bool enable_on_exec;		/* a command not yet started: count from exec */
};

struct counter_set {
	struct counter *v;
	size_t n;
};

/*
 * Opens every counter on every target.  A counter the machine lacks
 * (no PMU) gets err = -EOPNOTSUPP and does not fail the call; other
 * errors do, with *bad the counter at fault.
 */
int counters_open(struct counter_set *set, const struct counter_event *evs, size_t n,
		  const struct counter_target *t, size_t *bad);
void counters_close(struct counter_set *set);
/* Start counting now (counters of a running target start disabled). */
int counters_enable(struct counter_set *set);
/* Reads one counter's sums into *v. */
int counter_read(struct counter *c, struct counter_value *v);
/* The count, scaled for multiplexing; *pct the share of time it ran (100 unless multiplexed). */
double counter_scaled(const struct counter_value *v, double *pct);

#endif
