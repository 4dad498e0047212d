/*
 * The aggregating recorder (record --aggregate): the kernel counts samples
 * per thread and stacks; once an interval the counts are drained, their
 * processes, mappings, symbols and stacks described as for a streamed
 * sample, and the interval written as counted samples closing one block.
 * Between intervals the recorder sleeps but for the side band.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "lib/util.h"
#include "record/recorder-int.h"

static int count_one(void *ctx, uint32_t pid, uint32_t tid, const char *comm,
		     const uint64_t *ips, unsigned int nk, unsigned int nu, uint64_t count)
{
	struct recorder *r = ctx;
	uint32_t pidx, stack_id = DF_STACK_NONE;
	int err = recorder_learn_proc(r, pid, &pidx);

	err = err ?: recorder_write_comm(r, DF_TASK_COMM, pid, tid, comm, r->interval_ns);
	if (!err && nk + nu)
		err = recorder_stack(r, pid, r->gens[pidx], ips, nk, nu, &stack_id);
	err = err ?: grow_array((void **)&r->counts, &r->cap_counts, r->n_counts + 1,
				sizeof(*r->counts));
	if (err)
		return err;
	r->counts[r->n_counts++] = (struct df_count){ pid, tid, stack_id, count };
	return 0;
}

/* By pid, tid and stack: the order that codes in the fewest bytes. */
static int by_thread(const void *x, const void *y)
{
	const struct df_count *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return a->stack_id < b->stack_id ? -1 : a->stack_id > b->stack_id;
}

/*
 * One stack may have counted under two kernel ids (a spare slot's and a
 * regular one's, or before and after a reset): one entry each, sorted.
 */
static void merge_same(struct recorder *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_counts; i++) {
		if (n && !by_thread(&r->counts[n - 1], &r->counts[i]))
			r->counts[n - 1].count += r->counts[i].count;
		else
			r->counts[n++] = r->counts[i];
	}
	r->n_counts = n;
}

static uint64_t stacks_held(const struct recorder *r)
{
	struct stackcounts_stats st;

	stackcounts_stats(r->sc, &st);
	return st.stacks;
}

int recorder_agg_start(struct recorder *r)
{
	int err = stackcounts_new(&r->sc, r->sampler);

	r->interval_ns = monotonic_ns();
	return err;
}

int recorder_agg_drain(struct recorder *r, uint64_t now)
{
	uint64_t start = r->interval_ns, sum = 0;
	int err;

	if (r->err)
		return r->err;
	/* The mappings of everything counted so far are queued by now. */
	recorder_drain_sideband(r);
	r->n_counts = 0;
	err = stackcounts_drain(r->sc, r->finished, count_one, r);
	if (!err && r->n_counts)
		qsort(r->counts, r->n_counts, sizeof(*r->counts), by_thread);
	merge_same(r);
	for (size_t i = 0; i < r->n_counts; i++)
		sum += r->counts[i].count;
	err = err ?: df_write_counts(r->w, start, now > start ? now - start : 1, r->counts,
				     r->n_counts);
	err = err ?: df_writer_flush(r->w);
	if (!err) {
		r->samples += sum;
		r->file_samples += sum;
		r->intervals++;
	}
	r->interval_ns = now;
	r->last_flush_ns = now;
	/* Exited before the interval began: every count of theirs is written. */
	if (!err && recorder_prune_exited(r, start) == -ENOMEM)
		err = -ENOMEM;
	/*
	 * A recording of weeks without file switches meets ever new stacks:
	 * start the kernel's map afresh before it fills (the file keeps its
	 * stacks; the same frames get the same ids in it again).
	 */
	if (!err && stacks_held(r) > r->stack_slots / 4 * 3 && stackcounts_reset(r->sc) == -ENOMEM)
		err = -ENOMEM;
	return r->err = err;
}

uint64_t recorder_agg_missing(const struct recorder *r)
{
	struct stackcounts_stats st;

	if (!r->sc)
		return 0;
	stackcounts_stats(r->sc, &st);
	return st.missing;
}

int recorder_agg_poll(struct recorder *r, int timeout_ms, int wake_fd)
{
	uint64_t now = monotonic_ns(), due = r->interval_ns + r->o.aggregate_ns;
	struct pollfd p[2] = { { .fd = wake_fd, .events = POLLIN },
			       { .fd = sideband_poll_fd(r->sideband), .events = POLLIN } };

	recorder_drain_sideband(r);
	if (now < due) {
		uint64_t wait = (due - now + 999999) / 1000000;

		if (timeout_ms >= 0 && (uint64_t)timeout_ms < wait)
			wait = (uint64_t)timeout_ms;
		if (poll(p, 2, (int)wait) < 0 && errno != EINTR)
			return -errno;
		recorder_drain_sideband(r);
		now = monotonic_ns();
	}
	if (now >= due)
		return recorder_agg_drain(r, now);
	return r->err;
}

void recorder_agg_free(struct recorder *r)
{
	stackcounts_free(r->sc);
	r->sc = NULL;
	free(r->counts);
	r->counts = NULL;
}
