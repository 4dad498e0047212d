/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * perf script's sample layout (perf 6.1, builtin-script.c).  The header
 * line must start with the comm, unpadded, when frames follow on their
 * own lines: stackcollapse-perf.pl matches it with ^(\S.+?)\s+(\d+).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "output/output-script.h"
#include "lib/util.h"

static const struct {
	const char *name;
	unsigned int bit;
} field_names[] = {
	{ "comm", SF_COMM }, { "pid", SF_PID }, { "tid", SF_TID },
	{ "cpu", SF_CPU }, { "time", SF_TIME }, { "period", SF_PERIOD },
	{ "event", SF_EVENT }, { "ip", SF_IP }, { "sym", SF_SYM },
	{ "symoff", SF_SYMOFF }, { "dso", SF_DSO }, { "srcline", SF_SRCLINE },
};

static int field_bit(const char *w, size_t len, unsigned int *bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(field_names); i++) {
		if (strlen(field_names[i].name) == len &&
		    !strncmp(w, field_names[i].name, len)) {
			*bit = field_names[i].bit;
			return 0;
		}
	}
	return -EINVAL;
}

int script_parse_fields(const char *arg, unsigned int *fields, const char **bad)
{
	static char word[64];
	const char *s = arg;
	unsigned int set = 0, bit;
	bool relative = *s == '+' || *s == '-';

	if (relative)
		set = SF_DEFAULT;
	for (;;) {
		size_t len = strcspn(s, ",");
		char sign = relative ? *s : 0;
		const char *w = relative ? s + 1 : s;
		size_t wlen = relative && len ? len - 1 : len;

		snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), s);
		*bad = word;
		/* perf: either all words carry a sign or none does. */
		if ((relative && sign != '+' && sign != '-') ||
		    field_bit(w, wlen, &bit))
			return -EINVAL;
		if (sign == '-')
			set &= ~bit;
		else
			set |= bit;
		s += len;
		if (!*s)
			break;
		s++;
	}
	*fields = set;
	return 0;
}

static void print_head(FILE *fp, struct session *s, const struct df_sample *smp,
		       const struct script_opts *o, bool frames_below)
{
	unsigned int f = o->fields;

	if (f & SF_COMM) {
		const char *comm = session_comm(s, smp->tid);

		fprintf(fp, frames_below ? "%s " : "%16s ", comm ? comm : "");
	}
	if ((f & SF_PID) && (f & SF_TID))
		fprintf(fp, "%5" PRIu32 "/%-5" PRIu32 " ", smp->pid, smp->tid);
	else if (f & SF_PID)
		fprintf(fp, "%5" PRIu32 " ", smp->pid);
	else if (f & SF_TID)
		fprintf(fp, "%5" PRIu32 " ", smp->tid);
	if ((f & SF_CPU) && smp->cpu == DF_CPU_NONE)
		fputs("[---] ", fp);	/* counted on every CPU */
	else if (f & SF_CPU)
		fprintf(fp, "[%03" PRIu32 "] ", smp->cpu);
	if (f & SF_TIME) {
		char t[48];

		snprintf(t, sizeof(t), "%" PRIu64 ".%06" PRIu64,
			 smp->time_ns / 1000000000u, smp->time_ns % 1000000000u / 1000u);
		fprintf(fp, "%12s: ", t);
	}
	if (f & SF_PERIOD)
		fprintf(fp, "%10" PRIu64 " ", smp->weight);
	if (f & SF_EVENT)
		fprintf(fp, "%s: ", o->event && *o->event ? o->event : "unknown");
}

/*
 * A frame line is assembled here and written with one fwrite: script
 * prints one per frame, and a stdio call per part cost more than the rest
 * of script together.
 */
struct line {
	FILE *fp;
	size_t n;
	char buf[512];
};

static void put(struct line *l, const char *s, size_t len)
{
	if (l->n + len > sizeof(l->buf)) {
		fwrite(l->buf, 1, l->n, l->fp);
		l->n = 0;
		if (len > sizeof(l->buf)) {
			fwrite(s, 1, len, l->fp);
			return;
		}
	}
	memcpy(l->buf + l->n, s, len);
	l->n += len;
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* v in hex, right-aligned in width (0: no padding): printf's "%16" PRIx64. */
static void put_hex(struct line *l, uint64_t v, int width)
{
	char buf[32], *end = buf + sizeof(buf), *p = end;

	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (end - p < width)
		*--p = ' ';
	put(l, p, (size_t)(end - p));
}

static void put_dec(struct line *l, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	put(l, buf, (size_t)n);
}

/*
 * "addr sym+0xoff (dso)", the parts chosen by -F, after lead; with
 * srcline, "\n  file:line" after them.  An inlined function's frame, in
 * is the frame of the chain to print (NULL: the symbol's own), is named
 * by it, keeps the symbol's offset and has no DSO, as perf prints them:
 * "mix+0x2e (inlined)", its line before the "(inlined)".
 */
static void print_frame(FILE *fp, const struct sess_frame *fr, unsigned int f,
			const char *lead, bool relative_ip, const struct sess_src_frame *src,
			bool inlined)
{
	const char *name = inlined ? (src && src->func ? src->func : "[unknown]") : fr->sym;
	struct line l;
	const char *sep = "";

	l.fp = fp;
	l.n = 0;
	puts_(&l, lead);
	if (f & SF_IP) {
		put_hex(&l, relative_ip ? fr->addr : fr->ip, 16);
		sep = " ";
	}
	if (f & (SF_SYM | SF_SYMOFF)) {
		puts_(&l, sep);
		puts_(&l, name ? name : "[unknown]");
		if ((f & SF_SYMOFF) && fr->sym) {
			put(&l, "+0x", 3);
			put_hex(&l, fr->sym_off, 0);
		}
		sep = " ";
	}
	if ((f & SF_DSO) && !inlined) {
		puts_(&l, sep);
		put(&l, "(", 1);
		puts_(&l, fr->mapped ? fr->dso->path : "[unknown]");
		put(&l, ")", 1);
	}
	if ((f & SF_SRCLINE) && src && src->file && src->line) {
		put(&l, "\n  ", 3);
		puts_(&l, src->file);
		put(&l, ":", 1);
		put_dec(&l, src->line);
	}
	if (inlined)
		puts_(&l, " (inlined)");
	put(&l, "\n", 1);
	fwrite(l.buf, 1, l.n, fp);
}

/*
 * A frame and, unless no_inline, the functions inlined where it is: those
 * first (innermost first), then the symbol's frame at the line of the
 * outermost call.  With no_inline the symbol's frame has the address's line.
 */
static void print_chain(FILE *fp, const struct sess_frame *fr, const struct script_opts *o,
			const char *lead, bool relative_ip, bool caller)
{
	const struct sess_srcline *sl = session_srcline(fr, caller);

	if (!sl) {
		print_frame(fp, fr, o->fields, lead, relative_ip, NULL, false);
		return;
	}
	if (o->no_inline) {
		print_frame(fp, fr, o->fields, lead, relative_ip, &sl->f[0], false);
		return;
	}
	for (uint32_t j = 0; j + 1 < sl->n; j++)
		print_frame(fp, fr, o->fields, lead, relative_ip, &sl->f[j], true);
	print_frame(fp, fr, o->fields, lead, relative_ip, &sl->f[sl->n - 1], false);
}

/*
 * The stack under a sample's line, leaf first, and a blank line; no stack
 * is one frame nobody can name, as report counts it.  perf 6.1 prints
 * user frames at their DSO address here.
 */
static int print_stack(FILE *fp, struct session *s, const struct df_sample *smp,
		       const struct script_opts *o, const struct sess_stack *st, size_t n)
{
	struct sess_frame fr;
	int err;

	for (size_t i = 0; i < (n ? n : 1); i++) {
		err = session_resolve(s, smp->pid, n ? st->ips[i] : 0, n && i < st->n_kernel,
				      &fr);
		if (err)
			return err;
		print_chain(fp, &fr, o, "\t", true, n && i > st->n_kernel);
	}
	fputc('\n', fp);
	return 0;
}

/*
 * A probe hit, as perf script prints probe events: no period, the probed
 * address in parentheses, a return probe's value signed (ret=-2 for
 * -ENOENT, as perf probe's 'ret=$retval:s64' prints it), then the call
 * chain when there is one.
 */
static int print_probe_hit(FILE *fp, struct session *s, const struct df_sample *smp,
			   const struct script_opts *o, const struct sess_stack *st, size_t n)
{
	struct script_opts head = *o;

	head.fields &= ~SF_PERIOD;
	print_head(fp, s, smp, &head, o->callchain && n > 1);
	if (n)
		fprintf(fp, "(%" PRIx64 ")", st->ips[0]);
	if (smp->has_retval)
		fprintf(fp, " ret=%" PRId64, smp->retval);
	fputc('\n', fp);
	if (!o->callchain || n <= 1 ||
	    !(o->fields & (SF_IP | SF_SYM | SF_SYMOFF | SF_DSO | SF_SRCLINE)))
		return 0;
	return print_stack(fp, s, smp, o, st, n);
}

int script_print_sample(FILE *fp, struct session *s, const struct df_sample *smp,
			const struct script_opts *o)
{
	const struct sess_stack *st = smp->stack_id == DF_STACK_NONE ? NULL :
				      session_stack(s, smp->stack_id);
	bool frame_fields = o->fields & (SF_IP | SF_SYM | SF_SYMOFF | SF_DSO | SF_SRCLINE);
	size_t n = st ? (size_t)st->n_kernel + st->n_user : 0;
	struct sess_frame fr;
	int err;

	if (o->max_stack && n > o->max_stack)
		n = o->max_stack;
	if (o->event_kind == DF_EVENT_PROBE)
		return print_probe_hit(fp, s, smp, o, st, n);
	if (!o->callchain || !frame_fields) {
		print_head(fp, s, smp, o, false);
		if (!frame_fields) {
			fputc('\n', fp);
			return 0;
		}
		err = session_resolve(s, smp->pid, n ? st->ips[0] : 0,
				      n && st->n_kernel, &fr);
		if (!err) {
			const struct sess_srcline *sl = session_srcline(&fr, false);

			print_frame(fp, &fr, o->fields, " ", false, sl ? &sl->f[0] : NULL, false);
		}
		return err;
	}
	print_head(fp, s, smp, o, true);
	fputc('\n', fp);
	return print_stack(fp, s, smp, o, st, n);
}
