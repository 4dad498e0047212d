/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * export's formats, one row of operations each: the name --format takes,
 * its --help words, and how samples become the output.  cmd-export.c
 * goes through the rows (only --kernel-suffix's words name folded).
 *
 * To add a format: its writer in output/, a row in exporters.c, its
 * entry under --format in ebpf-tool-export(1).  --help and the messages
 * list the rows.
 */
#ifndef EBPF_TOOL_EXPORTERS_H
#define EBPF_TOOL_EXPORTERS_H

#include <stdbool.h>
#include <stdio.h>

#include "report/samplewalk.h"
#include "data/session.h"

struct export_opts {
	bool kernel_suffix;	/* mark kernel functions (formats that take it) */
};

struct exporter {
	const char *name;		/* as --format takes it */
	const char *alias;		/* another name taken, or NULL */
	/* --help's words after "NAME: "; '\n' starts a line. */
	const char *help;
	bool binary;			/* written to a descriptor, never a terminal */
	bool kernel_suffix;		/* takes --kernel-suffix */
	/*
	 * The format's state for an output: fp is the text stream (NULL for
	 * a binary format).  0 or -ENOMEM.
	 */
	int (*open)(void **state, FILE *fp, const struct export_opts *o);
	/* One sample of the walk. */
	int (*add)(void *state, struct session *s, const struct sw_sample *ss);
	/* After the last sample: writes what is left, to fp or fd. */
	int (*finish)(void *state, struct session *s, FILE *fp, int fd);
	void (*close)(void *state);
};

/* The row of a name or alias; NULL if none. */
const struct exporter *exporter_find(const char *name);
/* The formats' names, ", " between them and last before the last one. */
const char *exporter_names(const char *last);
/* --format's --help: each row's "NAME: HELP", ";\n" between them. */
const char *exporter_help(void);

#endif
