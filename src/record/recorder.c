#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "data/datafile.h"
#include "lib/hashtab.h"
#include "record/recorder.h"
#include "record/recorder-meta.h"
#include "record/sideband.h"
#include "record/unwinder.h"
#include "lib/stacktab.h"
#include "symbols/debuginfod.h"
#include "symbols/symbolizer.h"
#include "lib/util.h"

#define SIDEBAND_PAGES 64
#define FLUSH_INTERVAL_NS 1000000000ull
/* With CFI unwinding, a new process's mappings must reach the BPF maps
 * before it has run long: read the side band at least this often. */
#define UNWIND_POLL_MS 5
#define UNWIND_START_WAIT_MS 250	/* at most, for a command's first tables */
#define UNWIND_SIDEBAND_NS 1000000ull	/* the side band's latest, while reading samples */

#include "record/recorder-int.h"

static int grow_arrays(struct recorder *r)
{
	/* realloc(p, 0) may free p and return NULL: never ask for nothing. */
	size_t cap = r->procs.cap ? r->procs.cap : 1;
	uint32_t *gens = realloc(r->gens, cap * sizeof(*gens));
	uint64_t *exit_ns;
	bool *learned;

	if (!gens)
		return -ENOMEM;
	r->gens = gens;
	learned = realloc(r->learned, cap * sizeof(*learned));
	if (!learned)
		return -ENOMEM;
	r->learned = learned;
	exit_ns = realloc(r->exit_ns, cap * sizeof(*exit_ns));
	if (!exit_ns)
		return -ENOMEM;
	r->exit_ns = exit_ns;
	return 0;
}

/* The index of pid in procs, added if new. */
int recorder_proc_index(struct recorder *r, uint32_t pid, uint32_t *idx)
{
	struct proc_key k = { pid };
	int added = keyset_add(&r->procs, &k, idx);

	if (added <= 0)
		return added;
	if (grow_arrays(r))
		return -ENOMEM;
	/* Never reused: a pid seen again after its prune is described anew. */
	r->gens[*idx] = ++r->next_gen;
	r->learned[*idx] = false;
	r->exit_ns[*idx] = 0;
	return 0;
}

int recorder_write_comm(struct recorder *r, uint32_t kind, uint32_t pid, uint32_t tid,
			const char *comm, uint64_t time_ns)
{
	struct df_task t = { .kind = kind, .time_ns = time_ns, .pid = pid, .tid = tid };
	struct thread_key k = { tid };
	uint32_t idx;
	int added = keyset_add(&r->threads, &k, &idx);

	if (added < 0)
		return added;
	if (added) {
		void *p = realloc(r->comms, r->threads.cap * sizeof(*r->comms));

		if (!p)
			return -ENOMEM;
		r->comms = p;
	} else if (kind == DF_TASK_COMM && !strcmp(r->comms[idx], comm)) {
		return 0;
	}
	snprintf(r->comms[idx], sizeof(r->comms[idx]), "%s", comm);
	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	r->task_epoch++;
	return df_write_task(r->w, &t);
}

static int ensure_dso(struct recorder *r, const struct sym_result *res)
{
	struct sym_dso_info info;
	struct df_dso d;
	int err;

	if (res->dso_id < r->nr_dso_written && r->dso_written[res->dso_id])
		return 0;
	if (res->dso_id >= r->nr_dso_written) {
		size_t old = r->nr_dso_written;

		if (grow_array((void **)&r->dso_written, &r->nr_dso_written, (size_t)res->dso_id + 1,
			       sizeof(*r->dso_written)))
			return -ENOMEM;
		memset(r->dso_written + old, 0, (r->nr_dso_written - old) * sizeof(*r->dso_written));
	}
	err = symbolizer_dso_info(r->syms, res->dso_id, &info);
	if (err)
		return err;
	d = (struct df_dso){ .dso_id = info.id, .flags = info.flags & 0xf, .path = info.path,
			     .build_id = info.build_id, .build_id_len = info.build_id_len };
	r->dso_written[res->dso_id] = true;
	return df_write_dso(r->w, &d);
}

/* The records a reader needs to resolve ip: DSO, mapping, symbol. */
static int describe_ip(struct recorder *r, uint32_t pid, uint32_t gen, uint64_t ip, bool kernel,
		       bool caller)
{
	struct sym_result res;
	int err = symbolizer_resolve(r->syms, kernel ? 0 : pid, ip, kernel, &res);

	if (err || !res.dso_id)
		return err;
	err = ensure_dso(r, &res);
	if (!err && !kernel && res.map_len) {
		struct mmap_key mk = { res.map_start, pid, gen, res.dso_id, 0 };
		uint32_t idx;
		int added = keyset_add(&r->mmaps, &mk, &idx);
		struct df_mmap m = { .time_ns = monotonic_ns(), .pid = pid, .start = res.map_start,
				     .len = res.map_len, .pgoff = res.map_dso_addr,
				     .dso_id = res.dso_id };

		err = added < 0 ? added : added ? df_write_mmap(r->w, &m) : 0;
	}
	if (!err && res.name) {
		struct sym_key sk = { res.sym_start, res.dso_id, 0 };
		struct df_symbol sym = { res.sym_start, res.sym_size, res.name };
		uint32_t idx;
		int added = keyset_add(&r->symbols, &sk, &idx);

		err = added < 0 ? added : added ? df_write_symbols(r->w, res.dso_id, &sym, 1) : 0;
	}
	if (!err && !kernel)
		err = recorder_describe_lines(r, res.dso_id, res.dso_addr - caller);
	/* The code a sample was in (a leaf user frame), for annotate. */
	if (!err && !kernel && !caller)
		err = recorder_describe_code(r, &res);
	return err;
}

/* Frames from index end on are described already: see base_described(). */
static int describe_frames(struct recorder *r, uint32_t pid, uint32_t gen,
			   const uint64_t *ips, unsigned int nk, unsigned int nu,
			   unsigned int end)
{
	for (unsigned int i = 0; i < end && i < nk + nu; i++) {
		bool kernel = i < nk, caller = i > nk;
		struct hit_key k = { ips[i], kernel ? 0 : pid, kernel ? 0 : gen, caller, 0 };
		uint32_t idx;
		int added = keyset_add(&r->hits, &k, &idx), err;

		if (added < 0)
			return added;
		if (!added)
			continue;
		err = describe_ip(r, pid, gen, ips[i], kernel, caller);
		if (err && err != -ENOENT && err != -ESRCH)
			return err;
	}
	return 0;
}

/*
 * A new stack written as its base's outer frames and a few of its own:
 * if the base was described for this process image, so are the shared
 * frames that are user callers in both stacks (the same hit key), and
 * only the frames before the returned index need the hit set.
 */
static unsigned int base_described(const struct recorder *r, uint32_t pid, uint32_t gen,
				   unsigned int nk, unsigned int nu)
{
	struct df_stack_base b;
	unsigned int n = nk + nu, added, from;

	if (df_writer_last_base(r->w, &b) || b.id >= r->nr_last_desc ||
	    r->last_desc[b.id].gen != gen || r->last_desc[b.id].pid != pid || b.shared > n)
		return n;
	added = n - b.shared;
	/* Index i here is index i - added + (b.n - b.shared) in the base. */
	from = added > nk + 1 ? added : nk + 1;
	if (b.n_kernel + 1 + added > from + (b.n - b.shared))
		from = b.n_kernel + 1 + added - (b.n - b.shared);
	return from < n ? from : n;
}

int recorder_stack(struct recorder *r, uint32_t pid, uint32_t gen, const uint64_t *ips,
		   unsigned int nk, unsigned int nu, uint32_t *stack_id)
{
	struct described_key dk = { .pid = pid, .gen = gen };
	uint32_t idx;
	bool is_new;
	unsigned int end = nk + nu;
	int err = stacktab_intern(&r->stacks, ips, (uint16_t)nk, (uint16_t)nu, stack_id, &is_new);

	if (!err && is_new) {
		err = df_write_stack(r->w, *stack_id, ips, (uint16_t)nk, (uint16_t)nu);
		if (!err)
			end = base_described(r, pid, gen, nk, nu);
	}
	if (err)
		return err;
	if (*stack_id < r->nr_last_desc && r->last_desc[*stack_id].gen == gen &&
	    r->last_desc[*stack_id].pid == pid)
		return 0;
	dk.stack_id = *stack_id;
	err = keyset_add(&r->described, &dk, &idx);
	if (err > 0)
		err = describe_frames(r, pid, gen, ips, nk, nu, end);
	if (err < 0)
		return err;
	if (*stack_id >= r->nr_last_desc) {
		size_t old = r->nr_last_desc;

		if (grow_array((void **)&r->last_desc, &r->nr_last_desc, (size_t)*stack_id + 1,
			       sizeof(*r->last_desc)))
			return 0;	/* only a cache */
		memset(r->last_desc + old, 0, (r->nr_last_desc - old) * sizeof(*r->last_desc));
	}
	r->last_desc[*stack_id].pid = pid;
	r->last_desc[*stack_id].gen = gen;
	return 0;
}

void recorder_drain_sideband(struct recorder *r)
{
	r->sideband_ns = monotonic_ns();
	sideband_drain(r->sideband);
}

/* First sample of a process: make sure its mappings are known while it lives. */
int recorder_learn_proc(struct recorder *r, uint32_t pid, uint32_t *idx)
{
	int err = recorder_proc_index(r, pid, idx);

	if (err || r->learned[*idx])
		return err;
	if (!r->learned[*idx] && pid) {
		symbolizer_add_pid(r->syms, pid);	/* gone already: side-band is all */
		if (recorder_unwinds(r, pid))
			unwinder_add_pid(r->unw, pid);
	}
	r->learned[*idx] = true;
	return 0;
}

/* ds: the sample's weight, event and value; the rest comes from s. */
static int record(struct recorder *r, const struct profile_sample *s, const uint64_t *ips,
		  unsigned int nk, unsigned int nu, struct df_sample ds)
{
	char comm[PROFILE_COMM_LEN + 1];
	struct task_cache *tc;
	uint32_t pidx;
	int err;

	if (r->err)
		return r->err;
	ds.time_ns = s->time_ns;
	ds.pid = s->pid;
	ds.tid = s->tid;
	ds.cpu = s->cpu;
	memcpy(comm, s->comm, PROFILE_COMM_LEN);
	comm[PROFILE_COMM_LEN] = '\0';
	/*
	 * Every mapping made before this sample was taken is queued in the
	 * side-band rings by now: read them first, or a library mapped since
	 * the last read would leave this sample's frames unresolved.
	 */
	if (s->time_ns >= r->sideband_ns)
		recorder_drain_sideband(r);
	/*
	 * A burst of samples can take milliseconds to describe (a library's
	 * first symbols): the unwinder's mappings must not wait for the end.
	 */
	else if (r->unw && monotonic_ns() - r->sideband_ns > UNWIND_SIDEBAND_NS)
		recorder_drain_sideband(r);
	tc = &r->task_cache[s->cpu % 64];
	if (tc->epoch == r->task_epoch + 1 && tc->pid == s->pid && tc->tid == s->tid &&
	    !memcmp(tc->comm, s->comm, sizeof(tc->comm))) {
		pidx = tc->pidx;	/* known, learned, its comm written */
		err = 0;
	} else {
		err = recorder_learn_proc(r, s->pid, &pidx);
		err = err ?: recorder_write_comm(r, DF_TASK_COMM, s->pid, s->tid, comm,
						 s->time_ns);
		if (!err) {
			*tc = (struct task_cache){ r->task_epoch + 1, s->pid, s->tid, pidx, { 0 } };
			memcpy(tc->comm, s->comm, sizeof(tc->comm));
		}
	}
	err = err ?: recorder_stack(r, s->pid, r->gens[pidx], ips, nk, nu, &ds.stack_id);
	err = err ?: df_write_sample(r->w, &ds);
	if (!err) {
		r->samples++;
		r->file_samples++;
	}
	r->err = err;
	return err;
}

static int on_sample(void *ctx, const struct profile_sample *s, const uint64_t *ips)
{
	return record(ctx, s, ips, s->n_kernel, s->n_user, (struct df_sample){ .weight = 1 });
}

static bool ip_in(const uint64_t *v, unsigned int n, uint64_t ip)
{
	for (unsigned int i = 0; i < n; i++)
		if (v[i] == ip)
			return true;
	return false;
}

/*
 * An off-CPU stack is taken inside the BPF program at sched_switch: its
 * first frames are the program and the tracepoint's trampoline and
 * iterator (__traceiter_sched_switch, when __bpf_trace_* tail-calls).  They are
 * the same few addresses every time, so each is looked up once.
 */
static unsigned int bpf_frames(struct recorder *r, const uint64_t *ips, unsigned int nk)
{
	unsigned int i;

	for (i = 0; i < nk && i < 4; i++) {
		struct sym_result res;
		bool bpf;

		if (ip_in(r->bpf_ips, r->n_bpf_ips, ips[i]))
			continue;
		if (ip_in(r->sched_ips, r->n_sched_ips, ips[i]))
			break;
		bpf = !symbolizer_resolve(r->syms, 0, ips[i], true, &res) && res.name &&
		      (!strncmp(res.name, "bpf_prog_", 9) || !strncmp(res.name, "bpf_trace_run", 13) ||
		       !strncmp(res.name, "__bpf_trace_", 12) ||
		       !strncmp(res.name, "__traceiter_", 12) ||
		       !strncmp(res.name, "bpf_trampoline_", 15));
		if (bpf && r->n_bpf_ips < ARRAY_SIZE(r->bpf_ips))
			r->bpf_ips[r->n_bpf_ips++] = ips[i];
		else if (!bpf && r->n_sched_ips < ARRAY_SIZE(r->sched_ips))
			r->sched_ips[r->n_sched_ips++] = ips[i];
		if (!bpf)
			break;
	}
	return i;
}

/*
 * Off-CPU records as they come; a probe hit's first frame is the probed
 * function, replacing the kernel stack's leaf when that is the same place.
 */
static int on_trace(void *ctx, const struct trace_sample *t, const uint64_t *ips)
{
	struct recorder *r = ctx;
	uint64_t buf[1 + 2 * PROFILE_MAX_FRAMES];
	unsigned int nk = t->s.n_kernel, nu = t->s.n_user, skip;
	struct df_sample ds = { .weight = 1, .event = t->event,
				.has_retval = t->has_retval != 0, .retval = t->retval };

	if (t->state) {
		skip = bpf_frames(r, ips, nk);
		return record(r, &t->s, ips + skip, nk - skip, nu,
			      (struct df_sample){ .weight = t->weight, .event = r->offcpu_event });
	}
	if (t->event >= r->n_events)
		return 0;
	skip = bpf_frames(r, ips, nk);	/* fentry: the program and its trampoline */
	ips += skip;
	nk -= skip;
	if (!t->addr) {			/* a tracepoint: its stack is the sample's */
		if (!r->o.callchain && nk > 1)
			nk = 1;		/* the hit's frame, taken with the machinery's */
		return record(r, &t->s, ips, nk, nu, ds);
	}
	skip = nk && ips[0] >= t->addr && ips[0] - t->addr < 64;
	buf[0] = t->addr;
	memcpy(buf + 1, ips + skip, (nk + nu - skip) * sizeof(*buf));
	return record(r, &t->s, buf, nk - skip + 1, nu, ds);
}

/* ---- life cycle ---------------------------------------------------------- */

static int add_event(struct recorder *r, uint32_t kind, const char *prefix, const char *name)
{
	char *s;

	if (r->n_events == MAX_EVENTS || asprintf(&s, "%s%s", prefix, name) < 0)
		return -ENOMEM;
	r->event_names[r->n_events] = s;
	r->events[r->n_events] = (struct df_event){ r->n_events, kind, s };
	r->n_events++;
	return 0;
}

/* Event 0 is the sampling event (or the first probe); then off-CPU, then probes. */
static int make_events(struct recorder *r, const struct recorder_opts *o)
{
	int err = 0;

	if (o->n_probes > RECORDER_MAX_PROBES)
		return -E2BIG;
	if (!o->no_sampling)
		err = add_event(r, DF_EVENT_SAMPLING, "", o->args->event->name);
	if (!err && o->offcpu) {
		r->offcpu_event = r->n_events;
		err = add_event(r, DF_EVENT_TIME, "", "offcpu-time");
	}
	for (size_t i = 0; !err && i < o->n_probes; i++) {
		const struct recorder_probe *p = &o->probes[i];
		char prefix[80];

		snprintf(prefix, sizeof(prefix), "%s:", p->system ? p->system :
			 p->ret ? "kretprobe" : "kprobe");
		err = add_event(r, DF_EVENT_PROBE, prefix, p->func);
	}
	if (!err && !r->n_events)
		err = -EINVAL;
	/* Files of a plain recording without source lines stay 1.0, byte for byte. */
	r->minor = o->code ? DF_MINOR_CODE :
		   o->aggregate_ns ? DF_MINOR_AGGREGATE : o->srclines ? DF_MINOR_SRCLINES :
		   o->n_probes ? DF_MINOR_RETVAL :
		   o->offcpu ? DF_MINOR_EVENTS : 0;
	return err;
}

/* What every file starts with: the header, the META and EVENT records. */
static int start_file(struct recorder *r, int fd)
{
	int err = r->o.data_version == 1 ? df_writer_new_minor(&r->w, fd, r->minor) :
		  df_writer_new_v2(&r->w, fd);

	/* Each CPU's samples come about a period apart: 2.0 codes the rest. */
	if (!err && r->o.args->freq)
		err = df_writer_set_period(r->w, 1000000000ull / r->o.args->freq);
	if (!err && r->o.compression_level >= 0)
		err = df_writer_set_level(r->w, r->o.compression_level);

	err = err ?: recorder_write_meta(r->w, r->o.args,
					 !r->o.callchain ? "no" : r->o.unwind_bytes ? "dwarf" : "fp", r->o.cmdline,
					 r->events[0].name);
	for (uint32_t i = 0; !err && (r->o.offcpu || r->o.n_probes) && i < r->n_events; i++)
		err = df_write_event(r->w, &r->events[i]);
	/* A complete first block: even a file cut short at once says what it is. */
	err = err ?: df_writer_flush(r->w);
	r->file_samples = 0;
	r->file_start_ns = monotonic_ns();
	return err;
}

static int start_tracer(struct recorder *r, const struct recorder_opts *o,
			struct sampler_error *se, const char **what)
{
	struct tracer_probe probes[RECORDER_MAX_PROBES];
	struct tracer_opts to = {
		.offcpu = o->offcpu, .offcpu_min_ns = o->offcpu_min_ns,
		.offcpu_max_ns = o->offcpu_max_ns, .offcpu_states = o->offcpu_states,
		.probes = probes, .n_probes = o->n_probes, .callchain = o->callchain,
		.filter_pid = o->args->n_pids > 0, .filter_tid = o->args->n_tids > 0,
		.ringbuf_bytes = o->ringbuf_bytes, .on_sample = on_trace, .ctx = r,
	};
	struct tracer_error te;
	int err;

	if (!o->offcpu && !o->n_probes)
		return 0;
	for (size_t i = 0; i < o->n_probes; i++)
		probes[i] = (struct tracer_probe){ o->probes[i].func, o->probes[i].system,
						   o->probes[i].ret,
						   (uint32_t)(i + (o->no_sampling ? 0 : 1) +
							      (o->offcpu ? 1 : 0)) };
	err = tracer_new(&r->tracer, &to, r->sampler, &te);
	if (err) {
		se->step = te.step;
		se->cpu = -1;
		*what = te.what;
	}
	return err;
}

static int fetch_debug(void *ctx, const char *path, const uint8_t *id, size_t len,
		       char **debug_path)
{
	return dbgd_fetch(ctx, path, id, len, debug_path);
}

int recorder_new(struct recorder **out, const struct recorder_opts *o, struct sampler_error *se,
		 const char **what)
{
	struct sampler_opts so;
	struct recorder *r;
	struct cpuset online;
	int err;

	*out = NULL;
	*what = NULL;
	memset(se, 0, sizeof(*se));
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->o = *o;
	stacktab_init(&r->stacks);
	keyset_init(&r->procs, sizeof(struct proc_key));
	keyset_init(&r->threads, sizeof(struct thread_key));
	keyset_init(&r->hits, sizeof(struct hit_key));
	keyset_init(&r->described, sizeof(struct described_key));
	keyset_init(&r->mmaps, sizeof(struct mmap_key));
	keyset_init(&r->symbols, sizeof(struct sym_key));
	recorder_lines_init(r);
	recorder_code_init(r);
	r->filter_left = -1;

	err = symbolizer_new(&r->syms);
	err = err ?: symbolizer_set_srclines(r->syms, o->srclines, o->srclines_bytes);
	if (!err && o->debuginfod)
		symbolizer_set_fetch(r->syms, fetch_debug, o->debuginfod);
	if (!err)
		symbolizer_set_code(r->syms, o->code);
	err = err ?: make_events(r, o);
	err = err ?: start_file(r, o->fd);
	/* Side-band from every CPU, even when sampling a few: a process can run anywhere. */
	err = err ?: cpuset_online(&online);
	if (!err) {
		se->step = SAMPLER_STEP_EVENT;
		err = sideband_new(&r->sideband, &online, SIDEBAND_PAGES,
				  o->callchain && o->unwind_bytes, &recorder_sb_ops, r);
	}
	if (err)
		goto fail;
	sample_args_to_opts(o->args, &so);
	so.stream = !o->aggregate_ns;
	so.aggregate = false;
	so.count_stacks = o->aggregate_ns != 0;
	so.stack_slots = o->stack_slots ? o->stack_slots : RECORDER_STACK_SLOTS;
	so.count_slots = o->count_slots ? o->count_slots : RECORDER_COUNT_SLOTS;
	so.stack_id_mask = o->stack_id_mask;
	r->stack_slots = so.stack_slots;
	so.callchain = o->callchain;
	if (o->callchain && o->unwind_bytes) {
		unwinder_map_sizes(o->unwind_bytes, &so);
		/* Its first tables build while the verifier works. */
		se->step = SAMPLER_STEP_OPEN;
		err = unwinder_new(&r->unw);
		if (err)
			goto fail;
		if (o->program)
			unwinder_add_program(r->unw, o->program);
	}
	so.follow_forks = o->follow_forks;
	so.ringbuf_bytes = o->ringbuf_bytes;
	so.no_events = o->no_sampling;
	so.on_sample = on_sample;
	so.ctx = r;
	err = sampler_new(&r->sampler, &so, se);
	if (!err && r->unw) {
		se->step = SAMPLER_STEP_LOAD;
		err = unwinder_attach(r->unw, r->sampler);
		/*
		 * A command's process is known from its exec on, by the side
		 * band; it runs once its program, libc and ld.so have tables
		 * (a few ms, mostly spent already), or its first ms lose callers.
		 */
		if (!err && o->program)
			unwinder_wait(r->unw, UNWIND_START_WAIT_MS);
		else if (!err)
			unwinder_add_targets(r->unw, o->args->pids, o->args->n_pids);
	}
	err = err ?: start_tracer(r, o, se, what);
	if (!err && o->aggregate_ns) {
		se->step = SAMPLER_STEP_NONE;
		err = recorder_agg_start(r);
	}
	if (err)
		goto fail;
	r->start_ns = r->last_flush_ns = monotonic_ns();
	*out = r;
	return 0;
fail:
	recorder_free(r);
	return err;
}

int recorder_add_pid(struct recorder *r, uint32_t pid)
{
	return sampler_add_pid(r->sampler, pid);
}

int recorder_poll(struct recorder *r, int timeout_ms, int wake_fd)
{
	uint64_t now;
	int n;

	if (r->sc)
		return recorder_agg_poll(r, timeout_ms, wake_fd);
	recorder_drain_sideband(r);
	if (r->unw && timeout_ms > UNWIND_POLL_MS)
		timeout_ms = UNWIND_POLL_MS;
	n = sampler_poll(r->sampler, timeout_ms, wake_fd,
			 r->unw ? sideband_poll_fd(r->sideband) : -1);
	if (n < 0)
		return r->err ? r->err : n;
	now = monotonic_ns();
	/* A recorder killed now loses at most the last second. */
	if (now - r->last_flush_ns >= FLUSH_INTERVAL_NS) {
		r->last_flush_ns = now;
		r->err = df_writer_flush(r->w);
	}
	return r->err;
}

static int write_lost(struct recorder *r, uint32_t kind, uint64_t n)
{
	return n ? df_write_lost(r->w, kind, n) : 0;
}

/* The sampler's and the tracer's counts together. */
static int read_stats(struct recorder *r, struct sampler_stats *st)
{
	struct sampler_stats t;
	int err = sampler_read_stats(r->sampler, st, NULL, 0);

	if (err || !r->tracer)
		return err;
	err = tracer_read_stats(r->tracer, &t);
	st->lost_ringbuf += t.lost_ringbuf;
	st->lost_map += t.lost_map;
	st->stack_truncated += t.stack_truncated;
	st->stack_error += t.stack_error;
	st->unwind_cfi += t.unwind_cfi;
	st->unwind_fp += t.unwind_fp;
	return err;
}

/* LOST records of what was lost since the last file, then the END record. */
static int end_file(struct recorder *r, const struct sampler_stats *st, uint64_t now)
{
	const struct sampler_stats *w = &r->lost_written;
	uint64_t sideband = r->lost_sideband - r->lost_sideband_written;
	struct df_end end = { .flags = DF_END_FINISHED };
	int err;

	err = write_lost(r, DF_LOST_RINGBUF_FULL, st->lost_ringbuf - w->lost_ringbuf);
	err = err ?: write_lost(r, DF_LOST_STACK_TRUNCATED, st->stack_truncated - w->stack_truncated);
	err = err ?: write_lost(r, DF_LOST_STACK_ERROR, st->stack_error - w->stack_error);
	err = err ?: write_lost(r, DF_LOST_SIDEBAND, sideband);
	err = err ?: write_lost(r, r->sc ? DF_LOST_MAP_FULL : DF_LOST_OTHER,
				st->lost_map - w->lost_map);
	err = err ?: write_lost(r, DF_LOST_STACK_COLLISION, st->lost_collision - w->lost_collision);
	/* Counted while their stacks were being forgotten: rare, but said. */
	err = err ?: write_lost(r, DF_LOST_OTHER, recorder_agg_missing(r) - r->missing_written);
	end.samples = r->file_samples;
	end.lost = st->lost_ringbuf - w->lost_ringbuf + sideband + st->lost_map - w->lost_map +
		   st->lost_collision - w->lost_collision + recorder_agg_missing(r) - r->missing_written;
	r->missing_written = recorder_agg_missing(r);
	end.duration_ns = now - r->file_start_ns;
	err = err ?: recorder_code_end_file(r);
	err = err ?: df_writer_finish(r->w, &end);
	r->lost_written = *st;
	r->lost_sideband_written = r->lost_sideband;
	return err;
}

int recorder_finish(struct recorder *r)
{
	struct sampler_stats *st = &r->final;
	int err;

	tracer_stop(r->tracer);
	sampler_stop(r->sampler);
	r->stop_ns = monotonic_ns();
	r->finished = true;
	recorder_drain_sideband(r);
	/* What the kernel queued or counted before the events closed still counts. */
	if (r->sc)
		err = recorder_agg_drain(r, r->stop_ns);
	else
		while ((err = sampler_poll(r->sampler, 0, -1, -1)) > 0)
			;
	if (r->err)
		return r->err;
	err = read_stats(r, st);
	if (r->o.follow_forks)
		r->filter_left = sampler_filter_count(r->sampler);
	err = err ?: end_file(r, st, r->stop_ns);
	r->err = err;
	return err;
}

/* Forget what the old file described, so the new one describes it again. */
static void reset_file_state(struct recorder *r)
{
	stacktab_release(&r->stacks);
	stacktab_init(&r->stacks);
	keyset_release(&r->threads);
	keyset_init(&r->threads, sizeof(struct thread_key));
	r->task_epoch++;
	keyset_release(&r->hits);
	keyset_init(&r->hits, sizeof(struct hit_key));
	keyset_release(&r->described);
	keyset_init(&r->described, sizeof(struct described_key));
	free(r->last_desc);
	r->last_desc = NULL;
	r->nr_last_desc = 0;
	keyset_release(&r->mmaps);
	keyset_init(&r->mmaps, sizeof(struct mmap_key));
	keyset_release(&r->symbols);
	keyset_init(&r->symbols, sizeof(struct sym_key));
	recorder_lines_release(r);
	recorder_lines_init(r);
	recorder_code_release(r);
	recorder_code_init(r);
	free(r->comms);
	r->comms = NULL;
	if (r->dso_written)
		memset(r->dso_written, 0, r->nr_dso_written * sizeof(*r->dso_written));
}

/*
 * Forget processes that exited before exited_before_ns: their mappings in
 * the symbolizer and their entries here.  Without this a recording that
 * switches files for days would keep every process it ever saw.
 */
int recorder_prune_exited(struct recorder *r, uint64_t exited_before_ns)
{
	const struct proc_key *keys = (const struct proc_key *)r->procs.keys;
	struct keyset keep;
	uint32_t i, n = 0, idx;

	keyset_init(&keep, sizeof(struct proc_key));
	for (i = 0; i < r->procs.n; i++) {
		if (r->exit_ns[i] && r->exit_ns[i] < exited_before_ns)
			continue;
		if (keyset_add(&keep, &keys[i], &idx) < 0) {
			keyset_release(&keep);
			return -ENOMEM;	/* nothing changed: try again next time */
		}
	}
	/* Numbers in keep follow the old order, so the arrays compact in place. */
	for (i = 0; i < r->procs.n; i++) {
		if (r->exit_ns[i] && r->exit_ns[i] < exited_before_ns) {
			symbolizer_forget_pid(r->syms, keys[i].pid);
			r->procs_forgotten++;
			continue;
		}
		r->gens[n] = r->gens[i];
		r->learned[n] = r->learned[i];
		r->exit_ns[n] = r->exit_ns[i];
		n++;
	}
	keyset_release(&r->procs);
	r->procs = keep;
	r->task_epoch++;
	return grow_arrays(r);
}

int recorder_rotate(struct recorder *r, int fd)
{
	struct sampler_stats st;
	int err;

	if (r->err)
		return r->err;
	/* The interval ends with the file: each file stands on its own. */
	err = r->sc ? recorder_agg_drain(r, monotonic_ns()) : 0;
	err = err ?: read_stats(r, &st);
	err = err ?: end_file(r, &st, monotonic_ns());
	if (err)
		return r->err = err;
	df_writer_free(r->w);
	r->w = NULL;
	reset_file_state(r);
	/* The new file describes its stacks anew: the kernel's may go, and bound memory. */
	if (r->sc && stackcounts_reset(r->sc) == -ENOMEM)
		return r->err = -ENOMEM;
	/* A second is far longer than a sample waits in the ring buffer. */
	if (recorder_prune_exited(r, monotonic_ns() - 1000000000ull) == -ENOMEM)
		return r->err = -ENOMEM;
#ifdef __GLIBC__
	/*
	 * The old file's tables were many small blocks: without this the
	 * holes they leave raise the resident size a little at each switch
	 * (76 to 93 MB over 30 files of 200 new processes a second).
	 */
	malloc_trim(0);
#endif
	r->err = start_file(r, fd);
	r->last_flush_ns = monotonic_ns();
	return r->err;
}

void recorder_srcline_errors(struct recorder *r,
			     void (*fn)(void *ctx, const char *path, const char *why), void *ctx)
{
	uint32_t n = symbolizer_dso_count(r->syms);
	struct sym_dso_info info;
	const char *why;

	for (uint32_t id = 1; id <= n; id++)
		if ((why = symbolizer_srclines_error(r->syms, id)) &&
		    !symbolizer_dso_info(r->syms, id, &info))
			fn(ctx, info.path, why);
}

uint64_t recorder_file_bytes(struct recorder *r)
{
	return df_writer_bytes(r->w);
}

void recorder_stats(struct recorder *r, struct recorder_stats *out)
{
	struct sampler_stats st = r->final;

	if (!r->finished)
		read_stats(r, &st);
	memset(out, 0, sizeof(*out));
	out->samples = r->samples;
	out->kernel_samples = st.samples;
	out->lost_ringbuf = st.lost_ringbuf;
	out->stack_truncated = st.stack_truncated;
	out->stack_error = st.stack_error;
	out->lost_sideband = r->lost_sideband;
	out->lost = st.lost_ringbuf + r->lost_sideband + st.lost_map;
	out->bytes = df_writer_bytes(r->w);
	out->stacks = r->stacks.nr_stacks;
	out->procs = r->procs.n;
	out->procs_forgotten = r->procs_forgotten;
	out->unwinding = r->unw != NULL;
	if (r->unw)
		unwinder_stats(r->unw, &out->unwind);
	out->unwind_cfi = st.unwind_cfi;
	out->unwind_fp = st.unwind_fp;
	out->lost += st.lost_collision + recorder_agg_missing(r);
	out->lost_map = st.lost_map;
	out->lost_collision = st.lost_collision;
	out->stack_collision = st.stack_collision;
	out->intervals = r->intervals;
	if (r->sc) {
		struct stackcounts_stats sst;

		stackcounts_stats(r->sc, &sst);
		out->agg_stacks = sst.stacks;
	}
	out->src_addrs = r->src_addrs;
	out->src_frames = r->src_frames;
	out->filter_left = r->filter_left;
	symbolizer_srclines_stats(r->syms, &out->src_pool);
	out->src_ns = r->src_ns;
	out->code_functions = r->code_functions;
	out->code_bytes = r->code_bytes;
	out->code_omitted = r->code_omitted;
	out->code_ns = r->code_ns;
	out->seconds = ((r->finished ? r->stop_ns : monotonic_ns()) - r->start_ns) / 1e9;
}

void recorder_free(struct recorder *r)
{
	if (!r)
		return;
	recorder_agg_free(r);
	tracer_free(r->tracer);
	unwinder_free(r->unw);
	sampler_free(r->sampler);
	sideband_free(r->sideband);
	df_writer_free(r->w);
	symbolizer_free(r->syms);
	stacktab_release(&r->stacks);
	keyset_release(&r->procs);
	keyset_release(&r->threads);
	keyset_release(&r->hits);
	free(r->last_desc);
	keyset_release(&r->described);
	keyset_release(&r->mmaps);
	keyset_release(&r->symbols);
	recorder_lines_release(r);
	recorder_code_free(r);
	free(r->gens);
	free(r->learned);
	free(r->exit_ns);
	free(r->comms);
	free(r->dso_written);
	for (uint32_t i = 0; i < r->n_events; i++)
		free(r->event_names[i]);
	free(r);
}
