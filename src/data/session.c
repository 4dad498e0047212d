/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reading state of a data file; see session.h.  Every table here is
 * keyed by what the recorder deduplicates (threads, DSOs, mappings,
 * symbols, stacks), so memory follows the side-band, not the samples.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/session.h"
#include "lib/arena.h"
#include "lib/idmap.h"
#include "lib/rangemap.h"
#include "lib/strpool.h"
#include "lib/u64map.h"
#include "lib/util.h"

#include "data/session-int.h"

__attribute__((format(printf, 3, 4)))
static int reject(struct session *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->st->error, sizeof(s->st->error), fmt, ap);
	va_end(ap);
	return err;
}

static const char *intern(struct session *s, const char *str)
{
	if (s->pool.bytes > SESS_MAX_STRING_BYTES)
		return NULL;
	return strpool_intern(&s->pool, str);
}

const char *session_intern(struct session *s, const char *str)
{
	return intern(s, str);
}

__attribute__((format(printf, 2, 3)))
static const char *internf(struct session *s, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return intern(s, buf);
}

static int no_memory(struct session *s)
{
	if (s->pool.bytes > SESS_MAX_STRING_BYTES)
		return reject(s, -E2BIG, "too many names (more than %u MiB)",
			      SESS_MAX_STRING_BYTES >> 20);
	return reject(s, -ENOMEM, "out of memory");
}

/* ---- symbol tables ------------------------------------------------------ */

static int sym_lookup(struct symtab *t, uint64_t addr, const struct symtab_sym **out)
{
	int err = symtab_sort(t);

	*out = err ? NULL : symtab_find(t, addr, SESS_SYM_MAX_GUESS);
	return err;
}

static int syms_add(struct session *s, struct symtab *t, const struct sess_dso *dso,
		    const struct df_symbol *syms, size_t n)
{
	if (n > SESS_MAX_SYMBOLS - s->n_syms)
		return reject(s, -E2BIG, "too many symbols (more than %u)",
			      SESS_MAX_SYMBOLS);
	if (grow_array((void **)&t->v, &t->cap, t->n + n, sizeof(*t->v)))
		return no_memory(s);
	for (size_t i = 0; i < n; i++) {
		struct symtab_sym sym = {
			.start = syms[i].start, .size = syms[i].size,
			.name = intern(s, syms[i].name), .data = dso->index,
		};

		if (!sym.name || symtab_add(t, &sym))
			return no_memory(s);
		s->n_syms++;
	}
	return 0;
}

/* ---- mappings ----------------------------------------------------------- */

/*
 * The whole session holds at most SESS_MAX_MAPS: an insert adds at most
 * two (a split), a copy as many as it copies.
 */
static int maps_limit(struct session *s, size_t extra)
{
	if (extra > SESS_MAX_MAPS - s->n_maps)
		return reject(s, -E2BIG, "too many mappings (more than %u)",
			      SESS_MAX_MAPS);
	return 0;
}

static int maps_insert(struct session *s, struct rangemap *m, const struct range *r)
{
	size_t before = m->n;
	int err = maps_limit(s, 2) ?: rangemap_insert(m, r, SIZE_MAX);

	if (err)
		return err == -ENOMEM ? no_memory(s) : err;
	s->n_maps = s->n_maps - before + m->n;
	return 0;
}

/* A process's mappings; they live until session_free(). */
static struct rangemap *maps_of(struct session *s, uint32_t pid, bool create)
{
	struct rangemap *m;

	/* Every frame of a stack asks for the same process. */
	if (s->last_maps && s->last_pid == pid)
		return s->last_maps;
	m = u64map_get(&s->maps, pid);
	if (!m && create) {
		m = calloc(1, sizeof(*m));
		if (!m)
			return NULL;
		if (u64map_put(&s->maps, pid, m)) {
			free(m);
			return NULL;
		}
	}
	if (m) {
		s->last_pid = pid;
		s->last_maps = m;
	}
	return m;
}

/* A new process starts with its parent's address space. */
static int maps_copy(struct session *s, uint32_t from, uint32_t to)
{
	struct rangemap *src = maps_of(s, from, false), *dst;
	int err;

	if (!src || !src->n || maps_of(s, to, false))
		return 0;
	dst = maps_of(s, to, true);
	if (!dst)
		return no_memory(s);
	s->gen++;
	err = maps_limit(s, src->n);
	if (err)
		return err;
	if (rangemap_copy(dst, src))
		return no_memory(s);
	s->n_maps += src->n;
	return 0;
}

/* ---- records ------------------------------------------------------------ */

static int on_meta(void *ctx, const char *key, const char *value)
{
	struct session *s = ctx;
	const char *k = intern(s, key), *v = intern(s, value);
	size_t i;

	if (!k || !v)
		return no_memory(s);
	for (i = 0; i < s->n_meta; i++) {
		if (s->meta[i].key == k) {
			s->meta[i].value = v;
			return 0;
		}
	}
	if (s->n_meta == SESS_MAX_META)
		return reject(s, -E2BIG, "too many meta keys (more than %u)",
			      SESS_MAX_META);
	if (grow_array((void **)&s->meta, &s->cap_meta, s->n_meta + 1, sizeof(*s->meta)))
		return no_memory(s);
	s->meta[s->n_meta].key = k;
	s->meta[s->n_meta++].value = v;
	return 0;
}

static int thread_of(struct session *s, uint32_t tid, struct sess_thread **out)
{
	struct sess_thread *t = u64map_get(&s->threads, tid);

	*out = t;
	if (t)
		return 0;
	if (s->threads.n >= SESS_MAX_THREADS)
		return reject(s, -E2BIG, "too many threads (more than %u)",
			      SESS_MAX_THREADS);
	t = calloc(1, sizeof(*t));
	if (!t || u64map_put(&s->threads, tid, t)) {
		free(t);
		return no_memory(s);
	}
	*out = t;
	return 0;
}

static int on_task(void *ctx, const struct df_task *task)
{
	struct session *s = ctx;
	struct sess_thread *t, *parent;
	const char *comm = NULL;
	int err;

	if (task->kind != DF_TASK_COMM && task->kind != DF_TASK_EXEC &&
	    task->kind != DF_TASK_FORK)
		return 0;
	if (task->comm[0]) {
		comm = intern(s, task->comm);
		if (!comm)
			return no_memory(s);
	}
	if (task->kind == DF_TASK_FORK && !comm) {
		parent = u64map_get(&s->threads, task->ppid);
		comm = parent ? parent->comm : NULL;
	}
	err = thread_of(s, task->tid, &t);
	if (err)
		return err;
	t->pid = task->pid;
	if (comm)
		t->comm = comm;
	if (task->kind == DF_TASK_FORK && task->pid == task->tid &&
	    task->ppid && task->ppid != task->pid)
		return maps_copy(s, task->ppid, task->pid);
	return 0;
}

static const char *dso_name(struct session *s, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!path[0])
		return s->unknown;
	if (path[0] == '[' || !slash || !slash[1])
		return intern(s, path);
	return intern(s, slash + 1);
}

/* A DSO of an earlier file with the same path and flags, or a new one. */
static int dso_new(struct session *s, const char *path, uint32_t flags,
		   struct sess_dso **out)
{
	struct sess_dso *dso = u64map_get(&s->dso_paths, (uintptr_t)path);

	*out = NULL;
	if (dso && dso->flags == flags) {
		*out = dso;
		return 0;
	}
	if (s->n_all_dsos >= SESS_MAX_DSOS)
		return reject(s, -E2BIG, "too many DSOs (more than %u)",
			      SESS_MAX_DSOS);
	if (grow_array((void **)&s->all_dsos, &s->cap_all_dsos, s->n_all_dsos + 1,
		       sizeof(*s->all_dsos)) || !(dso = calloc(1, sizeof(*dso))))
		return no_memory(s);
	dso->index = (uint32_t)s->n_all_dsos;
	s->all_dsos[s->n_all_dsos++] = dso;
	symtab_init(&dso->syms, SYMTAB_WIDEST);
	dso->flags = flags;
	dso->path = path;
	dso->name = dso_name(s, path);
	if (!dso->name || u64map_put(&s->dso_paths, (uintptr_t)path, dso))
		return no_memory(s);
	*out = dso;
	return 0;
}

/* Build-ids are kept as text: every consumer prints them. */
static const char *build_id_hex(struct session *s, const struct df_dso *d)
{
	char hex[2 * DF_MAX_BUILD_ID + 1];
	uint32_t n = d->build_id_len < DF_MAX_BUILD_ID ? d->build_id_len : DF_MAX_BUILD_ID;

	for (uint32_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->build_id[i]);
	hex[2 * n] = '\0';
	return intern(s, hex);
}

static int on_dso(void *ctx, const struct df_dso *d)
{
	struct session *s = ctx;
	struct sess_dso *dso = u64map_get(&s->dsos, d->dso_id);
	const char *path = intern(s, d->path);
	int err;

	if (!path)
		return no_memory(s);
	if (dso && dso->path == path && dso->flags == d->flags)
		return 0;
	/* A new id, or one redefined: the id now names that DSO. */
	s->gen++;
	err = dso_new(s, path, d->flags, &dso);
	if (err)
		return err;
	dso->id = d->dso_id;
	/* The first file to name its build-id wins, like the path. */
	if (d->build_id_len && d->build_id && !dso->build_id &&
	    !(dso->build_id = build_id_hex(s, d)))
		return no_memory(s);
	return u64map_put(&s->dsos, d->dso_id, dso) ? no_memory(s) : 0;
}

static int on_mmap(void *ctx, const struct df_mmap *mm)
{
	struct session *s = ctx;
	struct sess_dso *dso = u64map_get(&s->dsos, mm->dso_id);
	struct rangemap *m;
	struct range r;

	if (!dso)
		return reject(s, -EBADMSG, "mapping of pid %" PRIu32
			      " names dso %" PRIu32 ", which was never defined",
			      mm->pid, mm->dso_id);
	if (!mm->len)
		return 0;
	if (mm->start + mm->len < mm->start)
		return reject(s, -EBADMSG, "mapping 0x%" PRIx64 "+0x%" PRIx64
			      " of pid %" PRIu32 " wraps around", mm->start,
			      mm->len, mm->pid);
	r.start = mm->start;
	r.end = mm->start + mm->len;
	r.pgoff = mm->pgoff;
	r.val = (uintptr_t)dso;
	m = maps_of(s, mm->pid, true);
	if (!m)
		return no_memory(s);
	s->gen++;
	return maps_insert(s, m, &r);
}

static int on_symbols(void *ctx, uint32_t dso_id, const struct df_symbol *syms,
		      size_t n)
{
	struct session *s = ctx;
	struct sess_dso *dso = u64map_get(&s->dsos, dso_id);

	if (!dso)
		return reject(s, -EBADMSG, "symbols for dso %" PRIu32
			      ", which was never defined", dso_id);
	/* Kernel frames are looked up in one table of all kernel DSOs. */
	if (dso->flags & DF_DSO_KERNEL)
		return syms_add(s, &s->ksyms, dso, syms, n);
	return syms_add(s, &dso->syms, dso, syms, n);
}

/* Stacks are carved from an arena freed with the session: no malloc each. */
static struct sess_stack *stack_alloc(struct session *s, size_t n)
{
	return arena_alloc(&s->stack_mem, sizeof(struct sess_stack) + n * sizeof(uint64_t), 8);
}

static int on_stack(void *ctx, uint32_t id, const uint64_t *ips,
		    uint16_t n_kernel, uint16_t n_user)
{
	struct session *s = ctx;
	size_t n = (size_t)n_kernel + n_user;
	struct sess_stack *old = idmap_get(&s->stacks, id), *st;

	if (!old && s->stacks.n >= SESS_MAX_STACKS)
		return reject(s, -E2BIG, "too many stacks (more than %u)",
			      SESS_MAX_STACKS);
	/* Replaced stacks keep their memory: they count too. */
	if (n > SESS_MAX_STACK_FRAMES - s->n_stack_frames)
		return reject(s, -E2BIG, "too many stack frames (more than %u)",
			      SESS_MAX_STACK_FRAMES);
	st = stack_alloc(s, n);
	if (!st || idmap_put(&s->stacks, id, st))
		return no_memory(s);
	st->n_kernel = n_kernel;
	st->n_user = n_user;
	memcpy(st->ips, ips, n * sizeof(st->ips[0]));
	s->n_stack_frames += n;
	if (old)
		s->gen++;
	return 0;
}

static int on_sample(void *ctx, const struct df_sample *smp)
{
	struct session *s = ctx;

	s->st->samples++;
	if (smp->stack_id != DF_STACK_NONE && !idmap_get(&s->stacks, smp->stack_id))
		s->st->missing_stacks++;
	return s->ops && s->ops->sample ? s->ops->sample(s->ctx, s, smp) : 0;
}

static int on_lost(void *ctx, uint32_t kind, uint64_t count)
{
	struct session *s = ctx;
	uint64_t *slot = &s->lost[kind < LOST_KINDS ? kind : DF_LOST_OTHER];

	*slot = *slot + count < *slot ? UINT64_MAX : *slot + count;
	return 0;
}

static int on_end(void *ctx, const struct df_end *e)
{
	struct session *s = ctx;

	s->end = *e;
	s->has_end = true;
	return 0;
}

/* ---- events ------------------------------------------------------------- */

static struct sess_event *event_find(struct session *s, const char *name,
				     uint32_t kind)
{
	struct sess_event *e;

	for (size_t i = 0; i < s->n_events; i++)
		if (s->events[i]->name == name && s->events[i]->kind == kind)
			return s->events[i];
	if (s->n_events >= SESS_MAX_EVENTS ||
	    grow_array((void **)&s->events, &s->cap_events, s->n_events + 1, sizeof(*s->events)) ||
	    !(e = calloc(1, sizeof(*e))))
		return NULL;
	e->name = name;
	e->kind = kind;
	e->index = (uint32_t)s->n_events;
	s->events[s->n_events++] = e;
	return e;
}

static int on_event(void *ctx, const struct df_event *de)
{
	struct session *s = ctx;
	const char *name = intern(s, de->name);
	struct sess_event *e;

	if (!name)
		return no_memory(s);
	e = event_find(s, name, de->kind);
	if (!e)
		return reject(s, -E2BIG, "too many events (more than %u)",
			      SESS_MAX_EVENTS);
	return u64map_put(&s->file_events, de->id, e) ? no_memory(s) : 0;
}

const struct sess_event *session_event(struct session *s, uint32_t id)
{
	struct sess_event *e = u64map_get(&s->file_events, id);
	const char *name;

	if (e)
		return e;
	/* Event 0 without an EVENT record: the META "event" of 1.0 files. */
	if (id == 0)
		name = session_meta(s, DF_META_EVENT);
	else
		name = internf(s, "event-%" PRIu32, id);
	name = name ? name : intern(s, "unknown");
	if (!name)
		return NULL;
	e = event_find(s, name, id ? 0 : DF_EVENT_SAMPLING);
	if (e && u64map_put(&s->file_events, id, e))
		return NULL;
	return e;
}

size_t session_nr_events(const struct session *s)
{
	return s->n_events;
}

static const struct df_ops session_df_ops = {
	.meta = on_meta, .task = on_task, .dso = on_dso, .mmap = on_mmap,
	.stack = on_stack, .sample = on_sample, .symbols = on_symbols,
	.lost = on_lost, .end = on_end, .event = on_event,
	.srcstr = session_on_srcstr, .srcline = session_on_srcline,
	.code = session_on_code,
};

/* ---- public ------------------------------------------------------------- */

int session_new(struct session **out)
{
	struct session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -ENOMEM;
	idmap_init(&s->stacks);
	symtab_init(&s->ksyms, SYMTAB_WIDEST);
	s->unknown = strpool_intern(&s->pool, "[unknown]");
	s->unknown_dso.path = s->unknown;
	s->unknown_dso.name = s->unknown;
	s->kallsyms_dso.flags = DF_DSO_KERNEL;
	s->kallsyms_dso.path = strpool_intern(&s->pool, "[kernel.kallsyms]");
	s->kallsyms_dso.name = s->kallsyms_dso.path;
	if (!s->unknown || !s->kallsyms_dso.path) {
		session_free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

static void free_dso(void *p)
{
	struct sess_dso *d = p;

	symtab_release(&d->syms);
	u64map_release(&d->lines);
	u64map_release(&d->code);
	free(d);
}

static void free_maps(void *p)
{
	rangemap_release(p);
	free(p);
}

void session_free(struct session *s)
{
	if (!s)
		return;
	u64map_free(&s->threads, free);
	u64map_release(&s->dsos);
	u64map_release(&s->dso_paths);
	u64map_release(&s->file_events);
	for (size_t i = 0; i < s->n_all_dsos; i++)
		free_dso(s->all_dsos[i]);
	free(s->all_dsos);
	for (size_t i = 0; i < s->n_events; i++)
		free(s->events[i]);
	free(s->events);
	u64map_free(&s->maps, free_maps);
	idmap_release(&s->stacks);
	arena_release(&s->stack_mem);
	symtab_release(&s->ksyms);
	session_lines_release(s);
	free(s->meta);
	strpool_release(&s->pool);
	free(s);
}

/* Ids of the previous file mean nothing in the next. */
static void read_begin(struct session *s, const struct session_ops *ops,
		       void *ctx, struct session_status *st)
{
	if (s->files++) {
		u64map_release(&s->dsos);
		u64map_release(&s->file_events);
		/*
		 * Far ids are forgotten, those in the array kept as before;
		 * their memory is the arena's, freed with the session.
		 */
		u64map_release(&s->stacks.sparse);
		session_lines_new_file(s);
		s->n_stack_frames = 0;
		s->gen++;
	}
	memset(st, 0, sizeof(*st));
	s->ops = ops;
	s->ctx = ctx;
	s->st = st;
}

int session_read_fd(struct session *s, int fd, const struct session_ops *ops,
		    void *ctx, struct session_status *st)
{
	read_begin(s, ops, ctx, st);
	return df_read_fd(fd, &session_df_ops, s, &st->df);
}

int session_read_mem(struct session *s, const void *buf, size_t size,
		     const struct session_ops *ops, void *ctx,
		     struct session_status *st)
{
	read_begin(s, ops, ctx, st);
	return df_read_mem(buf, size, &session_df_ops, s, &st->df);
}

const char *session_meta(const struct session *s, const char *key)
{
	for (size_t i = 0; i < s->n_meta; i++)
		if (!strcmp(s->meta[i].key, key))
			return s->meta[i].value;
	return NULL;
}

const char *session_meta_at(const struct session *s, size_t i, const char **value)
{
	if (i >= s->n_meta)
		return NULL;
	*value = s->meta[i].value;
	return s->meta[i].key;
}

int session_has_callchains(const struct session *s)
{
	const char *v = session_meta(s, DF_META_CALL_GRAPH);

	if (!v)
		return -1;
	return strcmp(v, "no") != 0;
}

uint64_t session_period_ns(const struct session *s)
{
	const char *v = session_meta(s, DF_META_FREQUENCY);
	uint64_t hz;

	/* Without a frequency (sampled by period): record's default, 99 Hz. */
	if (!v || parse_u64(v, 1, 1000000000, &hz))
		hz = 99;
	return 1000000000ull / hz;
}

uint64_t session_start_ns(const struct session *s, uint64_t first_sample_ns)
{
	const char *v = session_meta(s, DF_META_START_MONOTONIC);
	uint64_t t;

	return v && !parse_u64(v, 0, UINT64_MAX, &t) ? t : first_sample_ns;
}

const char *session_comm(struct session *s, uint32_t tid)
{
	struct sess_thread *t = u64map_get(&s->threads, tid);

	if (t && t->comm)
		return t->comm;
	return internf(s, ":%" PRIu32, tid);
}

const struct sess_stack *session_stack(const struct session *s, uint32_t id)
{
	return idmap_get(&s->stacks, id);
}

/* A mapped frame at f->addr is named by its symbol, else by addresses. */
static int name_frame(struct session *s, struct sess_frame *f, const struct symtab_sym *sym)
{
	f->mapped = true;
	if (sym) {
		f->sym = f->label = f->chain = sym->name;
		f->sym_off = f->addr - sym->start;
		return 0;
	}
	f->label = internf(s, "0x%016" PRIx64, f->addr);
	f->chain = internf(s, "0x%" PRIx64, f->ip);
	return f->label && f->chain ? 0 : -ENOMEM;
}

static int resolve_kernel(struct session *s, uint64_t ip, struct sess_frame *f)
{
	const struct symtab_sym *sym;
	int err = sym_lookup(&s->ksyms, ip, &sym);

	if (err)
		return err;
	f->addr = ip;
	f->dso = sym ? s->all_dsos[sym->data] : &s->kallsyms_dso;
	return name_frame(s, f, sym);
}

int session_resolve(struct session *s, uint32_t pid, uint64_t ip, bool kernel,
		    struct sess_frame *f)
{
	struct rangemap *m = maps_of(s, pid, false);
	const struct range *map = m ? rangemap_find(m, ip) : NULL;
	const struct symtab_sym *sym = NULL;
	struct sess_dso *dso;
	int err;

	memset(f, 0, sizeof(*f));
	f->ip = ip;
	f->kernel = kernel;
	if (kernel)
		return resolve_kernel(s, ip, f);
	if (!map) {
		f->addr = ip;
		f->dso = &s->unknown_dso;
		f->label = s->unknown;
		/* An unwinder's stop marker is no address: perf's call graphs would say [unknown]. */
		f->chain = DF_IS_UNWIND_STOP(ip) ? s->unknown : internf(s, "0x%" PRIx64, ip);
		return f->chain ? 0 : -ENOMEM;
	}
	dso = (struct sess_dso *)map->val;
	f->dso = dso;
	f->addr = ip - map->start + map->pgoff;
	err = sym_lookup(&dso->syms, f->addr, &sym);
	return err ? err : name_frame(s, f, sym);
}

uint64_t session_lost(const struct session *s, uint32_t kind)
{
	return kind < LOST_KINDS ? s->lost[kind] : 0;
}

uint64_t session_lost_total(const struct session *s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < LOST_KINDS; i++)
		sum = sum + s->lost[i] < sum ? UINT64_MAX : sum + s->lost[i];
	return sum;
}

uint64_t session_lost_samples(const struct session *s)
{
	uint64_t sum = 0;
	/* The aggregating recorder's losses are samples not counted, too. */
	static const uint32_t kinds[] = { DF_LOST_RINGBUF_FULL, DF_LOST_OTHER,
					  DF_LOST_STACK_COLLISION, DF_LOST_MAP_FULL };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		sum = sum + s->lost[kinds[i]] < sum ? UINT64_MAX : sum + s->lost[kinds[i]];
	return sum;
}

uint64_t session_generation(const struct session *s)
{
	return s->gen;
}

const struct df_end *session_end(const struct session *s)
{
	return s->has_end ? &s->end : NULL;
}
