/*
 * record --switch-output: when to start a new data file, what to name the
 * finished ones (FILE.YYYYmmddHHMMSSCC, as perf names them: the time of
 * the switch to the hundredth of a second), and --switch-max-files
 * retention, which counts the files of earlier runs with the same name too.
 */
#ifndef EBPF_TOOL_ROTATE_H
#define EBPF_TOOL_ROTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROTATE_MAX_FILES 100000

struct rotate_spec {
	uint64_t every_ns;		/* 0: not by time */
	uint64_t max_bytes;		/* 0: not by size */
	bool signal;			/* on SIGUSR2 */
};

/* "30s", "5m", "1h", "2d", "100M", "1G", "signal", or a comma list of them. */
int rotate_parse(const char *arg, struct rotate_spec *spec);

struct rotate {
	const char *base;		/* the -o path */
	uint64_t max_files;		/* 0: keep all */
	char **names;			/* finished files, oldest first */
	size_t n, cap;
};

/* Finds the finished files of earlier runs, for retention. */
int rotate_init(struct rotate *r, const char *base, uint64_t max_files);
void rotate_release(struct rotate *r);
/* A fresh name for a file finished now: *out is malloc'ed. */
int rotate_name(const struct rotate *r, char **out);
/* Note a finished file (taking name) and delete the oldest beyond the limit. */
int rotate_done(struct rotate *r, char *name);

#endif
