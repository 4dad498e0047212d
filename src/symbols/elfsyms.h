/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Function symbols, build-id and load segments of an ELF file (libelf). */
#ifndef EBPF_TOOL_ELFSYMS_H
#define EBPF_TOOL_ELFSYMS_H

#include <stddef.h>
#include <stdint.h>

#define ELFSYMS_BUILD_ID_MAX 64

struct elfsyms;

struct elfsym {
	uint64_t addr;     /* ELF virtual address */
	uint64_t size;     /* st_size, or distance to the next symbol when 0 */
	const char *name;  /* valid until elfsyms_free() */
};

struct elfsyms_segment {  /* a PT_LOAD program header */
	uint64_t offset, vaddr, filesz, memsz;
	uint32_t flags;       /* PF_R | PF_W | PF_X */
};

struct elfsyms_opts {
	/* Path of the file as its process saw it; lets .gnu_debuglink be
	 * searched next to it. NULL: build-id lookup only. */
	const char *path;
	const char *debug_dir;  /* NULL means "/usr/lib/debug" */
	int no_debug;           /* never open separate debug files */
	/* A debug file found elsewhere (debuginfod's cache), tried last;
	 * its build-id must match too.  NULL: none. */
	const char *extra_debug;
};

enum {
	ELFSYMS_SYMTAB = 1,     /* symbols came from .symtab */
	ELFSYMS_DYNSYM = 2,     /* symbols came from .dynsym */
	ELFSYMS_DEBUGFILE = 4,  /* symbols came from a separate debug file */
};

/*
 * Load from an open file (fd stays owned by the caller). When the file has
 * no .symtab, a debug file is looked for: /usr/lib/debug/.build-id/xx/yy.debug
 * (build-id must match), then the .gnu_debuglink name in the file's
 * directory, its .debug/ subdirectory and /usr/lib/debug/<dir>/ (build-id or
 * CRC must match). Returns 0, -ENOEXEC (not ELF / unusable), -ENOMEM, or
 * -errno. A valid ELF without function symbols loads with count 0.
 */
int elfsyms_load_fd(int fd, const struct elfsyms_opts *opts, struct elfsyms **out);
/* Load an in-memory image (copied first; libelf wants it writable). Never
 * looks for debug files. */
int elfsyms_load_mem(const void *image, size_t size, struct elfsyms **out);
/* Load only the debug file named by a build-id. Debug files carry no file
 * offsets, so elfsyms_off_to_vaddr() fails on the result. */
int elfsyms_load_build_id(const uint8_t *id, size_t len, const char *debug_dir,
			  struct elfsyms **out);
/*
 * The separate debug file of the ELF open on fd, found as elfsyms_load_fd()
 * finds one (whatever the file's own .symtab), or the one a build-id names:
 * an fd the caller closes, or -ENOENT, -ENOEXEC.
 */
int elfsyms_debug_fd(int fd, const struct elfsyms_opts *opts);
int elfsyms_debug_fd_build_id(const uint8_t *id, size_t len, const char *debug_dir);
void elfsyms_free(struct elfsyms *es);  /* NULL-safe */

size_t elfsyms_count(const struct elfsyms *es);
unsigned elfsyms_flags(const struct elfsyms *es);  /* ELFSYMS_* */
size_t elfsyms_memory(const struct elfsyms *es);   /* heap bytes held */
/* Build-id bytes (0 length when the file has none). */
size_t elfsyms_build_id(const struct elfsyms *es, const uint8_t **id);
size_t elfsyms_segments(const struct elfsyms *es, const struct elfsyms_segment **segs);

/* Function containing an ELF virtual address: 0 or -ENOENT. */
int elfsyms_lookup(const struct elfsyms *es, uint64_t vaddr, struct elfsym *out);
/* By exact name (linear; for tests and tools): 0 or -ENOENT. */
int elfsyms_find(const struct elfsyms *es, const char *name, struct elfsym *out);
/* File offset -> ELF vaddr via the PT_LOAD that holds it, preferring an
 * executable one: 0 or -ENOENT. */
int elfsyms_off_to_vaddr(const struct elfsyms *es, uint64_t off, uint64_t *vaddr);

#endif
