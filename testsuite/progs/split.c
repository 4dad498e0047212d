/*
 * The 50/30/20 workload: main calls func_a, func_b and func_c, which spend
 * 5, 3 and 2 units of CPU in a shared leaf.  Usage: split [SECONDS [A B C]].
 * Built with frame pointers so every frame of main -> func -> leaf unwinds.
 */
#include <stdlib.h>
#include <time.h>

#define UNIT 20000

static volatile unsigned long sink;
static unsigned long units[3] = { 5, 3, 2 };

__attribute__((noinline)) void leaf(unsigned long n)
{
	for (unsigned long i = 0; i < n * UNIT; i++)
		sink += i;
}

__attribute__((noinline)) void func_a(void)
{
	leaf(units[0]);
}

__attribute__((noinline)) void func_b(void)
{
	leaf(units[1]);
}

__attribute__((noinline)) void func_c(void)
{
	leaf(units[2]);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 5.0);

	for (int i = 0; i < 3 && argc > 2 + i; i++)
		units[i] = strtoul(argv[2 + i], NULL, 10);
	while (now() < end) {
		func_a();
		func_b();
		func_c();
	}
	return 0;
}
