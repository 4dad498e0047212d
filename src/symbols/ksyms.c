/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kallsyms parser: text symbols only, names interned in one arena. */
#include "lib/hexparse.h"
#include "symbols/ksyms.h"
#include "lib/arena.h"
#include "lib/symtab.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KSYM_NAME_MAX 512          /* kernel's KSYM_NAME_LEN */
#define KSYMS_LINE_MAX 1024
#define KSYMS_MAX_SYMS (1u << 24)
#define KSYMS_MAX_MODULES 65535u
#define KSYMS_ARENA_MAX (1u << 30)
/* past the last symbol of a module we cannot know where its text ends */
#define KSYMS_TAIL_MAX (1u << 20)
#define KSYMS_READ_CHUNK (256u << 10)

/* A symbol's data is its module: 0 for vmlinux, else index into mods + 1. */
struct ksyms {
	struct symtab syms;
	struct arena names;
	const char **mods;
	size_t modcap;
	uint32_t nmods, lastmod;
	size_t lines, nonzero;
};

static const char *intern(struct ksyms *ks, const char *s, size_t len)
{
	if (ks->names.used + len + 1 > KSYMS_ARENA_MAX)
		return NULL;
	return arena_strndup(&ks->names, s, len);
}

/* kallsyms groups a module's symbols, so remembering the last hit is enough */
static int module_index(struct ksyms *ks, const char *s, size_t len, uint16_t *idx)
{
	const char *name;
	uint32_t i;

	for (i = 0; i < ks->nmods; i++) {
		uint32_t j = (ks->lastmod + i) % ks->nmods;
		const char *m = ks->mods[j];

		if (strncmp(m, s, len) == 0 && m[len] == '\0') {
			ks->lastmod = j;
			*idx = (uint16_t)(j + 1);
			return 0;
		}
	}
	if (ks->nmods >= KSYMS_MAX_MODULES ||
	    grow_array((void **)&ks->mods, &ks->modcap, ks->nmods + 1, sizeof(*ks->mods)) ||
	    !(name = intern(ks, s, len)))
		return -ENOMEM;
	ks->mods[ks->nmods] = name;
	ks->lastmod = ks->nmods++;
	*idx = (uint16_t)ks->nmods;
	return 0;
}

static int is_name_char(char c)
{
	return (unsigned char)c > ' ' && c != 0x7f;
}

/* perf's choose_best_symbol order: non-weak, global, fewer '_', longer;
 * among equals the first in the file. */
static uint16_t rank_of(char type, const char *name, size_t len)
{
	unsigned us = 0, weak = (type == 'w' || type == 'W');
	unsigned global = (type >= 'A' && type <= 'Z');

	while (us < len && name[us] == '_' && us < 15)
		us++;
	return (uint16_t)(!weak << 15 | global << 14 | (15 - us) << 10 |
			  (len > 1023 ? 1023 : len));
}

static int add_sym(struct ksyms *ks, uint64_t addr, char type, const char *name,
		   size_t nlen, const char *mod, size_t mlen)
{
	struct symtab_sym e = { .start = addr, .rank = rank_of(type, name, nlen) };
	uint16_t midx = 0;
	int rc;

	if (mlen && (rc = module_index(ks, mod, mlen, &midx)))
		return rc;
	if (ks->syms.n >= KSYMS_MAX_SYMS || !(e.name = intern(ks, name, nlen)))
		return -ENOMEM;
	e.data = midx;
	return symtab_add(&ks->syms, &e);
}

/* "ADDR TYPE NAME" optionally followed by whitespace and "[module]" */
static int parse_line(struct ksyms *ks, const char *p, size_t len)
{
	size_t i = 0, ns, ne, ms = 0, ml = 0;
	uint64_t addr = 0;
	char type;
	int d;

	if (len > KSYMS_LINE_MAX)
		return 0;
	for (; i < len && (d = hex_digit(p[i])) >= 0; i++) {
		if (i >= 16)
			return 0;
		addr = addr << 4 | (uint64_t)d;
	}
	if (i == 0 || i + 3 > len || p[i] != ' ' || p[i + 2] != ' ')
		return 0;
	type = p[i + 1];
	ns = ne = i + 3;
	while (ne < len && is_name_char(p[ne]))
		ne++;
	if (ne == ns || ne - ns > KSYM_NAME_MAX)
		return 0;
	for (i = ne; i < len && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	if (i < len) {
		if (p[i] != '[' || p[len - 1] != ']' || len - i < 3)
			return 0;
		ms = i + 1;
		ml = len - 1 - ms;
		for (i = ms; i < ms + ml; i++)
			if (!is_name_char(p[i]) || p[i] == '[' || p[i] == ']')
				return 0;
	}
	ks->lines++;
	if (addr)
		ks->nonzero++;
	if (!addr || !strchr("tTwW", type) || type == '\0')
		return 0;
	/*
	 * __pfx_ and __cfi_ label the padding before a function (kernels 6.2+):
	 * a return address past a noreturn call lands there, and it belongs
	 * to the function before it, as perf shows it.
	 */
	if ((ne - ns > 6 && !memcmp(p + ns, "__pfx_", 6)) ||
	    (ne - ns > 6 && !memcmp(p + ns, "__cfi_", 6)))
		return 0;
	return add_sym(ks, addr, type, p + ns, ne - ns, p + ms, ml);
}

/* Feed whole lines; returns bytes consumed (a trailing partial line is
 * left unless final) or a negative errno. */
static long feed(struct ksyms *ks, const char *buf, size_t size, int final)
{
	size_t pos = 0;

	while (pos < size) {
		const char *nl = memchr(buf + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - buf) : size;
		int rc;

		if (!nl && !final)
			break;
		rc = parse_line(ks, buf + pos, end - pos);
		if (rc)
			return rc;
		pos = nl ? end + 1 : end;
	}
	return (long)pos;
}

static int finish(struct ksyms *ks)
{
	int rc;

	if (ks->lines && !ks->nonzero)
		return -EPERM;
	if (!ks->syms.n)
		return -ENOENT;
	rc = symtab_sort(&ks->syms);
	symtab_trim(&ks->syms);
	return rc;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	symtab_release(&ks->syms);
	arena_release(&ks->names);
	free(ks->mods);
	free(ks);
}

static int done(struct ksyms *ks, int rc, struct ksyms **out)
{
	if (!rc)
		rc = finish(ks);
	if (rc) {
		ksyms_free(ks);
		return rc;
	}
	*out = ks;
	return 0;
}

int ksyms_parse(const char *buf, size_t size, struct ksyms **out)
{
	struct ksyms *ks;
	long rc;

	if (!out || (!buf && size))
		return -EINVAL;
	*out = NULL;
	if (!(ks = calloc(1, sizeof(*ks))))
		return -ENOMEM;
	symtab_init(&ks->syms, SYMTAB_BY_RANK);
	rc = feed(ks, buf, size, 1);
	return done(ks, rc < 0 ? (int)rc : 0, out);
}

/* A line longer than the buffer cannot be a valid symbol: drop it. */
static size_t skip_long_line(char *buf, size_t have, int *skipping)
{
	char *nl = memchr(buf, '\n', have);

	if (!nl)
		return have;
	*skipping = 0;
	return (size_t)(nl - buf) + 1;
}

static int load_fd(struct ksyms *ks, int fd, char *buf)
{
	size_t have = 0;
	int skipping = 0;

	for (;;) {
		ssize_t r = read(fd, buf + have, KSYMS_READ_CHUNK - have);
		size_t used;
		long rc;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		have += (size_t)r;
		if (skipping)
			used = skip_long_line(buf, have, &skipping);
		else if ((rc = feed(ks, buf, have, r == 0)) < 0)
			return (int)rc;
		else
			used = (size_t)rc;
		if (!used && have == KSYMS_READ_CHUNK) {
			skipping = 1;
			used = have;
		}
		memmove(buf, buf + used, have - used);
		have -= used;
		if (r == 0)
			return 0;
	}
}

int ksyms_load(const char *path, struct ksyms **out)
{
	struct ksyms *ks;
	char *buf;
	int fd, rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	fd = open(path ? path : "/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ks = calloc(1, sizeof(*ks));
	buf = malloc(KSYMS_READ_CHUNK);
	if (!ks || !buf) {
		free(ks);
		free(buf);
		close(fd);
		return -ENOMEM;
	}
	symtab_init(&ks->syms, SYMTAB_BY_RANK);
	rc = load_fd(ks, fd, buf);
	free(buf);
	close(fd);
	return done(ks, rc, out);
}

size_t ksyms_count(const struct ksyms *ks)
{
	return ks ? ks->syms.n : 0;
}

uint32_t ksyms_module_count(const struct ksyms *ks)
{
	return ks ? ks->nmods : 0;
}

const char *ksyms_module_name(const struct ksyms *ks, uint32_t id)
{
	if (!ks || id == 0 || id > ks->nmods)
		return NULL;
	return ks->mods[id - 1];
}

size_t ksyms_memory(const struct ksyms *ks)
{
	if (!ks)
		return 0;
	return sizeof(*ks) + ks->syms.cap * sizeof(*ks->syms.v) + ks->names.bytes +
	       ks->modcap * sizeof(*ks->mods);
}

static void fill(const struct ksyms *ks, size_t i, struct ksym *out)
{
	const struct symtab_sym *e = &ks->syms.v[i];

	out->addr = e->start;
	out->size = 0;
	if (i + 1 < ks->syms.n && e[1].data == e->data)
		out->size = e[1].start - e->start;
	out->name = e->name;
	out->module_id = e->data;
	out->module = ksyms_module_name(ks, e->data);
}

int ksyms_lookup(const struct ksyms *ks, uint64_t addr, struct ksym *out)
{
	struct ksym k;
	size_t lo;

	if (!ks || !out)
		return -EINVAL;
	lo = symtab_upto(&ks->syms, addr);
	if (lo == 0)
		return -ENOENT;
	fill(ks, lo - 1, &k);
	if (addr - k.addr >= (k.size ? k.size : KSYMS_TAIL_MAX))
		return -ENOENT;
	*out = k;
	return 0;
}

int ksyms_find(const struct ksyms *ks, const char *name, struct ksym *out)
{
	size_t i;

	if (!ks || !name || !out)
		return -EINVAL;
	for (i = 0; i < ks->syms.n; i++) {
		if (strcmp(ks->syms.v[i].name, name) == 0) {
			fill(ks, i, out);
			return 0;
		}
	}
	return -ENOENT;
}
