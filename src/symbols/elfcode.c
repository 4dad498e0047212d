/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code bytes from an ELF file mapped by libelf.  The mapping outlives the
 * fd and the file's name, as srclines' does: a binary deleted or replaced
 * after its process exits still gives the code that ran.  Every read is
 * held inside both a PT_LOAD's file bytes and the file's size.
 */
#include "symbols/elfcode.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>

#define ELFCODE_MAX_SEGS 16	/* executable PT_LOADs kept; files have one or two */

struct elfcode_seg {
	uint64_t vaddr, offset, filesz;
};

struct elfcode {
	Elf *elf;
	const uint8_t *image;
	size_t size;
	struct elfcode_seg seg[ELFCODE_MAX_SEGS];
	size_t n;
};

int elfcode_open_fd(int fd, struct elfcode **out)
{
	struct elfcode *ec;
	size_t phnum;
	char *image;

	*out = NULL;
	elf_version(EV_CURRENT);
	if (!(ec = calloc(1, sizeof(*ec))))
		return -ENOMEM;
	if (!(ec->elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) ||
	    elf_kind(ec->elf) != ELF_K_ELF || elf_getphdrnum(ec->elf, &phnum) ||
	    !(image = elf_rawfile(ec->elf, &ec->size)))
		goto bad;
	ec->image = (const uint8_t *)image;
	for (size_t i = 0; i < phnum && ec->n < ELFCODE_MAX_SEGS; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(ec->elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X) || !ph.p_filesz || ph.p_offset > ec->size ||
		    ph.p_filesz > ec->size - ph.p_offset)
			continue;
		ec->seg[ec->n++] = (struct elfcode_seg){ ph.p_vaddr, ph.p_offset, ph.p_filesz };
	}
	if (!ec->n)
		goto bad;
	*out = ec;
	return 0;
bad:
	elfcode_free(ec);
	return -ENOEXEC;
}

void elfcode_free(struct elfcode *ec)
{
	if (!ec)
		return;
	if (ec->elf)
		elf_end(ec->elf);
	free(ec);
}

int elfcode_get(const struct elfcode *ec, uint64_t vaddr, uint64_t len, const uint8_t **p,
		size_t *got)
{
	*p = NULL;
	*got = 0;
	for (size_t i = 0; ec && i < ec->n; i++) {
		const struct elfcode_seg *s = &ec->seg[i];
		uint64_t off;

		if (vaddr < s->vaddr || vaddr - s->vaddr >= s->filesz)
			continue;
		off = vaddr - s->vaddr;
		*p = ec->image + s->offset + off;
		*got = (size_t)(len < s->filesz - off ? len : s->filesz - off);
		return 0;
	}
	return -ENOENT;
}
