/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An ELF file's call-frame information as the rows of bpf/unwind.h: from
 * .eh_frame, else .debug_frame (the file's own, then its separate debug
 * file's by build-id), interpreted by libdw.
 */
#ifndef EBPF_TOOL_CFI_TABLE_H
#define EBPF_TOOL_CFI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "bpf/unwind.h"

/* Beyond this a file gets -E2BIG rather than a table (python3.11 has
 * 65k rows, libc 28k). */
#define UNWIND_TABLE_MAX_ROWS	(8u << 20)

struct unwind_table {
	struct unwind_row *rows;	/* sorted by pc, strictly increasing */
	uint32_t n_rows;
	uint32_t n_unsupported;		/* rows of kind UNWIND_UNSUPPORTED */
};

/*
 * From an open ELF file (not closed), looking for a debug file under
 * /usr/lib/debug/.build-id/.  0; -ENOENT when it has no usable CFI (none,
 * or not an x86-64 executable or shared object); -EINVAL when corrupt;
 * -E2BIG past a limit (a vaddr >= 4 GiB, too many rows, too much work);
 * -ENOMEM.  Prints nothing.  *out is empty on error.
 */
int unwind_table_from_fd(int fd, struct unwind_table *out);
/* The same with debug files under debug_dir (NULL: /usr/lib/debug). */
int unwind_table_from_fd_debug(int fd, const char *debug_dir, struct unwind_table *out);
/* The same; *cancel (if set) turning non-zero stops it with -ECANCELED. */
int unwind_table_build(int fd, const char *debug_dir, const volatile int *cancel,
		       struct unwind_table *out);
/* From a file's image in memory; no debug file is looked for. */
int unwind_table_from_mem(const void *image, size_t size, struct unwind_table *out);
void unwind_table_release(struct unwind_table *t);

/* The row that holds for vaddr; NULL below the first row. */
const struct unwind_row *unwind_table_lookup(const struct unwind_table *t, uint64_t vaddr);

#endif
