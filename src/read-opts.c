/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "read-opts.h"
#include "samplewalk.h"
#include "util.h"

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

int read_args_parse(struct read_args *a, const char *cmd, int opt, const char *arg)
{
	switch (opt) {
	case 'i':
		if (!*arg)
			return usage_error(cmd, "invalid --input '': expected a file "
					   "name or - for standard input");
		a->input = arg;
		a->name = strcmp(arg, "-") ? arg : "standard input";
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
	return usage_error(cmd, "unhandled option %d", opt);
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
	const struct read_args *a;
	const struct session_ops *ops;
	void *ctx;
	uint64_t base;
	bool based;
};

static int gate_sample(void *ctx, struct session *s, const struct df_sample *smp)
{
	struct time_gate *g = ctx;
	uint64_t rel;

	/* Every META record precedes the first sample. */
	if (!g->based) {
		g->base = sw_start_ns(s, smp->time_ns);
		g->based = true;
	}
	rel = smp->time_ns > g->base ? smp->time_ns - g->base : 0;
	if (rel < g->a->time_start || rel >= g->a->time_end)
		return 0;
	return g->ops->sample(g->ctx, s, smp);
}

int read_session(struct read_args *a, const char *cmd, struct session *s,
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
