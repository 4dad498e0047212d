#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/outfile.h"

int outfile_open(struct outfile *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->fd = -1;
	if (!strcmp(path, "-")) {
		o->fd = STDOUT_FILENO;
		return 0;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		return o->fd < 0 ? -errno : 0;
	}
	if (asprintf(&o->tmp, "%.*s.%s.XXXXXX", dirlen, path, path + dirlen) < 0) {
		o->tmp = NULL;
		return -ENOMEM;
	}
	/* mkostemp: O_CREAT|O_EXCL and mode 0600 whatever the umask. */
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		int err = -errno;

		free(o->tmp);
		o->tmp = NULL;
		return err;
	}
	return 0;
}

int outfile_commit(struct outfile *o, bool keep_old)
{
	char *old;

	if (!o->tmp || o->committed)
		return 0;
	if (keep_old) {
		if (asprintf(&old, "%s.old", o->path) < 0)
			return -ENOMEM;
		/* rename() never follows a link at either end. */
		if (rename(o->path, old) && errno != ENOENT) {
			int err = -errno;

			free(old);
			return err;
		}
		free(old);
	}
	if (rename(o->tmp, o->path))
		return -errno;
	o->committed = true;
	return 0;
}

int outfile_commit_as(struct outfile *o, const char *path)
{
	if (!o->tmp || o->committed)
		return -EINVAL;
	/* link() fails on an existing name where rename() would replace it. */
	if (link(o->tmp, path))
		return -errno;
	unlink(o->tmp);
	o->committed = true;
	return 0;
}

void outfile_close(struct outfile *o)
{
	if (o->fd >= 0 && o->fd != STDOUT_FILENO)
		close(o->fd);
	o->fd = -1;
	if (o->tmp && !o->committed)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
}
