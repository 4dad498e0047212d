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
 * The kind (enum procmap_kind) of a mapping's path as perf names them in
 * side-band records too: "//anon", "/dev/zero", "/anon_hugepage",
 * "/SYSV..." and "[anon..." are anonymous memory; NULL or "" as well.
 */
int procmaps_path_kind(const char *path);

#endif
