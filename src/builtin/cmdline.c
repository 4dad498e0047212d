#include "builtin/cmdline.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "builtin/builtin.h"

/*
 * getopt_long's val of a long option: above every short option letter, so
 * the two never meet.  Rows that share an id share the val of the first:
 * glibc then takes an abbreviation of both ("--fre" for --frequency and
 * --freq) as the one option it is, not as ambiguous.
 */
#define LONG_VAL_BASE	0x10000

static int long_val(const struct cmdline *c, size_t i)
{
	size_t first = 0;

	while (c->opts[first].id != c->opts[i].id)
		first++;
	return LONG_VAL_BASE + (int)first;
}

/* shortopts holds at least 3 * n_opts + 3 bytes, longopts n_opts + 1 entries. */
static void build_getopt(const struct cmdline *c, char *shortopts, struct option *longopts)
{
	static const int has_arg[] = {
		[CMD_ARG_NONE] = no_argument,
		[CMD_ARG_REQUIRED] = required_argument,
		[CMD_ARG_OPTIONAL] = optional_argument,
	};
	char *s = shortopts;
	size_t n = 0;

	if (c->flags & CMDLINE_STOP_AT_OPERAND)
		*s++ = '+';
	/* Leading ':': a missing value is ':', told apart from an unknown option. */
	*s++ = ':';
	for (size_t i = 0; i < c->n_opts; i++) {
		const struct cmd_option *o = &c->opts[i];

		if (o->short_name) {
			*s++ = (char)o->short_name;
			if (o->arg != CMD_ARG_NONE)
				*s++ = ':';
			if (o->arg == CMD_ARG_OPTIONAL)
				*s++ = ':';
		}
		if (o->long_name)
			longopts[n++] = (struct option){ o->long_name, has_arg[o->arg], NULL,
							 long_val(c, i) };
	}
	*s = '\0';
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
}

static const struct cmd_option *row_of(const struct cmdline *c, int val)
{
	if (val >= LONG_VAL_BASE)
		return &c->opts[val - LONG_VAL_BASE];
	for (size_t i = 0; i < c->n_opts; i++)
		if (c->opts[i].short_name == val)
			return &c->opts[i];
	return NULL;
}

int cmdline_parse(const struct cmdline *c, int argc, char **argv)
{
	char shortopts[3 * CMDLINE_MAX_OPTIONS + 3];
	struct option longopts[CMDLINE_MAX_OPTIONS + 1];
	const struct cmd_option *o;
	int val, status;

	if (c->n_opts > CMDLINE_MAX_OPTIONS) {
		cmd_error(c->cmd, "internal error: more than %d options", CMDLINE_MAX_OPTIONS);
		return EXIT_FAIL;
	}
	/* Exact and alone, so it never changes what users' abbreviations mean. */
	if (argc == 2 && !strcmp(argv[1], "--list-options")) {
		cmdline_list_options(c, stdout);
		return CMDLINE_DONE;
	}
	build_getopt(c, shortopts, longopts);
	/*
	 * 0, not 1: glibc then reads this optstring's '+' afresh, as a second
	 * parse in one process (help COMMAND runs the command's) needs.
	 */
	optind = 0;
	opterr = 0;
	while ((val = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (val == ':')
			return usage_error(c->cmd, "option '%s' needs a value", argv[optind - 1]);
		o = val == '?' ? NULL : row_of(c, val);
		if (!o)
			return usage_error(c->cmd, "unknown option '%s'", argv[optind - 1]);
		if ((o->flags & CMD_OPT_NEXT_WORD) && !optarg && optind < argc &&
		    argv[optind][0] != '-')
			optarg = argv[optind++];
		switch (o->id) {
		case CMD_ID_HELP:
			cmdline_usage(c, stdout);
			return CMDLINE_DONE;
		case CMD_ID_VERBOSE:
			verbose++;
			break;
		default:
			status = c->handle(c->ctx, o->id, optarg);
			if (status)
				return status;
		}
	}
	return 0;
}

int cmdline_parse_all(const struct cmdline *c, int argc, char **argv)
{
	int status = cmdline_parse(c, argc, argv);

	if (!status && optind < argc)
		return usage_error(c->cmd, "unexpected argument '%s'", argv[optind]);
	return status;
}

/* "  -o, --output FILE", "      --switch-output[=WHEN]", "  -g"; returns its width. */
static int option_spec(const struct cmd_option *o, FILE *f)
{
	bool both = o->short_name && o->long_name;
	const char *name = o->argname ? o->argname : "VALUE";
	int n;

	n = fprintf(f, "  %c%c%s%s%s", o->short_name ? '-' : ' ',
		    o->short_name ? o->short_name : ' ', both ? ", " : o->long_name ? "  " : "",
		    o->long_name ? "--" : "", o->long_name ? o->long_name : "");
	if (o->arg == CMD_ARG_REQUIRED || (o->flags & CMD_OPT_NEXT_WORD))
		n += fprintf(f, " %s", name);
	else if (o->arg == CMD_ARG_OPTIONAL)
		n += fprintf(f, o->long_name ? "[=%s]" : "[%s]", name);
	return n;
}

static void option_help(const struct cmd_option *o, int column, FILE *f)
{
	const char *p = o->help_fn ? o->help_fn() : o->help, *nl;
	int n = option_spec(o, f);

	/* A spec too wide for the column keeps two spaces before its help. */
	fprintf(f, "%*s", n + 2 <= column ? column - n : 2, "");
	while ((nl = strchr(p, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - p), p, column, "");
		p = nl + 1;
	}
	fputs(p, f);
	if (o->default_text)
		fprintf(f, "%s(default: %s)", *p ? " " : "", o->default_text);
	fputc('\n', f);
}

void cmdline_usage(const struct cmdline *c, FILE *f)
{
	int column = c->help_column ? c->help_column : CMDLINE_HELP_COLUMN;

	fputs(c->usage, f);
	fputc('\n', f);
	for (size_t i = 0; i < c->n_opts; i++)
		if (!(c->opts[i].flags & CMD_OPT_HIDDEN))
			option_help(&c->opts[i], column, f);
	if (c->more_help)
		c->more_help(f);
}

void cmdline_list_options(const struct cmdline *c, FILE *f)
{
	static const char *const kinds[] = {
		[CMD_ARG_NONE] = "none",
		[CMD_ARG_REQUIRED] = "required",
		[CMD_ARG_OPTIONAL] = "optional",
	};

	for (size_t i = 0; i < c->n_opts; i++) {
		const struct cmd_option *o = &c->opts[i];

		if (o->short_name)
			fprintf(f, "-%c", o->short_name);
		fprintf(f, "\t%s%s\t%s\t%s\t%s\t%s\n", o->long_name ? "--" : "",
			o->long_name ? o->long_name : "", kinds[o->arg],
			o->argname ? o->argname : "", o->default_text ? o->default_text : "",
			o->flags & CMD_OPT_HIDDEN ? "hidden" : "");
	}
}
