/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FDE ranges by dwarf_next_cfi() rather than from .eh_frame_hdr's sorted
 * table: one path serves .eh_frame with or without a header and
 * .debug_frame (which has none); each FDE's end is known, so the gaps
 * between functions are found without telling libdw's "no FDE here" from
 * its other failures (its error codes are not public); and each FDE's
 * length bounds the work libdw does per row in it; and every entry
 * libdw may run is one walked here, its instructions checked (cfi-scan.c).
 * libdw splits entries and CIE headers; the pointer encodings of the
 * FDE's first two fields are all we decode, and only the ones x86-64
 * toolchains emit.  An FDE must name a CIE the walk found: libdw would
 * take one at any offset, inside another entry too.
 */
#include "unwind/cfi-fde.h"
#include "unwind/cfi-hdr.h"
#include "unwind/cfi-scan.h"
#include "lib/util.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* DW_EH_PE_*: the low nibble is the format, the next three bits what it is
 * relative to, the top bit an indirection. */
#define PE_ABSPTR	0x00
#define PE_UDATA2	0x02
#define PE_UDATA4	0x03
#define PE_UDATA8	0x04
#define PE_SDATA2	0x0a
#define PE_SDATA4	0x0b
#define PE_SDATA8	0x0c
#define PE_PCREL	0x10
#define PE_FORMAT(e)	((e) & 0x0f)
#define PE_APPL(e)	((e) & 0x70)

/* Bytes of a fixed-size format, 0 for any other (leb128, omit, junk). */
static unsigned pe_size(uint8_t enc)
{
	switch (PE_FORMAT(enc)) {
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8:
		return 8;
	case PE_UDATA4:
	case PE_SDATA4:
		return 4;
	case PE_UDATA2:
	case PE_SDATA2:
		return 2;
	}
	return 0;
}

/* Little-endian only: cfi-table.c admits x86-64 files alone. */
static uint64_t read_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static int64_t sign_extend(uint64_t v, unsigned n)
{
	unsigned shift = 64 - 8 * n;

	return (int64_t)(v << shift) >> shift;
}

/* The FDE pointer encoding a CIE names ('R'); absptr without one. */
static int cie_fde_encoding(const Dwarf_CIE *cie, bool eh_frame, uint8_t *enc)
{
	const uint8_t *d = cie->augmentation_data;
	size_t i = 0, n = cie->augmentation_data_size;
	const char *a = cie->augmentation;

	*enc = PE_ABSPTR;
	if (!a || !a[0])
		return 0;
	/* Without 'z' the data cannot be skipped reliably; no x86-64
	 * toolchain emits that, nor any augmentation in .debug_frame. */
	if (a[0] != 'z' || !eh_frame || (n && !d))
		return -EINVAL;
	for (a++; *a; a++) {
		switch (*a) {
		case 'R':
			if (i >= n || !pe_size(d[i]) || d[i] & 0x80)
				return -EINVAL;
			*enc = d[i];
			return 0;
		case 'L':
			i++;
			break;
		case 'P': {
			unsigned sz;

			/* aligned (0x50) would make the size depend on i */
			if (i >= n || !(sz = pe_size(d[i])) || PE_APPL(d[i]) == 0x50)
				return -EINVAL;
			i += 1 + sz;
			break;
		}
		case 'S':	/* signal frame */
		case 'B':	/* arm64 BTI and MTE, no data */
		case 'G':
			break;
		default:	/* what follows is unknown: so is 'R' */
			return -EINVAL;
		}
		if (i > n)
			return -EINVAL;
	}
	return 0;
}

struct cie {
	Dwarf_Off off;
	uint8_t enc;	/* of the FDE pointers */
	bool z;		/* FDEs have sized augmentation data */
};

struct cies {
	struct cie *v;
	size_t n, cap;
};

/* The next entry at *off: 1 at the end, 0, or -EINVAL. */
static int next_entry(const unsigned char *ident, Elf_Data *d, bool eh_frame, Dwarf_Off *off,
		      Dwarf_Off *at, Dwarf_CFI_Entry *e)
{
	const uint8_t *base = d->d_buf;
	Dwarf_Off next;
	int rc;

	/* A zero length ends .eh_frame (crtend's terminator) for libgcc;
	 * libdw calls it malformed, and would look past it.  So only
	 * zeros may follow. */
	if (eh_frame && *off < d->d_size && d->d_size - *off >= 4 && read_le(base + *off, 4) == 0) {
		for (size_t i = *off; i < d->d_size; i++)
			if (base[i])
				return -EINVAL;
		return 1;
	}
	rc = dwarf_next_cfi(ident, d, eh_frame, *off, &next, e);
	if (rc)
		return rc > 0 ? 1 : -EINVAL;
	if (next <= *off)
		return -EINVAL;
	*at = *off;
	*off = next;
	return 0;
}

/* Every CIE, its initial instructions checked for libdw. */
static int read_cies(const unsigned char *ident, Elf_Data *d, bool eh_frame, size_t max,
		     struct cies *out)
{
	Dwarf_Off off = 0, at;
	Dwarf_CFI_Entry e;
	int rc;

	while (!(rc = next_entry(ident, d, eh_frame, &off, &at, &e))) {
		struct cie *c;
		uint8_t enc;

		if (e.cie.CIE_id != DW_CIE_ID_64)
			continue;
		if ((rc = cie_fde_encoding(&e.cie, eh_frame, &enc)) ||
		    (rc = cfi_scan(e.cie.initial_instructions, e.cie.initial_instructions_end,
				   pe_size(enc))))
			return rc;
		if (out->n >= max)
			return -E2BIG;
		if (grow_array((void **)&out->v, &out->cap, out->n + 1, sizeof(*c)))
			return -ENOMEM;
		c = &out->v[out->n++];
		c->off = at;
		c->enc = enc;
		c->z = e.cie.augmentation && e.cie.augmentation[0] == 'z';
	}
	return rc < 0 ? rc : 0;
}

/* libdw would take a CIE anywhere; ours are where the walk found them. */
static const struct cie *find_cie(const struct cies *cies, Dwarf_Off off)
{
	size_t lo = 0, hi = cies->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cies->v[mid].off == off)
			return &cies->v[mid];
		if (cies->v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The FDE's range as its CIE encodes it; its instructions checked. */
static int fde_range(const Dwarf_FDE *f, const struct cie *cie, uint64_t field_addr,
		     uint64_t *start, uint64_t *len)
{
	unsigned sz = pe_size(cie->enc);
	bool sdata = PE_FORMAT(cie->enc) >= PE_SDATA2;
	const uint8_t *insn = f->start + 2 * sz;
	uint64_t v;

	if ((size_t)(f->end - f->start) < 2u * sz)
		return -EINVAL;
	v = read_le(f->start, sz);
	if (sdata)
		v = (uint64_t)sign_extend(v, sz);
	if (PE_APPL(cie->enc) == PE_PCREL)
		v += field_addr;
	else if (PE_APPL(cie->enc) != 0)
		return -EINVAL;
	*start = v;
	*len = read_le(f->start + sz, sz);
	if (sdata && sign_extend(*len, sz) < 0)
		return -EINVAL;
	if (cie->z) {	/* augmentation data, as libdw skips it */
		uint64_t n = 0;
		unsigned shift = 0;

		do {
			if (insn >= f->end || shift > 56)
				return -EINVAL;
			n |= (uint64_t)(*insn & 0x7f) << shift;
			shift += 7;
		} while (*insn++ & 0x80);
		if (n > (uint64_t)(f->end - insn))
			return -EINVAL;
		insn += n;
	}
	return cfi_scan(insn, f->end, sz);
}

static int add_fde(struct cfi_fdes *out, size_t max, Dwarf_Off off, uint64_t start,
		   uint64_t len, size_t insn)
{
	struct cfi_fde *f;

	if (start + len < start)
		return -EINVAL;
	if (out->n >= max)
		return -E2BIG;
	if (grow_array((void **)&out->v, &out->cap, out->n + 1, sizeof(*f)))
		return -ENOMEM;
	f = &out->v[out->n++];
	f->off = off;
	f->start = start;
	f->end = start + len;	/* start == end: a discarded function's */
	f->insn_bytes = insn > UINT32_MAX ? UINT32_MAX : (uint32_t)insn;
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct cfi_fde *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

static int read_fdes(const unsigned char *ident, Elf_Data *d, uint64_t sh_addr, bool eh_frame,
		     const struct cies *cies, size_t max, struct cfi_fdes *out)
{
	const uint8_t *base = d->d_buf;
	Dwarf_Off off = 0, at;
	Dwarf_CFI_Entry e;
	int rc;

	while (!(rc = next_entry(ident, d, eh_frame, &off, &at, &e))) {
		const struct cie *cie;
		uint64_t start, len;

		if (e.cie.CIE_id == DW_CIE_ID_64)
			continue;
		if (!(cie = find_cie(cies, e.fde.CIE_pointer)))
			return -EINVAL;
		if ((rc = fde_range(&e.fde, cie, sh_addr + (uint64_t)(e.fde.start - base),
				    &start, &len)) ||
		    (rc = add_fde(out, max, at, start, len, (size_t)(e.fde.end - e.fde.start))))
			return rc;
	}
	return rc < 0 ? rc : 0;
}

int cfi_fdes_read(const unsigned char *e_ident, Elf_Data *data, uint64_t sh_addr,
		  bool eh_frame, const struct cfi_eh_hdr *hdr, size_t max_fdes,
		  struct cfi_fdes *out)
{
	struct cies cies = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if (!data || !data->d_buf || !e_ident)
		return -EINVAL;
	rc = read_cies(e_ident, data, eh_frame, max_fdes, &cies);
	if (!rc)
		rc = read_fdes(e_ident, data, sh_addr, eh_frame, &cies, max_fdes, out);
	free(cies.v);
	/* out is in section order still, as the check wants it */
	if (!rc && hdr)
		rc = cfi_hdr_check(hdr->bytes, hdr->size, hdr->addr, sh_addr, out);
	if (rc) {
		cfi_fdes_release(out);
		return rc;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), by_start);
	return 0;
}

void cfi_fdes_release(struct cfi_fdes *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}
