/*
 * Busy and idle time per CPU from /proc/stat, in the kernel's USER_HZ
 * ticks: an idle CPU takes no cpu-clock samples, and perf's summary uses
 * this to say so rather than report the missing samples as lost.
 */
#ifndef EBPF_TOOL_CPUTIME_H
#define EBPF_TOOL_CPUTIME_H

#include <stddef.h>
#include <stdint.h>

struct cpu_time {
	uint64_t busy;		/* user, nice, system, irq, softirq, steal */
	uint64_t idle;		/* idle and iowait */
	int seen;		/* a "cpuN" line named this CPU */
};

/*
 * Parse /proc/stat's text (len bytes, no NUL needed) into t[0..n-1];
 * CPUs at or past n are skipped.  Returns the number of cpuN lines used,
 * or -EINVAL when a cpuN line is malformed.
 */
int cputime_parse(const char *text, size_t len, struct cpu_time *t, size_t n);
/* The same from /proc/stat now; negative errno if it cannot be read. */
int cputime_read(struct cpu_time *t, size_t n);

#endif
