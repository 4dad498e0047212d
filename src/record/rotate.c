#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "record/rotate.h"
#include "lib/util.h"

#define STAMP_DIGITS 16

static int parse_one(const char *w, size_t len, struct rotate_spec *spec)
{
	static const struct {
		char suffix;
		uint64_t scale;
		bool time;
	} units[] = {
		{ 's', 1000000000ull, true }, { 'm', 60000000000ull, true },
		{ 'h', 3600000000000ull, true }, { 'd', 86400000000000ull, true },
		{ 'B', 1, false }, { 'K', 1ull << 10, false }, { 'M', 1ull << 20, false },
		{ 'G', 1ull << 30, false },
	};
	char num[32];
	uint64_t v;

	if (len == 6 && !strncmp(w, "signal", 6)) {
		spec->signal = true;
		return 0;
	}
	if (len < 2 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, w, len - 1);
	num[len - 1] = '\0';
	if (parse_u64(num, 1, 1u << 30, &v))
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (w[len - 1] != units[i].suffix)
			continue;
		if (units[i].time)
			spec->every_ns = v * units[i].scale;
		else
			spec->max_bytes = v * units[i].scale;
		return 0;
	}
	return -EINVAL;
}

int rotate_parse(const char *arg, struct rotate_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	for (;;) {
		size_t len = strcspn(arg, ",");

		if (parse_one(arg, len, spec))
			return -EINVAL;
		if (!arg[len])
			return 0;
		arg += len + 1;
	}
}

/* NAME.<16 digits> of base: a finished file of this or an earlier run. */
static bool is_piece(const char *name, const char *base)
{
	size_t n = strlen(base);

	if (strncmp(name, base, n) || name[n] != '.' || strlen(name + n + 1) != STAMP_DIGITS)
		return false;
	return strspn(name + n + 1, "0123456789") == STAMP_DIGITS;
}

static int push(struct rotate *r, char *name)
{
	if (grow_array((void **)&r->names, &r->cap, r->n + 1, sizeof(*r->names)))
		return -ENOMEM;
	r->names[r->n++] = name;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rotate_init(struct rotate *r, const char *base, uint64_t max_files)
{
	const char *slash = strrchr(base, '/');
	const char *file = slash ? slash + 1 : base;
	char *dir = slash ? strndup(base, (size_t)(slash - base + 1)) : strdup("./");
	struct dirent *de;
	DIR *d;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->base = base;
	r->max_files = max_files;
	if (!dir)
		return -ENOMEM;
	d = opendir(dir);
	if (!d) {
		free(dir);
		return errno == ENOENT ? 0 : -errno;
	}
	while (!err && (de = readdir(d))) {
		char *path;

		if (!is_piece(de->d_name, file))
			continue;
		if (asprintf(&path, "%s%s", slash ? dir : "", de->d_name) < 0)
			err = -ENOMEM;
		else if (push(r, path))
			free(path), err = -ENOMEM;
	}
	closedir(d);
	free(dir);
	if (r->n)
		qsort(r->names, r->n, sizeof(*r->names), by_name);
	return err;
}

void rotate_release(struct rotate *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->names[i]);
	free(r->names);
	memset(r, 0, sizeof(*r));
}

int rotate_name(const struct rotate *r, char **out)
{
	struct timeval tv;
	struct tm tm;
	char date[32];
	struct stat st;

	gettimeofday(&tv, NULL);
	if (!localtime_r(&tv.tv_sec, &tm) || !strftime(date, sizeof(date), "%Y%m%d%H%M%S", &tm))
		return -EINVAL;
	if (asprintf(out, "%s.%s%02u", r->base, date, (unsigned int)(tv.tv_usec / 10000)) < 0)
		return -ENOMEM;
	/* Two switches in one hundredth of a second: take the next free one. */
	while (!lstat(*out, &st)) {
		char *p = *out + strlen(*out) - 1;

		while (*p == '9' && p > *out)
			*p-- = '0';
		if (*p < '0' || *p > '9')
			return -EEXIST;
		(*p)++;
	}
	return 0;
}

int rotate_done(struct rotate *r, char *name)
{
	int err = push(r, name);

	if (err) {
		free(name);
		return err;
	}
	while (r->max_files && r->n > r->max_files) {
		if (unlink(r->names[0]) && errno != ENOENT)
			err = -errno;
		free(r->names[0]);
		memmove(r->names, r->names + 1, (r->n - 1) * sizeof(*r->names));
		r->n--;
	}
	return err;
}
