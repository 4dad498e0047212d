/* ebpf-tool help [COMMAND]: the man page, as "git help" does. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "lib/util.h"

/* Run man; returns its exit status, or -1 if man could not be run. */
static int run_man(const char *page)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* "No manual entry" is not news: the --help text follows. */
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		execlp("man", "man", page, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
}

int cmd_help(int argc, char **argv)
{
	const struct command *cmd;
	char page[64];
	char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		size_t n;
		const struct command *t = command_table(&n);

		printf("Usage: ebpf-tool help COMMAND\n\nShow the manual page of a command, "
		       "or its --help text when man is not installed.\n\nCommands:\n");
		for (size_t i = 0; i < n; i++)
			printf("  %-11s %s\n", t[i].name, t[i].summary);
		return EXIT_OK;
	}
	cmd = command_lookup(argv[1]);
	if (!cmd)
		return usage_error("help", "'%s' is not an ebpf-tool command", argv[1]);
	snprintf(page, sizeof(page), "ebpf-tool-%s", cmd->name);
	if (run_man(page) == 0)
		return EXIT_OK;
	help_argv[0] = (char *)cmd->name;
	return cmd->fn(2, help_argv);
}
