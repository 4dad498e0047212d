/*
 * The kernel probes behind kfeatures.h.  Each costs a file test, a syscall
 * or one tiny map or program closed at once (tens of microseconds), except
 * fentry's, which parses the kernel's BTF and runs only when kprobes are
 * missing.  An answer the kernel gives only to the privileged (EPERM,
 * EACCES) is KF_UNKNOWN, never KF_NO: libbpf's own probes answer "not
 * supported" then, which would send an ordinary user after a new kernel
 * when what they lack is CAP_BPF.
 */
#include "config.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "record/kfeatures.h"
#include "lib/util.h"

#define CAP_SYS_ADMIN_BIT 21
#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39

static unsigned long long effective_caps(void)
{
	char buf[4096], *p;

	if (read_file_str("/proc/self/status", buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, "\nCapEff:");
	return p ? strtoull(p + 8, NULL, 16) : 0;
}

bool have_bpf_capabilities(void)
{
	unsigned long long caps = effective_caps();

	if (caps & (1ull << CAP_SYS_ADMIN_BIT))
		return true;
	return (caps & (1ull << CAP_BPF_BIT)) && (caps & (1ull << CAP_PERFMON_BIT));
}


/* r0 = 0; exit: the verifier's verdict on the program type is all we want. */
static const struct bpf_insn return_zero[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* A kernel function every kernel has, that fentry may attach to. */
#define FENTRY_PROBE_FUNC "vfs_read"

static bool refused(int err)
{
	return err == -EPERM || err == -EACCES;
}

static enum kf_state probe_btf(int *err)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return KF_YES;
	*err = -errno;
	return errno == ENOENT ? KF_NO : KF_UNKNOWN;
}

/* An unknown map type is EINVAL; a one-page ring buffer costs one page. */
static enum kf_state probe_ringbuf(int *err)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0,
				(unsigned int)sysconf(_SC_PAGESIZE), NULL);

	if (fd >= 0) {
		close(fd);
		return KF_YES;
	}
	*err = -errno;
	return *err == -EINVAL ? KF_NO : KF_UNKNOWN;
}

/*
 * A disabled cpu-clock event on the CPU we run on, as the sampler opens
 * them: one on ourselves would be cheaper to be allowed, but the first
 * task-bound event turns on the scheduler's perf hooks and waits out an RCU
 * grace period, which doubled record's start-up.  Refused, the kernel
 * still has perf events if it has their sysctl.
 */
static enum kf_state probe_perf_events(int *err)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.disabled = 1,
	};
	int cpu = sched_getcpu();
	int fd = (int)syscall(__NR_perf_event_open, &attr, -1, cpu < 0 ? 0 : cpu, -1,
			      PERF_FLAG_FD_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return KF_YES;
	}
	*err = -errno;
	if (*err == -ENOSYS)
		return KF_NO;
	if (refused(*err) && access("/proc/sys/kernel/perf_event_paranoid", F_OK) == 0)
		return KF_YES;
	return KF_UNKNOWN;
}

/*
 * A BTF raw tracepoint program aimed at type 1 of the kernel's BTF, which
 * is no tracepoint: a kernel that knows such programs and has BTF for them
 * says so in the log ("attach_btf_id 1 is not a typedef"); one that does
 * not rejects the program type itself, before the verifier writes anything.
 */
static enum kf_state probe_tp_btf(int *err)
{
	char log[1024] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_RAW_TP,
		    .attach_btf_id = 1, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", return_zero,
			       ARRAY_SIZE(return_zero), &o);

	if (fd >= 0) {
		close(fd);
		return KF_YES;
	}
	*err = -errno;
	if (*err == -EINVAL && strstr(log, "attach_btf_id 1 "))
		return KF_YES;
	return refused(*err) ? KF_UNKNOWN : KF_NO;
}

/*
 * libbpf attaches kprobes through the kprobe PMU (Linux 4.17), or through
 * tracefs's kprobe_events before it; both come with CONFIG_KPROBE_EVENTS.
 * Only root may look into tracefs, but on any kernel with a BPF ring
 * buffer the PMU alone answers.
 */
static enum kf_state probe_kprobes(int *err)
{
	static const char *const paths[] = {
		"/sys/bus/event_source/devices/kprobe/type",
		"/sys/kernel/tracing/kprobe_events",
		"/sys/kernel/debug/tracing/kprobe_events",
	};

	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		if (access(paths[i], F_OK) == 0)
			return KF_YES;
	*err = -ENOENT;
	return KF_NO;
}

/* A real fentry program on a real function: the type probe alone is not proof. */
static enum kf_state load_fentry(int *err)
{
	struct btf *btf = btf__load_vmlinux_btf();
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, fd;

	if (!btf) {
		*err = -errno;
		return KF_UNKNOWN;
	}
	id = btf__find_by_name_kind(btf, FENTRY_PROBE_FUNC, BTF_KIND_FUNC);
	btf__free(btf);
	if (id < 0) {
		*err = id;
		return KF_UNKNOWN;
	}
	o.attach_btf_id = (unsigned int)id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", return_zero,
			   ARRAY_SIZE(return_zero), &o);
	if (fd >= 0) {
		close(fd);
		return KF_YES;
	}
	*err = -errno;
	/* Refused although we hold CAP_BPF and CAP_PERFMON: the kernel says no. */
	return refused(*err) && !have_bpf_capabilities() ? KF_UNKNOWN : KF_NO;
}

/*
 * fentry/fexit need BTF, BPF trampolines (Linux 5.5 on x86) and the
 * function tracer's patchable entries; with kernel.ftrace_enabled at 0
 * they would load and never run.  The sysctl exists only with
 * CONFIG_FUNCTION_TRACER, which spares us tracefs.
 */
static enum kf_state probe_fentry(int *err, enum kf_reason *reason)
{
	long long on;
	enum kf_state s;

	if (probe_btf(err) != KF_YES)
		return KF_NO;
	if (read_file_int("/proc/sys/kernel/ftrace_enabled", &on) < 0) {
		*err = -ENOENT;
		*reason = KF_REASON_NO_FTRACE;
		return KF_NO;
	}
	if (!on) {
		*reason = KF_REASON_FTRACE_OFF;
		return KF_NO;
	}
	s = load_fentry(err);
	if (s == KF_NO && refused(*err))
		*reason = KF_REASON_REFUSED;
	return s;
}

static enum kf_state probe(enum kfeature f, int *err, enum kf_reason *reason)
{
	*err = 0;
	*reason = KF_REASON_NONE;
	switch (f) {
	case KF_BTF:
		return probe_btf(err);
	case KF_RINGBUF:
		return probe_ringbuf(err);
	case KF_PERF_EVENTS:
		return probe_perf_events(err);
	case KF_TP_BTF:
		return probe_tp_btf(err);
	case KF_KPROBES:
		return probe_kprobes(err);
	case KF_FENTRY:
		return probe_fentry(err, reason);
	case KF__COUNT:
		break;
	}
	*err = -EINVAL;
	return KF_UNKNOWN;
}

enum kf_state kfeature_probe(enum kfeature f, int *err)
{
	enum kf_reason reason;
	enum kf_state s;
	int e;

	s = probe(f, &e, &reason);
	if (err)
		*err = e;
	return s;
}

static void probe_into(struct kfeatures *kf, enum kfeature f)
{
	kf->state[f] = probe(f, &kf->err[f], &kf->reason[f]);
}

void kfeatures_probe(struct kfeatures *kf, unsigned int uses)
{
	struct utsname u;

	memset(kf, 0, sizeof(*kf));
	if (uname(&u) == 0)
		snprintf(kf->release, sizeof(kf->release), "%s", u.release);
	if (uses & KF_USE_SAMPLE) {
		probe_into(kf, KF_BTF);
		probe_into(kf, KF_RINGBUF);
	}
	if (uses & (KF_USE_SAMPLE | KF_USE_COUNT))
		probe_into(kf, KF_PERF_EVENTS);
	if (uses & (KF_USE_FORKS | KF_USE_OFFCPU))
		probe_into(kf, KF_TP_BTF);
	if (uses & KF_USE_KPROBES) {
		probe_into(kf, KF_KPROBES);
		if (kf->state[KF_KPROBES] != KF_YES)
			probe_into(kf, KF_FENTRY);
	}
}
