/* Small helpers shared by the commands: number parsing, messages, files. */
#ifndef EBPF_TOOL_UTIL_H
#define EBPF_TOOL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/errors.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Parse a whole decimal number in [min, max]: -EINVAL if malformed, -ERANGE if out of range. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Parse seconds ("5", "2.5", "500ms"): -EINVAL or -ERANGE outside (0, max_sec]. */
int parse_seconds(const char *s, double max_sec, double *out);
/* Parse "1,2,3" into at most max ids, each in [1, INT32_MAX]. */
int parse_id_list(const char *s, uint32_t *ids, size_t max, size_t *n);

/* Read one integer from a /proc or /sys file. */
int read_file_int(const char *path, long long *out);
/* Read a whole small file into buf (NUL-terminated); returns length or -errno. */
ssize_t read_file_str(const char *path, char *buf, size_t size);

/*
 * Make the array *p of *cap items of elem bytes hold need items, doubling
 * from 16 (many arrays are per process and stay small): 0, or -ENOMEM
 * (also when the size would overflow).
 */
int grow_array(void **p, size_t *cap, size_t need, size_t elem);

/*
 * Appends word, the i-th (from 0) of n, to the list in buf (size bytes,
 * len of them used): after ", ", or after last before the last word, as
 * messages list choices ("a, b or c").  Returns the new length, at most
 * size - 1 (a longer list is cut).
 */
size_t list_append(char *buf, size_t size, size_t len, const char *word, size_t i,
		   size_t n, const char *last);

/* CLOCK_MONOTONIC in nanoseconds: the clock bpf_ktime_get_ns() uses. */
uint64_t monotonic_ns(void);

#endif
