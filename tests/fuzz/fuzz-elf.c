/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: ELF symbol loader, from memory and from a file. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbols/elfsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void probe(struct elfsyms *es)
{
	const struct elfsyms_segment *segs;
	const uint8_t *bid;
	struct elfsym sym;
	uint64_t v;
	size_t i, n;

	elfsyms_build_id(es, &bid);
	n = elfsyms_segments(es, &segs);
	for (i = 0; i < n; i++) {
		elfsyms_off_to_vaddr(es, segs[i].offset, &v);
		elfsyms_lookup(es, segs[i].vaddr + segs[i].memsz / 2, &sym);
	}
	if (!elfsyms_lookup(es, 0x1000, &sym) || elfsyms_count(es)) {
		elfsyms_lookup(es, UINT64_MAX, &sym);
		if (!elfsyms_lookup(es, sym.addr, &sym))
			elfsyms_find(es, sym.name, &sym);
	}
}

/* libelf reads files through another code path (pread, not a buffer),
 * and only files get their .gnu_debuglink followed: point that nowhere. */
static void from_file(const uint8_t *data, size_t size)
{
	const struct elfsyms_opts o = { .path = "/nonexistent/fuzz/x",
					.debug_dir = "/nonexistent" };
	struct elfsyms *es = NULL;
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size && !elfsyms_load_fd(fd, &o, &es))
		probe(es);
	elfsyms_free(es);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfsyms *es = NULL;

	if (!elfsyms_load_mem(data, size, &es))
		probe(es);
	elfsyms_free(es);
	from_file(data, size);
	return 0;
}
