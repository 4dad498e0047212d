/* The one place the commands print what kfeatures found. */
#include "config.h"

#include <stdio.h>

#include "builtin/builtin.h"
#include "builtin/kcheck.h"
#include "lib/util.h"

int kernel_check(const char *cmd, unsigned int uses)
{
	struct kfeatures kf;
	enum kfeature missing;
	char line[512];

	kfeatures_probe(&kf, uses);
	if (verbose) {
		kfeatures_describe(&kf, line, sizeof(line));
		fprintf(stderr, "ebpf-tool %s: %s\n", cmd, line);
		for (unsigned int i = 0; kfeatures_fallback(&kf, uses, i, line, sizeof(line)); i++)
			fprintf(stderr, "ebpf-tool %s: %s\n", cmd, line);
	}
	missing = kfeatures_missing(&kf, uses);
	if (missing == KF__COUNT)
		return EXIT_OK;
	kfeatures_explain(&kf, missing, line, sizeof(line));
	cmd_error(cmd, "%s", line);
	return EXIT_FAIL;
}
