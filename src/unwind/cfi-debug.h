/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A file's separate debug file, found by its build-id. */
#ifndef EBPF_TOOL_CFI_DEBUG_H
#define EBPF_TOOL_CFI_DEBUG_H

#include <libelf.h>

/*
 * DIR/.build-id/xx/yyyy.debug for elf's NT_GNU_BUILD_ID, if it is an ELF
 * file with the same build-id: the open Elf (elf_end() it, then close
 * *fd), or NULL.
 */
Elf *cfi_debug_open(Elf *elf, const char *dir, int *fd);

#endif
