/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * annotate's whole path on arbitrary bytes: the data-file reader with its
 * CODE records, the session's code and line rows, the aggregation by
 * function and address, and the listing, whose code bytes capstone
 * decodes, for both architectures annotate knows.  Whatever the input, it
 * must neither crash nor allocate without bound.
 *
 * An input starting with 'R' is the uncompressed payload of one block,
 * wrapped into a valid file (fuzz-wrap.h), so mutations reach the records
 * past the checksum and zlib; any other input is read as a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/session.h"
#include "fuzz-wrap.h"
#include "output/output-annotate.h"
#include "report/annotate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

static int on_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	return annotate_add(ctx, s, smp);
}

static void run(const uint8_t *data, size_t size)
{
	static const struct session_ops ops = { .sample = on_sample };
	static const char *const arches[] = { "x86_64", "aarch64" };
	struct session_status st;
	struct session *s = NULL;
	struct annotate an;

	if (!sink)
		sink = fopen("/dev/null", "w");
	annotate_init(&an);
	if (session_new(&s))
		goto out;
	if (session_read_mem(s, data, size, &ops, &an, &st) == 0 && !annotate_sort(&an)) {
		for (size_t k = 0; k < 2; k++) {
			struct annotate_opts o = { .arch = arches[k], .no_source = true };
			struct annotate_printer *p;

			if (annotate_printer_new(&p, &o))
				continue;
			for (size_t i = 0; i < an.n && i < 64; i++)
				if (an.funcs[i]->code)
					annotate_print(sink, p, an.funcs[i]);
			annotate_printer_free(p);
		}
	}
out:
	annotate_release(&an);
	session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_or_payload(data, size, run);
	return 0;
}
