/*
 * The user space of the CFI stack walker: builds each executable file's
 * unwind table once (src/unwind/), loads it into the sampler's unwind maps
 * and keeps every process's executable mappings there, from /proc and
 * from side-band records.  Tables are built by a worker thread, so that
 * neither start-up nor the reading of samples waits for libdw: until a
 * file's table is in, the BPF side walks its frames by frame pointer.
 */
#ifndef EBPF_TOOL_UNWINDER_H
#define EBPF_TOOL_UNWINDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/sampler.h"

/* Kernel memory for tables: system-wide, and for a command or a few processes. */
#define UNWINDER_DEFAULT_BYTES	(16u << 20)
#define UNWINDER_TARGET_BYTES	(4u << 20)
#define UNWINDER_MAX_FILES	8192
#define UNWINDER_MAX_PROCS	32768

struct unwinder;

/* The sizes to give the sampler's maps for a table budget of bytes. */
void unwinder_map_sizes(uint64_t bytes, struct sampler_opts *so);

/*
 * Start the worker and the tables every process needs (libc, ld.so)
 * before the BPF object is loaded, so that both happen at once; attach
 * then gives it the sampler's unwind maps (sampler_unwind_fds).  Nothing
 * else is called before attach but unwinder_add_program and _wait.
 */
int unwinder_new(struct unwinder **out);
int unwinder_attach(struct unwinder *u, struct sampler *s);
/* Until every table asked for is built and loaded: 0, or -ETIMEDOUT. */
int unwinder_wait(struct unwinder *u, int timeout_ms);
/* Stops the worker (a table being built is abandoned) and frees all. */
void unwinder_free(struct unwinder *u);		/* NULL-safe */

/* A process's executable mappings from /proc/PID/maps: 0, -ESRCH, -ENOMEM. */
int unwinder_add_pid(struct unwinder *u, uint32_t pid);

/*
 * What is running now, before its first sample: the processes given, or
 * every process when n_pids is 0.  Their tables are built in the background.
 */
int unwinder_add_all(struct unwinder *u);
int unwinder_add_targets(struct unwinder *u, const uint32_t *pids, size_t n_pids);

/*
 * The program a command is about to exec (found as execvp() finds it):
 * its table is built now, so that its first samples unwind.
 */
int unwinder_add_program(struct unwinder *u, const char *name);

struct unwinder_mapping {
	uint64_t start, len, pgoff;
	const char *path;	/* a file, "[vdso]", or anonymous */
	uint32_t dev_major, dev_minor;
	uint64_t inode;		/* 0 when unknown */
	bool exec;
};
/* One mapping from a side-band record; replaces what it overlaps. */
int unwinder_add_mapping(struct unwinder *u, uint32_t pid, const struct unwinder_mapping *m);
/* A child starts with its parent's mappings. */
int unwinder_fork(struct unwinder *u, uint32_t ppid, uint32_t pid);
/* exec or exit: the pid's mappings go. */
void unwinder_forget_pid(struct unwinder *u, uint32_t pid);

struct unwinder_stats {
	uint32_t files;		/* with a table loaded */
	uint32_t files_no_cfi;	/* without usable CFI: frame pointers */
	uint32_t files_over_cap;	/* no room left: frame pointers */
	uint32_t procs;
	uint64_t rows, row_bytes, max_bytes;
};
void unwinder_stats(struct unwinder *u, struct unwinder_stats *st);

#endif
