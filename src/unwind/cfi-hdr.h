/* SPDX-License-Identifier: GPL-2.0-or-later */
/* .eh_frame_hdr held against the FDEs found by walking .eh_frame. */
#ifndef EBPF_TOOL_CFI_HDR_H
#define EBPF_TOOL_CFI_HDR_H

#include <stddef.h>
#include <stdint.h>

#include "unwind/cfi-fde.h"

/*
 * libdw looks FDEs up through the header's table: it must lead only to
 * FDEs the walk found (and checked).  hdr is the section's bytes at
 * hdr_addr, fdes in section order.  0, or -EINVAL for a header in any
 * other than the form every linker writes, or an entry that names
 * something else than one of fdes.
 */
int cfi_hdr_check(const uint8_t *hdr, size_t size, uint64_t hdr_addr, uint64_t eh_addr,
		  const struct cfi_fdes *fdes);

#endif
