/*
 * The unwinder's benchmark workload: a stack 30 frames deep (_start,
 * __libc_start_call_main, __libc_start_main, main, 26 levels of descend,
 * spin) that spins for ROUNDS units of work and prints the seconds taken.
 * Built twice by bench/run.sh: gcc's defaults (CFI only) and with frame
 * pointers, so that both walks see the whole stack.  Usage: deep ROUNDS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LEVELS 26

static volatile unsigned long sink;

__attribute__((noinline)) static unsigned long spin(unsigned long rounds)
{
	for (unsigned long i = 0; i < rounds * 1000000ul; i++)
		sink += i;
	return sink;
}

/* The volatile local and the addition after the call keep each level a frame. */
__attribute__((noinline)) static unsigned long descend(int level, unsigned long rounds)
{
	volatile int here = level;

	if (level == 0)
		return spin(rounds);
	return descend(level - 1, rounds) + here;
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	descend(LEVELS - 1, rounds);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.6f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
