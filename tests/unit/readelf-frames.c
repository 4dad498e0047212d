/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reads readelf's interpreted frame tables: per CIE and FDE a header line,
 * then "LOC CFA reg... ra" and one line per row, where a column is "u"
 * (undefined), "s" (same value), "c-16" (at CFA-16), "exp", "rN (name)"...
 * An FDE whose program changes nothing prints no table: its CIE's row holds.
 */
#define _GNU_SOURCE
#include "readelf-frames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 40
#define MAX_PRINTED 5

struct rf_row {
	uint64_t pc;
	struct unwind_row want;
};

struct rf_fde {
	uint64_t lo, hi;
	size_t first, n;
};

struct rf_cie {
	unsigned long off;
	int signal, have_row;
	struct unwind_row want;
};

struct rf {
	struct rf_row *rows;
	size_t n_rows, cap_rows;
	struct rf_fde *fdes;
	size_t n_fdes, cap_fdes;
	struct rf_cie *cies;
	size_t n_cies, cap_cies;
	uint64_t plt_lo, plt_hi;
	/* what the lines being read belong to */
	struct rf_cie *cie;	/* the entry's CIE (an FDE's, or itself) */
	int in_fde, in_cie;
	char cols[MAX_COLS][16];
	int n_cols;
};

static void *grow(void *p, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 256;
	p = realloc(p, *cap * elem);
	if (!p) {
		perror("realloc");
		exit(2);
	}
	return p;
}

/* "rsp+8" into the register's name and the offset. */
static int reg_plus(const char *s, char *name, size_t sz, long *off)
{
	size_t n = strcspn(s, "+-");

	if (!s[n] || n == 0 || n >= sz)
		return 0;
	memcpy(name, s, n);
	name[n] = 0;
	*off = strtol(s + n, NULL, 10);
	return 1;
}

static struct unwind_row expect(struct rf *r, uint64_t pc, const char *cfa,
				const char *rbp, const char *ra, int signal)
{
	struct unwind_row w = { .kind = UNWIND_UNSUPPORTED };
	char name[16];
	long off;

	if (signal)
		return (struct unwind_row){ .kind = UNWIND_CFA_SIGNAL };
	if (ra && !strcmp(ra, "u"))
		return (struct unwind_row){ .kind = UNWIND_END };
	if (!ra || strcmp(ra, "c-8") || !cfa)
		return w;
	if (!strcmp(cfa, "exp")) {
		if (pc < r->plt_lo || pc >= r->plt_hi)
			return w;
		w.kind = UNWIND_CFA_PLT;
		w.cfa_off = 8;
	} else if (reg_plus(cfa, name, sizeof(name), &off) &&
		   (!strcmp(name, "rsp") || !strcmp(name, "rbp"))) {
		w.kind = !strcmp(name, "rsp") ? UNWIND_CFA_RSP : UNWIND_CFA_RBP;
		w.cfa_off = (int32_t)off;
	} else {
		return w;
	}
	if (!rbp || !strcmp(rbp, "u") || !strcmp(rbp, "s"))
		return w;
	if (rbp[0] == 'c' && (rbp[1] == '+' || rbp[1] == '-')) {
		w.kind |= UNWIND_RBP_SAVED;
		w.rbp_off = (int16_t)strtol(rbp + 1, NULL, 10);
		return w;
	}
	return (struct unwind_row){ .kind = UNWIND_UNSUPPORTED };
}

/* Split on blanks, "r3 (rbx)" staying one token. */
static int tokens(char *line, char **tok, int max)
{
	int n = 0;

	for (char *s = strtok(line, " \t\n"); s; s = strtok(NULL, " \t\n")) {
		if (s[0] == '(' && n > 0)
			continue;
		if (n == max)
			break;
		tok[n++] = s;
	}
	return n;
}

static void table_row(struct rf *r, char *line)
{
	char *tok[MAX_COLS + 1];
	const char *cfa = NULL, *rbp = NULL, *ra = NULL;
	int n = tokens(line, tok, MAX_COLS + 1), i;
	uint64_t pc = strtoull(tok[0], NULL, 16);
	struct unwind_row w;

	for (i = 0; i < r->n_cols && i + 1 < n; i++) {
		if (!strcmp(r->cols[i], "CFA"))
			cfa = tok[i + 1];
		else if (!strcmp(r->cols[i], "rbp"))
			rbp = tok[i + 1];
		else if (!strcmp(r->cols[i], "ra"))
			ra = tok[i + 1];
	}
	w = expect(r, pc, cfa, rbp, ra, r->cie && r->cie->signal);
	if (r->in_cie && r->cie && !r->cie->have_row) {
		r->cie->have_row = 1;
		r->cie->want = w;
	} else if (r->in_fde) {
		r->rows = grow(r->rows, &r->cap_rows, r->n_rows, sizeof(*r->rows));
		r->rows[r->n_rows++] = (struct rf_row){ pc, w };
		r->fdes[r->n_fdes - 1].n++;
	}
}

/* An FDE that printed no rows runs on its CIE's state. */
static void end_entry(struct rf *r)
{
	struct rf_fde *f = r->n_fdes ? &r->fdes[r->n_fdes - 1] : NULL;

	if (r->in_fde && f && f->n == 0 && r->cie && (r->cie->have_row || r->cie->signal)) {
		struct unwind_row w = r->cie->signal ? (struct unwind_row){ .kind = UNWIND_CFA_SIGNAL }
						     : r->cie->want;

		r->rows = grow(r->rows, &r->cap_rows, r->n_rows, sizeof(*r->rows));
		r->rows[r->n_rows++] = (struct rf_row){ f->lo, w };
		f->n = 1;
	}
	r->in_fde = r->in_cie = 0;
	r->n_cols = 0;
}

static void entry_line(struct rf *r, const char *line)
{
	const char *q;
	unsigned long off, cie;
	unsigned long long lo, hi;

	end_entry(r);
	if (strstr(line, " CIE") && sscanf(line, "%lx", &off) == 1) {
		r->cies = grow(r->cies, &r->cap_cies, r->n_cies, sizeof(*r->cies));
		r->cie = &r->cies[r->n_cies++];
		memset(r->cie, 0, sizeof(*r->cie));
		r->cie->off = off;
		q = strchr(line, '"');
		r->cie->signal = q && strchr(q + 1, '"') && memchr(q + 1, 'S', (size_t)(strchr(q + 1, '"') - q - 1));
		r->in_cie = 1;
		return;
	}
	q = strstr(line, "cie=");
	if (!q || sscanf(q, "cie=%lx pc=%llx..%llx", &cie, &lo, &hi) != 3)
		return;
	r->cie = NULL;
	for (size_t i = 0; i < r->n_cies; i++)
		if (r->cies[i].off == cie)
			r->cie = &r->cies[i];
	r->fdes = grow(r->fdes, &r->cap_fdes, r->n_fdes, sizeof(*r->fdes));
	r->fdes[r->n_fdes++] = (struct rf_fde){ lo, hi, r->n_rows, 0 };
	r->in_fde = 1;
}

static void header_line(struct rf *r, char *line)
{
	char *tok[MAX_COLS + 1];
	int n = tokens(line, tok, MAX_COLS + 1);

	r->n_cols = 0;
	for (int i = 1; i < n && r->n_cols < MAX_COLS; i++)
		snprintf(r->cols[r->n_cols++], sizeof(r->cols[0]), "%s", tok[i]);
}

static int parse(struct rf *r, const char *path, const char *section)
{
	char cmd[4096], want[64], *line = NULL;
	size_t cap = 0;
	int in = 0, any = 0;
	FILE *p;

	snprintf(want, sizeof(want), "Contents of the %s section", section);
	snprintf(cmd, sizeof(cmd), "LC_ALL=C readelf --debug-dump=frames-interp '%s' 2>/dev/null", path);
	if (!(p = popen(cmd, "r")))
		return -1;
	while (getline(&line, &cap, p) > 0) {
		if (!strncmp(line, "Contents of the ", 16)) {
			end_entry(r);
			in = !strncmp(line, want, strlen(want));
			any |= in;
			continue;
		}
		if (!in || line[0] == '\n')
			continue;
		if (strstr(line, " CIE") || strstr(line, " FDE "))
			entry_line(r, line);
		else if (strstr(line, " LOC "))
			header_line(r, line);
		else if (r->n_cols && (r->in_fde || r->in_cie) &&
			 strspn(line, "0123456789abcdef") == 16 && line[16] == ' ')
			table_row(r, line);
	}
	end_entry(r);
	free(line);
	/* readelf exits 1 on some files it dumps whole (libc.so.6): what it
	 * printed is what counts. */
	pclose(p);
	return any ? 0 : -1;
}

static int same(const struct unwind_row *a, const struct unwind_row *b)
{
	return a->kind == b->kind && a->cfa_off == b->cfa_off && a->rbp_off == b->rbp_off;
}

static void mismatch(struct rf_counts *c, uint64_t pc, const struct unwind_row *want,
		     const struct unwind_row *got)
{
	if (c->mismatches++ < MAX_PRINTED)
		printf("INFO: at %#llx readelf says kind %#x cfa %d rbp %d, the table %#x %d %d\n",
		       (unsigned long long)pc, want->kind, want->cfa_off, want->rbp_off,
		       got ? got->kind : 0xff, got ? got->cfa_off : 0, got ? got->rbp_off : 0);
}

/* Every table row in [a, b) must say what readelf's row says. */
static void check_range(const struct unwind_table *t, uint64_t a, uint64_t b,
			const struct unwind_row *want, struct rf_counts *c)
{
	const struct unwind_row *first = unwind_table_lookup(t, a), *r;

	if (!first) {
		mismatch(c, a, want, NULL);
		return;
	}
	for (r = first; r < t->rows + t->n_rows && (r == first || r->pc < b); r++)
		if (!same(r, want)) {
			mismatch(c, r->pc > a ? r->pc : a, want, r);
			return;
		}
}

static int by_lo(const void *x, const void *y)
{
	const struct rf_fde *a = x, *b = y;

	return (a->lo > b->lo) - (a->lo < b->lo);
}

int rf_compare(const char *path, const char *section, const struct unwind_table *t,
	       uint64_t plt_lo, uint64_t plt_hi, struct rf_counts *c)
{
	struct rf r = { .plt_lo = plt_lo, .plt_hi = plt_hi };
	const struct unwind_row none = { .kind = UNWIND_NONE };
	int rc = parse(&r, path, section);

	memset(c, 0, sizeof(*c));
	if (!rc && r.n_fdes)
		qsort(r.fdes, r.n_fdes, sizeof(*r.fdes), by_lo);
	for (size_t i = 0; !rc && i < r.n_fdes; i++) {
		const struct rf_fde *f = &r.fdes[i];
		uint64_t next = i + 1 < r.n_fdes ? r.fdes[i + 1].lo : UINT64_MAX;

		if (f->lo >= f->hi)
			continue;
		c->fdes++;
		for (size_t k = 0; k < f->n; k++) {
			const struct rf_row *row = &r.rows[f->first + k];
			uint64_t a = row->pc, b = k + 1 < f->n ? r.rows[f->first + k + 1].pc : f->hi;

			if (a < f->lo)
				a = f->lo;
			if (b > f->hi)
				b = f->hi;
			if (a >= b)
				continue;
			c->rows++;
			check_range(t, a, b, &row->want, c);
		}
		if (f->hi < next) {
			const struct unwind_row *g = unwind_table_lookup(t, f->hi);

			c->gaps++;
			if (!g || !same(g, &none))
				mismatch(c, f->hi, &none, g);
		}
	}
	free(r.rows);
	free(r.fdes);
	free(r.cies);
	return rc || !c->rows ? -1 : 0;
}
