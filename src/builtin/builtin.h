/*
 * The command table.  To add a command:
 *  1. write src/builtin/cmd-NAME.c with cmd_NAME(): its option table
 *     (cmdline.h), a handler and glue only, the work itself in a module of
 *     its own;
 *  2. add it to the table in ebpf-tool.c and to Makefile.am;
 *  3. write doc/ebpf-tool-NAME.1 naming every option of the table, aliases
 *     too, and its default, and
 *     name the command in COMMANDS and SEE ALSO of doc/ebpf-tool.1 (the
 *     page is installed from doc/ as it is; mansync.exp checks all this);
 *  4. add tests under testsuite/ebpf-tool.NAME/;
 *  5. say what users will notice in NEWS and ChangeLog.
 * Commands print their own errors and return an exit status: 0 success,
 * 1 failure, 2 usage error; lib/errors.h writes the convention down.
 */
#ifndef EBPF_TOOL_BUILTIN_H
#define EBPF_TOOL_BUILTIN_H

#include <stddef.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_annotate(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_flamegraph(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_perf(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_script(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_list(int argc, char **argv);

const struct command *command_lookup(const char *name);
const struct command *command_table(size_t *n);

/* -v given: let libbpf's messages through. */
extern int verbose;

/*
 * The exit status of record or stat whose command ended with wstatus (as
 * waitpid() gives it): the command's own, or death by its signal, as a
 * shell expects of a wrapper (128 + N if the signal does not kill us).
 */
int exit_as_child(int wstatus);

/* Install SIGINT/SIGTERM/SIGHUP handlers that set stop_requested. */
extern volatile int stop_requested;
void install_stop_handlers(void);

#endif
