/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The code of the functions a recording samples: each (DSO, function)
 * whose code a sample's leaf user frame is in gets one CODE record, its
 * bytes read from the ELF file the symbolizer loaded, and its line table's
 * rows, so that annotate needs neither the binary nor its debug file.
 * A file holds at most RECORDER_CODE_BUDGET bytes of code; past it, and
 * for functions over DF_MAX_CODE bytes, the function is left out and
 * counted in the file's META "code-omitted".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/datafile.h"
#include "lib/util.h"
#include "record/recorder-int.h"

void recorder_code_init(struct recorder *r)
{
	keyset_init(&r->code_fns, sizeof(struct sym_key));
	r->code_file_bytes = 0;
	r->code_file_omitted = 0;
}

void recorder_code_release(struct recorder *r)
{
	keyset_release(&r->code_fns);
}

void recorder_code_free(struct recorder *r)
{
	recorder_code_release(r);
	free(r->code_rows);
	free(r->code_lines);
	r->code_rows = NULL;
	r->code_lines = NULL;
	r->code_cap = 0;
}

static int omit(struct recorder *r)
{
	r->code_file_omitted++;
	r->code_omitted++;
	return 0;
}

int recorder_describe_code(struct recorder *r, const struct sym_result *res)
{
	struct sym_key k = { res->sym_start, res->dso_id, 0 };
	struct df_code c = { .dso_id = res->dso_id, .start = res->sym_start };
	uint64_t t0;
	uint32_t idx;
	size_t got;
	int added, n, err = 0;

	if (!r->o.code || !res->name || res->is_kernel)
		return 0;
	added = keyset_add(&r->code_fns, &k, &idx);
	if (added <= 0)
		return added;
	if (!res->sym_size || res->sym_size > DF_MAX_CODE)
		return omit(r);
	t0 = monotonic_ns();
	if (symbolizer_code(r->syms, res->dso_id, res->sym_start, res->sym_size, &c.bytes, &got) ||
	    !got)
		return 0;	/* no file to read it from (vDSO, JIT, anonymous) */
	if (r->code_file_bytes + got > RECORDER_CODE_BUDGET)
		return omit(r);
	c.len = (uint32_t)got;
	if (got > r->code_cap) {
		size_t cap = r->code_cap;

		if (grow_array((void **)&r->code_rows, &cap, got, sizeof(*r->code_rows)))
			return -ENOMEM;
		cap = r->code_cap;
		if (grow_array((void **)&r->code_lines, &cap, got, sizeof(*r->code_lines)))
			return -ENOMEM;
		r->code_cap = cap;
	}
	n = r->o.srclines ? symbolizer_code_rows(r->syms, res->dso_id, c.start, c.start + got,
						 r->code_rows, got) : 0;
	for (int i = 0; !err && i < n; i++) {
		struct df_code_line *l = &r->code_lines[c.n_lines];
		uint64_t off = r->code_rows[i].addr - c.start;

		/* The format wants rows in order inside the code: others are dropped. */
		if (r->code_rows[i].addr < c.start || off >= got ||
		    (c.n_lines && off <= l[-1].offset))
			continue;
		l->offset = (uint32_t)off;
		l->line = r->code_rows[i].line;
		err = recorder_src_id(r, r->code_rows[i].file, &l->file);
		c.n_lines++;
	}
	c.lines = r->code_lines;
	err = err ?: df_write_code(r->w, &c);
	if (!err) {
		r->code_file_bytes += got;
		r->code_bytes += got;
		r->code_functions++;
	}
	r->code_ns += monotonic_ns() - t0;
	return err;
}

int recorder_code_end_file(struct recorder *r)
{
	char buf[32];

	if (!r->code_file_omitted)
		return 0;
	snprintf(buf, sizeof(buf), "%" PRIu64, r->code_file_omitted);
	return df_write_meta(r->w, DF_META_CODE_OMITTED, buf);
}
