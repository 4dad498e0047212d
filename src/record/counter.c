#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "record/counter.h"
#include "record/events.h"
#include "lib/util.h"

static const char *const tracefs_dirs[] = {
	"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events",
};

const char *tracefs_events_dir(void)
{
	static bool tried;
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(tracefs_dirs); i++)
		if (!stat(tracefs_dirs[i], &st) && S_ISDIR(st.st_mode))
			return tracefs_dirs[i];
	/* perf mounts tracefs where the kernel made room for it; so do we, once. */
	if (!tried) {
		tried = true;
		if (!mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) &&
		    !stat(tracefs_dirs[0], &st))
			return tracefs_dirs[0];
	}
	return NULL;
}

static bool valid_word(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
		== strlen(s);
}

int tracepoint_id(const char *sys, const char *name, uint64_t *id)
{
	const char *dir;
	char path[512];
	long long v;

	if (!valid_word(sys) || !valid_word(name))
		return -ENOENT;
	dir = tracefs_events_dir();
	if (!dir)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/%s/%s/id", dir, sys, name);
	if (read_file_int(path, &v) || v < 0)
		return -ENOENT;
	*id = (uint64_t)v;
	return 0;
}

int counter_event_parse(const char *name, struct counter_event *ev)
{
	const struct event_desc *d;
	const char *colon = strchr(name, ':');
	char sys[64];
	int err;

	memset(ev, 0, sizeof(*ev));
	if (strlen(name) >= sizeof(ev->name))
		return -ENAMETOOLONG;
	strcpy(ev->name, name);
	if (!colon) {
		if (event_lookup(name, &d))
			return -ENOENT;
		strcpy(ev->name, d->name);
		ev->type = d->type;
		ev->config = d->config;
		ev->hardware = d->hardware;
		return 0;
	}
	if ((size_t)(colon - name) >= sizeof(sys))
		return -ENOENT;
	snprintf(sys, sizeof(sys), "%.*s", (int)(colon - name), name);
	ev->type = PERF_TYPE_TRACEPOINT;
	err = tracepoint_id(sys, colon + 1, &ev->config);
	return err;
}

static int open_one(const struct counter_event *ev, pid_t pid, int cpu, bool enable_on_exec)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = ev->type,
		.config = ev->config,
		.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING,
		.disabled = 1,
		.inherit = pid >= 0,
		.enable_on_exec = enable_on_exec,
		/* Like perf stat without privileges: user space only if we must. */
	};
	int fd = (int)syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static bool not_supported(const struct counter_event *ev, int err)
{
	return err == -ENOENT || err == -EOPNOTSUPP || err == -ENODEV ||
	       (ev->hardware && err == -EINVAL);
}

static int open_counter(struct counter *c, const struct counter_target *t)
{
	size_t n = t->cpus ? (size_t)cpuset_count(t->cpus) : t->n_tids;
	int cpu = -1, fd;

	c->fds = calloc(n ? n : 1, sizeof(*c->fds));
	if (!c->fds)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (t->cpus)
			cpu = cpuset_next(t->cpus, cpu + 1);
		fd = open_one(&c->ev, t->cpus ? -1 : t->tids[i], t->cpus ? cpu : -1,
			      t->enable_on_exec);
		if (fd == -ESRCH && !t->cpus)
			continue;	/* a thread that exited meanwhile */
		if (fd < 0)
			return fd;
		c->fds[c->n_fds++] = fd;
	}
	return 0;
}

int counters_open(struct counter_set *set, const struct counter_event *evs, size_t n,
		  const struct counter_target *t, size_t *bad)
{
	int err;

	memset(set, 0, sizeof(*set));
	set->v = calloc(n ? n : 1, sizeof(*set->v));
	if (!set->v)
		return -ENOMEM;
	set->n = n;
	for (size_t i = 0; i < n; i++) {
		struct counter *c = &set->v[i];

		c->ev = evs[i];
		err = open_counter(c, t);
		if (err && not_supported(&c->ev, err)) {
			for (size_t j = 0; j < c->n_fds; j++)
				close(c->fds[j]);
			c->n_fds = 0;
			c->err = -EOPNOTSUPP;
			continue;
		}
		if (err) {
			*bad = i;
			c->err = err;
			return err;
		}
	}
	return 0;
}

void counters_close(struct counter_set *set)
{
	for (size_t i = 0; set->v && i < set->n; i++) {
		for (size_t j = 0; j < set->v[i].n_fds; j++)
			close(set->v[i].fds[j]);
		free(set->v[i].fds);
	}
	free(set->v);
	memset(set, 0, sizeof(*set));
}

int counters_enable(struct counter_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->v[i].n_fds; j++)
			if (ioctl(set->v[i].fds[j], PERF_EVENT_IOC_ENABLE, 0))
				return -errno;
	return 0;
}

int counter_read(struct counter *c, struct counter_value *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t j = 0; j < c->n_fds; j++) {
		uint64_t buf[3];
		ssize_t n = read(c->fds[j], buf, sizeof(buf));

		if (n < 0)
			return -errno;
		if (n != sizeof(buf))
			return -EIO;
		v->val += buf[0];
		v->ena += buf[1];
		v->run += buf[2];
	}
	return 0;
}

double counter_scaled(const struct counter_value *v, double *pct)
{
	*pct = v->ena ? 100.0 * (double)v->run / (double)v->ena : 100.0;
	if (v->run && v->run < v->ena)
		return (double)v->val * (double)v->ena / (double)v->run;
	return (double)v->val;
}
