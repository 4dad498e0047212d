/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user-stack walker both BPF objects share: frame by frame, the row of
 * the pc's file (bpf/unwind.h) gives the CFA, the return address at CFA - 8
 * and where the caller's rbp was saved.  Where a pc has no table it takes a
 * frame-pointer step, so code without CFI (JITs, files whose table is not
 * loaded yet) still unwinds as well as it would have by frame pointers.
 *
 * The tracer reuses the sampler's maps (bpf_map__reuse_fd): one definition.
 * Before including: stat_inc(), and a const volatile bool unwind_cfi.
 */
#ifndef EBPF_TOOL_UNWIND_BPF_H
#define EBPF_TOOL_UNWIND_BPF_H

#include "unwind.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* user space writes rows in place */
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, __u32);
	__type(value, struct unwind_krow);
} unwind_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, __u32);
	__type(value, struct unwind_file);
} unwind_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* only the files loaded */
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, struct unwind_inode_key);
	__type(value, struct unwind_inode);
} unwind_inodes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* 4 KiB a process: only those seen */
	__uint(max_entries, 1);			/* sized by user space */
	__type(key, __u32);
	__type(value, struct unwind_proc);
} unwind_procs SEC(".maps");

/*
 * The rows found for recent (process, pc) pairs, per CPU: hot stacks repeat
 * sample after sample, and a hit replaces two binary searches by one
 * compare.  Only rows are cached, never "no row", since a file's table may
 * arrive later; a process's entry gets a new gen at every write, so a
 * changed mapping (or a reused pid) never meets an old row.
 */
#define UW_CACHE	1024

struct uw_cache_ent {
	__u64 pc;
	__u32 pid, gen;
	__u32 rule, pad;
};

struct uw_cache {
	struct uw_cache_ent e[UW_CACHE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_cache);
} unwind_cache SEC(".maps");

/*
 * Mappings the walker found itself, at most this many a walk: a stack
 * crosses few files, and JIT code (anonymous memory) costs a look once.
 */
#define UW_SEEN		4
#define UW_NO_FILE	0xffffffffu

/* Binary searches: 2^8 > UNWIND_MAX_MAPS, 2^24 rows is more than any cap. */
#define UW_MAP_STEPS	8
#define UW_ROW_STEPS	24
#define UW_USER_TOP	0x800000000000ULL	/* x86-64 user addresses lie below */
#define UW_PAGE		4096
#define UW_WIN_WORDS	(UW_PAGE / 8)

/*
 * The walk's state lives in a map value, not on the stack: the verifier
 * knows nothing of a map value's contents, so the loop's states converge
 * instead of being explored once per frame count.  The process's mappings
 * are copied in once per stack, not looked up once per frame.
 */
struct uw_state {
	__u64 pc, sp, bp;
	__u32 n, stop;			/* frames in ips; enum unwind_stop or 0 */
	__u32 exact;			/* pc is not a return address */
	__u32 n_maps, last_map;
	__u32 n_cfi, n_fp;		/* steps taken, for the stats map */
	__u32 pid, gen;			/* the cache's key: the process's entry */
	__u32 rule;			/* uw_find_rule()'s result */
	__u32 n_seen;			/* entries in seen */
	struct unwind_map seen[UW_SEEN];	/* mappings found by bpf_find_vma */
	__u32 lo, hi, vaddr, found;	/* the searches */
	__u64 pc_key;
	__u64 win_lo, win_len;		/* the user stack bytes in win */
	__u64 val;			/* uw_fetch()'s result */
	__u64 ips[PROFILE_MAX_FRAMES];
	__u64 win[UW_WIN_WORDS];
	struct unwind_map maps[UNWIND_MAX_MAPS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_state);
} unwind_state SEC(".maps");

/* One step of the binary search for the last mapping starting at or below w->pc_key. */
static long uw_map_step(__u32 i, void *arg)
{
	struct uw_state *w;
	__u32 zero = 0, mid;

	w = bpf_map_lookup_elem(&unwind_state, &zero);
	if (!w || w->lo >= w->hi)
		return 1;
	mid = (w->lo + w->hi) / 2;
	if (mid >= UNWIND_MAX_MAPS)
		return 1;
	barrier_var(mid);
	mid &= UNWIND_MAX_MAPS - 1;
	if (w->maps[mid].start <= w->pc_key)
		w->lo = mid + 1;
	else
		w->hi = mid;
	return 0;
}

static __always_inline int uw_find_map(struct uw_state *w, __u64 pc)
{
	__u32 lo = w->last_map;

	/* Most callers are in the callee's file: try its mapping first. */
	barrier_var(lo);
	lo &= UNWIND_MAX_MAPS - 1;
	if (lo < w->n_maps && w->maps[lo].start <= pc && pc < w->maps[lo].end)
		return (int)lo;

	w->pc_key = pc;
	w->lo = 0;
	w->hi = w->n_maps;
	bpf_loop(UW_MAP_STEPS, uw_map_step, NULL, 0);
	lo = w->lo;
	if (lo == 0 || lo > UNWIND_MAX_MAPS)
		return -1;
	lo--;
	barrier_var(lo);
	lo &= UNWIND_MAX_MAPS - 1;	/* no change, but 6.1's verifier needs to see it */
	if (pc >= w->maps[lo].end)
		return -1;
	w->last_map = lo;
	return (int)lo;
}

struct uw_vma {
	__u64 start, end, pgoff;
	__u64 dev, ino;
};

static long uw_vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *arg)
{
	struct uw_vma *v = arg;
	struct inode *ino;
	struct file *f;

	/* BPF_CORE_READ, not loads: a load through vma costs the verifier ms. */
	v->start = BPF_CORE_READ(vma, vm_start);
	v->end = BPF_CORE_READ(vma, vm_end);
	v->pgoff = BPF_CORE_READ(vma, vm_pgoff);
	f = BPF_CORE_READ(vma, vm_file);
	if (!f)
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	v->ino = BPF_CORE_READ(ino, i_ino);
	v->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	return 0;
}

/*
 * The mapping of pc in the task's own list, as an entry of w->seen: for a
 * process whose mappings user space has not told yet.  A global function,
 * checked once.  Returns the index in seen, or -1.
 */
__noinline int uw_find_vma(struct uw_state *w, __u64 pc)
{
	struct uw_vma v = { 0 };
	struct unwind_inode_key k;
	struct unwind_inode *in;
	struct unwind_map *m;
	__u32 i;

	if (!w)
		return -1;
	i = w->n_seen;
	if (i >= UW_SEEN)
		return -1;
	if (bpf_find_vma(bpf_get_current_task_btf(), pc, uw_vma_cb, &v, 0) || v.end <= v.start)
		return -1;
	m = &w->seen[i];
	m->start = v.start;
	m->end = v.end;
	m->file = UW_NO_FILE;
	w->n_seen = i + 1;
	k.dev = v.dev;
	k.ino = v.ino;
	in = v.ino ? bpf_map_lookup_elem(&unwind_inodes, &k) : NULL;
	v.pgoff <<= 12;
	if (in && v.pgoff >= in->seg_lo && v.pgoff < in->seg_end) {
		m->file = in->file;
		m->bias = v.start - v.pgoff + in->delta;
	}
	return (int)i;
}

/* w->seen's entry holding pc, or -1. */
static __always_inline int uw_find_seen(struct uw_state *w, __u64 pc)
{
	for (int i = 0; i < UW_SEEN; i++)
		if (i < w->n_seen && w->seen[i].start <= pc && pc < w->seen[i].end)
			return i;
	return -1;
}

/* One step of the binary search for the last row at or below w->vaddr. */
static long uw_row_step(__u32 i, void *arg)
{
	struct unwind_krow *r;
	struct uw_state *w;
	__u32 zero = 0, mid;

	w = bpf_map_lookup_elem(&unwind_state, &zero);
	if (!w || w->lo >= w->hi)
		return 1;
	mid = w->lo + (w->hi - w->lo) / 2;
	r = bpf_map_lookup_elem(&unwind_rows, &mid);
	if (!r)
		return 1;
	if (r->pc <= w->vaddr) {
		w->found = mid;
		w->lo = mid + 1;
	} else {
		w->hi = mid;
	}
	return 0;
}

static __always_inline struct uw_cache_ent *uw_cache_slot(struct uw_state *w, __u64 pc)
{
	struct uw_cache *c;
	__u32 zero = 0, i;

	c = bpf_map_lookup_elem(&unwind_cache, &zero);
	if (!c)
		return NULL;
	i = (__u32)(((pc ^ ((__u64)w->pid << 32)) * 0x9e3779b97f4a7c15ULL) >> 40);
	barrier_var(i);
	i &= UW_CACHE - 1;
	return &c->e[i];
}

/*
 * The rule of the row holding pc; false where only frame pointers can help.
 * The search is a loop of its own: unrolled inside the frame loop, it would
 * cost the verifier tens of milliseconds at every start.
 */
static __always_inline bool uw_find_rule(struct uw_state *w, __u64 pc)
{
	struct uw_cache_ent *e = w->gen ? uw_cache_slot(w, pc) : NULL;
	struct unwind_krow *r;
	struct unwind_file *f;
	__u32 file, none = ~0u;
	__u64 va;
	int m;

	if (e && e->pc == pc && e->pid == w->pid && e->gen == w->gen) {
		w->rule = e->rule;
		return true;
	}
	m = uw_find_map(w, pc);
	if (m >= 0 && m < UNWIND_MAX_MAPS) {
		barrier_var(m);
		m &= UNWIND_MAX_MAPS - 1;
		file = w->maps[m].file;
		va = pc - w->maps[m].bias;
	} else {
		m = uw_find_seen(w, pc);
		if (m < 0)
			m = uw_find_vma(w, pc);
		if (m < 0 || m >= UW_SEEN)
			return false;
		barrier_var(m);
		m &= UW_SEEN - 1;
		file = w->seen[m].file;
		va = pc - w->seen[m].bias;
		e = NULL;	/* not the process's entry: nothing to key a cache entry by */
	}
	f = bpf_map_lookup_elem(&unwind_files, &file);
	if (!f || !f->n_rows || va > 0xffffffffULL)
		return false;
	w->vaddr = (__u32)va;
	w->lo = f->first_row;
	w->hi = f->first_row + f->n_rows;
	w->found = none;
	bpf_loop(UW_ROW_STEPS, uw_row_step, NULL, 0);
	if (w->found == none)
		return false;
	file = w->found;
	r = bpf_map_lookup_elem(&unwind_rows, &file);
	if (!r)
		return false;
	w->rule = r->rule;
	if (e) {
		e->pc = pc;
		e->pid = w->pid;
		e->gen = w->gen;
		e->rule = r->rule;
	}
	return true;
}

/* Global functions: the verifier checks each once, not at every call. */
__noinline int uw_fetch(struct uw_state *w, __u64 addr)
{
	__u64 off, len;

	if (!w)
		return 0;
	if (addr & 7)
		return bpf_probe_read_user(&w->val, sizeof(w->val), (const void *)addr) == 0;
	off = addr - w->win_lo;
	if (addr < w->win_lo || off >= w->win_len) {
		len = UW_PAGE - (addr & (UW_PAGE - 1));
		barrier_var(len);
		if (len > UW_PAGE || len < 8)
			return 0;
		if (bpf_probe_read_user(w->win, len, (const void *)addr)) {
			w->win_len = 0;
			return 0;
		}
		w->win_lo = addr;
		w->win_len = len;
		off = 0;
	}
	off >>= 3;
	barrier_var(off);
	off &= UW_WIN_WORDS - 1;
	w->val = w->win[off];
	return 1;
}

static __always_inline bool uw_read(struct uw_state *w, __u64 *dst, __u64 addr)
{
	if (!uw_fetch(w, addr))
		return false;
	*dst = w->val;
	return true;
}

/* One frame-pointer step; false ends the walk (w->stop says why, if not the end). */
static __always_inline bool uw_fp_step(struct uw_state *w)
{
	__u64 next_bp, ra;

	if (!w->bp)
		return false;		/* the outermost frame of a frame-pointer chain */
	if (w->bp < w->sp || w->bp & 7) {
		w->stop = UNWIND_STOP_FRAME_POINTER;
		return false;
	}
	if (!uw_read(w, &next_bp, w->bp) || !uw_read(w, &ra, w->bp + 8)) {
		w->stop = UNWIND_STOP_READ;
		return false;
	}
	w->n_fp++;
	w->sp = w->bp + 16;
	w->bp = next_bp;
	w->pc = ra;
	w->exact = 0;
	return true;
}

static __always_inline bool uw_cfi_step(struct uw_state *w, __u32 rule)
{
	__u8 kind = rule & UNWIND_KIND_MASK;
	__s64 cfa_off = UNWIND_KROW_CFA(rule);
	__u64 cfa, ra, bp = w->bp;

	switch (kind) {
	case UNWIND_CFA_RSP:
		cfa = w->sp + cfa_off;
		break;
	case UNWIND_CFA_RBP:
		cfa = w->bp + cfa_off;
		break;
	case UNWIND_CFA_PLT:
		cfa = w->sp + cfa_off + ((w->pc & 15) >= 11 ? 8 : 0);
		break;
	case UNWIND_CFA_SIGNAL:
		if (!uw_read(w, &bp, w->sp + UNWIND_UC_RBP) || !uw_read(w, &cfa, w->sp + UNWIND_UC_RSP) ||
		    !uw_read(w, &ra, w->sp + UNWIND_UC_RIP)) {
			w->stop = UNWIND_STOP_READ;
			return false;
		}
		w->n_cfi++;
		w->bp = bp;
		w->sp = cfa;
		w->pc = ra;
		w->exact = 1;	/* the interrupted instruction itself */
		return true;
	case UNWIND_END:
		return false;
	case UNWIND_NONE:
		return uw_fp_step(w);
	default:
		w->stop = UNWIND_STOP_RULE;
		return false;
	}
	if (!uw_read(w, &ra, cfa - 8)) {
		w->stop = UNWIND_STOP_READ;
		return false;
	}
	if ((rule & UNWIND_RBP_SAVED) && !uw_read(w, &bp, cfa + UNWIND_KROW_RBP(rule))) {
		w->stop = UNWIND_STOP_READ;
		return false;
	}
	w->n_cfi++;
	w->sp = cfa;
	w->bp = bp;
	w->pc = ra;
	w->exact = 0;
	return true;
}

static long uw_step(__u32 i, void *arg)
{
	struct uw_state *w;
	__u32 zero = 0, n;

	w = bpf_map_lookup_elem(&unwind_state, &zero);
	if (!w)
		return 1;
	n = w->n;
	if (w->pc == 0 || w->pc >= UW_USER_TOP) {
		if (n)		/* a return address no code can have: garbage */
			w->stop = w->pc ? UNWIND_STOP_NO_MAPPING : 0;
		return 1;
	}
	if (n >= PROFILE_MAX_FRAMES) {
		w->stop = UNWIND_STOP_DEPTH;
		return 1;
	}
	barrier_var(n);
	n &= 0x7f;
	w->ips[n] = w->pc;
	w->n = n + 1;
	/* A call's return address may be past its function's end: look up the call. */
	if (uw_find_rule(w, w->exact ? w->pc : w->pc - 1) ? !uw_cfi_step(w, w->rule) :
	    !uw_fp_step(w))
		return 1;
	return 0;
}

/*
 * The user registers of the current task when it entered the kernel, for
 * a sample or an event taken in kernel mode (5.15's bpf_task_pt_regs).
 * A kernel thread has none.
 */
static __always_inline bool uw_task_regs(__u64 *pc, __u64 *sp, __u64 *bp)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *r;

	/*
	 * Not t->mm: each direct load through a BTF pointer makes the
	 * verifier search all of vmlinux's BTF by name, 3 ms at every start.
	 */
	if (!BPF_CORE_READ(t, mm))
		return false;
	r = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!r)
		return false;
	*pc = BPF_CORE_READ(r, ip);
	*sp = BPF_CORE_READ(r, sp);
	*bp = BPF_CORE_READ(r, bp);
	return true;
}

/*
 * Walk the user stack from the registers given into ips[first...], which
 * holds 2 * PROFILE_MAX_FRAMES entries, first at most PROFILE_MAX_FRAMES.
 * Returns the frames written, the stop marker included.
 */
/*
 * The walk into w->ips, its frame count returned, the stop marker
 * included.  A global function: the verifier checks the walk once, not
 * once for each way the program can reach it (user or kernel mode, any
 * number of kernel frames), which halves its work at every start.
 */
__noinline __u32 uw_walk(__u64 pc, __u64 sp, __u64 bp, __u32 pid)
{
	struct unwind_proc *proc = bpf_map_lookup_elem(&unwind_procs, &pid);
	struct uw_state *w;
	__u32 zero = 0, n, nm = 0;

	w = bpf_map_lookup_elem(&unwind_state, &zero);
	if (!w)
		return 0;
	w->pc = pc;
	w->sp = sp;
	w->bp = bp;
	w->n = 0;
	w->stop = 0;
	w->exact = 1;
	w->pid = pid;
	w->gen = 0;
	if (proc) {
		w->gen = proc->gen;
		nm = proc->n_maps;
		if (nm > UNWIND_MAX_MAPS)
			nm = UNWIND_MAX_MAPS;
		if (nm && bpf_probe_read_kernel(w->maps, nm * sizeof(w->maps[0]), proc->maps))
			nm = 0;
	}
	w->n_maps = nm;
	w->last_map = 0;
	w->n_cfi = 0;
	w->n_fp = 0;
	w->n_seen = 0;
	w->win_lo = 0;
	w->win_len = 0;
	bpf_loop(PROFILE_MAX_FRAMES + 1, uw_step, NULL, 0);
	stat_add(PROFILE_STAT_UNWIND_CFI, w->n_cfi);
	stat_add(PROFILE_STAT_UNWIND_FP, w->n_fp);
	n = w->n;
	if (w->stop) {
		stat_inc(PROFILE_STAT_UNWIND_STOP_READ - 1 + w->stop);
		if (n >= PROFILE_MAX_FRAMES)
			n = PROFILE_MAX_FRAMES - 1;	/* the marker replaces the last frame */
		barrier_var(n);
		n &= 0x7f;
		w->ips[n] = UNWIND_MARKER(w->stop);
		n++;
	}
	return n > PROFILE_MAX_FRAMES ? PROFILE_MAX_FRAMES : n;
}

/*
 * Walk the user stack from the registers given into ips[first...], which
 * holds 2 * PROFILE_MAX_FRAMES entries, first at most PROFILE_MAX_FRAMES.
 * Returns the frames written, the stop marker included.
 */
static __always_inline __u32 unwind_user(__u64 *ips, __u32 first,
					 __u64 pc, __u64 sp, __u64 bp, __u32 pid)
{
	__u32 zero = 0, n = uw_walk(pc, sp, bp, pid);
	struct uw_state *w = bpf_map_lookup_elem(&unwind_state, &zero);

	if (!w || first > PROFILE_MAX_FRAMES)
		return 0;
	if (n > PROFILE_MAX_FRAMES)
		n = PROFILE_MAX_FRAMES;
	barrier_var(n);
	n &= 0x7f;	/* the same number, in a form the verifier can bound */
	if (n && bpf_probe_read_kernel(&ips[first], n * sizeof(__u64), w->ips))
		return 0;
	return n;
}

#endif
