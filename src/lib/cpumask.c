#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cpumask.h"
#include "lib/util.h"

static int parse_cpu(const char **p, int *cpu)
{
	long v;
	char *end;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	v = strtol(*p, &end, 10);
	if (errno || v >= CPUSET_MAX)
		return -ERANGE;
	*p = end;
	*cpu = v;
	return 0;
}

int cpuset_parse(struct cpuset *set, const char *list)
{
	const char *p = list;
	int err;

	memset(set, 0, sizeof(*set));
	if (!p || !*p)
		return -EINVAL;
	for (;;) {
		int lo, hi;

		err = parse_cpu(&p, &lo);
		if (err)
			return err;
		hi = lo;
		if (*p == '-') {
			p++;
			err = parse_cpu(&p, &hi);
			if (err)
				return err;
			if (hi < lo)
				return -EINVAL;
		}
		for (int c = lo; c <= hi; c++)
			set->bits[c / 8] |= 1u << (c % 8);
		if (*p == '\n' && !p[1])
			return 0;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -EINVAL;
	}
}

static int cpuset_read(struct cpuset *set, const char *path)
{
	char buf[4096];
	ssize_t len = read_file_str(path, buf, sizeof(buf));

	if (len < 0)
		return len;
	return cpuset_parse(set, buf);
}

int cpuset_online(struct cpuset *set)
{
	return cpuset_read(set, "/sys/devices/system/cpu/online");
}

int cpuset_possible(struct cpuset *set)
{
	return cpuset_read(set, "/sys/devices/system/cpu/possible");
}

int cpuset_count(const struct cpuset *set)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(set->bits); i++)
		n += __builtin_popcount(set->bits[i]);
	return n;
}

int cpuset_next(const struct cpuset *set, int cpu)
{
	for (; cpu < CPUSET_MAX; cpu++) {
		if (!set->bits[cpu / 8]) {
			cpu |= 7;
			continue;
		}
		if (cpuset_has(set, cpu))
			return cpu;
	}
	return -1;
}

int cpuset_and(struct cpuset *a, const struct cpuset *b)
{
	for (size_t i = 0; i < sizeof(a->bits); i++)
		a->bits[i] &= b->bits[i];
	return cpuset_count(a);
}
