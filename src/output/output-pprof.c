/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.proto by hand: a few varint, length-delimited and packed
 * fields, no protobuf library (see output-pprof.h).  Field numbers are
 * those of github.com/google/pprof/proto/profile.proto.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/escape.h"
#include "lib/hashtab.h"
#include "lib/util.h"
#include "output/output-pprof.h"

/* ---- protobuf encoding -------------------------------------------------- */

struct pbuf {
	uint8_t *p;
	size_t n, cap;
	bool oom;	/* sticky: checked once, at the end */
};

static void pb_raw(struct pbuf *b, const void *data, size_t len)
{
	if (b->oom)
		return;
	/* Called for every field: the check stays inline. */
	if (b->n + len > b->cap && grow_array((void **)&b->p, &b->cap, b->n + len, 1)) {
		b->oom = true;
		return;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
}

static void pb_varint(struct pbuf *b, uint64_t v)
{
	uint8_t buf[10];
	size_t n = 0;

	do {
		buf[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	pb_raw(b, buf, n);
}

enum { WT_VARINT = 0, WT_LEN = 2 };

static void pb_key(struct pbuf *b, unsigned int field, unsigned int wt)
{
	pb_varint(b, (uint64_t)field << 3 | wt);
}

/* proto3: a zero value is the default and is not written. */
static void pb_uint(struct pbuf *b, unsigned int field, uint64_t v)
{
	if (!v)
		return;
	pb_key(b, field, WT_VARINT);
	pb_varint(b, v);
}

static void pb_bytes(struct pbuf *b, unsigned int field, const void *data, size_t len)
{
	pb_key(b, field, WT_LEN);
	pb_varint(b, len);
	pb_raw(b, data, len);
}

/* Appends the message built in sub and empties sub for the next one. */
static void pb_msg(struct pbuf *b, unsigned int field, struct pbuf *sub)
{
	b->oom |= sub->oom;
	pb_bytes(b, field, sub->p, sub->n);
	sub->n = 0;
}

static void pb_packed(struct pbuf *b, unsigned int field, const uint64_t *v,
		      size_t n, struct pbuf *scratch)
{
	for (size_t i = 0; i < n; i++)
		pb_varint(scratch, v[i]);
	pb_msg(b, field, scratch);
}

/* ---- the profile's tables ------------------------------------------------ */

struct func_key {
	const char *name;
	const struct sess_dso *dso;
	const char *file;		/* NULL if unknown */
	uint64_t start_line;		/* 0 if unknown */
};
/* src: where in its inline chain the address's frame is, NULL without lines. */
struct loc_key {
	const struct sess_dso *dso;
	uint64_t addr;
	uint64_t kernel;
	const struct sess_src_frame *src;
};

struct mapping {
	const struct sess_dso *dso;
	uint64_t lo, hi;	/* addresses seen */
	/* For ordering: weight as the program the command is named after... */
	uint64_t named;
	uint64_t outer;		/* ... and as the outermost user object */
};

struct location {
	uint32_t mapping;	/* index + 1, 0: none */
	uint32_t first, n;	/* its lines in lines_v[], innermost first */
};

/* A Line: the function (index) and the line in it, 0 if unknown. */
struct pline {
	uint32_t function;
	uint32_t line;
};

struct psample {
	uint64_t first;		/* into locs[] */
	uint32_t n;
	uint32_t pid, tid;
	const char *comm;
	uint64_t weight;
};

struct pprof {
	struct keyset strings;		/* const char *, index = string id */
	struct keyset funcs;		/* struct func_key */
	struct keyset mapkeys;		/* the object's path (interned) */
	struct mapping *maps;
	struct keyset lockeys;		/* struct loc_key */
	struct location *locs_v;
	struct pline *lines_v;		/* every location's, back to back */
	size_t nr_lines, cap_lines;
	struct hashtab index;		/* samples by content */
	struct psample *samples;
	size_t nr_samples, cap_samples;
	uint32_t *locs;			/* every sample's location ids, back to back */
	size_t nr_locs, cap_locs;
	uint32_t ids[DF_MAX_FRAMES];	/* scratch: one sample's ids */
};

int pprof_new(struct pprof **out)
{
	struct pprof *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	keyset_init(&p->strings, sizeof(const char *));
	keyset_init(&p->funcs, sizeof(struct func_key));
	keyset_init(&p->mapkeys, sizeof(const char *));
	keyset_init(&p->lockeys, sizeof(struct loc_key));
	hashtab_init(&p->index);
	*out = p;
	return 0;
}

void pprof_free(struct pprof *p)
{
	if (!p)
		return;
	keyset_release(&p->strings);
	keyset_release(&p->funcs);
	keyset_release(&p->mapkeys);
	keyset_release(&p->lockeys);
	hashtab_release(&p->index);
	free(p->maps);
	free(p->locs_v);
	free(p->lines_v);
	free(p->samples);
	free(p->locs);
	free(p);
}

/* Grows a side array to match its keyset's capacity. */
static int side_grow(void **v, size_t size, uint32_t cap)
{
	void *n = realloc(*v, (size_t)cap * size);

	if (!n)
		return -ENOMEM;
	*v = n;
	return 0;
}

/* 1 if added, 0 if there already, or -errno. */
static int add_key(struct keyset *s, const void *key, uint32_t *idx)
{
	int64_t found = keyset_find(s, key);

	if (found >= 0) {
		*idx = (uint32_t)found;
		return 0;
	}
	if (s->n >= PPROF_MAX_ENTRIES)
		return -E2BIG;
	return keyset_add(s, key, idx);
}

/*
 * One mapping per object path: the kernel's symbols and its unnamed
 * addresses come as two DSOs of one name, which pprof should see as one.
 */
static int mapping_of(struct pprof *p, const struct sw_frame *fr, uint32_t *out)
{
	const char *path = fr->dso->path;	/* interned: one pointer per name */
	struct mapping *m;
	uint32_t i;
	int added = add_key(&p->mapkeys, &path, &i);

	if (added < 0)
		return added;
	if (added) {
		if (side_grow((void **)&p->maps, sizeof(*p->maps), p->mapkeys.cap))
			return -ENOMEM;
		p->maps[i] = (struct mapping){ fr->dso, fr->addr, fr->addr, 0, 0 };
	}
	m = &p->maps[i];
	if (!m->dso->build_id && fr->dso->build_id)
		m->dso = fr->dso;
	if (fr->addr < m->lo)
		m->lo = fr->addr;
	if (fr->addr > m->hi)
		m->hi = fr->addr;
	*out = i + 1;
	return 0;
}

/*
 * A location of n frames: the functions inlined at the address, innermost
 * first, then the one they were inlined into, whose frame (fr[n - 1])
 * gives the address; pprof lists them in this order as its Lines.
 */
static int location_of(struct pprof *p, const struct sw_frame *fr, uint32_t n, uint32_t *out)
{
	const struct sw_frame *own = &fr[n - 1];
	struct loc_key k = { own->dso, own->addr, own->kernel, own->src };
	struct location l = { 0 };
	uint32_t i;
	int added = add_key(&p->lockeys, &k, &i), err = 0;

	if (added <= 0) {
		*out = i;
		return added;
	}
	if (side_grow((void **)&p->locs_v, sizeof(*p->locs_v), p->lockeys.cap) ||
	    grow_array((void **)&p->lines_v, &p->cap_lines, p->nr_lines + n, sizeof(*p->lines_v)))
		return -ENOMEM;
	l.first = (uint32_t)p->nr_lines;
	l.n = n;
	for (uint32_t j = 0; j < n && err >= 0; j++) {
		const struct sess_src_frame *src = fr[j].src;
		struct func_key fk = { fr[j].name, fr[j].dso, src ? src->file : NULL,
				       src ? src->decl_line : 0 };
		struct pline *pl = &p->lines_v[p->nr_lines + j];

		pl->line = src ? src->line : 0;
		err = add_key(&p->funcs, &fk, &pl->function);
	}
	p->nr_lines += n;
	if (err >= 0 && own->mapped)
		err = mapping_of(p, own, &l.mapping);
	p->locs_v[i] = l;
	*out = i;
	return err < 0 ? err : 0;
}

struct sample_key {
	const struct pprof *p;
	const uint32_t *ids;
	uint32_t n, pid, tid;
	const char *comm;
};

static bool sample_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct sample_key *k = key;
	const struct psample *s = &k->p->samples[idx];

	return s->n == k->n && s->pid == k->pid && s->tid == k->tid &&
	       s->comm == k->comm &&
	       !memcmp(&k->p->locs[s->first], k->ids, k->n * sizeof(*k->ids));
}

static int sample_new(struct pprof *p, const struct sample_key *k, uint64_t hash)
{
	struct psample *s;

	if (p->nr_samples >= PPROF_MAX_ENTRIES)
		return -E2BIG;
	if (grow_array((void **)&p->samples, &p->cap_samples, p->nr_samples + 1,
		       sizeof(*p->samples)) ||
	    grow_array((void **)&p->locs, &p->cap_locs, p->nr_locs + k->n, sizeof(*p->locs)))
		return -ENOMEM;
	if (hashtab_insert(&p->index, hash, (uint32_t)p->nr_samples))
		return -ENOMEM;
	s = &p->samples[p->nr_samples++];
	*s = (struct psample){ p->nr_locs, k->n, k->pid, k->tid, k->comm, 0 };
	memcpy(&p->locs[p->nr_locs], k->ids, k->n * sizeof(*k->ids));
	p->nr_locs += k->n;
	return 0;
}

/* Is the object the program the command is named after?  Comms are cut to 15. */
static bool names_comm(const struct sess_dso *dso, const char *comm)
{
	size_t n = strlen(comm);

	return n >= 15 ? !strncmp(dso->name, comm, n) : !strcmp(dso->name, comm);
}

/* Votes for the main object: pprof shows the first mapping as the program. */
static void vote_main(struct pprof *p, const struct sw_sample *ss, uint32_t n)
{
	const struct loc_key *keys = (const void *)p->lockeys.keys;
	uint32_t outer = 0, named = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t m = p->locs_v[p->ids[i]].mapping;

		if (keys[p->ids[i]].kernel || !m)
			continue;
		outer = m;
		if (!named && names_comm(p->maps[m - 1].dso, ss->comm))
			named = m;
	}
	if (named)
		p->maps[named - 1].named += ss->smp->weight;
	if (outer)
		p->maps[outer - 1].outer += ss->smp->weight;
}

int pprof_add(struct pprof *p, const struct sw_sample *ss)
{
	const struct sw_stack *st = ss->stack;
	struct sample_key k = { p, p->ids, 0, ss->smp->pid, ss->smp->tid, ss->comm };
	uint64_t hash;
	int64_t found;
	int err;

	/* A frame and the inlined ones before it are one location. */
	for (uint32_t i = 0, j; i < st->n; i = j + 1) {
		for (j = i; st->f[j].inlined && j + 1 < st->n; j++)
			;
		err = location_of(p, &st->f[i], j - i + 1, &p->ids[k.n++]);
		if (err)
			return err;
	}
	vote_main(p, ss, k.n);
	hash = hash_bytes(p->ids, k.n * sizeof(*p->ids)) ^
	       hash_u64((uint64_t)k.pid << 32 ^ k.tid ^ (uintptr_t)k.comm);
	hash = hash ? hash : 1;
	found = hashtab_find(&p->index, hash, &k, sample_eq, &k);
	if (found < 0) {
		err = sample_new(p, &k, hash);
		if (err)
			return err;
		found = (int64_t)p->nr_samples - 1;
	}
	p->samples[found].weight += ss->smp->weight;
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

struct writer {
	struct pprof *p;
	struct pbuf out, msg, sub;
	uint32_t *map_id;	/* mapping index -> id, main object first */
	int err;
};

static uint64_t str_id(struct writer *w, const char *s)
{
	static const char *const empty = "";
	uint32_t i;
	int r;

	if (w->err)
		return 0;
	r = add_key(&w->p->strings, s ? &s : &empty, &i);
	if (r < 0) {
		w->err = r;
		return 0;
	}
	return i;
}

static void value_type(struct writer *w, unsigned int field, const char *type,
		       const char *unit)
{
	pb_uint(&w->msg, 1, str_id(w, type));
	pb_uint(&w->msg, 2, str_id(w, unit));
	pb_msg(&w->out, field, &w->msg);
}

static void label(struct writer *w, const char *key, const char *str, uint64_t num)
{
	pb_uint(&w->sub, 1, str_id(w, key));
	if (str)
		pb_uint(&w->sub, 2, str_id(w, str));
	pb_uint(&w->sub, 3, num);
	pb_msg(&w->msg, 3, &w->sub);
}

static void put_samples(struct writer *w, uint64_t period)
{
	struct pprof *p = w->p;
	uint64_t ids[DF_MAX_FRAMES];

	for (size_t i = 0; i < p->nr_samples && !w->err; i++) {
		const struct psample *s = &p->samples[i];
		uint64_t values[2] = { s->weight, s->weight * period };

		for (uint32_t j = 0; j < s->n; j++)
			ids[j] = (uint64_t)p->locs[s->first + j] + 1;
		pb_packed(&w->msg, 1, ids, s->n, &w->sub);
		pb_packed(&w->msg, 2, values, 2, &w->sub);
		label(w, "comm", s->comm, 0);
		label(w, "pid", NULL, s->pid);
		label(w, "tid", NULL, s->tid);
		pb_msg(&w->out, 2, &w->msg);
	}
}

static struct pprof *order_of;

static int map_cmp(const void *a, const void *b)
{
	const struct mapping *x = &order_of->maps[*(const uint32_t *)a];
	const struct mapping *y = &order_of->maps[*(const uint32_t *)b];

	if (x->named != y->named)
		return (x->named < y->named) - (x->named > y->named);
	if (x->outer != y->outer)
		return (x->outer < y->outer) - (x->outer > y->outer);
	return (*(const uint32_t *)a > *(const uint32_t *)b) -
	       (*(const uint32_t *)a < *(const uint32_t *)b);
}

/* pprof takes the first mapping for the main binary. */
static int put_mappings(struct writer *w)
{
	struct pprof *p = w->p;
	uint32_t n = p->mapkeys.n, *order = calloc(n ? n : 1, sizeof(*order));

	w->map_id = calloc(n ? n : 1, sizeof(*w->map_id));
	if (!order || !w->map_id) {
		free(order);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	order_of = p;
	qsort(order, n, sizeof(*order), map_cmp);
	for (uint32_t i = 0; i < n; i++) {
		const struct mapping *m = &p->maps[order[i]];
		bool kernel = m->dso->flags & DF_DSO_KERNEL;

		w->map_id[order[i]] = i + 1;
		pb_uint(&w->msg, 1, i + 1);
		/* User addresses are offsets into the object: it maps at 0. */
		pb_uint(&w->msg, 2, kernel ? m->lo : 0);
		pb_uint(&w->msg, 3, m->hi + 1);
		pb_uint(&w->msg, 5, str_id(w, m->dso->path));
		pb_uint(&w->msg, 6, str_id(w, m->dso->build_id));
		pb_uint(&w->msg, 7, 1);		/* has_functions: never symbolize again */
		pb_msg(&w->out, 3, &w->msg);
	}
	free(order);
	return 0;
}

static void put_locations(struct writer *w)
{
	struct pprof *p = w->p;
	const struct loc_key *keys = (const void *)p->lockeys.keys;

	for (uint32_t i = 0; i < p->lockeys.n; i++) {
		const struct location *l = &p->locs_v[i];

		pb_uint(&w->msg, 1, i + 1);
		pb_uint(&w->msg, 2, l->mapping ? w->map_id[l->mapping - 1] : 0);
		pb_uint(&w->msg, 3, keys[i].addr);
		for (uint32_t j = 0; j < l->n; j++) {
			const struct pline *pl = &p->lines_v[l->first + j];

			pb_uint(&w->sub, 1, pl->function + 1);
			pb_uint(&w->sub, 2, pl->line);
			pb_msg(&w->msg, 4, &w->sub);
		}
		pb_msg(&w->out, 4, &w->msg);
	}
}

static void put_functions(struct writer *w)
{
	const struct func_key *keys = (const void *)w->p->funcs.keys;

	for (uint32_t i = 0; i < w->p->funcs.n; i++) {
		uint64_t name = str_id(w, keys[i].name);

		pb_uint(&w->msg, 1, i + 1);
		pb_uint(&w->msg, 2, name);
		pb_uint(&w->msg, 3, name);
		/* The source file where known, else the object, as before lines. */
		pb_uint(&w->msg, 4, str_id(w, keys[i].file ? keys[i].file : keys[i].dso->path));
		pb_uint(&w->msg, 5, keys[i].start_line);
		pb_msg(&w->out, 5, &w->msg);
	}
}

/* The string table goes last: every other part adds to it. */
static void put_strings(struct writer *w)
{
	const char *const *v = (const void *)w->p->strings.keys;
	char buf[4 * 4096];

	for (uint32_t i = 0; i < w->p->strings.n; i++) {
		const char *s = utf8_clean(v[i], buf, sizeof(buf));

		s = s ? s : "?";
		pb_bytes(&w->out, 6, s, strlen(s));
	}
}

static int deflate_to(int fd, const uint8_t *data, size_t len)
{
	uint8_t chunk[65536];
	z_stream z = { 0 };
	int zr, err = 0;

	/* 15 + 16: a gzip wrapper, as pprof writes its files. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = deflate(&z, Z_FINISH);
		for (size_t off = 0, n = sizeof(chunk) - z.avail_out; off < n && !err;) {
			ssize_t wr = write(fd, chunk + off, n - off);

			if (wr < 0 && errno != EINTR)
				err = -errno;
			else if (wr > 0)
				off += (size_t)wr;
		}
	} while (zr == Z_OK && !err);
	deflateEnd(&z);
	if (!err && zr != Z_STREAM_END)
		err = -EIO;
	return err;
}

int pprof_write(struct pprof *p, int fd, const struct pprof_meta *m)
{
	struct writer w = { .p = p };
	int err;

	str_id(&w, NULL);	/* string 0 must be empty */
	value_type(&w, 1, "samples", "count");
	value_type(&w, 1, "cpu", "nanoseconds");
	put_samples(&w, m->period_ns);
	err = put_mappings(&w);
	put_locations(&w);
	put_functions(&w);
	pb_uint(&w.out, 9, m->start_ns);
	pb_uint(&w.out, 10, m->duration_ns);
	value_type(&w, 11, "cpu", "nanoseconds");
	pb_uint(&w.out, 12, m->period_ns);
	if (m->event)
		pb_uint(&w.out, 13, str_id(&w, m->event));
	pb_uint(&w.out, 14, str_id(&w, "cpu"));
	put_strings(&w);
	err = err ? err : w.err;
	if (!err && (w.out.oom || w.msg.oom || w.sub.oom))
		err = -ENOMEM;
	if (!err)
		err = deflate_to(fd, w.out.p, w.out.n);
	free(w.out.p);
	free(w.msg.p);
	free(w.sub.p);
	free(w.map_id);
	return err;
}
