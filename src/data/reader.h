/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reader of the commands that read data files (report, script,
 * export, flamegraph, diff): it opens the inputs (files, directories of
 * them in name order, standard input) and reads them in turn into one
 * session, passing on the samples of the --time window, and holds the
 * filters its users apply (filter.h).  The options it is given stay as
 * they are.
 *
 * It prints nothing.  What went wrong is in r->error, in parts: the
 * command makes its one message of them (builtin/read-opts.c), and a
 * callback that stops the reading says why with reader_fail().
 */
#ifndef EBPF_TOOL_READER_H
#define EBPF_TOOL_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/filter.h"
#include "data/session.h"

#define READER_DEFAULT_INPUT	"ebpf-tool.data"
#define READER_MAX_INPUTS	64	/* inputs named; a directory counts once */
#define READER_MAX_FILES	100000	/* files of one directory */

struct reader_opts {
	/* The inputs ("-": standard input); none: READER_DEFAULT_INPUT. */
	const char *const *inputs;
	size_t n_inputs;
	struct filter filter;
	/*
	 * --time: samples in [start, end) nanoseconds after the recording
	 * started (its start-monotonic META, else its first sample), and
	 * counted stacks whose interval overlaps it; the first file read
	 * sets the origin for all.
	 */
	bool time_given;
	uint64_t time_start, time_end;
};

/* The parts of one message: "WHAT 'NAME': WHY at offset N (HINT)". */
struct reader_error {
	int err;		/* negative errno; 0: nothing went wrong */
	const char *what;	/* what failed ("cannot open"), or NULL */
	char *name;		/* the input, as messages name it */
	/* The reader's or a callback's words; "": strerror(-err). */
	char why[256];
	bool at_offset;		/* offset is the block of the data file */
	uint64_t offset;
	const char *hint;	/* what to do, or NULL */
};

struct reader {
	struct reader_opts o;
	struct session *s;
	struct session_status st;	/* what the files read added up to */
	/* The inputs as messages name them after reading: one, or "the inputs". */
	const char *name;
	struct reader_error error;
	/*
	 * Called after each file read to its end, with its own status: an
	 * incomplete file or missing stacks are the caller's to warn about.
	 */
	void (*file_done)(void *ctx, const char *name, const struct session_status *st);
	void *file_ctx;

	/* Reading state. */
	const struct session_ops *ops;
	void *ctx;
	size_t nread;
	bool time_based;
	uint64_t time_base;
};

/* Makes the session; 0 or -ENOMEM. */
int reader_init(struct reader *r, const struct reader_opts *o);
void reader_release(struct reader *r);

/*
 * Reads every input, calling ops (NULL: none) for each sample inside the
 * window.  Returns 0 (an incomplete file is read as far as it is whole)
 * or a negative errno with r->error filled; -EPIPE without words is a
 * closed standard output, for main() to report.
 */
int reader_read(struct reader *r, const struct session_ops *ops, void *ctx);

/* For a callback about to return an error: why, for r->error. */
void reader_fail(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The name messages give an input: "standard input" for "-". */
const char *reader_input_name(const char *input);

#endif
