#include "config.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "record/sideband.h"
#include "lib/util.h"

/* Every record carries sample_id: pid, tid (PERF_SAMPLE_TID), time. */
struct sample_id {
	uint32_t pid, tid;
	uint64_t time;
};

struct ring {
	int fd;
	void *base;			/* metadata page, then the data pages */
	size_t size;			/* data bytes, a power of two */
};

/* A record copied out of its ring, to be delivered in time order. */
struct pending {
	uint64_t time;
	size_t off;			/* into sideband.copy */
	uint32_t seq;			/* ties keep ring order */
};

struct sideband {
	struct ring *rings;
	int nr_rings;
	size_t page;
	const struct sideband_ops *ops;
	void *ctx;
	/*
	 * Each CPU has its own ring: a process that execs on one CPU and maps
	 * its libraries on another would otherwise have its new mappings seen
	 * before its exec.  Records are gathered from every ring and sorted.
	 */
	uint8_t *copy;
	size_t copy_len, copy_cap;
	struct pending *pend;
	size_t nr_pend, cap_pend;
	int epfd;			/* readable when a ring has records, or -1 */
};

static int open_dummy(int cpu, bool build_id, bool prompt)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_DUMMY,
		.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME,
		.sample_id_all = 1,
		.mmap = 1,
		.mmap2 = 1,
		.comm = 1,
		.comm_exec = 1,
		.task = 1,
		.build_id = build_id,
		.use_clockid = 1,
		.clockid = CLOCK_MONOTONIC,
		.watermark = 1,
		.wakeup_watermark = prompt ? 1 : 4096,
	};

	return syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static int ring_open(struct ring *r, int cpu, unsigned int pages, size_t page, bool prompt)
{
	r->fd = open_dummy(cpu, true, prompt);
	if (r->fd < 0 && errno == EINVAL)	/* kernels before 5.12: no build-ids */
		r->fd = open_dummy(cpu, false, prompt);
	if (r->fd < 0)
		return -errno;
	r->size = (size_t)pages * page;
	r->base = mmap(NULL, r->size + page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		return -errno;
	}
	return 0;
}

int sideband_new(struct sideband **out, const struct cpuset *cpus, unsigned int pages,
		 bool prompt, const struct sideband_ops *ops, void *ctx)
{
	struct sideband *sb;
	int cpu, err;

	if (!pages || (pages & (pages - 1)))
		return -EINVAL;
	sb = calloc(1, sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->epfd = -1;
	sb->page = sysconf(_SC_PAGESIZE);
	sb->ops = ops;
	sb->ctx = ctx;
	sb->rings = calloc(cpuset_count(cpus), sizeof(*sb->rings));
	if (!sb->rings) {
		free(sb);
		return -ENOMEM;
	}
	cpuset_for_each(cpu, cpus) {
		struct ring *r = &sb->rings[sb->nr_rings];

		err = ring_open(r, cpu, pages, sb->page, prompt);
		if (err == -ENODEV) {	/* went offline */
			if (r->fd >= 0)
				close(r->fd);
			continue;
		}
		sb->nr_rings++;
		if (err) {
			sideband_free(sb);
			return err;
		}
	}
	sb->epfd = epoll_create1(EPOLL_CLOEXEC);
	for (int i = 0; sb->epfd >= 0 && i < sb->nr_rings; i++) {
		struct epoll_event ev = { .events = EPOLLIN };

		if (epoll_ctl(sb->epfd, EPOLL_CTL_ADD, sb->rings[i].fd, &ev)) {
			close(sb->epfd);
			sb->epfd = -1;
		}
	}
	*out = sb;
	return 0;
}

int sideband_poll_fd(const struct sideband *sb)
{
	return sb->epfd;
}

void sideband_free(struct sideband *sb)
{
	if (!sb)
		return;
	for (int i = 0; i < sb->nr_rings; i++) {
		if (sb->rings[i].base)
			munmap(sb->rings[i].base, sb->rings[i].size + sb->page);
		if (sb->rings[i].fd >= 0)
			close(sb->rings[i].fd);
	}
	if (sb->epfd >= 0)
		close(sb->epfd);
	free(sb->rings);
	free(sb->copy);
	free(sb->pend);
	free(sb);
}

/* The trailing sample_id of a record of size bytes. */
static struct sample_id tail_id(const uint8_t *rec, size_t size)
{
	struct sample_id id = { 0 };

	if (size >= sizeof(struct perf_event_header) + sizeof(id))
		memcpy(&id, rec + size - sizeof(id), sizeof(id));
	return id;
}

/* A NUL-terminated string inside [p, end), or NULL. */
static const char *str_in(const uint8_t *p, const uint8_t *end)
{
	return p < end && memchr(p, '\0', end - p) ? (const char *)p : NULL;
}

struct mmap2_body {
	uint32_t pid, tid;
	uint64_t addr, len, pgoff;
	union {
		struct {
			uint32_t maj, min;
			uint64_t ino, ino_generation;
		};
		struct {
			uint8_t build_id_size, res1;
			uint16_t res2;
			uint8_t build_id[20];
		};
	};
	uint32_t prot, flags;
};

static int on_mmap2(struct sideband *sb, const struct perf_event_header *h, const uint8_t *rec)
{
	const uint8_t *end = rec + h->size - sizeof(struct sample_id);
	struct sideband_mmap m = { 0 };
	struct mmap2_body b;

	if (h->size < sizeof(*h) + sizeof(b) + sizeof(struct sample_id) || !sb->ops->mmap)
		return 0;
	memcpy(&b, rec + sizeof(*h), sizeof(b));
	m.path = str_in(rec + sizeof(*h) + sizeof(b), end);
	if (!m.path)
		return 0;
	m.pid = b.pid;
	m.tid = b.tid;
	m.start = b.addr;
	m.len = b.len;
	m.pgoff = b.pgoff;
	m.prot = b.prot;
	if (h->misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
		m.build_id = b.build_id;
		m.build_id_len = b.build_id_size <= 20 ? b.build_id_size : 20;
	} else {
		m.maj = b.maj;
		m.min = b.min;
		m.ino = b.ino;
	}
	m.time_ns = tail_id(rec, h->size).time;
	return sb->ops->mmap(sb->ctx, &m);
}

static int dispatch(struct sideband *sb, const uint8_t *rec)
{
	const struct perf_event_header *h = (const void *)rec;
	const uint8_t *end = rec + h->size;
	struct sample_id id = tail_id(rec, h->size);
	uint32_t w[4];
	uint64_t lost[2];
	const char *comm;

	switch (h->type) {
	case PERF_RECORD_MMAP2:
		return on_mmap2(sb, h, rec);
	case PERF_RECORD_COMM:
		if (h->size < sizeof(*h) + 8 + sizeof(id) || !sb->ops->comm)
			return 0;
		memcpy(w, rec + sizeof(*h), 8);
		comm = str_in(rec + sizeof(*h) + 8, end - sizeof(id));
		return comm ? sb->ops->comm(sb->ctx, w[0], w[1], comm,
					    h->misc & PERF_RECORD_MISC_COMM_EXEC, id.time) : 0;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (h->size < sizeof(*h) + 16)
			return 0;
		memcpy(w, rec + sizeof(*h), 16);	/* pid, ppid, tid, ptid */
		if (h->type == PERF_RECORD_FORK)
			return sb->ops->fork ? sb->ops->fork(sb->ctx, w[0], w[1], w[2], id.time) : 0;
		return sb->ops->exit ? sb->ops->exit(sb->ctx, w[0], w[2], id.time) : 0;
	case PERF_RECORD_LOST:
		if (h->size < sizeof(*h) + 16 || !sb->ops->lost)
			return 0;
		memcpy(lost, rec + sizeof(*h), 16);	/* id, count */
		return sb->ops->lost(sb->ctx, lost[1]);
	}
	return 0;
}

static int gather(struct sideband *sb, const uint8_t *rec, size_t first, const uint8_t *rest,
		  size_t size)
{
	struct pending *p;

	if (grow_array((void **)&sb->copy, &sb->copy_cap, sb->copy_len + size, 1) ||
	    grow_array((void **)&sb->pend, &sb->cap_pend, sb->nr_pend + 1, sizeof(*sb->pend)))
		return -ENOMEM;
	memcpy(sb->copy + sb->copy_len, rec, first);
	memcpy(sb->copy + sb->copy_len + first, rest, size - first);
	p = &sb->pend[sb->nr_pend];
	p->time = tail_id(sb->copy + sb->copy_len, size).time;
	p->off = sb->copy_len;
	p->seq = sb->nr_pend++;
	sb->copy_len += size;
	return 0;
}

static int ring_gather(struct sideband *sb, struct ring *r)
{
	struct perf_event_mmap_page *meta = r->base;
	const uint8_t *data = (const uint8_t *)r->base + sb->page;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = meta->data_tail;
	int err = 0;

	while (tail < head && !err) {
		struct perf_event_header h;
		size_t off = tail & (r->size - 1);
		size_t first = r->size - off;

		if (first >= sizeof(h)) {
			memcpy(&h, data + off, sizeof(h));
		} else {
			memcpy(&h, data + off, first);
			memcpy((uint8_t *)&h + first, data, sizeof(h) - first);
		}
		if (h.size < sizeof(h) || h.size > head - tail)
			break;	/* cannot happen with a sane kernel: stop, never loop */
		err = gather(sb, data + off, h.size < first ? h.size : first, data, h.size);
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
	return err;
}

static int pending_cmp(const void *pa, const void *pb)
{
	const struct pending *a = pa, *b = pb;

	if (a->time != b->time)
		return (a->time > b->time) - (a->time < b->time);
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int sideband_drain(struct sideband *sb)
{
	int err = 0, n;

	for (int i = 0; i < sb->nr_rings && !err; i++)
		err = ring_gather(sb, &sb->rings[i]);
	if (sb->nr_pend > 1)
		qsort(sb->pend, sb->nr_pend, sizeof(*sb->pend), pending_cmp);
	for (size_t i = 0; i < sb->nr_pend && !err; i++)
		err = dispatch(sb, sb->copy + sb->pend[i].off);
	n = sb->nr_pend;
	sb->nr_pend = 0;
	sb->copy_len = 0;
	return err ? err : n;
}
