/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walks each FDE's range row by row with dwarf_cfi_addrframe(): libdw
 * interprets the CFA program, so there is no interpreter of ours to get
 * wrong or to fuzz.  Each lookup replays the FDE's program up to the
 * address, so a function of k rows costs k replays; the work limit keeps
 * a crafted FDE of many rows from making that quadratic time unbounded.
 */
#include "unwind/cfi-table.h"
#include "unwind/cfi-debug.h"
#include "unwind/cfi-fde.h"
#include "unwind/cfi-rule.h"
#include "lib/util.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DEBUG_DIR	"/usr/lib/debug"
#define SECTION_MAX		(1ull << 30)	/* libelf reads a section whole */
#define WORK_PER_LOOKUP		64		/* find the FDE, copy the CIE state */
/*
 * Work allowed per byte of the section, and on top.  Debian's libc,
 * python3.11, libstdc++ and libLLVM need 10-15 per byte of FDE, gcc 74
 * (about 2 ns each); the largest single FDE seen (libLLVM's) needs 1.4M.
 * A crafted FDE of n one-byte rows needs n per byte.
 */
#define WORK_PER_BYTE		256
#define WORK_BASE		(32u << 20)

struct builder {
	struct unwind_row *v;
	size_t n, cap;
	uint64_t work, work_max;
	const volatile int *cancel;
};

/* Appends a row at pc > the last one's, or extends the last if alike. */
static int emit(struct builder *b, uint64_t pc, struct unwind_row row)
{
	if (pc > UINT32_MAX)
		return -E2BIG;
	if (b->n && b->v[b->n - 1].pc >= pc)
		return -EINVAL;
	if (b->n && cfi_rule_same(&b->v[b->n - 1], &row))
		return 0;
	if (b->n >= UNWIND_TABLE_MAX_ROWS)
		return -E2BIG;
	if (grow_array((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v)))
		return -ENOMEM;
	row.pc = (uint32_t)pc;
	b->v[b->n++] = row;
	return 0;
}

static int emit_kind(struct builder *b, uint64_t pc, uint8_t kind)
{
	struct unwind_row row = { .kind = kind };

	return emit(b, pc, row);
}

/* Rows for [lo, f->end); lo is past any earlier FDE that overlaps this one. */
static int walk_fde(struct builder *b, Dwarf_CFI *cfi, const struct cfi_fde *f, uint64_t lo)
{
	uint64_t pc = lo;
	int rc;

	while (pc < f->end) {
		struct unwind_row row;
		Dwarf_Frame *frame = NULL;
		Dwarf_Addr end;

		b->work += f->insn_bytes + WORK_PER_LOOKUP;
		if (b->work > b->work_max)
			return -E2BIG;
		/* An FDE libdw will not evaluate is CFI all the same: stop the
		 * walk there rather than guess with frame pointers. */
		if (dwarf_cfi_addrframe(cfi, pc, &frame) || !frame)
			return emit_kind(b, pc, UNWIND_UNSUPPORTED);
		cfi_rule_row(frame, &row);
		if (dwarf_frame_info(frame, NULL, &end, NULL) < 0 || end <= pc) {
			end = f->end;
			row = (struct unwind_row){ .kind = UNWIND_UNSUPPORTED };
		}
		free(frame);
		if ((rc = emit(b, pc, row)))
			return rc;
		/* Another FDE of libdw's choosing may run past this one's end. */
		pc = end < f->end ? end : f->end;
	}
	return 0;
}

static int build_rows(Dwarf_CFI *cfi, const struct cfi_fdes *fdes, size_t section_size,
		      const volatile int *cancel, struct unwind_table *out)
{
	struct builder b = { .work_max = WORK_BASE + (uint64_t)section_size * WORK_PER_BYTE,
			     .cancel = cancel };
	uint64_t cursor = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < fdes->n && !rc; i++) {
		const struct cfi_fde *f = &fdes->v[i];
		uint64_t lo = f->start > cursor ? f->start : cursor;

		if (lo >= f->end)
			continue;
		if (b.cancel && *b.cancel) {
			rc = -ECANCELED;
			break;
		}
		if (b.n && cursor < lo)
			rc = emit_kind(&b, cursor, UNWIND_NONE);
		if (!rc)
			rc = walk_fde(&b, cfi, f, lo);
		cursor = f->end;
	}
	if (!rc && b.n)
		rc = emit_kind(&b, cursor, UNWIND_NONE);
	if (rc) {
		free(b.v);
		return rc;
	}
	out->rows = b.v;
	out->n_rows = (uint32_t)b.n;
	out->n_unsupported = 0;
	for (i = 0; i < b.n; i++)
		out->n_unsupported += (b.v[i].kind & UNWIND_KIND_MASK) == UNWIND_UNSUPPORTED;
	return 0;
}

/* ---- sections ---- */

static Elf_Scn *find_section(Elf *elf, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *s;

		if (gelf_getshdr(scn, sh) && (s = elf_strptr(elf, shstrndx, sh->sh_name)) &&
		    !strcmp(s, name))
			return scn;
	}
	return NULL;
}

/* The section's bytes, decompressed if need be: NULL and *rc if none. */
static Elf_Data *section_data(Elf *elf, const char *name, GElf_Shdr *sh, int *rc)
{
	Elf_Scn *scn = find_section(elf, name, sh);
	Elf_Data *d;

	*rc = -ENOENT;
	/* LLVM's assembler types .eh_frame SHT_X86_64_UNWIND (and so is
	 * libLLVM's); NOBITS: stripped into a debug file. */
	if (!scn || (sh->sh_type != SHT_PROGBITS && sh->sh_type != SHT_X86_64_UNWIND) ||
	    sh->sh_size == 0)
		return NULL;
	*rc = -E2BIG;
	if (sh->sh_size > SECTION_MAX)
		return NULL;
	if (sh->sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;

		*rc = -EINVAL;
		if ((sh->sh_flags & SHF_ALLOC) || !gelf_getchdr(scn, &ch))
			return NULL;
		*rc = -E2BIG;
		if (ch.ch_size > SECTION_MAX)
			return NULL;
		*rc = -EINVAL;
		if (elf_compress(scn, 0, 0) < 0)
			return NULL;
	}
	*rc = -EINVAL;
	if (!(d = elf_getdata(scn, NULL)) || !d->d_buf || d->d_size == 0)
		return NULL;
	*rc = 0;
	return d;
}

static int from_cfi(Elf *elf, Dwarf_CFI *cfi, Elf_Data *d, uint64_t sh_addr, bool eh,
		    const volatile int *cancel, struct unwind_table *out)
{
	const unsigned char *ident = (const unsigned char *)elf_getident(elf, NULL);
	struct cfi_fdes fdes;
	int rc;

	if (!cfi)
		return -EINVAL;
	if ((rc = cfi_fdes_read(ident, d, sh_addr, eh, UNWIND_TABLE_MAX_ROWS, &fdes)))
		return rc;
	rc = fdes.n ? build_rows(cfi, &fdes, d->d_size, cancel, out) : -ENOENT;
	cfi_fdes_release(&fdes);
	return rc;
}

static int from_eh_frame(Elf *elf, const volatile int *cancel, struct unwind_table *out)
{
	GElf_Shdr sh;
	Dwarf_CFI *cfi;
	int rc;
	Elf_Data *d = section_data(elf, ".eh_frame", &sh, &rc);

	if (!d)
		return rc;
	cfi = dwarf_getcfi_elf(elf);
	rc = from_cfi(elf, cfi, d, sh.sh_addr, true, cancel, out);
	dwarf_cfi_end(cfi);
	return rc;
}

static int from_debug_frame(Elf *elf, const volatile int *cancel, struct unwind_table *out)
{
	GElf_Shdr sh;
	Dwarf *dw;
	int rc;
	Elf_Data *d = section_data(elf, ".debug_frame", &sh, &rc);

	if (!d)
		return rc;
	/* The debug file's other sections are libdw's to check. */
	if (!(dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL)))
		return -ENOENT;
	rc = from_cfi(elf, dwarf_getcfi(dw), d, 0, false, cancel, out);
	dwarf_end(dw);
	return rc;
}

/* Rows hold x86-64 rules for addresses a process maps. */
static int check_elf(Elf *elf)
{
	const char *ident;
	GElf_Ehdr eh;

	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    !(ident = elf_getident(elf, NULL)))
		return -EINVAL;
	if (ident[EI_CLASS] != ELFCLASS64 || ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN))
		return -ENOENT;
	return 0;
}

static int load(Elf *elf, const char *debug_dir, const volatile int *cancel,
		struct unwind_table *out)
{
	int rc = check_elf(elf), dfd;
	Elf *dbg;

	if (rc)
		return rc;
	if ((rc = from_eh_frame(elf, cancel, out)) != -ENOENT)
		return rc;
	if ((rc = from_debug_frame(elf, cancel, out)) != -ENOENT || !debug_dir)
		return rc;
	if (!(dbg = cfi_debug_open(elf, debug_dir, &dfd)))
		return -ENOENT;
	rc = check_elf(dbg);
	if (!rc)
		rc = from_debug_frame(dbg, cancel, out);
	elf_end(dbg);
	close(dfd);
	return rc;
}

/* ---- the API ---- */

int unwind_table_build(int fd, const char *debug_dir, const volatile int *cancel,
		       struct unwind_table *out)
{
	struct stat st;
	Elf *elf;
	int rc;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	rc = load(elf, debug_dir ? debug_dir : DEFAULT_DEBUG_DIR, cancel, out);
	elf_end(elf);
	return rc;
}

int unwind_table_from_fd_debug(int fd, const char *debug_dir, struct unwind_table *out)
{
	return unwind_table_build(fd, debug_dir, NULL, out);
}

int unwind_table_from_fd(int fd, struct unwind_table *out)
{
	return unwind_table_from_fd_debug(fd, NULL, out);
}

int unwind_table_from_mem(const void *image, size_t size, struct unwind_table *out)
{
	char *copy;
	Elf *elf;
	int rc;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!image || size < EI_NIDENT)
		return -EINVAL;
	/* libelf wants a writable image and may keep pointers into it. */
	if (!(copy = malloc(size)))
		return -ENOMEM;
	memcpy(copy, image, size);
	elf_version(EV_CURRENT);
	elf = elf_memory(copy, size);
	rc = load(elf, NULL, NULL, out);
	elf_end(elf);
	free(copy);
	return rc;
}

void unwind_table_release(struct unwind_table *t)
{
	if (!t)
		return;
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

const struct unwind_row *unwind_table_lookup(const struct unwind_table *t, uint64_t vaddr)
{
	size_t lo = 0, hi;

	if (!t || !t->n_rows || vaddr < t->rows[0].pc)
		return NULL;
	hi = t->n_rows;
	while (hi - lo > 1) {	/* rows[lo].pc <= vaddr < rows[hi].pc */
		size_t mid = lo + (hi - lo) / 2;

		if (t->rows[mid].pc <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	return &t->rows[lo];
}
