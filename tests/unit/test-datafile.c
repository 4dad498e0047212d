/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the data file writer and reader.  Every record the
 * reader delivers is rendered as a line of text; a test writes records
 * while building the same text and compares, so a mismatch shows where.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "check.h"
#include "data/datafile.h"
#include "data/datafile-format.h"

struct sb {
	char *p;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void sb_reset(struct sb *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

static int sb_eq(const struct sb *a, const struct sb *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->p, b->p, a->len));
}

/* ---- rendering, shared by the expected and the delivered side ---------- */

static int log_meta(void *ctx, const char *k, const char *v)
{
	struct sb *b = ctx;

	sb_printf(b, "M %s=%s\n", k, v);
	return 0;
}

static int log_task(void *ctx, const struct df_task *t)
{
	struct sb *b = ctx;

	sb_printf(b, "T %u %llu %u %u %u %s\n", t->kind,
		  (unsigned long long)t->time_ns, t->pid, t->tid, t->ppid,
		  t->comm);
	return 0;
}

static int log_dso(void *ctx, const struct df_dso *d)
{
	struct sb *b = ctx;
	uint32_t i;

	sb_printf(b, "D %u %x %s ", d->dso_id, d->flags, d->path);
	for (i = 0; i < d->build_id_len; i++)
		sb_printf(b, "%02x", d->build_id[i]);
	sb_printf(b, "\n");
	return 0;
}

static int log_mmap(void *ctx, const struct df_mmap *m)
{
	struct sb *b = ctx;

	sb_printf(b, "P %llu %u %llx %llx %llx %u\n",
		  (unsigned long long)m->time_ns, m->pid,
		  (unsigned long long)m->start, (unsigned long long)m->len,
		  (unsigned long long)m->pgoff, m->dso_id);
	return 0;
}

static int log_stack(void *ctx, uint32_t id, const uint64_t *ips,
		     uint16_t nk, uint16_t nu)
{
	struct sb *b = ctx;
	unsigned int i;

	sb_printf(b, "S %u %u %u", id, nk, nu);
	for (i = 0; i < (unsigned int)nk + nu; i++)
		sb_printf(b, " %llx", (unsigned long long)ips[i]);
	sb_printf(b, "\n");
	return 0;
}

static void log_sample(struct sb *b, const struct df_sample *s)
{
	sb_printf(b, "X %llu %u %u %u %u %llu\n",
		  (unsigned long long)s->time_ns, s->pid, s->tid, s->cpu,
		  s->stack_id, (unsigned long long)s->weight);
}

static int log_symbols(void *ctx, uint32_t dso, const struct df_symbol *s,
		       size_t n)
{
	struct sb *b = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		sb_printf(b, "Y %u %llx %llx %s\n", dso,
			  (unsigned long long)s[i].start,
			  (unsigned long long)s[i].size, s[i].name);
	return 0;
}

static int log_lost(void *ctx, uint32_t kind, uint64_t count)
{
	struct sb *b = ctx;

	sb_printf(b, "L %u %llu\n", kind, (unsigned long long)count);
	return 0;
}

static int log_end(void *ctx, const struct df_end *e)
{
	struct sb *b = ctx;

	sb_printf(b, "E %llu %llu %llu %u\n", (unsigned long long)e->samples,
		  (unsigned long long)e->lost,
		  (unsigned long long)e->duration_ns, e->flags);
	return 0;
}

/* Reader side: ctx is a struct sb; sample_limit lets a test stop early. */
static long sample_limit = -1;

static int cb_sample(void *c, const struct df_sample *s)
{
	if (sample_limit == 0)
		return -ECANCELED;
	if (sample_limit > 0)
		sample_limit--;
	log_sample(c, s);
	return 0;
}

static const struct df_ops log_ops = {
	.meta = log_meta, .task = log_task, .dso = log_dso, .mmap = log_mmap,
	.stack = log_stack, .sample = cb_sample, .symbols = log_symbols,
	.lost = log_lost, .end = log_end,
};

/* ---- helpers --------------------------------------------------------- */

struct file {
	uint8_t *p;
	size_t len;
};

static int memfd(void)
{
	int fd = memfd_create("df-test", 0);

	if (fd < 0)
		abort();
	return fd;
}

static void slurp(int fd, struct file *f)
{
	off_t end = lseek(fd, 0, SEEK_END);

	f->len = (size_t)end;
	f->p = malloc(f->len ? f->len : 1);
	if (!f->p || pread(fd, f->p, f->len, 0) != (ssize_t)f->len)
		abort();
}

static int read_fd_prefix(const struct file *f, size_t len, struct sb *log,
			  struct df_read_status *st)
{
	int fd = memfd(), rc;

	if (write(fd, f->p, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET))
		abort();
	rc = df_read_fd(fd, &log_ops, log, st);
	close(fd);
	return rc;
}

/* Builds header + one block around a raw payload, for hand-made records. */
static void craft(struct file *f, uint16_t major, uint16_t minor,
		  const uint8_t *payload, size_t plen)
{
	uLongf clen = compressBound(plen);
	uint8_t *p;

	f->p = calloc(1, DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN + clen);
	p = f->p;
	memcpy(p, DF_FILE_MAGIC, DF_FILE_MAGIC_LEN);
	df_put_le16(p + DF_OFF_VMAJOR, major);
	df_put_le16(p + DF_OFF_VMINOR, minor);
	p[DF_OFF_BYTE_ORDER] = DF_BYTE_ORDER_LE;
	p += DF_FILE_HDR_LEN;
	if (compress2(p + DF_BLOCK_HDR_LEN, &clen, payload, plen, 6) != Z_OK)
		abort();
	memcpy(p, DF_BLOCK_MAGIC, DF_BLOCK_MAGIC_LEN);
	df_put_le32(p + DF_OFF_CLEN, (uint32_t)clen);
	df_put_le32(p + DF_OFF_ULEN, (uint32_t)plen);
	df_put_le32(p + DF_OFF_CRC, (uint32_t)crc32(0, payload, (uInt)plen));
	p[DF_OFF_KIND] = DF_BLOCK_ZLIB;
	f->len = DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN + clen;
}

/* Writes through the API and renders into exp at the same time. */
struct wr {
	struct df_writer *w;
	struct sb exp;
	int fd;
	int err;
};

static void wr_check(struct wr *x, int rc)
{
	if (rc && !x->err)
		x->err = rc;
}

static void wr_sample(struct wr *x, uint64_t t, uint32_t pid, uint32_t tid,
		      uint32_t cpu, uint32_t stack, uint64_t weight)
{
	struct df_sample s = { t, pid, tid, cpu, stack, weight, 0, 0, 0, 0 };

	log_sample(&x->exp, &s);
	wr_check(x, df_write_sample(x->w, &s));
}

static void wr_stack(struct wr *x, uint32_t id, const uint64_t *ips,
		     uint16_t nk, uint16_t nu)
{
	log_stack(&x->exp, id, ips, nk, nu);
	wr_check(x, df_write_stack(x->w, id, ips, nk, nu));
}

static void wr_meta(struct wr *x, const char *k, const char *v)
{
	log_meta(&x->exp, k, v);
	wr_check(x, df_write_meta(x->w, k, v));
}

static void wr_end(struct wr *x, uint64_t samples)
{
	struct df_end e = { samples, 7, 123456789, DF_END_FINISHED };

	log_end(&x->exp, &e);
	wr_check(x, df_writer_finish(x->w, &e));
}

/* 1 or 2: the version wr_open() writes, so the same cases cover both. */
static int wr_major = 1;

static void wr_open(struct wr *x)
{
	memset(x, 0, sizeof(*x));
	x->fd = memfd();
	wr_check(x, wr_major == 1 ? df_writer_new(&x->w, x->fd) :
		 df_writer_new_v2(&x->w, x->fd));
}

static void wr_close(struct wr *x, struct file *f)
{
	df_writer_free(x->w);
	slurp(x->fd, f);
	close(x->fd);
}

/* ---- cases ----------------------------------------------------------- */

static const uint64_t kstack[] = {
	0xffffffff81234567ull, 0xffffffff81000010ull, 0xffffffffc0a01234ull,
	0x00007f12345678abull, 0x000055555555a000ull, 0, UINT64_MAX,
};

/* Everything once, several blocks, extreme values. */
static void write_everything(struct wr *x)
{
	static const uint8_t bid[20] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };
	struct df_task t = { DF_TASK_FORK, 1000, 42, 43, 1, "worker/1" };
	struct df_dso d = { 3, DF_DSO_KERNEL | DF_DSO_JIT, "/usr/lib/libc.so.6",
			    bid, sizeof(bid) };
	struct df_mmap m = { 2000, 42, 0x7f0000000000ull, 0x1000, 0x2000, 3 };
	struct df_symbol syms[3] = {
		{ 0x2000, 0x10, "b" }, { 0x1000, 0x30, "a" },
		{ UINT64_MAX, 0, "" },
	};
	uint64_t deep[DF_MAX_FRAMES];
	unsigned int i;

	for (i = 0; i < DF_MAX_FRAMES; i++)
		deep[i] = 0xffffffff81000000ull + i * 0x40 - (i & 1) * 0x1000;
	wr_meta(x, DF_META_HOSTNAME, "host.example");
	wr_meta(x, DF_META_CMDLINE, "");
	log_task(&x->exp, &t);
	wr_check(x, df_write_task(x->w, &t));
	t.kind = 77;
	strcpy(t.comm, "0123456789abcdef");	/* exactly 16 bytes */
	log_task(&x->exp, &t);
	wr_check(x, df_write_task(x->w, &t));
	log_dso(&x->exp, &d);
	wr_check(x, df_write_dso(x->w, &d));
	d.build_id_len = 0;
	d.build_id = NULL;
	log_dso(&x->exp, &d);
	wr_check(x, df_write_dso(x->w, &d));
	log_mmap(&x->exp, &m);
	wr_check(x, df_write_mmap(x->w, &m));
	wr_stack(x, 1, kstack, 3, 4);
	wr_stack(x, 2, NULL, 0, 0);
	wr_stack(x, UINT32_MAX - 1, deep, 200, 56);
	log_symbols(&x->exp, 3, syms, 3);
	wr_check(x, df_write_symbols(x->w, 3, syms, 3));
	wr_sample(x, 5000, 42, 43, 0, 1, 1);
	wr_check(x, df_writer_flush(x->w));
	wr_sample(x, 4000, 42, 43, 1, DF_STACK_NONE, 0);	/* backwards */
	wr_sample(x, UINT64_MAX, UINT32_MAX, 0, UINT32_MAX, 7, UINT64_MAX);
	wr_sample(x, 0, 1, 1, 1, 1, 2);
	log_lost(&x->exp, DF_LOST_RINGBUF_FULL, 1ull << 40);
	wr_check(x, df_write_lost(x->w, DF_LOST_RINGBUF_FULL, 1ull << 40));
	wr_check(x, df_writer_flush(x->w));
	wr_check(x, df_writer_flush(x->w));	/* nothing pending: no block */
	for (i = 0; i < 60000; i++)	/* > DF_BLOCK_TARGET: auto flush */
		wr_sample(x, 1000000ull * i, 100 + i % 3, 100 + i % 5, i & 1,
			  i % 200, 1);
}

static int test_round_trip(void)
{
	struct df_read_status st;
	struct sb got = { 0 };
	struct file f;
	struct wr x;
	int rc;

	wr_open(&x);
	write_everything(&x);
	wr_end(&x, 60004);
	REQUIRE(!x.err, "write failed: %d", x.err);
	REQUIRE(df_writer_bytes(x.w) > DF_FILE_HDR_LEN, "no bytes counted");
	REQUIRE(df_write_lost(x.w, 1, 1) == -EINVAL, "write after finish");
	REQUIRE(df_writer_flush(x.w) == 0, "flush after finish");
	wr_close(&x, &f);
	REQUIRE(df_writer_bytes(NULL) == 0, "NULL writer");
	rc = df_read_mem(f.p, f.len, &log_ops, &got, &st);
	REQUIRE(rc == 0, "rc %d: %s", rc, st.error);
	REQUIRE(!st.incomplete && st.version_major == wr_major && st.version_minor == 0,
	      "status");
	REQUIRE(st.blocks >= 4, "blocks %llu", (unsigned long long)st.blocks);
	REQUIRE(sb_eq(&got, &x.exp), "mem log differs");
	sb_reset(&got);
	rc = read_fd_prefix(&f, f.len, &got, &st);
	REQUIRE(rc == 0 && !st.incomplete && sb_eq(&got, &x.exp), "fd read");
	REQUIRE(df_read_mem(f.p, f.len, NULL, NULL, NULL) == 0, "no ops");
	free(got.p);
	free(x.exp.p);
	free(f.p);
	return 0;
}

/* The reader must cope with a pipe delivering a few bytes at a time. */
static int test_pipe(void)
{
	struct df_read_status st;
	struct sb got = { 0 };
	struct file f;
	struct wr x;
	int pfd[2], status, rc;
	pid_t pid;

	wr_open(&x);
	write_everything(&x);
	wr_end(&x, 1);
	wr_close(&x, &f);
	REQUIRE(!pipe(pfd), "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		size_t off;

		close(pfd[0]);
		for (off = 0; off < f.len; off += 7)
			if (write(pfd[1], f.p + off,
				  f.len - off < 7 ? f.len - off : 7) < 0)
				_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	rc = df_read_fd(pfd[0], &log_ops, &got, &st);
	close(pfd[0]);
	waitpid(pid, &status, 0);
	REQUIRE(rc == 0 && !st.incomplete, "rc %d: %s", rc, st.error);
	REQUIRE(sb_eq(&got, &x.exp), "pipe log differs");
	free(got.p);
	free(x.exp.p);
	free(f.p);
	return 0;
}

static int test_writer_limits(void)
{
	char big[DF_MAX_STRING + 2];
	struct df_symbol sym = { 0x10, 1, big };
	struct df_read_status st;
	struct df_task t = { 0 };
	struct df_dso d = { 1, 0, "/x", (const uint8_t *)big, 65 };
	uint64_t ips[DF_MAX_FRAMES + 1] = { 0 };
	struct sb got = { 0 };
	struct file f;
	struct wr x;
	char *line;

	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	wr_open(&x);
	REQUIRE(df_write_meta(x.w, "k", big) == -ENAMETOOLONG, "long meta");
	REQUIRE(df_write_dso(x.w, &d) == -E2BIG, "long build-id");
	d.build_id_len = 0;
	d.path = big;
	REQUIRE(df_write_dso(x.w, &d) == -ENAMETOOLONG, "long path");
	memset(t.comm, 'c', sizeof(t.comm));
	REQUIRE(df_write_task(x.w, &t) == -ENAMETOOLONG, "unterminated comm");
	REQUIRE(df_write_stack(x.w, 1, ips, 200, 57) == -E2BIG, "deep stack");
	REQUIRE(df_write_stack(x.w, 1, NULL, 1, 0) == -EINVAL, "NULL ips");
	REQUIRE(df_write_meta(NULL, "k", "v") == -EINVAL, "NULL writer");
	REQUIRE(df_write_sample(x.w, NULL) == -EINVAL, "NULL sample");
	/* Bad arguments are not sticky; long symbol names are cut. */
	REQUIRE(df_write_symbols(x.w, 9, &sym, 1) == 0, "long symbol");
	REQUIRE(df_writer_finish(x.w, &(struct df_end){ 0 }) == 0, "finish");
	wr_close(&x, &f);
	REQUIRE(df_read_mem(f.p, f.len, &log_ops, &got, &st) == 0, "%s",
	      st.error);
	line = strstr(got.p, "Y 9 10 1 ");
	REQUIRE(line && strcspn(line + 9, "\n") == DF_MAX_STRING,
	      "symbol name not cut at the limit");
	free(got.p);
	free(f.p);
	return 0;
}

static int test_symbols_split(void)
{
	size_t i, n = 50000;
	struct df_symbol *s = calloc(n, sizeof(*s));
	struct df_read_status st;
	struct sb got = { 0 };
	char (*names)[24] = calloc(n, sizeof(*names));
	struct file f;
	struct wr x;

	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "function_%zu", i);
		s[i].start = 0xffffffff81000000ull + (n - i) * 64;
		s[i].size = i % 100;
		s[i].name = names[i];
	}
	wr_open(&x);
	log_symbols(&x.exp, 5, s, n);
	wr_check(&x, df_write_symbols(x.w, 5, s, n));
	wr_check(&x, df_write_symbols(x.w, 6, NULL, 0));
	wr_end(&x, 0);
	wr_close(&x, &f);
	REQUIRE(!x.err, "write %d", x.err);
	REQUIRE(df_read_mem(f.p, f.len, &log_ops, &got, &st) == 0, "%s",
	      st.error);
	REQUIRE(sb_eq(&got, &x.exp), "symbols differ");
	free(s);
	free(names);
	free(got.p);
	free(x.exp.p);
	free(f.p);
	return 0;
}

/* Small three-block file; ends[] are the block ends, logs[] what precedes. */
struct small {
	struct file f;
	size_t ends[3];
	struct sb logs[3];
};

static void make_small(struct small *sm)
{
	static const uint64_t ips[] = { 0xffffffff81000000ull, 0x401000 };
	struct wr x;
	int i;

	wr_open(&x);
	wr_meta(&x, "arch", "x86_64");
	wr_stack(&x, 1, ips, 1, 1);
	wr_sample(&x, 100, 1, 1, 0, 1, 1);
	for (i = 0; i < 3; i++) {
		if (i == 1) {
			wr_sample(&x, 200, 1, 2, 1, 1, 1);
			wr_sample(&x, 300, 1, 1, 1, DF_STACK_NONE, 5);
		}
		if (i == 2)
			wr_end(&x, 3);
		else
			wr_check(&x, df_writer_flush(x.w));
		sm->ends[i] = (size_t)df_writer_bytes(x.w);
		sm->logs[i] = (struct sb){ 0 };
		sb_printf(&sm->logs[i], "%s", x.exp.p);
	}
	wr_close(&x, &sm->f);
	free(x.exp.p);
}

static void free_small(struct small *sm)
{
	int i;

	for (i = 0; i < 3; i++)
		free(sm->logs[i].p);
	free(sm->f.p);
}

static int check_prefix(const struct small *sm, size_t len, int rc,
			const struct df_read_status *st, const struct sb *got)
{
	int i, blocks = 0;

	for (i = 0; i < 3; i++)
		blocks += len >= sm->ends[i];
	if (len == 0)
		REQUIRE(rc == -ENODATA && !strcmp(st->error, "file is empty"),
		      "len 0: %d %s", rc, st->error);
	else if (!blocks)
		REQUIRE(rc == -EBADMSG && !strcmp(st->error, "file is truncated"),
		      "len %zu: %d %s", len, rc, st->error);
	else {
		REQUIRE(rc == 0, "len %zu: rc %d %s", len, rc, st->error);
		REQUIRE(st->incomplete == (len != sm->f.len), "len %zu", len);
		REQUIRE(st->blocks == (uint64_t)blocks, "len %zu", len);
		REQUIRE(sb_eq(got, &sm->logs[blocks - 1]), "len %zu log", len);
	}
	return 0;
}

static int test_truncation(void)
{
	struct df_read_status st;
	struct sb got = { 0 };
	struct small sm;
	size_t len;
	int rc;

	make_small(&sm);
	for (len = 0; len <= sm.f.len; len++) {
		/* Heap copy of exactly len bytes so ASan sees any overread. */
		uint8_t *cut = malloc(len ? len : 1);

		memcpy(cut, sm.f.p, len);
		sb_reset(&got);
		rc = df_read_mem(len ? cut : NULL, len, &log_ops, &got, &st);
		free(cut);
		if (check_prefix(&sm, len, rc, &st, &got))
			return 1;
		sb_reset(&got);
		rc = read_fd_prefix(&sm.f, len, &got, &st);
		if (check_prefix(&sm, len, rc, &st, &got))
			return 1;
	}
	free(got.p);
	free_small(&sm);
	return 0;
}

static int test_bit_flips(void)
{
	struct df_read_status st;
	struct sb got = { 0 };
	struct small sm;
	size_t bit, byte, undetected = 0;
	int rc, i, prefix;

	make_small(&sm);
	for (bit = 0; bit < sm.f.len * 8; bit++) {
		byte = bit / 8;
		sm.f.p[byte] ^= (uint8_t)(1u << (bit % 8));
		sb_reset(&got);
		rc = df_read_mem(sm.f.p, sm.f.len, &log_ops, &got, &st);
		sm.f.p[byte] ^= (uint8_t)(1u << (bit % 8));
		if (rc < 0) {
			REQUIRE(st.error[0], "bit %zu: no message", bit);
			continue;
		}
		/*
		 * A flip may go unnoticed (minor version, deflate padding
		 * bits) or look like a cut (a block length), but must never
		 * change the records delivered.
		 */
		for (i = 0, prefix = 0; i < 3; i++)
			prefix |= sb_eq(&got, &sm.logs[i]);
		REQUIRE(prefix, "bit %zu: wrong data delivered", bit);
		REQUIRE(st.incomplete || sb_eq(&got, &sm.logs[2]),
		      "bit %zu: data lost without notice", bit);
		undetected += !st.incomplete && byte != DF_OFF_VMINOR &&
			      byte != DF_OFF_VMINOR + 1;
	}
	/* Only padding bits at the end of each deflate stream, at most 7. */
	REQUIRE(undetected <= 3 * 7, "%zu undetected flips", undetected);
	free(got.p);
	free_small(&sm);
	return 0;
}

static int expect_err(const struct file *f, int want, const char *msg)
{
	struct df_read_status st;
	struct sb got = { 0 };
	int rc = df_read_mem(f->p, f->len, &log_ops, &got, &st);

	free(got.p);
	REQUIRE(rc == want, "rc %d want %d (%s)", rc, want, st.error);
	REQUIRE(!strncmp(st.error, msg, strlen(msg)), "error \"%s\" want \"%s\"",
	      st.error, msg);
	return 0;
}

static int test_versions(void)
{
	/* A 1.7 file: unknown record type, extra sample field, extra bytes. */
	static const uint8_t payload[] = {
		200, 3, 1, 2, 3,
		DF_REC_SAMPLE, 5, 0x22, 20, 5, 0x7f, 0x7f,
		DF_REC_META, 5, 1, 'k', 1, 'v', 0xee,
		DF_REC_END, 4, 1, 0, 0, 1,
	};
	struct df_read_status st;
	struct sb got = { 0 };
	struct file f;
	int rc;

	craft(&f, 1, 7, payload, sizeof(payload));
	rc = df_read_mem(f.p, f.len, &log_ops, &got, &st);
	REQUIRE(rc == 0 && !st.incomplete, "1.7: %d %s", rc, st.error);
	REQUIRE(st.version_minor == 7 && st.unknown_records == 1, "status");
	REQUIRE(!strcmp(got.p, "X 10 5 0 0 4294967295 1\nM k=v\nE 1 0 0 1\n"),
	      "got %s", got.p);
	df_put_le16(f.p + DF_OFF_VMAJOR, 3);
	if (expect_err(&f, -EPROTONOSUPPORT,
		       "unsupported file version 3.7 (this ebpf-tool reads 1.x and 2.x)"))
		return 1;
	df_put_le16(f.p + DF_OFF_VMAJOR, 0);
	if (expect_err(&f, -EPROTONOSUPPORT, "unsupported file version 0.7"))
		return 1;
	df_put_le16(f.p + DF_OFF_VMAJOR, 1);
	f.p[DF_OFF_BYTE_ORDER] = 2;
	if (expect_err(&f, -EBADMSG, "unsupported byte order 2"))
		return 1;
	f.p[DF_OFF_BYTE_ORDER] = 1;
	f.p[DF_OFF_FILE_RSVD + 2] = 1;
	if (expect_err(&f, -EBADMSG, "bad file header"))
		return 1;
	free(got.p);
	free(f.p);
	return 0;
}

/* Version 1.1: events, and samples of other events between plain ones. */
static int ev_log(void *ctx, const struct df_event *e)
{
	sb_printf(ctx, "V %u %u %s\n", e->id, e->kind, e->name);
	return 0;
}

static int ev_sample(void *ctx, const struct df_sample *s)
{
	sb_printf(ctx, "S%u ", s->event);
	log_sample(ctx, s);
	return 0;
}

static int test_events(void)
{
	static const struct df_ops ops = { .sample = ev_sample, .event = ev_log };
	struct df_event ev = { 1, DF_EVENT_TIME, "offcpu-time" };
	struct df_sample a = { 1000, 5, 6, 1, DF_STACK_NONE, 1, 0, 0, 0, 0 };
	struct df_sample b = { 900, 5, 7, 0, 3, 123456789, 1, 0, 0, 0 };
	struct df_sample c = { 1100, 5, 6, 1, DF_STACK_NONE, 1, 0, 0, 0, 0 };
	struct df_end end = { 3, 0, 1, DF_END_FINISHED };
	struct df_read_status st;
	struct df_writer *w;
	struct sb got = { 0 };
	struct file f;
	int fd = memfd(), rc;

	/* A 1.0 writer refuses what 1.0 cannot hold. */
	REQUIRE(!df_writer_new(&w, fd), "new");
	REQUIRE(df_write_event(w, &ev) == -EINVAL, "event in 1.0");
	REQUIRE(df_write_sample(w, &b) == -EINVAL, "event sample in 1.0");
	df_writer_free(w);
	REQUIRE(!ftruncate(fd, 0) && !lseek(fd, 0, SEEK_SET), "truncate");
	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_EVENTS), "new 1.1");
	REQUIRE(!df_write_event(w, &ev) && !df_write_sample(w, &a) &&
	      !df_write_sample(w, &b) && !df_write_sample(w, &c) &&
	      !df_writer_finish(w, &end), "write");
	df_writer_free(w);
	slurp(fd, &f);
	close(fd);
	rc = df_read_mem(f.p, f.len, &ops, &got, &st);
	REQUIRE(rc == 0 && st.version_minor == 1, "read: %d %s", rc, st.error);
	/* The plain samples' delta coding does not see the other event's. */
	REQUIRE(!strcmp(got.p, "V 1 2 offcpu-time\n"
		      "S0 X 1000 5 6 1 4294967295 1\n"
		      "S1 X 900 5 7 0 3 123456789\n"
		      "S0 X 1100 5 6 1 4294967295 1\n"), "got %s", got.p);
	free(got.p);
	free(f.p);
	return 0;
}

static int rv_sample(void *ctx, const struct df_sample *s)
{
	sb_printf(ctx, "S%u %d %lld\n", s->event, s->has_retval, (long long)s->retval);
	return 0;
}

/*
 * Return values travel in both record kinds, signed; a 1.1 writer refuses
 * them, and samples without one read back without one.
 */
static int test_retval(void)
{
	static const struct df_ops ops = { .sample = rv_sample };
	struct df_event ev = { 1, DF_EVENT_PROBE, "kretprobe:f" };
	struct df_sample a = { 1000, 5, 6, 1, DF_STACK_NONE, 1, 0, 3, 1, 0 };
	struct df_sample b = { 1001, 5, 6, 1, DF_STACK_NONE, 1, 1, -2, 1, 0 };
	struct df_sample c = { 1002, 5, 6, 1, DF_STACK_NONE, 1, 0, INT64_MIN, 1, 0 };
	struct df_sample d = { 1003, 5, 6, 1, DF_STACK_NONE, 1, 1, 0, 0, 0 };
	struct df_end end = { 4, 0, 1, DF_END_FINISHED };
	struct df_read_status st;
	struct df_writer *w;
	struct sb got = { 0 };
	struct file f;
	int fd = memfd(), rc;

	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_EVENTS), "new 1.1");
	REQUIRE(!df_write_event(w, &ev), "event");
	REQUIRE(df_write_sample(w, &a) == -EINVAL, "a return value in 1.1");
	REQUIRE(df_write_sample(w, &b) == -EINVAL, "an event's return value in 1.1");
	df_writer_free(w);
	REQUIRE(!ftruncate(fd, 0) && !lseek(fd, 0, SEEK_SET), "truncate");
	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_RETVAL), "new 1.2");
	REQUIRE(!df_write_event(w, &ev) && !df_write_sample(w, &a) &&
	      !df_write_sample(w, &b) && !df_write_sample(w, &c) &&
	      !df_write_sample(w, &d) && !df_writer_finish(w, &end), "write");
	df_writer_free(w);
	slurp(fd, &f);
	close(fd);
	rc = df_read_mem(f.p, f.len, &ops, &got, &st);
	REQUIRE(rc == 0 && st.version_minor == 2, "read: %d %s", rc, st.error);
	REQUIRE(!strcmp(got.p, "S0 1 3\nS1 1 -2\nS0 1 -9223372036854775808\nS1 0 0\n"),
	      "got %s", got.p);
	free(got.p);
	free(f.p);
	return 0;
}

static int iv_sample(void *ctx, const struct df_sample *s)
{
	sb_printf(ctx, "C %llu+%llu %u/%u %u %u x%llu\n", (unsigned long long)s->time_ns,
		  (unsigned long long)s->interval_ns, s->pid, s->tid, s->cpu, s->stack_id,
		  (unsigned long long)s->weight);
	return 0;
}

/*
 * Counted stacks (record --aggregate) are samples with an interval: they
 * read back whole, mixed with plain samples in one block; a 1.2 writer,
 * a count of 0 or an empty interval are refused; a reader of 1.2 would
 * see the same samples without the interval (the bit is past its fields).
 */
static int test_counts(void)
{
	static const struct df_ops ops = { .sample = iv_sample };
	static const struct df_count c[] = {
		{ 7, 7, 0, 10 }, { 7, 8, 1, 3 }, { 9, 9, DF_STACK_NONE, 1 },
		{ 4000000000u, 1, 2, 1ull << 40 },
	};
	static const struct df_count zero = { 7, 7, 0, 0 };
	struct df_sample plain = { 2000, 5, 6, 1, DF_STACK_NONE, 1, 0, 0, 0, 0 };
	struct df_end end = { 4, 0, 1, DF_END_FINISHED };
	struct df_read_status st;
	struct df_writer *w;
	struct sb got = { 0 };
	struct file f;
	int fd = memfd(), rc;

	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_RETVAL), "new 1.2");
	REQUIRE(df_write_counts(w, 1000, 500, c, 1) == -EINVAL, "counts in 1.2");
	df_writer_free(w);
	REQUIRE(!ftruncate(fd, 0) && !lseek(fd, 0, SEEK_SET), "truncate");
	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_AGGREGATE), "new 1.4");
	REQUIRE(df_write_counts(w, 1000, 500, &zero, 1) == -EINVAL, "a count of 0");
	REQUIRE(df_write_counts(w, 1000, 0, c, 1) == -EINVAL, "an empty interval");
	REQUIRE(!df_write_counts(w, 1000, 500, c, 4) && !df_write_sample(w, &plain) &&
		!df_write_counts(w, 1500, 500, c, 1) && !df_writer_finish(w, &end), "write");
	df_writer_free(w);
	slurp(fd, &f);
	close(fd);
	rc = df_read_mem(f.p, f.len, &ops, &got, &st);
	REQUIRE(rc == 0 && st.version_minor == DF_MINOR_AGGREGATE, "read: %d %s", rc, st.error);
	REQUIRE(!strcmp(got.p, "C 1000+500 7/7 4294967295 0 x10\n"
			       "C 1000+500 7/8 4294967295 1 x3\n"
			       "C 1000+500 9/9 4294967295 4294967295 x1\n"
			       "C 1000+500 4000000000/1 4294967295 2 x1099511627776\n"
			       "C 2000+0 5/6 1 4294967295 x1\n"
			       "C 1500+500 7/7 4294967295 0 x10\n"), "got %s", got.p);
	free(got.p);
	free(f.p);
	return 0;
}

static int sl_str(void *ctx, uint32_t id, const char *str)
{
	sb_printf(ctx, "T%u %s\n", id, str);
	return 0;
}

static int sl_line(void *ctx, uint32_t dso, uint64_t addr,
		   const struct df_src_frame *f, size_t n)
{
	sb_printf(ctx, "L%u %llx", dso, (unsigned long long)addr);
	for (size_t i = 0; i < n; i++)
		sb_printf(ctx, " %u/%u:%u@%u", f[i].func, f[i].file, f[i].line,
			  f[i].decl_line);
	sb_printf(ctx, "\n");
	return 0;
}

/* Source lines (1.3): a 1.2 writer refuses them; chains over the limit fail. */
static int test_srclines(void)
{
	static const struct df_ops ops = { .srcstr = sl_str, .srcline = sl_line };
	struct df_src_frame fr[DF_MAX_INLINE + 1] = {
		{ 1, 2, 21, 18 }, { 3, 2, 27, 25 },
	};
	struct df_end end = { 0, 0, 1, DF_END_FINISHED };
	struct df_read_status st;
	struct df_writer *w;
	struct sb got = { 0 };
	struct file f;
	int fd = memfd(), rc;

	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_RETVAL), "new 1.2");
	REQUIRE(df_write_srcstr(w, 1, "mix") == -EINVAL, "a string in 1.2");
	REQUIRE(df_write_srcline(w, 1, 0x10, fr, 2) == -EINVAL, "a line in 1.2");
	df_writer_free(w);
	REQUIRE(!ftruncate(fd, 0) && !lseek(fd, 0, SEEK_SET), "truncate");
	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_SRCLINES), "new 1.3");
	REQUIRE(df_write_srcstr(w, 0, "x") == -EINVAL, "string id 0");
	REQUIRE(df_write_srcline(w, 1, 0x10, fr, 0) == -EINVAL, "no frames");
	REQUIRE(df_write_srcline(w, 1, 0x10, fr, DF_MAX_INLINE + 1) == -E2BIG,
		"too many frames");
	REQUIRE(!df_write_srcstr(w, 1, "mix") && !df_write_srcstr(w, 2, "/s/a.c") &&
		!df_write_srcstr(w, 3, "heavy") &&
		!df_write_srcline(w, 7, 0x125e, fr, 2) &&
		!df_write_srcline(w, 7, UINT64_MAX, fr + 1, 1) &&
		!df_writer_finish(w, &end), "write");
	df_writer_free(w);
	slurp(fd, &f);
	close(fd);
	rc = df_read_mem(f.p, f.len, &ops, &got, &st);
	REQUIRE(rc == 0 && st.version_minor == 3, "read: %d %s", rc, st.error);
	REQUIRE(!strcmp(got.p, "T1 mix\nT2 /s/a.c\nT3 heavy\n"
			"L7 125e 1/2:21@18 3/2:27@25\nL7 ffffffffffffffff 3/2:27@25\n"),
		"got %s", got.p);
	free(got.p);
	free(f.p);
	return 0;
}

static int code_rec(void *ctx, const struct df_code *c)
{
	sb_printf(ctx, "K%u %llx", c->dso_id, (unsigned long long)c->start);
	for (uint32_t i = 0; i < c->len; i++)
		sb_printf(ctx, "%s%02x", i ? "" : " ", c->bytes[i]);
	for (size_t i = 0; i < c->n_lines; i++)
		sb_printf(ctx, " +%u=%u:%u", c->lines[i].offset, c->lines[i].file, c->lines[i].line);
	sb_printf(ctx, "\n");
	return 0;
}

/* Code (1.5): a 1.4 writer refuses it; lengths and rows out of order fail. */
static int test_code(void)
{
	static const struct df_ops ops = { .srcstr = sl_str, .code = code_rec };
	static uint8_t big[DF_MAX_CODE + 1];
	static const uint8_t bytes[] = { 0x31, 0xc0, 0x48, 0x89, 0xfa, 0xc3 };
	static const struct df_code_line rows[] = { { 0, 1, 3 }, { 2, 1, 4 }, { 5, 0, 0 } };
	static const struct df_code_line bad_order[] = { { 2, 1, 3 }, { 2, 1, 4 } };
	static const struct df_code_line past[] = { { 0, 1, 3 }, { 6, 1, 4 } };
	static const char want[] = "T1 /s/loop.c\nK7 1100 31c04889fac3 +0=1:3 +2=1:4 +5=0:0\n"
				   "K8 fffffffffffffffe 0000";
	struct df_code c = { 7, 0x1100, bytes, sizeof(bytes), rows, 3 }, k;
	struct df_end end = { 0, 0, 1, DF_END_FINISHED };
	struct df_read_status st;
	struct df_writer *w;
	struct sb got = { 0 };
	struct file f;
	int fd = memfd(), rc;

	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_AGGREGATE), "new 1.4");
	REQUIRE(df_write_code(w, &c) == -EINVAL, "code in 1.4");
	df_writer_free(w);
	REQUIRE(!ftruncate(fd, 0) && !lseek(fd, 0, SEEK_SET), "truncate");
	REQUIRE(!df_writer_new_minor(&w, fd, DF_MINOR_CODE), "new 1.5");
	k = c;
	k.len = 0;
	REQUIRE(df_write_code(w, &k) == -EINVAL, "no bytes");
	k = (struct df_code){ 7, 0, big, sizeof(big), NULL, 0 };
	REQUIRE(df_write_code(w, &k) == -E2BIG, "64 KiB + 1");
	k = c;
	k.lines = bad_order;
	k.n_lines = 2;
	REQUIRE(df_write_code(w, &k) == -EINVAL, "rows out of order");
	k.lines = past;
	REQUIRE(df_write_code(w, &k) == -EINVAL, "a row past the code");
	k = (struct df_code){ 8, UINT64_MAX - 1, big, DF_MAX_CODE, NULL, 0 };
	REQUIRE(!df_write_srcstr(w, 1, "/s/loop.c") && !df_write_code(w, &c) &&
		!df_write_code(w, &k) && !df_writer_finish(w, &end), "write");
	df_writer_free(w);
	slurp(fd, &f);
	close(fd);
	rc = df_read_mem(f.p, f.len, &ops, &got, &st);
	REQUIRE(rc == 0 && st.version_minor == DF_MINOR_CODE, "read: %d %s", rc, st.error);
	REQUIRE(!strncmp(got.p, want, strlen(want)), "got %.80s", got.p);
	REQUIRE(strlen(got.p) == strlen(want) + 2 * DF_MAX_CODE - 4 + 1 &&
		got.p[strlen(got.p) - 1] == '\n', "the 64 KiB record: %zu", strlen(got.p));
	free(got.p);
	free(f.p);
	return 0;
}

struct bad_case {
	const char *name;
	uint8_t payload[32];
	size_t len;
	const char *msg;
};

static const struct bad_case bad_records[] = {
	{ "huge record length", { 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0x7f }, 10, "truncated record" },
	{ "11-byte varint", { 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x01 }, 12, "bad varint" },
	{ "varint overflow", { 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	  0x80, 0x80, 0x02 }, 11, "bad varint" },
	{ "length past block", { 6, 5, 0, 0 }, 4, "truncated record" },
	{ "type only", { 6 }, 1, "truncated record" },
	{ "field past record", { 6, 2, 0x01, 2, 7 }, 5, "truncated record" },
	{ "huge string", { 1, 10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0x3f, 0 }, 12, "string too long" },
	{ "string 4097", { 1, 3, 0x81, 0x20, 0 }, 5, "string too long" },
	{ "string with nul", { 1, 4, 1, 0, 1, 'v' }, 6,
	  "string contains nul byte" },
	{ "comm 17", { 2, 7, 1, 0, 0, 0, 0, 17, 'x' }, 9, "string too long" },
	{ "build-id 65", { 3, 6, 1, 0, 1, 'p', 65, 0 }, 8,
	  "build-id too long" },
	{ "pid 2^32", { 4, 7, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0 }, 9,
	  "value out of range" },
	{ "frames 257", { 5, 4, 1, 0x81, 0x02, 0 }, 6, "too many frames" },
	{ "frames 200+57", { 5, 4, 1, 0xc8, 0x01, 57 }, 6, "too many frames" },
	{ "frames 2^64-1", { 5, 12, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x01, 0 }, 14, "too many frames" },
	{ "frames missing", { 5, 3, 1, 2, 0 }, 5, "truncated record" },
	{ "symbols 2^40", { 7, 7, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20 }, 9,
	  "too many symbols" },
	{ "symbols 1M short", { 7, 5, 1, 0x80, 0x80, 0x40, 0 }, 7,
	  "truncated record" },
	{ "symbol name nul", { 7, 6, 1, 1, 0, 0, 1, 0 }, 8,
	  "string contains nul byte" },
	{ "sample tid < 0", { 6, 3, 4, 0, 1 }, 5, "value out of range" },
	{ "sample tid huge", { 6, 12, 4, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x01 }, 14, "value out of range" },
	{ "sample cpu range", { 6, 8, 1, 0, 0xff, 0xff, 0xff, 0xff, 0x1f, 0 },
	  10, "value out of range" },
	{ "sample interval 0", { 6, 3, 0x40, 0, 0 }, 5, "value out of range" },
	{ "sample interval past 2^64", { 6, 12, 0x40, 2, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0x01 }, 14, "value out of range" },
	{ "srcstr id 0", { 12, 3, 0, 1, 'x' }, 5, "value out of range" },
	{ "srcline no frames", { 13, 3, 1, 0, 0 }, 5,
	  "inline chain empty or too long" },
	{ "srcline 33 frames", { 13, 3, 1, 0, 33 }, 5,
	  "inline chain empty or too long" },
	{ "srcline frame cut", { 13, 6, 1, 0, 1, 1, 1, 1 }, 8, "truncated record" },
	{ "srcline line 2^32", { 13, 12, 1, 0, 1, 1, 1, 0x80, 0x80, 0x80, 0x80,
	  0x10, 0 }, 14, "value out of range" },
	{ "code empty", { 14, 4, 1, 0, 0, 0 }, 6,
	  "code empty or too long, or its lines out of order" },
	{ "code 65537 bytes", { 14, 5, 1, 0, 0x81, 0x80, 0x04 }, 7,
	  "code empty or too long, or its lines out of order" },
	{ "code bytes cut", { 14, 4, 1, 0, 3, 0x90 }, 6, "truncated record" },
	{ "code more rows than bytes", { 14, 5, 1, 0, 1, 0x90, 2 }, 7,
	  "code empty or too long, or its lines out of order" },
	{ "code row past the bytes", { 14, 9, 1, 0, 2, 0x90, 0x90, 1, 2, 0, 0 }, 11,
	  "code empty or too long, or its lines out of order" },
	{ "code rows at one offset", { 14, 12, 1, 0, 2, 0x90, 0x90, 2, 1, 0, 0, 0, 0, 0 },
	  14, "code empty or too long, or its lines out of order" },
	{ "code rows missing", { 14, 9, 1, 0, 2, 0x90, 0x90, 2, 1, 0, 0 }, 11,
	  "truncated record" },
	{ "code row line 2^32", { 14, 12, 1, 0, 1, 0x90, 1, 0, 0, 0x80, 0x80, 0x80, 0x80,
	  0x10 }, 14, "value out of range" },
};

static int test_bad_records(void)
{
	size_t i;
	struct file f;

	for (i = 0; i < sizeof(bad_records) / sizeof(bad_records[0]); i++) {
		const struct bad_case *c = &bad_records[i];
		int fail;

		craft(&f, 1, 0, c->payload, c->len);
		fail = expect_err(&f, -EBADMSG, c->msg);
		free(f.p);
		if (fail) {
			fprintf(stderr, "  in case \"%s\"\n", c->name);
			return 1;
		}
	}
	return 0;
}

static int test_bad_blocks(void)
{
	static const uint8_t end[] = { DF_REC_END, 4, 0, 0, 0, 0 };
	uint8_t *b;
	struct file f;
	int fail = 0;

	craft(&f, 1, 0, end, sizeof(end));
	b = f.p + DF_FILE_HDR_LEN;
	df_put_le32(b + DF_OFF_CLEN, UINT32_MAX);
	fail |= expect_err(&f, -EBADMSG, "block length 4294967295 exceeds limit");
	df_put_le32(b + DF_OFF_CLEN, 10);
	df_put_le32(b + DF_OFF_ULEN, DF_MAX_BLOCK + 1);
	fail |= expect_err(&f, -EBADMSG, "block length 16777217 exceeds limit");
	df_put_le32(b + DF_OFF_ULEN, 1 << 20);
	fail |= expect_err(&f, -EBADMSG, "block uncompressed length 1048576");
	df_put_le32(b + DF_OFF_CLEN, 0);
	fail |= expect_err(&f, -EBADMSG, "empty block");
	df_put_le32(b + DF_OFF_CLEN, (uint32_t)(f.len - DF_FILE_HDR_LEN -
						DF_BLOCK_HDR_LEN));
	df_put_le32(b + DF_OFF_ULEN, sizeof(end) + 1);
	fail |= expect_err(&f, -EBADMSG, "block length does not match");
	df_put_le32(b + DF_OFF_ULEN, sizeof(end));
	b[DF_OFF_CRC] ^= 1;
	fail |= expect_err(&f, -EBADMSG, "crc mismatch");
	b[DF_OFF_CRC] ^= 1;
	b[DF_OFF_KIND] = 2;
	fail |= expect_err(&f, -EBADMSG, "unknown block kind 2");
	b[DF_OFF_KIND] = DF_BLOCK_ZLIB;
	b[DF_OFF_BLOCK_RSVD] = 1;
	fail |= expect_err(&f, -EBADMSG, "bad block header");
	b[DF_OFF_BLOCK_RSVD] = 0;
	b[0] = 'X';
	fail |= expect_err(&f, -EBADMSG, "bad block magic");
	b[0] = 'E';
	b[DF_BLOCK_HDR_LEN + 2] ^= 0x55;
	fail |= expect_err(&f, -EBADMSG, "decompression failed");
	free(f.p);
	return fail;
}

static int test_bad_files(void)
{
	static const uint8_t end[] = { DF_REC_END, 4, 0, 0, 0, 0 };
	struct df_read_status st;
	struct file f = { (uint8_t *)"hello", 5 };
	int fail = 0, fd;

	fail |= expect_err(&f, -EBADMSG, "bad file magic");
	f.p = (uint8_t *)"EBPFTOOL\1";
	f.len = 9;
	fail |= expect_err(&f, -EBADMSG, "file is truncated");
	f.p = NULL;
	f.len = 0;
	fail |= expect_err(&f, -ENODATA, "file is empty");
	fd = memfd();
	REQUIRE(df_read_fd(fd, NULL, NULL, &st) == -ENODATA, "empty fd");
	close(fd);
	REQUIRE(df_read_fd(-1, NULL, NULL, NULL) == -EINVAL, "bad fd");
	craft(&f, 1, 0, end, sizeof(end));
	f.len = DF_FILE_HDR_LEN;	/* header only: killed before a block */
	fail |= expect_err(&f, -EBADMSG, "file is truncated");
	free(f.p);
	/* A complete block without END: delivered, flagged incomplete. */
	craft(&f, 1, 0, (const uint8_t *)"\x08\x02\x01\x05", 4);
	REQUIRE(df_read_mem(f.p, f.len, NULL, NULL, &st) == 0 && st.incomplete &&
	      !strcmp(st.error, "end record missing"), "no end: %s", st.error);
	free(f.p);
	return fail;
}

static int test_callback_stop(void)
{
	struct df_read_status st;
	struct sb got = { 0 };
	struct small sm;
	int rc;

	make_small(&sm);
	sample_limit = 2;
	rc = df_read_mem(sm.f.p, sm.f.len, &log_ops, &got, &st);
	sample_limit = -1;
	REQUIRE(rc == -ECANCELED && !st.error[0], "rc %d %s", rc, st.error);
	REQUIRE(strstr(got.p, "X 200") && !strstr(got.p, "X 300"), "stopped late");
	free(got.p);
	free_small(&sm);
	return 0;
}

static int test_write_errors(void)
{
	struct df_writer *w = NULL;
	struct df_sample s = { 1, 2, 3, 0, 4, 1, 0, 0, 0, 0 };
	int fd = open("/dev/full", O_WRONLY), pfd[2], rc;

	REQUIRE(fd >= 0, "open /dev/full");
	REQUIRE(df_writer_new(&w, fd) == -ENOSPC && !w, "header on full disk");
	close(fd);
	signal(SIGPIPE, SIG_IGN);
	REQUIRE(!pipe(pfd), "pipe");
	REQUIRE(df_writer_new(&w, pfd[1]) == 0, "new");
	close(pfd[0]);
	REQUIRE(df_write_sample(w, &s) == 0, "buffered sample");
	rc = df_writer_flush(w);
	REQUIRE(rc == -EPIPE, "flush to closed pipe: %d", rc);
	REQUIRE(df_write_sample(w, &s) == -EPIPE, "error not sticky");
	REQUIRE(df_writer_finish(w, &(struct df_end){ 0 }) == -EPIPE, "finish");
	df_writer_free(w);
	df_writer_free(NULL);
	close(pfd[1]);
	signal(SIGPIPE, SIG_DFL);
	return 0;
}

/*
 * 100k samples, 10 ms apart on each of 2 CPUs ticking together, 4
 * processes of 2 threads, 200 stacks.  switch_pct is the chance that a
 * CPU runs another thread than at its previous tick.
 */
static int sample_size(unsigned int switch_pct, double max_bytes)
{
	uint64_t ips[12], t = 1700000000000000000ull;
	uint32_t cur[2] = { 1000, 1002 };
	size_t i, j, ulen = 0, off;
	unsigned int seed = 1;
	struct file f;
	struct wr x;

	wr_open(&x);
	for (i = 0; i < 200; i++) {
		for (j = 0; j < 12; j++)
			ips[j] = (j < 4 ? 0xffffffff81000000ull :
				  0x55555555a000ull) + (i * 7919 + j * 104729) %
				 0x200000;
		wr_check(&x, df_write_stack(x.w, (uint32_t)i * 37, ips, 4, 8));
	}
	for (i = 0; i < 100000; i++) {
		uint32_t cpu = i % 2, tid;
		struct df_sample s;

		if (cpu == 0)
			t += 10000000 + rand_r(&seed) % 20000 - 10000;
		if ((unsigned int)rand_r(&seed) % 100 < switch_pct)
			cur[cpu] = 1000 + (uint32_t)rand_r(&seed) % 8;
		tid = cur[cpu];
		s = (struct df_sample){ t + cpu * (rand_r(&seed) % 5000),
					tid & ~1u, tid, cpu,
					(rand_r(&seed) % 200) * 37, 1, 0, 0, 0, 0 };
		wr_check(&x, df_write_sample(x.w, &s));
	}
	wr_end(&x, 100000);
	REQUIRE(!x.err, "write");
	wr_close(&x, &f);
	for (off = DF_FILE_HDR_LEN; off + DF_BLOCK_HDR_LEN <= f.len;
	     off += DF_BLOCK_HDR_LEN + df_get_le32(f.p + off + DF_OFF_CLEN))
		ulen += df_get_le32(f.p + off + DF_OFF_ULEN);
	printf("INFO: %u%% task switches: %zu bytes, %.2f bytes/sample, "
	       "%.2f before zlib\n", switch_pct, f.len, f.len / 100000.0,
	       ulen / 100000.0);
	REQUIRE(f.len < 100000 * max_bytes, "too big: %zu", f.len);
	free(x.exp.p);
	free(f.p);
	return 0;
}

/* The cases above on files of version 2.0: STACK bases, SAMPLES columns. */
static int in_v2(int (*fn)(void))
{
	int rc;

	wr_major = 2;
	rc = fn();
	wr_major = 1;
	return rc;
}

static int test_round_trip_v2(void) { return in_v2(test_round_trip); }
static int test_pipe_v2(void) { return in_v2(test_pipe); }
static int test_truncation_v2(void) { return in_v2(test_truncation); }
static int test_bit_flips_v2(void) { return in_v2(test_bit_flips); }

/* Informational, with a loose bound so a size regression fails. */
static int test_sample_size(void)
{
	return sample_size(10, 5.0) || sample_size(100, 7.0);
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "round_trip", test_round_trip },
	{ "pipe", test_pipe },
	{ "writer_limits", test_writer_limits },
	{ "symbols_split", test_symbols_split },
	{ "truncation_every_offset", test_truncation },
	{ "bit_flips", test_bit_flips },
	{ "versions", test_versions },
	{ "events", test_events },
	{ "return values", test_retval },
	{ "counted stacks", test_counts },
	{ "source lines", test_srclines },
	{ "code", test_code },
	{ "bad_records", test_bad_records },
	{ "bad_blocks", test_bad_blocks },
	{ "bad_files", test_bad_files },
	{ "callback_stop", test_callback_stop },
	{ "write_errors", test_write_errors },
	{ "sample_size", test_sample_size },
	{ "round_trip 2.0", test_round_trip_v2 },
	{ "pipe 2.0", test_pipe_v2 },
	{ "truncation_every_offset 2.0", test_truncation_v2 },
	{ "bit_flips 2.0", test_bit_flips_v2 },
};

int main(void)
{
	size_t i;
	int failed = 0;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int rc = tests[i].fn();

		printf("%s: %s\n", rc ? "FAIL" : "PASS", tests[i].name);
		fflush(stdout);
		failed |= rc;
	}
	return failed;
}
