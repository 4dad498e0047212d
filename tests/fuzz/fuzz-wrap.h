/*
 * The fuzz targets' way to reach past the block layer: a payload of
 * records becomes a one-block data file with a valid header, lengths and
 * CRC, so mutations hit the record parsers instead of the checksum.
 */
#ifndef EBPF_TOOL_FUZZ_WRAP_H
#define EBPF_TOOL_FUZZ_WRAP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "data/datafile-format.h"

static inline uint8_t *fuzz_wrap_major(const uint8_t *payload, size_t plen, size_t *len,
				       uint16_t major)
{
	uLongf clen = compressBound(plen);
	uint8_t *f = calloc(1, DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN + clen);
	uint8_t *b = f + DF_FILE_HDR_LEN;

	if (!f || compress2(b + DF_BLOCK_HDR_LEN, &clen, payload, plen, 1))
		abort();
	memcpy(f, DF_FILE_MAGIC, DF_FILE_MAGIC_LEN);
	df_put_le16(f + DF_OFF_VMAJOR, major);
	f[DF_OFF_BYTE_ORDER] = DF_BYTE_ORDER_LE;
	memcpy(b, DF_BLOCK_MAGIC, DF_BLOCK_MAGIC_LEN);
	df_put_le32(b + DF_OFF_CLEN, (uint32_t)clen);
	df_put_le32(b + DF_OFF_ULEN, (uint32_t)plen);
	df_put_le32(b + DF_OFF_CRC, (uint32_t)crc32(0, payload, (uInt)plen));
	b[DF_OFF_KIND] = DF_BLOCK_ZLIB;
	*len = DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN + clen;
	return f;
}

static inline uint8_t *fuzz_wrap(const uint8_t *payload, size_t plen, size_t *len)
{
	return fuzz_wrap_major(payload, plen, len, 1);
}

/*
 * The input convention of the targets that read whole files: one starting
 * with 'R' is a block's payload, wrapped ('2': as a block of a version 2.0
 * file); any other a file.  Inputs over 1 MiB only slow the fuzzer down
 * and are skipped.
 */
static inline void fuzz_file_or_payload(const uint8_t *data, size_t size,
					void (*run)(const uint8_t *data, size_t size))
{
	uint8_t *file;
	size_t len;

	if (size > (1u << 20))
		return;
	if (size && (data[0] == 'R' || data[0] == '2')) {
		file = fuzz_wrap_major(data + 1, size - 1, &len, data[0] == '2' ? 2 : 1);
		run(file, len);
		free(file);
	} else {
		run(data, size);
	}
}

#endif
