/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the reader of the reading commands (src/data/reader.c):
 * inputs, directories, the --time window, and its one error channel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/datafile.h"
#include "data/reader.h"
#include "check.h"

static char dir[] = "/tmp/test-reader-XXXXXX";

/* A recording started at 1 s whose samples are at 1 + t[i] seconds. */
static void write_file(const char *name, const double *t, size_t n)
{
	char path[256];
	struct df_end end = { 0 };
	struct df_writer *w;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || df_writer_new(&w, fileno(f)) < 0)
		exit(2);
	df_write_meta(w, DF_META_EVENT, "cpu-clock");
	df_write_meta(w, DF_META_START_MONOTONIC, "1000000000");
	for (size_t i = 0; i < n; i++) {
		struct df_sample smp = { .time_ns = 1000000000ull + (uint64_t)(t[i] * 1e9),
					 .pid = 7, .tid = 7, .stack_id = DF_STACK_NONE,
					 .weight = 1 };

		df_write_sample(w, &smp);
	}
	df_writer_finish(w, &end);
	df_writer_free(w);
	fclose(f);
}

struct seen {
	uint64_t samples, first_ns;
	int fail_at;		/* fail with -E2BIG at this sample (1, 2, ...) */
	struct reader *r;
};

static int on_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct seen *c = ctx;

	(void)s;
	if (!c->samples++)
		c->first_ns = smp->time_ns;
	if (c->fail_at && c->samples == (uint64_t)c->fail_at) {
		reader_fail(c->r, "too many of them");
		return -E2BIG;
	}
	return 0;
}

static const struct session_ops ops = { .sample = on_sample };

static int files_done;

static void file_done(void *ctx, const char *name, const struct session_status *st)
{
	(void)ctx;
	(void)name;
	(void)st;
	files_done++;
}

static int read_inputs(const char *const *inputs, size_t n, struct reader *r,
		       struct seen *c, const struct reader_opts *with)
{
	struct reader_opts o = { 0 };

	if (with)
		o = *with;
	o.inputs = inputs;
	o.n_inputs = n;
	if (reader_init(r, &o))
		return -ENOMEM;
	r->file_done = file_done;
	c->r = r;
	return reader_read(r, &ops, c);
}

static void test_files(void)
{
	char a[256], d[256], missing[256];
	const char *one[1], *two[2];
	struct reader r;
	struct seen c = { 0 };
	int err;

	snprintf(a, sizeof(a), "%s/data/a.data", dir);
	snprintf(d, sizeof(d), "%s/data", dir);
	snprintf(missing, sizeof(missing), "%s/missing.data", dir);
	one[0] = a;
	files_done = 0;
	err = read_inputs(one, 1, &r, &c, NULL);
	CHECK("one file: its samples, named by its path",
	      !err && c.samples == 3 && r.st.samples == 3 && !strcmp(r.name, a) &&
	      files_done == 1 && one[0] == a);
	reader_release(&r);

	memset(&c, 0, sizeof(c));
	one[0] = d;
	files_done = 0;
	err = read_inputs(one, 1, &r, &c, NULL);
	CHECK("a directory: its data files in name order, the rest left alone",
	      !err && c.samples == 5 && r.st.samples == 5 && files_done == 2 &&
	      c.first_ns == 1100000000ull && !strcmp(r.name, "the inputs"));
	reader_release(&r);

	memset(&c, 0, sizeof(c));
	two[0] = missing;
	two[1] = a;
	err = read_inputs(two, 2, &r, &c, NULL);
	CHECK("a missing file: the parts of one message",
	      err == -ENOENT && r.error.err == -ENOENT && r.error.what &&
	      !strcmp(r.error.what, "cannot open") && !strcmp(r.error.name, missing) &&
	      !r.error.why[0] && !r.error.hint && !r.error.at_offset && !c.samples);
	reader_release(&r);

	snprintf(d, sizeof(d), "%s/empty", dir);
	one[0] = d;
	err = read_inputs(one, 1, &r, &c, NULL);
	CHECK("a directory without data files says so",
	      err == -ENOENT && !r.error.what && !strcmp(r.error.name, d) &&
	      strstr(r.error.why, "no ebpf-tool data files"));
	reader_release(&r);
}

static void test_default(void)
{
	char cwd[256], empty[256];
	struct reader r;
	struct seen c = { 0 };
	int err;

	snprintf(empty, sizeof(empty), "%s/empty", dir);
	if (!getcwd(cwd, sizeof(cwd)) || chdir(empty))
		exit(2);
	err = read_inputs(NULL, 0, &r, &c, NULL);
	CHECK("no input: ebpf-tool.data, and what to do when it is missing",
	      err == -ENOENT && !strcmp(r.name, READER_DEFAULT_INPUT) &&
	      !strcmp(r.error.name, READER_DEFAULT_INPUT) && r.error.hint &&
	      strstr(r.error.hint, "ebpf-tool record"));
	reader_release(&r);
	if (chdir(cwd))
		exit(2);
}

static void test_window_and_failure(void)
{
	char a[256], b[256];
	const char *two[2] = { a, b };
	struct reader_opts o = { .time_given = true, .time_start = 150000000ull,
				 .time_end = 2500000000ull };
	struct reader r;
	struct seen c = { 0 };
	int err;

	snprintf(a, sizeof(a), "%s/data/a.data", dir);
	snprintf(b, sizeof(b), "%s/data/b.data", dir);
	/* a: 0.1 0.2 3.0; b: 0.5 1.5.  [0.15, 2.5) of the first file's start. */
	err = read_inputs(two, 2, &r, &c, &o);
	CHECK("--time passes the window's samples of every file",
	      !err && c.samples == 3 && c.first_ns == 1200000000ull && r.st.samples == 5);
	reader_release(&r);

	memset(&c, 0, sizeof(c));
	c.fail_at = 2;
	err = read_inputs(two, 2, &r, &c, NULL);
	CHECK("a callback's words reach the error, with the block's offset",
	      err == -E2BIG && r.error.err == -E2BIG && !strcmp(r.error.why, "too many of them") &&
	      r.error.at_offset && !strcmp(r.error.name, a) && !r.error.what);
	reader_release(&r);
	CHECK("the name of standard input",
	      !strcmp(reader_input_name("-"), "standard input") &&
	      !strcmp(reader_input_name("x.data"), "x.data"));
}

int main(void)
{
	static const double ta[] = { 0.1, 0.2, 3.0 }, tb[] = { 0.5, 1.5 };
	char path[256];
	FILE *f;

	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/data", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/empty", dir);
	mkdir(path, 0700);
	write_file("data/a.data", ta, 3);
	write_file("data/b.data", tb, 2);
	snprintf(path, sizeof(path), "%s/data/notes.txt", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("not a recording\n", f);
		fclose(f);
	}
	test_files();
	test_default();
	test_window_and_failure();
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) == -1)
		return 2;
	return check_summary();
}
