/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the option tables: parsing, --help layout, --list-options. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin/cmdline.h"
#include "check.h"

int verbose;			/* the commands' global, bumped by -v */

enum { ID_FREQ = 'f', ID_GRAPH = 'g', ID_LEVEL = 'z', ID_QUIET = 'q', ID_OFF = CMD_ID_OWN,
       ID_SWITCH, ID_PAGES };

static const struct cmd_option options[] = {
	CMD_VALUE('f', "frequency", ID_FREQ, "HZ", "samples per second", "99"),
	CMD_ALIAS('F', "freq", ID_FREQ, CMD_ARG_REQUIRED),
	CMD_FLAG(0, "off-cpu", ID_OFF, "also off-CPU time,\nas event offcpu-time"),
	CMD_FLAG('q', NULL, ID_QUIET, "quiet"),
	CMD_OPTIONAL('z', "compression-level", ID_LEVEL, "N", "zlib level", "6"),
	CMD_OPTIONAL(0, "switch-output", ID_SWITCH, "WHEN", "a new file now and then", NULL),
	CMD_VALUE(0, "pages", ID_PAGES, "N", "ring buffer pages, a power of two\n", "256"),
	{ 'g', "call-graph", CMD_ARG_OPTIONAL, "OPTS", "call graphs", NULL, ID_GRAPH,
	  CMD_OPT_NEXT_WORD, NULL },
	CMD_OPTION_VERBOSE("say more"),
	CMD_OPTION_HELP,
};

static const char want_help[] =
	"Usage: t [options]\n"
	"\n"
	"  -f, --frequency HZ     samples per second (default: 99)\n"
	"      --off-cpu          also off-CPU time,\n"
	"                         as event offcpu-time\n"
	"  -q                     quiet\n"
	"  -z, --compression-level[=N]  zlib level (default: 6)\n"
	"      --switch-output[=WHEN]  a new file now and then\n"
	"      --pages N          ring buffer pages, a power of two\n"
	"                         (default: 256)\n"
	"  -g, --call-graph OPTS  call graphs\n"
	"  -v, --verbose          say more\n"
	"  -h, --help             show this help\n";

static const char want_list[] =
	"-f\t--frequency\trequired\tHZ\t99\t\n"
	"-F\t--freq\trequired\t\t\thidden\n"
	"\t--off-cpu\tnone\t\t\t\n"
	"-q\t\tnone\t\t\t\n"
	"-z\t--compression-level\toptional\tN\t6\t\n"
	"\t--switch-output\toptional\tWHEN\t\t\n"
	"\t--pages\trequired\tN\t256\t\n"
	"-g\t--call-graph\toptional\tOPTS\t\t\n"
	"-v\t--verbose\tnone\t\t\t\n"
	"-h\t--help\tnone\t\t\t\n";

/* What handle() saw: the ids in order, each with its value. */
struct seen {
	int ids[16];
	char args[16][32];
	int n;
};

static int record(void *ctx, int id, const char *arg)
{
	struct seen *s = ctx;

	if (s->n < 16) {
		s->ids[s->n] = id;
		snprintf(s->args[s->n], sizeof(s->args[0]), "%s", arg ? arg : "(null)");
		s->n++;
	}
	return 0;
}

static struct cmdline table(struct seen *s, unsigned int flags)
{
	struct cmdline c = {
		.cmd = "t", .usage = "Usage: t [options]\n", CMDLINE_OPTIONS(options),
		.flags = flags, .handle = record, .ctx = s,
	};

	memset(s, 0, sizeof(*s));
	return c;
}

/* Parse a NULL-terminated list of words, with stdout and stderr silenced. */
static int parse_as(int (*fn)(const struct cmdline *, int, char **), const struct cmdline *c,
		    char **words)
{
	int argc = 0, err, out = dup(STDOUT_FILENO), errfd = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);

	while (words[argc])
		argc++;
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	err = fn(c, argc, words);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	dup2(errfd, STDERR_FILENO);
	close(out);
	close(errfd);
	close(null);
	return err;
}

static int parse(const struct cmdline *c, char **words)
{
	return parse_as(cmdline_parse, c, words);
}

static char *captured(void (*fn)(const struct cmdline *, FILE *), const struct cmdline *c)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fn(c, f);
	fclose(f);
	return buf;
}

static void test_text(void)
{
	struct seen s;
	struct cmdline c = table(&s, 0);
	char *help = captured(cmdline_usage, &c), *list = captured(cmdline_list_options, &c);

	CHECK("--help: aligned, wide specs, continuation lines, defaults, hidden rows left out",
	      help && !strcmp(help, want_help));
	if (help && strcmp(help, want_help))
		printf("got:\n%s", help);
	CHECK("--list-options: every row, the hidden one too", list && !strcmp(list, want_list));
	if (list && strcmp(list, want_list))
		printf("got:\n%s", list);
	free(help);
	free(list);
}

static void test_parse(void)
{
	struct seen s;
	struct cmdline c = table(&s, 0);
	char *a1[] = { "t", "--fre", "5", "-F7", "-z", "-z3", "--switch-output", "-g", "folded",
		       "--call-graph=flat", "-g", "-q", "-vv", NULL };
	char *a2[] = { "t", "--bogus", NULL };
	char *a3[] = { "t", "-f", NULL };
	char *a4[] = { "t", "-h", "-q", NULL };
	char *a5[] = { "t", "--list-options", NULL };
	char *a6[] = { "t", "-q", "cmd", "-q", NULL };
	char *a7[] = { "t", "-q", "extra", NULL };

	verbose = 0;
	CHECK("a valid command line parses", parse(&c, a1) == 0);
	CHECK("an abbreviation of a name and its alias is the option, not ambiguous",
	      s.n > 0 && s.ids[0] == ID_FREQ && !strcmp(s.args[0], "5"));
	CHECK("a short alias goes to the option's id", s.n > 1 && s.ids[1] == ID_FREQ &&
	      !strcmp(s.args[1], "7"));
	CHECK("an optional value: absent, then attached", s.n > 3 && s.ids[2] == ID_LEVEL &&
	      !strcmp(s.args[2], "(null)") && !strcmp(s.args[3], "3"));
	CHECK("a long option's optional value left out", s.n > 4 && s.ids[4] == ID_SWITCH &&
	      !strcmp(s.args[4], "(null)"));
	CHECK("CMD_OPT_NEXT_WORD takes the next word, or =VALUE, or none before an option",
	      s.n > 7 && !strcmp(s.args[5], "folded") && !strcmp(s.args[6], "flat") &&
	      !strcmp(s.args[7], "(null)"));
	CHECK("-v is counted here, not handed on", verbose == 2 && s.n == 9 &&
	      s.ids[8] == ID_QUIET);
	CHECK("an unknown option is a usage error", parse(&c, a2) == EXIT_USAGE);
	CHECK("a missing value is a usage error", parse(&c, a3) == EXIT_USAGE);
	c = table(&s, 0);
	CHECK("-h prints the help and stops", parse(&c, a4) == CMDLINE_DONE && s.n == 0);
	CHECK("--list-options alone prints the table", parse(&c, a5) == CMDLINE_DONE);
	CHECK("CMDLINE_DONE is no exit status, and exits 0",
	      CMDLINE_DONE > 255 && cmdline_exit(CMDLINE_DONE) == EXIT_OK &&
	      cmdline_exit(EXIT_USAGE) == EXIT_USAGE);
	c = table(&s, CMDLINE_STOP_AT_OPERAND);
	CHECK("CMDLINE_STOP_AT_OPERAND leaves a command's options alone",
	      parse(&c, a6) == 0 && s.n == 1 && optind == 2);
	c = table(&s, 0);
	CHECK("cmdline_parse_all refuses an operand",
	      parse_as(cmdline_parse_all, &c, a7) == EXIT_USAGE);
}

static const char *made_help(void)
{
	return "made at run time:\na, b or c";
}

/* help_fn: the help of a row made from a table below, as --sort's. */
static void test_help_fn(void)
{
	static const struct cmd_option made[] = {
		{ 's', "sort", CMD_ARG_REQUIRED, "KEYS", NULL, "a", 's', 0, made_help },
	};
	const struct cmdline c = { .cmd = "t", .usage = "Usage: t\n", CMDLINE_OPTIONS(made) };
	char *got = captured(cmdline_usage, &c);

	CHECK("help_fn's text is the row's help",
	      got && !strcmp(got, "Usage: t\n\n  -s, --sort KEYS        made at run time:\n"
			     "                         a, b or c (default: a)\n"));
	free(got);
}

int main(void)
{
	test_help_fn();
	test_text();
	test_parse();
	return check_summary();
}
