/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ebpf-tool data file: a header followed by independently decodable,
 * zlib-compressed blocks of typed records.  The byte layout is documented
 * in ebpf-tool-data(5).
 *
 * Only libc and zlib are used here so that the reader can be linked into
 * tests, fuzzers and report tools without libbpf.  Every function returns
 * 0 or a negative errno and never prints.
 */
#ifndef EBPF_TOOL_DATAFILE_H
#define EBPF_TOOL_DATAFILE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DF_VERSION_MAJOR	1
#define DF_VERSION_MINOR	5	/* the newest this code reads and writes */
/* Minor versions that added something: EVENT and EVENT_SAMPLE records, */
#define DF_MINOR_EVENTS		1
/* ... and a return probe's value after an EVENT_SAMPLE's fields. */
#define DF_MINOR_RETVAL		2
/* ... and source lines with inline chains: SRCSTR and SRCLINE records, */
#define DF_MINOR_SRCLINES	3
/* ... and SAMPLE records of stacks counted in the kernel over an interval, */
#define DF_MINOR_AGGREGATE	4
/* ... and CODE records: sampled functions' code bytes and line rows. */
#define DF_MINOR_CODE		5
/*
 * Version 2.0: STACK records coded against an earlier stack and SAMPLES
 * records (samples in columns), which 1.x readers would misread, so the
 * major version changed; 2.0 holds every record 1.5 has.  This code reads
 * 1.x and 2.x and writes either.
 */
#define DF_VERSION2_MAJOR	2
#define DF_VERSION2_MINOR	0	/* the newest 2.x this code reads and writes */

/*
 * Limits a reader enforces; the writer refuses input beyond them, except
 * that it cuts symbol names.
 */
#define DF_MAX_STRING		4096	/* bytes, excluding the NUL */
#define DF_MAX_COMM		16
#define DF_MAX_BUILD_ID		64
#define DF_MAX_FRAMES		256	/* kernel + user frames per stack */
#define DF_MAX_SYMBOLS		(1u << 20)	/* entries per SYMBOLS record */
#define DF_MAX_INLINE		32	/* frames of one SRCLINE record */
#define DF_MAX_CODE		(64u << 10)	/* code bytes of one CODE record */

/* Suggested META keys; the format treats keys and values as opaque. */
#define DF_META_HOSTNAME	"hostname"
#define DF_META_OS_RELEASE	"os-release"
#define DF_META_ARCH		"arch"
#define DF_META_NR_CPUS_ONLINE	"nr-cpus-online"
#define DF_META_NR_CPUS_AVAIL	"nr-cpus-avail"
#define DF_META_CPU_DESC	"cpu-desc"
#define DF_META_TOTAL_MEM	"total-mem"
#define DF_META_CMDLINE		"cmdline"
#define DF_META_EVENT		"event"
#define DF_META_FREQUENCY	"frequency"
#define DF_META_START_TIME	"start-time"
#define DF_META_START_MONOTONIC	"start-monotonic"	/* CLOCK_MONOTONIC ns */
#define DF_META_TOOL_VERSION	"tool-version"
#define DF_META_CALL_GRAPH	"call-graph"

enum df_task_kind {
	DF_TASK_COMM = 1,
	DF_TASK_FORK = 2,
	DF_TASK_EXEC = 3,
	DF_TASK_EXIT = 4,
};

struct df_task {
	uint32_t kind;			/* enum df_task_kind; others passed through */
	uint64_t time_ns;
	uint32_t pid;
	uint32_t tid;
	uint32_t ppid;			/* parent for DF_TASK_FORK, else 0 */
	char comm[DF_MAX_COMM + 1];	/* NUL-terminated */
};

#define DF_DSO_KERNEL	(1u << 0)
#define DF_DSO_VDSO	(1u << 1)
#define DF_DSO_JIT	(1u << 2)
#define DF_DSO_ANON	(1u << 3)

struct df_dso {
	uint32_t dso_id;
	uint32_t flags;			/* DF_DSO_*; unknown bits passed through */
	const char *path;		/* NUL-terminated, at most DF_MAX_STRING */
	const uint8_t *build_id;	/* may be NULL when build_id_len is 0 */
	uint32_t build_id_len;		/* at most DF_MAX_BUILD_ID */
};

struct df_mmap {
	uint64_t time_ns;
	uint32_t pid;
	uint64_t start;
	uint64_t len;
	uint64_t pgoff;
	uint32_t dso_id;
};

#define DF_STACK_NONE	UINT32_MAX	/* sample without a call chain */

/*
 * A user stack that the recorder's unwinder could not follow to its end
 * ends in this frame, its low byte saying why (ebpf-tool-data(5)); no user
 * address takes the form.  Readers show it as "[unknown]".
 */
#define DF_UNWIND_STOP_BASE	0xffffffffffffff00ULL
#define DF_IS_UNWIND_STOP(ip)	(((ip) & ~0xffULL) == DF_UNWIND_STOP_BASE)
enum df_unwind_stop {
	DF_UNWIND_STOP_READ = 1,	/* stack memory could not be read */
	DF_UNWIND_STOP_RULE,		/* a CFI rule the unwinder does not evaluate */
	DF_UNWIND_STOP_NO_MAPPING,	/* a return address outside every mapping */
	DF_UNWIND_STOP_FRAME_POINTER,	/* no table, and no frame pointer to follow */
	DF_UNWIND_STOP_DEPTH,		/* deeper than the frame limit */
	DF_UNWIND_STOP__MAX,
};

struct df_sample {
	uint64_t time_ns;		/* absolute; stored as a delta */
	uint32_t pid;
	uint32_t tid;
	uint32_t cpu;
	uint32_t stack_id;		/* DF_STACK_NONE if there is no stack */
	uint64_t weight;		/* 1 for a plain sample (stored in 0 bytes) */
	/*
	 * 0: the recording's main event (META "event"), written as a SAMPLE
	 * record; others are declared by EVENT records and written as
	 * EVENT_SAMPLE records, which readers of version 1.0 skip.
	 */
	uint32_t event;
	/* A return probe's hit (version 1.2): what the function returned. */
	int64_t retval;
	uint8_t has_retval;
	/*
	 * Counted in the kernel (version 1.4): weight samples over
	 * [time_ns, time_ns + interval_ns), cpu DF_CPU_NONE; 0 for a sample
	 * taken at time_ns.  Event 0 only.
	 */
	uint64_t interval_ns;
};

#define DF_CPU_NONE	UINT32_MAX	/* a counted stack: no one CPU */

/* One counted stack of an interval (df_write_counts()). */
struct df_count {
	uint32_t pid;
	uint32_t tid;
	uint32_t stack_id;		/* DF_STACK_NONE if there is no stack */
	uint64_t count;			/* at least 1 */
};

/* What an event's samples stand for (EVENT record, version 1.1). */
enum df_event_kind {
	DF_EVENT_SAMPLING = 1,		/* periodic samples: weight is a count */
	DF_EVENT_TIME = 2,		/* weight is nanoseconds, e.g. off-CPU time */
	DF_EVENT_PROBE = 3,		/* one sample a hit of a probe or tracepoint */
};

struct df_event {
	uint32_t id;
	uint32_t kind;			/* enum df_event_kind; others passed through */
	const char *name;		/* NUL-terminated, at most DF_MAX_STRING */
};

struct df_symbol {
	uint64_t start;			/* DSO-relative as chosen by the recorder */
	uint64_t size;
	const char *name;		/* writer truncates at DF_MAX_STRING */
};

/*
 * One frame of an address's inline chain (SRCLINE record, version 1.3),
 * innermost first: the function whose code the address is in, then the
 * function it was inlined into, out to the function the symbol names.
 * func and file are SRCSTR ids, 0 when unknown; line is where the frame
 * is: the address's line in the innermost frame, the call site of the
 * frame before in the others; decl_line is where the function starts.
 */
struct df_src_frame {
	uint32_t func;
	uint32_t file;
	uint32_t line;			/* 0 when unknown */
	uint32_t decl_line;		/* 0 when unknown */
};

/*
 * A function's code (CODE record, version 1.5), so that annotate needs
 * neither the binary nor its debug file: len bytes at start, in the DSO's
 * address space as a SYMBOLS record's starts are, and the line table's
 * rows over them: row i covers offsets [lines[i].offset, lines[i +
 * 1].offset), the last one to the end.  Offsets strictly increase and lie
 * below len, so there are at most len rows.  file is a SRCSTR id, 0 when
 * unknown; line 0 when unknown.
 */
struct df_code_line {
	uint32_t offset;
	uint32_t file;
	uint32_t line;
};

struct df_code {
	uint32_t dso_id;
	uint64_t start;
	const uint8_t *bytes;
	uint32_t len;			/* 1 to DF_MAX_CODE */
	const struct df_code_line *lines;
	size_t n_lines;			/* at most len */
};

/* META key of a recording that left functions' code out (over its budget). */
#define DF_META_CODE_OMITTED	"code-omitted"

enum df_lost_kind {
	DF_LOST_OTHER = 0,
	DF_LOST_RINGBUF_FULL = 1,
	DF_LOST_STACK_TRUNCATED = 2,
	DF_LOST_STACK_ERROR = 3,
	DF_LOST_SIDEBAND = 4,
	/* Aggregating: samples whose stack found no slot, every one it
	 * hashed to holding another stack (counted, never merged). */
	DF_LOST_STACK_COLLISION = 5,
	/* Aggregating: the count or stack maps were full. */
	DF_LOST_MAP_FULL = 6,
};

#define DF_END_FINISHED	(1u << 0)	/* recording stopped normally */

struct df_end {
	uint64_t samples;		/* samples written */
	uint64_t lost;			/* sum of all LOST counts */
	uint64_t duration_ns;
	uint32_t flags;			/* DF_END_* */
};

/* ---- writer ------------------------------------------------------------ */

struct df_writer;

/*
 * The writer buffers records in memory and writes a block when about
 * 256 KiB are pending, or on df_writer_flush().  The fd is not closed.
 *
 * Errors: -EINVAL for a NULL argument or a finished writer,
 * -ENAMETOOLONG for a string over its limit, -E2BIG for more than
 * DF_MAX_FRAMES frames or DF_MAX_BUILD_ID build-id bytes; these leave the
 * writer usable.  -ENOMEM and write() errors such as -ENOSPC or -EPIPE
 * (the latter only if the caller ignores SIGPIPE) are sticky: every later
 * call returns them again, since the file tail is then unknown.
 */
int df_writer_new(struct df_writer **out, int fd);	/* writes the header */
/*
 * The same, writing minor version minor (0 to DF_VERSION_MINOR) in the
 * header: a recording uses the oldest version that holds its records, so
 * files without new records stay byte for byte what older versions wrote.
 * df_write_event() and samples of events other than 0 need DF_MINOR_EVENTS.
 */
int df_writer_new_minor(struct df_writer **out, int fd, uint16_t minor);
/* Version 2.0 (DF_VERSION2_MAJOR): the denser file ebpf-tool record writes. */
int df_writer_new_v2(struct df_writer **out, int fd);
/*
 * 2.0: the sampling period in nanoseconds, 0 if unknown; each CPU's
 * sample times are coded against their predecessor plus it.  Only the
 * size depends on it.  -EINVAL.
 */
int df_writer_set_period(struct df_writer *w, uint64_t period_ns);
/* zlib's level for the blocks to come: 0 (stored) to 9; 6 by default.  -EINVAL. */
int df_writer_set_level(struct df_writer *w, int level);
int df_write_event(struct df_writer *w, const struct df_event *e);
int df_write_meta(struct df_writer *w, const char *key, const char *value);
int df_write_task(struct df_writer *w, const struct df_task *t);
int df_write_dso(struct df_writer *w, const struct df_dso *d);
int df_write_mmap(struct df_writer *w, const struct df_mmap *m);
int df_write_stack(struct df_writer *w, uint32_t stack_id, const uint64_t *ips,
		   uint16_t n_kernel, uint16_t n_user);
/*
 * 2.0: how the last df_write_stack() was coded: the stack it took its
 * outer frames from and how many, so that a caller doing work once per
 * frame of each stack can skip the frames it did for the base.  0, or
 * -ENOENT if that stack had no base or the file is 1.x.
 */
struct df_stack_base {
	uint32_t id;			/* the base's stack_id */
	uint16_t n_kernel, n;		/* the base's kernel frames and all its frames */
	uint16_t shared;		/* outer frames the two have in common */
};
int df_writer_last_base(const struct df_writer *w, struct df_stack_base *b);
int df_write_sample(struct df_writer *w, const struct df_sample *s);
/* Splits into several SYMBOLS records when large; n is unbounded. */
int df_write_symbols(struct df_writer *w, uint32_t dso_id,
		     const struct df_symbol *syms, size_t n);
int df_write_lost(struct df_writer *w, uint32_t kind, uint64_t count);
/*
 * The stacks of one interval with their counts, as SAMPLE records of event
 * 0 with an interval (needs DF_MINOR_AGGREGATE).  Entries sorted by pid
 * make the smallest file.  -EINVAL for a count or a duration of 0.
 */
int df_write_counts(struct df_writer *w, uint64_t start_ns, uint64_t duration_ns,
		    const struct df_count *c, size_t n);
/*
 * Version 1.3 (DF_MINOR_SRCLINES), else -EINVAL.  A SRCSTR gives id (> 0)
 * its string, before any SRCLINE uses it; a SRCLINE gives the frames (1 to
 * DF_MAX_INLINE, else -E2BIG) of address addr of a DSO, in the DSO's
 * address space, as a SYMBOLS record's starts are.  A return address is
 * described at addr - 1, the call instruction's last byte.
 */
int df_write_srcstr(struct df_writer *w, uint32_t id, const char *str);
int df_write_srcline(struct df_writer *w, uint32_t dso_id, uint64_t addr,
		     const struct df_src_frame *f, size_t n);
/*
 * Version 1.5 (DF_MINOR_CODE), else -EINVAL; -E2BIG for more than
 * DF_MAX_CODE bytes, -EINVAL for no bytes or rows out of order (see
 * struct df_code).  SRCSTR records of the rows' files come first.
 */
int df_write_code(struct df_writer *w, const struct df_code *c);
int df_writer_flush(struct df_writer *w);
int df_writer_finish(struct df_writer *w, const struct df_end *end);
uint64_t df_writer_bytes(const struct df_writer *w);
void df_writer_free(struct df_writer *w);

/* ---- reader ------------------------------------------------------------ */

/*
 * Pointers handed to a callback are valid only during that call.  A NULL
 * callback skips the record; a callback returning < 0 stops the walk and
 * df_read_*() returns that value with st->error left empty.
 */
struct df_ops {
	int (*meta)(void *ctx, const char *key, const char *value);
	int (*task)(void *ctx, const struct df_task *t);
	int (*dso)(void *ctx, const struct df_dso *d);
	int (*mmap)(void *ctx, const struct df_mmap *m);
	int (*stack)(void *ctx, uint32_t stack_id, const uint64_t *ips,
		     uint16_t n_kernel, uint16_t n_user);
	int (*sample)(void *ctx, const struct df_sample *s);
	int (*symbols)(void *ctx, uint32_t dso_id,
		       const struct df_symbol *syms, size_t n);
	int (*lost)(void *ctx, uint32_t kind, uint64_t count);
	int (*end)(void *ctx, const struct df_end *e);
	int (*event)(void *ctx, const struct df_event *e);
	int (*srcstr)(void *ctx, uint32_t id, const char *str);
	int (*srcline)(void *ctx, uint32_t dso_id, uint64_t addr,
		       const struct df_src_frame *f, size_t n);
	int (*code)(void *ctx, const struct df_code *c);
};

struct df_read_status {
	/*
	 * Set, with a return of 0, when the file ends inside a block other
	 * than the first, or its last block holds no END record, e.g. the
	 * recorder was killed; error[] then says which.  All complete
	 * blocks have been delivered.
	 */
	int incomplete;
	uint64_t error_offset;		/* file offset of the block at fault */
	char error[256];		/* lower-case message, "" if none */
	uint16_t version_major;
	uint16_t version_minor;
	uint64_t blocks;		/* complete blocks delivered */
	uint64_t unknown_records;	/* skipped records of unknown type */
};

/*
 * Returns 0, or a negative errno: -ENODATA for an empty file,
 * -EPROTONOSUPPORT for an unknown major version, -EBADMSG for a malformed
 * file or one cut before the end of its first block, -ENOMEM, a read()
 * error, or a callback's error.  Records before the fault have been
 * delivered.  st may be NULL.  Memory use is bounded by the block size
 * limit, not by the file size (a 2.0 file adds the stacks held as bases,
 * at most DF_MAX_HELD_FRAMES frames); df_read_fd() reads sequentially from the
 * fd's current position, so a pipe works.
 */
int df_read_fd(int fd, const struct df_ops *ops, void *ctx,
	       struct df_read_status *st);
int df_read_mem(const void *buf, size_t size, const struct df_ops *ops,
		void *ctx, struct df_read_status *st);

/* Short lower-case names for report output. */
static inline const char *df_task_kind_name(uint32_t kind)
{
	switch (kind) {
	case DF_TASK_COMM: return "comm";
	case DF_TASK_FORK: return "fork";
	case DF_TASK_EXEC: return "exec";
	case DF_TASK_EXIT: return "exit";
	default: return "unknown";
	}
}

static inline const char *df_lost_kind_name(uint32_t kind)
{
	switch (kind) {
	case DF_LOST_OTHER: return "other";
	case DF_LOST_RINGBUF_FULL: return "ringbuf-full";
	case DF_LOST_STACK_TRUNCATED: return "stack-truncated";
	case DF_LOST_STACK_ERROR: return "stack-error";
	case DF_LOST_SIDEBAND: return "sideband";
	case DF_LOST_STACK_COLLISION: return "stack-collision";
	case DF_LOST_MAP_FULL: return "map-full";
	default: return "unknown";
	}
}

#ifdef __cplusplus
}
#endif

#endif /* EBPF_TOOL_DATAFILE_H */
