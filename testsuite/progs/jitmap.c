/*
 * JIT code named by a perf map: copies a small loop of machine code into
 * an anonymous executable page, names it jit_spin_loop in
 * /tmp/perf-PID.map as JIT runtimes do, and calls it from run_jit() for
 * the given seconds (default 2).  The page has no .eh_frame: an unwinder
 * falls back to frame pointers there, and nothing may crash.  The map is
 * left behind for the reader, as perf's JIT users leave it; the test
 * removes it.  Prints "perf map PATH".  Usage: jitmap [SECONDS].
 * Exits 77 where the code is not x86-64.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* jit_spin_loop(n): counts n down to 0 and returns (n > 0). */
static const unsigned char jit_code[] = {
	0x48, 0x89, 0xf8,	/* mov %rdi,%rax */
	0x48, 0xff, 0xc8,	/* 1: dec %rax */
	0x75, 0xfb,		/* jnz 1b */
	0xc3,			/* ret */
};

__attribute__((noinline)) void run_jit(void (*fn)(unsigned long), double end)
{
	while (now() < end) {
		fn(200000);
		sink++;
	}
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 2.0);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char path[64];
	FILE *map;
	void *mem;

#if !defined(__x86_64__)
	return 77;
#endif
	mem = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memcpy(mem, jit_code, sizeof(jit_code));
	if (mprotect(mem, page, PROT_READ | PROT_EXEC))
		return 1;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	if (!(map = fopen(path, "w")))
		return 1;
	fprintf(map, "%lx %zx jit_spin_loop\n", (unsigned long)mem, sizeof(jit_code));
	if (fclose(map))
		return 1;
	printf("perf map %s\n", path);
	fflush(stdout);
	run_jit((void (*)(unsigned long))mem, end);
	return 0;
}
