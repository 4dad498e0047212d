#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "record/kfeatures.h"
#include "trace.skel.h"
#include "record/tracer.h"

#define DEFAULT_RINGBUF_BYTES (8u << 20)

struct tracer {
	struct trace_bpf *skel;
	struct bpf_link *offcpu;
	struct bpf_link *probes[TRACER_MAX_PROBES];
	size_t n_probes;
	bool fentry;			/* kprobes as fentry/fexit slots */
	tracer_sample_fn on_sample;
	void *ctx;
};

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct trace_sample *ts = data;
	size_t frames;

	if (size < sizeof(*ts))
		return 0;
	frames = (size_t)ts->s.n_kernel + ts->s.n_user;
	if (frames > 2 * PROFILE_MAX_FRAMES || size < sizeof(*ts) + frames * sizeof(uint64_t))
		return 0;
	return t->on_sample(t->ctx, ts, (const uint64_t *)(ts + 1));
}

static struct bpf_program *slot_prog(struct trace_bpf *skel, bool ret, unsigned int slot)
{
	char name[32];

	snprintf(name, sizeof(name), "ebpftool_%s%u", ret ? "fexit" : "fentry", slot);
	return bpf_object__find_program_by_name(skel->obj, name);
}

/* Give each probe a slot, its target and its event id. */
static int configure_slots(struct trace_bpf *skel, const struct tracer_opts *o)
{
	unsigned int used[2] = { 0, 0 };

	for (size_t i = 0; i < o->n_probes; i++) {
		const struct tracer_probe *p = &o->probes[i];
		unsigned int slot;
		struct bpf_program *prog;
		int err;

		if (p->system)
			continue;
		slot = used[p->ret]++;
		if (slot >= TRACE_FENTRY_SLOTS)
			return -E2BIG;
		prog = slot_prog(skel, p->ret, slot);
		if (!prog)
			return -ENOENT;
		bpf_program__set_autoload(prog, true);
		err = bpf_program__set_attach_target(prog, 0, p->func);
		if (err)
			return err;
		skel->rodata->slot_event[(p->ret ? TRACE_FENTRY_SLOTS : 0) + slot] = p->cookie;
	}
	return 0;
}

/* raw: the raw tracepoint instead of tp_btf, for kernels without BTF tracing. */
static int configure(struct trace_bpf *skel, const struct tracer_opts *o, struct sampler *s,
		     bool raw, bool fentry)
{
	size_t rb = o->ringbuf_bytes ? o->ringbuf_bytes : DEFAULT_RINGBUF_BYTES;
	struct sampler_unwind_fds uw;
	int pids_fd, tids_fd, err;

	skel->rodata->callchain = o->callchain;
	skel->rodata->filter_pid = o->filter_pid;
	skel->rodata->filter_tid = o->filter_tid;
	skel->rodata->offcpu_min_ns = o->offcpu_min_ns;
	skel->rodata->offcpu_max_ns = o->offcpu_max_ns;
	skel->rodata->offcpu_states = o->offcpu_states;
	skel->rodata->wakeup_bytes = rb / 8;
	bpf_program__set_autoload(skel->progs.ebpftool_offcpu, o->offcpu && !raw);
	bpf_program__set_autoload(skel->progs.ebpftool_offcpu_raw, o->offcpu && raw);
	bpf_program__set_autoload(skel->progs.ebpftool_kprobe, false);
	bpf_program__set_autoload(skel->progs.ebpftool_kretprobe, false);
	bpf_program__set_autoload(skel->progs.ebpftool_tracepoint, false);
	for (unsigned int i = 0; i < 2 * TRACE_FENTRY_SLOTS; i++)
		bpf_program__set_autoload(slot_prog(skel, i >= TRACE_FENTRY_SLOTS,
						    i % TRACE_FENTRY_SLOTS), false);
	if (fentry) {
		err = configure_slots(skel, o);
		if (err)
			return err;
	}
	for (size_t i = 0; i < o->n_probes; i++) {
		if (o->probes[i].system)
			bpf_program__set_autoload(skel->progs.ebpftool_tracepoint, true);
		else if (fentry)
			continue;
		else if (o->probes[i].ret)
			bpf_program__set_autoload(skel->progs.ebpftool_kretprobe, true);
		else
			bpf_program__set_autoload(skel->progs.ebpftool_kprobe, true);
	}
	if (!o->offcpu)
		bpf_map__set_max_entries(skel->maps.offcpu_start, 1);
	err = sampler_filter_fds(s, &pids_fd, &tids_fd);
	err = err ?: bpf_map__reuse_fd(skel->maps.pids, pids_fd);
	err = err ?: bpf_map__reuse_fd(skel->maps.tids, tids_fd);
	err = err ?: bpf_map__set_max_entries(skel->maps.trace_events, rb);
	if (!err && o->callchain && !sampler_unwind_fds(s, &uw)) {
		skel->rodata->unwind_cfi = true;
		err = bpf_map__reuse_fd(skel->maps.unwind_rows, uw.rows);
		err = err ?: bpf_map__reuse_fd(skel->maps.unwind_files, uw.files);
		err = err ?: bpf_map__reuse_fd(skel->maps.unwind_procs, uw.procs);
		err = err ?: bpf_map__reuse_fd(skel->maps.unwind_inodes, uw.inodes);
	}
	return err;
}

/* fentry needs the function in the kernel's BTF: say which one is not. */
static int check_functions(const struct tracer_opts *o, struct tracer_error *e)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int err = 0;

	if (!btf)
		return -errno;
	for (size_t i = 0; i < o->n_probes && !err; i++) {
		if (o->probes[i].system)
			continue;
		if (btf__find_by_name_kind(btf, o->probes[i].func, BTF_KIND_FUNC) < 0) {
			e->what = o->probes[i].func;
			err = -ENOENT;
		}
	}
	btf__free(btf);
	return err;
}

static int load(struct tracer *t, const struct tracer_opts *o, struct sampler *s)
{
	int err = 0;

	/* The fallback can be forced, to test it on kernels that do not need it. */
	for (int raw = getenv("EBPF_TOOL_OFFCPU_RAW_TP") ? 1 : 0; raw < 2; raw++) {
		t->skel = trace_bpf__open();
		if (!t->skel)
			return -errno;
		err = configure(t->skel, o, s, raw, t->fentry);
		err = err ?: trace_bpf__load(t->skel);
		if (!err || !o->offcpu)
			return err;
		/* No tp_btf on this kernel: the raw tracepoint does the same. */
		trace_bpf__destroy(t->skel);
		t->skel = NULL;
	}
	return err;
}

static struct bpf_link *attach_probe(struct tracer *t, const struct tracer_probe *p,
				     unsigned int *used)
{
	if (p->system) {
		LIBBPF_OPTS(bpf_tracepoint_opts, to, .bpf_cookie = p->cookie);

		return bpf_program__attach_tracepoint_opts(t->skel->progs.ebpftool_tracepoint,
							   p->system, p->func, &to);
	}
	if (t->fentry) {
		return bpf_program__attach(slot_prog(t->skel, p->ret, used[p->ret]++));
	} else {
		LIBBPF_OPTS(bpf_kprobe_opts, ko, .bpf_cookie = p->cookie, .retprobe = p->ret);

		return bpf_program__attach_kprobe_opts(p->ret ? t->skel->progs.ebpftool_kretprobe :
								t->skel->progs.ebpftool_kprobe,
						       p->func, &ko);
	}
}

static int attach_probes(struct tracer *t, const struct tracer_opts *o, struct tracer_error *e)
{
	unsigned int used[2] = { 0, 0 };

	for (size_t i = 0; i < o->n_probes; i++) {
		struct bpf_link *link;

		e->what = o->probes[i].func;
		link = attach_probe(t, &o->probes[i], used);
		if (!link)
			return -errno;
		t->probes[t->n_probes++] = link;
	}
	return 0;
}

int tracer_new(struct tracer **out, const struct tracer_opts *o, struct sampler *s,
	       struct tracer_error *e)
{
	struct tracer *t;
	int err;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	if (o->n_probes > TRACER_MAX_PROBES)
		return -E2BIG;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->on_sample = o->on_sample;
	t->ctx = o->ctx;
	for (size_t i = 0; i < o->n_probes; i++)
		t->fentry |= !o->probes[i].system;
	t->fentry = t->fentry && kfeature_probe(KF_KPROBES, NULL) != KF_YES;
	e->step = SAMPLER_STEP_ATTACH;
	err = t->fentry ? check_functions(o, e) : 0;
	if (err)
		goto fail;
	e->step = SAMPLER_STEP_LOAD;
	err = load(t, o, s);
	if (err)
		goto fail;
	e->step = SAMPLER_STEP_ATTACH;
	if (o->offcpu) {
		e->what = "sched_switch";
		t->offcpu = bpf_program__autoload(t->skel->progs.ebpftool_offcpu) ?
			    bpf_program__attach(t->skel->progs.ebpftool_offcpu) :
			    bpf_program__attach(t->skel->progs.ebpftool_offcpu_raw);
		if (!t->offcpu) {
			err = -errno;
			goto fail;
		}
	}
	err = attach_probes(t, o, e);
	if (err)
		goto fail;
	err = sampler_add_ringbuf(s, bpf_map__fd(t->skel->maps.trace_events), on_ringbuf, t);
	if (err)
		goto fail;
	e->step = SAMPLER_STEP_NONE;
	e->what = NULL;
	*out = t;
	return 0;
fail:
	tracer_free(t);
	return err < 0 ? err : -EINVAL;
}

void tracer_stop(struct tracer *t)
{
	if (!t)
		return;
	bpf_link__destroy(t->offcpu);
	t->offcpu = NULL;
	for (size_t i = 0; i < t->n_probes; i++) {
		bpf_link__destroy(t->probes[i]);
		t->probes[i] = NULL;
	}
	t->n_probes = 0;
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	tracer_stop(t);
	trace_bpf__destroy(t->skel);
	free(t);
}

int tracer_read_stats(struct tracer *t, struct sampler_stats *st)
{
	return sampler_stats_read_fd(bpf_map__fd(t->skel->maps.stats), st, NULL, 0);
}

int offcpu_parse_states(const char *arg, uint32_t *mask)
{
	static const struct {
		char c;
		uint32_t bit;
	} names[] = {
		{ 'R', OFFCPU_STATE_R }, { 'S', OFFCPU_STATE_S }, { 'D', OFFCPU_STATE_D },
		{ 'I', OFFCPU_STATE_I }, { 'T', OFFCPU_STATE_T },
	};
	const char *p = arg;

	*mask = 0;
	for (;;) {
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (*p == names[i].c || *p == names[i].c + ('a' - 'A'))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return -EINVAL;
		*mask |= names[i].bit;
		p++;
		if (!*p)
			return 0;
		if (*p++ != ',' || !*p)
			return -EINVAL;
	}
}
