/* CPU sets as the kernel writes them: "0,2-3". */
#ifndef EBPF_TOOL_CPUMASK_H
#define EBPF_TOOL_CPUMASK_H

#include <stdbool.h>
#include <stdint.h>

/* Far above any machine today; bounds what a user-written list can allocate. */
#define CPUSET_MAX 8192

struct cpuset {
	uint8_t bits[CPUSET_MAX / 8];
};

/* Parse a list such as "0,2-3": -EINVAL if malformed, -ERANGE past CPUSET_MAX. */
int cpuset_parse(struct cpuset *set, const char *list);
/* The CPUs online now, from /sys/devices/system/cpu/online. */
int cpuset_online(struct cpuset *set);
/* The CPUs the kernel could ever bring up, from .../cpu/possible. */
int cpuset_possible(struct cpuset *set);

static inline bool cpuset_has(const struct cpuset *set, int cpu)
{
	return cpu >= 0 && cpu < CPUSET_MAX && (set->bits[cpu / 8] >> (cpu % 8)) & 1;
}

int cpuset_count(const struct cpuset *set);
/* Next CPU in the set at or after cpu, or -1. */
int cpuset_next(const struct cpuset *set, int cpu);
/* Remove from a every CPU that is not in b; returns how many remain. */
int cpuset_and(struct cpuset *a, const struct cpuset *b);

#define cpuset_for_each(cpu, set) \
	for ((cpu) = cpuset_next((set), 0); (cpu) >= 0; (cpu) = cpuset_next((set), (cpu) + 1))

#endif
