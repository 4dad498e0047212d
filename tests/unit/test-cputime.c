/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/stat parsing: busy and idle ticks per CPU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/cputime.h"

static int failed;

static void check(int ok, const char *name)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
	failed |= !ok;
}

int main(void)
{
	static const char stat[] =
		"cpu  100 1 50 1000 20 3 4 5 0 0\n"
		"cpu0 60 1 30 400 10 2 3 4 0 0\n"
		"cpu1 40 0 20 600 10 1 1 1 0 0\n"
		"intr 12345 0 0\n"
		"ctxt 999\n";
	struct cpu_time t[4];
	int n = cputime_parse(stat, sizeof(stat) - 1, t, 4);

	check(n == 2, "two cpuN lines; the total line is not a CPU");
	check(t[0].seen && t[1].seen && !t[2].seen, "the CPUs named are marked seen");
	check(t[0].busy == 60 + 1 + 30 + 2 + 3 + 4 && t[0].idle == 410,
	      "busy is user+nice+system+irq+softirq+steal; idle is idle+iowait");
	check(cputime_parse(stat, sizeof(stat) - 1, t, 1) == 1 && t[0].seen,
	      "CPUs past the table are skipped");
	check(cputime_parse("cpu0 1 2 3 4 5 6 7\n", 19, t, 4) == 1 && t[0].busy == 1 + 2 + 3 + 6 + 7,
	      "a kernel without the steal field");
	check(cputime_parse("cpu0 1 2 x\n", 11, t, 4) == -EINVAL, "a malformed line is refused");
	check(cputime_parse("cpu0 99999999999999999999 0 0 0 0 0 0\n", 38, t, 4) == -EINVAL,
	      "a field past 64 bits is refused");
	check(cputime_parse("cpu0 1 2 3 4 5 6 7 8", 20, t, 4) == 1, "no newline at the end");
	n = cputime_read(t, 4);
	check(n > 0 && t[0].seen && t[0].busy + t[0].idle > 0, "this machine's /proc/stat reads");
	return failed;
}
