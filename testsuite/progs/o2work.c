/*
 * The -O2 workload: built as users build (gcc -O2 -g, so no frame
 * pointers), main takes turns between four functions of its own, each for
 * the same slice of wall time: sort_work() in libc's qsort with a callback
 * of ours, cmp_long(); mem_work() in memset and memcpy; fmt_work() in
 * snprintf and strtod; compute_work() in a loop of its own.  Usage:
 * o2work [SECONDS] (default 3).
 * A user stack of it reaches main, and _start above it, only if the
 * unwinder reads .eh_frame.  No call here is a tail call (each function
 * does something after its last call), so the callers stay on the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLICE 0.002		/* seconds of each function per turn */
#define NSORT 512
#define MEMSZ (64 * 1024)

static volatile unsigned long sink;
static long sortbuf[NSORT];
static char membuf[2][MEMSZ];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

__attribute__((noinline)) void sort_work(unsigned long seed)
{
	for (int i = 0; i < NSORT; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		sortbuf[i] = (long)(seed >> 17);
	}
	qsort(sortbuf, NSORT, sizeof(sortbuf[0]), cmp_long);
	sink += (unsigned long)sortbuf[NSORT / 2];
}

__attribute__((noinline)) void mem_work(unsigned long seed)
{
	memset(membuf[0], (int)(seed & 0xff), MEMSZ);
	memcpy(membuf[1], membuf[0], MEMSZ);
	sink += (unsigned char)membuf[1][seed % MEMSZ];
}

__attribute__((noinline)) void fmt_work(unsigned long seed)
{
	char text[64];
	double x = (double)seed / 7.0;

	for (int i = 0; i < 32; i++) {
		snprintf(text, sizeof(text), "%.17g", x);
		x = strtod(text, NULL) * 1.000001 + 0.5;
	}
	sink += (unsigned long)x;
}

__attribute__((noinline)) void compute_work(unsigned long seed)
{
	unsigned long h = seed;

	for (int i = 0; i < 20000; i++)
		h = (h ^ (h >> 13)) * 0x9e3779b97f4a7c15UL + (unsigned long)i;
	sink += h;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	double start = now(), end = start + secs, t;
	unsigned long seed = 1;

	do {
		for (t = now() + SLICE; now() < t; seed++)
			sort_work(seed);
		for (t = now() + SLICE; now() < t; seed++)
			mem_work(seed);
		for (t = now() + SLICE; now() < t; seed++)
			fmt_work(seed);
		for (t = now() + SLICE; now() < t; seed++)
			compute_work(seed);
	} while (now() < end);
	return (int)(sink & 0);
}
