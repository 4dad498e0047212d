/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The unwind tables shared by the BPF stack walker (unwind.bpf.h) and the
 * user space that builds them from each file's .eh_frame (src/unwind/) and
 * loads them (src/record/unwinder.c).  Fixed-width types only.
 *
 * A table is the file's call-frame information flattened into rows sorted
 * by address: each row holds from its pc up to the next row's pc, and says
 * how to find the caller's frame from this one, for x86-64 where the
 * return address is always at CFA - 8 and rbp is the only callee-saved
 * register a walk needs (the rule the OpenTelemetry profiler also uses).
 */
#ifndef EBPF_TOOL_UNWIND_H
#define EBPF_TOOL_UNWIND_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* struct unwind_row.kind, low four bits: how the CFA is found. */
enum unwind_kind {
	UNWIND_CFA_RSP = 0,	/* CFA = rsp + cfa_off */
	UNWIND_CFA_RBP = 1,	/* CFA = rbp + cfa_off */
	/*
	 * A PLT stub's expression: CFA = rsp + 8, plus 8 once the stub has
	 * pushed its index, i.e. when (rip & 15) >= 11 (cfa_off holds the 8).
	 */
	UNWIND_CFA_PLT = 2,
	/* A signal trampoline (__restore_rt): the interrupted registers are in
	 * the ucontext at rsp (see UNWIND_UC_* below). */
	UNWIND_CFA_SIGNAL = 3,
	UNWIND_END = 4,		/* return address undefined: the outermost frame */
	UNWIND_NONE = 5,	/* no CFI covers the address: use frame pointers */
	UNWIND_UNSUPPORTED = 6,	/* a rule the walker does not evaluate */
	UNWIND_KIND_MASK = 0x0f,
};

/* struct unwind_row.kind, high bits. */
#define UNWIND_RBP_SAVED	0x10	/* caller's rbp is at CFA + rbp_off; else unchanged */

struct unwind_row {
	__u32 pc;		/* ELF virtual address where the row starts */
	__s32 cfa_off;
	__s16 rbp_off;		/* bytes from the CFA, with UNWIND_RBP_SAVED */
	__u8 kind;
	__u8 pad;
};

/*
 * A row as the unwind_rows map holds it: 8 bytes, since an array map's
 * elements are 8-byte aligned and 12 would take 16.  rule packs, from bit 0:
 * kind (4 bits), UNWIND_RBP_SAVED (1), rbp_off / 8 (6, signed),
 * cfa_off / 8 (21, signed: frames of up to 8 MiB).  A row whose offsets
 * do not fit becomes UNWIND_UNSUPPORTED.
 */
struct unwind_krow {
	__u32 pc;
	__u32 rule;
};

#define UNWIND_KROW_KIND(r)	((r) & 0x1f)		/* kind and UNWIND_RBP_SAVED */
#define UNWIND_KROW_RBP(r)	((__s64)((__s32)((r) << 21) >> 26) * 8)
#define UNWIND_KROW_CFA(r)	((__s64)((__s32)(r) >> 11) * 8)

/* Offsets in the ucontext at rsp when __restore_rt runs (x86-64). */
#define UNWIND_UC_RBP	120
#define UNWIND_UC_RSP	160
#define UNWIND_UC_RIP	168

/* One file's rows in the unwind_rows array (unwind_files, by file id). */
struct unwind_file {
	__u32 first_row;
	__u32 n_rows;		/* 0: no table (yet): frame pointers */
};

/*
 * A file's table by the identity of its inode, for the walker's look at
 * the task's own mappings (bpf_find_vma) where the process's mappings have
 * not reached user space yet: its first milliseconds, or a new library.
 * dev is the kernel's (major << 20 | minor).  An address in the file maps
 * to the ELF vaddr (file offset - delta) if its offset lies in
 * [seg_lo, seg_end), the file's first executable segment.
 */
struct unwind_inode_key {
	__u64 dev, ino;
};

struct unwind_inode {
	__u32 file;		/* index into unwind_files */
	__u32 pad;
	__u64 seg_lo, seg_end;
	__u64 delta;		/* p_offset - p_vaddr */
};

/* Executable mappings of one process with a file id, sorted by start. */
#define UNWIND_MAX_MAPS	128

struct unwind_map {
	__u64 start, end;
	__u64 bias;		/* ELF vaddr = address - bias */
	__u32 file;		/* index into unwind_files */
	__u32 pad;
};

struct unwind_proc {
	__u32 n_maps;
	__u32 gen;		/* new at every write: keys the walker's cache */
	struct unwind_map maps[UNWIND_MAX_MAPS];
};

/*
 * Why a user stack ended before its outermost frame.  The walker then
 * appends UNWIND_MARKER(cause) as the last user frame: no user address
 * takes that form, and every reader shows it as "[unknown]".
 */
enum unwind_stop {
	UNWIND_STOP_READ = 1,		/* user memory could not be read (not present) */
	UNWIND_STOP_RULE,		/* a CFI rule the walker cannot evaluate */
	UNWIND_STOP_NO_MAPPING,		/* a return address outside every known mapping */
	UNWIND_STOP_FRAME_POINTER,	/* the frame-pointer fallback found no frame */
	UNWIND_STOP_DEPTH,		/* deeper than the frame limit */
	UNWIND_STOP__MAX,
};

#define UNWIND_MARKER_BASE	0xffffffffffffff00ULL
#define UNWIND_MARKER(cause)	(UNWIND_MARKER_BASE | (cause))
#define UNWIND_IS_MARKER(a)	(((a) & ~0xffULL) == UNWIND_MARKER_BASE)

#endif
