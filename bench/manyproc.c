/*
 * Benchmark workload: many short-lived processes with varied stacks, for
 * the report-speed test.  Keeps PARALLEL copies of cpuwork running for
 * SECONDS; each lives LIFETIME_MS, walks its own set of call paths (seed =
 * its serial number), spends a tenth of its time in system calls and takes
 * one of 16 process names.
 *
 * Usage: manyproc CPUWORK SECONDS [PARALLEL [LIFETIME_MS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t spawn(const char *prog, unsigned long serial, double life)
{
	char seed[32], comm[16], secs[32];
	pid_t pid;

	snprintf(seed, sizeof(seed), "%lu", serial);
	snprintf(comm, sizeof(comm), "work%02lu", serial % 16);
	snprintf(secs, sizeof(secs), "%.3f", life);
	pid = fork();
	if (pid == 0) {
		execl(prog, "cpuwork", "-t", secs, "-s", seed, "-p", "64", "-k", "10",
		      "-c", comm, (char *)NULL);
		_exit(127);
	}
	return pid;
}

int main(int argc, char **argv)
{
	double end, life;
	unsigned long serial = 0, par, running = 0;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: manyproc CPUWORK SECONDS [PARALLEL [LIFETIME_MS]]\n");
		return 2;
	}
	end = now() + atof(argv[2]);
	par = argc > 3 ? strtoul(argv[3], NULL, 10) : 2;
	life = (argc > 4 ? atof(argv[4]) : 50) / 1000.0;
	while (now() < end || running) {
		while (running < par && now() < end) {
			if (spawn(argv[1], serial++, life) < 0)
				return 1;
			running++;
		}
		if (wait(&status) > 0)
			running--;
		else
			break;
	}
	printf("%lu processes\n", serial);
	return 0;
}
