/*
 * Side-band records from the kernel: process names, forks, exits and
 * executable mappings (PERF_RECORD_COMM, FORK, EXIT, MMAP2), read from one
 * dummy perf event per online CPU.  They let the recorder resolve the
 * symbols of processes that started and exited while it ran.
 */
#ifndef EBPF_TOOL_SIDEBAND_H
#define EBPF_TOOL_SIDEBAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cpumask.h"

struct sideband;

struct sideband_mmap {
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	uint32_t maj, min;
	uint64_t ino;
	const uint8_t *build_id;	/* NULL unless the kernel sent one */
	size_t build_id_len;
	uint32_t prot;
	const char *path;
	uint64_t time_ns;		/* CLOCK_MONOTONIC */
};

struct sideband_ops {
	int (*comm)(void *ctx, uint32_t pid, uint32_t tid, const char *comm, bool exec,
		    uint64_t time_ns);
	int (*fork)(void *ctx, uint32_t pid, uint32_t ppid, uint32_t tid, uint64_t time_ns);
	int (*exit)(void *ctx, uint32_t pid, uint32_t tid, uint64_t time_ns);
	int (*mmap)(void *ctx, const struct sideband_mmap *m);
	int (*lost)(void *ctx, uint64_t count);
};

/*
 * One event per CPU of cpus; pages (power of two) of ring buffer each.
 * prompt: every record makes sideband_poll_fd() readable (the unwinder
 * needs a new library's mapping before the process runs far), else only
 * 4 KiB of them.
 */
int sideband_new(struct sideband **out, const struct cpuset *cpus, unsigned int pages,
		 bool prompt, const struct sideband_ops *ops, void *ctx);
/* An epoll fd readable while the rings hold records, or -1. */
int sideband_poll_fd(const struct sideband *sb);
/* Deliver every record queued so far; returns how many, or a callback's error. */
int sideband_drain(struct sideband *sb);
void sideband_free(struct sideband *sb);

#endif
