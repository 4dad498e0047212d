/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines of a data file (SRCSTR and SRCLINE records, version 1.3):
 * strings by this file's ids, chains by DSO and address.  A file can make
 * the session hold at most SESS_MAX_SRCLINES chains of DF_MAX_INLINE
 * frames; their strings count against the session's names.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "data/session-int.h"

__attribute__((format(printf, 3, 4)))
static int lines_reject(struct session *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->st->error, sizeof(s->st->error), fmt, ap);
	va_end(ap);
	return err;
}

static int lines_nomem(struct session *s)
{
	if (s->pool.bytes > SESS_MAX_STRING_BYTES)
		return lines_reject(s, -E2BIG, "too many names (more than %u MiB)",
				    SESS_MAX_STRING_BYTES >> 20);
	return lines_reject(s, -ENOMEM, "out of memory");
}

int session_on_srcstr(void *ctx, uint32_t id, const char *str)
{
	struct session *s = ctx;
	const char *p = s->pool.bytes > SESS_MAX_STRING_BYTES ? NULL :
			strpool_intern(&s->pool, str);

	if (!p || u64map_put(&s->srcstrs, id, (void *)p))
		return lines_nomem(s);
	return 0;
}

/* String id 0 is "unknown"; any other must have been defined before. */
static int src_str(struct session *s, uint32_t id, const char **out)
{
	*out = NULL;
	if (!id)
		return 0;
	if (!(*out = u64map_get(&s->srcstrs, id)))
		return lines_reject(s, -EBADMSG, "source line names string %" PRIu32
				    ", which was never defined", id);
	return 0;
}

int session_on_srcline(void *ctx, uint32_t dso_id, uint64_t addr,
		       const struct df_src_frame *f, size_t n)
{
	struct session *s = ctx;
	struct sess_dso *dso = u64map_get(&s->dsos, dso_id);
	struct sess_srcline *sl;
	int err = 0;

	if (!dso)
		return lines_reject(s, -EBADMSG, "source lines for dso %" PRIu32
				    ", which was never defined", dso_id);
	/* An address a file describes again (a later file of a rotation) keeps its first. */
	if (u64map_get(&dso->lines, addr))
		return 0;
	if (s->n_srclines >= SESS_MAX_SRCLINES)
		return lines_reject(s, -E2BIG, "too many source lines (more than %u addresses)",
				    SESS_MAX_SRCLINES);
	sl = arena_alloc(&s->src_mem, sizeof(*sl) + n * sizeof(sl->f[0]), 8);
	if (!sl)
		return lines_nomem(s);
	sl->n = (uint32_t)n;
	for (size_t i = 0; !err && i < n; i++) {
		sl->f[i].line = f[i].line;
		sl->f[i].decl_line = f[i].decl_line;
		err = src_str(s, f[i].func, &sl->f[i].func) ?:
		      src_str(s, f[i].file, &sl->f[i].file);
	}
	if (err)
		return err;
	if (u64map_put(&dso->lines, addr, sl))
		return lines_nomem(s);
	s->n_srclines++;
	return 0;
}

void session_lines_new_file(struct session *s)
{
	u64map_release(&s->srcstrs);
}

void session_lines_release(struct session *s)
{
	u64map_release(&s->srcstrs);
	arena_release(&s->src_mem);
}

const struct sess_srcline *session_srcline(const struct sess_frame *f, bool caller)
{
	if (!f || f->kernel || !f->mapped || !f->dso || !f->dso->lines.n)
		return NULL;
	return u64map_get(&f->dso->lines, f->addr - (caller ? 1 : 0));
}

/* "name (inlined)", as perf labels an inlined function's frame. */
static const char *inlined_label(struct session *s, const char *name)
{
	char buf[DF_MAX_STRING + 16];

	snprintf(buf, sizeof(buf), "%s (inlined)", name);
	if (s->pool.bytes > SESS_MAX_STRING_BYTES)
		return NULL;
	return strpool_intern(&s->pool, buf);
}

int session_expand(struct session *s, const struct sess_frame *f, bool caller,
		   bool no_inline, struct sess_frame *out, size_t max)
{
	const struct sess_srcline *sl = session_srcline(f, caller);
	size_t k = 0;

	if (!max)
		return 0;
	for (uint32_t j = 0; sl && !no_inline && j + 1 < sl->n && k + 1 < max; j++) {
		const char *name = sl->f[j].func ? sl->f[j].func : s->unknown;

		out[k] = *f;
		out[k].sym = name;
		if (!(out[k].label = out[k].chain = inlined_label(s, name)))
			return -ENOMEM;
		out[k].inlined = true;
		out[k].src = &sl->f[j];
		out[k].lines = sl;
		k++;
	}
	out[k] = *f;
	out[k].lines = sl;
	out[k].src = sl ? &sl->f[no_inline ? 0 : sl->n - 1] : NULL;
	return (int)k + 1;
}
