#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/kfeatures.h"
#include "record/privileges.h"
#include "lib/util.h"

#define SETCAP_HINT "run as root, or grant the capabilities with " \
	"'setcap cap_bpf,cap_perfmon+ep $(command -v ebpf-tool)' (see ebpf-tool(1), NOTES)"

static long long sysctl_value(const char *path)
{
	long long v;

	return read_file_int(path, &v) ? -99 : v;
}

static void explain_event(const struct sampler_error *e, int err, const struct event_desc *ev,
			  char *buf, size_t size)
{
	if ((err == -EACCES || err == -EPERM) && !ev) {
		snprintf(buf, size,
			 "opening the side-band perf event (process and mapping records) on CPU %d "
			 "was refused (%s): watching every CPU needs CAP_PERFMON while "
			 "kernel.perf_event_paranoid is %lld; %s", e->cpu, strerror(-err),
			 sysctl_value("/proc/sys/kernel/perf_event_paranoid"), SETCAP_HINT);
	} else if (err == -EACCES || err == -EPERM) {
		snprintf(buf, size,
			 "opening the '%s' perf event on CPU %d was refused (%s): sampling every CPU "
			 "needs CAP_PERFMON while kernel.perf_event_paranoid is %lld; %s",
			 ev->name, e->cpu, strerror(-err),
			 sysctl_value("/proc/sys/kernel/perf_event_paranoid"), SETCAP_HINT);
	} else if (err == -EMFILE) {
		snprintf(buf, size, "out of file descriptors opening perf events: raise 'ulimit -n'");
	} else if (!ev) {
		snprintf(buf, size, "cannot open the side-band perf event on CPU %d: %s",
			 e->cpu, strerror(-err));
	} else if (ev->hardware && (err == -ENOENT || err == -EOPNOTSUPP || err == -EINVAL)) {
		snprintf(buf, size,
			 "event '%s' is not supported on this machine: it has no hardware "
			 "performance counters (common in virtual machines); use -e cpu-clock",
			 ev->name);
	} else {
		snprintf(buf, size, "cannot open the '%s' perf event on CPU %d: %s",
			 ev->name, e->cpu, strerror(-err));
	}
}

void sampler_error_explain(const struct sampler_error *e, int err, const struct event_desc *ev,
			   char *buf, size_t size)
{
	struct kfeatures kf;
	enum kfeature missing;

	switch (e->step) {
	case SAMPLER_STEP_EVENT:
		explain_event(e, err, ev, buf, size);
		return;
	case SAMPLER_STEP_OPEN:
	case SAMPLER_STEP_LOAD:
		/* The commands looked before loading; a caller that did not is told the same. */
		kfeatures_probe(&kf, KF_USE_SAMPLE);
		missing = kfeatures_missing(&kf, KF_USE_SAMPLE);
		if (missing != KF__COUNT) {
			kfeatures_explain(&kf, missing, buf, size);
		} else if (err == -EPERM || err == -EACCES) {
			snprintf(buf, size, "loading the BPF program was refused (%s): it needs "
				 "CAP_BPF and CAP_PERFMON (kernel.unprivileged_bpf_disabled is %lld, "
				 "kernel.perf_event_paranoid is %lld); %s", strerror(-err),
				 sysctl_value("/proc/sys/kernel/unprivileged_bpf_disabled"),
				 sysctl_value("/proc/sys/kernel/perf_event_paranoid"), SETCAP_HINT);
		} else {
			snprintf(buf, size, "cannot load the BPF program: %s (run with -v to see "
				 "the verifier's log)", strerror(-err));
		}
		return;
	case SAMPLER_STEP_ATTACH:
		snprintf(buf, size, "cannot attach the BPF program%s: %s",
			 e->cpu >= 0 ? " to its perf event" : "", strerror(-err));
		return;
	case SAMPLER_STEP_NONE:
		break;
	}
	snprintf(buf, size, "cannot start sampling: %s", strerror(-err));
}
