/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The build-id lookup that gdb and elfutils do; no .gnu_debuglink yet. */
#define _GNU_SOURCE
#include "unwind/cfi-debug.h"
#include "lib/elfnote.h"

#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


struct build_id {
	uint8_t id[ELFNOTE_BUILD_ID_MAX];
	size_t len;
};

static int read_build_id(Elf *elf, struct build_id *bid)
{
	bid->len = elfnote_build_id(elf, bid->id);
	return bid->len != 0;
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
