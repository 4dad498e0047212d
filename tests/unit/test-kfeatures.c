/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for kfeatures-explain.c: which missing feature stops which
 * use, which stand-ins are named under -v, and the words of every message.
 * The states are set by hand; nothing here asks the kernel (the probes
 * themselves are tested against the running kernel by
 * testsuite/ebpf-tool.perf/kernel.exp).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "record/kfeatures.h"

#define ALL_USES (KF_USE_SAMPLE | KF_USE_COUNT | KF_USE_FORKS | KF_USE_OFFCPU | KF_USE_KPROBES)

/* A kernel with everything: Debian 12's, as probed there. */
static struct kfeatures everything(void)
{
	struct kfeatures kf = { .release = "6.1.0-57-amd64" };

	for (int f = 0; f < KF__COUNT; f++)
		kf.state[f] = KF_YES;
	return kf;
}

static int test_nothing_missing(void)
{
	struct kfeatures kf = everything();
	char buf[512];

	for (unsigned int uses = 0; uses <= ALL_USES; uses++) {
		REQUIRE(kfeatures_missing(&kf, uses) == KF__COUNT, "uses %#x", uses);
		REQUIRE(!kfeatures_fallback(&kf, uses, 0, buf, sizeof(buf)), "uses %#x: %s", uses, buf);
	}
	return 0;
}

/* Each use needs its own features, and only those. */
static int test_needs(void)
{
	static const struct {
		enum kfeature absent;
		unsigned int stopped;		/* the uses it stops */
	} cases[] = {
		{ KF_BTF, KF_USE_SAMPLE },
		{ KF_RINGBUF, KF_USE_SAMPLE },
		{ KF_PERF_EVENTS, KF_USE_SAMPLE | KF_USE_COUNT },
		{ KF_TP_BTF, KF_USE_FORKS },
		{ KF_KPROBES, 0 },		/* fentry stands in */
		{ KF_FENTRY, 0 },		/* kprobes are there */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int uses[] = { KF_USE_SAMPLE, KF_USE_COUNT, KF_USE_FORKS, KF_USE_OFFCPU,
					KF_USE_KPROBES };

		for (size_t j = 0; j < sizeof(uses) / sizeof(uses[0]); j++) {
			struct kfeatures kf = everything();
			enum kfeature want = (cases[i].stopped & uses[j]) ? cases[i].absent : KF__COUNT;

			kf.state[cases[i].absent] = KF_NO;
			REQUIRE(kfeatures_missing(&kf, uses[j]) == want, "feature %d, use %#x: got %d",
			      cases[i].absent, uses[j], kfeatures_missing(&kf, uses[j]));
		}
	}
	return 0;
}

static int test_kprobes_and_fentry(void)
{
	struct kfeatures kf = everything();
	char buf[512];

	kf.state[KF_KPROBES] = KF_NO;
	kf.state[KF_FENTRY] = KF_YES;
	REQUIRE(kfeatures_missing(&kf, KF_USE_SAMPLE | KF_USE_KPROBES) == KF__COUNT, "fentry stands in");
	REQUIRE(kfeatures_fallback(&kf, KF_USE_KPROBES, 0, buf, sizeof(buf)), "a -v line");
	REQUIRE(strstr(buf, "kprobes are not available") && strstr(buf, "fentry/fexit") &&
	      strstr(buf, "instead"), "%s", buf);
	REQUIRE(!kfeatures_fallback(&kf, KF_USE_KPROBES, 1, buf, sizeof(buf)), "only one");
	REQUIRE(!kfeatures_fallback(&kf, KF_USE_SAMPLE, 0, buf, sizeof(buf)), "not asked for");

	/* Not permitted to look at fentry: try it, as the tracer does. */
	kf.state[KF_FENTRY] = KF_UNKNOWN;
	REQUIRE(kfeatures_missing(&kf, KF_USE_KPROBES) == KF__COUNT, "unknown is not missing");
	REQUIRE(kfeatures_fallback(&kf, KF_USE_KPROBES, 0, buf, sizeof(buf)), "still the stand-in");

	kf.state[KF_FENTRY] = KF_NO;
	kf.reason[KF_FENTRY] = KF_REASON_REFUSED;
	kf.err[KF_FENTRY] = -EPERM;
	REQUIRE(kfeatures_missing(&kf, KF_USE_KPROBES) == KF_KPROBES, "neither");
	REQUIRE(!kfeatures_fallback(&kf, KF_USE_KPROBES, 0, buf, sizeof(buf)), "no stand-in: %s", buf);
	REQUIRE(kfeatures_missing(&kf, KF_USE_SAMPLE) == KF__COUNT, "sampling needs neither");
	return 0;
}

static int test_offcpu_fallback(void)
{
	struct kfeatures kf = everything();
	char buf[512];

	kf.state[KF_TP_BTF] = KF_NO;
	REQUIRE(kfeatures_missing(&kf, KF_USE_SAMPLE | KF_USE_OFFCPU) == KF__COUNT, "raw tracepoint");
	REQUIRE(kfeatures_fallback(&kf, KF_USE_OFFCPU, 0, buf, sizeof(buf)), "a -v line");
	REQUIRE(strstr(buf, "raw sched_switch tracepoint instead"), "%s", buf);

	/* Both stand-ins at once: two lines, kprobes first. */
	kf.state[KF_KPROBES] = KF_NO;
	REQUIRE(kfeatures_fallback(&kf, KF_USE_OFFCPU | KF_USE_KPROBES, 0, buf, sizeof(buf)) &&
	      strstr(buf, "kprobes"), "%s", buf);
	REQUIRE(kfeatures_fallback(&kf, KF_USE_OFFCPU | KF_USE_KPROBES, 1, buf, sizeof(buf)) &&
	      strstr(buf, "tp_btf"), "%s", buf);
	REQUIRE(!kfeatures_fallback(&kf, KF_USE_OFFCPU | KF_USE_KPROBES, 2, buf, sizeof(buf)), "two");
	return 0;
}

static int test_unknown_is_not_missing(void)
{
	struct kfeatures kf = { .release = "6.18.44" };

	for (int f = 0; f < KF__COUNT; f++) {
		kf.state[f] = KF_UNKNOWN;
		kf.err[f] = -EPERM;
	}
	REQUIRE(kfeatures_missing(&kf, ALL_USES) == KF__COUNT, "an ordinary user hears of privileges");
	return 0;
}

static int test_order(void)
{
	struct kfeatures kf = everything();

	kf.state[KF_RINGBUF] = KF_NO;
	kf.state[KF_BTF] = KF_NO;
	kf.state[KF_TP_BTF] = KF_NO;
	REQUIRE(kfeatures_missing(&kf, KF_USE_SAMPLE | KF_USE_FORKS) == KF_BTF, "BTF first");
	return 0;
}

/* One line in the house style: lower case, no full stop, room to spare. */
static int check_line(const char *what, const char *line)
{
	size_t len = strlen(line);

	REQUIRE(len > 20 && len < 400, "%s: length %zu: %s", what, len, line);
	REQUIRE(islower((unsigned char)line[0]), "%s: %s", what, line);
	REQUIRE(!strchr(line, '\n'), "%s: %s", what, line);
	REQUIRE(line[len - 1] != '.', "%s: %s", what, line);
	return 0;
}

static int explain(struct kfeatures *kf, enum kfeature f, const char *const *want)
{
	char buf[512];

	kf->state[f] = KF_NO;
	kfeatures_explain(kf, f, buf, sizeof(buf));
	if (check_line("explain", buf))
		return 1;
	for (; *want; want++)
		REQUIRE(strstr(buf, *want), "feature %d: no '%s' in: %s", f, *want, buf);
	return 0;
}

static int test_messages(void)
{
	struct kfeatures kf = everything();
	int failed = 0;

	failed |= explain(&kf, KF_BTF, (const char *const[]){ "no BTF", "/sys/kernel/btf/vmlinux",
		"CONFIG_DEBUG_INFO_BTF=y", "Linux 5.4", "Debian 12's 6.1", NULL });
	failed |= explain(&kf, KF_RINGBUF, (const char *const[]){ "no BPF ring buffer",
		"Linux 6.1.0-57-amd64", "Linux 5.8 or later", "Debian 12's 6.1", NULL });
	kf.err[KF_PERF_EVENTS] = -ENOSYS;
	failed |= explain(&kf, KF_PERF_EVENTS, (const char *const[]){ "no perf events",
		strerror(ENOSYS), "CONFIG_PERF_EVENTS=y", "Debian 12", NULL });
	failed |= explain(&kf, KF_TP_BTF, (const char *const[]){ "tp_btf", "new processes",
		"Linux 5.5 or later", "Debian 12's 6.1", NULL });
	kf.state[KF_FENTRY] = KF_NO;
	kf.reason[KF_FENTRY] = KF_REASON_REFUSED;
	kf.err[KF_FENTRY] = -EPERM;
	/* The prefix testsuite/ebpf-tool.probe/kprobe.exp looks for. */
	failed |= explain(&kf, KF_KPROBES, (const char *const[]){
		"cannot probe kernel functions here: this kernel has no kprobes",
		"CONFIG_KPROBE_EVENTS", "refuses fentry/fexit programs", strerror(EPERM),
		"Debian 12's 6.1 kernel has kprobes", NULL });
	kf.reason[KF_FENTRY] = KF_REASON_NO_FTRACE;
	failed |= explain(&kf, KF_KPROBES, (const char *const[]){ "CONFIG_FUNCTION_TRACER", NULL });
	failed |= explain(&kf, KF_FENTRY, (const char *const[]){ "CONFIG_FUNCTION_TRACER",
		"Linux 5.5", NULL });
	kf.reason[KF_FENTRY] = KF_REASON_FTRACE_OFF;
	failed |= explain(&kf, KF_KPROBES, (const char *const[]){ "kernel.ftrace_enabled is 0",
		"sysctl kernel.ftrace_enabled=1", NULL });
	kf.reason[KF_FENTRY] = KF_REASON_NONE;
	kf.err[KF_FENTRY] = -524;
	failed |= explain(&kf, KF_FENTRY, (const char *const[]){
		"cannot load fentry/fexit programs (not supported)", NULL });
	/* No release known: still a sentence. */
	kf.release[0] = '\0';
	failed |= explain(&kf, KF_RINGBUF, (const char *const[]){ "Linux unknown", NULL });
	return failed;
}

static int test_describe(void)
{
	struct kfeatures kf = { .release = "6.18.44-fc-v657" };
	char buf[512], small[24 + 8];

	kf.state[KF_BTF] = KF_YES;
	kf.state[KF_RINGBUF] = KF_YES;
	kf.state[KF_PERF_EVENTS] = KF_YES;
	kfeatures_describe(&kf, buf, sizeof(buf));
	REQUIRE(!strcmp(buf, "kernel 6.18.44-fc-v657: BTF yes, BPF ring buffer yes, perf events yes"),
	      "%s", buf);

	kf.state[KF_KPROBES] = KF_NO;
	kf.state[KF_FENTRY] = KF_NO;
	kf.reason[KF_FENTRY] = KF_REASON_REFUSED;
	kf.err[KF_FENTRY] = -EPERM;
	kf.state[KF_RINGBUF] = KF_UNKNOWN;
	kf.err[KF_RINGBUF] = -EPERM;
	kfeatures_describe(&kf, buf, sizeof(buf));
	REQUIRE(strstr(buf, "BPF ring buffer unknown (Operation not permitted), ") &&
	      strstr(buf, ", kprobes no (no CONFIG_KPROBE_EVENTS), ") &&
	      strstr(buf, ", fentry/fexit no (refused: Operation not permitted)") &&
	      !strstr(buf, "tp_btf"), "%s", buf);
	if (check_line("describe", buf))
		return 1;

	/* A short buffer is cut, never overrun. */
	memset(small, 'x', sizeof(small));
	kfeatures_describe(&kf, small, 24);
	REQUIRE(strlen(small) == 23 && small[24] == 'x' && small[sizeof(small) - 1] == 'x', "%s", small);

	memset(&kf, 0, sizeof(kf));
	kfeatures_describe(&kf, buf, sizeof(buf));
	REQUIRE(!strcmp(buf, "kernel unknown: nothing probed"), "%s", buf);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "kfeatures: a complete kernel stops nothing", test_nothing_missing },
	{ "kfeatures: each use needs its own features only", test_needs },
	{ "kfeatures: fentry stands in for kprobes", test_kprobes_and_fentry },
	{ "kfeatures: off-CPU falls back on the raw tracepoint", test_offcpu_fallback },
	{ "kfeatures: what could not be probed is not missing", test_unknown_is_not_missing },
	{ "kfeatures: BTF is named first", test_order },
	{ "kfeatures: each missing feature's one line", test_messages },
	{ "kfeatures: the -v list", test_describe },
};

int main(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int rc = tests[i].fn();

		printf("%s: %s\n", rc ? "FAIL" : "PASS", tests[i].name);
		fflush(stdout);
		failed |= rc;
	}
	return failed;
}
