/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The error convention of the whole program, and the exit statuses and
 * message functions of the command layer (defined in util.c).
 *
 * Library code -- every folder of src/ but builtin/ -- returns 0 (or a
 * count or an index, >= 0) on success and a negative errno on failure,
 * and prints nothing.  Where the errno alone would not tell the user
 * what happened, it fills an error struct its caller passed in
 * (sampler_error, tracer_error, df_read_status, session_status,
 * reader_error) or leaves the words where the caller looks (hist.why).
 * It never returns an exit status.
 *
 * A command (builtin/cmd-NAME.c and its helpers in builtin/) turns that
 * into one message, through cmd_error() or usage_error(), saying what
 * failed, why, and what to do, and returns an exit status:
 *   EXIT_OK    0  success; never after an error;
 *   EXIT_FAIL  1  anything that went wrong, running out of memory too;
 *   EXIT_USAGE 2  a wrong command line (usage_error() points to --help).
 * record and stat pass on their workload's status (126 and 127 when it
 * cannot run, 128 + N when signal N killed it).  Warnings (cmd_warn())
 * never change the status.  A closed standard output is -EPIPE without
 * a message: main() reports it once.
 *
 * Names follow what a variable holds: err a negative errno, status an
 * exit status.  A helper that says why and returns an exit status says
 * so in its comment ("returns 0 or EXIT_FAIL after saying why").
 * cmdline_parse() returns CMDLINE_DONE, no exit status, when it printed
 * --help or --list-options: cmdline_exit() makes it EXIT_OK.
 */
#ifndef EBPF_TOOL_ERRORS_H
#define EBPF_TOOL_ERRORS_H

/* Exit statuses of every command. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

/*
 * Messages of the command layer: "ebpf-tool CMD: message"; cmd_warn()'s
 * say "warning: " first; usage_error() adds where --help is and returns
 * EXIT_USAGE.
 */
void cmd_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_warn(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
