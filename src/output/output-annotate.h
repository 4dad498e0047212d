/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * annotate's listing, in the manner of perf annotate --stdio: each
 * function's instructions (disassembled by capstone, AT&T syntax for
 * x86) with their share of the function's samples, its source lines
 * between them where the recording has them, the hottest marked.
 */
#ifndef EBPF_TOOL_OUTPUT_ANNOTATE_H
#define EBPF_TOOL_OUTPUT_ANNOTATE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/annotate.h"

struct annotate_opts {
	const char *event;	/* the header's event name */
	const char *arch;	/* the recording's META "arch": x86_64, aarch64 */
	bool no_source;		/* file:line only, never the source text */
};

struct annotate_printer;

/* -ENOTSUP for an architecture capstone is not asked for, -ENOMEM. */
int annotate_printer_new(struct annotate_printer **out, const struct annotate_opts *o);
void annotate_printer_free(struct annotate_printer *p);	/* NULL-safe */
/*
 * Prints f, which must have code (f->code).  Returns 0, or the errno of
 * a failed write.
 */
int annotate_print(FILE *fp, struct annotate_printer *p, const struct ann_func *f);

#endif
