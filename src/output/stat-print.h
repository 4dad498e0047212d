/*
 * stat's output, as perf stat 6.1 lays it out: the "Performance counter
 * stats" block with derived ratios, interval lines (-I) and CSV (-x).
 */
#ifndef EBPF_TOOL_STAT_PRINT_H
#define EBPF_TOOL_STAT_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "record/counter.h"

struct stat_row {
	const struct counter *c;
	double value;			/* scaled count */
	double pct;			/* share of time it ran */
	uint64_t ena;			/* ns enabled */
	bool counted;			/* false: <not counted> */
};

struct stat_print {
	FILE *fp;
	const char *sep;		/* -x: CSV with this separator, else NULL */
	bool system_wide;		/* -a or -C: ratios per CPU-second */
	double interval_s;		/* -I: the timestamp column, else < 0 */
};

void stat_print_rows(const struct stat_print *p, const struct stat_row *rows, size_t n,
		     double elapsed_ns);
/* The interval header line, printed before the first interval. */
void stat_print_interval_header(const struct stat_print *p);

#endif
