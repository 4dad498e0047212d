/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Maps both BPF objects declare alike: per-CPU counters and the pid and tid
 * filters.  The tracer reuses the sampler's filter maps (bpf_map__reuse_fd),
 * so their definitions must match to the byte: one definition for both.
 * Also the helpers both use on them.  Before including: const volatile
 * bool callchain.
 */
#ifndef EBPF_TOOL_FILTERS_BPF_H
#define EBPF_TOOL_FILTERS_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROFILE_STAT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} tids SEC(".maps");

/* Per-CPU, but atomic all the same: a sample's NMI may interrupt a probe. */
static __always_inline void stat_add(__u32 idx, __u64 n)
{
	__u64 *v;

	if (!n)
		return;
	v = bpf_map_lookup_elem(&stats, &idx);
	if (v)
		__sync_fetch_and_add(v, n);
}

static __always_inline void stat_inc(__u32 idx)
{
	stat_add(idx, 1);
}

/* Up to max frames of the kernel stack, or with BPF_F_USER_STACK the user one. */
static __always_inline long get_frames(void *ctx, __u64 *buf, __u32 max, __u64 flags)
{
	long n = bpf_get_stack(ctx, buf, max * sizeof(__u64), flags);

	if (n < 0) {
		/* A user stack of a kernel thread is simply absent. */
		if (!(flags & BPF_F_USER_STACK))
			stat_inc(PROFILE_STAT_STACK_ERROR);
		return 0;
	}
	n /= sizeof(__u64);
	if (n >= max && callchain)
		stat_inc(PROFILE_STAT_STACK_TRUNCATED);
	return n;
}

#endif
