// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event sources beside CPU sampling, streamed through their own ring buffer
 * in struct trace_sample records:
 *
 *  - off-CPU time: at sched_switch, a task that leaves the CPU has its
 *    stacks saved by thread id; when it is switched in again, the time it
 *    spent away is the record's weight.  tp_btf where the kernel has BTF
 *    tracing, else the raw tracepoint (user space picks one to load).
 *  - kprobes, kretprobes and tracepoints: one record a hit; the attach
 *    cookie says which of the probes it was.  Kernels built without kprobes get the
 *    same from fentry/fexit programs (BPF trampolines), a fixed number of
 *    slots, each told its event id in slot_event[].
 *
 * The pid and tid filters are the sampler's maps, shared by file
 * descriptor, so the children the fork tracer adds count here too.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"

char LICENSE[] SEC("license") = "GPL";

const volatile bool callchain = false;
const volatile bool unwind_cfi = false;	/* user stacks by CFI tables, as the sampler's */
#define TRACE_TP_FRAMES	5	/* without call chains: the machinery's and the hit's */
const volatile bool filter_pid = false;
const volatile bool filter_tid = false;
const volatile __u64 offcpu_min_ns = 0;
const volatile __u64 offcpu_max_ns = ~0ull;
const volatile __u32 offcpu_states = OFFCPU_STATE_S | OFFCPU_STATE_D | OFFCPU_STATE_I;
const volatile __u64 wakeup_bytes = 64 * 1024;
const volatile __u32 slot_event[2 * TRACE_FENTRY_SLOTS];

/* Kernel task states (include/linux/sched.h); stable ABI of the tracepoint. */
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_STOPPED_TRACED	0x000c
#define TASK_PARKED		0x0040
#define TASK_DEAD		0x0080
#define TASK_NOLOAD		0x0400

#include "filters.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);	/* resized by user space */
} trace_events SEC(".maps");

struct trace_buf {
	struct trace_sample t;
	__u64 ips[2 * PROFILE_MAX_FRAMES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct trace_buf);
} trace_scratch SEC(".maps");

/* Tasks off the CPU: their record, complete but for the weight. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct trace_buf);
} offcpu_start SEC(".maps");

#include "unwind.bpf.h"

static __always_inline bool wanted(__u64 pid_tgid)
{
	__u32 pid = pid_tgid >> 32, tid = (__u32)pid_tgid;

	if (filter_pid && !bpf_map_lookup_elem(&pids, &pid))
		return false;
	if (filter_tid && !bpf_map_lookup_elem(&tids, &tid))
		return false;
	return true;
}

/* The current task's identity and stacks into b; kernel frames only if kstack. */
static __always_inline void fill(void *ctx, struct trace_buf *b, __u64 pid_tgid, bool kstack)
{
	__u32 max = callchain ? PROFILE_MAX_FRAMES : 1;
	long nk = 0, nu;

	b->t.s.time_ns = bpf_ktime_get_ns();
	b->t.s.pid = pid_tgid >> 32;
	b->t.s.tid = (__u32)pid_tgid;
	b->t.s.cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(b->t.s.comm, sizeof(b->t.s.comm));
	if (kstack && callchain)
		nk = get_frames(ctx, b->ips, PROFILE_MAX_FRAMES, 0);
	if (nk < 0 || nk > PROFILE_MAX_FRAMES)
		nk = 0;
	if (callchain && unwind_cfi) {
		__u64 pc, sp, bp;

		nu = uw_task_regs(&pc, &sp, &bp) ?
			unwind_user(b->ips, (__u32)nk, pc, sp, bp, b->t.s.pid) : 0;
	} else {
		nu = get_frames(ctx, &b->ips[nk], max, BPF_F_USER_STACK);
	}
	if (nu < 0 || nu > PROFILE_MAX_FRAMES)
		nu = 0;
	b->t.s.n_kernel = nk;
	b->t.s.n_user = nu;
}

static __always_inline void emit(struct trace_buf *b)
{
	__u64 size = sizeof(b->t) + ((__u64)b->t.s.n_kernel + b->t.s.n_user) * sizeof(__u64);

	if (size > sizeof(*b))
		return;
	stat_inc(PROFILE_STAT_SAMPLES);
	if (bpf_ringbuf_output(&trace_events, b, size,
			       bpf_ringbuf_query(&trace_events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
			       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))
		stat_inc(PROFILE_STAT_LOST_RINGBUF);
}

/* ---- off-CPU ------------------------------------------------------------- */

static __always_inline __u32 state_class(bool preempt, __u32 state)
{
	if (preempt || !state)
		return OFFCPU_STATE_R;
	if (state & TASK_INTERRUPTIBLE)
		return OFFCPU_STATE_S;
	if (state & TASK_UNINTERRUPTIBLE)
		return state & TASK_NOLOAD ? OFFCPU_STATE_I : OFFCPU_STATE_D;
	if (state & TASK_STOPPED_TRACED)
		return OFFCPU_STATE_T;
	if (state & TASK_PARKED)
		return OFFCPU_STATE_I;
	return OFFCPU_STATE_D;	/* other waits, such as RT lock waits */
}

/* Runs on the CPU prev is leaving, as prev: its stacks are the current ones. */
static __always_inline void switch_out(void *ctx, bool preempt, __u32 state)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, zero = 0, cls;
	struct trace_buf *b;

	if (!tid || (state & TASK_DEAD))
		return;
	cls = state_class(preempt, state);
	if (!(cls & offcpu_states) || !wanted(pid_tgid))
		return;
	b = bpf_map_lookup_elem(&trace_scratch, &zero);
	if (!b)
		return;
	fill(ctx, b, pid_tgid, true);
	b->t.weight = 0;
	b->t.addr = 0;
	b->t.event = 0;
	b->t.state = cls;
	if (bpf_map_update_elem(&offcpu_start, &tid, b, BPF_ANY))
		stat_inc(PROFILE_STAT_LOST_MAP);
}

static __always_inline void switch_in(__u32 tid)
{
	struct trace_buf *b = bpf_map_lookup_elem(&offcpu_start, &tid);
	__u64 now, delta;

	if (!b)
		return;
	now = bpf_ktime_get_ns();
	delta = now - b->t.s.time_ns;
	if (delta >= offcpu_min_ns && delta <= offcpu_max_ns) {
		b->t.weight = delta;
		emit(b);
	}
	bpf_map_delete_elem(&offcpu_start, &tid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(ebpftool_offcpu, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	switch_out(ctx, preempt, prev_state);
	switch_in(next->pid);
	return 0;
}

/* Kernels without BTF tracing programs: the same through the raw tracepoint. */
SEC("raw_tp/sched_switch")
int BPF_PROG(ebpftool_offcpu_raw, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	switch_out(ctx, preempt, prev_state);
	switch_in(BPF_CORE_READ(next, pid));
	return 0;
}

/* ---- probes -------------------------------------------------------------- */

/*
 * addr: the probed function's address (the sample's first frame), or 0;
 * ret: a return probe's value, when has_ret.
 */
static __always_inline int probe_hit(void *ctx, __u32 event, __u64 addr,
				     bool has_ret, __s64 ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct trace_buf *b;
	__u32 zero = 0;

	if (!wanted(pid_tgid))
		return 0;
	b = bpf_map_lookup_elem(&trace_scratch, &zero);
	if (!b)
		return 0;
	fill(ctx, b, pid_tgid, true);
	if (!callchain && addr) {
		b->t.s.n_user = 0;	/* the probe address is the sample's frame */
	} else if (!callchain) {
		/*
		 * A tracepoint's frame is where the kernel hit it, as in perf:
		 * the first below the tracing machinery (the program, the
		 * trampoline, the tracepoint's iterator), which user space skips.
		 */
		long nk = get_frames(ctx, b->ips, TRACE_TP_FRAMES, 0);

		b->t.s.n_kernel = nk > 0 && nk <= TRACE_TP_FRAMES ? nk : 0;
		b->t.s.n_user = 0;
	}
	b->t.weight = 1;
	b->t.addr = addr;
	b->t.event = event;
	b->t.state = 0;
	b->t.has_retval = has_ret;
	b->t.retval = has_ret ? ret : 0;
	emit(b);
	return 0;
}

SEC("kprobe")
int ebpftool_kprobe(struct pt_regs *ctx)
{
	return probe_hit(ctx, (__u32)bpf_get_attach_cookie(ctx), bpf_get_func_ip(ctx), false, 0);
}

SEC("kretprobe")
int ebpftool_kretprobe(struct pt_regs *ctx)
{
	return probe_hit(ctx, (__u32)bpf_get_attach_cookie(ctx), bpf_get_func_ip(ctx),
			 true, (__s64)PT_REGS_RC(ctx));
}

SEC("tracepoint")
int ebpftool_tracepoint(void *ctx)
{
	return probe_hit(ctx, (__u32)bpf_get_attach_cookie(ctx), 0, false, 0);
}

/* The slots: user space sets each one's target before load. */
#define FENTRY_SLOT(n)							\
SEC("fentry")								\
int ebpftool_fentry##n(void *ctx)					\
{									\
	return probe_hit(ctx, slot_event[n], bpf_get_func_ip(ctx),	\
			 false, 0);					\
}									\
SEC("fexit")								\
int ebpftool_fexit##n(void *ctx)					\
{									\
	__u64 ret = 0;							\
	bool has_ret = !bpf_get_func_ret(ctx, &ret);			\
									\
	return probe_hit(ctx, slot_event[TRACE_FENTRY_SLOTS + n],	\
			 bpf_get_func_ip(ctx), has_ret, (__s64)ret);	\
}

FENTRY_SLOT(0)
FENTRY_SLOT(1)
FENTRY_SLOT(2)
FENTRY_SLOT(3)
FENTRY_SLOT(4)
FENTRY_SLOT(5)
FENTRY_SLOT(6)
FENTRY_SLOT(7)
