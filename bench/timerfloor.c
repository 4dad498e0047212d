/*
 * The floor under every cpu-clock sampler: run a command while the same
 * per-CPU cpu-clock events ebpf-tool opens fire at HZ with nothing attached
 * (no BPF program, no ring buffer, no stack walk).  The workload's slowdown
 * under this is what the timer interrupts alone cost on this machine; no
 * tool sampling with that event can be cheaper.
 *
 * Usage: timerfloor HZ COMMAND [ARG]...
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.freq = 1,
		.sample_type = PERF_SAMPLE_IP,
	};
	long cpu, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int status;
	pid_t pid;

	if (argc < 3 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: timerfloor HZ COMMAND [ARG]...\n");
		return 2;
	}
	attr.sample_freq = atoi(argv[1]);
	for (cpu = 0; cpu < ncpu; cpu++) {
		if (syscall(__NR_perf_event_open, &attr, -1, (int)cpu, -1,
			    PERF_FLAG_FD_CLOEXEC) < 0) {
			fprintf(stderr, "timerfloor: cpu-clock on CPU %ld: %s\n",
				cpu, strerror(errno));
			return 1;
		}
	}
	pid = fork();
	if (pid < 0) {
		perror("timerfloor: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "timerfloor: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("timerfloor: waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
