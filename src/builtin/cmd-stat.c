/* ebpf-tool stat: count events for a command, processes, threads or CPUs. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "builtin/kcheck.h"
#include "record/counter.h"
#include "output/stat-print.h"
#include "lib/util.h"
#include "record/workload.h"

#define CMD "stat"
#define MAX_TIDS 65536
#define MIN_INTERVAL_MS 10

static const char usage_text[] =
	"Usage: ebpf-tool stat [options] [--] [command [args]]\n"
	"\n"
	"Count events, as 'perf stat' does: for a command and what it starts (exiting\n"
	"with its status), for running processes or threads, or for CPUs.\n";

enum {
	OPT_EVENT = 'e', OPT_ALL = 'a', OPT_PID = 'p', OPT_TID = 't', OPT_CPU = 'C',
	OPT_INTERVAL = 'I', OPT_SEP = 'x', OPT_OUTPUT = 'o',
};

static const struct cmd_option options[] = {
	CMD_VALUE('e', "event", OPT_EVENT, "EVENT,...",
		  "events to count (default: task-clock, context-switches,\n"
		  "cpu-migrations, page-faults, cycles, instructions,\n"
		  "branches, branch-misses); tracepoints as sys:name;\n"
		  "see 'ebpf-tool list'", NULL),
	CMD_FLAG('a', "all-cpus", OPT_ALL,
		 "every task on every CPU (default without a command,\n-p or -t)"),
	CMD_VALUE('p', "pid", OPT_PID, "PID,...", "these processes, all their threads", NULL),
	CMD_VALUE('t', "tid", OPT_TID, "TID,...", "these threads", NULL),
	CMD_VALUE('C', "cpu", OPT_CPU, "LIST", "these CPUs, like 0,2-3 (implies -a)", NULL),
	CMD_VALUE('I', "interval-print", OPT_INTERVAL, "MS",
		  "print the counts of each MS milliseconds (at least 10)", NULL),
	CMD_VALUE('x', "field-separator", OPT_SEP, "SEP", "CSV output with this separator", NULL),
	CMD_VALUE('o', "output", OPT_OUTPUT, "FILE", "write the counts to FILE", "standard error"),
	CMD_OPTION_VERBOSE("say more, and what the kernel offers"),
	CMD_OPTION_HELP,
};

static const char *const default_events[] = {
	"task-clock", "context-switches", "cpu-migrations", "page-faults",
	"cycles", "instructions", "branches", "branch-misses",
};

struct stat_args {
	struct counter_event evs[COUNTER_MAX_EVENTS];
	size_t n_evs;
	bool all, cpus_given;
	struct cpuset cpus;
	uint32_t pids[1024], tids[1024];
	size_t n_pids, n_tids;
	uint64_t interval_ms;
	const char *sep, *output;
	char **command;
};

static int add_event(struct stat_args *a, const char *name)
{
	int err;

	if (a->n_evs == COUNTER_MAX_EVENTS)
		return usage_error(CMD, "too many events: at most %d", COUNTER_MAX_EVENTS);
	err = counter_event_parse(name, &a->evs[a->n_evs]);
	if (err == -ENODEV)
		return usage_error(CMD, "cannot count tracepoint '%s': tracefs is not mounted "
				   "(mount -t tracefs nodev /sys/kernel/tracing)", name);
	if (err)
		return usage_error(CMD, "unknown event '%s' (see 'ebpf-tool list')", name);
	a->n_evs++;
	return 0;
}

static int parse_events(struct stat_args *a, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;
	int status = EXIT_OK;

	if (!copy) {
		cmd_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	for (char *w = strtok_r(copy, ",", &save); w && !status;
	     w = strtok_r(NULL, ",", &save))
		status = add_event(a, w);
	free(copy);
	return status;
}

static int parse_one(void *ctx, int id, const char *arg)
{
	struct stat_args *a = ctx;
	size_t *n = id == OPT_PID ? &a->n_pids : &a->n_tids;
	uint32_t *ids = id == OPT_PID ? a->pids : a->tids;

	switch (id) {
	case OPT_EVENT:
		return parse_events(a, arg);
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_PID:
	case OPT_TID:
		if (parse_id_list(arg, ids, 1024, n))
			return usage_error(CMD, "invalid %s list '%s': expected numbers like "
					   "1234,5678", id == OPT_PID ? "pid" : "tid", arg);
		return 0;
	case OPT_CPU:
		if (cpuset_parse(&a->cpus, arg))
			return usage_error(CMD, "invalid CPU list '%s': expected CPU numbers "
					   "and ranges like 0,2-3", arg);
		a->cpus_given = a->all = true;
		return 0;
	case OPT_INTERVAL:
		if (parse_u64(arg, MIN_INTERVAL_MS, 86400000, &a->interval_ms))
			return usage_error(CMD, "invalid interval '%s': expected milliseconds "
					   "from %d to 86400000", arg, MIN_INTERVAL_MS);
		return 0;
	case OPT_SEP:
		if (!*arg)
			return usage_error(CMD, "option '-x' needs a separator");
		a->sep = arg;
		return 0;
	case OPT_OUTPUT:
		if (!*arg)
			return usage_error(CMD, "option '-o' needs a file name");
		a->output = arg;
		return 0;
	}
	return usage_error(CMD, "unhandled option %d", id);
}

static int parse_args(int argc, char **argv, struct stat_args *a)
{
	const struct cmdline cl = {
		.cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options),
		.flags = CMDLINE_STOP_AT_OPERAND, .handle = parse_one, .ctx = a,
	};
	struct cpuset online;
	int status, cpu;

	memset(a, 0, sizeof(*a));
	status = cmdline_parse(&cl, argc, argv);
	if (status)
		return status;
	if (optind < argc)
		a->command = argv + optind;
	if ((a->command != NULL) + (a->n_pids || a->n_tids) + (a->all && !a->command) > 1)
		return usage_error(CMD, "choose one of a command, -p/-t, or -a/-C");
	for (size_t i = 0, dflt = !a->n_evs; dflt && i < ARRAY_SIZE(default_events); i++) {
		status = add_event(a, default_events[i]);
		if (status)
			return status;
	}
	if (cpuset_online(&online)) {
		cmd_error(CMD, "cannot read the online CPUs");
		return EXIT_FAIL;
	}
	if (a->cpus_given) {
		cpuset_for_each(cpu, &a->cpus)
			if (!cpuset_has(&online, cpu))
				return usage_error(CMD, "CPU %d is not online", cpu);
	} else {
		a->cpus = online;
	}
	if (!a->command && !a->n_pids && !a->n_tids)
		a->all = true;
	return 0;
}

/* Every thread of the -p processes, and the -t threads. */
static int collect_tids(const struct stat_args *a, pid_t **out, size_t *n)
{
	pid_t *v = calloc(MAX_TIDS, sizeof(*v));

	*out = v;
	*n = 0;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < a->n_tids && *n < MAX_TIDS; i++)
		v[(*n)++] = (pid_t)a->tids[i];
	for (size_t i = 0; i < a->n_pids; i++) {
		char path[64];
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%u/task", a->pids[i]);
		d = opendir(path);
		if (!d)
			return -ESRCH;
		while ((de = readdir(d)) && *n < MAX_TIDS)
			if (de->d_name[0] != '.')
				v[(*n)++] = (pid_t)atoi(de->d_name);
		closedir(d);
	}
	return 0;
}

struct stat_run {
	struct stat_args *a;
	struct counter_set set;
	struct stat_print pr;
	uint64_t start_ns, last_ns;
	struct stat_row *rows;
};

/* Rows of the counts since the previous call (interval) or since the start. */
static int read_rows(struct stat_run *r, bool delta)
{
	for (size_t i = 0; i < r->set.n; i++) {
		struct counter *c = &r->set.v[i];
		struct stat_row *row = &r->rows[i];
		struct counter_value v, d;
		int err;

		row->c = c;
		row->counted = true;
		if (c->err)
			continue;
		err = counter_read(c, &v);
		if (err)
			return err;
		d = v;
		if (delta) {
			d.val -= c->last.val;
			d.ena -= c->last.ena;
			d.run -= c->last.run;
		}
		c->last = v;
		row->value = counter_scaled(&d, &row->pct);
		row->ena = d.ena;
		row->counted = d.run > 0 || !d.ena;
	}
	return 0;
}

static int print_interval(struct stat_run *r)
{
	uint64_t now = monotonic_ns();
	int err = read_rows(r, true);

	if (err)
		return err;
	r->pr.interval_s = (now - r->start_ns) / 1e9;
	stat_print_rows(&r->pr, r->rows, r->set.n, (double)(now - r->last_ns));
	fflush(r->pr.fp);
	r->last_ns = now;
	return 0;
}

static const char *target_text(const struct stat_args *a, char *buf, size_t size)
{
	size_t o = 0;

	if (a->command) {
		for (char **p = a->command; *p && o < size; p++)
			o += snprintf(buf + o, size - o, "%s%s", p == a->command ? "" : " ", *p);
		return buf;
	}
	if (a->n_pids || a->n_tids) {
		snprintf(buf, size, "%s %u%s", a->n_pids ? "process id" : "thread id",
			 a->n_pids ? a->pids[0] : a->tids[0],
			 a->n_pids + a->n_tids > 1 ? ",..." : "");
		return buf;
	}
	return a->cpus_given ? "CPU(s)" : "system wide";
}

static void print_final(struct stat_run *r, uint64_t elapsed, const struct rusage *ru)
{
	char what[4096];

	r->pr.interval_s = -1;
	if (!r->pr.sep) {
		fprintf(r->pr.fp, "\n Performance counter stats for '%s':\n\n",
			target_text(r->a, what, sizeof(what)));
	}
	stat_print_rows(&r->pr, r->rows, r->set.n, (double)elapsed);
	if (r->pr.sep)
		return;
	fprintf(r->pr.fp, "\n %17.9f seconds time elapsed\n", elapsed / 1e9);
	if (ru) {
		fprintf(r->pr.fp, "\n %17.9f seconds user\n",
			ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6);
		fprintf(r->pr.fp, " %17.9f seconds sys\n",
			ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6);
	}
	fputs("\n\n", r->pr.fp);
}

/* Wait for the target's end, a signal, or the next interval; true when over. */
static bool wait_step(struct stat_run *r, int pidfd, pid_t child, int *wstatus,
		      struct rusage *ru, bool *done)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int timeout = -1, n = 0;

	if (r->a->interval_ms) {
		uint64_t due = r->last_ns + r->a->interval_ms * 1000000ull, now = monotonic_ns();

		timeout = due > now ? (int)((due - now + 999999) / 1000000) : 0;
	}
	/* Blocking, never polling: our own wakeups would count as the target's. */
	if (pidfd >= 0 || timeout >= 0 || child <= 0)
		n = poll(&pfd, pidfd >= 0, timeout);
	if (child > 0) {
		bool block = pidfd < 0 && timeout < 0;

		if (wait4(child, wstatus, block ? 0 : WNOHANG, ru) == child)
			*done = true;
	} else if (pidfd >= 0 && n > 0 && (pfd.revents & POLLIN)) {
		*done = true;	/* the -p process exited */
	}
	return *done || stop_requested;
}

static int open_counters(struct stat_run *r, pid_t child)
{
	struct stat_args *a = r->a;
	struct counter_target t = { 0 };
	pid_t *tids = NULL;
	size_t n = 0, bad = 0;
	int err;

	if (a->all) {
		t.cpus = &a->cpus;
	} else if (child > 0) {
		t.tids = &child;
		t.n_tids = 1;
		t.enable_on_exec = true;
	} else {
		err = collect_tids(a, &tids, &n);
		if (err) {
			free(tids);
			cmd_error(CMD, "cannot find the threads to count: %s", strerror(-err));
			return EXIT_FAIL;
		}
		t.tids = tids;
		t.n_tids = n;
	}
	err = counters_open(&r->set, a->evs, a->n_evs, &t, &bad);
	free(tids);
	if (err == -EACCES || err == -EPERM) {
		cmd_error(CMD, "counting '%s' was refused (%s): it needs CAP_PERFMON while "
			  "kernel.perf_event_paranoid is above %s", a->evs[bad].name, strerror(-err),
			  a->all ? "0" : "1");
		return EXIT_FAIL;
	}
	if (err) {
		cmd_error(CMD, "cannot count '%s': %s", err == -ENOMEM ? "events" :
			  a->evs[bad].name, strerror(-err));
		return EXIT_FAIL;
	}
	if (!t.enable_on_exec && counters_enable(&r->set)) {
		cmd_error(CMD, "cannot start counting: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return 0;
}

static int run(struct stat_run *r, struct workload *wl)
{
	struct stat_args *a = r->a;
	struct rusage ru;
	bool done = false;
	int wstatus = 0, pidfd = -1, err = 0, status;

	status = open_counters(r, wl->pid);
	if (status)
		return status;
	r->start_ns = r->last_ns = monotonic_ns();
	if (a->command) {
		err = workload_start(wl);
		if (err) {
			wl->pid = 0;
			cmd_error(CMD, "cannot run '%s': %s", a->command[0], strerror(-err));
			return err == -ENOENT ? 127 : 126;
		}
	}
	if (a->command || a->n_pids)
		pidfd = (int)syscall(SYS_pidfd_open, a->command ? (uint32_t)wl->pid : a->pids[0], 0);
	if (a->interval_ms)
		stat_print_interval_header(&r->pr);
	while (!wait_step(r, pidfd, wl->pid, &wstatus, &ru, &done)) {
		if (a->interval_ms && monotonic_ns() - r->last_ns >= a->interval_ms * 1000000ull &&
		    (err = print_interval(r)))
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	if (a->interval_ms && done && !err)
		err = print_interval(r);
	if (!a->interval_ms) {
		uint64_t elapsed = monotonic_ns() - r->start_ns;

		err = read_rows(r, false);
		if (!err)
			print_final(r, elapsed, a->command && done ? &ru : NULL);
	}
	if (err) {
		cmd_error(CMD, "cannot read the counters: %s", strerror(-err));
		if (!a->command || done)
			return EXIT_FAIL;
	}
	if (a->command && !done) {
		/* Stopped by a signal: wait for the command as perf does. */
		if (waitpid(wl->pid, &wstatus, 0) == wl->pid)
			done = true;
	}
	if (a->command)
		return done && !err ? exit_as_child(wstatus) : EXIT_FAIL;
	return stop_requested == SIGINT ? 128 + SIGINT : EXIT_OK;
}

int cmd_stat(int argc, char **argv)
{
	struct workload wl = { .pid = 0, .go_fd = -1, .err_fd = -1 };
	struct stat_args *a = calloc(1, sizeof(*a));
	struct stat_run r = { 0 };
	int status;

	if (!a)
		return EXIT_FAIL;
	status = parse_args(argc, argv, a);
	if (status) {
		free(a);
		return cmdline_exit(status);
	}
	if (kernel_check(CMD, KF_USE_COUNT)) {
		free(a);
		return EXIT_FAIL;
	}
	r.a = a;
	r.pr.fp = stderr;
	r.pr.sep = a->sep;
	r.pr.system_wide = a->all;
	r.rows = calloc(a->n_evs, sizeof(*r.rows));
	if (!r.rows) {
		status = EXIT_FAIL;
		goto out;
	}
	if (a->output) {
		r.pr.fp = fopen(a->output, "we");
		if (!r.pr.fp) {
			cmd_error(CMD, "cannot create '%s': %s", a->output, strerror(errno));
			status = EXIT_FAIL;
			goto out;
		}
	}
	install_stop_handlers();
	if (a->command) {
		int err = workload_prepare(&wl, a->command);

		if (err) {
			cmd_error(CMD, "cannot start '%s': %s", a->command[0], strerror(-err));
			status = EXIT_FAIL;
			goto out;
		}
		/* Ctrl+C reaches the command; stat reports once it is gone. */
		signal(SIGINT, SIG_IGN);
	}
	status = run(&r, &wl);
	if (status && wl.pid > 0 && !r.set.n)
		workload_abort(&wl);
out:
	counters_close(&r.set);
	if (r.pr.fp && r.pr.fp != stderr && fclose(r.pr.fp) && !status) {
		cmd_error(CMD, "cannot write '%s': %s", a->output, strerror(errno));
		status = EXIT_FAIL;
	}
	free(r.rows);
	free(a);
	return status;
}
