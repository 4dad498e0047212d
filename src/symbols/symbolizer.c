/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Symbolizer: per-pid mapping tables over a cache of shared DSO symbol tables. */
#define _GNU_SOURCE
#include "symbols/symbolizer.h"
#include "symbols/elfcode.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "symbols/elfsyms.h"
#include "symbols/ksyms.h"
#include "symbols/perfmap.h"
#include "symbols/procmaps.h"
#include "symbols/srclines.h"
#include "lib/rangemap.h"
#include "lib/util.h"

/* DSO files stay open from add_pid until first hit, within a quarter of
 * RLIMIT_NOFILE (the recorder needs fds too) and at most this many. */
#define SYM_MAX_HELD_FDS 1024
#define SYM_VDSO_MAX (1u << 20)
#define SYM_MAX_DSOS (1u << 22)
#define SYM_MAX_MAPS (1u << 22)   /* per process */
#define SYM_PERFMAP_RECHECK_NS 1000000000LL  /* JITs append; re-read at most 1/s */

enum dso_kind { DSO_FILE, DSO_KERNEL, DSO_VDSO, DSO_JIT, DSO_OTHER };
enum dso_key { KEY_NONE, KEY_INODE, KEY_BUILD_ID, KEY_PATH };

struct dso {
	uint32_t id;
	char *path;
	uint8_t kind, key, loaded, bid_len;
	uint32_t flags;
	int fd;                 /* held open until loaded, or -1 */
	uint64_t dev, ino, size;
	int64_t mtime_ns;       /* 0: size and mtime unknown */
	uint32_t uid;           /* perf map owner allowed besides root */
	uint8_t build_id[ELFSYMS_BUILD_ID_MAX];
	struct elfsyms *es;
	struct perfmap *pm;
	int64_t pm_checked_ns;
	struct srclines *sl;    /* its DWARF, when lines are wanted and it has some */
	const char *sl_err;     /* why what DWARF it has cannot be read */
	struct elfcode *code;   /* its code bytes, when code is wanted */
};

struct proc {
	uint32_t pid, uid, jit_dso;
	struct rangemap maps;  /* values are DSO ids */
};

struct symbolizer {
	struct dso **dsos;       /* by id - 1 */
	uint32_t ndsos;
	size_t dcap;
	void *dso_tree;          /* tsearch() index of identities */
	void *proc_tree;         /* tsearch() index by pid */
	struct proc *last;
	struct ksyms *ks;
	int ks_err, ks_tried;
	uint32_t kernel_dso, vsyscall_dso, own_vdso;
	uint32_t *mod_dso;       /* by ksyms module id */
	unsigned char *vdso_img; /* the last vDSO image parsed, and its DSO */
	size_t vdso_size;
	uint32_t vdso_id;
	size_t held_fds, fd_budget;
	int lines;               /* open DWARF as files load */
	int code;                /* map code bytes as files load */
	struct srclines_pool *lines_pool;
	symbolizer_fetch_fn fetch;
	void *fetch_ctx;
};

struct file_ref {
	uint64_t start, end, dev, ino;
	const char *path;
	int deleted;
	const uint8_t *bid;
	size_t bid_len;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* ---- DSO table ---- */

/* Total order over DSO identities, for tsearch(). */
static int dso_cmp(const void *pa, const void *pb)
{
	const struct dso *a = pa, *b = pb;
	int c;

	if ((c = cmp_u64(a->key, b->key)) || (c = cmp_u64(a->kind, b->kind)))
		return c;
	if (a->key == KEY_INODE) {
		if ((c = cmp_u64(a->dev, b->dev)) || (c = cmp_u64(a->ino, b->ino)) ||
		    (c = cmp_u64(a->size, b->size)))
			return c;
		return cmp_u64((uint64_t)a->mtime_ns, (uint64_t)b->mtime_ns);
	}
	if (a->key == KEY_BUILD_ID) {
		if ((c = cmp_u64(a->bid_len, b->bid_len)))
			return c;
		return memcmp(a->build_id, b->build_id, a->bid_len);
	}
	return strcmp(a->path, b->path);
}

static uint32_t dso_find(const struct symbolizer *s, const struct dso *probe)
{
	struct dso **hit;

	if (probe->key == KEY_NONE || !(hit = tfind(probe, &s->dso_tree, dso_cmp)))
		return 0;
	return (*hit)->id;
}

/* Copies tmpl (and its path); returns the new id, 0 on failure. */
static uint32_t dso_add(struct symbolizer *s, const struct dso *tmpl)
{
	struct dso *d;

	if (s->ndsos >= SYM_MAX_DSOS)
		return 0;
	if (grow_array((void **)&s->dsos, &s->dcap, s->ndsos + 1, sizeof(*s->dsos)) ||
	    !(d = malloc(sizeof(*d))))
		return 0;
	*d = *tmpl;
	d->id = s->ndsos + 1;
	if (!(d->path = strdup(tmpl->path)) ||
	    (d->key != KEY_NONE && !tsearch(d, &s->dso_tree, dso_cmp))) {
		free(d->path);
		free(d);
		return 0;
	}
	s->dsos[s->ndsos++] = d;
	return d->id;
}

static uint32_t dso_named(struct symbolizer *s, uint32_t *slot, uint8_t kind,
			  const char *path, uint32_t flags)
{
	struct dso t = { .path = (char *)path, .kind = kind, .flags = flags, .fd = -1 };

	if (!*slot)
		*slot = dso_add(s, &t);
	return *slot;
}

/* ---- process table ---- */

static int proc_cmp(const void *a, const void *b)
{
	return cmp_u64(((const struct proc *)a)->pid, ((const struct proc *)b)->pid);
}

static struct proc *proc_find(struct symbolizer *s, uint32_t pid)
{
	struct proc key = { .pid = pid }, **hit;

	if (s->last && s->last->pid == pid)
		return s->last;
	if (!(hit = tfind(&key, &s->proc_tree, proc_cmp)))
		return NULL;
	return s->last = *hit;
}

static uint32_t pid_uid(uint32_t pid)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u", pid);
	return stat(path, &st) ? UINT32_MAX : (uint32_t)st.st_uid;
}

static struct proc *proc_get(struct symbolizer *s, uint32_t pid)
{
	struct proc *p = proc_find(s, pid);

	if (p)
		return p;
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	p->pid = pid;
	p->uid = pid_uid(pid);
	if (!tsearch(p, &s->proc_tree, proc_cmp)) {
		free(p);
		return NULL;
	}
	return p;
}

static void proc_free(void *p)
{
	if (p)
		rangemap_release(&((struct proc *)p)->maps);
	free(p);
}

void symbolizer_forget_pid(struct symbolizer *s, uint32_t pid)
{
	struct proc *p;

	if (!s || !(p = proc_find(s, pid)))
		return;
	s->last = NULL;
	tdelete(p, &s->proc_tree, proc_cmp);
	proc_free(p);
}

int symbolizer_fork(struct symbolizer *s, uint32_t ppid, uint32_t pid)
{
	struct rangemap maps = { 0 };
	struct proc *parent, *child;

	if (!s || !(parent = proc_find(s, ppid)))
		return -ESRCH;
	if (rangemap_copy(&maps, &parent->maps))
		return -ENOMEM;
	if (!(child = proc_get(s, pid))) {
		rangemap_release(&maps);
		return -ENOMEM;
	}
	rangemap_release(&child->maps);
	child->maps = maps;
	child->uid = parent->uid;
	/* Code the child maps anonymously later is in its own perf map. */
	child->jit_dso = 0;
	return 0;
}

/* ---- file-backed DSOs ---- */

/* r NULL: no identity to check (map_files is the mapped file itself). */
static int open_verified(const char *path, const struct file_ref *r, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode) ||
	    (r && r->ino && (st->st_ino != r->ino || st->st_dev != r->dev))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * map_files reaches the very file mapped, even deleted or in another
 * mount namespace; the named paths are fallbacks checked against dev/inode.
 * map_files is not checked: on overlayfs (containers) /proc/PID/maps names
 * the underlying file's device while the file opened is the overlay's.
 */
static int open_mapping(uint32_t pid, const struct file_ref *r, struct stat *st)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/map_files/%llx-%llx", pid,
		 (unsigned long long)r->start, (unsigned long long)r->end);
	if ((fd = open_verified(path, NULL, st)) >= 0)
		return fd;
	if (r->path[0] == '/' &&
	    snprintf(path, sizeof(path), "/proc/%u/root%s", pid, r->path) < (int)sizeof(path) &&
	    (fd = open_verified(path, r, st)) >= 0)
		return fd;
	return open_verified(r->path, r, st);
}

static void set_identity(struct dso *d, const struct stat *st)
{
	d->key = KEY_INODE;
	d->dev = st->st_dev;
	d->ino = st->st_ino;
	d->size = (uint64_t)st->st_size;
	d->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec + 1;
}

static int same_file(const struct dso *d, const struct stat *st)
{
	struct dso t = { .key = KEY_INODE, .kind = d->kind };

	set_identity(&t, st);
	return d->key == KEY_INODE && dso_cmp(d, &t) == 0;
}

static void load_elf_fd(struct dso *d, int fd)
{
	struct elfsyms_opts o = { .path = d->path };
	const uint8_t *bid;
	size_t len;

	if (elfsyms_load_fd(fd, &o, &d->es))
		return;
	len = elfsyms_build_id(d->es, &bid);
	if (d->bid_len && (len != d->bid_len || memcmp(bid, d->build_id, len))) {
		elfsyms_free(d->es);  /* the file changed under the path */
		d->es = NULL;
	}
}

static void dso_loaded(struct dso *d)
{
	const uint8_t *bid;
	size_t len = elfsyms_build_id(d->es, &bid);

	d->loaded = 1;
	if (!d->bid_len && len) {
		memcpy(d->build_id, bid, len);
		d->bid_len = (uint8_t)len;
	}
	if (elfsyms_count(d->es))
		d->flags |= SYM_DSO_SYMBOLS;
}

static void load_lines(struct symbolizer *s, struct dso *d, int fd, const char *extra_debug)
{
	struct elfsyms_opts o = { .path = d->path, .extra_debug = extra_debug };

	if (srclines_open_fd(fd, &o, s->lines_pool, &d->sl, &d->sl_err) == -EBADMSG &&
	    !d->sl_err)
		d->sl_err = "unreadable DWARF";
}

/*
 * A file without debug information here: ask for it, and load again what
 * it was missing with the debug file that came (whose build-id elfsyms
 * checks once more).
 */
static void fetch_debug(struct symbolizer *s, struct dso *d, int fd)
{
	int want_syms = !(elfsyms_flags(d->es) & ELFSYMS_SYMTAB);
	int want_lines = s->lines && !d->sl && !d->sl_err;
	struct elfsyms_opts o = { .path = d->path };
	struct elfsyms *es;
	const uint8_t *bid;
	size_t len = elfsyms_build_id(d->es, &bid);
	char *dpath = NULL;

	if (!len || (!want_syms && !want_lines) ||
	    s->fetch(s->fetch_ctx, d->path, bid, len, &dpath) || !dpath) {
		free(dpath);
		return;
	}
	o.extra_debug = dpath;
	if (want_syms && !elfsyms_load_fd(fd, &o, &es)) {
		const uint8_t *nbid;
		size_t nlen = elfsyms_build_id(es, &nbid);

		if (nlen == len && !memcmp(nbid, bid, len)) {
			elfsyms_free(d->es);
			d->es = es;
		} else {
			elfsyms_free(es);
		}
	}
	if (want_lines)
		load_lines(s, d, fd, dpath);
	free(dpath);
}

static void load_file(struct symbolizer *s, struct dso *d)
{
	struct file_ref r = { .path = d->path, .dev = d->dev, .ino = d->ino };
	struct stat st;
	int fd = d->fd;

	if (fd < 0 && (fd = open_verified(d->path, &r, &st)) >= 0 &&
	    d->mtime_ns && !same_file(d, &st)) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		load_elf_fd(d, fd);
	if (fd >= 0 && s->lines)
		load_lines(s, d, fd, NULL);
	if (fd >= 0 && s->code)
		elfcode_open_fd(fd, &d->code);	/* none: its functions' code is left out */
	if (fd >= 0 && d->es && s->fetch)
		fetch_debug(s, d, fd);
	if (fd >= 0)
		close(fd);
	if (d->fd >= 0)
		s->held_fds--;
	d->fd = -1;
	if (!d->es && d->bid_len)
		elfsyms_load_build_id(d->build_id, d->bid_len, NULL, &d->es);
	if (fd < 0 && s->lines && d->bid_len && !d->sl &&
	    srclines_open_build_id(d->build_id, d->bid_len, NULL, s->lines_pool, &d->sl,
				   &d->sl_err) == -EBADMSG &&
	    !d->sl_err)
		d->sl_err = "unreadable DWARF";
	dso_loaded(d);
}

/* Holding the fd makes a lazy load immune to the file being deleted or
 * replaced after the process exits. Past the budget, keep only fds the
 * path cannot lead back to, and load those at once when even that fails. */
static void keep_or_load(struct symbolizer *s, struct dso *d, int fd)
{
	struct stat st;
	int reopenable = !stat(d->path, &st) && same_file(d, &st);

	if (reopenable && s->held_fds >= s->fd_budget) {
		close(fd);
		return;
	}
	d->fd = fd;
	s->held_fds++;
	if (s->held_fds > 2 * s->fd_budget)
		load_file(s, d);
}

static uint32_t dso_for_file(struct symbolizer *s, uint32_t pid, const struct file_ref *r)
{
	struct dso t = { .path = (char *)r->path, .kind = DSO_FILE, .fd = -1,
			 .flags = r->deleted ? SYM_DSO_DELETED : 0 };
	struct stat st;
	int fd = open_mapping(pid, r, &st);
	uint32_t id;

	if (r->bid_len && r->bid_len <= ELFSYMS_BUILD_ID_MAX) {
		memcpy(t.build_id, r->bid, r->bid_len);
		t.bid_len = (uint8_t)r->bid_len;
	}
	if (fd >= 0) {
		set_identity(&t, &st);
	} else if (r->ino) {
		t.key = KEY_INODE;
		t.dev = r->dev;
		t.ino = r->ino;
	} else {
		t.key = t.bid_len ? KEY_BUILD_ID : KEY_PATH;
	}
	id = dso_find(s, &t);
	if (!id && (id = dso_add(s, &t)) && fd >= 0) {
		keep_or_load(s, s->dsos[id - 1], fd);
		return id;
	}
	if (fd >= 0)
		close(fd);
	return id;
}

/* ---- vDSO ---- */

/* The image is parsed once per distinct content: all 64-bit tasks share
 * one, 32-bit and x32 tasks have others; build-ids tell them apart. */
static uint32_t vdso_from_image(struct symbolizer *s, const unsigned char *img, size_t size)
{
	struct dso t = { .path = "[vdso]", .kind = DSO_VDSO, .key = KEY_BUILD_ID,
			 .flags = SYM_DSO_VDSO, .fd = -1 };
	struct elfsyms *es = NULL;
	const uint8_t *bid;
	uint32_t id;

	if (s->vdso_id && size == s->vdso_size && !memcmp(img, s->vdso_img, size))
		return s->vdso_id;
	if (elfsyms_load_mem(img, size, &es) || !(t.bid_len = (uint8_t)elfsyms_build_id(es, &bid))) {
		elfsyms_free(es);
		return 0;
	}
	memcpy(t.build_id, bid, t.bid_len);
	if (!(id = dso_find(s, &t)) && (id = dso_add(s, &t))) {
		s->dsos[id - 1]->es = es;
		es = NULL;
		dso_loaded(s->dsos[id - 1]);
	}
	elfsyms_free(es);
	free(s->vdso_img);
	if (id && (s->vdso_img = malloc(size))) {
		memcpy(s->vdso_img, img, size);
		s->vdso_size = size;
		s->vdso_id = id;
	} else {
		s->vdso_img = NULL;
		s->vdso_id = 0;
	}
	return id;
}

/* Ours stands in when the task's cannot be read; its section headers
 * end the image. */
static uint32_t own_vdso(struct symbolizer *s)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	uint32_t id = 0;

	if (s->own_vdso)
		return s->own_vdso;
	if (eh && !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	    eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize <= SYM_VDSO_MAX)
		id = vdso_from_image(s, (const void *)eh,
				     eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize);
	if (!id)
		id = dso_named(s, &id, DSO_VDSO, "[vdso]", SYM_DSO_VDSO);
	return s->own_vdso = id;
}

static uint32_t dso_for_vdso(struct symbolizer *s, uint32_t pid, uint64_t start, uint64_t end)
{
	size_t size = end - start;
	unsigned char *img;
	char path[32];
	uint32_t id = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/mem", pid);
	if (size <= SYM_VDSO_MAX && (img = malloc(size))) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			if (pread(fd, img, size, (off_t)start) == (ssize_t)size)
				id = vdso_from_image(s, img, size);
			close(fd);
		}
		free(img);
	}
	return id ? id : own_vdso(s);
}

/* ---- JIT code: perf-PID.map ---- */

static uint32_t jit_dso(struct symbolizer *s, struct proc *p)
{
	char path[40];
	uint32_t id;

	if (p->jit_dso)
		return p->jit_dso;
	snprintf(path, sizeof(path), "/tmp/perf-%u.map", p->pid);
	if ((id = dso_named(s, &p->jit_dso, DSO_JIT, path, SYM_DSO_JIT)))
		s->dsos[id - 1]->uid = p->uid;
	return id;
}

static void jit_refresh(struct dso *d)
{
	int fd = perfmap_open(d->path, d->uid);

	if (fd < 0)
		return;
	if (d->pm || !perfmap_new(&d->pm))
		perfmap_update_fd(d->pm, fd);  /* a replaced file keeps old data */
	close(fd);
}

static int jit_lookup(struct dso *d, uint64_t ip, struct perfmap_sym *sym)
{
	int64_t now;

	if (d->pm && !perfmap_lookup(d->pm, ip, sym))
		return 0;
	now = (int64_t)monotonic_ns();
	if (d->pm_checked_ns && now - d->pm_checked_ns < SYM_PERFMAP_RECHECK_NS)
		return -ENOENT;
	d->pm_checked_ns = now;
	jit_refresh(d);
	if (d->pm && perfmap_count(d->pm))
		d->flags |= SYM_DSO_SYMBOLS;
	return d->pm ? perfmap_lookup(d->pm, ip, sym) : -ENOENT;
}

/* ---- kernel ---- */

int symbolizer_load_kernel(struct symbolizer *s)
{
	if (!s)
		return -EINVAL;
	if (s->ks_tried)
		return s->ks_err;
	s->ks_tried = 1;
	s->ks_err = ksyms_load(NULL, &s->ks);
	if (!s->ks_err &&
	    !(s->mod_dso = calloc(ksyms_module_count(s->ks) + 1, sizeof(*s->mod_dso)))) {
		ksyms_free(s->ks);
		s->ks = NULL;
		s->ks_err = -ENOMEM;
	}
	return s->ks_err;
}

static uint32_t module_dso(struct symbolizer *s, const struct ksym *k)
{
	char path[600];

	snprintf(path, sizeof(path), "[%s]", k->module);
	return dso_named(s, &s->mod_dso[k->module_id], DSO_KERNEL, path,
			 SYM_DSO_KERNEL | SYM_DSO_MODULE);
}

static void resolve_kernel(struct symbolizer *s, uint64_t ip, struct sym_result *out)
{
	uint32_t id = dso_named(s, &s->kernel_dso, DSO_KERNEL, "[kernel.kallsyms]",
				SYM_DSO_KERNEL);
	struct ksym k;

	if (!symbolizer_load_kernel(s) && !ksyms_lookup(s->ks, ip, &k)) {
		if (k.module_id && module_dso(s, &k))
			id = s->mod_dso[k.module_id];
		out->name = k.name;
		out->sym_start = k.addr;
		out->sym_size = k.size;
		out->offset = ip - k.addr;
	}
	if (!id)
		return;
	s->dsos[id - 1]->flags |= SYM_DSO_HIT;
	if (s->ks)
		s->dsos[id - 1]->flags |= SYM_DSO_SYMBOLS;
	out->dso = s->dsos[id - 1]->path;
	out->dso_id = id;
}

/* ---- learning mappings ---- */

static uint32_t dso_for_anon(struct symbolizer *s, struct proc *p, int kind)
{
	if (kind == PROCMAP_VSYSCALL)
		return dso_named(s, &s->vsyscall_dso, DSO_OTHER, "[vsyscall]", SYM_DSO_ANON);
	return jit_dso(s, p);
}

static uint32_t dso_for_entry(struct symbolizer *s, struct proc *p,
			      const struct procmap_entry *e)
{
	struct file_ref r = { .start = e->start, .end = e->end, .path = e->path,
			      .dev = makedev(e->dev_major, e->dev_minor),
			      .ino = e->inode, .deleted = e->deleted };

	int kind = e->kind == PROCMAP_FILE ? procmaps_path_kind(e->path) : e->kind;

	if (kind == PROCMAP_FILE)
		return dso_for_file(s, p->pid, &r);
	if (kind == PROCMAP_VDSO)
		return dso_for_vdso(s, p->pid, e->start, e->end);
	return dso_for_anon(s, p, kind);
}

int symbolizer_add_pid(struct symbolizer *s, uint32_t pid)
{
	struct procmaps pm;
	struct proc *p;
	size_t i;
	int rc;

	if (!s)
		return -EINVAL;
	if ((rc = procmaps_read_pid(pid, &pm)))
		return rc == -ENOENT ? -ESRCH : rc;
	if (!(p = proc_get(s, pid))) {
		procmaps_release(&pm);
		return -ENOMEM;
	}
	p->uid = pid_uid(pid);
	p->maps.n = 0;
	for (i = 0; i < pm.count && !rc; i++) {
		const struct procmap_entry *e = &pm.entries[i];
		struct range m = { e->start, e->end, e->pgoff, 0 };

		if (!(e->perms & PROCMAP_EXEC))
			continue;
		if (!(m.val = dso_for_entry(s, p, e)))
			rc = -ENOMEM;
		else
			rc = rangemap_insert(&p->maps, &m, SYM_MAX_MAPS);
	}
	procmaps_release(&pm);
	return rc;
}

static uint32_t mapping_dso(struct symbolizer *s, struct proc *p, const struct sym_mapping *m)
{
	static const char del[] = " (deleted)";
	struct file_ref r = { .start = m->start, .end = m->start + m->len,
			      .dev = makedev(m->dev_major, m->dev_minor), .ino = m->inode,
			      .bid = m->build_id, .bid_len = m->build_id ? m->build_id_len : 0 };
	int kind = procmaps_path_kind(m->path);
	size_t len;
	char *path;
	uint32_t id;

	if (kind == PROCMAP_VDSO)
		return dso_for_vdso(s, p->pid, r.start, r.end);
	if (kind != PROCMAP_FILE)
		return dso_for_anon(s, p, kind);
	if (!(path = strdup(m->path)))
		return 0;
	len = strlen(path);
	if (len > sizeof(del) - 1 && !strcmp(path + len - (sizeof(del) - 1), del)) {
		path[len - (sizeof(del) - 1)] = '\0';
		r.deleted = 1;
	}
	r.path = path;
	id = dso_for_file(s, p->pid, &r);
	free(path);
	return id;
}

int symbolizer_add_mapping(struct symbolizer *s, uint32_t pid, const struct sym_mapping *m)
{
	struct range nm;
	struct proc *p;

	if (!s || !m || !m->len || m->start + m->len < m->start)
		return -EINVAL;
	if (!(p = proc_get(s, pid)))
		return -ENOMEM;
	nm.start = m->start;
	nm.end = m->start + m->len;
	nm.pgoff = m->pgoff;
	if (!(nm.val = mapping_dso(s, p, m)))
		return -ENOMEM;
	return rangemap_insert(&p->maps, &nm, SYM_MAX_MAPS);
}

/* ---- resolving ---- */

static void resolve_in_dso(struct symbolizer *s, struct dso *d, uint64_t ip,
			   struct sym_result *out)
{
	struct perfmap_sym ps;
	struct elfsym es;

	if (d->kind == DSO_JIT) {
		out->dso_addr = ip;
		if (!jit_lookup(d, ip, &ps)) {
			out->name = ps.name;
			out->sym_start = ps.start;
			out->sym_size = ps.size;
			out->offset = ip - ps.start;
		}
		return;
	}
	if (d->kind != DSO_FILE && d->kind != DSO_VDSO)
		return;
	if (!d->loaded)
		load_file(s, d);
	if (!d->es)
		return;
	elfsyms_off_to_vaddr(d->es, out->dso_addr, &out->dso_addr);
	if (!elfsyms_lookup(d->es, out->dso_addr, &es)) {
		out->name = es.name;
		out->sym_start = es.addr;
		out->sym_size = es.size;
		out->offset = out->dso_addr - es.addr;
	}
}

int symbolizer_resolve(struct symbolizer *s, uint32_t pid, uint64_t ip,
		       int is_kernel, struct sym_result *out)
{
	const struct range *m;
	struct proc *p;
	struct dso *d;

	if (!s || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->dso = "[unknown]";
	out->dso_addr = ip;
	out->is_kernel = !!is_kernel;
	if (is_kernel) {
		resolve_kernel(s, ip, out);
		return 0;
	}
	if (!(p = proc_find(s, pid)) || !(m = rangemap_find(&p->maps, ip)))
		return 0;
	d = s->dsos[m->val - 1];
	d->flags |= SYM_DSO_HIT;
	out->dso = d->path;
	out->dso_id = (uint32_t)m->val;
	out->dso_addr = ip - m->start + m->pgoff;
	resolve_in_dso(s, d, ip, out);
	out->map_start = m->start;
	out->map_len = m->end - m->start;
	out->map_dso_addr = out->dso_addr - (ip - m->start);
	return 0;
}

/* ---- lifetime and DSO listing ---- */

int symbolizer_new(struct symbolizer **out)
{
	struct rlimit rl;

	if (!out)
		return -EINVAL;
	if (!(*out = calloc(1, sizeof(**out))))
		return -ENOMEM;
	(*out)->fd_budget = 16;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur / 4 > 16)
		(*out)->fd_budget = rl.rlim_cur / 4 > SYM_MAX_HELD_FDS ? SYM_MAX_HELD_FDS
								 : rl.rlim_cur / 4;
	return 0;
}

static void noop_free(void *p)
{
	(void)p;
}

void symbolizer_free(struct symbolizer *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->ndsos; i++) {
		struct dso *d = s->dsos[i];

		free(d->path);
		elfsyms_free(d->es);
		perfmap_free(d->pm);
		srclines_free(d->sl);
		elfcode_free(d->code);
		if (d->fd >= 0)
			close(d->fd);
		free(d);
	}
	tdestroy(s->dso_tree, noop_free);
	tdestroy(s->proc_tree, proc_free);
	free(s->dsos);
	srclines_pool_free(s->lines_pool);
	ksyms_free(s->ks);
	free(s->mod_dso);
	free(s->vdso_img);
	free(s);
}

uint32_t symbolizer_dso_count(const struct symbolizer *s)
{
	return s ? s->ndsos : 0;
}

int symbolizer_dso_info(const struct symbolizer *s, uint32_t id, struct sym_dso_info *out)
{
	const struct dso *d;

	if (!s || !out)
		return -EINVAL;
	if (id == 0 || id > s->ndsos)
		return -ENOENT;
	d = s->dsos[id - 1];
	out->id = id;
	out->flags = d->flags;
	out->path = d->path;
	out->build_id = d->bid_len ? d->build_id : NULL;
	out->build_id_len = d->bid_len;
	return 0;
}

/* ---- source lines ---- */

int symbolizer_set_srclines(struct symbolizer *s, int on, uint64_t budget)
{
	if (!s)
		return -EINVAL;
	s->lines = !!on;
	if (on && budget && !s->lines_pool)
		return srclines_pool_new(budget, &s->lines_pool);
	return 0;
}

void symbolizer_srclines_stats(const struct symbolizer *s, struct srclines_pool_stats *out)
{
	srclines_pool_stats(s ? s->lines_pool : NULL, out);
}

void symbolizer_set_fetch(struct symbolizer *s, symbolizer_fetch_fn fn, void *ctx)
{
	if (s) {
		s->fetch = fn;
		s->fetch_ctx = ctx;
	}
}

int symbolizer_srclines(struct symbolizer *s, uint32_t id, uint64_t dso_addr,
			struct src_frame *out, size_t max)
{
	const char *why;
	struct dso *d;
	int n;

	if (!s || !out)
		return -EINVAL;
	if (id == 0 || id > s->ndsos)
		return -ENOENT;
	d = s->dsos[id - 1];
	if (d->kind != DSO_FILE || !d->sl)
		return 0;
	n = srclines_lookup(d->sl, dso_addr, out, max, &why);
	if (n < 0 && !d->sl_err)
		d->sl_err = why ? why : "unreadable DWARF";
	return n < 0 ? 0 : n;
}

const char *symbolizer_srclines_error(const struct symbolizer *s, uint32_t id)
{
	if (!s || id == 0 || id > s->ndsos)
		return NULL;
	return s->dsos[id - 1]->sl_err;
}

int symbolizer_has_srclines(const struct symbolizer *s, uint32_t id)
{
	return s && id && id <= s->ndsos && s->dsos[id - 1]->sl;
}

void symbolizer_set_code(struct symbolizer *s, int on)
{
	if (s)
		s->code = !!on;
}

static struct dso *file_dso(struct symbolizer *s, uint32_t id)
{
	struct dso *d = s && id && id <= s->ndsos ? s->dsos[id - 1] : NULL;

	return d && d->kind == DSO_FILE ? d : NULL;
}

int symbolizer_code(struct symbolizer *s, uint32_t id, uint64_t dso_addr, uint64_t len,
		    const uint8_t **p, size_t *got)
{
	struct dso *d = file_dso(s, id);

	*p = NULL;
	*got = 0;
	return d && d->code ? elfcode_get(d->code, dso_addr, len, p, got) : -ENOENT;
}

int symbolizer_code_rows(struct symbolizer *s, uint32_t id, uint64_t lo, uint64_t hi,
			 struct src_row *out, size_t max)
{
	struct dso *d = file_dso(s, id);
	int n;

	if (!d || !d->sl)
		return 0;
	n = srclines_rows(d->sl, lo, hi, out, max, NULL);
	return n < 0 ? 0 : n;	/* unreadable lines: the code goes without */
}
