/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Functions' code of a data file (CODE records, version 1.5), by DSO and
 * start, with their line tables' rows, for annotate.  A file can make
 * the session hold at most SESS_MAX_CODE_BYTES of them.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "data/session-int.h"

static int code_reject(struct session *s, int err, const char *msg)
{
	snprintf(s->st->error, sizeof(s->st->error), "%s", msg);
	return err;
}

int session_on_code(void *ctx, const struct df_code *c)
{
	struct session *s = ctx;
	struct sess_dso *dso = u64map_get(&s->dsos, c->dso_id);
	struct sess_code_line *rows;
	struct sess_code *k;
	uint8_t *bytes;
	size_t need;

	if (!dso)
		return code_reject(s, -EBADMSG, "code of a dso that was never defined");
	/* A function a later file of a rotation carries again keeps its first. */
	if (u64map_get(&dso->code, c->start))
		return 0;
	need = c->len + c->n_lines * sizeof(*rows) + sizeof(*k);
	if (s->code_bytes + need > SESS_MAX_CODE_BYTES)
		return code_reject(s, -E2BIG, "too much code (more than 256 MiB)");
	k = arena_alloc(&s->src_mem, sizeof(*k), 8);
	rows = arena_alloc(&s->src_mem, (c->n_lines ? c->n_lines : 1) * sizeof(*rows), 8);
	bytes = arena_alloc(&s->src_mem, c->len, 1);
	if (!k || !rows || !bytes)
		return code_reject(s, -ENOMEM, "out of memory");
	memcpy(bytes, c->bytes, c->len);
	for (size_t i = 0; i < c->n_lines; i++) {
		rows[i].offset = c->lines[i].offset;
		rows[i].line = c->lines[i].line;
		rows[i].file = NULL;
		if (c->lines[i].file && !(rows[i].file = u64map_get(&s->srcstrs, c->lines[i].file)))
			return code_reject(s, -EBADMSG, "code lines name a string that was "
					   "never defined");
	}
	*k = (struct sess_code){ c->start, c->len, (uint32_t)c->n_lines, bytes, rows };
	if (u64map_put(&dso->code, c->start, k))
		return code_reject(s, -ENOMEM, "out of memory");
	s->code_bytes += need;
	return 0;
}

const struct sess_code *session_code(const struct sess_dso *dso, uint64_t start)
{
	return dso && dso->code.n ? u64map_get(&dso->code, start) : NULL;
}

const struct sess_code_line *session_code_line(const struct sess_code *c, uint64_t off)
{
	size_t lo = 0, hi;

	if (!c || off >= c->len || !c->n_lines)
		return NULL;
	/* The first row above off; the one before it covers off. */
	for (hi = c->n_lines; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->lines[mid].offset <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &c->lines[lo - 1] : NULL;
}
