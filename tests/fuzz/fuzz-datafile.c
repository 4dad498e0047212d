/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the data file reader.
 *
 * The first input byte picks a mode:
 *   'R'  the rest is the uncompressed payload of one block; it is wrapped
 *        in a valid header, deflated and given a correct crc, because
 *        random mutations would almost never get through zlib and the crc
 *        to the record parser.  If the read succeeds, everything delivered
 *        is written again with the writer, read back and compared.
 *   '2'  the same for a block of a version 2.0 file (STACK records coded
 *        against earlier stacks, SAMPLES records); what it delivers is
 *        written again as 1.4, which holds all of it, and compared.
 *   'F'  the rest is a file, read through df_read_fd().
 *   else the whole input is a file, read with df_read_mem().
 * Callbacks check the documented limits and abort() when one is broken.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "data/datafile.h"
#include "data/datafile-format.h"
#include "fuzz-wrap.h"

struct fz {
	uint64_t hash;
	struct df_writer *w;	/* re-encoding target, or NULL */
	int werr;
};

static void mix(struct fz *z, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		z->hash = (z->hash ^ *b++) * 0x100000001b3ull;
}

static void mix_u64(struct fz *z, uint64_t v)
{
	mix(z, &v, sizeof(v));
}

static void mix_str(struct fz *z, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		abort();
	mix(z, s, n + 1);
}

static void rewrote(struct fz *z, int rc)
{
	if (rc && !z->werr)
		z->werr = rc;
}

static int f_meta(void *ctx, const char *k, const char *v)
{
	struct fz *z = ctx;

	mix_str(z, k, DF_MAX_STRING);
	mix_str(z, v, DF_MAX_STRING);
	if (z->w)
		rewrote(z, df_write_meta(z->w, k, v));
	return 0;
}

static int f_task(void *ctx, const struct df_task *t)
{
	struct fz *z = ctx;

	mix_u64(z, t->kind);
	mix_u64(z, t->time_ns);
	mix_u64(z, (uint64_t)t->pid << 32 | t->tid);
	mix_u64(z, t->ppid);
	mix_str(z, t->comm, DF_MAX_COMM);
	if (z->w)
		rewrote(z, df_write_task(z->w, t));
	return 0;
}

static int f_dso(void *ctx, const struct df_dso *d)
{
	struct fz *z = ctx;

	if (d->build_id_len > DF_MAX_BUILD_ID)
		abort();
	mix_u64(z, (uint64_t)d->dso_id << 32 | d->flags);
	mix_str(z, d->path, DF_MAX_STRING);
	mix_u64(z, d->build_id_len);
	if (d->build_id_len)
		mix(z, d->build_id, d->build_id_len);
	if (z->w)
		rewrote(z, df_write_dso(z->w, d));
	return 0;
}

static int f_mmap(void *ctx, const struct df_mmap *m)
{
	struct fz *z = ctx;

	mix_u64(z, m->time_ns);
	mix_u64(z, (uint64_t)m->pid << 32 | m->dso_id);
	mix_u64(z, m->start);
	mix_u64(z, m->len);
	mix_u64(z, m->pgoff);
	if (z->w)
		rewrote(z, df_write_mmap(z->w, m));
	return 0;
}

static int f_stack(void *ctx, uint32_t id, const uint64_t *ips, uint16_t nk,
		   uint16_t nu)
{
	struct fz *z = ctx;

	if (nk + nu > DF_MAX_FRAMES)
		abort();
	mix_u64(z, (uint64_t)id << 32 | (uint64_t)nk << 16 | nu);
	mix(z, ips, (size_t)(nk + nu) * sizeof(*ips));
	if (z->w)
		rewrote(z, df_write_stack(z->w, id, ips, nk, nu));
	return 0;
}

static int f_sample(void *ctx, const struct df_sample *s)
{
	struct fz *z = ctx;

	mix_u64(z, s->time_ns);
	mix_u64(z, (uint64_t)s->pid << 32 | s->tid);
	mix_u64(z, (uint64_t)s->cpu << 32 | s->stack_id);
	mix_u64(z, s->weight);
	mix_u64(z, s->event);
	mix_u64(z, s->interval_ns);
	if (z->w)
		rewrote(z, df_write_sample(z->w, s));
	return 0;
}

static int f_symbols(void *ctx, uint32_t dso, const struct df_symbol *s,
		     size_t n)
{
	struct fz *z = ctx;
	size_t i;

	if (n > DF_MAX_SYMBOLS)
		abort();
	/* Per entry: the writer may split one record into several. */
	for (i = 0; i < n; i++) {
		mix_u64(z, dso);
		mix_u64(z, s[i].start);
		mix_u64(z, s[i].size);
		mix_str(z, s[i].name, DF_MAX_STRING);
	}
	if (z->w)
		rewrote(z, df_write_symbols(z->w, dso, s, n));
	return 0;
}

static int f_lost(void *ctx, uint32_t kind, uint64_t count)
{
	struct fz *z = ctx;

	mix_u64(z, kind);
	mix_u64(z, count);
	if (z->w)
		rewrote(z, df_write_lost(z->w, kind, count));
	return 0;
}

static int f_event(void *ctx, const struct df_event *e)
{
	struct fz *z = ctx;

	mix_u64(z, (uint64_t)e->id << 32 | e->kind);
	mix_str(z, e->name, DF_MAX_STRING);
	if (z->w)
		rewrote(z, df_write_event(z->w, e));
	return 0;
}

static int f_srcstr(void *ctx, uint32_t id, const char *str)
{
	struct fz *z = ctx;

	if (!id)
		abort();
	mix_u64(z, id);
	mix_str(z, str, DF_MAX_STRING);
	if (z->w)
		rewrote(z, df_write_srcstr(z->w, id, str));
	return 0;
}

static int f_srcline(void *ctx, uint32_t dso, uint64_t addr,
		     const struct df_src_frame *f, size_t n)
{
	struct fz *z = ctx;

	if (!n || n > DF_MAX_INLINE)
		abort();
	mix_u64(z, dso);
	mix_u64(z, addr);
	mix(z, f, n * sizeof(*f));
	if (z->w)
		rewrote(z, df_write_srcline(z->w, dso, addr, f, n));
	return 0;
}

/* The reader's promises of struct df_code, then the round trip. */
static int f_code(void *ctx, const struct df_code *c)
{
	struct fz *z = ctx;

	if (!c->len || c->len > DF_MAX_CODE || c->n_lines > c->len ||
	    (c->n_lines && !c->lines))
		abort();
	for (size_t i = 0; i < c->n_lines; i++)
		if (c->lines[i].offset >= c->len ||
		    (i && c->lines[i].offset <= c->lines[i - 1].offset))
			abort();
	mix_u64(z, c->dso_id);
	mix_u64(z, c->start);
	mix(z, c->bytes, c->len);
	if (c->n_lines)
		mix(z, c->lines, c->n_lines * sizeof(*c->lines));
	if (z->w)
		rewrote(z, df_write_code(z->w, c));
	return 0;
}

/* END is left out of the hash: the writer can only put one at the end. */
static int f_end(void *ctx, const struct df_end *e)
{
	(void)ctx;
	if (!e)
		abort();
	return 0;
}

static const struct df_ops ops = {
	.meta = f_meta, .task = f_task, .dso = f_dso, .mmap = f_mmap,
	.stack = f_stack, .sample = f_sample, .symbols = f_symbols,
	.lost = f_lost, .end = f_end, .event = f_event,
	.srcstr = f_srcstr, .srcline = f_srcline, .code = f_code,
};

static void check_result(int rc, const struct df_read_status *st)
{
	if (memchr(st->error, 0, sizeof(st->error)) == NULL)
		abort();
	switch (rc) {
	case 0:
		if (st->incomplete && !st->error[0])
			abort();
		break;
	case -EBADMSG:
	case -ENODATA:
	case -EPROTONOSUPPORT:
	case -ENOMEM:
		if (!st->error[0])
			abort();
		break;
	default:
		abort();
	}
}

static int scratch_fd(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = memfd_create("fuzz-datafile", 0);
	if (fd < 0 || ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
		abort();
	return fd;
}

static uint8_t *slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	uint8_t *p = malloc(end > 0 ? (size_t)end : 1);

	if (end < 0 || !p || pread(fd, p, (size_t)end, 0) != end)
		abort();
	*len = (size_t)end;
	return p;
}

/* Writes back what a successful read delivered and checks it reads equal. */
static void round_trip(const uint8_t *file, size_t len, uint64_t hash)
{
	struct df_read_status st;
	struct fz z = { 0xcbf29ce484222325ull, NULL, 0 };
	struct df_end end = { 0 };
	uint8_t *again;
	size_t alen;
	int fd = scratch_fd();

	if (df_writer_new_minor(&z.w, fd, DF_VERSION_MINOR))
		abort();
	if (df_read_mem(file, len, &ops, &z, &st) || z.werr ||
	    df_writer_finish(z.w, &end))
		abort();
	df_writer_free(z.w);
	again = slurp(fd, &alen);
	z = (struct fz){ 0xcbf29ce484222325ull, NULL, 0 };
	if (df_read_mem(again, alen, &ops, &z, &st) || st.incomplete ||
	    z.hash != hash)
		abort();
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct df_read_status st;
	struct fz z = { 0xcbf29ce484222325ull, NULL, 0 };
	uint8_t *file;
	size_t len;
	int rc, fd;

	/* Bigger inputs only slow the fuzzer down; blocks are small here. */
	if (size > (1u << 20))
		return 0;
	if (size && (data[0] == 'R' || data[0] == '2')) {
		file = fuzz_wrap_major(data + 1, size - 1, &len, data[0] == '2' ? 2 : 1);
		rc = df_read_mem(file, len, &ops, &z, &st);
		check_result(rc, &st);
		if (rc == 0)
			round_trip(file, len, z.hash);
		free(file);
	} else if (size && data[0] == 'F') {
		fd = scratch_fd();
		if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1) ||
		    lseek(fd, 0, SEEK_SET))
			abort();
		rc = df_read_fd(fd, &ops, &z, &st);
		check_result(rc, &st);
	} else {
		rc = df_read_mem(size ? data : NULL, size, &ops, &z, &st);
		check_result(rc, &st);
	}
	return 0;
}
