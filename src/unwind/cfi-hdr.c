/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The header's table leads libdw straight to an offset in .eh_frame,
 * which could be one the walk never saw (inside another entry), so its
 * instructions never checked.  ld, gold, lld and mold all write version 1
 * with a pc-relative 4-byte .eh_frame pointer, a 4-byte count and
 * .eh_frame_hdr-relative 4-byte entries; nothing else is accepted.
 */
#include "unwind/cfi-hdr.h"

#include <errno.h>
#include <string.h>

#define HDR_VERSION	1
#define ENC_PCREL_S4	0x1b	/* DW_EH_PE_pcrel | DW_EH_PE_sdata4 */
#define ENC_U4		0x03	/* DW_EH_PE_udata4 */
#define ENC_DATAREL_S4	0x3b	/* DW_EH_PE_datarel | DW_EH_PE_sdata4 */
#define HDR_FIXED	12

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rel32(uint64_t base, const uint8_t *p)
{
	return base + (uint64_t)(int64_t)(int32_t)le32(p);
}

/* fdes are in section order, so by offset. */
static const struct cfi_fde *by_offset(const struct cfi_fdes *fdes, uint64_t off)
{
	size_t lo = 0, hi = fdes->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fdes->v[mid].off == off)
			return &fdes->v[mid];
		if (fdes->v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int cfi_hdr_check(const uint8_t *hdr, size_t size, uint64_t hdr_addr, uint64_t eh_addr,
		  const struct cfi_fdes *fdes)
{
	uint64_t count, i;

	if (!hdr || size < HDR_FIXED || hdr[0] != HDR_VERSION || hdr[1] != ENC_PCREL_S4 ||
	    hdr[2] != ENC_U4 || hdr[3] != ENC_DATAREL_S4 || rel32(hdr_addr + 4, hdr + 4) != eh_addr)
		return -EINVAL;
	count = le32(hdr + 8);
	if (count > (size - HDR_FIXED) / 8)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		const uint8_t *e = hdr + HDR_FIXED + i * 8;
		uint64_t loc = rel32(hdr_addr, e), at = rel32(hdr_addr, e + 4);
		const struct cfi_fde *f = at >= eh_addr ? by_offset(fdes, at - eh_addr) : NULL;

		if (!f || f->start != loc)
			return -EINVAL;
	}
	return 0;
}
