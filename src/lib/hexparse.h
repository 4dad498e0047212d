/* Hex numbers in kernel and JIT text files: /proc/kallsyms, maps, perf-PID.map. */
#ifndef EBPF_TOOL_HEXPARSE_H
#define EBPF_TOOL_HEXPARSE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse the hex digits at p[*i..len), advancing *i past them: 0, or
 * -EINVAL when there is none or more than maxdigits (an overflow).
 */
static inline int hex_parse(const char *p, size_t len, size_t *i, unsigned int maxdigits,
			    uint64_t *v)
{
	size_t start = *i;
	int d;

	*v = 0;
	while (*i < len && (d = hex_digit(p[*i])) >= 0) {
		if (*i - start >= maxdigits)
			return -EINVAL;
		*v = *v << 4 | (uint64_t)d;
		(*i)++;
	}
	return *i > start ? 0 : -EINVAL;
}

#endif
