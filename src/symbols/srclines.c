/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source lines and inline chains via libdw.  libdw parses DWARF and does
 * its own bounds checks (elfutils fuzzes it); what is ours is the index
 * of units by address and the limits on what one file can make us hold.
 */
#define _GNU_SOURCE
#include "symbols/srclines.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

/* Address ranges of units indexed per file; beyond it the rest are left out. */
#define SRCL_MAX_RANGES (1u << 22)

struct unit_range {
	uint64_t start, end;	/* [start, end) */
	uint64_t die_off;	/* the unit's DIE */
};

struct srclines {
	Elf *elf;
	Dwarf *dw;
	struct unit_range *r;
	size_t n, cap;
	int indexed;		/* r[] built (on the first lookup) */
	const char *index_err;	/* a unit whose ranges could not be read */
};

/* Sections of DWARF in the file itself, not placeholders of a stripped one. */
static int has_debug_info(Elf *elf)
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
		if (!strcmp(name, ".debug_info") || !strcmp(name, ".zdebug_info"))
			return 1;
	}
	return 0;
}

/*
 * The file is mapped, so once libdw has started (and noted the file's
 * directory for a dwz alternate file) the fd is let go: a recording may
 * hold the DWARF of hundreds of files without as many fds.
 */
static int from_fd(int fd, struct srclines **out, const char **why)
{
	struct srclines *sl;
	Elf *elf;
	Dwarf *dw;

	elf_version(EV_CURRENT);
	if (!(elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)))
		return -ENOENT;
	if (!has_debug_info(elf)) {
		elf_end(elf);
		return -ENOENT;
	}
	if (!(dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL))) {
		*why = dwarf_errmsg(-1);
		elf_end(elf);
		return -EBADMSG;
	}
	if (elf_cntl(elf, ELF_C_FDREAD) || !(sl = calloc(1, sizeof(*sl)))) {
		dwarf_end(dw);
		elf_end(elf);
		return -ENOMEM;
	}
	sl->elf = elf;
	sl->dw = dw;
	*out = sl;
	return 0;
}

int srclines_open_fd(int fd, const struct elfsyms_opts *opts, struct srclines **out,
		     const char **why)
{
	const char *dummy;
	int rc, dfd;

	if (!out || fd < 0)
		return -EINVAL;
	*out = NULL;
	why = why ? why : &dummy;
	*why = NULL;
	rc = from_fd(fd, out, why);
	if (rc != -ENOENT || (opts && opts->no_debug))
		return rc;
	if ((dfd = elfsyms_debug_fd(fd, opts)) < 0)
		return -ENOENT;
	rc = from_fd(dfd, out, why);
	close(dfd);
	return rc;
}

int srclines_open_build_id(const uint8_t *id, size_t len, const char *debug_dir,
			   struct srclines **out, const char **why)
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
	rc = from_fd(dfd, out, why);
	close(dfd);
	return rc;
}

void srclines_free(struct srclines *sl)
{
	if (!sl)
		return;
	dwarf_end(sl->dw);
	elf_end(sl->elf);
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
 * Our own index rather than .debug_aranges: gcc may leave that section
 * out, and libdw before 0.189 then finds no unit at all.
 */
static void build_index(struct srclines *sl)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	sl->indexed = 1;
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
	size_t lo = 0, hi = sl->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sl->r[mid].start <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Nested or overlapping ranges are rare: a few steps back cover them. */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++)
		if (vaddr < sl->r[i - 1].end)
			return dwarf_offdie(sl->dw, sl->r[i - 1].die_off, cu) != NULL;
	return 0;
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

int srclines_lookup(struct srclines *sl, uint64_t vaddr, struct src_frame *out, size_t max,
		    const char **why)
{
	const char *file = NULL, *dummy;
	Dwarf_Die cu, *scopes = NULL;
	Dwarf_Line *ln;
	uint32_t line = 0;
	int lineno, n;
	size_t k = 0;

	why = why ? why : &dummy;
	*why = NULL;
	if (!sl || !out || !max)
		return -EINVAL;
	if (!sl->indexed)
		build_index(sl);
	if (!find_unit(sl, vaddr, &cu)) {
		*why = sl->index_err;
		return sl->index_err && !sl->n ? -EBADMSG : 0;
	}
	if ((ln = dwarf_getsrc_die(&cu, vaddr))) {
		file = dwarf_linesrc(ln, NULL, NULL);
		if (!dwarf_lineno(ln, &lineno) && lineno > 0)
			line = (uint32_t)lineno;
	}
	/*
	 * dwarf_getscopes() goes on from an inlined subroutine into its
	 * abstract origin's scopes; the concrete ones, the callers it was
	 * inlined into, are those of the innermost scope's DIE.
	 */
	n = dwarf_getscopes(&cu, vaddr, &scopes);
	if (n > 0) {
		Dwarf_Die inner = scopes[0];

		free(scopes);
		scopes = NULL;
		n = dwarf_getscopes_die(&inner, &scopes);
	}
	if (n < 0 && !file) {
		*why = dwarf_errmsg(-1);
		return -EBADMSG;
	}
	for (int i = 0; i < n && k < max; i++) {
		int tag = dwarf_tag(&scopes[i]);
		int decl = 0;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram &&
		    tag != DW_TAG_entry_point)
			continue;
		if (dwarf_decl_line(&scopes[i], &decl) || decl < 0)
			decl = 0;
		out[k++] = (struct src_frame){ die_name(&scopes[i]), file, line, (uint32_t)decl };
		if (tag != DW_TAG_inlined_subroutine)
			break;
		call_site(&cu, &scopes[i], &file, &line);
	}
	free(scopes);
	/* Code no function DIE covers (assembly) still has its line. */
	if (!k && file)
		out[k++] = (struct src_frame){ NULL, file, line, 0 };
	return (int)k;
}
