/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lib/elfnote.h"

#include <string.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

#define MAX_PHDRS 4096u
#define MAX_NOTES (1u << 20)	/* bytes of one note section or segment */

static size_t note_build_id(Elf_Data *d, uint8_t *id)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	while (off < d->d_size &&
	       (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > off) {
		const char *base = d->d_buf;

		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    name_off <= d->d_size && d->d_size - name_off >= 4 &&
		    !memcmp(base + name_off, "GNU", 4) &&
		    nh.n_descsz > 0 && nh.n_descsz <= ELFNOTE_BUILD_ID_MAX &&
		    desc_off <= d->d_size && nh.n_descsz <= d->d_size - desc_off) {
			memcpy(id, base + desc_off, nh.n_descsz);
			return nh.n_descsz;
		}
		off = next;
	}
	return 0;
}

size_t elfnote_build_id(Elf *elf, uint8_t id[ELFNOTE_BUILD_ID_MAX])
{
	Elf_Scn *scn = NULL;
	size_t i, n, len;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || sh.sh_size > MAX_NOTES)
			continue;
		if ((d = elf_getdata(scn, NULL)) && d->d_buf && (len = note_build_id(d, id)))
			return len;
	}
	if (elf_getphdrnum(elf, &n))
		return 0;
	for (i = 0; i < n && i < MAX_PHDRS; i++) {
		GElf_Phdr ph;
		Elf_Data *d;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE || ph.p_filesz > MAX_NOTES)
			continue;
		d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz,
					 ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (d && d->d_buf && (len = note_build_id(d, id)))
			return len;
	}
	return 0;
}
