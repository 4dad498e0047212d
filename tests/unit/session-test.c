/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the reading state: mappings replaced by later ones (exec,
 * dlopen), a forked process's inherited maps, symbol lookup with sizes of
 * 0 and symbols arriving in batches; two files read into one session
 * (the pieces of a rotated recording) and their events.  A PASS or FAIL
 * line for each group of checks, as unit.exp reads them; exit 0 when every
 * check passes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/datafile.h"
#include "data/session.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

/* The result of the checks since the last result. */
static void result(const char *name)
{
	static int reported;

	printf("%s: %s\n", failures > reported ? "FAIL" : "PASS", name);
	fflush(stdout);
	reported = failures;
}

static void map(struct df_writer *w, uint32_t pid, uint64_t start, uint64_t len,
		uint64_t pgoff, uint32_t dso)
{
	struct df_mmap m = { .pid = pid, .start = start, .len = len,
			     .pgoff = pgoff, .dso_id = dso };

	df_write_mmap(w, &m);
}

static void dso(struct df_writer *w, uint32_t id, uint32_t flags, const char *path)
{
	struct df_dso d = { .dso_id = id, .flags = flags, .path = path };

	df_write_dso(w, &d);
}

static int read_all(const char *path, struct session **s, struct session_status *st)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (session_new(s))
		return -1;
	return session_read_mem(*s, buf, n, NULL, NULL, st);
}

static void expect(struct session *s, uint32_t pid, uint64_t ip, const char *dso,
		   uint64_t addr, const char *label)
{
	struct sess_frame f;
	int err = session_resolve(s, pid, ip, false, &f);

	CHECK(!err, "resolve 0x%" PRIx64 ": %d", ip, err);
	if (err)
		return;
	CHECK(!strcmp(f.dso->name, dso), "0x%" PRIx64 ": dso %s, want %s", ip,
	      f.dso->name, dso);
	CHECK(f.addr == addr, "0x%" PRIx64 ": addr 0x%" PRIx64 ", want 0x%" PRIx64,
	      ip, f.addr, addr);
	CHECK(!strcmp(f.label, label), "0x%" PRIx64 ": label %s, want %s", ip,
	      f.label, label);
}

static void write_file(const char *path)
{
	static const struct df_symbol a1[] = { { 0x1100, 0x100, "a_one" } };
	/* Size 0: up to the next symbol, or 4 KiB after the last one. */
	static const struct df_symbol a2[] = {
		{ 0x1800, 0, "a_zero" }, { 0x2000, 0, "a_last" },
	};
	static const struct df_symbol k[] = { { 0xffffffff81000000ull, 0x10, "k_fn" } };
	struct df_task fork = { .kind = DF_TASK_FORK, .pid = 2, .tid = 2, .ppid = 1 };
	struct df_end end = { 0 };
	struct df_writer *w;
	FILE *f = fopen(path, "wb");

	if (!f || df_writer_new(&w, fileno(f)) < 0)
		exit(2);
	dso(w, 1, 0, "/lib/a.so");
	dso(w, 2, 0, "/lib/b.so");
	dso(w, 3, DF_DSO_KERNEL, "[kernel.kallsyms]");
	/* a.so at 0x10000, ELF address 0x1000 at its start. */
	map(w, 1, 0x10000, 0x4000, 0x1000, 1);
	/* b.so over its middle page: a.so is cut in two around it. */
	map(w, 1, 0x11000, 0x1000, 0x0, 2);
	/* A map over a.so's first half-page trims its front. */
	map(w, 1, 0xf800, 0x1000, 0x0, 2);
	df_write_symbols(w, 1, a1, 1);
	df_write_symbols(w, 1, a2, 2);
	df_write_symbols(w, 3, k, 1);
	df_write_task(w, &fork);
	/* Process 3 exec'ed: one map over everything replaces all. */
	map(w, 3, 0x10000, 0x4000, 0x1000, 1);
	map(w, 3, 0x11000, 0x1000, 0, 2);
	map(w, 3, 0x0, 0x100000, 0, 2);
	map(w, 4, 0x10000, 0x4000, 0x1000, 1);
	df_writer_finish(w, &end);
	df_writer_free(w);
	fclose(f);
}

/*
 * A second piece of a recording: its own ids, a.so now dso 7 and b.so dso 1,
 * so an id of the first file must not leak into the second; two events.
 */
static void write_second(const char *path)
{
	static const struct df_symbol b[] = { { 0x100, 0x10, "b_fn" } };
	struct df_event off = { 1, DF_EVENT_TIME, "offcpu-time" };
	struct df_sample smp = { 5, 9, 9, 0, DF_STACK_NONE, 1000, 1, 0, 0, 0 };
	struct df_end end = { 0 };
	struct df_writer *w;
	FILE *f = fopen(path, "wb");

	if (!f || df_writer_new_minor(&w, fileno(f), DF_MINOR_EVENTS) < 0)
		exit(2);
	df_write_meta(w, DF_META_EVENT, "cpu-clock");
	df_write_event(w, &off);
	dso(w, 7, 0, "/lib/a.so");
	dso(w, 1, 0, "/lib/b.so");
	map(w, 9, 0x40000, 0x1000, 0, 1);
	df_write_symbols(w, 1, b, 1);
	df_write_sample(w, &smp);
	df_writer_finish(w, &end);
	df_writer_free(w);
	fclose(f);
}

static int on_second(void *ctx, struct session *s, const struct df_sample *smp)
{
	const struct sess_event **ev = ctx;

	*ev = session_event(s, smp->event);
	return 0;
}

static void test_two_files(struct session *s, const char *path)
{
	static const struct session_ops ops = { .sample = on_second };
	const struct sess_event *ev = NULL, *e0;
	struct session_status st;
	struct sess_frame f1, f2;
	FILE *fp;
	static char buf[1 << 16];
	size_t n;
	int err;

	err = session_resolve(s, 4, 0x10150, false, &f1);
	write_second(path);
	fp = fopen(path, "rb");
	n = fp ? fread(buf, 1, sizeof(buf), fp) : 0;
	if (fp)
		fclose(fp);
	err = err ?: session_read_mem(s, buf, n, &ops, &ev, &st);
	CHECK(!err, "second file: %d %s %s", err, st.df.error, st.error);
	CHECK(ev && !strcmp(ev->name, "offcpu-time") && ev->kind == DF_EVENT_TIME,
	      "the event of the second file's sample");
	e0 = session_event(s, 0);
	CHECK(e0 && !strcmp(e0->name, "cpu-clock") && e0 != ev, "event 0 is the META event");
	/* b.so under its new id, and the same DSO object as in the first file. */
	err = session_resolve(s, 9, 0x40104, false, &f2);
	CHECK(!err && f2.sym && !strcmp(f2.sym, "b_fn") && !strcmp(f2.dso->name, "b.so"),
	      "dso 1 of the second file is b.so");
	err = session_resolve(s, 4, 0x10150, false, &f2);
	CHECK(!err && f2.dso == f1.dso && f2.sym && !strcmp(f2.sym, "a_one"),
	      "a mapping of the first file keeps its DSO");
}

/*
 * CODE records (1.5): a function's code and its rows by DSO and start,
 * the first description kept; a row naming an undefined string, or code
 * of an undefined DSO, rejects the file.
 */
static int write_code(const char *path, int bad)
{
	static const uint8_t bytes[] = { 0x90, 0x90, 0x90, 0x90, 0xc3 };
	static const uint8_t other[] = { 0xcc };
	static const struct df_code_line rows[] = { { 1, 1, 10 }, { 3, 0, 0 } };
	static const struct df_code_line undefined[] = { { 0, 9, 1 } };
	struct df_code c = { 1, 0x1100, bytes, sizeof(bytes), rows, 2 };
	struct df_end end = { 0 };
	struct df_writer *w;
	int fd = open(path, O_WRONLY | O_TRUNC), err;

	if (fd < 0 || df_writer_new_minor(&w, fd, DF_MINOR_CODE))
		return -1;
	dso(w, 1, 0, "/usr/bin/loop");
	map(w, 1, 0x555555555000ull, 0x1000, 0x1000, 1);
	err = df_write_srcstr(w, 1, "/s/loop.c") ?: df_write_code(w, &c);
	c = (struct df_code){ 1, 0x1100, other, 1, NULL, 0 };
	err = err ?: df_write_code(w, &c);
	if (bad == 1)
		c = (struct df_code){ 1, 0x1200, other, 1, undefined, 1 };
	else if (bad == 2)
		c = (struct df_code){ 5, 0x1200, other, 1, NULL, 0 };
	err = err ?: df_write_code(w, &c) ?: df_writer_finish(w, &end);
	df_writer_free(w);
	close(fd);
	return err;
}

static void test_code(const char *path)
{
	const struct sess_code_line *l0, *l1, *l2, *l4;
	const struct sess_code *c = NULL;
	struct session_status st;
	struct session *s = NULL;
	struct sess_frame f;
	int err;

	err = write_code(path, 0) ?: read_all(path, &s, &st);
	CHECK(!err, "read: %d %s %s", err, st.df.error, st.error);
	err = err ?: session_resolve(s, 1, 0x555555555102ull, false, &f);
	if (!err)
		c = session_code(f.dso, 0x1100);
	CHECK(c && c->len == 5 && c->bytes[4] == 0xc3 && c->n_lines == 2,
	      "the first description of 0x1100 is kept");
	CHECK(!session_code(f.dso, 0x1101), "no code at another start");
	if (c) {
		l0 = session_code_line(c, 0);
		l1 = session_code_line(c, 1);
		l2 = session_code_line(c, 2);
		l4 = session_code_line(c, 4);
		CHECK(!l0, "no row before the first");
		CHECK(l1 && l2 == l1 && l1->line == 10 && l1->file &&
		      !strcmp(l1->file, "/s/loop.c"), "a row covers up to the next");
		CHECK(l4 && l4->line == 0 && !l4->file, "the last row to the end");
		CHECK(!session_code_line(c, 5), "nothing past the code");
	}
	session_free(s);
	s = NULL;
	err = write_code(path, 1) ?: read_all(path, &s, &st);
	CHECK(err == -EBADMSG && strstr(st.error, "never defined"),
	      "a row of an undefined string: %d '%s'", err, st.error);
	session_free(s);
	s = NULL;
	err = write_code(path, 2) ?: read_all(path, &s, &st);
	CHECK(err == -EBADMSG && strstr(st.error, "dso that was never defined"),
	      "code of an undefined dso: %d '%s'", err, st.error);
	session_free(s);
}

int main(void)
{
	char path[] = "/tmp/session-test-XXXXXX", path2[] = "/tmp/session-test-XXXXXX";
	char path3[] = "/tmp/session-test-XXXXXX";
	struct session_status st;
	struct session *s = NULL;
	struct sess_frame f;
	int fd = mkstemp(path), err;

	if (fd < 0)
		return 2;
	close(fd);
	write_file(path);
	err = read_all(path, &s, &st);
	unlink(path);
	CHECK(!err, "read: %d %s %s", err, st.df.error, st.error);
	result("read a file of mappings, symbols and a fork");
	if (err)
		return 1;
	/* pid 1: b.so [f800,10800) a.so [10800,11000) b.so [11000,12000) a.so */
	expect(s, 1, 0xf900, "b.so", 0x100, "0x0000000000000100");
	expect(s, 1, 0x10150, "b.so", 0x950, "0x0000000000000950");
	expect(s, 1, 0x10900, "a.so", 0x1900, "a_zero");
	expect(s, 1, 0x11100, "b.so", 0x100, "0x0000000000000100");
	expect(s, 1, 0x12010, "a.so", 0x3010, "0x0000000000003010");
	expect(s, 1, 0x20000, "[unknown]", 0x20000, "[unknown]");
	result("later mappings cut and trim earlier ones");
	/* pid 2 forked from 1 and has its maps. */
	expect(s, 2, 0x10900, "a.so", 0x1900, "a_zero");
	expect(s, 2, 0x11100, "b.so", 0x100, "0x0000000000000100");
	result("a forked process has its parent's mappings");
	/* pid 3's last map replaced the others. */
	expect(s, 3, 0x10900, "b.so", 0x10900, "0x0000000000010900");
	result("an exec's mapping over everything replaces all");
	/* pid 4: whole symbols, and the 4 KiB guess for the last one. */
	expect(s, 4, 0x10150, "a.so", 0x1150, "a_one");
	expect(s, 4, 0x10250, "a.so", 0x1250, "0x0000000000001250");
	expect(s, 4, 0x10800, "a.so", 0x1800, "a_zero");
	expect(s, 4, 0x11fff, "a.so", 0x2fff, "a_last");
	expect(s, 4, 0x12000, "a.so", 0x3000, "0x0000000000003000");
	result("symbol extents: sized, size 0, the last one");
	err = session_resolve(s, 1, 0xffffffff81000008ull, true, &f);
	CHECK(!err && f.sym && !strcmp(f.sym, "k_fn") && f.sym_off == 8, "kernel symbol");
	err = session_resolve(s, 1, 0xffffffff81000010ull, true, &f);
	CHECK(!err && !f.sym && !strcmp(f.dso->name, "[kernel.kallsyms]") &&
	      !strcmp(f.label, "0xffffffff81000010"), "kernel address past k_fn");
	result("kernel symbols");
	fd = mkstemp(path2);
	CHECK(fd >= 0, "mkstemp %s: %s", path2, strerror(errno));
	if (fd >= 0) {
		close(fd);
		test_two_files(s, path2);
		unlink(path2);
	}
	result("two files in one session: their ids and events");
	fd = mkstemp(path3);
	CHECK(fd >= 0, "mkstemp %s: %s", path3, strerror(errno));
	if (fd >= 0) {
		close(fd);
		test_code(path3);
		unlink(path3);
	}
	result("functions' code and line rows (CODE records)");
	session_free(s);
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
