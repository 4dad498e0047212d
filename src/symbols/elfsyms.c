/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF function symbols via libelf, with separate debug file lookup. */
#define _GNU_SOURCE
#include "symbols/elfsyms.h"
#include "lib/elfnote.h"
#include "lib/arena.h"
#include "lib/symtab.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define ELFSYMS_MAX_SYMS (1u << 24)
#define ELFSYMS_ARENA_MAX (1u << 30)
#define ELFSYMS_NAME_MAX (64u << 10)  /* mangled C++ names get long */
#define ELFSYMS_MAX_PHDRS 4096u
#define ELFSYMS_MAX_SECTION (1ull << 30)  /* .symtab/.strtab; the largest real ones are ~100s of MiB */
#define ELFSYMS_NESTED_SCAN 4         /* lower starts checked for an enclosing symbol */
#define ELFSYMS_DEFAULT_DEBUG_DIR "/usr/lib/debug"


struct elfsyms {
	struct symtab syms;
	struct arena names;
	struct elfsyms_segment *segs;
	size_t nsegs, segs_cap;
	uint8_t build_id[ELFSYMS_BUILD_ID_MAX];
	size_t build_id_len;
	unsigned flags;
};

struct build_id {
	uint8_t id[ELFSYMS_BUILD_ID_MAX];
	size_t len;
};

/* ---- notes and segments ---- */

static void read_build_id(Elf *elf, struct build_id *bid)
{
	bid->len = elfnote_build_id(elf, bid->id);
}

static int read_segments(Elf *elf, struct elfsyms *es)
{
	size_t i, n;

	if (elf_getphdrnum(elf, &n))
		return 0;  /* relocatable objects have none */
	for (i = 0; i < n && i < ELFSYMS_MAX_PHDRS; i++) {
		struct elfsyms_segment *s;
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (grow_array((void **)&es->segs, &es->segs_cap, es->nsegs + 1, sizeof(*s)))
			return -ENOMEM;
		s = &es->segs[es->nsegs++];
		s->offset = ph.p_offset;
		s->vaddr = ph.p_vaddr;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		s->flags = ph.p_flags;
	}
	return 0;
}

/* ---- symbols ---- */

static Elf_Scn *find_section(Elf *elf, uint32_t type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

static int has_symtab(Elf *elf)
{
	GElf_Shdr sh;

	return find_section(elf, SHT_SYMTAB, &sh) && sh.sh_size > 0;
}

/* perf's choose_best_symbol order: sized, non-weak, global, fewer '_', longer;
 * among equals the first in the table. */
static uint32_t rank_of(const GElf_Sym *sym, const char *name, size_t len)
{
	unsigned bind = GELF_ST_BIND(sym->st_info), us = 0;

	while (us < 15 && name[us] == '_')
		us++;
	return (uint32_t)(sym->st_size != 0) << 21 | (uint32_t)(bind != STB_WEAK) << 20 |
	       (uint32_t)(bind == STB_GLOBAL) << 19 | (15u - us) << 15 |
	       (uint32_t)(len > 32767 ? 32767 : len);
}

static int add_sym(struct elfsyms *es, const GElf_Sym *sym, const char *name)
{
	size_t len = strnlen(name, ELFSYMS_NAME_MAX + 1);
	struct symtab_sym e = { .start = sym->st_value, .size = sym->st_size };

	if (len == 0 || len > ELFSYMS_NAME_MAX)
		return 0;
	if (es->syms.n >= ELFSYMS_MAX_SYMS || es->names.used + len + 1 > ELFSYMS_ARENA_MAX)
		return -ENOMEM;
	e.rank = rank_of(sym, name, len);
	if (!(e.name = arena_strndup(&es->names, name, len)))
		return -ENOMEM;
	return symtab_add(&es->syms, &e);
}

static int wanted(const GElf_Sym *sym)
{
	unsigned type = GELF_ST_TYPE(sym->st_info);

	return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym->st_value != 0 &&
	       sym->st_shndx != SHN_UNDEF;
}

/* Returns the number of symbols added or a negative errno. */
static long read_symtab(Elf *elf, uint32_t type, struct elfsyms *es)
{
	size_t i, count, before = es->syms.n, shnum;
	GElf_Shdr sh, strsh;
	Elf_Scn *scn = find_section(elf, type, &sh);
	Elf_Data *d;
	int rc;

	/* libelf reads whole sections into memory: refuse absurd sizes first */
	if (!scn || elf_getshdrnum(elf, &shnum) || sh.sh_link == 0 ||
	    sh.sh_link >= shnum || sh.sh_size > ELFSYMS_MAX_SECTION ||
	    !gelf_getshdr(elf_getscn(elf, sh.sh_link), &strsh) ||
	    strsh.sh_type != SHT_STRTAB || strsh.sh_size > ELFSYMS_MAX_SECTION)
		return 0;
	if (!(d = elf_getdata(scn, NULL)) || !d->d_buf || d->d_type != ELF_T_SYM)
		return 0;
	count = d->d_size / gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	for (i = 1; i < count; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(d, (int)i, &sym))
			break;
		if (!wanted(&sym) || !(name = elf_strptr(elf, sh.sh_link, sym.st_name)))
			continue;
		if ((rc = add_sym(es, &sym, name)))
			return rc;
	}
	return (long)(es->syms.n - before);
}

/* Sort, keep the best alias per address, and give unsized symbols the
 * distance to the next one, as perf does. */
static int finish_syms(struct elfsyms *es)
{
	int rc = symtab_sort(&es->syms);
	struct symtab_sym *v = es->syms.v;

	if (rc)
		return rc;
	for (size_t i = 0; i + 1 < es->syms.n; i++)
		if (!v[i].size)
			v[i].size = v[i + 1].start - v[i].start;
	symtab_trim(&es->syms);
	return 0;
}

/* ---- separate debug files ---- */

static int read_debuglink(Elf *elf, char *name, size_t namesz, uint32_t *crc)
{
	size_t shstrndx, nlen, crc_off;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;

	if (elf_getshdrstrndx(elf, &shstrndx) || !gelf_getehdr(elf, &eh))
		return 0;
	while ((scn = elf_nextscn(elf, scn))) {
		const unsigned char *b;
		const char *sname;
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || sh.sh_size > 4096 ||
		    !(sname = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(sname, ".gnu_debuglink") != 0)
			continue;
		if (!(d = elf_getdata(scn, NULL)) || !d->d_buf)
			return 0;
		b = d->d_buf;
		nlen = strnlen((const char *)b, d->d_size);
		crc_off = (nlen + 4) & ~(size_t)3;
		if (nlen == 0 || nlen >= namesz || crc_off + 4 > d->d_size ||
		    memchr(b, '/', nlen) || strcmp((const char *)b, "..") == 0)
			return 0;
		memcpy(name, b, nlen + 1);
		b += crc_off;
		*crc = eh.e_ident[EI_DATA] == ELFDATA2MSB
			       ? (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
			       : (uint32_t)b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0];
		return 1;
	}
	return 0;
}

static int file_crc(int fd, uint32_t *out)
{
	unsigned char buf[64 << 10];
	uLong crc = crc32(0, NULL, 0);
	off_t off = 0;

	for (;;) {
		ssize_t r = pread(fd, buf, sizeof(buf), off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		crc = crc32(crc, buf, (uInt)r);
		off += r;
	}
	*out = (uint32_t)crc;
	return 0;
}

struct debug_want {
	const struct stat *self;     /* never accept the file itself */
	const struct build_id *bid;  /* may have len 0 */
	int have_crc;
	uint32_t crc;
};

static int debug_matches(Elf *elf, int fd, const struct debug_want *w)
{
	struct build_id got;
	uint32_t crc;

	read_build_id(elf, &got);
	if (w->bid->len && got.len)
		return got.len == w->bid->len && !memcmp(got.id, w->bid->id, got.len);
	return w->have_crc && !file_crc(fd, &crc) && crc == w->crc;
}

static Elf *try_debug(const char *path, const struct debug_want *w, int *dfd)
{
	struct stat st;
	Elf *elf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (w->self && st.st_dev == w->self->st_dev && st.st_ino == w->self->st_ino)) {
		close(fd);
		return NULL;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF && has_symtab(elf) &&
	    debug_matches(elf, fd, w)) {
		*dfd = fd;
		return elf;
	}
	elf_end(elf);
	close(fd);
	return NULL;
}

static int build_id_path(char *buf, size_t sz, const char *dir,
			 const uint8_t *id, size_t len)
{
	size_t i, n;
	int k = snprintf(buf, sz, "%s/.build-id/%02x/", dir, id[0]);

	if (k < 0 || (size_t)k >= sz || (size_t)k + len * 2 + 7 > sz)
		return -ENAMETOOLONG;
	for (i = 1, n = (size_t)k; i < len; i++, n += 2)
		snprintf(buf + n, 3, "%02x", id[i]);
	strcpy(buf + n, ".debug");
	return 0;
}

static Elf *find_debuglink(Elf *elf, const char *path, const char *ddir,
			   struct debug_want *w, int *dfd)
{
	char name[256], cand[PATH_MAX];
	const char *slash;
	int k, dlen;

	if (!path || path[0] != '/' || !(slash = strrchr(path, '/')) ||
	    !read_debuglink(elf, name, sizeof(name), &w->crc))
		return NULL;
	w->have_crc = 1;
	dlen = (int)(slash - path);
	for (k = 0; k < 3; k++) {
		int n;
		Elf *dbg;

		if (k == 0)
			n = snprintf(cand, sizeof(cand), "%.*s/%s", dlen, path, name);
		else if (k == 1)
			n = snprintf(cand, sizeof(cand), "%.*s/.debug/%s", dlen, path, name);
		else
			n = snprintf(cand, sizeof(cand), "%s%.*s/%s", ddir, dlen, path, name);
		if (n < 0 || (size_t)n >= sizeof(cand))
			continue;
		if ((dbg = try_debug(cand, w, dfd)))
			return dbg;
	}
	return NULL;
}

static Elf *find_debug(Elf *elf, int fd, const struct elfsyms_opts *o,
		       const struct build_id *bid, int *dfd)
{
	const char *ddir = o && o->debug_dir ? o->debug_dir : ELFSYMS_DEFAULT_DEBUG_DIR;
	struct debug_want w = { NULL, bid, 0, 0 };
	char cand[PATH_MAX];
	struct stat self;
	Elf *dbg;

	if (fd >= 0 && !fstat(fd, &self))
		w.self = &self;
	if (bid->len && !build_id_path(cand, sizeof(cand), ddir, bid->id, bid->len) &&
	    (dbg = try_debug(cand, &w, dfd)))
		return dbg;
	if ((dbg = find_debuglink(elf, o ? o->path : NULL, ddir, &w, dfd)))
		return dbg;
	/* By build-id alone: a CRC of the debuglink does not vouch for it. */
	w.have_crc = 0;
	return bid->len && o && o->extra_debug ? try_debug(o->extra_debug, &w, dfd) : NULL;
}

int elfsyms_debug_fd(int fd, const struct elfsyms_opts *o)
{
	struct build_id bid;
	int dfd = -1;
	Elf *elf, *dbg = NULL;

	elf_version(EV_CURRENT);
	if (!(elf = elf_begin(fd, ELF_C_READ, NULL)))
		return -ENOEXEC;
	if (elf_kind(elf) == ELF_K_ELF) {
		read_build_id(elf, &bid);
		dbg = find_debug(elf, fd, o, &bid, &dfd);
	}
	elf_end(dbg);
	elf_end(elf);
	return dbg ? dfd : -ENOENT;
}

int elfsyms_debug_fd_build_id(const uint8_t *id, size_t len, const char *debug_dir)
{
	struct build_id bid = { .len = len };
	struct debug_want w = { NULL, &bid, 0, 0 };
	char cand[PATH_MAX];
	int dfd = -1;
	Elf *dbg;

	if (!len || len > ELFSYMS_BUILD_ID_MAX)
		return -EINVAL;
	memcpy(bid.id, id, len);
	elf_version(EV_CURRENT);
	if (build_id_path(cand, sizeof(cand), debug_dir ? debug_dir : ELFSYMS_DEFAULT_DEBUG_DIR,
			  id, len) || !(dbg = try_debug(cand, &w, &dfd)))
		return -ENOENT;
	elf_end(dbg);
	return dfd;
}

/* ---- loading ---- */

static int load_debug_syms(Elf *elf, int fd, const struct elfsyms_opts *o,
			   const struct build_id *bid, struct elfsyms *es)
{
	int dfd = -1;
	Elf *dbg = find_debug(elf, fd, o, bid, &dfd);
	long rc;

	if (!dbg)
		return 0;
	rc = read_symtab(dbg, SHT_SYMTAB, es);
	if (rc > 0)
		es->flags |= ELFSYMS_SYMTAB | ELFSYMS_DEBUGFILE;
	elf_end(dbg);
	close(dfd);
	return rc < 0 ? (int)rc : 0;
}

static int load_elf(Elf *elf, int fd, const struct elfsyms_opts *o, struct elfsyms *es)
{
	struct build_id bid;
	GElf_Ehdr eh;
	long rc;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
		return -ENOEXEC;
	if ((rc = read_segments(elf, es)))
		return (int)rc;
	read_build_id(elf, &bid);
	memcpy(es->build_id, bid.id, bid.len);
	es->build_id_len = bid.len;
	if ((rc = read_symtab(elf, SHT_SYMTAB, es)) > 0)
		es->flags |= ELFSYMS_SYMTAB;
	if (!rc && fd >= 0 && !(o && o->no_debug))
		rc = load_debug_syms(elf, fd, o, &bid, es);
	if (!rc && !es->syms.n && (rc = read_symtab(elf, SHT_DYNSYM, es)) > 0)
		es->flags |= ELFSYMS_DYNSYM;
	if (rc < 0)
		return (int)rc;
	return finish_syms(es);
}

static int load_common(Elf *elf, int fd, const struct elfsyms_opts *o,
		       struct elfsyms **out)
{
	struct elfsyms *es;
	int rc;

	if (!elf)
		return -ENOEXEC;
	if (!(es = calloc(1, sizeof(*es))))
		return -ENOMEM;
	symtab_init(&es->syms, SYMTAB_BY_RANK);
	if ((rc = load_elf(elf, fd, o, es))) {
		elfsyms_free(es);
		return rc;
	}
	*out = es;
	return 0;
}

int elfsyms_load_fd(int fd, const struct elfsyms_opts *opts, struct elfsyms **out)
{
	struct stat st;
	Elf *elf;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	rc = load_common(elf, fd, opts, out);
	elf_end(elf);
	return rc;
}

int elfsyms_load_mem(const void *image, size_t size, struct elfsyms **out)
{
	const struct elfsyms_opts o = { .no_debug = 1 };
	char *copy;
	Elf *elf;
	int rc;

	if (!out || (!image && size))
		return -EINVAL;
	*out = NULL;
	if (size < EI_NIDENT)
		return -ENOEXEC;
	if (!(copy = malloc(size)))
		return -ENOMEM;
	memcpy(copy, image, size);
	elf_version(EV_CURRENT);
	elf = elf_memory(copy, size);
	rc = load_common(elf, -1, &o, out);
	elf_end(elf);
	free(copy);
	return rc;
}

int elfsyms_load_build_id(const uint8_t *id, size_t len, const char *debug_dir,
			  struct elfsyms **out)
{
	struct elfsyms_opts o = { .debug_dir = debug_dir, .no_debug = 1 };
	char path[PATH_MAX];
	int fd, rc;

	if (!out || !id || !len || len > ELFSYMS_BUILD_ID_MAX)
		return -EINVAL;
	*out = NULL;
	rc = build_id_path(path, sizeof(path),
			   debug_dir ? debug_dir : ELFSYMS_DEFAULT_DEBUG_DIR, id, len);
	if (rc)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	rc = elfsyms_load_fd(fd, &o, out);
	close(fd);
	if (!rc && ((*out)->build_id_len != len || memcmp((*out)->build_id, id, len))) {
		elfsyms_free(*out);
		*out = NULL;
		return -ENOENT;
	}
	if (!rc) {  /* a debug file's segments have no file contents */
		(*out)->nsegs = 0;
		(*out)->flags |= ELFSYMS_DEBUGFILE;
	}
	return rc;
}

void elfsyms_free(struct elfsyms *es)
{
	if (!es)
		return;
	symtab_release(&es->syms);
	arena_release(&es->names);
	free(es->segs);
	free(es);
}

/* ---- queries ---- */

size_t elfsyms_count(const struct elfsyms *es)
{
	return es ? es->syms.n : 0;
}

unsigned elfsyms_flags(const struct elfsyms *es)
{
	return es ? es->flags : 0;
}

size_t elfsyms_memory(const struct elfsyms *es)
{
	if (!es)
		return 0;
	return sizeof(*es) + es->syms.cap * sizeof(*es->syms.v) + es->names.bytes +
	       es->segs_cap * sizeof(*es->segs);
}

size_t elfsyms_build_id(const struct elfsyms *es, const uint8_t **id)
{
	if (!es || !id)
		return 0;
	*id = es->build_id;
	return es->build_id_len;
}

size_t elfsyms_segments(const struct elfsyms *es, const struct elfsyms_segment **segs)
{
	if (!es || !segs)
		return 0;
	*segs = es->segs;
	return es->nsegs;
}

/* The last symbol has no successor to bound it: accept it within its segment. */
static int contains(const struct elfsyms *es, const struct symtab_sym *e, uint64_t vaddr)
{
	size_t i;

	if (e->size)
		return vaddr - e->start < e->size;
	for (i = 0; i < es->nsegs; i++) {
		const struct elfsyms_segment *s = &es->segs[i];

		if (e->start - s->vaddr < s->memsz && vaddr - s->vaddr < s->memsz)
			return 1;
	}
	return 0;
}

int elfsyms_lookup(const struct elfsyms *es, uint64_t vaddr, struct elfsym *out)
{
	size_t lo, k;

	if (!es || !out)
		return -EINVAL;
	lo = symtab_upto(&es->syms, vaddr);
	for (k = 0; k < ELFSYMS_NESTED_SCAN && k < lo; k++) {
		const struct symtab_sym *e = &es->syms.v[lo - 1 - k];

		if (contains(es, e, vaddr)) {
			out->addr = e->start;
			out->size = e->size;
			out->name = e->name;
			return 0;
		}
	}
	return -ENOENT;
}

int elfsyms_find(const struct elfsyms *es, const char *name, struct elfsym *out)
{
	size_t i;

	if (!es || !name || !out)
		return -EINVAL;
	for (i = 0; i < es->syms.n; i++) {
		const struct symtab_sym *e = &es->syms.v[i];

		if (strcmp(e->name, name) == 0) {
			out->addr = e->start;
			out->size = e->size;
			out->name = e->name;
			return 0;
		}
	}
	return -ENOENT;
}

static int seg_off_to_vaddr(const struct elfsyms_segment *s, uint64_t off, uint64_t *vaddr)
{
	if (off < s->offset || off - s->offset >= s->filesz)
		return 0;
	*vaddr = off - s->offset + s->vaddr;
	return 1;
}

int elfsyms_off_to_vaddr(const struct elfsyms *es, uint64_t off, uint64_t *vaddr)
{
	size_t i;

	if (!es || !vaddr)
		return -EINVAL;
	for (i = 0; i < es->nsegs; i++)
		if ((es->segs[i].flags & PF_X) && seg_off_to_vaddr(&es->segs[i], off, vaddr))
			return 0;
	for (i = 0; i < es->nsegs; i++)
		if (seg_off_to_vaddr(&es->segs[i], off, vaddr))
			return 0;
	return -ENOENT;
}
