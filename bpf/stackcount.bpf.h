/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counting stacks in the kernel (record --aggregate): a sample adds one to
 * its (pid, tid, kernel stack, user stack) in stack_counts and sends
 * nothing to user space, which drains the counts once an interval.  The
 * user stack is the one unwind_user() walked into the sample buffer, not a
 * stack-trace map's, so each stack is stored here under an id made of a
 * hash of its frames.  The frames are compared on every use: a slot that
 * holds another stack is a collision, counted, and the next slot is tried;
 * two stacks never share an id (profile.h).
 *
 * Before including: stat_inc(), map_update(), count_add() and struct
 * sample_buf.
 */
#ifndef EBPF_TOOL_STACKCOUNT_BPF_H
#define EBPF_TOOL_STACKCOUNT_BPF_H

/* Count stacks in the maps below instead of sending samples. */
const volatile bool count_stacks = false;
/* The bits of a hash an id keeps; tests narrow it to make collisions happen. */
const volatile __u64 stack_id_mask = (1ULL << 61) - 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* 1 KiB a stack: only those seen */
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, __u64);
	__type(value, struct profile_stack);
} stack_frames SEC(".maps");

/*
 * Two count maps: samples go to the active one while user space drains
 * the other.  A drain holds bucket locks, and a sample's update of a
 * locked bucket on the same CPU fails (-EBUSY): never in the map drained.
 */
struct stack_counts_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, struct profile_count_key);
	__type(value, struct profile_count_value);
};
struct stack_counts_map stack_counts0 SEC(".maps");
struct stack_counts_map stack_counts1 SEC(".maps");

/* Which one is active: user space flips it before each drain. */
volatile __u32 counts_active;

/*
 * Where a stack goes when stack_frames cannot allocate: in a perf event's
 * NMI the allocator has only what it cached, one element of this size at
 * first, and refills later.  Preallocated, small; ids carry STACK_ID_SPARE.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, __u64);
	__type(value, struct profile_stack);
} stack_spare SEC(".maps");

/* A stack being looked up, copied out of the sample buffer. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profile_stack);
} stack_tmp SEC(".maps");

#define STACK_ID_NONE	0
#define STACK_ID_FAIL	(~0ULL)
#define STACK_ID_SPARE	PROFILE_STACK_ID_SPARE

/*
 * Global functions: the verifier checks each once, not once per call
 * site, and their loops are bounded by the frame limit.
 */
__noinline __u64 stack_hash(const struct profile_stack *s)
{
	__u64 h = 0x9e3779b97f4a7c15ULL;

	if (!s)
		return 0;
	h ^= s->n;
	for (__u32 i = 0; i < PROFILE_MAX_FRAMES; i++) {
		if (i >= s->n)
			break;
		h = (h ^ s->ips[i]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

__noinline int stack_equal(const struct profile_stack *a, const struct profile_stack *b)
{
	if (!a || !b || a->n != b->n)
		return 0;
	for (__u32 i = 0; i < PROFILE_MAX_FRAMES; i++) {
		if (i >= a->n)
			break;
		if (a->ips[i] != b->ips[i])
			return 0;
	}
	return 1;
}

#define ENOMEM 12
#define EBUSY 16

/*
 * t's id in map, looking at its PROFILE_STACK_PROBES slots from hash h;
 * STACK_ID_FAIL with *err set when none would take it.
 */
static __always_inline __u64 stack_probe(void *map, struct profile_stack *t, __u64 h,
					 __u64 flag, int *err)
{
	struct profile_stack *v;
	__u64 id;

	*err = 0;
	for (__u32 probe = 0; probe < PROFILE_STACK_PROBES; probe++) {
		id = (((h + probe) & stack_id_mask) + 1) | flag;
		v = bpf_map_lookup_elem(map, &id);
		if (!v) {
			*err = map_update(map, &id, t, BPF_NOEXIST);
			if (!*err)
				return id;
			if (*err != -EEXIST)
				return STACK_ID_FAIL;
			*err = 0;
			v = bpf_map_lookup_elem(map, &id);	/* another CPU's, just now */
			if (!v)
				continue;
		}
		if (stack_equal(v, t))
			return id;
		stat_inc(PROFILE_STAT_STACK_COLLISION);
	}
	*err = -EEXIST;
	return STACK_ID_FAIL;
}

/* The id of the n frames at ips (n from 1 to PROFILE_MAX_FRAMES), or STACK_ID_FAIL. */
static __always_inline __u64 stack_intern(const __u64 *ips, long n)
{
	struct profile_stack *t;
	__u32 zero = 0;
	__u64 h, id;
	int err;

	t = bpf_map_lookup_elem(&stack_tmp, &zero);
	if (!t || n <= 0 || n > PROFILE_MAX_FRAMES)
		return STACK_ID_FAIL;
	t->n = (__u32)n;
	if (bpf_probe_read_kernel(t->ips, n * sizeof(__u64), ips))
		return STACK_ID_FAIL;
	h = stack_hash(t);
	id = stack_probe(&stack_frames, t, h, 0, &err);
	/* Allocator empty, or a bucket locked by user space on this CPU. */
	if (id == STACK_ID_FAIL && (err == -ENOMEM || err == -EBUSY))
		id = stack_probe(&stack_spare, t, h, STACK_ID_SPARE, &err);
	if (id != STACK_ID_FAIL)
		return id;
	stat_inc(err == -EEXIST ? PROFILE_STAT_LOST_COLLISION : PROFILE_STAT_LOST_MAP);
	return STACK_ID_FAIL;
}

/* b->ips holds nk kernel then nu user frames. */
static __always_inline void count_stack(struct sample_buf *b, long nk, long nu)
{
	struct profile_count_key key = { .pid = b->s.pid, .tid = b->s.tid };
	struct profile_count_value init = { .count = 1 };

	if (nk < 0 || nk > PROFILE_MAX_FRAMES || nu < 0 || nu > PROFILE_MAX_FRAMES)
		return;
	key.kstack = nk ? stack_intern(b->ips, nk) : STACK_ID_NONE;
	if (key.kstack == STACK_ID_FAIL)
		return;
	key.ustack = nu ? stack_intern(&b->ips[nk], nu) : STACK_ID_NONE;
	if (key.ustack == STACK_ID_FAIL)
		return;
	__builtin_memcpy(init.comm, b->s.comm, sizeof(init.comm));
	if (counts_active & 1)
		count_add(&stack_counts1, &key, &init);
	else
		count_add(&stack_counts0, &key, &init);
}

#endif
