/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the check of a debug file a debuginfod server sent
 * (debugfile.c over libelf).  The input's first byte is the length of the
 * build-id asked for (taken modulo 21), the next bytes that build-id, the
 * rest the file that came.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbols/debugfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	int fd, rc;

	if (!size || size > (4u << 20))
		return 0;
	len = data[0] % 21;
	if (size < 1 + len || (fd = memfd_create("fuzz-debugfile", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data + 1 + len, size - 1 - len) == (ssize_t)(size - 1 - len)) {
		rc = debugfile_check(fd, data + 1, len);
		if (rc != 0 && rc != -EBADMSG)
			abort();
	}
	close(fd);
	return 0;
}
