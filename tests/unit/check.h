/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What unit.exp reads: a line "PASS: name" or "FAIL: name (where)" per
 * check, and "N passed, N failed" at the end (check_summary()).
 */
#ifndef EBPF_TOOL_TEST_CHECK_H
#define EBPF_TOOL_TEST_CHECK_H

#include <stdio.h>

static int failures, passes;

#define CHECK(name, cond)                                                     \
	do {                                                                  \
		if (cond) {                                                   \
			printf("PASS: %s\n", name);                           \
			passes++;                                             \
		} else {                                                      \
			printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__,      \
			       __LINE__, #cond);                              \
			failures++;                                           \
		}                                                             \
	} while (0)

/*
 * For tests that stop at their first failure (return 1 from the test
 * function) and print one PASS or FAIL line per test: where and why.
 */
#define REQUIRE(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__,	\
			__LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		return 1;						\
	}								\
} while (0)

/* The exit status: 1 if any check failed. */
static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}

#endif
