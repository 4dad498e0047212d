/*
 * What each use needs of the probed kernel, and the words for what it
 * lacks: from struct kfeatures alone, no kernel, so the unit tests see
 * every message.  The kernels named are the ones tested (ebpf-tool(1),
 * KERNEL REQUIREMENTS).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record/kfeatures.h"
#include "lib/util.h"

#define BIT(f) (1u << (f))

static const char *const names[KF__COUNT] = {
	[KF_BTF] = "BTF",
	[KF_RINGBUF] = "BPF ring buffer",
	[KF_PERF_EVENTS] = "perf events",
	[KF_TP_BTF] = "tp_btf",
	[KF_KPROBES] = "kprobes",
	[KF_FENTRY] = "fentry/fexit",
};

/* Why a feature is missing, in a few words, where errno would not say. */
static const char *const absent[KF__COUNT] = {
	[KF_BTF] = "no /sys/kernel/btf/vmlinux",
	[KF_RINGBUF] = "needs Linux 5.8",
	[KF_PERF_EVENTS] = "no CONFIG_PERF_EVENTS",
	[KF_TP_BTF] = "needs Linux 5.5 and BTF",
	[KF_KPROBES] = "no CONFIG_KPROBE_EVENTS",
	[KF_FENTRY] = NULL,		/* see fentry_why() */
};

/* The kernel's ENOTSUPP has no strerror. */
static const char *errstr(int err)
{
	return err == -524 ? "not supported" : strerror(-err);
}

static bool is(const struct kfeatures *kf, enum kfeature f, enum kf_state s)
{
	return kf->state[f] == s;
}

enum kfeature kfeatures_missing(const struct kfeatures *kf, unsigned int uses)
{
	unsigned int need = 0;

	if (uses & KF_USE_SAMPLE)
		need |= BIT(KF_BTF) | BIT(KF_RINGBUF) | BIT(KF_PERF_EVENTS);
	if (uses & KF_USE_COUNT)
		need |= BIT(KF_PERF_EVENTS);
	if (uses & KF_USE_FORKS)
		need |= BIT(KF_TP_BTF);
	/* Off-CPU has the raw tracepoint to fall back on: never missing. */
	if ((uses & KF_USE_KPROBES) && is(kf, KF_KPROBES, KF_NO) && is(kf, KF_FENTRY, KF_NO))
		need |= BIT(KF_KPROBES);
	for (int f = 0; f < KF__COUNT; f++)
		if ((need & BIT(f)) && is(kf, f, KF_NO))
			return f;
	return KF__COUNT;
}

/* Why fentry/fexit cannot be used, as "this kernel ..." goes on. */
static void fentry_why(const struct kfeatures *kf, char *buf, size_t size)
{
	int err = kf->err[KF_FENTRY];

	switch (kf->reason[KF_FENTRY]) {
	case KF_REASON_REFUSED:
		snprintf(buf, size, "refuses fentry/fexit programs (%s)", errstr(err));
		return;
	case KF_REASON_NO_FTRACE:
		snprintf(buf, size, "has no function tracer for fentry/fexit programs "
			 "(CONFIG_FUNCTION_TRACER)");
		return;
	case KF_REASON_FTRACE_OFF:
		snprintf(buf, size, "has function tracing off for fentry/fexit programs "
			 "(kernel.ftrace_enabled is 0)");
		return;
	case KF_REASON_NONE:
		break;
	}
	if (!is(kf, KF_BTF, KF_YES) && err == -ENOENT)
		snprintf(buf, size, "has no BTF for fentry/fexit programs");
	else
		snprintf(buf, size, "cannot load fentry/fexit programs (%s)", errstr(err));
}

static void explain_kprobes(const struct kfeatures *kf, char *buf, size_t size)
{
	char why[160];

	fentry_why(kf, why, sizeof(why));
	snprintf(buf, size, "cannot probe kernel functions here: this kernel has no kprobes "
		 "(CONFIG_KPROBE_EVENTS) and %s, which would stand in for them; %s", why,
		 kf->reason[KF_FENTRY] == KF_REASON_FTRACE_OFF ?
		 "'sysctl kernel.ftrace_enabled=1' turns function tracing on" :
		 "Debian 12's 6.1 kernel has kprobes");
}

void kfeatures_explain(const struct kfeatures *kf, enum kfeature f, char *buf, size_t size)
{
	const char *rel = kf->release[0] ? kf->release : "unknown";
	char why[160];

	switch (f) {
	case KF_BTF:
		snprintf(buf, size, "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): "
			 "ebpf-tool needs one built with CONFIG_DEBUG_INFO_BTF=y (Linux 5.4 or "
			 "later), as Debian 12's 6.1 kernels are");
		return;
	case KF_RINGBUF:
		snprintf(buf, size, "this kernel (Linux %s) has no BPF ring buffer, which carries "
			 "the samples: it needs Linux 5.8 or later; Debian 12's 6.1 kernel has it",
			 rel);
		return;
	case KF_PERF_EVENTS:
		snprintf(buf, size, "this kernel has no perf events (perf_event_open: %s): "
			 "sampling and counting need a kernel built with CONFIG_PERF_EVENTS=y, as "
			 "Debian 12's kernels are", errstr(kf->err[f] ? kf->err[f] : -ENOSYS));
		return;
	case KF_TP_BTF:
		snprintf(buf, size, "this kernel (Linux %s) cannot run BPF programs on BTF "
			 "tracepoints (tp_btf), which follow the command's new processes: they "
			 "need Linux 5.5 or later with BTF; Debian 12's 6.1 kernel has them", rel);
		return;
	case KF_KPROBES:
		explain_kprobes(kf, buf, size);
		return;
	case KF_FENTRY:
		fentry_why(kf, why, sizeof(why));
		snprintf(buf, size, "this kernel %s: they need Linux 5.5 or later with BTF and "
			 "CONFIG_FUNCTION_TRACER=y", why);
		return;
	case KF__COUNT:
		break;
	}
	snprintf(buf, size, "this kernel lacks a feature ebpf-tool needs");
}

/* fentry_why() in a few words, for the -v list. */
static const char *fentry_short(const struct kfeatures *kf, char *buf, size_t size)
{
	int err = kf->err[KF_FENTRY];

	switch (kf->reason[KF_FENTRY]) {
	case KF_REASON_REFUSED:
		snprintf(buf, size, "refused: %s", errstr(err));
		return buf;
	case KF_REASON_NO_FTRACE:
		return "no CONFIG_FUNCTION_TRACER";
	case KF_REASON_FTRACE_OFF:
		return "kernel.ftrace_enabled is 0";
	case KF_REASON_NONE:
		break;
	}
	if (!is(kf, KF_BTF, KF_YES) && err == -ENOENT)
		return "no BTF";
	return errstr(err);
}

/* " (why)" after "no" or "unknown" in the -v list, or nothing. */
static void state_why(const struct kfeatures *kf, enum kfeature f, char *buf, size_t size)
{
	buf[0] = '\0';
	if (is(kf, f, KF_UNKNOWN) && kf->err[f]) {
		snprintf(buf, size, " (%s)", errstr(kf->err[f]));
	} else if (is(kf, f, KF_NO) && f == KF_FENTRY) {
		char why[96];

		snprintf(buf, size, " (%s)", fentry_short(kf, why, sizeof(why)));
	} else if (is(kf, f, KF_NO)) {
		snprintf(buf, size, " (%s)", absent[f]);
	}
}

void kfeatures_describe(const struct kfeatures *kf, char *buf, size_t size)
{
	static const char *const words[] = {
		[KF_UNPROBED] = "", [KF_YES] = "yes", [KF_NO] = "no", [KF_UNKNOWN] = "unknown",
	};
	size_t len;
	int n = snprintf(buf, size, "kernel %s:", kf->release[0] ? kf->release : "unknown");
	bool first = true;

	for (int f = 0; f < KF__COUNT && n >= 0 && (size_t)n < size; f++) {
		char why[200];

		if (is(kf, f, KF_UNPROBED))
			continue;
		len = (size_t)n;
		state_why(kf, f, why, sizeof(why));
		n += snprintf(buf + len, size - len, "%s %s %s%s", first ? "" : ",", names[f],
			      words[kf->state[f]], why);
		first = false;
	}
	if (first && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " nothing probed");
}

bool kfeatures_fallback(const struct kfeatures *kf, unsigned int uses, unsigned int i,
			char *buf, size_t size)
{
	/* fentry stands in unless known to fail: the tracer tries it then. */
	bool fentry = (uses & KF_USE_KPROBES) && is(kf, KF_KPROBES, KF_NO) &&
		      !is(kf, KF_FENTRY, KF_NO);
	bool raw_tp = (uses & KF_USE_OFFCPU) && is(kf, KF_TP_BTF, KF_NO);

	if (fentry && i-- == 0) {
		snprintf(buf, size, "kprobes are not available (CONFIG_KPROBE_EVENTS): kernel "
			 "functions are probed with fentry/fexit programs instead");
		return true;
	}
	if (raw_tp && i-- == 0) {
		snprintf(buf, size, "BTF tracepoints (tp_btf) are not available: off-CPU time "
			 "comes from the raw sched_switch tracepoint instead");
		return true;
	}
	return false;
}
