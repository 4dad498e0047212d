/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/maps parser. */
#include "lib/hexparse.h"
#include "lib/util.h"
#include "symbols/procmaps.h"
#include "lib/bsearch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROCMAPS_MAX_ENTRIES (1u << 21)  /* far above vm.max_map_count's default */
#define PROCMAPS_MAX_LINE (16u << 10)     /* PATH_MAX plus escaping headroom */
#define PROCMAPS_MAX_FILE (256u << 20)

static const char deleted_suffix[] = " (deleted)";

struct cursor {
	const char *p;
	size_t len, i;
};

static int get_hex(struct cursor *c, unsigned maxdigits, uint64_t *v)
{
	return hex_parse(c->p, c->len, &c->i, maxdigits, v);
}

static int get_dec(struct cursor *c, uint64_t *v)
{
	size_t start = c->i;

	*v = 0;
	while (c->i < c->len && c->p[c->i] >= '0' && c->p[c->i] <= '9') {
		uint64_t d = (uint64_t)(c->p[c->i] - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		*v = *v * 10 + d;
		c->i++;
	}
	return c->i > start ? 0 : -EINVAL;
}

static int expect(struct cursor *c, char ch)
{
	if (c->i >= c->len || c->p[c->i] != ch)
		return -EINVAL;
	c->i++;
	return 0;
}

static int get_perms(struct cursor *c, uint8_t *perms)
{
	static const char want[4][3] = { "r-", "w-", "x-", "ps" };
	static const uint8_t bit[4] = { PROCMAP_READ, PROCMAP_WRITE, PROCMAP_EXEC,
					PROCMAP_PRIVATE };
	int k;

	if (c->len - c->i < 4)
		return -EINVAL;
	*perms = 0;
	for (k = 0; k < 4; k++) {
		char ch = c->p[c->i + (size_t)k];

		if (ch == want[k][0])
			*perms |= bit[k];
		else if (ch != want[k][1])
			return -EINVAL;
	}
	c->i += 4;
	return 0;
}

static uint8_t classify(const char *path)
{
	static const struct {
		const char *prefix;
		uint8_t kind;
	} names[] = {
		{ "[vdso]", PROCMAP_VDSO },       { "[vvar", PROCMAP_VVAR },
		{ "[vsyscall]", PROCMAP_VSYSCALL }, { "[heap]", PROCMAP_HEAP },
		{ "[stack", PROCMAP_STACK },      { "[anon", PROCMAP_ANON },
	};
	size_t k;

	if (path[0] == '\0')
		return PROCMAP_ANON;
	if (path[0] == '/')
		return PROCMAP_FILE;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strncmp(path, names[k].prefix, strlen(names[k].prefix)) == 0)
			return names[k].kind;
	return PROCMAP_OTHER;
}

/* The path is whatever follows the inode and its column padding. */
static void take_path(struct cursor *c, struct procmap_entry *e, char *arena,
		      size_t *alen)
{
	size_t s = c->i, n, sl = sizeof(deleted_suffix) - 1;
	char *dst = arena + *alen;

	while (s < c->len && c->p[s] == ' ')
		s++;
	n = c->len - s;
	if (n > sl && memcmp(c->p + s + n - sl, deleted_suffix, sl) == 0) {
		e->deleted = 1;
		n -= sl;
	}
	memcpy(dst, c->p + s, n);
	dst[n] = '\0';
	*alen += n + 1;
	e->path = dst;
	e->kind = classify(dst);
}

static int parse_line(const char *p, size_t len, struct procmap_entry *e,
		      char *arena, size_t *alen)
{
	struct cursor c = { p, len, 0 };
	uint64_t maj, min;

	memset(e, 0, sizeof(*e));
	if (len > PROCMAPS_MAX_LINE || memchr(p, '\0', len))
		return -EINVAL;
	if (get_hex(&c, 16, &e->start) || expect(&c, '-') ||
	    get_hex(&c, 16, &e->end) || expect(&c, ' ') ||
	    get_perms(&c, &e->perms) || expect(&c, ' ') ||
	    get_hex(&c, 16, &e->pgoff) || expect(&c, ' ') ||
	    get_hex(&c, 8, &maj) || expect(&c, ':') || get_hex(&c, 8, &min) ||
	    expect(&c, ' ') || get_dec(&c, &e->inode))
		return -EINVAL;
	if (e->start >= e->end || (c.i < len && p[c.i] != ' '))
		return -EINVAL;
	e->dev_major = (uint32_t)maj;
	e->dev_minor = (uint32_t)min;
	take_path(&c, e, arena, alen);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct procmap_entry *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static int push(struct procmaps *m, size_t *cap, const struct procmap_entry *e)
{
	if (m->count >= PROCMAPS_MAX_ENTRIES)
		return -E2BIG;
	if (grow_array((void **)&m->entries, cap, m->count + 1, sizeof(*m->entries)))
		return -ENOMEM;
	m->entries[m->count++] = *e;
	return 0;
}

static void sort_if_needed(struct procmaps *m)
{
	size_t i;

	for (i = 1; i < m->count; i++) {
		if (m->entries[i - 1].start > m->entries[i].start) {
			qsort(m->entries, m->count, sizeof(*m->entries), cmp_entry);
			return;
		}
	}
}

int procmaps_parse(const char *buf, size_t size, struct procmaps *out)
{
	size_t pos = 0, alen = 0, cap = 0;
	struct procmaps m = { 0 };
	int rc = 0;

	if (!out || (!buf && size))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	/* paths are substrings of their lines, so the input size bounds them */
	if (!(m.strings = malloc(size + 1)))
		return -ENOMEM;
	while (pos < size && !rc) {
		const char *nl = memchr(buf + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - buf) : size;
		struct procmap_entry e;

		if (end > pos && !(rc = parse_line(buf + pos, end - pos, &e,
						   m.strings, &alen)))
			rc = push(&m, &cap, &e);
		pos = end + 1;
	}
	if (rc) {
		procmaps_release(&m);
		return rc;
	}
	sort_if_needed(&m);
	*out = m;
	return 0;
}

static int read_all(int fd, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t r;

		if (len == cap) {
			/* Doubling from 64 KiB: most maps files fit the first read. */
			if (cap >= PROCMAPS_MAX_FILE ||
			    grow_array((void **)&buf, &cap, len + (64 << 10), 1)) {
				free(buf);
				return cap >= PROCMAPS_MAX_FILE ? -E2BIG : -ENOMEM;
			}
			continue;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0) {
				free(buf);
				return -errno;
			}
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		len += (size_t)r;
	}
}

int procmaps_read_path(const char *path, struct procmaps *out)
{
	size_t len = 0;
	char *buf = NULL;
	int fd, rc;

	if (!path || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = read_all(fd, &buf, &len);
	close(fd);
	if (rc)
		return rc;
	rc = procmaps_parse(buf, len, out);
	free(buf);
	return rc;
}

int procmaps_read_pid(uint32_t pid, struct procmaps *out)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	return procmaps_read_path(path, out);
}

void procmaps_release(struct procmaps *m)
{
	if (!m)
		return;
	free(m->entries);
	free(m->strings);
	memset(m, 0, sizeof(*m));
}

const struct procmap_entry *procmaps_find(const struct procmaps *m, uint64_t addr)
{
	size_t i;

	if (!m)
		return NULL;
	i = UPPER_BOUND(m->entries, m->count, start, addr);
	if (i == 0 || addr >= m->entries[i - 1].end)
		return NULL;
	return &m->entries[i - 1];
}

/* perf's anonymous-memory names: "//anon" in MMAP2 records, shared
 * anonymous mappings and SysV segments (shmem files), named anon VMAs. */
int procmaps_path_kind(const char *path)
{
	static const char *const anon[] = { "//anon", "/dev/zero", "/anon_hugepage",
					    "/SYSV", "[anon" };
	size_t k;

	if (!path || !*path)
		return PROCMAP_ANON;
	for (k = 0; k < sizeof(anon) / sizeof(anon[0]); k++)
		if (!strncmp(path, anon[k], strlen(anon[k])))
			return PROCMAP_ANON;
	if (!strcmp(path, "[vdso]"))
		return PROCMAP_VDSO;
	if (!strcmp(path, "[vsyscall]"))
		return PROCMAP_VSYSCALL;
	return path[0] == '/' ? PROCMAP_FILE : PROCMAP_OTHER;
}
