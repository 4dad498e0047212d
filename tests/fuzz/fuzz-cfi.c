/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: unwind tables from an ELF image, in memory and as a file. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unwind/cfi-table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the table promises; a broken promise aborts, which libFuzzer reports. */
static void probe(const struct unwind_table *t)
{
	uint32_t i, unsupported = 0;

	for (i = 0; i < t->n_rows; i++) {
		if (i && t->rows[i - 1].pc >= t->rows[i].pc)
			abort();
		unsupported += (t->rows[i].kind & UNWIND_KIND_MASK) == UNWIND_UNSUPPORTED;
		if (unwind_table_lookup(t, t->rows[i].pc) != &t->rows[i])
			abort();
	}
	if (unsupported != t->n_unsupported)
		abort();
}

/* libelf reads a file through pread, not the buffer; debug files are
 * looked for where none are. */
static void from_file(const uint8_t *data, size_t size)
{
	struct unwind_table t;
	int fd = memfd_create("fuzz-cfi", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size &&
	    !unwind_table_from_fd_debug(fd, "/nonexistent", &t)) {
		probe(&t);
		unwind_table_release(&t);
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unwind_table t;

	if (!unwind_table_from_mem(data, size, &t)) {
		probe(&t);
		unwind_table_release(&t);
	}
	from_file(data, size);
	return 0;
}
