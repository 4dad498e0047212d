/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reading state of a data file: metadata, threads, DSOs, mappings,
 * symbols and stacks, built in one streaming pass.  The recorder writes
 * everything a sample needs before the sample, so a sample is resolved
 * the moment it is read and never kept; only the deduplicated side-band
 * stays in memory, within the limits below.
 *
 * Functions return 0 or a negative errno and never print.  Strings the
 * session hands out (comms, DSO names, symbol names, labels) are interned:
 * they live as long as the session and equal strings are equal pointers.
 */
#ifndef EBPF_TOOL_SESSION_H
#define EBPF_TOOL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/datafile.h"
#include "lib/symtab.h"
#include "lib/u64map.h"

/* What one file may make the reader allocate; beyond them it is rejected. */
#define SESS_MAX_META		4096
#define SESS_MAX_THREADS	(1u << 22)
#define SESS_MAX_DSOS		(1u << 20)
#define SESS_MAX_MAPS		(1u << 22)	/* all processes together */
#define SESS_MAX_SYMBOLS	(1u << 26)	/* all DSOs together */
#define SESS_MAX_STACKS		(1u << 24)
#define SESS_MAX_STACK_FRAMES	(1u << 27)	/* all stacks together */
#define SESS_MAX_STRING_BYTES	(1u << 30)	/* interned names */
#define SESS_MAX_EVENTS		256
#define SESS_MAX_SRCLINES	(1u << 24)	/* addresses with lines, all DSOs */
#define SESS_MAX_CODE_BYTES	(256u << 20)	/* CODE records' bytes and rows, all DSOs */

/* Symbols of size 0 reach the next symbol, but never further than this. */
#define SESS_SYM_MAX_GUESS	4096

struct sess_dso {
	uint32_t id;
	uint32_t flags;		/* DF_DSO_* */
	const char *path;	/* as recorded */
	const char *name;	/* the Shared Object column: basename or [name] */
	const char *build_id;	/* lower-case hex, NULL if the file has none */
	uint32_t index;		/* in the session's DSOs: a kernel symbol's data */
	/* Appended as records arrive, sorted on the first lookup after. */
	struct symtab syms;
	struct u64map lines;	/* address -> struct sess_srcline */
	struct u64map code;	/* function start -> struct sess_code */
};

/* A row of a function's line table: from offset to the next row's. */
struct sess_code_line {
	uint32_t offset;
	uint32_t line;		/* 0 if unknown */
	const char *file;	/* interned, NULL if unknown */
};

/* A function's code as recorded (CODE record, version 1.5). */
struct sess_code {
	uint64_t start;		/* in the DSO's address space */
	uint32_t len;
	uint32_t n_lines;
	const uint8_t *bytes;
	const struct sess_code_line *lines;	/* by offset */
};

/* One frame of an address's inline chain; see struct df_src_frame. */
struct sess_src_frame {
	const char *func;	/* interned, NULL if unknown */
	const char *file;	/* interned, NULL if unknown */
	uint32_t line;		/* 0 if unknown */
	uint32_t decl_line;	/* where func starts, 0 if unknown */
};

/*
 * The chain, innermost first: f[0] is the code the address is in,
 * f[n - 1] the function its symbol names; n > 1 means inlined frames.
 */
struct sess_srcline {
	uint32_t n;
	struct sess_src_frame f[];
};

struct sess_src_frame;
struct sess_srcline;

struct sess_frame {
	uint64_t ip;		/* as recorded */
	uint64_t addr;		/* in the DSO's address space; ip if unmapped */
	const char *sym;	/* symbol name, NULL if unresolved */
	uint64_t sym_off;	/* addr - symbol start */
	/*
	 * The Symbol column text without its [k]/[.] marker: the name, the
	 * DSO address as 0x%016llx, or [unknown] without a mapping.
	 */
	const char *label;
	/* The call-graph text: the name, or the raw ip as 0x%llx. */
	const char *chain;
	const struct sess_dso *dso;	/* never NULL: see session_unknown_dso() */
	bool kernel;
	bool mapped;		/* a mapping (user) or kernel DSO held the ip */
	/*
	 * Set by session_expand() only: a frame of a function inlined at the
	 * address (sym its name, label and chain "name (inlined)"), the
	 * frame's own source line (NULL if unknown), and the address's
	 * whole chain, whose f[0] is the address's line.
	 */
	bool inlined;
	const struct sess_src_frame *src;
	const struct sess_srcline *lines;
};

/* An event of the file(s), the same object for the same name and kind. */
struct sess_event {
	const char *name;	/* interned */
	uint32_t kind;		/* DF_EVENT_*, 0 if never declared */
	uint32_t index;		/* 0, 1, ... in order of first appearance */
};

struct sess_stack {
	uint16_t n_kernel, n_user;
	uint64_t ips[];		/* kernel frames then user frames, leaf first */
};

struct session;

struct session_ops {
	/* Called for every sample, with the session up to date for it. */
	int (*sample)(void *ctx, struct session *s, const struct df_sample *smp);
};

struct session_status {
	struct df_read_status df;	/* the reader's verdict and offsets */
	/*
	 * Why the session itself rejected the file ("" if it did not); the
	 * offending block's offset is then df.error_offset.
	 */
	char error[256];
	uint64_t samples;		/* samples delivered */
	uint64_t missing_stacks;	/* samples naming a stack never written */
};

int session_new(struct session **out);
void session_free(struct session *s);

/*
 * Reads a whole file (a pipe is fine).  Returns as df_read_fd() does.
 * Reading several files into one session merges them: ids are per file,
 * threads, mappings and names carry over.
 */
int session_read_fd(struct session *s, int fd, const struct session_ops *ops,
		    void *ctx, struct session_status *st);
int session_read_mem(struct session *s, const void *buf, size_t size,
		     const struct session_ops *ops, void *ctx,
		     struct session_status *st);

/*
 * The event of a sample's event id in the file being read (NULL only on
 * ENOMEM); event 0 of a file without EVENT records is its META "event".
 */
const struct sess_event *session_event(struct session *s, uint32_t id);
size_t session_nr_events(const struct session *s);

/* The last value of a META key, or NULL. */
const char *session_meta(const struct session *s, const char *key);
/* true, false, or -1 when the file does not say ("call-graph" missing). */
int session_has_callchains(const struct session *s);
/* Nanoseconds a sample of weight 1 stands for: 1 s / the frequency. */
uint64_t session_period_ns(const struct session *s);
/*
 * When the recording started, on the clock of sample times: its
 * start-monotonic META, else the time of the first sample, given.
 */
uint64_t session_start_ns(const struct session *s, uint64_t first_sample_ns);

/* The thread's current comm, or ":TID" when the file never named it. */
const char *session_comm(struct session *s, uint32_t tid);

/* NULL when the id was never written. */
const struct sess_stack *session_stack(const struct session *s, uint32_t id);

/* Resolves one frame against what has been read so far. */
int session_resolve(struct session *s, uint32_t pid, uint64_t ip, bool kernel,
		    struct sess_frame *f);

/*
 * The source lines of a resolved user frame, or NULL when the file has
 * none for it.  caller: the frame is a return address (a user frame after
 * the first), described by the byte before it.
 */
const struct sess_srcline *session_srcline(const struct sess_frame *f, bool caller);

/* The code of the function starting at start in dso, or NULL if the file has none. */
const struct sess_code *session_code(const struct sess_dso *dso, uint64_t start);
/* The row of c's line table covering offset off, or NULL. */
const struct sess_code_line *session_code_line(const struct sess_code *c, uint64_t off);

/*
 * Frame f as the frames a call graph shows, leaf first, into out[0..max):
 * unless no_inline, a frame for each function inlined at its address,
 * innermost first, then f itself, at the line of the outermost call (or
 * with no_inline, at the address's line).  Inlined frames are left out
 * where max has no room for them.  Returns how many (1 at least, for max
 * >= 1), or -ENOMEM.
 */
int session_expand(struct session *s, const struct sess_frame *f, bool caller,
		   bool no_inline, struct sess_frame *out, size_t max);

/*
 * Changes whenever a record may change how an already seen stack of an
 * already seen process resolves (a DSO, mapping or stack redefined, a
 * fork), so callers may cache resolved stacks until it does.  New symbols
 * do not change it: the recorder writes them before their first use.
 */
uint64_t session_generation(const struct session *s);

/* Interns a string in the session's pool (NULL on ENOMEM). */
const char *session_intern(struct session *s, const char *str);

uint64_t session_lost(const struct session *s, uint32_t kind);
uint64_t session_lost_total(const struct session *s);
/*
 * Samples that never reached the file (ring buffer full, map full, a
 * stack that found no slot, or unknown causes): perf's "Total Lost Samples".  Truncated or unreadable stacks
 * are counted apart: their samples are in the file.
 */
uint64_t session_lost_samples(const struct session *s);
/* The END record, or NULL if the file has none. */
const struct df_end *session_end(const struct session *s);

/* Iterates META records in file order: 0 then 1, 2...; NULL at the end. */
const char *session_meta_at(const struct session *s, size_t i, const char **value);

#endif
