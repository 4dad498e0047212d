/* A command to record: started stopped, so sampling is ready before it runs. */
#ifndef EBPF_TOOL_WORKLOAD_H
#define EBPF_TOOL_WORKLOAD_H

#include <sys/types.h>

struct workload {
	pid_t pid;
	int go_fd;		/* write end: closing it lets the child exec */
	int err_fd;		/* read end: the child's exec errno, or EOF */
};

/* Fork a child that waits, then execs argv[0] from PATH. */
int workload_prepare(struct workload *w, char **argv);
/* Let it run; -errno if exec failed (the child is reaped then). */
int workload_start(struct workload *w);
/* Kill and reap a workload that will never start. */
void workload_abort(struct workload *w);

#endif
