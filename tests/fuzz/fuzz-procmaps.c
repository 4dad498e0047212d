/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: /proc/PID/maps parser, and the mapping set fed by it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rangemap.h"
#include "symbols/procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

/* Overlapping entries are fine input: the set must stay sorted and disjoint. */
static void check_set(const struct procmaps *m)
{
	struct rangemap set = { 0 };
	size_t i;

	for (i = 0; i < m->count; i++) {
		const struct procmap_entry *e = &m->entries[i];
		struct range r = { e->start, e->end, e->pgoff, i };

		if (rangemap_insert(&set, &r, SIZE_MAX) || rangemap_find(&set, e->start)->val != i)
			abort();
	}
	for (i = 1; i < set.n; i++)
		if (set.v[i - 1].end > set.v[i].start || set.v[i].start >= set.v[i].end)
			abort();
	rangemap_release(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmaps m;
	uint64_t probe = 0;
	size_t i, total = 0;

	if (procmaps_parse((const char *)data, size, &m))
		return 0;
	memcpy(&probe, data, size < sizeof(probe) ? size : sizeof(probe));
	procmaps_find(&m, probe);
	for (i = 0; i < m.count; i++) {
		total += strlen(m.entries[i].path);
		procmaps_find(&m, m.entries[i].start);
		procmaps_find(&m, m.entries[i].end - 1);
	}
	check_set(&m);
	procmaps_release(&m);
	/* Every path read to its end (a sanitizer sees one unterminated): the
	 * store keeps the reads.  libFuzzer wants 0 returned. */
	sink = total;
	return 0;
}
