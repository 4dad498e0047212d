/* Burn CPU for a given number of seconds (default 10): a busy process to sample. */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 10.0);

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			sink += i;
	return 0;
}
