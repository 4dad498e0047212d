/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin/builtin.h"
#include "builtin/read-opts.h"
#include "data/datafile.h"
#include "lib/util.h"

void read_args_init(struct read_args *a)
{
	memset(a, 0, sizeof(*a));
}

static void names_free(struct filter_names *l)
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

int read_max_stack_opt(const char *cmd, const char *arg, uint64_t *n)
{
	if (parse_u64(arg, 1, UINT16_MAX, n))
		return usage_error(cmd, "invalid --max-stack '%s': expected a number of "
				   "frames from 1 to %u", arg, UINT16_MAX);
	return 0;
}

int read_args_exit(struct read_args *a, int status)
{
	read_args_release(a);
	return cmdline_exit(status);
}

/* Splits "a,b,c" into words; an empty word is an error. */
static int names_parse(struct filter_names *l, const char *arg)
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

static int names_opt(struct filter_names *l, const char *cmd, const char *opt,
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
		if (a->n_inputs == READER_MAX_INPUTS)
			return usage_error(cmd, "too many --input options: at most %d "
					   "(name a directory instead)", READER_MAX_INPUTS);
		a->inputs[a->n_inputs++] = arg;
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
	case READ_OPT_NO_INLINE:
		a->no_inline = true;
		return 0;
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

void read_args_reader_opts(const struct read_args *a, struct reader_opts *o)
{
	struct filter *f = &o->filter;

	memset(o, 0, sizeof(*o));
	o->inputs = a->inputs;
	o->n_inputs = a->n_inputs;
	f->comms = a->comms;
	f->dsos = a->dsos;
	f->syms = a->syms;
	f->pids = a->pids;
	f->n_pids = a->n_pids;
	f->tids = a->tids;
	f->n_tids = a->n_tids;
	f->cpus = a->cpus_given ? &a->cpus : NULL;
	o->time_given = a->time_given;
	o->time_start = a->time_start;
	o->time_end = a->time_end;
}

/* What a file's reading leaves to say: it was not whole, stacks were missing. */
static void file_done(void *ctx, const char *name, const struct session_status *st)
{
	const char *cmd = ctx;

	if (st->df.incomplete)
		cmd_warn(cmd, "'%s' is incomplete: %s; showing the %" PRIu64
			 " samples of its complete blocks", name, st->df.error,
			 st->samples);
	/*
	 * Records of a newer minor version that this one does not know may
	 * hold what the figures lack: say so, and what to do.
	 */
	if (st->df.version_minor > DF_VERSION_MINOR && st->df.unknown_records)
		cmd_warn(cmd, "'%s' is data version %u.%u, newer than this ebpf-tool reads "
			 "(%u.%u): %" PRIu64 " records of a newer format skipped, and what "
			 "they hold is not shown; read it with a newer ebpf-tool", name,
			 st->df.version_major, st->df.version_minor, DF_VERSION_MAJOR,
			 DF_VERSION_MINOR, st->df.unknown_records);
	if (st->missing_stacks)
		cmd_warn(cmd, "%" PRIu64 " samples name stacks that '%s' does not "
			 "hold; they count as [unknown]", st->missing_stacks, name);
	if (verbose)
		fprintf(stderr, "%s: data version %u.%u, %" PRIu64 " blocks, %" PRIu64
			" samples, %" PRIu64 " records of unknown type skipped\n",
			name, st->df.version_major, st->df.version_minor,
			st->df.blocks, st->samples, st->df.unknown_records);
}

int read_open_opts(struct reader *r, const struct reader_opts *o, const char *cmd)
{
	if (reader_init(r, o)) {
		cmd_error(cmd, "out of memory");
		return EXIT_FAIL;
	}
	r->file_done = file_done;
	r->file_ctx = (void *)cmd;
	return 0;
}

int read_open(struct reader *r, const struct read_args *a, const char *cmd)
{
	struct reader_opts o;

	read_args_reader_opts(a, &o);
	return read_open_opts(r, &o, cmd);
}

void read_error_print(const char *cmd, const struct reader_error *e)
{
	const char *why = e->why[0] ? e->why : strerror(-e->err);
	char offset[48] = "", hint[128] = "";

	/* A closed stdout is reported once, by the command runner. */
	if (!e->err || (e->err == -EPIPE && !e->why[0]))
		return;
	if (e->at_offset)
		snprintf(offset, sizeof(offset), " at offset %" PRIu64, e->offset);
	if (e->hint)
		snprintf(hint, sizeof(hint), " (%s)", e->hint);
	cmd_error(cmd, "%s%s'%s': %s%s%s", e->what ? e->what : "", e->what ? " " : "",
		  e->name ? e->name : "", why, offset, hint);
}

int read_inputs(struct reader *r, const char *cmd, const struct session_ops *ops,
		void *ctx)
{
	if (!reader_read(r, ops, ctx))
		return 0;
	read_error_print(cmd, &r->error);
	return EXIT_FAIL;
}
