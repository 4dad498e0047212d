/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdebuginfod does the HTTP, the cache (DEBUGINFOD_CACHE_PATH, else
 * ~/.cache/debuginfod_client) and the per-transfer timeout
 * (DEBUGINFOD_TIMEOUT); what is ours is the total time limit, giving up
 * on a server that did not answer, and not trusting what it sent.
 */
#define _GNU_SOURCE
#include "symbols/debuginfod.h"

#include <dlfcn.h>
#include <elfutils/debuginfod.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/elfnote.h"
#include "symbols/debugfile.h"
#include "lib/util.h"

/* DBGD_DEFAULT_TIMEOUT_S as libdebuginfod reads it. */
#define DBGD_DEFAULT_TIMEOUT "10"
#define DBGD_MAX_FAILURES 1024	/* remembered; later ones are counted only */

/*
 * libdebuginfod is opened when a client is made, as libdwfl opens it:
 * linked, it and libcurl's 29 libraries cost every command 6 MB of
 * resident memory, recording without servers included.
 */
#define DBGD_SONAME "libdebuginfod.so.1"

static struct {
	void *dl;
	debuginfod_client *(*begin)(void);
	void (*end)(debuginfod_client *);
	int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
	void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
	void (*set_user_data)(debuginfod_client *, void *);
	void *(*get_user_data)(debuginfod_client *);
} lib;

static int lib_open(void)
{
	void *dl;

	if (lib.dl)
		return 0;
	if (!(dl = dlopen(DBGD_SONAME, RTLD_NOW | RTLD_LOCAL)))
		return -ENOSYS;
	*(void **)&lib.begin = dlsym(dl, "debuginfod_begin");
	*(void **)&lib.end = dlsym(dl, "debuginfod_end");
	*(void **)&lib.find_debuginfo = dlsym(dl, "debuginfod_find_debuginfo");
	*(void **)&lib.set_progressfn = dlsym(dl, "debuginfod_set_progressfn");
	*(void **)&lib.set_user_data = dlsym(dl, "debuginfod_set_user_data");
	*(void **)&lib.get_user_data = dlsym(dl, "debuginfod_get_user_data");
	if (!lib.begin || !lib.end || !lib.find_debuginfo || !lib.set_progressfn ||
	    !lib.set_user_data || !lib.get_user_data) {
		dlclose(dl);
		memset(&lib, 0, sizeof(lib));
		return -ENOSYS;
	}
	lib.dl = dl;
	return 0;
}

struct failure {
	char *path;
	int err;
};

struct dbgd {
	debuginfod_client *client;
	char *urls;
	uint64_t deadline_ns;	/* 0 until the first fetch */
	uint64_t total_ns;
	int down;		/* the server did not answer: its error */
	void (*on_fetch)(void *ctx, const char *path, const char *urls);
	void *ctx;
	struct failure *fail;
	size_t n_fail, cap_fail;
	struct dbgd_stats st;
};

/* Called by libdebuginfod while it waits: non-zero cuts the transfer. */
static int progress(debuginfod_client *dc, long a, long b)
{
	struct dbgd *c = lib.get_user_data(dc);

	(void)a;
	(void)b;
	return c && monotonic_ns() >= c->deadline_ns;
}

int dbgd_new(struct dbgd **out, const struct dbgd_opts *o)
{
	const char *urls = o && o->urls ? o->urls : getenv("DEBUGINFOD_URLS");
	struct dbgd *c;
	int err;

	*out = NULL;
	if (!urls || !urls[strspn(urls, " \t")])
		return -ENOENT;
	if (!(c = calloc(1, sizeof(*c))) || !(c->urls = strdup(urls))) {
		free(c);
		return -ENOMEM;
	}
	/*
	 * libdebuginfod waits DEBUGINFOD_TIMEOUT (90 s by default) for a
	 * stalled transfer and then tries again twice: a recording cannot
	 * wait that long, while its ring buffers fill.
	 */
	if ((o && o->urls && setenv("DEBUGINFOD_URLS", urls, 1)) ||
	    (!getenv("DEBUGINFOD_TIMEOUT") &&
	     setenv("DEBUGINFOD_TIMEOUT", DBGD_DEFAULT_TIMEOUT, 1)) ||
	    (!getenv("DEBUGINFOD_RETRY_LIMIT") && setenv("DEBUGINFOD_RETRY_LIMIT", "0", 1))) {
		dbgd_free(c);
		return -ENOMEM;
	}
	if ((err = lib_open())) {
		dbgd_free(c);
		return err;
	}
	if (!(c->client = lib.begin())) {
		dbgd_free(c);
		return -EIO;
	}
	c->total_ns = (uint64_t)(o && o->total_s ? o->total_s : DBGD_DEFAULT_TOTAL_S) *
		      1000000000ull;
	c->on_fetch = o ? o->on_fetch : NULL;
	c->ctx = o ? o->ctx : NULL;
	lib.set_user_data(c->client, c);
	lib.set_progressfn(c->client, progress);
	*out = c;
	return 0;
}

void dbgd_free(struct dbgd *c)
{
	if (!c)
		return;
	if (c->client)
		lib.end(c->client);
	for (size_t i = 0; i < c->n_fail; i++)
		free(c->fail[i].path);
	free(c->fail);
	free(c->urls);
	free(c);
}

const char *dbgd_urls(const struct dbgd *c)
{
	return c ? c->urls : NULL;
}

static int failed(struct dbgd *c, const char *path, int err)
{
	c->st.failed++;
	if (c->n_fail < DBGD_MAX_FAILURES &&
	    !grow_array((void **)&c->fail, &c->cap_fail, c->n_fail + 1, sizeof(*c->fail)) &&
	    (c->fail[c->n_fail].path = strdup(path ? path : "?")))
		c->fail[c->n_fail++].err = err;
	return err;
}

int dbgd_fetch(struct dbgd *c, const char *path, const uint8_t *id, size_t len,
	       char **debug_path)
{
	uint64_t t0 = monotonic_ns();
	char *got = NULL;
	int fd, err;

	*debug_path = NULL;
	if (!c || !id || !len || len > ELFNOTE_BUILD_ID_MAX)
		return -EINVAL;
	c->st.asked++;
	if (c->down)
		return failed(c, path, c->down);
	if (!c->deadline_ns)
		c->deadline_ns = t0 + c->total_ns;
	if (t0 >= c->deadline_ns)
		return failed(c, path, -ECANCELED);
	if (c->on_fetch)
		c->on_fetch(c->ctx, path, c->urls);
	fd = lib.find_debuginfo(c->client, id, (int)len, &got);
	c->st.ns += monotonic_ns() - t0;
	if (fd == -ENOENT)
		return -ENOENT;		/* not there: nothing wrong */
	if (fd < 0) {
		err = monotonic_ns() >= c->deadline_ns ? -ECANCELED : fd;
		c->down = err;
		return failed(c, path, err);
	}
	err = debugfile_check(fd, id, len);
	close(fd);
	if (err) {
		/* Out of the cache, or every later run would trust it. */
		if (got)
			unlink(got);
		free(got);
		return failed(c, path, err);
	}
	c->st.fetched++;
	*debug_path = got;
	return 0;
}

static const char *why(int err)
{
	switch (err) {
	case -EBADMSG: return "the server sent a file that is not its debug file: not ELF, cut short or of another build-id";
	case -ECANCELED: return "the time for all fetches was used up";
	case -ETIME: case -ETIMEDOUT: return "the server did not answer in time (DEBUGINFOD_TIMEOUT)";
	case -ECONNREFUSED: return "the server refused the connection";
	case -EHOSTUNREACH: case -ENETUNREACH: return "the server cannot be reached";
	}
	return NULL;
}

void dbgd_failures(const struct dbgd *c,
		   void (*fn)(void *ctx, const char *path, int err, const char *why),
		   void *ctx)
{
	for (size_t i = 0; c && i < c->n_fail; i++)
		fn(ctx, c->fail[i].path, c->fail[i].err, why(c->fail[i].err));
}

void dbgd_stats(const struct dbgd *c, struct dbgd_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (c)
		*out = c->st;
}
