/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal layout of the ebpf-tool data file; see ebpf-tool-data(5).
 * Buffers are accessed byte by byte, never through struct casts, so the
 * code is independent of host endianness and alignment.
 */
#ifndef EBPF_TOOL_DATAFILE_FORMAT_H
#define EBPF_TOOL_DATAFILE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* File header, 16 bytes. */
#define DF_FILE_MAGIC		"EBPFTOOL"	/* 8 bytes, no NUL */
#define DF_FILE_MAGIC_LEN	8
#define DF_FILE_HDR_LEN		16
#define DF_OFF_VMAJOR		8	/* u16 */
#define DF_OFF_VMINOR		10	/* u16 */
#define DF_OFF_BYTE_ORDER	12	/* u8 */
#define DF_OFF_FILE_RSVD	13	/* 3 zero bytes */
#define DF_BYTE_ORDER_LE	1

/* Block header, 20 bytes. */
#define DF_BLOCK_MAGIC		"EBLK"
#define DF_BLOCK_MAGIC_LEN	4
#define DF_BLOCK_HDR_LEN	20
#define DF_OFF_CLEN		4	/* u32 compressed length */
#define DF_OFF_ULEN		8	/* u32 uncompressed length */
#define DF_OFF_CRC		12	/* u32 crc32 of uncompressed payload */
#define DF_OFF_KIND		16	/* u8 */
#define DF_OFF_BLOCK_RSVD	17	/* 3 zero bytes */
#define DF_BLOCK_ZLIB		1

#define DF_MAX_BLOCK		(16u << 20)
/* Above this the writer starts a new block before adding a record. */
#define DF_BLOCK_TARGET		(256u << 10)
/* Writer splits SYMBOLS records at about this payload size. */
#define DF_SYMBOLS_CHUNK	(64u << 10)

/*
 * Deflate cannot expand more than 1032:1, so a header claiming more is
 * corrupt; checking it bounds the output buffer by the input actually
 * present instead of by an untrusted length.
 */
static inline int df_ratio_ok(uint32_t clen, uint32_t ulen)
{
	return (uint64_t)ulen <= (uint64_t)clen * 1032 + 1024;
}

enum df_rec_type {
	DF_REC_META = 1,
	DF_REC_TASK = 2,
	DF_REC_DSO = 3,
	DF_REC_MMAP = 4,
	DF_REC_STACK = 5,
	DF_REC_SAMPLE = 6,
	DF_REC_SYMBOLS = 7,
	DF_REC_LOST = 8,
	DF_REC_END = 9,
	DF_REC_EVENT = 10,		/* version 1.1 */
	DF_REC_EVENT_SAMPLE = 11,	/* version 1.1 */
	DF_REC_SRCSTR = 12,		/* version 1.3: a source file or function name */
	DF_REC_SRCLINE = 13,		/* version 1.3: an address's lines, inline chain */
	DF_REC_CODE = 14,		/* version 1.5: a function's code bytes and lines */
	DF_REC_SAMPLES = 15,		/* version 2.0: samples in columns */
};

/*
 * SAMPLE flags.  A clear bit means: cpu "same as the previous sample in
 * this block"; pid and tid "same as the last sample in this block whose
 * cpu had the same low 8 bits" (so interleaved CPUs each keep their
 * running task); stack "none"; weight "1".  Fields follow in bit order so
 * a reader can ignore bits added later as long as their fields come last.
 */
#define DF_SF_CPU	(1u << 0)
#define DF_SF_PID	(1u << 1)
#define DF_SF_TID	(1u << 2)	/* stored as zig-zag (tid - pid) */
#define DF_SF_STACK	(1u << 3)
#define DF_SF_WEIGHT	(1u << 4)
#define DF_SF_RETVAL	(1u << 5)	/* version 1.2: a return probe's value, s64 */
/*
 * Version 1.4: a stack counted in the kernel, weight its count, over the
 * interval_ns (u64, not 0) from time_ns.  Readers before 1.4 skip the
 * field and read the sample as weight samples at time_ns, so their shares
 * stay right.
 */
#define DF_SF_INTERVAL	(1u << 6)
#define DF_CPU_SLOTS	256

struct df_cpu_slot {
	uint32_t pid, tid;
};

#define DF_VARINT_MAX	10	/* bytes for a u64 */

static inline void df_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void df_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t df_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t df_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t df_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t df_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static inline size_t df_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Unsigned LEB128; p must have room for DF_VARINT_MAX bytes. */
static inline size_t df_put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/*
 * Returns the number of bytes consumed, 0 if the input ends inside the
 * varint, or -1 if it is longer than 10 bytes or overflows 64 bits.
 * Non-minimal encodings are accepted.
 */
static inline int df_get_varint(const uint8_t *p, size_t avail, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < DF_VARINT_MAX; i++) {
		if (i == avail)
			return 0;
		if (i == DF_VARINT_MAX - 1 && p[i] > 1)
			return -1;
		v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*out = v;
			return (int)i + 1;
		}
	}
	return -1;
}

/*
 * Bounds-checked reader over one record payload.  The error is sticky so
 * a parser reads all its fields and checks once; after an error every
 * read returns 0.
 */
enum {
	DF_E_TRUNC = 1, DF_E_VARINT, DF_E_RANGE, DF_E_STRLEN, DF_E_NUL,
	DF_E_BUILDID, DF_E_FRAMES, DF_E_SYMBOLS, DF_E_NOMEM, DF_E_INLINE,
	DF_E_CODE,
	DF_E_BASE, DF_E_COLUMN,	/* version 2.0 */
};

struct df_cur {
	const uint8_t *p;
	size_t left;
	int err;
};

static inline void df_cur_fail(struct df_cur *c, int err)
{
	if (!c->err)
		c->err = err;
}

static inline uint64_t df_cur_u64(struct df_cur *c)
{
	uint64_t v = 0;
	int n;

	if (c->err)
		return 0;
	n = df_get_varint(c->p, c->left, &v);
	if (n <= 0) {
		df_cur_fail(c, n ? DF_E_VARINT : DF_E_TRUNC);
		return 0;
	}
	c->p += n;
	c->left -= (size_t)n;
	return v;
}

static inline uint32_t df_cur_u32(struct df_cur *c)
{
	uint64_t v = df_cur_u64(c);

	if (v > UINT32_MAX) {
		df_cur_fail(c, DF_E_RANGE);
		return 0;
	}
	return (uint32_t)v;
}

/* A length-prefixed byte string; longer than max fails with too_long. */
static inline const uint8_t *df_cur_bytes(struct df_cur *c, size_t max,
					  int too_long, size_t *len)
{
	uint64_t n = df_cur_u64(c);
	const uint8_t *s = c->p;

	*len = 0;
	if (!c->err && n > max)
		df_cur_fail(c, too_long);
	if (!c->err && n > c->left)
		df_cur_fail(c, DF_E_TRUNC);
	if (c->err)
		return NULL;
	c->p += n;
	c->left -= (size_t)n;
	*len = (size_t)n;
	return s;
}

#endif /* EBPF_TOOL_DATAFILE_FORMAT_H */
