/* SPDX-License-Identifier: GPL-2.0-or-later */
/* diff's table (see output-diff.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hashtab.h"
#include "output/output-diff.h"
#include "lib/util.h"

#define SEP		'\x1f'	/* between the key columns of a row's key */
#define PCT_WIDTH	8
#define DELTA_WIDTH	9

struct row {
	char *key;		/* the key columns' texts, SEP between them */
	double share[2];
	bool in[2];
};

struct table {
	struct row *v;
	size_t n, cap;
	struct hashtab index;
	const struct sort_key *const *keys;
	size_t n_keys;
};

static char *key_of(const struct table *t, const struct hist_entry *e)
{
	char buf[SORT_TEXT_MAX], *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < t->n_keys; i++) {
		if (i)
			fputc(SEP, f);
		fputs(sort_print_diff(t->keys[i], &e->key, buf), f);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static bool row_eq(const void *ctx, uint32_t idx, const void *key)
{
	return !strcmp(((const struct table *)ctx)->v[idx].key, key);
}

static int row_add(struct table *t, const struct hist_entry *e, double share,
		   unsigned int which)
{
	char *key = key_of(t, e);
	uint64_t hash;
	int64_t i;

	if (!key)
		return -ENOMEM;
	hash = hash_bytes(key, strlen(key));
	i = hashtab_find(&t->index, hash, key, row_eq, t);
	if (i < 0) {
		if (t->n >= DIFF_MAX_ROWS) {
			free(key);
			return -E2BIG;
		}
		if (grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v))) {
			free(key);
			return -ENOMEM;
		}
		if (hashtab_insert(&t->index, hash, (uint32_t)t->n)) {
			free(key);
			return -ENOMEM;
		}
		i = (int64_t)t->n;
		t->v[t->n++] = (struct row){ .key = key };
	} else {
		free(key);
	}
	/* An entry twice in one file (two [k] symbols alike): add them up. */
	t->v[i].share[which] += share;
	t->v[i].in[which] = true;
	return 0;
}

static int table_fill(struct table *t, const struct hist *h, unsigned int which,
		      bool children)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct hist_entry *e = &h->v[i];
		uint64_t v = children ? e->children : e->self;
		int err;

		if (!v)
			continue;
		err = row_add(t, e, h->total ? 100.0 * (double)v / (double)h->total : 0,
			      which);
		if (err)
			return err;
	}
	return 0;
}

static double delta(const struct row *r)
{
	return r->share[1] - r->share[0];
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	double da = fabs(delta(a)), db = fabs(delta(b));

	if (da != db)
		return (da < db) - (da > db);
	if (a->share[1] != b->share[1])
		return (a->share[1] < b->share[1]) - (a->share[1] > b->share[1]);
	if (a->share[0] != b->share[0])
		return (a->share[0] < b->share[0]) - (a->share[0] > b->share[0]);
	return strcmp(a->key, b->key);
}

/* Column i of a row key; its length in *len. */
static const char *column(const char *key, size_t i, size_t *len)
{
	for (; i; i--)
		key = strchr(key, SEP) + 1;
	*len = strcspn(key, "\x1f");
	return key;
}

static void print_header(FILE *f, const struct table *t, const size_t *w,
			 const struct diff_opts *o)
{
	fprintf(f, "# Event '%s'\n#\n# Data files:\n#  [0] %s (Baseline)\n#  [1] %s\n#\n",
		o->event ? o->event : "unknown", o->names[0], o->names[1]);
	fprintf(f, "# Shares of the samples %s.\n#\n",
		o->children ? "with the entry anywhere on the stack (children)" :
		"whose leaf is the entry (self)");
	fprintf(f, "# %*s  %*s", PCT_WIDTH, "Baseline", DELTA_WIDTH, "Delta Abs");
	for (size_t i = 0; i < t->n_keys; i++)
		fprintf(f, "  %-*s", (int)w[i], t->keys[i]->header);
	fputs("\n# ........  .........", f);
	for (size_t i = 0; i < t->n_keys; i++) {
		fputs("  ", f);
		for (size_t j = 0; j < w[i]; j++)
			fputc('.', f);
	}
	fputs("\n#\n", f);
}

static void print_row(FILE *f, const struct table *t, const struct row *r,
		      const size_t *w)
{
	double d = delta(r);

	fputs("  ", f);
	if (r->in[0])
		fprintf(f, "%*.2f%%", PCT_WIDTH - 1, r->share[0]);
	else
		fprintf(f, "%*s", PCT_WIDTH, "");
	/* perf diff leaves the delta out when it rounds to nothing. */
	if (fabs(d) >= 0.005)
		fprintf(f, "  %+*.2f%%", DELTA_WIDTH - 1, d);
	else
		fprintf(f, "  %*s", DELTA_WIDTH, "");
	for (size_t i = 0; i < t->n_keys; i++) {
		size_t len;
		const char *c = column(r->key, i, &len);
		bool last = i + 1 == t->n_keys;

		fprintf(f, "  %.*s%*s", (int)len, c,
			last ? 0 : (int)(w[i] > len ? w[i] - len : 0), "");
	}
	fputc('\n', f);
}

static bool shown(const struct row *r, const struct diff_opts *o)
{
	return r->share[0] >= o->percent_limit || r->share[1] >= o->percent_limit;
}

static void print_table(FILE *f, const struct table *t, const struct diff_opts *o)
{
	size_t w[SORT_MAX_KEYS];

	for (size_t i = 0; i < t->n_keys; i++)
		w[i] = strlen(t->keys[i]->header);
	for (size_t r = 0; r < t->n; r++) {
		for (size_t i = 0; i < t->n_keys && shown(&t->v[r], o); i++) {
			size_t len;

			column(t->v[r].key, i, &len);
			if (len > w[i])
				w[i] = len;
		}
	}
	if (!o->quiet)
		print_header(f, t, w, o);
	for (size_t r = 0; r < t->n; r++)
		if (shown(&t->v[r], o))
			print_row(f, t, &t->v[r], w);
}

int diff_print(FILE *f, const struct hist *old, const struct hist *new,
	       const struct diff_opts *o)
{
	struct table t = { 0 };
	int err;

	t.keys = old->opts.keys;
	t.n_keys = old->opts.n_keys;
	hashtab_init(&t.index);
	err = table_fill(&t, old, 0, o->children);
	err = err ? err : table_fill(&t, new, 1, o->children);
	if (!err) {
		if (t.n)
			qsort(t.v, t.n, sizeof(*t.v), row_cmp);
		print_table(f, &t, o);
		if (ferror(f))
			err = -EIO;
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].key);
	free(t.v);
	hashtab_release(&t.index);
	return err;
}
