#include "config.h"

#include <linux/perf_event.h>
#include <string.h>

#include "output/stat-print.h"

static bool is(const struct stat_row *r, const char *name)
{
	return !strcmp(r->c->ev.name, name);
}

static bool is_clock(const struct stat_row *r)
{
	return is(r, "task-clock") || is(r, "cpu-clock");
}

static const struct stat_row *find(const struct stat_row *rows, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (is(&rows[i], name) && rows[i].counted && !rows[i].c->err)
			return &rows[i];
	return NULL;
}

/* A ratio perf shows for this event: *val and *unit, or false for none. */
static bool metric(const struct stat_row *r, const struct stat_row *rows, size_t n,
		   double elapsed_ns, double *val, char *unit, size_t size)
{
	const struct stat_row *clock = find(rows, n, "task-clock"), *other;
	double secs;

	if (!clock)
		clock = find(rows, n, "cpu-clock");
	secs = clock && clock->value > 0 ? clock->value / 1e9 : elapsed_ns / 1e9;
	if (is_clock(r)) {
		*val = elapsed_ns > 0 ? r->value / elapsed_ns : 0;
		snprintf(unit, size, "CPUs utilized");
		return true;
	}
	if (is(r, "instructions") && (other = find(rows, n, "cycles")) && other->value > 0) {
		*val = r->value / other->value;
		snprintf(unit, size, "insn per cycle");
		return true;
	}
	if (is(r, "cycles") && secs > 0) {
		*val = r->value / secs / 1e9;
		snprintf(unit, size, "GHz");
		return true;
	}
	if (is(r, "branch-misses") && (other = find(rows, n, "branch-instructions")) &&
	    other->value > 0) {
		*val = 100.0 * r->value / other->value;
		snprintf(unit, size, "of all branches");
		return true;
	}
	if (is(r, "cache-misses") && (other = find(rows, n, "cache-references")) &&
	    other->value > 0) {
		*val = 100.0 * r->value / other->value;
		snprintf(unit, size, "of all cache refs");
		return true;
	}
	if (r->c->ev.type == PERF_TYPE_TRACEPOINT || secs <= 0)
		return false;
	/* Everything else: a rate per second of CPU time, scaled like perf's. */
	*val = r->value / secs;
	if (*val >= 1e9)
		*val /= 1e9, snprintf(unit, size, "G/sec");
	else if (*val >= 1e6)
		*val /= 1e6, snprintf(unit, size, "M/sec");
	else if (*val >= 1e3)
		*val /= 1e3, snprintf(unit, size, "K/sec");
	else
		snprintf(unit, size, "/sec");
	return true;
}

static void print_csv(const struct stat_print *p, const struct stat_row *r, bool has_metric,
		      double mval, const char *munit)
{
	const char *s = p->sep;

	if (p->interval_s >= 0)
		fprintf(p->fp, "%.9f%s", p->interval_s, s);
	if (r->c->err)
		fprintf(p->fp, "<not supported>%s%s%s%s0%s100.00%s%s", s, s, r->c->ev.name, s, s, s, s);
	else if (!r->counted)
		fprintf(p->fp, "<not counted>%s%s%s%s0%s0.00%s%s", s, s, r->c->ev.name, s, s, s, s);
	else if (is_clock(r))
		fprintf(p->fp, "%.2f%smsec%s%s%s%llu%s%.2f%s", r->value / 1e6, s, s,
			r->c->ev.name, s, (unsigned long long)r->ena, s, r->pct, s);
	else
		fprintf(p->fp, "%.0f%s%s%s%s%llu%s%.2f%s", r->value, s, s, r->c->ev.name, s,
			(unsigned long long)r->ena, s, r->pct, s);
	if (has_metric && r->counted && !r->c->err)
		fprintf(p->fp, "%.3f%s%s", mval, s, munit);
	else if (!r->c->err && r->counted)
		fprintf(p->fp, "%s", s);
	fputc('\n', p->fp);
}

/* 1234567 -> "1,234,567", as perf prints counts with its locale. */
static void thousands(char *out, size_t size, double v)
{
	char digits[64];
	size_t n, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", v);
	n = strlen(digits);
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void print_std(const struct stat_print *p, const struct stat_row *r, bool has_metric,
		      double mval, const char *munit)
{
	char num[64];

	if (p->interval_s >= 0)
		fprintf(p->fp, "%16.9f ", p->interval_s);
	if (r->c->err) {
		fprintf(p->fp, "%18s %-4s %s\n", "<not supported>", "", r->c->ev.name);
		return;
	}
	if (!r->counted) {
		fprintf(p->fp, "%18s %-4s %s\n", "<not counted>", "", r->c->ev.name);
		return;
	}
	if (is_clock(r)) {
		fprintf(p->fp, "%18.2f %-4s %-32s", r->value / 1e6, "msec", r->c->ev.name);
	} else {
		thousands(num, sizeof(num), r->value);
		fprintf(p->fp, "%18s %-4s %-32s", num, "", r->c->ev.name);
	}
	if (has_metric)
		fprintf(p->fp, " # %8.3f %s", mval, munit);
	if (r->pct < 99.995)
		fprintf(p->fp, "  (%.2f%%)", r->pct);
	fputc('\n', p->fp);
}

void stat_print_rows(const struct stat_print *p, const struct stat_row *rows, size_t n,
		     double elapsed_ns)
{
	for (size_t i = 0; i < n; i++) {
		char unit[32] = "";
		double mval = 0;
		bool has = rows[i].counted && !rows[i].c->err &&
			   metric(&rows[i], rows, n, elapsed_ns, &mval, unit, sizeof(unit));

		if (p->sep)
			print_csv(p, &rows[i], has, mval, unit);
		else
			print_std(p, &rows[i], has, mval, unit);
	}
}

void stat_print_interval_header(const struct stat_print *p)
{
	if (!p->sep)
		fprintf(p->fp, "#           time             counts unit events\n");
}
