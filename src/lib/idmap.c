/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/idmap.h"

void idmap_init(struct idmap *m)
{
	memset(m, 0, sizeof(*m));
	m->min_sparse = UINT32_MAX;
}

void idmap_release(struct idmap *m)
{
	free(m->dense);
	u64map_release(&m->sparse);
	idmap_init(m);
}

int idmap_put(struct idmap *m, uint32_t id, void *val)
{
	bool added = !idmap_get(m, id);
	int err = 0;

	/* Grow the array for ids near the count, never up to a sparse one. */
	if (id >= m->n_dense && id < m->min_sparse && id < 2 * (m->n + 4096)) {
		size_t n = m->n_dense ? 2 * m->n_dense : 4096;
		void **v;

		if (n <= id)
			n = (size_t)id + 1;
		if (n > m->min_sparse)
			n = m->min_sparse;
		v = realloc(m->dense, n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + m->n_dense, 0, (n - m->n_dense) * sizeof(*v));
		m->dense = v;
		m->n_dense = n;
	}
	if (id < m->n_dense) {
		m->dense[id] = val;
	} else {
		if (id < m->min_sparse)
			m->min_sparse = id;
		err = u64map_put(&m->sparse, id, val);
	}
	if (!err && added)
		m->n++;
	return err;
}
