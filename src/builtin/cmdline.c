#include "builtin/cmdline.h"

#include <stdio.h>

#include "lib/util.h"

int cmdline_parse(const struct cmdline *c, int argc, char **argv)
{
	int opt, err;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, c->shortopts, c->longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(c->usage, stdout);
			return -1;
		case ':':
			return usage_error(c->cmd, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			return usage_error(c->cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			err = c->handle(c->ctx, opt);
			if (err)
				return err;
		}
	}
	return 0;
}

int cmdline_parse_all(const struct cmdline *c, int argc, char **argv)
{
	int err = cmdline_parse(c, argc, argv);

	if (!err && optind < argc)
		return usage_error(c->cmd, "unexpected argument '%s'", argv[optind]);
	return err;
}
