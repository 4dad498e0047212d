/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * perf report --stdio's layout.  Widths, markers and blank lines follow
 * perf 6.1 (tools/perf/ui/stdio/hist.c) so that people and scripts used
 * to perf's output read ours the same way.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/output-stdio.h"
#include "lib/util.h"

#define MAX_COLS	(SORT_MAX_KEYS + 4)
#define PCT_WIDTH	8
#define NR_WIDTH	12
#define MARGIN		"            "	/* call graphs start under column 2 */

/* COL_TIME's key is 1 for the Children time, 0 for Self. */
enum col_kind { COL_CHILDREN, COL_SELF, COL_SAMPLES, COL_TIME, COL_KEY };
#define TIME_WIDTH	12

struct col {
	enum col_kind kind;
	const struct sort_key *key;	/* COL_KEY's */
	bool total;			/* COL_TIME's: Children time, not Self */
	const char *header;
	size_t width;
};

struct layout {
	struct col cols[MAX_COLS];
	size_t n;
};

/* ---- rows --------------------------------------------------------------- */

static double pct(uint64_t v, uint64_t total)
{
	return total ? (double)v * 100.0 / (double)total : 0.0;
}

static struct col *add_col(struct layout *l, enum col_kind kind, const char *header,
			   size_t width)
{
	struct col *c = &l->cols[l->n++];

	c->kind = kind;
	c->header = header;
	c->width = width;
	return c;
}

/* Text columns are as wide as their widest value or their header. */
static void size_key_col(const struct hist *h, struct col *c)
{
	char buf[SORT_TEXT_MAX];

	for (size_t i = 0; i < h->n; i++) {
		size_t len = strlen(c->key->print(&h->v[i].key, buf, 0));

		if (len > c->width)
			c->width = len;
	}
}

static void layout_init(struct layout *l, const struct hist *h,
			const struct stdio_opts *o)
{
	memset(l, 0, sizeof(*l));
	if (o->children) {
		add_col(l, COL_CHILDREN, "Children", PCT_WIDTH);
		add_col(l, COL_SELF, "Self", PCT_WIDTH);
	} else {
		add_col(l, COL_SELF, "Overhead", PCT_WIDTH);
	}
	if (o->show_nr)
		add_col(l, COL_SAMPLES, "Samples", NR_WIDTH);
	/* Off-CPU and other time events: the time itself, not only shares. */
	if (o->time)
		add_col(l, COL_TIME, o->children ? "Time(total)" : "Time",
			TIME_WIDTH)->total = o->children;
	for (size_t i = 0; i < h->opts.n_keys; i++) {
		const struct sort_key *k = h->opts.keys[i];
		struct col *c = add_col(l, COL_KEY, k->header, strlen(k->header));

		c->key = k;
		size_key_col(h, c);
	}
}

static void print_col_headers(FILE *fp, const struct layout *l)
{
	fputs("# ", fp);
	for (size_t i = 0; i < l->n; i++) {
		const struct col *c = &l->cols[i];
		int w = (int)c->width;

		fputs(i ? "  " : "", fp);
		if (c->kind == COL_KEY)
			fprintf(fp, "%-*s", w, c->header);
		else
			fprintf(fp, "%*s", w, c->header);
	}
	fputs("\n# ", fp);
	for (size_t i = 0; i < l->n; i++) {
		fputs(i ? "  " : "", fp);
		for (size_t j = 0; j < l->cols[i].width; j++)
			fputc('.', fp);
	}
	fputs("\n#\n", fp);
}

static void print_row(FILE *fp, const struct layout *l, const struct hist *h,
		      const struct hist_entry *e)
{
	char buf[SORT_TEXT_MAX];

	for (size_t i = 0; i < l->n; i++) {
		const struct col *c = &l->cols[i];
		int w = (int)c->width;

		fputs("  ", fp);
		switch (c->kind) {
		case COL_CHILDREN:
			fprintf(fp, "%*.2f%%", w - 1, pct(e->children, h->total));
			break;
		case COL_SELF:
			fprintf(fp, "%*.2f%%", w - 1, pct(e->self, h->total));
			break;
		case COL_SAMPLES:
			fprintf(fp, "%*" PRIu64, w, e->nr_self);
			break;
		case COL_TIME:
			fprintf(fp, "%*.6fs", w - 1,
				(double)(c->total ? e->children : e->self) / 1e9);
			break;
		case COL_KEY:
			if (c->key->flags & SORT_UNPADDED)
				fputs(c->key->print(&e->key, buf, 0), fp);
			else
				fprintf(fp, "%-*s", w, c->key->print(&e->key, buf, c->width));
			break;
		}
	}
	fputc('\n', fp);
}

/* ---- call graphs -------------------------------------------------------- */

struct graph {
	FILE *fp;
	const struct callchain *cc;
	uint64_t total;		/* percentages are of the whole report */
	uint64_t min_hit;
	unsigned int limit;
	bool depth_mask[DF_MAX_FRAMES + 2];
	bool printed;
};

static void margin(struct graph *g, int left)
{
	fprintf(g->fp, MARGIN "%*s", left, "");
}

static void graph_line(struct graph *g, int depth, const bool *mask, int left)
{
	margin(g, left);
	for (int i = 0; i < depth; i++)
		fputs(mask[i] ? "|          " : "           ", g->fp);
	fputc('\n', g->fp);
}

static void chain_line(struct graph *g, uint32_t node, const char *name,
		       int depth, const bool *mask, bool first, int left)
{
	margin(g, left);
	for (int i = 0; i < depth; i++) {
		fputc(mask[i] ? '|' : ' ', g->fp);
		if (first && i == depth - 1)
			fprintf(g->fp, "--%.2f%%--", pct(g->cc->nodes[node].cumul, g->total));
		else
			fputs("          ", g->fp);
	}
	fprintf(g->fp, "%s\n", name);
	g->printed = true;
}

/* A run's nodes, first to last. */
static void print_run(struct graph *g, uint32_t first, int depth,
		      const bool *mask, int left)
{
	uint32_t end = callchain_run_end(g->cc, first), path[DF_MAX_FRAMES + 1];
	size_t n = 0;

	for (uint32_t x = end; n <= DF_MAX_FRAMES; x = g->cc->nodes[x].parent) {
		path[n++] = x;
		if (x == first)
			break;
	}
	while (n--)
		chain_line(g, path[n], g->cc->nodes[path[n]].key.name, depth, mask,
			   path[n] == first, left);
}

/* perf's __callchain__fprintf_graph, with the trie's runs as its nodes. */
static int print_level(struct graph *g, uint32_t parent, int depth, int left)
{
	bool *mask = g->depth_mask;
	bool saved = mask[depth - 1];
	uint32_t *kids;
	size_t n;
	int err = callchain_children(g->cc, parent, g->min_hit, &kids, &n);

	if (g->limit && n > g->limit)
		n = g->limit;
	for (size_t i = 0; i < n && !err; i++) {
		graph_line(g, depth, mask, left);
		if (i == n - 1)
			mask[depth - 1] = false;
		mask[depth] = true;
		print_run(g, kids[i], depth, mask, left);
		if (depth <= DF_MAX_FRAMES)
			err = print_level(g, callchain_run_end(g->cc, kids[i]),
					  depth + 1, left);
	}
	mask[depth - 1] = saved;
	free(kids);
	return err;
}

/*
 * A single branch holding all of the entry's weight is printed without a
 * percentage, after "---"; the rest as a tree (perf's callchain__fprintf_graph).
 */
static int print_graph(struct graph *g, uint32_t root, uint64_t parent_samples,
		       bool skip_first)
{
	uint32_t *kids, top = root, node;
	size_t n;
	int left = 0, err = callchain_children(g->cc, root, g->min_hit, &kids, &n);

	if (err)
		return err;
	if (n == 1 && g->cc->nodes[kids[0]].cumul == parent_samples) {
		uint32_t end = callchain_run_end(g->cc, kids[0]), path[DF_MAX_FRAMES + 1];
		size_t k = 0;

		for (node = end; k <= DF_MAX_FRAMES; node = g->cc->nodes[node].parent) {
			path[k++] = node;
			if (node == kids[0])
				break;
		}
		for (size_t i = k; i--; ) {
			if (i == k - 1 && skip_first)
				continue;
			margin(g, left);
			if (!left) {
				fputs("|\n", g->fp);
				margin(g, left);
				fputs("---", g->fp);
				left = 3;
			}
			fprintf(g->fp, "%s\n", g->cc->nodes[path[i]].key.name);
			g->printed = true;
		}
		top = end;
	}
	free(kids);
	memset(g->depth_mask, 0, sizeof(g->depth_mask));
	g->depth_mask[0] = true;
	err = print_level(g, top, 1, left);
	if (g->printed)
		fputc('\n', g->fp);
	return err;
}

static void print_path(struct graph *g, uint32_t node, const char *sep,
		       const char *prefix)
{
	uint32_t path[DF_MAX_FRAMES + 1];
	size_t n = 0;

	for (; node && g->cc->nodes[node].parent && n <= DF_MAX_FRAMES;
	     node = g->cc->nodes[node].parent)
		path[n++] = node;
	while (n--)
		fprintf(g->fp, "%s%s%s", prefix, g->cc->nodes[path[n]].key.name,
			n ? sep : "");
}

/* -g flat and -g folded: each chain that ends somewhere, by its hits. */
static int print_ends(struct graph *g, uint32_t root, bool folded)
{
	uint32_t *ends;
	size_t n;
	int err = callchain_ends(g->cc, root, g->min_hit, &ends, &n);

	if (err)
		return err;
	if (g->limit && n > g->limit)
		n = g->limit;
	for (size_t i = 0; i < n; i++) {
		const struct cc_node *e = &g->cc->nodes[ends[i]];

		if (folded) {
			fprintf(g->fp, "%.2f%% ", pct(e->hit, g->total));
			print_path(g, ends[i], ";", "");
		} else {
			fprintf(g->fp, "           %.2f%%\n", pct(e->cumul, g->total));
			print_path(g, ends[i], "\n", "                ");
			fputc('\n', g->fp);
		}
		fputc('\n', g->fp);
	}
	free(ends);
	return 0;
}

static int print_callchain(FILE *fp, const struct hist *h,
			   const struct hist_entry *e, const struct stdio_opts *o)
{
	struct graph *g;
	int err;

	if (!e->tree)
		return 0;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->fp = fp;
	g->cc = &h->cc;
	g->total = h->total;
	g->min_hit = (uint64_t)((double)h->total * (o->cc.min_percent / 100.0));
	g->limit = o->cc.print_limit;
	if (o->cc.mode == CC_GRAPH)
		err = print_graph(g, e->tree, o->children ? e->children : e->self,
				  h->opts.n_keys &&
				  (h->opts.keys[0]->flags & SORT_NAMES_FRAME));
	else
		err = print_ends(g, e->tree, o->cc.mode == CC_FOLDED);
	free(g);
	return err;
}

/* ---- the report --------------------------------------------------------- */

/* Said only when it happened: files of frame-pointer recordings never show it. */
static void print_unwind_stops(FILE *fp, const struct hist *h)
{
	static const char *const why[DF_UNWIND_STOP__MAX - 1] = {
		"unreadable stack", "unsupported CFI rule", "address outside every mapping",
		"no frame pointer", "deeper than the limit",
	};
	uint64_t n = 0;
	const char *sep = "";

	for (int i = 0; i < DF_UNWIND_STOP__MAX - 1; i++)
		n += h->unwind_stops[i];
	if (!n)
		return;
	fprintf(fp, "# User stacks ended early: %" PRIu64 " (%.2f%%:", n,
		h->nr_samples ? 100.0 * n / h->nr_samples : 0.0);
	for (int i = 0; i < DF_UNWIND_STOP__MAX - 1; i++) {
		if (!h->unwind_stops[i])
			continue;
		fprintf(fp, "%s %s %" PRIu64, sep, why[i], h->unwind_stops[i]);
		sep = ",";
	}
	fputs(")\n", fp);
}

static void print_summary(FILE *fp, const struct hist *h, const struct stdio_opts *o)
{
	static const char units[] = " KMG";
	uint64_t n = h->nr_samples;
	int u = 0;

	/* perf's convert_unit(): 1000 stays 1000, 1999 is 1K. */
	while (n > 1000 && u < 3) {
		n /= 1000;
		u++;
	}
	if (!o->no_lost_line)
		fprintf(fp, "# Total Lost Samples: %" PRIu64 "\n#\n", o->lost);
	fprintf(fp, "# Samples: %" PRIu64 "%c of event '%s'\n", n, units[u],
		o->event ? o->event : "unknown");
	print_unwind_stops(fp, h);
	if (o->time)
		fprintf(fp, "# Event count (approx.): %" PRIu64 " (%.6f s)\n#\n", h->total,
			(double)h->total / 1e9);
	else
		fprintf(fp, "# Event count (approx.): %" PRIu64 "\n#\n", h->total);
}

int stdio_report(FILE *fp, const struct hist *h, const struct stdio_opts *o)
{
	struct layout l;
	int err = 0;

	layout_init(&l, h, o);
	if (!o->quiet) {
		print_summary(fp, h, o);
		print_col_headers(fp, &l);
	}
	for (size_t i = 0; i < h->n && !err; i++) {
		const struct hist_entry *e = &h->v[i];
		uint64_t v = o->children ? e->children : e->self;

		if (!v || pct(v, h->total) < o->percent_limit)
			continue;
		print_row(fp, &l, h, e);
		if (o->callchain && o->cc.mode != CC_NONE)
			err = print_callchain(fp, h, e, o);
	}
	return err;
}

/* ---- --header ----------------------------------------------------------- */

static void meta_line(FILE *fp, const struct session *s, const char *label,
		      const char *key)
{
	const char *v = session_meta(s, key);

	if (v)
		fprintf(fp, "# %s : %s\n", label, v);
}

static void captured_on(FILE *fp, const struct session *s)
{
	const char *v = session_meta(s, DF_META_START_TIME);
	uint64_t ns;
	time_t t;
	struct tm tm;
	char buf[64];

	if (!v || parse_u64(v, 0, UINT64_MAX, &ns))
		return;
	t = (time_t)(ns / 1000000000u);
	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm))
		return;
	fprintf(fp, "# captured on    : %s\n", buf);
}

static void event_line(FILE *fp, const struct session *s)
{
	const char *ev = session_meta(s, DF_META_EVENT);
	const char *freq = session_meta(s, DF_META_FREQUENCY);
	const char *cg = session_meta(s, DF_META_CALL_GRAPH);

	if (!ev)
		return;
	fprintf(fp, "# event : name = %s", ev);
	if (freq)
		fprintf(fp, ", sample_freq = %s", freq);
	if (cg)
		fprintf(fp, ", call-graph = %s", cg);
	fputc('\n', fp);
}

/* A kind of loss this version does not know counts as other. */
static const char *lost_kind(uint32_t kind)
{
	const char *name = df_lost_kind_name(kind);

	return strcmp(name, "unknown") ? name : "other";
}

static void lost_line(FILE *fp, const struct session *s)
{
	const char *sep = "";

	if (!session_lost_total(s))
		return;
	fputs("# lost samples : ", fp);
	for (uint32_t k = 0; k < 16; k++) {
		if (session_lost(s, k)) {
			fprintf(fp, "%s%s = %" PRIu64, sep, lost_kind(k),
				session_lost(s, k));
			sep = ", ";
		}
	}
	fputc('\n', fp);
}

void stdio_header(FILE *fp, const struct session *s, const struct session_status *st)
{
	const struct df_end *end = session_end(s);

	fputs("# ========\n", fp);
	captured_on(fp, s);
	fprintf(fp, "# data version   : %u.%u\n", st->df.version_major,
		st->df.version_minor);
	meta_line(fp, s, "hostname", DF_META_HOSTNAME);
	meta_line(fp, s, "os release", DF_META_OS_RELEASE);
	meta_line(fp, s, "ebpf-tool version", DF_META_TOOL_VERSION);
	meta_line(fp, s, "arch", DF_META_ARCH);
	meta_line(fp, s, "nrcpus online", DF_META_NR_CPUS_ONLINE);
	meta_line(fp, s, "nrcpus avail", DF_META_NR_CPUS_AVAIL);
	meta_line(fp, s, "cpudesc", DF_META_CPU_DESC);
	meta_line(fp, s, "total memory", DF_META_TOTAL_MEM);
	meta_line(fp, s, "cmdline", DF_META_CMDLINE);
	event_line(fp, s);
	lost_line(fp, s);
	if (end)
		fprintf(fp, "# sample duration : %10.3f ms\n",
			(double)end->duration_ns / 1e6);
	fputs("# ========\n#\n", fp);
}
