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

/*
 * The caller's stop flag for the build running on this thread
 * (unwind_table_build): a flag rather than a parameter through every
 * section reader, since only the row loop looks at it.
 */
static _Thread_local const volatile int *build_cancel;

struct builder {
	struct unwind_row *v;
	size_t n, cap;
	uint64_t work, work_max;
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
		      struct unwind_table *out)
{
	struct builder b = { .work_max = WORK_BASE + (uint64_t)section_size * WORK_PER_BYTE };
	uint64_t cursor = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < fdes->n && !rc; i++) {
		const struct cfi_fde *f = &fdes->v[i];
		uint64_t lo = f->start > cursor ? f->start : cursor;

		if (lo >= f->end)
			continue;
		if (build_cancel && *build_cancel) {
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

/* The section named so; a second of the name would make it ambiguous
 * which one libdw reads. */
static Elf_Scn *find_section(Elf *elf, const char *name, GElf_Shdr *sh, int *rc)
{
	Elf_Scn *scn = NULL, *found = NULL;
	size_t shstrndx;

	*rc = -ENOENT;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr s;
		const char *n;

		if (!gelf_getshdr(scn, &s) || !(n = elf_strptr(elf, shstrndx, s.sh_name)) ||
		    strcmp(n, name))
			continue;
		if (found) {
			*rc = -EINVAL;
			return NULL;
		}
		found = scn;
		*sh = s;
	}
	if (found)
		*rc = 0;
	return found;
}

/* The section's bytes, decompressed if need be: NULL and *rc if none. */
static Elf_Data *section_data(Elf *elf, const char *name, GElf_Shdr *sh, int *rc)
{
	Elf_Scn *scn = find_section(elf, name, sh, rc);
	Elf_Data *d;

	if (!scn)
		return NULL;
	*rc = -ENOENT;
	/* LLVM's assembler types .eh_frame SHT_X86_64_UNWIND (and so is
	 * libLLVM's); NOBITS: stripped into a debug file. */
	if ((sh->sh_type != SHT_PROGBITS && sh->sh_type != SHT_X86_64_UNWIND) ||
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

static const unsigned char *ident_of(Elf *elf)
{
	return (const unsigned char *)elf_getident(elf, NULL);
}

/* Everything libdw will read is checked before libdw is handed the file:
 * .eh_frame_hdr (dwarf_getcfi_elf parses it at once) and every program. */
static int from_eh_frame(Elf *elf, struct unwind_table *out)
{
	struct cfi_eh_hdr hdr = { 0 };
	struct cfi_fdes fdes;
	GElf_Shdr sh, hsh;
	Dwarf_CFI *cfi;
	Elf_Data *d, *h;
	int rc;

	if (!(d = section_data(elf, ".eh_frame", &sh, &rc)))
		return rc;
	/* A header libdw could not read whole is a corrupt one. */
	if (!(h = section_data(elf, ".eh_frame_hdr", &hsh, &rc)) && rc != -ENOENT)
		return rc == -E2BIG ? rc : -EINVAL;
	if (!h && find_section(elf, ".eh_frame_hdr", &hsh, &rc))
		return -EINVAL;	/* there, but NOBITS or empty */
	if (h) {
		hdr.bytes = h->d_buf;
		hdr.size = h->d_size;
		hdr.addr = hsh.sh_addr;
	}
	if ((rc = cfi_fdes_read(ident_of(elf), d, sh.sh_addr, true, h ? &hdr : NULL,
				UNWIND_TABLE_MAX_ROWS, &fdes)))
		return rc;
	if (!fdes.n) {
		rc = -ENOENT;
	} else if (!(cfi = dwarf_getcfi_elf(elf))) {
		rc = -EINVAL;
	} else {
		rc = build_rows(cfi, &fdes, d->d_size, out);
		dwarf_cfi_end(cfi);
	}
	cfi_fdes_release(&fdes);
	return rc;
}

static int from_debug_frame(Elf *elf, struct unwind_table *out)
{
	struct cfi_fdes fdes;
	GElf_Shdr sh;
	Dwarf_CFI *cfi;
	Dwarf *dw;
	int rc;
	Elf_Data *d = section_data(elf, ".debug_frame", &sh, &rc);

	if (!d)
		return rc;
	if ((rc = cfi_fdes_read(ident_of(elf), d, 0, false, NULL, UNWIND_TABLE_MAX_ROWS, &fdes)))
		return rc;
	/* The debug file's other sections are libdw's to check. */
	if (!fdes.n || !(dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL))) {
		cfi_fdes_release(&fdes);
		return -ENOENT;
	}
	rc = (cfi = dwarf_getcfi(dw)) ? build_rows(cfi, &fdes, d->d_size, out) : -EINVAL;
	dwarf_end(dw);
	cfi_fdes_release(&fdes);
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

static int load(Elf *elf, const char *debug_dir, struct unwind_table *out)
{
	int rc = check_elf(elf), dfd;
	Elf *dbg;

	if (rc)
		return rc;
	if ((rc = from_eh_frame(elf, out)) != -ENOENT)
		return rc;
	if ((rc = from_debug_frame(elf, out)) != -ENOENT || !debug_dir)
		return rc;
	if (!(dbg = cfi_debug_open(elf, debug_dir, &dfd)))
		return -ENOENT;
	rc = check_elf(dbg);
	if (!rc)
		rc = from_debug_frame(dbg, out);
	elf_end(dbg);
	close(dfd);
	return rc;
}

/* ---- the API ---- */

int unwind_table_from_fd_debug(int fd, const char *debug_dir, struct unwind_table *out)
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
	rc = load(elf, debug_dir ? debug_dir : DEFAULT_DEBUG_DIR, out);
	elf_end(elf);
	return rc;
}

int unwind_table_build(int fd, const char *debug_dir, const volatile int *cancel,
		       struct unwind_table *out)
{
	int rc;

	build_cancel = cancel;
	rc = unwind_table_from_fd_debug(fd, debug_dir, out);
	build_cancel = NULL;
	return rc;
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
	rc = load(elf, NULL, out);
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
