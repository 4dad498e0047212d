/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The build-id lookup that gdb and elfutils do.  symbols/elfsyms.c has its
 * own: both folders are on floor 1 and may not include each other, and
 * this one needs only the note in the section headers (a table needs them
 * anyway), no .gnu_debuglink.
 */
#define _GNU_SOURCE
#include "unwind/cfi-debug.h"

#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

#define BUILD_ID_MAX	64
#define NOTES_MAX	(1u << 20)

struct build_id {
	unsigned char id[BUILD_ID_MAX];
	size_t len;
};

static int note_build_id(Elf_Data *d, struct build_id *bid)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	while (off < d->d_size &&
	       (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > off) {
		const char *base = d->d_buf;

		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    name_off <= d->d_size && d->d_size - name_off >= 4 &&
		    !memcmp(base + name_off, "GNU", 4) &&
		    nh.n_descsz > 0 && nh.n_descsz <= BUILD_ID_MAX &&
		    desc_off <= d->d_size && nh.n_descsz <= d->d_size - desc_off) {
			memcpy(bid->id, base + desc_off, nh.n_descsz);
			bid->len = nh.n_descsz;
			return 1;
		}
		off = next;
	}
	return 0;
}

static int read_build_id(Elf *elf, struct build_id *bid)
{
	Elf_Scn *scn = NULL;

	bid->len = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || sh.sh_size > NOTES_MAX)
			continue;
		if ((d = elf_getdata(scn, NULL)) && d->d_buf && note_build_id(d, bid))
			return 1;
	}
	return 0;
}

static int debug_path(char *buf, size_t sz, const char *dir, const struct build_id *b)
{
	int k = snprintf(buf, sz, "%s/.build-id/%02x/", dir, b->id[0]);
	size_t i, n;

	if (k < 0 || (size_t)k + b->len * 2 + sizeof(".debug") > sz)
		return 0;
	for (i = 1, n = (size_t)k; i < b->len; i++, n += 2)
		snprintf(buf + n, 3, "%02x", b->id[i]);
	strcpy(buf + n, ".debug");
	return 1;
}

Elf *cfi_debug_open(Elf *elf, const char *dir, int *fd)
{
	struct build_id want, got;
	char path[PATH_MAX];
	struct stat st;
	Elf *dbg;
	int dfd;

	if (!read_build_id(elf, &want) || want.len < 2 || !debug_path(path, sizeof(path), dir, &want))
		return NULL;
	if ((dfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(dfd, &st) || !S_ISREG(st.st_mode) ||
	    !(dbg = elf_begin(dfd, ELF_C_READ, NULL))) {
		close(dfd);
		return NULL;
	}
	if (elf_kind(dbg) == ELF_K_ELF && read_build_id(dbg, &got) &&
	    got.len == want.len && !memcmp(got.id, want.id, got.len)) {
		*fd = dfd;
		return dbg;
	}
	elf_end(dbg);
	close(dfd);
	return NULL;
}
