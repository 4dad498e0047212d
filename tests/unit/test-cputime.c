/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/stat parsing: busy and idle ticks per CPU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lib/cputime.h"

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

	CHECK("two cpuN lines; the total line is not a CPU", n == 2);
	CHECK("the CPUs named are marked seen", t[0].seen && t[1].seen && !t[2].seen);
	CHECK("busy is user+nice+system+irq+softirq+steal; idle is idle+iowait",
	      t[0].busy == 60 + 1 + 30 + 2 + 3 + 4 && t[0].idle == 410);
	CHECK("CPUs past the table are skipped",
	      cputime_parse(stat, sizeof(stat) - 1, t, 1) == 1 && t[0].seen);
	CHECK("a kernel without the steal field",
	      cputime_parse("cpu0 1 2 3 4 5 6 7\n", 19, t, 4) == 1 && t[0].busy == 1 + 2 + 3 + 6 + 7);
	CHECK("a malformed line is refused", cputime_parse("cpu0 1 2 x\n", 11, t, 4) == -EINVAL);
	CHECK("a field past 64 bits is refused",
	      cputime_parse("cpu0 99999999999999999999 0 0 0 0 0 0\n", 38, t, 4) == -EINVAL);
	CHECK("no newline at the end", cputime_parse("cpu0 1 2 3 4 5 6 7 8", 20, t, 4) == 1);
	n = cputime_read(t, 4);
	CHECK("this machine's /proc/stat reads", n > 0 && t[0].seen && t[0].busy + t[0].idle > 0);
	return check_summary();
}
