/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replays inputs through LLVMFuzzerTestOneInput() without libFuzzer, so
 * `make check` can run a fuzz corpus as a regression test with any
 * compiler.  Arguments are files or directories (not recursive).
 *
 * Exit 0 only if at least one input ran and every input was read and made
 * the target return 0.  libFuzzer wants 0; it reads -1 as "keep this input
 * out of the corpus" and reserves every other value, and our targets
 * return 0 for every input, so non-zero is a broken target or corpus file.
 * A target that aborts or trips a sanitizer ends the process with a
 * non-zero status; "Running:" on stderr names the input it was on.  The
 * last line of stdout says how many inputs ran and how many failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs the target ran on, and those it returned non-zero for. */
static unsigned long ran, failed;

/* 0 if the file was read and the target returned 0 for it. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "standalone-driver: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "standalone-driver: out of memory\n");
				exit(1);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		fprintf(stderr, "standalone-driver: %s: read error\n", path);
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	/* Exact-size copy so a sanitizer catches reads past the input. */
	{
		uint8_t *exact = malloc(len ? len : 1);
		int ret;

		if (!exact)
			exit(1);
		memcpy(exact, buf, len);
		free(buf);
		fprintf(stderr, "Running: %s\n", path);
		ret = LLVMFuzzerTestOneInput(exact, len);
		free(exact);
		ran++;
		if (ret) {
			fprintf(stderr, "standalone-driver: %s: "
				"LLVMFuzzerTestOneInput returned %d, not 0\n",
				path, ret);
			failed++;
			return 1;
		}
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted so that a failure is reproducible by position. */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "standalone-driver: %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || !(names[n] = strdup(e->d_name)))
			exit(1);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			rc |= run_file(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat sb;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb)) {
			fprintf(stderr, "standalone-driver: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
		} else if (S_ISDIR(sb.st_mode)) {
			rc |= run_dir(argv[i]);
		} else {
			rc |= run_file(argv[i]);
		}
	}
	/* An empty or misnamed corpus tested nothing. */
	if (!ran) {
		fprintf(stderr, "standalone-driver: no input to replay\n");
		rc = 1;
	}
	printf("standalone-driver: replayed %lu input%s, %lu failed\n", ran,
	       ran == 1 ? "" : "s", failed);
	return rc;
}
