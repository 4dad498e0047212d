/*
 * The 50/30/20 workload of split.c, built as frame-pointer users build it
 * (gcc -O2 -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer): main
 * calls func_a, func_b and func_c, which spend 5, 3 and 2 units of CPU in
 * leaf(), a loop that calls nothing and touches no stack, so gcc 12 gives
 * it no frame despite -mno-omit-leaf-frame-pointer.  A frame-pointer walk
 * from leaf() starts at its caller's frame and so loses the caller itself:
 * only .eh_frame says that func_a called it.  Usage: fpleaf [SECONDS].
 */
#include <stdlib.h>
#include <time.h>

#define UNIT 20000

static volatile unsigned long sink;
static unsigned long units[3] = { 5, 3, 2 };

/* noipa: no clone (leaf.constprop.0) and no inlining of the loop. */
__attribute__((noipa)) void leaf(unsigned long n)
{
	for (unsigned long i = 0; i < n * UNIT; i++)
		sink += i;
}

/* The empty asm after each call keeps it from being a tail call (a jmp to
 * leaf), which would take the caller off the stack for any unwinder. */
__attribute__((noipa)) void func_a(void)
{
	leaf(units[0]);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void func_b(void)
{
	leaf(units[1]);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void func_c(void)
{
	leaf(units[2]);
	__asm__ volatile("" ::: "memory");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 3.0);

	while (now() < end) {
		func_a();
		func_b();
		func_c();
	}
	return 0;
}
