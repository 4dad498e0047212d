/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/bsearch.h"
#include "lib/rangemap.h"
#include "lib/util.h"

/* The first range ending after addr: ends are sorted too, ranges being disjoint. */
static size_t first_after(const struct rangemap *m, uint64_t addr)
{
	return UPPER_BOUND(m->v, m->n, end, addr);
}

int rangemap_insert(struct rangemap *m, const struct range *r, size_t max)
{
	struct range left, right;
	size_t lo, hi, k, n;
	int has_left, has_right, err;

	if (r->start >= r->end)
		return -EINVAL;
	lo = hi = first_after(m, r->start);
	while (hi < m->n && m->v[hi].start < r->end)
		hi++;
	/* v[lo..hi) overlap r: what sticks out on either side stays. */
	has_left = lo < hi && m->v[lo].start < r->start;
	has_right = lo < hi && m->v[hi - 1].end > r->end;
	if (has_left) {
		left = m->v[lo];
		left.end = r->start;
	}
	if (has_right) {
		right = m->v[hi - 1];
		right.pgoff += r->end - right.start;
		right.start = r->end;
	}
	n = m->n - (hi - lo) + (size_t)has_left + (size_t)has_right + 1;
	if (n > max)
		return -E2BIG;
	err = grow_array((void **)&m->v, &m->cap, n, sizeof(*m->v));
	if (err)
		return err;
	k = lo + (size_t)has_left + 1 + (size_t)has_right;
	memmove(&m->v[k], &m->v[hi], (m->n - hi) * sizeof(*m->v));
	m->n = n;
	k = lo;
	if (has_left)
		m->v[k++] = left;
	m->v[k++] = *r;
	if (has_right)
		m->v[k] = right;
	return 0;
}

const struct range *rangemap_find(const struct rangemap *m, uint64_t addr)
{
	size_t i = first_after(m, addr);

	return i < m->n && m->v[i].start <= addr ? &m->v[i] : NULL;
}

int rangemap_copy(struct rangemap *dst, const struct rangemap *src)
{
	int err = grow_array((void **)&dst->v, &dst->cap, src->n, sizeof(*dst->v));

	if (err)
		return err;
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
	return 0;
}

void rangemap_release(struct rangemap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
