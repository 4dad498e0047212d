/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data file reader.  Input is untrusted: every length is checked against
 * the bytes actually present before it is used, and allocations are
 * bounded by the per-block limits, so memory use does not depend on the
 * file size.  One block is held at a time, which is what lets a pipe be
 * read as it arrives.
 */
#define ZLIB_CONST
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "data/datafile.h"
#include "data/datafile-format.h"
#include "data/datafile-cols.h"

struct rd {
	const struct df_ops *ops;
	void *ctx;
	struct df_read_status *st;

	int fd;			/* -1 when reading from memory */
	const uint8_t *mem;
	size_t mem_size;
	uint64_t off;		/* file offset of the next unread byte */

	uint8_t *in;		/* fd only: raw bytes of the current unit */
	size_t in_cap;
	uint8_t *out;		/* inflated payload of the current block */
	size_t out_cap;
	z_stream zs;
	int zs_ready;

	uint64_t block_off;
	size_t rec_off;
	uint8_t rec_type;
	int end_seen;		/* in the current block */
	uint64_t prev_time;
	uint32_t prev_cpu;
	struct df_cpu_slot slot[DF_CPU_SLOTS];
	int v2;			/* a 2.0 file: STACK with bases, SAMPLES */
	struct df_stackset stacks;
	struct df_colstate cols;

	char key[DF_MAX_STRING + 1];
	char val[DF_MAX_STRING + 1];
	uint64_t ips[DF_MAX_FRAMES];
	struct df_src_frame src[DF_MAX_INLINE];
	struct df_symbol *syms;
	size_t syms_cap;
	struct df_code_line *code_lines;
	size_t code_lines_cap;
	char *names;
	size_t names_cap;
};

__attribute__((format(printf, 4, 5)))
static int bad(struct rd *r, uint64_t off, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->st->error, sizeof(r->st->error), fmt, ap);
	va_end(ap);
	r->st->error_offset = off;
	return err;
}

static int grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	void *n;

	if (need <= *cap)
		return 0;
	/* Exact sizes: need is already bounded by the block limits. */
	n = realloc(*buf, need * elem);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*cap = need;
	return 0;
}

/*
 * Makes up to n bytes available at *p and returns how many; fewer than n
 * only at end of file.  From memory this never copies.
 */
static ssize_t src_get(struct rd *r, size_t n, const uint8_t **p)
{
	size_t got = 0;
	int rc;

	if (r->fd < 0) {
		size_t left = r->mem_size - (size_t)r->off;

		got = n < left ? n : left;
		*p = got ? r->mem + r->off : NULL;
		r->off += got;
		return (ssize_t)got;
	}
	rc = grow((void **)&r->in, &r->in_cap, n ? n : 1, 1);
	if (rc)
		return bad(r, r->off, rc, "out of memory");
	while (got < n) {
		ssize_t k = read(r->fd, r->in + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = -errno;
			return bad(r, r->off + got, rc, "read error at offset %llu",
				   (unsigned long long)(r->off + got));
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	*p = r->in;
	r->off += got;
	return (ssize_t)got;
}

/* ---- records ----------------------------------------------------------- */

static const char *const cur_msg[] = {
	[DF_E_TRUNC] = "truncated record",
	[DF_E_VARINT] = "bad varint",
	[DF_E_RANGE] = "value out of range",
	[DF_E_STRLEN] = "string too long",
	[DF_E_NUL] = "string contains nul byte",
	[DF_E_BUILDID] = "build-id too long",
	[DF_E_FRAMES] = "too many frames",
	[DF_E_SYMBOLS] = "too many symbols",
	[DF_E_INLINE] = "inline chain empty or too long",
	[DF_E_CODE] = "code empty or too long, or its lines out of order",
	[DF_E_BASE] = "base stack not defined before",
	[DF_E_COLUMN] = "column length does not match sample count",
};

static const char *const rec_name[] = {
	[DF_REC_META] = "meta", [DF_REC_TASK] = "task", [DF_REC_DSO] = "dso",
	[DF_REC_MMAP] = "mmap", [DF_REC_STACK] = "stack",
	[DF_REC_SAMPLE] = "sample", [DF_REC_SYMBOLS] = "symbols",
	[DF_REC_LOST] = "lost", [DF_REC_END] = "end",
	[DF_REC_EVENT] = "event", [DF_REC_EVENT_SAMPLE] = "event sample",
	[DF_REC_SRCSTR] = "source string", [DF_REC_SRCLINE] = "source line",
	[DF_REC_CODE] = "code",
	[DF_REC_SAMPLES] = "samples",
};

/* dst must hold max + 1 bytes; it is always NUL-terminated. */
static void get_str(struct df_cur *c, char *dst, size_t max)
{
	size_t n;
	const uint8_t *s = df_cur_bytes(c, max, DF_E_STRLEN, &n);

	dst[0] = '\0';
	if (!s)
		return;
	if (memchr(s, 0, n)) {
		df_cur_fail(c, DF_E_NUL);
		return;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int rec_error(struct rd *r, int code)
{
	const char *name = "unknown";

	if (code == DF_E_NOMEM)
		return bad(r, r->block_off, -ENOMEM, "out of memory");
	if (r->rec_type < sizeof(rec_name) / sizeof(rec_name[0]) &&
	    rec_name[r->rec_type])
		name = rec_name[r->rec_type];
	return bad(r, r->block_off, -EBADMSG, "%s (%s record at byte %zu of block)",
		   cur_msg[code], name, r->rec_off);
}

/* Turns a callback's result into the walk's: only < 0 stops it. */
static int cb(struct rd *r, int rc)
{
	if (rc >= 0)
		return 0;
	r->st->error[0] = '\0';
	r->st->error_offset = r->block_off;
	return rc;
}

static int rec_meta(struct rd *r, struct df_cur *c)
{
	get_str(c, r->key, DF_MAX_STRING);
	get_str(c, r->val, DF_MAX_STRING);
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->meta ? cb(r, r->ops->meta(r->ctx, r->key, r->val)) : 0;
}

static int rec_task(struct rd *r, struct df_cur *c)
{
	struct df_task t;

	t.kind = df_cur_u32(c);
	t.time_ns = df_cur_u64(c);
	t.pid = df_cur_u32(c);
	t.tid = df_cur_u32(c);
	t.ppid = df_cur_u32(c);
	get_str(c, t.comm, DF_MAX_COMM);
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->task ? cb(r, r->ops->task(r->ctx, &t)) : 0;
}

static int rec_dso(struct rd *r, struct df_cur *c)
{
	struct df_dso d;
	size_t n;

	d.dso_id = df_cur_u32(c);
	d.flags = df_cur_u32(c);
	get_str(c, r->val, DF_MAX_STRING);
	d.path = r->val;
	d.build_id = df_cur_bytes(c, DF_MAX_BUILD_ID, DF_E_BUILDID, &n);
	d.build_id_len = (uint32_t)n;
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->dso ? cb(r, r->ops->dso(r->ctx, &d)) : 0;
}

static int rec_mmap(struct rd *r, struct df_cur *c)
{
	struct df_mmap m;

	m.time_ns = df_cur_u64(c);
	m.pid = df_cur_u32(c);
	m.start = df_cur_u64(c);
	m.len = df_cur_u64(c);
	m.pgoff = df_cur_u64(c);
	m.dso_id = df_cur_u32(c);
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->mmap ? cb(r, r->ops->mmap(r->ctx, &m)) : 0;
}

static int rec_stack2(struct rd *r, struct df_cur *c)
{
	uint16_t nk, nu;
	uint32_t id;
	int code = df_stack2_decode(&r->stacks, c, &id, r->ips, &nk, &nu);

	if (code)
		return rec_error(r, code);
	if (!r->ops->stack)
		return 0;
	return cb(r, r->ops->stack(r->ctx, id, r->ips, nk, nu));
}

static int col_sample(void *arg, const struct df_sample *s)
{
	struct rd *r = arg;

	return r->ops->sample ? cb(r, r->ops->sample(r->ctx, s)) : 0;
}

/* Version 2.0: the SAMPLE state of the block is neither used nor changed. */
static int rec_samples(struct rd *r, struct df_cur *c)
{
	int rc;

	if (!r->v2) {
		r->st->unknown_records++;
		return 0;
	}
	rc = df_cols_decode(&r->cols, c, col_sample, r);
	return rc > 0 ? rec_error(r, rc) : rc;
}

static int rec_stack(struct rd *r, struct df_cur *c)
{
	uint32_t id;
	uint64_t nk, nu, prev = 0;
	size_t i;

	if (r->v2)
		return rec_stack2(r, c);
	id = df_cur_u32(c);
	nk = df_cur_u64(c);
	nu = df_cur_u64(c);

	if (!c->err && (nk > DF_MAX_FRAMES || nu > DF_MAX_FRAMES - nk))
		df_cur_fail(c, DF_E_FRAMES);
	for (i = 0; !c->err && i < nk + nu; i++) {
		prev += (uint64_t)df_unzigzag(df_cur_u64(c));
		r->ips[i] = prev;
	}
	if (c->err)
		return rec_error(r, c->err);
	if (!r->ops->stack)
		return 0;
	return cb(r, r->ops->stack(r->ctx, id, r->ips, (uint16_t)nk,
				   (uint16_t)nu));
}

static int rec_sample(struct rd *r, struct df_cur *c)
{
	uint64_t flags = df_cur_u64(c);
	struct df_cpu_slot *slot;
	struct df_sample s;
	int64_t d;

	/* Bits this reader does not know describe fields after ours. */
	s.time_ns = r->prev_time + (uint64_t)df_unzigzag(df_cur_u64(c));
	s.cpu = flags & DF_SF_CPU ? df_cur_u32(c) : r->prev_cpu;
	slot = &r->slot[s.cpu % DF_CPU_SLOTS];
	s.pid = flags & DF_SF_PID ? df_cur_u32(c) : slot->pid;
	s.tid = slot->tid;
	if (flags & DF_SF_TID) {
		d = df_unzigzag(df_cur_u64(c));
		if (d < -(int64_t)s.pid || d > (int64_t)(UINT32_MAX - s.pid))
			df_cur_fail(c, DF_E_RANGE);
		else
			s.tid = (uint32_t)(s.pid + d);
	}
	s.stack_id = flags & DF_SF_STACK ? df_cur_u32(c) : DF_STACK_NONE;
	s.weight = flags & DF_SF_WEIGHT ? df_cur_u64(c) : 1;
	s.has_retval = (flags & DF_SF_RETVAL) != 0;
	s.retval = s.has_retval ? df_unzigzag(df_cur_u64(c)) : 0;
	s.interval_ns = flags & DF_SF_INTERVAL ? df_cur_u64(c) : 0;
	if (!c->err && (flags & DF_SF_INTERVAL) &&
	    (!s.interval_ns || s.time_ns + s.interval_ns < s.time_ns))
		df_cur_fail(c, DF_E_RANGE);
	s.event = 0;
	if (c->err)
		return rec_error(r, c->err);
	r->prev_time = s.time_ns;
	r->prev_cpu = s.cpu;
	slot->pid = s.pid;
	slot->tid = s.tid;
	return r->ops->sample ? cb(r, r->ops->sample(r->ctx, &s)) : 0;
}

/* Sizes the arrays from the bytes present, never from count alone. */
static int symbols_alloc(struct rd *r, struct df_cur *c, uint64_t count)
{
	/* An entry takes at least 3 bytes: start, size and name length. */
	if (count > DF_MAX_SYMBOLS)
		return DF_E_SYMBOLS;
	if (count > c->left / 3)
		return DF_E_TRUNC;
	if (grow((void **)&r->syms, &r->syms_cap, count ? count : 1,
		 sizeof(*r->syms)) ||
	    grow((void **)&r->names, &r->names_cap, c->left + count + 1, 1))
		return DF_E_NOMEM;
	return 0;
}

static int rec_symbols(struct rd *r, struct df_cur *c)
{
	uint32_t dso_id = df_cur_u32(c);
	uint64_t count = df_cur_u64(c), prev = 0;
	char *name;
	size_t i, n;
	const uint8_t *s;

	if (!c->err)
		df_cur_fail(c, symbols_alloc(r, c, count));
	for (i = 0, name = r->names; !c->err && i < count; i++) {
		prev += (uint64_t)df_unzigzag(df_cur_u64(c));
		r->syms[i].start = prev;
		r->syms[i].size = df_cur_u64(c);
		s = df_cur_bytes(c, DF_MAX_STRING, DF_E_STRLEN, &n);
		if (s && memchr(s, 0, n))
			df_cur_fail(c, DF_E_NUL);
		if (c->err)
			break;
		memcpy(name, s, n);
		name[n] = '\0';
		r->syms[i].name = name;
		name += n + 1;
	}
	if (c->err)
		return rec_error(r, c->err);
	if (!r->ops->symbols)
		return 0;
	return cb(r, r->ops->symbols(r->ctx, dso_id, r->syms, (size_t)count));
}

static int rec_lost(struct rd *r, struct df_cur *c)
{
	uint32_t kind = df_cur_u32(c);
	uint64_t count = df_cur_u64(c);

	if (c->err)
		return rec_error(r, c->err);
	return r->ops->lost ? cb(r, r->ops->lost(r->ctx, kind, count)) : 0;
}

static int rec_end(struct rd *r, struct df_cur *c)
{
	struct df_end e;

	e.samples = df_cur_u64(c);
	e.lost = df_cur_u64(c);
	e.duration_ns = df_cur_u64(c);
	e.flags = df_cur_u32(c);
	if (c->err)
		return rec_error(r, c->err);
	r->end_seen = 1;
	return r->ops->end ? cb(r, r->ops->end(r->ctx, &e)) : 0;
}

static int rec_event(struct rd *r, struct df_cur *c)
{
	struct df_event e;

	e.id = df_cur_u32(c);
	e.kind = df_cur_u32(c);
	get_str(c, r->val, DF_MAX_STRING);
	e.name = r->val;
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->event ? cb(r, r->ops->event(r->ctx, &e)) : 0;
}

/* Absolute fields: the SAMPLE delta state is neither used nor changed. */
static int rec_event_sample(struct rd *r, struct df_cur *c)
{
	struct df_sample s;

	s.event = df_cur_u32(c);
	s.time_ns = df_cur_u64(c);
	s.cpu = df_cur_u32(c);
	s.pid = df_cur_u32(c);
	s.tid = df_cur_u32(c);
	s.stack_id = df_cur_u32(c);
	s.weight = df_cur_u64(c);
	s.has_retval = !c->err && c->left > 0;
	s.retval = s.has_retval ? df_unzigzag(df_cur_u64(c)) : 0;
	s.interval_ns = 0;
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->sample ? cb(r, r->ops->sample(r->ctx, &s)) : 0;
}

static int rec_srcstr(struct rd *r, struct df_cur *c)
{
	uint32_t id = df_cur_u32(c);

	get_str(c, r->val, DF_MAX_STRING);
	if (!c->err && !id)
		df_cur_fail(c, DF_E_RANGE);
	if (c->err)
		return rec_error(r, c->err);
	return r->ops->srcstr ? cb(r, r->ops->srcstr(r->ctx, id, r->val)) : 0;
}

static int rec_srcline(struct rd *r, struct df_cur *c)
{
	uint32_t dso_id = df_cur_u32(c);
	uint64_t addr = df_cur_u64(c), n = df_cur_u64(c);

	if (!c->err && (!n || n > DF_MAX_INLINE))
		df_cur_fail(c, DF_E_INLINE);
	for (size_t i = 0; !c->err && i < n; i++) {
		r->src[i].func = df_cur_u32(c);
		r->src[i].file = df_cur_u32(c);
		r->src[i].line = df_cur_u32(c);
		r->src[i].decl_line = df_cur_u32(c);
	}
	if (c->err)
		return rec_error(r, c->err);
	if (!r->ops->srcline)
		return 0;
	return cb(r, r->ops->srcline(r->ctx, dso_id, addr, r->src, (size_t)n));
}

static int rec_code(struct rd *r, struct df_cur *c)
{
	struct df_code k = { 0 };
	uint64_t n, off = 0;
	size_t len;

	k.dso_id = df_cur_u32(c);
	k.start = df_cur_u64(c);
	k.bytes = df_cur_bytes(c, DF_MAX_CODE, DF_E_CODE, &len);
	k.len = (uint32_t)len;
	n = df_cur_u64(c);
	if (!c->err && (!len || n > len))
		df_cur_fail(c, DF_E_CODE);
	/* A row takes at least 3 bytes: the array is sized by what is there. */
	if (!c->err && n > c->left / 3)
		df_cur_fail(c, DF_E_TRUNC);
	if (!c->err && grow((void **)&r->code_lines, &r->code_lines_cap, n ? n : 1,
			    sizeof(*r->code_lines)))
		df_cur_fail(c, DF_E_NOMEM);
	for (size_t i = 0; !c->err && i < n; i++) {
		uint64_t d = df_cur_u64(c);

		if (!c->err && ((i && !d) || d >= len - off))
			df_cur_fail(c, DF_E_CODE);
		off += d;
		r->code_lines[i].offset = (uint32_t)off;
		r->code_lines[i].file = df_cur_u32(c);
		r->code_lines[i].line = df_cur_u32(c);
	}
	if (c->err)
		return rec_error(r, c->err);
	k.lines = r->code_lines;
	k.n_lines = (size_t)n;
	return r->ops->code ? cb(r, r->ops->code(r->ctx, &k)) : 0;
}

typedef int (*rec_fn)(struct rd *r, struct df_cur *c);

static const rec_fn rec_fns[] = {
	[DF_REC_META] = rec_meta, [DF_REC_TASK] = rec_task,
	[DF_REC_DSO] = rec_dso, [DF_REC_MMAP] = rec_mmap,
	[DF_REC_STACK] = rec_stack, [DF_REC_SAMPLE] = rec_sample,
	[DF_REC_SYMBOLS] = rec_symbols, [DF_REC_LOST] = rec_lost,
	[DF_REC_END] = rec_end, [DF_REC_EVENT] = rec_event,
	[DF_REC_EVENT_SAMPLE] = rec_event_sample,
	[DF_REC_SRCSTR] = rec_srcstr, [DF_REC_SRCLINE] = rec_srcline,
	[DF_REC_CODE] = rec_code,
	[DF_REC_SAMPLES] = rec_samples,
};

static int parse_records(struct rd *r, const uint8_t *b, size_t len)
{
	size_t pos = 0;
	uint64_t plen;
	int n, rc;

	r->end_seen = 0;
	r->prev_time = 0;
	r->prev_cpu = 0;
	memset(r->slot, 0, sizeof(r->slot));
	memset(&r->cols, 0, sizeof(r->cols));
	df_stackset_block(&r->stacks);
	while (pos < len) {
		struct df_cur c = { 0 };

		r->rec_off = pos;
		r->rec_type = b[pos++];
		n = df_get_varint(b + pos, len - pos, &plen);
		if (n <= 0)
			return rec_error(r, n ? DF_E_VARINT : DF_E_TRUNC);
		pos += (size_t)n;
		if (plen > len - pos)
			return rec_error(r, DF_E_TRUNC);
		c.p = b + pos;
		c.left = (size_t)plen;
		pos += (size_t)plen;
		/* Every record carries its length, so new types can be skipped. */
		if (r->rec_type >= sizeof(rec_fns) / sizeof(rec_fns[0]) ||
		    !rec_fns[r->rec_type]) {
			r->st->unknown_records++;
			continue;
		}
		rc = rec_fns[r->rec_type](r, &c);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- blocks ------------------------------------------------------------ */

/*
 * A cut before any complete block is an error; later it only marks the
 * file incomplete and ends the walk (returns 0).
 */
static int truncated(struct rd *r, const char *why)
{
	if (!r->st->blocks)
		return bad(r, r->block_off, -EBADMSG, "file is truncated");
	r->st->incomplete = 1;
	return bad(r, r->block_off, 0, "%s", why);
}

static int check_block_header(struct rd *r, const uint8_t *h)
{
	uint32_t clen = df_get_le32(h + DF_OFF_CLEN);
	uint32_t ulen = df_get_le32(h + DF_OFF_ULEN);
	uint64_t off = r->block_off;

	if (memcmp(h, DF_BLOCK_MAGIC, DF_BLOCK_MAGIC_LEN))
		return bad(r, off, -EBADMSG, "bad block magic");
	if (h[DF_OFF_KIND] != DF_BLOCK_ZLIB)
		return bad(r, off, -EBADMSG, "unknown block kind %u",
			   h[DF_OFF_KIND]);
	if (h[DF_OFF_BLOCK_RSVD] | h[DF_OFF_BLOCK_RSVD + 1] |
	    h[DF_OFF_BLOCK_RSVD + 2])
		return bad(r, off, -EBADMSG,
			   "bad block header (reserved bytes not zero)");
	if (clen > DF_MAX_BLOCK || ulen > DF_MAX_BLOCK)
		return bad(r, off, -EBADMSG, "block length %u exceeds limit",
			   clen > DF_MAX_BLOCK ? clen : ulen);
	if (!clen)
		return bad(r, off, -EBADMSG, "empty block");
	if (!df_ratio_ok(clen, ulen))
		return bad(r, off, -EBADMSG,
			   "block uncompressed length %u implausible for compressed length %u",
			   ulen, clen);
	return 0;
}

static int inflate_block(struct rd *r, const uint8_t *in, uint32_t clen,
			 uint32_t ulen)
{
	int zrc;

	if (grow((void **)&r->out, &r->out_cap, ulen ? ulen : 1, 1))
		return bad(r, r->block_off, -ENOMEM, "out of memory");
	zrc = r->zs_ready ? inflateReset(&r->zs) : inflateInit(&r->zs);
	if (zrc != Z_OK)
		return bad(r, r->block_off, -ENOMEM, "out of memory");
	r->zs_ready = 1;
	r->zs.next_in = in;
	r->zs.avail_in = clen;
	r->zs.next_out = r->out;
	r->zs.avail_out = ulen;
	zrc = inflate(&r->zs, Z_FINISH);
	if (zrc == Z_MEM_ERROR)
		return bad(r, r->block_off, -ENOMEM, "out of memory");
	if (zrc != Z_STREAM_END)
		return bad(r, r->block_off, -EBADMSG, "decompression failed");
	if (r->zs.avail_out || r->zs.avail_in)
		return bad(r, r->block_off, -EBADMSG,
			   "block length does not match its contents");
	return 0;
}

/* Returns 1 after a block, 0 at the end of the file, or < 0. */
static int read_block(struct rd *r)
{
	uint8_t h[DF_BLOCK_HDR_LEN];
	uint32_t clen, ulen;
	const uint8_t *p;
	ssize_t got;
	int rc;

	r->block_off = r->off;
	got = src_get(r, DF_BLOCK_HDR_LEN, &p);
	if (got < 0)
		return (int)got;
	if (got == 0) {
		if (!r->st->blocks)
			return bad(r, r->block_off, -EBADMSG, "file is truncated");
		if (!r->end_seen) {
			r->st->incomplete = 1;
			bad(r, r->block_off, 0, "end record missing");
		}
		return 0;
	}
	if (got < DF_BLOCK_HDR_LEN) {
		if (memcmp(p, DF_BLOCK_MAGIC, got < 4 ? (size_t)got : 4))
			return bad(r, r->block_off, -EBADMSG, "bad block magic");
		return truncated(r, "file ends inside a block");
	}
	memcpy(h, p, sizeof(h));
	rc = check_block_header(r, h);
	if (rc)
		return rc;
	clen = df_get_le32(h + DF_OFF_CLEN);
	ulen = df_get_le32(h + DF_OFF_ULEN);
	got = src_get(r, clen, &p);
	if (got < 0)
		return (int)got;
	if ((size_t)got < clen)
		return truncated(r, "file ends inside a block");
	rc = inflate_block(r, p, clen, ulen);
	if (rc)
		return rc;
	if (crc32(0, r->out, ulen) != df_get_le32(h + DF_OFF_CRC))
		return bad(r, r->block_off, -EBADMSG, "crc mismatch");
	rc = parse_records(r, r->out, ulen);
	if (rc)
		return rc;
	r->st->blocks++;
	return 1;
}

static int read_header(struct rd *r)
{
	struct df_read_status *st = r->st;
	const uint8_t *p;
	ssize_t got = src_get(r, DF_FILE_HDR_LEN, &p);
	size_t cmp;

	if (got < 0)
		return (int)got;
	if (got == 0)
		return bad(r, 0, -ENODATA, "file is empty");
	/* A short text file should say "not ours", not "truncated". */
	cmp = got < DF_FILE_MAGIC_LEN ? (size_t)got : DF_FILE_MAGIC_LEN;
	if (memcmp(p, DF_FILE_MAGIC, cmp))
		return bad(r, 0, -EBADMSG,
			   "bad file magic (not an ebpf-tool data file)");
	if (got < DF_FILE_HDR_LEN)
		return bad(r, 0, -EBADMSG, "file is truncated");
	st->version_major = df_get_le16(p + DF_OFF_VMAJOR);
	st->version_minor = df_get_le16(p + DF_OFF_VMINOR);
	if (st->version_major != DF_VERSION_MAJOR &&
	    st->version_major != DF_VERSION2_MAJOR)
		return bad(r, 0, -EPROTONOSUPPORT,
			   "unsupported file version %u.%u (this ebpf-tool reads %u.x and %u.x)",
			   st->version_major, st->version_minor,
			   DF_VERSION_MAJOR, DF_VERSION2_MAJOR);
	r->v2 = st->version_major == DF_VERSION2_MAJOR;
	if (p[DF_OFF_BYTE_ORDER] != DF_BYTE_ORDER_LE)
		return bad(r, 0, -EBADMSG, "unsupported byte order %u",
			   p[DF_OFF_BYTE_ORDER]);
	if (p[DF_OFF_FILE_RSVD] | p[DF_OFF_FILE_RSVD + 1] |
	    p[DF_OFF_FILE_RSVD + 2])
		return bad(r, 0, -EBADMSG,
			   "bad file header (reserved bytes not zero)");
	return 0;
}

static int walk(struct rd *r)
{
	int rc = read_header(r);

	while (rc == 0 && (rc = read_block(r)) == 1)
		rc = 0;
	if (r->zs_ready)
		inflateEnd(&r->zs);
	free(r->in);
	free(r->out);
	free(r->syms);
	free(r->code_lines);
	free(r->names);
	df_stackset_release(&r->stacks);
	free(r);
	return rc;
}

static struct rd *rd_new(const struct df_ops *ops, void *ctx,
			 struct df_read_status *st)
{
	static const struct df_ops no_ops;
	struct rd *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	memset(st, 0, sizeof(*st));
	r->ops = ops ? ops : &no_ops;
	r->ctx = ctx;
	r->st = st;
	r->fd = -1;
	return r;
}

int df_read_fd(int fd, const struct df_ops *ops, void *ctx,
	       struct df_read_status *st)
{
	struct df_read_status dummy;
	struct rd *r;

	if (fd < 0)
		return -EINVAL;
	r = rd_new(ops, ctx, st ? st : &dummy);
	if (!r)
		return -ENOMEM;
	r->fd = fd;
	return walk(r);
}

int df_read_mem(const void *buf, size_t size, const struct df_ops *ops,
		void *ctx, struct df_read_status *st)
{
	struct df_read_status dummy;
	struct rd *r;

	if (!buf && size)
		return -EINVAL;
	r = rd_new(ops, ctx, st ? st : &dummy);
	if (!r)
		return -ENOMEM;
	r->mem = buf;
	r->mem_size = size;
	return walk(r);
}
