/*
 * Benchmark workload: short-lived processes at a steady rate, for the
 * long recording.  Starts RATE processes a second running PROG ARGS for
 * SECONDS, each with its serial number appended as a last argument, and
 * reaps them as they exit.
 *
 * Usage: spawner RATE SECONDS PROG [ARGS...]
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

int main(int argc, char **argv)
{
	double rate, secs, t0, next;
	char serial[32], **args;
	unsigned long n = 0;

	if (argc < 4 || (rate = atof(argv[1])) <= 0 || (secs = atof(argv[2])) <= 0) {
		fprintf(stderr, "usage: spawner RATE SECONDS PROG [ARGS...]\n");
		return 2;
	}
	if (!(args = calloc((size_t)argc, sizeof(*args))))
		return 1;
	for (int i = 3; i < argc; i++)
		args[i - 3] = argv[i];
	args[argc - 3] = serial;
	t0 = next = now();
	while (now() < t0 + secs) {
		struct timespec ts;
		double wait;
		pid_t pid;

		snprintf(serial, sizeof(serial), "%lu", ++n);
		if ((pid = fork()) == 0) {
			execv(args[0], args);
			_exit(127);
		}
		if (pid < 0)
			perror("spawner: fork");
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		next += 1.0 / rate;
		if ((wait = next - now()) > 0) {
			ts.tv_sec = (time_t)wait;
			ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
	}
	while (wait(NULL) > 0)
		;
	printf("%lu\n", n);
	return 0;
}
