/*
 * What the running kernel offers of what ebpf-tool needs, so that a command
 * can say in one line what is missing and which kernel or config has it,
 * before the verifier answers "Invalid argument".
 *
 * kfeatures.c probes (a file test, a syscall, one map or program closed at
 * once) and never prints; kfeatures-explain.c decides what a use cannot do
 * without and words it, from the probed states alone, so it can be tested
 * without a kernel.
 */
#ifndef EBPF_TOOL_KFEATURES_H
#define EBPF_TOOL_KFEATURES_H

#include <stdbool.h>
#include <stddef.h>

enum kfeature {
	KF_BTF,			/* /sys/kernel/btf/vmlinux: CO-RE, every BPF program */
	KF_RINGBUF,		/* BPF_MAP_TYPE_RINGBUF: how samples reach us */
	KF_PERF_EVENTS,		/* perf_event_open: sampling, side-band, counting */
	KF_TP_BTF,		/* BTF tracepoint programs: fork following, off-CPU */
	KF_KPROBES,		/* the kprobe PMU or kprobe_events: kprobe:FUNC */
	KF_FENTRY,		/* fentry/fexit programs: kprobe:FUNC without kprobes */
	KF__COUNT,
};

enum kf_state {
	KF_UNPROBED = 0,
	KF_YES,
	KF_NO,
	KF_UNKNOWN,		/* could not look, usually not permitted to */
};

/* Why a feature is KF_NO, where the state alone does not say. */
enum kf_reason {
	KF_REASON_NONE = 0,
	KF_REASON_REFUSED,	/* the kernel refused even root (err) */
	KF_REASON_NO_FTRACE,	/* fentry: no function tracer */
	KF_REASON_FTRACE_OFF,	/* fentry: kernel.ftrace_enabled is 0 */
};

/* What a command is about to do: each use needs its own features. */
enum kf_use {
	KF_USE_SAMPLE = 1u << 0,	/* BPF sampling: BTF, ring buffer, perf events */
	KF_USE_COUNT = 1u << 1,		/* perf counters alone */
	KF_USE_FORKS = 1u << 2,		/* follow a command's new processes: tp_btf */
	KF_USE_OFFCPU = 1u << 3,	/* sched_switch: tp_btf, else the raw tracepoint */
	KF_USE_KPROBES = 1u << 4,	/* kernel functions: kprobes, else fentry/fexit */
};

struct kfeatures {
	enum kf_state state[KF__COUNT];
	int err[KF__COUNT];		/* -errno behind KF_NO or KF_UNKNOWN, or 0 */
	enum kf_reason reason[KF__COUNT];
	char release[65];		/* uname -r */
};

/*
 * Probe what the uses need, and only that: fentry only when kprobes are
 * missing, as it costs a parse of the kernel's BTF.
 */
void kfeatures_probe(struct kfeatures *kf, unsigned int uses);

/* Probe one feature: KF_YES, KF_NO or KF_UNKNOWN; *err (if set) says why. */
enum kf_state kfeature_probe(enum kfeature f, int *err);
/* CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON, in this process's effective set. */
bool have_bpf_capabilities(void);

/*
 * The feature the uses cannot do without and the kernel lacks, the first
 * in enum order, or KF__COUNT.  One with a stand-in (kprobes, tp_btf for
 * off-CPU) is missing only when the stand-in is too; KF_UNKNOWN is never
 * missing: the load itself then says what went wrong.
 */
enum kfeature kfeatures_missing(const struct kfeatures *kf, unsigned int uses);

/* One line, no "ebpf-tool CMD: " prefix: what is missing and what has it. */
void kfeatures_explain(const struct kfeatures *kf, enum kfeature f, char *buf, size_t size);

/* For -v: "kernel R: BTF yes, BPF ring buffer yes, ..." of what was probed. */
void kfeatures_describe(const struct kfeatures *kf, char *buf, size_t size);

/*
 * For -v: the i-th stand-in the uses will rely on ("kprobes are not
 * available (...): ... fentry/fexit instead"); false past the last.
 */
bool kfeatures_fallback(const struct kfeatures *kf, unsigned int uses, unsigned int i,
			char *buf, size_t size);

#endif
