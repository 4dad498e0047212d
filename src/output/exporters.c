/* SPDX-License-Identifier: GPL-2.0-or-later */
/* export's formats; see exporters.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/exporters.h"
#include "output/output-chrome.h"
#include "output/output-folded.h"
#include "output/output-pprof.h"
#include "report/flametree.h"
#include "lib/util.h"

/* ---- folded: merged into a tree, printed at the end --------------------- */

struct folded {
	struct flametree tree;
	struct folded_opts o;
};

static int folded_open(void **state, FILE *fp, const struct export_opts *o)
{
	struct folded *f = calloc(1, sizeof(*f));

	(void)fp;
	if (!f)
		return -ENOMEM;
	f->o.kernel_suffix = o->kernel_suffix;
	*state = f;
	return flametree_init(&f->tree, false);
}

static int folded_add(void *state, struct session *s, const struct sw_sample *ss)
{
	struct folded *f = state;
	struct ft_frame path[FT_MAX_PATH];
	int64_t leaf = flametree_add(&f->tree, path, flametree_path(ss, path),
				     ss->smp->weight, 0);

	(void)s;
	return leaf < 0 ? (int)leaf : 0;
}

static int folded_finish(void *state, struct session *s, FILE *fp, int fd)
{
	struct folded *f = state;

	(void)s;
	(void)fd;
	return folded_print(fp, &f->tree, &f->o);
}

static void folded_close(void *state)
{
	struct folded *f = state;

	if (f)
		flametree_release(&f->tree);
	free(f);
}

/* ---- pprof: gzip'ed protobuf, written whole at the end ------------------- */

static int pprof_open(void **state, FILE *fp, const struct export_opts *o)
{
	struct pprof *p = NULL;
	int err = pprof_new(&p);

	(void)fp;
	(void)o;
	*state = p;
	return err;
}

static int pprof_add_one(void *state, struct session *s, const struct sw_sample *ss)
{
	(void)s;
	return pprof_add(state, ss);
}

static int pprof_finish(void *state, struct session *s, FILE *fp, int fd)
{
	struct pprof_meta m = { 0 };
	const struct df_end *end = session_end(s);
	const char *v = session_meta(s, DF_META_START_TIME);

	(void)fp;
	m.period_ns = session_period_ns(s);
	if (v && parse_u64(v, 0, UINT64_MAX, &m.start_ns))
		m.start_ns = 0;
	m.duration_ns = end ? end->duration_ns : 0;
	m.event = session_meta(s, DF_META_EVENT);
	return pprof_write(state, fd, &m);
}

static void pprof_close(void *state)
{
	pprof_free(state);
}

/* ---- chrome: events streamed as they come -------------------------------- */

struct chrome_out {
	struct chrome *c;
	FILE *fp;
};

static int chrome_open(void **state, FILE *fp, const struct export_opts *o)
{
	struct chrome_opts co = { 0 };
	struct chrome_out *x = calloc(1, sizeof(*x));

	(void)o;
	if (!x)
		return -ENOMEM;
	x->fp = fp;
	*state = x;
	return chrome_new(&x->c, fp, &co);
}

static int chrome_add_one(void *state, struct session *s, const struct sw_sample *ss)
{
	struct chrome_out *x = state;

	/* Nobody reads on: stop instead of converting the rest. */
	if (x->fp == stdout && ferror(stdout))
		return -EPIPE;
	return chrome_add(x->c, s, ss);
}

static int chrome_finish_one(void *state, struct session *s, FILE *fp, int fd)
{
	struct chrome_out *x = state;

	(void)fp;
	(void)fd;
	return chrome_finish(x->c, s);
}

static void chrome_close(void *state)
{
	struct chrome_out *x = state;

	if (x)
		chrome_free(x->c);
	free(x);
}

/* ---- the table ---------------------------------------------------------- */

static const struct exporter formats[] = {
	{ .name = "folded", .kernel_suffix = true,
	  .help = "'comm;root;...;leaf count' lines for\n"
		  "flamegraph.pl, speedscope and inferno",
	  .open = folded_open, .add = folded_add, .finish = folded_finish,
	  .close = folded_close },
	{ .name = "pprof", .binary = true,
	  .help = "gzip-compressed profile.proto for go tool pprof",
	  .open = pprof_open, .add = pprof_add_one, .finish = pprof_finish,
	  .close = pprof_close },
	{ .name = "chrome", .alias = "json",
	  .help = "Trace Event JSON for Perfetto and chrome://tracing",
	  .open = chrome_open, .add = chrome_add_one, .finish = chrome_finish_one,
	  .close = chrome_close },
};

const struct exporter *exporter_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(name, formats[i].name) ||
		    (formats[i].alias && !strcmp(name, formats[i].alias)))
			return &formats[i];
	return NULL;
}

const char *exporter_names(const char *last)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		len = list_append(buf, sizeof(buf), len, formats[i].name, i,
				  ARRAY_SIZE(formats), last);
	return buf;
}

const char *exporter_help(void)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(formats) && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s: %s",
					i ? ";\n" : "", formats[i].name, formats[i].help);
	return buf;
}
