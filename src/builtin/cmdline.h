/*
 * Option tables and the option loop every command shares.
 *
 * A command describes each option once, as a row of its table; the
 * getopt_long strings, the --help lines and the --list-options dump are
 * all made from the rows, as git's parse-options does.  Options several
 * commands share are fragments of rows defined next to their parser
 * (options.h, read-opts.h, export-opts.h).  mansync.exp holds the rows
 * against the man pages, both ways.
 */
#ifndef EBPF_TOOL_CMDLINE_H
#define EBPF_TOOL_CMDLINE_H

#include <stddef.h>
#include <stdio.h>

#include "lib/util.h"

enum cmd_arg { CMD_ARG_NONE, CMD_ARG_REQUIRED, CMD_ARG_OPTIONAL };

enum {
	/* Accepted, but not in --help: another name of an option that is. */
	CMD_OPT_HIDDEN = 1u << 0,
	/*
	 * An optional value that may also be the next word ("-g folded"), as
	 * perf's -g; a command with operands cannot tell it from one.
	 */
	CMD_OPT_NEXT_WORD = 1u << 1,
};

/*
 * What handle() is given: a command's own ids are its short option
 * letters or from CMD_ID_OWN; the fragments have ranges of their own.
 */
enum {
	CMD_ID_HELP = -1,		/* handled here: prints --help */
	CMD_ID_VERBOSE = -2,		/* handled here: verbose++ */
	CMD_ID_SAMPLE = 0x100,		/* options.h */
	CMD_ID_READ = 0x200,		/* read-opts.h */
	CMD_ID_SVG = 0x300,		/* export-opts.h */
	CMD_ID_OWN = 0x400,
};

struct cmd_option {
	int short_name;			/* 0: none */
	const char *long_name;		/* NULL: none */
	enum cmd_arg arg;
	const char *argname;		/* as --help shows it: "HZ", "PID,..." */
	/*
	 * Its --help text: '\n' starts a line under the first, at the help
	 * column; ending in '\n' puts the default on a line of its own.
	 */
	const char *help;
	/*
	 * The value taken when the option is not given, as --help shows it
	 * ("(default: X)") and the man page says it (mansync.exp checks).
	 * NULL: none, or one that takes words, said in help.
	 */
	const char *default_text;
	int id;
	unsigned int flags;		/* CMD_OPT_* */
	/*
	 * Help made when --help prints it, from a table of the layers below
	 * (--sort's keys); NULL: help is the text.
	 */
	const char *(*help_fn)(void);
};

#define CMD_FLAG(s, l, id, help) \
	{ (s), (l), CMD_ARG_NONE, NULL, (help), NULL, (id), 0, NULL }
#define CMD_VALUE(s, l, id, argname, help, dflt) \
	{ (s), (l), CMD_ARG_REQUIRED, (argname), (help), (dflt), (id), 0, NULL }
#define CMD_OPTIONAL(s, l, id, argname, help, dflt) \
	{ (s), (l), CMD_ARG_OPTIONAL, (argname), (help), (dflt), (id), 0, NULL }
/* Another name for the option whose id it shares; perf's spelling, say. */
#define CMD_ALIAS(s, l, id, arg) \
	{ (s), (l), (arg), NULL, NULL, NULL, (id), CMD_OPT_HIDDEN, NULL }

#define CMD_OPTION_HELP		CMD_FLAG('h', "help", CMD_ID_HELP, "show this help")
#define CMD_OPTION_VERBOSE(help) CMD_FLAG('v', "verbose", CMD_ID_VERBOSE, help)

/* A default that is a number in C, as --help and the man page spell it. */
#define CMD_STR(x)	CMD_STR_(x)
#define CMD_STR_(x)	#x

/* Rows in one table at most: the getopt_long arrays live on the stack. */
#define CMDLINE_MAX_OPTIONS	64
/* .opts and .n_opts of a table, refusing to compile one that is too long. */
#define CMDLINE_OPTIONS(t) \
	.opts = (t), \
	.n_opts = ARRAY_SIZE(t) + 0 * sizeof(char[ARRAY_SIZE(t) <= CMDLINE_MAX_OPTIONS ? 1 : -1])

enum {
	/* Stop at the first operand: it and what follows are a command to run. */
	CMDLINE_STOP_AT_OPERAND = 1u << 0,
};

#define CMDLINE_HELP_COLUMN	25

struct cmdline {
	const char *cmd;		/* for messages: "ebpf-tool CMD: ..." */
	/* --help before the option lines: usage lines, a blank line, what it does. */
	const char *usage;
	const struct cmd_option *opts;
	size_t n_opts;
	unsigned int flags;		/* CMDLINE_* */
	int help_column;		/* where option help starts; 0: CMDLINE_HELP_COLUMN */
	void (*more_help)(FILE *f);	/* after the option lines, if not NULL */
	/* One option and its value (NULL if none): 0, or an exit status after saying why. */
	int (*handle)(void *ctx, int id, const char *arg);
	void *ctx;
};

/*
 * What cmdline_parse() returns when it printed --help or --list-options:
 * the command is done.  Above every exit status, so that it is never
 * taken for one; cmdline_exit() turns it into EXIT_OK.
 */
#define CMDLINE_DONE	0x100

/*
 * Run getopt_long over argv as the table says.  -h prints the help and
 * returns CMDLINE_DONE, as does --list-options alone after the command
 * name; a missing value or an unknown option is a usage error
 * (EXIT_USAGE, said); every other option goes to handle(), and a status
 * it returns ends the parse.  On 0, optind is at the first operand.
 */
int cmdline_parse(const struct cmdline *c, int argc, char **argv);
/* As cmdline_parse(), for a command that takes no operands. */
int cmdline_parse_all(const struct cmdline *c, int argc, char **argv);

/* The exit status of a parse that did not return 0. */
static inline int cmdline_exit(int status)
{
	return status == CMDLINE_DONE ? EXIT_OK : status;
}

/* The --help text: c->usage, a blank line, one line or more per shown row, more_help. */
void cmdline_usage(const struct cmdline *c, FILE *f);
/*
 * Every row, hidden ones too, for the test suite and other tools: one
 * line each of tab-separated fields: -S, --LONG, none|required|optional,
 * ARGNAME, DEFAULT, hidden (each empty when the row has none).
 */
void cmdline_list_options(const struct cmdline *c, FILE *f);

#endif
