/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines of the addresses a recording hits: each distinct (DSO,
 * address) is resolved once, with the DSO's DWARF, into a SRCLINE record
 * whose file and function names are SRCSTR records written once per file,
 * so that report never needs the binary or its debug file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "data/datafile.h"
#include "lib/util.h"
#include "record/recorder-int.h"

void recorder_lines_init(struct recorder *r)
{
	keyset_init(&r->lines, sizeof(struct sym_key));
	memset(&r->src_pool, 0, sizeof(r->src_pool));
	memset(&r->src_ids, 0, sizeof(r->src_ids));
	r->n_src_ids = 0;
}

void recorder_lines_release(struct recorder *r)
{
	keyset_release(&r->lines);
	u64map_release(&r->src_ids);
	strpool_release(&r->src_pool);
}

int recorder_src_id(struct recorder *r, const char *str, uint32_t *id)
{
	const char *p;
	void *v;
	int err;

	*id = 0;
	if (!str || !str[0])
		return 0;
	if (strlen(str) > DF_MAX_STRING)
		return 0;	/* a name no reader would take: left unknown */
	if (!(p = strpool_intern(&r->src_pool, str)))
		return -ENOMEM;
	if ((v = u64map_get(&r->src_ids, (uintptr_t)p))) {
		*id = (uint32_t)(uintptr_t)v;
		return 0;
	}
	if (r->n_src_ids == UINT32_MAX - 1)
		return 0;
	*id = ++r->n_src_ids;
	err = u64map_put(&r->src_ids, (uintptr_t)p, (void *)(uintptr_t)*id);
	return err ? err : df_write_srcstr(r->w, *id, p);
}

int recorder_describe_lines(struct recorder *r, uint32_t dso_id, uint64_t addr)
{
	struct sym_key k = { addr, dso_id, 0 };
	struct src_frame sf[DF_MAX_INLINE];
	struct df_src_frame df[DF_MAX_INLINE];
	uint64_t t0;
	uint32_t idx;
	int added, n, err = 0;

	if (!r->o.srclines || !symbolizer_has_srclines(r->syms, dso_id))
		return 0;
	added = keyset_add(&r->lines, &k, &idx);
	if (added <= 0)
		return added;
	t0 = monotonic_ns();
	n = symbolizer_srclines(r->syms, dso_id, addr, sf, DF_MAX_INLINE);
	for (int i = 0; !err && i < n; i++) {
		df[i].line = sf[i].line;
		df[i].decl_line = sf[i].decl_line;
		err = recorder_src_id(r, sf[i].func, &df[i].func);
		err = err ?: recorder_src_id(r, sf[i].file, &df[i].file);
	}
	if (!err && n > 0) {
		err = df_write_srcline(r->w, dso_id, addr, df, (size_t)n);
		r->src_addrs++;
		r->src_frames += (uint64_t)n;
	}
	r->src_ns += monotonic_ns() - t0;
	return err;
}
