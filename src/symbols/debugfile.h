/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef EBPF_TOOL_DEBUGFILE_H
#define EBPF_TOOL_DEBUGFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Whether the file open on fd is a debug file of that build-id: an ELF
 * file with exactly that build-id, whose sections all lie inside it (a
 * transfer cut short loses the section headers or the last sections) and
 * one of which is .debug_info or .symtab.  0 or -EBADMSG.
 */
int debugfile_check(int fd, const uint8_t *id, size_t len);

#endif
