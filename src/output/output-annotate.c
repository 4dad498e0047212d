/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * annotate's listing.  The code comes from the data file, so it is what
 * ran, whatever became of the binary since; the source text is read at
 * annotate time where the recorded path leads to a readable file, and is
 * left out (file:line only) where it does not.
 */
#include "config.h"

#include <capstone.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/output-annotate.h"

/* Source files kept in memory, and the largest read. */
#define SRC_FILES	16
#define SRC_MAX_BYTES	(16u << 20)

struct src_file {
	const char *path;		/* interned in the session: compared by pointer */
	char *text;			/* NULL: unreadable */
	char **lines;			/* lines[i] is line i + 1, NUL-terminated */
	size_t n;
};

struct annotate_printer {
	struct annotate_opts o;
	csh cs;
	cs_insn *insn;
	struct src_file files[SRC_FILES];
	size_t next;			/* the slot replaced next */
};

int annotate_printer_new(struct annotate_printer **out, const struct annotate_opts *o)
{
	struct annotate_printer *p;
	cs_arch arch;
	cs_mode mode;

	*out = NULL;
	if (!o->arch || !strcmp(o->arch, "x86_64")) {
		arch = CS_ARCH_X86;
		mode = CS_MODE_64;
	} else if (!strcmp(o->arch, "aarch64")) {
		arch = CS_ARCH_ARM64;
		mode = CS_MODE_ARM;
	} else {
		return -ENOTSUP;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return -ENOMEM;
	p->o = *o;
	if (cs_open(arch, mode, &p->cs) != CS_ERR_OK) {
		free(p);
		return -ENOMEM;
	}
	if (arch == CS_ARCH_X86)
		cs_option(p->cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);	/* as objdump and perf */
	if (!(p->insn = cs_malloc(p->cs))) {
		cs_close(&p->cs);
		free(p);
		return -ENOMEM;
	}
	*out = p;
	return 0;
}

static void src_drop(struct src_file *f)
{
	free(f->text);
	free(f->lines);
	memset(f, 0, sizeof(*f));
}

void annotate_printer_free(struct annotate_printer *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < SRC_FILES; i++)
		src_drop(&p->files[i]);
	cs_free(p->insn, 1);
	cs_close(&p->cs);
	free(p);
}

static void src_load(struct src_file *f, const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t len = 0, cap = 0, n = 0;
	char *t = NULL;

	f->path = path;
	if (!fp)
		return;
	while (len < SRC_MAX_BYTES) {
		char *g;

		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 65536;
			if (!(g = realloc(t, cap)))
				goto fail;
			t = g;
		}
		n = fread(t + len, 1, cap - len - 1, fp);
		if (!n)
			break;
		len += n;
	}
	if (ferror(fp) || len >= SRC_MAX_BYTES || !t)
		goto fail;
	fclose(fp);
	t[len] = '\0';
	n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	if (!(f->lines = malloc(n * sizeof(*f->lines)))) {
		free(t);
		return;
	}
	f->text = t;
	f->lines[f->n++] = t;
	for (size_t i = 0; i < len; i++) {
		if (t[i] != '\n')
			continue;
		t[i] = '\0';
		if (i + 1 < len)
			f->lines[f->n++] = t + i + 1;
	}
	return;
fail:
	free(t);
	fclose(fp);
}

/* The text of line of path, tabs and all, or NULL. */
static const char *src_line(struct annotate_printer *p, const char *path, uint32_t line)
{
	struct src_file *f = NULL;

	if (p->o.no_source || !path || !line)
		return NULL;
	for (size_t i = 0; i < SRC_FILES && !f; i++)
		if (p->files[i].path == path)
			f = &p->files[i];
	if (!f) {
		f = &p->files[p->next];
		p->next = (p->next + 1) % SRC_FILES;
		src_drop(f);
		src_load(f, path);
	}
	return f->text && line <= f->n ? f->lines[line - 1] : NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Rows ordered by file and line, to total a line's rows wherever they lie. */
static const struct sess_code_line *sort_rows;

static int by_line(const void *pa, const void *pb)
{
	const struct sess_code_line *a = &sort_rows[*(const uint32_t *)pa];
	const struct sess_code_line *b = &sort_rows[*(const uint32_t *)pb];

	if (a->file != b->file)
		return (uintptr_t)a->file < (uintptr_t)b->file ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/*
 * out[i]: the weight of the samples at every row of the function with
 * row i's file and line.  -ENOMEM.
 */
static int line_weights(const struct ann_func *f, uint64_t **out)
{
	const struct sess_code *c = f->code;
	uint32_t *idx = malloc((c->n_lines ? c->n_lines : 1) * sizeof(*idx));
	uint64_t *w = calloc(c->n_lines ? c->n_lines : 1, sizeof(*w));

	*out = NULL;
	if (!idx || !w) {
		free(idx);
		free(w);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < c->n_lines; i++) {
		uint32_t end = i + 1 < c->n_lines ? c->lines[i + 1].offset : c->len;

		idx[i] = i;
		w[i] = annotate_weight(f, c->lines[i].offset, end - c->lines[i].offset);
	}
	sort_rows = c->lines;
	qsort(idx, c->n_lines, sizeof(*idx), by_line);
	for (uint32_t i = 0, j; i < c->n_lines; i = j) {
		uint64_t sum = 0;

		for (j = i; j < c->n_lines && !by_line(&idx[i], &idx[j]); j++)
			sum += w[idx[j]];
		for (uint32_t k = i; k < j; k++)
			w[idx[k]] = sum;
	}
	free(idx);
	*out = w;
	return 0;
}

/* One instruction of the walk over a function's code; undecodable bytes one at a time. */
struct insn_walk {
	uint64_t off, len;
	const char *mnem, *ops;
};

static bool next_insn(struct annotate_printer *p, const struct sess_code *c, uint64_t *off,
		      struct insn_walk *iw)
{
	const uint8_t *code;
	size_t left;
	uint64_t addr;

	if (*off >= c->len)
		return false;
	code = c->bytes + *off;
	left = c->len - *off;
	addr = c->start + *off;
	iw->off = *off;
	if (cs_disasm_iter(p->cs, &code, &left, &addr, p->insn)) {
		iw->len = p->insn->size;
		iw->mnem = p->insn->mnemonic;
		iw->ops = p->insn->op_str;
	} else {
		iw->len = 1;	/* as objdump: one byte it cannot read, and on */
		iw->mnem = "(bad)";
		iw->ops = "";
	}
	*off += iw->len;
	return true;
}

/*
 * The instruction as objdump prints it: a branch into the function names
 * its target as "1105 <loop+0x5>".
 */
static void print_insn(FILE *fp, const struct ann_func *f, const struct insn_walk *iw)
{
	const struct sess_code *c = f->code;
	unsigned long long to;
	char *end;

	if (!iw->ops[0]) {
		fputs(iw->mnem, fp);
		return;
	}
	fprintf(fp, "%-6s ", iw->mnem);
	if ((iw->mnem[0] == 'j' || !strncmp(iw->mnem, "call", 4) || !strncmp(iw->mnem, "loop", 4) ||
	     iw->mnem[0] == 'b') && !strncmp(iw->ops, "0x", 2) &&
	    (to = strtoull(iw->ops, &end, 16), !*end) && to >= c->start &&
	    to - c->start < c->len) {
		if (to == c->start)
			fprintf(fp, "%llx <%s>", to, f->name);
		else
			fprintf(fp, "%llx <%s+0x%llx>", to, f->name, to - c->start);
		return;
	}
	fputs(iw->ops, fp);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

int annotate_print(FILE *fp, struct annotate_printer *p, const struct ann_func *f)
{
	const struct sess_code *c = f->code;
	const struct sess_code_line *prev = NULL, *hot_line = NULL;
	uint64_t off = 0, hot_off = UINT64_MAX, hot_w = 0, hot_lw = 0, inside = 0, *lw;
	struct insn_walk iw;

	if (line_weights(f, &lw))
		return -ENOMEM;

	/* The hottest instruction and line first, to mark them as they come. */
	while (next_insn(p, c, &off, &iw)) {
		uint64_t w = annotate_weight(f, iw.off, iw.len);

		inside += w;
		if (w > hot_w) {
			hot_w = w;
			hot_off = iw.off;
		}
	}
	for (uint32_t i = 0; i < c->n_lines; i++) {
		if (c->lines[i].line && lw[i] > hot_lw) {
			hot_lw = lw[i];
			hot_line = &c->lines[i];
		}
	}
	fprintf(fp, " Percent |\tSource code & Disassembly of %s for %s (%" PRIu64 " samples)\n",
		f->dso->path, p->o.event ? p->o.event : "cpu-clock", f->weight);
	fprintf(fp, "------------------------------------------------------------------------"
		"--------\n");
	fprintf(fp, "         :\t%016" PRIx64 " <%s>:\n", f->start, f->name);
	for (off = 0; next_insn(p, c, &off, &iw);) {
		const struct sess_code_line *l = session_code_line(c, iw.off);
		uint64_t w = annotate_weight(f, iw.off, iw.len);

		if (l && l->line && (!prev || prev->file != l->file || prev->line != l->line)) {
			uint64_t w_line = lw[l - c->lines];
			const char *text = src_line(p, l->file, l->line);
			bool hot = hot_line && hot_line->file == l->file &&
				   hot_line->line == l->line;

			if (w_line)
				fprintf(fp, "%8.2f :", pct(w_line, f->weight));
			else
				fprintf(fp, "         :");
			fprintf(fp, "\t%s:%" PRIu32 "%s%s%s\n", l->file ? base_name(l->file) : "??",
				l->line, text ? "\t" : "", text ? text : "",
				hot ? "\t<- hottest line" : "");
		}
		prev = l && l->line ? l : prev;
		fprintf(fp, "%8.2f :\t%8" PRIx64 ":\t", pct(w, f->weight), c->start + iw.off);
		print_insn(fp, f, &iw);
		fprintf(fp, "%s\n", iw.off == hot_off ? "\t<- hottest instruction" : "");
	}
	if (inside < f->weight)
		fprintf(fp, "%8.2f :\t(%" PRIu64 " samples past the %" PRIu32 " bytes of "
			"recorded code)\n", pct(f->weight - inside, f->weight),
			f->weight - inside, c->len);
	fputc('\n', fp);
	free(lw);
	return ferror(fp) ? -EIO : 0;
}
