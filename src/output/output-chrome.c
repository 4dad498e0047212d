/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Chrome Trace Event JSON (see output-chrome.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/escape.h"
#include "report/flametree.h"
#include "output/output-chrome.h"
#include "lib/u64map.h"
#include "lib/util.h"

/* A sample's event, written when the thread's next sample says how long. */
struct pending {
	uint64_t ts;
	uint64_t weight;
	uint32_t cpu;
	uint32_t frame;		/* the leaf's node: its "sf" */
	bool valid;
	const struct sess_src_frame *src;	/* the leaf's source line, or NULL */
};

struct thread {
	uint32_t pid, tid;
	struct pending ev;
};

/* What ran on a CPU since start: one event per run of one thread. */
struct cpu_run {
	uint64_t start, last;
	uint32_t pid, tid;
	const char *comm;
	bool valid;
};

struct chrome {
	FILE *f;
	struct chrome_opts o;
	struct flametree frames;	/* the stacks, for "stackFrames" */
	struct u64map tids;		/* tid -> index + 1 into threads */
	struct thread *threads;
	size_t n_threads, cap_threads;
	struct cpu_run *cpus;
	uint32_t n_cpus;		/* highest seen + 1 */
	uint64_t base;			/* time 0 of the trace */
	bool based;
	bool comma;			/* an event was written */
};

int chrome_new(struct chrome **out, FILE *f, const struct chrome_opts *o)
{
	struct chrome *c = calloc(1, sizeof(*c));

	if (!c || flametree_init(&c->frames, false)) {
		free(c);
		return -ENOMEM;
	}
	c->f = f;
	c->o = *o;
	fputs("{\"traceEvents\":[\n", f);
	*out = c;
	return 0;
}

void chrome_free(struct chrome *c)
{
	if (!c)
		return;
	flametree_release(&c->frames);
	u64map_release(&c->tids);
	free(c->threads);
	free(c->cpus);
	free(c);
}

static void event_start(struct chrome *c)
{
	fputs(c->comma ? ",\n" : "", c->f);
	c->comma = true;
}

/* Microseconds since the start, to the nanosecond. */
static void put_us(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, ",\"%s\":%" PRIu64 ".%03" PRIu64, key, ns / 1000, ns % 1000);
}

static uint64_t rel(const struct chrome *c, uint64_t t)
{
	return t > c->base ? t - c->base : 0;
}

/* "file:line" as a JSON string. */
static void json_puts_line(FILE *f, const char *file, uint32_t line)
{
	char buf[4200];

	snprintf(buf, sizeof(buf), "%s:%" PRIu32, file, line);
	json_puts(f, buf);
}

static void put_sample(struct chrome *c, const struct thread *t, uint64_t end)
{
	const struct pending *e = &t->ev;
	uint64_t dur = end > e->ts ? end - e->ts : 0;
	FILE *f = c->f;

	if (dur > c->o.period_ns)
		dur = c->o.period_ns;
	event_start(c);
	fputs("{\"ph\":\"X\",\"cat\":\"sample\",\"name\":", f);
	json_puts(f, c->frames.nodes[e->frame].name);
	fprintf(f, ",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32, t->pid, t->tid);
	put_us(f, "ts", rel(c, e->ts));
	put_us(f, "dur", dur);
	fprintf(f, ",\"sf\":%" PRIu32 ",\"args\":{\"cpu\":%" PRIu32, e->frame, e->cpu);
	if (e->weight != 1)
		fprintf(f, ",\"weight\":%" PRIu64, e->weight);
	if (e->src && e->src->file && e->src->line) {
		fputs(",\"srcline\":", f);
		json_puts_line(f, e->src->file, e->src->line);
	}
	fputs("}}", f);
}

static void put_run(struct chrome *c, uint32_t cpu, uint64_t end)
{
	const struct cpu_run *r = &c->cpus[cpu];
	uint64_t stop = r->last + c->o.period_ns;
	FILE *f = c->f;

	if (end > r->last && stop > end)
		stop = end;
	event_start(c);
	fputs("{\"ph\":\"X\",\"cat\":\"cpu\",\"name\":", f);
	json_puts(f, r->comm);
	fprintf(f, ",\"pid\":%u,\"tid\":%" PRIu32, CHROME_CPU_PID, CHROME_CPU_PID + 1 + cpu);
	put_us(f, "ts", rel(c, r->start));
	put_us(f, "dur", stop - r->start);
	fprintf(f, ",\"args\":{\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 "}}", r->pid, r->tid);
}

static int thread_of(struct chrome *c, const struct df_sample *smp, struct thread **out)
{
	uintptr_t idx = (uintptr_t)u64map_get(&c->tids, smp->tid);

	if (!idx) {
		if (grow_array((void **)&c->threads, &c->cap_threads, c->n_threads + 1,
			       sizeof(*c->threads)))
			return -ENOMEM;
		c->threads[c->n_threads] = (struct thread){ .pid = smp->pid, .tid = smp->tid };
		idx = ++c->n_threads;
		if (u64map_put(&c->tids, smp->tid, (void *)idx))
			return -ENOMEM;
	}
	*out = &c->threads[idx - 1];
	return 0;
}

static int cpu_track(struct chrome *c, const struct sw_sample *ss)
{
	const struct df_sample *smp = ss->smp;
	struct cpu_run *r;

	if (smp->cpu > CHROME_MAX_CPU)
		return -E2BIG;
	if (smp->cpu >= c->n_cpus) {
		struct cpu_run *v = realloc(c->cpus, (smp->cpu + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		memset(v + c->n_cpus, 0, (smp->cpu + 1 - c->n_cpus) * sizeof(*v));
		c->cpus = v;
		c->n_cpus = smp->cpu + 1;
	}
	r = &c->cpus[smp->cpu];
	/* The same thread again, without a gap of two periods: the run goes on. */
	if (r->valid && r->tid == smp->tid && r->comm == ss->comm &&
	    smp->time_ns <= r->last + 2 * c->o.period_ns) {
		if (smp->time_ns > r->last)
			r->last = smp->time_ns;
		return 0;
	}
	if (r->valid)
		put_run(c, smp->cpu, smp->time_ns);
	*r = (struct cpu_run){ smp->time_ns, smp->time_ns, smp->pid, smp->tid,
			       ss->comm, true };
	return 0;
}

int chrome_add(struct chrome *c, struct session *s, const struct sw_sample *ss)
{
	struct ft_frame path[FT_MAX_PATH];
	size_t n = flametree_path(ss, path);
	struct thread *t;
	int64_t leaf;
	int err;

	if (!c->based) {
		c->based = true;
		c->base = session_start_ns(s, ss->smp->time_ns);
		if (!c->o.period_ns)
			c->o.period_ns = session_period_ns(s);
		if (!c->o.event)
			c->o.event = session_meta(s, DF_META_EVENT);
	}
	/* The command names the track: stacks start at their root function. */
	leaf = flametree_add(&c->frames, path + 1, n - 1, ss->smp->weight, 0);
	if (leaf < 0)
		return (int)leaf;
	err = thread_of(c, ss->smp, &t);
	err = err ? err : cpu_track(c, ss);
	if (err)
		return err;
	if (t->ev.valid)
		put_sample(c, t, ss->smp->time_ns);
	t->ev = (struct pending){ ss->smp->time_ns, ss->smp->weight, ss->smp->cpu,
				  (uint32_t)leaf, true, ss->stack->f[0].src };
	return ferror(c->f) ? -EIO : 0;
}

static void put_name(struct chrome *c, const char *what, uint32_t pid, uint32_t tid,
		     const char *name)
{
	event_start(c);
	fprintf(c->f, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"args\":{\"name\":", what, pid, tid);
	json_puts(c->f, name);
	fputs("}}", c->f);
}

static void put_sort_index(struct chrome *c, const char *what, uint32_t pid,
			   uint32_t tid, int64_t index)
{
	event_start(c);
	fprintf(c->f, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"args\":{\"sort_index\":%" PRId64 "}}", what, pid, tid, index);
}

/* Names the tracks: processes once, each thread, each CPU. */
static int put_names(struct chrome *c, struct session *s)
{
	struct u64map named = { 0 };
	char buf[32];

	for (size_t i = 0; i < c->n_threads; i++) {
		const struct thread *t = &c->threads[i];
		const char *pc = session_comm(s, t->pid), *tc = session_comm(s, t->tid);

		if (!pc || !tc) {
			u64map_release(&named);
			return -ENOMEM;
		}
		if (!u64map_get(&named, t->pid)) {
			if (u64map_put(&named, t->pid, (void *)1)) {
				u64map_release(&named);
				return -ENOMEM;
			}
			put_name(c, "process_name", t->pid, t->pid, pc);
		}
		put_name(c, "thread_name", t->pid, t->tid, tc);
	}
	u64map_release(&named);
	if (c->n_cpus) {
		put_name(c, "process_name", CHROME_CPU_PID, CHROME_CPU_PID, "CPUs");
		put_sort_index(c, "process_sort_index", CHROME_CPU_PID, CHROME_CPU_PID, -1);
	}
	for (uint32_t cpu = 0; cpu < c->n_cpus; cpu++) {
		if (!c->cpus[cpu].valid)
			continue;	/* no sample ran there */
		snprintf(buf, sizeof(buf), "CPU %" PRIu32, cpu);
		put_name(c, "thread_name", CHROME_CPU_PID, CHROME_CPU_PID + 1 + cpu, buf);
		put_sort_index(c, "thread_sort_index", CHROME_CPU_PID,
			       CHROME_CPU_PID + 1 + cpu, cpu);
	}
	return 0;
}

static void put_frames(struct chrome *c)
{
	const struct flametree *t = &c->frames;

	fputs("\n],\n\"stackFrames\":{", c->f);
	for (size_t i = 1; i < t->n; i++) {
		const struct ft_node *n = &t->nodes[i];

		fprintf(c->f, "%s\n\"%zu\":{\"name\":", i > 1 ? "," : "", i);
		json_puts(c->f, n->name);
		fprintf(c->f, ",\"category\":\"%s\"", n->flags & FT_KERNEL ? "kernel" : "user");
		if (n->parent)
			fprintf(c->f, ",\"parent\":\"%" PRIu32 "\"", n->parent);
		fputc('}', c->f);
	}
	fputs("\n},\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"producer\":"
	      "\"ebpf-tool " PACKAGE_VERSION "\"", c->f);
	if (c->o.event) {
		fputs(",\"event\":", c->f);
		json_puts(c->f, c->o.event);
	}
	fputs("}}\n", c->f);
}

int chrome_finish(struct chrome *c, struct session *s)
{
	int err;

	for (size_t i = 0; i < c->n_threads; i++)
		if (c->threads[i].ev.valid)
			put_sample(c, &c->threads[i], UINT64_MAX);
	for (uint32_t cpu = 0; cpu < c->n_cpus; cpu++)
		if (c->cpus[cpu].valid)
			put_run(c, cpu, UINT64_MAX);
	err = put_names(c, s);
	if (err)
		return err;
	put_frames(c);
	return ferror(c->f) ? -EIO : 0;
}
