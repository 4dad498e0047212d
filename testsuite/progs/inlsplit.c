/*
 * The inlined-frames workload: built -O2 -g as users build, its hot loop
 * lives in mix(), a static inline helper that gcc inlines into both of
 * its callers, heavy() and light().  main alternates between them with a
 * fixed split of the work: heavy() runs mix() for 3 units, light() for 2,
 * so 60% and 40% of the samples.  Usage: inlsplit [SECONDS] (default 3).
 * The callers are not inlined into main (noinline) and take their
 * iteration count from a volatile, so gcc makes no clones of them.
 */
#include <stdlib.h>
#include <time.h>

#define UNIT 200000UL		/* iterations of mix()'s loop per unit */

static volatile unsigned long sink;
static volatile unsigned long units = UNIT;

static inline unsigned long mix(unsigned long x, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		x = (x ^ (x >> 7)) * 0x9e3779b97f4a7c15UL + i;	/* the hot loop */
	return x;
}

__attribute__((noinline)) void heavy(unsigned long seed)
{
	sink += mix(seed, 3 * units);
}

__attribute__((noinline)) void light(unsigned long seed)
{
	sink += mix(seed | 1, 2 * units);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3, end = now() + secs;
	unsigned long seed = 1;

	while (now() < end) {
		heavy(seed++);
		light(seed++);
	}
	return 0;
}
