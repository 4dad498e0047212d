/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel text symbols from /proc/kallsyms. */
#ifndef EBPF_TOOL_KSYMS_H
#define EBPF_TOOL_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksyms;

struct ksym {
	uint64_t addr;       /* absolute kernel address */
	uint64_t size;       /* distance to the next symbol of the same module, 0 if unknown */
	const char *name;
	const char *module;  /* "ext4" for "name [ext4]", NULL for vmlinux */
	uint32_t module_id;  /* 0 for vmlinux, else 1..ksyms_module_count() */
};

/*
 * Parse kallsyms text. Malformed lines are skipped. Returns 0, -ENOMEM,
 * -ENOENT (no text symbols) or -EPERM when every address reads as zero,
 * which is what kernel.kptr_restrict does to unprivileged readers.
 */
int ksyms_parse(const char *buf, size_t size, struct ksyms **out);
/* Same, streamed from a file; path NULL means /proc/kallsyms. */
int ksyms_load(const char *path, struct ksyms **out);
void ksyms_free(struct ksyms *ks);

size_t ksyms_count(const struct ksyms *ks);
uint32_t ksyms_module_count(const struct ksyms *ks);
/* NULL for 0 or out-of-range ids */
const char *ksyms_module_name(const struct ksyms *ks, uint32_t module_id);
/* Bytes of heap held by the table. */
size_t ksyms_memory(const struct ksyms *ks);

/* Symbol containing addr: 0 or -ENOENT. */
int ksyms_lookup(const struct ksyms *ks, uint64_t addr, struct ksym *out);
/* Linear search by name (slow; for tools and tests): 0 or -ENOENT. */
int ksyms_find(const struct ksyms *ks, const char *name, struct ksym *out);

#endif
