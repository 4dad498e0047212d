/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: /proc/kallsyms parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "symbols/ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksyms *ks = NULL;
	struct ksym k;
	uint64_t probe = 0;
	uint32_t i;

	if (ksyms_parse((const char *)data, size, &ks))
		return 0;
	memcpy(&probe, data, size < sizeof(probe) ? size : sizeof(probe));
	ksyms_lookup(ks, probe, &k);
	ksyms_lookup(ks, UINT64_MAX, &k);
	if (!ksyms_lookup(ks, 0xffffffff81000000ULL, &k))
		ksyms_find(ks, k.name, &k);
	for (i = 0; i <= ksyms_module_count(ks) + 1; i++)
		ksyms_module_name(ks, i);
	ksyms_free(ks);
	return 0;
}
