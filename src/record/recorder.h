/*
 * The recorder: streams samples from the sampler and side-band records
 * from the kernel into a data file, deduplicating stacks and writing each
 * process's mappings and the symbols it hits while the process can still
 * be read, so the file stands on its own.
 */
#ifndef EBPF_TOOL_RECORDER_H
#define EBPF_TOOL_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "record/sample-args.h"
#include "record/sampler.h"
#include "record/tracer.h"
#include "record/unwinder.h"
#include "symbols/srclines.h"

#define RECORDER_MAX_PROBES 16

struct recorder_probe {
	const char *func;		/* kernel function, or the tracepoint's name */
	const char *system;		/* set: the tracepoint system:func */
	bool ret;			/* kretprobe */
};

struct recorder;

struct dbgd;

struct recorder_opts {
	const struct sample_args *args;
	bool callchain;
	uint64_t unwind_bytes;		/* with callchain: CFI tables' budget; 0: frame pointers */
	bool follow_forks;		/* a launched command: its children too */
	const char *program;		/* a launched command's argv[0], or NULL */
	size_t ringbuf_bytes;
	int compression_level;		/* 0 to 9; -1: the writer's default */
	int fd;				/* the data file, opened by the caller */
	const char *cmdline;		/* how ebpf-tool was run, for the header */
	bool no_sampling;		/* probes only: no CPU sampling event */
	bool offcpu;			/* off-CPU time as event "offcpu-time" */
	uint64_t offcpu_min_ns, offcpu_max_ns;
	uint32_t offcpu_states;
	const struct recorder_probe *probes;	/* "kprobe:F", "kretprobe:F", "SYS:NAME" */
	size_t n_probes;
	/*
	 * Count stacks in the kernel and write them every aggregate_ns, in
	 * room for stack_slots stacks and count_slots counts (0: defaults);
	 * stack_id_mask as in sampler_opts.  0: stream every sample.
	 */
	uint64_t aggregate_ns;
	uint32_t stack_slots, count_slots;
	uint64_t stack_id_mask;
	bool srclines;			/* source lines and inline chains (DWARF) */
	bool code;			/* sampled functions' code bytes (CODE records) */
	uint64_t srclines_bytes;	/* what their DWARF may hold; 0: no limit */
	/* Debug files the machine lacks fetched from there, or NULL (stays the caller's). */
	struct dbgd *debuginfod;
	int data_version;		/* 1: a 1.x file for older readers; else 2.0 */
};

/* The DWARF source lines may hold open: libc's, libpython's and more (record(1)). */
#define RECORDER_SRCLINES_BYTES	(64ull << 20)
/* Code bytes a file carries at most (record(1), CODE BYTES). */
#define RECORDER_CODE_BUDGET	(8u << 20)
#define RECORDER_STACK_SLOTS	65536
#define RECORDER_COUNT_SLOTS	65536

struct recorder_stats {
	uint64_t samples;
	uint64_t kernel_samples;	/* CPU samples the BPF program took */
	uint64_t lost;			/* every kind together */
	uint64_t lost_ringbuf;
	uint64_t stack_truncated;
	uint64_t stack_error;
	uint64_t lost_sideband;
	uint64_t bytes;			/* written to the file so far */
	uint64_t stacks;
	uint64_t procs;			/* processes whose mappings are kept */
	uint64_t procs_forgotten;	/* exited, and dropped at a file switch */
	bool unwinding;			/* user stacks by CFI tables: the figures below */
	struct unwinder_stats unwind;
	uint64_t unwind_cfi, unwind_fp;	/* user frames found each way */
	/* Aggregating: intervals written, stacks held, collisions met (each
	 * resolved by the next slot), samples lost to them or to full maps. */
	uint64_t intervals, agg_stacks, stack_collision, lost_collision, lost_map;
	uint64_t src_addrs, src_frames;	/* addresses given lines, their frames */
	int filter_left;		/* a command's processes still followed at the end, -1 */
	uint64_t src_ns;		/* spent finding them */
	/* Functions whose code was written, its bytes, those left out, time spent. */
	uint64_t code_functions, code_bytes, code_omitted, code_ns;
	struct srclines_pool_stats src_pool;
	double seconds;
};

/*
 * Load, attach and write the file header; se tells which step failed and
 * *what (if set) which probe or tracepoint.
 */
int recorder_new(struct recorder **out, const struct recorder_opts *opts,
		 struct sampler_error *se, const char **what);
/* Sample this process too (a command started for recording). */
int recorder_add_pid(struct recorder *r, uint32_t pid);
/*
 * Move what the kernel queued into the file, waiting up to timeout_ms or
 * until wake_fd (if >= 0) is readable.
 */
int recorder_poll(struct recorder *r, int timeout_ms, int wake_fd);
/* Stop sampling, drain, write the lost counts and the end record. */
int recorder_finish(struct recorder *r);
void recorder_stats(struct recorder *r, struct recorder_stats *st);
/*
 * End the current file as recorder_finish() would, without stopping, and
 * go on in a new one that stands on its own (its own header, DSOs,
 * symbols and stacks).  The caller closes the old fd.
 */
int recorder_rotate(struct recorder *r, int fd);
/*
 * Calls fn for every file whose debug information could not be read, with
 * libdw's reason; its frames have no source lines.
 */
void recorder_srcline_errors(struct recorder *r,
			     void (*fn)(void *ctx, const char *path, const char *why), void *ctx);
/* Bytes written to the current file. */
uint64_t recorder_file_bytes(struct recorder *r);
void recorder_free(struct recorder *r);

#endif
