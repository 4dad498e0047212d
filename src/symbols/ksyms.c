/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kallsyms parser: text symbols only, names interned in one arena. */
#include "lib/hexparse.h"
#include "symbols/ksyms.h"

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

struct ksym_ent {
	uint64_t addr;
	uint32_t name;   /* arena offset */
	uint16_t mod;    /* 0 = vmlinux, else index into mods + 1 */
	uint16_t rank;   /* higher wins among aliases at one address */
};

struct ksyms {
	struct ksym_ent *ents;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	uint32_t *mods;  /* arena offsets of module names */
	uint32_t nmods, modcap, lastmod;
	size_t lines, nonzero;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem, size_t max)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	if (need > max)
		return -ENOMEM;
	while (ncap < need)
		ncap *= 2;
	if (ncap > max)
		ncap = max;
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static int intern(struct ksyms *ks, const char *s, size_t len, uint32_t *off)
{
	int rc = grow((void **)&ks->arena, &ks->acap, ks->alen + len + 1, 1,
		      KSYMS_ARENA_MAX);

	if (rc)
		return rc;
	memcpy(ks->arena + ks->alen, s, len);
	ks->arena[ks->alen + len] = '\0';
	*off = (uint32_t)ks->alen;
	ks->alen += len + 1;
	return 0;
}

/* kallsyms groups a module's symbols, so remembering the last hit is enough */
static int module_index(struct ksyms *ks, const char *s, size_t len, uint16_t *idx)
{
	size_t cap = ks->modcap;
	uint32_t i, off;
	int rc;

	for (i = 0; i < ks->nmods; i++) {
		uint32_t j = (ks->lastmod + i) % ks->nmods;
		const char *m = ks->arena + ks->mods[j];

		if (strncmp(m, s, len) == 0 && m[len] == '\0') {
			ks->lastmod = j;
			*idx = (uint16_t)(j + 1);
			return 0;
		}
	}
	if (ks->nmods >= KSYMS_MAX_MODULES)
		return -ENOMEM;
	rc = grow((void **)&ks->mods, &cap, ks->nmods + 1, sizeof(*ks->mods),
		  KSYMS_MAX_MODULES);
	ks->modcap = (uint32_t)cap;
	if (!rc)
		rc = intern(ks, s, len, &off);
	if (rc)
		return rc;
	ks->mods[ks->nmods] = off;
	ks->lastmod = ks->nmods++;
	*idx = (uint16_t)ks->nmods;
	return 0;
}

static int is_name_char(char c)
{
	return (unsigned char)c > ' ' && c != 0x7f;
}

/* perf's choose_best_symbol order: non-weak, global, fewer '_', longer */
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
	struct ksym_ent *e;
	uint16_t midx = 0;
	uint32_t off;
	int rc;

	if (mlen && (rc = module_index(ks, mod, mlen, &midx)))
		return rc;
	rc = grow((void **)&ks->ents, &ks->cap, ks->n + 1, sizeof(*ks->ents),
		  KSYMS_MAX_SYMS);
	if (!rc)
		rc = intern(ks, name, nlen, &off);
	if (rc)
		return rc;
	e = &ks->ents[ks->n++];
	e->addr = addr;
	e->name = off;
	e->mod = midx;
	e->rank = rank_of(type, name, nlen);
	return 0;
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

static int cmp_ent(const void *a, const void *b)
{
	const struct ksym_ent *x = a, *y = b;

	if (x->addr != y->addr)
		return (x->addr > y->addr) - (x->addr < y->addr);
	if (x->rank != y->rank)
		return (x->rank < y->rank) - (x->rank > y->rank);
	return (x->name > y->name) - (x->name < y->name);
}

static int finish(struct ksyms *ks)
{
	size_t i, j = 0;
	void *p;

	if (ks->lines && !ks->nonzero)
		return -EPERM;
	if (!ks->n)
		return -ENOENT;
	qsort(ks->ents, ks->n, sizeof(*ks->ents), cmp_ent);
	for (i = 0; i < ks->n; i++)
		if (j == 0 || ks->ents[i].addr != ks->ents[j - 1].addr)
			ks->ents[j++] = ks->ents[i];
	ks->n = j;
	if ((p = realloc(ks->ents, j * sizeof(*ks->ents)))) {
		ks->ents = p;
		ks->cap = j;
	}
	if ((p = realloc(ks->arena, ks->alen))) {
		ks->arena = p;
		ks->acap = ks->alen;
	}
	return 0;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->ents);
	free(ks->arena);
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
	rc = load_fd(ks, fd, buf);
	free(buf);
	close(fd);
	return done(ks, rc, out);
}

size_t ksyms_count(const struct ksyms *ks)
{
	return ks ? ks->n : 0;
}

uint32_t ksyms_module_count(const struct ksyms *ks)
{
	return ks ? ks->nmods : 0;
}

const char *ksyms_module_name(const struct ksyms *ks, uint32_t id)
{
	if (!ks || id == 0 || id > ks->nmods)
		return NULL;
	return ks->arena + ks->mods[id - 1];
}

size_t ksyms_memory(const struct ksyms *ks)
{
	if (!ks)
		return 0;
	return sizeof(*ks) + ks->cap * sizeof(*ks->ents) + ks->acap +
	       ks->modcap * sizeof(*ks->mods);
}

static void fill(const struct ksyms *ks, size_t i, struct ksym *out)
{
	const struct ksym_ent *e = &ks->ents[i];

	out->addr = e->addr;
	out->size = 0;
	if (i + 1 < ks->n && ks->ents[i + 1].mod == e->mod)
		out->size = ks->ents[i + 1].addr - e->addr;
	out->name = ks->arena + e->name;
	out->module_id = e->mod;
	out->module = ksyms_module_name(ks, e->mod);
}

int ksyms_lookup(const struct ksyms *ks, uint64_t addr, struct ksym *out)
{
	size_t lo = 0, hi;
	struct ksym k;

	if (!ks || !out)
		return -EINVAL;
	hi = ks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->ents[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
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
	for (i = 0; i < ks->n; i++) {
		if (strcmp(ks->arena + ks->ents[i].name, name) == 0) {
			fill(ks, i, out);
			return 0;
		}
	}
	return -ENOENT;
}
