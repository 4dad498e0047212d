/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Names from recordings (symbols, commands, paths) are bytes that anyone
 * who ran a program chose: before they go into XML, JSON or protobuf
 * strings, which must be valid UTF-8, each invalid byte and each control
 * character becomes U+FFFD, and the format's own specials are escaped.
 */
#ifndef EBPF_TOOL_ESCAPE_H
#define EBPF_TOOL_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Text content or an attribute value: &, <, >, " and ' escaped. */
void xml_puts(FILE *f, const char *s);
/* A JSON string, with its quotes. */
void json_puts(FILE *f, const char *s);
/*
 * s as valid UTF-8 without control characters, in buf if it needed
 * changes (NULL if buf is too small), else s itself.
 */
const char *utf8_clean(const char *s, char *buf, size_t size);

#endif
