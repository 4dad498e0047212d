/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Types shared by profile.bpf.c and the user-space sampler.  Fixed-width
 * types only, no pointers: both sides must agree on every byte.
 */
#ifndef EBPF_TOOL_PROFILE_H
#define EBPF_TOOL_PROFILE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PROFILE_MAX_FRAMES	127	/* the kernel's default perf_event_max_stack */
#define PROFILE_COMM_LEN	16

/* Per-CPU counters in the "stats" map, indexed by these. */
enum profile_stat {
	PROFILE_STAT_SAMPLES = 0,	/* samples that passed the filters */
	PROFILE_STAT_LOST_RINGBUF,	/* ring buffer full: sample dropped */
	PROFILE_STAT_LOST_MAP,		/* aggregation map full: sample not counted there */
	PROFILE_STAT_STACK_TRUNCATED,	/* stack deeper than PROFILE_MAX_FRAMES */
	PROFILE_STAT_STACK_ERROR,	/* bpf_get_stack() failed */
	PROFILE_STAT_UNWIND_CFI,	/* user frames unwound by a CFI table */
	PROFILE_STAT_UNWIND_FP,		/* user frames unwound by frame pointer */
	/* User stacks the unwinder ended early, by enum unwind_stop, in order. */
	PROFILE_STAT_UNWIND_STOP_READ,
	PROFILE_STAT_UNWIND_STOP_RULE,
	PROFILE_STAT_UNWIND_STOP_NO_MAPPING,
	PROFILE_STAT_UNWIND_STOP_FRAME_POINTER,
	PROFILE_STAT_UNWIND_STOP_DEPTH,
	/* Counting stacks: a stack's slot held another stack; the next was tried. */
	PROFILE_STAT_STACK_COLLISION,
	/* Counting stacks: every slot tried held another stack: sample not counted. */
	PROFILE_STAT_LOST_COLLISION,
	PROFILE_STAT__MAX,
};

/*
 * One sample in stream mode, followed in the record by n_kernel then n_user
 * __u64 frames, leaf first.
 */
struct profile_sample {
	__u64 time_ns;			/* CLOCK_MONOTONIC */
	__u32 pid;			/* thread-group id */
	__u32 tid;
	__u32 cpu;
	__u16 n_kernel;
	__u16 n_user;
	__u8 comm[PROFILE_COMM_LEN];
};

#define PROFILE_SAMPLE_MAX_SIZE \
	(sizeof(struct profile_sample) + 2 * PROFILE_MAX_FRAMES * sizeof(__u64))

/*
 * trace.bpf.c's records (off-CPU intervals, probe hits) in its own ring
 * buffer: this, then n_kernel and n_user __u64 frames, leaf first.
 */
struct trace_sample {
	__u64 weight;			/* off-CPU: ns blocked; probe: 1 */
	__u64 addr;			/* probe: the probed function's address */
	__s64 retval;			/* return probe: the function's return value */
	__u32 event;			/* probe: the attach cookie; off-CPU: 0 */
	__u32 state;			/* off-CPU: one OFFCPU_STATE_* bit */
	__u32 has_retval;		/* 1: a return probe's hit, retval set */
	__u32 pad;
	struct profile_sample s;	/* off-CPU: time_ns is the switch-out */
};

/* fentry and fexit programs each, for kernels without kprobes. */
#define TRACE_FENTRY_SLOTS 8

#define TRACE_SAMPLE_MAX_SIZE \
	(sizeof(struct trace_sample) + 2 * PROFILE_MAX_FRAMES * sizeof(__u64))

/* How a task left the CPU (from sched_switch's prev_state). */
#define OFFCPU_STATE_R	(1u << 0)	/* still runnable: preempted or yielded */
#define OFFCPU_STATE_S	(1u << 1)	/* interruptible sleep */
#define OFFCPU_STATE_D	(1u << 2)	/* uninterruptible sleep */
#define OFFCPU_STATE_I	(1u << 3)	/* idle kernel thread (D with NOLOAD), parked */
#define OFFCPU_STATE_T	(1u << 4)	/* stopped or traced */

/* Aggregate mode: samples per process ... */
struct profile_proc_value {
	__u64 count;
	__u8 comm[PROFILE_COMM_LEN];
};

/* ... and per sampled instruction pointer. */
struct profile_ip_key {
	__u64 ip;
	__u32 pid;
	__u32 is_kernel;
};

/*
 * Counting stacks (record --aggregate): each walked stack, kernel and user
 * apart, stored once in "stack_frames" under an id made of a hash of its
 * frames; a slot holding other frames sends it to the next of
 * PROFILE_STACK_PROBES ids, so a collision is never a merge.  Id 0: none.
 */
#define PROFILE_STACK_PROBES	4
/* An id of the preallocated "stack_spare" map, not of "stack_frames". */
#define PROFILE_STACK_ID_SPARE	(1ULL << 62)

struct profile_stack {
	__u32 n;			/* frames used in ips */
	__u32 pad;
	__u64 ips[PROFILE_MAX_FRAMES];	/* leaf first */
};

/* "stack_counts": samples per thread and pair of stacks, since the last drain. */
struct profile_count_key {
	__u32 pid;
	__u32 tid;
	__u64 kstack;			/* ids in stack_frames, 0: no such stack */
	__u64 ustack;
};

struct profile_count_value {
	__u64 count;
	__u8 comm[PROFILE_COMM_LEN];	/* the thread's, at its first sample */
};

#endif
