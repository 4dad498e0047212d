/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reader of the reading commands; see reader.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/reader.h"
#include "lib/util.h"

int reader_init(struct reader *r, const struct reader_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->o = *o;
	r->name = o->n_inputs ? reader_input_name(o->inputs[0]) : READER_DEFAULT_INPUT;
	return session_new(&r->s);
}

void reader_release(struct reader *r)
{
	session_free(r->s);
	free(r->error.name);
	memset(r, 0, sizeof(*r));
}

const char *reader_input_name(const char *input)
{
	return strcmp(input, "-") ? input : "standard input";
}

void reader_fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error.why, sizeof(r->error.why), fmt, ap);
	va_end(ap);
}

/* Fills r->error (keeping a callback's words) and returns err. */
static int fail(struct reader *r, int err, const char *what, const char *name,
		const char *why, const char *hint)
{
	struct reader_error *e = &r->error;

	e->err = err;
	e->what = what;
	free(e->name);
	e->name = strdup(name);
	if (why && !e->why[0])
		snprintf(e->why, sizeof(e->why), "%s", why);
	e->hint = hint;
	return err;
}

/* Passes on the samples of the --time window. */
static int gate_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct reader *r = ctx;
	uint64_t rel;

	/*
	 * Every META record precedes the first sample.  The first file read
	 * sets the origin: rotated files share one clock, so a window spans
	 * them all.
	 */
	if (!r->time_based) {
		r->time_base = session_start_ns(s, smp->time_ns);
		r->time_based = true;
	}
	rel = smp->time_ns > r->time_base ? smp->time_ns - r->time_base : 0;
	/* A counted stack is in the window when its interval overlaps it. */
	if (smp->interval_ns) {
		if (rel >= r->o.time_end || rel + smp->interval_ns <= r->o.time_start)
			return 0;
	} else if (rel < r->o.time_start || rel >= r->o.time_end) {
		return 0;
	}
	return r->ops->sample(r->ctx, s, smp);
}

static int read_file(struct reader *r, const char *path, struct session_status *st)
{
	static const struct session_ops gate_ops = { .sample = gate_sample };
	const struct session_ops *ops = r->ops;
	const char *name = reader_input_name(path);
	void *ctx = r->ctx;
	int fd = STDIN_FILENO, err;

	memset(st, 0, sizeof(*st));
	if (strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail(r, -errno, "cannot open", path, NULL,
				    errno == ENOENT && !strcmp(path, READER_DEFAULT_INPUT) ?
				    "run 'ebpf-tool record' first" : NULL);
	}
	if (r->o.time_given && ops && ops->sample) {
		ops = &gate_ops;
		ctx = r;
	}
	err = session_read_fd(r->s, fd, ops, ctx, st);
	if (fd != STDIN_FILENO)
		close(fd);
	if (!err) {
		if (r->file_done)
			r->file_done(r->file_ctx, name, st);
		return 0;
	}
	/* The callback's words first, then the session's, then the reader's. */
	fail(r, err, NULL, name, st->error[0] ? st->error : st->df.error, NULL);
	r->error.at_offset = r->error.why[0] != '\0';
	r->error.offset = st->df.error_offset;
	return err;
}

/* A data file by its magic: a directory may hold other files too. */
static bool is_data_file(const char *path)
{
	char magic[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool yes = fd >= 0 && read(fd, magic, sizeof(magic)) == sizeof(magic) &&
		   !memcmp(magic, "EBPFTOOL", sizeof(magic));

	if (fd >= 0)
		close(fd);
	return yes;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The data files of a directory, sorted by name: *out and its strings malloc'ed. */
static int dir_files(const char *dir, char ***out, size_t *n)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *d = opendir(dir);
	int err = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d)) && *n < READER_MAX_FILES) {
		struct stat sb;
		char *path;

		/* Dot files include a recording's piece still being written. */
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			err = -ENOMEM;
			break;
		}
		if (stat(path, &sb) || !S_ISREG(sb.st_mode) || !is_data_file(path)) {
			free(path);
			continue;
		}
		if (grow_array((void **)out, &cap, *n + 1, sizeof(**out))) {
			free(path);
			err = -ENOMEM;
			break;
		}
		(*out)[(*n)++] = path;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), by_name);
	return err;
}

/* Adds what one file's reading found to the totals of all. */
static void add_status(struct session_status *sum, const struct session_status *one)
{
	uint64_t samples = sum->samples + one->samples;
	uint64_t missing = sum->missing_stacks + one->missing_stacks;
	uint64_t blocks = sum->df.blocks + one->df.blocks;
	uint64_t unknown = sum->df.unknown_records + one->df.unknown_records;

	*sum = *one;
	sum->samples = samples;
	sum->missing_stacks = missing;
	sum->df.blocks = blocks;
	sum->df.unknown_records = unknown;
}

static int read_dir(struct reader *r, const char *path)
{
	struct session_status one;
	char **files;
	size_t n;
	int err = dir_files(path, &files, &n);

	if (err)
		fail(r, err, "cannot read", path, NULL, NULL);
	else if (!n)
		err = fail(r, -ENOENT, NULL, path,
			   "no ebpf-tool data files in this directory", NULL);
	for (size_t i = 0; i < n && !err; i++) {
		err = read_file(r, files[i], &one);
		add_status(&r->st, &one);
		r->nread++;
	}
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return err;
}

static int read_path(struct reader *r, const char *path)
{
	struct session_status one;
	struct stat sb;
	int err;

	if (strcmp(path, "-") && !stat(path, &sb) && S_ISDIR(sb.st_mode))
		return read_dir(r, path);
	err = read_file(r, path, &one);
	add_status(&r->st, &one);
	r->nread++;
	return err;
}

int reader_read(struct reader *r, const struct session_ops *ops, void *ctx)
{
	int err = 0;

	memset(&r->st, 0, sizeof(r->st));
	r->ops = ops;
	r->ctx = ctx;
	if (!r->o.n_inputs)
		return read_path(r, READER_DEFAULT_INPUT);
	for (size_t i = 0; i < r->o.n_inputs && !err; i++)
		err = read_path(r, r->o.inputs[i]);
	/* Messages after the reading name what the user named. */
	if (r->o.n_inputs > 1 || r->nread > 1)
		r->name = "the inputs";
	return err;
}
