/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sort keys of report and diff; see sort.h. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/sort.h"
#include "lib/hash.h"
#include "lib/util.h"

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* ---- comm --------------------------------------------------------------- */

static void comm_set(struct hist_key *k, const struct sort_input *in)
{
	k->comm = in->comm;
}

/* Names are interned: equal names are equal pointers. */
static uint64_t comm_hash(const struct hist_key *k)
{
	return (uintptr_t)k->comm;
}

static bool comm_same(const struct hist_key *a, const struct hist_key *b)
{
	return a->comm == b->comm;
}

static int comm_cmp(const struct hist_key *a, const struct hist_key *b)
{
	return strcmp(a->comm, b->comm);
}

static const char *comm_print(const struct hist_key *k, char *buf, size_t width)
{
	(void)buf;
	(void)width;
	return k->comm;
}

/* ---- pid and tid: the number and its comm --------------------------------- */

static void pid_set(struct hist_key *k, const struct sort_input *in)
{
	k->pid = in->smp->pid;
}

static uint64_t pid_hash(const struct hist_key *k)
{
	return k->pid;
}

static bool pid_same(const struct hist_key *a, const struct hist_key *b)
{
	return a->pid == b->pid;
}

static int pid_cmp(const struct hist_key *a, const struct hist_key *b)
{
	return cmp_u32(a->pid, b->pid);
}

static int pid_fill(struct hist_key *k, struct session *s)
{
	if (!k->pid)
		return 0;
	k->pid_comm = session_comm(s, k->pid);
	return k->pid_comm ? 0 : -ENOMEM;
}

static const char *pid_print(const struct hist_key *k, char *buf, size_t width)
{
	(void)width;
	snprintf(buf, SORT_TEXT_MAX, "%7" PRIu32 ":%s", k->pid, k->pid_comm ?: "");
	return buf;
}

static const char *pid_print_diff(const struct hist_key *k, char *buf)
{
	snprintf(buf, SORT_TEXT_MAX, "%" PRIu32 ":%s", k->pid, k->pid_comm ?: "");
	return buf;
}

static void tid_set(struct hist_key *k, const struct sort_input *in)
{
	k->tid = in->smp->tid;
}

static uint64_t tid_hash(const struct hist_key *k)
{
	return k->tid;
}

static bool tid_same(const struct hist_key *a, const struct hist_key *b)
{
	return a->tid == b->tid;
}

static int tid_cmp(const struct hist_key *a, const struct hist_key *b)
{
	return cmp_u32(a->tid, b->tid);
}

static int tid_fill(struct hist_key *k, struct session *s)
{
	if (!k->tid)
		return 0;
	k->tid_comm = session_comm(s, k->tid);
	return k->tid_comm ? 0 : -ENOMEM;
}

static const char *tid_print(const struct hist_key *k, char *buf, size_t width)
{
	(void)width;
	snprintf(buf, SORT_TEXT_MAX, "%7" PRIu32 ":%s", k->tid, k->tid_comm ?: "");
	return buf;
}

static const char *tid_print_diff(const struct hist_key *k, char *buf)
{
	snprintf(buf, SORT_TEXT_MAX, "%" PRIu32 ":%s", k->tid, k->tid_comm ?: "");
	return buf;
}

/* ---- dso and sym: of the frame ------------------------------------------ */

static void dso_set(struct hist_key *k, const struct sort_input *in)
{
	k->dso = in->fr->dso;
	k->kernel = in->fr->kernel;
}

static uint64_t dso_hash(const struct hist_key *k)
{
	return (uintptr_t)k->dso ^ k->kernel;
}

static bool dso_same(const struct hist_key *a, const struct hist_key *b)
{
	return a->dso == b->dso && a->kernel == b->kernel;
}

static int dso_cmp(const struct hist_key *a, const struct hist_key *b)
{
	return strcmp(a->dso->name, b->dso->name);
}

static const char *dso_print(const struct hist_key *k, char *buf, size_t width)
{
	(void)buf;
	(void)width;
	return k->dso->name;
}

/* A symbol is of its object: the "main" of two programs are two entries. */
static void sym_set(struct hist_key *k, const struct sort_input *in)
{
	k->sym = in->fr->label;
	dso_set(k, in);
}

static uint64_t sym_hash(const struct hist_key *k)
{
	return hash_u64((uintptr_t)k->sym) ^ dso_hash(k);
}

static bool sym_same(const struct hist_key *a, const struct hist_key *b)
{
	return a->sym == b->sym && dso_same(a, b);
}

static int sym_cmp(const struct hist_key *a, const struct hist_key *b)
{
	return strcmp(a->sym, b->sym);
}

static const char *sym_print(const struct hist_key *k, char *buf, size_t width)
{
	(void)width;
	snprintf(buf, SORT_TEXT_MAX, "[%c] %s", k->kernel ? 'k' : '.', k->sym);
	return buf;
}

/* ---- srcline: perf's, the file's base name and the line ------------------- */

/*
 * The address's line (an inlined function's frame: its own), as perf
 * takes it; without one, each address is its own entry, named as perf
 * names it, sym+0xoff.
 */
static void srcline_set(struct hist_key *k, const struct sort_input *in)
{
	const struct sess_frame *fr = in->fr;
	const struct sess_src_frame *src = fr->inlined ? fr->src :
					   fr->lines ? &fr->lines->f[0] : NULL;

	k->kernel = fr->kernel;
	if (src && src->file && src->line) {
		k->src_file = src->file;
		k->src_line = src->line;
		return;
	}
	k->dso = fr->dso;
	k->src_sym = fr->label;
	k->src_off = fr->sym ? fr->sym_off : fr->addr;
}

static uint64_t srcline_hash(const struct hist_key *k)
{
	return hash_u64((uintptr_t)k->src_file ^ k->src_line) ^
	       hash_u64((uintptr_t)k->src_sym ^ k->src_off);
}

static bool srcline_same(const struct hist_key *a, const struct hist_key *b)
{
	if (a->src_file || b->src_file)
		return a->src_file == b->src_file && a->src_line == b->src_line;
	return a->src_sym == b->src_sym && a->src_off == b->src_off && dso_same(a, b);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int srcline_cmp(const struct hist_key *a, const struct hist_key *b)
{
	int c;

	if (!a->src_file != !b->src_file)
		return a->src_file ? -1 : 1;
	if (a->src_file) {
		if ((c = strcmp(base_name(a->src_file), base_name(b->src_file))) ||
		    (c = strcmp(a->src_file, b->src_file)))
			return c;
		return cmp_u32(a->src_line, b->src_line);
	}
	if ((c = strcmp(a->src_sym, b->src_sym)))
		return c;
	return (a->src_off > b->src_off) - (a->src_off < b->src_off);
}

static const char *srcline_print(const struct hist_key *k, char *buf, size_t width)
{
	(void)width;
	if (k->src_file)
		snprintf(buf, SORT_TEXT_MAX, "%s:%" PRIu32, base_name(k->src_file), k->src_line);
	else if (strchr(k->src_sym, '[') == k->src_sym || !strncmp(k->src_sym, "0x", 2))
		return k->src_sym;
	else
		snprintf(buf, SORT_TEXT_MAX, "%s+0x%" PRIx64, k->src_sym, k->src_off);
	return buf;
}

/* ---- cpu ---------------------------------------------------------------- */

static void cpu_set(struct hist_key *k, const struct sort_input *in)
{
	k->cpu = in->smp->cpu;
}

static uint64_t cpu_hash(const struct hist_key *k)
{
	return k->cpu;
}

static bool cpu_same(const struct hist_key *a, const struct hist_key *b)
{
	return a->cpu == b->cpu;
}

static int cpu_cmp(const struct hist_key *a, const struct hist_key *b)
{
	return cmp_u32(a->cpu, b->cpu);
}

/* Zero-padded to the column, so that CPU numbers line up as perf's do. */
static const char *cpu_print(const struct hist_key *k, char *buf, size_t width)
{
	/* A stack counted in the kernel was counted on every CPU. */
	if (k->cpu == DF_CPU_NONE)
		snprintf(buf, SORT_TEXT_MAX, "%*s", (int)width, "all");
	else
		snprintf(buf, SORT_TEXT_MAX, "%0*" PRIu32, (int)width, k->cpu);
	return buf;
}

/* ---- the table ---------------------------------------------------------- */

static const struct sort_key keys[] = {
	{ .name = "comm", .header = "Command", .flags = SORT_OF_SAMPLE,
	  .set = comm_set, .hash = comm_hash, .same = comm_same, .cmp = comm_cmp,
	  .print = comm_print },
	{ .name = "pid", .header = "Pid:Command", .flags = SORT_OF_SAMPLE,
	  .set = pid_set, .hash = pid_hash, .same = pid_same, .cmp = pid_cmp,
	  .fill = pid_fill, .print = pid_print, .print_diff = pid_print_diff },
	{ .name = "tid", .header = "Tid:Command", .flags = SORT_OF_SAMPLE,
	  .set = tid_set, .hash = tid_hash, .same = tid_same, .cmp = tid_cmp,
	  .fill = tid_fill, .print = tid_print, .print_diff = tid_print_diff },
	{ .name = "dso", .header = "Shared Object",
	  .set = dso_set, .hash = dso_hash, .same = dso_same, .cmp = dso_cmp,
	  .print = dso_print },
	{ .name = "sym", .alias = "symbol", .header = "Symbol",
	  .flags = SORT_UNPADDED | SORT_NAMES_FRAME,
	  .set = sym_set, .hash = sym_hash, .same = sym_same, .cmp = sym_cmp,
	  .print = sym_print },
	{ .name = "srcline", .header = "Source:Line", .flags = SORT_UNPADDED,
	  .set = srcline_set, .hash = srcline_hash, .same = srcline_same, .cmp = srcline_cmp,
	  .print = srcline_print },
	{ .name = "cpu", .header = "CPU", .flags = SORT_OF_SAMPLE,
	  .set = cpu_set, .hash = cpu_hash, .same = cpu_same, .cmp = cpu_cmp,
	  .print = cpu_print },
};

_Static_assert(ARRAY_SIZE(keys) <= SORT_MAX_KEYS, "SORT_MAX_KEYS is too small");

static const struct sort_key *key_of(const char *w, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *alias = keys[i].alias;

		if ((strlen(keys[i].name) == len && !strncmp(w, keys[i].name, len)) ||
		    (alias && strlen(alias) == len && !strncmp(w, alias, len)))
			return &keys[i];
	}
	return NULL;
}

int sort_parse(const char *arg, const struct sort_key **out, size_t *n,
	       const char **bad)
{
	static char word[64];
	const char *s = arg;
	const struct sort_key *k;

	*n = 0;
	for (;;) {
		size_t len = strcspn(s, ","), i;

		snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), s);
		*bad = word;
		k = key_of(s, len);
		if (!k)
			return -EINVAL;
		/* A repeated key adds nothing: keep the first. */
		for (i = 0; i < *n && out[i] != k; i++)
			;
		if (i == *n)
			out[(*n)++] = k;
		s += len;
		if (!*s)
			return 0;
		s++;
	}
}

const char *sort_key_names(const char *last)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		len = list_append(buf, sizeof(buf), len, keys[i].name, i, ARRAY_SIZE(keys), last);
	return buf;
}

const char *sort_print_diff(const struct sort_key *key, const struct hist_key *k,
			    char *buf)
{
	if (key->print_diff)
		return key->print_diff(k, buf);
	return key->print(k, buf, strlen(key->header));
}
