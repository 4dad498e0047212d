/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: perf-PID.map parser, whole and as an appended file. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbols/perfmap.h"

static void probe(struct perfmap *pm, const uint8_t *data, size_t size)
{
	struct perfmap_sym ps;
	uint64_t addr = 0;

	memcpy(&addr, data, size < sizeof(addr) ? size : sizeof(addr));
	perfmap_lookup(pm, addr, &ps);
	perfmap_lookup(pm, 0x1000, &ps);
	perfmap_lookup(pm, UINT64_MAX, &ps);
}

/* Written in two steps, as a JIT appends while we read. */
static void as_file(const uint8_t *data, size_t size)
{
	struct perfmap *pm = NULL;
	int fd = memfd_create("fuzz-perfmap", MFD_CLOEXEC);
	size_t half = size / 2;

	if (fd < 0 || perfmap_new(&pm)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (write(fd, data, half) == (ssize_t)half) {
		perfmap_update_fd(pm, fd);
		if (write(fd, data + half, size - half) == (ssize_t)(size - half))
			perfmap_update_fd(pm, fd);
	}
	probe(pm, data, size);
	perfmap_free(pm);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfmap *pm = NULL;

	if (perfmap_new(&pm))
		return 0;
	perfmap_parse(pm, (const char *)data, size);
	probe(pm, data, size);
	perfmap_free(pm);
	as_file(data, size);
	return 0;
}
