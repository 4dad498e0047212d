// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU sampling program, attached to one perf event per CPU.
 *
 * Aggregating, it only counts (per CPU, per process, per IP), which is
 * all "ebpf-tool perf" needs and costs a map update per sample.  Streaming,
 * it copies the sample with its stacks into a ring buffer; user space
 * deduplicates stacks by content, so no stack is ever lost to the hash
 * collisions of a BPF_MAP_TYPE_STACK_TRACE map.  Counting stacks, it
 * takes the same stacks and counts them in maps (stackcount.bpf.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"

char LICENSE[] SEC("license") = "GPL";

/* Count per process and per IP in maps; user space reads them at the end. */
const volatile bool aggregate = true;
/* Copy each sample with its stacks into the ring buffer. */
const volatile bool stream = false;
const volatile bool callchain = false;	/* full stacks, else the sampled IP only */
/* With callchain: walk user stacks by CFI tables (unwind.bpf.h), else by frame pointer. */
const volatile bool unwind_cfi = false;
const volatile bool filter_pid = false;
const volatile bool filter_tid = false;
/* Wake the reader only once this much is queued; it polls anyway. */
const volatile __u64 wakeup_bytes = 64 * 1024;

#include "filters.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct profile_proc_value);
} proc_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct profile_ip_key);
	__type(value, __u64);
} ip_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);	/* resized by user space */
} events SEC(".maps");

/* Too large for the 512-byte BPF stack: build each sample here. */
struct sample_buf {
	struct profile_sample s;
	__u64 ips[2 * PROFILE_MAX_FRAMES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sample_buf);
} scratch SEC(".maps");

#include "unwind.bpf.h"

#define EEXIST 17

/*
 * A map update's error: an int.  Debian's 6.1 hands it over zero-extended
 * (-ENOMEM arrives as 0xfffffff4), so a long compared with -ENOMEM never
 * matches there.
 */
static __always_inline int map_update(void *map, const void *key, const void *value, __u64 flags)
{
	return (int)bpf_map_update_elem(map, key, value, flags);
}

/* Add one to *key's counter, creating it from init; a full map loses the count. */
static __always_inline void count_add(void *map, const void *key, const void *init)
{
	__u64 *v = bpf_map_lookup_elem(map, key);
	int err;

	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	err = map_update(map, key, init, BPF_NOEXIST);
	if (err == -EEXIST) {
		v = bpf_map_lookup_elem(map, key);
		if (v)
			__sync_fetch_and_add(v, 1);
	} else if (err) {
		stat_inc(PROFILE_STAT_LOST_MAP);
	}
}

#include "stackcount.bpf.h"

static __always_inline void count_proc(__u32 pid)
{
	struct profile_proc_value init = { .count = 1 };

	bpf_get_current_comm(init.comm, sizeof(init.comm));
	count_add(&proc_counts, &pid, &init);
}

static __always_inline void count_ip(struct bpf_perf_event_data *ctx, __u32 pid)
{
	struct profile_ip_key key = { .pid = pid };
	__u64 ip[1], one = 1;
	long n;

	n = bpf_get_stack(ctx, ip, sizeof(ip), 0);
	if (n > 0) {
		key.is_kernel = 1;
	} else {
		n = bpf_get_stack(ctx, ip, sizeof(ip), BPF_F_USER_STACK);
		if (n <= 0) {
			stat_inc(PROFILE_STAT_STACK_ERROR);
			return;
		}
	}
	key.ip = ip[0];
	count_add(&ip_counts, &key, &one);
}

/*
 * struct pt_regs' code segment as the kernels spell it: an unsigned long up
 * to 6.8 (Debian 12's 6.1), a u16 in a union with FRED's 8-byte csx since.
 * The perf_event context only takes whole-word loads, so each flavour reads
 * its own 8-byte field; CO-RE keeps the one that exists on the target.
 */
struct pt_regs___ulong_cs {
	unsigned long cs;
} __attribute__((preserve_access_index));

struct pt_regs___fred {
	__u64 csx;
} __attribute__((preserve_access_index));

/*
 * The sample interrupted user code: its kernel stack is empty, and asking
 * for it costs a helper call that walks nothing.  Where the mode cannot be
 * read, ask anyway.
 */
static __always_inline bool in_user_mode(struct bpf_perf_event_data *ctx)
{
#if defined(__TARGET_ARCH_x86)
	/* regs is the context's first member (UAPI <linux/bpf_perf_event.h>). */
	__u64 cs;

	/*
	 * The barriers keep clang from merging the two loads into one through
	 * a register offset, which the verifier refuses for a context pointer.
	 */
	if (bpf_core_field_exists(struct pt_regs___fred, csx) &&
	    bpf_core_field_size(struct pt_regs___fred, csx) == sizeof(__u64)) {
		cs = ((struct pt_regs___fred *)ctx)->csx;
		barrier_var(cs);
	} else if (bpf_core_field_size(struct pt_regs___ulong_cs, cs) == sizeof(__u64)) {
		cs = ((struct pt_regs___ulong_cs *)ctx)->cs;
		barrier_var(cs);
	} else {
		return false;
	}
	return (cs & 3) == 3;
#else
	return false;
#endif
}

/* The sample's user stack by CFI: from the interrupted registers or, in
 * kernel mode, from those the task entered the kernel with. */
static __always_inline long user_stack(struct bpf_perf_event_data *ctx, bool user,
				       __u64 *ips, long nk, __u32 pid)
{
	__u64 pc, sp, bp;

	if (user) {
		pc = ctx->regs.ip;
		sp = ctx->regs.sp;
		bp = ctx->regs.bp;
	} else if (!uw_task_regs(&pc, &sp, &bp)) {
		return 0;
	}
	return unwind_user(ips, (__u32)nk, pc, sp, bp, pid);
}

static __always_inline void stream_sample(struct bpf_perf_event_data *ctx,
					  __u64 pid_tgid)
{
	__u32 zero = 0, max = callchain ? PROFILE_MAX_FRAMES : 1;
	struct sample_buf *b;
	long nk, nu = 0;
	__u64 size;
	bool user;

	b = bpf_map_lookup_elem(&scratch, &zero);
	if (!b)
		return;
	b->s.time_ns = bpf_ktime_get_ns();
	b->s.pid = pid_tgid >> 32;
	b->s.tid = (__u32)pid_tgid;
	b->s.cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(b->s.comm, sizeof(b->s.comm));

	user = in_user_mode(ctx);
	nk = user ? 0 : get_frames(ctx, b->ips, max, 0);
	if (nk < 0 || nk > PROFILE_MAX_FRAMES)
		nk = 0;
	/* Without call chains one frame is enough: the kernel's if it has one. */
	if (callchain && unwind_cfi)
		nu = user_stack(ctx, user, b->ips, nk, b->s.pid);
	else if (callchain || nk == 0)
		nu = get_frames(ctx, &b->ips[nk], max, BPF_F_USER_STACK);
	if (nu < 0 || nu > PROFILE_MAX_FRAMES)
		nu = 0;
	b->s.n_kernel = nk;
	b->s.n_user = nu;
	if (count_stacks) {
		count_stack(b, nk, nu);
		return;
	}

	size = sizeof(b->s) + (nk + nu) * sizeof(__u64);
	if (size > sizeof(*b))
		return;
	if (bpf_ringbuf_output(&events, b, size,
			       bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
			       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))
		stat_inc(PROFILE_STAT_LOST_RINGBUF);
}

SEC("perf_event")
int ebpftool_sample(struct bpf_perf_event_data *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32, tid = (__u32)pid_tgid;

	if (filter_pid && !bpf_map_lookup_elem(&pids, &pid))
		return 0;
	if (filter_tid && !bpf_map_lookup_elem(&tids, &tid))
		return 0;

	stat_inc(PROFILE_STAT_SAMPLES);
	if (aggregate) {
		count_proc(pid);
		count_ip(ctx, pid);
	}
	if (stream || count_stacks)
		stream_sample(ctx, pid_tgid);
	return 0;
}

/*
 * With a pid filter for "record -- command", the command's children must be
 * sampled too: add each new process whose parent is already in the filter.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(ebpftool_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ppid = parent->tgid, cpid = child->tgid;
	__u8 one = 1;

	if (ppid != cpid && bpf_map_lookup_elem(&pids, &ppid))
		bpf_map_update_elem(&pids, &cpid, &one, BPF_ANY);
	return 0;
}

/*
 * ... and leave it when its last thread exits: the kernel gives the pid
 * to another process soon (pid_max is 32768 on small machines, a minute
 * of 500 forks a second), which the filter would then sample.  The
 * thread-group count has dropped before this tracepoint, in 6.1 as now.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(ebpftool_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);

	if (BPF_CORE_READ(task, signal, live.counter) == 0)
		bpf_map_delete_elem(&pids, &tgid);
	return 0;
}
