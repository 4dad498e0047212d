/*
 * Start N short processes one after another (default 10000), each burning
 * a little CPU in burn() before it exits: a fork storm to record.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;

__attribute__((noinline)) void burn(void)
{
	for (unsigned long i = 0; i < 200000; i++)
		sink += i;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			burn();
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) < 0)
			return 1;
	}
	return 0;
}
