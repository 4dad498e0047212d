/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/read-opts.h"
#include "report/samplewalk.h"
#include "lib/util.h"

void read_args_init(struct read_args *a)
{
	memset(a, 0, sizeof(*a));
	a->input = READ_DEFAULT_INPUT;
	a->name = a->input;
}

static void names_free(struct hist_names *l)
{
	if (l->n)
		free(l->v[0]);	/* the words share one copy of the argument */
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void read_args_release(struct read_args *a)
{
	names_free(&a->comms);
	names_free(&a->dsos);
	names_free(&a->syms);
}

/* Splits "a,b,c" into words; an empty word is an error. */
static int names_parse(struct hist_names *l, const char *arg)
{
	char *copy, *p;
	size_t n = 1;

	names_free(l);
	for (p = (char *)arg; *p; p++)
		n += *p == ',';
	copy = strdup(arg);
	l->v = calloc(n, sizeof(*l->v));
	if (!copy || !l->v) {
		free(copy);
		free(l->v);
		l->v = NULL;
		return -ENOMEM;
	}
	for (p = copy; l->n < n; p++) {
		l->v[l->n++] = p;
		p += strcspn(p, ",");
		*p = '\0';
		if (!*l->v[l->n - 1]) {
			names_free(l);
			return -EINVAL;
		}
	}
	return 0;
}

static int names_opt(struct hist_names *l, const char *cmd, const char *opt,
		     const char *arg)
{
	int err = names_parse(l, arg);

	if (err == -ENOMEM) {
		cmd_error(cmd, "out of memory");
		return EXIT_FAIL;
	}
	if (err)
		return usage_error(cmd, "invalid %s '%s': expected names separated "
				   "by commas", opt, arg);
	return 0;
}

static int ids_opt(uint32_t *ids, size_t *n, const char *cmd, const char *opt,
		   const char *arg)
{
	int err = parse_id_list(arg, ids, READ_MAX_IDS, n);

	if (err == -E2BIG)
		return usage_error(cmd, "too many ids for %s: at most %d", opt,
				   READ_MAX_IDS);
	if (err)
		return usage_error(cmd, "invalid %s '%s': expected numbers like "
				   "1234,5678", opt, arg);
	return 0;
}

/* One end of --time: seconds as a decimal number, or "" for open. */
static int time_point(const char *s, size_t len, uint64_t open, uint64_t *ns)
{
	char buf[64], *end;
	double v;

	if (!len) {
		*ns = open;
		return 0;
	}
	if (len >= sizeof(buf) || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || *end || errno || !(v >= 0 && v < 1e9))
		return -EINVAL;
	*ns = (uint64_t)(v * 1e9 + 0.5);
	return 0;
}

/* "START,END" in seconds since the recording started; either may be empty. */
static int time_opt(struct read_args *a, const char *cmd, const char *arg)
{
	const char *comma = strchr(arg, ',');

	if (!comma || strchr(comma + 1, ',') ||
	    time_point(arg, (size_t)(comma - arg), 0, &a->time_start) ||
	    time_point(comma + 1, strlen(comma + 1), UINT64_MAX, &a->time_end) ||
	    a->time_start >= a->time_end)
		return usage_error(cmd, "invalid --time '%s': expected START,END in "
				   "seconds since the recording started, START before "
				   "END, like 1.5,3 or 2, or ,10", arg);
	a->time_given = true;
	return 0;
}

int read_args_parse(struct read_args *a, const char *cmd, int id, const char *arg)
{
	switch (id) {
	case READ_OPT_INPUT:
		if (!*arg)
			return usage_error(cmd, "invalid --input '': expected a file "
					   "name or - for standard input");
		if (a->n_inputs == READ_MAX_INPUTS)
			return usage_error(cmd, "too many --input options: at most %d "
					   "(name a directory instead)", READ_MAX_INPUTS);
		a->inputs[a->n_inputs++] = arg;
		a->input = a->inputs[0];
		a->name = strcmp(a->input, "-") ? a->input : "standard input";
		return 0;
	case READ_OPT_COMM:
		return names_opt(&a->comms, cmd, "--comm", arg);
	case READ_OPT_DSOS:
		return names_opt(&a->dsos, cmd, "--dsos", arg);
	case READ_OPT_SYMBOLS:
		return names_opt(&a->syms, cmd, "--symbols", arg);
	case READ_OPT_PID:
		return ids_opt(a->pids, &a->n_pids, cmd, "--pid", arg);
	case READ_OPT_TID:
		return ids_opt(a->tids, &a->n_tids, cmd, "--tid", arg);
	case READ_OPT_CPU:
		if (cpuset_parse(&a->cpus, arg))
			return usage_error(cmd, "invalid --cpu '%s': expected CPU numbers "
					   "and ranges like 0,2-3", arg);
		a->cpus_given = true;
		return 0;
	case READ_OPT_TIME:
		return time_opt(a, cmd, arg);
	}
	return usage_error(cmd, "unhandled option %d", id);
}

const char *read_sort_help(void)
{
	static char help[320];

	snprintf(help, sizeof(help), "comma-separated: %s\n", sort_key_names(", "));
	return help;
}

int read_sort_parse(const char *cmd, const char *arg, const struct sort_key **keys,
		    size_t *n)
{
	const char *bad;

	if (sort_parse(arg, keys, n, &bad))
		return usage_error(cmd, "invalid --sort key '%s': expected %s", bad,
				   sort_key_names(" or "));
	return 0;
}

void read_args_filter(const struct read_args *a, struct hist_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->comms = a->comms;
	f->dsos = a->dsos;
	f->syms = a->syms;
	f->pids = a->pids;
	f->n_pids = a->n_pids;
	f->tids = a->tids;
	f->n_tids = a->n_tids;
	f->cpus = a->cpus_given ? &a->cpus : NULL;
}

static int open_input(const struct read_args *a, const char *cmd)
{
	int fd;

	if (!strcmp(a->input, "-"))
		return STDIN_FILENO;
	fd = open(a->input, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT && !strcmp(a->input, READ_DEFAULT_INPUT))
		cmd_error(cmd, "cannot open '%s': %s (run 'ebpf-tool record' first)",
			  a->input, strerror(errno));
	else
		cmd_error(cmd, "cannot open '%s': %s", a->input, strerror(errno));
	return -1;
}

static void read_failed(const struct read_args *a, const char *cmd, int err,
			const struct session_status *st)
{
	const char *why = st->error[0] ? st->error : st->df.error;

	if (why[0])
		cmd_error(cmd, "'%s': %s at offset %" PRIu64, a->name, why,
			  st->df.error_offset);
	else
		cmd_error(cmd, "'%s': %s", a->name, strerror(-err));
}

/* Passes on the samples of the --time window. */
struct time_gate {
	struct read_args *a;
	const struct session_ops *ops;
	void *ctx;
};

static int gate_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct time_gate *g = ctx;
	uint64_t rel;

	/*
	 * Every META record precedes the first sample.  The first file read
	 * sets the origin: rotated files share one clock, so a window spans
	 * them all.
	 */
	if (!g->a->time_based) {
		g->a->time_base = sw_start_ns(s, smp->time_ns);
		g->a->time_based = true;
	}
	rel = smp->time_ns > g->a->time_base ? smp->time_ns - g->a->time_base : 0;
	if (rel < g->a->time_start || rel >= g->a->time_end)
		return 0;
	return g->ops->sample(g->ctx, s, smp);
}

static int read_one(struct read_args *a, const char *cmd, struct session *s,
		    const struct session_ops *ops, void *ctx,
		    struct session_status *st)
{
	static const struct session_ops gate_ops = { .sample = gate_sample };
	struct time_gate gate = { .a = a, .ops = ops, .ctx = ctx };
	int fd = open_input(a, cmd), err;

	if (fd < 0)
		return EXIT_FAIL;
	if (a->time_given && ops && ops->sample) {
		ops = &gate_ops;
		ctx = &gate;
	}
	err = session_read_fd(s, fd, ops, ctx, st);
	if (fd != STDIN_FILENO)
		close(fd);
	/* A closed stdout is reported once, by the command runner. */
	if (err == -EPIPE && !st->error[0] && !st->df.error[0])
		return EXIT_FAIL;
	if (err) {
		read_failed(a, cmd, err, st);
		return EXIT_FAIL;
	}
	if (st->df.incomplete)
		cmd_warn(cmd, "'%s' is incomplete: %s; showing the %" PRIu64
			 " samples of its complete blocks", a->name, st->df.error,
			 st->samples);
	if (st->missing_stacks)
		cmd_warn(cmd, "%" PRIu64 " samples name stacks that '%s' does not "
			 "hold; they count as [unknown]", st->missing_stacks, a->name);
	if (verbose)
		fprintf(stderr, "%s: data version %u.%u, %" PRIu64 " blocks, %" PRIu64
			" samples, %" PRIu64 " records of unknown type skipped\n",
			a->name, st->df.version_major, st->df.version_minor,
			st->df.blocks, st->samples, st->df.unknown_records);
	return 0;
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
	while ((de = readdir(d)) && *n < READ_MAX_FILES) {
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

static int read_path(struct read_args *a, const char *cmd, struct session *s,
		     const struct session_ops *ops, void *ctx,
		     struct session_status *st, const char *path, size_t *nread)
{
	struct session_status one;
	struct stat sb;
	char **files;
	size_t n;
	int err, status = 0;

	a->input = path;
	a->name = strcmp(path, "-") ? path : "standard input";
	if (strcmp(path, "-") && !stat(path, &sb) && S_ISDIR(sb.st_mode)) {
		err = dir_files(path, &files, &n);
		if (err || !n) {
			if (err)
				cmd_error(cmd, "cannot read '%s': %s", path, strerror(-err));
			else
				cmd_error(cmd, "'%s': no ebpf-tool data files in this directory", path);
			for (size_t i = 0; i < n; i++)
				free(files[i]);
			free(files);
			return EXIT_FAIL;
		}
		for (size_t i = 0; i < n && !status; i++)
			status = read_path(a, cmd, s, ops, ctx, st, files[i], nread);
		for (size_t i = 0; i < n; i++)
			free(files[i]);
		free(files);
		a->input = path;
		a->name = path;
		return status;
	}
	status = read_one(a, cmd, s, ops, ctx, &one);
	add_status(st, &one);
	(*nread)++;
	return status;
}

int read_session(struct read_args *a, const char *cmd, struct session *s,
		 const struct session_ops *ops, void *ctx,
		 struct session_status *st)
{
	const char *single = a->input;
	size_t nread = 0;
	int status = 0;

	memset(st, 0, sizeof(*st));
	if (!a->n_inputs)
		return read_path(a, cmd, s, ops, ctx, st, single, &nread);
	for (size_t i = 0; i < a->n_inputs && !status; i++)
		status = read_path(a, cmd, s, ops, ctx, st, a->inputs[i], &nread);
	/* Messages after the reading name what the user named. */
	a->input = a->inputs[0];
	a->name = a->n_inputs > 1 || nread > 1 ? "the inputs" :
		  strcmp(a->input, "-") ? a->input : "standard input";
	return status;
}
