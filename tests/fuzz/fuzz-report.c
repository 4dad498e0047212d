/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whole reading path of report and script on arbitrary bytes: the
 * data-file reader, the session (mappings, symbols, stacks), aggregation
 * with call-graph trees, and both printers.  Whatever the input, it must
 * neither crash nor allocate without bound.
 *
 * An input starting with 'R' is the uncompressed payload of one block,
 * wrapped here into a valid file, so mutations reach the records past the
 * checksum and zlib ('2': of a version 2.0 file); any other input is read
 * as a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "report/callchain.h"
#include "data/datafile-format.h"
#include "fuzz-wrap.h"
#include "report/hist.h"
#include "output/output-script.h"
#include "output/output-stdio.h"
#include "data/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

struct ctx {
	struct hist hist;
	struct script_opts so;
};

static int on_sample(void *arg, struct session *s, const struct df_sample *smp)
{
	struct ctx *c = arg;
	int err = hist_add(&c->hist, s, smp);

	return err ? err : script_print_sample(sink, s, smp, &c->so);
}

static void run(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_or_payload(data, size, run);
	return 0;
}

static void run(const uint8_t *data, size_t size)
{
	static const struct session_ops ops = { .sample = on_sample };
	struct session_status st;
	struct hist_opts ho = { 0 };
	struct stdio_opts o = { 0 };
	struct session *s = NULL;
	struct ctx c;
	const char *bad;

	if (!sink)
		sink = fopen("/dev/null", "w");
	memset(&c, 0, sizeof(c));
	c.so.fields = ~0u;
	c.so.callchain = true;
	c.so.max_stack = 127;
	sort_parse("comm,dso,sym", ho.keys, &ho.n_keys, &bad);
	ho.children = ho.callchain = ho.caller = true;
	ho.max_stack = 127;
	if (hist_init(&c.hist, &ho) || session_new(&s))
		goto out;
	if (session_read_mem(s, data, size, &ops, &c, &st) == 0) {
		o.children = o.callchain = true;
		cc_params_init(&o.cc);
		o.event = session_meta(s, DF_META_EVENT);
		o.lost = session_lost_samples(s);
		hist_sort(&c.hist, true, true);
		stdio_header(sink, s, &st);
		stdio_report(sink, &c.hist, &o);
	}
out:
	hist_release(&c.hist);
	session_free(s);
}
