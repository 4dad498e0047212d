#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "builtin/options.h"
#include "lib/util.h"

#define MAX_RATE_SYSCTL "/proc/sys/kernel/perf_event_max_sample_rate"

void sample_args_init(struct sample_args *a)
{
	memset(a, 0, sizeof(*a));
	a->freq = 99;
	event_lookup("cpu-clock", &a->event);
}

static uint64_t max_sample_rate(void)
{
	long long v;

	return read_file_int(MAX_RATE_SYSCTL, &v) || v <= 0 ? 100000 : (uint64_t)v;
}

static int bad_events(const char *cmd, const char *arg)
{
	unsigned int n;
	const struct event_desc *t = event_table(&n);

	cmd_error(cmd, "unknown event '%s'", arg);
	fprintf(stderr, "Events:");
	for (unsigned int i = 0; i < n; i++)
		fprintf(stderr, " %s", t[i].name);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

static int parse_ids(const char *cmd, const char *opt, const char *arg, uint32_t *ids, size_t *n)
{
	int err = parse_id_list(arg, ids, MAX_FILTER_IDS, n);

	if (err == -E2BIG)
		return usage_error(cmd, "too many ids for %s: at most %d", opt, MAX_FILTER_IDS);
	if (err)
		return usage_error(cmd, "invalid %s '%s': expected numbers like 1234,5678", opt, arg);
	return 0;
}

int sample_args_parse(struct sample_args *a, const char *cmd, int id, const char *arg)
{
	uint64_t limit;
	int err;

	switch (id) {
	case SAMPLE_OPT_FREQ:
		limit = max_sample_rate();
		err = parse_u64(arg, 1, limit, &a->freq);
		if (err == -EINVAL)
			return usage_error(cmd, "invalid frequency '%s': expected a whole number "
					   "of Hz from 1 to %llu", arg, (unsigned long long)limit);
		if (err)
			return usage_error(cmd, "frequency %s Hz is out of range: it must be from 1 "
					   "to %llu Hz (kernel.perf_event_max_sample_rate)",
					   arg, (unsigned long long)limit);
		return 0;
	case SAMPLE_OPT_DURATION:
		err = parse_seconds(arg, MAX_DURATION_SEC, &a->duration);
		if (err)
			return usage_error(cmd, "invalid duration '%s': expected seconds greater "
					   "than 0, like 5 or 2.5 or 500ms", arg);
		return 0;
	case SAMPLE_OPT_PID:
		return parse_ids(cmd, "pid list", arg, a->pids, &a->n_pids);
	case SAMPLE_OPT_TID:
		return parse_ids(cmd, "tid list", arg, a->tids, &a->n_tids);
	case SAMPLE_OPT_CPU:
		if (cpuset_parse(&a->cpus, arg))
			return usage_error(cmd, "invalid CPU list '%s': expected CPU numbers "
					   "and ranges like 0,2-3", arg);
		a->cpus_given = true;
		return 0;
	case SAMPLE_OPT_EVENT:
		if (event_lookup(arg, &a->event))
			return bad_events(cmd, arg);
		return 0;
	}
	return usage_error(cmd, "unhandled option %d", id);
}

static int check_alive(const char *cmd, const char *what, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (kill(ids[i], 0) && errno == ESRCH) {
			cmd_error(cmd, "no %s %u is running", what, ids[i]);
			return EXIT_FAIL;
		}
	}
	return 0;
}

int sample_args_finish(struct sample_args *a, const char *cmd)
{
	struct cpuset online;
	int err, status, cpu;

	err = cpuset_online(&online);
	if (err) {
		cmd_error(cmd, "cannot read the online CPUs: %s", strerror(-err));
		return EXIT_FAIL;
	}
	if (a->cpus_given) {
		cpuset_for_each(cpu, &a->cpus) {
			if (!cpuset_has(&online, cpu))
				return usage_error(cmd, "CPU %d is not online", cpu);
		}
	} else {
		a->cpus = online;
	}
	status = check_alive(cmd, "process", a->pids, a->n_pids);
	return status ?: check_alive(cmd, "thread", a->tids, a->n_tids);
}
