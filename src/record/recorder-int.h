/*
 * The recorder's state, shared by its files: recorder.c (samples, files,
 * life cycle) and recorder-sideband.c (what the side band says of
 * processes).  Not for use outside record/recorder*.c.
 */
#ifndef EBPF_TOOL_RECORDER_INT_H
#define EBPF_TOOL_RECORDER_INT_H

#include "data/datafile.h"
#include "lib/hashtab.h"
#include "lib/stacktab.h"
#include "lib/strpool.h"
#include "lib/u64map.h"
#include "record/recorder.h"
#include "record/sideband.h"
#include "record/stackcounts.h"
#include "record/unwinder.h"
#include "symbols/symbolizer.h"

/* Keys of the sets below: no padding, so memcmp and hashing see only fields. */
struct proc_key { uint32_t pid; };
struct thread_key { uint32_t tid; };
/* caller: a return address, whose lines are those of the byte before it. */
struct hit_key { uint64_t ip; uint32_t pid; uint32_t gen; uint32_t caller; uint32_t pad; };
struct mmap_key { uint64_t start; uint32_t pid; uint32_t gen; uint32_t dso_id; uint32_t pad; };
struct sym_key { uint64_t start; uint32_t dso_id; uint32_t pad; };
struct described_key { uint32_t stack_id; uint32_t pid; uint32_t gen; };

#define MAX_EVENTS (2 + RECORDER_MAX_PROBES)

struct recorder {
	struct recorder_opts o;
	struct sampler *sampler;
	struct tracer *tracer;
	struct unwinder *unw;		/* CFI tables, or NULL: frame pointers */
	struct df_event events[MAX_EVENTS];
	char *event_names[MAX_EVENTS];
	uint32_t n_events;
	uint32_t offcpu_event;
	/* Leading kernel frames of off-CPU stacks: the BPF program's own, or not. */
	uint64_t bpf_ips[8], sched_ips[8];
	unsigned int n_bpf_ips, n_sched_ips;
	uint16_t minor;
	/* This file's share, for rotation: samples, start, lost counts written. */
	uint64_t file_samples, file_start_ns;
	struct sampler_stats lost_written;
	uint64_t lost_sideband_written;
	struct sideband *sideband;
	struct symbolizer *syms;
	struct df_writer *w;
	struct stacktab stacks;
	struct keyset procs;		/* pids seen: gens[] and snap[] by index */
	uint32_t *gens;			/* bumped at exec: old addresses mean other things */
	bool *learned;			/* mappings known from side-band or /proc */
	uint64_t *exit_ns;		/* when it exited (side-band time), 0: alive */
	uint64_t procs_forgotten;
	struct keyset threads;		/* tids seen: comms[] by index */
	char (*comms)[DF_MAX_COMM + 1];
	struct keyset hits, mmaps, symbols;
	struct keyset described;	/* (stack, pid, gen) whose frames are described */
	/*
	 * By stack id, the (pid, gen) it was last described for: most stacks
	 * are one process's, so a sample mostly skips the keyset.  gen 0: none.
	 */
	struct { uint32_t pid, gen; } *last_desc;
	size_t nr_last_desc;
	/*
	 * By CPU, the task of its last sample, whose process index and comm
	 * are then known: valid while task_epoch stays, which every change
	 * to the processes, threads or comms bumps.
	 */
	struct task_cache {
		uint64_t epoch;
		uint32_t pid, tid, pidx;
		char comm[PROFILE_COMM_LEN];
	} task_cache[64];
	uint64_t task_epoch;
	/* Source lines: (DSO, address) pairs written, SRCSTR ids by string. */
	struct keyset lines;
	struct strpool src_pool;
	struct u64map src_ids;
	uint32_t n_src_ids;
	uint64_t src_addrs, src_frames, src_ns;
	/* Code of sampled functions (recorder-code.c): written this file, in all. */
	struct keyset code_fns;		/* (DSO, function start) considered */
	uint64_t code_file_bytes, code_file_omitted;
	uint64_t code_bytes, code_functions, code_omitted, code_ns;
	struct src_row *code_rows;	/* scratch of code_cap rows */
	struct df_code_line *code_lines;
	size_t code_cap;
	int filter_left;		/* processes in the pid filter at the end, -1: none */
	bool *dso_written;
	size_t nr_dso_written;
	uint64_t samples, lost_sideband;
	uint64_t start_ns, stop_ns, last_flush_ns;
	uint64_t sideband_ns;		/* side-band read up to here */
	int err;			/* first write error: sticky */
	struct sampler_stats final;
	bool finished;
	uint32_t next_gen;		/* the last of gens[] handed out */
	/* Counting stacks in the kernel (opts.aggregate_ns): recorder-agg.c. */
	struct stackcounts *sc;
	uint64_t interval_ns;		/* the one running started here */
	struct df_count *counts;	/* the interval's, as they are drained */
	size_t n_counts, cap_counts;
	uint64_t intervals;
	uint32_t stack_slots;		/* the kernel's stack map holds this many */
	uint64_t missing_written;	/* of stackcounts' missing, in LOST records */
};

int recorder_proc_index(struct recorder *r, uint32_t pid, uint32_t *idx);
int recorder_write_comm(struct recorder *r, uint32_t kind, uint32_t pid, uint32_t tid,
			const char *comm, uint64_t time_ns);
extern const struct sideband_ops recorder_sb_ops;
/* recorder.c's steps, for recorder-agg.c. */
int recorder_learn_proc(struct recorder *r, uint32_t pid, uint32_t *idx);
/*
 * The file's id of these frames (their STACK record written if new), and
 * the records that resolve them in process pid (gen: its image), written
 * once per stack and image: a sample costs one lookup, not one per frame.
 */
int recorder_stack(struct recorder *r, uint32_t pid, uint32_t gen, const uint64_t *ips,
		   unsigned int nk, unsigned int nu, uint32_t *stack_id);
void recorder_drain_sideband(struct recorder *r);
int recorder_prune_exited(struct recorder *r, uint64_t exited_before_ns);

/*
 * recorder-agg.c: with opts.aggregate_ns, write the counts of the interval
 * ending now as one block, and forget the processes that exited before it
 * began (the interval's counts are all in).  poll: sleep until the next
 * interval's end, wake_fd or, unwinding, the side band has news.
 */
int recorder_agg_start(struct recorder *r);
int recorder_agg_drain(struct recorder *r, uint64_t now);
/* Samples counted whose stacks were gone (stackcounts_stats' missing). */
uint64_t recorder_agg_missing(const struct recorder *r);
int recorder_agg_poll(struct recorder *r, int timeout_ms, int wake_fd);
void recorder_agg_free(struct recorder *r);

/* recorder-lines.c: the SRCLINE record of addr of a DSO, once a file. */
void recorder_lines_init(struct recorder *r);
void recorder_lines_release(struct recorder *r);
int recorder_describe_lines(struct recorder *r, uint32_t dso_id, uint64_t addr);
/* The SRCSTR id of str in this file (0: none), its record written the first time. */
int recorder_src_id(struct recorder *r, const char *str, uint32_t *id);

/*
 * recorder-code.c: the CODE record of a sampled function, once a file;
 * before the file's END, the META saying how many were left out.
 */
void recorder_code_init(struct recorder *r);
void recorder_code_release(struct recorder *r);
void recorder_code_free(struct recorder *r);
int recorder_describe_code(struct recorder *r, const struct sym_result *res);
int recorder_code_end_file(struct recorder *r);

/*
 * Should this process's mappings go to the unwinder?  The side band
 * tells of every process; a recording of some (a command and its
 * children, -p) keeps tables for those alone.
 */
static inline bool recorder_unwinds(struct recorder *r, uint32_t pid)
{
	if (!r->unw)
		return false;
	return !r->o.follow_forks && !r->o.args->n_pids ? true : sampler_has_pid(r->sampler, pid);
}

#endif
