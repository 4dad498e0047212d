/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the side band says of processes: names, execs, mappings, forks, exits. */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>

#include "record/recorder-int.h"

/* ---- side-band ----------------------------------------------------------- */

static int sb_comm(void *ctx, uint32_t pid, uint32_t tid, const char *comm, bool exec,
		   uint64_t time_ns)
{
	struct recorder *r = ctx;
	uint32_t idx;
	int err;

	r->task_epoch++;	/* the samples' task cache is stale */
	if (!exec)
		return keyset_find(&r->threads, &(struct thread_key){ tid }) >= 0 ?
			recorder_write_comm(r, DF_TASK_COMM, pid, tid, comm, time_ns) : 0;
	err = recorder_proc_index(r, pid, &idx);
	if (err)
		return err;
	r->gens[idx] = ++r->next_gen;
	r->learned[idx] = true;	/* the new image's MMAP2 records follow */
	r->exit_ns[idx] = 0;
	symbolizer_forget_pid(r->syms, pid);
	if (r->unw)
		unwinder_forget_pid(r->unw, pid);
	return recorder_write_comm(r, DF_TASK_EXEC, pid, tid, comm, time_ns);
}

static int sb_mmap(void *ctx, const struct sideband_mmap *m)
{
	struct recorder *r = ctx;
	struct sym_mapping sm = {
		.start = m->start, .len = m->len, .pgoff = m->pgoff, .path = m->path,
		.dev_major = m->maj, .dev_minor = m->min, .inode = m->ino,
		.build_id = m->build_id, .build_id_len = m->build_id_len,
	};
	uint32_t idx;
	int err = recorder_proc_index(r, m->pid, &idx);

	r->task_epoch++;	/* the samples' task cache is stale */
	if (err)
		return err;
	r->learned[idx] = true;
	r->exit_ns[idx] = 0;
	err = symbolizer_add_mapping(r->syms, m->pid, &sm);
	if (recorder_unwinds(r, m->pid) && err != -ENOMEM)
		unwinder_add_mapping(r->unw, m->pid, &(struct unwinder_mapping){
			.start = m->start, .len = m->len, .pgoff = m->pgoff, .path = m->path,
			.dev_major = m->maj, .dev_minor = m->min, .inode = m->ino,
			.exec = m->prot & PROT_EXEC });
	return err == -ENOMEM ? err : 0;
}

static int sb_lost(void *ctx, uint64_t count)
{
	((struct recorder *)ctx)->lost_sideband += count;
	return 0;
}

/*
 * A new process starts with its parent's mappings, which no MMAP2 record
 * repeats: copy them, so that its samples before an exec, or all of them
 * if it never execs, resolve even once it is gone.  Where the parent is
 * unknown, the child's first sample reads /proc as before.
 */
static int sb_fork(void *ctx, uint32_t pid, uint32_t ppid, uint32_t tid, uint64_t time_ns)
{
	struct recorder *r = ctx;
	uint32_t idx;
	int err;

	r->task_epoch++;	/* the samples' task cache is stale */
	(void)time_ns;
	if (pid != tid || pid == ppid)
		return 0;	/* a new thread */
	err = recorder_proc_index(r, pid, &idx);
	if (err)
		return err;
	r->exit_ns[idx] = 0;	/* a pid reused after an exit: keep it */
	r->gens[idx] = ++r->next_gen;	/* and what it mapped before means nothing now */
	r->learned[idx] = !symbolizer_fork(r->syms, ppid, pid);
	if (recorder_unwinds(r, pid) && unwinder_fork(r->unw, ppid, pid))
		unwinder_add_pid(r->unw, pid);
	if (!r->learned[idx])
		symbolizer_forget_pid(r->syms, pid);
	return 0;
}

/*
 * Only remembered here: samples taken just before the exit may still be
 * queued, so the process is forgotten later, at a file switch (prune_exited).
 */
static int sb_exit(void *ctx, uint32_t pid, uint32_t tid, uint64_t time_ns)
{
	struct recorder *r = ctx;
	int64_t idx;

	r->task_epoch++;	/* the samples' task cache is stale */
	if (pid != tid)
		return 0;
	idx = keyset_find(&r->procs, &(struct proc_key){ pid });
	if (idx >= 0)
		r->exit_ns[idx] = time_ns ? time_ns : 1;
	/* Its samples are unwound already, in the kernel. */
	if (r->unw)
		unwinder_forget_pid(r->unw, pid);
	return 0;
}

const struct sideband_ops recorder_sb_ops = {
	.comm = sb_comm,
	.fork = sb_fork,
	.exit = sb_exit,
	.mmap = sb_mmap,
	.lost = sb_lost,
};

