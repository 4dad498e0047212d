/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: source lines and inline chains of an ELF file's DWARF
 * (srclines.c over libdw).  The input is the file; its functions' ranges
 * are looked up at their starts and ends and at a spread of addresses,
 * and the line rows of ranges across them taken as record takes a
 * function's (srclines_rows): in order, inside the range, never more than
 * asked for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbols/srclines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct src_frame *f, int n)
{
	if (n < 0 || n > SRCLINES_MAX_DEPTH)
		abort();
	for (int i = 0; i < n; i++) {
		/* Strings must be readable: touch them. */
		if ((f[i].func && strlen(f[i].func) > (1u << 30)) ||
		    (f[i].file && strlen(f[i].file) > (1u << 30)))
			abort();
	}
}

static void check_rows(struct srclines *sl, uint64_t lo, uint64_t hi)
{
	static struct src_row r[512];
	const char *why;
	int n = srclines_rows(sl, lo, hi, r, 512, &why);

	if (n > 512)
		abort();
	for (int i = 0; i < n; i++)
		if (r[i].addr < lo || r[i].addr >= hi || (i && r[i].addr <= r[i - 1].addr) ||
		    (r[i].file && strlen(r[i].file) > (1u << 30)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* No debug file is looked for: the input is all there is. */
	const struct elfsyms_opts o = { .path = "/nonexistent/fuzz/x",
					.debug_dir = "/nonexistent", .no_debug = 1 };
	struct src_frame f[SRCLINES_MAX_DEPTH];
	struct srclines *sl = NULL;
	const char *why;
	int fd, n;

	if (size > (4u << 20) || (fd = memfd_create("fuzz-dwarf", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size && !srclines_open_fd(fd, &o, NULL, &sl, &why)) {
		close(fd);	/* the file is mapped: lookups must not need it */
		fd = -1;
		for (uint64_t a = 0; a < 0x10000; a += 0x11) {
			n = srclines_lookup(sl, a, f, SRCLINES_MAX_DEPTH, &why);
			if (n != -EBADMSG)
				check(f, n);
		}
		n = srclines_lookup(sl, UINT64_MAX, f, 1, &why);
		check(f, n < 0 ? 0 : n);
		for (uint64_t a = 0; a < 0x10000; a += 0x400)
			check_rows(sl, a, a + 0x400);
		check_rows(sl, UINT64_MAX - 16, UINT64_MAX);
	}
	srclines_free(sl);
	if (fd >= 0)
		close(fd);
	return 0;
}
