/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record's side of debuginfod: the client its options ask for, what it prints. */
#ifndef EBPF_TOOL_RECORD_DEBUGINFOD_H
#define EBPF_TOOL_RECORD_DEBUGINFOD_H

#include <stdbool.h>

struct dbgd;

/*
 * Mode 0 (--no-debuginfod): none.  Else a client for urls (--debuginfod=)
 * or DEBUGINFOD_URLS, printing a progress line per file unless *quiet;
 * without servers none is made, and that is no error.  Returns 0, or
 * EXIT_FAIL after printing why.
 */
int record_debuginfod_open(struct dbgd **out, int mode, const char *urls, const bool *quiet);
/* One warning naming the files the servers gave nothing; with -v the figures. */
void record_debuginfod_report(const struct dbgd *c);

#endif
