/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /tmp/perf-PID.map JIT symbol files: "START SIZE name" per line, hex. */
#ifndef EBPF_TOOL_PERFMAP_H
#define EBPF_TOOL_PERFMAP_H

#include <stddef.h>
#include <stdint.h>

struct perfmap;

struct perfmap_sym {
	uint64_t start, size;
	const char *name;  /* valid until perfmap_free(), even across updates */
};

int perfmap_new(struct perfmap **out);
void perfmap_free(struct perfmap *pm);  /* NULL-safe */

/* Add the lines of buf (a final line without '\n' counts too). Malformed
 * or over-long lines are skipped. A later entry for the same start wins,
 * as JITs reuse code memory. Returns 0, -E2BIG past the limits, -ENOMEM. */
int perfmap_parse(struct perfmap *pm, const char *buf, size_t size);

/* Read the complete lines appended to fd since the last call (JITs append
 * while running). -ESTALE if the file shrank, i.e. was replaced. */
int perfmap_update_fd(struct perfmap *pm, int fd);

/* Open a map file for perfmap_update_fd() only if it is a regular file,
 * not a symlink, owned by root, by owner_uid (the process's user) or by
 * us: anyone can create files in /tmp, and we must not show their names.
 * Returns an fd, -EPERM for a foreign owner, -ENOEXEC for a non-regular
 * file, or another -errno. */
int perfmap_open(const char *path, uint32_t owner_uid);

size_t perfmap_count(const struct perfmap *pm);
/* Bytes of fd consumed so far by perfmap_update_fd(). */
uint64_t perfmap_offset(const struct perfmap *pm);
/* Symbol containing addr: 0 or -ENOENT. */
int perfmap_lookup(const struct perfmap *pm, uint64_t addr, struct perfmap_sym *out);

#endif
