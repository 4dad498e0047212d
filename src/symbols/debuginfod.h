/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug files fetched by build-id from debuginfod servers (elfutils'
 * libdebuginfod, which keeps the cache and speaks HTTP), with a time limit
 * per file and one for all of them, so that a server that is down or slow
 * never holds a recording up for long.
 */
#ifndef EBPF_TOOL_DEBUGINFOD_H
#define EBPF_TOOL_DEBUGINFOD_H

#include <stddef.h>
#include <stdint.h>

#define DBGD_DEFAULT_TIMEOUT_S 10	/* per file, when DEBUGINFOD_TIMEOUT is unset;
					 * DEBUGINFOD_RETRY_LIMIT, unset, becomes 0 */
#define DBGD_DEFAULT_TOTAL_S 30		/* all fetches of one client together */

struct dbgd;

struct dbgd_opts {
	/* Servers, space-separated; NULL: those of DEBUGINFOD_URLS. */
	const char *urls;
	unsigned total_s;	/* 0: DBGD_DEFAULT_TOTAL_S */
	/* Called before each fetch (the command's progress line); may be NULL. */
	void (*on_fetch)(void *ctx, const char *path, const char *urls);
	void *ctx;
};

/*
 * A client.  Sets DEBUGINFOD_URLS to opts->urls when given, and
 * DEBUGINFOD_TIMEOUT to the default when unset: libdebuginfod reads both
 * from the environment.  Returns 0, -ENOENT when no server is named,
 * -ENOMEM, -ENOSYS when libdebuginfod.so.1 cannot be loaded, or -EIO
 * when it cannot start.
 */
int dbgd_new(struct dbgd **out, const struct dbgd_opts *opts);
void dbgd_free(struct dbgd *c);	/* NULL-safe */
const char *dbgd_urls(const struct dbgd *c);

/*
 * The debug file of the ELF whose build-id is id, path the name it goes by
 * in messages: *debug_path (the caller frees it) names a file in the cache
 * whose build-id has been checked.  Returns 0; -ENOENT when no server has
 * it; -EBADMSG when what came is no debug file of it (not ELF, cut short,
 * without DWARF or symbols, or of another build-id: it leaves the cache);
 * -ETIME, -ECONNREFUSED or another negative errno when the server could
 * not answer (then no later fetch is tried: it would wait as long), or
 * -ECANCELED once the total time is used up.  Every failure but -ENOENT is
 * remembered for dbgd_failures().
 */
int dbgd_fetch(struct dbgd *c, const char *path, const uint8_t *id, size_t len,
	       char **debug_path);

/* The files that got nothing but -ENOENT, each with why (static words, or NULL: strerror). */
void dbgd_failures(const struct dbgd *c,
		   void (*fn)(void *ctx, const char *path, int err, const char *why),
		   void *ctx);

struct dbgd_stats {
	unsigned asked, fetched, failed;
	uint64_t ns;	/* spent in libdebuginfod */
};
void dbgd_stats(const struct dbgd *c, struct dbgd_stats *out);

#endif
