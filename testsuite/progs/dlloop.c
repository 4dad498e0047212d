/*
 * dlopen() a library, call its lib_work(), dlclose() it, again and again
 * for the given seconds (default 2): its text is mapped and unmapped about
 * a thousand times while it is sampled, usually at the same address.
 * Built as users build (gcc -O2 -g).  Usage: dlloop LIBRARY [SECONDS].
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) int cycle(const char *lib)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	unsigned long (*work)(unsigned long);

	if (!h) {
		fprintf(stderr, "dlloop: %s\n", dlerror());
		return -1;
	}
	*(void **)&work = dlsym(h, "lib_work");
	if (!work) {
		fprintf(stderr, "dlloop: %s\n", dlerror());
		return -1;
	}
	sink += work(sink);
	return dlclose(h);
}

int main(int argc, char **argv)
{
	double end;
	long n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: dlloop LIBRARY [SECONDS]\n");
		return 2;
	}
	end = now() + (argc > 2 ? atof(argv[2]) : 2.0);
	while (now() < end) {
		if (cycle(argv[1]))
			return 1;
		n++;
	}
	printf("cycles %ld\n", n);
	return 0;
}
