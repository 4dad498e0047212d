#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/workload.h"

static void child(int go, int err_fd, char **argv)
{
	char c;
	int e;

	/* The recorder's stop handlers are not the workload's business. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	close(go);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

int workload_prepare(struct workload *w, char **argv)
{
	int go[2], errp[2];

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(errp, O_CLOEXEC)) {
		int e = -errno;

		close(go[0]);
		close(go[1]);
		return e;
	}
	w->pid = fork();
	if (w->pid < 0) {
		int e = -errno;

		close(go[0]);
		close(go[1]);
		close(errp[0]);
		close(errp[1]);
		return e;
	}
	if (w->pid == 0) {
		close(go[1]);
		close(errp[0]);
		child(go[0], errp[1], argv);
	}
	close(go[0]);
	close(errp[1]);
	w->go_fd = go[1];
	w->err_fd = errp[0];
	return 0;
}

int workload_start(struct workload *w)
{
	ssize_t n;
	int e = 0;

	close(w->go_fd);
	w->go_fd = -1;
	do {
		n = read(w->err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(w->err_fd);
	w->err_fd = -1;
	if (n == sizeof(e)) {
		waitpid(w->pid, NULL, 0);
		return -e;
	}
	return 0;
}

void workload_abort(struct workload *w)
{
	if (w->pid <= 0)
		return;
	kill(w->pid, SIGKILL);
	if (w->go_fd >= 0)
		close(w->go_fd);
	if (w->err_fd >= 0)
		close(w->err_fd);
	waitpid(w->pid, NULL, 0);
	w->pid = 0;
}
