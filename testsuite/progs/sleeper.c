/*
 * The off-CPU workload: each 100 ms period computes for 30 ms of wall time
 * in compute(), then sleeps in sleeper() until the period ends, so it is
 * off the CPU 70% of its wall time whatever else the machine runs.
 * Usage: sleeper [SECONDS [SLEEP_PERCENT [PERIOD_MS]]].  Prints its elapsed
 * wall time.
 * The sleep is a system call made from sleeper()'s own frame (not libc's,
 * which has no frame pointer), so frame-pointer unwinding finds sleeper().
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>


static volatile unsigned long sink;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__attribute__((noinline)) void compute(long long until)
{
	while (now_ns() < until)
		for (int i = 0; i < 1000; i++)
			sink += i;
}

__attribute__((noinline)) void sleeper(long long until)
{
	struct timespec ts = { until / 1000000000LL, until % 1000000000LL };
#if defined(__x86_64__)
	long ret;

	do {
		register long r10 __asm__("r10") = (long)NULL;

		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "0"((long)SYS_clock_nanosleep), "D"((long)CLOCK_MONOTONIC),
				   "S"((long)TIMER_ABSTIME), "d"(&ts), "r"(r10)
				 : "rcx", "r11", "memory");
	} while (ret == -4);	/* EINTR */
#else
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
#endif
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	long long pct = argc > 2 ? atoll(argv[2]) : 70;
	long long period = (argc > 3 ? atoll(argv[3]) : 100) * 1000000LL;
	long long start = now_ns(), end = start + (long long)(secs * 1e9), t;

	for (t = start; t < end; t += period) {
		compute(t + period * (100 - pct) / 100);
		sleeper(t + period);
	}
	printf("elapsed %.6f\n", (now_ns() - start) / 1e9);
	return 0;
}
