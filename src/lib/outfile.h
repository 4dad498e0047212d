/*
 * Output files that never clobber by surprise: written under a temporary
 * name created 0600 with O_EXCL (so a planted symlink is never followed),
 * then moved into place, the previous file becoming FILE.old.  A path
 * that names a device, a FIFO or a socket (-o /dev/null) is written in
 * place: moving a file there would put a regular file where /dev/null was.
 */
#ifndef EBPF_TOOL_OUTFILE_H
#define EBPF_TOOL_OUTFILE_H

#include <stdbool.h>

struct outfile {
	const char *path;	/* "-": standard output */
	char *tmp;		/* the temporary name, NULL for stdout or in place */
	int fd;
	bool committed;
};

int outfile_open(struct outfile *o, const char *path);
/* Move the file into place, keeping one old generation: 0 or -errno. */
int outfile_commit(struct outfile *o, bool keep_old);
/* Move the file into place under another name (never replacing a file). */
int outfile_commit_as(struct outfile *o, const char *path);
/* Close; remove the temporary file if it was never committed. */
void outfile_close(struct outfile *o);

#endif
