/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sample filters; see filter.h. */
#include "config.h"

#include <string.h>

#include "data/filter.h"

static bool has_id(const uint32_t *v, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

static bool has_name(const struct filter_names *l, const char *a, const char *b)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], a) || (b && !strcmp(l->v[i], b)))
			return true;
	return false;
}

bool filter_sample_wanted(const struct filter *f, const char *comm,
			  const struct df_sample *smp)
{
	if (f->comms.n && !has_name(&f->comms, comm, NULL))
		return false;
	if (f->n_pids && !has_id(f->pids, f->n_pids, smp->pid))
		return false;
	if (f->n_tids && !has_id(f->tids, f->n_tids, smp->tid))
		return false;
	return !f->cpus || cpuset_has(f->cpus, (int)smp->cpu);
}

bool filter_frame_wanted(const struct filter *f, const struct sess_frame *fr)
{
	if (f->dsos.n && !has_name(&f->dsos, fr->dso->name, fr->dso->path))
		return false;
	return !f->syms.n || has_name(&f->syms, fr->label, NULL);
}

bool filter_any(const struct filter *f)
{
	return f->comms.n || f->n_pids || f->n_tids || f->cpus || f->dsos.n || f->syms.n;
}
