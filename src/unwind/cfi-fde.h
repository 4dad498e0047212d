/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The address ranges of a CFI section's FDEs, sorted: what a table walks. */
#ifndef EBPF_TOOL_CFI_FDE_H
#define EBPF_TOOL_CFI_FDE_H

#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cfi_fde {
	uint64_t off;		/* of the entry in its section */
	uint64_t start, end;	/* ELF virtual addresses, start <= end */
	uint32_t insn_bytes;	/* what libdw interprets per lookup in it */
};

struct cfi_fdes {
	struct cfi_fde *v;
	size_t n, cap;
};

/* .eh_frame_hdr's bytes, for the lookups libdw makes through it. */
struct cfi_eh_hdr {
	const uint8_t *bytes;
	size_t size;
	uint64_t addr;
};

/*
 * Every FDE of a .eh_frame (eh_frame: its pc-relative pointers are taken
 * from sh_addr) or .debug_frame section, sorted by start; at most max_fdes.
 * Every CIE's and FDE's instructions pass cfi_scan(), and hdr (if not
 * NULL) leads only to these FDEs: libdw may then run them.  0, -EINVAL (a
 * malformed entry, an unknown pointer encoding, a program cfi_scan()
 * refuses, a header that does not match), -E2BIG, -ENOMEM.  On error
 * *out holds nothing to release.
 */
int cfi_fdes_read(const unsigned char *e_ident, Elf_Data *data, uint64_t sh_addr,
		  bool eh_frame, const struct cfi_eh_hdr *hdr, size_t max_fdes,
		  struct cfi_fdes *out);
void cfi_fdes_release(struct cfi_fdes *f);

#endif
