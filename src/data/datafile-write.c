/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data file writer: records are encoded into an in-memory block which is
 * deflated and written as one unit, so a reader never sees half a block
 * unless the process dies inside write().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "data/datafile.h"
#include "data/datafile-format.h"
#include "data/datafile-cols.h"
#include "lib/util.h"

/* type + length varint + the largest SAMPLE payload */
#define SAMPLE_MAX_REC	(1 + DF_VARINT_MAX + 1 + 7 * DF_VARINT_MAX + 2 * 5)

struct df_writer {
	int fd;
	int err;		/* sticky: first failure */
	int finished;
	uint16_t major, minor;	/* written in the header */
	uint64_t bytes;

	uint8_t *blk;		/* uncompressed records of the open block */
	size_t blk_len, blk_cap;
	uint8_t *zbuf;		/* block header + deflate output */
	size_t zcap;
	uint8_t *rec;		/* scratch for one record payload */
	size_t rec_cap;
	z_stream zs;

	/* Delta state for SAMPLE; reset per block so blocks stand alone. */
	uint64_t prev_time;
	uint32_t prev_cpu;
	struct df_cpu_slot slot[DF_CPU_SLOTS];

	/* 2.0: samples waiting for their SAMPLES record, and the base stacks. */
	struct df_colenc cols;
	struct df_stackset stacks;
	uint8_t *cbuf;		/* a SAMPLES payload: rec may hold the next record */
	size_t cbuf_cap;
};

/* A 2.0 file holds everything that any 1.x minor version adds. */
static int has_minor(const struct df_writer *w, uint16_t minor)
{
	return w->major > DF_VERSION_MAJOR || w->minor >= minor;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	return grow_array((void **)buf, cap, need, 1);
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Common entry check: a failed or finished writer accepts nothing. */
static int usable(const struct df_writer *w)
{
	if (!w)
		return -EINVAL;
	if (w->err)
		return w->err;
	return w->finished ? -EINVAL : 0;
}

static int fail(struct df_writer *w, int err)
{
	if (err != -EINVAL && err != -ENAMETOOLONG && err != -E2BIG)
		w->err = err;
	return err;
}

static int compress_block(struct df_writer *w, size_t *clen)
{
	size_t bound = deflateBound(&w->zs, (uLong)w->blk_len);
	int rc = grow(&w->zbuf, &w->zcap, DF_BLOCK_HDR_LEN + bound);

	if (rc)
		return rc;
	if (deflateReset(&w->zs) != Z_OK)
		return -EIO;
	w->zs.next_in = w->blk;
	w->zs.avail_in = (uInt)w->blk_len;
	w->zs.next_out = w->zbuf + DF_BLOCK_HDR_LEN;
	w->zs.avail_out = (uInt)bound;
	if (deflate(&w->zs, Z_FINISH) != Z_STREAM_END)
		return -EIO;
	*clen = w->zs.total_out;
	return 0;
}

static int append(struct df_writer *w, uint8_t type, const uint8_t *payload,
		  size_t len);

/*
 * The pending samples become one SAMPLES record, in their place among the
 * records: before any record but a STACK the samples do not name.
 */
static int flush_cols(struct df_writer *w)
{
	size_t need = df_colenc_size(&w->cols);
	int rc;

	if (!w->cols.n)
		return 0;
	rc = grow(&w->cbuf, &w->cbuf_cap, need);
	if (rc)
		return rc;
	rc = append(w, DF_REC_SAMPLES, w->cbuf, df_colenc_payload(&w->cols, w->cbuf));
	df_colenc_clear(&w->cols);
	return rc;
}

static int flush_block(struct df_writer *w)
{
	uint8_t *h;
	size_t clen;
	int rc;

	rc = flush_cols(w);
	if (rc)
		return rc;
	if (!w->blk_len)
		return 0;
	rc = compress_block(w, &clen);
	if (rc)
		return rc;
	h = w->zbuf;
	memcpy(h, DF_BLOCK_MAGIC, DF_BLOCK_MAGIC_LEN);
	df_put_le32(h + DF_OFF_CLEN, (uint32_t)clen);
	df_put_le32(h + DF_OFF_ULEN, (uint32_t)w->blk_len);
	df_put_le32(h + DF_OFF_CRC,
		    (uint32_t)crc32(0, w->blk, (uInt)w->blk_len));
	h[DF_OFF_KIND] = DF_BLOCK_ZLIB;
	memset(h + DF_OFF_BLOCK_RSVD, 0, 3);
	rc = write_all(w->fd, h, DF_BLOCK_HDR_LEN + clen);
	if (rc)
		return rc;
	w->bytes += DF_BLOCK_HDR_LEN + clen;
	w->blk_len = 0;
	w->prev_time = 0;
	w->prev_cpu = 0;
	memset(w->slot, 0, sizeof(w->slot));
	df_colenc_reset(&w->cols);
	df_stackset_block(&w->stacks);
	return 0;
}

/* Appends without ever flushing, for records encoded against block state. */
static int append(struct df_writer *w, uint8_t type, const uint8_t *payload,
		  size_t len)
{
	int rc = grow(&w->blk, &w->blk_cap,
		      w->blk_len + 1 + DF_VARINT_MAX + len);

	if (rc)
		return rc;
	w->blk[w->blk_len++] = type;
	w->blk_len += df_put_varint(w->blk + w->blk_len, len);
	memcpy(w->blk + w->blk_len, payload, len);
	w->blk_len += len;
	return 0;
}

/*
 * 2.0: records that may go before the pending samples.  Most only ever
 * add what samples are resolved with (a stack, a DSO, its symbols, lines
 * and code), which a recorder writes before the first sample that needs
 * it, so moving one ahead of earlier samples changes none of those;
 * grouped, they and the columns compress a twentieth better.  A task's
 * records do too unless a pending sample may be of that task (see
 * after_task_samples()).  Everything else keeps its place.
 */
static int before_samples(uint8_t type)
{
	return type == DF_REC_STACK || type == DF_REC_DSO || type == DF_REC_SYMBOLS ||
	       type == DF_REC_SRCSTR || type == DF_REC_SRCLINE || type == DF_REC_CODE ||
	       type == DF_REC_TASK || type == DF_REC_MMAP;
}

/*
 * A task's records (its comm, fork, exec, exit, mappings) change what the
 * samples of that task mean, and only those: they go after the pending
 * samples only if one of them may be of it.  A machine's other processes
 * starting and exiting then no longer cut the columns of the one sampled.
 */
static int after_task_samples(struct df_writer *w, uint32_t pid, uint32_t tid)
{
	if (!df_colenc_has_task(&w->cols, pid) && !df_colenc_has_task(&w->cols, tid))
		return 0;
	return flush_cols(w);
}

/* Ends the block unless need more bytes (and the pending samples) fit. */
static int make_room(struct df_writer *w, size_t need)
{
	size_t pending = w->cols.n ? df_colenc_size(&w->cols) : 0;

	return (w->blk_len || pending) && w->blk_len + need + pending > DF_BLOCK_TARGET ?
	       flush_block(w) : 0;
}

static int emit(struct df_writer *w, uint8_t type, const uint8_t *payload,
		size_t len)
{
	size_t total = 1 + df_varint_len(len) + len;
	int rc;

	if (!before_samples(type)) {
		rc = flush_cols(w);
		if (rc)
			return rc;
	}
	rc = make_room(w, total);
	return rc ? rc : append(w, type, payload, len);
}

static size_t put_str(uint8_t *p, const char *s, size_t len)
{
	size_t n = df_put_varint(p, len);

	if (len)
		memcpy(p + n, s, len);
	return n + len;
}

int df_writer_new(struct df_writer **out, int fd)
{
	return df_writer_new_minor(out, fd, 0);
}

int df_writer_set_level(struct df_writer *w, int level)
{
	if (!w || level < 0 || level > 9)
		return -EINVAL;
	return deflateParams(&w->zs, level, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -EINVAL;
}

static int writer_new(struct df_writer **out, int fd, uint16_t major,
		      uint16_t minor)
{
	uint8_t hdr[DF_FILE_HDR_LEN] = { 0 };
	struct df_writer *w;
	int rc;

	if (!out || fd < 0)
		return -EINVAL;
	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->major = major;
	w->minor = minor;
	df_colenc_reset(&w->cols);
	if (deflateInit(&w->zs, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(w);
		return -ENOMEM;
	}
	memcpy(hdr, DF_FILE_MAGIC, DF_FILE_MAGIC_LEN);
	df_put_le16(hdr + DF_OFF_VMAJOR, major);
	df_put_le16(hdr + DF_OFF_VMINOR, minor);
	hdr[DF_OFF_BYTE_ORDER] = DF_BYTE_ORDER_LE;
	rc = write_all(fd, hdr, sizeof(hdr));
	if (rc) {
		df_writer_free(w);
		return rc;
	}
	w->bytes = sizeof(hdr);
	*out = w;
	return 0;
}

int df_writer_new_minor(struct df_writer **out, int fd, uint16_t minor)
{
	if (minor > DF_VERSION_MINOR)
		return -EINVAL;
	return writer_new(out, fd, DF_VERSION_MAJOR, minor);
}

int df_writer_new_v2(struct df_writer **out, int fd)
{
	return writer_new(out, fd, DF_VERSION2_MAJOR, DF_VERSION2_MINOR);
}

int df_writer_set_period(struct df_writer *w, uint64_t period_ns)
{
	int rc = usable(w);

	if (rc)
		return rc;
	/* The record's samples are coded against the period it states. */
	rc = flush_cols(w);
	if (rc)
		return fail(w, rc);
	w->cols.period = period_ns;
	return 0;
}

int df_write_meta(struct df_writer *w, const char *key, const char *value)
{
	size_t klen, vlen;
	uint8_t *p;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!key || !value)
		return -EINVAL;
	klen = strlen(key);
	vlen = strlen(value);
	if (klen > DF_MAX_STRING || vlen > DF_MAX_STRING)
		return -ENAMETOOLONG;
	rc = grow(&w->rec, &w->rec_cap, 2 * DF_VARINT_MAX + klen + vlen);
	if (rc)
		return fail(w, rc);
	p = w->rec;
	p += put_str(p, key, klen);
	p += put_str(p, value, vlen);
	return fail(w, emit(w, DF_REC_META, w->rec, (size_t)(p - w->rec)));
}

int df_write_task(struct df_writer *w, const struct df_task *t)
{
	uint8_t buf[5 * DF_VARINT_MAX + 1 + DF_MAX_COMM], *p = buf;
	size_t clen;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!t)
		return -EINVAL;
	clen = strnlen(t->comm, sizeof(t->comm));
	if (clen > DF_MAX_COMM)
		return -ENAMETOOLONG;
	p += df_put_varint(p, t->kind);
	p += df_put_varint(p, t->time_ns);
	p += df_put_varint(p, t->pid);
	p += df_put_varint(p, t->tid);
	p += df_put_varint(p, t->ppid);
	p += put_str(p, t->comm, clen);
	rc = after_task_samples(w, t->pid, t->tid);
	if (rc)
		return fail(w, rc);
	return fail(w, emit(w, DF_REC_TASK, buf, (size_t)(p - buf)));
}

int df_write_dso(struct df_writer *w, const struct df_dso *d)
{
	size_t plen;
	uint8_t *p;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!d || !d->path || (d->build_id_len && !d->build_id))
		return -EINVAL;
	if (d->build_id_len > DF_MAX_BUILD_ID)
		return -E2BIG;
	plen = strlen(d->path);
	if (plen > DF_MAX_STRING)
		return -ENAMETOOLONG;
	rc = grow(&w->rec, &w->rec_cap, 4 * DF_VARINT_MAX + plen +
		  d->build_id_len);
	if (rc)
		return fail(w, rc);
	p = w->rec;
	p += df_put_varint(p, d->dso_id);
	p += df_put_varint(p, d->flags);
	p += put_str(p, d->path, plen);
	p += df_put_varint(p, d->build_id_len);
	if (d->build_id_len)
		memcpy(p, d->build_id, d->build_id_len);
	p += d->build_id_len;
	return fail(w, emit(w, DF_REC_DSO, w->rec, (size_t)(p - w->rec)));
}

int df_write_mmap(struct df_writer *w, const struct df_mmap *m)
{
	uint8_t buf[6 * DF_VARINT_MAX], *p = buf;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!m)
		return -EINVAL;
	p += df_put_varint(p, m->time_ns);
	p += df_put_varint(p, m->pid);
	p += df_put_varint(p, m->start);
	p += df_put_varint(p, m->len);
	p += df_put_varint(p, m->pgoff);
	p += df_put_varint(p, m->dso_id);
	rc = after_task_samples(w, m->pid, m->pid);
	if (rc)
		return fail(w, rc);
	return fail(w, emit(w, DF_REC_MMAP, buf, (size_t)(p - buf)));
}

static int write_stack2(struct df_writer *w, uint32_t stack_id, const uint64_t *ips,
			uint16_t n_kernel, uint16_t n_user)
{
	uint8_t buf[DF_STACK2_MAX];
	size_t len;
	int rc;

	/* A redefinition must not reach the pending samples of the old one. */
	if (w->cols.n && stack_id >= w->cols.min_stack && stack_id <= w->cols.max_stack) {
		rc = flush_cols(w);
		if (rc)
			return fail(w, rc);
	}
	w->stacks.has_last = 0;
	/* Flush first: the record is coded against the block it goes in. */
	rc = make_room(w, 1 + DF_VARINT_MAX + DF_STACK2_MAX);
	rc = rc ?: df_stack2_encode(&w->stacks, stack_id, ips, n_kernel, n_user, buf, &len);
	if (rc)
		return fail(w, rc);
	return fail(w, append(w, DF_REC_STACK, buf, len));
}

/*
 * Frames are stored as zig-zag deltas from the previous frame (the first
 * from 0): adjacent frames share their high bits, and zig-zag makes a
 * kernel address, a small negative number, cost 5 bytes instead of 10.
 */
int df_write_stack(struct df_writer *w, uint32_t stack_id, const uint64_t *ips,
		   uint16_t n_kernel, uint16_t n_user)
{
	uint8_t buf[3 * DF_VARINT_MAX + DF_MAX_FRAMES * DF_VARINT_MAX];
	uint8_t *p = buf;
	unsigned int i, n = (unsigned int)n_kernel + n_user;
	uint64_t prev = 0;
	int rc = usable(w);

	if (rc)
		return rc;
	if (n > DF_MAX_FRAMES)
		return -E2BIG;
	if (n && !ips)
		return -EINVAL;
	if (w->major > DF_VERSION_MAJOR)
		return write_stack2(w, stack_id, ips, n_kernel, n_user);
	p += df_put_varint(p, stack_id);
	p += df_put_varint(p, n_kernel);
	p += df_put_varint(p, n_user);
	for (i = 0; i < n; i++) {
		p += df_put_varint(p, df_zigzag((int64_t)(ips[i] - prev)));
		prev = ips[i];
	}
	return fail(w, emit(w, DF_REC_STACK, buf, (size_t)(p - buf)));
}

static size_t encode_sample(struct df_writer *w, const struct df_sample *s,
			    uint8_t *buf)
{
	struct df_cpu_slot *slot = &w->slot[s->cpu % DF_CPU_SLOTS];
	uint8_t *p = buf + 1;
	uint8_t flags = 0;

	p += df_put_varint(p, df_zigzag((int64_t)(s->time_ns - w->prev_time)));
	if (s->cpu != w->prev_cpu) {
		flags |= DF_SF_CPU;
		p += df_put_varint(p, s->cpu);
	}
	if (s->pid != slot->pid) {
		flags |= DF_SF_PID;
		p += df_put_varint(p, s->pid);
	}
	if (s->tid != slot->tid) {
		flags |= DF_SF_TID;
		p += df_put_varint(p, df_zigzag((int64_t)s->tid - s->pid));
	}
	if (s->stack_id != DF_STACK_NONE) {
		flags |= DF_SF_STACK;
		p += df_put_varint(p, s->stack_id);
	}
	if (s->weight != 1) {
		flags |= DF_SF_WEIGHT;
		p += df_put_varint(p, s->weight);
	}
	if (s->has_retval) {
		flags |= DF_SF_RETVAL;
		p += df_put_varint(p, df_zigzag(s->retval));
	}
	if (s->interval_ns) {
		flags |= DF_SF_INTERVAL;
		p += df_put_varint(p, s->interval_ns);
	}
	buf[0] = flags;
	w->prev_time = s->time_ns;
	w->prev_cpu = s->cpu;
	slot->pid = s->pid;
	slot->tid = s->tid;
	return (size_t)(p - buf);
}

/* Samples of other events: absolute fields, no block state touched. */
static int write_event_sample(struct df_writer *w, const struct df_sample *s)
{
	uint8_t buf[8 * DF_VARINT_MAX], *p = buf;

	if (!has_minor(w, DF_MINOR_EVENTS) || (s->has_retval && !has_minor(w, DF_MINOR_RETVAL)))
		return -EINVAL;
	p += df_put_varint(p, s->event);
	p += df_put_varint(p, s->time_ns);
	p += df_put_varint(p, s->cpu);
	p += df_put_varint(p, s->pid);
	p += df_put_varint(p, s->tid);
	p += df_put_varint(p, s->stack_id);
	p += df_put_varint(p, s->weight);
	/* Last, so that readers of 1.1, which ignore what follows, skip it. */
	if (s->has_retval)
		p += df_put_varint(p, df_zigzag(s->retval));
	return fail(w, emit(w, DF_REC_EVENT_SAMPLE, buf, (size_t)(p - buf)));
}

int df_write_event(struct df_writer *w, const struct df_event *e)
{
	uint8_t *buf, *p;
	size_t len;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!e || !e->name || !has_minor(w, DF_MINOR_EVENTS))
		return -EINVAL;
	len = strlen(e->name);
	if (len > DF_MAX_STRING)
		return -ENAMETOOLONG;
	buf = malloc(3 * DF_VARINT_MAX + len);
	if (!buf)
		return fail(w, -ENOMEM);
	p = buf;
	p += df_put_varint(p, e->id);
	p += df_put_varint(p, e->kind);
	p += put_str(p, e->name, len);
	rc = fail(w, emit(w, DF_REC_EVENT, buf, (size_t)(p - buf)));
	free(buf);
	return rc;
}

/* Version 2.0: a plain sample joins the columns of the open block. */
static int write_col_sample(struct df_writer *w, const struct df_sample *s)
{
	int rc;

	/* A sample adds at most 10 + 5 + 16 + 10 + 10 bytes. */
	rc = make_room(w, 51);
	return fail(w, rc ? rc : df_colenc_add(&w->cols, s));
}

int df_writer_last_base(const struct df_writer *w, struct df_stack_base *b)
{
	if (!w || !b)
		return -EINVAL;
	return df_stack2_last_base(&w->stacks, b);
}

int df_write_sample(struct df_writer *w, const struct df_sample *s)
{
	uint8_t buf[SAMPLE_MAX_REC];
	size_t len;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!s)
		return -EINVAL;
	if (s->event)
		return write_event_sample(w, s);
	if ((s->has_retval && !has_minor(w, DF_MINOR_RETVAL)) ||
	    (s->interval_ns && !has_minor(w, DF_MINOR_AGGREGATE)))
		return -EINVAL;
	if (w->major > DF_VERSION_MAJOR && !s->has_retval && !s->interval_ns)
		return write_col_sample(w, s);
	/* A row after the pending columns keeps the samples in order. */
	rc = flush_cols(w);
	if (rc)
		return fail(w, rc);
	/* Flush first: the encoding depends on what is already in the block. */
	if (w->blk_len + SAMPLE_MAX_REC > DF_BLOCK_TARGET) {
		rc = flush_block(w);
		if (rc)
			return fail(w, rc);
	}
	len = encode_sample(w, s, buf);
	return fail(w, append(w, DF_REC_SAMPLE, buf, len));
}

/* Entries go after room for the record's own header, prepended later. */
#define SYM_HDR_ROOM	(2 * DF_VARINT_MAX)
#define SYM_ENTRY_MAX	(3 * DF_VARINT_MAX + DF_MAX_STRING)

static int emit_symbols(struct df_writer *w, uint32_t dso_id, size_t count,
			size_t elen)
{
	uint8_t hdr[SYM_HDR_ROOM];
	size_t hlen = 0;
	uint8_t *start;

	hlen += df_put_varint(hdr + hlen, dso_id);
	hlen += df_put_varint(hdr + hlen, count);
	start = w->rec + SYM_HDR_ROOM - hlen;
	memcpy(start, hdr, hlen);
	return emit(w, DF_REC_SYMBOLS, start, hlen + elen);
}

int df_write_symbols(struct df_writer *w, uint32_t dso_id,
		     const struct df_symbol *syms, size_t n)
{
	size_t i, count = 0, elen = 0, nlen;
	uint64_t prev = 0;
	uint8_t *p;
	int rc = usable(w);

	if (rc)
		return rc;
	if (n && !syms)
		return -EINVAL;
	rc = grow(&w->rec, &w->rec_cap,
		  SYM_HDR_ROOM + DF_SYMBOLS_CHUNK + SYM_ENTRY_MAX);
	if (rc)
		return fail(w, rc);
	for (i = 0; i < n; i++) {
		if (elen >= DF_SYMBOLS_CHUNK) {
			rc = emit_symbols(w, dso_id, count, elen);
			if (rc)
				return fail(w, rc);
			count = elen = 0;
			prev = 0;
		}
		p = w->rec + SYM_HDR_ROOM + elen;
		nlen = syms[i].name ? strnlen(syms[i].name, DF_MAX_STRING) : 0;
		p += df_put_varint(p, df_zigzag((int64_t)(syms[i].start - prev)));
		p += df_put_varint(p, syms[i].size);
		p += put_str(p, syms[i].name, nlen);
		elen = (size_t)(p - w->rec) - SYM_HDR_ROOM;
		prev = syms[i].start;
		count++;
	}
	/* n == 0 still writes a record: "this DSO has no symbols" is news. */
	if (count || !n)
		rc = emit_symbols(w, dso_id, count, elen);
	return fail(w, rc);
}

int df_write_lost(struct df_writer *w, uint32_t kind, uint64_t count)
{
	uint8_t buf[2 * DF_VARINT_MAX], *p = buf;
	int rc = usable(w);

	if (rc)
		return rc;
	p += df_put_varint(p, kind);
	p += df_put_varint(p, count);
	return fail(w, emit(w, DF_REC_LOST, buf, (size_t)(p - buf)));
}

int df_write_counts(struct df_writer *w, uint64_t start_ns, uint64_t duration_ns,
		    const struct df_count *c, size_t n)
{
	struct df_sample s = { .time_ns = start_ns, .cpu = DF_CPU_NONE,
			       .interval_ns = duration_ns };
	int rc = usable(w);

	if (rc)
		return rc;
	if ((n && !c) || !duration_ns || start_ns + duration_ns < start_ns ||
	    !has_minor(w, DF_MINOR_AGGREGATE))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!c[i].count)
			return -EINVAL;
	for (size_t i = 0; i < n && !rc; i++) {
		s.pid = c[i].pid;
		s.tid = c[i].tid;
		s.stack_id = c[i].stack_id;
		s.weight = c[i].count;
		rc = df_write_sample(w, &s);
	}
	return rc;
}

int df_write_srcstr(struct df_writer *w, uint32_t id, const char *str)
{
	uint8_t buf[2 * DF_VARINT_MAX + DF_MAX_STRING], *p = buf;
	size_t len;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!str || !id || !has_minor(w, DF_MINOR_SRCLINES))
		return -EINVAL;
	len = strlen(str);
	if (len > DF_MAX_STRING)
		return -ENAMETOOLONG;
	p += df_put_varint(p, id);
	p += put_str(p, str, len);
	return fail(w, emit(w, DF_REC_SRCSTR, buf, (size_t)(p - buf)));
}

int df_write_srcline(struct df_writer *w, uint32_t dso_id, uint64_t addr,
		     const struct df_src_frame *f, size_t n)
{
	uint8_t buf[(3 + 4 * DF_MAX_INLINE) * DF_VARINT_MAX], *p = buf;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!f || !n || !has_minor(w, DF_MINOR_SRCLINES))
		return -EINVAL;
	if (n > DF_MAX_INLINE)
		return -E2BIG;
	p += df_put_varint(p, dso_id);
	p += df_put_varint(p, addr);
	p += df_put_varint(p, n);
	for (size_t i = 0; i < n; i++) {
		p += df_put_varint(p, f[i].func);
		p += df_put_varint(p, f[i].file);
		p += df_put_varint(p, f[i].line);
		p += df_put_varint(p, f[i].decl_line);
	}
	return fail(w, emit(w, DF_REC_SRCLINE, buf, (size_t)(p - buf)));
}

int df_write_code(struct df_writer *w, const struct df_code *c)
{
	size_t cap, prev = 0;
	uint8_t *buf, *p;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!c || !c->bytes || !c->len || !has_minor(w, DF_MINOR_CODE) ||
	    (c->n_lines && !c->lines))
		return -EINVAL;
	if (c->len > DF_MAX_CODE)
		return -E2BIG;
	if (c->n_lines > c->len)
		return -EINVAL;
	for (size_t i = 0; i < c->n_lines; i++) {
		if (c->lines[i].offset >= c->len || (i && c->lines[i].offset <= prev))
			return -EINVAL;
		prev = c->lines[i].offset;
	}
	cap = (4 + 3 * c->n_lines) * DF_VARINT_MAX + c->len;
	if (!(p = buf = malloc(cap)))
		return fail(w, -ENOMEM);
	p += df_put_varint(p, c->dso_id);
	p += df_put_varint(p, c->start);
	p += df_put_varint(p, c->len);
	memcpy(p, c->bytes, c->len);
	p += c->len;
	p += df_put_varint(p, c->n_lines);
	prev = 0;
	for (size_t i = 0; i < c->n_lines; i++) {
		/* Deltas: a row a few bytes after the one before costs a byte. */
		p += df_put_varint(p, c->lines[i].offset - prev);
		p += df_put_varint(p, c->lines[i].file);
		p += df_put_varint(p, c->lines[i].line);
		prev = c->lines[i].offset;
	}
	rc = fail(w, emit(w, DF_REC_CODE, buf, (size_t)(p - buf)));
	free(buf);
	return rc;
}

int df_writer_flush(struct df_writer *w)
{
	int rc;

	/* A periodic flush racing with finish has nothing left to do. */
	if (w && w->finished && !w->err)
		return 0;
	rc = usable(w);
	if (rc)
		return rc;
	return fail(w, flush_block(w));
}

int df_writer_finish(struct df_writer *w, const struct df_end *end)
{
	uint8_t buf[4 * DF_VARINT_MAX], *p = buf;
	int rc = usable(w);

	if (rc)
		return rc;
	if (!end)
		return -EINVAL;
	p += df_put_varint(p, end->samples);
	p += df_put_varint(p, end->lost);
	p += df_put_varint(p, end->duration_ns);
	p += df_put_varint(p, end->flags);
	rc = emit(w, DF_REC_END, buf, (size_t)(p - buf));
	if (!rc)
		rc = flush_block(w);
	if (rc)
		return fail(w, rc);
	w->finished = 1;
	return 0;
}

uint64_t df_writer_bytes(const struct df_writer *w)
{
	return w ? w->bytes : 0;
}

void df_writer_free(struct df_writer *w)
{
	if (!w)
		return;
	deflateEnd(&w->zs);
	df_colenc_release(&w->cols);
	df_stackset_release(&w->stacks);
	free(w->blk);
	free(w->zbuf);
	free(w->rec);
	free(w->cbuf);
	free(w);
}
