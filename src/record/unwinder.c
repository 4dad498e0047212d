/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unwind tables in the sampler's maps, one per file, shared by its processes. */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <pthread.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "record/unwinder.h"
#include "symbols/procmaps.h"
#include "data/datafile.h"
#include "unwind/cfi-table.h"
#include "lib/util.h"
#include "bpf/unwind.h"

_Static_assert(UNWIND_MARKER_BASE == DF_UNWIND_STOP_BASE && (int)UNWIND_STOP_DEPTH == (int)DF_UNWIND_STOP_DEPTH &&
	       (int)UNWIND_STOP__MAX == (int)DF_UNWIND_STOP__MAX,
	       "the unwinder's stop markers are the data file's");

#define UF_MAX_SEGS 4		/* executable PT_LOADs of one file */
/*
 * Files smaller than this that the side band tells of get their table at
 * once, on the reading thread (a program someone else started, whose first
 * samples come within a few ms); bigger ones go to the worker (libpython:
 * 74k rows, ~40 ms).
 */
#define UF_SYNC_BYTES (256u << 10)

/* UF_BUILT: the table is built, waiting for the maps (unwinder_attach). */
enum uf_state { UF_QUEUED, UF_BUILT, UF_LOADED, UF_NO_CFI, UF_OVER_CAP };

struct ufile {
	uint64_t dev, ino, size;
	int64_t mtime_ns;
	/*
	 * The kernel's name of the file, as /proc/PID/maps and the walker's
	 * bpf_find_vma see it: on overlayfs the underlying file's, not the
	 * dev and ino fstat gives.  Under the lock.
	 */
	uint64_t kdev, kino;
	uint32_t id;			/* index in unwind_files */
	int state;			/* enum uf_state, under the lock */
	int fd;				/* for the worker; -1 once built */
	const void *mem;		/* or the image in our memory (the vDSO) */
	size_t mem_size;
	uint32_t n_segs;
	struct { uint64_t offset, vaddr, filesz; } segs[UF_MAX_SEGS];
	struct ufile *next;		/* in the worker's queue */
	struct unwind_table pending;	/* UF_BUILT */
};

struct uproc {
	uint32_t pid;
	struct unwind_proc p;
};

struct unwinder {
	int rows_fd, files_fd, procs_fd, inodes_fd;
	uint32_t max_rows, max_files, max_procs;
	void *file_tree, *proc_tree;
	struct ufile **files;		/* by id */
	uint32_t n_files, n_procs;
	size_t files_cap;
	struct ufile *vdso;

	/* Shared with the worker, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t worker;
	bool started, stop, attached;
	bool busy;			/* the worker is building a table */
	volatile int cancel;		/* stop the table being built: we are done */
	struct ufile *head;		/* the worker's queue, smallest file first */
	uint32_t next_row;
	uint32_t gen;			/* the last unwind_proc.gen written; the recorder's thread only */
	struct unwinder_stats st;
};

void unwinder_map_sizes(uint64_t bytes, struct sampler_opts *so)
{
	uint64_t rows = bytes / sizeof(struct unwind_krow);

	so->unwind_rows = rows > UINT32_MAX ? UINT32_MAX : rows ? (uint32_t)rows : 1;
	so->unwind_files = UNWINDER_MAX_FILES;
	so->unwind_procs = UNWINDER_MAX_PROCS;
}

/* ---- the worker ---------------------------------------------------------- */

static bool fits(int64_t off, int bits)
{
	return !(off & 7) && off / 8 >= -(1ll << (bits - 1)) && off / 8 < (1ll << (bits - 1));
}

/* struct unwind_krow's packing (bpf/unwind.h); what does not fit is unsupported. */
static struct unwind_krow pack_row(const struct unwind_row *r)
{
	uint32_t kind = r->kind & UNWIND_KIND_MASK, saved = r->kind & UNWIND_RBP_SAVED;
	int64_t cfa = r->cfa_off, rbp = saved ? r->rbp_off : 0;

	if (!fits(cfa, 21) || !fits(rbp, 6))
		return (struct unwind_krow){ r->pc, UNWIND_UNSUPPORTED };
	return (struct unwind_krow){
		r->pc, kind | saved | ((uint32_t)(rbp / 8) & 0x3f) << 5 | (uint32_t)(cfa / 8) << 11
	};
}

/*
 * Into unwind_rows at first, through a mapping of just those pages: the
 * map's memory is the kernel's, but a page mapped here counts in our
 * resident size for as long as it stays mapped.
 */
static int write_rows(struct unwinder *u, uint32_t first, const struct unwind_table *t)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t off = (size_t)first * sizeof(struct unwind_krow);
	size_t start = off & ~(page - 1);
	size_t len = (off + (size_t)t->n_rows * sizeof(struct unwind_krow) - start + page - 1) &
		     ~(page - 1);
	struct unwind_krow *rows;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, u->rows_fd, (off_t)start);

	if (p == MAP_FAILED)
		return -errno;
	rows = (struct unwind_krow *)((char *)p + (off - start));
	for (uint32_t i = 0; i < t->n_rows; i++)
		rows[i] = pack_row(&t->rows[i]);
	munmap(p, len);
	return 0;
}

/*
 * Name the table by its inode too, for the walker's own look at a task's
 * mappings; the kernel's dev_t is (major << 20 | minor).  A file mapped
 * from memory (the vDSO) has no inode.
 */
static int write_inode(struct unwinder *u, const struct ufile *f, uint64_t kdev, uint64_t kino)
{
	struct unwind_inode_key k = { .dev = ((uint64_t)major(kdev) << 20) | minor(kdev), .ino = kino };
	struct unwind_inode v = { .file = f->id };

	if (f->mem || !f->n_segs)
		return 0;
	v.seg_lo = f->segs[0].offset & ~4095ull;
	v.seg_end = f->segs[0].offset + f->segs[0].filesz;
	v.delta = f->segs[0].offset - f->segs[0].vaddr;
	return bpf_map_update_elem(u->inodes_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

/* Place a built table in the maps and account for it; takes t's rows. */
static void install(struct unwinder *u, struct ufile *f, struct unwind_table *t)
{
	struct unwind_file uf = { 0 };
	uint64_t kdev, kino;
	int state = UF_NO_CFI;

	pthread_mutex_lock(&u->lock);
	if (t->n_rows && t->n_rows <= u->max_rows - u->next_row) {
		uf.first_row = u->next_row;
		uf.n_rows = t->n_rows;
		u->next_row += t->n_rows;
		state = UF_LOADED;
	} else if (t->n_rows) {
		state = UF_OVER_CAP;
	}
	pthread_mutex_unlock(&u->lock);
	/* Rows first: the BPF side reads them once the file entry says so. */
	if (state == UF_LOADED && (write_rows(u, uf.first_row, t) ||
				   bpf_map_update_elem(u->files_fd, &f->id, &uf, BPF_ANY)))
		state = UF_NO_CFI;
	unwind_table_release(t);
	pthread_mutex_lock(&u->lock);
	f->state = state;
	kdev = f->kdev;
	kino = f->kino;
	if (state == UF_LOADED) {
		u->st.files++;
		u->st.rows += uf.n_rows;
	} else if (state == UF_OVER_CAP) {
		u->st.files_over_cap++;
	} else {
		u->st.files_no_cfi++;
	}
	pthread_mutex_unlock(&u->lock);
	/* Without it, only the process entries' mappings reach f's table. */
	if (state == UF_LOADED)
		write_inode(u, f, kdev, kino);
}

static void load_table(struct unwinder *u, struct ufile *f)
{
	struct unwind_table t = { 0 };
	int err;

	err = f->mem ? unwind_table_from_mem(f->mem, f->mem_size, &t) :
		       unwind_table_build(f->fd, NULL, &u->cancel, &t);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (err)
		t.n_rows = 0;
	pthread_mutex_lock(&u->lock);
	if (!u->attached) {	/* built while the BPF object loads: kept for attach */
		f->pending = t;
		f->state = UF_BUILT;
		pthread_mutex_unlock(&u->lock);
		return;
	}
	pthread_mutex_unlock(&u->lock);
	install(u, f, &t);
}

static void *worker_main(void *arg)
{
	struct unwinder *u = arg;

	pthread_mutex_lock(&u->lock);
	for (;;) {
		struct ufile *f;

		while (!u->stop && !u->head)
			pthread_cond_wait(&u->cond, &u->lock);
		if (u->stop)
			break;
		f = u->head;
		u->head = f->next;
		u->busy = true;
		pthread_mutex_unlock(&u->lock);
		load_table(u, f);
		pthread_mutex_lock(&u->lock);
		u->busy = false;
		pthread_cond_broadcast(&u->cond);
	}
	pthread_mutex_unlock(&u->lock);
	return NULL;
}

/*
 * Smallest file first: a program's own binary is often tiny and its first
 * samples land there, while a big library's table takes tens of ms.
 */
static void enqueue(struct unwinder *u, struct ufile *f)
{
	struct ufile **p;

	pthread_mutex_lock(&u->lock);
	for (p = &u->head; *p && (*p)->size <= f->size; p = &(*p)->next)
		;
	f->next = *p;
	*p = f;
	pthread_cond_broadcast(&u->cond);
	pthread_mutex_unlock(&u->lock);
}

/* ---- files --------------------------------------------------------------- */

static int file_cmp(const void *pa, const void *pb)
{
	const struct ufile *a = pa, *b = pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return a->mtime_ns < b->mtime_ns ? -1 : a->mtime_ns > b->mtime_ns;
}

/* The executable segments, which say where a mapping's addresses lie in the file. */
static int read_segments(struct ufile *f, int fd, const void *mem, size_t size)
{
	Elf *e = mem ? elf_memory((char *)mem, size) : elf_begin(fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	size_t n;
	int err = -ENOEXEC;

	if (!e)
		return -ENOEXEC;
	if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || elf_getphdrnum(e, &n))
		goto out;
	for (size_t i = 0; i < n && f->n_segs < UF_MAX_SEGS; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		f->segs[f->n_segs].offset = ph.p_offset;
		f->segs[f->n_segs].vaddr = ph.p_vaddr;
		f->segs[f->n_segs].filesz = ph.p_filesz;
		f->n_segs++;
	}
	err = f->n_segs ? 0 : -ENOEXEC;
out:
	elf_end(e);
	return err;
}

/*
 * When to build a new file's table: at once, at once if small (a
 * mapping the side band just told, whose process may be gone in ms), or
 * on the worker (files the recording waits for anyway, while the BPF
 * object loads on this thread).
 */
enum build_when { BUILD_NOW, BUILD_NOW_IF_SMALL, BUILD_LATER };

static struct ufile *file_add(struct unwinder *u, struct ufile *tmpl, int fd, enum build_when when)
{
	struct ufile *f, **slot;

	if (u->n_files >= u->max_files)
		return NULL;
	if (grow_array((void **)&u->files, &u->files_cap, u->n_files + 1, sizeof(*u->files)))
		return NULL;
	f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	*f = *tmpl;
	f->id = u->n_files;
	f->fd = -1;
	if (read_segments(f, fd, f->mem, f->mem_size)) {
		f->state = UF_NO_CFI;
		u->st.files_no_cfi++;
	} else {
		f->state = UF_QUEUED;
	}
	slot = tsearch(f, &u->file_tree, file_cmp);
	if (!slot) {
		free(f);
		return NULL;
	}
	u->files[u->n_files++] = f;
	if (f->state == UF_QUEUED) {
		f->fd = f->mem ? -1 : dup(fd);
		if (when == BUILD_NOW || (when == BUILD_NOW_IF_SMALL && f->size < UF_SYNC_BYTES))
			load_table(u, f);
		else if (f->mem || f->fd >= 0)
			enqueue(u, f);
	}
	return f;
}

static int open_checked(const char *path, uint64_t dev, uint64_t ino, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode) || (ino && (st->st_ino != ino || st->st_dev != dev))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * map_files reaches the file mapped, even deleted or in another mount
 * namespace, so it needs no identity check; on overlayfs it could not pass
 * one (the maps name the underlying file's device, the file opened is the
 * overlay's).  The named paths are checked.
 */
static int open_mapped(uint32_t pid, uint64_t start, uint64_t end, const char *path,
		       uint64_t dev, uint64_t ino, struct stat *st)
{
	char buf[PATH_MAX + 32];
	int fd;

	snprintf(buf, sizeof(buf), "/proc/%u/map_files/%llx-%llx", pid,
		 (unsigned long long)start, (unsigned long long)end);
	if ((fd = open_checked(buf, 0, 0, st)) >= 0)
		return fd;
	if (path[0] != '/')
		return -1;
	if (snprintf(buf, sizeof(buf), "/proc/%u/root%s", pid, path) < (int)sizeof(buf) &&
	    (fd = open_checked(buf, dev, ino, st)) >= 0)
		return fd;
	return open_checked(path, dev, ino, st);
}

static void identity(struct ufile *key, const struct stat *st)
{
	key->dev = key->kdev = st->st_dev;
	key->ino = key->kino = st->st_ino;
	key->size = (uint64_t)st->st_size;
	key->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* A file first met by its path, now by a mapping: the kernel's name may differ. */
static void rename_kernel(struct unwinder *u, struct ufile *f, uint64_t kdev, uint64_t kino)
{
	bool loaded;

	pthread_mutex_lock(&u->lock);
	f->kdev = kdev;
	f->kino = kino;
	loaded = f->state == UF_LOADED;
	pthread_mutex_unlock(&u->lock);
	if (loaded)
		write_inode(u, f, kdev, kino);
}

static struct ufile *file_for(struct unwinder *u, uint32_t pid, const struct unwinder_mapping *m,
			      enum build_when when)
{
	uint64_t dev = makedev(m->dev_major, m->dev_minor);
	struct ufile key = { 0 }, **found, *f;
	struct stat st;
	int fd = open_mapped(pid, m->start, m->start + m->len, m->path, dev, m->inode, &st);

	if (fd < 0)
		return NULL;
	identity(&key, &st);
	if (m->inode) {
		key.kdev = dev;
		key.kino = m->inode;
	}
	found = tfind(&key, &u->file_tree, file_cmp);
	f = found ? *found : file_add(u, &key, fd, when);
	close(fd);
	if (found && (f->kdev != key.kdev || f->kino != key.kino))
		rename_kernel(u, f, key.kdev, key.kino);
	return f;
}

/* execvp()'s search: the name as a path if it has a slash, else along PATH. */
static int open_program(const char *name, struct stat *st)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		return open_checked(name, 0, 0, st);
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), end > p ? p : ".", name) >=
		    (int)sizeof(buf))
			continue;
		if (!access(buf, X_OK) && (fd = open_checked(buf, 0, 0, st)) >= 0)
			return fd;
	}
	return -1;
}

int unwinder_add_program(struct unwinder *u, const char *name)
{
	struct ufile key = { 0 };
	struct stat st;
	int fd = open_program(name, &st);

	if (fd < 0)
		return -ENOENT;
	identity(&key, &st);
	if (!tfind(&key, &u->file_tree, file_cmp) && !file_add(u, &key, fd, BUILD_LATER)) {
		close(fd);
		return -ENOMEM;
	}
	close(fd);
	return 0;
}

/* Every 64-bit process maps the kernel's one vDSO: ours is the same image. */
static struct ufile *vdso_file(struct unwinder *u)
{
	const GElf_Ehdr *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	struct ufile key = { .dev = ~0ull, .ino = ~0ull };

	if (u->vdso || !eh)
		return u->vdso;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return NULL;
	key.mem = eh;
	key.mem_size = eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
	u->vdso = file_add(u, &key, -1, BUILD_NOW);
	return u->vdso;
}

/* ---- processes ----------------------------------------------------------- */

static int proc_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct uproc *)a)->pid, y = ((const struct uproc *)b)->pid;

	return x < y ? -1 : x > y;
}

static struct uproc *proc_find(struct unwinder *u, uint32_t pid)
{
	struct uproc key = { .pid = pid }, **p = tfind(&key, &u->proc_tree, proc_cmp);

	return p ? *p : NULL;
}

static struct uproc *proc_get(struct unwinder *u, uint32_t pid)
{
	struct uproc *p = proc_find(u, pid);

	if (p || u->n_procs >= u->max_procs)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	if (!tsearch(p, &u->proc_tree, proc_cmp)) {
		free(p);
		return NULL;
	}
	u->n_procs++;
	return p;
}

static int proc_push(struct unwinder *u, struct uproc *p)
{
	/* The walker caches rows by (pid, gen): a new gen drops the old ones. */
	p->p.gen = ++u->gen ?: ++u->gen;	/* 0 is "never cached" */
	return bpf_map_update_elem(u->procs_fd, &p->pid, &p->p, BPF_ANY) ? -errno : 0;
}

/* Put [start, end) of file f into p's sorted list, over whatever it overlaps. */
static void proc_insert(struct uproc *p, const struct ufile *f, uint64_t start, uint64_t end,
			uint64_t pgoff)
{
	struct unwind_map *m = p->p.maps, e = { .start = start, .end = end, .file = f->id };
	uint32_t n = 0, at;
	const typeof(f->segs[0]) *seg = NULL;

	for (uint32_t i = 0; i < f->n_segs; i++) {
		uint64_t lo = f->segs[i].offset & ~4095ull;

		if (pgoff >= lo && pgoff < f->segs[i].offset + f->segs[i].filesz)
			seg = &f->segs[i];
	}
	for (uint32_t i = 0; i < p->p.n_maps; i++)
		if (m[i].end <= start || m[i].start >= end)
			m[n++] = m[i];
	p->p.n_maps = n;
	if (!seg || n >= UNWIND_MAX_MAPS)
		return;		/* no code of the file there, or no room: frame pointers */
	e.bias = start - pgoff + seg->offset - seg->vaddr;
	for (at = n; at > 0 && m[at - 1].start > start; at--)
		m[at] = m[at - 1];
	m[at] = e;
	p->p.n_maps++;
}

static void add_one(struct unwinder *u, struct uproc *p, const struct unwinder_mapping *m)
{
	int kind = procmaps_path_kind(m->path);
	struct ufile *f = NULL;

	if (!m->exec || !m->len)
		return;
	if (kind == PROCMAP_VDSO)
		f = vdso_file(u);
	else if (kind == PROCMAP_FILE)
		f = file_for(u, p->pid, m, BUILD_NOW_IF_SMALL);
	if (f)
		proc_insert(p, f, m->start, m->start + m->len, kind == PROCMAP_VDSO ? 0 : m->pgoff);
}

int unwinder_add_pid(struct unwinder *u, uint32_t pid)
{
	struct procmaps pm = { 0 };
	struct uproc *p;
	int err = procmaps_read_pid(pid, &pm);

	if (err)
		return err == -ENOENT ? -ESRCH : err;
	p = proc_get(u, pid);
	if (!p) {
		procmaps_release(&pm);
		return -ENOMEM;
	}
	p->p.n_maps = 0;
	for (size_t i = 0; i < pm.count; i++) {
		const struct procmap_entry *e = &pm.entries[i];
		struct unwinder_mapping m = {
			.start = e->start, .len = e->end - e->start, .pgoff = e->pgoff,
			.path = e->path, .dev_major = e->dev_major, .dev_minor = e->dev_minor,
			.inode = e->inode, .exec = e->perms & PROCMAP_EXEC,
		};

		add_one(u, p, &m);
	}
	procmaps_release(&pm);
	return proc_push(u, p);
}

int unwinder_add_all(struct unwinder *u)
{
	uint32_t self = (uint32_t)getpid();
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -errno;
	while ((d = readdir(dir)) && u->n_procs < u->max_procs) {
		char *end;
		unsigned long pid = strtoul(d->d_name, &end, 10);

		if (*end || !pid || pid > UINT32_MAX || pid == self)
			continue;
		unwinder_add_pid(u, (uint32_t)pid);	/* gone meanwhile, or a kernel thread */
	}
	closedir(dir);
	return 0;
}

int unwinder_add_targets(struct unwinder *u, const uint32_t *pids, size_t n_pids)
{
	if (!n_pids)
		return unwinder_add_all(u);
	for (size_t i = 0; i < n_pids; i++)
		unwinder_add_pid(u, pids[i]);
	return 0;
}

int unwinder_add_mapping(struct unwinder *u, uint32_t pid, const struct unwinder_mapping *m)
{
	struct uproc *p = proc_get(u, pid);

	if (!p)
		return -ENOMEM;
	add_one(u, p, m);
	return proc_push(u, p);
}

int unwinder_fork(struct unwinder *u, uint32_t ppid, uint32_t pid)
{
	struct uproc *parent = proc_find(u, ppid), *p;

	if (!parent)
		return -ESRCH;
	p = proc_get(u, pid);
	if (!p)
		return -ENOMEM;
	p->p = parent->p;
	return proc_push(u, p);
}

void unwinder_forget_pid(struct unwinder *u, uint32_t pid)
{
	struct uproc *p = proc_find(u, pid);

	if (!p)
		return;
	bpf_map_delete_elem(u->procs_fd, &pid);
	tdelete(p, &u->proc_tree, proc_cmp);
	free(p);
	u->n_procs--;
}

/* ---- life cycle ---------------------------------------------------------- */

/*
 * Nearly every process maps the C library and the dynamic loader, which
 * are ours too: start on their tables at once, so that a command's first
 * milliseconds already unwind.
 */
static void prefetch_common(struct unwinder *u)
{
	struct procmaps pm = { 0 };
	uint32_t self = (uint32_t)getpid();

	if (procmaps_read_pid(self, &pm))
		return;
	for (size_t i = 0; i < pm.count; i++) {
		const struct procmap_entry *e = &pm.entries[i];
		const char *base = strrchr(e->path, '/');
		struct unwinder_mapping m = {
			.start = e->start, .len = e->end - e->start, .pgoff = e->pgoff,
			.path = e->path, .dev_major = e->dev_major, .dev_minor = e->dev_minor,
			.inode = e->inode, .exec = true,
		};

		if (!(e->perms & PROCMAP_EXEC) || e->kind != PROCMAP_FILE || !base ||
		    (strncmp(base + 1, "libc.so.", 8) && strncmp(base + 1, "ld-linux", 8)))
			continue;
		file_for(u, self, &m, BUILD_LATER);
	}
	procmaps_release(&pm);
}

int unwinder_new(struct unwinder **out)
{
	struct unwinder *u;
	int err;

	*out = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->rows_fd = u->files_fd = u->procs_fd = u->inodes_fd = -1;
	u->max_files = UNWINDER_MAX_FILES;
	u->max_procs = UNWINDER_MAX_PROCS;
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->cond, NULL);
	err = -pthread_create(&u->worker, NULL, worker_main, u);
	if (err) {
		unwinder_free(u);
		return err;
	}
	u->started = true;
	prefetch_common(u);
	*out = u;
	return 0;
}

int unwinder_attach(struct unwinder *u, struct sampler *s)
{
	struct sampler_unwind_fds fds;
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);
	int err = sampler_unwind_fds(s, &fds);

	if (err)
		return err;
	if (bpf_obj_get_info_by_fd(fds.rows, &info, &len))
		return -errno;
	pthread_mutex_lock(&u->lock);
	u->rows_fd = fds.rows;
	u->files_fd = fds.files;
	u->procs_fd = fds.procs;
	u->inodes_fd = fds.inodes;
	u->max_rows = info.max_entries;
	u->st.max_bytes = (uint64_t)u->max_rows * sizeof(struct unwind_krow);
	u->attached = true;
	pthread_mutex_unlock(&u->lock);
	/* What the worker built meanwhile; it installs the rest itself. */
	for (uint32_t i = 0; i < u->n_files; i++) {
		struct ufile *f = u->files[i];
		bool built;

		pthread_mutex_lock(&u->lock);
		built = f->state == UF_BUILT;
		pthread_mutex_unlock(&u->lock);
		if (built)
			install(u, f, &f->pending);
	}
	return 0;
}

int unwinder_wait(struct unwinder *u, int timeout_ms)
{
	struct timespec until;
	int err = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&u->lock);
	while ((u->head || u->busy) && !err)
		err = pthread_cond_timedwait(&u->cond, &u->lock, &until);
	pthread_mutex_unlock(&u->lock);
	return err ? -err : 0;
}

static void noop_free(void *p)
{
	(void)p;
}

void unwinder_free(struct unwinder *u)
{
	if (!u)
		return;
	if (u->started) {
		pthread_mutex_lock(&u->lock);
		u->stop = true;
		u->cancel = 1;
		pthread_cond_signal(&u->cond);
		pthread_mutex_unlock(&u->lock);
		pthread_join(u->worker, NULL);
	}
	for (uint32_t i = 0; i < u->n_files; i++) {
		if (u->files[i]->fd >= 0)
			close(u->files[i]->fd);
		unwind_table_release(&u->files[i]->pending);
		free(u->files[i]);
	}
	tdestroy(u->file_tree, noop_free);
	tdestroy(u->proc_tree, free);
	free(u->files);
	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->cond);
	free(u);
}

void unwinder_stats(struct unwinder *u, struct unwinder_stats *st)
{
	pthread_mutex_lock(&u->lock);
	*st = u->st;
	pthread_mutex_unlock(&u->lock);
	st->procs = u->n_procs;
	st->row_bytes = st->rows * sizeof(struct unwind_krow);
}
