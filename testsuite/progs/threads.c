/*
 * Four threads, each spinning in spinner() (its own function) for the
 * given seconds (default 2), built as users build (gcc -O2 -g -pthread, no
 * frame pointers): a thread's user stack ends at glibc's start_thread and
 * clone3 only if the unwinder reads their .eh_frame.  Usage: threads [SECONDS].
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define NTHREADS 4

static volatile unsigned long sink;
static double end_time;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void *spinner(void *arg)
{
	unsigned long h = (unsigned long)arg;

	/* The clock is read rarely: the samples are in spinner(), not the vDSO. */
	while (now() < end_time)
		for (int i = 0; i < 1000000; i++)
			h = (h ^ (h >> 7)) * 0x9e3779b97f4a7c15UL + (unsigned long)i;
	sink += h;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tid[NTHREADS];

	end_time = now() + (argc > 1 ? atof(argv[1]) : 2.0);
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&tid[i], NULL, spinner, (void *)i))
			return 1;
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(tid[i], NULL);
	return 0;
}
