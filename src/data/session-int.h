/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The session's state, shared by its files: session.c (the side band,
 * stacks, resolving) and session-lines.c (source lines).  Not for use
 * outside src/data/session*.c.
 */
#ifndef EBPF_TOOL_SESSION_INT_H
#define EBPF_TOOL_SESSION_INT_H

#include "data/session.h"
#include "lib/arena.h"
#include "lib/idmap.h"
#include "lib/rangemap.h"
#include "lib/strpool.h"
#include "lib/u64map.h"

#define LOST_KINDS 16

struct meta_kv {
	const char *key, *value;
};

struct sess_thread {
	uint32_t pid;
	const char *comm;
};

struct session {
	struct strpool pool;
	/*
	 * Ids of DSOs, stacks and events are per file: several files (the
	 * pieces of a rotated recording) are read into one session.  DSOs
	 * live as long as the session, found again by path in later files,
	 * so that report rows of different files merge.
	 */
	uint64_t files;			/* files begun */
	struct sess_dso **all_dsos;
	size_t n_all_dsos, cap_all_dsos;
	struct u64map dso_paths;	/* interned path pointer -> struct sess_dso */
	struct u64map file_events;	/* event id -> struct sess_event */
	struct sess_event **events;	/* every event seen, in order */
	size_t n_events, cap_events;
	struct meta_kv *meta;
	size_t n_meta, cap_meta;
	struct u64map threads;		/* tid -> struct sess_thread */
	struct u64map dsos;		/* dso id -> struct sess_dso, this file */
	struct u64map maps;		/* pid -> struct rangemap of DSOs */
	size_t n_maps;
	struct symtab ksyms;		/* every kernel DSO's, by address */
	size_t n_syms;
	struct idmap stacks;		/* stack id -> struct sess_stack */
	size_t n_stack_frames;		/* stored, replaced ones too */
	struct arena stack_mem;		/* where the stacks live */
	uint32_t last_pid;		/* maps_of()'s last answer */
	struct rangemap *last_maps;
	uint64_t lost[LOST_KINDS];
	uint64_t gen;			/* see session_generation() */
	struct df_end end;
	bool has_end;
	struct sess_dso unknown_dso;
	struct sess_dso kallsyms_dso;	/* for kernel frames of no known DSO */
	const char *unknown;

	/* Source lines: this file's SRCSTR ids, the chains' memory. */
	struct u64map srcstrs;		/* id -> interned string */
	struct arena src_mem;
	size_t n_srclines;
	size_t code_bytes;		/* held for CODE records */

	const struct session_ops *ops;
	void *ctx;
	struct session_status *st;
};

/* session-lines.c: the SRCSTR and SRCLINE records. */
int session_on_srcstr(void *ctx, uint32_t id, const char *str);
int session_on_srcline(void *ctx, uint32_t dso_id, uint64_t addr,
		       const struct df_src_frame *f, size_t n);
/* A new file's ids; the end of the session. */
void session_lines_new_file(struct session *s);
void session_lines_release(struct session *s);
/* session-code.c: the CODE records, in the memory of the source lines. */
int session_on_code(void *ctx, const struct df_code *c);

#endif
