/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record's side of debuginfod: the client its options ask for, what it prints. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "builtin/builtin.h"
#include "builtin/record-debuginfod.h"
#include "lib/errors.h"
#include "symbols/debuginfod.h"

#define CMD "record"

static void on_fetch(void *ctx, const char *path, const char *urls)
{
	if (!*(const bool *)ctx)
		fprintf(stderr, "ebpf-tool record: fetching debug info for '%s' from %s...\n",
			path, urls);
}

int record_debuginfod_open(struct dbgd **out, int mode, const char *urls, const bool *quiet)
{
	struct dbgd_opts o = { .urls = urls, .on_fetch = on_fetch, .ctx = (void *)quiet };
	int err;

	*out = NULL;
	if (!mode)
		return 0;
	err = dbgd_new(out, &o);
	if (err == -ENOENT)
		return 0;
	if (err) {
		cmd_error(CMD, "cannot start the debuginfod client: %s; record with "
			  "--no-debuginfod", err == -ENOMEM ? strerror(ENOMEM) :
			  err == -ENOSYS ? "libdebuginfod.so.1 cannot be loaded (install "
			  "libdebuginfod1)" : "libdebuginfod failed");
		return EXIT_FAIL;
	}
	return 0;
}

struct fetch_failures {
	char list[1024];
	size_t n;
	const char *why;
	bool mixed;
};

static void add_failure(void *ctx, const char *path, int err, const char *why)
{
	struct fetch_failures *f = ctx;
	size_t len = strlen(f->list);

	why = why ? why : strerror(-err);
	if (f->n && strcmp(f->why, why))
		f->mixed = true;
	f->why = why;
	if (len < sizeof(f->list) - 8)
		snprintf(f->list + len, sizeof(f->list) - len, "%s'%s'", f->n ? ", " : "", path);
	else if (!strstr(f->list, ", ..."))
		strcpy(f->list + sizeof(f->list) - 8, ", ...");
	f->n++;
}

void record_debuginfod_report(const struct dbgd *c)
{
	struct fetch_failures f = { .n = 0 };
	struct dbgd_stats st;

	dbgd_failures(c, add_failure, &f);
	if (f.n)
		cmd_warn(CMD, "no debug information for %zu file%s from %s: %s (%s); their "
			 "frames have no source lines or inlined frames, and no function "
			 "names where the files are stripped", f.n, f.n == 1 ? "" : "s",
			 dbgd_urls(c), f.list,
			 f.mixed ? "the servers could not be asked or sent bad files" : f.why);
	dbgd_stats(c, &st);
	if (verbose)
		fprintf(stderr, "ebpf-tool record: debuginfod: %u files asked, %u fetched, "
			"%u failed, in %.3f s\n", st.asked, st.fetched, st.failed, st.ns / 1e9);
}

