/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the /proc/stat parser behind perf's idle CPUs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/cputime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpu_time t[8];
	int n = cputime_parse((const char *)data, size, t, 8);

	/* Never more CPUs than lines of text, never one it did not see. */
	if (n > 0 && (size_t)n > size / 5)
		abort();
	for (int i = 0, seen = 0; i < 8; i++) {
		seen += t[i].seen;
		if (i == 7 && n >= 0 && seen > n)
			abort();
	}
	return 0;
}
