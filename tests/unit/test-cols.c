/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Version 2.0 of the data file (src/data/datafile-cols.c): stacks coded
 * against an earlier stack, samples in columns.  A file written as 2.0
 * must read back as the same samples, each with the frames its stack had
 * when it was written, as the file written as 1.4; damaged record data
 * (a valid CRC over wrong bytes) must give an error, never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "check.h"
#include "data/datafile.h"
#include "data/datafile-cols.h"
#include "data/datafile-format.h"

/* ---- a log of samples with their frames resolved --------------------- */

#define MAX_IDS 65536	/* stack ids of the test files are below */

struct log {
	char *p;
	size_t len, cap;
	char **frames;		/* by stack id, MAX_IDS of them */
	size_t n_ids;		/* one more than the largest id seen */
	unsigned int other_tasks;
	char comm[1024][DF_MAX_COMM + 1];	/* by tid mod 1024 */
};

__attribute__((format(printf, 2, 3)))
static void log_printf(struct log *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (l->len + (size_t)n + 1 > l->cap) {
		l->cap = (l->len + (size_t)n + 1) * 2;
		l->p = realloc(l->p, l->cap);
		if (!l->p)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(l->p + l->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	l->len += (size_t)n;
}

static void log_free(struct log *l)
{
	free(l->p);
	for (size_t i = 0; i < l->n_ids; i++)
		free(l->frames[i]);
	free(l->frames);
	memset(l, 0, sizeof(*l));
}

static int on_stack(void *ctx, uint32_t id, const uint64_t *ips, uint16_t nk, uint16_t nu)
{
	struct log *l = ctx;
	char *s = malloc(24 * ((size_t)nk + nu) + 16), *p = s;

	if (!l->frames)
		l->frames = calloc(MAX_IDS, sizeof(*l->frames));
	if (!s || !l->frames || id >= MAX_IDS)
		abort();
	if (id >= l->n_ids)
		l->n_ids = (size_t)id + 1;
	p += sprintf(p, "%u/%u:", nk, nu);
	for (size_t i = 0; i < (size_t)nk + nu; i++)
		p += sprintf(p, " %llx", (unsigned long long)ips[i]);
	free(l->frames[id]);
	l->frames[id] = s;
	return 0;
}

static const char *frames_of(const struct log *l, uint32_t id)
{
	return id < l->n_ids && l->frames[id] ? l->frames[id] : "?";
}

static int on_sample(void *ctx, const struct df_sample *s)
{
	struct log *l = ctx;

	log_printf(l, "%s %u %llu %u %u %u %llu %llu %d %lld %llu [%s]\n", l->comm[s->tid % 1024],
		   s->event,
		   (unsigned long long)s->time_ns, s->cpu, s->pid, s->tid,
		   (unsigned long long)s->weight, (unsigned long long)s->interval_ns,
		   s->has_retval, (long long)s->retval, (unsigned long long)s->stack_id,
		   s->stack_id == DF_STACK_NONE ? "" : frames_of(l, s->stack_id));
	return 0;
}

/*
 * Each sample is logged with its task's comm at that moment: a task's
 * record keeps its place among the samples of that task, and may move
 * before those of others (pid 7 has none).
 */
static int on_task(void *ctx, const struct df_task *t)
{
	struct log *l = ctx;

	if (t->pid == 7)
		l->other_tasks++;
	snprintf(l->comm[t->tid % 1024], sizeof(l->comm[0]), "%s", t->comm);
	return 0;
}

static int on_end(void *ctx, const struct df_end *e)
{
	log_printf(ctx, "end %llu\n", (unsigned long long)e->samples);
	return 0;
}

static const struct df_ops ops = {
	.stack = on_stack, .sample = on_sample, .task = on_task, .end = on_end,
};

/* ---- the recording, written twice ----------------------------------- */

struct file {
	uint8_t *p;
	size_t len;
};

static int slurp(int fd, struct file *f)
{
	off_t end = lseek(fd, 0, SEEK_END);

	f->len = (size_t)end;
	f->p = malloc(f->len ? f->len : 1);
	return !f->p || pread(fd, f->p, f->len, 0) != (ssize_t)f->len;
}

/*
 * Stacks sharing outer frames at every depth, kernel frames coming and
 * going, redefined ids (one while samples of its old frames are pending),
 * ids out of order; samples on several CPUs, rows among the columns.
 */
static int write_recording(struct df_writer *w, unsigned int seed)
{
	uint64_t ips[DF_MAX_FRAMES];
	struct df_task t = { DF_TASK_COMM, 5, 7, 7, 0, "w" };
	unsigned int x = seed;
	int rc = df_writer_set_period(w, 1000000);

	for (unsigned int i = 0; !rc && i < 4000; i++) {
		struct df_sample s = { .time_ns = 1000000ull * (i / 2) + (x % 997),
				       .cpu = i % 3 == 2 ? 200 + i % 2 : i % 2,
				       .pid = 100 + (x >> 8) % 3, .weight = 1 };
		unsigned int depth = 2 + (x >> 4) % 40, nk = (x >> 12) % 3;
		uint32_t id = i < 3000 ? i / 3 : (x >> 3) % 1200;

		x = x * 1103515245u + 12345u;
		s.tid = s.pid + (x >> 20) % 2;
		for (unsigned int j = 0; j < depth; j++)
			ips[j] = j < nk ? 0xffffffff81000000ull + j * 64 :
				 0x400000 + ((j * 7 + (j < 2 ? x >> 24 : 0)) % 31) * 0x40;
		if (i % 3 == 0 || i >= 3000)
			rc = df_write_stack(w, id, ips, (uint16_t)nk, (uint16_t)(depth - nk));
		s.stack_id = i % 17 == 5 ? DF_STACK_NONE : id;
		if (i % 101 == 0)
			s.weight = 1ull << (i % 64);
		if (i % 211 == 0)
			s.cpu = DF_CPU_NONE;
		if (!rc && i % 97 == 0) {
			s.has_retval = 1;
			s.retval = -(int64_t)i;
		}
		if (!rc && i % 89 == 0)
			s.interval_ns = 1000;
		if (!rc && i % 83 == 0)
			s.event = 1;
		if (!rc && i % 500 == 0)
			rc = df_write_task(w, &t);
		if (!rc && i % 300 == 150) {
			struct df_task mine = { DF_TASK_COMM, s.time_ns, s.pid, s.tid, 0, "mine" };

			mine.comm[1] = (char)('a' + i % 26);
			rc = df_write_task(w, &mine);
		}
		if (!rc)
			rc = df_write_sample(w, &s);
		if (!rc && i % 700 == 699)
			rc = df_writer_flush(w);
		if (!rc && i == 1800)
			rc = df_writer_set_period(w, 0);
	}
	if (!rc) {
		struct df_end e = { 4000, 0, 1, DF_END_FINISHED };

		rc = df_writer_finish(w, &e);
	}
	return rc;
}

/*
 * Many distinct stacks and no flush: blocks end when they fill, in the
 * middle of the stacks, each of which is coded against its block.
 */
static int write_many(struct df_writer *w, unsigned int seed)
{
	uint64_t ips[64];
	unsigned int x = seed;
	int rc = df_writer_set_period(w, 100000);

	for (uint32_t i = 0; !rc && i < 60000; i++) {
		unsigned int depth = 8 + (x >> 5) % 24;

		x = x * 1103515245u + 12345u;
		for (unsigned int j = 0; j < depth; j++)
			ips[j] = 0x555555554000ull + ((j ? j * 7 : x >> 8) % 4099) * 0x10 +
				 (j < 3 ? (x >> (j * 4)) % 97 : 0);
		/* Now and then one like no other: a long record, written whole. */
		for (unsigned int j = 0; i % 7 == 0 && j < depth; j++)
			ips[j] = 0x7f0000000000ull + (uint64_t)(x = x * 1103515245u + 12345u) * 4096;
		rc = df_write_stack(w, i, ips, 0, (uint16_t)depth);
		if (!rc)
			rc = df_write_sample(w, &(struct df_sample){ .time_ns = 100000ull * i,
				.cpu = i % 2, .pid = 9, .tid = 9, .stack_id = i, .weight = 1 });
	}
	if (!rc)
		rc = df_writer_finish(w, &(struct df_end){ 60000, 0, 1, DF_END_FINISHED });
	return rc;
}

static int make_with(struct file *f, int v2, unsigned int seed,
		     int (*fn)(struct df_writer *, unsigned int))
{
	int fd = memfd_create("cols", 0), rc;
	struct df_writer *w = NULL;

	if (fd < 0)
		return -errno;
	rc = v2 ? df_writer_new_v2(&w, fd) : df_writer_new_minor(&w, fd, DF_MINOR_AGGREGATE);
	rc = rc ?: fn(w, seed);
	df_writer_free(w);
	if (!rc && slurp(fd, f))
		rc = -EIO;
	close(fd);
	return rc;
}

static int make(struct file *f, int v2, unsigned int seed)
{
	return make_with(f, v2, seed, write_recording);
}

static int test_full_blocks(void)
{
	struct file f1, f2;
	struct log *l1 = calloc(1, sizeof(*l1)), *l2 = calloc(1, sizeof(*l2));
	struct df_read_status st;
	int rc;

	REQUIRE(l1 && l2, "memory");
	REQUIRE(!make_with(&f1, 0, 3, write_many) && !make_with(&f2, 1, 3, write_many), "write");
	rc = df_read_mem(f1.p, f1.len, &ops, l1, &st);
	REQUIRE(rc == 0, "1.4: %d %s", rc, st.error);
	rc = df_read_mem(f2.p, f2.len, &ops, l2, &st);
	REQUIRE(rc == 0 && st.blocks > 3, "2.0: %d %s, %llu blocks", rc, st.error,
		(unsigned long long)st.blocks);
	REQUIRE(l1->len == l2->len && !memcmp(l1->p, l2->p, l1->len), "the samples differ");
	log_free(l1);
	log_free(l2);
	free(l1);
	free(l2);
	free(f1.p);
	free(f2.p);
	return 0;
}

static int test_same_samples(void)
{
	for (unsigned int seed = 1; seed < 6; seed++) {
		struct file f1, f2;
		struct log *l1 = calloc(1, sizeof(*l1)), *l2 = calloc(1, sizeof(*l2));
		struct df_read_status st;
		int rc;

		REQUIRE(l1 && l2, "memory");
		rc = make(&f1, 0, seed);
		REQUIRE(!rc, "write 1.4: %d", rc);
		rc = make(&f2, 1, seed);
		REQUIRE(!rc, "write 2.0: %d", rc);
		rc = df_read_mem(f1.p, f1.len, &ops, l1, &st);
		REQUIRE(rc == 0 && st.version_major == 1, "1.4: %d %s", rc, st.error);
		rc = df_read_mem(f2.p, f2.len, &ops, l2, &st);
		REQUIRE(rc == 0 && st.version_major == 2 && !st.incomplete &&
			!st.unknown_records, "2.0: %d %s", rc, st.error);
		REQUIRE(l1->len == l2->len && !memcmp(l1->p, l2->p, l1->len),
			"seed %u: the samples differ", seed);
		REQUIRE(l1->other_tasks == 8 && l2->other_tasks == 8, "seed %u: tasks %u %u",
			seed, l1->other_tasks, l2->other_tasks);
		REQUIRE(f2.len < f1.len, "seed %u: 2.0 not smaller: %zu vs %zu",
			seed, f2.len, f1.len);
		log_free(l1);
		log_free(l2);
		free(l1);
		free(l2);
		free(f1.p);
		free(f2.p);
	}
	return 0;
}

/* ---- damaged record data -------------------------------------------- */

/* The file's first block after the header (META-less here: the records). */
static int first_block(const struct file *f, uint8_t **out, size_t *len)
{
	const uint8_t *h = f->p + DF_FILE_HDR_LEN;
	uLongf ulen = df_get_le32(h + DF_OFF_ULEN);

	*out = malloc(ulen ? ulen : 1);
	*len = ulen;
	return !*out || uncompress(*out, &ulen, h + DF_BLOCK_HDR_LEN,
				   df_get_le32(h + DF_OFF_CLEN)) != Z_OK;
}

static void craft(struct file *f, const uint8_t *payload, size_t plen)
{
	uLongf clen = compressBound(plen);
	uint8_t *p = calloc(1, DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN + clen);

	if (!p)
		abort();
	memcpy(p, DF_FILE_MAGIC, DF_FILE_MAGIC_LEN);
	df_put_le16(p + DF_OFF_VMAJOR, DF_VERSION2_MAJOR);
	p[DF_OFF_BYTE_ORDER] = DF_BYTE_ORDER_LE;
	if (compress2(p + DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN, &clen, payload, plen, 1) != Z_OK)
		abort();
	memcpy(p + DF_FILE_HDR_LEN, DF_BLOCK_MAGIC, DF_BLOCK_MAGIC_LEN);
	df_put_le32(p + DF_FILE_HDR_LEN + DF_OFF_CLEN, (uint32_t)clen);
	df_put_le32(p + DF_FILE_HDR_LEN + DF_OFF_ULEN, (uint32_t)plen);
	df_put_le32(p + DF_FILE_HDR_LEN + DF_OFF_CRC, (uint32_t)crc32(0, payload, (uInt)plen));
	p[DF_FILE_HDR_LEN + DF_OFF_KIND] = DF_BLOCK_ZLIB;
	f->p = p;
	f->len = DF_FILE_HDR_LEN + DF_BLOCK_HDR_LEN + clen;
}

/*
 * Every byte of the first block's records changed three ways and the CRC
 * made right: the reader must return 0 or -EBADMSG with a message.  Run
 * under the sanitizers, this is where an overread would show.
 */
static int test_damaged_records(void)
{
	static const uint8_t deltas[] = { 0xff, 0x01, 0x80 };
	struct file f, g;
	uint8_t *rec;
	size_t len, bad = 0, tries = 0;

	REQUIRE(!make(&f, 1, 7), "write");
	REQUIRE(!first_block(&f, &rec, &len), "inflate");
	for (size_t i = 0; i < len; i += 1 + i / 128) {
		for (size_t d = 0; d < sizeof(deltas); d++) {
			struct log l = { 0 };
			struct df_read_status st;
			int rc;

			rec[i] ^= deltas[d];
			craft(&g, rec, len);
			rc = df_read_mem(g.p, g.len, &ops, &l, &st);
			rec[i] ^= deltas[d];
			REQUIRE(rc == 0 || (rc == -EBADMSG && st.error[0]),
				"byte %zu ^ %#x: rc %d", i, deltas[d], rc);
			bad += rc != 0;
			tries++;
			log_free(&l);
			free(g.p);
		}
	}
	/* Most column values have no wrong value: a share is noticed, not all. */
	REQUIRE(bad * 10 > tries, "only %zu of %zu damaged blocks noticed", bad, tries);
	free(rec);
	free(f.p);
	return 0;
}

/* Hand-made records: the limits hold whatever the writer would do. */
static int expect(const uint8_t *payload, size_t len, int want, const char *msg)
{
	struct log l = { 0 };
	struct df_read_status st;
	struct file f;
	int rc;

	craft(&f, payload, len);
	rc = df_read_mem(f.p, f.len, &ops, &l, &st);
	log_free(&l);
	free(f.p);
	REQUIRE(rc == want, "rc %d want %d (%s)", rc, want, st.error);
	REQUIRE(!strncmp(st.error, msg, strlen(msg)), "error \"%s\" want \"%s\"", st.error, msg);
	return 0;
}

static int test_bad_records(void)
{
	/* STACK: id 0, no base, 1 kernel + 1 user frame; then id 1 on base 0. */
	static const uint8_t good[] = {
		DF_REC_STACK, 6, 0, 0, 1, 1, 2, 4,
		DF_REC_STACK, 6, 0, 2, 1, 1, 0, 6,
		DF_REC_SAMPLES, 19, 2, 0xc0, 0x84, 0x3d, 2, 4, 2, 2, 0, 0, 2, 0, 0, 2, 1, 1, 2, 1, 1,
		DF_REC_END, 4, 2, 0, 0, 1,
	};
	static const uint8_t no_base[] = { DF_REC_STACK, 6, 0, 2, 1, 1, 0, 6, DF_REC_END, 4, 0, 0, 0, 1 };
	static const uint8_t big_drop[] = { DF_REC_STACK, 5, 0, 0, 0, 1, 4,
					    DF_REC_STACK, 6, 0, 2, 3, 1, 0, 6 };
	static const uint8_t too_deep[] = { DF_REC_STACK, 5, 0, 0, 0, 1, 4,
					    DF_REC_STACK, 7, 0, 2, 0, 0x80, 2, 0, 6 };
	static const uint8_t neg_kernel[] = { DF_REC_STACK, 5, 0, 0, 0, 1, 4,
					      DF_REC_STACK, 6, 0, 2, 0, 1, 1, 6 };
	static const uint8_t count_over[] = { DF_REC_SAMPLES, 17, 3, 0, 2, 4, 2, 2, 0, 0,
					      2, 0, 0, 2, 0, 0, 2, 1, 1 };
	static const uint8_t col_left[] = { DF_REC_SAMPLES, 17, 1, 0, 2, 4, 2, 2, 0, 0,
					    2, 0, 0, 2, 0, 0, 2, 1, 1 };
	static const uint8_t bad_task[] = { DF_REC_SAMPLES, 12, 1, 0, 1, 4, 1, 0, 1, 7, 1, 0, 1, 1 };
	static const uint8_t bad_stack[] = { DF_REC_SAMPLES, 12, 1, 0, 1, 4, 1, 0, 1, 0, 1, 2, 1, 1 };
	static const uint8_t col_past[] = { DF_REC_SAMPLES, 12, 1, 0, 1, 4, 1, 0, 1, 0, 1, 0, 9, 1 };
	struct log l = { 0 };
	struct df_read_status st;
	struct file f;
	int rc;

	craft(&f, good, sizeof(good));
	rc = df_read_mem(f.p, f.len, &ops, &l, &st);
	REQUIRE(rc == 0 && !st.incomplete, "good: %d %s", rc, st.error);
	REQUIRE(l.p && !strcmp(l.p, " 0 2 0 0 0 1 0 0 0 0 [1/1: 1 3]\n"
				" 0 1000003 0 0 0 1 0 0 0 1 [1/1: 4 3]\nend 2\n"),
		"good: %s", l.p ? l.p : "");
	log_free(&l);
	free(f.p);
	return expect(no_base, sizeof(no_base), -EBADMSG, "base stack not defined before") ||
	       expect(big_drop, sizeof(big_drop), -EBADMSG, "too many frames") ||
	       expect(too_deep, sizeof(too_deep), -EBADMSG, "too many frames") ||
	       expect(neg_kernel, sizeof(neg_kernel), -EBADMSG, "value out of range") ||
	       expect(count_over, sizeof(count_over), -EBADMSG, "column length does not match") ||
	       expect(col_left, sizeof(col_left), -EBADMSG, "column length does not match") ||
	       expect(bad_task, sizeof(bad_task), -EBADMSG, "value out of range") ||
	       expect(bad_stack, sizeof(bad_stack), -EBADMSG, "value out of range") ||
	       expect(col_past, sizeof(col_past), -EBADMSG, "truncated record");
}

/* The frames held as bases stop at DF_MAX_HELD_FRAMES, on both sides alike. */
static int test_held_limit(void)
{
	struct df_stack_base base;
	char want[64];
	int fd = memfd_create("held", 0), rc;
	struct df_writer *w = NULL;
	uint64_t ips[DF_MAX_FRAMES];
	struct log l = { 0 };
	struct df_read_status st;
	struct file f;
	uint32_t n = DF_MAX_HELD_FRAMES / DF_MAX_FRAMES + 50, i;

	REQUIRE(fd >= 0 && !df_writer_new_v2(&w, fd), "new");
	for (i = 0, rc = 0; !rc && i < n; i++) {
		for (unsigned int j = 0; j < DF_MAX_FRAMES; j++)
			ips[j] = 0x400000 + (j == 0 ? i : j) * 16;
		rc = df_write_stack(w, i, ips, 0, DF_MAX_FRAMES);
	}
	rc = rc ?: df_write_sample(w, &(struct df_sample){ .stack_id = n - 1, .weight = 1 });
	/* The next block starts with none held: bases among its own stacks. */
	rc = rc ?: df_writer_flush(w);
	for (i = 0; !rc && i < 3; i++) {
		ips[0] = 0x500000 + i * 16;
		rc = df_write_stack(w, n + i, ips, 0, DF_MAX_FRAMES);
		REQUIRE(!rc && (df_writer_last_base(w, &base) == (i ? 0 : -ENOENT)) &&
			(!i || base.id == n + i - 1), "after the limit, stack %u", i);
	}
	rc = rc ?: df_write_sample(w, &(struct df_sample){ .stack_id = n + 2, .weight = 1 });
	rc = rc ?: df_writer_finish(w, &(struct df_end){ 2, 0, 0, DF_END_FINISHED });
	df_writer_free(w);
	REQUIRE(!rc && !slurp(fd, &f), "write %d", rc);
	close(fd);
	rc = df_read_mem(f.p, f.len, &ops, &l, &st);
	REQUIRE(rc == 0, "read %d %s", rc, st.error);
	snprintf(want, sizeof(want), "[0/256: %x 400010 400020 ", 0x400000 + (n - 1) * 16);
	REQUIRE(l.p && strstr(l.p, want), "last stack: %.80s", l.p ? l.p : "");
	REQUIRE(strstr(l.p, "[0/256: 500020 400010 400020 "), "after the limit: %.200s", l.p);
	log_free(&l);
	free(f.p);
	return 0;
}

/* What df_writer_last_base() tells the recorder, which skips work by it. */
static int test_last_base(void)
{
	static const uint64_t a[] = { 0xffffffff81000010ull, 0x401010, 0x402020, 0x403030 };
	static const uint64_t b[] = { 0x401099, 0x402020, 0x403030 };
	struct df_stack_base base;
	struct df_writer *w = NULL, *w1 = NULL;
	int fd = memfd_create("base", 0);

	REQUIRE(fd >= 0 && !df_writer_new_v2(&w, fd) && !df_writer_new(&w1, fd), "new");
	REQUIRE(!df_write_stack(w, 3, a, 1, 3), "stack a");
	REQUIRE(df_writer_last_base(w, &base) == -ENOENT, "the first stack has no base");
	REQUIRE(!df_write_stack(w, 4, b, 0, 3), "stack b");
	REQUIRE(!df_writer_last_base(w, &base) && base.id == 3 && base.n_kernel == 1 &&
		base.n == 4 && base.shared == 2, "base %u %u %u %u", base.id, base.n_kernel,
		base.n, base.shared);
	REQUIRE(!df_write_stack(w1, 4, b, 0, 3) && df_writer_last_base(w1, &base) == -ENOENT,
		"1.x: no bases");
	REQUIRE(df_writer_last_base(NULL, &base) == -EINVAL, "NULL");
	df_writer_free(w);
	df_writer_free(w1);
	close(fd);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "2.0 reads as the same samples as 1.4", test_same_samples },
	{ "2.0 blocks that end as they fill", test_full_blocks },
	{ "2.0 damaged records", test_damaged_records },
	{ "2.0 bad records", test_bad_records },
	{ "2.0 frames held as bases", test_held_limit },
	{ "2.0 the base of the last stack", test_last_base },
};

int main(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int rc = tests[i].fn();

		printf("%s: %s\n", rc ? "FAIL" : "PASS", tests[i].name);
		fflush(stdout);
		failed |= rc;
	}
	return failed;
}
