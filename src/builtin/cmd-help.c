/* ebpf-tool help [COMMAND]: the man page, as "git help" does. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
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

static const char usage_text[] =
	"Usage: ebpf-tool help COMMAND\n\nShow the manual page of a command, "
	"or its --help text when man is not installed.\n";

static const struct cmd_option options[] = {
	CMD_OPTION_HELP,
};

static void list_commands(FILE *f)
{
	size_t n;
	const struct command *t = command_table(&n);

	fprintf(f, "\nCommands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-11s %s\n", t[i].name, t[i].summary);
}

int cmd_help(int argc, char **argv)
{
	/* "help perf --help" is about perf: stop at the command. */
	const struct cmdline cl = {
		.cmd = "help", .usage = usage_text, CMDLINE_OPTIONS(options),
		.flags = CMDLINE_STOP_AT_OPERAND, .more_help = list_commands,
	};
	const struct command *cmd;
	char page[64];
	char *help_argv[] = { NULL, "--help", NULL };
	int status = cmdline_parse(&cl, argc, argv);

	if (status)
		return cmdline_exit(status);
	if (optind >= argc) {
		cmdline_usage(&cl, stdout);
		return EXIT_OK;
	}
	cmd = command_lookup(argv[optind]);
	if (!cmd)
		return usage_error("help", "'%s' is not an ebpf-tool command", argv[optind]);
	snprintf(page, sizeof(page), "ebpf-tool-%s", cmd->name);
	if (run_man(page) == 0)
		return EXIT_OK;
	help_argv[0] = (char *)cmd->name;
	return cmd->fn(2, help_argv);
}
