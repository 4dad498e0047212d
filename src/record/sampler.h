/*
 * The sampler: the profile BPF program attached to one perf event per CPU.
 * Owns every kernel object it makes and releases them all in sampler_free().
 */
#ifndef EBPF_TOOL_SAMPLER_H
#define EBPF_TOOL_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cpumask.h"
#include "record/events.h"
#include "profile.h"

struct sampler;

/* Stream mode: called for each sample; ips holds n_kernel then n_user frames. */
typedef int (*sampler_sample_fn)(void *ctx, const struct profile_sample *s, const uint64_t *ips);

struct sampler_opts {
	const struct event_desc *event;
	uint64_t freq;			/* samples per second per CPU */
	struct cpuset cpus;		/* CPUs to sample (online ones only) */
	const uint32_t *pids;		/* only these processes, if n_pids */
	size_t n_pids;
	const uint32_t *tids;		/* only these threads, if n_tids */
	size_t n_tids;
	bool follow_forks;		/* children of filtered processes join the filter */
	bool stream;			/* ring buffer per sample (on_sample) */
	bool aggregate;			/* in-kernel counts per process and IP */
	bool callchain;			/* full kernel and user stacks */
	/*
	 * Count samples per thread and stacks in the kernel, sending none
	 * (bpf/stackcount.bpf.h): room for this many stacks and counts;
	 * stack_id_mask 0: the default, else the hash bits an id keeps.
	 */
	bool count_stacks;
	uint32_t stack_slots, count_slots;
	uint64_t stack_id_mask;
	/* With callchain: user stacks by CFI tables (bpf/unwind.h), whose maps
	 * get these sizes; unwind_rows 0 means frame pointers only. */
	uint32_t unwind_rows, unwind_files, unwind_procs;
	bool no_events;			/* load for the filters only: sample nothing */
	size_t ringbuf_bytes;		/* power of two, page multiple; 0: default */
	sampler_sample_fn on_sample;
	void *ctx;
};

/* Which step failed, so the command can say what to do about it. */
enum sampler_step {
	SAMPLER_STEP_NONE = 0,
	SAMPLER_STEP_OPEN,		/* the skeleton: BTF, memory */
	SAMPLER_STEP_LOAD,		/* the verifier, CAP_BPF */
	SAMPLER_STEP_EVENT,		/* perf_event_open: CAP_PERFMON, the PMU */
	SAMPLER_STEP_ATTACH,
};

struct sampler_error {
	enum sampler_step step;
	int cpu;			/* for SAMPLER_STEP_EVENT/ATTACH */
};

struct sampler_stats {
	uint64_t samples;
	uint64_t lost_ringbuf;
	uint64_t lost_map;
	uint64_t stack_truncated;
	uint64_t stack_error;
	uint64_t unwind_cfi;		/* user frames found by CFI tables */
	uint64_t unwind_fp;		/* user frames found by frame pointers */
	uint64_t unwind_stop[5];	/* user stacks ended early, by enum unwind_stop - 1 */
	uint64_t stack_collision;	/* counting: a slot held another stack */
	uint64_t lost_collision;	/* counting: no slot for the stack, not counted */
};

int sampler_new(struct sampler **out, const struct sampler_opts *opts, struct sampler_error *err);
void sampler_free(struct sampler *s);
/* Stop sampling: close the perf events, keep the maps for reading. */
void sampler_stop(struct sampler *s);

/* CPUs with an event attached (opts->cpus less any that went offline). */
int sampler_nr_attached(const struct sampler *s);

/*
 * Stream mode: deliver what the ring buffer holds, waiting up to
 * timeout_ms, or less if wake_fd or wake_fd2 (when >= 0) becomes readable.
 */
int sampler_poll(struct sampler *s, int timeout_ms, int wake_fd, int wake_fd2);

/* Totals, and samples per CPU into per_cpu[0..nr_cpus) when per_cpu is set. */
int sampler_read_stats(struct sampler *s, struct sampler_stats *st, uint64_t *per_cpu, int nr_cpus);
/* Processes the pid filter holds now (a command's that have not exited), or -errno. */
int sampler_filter_count(struct sampler *s);
/* The same from any object's "stats" map (filters.bpf.h): the tracer's too. */
int sampler_stats_read_fd(int fd, struct sampler_stats *st, uint64_t *per_cpu, int nr_cpus);

/* The pid and tid filter maps, for other programs to share (bpf_map__reuse_fd). */
/* Is pid in the pid filter (a launched command's children join it)? */
bool sampler_has_pid(const struct sampler *s, uint32_t pid);
int sampler_filter_fds(const struct sampler *s, int *pids_fd, int *tids_fd);

/* The unwind maps (rows, files, procs), to fill and to share; -ENOENT
 * when the sampler walks user stacks by frame pointer. */
struct sampler_unwind_fds {
	int rows, files, procs, inodes;
};
int sampler_unwind_fds(const struct sampler *s, struct sampler_unwind_fds *fds);

/* With opts.count_stacks: the stack_frames, stack_spare and the two count
 * maps; -ENOENT without. */
struct sampler_stackcount_fds {
	int stacks, spare, counts[2];
};
int sampler_stackcount_fds(const struct sampler *s, struct sampler_stackcount_fds *fds);
/* Send the samples to count map which (0 or 1) from now on. */
void sampler_stackcount_switch(struct sampler *s, unsigned int which);

/* Stream mode: poll another ring buffer along with the sampler's own. */
int sampler_add_ringbuf(struct sampler *s, int map_fd, int (*fn)(void *ctx, void *data, size_t size),
			void *ctx);

/* Add a process to the pid filter while sampling (a command just started). */
int sampler_add_pid(struct sampler *s, uint32_t pid);

/* With opts.aggregate: walk the in-kernel counts.  A callback's error stops the walk. */
typedef int (*sampler_proc_fn)(void *ctx, uint32_t pid, const char *comm, uint64_t count);
typedef int (*sampler_ip_fn)(void *ctx, uint32_t pid, uint64_t ip, bool is_kernel, uint64_t count);
int sampler_for_each_proc(struct sampler *s, sampler_proc_fn fn, void *ctx);
int sampler_for_each_ip(struct sampler *s, sampler_ip_fn fn, void *ctx);

#endif
