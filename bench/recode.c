/*
 * Re-encodes a data file, to compare encodings on the same samples:
 * recode IN OUT [VERSION [LEVEL [PERIOD_NS]]], VERSION 1 or 2 (default 2).
 * Blocks end about once a second of sample time, as ebpf-tool record's do.
 * Build: cc -O2 -Isrc -o recode bench/recode.c src/data/datafile-*.c src/lib/util.c -lz
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "data/datafile.h"

struct ctx {
	struct df_writer *w;
	uint64_t last_flush;
	int err;
};

#define W(x) do { int e_ = (x); if (e_ < 0) { c->err = e_; return e_; } } while (0)

static int meta(void *p, const char *k, const char *v) { struct ctx *c = p; W(df_write_meta(c->w, k, v)); return 0; }
static int task(void *p, const struct df_task *t) { struct ctx *c = p; W(df_write_task(c->w, t)); return 0; }
static int dso(void *p, const struct df_dso *d) { struct ctx *c = p; W(df_write_dso(c->w, d)); return 0; }
static int mmap_(void *p, const struct df_mmap *m) { struct ctx *c = p; W(df_write_mmap(c->w, m)); return 0; }
static int stack(void *p, uint32_t id, const uint64_t *ips, uint16_t k, uint16_t u)
{ struct ctx *c = p; W(df_write_stack(c->w, id, ips, k, u)); return 0; }
static int sample(void *p, const struct df_sample *s)
{
	struct ctx *c = p;

	if (!c->last_flush)
		c->last_flush = s->time_ns;
	if (s->time_ns > c->last_flush + 1000000000ull) {
		W(df_writer_flush(c->w));
		c->last_flush = s->time_ns;
	}
	W(df_write_sample(c->w, s));
	return 0;
}
static int symbols(void *p, uint32_t id, const struct df_symbol *s, size_t n)
{ struct ctx *c = p; W(df_write_symbols(c->w, id, s, n)); return 0; }
static int lost(void *p, uint32_t k, uint64_t n) { struct ctx *c = p; W(df_write_lost(c->w, k, n)); return 0; }
static int end(void *p, const struct df_end *e) { struct ctx *c = p; W(df_writer_finish(c->w, e)); return 0; }
static int event(void *p, const struct df_event *e) { struct ctx *c = p; W(df_write_event(c->w, e)); return 0; }
static int srcstr(void *p, uint32_t id, const char *s) { struct ctx *c = p; W(df_write_srcstr(c->w, id, s)); return 0; }
static int srcline(void *p, uint32_t d, uint64_t a, const struct df_src_frame *f, size_t n)
{ struct ctx *c = p; W(df_write_srcline(c->w, d, a, f, n)); return 0; }

int main(int argc, char **argv)
{
	static const struct df_ops ops = { meta, task, dso, mmap_, stack, sample, symbols,
					   lost, end, event, srcstr, srcline };
	struct ctx c = { 0 };
	struct df_read_status st;
	int in, out, rc, v = argc > 3 ? atoi(argv[3]) : 2;

	if (argc < 3)
		return 2;
	in = open(argv[1], O_RDONLY);
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		return 1;
	rc = v == 1 ? df_writer_new_minor(&c.w, out, 4) : df_writer_new_v2(&c.w, out);
	if (!rc && argc > 4)
		rc = df_writer_set_level(c.w, atoi(argv[4]));
	if (!rc && argc > 5)
		rc = df_writer_set_period(c.w, strtoull(argv[5], NULL, 0));
	if (rc)
		return 1;
	rc = df_read_fd(in, &ops, &c, &st);
	if (rc || c.err) {
		fprintf(stderr, "recode: %d %d %s\n", rc, c.err, st.error);
		return 1;
	}
	df_writer_free(c.w);
	return 0;
}
