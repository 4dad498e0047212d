#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hashtab.h"
#include "output/hotfuncs.h"
#include "symbols/symbolizer.h"
#include "lib/util.h"

struct func_key {
	uint64_t addr;		/* symbol start, or the IP itself when unresolved */
	uint32_t dso_id;
	uint32_t pid;		/* only for unresolved IPs: they mean nothing elsewhere */
};

struct hotfuncs {
	struct symbolizer *syms;
	struct keyset pids;
	struct keyset funcs;
	struct summary_row *rows;
	size_t cap;
	int err;
};

int hotfuncs_new(struct hotfuncs **out)
{
	struct hotfuncs *h = calloc(1, sizeof(*h));
	int err;

	if (!h)
		return -ENOMEM;
	keyset_init(&h->pids, sizeof(uint32_t));
	keyset_init(&h->funcs, sizeof(struct func_key));
	err = symbolizer_new(&h->syms);
	if (err) {
		hotfuncs_free(h);
		return err;
	}
	*out = h;
	return 0;
}

void hotfuncs_free(struct hotfuncs *h)
{
	if (!h)
		return;
	symbolizer_free(h->syms);
	keyset_release(&h->pids);
	keyset_release(&h->funcs);
	free(h->rows);
	free(h);
}

static int learn_one(void *ctx, uint32_t pid, const char *comm, uint64_t count)
{
	struct hotfuncs *h = ctx;
	uint32_t idx;
	int added = keyset_add(&h->pids, &pid, &idx);

	if (added < 0)
		return added;
	if (added && pid)
		symbolizer_add_pid(h->syms, pid);	/* already gone: shows as [unknown] */
	return 0;
}

int hotfuncs_learn(struct hotfuncs *h, struct sampler *s)
{
	return sampler_for_each_proc(s, learn_one, h);
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static int add_ip(void *ctx, uint32_t pid, uint64_t ip, bool is_kernel, uint64_t count)
{
	struct hotfuncs *h = ctx;
	struct sym_result res;
	struct func_key k = { 0 };
	uint32_t idx;
	int added;

	if (symbolizer_resolve(h->syms, pid, ip, is_kernel, &res))
		memset(&res, 0, sizeof(res));
	k.dso_id = res.dso_id;
	k.addr = res.name ? res.sym_start : ip;
	k.pid = res.name ? 0 : pid;
	added = keyset_add(&h->funcs, &k, &idx);
	if (added < 0)
		return added;
	if (added) {
		if (grow_array((void **)&h->rows, &h->cap, (size_t)idx + 1, sizeof(*h->rows)))
			return -ENOMEM;
		memset(&h->rows[idx], 0, sizeof(h->rows[idx]));
		if (res.name)
			snprintf(h->rows[idx].name, sizeof(h->rows[idx].name), "%s", res.name);
		else
			snprintf(h->rows[idx].name, sizeof(h->rows[idx].name), "0x%llx",
				 (unsigned long long)(res.dso_id ? res.dso_addr : ip));
		snprintf(h->rows[idx].dso, sizeof(h->rows[idx].dso), "%s",
			 res.dso ? basename_of(res.dso) : "[unknown]");
	}
	h->rows[idx].count += count;
	return 0;
}

int hotfuncs_collect(struct hotfuncs *h, struct sampler *s, struct summary_row **rows, size_t *n)
{
	int err = sampler_for_each_ip(s, add_ip, h);

	if (err)
		return err;
	summary_sort(h->rows, h->funcs.n);
	*rows = h->rows;
	*n = h->funcs.n;
	return 0;
}

struct symbolizer *hotfuncs_symbolizer(struct hotfuncs *h)
{
	return h->syms;
}
