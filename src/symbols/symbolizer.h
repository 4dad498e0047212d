/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Address -> (DSO, symbol) for user and kernel IPs, across processes. */
#ifndef EBPF_TOOL_SYMBOLIZER_H
#define EBPF_TOOL_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>

#include "symbols/srclines.h"

struct symbolizer;

/* DSO flags; the low four bits equal the datafile's DF_DSO_* bits. */
#define SYM_DSO_KERNEL  (1u << 0)   /* vmlinux or a module */
#define SYM_DSO_VDSO    (1u << 1)
#define SYM_DSO_JIT     (1u << 2)   /* anonymous code described by perf-PID.map */
#define SYM_DSO_ANON    (1u << 3)   /* other mappings without a file */
#define SYM_DSO_MODULE  (1u << 4)   /* kernel module, "[name]" */
#define SYM_DSO_DELETED (1u << 8)   /* file was deleted when first seen */
#define SYM_DSO_HIT     (1u << 9)   /* some resolved address fell in it */
#define SYM_DSO_SYMBOLS (1u << 10)  /* its symbol table is loaded and non-empty */

struct sym_dso_info {
	uint32_t id;
	uint32_t flags;            /* SYM_DSO_* */
	const char *path;          /* as in sym_result.dso */
	const uint8_t *build_id;   /* NULL when unknown, e.g. not loaded yet */
	uint32_t build_id_len;
};

struct sym_result {
	const char *dso;      /* path as the process saw it, or perf's names:
			       * "[kernel.kallsyms]", "[ext4]", "[vdso]",
			       * "[vsyscall]", "[unknown]", and "/tmp/perf-PID.map"
			       * for all anonymous code, with or without a map */
	uint32_t dso_id;      /* 1..symbolizer_dso_count(); 0 for "[unknown]" */
	const char *name;     /* NULL when unresolved */
	uint64_t sym_start;   /* ELF vaddr for user DSOs, absolute otherwise */
	uint64_t offset;      /* ip - sym_start */
	uint64_t dso_addr;    /* ip in the DSO's address space (ELF vaddr for
			       * files, absolute for kernel and JIT code) */
	uint64_t sym_size;    /* bytes the symbol covers, 0 if unknown */
	/* The user mapping that holds ip (map_len 0 for kernel or unmapped):
	 * dso_addr = ip - map_start + map_dso_addr, for a data file's MMAP. */
	uint64_t map_start, map_len, map_dso_addr;
	int is_kernel;
};

/* Strings handed out stay valid until symbolizer_free(). Not thread-safe. */
int symbolizer_new(struct symbolizer **out);
void symbolizer_free(struct symbolizer *s);  /* NULL-safe */

/*
 * Load kernel symbols now instead of at the first kernel lookup. Returns 0,
 * or the error that every kernel lookup will also meet: -EPERM means
 * kernel.kptr_restrict hides the addresses.
 */
int symbolizer_load_kernel(struct symbolizer *s);

/*
 * Learn a process's executable mappings from /proc/PID/maps while it is
 * alive (pid is a tgid). Files are opened through /proc/PID/map_files, so
 * deleted binaries and other mount namespaces work after the process
 * exits. Calling it again replaces the pid's mappings (exec, dlopen).
 * Returns 0, -ESRCH when the process is gone, or another negative errno.
 */
int symbolizer_add_pid(struct symbolizer *s, uint32_t pid);

/* One mapping from a side-band event such as a perf MMAP2 record. */
struct sym_mapping {
	uint64_t start, len, pgoff;
	const char *path;          /* "//anon", "[vdso]", a file path, ... */
	uint32_t dev_major, dev_minor;
	uint64_t inode;            /* 0 when unknown */
	const uint8_t *build_id;   /* NULL when unknown */
	size_t build_id_len;
};
/* Replaces whatever the pid had mapped over [start, start + len). */
int symbolizer_add_mapping(struct symbolizer *s, uint32_t pid, const struct sym_mapping *m);

/*
 * A process forked: the child starts with a copy of the parent's mappings,
 * which side-band records never repeat.  Returns 0, -ESRCH when the parent
 * is unknown, or -ENOMEM.
 */
int symbolizer_fork(struct symbolizer *s, uint32_t ppid, uint32_t pid);

/* Drop a pid's mappings (exec or exit); loaded DSOs stay cached. */
void symbolizer_forget_pid(struct symbolizer *s, uint32_t pid);

/* Fill *out for ip; out->name is NULL when no symbol covers ip (a failed
 * DSO load also just leaves names NULL). The first hit in a DSO loads its
 * symbols. Returns 0, or -EINVAL. */
int symbolizer_resolve(struct symbolizer *s, uint32_t pid, uint64_t ip,
		       int is_kernel, struct sym_result *out);

/* DSO ids run from 1 to symbolizer_dso_count(). */
uint32_t symbolizer_dso_count(const struct symbolizer *s);
int symbolizer_dso_info(const struct symbolizer *s, uint32_t id, struct sym_dso_info *out);

/*
 * Source lines: with on, a file's DWARF (its own or its debug file's) is
 * opened as the file loads, i.e. before its first lookup; set it first.
 * What libdw holds of them is kept near budget bytes (0: no limit) by
 * closing the least recently used (see srclines.h).  0 or -ENOMEM.
 */
int symbolizer_set_srclines(struct symbolizer *s, int on, uint64_t budget);
void symbolizer_srclines_stats(const struct symbolizer *s, struct srclines_pool_stats *out);
/*
 * The inline chain at dso_addr (as sym_result.dso_addr) of DSO id,
 * innermost first, into out[0..max): the number of frames, 0 when nothing
 * is known; -EINVAL, -ENOENT for an unknown id.  A lookup that meets
 * unreadable DWARF returns 0 and leaves the reason for the call below.
 */
int symbolizer_srclines(struct symbolizer *s, uint32_t id, uint64_t dso_addr,
			struct src_frame *out, size_t max);
/*
 * Where a file gets debug information that it has not and this machine
 * has not (debuginfod): fetch fills *debug_path (freed by the symbolizer)
 * with a debug file for the build-id and returns 0, else a negative
 * errno.  Asked once per file, as it loads: for its symbols when it has
 * no .symtab, for its lines when they are wanted and it has no DWARF.
 */
typedef int (*symbolizer_fetch_fn)(void *ctx, const char *path, const uint8_t *id,
				   size_t len, char **debug_path);
void symbolizer_set_fetch(struct symbolizer *s, symbolizer_fetch_fn fn, void *ctx);
/* Why DSO id's DWARF could not be read (libdw's words), or NULL. */
const char *symbolizer_srclines_error(const struct symbolizer *s, uint32_t id);
/* Whether DSO id has DWARF open. */
int symbolizer_has_srclines(const struct symbolizer *s, uint32_t id);

/*
 * Code bytes: with on, a file's executable segments are mapped as it
 * loads (set it first).  symbolizer_code() gives at most len bytes at
 * dso_addr of DSO id, never past its segment: 0, or -ENOENT when the DSO
 * is no file or its code is not mapped.  symbolizer_code_rows() gives
 * the line table's rows over [lo, hi) as srclines_rows() does, 0 when
 * there are none or they cannot be read.
 */
void symbolizer_set_code(struct symbolizer *s, int on);
int symbolizer_code(struct symbolizer *s, uint32_t id, uint64_t dso_addr, uint64_t len,
		    const uint8_t **p, size_t *got);
int symbolizer_code_rows(struct symbolizer *s, uint32_t id, uint64_t lo, uint64_t hi,
			 struct src_row *out, size_t max);

#endif
