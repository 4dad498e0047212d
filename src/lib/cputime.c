#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/cputime.h"

/* A whole /proc/stat of a few thousand CPUs; longer text is cut, not trusted. */
#define STAT_MAX (1u << 20)

/* A decimal field: digits up to the next space; *p advances past them. */
static int field(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end || *s < '0' || *s > '9')
		return -EINVAL;
	*v = 0;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	return 0;
}

/* One "cpuN user nice system idle iowait irq softirq steal ..." line. */
static int parse_line(const char *s, const char *end, struct cpu_time *t, size_t n)
{
	uint64_t cpu, v[8] = { 0 };
	int err = field(&s, end, &cpu);

	/* Kernels before 2.6.11 stop after softirq, and steal is then 0. */
	for (int i = 0; !err && i < 8; i++) {
		err = field(&s, end, &v[i]);
		if (err && i >= 7)
			err = 0;
	}
	if (err)
		return -EINVAL;
	if (cpu >= n)
		return 0;
	t[cpu].busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	t[cpu].idle = v[3] + v[4];
	t[cpu].seen = 1;
	return 1;
}

int cputime_parse(const char *text, size_t len, struct cpu_time *t, size_t n)
{
	const char *p = text, *end = text + len;
	int used = 0, rc;

	memset(t, 0, n * sizeof(*t));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		/* "cpu " is the total; "cpu0".."cpuN" the CPUs. */
		if (eol - p > 3 && !memcmp(p, "cpu", 3) && p[3] >= '0' && p[3] <= '9') {
			rc = parse_line(p + 3, eol, t, n);
			if (rc < 0)
				return rc;
			used += rc;
		}
		p = eol + 1;
	}
	return used;
}

int cputime_read(struct cpu_time *t, size_t n)
{
	static char buf[STAT_MAX];
	size_t len = 0;
	ssize_t r = 0;
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (len < sizeof(buf) && (r = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)r;
	r = r < 0 ? -errno : 0;
	close(fd);
	if (r)
		return (int)r;
	return cputime_parse(buf, len, t, n);
}
