/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Maps both BPF objects declare alike: per-CPU counters and the pid and tid
 * filters.  The tracer reuses the sampler's filter maps (bpf_map__reuse_fd),
 * so their definitions must match to the byte: one definition for both.
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

#endif
