/* The option loop every command shares. */
#ifndef EBPF_TOOL_CMDLINE_H
#define EBPF_TOOL_CMDLINE_H

#include <getopt.h>

struct cmdline {
	const char *cmd;		/* for messages: "ebpf-tool CMD: ..." */
	const char *shortopts;		/* getopt_long's, from ":" ("+:" before a command) */
	const struct option *longopts;
	const char *usage;		/* printed on -h */
	/* One option, its value in optarg: 0, or an exit status after saying why. */
	int (*handle)(void *ctx, int opt);
	void *ctx;
};

/*
 * Run getopt_long over argv: -h prints the usage and returns -1; a missing
 * value or an unknown option is a usage error (EXIT_USAGE, said); every
 * other option goes to handle().  On 0, optind is at the first operand.
 */
int cmdline_parse(const struct cmdline *c, int argc, char **argv);
/* As cmdline_parse(), for a command that takes no operands. */
int cmdline_parse_all(const struct cmdline *c, int argc, char **argv);

#endif
