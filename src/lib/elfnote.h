/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An ELF file's GNU build-id, for the symbol tables and the unwind tables. */
#ifndef EBPF_TOOL_ELFNOTE_H
#define EBPF_TOOL_ELFNOTE_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

#define ELFNOTE_BUILD_ID_MAX 64

/*
 * The NT_GNU_BUILD_ID note from the note sections or, where section
 * headers are stripped (sstrip, some vDSOs), the PT_NOTE segments; every
 * note bounds-checked.  Returns its length (copied to id), or 0.
 */
size_t elfnote_build_id(Elf *elf, uint8_t id[ELFNOTE_BUILD_ID_MAX]);

#endif
