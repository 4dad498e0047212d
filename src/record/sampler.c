#include "config.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "profile.skel.h"
#include "record/sampler.h"
#include "lib/util.h"

#define DEFAULT_RINGBUF_BYTES (8u << 20)
/* Stacks that found the allocator empty (bpf/stackcount.bpf.h): 1 KiB each. */
#define SPARE_STACK_SLOTS 1024

struct sampler {
	struct profile_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link **links;	/* one per possible CPU, NULL where none */
	int *fds;			/* perf event fds, -1 where none */
	int nr_possible;
	int nr_attached;
	sampler_sample_fn on_sample;
	void *ctx;
};

static int perf_event_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(__NR_perf_event_open, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct sampler *s = ctx;
	const struct profile_sample *sample = data;
	size_t frames;

	if (size < sizeof(*sample))
		return 0;
	frames = (size_t)sample->n_kernel + sample->n_user;
	if (frames > 2 * PROFILE_MAX_FRAMES || size < sizeof(*sample) + frames * sizeof(uint64_t))
		return 0;
	return s->on_sample(s->ctx, sample, (const uint64_t *)(sample + 1));
}

static int fill_filter(int map_fd, const uint32_t *ids, size_t n)
{
	uint8_t one = 1;

	for (size_t i = 0; i < n; i++)
		if (bpf_map_update_elem(map_fd, &ids[i], &one, BPF_ANY))
			return -errno;
	return 0;
}

/* Size maps and set the read-only config before the verifier sees them. */
static int configure(struct profile_bpf *skel, const struct sampler_opts *o)
{
	size_t rb = o->ringbuf_bytes ? o->ringbuf_bytes : DEFAULT_RINGBUF_BYTES;
	int err = 0;

	skel->rodata->aggregate = o->aggregate;
	skel->rodata->stream = o->stream;
	skel->rodata->callchain = o->callchain;
	skel->rodata->unwind_cfi = o->callchain && o->unwind_rows;
	skel->rodata->filter_pid = o->n_pids > 0;
	skel->rodata->filter_tid = o->n_tids > 0;
	skel->rodata->wakeup_bytes = rb / 8;
	skel->rodata->count_stacks = o->count_stacks;
	if (o->stack_id_mask)
		skel->rodata->stack_id_mask = o->stack_id_mask;

	/* Unused maps still cost kernel memory: shrink them. */
	if (!o->aggregate) {
		err = err ?: bpf_map__set_max_entries(skel->maps.proc_counts, 1);
		err = err ?: bpf_map__set_max_entries(skel->maps.ip_counts, 1);
	}
	err = err ?: bpf_map__set_max_entries(skel->maps.stack_frames,
					      o->count_stacks ? o->stack_slots : 1);
	err = err ?: bpf_map__set_max_entries(skel->maps.stack_spare,
					      o->count_stacks ? SPARE_STACK_SLOTS : 1);
	err = err ?: bpf_map__set_max_entries(skel->maps.stack_counts0,
					      o->count_stacks ? o->count_slots : 1);
	err = err ?: bpf_map__set_max_entries(skel->maps.stack_counts1,
					      o->count_stacks ? o->count_slots : 1);
	if (skel->rodata->unwind_cfi) {
		err = err ?: bpf_map__set_max_entries(skel->maps.unwind_rows, o->unwind_rows);
		err = err ?: bpf_map__set_max_entries(skel->maps.unwind_files, o->unwind_files);
		err = err ?: bpf_map__set_max_entries(skel->maps.unwind_inodes, o->unwind_files);
		err = err ?: bpf_map__set_max_entries(skel->maps.unwind_procs, o->unwind_procs);
	}
	if (!o->stream)
		rb = (size_t)sysconf(_SC_PAGESIZE);
	err = err ?: bpf_map__set_max_entries(skel->maps.events, rb);
	if (o->follow_forks)
		err = err ?: bpf_map__set_max_entries(skel->maps.pids, 65536);
	else {
		bpf_program__set_autoload(skel->progs.ebpftool_fork, false);
		bpf_program__set_autoload(skel->progs.ebpftool_exit, false);
	}
	return err;
}

static int open_events(struct sampler *s, const struct sampler_opts *o, struct sampler_error *e)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = o->event->type,
		.config = o->event->config,
		.freq = 1,
		.sample_freq = o->freq,
	};
	int cpu;

	cpuset_for_each(cpu, &o->cpus) {
		struct bpf_link *link;
		int fd;

		if (cpu >= s->nr_possible)
			break;
		fd = perf_event_open(&attr, cpu);
		if (fd < 0) {
			if (errno == ENODEV)	/* went offline since we looked */
				continue;
			e->step = SAMPLER_STEP_EVENT;
			e->cpu = cpu;
			return -errno;
		}
		s->fds[cpu] = fd;
		link = bpf_program__attach_perf_event(s->skel->progs.ebpftool_sample, fd);
		if (!link) {
			e->step = SAMPLER_STEP_ATTACH;
			e->cpu = cpu;
			return -errno;
		}
		s->links[cpu] = link;
		s->nr_attached++;
	}
	return s->nr_attached ? 0 : -ENODEV;
}

int sampler_new(struct sampler **out, const struct sampler_opts *o, struct sampler_error *e)
{
	struct sampler *s;
	int err;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->on_sample = o->on_sample;
	s->ctx = o->ctx;
	s->nr_possible = libbpf_num_possible_cpus();
	if (s->nr_possible <= 0) {
		err = s->nr_possible ? s->nr_possible : -ENODEV;
		goto fail;
	}
	s->links = calloc(s->nr_possible, sizeof(*s->links));
	s->fds = malloc(s->nr_possible * sizeof(*s->fds));
	if (!s->links || !s->fds) {
		err = -ENOMEM;
		goto fail;
	}
	for (int i = 0; i < s->nr_possible; i++)
		s->fds[i] = -1;

	e->step = SAMPLER_STEP_OPEN;
	s->skel = profile_bpf__open();
	if (!s->skel) {
		err = -errno;
		goto fail;
	}
	err = configure(s->skel, o);
	if (err)
		goto fail;
	e->step = SAMPLER_STEP_LOAD;
	err = profile_bpf__load(s->skel);
	if (err)
		goto fail;
	err = fill_filter(bpf_map__fd(s->skel->maps.pids), o->pids, o->n_pids);
	err = err ?: fill_filter(bpf_map__fd(s->skel->maps.tids), o->tids, o->n_tids);
	if (err)
		goto fail;
	if (o->follow_forks) {
		e->step = SAMPLER_STEP_ATTACH;
		/* The skeleton owns the link and destroys it with itself. */
		s->skel->links.ebpftool_fork = bpf_program__attach(s->skel->progs.ebpftool_fork);
		if (!s->skel->links.ebpftool_fork) {
			err = -errno;
			goto fail;
		}
		s->skel->links.ebpftool_exit = bpf_program__attach(s->skel->progs.ebpftool_exit);
		if (!s->skel->links.ebpftool_exit) {
			err = -errno;
			goto fail;
		}
	}
	if (o->stream) {
		s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_ringbuf, s, NULL);
		if (!s->rb) {
			err = -errno;
			goto fail;
		}
	}
	err = o->no_events ? 0 : open_events(s, o, e);
	if (err)
		goto fail;
	e->step = SAMPLER_STEP_NONE;
	*out = s;
	return 0;
fail:
	sampler_free(s);
	return err < 0 ? err : -EINVAL;
}

void sampler_stop(struct sampler *s)
{
	for (int i = 0; s->links && i < s->nr_possible; i++) {
		bpf_link__destroy(s->links[i]);
		s->links[i] = NULL;
	}
	for (int i = 0; s->fds && i < s->nr_possible; i++) {
		if (s->fds[i] >= 0)
			close(s->fds[i]);
		s->fds[i] = -1;
	}
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	/* Detach first so no sample arrives while the rest goes away. */
	sampler_stop(s);
	ring_buffer__free(s->rb);
	profile_bpf__destroy(s->skel);
	free(s->links);
	free(s->fds);
	free(s);
}

int sampler_nr_attached(const struct sampler *s)
{
	return s->nr_attached;
}

int sampler_poll(struct sampler *s, int timeout_ms, int wake_fd, int wake_fd2)
{
	struct pollfd p[3] = { { .fd = -1 }, { .fd = wake_fd, .events = POLLIN },
			       { .fd = wake_fd2, .events = POLLIN } };

	if (!s->rb)
		return -EINVAL;
	p[0] = (struct pollfd){ .fd = ring_buffer__epoll_fd(s->rb), .events = POLLIN };
	/*
	 * The BPF side wakes us only when the buffer fills up, to save a
	 * wakeup per sample: after the wait, take whatever is there anyway.
	 * The ring buffer's epoll fd is readable when one of its rings is.
	 */
	/* poll() skips entries with a negative fd. */
	if (poll(p, 3, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return ring_buffer__consume(s->rb);
}

int sampler_stats_read_fd(int fd, struct sampler_stats *st, uint64_t *per_cpu, int nr_cpus)
{
	uint64_t *vals, *sum[PROFILE_STAT__MAX] = {
		[PROFILE_STAT_SAMPLES] = &st->samples,
		[PROFILE_STAT_LOST_RINGBUF] = &st->lost_ringbuf,
		[PROFILE_STAT_LOST_MAP] = &st->lost_map,
		[PROFILE_STAT_STACK_TRUNCATED] = &st->stack_truncated,
		[PROFILE_STAT_STACK_ERROR] = &st->stack_error,
		[PROFILE_STAT_UNWIND_CFI] = &st->unwind_cfi,
		[PROFILE_STAT_UNWIND_FP] = &st->unwind_fp,
		[PROFILE_STAT_UNWIND_STOP_READ] = &st->unwind_stop[0],
		[PROFILE_STAT_UNWIND_STOP_RULE] = &st->unwind_stop[1],
		[PROFILE_STAT_UNWIND_STOP_NO_MAPPING] = &st->unwind_stop[2],
		[PROFILE_STAT_UNWIND_STOP_FRAME_POINTER] = &st->unwind_stop[3],
		[PROFILE_STAT_UNWIND_STOP_DEPTH] = &st->unwind_stop[4],
		[PROFILE_STAT_STACK_COLLISION] = &st->stack_collision,
		[PROFILE_STAT_LOST_COLLISION] = &st->lost_collision,
	};
	int nr_possible = libbpf_num_possible_cpus();

	memset(st, 0, sizeof(*st));
	if (nr_possible <= 0)
		return nr_possible ? nr_possible : -ENODEV;
	if (per_cpu)
		memset(per_cpu, 0, nr_cpus * sizeof(*per_cpu));
	vals = calloc(nr_possible, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t key = 0; key < PROFILE_STAT__MAX; key++) {
		if (bpf_map_lookup_elem(fd, &key, vals)) {
			int err = -errno;

			free(vals);
			return err;
		}
		for (int cpu = 0; cpu < nr_possible; cpu++) {
			*sum[key] += vals[cpu];
			if (key == PROFILE_STAT_SAMPLES && per_cpu && cpu < nr_cpus)
				per_cpu[cpu] = vals[cpu];
		}
	}
	free(vals);
	return 0;
}

int sampler_read_stats(struct sampler *s, struct sampler_stats *st, uint64_t *per_cpu, int nr_cpus)
{
	return sampler_stats_read_fd(bpf_map__fd(s->skel->maps.stats), st, per_cpu, nr_cpus);
}

int sampler_filter_fds(const struct sampler *s, int *pids_fd, int *tids_fd)
{
	*pids_fd = bpf_map__fd(s->skel->maps.pids);
	*tids_fd = bpf_map__fd(s->skel->maps.tids);
	return *pids_fd < 0 || *tids_fd < 0 ? -EINVAL : 0;
}

int sampler_unwind_fds(const struct sampler *s, struct sampler_unwind_fds *fds)
{
	if (!s->skel->rodata->unwind_cfi)
		return -ENOENT;
	fds->rows = bpf_map__fd(s->skel->maps.unwind_rows);
	fds->files = bpf_map__fd(s->skel->maps.unwind_files);
	fds->procs = bpf_map__fd(s->skel->maps.unwind_procs);
	fds->inodes = bpf_map__fd(s->skel->maps.unwind_inodes);
	return fds->rows < 0 || fds->files < 0 || fds->procs < 0 || fds->inodes < 0 ? -EINVAL : 0;
}

int sampler_stackcount_fds(const struct sampler *s, struct sampler_stackcount_fds *fds)
{
	if (!s->skel->rodata->count_stacks)
		return -ENOENT;
	fds->stacks = bpf_map__fd(s->skel->maps.stack_frames);
	fds->spare = bpf_map__fd(s->skel->maps.stack_spare);
	fds->counts[0] = bpf_map__fd(s->skel->maps.stack_counts0);
	fds->counts[1] = bpf_map__fd(s->skel->maps.stack_counts1);
	return fds->stacks < 0 || fds->spare < 0 || fds->counts[0] < 0 || fds->counts[1] < 0 ?
	       -EINVAL : 0;
}

void sampler_stackcount_switch(struct sampler *s, unsigned int which)
{
	/* .bss is mapped: the next sample on any CPU reads it. */
	__atomic_store_n(&s->skel->bss->counts_active, which & 1, __ATOMIC_RELEASE);
}

int sampler_add_ringbuf(struct sampler *s, int map_fd, int (*fn)(void *ctx, void *data, size_t size),
			void *ctx)
{
	if (!s->rb)
		return -EINVAL;
	return ring_buffer__add(s->rb, map_fd, fn, ctx);
}

bool sampler_has_pid(const struct sampler *s, uint32_t pid)
{
	uint8_t v;

	return !bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.pids), &pid, &v);
}

int sampler_add_pid(struct sampler *s, uint32_t pid)
{
	return fill_filter(bpf_map__fd(s->skel->maps.pids), &pid, 1);
}

int sampler_for_each_proc(struct sampler *s, sampler_proc_fn fn, void *ctx)
{
	int fd = bpf_map__fd(s->skel->maps.proc_counts);
	uint32_t key, *prev = NULL;
	struct profile_proc_value v;
	char comm[PROFILE_COMM_LEN + 1];
	int err;

	while (!bpf_map_get_next_key(fd, prev, &key)) {
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;	/* deleted meanwhile */
		memcpy(comm, v.comm, PROFILE_COMM_LEN);
		comm[PROFILE_COMM_LEN] = '\0';
		err = fn(ctx, key, comm, v.count);
		if (err)
			return err;
	}
	return errno == ENOENT ? 0 : -errno;
}

int sampler_for_each_ip(struct sampler *s, sampler_ip_fn fn, void *ctx)
{
	int fd = bpf_map__fd(s->skel->maps.ip_counts);
	struct profile_ip_key key, *prev = NULL;
	uint64_t count;
	int err;

	while (!bpf_map_get_next_key(fd, prev, &key)) {
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		err = fn(ctx, key.pid, key.ip, key.is_kernel, count);
		if (err)
			return err;
	}
	return errno == ENOENT ? 0 : -errno;
}

int sampler_filter_count(struct sampler *s)
{
	uint32_t key, next;
	int fd, n = 0;

	if (!s || !s->skel)
		return -EINVAL;
	fd = bpf_map__fd(s->skel->maps.pids);
	/* Bounded by the map's size: a key deleted meanwhile restarts the walk at most once each. */
	for (void *prev = NULL; n <= 65536 && !bpf_map_get_next_key(fd, prev, &next); n++) {
		key = next;
		prev = &key;
	}
	return n;
}
