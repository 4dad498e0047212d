/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/maps parser. */
#ifndef EBPF_TOOL_PROCMAPS_H
#define EBPF_TOOL_PROCMAPS_H

#include <stddef.h>
#include <stdint.h>

enum {
	PROCMAP_READ = 1,
	PROCMAP_WRITE = 2,
	PROCMAP_EXEC = 4,
	PROCMAP_PRIVATE = 8,  /* 'p'; 's' (shared) leaves it clear */
};

enum procmap_kind {
	PROCMAP_ANON,      /* no path, or "[anon:NAME]" / "[anon_shmem:NAME]" */
	PROCMAP_FILE,      /* path starting with '/' */
	PROCMAP_VDSO,      /* [vdso] */
	PROCMAP_VVAR,      /* [vvar], [vvar_vclock] */
	PROCMAP_VSYSCALL,  /* [vsyscall] */
	PROCMAP_HEAP,      /* [heap] */
	PROCMAP_STACK,     /* [stack], [stack:TID] */
	PROCMAP_OTHER,     /* any other name */
};

struct procmap_entry {
	uint64_t start, end, pgoff, inode;
	uint32_t dev_major, dev_minor;
	uint8_t perms;     /* PROCMAP_* bits */
	uint8_t kind;      /* enum procmap_kind */
	uint8_t deleted;   /* path had a " (deleted)" suffix, now stripped */
	const char *path;  /* never NULL; "" when there is none */
};

struct procmaps {
	struct procmap_entry *entries;  /* sorted by start */
	size_t count;
	char *strings;
};

/* Parse maps text. Returns 0, -EINVAL on a malformed line, -E2BIG past
 * the entry limit, or -ENOMEM. On error *out is left empty. */
int procmaps_parse(const char *buf, size_t size, struct procmaps *out);
int procmaps_read_path(const char *path, struct procmaps *out);
/* Reads /proc/PID/maps: -ENOENT when the process is gone. */
int procmaps_read_pid(uint32_t pid, struct procmaps *out);
void procmaps_release(struct procmaps *m);  /* NULL-safe; leaves *m empty */
/* Entry containing addr, or NULL. */
const struct procmap_entry *procmaps_find(const struct procmaps *m, uint64_t addr);

/*
 * A process's mappings as a symbolizer keeps them: sorted and disjoint,
 * each tagged with a caller-defined id. Fed by /proc/PID/maps and by
 * side-band mmap events.
 */
struct procmap_range {
	uint64_t start, end, pgoff;
	uint32_t id;
};

struct procmap_set {
	struct procmap_range *ranges;
	size_t count, cap;
};

/* Add r, replacing whatever overlapped it as mmap(MAP_FIXED) would.
 * Returns 0, -EINVAL (empty range), -E2BIG or -ENOMEM. */
int procmap_set_insert(struct procmap_set *set, const struct procmap_range *r);
const struct procmap_range *procmap_set_find(const struct procmap_set *set, uint64_t addr);
void procmap_set_release(struct procmap_set *set);  /* leaves it empty */

#endif
