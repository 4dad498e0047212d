/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check of a debug file that came from elsewhere (a debuginfod
 * server): apart from the client, so that it can be fuzzed without it.
 */
#include "symbols/debugfile.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/elfnote.h"

int debugfile_check(int fd, const uint8_t *id, size_t len)
{
	uint8_t got[ELFNOTE_BUILD_ID_MAX];
	size_t shstrndx, nsec = 0;
	int useful = 0, bad = 0;
	Elf_Scn *scn = NULL;
	struct stat st;
	Elf *elf;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -EBADMSG;
	elf_version(EV_CURRENT);
	if (!(elf = elf_begin(fd, ELF_C_READ, NULL)))
		return -EBADMSG;
	if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) ||
	    elfnote_build_id(elf, got) != len || memcmp(got, id, len))
		bad = 1;
	while (!bad && (scn = elf_nextscn(elf, scn))) {
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_NOBITS &&
		     (sh.sh_offset > (uint64_t)st.st_size ||
		      sh.sh_size > (uint64_t)st.st_size - sh.sh_offset))) {
			bad = 1;
			break;
		}
		nsec++;
		if (sh.sh_type != SHT_NOBITS && sh.sh_size &&
		    (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    (!strcmp(name, ".debug_info") || !strcmp(name, ".symtab")))
			useful = 1;
	}
	elf_end(elf);
	return !bad && nsec && useful ? 0 : -EBADMSG;
}
