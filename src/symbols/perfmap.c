/* SPDX-License-Identifier: GPL-2.0-or-later */
/* perf-PID.map parser with append-only updates and stable name storage. */
#define _GNU_SOURCE
#include "lib/arena.h"
#include "lib/hexparse.h"
#include "lib/symtab.h"
#include "symbols/perfmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PERFMAP_LINE_MAX 8192
#define PERFMAP_MAX_SYMS (1u << 23)
#define PERFMAP_MAX_NAME_BYTES (256u << 20)
#define PERFMAP_READ_BUF (256u << 10)
/* how many lower starts to check for an enclosing (overlapping) entry */
#define PERFMAP_OVERLAP_SCAN 16

struct perfmap {
	/* Ranked by input order, so a later definition wins: the name limit
	 * keeps the count of lines far below 2^32. */
	struct symtab syms;
	struct arena names;  /* never move, so updates cannot invalidate them */
	uint32_t seq;
	uint64_t off;
	int skipping;  /* inside an over-long line during updates */
};

int perfmap_new(struct perfmap **out)
{
	if (!out)
		return -EINVAL;
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	symtab_init(&(*out)->syms, SYMTAB_BY_RANK);
	return 0;
}

void perfmap_free(struct perfmap *pm)
{
	if (!pm)
		return;
	arena_release(&pm->names);
	symtab_release(&pm->syms);
	free(pm);
}

static const char *store_name(struct perfmap *pm, const char *s, size_t len)
{
	if (pm->names.used + len + 1 > PERFMAP_MAX_NAME_BYTES)
		return NULL;
	return arena_strndup(&pm->names, s, len);
}

static int get_hex(const char *p, size_t len, size_t *i, uint64_t *v)
{
	if (len - *i >= 2 && p[*i] == '0' && (p[*i + 1] == 'x' || p[*i + 1] == 'X'))
		*i += 2;
	return hex_parse(p, len, i, 16, v);
}

static int add(struct perfmap *pm, uint64_t start, uint64_t size,
	       const char *name, size_t nlen)
{
	struct symtab_sym e = { .start = start, .size = size, .rank = pm->seq };

	if (pm->syms.n >= PERFMAP_MAX_SYMS || pm->seq == UINT32_MAX)
		return -E2BIG;
	if (!(e.name = store_name(pm, name, nlen)))
		return pm->names.used + nlen + 1 > PERFMAP_MAX_NAME_BYTES ? -E2BIG
									  : -ENOMEM;
	pm->seq++;
	return symtab_add(&pm->syms, &e);
}

/* Malformed lines are not errors: JIT writers get interrupted mid-line. */
static int parse_line(struct perfmap *pm, const char *p, size_t len)
{
	uint64_t start, size;
	size_t i = 0;

	while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
		len--;
	if (len > PERFMAP_LINE_MAX || memchr(p, '\0', len))
		return 0;
	if (get_hex(p, len, &i, &start) || i >= len || p[i] != ' ')
		return 0;
	while (i < len && p[i] == ' ')
		i++;
	if (get_hex(p, len, &i, &size) || i >= len || p[i] != ' ')
		return 0;
	i++;
	if (i >= len || start + size < start)
		return 0;
	return add(pm, start, size, p + i, len - i);
}

static int parse_lines(struct perfmap *pm, const char *buf, size_t size)
{
	size_t pos = 0;

	while (pos < size) {
		const char *nl = memchr(buf + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - buf) : size;
		int rc = parse_line(pm, buf + pos, end - pos);

		if (rc)
			return rc;
		pos = end + 1;
	}
	return 0;
}

int perfmap_parse(struct perfmap *pm, const char *buf, size_t size)
{
	int rc;

	if (!pm || (!buf && size))
		return -EINVAL;
	rc = parse_lines(pm, buf, size);
	return symtab_sort(&pm->syms) ?: rc;
}

/* Consume whole lines from buf; returns bytes consumed. */
static size_t take_lines(struct perfmap *pm, const char *buf, size_t have,
			 int *rc)
{
	const char *nl;
	size_t used;

	if (pm->skipping) {
		if (!(nl = memchr(buf, '\n', have)))
			return have;
		pm->skipping = 0;
		return (size_t)(nl - buf) + 1;
	}
	nl = memrchr(buf, '\n', have);
	if (!nl) {
		pm->skipping = have == PERFMAP_READ_BUF;
		return pm->skipping ? have : 0;
	}
	used = (size_t)(nl - buf) + 1;
	*rc = parse_lines(pm, buf, used - 1);
	return used;
}

int perfmap_update_fd(struct perfmap *pm, int fd)
{
	size_t have = 0;
	struct stat st;
	char *buf;
	int rc = 0;

	if (!pm || fd < 0)
		return -EINVAL;
	if (fstat(fd, &st))
		return -errno;
	if ((uint64_t)st.st_size < pm->off)
		return -ESTALE;
	if (!(buf = malloc(PERFMAP_READ_BUF)))
		return -ENOMEM;
	while (!rc) {
		ssize_t r = pread(fd, buf + have, PERFMAP_READ_BUF - have,
				  (off_t)(pm->off + have));
		size_t used;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? -errno : 0;
			break;
		}
		have += (size_t)r;
		used = take_lines(pm, buf, have, &rc);
		pm->off += used;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	free(buf);
	return symtab_sort(&pm->syms) ?: rc;
}

int perfmap_open(const char *path, uint32_t owner_uid)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), rc = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = -ENOEXEC;
	else if (st.st_uid != 0 && st.st_uid != owner_uid && st.st_uid != geteuid())
		rc = -EPERM;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

size_t perfmap_count(const struct perfmap *pm)
{
	return pm ? pm->syms.n : 0;
}

uint64_t perfmap_offset(const struct perfmap *pm)
{
	return pm ? pm->off : 0;
}

int perfmap_lookup(const struct perfmap *pm, uint64_t addr, struct perfmap_sym *out)
{
	const struct symtab_sym *best = NULL;
	size_t lo, k;

	if (!pm || !out)
		return -EINVAL;
	lo = symtab_upto(&pm->syms, addr);
	for (k = 0; k < PERFMAP_OVERLAP_SCAN && k < lo; k++) {
		const struct symtab_sym *e = &pm->syms.v[lo - 1 - k];
		uint64_t size = e->size ? e->size : 1;

		if (addr - e->start < size && (!best || e->rank > best->rank))
			best = e;
	}
	if (!best)
		return -ENOENT;
	out->start = best->start;
	out->size = best->size;
	out->name = best->name;
	return 0;
}
