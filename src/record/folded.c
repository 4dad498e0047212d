#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "record/folded.h"
#include "lib/hashtab.h"
#include "profile.h"
#include "lib/stacktab.h"
#include "lib/util.h"

struct folded_key {
	uint32_t pid;
	uint32_t stack_id;
};

struct folded {
	struct stacktab stacks;
	struct keyset keys;		/* (pid, stack): counts[] and comms[] by index */
	uint64_t *counts;
	char (*comms)[PROFILE_COMM_LEN + 1];
	struct unwinder *unw;		/* told of each new process, if set */
	struct keyset pids;
};

int folded_new(struct folded **out)
{
	struct folded *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	stacktab_init(&f->stacks);
	keyset_init(&f->keys, sizeof(struct folded_key));
	keyset_init(&f->pids, sizeof(uint32_t));
	*out = f;
	return 0;
}

void folded_free(struct folded *f)
{
	if (!f)
		return;
	stacktab_release(&f->stacks);
	keyset_release(&f->keys);
	keyset_release(&f->pids);
	free(f->counts);
	free(f->comms);
	free(f);
}

void folded_set_unwinder(struct folded *f, struct unwinder *u)
{
	f->unw = u;
}

int folded_add(struct folded *f, uint32_t pid, const char *comm, const uint64_t *ips,
	       uint16_t n_kernel, uint16_t n_user)
{
	struct folded_key k = { .pid = pid };
	uint32_t idx;
	bool is_new;
	int err;

	/* Its first sample: from now on its stacks unwind by its files' tables. */
	if (f->unw && pid && keyset_add(&f->pids, &pid, &idx) == 1)
		unwinder_add_pid(f->unw, pid);
	err = stacktab_intern(&f->stacks, ips, n_kernel, n_user, &k.stack_id, &is_new);
	int added = err ? err : keyset_add(&f->keys, &k, &idx);

	if (added < 0)
		return added;
	if (added) {
		uint64_t *c = realloc(f->counts, f->keys.cap * sizeof(*c));
		void *n;

		if (!c)
			return -ENOMEM;
		f->counts = c;
		n = realloc(f->comms, f->keys.cap * sizeof(*f->comms));
		if (!n)
			return -ENOMEM;
		f->comms = n;
		f->counts[idx] = 0;
		snprintf(f->comms[idx], sizeof(f->comms[idx]), "%s", comm);
	}
	f->counts[idx]++;
	return 0;
}

/* flamegraph.pl splits on ';' and the last space: neither may be in a name. */
static void put_name(FILE *out, const char *name)
{
	for (; *name; name++)
		fputc(*name == ';' || *name == ' ' ? '_' : *name, out);
}

static void put_frame(FILE *out, struct symbolizer *syms, uint32_t pid, uint64_t ip, bool kernel)
{
	struct sym_result r;

	fputc(';', out);
	if (!symbolizer_resolve(syms, pid, ip, kernel, &r) && r.name)
		put_name(out, r.name);
	else
		fprintf(out, "0x%" PRIx64, ip);
	if (kernel)
		fputs("_[k]", out);
}

struct lines {
	struct hashtab index;
	char **text;
	uint64_t *counts;
	uint32_t n;
	size_t cap_text, cap_counts;
};

static bool line_eq(const void *ctx, uint32_t idx, const void *key)
{
	return !strcmp(((const struct lines *)ctx)->text[idx], key);
}

/* Different addresses in the same functions fold into one line: merge them. */
static int lines_add(struct lines *l, char *text, uint64_t count)
{
	uint64_t hash = hash_bytes(text, strlen(text));
	int64_t found = hashtab_find(&l->index, hash, text, line_eq, l);

	if (found >= 0) {
		l->counts[found] += count;
		free(text);
		return 0;
	}
	if (grow_array((void **)&l->text, &l->cap_text, l->n + 1, sizeof(*l->text)) ||
	    grow_array((void **)&l->counts, &l->cap_counts, l->n + 1, sizeof(*l->counts)))
		return -ENOMEM;
	if (hashtab_insert(&l->index, hash, l->n))
		return -ENOMEM;
	l->text[l->n] = text;
	l->counts[l->n++] = count;
	return 0;
}

static char *fold_one(struct folded *f, struct symbolizer *syms, uint32_t i)
{
	const struct folded_key *k = (const void *)(f->keys.keys + (size_t)i * sizeof(*k));
	const struct stack_ent *e = &f->stacks.stacks[k->stack_id];
	const uint64_t *ips = &f->stacks.frames[e->first];
	char *text = NULL;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	put_name(out, f->comms[i]);
	/* Root first: user frames outermost, then the kernel's. */
	for (int j = e->n_user - 1; j >= 0; j--)
		put_frame(out, syms, k->pid, ips[e->n_kernel + j], false);
	for (int j = e->n_kernel - 1; j >= 0; j--)
		put_frame(out, syms, k->pid, ips[j], true);
	if (fclose(out)) {
		free(text);
		return NULL;
	}
	return text;
}

int folded_write(struct folded *f, struct symbolizer *syms, FILE *out)
{
	struct lines l = { 0 };
	int err = 0;

	hashtab_init(&l.index);
	for (uint32_t i = 0; i < f->keys.n && !err; i++) {
		char *text = fold_one(f, syms, i);

		err = text ? lines_add(&l, text, f->counts[i]) : -ENOMEM;
	}
	for (uint32_t i = 0; i < l.n; i++) {
		if (!err)
			fprintf(out, "%s %" PRIu64 "\n", l.text[i], l.counts[i]);
		free(l.text[i]);
	}
	hashtab_release(&l.index);
	free(l.text);
	free(l.counts);
	if (!err && ferror(out))
		err = -EIO;
	return err;
}
