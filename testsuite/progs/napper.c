/*
 * The off-CPU workload built as users build (gcc -O2 -g, no frame
 * pointers): each 100 ms period computes in burn() for 30 ms of wall time,
 * then sleeps in nap() through libc's nanosleep() until the period ends,
 * so nap() holds 70% of its wall time off the CPU, less on a machine so
 * busy that burn() is preempted past its 30 ms.  Unlike sleeper.c, the
 * system call is libc's, whose frame a frame-pointer walk cannot leave.
 * Usage: napper [SECONDS].  Prints its elapsed wall time and the time it
 * spent in nap(), as measured by itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__attribute__((noinline)) void burn(long long until)
{
	while (now_ns() < until)
		for (int i = 0; i < 1000; i++)
			sink += i;
}

__attribute__((noinline)) void nap(long long until)
{
	long long left;

	while ((left = until - now_ns()) > 0) {
		struct timespec ts = { left / 1000000000LL, left % 1000000000LL };

		if (nanosleep(&ts, NULL) && errno != EINTR)
			break;
	}
	sink++;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	long long period = 100000000LL;
	long long start = now_ns(), end = start + (long long)(secs * 1e9), t, in_nap = 0, t0;

	for (t = start; t < end; t += period) {
		burn(t + period * 30 / 100);
		t0 = now_ns();
		nap(t + period);
		in_nap += now_ns() - t0;
	}
	printf("elapsed %.6f napped %.6f\n", (now_ns() - start) / 1e9, in_nap / 1e9);
	return 0;
}
