/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the sort-key table of report and diff (src/report/sort.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/sort.h"
#include "check.h"

/* Every row has what hist.c and the printers call, and its own name. */
static void test_rows(void)
{
	const struct sort_key *keys[SORT_MAX_KEYS];
	char names[256], *w, *save = NULL;
	const char *bad;
	size_t n, rows = 0;
	bool complete = true;

	snprintf(names, sizeof(names), "%s", sort_key_names(", "));
	for (w = strtok_r(names, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		const struct sort_key *k;

		rows++;
		if (sort_parse(w, keys, &n, &bad) || n != 1) {
			complete = false;
			continue;
		}
		k = keys[0];
		complete &= !strcmp(k->name, w) && k->header && *k->header && k->set &&
			    k->hash && k->same && k->cmp && k->print;
	}
	CHECK("sort_key_names() lists rows that --sort takes, each complete",
	      rows >= 6 && complete);
	CHECK("no more rows than SORT_MAX_KEYS", rows <= SORT_MAX_KEYS);
}

static void test_parse(void)
{
	const struct sort_key *keys[SORT_MAX_KEYS], *sym;
	const char *bad;
	size_t n;

	CHECK("comm,dso,sym is three keys in order",
	      !sort_parse("comm,dso,sym", keys, &n, &bad) && n == 3 &&
	      !strcmp(keys[0]->name, "comm") && !strcmp(keys[1]->name, "dso") &&
	      !strcmp(keys[2]->name, "sym"));
	sym = keys[2];
	CHECK("perf's 'symbol' is sym",
	      !sort_parse("symbol", keys, &n, &bad) && n == 1 && keys[0] == sym);
	CHECK("a repeated key counts once",
	      !sort_parse("sym,dso,symbol,dso", keys, &n, &bad) && n == 2 &&
	      keys[0] == sym && !strcmp(keys[1]->name, "dso"));
	CHECK("an unknown key is -EINVAL, named",
	      sort_parse("comm,bogus,sym", keys, &n, &bad) == -EINVAL &&
	      !strcmp(bad, "bogus"));
	CHECK("an empty word is refused",
	      sort_parse("comm,,sym", keys, &n, &bad) == -EINVAL && !strcmp(bad, ""));
	CHECK("a prefix is no key", sort_parse("co", keys, &n, &bad) == -EINVAL);
	CHECK("the names end with 'or' for messages",
	      strstr(sort_key_names(" or "), " or ") &&
	      !strstr(sort_key_names(", "), " or "));
}

/* The columns as report and diff print them (golden files hold the rest). */
static void test_print(void)
{
	const struct sort_key *keys[SORT_MAX_KEYS];
	struct sess_dso dso = { .name = "libc.so.6" };
	struct df_sample smp = { .pid = 42, .tid = 43, .cpu = 7 };
	struct sess_frame fr = { .label = "main", .dso = &dso, .kernel = true };
	struct sort_input in = { .smp = &smp, .comm = "worker", .fr = &fr };
	struct hist_key a = { 0 }, b = { 0 };
	char buf[SORT_TEXT_MAX];
	const char *bad;
	size_t n;

	sort_parse("comm,pid,tid,dso,sym,cpu", keys, &n, &bad);
	for (size_t i = 0; i < n; i++) {
		keys[i]->set(&a, &in);
		keys[i]->set(&b, &in);
	}
	a.pid_comm = b.pid_comm = "main-thread";
	a.tid_comm = b.tid_comm = "worker";
	CHECK("comm", !strcmp(keys[0]->print(&a, buf, 0), "worker"));
	CHECK("pid: perf's %7d:comm in report, unpadded in diff",
	      !strcmp(keys[1]->print(&a, buf, 0), "     42:main-thread") &&
	      !strcmp(sort_print_diff(keys[1], &a, buf), "42:main-thread"));
	CHECK("tid likewise", !strcmp(sort_print_diff(keys[2], &a, buf), "43:worker"));
	CHECK("dso", !strcmp(keys[3]->print(&a, buf, 0), "libc.so.6"));
	CHECK("sym is marked kernel or user, and unpadded",
	      !strcmp(keys[4]->print(&a, buf, 0), "[k] main") &&
	      (keys[4]->flags & SORT_UNPADDED) && (keys[4]->flags & SORT_NAMES_FRAME));
	CHECK("cpu is zero-padded to the column, to the header in diff",
	      !strcmp(keys[5]->print(&a, buf, 5), "00007") &&
	      !strcmp(keys[5]->print(&a, buf, 0), "7") &&
	      !strcmp(sort_print_diff(keys[5], &a, buf), "007"));
	for (size_t i = 0; i < n; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s: equal keys are one entry", keys[i]->name);
		CHECK(name, keys[i]->same(&a, &b) && keys[i]->hash(&a) == keys[i]->hash(&b) &&
		      !keys[i]->cmp(&a, &b));
	}
	b.cpu = 8;
	CHECK("cpu tells CPUs apart and orders them",
	      !keys[5]->same(&a, &b) && keys[5]->cmp(&a, &b) < 0);
	b.kernel = false;
	CHECK("a kernel and a user symbol of one name are two entries",
	      !keys[4]->same(&a, &b) && !keys[3]->same(&a, &b));
	{
		struct hist_key k;
		bool prefix_only = true;

		for (size_t i = 0; i < n; i++) {
			if (!(keys[i]->flags & SORT_OF_SAMPLE))
				continue;
			memset(&k, 0xa5, sizeof(k));
			keys[i]->set(&k, &in);
			for (size_t j = SORT_SAMPLE_BYTES; j < sizeof(k); j++)
				prefix_only &= ((unsigned char *)&k)[j] == 0xa5;
		}
		CHECK("the sample's keys set the first SORT_SAMPLE_BYTES only", prefix_only);
	}
	CHECK("the sample's keys are marked so, the frame's not",
	      (keys[0]->flags & SORT_OF_SAMPLE) && (keys[5]->flags & SORT_OF_SAMPLE) &&
	      !(keys[3]->flags & SORT_OF_SAMPLE) && !(keys[4]->flags & SORT_OF_SAMPLE));
}

int main(void)
{
	test_rows();
	test_parse();
	test_print();
	return check_summary();
}
