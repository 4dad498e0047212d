#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_seconds(const char *s, double max_sec, double *out)
{
	double scale = 1.0, v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		scale = 1e-3;
	else if (!strcmp(end, "s"))
		scale = 1.0;
	else if (!strcmp(end, "m"))
		scale = 60.0;
	else if (*end)
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v))
		return -ERANGE;
	v *= scale;
	if (v <= 0 || v > max_sec)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_id_list(const char *s, uint32_t *ids, size_t max, size_t *n)
{
	const char *p = s;

	*n = 0;
	if (!s || !*s)
		return -EINVAL;
	for (;;) {
		char buf[24];
		size_t len = strcspn(p, ",");
		uint64_t v;
		int err;

		if (len == 0 || len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, p, len);
		buf[len] = '\0';
		err = parse_u64(buf, 1, INT32_MAX, &v);
		if (err)
			return err;
		if (*n >= max)
			return -E2BIG;
		ids[(*n)++] = v;
		p += len;
		if (!*p)
			return 0;
		p++;
	}
}

ssize_t read_file_str(const char *path, char *buf, size_t size)
{
	ssize_t len = 0, r;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)len < size - 1) {
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (r == 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

int read_file_int(const char *path, long long *out)
{
	char buf[64], *end;
	ssize_t len = read_file_str(path, buf, sizeof(buf));

	if (len < 0)
		return len;
	errno = 0;
	*out = strtoll(buf, &end, 10);
	if (end == buf || errno)
		return -EINVAL;
	return 0;
}

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void vmessage(const char *cmd, const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "ebpf-tool%s%s: %s", cmd ? " " : "", cmd ? cmd : "", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cmd_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, "", fmt, ap);
	va_end(ap);
}

void cmd_warn(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, "warning: ", fmt, ap);
	va_end(ap);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, "", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'ebpf-tool %s --help' for more information.\n", cmd ? cmd : "");
	return EXIT_USAGE;
}

int grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return -ENOMEM;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

size_t list_append(char *buf, size_t size, size_t len, const char *word, size_t i,
		   size_t n, const char *last)
{
	int w;

	if (!size || len >= size - 1)
		return len;
	w = snprintf(buf + len, size - len, "%s%s", !i ? "" : i + 1 < n ? ", " : last, word);
	if (w < 0)
		return len;
	return len + (size_t)w < size ? len + (size_t)w : size - 1;
}
