/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The code bytes of an ELF file's executable segments, for a recording
 * that carries its sampled functions' code (record's CODE records).
 */
#ifndef EBPF_TOOL_ELFCODE_H
#define EBPF_TOOL_ELFCODE_H

#include <stddef.h>
#include <stdint.h>

struct elfcode;

/*
 * Maps the ELF open on fd (which stays the caller's and may be closed at
 * once).  Returns 0, -ENOEXEC when it is no ELF or has no executable
 * segment with file bytes, or -ENOMEM.
 */
int elfcode_open_fd(int fd, struct elfcode **out);
void elfcode_free(struct elfcode *ec);	/* NULL-safe */

/*
 * The bytes at ELF virtual address vaddr, at most len of them and never
 * past the end of the executable PT_LOAD segment's file bytes that holds
 * vaddr: *p and their number, or -ENOENT when no such segment holds it.
 */
int elfcode_get(const struct elfcode *ec, uint64_t vaddr, uint64_t len, const uint8_t **p,
		size_t *got);

#endif
