/* ebpf-tool: the command table, global options and the exit-status rules. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "builtin/builtin.h"
#include "lib/util.h"

int verbose;
volatile int stop_requested;

static const struct command commands[] = {
	{ "annotate", cmd_annotate, "Show the hottest functions instruction by instruction" },
	{ "diff", cmd_diff, "Compare the profiles of two data files" },
	{ "export", cmd_export, "Convert a data file to folded, pprof or Chrome trace" },
	{ "flamegraph", cmd_flamegraph, "Draw a data file as an interactive SVG flame graph" },
	{ "help", cmd_help, "Show help for a command" },
	{ "perf", cmd_perf, "Sample every CPU live and print a summary" },
	{ "record", cmd_record, "Sample into a data file" },
	{ "report", cmd_report, "Show where the samples of a data file fall" },
	{ "script", cmd_script, "Print every sample of a data file" },
	{ "stat", cmd_stat, "Count events, as perf stat does" },
	{ "list", cmd_list, "List the events this machine can count and record" },
};

const struct command *command_table(size_t *n)
{
	*n = ARRAY_SIZE(commands);
	return commands;
}

const struct command *command_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void on_stop(int sig)
{
	stop_requested = sig;
}

void install_stop_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	/* No SA_RESTART: a blocking wait must return so the loop sees the flag. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int exit_as_child(int wstatus)
{
	if (WIFSIGNALED(wstatus)) {
		/* Die of the same signal, with what we wrote flushed first. */
		signal(WTERMSIG(wstatus), SIG_DFL);
		fflush(NULL);
		kill(getpid(), WTERMSIG(wstatus));
		return 128 + WTERMSIG(wstatus);
	}
	return WEXITSTATUS(wstatus);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose || (level == LIBBPF_DEBUG && verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void list_commands(FILE *f)
{
	fprintf(f, "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: ebpf-tool [--version] [--help] COMMAND [ARGS]\n\n"
		"A CPU profiler for Linux that samples with eBPF.\n\n");
	list_commands(f);
	fprintf(f, "\nSee 'ebpf-tool help COMMAND' or 'ebpf-tool COMMAND --help'.\n");
}

/* A failed write to stdout (ENOSPC, EPIPE) must not end in exit status 0. */
static int finish_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			cmd_error(NULL, "cannot write to standard output: %s", strerror(errno));
		return status ? status : EXIT_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	libbpf_set_print(libbpf_print);
	/* A closed pipe is an error to report, not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return finish_stdout(EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version")) {
		printf("ebpf-tool %s\n", PACKAGE_VERSION);
		return finish_stdout(EXIT_OK);
	}
	cmd = command_lookup(argv[1]);
	if (!cmd) {
		if (argv[1][0] == '-')
			cmd_error(NULL, "unknown option '%s'", argv[1]);
		else
			cmd_error(NULL, "'%s' is not an ebpf-tool command", argv[1]);
		list_commands(stderr);
		return EXIT_USAGE;
	}
	return finish_stdout(cmd->fn(argc - 1, argv + 1));
}
