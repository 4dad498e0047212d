/* The commands' look at the kernel before they load anything. */
#ifndef EBPF_TOOL_KCHECK_H
#define EBPF_TOOL_KCHECK_H

#include "record/kfeatures.h"

/*
 * Probe what the uses (KF_USE_*) need.  Under -v, say what was found and
 * which stand-ins will serve; if something the uses cannot do without is
 * missing, say what and which kernel has it, in one line.  Returns EXIT_OK
 * or EXIT_FAIL.
 */
int kernel_check(const char *cmd, unsigned int uses);

#endif
