/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines and inline chains via libdw.  libdw parses DWARF and does
 * its own bounds checks (elfutils fuzzes it); what is ours is the index
 * of units by address and the limits on what one file can make us hold.
 */
#define _GNU_SOURCE
#include "symbols/srclines.h"
#include "symbols/srclines-int.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <libelf.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/bsearch.h"
#include "lib/strpool.h"
#include "lib/u64map.h"
#include "lib/util.h"

/* Address ranges of units indexed per file; beyond it the rest are left out. */
#define SRCL_MAX_RANGES (1u << 22)
/* Functions' ranges indexed per file, and how deep a unit's scopes are followed. */
#define SRCL_MAX_SCOPES (1u << 22)
#define SRCL_MAX_NESTING 64
#define SRCL_NONE UINT32_MAX
/* Descriptors a pool keeps to open closed files again; past it a closed file is lost. */
#define SRCL_POOL_MAX_FDS 256
/*
 * What libdw holds beside the sections: a unit's line table, parsed on
 * its first lookup, about this much a row (elfutils 0.188's Dwarf_Line
 * and its sorted copy); measured within 20% of the resident size over
 * the files of a recording.
 */
#define SRCL_LINE_COST 64

struct unit_range {
	uint64_t start, end;	/* [start, end) */
	uint64_t die_off;	/* the unit's DIE */
};

/* A function's DIE, or an inlined call's, and the one it is nested in. */
struct scope_node {
	uint64_t die_off;
	uint32_t parent;	/* index in the unit's nodes, SRCL_NONE at the top */
};

struct scope_range {
	uint64_t start, end;	/* [start, end) */
	uint32_t node;
	uint32_t depth;
};

/*
 * The functions of one unit by address, built when the unit is first
 * looked up: dwarf_getscopes() walks the whole unit on every call, which
 * for a unit such as CPython's ceval.c costs tens of milliseconds each.
 */
struct unit_scopes {
	struct scope_node *nodes;
	size_t n_nodes, cap_nodes;
	struct scope_range *r;
	size_t n, cap;
	uint64_t parsed;	/* what libdw holds of the unit once read: its line table */
	uint32_t opened;	/* the srclines' opens when last counted */
};

struct srclines {
	struct srclines_pool *pool;	/* NULL: never closed */
	int fd;			/* the DWARF's file, kept to open it again, or -1 */
	int closed;		/* elf, dw and the indexes let go for the budget */
	int lost;		/* closed, and could not be opened again */
	size_t slot;		/* in pool->open while open */
	uint64_t sect_bytes;	/* its debug sections, inflated */
	uint64_t parsed;	/* the units libdw has read since the last open */
	uint32_t opens;
	uint64_t cost;		/* counted in pool->cost */
	uint64_t used;		/* pool->tick at the last lookup */
	Elf *elf;
	Dwarf *dw;
	struct unit_range *r;
	size_t n, cap;
	int indexed;		/* r[] built (on the first lookup) */
	int aranges;		/* the file has .debug_aranges */
	const char *index_err;	/* a unit whose ranges could not be read */
	struct u64map units;	/* unit DIE offset -> struct unit_scopes */
	size_t n_scopes;	/* ranges in all of them */
	struct strpool paths;	/* relative file names joined to their unit's directory */
};

struct srclines_pool {
	uint64_t cost, tick;
	struct srclines **open;
	size_t n, cap;
	uint32_t fds;
	struct srclines_pool_stats st;
};

/* A section of that name with contents, not a placeholder of a stripped file. */
static int has_section(Elf *elf, const char *want)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS || !sh.sh_size ||
		    !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		if (!strcmp(name, want))
			return 1;
	}
	return 0;
}

static int has_debug_info(Elf *elf)
{
	return has_section(elf, ".debug_info") || has_section(elf, ".zdebug_info");
}

/* What the debug sections take once libdw has them: inflated if compressed. */
static uint64_t debug_bytes(Elf *elf)
{
	Elf_Scn *scn = NULL;
	uint64_t sum = 0;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		GElf_Chdr ch;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS ||
		    !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		if (!strncmp(name, ".zdebug_", 8))
			sum += sh.sh_size * 4;	/* the GNU format: a guess, it is rare */
		else if (strncmp(name, ".debug_", 7))
			continue;
		else if ((sh.sh_flags & SHF_COMPRESSED) && gelf_getchdr(scn, &ch))
			sum += ch.ch_size < (1ull << 32) ? ch.ch_size : (1ull << 32);
		else
			sum += sh.sh_size;
	}
	return sum;
}

/*
 * The file is mapped, so once libdw has started (and noted the file's
 * directory for a dwz alternate file) the fd is let go: a recording may
 * hold the DWARF of hundreds of files without as many fds.
 */
static void pool_trim(struct srclines_pool *p, struct srclines *keep, uint64_t need);

static int open_dw(int fd, struct srclines_pool *pool, Elf **elfp, Dwarf **dwp,
		   const char **why)
{
	Elf *elf;
	Dwarf *dw;

	elf_version(EV_CURRENT);
	if (!(elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)))
		return -ENOENT;
	if (!has_debug_info(elf)) {
		elf_end(elf);
		return -ENOENT;
	}
	/* Room first: libdw inflates the sections as it starts. */
	if (pool)
		pool_trim(pool, NULL, debug_bytes(elf));
	if (!(dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL))) {
		*why = dwarf_errmsg(-1);
		elf_end(elf);
		return -EBADMSG;
	}
	if (elf_cntl(elf, ELF_C_FDREAD)) {
		dwarf_end(dw);
		elf_end(elf);
		return -ENOMEM;
	}
	*elfp = elf;
	*dwp = dw;
	return 0;
}

static uint64_t cost_of(const struct srclines *sl)
{
	return sl->sect_bytes + sl->parsed;
}

static void pool_unlink(struct srclines *sl)
{
	struct srclines_pool *p = sl->pool;

	p->open[sl->slot] = p->open[--p->n];
	p->open[sl->slot]->slot = sl->slot;
	p->cost -= sl->cost;
	sl->cost = 0;
}

static void unit_free(void *p);

/*
 * Our indexes stay: they hold DIE offsets, which the file keeps, and
 * rebuilding them is what a reopen would cost most (tens of milliseconds
 * for a unit of CPython's size), and they take little memory beside libdw's.
 */
static void close_dw(struct srclines *sl)
{
	dwarf_end(sl->dw);
	elf_end(sl->elf);
	sl->dw = NULL;
	sl->elf = NULL;
}

/*
 * Closes the least recently used files but keep until the estimate and
 * need fit.  The heap is trimmed after: libdw frees many small blocks,
 * which malloc would otherwise keep.
 */
static void pool_trim(struct srclines_pool *p, struct srclines *keep, uint64_t need)
{
	uint32_t closed = p->st.closed;

	while (p->cost + need > p->st.budget && p->n > (keep ? 1u : 0u)) {
		struct srclines *lru = NULL;

		for (size_t i = 0; i < p->n; i++)
			if (p->open[i] != keep && (!lru || p->open[i]->used < lru->used))
				lru = p->open[i];
		pool_unlink(lru);
		close_dw(lru);
		lru->closed = 1;
		p->st.closed++;
	}
#ifdef __GLIBC__
	if (p->st.closed != closed)
		malloc_trim(0);
#endif
}

/* After an open or a lookup: its index may have grown. */
static void pool_account(struct srclines *sl)
{
	struct srclines_pool *p = sl->pool;
	uint64_t c;

	if (!p || sl->closed)
		return;
	c = cost_of(sl);
	p->cost += c - sl->cost;
	sl->cost = c;
	sl->used = ++p->tick;
	pool_trim(p, sl, 0);
	if (p->cost > p->st.peak)
		p->st.peak = p->cost;
}

static int pool_link(struct srclines_pool *p, struct srclines *sl)
{
	if (grow_array((void **)&p->open, &p->cap, p->n + 1, sizeof(*p->open)))
		return -ENOMEM;
	sl->pool = p;
	sl->slot = p->n;
	p->open[p->n++] = sl;
	return 0;
}

static int from_fd(int fd, struct srclines_pool *pool, struct srclines **out,
		   const char **why)
{
	struct srclines *sl;
	Elf *elf;
	Dwarf *dw;
	int rc = open_dw(fd, pool, &elf, &dw, why);

	if (rc)
		return rc;
	if (!(sl = calloc(1, sizeof(*sl)))) {
		dwarf_end(dw);
		elf_end(elf);
		return -ENOMEM;
	}
	sl->fd = -1;
	sl->elf = elf;
	sl->dw = dw;
	sl->aranges = has_section(elf, ".debug_aranges");
	sl->sect_bytes = debug_bytes(elf);
	if (pool && pool_link(pool, sl)) {
		srclines_free(sl);
		return -ENOMEM;
	}
	if (pool && pool->fds < SRCL_POOL_MAX_FDS &&
	    (sl->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0)
		pool->fds++;
	if (pool)
		pool->st.files++;
	pool_account(sl);
	*out = sl;
	return 0;
}

/* A file closed for the budget, opened again for a lookup. */
static int reopen(struct srclines *sl)
{
	const char *why = NULL;

	if (sl->fd < 0 || open_dw(sl->fd, sl->pool, &sl->elf, &sl->dw, &why) ||
	    pool_link(sl->pool, sl)) {
		close_dw(sl);
		sl->lost = 1;
		sl->pool->st.lost++;
		return -ENOENT;
	}
	sl->closed = 0;
	sl->parsed = 0;
	sl->opens++;
	sl->pool->st.reopened++;
	return 0;
}

int srclines_pool_new(uint64_t budget, struct srclines_pool **out)
{
	if (!out)
		return -EINVAL;
	if (!(*out = calloc(1, sizeof(**out))))
		return -ENOMEM;
	(*out)->st.budget = budget;
	return 0;
}

void srclines_pool_free(struct srclines_pool *pool)
{
	if (!pool)
		return;
	free(pool->open);
	free(pool);
}

void srclines_pool_stats(const struct srclines_pool *pool, struct srclines_pool_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (pool)
		*out = pool->st;
}

int srclines_open_fd(int fd, const struct elfsyms_opts *opts, struct srclines_pool *pool,
		     struct srclines **out, const char **why)
{
	const char *dummy;
	int rc, dfd;

	if (!out || fd < 0)
		return -EINVAL;
	*out = NULL;
	why = why ? why : &dummy;
	*why = NULL;
	rc = from_fd(fd, pool, out, why);
	if (rc != -ENOENT || (opts && opts->no_debug))
		return rc;
	if ((dfd = elfsyms_debug_fd(fd, opts)) < 0)
		return -ENOENT;
	rc = from_fd(dfd, pool, out, why);
	close(dfd);
	return rc;
}

int srclines_open_build_id(const uint8_t *id, size_t len, const char *debug_dir,
			   struct srclines_pool *pool, struct srclines **out, const char **why)
{
	const char *dummy;
	int rc, dfd;

	if (!out)
		return -EINVAL;
	*out = NULL;
	why = why ? why : &dummy;
	*why = NULL;
	if ((dfd = elfsyms_debug_fd_build_id(id, len, debug_dir)) < 0)
		return -ENOENT;
	rc = from_fd(dfd, pool, out, why);
	close(dfd);
	return rc;
}

static void unit_free(void *p)
{
	struct unit_scopes *u = p;

	free(u->nodes);
	free(u->r);
	free(u);
}

void srclines_free(struct srclines *sl)
{
	if (!sl)
		return;
	if (sl->pool && !sl->closed)
		pool_unlink(sl);
	if (sl->fd >= 0) {
		close(sl->fd);
		sl->pool->fds--;
	}
	u64map_free(&sl->units, unit_free);
	strpool_release(&sl->paths);
	close_dw(sl);
	free(sl->r);
	free(sl);
}

/* ---- units by address ---- */

static int range_cmp(const void *pa, const void *pb)
{
	const struct unit_range *a = pa, *b = pb;

	return (a->start > b->start) - (a->start < b->start);
}

static void index_unit(struct srclines *sl, Dwarf_Die *cu)
{
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(cu, off, &base, &start, &end)) > 0) {
		if (end <= start)
			continue;
		if (sl->n >= SRCL_MAX_RANGES ||
		    grow_array((void **)&sl->r, &sl->cap, sl->n + 1, sizeof(*sl->r)))
			return;
		sl->r[sl->n++] = (struct unit_range){ start, end, dwarf_dieoffset(cu) };
	}
	if (off < 0 && !sl->index_err)
		sl->index_err = dwarf_errmsg(-1);
}

/*
 * The units by address from .debug_aranges, which gcc writes: without
 * reading every unit, whose parsed abbreviations a file such as libc's
 * debug file (1800 units) would make us hold.  0 if the file has none.
 */
static int index_aranges(struct srclines *sl)
{
	Dwarf_Aranges *ar;
	size_t nar;

	if (!sl->aranges || dwarf_getaranges(sl->dw, &ar, &nar) || !nar)
		return 0;
	for (size_t i = 0; i < nar && sl->n < SRCL_MAX_RANGES; i++) {
		Dwarf_Addr start;
		Dwarf_Word len;
		Dwarf_Off die;

		if (dwarf_getarangeinfo(dwarf_onearange(ar, i), &start, &len, &die) || !len ||
		    grow_array((void **)&sl->r, &sl->cap, sl->n + 1, sizeof(*sl->r)))
			continue;
		sl->r[sl->n++] = (struct unit_range){ start, start + len, die };
	}
	return sl->n > 0;
}

/*
 * Else our own index of every unit's ranges: gcc may leave .debug_aranges
 * out, and libdw before 0.189 then finds no unit at all.
 */
static void build_index(struct srclines *sl)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	sl->indexed = 1;
	if (index_aranges(sl)) {
		qsort(sl->r, sl->n, sizeof(*sl->r), range_cmp);
		return;
	}
	while (dwarf_nextcu(sl->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(sl->dw, off + hsize, &cu))
			index_unit(sl, &cu);
		else if (!sl->index_err)
			sl->index_err = dwarf_errmsg(-1);
		if (next <= off)
			break;
		off = next;
	}
	if (sl->n)
		qsort(sl->r, sl->n, sizeof(*sl->r), range_cmp);
}

/* The unit holding vaddr: the nearest start below it, or one just before. */
static int find_unit(struct srclines *sl, uint64_t vaddr, Dwarf_Die *cu)
{
	size_t lo = UPPER_BOUND(sl->r, sl->n, start, vaddr);

	/* Nested or overlapping ranges are rare: a few steps back cover them. */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++)
		if (vaddr < sl->r[i - 1].end)
			return dwarf_offdie(sl->dw, sl->r[i - 1].die_off, cu) != NULL;
	return 0;
}

/* ---- functions by address, per unit ---- */

static int scope_cmp(const void *pa, const void *pb)
{
	const struct scope_range *a = pa, *b = pb;

	if (a->start != b->start)
		return (a->start > b->start) - (a->start < b->start);
	/* A nested scope starting where its parent does comes after it. */
	return (a->depth > b->depth) - (a->depth < b->depth);
}

/* The tags __libdw_visit_scopes() descends into: those that may hold code. */
static int may_hold_code(int tag)
{
	switch (tag) {
	case DW_TAG_subprogram: case DW_TAG_inlined_subroutine: case DW_TAG_entry_point:
	case DW_TAG_lexical_block: case DW_TAG_try_block: case DW_TAG_catch_block:
	case DW_TAG_with_stmt: case DW_TAG_namespace: case DW_TAG_module:
	case DW_TAG_class_type: case DW_TAG_structure_type: case DW_TAG_union_type:
		return 1;
	}
	return 0;
}

static int is_function(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
	       tag == DW_TAG_entry_point;
}

static int add_node(struct srclines *sl, struct unit_scopes *u, Dwarf_Die *die,
		    uint32_t parent, uint32_t depth, uint32_t *idx)
{
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;

	if (u->n_nodes >= UINT32_MAX - 1 ||
	    grow_array((void **)&u->nodes, &u->cap_nodes, u->n_nodes + 1, sizeof(*u->nodes)))
		return -ENOMEM;
	*idx = (uint32_t)u->n_nodes;
	u->nodes[u->n_nodes++] = (struct scope_node){ dwarf_dieoffset(die), parent };
	while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0) {
		if (end <= start)
			continue;
		if (sl->n_scopes >= SRCL_MAX_SCOPES)
			return 0;
		if (grow_array((void **)&u->r, &u->cap, u->n + 1, sizeof(*u->r)))
			return -ENOMEM;
		u->r[u->n++] = (struct scope_range){ start, end, *idx, depth };
		sl->n_scopes++;
	}
	return 0;
}

static int visit(struct srclines *sl, struct unit_scopes *u, Dwarf_Die *parent_die,
		 uint32_t parent, uint32_t depth)
{
	Dwarf_Die child;
	int rc;

	if (depth >= SRCL_MAX_NESTING || dwarf_child(parent_die, &child) != 0)
		return 0;
	do {
		int tag = dwarf_tag(&child);
		uint32_t idx = parent;

		if (!may_hold_code(tag))
			continue;
		if (is_function(tag) && (rc = add_node(sl, u, &child, parent, depth, &idx)))
			return rc;
		if ((rc = visit(sl, u, &child, idx, depth + 1)))
			return rc;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

static struct unit_scopes *unit_scopes(struct srclines *sl, Dwarf_Die *cu)
{
	uint64_t key = dwarf_dieoffset(cu);
	struct unit_scopes *u = u64map_get(&sl->units, key);

	if (u)
		return u;
	if (!(u = calloc(1, sizeof(*u))))
		return NULL;
	if (visit(sl, u, cu, SRCL_NONE, 0) || u64map_put(&sl->units, key, u)) {
		unit_free(u);
		return NULL;
	}
	if (u->n)
		qsort(u->r, u->n, sizeof(*u->r), scope_cmp);
	return u;
}

/*
 * The innermost function holding vaddr: ranges nest, so scanning back
 * from the last start at or below vaddr the first range that holds it
 * is the deepest.
 */
static uint32_t innermost(const struct unit_scopes *u, uint64_t vaddr)
{
	size_t lo = UPPER_BOUND(u->r, u->n, start, vaddr);

	for (size_t i = lo; i > 0; i--)
		if (vaddr < u->r[i - 1].end)
			return u->r[i - 1].node;
	return SRCL_NONE;
}

/* ---- chains ---- */

static const char *die_name(Dwarf_Die *d)
{
	Dwarf_Attribute a;
	const char *n = dwarf_formstring(dwarf_attr_integrate(d, DW_AT_linkage_name, &a));

	if (!n)
		n = dwarf_formstring(dwarf_attr_integrate(d, DW_AT_MIPS_linkage_name, &a));
	return n ? n : dwarf_diename(d);
}

/* Where an inlined call was made: its call_file and call_line. */
static void call_site(Dwarf_Die *cu, Dwarf_Die *inl, const char **file, uint32_t *line)
{
	Dwarf_Attribute a;
	Dwarf_Word idx, ln;
	Dwarf_Files *files;
	size_t nfiles;

	*file = NULL;
	*line = 0;
	if (!dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &a), &idx) &&
	    !dwarf_getsrcfiles(cu, &files, &nfiles) && idx < nfiles)
		*file = dwarf_filesrc(files, idx, NULL, NULL);
	if (!dwarf_formudata(dwarf_attr(inl, DW_AT_call_line, &a), &ln) && ln <= UINT32_MAX)
		*line = (uint32_t)ln;
}

/*
 * A file name as addr2line prints it: one relative to the unit's
 * directory (DWARF 4 line tables of a build by relative paths) joined to
 * it.  Kept as it was when too long or out of memory.
 */
static const char *full_path(struct srclines *sl, Dwarf_Die *cu, const char *file)
{
	Dwarf_Attribute a;
	const char *dir, *p;
	char buf[4096];

	if (!file || file[0] == '/' ||
	    !(dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a))) || !dir[0] ||
	    (size_t)snprintf(buf, sizeof(buf), "%s/%s", dir, file) >= sizeof(buf) ||
	    sl->paths.bytes > (64u << 20) || !(p = strpool_intern(&sl->paths, buf)))
		return file;
	return p;
}

static int lookup(struct srclines *sl, uint64_t vaddr, struct src_frame *out, size_t max,
		  const char **why);

int srclines_lookup(struct srclines *sl, uint64_t vaddr, struct src_frame *out, size_t max,
		    const char **why)
{
	const char *dummy;
	int k;

	why = why ? why : &dummy;
	*why = NULL;
	if (!sl || !out || !max)
		return -EINVAL;
	if (srclines_begin(sl))
		return 0;
	k = lookup(sl, vaddr, out, max, why);
	srclines_end(sl);
	return k;
}

static int lookup(struct srclines *sl, uint64_t vaddr, struct src_frame *out, size_t max,
		  const char **why)
{
	const char *file = NULL;
	struct unit_scopes *u;
	Dwarf_Die cu, die;
	Dwarf_Line *ln;
	uint32_t line = 0, node;
	int lineno;
	size_t k = 0;

	if (!sl->indexed)
		build_index(sl);
	if (!find_unit(sl, vaddr, &cu)) {
		*why = sl->index_err;
		return sl->index_err && !sl->n ? -EBADMSG : 0;
	}
	if ((ln = dwarf_getsrc_die(&cu, vaddr))) {
		file = full_path(sl, &cu, dwarf_linesrc(ln, NULL, NULL));
		if (!dwarf_lineno(ln, &lineno) && lineno > 0)
			line = (uint32_t)lineno;
	}
	if (!(u = unit_scopes(sl, &cu)))
		return -ENOMEM;
	if (u->opened != sl->opens + 1) {
		Dwarf_Lines *lines;
		size_t nlines;

		if (!u->parsed && !dwarf_getsrclines(&cu, &lines, &nlines))
			u->parsed = (uint64_t)nlines * SRCL_LINE_COST;
		u->opened = sl->opens + 1;
		sl->parsed += u->parsed;
	}
	/* Innermost first: each inlined call's site is the line of the frame after it. */
	for (node = innermost(u, vaddr); node != SRCL_NONE && k < max;
	     node = u->nodes[node].parent) {
		int decl = 0;

		if (!dwarf_offdie(sl->dw, u->nodes[node].die_off, &die)) {
			*why = dwarf_errmsg(-1);
			return k ? (int)k : -EBADMSG;
		}
		if (dwarf_decl_line(&die, &decl) || decl < 0)
			decl = 0;
		out[k++] = (struct src_frame){ die_name(&die), file, line, (uint32_t)decl };
		if (dwarf_tag(&die) != DW_TAG_inlined_subroutine)
			break;
		call_site(&cu, &die, &file, &line);
		file = full_path(sl, &cu, file);
	}
	/* Code no function DIE covers (assembly) still has its line. */
	if (!k && file)
		out[k++] = (struct src_frame){ NULL, file, line, 0 };
	return (int)k;
}

/* srclines-rows.c's way in: the unit holding vaddr, and its file names. */
int srclines_unit_at(struct srclines *sl, uint64_t vaddr, Dwarf_Die *cu, const char **why)
{
	if (!sl->indexed)
		build_index(sl);
	if (find_unit(sl, vaddr, cu))
		return 1;
	*why = sl->index_err;
	return sl->index_err && !sl->n ? -EBADMSG : 0;
}

const char *srclines_path(struct srclines *sl, Dwarf_Die *cu, const char *file)
{
	return full_path(sl, cu, file);
}

int srclines_begin(struct srclines *sl)
{
	return sl->lost || (sl->closed && reopen(sl)) ? -ENOENT : 0;
}

void srclines_end(struct srclines *sl)
{
	pool_account(sl);
}
