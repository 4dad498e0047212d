/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sort keys of report and diff, one row each, as perf's util/sort.c
 * keeps its sort dimensions: the word --sort takes, the column's header,
 * how the key is taken from a sample, when two entries are one, how
 * entries of equal share order, and the column's text.  hist.c,
 * output-stdio.c and output-diff.c name no key: they go through the rows.
 *
 * To add a key: its fields in struct hist_key below if it needs new ones,
 * a row in sort.c, and its words under --sort in ebpf-tool-report(1) and
 * ebpf-tool-diff(1).  --help and the message for an unknown key list the
 * rows.
 */
#ifndef EBPF_TOOL_SORT_H
#define EBPF_TOOL_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/session.h"

/* Keys one --sort names at most: at least as many as there are rows. */
#define SORT_MAX_KEYS	16
/* A column's text fits this (names are at most DF_MAX_STRING bytes). */
#define SORT_TEXT_MAX	8192

/*
 * What entries are told apart by, and the names their columns show.  The
 * fields of keys not sorted by stay zero.
 */
struct hist_key {
	/*
	 * First the fields SORT_OF_SAMPLE keys set, and only those: hist.c's
	 * signatures keep these SORT_SAMPLE_BYTES and compare them as bytes.
	 */
	const char *comm;
	uint32_t pid, tid, cpu;
	/* Then the frame's, and the names a new entry looks up. */
	bool kernel;
	const struct sess_dso *dso;
	const char *sym;		/* the Symbol label (sess_frame.label) */
	const char *pid_comm;		/* the main thread's, for the pid key */
	const char *tid_comm;		/* the thread's, for the tid key */
	/* srcline: the file and line, or where they are unknown the symbol and offset. */
	const char *src_file;
	uint32_t src_line;
	const char *src_sym;
	uint64_t src_off;
};

#define SORT_SAMPLE_BYTES	offsetof(struct hist_key, kernel)

/* What a key is taken from. */
struct sort_input {
	const struct df_sample *smp;
	const char *comm;		/* the sample's thread's, interned */
	const struct sess_frame *fr;	/* the frame the entry is for */
};

enum {
	/*
	 * set() reads the sample, never the frame, and sets fields of the
	 * first SORT_SAMPLE_BYTES of struct hist_key only: hist.c keeps what
	 * a stack adds apart for each value of the key.
	 */
	SORT_OF_SAMPLE = 1u << 0,
	/* report does not pad the column, as perf does not pad its Symbol. */
	SORT_UNPADDED = 1u << 1,
	/*
	 * The column names the leaf frame: under rows sorted by it first, a
	 * call graph leaves out its first line, which would say it again.
	 */
	SORT_NAMES_FRAME = 1u << 2,
};

struct sort_key {
	const char *name;		/* as --sort takes it */
	const char *alias;		/* another spelling (perf's), or NULL */
	const char *header;		/* the column's header, report's and diff's */
	unsigned int flags;		/* SORT_* */
	/* Copies the key's fields from in into k. */
	void (*set)(struct hist_key *k, const struct sort_input *in);
	/* Entries are one when every key finds their fields the same. */
	uint64_t (*hash)(const struct hist_key *k);
	bool (*same)(const struct hist_key *a, const struct hist_key *b);
	/* The order of entries whose shares tie, as strcmp(). */
	int (*cmp)(const struct hist_key *a, const struct hist_key *b);
	/*
	 * Looks up the names the column shows beside the key, once for each
	 * new entry (a pid's comm); NULL if it shows none.  0 or -ENOMEM.
	 */
	int (*fill)(struct hist_key *k, struct session *s);
	/*
	 * report's text of the column, in buf (SORT_TEXT_MAX bytes) or a
	 * string of the session's; width is the column's, 0 while it is
	 * being sized.
	 */
	const char *(*print)(const struct hist_key *k, char *buf, size_t width);
	/*
	 * diff's text, where it differs from print()'s at the width of the
	 * header (diff pairs rows by it, and pads no numbers); NULL if not.
	 */
	const char *(*print_diff)(const struct hist_key *k, char *buf);
};

/*
 * Parses "comm,dso,sym" into rows (a repeated key counts once); -EINVAL
 * with *bad at the unknown word (a static buffer).
 */
int sort_parse(const char *arg, const struct sort_key **keys, size_t *n,
	       const char **bad);

/* The keys' names, ", " between them and last before the last one. */
const char *sort_key_names(const char *last);

/* diff's text of the column. */
const char *sort_print_diff(const struct sort_key *key, const struct hist_key *k,
			    char *buf);

#endif
