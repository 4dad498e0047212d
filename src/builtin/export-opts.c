/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/datafile.h"
#include "builtin/export-opts.h"
#include "lib/util.h"

void svg_opts_init(struct svg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->width = SVG_DEFAULT_WIDTH;
	o->minwidth = SVG_DEFAULT_MINWIDTH;
	o->palette = PAL_HOT;
}

/* "0.1" pixels or "0.5%" of the graph. */
static int minwidth_opt(struct svg_opts *o, const char *cmd, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);
	bool pct = *end == '%';

	if (end == arg || (pct && end[1]) || (!pct && *end) || !isfinite(v) ||
	    v < 0 || (pct && v > 100) || v > SVG_MAX_WIDTH)
		return usage_error(cmd, "invalid --minwidth '%s': expected pixels like "
				   "0.1, or a percentage of the graph like 0.5%%", arg);
	o->minwidth = v;
	o->minwidth_pct = pct;
	return 0;
}

int svg_opts_parse(struct svg_opts *o, const char *cmd, int id, const char *arg)
{
	uint64_t w;

	switch (id) {
	case SVG_OPT_TITLE: o->title = arg; return 0;
	case SVG_OPT_SUBTITLE: o->subtitle = arg; return 0;
	case SVG_OPT_COUNTNAME: o->countname = arg; return 0;
	case SVG_OPT_INVERTED: o->inverted = true; return 0;
	case SVG_OPT_FLAMECHART: o->chart = true; return 0;
	case SVG_OPT_MINWIDTH: return minwidth_opt(o, cmd, arg);
	case SVG_OPT_WIDTH:
		if (parse_u64(arg, 200, SVG_MAX_WIDTH, &w))
			return usage_error(cmd, "invalid --width '%s': expected pixels "
					   "from 200 to %d", arg, SVG_MAX_WIDTH);
		o->width = (unsigned int)w;
		return 0;
	case SVG_OPT_COLORS:
		if (svg_parse_palette(arg, &o->palette))
			return usage_error(cmd, "invalid --colors '%s': expected %s", arg,
					   svg_palette_names());
		return 0;
	}
	return usage_error(cmd, "unhandled option %d", id);
}

int export_path_opt(const char *cmd, const char *opt, const char *arg, const char **path)
{
	if (!*arg)
		return usage_error(cmd, "invalid %s '': expected a file name or - for "
				   "standard output", opt);
	*path = arg;
	return 0;
}

int export_out_open(struct export_out *e, const char *cmd, const char *path,
		    bool binary)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->path = path;
	e->of.fd = -1;
	if (binary && !strcmp(path, "-") && isatty(STDOUT_FILENO)) {
		cmd_error(cmd, "will not write a binary file to a terminal: give "
			  "-o FILE, or redirect standard output");
		return EXIT_FAIL;
	}
	err = outfile_open(&e->of, path);
	if (err) {
		cmd_error(cmd, "cannot create '%s': %s", path, strerror(-err));
		return EXIT_FAIL;
	}
	e->open = true;
	if (binary)
		return 0;
	e->fp = e->of.fd == STDOUT_FILENO ? stdout : fdopen(e->of.fd, "w");
	if (!e->fp) {
		cmd_error(cmd, "cannot write '%s': %s", path, strerror(errno));
		outfile_close(&e->of);
		e->open = false;
		return EXIT_FAIL;
	}
	if (e->fp != stdout)
		e->of.fd = -1;	/* the stream owns it now */
	return 0;
}

int export_out_close(struct export_out *e, const char *cmd, bool ok)
{
	int err = 0;

	if (!e->open)
		return ok ? EXIT_OK : EXIT_FAIL;
	if (e->fp && e->fp != stdout && fclose(e->fp))
		err = -errno;
	else if (e->fp == stdout && fflush(stdout))
		err = -errno;
	e->fp = NULL;
	if (ok && !err)
		err = outfile_commit(&e->of, false);
	outfile_close(&e->of);
	e->open = false;
	/* A closed pipe on standard output is the command runner's to report. */
	if (ok && err && !(err == -EPIPE && !strcmp(e->path, "-")))
		cmd_error(cmd, "cannot write '%s': %s", e->path, strerror(-err));
	return ok && !err ? EXIT_OK : EXIT_FAIL;
}
